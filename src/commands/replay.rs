//! `review-replay replay`: consolidates one cassette and prints the report, or
//! its findings for code-review tools (SARIF, GitHub annotations, reviewdog).

use crate::cassette::Cassette;
use crate::cli::{ReplayArgs, ReportFormat};
use crate::consolidate::engine::{self, ReplayOptions};
use crate::consolidate::rules::load_rules;
use crate::error::Error;
use crate::render;
use crate::render::findings::{RawIndex, items};
use crate::render::github::in_github_actions;

/// Runs `review-replay replay`.
pub fn run(args: ReplayArgs) -> Result<u8, Error> {
    let rules = load_rules(args.rules.rules.as_deref())?;
    let cassette = Cassette::load(&args.cassette)?;
    let options = ReplayOptions {
        rules_only: args.rules.rules_only,
    };
    let format = args.format.unwrap_or(if in_github_actions() {
        ReportFormat::Github
    } else {
        ReportFormat::Md
    });
    let reviews = engine::reviews_of(&cassette);
    let report = engine::replay_parsed(&cassette, &reviews, &rules, options);
    let findings = || items(&report, &RawIndex::of(&reviews));
    // Findings without a location are put on the cassette, as named by the user.
    let cassette_name = args.cassette.to_string_lossy().replace('\\', "/");
    let text = match format {
        ReportFormat::Md => render::markdown::render(&report),
        ReportFormat::Json => render::json::render(&report),
        ReportFormat::Sarif => render::sarif::render(&findings()),
        ReportFormat::Github => {
            render::github::render(&render::github::findings(&findings(), &cassette_name))
        }
        ReportFormat::Rdjsonl => render::rdjsonl::render(&findings(), &cassette_name),
    };
    print!("{text}");
    Ok(crate::EXIT_OK)
}
