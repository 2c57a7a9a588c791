//! GitHub Actions workflow commands: `::error file=…,line=…,title=…::message`
//! lines, which the runner turns into annotations on the pull request.
//!
//! Escaping follows the runner's rules (`@actions/core` `escapeData` and
//! `escapeProperty`): in the message `%`, `\r` and `\n` become `%25`, `%0D`,
//! `%0A`; in property values `:` and `,` also become `%3A` and `%2C`. So a hostile
//! title (`50%`, a newline, `::`) can neither end the command nor start another.
//!
//! Invariant: one annotation is exactly one output line.

use std::fmt;

use crate::model::Severity;
use crate::render::findings::Item;

/// True when running as a GitHub Actions step (`GITHUB_ACTIONS=true`): commands
/// then print annotations unless another `--format` is asked for.
pub fn in_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// The command: how GitHub shows the annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `::error`.
    Error,
    /// `::warning`.
    Warning,
    /// `::notice`.
    Notice,
}

impl Level {
    /// The level of a finding's severity.
    pub fn of(severity: Severity) -> Level {
        match severity {
            Severity::Critical => Level::Error,
            Severity::Important => Level::Warning,
            Severity::Suggestion => Level::Notice,
        }
    }

    fn command(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Notice => "notice",
        }
    }
}

/// One annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Error, warning or notice.
    pub level: Level,
    /// Repository-relative file, when there is one.
    pub file: Option<String>,
    /// First line, 1-based.
    pub line: Option<u32>,
    /// Last line, when it differs from `line`.
    pub end_line: Option<u32>,
    /// Short title.
    pub title: String,
    /// The text.
    pub message: String,
}

/// Escapes a message (the text after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl fmt::Display for Annotation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut props = Vec::new();
        if let Some(file) = &self.file {
            props.push(format!("file={}", escape_property(file)));
            if let Some(line) = self.line {
                props.push(format!("line={line}"));
                if let Some(end) = self.end_line.filter(|&e| e > line) {
                    props.push(format!("endLine={end}"));
                }
            }
        }
        if !self.title.is_empty() {
            props.push(format!("title={}", escape_property(&self.title)));
        }
        write!(f, "::{}", self.level.command())?;
        if !props.is_empty() {
            write!(f, " {}", props.join(","))?;
        }
        write!(f, "::{}", escape_data(&self.message))
    }
}

/// Renders annotations, one line each.
pub fn render(annotations: &[Annotation]) -> String {
    annotations.iter().map(|a| format!("{a}\n")).collect()
}

/// Annotations for the surviving findings of a round: at the finding's first
/// location, or on `cassette` (the round's file) when it cites none.
pub fn findings(items: &[Item], cassette: &str) -> Vec<Annotation> {
    items
        .iter()
        .filter(|i| i.dismissal.is_none())
        .map(|i| {
            let loc = i.locations.first();
            let id = i.id.as_deref().unwrap_or("-");
            let mut message = String::new();
            if !i.text.is_empty() {
                message.push_str(&i.text);
                message.push_str("\n\n");
            }
            message.push_str(&format!("Raised by {}.", i.agents.join(", ")));
            if i.locations.len() > 1 {
                let others: Vec<String> = i.locations[1..].iter().map(|l| l.to_string()).collect();
                message.push_str(&format!(" Also at {}.", others.join(", ")));
            }
            Annotation {
                level: Level::of(i.severity),
                file: Some(loc.map_or_else(|| cassette.to_string(), |l| l.path.clone())),
                line: loc.and_then(|l| l.start),
                end_line: loc.and_then(|l| l.end),
                title: format!("{id} [{}] {}", i.severity, i.title),
                message,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_line_has_properties_in_order() {
        let a = Annotation {
            level: Level::Warning,
            file: Some("src/a,b.rs".into()),
            line: Some(3),
            end_line: Some(5),
            title: "I1 [important] x: y".into(),
            message: "50% done\nnext".into(),
        };
        assert_eq!(
            a.to_string(),
            "::warning file=src/a%2Cb.rs,line=3,endLine=5,title=I1 [important] x%3A y::50%25 done%0Anext"
        );
    }

    #[test]
    fn annotation_without_file_has_no_line() {
        let a = Annotation {
            level: Level::Notice,
            file: None,
            line: Some(3),
            end_line: None,
            title: String::new(),
            message: "m".into(),
        };
        assert_eq!(a.to_string(), "::notice::m");
    }
}
