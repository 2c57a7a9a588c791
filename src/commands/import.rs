//! `review-replay import`: deep-review reports (markdown) and raw round
//! directories (`round.json` + `<agent>.md`, or the deep-review layout
//! `review-<agent>-pass-<n>.md` with round metadata from flags) into cassettes,
//! one `<id>.json` each.
//!
//! Invariants:
//! - inputs are parsed in parallel, but everything printed and written follows the
//!   input order, so output does not depend on the thread count;
//! - one bad input never stops the others: it prints `error: <input>[:line]: ...`,
//!   and the command exits 1 at the end;
//! - the text of every input passes through the redactor ([`crate::redact`])
//!   before it is parsed, so no secret it holds reaches a cassette (unless
//!   `--no-redact`, which says so loudly);
//! - every cassette is written with [`write_atomic`]; a cassette that exists with
//!   different bytes is only replaced with `--force`, identical bytes are left alone;
//! - when several reports of the same PR are imported together, each cassette gets
//!   the resolutions of the earlier rounds (by round number, then date) as
//!   `prior_resolutions`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::progress::Progress;
use serde::Deserialize;

use crate::cassette::{
    Adjudication, Cassette, Interaction, PriorResolution, ResolutionStatus, Role, RoundMeta,
    SCHEMA_V1, Source, declared_schema, json_message, sha256_id,
};
use crate::cli::{ImportArgs, RoundFlags};
use crate::error::Error;
use crate::fsutil::{MAX_INPUT_BYTES, read_markdown, read_text, write_atomic};
use crate::model::DiagnosticLevel;
use crate::parse::report::{import_report_text, is_valid_id};
use crate::parse::review::parse_review;
use crate::record::agents::AgentsFile;
use crate::redact::Redactor;
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
    /// One line per incomplete agent review: where, which agent and pass, why.
    incomplete: Vec<String>,
}

/// Runs `review-replay import`.
pub fn run(args: ImportArgs) -> Result<u8, Error> {
    if args.reports.is_empty() && args.raw.is_empty() {
        return Err(Error::Usage(
            "import needs at least one REPORT or --raw DIR".into(),
        ));
    }
    if args.round.round_id.is_some() && args.raw.len() > 1 {
        return Err(Error::Usage(
            "--round-id names one round: give a single --raw DIR with it".into(),
        ));
    }
    let redactor = match (&args.agents, args.no_redact) {
        (Some(_), true) => {
            return Err(Error::Usage(
                "--agents only adds redaction patterns; it makes no sense with --no-redact".into(),
            ));
        }
        (Some(path), false) => AgentsFile::load(path)?.redactor,
        (None, true) => {
            eprintln!("{}", crate::commands::record::NO_REDACT_WARNING);
            Redactor::disabled()
        }
        (None, false) => Redactor::builtin(),
    };
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
    let progress = Progress::start("import", inputs.len(), false);
    let mut results: Vec<Result<Imported, Error>> = inputs
        .par_iter()
        .map(|(path, raw)| {
            let result = if *raw {
                import_raw(path, &args.round, &redactor)
            } else {
                import_report(path, &redactor)
            };
            progress.round_done(result.is_err());
            result
        })
        .collect();
    progress.finish();

    link_prior_resolutions(&mut results);

    let total = inputs.len();
    let mut ok = 0usize;
    let mut incomplete_rounds = 0usize;
    let mut written: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    for ((input, _), result) in inputs.iter().zip(results) {
        let outcome = result.and_then(|imp| {
            for w in &imp.warnings {
                eprintln!("warning: {}:{w}", input.display());
            }
            for w in &imp.incomplete {
                eprintln!("warning: {}:{w}", input.display());
            }
            if args.strict && !imp.incomplete.is_empty() {
                return Err(Error::Import {
                    path: input.clone(),
                    line: None,
                    message: format!(
                        "{} incomplete agent review(s); not written (--strict)",
                        imp.incomplete.len()
                    ),
                });
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
            if !imp.incomplete.is_empty() {
                incomplete_rounds += 1;
            }
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
    let mut summary = format!("imported {ok} of {total}");
    if incomplete_rounds > 0 {
        summary.push_str(&format!("; {incomplete_rounds} incomplete"));
    }
    if failed > 0 {
        summary.push_str(&format!("; {failed} failed"));
    }
    eprintln!("{summary}");
    Ok(if failed > 0 { EXIT_FAILURE } else { EXIT_OK })
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
            // Recorded resolutions (raw rounds, or a report's own carried-over
            // items) come first and are kept: a later report saying an item is
            // still open wins over an earlier record of the same round and id.
            for r in list {
                let still_open = |p: &PriorResolution| {
                    p.status == ResolutionStatus::Unresolved
                        && p.round == r.round
                        && p.id.eq_ignore_ascii_case(&r.id)
                };
                if !imp.cassette.prior_resolutions.contains(&r)
                    && !imp.cassette.prior_resolutions.iter().any(still_open)
                {
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

/// How many redaction markers `text` holds: a report is redacted as a whole
/// before it is parsed, so this is what each interaction's response lost.
fn markers(text: &str) -> u32 {
    u32::try_from(text.matches("[REDACTED:").count()).unwrap_or(u32::MAX)
}

fn import_report(path: &Path, redactor: &Redactor) -> Result<Imported, Error> {
    let original = read_markdown(path)?;
    let redacted = redactor.redact(&original);
    let (mut cassette, parsed) = import_report_text(path, &redacted.text)?;
    if redacted.count > 0 {
        for i in &mut cassette.interactions {
            i.redactions = markers(&i.response);
        }
    }
    let mut warnings: Vec<String> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.level >= DiagnosticLevel::Warning)
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect();
    let incomplete: Vec<String> = parsed
        .agents
        .iter()
        .filter_map(|a| {
            let inc = a.review.incomplete.as_ref()?;
            Some(format!(
                "{}: {} pass {}: incomplete review ({}): {}",
                inc.line.unwrap_or(a.heading_line),
                a.agent,
                a.pass,
                inc.kind.as_str(),
                inc.reason
            ))
        })
        .collect();
    // A round whose reviews hold no finding while the report lists some is a
    // parser gap unless a review is known to be incomplete: never silent.
    let raw_findings: usize = parsed
        .agents
        .iter()
        .map(|a| a.review.review.findings.len())
        .sum();
    let reference_findings = parsed.reference.findings.len();
    if raw_findings == 0 && reference_findings > 0 && incomplete.is_empty() {
        warnings.push(format!(
            "{}: no finding parsed in any agent review, but the report lists {reference_findings}; \
             run `review-replay parse` on the appendix to see why",
            parsed.appendix_line.unwrap_or(1)
        ));
    }
    if redacted.count > 0 {
        warnings.push(format!(" redacted {} secret(s)", redacted.count));
    }
    Ok(Imported {
        cassette,
        own_resolutions: parsed.resolutions,
        warnings,
        incomplete,
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

/// The deep-review layout: `review-<agent>-pass-<n>.md` → (`agent`, n).
fn deep_review_file(name: &str) -> Option<(&str, u32)> {
    let stem = name.strip_prefix("review-")?.strip_suffix(".md")?;
    let (agent, pass) = stem.rsplit_once("-pass-")?;
    let pass: u32 = pass.parse().ok().filter(|n| *n >= 1)?;
    Some((agent, pass))
}

/// `claude.md` → (`claude`, 1); `claude.pass2.md` → (`claude`, 2);
/// `review-claude-pass-2.md` → (`claude`, 2); prompts → None.
fn agent_file(name: &str) -> Option<Result<(String, u32), String>> {
    let stem = name.strip_suffix(".md")?;
    if stem == "prompt" || stem.ends_with(".prompt") {
        return None;
    }
    let (agent, pass) = match deep_review_file(name) {
        Some(found) => found,
        None => match stem.split_once('.') {
            None => (stem, 1),
            Some((agent, rest)) => match rest.strip_prefix("pass").and_then(|n| n.parse().ok()) {
                Some(n) if n >= 1 => (agent, n),
                _ => {
                    return Some(Err(format!(
                        "`{name}` is neither `<agent>.md`, `<agent>.pass<N>.md` nor \
                     `review-<agent>-pass-<N>.md`"
                    )));
                }
            },
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

/// Round metadata from flags, for a directory without `round.json` (the
/// deep-review layout): the id is `--round-id`, else the directory's name.
fn round_from_flags(dir: &Path, flags: &RoundFlags) -> Result<RawRound, Error> {
    let id = match &flags.round_id {
        Some(id) => id.clone(),
        None => dir
            .canonicalize()
            .ok()
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file_name(dir)),
    };
    if !is_valid_id(&id) {
        return Err(raw_error(
            dir,
            format!("no round.json, and `{id}` cannot be a round id: give --round-id"),
        ));
    }
    Ok(RawRound {
        schema: ROUND_SCHEMA_V1.to_string(),
        round: RoundMeta {
            id,
            repo: flags.repo.clone(),
            pr: flags.pr,
            title: flags.title.clone(),
            round: flags.round,
            ..RoundMeta::default()
        },
        agents: BTreeMap::new(),
        adjudications: Vec::new(),
        prior_resolutions: Vec::new(),
    })
}

fn import_raw(dir: &Path, flags: &RoundFlags, redactor: &Redactor) -> Result<Imported, Error> {
    let meta = std::fs::metadata(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(raw_error(dir, "not a directory"));
    }
    // round.json first: its errors are reported before those of the reviews.
    let round_path = dir.join("round.json");
    let raw = if round_path.is_file() {
        parse_round_json(&round_path, &read_text(&round_path)?)?
    } else if has_deep_review_files(dir)? {
        round_from_flags(dir, flags)?
    } else {
        return Err(raw_error(
            dir,
            "no round.json (and no `review-<agent>-pass-<n>.md` files)",
        ));
    };

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
            read_text(&path)?
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
    let cassette = build_raw_cassette(dir, &name, raw, &files, redactor)?;
    let incomplete = cassette
        .interactions
        .iter()
        .filter_map(|i| {
            let inc = i.incomplete.as_ref()?;
            let file = if i.pass == 1 {
                format!("{}.md", i.agent)
            } else {
                format!("{}.pass{}.md", i.agent, i.pass)
            };
            Some(format!(
                " {file}:{}: {} pass {}: incomplete review ({}): {}",
                inc.line.unwrap_or(1),
                i.agent,
                i.pass,
                inc.kind.as_str(),
                inc.reason
            ))
        })
        .collect();
    let secrets: u32 = cassette.interactions.iter().map(|i| i.redactions).sum();
    let warnings = if secrets > 0 {
        vec![format!(" redacted {secrets} secret(s)")]
    } else {
        Vec::new()
    };
    Ok(Imported {
        cassette,
        own_resolutions: Vec::new(),
        warnings,
        incomplete,
    })
}

/// Builds the cassette of a raw round directory from its files, already read:
/// `files` are (file name, text) pairs of `round.json` and the `*.md` files,
/// sorted by name, redacted with the built-in patterns. `dir` names the directory
/// in errors, `name` is recorded as the source name. The in-memory door of
/// `import --raw`, for the fuzz target of raw rounds.
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
    build_raw_cassette(dir, name, raw, files, &Redactor::default())
}

/// The cassette of a raw round: one interaction per agent review file.
fn build_raw_cassette(
    dir: &Path,
    name: &str,
    raw: RawRound,
    files: &[(String, String)],
    redactor: &Redactor,
) -> Result<Cassette, Error> {
    let round_path = dir.join("round.json");
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
    let text_of = |file: &str| files.iter().find(|(n, _)| n == file).map(|(_, t)| t);
    let mut interactions = Vec::new();
    let mut hasher_input: Vec<u8> = Vec::new();
    for (file, text) in files {
        let path = dir.join(file);
        hasher_input.extend_from_slice(file.as_bytes());
        hasher_input.push(0);
        hasher_input.extend_from_slice(text.len().to_string().as_bytes());
        hasher_input.push(0);
        hasher_input.extend_from_slice(text.as_bytes());
        let Some(parsed) = agent_file(file) else {
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
        let prompt = text_of(&format!("{agent}.prompt.md"))
            .or_else(|| text_of("prompt.md"))
            .map(|p| sha256_id(p.as_bytes()));
        // Timings in round.json are per agent: they describe its first pass.
        let (duration_s, tool_calls) = match info {
            Some(a) if pass == 1 => (a.duration_s, a.tool_calls),
            _ => (None, None),
        };
        let redacted = redactor.redact(text);
        let incomplete = parse_review(&redacted.text, 1).incomplete;
        interactions.push(Interaction {
            role: Role::Reviewer,
            agent,
            model,
            pass,
            prompt,
            response: redacted.text,
            duration_s,
            tool_calls,
            incomplete,
            redactions: redacted.count,
            ..Interaction::default()
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

/// True when the directory holds a `review-<agent>-pass-<n>.md` file.
fn has_deep_review_files(dir: &Path) -> Result<bool, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(entries
        .filter_map(Result::ok)
        .any(|e| deep_review_file(&e.file_name().to_string_lossy()).is_some()))
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
        assert_eq!(
            agent_file("review-gpt-5-pass-2.md"),
            Some(Ok(("gpt-5".into(), 2)))
        );
        assert_eq!(
            agent_file("review-claude-pass-1.md"),
            Some(Ok(("claude".into(), 1)))
        );
        assert!(matches!(
            agent_file("review-Claude-pass-1.md"),
            Some(Err(_))
        ));
    }
}
