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

pub(super) fn is_known_tag(x: &str) -> bool {
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

pub(super) fn apply_tags(f: &mut FindingBuilder, text: &str) {
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

pub(super) fn apply_tag(
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

pub(super) fn first_severity_word(s: &str) -> Option<Severity> {
    // Alphanumeric words, so `P1` reads as a priority.
    s.split(|c: char| !c.is_alphanumeric())
        .find_map(Severity::from_word)
}
