//! Which cassettes a run covers: discovery under the given paths, `--filter`, and
//! `--partition K/N`.
//!
//! Invariants: discovery returns files sorted and without repeats, whatever the
//! directory order on disk; a partition puts every round id in exactly one of the
//! N parts, decided by a hash of the id alone (so it does not move when other
//! rounds are added or removed, as nextest's `hash:K/N`).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::Error;

/// Part K of N, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// Which part, 1..=n.
    pub k: u64,
    /// How many parts.
    pub n: u64,
}

impl Partition {
    /// Parses `K/N` (or nextest's `hash:K/N`) with 1 ≤ K ≤ N.
    pub fn parse(spec: &str) -> Result<Partition, Error> {
        let usage = || {
            Error::Usage(format!(
                "invalid --partition `{spec}`: expected K/N with 1 <= K <= N (e.g. 2/3)"
            ))
        };
        let body = spec.strip_prefix("hash:").unwrap_or(spec);
        let (k, n) = body.split_once('/').ok_or_else(usage)?;
        let k: u64 = k.trim().parse().map_err(|_| usage())?;
        let n: u64 = n.trim().parse().map_err(|_| usage())?;
        if k == 0 || n == 0 || k > n {
            return Err(usage());
        }
        Ok(Partition { k, n })
    }

    /// True when round `id` belongs to this part.
    pub fn contains(&self, id: &str) -> bool {
        let digest = Sha256::digest(id.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.n == self.k - 1
    }
}

/// The selection of rounds by id.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Round id must contain this.
    pub filter: Option<String>,
    /// Round id must hash into this part.
    pub partition: Option<Partition>,
}

impl Selection {
    /// True when round `id` is selected.
    pub fn contains(&self, id: &str) -> bool {
        self.filter.as_deref().is_none_or(|f| id.contains(f))
            && self.partition.is_none_or(|p| p.contains(id))
    }
}

/// The cassette files found under the given paths.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// `*.json` files, sorted, without repeats.
    pub files: Vec<PathBuf>,
    /// Symlinks not followed because they lead outside the given paths.
    pub skipped_links: Vec<PathBuf>,
    /// True when a path was given as a file rather than a directory: the run then
    /// does not cover a whole directory, and orphans cannot be told.
    pub explicit_files: bool,
}

fn read_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Read {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Finds every `*.json` cassette under `paths` (files are taken as given). Hidden
/// files and directories (`.name`) are skipped. A file reached through a symlink
/// that resolves outside all of `paths` is skipped unless `follow_links`.
pub fn discover(paths: &[PathBuf], follow_links: bool) -> Result<Discovery, Error> {
    let mut out = Discovery::default();
    let mut roots = Vec::new();
    for p in paths {
        let canonical = std::fs::canonicalize(p).map_err(|source| Error::Read {
            path: p.clone(),
            source,
        })?;
        roots.push(canonical);
    }
    for p in paths {
        if p.is_file() {
            out.explicit_files = true;
            out.files.push(p.clone());
            continue;
        }
        // Siblings in name order, so that the first error met is the same on
        // every file system. Their paths share the parent and its separator, so
        // comparing whole paths as bytes orders them by name: walkdir's own
        // `sort_by_file_name` takes each name apart from its path at every
        // comparison, most of discovery's cost on a big directory.
        let walk = walkdir::WalkDir::new(p)
            .follow_links(true)
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        // Directories reached through a symlink: files under them are checked too.
        let mut linked_dirs: Vec<PathBuf> = Vec::new();
        for entry in walk {
            let entry = entry.map_err(|e| {
                let at = e.path().map(Path::to_path_buf).unwrap_or_else(|| p.clone());
                read_err(&at, e)
            })?;
            if entry.file_type().is_dir() && entry.path_is_symlink() {
                linked_dirs.push(entry.path().to_path_buf());
            }
            if !entry.file_type().is_file() || entry.path().extension().is_none_or(|x| x != "json")
            {
                continue;
            }
            // Canonicalising every file is costly on big sets: only paths that
            // went through a symlink can lead outside the roots.
            let linked =
                entry.path_is_symlink() || linked_dirs.iter().any(|d| entry.path().starts_with(d));
            if !follow_links && linked {
                let real = std::fs::canonicalize(entry.path()).map_err(|source| Error::Read {
                    path: entry.path().to_path_buf(),
                    source,
                })?;
                if !roots.iter().any(|r| real.starts_with(r)) {
                    out.skipped_links.push(entry.path().to_path_buf());
                    continue;
                }
            }
            // Moved, not copied: on a big set the paths are most of discovery's
            // memory, and each lives as long as its round's result. Without the
            // spare capacity the walk grew it with (about half its length again).
            out.files
                .push(entry.into_path().into_boxed_path().into_path_buf());
        }
    }
    out.files.sort();
    out.files.dedup();
    // The list lives while every round is checked: no spare capacity.
    out.files.shrink_to_fit();
    out.skipped_links.sort();
    out.skipped_links.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_spec_is_validated() {
        assert_eq!(Partition::parse("2/3").ok(), Some(Partition { k: 2, n: 3 }));
        assert_eq!(
            Partition::parse("hash:1/1").ok(),
            Some(Partition { k: 1, n: 1 })
        );
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "", "1/3/4"] {
            let err = Partition::parse(bad).expect_err(bad);
            assert!(err.is_usage());
            assert!(err.to_string().contains("expected K/N"), "{err}");
        }
    }

    #[test]
    fn every_id_is_in_exactly_one_part() {
        for n in 1..=5u64 {
            for i in 0..200 {
                let id = format!("round-{i}");
                let parts = (1..=n)
                    .filter(|&k| Partition { k, n }.contains(&id))
                    .count();
                assert_eq!(parts, 1, "{id} in {parts} parts of {n}");
            }
        }
    }

    #[test]
    fn parts_are_not_all_empty() {
        let p = Partition { k: 2, n: 3 };
        let hits = (0..300).filter(|i| p.contains(&format!("r{i}"))).count();
        assert!((50..150).contains(&hits), "{hits}");
    }
}
