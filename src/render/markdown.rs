//! The markdown report, in the shape of the deep-review reports.

use crate::report::Report;

/// Renders the report as markdown.
pub fn render(report: &Report) -> String {
    format!("# Deep Review: {}\n", report.round.id)
}
