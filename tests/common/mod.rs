//! Shared helpers: run the binary with arguments in a directory and check what it
//! prints and how it exits.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The path to the corpus of real reports, when it exists beside the repository.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join("corpus")
        .join("rancher-desktop-daemon");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "notice: {} not found; skipping corpus checks",
            dir.display()
        );
        None
    }
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What a finished run printed and how it exited.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// The `error: ...` lines of stderr, in order.
    pub fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect()
    }
}

/// A run of the real binary: `Cmd::new(["check"]).current_dir(dir).run()`.
pub struct Cmd {
    command: Command,
}

impl Cmd {
    pub fn new<I, S>(args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut command = Command::new(env!("CARGO_BIN_EXE_review-replay"));
        command.args(args);
        command
            .env_remove("CI")
            .env_remove("GITHUB_ACTIONS")
            .env("NO_COLOR", "1");
        Cmd { command }
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Cmd {
        self.command.current_dir(dir);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Cmd {
        self.command.env(key, value);
        self
    }

    pub fn run(mut self) -> Output {
        let out = self.command.output().expect("spawn review-replay");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs and asserts the exit code, printing both streams on mismatch.
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Output {
        let out = self.run();
        assert_eq!(
            out.code, code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            out.stdout, out.stderr
        );
        out
    }
}
