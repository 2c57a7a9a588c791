//! `review-replay check` and `review-replay bless`.
//!
//! Validates the arguments, runs [`crate::golden::run`], writes what was asked
//! (golden files, pending files, pruning, JUnit), prints one block per failing
//! round and a summary, and returns the exit code: 0 when every round matches,
//! 1 on any difference, new or orphaned round, 2 on usage errors or unreadable
//! inputs.
//!
//! Invariant: `check` without `--bless`, `--pending` or `--prune` writes nothing
//! but the `--junit` and `--html` files; under `CI` even `--prune` needs `--bless`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;

use crate::cli::{CheckArgs, CheckFormat};
use crate::consolidate::engine::ReplayOptions;
use crate::consolidate::rules::{DEFAULT_RULES_TOML, Rules};
use crate::error::Error;
use crate::fsutil;
use crate::golden::diff::Change;
use crate::golden::file::rules_hash;
use crate::golden::junit;
use crate::golden::run::{Observer, Outcome, Plan, RoundResult, Status, WriteResult};
use crate::golden::select::{Partition, Selection};
use crate::golden::stale::{CurrentPrompt, StrictOptions};
use crate::progress::{Progress, in_ci};
use crate::render::github::{Annotation, Level, in_github_actions};
use crate::{EXIT_ERROR, EXIT_FAILURE, EXIT_OK};

/// Shows the progress of a check; the total is known once cassettes are found.
struct ProgressObserver {
    machine_output: bool,
    progress: OnceLock<Progress>,
}

impl Observer for ProgressObserver {
    fn start(&self, files: usize) {
        let _ = self
            .progress
            .set(Progress::start("check", files, self.machine_output));
    }

    fn file_done(&self, result: Option<&RoundResult>) {
        if let Some(p) = self.progress.get() {
            p.round_done(result.is_some_and(|r| !matches!(r.status, Status::Match)));
        }
    }
}

/// Colour on a terminal only, never with `NO_COLOR` set.
fn use_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Runs `check` (`bless == false`) or `bless`.
pub fn run(args: CheckArgs, bless: bool) -> Result<u8, Error> {
    let bless = bless || args.bless;
    let format = args.format.unwrap_or(if in_github_actions() {
        CheckFormat::Github
    } else {
        CheckFormat::Human
    });
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
        keep_report: args.html.is_some(),
        strict: StrictOptions {
            prompt: args
                .prompt
                .as_deref()
                .map(CurrentPrompt::load)
                .transpose()?,
            strict: args.strict,
        },
        keep_findings: args.sarif.is_some(),
    };
    let observer = ProgressObserver {
        machine_output: format == CheckFormat::Json,
        progress: OnceLock::new(),
    };
    let outcome = crate::golden::run::check_observed(&plan, &observer);
    if let Some(p) = observer.progress.get() {
        p.finish();
    }
    let outcome = outcome?;

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

    let mut write_error = None;
    if let Some(path) = &args.junit {
        let xml = junit::render("review-replay", &junit_cases(&outcome));
        if let Err(e) = crate::fsutil::write_atomic(path, xml.as_bytes()) {
            write_error = Some(e);
        }
    }
    if let Some(path) = &args.html {
        let page = crate::render::html::check::render(&outcome);
        if let Err(e) = crate::fsutil::write_atomic(path, page.as_bytes()) {
            write_error.get_or_insert(e);
        }
    }
    if let Some(path) = &args.sarif {
        let items: Vec<_> = outcome
            .rounds
            .iter()
            .filter_map(|r| r.findings.as_ref())
            .flatten()
            .cloned()
            .collect();
        let sarif = crate::render::sarif::render(&items);
        if let Err(e) = crate::fsutil::write_atomic(path, sarif.as_bytes()) {
            write_error.get_or_insert(e);
        }
    }

    let report = Printed {
        outcome: &outcome,
        written: &written,
        pruned: &pruned,
        bless,
        pending: args.pending,
    };
    let text = match format {
        CheckFormat::Human => report.human(use_colour()),
        CheckFormat::Json => report.json(),
        CheckFormat::Github => {
            let mut text = crate::render::github::render(&annotations(&outcome));
            text.push_str(&report.human(false));
            text
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    // Another rules file changes little where recorded decisions decide: say so.
    if args.rules.rules.is_some() && !args.rules.rules_only {
        let mut settled = crate::report::Settled::default();
        for r in &outcome.rounds {
            settled.add(r.settled);
        }
        if let Some(note) = settled.rules_note() {
            eprintln!("{note}");
        }
    }
    for link in &outcome.skipped_links {
        eprintln!(
            "warning: skipped {}: symlink leads outside the given paths (use --follow-links)",
            link.display()
        );
    }
    if let Some(e) = write_error {
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
    /// Rounds failed by an interaction (prompt changed; stale or failed under --strict).
    stale: usize,
    /// Interaction warnings.
    warnings: usize,
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

/// A path as GitHub wants it in `file=`: `/` separators, no leading `./`.
fn repo_path(path: &std::path::Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// One annotation per failing round, on its cassette (its golden file for an
/// orphan), and one per finding-level change of a changed round.
fn annotations(outcome: &Outcome) -> Vec<Annotation> {
    let mut out = Vec::new();
    for r in outcome.rounds.iter().chain(&outcome.orphans) {
        let Some((message, _)) = describe(r, false) else {
            continue;
        };
        let golden = r.golden(&outcome.golden_dir);
        let file = repo_path(r.cassette.as_deref().unwrap_or(&golden.md));
        let changes: &[Change] = match &r.status {
            Status::Changed { changes, .. } => changes,
            _ => &[],
        };
        let message = if changes.is_empty() {
            message
        } else {
            format!(
                "{message}; {} change{}",
                changes.len(),
                if changes.len() == 1 { "" } else { "s" }
            )
        };
        out.push(Annotation {
            level: Level::Error,
            file: Some(file.clone()),
            line: None,
            end_line: None,
            title: format!("{} {}", r.id, r.status.key()),
            message,
        });
        for c in changes {
            let level = match c {
                Change::Verdict { .. } => Level::Error,
                Change::Retro { .. } => Level::Notice,
                _ => Level::Warning,
            };
            let kind = serde_json::to_value(c)
                .ok()
                .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
                .unwrap_or_default();
            out.push(Annotation {
                level,
                file: Some(file.clone()),
                line: None,
                end_line: None,
                title: format!("{}: {kind}", r.id),
                message: c.to_string(),
            });
        }
    }
    out
}

fn junit_cases(outcome: &Outcome) -> Vec<junit::Case> {
    outcome
        .rounds
        .iter()
        .chain(&outcome.orphans)
        .map(|r| junit::Case {
            name: r.id.to_string(),
            outcome: describe(r, false)
                .map(|(message, body)| junit::Outcome {
                    error: matches!(r.status, Status::Corrupt { .. }),
                    kind: r.status.key().to_string(),
                    message,
                    body,
                })
                .or_else(|| stale_outcome(r)),
        })
        .collect()
}

/// A round that matches its golden files but fails an interaction check.
fn stale_outcome(r: &RoundResult) -> Option<junit::Outcome> {
    let fatal: Vec<&str> = r
        .problems
        .iter()
        .filter(|p| p.fatal)
        .map(|p| p.message.as_str())
        .collect();
    let first = fatal.first()?;
    Some(junit::Outcome {
        error: false,
        kind: "stale".into(),
        message: (*first).to_string(),
        body: fatal.iter().map(|m| format!("  {m}\n")).collect(),
    })
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
        for r in &self.outcome.rounds {
            if r.problems.iter().any(|p| p.fatal) {
                s.stale += 1;
            }
            s.warnings += r.problems.iter().filter(|p| !p.fatal).count();
        }
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
        if unresolved_diffs + unresolved_orphans + s.stale > 0 {
            EXIT_FAILURE
        } else {
            EXIT_OK
        }
    }

    fn human(&self, colour: bool) -> String {
        let mut out = String::new();
        for r in &self.outcome.rounds {
            for p in &r.problems {
                let label = if p.fatal { "stale    " } else { "warning  " };
                let code = if p.fatal { "1;31" } else { "1;33" };
                out.push_str(&format!(
                    "{} {}: {}\n",
                    paint(colour, code, label),
                    r.id,
                    p.message
                ));
            }
        }
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
        for (n, what) in [
            (s.corrupt, "corrupt"),
            (s.orphaned, "orphaned"),
            (s.stale, "stale"),
        ] {
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
            (s.warnings, "interaction warnings"),
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
            #[serde(skip_serializing_if = "Vec::is_empty")]
            interactions: Vec<Problem<'a>>,
        }
        #[derive(Serialize)]
        struct Problem<'a> {
            message: &'a str,
            fatal: bool,
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
                    interactions: r
                        .problems
                        .iter()
                        .map(|p| Problem {
                            message: &p.message,
                            fatal: p.fatal,
                        })
                        .collect(),
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
