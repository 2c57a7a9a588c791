//! The check itself: replay every selected cassette in parallel, render, compare
//! with the golden files, and (when asked) write golden or pending files.
//!
//! Invariants:
//! - results are sorted by round id (then cassette path) before anything is
//!   printed or written, so output is byte-identical whatever the thread count;
//! - nothing is written while replaying: writes happen after every round is
//!   known, and only after duplicate round ids have been refused;
//! - a bad input (corrupt cassette or golden, engine panic) fails its round
//!   only; the other rounds still run.

use std::borrow::Cow;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cassette::{Cassette, sha256_id};
use crate::consolidate::engine::{ReplayOptions, replay_parsed, reviews_of};
use crate::consolidate::rules::Rules;
use crate::error::Error;
use crate::fsutil::{read_bytes_reusing, read_text_reusing, write_atomic};
use crate::golden::diff::{Change, diff};
use crate::golden::file::{
    GoldenPaths, PENDING_SUFFIX, Stamp, invalid_id_reason, parse_json, parse_markdown, parse_stamp,
    split_stamp_line, stamp_hashes, stamped_markdown,
};
use crate::golden::select::{Discovery, Selection};
use crate::golden::stale::{self, Problem, StrictOptions};
use crate::render;
use crate::render::findings::{Item, RawIndex, items};
use crate::render::html::round::Replayed;
use crate::report::Settled;

/// What a run covers and how.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Cassette files or directories.
    pub paths: Vec<PathBuf>,
    /// The golden directory.
    pub golden_dir: PathBuf,
    /// Threads.
    pub jobs: usize,
    /// The rules.
    pub rules: Rules,
    /// `sha256:` of the rules text (see [`crate::golden::file::rules_hash`]).
    pub rules_hash: String,
    /// Replay options.
    pub options: ReplayOptions,
    /// Which rounds.
    pub selection: Selection,
    /// Follow symlinks out of `paths`.
    pub follow_links: bool,
    /// Keep the rendered files of differing rounds, to bless or write pending.
    pub keep_output: bool,
    /// Keep the replayed report of changed rounds, for the HTML page.
    pub keep_report: bool,
    /// Prompt and strictness of the interaction checks ([`crate::golden::stale`]).
    pub strict: StrictOptions,
    /// Keep every replayed round's findings as [`Item`]s (for SARIF).
    pub keep_findings: bool,
}

/// Told about a run's progress, from the worker threads.
pub trait Observer: Sync {
    /// The run covers `files` cassette files (before selection by id).
    fn start(&self, _files: usize) {}
    /// One cassette file is done: its result, or `None` when not selected.
    fn file_done(&self, _result: Option<&RoundResult>) {}
}

/// Observes nothing.
impl Observer for () {}

/// Why a golden differs, from its stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The cassette bytes changed since blessing.
    Cassette,
    /// The rules changed since blessing.
    Rules,
    /// Both changed.
    CassetteAndRules,
    /// Same cassette, same rules: the engine decides differently.
    Engine,
}

impl Cause {
    /// The words printed after a changed round.
    pub fn describe(self) -> &'static str {
        match self {
            Cause::Cassette => "blessed against an older cassette",
            Cause::Rules => "blessed against other rules",
            Cause::CassetteAndRules => "blessed against an older cassette and other rules",
            Cause::Engine => "the engine now decides differently",
        }
    }

    /// The key used in JSON output.
    pub fn key(self) -> &'static str {
        match self {
            Cause::Cassette => "cassette",
            Cause::Rules => "rules",
            Cause::CassetteAndRules => "cassette-and-rules",
            Cause::Engine => "engine",
        }
    }
}

/// The state of one round (or of an orphaned golden).
#[derive(Debug, Clone)]
pub enum Status {
    /// Golden files equal the replayed report.
    Match,
    /// They differ.
    Changed {
        /// Why, from the stamp.
        cause: Cause,
        /// Finding-level changes (boxed slices: a status is kept per round, and
        /// most rounds match).
        changes: Box<[Change]>,
        /// Unified diff of the markdown (or of the JSON when only it differs).
        text_diff: Box<str>,
    },
    /// No golden files yet (lists the missing ones).
    New {
        /// Missing golden files.
        missing: Vec<PathBuf>,
    },
    /// An input could not be read; the message names file, line and column.
    Corrupt {
        /// The error.
        message: String,
    },
    /// Golden files without a cassette.
    Orphaned {
        /// The golden files.
        files: Vec<PathBuf>,
    },
}

impl Status {
    /// `match`, `changed`, `new`, `corrupt`, `orphaned`.
    pub fn key(&self) -> &'static str {
        match self {
            Status::Match => "match",
            Status::Changed { .. } => "changed",
            Status::New { .. } => "new",
            Status::Corrupt { .. } => "corrupt",
            Status::Orphaned { .. } => "orphaned",
        }
    }
}

/// The rendered golden files of a round.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Stamped markdown.
    pub md: String,
    /// JSON.
    pub json: String,
}

/// One round's result.
#[derive(Debug, Clone)]
pub struct RoundResult {
    /// Round id (file stem for a corrupt cassette, golden name for an orphan).
    pub id: Box<str>,
    /// The cassette, except for orphans.
    pub cassette: Option<Box<Path>>,
    /// What the comparison found.
    pub status: Status,
    /// Rendered files, kept when the plan asks and the round differs (boxed:
    /// most rounds match and carry none).
    pub output: Option<Box<Rendered>>,
    /// The replayed report, kept when the plan asks and the round changed.
    pub report: Option<Box<Replayed>>,
    /// Stale, changed or failed interactions, in (agent, pass) order.
    pub problems: Box<[Problem]>,
    /// The replayed findings, kept when the plan asks and the round replayed.
    pub findings: Option<Box<[Item]>>,
    /// Raw findings of the replay, and how many recorded decisions settled.
    pub settled: Settled,
}

impl RoundResult {
    /// Its golden files in the golden directory `dir` ([`Outcome::golden_dir`]):
    /// derived on demand rather than kept per round, so that a run's memory
    /// stays flat in its number of rounds.
    pub fn golden(&self, dir: &Path) -> GoldenPaths {
        GoldenPaths::new(dir, &self.id)
    }
}

/// Everything a run found.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Rounds with a cassette, sorted by id then cassette path.
    pub rounds: Vec<RoundResult>,
    /// Golden files without a cassette, sorted by id.
    pub orphans: Vec<RoundResult>,
    /// Symlinks skipped because they lead outside the given paths.
    pub skipped_links: Vec<PathBuf>,
    /// The golden directory of the run.
    pub golden_dir: PathBuf,
}

/// Replays and compares every selected round.
pub fn check(plan: &Plan) -> Result<Outcome, Error> {
    check_observed(plan, &())
}

/// [`check`], telling `observer` about each cassette as it is done.
pub fn check_observed(plan: &Plan, observer: &dyn Observer) -> Result<Outcome, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs)
        .build()
        .map_err(|e| Error::Other(format!("cannot start {} threads: {e}", plan.jobs)))?;
    // Memory stays flat in the number of rounds: each round keeps only its small
    // result, cassette paths move into the results rather than being copied, the
    // indexed collect writes into one vector (no per-thread lists to join), and
    // the sort works in place (ids and paths are unique, so unstable is exact).
    // Discovery runs on a pool thread too, so that the memory it frees is reused
    // for the results (the allocator keeps one heap per thread).
    pool.install(|| {
        let Discovery {
            files,
            skipped_links,
            explicit_files,
        } = crate::golden::select::discover(&plan.paths, plan.follow_links)?;
        observer.start(files.len());
        let results: Vec<Option<RoundResult>> = files
            .into_par_iter()
            .map(|path| {
                let result = check_one(plan, path);
                observer.file_done(result.as_ref());
                result
            })
            .collect();
        // `filter_map` collects in place (the standard library reuses the
        // buffer); `flatten` would copy every result into a new, growing vector.
        #[allow(clippy::filter_map_identity)]
        let mut rounds: Vec<RoundResult> = results.into_iter().filter_map(|r| r).collect();
        rounds.sort_unstable_by(|a, b| (&a.id, &a.cassette).cmp(&(&b.id, &b.cassette)));
        refuse_duplicates(&rounds)?;
        let orphans = find_orphans(plan, explicit_files, &rounds)?;
        Ok(Outcome {
            rounds,
            orphans,
            skipped_links,
            golden_dir: plan.golden_dir.clone(),
        })
    })
}

fn refuse_duplicates(rounds: &[RoundResult]) -> Result<(), Error> {
    refuse_exact_duplicates(rounds)?;
    // Ids differing only in case name one golden file on case-insensitive file
    // systems (macOS, Windows): one round would overwrite the other's goldens.
    let readable = rounds
        .iter()
        .filter(|r| !matches!(r.status, Status::Corrupt { .. }))
        .map(|r| &*r.id);
    if let Some((first, second)) = first_case_collision(readable) {
        return Err(Error::Other(format!(
            "round ids `{first}` and `{second}` differ only in case: their golden files would be one file on case-insensitive file systems",
        )));
    }
    Ok(())
}

/// The first two different ids of `ids` (sorted) that are equal in lowercase, the
/// pair whose second id comes first. Found by sorting positions rather than by
/// a map of lowercased copies: the run's peak memory stays that of its results.
fn first_case_collision<'a>(ids: impl Iterator<Item = &'a str>) -> Option<(&'a str, &'a str)> {
    let mut ids: Vec<&str> = ids.collect();
    // The same id twice (a corrupt copy between them escaped the exact check)
    // is no collision.
    ids.dedup();
    let mut order: Vec<usize> = (0..ids.len()).collect();
    // Stable: within one lowercase form, positions stay in id order.
    order.sort_by(|&a, &b| cmp_lowercase(ids[a], ids[b]));
    order
        .chunk_by(|&a, &b| cmp_lowercase(ids[a], ids[b]).is_eq())
        .filter_map(|group| match group {
            [first, second, ..] => Some((*first, *second)),
            _ => None,
        })
        .min_by_key(|&(_, second)| second)
        .map(|(first, second)| (ids[first], ids[second]))
}

/// `a.to_lowercase().cmp(&b.to_lowercase())`, without copying ASCII ids.
fn cmp_lowercase(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        let (a, b) = (a.bytes(), b.bytes());
        a.map(|c| c.to_ascii_lowercase())
            .cmp(b.map(|c| c.to_ascii_lowercase()))
    } else {
        a.to_lowercase().cmp(&b.to_lowercase())
    }
}

fn refuse_exact_duplicates(rounds: &[RoundResult]) -> Result<(), Error> {
    for pair in rounds.windows(2) {
        if let [a, b] = pair {
            let readable = |r: &RoundResult| !matches!(r.status, Status::Corrupt { .. });
            if a.id == b.id && readable(a) && readable(b) {
                let show = |r: &RoundResult| {
                    r.cassette
                        .as_deref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default()
                };
                return Err(Error::Other(format!(
                    "round id `{}` is used by two cassettes, {} and {}: golden file names must be unique",
                    a.id,
                    show(a),
                    show(b)
                )));
            }
        }
    }
    Ok(())
}

fn corrupt(id: String, cassette: PathBuf, message: String) -> RoundResult {
    RoundResult {
        id: id.into(),
        cassette: Some(cassette.into()),
        status: Status::Corrupt { message },
        output: None,
        report: None,
        problems: Box::default(),
        findings: None,
        settled: Settled::default(),
    }
}

/// True when an error means "there is no such file": missing, or a golden
/// directory path that is not a directory (blessing will then say so clearly).
fn absent(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory)
}

/// A golden file's bytes, read into `buf` (reused from round to round, see
/// [`read_bytes_reusing`]), `None` when it does not exist.
fn read_golden_bytes<'b>(path: &Path, buf: &'b mut Vec<u8>) -> Result<Option<&'b [u8]>, Error> {
    match read_bytes_reusing(path, buf) {
        Ok(n) => Ok(Some(&buf[..n])),
        Err(Error::Read { source, .. }) if absent(&source) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A golden file's bytes as text, or the error naming where they stop being UTF-8.
fn golden_text(path: &Path, bytes: &[u8]) -> Result<String, Error> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t.to_string()),
        Err(e) => Err(Error::NotUtf8 {
            path: path.to_path_buf(),
            offset: e.valid_up_to(),
        }),
    }
}

fn check_one(plan: &Plan, path: PathBuf) -> Option<RoundResult> {
    RENDERED.with(|bufs| match bufs.try_borrow_mut() {
        Ok(mut bufs) => check_in(plan, path, &mut bufs),
        // Only a check nested in another on this thread finds them taken.
        Err(_) => check_in(plan, path, &mut Buffers::new()),
    })
}

/// [`check_one`] with the buffers `bufs`.
fn check_in(plan: &Plan, path: PathBuf, bufs: &mut Buffers) -> Option<RoundResult> {
    // The stem names only a corrupt round: made when one is.
    let stem = |path: &Path| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let Buffers { cassette, round } = bufs;
    let loaded = read_text_reusing(&path, cassette)
        .and_then(|text| Ok((Cassette::from_json(&path, text)?, text)));
    let (cassette, text) = match loaded {
        Ok(x) => x,
        // A corrupt cassette has no id: its file stem stands in, for selection too.
        Err(e) => {
            let stem = stem(&path);
            return plan
                .selection
                .contains(&stem)
                .then(|| corrupt(stem, path, e.to_string()));
        }
    };
    let id = cassette.round.id.clone();
    if !plan.selection.contains(&id) {
        return None;
    }
    if let Some(reason) = invalid_id_reason(&id) {
        let message = format!("{}: {reason}: {id:?}", path.display());
        return Some(corrupt(stem(&path), path, message));
    }
    check_rendered(plan, path, id, &cassette, text, round)
}

/// A thread's buffers for the rounds it checks.
struct Buffers {
    /// The bytes of the cassette being checked (see [`read_bytes_reusing`]).
    cassette: Vec<u8>,
    /// The rest.
    round: RoundBuffers,
}

impl Buffers {
    const fn new() -> Buffers {
        Buffers {
            cassette: Vec::new(),
            round: RoundBuffers::new(),
        }
    }
}

/// A thread's buffers for the reports of the round it checks.
struct RoundBuffers {
    /// The markdown and JSON of the round being checked.
    md: String,
    json: String,
    /// The bytes of its golden markdown and JSON files (see
    /// [`read_bytes_reusing`]).
    golden_md: Vec<u8>,
    golden_json: Vec<u8>,
}

impl RoundBuffers {
    const fn new() -> RoundBuffers {
        RoundBuffers {
            md: String::new(),
            json: String::new(),
            golden_md: Vec::new(),
            golden_json: Vec::new(),
        }
    }
}

thread_local! {
    /// One set of buffers per thread, grown once to the largest round, rather
    /// than three new vectors and two new strings a round. Only a round whose
    /// files are kept copies them out.
    static RENDERED: RefCell<Buffers> = const { RefCell::new(Buffers::new()) };
}

/// [`check_one`] of a readable cassette, its reports rendered into `bufs`.
fn check_rendered(
    plan: &Plan,
    path: PathBuf,
    id: String,
    cassette: &Cassette,
    text: &str,
    bufs: &mut RoundBuffers,
) -> Option<RoundResult> {
    let RoundBuffers {
        md,
        json,
        golden_md,
        golden_json,
    } = bufs;
    let golden = GoldenPaths::new(&plan.golden_dir, &id);
    let rendered = catch_unwind(AssertUnwindSafe(|| {
        let reviews = reviews_of(cassette);
        let report = replay_parsed(cassette, &reviews, &plan.rules, plan.options);
        render::markdown::render_into(&report, md);
        render::json::render_into(&report, json);
        let findings = plan
            .keep_findings
            .then(|| items(&report, &RawIndex::of(&reviews)));
        (report, reviews, findings)
    }));
    let (md, json) = (md.as_str(), json.as_str());
    let (report, reviews, findings) = match rendered {
        Ok(x) => x,
        Err(_) => {
            let message = format!(
                "{}: the engine panicked on this cassette (a bug: please report it)",
                path.display()
            );
            return Some(corrupt(id, path, message));
        }
    };
    // Hashing is only needed when the round differs: matching rounds skip it.
    let stamp = || Stamp {
        cassette: sha256_id(text.as_bytes()),
        rules: plan.rules_hash.clone(),
    };
    let status = compare(
        &golden,
        &stamp,
        &report,
        (md, json),
        (golden_md, golden_json),
    );
    let output = (plan.keep_output
        && matches!(status, Status::Changed { .. } | Status::New { .. }))
    .then(|| {
        Box::new(Rendered {
            md: stamped_markdown(&stamp(), md),
            json: json.to_string(),
        })
    });
    let settled = report.settled;
    let report = (plan.keep_report && matches!(status, Status::Changed { .. }))
        .then(|| Box::new(Replayed::new(report, &reviews)));
    let problems = stale::problems(cassette, &plan.strict);
    Some(RoundResult {
        id: id.into(),
        cassette: Some(path.into()),
        status,
        output,
        report,
        problems: problems.into(),
        findings: findings.map(Vec::into_boxed_slice),
        settled,
    })
}

/// A golden markdown file as `compare` read it.
enum GoldenMd<'a> {
    /// Its body equals the replayed markdown; its stamp line.
    SameBody(&'a str),
    /// It differs: all of it, as text.
    Text(String),
}

/// The stamp line of golden markdown `bytes` whose body (after that line) is
/// `md`, when it is; `None` when the body differs or the line is not UTF-8.
fn same_body_stamp_line<'a>(bytes: &'a [u8], md: &str) -> Option<&'a str> {
    let (first, body) = split_stamp_line(bytes);
    if body != md.as_bytes() {
        return None;
    }
    std::str::from_utf8(first).ok()
}

/// `rendered` is the replayed (markdown, JSON); `read` the buffers the golden
/// files are read into.
fn compare(
    golden: &GoldenPaths,
    stamp: &dyn Fn() -> Stamp,
    report: &crate::report::Report,
    rendered: (&str, &str),
    read: (&mut Vec<u8>, &mut Vec<u8>),
) -> Status {
    let (md, json) = rendered;
    let corrupt = |e: Error| Status::Corrupt {
        message: e.to_string(),
    };
    // A golden markdown whose body equals the replayed one is not copied or
    // checked for UTF-8 past its stamp line: only a differing one is read as text.
    let golden_md = match read_golden_bytes(&golden.md, read.0) {
        Ok(Some(b)) => match same_body_stamp_line(b, md) {
            Some(first) => Some(GoldenMd::SameBody(first)),
            None => match golden_text(&golden.md, b) {
                Ok(t) => Some(GoldenMd::Text(t)),
                Err(e) => return corrupt(e),
            },
        },
        Ok(None) => None,
        Err(e) => return corrupt(e),
    };
    // The golden JSON equal to the replayed one is borrowed from it: valid
    // UTF-8 by construction, so only a differing one is checked.
    let golden_json = match read_golden_bytes(&golden.json, read.1) {
        Ok(Some(b)) if b == json.as_bytes() => Some(Cow::Borrowed(json)),
        Ok(Some(b)) => match golden_text(&golden.json, b) {
            Ok(t) => Some(Cow::Owned(t)),
            Err(e) => return corrupt(e),
        },
        Ok(None) => None,
        Err(e) => return corrupt(e),
    };
    // The stamp's (cassette, rules) hashes, and the body when it differs from
    // the replayed markdown. A valid stamp after an equal body is read in
    // place, its hashes borrowed: a matching round needs neither.
    let parsed_md = match golden_md {
        Some(GoldenMd::SameBody(first)) => match stamp_hashes(first) {
            Some((c, r)) => Some(((Cow::Borrowed(c), Cow::Borrowed(r)), None)),
            None => match parse_stamp(&golden.md, first) {
                Ok(s) => Some(((Cow::Owned(s.cassette), Cow::Owned(s.rules)), None)),
                Err(e) => return corrupt(e),
            },
        },
        Some(GoldenMd::Text(t)) => match parse_markdown(&golden.md, &t) {
            Ok(g) => {
                let body = (g.body != md).then_some(g.body);
                let hashes = (Cow::Owned(g.stamp.cassette), Cow::Owned(g.stamp.rules));
                Some((hashes, body))
            }
            Err(e) => return corrupt(e),
        },
        None => None,
    };
    let (Some((gstamp, gbody)), Some(gjson)) = (parsed_md, golden_json) else {
        let missing = [&golden.md, &golden.json]
            .into_iter()
            .filter(|p| !p.exists())
            .cloned()
            .collect();
        return Status::New { missing };
    };
    let md_same = gbody.is_none();
    let json_same = matches!(gjson, Cow::Borrowed(_));
    if md_same && json_same {
        return Status::Match;
    }
    // Only a differing golden JSON is parsed: an equal one is valid by construction.
    let old = match parse_json(&golden.json, &gjson) {
        Ok(r) => r,
        Err(e) => return corrupt(e),
    };
    let changes = diff(&old, report);
    let text_diff = if let Some(gbody) = &gbody {
        unified(gbody, md, &golden.md)
    } else {
        unified(&gjson, json, &golden.json)
    };
    let stamp = stamp();
    let cause = match (gstamp.0 != stamp.cassette, gstamp.1 != stamp.rules) {
        (true, true) => Cause::CassetteAndRules,
        (true, false) => Cause::Cassette,
        (false, true) => Cause::Rules,
        (false, false) => Cause::Engine,
    };
    Status::Changed {
        cause,
        changes: changes.into_boxed_slice(),
        text_diff: text_diff.into_boxed_str(),
    }
}

fn unified(old: &str, new: &str, golden: &Path) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&golden.display().to_string(), "replayed")
        .to_string()
}

/// Golden files (`<id>.md`, `<id>.json`) in the golden directory whose round no
/// cassette of this run has. Skipped when cassettes were given as files: such a
/// run does not cover a directory.
fn find_orphans(
    plan: &Plan,
    explicit_files: bool,
    rounds: &[RoundResult],
) -> Result<Vec<RoundResult>, Error> {
    if explicit_files {
        return Ok(Vec::new());
    }
    // `rounds` is sorted by id: known ids are found by binary search, and only
    // orphaned entries are kept, so a golden directory of any size costs no
    // memory beyond its orphans.
    let known = |id: &str| rounds.binary_search_by(|r| r.id.as_ref().cmp(id)).is_ok();
    let mut found: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for_each_golden_entry(&plan.golden_dir, &[".md", ".json"], |id, entry| {
        if !known(id) && plan.selection.contains(id) {
            found.entry(id.to_string()).or_default().push(entry.path());
        }
    })?;
    Ok(found
        .into_iter()
        .map(|(id, mut files)| {
            files.sort();
            RoundResult {
                id: id.into(),
                cassette: None,
                status: Status::Orphaned { files },
                output: None,
                report: None,
                problems: Box::default(),
                findings: None,
                settled: Settled::default(),
            }
        })
        .collect())
}

/// Files of the golden directory ending in one of `suffixes`, as (id, path),
/// sorted. A missing directory has none.
pub fn golden_entries(dir: &Path, suffixes: &[&str]) -> Result<Vec<(String, PathBuf)>, Error> {
    let mut out = Vec::new();
    for_each_golden_entry(dir, suffixes, |id, entry| {
        out.push((id.to_string(), entry.path()));
    })?;
    out.sort();
    Ok(out)
}

/// Calls `f(id, entry)` for each file of the golden directory ending in one of
/// `suffixes`, in directory order. A missing directory has none. The entry
/// gives its path on demand: a check builds one only for an orphan.
fn for_each_golden_entry(
    dir: &Path,
    suffixes: &[&str],
    mut f: impl FnMut(&str, &std::fs::DirEntry),
) -> Result<(), Error> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if absent(&e) => return Ok(()),
        Err(source) => {
            return Err(Error::Read {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    for entry in entries {
        let entry = entry.map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        if let Some(id) = suffixes.iter().find_map(|s| name.strip_suffix(s)) {
            f(id, &entry);
        }
    }
    Ok(())
}

/// What writing did to one round.
#[derive(Debug, Clone)]
pub struct WriteResult {
    /// Round id.
    pub id: String,
    /// Files written, renamed or removed.
    pub files: Vec<PathBuf>,
    /// The first error, when one stopped it.
    pub error: Option<String>,
}

fn ensure_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
}

fn remove_if_exists(path: &Path) -> Result<bool, Error> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(source) => Err(Error::Write {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Writes the golden files of every changed or new round (JSON first, then the
/// stamped markdown, each atomically), and removes their stale pending files.
/// With `pending`, writes `<name>.new` files instead and leaves the golden alone.
pub fn write_goldens(outcome: &Outcome, golden_dir: &Path, pending: bool) -> Vec<WriteResult> {
    let mut results = Vec::new();
    for round in &outcome.rounds {
        if matches!(round.status, Status::Match) {
            // A pending file of a round that matches again is stale: accepting it
            // later would undo the match.
            let golden = round.golden(golden_dir);
            let stale = [&golden.json, &golden.md]
                .into_iter()
                .map(|p| remove_if_exists(&GoldenPaths::pending(p)))
                .find_map(Result::err);
            if let Some(e) = stale {
                results.push(WriteResult {
                    id: round.id.to_string(),
                    files: Vec::new(),
                    error: Some(e.to_string()),
                });
            }
            continue;
        }
        let Some(out) = &round.output else { continue };
        let mut res = WriteResult {
            id: round.id.to_string(),
            files: Vec::new(),
            error: None,
        };
        let golden = round.golden(golden_dir);
        let targets = [(&golden.json, &out.json), (&golden.md, &out.md)];
        let step = || -> Result<Vec<PathBuf>, Error> {
            ensure_dir(golden_dir)?;
            let mut done = Vec::new();
            for (path, contents) in targets {
                let target = if pending {
                    GoldenPaths::pending(path)
                } else {
                    path.clone()
                };
                write_atomic(&target, contents.as_bytes())?;
                done.push(target);
                if !pending {
                    remove_if_exists(&GoldenPaths::pending(path))?;
                }
            }
            Ok(done)
        };
        match step() {
            Ok(files) => res.files = files,
            Err(e) => res.error = Some(e.to_string()),
        }
        results.push(res);
    }
    results
}

/// Removes the golden files of orphaned rounds.
pub fn prune(outcome: &Outcome) -> Vec<WriteResult> {
    let mut results = Vec::new();
    for orphan in &outcome.orphans {
        let Status::Orphaned { files } = &orphan.status else {
            continue;
        };
        let mut res = WriteResult {
            id: orphan.id.to_string(),
            files: Vec::new(),
            error: None,
        };
        for f in files {
            match remove_if_exists(f) {
                Ok(_) => res.files.push(f.clone()),
                Err(e) => {
                    res.error = Some(e.to_string());
                    break;
                }
            }
        }
        results.push(res);
    }
    results
}

/// Accepts pending files (`<id>.md.new`, `<id>.json.new`) of selected rounds by
/// renaming them over the golden files, without replaying.
pub fn accept_pending(golden_dir: &Path, selection: &Selection) -> Result<Vec<WriteResult>, Error> {
    let md = format!(".md{PENDING_SUFFIX}");
    let json = format!(".json{PENDING_SUFFIX}");
    let mut by_id: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for (id, path) in golden_entries(golden_dir, &[md.as_str(), json.as_str()])? {
        if selection.contains(&id) {
            by_id.entry(id).or_default().push(path);
        }
    }
    let mut results = Vec::new();
    for (id, mut files) in by_id {
        // JSON before markdown, as when blessing: the stamp goes last.
        files.sort_by_key(|p| !p.to_string_lossy().ends_with(json.as_str()));
        let mut res = WriteResult {
            id,
            files: Vec::new(),
            error: None,
        };
        for pending in files {
            let target = pending.with_extension("");
            match std::fs::rename(&pending, &target) {
                Ok(()) => res.files.push(target),
                Err(source) => {
                    res.error = Some(
                        Error::Write {
                            path: target,
                            source,
                        }
                        .to_string(),
                    );
                    break;
                }
            }
        }
        results.push(res);
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The map form `first_case_collision` replaced.
    fn first_case_collision_by_map<'a>(ids: &[&'a str]) -> Option<(&'a str, &'a str)> {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for &id in ids {
            if let Some(first) = seen.insert(id.to_lowercase(), id)
                && first != id
            {
                return Some((first, id));
            }
        }
        None
    }

    #[test]
    fn a_check_finds_its_render_buffers_taken_and_uses_its_own() {
        let golden = tempfile::tempdir().expect("tempdir");
        let cassette = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("cassettes/ferry-pr-12-r1-critical-vs-important.json");
        let plan = Plan {
            paths: vec![cassette.clone()],
            golden_dir: golden.path().to_path_buf(),
            jobs: 1,
            rules: crate::consolidate::rules::Rules::default(),
            rules_hash: String::new(),
            options: ReplayOptions::default(),
            selection: Selection::default(),
            follow_links: false,
            keep_output: true,
            keep_report: false,
            strict: StrictOptions::default(),
            keep_findings: false,
        };
        let alone = check_one(&plan, cassette.clone()).expect("selected");
        // As a check nested in another on this thread would find them.
        let nested = RENDERED.with(|bufs| {
            let _taken = bufs.borrow_mut();
            check_one(&plan, cassette.clone()).expect("selected")
        });
        assert!(
            matches!(nested.status, Status::New { .. }),
            "{:?}",
            nested.status
        );
        let files = |r: &RoundResult| r.output.as_ref().map(|o| (o.md.clone(), o.json.clone()));
        assert!(files(&alone).is_some());
        assert_eq!(files(&nested), files(&alone));
    }

    #[test]
    fn a_round_result_stays_small() {
        // Every round's result lives until the run ends: its size is the slope of
        // `check`'s memory in the number of rounds (the bench measures the peak).
        assert!(
            std::mem::size_of::<RoundResult>() <= 128,
            "RoundResult grew to {} bytes",
            std::mem::size_of::<RoundResult>()
        );
    }

    #[test]
    fn case_collisions_name_the_first_pair() {
        let ids = ["A", "B", "a", "b"];
        assert_eq!(first_case_collision(ids.into_iter()), Some(("A", "a")));
        let ids = ["B", "Round", "a", "b", "round"];
        assert_eq!(first_case_collision(ids.into_iter()), Some(("B", "b")));
        let ids = ["x", "x", "y"];
        assert_eq!(first_case_collision(ids.into_iter()), None);
        // Non-ASCII ids are lowercased as strings (a final sigma too).
        let ids = ["ΟΔΟΣ", "οδος"];
        assert_eq!(
            first_case_collision(ids.into_iter()),
            Some(("ΟΔΟΣ", "οδος"))
        );
    }

    proptest! {
        #[test]
        fn case_collision_is_the_map_form(mut ids in prop::collection::vec("[aAbBσΣς_é]{0,4}", 0..12)) {
            ids.sort();
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            prop_assert_eq!(
                first_case_collision(ids.iter().copied()),
                first_case_collision_by_map(&ids)
            );
        }
    }
}
