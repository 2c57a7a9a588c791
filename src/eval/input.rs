//! Reading the inputs of `reproduce` and `eval`: cassettes, JSON reports and
//! deep-review reports (imported on the fly), plus the rules and the thread pool.
//!
//! This is the only module of [`crate::eval`] that touches files. Paths given on the
//! command line are expanded deterministically: a directory contributes its `.json`
//! and `.md` files (hidden entries skipped, symlinks not followed), sorted by path.

use std::path::{Path, PathBuf};

use crate::cassette::Cassette;
use crate::consolidate::rules::Rules;
use crate::error::Error;
use crate::fsutil::read_text;
use crate::model::Diagnostic;
use crate::report::{REPORT_SCHEMA_V1, Report};

/// One loaded input file.
#[derive(Debug, Clone)]
pub enum Loaded {
    /// A cassette (read from JSON, or imported from a deep-review report).
    Cassette(Box<Cassette>),
    /// An already consolidated report (`review-replay/report/v1`): used as is.
    Report(Box<Report>),
}

impl Loaded {
    /// The round id.
    pub fn round_id(&self) -> &str {
        match self {
            Loaded::Cassette(c) => &c.round.id,
            Loaded::Report(r) => &r.round.id,
        }
    }
}

/// Expands files and directories into the sorted list of input files.
pub fn collect_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| Error::Read {
            path: p.clone(),
            source,
        })?;
        if !meta.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut found = Vec::new();
        let walk = walkdir::WalkDir::new(p)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            let entry = entry.map_err(|e| Error::Read {
                path: e.path().map(Path::to_path_buf).unwrap_or_else(|| p.clone()),
                source: e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("filesystem loop")),
            })?;
            if entry.file_type().is_file() && is_input_name(entry.path()) {
                found.push(entry.into_path());
            }
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

fn is_input_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json") | Some("md")
    )
}

/// Loads one input: `.md` is imported as a deep-review report, `.json` is a report
/// when its schema says so and a cassette otherwise. Returns import diagnostics too.
pub fn load(path: &Path) -> Result<(Loaded, Vec<Diagnostic>), Error> {
    let text = read_text(path)?;
    if path.extension().and_then(|e| e.to_str()) == Some("md") {
        let (cassette, diagnostics) = import_report_md(path, &text)?;
        return Ok((Loaded::Cassette(Box::new(cassette)), diagnostics));
    }
    #[derive(serde::Deserialize)]
    struct Probe {
        schema: Option<serde_json::Value>,
    }
    let is_report = serde_json::from_str::<Probe>(&text)
        .ok()
        .and_then(|p| p.schema)
        .is_some_and(|s| s.as_str() == Some(REPORT_SCHEMA_V1));
    if is_report {
        let report: Report = serde_json::from_str(&text).map_err(|e| {
            Error::Other(format!(
                "{}:{}:{}: invalid report: {e}",
                path.display(),
                e.line(),
                e.column()
            ))
        })?;
        return Ok((Loaded::Report(Box::new(report)), Vec::new()));
    }
    Ok((
        Loaded::Cassette(Box::new(Cassette::from_json(path, &text)?)),
        Vec::new(),
    ))
}

/// Imports a deep-review report (markdown) as a cassette, in memory.
pub fn import_report_md(path: &Path, text: &str) -> Result<(Cassette, Vec<Diagnostic>), Error> {
    crate::limits::check_markdown(path, text)?;
    let (cassette, parsed) = crate::parse::report::import_report_text(path, text)?;
    Ok((cassette, parsed.diagnostics))
}

/// Loads the rules: the file when given, else the built-in defaults.
pub fn load_rules(path: Option<&Path>) -> Result<Rules, Error> {
    crate::consolidate::rules::load_rules(path)
}

/// A thread pool of `jobs` threads (all cores when `None`); 0 is a usage error.
pub fn thread_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool, Error> {
    if jobs == Some(0) {
        return Err(Error::Usage("--jobs must be at least 1".into()));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))
}

/// The file name of an input, for messages and output (never directories above it).
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_expand_sorted_and_skip_hidden_and_other_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).expect("mkdir");
        std::fs::create_dir(root.join(".hidden")).expect("mkdir");
        for f in [
            "b.json",
            "a.md",
            "sub/c.json",
            ".hidden/x.json",
            "notes.txt",
        ] {
            std::fs::write(root.join(f), "{}").expect("write");
        }
        let got = collect_paths(&[root.to_path_buf()]).expect("collect");
        let names: Vec<String> = got
            .iter()
            .map(|p| {
                p.strip_prefix(root)
                    .expect("under root")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(names, ["a.md", "b.json", "sub/c.json"]);
    }

    #[test]
    fn missing_path_is_an_error_naming_it() {
        let err = collect_paths(&[PathBuf::from("/nonexistent/zz")]).expect_err("missing");
        assert!(err.to_string().contains("/nonexistent/zz"), "{err}");
    }

    #[test]
    fn jobs_zero_is_a_usage_error() {
        assert!(thread_pool(Some(0)).expect_err("zero").is_usage());
    }
}
