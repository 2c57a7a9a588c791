//! Resource limits on every input, checked at the boundaries (file reads, cassette
//! loading, before the markdown parsers run), and documented in `docs/limits.md`.
//!
//! Invariant: an input past a limit is a clear [`Error::Limit`] or
//! [`Error::TooLarge`] naming the file (and the line where there is one), never an
//! allocation failure or a run that does not end. The parsers themselves are
//! linear and non-recursive, so nesting needs no limit of its own in markdown;
//! JSON nesting is bounded by serde_json (128 levels), TOML by the toml crate.

use std::path::Path;

use crate::cassette::Cassette;
use crate::error::Error;

/// Largest file review-replay reads (256 MiB).
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Longest line of markdown (a review, a report, a recorded response): 1 MiB.
/// Real reviews stay under a few kilobytes a line; a longer line is a wrong file
/// (minified output, base64), and per-line work (locations, similarity) grows with it.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Most recorded interactions in one cassette. A round has a handful of
/// reviewers, each with one or two passes.
pub const MAX_INTERACTIONS: usize = 256;

/// Most raw findings consolidated in one round, over all reviews. Clustering
/// compares findings pairwise; real rounds have tens. Findings past the limit
/// are left out, in (agent, pass, ordinal) order, with a notice in the report.
pub const MAX_FINDINGS_PER_ROUND: usize = 2_000;

fn limit_error(path: &Path, line: Option<usize>, message: String) -> Error {
    Error::Limit {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// The first line (1-based) longer than [`MAX_LINE_BYTES`], with its length.
fn long_line(text: &str) -> Option<(usize, usize)> {
    // A text no longer than the limit holds no line longer than it.
    if text.len() <= MAX_LINE_BYTES {
        return None;
    }
    text.split('\n')
        .enumerate()
        .find(|(_, l)| l.len() > MAX_LINE_BYTES)
        .map(|(i, l)| (i + 1, l.len()))
}

/// Checks markdown read from `path` (a review or a report) before it is parsed.
pub fn check_markdown(path: &Path, text: &str) -> Result<(), Error> {
    match long_line(text) {
        Some((line, len)) => Err(limit_error(
            path,
            Some(line),
            format!("line is {len} bytes, more than the limit of {MAX_LINE_BYTES} bytes"),
        )),
        None => Ok(()),
    }
}

/// Checks a loaded cassette: number of interactions, and each recorded response
/// as markdown.
pub fn check_cassette(path: &Path, cassette: &Cassette) -> Result<(), Error> {
    let n = cassette.interactions.len();
    if n > MAX_INTERACTIONS {
        return Err(limit_error(
            path,
            None,
            format!("{n} interactions, more than the limit of {MAX_INTERACTIONS}"),
        ));
    }
    for (i, it) in cassette.interactions.iter().enumerate() {
        if let Some((line, len)) = long_line(&it.response) {
            return Err(limit_error(
                path,
                None,
                format!(
                    "interaction {} ({} pass {}): response line {line} is {len} bytes, more than the limit of {MAX_LINE_BYTES} bytes",
                    i + 1,
                    it.agent,
                    it.pass
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_at_the_limit_passes_and_one_byte_more_fails_with_its_line() {
        let at = "x".repeat(MAX_LINE_BYTES);
        assert!(check_markdown(Path::new("r.md"), &format!("a\n{at}\n")).is_ok());
        let over = format!("a\nb\n{at}y\n");
        let err = check_markdown(Path::new("r.md"), &over).expect_err("over");
        let msg = err.to_string();
        assert!(msg.starts_with("r.md:3: line is 1048577 bytes"), "{msg}");
    }
}
