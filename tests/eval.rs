//! `eval` and `reproduce` through the real binary, on hand-built reports and
//! cassettes written into temporary directories.

use std::path::Path;

use review_replay::cassette::{Cassette, Reference, ReferenceFinding, ReferenceVerdict, RoundMeta};
use review_replay::model::{Location, Severity};
use review_replay::report::{
    ConsolidatedFinding, Dropped, FindingStatus, REPORT_SCHEMA_V1, Report, SourceRef, Verdict,
    VerdictDecision,
};

use crate::common::Cmd;

fn src(agent: &str, ordinal: u32) -> SourceRef {
    SourceRef {
        agent: agent.into(),
        pass: 1,
        ordinal,
        raised_id: None,
        severity: Severity::Important,
    }
}

/// A report where gemini raised 10 findings, `fp` of them dropped as false
/// positives, and claude raised 2 that survived.
fn report(id: &str, fp: u32, decision: VerdictDecision) -> Report {
    let survivors: Vec<ConsolidatedFinding> = (1..=10 - fp)
        .map(|k| ConsolidatedFinding {
            id: format!("I{k}"),
            severity: Severity::Important,
            status: FindingStatus::Open,
            classification: None,
            tags: vec![],
            title: format!("finding {k}"),
            locations: vec![Location {
                path: format!("f{k}.go"),
                start: Some(k),
                end: Some(k),
            }],
            agents: if k <= 2 {
                vec!["claude".into(), "gemini".into()]
            } else {
                vec!["gemini".into()]
            },
            sources: if k <= 2 {
                vec![src("claude", k), src("gemini", k)]
            } else {
                vec![src("gemini", k)]
            },
            decisions: vec![],
            body: String::new(),
            fix: None,
        })
        .collect();
    Report {
        schema: REPORT_SCHEMA_V1.into(),
        round: RoundMeta {
            id: id.into(),
            ..RoundMeta::default()
        },
        verdict: Verdict {
            decision,
            reason: String::new(),
        },
        findings: survivors,
        moved: vec![],
        dropped: vec![Dropped {
            sources: (10 - fp + 1..=10).map(|k| src("gemini", k)).collect(),
            title: String::new(),
            reason: "false-positive".into(),
            detail: String::new(),
        }],
        agents: vec![],
        design_observations: vec![],
        testing: vec![],
        limitations: vec![],
        coverage: vec![],
        notices: vec![],
    }
}

fn write_side(dir: &Path, fps: &[u32], changed_verdict: Option<usize>) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for (i, &fp) in fps.iter().enumerate() {
        let decision = if changed_verdict == Some(i) {
            VerdictDecision::Rework
        } else {
            VerdictDecision::MergeWithFixes
        };
        let r = report(&format!("round-{i:02}"), fp, decision);
        let json = serde_json::to_string_pretty(&r).expect("serialise");
        std::fs::write(dir.join(format!("round-{i:02}.json")), json).expect("write");
    }
}

const GOOD: [u32; 8] = [1, 0, 1, 2, 1, 0, 1, 1];
const BAD: [u32; 8] = [4, 3, 5, 4, 3, 4, 5, 3];

fn eval(dir: &Path, extra: &[&str]) -> Cmd {
    let mut args = vec![
        "eval".to_string(),
        "--baseline".into(),
        dir.join("base").display().to_string(),
        "--candidate".into(),
        dir.join("cand").display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Cmd::new(args)
}

#[test]
fn worse_candidate_fails_its_gates() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_side(&dir.path().join("base"), &GOOD, None);
    write_side(&dir.path().join("cand"), &BAD, Some(3));
    let out = eval(
        dir.path(),
        &[
            "--fail-if",
            "false_positive_rate[gemini] > +0.05",
            "--fail-if",
            "survival_rate[claude] < -0.10",
            "--fail-if",
            "verdict_changes > 0",
        ],
    )
    .expect_code(1);
    assert!(
        out.stdout
            .contains("- **FAIL** `false_positive_rate[gemini] > +0.05`: CI lower bound"),
        "{}",
        out.stdout
    );
    // claude's findings all survive on both sides: that gate passes.
    assert!(
        out.stdout.contains(
            "- **pass** `survival_rate[claude] < -0.10`: CI upper bound +0.000 vs -0.100"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("| `round-03` | Merge with fixes | Rework |"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("gate failed: verdict_changes > 0"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("survival_rate"), "{}", out.stderr);
}

#[test]
fn better_or_equal_candidate_passes() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_side(&dir.path().join("base"), &BAD, None);
    write_side(&dir.path().join("cand"), &GOOD, None);
    let gates = [
        "--fail-if",
        "false_positive_rate > 0",
        "--fail-if",
        "verdict_changes > 0",
    ];
    let out = eval(dir.path(), &gates).expect_code(0);
    assert!(
        out.stdout
            .contains("| false_positive_rate | all | 8 | 0.323 | 0.073 | -0.250 |"),
        "{}",
        out.stdout
    );

    let same = tempfile::tempdir().expect("tempdir");
    write_side(&same.path().join("base"), &BAD, None);
    write_side(&same.path().join("cand"), &BAD, None);
    let out = eval(same.path(), &gates).expect_code(0);
    assert!(
        out.stdout.contains(
            "| false_positive_rate | all | 8 | 0.323 | 0.323 | +0.000 | [+0.000, +0.000] |"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn json_output_is_identical_across_thread_counts_and_seeded() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_side(&dir.path().join("base"), &GOOD, None);
    write_side(&dir.path().join("cand"), &BAD, None);
    let one = eval(dir.path(), &["--format", "json", "-j", "1"]).expect_code(0);
    let four = eval(dir.path(), &["--format", "json", "-j", "4"]).expect_code(0);
    assert_eq!(one.stdout, four.stdout);
    let v: serde_json::Value = serde_json::from_str(&one.stdout).expect("json");
    assert_eq!(v["schema"], "review-replay/eval/v1");
    assert_eq!(v["bootstrap"]["resamples"], 2000);
    let other_seed = eval(dir.path(), &["--format", "json", "--seed", "9"]).expect_code(0);
    assert_ne!(
        one.stdout, other_seed.stdout,
        "the seed must change the intervals"
    );
}

#[test]
fn unpaired_rounds_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_side(&dir.path().join("base"), &GOOD, None);
    write_side(&dir.path().join("cand"), &GOOD[..6], None);
    let out = eval(dir.path(), &[]).expect_code(0);
    assert!(out.stdout.contains("- Paired rounds: 6"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("- Only in baseline (left out): `round-06`, `round-07`"),
        "{}",
        out.stdout
    );
}

#[test]
fn usage_errors_exit_2_and_say_what_was_expected() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_side(&dir.path().join("base"), &GOOD, None);
    write_side(&dir.path().join("cand"), &GOOD, None);
    let out = eval(
        dir.path(),
        &["--fail-if", "false_positive_rate[gemini] => 0.1"],
    )
    .expect_code(2);
    assert!(
        out.stderr.contains("expected METRIC[AGENT] OP THRESHOLD"),
        "{}",
        out.stderr
    );
    let out = eval(dir.path(), &["--fail-if", "recall[codex] > 0"]).expect_code(2);
    assert!(
        out.stderr.contains("agent `codex` is in no paired round"),
        "{}",
        out.stderr
    );
    let out = eval(dir.path(), &["--confidence", "1.5"]).expect_code(2);
    assert!(out.stderr.contains("--confidence"), "{}", out.stderr);
    let out = Cmd::new(["eval"]).expect_code(2);
    assert!(out.stderr.contains("nothing to compare"), "{}", out.stderr);
    let out = Cmd::new(["eval", "--baseline", "x"]).expect_code(2);
    assert!(out.stderr.contains("go together"), "{}", out.stderr);
}

fn cassette(id: &str, reference: Option<Reference>) -> String {
    let c = Cassette {
        schema: review_replay::cassette::SCHEMA_V1.into(),
        round: RoundMeta {
            id: id.into(),
            ..RoundMeta::default()
        },
        interactions: vec![],
        adjudications: vec![],
        prior_resolutions: vec![],
        reference,
        source: None,
    };
    c.to_json()
}

#[test]
fn reproduce_compares_rounds_with_a_reference_and_skips_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let reference = Reference {
        verdict: Some(ReferenceVerdict {
            decision: "merge-with-fixes".into(),
            reason: String::new(),
        }),
        findings: vec![
            ReferenceFinding {
                id: "C1".into(),
                severity: Severity::Critical,
                title: "Crash on empty input".into(),
                agents: vec!["claude".into()],
                locations: vec![],
                tags: vec![],
            },
            ReferenceFinding {
                id: "I1".into(),
                severity: Severity::Important,
                title: "Leak".into(),
                agents: vec!["codex".into()],
                locations: vec![],
                tags: vec![],
            },
        ],
        retro: None,
        reconciliation: vec![],
    };
    std::fs::write(
        dir.path().join("b.json"),
        cassette("b-round", Some(reference)),
    )
    .expect("write");
    std::fs::write(dir.path().join("a.json"), cassette("a-round", None)).expect("write");

    let out = Cmd::new(["reproduce", "--format", "json", "--calibration", "."])
        .current_dir(dir.path())
        .expect_code(0);
    assert!(
        out.stderr
            .contains("notice: skipped a.json (round a-round): no reference"),
        "{}",
        out.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["schema"], "review-replay/reproduce/v1");
    assert_eq!(v["rounds"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["rounds"][0]["round"], "b-round");
    for mode in ["adjudicated", "rules-only"] {
        let t = &v["totals"][mode];
        assert_eq!(t["rounds"], 1);
        assert_eq!(t["reference"]["critical"], 1);
        assert_eq!(t["reference"]["important"], 1);
        let matched = t["matched"].as_u64().expect("matched");
        let reference_only = t["reference_only"].as_u64().expect("reference_only");
        assert_eq!(matched + reference_only, 2, "{t}");
        assert_eq!(t["verdicts_compared"], 1);
    }
    assert!(v["calibration"]["rows"].is_array());

    let text = Cmd::new(["reproduce", "."])
        .current_dir(dir.path())
        .expect_code(0);
    assert!(text.stdout.contains("totals (1 rounds)"), "{}", text.stdout);
}

#[test]
fn reproduce_on_the_corpus_is_consistent_and_deterministic() {
    let Some(corpus) = crate::common::corpus_dir() else {
        return;
    };
    let reports = std::fs::read_dir(&corpus)
        .expect("read corpus")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "md"))
        })
        .count();
    let run = |jobs: &str| {
        let out = Cmd::new(["reproduce", "--format", "json", "-j", jobs, "."])
            .current_dir(&corpus)
            .run();
        assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
        out
    };
    let a = run("1");
    let b = run("2");
    assert_eq!(a.stdout, b.stdout, "output depends on the thread count");
    let v: serde_json::Value = serde_json::from_str(&a.stdout).expect("json");
    let rounds = v["rounds"].as_array().map_or(0, Vec::len);
    let skipped = v["skipped"].as_array().map_or(0, Vec::len);
    let errors = a
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .count();
    assert_eq!(rounds + skipped + errors, reports, "{}", a.stderr);
    assert_eq!(a.code == 1, errors > 0);
    for mode in ["adjudicated", "rules-only"] {
        let t = &v["totals"][mode];
        let sum = |side: &str| {
            ["critical", "important", "suggestion"]
                .iter()
                .map(|s| t[side][s].as_u64().expect("count"))
                .sum::<u64>()
        };
        let matched = t["matched"].as_u64().expect("matched");
        assert_eq!(
            matched + t["engine_only"].as_u64().expect("n"),
            sum("engine")
        );
        assert_eq!(
            matched + t["reference_only"].as_u64().expect("n"),
            sum("reference")
        );
        assert!(t["severity_agree"].as_u64().expect("n") <= matched);
    }
}
