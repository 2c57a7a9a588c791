//! The agent review parser: one agent's markdown review into a
//! [`ParsedReview`] plus diagnostics.
//!
//! Reviews are written by models in several loose dialects (see the unit tests for
//! each form), so the parser is a single pass over classified lines with a small
//! amount of state: the section it is in (summary, findings of one severity,
//! design, testing, ...), the finding or item being built, and what was seen so
//! far. Headings may be ATX headings of any level or bold-only lines, decorated
//! with emoji or counts (`### 🔴 Critical (2)`, `### Severity: High`); findings may
//! be headings, numbered items, bold lines or `C1.`-style lines, rows of a findings
//! table (`table.rs`), or titles (a heading or bold line) directly followed by
//! label lines naming their severity (`**Severity:** High`, `- **File**: ...`).
//! Severity words and `P0`..`P3` priorities map as [`Severity::from_word`] says.
//!
//! Invariants: it never panics and never gives up (an odd section is skipped, with
//! a diagnostic when something finding-like was lost); it is linear in the input;
//! line numbers are absolute (`first_line`-based); all text handling is by `char`
//! or on ASCII boundaries, so no UTF-8 sequence is ever split.

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::model::{
    CoverageEntry, CoverageStatus, DesignObservation, Diagnostic, DiagnosticLevel, Incomplete,
    IncompleteKind, Location, ObservationKind, ParseOutput, ParsedReview, RawFinding, Scope,
    Severity,
};
use crate::parse::completeness::{self, Evidence};
use crate::parse::location::{
    self, extract_locations, has_location, span_then_prose_first_location,
};
use crate::parse::markdown::{
    self, Line, LineKind, any_byte, find_bold, strip_emphasis, strip_emphasis_cow, table_cell_iter,
    table_cells, trim_ws,
};
use crate::parse::wrappers::{Unwrapped, unwrap_review};

mod coverage;
mod items;
mod observations;
mod sections;
mod table;
mod tags;

use coverage::*;
use items::*;
use observations::*;
use sections::*;
use table::*;
use tags::*;

/// Parses one agent review. `first_line` is the line number of the text's first
/// line in the file it came from (1 for a whole file), so diagnostics point into
/// that file. Never fails and never panics.
pub fn parse_review(text: &str, first_line: u32) -> ParseOutput {
    // `normalize` drops the byte-order mark, then the padding at line ends:
    // whether there is any is noted by the scan below, so the text is read
    // once more only when it has some.
    let text = text.trim_start_matches('\u{feff}');
    let first_line = first_line.max(1);
    if text.trim().is_empty() {
        return ParseOutput {
            review: ParsedReview::default(),
            diagnostics: vec![Diagnostic {
                line: first_line,
                level: DiagnosticLevel::Warning,
                message: "empty review".into(),
            }],
            incomplete: Some(Incomplete {
                kind: IncompleteKind::Empty,
                reason: "the review holds no text".into(),
                line: None,
            }),
        };
    }
    // The lines are cut once: a text that holds no line a wrapper could start
    // with is what removing wrappers gives back, unchanged and without a word,
    // and only a text whose wrappers were removed is scanned again.
    // Whether a line may be a wrapper's is noted by the scan too, from the
    // first byte after each line's spaces, which it reads anyway.
    // Into the vector of the thread's last review (see `kept_lines`).
    let scanned = markdown::scan_noting_into(text, first_line, kept_lines());
    let normalized;
    let (text, scanned) = if scanned.padded {
        normalized = crate::parse::normalize::normalize(text);
        (
            &*normalized,
            markdown::scan_noting_into(&normalized, first_line, scanned.lines),
        )
    } else {
        (text, scanned)
    };
    let (scanned, may_wrap) = (scanned.lines, scanned.may_wrap);
    let unwrapped = if may_wrap {
        unwrap_review(text, first_line)
    } else {
        Unwrapped {
            text: Cow::Borrowed(text),
            diagnostics: Vec::new(),
        }
    };
    let rescanned;
    let lines: &[Line<'_>] = match &unwrapped.text {
        Cow::Owned(t) => {
            rescanned = markdown::scan(t, first_line);
            &rescanned
        }
        Cow::Borrowed(_) => &scanned,
    };
    let mut p = Parser::new(first_line);
    // A finding takes some 400 bytes of a review or more (its title line,
    // body, fix and the blank lines between): the findings vector is made
    // with room for the text's length over 400 of them (at most 64), rather
    // than grown from four to eight, sixteen and thirty-two findings of some
    // 200 bytes, copying 28 of them for a review of twenty. Counting the list
    // items instead (a test a line in the pass over the lines) took back two
    // thirds of what the room saved.
    p.review.findings.reserve((text.len() / 400).min(64));
    p.diagnostics.extend(unwrapped.diagnostics);
    for i in 0..lines.len() {
        p.line(Ahead { lines, i });
    }
    let open_finding = p.finding.as_ref().map(|f| f.line);
    let mut out = p.finish();
    out.incomplete = completeness::assess(&Evidence {
        lines,
        findings: &out.review.findings,
        explicit_no_findings: out.review.explicit_no_findings,
        open_finding,
    });
    keep_lines(scanned);
    out
}

/// How many lines' room a thread keeps for its next review at most (a
/// megabyte): a review of more lines gets a vector of its own.
const KEPT_LINES: usize = 1 << 14;

thread_local! {
    /// The vector of lines of the last review this thread parsed, empty,
    /// kept for the next one: reviews are parsed one after the other on
    /// each thread, and reusing the vector saves counting each text's lines
    /// to size a new one (a pass over all of its bytes, some 2,200
    /// instructions a synthetic review) and making it.
    static LINES: std::cell::Cell<Vec<Line<'static>>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The thread's kept vector of lines (empty), taken: a vector of lines of no
/// text is one of lines of any text.
fn kept_lines<'a>() -> Vec<Line<'a>> {
    LINES.take()
}

/// Keeps the vector of a review's lines, emptied, for the thread's next
/// review, unless it is larger than [`KEPT_LINES`].
fn keep_lines(mut lines: Vec<Line<'_>>) {
    if lines.capacity() > KEPT_LINES {
        return;
    }
    lines.clear();
    // The empty vector collected into one of lines that borrow nothing: the
    // same type but for the lifetime, so it is collected in place and keeps
    // its room (a test holds that it does). A `filter` would keep the
    // lifetime: `filter_map` makes lines of another type, none of them.
    #[allow(clippy::unnecessary_filter_map)]
    let lines: Vec<Line<'static>> = lines.into_iter().filter_map(|_| None).collect();
    LINES.set(lines);
}

/// The line being read, with the lines after it: whether it is a title followed
/// by labels naming its severity is only worked out where that can matter.
#[derive(Clone, Copy)]
struct Ahead<'l, 'a> {
    lines: &'l [Line<'a>],
    i: usize,
}

impl Ahead<'_, '_> {
    /// The line is a title followed by a block of labels holding a `Severity:`
    /// (see [`severity_labelled_at`]).
    fn labelled(self) -> bool {
        severity_labelled_at(self.lines, self.i)
    }
}

/// A finding being built.
#[derive(Debug, Default)]
struct FindingBuilder {
    line: u32,
    raised_id: Option<String>,
    tag_severity: Option<Severity>,
    id_severity: Option<Severity>,
    section_severity: Option<Severity>,
    classification: Option<String>,
    tags: Vec<String>,
    title: String,
    title_locations: Vec<Location>,
    body: Paragraphs,
    fix: Paragraphs,
    in_fix: bool,
    code_blocks: Vec<String>,
    code: Option<String>,
    /// Heading level when the finding is a heading; deeper headings belong to it.
    heading_level: Option<u8>,
}

/// A design/testing/documentation/limitation item being built.
#[derive(Debug)]
struct ItemBuilder {
    line: u32,
    text: Vec<String>,
    is_list: bool,
    /// A paragraph that opens with a bold title; later paragraphs and bullets
    /// are part of it until the next bold-titled paragraph.
    bold_para: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FindingStyle {
    List,
    Other,
}

struct Parser {
    first_line: u32,
    review: ParsedReview,
    diagnostics: Vec<Diagnostic>,
    major: Major,
    section_level: u8,
    severity: Option<Severity>,
    severity_level: u8,
    design_kind: Option<ObservationKind>,
    style: Option<FindingStyle>,
    finding: Option<FindingBuilder>,
    item: Option<ItemBuilder>,
    summary: Vec<String>,
    preamble: Vec<String>,
    none_markers: u32,
    says_no_findings: bool,
    expect_verdict: bool,
    coverage_header_seen: bool,
    in_code: bool,
    /// The columns of the findings table being read.
    table: Option<TableColumns>,
}

impl Parser {
    fn new(first_line: u32) -> Parser {
        Parser {
            first_line,
            review: ParsedReview::default(),
            diagnostics: Vec::new(),
            major: Major::Start,
            section_level: 0,
            severity: None,
            severity_level: 0,
            design_kind: None,
            style: None,
            finding: None,
            item: None,
            summary: Vec::new(),
            preamble: Vec::new(),
            none_markers: 0,
            says_no_findings: false,
            expect_verdict: false,
            coverage_header_seen: false,
            in_code: false,
            table: None,
        }
    }

    fn diag(&mut self, line: u32, level: DiagnosticLevel, message: String) {
        self.diagnostics.push(Diagnostic {
            line,
            level,
            message,
        });
    }

    // Called for every line from one loop: left outlined when the stages it
    // calls grow, it costs a call and register spills per line.
    #[inline(always)]
    fn line(&mut self, at: Ahead<'_, '_>) {
        let Some(line) = at.lines.get(at.i) else {
            return;
        };
        match &line.kind {
            LineKind::Fence => {
                self.in_code = !self.in_code;
                if let Some(f) = self.finding.as_mut() {
                    match f.code.take() {
                        Some(code) => f.code_blocks.push(code),
                        None if self.in_code => f.code = Some(String::new()),
                        None => {}
                    }
                }
                return;
            }
            LineKind::Code => {
                if let Some(code) = self.finding.as_mut().and_then(|f| f.code.as_mut()) {
                    if !code.is_empty() {
                        code.push('\n');
                    }
                    code.push_str(line.text);
                }
                return;
            }
            LineKind::Heading { level, text } => {
                self.heading(*level, text, line.no, at);
                return;
            }
            // An empty line (half the lines of a review) is what the stages
            // below make of a blank line whose trimmed text is empty: no
            // bold header, verdict or finding start, only a blank line of
            // the finding or the section. Told here, it is neither trimmed
            // (a call) nor asked about by each stage.
            LineKind::Blank if line.text.is_empty() => {
                self.in_code = false;
                self.table = None;
                if self.finding.is_some() {
                    self.finding_line(line, "");
                } else {
                    self.section_line(line, "");
                }
                return;
            }
            _ => {}
        }
        self.text_line(line, at);
    }

    /// [`Parser::line`] of a line that is no fence, code, heading or empty
    /// line (any line, to the tests, which hold the empty-line shortcut to
    /// this path).
    #[inline(always)]
    fn text_line(&mut self, line: &Line<'_>, at: Ahead<'_, '_>) {
        self.in_code = false;
        if matches!(line.kind, LineKind::TableRow | LineKind::TableRule)
            && self.major == Major::Findings
            && self.finding.is_none()
        {
            if self.findings_table_line(line) {
                return;
            }
        } else {
            self.table = None;
        }
        // Cut after the spaces the scan counted, when its ends allow.
        let trimmed = line.trimmed();
        // A bold header opens with `**`: most lines are told here, without a call.
        if let Some(class) = trimmed
            .starts_with("**")
            .then(|| bold_header(trimmed))
            .flatten()
        {
            self.section_heading(7, class, trimmed);
            return;
        }
        if self.expect_verdict && !trimmed.is_empty() && self.review.verdict.is_none() {
            self.review.verdict = Some(strip_emphasis(trimmed));
            self.expect_verdict = false;
        }
        // Inside a finding, `Recommendation:` is the fix, not the review's verdict.
        // An empty line names none (half the lines outside findings): it is
        // not asked, which saves its vectorised search for a colon.
        if self.finding.is_none() && !trimmed.is_empty() {
            if let Some(v) = verdict_of(trimmed) {
                if self.review.verdict.is_none() {
                    self.review.verdict = Some(v);
                }
                // A verdict table row is not a coverage row; prose lines still
                // belong to their section (summary-only reviews).
                let head = strip_emphasis(trimmed)
                    .trim_start_matches(['-', '#', ' ', '|'])
                    .to_ascii_lowercase();
                let opens_line = ["verdict", "recommendation", "overall", "final"]
                    .iter()
                    .any(|w| head.starts_with(w));
                if opens_line
                    || matches!(line.kind, LineKind::TableRow)
                    || self.major != Major::Start && self.major != Major::Summary
                {
                    return;
                }
            }
        }
        // The line is trimmed once, here, for every stage below.
        if self.try_start_finding(line, trimmed, at) {
            return;
        }
        if self.finding.is_some() {
            self.finding_line(line, trimmed);
            return;
        }
        self.section_line(line, trimmed);
    }

    fn heading(&mut self, level: u8, text: &str, no: u32, at: Ahead<'_, '_>) {
        self.table = None;
        // A heading deeper than the finding heading it follows is part of it
        // (`##### Fix` under `#### S2. Title`).
        if let Some(f) = &self.finding {
            if let Some(fl) = f.heading_level {
                if level > fl && classify_heading(text) == HeadingClass::Unknown {
                    // `##### Fix` opens the fix paragraph like `**Fix:**` does.
                    let as_label = format!("{}:", text.trim().trim_end_matches(':'));
                    if label_of(&as_label).is_some() {
                        self.finding_text(no, &as_label);
                    } else {
                        self.finding_text(no, text);
                    }
                    return;
                }
            }
        }
        let class = classify_heading(text);
        // `### Critical: Nil map write`, `#### 2. High — Title`: a severity word,
        // then the finding's title.
        if matches!(self.major, Major::Start | Major::Findings) {
            if let Some((sev, title)) = severity_prefixed_title(text) {
                if let Some(mut start) = parse_item_start(&title, false) {
                    start.tag_severity = Some(sev);
                    self.start_finding(start, no, Some(level));
                    return;
                }
            }
        }
        if class == HeadingClass::Unknown || class == HeadingClass::Section(Major::Findings) {
            if let Some(start) = parse_item_start(text, true) {
                if start.explicit || self.in_severity_section(level) {
                    self.start_finding(start, no, Some(level));
                    return;
                }
            }
            if class == HeadingClass::Unknown && self.in_severity_section(level) {
                if let Some(start) = parse_item_start(text, false) {
                    self.start_finding(start, no, Some(level));
                    return;
                }
            }
        }
        // `### Title` then `**Severity:** High`: a finding without a severity section.
        if class == HeadingClass::Unknown
            && self.severity.is_none()
            && (self.major == Major::Start
                || self.major == Major::Findings && level > self.section_level)
            && at.labelled()
        {
            // `### 1. Title`: the heading's own numbering is not part of the title.
            let digits = text.chars().take_while(char::is_ascii_digit).count();
            let untitled = match text[digits..].strip_prefix(['.', ')']) {
                Some(r) if digits > 0 && r.starts_with(' ') => r.trim_start(),
                _ => text,
            };
            if let Some(start) = parse_item_start(untitled, false) {
                self.start_finding(start, no, Some(level));
                return;
            }
        }
        if class == HeadingClass::Unknown
            && level > self.section_level
            && !matches!(self.major, Major::Start | Major::Other | Major::Findings)
        {
            // A sub-heading inside a section we read: keep reading it.
            self.flush_item();
            self.item = Some(ItemBuilder {
                line: no,
                text: vec![strip_emphasis(text)],
                is_list: false,
                bold_para: true,
            });
            return;
        }
        self.section_heading(level, class, text);
    }

    fn in_severity_section(&self, level: u8) -> bool {
        self.major == Major::Findings && self.severity.is_some() && level > self.severity_level
    }

    fn section_heading(&mut self, level: u8, class: HeadingClass, text: &str) {
        self.flush_finding();
        self.flush_item();
        self.expect_verdict = false;
        match class {
            HeadingClass::Section(major) => {
                self.major = major;
                self.section_level = level;
                self.severity = None;
                self.design_kind = None;
                self.style = None;
                if major == Major::Verdict {
                    let rest = verdict_of(text);
                    match rest {
                        Some(v) if self.review.verdict.is_none() => self.review.verdict = Some(v),
                        _ => self.expect_verdict = true,
                    }
                }
                if major == Major::Coverage {
                    self.coverage_header_seen = false;
                }
            }
            HeadingClass::FindingsNone => {
                self.major = Major::Findings;
                self.section_level = level;
                self.severity = None;
                self.style = None;
                self.none_markers += 1;
            }
            HeadingClass::Severity(sev, none) => {
                if self.major != Major::Findings {
                    self.section_level = level;
                }
                self.major = Major::Findings;
                self.severity = Some(sev);
                self.severity_level = level;
                self.style = None;
                if none {
                    self.none_markers += 1;
                }
            }
            HeadingClass::Design(kind) => {
                if self.major != Major::Design {
                    self.major = Major::Design;
                    self.section_level = level;
                }
                self.design_kind = Some(kind);
            }
            HeadingClass::Unknown => {
                self.major = Major::Other;
                self.section_level = level;
                self.severity = None;
            }
        }
    }

    /// Starts a finding when `line` (`trimmed` once trimmed) opens one;
    /// returns whether it did.
    fn try_start_finding(&mut self, line: &Line<'_>, trimmed: &str, at: Ahead<'_, '_>) -> bool {
        let (text, is_list, indent) = match &line.kind {
            LineKind::ListItem { text, indent, .. } => (*text, true, *indent),
            LineKind::Text => (trimmed, false, 0),
            _ => return false,
        };
        let allowed_here = matches!(self.major, Major::Start | Major::Findings);
        if !allowed_here {
            return false;
        }
        // `text` is trimmed: a list item's text is, and so is `trimmed`.
        if let Some(start) = parse_trimmed_explicit_start(text) {
            // A list item inside a finding's body (`1. **Step**`) is not a new
            // finding unless findings here are list items.
            let nested = is_list
                && (indent >= 2
                    || (self.finding.is_some()
                        && self.style != Some(FindingStyle::List)
                        && !start.has_id()));
            if !nested && (start.explicit || self.severity.is_some()) {
                self.style.get_or_insert(if is_list {
                    FindingStyle::List
                } else {
                    FindingStyle::Other
                });
                self.start_finding(start, line.no, None);
                return true;
            }
        }
        // `**Title**` then `- **Severity**: High`: a finding without a severity section.
        if self.severity.is_none() && indent < 2 && text.starts_with("**") && at.labelled() {
            if let Some(start) = parse_item_start(text, false) {
                self.style.get_or_insert(if is_list {
                    FindingStyle::List
                } else {
                    FindingStyle::Other
                });
                self.start_finding(start, line.no, None);
                return true;
            }
        }
        // `- **Title** (high) — a.go:1`: a bold title whose trailing tag
        // gives the severity, in a findings section without severity sections.
        if self.major == Major::Findings
            && self.severity.is_none()
            && is_list
            && indent < 2
            && text.starts_with("**")
            && self.style != Some(FindingStyle::Other)
            // A tagged bullet in a heading finding's body is part of it.
            && (self.finding.is_none() || self.style == Some(FindingStyle::List))
        {
            if let Some(start) = parse_item_start(text, false).filter(|s| s.tag_severity.is_some())
            {
                self.style = Some(FindingStyle::List);
                self.start_finding(start, line.no, None);
                return true;
            }
        }
        if self.severity.is_some() && is_list && indent < 2 && text.starts_with("**") {
            let list_ok = match self.style {
                None => self.finding.is_none(),
                Some(FindingStyle::List) => true,
                Some(FindingStyle::Other) => false,
            };
            if list_ok {
                if let Some(start) = parse_item_start(text, false) {
                    self.style = Some(FindingStyle::List);
                    self.start_finding(start, line.no, None);
                    return true;
                }
            }
        }
        if self.severity.is_some()
            && self.finding.is_none()
            && !is_list
            && text.starts_with("**")
            && self.style.is_none()
        {
            if let Some(start) = parse_item_start(text, false) {
                if start.after_title_has_location {
                    self.style = Some(FindingStyle::Other);
                    self.start_finding(start, line.no, None);
                    return true;
                }
            }
        }
        false
    }

    /// Reads a line of a table in a findings section; returns whether it was part
    /// of a findings table (its header, rule or a row).
    fn findings_table_line(&mut self, line: &Line<'_>) -> bool {
        if matches!(line.kind, LineKind::TableRule) {
            return self.table.is_some();
        }
        let cells = table_cells(line.text);
        let Some(cols) = self.table.clone() else {
            self.table = table_columns(&cells, self.severity.is_some());
            return self.table.is_some();
        };
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        let title = clean_title(&cell(Some(cols.title)));
        if title.is_empty() {
            self.diag(
                line.no,
                DiagnosticLevel::Warning,
                format!(
                    "findings table row without a title, skipped: {}",
                    clip(line.text.trim())
                ),
            );
            return true;
        }
        let tag_severity = cols
            .severity
            .and_then(|_| first_severity_word(&strip_emphasis(&cell(cols.severity))));
        let id_cell = format!("{}.", strip_emphasis(&cell(cols.id)));
        let id = split_id(&id_cell)
            .filter(|(_, _, rest)| rest.is_empty())
            .map(|(id, sev, _)| (id, sev));
        if tag_severity.is_none() && id.is_none() && self.severity.is_none() {
            self.diag(
                line.no,
                DiagnosticLevel::Warning,
                format!(
                    "findings table row without a readable severity, skipped: {}",
                    clip(line.text.trim())
                ),
            );
            return true;
        }
        let body = cell(cols.body);
        let fix = cell(cols.fix);
        let (raised_id, id_severity) = match id {
            Some((id, sev)) => (Some(id), Some(sev)),
            None => (None, None),
        };
        self.finding = Some(FindingBuilder {
            line: line.no,
            raised_id,
            tag_severity,
            id_severity,
            section_severity: self.severity,
            title,
            title_locations: extract_locations(&cell(cols.location)),
            body: Paragraphs::of(&body),
            fix: Paragraphs::of(&fix),
            ..FindingBuilder::default()
        });
        self.flush_finding();
        true
    }

    fn start_finding(&mut self, start: ItemStart, no: u32, heading_level: Option<u8>) {
        self.flush_finding();
        self.flush_item();
        if self.major == Major::Start {
            self.major = Major::Findings;
        }
        self.finding = Some(FindingBuilder {
            line: no,
            raised_id: start.id,
            tag_severity: start.tag_severity,
            id_severity: start.id_severity,
            section_severity: self.severity,
            classification: start.classification,
            tags: start.tags,
            title: start.title,
            title_locations: start.locations,
            heading_level,
            ..FindingBuilder::default()
        });
    }

    fn finding_line(&mut self, line: &Line<'_>, trimmed: &str) {
        match &line.kind {
            LineKind::Blank => {
                if let Some(f) = self.finding.as_mut() {
                    let target = if f.in_fix { &mut f.fix } else { &mut f.body };
                    target.blank();
                }
            }
            LineKind::Rule => {}
            _ => {
                self.finding_text(line.no, trimmed);
            }
        }
    }

    fn finding_text(&mut self, _no: u32, text: &str) {
        let Some(f) = self.finding.as_mut() else {
            return;
        };
        let item = text
            .strip_prefix("- ")
            .or_else(|| text.strip_prefix("* "))
            .unwrap_or(text);
        // A line of only locations and tags right under the title belongs to the title.
        // A line that opens with an ASCII letter or digit (the first line of
        // most bodies) holds bare prose at its first character, so it is no
        // such line: told without the call, which would read that far.
        if f.body.is_empty() && f.fix.is_empty() && !opens_with_prose(item) && is_meta_line(item) {
            apply_tag_groups(
                item,
                &mut f.tag_severity,
                &mut f.classification,
                &mut f.tags,
            );
            append_new(&mut f.title_locations, extract_locations(item));
            return;
        }
        // A label ends at a colon, and a location needs a backtick, a `[` or
        // a colon: a line holding none of them (most of a finding's body)
        // is no label, and the body it joins cites nothing more. One search
        // tells both, instead of a search for the label's colon here and one
        // for the three bytes over the joined body when the finding is done.
        // A bold line (`**Fix:** ...`, most labels) is asked for its label
        // first: a label holds its colon, so the line is marked without the
        // search.
        let bold = item.starts_with("**");
        let mut marked = !bold && holds_location_mark(text);
        let label = if bold || marked { label_of(item) } else { None };
        if bold {
            marked = label.is_some() || holds_location_mark(text);
        }
        if let Some((label, rest)) = label {
            match label {
                Label::Fix => {
                    f.in_fix = true;
                    if !rest.is_empty() {
                        f.fix.push(rest);
                    }
                    return;
                }
                Label::Classification => {
                    f.in_fix = false;
                    apply_tags(f, rest);
                    return;
                }
                Label::Severity => {
                    f.in_fix = false;
                    if let Some(s) = first_severity_word(rest) {
                        f.tag_severity.get_or_insert(s);
                    }
                    return;
                }
                Label::Location => {
                    f.in_fix = false;
                    f.body.push_marked(text, marked);
                    return;
                }
                Label::Problem => {
                    f.in_fix = false;
                    if !rest.is_empty() {
                        f.body.push_marked(rest, marked);
                    }
                    return;
                }
                Label::Other => {
                    f.in_fix = false;
                }
            }
        }
        if f.in_fix {
            f.fix.push(text);
        } else {
            f.body.push_marked(text, marked);
        }
    }

    fn section_line(&mut self, line: &Line<'_>, trimmed: &str) {
        match self.major {
            Major::Start => {
                if !trimmed.is_empty() {
                    self.preamble.push(trimmed.to_string());
                    if says_no_findings(trimmed) {
                        self.says_no_findings = true;
                    }
                }
            }
            Major::Summary => {
                if matches!(line.kind, LineKind::Blank) {
                    if self.summary.last().is_some_and(|l| !l.is_empty()) {
                        self.summary.push(String::new());
                    }
                } else if !matches!(line.kind, LineKind::Rule) {
                    if says_no_findings(trimmed) {
                        self.says_no_findings = true;
                    }
                    self.summary.push(trimmed.to_string());
                }
            }
            Major::Findings => {
                if trimmed.is_empty() || matches!(line.kind, LineKind::Rule) {
                    return;
                }
                if is_none_marker(trimmed) {
                    self.none_markers += 1;
                    return;
                }
                if says_no_findings(trimmed) {
                    self.says_no_findings = true;
                    return;
                }
                if self.severity.is_some() && looks_like_finding(trimmed) {
                    self.diag(
                        line.no,
                        DiagnosticLevel::Warning,
                        format!(
                            "text in a findings section looks like a finding but was not understood: {}",
                            clip(trimmed)
                        ),
                    );
                }
            }
            Major::Design | Major::Testing | Major::Documentation | Major::Limitations => {
                self.item_line(line);
            }
            Major::Coverage => self.coverage_line(line),
            Major::Verdict => {
                if !trimmed.is_empty() && self.review.verdict.is_none() {
                    self.review.verdict = Some(strip_emphasis(trimmed));
                }
            }
            Major::Other => {}
        }
    }

    fn item_line(&mut self, line: &Line<'_>) {
        let after_blank = self
            .item
            .as_ref()
            .is_some_and(|i| i.text.last().is_some_and(String::is_empty));
        let in_bold_para = self.item.as_ref().is_some_and(|i| i.bold_para);
        match &line.kind {
            LineKind::Blank => {
                if self
                    .item
                    .as_ref()
                    .is_some_and(|i| !i.is_list && !i.bold_para)
                {
                    self.flush_item();
                }
                if let Some(item) = self.item.as_mut() {
                    if item.text.last().is_some_and(|l| !l.is_empty()) {
                        item.text.push(String::new());
                    }
                }
            }
            LineKind::Rule | LineKind::TableRule => self.flush_item(),
            // Bullets under a bold-titled paragraph (`**O1. Title**` then text and
            // a list) belong to it.
            LineKind::ListItem { .. } if in_bold_para => {
                if let Some(item) = self.item.as_mut() {
                    item.text.push(line.text.trim().to_string());
                }
            }
            LineKind::ListItem { indent, text, .. } if *indent < 2 => {
                self.flush_item();
                self.item = Some(ItemBuilder {
                    line: line.no,
                    text: vec![(*text).to_string()],
                    is_list: true,
                    bold_para: false,
                });
            }
            _ => {
                let t = line.text.trim();
                let indented = line.text.starts_with("  ") || line.text.starts_with('\t');
                let starts_bold = !indented && t.starts_with("**");
                let continues = match self.item.as_ref() {
                    None => false,
                    Some(_) if starts_bold && after_blank => false,
                    // A non-indented paragraph after a list item, separated by a
                    // blank line, starts a new item, unless the item is only a
                    // bold title (`1. **Title** (in-scope)`) waiting for its text.
                    Some(item) => {
                        !(item.is_list && !indented && after_blank)
                            || item.text.iter().filter(|l| !l.is_empty()).count() == 1
                                && item.text.first().is_some_and(|l| is_title_only(l))
                    }
                };
                if continues {
                    if let Some(item) = self.item.as_mut() {
                        item.text.push(t.to_string());
                    }
                } else {
                    self.flush_item();
                    self.item = Some(ItemBuilder {
                        line: line.no,
                        text: vec![t.to_string()],
                        is_list: false,
                        bold_para: starts_bold,
                    });
                }
            }
        }
    }

    /// Ends the item being built, if any. Asked at every finding's start and
    /// every section heading, where there is mostly none: told inline,
    /// without the call (and its saved registers) that building one takes.
    #[inline(always)]
    fn flush_item(&mut self) {
        if let Some(item) = self.item.take() {
            self.flush_taken_item(item);
        }
    }

    fn flush_taken_item(&mut self, item: ItemBuilder) {
        let text = join_paragraphs_owned(item.text);
        if text.is_empty() || is_none_marker(&text) {
            return;
        }
        // An intro line ("The following gaps exist:") is not an item.
        if !item.is_list && text.ends_with(':') && !text.contains('\n') {
            return;
        }
        match self.major {
            Major::Design => {
                let obs = design_observation(&text, self.design_kind, item.line);
                self.review.design_observations.push(obs);
            }
            Major::Testing => self.review.testing.push(trimmed_owned(text)),
            Major::Documentation => self.review.documentation.push(trimmed_owned(text)),
            Major::Limitations => self.review.limitations.push(trimmed_owned(text)),
            _ => {}
        }
    }

    fn coverage_line(&mut self, line: &Line<'_>) {
        match &line.kind {
            LineKind::TableRule => {}
            LineKind::TableRow => {
                // The cells, the first one's emphasis and the status are
                // borrowed from the row: a coverage row is read without a
                // copy of its own.
                // Cut one by one, without a vector: the first cell is read
                // before the others are cut.
                let mut cells = table_cell_iter(line.text);
                // The row's cells are one at least.
                let first_cell = cells.next().unwrap_or_default();
                let first = strip_emphasis_cow(&first_cell);
                // The header row is looked for only until it is seen.
                if !self.coverage_header_seen && is_coverage_header(&first) {
                    self.coverage_header_seen = true;
                    return;
                }
                if let Some(path) = coverage_path(&first) {
                    // The status cells joined as they are read: a copy only
                    // when there are several.
                    let mut status = Cow::Borrowed("");
                    // Each cell is trimmed already.
                    for c in cells {
                        if c.is_empty() {
                            continue;
                        }
                        if status.is_empty() {
                            status = c;
                        } else {
                            let joined = status.to_mut();
                            joined.push_str(", ");
                            joined.push_str(&c);
                        }
                    }
                    self.review.coverage.push(CoverageEntry {
                        path,
                        status: coverage_status(&status),
                    });
                }
            }
            LineKind::ListItem { text, .. } => {
                if let Some((path, status)) = split_coverage_bullet(text) {
                    self.review.coverage.push(CoverageEntry {
                        path,
                        status: coverage_status(&status),
                    });
                }
            }
            _ => {}
        }
    }

    fn flush_finding(&mut self) {
        let Some(mut f) = self.finding.take() else {
            return;
        };
        if let Some(code) = f.code.take() {
            f.code_blocks.push(code);
        }
        let severity = f.tag_severity.or(f.id_severity).or(f.section_severity);
        let Some(severity) = severity else {
            self.diag(
                f.line,
                DiagnosticLevel::Warning,
                format!(
                    "finding without a severity (no tag, id or severity section), skipped: {}",
                    clip(&f.title)
                ),
            );
            return;
        };
        if let Some(sec) = f.section_severity {
            let own = f.tag_severity.or(f.id_severity);
            if let Some(own) = own.filter(|&o| o != sec) {
                let what = if f.tag_severity.is_some() {
                    "tag"
                } else {
                    "id"
                };
                self.diag(
                    f.line,
                    DiagnosticLevel::Note,
                    format!(
                        "finding's {what} says {own} but it is in the {sec} section; using {own}"
                    ),
                );
            }
        }
        if f.title.is_empty() {
            self.diag(
                f.line,
                DiagnosticLevel::Warning,
                "finding without a title".to_string(),
            );
        }
        let body = f.body.text;
        let fix = f.fix.text;
        let mut locations = std::mem::take(&mut f.title_locations);
        // A body none of whose lines holds a location mark cites nothing:
        // it is not searched again.
        if f.body.may_cite {
            append_new(&mut locations, extract_locations(&body));
        }
        drop_bare_cited_with_lines(&mut locations);
        let ordinal = u32::try_from(self.review.findings.len() + 1).unwrap_or(u32::MAX);
        self.review.findings.push(RawFinding {
            ordinal,
            raised_id: f.raised_id,
            severity,
            classification: f.classification,
            tags: f.tags,
            title: f.title,
            locations,
            body,
            fix: if fix.is_empty() { None } else { Some(fix) },
            code_blocks: f.code_blocks,
            line: f.line,
        });
    }

    fn finish(mut self) -> ParseOutput {
        self.flush_finding();
        self.flush_item();
        let summary = join_paragraphs_owned(std::mem::take(&mut self.summary));
        self.review.summary = if !summary.is_empty() {
            Some(summary)
        } else if self.review.findings.is_empty() && !self.preamble.is_empty() {
            Some(self.preamble.join("\n"))
        } else {
            None
        };
        if self.review.findings.is_empty() {
            if self.none_markers > 0 || self.says_no_findings {
                self.review.explicit_no_findings = true;
            } else {
                self.diag(
                    self.first_line,
                    DiagnosticLevel::Warning,
                    "no findings found, and the review does not say it has none (summary only?)"
                        .into(),
                );
            }
        }
        self.diagnostics.sort();
        ParseOutput {
            review: self.review,
            diagnostics: self.diagnostics,
            incomplete: None,
        }
    }
}

/// Up to this many locations, the helpers below compare pairs instead of
/// building sets (a finding cites a few).
const FEW_LOCATIONS: usize = 16;

/// Appends the locations of `new` that `locations` does not hold yet, in order.
fn append_new(locations: &mut Vec<Location>, new: Vec<Location>) {
    if locations.len() + new.len() <= FEW_LOCATIONS {
        for l in new {
            if !locations.contains(&l) {
                locations.push(l);
            }
        }
        return;
    }
    let mut seen: BTreeSet<Location> = locations.iter().cloned().collect();
    for l in new {
        if seen.insert(l.clone()) {
            locations.push(l);
        }
    }
}

/// Drops a bare path once the same path is cited with lines: it is redundant.
fn drop_bare_cited_with_lines(locations: &mut Vec<Location>) {
    // Most findings cite no bare path at all.
    if locations.iter().all(|l| l.start.is_some()) {
        return;
    }
    let with_lines: BTreeSet<String> = locations
        .iter()
        .filter(|l| l.start.is_some())
        .map(|l| l.path.clone())
        .collect();
    locations.retain(|l| l.start.is_some() || !with_lines.contains(&l.path));
}

/// Lines joined as [`join_paragraphs`] joins them, as they come: one buffer
/// instead of a `String` per line.
#[derive(Debug, Default)]
struct Paragraphs {
    /// The joined text so far.
    text: String,
    /// Lines pushed, blank ones included.
    lines: usize,
    /// The last line pushed was blank.
    last_blank: bool,
    /// A blank line came since the last text line, after some text.
    pending_blank: bool,
    /// A line pushed may hold a location mark ([`holds_location_mark`]):
    /// false only when no line pushed holds one, so the text cites nothing.
    may_cite: bool,
}

impl Paragraphs {
    /// One line, or nothing when it is empty.
    fn of(line: &str) -> Paragraphs {
        let mut p = Paragraphs::default();
        if !line.is_empty() {
            p.push(line);
        }
        p
    }

    /// [`Paragraphs::push`] of a line whose [`holds_location_mark`] is
    /// `marked`, told by the caller.
    fn push_marked(&mut self, line: &str, marked: bool) {
        self.may_cite |= marked;
        self.push_line(line);
    }

    fn push(&mut self, line: &str) {
        self.may_cite = true;
        self.push_line(line);
    }

    fn push_line(&mut self, line: &str) {
        self.lines += 1;
        self.last_blank = line.is_empty();
        if line.is_empty() {
            self.pending_blank = !self.text.is_empty();
            return;
        }
        if self.text.is_empty() {
            // The first line (most bodies and fixes are one): a string made
            // at its size, without the growth path that pushing onto the
            // empty one takes.
            self.text = String::from(line);
        } else {
            self.text
                .push_str(if self.pending_blank { "\n\n" } else { "\n" });
            self.text.push_str(line);
        }
        self.pending_blank = false;
    }

    /// A blank line, kept only after a line that is not blank.
    fn blank(&mut self) {
        if self.lines > 0 && !self.last_blank {
            self.push_line("");
        }
    }

    fn is_empty(&self) -> bool {
        self.lines == 0
    }
}

/// Whether `s` opens with an ASCII letter or digit: bare prose, outside any
/// code span or bracket, which `is_meta_line` refuses at once.
fn opens_with_prose(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric)
}

/// Whether `s` holds a backtick, a `[` or a colon ([`location::holds_location_mark`]):
/// every location [`extract_locations`] finds needs one, and so does every
/// label [`label_of`] reads (its colon).
fn holds_location_mark(s: &str) -> bool {
    location::holds_location_mark(s.as_bytes())
}

/// [`join_paragraphs`] of lines it may take: a text of one line that is not
/// empty (most items and summaries) is that line, moved rather than copied
/// into a new string.
fn join_paragraphs_owned(mut lines: Vec<String>) -> String {
    let mut texts = lines.iter_mut().filter(|l| !l.is_empty());
    match (texts.next(), texts.next()) {
        (Some(only), None) => std::mem::take(only),
        _ => join_paragraphs(&lines),
    }
}

/// `text.trim().to_string()`, moving `text` when it is trimmed already (the
/// joined lines of an item were each trimmed).
fn trimmed_owned(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_string()
    }
}

fn join_paragraphs(lines: &[String]) -> String {
    let mut out = String::new();
    let mut pending_blank = false;
    for l in lines {
        if l.is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if pending_blank { "\n\n" } else { "\n" });
        }
        pending_blank = false;
        out.push_str(l);
    }
    out
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
