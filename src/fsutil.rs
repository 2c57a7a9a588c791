//! Writing files safely and reading them with limits.
//!
//! Invariant: every file review-replay writes goes through [`write_atomic`]: a
//! temporary file in the same directory, flushed, then renamed over the target. An
//! interruption leaves either the old file or the new one, never half of one.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Largest input file review-replay reads (256 MiB): a clear error beats running
/// out of memory on a wrong path.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

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
    let mut tmp = tempfile::Builder::new()
        .prefix(".review-replay-")
        .suffix(".tmp")
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
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
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
    std::fs::read(path).map_err(read_err)
}

/// Reads a UTF-8 text file, refusing files over [`MAX_INPUT_BYTES`].
pub fn read_text(path: &Path) -> Result<String, Error> {
    String::from_utf8(read_bytes(path)?).map_err(|e| Error::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_directory_is_not_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = read_bytes(dir.path()).expect_err("directory");
        assert!(err.to_string().contains("is a directory"), "{err}");
    }
}
