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
    Cassette, Commit, Interaction, PriorResolution, Reference, ReferenceFinding, ReferenceVerdict,
    ResolutionStatus, RetroRow, RetroTable, Reviewer, Role, RoundMeta, SCHEMA_V1, Source,
};
use crate::error::Error;
use crate::model::{Diagnostic, DiagnosticLevel, ParseOutput, Severity, known_family};
use crate::parse::location::extract_locations;
use crate::parse::markdown::{Line, LineKind, scan, strip_emphasis, table_cells};
use crate::parse::review::parse_review;
use crate::report::VerdictDecision;

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
    let (adjudications, notes) = crate::parse::derive::derive_with_lines(&cassette, &first_line);
    cassette.adjudications = adjudications;
    let mut parsed = parsed;
    parsed.diagnostics.extend(notes);
    Ok((cassette, parsed))
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

fn is_appendix_heading(text: &str) -> bool {
    let t = heading_words(text);
    t.starts_with("appendix") && t.contains("original review")
}

fn is_retro_heading(text: &str) -> bool {
    let t = heading_words(text);
    t.contains("agent performance") || t.starts_with("retro")
}

fn is_resolution_heading(text: &str) -> bool {
    heading_words(text).starts_with("resolution")
}

// ---------------------------------------------------------------------------
// Header table

fn parse_header(lines: &[Line<'_>], stem: &str, diags: &mut Vec<Diagnostic>) -> RoundMeta {
    let mut meta = RoundMeta::default();
    let mut title_line = None;
    let mut title_id = None;
    for l in lines.iter().take(20) {
        if let LineKind::Heading { level, text } = l.kind {
            if level <= 2 {
                title_line = Some(l.no);
                let t = strip_emphasis(text);
                if let Some((lead, rest)) = t.split_once(':') {
                    if lead.trim().eq_ignore_ascii_case("deep review") {
                        title_id = Some((rest.trim().to_string(), l.no));
                    }
                }
                break;
            }
        }
    }
    meta.id = match title_id {
        Some((id, _)) if is_valid_id(&id) => id,
        Some((id, no)) => {
            diag(
                diags,
                no,
                DiagnosticLevel::Warning,
                format!("title id `{id}` cannot name a file; using the file name"),
            );
            stem.to_string()
        }
        None => stem.to_string(),
    };

    // The header table: the first table after the title, before the first section
    // heading. Lines in that region that carry `**Key**` but are not table rows
    // are a broken table.
    let start = title_line
        .and_then(|t| lines.iter().position(|l| l.no == t))
        .map_or(0, |i| i + 1);
    let mut seen_table = false;
    let mut seen_date = false;
    let mut rows = 0;
    let mut last_no = start as u32;
    for l in lines.iter().skip(start) {
        last_no = l.no;
        match l.kind {
            LineKind::Heading { .. } => break,
            LineKind::Rule if seen_table => break,
            LineKind::TableRule => seen_table = true,
            LineKind::TableRow => {
                seen_table = true;
                let cells = table_cells(l.text);
                let key = cells.first().map(|c| strip_emphasis(c)).unwrap_or_default();
                let value = cells.get(1).map(|s| s.trim()).unwrap_or("");
                if key.is_empty() && value.is_empty() {
                    continue;
                }
                if cells.len() < 2 {
                    diag(
                        diags,
                        l.no,
                        DiagnosticLevel::Warning,
                        "header table row has no value cell".into(),
                    );
                    continue;
                }
                rows += 1;
                if header_field(&mut meta, &key, value, l.no, diags) {
                    seen_date |= key.eq_ignore_ascii_case("date");
                }
            }
            LineKind::Blank if seen_table => break,
            LineKind::Blank => {}
            _ => {
                if l.text.contains("**") && l.text.contains('|') {
                    diag(
                        diags,
                        l.no,
                        DiagnosticLevel::Warning,
                        "header table row is missing its leading `|`; skipped".into(),
                    );
                } else if seen_table {
                    break;
                }
            }
        }
    }
    if rows == 0 {
        diag(
            diags,
            last_no.max(1),
            DiagnosticLevel::Warning,
            "no header table (`| **Date** | ... |`) after the title".into(),
        );
    } else if !seen_date {
        diag(
            diags,
            title_line.unwrap_or(1),
            DiagnosticLevel::Warning,
            "header table has no Date row".into(),
        );
    }
    meta
}

/// Applies one header row; returns false when the key is unknown.
fn header_field(
    meta: &mut RoundMeta,
    key: &str,
    value: &str,
    no: u32,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let plain = strip_code(&strip_emphasis(value));
    let nonempty = |s: String| if s.is_empty() { None } else { Some(s) };
    match key.to_ascii_lowercase().as_str() {
        "date" => meta.date = nonempty(plain),
        "repo" | "repository" => meta.repo = nonempty(link_text(&plain)),
        "round" => {
            meta.round = leading_number(&plain);
            if meta.round.is_none() {
                diag(
                    diags,
                    no,
                    DiagnosticLevel::Warning,
                    format!("round `{plain}` is not a number"),
                );
            }
        }
        "author" => meta.author = nonempty(link_text(&plain).trim_start_matches('@').to_string()),
        "pr" | "pull request" => {
            let (pr, title) = parse_pr(value);
            meta.pr = pr;
            meta.title = title;
            if pr.is_none() {
                diag(
                    diags,
                    no,
                    DiagnosticLevel::Warning,
                    format!("no PR number in `{value}`"),
                );
            }
        }
        "branch" => meta.branch = nonempty(plain),
        "commits" | "commit" => meta.commits = parse_commits(value),
        "reviewers" => meta.reviewers = parse_reviewers(&strip_emphasis(value)),
        "wall-clock time" | "wall-clock" | "wall clock time" | "wall clock" => {
            meta.wall_clock_s = parse_duration(&plain);
            if meta.wall_clock_s.is_none() {
                diag(
                    diags,
                    no,
                    DiagnosticLevel::Warning,
                    format!("wall-clock time `{plain}` not understood"),
                );
            }
        }
        "verdict" => {}
        _ => return false,
    }
    true
}

fn strip_code(s: &str) -> String {
    s.replace('`', "").trim().to_string()
}

/// `[text](url)` → `text`; anything else unchanged.
fn link_text(s: &str) -> String {
    let t = s.trim();
    if let Some(rest) = t.strip_prefix('[') {
        if let Some((inner, _)) = rest.split_once("](") {
            return inner.trim().to_string();
        }
    }
    t.to_string()
}

fn leading_number(s: &str) -> Option<u32> {
    let t = s.trim().trim_start_matches('#');
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Splits `text — rest` at the first dash separator (`—`, `–`, `--`, ` - `).
fn split_dash(text: &str) -> (&str, Option<&str>) {
    let mut best: Option<(usize, usize)> = None;
    for sep in [" — ", " – ", " -- ", " - ", "—"] {
        if let Some(i) = text.find(sep) {
            if best.is_none_or(|(b, _)| i < b) {
                best = Some((i, sep.len()));
            }
        }
    }
    match best {
        Some((i, len)) => (
            text.get(..i).unwrap_or(text).trim(),
            text.get(i + len..).map(str::trim),
        ),
        None => (text.trim(), None),
    }
}

/// `[#295](url) — Title`, `#236`, `#248: Title` → (number, title).
pub fn parse_pr(value: &str) -> (Option<u32>, Option<String>) {
    let v = strip_emphasis(value);
    let (head, title) = split_dash(&v);
    let (head, title) = match title {
        Some(t) => (head.to_string(), Some(t.to_string())),
        None => match v.split_once(':') {
            Some((h, t)) if !h.contains("](") || h.contains(')') => {
                (h.to_string(), Some(t.trim().to_string()))
            }
            _ => (v.clone(), None),
        },
    };
    let label = link_text(&head);
    let number = label
        .find('#')
        .and_then(|i| label.get(i + 1..))
        .and_then(leading_number)
        .or_else(|| leading_number(&label));
    (number, title.filter(|t| !t.is_empty()))
}

/// `` `sha` subject<br>`sha2` subject2 `` → commits.
pub fn parse_commits(value: &str) -> Vec<Commit> {
    let mut out = Vec::new();
    for part in value.split("<br>").flat_map(|p| p.split("<br/>")) {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        let (sha, subject) = if let Some(rest) = p.strip_prefix('`') {
            match rest.split_once('`') {
                Some((code, after)) => match code.split_once(' ') {
                    // `` `sha subject` `` written as one code span.
                    Some((sha, subj)) if after.trim().is_empty() => {
                        (sha.to_string(), subj.trim().to_string())
                    }
                    _ => (code.trim().to_string(), after.trim().to_string()),
                },
                None => (rest.trim().to_string(), String::new()),
            }
        } else {
            match p.split_once(' ') {
                Some((sha, subj)) => (sha.to_string(), subj.trim().to_string()),
                None => (p.to_string(), String::new()),
            }
        };
        if !sha.is_empty() {
            out.push(Commit { sha, subject });
        }
    }
    out
}

/// `Claude Opus 4.6, Codex GPT 5.4 (xhigh)` → reviewers with agent key and effort.
pub fn parse_reviewers(value: &str) -> Vec<Reviewer> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let mut parts = Vec::new();
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth <= 0 {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let (model, effort) = match p.find('(') {
            Some(i) => {
                let inner = p.get(i + 1..).unwrap_or("").trim_end_matches(')').trim();
                (
                    p.get(..i).unwrap_or(p).trim(),
                    (!inner.is_empty()).then(|| inner.to_string()),
                )
            }
            None => (p, None),
        };
        out.push(Reviewer {
            agent: crate::model::agent_key(model),
            model: model.to_string(),
            effort,
        });
    }
    out
}

/// Reads a duration: `1 h 26 min 58 s`, `12m 3s`, `10:52`, `1:02:03`, `278` (seconds).
pub fn parse_duration(text: &str) -> Option<f64> {
    let t = strip_code(text).to_ascii_lowercase();
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    if t.contains(':') {
        let mut total = 0f64;
        for part in t.split(':') {
            let n: f64 = part.trim().parse().ok()?;
            total = total * 60.0 + n;
        }
        return Some(total);
    }
    if let Ok(n) = t.parse::<f64>() {
        return Some(n);
    }
    // Number/unit pairs, with or without a space between them.
    let mut total = 0f64;
    let mut any = false;
    let mut chars = t.chars().peekable();
    while chars.peek().is_some() {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut num = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
                chars.next();
            } else {
                break;
            }
        }
        if num.is_empty() {
            return if any { Some(total) } else { None };
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut unit = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_alphabetic() {
                unit.push(c);
                chars.next();
            } else {
                break;
            }
        }
        let n: f64 = num.parse().ok()?;
        let factor = match unit.as_str() {
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "s" | "sec" | "secs" | "second" | "seconds" | "" => 1.0,
            _ => return None,
        };
        total += n * factor;
        any = true;
        // Skip separators such as `,`.
        while chars
            .peek()
            .is_some_and(|c| !c.is_ascii_digit() && *c != '.')
        {
            if chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                return None;
            }
            chars.next();
        }
    }
    any.then_some(total)
}

fn header_verdict(lines: &[Line<'_>]) -> Option<ReferenceVerdict> {
    // The first Verdict row before the first section heading after the title.
    let mut headings = 0;
    for l in lines.iter().take(60) {
        match l.kind {
            LineKind::Heading { .. } => {
                headings += 1;
                if headings > 1 {
                    return None;
                }
            }
            LineKind::TableRow => {
                let cells = table_cells(l.text);
                let key = cells.first().map(|c| strip_emphasis(c)).unwrap_or_default();
                if key.eq_ignore_ascii_case("verdict") {
                    return cells.get(1).map(|v| parse_verdict(v));
                }
            }
            _ => {}
        }
    }
    None
}

/// `**Merge with fixes** — reason` → decision key and reason; the decision is the
/// verbatim text when no known decision matches.
pub fn parse_verdict(value: &str) -> ReferenceVerdict {
    let v = value.trim();
    // Prefer the bold lead-in as the decision: the reason may contain words such
    // as "rework" that would mislead.
    let (decision_text, reason) = match v.strip_prefix("**").and_then(|r| r.split_once("**")) {
        Some((bold, rest)) => {
            let rest = rest.trim();
            let rest = rest
                .strip_prefix('—')
                .or_else(|| rest.strip_prefix("--"))
                .or_else(|| rest.strip_prefix('–'))
                .or_else(|| rest.strip_prefix('-'))
                .or_else(|| rest.strip_prefix(':'))
                .unwrap_or(rest);
            (bold.trim().to_string(), rest.trim().to_string())
        }
        None => {
            let plain = strip_emphasis(v);
            let (d, r) = split_dash(&plain);
            (d.to_string(), r.unwrap_or("").to_string())
        }
    };
    let decision = VerdictDecision::from_text(&decision_text)
        .map(|d| d.key().to_string())
        .unwrap_or(decision_text);
    ReferenceVerdict { decision, reason }
}

// ---------------------------------------------------------------------------
// Consolidated findings

/// The severity of a findings section heading (`Critical Issues`, `### Suggestions`).
fn severity_heading(text: &str) -> Option<Severity> {
    let t = heading_words(text);
    let mut words = t.split_whitespace();
    let sev = Severity::from_word(words.next()?)?;
    let rest: Vec<&str> = words.collect();
    match rest.first() {
        None => Some(sev),
        Some(w) if matches!(*w, "issues" | "findings" | "issue" | "finding") => Some(sev),
        Some(w) if w.starts_with('(') => Some(sev),
        _ => None,
    }
}

/// How a findings section writes its findings; fixed by its first finding, so
/// numbered lists inside a finding's body (`1. **Inner loop** ...`) are not
/// taken for findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `#### 1. Title`
    Heading,
    /// `I1. **Title**`
    ExplicitId,
    /// `1. **Title**`
    Numbered,
    /// `**[IMPORTANT] path — Title**`
    Bracket,
}

fn parse_findings(lines: &[Line<'_>], diags: &mut Vec<Diagnostic>) -> Vec<ReferenceFinding> {
    let mut out = Vec::new();
    let mut section: Option<(Severity, u8)> = None;
    let mut style: Option<Style> = None;
    let mut last_number = 0u32;
    let mut count = 0u32;
    for l in lines {
        if let LineKind::Heading { level, text } = l.kind {
            if let Some((_, sl)) = section {
                if level <= sl {
                    section = None;
                }
            }
            if let Some(sev) = severity_heading(text) {
                section = Some((sev, level));
                count = 0;
                last_number = 0;
                style = None;
                continue;
            }
            if let Some((sev, _)) = section {
                // `#### 1. Title` / `#### I2: Title` under a severity section.
                if style.is_none_or(|s| s == Style::Heading) {
                    if let Some(f) = finding_from_heading(text, sev, count + 1, l.no, diags) {
                        style = Some(Style::Heading);
                        count += 1;
                        out.push(f);
                    }
                }
            }
            continue;
        }
        let Some((sev, _)) = section else { continue };
        if let Some((s, number, f)) = finding_from_line(l, sev, count + 1, diags) {
            if style.is_some_and(|x| x != s) {
                continue;
            }
            if s == Style::Numbered {
                // A list restarting at 1 inside a finding's body is not a finding.
                if number <= last_number {
                    continue;
                }
                last_number = number;
            }
            style = Some(s);
            count += 1;
            out.push(f);
        }
    }
    out
}

fn finding_from_heading(
    text: &str,
    sev: Severity,
    next: u32,
    no: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<ReferenceFinding> {
    let t = text.trim();
    if let Some((id, rest)) = explicit_id(t) {
        return Some(build_finding(Some(id), sev, next, rest, no, diags));
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let rest = t.get(digits.len()..)?;
    let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')'))?;
    let n: u32 = digits.parse().ok()?;
    Some(build_finding(
        Some(format!("{}{n}", sev.letter())),
        sev,
        next,
        rest,
        no,
        diags,
    ))
}

/// `C1. rest`, `I2: rest`, `**S3. rest` → (id, rest).
fn explicit_id(text: &str) -> Option<(String, &str)> {
    let t = text.trim_start();
    let t = t.strip_prefix("**").unwrap_or(t);
    let mut chars = t.chars();
    let letter = chars.next()?;
    Severity::from_letter(letter)?;
    if !letter.is_ascii_uppercase() {
        return None;
    }
    let after = t.get(1..)?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let rest = after.get(digits.len()..)?;
    let rest = rest
        .strip_prefix('.')
        .or_else(|| rest.strip_prefix(':'))
        .or_else(|| rest.strip_prefix(')'))
        .unwrap_or(rest);
    if !rest.starts_with(' ') && !rest.starts_with("**") {
        return None;
    }
    Some((format!("{letter}{digits}"), rest))
}

fn finding_from_line(
    l: &Line<'_>,
    sev: Severity,
    next: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Style, u32, ReferenceFinding)> {
    match l.kind {
        LineKind::ListItem {
            indent: 0,
            number: Some(n),
            text,
        } if text.starts_with("**") => Some((
            Style::Numbered,
            n,
            build_finding(
                Some(format!("{}{n}", sev.letter())),
                sev,
                next,
                text,
                l.no,
                diags,
            ),
        )),
        LineKind::Text => {
            let t = l.text;
            if t.starts_with(' ') {
                return None;
            }
            if let Some((id, rest)) = explicit_id(t) {
                if rest.trim_start().starts_with("**") || t.starts_with("**") {
                    let f = build_finding(Some(id), sev, next, rest, l.no, diags);
                    return Some((Style::ExplicitId, 0, f));
                }
            }
            // `**[CRITICAL] path:line — Title** [Agents]`
            let inner = t.strip_prefix("**[")?;
            let (word, _) = inner.split_once(']')?;
            let tag_sev = Severity::from_word(word)?;
            if tag_sev != sev {
                diag(
                    diags,
                    l.no,
                    DiagnosticLevel::Note,
                    format!("finding tagged {tag_sev} under the {sev} section"),
                );
            }
            Some((
                Style::Bracket,
                0,
                build_finding(None, sev, next, t, l.no, diags),
            ))
        }
        _ => None,
    }
}

fn build_finding(
    id: Option<String>,
    sev: Severity,
    next: u32,
    rest: &str,
    no: u32,
    diags: &mut Vec<Diagnostic>,
) -> ReferenceFinding {
    let id = id.unwrap_or_else(|| format!("{}{next}", sev.letter()));
    let rest = rest.trim();
    let (title, after) = match rest.strip_prefix("**").and_then(|r| r.split_once("**")) {
        Some((bold, after)) => (bold.to_string(), after),
        None => {
            let (t, a) = split_dash(rest);
            (t.to_string(), a.unwrap_or(""))
        }
    };
    // The oldest form puts `[SEVERITY] location — Title` inside the bold span.
    let title = match title.strip_prefix('[').and_then(|t| t.split_once(']')) {
        Some((_, t)) => {
            let (_, tail) = split_dash(t);
            tail.unwrap_or(t).to_string()
        }
        None => title,
    };
    let title = strip_emphasis(&title);
    let title = title.trim_end_matches(['.', ':']).trim().to_string();
    let agents = credited_agents(after);
    let tags = finding_tags(after, sev, &id, no, diags);
    ReferenceFinding {
        id,
        severity: sev,
        title,
        agents,
        locations: extract_locations(rest),
        tags,
    }
}

/// Spans of `open..close` groups outside code spans, as (content) strings.
fn groups(text: &str, open: char, close: char) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_code = false;
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut cur = String::new();
    for (i, c) in text.char_indices() {
        if c == '`' {
            in_code = !in_code;
            if depth > 0 {
                cur.push(c);
            }
            continue;
        }
        if in_code {
            if depth > 0 {
                cur.push(c);
            }
            continue;
        }
        if c == open {
            if depth == 0 {
                start = i;
                cur.clear();
            } else {
                cur.push(c);
            }
            depth += 1;
        } else if c == close && depth > 0 {
            depth -= 1;
            if depth == 0 {
                out.push((start, std::mem::take(&mut cur)));
            } else {
                cur.push(c);
            }
        } else if depth > 0 {
            cur.push(c);
        }
    }
    out
}

fn credited_agents(text: &str) -> Vec<String> {
    let mut best = Vec::new();
    for (_, g) in groups(text, '[', ']') {
        let items: Vec<&str> = g
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if items.is_empty() {
            continue;
        }
        // `[Gemini 3.1 Pro, verified]`: the group credits agents when it starts
        // with one; words that name no agent are remarks.
        if items.first().and_then(|i| known_family(i)).is_none() {
            continue;
        }
        let mut keys: Vec<&str> = items.iter().filter_map(|i| known_family(i)).collect();
        keys.sort_unstable();
        keys.dedup();
        best = keys.into_iter().map(str::to_string).collect();
    }
    best
}

fn finding_tags(
    text: &str,
    sev: Severity,
    id: &str,
    no: u32,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut tags = Vec::new();
    // Parentheses inside the agents group (`Claude Opus 4.6 (as S5)`) are remarks
    // about one agent, not tags of the finding.
    let mut outside = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => in_code = !in_code,
            '[' if !in_code => depth += 1,
            ']' if !in_code && depth > 0 => {
                depth -= 1;
                continue;
            }
            _ => {}
        }
        if depth == 0 {
            outside.push(c);
        }
    }
    for (_, g) in groups(&outside, '(', ')') {
        let g = strip_emphasis(&g);
        let parts: Vec<String> = g
            .split(',')
            .map(|p| p.trim().to_ascii_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        // Only tag groups: short items, not prose in parentheses.
        if parts.is_empty() || parts.iter().any(|p| p.split_whitespace().count() > 4) {
            continue;
        }
        for p in parts {
            match Severity::from_word(&p) {
                Some(s) if p.split_whitespace().count() == 1 => {
                    if s != sev {
                        diag(
                            diags,
                            no,
                            DiagnosticLevel::Note,
                            format!("{id} is tagged {s} under the {sev} section"),
                        );
                    }
                }
                _ => {
                    if !tags.contains(&p) {
                        tags.push(p);
                    }
                }
            }
        }
    }
    tags
}

// ---------------------------------------------------------------------------
// Retro

fn parse_retro_table(lines: &[Line<'_>]) -> Option<RetroTable> {
    // Prefer the table under a `Summary` heading; else the first table.
    let mut summary_start = None;
    for (i, l) in lines.iter().enumerate() {
        if let LineKind::Heading { text, .. } = l.kind {
            if heading_words(text).starts_with("summary") {
                summary_start = Some(i);
                break;
            }
        }
    }
    let from = summary_start.unwrap_or(0);
    let table_at = lines
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.kind == LineKind::TableRow)
        .map(|(i, _)| i)
        .or_else(|| lines.iter().position(|l| l.kind == LineKind::TableRow))?;
    let mut columns = Vec::new();
    let mut rows = Vec::new();
    for (k, l) in lines.iter().skip(table_at).enumerate() {
        match l.kind {
            LineKind::TableRow => {
                let cells: Vec<String> = table_cells(l.text)
                    .iter()
                    .map(|c| strip_emphasis(c))
                    .collect();
                let tail: Vec<String> = cells.iter().skip(1).cloned().collect();
                if k == 0 {
                    columns = tail;
                } else {
                    rows.push(RetroRow {
                        metric: cells.first().cloned().unwrap_or_default(),
                        values: tail,
                    });
                }
            }
            LineKind::TableRule => {}
            _ => break,
        }
    }
    (!columns.is_empty()).then_some(RetroTable { columns, rows })
}

fn retro_stats(table: &RetroTable) -> BTreeMap<String, AgentStats> {
    let mut out: BTreeMap<String, AgentStats> = BTreeMap::new();
    let keys: Vec<Option<&'static str>> = table.columns.iter().map(|c| known_family(c)).collect();
    for row in &table.rows {
        let metric = row.metric.to_ascii_lowercase();
        let is_duration = metric.starts_with("duration") || metric.starts_with("time");
        let is_tools = metric.starts_with("tool call");
        if !is_duration && !is_tools {
            continue;
        }
        for (key, value) in keys.iter().zip(&row.values) {
            let Some(key) = key else { continue };
            let entry = out.entry((*key).to_string()).or_default();
            if is_duration {
                let v = value.split('(').next().unwrap_or("").trim();
                entry.duration_s = parse_duration(v);
            } else {
                entry.tool_calls = leading_number(value);
            }
        }
    }
    out
}

fn parse_reconciliation(lines: &[Line<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(l) = lines.get(i) else { break };
        let (start_rest, by_heading, level) = match l.kind {
            LineKind::Heading { level, text }
                if heading_words(text).trim_end_matches([':', '.']) == "reconciliation" =>
            {
                (String::new(), true, level)
            }
            LineKind::Text => {
                let t = strip_emphasis(l.text);
                match t.strip_prefix("Reconciliation") {
                    Some(rest) if rest.starts_with(':') || rest.starts_with('.') => {
                        (rest.get(1..).unwrap_or("").trim().to_string(), false, 0)
                    }
                    _ => {
                        i += 1;
                        continue;
                    }
                }
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let mut cur = start_rest;
        let mut j = i + 1;
        let mut after_blank = false;
        while let Some(l) = lines.get(j) {
            match l.kind {
                LineKind::Heading { level: hl, .. } if !by_heading || hl <= level => break,
                LineKind::Heading { .. } | LineKind::Rule => break,
                LineKind::ListItem { indent, text, .. } if indent < 2 => {
                    push_entry(&mut out, &mut cur);
                    cur = text.to_string();
                    after_blank = false;
                }
                LineKind::Blank => {
                    push_entry(&mut out, &mut cur);
                    after_blank = true;
                }
                LineKind::Text | LineKind::ListItem { .. } => {
                    // A paragraph after a blank line ends a label-style block: the
                    // next paragraph is the retro's prose again.
                    if after_blank && !by_heading {
                        break;
                    }
                    if !cur.is_empty() {
                        cur.push(' ');
                    }
                    cur.push_str(l.text.trim());
                    after_blank = false;
                }
                _ => break,
            }
            j += 1;
        }
        push_entry(&mut out, &mut cur);
        i = j;
    }
    out
}

fn push_entry(out: &mut Vec<String>, cur: &mut String) {
    let t = cur.trim();
    if !t.is_empty() {
        out.push(t.to_string());
    }
    cur.clear();
}

// ---------------------------------------------------------------------------
// Resolution

fn parse_resolutions(
    lines: &[Line<'_>],
    round: Option<u32>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PriorResolution> {
    let mut out = Vec::new();
    let mut finding_col = None;
    let mut action_col = None;
    for l in lines {
        if l.kind != LineKind::TableRow {
            if l.kind != LineKind::TableRule {
                finding_col = None;
                action_col = None;
            }
            continue;
        }
        let cells: Vec<String> = table_cells(l.text);
        if finding_col.is_none() {
            let lower: Vec<String> = cells
                .iter()
                .map(|c| strip_emphasis(c).to_ascii_lowercase())
                .collect();
            finding_col = lower.iter().position(|c| c == "finding" || c == "item");
            action_col = lower
                .iter()
                .position(|c| c == "action" || c == "status" || c == "resolution");
            continue;
        }
        let (Some(fc), Some(ac)) = (finding_col, action_col) else {
            continue;
        };
        let (Some(finding), Some(action)) = (cells.get(fc), cells.get(ac)) else {
            diag(
                diags,
                l.no,
                DiagnosticLevel::Warning,
                "resolution row has too few cells".into(),
            );
            continue;
        };
        let Some((id, title)) = resolution_finding(finding) else {
            // Testing and documentation gaps are not consolidated findings.
            diag(
                diags,
                l.no,
                DiagnosticLevel::Note,
                "resolution item is not a finding; skipped".into(),
            );
            continue;
        };
        let Some((status, reason)) = resolution_action(action) else {
            diag(
                diags,
                l.no,
                DiagnosticLevel::Warning,
                format!("resolution action `{action}` not understood; skipped"),
            );
            continue;
        };
        let Some(round) = round else {
            diag(
                diags,
                l.no,
                DiagnosticLevel::Warning,
                "resolution ignored: the report has no round number".into(),
            );
            return Vec::new();
        };
        out.push(PriorResolution {
            round,
            id,
            locations: extract_locations(&title),
            title,
            status,
            reason,
        });
    }
    out
}

/// `Important #1: title`, `Suggestion S3: title`, `Critical I2 — title` → (`I1`, title).
fn resolution_finding(cell: &str) -> Option<(String, String)> {
    let t = strip_emphasis(cell);
    let mut words = t.splitn(2, ' ');
    let sev = Severity::from_word(words.next()?)?;
    let rest = words.next()?.trim_start();
    let (label, title) = match rest.split_once(':') {
        Some((l, t)) => (l.trim(), t.trim()),
        None => {
            let (l, t) = split_dash(rest);
            (l, t.unwrap_or(""))
        }
    };
    let label = label.trim_start_matches('#');
    let label = match label.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => label.get(1..).unwrap_or(""),
        _ => label,
    };
    let n: u32 = label.trim().parse().ok()?;
    Some((format!("{}{n}", sev.letter()), title.to_string()))
}

/// `Fixed (reason)`, `Skipped`, `Test written (...)`, `Commented (...)` → status, reason.
fn resolution_action(cell: &str) -> Option<(ResolutionStatus, String)> {
    let t = strip_emphasis(cell);
    let lower = t.to_ascii_lowercase();
    let paren = t
        .find('(')
        .and_then(|i| t.get(i + 1..))
        .map(|r| r.strip_suffix(')').unwrap_or(r).trim().to_string())
        .unwrap_or_default();
    let (status, reason) =
        if lower.starts_with("fixed") || lower.starts_with("documentation updated") {
            (ResolutionStatus::Fixed, paren)
        } else if lower.starts_with("test written") || lower.starts_with("tests written") {
            (ResolutionStatus::TestWritten, paren)
        } else if lower.starts_with("skipped")
            || lower.starts_with("declined")
            || lower.starts_with("won't fix")
            || lower.starts_with("wontfix")
        {
            (ResolutionStatus::Declined, paren)
        } else if lower.starts_with("commented") {
            // A code comment instead of a change: the author declined to change it.
            let reason = if paren.is_empty() {
                "commented".to_string()
            } else {
                format!("commented: {paren}")
            };
            (ResolutionStatus::Declined, reason)
        } else if lower.starts_with("deferred") {
            (ResolutionStatus::Deferred, paren)
        } else {
            return None;
        };
    Some((status, reason))
}

// ---------------------------------------------------------------------------
// Appendix

/// Reads an agent heading (`### [Codex] — Pass 1`, `### Claude Opus 4.6 Review`):
/// (agent key, model name when the heading has more than the family, pass).
/// Every word must belong to an agent name, a version, an effort or a pass
/// marker, so prose headings that mention an agent are not matched.
pub fn agent_heading(text: &str) -> Option<(String, Option<String>, u32)> {
    let t = strip_emphasis(text).replace(['[', ']'], " ");
    let mut pass = None;
    let mut segments = Vec::new();
    for seg in t.split(['—', '–', '|']).flat_map(|s| s.split(" - ")) {
        let s = seg.trim().trim_matches(['(', ')', ':']).trim();
        if s.is_empty() {
            continue;
        }
        let lower = s.to_ascii_lowercase();
        if let Some(n) = lower.strip_prefix("pass").map(str::trim) {
            pass = Some(n.parse::<u32>().ok().filter(|&p| p >= 1)?);
            continue;
        }
        segments.push(s.to_string());
    }
    let mut family = None;
    for seg in &segments {
        let words: Vec<String> = seg
            .split(|c: char| c.is_whitespace() || matches!(c, '-' | ',' | '(' | ')'))
            .map(|w| w.trim_matches([':', '.']).to_ascii_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let mut k = 0;
        while let Some(w) = words.get(k) {
            k += 1;
            // `Claude Opus 4.6 (pass 2)`: a pass marker without a dash.
            if w == "pass" {
                let n = words.get(k).and_then(|n| n.parse::<u32>().ok());
                pass = Some(n.filter(|&p| p >= 1)?);
                k += 1;
                continue;
            }
            if let Some(f) = known_family(w) {
                if family.is_some_and(|x| x != f) {
                    return None;
                }
                family = Some(f);
                continue;
            }
            let is_version = w.chars().all(|c| c.is_ascii_digit() || c == '.')
                || (w.starts_with('o')
                    && w.len() <= 3
                    && w.get(1..)
                        .is_some_and(|r| r.chars().all(|c| c.is_ascii_digit())));
            let allowed = is_version
                || matches!(
                    w.as_str(),
                    "review"
                        | "reviewer"
                        | "pro"
                        | "flash"
                        | "ultra"
                        | "haiku"
                        | "mini"
                        | "xhigh"
                        | "high"
                        | "medium"
                        | "low"
                        | "original"
                        | "cli"
                );
            if !allowed {
                return None;
            }
        }
    }
    let family = family?;
    // The model is the most specific segment: one that has a version number once
    // remarks in parentheses, a pass marker and a trailing "Review" are removed.
    let model = segments
        .iter()
        .map(|s| {
            let s = match s.find('(') {
                Some(i) => s.get(..i).unwrap_or(s),
                None => s,
            };
            let lower = s.to_ascii_lowercase();
            let s = match lower.find(" pass ") {
                Some(i) => s.get(..i).unwrap_or(s),
                None => s,
            };
            let s = s.trim();
            s.strip_suffix(" Review")
                .or_else(|| s.strip_suffix(" review"))
                .unwrap_or(s)
                .trim()
                .to_string()
        })
        .filter(|s| s.chars().any(|c| c.is_ascii_digit()))
        .max_by_key(String::len);
    Some((family.to_string(), model, pass.unwrap_or(1)))
}

fn split_appendix(
    text: &str,
    lines: &[Line<'_>],
    start: usize,
    end: usize,
    meta: &RoundMeta,
    diags: &mut Vec<Diagnostic>,
) -> Vec<AgentSection> {
    let mut heads: Vec<(usize, String, Option<String>, u32)> = Vec::new();
    // Sets instead of scans keep a report made of thousands of agent headings linear.
    let mut seen_heads: std::collections::BTreeSet<(String, u32)> = Default::default();
    let mut first_level = None;
    for (i, l) in lines.iter().enumerate().take(end).skip(start) {
        match l.kind {
            LineKind::Heading { level, text } if (2..=4).contains(&level) => {
                if let Some((agent, model, pass)) = agent_heading(text) {
                    first_level.get_or_insert(level);
                    seen_heads.insert((agent.clone(), pass));
                    heads.push((i, agent, model, pass));
                }
            }
            LineKind::Code => {
                // An agent review pasted inside a fence with unbalanced nested
                // fences swallows the next agent's heading. Accept a heading-like
                // code line only when it stands alone between blank lines, has the
                // level of the other agent headings, and names a review not yet seen.
                let Some(level) = first_level else { continue };
                let Some(LineKind::Heading { level: hl, text }) = classify_line(l.text) else {
                    continue;
                };
                let blank_before = i
                    .checked_sub(1)
                    .and_then(|j| lines.get(j))
                    .is_some_and(|p| p.text.trim().is_empty());
                let after_ok = lines.get(i + 1).is_none_or(|n| {
                    n.text.trim().is_empty() || n.text.trim_start().starts_with("```")
                });
                if hl != level || !blank_before || !after_ok {
                    continue;
                }
                if let Some((agent, model, pass)) = agent_heading(text) {
                    if seen_heads.insert((agent.clone(), pass)) {
                        diag(
                            diags,
                            l.no,
                            DiagnosticLevel::Note,
                            format!("{agent} heading found inside an unbalanced code fence"),
                        );
                        heads.push((i, agent, model, pass));
                    }
                }
            }
            _ => {}
        }
    }
    // Byte offsets of line starts, to slice verbatim text (line endings kept).
    let offsets = line_offsets(text);
    let mut out: Vec<AgentSection> = Vec::new();
    let mut taken: std::collections::BTreeSet<(String, u32)> = Default::default();
    let mut max_pass: BTreeMap<String, u32> = BTreeMap::new();
    for (k, (i, agent, model, pass)) in heads.iter().enumerate() {
        let next = heads.get(k + 1).map_or(end, |h| h.0);
        let mut a = i + 1;
        let mut b = next;
        let is_trim = |l: Option<&Line<'_>>| {
            l.is_some_and(|l| matches!(l.kind, LineKind::Blank | LineKind::Rule))
        };
        while a < b && is_trim(lines.get(a)) {
            a += 1;
        }
        while b > a && is_trim(lines.get(b - 1)) {
            b -= 1;
        }
        let heading_line = lines.get(*i).map_or(0, |l| l.no);
        let first_line = lines.get(a).map_or(heading_line + 1, |l| l.no);
        let body = match (offsets.get(a), offsets.get(b)) {
            (Some(&x), Some(&y)) => text.get(x..y).unwrap_or(""),
            (Some(&x), None) => text.get(x..).unwrap_or(""),
            _ => "",
        };
        let body = body.trim_end_matches(['\n', '\r']).to_string();
        let model = model.clone().or_else(|| {
            meta.reviewers
                .iter()
                .find(|r| &r.agent == agent)
                .map(|r| r.model.clone())
        });
        let mut pass = *pass;
        let max = max_pass.get(agent).copied().unwrap_or(0);
        if !taken.insert((agent.clone(), pass)) {
            diag(
                diags,
                heading_line,
                DiagnosticLevel::Warning,
                format!(
                    "second {agent} review with pass {pass}; numbered pass {}",
                    max.saturating_add(1)
                ),
            );
            pass = max.saturating_add(1);
            taken.insert((agent.clone(), pass));
        }
        let m = max_pass.entry(agent.clone()).or_insert(0);
        *m = (*m).max(pass);
        if body.trim().is_empty() {
            diag(
                diags,
                heading_line,
                DiagnosticLevel::Warning,
                format!("{agent} review is empty"),
            );
        }
        let review = parse_review(&body, first_line);
        out.push(AgentSection {
            agent: agent.clone(),
            model,
            pass,
            heading_line,
            first_line,
            text: body,
            review,
        });
    }
    out
}

/// Classifies one line on its own, ignoring fences.
fn classify_line(text: &str) -> Option<LineKind<'_>> {
    scan(text, 1).into_iter().next().map(|l| l.kind)
}

fn line_offsets(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            v.push(i + 1);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(body: &str) -> String {
        format!(
            "# Deep Review: 20990101-000000-pr-7\n\n| | |\n|---|---|\n| **Date** | 2099-01-01 10:00 |\n| **Reviewers** | Claude Opus 9, Codex GPT 9 (xhigh), Gemini 9 Pro |\n| **Verdict** | **Merge with fixes** — one leak |\n\n{body}"
        )
    }

    #[test]
    fn header_full_variant() {
        let text = "# Deep Review: 20990412-003842-pr-42\n\n| | |\n|---|---|\n\
| **Date** | 2099-04-12 00:38 |\n\
| **Repo** | [acme/widget](https://example.invalid/acme/widget) |\n\
| **Round** | 3 (of PR #42) |\n\
| **Author** | [@someone](https://example.invalid/someone) |\n\
| **PR** | [#42](https://example.invalid/pull/42) — Widget frobnicator |\n\
| **Branch** | `frob` |\n\
| **Commits** | `abc1234` Add frob<br>`def5678` Fix frob: again |\n\
| **Reviewers** | Claude Opus 4.6, Codex GPT 5.4 (xhigh), Gemini 3.1 Pro |\n\
| **Verdict** | **Rework** — two leaks |\n\
| **Wall-clock time** | `1 h 26 min 58 s` |\n\n## Executive Summary\n";
        let p = parse_report(text, "stem");
        let m = &p.meta;
        assert_eq!(m.id, "20990412-003842-pr-42");
        assert_eq!(m.date.as_deref(), Some("2099-04-12 00:38"));
        assert_eq!(m.repo.as_deref(), Some("acme/widget"));
        assert_eq!(m.round, Some(3));
        assert_eq!(m.author.as_deref(), Some("someone"));
        assert_eq!(m.pr, Some(42));
        assert_eq!(m.title.as_deref(), Some("Widget frobnicator"));
        assert_eq!(m.branch.as_deref(), Some("frob"));
        assert_eq!(
            m.commits,
            vec![
                Commit {
                    sha: "abc1234".into(),
                    subject: "Add frob".into()
                },
                Commit {
                    sha: "def5678".into(),
                    subject: "Fix frob: again".into()
                }
            ]
        );
        assert_eq!(m.reviewers.len(), 3);
        assert_eq!(m.reviewers[1].agent, "codex");
        assert_eq!(m.reviewers[1].model, "Codex GPT 5.4");
        assert_eq!(m.reviewers[1].effort.as_deref(), Some("xhigh"));
        assert_eq!(m.reviewers[2].effort, None);
        assert_eq!(m.wall_clock_s, Some(5218.0));
        let v = p.reference.verdict.expect("verdict");
        assert_eq!(v.decision, "rework");
        assert_eq!(v.reason, "two leaks");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    }

    #[test]
    fn header_oldest_variant() {
        let text = "## Deep Code Review: PR #12 — Thing\n\n| | |\n|---|---|\n\
| **Verdict** | Approve with required changes |\n| **PR** | #12 |\n\
| **Branch** | plain-branch |\n| **Date** | 2099-03-20 |\n\n### Findings\n";
        let p = parse_report(text, "20990320-164645-pr-12");
        assert_eq!(p.meta.id, "20990320-164645-pr-12");
        assert_eq!(p.meta.pr, Some(12));
        assert_eq!(p.meta.title, None);
        assert_eq!(p.meta.branch.as_deref(), Some("plain-branch"));
        assert_eq!(
            p.reference.verdict.expect("verdict").decision,
            "merge-as-is"
        );
    }

    #[test]
    fn header_pr_with_colon_and_old_commits() {
        assert_eq!(
            parse_pr("#248: App controller"),
            (Some(248), Some("App controller".into()))
        );
        assert_eq!(
            parse_commits("`4fd77c6` (serial log rotation)<br>`577f916 Add rdd set`"),
            vec![
                Commit {
                    sha: "4fd77c6".into(),
                    subject: "(serial log rotation)".into()
                },
                Commit {
                    sha: "577f916".into(),
                    subject: "Add rdd set".into()
                }
            ]
        );
    }

    #[test]
    fn broken_header_table_names_the_line() {
        let text = "# Deep Review: 20990101-x\n\n| | |\n|---|---|\n**Date** | 2099-01-01 |\n| **Branch** | `b` |\n\n## Summary\n";
        let p = parse_report(text, "stem");
        assert_eq!(p.meta.id, "20990101-x");
        assert_eq!(p.meta.branch.as_deref(), Some("b"));
        assert_eq!(p.meta.date, None);
        let lines: Vec<u32> = p.diagnostics.iter().map(|d| d.line).collect();
        assert!(lines.contains(&5), "{:?}", p.diagnostics);
        assert!(
            p.diagnostics
                .iter()
                .any(|d| d.message.contains("no Date row")),
            "{:?}",
            p.diagnostics
        );
    }

    #[test]
    fn garbage_has_no_header_and_uses_stem() {
        let p = parse_report("just some words\nand more\n", "my-stem");
        assert_eq!(p.meta.id, "my-stem");
        assert!(
            p.diagnostics
                .iter()
                .any(|d| d.message.contains("no header table"))
        );
        assert!(p.agents.is_empty());
    }

    #[test]
    fn wall_clock_forms() {
        assert_eq!(parse_duration("1 h 26 min 58 s"), Some(5218.0));
        assert_eq!(parse_duration("`21 min 9 s`"), Some(1269.0));
        assert_eq!(parse_duration("12m 3s"), Some(723.0));
        assert_eq!(parse_duration("15m 59s"), Some(959.0));
        assert_eq!(parse_duration("10:52"), Some(652.0));
        assert_eq!(parse_duration("278"), Some(278.0));
        assert_eq!(parse_duration("3m"), Some(180.0));
        assert_eq!(parse_duration("about an hour"), None);
        assert_eq!(parse_duration("12 parsecs"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn agent_heading_forms() {
        let h = |t: &str| agent_heading(t);
        assert_eq!(
            h("Claude Opus 4.6"),
            Some(("claude".into(), Some("Claude Opus 4.6".into()), 1))
        );
        assert_eq!(h("[Codex] — Pass 1"), Some(("codex".into(), None, 1)));
        assert_eq!(h("[Codex] — Pass 2"), Some(("codex".into(), None, 2)));
        assert_eq!(
            h("[Gemini 3.1 Pro]"),
            Some(("gemini".into(), Some("Gemini 3.1 Pro".into()), 1))
        );
        assert_eq!(
            h("[Claude] — Claude Opus 4.6"),
            Some(("claude".into(), Some("Claude Opus 4.6".into()), 1))
        );
        assert_eq!(
            h("Codex GPT 5.4 Review"),
            Some(("codex".into(), Some("Codex GPT 5.4".into()), 1))
        );
        assert_eq!(
            h("Gemini 2.5 Pro"),
            Some(("gemini".into(), Some("Gemini 2.5 Pro".into()), 1))
        );
        assert_eq!(
            h("[Claude Opus 4.6] — Pass 3"),
            Some(("claude".into(), Some("Claude Opus 4.6".into()), 3))
        );
        assert_eq!(h("[Claude]"), Some(("claude".into(), None, 1)));
        assert_eq!(h("Claude's review was lost"), None);
        assert_eq!(h("Gemini-specific notes"), None);
        assert_eq!(h("Executive Summary"), None);
        assert_eq!(h("Claude and Codex"), None);
        assert_eq!(h("Claude vs Codex"), None);
        assert_eq!(h("Codex — Pass two"), None);
        assert_eq!(h("Codex — Pass 0"), None);
        assert_eq!(
            h("Claude Opus 4.6 (pass 2)"),
            Some(("claude".into(), Some("Claude Opus 4.6".into()), 2))
        );
        assert_eq!(
            h("Gemini 3.1 Pro (xhigh)"),
            Some(("gemini".into(), Some("Gemini 3.1 Pro".into()), 1))
        );
        assert_eq!(h("Claude passes"), None);
        assert_eq!(
            h("Claude Opus 4.6 Pass 2"),
            Some(("claude".into(), Some("Claude Opus 4.6".into()), 2))
        );
        assert_eq!(h("[Claude] Pass 3"), Some(("claude".into(), None, 3)));
    }

    #[test]
    fn appendix_splits_at_agent_headings_only() {
        let body = "## Appendix: Original Reviews\n\n### [Claude] — Pass 1\n\n# Code Review\n\n## Findings\n\n```bash\n# Codex GPT 5.4\n### Gemini 3.1 Pro\n```\n\n### Claude's review was lost\n\ntext\n\n---\n\n### [Codex GPT 5.4] — Pass 1\n\nCodex body\n\n### [Codex GPT 5.4] — Pass 2\n\nsecond\n";
        let text = report(body);
        let p = parse_report(&text, "stem");
        let got: Vec<(&str, u32)> = p
            .agents
            .iter()
            .map(|a| (a.agent.as_str(), a.pass))
            .collect();
        assert_eq!(got, vec![("claude", 1), ("codex", 1), ("codex", 2)]);
        let claude = &p.agents[0];
        assert!(claude.text.starts_with("# Code Review"));
        assert!(claude.text.contains("# Codex GPT 5.4"));
        assert!(claude.text.ends_with("text"), "{:?}", claude.text);
        assert_eq!(claude.model.as_deref(), Some("Claude Opus 9"));
        let first = text.lines().nth(claude.first_line as usize - 1);
        assert_eq!(first, Some("# Code Review"));
        assert_eq!(p.agents[1].model.as_deref(), Some("Codex GPT 5.4"));
        assert_eq!(p.agents[2].text, "second");
    }

    #[test]
    fn many_repeated_agent_headings_are_numbered_passes() {
        let mut body = String::from("## Appendix: Original Reviews\n\n");
        for _ in 0..20_000 {
            body.push_str("### [Claude]\n\nx\n\n");
        }
        // Speed on such input is measured in `cargo bench` (parse-report), not here.
        let p = parse_report(&report(&body), "stem");
        assert_eq!(p.agents.len(), 20_000);
        assert_eq!(p.agents.last().map(|a| a.pass), Some(20_000));
        let mut passes: Vec<u32> = p.agents.iter().map(|a| a.pass).collect();
        passes.dedup();
        assert_eq!(passes.len(), 20_000);
    }

    #[test]
    fn appendix_stops_at_resolution() {
        let body = "## 4. Appendix: Original Reviews\n\n### Gemini 3.1 Pro\n\nbody\n\n## Resolution\n\n| # | Finding | Action |\n|---|---|---|\n| 1 | Important #1: Leak in `a.go:3` | Fixed (closed it) |\n";
        let p = parse_report(&report(body), "stem");
        assert_eq!(p.agents.len(), 1);
        assert_eq!(p.agents[0].text, "body");
    }

    #[test]
    fn omitted_appendix_is_an_import_error() {
        let body = "## Appendix: Original Reviews\n\n*(Same content as the original report — omitted here for brevity.)*\n";
        let p = parse_report(&report(body), "stem");
        assert!(p.agents.is_empty());
        let src = Source {
            kind: "report".into(),
            name: "x.md".into(),
            sha256: "sha256:0".into(),
        };
        let err = p.to_cassette(src).expect_err("no agents");
        assert_eq!(err.message, NO_APPENDIX);
        assert_eq!(err.line, Some(9));
    }

    #[test]
    fn ids_that_cannot_name_a_file() {
        assert!(is_valid_id("20260412-003842-pr-295"));
        assert!(is_valid_id("app.v2_x"));
        for bad in ["", ".hidden", "a/b", "a b", "../x", "é"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
        // A title id with a slash falls back to the file name, with a warning.
        let p = parse_report("# Deep Review: a/b\n", "good-stem");
        assert_eq!(p.meta.id, "good-stem");
        assert!(
            p.diagnostics
                .iter()
                .any(|d| d.line == 1 && d.message.contains("a/b"))
        );
        // Neither usable: the cassette cannot be built.
        let mut p = parse_report(
            "## Appendix: Original Reviews\n\n### [Claude]\n\nx\n",
            "bad stem",
        );
        assert_eq!(p.agents.len(), 1);
        let src = Source {
            kind: "report".into(),
            name: "bad stem.md".into(),
            sha256: "sha256:0".into(),
        };
        let err = p.to_cassette(src.clone()).expect_err("bad id");
        assert!(
            err.message.contains("no usable round id"),
            "{}",
            err.message
        );
        p.meta.id = "fine".into();
        assert!(p.to_cassette(src).is_ok());
    }

    #[test]
    fn reference_findings_new_form() {
        let body = "## Critical Issues\n\nNone.\n\n## Important Issues\n\nI1. **Leak in `frob`** — `pkg/a.go:10-12`, `pkg/b.go:3` [Claude Opus 4.7, Codex GPT 5.4] (important, regression)\n\n```go\n# not a heading\nI9. **not a finding**\n```\n\nI2. **Race** — `c.go:1` [Gemini 3.1 Pro, Claude Opus 4.7]\n\n## Suggestions\n\nS1. **Typo** — `d.go:2` [Codex GPT 5.4] (suggestion, enhancement)\n\n## Design Observations\n\n1. **Not a finding** (in-scope) [Claude Opus 4.7]\n";
        let p = parse_report(&report(body), "stem");
        let f = &p.reference.findings;
        let ids: Vec<&str> = f.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, vec!["I1", "I2", "S1"]);
        assert_eq!(f[0].title, "Leak in `frob`");
        assert_eq!(f[0].agents, vec!["claude", "codex"]);
        assert_eq!(f[0].tags, vec!["regression"]);
        assert_eq!(f[0].severity, Severity::Important);
        assert_eq!(f[1].agents, vec!["claude", "gemini"]);
        assert!(f[1].tags.is_empty());
        assert_eq!(f[2].severity, Severity::Suggestion);
        assert_eq!(f[2].tags, vec!["enhancement"]);
    }

    #[test]
    fn agent_groups_with_remarks() {
        let body = "## Important Issues\n\nI1. **A** — `a.go:1` [Codex GPT 5.4, Claude Opus 4.6 (as S5), Gemini 3.1 Pro (as C4)]\n\n2. **B** — `b.go:1` (important, regression) [Gemini 3.1 Pro, verified]\n\n## Suggestions\n\n1. **C** — `c.go:1` (suggestion, gap) [Gemini 3.1 Pro, verified]\n";
        let p = parse_report(&report(body), "stem");
        let f = &p.reference.findings;
        assert_eq!(f[0].agents, vec!["claude", "codex", "gemini"]);
        assert!(f[0].tags.is_empty(), "{:?}", f[0].tags);
        assert_eq!(f.len(), 2, "styles do not mix within a section");
        assert_eq!(f[1].id, "S1");
        assert_eq!(f[1].agents, vec!["gemini"]);
        assert_eq!(f[1].tags, vec!["gap"]);
    }

    #[test]
    fn reference_findings_old_forms() {
        let body = "## Consolidated Review\n\n### Critical Findings\n\n**[CRITICAL] a.go:58 — Finalizer stripped** [Codex GPT 5.4, Gemini 3.1 Pro]\n\nProblem: x\n\n### Important Findings\n\n1. **Owner missing** — `a.go:73` [Claude Opus 4.6]\n\n   1. **nested, not a finding**\n\n3. **Third** -- `b.go:1` [Codex GPT 5.4] *(deferred to upstream)*\n\n### Suggestions\n\n#### 1. Heading style finding\n\n### Testing Assessment\n\n1. **Gap** — not a finding\n";
        let p = parse_report(&report(body), "stem");
        let f = &p.reference.findings;
        let got: Vec<(&str, &str)> = f
            .iter()
            .map(|x| (x.id.as_str(), x.title.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("C1", "Finalizer stripped"),
                ("I1", "Owner missing"),
                ("I3", "Third"),
                ("S1", "Heading style finding"),
            ]
        );
        assert_eq!(f[0].agents, vec!["codex", "gemini"]);
        assert_eq!(f[2].tags, vec!["deferred to upstream"]);
    }

    #[test]
    fn numbered_lists_inside_findings_are_not_findings() {
        let body = "## Important Issues\n\nI1. **Cleanup is fragile** — `a.go:1` [Claude Opus 4.6]\n\n1. **Inner loop has no retry** [Claude Opus 4.6]. Body.\n2. **First error wins** [Gemini 3.1 Pro].\n\nI2. **Next** — `b.go:2` [Codex GPT 5.4]\n\n## Suggestions\n\n1. **One** — `c.go:1` [Codex GPT 5.4]\n\n1. **Sub-point** restarts the list\n\n2. **Two** — `c.go:2` [Codex GPT 5.4]\n";
        let p = parse_report(&report(body), "stem");
        let ids: Vec<&str> = p.reference.findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, vec!["I1", "I2", "S1", "S2"]);
    }

    #[test]
    fn agent_heading_swallowed_by_unbalanced_fence() {
        // The Codex review is pasted inside a bare fence, and its nested ```go
        // block closes that fence early, so the closing ``` opens a new one.
        let body = "## Appendix: Original Reviews\n\n### Codex GPT 5.4\n\n```\n### Summary\n```go\nx := 1\n```\nmore\n```\n\n### Gemini 3.1 Pro\n\n```\nGemini body\n```\n";
        let p = parse_report(&report(body), "stem");
        let got: Vec<&str> = p.agents.iter().map(|a| a.agent.as_str()).collect();
        assert_eq!(got, vec!["codex", "gemini"]);
        assert!(p.agents[1].text.contains("Gemini body"));
    }

    #[test]
    fn resolution_after_an_unbalanced_fence() {
        let text = "# Deep Review: r\n\n| | |\n|---|---|\n| **Date** | 2099-01-01 |\n| **Round** | 4 |\n\n## Appendix: Original Reviews\n\n### Codex GPT 5.4\n\n```\n```go\nx\n```\n```\n\n## Resolution\n\n| # | Finding | Action |\n|---|---|---|\n| 1 | Important #2: Leak | Fixed |\n";
        let p = parse_report(text, "stem");
        assert_eq!(p.resolutions.len(), 1);
        assert_eq!(p.resolutions[0].id, "I2");
        assert_eq!(p.resolutions[0].round, 4);
        assert!(!p.agents[0].text.contains("Resolution"));
    }

    #[test]
    fn verdict_forms() {
        let v = parse_verdict("**Merge as-is** -- remaining items deferred");
        assert_eq!(v.decision, "merge-as-is");
        assert_eq!(v.reason, "remaining items deferred");
        let v = parse_verdict("**Ship it** — fine");
        assert_eq!(v.decision, "Ship it");
        assert_eq!(v.reason, "fine");
        let v = parse_verdict("**Merge with fixes** — one rework-worthy nit");
        assert_eq!(v.decision, "merge-with-fixes");
    }

    #[test]
    fn retro_table_and_stats() {
        let body = "## Agent Performance Retro\n\n**[Claude]** prose\n\n### Summary\n\n| | Claude Opus 4.7 | Codex GPT 5.4 | Gemini 3.1 Pro |\n|---|---|---|---|\n| Duration | 15m 59s | 3:34 | 278 |\n| **Findings** | **5I 9S** | 2I 1S | 3I |\n| Tool calls | 88 (Bash 39, Read 9) | 21 (shell 20) | n/a |\n\n**Reconciliation:** Gemini C1 → Important (I1) because x.\n\nOverall, fine.\n\n## Appendix: Original Reviews\n\n### [Claude]\n\nx\n";
        let p = parse_report(&report(body), "stem");
        let t = p.reference.retro.clone().expect("retro");
        assert_eq!(
            t.columns,
            vec!["Claude Opus 4.7", "Codex GPT 5.4", "Gemini 3.1 Pro"]
        );
        assert_eq!(t.rows[1].metric, "Findings");
        assert_eq!(t.rows[1].values[0], "5I 9S");
        assert_eq!(p.stats["claude"].duration_s, Some(959.0));
        assert_eq!(p.stats["claude"].tool_calls, Some(88));
        assert_eq!(p.stats["codex"].duration_s, Some(214.0));
        assert_eq!(p.stats["gemini"].tool_calls, None);
        assert_eq!(
            p.reference.reconciliation,
            vec!["Gemini C1 → Important (I1) because x."]
        );
        let src = Source {
            kind: "report".into(),
            name: "x.md".into(),
            sha256: "sha256:0".into(),
        };
        let c = p.to_cassette(src).expect("cassette");
        assert_eq!(c.interactions[0].tool_calls, Some(88));
        assert_eq!(c.interactions[0].duration_s, Some(959.0));
    }

    #[test]
    fn reconciliation_list_forms() {
        let body = "## Agent Performance Retro\n\n### Reconciliation\n\n- Gemini C1 race → Important (I1).\n  Same as Claude I1.\n- Gemini C2 → Important (I2).\n\n---\n\n**Reconciliation:**\n\n- A\n- B\n\nAfter.\n";
        let p = parse_report(&report(body), "stem");
        assert_eq!(
            p.reference.reconciliation,
            vec![
                "Gemini C1 race → Important (I1). Same as Claude I1.",
                "Gemini C2 → Important (I2).",
                "A",
                "B"
            ]
        );
    }

    #[test]
    fn resolutions() {
        let text = "# Deep Review: r\n\n| | |\n|---|---|\n| **Date** | 2099-01-01 |\n| **Round** | 2 |\n\n## Resolution\n\n| | |\n|---|---|\n| **Addressed** | 2099-01-02 |\n\n| # | Finding | Action |\n|---|---|---|\n| 1 | Important #1: Leak in frob | Fixed (closed it) |\n| 2 | Important I2: Race | Skipped (by design) |\n| 3 | Suggestion #4: Typo | Commented |\n| 4 | Testing Gap #1: no test | Test written |\n| 5 | Critical #1: Boom | Test written (BATS) |\n| 6 | Suggestion #5: Odd | Pondered |\n";
        let p = parse_report(text, "stem");
        let got: Vec<(u32, &str, &str, ResolutionStatus, &str)> = p
            .resolutions
            .iter()
            .map(|r| {
                (
                    r.round,
                    r.id.as_str(),
                    r.title.as_str(),
                    r.status,
                    r.reason.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    2,
                    "I1",
                    "Leak in frob",
                    ResolutionStatus::Fixed,
                    "closed it"
                ),
                (2, "I2", "Race", ResolutionStatus::Declined, "by design"),
                (2, "S4", "Typo", ResolutionStatus::Declined, "commented"),
                (2, "C1", "Boom", ResolutionStatus::TestWritten, "BATS"),
            ]
        );
        assert!(
            p.diagnostics
                .iter()
                .any(|d| d.line == 21 && d.message.contains("Pondered"))
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_shuffled_report_lines(
            picks in proptest::collection::vec(0usize..24, 0..60),
            noise in ".{0,12}",
        ) {
            const PARTS: [&str; 24] = [
                "# Deep Review: x", "| **Date** | 2099 |", "| **Round** | 9999999999999 |",
                "| **PR** | [#](u) — |", "| **Commits** | `a<br>`b` c |", "|---|---|",
                "## Appendix: Original Reviews", "### [Claude] — Pass 0", "### Codex GPT 5.4",
                "```", "```go", "## Critical Issues", "C1. **T** — `a:1` [Claude (x]",
                "1. **T** (", "**[IMPORTANT] x — y** [", "## Resolution",
                "| # | Finding | Action |", "| 1 | Important #99999999999: t | Fixed ( |",
                "## Agent Performance Retro", "| | Claude | Codex |", "| Duration | 1:2:x | 5 h |",
                "**Reconciliation:**", "- item", "",
            ];
            let mut text = String::new();
            for p in picks {
                text.push_str(PARTS.get(p).copied().unwrap_or(""));
                text.push_str(&noise);
                text.push('\n');
            }
            let _ = parse_report(&text, "s");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "",
            "#",
            "# Deep Review:",
            "| **Date**",
            "## Appendix: Original Reviews\n### [Claude]",
            "## Critical Issues\nC",
            "## Critical Issues\n1. **",
            "## Critical Issues\n**[",
            "## Resolution\n| Finding | Action |\n| Important | |",
            "é|**ü**|\u{0}",
        ] {
            let _ = parse_report(t, "s");
        }
    }
}
