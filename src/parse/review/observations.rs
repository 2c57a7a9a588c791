//! Design observations: title, scope (`in-scope` / `future`) and text of one concern or
//! strength.

use super::*;

pub(super) fn design_observation(
    text: &str,
    kind: Option<ObservationKind>,
    line: u32,
) -> DesignObservation {
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
pub(super) fn scope_of(text: &str) -> Option<Scope> {
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

pub(super) fn strip_scope(s: &str) -> String {
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
pub(super) fn is_title_only(line: &str) -> bool {
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
pub(super) fn strip_observation_id(t: &str) -> &str {
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
