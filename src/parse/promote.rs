//! Promotions: an item of an agent's testing, documentation, design or
//! limitations section read as a finding.
//!
//! Consolidators sometimes turn such an item (not one of the agent's findings)
//! into a consolidated suggestion credited to the agent. A recorded decision
//! names the item by section and position ([`crate::cassette::RawRef::section`]);
//! this module builds the raw finding that stands for it, the same way for the
//! importer that derives the decision and for the engine that replays it.
//!
//! Invariants: the finding is a pure function of the item text; its id is
//! `<section>#<n>` (`testing#2`), which no agent writes, so it never collides
//! with a finding's own id.

use crate::cassette::{ItemSection, RawRef};
use crate::model::{ParsedReview, RawFinding, Severity};
use crate::parse::location::extract_locations;
use crate::parse::markdown::strip_emphasis;

/// Every section whose items can be promoted, in a fixed order.
pub const SECTIONS: [ItemSection; 4] = [
    ItemSection::Testing,
    ItemSection::Documentation,
    ItemSection::Design,
    ItemSection::Limitations,
];

/// The texts of a section's items, in review order.
pub fn section_items(review: &ParsedReview, section: ItemSection) -> Vec<String> {
    match section {
        ItemSection::Testing => review.testing.clone(),
        ItemSection::Documentation => review.documentation.clone(),
        ItemSection::Limitations => review.limitations.clone(),
        ItemSection::Design => review
            .design_observations
            .iter()
            .map(|o| match &o.title {
                Some(t) => format!("**{t}** {}", o.text),
                None => o.text.clone(),
            })
            .collect(),
    }
}

/// The id a promoted item carries: `testing#2`.
pub fn promoted_id(section: ItemSection, n: u32) -> String {
    format!("{}#{n}", section.as_str())
}

/// The id a reference names, when it names a section item.
pub fn ref_id(r: &RawRef) -> Option<String> {
    Some(promoted_id(r.section?, r.ordinal?))
}

/// The raw finding that stands for item `n` (1-based) of `section`, as a
/// suggestion (a recorded decision sets its severity), with `ordinal` as its
/// position among the review's findings.
pub fn promoted_finding(
    review: &ParsedReview,
    section: ItemSection,
    n: u32,
    ordinal: u32,
) -> Option<RawFinding> {
    let items = section_items(review, section);
    let text = items.get(usize::try_from(n).ok()?.checked_sub(1)?)?;
    Some(item_finding(section, n, text, ordinal))
}

/// The raw finding that stands for `text`, item `n` of `section`.
pub fn item_finding(section: ItemSection, n: u32, text: &str, ordinal: u32) -> RawFinding {
    RawFinding {
        ordinal,
        raised_id: Some(promoted_id(section, n)),
        severity: Severity::Suggestion,
        classification: None,
        tags: vec![format!("promoted from {}", section.as_str())],
        title: title_of(text),
        locations: extract_locations(text),
        body: text.to_string(),
        fix: None,
        code_blocks: Vec::new(),
        line: 0,
    }
}

/// The bold lead of an item (`**No UPDATE test** ...`), else its first sentence,
/// cut at 120 characters.
fn title_of(text: &str) -> String {
    let t = text.trim();
    let t = t
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')')
        .trim_start();
    if let Some(r) = t.strip_prefix("**") {
        if let Some(end) = r.find("**") {
            let lead = strip_emphasis(&r[..end]);
            let lead = lead.trim().trim_end_matches([':', '.', '—', '-']).trim();
            if !lead.is_empty() {
                return lead.to_string();
            }
        }
    }
    let plain = strip_emphasis(t);
    let first = plain
        .split(". ")
        .next()
        .unwrap_or(&plain)
        .split(" — ")
        .next()
        .unwrap_or(&plain);
    let mut title: String = first.chars().take(120).collect();
    if first.chars().count() > 120 {
        title.push('…');
    }
    title.trim().trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review() -> ParsedReview {
        ParsedReview {
            testing: vec![
                "1. **No `UPDATE` coverage** — the webhook registers both operations (`app.go:119`).".into(),
                "Unit tests for `parseVersions` are missing. Edge cases abound.".into(),
            ],
            ..ParsedReview::default()
        }
    }

    #[test]
    fn items_become_suggestions_with_a_section_id() {
        let f = promoted_finding(&review(), ItemSection::Testing, 1, 7).expect("item 1");
        assert_eq!(f.title, "No `UPDATE` coverage");
        assert_eq!(f.raised_id.as_deref(), Some("testing#1"));
        assert_eq!(f.ordinal, 7);
        assert_eq!(f.severity, Severity::Suggestion);
        assert_eq!(f.locations.len(), 1);
        let f = promoted_finding(&review(), ItemSection::Testing, 2, 8).expect("item 2");
        assert_eq!(f.title, "Unit tests for `parseVersions` are missing");
    }

    #[test]
    fn missing_items_are_none() {
        assert!(promoted_finding(&review(), ItemSection::Testing, 3, 1).is_none());
        assert!(promoted_finding(&review(), ItemSection::Testing, 0, 1).is_none());
        assert!(promoted_finding(&review(), ItemSection::Documentation, 1, 1).is_none());
    }
}
