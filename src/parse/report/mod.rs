//! The deep-review report parser: a whole consolidated report (header table,
//! consolidated findings, retro, reconciliation, appendix of original reviews,
//! resolution) into cassette parts.
//!
//! Invariants:
//! - [`parse_report`] never fails and never panics: it returns what it understood
//!   plus [`Diagnostic`]s with 1-based line numbers of the report;
//! - the appendix is split into agent sections only at headings whose text names
//!   an agent and nothing else (`### [Codex] — Pass 1`), never by heading level:
//!   an agent's review has headings of every level of its own, and code blocks
//!   hold `#` comment lines (the shared scanner tracks fences);
//! - an agent section's text is kept verbatim (only blank lines and the `---`
//!   separator around it are trimmed), so a better review parser can re-read it;
//! - whether a report can become a cassette is decided by [`ParsedReport::to_cassette`],
//!   not by the parser.

use std::collections::BTreeMap;
use std::path::Path;

use crate::cassette::{
    CarriedFrom, Cassette, Commit, Interaction, PriorResolution, Reference, ReferenceFinding,
    ReferenceVerdict, ResolutionStatus, RetroRow, RetroTable, Reviewer, Role, RoundMeta, SCHEMA_V1,
    Source,
};
use crate::error::Error;
use crate::model::{Diagnostic, DiagnosticLevel, ParseOutput, Severity, known_family};
use crate::parse::location::extract_locations;
use crate::parse::markdown::{Line, LineKind, scan, strip_emphasis, table_cells};
use crate::parse::review::parse_review;
use crate::report::VerdictDecision;

mod appendix;
mod findings;
mod header;
mod resolution;
mod retro;

pub use appendix::*;
use findings::*;
pub use header::*;
use resolution::*;
use retro::*;

/// The import error for a report whose appendix holds no agent review.
pub const NO_APPENDIX: &str = "no `Appendix: Original Reviews` with agent reviews";

/// One agent's original review, cut from the appendix.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentSection {
    /// Lowercase agent key.
    pub agent: String,
    /// Model name from the heading, or from the header's reviewers.
    pub model: Option<String>,
    /// Pass number, 1-based (`— Pass 2`), 1 when not stated.
    pub pass: u32,
    /// Line of the agent heading.
    pub heading_line: u32,
    /// Line of the first line of [`AgentSection::text`].
    pub first_line: u32,
    /// The review, verbatim.
    pub text: String,
    /// What the review parser understood of it.
    pub review: ParseOutput,
}

/// Per-agent numbers from the retro summary table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentStats {
    /// Duration in seconds.
    pub duration_s: Option<f64>,
    /// Tool calls (the leading number of `88 (Bash 39, ...)`).
    pub tool_calls: Option<u32>,
}

/// Everything understood from one deep-review report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedReport {
    /// Round metadata (id from the title, else the file stem).
    pub meta: RoundMeta,
    /// Agent sections of the appendix, in report order.
    pub agents: Vec<AgentSection>,
    /// Line of the appendix heading, when there is one.
    pub appendix_line: Option<u32>,
    /// What the consolidation decided.
    pub reference: Reference,
    /// Retro numbers per agent key.
    pub stats: BTreeMap<String, AgentStats>,
    /// The report's own resolution items (round = this report's round).
    pub resolutions: Vec<PriorResolution>,
    /// What was not understood.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a parsed report cannot become a cassette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// Line of the report, where there is one.
    pub line: Option<u32>,
    /// What is wrong.
    pub message: String,
}

/// Parses a report file's text and builds its cassette: the one path from a
/// report on disk to a cassette, shared by `import`, `reproduce` and `eval`.
/// `path` names the source in the cassette and in errors.
pub fn import_report_text(path: &Path, text: &str) -> Result<(Cassette, ParsedReport), Error> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parsed = parse_report(text, &stem);
    let source = Source {
        kind: "report".into(),
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        sha256: crate::cassette::sha256_id(text.as_bytes()),
    };
    let mut cassette = parsed.to_cassette(source).map_err(|p| Error::Import {
        path: path.to_path_buf(),
        line: p.line.map(|l| l as usize),
        message: p.message,
    })?;
    // The historical decisions, so that replaying the import reproduces them.
    let first_line = |agent: &str, pass: u32| {
        parsed
            .agents
            .iter()
            .find(|a| a.agent == agent && a.pass == pass)
            .map_or(1, |a| a.first_line)
    };
    let mut reviews: Vec<crate::parse::derive::ParsedOf> = parsed
        .agents
        .iter()
        .map(|a| {
            (
                a.agent.clone(),
                a.pass,
                a.first_line,
                a.review.review.clone(),
            )
        })
        .collect();
    reviews.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let (adjudications, notes) =
        crate::parse::derive::derive_from_parsed(&cassette, &first_line, reviews);
    cassette.adjudications = adjudications;
    cassette.prior_resolutions = carried_priors(&cassette);
    let mut parsed = parsed;
    parsed.diagnostics.extend(notes);
    Ok((cassette, parsed))
}

/// The earlier-round items a report's carried-over findings stand for: what the
/// consolidator knew was still open, recorded as unresolved prior resolutions so
/// that a replay carries them over as the report did.
fn carried_priors(cassette: &Cassette) -> Vec<PriorResolution> {
    let Some(reference) = &cassette.reference else {
        return Vec::new();
    };
    let this_round = cassette.round.round.unwrap_or(1);
    reference
        .findings
        .iter()
        .filter_map(|f| {
            let from = f.carried_from.as_ref()?;
            Some(PriorResolution {
                round: from.round.unwrap_or(this_round.saturating_sub(1)),
                id: from.id.clone().unwrap_or_else(|| f.id.clone()),
                title: f.title.clone(),
                locations: f.locations.clone(),
                status: ResolutionStatus::Unresolved,
                reason: "carried over as unresolved in the report".into(),
                severity: Some(f.severity),
            })
        })
        .collect()
}

impl ParsedReport {
    /// Builds the cassette. Fails when the round has no usable id or the report has
    /// no appendix with agent reviews. Interactions are sorted by (agent, pass) so
    /// the output does not depend on the order of the appendix.
    pub fn to_cassette(&self, source: Source) -> Result<Cassette, ImportProblem> {
        if !is_valid_id(&self.meta.id) {
            return Err(ImportProblem {
                line: None,
                message: format!(
                    "no usable round id (title `# Deep Review: <id>` or file name), found `{}`",
                    self.meta.id
                ),
            });
        }
        if self.agents.is_empty() {
            return Err(ImportProblem {
                line: self.appendix_line,
                message: NO_APPENDIX.to_string(),
            });
        }
        let mut per_agent: BTreeMap<&str, usize> = BTreeMap::new();
        for a in &self.agents {
            *per_agent.entry(a.agent.as_str()).or_default() += 1;
        }
        let mut interactions: Vec<Interaction> = self
            .agents
            .iter()
            .map(|a| {
                // Retro numbers describe the agent's whole round: only attach them
                // when there is no doubt which response they belong to.
                let stats = if per_agent.get(a.agent.as_str()) == Some(&1) {
                    self.stats.get(&a.agent).cloned().unwrap_or_default()
                } else {
                    AgentStats::default()
                };
                Interaction {
                    role: Role::Reviewer,
                    agent: a.agent.clone(),
                    model: a.model.clone(),
                    pass: a.pass,
                    prompt: None,
                    response: a.text.clone(),
                    duration_s: stats.duration_s,
                    tool_calls: stats.tool_calls,
                    // Lines of the cassette's response count from its own start.
                    incomplete: a.review.incomplete.clone().map(|mut inc| {
                        inc.line = inc
                            .line
                            .map(|l| l.saturating_sub(a.first_line).saturating_add(1));
                        inc
                    }),
                    ..Interaction::default()
                }
            })
            .collect();
        interactions.sort_by(|x, y| (&x.agent, x.pass).cmp(&(&y.agent, y.pass)));
        Ok(Cassette {
            schema: SCHEMA_V1.to_string(),
            round: self.meta.clone(),
            interactions,
            adjudications: Vec::new(),
            prior_resolutions: Vec::new(),
            reference: Some(self.reference.clone()),
            source: Some(source),
        })
    }
}

/// True when `id` can name a cassette file: ASCII letters, digits, `-`, `_`, `.`,
/// not starting with `.`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id.len() <= 200
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Parses a whole deep-review report. `stem` (the file name without `.md`) is the
/// round id when the report has no `Deep Review:` title.
pub fn parse_report(text: &str, stem: &str) -> ParsedReport {
    let text = &*crate::parse::normalize::normalize_line_endings(text);
    let lines = scan(text, 1);
    let mut out = ParsedReport::default();
    let mut diags = Vec::new();

    let appendix = lines.iter().position(|l| match l.kind {
        LineKind::Heading { level, text } => level <= 3 && is_appendix_heading(text),
        _ => false,
    });
    let retro = lines.iter().position(|l| match l.kind {
        LineKind::Heading { level, text } => level <= 3 && is_retro_heading(text),
        _ => false,
    });
    let body_end = appendix.unwrap_or(lines.len());
    let consolidated_end = retro.filter(|&r| r < body_end).unwrap_or(body_end);

    out.meta = parse_header(&lines, stem, &mut diags);
    let verdict = header_verdict(&lines);
    out.reference.verdict = verdict;
    out.reference.findings =
        parse_findings(lines.get(..consolidated_end).unwrap_or(&[]), &mut diags);
    let retro_lines = retro
        .filter(|&r| r < body_end)
        .and_then(|r| lines.get(r..body_end))
        .unwrap_or(&[]);
    if let Some(table) = parse_retro_table(retro_lines) {
        out.stats = retro_stats(&table);
        out.reference.retro = Some(table);
    }
    out.reference.reconciliation = parse_reconciliation(lines.get(..body_end).unwrap_or(&[]));

    // The resolution is appended after the report; an unbalanced fence in an
    // agent review can make its heading look like code, so a standalone
    // `## Resolution` line after a blank line counts too. Its lines are scanned
    // afresh from there.
    let resolution = lines.iter().enumerate().position(|(i, l)| {
        let kind = match l.kind {
            LineKind::Code => {
                let blank_before = i
                    .checked_sub(1)
                    .and_then(|j| lines.get(j))
                    .is_some_and(|p| p.text.trim().is_empty());
                if !blank_before {
                    return false;
                }
                classify_line(l.text)
            }
            ref k => Some(k.clone()),
        };
        matches!(kind, Some(LineKind::Heading { level, text }) if level <= 2 && is_resolution_heading(text))
    });
    if let Some(start) = resolution {
        let offsets = line_offsets(text);
        let from = offsets.get(start).copied().unwrap_or(text.len());
        let first_no = lines.get(start).map_or(1, |l| l.no);
        let rest = scan(text.get(from..).unwrap_or(""), first_no);
        let end = rest
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, l)| matches!(l.kind, LineKind::Heading { level, .. } if level <= 2))
            .map_or(rest.len(), |(i, _)| i);
        out.resolutions =
            parse_resolutions(rest.get(..end).unwrap_or(&[]), out.meta.round, &mut diags);
    }

    if let Some(a) = appendix {
        out.appendix_line = lines.get(a).map(|l| l.no);
        // The appendix runs to the end of the report, or to a later report-level
        // section (the resolution is sometimes appended after it).
        let end = resolution.filter(|&r| r > a).unwrap_or(lines.len());
        out.agents = split_appendix(text, &lines, a + 1, end, &out.meta, &mut diags);
    }

    diags.sort();
    diags.dedup();
    out.diagnostics = diags;
    out
}

fn diag(diags: &mut Vec<Diagnostic>, line: u32, level: DiagnosticLevel, message: String) {
    diags.push(Diagnostic {
        line,
        level,
        message,
    });
}

fn heading_words(text: &str) -> String {
    let t = strip_emphasis(text);
    // `## 4. Appendix: ...` — drop a section number.
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    t.to_ascii_lowercase()
}

/// `Appendix: Original Reviews`, and the ways another report may name the section
/// that holds the agents' own reviews: `Appendix A — Agent Reviews`, `Original
/// Reviews`, `Raw Agent Outputs`, `Individual Reviews`.
fn is_appendix_heading(text: &str) -> bool {
    let t = heading_words(text);
    let about_reviews = ["review", "output", "response"]
        .iter()
        .any(|w| t.contains(w));
    let appendix = t.starts_with("appendix");
    let raw = ["original", "raw", "individual", "full", "verbatim", "agent"]
        .iter()
        .any(|w| t.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w));
    about_reviews && (appendix || raw && !t.contains("retro") && !t.contains("performance"))
}

fn is_retro_heading(text: &str) -> bool {
    let t = heading_words(text);
    t.contains("agent performance") || t.starts_with("retro")
}

fn is_resolution_heading(text: &str) -> bool {
    heading_words(text).starts_with("resolution")
}

#[cfg(test)]
mod tests;
