//! review-replay: replay recorded AI code-review rounds through a deterministic
//! consolidation engine and compare the reports with golden files.
//!
//! The pipeline, one module each: [`cassette`] (recorded rounds) → [`parse`]
//! (markdown reviews into [`model`] types) → [`consolidate`] (de-duplication,
//! severity calibration, verdict, retro into a [`report::Report`]) → [`render`]
//! (markdown and JSON) → [`golden`] (comparison, bless). [`commands`] holds one
//! module per subcommand; [`cli`] only declares the arguments.
//!
//! [`run`] is the only place that turns results into exit codes and prints errors.

pub mod cassette;
pub mod cli;
pub mod commands;
pub mod consolidate;
pub mod error;
pub mod eval;
pub mod fsutil;
pub mod golden;
pub mod limits;
pub mod model;
pub mod parse;
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
