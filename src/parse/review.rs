//! The agent review parser: one agent's markdown review into a
//! [`ParsedReview`](crate::model::ParsedReview) plus diagnostics.

use crate::model::ParseOutput;

/// Parses one agent review. `first_line` is the line number of the text's first
/// line in the file it came from (1 for a whole file), so diagnostics point into
/// that file. Never fails and never panics.
pub fn parse_review(text: &str, first_line: u32) -> ParseOutput {
    let _ = (text, first_line);
    ParseOutput::default()
}
