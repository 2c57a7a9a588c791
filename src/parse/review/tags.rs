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
    severity_word(x).is_some()
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
    if let Some(s) = severity_word(t).filter(|_| !t.contains(' ')) {
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
        .find_map(severity_word)
}

/// [`Severity::from_word`] without lowercased copies: tags and label texts are
/// read word by word, and most words are no severity. A property test keeps
/// the two in agreement.
pub(super) fn severity_word(word: &str) -> Option<Severity> {
    let t = word.trim();
    let alnum = t.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    // `p0`..`p3` in any case: two ASCII bytes.
    if let [p, n] = alnum.as_bytes() {
        if p.eq_ignore_ascii_case(&b'p') {
            match n {
                b'0' => return Some(Severity::Critical),
                b'1' => return Some(Severity::Important),
                b'2' | b'3' => return Some(Severity::Suggestion),
                _ => {}
            }
        }
    }
    let w = t.trim_matches(|c: char| !c.is_ascii_alphabetic());
    SEVERITY_WORDS
        .iter()
        .find(|(words, _)| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
        .map(|&(_, sev)| sev)
}

/// The severity words of [`Severity::from_word`], lowercase.
const SEVERITY_WORDS: [(&[&str], Severity); 3] = [
    (&["critical", "blocker", "blocking"], Severity::Critical),
    (&["important", "major", "high"], Severity::Important),
    (
        &[
            "suggestion",
            "suggestions",
            "minor",
            "nit",
            "low",
            "medium",
            "moderate",
        ],
        Severity::Suggestion,
    ),
];
