//! `review-replay reproduce`: replay rounds that have a reference, twice (with
//! recorded adjudications and rules-only), and compare each report with the
//! reference.
//!
//! Inputs without a reference are skipped with a notice on stderr; inputs that
//! cannot be read are reported on stderr and make the command exit 1 after printing
//! what could be compared.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::cli::{OutputFormat, ReproduceArgs};
use crate::consolidate::engine::{self, ReplayOptions};
use crate::error::Error;
use crate::eval::calibration::Calibration;
use crate::eval::input::{self, Loaded};
use crate::eval::matching::MatchConfig;
use crate::eval::reproduce::{ModeResult, Outcome, RoundResult, Skipped};
use crate::fsutil;
use crate::progress::Progress;
use crate::render::html::reproduce::RoundView;
use crate::render::html::round::Replayed;
use crate::{EXIT_FAILURE, EXIT_OK};

enum Item {
    /// A compared round, its calibration counts (when needed) and its adjudicated
    /// report (for the HTML page).
    Done(Box<RoundResult>, Option<Calibration>, Option<Box<Replayed>>),
    Skipped(Skipped),
    Failed(String),
}

/// Runs `review-replay reproduce`.
pub fn run(args: ReproduceArgs) -> Result<u8, Error> {
    let rules = input::load_rules(args.rules.as_deref())?;
    let pool = input::thread_pool(args.jobs)?;
    let paths = input::collect_paths(&args.paths)?;
    let config = MatchConfig::default();
    let want_calibration = args.calibration || args.calibration_rules;
    let want_html = args.html.is_some();

    let reproduce_one = |path: &std::path::PathBuf| -> Item {
        let name = input::display_name(path);
        // Import diagnostics are `import`'s to show; here only the
        // reference matters.
        let (loaded, _diagnostics) = match input::load(path) {
            Ok(x) => x,
            Err(e) => return Item::Failed(e.to_string()),
        };
        let cassette = match loaded {
            Loaded::Cassette(c) => c,
            Loaded::Report(r) => {
                return Item::Skipped(Skipped {
                    input: name,
                    round: Some(r.round.id.clone()),
                    reason: "a report, not a cassette: nothing to replay".into(),
                });
            }
        };
        let Some(reference) = cassette.reference.as_ref() else {
            return Item::Skipped(Skipped {
                input: name,
                round: Some(cassette.round.id.clone()),
                reason: "no reference".into(),
            });
        };
        let reviews = engine::reviews_of(&cassette);
        let replay = |rules_only| {
            engine::replay_parsed(&cassette, &reviews, &rules, ReplayOptions { rules_only })
        };
        let adjudicated_report = replay(false);
        let rules_only_report = replay(true);
        let adjudicated = ModeResult::new(&adjudicated_report, reference, &config);
        let rules_only = ModeResult::new(&rules_only_report, reference, &config);
        let incomplete = adjudicated_report.incomplete.clone();
        // An incomplete round says nothing about how agents are kept.
        let calibration = ((want_calibration || want_html) && incomplete.is_empty()).then(|| {
            let mut c = Calibration::default();
            c.add_round(&adjudicated_report, &adjudicated.matching);
            c
        });
        Item::Done(
            Box::new(RoundResult {
                round: cassette.round.id.clone(),
                input: name,
                adjudicated,
                rules_only,
                unparsed: incomplete.is_empty()
                    && adjudicated_report.settled.raw == 0
                    && !reference.findings.is_empty(),
                incomplete,
            }),
            calibration,
            want_html.then(|| Box::new(Replayed::new(adjudicated_report, &reviews))),
        )
    };
    let machine_output = args.format == OutputFormat::Json || args.calibration_rules;
    let progress = Progress::start("reproduce", paths.len(), machine_output);
    let items: Vec<Item> = pool.install(|| {
        paths
            .par_iter()
            .map(|path| {
                let item = reproduce_one(path);
                progress.round_done(matches!(item, Item::Failed(_)));
                item
            })
            .collect()
    });
    progress.finish();

    let mut outcome = Outcome {
        rounds: Vec::new(),
        skipped: Vec::new(),
        calibration: want_calibration.then(Calibration::default),
    };
    let mut failures = Vec::new();
    let mut per_round_calibration = Vec::new();
    let mut reports = Vec::new();
    for item in items {
        match item {
            Item::Done(r, c, report) => {
                if let Some(c) = c {
                    per_round_calibration.push((r.round.clone(), r.input.clone(), c));
                }
                if let Some(report) = report {
                    reports.push((r.round.clone(), r.input.clone(), report));
                }
                outcome.rounds.push(*r);
            }
            Item::Skipped(s) => outcome.skipped.push(s),
            Item::Failed(msg) => failures.push(msg),
        }
    }
    outcome.sort();
    // Merge in round order so that the result never depends on scheduling.
    per_round_calibration.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    if let Some(total) = outcome.calibration.as_mut() {
        for (_, _, c) in &per_round_calibration {
            total.merge(c);
        }
    }

    for s in &outcome.skipped {
        eprintln!(
            "notice: skipped {}{}: {}",
            s.input,
            s.round
                .as_deref()
                .map(|r| format!(" (round {r})"))
                .unwrap_or_default(),
            s.reason
        );
    }
    failures.sort();
    for f in &failures {
        eprintln!("error: {f}");
    }

    match (&outcome.calibration, args.format) {
        (Some(c), _) if args.calibration_rules => print!("{}", c.render_rules_toml()),
        (_, OutputFormat::Human) => print!("{}", outcome.render_text()),
        (_, OutputFormat::Json) => print!("{}", outcome.render_json()),
    }
    if let Some(path) = &args.html {
        write_html(path, &outcome, &per_round_calibration, &reports, &failures)?;
    }
    Ok(if failures.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAILURE
    })
}

/// Writes the HTML page: every compared round with its report and calibration,
/// and the calibration of all rounds.
fn write_html(
    path: &std::path::Path,
    outcome: &Outcome,
    calibrations: &[(String, String, Calibration)],
    reports: &[(String, String, Box<Replayed>)],
    failures: &[String],
) -> Result<(), Error> {
    let empty = Calibration::default();
    let mut total = Calibration::default();
    for (_, _, c) in calibrations {
        total.merge(c);
    }
    let calibrations: BTreeMap<(&str, &str), &Calibration> = calibrations
        .iter()
        .map(|(round, input, c)| ((round.as_str(), input.as_str()), c))
        .collect();
    let reports: BTreeMap<(&str, &str), &Replayed> = reports
        .iter()
        .map(|(round, input, r)| ((round.as_str(), input.as_str()), r.as_ref()))
        .collect();
    let views: Vec<RoundView<'_>> = outcome
        .rounds
        .iter()
        .filter_map(|r| {
            let key = (r.round.as_str(), r.input.as_str());
            Some(RoundView {
                result: r,
                report: reports.get(&key)?,
                calibration: calibrations.get(&key).copied().unwrap_or(&empty),
            })
        })
        .collect();
    let page = crate::render::html::reproduce::render(outcome, &views, &total, failures);
    fsutil::write_atomic(path, page.as_bytes())
}
