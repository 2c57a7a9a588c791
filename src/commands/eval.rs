//! `review-replay eval`: compare a baseline with a candidate — two cassette sets
//! replayed under the same rules (`--baseline`, `--candidate`), or one cassette
//! set replayed under two rules files (`--rules-baseline`, `--rules-candidate`).
//!
//! With `--prompt` (or `--baseline-prompt` / `--candidate-prompt`), a round
//! recorded with another prompt fails the evaluation (the comparison would not
//! be of the prompts named); failed recordings are warnings, failures with
//! `--strict` ([`crate::golden::stale`]).
//!
//! Exit codes: 0 when no gate fails, 1 when one does or an interaction check
//! fails, 2 for usage errors (including invalid `--fail-if` expressions) and
//! unreadable inputs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::{EvalArgs, EvalFormat};
use crate::consolidate::engine::{self, ReplayOptions};
use crate::consolidate::rules::Rules;
use crate::error::Error;
use crate::eval::bootstrap::Options;
use crate::eval::compare::evaluate;
use crate::eval::gate::{self, Gate};
use crate::eval::input::{self, Loaded};
use crate::eval::matching::MatchConfig;
use crate::eval::metrics::{RoundMetrics, measure};
use crate::fsutil;
use crate::golden::stale::{self, CurrentPrompt, Problem, StrictOptions};
use crate::progress::Progress;
use crate::render::html::eval::RoundReports;
use crate::render::html::round::Replayed;
use crate::report::Settled;
use crate::{EXIT_FAILURE, EXIT_OK};

/// Most resamples accepted: they are held in memory (one index per round each).
pub const MAX_RESAMPLES: u32 = 100_000;

/// Runs `review-replay eval`.
pub fn run(args: EvalArgs) -> Result<u8, Error> {
    let gates: Vec<Gate> = args
        .fail_if
        .iter()
        .map(|g| gate::parse(g).map_err(|e| Error::Usage(e.to_string())))
        .collect::<Result<_, _>>()?;
    if !(args.confidence > 0.0 && args.confidence < 1.0) {
        return Err(Error::Usage(format!(
            "--confidence must be between 0 and 1 (exclusive), got {}",
            args.confidence
        )));
    }
    if args.resamples > MAX_RESAMPLES {
        return Err(Error::Usage(format!(
            "--resamples must be at most {MAX_RESAMPLES}, got {}",
            args.resamples
        )));
    }
    let options = Options {
        resamples: args.resamples,
        seed: args.seed,
        confidence: args.confidence,
    };
    let pool = input::thread_pool(args.jobs)?;
    let strict_for = |side: Option<&PathBuf>| -> Result<StrictOptions, Error> {
        Ok(StrictOptions {
            prompt: side
                .or(args.prompt.as_ref())
                .map(|p| CurrentPrompt::load(p))
                .transpose()?,
            strict: args.strict,
        })
    };
    let mut problems: Vec<(String, Problem)> = Vec::new();
    let machine_output = args.format == EvalFormat::Json;

    // The HTML page shows the findings of rounds whose verdict changes: keep the
    // reports only when it is asked for.
    let keep = args.html.is_some();
    let sets = !args.baseline.is_empty() || !args.candidate.is_empty();
    let rules_mode = args.rules_baseline.is_some() || args.rules_candidate.is_some();
    let (baseline, candidate, labels) = if sets {
        if args.baseline.is_empty() || args.candidate.is_empty() {
            return Err(Error::Usage(
                "--baseline and --candidate go together".into(),
            ));
        }
        if rules_mode || !args.paths.is_empty() {
            return Err(Error::Usage(
                "use either --baseline/--candidate, or CASSETTES with \
                 --rules-baseline/--rules-candidate, not both"
                    .into(),
            ));
        }
        let rules = input::load_rules(args.rules.as_deref())?;
        let sb = strict_for(args.baseline_prompt.as_ref())?;
        let sc = strict_for(args.candidate_prompt.as_ref())?;
        let (mut b, pb, _) = pool.install(|| {
            side(
                &args.baseline,
                &[&rules],
                args.rules_only,
                &sb,
                "eval baseline",
                machine_output,
                keep,
            )
        })?;
        let (mut c, pc, _) = pool.install(|| {
            side(
                &args.candidate,
                &[&rules],
                args.rules_only,
                &sc,
                "eval candidate",
                machine_output,
                keep,
            )
        })?;
        problems.extend(pb.into_iter().map(|(r, p)| (format!("baseline {r}"), p)));
        problems.extend(pc.into_iter().map(|(r, p)| (format!("candidate {r}"), p)));
        let b = single(b.pop().unwrap_or_default(), "baseline")?;
        let c = single(c.pop().unwrap_or_default(), "candidate")?;
        (
            b,
            c,
            (paths_label(&args.baseline), paths_label(&args.candidate)),
        )
    } else if rules_mode {
        if args.paths.is_empty() {
            return Err(Error::Usage(
                "--rules-baseline/--rules-candidate need CASSETTES to replay".into(),
            ));
        }
        if args.rules.is_some() {
            return Err(Error::Usage(
                "--rules does not apply when comparing --rules-baseline with --rules-candidate"
                    .into(),
            ));
        }
        if args.baseline_prompt.is_some() || args.candidate_prompt.is_some() {
            return Err(Error::Usage(
                "--baseline-prompt/--candidate-prompt go with --baseline/--candidate; \
                 one cassette set takes --prompt"
                    .into(),
            ));
        }
        let rb = input::load_rules(args.rules_baseline.as_deref())?;
        let rc = input::load_rules(args.rules_candidate.as_deref())?;
        let strict = strict_for(None)?;
        let (mut both, p, settled) = pool.install(|| {
            side(
                &args.paths,
                &[&rb, &rc],
                args.rules_only,
                &strict,
                "eval",
                machine_output,
                keep,
            )
        })?;
        problems.extend(p);
        // Two rules files differ little where recorded decisions decide: say so.
        if !args.rules_only {
            if let Some(note) = settled.rules_note() {
                eprintln!("{note}");
            }
        }
        let c = both.pop().unwrap_or_default();
        let b = both.pop().unwrap_or_default();
        let b = single(b, "input")?;
        let c = single(c, "input")?;
        (
            b,
            c,
            (
                rules_label(args.rules_baseline.as_deref()),
                rules_label(args.rules_candidate.as_deref()),
            ),
        )
    } else {
        return Err(Error::Usage(
            "nothing to compare: give --baseline and --candidate, or CASSETTES with \
             --rules-baseline and/or --rules-candidate"
                .into(),
        ));
    };

    let (baseline, baseline_reports) = split(baseline);
    let (candidate, candidate_reports) = split(candidate);
    let mut evaluation = evaluate(&baseline, &candidate, labels, options);
    evaluation.apply_gates(&gates).map_err(Error::Usage)?;
    match args.format {
        EvalFormat::Md => print!("{}", evaluation.render_markdown()),
        EvalFormat::Json => print!("{}", evaluation.render_json()),
    }
    for g in evaluation.gates.iter().filter(|g| g.failed) {
        eprintln!("gate failed: {}", g.gate.text);
    }
    for (round, p) in &problems {
        let label = if p.fatal { "stale" } else { "warning" };
        eprintln!("{label}: {round}: {}", p.message);
    }
    let stale_rounds: std::collections::BTreeSet<&str> = problems
        .iter()
        .filter(|(_, p)| p.fatal)
        .map(|(r, _)| r.as_str())
        .collect();
    if !stale_rounds.is_empty() {
        eprintln!(
            "{} round(s) fail the interaction checks: the comparison is not of the prompts given",
            stale_rounds.len()
        );
    }
    if let Some(path) = &args.html {
        let reports: BTreeMap<String, RoundReports<'_>> = evaluation
            .verdict_changes
            .iter()
            .filter_map(|v| {
                let r = RoundReports {
                    baseline: baseline_reports.get(&v.round)?,
                    candidate: candidate_reports.get(&v.round)?,
                };
                Some((v.round.clone(), r))
            })
            .collect();
        let page = crate::render::html::eval::render(&evaluation, &reports);
        fsutil::write_atomic(path, page.as_bytes())?;
    }
    Ok(if evaluation.failed() || !stale_rounds.is_empty() {
        EXIT_FAILURE
    } else {
        EXIT_OK
    })
}

/// A measured round: input file name, metrics, and the report when kept.
type Round = (String, RoundMetrics, Option<Replayed>);

/// One measured round per input and rules set: `out[k]` holds the rounds measured
/// under `rules[k]`.
type Measured = Vec<Vec<Round>>;

/// Interaction problems per round id, in input order.
type Problems = Vec<(String, Problem)>;

fn side(
    paths: &[PathBuf],
    rules: &[&Rules],
    rules_only: bool,
    strict: &StrictOptions,
    what: &'static str,
    machine_output: bool,
    keep: bool,
) -> Result<(Measured, Problems, Settled), Error> {
    let files = input::collect_paths(paths)?;
    let config = MatchConfig::default();
    type PerFile = (Vec<Round>, Problems);
    let settled = std::sync::Mutex::new(Settled::default());
    let measure_file = |path: &PathBuf| -> Result<PerFile, Error> {
        let name = path.display().to_string();
        let (loaded, _diagnostics) = input::load(path)?;
        match loaded {
            Loaded::Report(report) if rules.len() == 1 => {
                let m = measure(&report, None, &config);
                let kept = keep.then(|| Replayed::new(*report, &[]));
                Ok((vec![(name, m, kept)], Vec::new()))
            }
            Loaded::Report(_) => Err(Error::Usage(format!(
                "{name}: a report cannot be replayed under other rules; give cassettes"
            ))),
            Loaded::Cassette(c) => {
                let reviews = engine::reviews_of(&c);
                let problems = stale::problems(&c, strict)
                    .into_iter()
                    .map(|p| (c.round.id.clone(), p))
                    .collect();
                let measured = rules
                    .iter()
                    .map(|r| {
                        let report =
                            engine::replay_parsed(&c, &reviews, r, ReplayOptions { rules_only });
                        // Recorded decisions do not depend on the rules: count
                        // one replay per round.
                        if rules.first().is_some_and(|first| std::ptr::eq(*r, *first)) {
                            if let Ok(mut s) = settled.lock() {
                                s.add(report.settled);
                            }
                        }
                        let m = measure(&report, c.reference.as_ref(), &config);
                        (
                            name.clone(),
                            m,
                            keep.then(|| Replayed::new(report, &reviews)),
                        )
                    })
                    .collect();
                Ok((measured, problems))
            }
        }
    };
    let progress = Progress::start(what, files.len(), machine_output);
    // Collected before `?` so that, with several bad inputs, the one reported is
    // the first by path whatever the scheduling.
    let per_file: Vec<Result<PerFile, Error>> = files
        .par_iter()
        .map(|path| {
            let result = measure_file(path);
            progress.round_done(result.is_err());
            result
        })
        .collect();
    progress.finish();
    let per_file: Vec<PerFile> = per_file.into_iter().collect::<Result<_, _>>()?;
    let mut out: Measured = vec![Vec::new(); rules.len()];
    let mut problems = Vec::new();
    for (rounds, p) in per_file {
        for (slot, r) in out.iter_mut().zip(rounds) {
            slot.push(r);
        }
        problems.extend(p);
    }
    let settled = settled.into_inner().unwrap_or_default();
    Ok((out, problems, settled))
}

fn single(rounds: Vec<Round>, what: &str) -> Result<BTreeMap<String, Round>, Error> {
    let mut out: BTreeMap<String, Round> = BTreeMap::new();
    for (name, m, report) in rounds {
        if let Some((first, _, _)) = out.get(&m.round) {
            return Err(Error::Usage(format!(
                "round `{}` appears twice in the {what}: {first} and {name}",
                m.round
            )));
        }
        out.insert(m.round.clone(), (name, m, report));
    }
    Ok(out)
}

/// Metrics and kept reports of one side, both by round id.
fn split(
    rounds: BTreeMap<String, Round>,
) -> (BTreeMap<String, RoundMetrics>, BTreeMap<String, Replayed>) {
    let mut metrics = BTreeMap::new();
    let mut reports = BTreeMap::new();
    for (id, (_, m, report)) in rounds {
        if let Some(r) = report {
            reports.insert(id.clone(), r);
        }
        metrics.insert(id, m);
    }
    (metrics, reports)
}

fn paths_label(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn rules_label(path: Option<&Path>) -> String {
    match path {
        Some(p) => format!("rules {}", p.display()),
        None => "built-in rules".into(),
    }
}
