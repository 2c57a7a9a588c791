//! Section stage of review parsing: what a heading or bold-only line announces
//! (summary, findings of a severity, design, testing, coverage, verdict), verdict
//! lines, and the "none" markers of empty sections.

use super::*;

/// The kind of section a line is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Major {
    /// Before any heading.
    Start,
    Summary,
    Findings,
    Design,
    Testing,
    Documentation,
    Limitations,
    Coverage,
    Verdict,
    /// A section this parser does not read (title, commit structure, ...).
    Other,
}

/// What a heading (or bold-only line) announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum HeadingClass {
    Section(Major),
    /// `Findings: none`: a findings wrapper that says it is empty.
    FindingsNone,
    /// A severity section; `true` when its heading says it is empty.
    Severity(Severity, bool),
    Design(ObservationKind),
    Unknown,
}

/// A bold-only line that names a section (`**Critical Issues**`, `**CRITICAL**`,
/// `**Testing Assessment:**`).
pub(super) fn bold_header(trimmed: &str) -> Option<HeadingClass> {
    // The bold closes at the end, before colons and white space: a bold line
    // that ends with an ASCII byte other than these (`**Fix:** Close it.`,
    // most of them) is told by that byte.
    match trimmed.as_bytes().last() {
        Some(b'*' | b':' | b'\t'..=b'\r' | b' ' | 0x80..) => bold_header_trimming(trimmed),
        _ => None,
    }
}

/// [`bold_header`] of any line, read by trimming its end.
pub(super) fn bold_header_trimming(trimmed: &str) -> Option<HeadingClass> {
    let inner = trimmed.strip_prefix("**")?;
    let inner = inner.trim_end().trim_end_matches(':');
    let inner = inner.strip_suffix("**")?;
    let inner = inner.trim().trim_end_matches(':');
    if find_bold(inner).is_some() || inner.is_empty() {
        return None;
    }
    match classify_heading(inner) {
        HeadingClass::Unknown => None,
        c => Some(c),
    }
}

pub(super) fn classify_heading(text: &str) -> HeadingClass {
    // The headings of the review template, which most reviews keep as they
    // are (every heading of the synthetic rounds, and most of the recorded
    // corpus's): told by one compare each, where reading them lowercased
    // them onto the stack, cut their words and named them (some 300
    // instructions a heading).
    if let Some(class) = usual_heading(text) {
        return class;
    }
    classify_heading_read(text)
}

/// The class of a heading that is one of the review template's, spelled as
/// the template spells it; `None` for any other heading. Each class is the
/// one [`classify_heading_read`] gives that text (a test holds every entry
/// to it).
pub(super) fn usual_heading(text: &str) -> Option<HeadingClass> {
    Some(match text {
        "Executive Summary" => HeadingClass::Section(Major::Summary),
        "Critical Issues" => HeadingClass::Severity(Severity::Critical, false),
        "Important Issues" => HeadingClass::Severity(Severity::Important, false),
        "Suggestions" => HeadingClass::Severity(Severity::Suggestion, false),
        "Design Observations" => HeadingClass::Section(Major::Design),
        "Concerns" => HeadingClass::Design(ObservationKind::Concern),
        "Strengths" => HeadingClass::Design(ObservationKind::Strength),
        "Testing Assessment" => HeadingClass::Section(Major::Testing),
        "Documentation Assessment" => HeadingClass::Section(Major::Documentation),
        "Acknowledged Limitations" => HeadingClass::Section(Major::Limitations),
        "Coverage Summary" => HeadingClass::Section(Major::Coverage),
        "Verdict" => HeadingClass::Section(Major::Verdict),
        _ => return None,
    })
}

/// [`classify_heading`] of any heading, read.
pub(super) fn classify_heading_read(text: &str) -> HeadingClass {
    // Most headings are ASCII letters and spaces (`Critical Issues`,
    // `Design Observations`): read as they are, lowercased in one pass.
    let mut buf = [0u8; 64];
    if let Some(lower) = plain_heading_lowercased(text, &mut buf) {
        return classify_plain(text, lower);
    }
    classify_marked_heading(text)
}

/// What [`classify_name`] makes of the lowercased copy `lower` of `text`, a
/// plain heading ([`plain_heading_lowercased`]), read from its bytes: such a
/// heading has no mark and says no "none", its words are cut at spaces only,
/// and its first word's severity is that of the same letters in `text`
/// (severity words are read in any case). The bytes are never made a
/// `str`, which took a UTF-8 check of some 70 instructions a heading, and
/// its words are cut by a loop over spaces instead of an iterator that
/// also looks for other white space.
pub(super) fn classify_plain(text: &str, lower: &[u8]) -> HeadingClass {
    let first_end = lower.iter().position(|&c| c == b' ').unwrap_or(lower.len());
    // The heading's letters are ASCII: `first_end` is a char boundary.
    if let Some(sev) = Severity::from_word(&text[..first_end]) {
        let mut words = lower[first_end..]
            .split(|&c| c == b' ')
            .filter(|w| !w.is_empty());
        let (mut count, mut all) = (0, true);
        for w in words.by_ref() {
            count += 1;
            all &= is_severity_heading_word_bytes(w);
            if !all || count > 2 {
                break;
            }
        }
        if all && count <= 2 {
            return HeadingClass::Severity(sev, false);
        }
    }
    named_section_bytes(lower, false)
}

/// The lowercased copy, in `buf`, of a heading of ASCII letters and spaces
/// that opens and ends with a letter and fits `buf`; `None` for any other.
/// Such a heading holds no emphasis, numbering, decoration or white space to
/// trim, no `:` and no mark (`(`, `—`, `–`): what
/// [`classify_marked_heading`] reads of it is its lowercased text, as the
/// name, without a mark and not empty. The letters and spaces are told in
/// the loop that lowercases them, without a branch (`| 0x20` lowercases an
/// ASCII letter and leaves a space as it is), which saves about half the
/// 1,200 instructions a heading took.
pub(super) fn plain_heading_lowercased<'b>(text: &str, buf: &'b mut [u8; 64]) -> Option<&'b [u8]> {
    let b = text.as_bytes();
    let (first, last) = (b.first()?, b.last()?);
    if !(first.is_ascii_alphabetic() && last.is_ascii_alphabetic()) {
        return None;
    }
    let lower = buf.get_mut(..b.len())?;
    let mut plain = true;
    for (l, &c) in lower.iter_mut().zip(b) {
        plain &= c.is_ascii_alphabetic() | (c == b' ');
        *l = c | 0x20;
    }
    plain.then_some(lower)
}

/// `s` with its ASCII letters lowercased: in `buf` when it fits (a heading or a
/// table cell is short, and an allocation made and dropped for each would cost
/// more than the copy), else in `heap`.
#[inline]
pub(super) fn ascii_lowercase_on_stack<'a>(
    s: &str,
    buf: &'a mut [u8; 64],
    heap: &'a mut String,
) -> &'a str {
    // Lowercasing ASCII bytes keeps UTF-8 valid: never the default.
    std::str::from_utf8(ascii_lowercase_bytes_on_stack(s, buf, heap)).unwrap_or_default()
}

/// [`ascii_lowercase_on_stack`] as bytes, for a reader that needs no `str`
/// (a coverage status, which is made one, at the cost of a UTF-8 check of
/// some 60 instructions, only when it may count findings).
#[inline]
pub(super) fn ascii_lowercase_bytes_on_stack<'a>(
    s: &str,
    buf: &'a mut [u8; 64],
    heap: &'a mut String,
) -> &'a [u8] {
    match buf.get_mut(..s.len()) {
        Some(b) => {
            for (l, c) in b.iter_mut().zip(s.bytes()) {
                *l = c.to_ascii_lowercase();
            }
            b
        }
        None => {
            *heap = s.to_ascii_lowercase();
            heap.as_bytes()
        }
    }
}

/// [`classify_heading`] of any heading: its emphasis removed, its numbering
/// and decoration trimmed, lowercased, and its mark looked for.
pub(super) fn classify_marked_heading(text: &str) -> HeadingClass {
    // Borrowed when the heading has no emphasis (most headings).
    let s = strip_emphasis_cow(text);
    let s = heading_name(&s);
    // Lowercased on the stack (headings are short), and no vector of words:
    // a heading is classified without an allocation.
    let (mut buf, mut copy) = ([0u8; 64], String::new());
    let lower = ascii_lowercase_on_stack(s, &mut buf, &mut copy);
    let lower = severity_label_stripped(lower.trim_end_matches(':').trim());
    // `Critical Issues — None`, `Critical Issues (0)`, `Suggestions: none`.
    let mark = heading_mark(lower);
    let (name, none) = match mark {
        Some(i) => {
            let rest = &lower[i..];
            (
                lower[..i].trim(),
                rest.contains("none") || rest.contains("(0)"),
            )
        }
        None => (lower, false),
    };
    classify_name(name, lower, mark, none)
}

/// What a heading announces, from its lowercased `name`, the lowercased
/// text it was cut from, where that text's mark is, and whether the mark
/// says the section is empty.
pub(super) fn classify_name(
    name: &str,
    lower: &str,
    mark: Option<usize>,
    none: bool,
) -> HeadingClass {
    // An ASCII name (almost every name) is cut into words a byte at a time:
    // `split_whitespace` decodes each character, some 120 instructions a
    // word, and a heading's words were read two or three times.
    if name.is_ascii() {
        classify_words(ascii_words(name), name, lower, mark, none)
    } else {
        classify_words(name.split_whitespace(), name, lower, mark, none)
    }
}

/// [`classify_name`] of a name cut into `words`.
fn classify_words<'a>(
    mut words: impl Iterator<Item = &'a str> + Clone,
    name: &str,
    lower: &str,
    mark: Option<usize>,
    none: bool,
) -> HeadingClass {
    if let Some(first) = words.next() {
        // `P1 — Nil map write` is a finding; `P1`, `P1 (2)` and `P1 — none` are
        // severity sections.
        let priority_titled =
            is_priority_id(first) && mark.is_some_and(|i| !is_count_or_none(&lower[i..]));
        if let Some(sev) = Severity::from_word(first).filter(|_| !priority_titled) {
            if words.clone().all(is_severity_heading_word) && words.count() <= 2 {
                return HeadingClass::Severity(sev, none);
            }
        }
    }
    named_section(name, none)
}

/// `s.split_whitespace()` of an ASCII `s`: the white space of ASCII text
/// is `\t` to `\r` and the space, cut at a byte at a time (so at char
/// boundaries).
pub(super) fn ascii_words(s: &str) -> impl Iterator<Item = &str> + Clone {
    let b = s.as_bytes();
    let ws = |c: &u8| matches!(c, b'\t'..=b'\r' | b' ');
    let mut i = 0;
    std::iter::from_fn(move || {
        while b.get(i).is_some_and(ws) {
            i += 1;
        }
        let start = i;
        while b.get(i).is_some_and(|c| !ws(c)) {
            i += 1;
        }
        s.get(start..i).filter(|w| !w.is_empty())
    })
}

/// A heading's text (emphasis removed) without its numbering and
/// decoration, trimmed.
pub(super) fn heading_name(s: &str) -> &str {
    let s = s
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')')
        .trim();
    // Decoration before the name: `🔴 Critical`, `⚠️ Important Issues` (emoji,
    // variation selectors, joiners; never ASCII, so `[x]` and `` `x` `` stay).
    s.trim_start_matches(|c: char| !c.is_ascii() && !c.is_alphanumeric())
        .trim()
}

/// `Severity: High`, `Priority: P1` (lowercased): the label names the
/// severity that follows, which is what is classified.
pub(super) fn severity_label_stripped(lower: &str) -> &str {
    match ["severity:", "priority:"]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
    {
        Some(r) if Severity::from_word(r.trim()).is_some() => r.trim(),
        _ => lower,
    }
}

/// The byte position of the first `—`, `–`, `(` or `:` of `s`: what
/// `s.find(['—', '–', '(', ':'])` finds, read by bytes (both dashes are
/// `0xE2 0x80` then `0x94` or `0x93`, bytes no other character holds there).
pub(super) fn heading_mark(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| match b[i] {
        b'(' | b':' => true,
        0xE2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x93 | 0x94)),
        _ => false,
    })
}

/// A word that may follow the severity word of a severity heading.
pub(super) fn is_severity_heading_word(w: &str) -> bool {
    is_severity_heading_word_bytes(w.as_bytes())
}

/// [`is_severity_heading_word`] of a word's bytes.
fn is_severity_heading_word_bytes(w: &[u8]) -> bool {
    matches!(
        w,
        b"issues" | b"issue" | b"findings" | b"finding" | b"severity" | b"priority"
    )
}

/// The section a heading's lowercased name announces.
pub(super) fn named_section(name: &str, none: bool) -> HeadingClass {
    named_section_bytes(name.as_bytes(), none)
}

/// [`named_section`] of a name's bytes (a plain heading's lowercased copy
/// is read as bytes, never checked to be a `str`).
fn named_section_bytes(name: &[u8], none: bool) -> HeadingClass {
    let major = match name {
        b"executive summary" | b"summary" | b"overview" | b"tl;dr" => Major::Summary,
        b"findings" | b"issues" | b"review findings" | b"detailed findings" | b"issues found" => {
            Major::Findings
        }
        b"design observations"
        | b"design"
        | b"design notes"
        | b"architecture"
        | b"design review" => Major::Design,
        b"testing assessment" | b"testing" | b"tests" | b"test coverage" | b"test assessment" => {
            Major::Testing
        }
        b"documentation assessment" | b"documentation" | b"docs" => Major::Documentation,
        b"acknowledged limitations" | b"limitations" | b"known limitations" => Major::Limitations,
        b"coverage summary" | b"coverage" | b"files reviewed" | b"file coverage" => Major::Coverage,
        b"verdict"
        | b"recommendation"
        | b"overall verdict"
        | b"final verdict"
        | b"overall assessment" => Major::Verdict,
        b"concerns" => return HeadingClass::Design(ObservationKind::Concern),
        b"strengths" => return HeadingClass::Design(ObservationKind::Strength),
        _ => return HeadingClass::Unknown,
    };
    if major == Major::Findings && none {
        return HeadingClass::FindingsNone;
    }
    HeadingClass::Section(major)
}

/// A heading that is a severity word and a title: `Critical: Nil map write`,
/// `2. High — Lease lapses`, `🔴 P1: Title`. Not `Critical Issues: none`, `High —
/// 1 finding` or a one-word rest, which are severity sections.
pub(super) fn severity_prefixed_title(text: &str) -> Option<(Severity, String)> {
    // The word ends at a `:`, `—` or `–`, which removing emphasis and trimming
    // keep: a heading without one (most section headings) is told by a
    // vectorised search, without a copy. Both dashes open with the byte 0xE2.
    memchr::memchr2(b':', 0xE2, text.as_bytes())?;
    severity_prefixed_title_copying(text)
}

/// [`severity_prefixed_title`] of any heading, read through a copy without
/// its emphasis.
pub(super) fn severity_prefixed_title_copying(text: &str) -> Option<(Severity, String)> {
    let s = strip_emphasis(text);
    let s = s
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')')
        .trim_start_matches(|c: char| c.is_whitespace() || !c.is_ascii() && !c.is_alphanumeric());
    let i = s.find([':', '—', '–'])?;
    let word = s[..i].trim();
    if word.is_empty() || word.contains(' ') {
        return None;
    }
    let sev = Severity::from_word(word)?;
    let rest = s[i..].trim_start_matches([':', '—', '–']).trim();
    if rest.split_whitespace().count() < 2
        || is_count_or_none(&rest.to_ascii_lowercase())
        || is_none_marker(rest)
    {
        return None;
    }
    Some((sev, rest.to_string()))
}

/// `P0` to `P3` (any case): a priority id.
pub(super) fn is_priority_id(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 2 && matches!(b[0], b'p' | b'P') && (b'0'..=b'3').contains(&b[1])
}

/// The rest of a severity heading after its name is only a count or an empty
/// marker: `(2)`, `— 1 finding`, `: none`.
pub(super) fn is_count_or_none(rest: &str) -> bool {
    rest.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .all(|w| {
            matches!(
                w,
                "none" | "finding" | "findings" | "issue" | "issues" | "item" | "items" | "total"
            )
        })
}

/// `**Verdict:** text`, `Verdict: text`, `Recommendation: text`, `**Verdict: Approve** — why`.
pub(super) fn verdict_of(line: &str) -> Option<String> {
    // Most lines name no verdict label: they are decided by their shape and
    // one pass over their bytes, with no copy.
    if !may_hold_verdict(line) {
        return None;
    }
    verdict_of_named(line)
}

/// False when [`verdict_of_named`] finds no verdict in `line`: a verdict is a
/// table row, a bold label or a label before a colon (`:` is never added by
/// removing emphasis), and its label names it.
pub(super) fn may_hold_verdict(line: &str) -> bool {
    let t = trim_ws(line);
    (t.starts_with('|') || t.starts_with("**") || colon_after_label_end(line))
        && mentions_verdict(line)
}

/// Whether a colon of `line` follows a `t` or an `n` (any case), with only
/// `*`, `_`, white space or non-ASCII bytes between: a label read before a
/// colon ends with `verdict` or `recommendation`, and between its last letter
/// and the colon it may only have had emphasis removed and white space
/// trimmed. Most lines with a colon (`a.go:12`) are told by one byte.
pub(super) fn colon_after_label_end(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b':', b).any(|colon| {
        b[..colon]
            .iter()
            .rev()
            .find(|&&c| !(matches!(c, b'*' | b'_' | b'\t'..=b'\r' | b' ') || c >= 0x80))
            .is_some_and(|&c| matches!(c | 0x20, b't' | b'n'))
    })
}

/// Whether `line` holds `verdict` or `recommendation` in any ASCII case once
/// its `*` and `_` are dropped: every verdict label holds one of these words,
/// and [`verdict_of_named`] reads labels out of the line with at most its `*`
/// and `_` removed (and, in a table, `\|` read as `|`, which holds no letter).
///
/// Each word holds one `d`: only the `d`s of the line, found by a vectorised
/// search, are read around (the lines asked are table rows and bold labels,
/// whose every byte the stepping form, `mentions_verdict_by_steps` in the
/// tests, read).
///
/// The letters after a `d` are read before the letters before it: a forward
/// read stops at the first letter that differs (the `a` of `daemon`, the
/// space after `Reviewed`), where the backward one walked a reversed,
/// filtered iterator first (`verdict_of` 2.11 → 1.87 M instructions for the
/// table rows and bold lines of 200 synthetic rounds). Both tests are pure,
/// so their order decides nothing.
pub(super) fn mentions_verdict(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr2_iter(b'd', b'D', b).any(|d| {
        let (before, after) = (&b[..d], &b[d + 1..]);
        (starts_with_letters(after, b"ict") && ends_with_letters(before, b"ver"))
            || (starts_with_letters(after, b"ation") && ends_with_letters(before, b"recommen"))
    })
}

/// Whether `text`, its `*` and `_` dropped and ASCII lowercased, starts with
/// `word` (lowercase letters).
fn starts_with_letters(text: &[u8], word: &[u8]) -> bool {
    let mut letters = text.iter().filter(|&&c| !matches!(c, b'*' | b'_'));
    word.iter()
        .all(|&w| letters.next().is_some_and(|&c| c.to_ascii_lowercase() == w))
}

/// Whether `text`, its `*` and `_` dropped and ASCII lowercased, ends with
/// `word` (lowercase letters).
fn ends_with_letters(text: &[u8], word: &[u8]) -> bool {
    let mut letters = text.iter().rev().filter(|&&c| !matches!(c, b'*' | b'_'));
    word.iter()
        .rev()
        .all(|&w| letters.next().is_some_and(|&c| c.to_ascii_lowercase() == w))
}

/// [`verdict_of`] once the line may name a verdict.
pub(super) fn verdict_of_named(line: &str) -> Option<String> {
    let trimmed = line.trim();
    // `| **Verdict** | Approve |` (a row of a summary table).
    if trimmed.starts_with('|') {
        let cells = table_cells(trimmed);
        let head = cells
            .first()
            .map(|c| strip_emphasis(c).to_ascii_lowercase());
        if head.as_deref().is_some_and(is_verdict_label) {
            let v = strip_emphasis(cells.get(1)?);
            return (!v.is_empty()).then_some(v);
        }
        return None;
    }
    // `**Verdict** Needs changes`: a bold label without a colon.
    if let Some(r) = trimmed.strip_prefix("**") {
        if let Some(end) = find_bold(r) {
            let label = r[..end].trim().to_ascii_lowercase();
            let rest = r[end + 2..].trim();
            if is_verdict_label(&label) && !rest.is_empty() && !rest.starts_with(':') {
                return Some(strip_emphasis(rest));
            }
        }
    }
    let s = strip_emphasis(trimmed);
    let s = s.trim_start_matches(['-', '#', ' ']);
    // The label opens the line, a `|`-separated part of it (`**Author:** x |
    // **Verdict:** y`), or a sentence (`... pass. Verdict: Approve.`).
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    while let Some(rel) = lower[from..].find(':') {
        let colon = from + rel;
        let before = &lower[..colon];
        let label_start = before.rfind(['|', '.']).map_or(0, |i| i + 1);
        let label = before[label_start..].trim();
        if is_verdict_label(label) {
            let rest = s[colon + 1..].split(" | ").next().unwrap_or("").trim();
            // A verdict inside prose ends with its sentence.
            let rest = if label_start > 0 {
                rest.split(". ").next().unwrap_or(rest)
            } else {
                rest
            };
            let rest = rest.trim();
            return (!rest.is_empty()).then(|| rest.to_string());
        }
        from = colon + 1;
    }
    None
}

pub(super) fn is_verdict_label(label: &str) -> bool {
    matches!(
        label.trim(),
        "verdict"
            | "recommendation"
            | "overall verdict"
            | "final verdict"
            | "overall recommendation"
    )
}

/// `None.`, `None found.`, `No issues.`, `_None._`, `- None identified`.
pub(super) fn is_none_marker(text: &str) -> bool {
    // Every marker opens with `n` in any case once the emphasis, white space,
    // dashes, dots and underscores before it are dropped, and dropping them
    // only removes characters: most texts (an item, a finding's title) are
    // told by their first letter, without a copy.
    let mut chars = text.chars();
    let first = chars.find(|&c| !(c.is_whitespace() || matches!(c, '-' | '*' | '_' | '.')));
    if !matches!(first, Some('n' | 'N')) {
        return false;
    }
    // After its `n`, a marker goes on with `/` (`n/a`), or with `o` then `n`
    // or `t` (`none`, `nothing`) or a space and `i`, `f`, `c` or `s` (`no
    // issues`, `no findings`, `no critical`, ...). Removing emphasis drops
    // only `*` and `_` there, which are skipped: a character read after them
    // that differs is one the copy holds too (or the copy holds a kept `*` or
    // `_`), so it is no marker. The items of a testing section (`No test
    // covers ...`) are told here, without the copy.
    let mut next = || {
        chars
            .find(|&c| !matches!(c, '*' | '_'))
            .map(|c| c.to_ascii_lowercase())
    };
    let may_be = match next() {
        Some('/') => true,
        Some('o') => match next() {
            Some('n' | 't') => true,
            Some(' ') => matches!(next(), Some('i' | 'f' | 'c' | 's')),
            _ => false,
        },
        _ => false,
    };
    may_be && is_none_marker_copying(text)
}

/// [`is_none_marker`] of any text, read through a copy without its emphasis.
pub(super) fn is_none_marker_copying(text: &str) -> bool {
    let s = strip_emphasis(text);
    let s = s
        .trim()
        .trim_start_matches(['-', '*', ' '])
        .trim_matches(|c: char| c == '_' || c == '.' || c == ' ' || c == '*')
        .to_ascii_lowercase();
    if s.chars().count() > 80 {
        return false;
    }
    s == "none"
        || s == "n/a"
        || s.starts_with("none ")
        || s.starts_with("none.")
        || s.starts_with("none,")
        || s.starts_with("none—")
        || s.starts_with("none —")
        || s.starts_with("no issues")
        || s.starts_with("no findings")
        || s.starts_with("no critical")
        || s.starts_with("no important")
        || s.starts_with("no suggestions")
        || s.starts_with("nothing")
}

/// A sentence saying the review found nothing at all.
pub(super) fn says_no_findings(text: &str) -> bool {
    // Every phrase below holds `no` (`not`, `nothing`): a line without it in
    // any ASCII case is told without a lowercased copy.
    let b = text.as_bytes();
    if !memchr::memchr2_iter(b'n', b'N', b).any(|i| b.get(i + 1).is_some_and(|&c| c | 0x20 == b'o'))
    {
        return false;
    }
    says_no_findings_lowercased(text)
}

/// [`says_no_findings`] of any line, read through a lowercased copy.
pub(super) fn says_no_findings_lowercased(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    [
        "no issues found",
        "found no issues",
        "no issues were found",
        "no findings",
        "did not find any issues",
        "no actionable findings",
        "no problems found",
        "nothing to report",
    ]
    .iter()
    .any(|p| l.contains(p))
        && !l.contains("critical")
}

/// Prose that looks like a finding line we could not read (an id or tag at the start).
pub(super) fn looks_like_finding(text: &str) -> bool {
    let s = text.trim_start_matches(['*', '#', ' ', '-']);
    let mut chars = s.chars();
    let first = chars.next();
    let second = chars.next();
    matches!(first, Some('C' | 'I' | 'S')) && second.is_some_and(|c| c.is_ascii_digit())
        || s.starts_with('[')
            && s.find(']')
                .is_some_and(|i| Severity::from_word(&s[1..i]).is_some())
}
