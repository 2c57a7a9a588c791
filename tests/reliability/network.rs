//! No network, proved: `check`, `replay`, `reproduce`, `eval` and `import` run
//! under `strace -f -e trace=network` and make no network system call at all
//! (not even a local AF_UNIX socket: nothing in review-replay needs one).
//! Skipped with a notice when strace is not installed (`.ci/run` installs it).

use std::path::Path;

use super::{strace, strace_available};
use crate::common::repo_root;

/// Runs the binary under strace in `dir`; returns the traced network calls.
fn network_calls(dir: &Path, args: &[&str]) -> Vec<String> {
    let (code, stderr, text) = strace(dir, &["-e", "trace=network"], args);
    assert!(
        matches!(code, Some(0 | 1)),
        "{args:?} exited {code:?}: {stderr}"
    );
    text.lines()
        .filter(|l| !l.contains("+++ exited") && !l.contains("--- SIG"))
        // A thread that ends while strace stops tracing it leaves
        // `PID ???( <detached ...>`: an unknown call cut short, not a network
        // call (each of those is named). Seen when the rayon workers exit.
        .filter(|l| !(l.contains("???(") && l.contains("<detached ...>")))
        .map(str::to_string)
        .collect()
}

#[test]
fn no_command_opens_a_socket() {
    if !strace_available() {
        println!("notice: strace not installed; skipping the no-network check");
        return;
    }
    let root = repo_root();
    let out = tempfile::tempdir().expect("tempdir");
    let out_dir = out.path().join("out").display().to_string();
    // eval reads every .json and .md of a directory: the cassettes alone.
    let set = out.path().join("set");
    std::fs::create_dir_all(&set).expect("mkdir");
    for e in std::fs::read_dir(root.join("cassettes")).expect("cassettes") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "json") {
            std::fs::copy(&p, set.join(p.file_name().expect("name"))).expect("copy");
        }
    }
    let set = set.display().to_string();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["replay", "cassettes/harbor-pr-41-r1-consensus.json"],
        vec!["explain", "cassettes/harbor-pr-41-r1-consensus.json", "I1"],
        vec!["reproduce", "tests/fixtures/reports"],
        vec![
            "eval",
            "--baseline",
            set.as_str(),
            "--candidate",
            set.as_str(),
        ],
        vec![
            "import",
            "--out",
            out_dir.as_str(),
            "--raw",
            "tests/fixtures/rounds/harbor-pr-41-r1-consensus",
            "tests/fixtures/reports/20990101-120000-pr-7.md",
        ],
    ];
    for args in &runs {
        let calls = network_calls(&root, args);
        assert!(
            calls.is_empty(),
            "`review-replay {}` made network calls:\n{}",
            args.join(" "),
            calls.join("\n")
        );
    }
    // The import did run: the trace covered real work.
    assert!(
        out.path()
            .join("out/harbor-pr-41-r1-consensus.json")
            .is_file()
    );
}
