//! `check` reads each cassette and golden file with one `read`: room for the
//! file's size and one byte more, which stops at its end, so the read that
//! would return 0 is not made. A rules run over every round a team recorded
//! pays each system call per file, three files a round. Traced with
//! `strace -y`, which names the file each read is of; skipped with a notice
//! when strace is not installed (`.ci/run` installs it).

use std::collections::BTreeMap;

use super::{strace, strace_available};
use crate::common::repo_root;

#[test]
fn check_reads_each_round_file_once() {
    if !strace_available() {
        println!("notice: strace not installed; skipping the one-read-a-file check");
        return;
    }
    let root = repo_root();
    let (code, stderr, text) = strace(&root, &["-y", "-e", "trace=read"], &["check"]);
    assert_eq!(code, Some(0), "check failed: {stderr}");
    // `read(3</abs/path/golden/x.md>, ...` → the path, for the round files.
    let mut reads: BTreeMap<String, usize> = BTreeMap::new();
    for line in text.lines() {
        let Some(at) = line.find("read(") else {
            continue;
        };
        let rest = &line[at..];
        let (Some(open), Some(close)) = (rest.find('<'), rest.find(">,")) else {
            continue;
        };
        let path = &rest[open + 1..close];
        let round_file = ["/cassettes/", "/golden/"].iter().any(|d| path.contains(d))
            && (path.ends_with(".json") || path.ends_with(".md"));
        if round_file {
            *reads.entry(path.to_string()).or_default() += 1;
        }
    }
    let cassettes = std::fs::read_dir(root.join("cassettes"))
        .expect("cassettes")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
        })
        .count();
    // Each cassette, and its golden markdown and JSON.
    assert_eq!(reads.len(), 3 * cassettes, "files read: {reads:#?}");
    let more: Vec<_> = reads.iter().filter(|&(_, &n)| n != 1).collect();
    assert!(
        more.is_empty(),
        "files read with more than one read: {more:#?}"
    );
}
