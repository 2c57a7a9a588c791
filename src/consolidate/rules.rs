//! The rules file: thresholds and options of the engine, versioned TOML.
//!
//! The file declares `schema = "review-replay/rules/v1"`; other versions are refused
//! with the list of readable ones, and unknown keys are refused with
//! `file:line:column`, so a typo never silently falls back to a default. Keys left
//! out keep the built-in default ([`DEFAULT_RULES_TOML`], documented in
//! `docs/rules.md`).
//!
//! Fractions are stored as integer permille (0..=1000) so that every score the
//! engine computes and prints is an exact integer: no float formatting can differ
//! between runs or platforms.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::Error;
use crate::fsutil;
use crate::model::Severity;
use crate::report::VerdictDecision;

/// The schema id of rules files this build writes.
pub const RULES_SCHEMA_V1: &str = "review-replay/rules/v1";

/// The rules schema ids this build reads.
pub const READABLE_RULES_SCHEMAS: &[&str] = &[RULES_SCHEMA_V1];

/// The built-in rules file, printed by `review-replay rules`.
pub const DEFAULT_RULES_TOML: &str = include_str!("default_rules.toml");

/// The consolidation rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// De-duplication.
    pub cluster: ClusterRules,
    /// Severity calibration.
    pub severity: SeverityRules,
    /// The prior-round gate.
    pub prior: PriorRules,
    /// The verdict.
    pub verdict: VerdictRules,
    /// Each agent's historical calibration, by agent key (empty by default).
    pub calibration: BTreeMap<String, AgentCalibration>,
}

/// One agent's historical calibration: the share of its raw findings raised at a
/// severity that the consolidation kept at that severity (the `keep rate` of
/// `review-replay reproduce --calibration`), permille.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgentCalibration {
    /// Keep rate of its criticals.
    pub critical_keep_rate: Option<u32>,
    /// Keep rate of its importants.
    pub important_keep_rate: Option<u32>,
    /// Keep rate of its suggestions.
    pub suggestion_keep_rate: Option<u32>,
}

impl AgentCalibration {
    /// The keep rate at a severity, permille, when known.
    pub fn keep_rate(&self, severity: Severity) -> Option<u32> {
        match severity {
            Severity::Critical => self.critical_keep_rate,
            Severity::Important => self.important_keep_rate,
            Severity::Suggestion => self.suggestion_keep_rate,
        }
    }
}

/// How raw findings are grouped into consolidated findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterRules {
    /// Minimum weighted score (permille) for a merge.
    pub threshold: u32,
    /// Whether two findings of one agent pass may share a cluster.
    pub merge_same_agent: bool,
    /// Raw findings named together by one keep adjudication are one cluster, and
    /// members of two such adjudications are never merged (ignored with
    /// `--rules-only`).
    pub follow_adjudications: bool,
    /// Line distance counted as nearby.
    pub line_window: u32,
    /// Location score (permille) for the same file without lines on one side.
    pub file_only_score: u32,
    /// Location score (permille) for the same file beyond the window.
    pub far_score: u32,
    /// Location signal (permille) that anchors a merge.
    pub anchor_location: u32,
    /// Identifier signal (permille) that anchors a merge.
    pub anchor_identifiers: u32,
    /// Title signal (permille) that anchors a merge.
    pub anchor_title: u32,
    /// Body signal (permille) a location anchor needs when the ranges do not
    /// overlap and no identifier is shared.
    pub anchor_adjacent_body: u32,
    /// Smallest denominator of the identifier overlap.
    pub identifier_min_denominator: u32,
    /// Signal weights (permille).
    pub weights: Weights,
}

/// Weights of the similarity signals, permille.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    /// Paths and line proximity.
    pub location: u32,
    /// Shared code identifiers.
    pub identifiers: u32,
    /// Title words.
    pub title: u32,
    /// Title, body and fix words.
    pub body: u32,
    /// Identical code excerpt lines (only when both quote code).
    pub code: u32,
}

/// What a critical raised by one agent only becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoneCritical {
    /// Important, unless an adjudication confirms it.
    Important,
    /// Stays critical.
    Keep,
    /// Important when the agent's criticals were historically kept less often
    /// than `lone_critical_min_keep_rate` (or when the agent has no calibration),
    /// critical otherwise.
    ByCalibration,
}

/// What an important raised by one agent only becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoneImportant {
    /// Stays important.
    Keep,
    /// Suggestion when the agent's importants were historically kept less often
    /// than `lone_important_min_keep_rate`; important otherwise or without data.
    ByCalibration,
}

/// Severity calibration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeverityRules {
    /// Distinct agents needed for consensus.
    pub consensus_min_agents: u32,
    /// Most levels a multi-agent cluster may end below its highest raised severity.
    pub max_consensus_drop: u32,
    /// The lone-critical rule.
    pub lone_critical: LoneCritical,
    /// With `by-calibration`: the critical keep rate (permille) an agent needs for
    /// its lone critical to stay critical.
    pub lone_critical_min_keep_rate: u32,
    /// The lone-important rule.
    pub lone_important: LoneImportant,
    /// With `by-calibration`: the important keep rate (permille) an agent needs
    /// for its lone important to stay important.
    pub lone_important_min_keep_rate: u32,
}

/// The prior-round gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorRules {
    /// Whether the gate runs.
    pub enabled: bool,
    /// Line distance still matching.
    pub line_window: u32,
    /// Same basename in another directory matches.
    pub match_basename: bool,
    /// Title similarity (permille) needed with a matching location.
    pub title_with_location: u32,
    /// Share (permille) of the prior title's words found in a finding's title, body
    /// or fix, needed with a matching location (a re-raise often rewords its title).
    pub text_with_location: u32,
    /// Title similarity (permille) matching alone.
    pub title_alone: u32,
    /// Re-raised deferred items stay deferred.
    pub deferred_stays_deferred: bool,
    /// Unresolved and deferred items of earlier rounds that no agent raised this
    /// round are carried over as findings credited to no agent.
    pub carry_over: bool,
    /// Declined items of earlier rounds that no agent raised this round are
    /// listed among the dropped findings (reason `declined`).
    pub list_declined: bool,
}

/// The verdict ladder: how open findings become Rework, Merge with fixes or
/// Merge as-is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictRules {
    /// Open criticals that make Rework (0: criticals never do).
    pub rework_min_critical: u32,
    /// Open importants that make Rework on their own (0: importants never do).
    pub rework_min_important: u32,
    /// What open suggestions alone give.
    pub suggestions_only: VerdictDecision,
    /// Tags that make an open suggestion a fix to make (at least Merge with
    /// fixes), e.g. `regression`.
    pub blocking_suggestion_tags: Vec<String>,
}

/// The built-in rules: equal to parsing [`DEFAULT_RULES_TOML`] (a test holds them equal).
impl Default for Rules {
    fn default() -> Rules {
        Rules {
            cluster: ClusterRules {
                threshold: 450,
                merge_same_agent: false,
                follow_adjudications: true,
                line_window: 25,
                file_only_score: 500,
                far_score: 200,
                anchor_location: 500,
                anchor_identifiers: 500,
                anchor_title: 600,
                anchor_adjacent_body: 300,
                identifier_min_denominator: 3,
                weights: Weights {
                    location: 300,
                    identifiers: 300,
                    title: 250,
                    body: 150,
                    code: 200,
                },
            },
            severity: SeverityRules {
                consensus_min_agents: 2,
                max_consensus_drop: 1,
                lone_critical: LoneCritical::Important,
                lone_critical_min_keep_rate: 500,
                lone_important: LoneImportant::Keep,
                lone_important_min_keep_rate: 500,
            },
            prior: PriorRules {
                enabled: true,
                line_window: 40,
                match_basename: true,
                title_with_location: 400,
                text_with_location: 500,
                title_alone: 600,
                deferred_stays_deferred: true,
                carry_over: true,
                list_declined: true,
            },
            verdict: VerdictRules {
                rework_min_critical: 1,
                rework_min_important: 0,
                suggestions_only: VerdictDecision::MergeAsIs,
                blocking_suggestion_tags: Vec::new(),
            },
            calibration: BTreeMap::new(),
        }
    }
}

// The file form: every section and key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    schema: String,
    #[serde(default)]
    cluster: ClusterFile,
    #[serde(default)]
    severity: SeverityFile,
    #[serde(default)]
    prior: PriorFile,
    #[serde(default)]
    verdict: VerdictFile,
    #[serde(default)]
    calibration: BTreeMap<String, AgentCalibrationFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentCalibrationFile {
    critical_keep_rate: Option<f64>,
    important_keep_rate: Option<f64>,
    suggestion_keep_rate: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClusterFile {
    threshold: Option<f64>,
    merge_same_agent: Option<bool>,
    follow_adjudications: Option<bool>,
    line_window: Option<u32>,
    file_only_score: Option<f64>,
    far_score: Option<f64>,
    anchor_location: Option<f64>,
    anchor_identifiers: Option<f64>,
    anchor_title: Option<f64>,
    anchor_adjacent_body: Option<f64>,
    identifier_min_denominator: Option<u32>,
    #[serde(default)]
    weights: WeightsFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightsFile {
    location: Option<f64>,
    identifiers: Option<f64>,
    title: Option<f64>,
    body: Option<f64>,
    code: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeverityFile {
    consensus_min_agents: Option<u32>,
    max_consensus_drop: Option<u32>,
    lone_critical: Option<String>,
    lone_critical_min_keep_rate: Option<f64>,
    lone_important: Option<String>,
    lone_important_min_keep_rate: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriorFile {
    enabled: Option<bool>,
    line_window: Option<u32>,
    match_basename: Option<bool>,
    title_with_location: Option<f64>,
    text_with_location: Option<f64>,
    title_alone: Option<f64>,
    deferred_stays_deferred: Option<bool>,
    carry_over: Option<bool>,
    list_declined: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerdictFile {
    optional_fixes_verdict: Option<bool>,
    rework_min_critical: Option<u32>,
    rework_min_important: Option<u32>,
    suggestions_only: Option<String>,
    blocking_suggestion_tags: Option<Vec<String>>,
}

impl Rules {
    /// Reads a rules file.
    pub fn load(path: &Path) -> Result<Rules, Error> {
        let text = fsutil::read_text(path)?;
        Rules::from_toml(path, &text)
    }

    /// Reads rules from TOML text; `path` only names the source in errors.
    pub fn from_toml(path: &Path, text: &str) -> Result<Rules, Error> {
        let err = |message: String| Error::Rules {
            path: path.to_path_buf(),
            message,
        };
        let readable = READABLE_RULES_SCHEMAS.join(", ");
        // The version is checked before the keys, so that a file of a newer version
        // is refused for its version, not for the first key this build lacks.
        let table: toml::Table = toml::from_str(text).map_err(|e| err(toml_message(text, &e)))?;
        match table.get("schema") {
            None => {
                return Err(err(format!(
                    "missing `schema`; this build reads {readable}"
                )));
            }
            Some(toml::Value::String(s)) if READABLE_RULES_SCHEMAS.contains(&s.as_str()) => {}
            Some(other) => {
                let found = other
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| other.to_string());
                return Err(err(format!(
                    "unknown rules schema `{found}`; this build reads {readable}"
                )));
            }
        }
        let file: RulesFile = toml::from_str(text).map_err(|e| err(toml_message(text, &e)))?;
        debug_assert!(READABLE_RULES_SCHEMAS.contains(&file.schema.as_str()));
        let mut rules = Rules::default();
        let frac = |key: &str, v: Option<f64>, into: &mut u32| -> Result<(), Error> {
            if let Some(v) = v {
                if !(0.0..=1.0).contains(&v) {
                    return Err(err(format!("`{key}` must be between 0 and 1, not {v}")));
                }
                // Three decimals: the unit every score is computed in.
                *into = (v * 1000.0).round() as u32;
            }
            Ok(())
        };
        let c = file.cluster;
        let rc = &mut rules.cluster;
        frac("cluster.threshold", c.threshold, &mut rc.threshold)?;
        if let Some(v) = c.merge_same_agent {
            rc.merge_same_agent = v;
        }
        if let Some(v) = c.follow_adjudications {
            rc.follow_adjudications = v;
        }
        if let Some(v) = c.line_window {
            rc.line_window = v;
        }
        frac(
            "cluster.file_only_score",
            c.file_only_score,
            &mut rc.file_only_score,
        )?;
        frac("cluster.far_score", c.far_score, &mut rc.far_score)?;
        frac(
            "cluster.anchor_location",
            c.anchor_location,
            &mut rc.anchor_location,
        )?;
        frac(
            "cluster.anchor_identifiers",
            c.anchor_identifiers,
            &mut rc.anchor_identifiers,
        )?;
        frac("cluster.anchor_title", c.anchor_title, &mut rc.anchor_title)?;
        frac(
            "cluster.anchor_adjacent_body",
            c.anchor_adjacent_body,
            &mut rc.anchor_adjacent_body,
        )?;
        if let Some(v) = c.identifier_min_denominator {
            rc.identifier_min_denominator = v.max(1);
        }
        let w = c.weights;
        let rw = &mut rc.weights;
        frac("cluster.weights.location", w.location, &mut rw.location)?;
        frac(
            "cluster.weights.identifiers",
            w.identifiers,
            &mut rw.identifiers,
        )?;
        frac("cluster.weights.title", w.title, &mut rw.title)?;
        frac("cluster.weights.body", w.body, &mut rw.body)?;
        frac("cluster.weights.code", w.code, &mut rw.code)?;
        if rw.location + rw.identifiers + rw.title + rw.body == 0 {
            return Err(err(
                "`cluster.weights`: location, identifiers, title and body cannot all be 0".into(),
            ));
        }
        let s = file.severity;
        if let Some(v) = s.consensus_min_agents {
            rules.severity.consensus_min_agents = v.max(1);
        }
        if let Some(v) = s.max_consensus_drop {
            rules.severity.max_consensus_drop = v;
        }
        if let Some(v) = s.lone_critical {
            rules.severity.lone_critical = match v.as_str() {
                "important" => LoneCritical::Important,
                "keep" => LoneCritical::Keep,
                "by-calibration" => LoneCritical::ByCalibration,
                other => {
                    return Err(err(format!(
                        "`severity.lone_critical` must be \"important\", \"keep\" or \"by-calibration\", not \"{other}\""
                    )));
                }
            };
        }
        frac(
            "severity.lone_critical_min_keep_rate",
            s.lone_critical_min_keep_rate,
            &mut rules.severity.lone_critical_min_keep_rate,
        )?;
        if let Some(v) = s.lone_important {
            rules.severity.lone_important = match v.as_str() {
                "keep" => LoneImportant::Keep,
                "by-calibration" => LoneImportant::ByCalibration,
                other => {
                    return Err(err(format!(
                        "`severity.lone_important` must be \"keep\" or \"by-calibration\", not \"{other}\""
                    )));
                }
            };
        }
        frac(
            "severity.lone_important_min_keep_rate",
            s.lone_important_min_keep_rate,
            &mut rules.severity.lone_important_min_keep_rate,
        )?;
        for (agent, c) in file.calibration {
            let key = crate::model::agent_key(&agent);
            let mut into = AgentCalibration::default();
            for (name, v, slot) in [
                (
                    "critical_keep_rate",
                    c.critical_keep_rate,
                    &mut into.critical_keep_rate,
                ),
                (
                    "important_keep_rate",
                    c.important_keep_rate,
                    &mut into.important_keep_rate,
                ),
                (
                    "suggestion_keep_rate",
                    c.suggestion_keep_rate,
                    &mut into.suggestion_keep_rate,
                ),
            ] {
                if let Some(v) = v {
                    let mut permille = 0;
                    frac(
                        &format!("calibration.{agent}.{name}"),
                        Some(v),
                        &mut permille,
                    )?;
                    *slot = Some(permille);
                }
            }
            if rules.calibration.insert(key.clone(), into).is_some() {
                return Err(err(format!(
                    "`calibration.{agent}`: agent `{key}` is calibrated twice"
                )));
            }
        }
        let p = file.prior;
        let rp = &mut rules.prior;
        if let Some(v) = p.enabled {
            rp.enabled = v;
        }
        if let Some(v) = p.line_window {
            rp.line_window = v;
        }
        if let Some(v) = p.match_basename {
            rp.match_basename = v;
        }
        frac(
            "prior.title_with_location",
            p.title_with_location,
            &mut rp.title_with_location,
        )?;
        frac(
            "prior.text_with_location",
            p.text_with_location,
            &mut rp.text_with_location,
        )?;
        frac("prior.title_alone", p.title_alone, &mut rp.title_alone)?;
        if let Some(v) = p.deferred_stays_deferred {
            rp.deferred_stays_deferred = v;
        }
        if let Some(v) = p.carry_over {
            rp.carry_over = v;
        }
        if let Some(v) = p.list_declined {
            rp.list_declined = v;
        }
        let v = &file.verdict;
        let rv = &mut rules.verdict;
        // The older switch, kept readable: it names one suggestions-only answer.
        if v.optional_fixes_verdict == Some(true) {
            rv.suggestions_only = VerdictDecision::MergeWithOptionalFixes;
        }
        if let Some(n) = v.rework_min_critical {
            rv.rework_min_critical = n;
        }
        if let Some(n) = v.rework_min_important {
            rv.rework_min_important = n;
        }
        if let Some(answer) = &v.suggestions_only {
            if v.optional_fixes_verdict.is_some() {
                return Err(err(
                    "verdict.optional_fixes_verdict and verdict.suggestions_only both set; keep suggestions_only".into(),
                ));
            }
            rv.suggestions_only = match answer.as_str() {
                "merge-as-is" => VerdictDecision::MergeAsIs,
                "merge-with-optional-fixes" => VerdictDecision::MergeWithOptionalFixes,
                "merge-with-fixes" => VerdictDecision::MergeWithFixes,
                other => {
                    return Err(err(format!(
                        "verdict.suggestions_only is `{other}`; expected \"merge-as-is\", \"merge-with-optional-fixes\" or \"merge-with-fixes\""
                    )));
                }
            };
        }
        if let Some(tags) = &v.blocking_suggestion_tags {
            rv.blocking_suggestion_tags =
                tags.iter().map(|t| t.trim().to_ascii_lowercase()).collect();
        }
        Ok(rules)
    }
}

/// Loads the rules file at `path`, or the built-in rules when there is none.
pub fn load_rules(path: Option<&Path>) -> Result<Rules, Error> {
    match path {
        Some(p) => Rules::load(p),
        None => Ok(Rules::default()),
    }
}

/// `line:column: message` for a TOML error, from its byte span.
fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim();
    match e.span() {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            format!("{line}:{column}: {message}")
        }
        None => message.to_string(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    for (i, c) in text.char_indices() {
        if i >= offset {
            break;
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Rules, Error> {
        Rules::from_toml(Path::new("r.toml"), text)
    }

    #[test]
    fn verdict_keys_are_checked() {
        let head = "schema = \"review-replay/rules/v1\"\n[verdict]\n";
        let err = parse(&format!("{head}suggestions_only = \"ship-it\"\n"))
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert!(
            err.as_ref()
                .is_err_and(|e| e.contains("verdict.suggestions_only is `ship-it`")),
            "{err:?}"
        );
        let both =
            format!("{head}optional_fixes_verdict = true\nsuggestions_only = \"merge-as-is\"\n");
        let err = parse(&both).map(|_| ()).map_err(|e| e.to_string());
        assert!(
            err.as_ref().is_err_and(|e| e.contains("both set")),
            "{err:?}"
        );
        // The older key alone still reads, as the answer it always named.
        let old = parse(&format!("{head}optional_fixes_verdict = true\n")).expect("old key");
        assert_eq!(
            old.verdict.suggestions_only,
            VerdictDecision::MergeWithOptionalFixes
        );
        let tags = parse(&format!(
            "{head}blocking_suggestion_tags = [\" Regression \"]\n"
        ))
        .expect("tags");
        assert_eq!(tags.verdict.blocking_suggestion_tags, ["regression"]);
    }

    #[test]
    fn builtin_file_equals_default() {
        let parsed = parse(DEFAULT_RULES_TOML).map_err(|e| e.to_string());
        assert_eq!(parsed, Ok(Rules::default()));
    }

    #[test]
    fn unknown_key_is_refused_with_position() {
        let text = "schema = \"review-replay/rules/v1\"\n[cluster]\nthreshhold = 0.5\n";
        let msg = parse(text).map(|_| ()).map_err(|e| e.to_string());
        let msg = msg.err().unwrap_or_default();
        assert!(msg.starts_with("r.toml: invalid rules: 3:1:"), "{msg}");
        assert!(msg.contains("threshhold"), "{msg}");
    }

    #[test]
    fn unknown_version_lists_readable() {
        let msg = parse("schema = \"review-replay/rules/v9\"\n")
            .map(|_| ())
            .map_err(|e| e.to_string())
            .err()
            .unwrap_or_default();
        assert!(
            msg.contains("unknown rules schema `review-replay/rules/v9`"),
            "{msg}"
        );
        assert!(
            msg.contains("this build reads review-replay/rules/v1"),
            "{msg}"
        );
    }

    #[test]
    fn missing_schema_is_refused() {
        assert!(parse("[cluster]\nthreshold = 0.5\n").is_err());
    }

    #[test]
    fn partial_file_keeps_other_defaults() {
        let r = parse("schema = \"review-replay/rules/v1\"\n[cluster]\nthreshold = 0.55\n")
            .map_err(|e| e.to_string());
        let mut want = Rules::default();
        want.cluster.threshold = 550;
        assert_eq!(r, Ok(want));
    }

    #[test]
    fn every_default_key_is_documented() {
        let docs = include_str!("../../docs/rules.md");
        let table: toml::Table = toml::from_str(DEFAULT_RULES_TOML).unwrap_or_default();
        let mut missing = Vec::new();
        let mut stack: Vec<(String, &toml::Table)> = vec![(String::new(), &table)];
        while let Some((prefix, t)) = stack.pop() {
            for (k, v) in t {
                match v {
                    toml::Value::Table(inner) => {
                        assert!(
                            docs.contains(&format!("[{prefix}{k}]")),
                            "section [{prefix}{k}]"
                        );
                        stack.push((format!("{prefix}{k}."), inner));
                    }
                    _ if k == "schema" => {}
                    _ => {
                        if !docs.contains(&format!("| `{k}` | `{v}")) {
                            missing.push(format!("{prefix}{k} = {v}"));
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "undocumented or wrong default: {missing:?}"
        );
    }

    #[test]
    fn out_of_range_fraction_is_refused() {
        assert!(
            parse("schema = \"review-replay/rules/v1\"\n[prior]\ntitle_alone = 1.5\n").is_err()
        );
    }

    #[test]
    fn calibration_tables_and_by_calibration_parse() {
        let text = "schema = \"review-replay/rules/v1\"\n[severity]\nlone_critical = \"by-calibration\"\nlone_critical_min_keep_rate = 0.4\n[calibration.Gemini]\ncritical_keep_rate = 0.33\n[calibration.codex]\nimportant_keep_rate = 0.8\nsuggestion_keep_rate = 1\n";
        let r = parse(text).map_err(|e| e.to_string());
        let mut want = Rules::default();
        want.severity.lone_critical = LoneCritical::ByCalibration;
        want.severity.lone_critical_min_keep_rate = 400;
        want.calibration.insert(
            "gemini".into(),
            AgentCalibration {
                critical_keep_rate: Some(330),
                ..AgentCalibration::default()
            },
        );
        want.calibration.insert(
            "codex".into(),
            AgentCalibration {
                critical_keep_rate: None,
                important_keep_rate: Some(800),
                suggestion_keep_rate: Some(1000),
            },
        );
        assert_eq!(r, Ok(want));
    }

    #[test]
    fn bad_calibration_is_refused() {
        let head = "schema = \"review-replay/rules/v1\"\n";
        for (body, says) in [
            (
                "[calibration.gemini]\ncritical_keep_rate = 1.2\n",
                "calibration.gemini.critical_keep_rate",
            ),
            (
                "[calibration.gemini]\ncritcal_keep_rate = 0.2\n",
                "critcal_keep_rate",
            ),
            (
                "[calibration.gemini]\ncritical_keep_rate = 0.2\n[calibration.Gemini]\n",
                "calibrated twice",
            ),
            (
                "[severity]\nlone_critical = \"calibrated\"\n",
                "by-calibration",
            ),
            (
                "[severity]\nlone_critical_min_keep_rate = 2\n",
                "lone_critical_min_keep_rate",
            ),
        ] {
            let msg = parse(&format!("{head}{body}"))
                .map(|_| ())
                .map_err(|e| e.to_string())
                .err()
                .unwrap_or_default();
            assert!(msg.contains(says), "{body}: {msg}");
        }
    }

    #[test]
    fn calibration_rules_snippet_reads_back_as_the_profile_keep_rates() {
        use crate::eval::calibration::{Calibration, Outcomes};
        let mut profile = Calibration::default();
        let gemini = profile.by_agent.entry("gemini".into()).or_default();
        gemini.insert(
            Severity::Critical,
            Outcomes {
                raised: 4,
                kept: 1,
                down: 2,
                unmatched: 1,
                ..Outcomes::default()
            },
        );
        gemini.insert(
            Severity::Suggestion,
            Outcomes {
                raised: 2,
                unmatched: 2,
                ..Outcomes::default()
            },
        );
        let claude = profile.by_agent.entry("claude".into()).or_default();
        claude.insert(
            Severity::Important,
            Outcomes {
                raised: 2,
                kept: 2,
                ..Outcomes::default()
            },
        );
        // The snippet `reproduce --calibration-rules` prints must load as rules.
        let text = profile.render_rules_toml();
        let rules = parse(&format!("schema = \"review-replay/rules/v1\"\n{text}"))
            .map_err(|e| e.to_string());
        let rates = rules.map(|r| {
            (
                r.calibration
                    .get("gemini")
                    .and_then(|c| c.keep_rate(Severity::Critical)),
                r.calibration
                    .get("claude")
                    .and_then(|c| c.keep_rate(Severity::Important)),
            )
        });
        assert_eq!(rates, Ok((Some(333), Some(1000))));
    }
}
