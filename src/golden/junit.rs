//! JUnit XML for CI dashboards: one `<testcase>` per round, a `<failure>` for a
//! difference (changed, new, orphaned), an `<error>` for an unreadable input.
//!
//! Invariant: every piece of text goes through [`escape`], which also drops the
//! characters XML 1.0 cannot hold at all, so the output is well-formed whatever
//! the reports contain.

use std::fmt::Write as _;

/// One testcase.
#[derive(Debug, Clone)]
pub struct Case {
    /// Round id (or golden file name for orphans).
    pub name: String,
    /// `None` when it passed.
    pub outcome: Option<Outcome>,
}

/// Why a testcase did not pass.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// True for unreadable inputs (`<error>`), false for differences (`<failure>`).
    pub error: bool,
    /// `changed`, `new`, `orphaned`, `corrupt`.
    pub kind: String,
    /// One line.
    pub message: String,
    /// The finding-level diff and the text diff.
    pub body: String,
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Attribute values normalise raw newlines and tabs to spaces: keep them.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            // Not allowed in XML 1.0 even as references (ANSI escapes, NUL...).
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Renders the JUnit document.
pub fn render(suite: &str, cases: &[Case]) -> String {
    let failures = cases
        .iter()
        .filter(|c| c.outcome.as_ref().is_some_and(|o| !o.error))
        .count();
    let errors = cases
        .iter()
        .filter(|c| c.outcome.as_ref().is_some_and(|o| o.error))
        .count();
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let head = format!(
        "name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\"",
        escape(suite),
        cases.len()
    );
    let _ = writeln!(out, "<testsuites {head}>");
    let _ = writeln!(out, "  <testsuite {head}>");
    for case in cases {
        let name = escape(&case.name);
        match &case.outcome {
            None => {
                let _ = writeln!(
                    out,
                    "    <testcase name=\"{name}\" classname=\"{}\"/>",
                    escape(suite)
                );
            }
            Some(o) => {
                let tag = if o.error { "error" } else { "failure" };
                let _ = writeln!(
                    out,
                    "    <testcase name=\"{name}\" classname=\"{}\">",
                    escape(suite)
                );
                let _ = writeln!(
                    out,
                    "      <{tag} type=\"{}\" message=\"{}\">{}</{tag}>",
                    escape(&o.kind),
                    escape(&o.message),
                    escape(&o.body)
                );
                out.push_str("    </testcase>\n");
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup_quotes_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"c\"'\u{1b}[31m\n"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;\u{FFFD}[31m&#10;"
        );
    }

    #[test]
    fn counts_failures_and_errors() {
        let cases = vec![
            Case {
                name: "a".into(),
                outcome: None,
            },
            Case {
                name: "b".into(),
                outcome: Some(Outcome {
                    error: false,
                    kind: "changed".into(),
                    message: "m".into(),
                    body: "<diff>".into(),
                }),
            },
            Case {
                name: "c".into(),
                outcome: Some(Outcome {
                    error: true,
                    kind: "corrupt".into(),
                    message: "m".into(),
                    body: String::new(),
                }),
            },
        ];
        let xml = render("review-replay", &cases);
        assert!(
            xml.contains("tests=\"3\" failures=\"1\" errors=\"1\""),
            "{xml}"
        );
        assert!(xml.contains("&lt;diff&gt;"), "{xml}");
    }
}
