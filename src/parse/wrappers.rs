//! Wrapper removal: the first stage of review parsing.
//!
//! Agents, and the tools that record them, sometimes wrap a whole review in a
//! container that hides its markdown from a line scanner: a code fence (of any
//! length of backticks or tildes, with or without an info string such as
//! `markdown`), a blockquote, or an HTML `<details>` block. Read as CommonMark,
//! a fenced review is one code block and holds no finding at all. This stage
//! removes such wrappers, layer by layer, before the review is scanned.
//!
//! Invariants:
//! - the output has exactly as many lines as the input, so every line number the
//!   later stages report points into the original text (wrapper lines become
//!   empty lines; blockquote markers are cut from the start of their lines);
//! - only a container that holds the whole review is removed: one that opens at
//!   the first line with markdown structure (after optional prose such as an
//!   agent's "I'll review this now") and closes at the last one. A code block of
//!   markdown quoted inside a finding stays a code block;
//! - a wrapper that never closes is read to the end of the review, with a
//!   warning naming the line where it opened;
//! - linear in the input: a bounded number of passes over the lines.

use std::borrow::Cow;

use crate::model::{Diagnostic, DiagnosticLevel};
use crate::parse::markdown::{self, LineKind};

/// At most this many nested wrappers are removed (a details block holding a
/// blockquote holding a fence is three).
const MAX_LAYERS: usize = 6;

/// Prose lines before or after a wrapper that do not stop it from being one
/// (an agent's preamble, a closing remark).
const MAX_PROSE_LINES: usize = 40;

/// A review with its wrappers removed, and what was noticed doing it.
#[derive(Debug)]
pub struct Unwrapped<'a> {
    /// The review text, line for line.
    pub text: Cow<'a, str>,
    /// Warnings about wrappers that never close.
    pub diagnostics: Vec<Diagnostic>,
}

/// Removes whole-review wrappers from `text`; `first_line` is the line number of
/// its first line, for diagnostics.
pub fn unwrap_review(text: &str, first_line: u32) -> Unwrapped<'_> {
    let mut diagnostics = Vec::new();
    if !needs_work(text) {
        return Unwrapped {
            text: Cow::Borrowed(text),
            diagnostics,
        };
    }
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut changed = blank_html_containers(&mut lines);
    for _ in 0..MAX_LAYERS {
        let layer =
            unwrap_fence(&mut lines, first_line, &mut diagnostics) || unwrap_blockquote(&mut lines);
        if !layer {
            break;
        }
        changed = true;
        blank_html_containers(&mut lines);
    }
    if !changed {
        return Unwrapped {
            text: Cow::Borrowed(text),
            diagnostics,
        };
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    Unwrapped {
        text: Cow::Owned(out),
        diagnostics,
    }
}

/// Cheap test: could any wrapper be there at all?
fn needs_work(text: &str) -> bool {
    text.lines().any(may_be_wrapper_line)
}

/// Cheap test of one line (as `str::lines` cuts them): could it open, close or
/// continue a wrapper? False means [`unwrap_review`] leaves a text whose lines
/// all say so unchanged, with no diagnostic; the review parser asks it of the
/// lines it has already cut.
///
/// Asked of every line, and decided by its first bytes: inlined where it is
/// asked rather than called.
#[inline]
pub fn may_be_wrapper_line(l: &str) -> bool {
    // Every wrapper line starts with one of these characters once trimmed: a
    // line whose first other character is an ASCII one is decided without
    // trimming it (Unicode spaces, which `trim_start` also drops, take the
    // long way).
    match l.bytes().find(|b| !matches!(b, b'\t'..=b'\r' | b' ')) {
        None => false,
        Some(b) if b.is_ascii() && !matches!(b, b'`' | b'~' | b'>' | b'<') => false,
        Some(_) => is_wrapper_line(l),
    }
}

/// A line that opens, closes or continues a whole-review wrapper.
fn is_wrapper_line(l: &str) -> bool {
    let t = l.trim_start();
    t.starts_with("```") || t.starts_with("~~~") || t.starts_with('>') || is_html_container(t)
}

/// `<details>`, `</details>`, `<summary>…</summary>` on a line of their own:
/// HTML containers whose content is markdown. They are blanked wherever they
/// stand outside code blocks; the markdown inside reads as if they were absent.
pub fn is_html_container(line: &str) -> bool {
    let t = markdown::trim_ws(line);
    if t.is_empty() || !t.starts_with('<') {
        return false;
    }
    let l = t.to_ascii_lowercase();
    if l == "<details>" || l.starts_with("<details ") || l == "</details>" || l == "</summary>" {
        return true;
    }
    // `<details><summary>Full review</summary>` and `<summary>Claude</summary>`.
    let rest = l
        .strip_prefix("<details>")
        .or_else(|| l.strip_prefix("<details open>"))
        .unwrap_or(&l)
        .trim_start();
    rest.starts_with("<summary") && (rest.ends_with("</summary>") || rest == "<summary>")
}

fn blank_html_containers(lines: &mut [String]) -> bool {
    let mut changed = false;
    let mut fence: Option<(char, usize)> = None;
    for line in lines.iter_mut() {
        match fence {
            Some((ch, len)) => {
                if markdown::closes_fence(line, ch, len) {
                    fence = None;
                }
            }
            None => {
                if let Some(open) = markdown::fence_opening(line) {
                    fence = Some((open.ch, open.len));
                } else if is_html_container(line) {
                    line.clear();
                    changed = true;
                }
            }
        }
    }
    changed
}

/// True when a line may stand before or after a wrapper without being part of the
/// review: prose, blank lines, rules.
fn is_prose(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with('>') || markdown::fence_opening(line).is_some() {
        return false;
    }
    matches!(
        markdown::classify_line(line),
        LineKind::Text | LineKind::Blank | LineKind::Rule
    ) && !t.starts_with("**")
}

/// True when `lines` hold review structure: a heading or a bold line outside code
/// blocks (section headers, finding titles).
fn has_structure(lines: &[String]) -> bool {
    let text = lines.join("\n");
    markdown::scan(&text, 1).iter().any(|l| match l.kind {
        LineKind::Heading { .. } => true,
        LineKind::Text | LineKind::ListItem { .. } => {
            let t = l.text.trim_start();
            let t = t
                .strip_prefix("- ")
                .or_else(|| t.strip_prefix("* "))
                .unwrap_or(t);
            t.starts_with("**")
        }
        _ => false,
    })
}

/// The index of the first non-prose line, when the prose before it is short.
fn first_structural(lines: &[String]) -> Option<usize> {
    let i = lines.iter().position(|l| !is_prose(l))?;
    let prose = lines[..i].iter().filter(|l| !l.trim().is_empty()).count();
    (prose <= MAX_PROSE_LINES).then_some(i)
}

/// Removes a fence that wraps the whole review.
fn unwrap_fence(lines: &mut [String], first_line: u32, diags: &mut Vec<Diagnostic>) -> bool {
    let Some(open_at) = first_structural(lines) else {
        return false;
    };
    let Some(open) = markdown::fence_opening(&lines[open_at]) else {
        return false;
    };
    // The closing fence: the last non-prose line, a bare fence of the same
    // character at least as long; or the last line ending in the fence (a
    // recorder that closed it without a newline).
    let mut close = None;
    let mut trailing = 0;
    for j in (open_at + 1..lines.len()).rev() {
        let l = &lines[j];
        if markdown::closes_fence(l, open.ch, open.len) {
            close = Some((j, false));
            break;
        }
        let t = l.trim_end();
        let fence: String = std::iter::repeat_n(open.ch, open.len).collect();
        if t.ends_with(&fence) && t.len() > fence.len() && !t.trim_start().starts_with(&fence) {
            close = Some((j, true));
            break;
        }
        if !is_prose(l) {
            break;
        }
        if !l.trim().is_empty() {
            trailing += 1;
            if trailing > MAX_PROSE_LINES {
                break;
            }
        }
    }
    let end = close.map_or(lines.len(), |(j, inline)| if inline { j + 1 } else { j });
    let inner = &lines[open_at + 1..end];
    if !has_structure(inner) {
        return false;
    }
    if close.is_none() {
        // Without a closing fence only a markdown-ish info string says that the
        // block is the review rather than code that ends the text.
        if !open.info_is_markup && !open.info.is_empty() {
            return false;
        }
        let line = first_line.saturating_add(u32::try_from(open_at).unwrap_or(u32::MAX));
        diags.push(Diagnostic {
            line,
            level: DiagnosticLevel::Warning,
            message: "the review is wrapped in a code fence opened here that never closes; read to the end as markdown".to_string(),
        });
    }
    lines[open_at].clear();
    if let Some((j, inline)) = close {
        if inline {
            let kept = lines[j]
                .trim_end()
                .trim_end_matches(open.ch)
                .trim_end()
                .to_string();
            lines[j] = kept;
        } else {
            lines[j].clear();
        }
    }
    true
}

/// Removes one level of blockquote from a review quoted whole.
fn unwrap_blockquote(lines: &mut [String]) -> bool {
    let Some(first) = first_structural(lines) else {
        return false;
    };
    if !lines[first].trim_start().starts_with('>') {
        return false;
    }
    let Some(last) = lines.iter().rposition(|l| l.trim_start().starts_with('>')) else {
        return false;
    };
    // Everything between is quoted, blank, or a lazy continuation of prose.
    let inside_ok = lines[first..=last].iter().all(|l| {
        let t = l.trim_start();
        t.is_empty() || t.starts_with('>') || is_prose(l)
    });
    let after_ok = lines[last + 1..]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .all(|l| is_prose(l));
    if !inside_ok || !after_ok {
        return false;
    }
    let stripped: Vec<String> = lines[first..=last].iter().map(|l| strip_quote(l)).collect();
    if !has_structure(&stripped) {
        return false;
    }
    for (slot, new) in lines[first..=last].iter_mut().zip(stripped) {
        *slot = new;
    }
    true
}

fn strip_quote(line: &str) -> String {
    let t = line.trim_start();
    match t.strip_prefix('>') {
        Some(rest) => rest.strip_prefix(' ').unwrap_or(rest).to_string(),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_wrapper_prefilter_agrees_with_the_line_test(
            text in "(( |\t|\u{a0}|\u{2003})*(```|~~~|>|<details>|<summary>x</summary>|<b>|x|`|~)?[a-z ]{0,3}\n){0,6}",
        ) {
            proptest::prop_assert_eq!(needs_work(&text), text.lines().any(is_wrapper_line));
        }
    }

    fn unwrap(text: &str) -> (String, Vec<Diagnostic>) {
        let u = unwrap_review(text, 1);
        (u.text.into_owned(), u.diagnostics)
    }

    #[test]
    fn four_backtick_markdown_fence_with_inner_code_blocks() {
        let text =
            "````markdown\n## Findings\n\n```go\nx := 1\n```\n\nI1. **T** — `a.go:1`\n````\n";
        let (out, diags) = unwrap(text);
        assert_eq!(
            out,
            "\n## Findings\n\n```go\nx := 1\n```\n\nI1. **T** — `a.go:1`\n\n"
        );
        assert!(diags.is_empty());
        assert_eq!(out.lines().count(), text.lines().count());
    }

    #[test]
    fn tilde_fence_with_preamble_and_postamble() {
        let text = "I'll review the change now.\n\n~~~md\n### Suggestions\nS1. **T** — `a.go:1`\n~~~~\n\nDone.\n";
        let (out, _) = unwrap(text);
        assert!(out.contains("\n### Suggestions\n"));
        assert!(!out.contains("~~~"));
    }

    #[test]
    fn fenced_code_that_is_not_a_review_stays() {
        let text = "```go\nfunc main() {}\n```\n";
        let (out, _) = unwrap(text);
        assert_eq!(out, text);
        // Markdown quoted inside a finding is not a wrapper.
        let text =
            "### Suggestions\n\nS1. **Docs** — `README.md:3`\n\n```markdown\n## Install\n```\n";
        assert_eq!(unwrap(text).0, text);
    }

    #[test]
    fn unclosed_wrapper_reads_to_the_end_with_a_warning() {
        let (out, diags) = unwrap("intro\n````markdown\n## Findings\nC1. **T** — `a.go:1`\n");
        assert!(out.contains("\n## Findings\n"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 2);
        assert!(
            diags[0].message.contains("never closes"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn unclosed_code_fence_with_a_language_is_not_a_wrapper() {
        let text = "```go\n## not a heading\n";
        let (out, diags) = unwrap(text);
        assert_eq!(out, text);
        assert!(diags.is_empty());
    }

    #[test]
    fn blockquote_and_details_layers() {
        let text = "<details>\n<summary>Full review output</summary>\n\n> ## Findings\n>\n> I1. **T** — `a.go:1`\n>\n> ```go\n> x\n> ```\n</details>\n";
        let (out, _) = unwrap(text);
        assert_eq!(
            out,
            "\n\n\n## Findings\n\nI1. **T** — `a.go:1`\n\n```go\nx\n```\n\n"
        );
    }

    #[test]
    fn quotes_inside_a_review_stay() {
        let text = "## Findings\n\nI1. **T** — `a.go:1`\n\n> the comment says so\n";
        assert_eq!(unwrap(text).0, text);
    }

    #[test]
    fn html_container_lines() {
        assert!(is_html_container("<details>"));
        assert!(is_html_container("  <details open>"));
        assert!(is_html_container(
            "<details><summary>Claude review</summary>"
        ));
        assert!(is_html_container("<summary>Full output</summary>"));
        assert!(is_html_container("</details>"));
        assert!(!is_html_container("<br>"));
        assert!(!is_html_container("<summary> without end"));
    }
}
