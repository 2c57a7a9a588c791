//! Prompt templates: the prompt file with `{input}`, `{round_id}`, `{agent}` and
//! `{pass}` replaced.
//!
//! Only `{name}` with `name` an identifier is a placeholder; other braces (code,
//! JSON) are text. `{{name}}` writes a literal `{name}`. A placeholder that does
//! not exist is refused with its line and column before any agent runs
//! ([`Template::parse`]), so a typo never reaches a model.

use std::path::Path;

use crate::error::Error;

/// The placeholders a prompt may use.
pub const PLACEHOLDERS: &[&str] = &["input", "round_id", "agent", "pass"];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Placeholder(String),
}

/// A parsed prompt template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

/// The values of one rendering.
#[derive(Debug, Clone, Copy)]
pub struct Values<'a> {
    /// The input file's text (`{input}`).
    pub input: &'a str,
    /// `{round_id}`.
    pub round_id: &'a str,
    /// `{agent}`.
    pub agent: &'a str,
    /// `{pass}`.
    pub pass: u32,
}

/// Length of an identifier starting at the beginning of `s` (0 when none).
fn ident_len(s: &str) -> usize {
    let mut n = 0;
    for (i, c) in s.char_indices() {
        let ok = if i == 0 {
            c.is_ascii_alphabetic() || c == '_'
        } else {
            c.is_ascii_alphanumeric() || c == '_'
        };
        if !ok {
            break;
        }
        n = i + c.len_utf8();
    }
    n
}

impl Template {
    /// Parses `text`; `path` only names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Template, Error> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            literal.push_str(rest.get(..open).unwrap_or(""));
            let after = rest.get(open..).unwrap_or("");
            // `{{name}}`: a literal `{name}`.
            if let Some(inner) = after.strip_prefix("{{") {
                let n = ident_len(inner);
                if n > 0 && inner.get(n..).is_some_and(|t| t.starts_with("}}")) {
                    literal.push('{');
                    literal.push_str(inner.get(..n).unwrap_or(""));
                    literal.push('}');
                    rest = inner.get(n + 2..).unwrap_or("");
                    continue;
                }
            }
            let inner = after.get(1..).unwrap_or("");
            let n = ident_len(inner);
            if n > 0 && inner.get(n..).is_some_and(|t| t.starts_with('}')) {
                let name = inner.get(..n).unwrap_or("");
                if !PLACEHOLDERS.contains(&name) {
                    let offset = text.len() - after.len();
                    let (line, column) = crate::consolidate::rules::line_column(text, offset);
                    return Err(Error::Prompt {
                        path: path.to_path_buf(),
                        line,
                        column,
                        message: format!(
                            "unknown placeholder `{{{name}}}`; the placeholders are {} \
                             (write `{{{{{name}}}}}` for a literal `{{{name}}}`)",
                            PLACEHOLDERS
                                .iter()
                                .map(|p| format!("{{{p}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Placeholder(name.to_string()));
                rest = inner.get(n + 1..).unwrap_or("");
            } else {
                literal.push('{');
                rest = inner;
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Template { pieces })
    }

    /// True when the template uses `{name}`.
    pub fn uses(&self, name: &str) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Placeholder(n) if n == name))
    }

    /// The prompt for one agent and pass.
    pub fn render(&self, v: Values<'_>) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Placeholder(n) => match n.as_str() {
                    "input" => out.push_str(v.input),
                    "round_id" => out.push_str(v.round_id),
                    "agent" => out.push_str(v.agent),
                    "pass" => out.push_str(&v.pass.to_string()),
                    _ => {}
                },
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values<'static> {
        Values {
            input: "DIFF",
            round_id: "r1",
            agent: "claude",
            pass: 2,
        }
    }

    #[test]
    fn placeholders_are_replaced_and_other_braces_kept() {
        let t = Template::parse(
            Path::new("p.md"),
            "Review {round_id} as {agent}, pass {pass}:\n{input}\nfn f() { x }\n{\"k\": 1} {{agent}}",
        )
        .expect("valid");
        assert_eq!(
            t.render(values()),
            "Review r1 as claude, pass 2:\nDIFF\nfn f() { x }\n{\"k\": 1} {agent}"
        );
        assert!(t.uses("input"));
    }

    #[test]
    fn unknown_placeholder_is_refused_with_position() {
        let err =
            Template::parse(Path::new("p.md"), "line one\n  see {diff}\n").expect_err("unknown");
        let msg = err.to_string();
        assert!(
            msg.starts_with("p.md:2:7: unknown placeholder `{diff}`"),
            "{msg}"
        );
        assert!(msg.contains("{input}"), "{msg}");
    }
}
