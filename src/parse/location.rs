//! Locations cited in findings: `` `path:12-30` ``, `path:12`, markdown links with
//! absolute checkout prefixes, normalised to repository-relative paths.
//!
//! Invariants: every returned [`Location`] has a repository-relative path with `/`
//! separators (no checkout prefix, no `./`), `start <= end` when both are set, and
//! no location is returned twice. URLs and version numbers are never paths. The
//! scan is linear in the length of the text and only cuts the text at ASCII
//! delimiters, so no input can make it split a UTF-8 sequence.

use std::borrow::Cow;

use crate::model::Location;

/// Top-level directories that start the repository-relative part of an absolute
/// path (`/Users/me/src/repo/pkg/x.go` → `pkg/x.go`).
const TOP_DIRS: &[&str] = &[
    "pkg", "cmd", "src", "docs", "bats", "scripts", "internal", ".github", "test", "tests", "api",
    "lib", "hack", "build", "config", "e2e",
];

/// File extensions that make a backticked word a file path even without a `/`.
/// A `match` rather than a list searched in order: it is asked for every cited word.
fn is_file_ext(e: &str) -> bool {
    matches!(
        e,
        "go" | "rs"
            | "md"
            | "yaml"
            | "yml"
            | "json"
            | "sh"
            | "bats"
            | "ts"
            | "tsx"
            | "js"
            | "jsx"
            | "py"
            | "toml"
            | "txt"
            | "cmd"
            | "ps1"
            | "bat"
            | "mod"
            | "sum"
            | "c"
            | "h"
            | "cc"
            | "cpp"
            | "hpp"
            | "java"
            | "kt"
            | "rb"
            | "html"
            | "css"
            | "scss"
            | "xml"
            | "tpl"
            | "tmpl"
            | "cfg"
            | "conf"
            | "ini"
            | "lock"
            | "proto"
            | "sql"
            | "vue"
            | "swift"
            | "cs"
            | "gradle"
            | "plist"
            | "nsi"
            | "wxs"
            | "service"
            | "env"
            | "lua"
            | "pl"
            | "zsh"
            | "fish"
            | "mk"
            | "csv"
            | "cue"
            | "nix"
            | "tf"
            | "hcl"
            | "dockerfile"
    )
}

/// Whether `b` holds a backtick, a `[` or a colon: every location
/// `extract_locations` finds needs one (a code span, a link, or a prose
/// `path:line`), so a text holding none cites nothing. The one form of this
/// test for the location reader and the review parser.
pub fn holds_location_mark(b: &[u8]) -> bool {
    memchr::memchr3(b'`', b'[', b':', b).is_some()
}

/// Extracts every location cited in `text`, in order of appearance, without repeats.
pub fn extract_locations(text: &str) -> Vec<Location> {
    let mut out: Vec<Location> = Vec::new();
    scan(text, &mut out);
    dedup(out)
}

/// [`extract_locations`] of a text shaped like the tail of a finding title,
/// `` — `path:12-30` (important, gap)``, read in one pass: prose holding none
/// of `` ` ``, `[`, `:`, `(`, one code span of single backticks, then prose
/// holding none of `` ` ``, `[`, `:`. Returns the locations and where the
/// span ends (the text before it holds no `(`, so every parenthesised group
/// lies after it); `None` for any other text, which the general scan reads.
pub fn span_then_prose_locations(text: &str) -> Option<(Vec<Location>, usize)> {
    let (out, end) = span_then_locations(text)?;
    // After the span: no other span or link, and no `:` to start a location.
    if holds_location_mark(&text.as_bytes()[end..]) {
        return None;
    }
    Some((out, end))
}

/// The first location [`span_then_prose_locations`] gives (`Some(None)`
/// when it gives none, `None` when it reads no such text), without making
/// a vector for the one location of a span that is one `path:12-30`: a
/// coverage row's first cell (`` `pkg/x.go` ``) keeps only its path.
pub fn span_then_prose_first_location(text: &str) -> Option<Option<Location>> {
    let b = text.as_bytes();
    let content_start = span_content_start(text)?;
    // The one-span form of [`span_then_locations`], then the test of
    // [`span_then_prose_locations`] on what follows the span.
    if let Some((span, len)) = simple_span_until(&text[content_start..]) {
        let k = content_start + len;
        if b.get(k) == Some(&b'`') && b.get(k + 1) != Some(&b'`') {
            if holds_location_mark(&b[k + 1..]) {
                return None;
            }
            return Some(span_location(&span));
        }
    }
    span_then_prose_locations(text).map(|(locations, _)| locations.into_iter().next())
}

/// [`span_then_prose_locations`] without its last test: the locations of
/// the span that follows prose holding none of `` ` ``, `[`, `:`, `(`, and
/// where the span ends, whatever follows it. They are the text's locations
/// (`extract_locations(text)`) when what follows the span holds none of
/// `` ` ``, `[`, `:`, which the caller tells: a title's tail is mostly
/// followed by one tag group, whose reading already says so.
pub fn span_then_locations(text: &str) -> Option<(Vec<Location>, usize)> {
    let b = text.as_bytes();
    let content_start = span_content_start(text)?;
    // Most spans are one `path:12-30`: read where they lie, their closing
    // backtick found by reading them.
    if let Some((span, len)) = simple_span_until(&text[content_start..]) {
        let k = content_start + len;
        // The span read holds no backtick and no `(`: `k` is the closer the
        // search below would find, when it is one.
        if b.get(k) == Some(&b'`') && b.get(k + 1) != Some(&b'`') {
            // With the room a first push makes; one location is never a repeat.
            let out = match span_location(&span) {
                Some(l) => {
                    let mut out = Vec::with_capacity(4);
                    out.push(l);
                    out
                }
                None => Vec::new(),
            };
            return Some((out, k + 1));
        }
    }
    span_then_by_search(text, content_start)
}

/// Where the content of the span [`span_then_prose_locations`] reads
/// starts: after the first backtick, when no `[`, `:` or `(` comes before it.
fn span_content_start(text: &str) -> Option<usize> {
    // Most tails open with ` — ` and the backtick, none of whose other bytes
    // is one looked for below: told by one compare of their six bytes.
    const USUAL: &[u8] = " — `".as_bytes();
    let b = text.as_bytes();
    if b.starts_with(USUAL) {
        return Some(USUAL.len());
    }
    // The prose before the span: without a `:` it cites nothing, without a
    // `[` it holds no link. It is short (` — `): read by a loop.
    let open = b
        .iter()
        .position(|&c| matches!(c, b'`' | b'[' | b':' | b'('))?;
    (b[open] == b'`').then_some(open + 1)
}

/// [`span_then_locations`] of a text whose span's content starts at
/// `content_start`, its closing backtick searched for.
fn span_then_by_search(text: &str, content_start: usize) -> Option<(Vec<Location>, usize)> {
    let b = text.as_bytes();
    let k = content_start + memchr::memchr2(b'`', b'(', &b[content_start..])?;
    if b[k] == b'(' {
        return None;
    }
    // An empty span would be a run of two backticks, and a closer followed by
    // another backtick a longer run: both are left to the general scan.
    if k == content_start || b.get(k + 1) == Some(&b'`') {
        return None;
    }
    let mut out = Vec::new();
    let mut last_path = None;
    scan_code_span(&text[content_start..k], &mut out, &mut last_path);
    Some((dedup(out), k + 1))
}

/// True when `text` cites a location: `!extract_locations(text).is_empty()`
/// without removing repeats (removing repeats never empties a list).
pub fn has_location(text: &str) -> bool {
    let mut out: Vec<Location> = Vec::new();
    scan(text, &mut out);
    !out.is_empty()
}

/// Pushes every location cited in `text` onto `out`, repeats included.
fn scan(text: &str, out: &mut Vec<Location>) {
    // Every form needs a backtick (code span), a `[` (link) or a `:` (prose
    // `path:line`): text without any of them, most of a review, cites nothing.
    if !holds_location_mark(text.as_bytes()) {
        return;
    }
    // The path a bare range continues: a slice of `text` unless normalising
    // it made a new string.
    let mut last_path: Option<Cow<'_, str>> = None;
    // Every delimiter the scan looks for is ASCII, and an ASCII byte is never part
    // of a multi-byte character: byte positions of delimiters are char boundaries,
    // so the scan slices the text instead of copying it.
    let bytes = text.as_bytes();
    let mut i = 0;
    // Prose since the last code span or link: `text[plain..i]`.
    let mut plain = 0;
    let mut closers = Closers::new();
    // Only a backtick or a `[` opens a span or a link: the bytes between are
    // passed over by one vectorised search.
    while let Some(next) = memchr::memchr2(b'`', b'[', bytes.get(i..).unwrap_or_default()) {
        i += next;
        let c = bytes[i];
        if c == b'`' {
            scan_plain(&text[plain..i], out, &mut last_path);
            // A code span: runs of backticks of the same length delimit it.
            let ticks = count_run(bytes, i, b'`');
            let content_start = i + ticks;
            let close = closers.find(bytes, content_start, ticks);
            match close {
                Some(close) => {
                    scan_code_span(&text[content_start..close], out, &mut last_path);
                    i = close + ticks;
                }
                None => {
                    i = content_start;
                }
            }
            plain = i;
            continue;
        }
        if c == b'[' {
            if let Some((link_text, target, next)) = parse_link(text, i) {
                scan_plain(&text[plain..i], out, &mut last_path);
                scan_link(link_text, target, out, &mut last_path);
                i = next;
                plain = i;
                continue;
            }
        }
        i += 1;
    }
    scan_plain(&text[plain..], out, &mut last_path);
}

/// Finds the closer of a code span: the next maximal run of backticks of the
/// opener's length. Most texts hold a few short spans, so the first searches
/// scan forward; scanning forward on a line of runs of many different lengths
/// is quadratic, so after [`Closers::BUDGET`] bytes the searches switch to an
/// index of every run by length, searched by bisection. Both give the same run.
struct Closers {
    /// Bytes the forward scans may still look at.
    budget: usize,
    /// Start of every maximal run of backticks, by length, in order.
    runs: Option<std::collections::BTreeMap<usize, Vec<usize>>>,
}

impl Closers {
    const BUDGET: usize = 4096;

    fn new() -> Closers {
        Closers::with_budget(Closers::BUDGET)
    }

    fn with_budget(budget: usize) -> Closers {
        Closers { budget, runs: None }
    }

    /// The start of the first maximal run of exactly `ticks` backticks at or
    /// after `from`, which is not inside a run (it follows the opener's run).
    fn find(&mut self, bytes: &[u8], from: usize, ticks: usize) -> Option<usize> {
        if self.runs.is_none() {
            let mut k = from;
            while k < bytes.len() && self.budget > 0 {
                if bytes[k] == b'`' {
                    let run = count_run(bytes, k, b'`');
                    if run == ticks {
                        return Some(k);
                    }
                    self.budget = self.budget.saturating_sub(run);
                    k += run;
                } else {
                    // The bytes before the next backtick, one search for all of
                    // them, each counted against the budget as if looked at.
                    let gap = memchr::memchr(b'`', &bytes[k..]).unwrap_or(bytes.len() - k);
                    let step = gap.min(self.budget);
                    self.budget -= step;
                    k += step;
                }
            }
            if k >= bytes.len() {
                return None;
            }
            let mut runs: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
            let mut k = 0;
            while k < bytes.len() {
                if bytes[k] == b'`' {
                    let run = count_run(bytes, k, b'`');
                    runs.entry(run).or_default().push(k);
                    k += run;
                } else {
                    k += 1;
                }
            }
            self.runs = Some(runs);
        }
        let starts = self.runs.as_ref()?.get(&ticks)?;
        starts.get(starts.partition_point(|&s| s < from)).copied()
    }
}

fn count_run(bytes: &[u8], from: usize, ch: u8) -> usize {
    bytes[from..].iter().take_while(|&&c| c == ch).count()
}

/// Parses `[text](target)` starting at `text[start] == '['`; returns the text, the
/// target and the byte index after the closing parenthesis.
fn parse_link(text: &str, start: usize) -> Option<(&str, &str, usize)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut j = start;
    let mut close_bracket = None;
    while j < bytes.len() {
        match bytes[j] {
            // Nested brackets are not supported: stopping at the next `[` keeps
            // a line of many `[` linear.
            b'[' if depth > 0 => return None,
            b'[' => depth += 1,
            b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close_bracket = Some(j);
                    break;
                }
            }
            b'\n' => return None,
            _ => {}
        }
        j += 1;
    }
    let cb = close_bracket?;
    if bytes.get(cb + 1) != Some(&b'(') {
        return None;
    }
    let target_start = cb + 2;
    let mut k = target_start;
    while k < bytes.len() && bytes[k] != b')' {
        if matches!(bytes[k], b'\n' | b' ' | b'[' | b'(') {
            return None;
        }
        k += 1;
    }
    if k >= bytes.len() {
        return None;
    }
    Some((&text[start + 1..cb], &text[target_start..k], k + 1))
}

fn scan_link(
    link_text: &str,
    target: &str,
    out: &mut Vec<Location>,
    last_path: &mut Option<Cow<'_, str>>,
) {
    let text_locs = extract_locations(link_text);
    if is_url(target) {
        // The link text may still cite a repository path.
        for l in text_locs {
            *last_path = Some(Cow::Owned(l.path.clone()));
            out.push(l);
        }
        return;
    }
    let (target_path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    let anchor_ranges = anchor.map(parse_ranges).unwrap_or_default();
    let target_path = target_path.replace('\\', "/");
    // Both the link text (when the target ends with it) and the target cut at a
    // top-level directory are repository-relative guesses; the longer one keeps
    // more of the path (`[x.go:3](/Users/me/repo/pkg/a/x.go#L3)` → `pkg/a/x.go`,
    // `[web/src/x.ts](/home/me/repo/web/src/x.ts)` → `web/src/x.ts`).
    let from_text = text_locs
        .first()
        .filter(|t| target_path.ends_with(&t.path))
        .map(|t| t.path.clone());
    let from_target = normalize(&target_path).map(|(n, cut)| (n.into_owned(), cut));
    let path = match (from_text, from_target) {
        (Some(t), Some((n, true))) => Some(if n.len() > t.len() { n } else { t }),
        (Some(t), _) => Some(t),
        (None, n) => n.map(|(n, _)| n),
    };
    let Some(path) = path.filter(|p| looks_like_path(p, true)) else {
        for l in text_locs {
            out.push(l);
        }
        return;
    };
    // The text's range is usually the fuller one (`#L69` anchors only the start).
    let text_ranges: Vec<(u32, u32)> = text_locs
        .iter()
        .filter(|l| l.path == path || target_path.ends_with(&l.path))
        .filter_map(|l| Some((l.start?, l.end?)))
        .collect();
    let ranges = if text_ranges.is_empty() {
        anchor_ranges
    } else {
        text_ranges
    };
    push_ranges(out, &path, &ranges);
    *last_path = Some(Cow::Owned(path));
}

/// Scans a code span's content: a path, a path with lines, or a bare range that
/// continues the previous path (`` `x.go:77-85`, `110-116` ``).
fn scan_code_span<'a>(
    content: &'a str,
    out: &mut Vec<Location>,
    last_path: &mut Option<Cow<'a, str>>,
) {
    // Most spans cite one `path:12`, `path:12-30` or `path`: told in one pass
    // and read without splitting words, trimming or copying the range.
    if let Some(span) = simple_span(content) {
        push_simple_span(span, out, last_path);
        return;
    }
    scan_code_span_by_words(content, out, last_path);
}

/// [`scan_code_span`] of a span [`simple_span`] reads.
fn push_simple_span<'a>(
    span: SimpleSpan<'a>,
    out: &mut Vec<Location>,
    last_path: &mut Option<Cow<'a, str>>,
) {
    if let Some(l) = span_location(&span) {
        out.push(l);
        *last_path = Some(Cow::Borrowed(span.path));
    }
}

/// The location a span [`simple_span`] reads cites, if any.
fn span_location(span: &SimpleSpan<'_>) -> Option<Location> {
    let SimpleSpan {
        path,
        range,
        slashes,
    } = span;
    // What `looks_like_path` asks, its bytes read in `simple_span`'s pass:
    // the path is not empty and ends with no `/`.
    let is_path = path.len() <= 300
        && slashes
            .as_ref()
            .is_some_and(|s| looks_like_file_path(path, s, range.is_some()));
    is_path.then(|| Location {
        path: path.to_string(),
        start: range.map(|r| r.0),
        end: range.map(|r| r.1),
    })
}

/// [`scan_code_span`] of any span, word by word (as every span was read
/// before the one-pass form, which its test holds to this one).
fn scan_code_span_by_words<'a>(
    content: &'a str,
    out: &mut Vec<Location>,
    last_path: &mut Option<Cow<'a, str>>,
) {
    let trimmed = content.trim();
    if trimmed.is_empty() || is_url(trimmed) {
        return;
    }
    let words = span_words(trimmed);
    let single = !has_two_words(trimmed);
    for w in words {
        let w = trim_word(w);
        if w.is_empty() {
            continue;
        }
        if let Some(ranges) = bare_ranges(w) {
            if let Some(p) = last_path.as_deref() {
                push_ranges(out, p, &ranges);
            }
            continue;
        }
        if let Some((path, ranges)) = parse_word(w) {
            push_ranges(out, &path, &ranges);
            *last_path = Some(path);
        } else if single && !w.contains(':') && looks_like_path(w, false) {
            if let Some(path) = normalize_path(w) {
                if looks_like_path(&path, false) {
                    out.push(Location {
                        path: path.to_string(),
                        start: None,
                        end: None,
                    });
                    *last_path = Some(path);
                }
            }
        }
    }
}

/// A span [`simple_span`] reads.
struct SimpleSpan<'a> {
    path: &'a str,
    range: Option<(u32, u32)>,
    /// The slashes of the path, as [`path_slashes`] gives them: `None` when
    /// the path holds no letter.
    slashes: Option<Slashes>,
}

/// A span that is one word, `path:spec` or `path`, whose path [`normalize`]
/// leaves as it is and whose spec [`plain_range`] reads: the path, and the
/// range when there is a spec. For such a span the word scan finds that one
/// word, untrimmed, no URL and no bare range, so the span cites the path (with
/// the range) when [`looks_like_path`] says it is a path, and nothing
/// otherwise: [`parse_word`] splits `path:spec` at its only colon, and a
/// lone `path` is the single word normalised to itself. `None` for every
/// other span, read word by word. The pass that tells its path bytes also
/// notes its slashes, which [`looks_like_path`] would read again.
fn simple_span(content: &str) -> Option<SimpleSpan<'_>> {
    simple_span_until(content).and_then(|(span, len)| (len == content.len()).then_some(span))
}

/// The [`simple_span`] that opens `text`, read up to the first byte that
/// is neither a path byte nor, after a colon, the spec `12` or `12-30`: the
/// span and its length. A span [`simple_span`] reads is read whole, as no
/// byte of it ends the reading; `None` when what opens `text` is no such
/// span (what ends it is then no matter).
fn simple_span_until(text: &str) -> Option<(SimpleSpan<'_>, usize)> {
    let b = text.as_bytes();
    // The path runs to the first colon, and is path bytes only.
    let (n, letter, slashes) = path_prefix(b);
    let path = &b[..n];
    // Path bytes hold no white space, no word gap and no colon; opening with
    // a letter or digit and ending without `/`, the path is not trimmed as a
    // word nor changed by `normalize`.
    match path {
        [first, _, .., last] if first.is_ascii_alphanumeric() && *last != b'/' => {}
        _ => return None,
    }
    let slashes = letter.then_some(slashes);
    // `www.` would make the span a URL: left to the word scan.
    if path
        .get(..4)
        .is_some_and(|h| h.eq_ignore_ascii_case(b"www."))
    {
        return None;
    }
    if b.get(n) != Some(&b':') {
        // The word is the whole span: it must end with a letter or digit (a
        // word is trimmed of a closing `.` or `_`), and must not be a bare
        // range (`110-116`, `L12`).
        let bare = path
            .iter()
            .all(|&c| c.is_ascii_digit() || matches!(c, b'-' | b'L' | b','));
        return (path[n - 1].is_ascii_alphanumeric() && !bare).then_some((
            SimpleSpan {
                path: &text[..n],
                range: None,
                slashes,
            },
            n,
        ));
    }
    // Only digits and one `-` after the colon: the word ends in a digit, holds
    // one colon, and is no bare range (it holds a colon). These are the
    // numbers [`plain_range`] reads.
    let (a, i) = line_number_at(b, n + 1)?;
    let (range, len) = match b.get(i) {
        Some(b'-') => {
            let (z, j) = line_number_at(b, i + 1)?;
            ((a.min(z), a.max(z)), j)
        }
        _ => ((a, a), i),
    };
    Some((
        SimpleSpan {
            path: &text[..n],
            range: Some(range),
            slashes,
        },
        len,
    ))
}

/// What separates the words of a code span.
fn is_span_word_gap(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')' || c == '"' || c == '\''
}

/// [`is_span_word_gap`] of an ASCII byte: white space is `\t` to `\r` and
/// the space there.
fn is_span_word_gap_byte(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | b'(' | b')' | b'"' | b'\'')
}

/// The words of a code span: `span.split(is_span_word_gap)` without the empty
/// ones, an ASCII span cut a byte at a time (its gaps are ASCII, so the cuts are
/// char boundaries).
fn span_words(span: &str) -> impl Iterator<Item = &str> {
    let ascii = span.is_ascii();
    let mut chars = span.split(is_span_word_gap);
    let mut rest = span;
    std::iter::from_fn(move || {
        if !ascii {
            return chars.find(|w| !w.is_empty());
        }
        loop {
            if rest.is_empty() {
                return None;
            }
            let end = rest
                .bytes()
                .position(is_span_word_gap_byte)
                .unwrap_or(rest.len());
            let word = &rest[..end];
            rest = rest.get(end + 1..).unwrap_or("");
            if !word.is_empty() {
                return Some(word);
            }
        }
    })
}

/// Whether a code span holds more than one word: an ASCII span is read a byte
/// at a time instead of being split.
fn has_two_words(span: &str) -> bool {
    if !span.is_ascii() {
        return span
            .split(is_span_word_gap)
            .filter(|w| !w.is_empty())
            .nth(1)
            .is_some();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in span.as_bytes() {
        let gap = is_span_word_gap_byte(b);
        if !gap && !in_word {
            words += 1;
            if words == 2 {
                return true;
            }
        }
        in_word = !gap;
    }
    false
}

/// Scans prose outside code spans: only `path:line` forms count there, plus bare
/// ranges right after one (`a.go:12-14, 30-31`).
fn scan_plain<'a>(text: &'a str, out: &mut Vec<Location>, last_path: &mut Option<Cow<'a, str>>) {
    // Only a word with a `:` starts a location here (a bare range must follow one).
    if memchr::memchr(b':', text.as_bytes()).is_none() {
        return;
    }
    let mut prev_was_loc = false;
    for raw in text.split(|c: char| {
        c.is_whitespace() || matches!(c, '(' | ')' | '"' | '\'' | '*' | '<' | '>' | '[' | ']')
    }) {
        let ends_list = raw.ends_with(',');
        let w = trim_word(raw);
        if w.is_empty() {
            continue;
        }
        if prev_was_loc {
            if let (Some(ranges), Some(p)) = (bare_ranges(w), last_path.as_deref()) {
                push_ranges(out, p, &ranges);
                prev_was_loc = ends_list;
                continue;
            }
        }
        prev_was_loc = false;
        if !w.contains(':') || is_url(w) {
            continue;
        }
        if let Some((path, ranges)) = parse_word(w) {
            push_ranges(out, &path, &ranges);
            *last_path = Some(path);
            prev_was_loc = ends_list;
        }
    }
}

/// A word without the prose punctuation around it, trimmed a byte at a time:
/// every byte trimmed is ASCII, so the cuts are char boundaries.
fn trim_word(w: &str) -> &str {
    let b = w.as_bytes();
    // A leading `.` belongs to dotfiles (`.github/`); only trailing dots are prose.
    let start = b
        .iter()
        .position(|c| !matches!(c, b',' | b';' | b'*' | b'_' | b'!' | b'?' | b'`'))
        .unwrap_or(b.len());
    let end = b[start..]
        .iter()
        .rposition(|c| {
            !matches!(
                c,
                b',' | b';' | b'.' | b'*' | b'_' | b'!' | b'?' | b'`' | b':'
            )
        })
        .map_or(start, |i| start + i + 1);
    &w[start..end]
}

fn is_url(s: &str) -> bool {
    // `contains("://")` without a substring searcher, costly on short words: a
    // byte test at each `:`.
    let b = s.as_bytes();
    if memchr::memchr_iter(b':', b).any(|i| b.get(i + 1..i + 3) == Some(b"//")) {
        return true;
    }
    // Case-insensitive prefixes without a lowercased copy: `get` is `None` when the
    // prefix length is not a char boundary, and then no ASCII prefix can match.
    // Trimming the end too changes no prefix free of white space.
    let l = crate::parse::markdown::trim_ws(s);
    let starts = |p: &str| l.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    starts("mailto:") || starts("www.")
}

/// Line ranges cited with a path, first and last line of each.
type LineRanges = Vec<(u32, u32)>;

/// Parses `path:12`, `path:12-30`, `path:L12-L30`, `path:12,40`, `path:12:5`.
fn parse_word(w: &str) -> Option<(Cow<'_, str>, LineRanges)> {
    // Split at the last ':' that is followed by a line spec; earlier colons may be
    // a drive letter (`C:\...`).
    let mut split = None;
    // `:` is ASCII: its bytes are its characters, found from the end by a
    // vectorised search.
    for idx in memchr::memrchr_iter(b':', w.as_bytes()) {
        let after = &w[idx + 1..];
        if after.starts_with(|c: char| c.is_ascii_digit())
            || (after.starts_with('L') && after[1..].starts_with(|c: char| c.is_ascii_digit()))
        {
            split = Some(idx);
            // Keep looking left for `path:12:5` (line then column).
            let before = &w[..idx];
            if let Some(prev) = before.rfind(':') {
                let mid = &before[prev + 1..];
                if !mid.is_empty() && mid.chars().all(|c| c.is_ascii_digit()) {
                    split = Some(prev);
                }
            }
            break;
        }
    }
    let idx = split?;
    let path_part = &w[..idx];
    let spec = &w[idx + 1..];
    let ranges = parse_ranges(spec);
    if ranges.is_empty() {
        return None;
    }
    let path = normalize_path(path_part)?;
    if !looks_like_path(&path, true) {
        return None;
    }
    Some((path, ranges))
}

/// A word that is only a line range (`110-116`, `L110-L116`, `42`): used after a
/// path. Plain numbers count only in lists that follow a path.
fn bare_ranges(w: &str) -> Option<Vec<(u32, u32)>> {
    if !w.starts_with(|c: char| c.is_ascii_digit() || c == 'L') {
        return None;
    }
    if !w
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '–' | 'L' | ','))
    {
        return None;
    }
    let r = parse_ranges(w);
    if r.is_empty() { None } else { Some(r) }
}

/// Parses a line spec: `12`, `12-30`, `L12-L30`, `12,40`, `12:5` (column ignored),
/// `L69` (anchor). Stops at the first thing it does not understand.
fn parse_ranges(spec: &str) -> Vec<(u32, u32)> {
    if let Some(range) = plain_range(spec) {
        return vec![range];
    }
    parse_ranges_by_parts(spec)
}

/// The common spec `12` or `12-30` (digits only, no `L`, no list), read as
/// [`parse_ranges_by_parts`] reads it; `None` for anything else.
fn plain_range(spec: &str) -> Option<(u32, u32)> {
    let b = spec.as_bytes();
    let (a, i) = line_number_at(b, 0)?;
    match b.get(i) {
        None => Some((a, a)),
        Some(b'-') => match line_number_at(b, i + 1)? {
            (z, j) if j == b.len() => Some((a.min(z), a.max(z))),
            _ => None,
        },
        Some(_) => None,
    }
}

/// The digits of `b` from `i` on, as `parse_line_no` reads them (one to seven,
/// not zero): the number and where its digits end. Inlined: a span's two
/// numbers are a few digits each, and the call returned its pair through memory.
#[inline(always)]
fn line_number_at(b: &[u8], i: usize) -> Option<(u32, usize)> {
    let mut n = 0u32;
    let mut j = i;
    while let Some(&c) = b.get(j).filter(|c| c.is_ascii_digit()) {
        if j - i == 7 {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
        j += 1;
    }
    (j > i && n != 0).then_some((n, j))
}

/// [`parse_ranges`] by splitting the spec into its parts.
fn parse_ranges_by_parts(spec: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let spec = spec.trim();
    // `12:5` → line 12, column ignored.
    for part in spec.split(',') {
        let part = part.trim();
        if part.is_empty() {
            break;
        }
        let part = part.split(':').next().unwrap_or("");
        let mut bounds = part.splitn(2, ['-', '–']);
        let a = bounds.next().and_then(parse_line_no);
        let b = match bounds.next() {
            Some(s) => match parse_line_no(s) {
                Some(n) => Some(n),
                None => break,
            },
            None => None,
        };
        match a {
            Some(a) => {
                let b = b.unwrap_or(a);
                out.push((a.min(b), a.max(b)));
            }
            None => break,
        }
    }
    out
}

fn parse_line_no(s: &str) -> Option<u32> {
    let s = s.trim();
    let s = s.strip_prefix('L').unwrap_or(s);
    if s.is_empty() || s.len() > 7 || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u32 = s.parse().ok()?;
    if n == 0 { None } else { Some(n) }
}

/// Makes a path repository-relative: `\` → `/`, no `./`, no checkout prefix.
fn normalize_path(raw: &str) -> Option<Cow<'_, str>> {
    normalize(raw).map(|(p, _)| p)
}

/// [`normalize_path`], also saying whether an absolute path was cut at a known
/// top-level directory (`true`) rather than reduced to its file name (`false`).
/// Relative paths count as cut.
fn normalize(raw: &str) -> Option<(Cow<'_, str>, bool)> {
    let mut cut = true;
    // A slice of `raw` until something has to change in it.
    let raw = crate::parse::markdown::trim_ws(raw);
    // Most cited paths are relative already: they open with a letter or digit
    // (no `./`-like prefix, no `/` or `~/`, no drive letter when the next byte
    // is no `:`), end with no `/` and hold no `\`, and are returned as they are.
    if let [first, second, .., last] = raw.as_bytes() {
        if first.is_ascii_alphanumeric()
            && *second != b':'
            && *last != b'/'
            && memchr::memchr(b'\\', raw.as_bytes()).is_none()
        {
            return Some((Cow::Borrowed(raw), true));
        }
    }
    let mut p: Cow<'_, str> = if raw.contains('\\') {
        Cow::Owned(raw.replace('\\', "/"))
    } else {
        Cow::Borrowed(raw)
    };
    // `./x`, `../x`, `.../x` and `…/x` all abbreviate a prefix we cannot know.
    while let Some(n) = ["./", "../", ".../", "…/"]
        .iter()
        .find_map(|pre| p.starts_with(pre).then_some(pre.len()))
    {
        p = match p {
            Cow::Borrowed(s) => Cow::Borrowed(&s[n..]),
            Cow::Owned(s) => Cow::Owned(s[n..].to_string()),
        };
    }
    let is_abs = p.starts_with('/')
        || p.starts_with("~/")
        || p.chars().nth(1) == Some(':')
            && p.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if is_abs {
        let segs: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
        // Skip the home directory part (`/Users/<name>/<dir>`, `/home/<name>/<dir>`)
        // before looking for a top-level directory: `~/src/repo/pkg` is not `src/`.
        let home_skip = match segs
            .iter()
            .position(|s| s.eq_ignore_ascii_case("users") || *s == "home" || *s == "~")
        {
            Some(i) if *segs.get(i).unwrap_or(&"") == "~" => i + 2,
            Some(i) => i + 3,
            None => 0,
        };
        let found = segs
            .iter()
            .enumerate()
            .skip(home_skip)
            .find(|(_, s)| TOP_DIRS.contains(s))
            .map(|(i, _)| i);
        let keep = match found {
            Some(i) => segs[i..].join("/"),
            None => {
                cut = false;
                segs.last().map(|s| (*s).to_string()).unwrap_or_default()
            }
        };
        p = Cow::Owned(keep);
    }
    // A slice of `p` as long as `p` is `p`.
    if p.trim_matches('/').len() != p.len() {
        p = match p {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim_matches('/')),
            Cow::Owned(s) => Cow::Owned(s.trim_matches('/').to_string()),
        };
    }
    if p.is_empty() { None } else { Some((p, cut)) }
}

/// True when `p` looks like a file path: it has a `/` or a file extension, and is
/// not a URL, a version number, an identifier like `pkg.Func`, or a host:port.
fn looks_like_path(p: &str, has_lines: bool) -> bool {
    // A directory (`pkg/foo/`) is cited like a file.
    let p = p.trim_end_matches('/');
    if p.is_empty() || p.len() > 300 {
        return false;
    }
    let Some(slashes) = path_slashes(p) else {
        return false;
    };
    looks_like_file_path(p, &slashes, has_lines)
}

/// [`looks_like_path`] of a path of path characters with a letter, not empty,
/// not ending with `/`, once its slashes are known.
fn looks_like_file_path(p: &str, slashes: &Slashes, has_lines: bool) -> bool {
    // A text of path characters holds no `:` and no space: of the forms of a
    // URL, it can only open with `www.`.
    if p.get(..4).is_some_and(|h| h.eq_ignore_ascii_case("www.")) {
        return false;
    }
    let last = slashes.last.map_or(p, |i| &p[i + 1..]);
    // Case matters: `exec.Cmd` is a Go type, `run.cmd` a script; the
    // extension is asked for only where it decides.
    let ext = || {
        memchr::memrchr(b'.', last.as_bytes())
            .map(|i| (&last[..i], &last[i + 1..]))
            .filter(|(stem, _)| !stem.is_empty() || last.starts_with('.'))
            .map(|(_, e)| e)
    };
    // `v` and `V` are ASCII: trimmed a byte at a time.
    let lb = last.as_bytes();
    let vs = lb.iter().take_while(|&&c| matches!(c, b'v' | b'V')).count();
    let is_version = lb[vs..].iter().all(|&c| c.is_ascii_digit() || c == b'.');
    if is_version {
        return false;
    }
    if let Some(first_slash) = slashes.first {
        if slashes.double {
            return false;
        }
        let first = &p[..first_slash];
        // `k8s.io/client-go/tools` is an import path, not a file; `foo/bar` with
        // lines, a known extension, or a known top directory is a file.
        return has_lines
            || ext().is_some_and(is_file_ext)
            || TOP_DIRS.contains(&first)
            || last.starts_with('.');
    }
    let ext = ext();
    let known_ext = ext.is_some_and(is_file_ext);
    if has_lines {
        // `foo.go:12`, `Makefile:3`, `.golangci.yml:4`; not `localhost:80`.
        return ext.is_some_and(|e| e.chars().any(|c| c.is_ascii_alphabetic()))
            && (known_ext
                || ext.is_some_and(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_lowercase())))
            || matches!(last, "Makefile" | "Dockerfile" | "Taskfile" | "Justfile");
    }
    known_ext || matches!(last, "Makefile" | "Dockerfile")
}

/// Where the `/` of a path are.
struct Slashes {
    first: Option<usize>,
    last: Option<usize>,
    /// Two in a row.
    double: bool,
}

/// The slashes of `p` when it holds only path characters and a letter (see
/// [`path_chars`]); an ASCII text is read in one pass, each byte classed
/// through a table.
fn path_slashes(p: &str) -> Option<Slashes> {
    if !p.is_ascii() {
        return path_chars(p).then(|| Slashes {
            first: p.find('/'),
            last: p.rfind('/'),
            double: p.contains("//"),
        });
    }
    let (n, letter, s) = path_prefix(p.as_bytes());
    (n == p.len() && letter).then_some(s)
}

/// The run of path bytes ([`PATH_BYTE_CLASS`]) that opens `b`: its length,
/// whether it holds a letter, and where its slashes are.
fn path_prefix(b: &[u8]) -> (usize, bool, Slashes) {
    // Every byte is classed through the table, and its slashes noted in the
    // same pass (a path is short: three vectorised searches cost more). A
    // byte that is no slash costs only its class test: a slash is told by
    // its own class bit, and a double slash by the last one noted, not by a
    // flag kept at every byte.
    let mut s = Slashes {
        first: None,
        last: None,
        double: false,
    };
    let mut n = 0;
    while let Some(&c) = b.get(n) {
        let class = PATH_BYTE_CLASS[usize::from(c)];
        if class & PATH_BYTE == 0 {
            break;
        }
        if class & SLASH_BYTE != 0 {
            s.double |= s.last.is_some_and(|l| l + 1 == n);
            s.first.get_or_insert(n);
            s.last = Some(n);
        }
        n += 1;
    }
    // Most paths open with a letter: it is looked for once the run is known,
    // from its start, rather than noted at each byte.
    let letter = b[..n]
        .iter()
        .any(|&c| PATH_BYTE_CLASS[usize::from(c)] & LETTER_BYTE != 0);
    (n, letter, s)
}

/// [`PATH_BYTE_CLASS`]: a byte a path may hold.
const PATH_BYTE: u8 = 1;
/// [`PATH_BYTE_CLASS`]: an ASCII letter.
const LETTER_BYTE: u8 = 2;
/// [`PATH_BYTE_CLASS`]: `/`.
const SLASH_BYTE: u8 = 4;

/// What each byte is to [`path_slashes`]: ASCII letters and digits and
/// `/ . _ - @ + ~ $ { }` are path bytes, letters are letters too.
const PATH_BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'/' | b'.' | b'_' | b'-' | b'@' | b'+' | b'~' | b'$' | b'{' | b'}'
            )
        {
            t[i] = PATH_BYTE;
        }
        if b.is_ascii_alphabetic() {
            t[i] |= LETTER_BYTE;
        }
        if b == b'/' {
            t[i] |= SLASH_BYTE;
        }
        i += 1;
    }
    t
};

/// `p` holds only characters a path may hold (letters and digits of any script,
/// `/ . _ - @ + ~ $ { }`) and at least one letter. An ASCII text is read a byte
/// at a time.
fn path_chars(p: &str) -> bool {
    let path_char = |c: char| {
        c.is_alphanumeric()
            || matches!(c, '/' | '.' | '_' | '-' | '@' | '+' | '~' | '$' | '{' | '}')
    };
    if !p.is_ascii() {
        return p.chars().all(path_char) && p.chars().any(char::is_alphabetic);
    }
    let mut letter = false;
    for &b in p.as_bytes() {
        letter |= b.is_ascii_alphabetic();
        if !(b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'/' | b'.' | b'_' | b'-' | b'@' | b'+' | b'~' | b'$' | b'{' | b'}'
            ))
        {
            return false;
        }
    }
    letter
}

fn push_ranges(out: &mut Vec<Location>, path: &str, ranges: &[(u32, u32)]) {
    if ranges.is_empty() {
        out.push(Location {
            path: path.to_string(),
            start: None,
            end: None,
        });
    }
    for &(s, e) in ranges {
        out.push(Location {
            path: path.to_string(),
            start: Some(s),
            end: Some(e),
        });
    }
}

/// Removes repeats, and a bare path when the same path is also cited with lines.
fn dedup(locs: Vec<Location>) -> Vec<Location> {
    // One location is never a repeat, nor bare beside another of its path.
    if locs.len() <= 1 {
        return locs;
    }
    // A text cites a few locations: comparing each with the ones before it is
    // cheaper than building sets, and keeps the same ones in the same order.
    if locs.len() <= SMALL {
        // Equal locations are both bare and redundant or both not: a location
        // is kept when it is not, and no equal one comes before it.
        let mut keep = [false; SMALL];
        for (i, l) in locs.iter().enumerate() {
            let bare_redundant =
                l.start.is_none() && locs.iter().any(|o| o.start.is_some() && o.path == l.path);
            keep[i] = !bare_redundant && !locs[..i].contains(l);
        }
        let mut locs = locs;
        let mut i = 0;
        locs.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        return locs;
    }
    dedup_with_sets(locs)
}

/// [`dedup`] through sets: for long lists, and the reference the pairwise form's
/// property test compares with.
fn dedup_with_sets(locs: Vec<Location>) -> Vec<Location> {
    let mut seen = std::collections::BTreeSet::new();
    let with_lines: std::collections::BTreeSet<String> = locs
        .iter()
        .filter(|l| l.start.is_some())
        .map(|l| l.path.clone())
        .collect();
    locs.into_iter()
        .filter(|l| l.start.is_some() || !with_lines.contains(&l.path))
        .filter(|l| seen.insert(l.clone()))
        .collect()
}

/// Up to this many locations, [`dedup`] compares pairs instead of building sets.
const SMALL: usize = 16;

#[cfg(test)]
mod tests {
    /// [`path_prefix`] as it was, a slash told by comparing each byte and a
    /// double slash by a flag kept at each byte; the letter noted at each byte.
    fn path_prefix_by_flags(b: &[u8]) -> (usize, bool, Slashes) {
        let mut any = 0;
        let mut s = Slashes {
            first: None,
            last: None,
            double: false,
        };
        let mut after_slash = false;
        let mut n = 0;
        while let Some(&c) = b.get(n) {
            let class = PATH_BYTE_CLASS[usize::from(c)];
            if class & PATH_BYTE == 0 {
                break;
            }
            any |= class;
            let slash = c == b'/';
            if slash {
                s.first.get_or_insert(n);
                s.last = Some(n);
                s.double |= after_slash;
            }
            after_slash = slash;
            n += 1;
        }
        (n, any & LETTER_BYTE != 0, s)
    }

    proptest::proptest! {
        /// Slashes told by their class bit and the last one noted are the
        /// slashes the per-byte flags found.
        #[test]
        fn path_prefix_agrees_with_the_flags(s in "[a/.1_:Z é-]{0,14}") {
            let flat = |(n, letter, s): (usize, bool, Slashes)| (n, letter, s.first, s.last, s.double);
            proptest::prop_assert_eq!(
                flat(path_prefix(s.as_bytes())),
                flat(path_prefix_by_flags(s.as_bytes())),
                "{}", s
            );
        }
    }

    /// [`is_url`] as it was: the text trimmed at its start by characters, and
    /// `://` looked for in every window of three bytes.
    fn is_url_by_windows(s: &str) -> bool {
        let l = s.trim_start();
        let starts = |p: &str| l.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
        l.as_bytes().windows(3).any(|w| w == b"://") || starts("mailto:") || starts("www.")
    }

    proptest::proptest! {
        #[test]
        fn is_url_agrees_with_the_window_form(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    ":", "/", "//", "://", "http", "MAILTO:", "mailto", "WWW.", "www", ".", " ",
                    "\t", "\u{a0}", "é", "x", "a.go:1",
                ]),
                0..8,
            )
        ) {
            let s = parts.concat();
            proptest::prop_assert_eq!(is_url(&s), is_url_by_windows(&s), "{}", s);
        }
    }

    use super::*;

    fn locs(text: &str) -> Vec<String> {
        extract_locations(text)
            .iter()
            .map(|l| l.to_string())
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn pairwise_dedup_agrees_with_sets(
            raw in proptest::collection::vec((0usize..3, proptest::option::of(1u32..4)), 0..20)
        ) {
            let locs: Vec<Location> = raw
                .iter()
                .map(|&(p, line)| Location {
                    path: ["a.go", "b.go", "c/d.rs"][p].to_string(),
                    start: line,
                    end: line,
                })
                .collect();
            proptest::prop_assert_eq!(dedup(locs.clone()), dedup_with_sets(locs));
        }

        /// Forward scans and the index find the same closers, in any order of calls.
        #[test]
        fn closer_scan_agrees_with_the_index(
            text in "[`a]{0,40}",
            calls in proptest::collection::vec((0usize..40, 1usize..4), 0..10),
        ) {
            let bytes = text.as_bytes();
            let mut scan = Closers::with_budget(usize::MAX);
            let mut index = Closers::with_budget(0);
            let mut small = Closers::with_budget(5);
            for (from, ticks) in calls {
                // `from` follows a run (or is a non-backtick position).
                if from > bytes.len() || bytes.get(from) == Some(&b'`') {
                    continue;
                }
                let want = index.find(bytes, from, ticks);
                proptest::prop_assert_eq!(scan.find(bytes, from, ticks), want);
                proptest::prop_assert_eq!(small.find(bytes, from, ticks), want);
            }
        }
    }

    /// The form [`normalize`] replaced: a new string from the start.
    fn normalize_copying(raw: &str) -> Option<(String, bool)> {
        let mut cut = true;
        let mut p = raw.trim().replace('\\', "/");
        loop {
            let stripped = ["./", "../", ".../", "…/"]
                .iter()
                .find_map(|pre| p.strip_prefix(pre).map(str::to_string));
            match stripped {
                Some(rest) => p = rest,
                None => break,
            }
        }
        let is_abs = p.starts_with('/')
            || p.starts_with("~/")
            || p.chars().nth(1) == Some(':')
                && p.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if is_abs {
            let segs: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
            let home_skip = match segs
                .iter()
                .position(|s| s.eq_ignore_ascii_case("users") || *s == "home" || *s == "~")
            {
                Some(i) if *segs.get(i).unwrap_or(&"") == "~" => i + 2,
                Some(i) => i + 3,
                None => 0,
            };
            let found = segs
                .iter()
                .enumerate()
                .skip(home_skip)
                .find(|(_, s)| TOP_DIRS.contains(s))
                .map(|(i, _)| i);
            let keep = match found {
                Some(i) => segs[i..].join("/"),
                None => {
                    cut = false;
                    segs.last().map(|s| (*s).to_string()).unwrap_or_default()
                }
            };
            p = keep;
        }
        let trimmed = p.trim_matches('/');
        let p = if trimmed.len() == p.len() {
            p
        } else {
            trimmed.to_string()
        };
        if p.is_empty() { None } else { Some((p, cut)) }
    }

    proptest::proptest! {
        #[test]
        fn borrowing_normalize_agrees_with_the_copying_form(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "/", "\\", "./", "../", ".../", "…/", "~", "~/", "C:", " ", "Users", "home",
                    "me", "pkg", "src", "a.go", "x", "é", ".",
                ]),
                0..12,
            )
        ) {
            let raw = parts.concat();
            proptest::prop_assert_eq!(
                normalize(&raw).map(|(p, cut)| (p.into_owned(), cut)),
                normalize_copying(&raw)
            );
        }
    }

    /// The form [`looks_like_path`] replaced: its first tests as chars, the URL
    /// test first.
    fn looks_like_path_by_chars(p: &str, has_lines: bool) -> bool {
        // A directory (`pkg/foo/`) is cited like a file.
        let p = p.trim_end_matches('/');
        if p.is_empty() || is_url(p) || p.len() > 300 {
            return false;
        }
        if !p.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(c, '/' | '.' | '_' | '-' | '@' | '+' | '~' | '$' | '{' | '}')
        }) {
            return false;
        }
        if !p.chars().any(|c| c.is_alphabetic()) {
            return false;
        }
        let last = p.rsplit('/').next().unwrap_or(p);
        let ext = last
            .rsplit_once('.')
            .filter(|(stem, _)| !stem.is_empty() || last.starts_with('.'))
            .map(|(_, e)| e);
        // Case matters: `exec.Cmd` is a Go type, `run.cmd` a script.
        let known_ext = ext.is_some_and(is_file_ext);
        let is_version = last
            .trim_start_matches(['v', 'V'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.');
        if is_version {
            return false;
        }
        if p.contains('/') {
            if p.as_bytes().windows(2).any(|w| w == b"//") {
                return false;
            }
            let first = p.split('/').next().unwrap_or("");
            // `k8s.io/client-go/tools` is an import path, not a file; `foo/bar` with
            // lines, a known extension, or a known top directory is a file.
            return has_lines || known_ext || TOP_DIRS.contains(&first) || last.starts_with('.');
        }
        if has_lines {
            // `foo.go:12`, `Makefile:3`, `.golangci.yml:4`; not `localhost:80`.
            return ext.is_some_and(|e| e.chars().any(|c| c.is_ascii_alphabetic()))
                && (known_ext
                    || ext.is_some_and(|e| {
                        e.len() <= 5 && e.chars().all(|c| c.is_ascii_lowercase())
                    }))
                || matches!(last, "Makefile" | "Dockerfile" | "Taskfile" | "Justfile");
        }
        known_ext || matches!(last, "Makefile" | "Dockerfile")
    }

    /// The form [`parse_word`] replaced: the colons found by reading the
    /// characters from the end.
    fn parse_word_by_chars(w: &str) -> Option<(Cow<'_, str>, LineRanges)> {
        let mut split = None;
        for (idx, ch) in w.char_indices().rev() {
            if ch == ':' {
                let after = &w[idx + 1..];
                if after.starts_with(|c: char| c.is_ascii_digit())
                    || (after.starts_with('L')
                        && after[1..].starts_with(|c: char| c.is_ascii_digit()))
                {
                    split = Some(idx);
                    let before = &w[..idx];
                    if let Some(prev) = before.rfind(':') {
                        let mid = &before[prev + 1..];
                        if !mid.is_empty() && mid.chars().all(|c| c.is_ascii_digit()) {
                            split = Some(prev);
                        }
                    }
                    break;
                }
            }
        }
        let idx = split?;
        let ranges = parse_ranges(&w[idx + 1..]);
        if ranges.is_empty() {
            return None;
        }
        let path = normalize_path(&w[..idx])?;
        if !looks_like_path(&path, true) {
            return None;
        }
        Some((path, ranges))
    }

    /// The form the scan's loop replaced: every byte looked at in turn for a
    /// backtick or a `[`, the prefilter a block test of three bytes.
    fn scan_by_bytes(text: &str, out: &mut Vec<Location>) {
        if !crate::parse::markdown::any_byte(text, |b| matches!(b, b'`' | b'[' | b':')) {
            return;
        }
        let mut last_path: Option<Cow<'_, str>> = None;
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut plain = 0;
        let mut closers = Closers::new();
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'`' {
                scan_plain(&text[plain..i], out, &mut last_path);
                let ticks = count_run(bytes, i, b'`');
                let content_start = i + ticks;
                match closers.find(bytes, content_start, ticks) {
                    Some(close) => {
                        scan_code_span(&text[content_start..close], out, &mut last_path);
                        i = close + ticks;
                    }
                    None => i = content_start,
                }
                plain = i;
                continue;
            }
            if c == b'[' {
                if let Some((link_text, target, next)) = parse_link(text, i) {
                    scan_plain(&text[plain..i], out, &mut last_path);
                    scan_link(link_text, target, out, &mut last_path);
                    i = next;
                    plain = i;
                    continue;
                }
            }
            i += 1;
        }
        scan_plain(&text[plain..], out, &mut last_path);
    }

    /// [`plain_range`] as it was: the spec cut at its first `-`, each side
    /// tested for digits, then summed.
    fn plain_range_at_the_dash(spec: &str) -> Option<(u32, u32)> {
        let b = spec.as_bytes();
        let digits = |s: &[u8]| -> Option<u32> {
            if s.is_empty() || s.len() > 7 || !s.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let n = s.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
            (n != 0).then_some(n)
        };
        let (a, z) = match b.iter().position(|&c| c == b'-') {
            Some(i) => (digits(&b[..i])?, digits(&b[i + 1..])?),
            None => {
                let a = digits(b)?;
                (a, a)
            }
        };
        Some((a.min(z), a.max(z)))
    }

    /// [`span_content_start`] as it was: every byte read by the loop.
    fn span_content_start_by_loop(text: &str) -> Option<usize> {
        let b = text.as_bytes();
        let open = b
            .iter()
            .position(|&c| matches!(c, b'`' | b'[' | b':' | b'('))?;
        (b[open] == b'`').then_some(open + 1)
    }

    proptest::proptest! {
        /// The usual opening told by one compare is where the loop finds
        /// the span's content.
        #[test]
        fn span_content_start_agrees_with_the_loop(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    " — ", " – ", "—", " ", "`", "``", "[", ":", "(", "a", "é", "-", " -- ",
                ]),
                0..6,
            ),
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(
                span_content_start(&text), span_content_start_by_loop(&text), "{}", text
            );
        }
    }

    proptest::proptest! {
        /// A span read where it lies, its closer found by reading it, gives
        /// what the search for its closer gives.
        #[test]
        fn span_read_where_it_lies_agrees_with_the_closer_search(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    " — ", "`", "``", "(", ")", "[", ":", "12", "-", "30", "0", "12345678",
                    ",", " ", "a.go", "pkg/daemon/lease.go", "a.go:1-2", "www.", "x", "é", "/",
                    "L3", "(critical, gap)", "Makefile", "110-116", "v1.2", ".", "_", "\t",
                ]),
                0..10,
            ),
            shaped in proptest::bool::ANY,
        ) {
            // Half the texts open with the usual ` — ` and a backtick.
            let text = if shaped {
                format!(" — `{}", parts.concat())
            } else {
                parts.concat()
            };
            let searched = span_content_start(&text).and_then(|c| span_then_by_search(&text, c));
            proptest::prop_assert_eq!(span_then_locations(&text), searched, "{}", text);
        }

        /// The span's locations are the text's when what follows the span
        /// holds no backtick, `[` or `:`, and only then does the full
        /// reading give them.
        #[test]
        fn span_then_locations_are_the_texts_when_the_rest_cites_nothing(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    " — ", "`", "``", "(", ")", "[", "]", ":", "12", "-", "30", ",", " ",
                    "a.go", "pkg/daemon/lease.go", "a.go:1-2", "(critical, gap)", "x", "é",
                    "[a](b.go#L3)", "Makefile", "L3", "a.go:3", "www.", "\t",
                ]),
                0..10,
            ),
            shaped in proptest::bool::ANY,
        ) {
            let text = if shaped {
                format!(" — `{}", parts.concat())
            } else {
                parts.concat()
            };
            // The first location alone is the first of the vector.
            proptest::prop_assert_eq!(
                span_then_prose_first_location(&text),
                span_then_prose_locations(&text).map(|(locs, _)| locs.into_iter().next()),
                "{}",
                text
            );
            if let Some((locs, end)) = span_then_locations(&text) {
                let rest_cites_nothing =
                    memchr::memchr3(b'`', b'[', b':', &text.as_bytes()[end..]).is_none();
                if rest_cites_nothing {
                    proptest::prop_assert_eq!(&locs, &extract_locations(&text), "{}", text);
                }
                let full = span_then_prose_locations(&text);
                proptest::prop_assert_eq!(full, rest_cites_nothing.then_some((locs, end)), "{}", text);
            } else {
                proptest::prop_assert_eq!(span_then_prose_locations(&text), None, "{}", text);
            }
        }
    }

    proptest::proptest! {
        /// The one-pass reading of a `path:spec` span cites what reading it
        /// word by word cites, and leaves the same path to continue.
        #[test]
        fn span_read_in_one_pass_agrees_with_the_words(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    ":", "1", "12", "0", "-", "–", ",", "L", "a.go", "pkg/", "/", "x", ".", "_",
                    "www.", "WWW.", "C:", "\\", "é", " ", "\t", "(", "`", "*", "Makefile",
                    "v1", "//", "http:", "12345678", "~", ".github/", "ww", "w.", "Dockerfile",
                    "pkg/daemon/lease.go", "go", ".", "L1", "12-", "\u{a0}",
                ]),
                0..8,
            ),
            prev in proptest::option::of(proptest::sample::select(vec!["a.go", "pkg/b.rs"])),
        ) {
            let content = parts.concat();
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let (mut pa, mut pb) = (prev.map(Cow::Borrowed), prev.map(Cow::Borrowed));
            scan_code_span(&content, &mut a, &mut pa);
            scan_code_span_by_words(&content, &mut b, &mut pb);
            proptest::prop_assert_eq!(a, b, "{}", content);
            proptest::prop_assert_eq!(pa, pb, "{}", content);
        }
    }

    proptest::proptest! {
        #[test]
        fn word_colons_found_from_the_end_agree_with_the_chars(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    ":", "L", "1", "12", "-", ",", "a.go", "pkg/", "C:", "\\", "é", "x", ":5",
                ]),
                0..8,
            )
        ) {
            let w = parts.concat();
            proptest::prop_assert_eq!(parse_word(&w), parse_word_by_chars(&w));
        }

        #[test]
        fn scan_jumping_to_spans_agrees_with_the_byte_loop(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "`", "``", "[", "](", ")", "]", " ", ":", "a.go:1", "pkg/b.rs", "x", "é",
                    "/Users/me/r/pkg/c.go#L3", "12-14", ",", "https://x.io/a.go:1",
                ]),
                0..16,
            )
        ) {
            let text = parts.concat();
            let (mut a, mut b) = (Vec::new(), Vec::new());
            scan(&text, &mut a);
            scan_by_bytes(&text, &mut b);
            proptest::prop_assert_eq!(a, b, "{}", text);
        }
    }

    proptest::proptest! {
        #[test]
        fn path_test_agrees_with_the_char_form(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "/", "www.", "WWW.", "http://", ":", "a", "é", "ü", "1", ".", "go", "_",
                    "-", "@", " ", "pkg", "x.rs", "v1", "Makefile", "{", "$", "//", "٣",
                ]),
                0..8,
            ),
            has_lines in proptest::bool::ANY,
        ) {
            let p = parts.concat();
            proptest::prop_assert_eq!(
                looks_like_path(&p, has_lines),
                looks_like_path_by_chars(&p, has_lines)
            );
        }

        #[test]
        fn plain_range_read_in_one_pass_agrees_with_the_dash_search(
            s in "[0-9L,: -]{0,12}|[0-9]{1,9}(-[0-9]{1,9})?|0*[1-9][0-9]{0,7}-?",
        ) {
            proptest::prop_assert_eq!(plain_range(&s), plain_range_at_the_dash(&s));
        }

        #[test]
        fn plain_ranges_agree_with_the_parts(s in "[0-9L,: -]{0,12}|[0-9]{1,9}(-[0-9]{1,9})?") {
            proptest::prop_assert_eq!(parse_ranges(&s), parse_ranges_by_parts(&s));
        }

        #[test]
        fn trim_word_by_bytes_agrees_with_the_char_trims(s in "[,;*_!?`.:a é/]{0,10}") {
            let by_chars = s
                .trim_start_matches([',', ';', '*', '_', '!', '?', '`'])
                .trim_end_matches(|c: char| {
                    matches!(c, ',' | ';' | '.' | '*' | '_' | '!' | '?' | '`' | ':')
                });
            proptest::prop_assert_eq!(trim_word(&s), by_chars);
        }

        #[test]
        fn span_gap_bytes_agree_with_the_chars(b in 0u8..0x80) {
            proptest::prop_assert_eq!(is_span_word_gap_byte(b), is_span_word_gap(char::from(b)));
        }

        #[test]
        fn span_words_agree_with_split(s in "[a \t()\"'é\u{a0}]{0,16}") {
            proptest::prop_assert_eq!(
                span_words(&s).collect::<Vec<_>>(),
                s.split(is_span_word_gap).filter(|w| !w.is_empty()).collect::<Vec<_>>()
            );
        }

        #[test]
        fn two_words_agree_with_split(s in "[a \t()\"'é\u{a0}]{0,12}") {
            proptest::prop_assert_eq!(
                has_two_words(&s),
                s.split(is_span_word_gap).filter(|w| !w.is_empty()).nth(1).is_some()
            );
        }
    }

    #[test]
    fn has_location_agrees_with_extract_locations() {
        for text in [
            "see `pkg/a/b.go:12-30` and `c.go:7`",
            "`a.go` then a.go:3",
            "no path here: localhost:80",
            "[x.go:3](/Users/me/repo/pkg/a/x.go#L3)",
            "",
        ] {
            assert_eq!(
                has_location(text),
                !extract_locations(text).is_empty(),
                "{text}"
            );
        }
    }

    #[test]
    fn backticked_range_and_single_line() {
        assert_eq!(
            locs("see `pkg/a/b.go:12-30` and `c.go:7`"),
            ["pkg/a/b.go:12-30", "c.go:7"]
        );
    }

    #[test]
    fn plain_path_with_line() {
        assert_eq!(locs("in main.go:42, the loop"), ["main.go:42"]);
    }

    #[test]
    fn comma_lists_two_lines() {
        assert_eq!(locs("`x/y.go:12,40`"), ["x/y.go:12", "x/y.go:40"]);
    }

    #[test]
    fn l_prefixed_range() {
        assert_eq!(locs("`src/lib.rs:L12-L30`"), ["src/lib.rs:12-30"]);
    }

    #[test]
    fn bare_path_in_backticks_needs_slash_or_extension() {
        assert_eq!(
            locs("`docs/guide.md` and `config.yaml`"),
            ["docs/guide.md", "config.yaml"]
        );
        assert!(locs("`pkg.Func` and `errors.Is` and `k8s.io/client-go/tools`").is_empty());
        assert!(locs("`exec.Cmd` and `wsl.exe`").is_empty());
        assert_eq!(
            locs("`.../pkg/a.go:3` and `../b/c.go:1`"),
            ["pkg/a.go:3", "b/c.go:1"]
        );
    }

    #[test]
    fn markdown_link_with_absolute_target_uses_text() {
        assert_eq!(
            locs("[pkg/x/run.go:69-78](/Users/me/src/proj/pkg/x/run.go#L69)"),
            ["pkg/x/run.go:69-78"]
        );
    }

    #[test]
    fn markdown_link_keeps_the_longer_repository_path() {
        assert_eq!(
            locs("[x.go:3-4](/Users/me/git/proj/pkg/a/x.go#L3)"),
            ["pkg/a/x.go:3-4"]
        );
        assert_eq!(
            locs("[web/src/x.ts:2](/home/me/proj/web/src/x.ts#L2)"),
            ["web/src/x.ts:2"]
        );
        assert_eq!(locs("[`notes.txt`](/opt/stuff/notes.txt)"), ["notes.txt"]);
    }

    #[test]
    fn markdown_link_relative_target_with_anchor_range() {
        assert_eq!(
            locs("[the handler](cmd/serve.go#L10-L20)"),
            ["cmd/serve.go:10-20"]
        );
    }

    #[test]
    fn absolute_prefix_stripped_at_top_dir() {
        assert_eq!(locs("`/home/dev/src/proj/pkg/a.go:3`"), ["pkg/a.go:3"]);
        assert_eq!(
            locs("`C:\\Users\\dev\\proj\\scripts\\run.sh:9`"),
            ["scripts/run.sh:9"]
        );
        assert_eq!(
            locs("`/tmp/work/repo/.github/workflows/ci.yaml:4`"),
            [".github/workflows/ci.yaml:4"]
        );
        assert_eq!(
            locs("`.github/workflows/ci.yaml`"),
            [".github/workflows/ci.yaml"]
        );
    }

    #[test]
    fn vs_form_gives_two() {
        assert_eq!(locs("`a.go:1-2` vs `b.go:3-4`"), ["a.go:1-2", "b.go:3-4"]);
        assert_eq!(locs("a.go:1-2 vs b.go:3-4"), ["a.go:1-2", "b.go:3-4"]);
    }

    #[test]
    fn bare_range_continues_previous_path() {
        assert_eq!(
            locs("`x.go:77-85`, `110-116`"),
            ["x.go:77-85", "x.go:110-116"]
        );
        assert_eq!(
            locs("`pkg/e.go:128-140, 266-341`"),
            ["pkg/e.go:128-140", "pkg/e.go:266-341"]
        );
    }

    #[test]
    fn repeats_removed_and_ranges_ordered() {
        assert_eq!(locs("`a.go:9-3` then `a.go:3-9` and `a.go`"), ["a.go:3-9"]);
    }

    #[test]
    fn urls_and_versions_are_not_paths() {
        assert!(
            locs("see https://example.com/a/b.go:12 and `v1.2.3` and localhost:8080").is_empty()
        );
        assert!(locs("[docs](https://example.com/x.md#L3)").is_empty());
        assert!(locs("go 1.22:3 and 10.0.0.1:443").is_empty());
    }

    #[test]
    fn line_and_column() {
        assert_eq!(locs("`main.rs:12:5`"), ["main.rs:12"]);
    }

    proptest::proptest! {
        #[test]
        fn invariants_hold_on_any_input(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("`".to_string()),
                    proptest::strategy::Just("[".to_string()),
                    proptest::strategy::Just("](".to_string()),
                    proptest::strategy::Just(")".to_string()),
                    proptest::strategy::Just("/Users/me/x/".to_string()),
                    proptest::strategy::Just("pkg/a.go".to_string()),
                    proptest::strategy::Just(":".to_string()),
                    proptest::strategy::Just("#L".to_string()),
                    proptest::strategy::Just("-".to_string()),
                    proptest::strategy::Just(",".to_string()),
                    proptest::strategy::Just(" ".to_string()),
                    "[0-9]{1,3}",
                    "\\PC{0,4}",
                ],
                0..40,
            )
        ) {
            let found = extract_locations(&parts.concat());
            let mut seen = std::collections::BTreeSet::new();
            for l in &found {
                proptest::prop_assert!(l.start <= l.end);
                proptest::prop_assert!(!l.path.starts_with('/'), "{}", l.path);
                proptest::prop_assert!(!l.path.contains('\\'), "{}", l.path);
                proptest::prop_assert!(seen.insert(l.clone()), "repeat {}", l);
            }
        }
    }

    #[test]
    fn unicode_does_not_panic() {
        assert_eq!(locs("é `ü/ä.go:1` — ✓ `"), ["ü/ä.go:1"]);
    }
}
