//! `review-replay import` through the real binary: reports and raw rounds into
//! cassettes, failures per input, atomic and idempotent writes, and the cassette
//! JSON Schema kept in step with the serde types.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{Cmd, repo_root};

const ROUND1: &str = "20990101-120000-pr-7";
const ROUND2: &str = "20990102-080000-pr-7";
const NO_APPENDIX: &str = "20990103-090000-no-appendix";

fn fixture(name: &str) -> PathBuf {
    repo_root()
        .join("tests")
        .join("fixtures")
        .join("reports")
        .join(format!("{name}.md"))
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn import<I, S>(args: I) -> Cmd
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut all: Vec<std::ffi::OsString> = vec!["import".into()];
    all.extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
    Cmd::new(all)
}

// ---------------------------------------------------------------------------
// Schema: a structural check that every object key is named by the schema.

fn schema() -> Value {
    read_json(&repo_root().join("docs").join("cassette.schema.json"))
}

fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/$defs/");
            root.get("$defs")
                .and_then(|d| d.get(name))
                .unwrap_or_else(|| panic!("schema has no $defs/{name}"))
        }
        None => node,
    }
}

/// Asserts that every key of `value` is a property the schema names; collects the
/// schema paths seen, so a caller can check the reverse direction.
fn check_fields(root: &Value, node: &Value, value: &Value, at: &str, seen: &mut BTreeSet<String>) {
    let node = resolve(root, node);
    match value {
        Value::Object(map) => {
            let props = node
                .get("properties")
                .and_then(Value::as_object)
                .unwrap_or_else(|| panic!("{at}: schema has no properties for an object"));
            for (k, v) in map {
                let sub = props
                    .get(k)
                    .unwrap_or_else(|| panic!("{at}: field `{k}` is not in the schema"));
                let path = format!("{at}.{k}");
                seen.insert(path.clone());
                check_fields(root, sub, v, &path, seen);
            }
        }
        Value::Array(items) => {
            if let Some(item) = node.get("items") {
                for v in items {
                    check_fields(root, item, v, &format!("{at}[]"), seen);
                }
            }
        }
        _ => {}
    }
}

/// Every schema property path reachable from the root, for the reverse check.
fn schema_paths(root: &Value, node: &Value, at: &str, out: &mut BTreeSet<String>, depth: usize) {
    assert!(depth < 20, "schema recursion at {at}");
    let node = resolve(root, node);
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            let path = format!("{at}.{k}");
            out.insert(path.clone());
            schema_paths(root, v, &path, out, depth + 1);
        }
    }
    if let Some(item) = node.get("items") {
        schema_paths(root, item, &format!("{at}[]"), out, depth + 1);
    }
}

/// Asserts that a cassette file only has fields the schema names.
pub fn assert_schema_fields(path: &Path) {
    let root = schema();
    let value = read_json(path);
    let mut seen = BTreeSet::new();
    check_fields(&root, &root, &value, "$", &mut seen);
}

#[test]
fn schema_matches_serde_types_both_ways() {
    use review_replay::cassette::*;
    use review_replay::model::{Location, Severity};
    // A cassette with every optional field set: the schema must name all its
    // fields, and it must use every field the schema names.
    let loc = Location {
        path: "a.rs".into(),
        start: Some(1),
        end: Some(2),
    };
    let c = Cassette {
        schema: SCHEMA_V1.into(),
        round: RoundMeta {
            id: "x".into(),
            repo: Some("o/r".into()),
            pr: Some(1),
            title: Some("t".into()),
            round: Some(1),
            author: Some("a".into()),
            branch: Some("b".into()),
            date: Some("d".into()),
            commits: vec![Commit {
                sha: "s".into(),
                subject: "s".into(),
            }],
            reviewers: vec![Reviewer {
                agent: "claude".into(),
                model: "m".into(),
                effort: Some("high".into()),
            }],
            wall_clock_s: Some(1.0),
        },
        interactions: vec![Interaction {
            role: Role::Reviewer,
            agent: "claude".into(),
            model: Some("m".into()),
            pass: 1,
            prompt: Some(sha256_id(b"p")),
            response: "r".into(),
            duration_s: Some(1.0),
            tool_calls: Some(1),
            failure: Some("exited with status 1".into()),
            exit_status: Some(1),
            stderr_tail: Some("e".into()),
            redactions: 1,
            prompt_text: Some("p".into()),
            incomplete: Some(review_replay::model::Incomplete {
                kind: review_replay::model::IncompleteKind::Failed,
                reason: "exited with status 1".into(),
                line: Some(1),
            }),
        }],
        adjudications: vec![
            Adjudication {
                about: vec![RawRef {
                    agent: "claude".into(),
                    pass: 1,
                    id: Some("I1".into()),
                    ordinal: Some(1),
                    section: Some(ItemSection::Testing),
                }],
                decision: Decision::SetSeverity {
                    severity: Severity::Important,
                },
                reason: "r".into(),
                confidence: Confidence::Unsure,
            },
            Adjudication {
                about: vec![],
                decision: Decision::Verdict {
                    verdict: review_replay::model::VerdictDecision::Rework,
                },
                reason: "r".into(),
                confidence: Confidence::Sure,
            },
        ],
        prior_resolutions: vec![PriorResolution {
            round: 1,
            id: "I1".into(),
            title: "t".into(),
            locations: vec![loc.clone()],
            status: ResolutionStatus::Fixed,
            reason: "r".into(),
            severity: Some(Severity::Important),
        }],
        reference: Some(Reference {
            verdict: Some(ReferenceVerdict {
                decision: "rework".into(),
                reason: "r".into(),
            }),
            findings: vec![ReferenceFinding {
                id: "I1".into(),
                severity: Severity::Important,
                title: "t".into(),
                agents: vec!["claude".into()],
                locations: vec![loc],
                tags: vec!["regression".into()],
                carried_from: Some(CarriedFrom {
                    round: Some(1),
                    id: Some("I2".into()),
                }),
            }],
            retro: Some(RetroTable {
                columns: vec!["c".into()],
                rows: vec![RetroRow {
                    metric: "m".into(),
                    values: vec!["v".into()],
                }],
            }),
            reconciliation: vec!["x".into()],
        }),
        source: Some(Source {
            kind: "report".into(),
            name: "n".into(),
            sha256: sha256_id(b"x"),
        }),
    };
    let root = schema();
    let value: Value = serde_json::from_str(&c.to_json()).expect("json");
    let mut seen = BTreeSet::new();
    check_fields(&root, &root, &value, "$", &mut seen);
    let mut all = BTreeSet::new();
    schema_paths(&root, &root, "$", &mut all, 0);
    let unused: Vec<&String> = all.difference(&seen).collect();
    assert!(
        unused.is_empty(),
        "schema fields serde never writes: {unused:?}"
    );
}

#[test]
fn schema_rejects_an_unknown_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("c.json");
    fs::write(
        &p,
        r#"{"schema":"review-replay/cassette/v1","round":{"id":"x","colour":"red"},"interactions":[]}"#,
    )
    .expect("write");
    let result = std::panic::catch_unwind(|| assert_schema_fields(&p));
    assert!(result.is_err(), "an unknown field must fail the check");
}

#[test]
fn committed_cassettes_match_the_schema() {
    let dir = repo_root().join("cassettes");
    if !dir.is_dir() {
        println!("notice: no cassettes/ directory; nothing to check");
        return;
    }
    let mut n = 0;
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_some_and(|e| e == "json") {
            assert_schema_fields(entry.path());
            n += 1;
        }
    }
    println!("checked {n} cassettes");
}

// ---------------------------------------------------------------------------
// Reports

#[test]
fn two_reports_write_two_cassettes_with_prior_resolutions() {
    let out = tempfile::tempdir().expect("tempdir");
    let dest = out.path().join("new").join("cassettes");
    let o = import([
        fixture(ROUND2).as_os_str(),
        fixture(ROUND1).as_os_str(),
        "--out".as_ref(),
        dest.as_os_str(),
    ])
    .expect_code(0);
    assert!(o.stderr.contains("imported 2 of 2"), "{}", o.stderr);
    assert!(!o.stderr.contains("failed"), "{}", o.stderr);
    assert_eq!(
        names_in(&dest),
        vec![format!("{ROUND1}.json"), format!("{ROUND2}.json")]
    );
    // Messages follow the input order.
    let r2 = o.stderr.find(ROUND2).expect("round 2 line");
    let r1 = o.stderr.find(ROUND1).expect("round 1 line");
    assert!(r2 < r1, "{}", o.stderr);

    let c1 = read_json(&dest.join(format!("{ROUND1}.json")));
    let c2 = read_json(&dest.join(format!("{ROUND2}.json")));
    for name in [ROUND1, ROUND2] {
        assert_schema_fields(&dest.join(format!("{name}.json")));
    }

    let round = &c1["round"];
    assert_eq!(round["id"], ROUND1);
    assert_eq!(round["repo"], "example/kettle");
    assert_eq!(round["round"], 1);
    assert_eq!(round["author"], "teapot");
    assert_eq!(round["pr"], 7);
    assert_eq!(round["title"], "Boil water on demand");
    assert_eq!(round["branch"], "boil");
    assert_eq!(round["date"], "2099-01-01 12:00");
    assert_eq!(round["wall_clock_s"], 723.0);
    assert_eq!(round["commits"][1]["sha"], "d4e5f6a");
    assert_eq!(
        round["commits"][1]["subject"],
        "Wire boiler into the kettle loop"
    );
    assert_eq!(round["reviewers"][1]["agent"], "codex");
    assert_eq!(round["reviewers"][1]["effort"], "xhigh");

    let agents: Vec<(&str, u64)> = c1["interactions"]
        .as_array()
        .expect("interactions")
        .iter()
        .map(|i| {
            (
                i["agent"].as_str().expect("agent"),
                i["pass"].as_u64().expect("pass"),
            )
        })
        .collect();
    assert_eq!(agents, vec![("claude", 1), ("codex", 1), ("gemini", 1)]);
    let claude = &c1["interactions"][0];
    assert_eq!(claude["model"], "Claude Opus 9.1");
    assert_eq!(claude["duration_s"], 310.0);
    assert_eq!(claude["tool_calls"], 12);
    assert_eq!(c1["interactions"][2]["duration_s"], 90.0);
    let response = claude["response"].as_str().expect("response");
    assert!(response.starts_with("## Executive Summary"), "{response}");
    assert!(response.contains("### not a heading"), "{response}");
    assert!(
        response.trim_end().ends_with("(suggestion, gap)"),
        "{response}"
    );
    assert_eq!(c1["source"]["kind"], "report");
    assert_eq!(c1["source"]["name"], format!("{ROUND1}.md"));
    assert!(
        c1["source"]["sha256"]
            .as_str()
            .is_some_and(|s| s.starts_with("sha256:") && s.len() == 71)
    );

    let reference = &c1["reference"];
    assert_eq!(reference["verdict"]["decision"], "merge-with-fixes");
    assert_eq!(
        reference["verdict"]["reason"],
        "the boiler never stops when the lid opens"
    );
    let findings: Vec<(&str, &str, Vec<&str>)> = reference["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["id"].as_str().expect("id"),
                f["severity"].as_str().expect("severity"),
                f["agents"]
                    .as_array()
                    .expect("agents")
                    .iter()
                    .map(|a| a.as_str().expect("agent"))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        vec![
            ("I1", "important", vec!["claude", "gemini"]),
            ("S1", "suggestion", vec!["codex"]),
            ("S2", "suggestion", vec!["claude", "codex"]),
        ]
    );
    assert_eq!(
        reference["findings"][0]["title"],
        "Boiler ignores the lid sensor"
    );
    assert_eq!(reference["findings"][0]["tags"][0], "regression");
    assert_eq!(reference["retro"]["columns"][2], "Gemini 9 Pro");
    assert_eq!(reference["retro"]["rows"][3]["metric"], "Totals");
    assert_eq!(reference["retro"]["rows"][3]["values"][0], "1I 1S");
    assert_eq!(
        reference["reconciliation"][0],
        "Gemini C1 (lid ignored) → Important (I1): the heater has its own thermal fuse."
    );
    assert!(
        c1.get("prior_resolutions").is_none(),
        "round 1 has no prior round"
    );

    // Round 2 carries round 1's resolutions (testing gaps are not findings).
    let prior = c2["prior_resolutions"].as_array().expect("prior");
    let got: Vec<(u64, &str, &str, &str)> = prior
        .iter()
        .map(|p| {
            (
                p["round"].as_u64().expect("round"),
                p["id"].as_str().expect("id"),
                p["status"].as_str().expect("status"),
                p["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "I1", "fixed", "loop checks the lid"),
            (1, "S1", "declined", "documented in the README"),
        ]
    );
    assert_eq!(c2["round"]["round"], 2);
    assert_eq!(c2["round"]["wall_clock_s"], 3723.0);
    assert_eq!(c2["reference"]["verdict"]["decision"], "merge-as-is");
    assert_eq!(c2["interactions"][1]["model"], "Codex GPT 9");
    assert_eq!(c2["interactions"][1]["tool_calls"], 4);
}

#[test]
fn a_report_without_appendix_fails_and_the_other_imports() {
    let out = tempfile::tempdir().expect("tempdir");
    let o = import([
        fixture(NO_APPENDIX).as_os_str(),
        fixture(ROUND1).as_os_str(),
        "--out".as_ref(),
        out.path().as_os_str(),
    ])
    .expect_code(1);
    let line = o
        .stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .expect("error line");
    assert!(line.contains(&format!("{NO_APPENDIX}.md")), "{line}");
    assert!(
        line.contains("no `Appendix: Original Reviews` with agent reviews"),
        "{line}"
    );
    assert!(
        o.stderr.contains("imported 1 of 2; 1 failed"),
        "{}",
        o.stderr
    );
    assert_eq!(names_in(out.path()), vec![format!("{ROUND1}.json")]);
}

#[test]
fn empty_and_binary_files_fail_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.md");
    let binary = dir.path().join("binary.md");
    fs::write(&empty, "").expect("write");
    fs::write(&binary, [0u8, 159, 146, 150, 0xff, 0xfe, 0]).expect("write");
    let out = dir.path().join("out");
    let o = import([
        empty.as_os_str(),
        binary.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(1);
    let errors = o.errors();
    assert_eq!(errors.len(), 2, "{}", o.stderr);
    assert!(
        errors[0].contains("empty.md") && errors[0].contains("Appendix"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains("binary.md") && errors[1].contains("not UTF-8"),
        "{}",
        errors[1]
    );
    assert!(
        o.stderr.contains("imported 0 of 2; 2 failed"),
        "{}",
        o.stderr
    );
    assert!(names_in(&out).is_empty(), "{:?}", names_in(&out));
}

#[test]
fn a_missing_report_fails_with_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.md");
    let o = import([
        missing.as_os_str(),
        fixture(ROUND1).as_os_str(),
        "--out".as_ref(),
        dir.path().join("out").as_os_str(),
    ])
    .expect_code(1);
    let line = o
        .stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .expect("error");
    assert!(line.contains("nope.md: cannot read"), "{line}");
    assert!(
        o.stderr.contains("imported 1 of 2; 1 failed"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_50_mb_report_imports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("20990109-000000-big.md");
    let report = fs::read_to_string(fixture(ROUND1)).expect("fixture");
    let (head, tail) = report.split_once("\n## Resolution").expect("resolution");
    let mut text = String::with_capacity(51 * 1024 * 1024);
    text.push_str(head);
    text.push_str("\n### [Claude] — Pass 2\n\n");
    let filler = "- `src/boiler.rs:40` the loop heats; ```not a fence``` # not a heading\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(filler);
    }
    text.push_str("\n## Resolution");
    text.push_str(tail);
    fs::write(&big, &text).expect("write");
    let out = dir.path().join("out");
    // How fast is measured in `cargo bench`; here only that it works.
    let o = import([big.as_os_str(), "--out".as_ref(), out.as_os_str()]).run();
    // Either imported or failed cleanly; this parser imports it.
    assert_eq!(o.code, 0, "{}", o.stderr);
    let names = names_in(&out);
    assert_eq!(names, vec!["20990101-120000-pr-7.json".to_string()]);
    let c = read_json(&out.join(&names[0]));
    let passes: Vec<u64> = c["interactions"]
        .as_array()
        .expect("interactions")
        .iter()
        .filter(|i| i["agent"] == "claude")
        .map(|i| i["pass"].as_u64().expect("pass"))
        .collect();
    assert_eq!(passes, vec![1, 2]);
}

#[test]
fn a_broken_header_table_imports_with_a_warning_naming_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = fs::read_to_string(fixture(ROUND1)).expect("fixture");
    // Line 5 loses its leading pipe; the Date row is gone as a result.
    let broken = text.replacen("| **Date** |", "**Date** |", 1);
    let p = dir.path().join("broken.md");
    fs::write(&p, broken).expect("write");
    let out = dir.path().join("out");
    let o = import([p.as_os_str(), "--out".as_ref(), out.as_os_str()]).expect_code(0);
    assert!(
        o.stderr.lines().any(|l| l.starts_with("warning: ")
            && l.contains("broken.md:5:")
            && l.contains("leading `|`")),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("no Date row"), "{}", o.stderr);
    let c = read_json(&out.join(format!("{ROUND1}.json")));
    assert!(c["round"].get("date").is_none());
    assert_eq!(c["round"]["branch"], "boil");
}

#[test]
fn reimport_is_a_no_op_and_different_content_needs_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let args = |p: &Path| {
        vec![
            p.as_os_str().to_os_string(),
            "--out".into(),
            out.as_os_str().to_os_string(),
        ]
    };
    let src = dir.path().join(format!("{ROUND1}.md"));
    fs::copy(fixture(ROUND1), &src).expect("copy");
    import(args(&src)).expect_code(0);
    let target = out.join(format!("{ROUND1}.json"));
    let first = fs::read(&target).expect("read");

    let o = import(args(&src)).expect_code(0);
    assert!(o.stderr.contains("unchanged"), "{}", o.stderr);
    assert_eq!(fs::read(&target).expect("read"), first);

    // Same id, different content: refused without --force, file untouched.
    let changed = fs::read_to_string(&src)
        .expect("read")
        .replace("Boil water on demand", "Boil water sometimes");
    fs::write(&src, changed).expect("write");
    let o = import(args(&src)).expect_code(1);
    assert!(
        o.stderr
            .contains("exists with different content; pass --force to replace"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains(&format!("{ROUND1}.md")), "{}", o.stderr);
    assert_eq!(fs::read(&target).expect("read"), first);
    assert_eq!(names_in(&out), vec![format!("{ROUND1}.json")]);

    let mut forced = args(&src);
    forced.push("--force".into());
    let o = import(forced).expect_code(0);
    assert!(o.stderr.contains("replaced"), "{}", o.stderr);
    let c = read_json(&target);
    assert_eq!(c["round"]["title"], "Boil water sometimes");
    // No temporary files left behind.
    assert_eq!(names_in(&out), vec![format!("{ROUND1}.json")]);
}

#[test]
fn two_inputs_with_the_same_id_do_not_overwrite_each_other() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.md");
    let b = dir.path().join("b.md");
    fs::copy(fixture(ROUND1), &a).expect("copy");
    let other = fs::read_to_string(fixture(ROUND1))
        .expect("read")
        .replace("Boil water on demand", "Other");
    fs::write(&b, other).expect("write");
    let out = dir.path().join("out");
    let o = import([
        a.as_os_str(),
        b.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(1);
    assert!(
        o.stderr.contains("b.md") && o.stderr.contains("also the id of"),
        "{}",
        o.stderr
    );
    let c = read_json(&out.join(format!("{ROUND1}.json")));
    assert_eq!(c["round"]["title"], "Boil water on demand");
}

#[test]
fn output_does_not_depend_on_threads_or_input_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    import([
        fixture(ROUND1).as_os_str(),
        fixture(ROUND2).as_os_str(),
        "--out".as_ref(),
        one.as_os_str(),
    ])
    .env("RAYON_NUM_THREADS", "1")
    .expect_code(0);
    import([
        fixture(ROUND2).as_os_str(),
        fixture(ROUND1).as_os_str(),
        "--out".as_ref(),
        two.as_os_str(),
    ])
    .env("RAYON_NUM_THREADS", "4")
    .expect_code(0);
    for name in names_in(&one) {
        assert_eq!(
            fs::read(one.join(&name)).expect("one"),
            fs::read(two.join(&name)).expect("two"),
            "{name}"
        );
    }
    assert_eq!(names_in(&one), names_in(&two));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = import(["--out".as_ref(), dir.path().as_os_str()]).expect_code(2);
    assert!(o.stderr.contains("at least one REPORT"), "{}", o.stderr);
    let o = import([fixture(ROUND1).as_os_str()]).expect_code(2);
    assert!(o.stderr.contains("--out"), "{}", o.stderr);
}

// ---------------------------------------------------------------------------
// Raw rounds

fn raw_round(dir: &Path, round_json: &str) -> PathBuf {
    let r = dir.join("round-a");
    fs::create_dir_all(&r).expect("mkdir");
    fs::write(r.join("round.json"), round_json).expect("write");
    fs::write(
        r.join("claude.md"),
        "## Findings\n\nI1. **Leak** — `a.rs:1`\n",
    )
    .expect("write");
    fs::write(r.join("codex.md"), "No issues found.\n").expect("write");
    fs::write(r.join("codex.pass2.md"), "Second pass.\n").expect("write");
    fs::write(r.join("prompt.md"), "Review this change.\n").expect("write");
    fs::write(r.join("claude.prompt.md"), "Claude prompt.\n").expect("write");
    r
}

const GOOD_ROUND: &str = r#"{
  "schema": "review-replay/round/v1",
  "round": {
    "id": "20990201-000000-pr-9",
    "pr": 9,
    "round": 1,
    "reviewers": [{ "agent": "codex", "model": "Codex GPT 9", "effort": "high" }]
  },
  "agents": { "claude": { "model": "Claude Opus 9.1", "duration_s": 312.0, "tool_calls": 88 } },
  "adjudications": [
    { "about": [{ "agent": "claude", "id": "I1" }], "decision": "set-severity", "severity": "suggestion", "reason": "minor" }
  ],
  "prior_resolutions": [
    { "round": 0, "id": "S1", "title": "Old", "status": "declined" }
  ]
}
"#;

#[test]
fn raw_round_imports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = raw_round(dir.path(), GOOD_ROUND);
    let out = dir.path().join("out");
    let o = import([
        "--raw".as_ref(),
        r.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(0);
    assert!(o.stderr.contains("imported 1 of 1"), "{}", o.stderr);
    let path = out.join("20990201-000000-pr-9.json");
    assert_schema_fields(&path);
    let c = read_json(&path);
    let got: Vec<(&str, u64, &str)> = c["interactions"]
        .as_array()
        .expect("interactions")
        .iter()
        .map(|i| {
            (
                i["agent"].as_str().expect("agent"),
                i["pass"].as_u64().expect("pass"),
                i["model"].as_str().expect("model"),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("claude", 1, "Claude Opus 9.1"),
            ("codex", 1, "Codex GPT 9"),
            ("codex", 2, "Codex GPT 9"),
        ]
    );
    let sha = |s: &str| review_replay::cassette::sha256_id(s.as_bytes());
    assert_eq!(c["interactions"][0]["prompt"], sha("Claude prompt.\n"));
    assert_eq!(c["interactions"][1]["prompt"], sha("Review this change.\n"));
    assert_eq!(c["interactions"][0]["duration_s"], 312.0);
    assert_eq!(c["interactions"][0]["tool_calls"], 88);
    assert_eq!(c["interactions"][1]["response"], "No issues found.\n");
    assert_eq!(c["adjudications"][0]["decision"], "set-severity");
    assert_eq!(c["prior_resolutions"][0]["id"], "S1");
    assert_eq!(c["source"]["kind"], "raw");
    assert_eq!(c["source"]["name"], "round-a");
    assert!(c.get("reference").is_none());
}

#[test]
fn raw_round_with_truncated_json_names_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cut = GOOD_ROUND.get(..120).expect("slice");
    let r = raw_round(dir.path(), cut);
    let out = dir.path().join("out");
    let o = import([
        "--raw".as_ref(),
        r.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(1);
    let line = o
        .stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .expect("error");
    let lines_in_cut = cut.lines().count();
    let last_col = cut.lines().last().map_or(0, |l| l.chars().count());
    let needle = format!("round.json:{lines_in_cut}:{last_col}: invalid round.json");
    assert!(line.contains(&needle), "{line} (wanted {needle})");
    assert!(line.contains("invalid round.json"), "{line}");
    assert!(
        o.stderr.contains("imported 0 of 1; 1 failed"),
        "{}",
        o.stderr
    );
    assert!(!out.join("20990201-000000-pr-9.json").exists());
}

#[test]
fn raw_round_with_unknown_field_or_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let unknown_field = GOOD_ROUND.replace("\"pr\": 9,", "\"pr\": 9, \"colour\": \"red\",");
    let r = raw_round(dir.path(), &unknown_field);
    let out = dir.path().join("out");
    let o = import([
        "--raw".as_ref(),
        r.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(1);
    assert!(
        o.stderr.contains("round.json:5:") && o.stderr.contains("unknown field `colour`"),
        "{}",
        o.stderr
    );

    let future = GOOD_ROUND
        .replace("review-replay/round/v1", "review-replay/round/v7")
        .replace("\"pr\": 9,", "\"pr\": 9, \"new_in_v7\": true,");
    fs::write(r.join("round.json"), future).expect("write");
    let o = import([
        "--raw".as_ref(),
        r.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(1);
    assert!(
        o.stderr
            .contains("unknown round schema `review-replay/round/v7`")
            && o.stderr.contains("this build reads review-replay/round/v1"),
        "{}",
        o.stderr
    );
}

#[test]
fn raw_round_problems_fail_per_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = raw_round(dir.path(), GOOD_ROUND);
    let missing = dir.path().join("missing-dir");
    let stray = dir.path().join("stray");
    fs::create_dir_all(&stray).expect("mkdir");
    fs::write(
        stray.join("round.json"),
        r#"{"schema":"review-replay/round/v1","round":{"id":"s","reviewers":[{"agent":"claude","model":"C"}]}}"#,
    )
    .expect("write");
    fs::write(stray.join("claude.md"), "ok").expect("write");
    fs::write(stray.join("notes.md"), "not an agent").expect("write");
    let out = dir.path().join("out");
    let o = import([
        "--raw".as_ref(),
        missing.as_os_str(),
        "--raw".as_ref(),
        stray.as_os_str(),
        "--raw".as_ref(),
        good.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(1);
    let errors = o.errors();
    assert_eq!(errors.len(), 2, "{}", o.stderr);
    assert!(errors[0].contains("missing-dir"), "{}", errors[0]);
    assert!(
        errors[1].contains("notes.md") && errors[1].contains("agent `notes`"),
        "{}",
        errors[1]
    );
    assert!(
        o.stderr.contains("imported 1 of 3; 2 failed"),
        "{}",
        o.stderr
    );
    assert_eq!(
        names_in(&out),
        vec!["20990201-000000-pr-9.json".to_string()]
    );
}

#[test]
fn the_example_in_the_docs_is_a_valid_cassette() {
    let doc = fs::read_to_string(repo_root().join("docs").join("cassette.md")).expect("doc");
    let example = doc
        .split("## Example")
        .nth(1)
        .and_then(|s| s.split("```json").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("example block");
    let path = Path::new("docs/cassette.md");
    let c = review_replay::cassette::Cassette::from_json(path, example).expect("valid cassette");
    assert_eq!(c.interactions.len(), 2);
    assert_eq!(c.adjudications.len(), 1);
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("example.json");
    fs::write(&p, example).expect("write");
    assert_schema_fields(&p);
}

#[test]
fn an_omitted_appendix_fails_at_its_heading_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = fs::read_to_string(fixture(ROUND1)).expect("fixture");
    let (head, _) = text.split_once("### [Claude] — Pass 1").expect("appendix");
    let appendix_line = head.lines().count() - 1;
    let omitted = format!("{head}*(Same content as the original report — omitted here.)*\n");
    let p = dir.path().join("omitted.md");
    fs::write(&p, omitted).expect("write");
    let out = dir.path().join("out");
    let o = import([p.as_os_str(), "--out".as_ref(), out.as_os_str()]).expect_code(1);
    let want =
        format!("omitted.md:{appendix_line}: no `Appendix: Original Reviews` with agent reviews");
    assert!(o.stderr.contains(&want), "{}\nwanted {want}", o.stderr);
    assert!(
        o.stderr.contains("imported 0 of 1; 1 failed"),
        "{}",
        o.stderr
    );
    assert!(!out.join(format!("{ROUND1}.json")).exists());
}

#[test]
fn prior_resolutions_link_by_pr_and_compatible_repo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let round2 = fs::read_to_string(fixture(ROUND2)).expect("fixture");
    let repo_row = round2
        .lines()
        .find(|l| l.starts_with("| **Repo** |"))
        .expect("repo row")
        .to_string();
    let no_repo = dir.path().join("no-repo.md");
    fs::write(&no_repo, round2.replace(&format!("{repo_row}\n"), "")).expect("write");
    let other = dir.path().join("other-repo.md");
    fs::write(
        &other,
        round2
            .replace("example/kettle", "example/teapot")
            .replace(ROUND2, "20990102-080000-pr-7-teapot"),
    )
    .expect("write");
    let out = dir.path().join("out");
    import([
        fixture(ROUND1).as_os_str(),
        no_repo.as_os_str(),
        other.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(0);
    let linked = read_json(&out.join(format!("{ROUND2}.json")));
    assert!(linked["round"].get("repo").is_none());
    assert_eq!(
        linked["prior_resolutions"].as_array().map(Vec::len),
        Some(2)
    );
    let unlinked = read_json(&out.join("20990102-080000-pr-7-teapot.json"));
    assert!(unlinked.get("prior_resolutions").is_none(), "{unlinked}");
}

#[test]
fn every_fixture_round_imports_and_loads_back() {
    let rounds = repo_root().join("tests").join("fixtures").join("rounds");
    if !rounds.is_dir() {
        println!("notice: no tests/fixtures/rounds; nothing to import");
        return;
    }
    let mut dirs: Vec<PathBuf> = fs::read_dir(&rounds)
        .expect("read rounds")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("round.json").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    let out = tempfile::tempdir().expect("tempdir");
    let mut args: Vec<std::ffi::OsString> = Vec::new();
    for d in &dirs {
        args.push("--raw".into());
        args.push(d.as_os_str().to_os_string());
    }
    args.push("--out".into());
    args.push(out.path().as_os_str().to_os_string());
    let o = import(args).expect_code(0);
    assert!(
        o.stderr
            .contains(&format!("imported {0} of {0}", dirs.len())),
        "{}",
        o.stderr
    );
    let mut adjudications = 0;
    for name in names_in(out.path()) {
        let path = out.path().join(&name);
        assert_schema_fields(&path);
        // Loading back proves adjudications and every other field deserialize.
        let c = review_replay::cassette::Cassette::load(&path)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        adjudications += c.adjudications.len();
        assert_eq!(c.to_json(), fs::read_to_string(&path).expect("read"));
    }
    assert!(adjudications > 0, "the fixture rounds record adjudications");
}

/// `cassettes/` is generated from `tests/fixtures/rounds/` by
/// `scripts/regen-cassettes.sh`; a round edited without regenerating fails here.
#[test]
fn bundled_cassettes_are_the_imported_authored_rounds() {
    let root = repo_root();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rounds: Vec<PathBuf> = fs::read_dir(root.join("tests/fixtures/rounds"))
        .expect("rounds")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("round.json").is_file())
        .collect();
    rounds.sort();
    let mut args: Vec<std::ffi::OsString> = vec!["import".into(), "--raw".into()];
    args.extend(rounds.iter().map(|p| p.clone().into_os_string()));
    args.extend(["--out".into(), dir.path().as_os_str().to_owned()]);
    Cmd::new(args).expect_code(0);
    let fresh = names_in(dir.path());
    let mut bundled: Vec<String> = names_in(&root.join("cassettes"))
        .into_iter()
        .filter(|n| n.ends_with(".json"))
        .collect();
    bundled.sort();
    assert_eq!(fresh, bundled);
    for name in &fresh {
        let want = fs::read_to_string(dir.path().join(name)).expect("fresh");
        let got = fs::read_to_string(root.join("cassettes").join(name)).expect("bundled");
        assert!(
            want == got,
            "cassettes/{name} is stale: run scripts/regen-cassettes.sh"
        );
    }
}
