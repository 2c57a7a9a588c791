//! Engine tests on the library API: one test per rule (with edges), clusters a
//! human consolidator made in two real rounds (rebuilt by hand from paths, lines,
//! identifiers and paraphrased titles), properties, snapshots and the commands.

use std::collections::BTreeMap;

use proptest::prelude::*;
use review_replay::cassette::{
    Adjudication, Cassette, Confidence, Decision, Interaction, PriorResolution, RawRef,
    ResolutionStatus, Reviewer, Role, RoundMeta,
};
use review_replay::consolidate::engine::{AgentReview, ReplayOptions, consolidate};
use review_replay::consolidate::rules::Rules;
use review_replay::model::{
    CoverageEntry, CoverageStatus, DesignObservation, Location, ObservationKind, ParsedReview,
    RawFinding, Scope, Severity,
};
use review_replay::render;
use review_replay::report::{FindingStatus, Report, VerdictDecision};

use crate::common::Cmd;

use Severity::{Critical as C, Important as I, Suggestion as S};

// ---------------------------------------------------------------- builders

fn loc(spec: &str) -> Location {
    // `path:start-end`, `path:line` or `path`.
    match spec.rsplit_once(':') {
        Some((path, lines)) => {
            let (s, e) = match lines.split_once('-') {
                Some((s, e)) => (s.parse().ok(), e.parse().ok()),
                None => (lines.parse().ok(), lines.parse().ok()),
            };
            Location {
                path: path.to_string(),
                start: s,
                end: e,
            }
        }
        None => Location {
            path: spec.to_string(),
            start: None,
            end: None,
        },
    }
}

/// A raw finding: ordinal, severity, title, locations, body.
fn f(ordinal: u32, severity: Severity, title: &str, locs: &[&str], body: &str) -> RawFinding {
    RawFinding {
        ordinal,
        raised_id: None,
        severity,
        classification: Some("regression".into()),
        tags: Vec::new(),
        title: title.to_string(),
        locations: locs.iter().map(|l| loc(l)).collect(),
        body: body.to_string(),
        fix: None,
        code_blocks: Vec::new(),
        line: ordinal * 10,
    }
}

/// Numbers the agent's own ids per severity (`C1`, `I1`, `I2`, `S1`), as reviews do.
fn with_ids(mut findings: Vec<RawFinding>) -> Vec<RawFinding> {
    let mut n: BTreeMap<Severity, u32> = BTreeMap::new();
    for f in &mut findings {
        let c = n.entry(f.severity).or_insert(0);
        *c += 1;
        f.raised_id = Some(format!("{}{}", f.severity.letter(), c));
    }
    findings
}

fn review(agent: &str, findings: Vec<RawFinding>) -> AgentReview {
    AgentReview {
        agent: agent.to_string(),
        pass: 1,
        model: Some(model_of(agent).to_string()),
        duration_s: Some(300.0),
        tool_calls: Some(20),
        review: ParsedReview {
            findings: with_ids(findings),
            ..ParsedReview::default()
        },
        incomplete: None,
    }
}

fn model_of(agent: &str) -> &'static str {
    match agent {
        "claude" => "Claude Opus 4.6",
        "codex" => "Codex GPT 5.4",
        "gemini" => "Gemini 3.1 Pro",
        _ => "Other Model 1",
    }
}

fn round(id: &str, agents: &[&str]) -> RoundMeta {
    RoundMeta {
        id: id.to_string(),
        reviewers: agents
            .iter()
            .map(|a| Reviewer {
                agent: a.to_string(),
                model: model_of(a).to_string(),
                effort: None,
            })
            .collect(),
        ..RoundMeta::default()
    }
}

fn run(reviews: &[AgentReview]) -> Report {
    run_with(
        reviews,
        &[],
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    )
}

fn run_with(
    reviews: &[AgentReview],
    adjudications: &[Adjudication],
    prior: &[PriorResolution],
    rules: &Rules,
    options: ReplayOptions,
) -> Report {
    let agents: Vec<&str> = {
        let mut a: Vec<&str> = reviews.iter().map(|r| r.agent.as_str()).collect();
        a.sort();
        a.dedup();
        a
    };
    consolidate(
        &round("test-round", &agents),
        reviews,
        adjudications,
        prior,
        rules,
        options,
    )
}

fn adj(about: &[(&str, &str)], decision: Decision, reason: &str) -> Adjudication {
    Adjudication {
        about: about
            .iter()
            .map(|(agent, id)| RawRef {
                agent: agent.to_string(),
                pass: 1,
                id: Some(id.to_string()),
                ordinal: None,
                section: None,
            })
            .collect(),
        decision,
        reason: reason.to_string(),
        confidence: Confidence::Sure,
    }
}

/// Each consolidated finding as its sorted `agent#ordinal` sources.
fn groups(report: &Report) -> Vec<Vec<String>> {
    let mut g: Vec<Vec<String>> = report
        .findings
        .iter()
        .map(|f| {
            let mut v: Vec<String> = f
                .sources
                .iter()
                .map(|s| format!("{}#{}", s.agent, s.ordinal))
                .collect();
            v.sort();
            v
        })
        .collect();
    g.sort();
    g
}

fn group_of<'a>(
    report: &'a Report,
    source: &str,
) -> &'a review_replay::report::ConsolidatedFinding {
    let found = report.findings.iter().find(|f| {
        f.sources
            .iter()
            .any(|s| format!("{}#{}", s.agent, s.ordinal) == source)
    });
    match found {
        Some(f) => f,
        None => panic!(
            "{source} is in no consolidated finding:\n{}",
            render::json::render(report)
        ),
    }
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

// A generic issue that two agents describe alike.
fn nil_map(ordinal: u32, sev: Severity, path: &str, line: &str) -> RawFinding {
    f(
        ordinal,
        sev,
        "Nil map write panics in `applyDefaults` when the config is empty",
        &[&format!("{path}:{line}")],
        "`parseConfig` returns a nil `settings` map for an empty document and `applyDefaults` writes into it.",
    )
}

fn unrelated(ordinal: u32, sev: Severity, path: &str, line: &str) -> RawFinding {
    f(
        ordinal,
        sev,
        "Retry loop in `syncVolumes` never backs off",
        &[&format!("{path}:{line}")],
        "`syncVolumes` re-queues immediately on every `Conflict` so the controller spins.",
    )
}

// ---------------------------------------------------------------- consensus

#[test]
fn two_agents_split_critical_suggestion_end_important() {
    let r = run(&[
        review("claude", vec![nil_map(1, C, "pkg/app.go", "40-45")]),
        review("codex", vec![nil_map(1, S, "pkg/app.go", "41")]),
    ]);
    assert_eq!(groups(&r), vec![strs(&["claude#1", "codex#1"])]);
    let only = &r.findings[0];
    // Second-highest is suggestion, but the cluster may end at most one level below
    // the highest raised (critical): important.
    assert_eq!(only.severity, I);
    assert!(only.decisions.iter().any(|d| d.rule == "consensus"));
}

#[test]
fn two_agents_split_critical_suggestion_with_zero_drop_allowed() {
    let mut rules = Rules::default();
    rules.severity.max_consensus_drop = 2;
    let r = run_with(
        &[
            review("claude", vec![nil_map(1, C, "pkg/app.go", "40-45")]),
            review("codex", vec![nil_map(1, S, "pkg/app.go", "41")]),
        ],
        &[],
        &[],
        &rules,
        ReplayOptions::default(),
    );
    assert_eq!(r.findings[0].severity, S);
}

#[test]
fn three_agents_critical_important_suggestion_end_important() {
    let r = run(&[
        review("claude", vec![nil_map(1, C, "pkg/app.go", "40-45")]),
        review("codex", vec![nil_map(1, I, "pkg/app.go", "41")]),
        review("gemini", vec![nil_map(1, S, "app.go", "44")]),
    ]);
    assert_eq!(groups(&r), vec![strs(&["claude#1", "codex#1", "gemini#1"])]);
    assert_eq!(r.findings[0].severity, I);
    assert_eq!(r.findings[0].agents, strs(&["claude", "codex", "gemini"]));
    // The bare file name is folded into the full path another agent gave.
    assert!(
        r.findings[0]
            .locations
            .iter()
            .all(|l| l.path == "pkg/app.go")
    );
}

#[test]
fn two_criticals_stay_critical() {
    let r = run(&[
        review("claude", vec![nil_map(1, C, "pkg/app.go", "40-45")]),
        review("codex", vec![nil_map(1, C, "pkg/app.go", "41")]),
        review("gemini", vec![nil_map(1, S, "pkg/app.go", "41")]),
    ]);
    assert_eq!(r.findings[0].severity, C);
    assert_eq!(r.verdict.decision, VerdictDecision::Rework);
}

#[test]
fn single_agent_keeps_its_severity() {
    let r = run(&[
        review("claude", vec![nil_map(1, I, "pkg/app.go", "40")]),
        review("codex", vec![unrelated(1, S, "pkg/volumes.go", "10")]),
    ]);
    assert_eq!(groups(&r).len(), 2);
    assert_eq!(group_of(&r, "claude#1").severity, I);
    assert_eq!(group_of(&r, "codex#1").severity, S);
    assert!(
        group_of(&r, "claude#1")
            .decisions
            .iter()
            .any(|d| d.rule == "single-agent")
    );
}

// ---------------------------------------------------------------- lone critical

#[test]
fn lone_critical_becomes_important() {
    let r = run(&[review("gemini", vec![nil_map(1, C, "pkg/app.go", "40")])]);
    assert_eq!(r.findings[0].severity, I);
    assert_eq!(r.findings[0].id, "I1");
    assert!(
        r.findings[0]
            .decisions
            .iter()
            .any(|d| d.rule == "lone-critical")
    );
    assert_eq!(r.verdict.decision, VerdictDecision::MergeWithFixes);
}

#[test]
fn lone_critical_confirmed_by_adjudication_stays_critical() {
    let reviews = [review("gemini", vec![nil_map(1, C, "pkg/app.go", "40")])];
    let adjs = [adj(
        &[("gemini", "C1")],
        Decision::Confirm,
        "verified by hand",
    )];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.findings[0].severity, C);
    assert_eq!(r.verdict.decision, VerdictDecision::Rework);
    assert!(r.verdict.reason.contains("C1 \""), "{}", r.verdict.reason);
    // --rules-only ignores the adjudication.
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions { rules_only: true },
    );
    assert_eq!(r.findings[0].severity, I);
}

#[test]
fn lone_critical_rule_can_be_turned_off() {
    let mut rules = Rules::default();
    rules.severity.lone_critical = review_replay::consolidate::rules::LoneCritical::Keep;
    let r = run_with(
        &[review("gemini", vec![nil_map(1, C, "pkg/app.go", "40")])],
        &[],
        &[],
        &rules,
        ReplayOptions::default(),
    );
    assert_eq!(r.findings[0].severity, C);
}

// ---------------------------------------------------------------- adjudications

#[test]
fn adjudication_matching_nothing_is_a_notice() {
    let reviews = [review("claude", vec![nil_map(1, I, "pkg/app.go", "40")])];
    let adjs = [adj(&[("claude", "I7")], Decision::FalsePositive, "")];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.notices.len(), 1, "{:?}", r.notices);
    assert!(r.notices[0].contains("adjudication #1"), "{}", r.notices[0]);
    assert!(
        r.notices[0].contains("claude pass 1 id I7"),
        "{}",
        r.notices[0]
    );
}

#[test]
fn false_positive_is_dropped_and_counted() {
    let reviews = [
        review("claude", vec![nil_map(1, I, "pkg/app.go", "40")]),
        review("gemini", vec![unrelated(1, C, "pkg/volumes.go", "10")]),
    ];
    let adjs = [adj(
        &[("gemini", "C1")],
        Decision::FalsePositive,
        "code does not say that",
    )];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(groups(&r), vec![strs(&["claude#1"])]);
    assert_eq!(r.dropped.len(), 1);
    assert_eq!(r.dropped[0].reason, "false-positive");
    assert!(r.dropped[0].detail.contains("code does not say that"));
    let gemini = r.agents.iter().find(|a| a.agent == "gemini");
    assert_eq!(gemini.map(|a| (a.false_positives, a.dropped)), Some((1, 1)));
}

#[test]
fn false_positive_of_one_member_leaves_the_rest_of_the_cluster() {
    let reviews = [
        review("claude", vec![nil_map(1, I, "pkg/app.go", "40")]),
        review("gemini", vec![nil_map(1, C, "pkg/app.go", "41")]),
    ];
    let adjs = [adj(&[("gemini", "C1")], Decision::FalsePositive, "")];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(groups(&r), vec![strs(&["claude#1"])]);
    assert_eq!(r.findings[0].severity, I);
}

#[test]
fn pre_existing_moves_to_design_observations() {
    let reviews = [review(
        "codex",
        vec![unrelated(1, I, "pkg/volumes.go", "10")],
    )];
    let adjs = [adj(
        &[("codex", "I1")],
        Decision::PreExisting,
        "older than this PR",
    )];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert!(r.findings.is_empty());
    assert_eq!(r.moved.len(), 1);
    assert_eq!(r.moved[0].to, "design-observation");
    assert!(r.moved[0].reason.starts_with("pre-existing"));
    assert_eq!(r.verdict.decision, VerdictDecision::MergeAsIs);
}

#[test]
fn set_severity_wins_over_consensus() {
    let reviews = [
        review("claude", vec![nil_map(1, C, "pkg/app.go", "40")]),
        review("codex", vec![nil_map(1, C, "pkg/app.go", "40")]),
    ];
    let adjs = [adj(
        &[("codex", "C1")],
        Decision::SetSeverity { severity: S },
        "cosmetic",
    )];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.findings[0].severity, S);
    let last = r.findings[0].decisions.last().map(|d| d.rule.clone());
    assert_eq!(last.as_deref(), Some("adjudication"));
}

#[test]
fn conflicting_set_severity_picks_highest_and_records_it() {
    let reviews = [
        review("claude", vec![nil_map(1, I, "pkg/app.go", "40")]),
        review("codex", vec![nil_map(1, I, "pkg/app.go", "40")]),
    ];
    let adjs = [
        adj(
            &[("codex", "I1")],
            Decision::SetSeverity { severity: S },
            "",
        ),
        // Names both: with recorded grouping on, two adjudications meet in one
        // cluster only through a shared raw finding.
        adj(
            &[("claude", "I1"), ("codex", "I1")],
            Decision::SetSeverity { severity: C },
            "",
        ),
    ];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.findings[0].severity, C);
    assert!(
        r.findings[0]
            .decisions
            .iter()
            .any(|d| d.detail.contains("conflict")),
        "{:?}",
        r.findings[0].decisions
    );
}

#[test]
fn unsure_adjudications_are_marked_and_noticed() {
    let reviews = [
        review(
            "claude",
            vec![
                nil_map(1, C, "pkg/app.go", "40"),
                unrelated(2, I, "pkg/sync.go", "10"),
            ],
        ),
        review("codex", vec![nil_map(1, I, "pkg/app.go", "40")]),
    ];
    let mut set = adj(
        &[("claude", "C1"), ("codex", "I1")],
        Decision::SetSeverity { severity: S },
        "reference S1",
    );
    set.confidence = Confidence::Unsure;
    let mut dropped = adj(&[("claude", "I1")], Decision::FalsePositive, "no trace");
    dropped.confidence = Confidence::Unsure;
    // A sure adjudication is not marked; an unsure one that matches nothing decides
    // nothing and gets only the no-match notice.
    let sure = adj(&[("codex", "I1")], Decision::Confirm, "");
    let mut nothing = adj(&[("gemini", "C1")], Decision::Confirm, "");
    nothing.confidence = Confidence::Unsure;
    let adjs = [nothing, dropped, set, sure];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    let finding = group_of(&r, "claude#1");
    let details: Vec<&str> = finding
        .decisions
        .iter()
        .map(|d| d.detail.as_str())
        .collect();
    assert!(
        details.contains(
            &"adjudication #3 (set-severity, unsure mapping): important → suggestion — reference S1"
        ),
        "{details:#?}"
    );
    assert!(
        details.contains(&"adjudication #4 (confirm): stands at suggestion"),
        "{details:#?}"
    );
    assert_eq!(r.dropped.len(), 1);
    assert_eq!(
        r.dropped[0].detail,
        "adjudication #2 (false-positive, unsure mapping): no trace"
    );
    assert_eq!(
        r.notices,
        strs(&[
            "adjudication #1 (confirm) names gemini pass 1 id C1, which matches no raw finding",
            "adjudication #2 (false-positive, unsure mapping) applied to claude#2 — no trace",
            "adjudication #3 (set-severity, unsure mapping) applied to claude#1, codex#1 — reference S1",
        ])
    );
    // Rules-only ignores adjudications, and with them their notices.
    let bare = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions { rules_only: true },
    );
    assert!(bare.notices.is_empty(), "{:?}", bare.notices);
}

#[test]
fn deferred_and_fixed_do_not_block() {
    let reviews = [
        review("claude", vec![nil_map(1, C, "pkg/app.go", "40")]),
        review(
            "codex",
            vec![
                nil_map(1, C, "pkg/app.go", "40"),
                unrelated(2, I, "pkg/volumes.go", "9"),
            ],
        ),
    ];
    let adjs = [
        adj(&[("claude", "C1")], Decision::Deferred, "next PR"),
        adj(&[("codex", "I1")], Decision::Fixed, "fixed in abc123"),
    ];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.findings.len(), 2);
    assert_eq!(group_of(&r, "claude#1").status, FindingStatus::Deferred);
    assert_eq!(group_of(&r, "codex#2").status, FindingStatus::Fixed);
    assert_eq!(r.verdict.decision, VerdictDecision::MergeAsIs);
    // Without the adjudications the same round is a rework.
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions { rules_only: true },
    );
    assert_eq!(r.verdict.decision, VerdictDecision::Rework);
}

#[test]
fn optional_fixes_verdict_when_asked() {
    let reviews = [review(
        "claude",
        vec![unrelated(1, S, "pkg/volumes.go", "9")],
    )];
    assert_eq!(run(&reviews).verdict.decision, VerdictDecision::MergeAsIs);
    let mut rules = Rules::default();
    rules.verdict.suggestions_only = VerdictDecision::MergeWithOptionalFixes;
    let r = run_with(&reviews, &[], &[], &rules, ReplayOptions::default());
    assert_eq!(r.verdict.decision, VerdictDecision::MergeWithOptionalFixes);
    rules.verdict.suggestions_only = VerdictDecision::MergeWithFixes;
    let r = run_with(&reviews, &[], &[], &rules, ReplayOptions::default());
    assert_eq!(r.verdict.decision, VerdictDecision::MergeWithFixes);
}

#[test]
fn verdict_ladder_thresholds_and_blocking_tags() {
    // Two unrelated criticals confirmed by adjudications, in two files.
    let reviews = [review(
        "claude",
        vec![
            unrelated(1, C, "pkg/volumes.go", "10"),
            nil_map(2, C, "pkg/app.go", "40"),
        ],
    )];
    let confirm = [
        adj(&[("claude", "C1")], Decision::Confirm, ""),
        adj(&[("claude", "C2")], Decision::Confirm, ""),
    ];
    let decide = |rules: &Rules| {
        run_with(&reviews, &confirm, &[], rules, ReplayOptions::default())
            .verdict
            .decision
    };
    let mut rules = Rules::default();
    assert_eq!(decide(&rules), VerdictDecision::Rework);
    rules.verdict.rework_min_critical = 2;
    assert_eq!(decide(&rules), VerdictDecision::Rework);
    rules.verdict.rework_min_critical = 3;
    assert_eq!(decide(&rules), VerdictDecision::MergeWithFixes);
    rules.verdict.rework_min_critical = 0;
    assert_eq!(decide(&rules), VerdictDecision::MergeWithFixes);

    // Importants make rework only from the threshold on.
    let importants = [review(
        "codex",
        vec![
            unrelated(1, I, "pkg/volumes.go", "10"),
            nil_map(2, I, "pkg/app.go", "40"),
        ],
    )];
    let mut rules = Rules::default();
    rules.verdict.rework_min_important = 3;
    let r = run_with(&importants, &[], &[], &rules, ReplayOptions::default());
    assert_eq!(r.verdict.decision, VerdictDecision::MergeWithFixes);
    rules.verdict.rework_min_important = 2;
    let r = run_with(&importants, &[], &[], &rules, ReplayOptions::default());
    assert_eq!(r.verdict.decision, VerdictDecision::Rework);
    assert!(
        r.verdict.reason.contains("rework from 2"),
        "{}",
        r.verdict.reason
    );

    // A suggestion tagged as a regression blocks when the rules say so.
    let mut tagged = unrelated(1, S, "pkg/volumes.go", "9");
    tagged.classification = Some("regression".into());
    let reviews = [review("gemini", vec![tagged])];
    assert_eq!(run(&reviews).verdict.decision, VerdictDecision::MergeAsIs);
    let mut rules = Rules::default();
    rules.verdict.blocking_suggestion_tags = vec!["regression".into()];
    let r = run_with(&reviews, &[], &[], &rules, ReplayOptions::default());
    assert_eq!(r.verdict.decision, VerdictDecision::MergeWithFixes);
    assert!(
        r.verdict.reason.contains("tagged regression"),
        "{}",
        r.verdict.reason
    );
}

#[test]
fn conflicting_removals_pick_by_precedence_and_notice() {
    let reviews = [review(
        "codex",
        vec![unrelated(1, I, "pkg/volumes.go", "10")],
    )];
    let adjs = [
        adj(&[("codex", "I1")], Decision::OutOfScope, "later"),
        adj(&[("codex", "I1")], Decision::Declined, "author said no"),
    ];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert!(r.findings.is_empty() && r.moved.is_empty());
    assert_eq!(r.dropped.len(), 1);
    assert_eq!(r.dropped[0].reason, "declined");
    assert!(
        r.notices
            .iter()
            .any(|n| n.contains("conflicting adjudications")),
        "{:?}",
        r.notices
    );
}

#[test]
fn out_of_scope_moves_and_ordinal_refs_work() {
    let reviews = [review(
        "codex",
        vec![unrelated(1, I, "pkg/volumes.go", "10")],
    )];
    let adjs = [Adjudication {
        about: vec![RawRef {
            agent: "Codex".into(),
            pass: 1,
            id: None,
            ordinal: Some(1),
            section: None,
        }],
        decision: Decision::OutOfScope,
        reason: String::new(),
        confidence: Confidence::Unsure,
    }];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.moved.len(), 1);
    assert!(r.moved[0].reason.starts_with("out-of-scope"));
    let codex = r
        .agents
        .iter()
        .find(|a| a.agent == "codex")
        .map(|a| (a.dropped, a.false_positives));
    assert_eq!(codex, Some((1, 0)));
}

// ---------------------------------------------------------------- prior round

fn declined_prior(path: &str, start: u32) -> PriorResolution {
    PriorResolution {
        round: 1,
        id: "I3".into(),
        title: "Nil map write panic in applyDefaults for an empty config".into(),
        locations: vec![Location {
            path: path.into(),
            start: Some(start),
            end: Some(start + 3),
        }],
        status: ResolutionStatus::Declined,
        reason: "empty configs cannot happen".into(),
        severity: None,
    }
}

#[test]
fn declined_prior_item_reraised_at_shifted_lines_is_dropped() {
    let reviews = [review("claude", vec![nil_map(1, I, "pkg/app.go", "58-61")])];
    let r = run_with(
        &reviews,
        &[],
        &[declined_prior("pkg/app.go", 40)],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert!(r.findings.is_empty(), "{}", render::json::render(&r));
    assert_eq!(r.dropped.len(), 1);
    assert_eq!(r.dropped[0].reason, "declined");
    assert!(
        r.dropped[0].detail.contains("round 1 I3"),
        "{}",
        r.dropped[0].detail
    );
}

#[test]
fn declined_prior_item_in_a_renamed_directory_is_dropped() {
    let reviews = [review(
        "claude",
        vec![nil_map(1, I, "internal/app.go", "40")],
    )];
    let r = run_with(
        &reviews,
        &[],
        &[declined_prior("pkg/app.go", 40)],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert!(r.findings.is_empty());
}

#[test]
fn declined_prior_item_does_not_drop_a_different_issue() {
    let reviews = [review("claude", vec![unrelated(1, I, "pkg/app.go", "44")])];
    let r = run_with(
        &reviews,
        &[],
        &[declined_prior("pkg/app.go", 40)],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.findings.len(), 1);
}

#[test]
fn deferred_prior_item_stays_deferred() {
    let mut prior = declined_prior("pkg/app.go", 40);
    prior.status = ResolutionStatus::Deferred;
    let reviews = [review("claude", vec![nil_map(1, I, "pkg/app.go", "44")])];
    let r = run_with(
        &reviews,
        &[],
        &[prior.clone()],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.findings[0].status, FindingStatus::Deferred);
    assert_eq!(r.verdict.decision, VerdictDecision::MergeAsIs);
    let mut rules = Rules::default();
    rules.prior.deferred_stays_deferred = false;
    let r = run_with(&reviews, &[], &[prior], &rules, ReplayOptions::default());
    assert_eq!(r.findings[0].status, FindingStatus::Open);
}

#[test]
fn prior_gate_can_be_turned_off() {
    let mut rules = Rules::default();
    rules.prior.enabled = false;
    let reviews = [review("claude", vec![nil_map(1, I, "pkg/app.go", "40")])];
    let r = run_with(
        &reviews,
        &[],
        &[declined_prior("pkg/app.go", 40)],
        &rules,
        ReplayOptions::default(),
    );
    assert_eq!(r.findings.len(), 1);
}

#[test]
fn adjudication_wins_over_the_prior_round_gate() {
    let reviews = [review("claude", vec![nil_map(1, I, "pkg/app.go", "40")])];
    let adjs = [adj(
        &[("claude", "I1")],
        Decision::Confirm,
        "author changed mind",
    )];
    let r = run_with(
        &reviews,
        &adjs,
        &[declined_prior("pkg/app.go", 40)],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.findings.len(), 1);
    assert!(
        r.findings[0]
            .decisions
            .iter()
            .any(|d| d.rule == "prior-round")
    );
}

// ---------------------------------------------------------------- clustering

#[test]
fn same_agent_findings_are_never_merged() {
    let r = run(&[review(
        "claude",
        vec![
            nil_map(1, I, "pkg/app.go", "40"),
            nil_map(2, S, "pkg/app.go", "40"),
        ],
    )]);
    assert_eq!(groups(&r), vec![strs(&["claude#1"]), strs(&["claude#2"])]);
    let mut rules = Rules::default();
    rules.cluster.merge_same_agent = true;
    let r = run_with(
        &[review(
            "claude",
            vec![
                nil_map(1, I, "pkg/app.go", "40"),
                nil_map(2, S, "pkg/app.go", "40"),
            ],
        )],
        &[],
        &[],
        &rules,
        ReplayOptions::default(),
    );
    assert_eq!(groups(&r), vec![strs(&["claude#1", "claude#2"])]);
}

// ------------------------------------------------ recorded grouping

#[test]
fn one_keep_adjudication_groups_its_findings_whatever_their_similarity() {
    let reviews = [
        review("claude", vec![nil_map(1, I, "pkg/app.go", "40")]),
        review("codex", vec![unrelated(1, I, "pkg/sync.go", "90")]),
    ];
    // Without adjudications, two findings.
    assert_eq!(
        groups(&run(&reviews)),
        vec![strs(&["claude#1"]), strs(&["codex#1"])]
    );
    let adjs = [adj(
        &[("claude", "I1"), ("codex", "I1")],
        Decision::SetSeverity { severity: I },
        "reference I1",
    )];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(groups(&r), vec![strs(&["claude#1", "codex#1"])]);
    let trail: Vec<&str> = r.findings[0]
        .decisions
        .iter()
        .filter(|d| d.rule == "cluster")
        .map(|d| d.detail.as_str())
        .collect();
    assert_eq!(trail.len(), 1, "{trail:?}");
    assert!(
        trail[0].starts_with(
            "merged claude#1 with codex#1: grouped by adjudication #1 (set-severity) (score 0."
        ),
        "{trail:?}"
    );
    // The rules can turn it off, and --rules-only ignores it.
    let mut off = Rules::default();
    off.cluster.follow_adjudications = false;
    let r = run_with(&reviews, &adjs, &[], &off, ReplayOptions::default());
    assert_eq!(groups(&r), vec![strs(&["claude#1"]), strs(&["codex#1"])]);
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions { rules_only: true },
    );
    assert_eq!(groups(&r), vec![strs(&["claude#1"]), strs(&["codex#1"])]);
}

#[test]
fn one_adjudication_groups_two_findings_of_one_agent_pass() {
    let reviews = [review(
        "claude",
        vec![
            nil_map(1, I, "pkg/app.go", "40"),
            unrelated(2, S, "pkg/app.go", "90"),
        ],
    )];
    let adjs = [adj(
        &[("claude", "I1"), ("claude", "S1")],
        Decision::Confirm,
        "",
    )];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(groups(&r), vec![strs(&["claude#1", "claude#2"])]);
}

#[test]
fn findings_of_two_keep_adjudications_are_never_merged() {
    let reviews = [
        review("claude", vec![nil_map(1, I, "pkg/app.go", "40")]),
        review("codex", vec![nil_map(1, I, "pkg/app.go", "40")]),
        review("gemini", vec![nil_map(1, S, "pkg/app.go", "41")]),
    ];
    assert_eq!(
        groups(&run(&reviews)),
        vec![strs(&["claude#1", "codex#1", "gemini#1"])]
    );
    let adjs = [
        adj(&[("claude", "I1")], Decision::Confirm, ""),
        adj(&[("codex", "I1")], Decision::Deferred, "later"),
    ];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    // The unadjudicated gemini finding still joins by similarity, the best-scoring
    // side; the two adjudicated findings stay apart.
    assert_eq!(r.findings.len(), 2, "{:?}", groups(&r));
    assert_ne!(
        group_of(&r, "claude#1").sources,
        group_of(&r, "codex#1").sources
    );
    assert_eq!(group_of(&r, "codex#1").status, FindingStatus::Deferred);
    // Two adjudications naming one raw finding are one group: no contradiction.
    let adjs = [
        adj(&[("claude", "I1")], Decision::Confirm, ""),
        adj(&[("claude", "I1"), ("codex", "I1")], Decision::Deferred, ""),
    ];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(groups(&r), vec![strs(&["claude#1", "codex#1", "gemini#1"])]);
}

#[test]
fn two_issues_in_one_file_are_not_merged() {
    let r = run(&[
        review("claude", vec![nil_map(1, I, "pkg/app.go", "40")]),
        review("codex", vec![unrelated(1, I, "pkg/app.go", "52")]),
    ]);
    assert_eq!(groups(&r), vec![strs(&["claude#1"]), strs(&["codex#1"])]);
}

#[test]
fn one_issue_cited_at_different_files_is_merged() {
    let a = f(
        1,
        I,
        "`rdd set` waits forever for `EngineReady` on containerd",
        &["cmd/rdd/set.go:440-445"],
        "`waitForState` waits on `EngineReady`, which the `EngineReconciler` never sets when `containerEngine.name` is containerd.",
    );
    let b = f(
        1,
        I,
        "`EngineReconciler` never reports `EngineReady` for containerd",
        &["pkg/engine/reconciler.go:68-75"],
        "The reconciler ignores `containerEngine.name`, so `EngineReady` stays false and `waitForState` hangs.",
    );
    let r = run(&[review("claude", vec![a]), review("gemini", vec![b])]);
    assert_eq!(groups(&r), vec![strs(&["claude#1", "gemini#1"])]);
    let trail = &r.findings[0].decisions[0];
    assert_eq!(trail.rule, "cluster");
    assert!(trail.detail.contains("identifiers"), "{}", trail.detail);
}

#[test]
fn generic_titles_in_different_files_are_not_merged() {
    let r = run(&[
        review(
            "claude",
            vec![f(
                1,
                S,
                "Missing error handling",
                &["pkg/a.go:10"],
                "The error is ignored.",
            )],
        ),
        review(
            "codex",
            vec![f(
                1,
                S,
                "Missing error handling",
                &["pkg/b.go:10"],
                "The error is ignored.",
            )],
        ),
    ]);
    assert_eq!(groups(&r), vec![strs(&["claude#1"]), strs(&["codex#1"])]);
    // Without locations the same titles are the only evidence, and they anchor.
    let r = run(&[
        review(
            "claude",
            vec![f(
                1,
                S,
                "Missing error handling",
                &[],
                "The error is ignored.",
            )],
        ),
        review(
            "codex",
            vec![f(
                1,
                S,
                "Missing error handling",
                &[],
                "The error is ignored.",
            )],
        ),
    ]);
    assert_eq!(groups(&r), vec![strs(&["claude#1", "codex#1"])]);
}

#[test]
fn better_match_wins_when_an_agent_has_two_candidates() {
    // codex#1 is the same issue as claude#1; codex#2 is merely nearby.
    let r = run(&[
        review("claude", vec![nil_map(1, I, "pkg/app.go", "40")]),
        review(
            "codex",
            vec![
                unrelated(1, I, "pkg/app.go", "42"),
                nil_map(2, I, "pkg/app.go", "41"),
            ],
        ),
    ]);
    assert_eq!(
        groups(&r),
        vec![strs(&["claude#1", "codex#2"]), strs(&["codex#1"])]
    );
}

// ---------------------------------------------------------------- retro

#[test]
fn retro_counts_and_missing_agent() {
    let mut claude = review(
        "claude",
        vec![
            nil_map(1, C, "pkg/app.go", "40"),
            unrelated(2, S, "pkg/volumes.go", "9"),
        ],
    );
    claude.review.coverage = vec![
        CoverageEntry {
            path: "pkg/app.go".into(),
            status: CoverageStatus::Findings(vec!["C1".into()]),
        },
        CoverageEntry {
            path: "pkg/other.go".into(),
            status: CoverageStatus::ReviewedNoIssues,
        },
    ];
    claude.review.design_observations = vec![DesignObservation {
        kind: ObservationKind::Concern,
        scope: Some(Scope::Future),
        title: Some("Layering".into()),
        text: "The engine reaches into storage.".into(),
        line: 3,
    }];
    let mut codex = review(
        "codex",
        vec![f(
            1,
            I,
            "Missing check in `loadOther`",
            &["pkg/other.go:5"],
            "",
        )],
    );
    codex.review.coverage = vec![CoverageEntry {
        path: "pkg/app.go".into(),
        status: CoverageStatus::ReviewedNoIssues,
    }];
    let mut round = round("retro", &["claude", "codex", "gemini"]);
    round.wall_clock_s = Some(3600.0);
    let r = consolidate(
        &round,
        &[claude, codex],
        &[],
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    let get = |a: &str| r.agents.iter().find(|x| x.agent == a).cloned();
    let claude = get("claude").map(|a| {
        (
            a.raised.critical,
            a.raised.suggestion,
            a.design_observations,
            a.unique_insights,
            a.files_reviewed,
            a.coverage_misses,
            a.downgraded,
        )
    });
    // claude: C1 lone critical → important (downgraded), both findings unique,
    // marked pkg/other.go clean where codex found an issue.
    assert_eq!(claude, Some((1, 1, 1, 2, 2, 1, 1)));
    let codex = get("codex").map(|a| (a.unique_insights, a.coverage_misses));
    assert_eq!(codex, Some((1, 1)));
    let gemini = get("gemini").map(|a| (a.raised.important, a.duration_s, a.tool_calls));
    assert_eq!(gemini, Some((0, None, None)));
    assert!(
        r.notices
            .iter()
            .any(|n| n.contains("missing agent: gemini")),
        "{:?}",
        r.notices
    );
}

// ---------------------------------------------------------------- human clusters

/// Round 1 of the App-controller lifecycle PR (corpus 20260324-131047-pr-236):
/// paths, lines and identifiers as the agents cited them, titles paraphrased.
fn pr236() -> Vec<AgentReview> {
    let app = "pkg/controllers/app/app/controllers/app_controller.go";
    let claude = review(
        "claude",
        vec![
            f(
                1,
                I,
                "Template ConfigMap cleanup strips the wrong owner finalizer, so deletion can wedge",
                &["app_controller.go:76"],
                "`RemoveOwnedFinalizer` is called with `v1alpha1.AppKind` but the template CM carries `owned-by-LimaVM`; the following `r.Delete` is refused by `OwnedDeletionGuard`. Remove the block or pass `limav1alpha1.LimaVMKind`.",
            ),
            f(
                2,
                I,
                "Mirrored condition ObservedGeneration belongs to the LimaVM, not the App",
                &["app_controller.go:207"],
                "`ObservedGeneration` is copied from `cond.ObservedGeneration`, i.e. `limaVM.Generation`; set it to `app.Generation`.",
            ),
            f(
                3,
                S,
                "Template ConfigMap name rebuilt by string concatenation",
                &["app_controller.go:74"],
                "`limaVMName + \"-template\"` duplicates `GetTemplateConfigMapName`; a naming change upstream breaks it silently.",
            ),
            f(
                4,
                S,
                "Message length constant counts runes while the schema limit is bytes",
                &["conditions.go:17"],
                "`ConditionMessageMaxLen` is enforced by `TruncateConditionMessage` in runes; the CRD `maxLength` is 32768.",
            ),
        ],
    );
    let codex = review(
        "codex",
        vec![
            f(
                1,
                I,
                "App finalizer deletes the LimaVM-owned template ConfigMap and can leave the App stuck Terminating",
                &[&format!("{app}:73-86")],
                "The App removes `owned-by-App` but `rd-template` was created with `owned-by-LimaVM`, so the delete stays blocked by the owned-resource guard. Let the LimaVM controller own its template `ConfigMap`.",
            ),
            f(
                2,
                I,
                "Embedded lima.yaml hardcodes host ports and sockets, so parallel instances collide",
                &["pkg/controllers/app/app/lima.yaml:13-14"],
                "Derive `localPort` and `hostSocket` from `instance.ShortDir()` and `instance.Index()` instead of fixed values.",
            ),
        ],
    );
    let gemini = review(
        "gemini",
        vec![
            f(
                1,
                C,
                "App deletion leaks the input ConfigMap on a transient Get error",
                &[&format!("{app}:69-71")],
                "When `r.Get` fails with anything but `apierrors.IsNotFound` the error is only logged and `RemoveCleanupFinalizer` runs anyway.",
            ),
            f(
                2,
                C,
                "Deleting a ConfigMap owned by another controller violates the design",
                &[&format!("{app}:73-84")],
                "The block strips `RemoveOwnedFinalizer` from `templateCM` (`rd-template`), which the LimaVM controller owns; only `inputConfigMapName` belongs to the App.",
            ),
            f(
                3,
                I,
                "Mirrored conditions copy ObservedGeneration from the child resource",
                &[&format!("{app}:193")],
                "`cond.ObservedGeneration` refers to the LimaVM; use `app.Generation`.",
            ),
            f(
                4,
                I,
                "Normal reconcile swallows API errors while fetching the input ConfigMap",
                &[&format!("{app}:173-176")],
                "A non-`IsNotFound` error from the Get is logged and dropped, without `Requeue`.",
            ),
            f(
                5,
                S,
                "Comment about the Kubernetes message limit is inaccurate",
                &["pkg/controllers/base/conditions.go:10-13"],
                "The comment on `ConditionMessageMaxLen` claims a 32768-byte object limit; the real limit is the schema `maxLength`.",
            ),
        ],
    );
    vec![claude, codex, gemini]
}

#[test]
fn human_clusters_of_pr236() {
    let r = run(&pr236());
    assert_eq!(
        groups(&r),
        vec![
            strs(&["claude#1", "codex#1", "gemini#2"]),
            strs(&["claude#2", "gemini#3"]),
            strs(&["claude#3"]),
            strs(&["claude#4", "gemini#5"]),
            strs(&["codex#2"]),
            strs(&["gemini#1"]),
            strs(&["gemini#4"]),
        ],
        "{}",
        render::json::render(&r)
    );
    // Severities the human gave, where the rules alone decide them: I1 (C, I, I) is
    // important by consensus, the lone critical leak is important, the rune/byte
    // comment stays a suggestion.
    assert_eq!(group_of(&r, "codex#1").severity, I);
    assert_eq!(group_of(&r, "gemini#1").severity, I);
    assert_eq!(group_of(&r, "claude#2").severity, I);
    assert_eq!(group_of(&r, "gemini#5").severity, S);
    assert_eq!(group_of(&r, "claude#3").severity, S);
    assert_eq!(r.verdict.decision, VerdictDecision::MergeWithFixes);
}

/// Round 1 of the App containerEngine/kubernetes fields PR (corpus
/// 20260401-120241-pr-269).
fn pr269() -> Vec<AgentReview> {
    let app = "pkg/controllers/app/app/controllers/app_controller.go";
    let claude = review(
        "claude",
        vec![
            f(
                1,
                I,
                "`applySpecToTemplate` panics writing into a nil map when the template is empty",
                &[&format!("{app}:43-65")],
                "`yaml.Unmarshal` leaves `tmpl` nil for an empty document; `parseTemplateParams` returns it and `applySpecToTemplate` writes `tmpl[\"param\"]`.",
            ),
            f(
                2,
                I,
                "Template helper functions have no unit tests",
                &["pkg/controllers/app/app/controllers/"],
                "Table tests would cover `parseTemplateParams`, `applySpecToTemplate` and `templateParamsMatch`; all three are pure.",
            ),
            f(
                3,
                S,
                "Quote the CRD default Kubernetes version",
                &["pkg/controllers/app/app/crd.yaml:69"],
                "An unquoted version such as 1.30 would parse as a float.",
            ),
            f(
                4,
                S,
                "Default Kubernetes version hardcoded in several files",
                &[
                    "pkg/apis/app/v1alpha1/app_types.go:28-29",
                    "pkg/controllers/app/app/lima-template.yaml:34",
                ],
                "The default version is repeated; keep one constant.",
            ),
        ],
    );
    let codex = review(
        "codex",
        vec![
            f(
                1,
                I,
                "Template changes can restart a VM the same App update asked to stop",
                &[&format!("{app}:222")],
                "The early return at line 250 skips the `spec.running` propagation in the same reconcile, so the template change is applied while `LimaVM.spec.running` is still true and `handleRunningState` restarts it.",
            ),
            f(
                2,
                I,
                "App controller mutates the LimaVM-owned template ConfigMap directly",
                &[&format!("{app}:222")],
                "Lines 222-244 make the App a second writer of the template `ConfigMap` that the LimaVM controller owns; add `LimaVM.spec` fields instead.",
            ),
        ],
    );
    let gemini = review(
        "gemini",
        vec![
            f(
                1,
                C,
                "Design violation: App controller mutates the LimaVM-owned ConfigMap",
                &[&format!("{app}:219-249")],
                "The App writes the template `ConfigMap` owned by the LimaVM controller, against the controller ownership rules.",
            ),
            f(
                2,
                C,
                "Nil map assignment panic in `applySpecToTemplate`",
                &[&format!("{app}:65")],
                "`parseTemplateParams` can return a nil `tmpl` map and `applySpecToTemplate` assigns into it.",
            ),
            f(
                3,
                I,
                "`Spec.Running` is not propagated because of an early return",
                &[&format!("{app}:245-247")],
                "Returning after the template update means `spec.running` is not propagated to the LimaVM in this reconcile.",
            ),
            f(
                4,
                I,
                "Type mismatch in the interface equality check of `templateParamsMatch`",
                &[&format!("{app}:81")],
                "Comparing `any` values from YAML with Go values can fail on type differences.",
            ),
            f(
                5,
                S,
                "Design doc now describes the ownership violation",
                &["docs/design/api_app.md:78"],
                "The API doc documents the App writing the template.",
            ),
        ],
    );
    vec![claude, codex, gemini]
}

#[test]
fn human_clusters_of_pr269() {
    let r = run(&pr269());
    assert_eq!(
        groups(&r),
        vec![
            strs(&["claude#1", "gemini#2"]),
            strs(&["claude#2"]),
            strs(&["claude#3"]),
            strs(&["claude#4"]),
            strs(&["codex#1", "gemini#3"]),
            strs(&["codex#2", "gemini#1"]),
            strs(&["gemini#4"]),
            strs(&["gemini#5"]),
        ],
        "{}",
        render::json::render(&r)
    );
    // The nil-map panic: critical by gemini, important by claude → important.
    assert_eq!(group_of(&r, "claude#1").severity, I);
}

// ---------------------------------------------------------------- properties

const PATHS: &[&str] = &[
    "pkg/a/app.go",
    "pkg/b/sync.go",
    "cmd/cli/main.go",
    "docs/design.md",
];
const SYMBOLS: &[&str] = &[
    "applyDefaults",
    "syncVolumes",
    "EngineReady",
    "parseConfig",
    "RetryOnConflict",
    "cleanupMirror",
    "WatchLoop",
    "sanitizeName",
];
const WORDS: &[&str] = &[
    "panic", "leak", "race", "timeout", "orphan", "deadlock", "overflow", "stale", "missing",
    "wrong", "silent", "retry",
];

fn arb_finding() -> impl Strategy<Value = RawFinding> {
    (
        0..3usize,
        0..PATHS.len(),
        1..40u32,
        0..8u32,
        proptest::sample::subsequence(SYMBOLS, 1..3),
        proptest::sample::subsequence(WORDS, 2..4),
    )
        .prop_map(|(sev, p, start, len, syms, words)| {
            let severity = Severity::ALL[sev];
            let title = format!(
                "{} in `{}`",
                words.join(" "),
                syms.first().copied().unwrap_or("x")
            );
            let body = format!(
                "{} {}",
                syms.iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" and "),
                words.join(" ")
            );
            RawFinding {
                ordinal: 0,
                raised_id: None,
                severity,
                classification: None,
                tags: Vec::new(),
                title,
                locations: vec![Location {
                    path: PATHS[p].to_string(),
                    start: Some(start + 50),
                    end: Some(start + 50 + len),
                }],
                body,
                fix: None,
                code_blocks: Vec::new(),
                line: 1,
            }
        })
}

fn arb_round() -> impl Strategy<Value = Vec<AgentReview>> {
    proptest::collection::vec(proptest::collection::vec(arb_finding(), 0..5), 1..4).prop_map(
        |per_agent| {
            per_agent
                .into_iter()
                .enumerate()
                .map(|(k, mut findings)| {
                    // Distinct titles, so that two findings never tie on content
                    // and the only tie-break left is the (renamable) agent name.
                    for (i, f) in findings.iter_mut().enumerate() {
                        f.ordinal = i as u32 + 1;
                        f.title = format!("{} (case {k}{i})", f.title);
                    }
                    let agent = ["claude", "codex", "gemini"][k];
                    review(agent, findings)
                })
                .collect()
        },
    )
}

fn json(r: &Report) -> String {
    render::json::render(r)
}

fn shifted(reviews: &[AgentReview], by: u32) -> Vec<AgentReview> {
    let mut v = reviews.to_vec();
    for r in &mut v {
        for f in &mut r.review.findings {
            for l in &mut f.locations {
                l.start = l.start.map(|s| s + by);
                l.end = l.end.map(|e| e + by);
            }
        }
    }
    v
}

type Shape = Vec<(String, Severity, Vec<(String, u32)>)>;

fn shape(r: &Report) -> Shape {
    r.findings
        .iter()
        .map(|f| {
            (
                f.id.clone(),
                f.severity,
                f.sources
                    .iter()
                    .map(|s| (s.agent.clone(), s.ordinal))
                    .collect(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn shuffling_agents_and_findings_changes_nothing(reviews in arb_round(), seed in any::<u64>()) {
        let base = json(&run(&reviews));
        let mut shuffled = reviews.clone();
        shuffled.reverse();
        for (k, r) in shuffled.iter_mut().enumerate() {
            let n = r.review.findings.len();
            if n > 1 {
                r.review.findings.rotate_left((seed as usize + k) % n);
            }
        }
        prop_assert_eq!(base, json(&run(&shuffled)));
    }

    /// Recorded grouping (must-link / cannot-link) does not make the result depend
    /// on the order of agents or findings either.
    #[test]
    fn shuffling_with_recorded_groups_changes_nothing(
        reviews in arb_round(),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..4),
        seed in any::<u64>(),
    ) {
        let all: Vec<(String, String)> = reviews
            .iter()
            .flat_map(|r| {
                r.review
                    .findings
                    .iter()
                    .map(|f| (r.agent.clone(), f.raised_id.clone().unwrap_or_default()))
            })
            .collect();
        prop_assume!(!all.is_empty());
        let adjs: Vec<Adjudication> = picks
            .iter()
            .map(|(a, b)| {
                let (x, y) = (&all[a.index(all.len())], &all[b.index(all.len())]);
                adj(
                    &[(x.0.as_str(), x.1.as_str()), (y.0.as_str(), y.1.as_str())],
                    Decision::Confirm,
                    "",
                )
            })
            .collect();
        let go = |r: &[AgentReview]| {
            json(&run_with(r, &adjs, &[], &Rules::default(), ReplayOptions::default()))
        };
        let base = go(&reviews);
        let mut shuffled = reviews.clone();
        shuffled.reverse();
        for (k, r) in shuffled.iter_mut().enumerate() {
            let n = r.review.findings.len();
            if n > 1 {
                r.review.findings.rotate_left((seed as usize + k) % n);
            }
        }
        prop_assert_eq!(base, go(&shuffled));
    }

    #[test]
    fn renaming_an_agent_changes_only_names(reviews in arb_round()) {
        let before = run(&reviews);
        let mut renamed = reviews.clone();
        for r in &mut renamed {
            if r.agent == "claude" {
                r.agent = "zeta".into();
                r.model = Some("Zeta Model".into());
            }
        }
        let after = run(&renamed);
        let back = |s: &str| if s == "zeta" { "claude".to_string() } else { s.to_string() };
        let canon = |r: &Report, map: &dyn Fn(&str) -> String| {
            r.findings
                .iter()
                .map(|f| {
                    let mut src: Vec<(String, u32, Severity)> =
                        f.sources.iter().map(|s| (map(&s.agent), s.ordinal, s.severity)).collect();
                    src.sort();
                    (f.id.clone(), f.severity, f.title.clone(), f.locations.clone(), src)
                })
                .collect::<Vec<_>>()
        };
        prop_assert_eq!(canon(&before, &|s| s.to_string()), canon(&after, &back));
        prop_assert_eq!(before.verdict.decision, after.verdict.decision);
    }

    #[test]
    fn shifting_every_line_changes_no_cluster(reviews in arb_round(), by in 1..6u32) {
        prop_assert_eq!(shape(&run(&reviews)), shape(&run(&shifted(&reviews, by))));
    }

    #[test]
    fn an_agreeing_agent_never_lowers_a_severity(reviews in arb_round(), pick in any::<prop::sample::Index>()) {
        let before = run(&reviews);
        prop_assume!(!before.findings.is_empty());
        let target = &before.findings[pick.index(before.findings.len())];
        let src = &target.sources[0];
        let original = reviews
            .iter()
            .find(|r| r.agent == src.agent)
            .and_then(|r| r.review.findings.iter().find(|f| f.ordinal == src.ordinal))
            .cloned();
        let Some(mut copy) = original else {
            return Ok(());
        };
        copy.ordinal = 1;
        copy.severity = target.severity;
        let mut more = reviews.clone();
        more.push(review("extra", vec![copy]));
        let after = run(&more);
        let grown = after.findings.iter().find(|f| {
            f.sources.iter().any(|s| s.agent == src.agent && s.ordinal == src.ordinal)
        });
        prop_assert!(grown.is_some());
        let grown = grown.map(|f| f.severity).unwrap_or(Severity::Suggestion);
        prop_assert!(grown >= target.severity, "{:?} < {:?}", grown, target.severity);
    }

    /// Feeding the consolidated findings back as ONE agent's review (title,
    /// locations, body and calibrated severity of each), with a `confirm`
    /// adjudication for each critical (a consolidated critical is one that two
    /// agents or an adjudication stand behind), gives the same findings: same ids,
    /// severities and titles, one source each. A consolidated set is a fixed point.
    #[test]
    fn consolidating_a_consolidated_set_changes_nothing(reviews in arb_round()) {
        let first = run(&reviews);
        let fed: Vec<RawFinding> = first
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| RawFinding {
                ordinal: i as u32 + 1,
                raised_id: Some(f.id.clone()),
                severity: f.severity,
                classification: f.classification.clone(),
                tags: f.tags.clone(),
                title: f.title.clone(),
                locations: f.locations.clone(),
                body: f.body.clone(),
                fix: f.fix.clone(),
                code_blocks: Vec::new(),
                line: 1,
            })
            .collect();
        let confirms: Vec<Adjudication> = first
            .findings
            .iter()
            .filter(|f| f.severity == C)
            .map(|f| adj(&[("consolidated", f.id.as_str())], Decision::Confirm, ""))
            .collect();
        let mut r = review("consolidated", Vec::new());
        r.review.findings = fed;
        let again = run_with(&[r], &confirms, &[], &Rules::default(), ReplayOptions::default());
        let before: Vec<(String, Severity, String)> = first
            .findings
            .iter()
            .map(|f| (f.id.clone(), f.severity, f.title.clone()))
            .collect();
        let mut after: Vec<(String, Severity, String)> = again
            .findings
            .iter()
            .map(|f| (f.sources[0].raised_id.clone().unwrap_or_default(), f.severity, f.title.clone()))
            .collect();
        after.sort_by_key(|(id, _, _)| before.iter().position(|b| &b.0 == id));
        prop_assert_eq!(before, after);
        prop_assert!(again.findings.iter().all(|f| f.sources.len() == 1));
        prop_assert!(again.notices.is_empty(), "{:?}", again.notices);
    }
}

/// The generator must produce merges, or the properties above prove little.
#[test]
fn generated_rounds_do_merge() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut merged, mut rounds) = (0, 0);
    for _ in 0..64 {
        let Ok(tree) = arb_round().new_tree(&mut runner) else {
            continue;
        };
        let r = run(&tree.current());
        rounds += 1;
        merged += r.findings.iter().filter(|f| f.agents.len() > 1).count();
    }
    assert!(
        rounds == 64 && merged >= 15,
        "{merged} merges in {rounds} rounds"
    );
}

// ---------------------------------------------------------------- snapshots

fn snapshot_round() -> (RoundMeta, Vec<AgentReview>, Vec<Adjudication>) {
    let mut round = round("snapshot-round", &["claude", "codex", "gemini"]);
    round.repo = Some("example/widgets".into());
    round.pr = Some(7);
    round.title = Some("Add widget cache".into());
    round.round = Some(1);
    round.wall_clock_s = Some(1234.4);
    let mut claude = review(
        "claude",
        vec![
            nil_map(1, C, "pkg/app.go", "40-45"),
            f(
                2,
                S,
                "Rename `cacheTTL` for clarity",
                &["pkg/cache.go:12"],
                "The name hides the unit.",
            ),
        ],
    );
    claude.review.coverage = vec![CoverageEntry {
        path: "pkg/app.go".into(),
        status: CoverageStatus::Findings(vec!["C1".into()]),
    }];
    claude.review.testing = vec!["No test covers an empty config.".into()];
    let codex = review("codex", vec![nil_map(1, I, "pkg/app.go", "41")]);
    let mut gemini = review(
        "gemini",
        vec![
            unrelated(1, C, "pkg/volumes.go", "10"),
            f(
                2,
                I,
                "Shell script has a syntax error",
                &["scripts/run.sh:3"],
                "Quoting is broken.",
            ),
        ],
    );
    gemini.review.design_observations = vec![DesignObservation {
        kind: ObservationKind::Strength,
        scope: Some(Scope::InScope),
        title: None,
        text: "Clear split between intent and observed state.".into(),
        line: 2,
    }];
    let adjs = vec![
        adj(
            &[("gemini", "I1")],
            Decision::FalsePositive,
            "the script quotes correctly",
        ),
        adj(&[("codex", "I9")], Decision::Confirm, ""),
    ];
    (round, vec![claude, codex, gemini], adjs)
}

#[test]
fn snapshot_markdown_and_json() {
    let (round, reviews, adjs) = snapshot_round();
    let r = consolidate(
        &round,
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    insta::assert_snapshot!("engine_round_md", render::markdown::render(&r));
    insta::assert_snapshot!("engine_round_json", render::json::render(&r));
}

/// A rework round with two passes, prior resolutions, every adjudication kind,
/// fixes and code blocks.
#[test]
fn snapshot_rework_round() {
    let mut round = round("rework-round", &["claude", "codex"]);
    round.round = Some(2);
    round.branch = Some("feature/cache".into());
    round.author = Some("dev".into());
    round.date = Some("2026-01-02 03:04".into());
    round.commits = vec![review_replay::cassette::Commit {
        sha: "abc1234".into(),
        subject: "Add the cache".into(),
    }];
    let mut leak = f(
        1,
        C,
        "Cache entries leak when `evictOldest` races with `insertEntry`",
        &["pkg/cache/cache.go:88-97"],
        "Both paths take `mu` separately, so an entry inserted between the two locks is never evicted.",
    );
    leak.fix = Some("Hold `mu` across the check and the eviction.".into());
    leak.code_blocks = vec!["mu.Lock()\nentries[key] = value\nmu.Unlock()".into()];
    let mut leak2 = leak.clone();
    leak2.ordinal = 1;
    leak2.title = "Race between `insertEntry` and `evictOldest` leaks entries".into();
    leak2.locations = vec![loc("cache.go:90")];
    let claude1 = review(
        "claude",
        vec![
            leak,
            f(
                2,
                I,
                "`TTL` of zero disables expiry silently",
                &["pkg/cache/config.go:12"],
                "A zero `TTL` means never expire.",
            ),
            f(
                3,
                S,
                "Document `Options.MaxEntries`",
                &["pkg/cache/options.go"],
                "The field has no doc comment.",
            ),
        ],
    );
    let mut claude2 = review(
        "claude",
        vec![f(
            1,
            I,
            "Metrics counter `cache_hits` is never incremented",
            &["pkg/cache/metrics.go:20"],
            "The `hit` path returns early.",
        )],
    );
    claude2.pass = 2;
    let codex = review(
        "codex",
        vec![
            leak2,
            f(
                2,
                I,
                "Old config loader ignores `CACHE_DIR`",
                &["pkg/config/load.go:30-35"],
                "Predates this change.",
            ),
            f(
                3,
                S,
                "Rename `cacheTTL` to `ttl`",
                &["pkg/cache/config.go:40"],
                "Shorter.",
            ),
        ],
    );
    let prior = PriorResolution {
        round: 1,
        id: "S2".into(),
        title: "Rename cacheTTL to ttl".into(),
        locations: vec![loc("pkg/cache/config.go:33")],
        status: ResolutionStatus::Declined,
        reason: "the long name is deliberate".into(),
        severity: None,
    };
    let adjs = vec![
        adj(
            &[("codex", "C1")],
            Decision::Confirm,
            "reproduced with the race detector",
        ),
        adj(
            &[("codex", "I1")],
            Decision::PreExisting,
            "loader unchanged by this PR",
        ),
        adj(
            &[("claude", "I1")],
            Decision::Deferred,
            "tracked separately",
        ),
        Adjudication {
            about: vec![RawRef {
                agent: "claude".into(),
                pass: 2,
                id: Some("I1".into()),
                ordinal: None,
                section: None,
            }],
            decision: Decision::Fixed,
            reason: "fixed in def5678".into(),
            confidence: Confidence::Sure,
        },
    ];
    let r = consolidate(
        &round,
        &[claude1, claude2, codex],
        &adjs,
        &[prior],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.verdict.decision, VerdictDecision::Rework);
    insta::assert_snapshot!("rework_round_md", render::markdown::render(&r));
    insta::assert_snapshot!("rework_round_json", render::json::render(&r));
}

/// A round where nobody found anything and one reviewer has no review.
#[test]
fn snapshot_empty_round() {
    let mut claude = review("claude", Vec::new());
    claude.review.explicit_no_findings = true;
    claude.review.limitations = vec!["Windows paths are not handled yet.".into()];
    let r = consolidate(
        &round("empty-round", &["claude", "gemini"]),
        &[claude],
        &[],
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    insta::assert_snapshot!("empty_round_md", render::markdown::render(&r));
}

// ---------------------------------------------------------------- commands

fn write_cassette(dir: &std::path::Path) -> std::path::PathBuf {
    let mut round = round("cmd-round", &["claude", "codex"]);
    round.pr = Some(1);
    let cassette = Cassette {
        schema: "review-replay/cassette/v1".into(),
        round,
        interactions: vec![Interaction {
            role: Role::Reviewer,
            agent: "claude".into(),
            model: Some("Claude Opus 4.6".into()),
            pass: 1,
            prompt: None,
            response: "# Review\n\nNo findings.\n".into(),
            duration_s: Some(10.0),
            tool_calls: Some(3),
            ..Interaction::default()
        }],
        adjudications: Vec::new(),
        prior_resolutions: Vec::new(),
        reference: None,
        source: None,
    };
    let path = dir.join("round.json");
    std::fs::write(&path, cassette.to_json()).expect("write cassette");
    path
}

#[test]
fn rules_command_prints_the_default_file() {
    let out = Cmd::new(["rules"]).expect_code(0);
    assert_eq!(
        out.stdout,
        review_replay::consolidate::rules::DEFAULT_RULES_TOML
    );
}

#[test]
fn replay_command_prints_markdown_and_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_cassette(dir.path());
    let md = Cmd::new([std::ffi::OsStr::new("replay"), path.as_os_str()]).expect_code(0);
    assert!(
        md.stdout.starts_with("# Deep Review: cmd-round\n"),
        "{}",
        md.stdout
    );
    assert!(md.stdout.contains("missing agent: codex"), "{}", md.stdout);
    let js = Cmd::new([
        std::ffi::OsStr::new("replay"),
        path.as_os_str(),
        std::ffi::OsStr::new("--format"),
        std::ffi::OsStr::new("json"),
    ])
    .expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&js.stdout).expect("json");
    assert_eq!(v["schema"], "review-replay/report/v1");
    assert_eq!(v["verdict"]["decision"], "merge-as-is");
}

#[test]
fn replay_command_refuses_bad_rules_with_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_cassette(dir.path());
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "schema = \"review-replay/rules/v1\"\n\n[verdict]\nbogus = 1\n",
    )
    .expect("write rules");
    let out = Cmd::new([
        std::ffi::OsStr::new("replay"),
        path.as_os_str(),
        std::ffi::OsStr::new("--rules"),
        rules.as_os_str(),
    ])
    .expect_code(2);
    assert!(
        out.stderr.contains("rules.toml: invalid rules: 4:1:"),
        "{}",
        out.stderr
    );
}

#[test]
fn replay_with_calibration_rules_keeps_a_well_calibrated_lone_critical() {
    // The bundled round where gemini alone raises a critical: the defaults re-rate
    // it; a rules file saying gemini's criticals are usually kept leaves it
    // critical, and one saying they rarely are re-rates it with the rate in the
    // trail.
    let cassette = crate::common::repo_root()
        .join("cassettes")
        .join("harbor-pr-52-r1-lone-critical.json");
    let dir = tempfile::tempdir().expect("tempdir");
    let replay = |rate: &str| -> serde_json::Value {
        let rules = dir.path().join(format!("rules-{rate}.toml"));
        std::fs::write(
            &rules,
            format!(
                "schema = \"review-replay/rules/v1\"\n[severity]\nlone_critical = \"by-calibration\"\n[calibration.Gemini]\ncritical_keep_rate = {rate}\n"
            ),
        )
        .expect("write rules");
        let out = Cmd::new([
            std::ffi::OsStr::new("replay"),
            cassette.as_os_str(),
            std::ffi::OsStr::new("--format"),
            std::ffi::OsStr::new("json"),
            std::ffi::OsStr::new("--rules"),
            rules.as_os_str(),
        ])
        .expect_code(0);
        serde_json::from_str(&out.stdout).expect("json")
    };
    let trail = |v: &serde_json::Value, id: &str| -> Vec<String> {
        v["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["id"] == id)
            .flat_map(|f| f["decisions"].as_array().cloned().unwrap_or_default())
            .filter(|d| d["rule"] == "lone-critical")
            .map(|d| d["detail"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let kept = replay("0.9");
    assert_eq!(kept["verdict"]["decision"], "rework");
    assert_eq!(
        trail(&kept, "C1"),
        strs(&[
            "critical raised by gemini only; gemini's criticals kept at rate 0.900 ≥ 0.500: stays critical"
        ])
    );
    let lowered = replay("0.2");
    assert_eq!(lowered["verdict"]["decision"], "merge-with-fixes");
    assert_eq!(
        trail(&lowered, "I1"),
        strs(&[
            "critical raised by gemini only; gemini's criticals kept at rate 0.200 < 0.500: critical → important"
        ])
    );
}

#[test]
fn replay_command_names_a_missing_cassette() {
    let out = Cmd::new(["replay", "no/such/cassette.json"]).expect_code(2);
    assert!(
        out.stderr.contains("no/such/cassette.json"),
        "{}",
        out.stderr
    );
}

#[test]
fn explain_unknown_id_exits_2_listing_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_cassette(dir.path());
    let out = Cmd::new([
        std::ffi::OsStr::new("explain"),
        path.as_os_str(),
        std::ffi::OsStr::new("Z9"),
    ])
    .expect_code(2);
    assert!(
        out.stderr.contains("no finding `Z9`; available: none"),
        "{}",
        out.stderr
    );
}

#[test]
fn explain_prints_sources_scores_and_rules() {
    let reviews = pr236();
    let r = run(&reviews);
    let id = group_of(&r, "codex#1").id.clone();
    let text = review_replay::commands::explain::explain(&r, &reviews, &id).unwrap_or_default();
    assert!(text.contains("codex pass 1 #1 I1 [important]"), "{text}");
    assert!(text.contains("cluster: merged"), "{text}");
    assert!(text.contains("consensus: raised"), "{text}");
    let by_raw =
        review_replay::commands::explain::explain(&r, &reviews, "gemini:C2").unwrap_or_default();
    assert_eq!(by_raw, text);
}

#[test]
fn explain_names_nothing_for_an_unknown_id() {
    let reviews = pr236();
    let r = run(&reviews);
    assert_eq!(
        review_replay::commands::explain::explain(&r, &reviews, "Z9"),
        None
    );
    assert_eq!(
        review_replay::commands::explain::explain(&r, &reviews, "codex#9"),
        None
    );
}

#[test]
fn explain_finds_a_dropped_raw_finding() {
    let reviews = pr236();
    let adjs = [adj(
        &[("codex", "I2")],
        Decision::FalsePositive,
        "ports are per instance",
    )];
    let r = run_with(
        &reviews,
        &adjs,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    let text =
        review_replay::commands::explain::explain(&r, &reviews, "codex#2").unwrap_or_default();
    assert!(text.starts_with("dropped (false-positive):"), "{text}");
    assert!(text.contains("ports are per instance"), "{text}");
}

// ---------------------------------------------------------------- recorded verdicts and promotions

#[test]
fn recorded_verdict_wins_and_the_rule_verdict_is_kept() {
    let reviews = [review(
        "claude",
        vec![unrelated(1, I, "pkg/volumes.go", "9")],
    )];
    let verdict = |v: VerdictDecision, reason: &str| Adjudication {
        about: vec![],
        decision: Decision::Verdict { verdict: v },
        reason: reason.into(),
        confidence: Confidence::Sure,
    };
    let one = [verdict(
        VerdictDecision::MergeAsIs,
        "the retry is harmless here",
    )];
    let r = run_with(
        &reviews,
        &one,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.verdict.decision, VerdictDecision::MergeAsIs);
    assert_eq!(
        r.verdict.reason,
        "recorded verdict: the retry is harmless here"
    );
    let rule = r.rule_verdict.as_ref().expect("rule verdict kept");
    assert_eq!(rule.decision, VerdictDecision::MergeWithFixes);
    assert!(r.notices.is_empty(), "{:?}", r.notices);
    // Rules-only ignores it.
    let r = run_with(
        &reviews,
        &one,
        &[],
        &Rules::default(),
        ReplayOptions { rules_only: true },
    );
    assert_eq!(r.verdict.decision, VerdictDecision::MergeWithFixes);
    assert!(r.rule_verdict.is_none());

    // Two that disagree: the last counts, with a notice. One naming findings: a notice.
    let mut named = verdict(VerdictDecision::Rework, "");
    named.about = adj(&[("claude", "I1")], Decision::Confirm, "").about;
    let two = [verdict(VerdictDecision::MergeAsIs, ""), named];
    let r = run_with(
        &reviews,
        &two,
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(r.verdict.decision, VerdictDecision::Rework);
    assert_eq!(r.verdict.reason, "recorded verdict");
    assert!(
        r.notices
            .iter()
            .any(|n| n.contains("2 recorded verdicts disagree; the last one (rework)")),
        "{:?}",
        r.notices
    );
    assert!(
        r.notices
            .iter()
            .any(|n| n.contains("(verdict) names raw findings")),
        "{:?}",
        r.notices
    );
}

#[test]
fn promoted_section_items_become_findings_only_when_recorded() {
    let mut r = review("codex", vec![unrelated(1, I, "pkg/volumes.go", "9")]);
    r.review.testing = vec![
        "**No test for the conflict path** — `pkg/volumes_test.go` never returns `Conflict`."
            .into(),
    ];
    let reviews = [r];
    let promote = |n: u32| Adjudication {
        about: vec![RawRef {
            agent: "codex".into(),
            pass: 1,
            id: None,
            ordinal: Some(n),
            section: Some(review_replay::cassette::ItemSection::Testing),
        }],
        decision: Decision::SetSeverity { severity: S },
        reason: "promoted".into(),
        confidence: Confidence::Sure,
    };
    let rep = run_with(
        &reviews,
        &[promote(1)],
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    let promoted: Vec<(&str, Severity, &[String])> = rep
        .findings
        .iter()
        .filter(|f| {
            f.sources
                .iter()
                .any(|s| s.raised_id.as_deref() == Some("testing#1"))
        })
        .map(|f| (f.title.as_str(), f.severity, f.agents.as_slice()))
        .collect();
    assert_eq!(
        promoted,
        [(
            "No test for the conflict path",
            S,
            &["codex".to_string()][..]
        )]
    );
    assert_eq!(rep.findings.len(), 2);
    // Rules-only: the item stays an assessment item.
    let rep = run_with(
        &reviews,
        &[promote(1)],
        &[],
        &Rules::default(),
        ReplayOptions { rules_only: true },
    );
    assert_eq!(rep.findings.len(), 1);
    // An item the review does not have: a notice, nothing invented.
    let rep = run_with(
        &reviews,
        &[promote(2)],
        &[],
        &Rules::default(),
        ReplayOptions::default(),
    );
    assert_eq!(rep.findings.len(), 1);
    assert!(
        rep.notices
            .iter()
            .any(|n| n
                .contains("promotes codex pass 1 testing item 2, which the review does not have")),
        "{:?}",
        rep.notices
    );
}
