//! Reliability: the invariants of ARCHITECTURE.md as tests that can fail.
//! Parsers never panic and report valid lines (`properties`), writes are atomic
//! under SIGKILL (`crash`), every input is bounded (`limits`), inputs never
//! write outside `--out` or `golden/` (`paths`), no command opens a network
//! socket (`network`), and `check` reads each file with one `read` (`reads`).

mod crash;
mod limits;
mod network;
mod paths;
mod properties;
mod reads;

/// Runs the binary with `args` in `dir` under `strace -f -qq` with the
/// `filter` flags (`-e trace=...`, and `-y` where the files matter); returns
/// its exit code, its stderr and the trace. strace itself failing (no ptrace permission)
/// fails the test: it is not a pass.
fn strace(dir: &std::path::Path, filter: &[&str], args: &[&str]) -> (Option<i32>, String, String) {
    let trace = tempfile::NamedTempFile::new().expect("trace file");
    let out = std::process::Command::new("strace")
        .args(["-f", "-qq"])
        .args(filter)
        .arg("-o")
        .arg(trace.path())
        .arg(env!("CARGO_BIN_EXE_review-replay"))
        .args(args)
        .current_dir(dir)
        .env_remove("CI")
        .output()
        .expect("run strace");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("strace: "),
        "strace could not trace {args:?}: {stderr}"
    );
    let text = std::fs::read_to_string(trace.path()).expect("read trace");
    (out.status.code(), stderr.into_owned(), text)
}

/// Whether `strace` runs here (`.ci/run` installs it): the tests that trace
/// system calls say so and are skipped without it.
fn strace_available() -> bool {
    std::process::Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}
