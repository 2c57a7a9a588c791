//! Benchmark of `check` over synthetic rounds, against the floor of simply reading
//! and JSON-parsing the same cassette files.
//!
//! A custom harness (no criterion: nothing to add to the lock file). `cargo bench`
//! runs the full set — 1,000 and 10,000 rounds of three agents with twenty
//! findings each, on 1 and 2 threads — and prints a markdown table for the
//! README. Without `--bench` (as under `cargo test --benches`) it runs a smoke
//! pass over a few rounds so that the benchmark stays compiled and working.
//!
//! Environment: `REVIEW_REPLAY_BENCH_SIZES=1000,10000` overrides the sizes;
//! `REVIEW_REPLAY_BENCH_KEEP=DIR` writes the first size's blessed rounds into
//! `DIR/cassettes` and `DIR/golden` and stops, for profiling
//! (`review-replay check --jobs 1 --golden DIR/golden DIR/cassettes`).

use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use review_replay::cassette::Cassette;
use review_replay::consolidate::engine::ReplayOptions;
use review_replay::consolidate::rules::{DEFAULT_RULES_TOML, Rules};
use review_replay::golden::file::rules_hash;
use review_replay::golden::run::{Plan, Status, check, write_goldens};
use review_replay::golden::select::Selection;
use review_replay::golden::synth;

const FINDINGS_PER_AGENT: usize = 20;

fn plan(dir: &Path, jobs: usize, keep_output: bool) -> Plan {
    Plan {
        paths: vec![dir.join("cassettes")],
        golden_dir: dir.join("golden"),
        jobs,
        rules: Rules::default(),
        rules_hash: rules_hash(DEFAULT_RULES_TOML.as_bytes(), false),
        options: ReplayOptions::default(),
        selection: Selection::default(),
        follow_links: false,
        keep_output,
    }
}

/// Writes `n` synthetic cassettes and blesses them; returns the cassette bytes.
fn prepare(dir: &Path, n: usize) -> Result<u64, String> {
    let cassettes = dir.join("cassettes");
    std::fs::create_dir_all(&cassettes).map_err(|e| e.to_string())?;
    let bytes: Result<Vec<u64>, String> = (0..n)
        .into_par_iter()
        .map(|i| {
            let json = synth::cassette(i, FINDINGS_PER_AGENT).to_json();
            let path = cassettes.join(format!("{}.json", synth::round_id(i)));
            std::fs::write(&path, &json).map_err(|e| e.to_string())?;
            Ok(json.len() as u64)
        })
        .collect();
    let outcome = check(&plan(dir, 2, true)).map_err(|e| e.to_string())?;
    for w in write_goldens(&outcome, &dir.join("golden"), false) {
        if let Some(e) = w.error {
            return Err(e);
        }
    }
    Ok(bytes?.iter().sum())
}

/// Reads and parses every cassette: the floor any check must pay.
fn read_and_parse(dir: &Path, jobs: usize) -> Result<usize, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("cassettes"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| e.to_string())?;
    pool.install(|| {
        files
            .par_iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).map_err(|e| e.to_string())?;
                Cassette::from_json(p, &text).map_err(|e| e.to_string())?;
                Ok(1)
            })
            .sum()
    })
}

fn run_check(dir: &Path, jobs: usize) -> Result<usize, String> {
    let outcome = check(&plan(dir, jobs, false)).map_err(|e| e.to_string())?;
    let bad = outcome
        .rounds
        .iter()
        .filter(|r| !matches!(r.status, Status::Match))
        .count();
    if bad > 0 {
        return Err(format!("{bad} rounds do not match after blessing"));
    }
    Ok(outcome.rounds.len())
}

/// Runs `f` `samples` times; returns the fastest and the median time.
fn measure(
    samples: usize,
    mut f: impl FnMut() -> Result<usize, String>,
) -> Result<(Duration, Duration), String> {
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    times.sort();
    let min = times.first().copied().unwrap_or_default();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    Ok((min, median))
}

fn main() -> Result<(), String> {
    let full = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = match std::env::var("REVIEW_REPLAY_BENCH_SIZES") {
        Ok(s) => s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) if full => vec![1_000, 10_000],
        Err(_) => vec![20],
    };
    println!("| rounds | MB of cassettes | what | threads | min | median | rounds/s |");
    println!("|---:|---:|---|---:|---:|---:|---:|");
    if let Ok(keep) = std::env::var("REVIEW_REPLAY_BENCH_KEEP") {
        let n = sizes.first().copied().unwrap_or(1_000);
        prepare(Path::new(&keep), n)?;
        println!("{n} blessed rounds in {keep}");
        return Ok(());
    }
    for n in sizes {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let bytes = prepare(dir.path(), n)?;
        // Fewer samples for big sets keep a full `cargo bench` within minutes.
        let samples = if !full {
            1
        } else if n >= 5_000 {
            3
        } else {
            7
        };
        let mb = bytes as f64 / 1e6;
        for jobs in [1, 2] {
            for (what, f) in [
                (
                    "read + parse",
                    read_and_parse as fn(&Path, usize) -> Result<usize, String>,
                ),
                ("check", run_check),
            ] {
                // One untimed run warms the page cache.
                f(dir.path(), jobs)?;
                let (min, median) = measure(samples, || f(dir.path(), jobs))?;
                println!(
                    "| {n} | {mb:.1} | {what} | {jobs} | {:.3} s | {:.3} s | {:.0} |",
                    min.as_secs_f64(),
                    median.as_secs_f64(),
                    n as f64 / median.as_secs_f64().max(1e-9)
                );
            }
        }
    }
    Ok(())
}
