//! `review-replay parse`: shows what the review parser understands of one agent
//! review, for people (`human`) or programs (`json`).
//!
//! Exit codes: 0 when the file was read (even with diagnostics, even when empty),
//! 2 when it cannot be read (missing, not UTF-8, too large).

use std::fmt::Write as _;

use serde::Serialize;

use crate::EXIT_OK;
use crate::cli::{OutputFormat, ParseArgs};
use crate::error::Error;
use crate::fsutil;
use crate::model::{CoverageStatus, Diagnostic, DiagnosticLevel, ParsedReview};
use crate::parse::review::parse_review;

/// The JSON document printed by `parse --format json`.
#[derive(Debug, Serialize)]
struct JsonOutput<'a> {
    file: String,
    review: &'a ParsedReview,
    diagnostics: &'a [Diagnostic],
}

/// Runs `review-replay parse`.
pub fn run(args: ParseArgs) -> Result<u8, Error> {
    let text = fsutil::read_markdown(&args.file)?;
    let out = parse_review(&text, 1);
    let file = args.file.display().to_string();
    let printed = match args.format {
        OutputFormat::Json => {
            let doc = JsonOutput {
                file: file.clone(),
                review: &out.review,
                diagnostics: &out.diagnostics,
            };
            let mut s = serde_json::to_string_pretty(&doc)
                .map_err(|e| Error::Other(format!("cannot serialise parsed review: {e}")))?;
            s.push('\n');
            s
        }
        OutputFormat::Human => human(&file, &out.review, &out.diagnostics),
    };
    print!("{printed}");
    Ok(EXIT_OK)
}

/// The human form: findings first, then counts, verdict and diagnostics.
pub fn human(file: &str, review: &ParsedReview, diagnostics: &[Diagnostic]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{file}: {} finding(s)", review.findings.len());
    if review.explicit_no_findings {
        let _ = writeln!(s, "  (the review states it has no findings)");
    }
    for f in &review.findings {
        let id = f
            .raised_id
            .clone()
            .unwrap_or_else(|| format!("#{}", f.ordinal));
        let class = f.classification.as_deref().unwrap_or("-");
        let _ = writeln!(s, "  {id} [{}, {class}] {}", f.severity, f.title);
        if !f.tags.is_empty() {
            let _ = writeln!(s, "      tags: {}", f.tags.join(", "));
        }
        if !f.locations.is_empty() {
            let locs: Vec<String> = f.locations.iter().map(ToString::to_string).collect();
            let _ = writeln!(s, "      at: {}", locs.join(", "));
        }
        let _ = writeln!(
            s,
            "      line {}{}",
            f.line,
            if f.fix.is_some() { ", has fix" } else { "" }
        );
    }
    let strengths = review
        .design_observations
        .iter()
        .filter(|o| o.kind == crate::model::ObservationKind::Strength)
        .count();
    let _ = writeln!(
        s,
        "design observations: {} ({} concern(s), {strengths} strength(s))",
        review.design_observations.len(),
        review.design_observations.len() - strengths
    );
    let _ = writeln!(s, "testing items: {}", review.testing.len());
    let _ = writeln!(s, "documentation items: {}", review.documentation.len());
    let _ = writeln!(s, "acknowledged limitations: {}", review.limitations.len());
    let with_findings = review
        .coverage
        .iter()
        .filter(|c| matches!(c.status, CoverageStatus::Findings(_)))
        .count();
    let _ = writeln!(
        s,
        "coverage entries: {} ({with_findings} with findings)",
        review.coverage.len()
    );
    let _ = writeln!(
        s,
        "verdict: {}",
        review.verdict.as_deref().unwrap_or("(none)")
    );
    for d in diagnostics {
        let level = match d.level {
            DiagnosticLevel::Note => "note",
            DiagnosticLevel::Warning => "warning",
            DiagnosticLevel::Error => "error",
        };
        let _ = writeln!(s, "{file}:{}: {level}: {}", d.line, d.message);
    }
    s
}
