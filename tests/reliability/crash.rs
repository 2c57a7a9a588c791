//! Nothing is half-written: `bless` and `import` killed with SIGKILL at spread
//! out points, over many runs, leave every golden file or cassette either the
//! old or the new one (or, for a cassette that did not exist, absent), never
//! partial. The temporary files killed runs leave are removed by the next run's
//! first write into that folder once they are old enough, and reported.
//! `record` killed the same way: `record::record_killed_anywhere_leaves_the_old_or_a_whole_new_cassette`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::common::{Cmd, repo_root};

/// Kills per command: enough to land in the replay phase, in the write phase and
/// after the end.
const RUNS: u64 = 14;

fn is_temp(name: &str) -> bool {
    name.starts_with(".review-replay-") && name.ends_with(".tmp")
}

/// Every file of `dir` by name (temporary files of ours apart), with its bytes.
fn snapshot(dir: &Path) -> (BTreeMap<String, Vec<u8>>, Vec<PathBuf>) {
    let mut files = BTreeMap::new();
    let mut temps = Vec::new();
    for e in fs::read_dir(dir).expect("read_dir") {
        let e = e.expect("entry");
        let name = e.file_name().to_string_lossy().into_owned();
        if is_temp(&name) {
            temps.push(e.path());
        } else {
            files.insert(name, fs::read(e.path()).expect("read"));
        }
    }
    (files, temps)
}

/// Copies the authored cassettes `copies` times under new round ids.
fn many_cassettes(dir: &Path, copies: usize) {
    let out = dir.join("cassettes");
    fs::create_dir_all(&out).expect("mkdir");
    for e in fs::read_dir(repo_root().join("cassettes")).expect("cassettes") {
        let p = e.expect("entry").path();
        if p.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let text = fs::read_to_string(&p).expect("read cassette");
        for k in 0..copies {
            let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
            let id = format!("{}-k{k}", v["round"]["id"].as_str().expect("id"));
            v["round"]["id"] = serde_json::Value::String(id.clone());
            let json = serde_json::to_string_pretty(&v).expect("json");
            fs::write(out.join(format!("{id}.json")), json).expect("write");
        }
    }
}

/// Deterministic kill points: fractions of a full run's duration, spread from
/// the start to past the end.
fn kill_points(total: Duration) -> impl Iterator<Item = Duration> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..RUNS).map(move |i| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Half the runs evenly spread, half at random, over 0..120% of a run.
        let frac = if i % 2 == 0 {
            i as f64 / RUNS as f64 * 1.2
        } else {
            (x % 1000) as f64 / 1000.0 * 1.2
        };
        total.mul_f64(frac)
    })
}

/// Runs the binary in `dir` and SIGKILLs it after `after` (if still running).
fn run_and_kill(dir: &Path, args: &[&str], after: Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_review-replay"))
        .args(args)
        .current_dir(dir)
        .env_remove("CI")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(after);
    // Child::kill is SIGKILL on Unix; an already finished child is fine.
    let _ = child.kill();
    let _ = child.wait();
}

fn timed(dir: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    Cmd::new(args).current_dir(dir).expect_code(0);
    start.elapsed()
}

fn age(path: &Path) {
    let f = fs::File::options()
        .write(true)
        .open(path)
        .expect("open temp");
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .expect("set mtime");
}

/// Marks every stray temporary file old, plants one more old one and a young one,
/// runs `args` to the end and asserts the old ones are removed and reported and
/// the young one is left alone.
fn next_run_sweeps(dir: &Path, folder: &Path, args: &[&str]) {
    let (_, temps) = snapshot(folder);
    for t in &temps {
        age(t);
    }
    let planted = folder.join(".review-replay-plant1.tmp");
    fs::write(&planted, b"half a fi").expect("plant");
    age(&planted);
    let young = folder.join(".review-replay-young1.tmp");
    fs::write(&young, b"being written").expect("plant young");
    let out = Cmd::new(args).current_dir(dir).expect_code(0);
    for t in temps.iter().chain([&planted]) {
        let name = t.file_name().expect("name").to_string_lossy().into_owned();
        assert!(!t.exists(), "{} was not removed", t.display());
        assert!(
            out.stderr
                .lines()
                .any(|l| l.starts_with("note: removed ") && l.contains(&name)),
            "{name} not reported:\n{}",
            out.stderr
        );
    }
    assert!(young.exists(), "a young temporary file was removed");
    fs::remove_file(&young).expect("remove young");
}

#[track_caller]
fn assert_same_files(folder: &Path, expected: &BTreeMap<String, Vec<u8>>) {
    let (now, _) = snapshot(folder);
    let differ: Vec<&String> = expected
        .keys()
        .chain(now.keys())
        .filter(|n| now.get(*n) != expected.get(*n))
        .collect();
    assert!(differ.is_empty(), "files that differ: {differ:?}");
}

#[track_caller]
fn assert_old_or_new(
    folder: &Path,
    old: &BTreeMap<String, Vec<u8>>,
    new: &BTreeMap<String, Vec<u8>>,
) -> (usize, usize) {
    let (now, _) = snapshot(folder);
    let (mut n_old, mut n_new) = (0, 0);
    for (name, bytes) in &now {
        let is_new = new.get(name) == Some(bytes);
        let is_old = old.get(name) == Some(bytes);
        assert!(
            is_old || is_new,
            "{name} is neither the old nor the new file ({} bytes)",
            bytes.len()
        );
        n_new += usize::from(is_new && !is_old);
        n_old += usize::from(is_old && !is_new);
    }
    for name in old.keys() {
        assert!(now.contains_key(name), "{name} disappeared");
    }
    (n_old, n_new)
}

#[test]
fn bless_killed_anywhere_leaves_old_or_new_goldens_and_the_next_run_sweeps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    many_cassettes(d, 8);
    let rules = Cmd::new(["rules"]).expect_code(0).stdout;
    let changed = rules.replace("threshold = 0.45", "threshold = 0.46");
    assert_ne!(rules, changed, "the default rules changed shape");
    fs::write(d.join("changed.toml"), changed).expect("rules");
    let golden = d.join("golden");
    let new_args = ["bless", "--rules", "changed.toml"];

    timed(d, &new_args);
    let (new, _) = snapshot(&golden);
    fs::remove_dir_all(&golden).expect("reset");
    let total = timed(d, &["bless"]);
    let (old, _) = snapshot(&golden);
    assert_eq!(
        old.keys().collect::<Vec<_>>(),
        new.keys().collect::<Vec<_>>()
    );
    assert!(old.len() >= 200 && old != new, "{} goldens", old.len());

    let mut mixed = 0;
    for after in kill_points(total) {
        for (name, bytes) in &old {
            fs::write(golden.join(name), bytes).expect("reset golden");
        }
        run_and_kill(d, &new_args, after);
        let (n_old, n_new) = assert_old_or_new(&golden, &old, &new);
        mixed += usize::from(n_old > 0 && n_new > 0);
    }
    println!("bless: {RUNS} kills, {mixed} in the middle of writing");
    // Old goldens again, so that the next run has files to write: the sweep
    // happens at a run's first write into the folder.
    for (name, bytes) in &old {
        fs::write(golden.join(name), bytes).expect("reset golden");
    }
    next_run_sweeps(d, &golden, &new_args);
    // A golden whose body already matches keeps its old stamp: bless leaves
    // matching rounds alone, so "done" is "check passes", not "all files new".
    assert_old_or_new(&golden, &old, &new);
    Cmd::new(["check", "--rules", "changed.toml"])
        .current_dir(d)
        .expect_code(0);
}

/// Copies the authored raw rounds `copies` times under new round ids.
fn many_raw_rounds(dir: &Path, copies: usize) -> Vec<String> {
    let mut dirs = Vec::new();
    for e in fs::read_dir(repo_root().join("tests/fixtures/rounds")).expect("rounds") {
        let src = e.expect("entry").path();
        if !src.is_dir() {
            continue;
        }
        for k in 0..copies {
            let name = format!("{}-k{k}", src.file_name().expect("name").to_string_lossy());
            let dst = dir.join("raw").join(&name);
            fs::create_dir_all(&dst).expect("mkdir");
            for f in fs::read_dir(&src).expect("round dir") {
                let f = f.expect("entry").path();
                let file = f.file_name().expect("name");
                if file == "round.json" {
                    let mut v: serde_json::Value =
                        serde_json::from_str(&fs::read_to_string(&f).expect("read")).expect("json");
                    let id = format!("{}-k{k}", v["round"]["id"].as_str().expect("id"));
                    v["round"]["id"] = serde_json::Value::String(id);
                    fs::write(
                        dst.join(file),
                        serde_json::to_string_pretty(&v).expect("json"),
                    )
                    .expect("write");
                } else {
                    fs::copy(&f, dst.join(file)).expect("copy");
                }
            }
            dirs.push(format!("raw/{name}"));
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn import_killed_anywhere_leaves_old_or_new_cassettes_and_the_next_run_sweeps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let rounds = many_raw_rounds(d, 14);
    let mut args: Vec<&str> = vec!["import", "--out", "out", "--force"];
    for r in &rounds {
        args.extend(["--raw", r.as_str()]);
    }
    let out = d.join("out");
    timed(d, &args);
    let (new, _) = snapshot(&out);
    assert_eq!(new.len(), rounds.len());
    // The old cassettes: different bytes, so that --force replaces them.
    let old: BTreeMap<String, Vec<u8>> = new
        .iter()
        .map(|(n, b)| {
            let mut b = b.clone();
            b.extend_from_slice(b"\n");
            (n.clone(), b)
        })
        .collect();
    let reset = || {
        fs::create_dir_all(&out).expect("mkdir out");
        for (name, bytes) in &old {
            fs::write(out.join(name), bytes).expect("reset cassette");
        }
    };
    reset();
    let total = timed(d, &args);

    let mut mixed = 0;
    for after in kill_points(total) {
        reset();
        run_and_kill(d, &args, after);
        let (n_old, n_new) = assert_old_or_new(&out, &old, &new);
        mixed += usize::from(n_old > 0 && n_new > 0);
    }
    // And from nothing: a cassette is absent or complete.
    for after in kill_points(total).take(4) {
        // A run killed before it created --out leaves none.
        if out.exists() {
            fs::remove_dir_all(&out).expect("reset");
        }
        run_and_kill(d, &args, after);
        if out.exists() {
            assert_old_or_new(&out, &BTreeMap::new(), &new);
        }
    }
    println!("import: {RUNS} kills, {mixed} in the middle of writing");
    reset();
    next_run_sweeps(d, &out, &args);
    assert_same_files(&out, &new);
}
