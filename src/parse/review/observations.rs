//! Design observations: title, scope (`in-scope` / `future`) and text of one concern or
//! strength.

use super::*;

pub(super) fn design_observation(
    text: &str,
    kind: Option<ObservationKind>,
    line: u32,
) -> DesignObservation {
    // Read where it lies: the text, the body without its scope groups and
    // their trims are borrowed (a group removed makes the one copy), and
    // only the title and the body kept are copied. Copying the text first,
    // then each stage's result, made four strings of an observation.
    let text = text.trim();
    let scope = scope_of(text);
    let mut title = None;
    let mut body: &str = text;
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
            body = &r[end + 2..];
        }
    }
    // Trimmed below, as `strip_scope` would trim it.
    let body = strip_scope_untrimmed(body);
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
            strip_emphasis(text)
        } else {
            body
        },
        line,
    }
}

/// The first `(in-scope)` / `(future)` / `` `(future)` `` / `(in-scope, pre-existing)`
/// / `[future]` marker in `text`.
pub(super) fn scope_of(text: &str) -> Option<Scope> {
    // Brackets found by a vectorised search and items compared in any ASCII
    // case, without a lowercased copy of the text (the copy and the
    // searches by characters took about half of a design observation's
    // 2,800 instructions with `strip_scope`).
    let mut rest = text;
    while let Some(open) = memchr::memchr2(b'(', b'[', rest.as_bytes()) {
        let after = &rest[open + 1..];
        let close = memchr::memchr2(b')', b']', after.as_bytes())?;
        for item in after[..close].split([',', ';']) {
            if let Some(scope) = scope_item(item) {
                return Some(scope);
            }
        }
        rest = &after[close + 1..];
    }
    None
}

/// The scope an item of a bracketed group names, its emphasis and code
/// markers trimmed, in any ASCII case.
fn scope_item(item: &str) -> Option<Scope> {
    let t = item.trim().trim_matches(['`', '*', '_']).trim();
    let is = |w: &str| t.eq_ignore_ascii_case(w);
    if is("in-scope") || is("in scope") {
        Some(Scope::InScope)
    } else if is("future") || is("out-of-scope") || is("future work") {
        Some(Scope::Future)
    } else {
        None
    }
}

/// `s` without its scope groups (see [`scope_of`]) and the emphasis or code
/// markers around them, trimmed. Copied once when a group is removed, and
/// read without lowercased copies, as [`scope_of`] reads.
pub(super) fn strip_scope(s: &str) -> String {
    strip_scope_untrimmed(s).trim().to_string()
}

/// [`strip_scope`] before its trim, borrowed when `s` holds no scope group:
/// for a caller that trims it anyway.
pub(super) fn strip_scope_untrimmed(s: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(s);
    // Each pass removes one scope group; a text has one or two.
    for _ in 0..4 {
        let Some((mut a, mut b)) = scope_group(&out) else {
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
        out.to_mut().replace_range(a..b, "");
    }
    out
}

/// The byte range of the first bracketed group of `s` that names a scope,
/// brackets included; the search stops at a group that does not close.
fn scope_group(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(rel) = memchr::memchr2(b'(', b'[', &b[from..]) {
        let open = from + rel;
        let close = open + 1 + memchr::memchr2(b')', b']', &b[open + 1..])?;
        if s[open + 1..close]
            .split([',', ';'])
            .any(|item| scope_item(item).is_some())
        {
            return Some((open, close + 1));
        }
        from = close + 1;
    }
    None
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
