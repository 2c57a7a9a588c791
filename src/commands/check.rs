//! `review-replay check` and `review-replay bless`.
//!
//! Validates the arguments, runs [`crate::golden::run`], writes what was asked
//! (golden files, pending files, pruning, JUnit), prints one block per failing
//! round and a summary, and returns the exit code: 0 when every round matches,
//! 1 on any difference, new or orphaned round, 2 on usage errors or unreadable
//! inputs.
//!
//! Invariant: `check` without `--bless`, `--pending` or `--prune` writes nothing
//! but the `--junit` file; under `CI` even `--prune` needs `--bless`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use serde::Serialize;

use crate::cli::{CheckArgs, OutputFormat};
use crate::consolidate::engine::ReplayOptions;
use crate::consolidate::rules::{DEFAULT_RULES_TOML, Rules};
use crate::error::Error;
use crate::fsutil;
use crate::golden::diff::Change;
use crate::golden::file::rules_hash;
use crate::golden::junit;
use crate::golden::run::{Outcome, Plan, RoundResult, Status, WriteResult};
use crate::golden::select::{Partition, Selection};
use crate::{EXIT_ERROR, EXIT_FAILURE, EXIT_OK};

/// True when the `CI` environment variable asks for CI behaviour.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Colour on a terminal only, never with `NO_COLOR` set.
fn use_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Runs `check` (`bless == false`) or `bless`.
pub fn run(args: CheckArgs, bless: bool) -> Result<u8, Error> {
    let bless = bless || args.bless;
    let selection = Selection {
        filter: args.filter.clone(),
        partition: args
            .partition
            .as_deref()
            .map(Partition::parse)
            .transpose()?,
    };
    if args.jobs == Some(0) {
        return Err(Error::Usage("--jobs must be at least 1".into()));
    }
    if args.prune && !bless && in_ci() {
        return Err(Error::Usage(
            "--prune removes golden files; under CI it needs --bless as well".into(),
        ));
    }
    if bless && args.pending {
        return accept_pending(&args, &selection);
    }

    let (rules, hash) = match &args.rules.rules {
        Some(path) => {
            let text = fsutil::read_text(path)?;
            (
                Rules::from_toml(path, &text)?,
                rules_hash(text.as_bytes(), args.rules.rules_only),
            )
        }
        None => (
            Rules::default(),
            rules_hash(DEFAULT_RULES_TOML.as_bytes(), args.rules.rules_only),
        ),
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("cassettes")]
    } else {
        args.paths.clone()
    };
    let plan = Plan {
        paths,
        golden_dir: args.golden.clone(),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        rules,
        rules_hash: hash,
        options: ReplayOptions {
            rules_only: args.rules.rules_only,
        },
        selection,
        follow_links: args.follow_links,
        keep_output: bless || args.pending,
    };
    let outcome = crate::golden::run::check(&plan)?;

    let written = if bless || args.pending {
        crate::golden::run::write_goldens(&outcome, &plan.golden_dir, !bless && args.pending)
    } else {
        Vec::new()
    };
    let pruned = if args.prune {
        crate::golden::run::prune(&outcome)
    } else {
        Vec::new()
    };

    let mut junit_error = None;
    if let Some(path) = &args.junit {
        let xml = junit::render("review-replay", &junit_cases(&outcome));
        if let Err(e) = crate::fsutil::write_atomic(path, xml.as_bytes()) {
            junit_error = Some(e);
        }
    }

    let report = Printed {
        outcome: &outcome,
        written: &written,
        pruned: &pruned,
        bless,
        pending: args.pending,
    };
    let text = match args.format {
        OutputFormat::Human => report.human(use_colour()),
        OutputFormat::Json => report.json(),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    for link in &outcome.skipped_links {
        eprintln!(
            "warning: skipped {}: symlink leads outside the given paths (use --follow-links)",
            link.display()
        );
    }
    if let Some(e) = junit_error {
        return Err(e);
    }
    Ok(report.exit_code())
}

fn accept_pending(args: &CheckArgs, selection: &Selection) -> Result<u8, Error> {
    let results = crate::golden::run::accept_pending(&args.golden, selection)?;
    let mut out = String::new();
    let mut failed = false;
    for r in &results {
        match &r.error {
            None => out.push_str(&format!("accepted  {}\n", r.id)),
            Some(e) => {
                failed = true;
                out.push_str(&format!("error     {}: {e}\n", r.id));
            }
        }
    }
    if results.is_empty() {
        out.push_str(&format!(
            "no pending golden files in {}\n",
            args.golden.display()
        ));
    } else {
        let ok = results.iter().filter(|r| r.error.is_none()).count();
        out.push_str(&format!(
            "accepted {ok} of {} pending rounds\n",
            results.len()
        ));
    }
    print!("{out}");
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}

struct Printed<'a> {
    outcome: &'a Outcome,
    written: &'a [WriteResult],
    pruned: &'a [WriteResult],
    bless: bool,
    pending: bool,
}

#[derive(Debug, Default, Serialize)]
struct Summary {
    rounds: usize,
    #[serde(rename = "match")]
    matched: usize,
    changed: usize,
    new: usize,
    corrupt: usize,
    orphaned: usize,
    blessed: usize,
    pending: usize,
    pruned: usize,
    write_errors: usize,
}

fn paint(colour: bool, code: &str, text: &str) -> String {
    if colour {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// One line per finding-level change, indented.
fn change_lines(changes: &[Change]) -> String {
    changes.iter().map(|c| format!("  {c}\n")).collect()
}

/// Indents a unified diff, colouring its lines on a terminal.
fn diff_lines(text_diff: &str, colour: bool) -> String {
    let mut out = String::new();
    for line in text_diff.lines() {
        let code = if line.starts_with("+++") || line.starts_with("---") {
            "1"
        } else if line.starts_with('+') {
            "32"
        } else if line.starts_with('-') {
            "31"
        } else if line.starts_with("@@") {
            "36"
        } else {
            ""
        };
        out.push_str("  ");
        if code.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(&paint(colour, code, line));
        }
        out.push('\n');
    }
    out
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The one-line message and the body of a failing round; `colour` paints the diff.
fn describe(round: &RoundResult, colour: bool) -> Option<(String, String)> {
    match &round.status {
        Status::Match => None,
        Status::Changed {
            cause,
            changes,
            text_diff,
        } => {
            let mut body = String::new();
            if changes.is_empty() {
                body.push_str("  no finding-level change; see the text diff\n");
            } else {
                body.push_str(&change_lines(changes));
            }
            body.push_str(&diff_lines(text_diff, colour));
            Some((cause.describe().to_string(), body))
        }
        Status::New { missing } => {
            Some((format!("no golden file {}", list(missing)), String::new()))
        }
        Status::Corrupt { message } => Some((message.clone(), String::new())),
        Status::Orphaned { files } => {
            Some((format!("{} has no cassette", list(files)), String::new()))
        }
    }
}

fn junit_cases(outcome: &Outcome) -> Vec<junit::Case> {
    outcome
        .rounds
        .iter()
        .chain(&outcome.orphans)
        .map(|r| junit::Case {
            name: r.id.clone(),
            outcome: describe(r, false).map(|(message, body)| junit::Outcome {
                error: matches!(r.status, Status::Corrupt { .. }),
                kind: r.status.key().to_string(),
                message,
                body,
            }),
        })
        .collect()
}

impl Printed<'_> {
    fn summary(&self) -> Summary {
        let mut s = Summary {
            rounds: self.outcome.rounds.len(),
            orphaned: self.outcome.orphans.len(),
            ..Summary::default()
        };
        for r in &self.outcome.rounds {
            match r.status {
                Status::Match => s.matched += 1,
                Status::Changed { .. } => s.changed += 1,
                Status::New { .. } => s.new += 1,
                Status::Corrupt { .. } => s.corrupt += 1,
                Status::Orphaned { .. } => s.orphaned += 1,
            }
        }
        let ok = self.written.iter().filter(|w| w.error.is_none()).count();
        if self.bless {
            s.blessed = ok;
        } else if self.pending {
            s.pending = ok;
        }
        s.pruned = self.pruned.iter().filter(|w| w.error.is_none()).count();
        s.write_errors = self
            .written
            .iter()
            .chain(self.pruned)
            .filter(|w| w.error.is_some())
            .count();
        s
    }

    fn exit_code(&self) -> u8 {
        let s = self.summary();
        if s.corrupt > 0 || s.write_errors > 0 {
            return EXIT_ERROR;
        }
        // Blessed rounds now match; pruned orphans are gone.
        let unresolved_diffs = if self.bless {
            (s.changed + s.new).saturating_sub(s.blessed)
        } else {
            s.changed + s.new
        };
        let unresolved_orphans = s.orphaned.saturating_sub(s.pruned);
        if unresolved_diffs + unresolved_orphans > 0 {
            EXIT_FAILURE
        } else {
            EXIT_OK
        }
    }

    fn human(&self, colour: bool) -> String {
        let mut out = String::new();
        for r in self.outcome.rounds.iter().chain(&self.outcome.orphans) {
            let Some((message, body)) = describe(r, colour) else {
                continue;
            };
            // When blessing, the `blessed` line below says it all for a new round.
            if self.bless && matches!(r.status, Status::New { .. }) && r.output.is_some() {
                continue;
            }
            let key = r.status.key();
            let code = match r.status {
                Status::Corrupt { .. } => "1;31",
                Status::New { .. } => "1;33",
                _ => "1;35",
            };
            let label = format!("{key:<9}");
            out.push_str(&format!(
                "{} {}: {message}\n",
                paint(colour, code, &label),
                r.id
            ));
            out.push_str(&body);
        }
        let verb = if self.bless { "blessed " } else { "pending " };
        for w in self.written {
            match &w.error {
                None => out.push_str(&format!("{verb}  {}: wrote {}\n", w.id, list(&w.files))),
                Some(e) => out.push_str(&format!("error     {}: {e}\n", w.id)),
            }
        }
        for w in self.pruned {
            match &w.error {
                None => out.push_str(&format!("pruned    {}: removed {}\n", w.id, list(&w.files))),
                Some(e) => out.push_str(&format!("error     {}: {e}\n", w.id)),
            }
        }
        let s = self.summary();
        let mut line = format!(
            "{} round{}: {} match, {} changed, {} new",
            s.rounds,
            if s.rounds == 1 { "" } else { "s" },
            s.matched,
            s.changed,
            s.new
        );
        for (n, what) in [(s.corrupt, "corrupt"), (s.orphaned, "orphaned")] {
            if n > 0 {
                line.push_str(&format!(", {n} {what}"));
            }
        }
        let mut after = Vec::new();
        for (n, what) in [
            (s.blessed, "blessed"),
            (s.pending, "written as pending"),
            (s.pruned, "pruned"),
            (s.write_errors, "not written (errors above)"),
        ] {
            if n > 0 {
                after.push(format!("{n} {what}"));
            }
        }
        if !after.is_empty() {
            line.push_str("; ");
            line.push_str(&after.join(", "));
        }
        out.push_str(&line);
        out.push('\n');
        if !self.bless && s.changed + s.new > 0 {
            out.push_str(
                "to accept: review-replay bless (or check --pending, then bless --pending)\n",
            );
        }
        out
    }

    fn json(&self) -> String {
        #[derive(Serialize)]
        struct Round<'a> {
            id: &'a str,
            status: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            cause: Option<&'static str>,
            cassette: Option<String>,
            golden: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            message: Option<String>,
            diff: &'a [Change],
            #[serde(skip_serializing_if = "Option::is_none")]
            text_diff: Option<&'a str>,
        }
        #[derive(Serialize)]
        struct Doc<'a> {
            schema: &'static str,
            rounds: Vec<Round<'a>>,
            summary: Summary,
        }
        let rounds = self
            .outcome
            .rounds
            .iter()
            .chain(&self.outcome.orphans)
            .map(|r| {
                let (cause, diff, text_diff): (_, &[Change], _) = match &r.status {
                    Status::Changed {
                        cause,
                        changes,
                        text_diff,
                    } => (Some(cause.key()), &changes[..], Some(&**text_diff)),
                    _ => (None, &[], None),
                };
                let message = match &r.status {
                    Status::Match | Status::Changed { .. } => None,
                    _ => describe(r, false).map(|(m, _)| m),
                };
                Round {
                    id: &r.id,
                    status: r.status.key(),
                    cause,
                    cassette: r.cassette.as_ref().map(|p| p.display().to_string()),
                    golden: r.golden(&self.outcome.golden_dir).md.display().to_string(),
                    message,
                    diff,
                    text_diff,
                }
            })
            .collect();
        let doc = Doc {
            schema: "review-replay/check/v1",
            rounds,
            summary: self.summary(),
        };
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "--- golden/a.md\n+++ replayed\n@@ -1,2 +1,2 @@\n same\n-old\n+new\n";

    #[test]
    fn diff_is_indented_and_plain_without_colour() {
        assert_eq!(
            diff_lines(DIFF, false),
            "  --- golden/a.md\n  +++ replayed\n  @@ -1,2 +1,2 @@\n   same\n  -old\n  +new\n"
        );
    }

    #[test]
    fn diff_is_coloured_by_line_kind() {
        let out = diff_lines(DIFF, true);
        assert!(out.contains("  \x1b[31m-old\x1b[0m\n"), "{out:?}");
        assert!(out.contains("  \x1b[32m+new\x1b[0m\n"), "{out:?}");
        assert!(
            out.contains("  \x1b[36m@@ -1,2 +1,2 @@\x1b[0m\n"),
            "{out:?}"
        );
        assert!(out.contains("  \x1b[1m--- golden/a.md\x1b[0m\n"), "{out:?}");
        assert!(out.contains("\n   same\n"), "{out:?}");
    }
}
