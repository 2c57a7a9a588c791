//! `review-replay import`: deep-review reports (markdown) and raw round
//! directories (`round.json` + `<agent>.md`) into cassettes, one `<id>.json` each.
//!
//! Invariants:
//! - inputs are parsed in parallel, but everything printed and written follows the
//!   input order, so output does not depend on the thread count;
//! - one bad input never stops the others: it prints `error: <input>[:line]: ...`,
//!   and the command exits 1 at the end;
//! - every cassette is written with [`write_atomic`]; a cassette that exists with
//!   different bytes is only replaced with `--force`, identical bytes are left alone;
//! - when several reports of the same PR are imported together, each cassette gets
//!   the resolutions of the earlier rounds (by round number, then date) as
//!   `prior_resolutions`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::cassette::{
    Adjudication, Cassette, Interaction, PriorResolution, Role, RoundMeta, SCHEMA_V1, Source,
    declared_schema, json_message, sha256_id,
};
use crate::cli::ImportArgs;
use crate::error::Error;
use crate::fsutil::{MAX_INPUT_BYTES, read_markdown, read_text, write_atomic};
use crate::model::DiagnosticLevel;
use crate::parse::report::{import_report_text, is_valid_id};
use crate::{EXIT_FAILURE, EXIT_OK};

/// The schema id of `round.json` files.
pub const ROUND_SCHEMA_V1: &str = "review-replay/round/v1";

/// The `round.json` schemas this build reads.
pub const READABLE_ROUND_SCHEMAS: &[&str] = &[ROUND_SCHEMA_V1];

/// One imported input, before writing.
struct Imported {
    cassette: Cassette,
    /// Resolutions this report itself records (only for reports).
    own_resolutions: Vec<PriorResolution>,
    warnings: Vec<String>,
}

/// Runs `review-replay import`.
pub fn run(args: ImportArgs) -> Result<u8, Error> {
    if args.reports.is_empty() && args.raw.is_empty() {
        return Err(Error::Usage(
            "import needs at least one REPORT or --raw DIR".into(),
        ));
    }
    std::fs::create_dir_all(&args.out).map_err(|source| Error::Write {
        path: args.out.clone(),
        source,
    })?;

    let inputs: Vec<(PathBuf, bool)> = args
        .reports
        .iter()
        .map(|p| (p.clone(), false))
        .chain(args.raw.iter().map(|p| (p.clone(), true)))
        .collect();
    let mut results: Vec<Result<Imported, Error>> = inputs
        .par_iter()
        .map(|(path, raw)| {
            if *raw {
                import_raw(path)
            } else {
                import_report(path)
            }
        })
        .collect();

    link_prior_resolutions(&mut results);

    let total = inputs.len();
    let mut ok = 0usize;
    let mut written: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    for ((input, _), result) in inputs.iter().zip(results) {
        let outcome = result.and_then(|imp| {
            for w in &imp.warnings {
                eprintln!("warning: {}:{w}", input.display());
            }
            let id = imp.cassette.round.id.clone();
            // Keyed in lowercase: ids differing only in case would be one file on
            // case-insensitive file systems.
            if let Some((first_id, first)) = written.get(&id.to_lowercase()) {
                let same = if *first_id == id {
                    "also the id"
                } else {
                    "the same, but for case, as the id"
                };
                return Err(Error::Import {
                    path: input.clone(),
                    line: None,
                    message: format!(
                        "round id `{id}` is {same} of {}; not written",
                        first.display()
                    ),
                });
            }
            let target = args.out.join(format!("{id}.json"));
            let status = write_cassette(input, &target, &imp.cassette, args.force)?;
            written.insert(id.to_lowercase(), (id, input.clone()));
            Ok((target, status))
        });
        match outcome {
            Ok((target, status)) => {
                ok += 1;
                eprintln!("{status} {} -> {}", input.display(), target.display());
            }
            Err(err) => eprintln!("error: {}", per_input_message(input, &err)),
        }
    }
    let failed = total - ok;
    if failed > 0 {
        eprintln!("imported {ok} of {total}; {failed} failed");
        Ok(EXIT_FAILURE)
    } else {
        eprintln!("imported {ok} of {total}");
        Ok(EXIT_OK)
    }
}

/// Phrases an input's error as `<file>[:line]: <message>`: most errors already
/// start with the file; reading and writing errors name it after a verb.
fn per_input_message(input: &Path, err: &Error) -> String {
    match err {
        Error::Read { path, source } => format!("{}: cannot read: {source}", path.display()),
        Error::Write { path, source } => {
            format!(
                "{}: cannot write {}: {source}",
                input.display(),
                path.display()
            )
        }
        other => other.to_string(),
    }
}

fn write_cassette(
    input: &Path,
    target: &Path,
    cassette: &Cassette,
    force: bool,
) -> Result<&'static str, Error> {
    let json = cassette.to_json();
    match std::fs::read(target) {
        Ok(existing) if existing == json.as_bytes() => return Ok("unchanged"),
        Ok(_) if !force => {
            return Err(Error::Import {
                path: input.to_path_buf(),
                line: None,
                message: format!(
                    "{} exists with different content; pass --force to replace",
                    target.display()
                ),
            });
        }
        Ok(_) => {
            write_atomic(target, json.as_bytes())?;
            return Ok("replaced");
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(Error::Read {
                path: target.to_path_buf(),
                source,
            });
        }
    }
    write_atomic(target, json.as_bytes())?;
    Ok("imported")
}

/// Gives each cassette the resolutions of the earlier rounds of its PR among the
/// inputs (same PR number, and same repo when both name one). Rounds are ordered
/// by round number, then date, then id.
fn link_prior_resolutions(results: &mut [Result<Imported, Error>]) {
    let mut by_pr: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        if let Ok(imp) = r {
            if let Some(pr) = imp.cassette.round.pr {
                by_pr.entry(pr).or_default().push(i);
            }
        }
    }
    // Older reports have no Repo row: a missing repo matches any repo.
    let repo = |i: usize| match results.get(i) {
        Some(Ok(imp)) => imp.cassette.round.repo.clone(),
        _ => None,
    };
    let same_repo = |i: usize, j: usize| match (repo(i), repo(j)) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let order = |i: usize| -> (u32, String, String) {
        match results.get(i) {
            Some(Ok(imp)) => (
                imp.cassette.round.round.unwrap_or(0),
                imp.cassette.round.date.clone().unwrap_or_default(),
                imp.cassette.round.id.clone(),
            ),
            _ => (0, String::new(), String::new()),
        }
    };
    let mut additions: Vec<(usize, Vec<PriorResolution>)> = Vec::new();
    for members in by_pr.values() {
        for &i in members {
            let mine = order(i);
            let mut prior: Vec<((u32, String, String), Vec<PriorResolution>)> = members
                .iter()
                .filter(|&&j| j != i && same_repo(i, j) && order(j) < mine)
                .filter_map(|&j| match results.get(j) {
                    Some(Ok(imp)) => Some((order(j), imp.own_resolutions.clone())),
                    _ => None,
                })
                .collect();
            prior.sort_by(|a, b| a.0.cmp(&b.0));
            additions.push((i, prior.into_iter().flat_map(|(_, r)| r).collect()));
        }
    }
    for (i, list) in additions {
        if let Some(Ok(imp)) = results.get_mut(i) {
            // Recorded resolutions (raw rounds) come first and are kept.
            for r in list {
                if !imp.cassette.prior_resolutions.contains(&r) {
                    imp.cassette.prior_resolutions.push(r);
                }
            }
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn import_report(path: &Path) -> Result<Imported, Error> {
    let text = read_markdown(path)?;
    let (cassette, parsed) = import_report_text(path, &text)?;
    let warnings = parsed
        .diagnostics
        .iter()
        .filter(|d| d.level >= DiagnosticLevel::Warning)
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect();
    Ok(Imported {
        cassette,
        own_resolutions: parsed.resolutions,
        warnings,
    })
}

// ---------------------------------------------------------------------------
// Raw rounds

/// `round.json` of a raw round directory.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRound {
    schema: String,
    round: RoundMeta,
    #[serde(default)]
    agents: BTreeMap<String, RawAgent>,
    #[serde(default)]
    adjudications: Vec<Adjudication>,
    #[serde(default)]
    prior_resolutions: Vec<PriorResolution>,
}

/// Per-agent facts of a raw round.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgent {
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    duration_s: Option<f64>,
    #[serde(default)]
    tool_calls: Option<u32>,
}

fn raw_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Import {
        path: path.to_path_buf(),
        line: None,
        message: message.into(),
    }
}

fn parse_round_json(path: &Path, text: &str) -> Result<RawRound, Error> {
    match serde_json::from_str::<RawRound>(text) {
        Ok(r) if READABLE_ROUND_SCHEMAS.contains(&r.schema.as_str()) => Ok(r),
        Ok(r) => Err(unknown_round_schema(path, &r.schema)),
        Err(err) => {
            // Name the version rather than a field when the file is of another one.
            if let Some(schema) = declared_schema(text)
                && !READABLE_ROUND_SCHEMAS.contains(&schema.as_str())
            {
                return Err(unknown_round_schema(path, &schema));
            }
            Err(Error::RoundJson {
                path: path.to_path_buf(),
                line: err.line(),
                column: err.column(),
                message: json_message(&err),
            })
        }
    }
}

fn unknown_round_schema(path: &Path, found: &str) -> Error {
    raw_error(
        path,
        format!(
            "unknown round schema `{found}`; this build reads {}",
            READABLE_ROUND_SCHEMAS.join(", ")
        ),
    )
}

/// `claude.md` → (`claude`, 1); `claude.pass2.md` → (`claude`, 2); prompts → None.
fn agent_file(name: &str) -> Option<Result<(String, u32), String>> {
    let stem = name.strip_suffix(".md")?;
    if stem == "prompt" || stem.ends_with(".prompt") {
        return None;
    }
    let (agent, pass) = match stem.split_once('.') {
        None => (stem, 1),
        Some((agent, rest)) => match rest.strip_prefix("pass").and_then(|n| n.parse().ok()) {
            Some(n) if n >= 1 => (agent, n),
            _ => {
                return Some(Err(format!(
                    "`{name}` is neither `<agent>.md` nor `<agent>.pass<N>.md`"
                )));
            }
        },
    };
    if agent.is_empty()
        || !agent
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Some(Err(format!(
            "`{name}`: agent names are lowercase letters, digits, `-` and `_`"
        )));
    }
    Some(Ok((agent.to_string(), pass)))
}

fn import_raw(dir: &Path) -> Result<Imported, Error> {
    let meta = std::fs::metadata(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(raw_error(dir, "not a directory"));
    }
    let round_path = dir.join("round.json");
    if !round_path.is_file() {
        return Err(raw_error(dir, "no round.json"));
    }
    // round.json first: its errors are reported before those of the reviews.
    let round_text = read_text(&round_path)?;
    parse_round_json(&round_path, &round_text)?;

    let mut names: Vec<String> = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for e in entries {
        let e = e.map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        if e.file_type().map(|t| t.is_file()).unwrap_or(false) {
            names.push(e.file_name().to_string_lossy().into_owned());
        }
    }
    // Sorted, so the source hash and the error order do not depend on the file system.
    names.sort();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut total_bytes = 0u64;
    for name in names {
        if !(name == "round.json" || name.ends_with(".md")) {
            continue;
        }
        let path = dir.join(&name);
        let bytes_len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        total_bytes = total_bytes.saturating_add(bytes_len);
        if total_bytes > MAX_INPUT_BYTES {
            return Err(Error::TooLarge {
                path: dir.to_path_buf(),
                size: total_bytes,
                limit: MAX_INPUT_BYTES,
            });
        }
        let text = if name == "round.json" {
            round_text.clone()
        } else {
            read_markdown(&path)?
        };
        files.push((name, text));
    }
    let name = dir
        .canonicalize()
        .ok()
        .as_deref()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file_name(dir));
    let cassette = raw_round_cassette(dir, &name, &files)?;
    Ok(Imported {
        cassette,
        own_resolutions: Vec::new(),
        warnings: Vec::new(),
    })
}

/// Builds the cassette of a raw round from its files, already read: `files` are
/// (file name, text) pairs of `round.json` and the `*.md` files, sorted by name.
/// `dir` names the directory in errors, `name` is recorded as the source name.
/// Shared by `import --raw` and the fuzz target of raw rounds.
pub fn raw_round_cassette(
    dir: &Path,
    name: &str,
    files: &[(String, String)],
) -> Result<Cassette, Error> {
    let round_path = dir.join("round.json");
    let Some((_, round_text)) = files.iter().find(|(n, _)| n == "round.json") else {
        return Err(raw_error(dir, "no round.json"));
    };
    let raw = parse_round_json(&round_path, round_text)?;
    if !is_valid_id(&raw.round.id) {
        return Err(raw_error(
            &round_path,
            format!(
                "round id `{}` cannot name a file (letters, digits, `-`, `_`, `.`)",
                raw.round.id
            ),
        ));
    }
    let known: Vec<&str> = raw
        .agents
        .keys()
        .map(String::as_str)
        .chain(raw.round.reviewers.iter().map(|r| r.agent.as_str()))
        .collect();
    let has = |file: &str| files.iter().any(|(n, _)| n == file);
    let text_of = |file: &str| files.iter().find(|(n, _)| n == file).map(|(_, t)| t);
    let mut interactions = Vec::new();
    let mut hasher_input: Vec<u8> = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        hasher_input.extend_from_slice(name.as_bytes());
        hasher_input.push(0);
        hasher_input.extend_from_slice(text.len().to_string().as_bytes());
        hasher_input.push(0);
        hasher_input.extend_from_slice(text.as_bytes());
        let Some(parsed) = agent_file(name) else {
            continue;
        };
        let (agent, pass) = parsed.map_err(|m| raw_error(&path, m))?;
        if !known.is_empty() && !known.contains(&agent.as_str()) {
            return Err(raw_error(
                &path,
                format!(
                    "agent `{agent}` is not in round.json `agents` or `round.reviewers` ({})",
                    known.join(", ")
                ),
            ));
        }
        let info = raw.agents.get(&agent);
        let model = info.and_then(|a| a.model.clone()).or_else(|| {
            raw.round
                .reviewers
                .iter()
                .find(|r| r.agent == agent)
                .map(|r| r.model.clone())
        });
        let own_prompt = format!("{agent}.prompt.md");
        let prompt_file = if has(&own_prompt) {
            text_of(&own_prompt)
        } else {
            text_of("prompt.md")
        };
        let prompt = prompt_file.map(|p| sha256_id(p.as_bytes()));
        // Timings in round.json are per agent: they describe its first pass.
        let (duration_s, tool_calls) = match info {
            Some(a) if pass == 1 => (a.duration_s, a.tool_calls),
            _ => (None, None),
        };
        interactions.push(Interaction {
            role: Role::Reviewer,
            agent,
            model,
            pass,
            prompt,
            response: text.clone(),
            duration_s,
            tool_calls,
        });
    }
    if interactions.is_empty() {
        return Err(raw_error(
            dir,
            "no agent review (`<agent>.md`) in the directory",
        ));
    }
    for agent in raw.agents.keys() {
        if !interactions.iter().any(|i| &i.agent == agent) {
            return Err(raw_error(
                &round_path,
                format!("agent `{agent}` has no {agent}.md"),
            ));
        }
    }
    interactions.sort_by(|x, y| (&x.agent, x.pass).cmp(&(&y.agent, y.pass)));
    Ok(Cassette {
        schema: SCHEMA_V1.to_string(),
        round: raw.round,
        interactions,
        adjudications: raw.adjudications,
        prior_resolutions: raw.prior_resolutions,
        reference: None,
        source: Some(Source {
            kind: "raw".into(),
            name: name.to_string(),
            sha256: sha256_id(&hasher_input),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_file_names() {
        assert_eq!(agent_file("claude.md"), Some(Ok(("claude".into(), 1))));
        assert_eq!(agent_file("codex.pass2.md"), Some(Ok(("codex".into(), 2))));
        assert_eq!(agent_file("prompt.md"), None);
        assert_eq!(agent_file("claude.prompt.md"), None);
        assert_eq!(agent_file("notes.txt"), None);
        assert!(matches!(agent_file("codex.pass0.md"), Some(Err(_))));
        assert!(matches!(agent_file("Codex.md"), Some(Err(_))));
        assert!(matches!(agent_file("codex.draft.md"), Some(Err(_))));
    }
}
