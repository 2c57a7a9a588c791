//! Fidelity on rounds nobody tuned the tool to: wrapped appendix reviews are read,
//! incomplete reviews are named and left out of the figures, carried-over
//! findings are recorded and reproduced, and the recorded verdict never hides
//! what the verdict rules answer. The reports are authored fixtures under
//! `tests/fixtures/reports/`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{Cmd, repo_root};

fn report(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/reports").join(name)
}

const ROUND_1: &str = "20990201-100000-pr-21.md";
const ROUND_2: &str = "20990202-110000-pr-21.md";
const POINTER: &str = "20990105-093000-pr-11.md";

fn import(out: &Path, reports: &[&str], extra: &[&str]) -> crate::common::Output {
    let mut args: Vec<String> = vec!["import".into()];
    args.extend(reports.iter().map(|r| report(r).display().to_string()));
    args.extend(["--out".into(), out.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    Cmd::new(args).run()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

fn replay_json(cassette: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "replay".to_string(),
        cassette.display().to_string(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let out = Cmd::new(args).expect_code(0);
    serde_json::from_str(&out.stdout).expect("report json")
}

/// The two rounds of one PR, imported together.
fn lighthouse() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = import(dir.path(), &[ROUND_1, ROUND_2], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("imported 2 of 2\n"), "{}", out.stderr);
    let round_2 = dir.path().join("20990202-110000-pr-21.json");
    (dir, round_2)
}

/// Regression: an appendix review wrapped whole in a four-backtick `markdown`
/// fence (with code blocks inside), or in a `<details>` block, was read as no
/// finding at all, and the round replayed as if the agents had found nothing.
#[test]
fn wrapped_appendix_reviews_are_read() {
    let (_dir, round_2) = lighthouse();
    let r = replay_json(&round_2, &["--rules-only"]);
    let raised: Vec<(String, u64)> = r["agents"]
        .as_array()
        .expect("agents")
        .iter()
        .map(|a| {
            let n = ["critical", "important", "suggestion"]
                .iter()
                .map(|s| a["raised"][s].as_u64().unwrap_or(0))
                .sum();
            (a["agent"].as_str().unwrap_or("").to_string(), n)
        })
        .collect();
    assert_eq!(
        raised,
        [
            ("claude".to_string(), 1),
            ("codex".to_string(), 1),
            ("gemini".to_string(), 0)
        ]
    );
    let first = &r["findings"][0];
    assert_eq!(first["agents"], serde_json::json!(["claude", "codex"]));
    assert_eq!(first["severity"], "important");
}

#[test]
fn carried_over_findings_are_recorded_with_their_origin() {
    let (_dir, round_2) = lighthouse();
    let c = json(&round_2);
    let refs = c["reference"]["findings"].as_array().expect("findings");
    let ids: Vec<&str> = refs.iter().filter_map(|f| f["id"].as_str()).collect();
    // The declined item of round 1 is listed apart in the report: not a finding.
    assert_eq!(ids, ["I1", "I2", "S3"]);
    assert!(refs[0].get("carried_from").is_none());
    assert_eq!(
        refs[1]["carried_from"],
        serde_json::json!({"round": 1, "id": "I2"})
    );
    assert_eq!(refs[2]["carried_from"], serde_json::json!({"round": 1}));
    // What the consolidator knew was still open is recorded as unresolved.
    let open: Vec<(u64, &str, &str)> = c["prior_resolutions"]
        .as_array()
        .expect("priors")
        .iter()
        .filter(|p| p["status"] == "unresolved")
        .map(|p| {
            (
                p["round"].as_u64().unwrap_or(0),
                p["id"].as_str().unwrap_or(""),
                p["severity"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(open, [(1, "I2", "important"), (1, "S3", "suggestion")]);
}

#[test]
fn the_engine_carries_unresolved_items_over_and_lists_declined_ones() {
    let (_dir, round_2) = lighthouse();
    for mode in [&[][..], &["--rules-only"][..]] {
        let r = replay_json(&round_2, mode);
        let carried: Vec<(&str, &str, &Value)> = r["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f.get("carried_from").is_some())
            .map(|f| {
                (
                    f["severity"].as_str().unwrap_or(""),
                    f["title"].as_str().unwrap_or(""),
                    &f["agents"],
                )
            })
            .collect();
        let none = serde_json::json!([]);
        assert_eq!(
            carried,
            [
                ("important", "Stop races with the rotation tick", &none),
                (
                    "suggestion",
                    "Document the timer in the operator guide",
                    &none
                ),
            ],
            "{mode:?}"
        );
        // Round 1 declined the debug log; nobody raised it again.
        let declined: Vec<&str> = r["dropped"]
            .as_array()
            .expect("dropped")
            .iter()
            .filter(|d| d["reason"] == "declined")
            .filter_map(|d| d["title"].as_str())
            .collect();
        assert_eq!(declined, ["Log the lamp angle at debug level"], "{mode:?}");
    }
    let md = Cmd::new(["replay".as_ref(), round_2.as_os_str()]).expect_code(0);
    assert!(
        md.stdout
            .contains("**Stop races with the rotation tick** — `lamp/timer.go:55-63` [carried over from round 1 I2]"),
        "{}",
        md.stdout
    );
}

#[test]
fn reproduce_counts_carried_over_findings_on_their_own_line() {
    let (dir, _) = lighthouse();
    let out = Cmd::new([
        "reproduce".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
    .expect_code(0);
    let v: Value = serde_json::from_str(&out.stdout).expect("json");
    for mode in ["adjudicated", "rules-only"] {
        let t = &v["totals"][mode];
        assert_eq!(t["carried"], 2, "{mode}");
        assert_eq!(t["carried_matched"], 2, "{mode}");
        assert_eq!(t["reference_only"], 0, "{mode}");
        assert_eq!(t["counts_exact"], 2, "{mode}");
    }
    let text = Cmd::new(["reproduce".as_ref(), dir.path().as_os_str()]).expect_code(0);
    assert!(
        text.stdout
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")
                == "carried over reproduced 2/2 (1.000) 2/2 (1.000)"),
        "{}",
        text.stdout
    );
}

#[test]
fn recorded_verdict_and_rule_verdict_are_two_lines() {
    let (dir, _) = lighthouse();
    let text = Cmd::new(["reproduce".as_ref(), dir.path().as_os_str()]).expect_code(0);
    let row = |name: &str| {
        text.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    assert_eq!(
        row("recorded verdict reproduced"),
        "recorded verdict reproduced 2/2 (1.000) -"
    );
    assert_eq!(
        row("rule verdict agrees"),
        "rule verdict agrees 2/2 (1.000) 2/2 (1.000)"
    );
}

#[test]
fn a_pointer_instead_of_a_review_is_named_counted_and_left_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = import(dir.path(), &[POINTER], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let warning = out
        .stderr
        .lines()
        .find(|l| l.contains("incomplete review"))
        .expect("a warning");
    assert!(
        warning.starts_with("warning: ")
            && warning.contains("20990105-093000-pr-11.md:")
            && warning.contains("gemini pass 1: incomplete review (pointer)"),
        "{warning}"
    );
    assert!(
        out.stderr.contains("imported 1 of 1; 1 incomplete"),
        "{}",
        out.stderr
    );
    let c = json(&dir.path().join("20990105-093000-pr-11.json"));
    let marked: Vec<&str> = c["interactions"]
        .as_array()
        .expect("interactions")
        .iter()
        .filter(|i| i["incomplete"]["kind"] == "pointer")
        .filter_map(|i| i["agent"].as_str())
        .collect();
    assert_eq!(marked, ["gemini"]);

    // Replayed (check still replays it), with a notice; left out of reproduce.
    let r = replay_json(&dir.path().join("20990105-093000-pr-11.json"), &[]);
    assert!(
        r["notices"].as_array().expect("notices").iter().any(|n| n
            .as_str()
            .is_some_and(|n| n.starts_with("incomplete review: gemini pass 1 (pointer)"))),
        "{r}"
    );
    let rep = Cmd::new([
        "reproduce".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
    .expect_code(0);
    let v: Value = serde_json::from_str(&rep.stdout).expect("json");
    assert_eq!(v["rounds"], serde_json::json!([]));
    assert_eq!(v["incomplete_rounds"][0]["round"], "20990105-093000-pr-11");
    assert_eq!(v["totals"]["adjudicated"]["rounds"], 0);

    // --strict refuses it and writes nothing.
    let strict_dir = tempfile::tempdir().expect("tempdir");
    let strict = import(strict_dir.path(), &[POINTER], &["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        strict
            .stderr
            .contains("1 incomplete agent review(s); not written (--strict)"),
        "{}",
        strict.stderr
    );
    assert!(
        !strict_dir
            .path()
            .join("20990105-093000-pr-11.json")
            .exists()
    );
}

/// On imported cassettes recorded decisions settle most raw findings, so another
/// rules file changes little: `check --rules` and `eval --rules-*` say so and
/// point to `--rules-only`.
#[test]
fn rules_comparisons_say_when_recorded_decisions_settle_most_findings() {
    let (dir, _) = lighthouse();
    let rules = dir.path().join("rules.toml");
    let defaults = Cmd::new(["rules"]).expect_code(0).stdout;
    std::fs::write(&rules, defaults).expect("write rules");
    let golden = tempfile::tempdir().expect("golden");
    let check = |extra: &[&str]| {
        let mut args = vec![
            "check".to_string(),
            dir.path().display().to_string(),
            "--golden".into(),
            golden.path().display().to_string(),
            "--rules".into(),
            rules.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        Cmd::new(args).run()
    };
    let out = check(&[]);
    let note = out
        .stderr
        .lines()
        .find(|l| l.starts_with("note: recorded decisions settled"))
        .unwrap_or_else(|| panic!("no note:\n{}", out.stderr));
    // Round 1 has six raw findings, round 2 two; every one carries a decision.
    assert!(
        note.contains("settled 8 of 8 raw findings (100%)"),
        "{note}"
    );
    assert!(note.contains("--rules-only"), "{note}");
    let out = check(&["--rules-only"]);
    assert!(
        !out.stderr.contains("recorded decisions settled"),
        "{}",
        out.stderr
    );

    let eval = Cmd::new([
        "eval".as_ref(),
        dir.path().as_os_str(),
        "--rules-baseline".as_ref(),
        rules.as_os_str(),
        "--rules-candidate".as_ref(),
        rules.as_os_str(),
    ])
    .run();
    assert!(
        eval.stderr
            .contains("note: recorded decisions settled 8 of 8 raw findings (100%)"),
        "{}",
        eval.stderr
    );
}

/// Reviews in prose the parser cannot read (no ids, no sections) hold no raw
/// finding while the report lists three: not incomplete, so the round is
/// counted, but never silently — `import` warns and `reproduce` names it.
#[test]
fn a_round_that_parses_to_nothing_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = import(dir.path(), &["20990106-100000-pr-12.md"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.lines().any(|l| l.starts_with("warning: ")
            && l.contains("20990106-100000-pr-12.md:")
            && l.contains("no finding parsed in any agent review, but the report lists 3")),
        "{}",
        out.stderr
    );
    let text = Cmd::new(["reproduce".as_ref(), dir.path().as_os_str()]).expect_code(0);
    let section = text
        .stdout
        .split_once("rounds whose reviews parse to no finding while the reference lists some (1)")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("{}", text.stdout));
    assert!(section.contains("20990106-100000-pr-12"), "{}", text.stdout);
    let json = Cmd::new([
        "reproduce".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
    .expect_code(0);
    let v: Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["rounds"][0]["unparsed"], true);
}
