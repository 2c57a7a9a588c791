//! Resolution stage of report parsing: what the author did with each finding (fixed,
//! test written, declined, deferred, unresolved).

use super::*;

pub(super) fn parse_resolutions(
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
            severity: None,
        });
    }
    out
}

/// `Important #1: title`, `Suggestion S3: title`, `Critical I2 — title` → (`I1`, title).
pub(super) fn resolution_finding(cell: &str) -> Option<(String, String)> {
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
pub(super) fn resolution_action(cell: &str) -> Option<(ResolutionStatus, String)> {
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
        } else if [
            "not addressed",
            "unresolved",
            "still open",
            "open",
            "pending",
            "not fixed",
        ]
        .iter()
        .any(|w| lower.starts_with(w))
        {
            (ResolutionStatus::Unresolved, paren)
        } else {
            return None;
        };
    Some((status, reason))
}
