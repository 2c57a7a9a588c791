//! `review-replay replay`: consolidates one cassette and prints the report.

use crate::cassette::Cassette;
use crate::cli::{ReplayArgs, ReportFormat};
use crate::consolidate::engine::{self, ReplayOptions};
use crate::consolidate::rules::load_rules;
use crate::error::Error;
use crate::render;

/// Runs `review-replay replay`.
pub fn run(args: ReplayArgs) -> Result<u8, Error> {
    let rules = load_rules(args.rules.rules.as_deref())?;
    let cassette = Cassette::load(&args.cassette)?;
    let options = ReplayOptions {
        rules_only: args.rules.rules_only,
    };
    let report = engine::replay(&cassette, &rules, options);
    let text = match args.format {
        ReportFormat::Md => render::markdown::render(&report),
        ReportFormat::Json => render::json::render(&report),
    };
    print!("{text}");
    Ok(crate::EXIT_OK)
}
