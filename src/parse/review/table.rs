//! Findings written as a markdown table in a findings section: a header row naming
//! the columns (severity, location, title, ...; any order, any case), then one
//! finding per row.

use super::*;

/// Which column holds what, read from a findings table's header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TableColumns {
    /// `None` only under a severity heading, which gives every row its severity.
    pub(super) severity: Option<usize>,
    pub(super) title: usize,
    pub(super) location: Option<usize>,
    pub(super) body: Option<usize>,
    pub(super) fix: Option<usize>,
    pub(super) id: Option<usize>,
}

/// Reads a header row; `None` unless it names a title (or description) column and
/// a severity column (or `in_severity_section`), so count tables (`Severity |
/// Count`) and coverage tables are not findings tables.
pub(super) fn table_columns(cells: &[String], in_severity_section: bool) -> Option<TableColumns> {
    let (mut severity, mut title, mut location, mut body, mut fix, mut id) =
        (None, None, None, None, None, None);
    for (i, cell) in cells.iter().enumerate() {
        let name = strip_emphasis(cell).to_ascii_lowercase();
        let name = name.trim().trim_end_matches(':').trim();
        let slot = match name {
            "severity" | "priority" | "level" | "sev" | "severity level" => &mut severity,
            "finding" | "issue" | "title" | "problem" | "summary" | "finding title"
            | "issue title" => &mut title,
            "file" | "files" | "location" | "locations" | "where" | "path" | "file:line"
            | "file/line" | "lines" => &mut location,
            "description" | "details" | "detail" | "explanation" | "impact" | "why" => &mut body,
            "fix" | "recommendation" | "suggestion" | "suggested fix" | "proposed fix"
            | "remediation" => &mut fix,
            "#" | "id" | "no" | "no." => &mut id,
            _ => continue,
        };
        slot.get_or_insert(i);
    }
    // A table with only a description column uses it as the title.
    let (title, body) = match (title, body) {
        (Some(t), b) => (t, b),
        (None, Some(b)) => (b, None),
        (None, None) => return None,
    };
    if severity.is_none() && !in_severity_section {
        return None;
    }
    Some(TableColumns {
        severity,
        title,
        location,
        body,
        fix,
        id,
    })
}
