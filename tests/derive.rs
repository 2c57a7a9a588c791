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

/// (agent, id, decision, severity of set-severity, confidence, reason prefix)
type Row = (String, String, String, Option<Severity>, Confidence, String);

fn rows(c: &Cassette) -> Vec<Row> {
    c.adjudications
        .iter()
        .map(|a| {
            assert_eq!(a.about.len(), 1, "{a:?}");
            let r = &a.about[0];
            let what =
                r.id.clone()
                    .unwrap_or_else(|| format!("#{}", r.ordinal.unwrap_or(0)));
            let (name, sev) = match &a.decision {
                Decision::Confirm => ("confirm", None),
                Decision::SetSeverity { severity } => ("set-severity", Some(*severity)),
                Decision::FalsePositive => ("false-positive", None),
                Decision::PreExisting => ("pre-existing", None),
                Decision::OutOfScope => ("out-of-scope", None),
                other => panic!("unexpected decision {other:?}"),
            };
            let prefix: String = a.reason.split(" (").next().unwrap_or("").to_string();
            (
                r.agent.clone(),
                what,
                name.to_string(),
                sev,
                a.confidence,
                prefix,
            )
        })
        .collect()
}

#[test]
fn every_raw_finding_gets_the_decision_the_reference_records() {
    let (_dir, path) = imported();
    let c = Cassette::load(&path).expect("load");
    let row = |a: &str, id: &str, d: &str, s: Option<Severity>, conf: Confidence, why: &str| {
        (
            a.to_string(),
            id.to_string(),
            d.to_string(),
            s,
            conf,
            why.to_string(),
        )
    };
    use Confidence::{Sure, Unsure};
    assert_eq!(
        rows(&c),
        vec![
            // Claude's review has no ids: named by ordinal.
            row("claude", "#1", "confirm", None, Sure, "reference I1"),
            // Same file, far apart, few shared words: mapped, but unsure.
            row("claude", "#2", "confirm", None, Unsure, "reference S1"),
            row(
                "codex",
                "C1",
                "set-severity",
                Some(Severity::Important),
                Sure,
                "reference I1"
            ),
            row(
                "codex",
                "I1",
                "out-of-scope",
                None,
                Sure,
                "moved out of scope"
            ),
            row("codex", "S1", "confirm", None, Sure, "reference S2"),
            row(
                "gemini",
                "C1",
                "false-positive",
                None,
                Sure,
                "false positive"
            ),
            // Credited nowhere, nobody else credited at its location: dropped.
            row(
                "gemini",
                "I1",
                "false-positive",
                None,
                Unsure,
                "dropped: no reference finding credits gemini here, none at its location"
            ),
        ]
    );
    let reasons: Vec<&str> = c.adjudications.iter().map(|a| a.reason.as_str()).collect();
    assert!(
        reasons.contains(&"reference I1 (reconciliation: Codex C1 (eternal cache): critical)"),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("reference S1 (matched: location 0.20"))
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
