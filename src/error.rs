//! Errors of the library, one enum, printed in one place (`lib.rs::run`).
//!
//! Messages are lowercase fragments that name the file, and the line and column
//! where there is one, so that `error: <message>` reads well on its own.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong in review-replay.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },

    /// A file could not be written (through its temporary file and rename).
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },

    /// A file that must be text is not UTF-8.
    #[error("{}: not UTF-8 text (invalid byte at offset {offset})", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },

    /// A file is larger than review-replay accepts.
    #[error("{}: file is {size} bytes, more than the limit of {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },

    /// An input past one of the limits of `docs/limits.md`.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Limit {
        /// The file.
        path: PathBuf,
        /// 1-based line, where there is one.
        line: Option<usize>,
        /// Which limit, and by how much.
        message: String,
    },

    /// Malformed cassette JSON.
    #[error("{}:{line}:{column}: invalid cassette: {message}", path.display())]
    CassetteJson {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde said.
        message: String,
    },

    /// A cassette of a schema version this build cannot read.
    #[error("{}: unknown cassette schema `{found}`; this build reads {readable}", path.display())]
    UnknownSchema {
        /// The file.
        path: PathBuf,
        /// The schema it declares.
        found: String,
        /// The schemas this build reads, comma-separated.
        readable: String,
    },

    /// A deep-review report or raw round that cannot be imported.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Import {
        /// The file or directory.
        path: PathBuf,
        /// 1-based line, where there is one.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },

    /// Malformed `round.json` of a raw round directory.
    #[error("{}:{line}:{column}: invalid round.json: {message}", path.display())]
    RoundJson {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde said.
        message: String,
    },

    /// A rules file that cannot be used.
    #[error("{}: invalid rules: {message}", path.display())]
    Rules {
        /// The file.
        path: PathBuf,
        /// What is wrong, with line and column when known.
        message: String,
    },

    /// A malformed golden file, at a known position.
    #[error("{}:{line}:{column}: invalid golden file: {message}", path.display())]
    GoldenAt {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },

    /// An agents file (`record --agents`) that cannot be used.
    #[error("{}{}: invalid agents file: {message}", path.display(), position.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
    AgentsFile {
        /// The file.
        path: PathBuf,
        /// 1-based line and column, where there is one.
        position: Option<(usize, usize)>,
        /// What is wrong.
        message: String,
    },

    /// A prompt template that cannot be rendered.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Prompt {
        /// The prompt file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },

    /// Arguments that make no sense together.
    #[error("{0}")]
    Usage(String),

    /// Anything else, already phrased.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// True when the error is about how review-replay was called.
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Usage(_))
    }
}
