//! The agent review parser: one agent's markdown review into a
//! [`ParsedReview`](crate::model::ParsedReview) plus diagnostics.
//!
//! Reviews are written by models in several loose dialects (see the unit tests for
//! each form), so the parser is a single pass over classified lines with a small
//! amount of state: the section it is in (summary, findings of one severity,
//! design, testing, ...), the finding or item being built, and what was seen so
//! far. Headings may be ATX headings of any level or bold-only lines; findings may
//! be headings, numbered items, bold lines or `C1.`-style lines.
//!
//! Invariants: it never panics and never gives up (an odd section is skipped, with
//! a diagnostic when something finding-like was lost); it is linear in the input;
//! line numbers are absolute (`first_line`-based); all text handling is by `char`
//! or on ASCII boundaries, so no UTF-8 sequence is ever split.

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::model::{
    CoverageEntry, CoverageStatus, DesignObservation, Diagnostic, DiagnosticLevel, Location,
    ObservationKind, ParseOutput, ParsedReview, RawFinding, Scope, Severity,
};
use crate::parse::location::extract_locations;
use crate::parse::markdown::{self, Line, LineKind, strip_emphasis, table_cells};

/// Parses one agent review. `first_line` is the line number of the text's first
/// line in the file it came from (1 for a whole file), so diagnostics point into
/// that file. Never fails and never panics.
pub fn parse_review(text: &str, first_line: u32) -> ParseOutput {
    let text = &*crate::parse::normalize::normalize(text);
    let first_line = first_line.max(1);
    if text.trim().is_empty() {
        return ParseOutput {
            review: ParsedReview::default(),
            diagnostics: vec![Diagnostic {
                line: first_line,
                level: DiagnosticLevel::Warning,
                message: "empty review".into(),
            }],
        };
    }
    let text = unwrap_fenced_review(text);
    let lines = markdown::scan(&text, first_line);
    let mut p = Parser::new(first_line);
    for line in &lines {
        p.line(line);
    }
    p.finish()
}

/// Some agents' output is recorded inside one bare code fence (the whole review is
/// a ```` ``` ```` block, sometimes closed at the end of the last text line). The
/// fence lines are blanked so that the markdown inside is read and line numbers
/// stay the same.
fn unwrap_fenced_review(text: &str) -> Cow<'_, str> {
    let mut lines: Vec<&str> = text.lines().collect();
    let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) else {
        return Cow::Borrowed(text);
    };
    let open = lines[first].trim();
    if !(open.len() >= 3 && open.chars().all(|c| c == '`')) {
        return Cow::Borrowed(text);
    }
    let fence = open.to_string();
    // Only a wrapped review holds markdown structure; a review that merely starts
    // with a code block does not close it at its very end.
    let Some(last) = lines.iter().rposition(|l| !l.trim().is_empty()) else {
        return Cow::Borrowed(text);
    };
    if last == first {
        return Cow::Borrowed(text);
    }
    let has_structure = lines[first + 1..last]
        .iter()
        .any(|l| l.starts_with('#') || l.starts_with("**"));
    let last_line = lines[last].trim_end();
    if !has_structure || !last_line.ends_with(&fence) {
        return Cow::Borrowed(text);
    }
    let closing_kept = last_line.trim_end_matches('`');
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    lines[first] = "";
    for (i, l) in lines.iter().enumerate() {
        if i == last {
            out.push(closing_kept.to_string());
        } else {
            out.push((*l).to_string());
        }
    }
    Cow::Owned(out.join("\n"))
}

/// The kind of section a line is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Major {
    /// Before any heading.
    Start,
    Summary,
    Findings,
    Design,
    Testing,
    Documentation,
    Limitations,
    Coverage,
    Verdict,
    /// A section this parser does not read (title, commit structure, ...).
    Other,
}

/// What a heading (or bold-only line) announces.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HeadingClass {
    Section(Major),
    /// `Findings: none`: a findings wrapper that says it is empty.
    FindingsNone,
    /// A severity section; `true` when its heading says it is empty.
    Severity(Severity, bool),
    Design(ObservationKind),
    Unknown,
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
    body: Vec<String>,
    fix: Vec<String>,
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
        }
    }

    fn diag(&mut self, line: u32, level: DiagnosticLevel, message: String) {
        self.diagnostics.push(Diagnostic {
            line,
            level,
            message,
        });
    }

    fn line(&mut self, line: &Line<'_>) {
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
                self.heading(*level, text, line.no);
                return;
            }
            _ => {}
        }
        self.in_code = false;
        let trimmed = line.text.trim();
        if let Some(class) = bold_header(trimmed) {
            self.section_heading(7, class, trimmed);
            return;
        }
        if self.expect_verdict && !trimmed.is_empty() && self.review.verdict.is_none() {
            self.review.verdict = Some(strip_emphasis(trimmed));
            self.expect_verdict = false;
        }
        // Inside a finding, `Recommendation:` is the fix, not the review's verdict.
        if self.finding.is_none() {
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
        if self.try_start_finding(line) {
            return;
        }
        if self.finding.is_some() {
            self.finding_line(line);
            return;
        }
        self.section_line(line);
    }

    fn heading(&mut self, level: u8, text: &str, no: u32) {
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

    /// Starts a finding when `line` opens one; returns whether it did.
    fn try_start_finding(&mut self, line: &Line<'_>) -> bool {
        let (text, is_list, indent) = match &line.kind {
            LineKind::ListItem { text, indent, .. } => (*text, true, *indent),
            LineKind::Text => (line.text.trim(), false, 0),
            _ => return false,
        };
        let allowed_here = matches!(self.major, Major::Start | Major::Findings);
        if !allowed_here {
            return false;
        }
        if let Some(start) = parse_item_start(text, true) {
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

    fn finding_line(&mut self, line: &Line<'_>) {
        match &line.kind {
            LineKind::Blank => {
                if let Some(f) = self.finding.as_mut() {
                    let target = if f.in_fix { &mut f.fix } else { &mut f.body };
                    if target.last().is_some_and(|l| !l.is_empty()) {
                        target.push(String::new());
                    }
                }
            }
            LineKind::Rule => {}
            _ => {
                let trimmed = line.text.trim();
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
        if f.body.is_empty() && f.fix.is_empty() && is_meta_line(item) {
            for tag in parse_tag_groups(item) {
                apply_tag(
                    &mut f.tag_severity,
                    &mut f.classification,
                    &mut f.tags,
                    &tag,
                );
            }
            let mut seen: BTreeSet<Location> = f.title_locations.iter().cloned().collect();
            for l in extract_locations(item) {
                if seen.insert(l.clone()) {
                    f.title_locations.push(l);
                }
            }
            return;
        }
        if let Some((label, rest)) = label_of(item) {
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
                    apply_tags(f, &rest);
                    return;
                }
                Label::Severity => {
                    f.in_fix = false;
                    if let Some(s) = first_severity_word(&rest) {
                        f.tag_severity.get_or_insert(s);
                    }
                    return;
                }
                Label::Location => {
                    f.in_fix = false;
                    f.body.push(text.to_string());
                    return;
                }
                Label::Problem => {
                    f.in_fix = false;
                    if !rest.is_empty() {
                        f.body.push(rest);
                    }
                    return;
                }
                Label::Other => {
                    f.in_fix = false;
                }
            }
        }
        if f.in_fix {
            f.fix.push(text.to_string());
        } else {
            f.body.push(text.to_string());
        }
    }

    fn section_line(&mut self, line: &Line<'_>) {
        let trimmed = line.text.trim();
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

    fn flush_item(&mut self) {
        let Some(item) = self.item.take() else {
            return;
        };
        let text = join_paragraphs(&item.text);
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
            Major::Testing => self.review.testing.push(text.trim().to_string()),
            Major::Documentation => self.review.documentation.push(text.trim().to_string()),
            Major::Limitations => self.review.limitations.push(text.trim().to_string()),
            _ => {}
        }
    }

    fn coverage_line(&mut self, line: &Line<'_>) {
        match &line.kind {
            LineKind::TableRule => {}
            LineKind::TableRow => {
                let cells = table_cells(line.text);
                let first = cells.first().map(|c| strip_emphasis(c)).unwrap_or_default();
                let lower = first.to_ascii_lowercase();
                if !self.coverage_header_seen
                    && (lower == "file"
                        || lower == "path"
                        || lower == "files"
                        || lower.starts_with("file "))
                {
                    self.coverage_header_seen = true;
                    return;
                }
                let status: Vec<String> = cells
                    .iter()
                    .skip(1)
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect();
                if let Some(path) = coverage_path(&first) {
                    self.review.coverage.push(CoverageEntry {
                        path,
                        status: coverage_status(&status.join(", ")),
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
        let body = join_paragraphs(&f.body);
        let fix = join_paragraphs(&f.fix);
        let mut locations = f.title_locations.clone();
        let mut seen: BTreeSet<Location> = locations.iter().cloned().collect();
        for l in extract_locations(&body) {
            if seen.insert(l.clone()) {
                locations.push(l);
            }
        }
        // A bare path is redundant once the same path is cited with lines.
        let with_lines: BTreeSet<String> = locations
            .iter()
            .filter(|l| l.start.is_some())
            .map(|l| l.path.clone())
            .collect();
        locations.retain(|l| l.start.is_some() || !with_lines.contains(&l.path));
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
        let summary = join_paragraphs(&self.summary);
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
        }
    }
}

/// The start of a finding, parsed from its first line.
#[derive(Debug, Default, PartialEq, Eq)]
struct ItemStart {
    id: Option<String>,
    id_severity: Option<Severity>,
    tag_severity: Option<Severity>,
    classification: Option<String>,
    tags: Vec<String>,
    title: String,
    locations: Vec<Location>,
    /// True when the line says by itself that it is a finding (an id or a
    /// severity tag), so it counts outside severity sections too.
    explicit: bool,
    after_title_has_location: bool,
}

impl ItemStart {
    fn has_id(&self) -> bool {
        self.id.is_some() || self.tag_severity.is_some()
    }
}

/// Parses a finding's first line. With `need_explicit`, only lines that carry an
/// id (`C1.`, `**S1.`, `I1 —`) or a severity tag (`[CRITICAL]`, `**CRITICAL**`)
/// qualify; otherwise a bold title (`**Title** — ...`) or a plain heading text does.
fn parse_item_start(text: &str, need_explicit: bool) -> Option<ItemStart> {
    let t = text.trim();
    let mut start = ItemStart::default();
    let (bold_open, after_open) = match t.strip_prefix("**") {
        Some(r) => (true, r),
        None => (false, t),
    };
    let mut rest: Option<(bool, &str)> = None;
    if let Some((id, sev, r)) = split_id(after_open) {
        start.id = Some(id);
        start.id_severity = Some(sev);
        start.explicit = true;
        rest = Some((bold_open, r));
    } else if let Some((sev, r, still_bold)) = split_severity_tag(after_open, bold_open) {
        start.tag_severity = Some(sev);
        start.explicit = true;
        rest = Some((still_bold, r));
    }
    let (bold, rest) = match rest {
        Some(r) => r,
        None if need_explicit => return None,
        None => (bold_open, after_open),
    };
    // `**C1.** Title` — the bold closed right after the id.
    let (bold, rest) = match rest.trim_start().strip_prefix("**") {
        Some(r) if bold => (false, r),
        Some(r) => (true, r),
        None => (bold, rest),
    };
    // Some forms put the id inside the bold and the title after it: `**C1** Title`.
    let rest = rest.trim_start();
    let (title_raw, after) = if bold {
        match rest.find("**") {
            Some(i) => (&rest[..i], &rest[i + 2..]),
            None => (rest, ""),
        }
    } else {
        (rest, "")
    };
    let (title, mut tail) = split_title(title_raw);
    tail.push(' ');
    tail.push_str(after);
    let title_tags = parse_tag_groups(&tail);
    // Code spans inside the title proper are names, not cited locations; the
    // `path:line — Title` form moved its location into the tail (split_title).
    let locations = extract_locations(&tail);
    start.after_title_has_location = !locations.is_empty() || !title_tags.is_empty();
    start.locations = locations;
    for tag in title_tags {
        apply_tag(
            &mut start.tag_severity,
            &mut start.classification,
            &mut start.tags,
            &tag,
        );
    }
    let title = clean_title(&title);
    // `[IMPORTANT]` alone is a stray tag, not a finding.
    if title.is_empty() && (!start.explicit || start.locations.is_empty()) {
        return None;
    }
    if !start.explicit && need_explicit {
        return None;
    }
    start.title = title;
    Some(start)
}

/// Splits `C1.`, `S2:`, `I3 —`, `C1)` (with an optional `[...]` around the id) off
/// the start; returns the id, its severity and the rest.
fn split_id(t: &str) -> Option<(String, Severity, &str)> {
    let t2 = t.strip_prefix('[').unwrap_or(t);
    let mut chars = t2.char_indices();
    let (_, letter) = chars.next()?;
    let sev = Severity::from_letter(letter).filter(|_| letter.is_ascii_uppercase())?;
    let digits: String = t2[1..].chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let mut rest = &t2[1 + digits.len()..];
    if t2.len() != t.len() {
        rest = rest.strip_prefix(']')?;
    }
    // The id may be closed by bold before its separator: `**C1**. Title`, `**C1.**`.
    let rest_nb = rest.strip_prefix("**").unwrap_or(rest);
    let seps = [".", ":", ")", " —", " –", " --", " -", "—", "–"];
    let mut matched = None;
    for sep in seps {
        if let Some(r) = rest_nb.strip_prefix(sep) {
            matched = Some(r);
            break;
        }
    }
    let bracketed = t2.len() != t.len();
    let r = match matched {
        Some(r) => r,
        // `**C1** Title` / `C1 **Title**` / `[C1] Title`.
        None if rest.starts_with("**") || rest.starts_with(" **") => rest,
        None if bracketed && rest.starts_with(' ') => rest,
        None => return None,
    };
    Some((format!("{letter}{digits}"), sev, r))
}

/// Splits a severity tag off the start: `[CRITICAL] ...`, `CRITICAL** ...` (after an
/// opening `**`), `[Critical]** ...`. Returns the severity, the rest, and whether
/// the rest is still inside bold.
fn split_severity_tag(t: &str, bold_open: bool) -> Option<(Severity, &str, bool)> {
    if let Some(inner) = t.strip_prefix('[') {
        let close = inner.find(']')?;
        let word = &inner[..close];
        let sev = Severity::from_word(word).filter(|_| !word.contains(' '))?;
        let rest = &inner[close + 1..];
        if let Some(r) = rest.strip_prefix("**") {
            return Some((sev, r, false));
        }
        return Some((sev, rest, bold_open));
    }
    if bold_open {
        let close = t.find("**")?;
        let word = t[..close].trim().trim_end_matches(':');
        if word.is_empty() || word.contains(' ') || !word.chars().all(|c| c.is_ascii_uppercase()) {
            return None;
        }
        let sev = Severity::from_word(word)?;
        let rest = t[close + 2..].trim_start();
        let rest = rest
            .strip_prefix(':')
            .or_else(|| rest.strip_prefix('—'))
            .or_else(|| rest.strip_prefix('–'))
            .or_else(|| rest.strip_prefix("--"))
            .unwrap_or(rest);
        if rest.trim().is_empty() {
            return None;
        }
        return Some((sev, rest, false));
    }
    None
}

/// Splits a (non-bold) title line at its first dash separator: the title, and the
/// tail (locations and tags). Handles `path:line — Title` (location first).
fn split_title(raw: &str) -> (String, String) {
    let parts = split_dashes(raw);
    if parts.len() < 2 {
        // `Title (critical, gap)` / `Title \`path:1\``.
        let (title, tail) = split_trailing_meta(raw);
        return (title, tail);
    }
    let first = parts[0].trim();
    if is_location_only(first) {
        let title = parts[1..].join(" — ");
        let (title, tail) = split_trailing_meta(&title);
        return (title, format!("{first} {tail}"));
    }
    // Keep dashes that are part of the title: only a part that holds locations or
    // tags starts the tail.
    let mut title = first.to_string();
    let mut tail = String::new();
    let mut in_tail = false;
    for part in &parts[1..] {
        if in_tail {
            tail.push_str(" — ");
            tail.push_str(part);
            continue;
        }
        if !extract_locations(part).is_empty()
            || !parse_tag_groups(part).is_empty()
            || is_blank_markup(part)
        {
            in_tail = true;
            tail.push_str(part);
        } else {
            title.push_str(" — ");
            title.push_str(part.trim());
        }
    }
    let (title, extra) = split_trailing_meta(&title);
    (title, format!("{extra} {tail}"))
}

/// A line holding only locations and tag groups.
fn is_meta_line(s: &str) -> bool {
    if extract_locations(s).is_empty() && parse_tag_groups(s).is_empty() {
        return false;
    }
    let mut rest = String::new();
    let mut in_code = false;
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '`' => in_code = !in_code,
            '(' | '[' if !in_code => depth += 1,
            ')' | ']' if !in_code => depth = depth.saturating_sub(1),
            _ if in_code || depth > 0 => {}
            _ => rest.push(c),
        }
    }
    rest.chars().all(|c| !c.is_alphanumeric())
}

/// True when `s` holds nothing but emphasis markers and spaces.
fn is_blank_markup(s: &str) -> bool {
    strip_emphasis(s).trim().is_empty()
}

/// Splits dash separators (` — `, ` – `, ` -- `) that are outside code spans.
fn split_dashes(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut in_code = false;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
        }
        if !in_code && c == ' ' {
            let next = chars.get(i + 1).copied();
            let next2 = chars.get(i + 2).copied();
            let next3 = chars.get(i + 3).copied();
            if matches!(next, Some('—') | Some('–')) && matches!(next2, Some(' ') | None) {
                parts.push(std::mem::take(&mut cur));
                i += 2;
                continue;
            }
            if next == Some('-') && next2 == Some('-') && matches!(next3, Some(' ') | None) {
                parts.push(std::mem::take(&mut cur));
                i += 3;
                continue;
            }
        }
        cur.push(c);
        i += 1;
    }
    parts.push(cur);
    parts
}

/// Splits trailing `(critical, gap)` / `` `(x)` `` / `` `path:1` `` off a title.
fn split_trailing_meta(title: &str) -> (String, String) {
    let mut t = title.trim().to_string();
    let mut tail = String::new();
    // A title carries at most a few trailing groups; the bound keeps a
    // pathological line linear.
    for _ in 0..8 {
        let trimmed = t.trim_end().trim_end_matches('*').trim_end().to_string();
        let mut cut = None;
        if trimmed.ends_with(')') {
            if let Some(open) = trimmed.rfind('(') {
                let group = &trimmed[open..];
                if !parse_tag_groups(group).is_empty() {
                    let start = trimmed[..open].trim_end_matches(['*', '`']).len();
                    cut = Some(start);
                }
            }
        } else if trimmed.ends_with('`') {
            let body = &trimmed[..trimmed.len() - 1];
            if let Some(open) = body.rfind('`') {
                let span = &trimmed[open..];
                if !extract_locations(span).is_empty() && open > 0 {
                    cut = Some(open);
                }
            }
        }
        match cut {
            Some(c) if c > 0 => {
                tail = format!("{} {tail}", &trimmed[c..]);
                t = trimmed[..c]
                    .trim_end()
                    .trim_end_matches([',', ':', '—', '–'])
                    .trim_end()
                    .to_string();
            }
            _ => break,
        }
    }
    (t, tail)
}

/// True when `s` is only locations (`` `a.go:1` ``, `a.go:1, b.go:2`).
fn is_location_only(s: &str) -> bool {
    let locs = extract_locations(s);
    if locs.is_empty() {
        return false;
    }
    let rest: String = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| extract_locations(w).is_empty())
        .collect::<Vec<_>>()
        .join("");
    rest.trim_matches(|c: char| !c.is_alphanumeric()).is_empty()
}

fn clean_title(t: &str) -> String {
    let t = strip_emphasis(t);
    t.trim()
        .trim_end_matches([':', '—', '–', ',', '-'])
        .trim()
        .to_string()
}

/// Tag groups found in `s`: `(critical, regression)`, `` `(gap)` ``, `*(in-scope)*`.
/// A group counts only when at least one of its words is a known tag.
fn parse_tag_groups(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(')') else {
            break;
        };
        let inner = &after[..close];
        let items: Vec<String> = inner
            .split([',', ';', '/'])
            .map(|x| {
                strip_emphasis(x)
                    .trim()
                    .trim_matches('`')
                    .trim()
                    .to_string()
            })
            .filter(|x| !x.is_empty())
            .collect();
        if !items.is_empty()
            && items.iter().any(|x| is_known_tag(x))
            && items.iter().all(|x| x.chars().count() <= 40)
        {
            out.extend(items);
        }
        rest = &after[close + 1..];
    }
    out
}

fn is_known_tag(x: &str) -> bool {
    let l = x.to_ascii_lowercase();
    Severity::from_word(&l).is_some()
        || matches!(
            l.as_str(),
            "regression"
                | "gap"
                | "enhancement"
                | "pre-existing"
                | "preexisting"
                | "in-scope"
                | "future"
                | "out-of-scope"
        )
}

fn apply_tags(f: &mut FindingBuilder, text: &str) {
    // `regression (introduced by abc123)`: the parenthetical is explanation.
    let head = text.split('(').next().unwrap_or("");
    for item in head.split([',', ';', '/']) {
        let item = strip_emphasis(item)
            .trim()
            .trim_end_matches('.')
            .to_string();
        if item.is_empty() {
            continue;
        }
        apply_tag(
            &mut f.tag_severity,
            &mut f.classification,
            &mut f.tags,
            &item,
        );
    }
}

fn apply_tag(
    severity: &mut Option<Severity>,
    classification: &mut Option<String>,
    tags: &mut Vec<String>,
    tag: &str,
) {
    let l = tag.trim().to_ascii_lowercase();
    if let Some(s) = Severity::from_word(&l).filter(|_| !l.contains(' ')) {
        severity.get_or_insert(s);
        return;
    }
    match l.as_str() {
        "regression" | "gap" | "enhancement" if classification.is_none() => {
            *classification = Some(l);
        }
        _ => {
            let tag = tag.trim().to_string();
            if !tag.is_empty() && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
}

fn first_severity_word(s: &str) -> Option<Severity> {
    s.split(|c: char| !c.is_alphabetic())
        .find_map(Severity::from_word)
}

/// Labels that open a paragraph inside a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Fix,
    Classification,
    Severity,
    Location,
    Problem,
    Other,
}

/// Reads `**Fix:** text`, `Fix: text`, `**Suggested fix**: text`: the label and the
/// text after it.
fn label_of(line: &str) -> Option<(Label, String)> {
    let s = strip_emphasis(line);
    let (head, rest) = s.split_once(':')?;
    let head_l = head.trim().to_ascii_lowercase();
    if head_l.is_empty() || head_l.chars().count() > 30 || head_l.contains('`') {
        return None;
    }
    // `Fix (optional):`, `Suggested fix (if desired):`.
    let head_l = match head_l.split_once(" (") {
        Some((h, _)) if head_l.ends_with(')') => h.trim().to_string(),
        _ => head_l,
    };
    let label = match head_l.as_str() {
        "fix" | "suggested fix" | "recommended fix" | "proposed fix" | "fix suggestion"
        | "suggestion" | "remediation" | "recommendation" | "suggested change" => Label::Fix,
        "classification" | "type" | "category" | "tags" => Label::Classification,
        "severity" | "priority" => Label::Severity,
        "location" | "locations" | "file" | "files" | "where" => Label::Location,
        "problem" | "issue" | "description" | "details" => Label::Problem,
        "impact" | "why" | "evidence" | "consolidation note" | "note" | "context" | "risk"
        | "scenario" | "failure mode" | "reproduction" | "example" | "verification" => Label::Other,
        _ => return None,
    };
    // Keep the original markup of the text after the label.
    let after = match line.find(':') {
        Some(i) => line[i + 1..].trim_start_matches('*').trim().to_string(),
        None => rest.trim().to_string(),
    };
    Some((label, after))
}

/// A bold-only line that names a section (`**Critical Issues**`, `**CRITICAL**`,
/// `**Testing Assessment:**`).
fn bold_header(trimmed: &str) -> Option<HeadingClass> {
    let inner = trimmed.strip_prefix("**")?;
    let inner = inner.trim_end().trim_end_matches(':');
    let inner = inner.strip_suffix("**")?;
    let inner = inner.trim().trim_end_matches(':');
    if inner.contains("**") || inner.is_empty() {
        return None;
    }
    match classify_heading(inner) {
        HeadingClass::Unknown => None,
        c => Some(c),
    }
}

fn classify_heading(text: &str) -> HeadingClass {
    let s = strip_emphasis(text);
    let s = s
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')')
        .trim();
    let lower = s.to_ascii_lowercase();
    let lower = lower.trim_end_matches(':').trim();
    // `Critical Issues — None`, `Critical Issues (0)`, `Suggestions: none`.
    let (name, none) = match lower.find(['—', '–', '(', ':']) {
        Some(i) => {
            let rest = &lower[i..];
            (
                lower[..i].trim(),
                rest.contains("none") || rest.contains("(0)"),
            )
        }
        None => (lower, false),
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    if let Some(first) = words.first() {
        if let Some(sev) = Severity::from_word(first) {
            let rest_ok = words[1..].iter().all(|w| {
                matches!(
                    *w,
                    "issues" | "issue" | "findings" | "finding" | "severity" | "priority"
                )
            });
            if rest_ok && words.len() <= 3 {
                return HeadingClass::Severity(sev, none);
            }
        }
    }
    let major = match name {
        "executive summary" | "summary" | "overview" | "tl;dr" => Major::Summary,
        "findings" | "issues" | "review findings" | "detailed findings" | "issues found" => {
            Major::Findings
        }
        "design observations" | "design" | "design notes" | "architecture" | "design review" => {
            Major::Design
        }
        "testing assessment" | "testing" | "tests" | "test coverage" | "test assessment" => {
            Major::Testing
        }
        "documentation assessment" | "documentation" | "docs" => Major::Documentation,
        "acknowledged limitations" | "limitations" | "known limitations" => Major::Limitations,
        "coverage summary" | "coverage" | "files reviewed" | "file coverage" => Major::Coverage,
        "verdict" | "recommendation" | "overall verdict" | "final verdict"
        | "overall assessment" => Major::Verdict,
        "concerns" => return HeadingClass::Design(ObservationKind::Concern),
        "strengths" => return HeadingClass::Design(ObservationKind::Strength),
        _ => return HeadingClass::Unknown,
    };
    if major == Major::Findings && none {
        return HeadingClass::FindingsNone;
    }
    HeadingClass::Section(major)
}

/// `**Verdict:** text`, `Verdict: text`, `Recommendation: text`, `**Verdict: Approve** — why`.
fn verdict_of(line: &str) -> Option<String> {
    let trimmed = line.trim();
    // `| **Verdict** | Approve |` (a row of a summary table).
    if trimmed.starts_with('|') {
        let cells = table_cells(trimmed);
        let head = cells
            .first()
            .map(|c| strip_emphasis(c).to_ascii_lowercase());
        if head.as_deref().is_some_and(is_verdict_label) {
            let v = strip_emphasis(cells.get(1)?);
            return (!v.is_empty()).then_some(v);
        }
        return None;
    }
    // `**Verdict** Needs changes`: a bold label without a colon.
    if let Some(r) = trimmed.strip_prefix("**") {
        if let Some(end) = r.find("**") {
            let label = r[..end].trim().to_ascii_lowercase();
            let rest = r[end + 2..].trim();
            if is_verdict_label(&label) && !rest.is_empty() && !rest.starts_with(':') {
                return Some(strip_emphasis(rest));
            }
        }
    }
    let s = strip_emphasis(trimmed);
    let s = s.trim_start_matches(['-', '#', ' ']);
    // The label opens the line, a `|`-separated part of it (`**Author:** x |
    // **Verdict:** y`), or a sentence (`... pass. Verdict: Approve.`).
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    while let Some(rel) = lower[from..].find(':') {
        let colon = from + rel;
        let before = &lower[..colon];
        let label_start = before.rfind(['|', '.']).map_or(0, |i| i + 1);
        let label = before[label_start..].trim();
        if is_verdict_label(label) {
            let rest = s[colon + 1..].split(" | ").next().unwrap_or("").trim();
            // A verdict inside prose ends with its sentence.
            let rest = if label_start > 0 {
                rest.split(". ").next().unwrap_or(rest)
            } else {
                rest
            };
            let rest = rest.trim();
            return (!rest.is_empty()).then(|| rest.to_string());
        }
        from = colon + 1;
    }
    None
}

fn is_verdict_label(label: &str) -> bool {
    matches!(
        label.trim(),
        "verdict"
            | "recommendation"
            | "overall verdict"
            | "final verdict"
            | "overall recommendation"
    )
}

/// `None.`, `None found.`, `No issues.`, `_None._`, `- None identified`.
fn is_none_marker(text: &str) -> bool {
    let s = strip_emphasis(text);
    let s = s
        .trim()
        .trim_start_matches(['-', '*', ' '])
        .trim_matches(|c: char| c == '_' || c == '.' || c == ' ' || c == '*')
        .to_ascii_lowercase();
    if s.chars().count() > 80 {
        return false;
    }
    s == "none"
        || s == "n/a"
        || s.starts_with("none ")
        || s.starts_with("none.")
        || s.starts_with("none,")
        || s.starts_with("none—")
        || s.starts_with("none —")
        || s.starts_with("no issues")
        || s.starts_with("no findings")
        || s.starts_with("no critical")
        || s.starts_with("no important")
        || s.starts_with("no suggestions")
        || s.starts_with("nothing")
}

/// A sentence saying the review found nothing at all.
fn says_no_findings(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    [
        "no issues found",
        "found no issues",
        "no issues were found",
        "no findings",
        "did not find any issues",
        "no actionable findings",
        "no problems found",
        "nothing to report",
    ]
    .iter()
    .any(|p| l.contains(p))
        && !l.contains("critical")
}

/// Prose that looks like a finding line we could not read (an id or tag at the start).
fn looks_like_finding(text: &str) -> bool {
    let s = text.trim_start_matches(['*', '#', ' ', '-']);
    let mut chars = s.chars();
    let first = chars.next();
    let second = chars.next();
    matches!(first, Some('C' | 'I' | 'S')) && second.is_some_and(|c| c.is_ascii_digit())
        || s.starts_with('[')
            && s.find(']')
                .is_some_and(|i| Severity::from_word(&s[1..i]).is_some())
}

fn design_observation(text: &str, kind: Option<ObservationKind>, line: u32) -> DesignObservation {
    let text = text.trim().to_string();
    let scope = scope_of(&text);
    let mut title = None;
    let mut body = text.clone();
    // `**(in-scope) Title:** text` and `**Title** *(in-scope)*: text`.
    if let Some(r) = text.strip_prefix("**") {
        if let Some(end) = r.find("**") {
            let t = strip_scope(&strip_emphasis(&r[..end]));
            let t = t
                .trim()
                .trim_end_matches([':', '.', '—', '–', '-', ' '])
                .trim();
            // The agent's own numbering (`O1.`, `D2.`) is not part of the title.
            let t = strip_observation_id(t).to_string();
            if !t.is_empty() {
                title = Some(t);
            }
            body = r[end + 2..].to_string();
        }
    }
    let body = strip_scope(&body);
    let body = body
        .trim()
        .trim_start_matches([':', '—', '–', '-', '.', ' '])
        .trim()
        .to_string();
    DesignObservation {
        kind: kind.unwrap_or(ObservationKind::Concern),
        scope,
        title,
        text: if body.is_empty() {
            strip_emphasis(&text)
        } else {
            body
        },
        line,
    }
}

/// The first `(in-scope)` / `(future)` / `` `(future)` `` / `(in-scope, pre-existing)`
/// / `[future]` marker in `text`.
fn scope_of(text: &str) -> Option<Scope> {
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(open) = rest.find(['(', '[']) {
        let after = &rest[open + 1..];
        let Some(close) = after.find([')', ']']) else {
            break;
        };
        for item in after[..close].split([',', ';']) {
            match item.trim().trim_matches(['`', '*', '_']).trim() {
                "in-scope" | "in scope" => return Some(Scope::InScope),
                "future" | "out-of-scope" | "future work" => return Some(Scope::Future),
                _ => {}
            }
        }
        rest = &after[close + 1..];
    }
    None
}

fn strip_scope(s: &str) -> String {
    let mut out = s.to_string();
    // Each pass removes one scope group; a text has one or two.
    for _ in 0..4 {
        let lower = out.to_ascii_lowercase();
        let mut found = None;
        let mut from = 0;
        while let Some(rel) = lower[from..].find(['(', '[']) {
            let open = from + rel;
            let Some(close_rel) = lower[open + 1..].find([')', ']']) else {
                break;
            };
            let close = open + 1 + close_rel;
            let is_scope = lower[open + 1..close].split([',', ';']).any(|item| {
                matches!(
                    item.trim().trim_matches(['`', '*', '_']).trim(),
                    "in-scope" | "in scope" | "future" | "out-of-scope" | "future work"
                )
            });
            if is_scope {
                found = Some((open, close + 1));
                break;
            }
            from = close + 1;
        }
        let Some((mut a, mut b)) = found else {
            break;
        };
        // Take the emphasis or code markers around the group with it.
        let bytes = out.as_bytes();
        while a > 0 && matches!(bytes[a - 1], b'`' | b'*' | b'_') {
            a -= 1;
        }
        while b < bytes.len() && matches!(bytes[b], b'`' | b'*' | b'_') {
            b += 1;
        }
        out.replace_range(a..b, "");
    }
    out.trim().to_string()
}

/// True for `**Title**`, `**Title** (in-scope)`, `**Title** \`(future)\``: a bold
/// title with nothing but a scope after it.
fn is_title_only(line: &str) -> bool {
    let Some(r) = line.trim().strip_prefix("**") else {
        return false;
    };
    let Some(end) = r.find("**") else {
        return false;
    };
    strip_scope(&r[end + 2..])
        .trim()
        .trim_matches(['`', '*', '_', ':', '.'])
        .is_empty()
}

/// `O1. Title` → `Title` (an uppercase letter, digits, a dot).
fn strip_observation_id(t: &str) -> &str {
    let mut chars = t.chars();
    if chars.next().is_some_and(|c| c.is_ascii_uppercase()) {
        let rest = &t[1..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 {
            if let Some(r) = rest[digits..].strip_prefix(". ") {
                return r.trim_start();
            }
        }
    }
    t
}

fn coverage_path(cell: &str) -> Option<String> {
    let locs = extract_locations(cell);
    if let Some(l) = locs.first() {
        return Some(l.path.clone());
    }
    let c = cell.trim().trim_matches('`').trim();
    if c.is_empty() || c.contains(' ') && !c.contains('/') {
        return None;
    }
    Some(c.to_string())
}

/// `` `path`: status ``, `**path** — status`, `path - status`.
fn split_coverage_bullet(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let (path_part, status) = if let Some(r) = t.strip_prefix("**") {
        let end = r.find("**")?;
        (r[..end].to_string(), r[end + 2..].to_string())
    } else if let Some(r) = t.strip_prefix('`') {
        let end = r.find('`')?;
        (r[..end].to_string(), r[end + 1..].to_string())
    } else {
        let parts = split_dashes(t);
        if parts.len() >= 2 {
            (parts[0].clone(), parts[1..].join(" — "))
        } else {
            let (a, b) = t.split_once(": ")?;
            (a.to_string(), b.to_string())
        }
    };
    let status = status
        .trim()
        .trim_start_matches([':', '—', '–', '-', ' '])
        .trim()
        .to_string();
    let path = coverage_path(&format!("`{}`", path_part.trim().trim_matches('`')))?;
    Some((path, status))
}

/// Reads a coverage status: finding ids, "trivial", "reviewed, no issues".
fn coverage_status(status: &str) -> CoverageStatus {
    let ids = finding_ids(status);
    if !ids.is_empty() {
        return CoverageStatus::Findings(ids);
    }
    let l = strip_emphasis(status).to_ascii_lowercase();
    if l.contains("trivial") {
        return CoverageStatus::Trivial;
    }
    if l.contains("not reviewed") || l.contains("skipped") {
        return CoverageStatus::Other(strip_emphasis(status));
    }
    if l.contains("no issue")
        || l.contains("no finding")
        || l.starts_with("reviewed")
        || l == "ok"
        || l == "clean"
    {
        return CoverageStatus::ReviewedNoIssues;
    }
    let l_trim = l.trim_end_matches('.');
    if let Some(rest) = l_trim
        .strip_prefix("finding")
        .or_else(|| l_trim.strip_prefix("findings"))
    {
        let nums: Vec<String> = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if !nums.is_empty() {
            return CoverageStatus::Findings(nums);
        }
    }
    CoverageStatus::Other(strip_emphasis(status))
}

/// Ids like `C1`, `I2`, `S10` as whole words, or spelled out (`Suggestion 1`,
/// `Critical 2`), in order, without repeats.
fn finding_ids(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let words: Vec<&str> = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        let (Some(sev), Ok(n)) = (Severity::from_word(pair[0]), pair[1].parse::<u32>()) else {
            continue;
        };
        if pair[0].ends_with('s') || !pair[0].starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        let id = format!("{}{n}", sev.letter());
        if !out.contains(&id) {
            out.push(id);
        }
    }
    for w in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = w.chars();
        let Some(first) = cs.next() else { continue };
        let rest = &w[first.len_utf8()..];
        if matches!(first, 'C' | 'I' | 'S')
            && !rest.is_empty()
            && rest.len() <= 3
            && rest.chars().all(|c| c.is_ascii_digit())
            && !out.iter().any(|x| x == w)
        {
            out.push(w.to_string());
        }
    }
    out
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
mod tests {
    use super::*;

    fn parse(text: &str) -> ParseOutput {
        parse_review(text, 1)
    }

    /// `id severity classification | title | locations` for each finding.
    fn summary(out: &ParseOutput) -> Vec<String> {
        out.review
            .findings
            .iter()
            .map(|f| {
                let locs: Vec<String> = f.locations.iter().map(ToString::to_string).collect();
                format!(
                    "{} {} {} | {} | {}",
                    f.raised_id.as_deref().unwrap_or("-"),
                    f.severity,
                    f.classification.as_deref().unwrap_or("-"),
                    f.title,
                    locs.join(" ")
                )
            })
            .collect()
    }

    #[test]
    fn claude_style_id_items_under_severity_headings() {
        let out = parse(
            "# Review of the widget change\n\n## Executive Summary\n\nSolid change.\n\n\
             ## Findings\n\n### Critical Issues\n\nNone.\n\n### Important Issues\n\n\
             I1. **Cache is never invalidated** — `src/cache.rs:10-20` (important, regression)\n\n\
             The cache keeps stale entries; see also `src/store.rs:5`.\n\n\
             **Fix:** Clear it on write.\n\n```rust\ncache.clear();\n```\n\n\
             ### Suggestions\n\n\
             S1. **Rename `tmp`** — `src/a.rs:3` (suggestion, enhancement, pre-existing)\n",
        );
        assert_eq!(
            summary(&out),
            [
                "I1 important regression | Cache is never invalidated | src/cache.rs:10-20 src/store.rs:5",
                "S1 suggestion enhancement | Rename `tmp` | src/a.rs:3",
            ]
        );
        let f = &out.review.findings[0];
        assert_eq!(f.ordinal, 1);
        assert_eq!(f.line, 15);
        assert_eq!(
            f.body,
            "The cache keeps stale entries; see also `src/store.rs:5`."
        );
        assert_eq!(f.fix.as_deref(), Some("Clear it on write."));
        assert_eq!(f.code_blocks, ["cache.clear();"]);
        assert_eq!(out.review.findings[1].tags, ["pre-existing"]);
        assert_eq!(out.review.findings[1].ordinal, 2);
        assert_eq!(out.review.summary.as_deref(), Some("Solid change."));
        assert!(!out.review.explicit_no_findings);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    }

    #[test]
    fn bold_id_title_with_dash_and_location_inside_bold() {
        let out = parse(
            "### Suggestions\n\n**S1. Loop exits early — `lib/run.go:4-9`** (suggestion, gap)\n\nBody.\n",
        );
        assert_eq!(
            summary(&out),
            ["S1 suggestion gap | Loop exits early | lib/run.go:4-9"]
        );
    }

    #[test]
    fn bold_id_title_then_dash_location_and_tags() {
        let out = parse(
            "### Suggestions\n\n**S1. Cache `ttl` ignored** — `lib/c.go:4` (suggestion, gap)\n\n\
             **S2.** Plain title — `lib/d.go:9` `(suggestion, enhancement)`\n\n\
             **[S3] Bracketed id** — `lib/e.go:1`\n",
        );
        assert_eq!(
            summary(&out),
            [
                "S1 suggestion gap | Cache `ttl` ignored | lib/c.go:4",
                "S2 suggestion enhancement | Plain title | lib/d.go:9",
                "S3 suggestion - | Bracketed id | lib/e.go:1",
            ]
        );
    }

    #[test]
    fn bold_id_dash_title_with_location_on_next_line() {
        let out = parse(
            "### Important Issues\n\n**I1 — Retry loop never backs off**\n`pkg/retry/retry.go:30-41`\n\nIt spins.\n\n\
             **I2 — Second thing**\n`pkg/b.go:2`\n",
        );
        assert_eq!(
            summary(&out),
            [
                "I1 important - | Retry loop never backs off | pkg/retry/retry.go:30-41",
                "I2 important - | Second thing | pkg/b.go:2",
            ]
        );
    }

    #[test]
    fn numbered_bold_items_take_severity_from_section() {
        let out = parse(
            "#### Critical Issues\n\n1. **Data race on counter** — `pkg/c.go:12` (critical, regression)\n\n   \
             Details here.\n\n   1. **Step one**: not a finding.\n\n2. **Second** — `pkg/d.go:1`\n\n\
             #### Suggestions\n\n1. **Tidy** — `pkg/e.go:7`\n",
        );
        assert_eq!(
            summary(&out),
            [
                "- critical regression | Data race on counter | pkg/c.go:12",
                "- critical - | Second | pkg/d.go:1",
                "- suggestion - | Tidy | pkg/e.go:7",
            ]
        );
    }

    #[test]
    fn heading_items_gemini_style() {
        let out = parse(
            "### Findings\n#### Important Issues\n#### I1. Token leaks into logs\n`cmd/main.go:8`\n\n\
             ##### Fix\nRedact it.\n#### Suggestions\n#### S2. Typo in help text\n(suggestion, gap) `cmd/help.go:3`\n",
        );
        assert_eq!(
            summary(&out),
            [
                "I1 important - | Token leaks into logs | cmd/main.go:8",
                "S2 suggestion gap | Typo in help text | cmd/help.go:3",
            ]
        );
    }

    #[test]
    fn bracket_severity_heading_with_location_before_title() {
        let out = parse(
            "## Findings\n\n### **[CRITICAL] deploy.yaml:38 — Hard-coded user path**\n\n\
             **Classification:** regression (introduced by `abc1234`)\n\n**Problem:** The path is wrong.\n\n\
             **Fix:** Template it.\n\n---\n\n### **[SUGGESTION] util.go:5-7 — Comment grammar**\n\n\
             **Classification:** gap\n",
        );
        assert_eq!(
            summary(&out),
            [
                "- critical regression | Hard-coded user path | deploy.yaml:38",
                "- suggestion gap | Comment grammar | util.go:5-7",
            ]
        );
        let f = &out.review.findings[0];
        assert_eq!(f.body, "The path is wrong.");
        assert_eq!(f.fix.as_deref(), Some("Template it."));
    }

    #[test]
    fn codex_bold_severity_word_lines() {
        let out = parse(
            "**Executive Summary**\n\nTwo problems.\n\n**Findings**\n\n\
             **CRITICAL** server.go:58 — Shutdown skips drain\nClassification: regression\n\
             Problem: The drain never runs.\nFix: Call drain first.\n\n\
             **IMPORTANT** server.go:73, client.go:12 — Retry storm\nClassification: gap\nProblem: Unbounded.\n\n\
             **Testing Assessment**\n\nNo tests cover shutdown.\n",
        );
        assert_eq!(
            summary(&out),
            [
                "- critical regression | Shutdown skips drain | server.go:58",
                "- important gap | Retry storm | server.go:73 client.go:12",
            ]
        );
        assert_eq!(
            out.review.findings[0].fix.as_deref(),
            Some("Call drain first.")
        );
        assert_eq!(out.review.findings[0].body, "The drain never runs.");
        assert_eq!(out.review.testing, ["No tests cover shutdown."]);
    }

    #[test]
    fn bold_section_headers_and_tags_in_backticks() {
        let out = parse(
            "**Critical Issues**\n\nNone.\n\n**Important Issues**\n\n\
             I1. **Leaky handle** — `a/b.go:1` `(important, regression)`\n",
        );
        assert_eq!(
            summary(&out),
            ["I1 important regression | Leaky handle | a/b.go:1"]
        );
    }

    #[test]
    fn tag_wins_over_section_with_note() {
        let out = parse("### Suggestions\n\n1. **Oops** — `x.go:1` (important, gap)\n");
        assert_eq!(summary(&out), ["- important gap | Oops | x.go:1"]);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].level, DiagnosticLevel::Note);
        assert_eq!(out.diagnostics[0].line, 3);
    }

    #[test]
    fn id_letter_wins_over_section_with_note() {
        let out = parse("### Important Issues\n\nS4. **Minor** — `x.go:1`\n");
        assert_eq!(summary(&out), ["S4 suggestion - | Minor | x.go:1"]);
        assert_eq!(out.diagnostics[0].level, DiagnosticLevel::Note);
    }

    #[test]
    fn en_dash_and_double_hyphen_separators() {
        let out = parse(
            "### Important Issues\n\nI1. **A** – `a.go:1` (important, gap)\n\nI2. **B** -- `b.go:2` (important, gap)\n",
        );
        assert_eq!(
            summary(&out),
            [
                "I1 important gap | A | a.go:1",
                "I2 important gap | B | b.go:2"
            ]
        );
    }

    #[test]
    fn explicit_no_findings() {
        let out = parse(
            "## Findings\n\n### Critical Issues\n\nNone.\n\n### Important Issues\n\nNone found.\n\n### Suggestions\n\nNo issues.\n",
        );
        assert!(out.review.findings.is_empty());
        assert!(out.review.explicit_no_findings);
        assert!(out.diagnostics.is_empty());
    }

    #[test]
    fn findings_none_heading_is_explicit() {
        let out = parse("## Findings: None\n\nThe change is clean.\n");
        assert!(out.review.explicit_no_findings);
        assert!(out.diagnostics.is_empty());
    }

    #[test]
    fn summary_only_review_warns() {
        let out = parse("C1 (the hang), I1 (a leak). Full review in the workdir.\n");
        assert!(out.review.findings.is_empty());
        assert!(!out.review.explicit_no_findings);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].level, DiagnosticLevel::Warning);
        assert!(out.review.summary.is_some());
    }

    #[test]
    fn empty_review_warns() {
        let out = parse("  \n\n");
        assert_eq!(out.review, ParsedReview::default());
        assert_eq!(out.diagnostics[0].message, "empty review");
    }

    #[test]
    fn design_observations_with_scope() {
        let out = parse(
            "## Design Observations\n\n### Concerns\n\n\
             - **Global state** *(in-scope)*: The registry is global.\n\
             1. **Two writers** `(future)`\n   Both update status.\n\n\
             ### Strengths\n\n- **Small diff**: easy to review.\n",
        );
        let obs = &out.review.design_observations;
        assert_eq!(obs.len(), 3);
        assert_eq!(obs[0].kind, ObservationKind::Concern);
        assert_eq!(obs[0].scope, Some(Scope::InScope));
        assert_eq!(obs[0].title.as_deref(), Some("Global state"));
        assert_eq!(obs[0].text, "The registry is global.");
        assert_eq!(obs[1].scope, Some(Scope::Future));
        assert_eq!(obs[1].title.as_deref(), Some("Two writers"));
        assert_eq!(obs[1].text, "Both update status.");
        assert_eq!(obs[2].kind, ObservationKind::Strength);
        assert_eq!(obs[2].line, 11);
    }

    #[test]
    fn bold_concerns_header_and_in_scope_bullets() {
        let out = parse(
            "### Design Observations\n\n**Concerns**\n\n- (in-scope) Leaks a goroutine.\n- (future) Split the file.\n",
        );
        let scopes: Vec<_> = out
            .review
            .design_observations
            .iter()
            .map(|o| o.scope)
            .collect();
        assert_eq!(scopes, [Some(Scope::InScope), Some(Scope::Future)]);
    }

    #[test]
    fn testing_documentation_limitations_items() {
        let out = parse(
            "## Testing Assessment\n\nGaps:\n\n1. No test for retries.\n2. No test for\n   timeouts.\n\n\
             ## Documentation Assessment\n\nThe README is current.\n\n\
             ## Acknowledged Limitations\n\n- Windows only.\n\n## Commit Structure\n\nFine.\n",
        );
        assert_eq!(
            out.review.testing,
            ["No test for retries.", "No test for\ntimeouts."]
        );
        assert_eq!(out.review.documentation, ["The README is current."]);
        assert_eq!(out.review.limitations, ["Windows only."]);
    }

    #[test]
    fn coverage_table_and_bullets() {
        let out = parse(
            "## Coverage Summary\n\n| File | Status |\n|---|---|\n| `pkg/a.go` | Reviewed, no issues |\n\
             | `pkg/b.go` | I1, S2 |\n| `go.sum` | Trivial |\n| `docs/x.md` | Skipped |\n\n\
             - `cmd/c.go`: Reviewed, no issues\n- **cmd/d.go** — Finding 3\n",
        );
        let cov: Vec<(String, CoverageStatus)> = out
            .review
            .coverage
            .iter()
            .map(|c| (c.path.clone(), c.status.clone()))
            .collect();
        assert_eq!(
            cov,
            [
                ("pkg/a.go".to_string(), CoverageStatus::ReviewedNoIssues),
                (
                    "pkg/b.go".to_string(),
                    CoverageStatus::Findings(vec!["I1".into(), "S2".into()])
                ),
                ("go.sum".to_string(), CoverageStatus::Trivial),
                (
                    "docs/x.md".to_string(),
                    CoverageStatus::Other("Skipped".into())
                ),
                ("cmd/c.go".to_string(), CoverageStatus::ReviewedNoIssues),
                (
                    "cmd/d.go".to_string(),
                    CoverageStatus::Findings(vec!["3".into()])
                ),
            ]
        );
    }

    #[test]
    fn coverage_spelled_out_ids() {
        assert_eq!(
            coverage_status("Critical 1, Important 2"),
            CoverageStatus::Findings(vec!["C1".into(), "I2".into()])
        );
        assert_eq!(
            coverage_status("Suggestion 3 (commit scope)"),
            CoverageStatus::Findings(vec!["S3".into()])
        );
    }

    #[test]
    fn bold_paragraph_observations_keep_their_bullets() {
        let out = parse(
            "## Design Observations\n\n### Concerns\n\n\
             - **Lists everything (in-scope, pre-existing)**. Each reconcile lists all.\n\n\
             **O1. Cleanup is too eager — `(in-scope)`**\n\n\
             It sweeps everything.\n\n- **Stop**: sweep.\n- **Blip**: keep.\n\nSo split the cases.\n\n\
             **O2. Odd state name — `(future)`**\n\nRename it.\n",
        );
        let mut obs = out.review.design_observations.clone();
        assert_eq!(obs.len(), 3, "{obs:#?}");
        obs.rotate_left(1);
        assert_eq!(obs[0].title.as_deref(), Some("Cleanup is too eager"));
        assert_eq!(obs[0].scope, Some(Scope::InScope));
        assert_eq!(
            obs[0].text,
            "It sweeps everything.\n\n- **Stop**: sweep.\n- **Blip**: keep.\n\nSo split the cases."
        );
        assert_eq!(obs[1].title.as_deref(), Some("Odd state name"));
        assert_eq!(obs[1].scope, Some(Scope::Future));
        assert_eq!(obs[2].title.as_deref(), Some("Lists everything"));
        assert_eq!(obs[2].scope, Some(Scope::InScope));
        assert_eq!(obs[2].text, "Each reconcile lists all.");
    }

    #[test]
    fn numbered_title_only_observation_takes_next_paragraph() {
        let out = parse(
            "### Design Observations\n\n1. **Split the parser** (in-scope)\n\nIt does two jobs.\n\n\
             2. **Cache later** `(future)`\n\nNot needed yet.\n\n### Testing Assessment\n\nFine.\n",
        );
        let obs = &out.review.design_observations;
        assert_eq!(obs.len(), 2, "{obs:#?}");
        assert_eq!(obs[0].title.as_deref(), Some("Split the parser"));
        assert_eq!(obs[0].text, "It does two jobs.");
        assert_eq!(obs[1].scope, Some(Scope::Future));
        assert_eq!(obs[1].text, "Not needed yet.");
    }

    #[test]
    fn verdict_forms() {
        assert_eq!(
            parse("**Verdict:** Merge with fixes.\n\n### Suggestions\n\nNone.\n")
                .review
                .verdict
                .as_deref(),
            Some("Merge with fixes.")
        );
        assert_eq!(
            parse("Recommendation: Rework\n").review.verdict.as_deref(),
            Some("Rework")
        );
        assert_eq!(
            parse("## Verdict\n\n**Approve** — small and safe.\n")
                .review
                .verdict
                .as_deref(),
            Some("Approve — small and safe.")
        );
        assert_eq!(
            parse("**Verdict: Approve** — tidy.\n")
                .review
                .verdict
                .as_deref(),
            Some("Approve — tidy.")
        );
    }

    #[test]
    fn verdict_in_tables_bold_labels_and_prose() {
        let table = "| Item | Value |\n|---|---|\n| **Verdict** | **Approve** — fine. |\n";
        assert_eq!(
            parse(table).review.verdict.as_deref(),
            Some("Approve — fine.")
        );
        assert_eq!(
            parse("| Dimension | Verdict |\n|---|---|\n| Safety | ok |\n")
                .review
                .verdict,
            None
        );
        assert_eq!(
            parse("**Verdict** Needs changes\n")
                .review
                .verdict
                .as_deref(),
            Some("Needs changes")
        );
        assert_eq!(
            parse("**Author:** @a | **Verdict:** Approve with fixes\n")
                .review
                .verdict
                .as_deref(),
            Some("Approve with fixes")
        );
        let prose = "I1 (a leak). Verdict: Approve with minor fixes. Full review elsewhere.\n";
        assert_eq!(
            parse(prose).review.verdict.as_deref(),
            Some("Approve with minor fixes")
        );
    }

    #[test]
    fn unknown_sections_are_skipped_silently() {
        let out = parse(
            "## Commit Structure\n\n1. **Squash** — `a.go:1`\n\n## Unresolved Feedback\n\nI1. **Old thing**\n\n\
             ## Findings\n\n### Suggestions\n\nS1. **Real** — `b.go:2`\n",
        );
        assert_eq!(summary(&out), ["S1 suggestion - | Real | b.go:2"]);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    }

    #[test]
    fn unparseable_finding_like_text_warns_with_line() {
        let out = parse("### Important Issues\n\n[IMPORTANT]\n\nI1. **Real** — `b.go:2`\n");
        assert_eq!(summary(&out), ["I1 important - | Real | b.go:2"]);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].line, 3);
        assert_eq!(out.diagnostics[0].level, DiagnosticLevel::Warning);
    }

    #[test]
    fn finding_without_severity_is_skipped_with_warning() {
        let out = parse("## Findings\n\n1. **Orphan** — `a.go:1`\n\nC1. **Kept** — `b.go:1`\n");
        assert_eq!(summary(&out), ["C1 critical - | Kept | b.go:1"]);
    }

    #[test]
    fn whole_review_wrapped_in_a_fence() {
        let out = parse(
            "```\nPreamble from the tool.\n\n## Findings\n\n### Important Issues\n\n\
             I1. **Wrapped** — `w.go:1`\n\n```go\nx := 1\n```\n\nAll files examined.```\n",
        );
        assert_eq!(summary(&out), ["I1 important - | Wrapped | w.go:1"]);
        assert_eq!(out.review.findings[0].code_blocks, ["x := 1"]);
        assert_eq!(out.review.findings[0].line, 8);
    }

    #[test]
    fn first_line_offsets_lines() {
        let out = parse_review("### Suggestions\n\nS1. **T** — `a.go:1`\n", 100);
        assert_eq!(out.review.findings[0].line, 102);
    }

    #[test]
    fn heading_levels_one_to_five() {
        let out = parse(
            "# My Review\n\n##### Critical Issues\n\nC1. **Deep** — `a.go:1`\n\n## Findings\n\n### Important Issues\n\nI1. **Mid** — `b.go:2`\n",
        );
        assert_eq!(
            summary(&out),
            [
                "C1 critical - | Deep | a.go:1",
                "I1 important - | Mid | b.go:2"
            ]
        );
    }

    #[test]
    fn fix_label_with_parenthetical() {
        let out =
            parse("### Suggestions\n\nS1. **T** — `a.go:1`\n\nWhy.\n\nFix (optional):\n\nDo X.\n");
        assert_eq!(out.review.findings[0].fix.as_deref(), Some("Do X."));
        assert_eq!(out.review.findings[0].body, "Why.");
    }

    #[test]
    fn suggested_fix_label_and_consolidation_note_end_fix() {
        let out = parse(
            "### Suggestions\n\nS1. **T** — `a.go:1`\n\nWhy.\n\nSuggested fix: do X.\nAnd Y.\n\n**Consolidation note:** Valid.\n",
        );
        let f = &out.review.findings[0];
        assert_eq!(f.fix.as_deref(), Some("do X.\nAnd Y."));
        assert_eq!(f.body, "Why.\n\n**Consolidation note:** Valid.");
    }

    #[test]
    fn non_ascii_everywhere_does_not_panic() {
        let out =
            parse("### Suggestions\n\nS1. **Ünïcödé — ✓** — `ä/ö.go:1` (suggestion, gap)\n\n— ü\n");
        assert_eq!(
            summary(&out),
            ["S1 suggestion gap | Ünïcödé — ✓ | ä/ö.go:1"]
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_garbage(s in "\\PC{0,400}") {
            let _ = parse_review(&s, 1);
        }

        #[test]
        fn never_panics_on_markdownish_garbage(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("**".to_string()),
                    proptest::strategy::Just("`".to_string()),
                    proptest::strategy::Just("\n".to_string()),
                    proptest::strategy::Just("### Critical Issues\n".to_string()),
                    proptest::strategy::Just("C1. ".to_string()),
                    proptest::strategy::Just("[CRITICAL] ".to_string()),
                    proptest::strategy::Just(" — ".to_string()),
                    proptest::strategy::Just("(".to_string()),
                    proptest::strategy::Just(")".to_string()),
                    proptest::strategy::Just("a.go:1-".to_string()),
                    proptest::strategy::Just("```\n".to_string()),
                    proptest::strategy::Just("| a | b |\n".to_string()),
                    proptest::strategy::Just("- ".to_string()),
                    proptest::strategy::Just("1. ".to_string()),
                    proptest::strategy::Just("é".to_string()),
                    proptest::strategy::Just("## Coverage Summary\n".to_string()),
                    proptest::strategy::Just("## Design Observations\n".to_string()),
                    proptest::strategy::Just("Fix:".to_string()),
                    "\\PC{0,6}",
                ],
                0..60,
            )
        ) {
            let text = parts.concat();
            let out = parse_review(&text, 1);
            for (i, f) in out.review.findings.iter().enumerate() {
                proptest::prop_assert_eq!(f.ordinal as usize, i + 1);
                for l in &f.locations {
                    proptest::prop_assert!(l.start <= l.end);
                }
            }
        }
    }

    #[test]
    fn many_findings_are_all_parsed() {
        // Speed on large reviews is measured in `cargo bench` (parse-review), not here.
        let one = "### Important Issues\n\nI1. **Thing** — `pkg/a.go:1-2` (important, gap)\n\nBody text `b.go:3`.\n\n";
        let text = one.repeat(20_000);
        let out = parse(&text);
        assert_eq!(out.review.findings.len(), 20_000);
        assert_eq!(out.review.findings.last().map(|f| f.ordinal), Some(20_000));
    }
}
