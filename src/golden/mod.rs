//! Golden files: comparing replayed reports with blessed ones, and blessing.
//!
//! - [`file`](mod@file): the golden file format and its stamp (cassette and rules hashes);
//! - [`select`]: which cassettes a run covers (discovery, filter, partition);
//! - [`run`]: replay, compare and write, in parallel with ordered results;
//! - [`diff`]: the finding-level diff printed for a changed round;
//! - [`stale`]: strict replay, interactions recorded with another prompt or failed;
//! - [`junit`]: JUnit XML for CI.

pub mod diff;
pub mod file;
pub mod junit;
pub mod run;
pub mod select;
pub mod stale;
