//! Cassette format v1: one recorded review round, as JSON.
//!
//! A cassette holds the round metadata, every recorded model response
//! (interactions), optional recorded adjudications, optional resolutions of earlier
//! rounds, and an optional `reference` (what a historical consolidation decided).
//! Parsed reviews are *not* stored: they are derived from the response text when a
//! cassette is loaded, so a better parser improves old cassettes.
//!
//! # Versioning
//! The `schema` field names the format: `review-replay/cassette/v1`. This build reads
//! exactly the versions in [`READABLE_SCHEMAS`]; anything else is refused with an
//! error that lists them. Unknown fields are refused too, so a typo never silently
//! drops data. See `docs/cassette.md` and `docs/cassette.schema.json`.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::model::{Incomplete, Location, Severity, VerdictDecision};

/// The schema id written into every cassette this build produces.
pub const SCHEMA_V1: &str = "review-replay/cassette/v1";

/// The schema ids this build can read.
pub const READABLE_SCHEMAS: &[&str] = &[SCHEMA_V1];

/// One recorded review round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cassette {
    /// Always [`SCHEMA_V1`] for this version.
    pub schema: String,
    /// What was reviewed, by whom, when.
    pub round: RoundMeta,
    /// One entry per recorded model response.
    pub interactions: Vec<Interaction>,
    /// Recorded consolidator decisions about raw findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjudications: Vec<Adjudication>,
    /// Resolutions of earlier rounds of the same PR (for the prior-round gate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prior_resolutions: Vec<PriorResolution>,
    /// What the historical consolidation decided, for imported reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Reference>,
    /// Where the cassette came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// Metadata of a review round.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundMeta {
    /// Stable id of the round, unique within a cassette set (e.g. `20260412-003842-pr-295`).
    pub id: String,
    /// `owner/name` of the reviewed repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// Pull request number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr: Option<u32>,
    /// Pull request title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Round number within the PR, 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<u32>,
    /// PR author handle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Branch under review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// Date and time as written in the report (`2026-04-12 00:38`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Commits under review, newest first as listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commits: Vec<Commit>,
    /// The reviewer agents of the round.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviewers: Vec<Reviewer>,
    /// Wall-clock time of the whole round, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall_clock_s: Option<f64>,
}

/// One commit under review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commit {
    /// Abbreviated or full sha.
    pub sha: String,
    /// First line of the commit message.
    pub subject: String,
}

/// A reviewer agent of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reviewer {
    /// Lowercase family key (`claude`, `codex`, `gemini`).
    pub agent: String,
    /// Model name as written (`Claude Opus 4.6`).
    pub model: String,
    /// Reasoning effort, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<String>,
}

/// What a recorded model response was for.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A reviewer agent's review.
    #[default]
    Reviewer,
    /// A consolidator model's adjudication.
    Adjudicator,
}

/// One recorded model response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    /// What the response was for.
    pub role: Role,
    /// Lowercase agent key.
    pub agent: String,
    /// Model name as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Pass number, 1-based.
    #[serde(default = "one")]
    pub pass: u32,
    /// Identity of the prompt, when known: `sha256:<hex>` of the prompt text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// The response text, verbatim.
    pub response: String,
    /// How long the response took, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<f64>,
    /// How many tool calls the agent made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<u32>,
    /// Set when the response is not a whole review (empty, a pointer to where the
    /// review was, a summary without its findings, cut off, or a failed run), with
    /// the reason. Absent means whole, as in cassettes written before the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<Incomplete>,
    /// Why the recording failed (timed out, exited non-zero, printed nothing,
    /// not UTF-8); a failed interaction is never replayed as a review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// The agent's exit status, when `record` ran it and it exited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_status: Option<i32>,
    /// The last lines of the agent's standard error, redacted, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr_tail: Option<String>,
    /// How many secrets the redactor replaced in this interaction.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub redactions: u32,
    /// The prompt text (the template, before placeholders), redacted, when
    /// recorded with `--record-prompts`: lets a strict replay name the first
    /// line that changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_text: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Default for Interaction {
    /// An empty first-pass review: struct literals fill in what they know and
    /// stay valid when optional fields are added.
    fn default() -> Interaction {
        Interaction {
            role: Role::Reviewer,
            agent: String::new(),
            model: None,
            pass: 1,
            prompt: None,
            response: String::new(),
            duration_s: None,
            tool_calls: None,
            failure: None,
            exit_status: None,
            stderr_tail: None,
            redactions: 0,
            prompt_text: None,
            incomplete: None,
        }
    }
}

fn one() -> u32 {
    1
}

/// Names one raw finding: the agent, the pass, and its id or ordinal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRef {
    /// Lowercase agent key.
    pub agent: String,
    /// Pass number, 1-based.
    #[serde(default = "one")]
    pub pass: u32,
    /// The agent's own id (`C1`); preferred when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// 1-based position in the agent's review; used when `id` is absent. With
    /// `section`, the position of the item in that section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordinal: Option<u32>,
    /// Names an item of the review's testing, documentation, design or
    /// limitations section instead of a finding: the consolidator promoted it to
    /// a finding credited to the agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<ItemSection>,
}

/// A section of an agent review whose items are not findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemSection {
    /// Testing assessment.
    Testing,
    /// Documentation assessment.
    Documentation,
    /// Design observations (concerns and strengths).
    Design,
    /// Acknowledged limitations.
    Limitations,
}

impl ItemSection {
    /// The kebab-case name used in files and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemSection::Testing => "testing",
            ItemSection::Documentation => "documentation",
            ItemSection::Design => "design",
            ItemSection::Limitations => "limitations",
        }
    }
}

/// A consolidator decision about one finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "decision")]
pub enum Decision {
    /// The finding stands at its severity (also confirms a lone critical).
    Confirm,
    /// The finding stands at this severity.
    SetSeverity {
        /// The severity to use.
        severity: Severity,
    },
    /// Not a real problem: dropped.
    FalsePositive,
    /// Real, but not introduced by this change: moved to design observations.
    PreExisting,
    /// Real, but outside this change's scope: moved to design observations.
    OutOfScope,
    /// Already declined by the author: dropped.
    Declined,
    /// Accepted for later: kept, does not block.
    Deferred,
    /// Already fixed: kept, does not block.
    Fixed,
    /// The round's verdict as the consolidator decided it; `about` is empty.
    /// Replaces the verdict ladder's answer unless replaying rules-only.
    Verdict {
        /// The decision (`rework`, `merge-with-fixes`, ...).
        verdict: VerdictDecision,
    },
}

/// How sure an importer was about a derived adjudication.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Recorded by a person or model, or derived without doubt.
    #[default]
    Sure,
    /// Derived by matching text; may be wrong.
    Unsure,
}

fn is_sure(c: &Confidence) -> bool {
    *c == Confidence::Sure
}

/// A recorded decision about one or more raw findings.
// No `deny_unknown_fields` here: serde cannot combine it with the flattened
// `decision` (every adjudication would be refused with "unknown field `decision`").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjudication {
    /// The raw findings it is about.
    pub about: Vec<RawRef>,
    /// What was decided.
    #[serde(flatten)]
    pub decision: Decision,
    /// Why, in a sentence.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// How sure the recorder was.
    #[serde(default, skip_serializing_if = "is_sure")]
    pub confidence: Confidence,
}

/// What the author did with an item of an earlier round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResolutionStatus {
    /// Fixed in a later commit.
    Fixed,
    /// A test was written.
    TestWritten,
    /// Declined / skipped on purpose.
    Declined,
    /// Left for later.
    Deferred,
    /// Not addressed yet: still open in the next round.
    Unresolved,
}

/// One resolved item of an earlier round of the same PR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorResolution {
    /// The earlier round number.
    pub round: u32,
    /// The consolidated id there (`I3`).
    pub id: String,
    /// The finding's title there.
    pub title: String,
    /// Where it was located.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// What the author did.
    pub status: ResolutionStatus,
    /// The consolidated severity there, when known (else read from `id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The author's reason, when given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// What a historical consolidation decided.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The verdict, when the report had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<ReferenceVerdict>,
    /// The consolidated findings, in report order.
    #[serde(default)]
    pub findings: Vec<ReferenceFinding>,
    /// The retro summary table, verbatim cells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retro: Option<RetroTable>,
    /// The reconciliation lines, verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reconciliation: Vec<String>,
}

/// A historical verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceVerdict {
    /// `rework`, `merge-with-fixes`, `merge-with-optional-fixes` or `merge-as-is`,
    /// or the verbatim text when it is none of these.
    pub decision: String,
    /// The reason as written.
    #[serde(default)]
    pub reason: String,
}

/// One consolidated finding of a historical report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceFinding {
    /// The id in the report (`C1`, `I2`, `S3`).
    pub id: String,
    /// The consolidated severity.
    pub severity: Severity,
    /// The title.
    pub title: String,
    /// Credited agent keys, sorted.
    #[serde(default)]
    pub agents: Vec<String>,
    /// Cited locations.
    #[serde(default)]
    pub locations: Vec<Location>,
    /// Tags such as `regression`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Set when no agent raised the finding this round: carried over from an
    /// earlier round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<CarriedFrom>,
}

/// Where a carried-over finding came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarriedFrom {
    /// The earlier round, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<u32>,
    /// Its id there, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// A retro summary table: one column per agent, one row per metric.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetroTable {
    /// Column headings after the metric column (usually model names).
    pub columns: Vec<String>,
    /// Rows in table order.
    pub rows: Vec<RetroRow>,
}

/// One metric row of a retro table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetroRow {
    /// The metric name, emphasis removed.
    pub metric: String,
    /// One cell per column, verbatim, emphasis removed.
    pub values: Vec<String>,
}

/// Where a cassette came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// `report` (a deep-review report) or `raw` (a directory of agent outputs).
    pub kind: String,
    /// File or directory name it was imported from (no directories above it).
    pub name: String,
    /// `sha256:<hex>` of the imported bytes.
    pub sha256: String,
}

/// Returns `sha256:<hex>` of `bytes`.
pub fn sha256_id(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

impl Cassette {
    /// Reads and validates a cassette from JSON text. `path` is only used in errors.
    pub fn from_json(path: &Path, text: &str) -> Result<Cassette, Error> {
        match serde_json::from_str::<Cassette>(text) {
            Ok(c) if READABLE_SCHEMAS.contains(&c.schema.as_str()) => {
                crate::limits::check_cassette(path, &c)?;
                Ok(c)
            }
            Ok(c) => Err(unknown_schema(path, &c.schema)),
            Err(err) => {
                // A file of another version may fail on fields v1 does not know:
                // report the version rather than the field.
                if let Some(schema) = declared_schema(text)
                    && !READABLE_SCHEMAS.contains(&schema.as_str())
                {
                    return Err(unknown_schema(path, &schema));
                }
                Err(Error::CassetteJson {
                    path: path.to_path_buf(),
                    line: err.line(),
                    column: err.column(),
                    message: json_message(&err),
                })
            }
        }
    }

    /// Reads a cassette file.
    pub fn load(path: &Path) -> Result<Cassette, Error> {
        let text = crate::fsutil::read_text(path)?;
        Cassette::from_json(path, &text)
    }

    /// Serialises the cassette as pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        // Serialising plain data structs to a String cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The reviewer interactions that hold a review (failed recordings left out).
    pub fn reviews(&self) -> impl Iterator<Item = &Interaction> {
        self.interactions
            .iter()
            .filter(|i| i.role == Role::Reviewer && i.failure.is_none())
    }

    /// The interactions whose recording failed, with their reasons.
    pub fn failed(&self) -> impl Iterator<Item = &Interaction> {
        self.interactions.iter().filter(|i| i.failure.is_some())
    }
}

fn unknown_schema(path: &Path, found: &str) -> Error {
    Error::UnknownSchema {
        path: path.to_path_buf(),
        found: found.to_string(),
        readable: READABLE_SCHEMAS.join(", "),
    }
}

/// The `schema` a JSON document declares, when it declares one, whatever else
/// it holds: lets a reader name the version of a file it cannot read instead of
/// the first field it does not know.
pub(crate) fn declared_schema(text: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Probe {
        schema: Option<serde_json::Value>,
    }
    let schema = serde_json::from_str::<Probe>(text).ok()?.schema?;
    Some(
        schema
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| schema.to_string()),
    )
}

/// serde_json's message without its trailing ` at line L column C`: our errors
/// name the position themselves.
pub(crate) fn json_message(err: &serde_json::Error) -> String {
    let message = err.to_string();
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(&message).to_string(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        r#"{"schema": "review-replay/cassette/v1", "round": {"id": "r1"}, "interactions": []}"#;

    #[test]
    fn minimal_cassette_loads_and_round_trips() {
        let c = Cassette::from_json(Path::new("r1.json"), MINIMAL).expect("load");
        assert_eq!(c.round.id, "r1");
        let again = Cassette::from_json(Path::new("r1.json"), &c.to_json()).expect("reload");
        assert_eq!(again, c);
    }

    #[test]
    fn truncated_json_names_file_line_and_column() {
        let text = "{\n  \"schema\": \"review-replay/cassette/v1\",\n  \"round\": {\"id\": ";
        let err = Cassette::from_json(Path::new("dir/r1.json"), text).expect_err("truncated");
        let msg = err.to_string();
        assert!(msg.starts_with("dir/r1.json:3:"), "{msg}");
        assert!(msg.contains("invalid cassette"), "{msg}");
        assert!(!msg.contains(" at line "), "position given twice: {msg}");
    }

    #[test]
    fn unknown_version_is_named_with_the_readable_ones() {
        // A future version with a field v1 does not know: the version is the news.
        let text = r#"{"schema": "review-replay/cassette/v9", "round": {"id": "r"}, "interactions": [], "novel": 1}"#;
        let msg = Cassette::from_json(Path::new("r.json"), text)
            .expect_err("v9")
            .to_string();
        assert!(
            msg.contains("unknown cassette schema `review-replay/cassette/v9`"),
            "{msg}"
        );
        assert!(msg.contains(SCHEMA_V1), "{msg}");
    }

    #[test]
    fn unknown_field_in_v1_is_refused() {
        let text = r#"{"schema": "review-replay/cassette/v1", "round": {"id": "r"}, "interactions": [], "novel": 1}"#;
        let msg = Cassette::from_json(Path::new("r.json"), text)
            .expect_err("unknown field")
            .to_string();
        assert!(msg.contains("novel"), "{msg}");
    }

    #[test]
    fn adjudication_decisions_round_trip() {
        let text = r#"{"about": [{"agent": "gemini", "id": "C1"}], "decision": "set-severity", "severity": "important", "reason": "r"}"#;
        let a: Adjudication = serde_json::from_str(text).expect("parse");
        assert_eq!(
            a.decision,
            Decision::SetSeverity {
                severity: Severity::Important
            }
        );
        assert_eq!(a.about[0].pass, 1);
        let back: Adjudication =
            serde_json::from_str(&serde_json::to_string(&a).expect("json")).expect("reparse");
        assert_eq!(back, a);
    }
}
