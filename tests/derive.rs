//! Recorded decisions derived at import: an authored report whose reference maps
//! every raw finding (reconciliation lines, matches, an unsure match and a dropped
//! finding), the cassette round trip, and replaying it with and without them.

use std::fs;
use std::path::PathBuf;

use serde_json::{Value, json};

use review_replay::cassette::{Cassette, Confidence, Decision};
use review_replay::model::Severity;

use crate::common::{Cmd, repo_root};

const ROUND: &str = "20990104-100000-pr-9";

fn report() -> PathBuf {
    repo_root()
        .join("tests")
        .join("fixtures")
        .join("reports")
        .join(format!("{ROUND}.md"))
}

fn imported() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("c");
    let o = Cmd::new([
        "import".as_ref(),
        report().as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .run();
    assert_eq!(o.code, 0, "{}", o.stderr);
    let path = out.join(format!("{ROUND}.json"));
    (dir, path)
}

/// (raw findings named, decision, severity of set-severity, confidence, reason
/// up to the evidence)
type Row = (String, String, Option<Severity>, Confidence, String);

fn rows(c: &Cassette) -> Vec<Row> {
    c.adjudications
        .iter()
        .map(|a| {
            let about: Vec<String> = a
                .about
                .iter()
                .map(|r| {
                    let what =
                        r.id.clone()
                            .unwrap_or_else(|| format!("#{}", r.ordinal.unwrap_or(0)));
                    format!("{} {what}", r.agent)
                })
                .collect();
            let (name, sev) = match &a.decision {
                Decision::Confirm => ("confirm", None),
                Decision::SetSeverity { severity } => ("set-severity", Some(*severity)),
                Decision::FalsePositive => ("false-positive", None),
                Decision::PreExisting => ("pre-existing", None),
                Decision::OutOfScope => ("out-of-scope", None),
                Decision::Verdict { .. } => ("verdict", None),
                other => panic!("unexpected decision {other:?}"),
            };
            let head = a.reason.split([':', '(']).next().unwrap_or("").trim();
            (
                about.join(", "),
                name.to_string(),
                sev,
                a.confidence,
                head.to_string(),
            )
        })
        .collect()
}

#[test]
fn every_raw_finding_gets_the_decision_the_reference_records() {
    let (_dir, path) = imported();
    let c = Cassette::load(&path).expect("load");
    let row = |about: &str, d: &str, s: Option<Severity>, conf: Confidence, why: &str| {
        (about.to_string(), d.to_string(), s, conf, why.to_string())
    };
    use Confidence::{Sure, Unsure};
    assert_eq!(
        rows(&c),
        vec![
            // Claude's review has no ids: named by ordinal. The two findings that
            // fed I1 make one decision. Kept findings always get `set-severity`,
            // even at the severity they were raised with.
            row(
                "claude #1, codex C1",
                "set-severity",
                Some(Severity::Important),
                Sure,
                "reference I1"
            ),
            // Same file, far apart, few shared words: mapped, but unsure.
            row(
                "claude #2",
                "set-severity",
                Some(Severity::Suggestion),
                Unsure,
                "reference S1"
            ),
            row("codex I1", "out-of-scope", None, Sure, "moved out of scope"),
            row(
                "codex S1",
                "set-severity",
                Some(Severity::Suggestion),
                Sure,
                "reference S2"
            ),
            row("gemini C1", "false-positive", None, Sure, "false positive"),
            // Credited nowhere, nobody else credited at its location: dropped.
            row("gemini I1", "false-positive", None, Unsure, "dropped"),
            // The consolidator's verdict, about the round rather than a finding.
            row("", "verdict", None, Sure, "cached recipes never expire"),
        ]
    );
    let reasons: Vec<&str> = c.adjudications.iter().map(|a| a.reason.as_str()).collect();
    assert_eq!(
        reasons.first().copied(),
        Some(
            "reference I1: claude #1 (matched: location 1.00, title 0.75; score 0.88); \
             codex C1 (reconciliation: Codex C1 (eternal cache): critical)"
        )
    );
    assert!(
        reasons.contains(
            &"reference S1: claude #2 (matched: location 0.20, title 0.40; score 0.35, unsure)"
        ),
        "{reasons:?}"
    );
    assert!(
        reasons
            .contains(&"dropped: matches no reference finding crediting gemini, and no reference finding is at its location")
    );
}

#[test]
fn the_cassette_round_trips_and_replays_the_historical_decisions() {
    let (_dir, path) = imported();
    let c = Cassette::load(&path).expect("load");
    let again = Cassette::from_json(&path, &c.to_json()).expect("reload");
    assert_eq!(again, c);
    let json = fs::read_to_string(&path).expect("read");
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["adjudications"][1]["confidence"], json!("unsure"));
    assert!(v["adjudications"][0].get("confidence").is_none());

    let o = Cmd::new([
        "replay".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
    .run();
    assert_eq!(o.code, 0, "{}", o.stderr);
    let r: Value = serde_json::from_str(&o.stdout).expect("report json");
    let findings: Vec<(String, Vec<String>)> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let agents = f["agents"]
                .as_array()
                .expect("agents")
                .iter()
                .map(|a| a.as_str().unwrap_or("").to_string())
                .collect();
            (f["severity"].as_str().unwrap_or("").to_string(), agents)
        })
        .collect();
    assert_eq!(
        findings,
        vec![
            (
                "important".to_string(),
                vec!["claude".to_string(), "codex".to_string()]
            ),
            // `README.md` sorts before `src/util.rs`.
            ("suggestion".to_string(), vec!["codex".to_string()]),
            ("suggestion".to_string(), vec!["claude".to_string()]),
        ]
    );
    assert_eq!(r["verdict"]["decision"], json!("merge-with-fixes"));
    let dropped: Vec<&str> = r["dropped"]
        .as_array()
        .expect("dropped")
        .iter()
        .map(|d| d["reason"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(dropped, vec!["false-positive", "false-positive"]);
    assert_eq!(r["moved"].as_array().map(Vec::len), Some(1));
    // Every derived adjudication names a raw finding the engine knows.
    let notices = r["notices"].as_array().expect("notices");
    assert!(
        !notices
            .iter()
            .any(|n| n.as_str().unwrap_or("").contains("matches no raw finding")),
        "{notices:?}"
    );

    // Rules only: the lone criticals and the rejected findings come back.
    let o = Cmd::new([
        "replay".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--rules-only".as_ref(),
    ])
    .run();
    assert_eq!(o.code, 0, "{}", o.stderr);
    let r: Value = serde_json::from_str(&o.stdout).expect("report json");
    assert_eq!(r["findings"].as_array().map(Vec::len), Some(6));
    assert_eq!(r["dropped"].as_array().map(Vec::len), Some(0));
}

#[test]
fn reproduce_on_the_report_agrees_with_the_reference_in_adjudicated_mode() {
    let o = Cmd::new([
        "reproduce".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        report().as_os_str(),
    ])
    .run();
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).expect("json");
    let a = &v["totals"]["adjudicated"];
    assert_eq!(
        a["engine"],
        json!({"critical": 0, "important": 1, "suggestion": 2})
    );
    assert_eq!(
        a["reference"],
        json!({"critical": 0, "important": 1, "suggestion": 2})
    );
    let r = &v["totals"]["rules-only"];
    assert_eq!(
        r["engine"],
        json!({"critical": 0, "important": 4, "suggestion": 2})
    );
}
