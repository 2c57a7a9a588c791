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
    let decision = (rule, detail).prop_map(|(rule, detail)| DecisionRecord { rule, detail });
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
    let verdict = (text(), text()).prop_map(|(id, reason)| {
        let round = crate::cassette::RoundMeta {
            id,
            ..Default::default()
        };
        let verdict = crate::report::Verdict {
            decision: crate::report::VerdictDecision::MergeWithFixes,
            reason,
        };
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
            )| {
                let mut r = Report::new(round, verdict.clone());
                r.rule_verdict = rule_verdict.then_some(verdict);
                r.findings = findings;
                r.moved = moved;
                r.dropped = dropped;
                r.notices = notices;
                r.coverage = coverage;
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
