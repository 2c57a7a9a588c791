//! The agents file (`agents.toml`, `review-replay/agents/v1`): which reviewer
//! agents `record` runs, how, and which extra patterns it redacts.
//!
//! Invariants: unknown keys and unknown schemas are refused with the line and
//! column; every agent has a non-empty argv command (never a shell string), a
//! valid key (lowercase letters, digits, `-`, `_`) and a positive timeout; user
//! redaction patterns compile. Agents are kept sorted by key (a `BTreeMap`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::consolidate::rules::line_column;
use crate::error::Error;
use crate::redact::Redactor;

/// The schema id of agents files.
pub const AGENTS_SCHEMA_V1: &str = "review-replay/agents/v1";

/// Timeout of an agent that does not set `timeout_s`: 30 minutes.
pub const DEFAULT_TIMEOUT_S: f64 = 1800.0;

/// One reviewer agent.
#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    /// Lowercase key (`claude`).
    pub key: String,
    /// Program and arguments.
    pub command: Vec<String>,
    /// Model name as written, when given.
    pub model: Option<String>,
    /// Seconds before the agent's process group is killed.
    pub timeout_s: f64,
}

/// A loaded agents file.
#[derive(Debug, Clone)]
pub struct AgentsFile {
    /// Agents by key.
    pub agents: BTreeMap<String, Agent>,
    /// Built-in redaction patterns plus the file's own.
    pub redactor: Redactor,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    schema: toml::Spanned<String>,
    #[serde(default)]
    agents: BTreeMap<String, toml::Spanned<RawAgent>>,
    #[serde(default)]
    redact: RawRedact,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgent {
    command: Vec<String>,
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    timeout_s: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRedact {
    #[serde(default)]
    patterns: Vec<toml::Spanned<String>>,
}

fn at(path: &Path, text: &str, offset: Option<usize>, message: String) -> Error {
    Error::AgentsFile {
        path: path.to_path_buf(),
        position: offset.map(|o| line_column(text, o)),
        message,
    }
}

/// True when `key` can name an agent (and a raw file).
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

impl AgentsFile {
    /// Reads an agents file.
    pub fn load(path: &Path) -> Result<AgentsFile, Error> {
        let text = crate::fsutil::read_text(path)?;
        AgentsFile::from_toml(path, &text)
    }

    /// Parses agents TOML; `path` only names the source in errors.
    pub fn from_toml(path: &Path, text: &str) -> Result<AgentsFile, Error> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            at(
                path,
                text,
                e.span().map(|s| s.start),
                e.message().trim().to_string(),
            )
        })?;
        if raw.schema.get_ref() != AGENTS_SCHEMA_V1 {
            return Err(at(
                path,
                text,
                Some(raw.schema.span().start),
                format!(
                    "unknown agents schema `{}`; this build reads {AGENTS_SCHEMA_V1}",
                    raw.schema.get_ref()
                ),
            ));
        }
        let mut agents = BTreeMap::new();
        for (key, spanned) in raw.agents {
            let start = Some(spanned.span().start);
            let a = spanned.into_inner();
            if !is_valid_key(&key) {
                return Err(at(
                    path,
                    text,
                    start,
                    format!("agent `{key}`: keys are lowercase letters, digits, `-` and `_`"),
                ));
            }
            if a.command.first().is_none_or(|p| p.is_empty()) {
                return Err(at(
                    path,
                    text,
                    start,
                    format!("agent `{key}`: `command` needs at least the program"),
                ));
            }
            let timeout_s = a.timeout_s.unwrap_or(DEFAULT_TIMEOUT_S);
            if !(timeout_s.is_finite() && timeout_s > 0.0) {
                return Err(at(
                    path,
                    text,
                    start,
                    format!("agent `{key}`: `timeout_s` must be a positive number of seconds"),
                ));
            }
            agents.insert(
                key.clone(),
                Agent {
                    key,
                    command: a.command,
                    model: a.model,
                    timeout_s,
                },
            );
        }
        if agents.is_empty() {
            return Err(at(path, text, None, "no `[agents.<name>]` table".into()));
        }
        let spans: Vec<usize> = raw.redact.patterns.iter().map(|p| p.span().start).collect();
        let patterns: Vec<String> = raw
            .redact
            .patterns
            .into_iter()
            .map(toml::Spanned::into_inner)
            .collect();
        let redactor = Redactor::with_patterns(&patterns).map_err(|bad| {
            at(
                path,
                text,
                spans.get(bad.index).copied(),
                format!("invalid redact pattern: {}", bad.message),
            )
        })?;
        Ok(AgentsFile { agents, redactor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<AgentsFile, Error> {
        AgentsFile::from_toml(Path::new("agents.toml"), text)
    }

    #[test]
    fn a_full_file_loads_with_defaults() {
        let f = parse(
            "schema = \"review-replay/agents/v1\"\n\
             [agents.codex]\ncommand = [\"codex\", \"exec\", \"-\"]\n\
             [agents.claude]\ncommand = [\"claude\", \"-p\"]\nmodel = \"Claude Opus 4.6\"\ntimeout_s = 60\n\
             [redact]\npatterns = [\"ACME-[0-9]+\"]\n",
        )
        .expect("valid");
        let keys: Vec<_> = f.agents.keys().cloned().collect();
        assert_eq!(keys, ["claude", "codex"]);
        assert_eq!(f.agents["claude"].timeout_s, 60.0);
        assert_eq!(f.agents["codex"].timeout_s, DEFAULT_TIMEOUT_S);
        assert_eq!(f.redactor.redact("ACME-12").text, "[REDACTED:custom]");
    }

    #[test]
    fn unknown_key_is_refused_with_line_and_column() {
        let err = parse(
            "schema = \"review-replay/agents/v1\"\n[agents.claude]\ncommand = [\"c\"]\ntimeout = 5\n",
        )
        .expect_err("unknown key");
        let msg = err.to_string();
        assert!(msg.starts_with("agents.toml:4:1: "), "{msg}");
        assert!(msg.contains("timeout"), "{msg}");
    }

    #[test]
    fn unknown_schema_is_refused_with_line_and_column() {
        let err = parse("\nschema = \"review-replay/agents/v2\"\n[agents.a]\ncommand = [\"a\"]\n")
            .expect_err("v2");
        let msg = err.to_string();
        assert!(msg.starts_with("agents.toml:2:10: "), "{msg}");
        assert!(msg.contains("agents/v2"), "{msg}");
    }

    #[test]
    fn bad_agents_are_refused() {
        for (text, want) in [
            ("[agents.a]\ncommand = []\n", "needs at least the program"),
            ("[agents.A]\ncommand = [\"a\"]\n", "lowercase"),
            (
                "[agents.a]\ncommand = [\"a\"]\ntimeout_s = 0\n",
                "positive number",
            ),
            (
                "[agents.a]\ncommand = [\"a\"]\n[redact]\npatterns = [\"(\"]\n",
                "invalid redact pattern",
            ),
            ("", "no `[agents.<name>]`"),
        ] {
            let text = format!("schema = \"review-replay/agents/v1\"\n{text}");
            let msg = parse(&text).expect_err(want).to_string();
            assert!(msg.contains(want), "{msg}");
        }
    }
}
