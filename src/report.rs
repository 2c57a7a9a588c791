//! The consolidated report: what the engine decided for one round.
//!
//! This is the data contract between the consolidation engine (which builds it),
//! the renderers (markdown and JSON) and the harness (which compares it with golden
//! files). Its JSON form is `review-replay/report/v1`, documented in `docs/report.md`.
//!
//! Invariants: every list is in a deterministic order (findings by severity, then
//! id; agents by key; sources by agent, pass, ordinal), so that serialising the same
//! report always gives the same bytes.
//!
//! The JSON renderer (`render::json`) writes the report by hand (all but a
//! carried finding's origin and incomplete reviews), in the field order and
//! with the `skip_serializing_if`, `flatten` and tags of the derived
//! `Serialize` here, of `RoundMeta` and of `CoverageStatus`: a field added to
//! those types must be added there too (its property test against serde_json
//! builds every field).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub use crate::model::VerdictDecision;

use crate::cassette::RoundMeta;
use crate::model::{CoverageEntry, DesignObservation, Location, Severity};

/// The schema id of the JSON report.
pub const REPORT_SCHEMA_V1: &str = "review-replay/report/v1";

/// The consolidated report of one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`REPORT_SCHEMA_V1`].
    pub schema: String,
    /// The round's metadata.
    pub round: RoundMeta,
    /// The verdict and the finding that decided it.
    pub verdict: Verdict,
    /// What the verdict ladder of the rules answered, when a recorded verdict
    /// replaced it (absent when the verdict is the ladder's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_verdict: Option<Verdict>,
    /// Surviving consolidated findings, critical first, then by id.
    pub findings: Vec<ConsolidatedFinding>,
    /// Findings moved out of the findings list (pre-existing, out of scope).
    pub moved: Vec<Moved>,
    /// Findings dropped (false positive, declined).
    pub dropped: Vec<Dropped>,
    /// The agent retro, by agent key.
    pub agents: Vec<AgentRetro>,
    /// Design observations of all agents, attributed.
    #[serde(default)]
    pub design_observations: Vec<AttributedObservation>,
    /// Testing assessment items of all agents, attributed.
    #[serde(default)]
    pub testing: Vec<AttributedText>,
    /// Acknowledged limitations of all agents, attributed.
    #[serde(default)]
    pub limitations: Vec<AttributedText>,
    /// Per-file coverage, merged across agents.
    #[serde(default)]
    pub coverage: Vec<MergedCoverage>,
    /// Recorded adjudications that matched no raw finding, and other notices.
    #[serde(default)]
    pub notices: Vec<String>,
    /// Agent reviews that are not whole: the round's findings cannot be trusted
    /// to be complete, and evaluation leaves the round out of its figures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<IncompleteReview>,
    /// How many raw findings recorded decisions settled: a replay statistic,
    /// not part of the report format (never written).
    #[serde(skip)]
    pub settled: Settled,
}

/// Raw findings of a replay, and how many of them recorded decisions (rather
/// than the rules) decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settled {
    /// Raw findings named by a recorded decision that applied.
    pub by_decisions: u32,
    /// Raw findings of the round.
    pub raw: u32,
}

impl Settled {
    /// Adds another round's figures.
    pub fn add(&mut self, o: Settled) {
        self.by_decisions += o.by_decisions;
        self.raw += o.raw;
    }

    /// A note for `check --rules` and `eval --rules-*` when recorded decisions
    /// settle most raw findings, so that changing the rules can change little.
    pub fn rules_note(&self) -> Option<String> {
        let share = f64::from(self.by_decisions) / f64::from(self.raw.max(1));
        (self.raw > 0 && share >= 0.5).then(|| {
            format!(
                "note: recorded decisions settled {} of {} raw findings ({:.0}%); the rules decide only the rest. \
                 Add --rules-only to see what the rules alone decide.",
                self.by_decisions,
                self.raw,
                share * 100.0
            )
        })
    }
}

/// An agent review of the round that is not whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncompleteReview {
    /// Lowercase agent key.
    pub agent: String,
    /// Pass, 1-based.
    pub pass: u32,
    /// What is missing, and why it shows.
    pub incomplete: crate::model::Incomplete,
}

impl Report {
    /// A report of `round` with this verdict and nothing else: the base that the
    /// engine and hand-built test reports fill in.
    pub fn new(round: RoundMeta, verdict: Verdict) -> Report {
        Report {
            schema: REPORT_SCHEMA_V1.to_string(),
            round,
            verdict,
            rule_verdict: None,
            findings: Vec::new(),
            moved: Vec::new(),
            dropped: Vec::new(),
            agents: Vec::new(),
            design_observations: Vec::new(),
            testing: Vec::new(),
            limitations: Vec::new(),
            coverage: Vec::new(),
            notices: Vec::new(),
            incomplete: Vec::new(),
            settled: Settled::default(),
        }
    }
}

/// The verdict with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// What to do with the change.
    pub decision: VerdictDecision,
    /// One line naming the finding that decided it.
    pub reason: String,
}

/// Whether a surviving finding still blocks.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum FindingStatus {
    /// Needs action.
    #[default]
    Open,
    /// Accepted for later; does not block.
    Deferred,
    /// Already fixed; does not block.
    Fixed,
}

/// Names a raw finding that fed a consolidated one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourceRef {
    /// Lowercase agent key.
    pub agent: String,
    /// Pass number, 1-based.
    pub pass: u32,
    /// 1-based position in the agent's review.
    pub ordinal: u32,
    /// The agent's own id, when it wrote one.
    pub raised_id: Option<String>,
    /// Severity as the agent raised it.
    pub severity: Severity,
}

/// One step of the explain trail: which rule fired, with its inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// Rule name (`consensus`, `lone-critical`, `adjudication`, `cluster`, ...):
    /// borrowed for the engine's own rules, so the records of every cluster
    /// copy no name.
    pub rule: Cow<'static, str>,
    /// What it saw and what it did, in one line.
    pub detail: String,
}

/// A cluster of raw findings about the same issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsolidatedFinding {
    /// `C1`, `I2`, `S3`: severity letter and position within the severity.
    pub id: String,
    /// Calibrated severity.
    pub severity: Severity,
    /// Open, deferred or fixed.
    #[serde(default)]
    pub status: FindingStatus,
    /// `regression`, `gap`, `enhancement`, when any source said so.
    pub classification: Option<String>,
    /// Other tags of the sources, deduplicated and sorted.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The title of the representative source.
    pub title: String,
    /// Union of the sources' locations, sorted.
    pub locations: Vec<Location>,
    /// Credited agent keys, sorted.
    pub agents: Vec<String>,
    /// The raw findings that fed it.
    pub sources: Vec<SourceRef>,
    /// The explain trail.
    pub decisions: Vec<DecisionRecord>,
    /// The body of the representative source.
    #[serde(default)]
    pub body: String,
    /// The fix of the representative source.
    #[serde(default)]
    pub fix: Option<String>,
    /// Set when no agent raised it this round: an unresolved or deferred item of
    /// an earlier round, carried over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<crate::cassette::CarriedFrom>,
}

/// Findings moved out of the findings list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    /// The raw findings moved.
    pub sources: Vec<SourceRef>,
    /// Title of the representative source.
    #[serde(default)]
    pub title: String,
    /// Where they went (`design-observation`).
    pub to: String,
    /// Why (`pre-existing`, `out-of-scope`) and the recorded reason.
    pub reason: String,
}

/// Findings dropped from the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dropped {
    /// The raw findings dropped.
    pub sources: Vec<SourceRef>,
    /// Title of the representative source.
    #[serde(default)]
    pub title: String,
    /// `false-positive`, `declined`, ...
    pub reason: String,
    /// The rule's or adjudication's explanation.
    pub detail: String,
}

/// Counts per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    /// Criticals.
    pub critical: u32,
    /// Importants.
    pub important: u32,
    /// Suggestions.
    pub suggestion: u32,
}

/// The retro of one agent; definitions in `docs/metrics.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentRetro {
    /// Lowercase agent key.
    pub agent: String,
    /// Model name, when known.
    pub model: Option<String>,
    /// Findings raised, per severity as the agent rated them.
    pub raised: SeverityCounts,
    /// Design observations written.
    pub design_observations: u32,
    /// Raw findings judged false positives.
    pub false_positives: u32,
    /// Surviving consolidated findings credited to this agent alone.
    pub unique_insights: u32,
    /// Coverage entries written.
    pub files_reviewed: u32,
    /// Files marked clean where a surviving finding is located.
    pub coverage_misses: u32,
    /// Raw findings whose consolidated severity is lower than raised.
    pub downgraded: u32,
    /// Raw findings dropped or moved.
    pub dropped: u32,
    /// Seconds, summed over passes, when known.
    pub duration_s: Option<f64>,
    /// Tool calls, summed over passes, when known.
    pub tool_calls: Option<u32>,
}

/// A design observation with the agent that wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributedObservation {
    /// Lowercase agent key.
    pub agent: String,
    /// The observation.
    #[serde(flatten)]
    pub observation: DesignObservation,
}

/// A line of text with the agent that wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributedText {
    /// Lowercase agent key.
    pub agent: String,
    /// The text.
    pub text: String,
}

/// What every agent said about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedCoverage {
    /// Repository-relative path.
    pub path: String,
    /// One entry per agent that listed the file, by agent key.
    pub by_agent: Vec<(String, CoverageEntry)>,
}
