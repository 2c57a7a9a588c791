//! Round ids and file names from inputs never write outside `--out` or
//! `golden/`: `..`, absolute paths, NUL bytes, very long names and names that
//! differ only in case are refused with a clear error, and nothing is written
//! anywhere else.

use std::fs;
use std::path::Path;

use crate::common::{Cmd, Output};

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("under dir")
                .display()
                .to_string()
        })
        .collect();
    v.sort();
    v
}

/// Hostile round ids, each with the words its error must contain.
fn hostile_ids() -> Vec<(String, &'static str)> {
    vec![
        ("../escape".to_string(), "round id"),
        ("../../escape".to_string(), "round id"),
        ("..".to_string(), "round id"),
        ("/tmp/review-replay-absolute".to_string(), "round id"),
        ("sub/dir".to_string(), "round id"),
        ("a\\b".to_string(), "round id"),
        ("nul\0byte".to_string(), "round id"),
        ("x".repeat(300), "round id"),
    ]
}

fn raw_round(dir: &Path, name: &str, id: &str) {
    let d = dir.join("raw").join(name);
    fs::create_dir_all(&d).expect("mkdir");
    let json = serde_json::json!({"schema": "review-replay/round/v1", "round": {"id": id}});
    fs::write(d.join("round.json"), json.to_string()).expect("write");
    fs::write(d.join("claude.md"), "## Summary\n\nNone.\n").expect("write");
}

fn cassette(dir: &Path, file: &str, id: &str) {
    let json = serde_json::json!({
        "schema": "review-replay/cassette/v1",
        "round": {"id": id},
        "interactions": [{"role": "reviewer", "agent": "claude", "response": "## Summary\n\nNone.\n"}],
    });
    fs::create_dir_all(dir.join("work/cassettes")).expect("mkdir");
    fs::write(dir.join("work/cassettes").join(file), json.to_string()).expect("write");
}

#[track_caller]
fn assert_error_names(out: &Output, what: &str) {
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains(what), "no error about {what}:\n{all}");
}

#[test]
fn hostile_round_ids_in_raw_rounds_never_leave_out() {
    for (id, what) in hostile_ids() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        raw_round(d, "r", &id);
        let out = Cmd::new(["import", "--raw", "raw/r", "--out", "work/out"])
            .current_dir(d)
            .expect_code(1);
        assert_error_names(&out, what);
        assert_eq!(
            tree(d),
            ["raw/r/claude.md", "raw/r/round.json"],
            "id {id:?}"
        );
    }
    assert!(!Path::new("/tmp/review-replay-absolute.json").exists());
}

#[test]
fn hostile_round_ids_in_report_titles_never_leave_out() {
    for (id, what) in hostile_ids() {
        if id.contains('\0') || id.contains('\n') {
            continue; // a title is one line of text: tested through raw rounds
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let report = format!(
            "# Deep Review: {id}\n\n## Appendix: Original Reviews\n\n### Claude\n\n## Summary\n\nNone.\n"
        );
        fs::write(d.join("report.md"), report).expect("write");
        let out = Cmd::new(["import", "report.md", "--out", "work/out"])
            .current_dir(d)
            .run();
        // Either refused, or imported under a safe id inside --out.
        let files = tree(d);
        for f in &files {
            assert!(
                f == "report.md" || (f.starts_with("work/out/") && !f[9..].contains('/')),
                "id {id:?} wrote {f}:\n{}",
                out.stderr
            );
        }
        if out.code != 0 {
            assert_error_names(&out, what);
        }
    }
}

#[test]
fn hostile_round_ids_in_cassettes_never_leave_golden() {
    for (k, (id, _)) in hostile_ids().into_iter().enumerate() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        cassette(d, &format!("c{k}.json"), &id);
        cassette(d, "fine.json", "fine");
        let out = Cmd::new(["bless"]).current_dir(d.join("work")).run();
        assert_ne!(out.code, 0, "id {id:?} was accepted");
        assert_error_names(&out, "round id");
        let files = tree(d);
        assert_eq!(
            files,
            [
                format!("work/cassettes/c{k}.json"),
                "work/cassettes/fine.json".to_string(),
                "work/golden/fine.json".to_string(),
                "work/golden/fine.md".to_string(),
            ],
            "id {id:?}"
        );
    }
}

#[test]
fn round_ids_differing_only_in_case_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    cassette(d, "a.json", "Round-A");
    cassette(d, "b.json", "round-a");
    let out = Cmd::new(["bless"])
        .current_dir(d.join("work"))
        .expect_code(2);
    assert_error_names(
        &out,
        "round ids `Round-A` and `round-a` differ only in case",
    );
    assert!(!d.join("work/golden").exists());

    raw_round(d, "a", "Round-A");
    raw_round(d, "b", "round-a");
    let out = Cmd::new(["import", "--raw", "raw/a", "--raw", "raw/b", "--out", "out"])
        .current_dir(d)
        .expect_code(1);
    assert_error_names(
        &out,
        "round id `round-a` is the same, but for case, as the id of raw/a",
    );
    assert_eq!(tree(&d.join("out")), ["Round-A.json"]);
}

#[test]
fn a_symlinked_golden_is_replaced_and_its_target_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    cassette(d, "r.json", "r");
    Cmd::new(["bless"])
        .current_dir(d.join("work"))
        .expect_code(0);
    // A stale golden that lives outside golden/, reached through a symlink.
    let golden = d.join("work/golden/r.md");
    let stale = format!("{}stale line\n", fs::read_to_string(&golden).expect("read"));
    fs::write(d.join("outside.md"), &stale).expect("write");
    fs::remove_file(&golden).expect("remove");
    std::os::unix::fs::symlink(d.join("outside.md"), &golden).expect("symlink");
    Cmd::new(["check"])
        .current_dir(d.join("work"))
        .expect_code(1);
    Cmd::new(["bless"])
        .current_dir(d.join("work"))
        .expect_code(0);
    assert_eq!(
        fs::read_to_string(d.join("outside.md")).expect("read"),
        stale
    );
    assert!(!d.join("work/golden/r.md").is_symlink());
}
