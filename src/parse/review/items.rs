//! Item stage of review parsing: a finding's first line (id, severity tag, title,
//! trailing locations and tags) and the labels that open a paragraph inside a finding
//! (`Fix:`, `Severity:`).

use super::*;
use crate::parse::location::span_then_locations;

/// The start of a finding, parsed from its first line.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct ItemStart {
    pub(super) id: Option<String>,
    pub(super) id_severity: Option<Severity>,
    pub(super) tag_severity: Option<Severity>,
    pub(super) classification: Option<String>,
    pub(super) tags: Vec<String>,
    pub(super) title: String,
    pub(super) locations: Vec<Location>,
    /// True when the line says by itself that it is a finding (an id or a
    /// severity tag), so it counts outside severity sections too.
    pub(super) explicit: bool,
    pub(super) after_title_has_location: bool,
}

impl ItemStart {
    pub(super) fn has_id(&self) -> bool {
        self.id.is_some() || self.tag_severity.is_some()
    }
}

/// The head of a finding's first line, as [`parse_item_start`] reads it: the
/// id or severity tag (in the returned start), whether what follows is inside
/// bold, and what follows, trimmed at its start. `None` when `need_explicit`
/// and the line has neither.
pub(super) fn item_head(text: &str, need_explicit: bool) -> Option<(ItemStart, bool, &str)> {
    let (bold_open, after_open) = opening(text);
    // Most lines asked for an explicit start are prose: told by their first
    // byte, before any start is built.
    let may_open = may_open_explicitly(after_open, bold_open);
    if need_explicit && !may_open {
        return None;
    }
    let mut start = ItemStart::default();
    let mut rest: Option<(bool, &str)> = None;
    // Where neither reads an id nor a tag, they are not asked (most titles).
    if may_open {
        if let Some((id, sev, r)) = split_id(after_open) {
            start.id = Some(id);
            start.id_severity = Some(sev);
            start.explicit = true;
            rest = Some((bold_open, r));
        } else if let Some((sev, r, still_bold)) = split_severity_tag(after_open, bold_open) {
            start.tag_severity = Some(sev);
            start.explicit = true;
            rest = Some((still_bold, r));
        }
    }
    let (bold, rest) = match rest {
        Some(r) => r,
        None if need_explicit => return None,
        None => (bold_open, after_open),
    };
    // `**C1.** Title` — the bold closed right after the id.
    let rest = trim_start_ws(rest);
    let (bold, rest) = match rest.strip_prefix("**") {
        Some(r) if bold => (false, trim_start_ws(r)),
        Some(r) => (true, trim_start_ws(r)),
        None => (bold, rest),
    };
    // Some forms put the id inside the bold and the title after it: `**C1** Title`.
    Some((start, bold, rest))
}

/// `s.trim_start()`, told from the first byte when it is ASCII and no white
/// space (most texts): only other texts are read by characters.
fn trim_start_ws(s: &str) -> &str {
    match s.as_bytes().first() {
        Some(&b) if b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ') => s,
        _ => s.trim_start(),
    }
}

/// False when neither [`split_id`] nor [`split_severity_tag`] reads `t` (what
/// follows the opening `**`, when `bold_open`): an id opens with `C`, `I` or
/// `S`, a priority with `P` or `p`, a bracketed tag with `[`; a bold tag is
/// ASCII capitals once white space is trimmed, so its first byte is a capital,
/// white space, or not ASCII (which may be white space). A capital then a
/// lowercase letter (`The watcher`, `Critical issues`) is none of them: an id
/// or a priority has a digit after its letter, a bold tag capitals only.
pub(super) fn may_open_explicitly(t: &str, bold_open: bool) -> bool {
    match t.as_bytes() {
        [a, b, ..] if a.is_ascii_uppercase() && b.is_ascii_lowercase() => false,
        [b'[' | b'C' | b'I' | b'S' | b'P' | b'p', ..] => true,
        &[c, ..] => {
            bold_open && (c.is_ascii_uppercase() || c >= 0x80 || matches!(c, b'\t'..=b'\r' | b' '))
        }
        [] => false,
    }
}

/// Parses a finding's first line. With `need_explicit`, only lines that carry an
/// id (`C1.`, `**S1.`, `I1 —`) or a severity tag (`[CRITICAL]`, `**CRITICAL**`)
/// qualify; otherwise a bold title (`**Title** — ...`) or a plain heading text does.
#[inline]
pub(super) fn parse_item_start(text: &str, need_explicit: bool) -> Option<ItemStart> {
    // Most lines asked for an explicit start are prose, told by their first
    // bytes here, without the call that reads a start.
    if need_explicit {
        let (bold_open, after_open) = opening(text);
        if !may_open_explicitly(after_open, bold_open) {
            return None;
        }
    }
    read_item_start(text, need_explicit)
}

/// [`parse_item_start`] of a line that must carry an id or a tag, `text`
/// being trimmed already (a list item's text, or a line the parser trimmed):
/// its opening is read without trimming it again, a call for each line of a
/// finding's body.
#[inline]
pub(super) fn parse_trimmed_explicit_start(text: &str) -> Option<ItemStart> {
    let (bold_open, after_open) = match text.strip_prefix("**") {
        Some(r) => (true, r),
        None => (false, text),
    };
    if !may_open_explicitly(after_open, bold_open) {
        return None;
    }
    read_item_start(text, true)
}

/// Whether a finding's first line opens with bold, and what follows the
/// bold's opening, trimmed.
fn opening(text: &str) -> (bool, &str) {
    let t = trim_ws(text);
    match t.strip_prefix("**") {
        Some(r) => (true, r),
        None => (false, t),
    }
}

/// [`parse_item_start`] of a line its first bytes do not rule out.
fn read_item_start(text: &str, need_explicit: bool) -> Option<ItemStart> {
    let (mut start, bold, rest) = item_head(text, need_explicit)?;
    // A priority the head read (`P1 — Title`) set the tag severity: only
    // then may the line be an empty priority (`**P0:** None`), see below.
    let head_tagged = start.tag_severity.is_some();
    // A bold title whose first `*` opens the closing bold holds none.
    let (title_raw, after, starless) = if bold {
        let b = rest.as_bytes();
        match memchr::memchr(b'*', b) {
            Some(i) if b.get(i + 1) == Some(&b'*') => (&rest[..i], &rest[i + 2..], true),
            _ => match find_bold(rest) {
                Some(i) => (&rest[..i], &rest[i + 2..], false),
                None => (rest, "", false),
            },
        }
    } else {
        (rest, "", false)
    };
    // Most titles are plain: kept whole, with nothing to clean (one copy).
    let plain = if starless {
        plain_title(title_raw)
    } else {
        None
    };
    let (title, title_tail) = match plain {
        Some(t) => (t.to_string(), String::new()),
        None => split_title(title_raw),
    };
    // The tail is what `split_title` left of the title, a space, then what
    // follows the bold. Most titles leave nothing, and a space before `after`
    // changes neither its tag groups nor its locations (a space only separates
    // words): `after` is read where it lies, and a new string is made only
    // for a title that left a tail.
    let joined;
    let tail = if title_tail.is_empty() {
        after
    } else {
        joined = format!("{title_tail} {after}");
        &joined
    };
    // Most tails are `` — `path:12-30` (tag, tag)``: the span read in one
    // pass, with the tag groups looked for only after it (the text before
    // it holds no `(`). The span's locations are the tail's when what
    // follows it holds no backtick, `[` or `:`: a lone group of plain words
    // (most tails) holds none, which its reading tells, and any other rest
    // is searched for them.
    let (sev, class, tags) = (
        &mut start.tag_severity,
        &mut start.classification,
        &mut start.tags,
    );
    let (locations, has_tags) = match span_then_locations(tail) {
        Some((locations, end)) => {
            let rest = &tail[end..];
            match apply_lone_plain_group(rest, sev, class, tags) {
                Some(has_tags) => (Some(locations), has_tags),
                None => {
                    let has_tags = apply_found_tag_groups(rest, sev, class, tags);
                    let cites = holds_location_mark(rest);
                    ((!cites).then_some(locations), has_tags)
                }
            }
        }
        None => (None, apply_tag_groups(tail, sev, class, tags)),
    };
    // Code spans inside the title proper are names, not cited locations; the
    // `path:line — Title` form moved its location into the tail (split_title).
    let locations = locations.unwrap_or_else(|| extract_locations(tail));
    start.after_title_has_location = !locations.is_empty() || has_tags;
    start.locations = locations;
    let title = if plain.is_some() {
        title
    } else {
        clean_title_owned(title)
    };
    // `[IMPORTANT]` alone is a stray tag, not a finding.
    if title.is_empty() && (!start.explicit || start.locations.is_empty()) {
        return None;
    }
    // `**P0:** None` says a priority is empty.
    if start.id.is_none() && head_tagged {
        let (_, after_open) = opening(text);
        if split_priority(after_open).is_some() && is_none_marker(&title) {
            return None;
        }
    }
    if !start.explicit && need_explicit {
        return None;
    }
    start.title = title;
    Some(start)
}

/// A title without `*` that [`split_title`] leaves whole and
/// [`clean_title`] leaves as it is, trimmed; `None` for any other. With no
/// `-` and no `E2` byte (which opens `—` and `–`) it holds no dash to split
/// at or to trim; with no `*` or `_` no emphasis; trimmed, a last byte other
/// than `)` and `` ` `` closes no trailing group or span, and one other than
/// `:` and `,` is not trimmed by the cleaning.
fn plain_title(raw: &str) -> Option<&str> {
    if memchr::memchr3(b'_', 0xE2, b'-', raw.as_bytes()).is_some() {
        return None;
    }
    let t = trim_ws(raw);
    match t.as_bytes().last() {
        Some(b')' | b'`' | b':' | b',') => None,
        _ => Some(t),
    }
}

/// Splits `C1.`, `S2:`, `I3 —`, `C1)` (with an optional `[...]` around the id) off
/// the start; returns the id, its severity and the rest.
pub(super) fn split_id(t: &str) -> Option<(String, Severity, &str)> {
    let t2 = t.strip_prefix('[').unwrap_or(t);
    let mut chars = t2.char_indices();
    let (_, letter) = chars.next()?;
    let sev = Severity::from_letter(letter).filter(|_| letter.is_ascii_uppercase())?;
    let digits: String = t2[1..].chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let mut rest = &t2[1 + digits.len()..];
    if t2.len() != t.len() {
        rest = rest.strip_prefix(']')?;
    }
    // The id may be closed by bold before its separator: `**C1**. Title`, `**C1.**`.
    let rest_nb = rest.strip_prefix("**").unwrap_or(rest);
    let seps = [".", ":", ")", " —", " –", " --", " -", "—", "–"];
    let mut matched = None;
    for sep in seps {
        if let Some(r) = rest_nb.strip_prefix(sep) {
            matched = Some(r);
            break;
        }
    }
    let bracketed = t2.len() != t.len();
    let r = match matched {
        Some(r) => r,
        // `**C1** Title` / `C1 **Title**` / `[C1] Title`.
        None if rest.starts_with("**") || rest.starts_with(" **") => rest,
        None if bracketed && rest.starts_with(' ') => rest,
        None => return None,
    };
    Some((format!("{letter}{digits}"), sev, r))
}

/// Splits a severity tag off the start: `[CRITICAL] ...`, `CRITICAL** ...` (after an
/// opening `**`), `[Critical]** ...`. Returns the severity, the rest, and whether
/// the rest is still inside bold.
pub(super) fn split_severity_tag(t: &str, bold_open: bool) -> Option<(Severity, &str, bool)> {
    if let Some(tag) = split_marked_severity_tag(t, bold_open) {
        return tag;
    }
    if bold_open {
        // The word is ASCII capitals before the closing `**`: a text opening
        // with a lowercase letter, or a capital then one (`The watcher`), is
        // no severity tag, told before the bold is looked for.
        match trim_ws(t).as_bytes() {
            [a, ..] if a.is_ascii_lowercase() => return None,
            [a, b, ..] if a.is_ascii_uppercase() && b.is_ascii_lowercase() => return None,
            _ => {}
        }
        return bold_severity_tag(t);
    }
    None
}

/// [`split_severity_tag`] of a text opening with a priority (`P1`) or a
/// bracket (`[CRITICAL]`): `Some` of its answer when the opening decides it,
/// `None` when the text has neither and the bold tag is left to read.
pub(super) fn split_marked_severity_tag(
    t: &str,
    bold_open: bool,
) -> Option<Option<(Severity, &str, bool)>> {
    if let Some((sev, rest, closed)) = split_priority(t) {
        return Some(Some((sev, rest, bold_open && !closed)));
    }
    let inner = t.strip_prefix('[')?;
    let Some(close) = inner.find(']') else {
        return Some(None);
    };
    let word = &inner[..close];
    let Some(sev) = Severity::from_word(word).filter(|_| !word.contains(' ')) else {
        return Some(None);
    };
    let rest = &inner[close + 1..];
    if let Some(r) = rest.strip_prefix("**") {
        return Some(Some((sev, r, false)));
    }
    Some(Some((sev, rest, bold_open)))
}

/// The severity tag of a text after an opening `**`: ASCII capitals before the
/// closing `**` (`CRITICAL**: rest`), and the rest after its separator.
pub(super) fn bold_severity_tag(t: &str) -> Option<(Severity, &str, bool)> {
    let close = find_bold(t)?;
    let word = t[..close].trim().trim_end_matches(':');
    if word.is_empty() || word.contains(' ') || !word.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let sev = Severity::from_word(word)?;
    let rest = t[close + 2..].trim_start();
    let rest = rest
        .strip_prefix(':')
        .or_else(|| rest.strip_prefix('—'))
        .or_else(|| rest.strip_prefix('–'))
        .or_else(|| rest.strip_prefix("--"))
        .unwrap_or(rest);
    if rest.trim().is_empty() {
        return None;
    }
    Some((sev, rest, false))
}

/// Splits a priority id used as a severity tag off the start: `P1 — Title`,
/// `P2: Title`, `P0. Title`, `P1** — Title` (the bold closed after it). Returns the
/// severity, the rest, and whether the bold closed right after the id. A priority
/// is not an id: reviews give several findings the same `P1`.
pub(super) fn split_priority(t: &str) -> Option<(Severity, &str, bool)> {
    let b = t.as_bytes();
    if b.len() < 3 || !is_priority_id(t.get(..2)?) || b[2].is_ascii_alphanumeric() {
        return None;
    }
    let sev = Severity::from_word(&t[..2])?;
    let rest = &t[2..];
    let (closed, rest_nb) = match rest.strip_prefix("**") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    for sep in [".", ":", ")", " —", " –", " --", " -", "—", "–"] {
        if let Some(r) = rest_nb.strip_prefix(sep) {
            return Some((sev, r, closed));
        }
    }
    // `**P1** Title`.
    if closed && rest_nb.starts_with(' ') {
        return Some((sev, rest_nb, closed));
    }
    None
}

/// Splits a (non-bold) title line at its first dash separator: the title, and the
/// tail (locations and tags). Handles `path:line — Title` (location first).
pub(super) fn split_title(raw: &str) -> (String, String) {
    // Most titles hold no dash byte, and no separator: they are not split.
    if memchr::memchr2(0xE2, b'-', raw.as_bytes()).is_none() {
        return split_trailing_meta(raw);
    }
    let parts = split_dashes(raw);
    if parts.len() < 2 {
        // `Title (critical, gap)` / `Title \`path:1\``.
        let (title, tail) = split_trailing_meta(raw);
        return (title, tail);
    }
    let first = parts[0].trim();
    if is_location_only(first) {
        let title = parts[1..].join(" — ");
        let (title, tail) = split_trailing_meta(&title);
        return (title, format!("{first} {tail}"));
    }
    // Keep dashes that are part of the title: only a part that holds locations or
    // tags starts the tail.
    let mut title = first.to_string();
    let mut tail = String::new();
    let mut in_tail = false;
    for part in &parts[1..] {
        if in_tail {
            tail.push_str(" — ");
            tail.push_str(part);
            continue;
        }
        if has_location(part) || has_tag_group(part) || is_blank_markup(part) {
            in_tail = true;
            tail.push_str(part);
        } else {
            title.push_str(" — ");
            title.push_str(part.trim());
        }
    }
    let (title, extra) = split_trailing_meta(&title);
    (title, format!("{extra} {tail}"))
}

/// A line holding only locations and tag groups.
pub(super) fn is_meta_line(s: &str) -> bool {
    // Tested first, as most lines (prose) fail it at their first word, before
    // any scan for locations or tag groups.
    !has_bare_prose(s) && (has_location(s) || has_tag_group(s))
}

/// Whether `s` holds a letter or digit outside code spans and brackets.
pub(super) fn has_bare_prose(s: &str) -> bool {
    let mut in_code = false;
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '`' => in_code = !in_code,
            '(' | '[' if !in_code => depth += 1,
            ')' | ']' if !in_code => depth = depth.saturating_sub(1),
            _ if in_code || depth > 0 => {}
            _ if c.is_alphanumeric() => return true,
            _ => {}
        }
    }
    false
}

/// True when `s` holds nothing but emphasis markers and spaces.
pub(super) fn is_blank_markup(s: &str) -> bool {
    strip_emphasis(s).trim().is_empty()
}

/// Splits dash separators (` — `, ` – `, ` -- `) that are outside code spans.
/// Every part but the first keeps the space after its separator. The space and
/// the backtick are ASCII, so the byte positions cut at are char boundaries.
pub(super) fn split_dashes(s: &str) -> Vec<&str> {
    // Every separator holds `—` or `–` (whose first byte is E2) or `-`: most
    // titles hold none, and are read in one block test.
    if memchr::memchr2(0xE2, b'-', s.as_bytes()).is_none() {
        return vec![s];
    }
    let bytes = s.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'`' {
            in_code = !in_code;
        }
        // Each separator opens with `—`, `–` (bytes E2 80 94 and E2 80 93) or
        // `-`: a space followed by anything else is no separator.
        if !in_code && c == b' ' && matches!(bytes.get(i + 1), Some(b'\xE2' | b'-')) {
            let rest = &s[i + 1..];
            let sep = ["—", "–", "--"].into_iter().find(|d| {
                rest.strip_prefix(d)
                    .is_some_and(|after| after.is_empty() || after.starts_with(' '))
            });
            if let Some(d) = sep {
                parts.push(&s[start..i]);
                i += 1 + d.len();
                start = i;
                continue;
            }
        }
        i += 1;
    }
    parts.push(&s[start..]);
    parts
}

/// Splits trailing `(critical, gap)` / `` `(x)` `` / `` `path:1` `` off a title.
pub(super) fn split_trailing_meta(title: &str) -> (String, String) {
    // Slices of `title`: only the result is copied.
    let mut t = title.trim();
    let mut tail = String::new();
    // A title carries at most a few trailing groups; the bound keeps a
    // pathological line linear.
    for _ in 0..8 {
        let trimmed = t.trim_end().trim_end_matches('*').trim_end();
        let mut cut = None;
        if trimmed.ends_with(')') {
            if let Some(open) = trimmed.rfind('(') {
                let group = &trimmed[open..];
                // `(critical)`, or a cited location: `` (`a.go:1`) ``.
                let inner = &group[1..group.len() - 1];
                if has_tag_group(group) || is_location_only(inner) {
                    let start = trimmed[..open].trim_end_matches(['*', '`']).len();
                    cut = Some(start);
                }
            }
        } else if let Some(body) = trimmed.strip_suffix('`') {
            if let Some(open) = body.rfind('`') {
                let span = &trimmed[open..];
                if has_location(span) && open > 0 {
                    cut = Some(open);
                }
            }
        }
        match cut {
            Some(c) if c > 0 => {
                tail = format!("{} {tail}", &trimmed[c..]);
                t = trimmed[..c]
                    .trim_end()
                    .trim_end_matches([',', ':', '—', '–'])
                    .trim_end();
            }
            _ => break,
        }
    }
    (t.to_string(), tail)
}

/// True when `s` is only locations (`` `a.go:1` ``, `a.go:1, b.go:2`).
pub(super) fn is_location_only(s: &str) -> bool {
    if !has_location(s) {
        return false;
    }
    // The words that cite nothing hold nothing alphanumeric.
    s.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !has_location(w))
        .all(|w| !w.chars().any(char::is_alphanumeric))
}

/// [`clean_title`] of a title already copied: kept as it is, not copied again,
/// when cleaning leaves it unchanged (most titles).
pub(super) fn clean_title_owned(t: String) -> String {
    let unchanged = match strip_emphasis_cow(&t) {
        std::borrow::Cow::Borrowed(s) => s.len() == t.len() && trim_title(s).len() == s.len(),
        std::borrow::Cow::Owned(_) => false,
    };
    if unchanged { t } else { clean_title(&t) }
}

/// What [`clean_title`] trims once emphasis is gone.
fn trim_title(t: &str) -> &str {
    t.trim().trim_end_matches([':', '—', '–', ',', '-']).trim()
}

pub(super) fn clean_title(t: &str) -> String {
    let t = strip_emphasis_cow(t);
    let clean = trim_title(&t);
    // A slice of `t` as long as `t` is `t`: an owned `t` is kept, not copied.
    if clean.len() == t.len() {
        t.into_owned()
    } else {
        clean.to_string()
    }
}

/// Labels that open a paragraph inside a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Label {
    Fix,
    Classification,
    Severity,
    Location,
    Problem,
    Other,
}

/// Reads `**Fix:** text`, `Fix: text`, `**Suggested fix**: text`: the label and the
/// text after it.
pub(super) fn label_of(line: &str) -> Option<(Label, &str)> {
    let (label, colon) = label_at(line)?;
    // Keep the original markup of the text after the label (a label has a
    // colon, and the label is what comes before the first one). The `*` and
    // the spaces that open it (`**Fix:** text`) are ASCII, passed a byte at
    // a time: trimming the text left is trimming the text with its opening
    // spaces, and it opens with no white space, so trimming reads its ends
    // only.
    let after = &line.as_bytes()[colon + 1..];
    let stars = after.iter().take_while(|&&b| b == b'*').count();
    let spaces = after[stars..].iter().take_while(|&&b| b == b' ').count();
    Some((label, trim_ws(&line[colon + 1 + stars + spaces..])))
}

/// The label [`label_of`] reads, without the text after it.
pub(super) fn label_kind(line: &str) -> Option<Label> {
    label_at(line).map(|(label, _)| label)
}

/// The label of `line` and the byte position of the colon that closes it.
pub(super) fn label_at(line: &str) -> Option<(Label, usize)> {
    // `**Fix:**`, the label most reviews write (the synthetic ones at every
    // finding, and most of the recorded corpus's labels): told by one
    // compare of its eight bytes, where reading it lowercased its letters
    // onto the stack, trimmed and named them (some 130 instructions). Its
    // colon is byte 5; any other line is read as before.
    if line.as_bytes().starts_with(b"**Fix:**") {
        return Some((Label::Fix, 5));
    }
    label_at_read(line)
}

/// [`label_at`] of any line, its label read (the tests hold the `**Fix:**`
/// shortcut to it).
pub(super) fn label_at_read(line: &str) -> Option<(Label, usize)> {
    // `**Fix:** text`: up to 30 ASCII letters and spaces in bold, closed by a
    // colon. The colon is the first one, the text before it counts its letters
    // only, holds no emphasis to remove, no code span and no `(`: the head is
    // those letters and spaces, trimmed.
    //
    // The letters and spaces are read once, each lowercased onto the stack
    // as it is told (a letter's lowercase is its byte with the 0x20 bit set,
    // a space is its own), and no further than a 31st: past 30 of them the
    // line is read as any other.
    if let Some(r) = line.strip_prefix("**") {
        let mut lower = [0u8; 31];
        let mut n = 0;
        for (&b, l) in r.as_bytes().iter().zip(&mut lower) {
            if !(b.is_ascii_alphabetic() || b == b' ') {
                break;
            }
            *l = b | 0x20;
            n += 1;
        }
        if n <= 30 && r.as_bytes().get(n) == Some(&b':') {
            let head = &lower[..n];
            let start = head.iter().position(|&b| b != b' ')?;
            let end = head.iter().rposition(|&b| b != b' ').map_or(n, |i| i + 1);
            return label_lowercase(&head[start..end]).map(|label| (label, n + 2));
        }
    }
    label_at_colon(line)
}

/// [`label_at`] of any line: its first colon found, the text before it read
/// with its emphasis removed.
pub(super) fn label_at_colon(line: &str) -> Option<(Label, usize)> {
    let colon = label_colon(line)?;
    // Whether a marker is emphasis depends only on the characters next to it
    // and on the code spans before it (there are none): up to the colon, the
    // line keeps the same characters as the whole line would.
    let prefix = &line[..=colon];
    // Without `_` (and code spans), removing emphasis drops every `*`: done in a
    // buffer on the stack rather than a new string. Dropping ASCII bytes keeps
    // the text valid UTF-8.
    let mut buf = [0u8; 64];
    let stripped;
    let s: &str = if prefix.len() <= buf.len() && !prefix.contains('_') {
        let mut n = 0;
        for &b in prefix.as_bytes().iter().filter(|&&b| b != b'*') {
            buf[n] = b;
            n += 1;
        }
        std::str::from_utf8(&buf[..n]).ok()?.trim()
    } else {
        stripped = strip_emphasis_cow(prefix);
        &stripped
    };
    let head = s.strip_suffix(':').unwrap_or(s).trim();
    // A text of at most 30 bytes has at most 30 characters.
    if head.is_empty() || head.len() > 30 && head.chars().count() > 30 || head.contains('`') {
        return None;
    }
    // `Fix (optional):`, `Suggested fix (if desired):`.
    let head = match head.ends_with(')').then(|| head.split_once(" (")).flatten() {
        Some((h, _)) => h.trim(),
        None => head,
    };
    label_named(head).map(|label| (label, colon))
}

/// The label a head names, in any ASCII case, read through one lowercased
/// copy on the stack and a `match` (the list it was searched in before is
/// kept in the tests, which hold the two to each other).
pub(super) fn label_named(head: &str) -> Option<Label> {
    // The longest label word, `consolidation note`, has 18 bytes.
    let mut lower = [0u8; 18];
    let lower = lower.get_mut(..head.len())?;
    for (l, b) in lower.iter_mut().zip(head.as_bytes()) {
        *l = b.to_ascii_lowercase();
    }
    label_lowercase(lower)
}

/// The label a lowercased head names (see [`label_named`]).
fn label_lowercase(lower: &[u8]) -> Option<Label> {
    Some(match lower {
        b"fix" | b"suggested fix" | b"recommended fix" | b"proposed fix" | b"fix suggestion"
        | b"suggestion" | b"remediation" | b"recommendation" | b"suggested change" => Label::Fix,
        b"classification" | b"type" | b"category" | b"tags" => Label::Classification,
        b"severity" | b"priority" => Label::Severity,
        b"location" | b"locations" | b"file" | b"files" | b"where" => Label::Location,
        b"problem" | b"issue" | b"description" | b"details" => Label::Problem,
        b"impact"
        | b"why"
        | b"evidence"
        | b"consolidation note"
        | b"note"
        | b"context"
        | b"risk"
        | b"scenario"
        | b"failure mode"
        | b"reproduction"
        | b"example"
        | b"verification" => Label::Other,
        _ => return None,
    })
}

/// The first colon of `line` when the text before it may be a label: no code
/// span, and at most 30 characters that are not `*`, `_` or whitespace.
/// Removing emphasis only drops `*` and `_` and trims, so the label is at least
/// those characters: most lines have no colon, or a long or code-holding text
/// before it, and are not labels. The search stops at the first backtick or
/// the 31st counted ASCII character instead of looking for a colon to the end
/// of the line; non-ASCII characters are counted once a colon is found.
pub(super) fn label_colon(line: &str) -> Option<usize> {
    // Most lines of a finding's body hold no colon at all: one vectorised
    // search says so.
    memchr::memchr(b':', line.as_bytes())?;
    let mut counted = 0;
    for (i, &b) in line.as_bytes().iter().enumerate() {
        match b {
            b':' => {
                let before = &line[..i];
                let chars = before
                    .chars()
                    .filter(|c| !matches!(c, '*' | '_') && !c.is_whitespace())
                    .count();
                return (chars <= 30).then_some(i);
            }
            b'`' => return None,
            // What `char::is_whitespace` is on ASCII.
            b'*' | b'_' | b'\t'..=b'\r' | b' ' => {}
            0..0x80 => {
                counted += 1;
                if counted > 30 {
                    return None;
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether line `i` is a finding title (a heading, or a line or list item opening
/// with bold) directly followed by a block of label lines (`**Severity:** High`,
/// `- **File**: a.go:1`) that names a severity. Looks at most a few lines ahead,
/// so asking it of every line stays linear; the parser asks it only where the
/// answer can matter (outside severity sections).
pub(super) fn severity_labelled_at(lines: &[Line<'_>], i: usize) -> bool {
    const MAX_LABELS: usize = 6;
    let Some(line) = lines.get(i) else {
        return false;
    };
    let title = match &line.kind {
        LineKind::Heading { .. } => true,
        LineKind::Text => {
            let t = line.text.trim();
            t.starts_with("**") && !is_label_line(t)
        }
        LineKind::ListItem { indent, text, .. } => {
            *indent < 2 && text.starts_with("**") && !is_label_line(text)
        }
        _ => false,
    };
    if !title {
        return false;
    }
    let mut labels = 0;
    for next in lines.iter().skip(i + 1) {
        match &next.kind {
            LineKind::Blank if labels == 0 => continue,
            LineKind::Text | LineKind::ListItem { .. } => {}
            _ => break,
        }
        let t = next.text.trim();
        if !is_label_line(t) {
            break;
        }
        let item = strip_bullet(t);
        if label_kind(item) == Some(Label::Severity) {
            let rest = label_of(item).map(|(_, r)| r).unwrap_or_default();
            if first_severity_word(rest).is_some() {
                return true;
            }
        }
        labels += 1;
        if labels >= MAX_LABELS {
            break;
        }
    }
    false
}

pub(super) fn strip_bullet(t: &str) -> &str {
    t.strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .unwrap_or(t)
        .trim_start()
}

/// `**Severity:** High`, `- **File**: x`, `Severity: High`: a short label (a known
/// one, or any bold one of up to three words) and its text.
pub(super) fn is_label_line(t: &str) -> bool {
    let item = strip_bullet(t);
    if label_kind(item).is_some() {
        return true;
    }
    let Some(r) = item.strip_prefix("**") else {
        return false;
    };
    let Some(end) = find_bold(r) else {
        return false;
    };
    let (inside, after) = (&r[..end], &r[end + 2..]);
    let head = inside.trim().trim_end_matches(':').trim();
    (inside.trim_end().ends_with(':') || after.starts_with(':'))
        && !head.is_empty()
        && !head.contains('`')
        && head.split_whitespace().count() <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`label_of`] as it was: the head trimmed and named from the line's
    /// bytes, the text after it trimmed of its `*` and then of white space.
    fn label_of_by_trims(line: &str) -> Option<(Label, &str)> {
        let (label, colon) = match line.strip_prefix("**") {
            Some(r) => {
                let n = r
                    .bytes()
                    .take_while(|b| b.is_ascii_alphabetic() || *b == b' ')
                    .count();
                if n <= 30 && r.as_bytes().get(n) == Some(&b':') {
                    let head = trim_ws(&r[..n]);
                    if head.is_empty() {
                        return None;
                    }
                    label_named(head).map(|label| (label, n + 2))?
                } else {
                    label_at_colon(line)?
                }
            }
            None => label_at_colon(line)?,
        };
        Some((label, trim_ws(line[colon + 1..].trim_start_matches('*'))))
    }

    proptest::proptest! {
        /// A bold label read and lowercased in one pass, and its text passed
        /// to a byte at a time, read as the trims read them.
        #[test]
        fn a_label_read_in_one_pass_agrees_with_the_trims(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "**", "*", " ", "  ", ":", "Fix", "fIX", "Suggested fix", "SEVERITY", "\t",
                    "\u{a0}", "é", "x", "abcdefghijklmnop", "Failure MODE", "_", "`", " (optional)",
                    "consolidation note", "text", "\u{2003}",
                ]),
                0..10,
            ),
            bold in proptest::bool::ANY,
        ) {
            let line = if bold { format!("**{}", parts.concat()) } else { parts.concat() };
            proptest::prop_assert_eq!(label_of(&line), label_of_by_trims(&line), "{:?}", line);
        }
    }

    proptest::proptest! {
        /// A line opening with `**Fix:**` is told the label reading says.
        #[test]
        fn the_fix_shortcut_agrees_with_reading_the_label(
            head in proptest::sample::select(vec![
                "**Fix:**", "**Fix:*", "**Fix:", "**Fix**:", "**fix:**", "**FIX:**", "**Fix :**",
                "** Fix:**", "**Fix:** ", "**Fix:***", "*Fix:**", "**Fixes:**", "**Fi:**",
            ]),
            rest in "[ a*:`é\t]{0,6}",
        ) {
            let line = format!("{head}{rest}");
            proptest::prop_assert_eq!(label_at(&line), label_at_read(&line), "{:?}", line);
            proptest::prop_assert_eq!(label_of(&line), label_of_by_trims(&line), "{:?}", line);
        }
    }

    proptest::proptest! {
        #[test]
        fn trim_start_told_from_the_first_byte_agrees_with_the_chars(
            s in "[ \t\u{b}\u{a0}\u{2003}a*é`]{0,6}",
        ) {
            proptest::prop_assert_eq!(trim_start_ws(&s), s.trim_start());
        }

        /// A plain title is what splitting and cleaning it leave.
        #[test]
        fn a_plain_title_is_what_splitting_and_cleaning_leave(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Title", " ", "\t", "\u{a0}", "-", " — ", "–", "_", "a_b", ":", ",", ")",
                    "(", "(critical, gap)", "`", "`a.go:1`", "é", "x", ".", "🔴", "1", "—",
                ]),
                0..8,
            ),
        ) {
            let raw = parts.concat();
            if let Some(t) = plain_title(&raw) {
                let (title, tail) = split_title(&raw);
                proptest::prop_assert_eq!((title.as_str(), tail.as_str()), (t, ""), "{}", raw);
                proptest::prop_assert_eq!(clean_title_owned(title), t, "{}", raw);
            }
        }
    }
}
