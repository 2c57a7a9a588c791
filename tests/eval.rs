//! `eval` and `reproduce` through the real binary, on hand-built reports and
//! cassettes written into temporary directories.

use std::path::{Path, PathBuf};

use review_replay::cassette::{Cassette, Reference, ReferenceFinding, ReferenceVerdict, RoundMeta};
use review_replay::model::{Location, Severity};
use review_replay::report::{
    ConsolidatedFinding, Dropped, FindingStatus, Report, SourceRef, Verdict, VerdictDecision,
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
        findings: survivors,
        dropped: vec![Dropped {
            sources: (10 - fp + 1..=10).map(|k| src("gemini", k)).collect(),
            title: String::new(),
            reason: "false-positive".into(),
            detail: String::new(),
        }],
        ..Report::new(
            RoundMeta {
                id: id.into(),
                ..RoundMeta::default()
            },
            Verdict {
                decision,
                reason: String::new(),
            },
        )
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
                carried_from: None,
            },
            ReferenceFinding {
                id: "I1".into(),
                severity: Severity::Important,
                title: "Leak".into(),
                agents: vec!["codex".into()],
                locations: vec![],
                tags: vec![],
                carried_from: None,
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
    let incomplete = v["incomplete_rounds"].as_array().map_or(0, Vec::len);
    let skipped = v["skipped"].as_array().map_or(0, Vec::len);
    let errors = a.errors().len();
    assert_eq!(incomplete, 2, "the two rounds whose appendix is a pointer");
    assert_eq!(
        rounds + incomplete + skipped + errors,
        reports,
        "{}",
        a.stderr
    );
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

// ---------------------------------------------------------------------------
// Authored cassette pairs: `tests/fixtures/eval/` (see its README). Raw rounds are
// assembled in a temporary directory, imported with the real binary, then
// compared; no generated cassette is committed.

const ROUNDS: [&str; 6] = [
    "kiln-pr-21-r1",
    "kiln-pr-22-r1",
    "kiln-pr-23-r1",
    "kiln-pr-24-r1",
    "kiln-pr-25-r1",
    "kiln-pr-26-r1",
];

fn eval_fixtures() -> std::path::PathBuf {
    crate::common::repo_root().join("tests/fixtures/eval")
}

/// Builds the raw rounds of one set (`prompt-a`, with `overlay`'s files on top)
/// and imports them; returns the cassette directory.
fn import_set(tmp: &Path, name: &str, overlay: Option<&str>, rounds: &[&str]) -> PathBuf {
    let fixtures = eval_fixtures();
    let raw = tmp.join(format!("raw-{name}"));
    let mut dirs = Vec::new();
    for round in rounds {
        let dir = raw.join(round);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let layers = std::iter::once("prompt-a").chain(overlay);
        for layer in layers {
            for entry in std::fs::read_dir(fixtures.join(layer).join(round)).expect("fixture dir") {
                let path = entry.expect("entry").path();
                let file = path.file_name().expect("file name");
                std::fs::copy(&path, dir.join(file)).expect("copy");
            }
        }
        dirs.push(dir.display().to_string());
    }
    let out = tmp.join(format!("cassettes-{name}"));
    let mut args = vec!["import".to_string(), "--raw".into()];
    args.extend(dirs);
    args.extend(["--out".to_string(), out.display().to_string()]);
    Cmd::new(args).expect_code(0);
    out
}

/// Prompt A, prompt B (gemini loses its false positives and joins claude's
/// important finding) and prompt A reworded (same findings, other words).
fn authored_sets(tmp: &Path) -> (PathBuf, PathBuf, PathBuf) {
    (
        import_set(tmp, "a", None, &ROUNDS),
        import_set(tmp, "b", Some("prompt-b"), &ROUNDS),
        import_set(tmp, "a-reworded", Some("prompt-a-reworded"), &ROUNDS),
    )
}

fn eval_sets(baseline: &Path, candidate: &Path, extra: &[&str]) -> Cmd {
    let mut args = vec![
        "eval".to_string(),
        "--baseline".into(),
        baseline.display().to_string(),
        "--candidate".into(),
        candidate.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Cmd::new(args)
}

fn metric<'a>(v: &'a serde_json::Value, name: &str, agent: Option<&str>) -> &'a serde_json::Value {
    v["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["metric"] == name && m["agent"].as_str() == agent)
        .unwrap_or_else(|| panic!("no row {name} {agent:?}"))
}

fn ci(row: &serde_json::Value) -> (f64, f64) {
    let lo = row["ci"][0]
        .as_f64()
        .unwrap_or_else(|| panic!("no ci: {row}"));
    let hi = row["ci"][1]
        .as_f64()
        .unwrap_or_else(|| panic!("no ci: {row}"));
    (lo, hi)
}

const GEMINI_GATES: [&str; 6] = [
    "--fail-if",
    "false_positive_rate[gemini] > +0.05",
    "--fail-if",
    "survival_rate[gemini] < -0.05",
    "--fail-if",
    "verdict_changes > 0",
];

#[test]
fn authored_better_prompt_passes_and_its_interval_excludes_zero() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b, _) = authored_sets(tmp.path());
    let mut extra = GEMINI_GATES.to_vec();
    extra.extend(["--format", "json"]);
    let out = eval_sets(&a, &b, &extra).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["paired_rounds"].as_array().map(Vec::len), Some(6));
    assert_eq!(v["failed"], false);

    // Prompt A: gemini raised 14, 8 adjudicated false positives; prompt B: 12, none.
    let fp = metric(&v, "false_positive_rate", Some("gemini"));
    assert_eq!(fp["baseline"], 0.571429);
    assert_eq!(fp["candidate"], 0.0);
    assert_eq!(fp["difference"], -0.571429);
    let (lo, hi) = ci(fp);
    assert!(lo <= -0.5 && hi < 0.0, "{fp}");
    let survival = metric(&v, "survival_rate", Some("gemini"));
    assert_eq!(survival["candidate"], 1.0);
    let (lo, _) = ci(survival);
    assert!(lo > 0.0, "{survival}");
    // Gemini now raises claude's important finding in every round: claude's
    // findings are no longer its alone.
    assert_eq!(
        metric(&v, "unique_insights", Some("claude"))["difference"],
        -6.0
    );
    assert_eq!(metric(&v, "raised", Some("claude"))["difference"], 0.0);
    assert_eq!(metric(&v, "verdict_changes", None)["difference"], 0.0);

    let gates = v["gates"].as_array().expect("gates");
    assert_eq!(gates.len(), 3);
    assert!(gates.iter().all(|g| g["failed"] == false), "{gates:?}");
    assert_eq!(gates[0]["basis"], "ci-lower", "{}", gates[0]);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn authored_worse_prompt_fails_naming_the_gate() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b, _) = authored_sets(tmp.path());
    // The reverse pair: going from prompt B back to prompt A.
    let out = eval_sets(&b, &a, &GEMINI_GATES).expect_code(1);
    assert!(
        out.stderr
            .contains("gate failed: false_positive_rate[gemini] > +0.05"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("gate failed: survival_rate[gemini] < -0.05"),
        "{}",
        out.stderr
    );
    // Claude's reviews are the same on both sides: no verdict moves.
    assert!(!out.stderr.contains("verdict_changes"), "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "- **FAIL** `false_positive_rate[gemini] > +0.05`: CI lower bound +0.500 > +0.050"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "| false_positive_rate | gemini | 6 | 0.000 | 0.571 | +0.571 | [+0.500, +0.625] |"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("0 of 6 paired rounds change verdict."),
        "{}",
        out.stdout
    );
}

#[test]
fn authored_reworded_reviews_make_no_difference() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, _, reworded) = authored_sets(tmp.path());
    let mut extra = GEMINI_GATES.to_vec();
    extra.extend(["--format", "json"]);
    let out = eval_sets(&a, &reworded, &extra).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let rows = v["metrics"].as_array().expect("metrics");
    let mut compared = 0;
    for row in rows {
        if row["difference"].is_null() {
            // Only metrics without data (no reference in authored rounds).
            assert!(row["baseline"].is_null() && row["rounds"] == 0, "{row}");
            continue;
        }
        compared += 1;
        assert_eq!(row["difference"], 0.0, "{row}");
        if !row["ci"].is_null() {
            assert_eq!(ci(row), (0.0, 0.0), "{row}");
        }
    }
    assert!(compared >= 20, "only {compared} rows compared");
    // Not trivially empty: gemini's false positives are there on both sides.
    assert_eq!(
        metric(&v, "false_positive_rate", Some("gemini"))["baseline"],
        0.571429
    );
    for r in v["rounds"].as_array().expect("rounds") {
        assert_eq!(r["changed"], false, "{r}");
    }
}

#[test]
fn authored_eval_output_is_identical_across_runs_and_jobs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b, _) = authored_sets(tmp.path());
    for format in ["md", "json"] {
        let run = |jobs: &str| {
            let mut extra = GEMINI_GATES.to_vec();
            extra.extend(["--format", format, "--jobs", jobs]);
            eval_sets(&a, &b, &extra).expect_code(0).stdout
        };
        let first = run("1");
        assert_eq!(first, run("1"), "two runs differ ({format})");
        assert_eq!(first, run("2"), "--jobs 1 and 2 differ ({format})");
        assert!(first.contains("false_positive_rate"), "{first}");
    }
}

#[test]
fn authored_rules_pair_lists_the_rounds_whose_verdict_changes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = import_set(tmp.path(), "a", None, &ROUNDS);
    let defaults = Cmd::new(["rules"]).expect_code(0).stdout;
    let keep = defaults.replace(
        "\nlone_critical = \"important\"\n",
        "\nlone_critical = \"keep\"\n",
    );
    assert_ne!(
        keep, defaults,
        "`review-replay rules` no longer sets lone_critical"
    );
    let rules = tmp.path().join("keep-lone-criticals.toml");
    std::fs::write(&rules, keep).expect("write rules");
    let args = |format: &str| {
        Cmd::new([
            "eval".to_string(),
            a.display().to_string(),
            "--rules-candidate".into(),
            rules.display().to_string(),
            "--fail-if".into(),
            "verdict_changes > 0".into(),
            "--format".into(),
            format.into(),
        ])
    };
    // Claude's lone criticals in PR 22 and PR 25 are re-rated by default and kept
    // by the candidate rules; gemini's lone criticals are false positives.
    let out = args("md").expect_code(1);
    assert!(
        out.stdout.contains(
            "2 of 6 paired rounds change verdict.\n\n| round | baseline | candidate |\n|---|---|---|\n\
             | `kiln-pr-22-r1` | Merge with fixes | Rework |\n\
             | `kiln-pr-25-r1` | Merge with fixes | Rework |\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("- **FAIL** `verdict_changes > 0`: value +2 > +0"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("gate failed: verdict_changes > 0"),
        "{}",
        out.stderr
    );
    let out = args("json").expect_code(1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let changed: Vec<&str> = v["rounds"]
        .as_array()
        .expect("rounds")
        .iter()
        .filter(|r| r["changed"] == true)
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(changed, ["kiln-pr-22-r1", "kiln-pr-25-r1"]);
    assert_eq!(v["rounds"][1]["baseline_verdict"], "merge-with-fixes");
    assert_eq!(v["rounds"][1]["candidate_verdict"], "rework");
    assert_eq!(v["rounds"].as_array().map(Vec::len), Some(6));
    assert!(v["baseline"].as_str().expect("label").contains("built-in"));

    // The same rules on both sides change nothing.
    Cmd::new([
        "eval".to_string(),
        a.display().to_string(),
        "--rules-baseline".into(),
        rules.display().to_string(),
        "--rules-candidate".into(),
        rules.display().to_string(),
        "--fail-if".into(),
        "verdict_changes > 0".into(),
    ])
    .expect_code(0);
}

#[test]
fn authored_round_in_one_set_only_is_reported_and_left_out() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = import_set(tmp.path(), "a", None, &ROUNDS);
    let b = import_set(tmp.path(), "b", Some("prompt-b"), &ROUNDS[..5]);
    let out = eval_sets(&a, &b, &["--format", "json"]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["only_baseline"], serde_json::json!(["kiln-pr-26-r1"]));
    assert_eq!(v["only_candidate"], serde_json::json!([]));
    assert_eq!(v["paired_rounds"].as_array().map(Vec::len), Some(5));
    assert_eq!(v["rounds"].as_array().map(Vec::len), Some(5));
    // PR 26 had gemini's three findings (two false positives): left out of the baseline.
    let raised = metric(&v, "raised", Some("gemini"));
    assert_eq!(raised["baseline"], 11.0, "{raised}");
    assert_eq!(raised["rounds"], 5);
    assert_eq!(
        metric(&v, "false_positive_rate", Some("gemini"))["baseline"],
        0.545455
    );
    let md = eval_sets(&a, &b, &[]).expect_code(0);
    assert!(
        md.stdout
            .contains("- Only in baseline (left out): `kiln-pr-26-r1`"),
        "{}",
        md.stdout
    );
}

#[test]
fn authored_eval_fixtures_copy_no_corpus_line() {
    let Some(corpus) = crate::common::corpus_dir() else {
        return;
    };
    let mut corpus_lines = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&corpus).expect("corpus") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).expect("utf-8");
            corpus_lines.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| l.len() >= 40)
                    .map(str::to_string),
            );
        }
    }
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(eval_fixtures()) {
        let entry = entry.expect("entry");
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).expect("utf-8");
            for line in text.lines() {
                assert!(
                    !corpus_lines.contains(line.trim()),
                    "{}: copies a corpus line: {line}",
                    entry.path().display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 24, "{checked} review files");
}

#[test]
fn invalid_gate_expressions_are_usage_errors_saying_what_was_expected() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_side(&dir.path().join("base"), &GOOD, None);
    write_side(&dir.path().join("cand"), &GOOD, None);
    for (expr, what) in [
        ("bogus > 0", "unknown metric `bogus`"),
        ("recall >", "missing threshold"),
        ("recall[gemini > 0", "missing `]` after the agent"),
        ("survival_rate < x", "invalid threshold `x`"),
        ("", "missing metric name"),
    ] {
        let out = eval(dir.path(), &["--fail-if", expr]).expect_code(2);
        assert!(
            out.stderr
                .contains(&format!("invalid --fail-if `{expr}`: {what}")),
            "{expr}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("expected METRIC[AGENT] OP THRESHOLD"),
            "{expr}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{expr}: {}", out.stdout);
    }
}

#[test]
fn unreadable_inputs_are_named_with_their_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_side(&dir.path().join("base"), &GOOD, None);
    write_side(&dir.path().join("cand"), &GOOD, None);
    let broken = dir.path().join("cand").join("broken.json");
    std::fs::write(
        &broken,
        "{\"schema\": \"review-replay/cassette/v1\", \"round\": ",
    )
    .expect("write");
    let out = eval(dir.path(), &[]).expect_code(2);
    assert!(
        out.stderr.contains(&format!("{}:", broken.display())),
        "{}",
        out.stderr
    );
    let missing = dir.path().join("nowhere");
    let out = Cmd::new([
        "eval".to_string(),
        "--baseline".into(),
        missing.display().to_string(),
        "--candidate".into(),
        dir.path().join("base").display().to_string(),
    ])
    .expect_code(2);
    assert!(
        out.stderr
            .contains(&format!("cannot read {}", missing.display())),
        "{}",
        out.stderr
    );

    // reproduce: the unreadable inputs are named, the others still compared, exit 1.
    let rdir = tempfile::tempdir().expect("tempdir");
    std::fs::write(rdir.path().join("ok.json"), cassette("ok-round", None)).expect("write");
    std::fs::write(rdir.path().join("broken.json"), "{").expect("write");
    std::fs::write(rdir.path().join("latin1.md"), b"## Findings\n\xe9t\xe9\n").expect("write");
    let out = Cmd::new(["reproduce", "."])
        .current_dir(rdir.path())
        .expect_code(1);
    let errors = out.errors();
    assert_eq!(errors.len(), 2, "{}", out.stderr);
    assert!(errors[0].starts_with("error: ./broken.json:"), "{errors:?}");
    assert!(errors[1].contains("latin1.md"), "{errors:?}");
    assert!(
        out.stderr
            .contains("notice: skipped ok.json (round ok-round): no reference"),
        "{}",
        out.stderr
    );
    let out = Cmd::new(["reproduce", "nowhere"])
        .current_dir(rdir.path())
        .expect_code(2);
    assert!(out.stderr.contains("cannot read nowhere"), "{}", out.stderr);
}

#[test]
fn calibration_rules_print_only_toml_and_refuse_other_formats() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.json"), cassette("a-round", None)).expect("write");
    let out = Cmd::new(["reproduce", "--calibration-rules", "."])
        .current_dir(dir.path())
        .expect_code(0);
    // No round with a reference: a header comment and no table, still valid TOML.
    assert!(
        out.stdout.starts_with(
            "# Calibration profile of 0 rounds (review-replay reproduce --calibration-rules).\n"
        ),
        "{}",
        out.stdout
    );
    let t: toml::Value = toml::from_str(&out.stdout).expect("toml");
    assert!(t.as_table().is_some_and(|t| t.is_empty()), "{t}");
    assert!(
        out.stderr.contains("notice: skipped a.json"),
        "{}",
        out.stderr
    );
    for other in ["--format", "--calibration"] {
        let mut args = vec!["reproduce", "--calibration-rules", other];
        if other == "--format" {
            args.push("json");
        }
        args.push(".");
        let out = Cmd::new(args).current_dir(dir.path()).expect_code(2);
        assert!(out.stderr.contains("cannot be used with"), "{}", out.stderr);
    }
}

#[test]
fn with_several_unreadable_inputs_eval_names_the_first_by_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_side(&dir.path().join("base"), &GOOD, None);
    write_side(&dir.path().join("cand"), &GOOD, None);
    for name in ["a-broken.json", "m-broken.json", "z-broken.json"] {
        std::fs::write(dir.path().join("cand").join(name), "[").expect("write");
    }
    for jobs in ["1", "4", "4", "4"] {
        let out = eval(dir.path(), &["-j", jobs]).expect_code(2);
        assert!(out.stderr.contains("a-broken.json:"), "{}", out.stderr);
        assert!(!out.stderr.contains("z-broken.json"), "{}", out.stderr);
    }
}
