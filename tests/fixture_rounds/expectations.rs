//! The spec table of `tests/fixtures/rounds/README.md`, checked through the library.
//!
//! One test per authored round replays its bundled cassette with the default rules and
//! compares the whole outcome with what the README states: every consolidated finding
//! as `severity status sources` (sources sorted, named `agent[ pN]:ID` or
//! `agent[ pN]:#ordinal` like the README), what was dropped or moved and why, the
//! notices, the deciding finding of the verdict and the retro figures the spec names.
//! Lists are compared whole, so a failure shows the expected and the actual outcome
//! of the round side by side.

use std::path::Path;

use review_replay::cassette::Cassette;
use review_replay::consolidate::engine::{ReplayOptions, replay};
use review_replay::consolidate::rules::Rules;
use review_replay::report::{ConsolidatedFinding, Report, SourceRef};

use crate::common;

/// What the README says about one round.
#[derive(Default)]
struct Spec {
    /// Verdict key (`rework`, `merge-with-fixes`, `merge-as-is`).
    verdict: &'static str,
    /// Sources of the finding the verdict reason must name first, if the spec names one.
    decided_by: Option<&'static str>,
    /// `severity status sources...`, one per consolidated finding.
    findings: &'static [&'static str],
    /// Per cluster (by sources): the files its locations must cite, in order.
    located: &'static [(&'static str, &'static [&'static str])],
    /// `sources... reason`: prefixes of the rendered dropped entries.
    dropped: &'static [&'static str],
    /// `sources... reason`: prefixes of the rendered moved entries.
    moved: &'static [&'static str],
    /// One substring per expected notice; no other notice may appear.
    notices: &'static [&'static str],
    /// `(agent, retro field, value)`.
    retro: &'static [(&'static str, &'static str, u64)],
}

fn label(s: &SourceRef) -> String {
    let pass = if s.pass > 1 {
        format!(" p{}", s.pass)
    } else {
        String::new()
    };
    let id = s
        .raised_id
        .clone()
        .unwrap_or_else(|| format!("#{}", s.ordinal));
    format!("{}{pass}:{id}", s.agent)
}

/// Sorted source labels joined by spaces.
fn sources(refs: &[SourceRef]) -> String {
    let mut labels: Vec<String> = refs.iter().map(label).collect();
    labels.sort();
    labels.join(" ")
}

fn key<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => panic!("not a string enum: {other:?}"),
    }
}

fn render_finding(f: &ConsolidatedFinding) -> String {
    format!(
        "{} {} {}",
        key(&f.severity),
        key(&f.status),
        sources(&f.sources)
    )
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Every expected entry must be a prefix of the actual entry at the same place (both
/// sorted); the lists are printed whole on failure.
#[track_caller]
fn assert_prefixes(round: &str, what: &str, expected: &[&str], actual: Vec<String>) {
    let actual = sorted(actual);
    let mut expected: Vec<&str> = expected.to_vec();
    expected.sort();
    let ok = expected.len() == actual.len()
        && expected.iter().zip(&actual).all(|(e, a)| a.starts_with(e));
    assert!(
        ok,
        "{round}: {what}\n  expected (prefixes): {expected:#?}\n  actual: {actual:#?}"
    );
}

fn replay_round(round: &str) -> Report {
    let path = common::repo_root()
        .join("cassettes")
        .join(format!("{round}.json"));
    let cassette = Cassette::load(Path::new(&path))
        .unwrap_or_else(|e| panic!("{round}: cassette does not load: {e}"));
    replay(&cassette, &Rules::default(), ReplayOptions::default())
}

#[track_caller]
fn check(round: &str, spec: Spec) {
    let report = replay_round(round);

    let mut expected: Vec<String> = spec.findings.iter().map(|s| s.to_string()).collect();
    expected.sort();
    let actual = sorted(report.findings.iter().map(render_finding).collect());
    assert_eq!(expected, actual, "{round}: consolidated findings");

    for (cluster, files) in spec.located {
        let finding = report
            .findings
            .iter()
            .find(|f| sources(&f.sources) == *cluster)
            .unwrap_or_else(|| panic!("{round}: no finding with sources {cluster}"));
        let paths: Vec<&str> = finding.locations.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(*files, paths, "{round}: locations of {{{cluster}}}");
    }

    assert_prefixes(
        round,
        "dropped",
        spec.dropped,
        report
            .dropped
            .iter()
            .map(|d| format!("{} {} {}", sources(&d.sources), d.reason, d.detail))
            .collect(),
    );
    assert_prefixes(
        round,
        "moved",
        spec.moved,
        report
            .moved
            .iter()
            .map(|m| format!("{} {}", sources(&m.sources), m.reason))
            .collect(),
    );

    let notices_ok = spec.notices.len() == report.notices.len()
        && spec
            .notices
            .iter()
            .all(|n| report.notices.iter().any(|a| a.contains(n)));
    assert!(
        notices_ok,
        "{round}: notices\n  expected (substrings): {:#?}\n  actual: {:#?}",
        spec.notices, report.notices
    );

    assert_eq!(
        spec.verdict,
        report.verdict.decision.key(),
        "{round}: verdict ({})",
        report.verdict.reason
    );
    if let Some(cluster) = spec.decided_by {
        let finding = report
            .findings
            .iter()
            .find(|f| sources(&f.sources) == cluster)
            .unwrap_or_else(|| panic!("{round}: no finding with sources {cluster}"));
        let named = format!("{} \"{}\"", finding.id, finding.title);
        let first = report.verdict.reason.split_once(": ").map(|(_, rest)| rest);
        assert!(
            first.is_some_and(|rest| rest.starts_with(&named)),
            "{round}: the verdict must be decided by {{{cluster}}} ({named}); reason: {}",
            report.verdict.reason
        );
    }

    let mut expected_retro = Vec::new();
    let mut actual_retro = Vec::new();
    for (agent, field, value) in spec.retro {
        expected_retro.push(format!("{agent} {field} {value}"));
        let row = report
            .agents
            .iter()
            .find(|a| a.agent == *agent)
            .unwrap_or_else(|| panic!("{round}: no retro row for {agent}"));
        let json = serde_json::to_value(row).unwrap_or_default();
        let got = json
            .get(field)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or_else(|| panic!("{round}: retro has no numeric field {field}"));
        actual_retro.push(format!("{agent} {field} {got}"));
    }
    assert_eq!(expected_retro, actual_retro, "{round}: retro");
}

/// `coverage_misses` of claude, codex and gemini, as a `Spec::retro` list.
macro_rules! misses {
    ($claude:literal, $codex:literal, $gemini:literal) => {
        &[
            ("claude", "coverage_misses", $claude),
            ("codex", "coverage_misses", $codex),
            ("gemini", "coverage_misses", $gemini),
        ]
    };
}

macro_rules! round {
    ($test:ident, $round:literal, $spec:expr) => {
        #[test]
        fn $test() {
            check($round, $spec);
        }
    };
}

round!(
    harbor_pr_41_consensus,
    "harbor-pr-41-r1-consensus",
    Spec {
        verdict: "merge-with-fixes",
        decided_by: Some("claude:I1 codex:#1 gemini:I1"),
        findings: &[
            "important open claude:I1 codex:#1 gemini:I1",
            "suggestion open claude:S1",
            "suggestion open claude:S2",
            "suggestion open codex:#2",
            "suggestion open gemini:S1",
        ],
        retro: misses!(0, 2, 2),
        ..Spec::default()
    }
);

round!(
    harbor_pr_44_critical_vs_suggestion,
    "harbor-pr-44-r1-critical-vs-suggestion",
    Spec {
        verdict: "merge-with-fixes",
        findings: &[
            "important open codex:#1 gemini:S2",
            "important open claude:I1",
            "suggestion open codex:#2",
            "suggestion open gemini:S1",
            "suggestion open claude:S1",
        ],
        retro: &[
            ("codex", "downgraded", 1),
            ("gemini", "downgraded", 0),
            ("claude", "coverage_misses", 0),
            ("codex", "coverage_misses", 0),
            ("gemini", "coverage_misses", 0),
        ],
        ..Spec::default()
    }
);

round!(
    ferry_pr_12_critical_vs_important,
    "ferry-pr-12-r1-critical-vs-important",
    Spec {
        verdict: "rework",
        decided_by: Some("claude:C1 gemini:C1"),
        findings: &[
            "critical open claude:C1 gemini:C1",
            "important open claude:I1 codex:C1",
            "suggestion open claude:S1",
            "suggestion open codex:S1",
            "suggestion open gemini:S1",
        ],
        retro: &[
            ("codex", "downgraded", 1),
            ("claude", "coverage_misses", 0),
            ("codex", "coverage_misses", 2),
            ("gemini", "coverage_misses", 0),
        ],
        ..Spec::default()
    }
);

round!(
    harbor_pr_52_lone_critical,
    "harbor-pr-52-r1-lone-critical",
    Spec {
        verdict: "merge-with-fixes",
        decided_by: Some("gemini:C1"),
        findings: &[
            "important open gemini:C1",
            "suggestion open claude:S1",
            "suggestion open claude:S2",
            "suggestion open codex:#1",
        ],
        retro: &[
            ("gemini", "downgraded", 1),
            ("claude", "coverage_misses", 0),
            ("codex", "coverage_misses", 0),
            ("gemini", "coverage_misses", 0),
        ],
        ..Spec::default()
    }
);

round!(
    ferry_pr_15_lone_critical_confirmed,
    "ferry-pr-15-r1-lone-critical-confirmed",
    Spec {
        verdict: "rework",
        decided_by: Some("claude:C1"),
        findings: &[
            "critical open claude:C1",
            "important open codex:#1",
            "suggestion open claude:S1",
            "suggestion open codex:#2",
            "suggestion open gemini:S1",
        ],
        retro: &[
            ("claude", "downgraded", 0),
            ("codex", "downgraded", 0),
            ("gemini", "downgraded", 0),
            ("claude", "coverage_misses", 1),
            ("codex", "coverage_misses", 0),
            ("gemini", "coverage_misses", 2),
        ],
        ..Spec::default()
    }
);

round!(
    tidepool_pr_8_clean_merge_as_is,
    "tidepool-pr-8-r1-clean-merge-as-is",
    Spec {
        verdict: "merge-as-is",
        findings: &[
            "suggestion open claude:S1 codex:S1",
            "suggestion open claude:S2"
        ],
        retro: misses!(0, 1, 2),
        ..Spec::default()
    }
);

round!(
    harbor_pr_58_missing_agent,
    "harbor-pr-58-r1-missing-agent",
    Spec {
        verdict: "merge-with-fixes",
        findings: &[
            "important open claude:I1 gemini:I2",
            "important open gemini:I1",
            "suggestion open claude:S1",
        ],
        notices: &["codex"],
        retro: misses!(0, 0, 0),
        ..Spec::default()
    }
);

round!(
    harbor_pr_60_no_location,
    "harbor-pr-60-r1-no-location",
    Spec {
        verdict: "merge-with-fixes",
        findings: &[
            "important open codex:#1",
            "important open claude:I1",
            "suggestion open gemini:S1",
            "suggestion open claude:S1",
        ],
        located: &[("codex:#1", &[]), ("gemini:S1", &[])],
        retro: misses!(0, 0, 0),
        ..Spec::default()
    }
);

round!(
    harbor_pr_61_two_passes,
    "harbor-pr-61-r1-two-passes",
    Spec {
        verdict: "merge-with-fixes",
        findings: &[
            "important open claude:I1 codex p2:I1 codex:I1",
            "important open codex p2:I2",
            "suggestion open claude:S1",
            "suggestion open codex:S1",
            "suggestion open gemini:S1",
        ],
        retro: misses!(0, 0, 1),
        ..Spec::default()
    }
);

round!(
    harbor_pr_63_adjudications,
    "harbor-pr-63-r1-adjudications",
    Spec {
        verdict: "merge-with-fixes",
        decided_by: Some("claude:I1 codex:#1"),
        findings: &[
            "important open claude:I1 codex:#1",
            "important fixed codex:#2",
            "suggestion open gemini:I1",
            "suggestion deferred claude:S1",
        ],
        dropped: &["gemini:C1 false-positive", "claude:I3 declined"],
        moved: &["claude:I2 pre-existing", "codex:#3 out-of-scope"],
        notices: &["codex pass 1 id I9"],
        retro: &[
            ("gemini", "false_positives", 1),
            ("gemini", "downgraded", 1),
            // `dropped` counts dropped and moved raw findings (docs/metrics.md).
            ("gemini", "dropped", 1),
            ("claude", "dropped", 2),
            ("codex", "dropped", 1),
            ("claude", "coverage_misses", 1),
            ("codex", "coverage_misses", 0),
            ("gemini", "coverage_misses", 1),
        ],
        ..Spec::default()
    }
);

round!(
    harbor_pr_66_prior_round_one,
    "harbor-pr-66-r1-prior-round-one",
    Spec {
        verdict: "merge-with-fixes",
        findings: &[
            "important open claude:I1 codex:I1",
            "important open gemini:I1",
            "suggestion open claude:S1",
        ],
        retro: misses!(0, 0, 0),
        ..Spec::default()
    }
);

round!(
    harbor_pr_66_prior_declined_reraised,
    "harbor-pr-66-r2-prior-declined-reraised",
    Spec {
        verdict: "merge-as-is",
        findings: &["suggestion open claude:S1"],
        dropped: &["gemini:I1 declined prior-round: matches round 1 I1"],
        retro: &[
            ("gemini", "dropped", 1),
            ("gemini", "false_positives", 0),
            ("claude", "coverage_misses", 0),
            ("codex", "coverage_misses", 1),
            ("gemini", "coverage_misses", 0),
        ],
        ..Spec::default()
    }
);

round!(
    harbor_pr_70_cross_file_and_same_file,
    "harbor-pr-70-r1-cross-file-and-same-file",
    Spec {
        verdict: "merge-with-fixes",
        findings: &[
            "important open claude:I1 codex:I1",
            "important open gemini:I1",
            "important open claude:I2",
            "suggestion open claude:S1",
            "suggestion open codex:S1",
            "suggestion open gemini:S1",
        ],
        located: &[(
            "claude:I1 codex:I1",
            &["internal/config/config.go", "pkg/sync/scheduler.go"],
        )],
        retro: misses!(0, 0, 2),
        ..Spec::default()
    }
);

round!(
    harbor_pr_72_coverage_miss,
    "harbor-pr-72-r1-coverage-miss",
    Spec {
        verdict: "merge-with-fixes",
        decided_by: Some("claude:I1"),
        findings: &[
            "suggestion open codex:I1 gemini:S1",
            "important open claude:I1"
        ],
        dropped: &["codex:I2 false-positive"],
        retro: &[
            ("codex", "false_positives", 1),
            ("codex", "dropped", 1),
            ("codex", "downgraded", 1),
            ("claude", "coverage_misses", 1),
            ("codex", "coverage_misses", 1),
            ("gemini", "coverage_misses", 1),
        ],
        ..Spec::default()
    }
);

round!(
    harbor_pr_75_odd_markdown,
    "harbor-pr-75-r1-odd-markdown",
    Spec {
        verdict: "merge-with-fixes",
        findings: &[
            "important open claude:I1 gemini:I1",
            "suggestion open claude:S1",
            "suggestion open gemini:S1",
            "suggestion open gemini:S2",
        ],
        // Codex's review is a summary naming findings it does not hold.
        notices: &["incomplete review: codex pass 1 (summary-only)"],
        retro: misses!(0, 0, 0),
        ..Spec::default()
    }
);

/// The rounds above; a new round directory without a spec test fails here.
const SPECIFIED: [&str; 15] = [
    "ferry-pr-12-r1-critical-vs-important",
    "ferry-pr-15-r1-lone-critical-confirmed",
    "harbor-pr-41-r1-consensus",
    "harbor-pr-44-r1-critical-vs-suggestion",
    "harbor-pr-52-r1-lone-critical",
    "harbor-pr-58-r1-missing-agent",
    "harbor-pr-60-r1-no-location",
    "harbor-pr-61-r1-two-passes",
    "harbor-pr-63-r1-adjudications",
    "harbor-pr-66-r1-prior-round-one",
    "harbor-pr-66-r2-prior-declined-reraised",
    "harbor-pr-70-r1-cross-file-and-same-file",
    "harbor-pr-72-r1-coverage-miss",
    "harbor-pr-75-r1-odd-markdown",
    "tidepool-pr-8-r1-clean-merge-as-is",
];

#[test]
fn every_round_has_a_spec_test() {
    let dir = common::repo_root()
        .join("tests")
        .join("fixtures")
        .join("rounds");
    let mut rounds: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/fixtures/rounds is readable")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    rounds.sort();
    assert_eq!(rounds, SPECIFIED);
}
