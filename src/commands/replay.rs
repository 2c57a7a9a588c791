//! `review-replay replay`.

use crate::cli::ReplayArgs;
use crate::error::Error;

/// Runs `review-replay replay`.
pub fn run(_args: ReplayArgs) -> Result<u8, Error> {
    Err(Error::Other("`replay` is not implemented yet".into()))
}
