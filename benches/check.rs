//! Benchmark of `check` over synthetic rounds, against the floor of simply reading
//! and JSON-parsing the same cassette files.
//!
//! A custom harness (no criterion: nothing to add to the lock file). `cargo bench`
//! runs the full set — 1,000 and 10,000 rounds of three agents with twenty
//! findings each, on 1 and 2 threads — and prints a markdown table for the
//! README, with each `check` time as a multiple of the read + parse floor of the
//! same size and thread count, in wall time and in CPU time (the latter stays
//! meaningful on a machine shared with other work), then `check` ÷ floor from
//! runs back to back, which a slow spell of the machine moves less, and the
//! 2-thread speedup next to that of two 1-thread processes at once, the
//! machine's own. It then measures the peak memory (`VmHWM`) of
//! `check` in a child process per size, and, when `../shared/corpus` exists, the
//! cost per round of `reproduce` and `eval` over the imported corpus. Without
//! `--bench` (as under `cargo test --benches`) it runs a smoke pass over a few
//! rounds so that the benchmark stays compiled and working.
//!
//! Environment: `REVIEW_REPLAY_BENCH_SIZES=1000,10000` overrides the sizes;
//! `REVIEW_REPLAY_BENCH_KEEP=DIR` writes the first size's blessed rounds into
//! `DIR/cassettes` and `DIR/golden` and stops, for profiling
//! (`review-replay check --jobs 1 --golden DIR/golden DIR/cassettes`).

/// The binary's allocator (`src/main.rs`): `check` is measured as users run it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use review_replay::cassette::Cassette;
use review_replay::consolidate::engine::{ReplayOptions, replay_parsed, reviews_of};
use review_replay::consolidate::rules::{DEFAULT_RULES_TOML, Rules};
use review_replay::golden::file::{GoldenPaths, parse_stamp, rules_hash, split_stamp_line};
use review_replay::golden::run::{Plan, Status, check, write_goldens};
use review_replay::golden::select::Selection;
use review_replay::render;

#[path = "common/synth.rs"]
mod synth;

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
        keep_report: false,
        strict: Default::default(),
        keep_findings: false,
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
    settle_writes();
    Ok(bytes?.iter().sum())
}

/// Writes the generated cassettes to disk before anything is timed. The
/// kernel writes dirty pages back some 30 s after they were written (265 MB of
/// cassettes at 10,000 rounds; the golden files are synced as they are
/// blessed): on a machine of two cores, that writeback would otherwise run
/// in the middle of the timed runs, and slow whichever it falls on.
fn settle_writes() {
    match std::process::Command::new("sync").status() {
        Ok(s) if s.success() => {}
        Ok(s) => eprintln!("note: `sync` exited with {s}: writeback may overlap the timed runs"),
        Err(e) => eprintln!("note: `sync` did not run ({e}): writeback may overlap the timed runs"),
    }
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

/// Where one thread's time goes in `check`: the stages of
/// `golden::run::check_one`, each timed on its own, one round after the other
/// (the same order and memory use as `check`); their sum is close to `check`.
fn stages(dir: &Path) -> Result<Vec<(&'static str, Duration)>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("cassettes"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let rules = Rules::default();
    let options = ReplayOptions::default();
    let golden = dir.join("golden");
    let names = [
        "read + parse cassette (the floor)",
        "parse agent reviews",
        "consolidate",
        "render markdown",
        "render JSON",
        "read golden files + compare",
    ];
    let mut took = [Duration::ZERO; 6];
    // Reused across rounds, as `check` reuses one of each per thread.
    let (mut md, mut json) = (String::new(), String::new());
    for p in &files {
        let mut lap = Instant::now();
        let mut stage = |i: usize| {
            let now = Instant::now();
            took[i] += now - lap;
            lap = now;
        };
        let text = std::fs::read_to_string(p).map_err(|e| e.to_string())?;
        let cassette = Cassette::from_json(p, &text).map_err(|e| e.to_string())?;
        stage(0);
        let reviews = reviews_of(&cassette);
        stage(1);
        let report = replay_parsed(&cassette, &reviews, &rules, options);
        stage(2);
        render::markdown::render_into(&report, &mut md);
        stage(3);
        render::json::render_into(&report, &mut json);
        stage(4);
        // As `check` compares them: bytes after the stamp line, and the stamp.
        let paths = GoldenPaths::new(&golden, &cassette.round.id);
        let gmd = std::fs::read(&paths.md).map_err(|e| e.to_string())?;
        let gjson = std::fs::read(&paths.json).map_err(|e| e.to_string())?;
        let (first, body) = split_stamp_line(&gmd);
        let first = std::str::from_utf8(first).map_err(|e| e.to_string())?;
        parse_stamp(&paths.md, first).map_err(|e| e.to_string())?;
        if body != md.as_bytes() || gjson != json.as_bytes() {
            return Err(format!(
                "{} differs from its golden files",
                cassette.round.id
            ));
        }
        stage(5);
    }
    Ok(names.into_iter().zip(took).collect())
}

/// `samples` ratios of one `check` to one read + parse run just before it.
/// On a machine whose speed drifts while the bench runs (seen here: the
/// same `check` took from 2.1 to 3.2 s within minutes), the two medians of the
/// main table are taken seconds apart, and a slow spell in either moves the
/// ratio; a floor and a check run back to back see about the same machine.
fn paired_ratios(samples: usize, dir: &Path, jobs: usize) -> Result<BackToBack, String> {
    let mut ratios = Vec::with_capacity(samples);
    let (mut best_floor, mut best_check) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..samples {
        let start = Instant::now();
        read_and_parse(dir, jobs)?;
        let floor = start.elapsed().as_secs_f64();
        let start = Instant::now();
        run_check(dir, jobs)?;
        let check = start.elapsed().as_secs_f64();
        ratios.push(check / floor.max(1e-9));
        best_floor = best_floor.min(floor);
        best_check = best_check.min(check);
    }
    ratios.sort_by(f64::total_cmp);
    let best = if samples == 0 {
        0.0
    } else {
        best_check / best_floor.max(1e-9)
    };
    Ok(BackToBack { ratios, best })
}

/// What [`paired_ratios`] measured.
struct BackToBack {
    /// Each `check`'s time over the floor's just before it, sorted.
    ratios: Vec<f64>,
    /// The fastest `check` over the fastest floor: each at its best,
    /// whatever spell of the machine each best fell in.
    best: f64,
}

/// `check`'s speedup on 2 threads next to the machine's own: `samples` times
/// in turn, the binary's `check` on 1 thread, on 2 threads, and as two
/// 1-thread processes at once, each on half of the rounds (`--partition`).
/// Two processes share no memory, allocator or thread pool, so their speedup
/// is what the machine's two cores give this work; on a machine shared with
/// other work it moves from run to run (seen here: 1.3× to 2.1× in one hour),
/// and the 2-thread speedup with it. Each trio runs back to back: the main
/// table's medians are taken seconds apart, and a slow spell of the machine
/// between them moves their quotient.
fn scaling(samples: usize, dir: &Path) -> Result<Scaling, String> {
    let golden = dir.join("golden");
    let cassettes = dir.join("cassettes");
    let check = |jobs: &str, part: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_review-replay"));
        c.arg("check")
            .args(["--jobs", jobs])
            .arg("--golden")
            .arg(&golden);
        if let Some(part) = part {
            c.args(["--partition", part]);
        }
        // Its errors, if any, show in the bench's output.
        c.arg(&cassettes).stdout(std::process::Stdio::null());
        c
    };
    let wait = |child: std::io::Result<std::process::Child>| -> Result<(), String> {
        let status = child
            .and_then(|mut c| c.wait())
            .map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("review-replay check exited with {status}"))
        }
    };
    let timed = |f: &mut dyn FnMut() -> Result<(), String>| -> Result<f64, String> {
        let start = Instant::now();
        f()?;
        Ok(start.elapsed().as_secs_f64())
    };
    let mut s = Scaling::default();
    for _ in 0..samples {
        let one = timed(&mut || wait(check("1", None).spawn()))?;
        let two = timed(&mut || wait(check("2", None).spawn()))?;
        let halves = timed(&mut || {
            let first = check("1", Some("1/2")).spawn();
            let second = check("1", Some("2/2")).spawn();
            let first = wait(first);
            wait(second).and(first)
        })?;
        s.threads.push(one / two.max(1e-9));
        s.processes.push(one / halves.max(1e-9));
        s.versus.push(halves / two.max(1e-9));
    }
    for v in [&mut s.threads, &mut s.processes, &mut s.versus] {
        v.sort_by(f64::total_cmp);
    }
    Ok(s)
}

/// What [`scaling`] measured, each list sorted.
#[derive(Default)]
struct Scaling {
    /// `check`'s time on 1 thread over its time on 2.
    threads: Vec<f64>,
    /// `check`'s time on 1 thread over that of two 1-thread processes at once.
    processes: Vec<f64>,
    /// The two processes' time over `check`'s on 2 threads.
    versus: Vec<f64>,
}

/// The median, lowest and highest of sorted ratios (zeros when there are none).
fn spread(sorted: &[f64]) -> (f64, f64, f64) {
    let at = |i: usize| sorted.get(i).copied().unwrap_or_default();
    let n = sorted.len();
    (at(n / 2), at(0), at(n.saturating_sub(1)))
}

/// Runs `f` `samples` times; returns the fastest and the median time.
fn measure(
    samples: usize,
    f: impl FnMut() -> Result<usize, String>,
) -> Result<(Duration, Duration), String> {
    Ok(measure_cpu(samples, f)?.0)
}

/// Like [`measure`], also returning the CPU time (user + system, all threads)
/// of one run on average, where `/proc` tells it: on a loaded machine wall time
/// counts the waits for a core, CPU time does not.
#[allow(clippy::type_complexity)]
fn measure_cpu(
    samples: usize,
    mut f: impl FnMut() -> Result<usize, String>,
) -> Result<((Duration, Duration), Option<f64>), String> {
    let mut times = Vec::with_capacity(samples);
    let cpu_start = process_cpu_seconds();
    for _ in 0..samples {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    let cpu = match (cpu_start, process_cpu_seconds()) {
        (Some(a), Some(b)) => Some((b - a) / samples.max(1) as f64),
        _ => None,
    };
    times.sort();
    let min = times.first().copied().unwrap_or_default();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    Ok(((min, median), cpu))
}

/// User + system CPU seconds of this process so far (fields 14 and 15 of
/// `/proc/self/stat`, in ticks of 1/100 s), or `None` without `/proc`.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces: count fields after its `)`.
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3, so fields 14 and 15 are at indexes 11 and 12.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Set in the child process that measures peak memory: `DIR,JOBS`.
const RSS_CHILD: &str = "REVIEW_REPLAY_BENCH_RSS_CHILD";

/// The child's side: one `check`, then the process's peak resident set, in kB.
fn rss_child(spec: &str) -> Result<(), String> {
    let (dir, jobs) = spec
        .rsplit_once(',')
        .ok_or_else(|| format!("{RSS_CHILD}={spec}: expected DIR,JOBS"))?;
    let jobs = jobs.parse().map_err(|_| format!("bad jobs in {spec}"))?;
    run_check(Path::new(dir), jobs)?;
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .ok_or("no VmHWM in /proc/self/status")?;
    println!("{}", hwm.trim().trim_end_matches("kB").trim());
    Ok(())
}

/// Peak resident memory of one `check` over `dir`, in kB, measured in a fresh
/// process (this one has already held other sizes). `None` where `/proc` is not.
fn peak_rss_kb(dir: &Path, jobs: usize) -> Result<Option<u64>, String> {
    if !Path::new("/proc/self/status").exists() {
        return Ok(None);
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .env(RSS_CHILD, format!("{},{jobs}", dir.display()))
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "peak-memory child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse()
        .map(Some)
        .map_err(|_| format!("peak-memory child printed {text:?}"))
}

/// The real corpus, imported into `dir`: the number of rounds, or `None` when
/// there is no corpus next to the repository.
fn import_corpus(dir: &Path) -> Result<Option<usize>, String> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(projects) = std::fs::read_dir(&corpus) else {
        return Ok(None);
    };
    let mut reports: Vec<PathBuf> = Vec::new();
    for project in projects.filter_map(Result::ok) {
        if let Ok(files) = std::fs::read_dir(project.path()) {
            reports.extend(
                files
                    .filter_map(|f| f.ok().map(|f| f.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "md")),
            );
        }
    }
    reports.sort();
    if reports.is_empty() {
        return Ok(None);
    }
    // Reports without agent reviews are refused (exit 1); the others import.
    Command::new(env!("CARGO_BIN_EXE_review-replay"))
        .arg("import")
        .args(&reports)
        .arg("--out")
        .arg(dir)
        .output()
        .map_err(|e| e.to_string())?;
    let n = std::fs::read_dir(dir).map_err(|e| e.to_string())?.count();
    Ok((n > 0).then_some(n))
}

/// Runs the binary with `args`; fails unless it exits with 0.
fn run_binary(args: &[&std::ffi::OsStr]) -> Result<usize, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_review-replay"))
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "review-replay {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(1)
}

/// `reproduce` and `eval` (two rules files, 2,000 bootstrap resamples) over the
/// imported corpus, per round.
fn corpus_costs(full: bool) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let cassettes = dir.path().join("cassettes");
    let Some(n) = import_corpus(&cassettes)? else {
        println!("\nno ../shared/corpus: reproduce and eval not measured");
        return Ok(());
    };
    let baseline = dir.path().join("baseline.toml");
    let candidate = dir.path().join("candidate.toml");
    std::fs::write(&baseline, DEFAULT_RULES_TOML).map_err(|e| e.to_string())?;
    let changed = DEFAULT_RULES_TOML.replace("\nthreshold = 0.45", "\nthreshold = 0.35");
    std::fs::write(&candidate, changed).map_err(|e| e.to_string())?;
    let c = cassettes.as_os_str();
    let commands: [(&str, Vec<&std::ffi::OsStr>); 2] = [
        ("reproduce", vec!["reproduce".as_ref(), c]),
        (
            "eval (threshold 0.45 vs 0.35)",
            vec![
                "eval".as_ref(),
                c,
                "--rules-baseline".as_ref(),
                baseline.as_os_str(),
                "--rules-candidate".as_ref(),
                candidate.as_os_str(),
            ],
        ),
    ];
    println!("\n| corpus rounds | command | min | median | per round |");
    println!("|---:|---|---:|---:|---:|");
    let samples = if full { 5 } else { 1 };
    for (what, args) in commands {
        run_binary(&args)?;
        let (min, median) = measure(samples, || run_binary(&args))?;
        println!(
            "| {n} | {what} | {:.3} s | {:.3} s | {:.2} ms |",
            min.as_secs_f64(),
            median.as_secs_f64(),
            median.as_secs_f64() * 1e3 / n as f64
        );
    }
    Ok(())
}

fn main() -> Result<(), String> {
    if let Ok(spec) = std::env::var(RSS_CHILD) {
        return rss_child(&spec);
    }
    let full = std::env::args().any(|a| a == "--bench");
    if !full {
        synth::self_check()?;
    }
    let sizes: Vec<usize> = match std::env::var("REVIEW_REPLAY_BENCH_SIZES") {
        Ok(s) => s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) if full => vec![1_000, 10_000],
        Err(_) => vec![20],
    };
    if let Ok(keep) = std::env::var("REVIEW_REPLAY_BENCH_KEEP") {
        let n = sizes.first().copied().unwrap_or(1_000);
        prepare(Path::new(&keep), n)?;
        println!("{n} blessed rounds in {keep}");
        return Ok(());
    }
    println!(
        "| rounds | MB of cassettes | what | threads | min | median | rounds/s | × floor | CPU s | × floor (CPU) |"
    );
    println!("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut peaks = Vec::new();
    let mut paired = Vec::new();
    let mut speedups = Vec::new();
    let mut stage_table = None;
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
            let mut floor = None;
            let mut cpu_floor = None;
            for (what, f) in [
                (
                    "read + parse",
                    read_and_parse as fn(&Path, usize) -> Result<usize, String>,
                ),
                ("check", run_check),
            ] {
                // One untimed run warms the page cache. The floor takes about a
                // tenth of `check`'s time and is every ratio's denominator: it
                // is sampled three times as often, so that its median moves less
                // from run to run (with three samples at 10,000 rounds it moved
                // by up to 8%, and every ratio with it).
                f(dir.path(), jobs)?;
                let runs = if floor.is_none() {
                    3 * samples
                } else {
                    samples
                };
                let ((min, median), cpu) = measure_cpu(runs, || f(dir.path(), jobs))?;
                let median_s = median.as_secs_f64();
                let ratio = match floor {
                    None => {
                        floor = Some(median_s);
                        "1.0".to_string()
                    }
                    Some(fl) => format!("{:.1}", median_s / f64::max(fl, 1e-9)),
                };
                let (cpu_s, cpu_ratio) = match (cpu, cpu_floor) {
                    (Some(c), None) => {
                        cpu_floor = Some(c);
                        (format!("{c:.3}"), "1.0".to_string())
                    }
                    (Some(c), Some(fl)) => {
                        (format!("{c:.3}"), format!("{:.1}", c / f64::max(fl, 0.01)))
                    }
                    (None, _) => ("—".to_string(), "—".to_string()),
                };
                println!(
                    "| {n} | {mb:.1} | {what} | {jobs} | {:.3} s | {:.3} s | {:.0} | {ratio} | {cpu_s} | {cpu_ratio} |",
                    min.as_secs_f64(),
                    median_s,
                    n as f64 / median_s.max(1e-9)
                );
            }
            paired.push((n, jobs, paired_ratios(samples, dir.path(), jobs)?));
        }
        // At least five trios: three at 10,000 rounds let one slow spell
        // decide the median.
        let trios = if full { samples.max(5) } else { 1 };
        speedups.push((n, scaling(trios, dir.path())?));
        if stage_table.is_none() {
            stages(dir.path())?; // warm the page cache
            stage_table = Some((n, stages(dir.path())?));
        }
        peaks.push((n, peak_rss_kb(dir.path(), 1)?));
    }
    println!(
        "\n| rounds | threads | check ÷ floor, run back to back: median | lowest | highest | fastest ÷ fastest |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for (n, jobs, runs) in &paired {
        let (median, low, high) = spread(&runs.ratios);
        let best = runs.best;
        println!("| {n} | {jobs} | {median:.1} | {low:.1} | {high:.1} | {best:.1} |");
    }
    println!(
        "\n| rounds | 2 threads' throughput ÷ 1 thread's (run back to back): median | lowest | highest | two 1-thread processes' ÷ 1 thread's: median | 2 threads' throughput ÷ two processes': median |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for (n, s) in &speedups {
        let (median, low, high) = spread(&s.threads);
        let processes = spread(&s.processes).0;
        let versus = spread(&s.versus).0;
        println!("| {n} | {median:.2} | {low:.2} | {high:.2} | {processes:.2} | {versus:.2} |");
    }
    if let Some((n, stages)) = stage_table {
        let floor = stages.first().map_or(1e-9, |s| s.1.as_secs_f64().max(1e-9));
        println!("\n| {n} rounds, 1 thread: stage | time | × floor |");
        println!("|---|---:|---:|");
        for (what, took) in &stages {
            println!(
                "| {what} | {:.3} s | {:.1} |",
                took.as_secs_f64(),
                took.as_secs_f64() / floor
            );
        }
        let total: f64 = stages.iter().map(|s| s.1.as_secs_f64()).sum();
        println!("| all stages | {total:.3} s | {:.1} |", total / floor);
    }
    println!("\n| rounds | peak RSS of check, 1 thread | × smallest |");
    println!("|---:|---:|---:|");
    let first = peaks.first().and_then(|(_, p)| *p);
    for (n, peak) in &peaks {
        match (peak, first) {
            (Some(p), Some(f)) => println!(
                "| {n} | {:.1} MB | {:.2} |",
                *p as f64 / 1024.0,
                *p as f64 / f64::max(f as f64, 1.0)
            ),
            _ => println!("| {n} | not measured (no /proc) | |"),
        }
    }
    corpus_costs(full)
}
