//! review-replay: replay recorded AI code-review rounds through a deterministic
//! consolidation engine and compare the reports with golden files.
//!
//! The pipeline, one module each: [`cassette`] (recorded rounds) → [`parse`]
//! (markdown reviews into [`model`] types) → [`consolidate`] (de-duplication,
//! severity calibration, verdict, retro into a [`report::Report`]) → [`render`]
//! (markdown, JSON, SARIF, GitHub annotations, reviewdog) → [`golden`]
//! (comparison, bless). [`eval`] measures reports against history and compares
//! two variants. [`commands`] holds one module per subcommand; [`cli`] only
//! declares the arguments; [`progress`] draws progress bars on stderr.
//!
//! [`run`] is the only place that turns results into exit codes and prints errors.
//!
//! # Using the library
//!
//! The command line is a thin layer over a library that can be used from Rust:
//!
//! - [`cassette::Cassette`] loads a recorded round ([`cassette::Cassette::load`]
//!   from a file, [`cassette::Cassette::from_json`] from text); the format is in
//!   `docs/cassette.md`;
//! - [`consolidate::engine::replay`] is the engine: a pure function of the
//!   cassette, the [`consolidate::rules::Rules`] and the
//!   [`consolidate::engine::ReplayOptions`], returning a [`report::Report`];
//! - [`golden::run::check`] replays a whole directory against golden files (what
//!   `review-replay check` does), returning every round's [`golden::run::Status`];
//! - [`eval::metrics::measure`] scores a report (against the cassette's
//!   reference when it has one) and [`eval::compare::evaluate`] compares two sets
//!   of measured rounds with bootstrap confidence intervals.
//!
//! Replaying a cassette and reading the consolidated report:
//!
//! ```
//! use std::collections::BTreeMap;
//! use std::path::Path;
//!
//! use review_replay::cassette::Cassette;
//! use review_replay::consolidate::engine::{ReplayOptions, replay};
//! use review_replay::consolidate::rules::Rules;
//! use review_replay::eval::compare::evaluate;
//! use review_replay::eval::matching::MatchConfig;
//! use review_replay::eval::metrics::measure;
//! use review_replay::model::Severity;
//! use review_replay::render;
//!
//! // Two reviewers raise the same issue; a cassette records their answers.
//! let review = "## Findings\n\n### Important Issues\n\n\
//!     1. **The watcher leaks a goroutine** — `pkg/watch.go:10-20` (important, regression)\n\n\
//!     It never stops.\n";
//! let json = serde_json::json!({
//!     "schema": "review-replay/cassette/v1",
//!     "round": { "id": "demo-pr-7-r1", "repo": "example/demo", "pr": 7 },
//!     "interactions": [
//!         { "role": "reviewer", "agent": "claude", "response": review },
//!         { "role": "reviewer", "agent": "gemini", "response": review },
//!     ],
//! })
//! .to_string();
//! let cassette = Cassette::from_json(Path::new("demo.json"), &json)?;
//!
//! // Replay it under the built-in rules: one finding credited to both agents.
//! let report = replay(&cassette, &Rules::default(), ReplayOptions::default());
//! assert_eq!(report.findings.len(), 1);
//! let finding = &report.findings[0];
//! assert_eq!(finding.id, "I1");
//! assert_eq!(finding.severity, Severity::Important);
//! assert_eq!(finding.agents, ["claude", "gemini"]);
//! assert_eq!(finding.locations[0].to_string(), "pkg/watch.go:10-20");
//!
//! // The same report as markdown (the golden file) and as JSON.
//! assert!(render::markdown::render(&report).starts_with("# Deep Review: demo-pr-7-r1"));
//! assert!(render::json::render(&report).contains("\"review-replay/report/v1\""));
//!
//! // Compare two configurations (here: the same rules twice) round by round.
//! let metrics = measure(&report, cassette.reference.as_ref(), &MatchConfig::default());
//! let side = BTreeMap::from([(report.round.id.clone(), metrics)]);
//! let evaluation = evaluate(&side, &side, ("old".into(), "new".into()), Default::default());
//! assert!(!evaluation.failed());
//! # Ok::<(), review_replay::Error>(())
//! ```

pub mod cassette;
pub mod cli;
pub mod commands;
pub mod consolidate;
mod decimal;
pub mod error;
pub mod eval;
pub mod fsutil;
pub mod golden;
pub mod limits;
pub mod model;
pub mod parse;
pub mod progress;
pub mod record;
pub mod redact;
pub mod render;
pub mod report;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

pub use error::Error;

/// Exit code: everything as expected.
pub const EXIT_OK: u8 = 0;
/// Exit code: a difference, a missing golden file, or a failed item.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: a usage error or an unreadable input.
pub const EXIT_ERROR: u8 = 2;

/// Runs review-replay with these arguments (the first is the program name).
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout with exit 0, usage errors
            // to stderr with exit 2.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_OK
            });
        }
    };
    let result = commands::run(cli.command);
    // Temporary files of killed runs, removed by this run's writes (fsutil).
    for path in fsutil::take_removed_temp_files() {
        eprintln!(
            "note: removed {}, left by an interrupted run",
            path.display()
        );
    }
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
