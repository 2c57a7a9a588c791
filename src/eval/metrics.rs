//! Per-round, per-agent measurements of a consolidated report, and the metrics
//! built from them.
//!
//! A [`RoundMetrics`] holds raw counts only (numerators and denominators); every
//! metric over a set of rounds is the pooled ratio `Σ num / Σ den` (rates) or the
//! sum `Σ num` (counts), so that resampling rounds in the bootstrap is exact.
//! Definitions are in `docs/eval.md`; raw findings are counted once per
//! (agent, pass, ordinal), from the report's sources.

use std::collections::{BTreeMap, BTreeSet};

use crate::cassette::Reference;
use crate::eval::matching::{MatchConfig, match_report};
use crate::model::Severity;
use crate::report::{Report, VerdictDecision};

/// The metrics `eval` reports and gates can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    /// Raw findings raised.
    Raised,
    /// Raw findings raised as critical.
    RaisedCritical,
    /// Raw findings raised as important.
    RaisedImportant,
    /// Raw findings raised as suggestion.
    RaisedSuggestion,
    /// Raised raw findings that feed a surviving consolidated finding.
    SurvivalRate,
    /// Raised raw findings dropped as false positives.
    FalsePositiveRate,
    /// Surviving raw findings whose consolidated severity is lower than raised.
    DowngradeRate,
    /// Surviving consolidated findings credited to the agent alone.
    UniqueInsights,
    /// Files marked clean by the agent where a surviving finding is located.
    CoverageMisses,
    /// Reference findings (credited to the agent) that the engine's findings match.
    Recall,
    /// Rounds whose reference verdict the engine verdict equals.
    VerdictAgreement,
    /// Rounds whose verdict differs between baseline and candidate.
    VerdictChanges,
}

/// Whether a metric is a rate or a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `Σ num / Σ den`.
    Rate,
    /// `Σ num`.
    Count,
}

impl Metric {
    /// All metrics, in output order.
    pub const ALL: [Metric; 12] = [
        Metric::Raised,
        Metric::RaisedCritical,
        Metric::RaisedImportant,
        Metric::RaisedSuggestion,
        Metric::SurvivalRate,
        Metric::FalsePositiveRate,
        Metric::DowngradeRate,
        Metric::UniqueInsights,
        Metric::CoverageMisses,
        Metric::Recall,
        Metric::VerdictAgreement,
        Metric::VerdictChanges,
    ];

    /// The name used in output and gate expressions.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Raised => "raised",
            Metric::RaisedCritical => "raised_critical",
            Metric::RaisedImportant => "raised_important",
            Metric::RaisedSuggestion => "raised_suggestion",
            Metric::SurvivalRate => "survival_rate",
            Metric::FalsePositiveRate => "false_positive_rate",
            Metric::DowngradeRate => "downgrade_rate",
            Metric::UniqueInsights => "unique_insights",
            Metric::CoverageMisses => "coverage_misses",
            Metric::Recall => "recall",
            Metric::VerdictAgreement => "verdict_agreement",
            Metric::VerdictChanges => "verdict_changes",
        }
    }

    /// Reads a metric name.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Rate or count.
    pub fn kind(self) -> Kind {
        match self {
            Metric::SurvivalRate
            | Metric::FalsePositiveRate
            | Metric::DowngradeRate
            | Metric::Recall
            | Metric::VerdictAgreement => Kind::Rate,
            _ => Kind::Count,
        }
    }

    /// True when the metric exists per agent (else only for the whole round).
    pub fn per_agent(self) -> bool {
        !matches!(self, Metric::VerdictAgreement | Metric::VerdictChanges)
    }

    /// True when the metric compares the two sides rather than measuring one.
    pub fn is_paired_only(self) -> bool {
        self == Metric::VerdictChanges
    }
}

/// A numerator and a denominator.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Obs {
    /// What was counted.
    pub num: f64,
    /// Out of how many (1 for counts; 0 means "no data in this round").
    pub den: f64,
}

impl Obs {
    fn add(&mut self, o: Obs) {
        self.num += o.num;
        self.den += o.den;
    }
}

/// Raw counts of one agent in one round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgentCounts {
    /// Distinct raw findings, by raised severity (critical, important, suggestion).
    pub raised: [u32; 3],
    /// Raw findings feeding a surviving consolidated finding.
    pub surviving: u32,
    /// Raw findings dropped as false positives.
    pub false_positives: u32,
    /// Surviving raw findings whose consolidated severity is lower than raised.
    pub downgraded: u32,
    /// Surviving consolidated findings credited to this agent alone.
    pub unique_insights: u32,
    /// From the agent retro.
    pub coverage_misses: u32,
    /// Reference findings crediting this agent.
    pub reference_credited: u32,
    /// Of those, matched by a surviving engine finding this agent feeds.
    pub reference_recalled: u32,
}

impl AgentCounts {
    fn raised_total(&self) -> u32 {
        self.raised.iter().sum()
    }
}

/// Everything `eval` needs from one report.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundMetrics {
    /// The round id.
    pub round: String,
    /// The report's verdict.
    pub verdict: VerdictDecision,
    /// Agreement with the reference verdict, when there is a readable one.
    pub verdict_agrees: Option<bool>,
    /// Counts by agent key.
    pub agents: BTreeMap<String, AgentCounts>,
    /// Reference findings, when there is a reference.
    pub reference_findings: u32,
    /// Of those, matched by any surviving engine finding.
    pub reference_matched: u32,
}

fn sev_index(s: Severity) -> usize {
    match s {
        Severity::Critical => 0,
        Severity::Important => 1,
        Severity::Suggestion => 2,
    }
}

/// Measures one report (and its reference, when there is one).
pub fn measure(
    report: &Report,
    reference: Option<&Reference>,
    config: &MatchConfig,
) -> RoundMetrics {
    let mut agents: BTreeMap<String, AgentCounts> = BTreeMap::new();
    for retro in &report.agents {
        agents
            .entry(retro.agent.clone())
            .or_default()
            .coverage_misses = retro.coverage_misses;
    }
    let mut seen: BTreeSet<(String, u32, u32)> = BTreeSet::new();
    let mut first =
        |agent: &str, pass: u32, ordinal: u32| seen.insert((agent.to_string(), pass, ordinal));

    for f in &report.findings {
        for s in &f.sources {
            if !first(&s.agent, s.pass, s.ordinal) {
                continue;
            }
            let a = agents.entry(s.agent.clone()).or_default();
            if let Some(slot) = a.raised.get_mut(sev_index(s.severity)) {
                *slot += 1;
            }
            a.surviving += 1;
            if s.severity > f.severity {
                a.downgraded += 1;
            }
        }
        let credited: BTreeSet<&str> = f.agents.iter().map(String::as_str).collect();
        if let (1, Some(only)) = (credited.len(), credited.first()) {
            agents
                .entry((*only).to_string())
                .or_default()
                .unique_insights += 1;
        }
    }
    for d in &report.dropped {
        let fp = normalise(&d.reason) == "false-positive";
        for s in &d.sources {
            if !first(&s.agent, s.pass, s.ordinal) {
                continue;
            }
            let a = agents.entry(s.agent.clone()).or_default();
            if let Some(slot) = a.raised.get_mut(sev_index(s.severity)) {
                *slot += 1;
            }
            if fp {
                a.false_positives += 1;
            }
        }
    }
    for m in &report.moved {
        for s in &m.sources {
            if !first(&s.agent, s.pass, s.ordinal) {
                continue;
            }
            let a = agents.entry(s.agent.clone()).or_default();
            if let Some(slot) = a.raised.get_mut(sev_index(s.severity)) {
                *slot += 1;
            }
        }
    }

    let mut verdict_agrees = None;
    let mut reference_findings = 0;
    let mut reference_matched = 0;
    if let Some(reference) = reference {
        let m = match_report(report, reference, config);
        verdict_agrees = m.verdict.agrees;
        reference_findings = u32::try_from(reference.findings.len()).unwrap_or(u32::MAX);
        reference_matched = u32::try_from(m.pairs.len()).unwrap_or(u32::MAX);
        let partner: BTreeMap<usize, usize> = m
            .pairs
            .iter()
            .map(|p| (p.reference_index, p.engine_index))
            .collect();
        for (j, rf) in reference.findings.iter().enumerate() {
            let engine = partner.get(&j).and_then(|i| report.findings.get(*i));
            for agent in rf.agents.iter().collect::<BTreeSet<_>>() {
                let a = agents.entry(agent.clone()).or_default();
                a.reference_credited += 1;
                let fed = engine.is_some_and(|f| {
                    f.sources.iter().any(|s| &s.agent == agent) || f.agents.contains(agent)
                });
                if fed {
                    a.reference_recalled += 1;
                }
            }
        }
    }

    RoundMetrics {
        round: report.round.id.clone(),
        verdict: report.verdict.decision,
        verdict_agrees,
        agents,
        reference_findings,
        reference_matched,
    }
}

fn normalise(reason: &str) -> String {
    reason.trim().to_ascii_lowercase().replace([' ', '_'], "-")
}

/// The observation of `metric` for `agent` (or all agents pooled, `None`) in one
/// round. [`Metric::VerdictChanges`] is not measured on one side: see
/// [`verdict_change`].
pub fn observe(r: &RoundMetrics, metric: Metric, agent: Option<&str>) -> Obs {
    let one = |c: &AgentCounts| -> Obs {
        let (num, den) = match metric {
            Metric::Raised => (c.raised_total(), 1),
            Metric::RaisedCritical => (c.raised[0], 1),
            Metric::RaisedImportant => (c.raised[1], 1),
            Metric::RaisedSuggestion => (c.raised[2], 1),
            Metric::SurvivalRate => (c.surviving, c.raised_total()),
            Metric::FalsePositiveRate => (c.false_positives, c.raised_total()),
            Metric::DowngradeRate => (c.downgraded, c.surviving),
            Metric::UniqueInsights => (c.unique_insights, 1),
            Metric::CoverageMisses => (c.coverage_misses, 1),
            Metric::Recall => (c.reference_recalled, c.reference_credited),
            Metric::VerdictAgreement | Metric::VerdictChanges => (0, 0),
        };
        Obs {
            num: f64::from(num),
            den: f64::from(den),
        }
    };
    match (metric, agent) {
        (Metric::VerdictAgreement, _) => match r.verdict_agrees {
            Some(a) => Obs {
                num: f64::from(u8::from(a)),
                den: 1.0,
            },
            None => Obs::default(),
        },
        (Metric::VerdictChanges, _) => Obs::default(),
        // Whole-round recall counts each reference finding once, not once per agent.
        (Metric::Recall, None) => Obs {
            num: f64::from(r.reference_matched),
            den: f64::from(r.reference_findings),
        },
        (_, Some(agent)) => match r.agents.get(agent) {
            Some(c) => one(c),
            // An agent absent from a round contributes nothing, but counts are
            // still defined (zero) for that round.
            None if metric.kind() == Kind::Count => Obs { num: 0.0, den: 1.0 },
            None => Obs::default(),
        },
        (_, None) => {
            let mut total = Obs::default();
            for c in r.agents.values() {
                total.add(one(c));
            }
            if metric.kind() == Kind::Count {
                total.den = 1.0;
            }
            total
        }
    }
}

/// 1 when the verdict differs between the two sides of a round, else 0.
pub fn verdict_change(baseline: &RoundMetrics, candidate: &RoundMetrics) -> Obs {
    Obs {
        num: f64::from(u8::from(baseline.verdict != candidate.verdict)),
        den: 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cassette::{ReferenceFinding, RoundMeta};
    use crate::model::Location;
    use crate::report::{
        AgentRetro, ConsolidatedFinding, Dropped, FindingStatus, Moved, SeverityCounts, SourceRef,
        Verdict,
    };

    fn src(agent: &str, ordinal: u32, severity: Severity) -> SourceRef {
        SourceRef {
            agent: agent.into(),
            pass: 1,
            ordinal,
            raised_id: None,
            severity,
        }
    }

    fn sample() -> Report {
        Report {
            findings: vec![
                ConsolidatedFinding {
                    id: "I1".into(),
                    severity: Severity::Important,
                    status: FindingStatus::Open,
                    classification: None,
                    tags: vec![],
                    title: "Leak".into(),
                    locations: vec![Location {
                        path: "a.go".into(),
                        start: Some(3),
                        end: Some(3),
                    }],
                    agents: vec!["claude".into(), "gemini".into()],
                    sources: vec![
                        src("claude", 1, Severity::Critical),
                        src("gemini", 1, Severity::Important),
                    ],
                    decisions: vec![],
                    body: String::new(),
                    fix: None,
                },
                ConsolidatedFinding {
                    id: "S1".into(),
                    severity: Severity::Suggestion,
                    status: FindingStatus::Open,
                    classification: None,
                    tags: vec![],
                    title: "Naming".into(),
                    locations: vec![],
                    agents: vec!["claude".into()],
                    sources: vec![src("claude", 2, Severity::Suggestion)],
                    decisions: vec![],
                    body: String::new(),
                    fix: None,
                },
            ],
            moved: vec![Moved {
                sources: vec![src("gemini", 2, Severity::Suggestion)],
                title: String::new(),
                to: "design-observation".into(),
                reason: "pre-existing".into(),
            }],
            dropped: vec![Dropped {
                sources: vec![
                    src("gemini", 3, Severity::Critical),
                    src("claude", 2, Severity::Suggestion),
                ],
                title: String::new(),
                reason: "false-positive".into(),
                detail: String::new(),
            }],
            agents: vec![AgentRetro {
                agent: "gemini".into(),
                model: None,
                raised: SeverityCounts::default(),
                design_observations: 0,
                false_positives: 0,
                unique_insights: 0,
                files_reviewed: 0,
                coverage_misses: 2,
                downgraded: 0,
                dropped: 0,
                duration_s: None,
                tool_calls: None,
            }],
            ..Report::new(
                RoundMeta {
                    id: "r".into(),
                    ..RoundMeta::default()
                },
                Verdict {
                    decision: VerdictDecision::MergeWithFixes,
                    reason: String::new(),
                },
            )
        }
    }

    #[test]
    fn counts_each_raw_finding_once_and_by_fate() {
        let m = measure(&sample(), None, &MatchConfig::default());
        let claude = m.agents["claude"];
        assert_eq!(claude.raised, [1, 0, 1]);
        assert_eq!(
            (claude.surviving, claude.downgraded, claude.unique_insights),
            (2, 1, 1)
        );
        // claude#2 survives, so its appearance among dropped sources is ignored.
        assert_eq!(claude.false_positives, 0);
        let gemini = m.agents["gemini"];
        assert_eq!(gemini.raised, [1, 1, 1]);
        assert_eq!((gemini.surviving, gemini.false_positives), (1, 1));
        assert_eq!(gemini.coverage_misses, 2);

        let o = observe(&m, Metric::SurvivalRate, Some("gemini"));
        assert_eq!((o.num, o.den), (1.0, 3.0));
        let o = observe(&m, Metric::FalsePositiveRate, None);
        assert_eq!((o.num, o.den), (1.0, 5.0));
        let o = observe(&m, Metric::DowngradeRate, Some("claude"));
        assert_eq!((o.num, o.den), (1.0, 2.0));
        let o = observe(&m, Metric::Raised, None);
        assert_eq!((o.num, o.den), (5.0, 1.0));
        let o = observe(&m, Metric::Raised, Some("codex"));
        assert_eq!((o.num, o.den), (0.0, 1.0));
        let o = observe(&m, Metric::Recall, None);
        assert_eq!(o.den, 0.0);
    }

    #[test]
    fn recall_credits_agents_whose_findings_match_the_reference() {
        let reference = Reference {
            findings: vec![
                ReferenceFinding {
                    id: "I1".into(),
                    severity: Severity::Important,
                    title: "Leak".into(),
                    agents: vec!["claude".into(), "codex".into()],
                    locations: vec![Location {
                        path: "a.go".into(),
                        start: Some(3),
                        end: Some(4),
                    }],
                    tags: vec![],
                    carried_from: None,
                },
                ReferenceFinding {
                    id: "I2".into(),
                    severity: Severity::Important,
                    title: "Unrelated deadlock".into(),
                    agents: vec!["claude".into()],
                    locations: vec![Location {
                        path: "z.go".into(),
                        start: Some(1),
                        end: Some(1),
                    }],
                    tags: vec![],
                    carried_from: None,
                },
            ],
            ..Reference::default()
        };
        let m = measure(&sample(), Some(&reference), &MatchConfig::default());
        assert_eq!(
            (
                m.agents["claude"].reference_credited,
                m.agents["claude"].reference_recalled
            ),
            (2, 1)
        );
        assert_eq!(
            (
                m.agents["codex"].reference_credited,
                m.agents["codex"].reference_recalled
            ),
            (1, 0)
        );
        let o = observe(&m, Metric::Recall, None);
        assert_eq!((o.num, o.den), (1.0, 2.0));
        assert_eq!(m.verdict_agrees, None);
    }

    #[test]
    fn names_round_trip() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_name(m.name()), Some(m));
        }
        assert_eq!(Metric::from_name("fp_rate"), None);
    }
}
