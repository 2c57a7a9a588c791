//! Completeness: the last stage of review parsing. Is the text a whole review?
//!
//! A recorded review can be less than the agent wrote: an appendix that kept only
//! the first lines and a sentence pointing at the temporary file that held the
//! rest, a summary listing finding ids without the findings, a response cut off
//! mid-finding, or nothing at all. Parsed as if whole, such a review says "no
//! findings" (or fewer) and every figure built on it is wrong without a word.
//! This stage names what it sees so that the round is reported as incomplete.
//!
//! Invariants: the signals are about the *shape* of the text (where it ends,
//! what its last lines say, what it mentions but does not hold), never about a
//! particular report or tool; a review with findings is only called incomplete
//! on positive evidence of a cut (a pointer after its last finding, an explicit
//! truncation marker, a code block or finding that never ends).

use crate::model::{Incomplete, IncompleteKind, RawFinding, Severity};
use crate::parse::markdown::{Line, LineKind};

/// What the review parser knows when the text ends.
#[derive(Debug)]
pub struct Evidence<'a> {
    /// Every scanned line of the (unwrapped) review.
    pub lines: &'a [Line<'a>],
    /// The findings parsed.
    pub findings: &'a [RawFinding],
    /// The review says it has no findings.
    pub explicit_no_findings: bool,
    /// First line of the finding being read when the text ended, if any.
    pub open_finding: Option<u32>,
}

/// How many non-blank lines at the end are searched for a truncation marker.
const TAIL_LINES: usize = 3;

/// Judges whether the review is whole; `None` when nothing says otherwise.
pub fn assess(e: &Evidence<'_>) -> Option<Incomplete> {
    let is_prose =
        |l: &&Line<'_>| !matches!(l.kind, LineKind::Code | LineKind::Fence | LineKind::Blank);
    if e.findings.is_empty() && !e.lines.iter().any(|l| is_prose(&l)) {
        return Some(Incomplete {
            kind: IncompleteKind::Empty,
            reason: "the review holds no text".into(),
            line: None,
        });
    }
    let last_finding_line = e.findings.iter().map(|f| f.line).max();
    // A pointer to the full review, before any finding (the review is a stub) or
    // after the last one (the rest was left elsewhere). With findings, the lines
    // up to the last one cannot decide anything (a stub has none): line numbers
    // never decrease, so the search starts after them.
    let from = last_finding_line.map_or(0, |f| e.lines.partition_point(|l| l.no <= f));
    for l in e.lines[from..].iter().filter(is_prose) {
        if !may_point(l.text) {
            continue;
        }
        if let Some(what) = pointer(l.text) {
            let after_findings = last_finding_line.is_none_or(|f| l.no > f);
            let stub = e.findings.is_empty() && !e.explicit_no_findings;
            if stub || (after_findings && what.has_path && !what.says_here) {
                return Some(Incomplete {
                    kind: IncompleteKind::Pointer,
                    reason: format!(
                        "the review points elsewhere for its full text: {}",
                        clip(l.text.trim())
                    ),
                    line: Some(l.no),
                });
            }
        }
    }
    if let Some(l) = e
        .lines
        .iter()
        .rev()
        .filter(is_prose)
        .take(TAIL_LINES)
        .find(|l| is_truncation_marker(l.text))
    {
        return Some(Incomplete {
            kind: IncompleteKind::Truncated,
            reason: format!("the review says it was cut off: {}", clip(l.text.trim())),
            line: Some(l.no),
        });
    }
    // Only a finding still open at the end can have been cut inside its code
    // block: most reviews end with a section that closed their last finding,
    // and their lines are not walked again for a fence (both tests are pure,
    // so their order decides nothing).
    if e.open_finding.is_some() {
        if let Some(open) = unclosed_fence(e.lines) {
            return Some(Incomplete {
                kind: IncompleteKind::Truncated,
                reason: "the review ends inside a code block of its last finding".into(),
                line: Some(open),
            });
        }
    }
    if let (Some(start), Some(last)) = (e.open_finding, e.lines.iter().rev().find(is_prose)) {
        if ends_mid_sentence(last.text) && last.no > start {
            return Some(Incomplete {
                kind: IncompleteKind::Truncated,
                reason: format!(
                    "the review ends mid-sentence inside its last finding: {}",
                    clip(last.text.trim())
                ),
                line: Some(last.no),
            });
        }
    }
    if e.findings.is_empty() && !e.explicit_no_findings {
        let prose: Vec<&Line<'_>> = e.lines.iter().filter(is_prose).collect();
        let ids = mentioned_ids(&prose);
        if !ids.is_empty() {
            let line = prose
                .iter()
                .find(|l| !mentioned_ids(&[l]).is_empty())
                .map(|l| l.no);
            return Some(Incomplete {
                kind: IncompleteKind::SummaryOnly,
                reason: format!(
                    "the review mentions findings ({}) but holds none of them",
                    ids.join(", ")
                ),
                line,
            });
        }
    }
    None
}

/// What a pointer line says.
struct Pointer {
    /// It names a file.
    has_path: bool,
    /// It says the text follows here anyway (`reproduced below`).
    says_here: bool,
}

/// A cheap test that is false whenever [`pointer`] is `None`: `line` holds one
/// of the words of which every pointer holds one (each phrase of [`pointer`],
/// each review file name), `review`, `output`, `response`, `findings` or
/// `workdir`, in any ASCII case (what `pointer` sees after
/// `to_ascii_lowercase`).
fn may_point(line: &str) -> bool {
    may_hold_pointer_key(line) && holds_pointer_word(line) && holds_pointer_key(line)
}

/// False whenever [`holds_pointer_key`] is: `line` holds, each byte `| 0x20`
/// (which lowercases an ASCII letter and leaves `.` and the space as they
/// are), one of the pairs or triples [`block_may_hold_pointer_key`] looks
/// for, each inside one of the keys. Asked first, as it tells most lines: a
/// review's coverage rows hold `Reviewed` (a pointer word) but no key. Every
/// window of three bytes is tested without a branch, 16 windows at a time,
/// which the compiler vectorises, and the last windows through a copy padded
/// with bytes no window test asks for (no loop over the rest byte by byte):
/// the letter-by-letter tests stop at every `r`, `o`, `f` and `w` of the
/// prose, about ten instructions a byte.
fn may_hold_pointer_key(line: &str) -> bool {
    let b = line.as_bytes();
    let mut i = 0;
    while let Some(block) = b.get(i..i + 18) {
        if block_may_hold_pointer_key(block) {
            return true;
        }
        i += 16;
    }
    let rest = b.get(i..).unwrap_or_default();
    let mut padded = [0xFF; 18];
    match padded.get_mut(..rest.len()) {
        Some(head) if rest.len() >= 2 => {
            head.copy_from_slice(rest);
            block_may_hold_pointer_key(&padded)
        }
        _ => false,
    }
}

/// Whether one of the 16 windows of three bytes that open `w` (18 bytes or
/// more; only the first 18 are read) is, each byte `| 0x20`, `.` then `m`,
/// `t`, `l` or `j` (`.md`, `.txt`, `.log`, `.json`), or `ful` (`full`),
/// `mpl` (`complete`), `res` (`rest of`), `rem` (`remain`), `w f` (`review
/// file`) or `kdi` (`workdir`). Bytes `0xFF` are none of these, nor part of
/// a pair.
fn block_may_hold_pointer_key(w: &[u8]) -> bool {
    let Some(w) = w.get(..18) else {
        return false;
    };
    let mut hit = false;
    for ((&x, &y), &z) in w[..16].iter().zip(&w[1..17]).zip(&w[2..18]) {
        let (x, y, z) = (x | 0x20, y | 0x20, z | 0x20);
        hit |= (x == b'.') & ((y == b'm') | (y == b't') | (y == b'l') | (y == b'j'))
            | (x == b'f') & (y == b'u') & (z == b'l')
            | (x == b'm') & (y == b'p') & (z == b'l')
            | (x == b'r') & (y == b'e') & ((z == b's') | (z == b'm'))
            | (x == b'w') & (y == b' ') & (z == b'f')
            | (x == b'k') & (y == b'd') & (z == b'i');
    }
    hit
}

/// The first half of [`may_point`]: `line` holds `review`, `output`,
/// `response`, `findings` or `workdir` in any ASCII case.
fn holds_pointer_word(line: &str) -> bool {
    let b = line.as_bytes();
    let at = |i: usize, w: &[u8]| {
        b.get(i..i + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w))
    };
    // The words open with `r`, `o`, `f` or `w` (`| 0x20` lowercases an ASCII
    // letter, and no other byte gives those): only there is a word compared,
    // and only the words that open with that letter, the two `r` words only
    // after an `e`.
    b.iter().enumerate().any(|(i, &c)| match c | 0x20 {
        b'r' => {
            b.get(i + 1).is_some_and(|&e| e | 0x20 == b'e')
                && (at(i, b"review") || at(i, b"response"))
        }
        b'o' => at(i, b"output"),
        b'f' => at(i, b"findings"),
        b'w' => at(i, b"workdir"),
        _ => false,
    })
}

/// The second half of [`may_point`]: `line` holds, in any ASCII case, an
/// extension a review file ends with (`.md`, `.txt`, `.log`, `.json`) or a
/// part of every phrase of [`pointer`] (`full`, `complete`, `rest of`,
/// `remain`, `review file`, `workdir`). A line that holds a pointer word
/// only as prose (`Reviewed, no issues`) is told without a lowercased copy.
fn holds_pointer_key(line: &str) -> bool {
    let b = line.as_bytes();
    let at = |i: usize, w: &[u8]| {
        b.get(i..i + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w))
    };
    b.iter().enumerate().any(|(i, &c)| match c | 0x20 {
        // `.` | 0x20 is `.` (so is a control byte, which no key then matches).
        b'.' => at(i, b".md") || at(i, b".txt") || at(i, b".log") || at(i, b".json"),
        b'f' => at(i, b"full"),
        b'c' => at(i, b"complete"),
        b'r' => at(i, b"rest of") || at(i, b"remain") || at(i, b"review file"),
        b'w' => at(i, b"workdir"),
        _ => false,
    })
}

/// A line that points at where the review's full text is.
fn pointer(line: &str) -> Option<Pointer> {
    let lower = line.to_ascii_lowercase();
    let has_path = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '`' | '(' | ')' | '[' | ']' | '"' | '\''))
        .any(is_review_file);
    let phrase = [
        "full review",
        "complete review",
        "full text of the review",
        "rest of the review",
        "remainder of the review",
        "remaining findings",
        "full findings",
        "full output",
        "review file",
        "see the workdir",
        "in the workdir",
    ]
    .iter()
    .any(|p| lower.contains(p));
    let says_here = [
        "reproduced below",
        "follows below",
        "included below",
        "recovered",
    ]
    .iter()
    .any(|p| lower.contains(p));
    (has_path
        || phrase
            && (lower.contains("see ") || lower.contains(" in ") || lower.contains("available")))
    .then_some(Pointer {
        has_path,
        says_here,
    })
}

/// A path to a file that holds a review: `…/review-codex-pass-1.md`, `review.md`,
/// `claude-output.txt` (the file name says review or output).
fn is_review_file(token: &str) -> bool {
    let t = token.trim_matches(|c: char| matches!(c, ',' | '.' | ':' | ';' | '*'));
    let Some(name) = t.rsplit('/').next() else {
        return false;
    };
    let ext_ok = [".md", ".txt", ".log", ".json"]
        .iter()
        .any(|e| name.ends_with(e));
    let named = name.contains("review") || name.contains("output") || name.contains("response");
    ext_ok && named && (t.contains('/') || name.contains("pass"))
}

/// `[truncated]`, `… (output truncated)`, `<response cut off>`: a short line that
/// says the text stops early.
fn is_truncation_marker(line: &str) -> bool {
    // The marker opens with a bracket, a dot or an ellipsis, or with `output`
    // or `response` in any ASCII case: most lines are told by their first
    // bytes, without a lowercased copy.
    let t = line.trim();
    let starts = |w: &[u8]| {
        t.as_bytes()
            .get(..w.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(w))
    };
    if !(t.starts_with(['[', '(', '<', '…', '.']) || starts(b"output") || starts(b"response")) {
        return false;
    }
    is_truncation_marker_lowercased(line)
}

/// [`is_truncation_marker`] through a lowercased copy of the line.
fn is_truncation_marker_lowercased(line: &str) -> bool {
    let lower = line.trim().to_ascii_lowercase();
    if lower.chars().count() > 100 {
        return false;
    }
    let words = [
        "truncated",
        "cut off",
        "output limit",
        "token limit",
        "max tokens",
        "context limit",
        "remaining output omitted",
        "output omitted",
    ];
    let bracketed = lower.starts_with(['[', '(', '<', '…', '.']) || lower.starts_with("...");
    words.iter().any(|w| lower.contains(w))
        && (bracketed || lower.starts_with("output") || lower.starts_with("response"))
}

/// The line of a code fence that is still open when the text ends.
fn unclosed_fence(lines: &[Line<'_>]) -> Option<u32> {
    let mut open = None;
    for l in lines {
        if l.kind == LineKind::Fence {
            open = match open {
                Some(_) => None,
                None => Some(l.no),
            };
        }
    }
    open
}

/// A line that stops where no sentence, list or table would: a word or a comma
/// with no closing punctuation, an unbalanced backtick.
fn ends_mid_sentence(line: &str) -> bool {
    let t = line.trim_end();
    if t.starts_with('|') || t.starts_with('#') {
        return false;
    }
    if t.matches('`').count() % 2 == 1 {
        return true;
    }
    t.chars().last().is_some_and(|c| {
        matches!(c, ',' | '(' | '—' | '–')
            || (c.is_alphanumeric()
                && t.split_whitespace().count() > 3
                && !t.ends_with(char::is_numeric))
    })
}

/// Finding ids (`C1`, `I2`, `S3`) that prose lines mention.
fn mentioned_ids(lines: &[&Line<'_>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in lines {
        for w in l.text.split(|c: char| !c.is_ascii_alphanumeric()) {
            let mut cs = w.chars();
            let Some(first) = cs.next() else { continue };
            let digits = &w[1..];
            if Severity::from_letter(first).is_some()
                && first.is_ascii_uppercase()
                && !digits.is_empty()
                && digits.len() <= 2
                && digits.chars().all(|c| c.is_ascii_digit())
                && !out.iter().any(|x| x == w)
            {
                out.push(w.to_string());
            }
        }
    }
    out
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(100).collect();
    if s.chars().count() > 100 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::model::IncompleteKind;
    use crate::parse::review::parse_review;

    fn kind(text: &str) -> Option<IncompleteKind> {
        parse_review(text, 1).incomplete.map(|i| i.kind)
    }

    #[test]
    fn whole_reviews_are_complete() {
        assert_eq!(
            kind("### Suggestions\n\nS1. **Name it** — `a.go:1`\n\nUse a constant.\n"),
            None
        );
        assert_eq!(kind("## Findings\n\nNo issues found.\n"), None);
    }

    proptest::proptest! {
        /// The prefilter never hides a pointer.
        #[test]
        fn may_point_holds_whenever_pointer_does(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    " ", "/", ".md", "`", "see ", " in ", "Full REVIEW", "rest of the Review",
                    "OUTPUT", "Response", "findings", "WorkDir", "pass", "available", "x", "é",
                    ".TXT", ".log", ".json", "Complete", "remainder of the", "remaining ",
                    "review file", "the ", "full", "-output", "review-a-pass-1", "Reviewed, no issues",
                ]),
                0..10,
            )
        ) {
            let line = parts.concat();
            if super::pointer(&line).is_some() {
                proptest::prop_assert!(super::may_point(&line), "{}", line);
            }
        }
    }

    /// Words of which every pointer holds one (each phrase of [`super::pointer`], each
    /// review file name), lowercase.
    const POINTER_WORDS: [&[u8]; 5] = [b"review", b"output", b"response", b"findings", b"workdir"];

    /// [`super::may_point`] as it was first: every word compared at every byte.
    fn may_point_at_every_byte(line: &str) -> bool {
        let b = line.as_bytes();
        (0..b.len()).any(|i| {
            let rest = &b[i..];
            POINTER_WORDS
                .iter()
                .any(|w| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w))
        })
    }

    /// [`super::may_point`] as it was before: the five words compared at each
    /// byte that opens one of them.
    fn may_point_at_first_letters(line: &str) -> bool {
        let b = line.as_bytes();
        (0..b.len()).any(|i| {
            matches!(b[i] | 0x20, b'r' | b'o' | b'f' | b'w') && {
                let rest = &b[i..];
                POINTER_WORDS
                    .iter()
                    .any(|w| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w))
            }
        })
    }

    proptest::proptest! {
        #[test]
        fn may_point_by_letter_agrees_with_the_word_lists(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    " ", "r", "R", "e", "E", "review", "REVIEW", "respons", "Response", "o",
                    "output", "OUTPU", "f", "findings", "FINDING", "w", "workdir", "WorkDi",
                    "é", "\u{2}", "2", "x", "rev", "iew",
                ]),
                0..10,
            )
        ) {
            let line = parts.concat();
            let word = super::holds_pointer_word(&line);
            proptest::prop_assert_eq!(word, may_point_at_first_letters(&line));
            proptest::prop_assert_eq!(word, may_point_at_every_byte(&line));
        }

        /// The window test asked before the others changes nothing that
        /// `may_point` says, wherever the keys fall in the 16-byte blocks.
        #[test]
        fn may_point_with_the_window_test_agrees_with_the_two_halves(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    " ", "x", "é", "\u{0}", "\u{e}", "\u{7f}", ".", ".m", ".md", ".TXT", ".Log",
                    ".json", "full", "FUL", "complete", "cOMPL", "rest of", "REST OF", "remain",
                    "review file", "Review File", "w f", "workdir", "WORKDIR", "kdi", "review",
                    "Reviewed, no issues", "output", "response", "findings", "-output",
                    "the rest", "a partial state", "`pkg/api/lease.go`",
                ]),
                0..24,
            )
        ) {
            let line = parts.concat();
            let key = super::holds_pointer_key(&line);
            if key {
                proptest::prop_assert!(super::may_hold_pointer_key(&line), "{}", line);
            }
            proptest::prop_assert_eq!(
                super::may_point(&line),
                super::holds_pointer_word(&line) && key,
                "{}",
                line
            );
        }

        /// The first-byte test hides no truncation marker.
        #[test]
        fn truncation_marker_by_first_bytes_agrees_with_the_copy(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    " ", "\t", "[", "(", "<", "…", ".", "...", "Output", "OUTPUT", "response",
                    "Respons", "truncated", "Cut Off", "token limit", "x", "é", "]", "\u{a0}",
                    "output omitted", "outpu",
                ]),
                0..8,
            )
        ) {
            let line = parts.concat();
            proptest::prop_assert_eq!(
                super::is_truncation_marker(&line),
                super::is_truncation_marker_lowercased(&line),
                "{}",
                line
            );
        }
    }

    #[test]
    fn empty_review() {
        assert_eq!(kind("   \n\n"), Some(IncompleteKind::Empty));
    }

    #[test]
    fn pointer_to_a_temporary_file() {
        let text = "See `/tmp/run-x1/review-gemini-pass-1.md` for the review.\n\nI1 (race in the watcher), S1 (naming).\n";
        let inc = parse_review(text, 10).incomplete.expect("incomplete");
        assert_eq!(inc.kind, IncompleteKind::Pointer);
        assert_eq!(inc.line, Some(10));
        // After the first finding: the rest is elsewhere.
        let text = "### Important Issues\n\nI1. **Race** — `w.go:3`\n\nThe watcher races.\n\nFull review (~9 KB) in `/tmp/x/review-codex-pass-1.md`.\n";
        assert_eq!(kind(text), Some(IncompleteKind::Pointer));
    }

    #[test]
    fn links_into_a_review_checkout_are_not_pointers() {
        let text = "### Suggestions\n\nS1. **Doc** — [net.md](/private/tmp/review-codex-a1/docs/net.md):4\n\nThe doc overstates it.\n";
        assert_eq!(kind(text), None);
    }

    #[test]
    fn summary_that_names_missing_findings() {
        let text = "I1 (nil map in the cache), S2 (comment). Verdict: Approve with fixes.\n";
        assert_eq!(kind(text), Some(IncompleteKind::SummaryOnly));
    }

    #[test]
    fn cut_off_reviews() {
        let text = "### Important Issues\n\nI1. **Leak** — `a.go:1`\n\nThe handle is never closed when the\n";
        assert_eq!(kind(text), Some(IncompleteKind::Truncated));
        let text = "### Important Issues\n\nI1. **Leak** — `a.go:1`\n\n```go\nf, _ := os.Open(p)\n";
        assert_eq!(kind(text), Some(IncompleteKind::Truncated));
        let text = "### Important Issues\n\nI1. **Leak** — `a.go:1`\n\nThe handle leaks.\n\n[output truncated]\n";
        assert_eq!(kind(text), Some(IncompleteKind::Truncated));
    }
}
