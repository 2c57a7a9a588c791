//! `review-replay import`.

use crate::cli::ImportArgs;
use crate::error::Error;

/// Runs `review-replay import`.
pub fn run(_args: ImportArgs) -> Result<u8, Error> {
    Err(Error::Other("`import` is not implemented yet".into()))
}
