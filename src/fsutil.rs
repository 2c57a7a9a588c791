//! Writing files safely and reading them with limits.
//!
//! Invariants:
//! - every file review-replay writes goes through [`write_atomic`]: a temporary
//!   file in the same directory (`.review-replay-XXXXXX.tmp`), flushed, then
//!   renamed over the target. An interruption leaves either the old file or the
//!   new one, never half of one;
//! - a run that was killed mid-write leaves its temporary file behind. The first
//!   write of a later run into that directory removes such files once they are
//!   older than [`STALE_TEMP_AGE`] (younger ones may belong to a run still
//!   going), and [`take_removed_temp_files`] tells `lib.rs` which, to report them;
//! - reads refuse files over [`MAX_INPUT_BYTES`] before allocating.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use crate::error::Error;

pub use crate::limits::MAX_INPUT_BYTES;

/// Prefix of the temporary files of [`write_atomic`].
pub const TEMP_PREFIX: &str = ".review-replay-";
/// Suffix of the temporary files of [`write_atomic`].
pub const TEMP_SUFFIX: &str = ".tmp";
/// Age past which a temporary file of ours is an orphan of a killed run: a live
/// write holds its temporary file for the time it takes to write one file.
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(10 * 60);

/// Directories already swept by this process, and what was removed from them.
static SWEPT: Mutex<(BTreeSet<PathBuf>, Vec<PathBuf>)> = Mutex::new((BTreeSet::new(), Vec::new()));

/// The stale temporary files removed so far by this process (see the module
/// docs), emptied by the call.
pub fn take_removed_temp_files() -> Vec<PathBuf> {
    match SWEPT.lock() {
        Ok(mut g) => std::mem::take(&mut g.1),
        Err(p) => std::mem::take(&mut p.into_inner().1),
    }
}

/// True for a name [`write_atomic`] gives its temporary files.
pub fn is_temp_name(name: &str) -> bool {
    name.len() > TEMP_PREFIX.len() + TEMP_SUFFIX.len()
        && name.starts_with(TEMP_PREFIX)
        && name.ends_with(TEMP_SUFFIX)
}

/// Removes our temporary files older than `age` from `dir`; returns them, sorted.
/// Best effort: what cannot be read or removed is left alone (the write that
/// follows reports real problems with the directory).
pub fn sweep_stale_temp_files(dir: &Path, age: Duration) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = SystemTime::now();
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_str().is_some_and(is_temp_name) {
            continue;
        }
        // symlink_metadata: a symlink with our name is not ours to judge.
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|d| d >= age);
        if meta.is_file() && old && std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed.sort();
    removed
}

/// Sweeps `dir` once per process.
fn sweep_once(dir: &Path) {
    let key = dir.to_path_buf();
    let mut guard = match SWEPT.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    if !guard.0.insert(key) {
        return;
    }
    let removed = sweep_stale_temp_files(dir, STALE_TEMP_AGE);
    guard.1.extend(removed);
}

/// Writes `contents` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    sweep_once(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(contents).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Reads a file, refusing files over [`MAX_INPUT_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    read_bytes_limited(path, MAX_INPUT_BYTES)
}

fn read_bytes_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    let n = read_bytes_reusing_limited(path, &mut bytes, limit)?;
    bytes.truncate(n);
    Ok(bytes)
}

/// [`read_bytes`] into `buf`, a buffer reused from file to file: returns the
/// file's length `n`, its bytes being `buf[..n]`. The errors are those of
/// [`read_bytes`], for the same files.
///
/// `check` reads a cassette and two golden files a round, each into a buffer
/// kept per thread rather than a new vector. A regular file is one `read`
/// into room for its size and one byte more, which stops at its end (the
/// standard `read_to_end`, not told the size, took three or four reads: 8 KiB,
/// then 16 KiB, then the rest, then the end); [`read_bytes`] reads the same
/// way. The vector's length is the room made so far and stays: bytes past
/// `n` are those of earlier files, so that room is initialised (zeroed) only
/// once, when the buffer grows, and not for every file.
pub fn read_bytes_reusing(path: &Path, buf: &mut Vec<u8>) -> Result<usize, Error> {
    read_bytes_reusing_limited(path, buf, MAX_INPUT_BYTES)
}

fn read_bytes_reusing_limited(path: &Path, buf: &mut Vec<u8>, limit: u64) -> Result<usize, Error> {
    use std::io::Read;
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    if meta.is_dir() {
        return Err(read_err(std::io::Error::other("is a directory")));
    }
    if meta.len() > limit {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit,
        });
    }
    // One open, and the size from the open file (a `stat` by path before each
    // read would be a system call for nothing). The size is a hint (the file
    // can change while it is read): the read stops one byte past the limit,
    // which tells that the file grew beyond it.
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let room = usize::try_from(meta.len())
        .unwrap_or(usize::MAX)
        .saturating_add(1)
        .min(cap);
    if buf.len() < room {
        buf.resize(room, 0);
    }
    let whole = usize::try_from(meta.len()).ok().filter(|_| meta.is_file());
    let mut n = 0;
    loop {
        if n == buf.len() {
            if n >= cap {
                break;
            }
            // The file grew while it was read: more room, as `read_to_end` makes.
            let more = n.saturating_mul(2).clamp(n + 1, cap);
            buf.resize(more, 0);
        }
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => {
                n += k;
                // A regular file that gave, asked for more, the size it had
                // when opened is read to its end: a read of a regular file
                // stops short only there. The read that would return 0 is a
                // system call for nothing (one in five of `check`'s). A file
                // grown since it was opened is read as it was then, as a
                // read racing its writer may be anyway.
                if whole == Some(n) && n < buf.len() {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(read_err(e)),
        }
    }
    if n as u64 > limit {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size: n as u64,
            limit,
        });
    }
    Ok(n)
}

/// Reads a UTF-8 text file, refusing files over [`MAX_INPUT_BYTES`].
pub fn read_text(path: &Path) -> Result<String, Error> {
    String::from_utf8(read_bytes(path)?).map_err(|e| Error::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })
}

/// [`read_text`] into `buf`, a buffer reused from file to file (see
/// [`read_bytes_reusing`]): the text is borrowed from it. `check` reads every
/// cassette so, rather than into a new string each.
pub fn read_text_reusing<'b>(path: &Path, buf: &'b mut Vec<u8>) -> Result<&'b str, Error> {
    let n = read_bytes_reusing(path, buf)?;
    std::str::from_utf8(&buf[..n]).map_err(|e| Error::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.valid_up_to(),
    })
}

/// Reads a markdown file (a review or a report) for a parser: [`read_text`],
/// then the markdown limits ([`crate::limits::check_markdown`]).
pub fn read_markdown(path: &Path) -> Result<String, Error> {
    let text = read_text(path)?;
    crate::limits::check_markdown(path, &text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_larger_than_its_size_said_is_refused_at_the_limit() {
        // A character device says it is empty and never ends: the read stops one
        // byte past the limit instead of filling memory.
        let dev = Path::new("/dev/zero");
        if !dev.exists() {
            eprintln!("no /dev/zero on this system: test skipped");
            return;
        }
        match read_bytes_limited(dev, 4096) {
            Err(Error::TooLarge { size, limit, .. }) => {
                assert_eq!((size, limit), (4097, 4096));
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    #[test]
    fn a_file_within_the_limit_is_read_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").expect("write");
        assert_eq!(read_bytes_limited(&path, 5).expect("read"), b"12345");
        assert!(matches!(
            read_bytes_limited(&path, 4),
            Err(Error::TooLarge {
                size: 5,
                limit: 4,
                ..
            })
        ));
    }

    #[test]
    fn write_atomic_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out.json");
        write_atomic(&target, b"one").expect("first write");
        write_atomic(&target, b"two").expect("second write");
        assert_eq!(std::fs::read(&target).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.json")]);
    }

    #[test]
    fn write_atomic_into_missing_directory_fails_with_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("missing").join("out.json");
        let err = write_atomic(&target, b"x").expect_err("must fail");
        assert!(err.to_string().contains("out.json"), "{err}");
    }

    #[test]
    fn read_text_rejects_binary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("bin.md");
        std::fs::write(&p, [0x66, 0xff, 0xfe]).expect("write");
        let err = read_text(&p).expect_err("binary");
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    #[test]
    fn files_over_the_limit_are_refused_by_size() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("big.json");
        std::fs::write(&p, [b'x'; 11]).expect("write");
        let err = read_bytes_limited(&p, 10).expect_err("too large");
        let msg = err.to_string();
        assert!(
            msg.contains("big.json") && msg.contains("11 bytes"),
            "{msg}"
        );
        assert_eq!(read_bytes_limited(&p, 11).expect("at the limit").len(), 11);
    }

    #[test]
    fn only_our_old_temp_files_are_swept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let old = SystemTime::now() - Duration::from_secs(3600);
        let set_old = |name: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, b"partial").expect("write");
            let f = std::fs::File::options().write(true).open(&p).expect("open");
            f.set_modified(old).expect("set mtime");
        };
        set_old(".review-replay-abc123.tmp");
        set_old(".review-replay-.tmp"); // not a name we give
        set_old("notes.tmp");
        set_old("round.md");
        std::fs::write(dir.path().join(".review-replay-young1.tmp"), b"live").expect("write");
        let removed = sweep_stale_temp_files(dir.path(), Duration::from_secs(60));
        assert_eq!(removed, vec![dir.path().join(".review-replay-abc123.tmp")]);
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".review-replay-.tmp",
                ".review-replay-young1.tmp",
                "notes.tmp",
                "round.md"
            ]
        );
    }

    /// How files were read before the buffer was reused: the reference of the
    /// property test below.
    fn read_bytes_by_read_to_end(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
        use std::io::Read;
        let read_err = |source| Error::Read {
            path: path.to_path_buf(),
            source,
        };
        // One open, and the size from the open file: `check` reads three files a
        // round, and a `stat` by path before each read was a system call for nothing.
        let mut file = std::fs::File::open(path).map_err(read_err)?;
        let meta = file.metadata().map_err(read_err)?;
        if meta.is_dir() {
            return Err(read_err(std::io::Error::other("is a directory")));
        }
        if meta.len() > limit {
            return Err(Error::TooLarge {
                path: path.to_path_buf(),
                size: meta.len(),
                limit,
            });
        }
        // The size is a hint (the file can change while it is read): `take` holds
        // the read to the limit, one byte past it tells that it grew beyond.
        let mut bytes =
            Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
        (&mut file)
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
        if bytes.len() as u64 > limit {
            return Err(Error::TooLarge {
                path: path.to_path_buf(),
                size: bytes.len() as u64,
                limit,
            });
        }
        Ok(bytes)
    }

    /// What `read_bytes_reusing_limited` gives, as `read_bytes_by_read_to_end`
    /// gives it (the error as its message).
    fn reusing(path: &Path, buf: &mut Vec<u8>, limit: u64) -> Result<Vec<u8>, String> {
        read_bytes_reusing_limited(path, buf, limit)
            .map(|n| buf[..n].to_vec())
            .map_err(|e| e.to_string())
    }

    proptest::proptest! {
        /// The reusing read gives every file's bytes, or its error, as the
        /// reading into a new vector does, whatever the buffer held before.
        #[test]
        fn reading_into_a_reused_buffer_is_reading_into_a_new_one(
            files in proptest::collection::vec(proptest::collection::vec(proptest::num::u8::ANY, 0..40), 1..6),
            start in proptest::collection::vec(proptest::num::u8::ANY, 0..50),
            limit in 0u64..45,
        ) {
            let dir = tempfile::tempdir().expect("tempdir");
            let mut buf = start;
            for (i, bytes) in files.iter().enumerate() {
                let p = dir.path().join(format!("f{i}"));
                std::fs::write(&p, bytes).expect("write");
                let old = read_bytes_by_read_to_end(&p, limit).map_err(|e| e.to_string());
                proptest::prop_assert_eq!(reusing(&p, &mut buf, limit), old);
                proptest::prop_assert_eq!(
                    read_text_reusing(&p, &mut buf).map(str::to_string).map_err(|e| e.to_string()),
                    read_text(&p).map_err(|e| e.to_string())
                );
            }
            let missing = dir.path().join("missing");
            proptest::prop_assert_eq!(
                reusing(&missing, &mut buf, limit),
                read_bytes_by_read_to_end(&missing, limit).map_err(|e| e.to_string())
            );
            proptest::prop_assert_eq!(
                reusing(dir.path(), &mut buf, limit),
                read_bytes_by_read_to_end(dir.path(), limit).map_err(|e| e.to_string())
            );
        }
    }

    #[test]
    fn a_reused_buffer_reads_a_file_larger_than_its_size_said_up_to_the_limit() {
        let dev = Path::new("/dev/zero");
        if !dev.exists() {
            eprintln!("no /dev/zero on this system: test skipped");
            return;
        }
        let mut buf = Vec::new();
        match read_bytes_reusing_limited(dev, &mut buf, 4096) {
            Err(Error::TooLarge { size, limit, .. }) => {
                assert_eq!((size, limit), (4097, 4096));
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    #[test]
    fn a_directory_is_not_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = read_bytes(dir.path()).expect_err("directory");
        assert!(err.to_string().contains("is a directory"), "{err}");
    }
}
