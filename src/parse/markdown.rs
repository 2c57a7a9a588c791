//! A small line-level markdown scanner shared by the review and report parsers.
//!
//! Why not a full CommonMark parser: the reviews we read are written by models in
//! a loose dialect (headings that are really bold lines, numbered items whose
//! continuation is not indented, tables inside list items). What matters is a
//! faithful, line-numbered view of headings, fences, tables and list items that
//! never hides text; a CommonMark tree would nest and reflow it. The scanner only
//! classifies lines and tracks fenced code blocks, so a `# comment` inside a code
//! block is never a heading.

use std::borrow::Cow;

/// What one line of markdown is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind<'a> {
    /// An ATX heading (`### Title`), level 1 to 6, text without `#`s.
    Heading {
        /// 1 to 6.
        level: u8,
        /// Heading text, trimmed, closing `#`s removed.
        text: &'a str,
    },
    /// A fence line opening or closing a code block (```` ``` ```` or `~~~`).
    Fence,
    /// A line inside a fenced code block.
    Code,
    /// A table row (`| a | b |`); separator rows (`|---|`) are [`LineKind::TableRule`].
    TableRow,
    /// A table separator row.
    TableRule,
    /// A list item: `- x`, `* x`, `1. x`, `2) x`.
    ListItem {
        /// Leading spaces before the marker.
        indent: usize,
        /// `Some(n)` for ordered items.
        number: Option<u32>,
        /// Text after the marker, trimmed.
        text: &'a str,
    },
    /// A horizontal rule (`---`, `***`).
    Rule,
    /// An empty or whitespace-only line.
    Blank,
    /// Anything else.
    Text,
}

/// One classified line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number in the scanned text.
    pub no: u32,
    /// How many spaces open the line (at most `u32::MAX`), as the scan
    /// counted them: where [`Line::trimmed`] cuts most lines.
    pub spaces: u32,
    /// The line without its line ending.
    pub text: &'a str,
    /// What it is.
    pub kind: LineKind<'a>,
}

impl<'a> Line<'a> {
    /// The line's text trimmed, as [`trim_ws`] trims it. A line whose first
    /// byte after its spaces and whose last byte are printable ASCII (most
    /// lines) starts after the spaces the scan counted, without counting
    /// them again in a call; any other line is trimmed by [`trim_ws`].
    #[inline]
    pub fn trimmed(&self) -> &'a str {
        let b = self.text.as_bytes();
        let n = self.spaces as usize;
        let printable = |c: &u8| c.wrapping_sub(b'!') <= b'~' - b'!';
        match (b.get(n), b.last()) {
            // The bytes before `n` are spaces: `n` is a char boundary.
            (Some(first), Some(last)) if printable(first) && printable(last) => &self.text[n..],
            _ => trim_ws(self.text),
        }
    }
}

/// Classifies every line of `text`. `first_line` is the line number of its first
/// line (so a slice of a larger document keeps the document's numbering).
pub fn scan(text: &str, first_line: u32) -> Vec<Line<'_>> {
    scan_noting(text, first_line).lines
}

/// The lines [`scan`] classifies, with what the review parser asks of all of
/// them before it reads them.
#[derive(Debug)]
pub struct Scanned<'a> {
    /// The lines, as [`scan`] gives them.
    pub lines: Vec<Line<'a>>,
    /// A line ends with a space, a tab or a `\r` (what `normalize::normalize`
    /// removes).
    pub padded: bool,
    /// A line may open, close or continue a wrapper
    /// (`wrappers::may_be_wrapper_line` holds for it).
    pub may_wrap: bool,
}

/// [`scan`], also saying whether a line of `text` ends with a space, a tab or
/// a `\r` (what `normalize::normalize` removes): the line ends the scan finds
/// tell it, without a pass of their own.
pub fn scan_noting_padding(text: &str, first_line: u32) -> (Vec<Line<'_>>, bool) {
    let scanned = scan_noting(text, first_line);
    (scanned.lines, scanned.padded)
}

/// [`scan`], noting the padding at line ends and the lines a wrapper may hold
/// ([`Scanned`]) as it reads each line: the first byte after a line's spaces,
/// which classifying the line reads anyway, tells most lines no wrapper line
/// without a pass over the lines of its own.
pub fn scan_noting(text: &str, first_line: u32) -> Scanned<'_> {
    // Sized once, from the count: growing a vector of a line per line copies
    // it again and again, and a size guessed from the text's length (about 1.3
    // M fewer instructions for 200 rounds) reserved up to twice the text's
    // size in lines for a review of long lines.
    scan_noting_into(
        text,
        first_line,
        Vec::with_capacity(count_newlines(text) + 1),
    )
}

/// [`scan_noting`], its lines pushed onto `out` once it is cleared: a
/// caller that scans text after text passes the vector of the last one back
/// (its room is what a text of as many lines needs), so that the text's
/// lines are neither counted first (a pass over all of its bytes) nor given
/// a new vector. A vector without room grows as lines come.
pub fn scan_noting_into<'a>(text: &'a str, first_line: u32, mut out: Vec<Line<'a>>) -> Scanned<'a> {
    out.clear();
    let mut fence: Option<(char, usize)> = None;
    let mut padded = false;
    let mut may_wrap = false;
    // Counted as it goes, saturating where `first_line` plus the index would.
    let mut no = first_line;
    for (raw, pad) in lines_noting_padding(text) {
        padded |= pad;
        let b = raw.as_bytes();
        let n = b.iter().take_while(|&&c| c == b' ').count();
        // A wrapper line opens, after its white space, with one of these
        // bytes or a non-ASCII character (a Unicode space, which the wrapper
        // test trims): a line of spaces, or whose first byte after them is
        // another ASCII byte and no white space, is none.
        may_wrap |= match b.get(n) {
            None => false,
            Some(&c) if c.is_ascii() && !matches!(c, b'\t'..=b'\r' | b'`' | b'~' | b'>' | b'<') => {
                false
            }
            Some(_) => crate::parse::wrappers::may_be_wrapper_line(raw),
        };
        let kind = match fence {
            Some((ch, len)) => closing_or_code(raw, ch, len, &mut fence),
            None => match plain_kind_after(raw, n) {
                Some(kind) => kind,
                // A line whose first byte after its spaces is ASCII, no white
                // space and no fence character (a heading, a table row, a
                // bullet) opens no fence: `fence_opening` would refuse it at
                // that byte, which is known here without its search.
                None if b.get(n).is_some_and(|&c| {
                    c.is_ascii() && !matches!(c, b'\t'..=b'\r' | b'`' | b'~')
                }) =>
                {
                    classify(raw)
                }
                None => opening_or_classify(raw, &mut fence),
            },
        };
        out.push(Line {
            no,
            spaces: u32::try_from(n).unwrap_or(u32::MAX),
            text: raw,
            kind,
        });
        no = no.saturating_add(1);
    }
    Scanned {
        lines: out,
        padded,
        may_wrap,
    }
}

/// The kind of a line outside a code block that is blank, prose, a numbered
/// item or a bold label, told by its first bytes after its leading spaces
/// (half the lines of a review are blank, and a finding's body lines are
/// indented prose or labels); `None` for any
/// other line, left to [`fence_opening`] and [`classify`]. A line of spaces
/// only is blank; a line whose first byte after its spaces is ASCII, no
/// white space, no fence character and none of the bytes [`classify`] looks
/// at first opens no fence and, trimmed, opens with that byte: it is text.
/// A line opening (after its spaces) with a digit or with `**` and a letter
/// or digit opens no fence either, and is read as [`classify`] reads it.
///
/// `n` is the count of the line's leading spaces, counted once by the scan
/// for this and for the wrapper test.
#[inline]
fn plain_kind_after(raw: &str, n: usize) -> Option<LineKind<'_>> {
    let b = raw.as_bytes();
    match b.get(n) {
        None => Some(LineKind::Blank),
        Some(c)
            if c.is_ascii()
                && !matches!(
                    c,
                    b'\t'..=b'\r'
                        | b' '
                        | b'#'
                        | b'|'
                        | b'-'
                        | b'*'
                        | b'_'
                        | b'+'
                        | b'0'..=b'9'
                        | b'<'
                        | b'`'
                        | b'~'
                ) =>
        {
            Some(LineKind::Text)
        }
        // A numbered item, or text: no heading, table row or rule opens
        // with a digit, and the indent is the spaces before it.
        Some(b'0'..=b'9') => Some(list_item(raw, n).unwrap_or(LineKind::Text)),
        // A bold label (`**Fix:**`): a word right after `**` makes it no
        // rule, and no list item.
        Some(b'*')
            if b.get(n + 1) == Some(&b'*')
                && b.get(n + 2).is_some_and(u8::is_ascii_alphanumeric) =>
        {
            Some(LineKind::Text)
        }
        Some(_) => None,
    }
}

/// The lines of `text` as `text.lines()` cuts them, each line end found by a
/// vectorised search (lines end at `\n`, a `\r` before it is dropped, and a
/// last line without `\n` is kept as it is when it is not empty), each with
/// whether it ended with a space, a tab or a `\r` before its `\r` was
/// dropped: a segment of `text.split('\n')` ends so exactly when the line cut
/// from it does (an empty last segment is no line, and ends with nothing).
///
/// An empty line (half the lines of a review) is told by its first byte, a
/// `\n`, without a search: each search is a call of some forty
/// instructions, even when the line end is the byte it starts at.
fn lines_noting_padding(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let pad = |line: &str| matches!(line.as_bytes().last(), Some(b' ' | b'\t' | b'\r'));
    let b = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        let rest = b.get(start..).filter(|r| !r.is_empty())?;
        let end = if rest[0] == b'\n' {
            Some(start)
        } else {
            memchr::memchr(b'\n', rest).map(|i| start + i)
        };
        match end {
            Some(end) => {
                // `\n` is ASCII: `start` and `end` are char boundaries.
                let line = &text[start..end];
                start = end + 1;
                Some((line.strip_suffix('\r').unwrap_or(line), pad(line)))
            }
            None => {
                let line = &text[start..];
                start = text.len();
                Some((line, pad(line)))
            }
        }
    })
}

/// How many `\n` bytes `text` holds: memchr's counting routine, which reads
/// 32 bytes an instruction where the machine allows (a byte count per
/// 128-byte block, which the compiler vectorised for 16, took twice the
/// instructions).
fn count_newlines(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count()
}

/// The opening line of a fenced code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FenceOpen {
    /// `` ` `` or `~`.
    pub ch: char,
    /// How many of them (3 or more); only a fence at least as long closes it.
    pub len: usize,
    /// The info string's first word, lowercased (`go`, `markdown`), or empty.
    pub info: String,
    /// True when the info string says the block holds markup (`markdown`, `md`,
    /// `gfm`, `text`, ...) rather than code.
    pub info_is_markup: bool,
}

/// Reads a fence opening line (CommonMark): three or more backticks or tildes,
/// then an optional info string (which, for backticks, may not hold a backtick).
pub fn fence_opening(line: &str) -> Option<FenceOpen> {
    // A line whose first byte after its ASCII indent is ASCII and no fence
    // character (most lines, indented or not) is decided without trimming it
    // by characters.
    match line.bytes().find(|b| !matches!(b, b'\t'..=b'\r' | b' ')) {
        None => return None,
        Some(b) if b.is_ascii() && b != b'`' && b != b'~' => return None,
        Some(_) => {}
    }
    fence_opening_by_chars(line)
}

/// [`fence_opening`] of any line, trimmed by characters.
fn fence_opening_by_chars(line: &str) -> Option<FenceOpen> {
    let t = line.trim_start();
    // Indented fences (inside list items) are still fences in practice.
    let ch = t.chars().next()?;
    if ch != '`' && ch != '~' {
        return None;
    }
    let len = t.chars().take_while(|&c| c == ch).count();
    if len < 3 {
        return None;
    }
    let rest = &t[len..];
    if ch == '`' && rest.contains('`') {
        return None;
    }
    let info = rest
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(['{', '}', '.'])
        .to_ascii_lowercase();
    let info_is_markup = matches!(
        info.as_str(),
        "markdown" | "md" | "gfm" | "commonmark" | "mdx" | "text" | "txt" | "plain" | "plaintext"
    );
    Some(FenceOpen {
        ch,
        len,
        info,
        info_is_markup,
    })
}

/// True when `line` closes a fence of `len` characters `ch`: only that character,
/// at least as many (CommonMark), surrounding spaces allowed.
pub fn closes_fence(line: &str, ch: char, len: usize) -> bool {
    let t = line.trim();
    t.len() >= len && t.chars().all(|c| c == ch)
}

/// Classifies one line on its own, as if no code block were open.
pub fn classify_line(raw: &str) -> LineKind<'_> {
    classify(raw)
}

/// The kind of a line inside a code block opened by `len` of `ch`: the fence
/// that closes it (noted in `fence`), or code.
fn closing_or_code<'a>(
    raw: &str,
    ch: char,
    len: usize,
    fence: &mut Option<(char, usize)>,
) -> LineKind<'a> {
    if closes_fence(raw, ch, len) {
        *fence = None;
        LineKind::Fence
    } else {
        LineKind::Code
    }
}

/// The kind of a line outside a code block: a fence that opens one (noted in
/// `fence`), or what [`classify`] reads.
fn opening_or_classify<'a>(raw: &'a str, fence: &mut Option<(char, usize)>) -> LineKind<'a> {
    match fence_opening(raw) {
        Some(open) => {
            *fence = Some((open.ch, open.len));
            LineKind::Fence
        }
        None => classify(raw),
    }
}

fn classify(raw: &str) -> LineKind<'_> {
    let trimmed = trim_ws(raw);
    // `<details>` / `<summary>` lines wrap markdown; they read as blank lines.
    // `is_html_container` is false unless its trimmed line opens with `<`.
    if trimmed.is_empty()
        || trimmed.starts_with('<') && crate::parse::wrappers::is_html_container(trimmed)
    {
        return LineKind::Blank;
    }
    // Every other kind opens (once trimmed) with one of these bytes: a heading
    // `#`, a table `|`, a rule `-` `*` `_`, a list item `-` `*` `+` or a digit.
    // Most prose lines are decided by their first byte.
    if !matches!(
        trimmed.as_bytes().first(),
        Some(b'#' | b'|' | b'-' | b'*' | b'_' | b'+' | b'0'..=b'9')
    ) {
        return LineKind::Text;
    }
    classify_marked(raw, trimmed)
}

/// [`classify`] of a line that is not blank, `trimmed` being `raw.trim()`.
fn classify_marked<'a>(raw: &'a str, trimmed: &'a str) -> LineKind<'a> {
    let indent = raw.len() - raw.trim_start().len();
    if indent < 4 {
        if let Some(h) = heading(trimmed) {
            return h;
        }
    }
    if trimmed.starts_with('|') {
        let is_rule = trimmed
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
            && trimmed.contains('-');
        return if is_rule {
            LineKind::TableRule
        } else {
            LineKind::TableRow
        };
    }
    if trimmed.len() >= 3
        && (trimmed.chars().all(|c| c == '-' || c == ' ')
            || trimmed.chars().all(|c| c == '*' || c == ' ')
            || trimmed.chars().all(|c| c == '_' || c == ' '))
        && trimmed.chars().filter(|c| !c.is_whitespace()).count() >= 3
    {
        return LineKind::Rule;
    }
    if let Some(item) = list_item(raw, indent) {
        return item;
    }
    LineKind::Text
}

fn heading(trimmed: &str) -> Option<LineKind<'_>> {
    let level = trimmed.chars().take_while(|&c| c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &trimmed[level..];
    if !rest.is_empty() && !rest.starts_with(' ') && !rest.starts_with('\t') {
        return None;
    }
    let text = rest.trim();
    let text = text.trim_end_matches('#').trim_end();
    Some(LineKind::Heading {
        level: level as u8,
        text,
    })
}

fn list_item(raw: &str, indent: usize) -> Option<LineKind<'_>> {
    let t = &raw[indent..];
    let mut chars = t.char_indices();
    let (_, first) = chars.next()?;
    if matches!(first, '-' | '*' | '+') {
        let rest = &t[1..];
        if rest.starts_with(' ') || rest.starts_with('\t') {
            return Some(LineKind::ListItem {
                indent,
                number: None,
                text: trim_item_text(rest),
            });
        }
        return None;
    }
    // The number read a byte at a time: nine digits at most fit a `u32`.
    let b = t.as_bytes();
    let mut number = 0u32;
    let mut digits = 0;
    while let Some(&c) = b.get(digits).filter(|c| c.is_ascii_digit()) {
        if digits == 9 {
            return None;
        }
        number = number * 10 + u32::from(c - b'0');
        digits += 1;
    }
    if digits == 0 || !matches!(b.get(digits), Some(b'.' | b')')) {
        return None;
    }
    // The delimiter is ASCII: the rest starts at a char boundary.
    let rest = &t[digits + 1..];
    if !matches!(rest.as_bytes().first(), None | Some(b' ' | b'\t')) {
        return None;
    }
    Some(LineKind::ListItem {
        indent,
        number: Some(number),
        text: trim_item_text(rest),
    })
}

/// [`trim_ws`] of a list item's text after its marker: most are one space,
/// then a printable ASCII byte, and end with one, and are cut after the space
/// without the call.
#[inline]
fn trim_item_text(rest: &str) -> &str {
    let printable = |c: &u8| c.wrapping_sub(b'!') <= b'~' - b'!';
    match rest.as_bytes() {
        // The space is ASCII: byte 1 is a char boundary.
        [b' ', second, .., last] if printable(second) && printable(last) => &rest[1..],
        _ => trim_ws(rest),
    }
}

/// Splits a table row into trimmed cells, honouring `\|` escapes and pipes inside
/// backtick code spans. The delimiters are ASCII, so the row is cut at bytes
/// and each cell copied once, as a slice (with its escapes replaced, if any).
pub fn table_cells(row: &str) -> Vec<String> {
    table_cells_as(row, Cow::into_owned)
}

/// [`table_cells`], each cell borrowed from `row` unless it held an escaped
/// pipe: for a reader that keeps few of them.
pub fn table_cell_slices(row: &str) -> Vec<Cow<'_, str>> {
    table_cells_as(row, |c| c)
}

/// The cells of [`table_cells`], each made into a `T` by `make`.
fn table_cells_as<'a, T>(row: &'a str, make: impl Fn(Cow<'a, str>) -> T) -> Vec<T> {
    table_cell_iter(row).map(make).collect()
}

/// The cells of [`table_cell_slices`], one after the other, without a vector
/// to hold them: a coverage row (a few a review) is read cell by cell, where
/// the vector's making and freeing cost about as much as cutting the row.
/// Each cell is cut at the next `|` outside a code span and not escaped:
/// a cell ends outside any span, so each one starts outside.
pub fn table_cell_iter(row: &str) -> impl Iterator<Item = Cow<'_, str>> {
    // The row and its cells trimmed by `trim_ws`, which is `str::trim` (its
    // tests hold it there) without decoding the characters of an ASCII end.
    let t = trim_ws(row);
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    let b = t.as_bytes();
    let cell = move |from: usize, to: usize, escaped: bool| {
        let c = &t[from..to];
        if escaped {
            // Left to right, as the escapes were read: a backslash pairs only
            // with the pipe after it.
            Cow::Owned(c.replace("\\|", "|").trim().to_string())
        } else {
            Cow::Borrowed(trim_ws(c))
        }
    };
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let mut escaped = false;
        let mut in_code = false;
        let mut i = start;
        while i < b.len() {
            match b[i] {
                // An escaped pipe, in a code span too, splits nothing.
                b'\\' if b.get(i + 1) == Some(&b'|') => {
                    escaped = true;
                    i += 2;
                    continue;
                }
                b'`' => in_code = !in_code,
                b'|' if !in_code => {
                    let c = cell(start, i, escaped);
                    start = i + 1;
                    return Some(c);
                }
                _ => {}
            }
            i += 1;
        }
        done = true;
        Some(cell(start, b.len(), escaped))
    })
}

/// [`table_cells`] as it was: the row read a character at a time into a
/// string per cell.
#[cfg(test)]
fn table_cells_by_chars(row: &str) -> Vec<String> {
    let t = row.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut in_code = false;
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '`' => {
                in_code = !in_code;
                cur.push(c);
            }
            '|' if !in_code => {
                cells.push(cur.trim().to_string());
                cur.clear();
            }
            _ => cur.push(c),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}

/// Removes bold/italic markers around and inside `text` (`**x**`, `*x*`, `__x__`),
/// leaving code spans untouched, and trims the result.
pub fn strip_emphasis(text: &str) -> String {
    strip_emphasis_cow(text).into_owned()
}

/// [`strip_emphasis`], borrowing `text` (trimmed) when no marker is dropped.
pub fn strip_emphasis_cow(text: &str) -> Cow<'_, str> {
    if memchr::memchr2(b'*', b'_', text.as_bytes()).is_none() {
        return Cow::Borrowed(trim_ws(text));
    }
    // Markers and backticks are ASCII, so their byte positions are char
    // boundaries: the text between two dropped markers is copied as one slice.
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let mut kept_from = 0;
    for (i, b) in text.bytes().enumerate() {
        let drop = match b {
            b'`' => {
                in_code = !in_code;
                false
            }
            b'*' => !in_code,
            b'_' => !in_code && is_emphasis_underscore(text, i),
            _ => false,
        };
        if drop {
            out.push_str(&text[kept_from..i]);
            kept_from = i + 1;
        }
    }
    if kept_from == 0 {
        return Cow::Borrowed(trim_ws(text));
    }
    out.push_str(&text[kept_from..]);
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        Cow::Owned(out)
    } else {
        Cow::Owned(trimmed.to_string())
    }
}

/// `s.trim()`, reading ASCII white space a byte at a time: a text whose ends,
/// once its ASCII white space is gone, are ASCII bytes is trimmed there (most
/// lines the parsers trim are trimmed already, or indented with spaces). Only a
/// text that then opens or ends with a non-ASCII character, which may be white
/// space, is trimmed by characters.
pub fn trim_ws(s: &str) -> &str {
    // Solid ASCII bytes at both ends, or no byte (a blank line): nothing to
    // trim, decided inline. A printable byte (`!` to DEL, one subtraction and
    // one compare) is told first; a control byte other than white space is
    // solid too, but rare, so asked about only after.
    let solid =
        |&b: &u8| b.wrapping_sub(b'!') <= 0x7f - b'!' || (b < b' ' && !matches!(b, b'\t'..=b'\r'));
    match s.as_bytes() {
        [] => s,
        [first, .., last] if solid(first) && solid(last) => s,
        [only] if solid(only) => s,
        // An indented line (a finding's body under a list item): its spaces
        // cut a byte at a time, at ASCII bytes, so at a char boundary.
        [b' ', .., last] if solid(last) => {
            let n = s.bytes().take_while(|&b| b == b' ').count();
            match s.as_bytes().get(n) {
                Some(b) if solid(b) => &s[n..],
                _ => trim_ws_ends(s),
            }
        }
        _ => trim_ws_ends(s),
    }
}

/// [`trim_ws`] of a text with white space or a non-ASCII byte at an end.
#[inline(never)]
fn trim_ws_ends(s: &str) -> &str {
    let b = s.as_bytes();
    let ws = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
    let start = b.iter().position(|b| !ws(b)).unwrap_or(b.len());
    let end = b.iter().rposition(|b| !ws(b)).map_or(start, |i| i + 1);
    // Cut at ASCII bytes, so at char boundaries.
    let t = &s[start..end];
    match t.as_bytes() {
        [] => t,
        [first, .., last] if first.is_ascii() && last.is_ascii() => t,
        [only] if only.is_ascii() => t,
        _ => t.trim(),
    }
}

/// [`trim_ws`] as it was: a text decided by its first and last bytes, any
/// other trimmed by characters.
#[cfg(test)]
fn trim_ws_by_ends(s: &str) -> &str {
    let solid = |b: &u8| b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ');
    match s.as_bytes() {
        [first, .., last] if solid(first) && solid(last) => s,
        [only] if solid(only) => s,
        _ => s.trim(),
    }
}

/// Whether a byte of `s` passes `f`. Tested a block at a time, without an exit
/// inside the block, so the test compiles to vector instructions: most texts
/// asked about hold no such byte, and are read whole.
pub fn any_byte(s: &str, f: impl Fn(u8) -> bool + Copy) -> bool {
    s.as_bytes()
        .chunks(32)
        .any(|block| block.iter().fold(false, |seen, &b| seen | f(b)))
}

/// The byte position of the first `**` in `s`: `s.find("**")` without a
/// substring searcher, which costs more than the search on a short line. Each
/// `*` is found by a vectorised search, and the byte after it tested.
pub fn find_bold(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    memchr::memchr_iter(b'*', b).find(|&i| b.get(i + 1) == Some(&b'*'))
}

/// [`find_bold`] as it was: every window of two bytes compared.
#[cfg(test)]
fn find_bold_by_windows(s: &str) -> Option<usize> {
    s.as_bytes().windows(2).position(|w| w == b"**")
}

/// Whether the `_` at byte `i` of `text` marks emphasis.
fn is_emphasis_underscore(text: &str, i: usize) -> bool {
    // An underscore inside a word (snake_case) is not emphasis.
    let before = text[..i].chars().next_back();
    let after = text[i + 1..].chars().next();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    !(word(before) && word(after))
        && (before.is_none_or(|c| c == '_' || !c.is_alphanumeric())
            || after.is_none_or(|c| c == '_' || !c.is_alphanumeric()))
}

#[cfg(test)]
mod tests {
    /// The lines alone, as the scan cuts them.
    fn lines(text: &str) -> impl Iterator<Item = &str> {
        lines_noting_padding(text).map(|(line, _)| line)
    }

    use super::*;

    /// [`lines_noting_padding`] as it was: every line end found by one
    /// search that goes on from the last.
    fn lines_noting_padding_by_search(text: &str) -> impl Iterator<Item = (&str, bool)> {
        let pad = |line: &str| matches!(line.as_bytes().last(), Some(b' ' | b'\t' | b'\r'));
        let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
        let mut start = 0;
        std::iter::from_fn(move || match ends.next() {
            Some(end) => {
                let line = &text[start..end];
                start = end + 1;
                Some((line.strip_suffix('\r').unwrap_or(line), pad(line)))
            }
            None if start < text.len() => {
                let line = &text[start..];
                start = text.len();
                Some((line, pad(line)))
            }
            None => None,
        })
    }

    proptest::proptest! {
        /// Empty lines told by their first byte cut the text as the search did.
        #[test]
        fn empty_lines_told_by_their_first_byte_agree_with_the_search(
            text in "[\n\n\r \taé]{0,24}"
        ) {
            let lines: Vec<(&str, bool)> = lines_noting_padding(&text).collect();
            let searched: Vec<(&str, bool)> = lines_noting_padding_by_search(&text).collect();
            proptest::prop_assert_eq!(lines, searched, "{:?}", text);
        }
    }

    /// `plain_kind_after` of a line, its leading spaces counted here.
    fn plain_kind(raw: &str) -> Option<LineKind<'_>> {
        let n = raw.bytes().take_while(|&c| c == b' ').count();
        plain_kind_after(raw, n)
    }

    /// The form [`classify`] replaced: every form tried on every line.
    fn classify_trying_every_form(raw: &str) -> LineKind<'_> {
        let trimmed = raw.trim();
        if trimmed.is_empty() || crate::parse::wrappers::is_html_container(trimmed) {
            return LineKind::Blank;
        }
        classify_marked(raw, trimmed)
    }

    /// The scan as it was: every line outside a code block asked about a
    /// fence opening, then classified.
    fn scan_asking_every_line(text: &str) -> Vec<LineKind<'_>> {
        let mut fence: Option<(char, usize)> = None;
        text.lines()
            .map(|raw| match fence {
                Some((ch, len)) => closing_or_code(raw, ch, len, &mut fence),
                None => opening_or_classify(raw, &mut fence),
            })
            .collect()
    }

    /// [`list_item`]'s number as it was read: digits counted by characters
    /// and parsed.
    fn list_item_parsing_digits(raw: &str, indent: usize) -> Option<LineKind<'_>> {
        let t = &raw[indent..];
        let first = t.chars().next()?;
        if matches!(first, '-' | '*' | '+') {
            return list_item(raw, indent);
        }
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        let after = &t[digits..];
        let delim = after.chars().next()?;
        if delim != '.' && delim != ')' {
            return None;
        }
        let rest = &after[1..];
        if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
            return None;
        }
        let number = t[..digits].parse().ok()?;
        Some(LineKind::ListItem {
            indent,
            number: Some(number),
            text: trim_ws(rest),
        })
    }

    proptest::proptest! {
        #[test]
        fn list_item_agrees_with_parsing_digits(
            raw in "[ ]{0,3}[0-9]{0,11}[.)a é\u{a0}]{0,2}[ \ta*é]{0,4}"
        ) {
            let indent = raw.len() - raw.trim_start().len();
            proptest::prop_assert_eq!(list_item(&raw, indent), list_item_parsing_digits(&raw, indent));
        }

        /// Blank and prose lines told by their first byte are what the fence
        /// and classification forms make of them, in and out of code blocks.
        #[test]
        fn plain_lines_agree_with_asking_every_line(
            lines in proptest::collection::vec(
                "[ \t\u{a0}\u{3000}]{0,5}[a-zA-Z#|*_+0-9.)<>`~é\u{a0}\t\r\u{b} -]{0,4}[ a-z*|#`~-]{0,6}",
                0..12,
            )
        ) {
            let text = lines.join("\n");
            let scanned: Vec<LineKind<'_>> = scan(&text, 1).into_iter().map(|l| l.kind).collect();
            proptest::prop_assert_eq!(scanned, scan_asking_every_line(&text), "{:?}", text);
        }

        /// Any text, any line.
        #[test]
        fn plain_kind_agrees_with_classify(raw in "\\s{0,3}\\PC{0,4}\\s{0,2}") {
            if let Some(kind) = plain_kind(&raw) {
                proptest::prop_assert!(fence_opening(&raw).is_none());
                proptest::prop_assert_eq!(kind, classify(&raw));
            }
        }

        #[test]
        fn first_byte_classification_agrees_with_every_form(
            raw in "[ \t]{0,5}[#|*_+0-9a.)<>`é-]{0,3}[ a-z*|-]{0,6}"
        ) {
            proptest::prop_assert_eq!(classify(&raw), classify_trying_every_form(&raw));
        }
    }

    #[test]
    fn heading_inside_code_block_is_code() {
        let lines = scan("## A\n```bash\n# comment\n```\n### B", 1);
        let kinds: Vec<_> = lines.iter().map(|l| &l.kind).collect();
        assert_eq!(
            kinds,
            vec![
                &LineKind::Heading {
                    level: 2,
                    text: "A"
                },
                &LineKind::Fence,
                &LineKind::Code,
                &LineKind::Fence,
                &LineKind::Heading {
                    level: 3,
                    text: "B"
                },
            ]
        );
    }

    #[test]
    fn line_numbers_start_at_first_line() {
        let lines = scan("a\nb", 41);
        assert_eq!(lines[1].no, 42);
    }

    #[test]
    fn list_items() {
        assert_eq!(
            classify("  12. **Title**"),
            LineKind::ListItem {
                indent: 2,
                number: Some(12),
                text: "**Title**"
            }
        );
        assert_eq!(
            classify("- x"),
            LineKind::ListItem {
                indent: 0,
                number: None,
                text: "x"
            }
        );
        assert_eq!(classify("**Bold** text"), LineKind::Text);
        assert_eq!(
            classify("2026. was a year"),
            LineKind::ListItem {
                indent: 0,
                number: Some(2026),
                text: "was a year"
            }
        );
    }

    #[test]
    fn table_cells_cut_one_by_one_agree_with_the_char_form_on_every_short_row() {
        // Every row of up to six of these bytes: each place of a pipe, an
        // escape, a backtick and white space before and after each cut.
        let alphabet = ["|", "\\", "`", " ", "a", "é"];
        let mut rows = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = rows
                .iter()
                .filter(|r| r.chars().count() == rows.last().map_or(0, |l| l.chars().count()))
                .flat_map(|r| alphabet.iter().map(move |a| format!("{r}{a}")))
                .collect();
            rows.extend(longer);
        }
        assert!(rows.len() > 50_000);
        for row in &rows {
            let cut: Vec<String> = table_cell_iter(row).map(Cow::into_owned).collect();
            assert_eq!(cut, table_cells_by_chars(row), "{row:?}");
        }
    }

    #[test]
    fn tables() {
        assert_eq!(classify("|---|:--:|"), LineKind::TableRule);
        assert_eq!(
            table_cells("| a | `b|c` | d \\| e |"),
            vec!["a", "`b|c`", "d | e"]
        );
    }

    proptest::proptest! {
        #[test]
        fn trim_ws_agrees_with_trim(s in "[a \t\r\n\u{b}\u{c}\u{85}\u{a0}\u{3000}é]{0,12}") {
            proptest::prop_assert_eq!(trim_ws(&s), s.trim());
            proptest::prop_assert_eq!(trim_ws(&s), trim_ws_by_ends(&s));
        }

        #[test]
        fn table_cells_agree_with_the_char_form(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "|", "\\", "\\|", "`", " ", "\t", "\u{a0}", "a", "é", "||", "-",
                ]),
                0..14,
            )
        ) {
            let row = parts.concat();
            proptest::prop_assert_eq!(table_cells(&row), table_cells_by_chars(&row), "{}", row);
            let slices: Vec<String> = table_cell_slices(&row).into_iter().map(Cow::into_owned).collect();
            proptest::prop_assert_eq!(slices, table_cells_by_chars(&row), "{}", row);
            let cut: Vec<String> = table_cell_iter(&row).map(Cow::into_owned).collect();
            proptest::prop_assert_eq!(cut, table_cells_by_chars(&row), "{}", row);
        }

        #[test]
        fn indented_text_trims_as_trim_does(s in " {0,12}[a\t\u{a0}é ]{0,3}[a-z]{0,12}[ \t]{0,2}") {
            proptest::prop_assert_eq!(trim_ws(&s), s.trim());
            proptest::prop_assert_eq!(trim_ws(&s), trim_ws_by_ends(&s));
        }

        /// Every byte class the end test tells apart: control bytes, white
        /// space, the ends of the printable range, DEL and non-ASCII.
        #[test]
        fn trim_ws_agrees_at_every_byte_class(s in "[\u{0}-\u{21}\u{7e}\u{7f}\u{80}\u{a0}a]{0,10}") {
            proptest::prop_assert_eq!(trim_ws(&s), s.trim());
            proptest::prop_assert_eq!(trim_ws(&s), trim_ws_by_ends(&s));
        }

        #[test]
        fn trim_ws_agrees_with_trim_on_any_text(s in "\\s{0,3}\\PC{0,6}\\s{0,3}") {
            proptest::prop_assert_eq!(trim_ws(&s), s.trim());
        }

        #[test]
        fn fence_opening_prefilter_agrees(line in "[ \t\u{a0}]{0,2}[`~a#é]{0,4}[a ]{0,3}") {
            let by_chars = {
                let t = line.trim_start();
                t.chars().next().filter(|&c| c == '`' || c == '~').and_then(|_| fence_opening(&line))
            };
            proptest::prop_assert_eq!(fence_opening(&line), by_chars);
        }

        /// The byte prefilter, indent included, agrees with reading every
        /// line by characters.
        #[test]
        fn fence_opening_by_bytes_agrees_with_the_chars(
            line in "[ \t\u{b}\u{a0}\u{3000}]{0,3}[`~a#é{ ]{0,5}"
        ) {
            proptest::prop_assert_eq!(fence_opening(&line), fence_opening_by_chars(&line));
        }

        /// Scanning into a vector that held the lines of another text (kept
        /// by the review parser) gives what scanning into a new vector sized
        /// by the count gives, lines, padding and wrapper note alike.
        #[test]
        fn scan_into_a_used_vector_agrees_with_a_new_one(
            s in "[a# \n\r\t`~>|*1.é-]{0,200}",
            before in "[a# \n`~|1.-]{0,200}",
            first_line in 1u32..5,
        ) {
            let used = scan(&before, 7);
            let into = scan_noting_into(&s, first_line, used);
            let fresh = scan_noting(&s, first_line);
            proptest::prop_assert_eq!(&into.lines, &fresh.lines);
            proptest::prop_assert_eq!(into.padded, fresh.padded);
            proptest::prop_assert_eq!(into.may_wrap, fresh.may_wrap);
        }

        #[test]
        fn newline_count_agrees_with_filter(s in "[a\n\ré]{0,400}") {
            proptest::prop_assert_eq!(count_newlines(&s), s.bytes().filter(|&b| b == b'\n').count());
        }

        /// The review parser asks about wrappers of the lines the scan cut: they
        /// are the lines `str::lines` gives.
        #[test]
        fn scanned_lines_are_str_lines(s in "[a# \n\r`>|-]{0,200}") {
            let scanned: Vec<&str> = scan(&s, 1).iter().map(|l| l.text).collect();
            proptest::prop_assert_eq!(scanned, s.lines().collect::<Vec<_>>());
        }

        #[test]
        fn find_bold_agrees_with_the_window_form(s in "[a* é`]{0,80}") {
            proptest::prop_assert_eq!(find_bold(&s), find_bold_by_windows(&s));
        }

        /// The padding the scan notes is what `normalize` looks for in a
        /// pass of its own.
        #[test]
        fn scan_notes_the_padding_normalize_finds(s in "[a \t\r\né#`]{0,120}") {
            // `normalize` copies the text exactly when it finds padding.
            let (_, padded) = scan_noting_padding(&s, 1);
            proptest::prop_assert_eq!(
                padded,
                matches!(crate::parse::normalize::normalize(&s), std::borrow::Cow::Owned(_))
            );
        }

        /// A list item's text is trimmed as `trim_ws` trims it.
        #[test]
        fn item_text_trims_as_trim_ws(s in "[ \t\u{a0}]{0,2}[a\u{0}\u{7f}é ]{0,3}[a-z]{0,4}[ \t\u{7f}\u{85}a]{0,2}") {
            proptest::prop_assert_eq!(trim_item_text(&s), trim_ws(&s), "{:?}", s);
        }

        /// A scanned line's text trimmed from the spaces the scan counted is
        /// its text trimmed.
        #[test]
        fn trimmed_lines_agree_with_trim_ws(
            s in "[ \t\u{b}\u{0}\u{7f}\u{a0}\u{3000}`a~#*é\n\r-]{0,60}|( {0,4}[a\t\u{a0}é]{0,2}[a-z ]{0,6}[ \t\u{7f}\u{85}]{0,2}\n){0,6}"
        ) {
            for l in scan(&s, 1) {
                proptest::prop_assert_eq!(l.trimmed(), trim_ws(l.text), "{:?}", l.text);
            }
        }

        /// The wrapper lines the scan notes are those the pass over its
        /// lines found, in and out of code blocks.
        #[test]
        fn scan_notes_the_wrapper_lines_a_pass_finds(
            s in "[ \t\u{b}\u{a0}\u{3000}`~<>a#*\n\r]{0,60}|([ \t]{0,2}(```|~~~|<details>|</summary>|> a|a|)\n){0,6}"
        ) {
            let scanned = scan_noting(&s, 1);
            let by_pass = scanned
                .lines
                .iter()
                .any(|l| crate::parse::wrappers::may_be_wrapper_line(l.text));
            proptest::prop_assert_eq!(scanned.may_wrap, by_pass, "{:?}", s);
        }

        #[test]
        fn lines_agree_with_str_lines(s in "[a\n\ré]{0,60}") {
            proptest::prop_assert_eq!(lines(&s).collect::<Vec<_>>(), s.lines().collect::<Vec<_>>());
        }

        #[test]
        fn any_byte_agrees_with_any(s in "[a*_ é`]{0,80}") {
            let f = |b: u8| matches!(b, b'*' | b'_');
            proptest::prop_assert_eq!(any_byte(&s, f), s.bytes().any(f));
            // The emphasis prefilter's search.
            proptest::prop_assert_eq!(memchr::memchr2(b'*', b'_', s.as_bytes()).is_some(), s.bytes().any(f));
        }
    }

    #[test]
    fn emphasis() {
        assert_eq!(
            strip_emphasis("**I1. `snake_case` title**"),
            "I1. `snake_case` title"
        );
        assert_eq!(strip_emphasis("__bold__ and *it*"), "bold and it");
        assert_eq!(strip_emphasis("a_b_c"), "a_b_c");
    }

    #[test]
    fn hash_without_space_is_not_heading() {
        assert_eq!(classify("#295 is a PR"), LineKind::Text);
    }
}
