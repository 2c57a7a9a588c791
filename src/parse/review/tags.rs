//! Tag stage of review parsing: tag groups such as `(critical, regression)` and how
//! they set a finding's severity, classification and tags.

use super::*;

/// Tag groups found in `s`: `(critical, regression)`, `` `(gap)` ``, `*(in-scope)*`.
/// A group counts only when at least one of its words is a known tag.
pub(super) fn parse_tag_groups(s: &str) -> Vec<String> {
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
                strip_emphasis_cow(x)
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

pub(super) fn is_known_tag(x: &str) -> bool {
    // The words are compared without a lowercased copy.
    Severity::from_word(x).is_some()
        || [
            "regression",
            "gap",
            "enhancement",
            "pre-existing",
            "preexisting",
            "in-scope",
            "future",
            "out-of-scope",
        ]
        .iter()
        .any(|w| x.eq_ignore_ascii_case(w))
}

pub(super) fn apply_tags(f: &mut FindingBuilder, text: &str) {
    // `regression (introduced by abc123)`: the parenthetical is explanation.
    let head = text.split('(').next().unwrap_or("");
    for item in head.split([',', ';', '/']) {
        let item = strip_emphasis_cow(item);
        let item = item.trim().trim_end_matches('.');
        if item.is_empty() {
            continue;
        }
        apply_tag(
            &mut f.tag_severity,
            &mut f.classification,
            &mut f.tags,
            item,
        );
    }
}

pub(super) fn apply_tag(
    severity: &mut Option<Severity>,
    classification: &mut Option<String>,
    tags: &mut Vec<String>,
    tag: &str,
) {
    // Compared without a lowercased copy: only a classification keeps one.
    let t = tag.trim();
    if let Some(s) = Severity::from_word(t).filter(|_| !t.contains(' ')) {
        severity.get_or_insert(s);
        return;
    }
    let is_class = ["regression", "gap", "enhancement"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w));
    if is_class && classification.is_none() {
        *classification = Some(t.to_ascii_lowercase());
    } else if !t.is_empty() && !tags.iter().any(|x| x == t) {
        tags.push(t.to_string());
    }
}

pub(super) fn first_severity_word(s: &str) -> Option<Severity> {
    // Alphanumeric words, so `P1` reads as a priority.
    s.split(|c: char| !c.is_alphanumeric())
        .find_map(Severity::from_word)
}
