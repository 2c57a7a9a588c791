//! Strategies for property tests of the renderers: arbitrary reports, with
//! text an agent could write (escapes, control characters, any script).

use proptest::prelude::*;

use crate::model::{CoverageEntry, CoverageStatus, Location, Severity};
use crate::report::{
    ConsolidatedFinding, DecisionRecord, Dropped, FindingStatus, MergedCoverage, Moved, Report,
    SourceRef,
};

/// Text an agent could write: any character, escapes often.
pub(crate) fn text() -> impl Strategy<Value = String> {
    "(\\PC|[\\x00-\\x1f\"\\\\\\x7f]){0,10}"
}

pub(crate) fn severity() -> impl Strategy<Value = Severity> {
    prop_oneof![
        Just(Severity::Critical),
        Just(Severity::Important),
        Just(Severity::Suggestion),
    ]
}

pub(crate) fn sources() -> impl Strategy<Value = Vec<SourceRef>> {
    let pass = prop_oneof![Just(1u32), any::<u32>()];
    let source = (
        text(),
        pass,
        any::<u32>(),
        prop::option::of(text()),
        severity(),
    )
        .prop_map(|(agent, pass, ordinal, raised_id, severity)| SourceRef {
            agent,
            pass,
            ordinal,
            raised_id,
            severity,
        });
    prop::collection::vec(source, 0..3)
}

pub(crate) fn finding() -> impl Strategy<Value = ConsolidatedFinding> {
    let status = prop_oneof![
        Just(FindingStatus::Open),
        Just(FindingStatus::Deferred),
        Just(FindingStatus::Fixed),
    ];
    let location = (text(), any::<Option<u32>>(), any::<Option<u32>>())
        .prop_map(|(path, start, end)| Location { path, start, end });
    let rule = prop_oneof![
        Just("consensus".to_string()),
        Just("cluster".to_string()),
        text()
    ];
    let detail = prop_oneof![Just("removed from C1".to_string()), text()];
    let decision = (rule, detail).prop_map(|(rule, detail)| DecisionRecord {
        rule: rule.into(),
        detail,
    });
    let carried = (any::<Option<u32>>(), prop::option::of(text()))
        .prop_map(|(round, id)| crate::cassette::CarriedFrom { round, id });
    (
        (text(), severity(), status, prop::option::of(text())),
        (
            prop::collection::vec(text(), 0..3),
            text(),
            prop::collection::vec(location, 0..3),
            prop::collection::vec(text(), 0..3),
        ),
        (sources(), prop::collection::vec(decision, 0..3)),
        (text(), prop::option::of(text()), prop::option::of(carried)),
    )
        .prop_map(
            |(
                (id, severity, status, classification),
                (tags, title, locations, agents),
                (sources, decisions),
                (body, fix, carried_from),
            )| ConsolidatedFinding {
                id,
                severity,
                status,
                classification,
                tags,
                title,
                locations,
                agents,
                sources,
                decisions,
                body,
                fix,
                carried_from,
            },
        )
}

/// Coverage of a few files, each by a few agents, in every status.
pub(crate) fn coverage() -> impl Strategy<Value = Vec<MergedCoverage>> {
    let status = prop_oneof![
        Just(CoverageStatus::ReviewedNoIssues),
        Just(CoverageStatus::Trivial),
        prop::collection::vec(text(), 0..3).prop_map(CoverageStatus::Findings),
        text().prop_map(CoverageStatus::Other),
    ];
    let entry = (text(), (text(), status))
        .prop_map(|(agent, (path, status))| (agent, CoverageEntry { path, status }));
    let file = (text(), prop::collection::vec(entry, 0..3))
        .prop_map(|(path, by_agent)| MergedCoverage { path, by_agent });
    prop::collection::vec(file, 0..3)
}

pub(crate) fn report() -> impl Strategy<Value = Report> {
    let moved =
        (sources(), text(), text(), text()).prop_map(|(sources, title, to, reason)| Moved {
            sources,
            title,
            to,
            reason,
        });
    let dropped =
        (sources(), text(), text(), text()).prop_map(|(sources, title, reason, detail)| Dropped {
            sources,
            title,
            reason,
            detail,
        });
    let verdict = (round_meta(), text(), decision()).prop_map(|(round, reason, decision)| {
        let verdict = crate::report::Verdict { decision, reason };
        (round, verdict)
    });
    (
        verdict,
        any::<bool>(),
        prop::collection::vec(finding(), 0..4),
        prop::collection::vec(moved, 0..3),
        prop::collection::vec(dropped, 0..3),
        prop::collection::vec(text(), 0..3),
        prop::option::of((text(), any::<u32>(), text(), any::<Option<u32>>())),
        coverage(),
        retros(),
    )
        .prop_map(
            |(
                (round, verdict),
                rule_verdict,
                findings,
                moved,
                dropped,
                notices,
                incomplete,
                coverage,
                (agents, design_observations, testing, limitations),
            )| {
                let mut r = Report::new(round, verdict.clone());
                r.rule_verdict = rule_verdict.then_some(verdict);
                r.findings = findings;
                r.moved = moved;
                r.dropped = dropped;
                r.notices = notices;
                r.coverage = coverage;
                r.agents = agents;
                r.design_observations = design_observations;
                r.testing = testing;
                r.limitations = limitations;
                r.incomplete = incomplete
                    .into_iter()
                    .map(
                        |(agent, pass, reason, line)| crate::report::IncompleteReview {
                            agent,
                            pass,
                            incomplete: crate::model::Incomplete {
                                kind: crate::model::IncompleteKind::Empty,
                                reason,
                                line,
                            },
                        },
                    )
                    .collect();
                r
            },
        )
}

fn decision() -> impl Strategy<Value = crate::report::VerdictDecision> {
    use crate::report::VerdictDecision as D;
    prop_oneof![
        Just(D::Rework),
        Just(D::MergeWithFixes),
        Just(D::MergeWithOptionalFixes),
        Just(D::MergeAsIs),
    ]
}

/// A float as a report holds it: any, NaN and infinities included.
fn seconds() -> impl Strategy<Value = Option<f64>> {
    prop::option::of(prop_oneof![any::<f64>(), Just(1.5), Just(f64::NAN)])
}

/// Round metadata with every optional field present or absent.
fn round_meta() -> impl Strategy<Value = crate::cassette::RoundMeta> {
    use crate::cassette::{Commit, Reviewer};
    let commit = (text(), text()).prop_map(|(sha, subject)| Commit { sha, subject });
    let reviewer =
        (text(), text(), prop::option::of(text())).prop_map(|(agent, model, effort)| Reviewer {
            agent,
            model,
            effort,
        });
    (
        (text(), prop::option::of(text()), any::<Option<u32>>()),
        (prop::option::of(text()), any::<Option<u32>>()),
        (
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
        ),
        prop::collection::vec(commit, 0..3),
        prop::collection::vec(reviewer, 0..3),
        seconds(),
    )
        .prop_map(
            |(
                (id, repo, pr),
                (title, round),
                (author, branch, date),
                commits,
                reviewers,
                wall_clock_s,
            )| crate::cassette::RoundMeta {
                id,
                repo,
                pr,
                title,
                round,
                author,
                branch,
                date,
                commits,
                reviewers,
                wall_clock_s,
            },
        )
}

/// Agent retros, design observations, testing items and limitations.
#[allow(clippy::type_complexity)]
fn retros() -> impl Strategy<
    Value = (
        Vec<crate::report::AgentRetro>,
        Vec<crate::report::AttributedObservation>,
        Vec<crate::report::AttributedText>,
        Vec<crate::report::AttributedText>,
    ),
> {
    use crate::model::{DesignObservation, ObservationKind, Scope};
    use crate::report::{AgentRetro, AttributedObservation, AttributedText, SeverityCounts};
    let retro = (
        (text(), prop::option::of(text())),
        any::<(u32, u32, u32)>(),
        any::<[u32; 7]>(),
        seconds(),
        any::<Option<u32>>(),
    )
        .prop_map(
            |((agent, model), (critical, important, suggestion), n, duration_s, tool_calls)| {
                AgentRetro {
                    agent,
                    model,
                    raised: SeverityCounts {
                        critical,
                        important,
                        suggestion,
                    },
                    design_observations: n[0],
                    false_positives: n[1],
                    unique_insights: n[2],
                    files_reviewed: n[3],
                    coverage_misses: n[4],
                    downgraded: n[5],
                    dropped: n[6],
                    duration_s,
                    tool_calls,
                }
            },
        );
    let kind = prop_oneof![
        Just(ObservationKind::Concern),
        Just(ObservationKind::Strength)
    ];
    let scope = prop::option::of(prop_oneof![Just(Scope::InScope), Just(Scope::Future)]);
    let observation = (
        text(),
        kind,
        scope,
        prop::option::of(text()),
        text(),
        any::<u32>(),
    )
        .prop_map(
            |(agent, kind, scope, title, text, line)| AttributedObservation {
                agent,
                observation: DesignObservation {
                    kind,
                    scope,
                    title,
                    text,
                    line,
                },
            },
        );
    let attributed = || (text(), text()).prop_map(|(agent, text)| AttributedText { agent, text });
    (
        prop::collection::vec(retro, 0..3),
        prop::collection::vec(observation, 0..3),
        prop::collection::vec(attributed(), 0..3),
        prop::collection::vec(attributed(), 0..3),
    )
}
