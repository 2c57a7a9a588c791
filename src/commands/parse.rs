//! `review-replay parse`.

use crate::cli::ParseArgs;
use crate::error::Error;

/// Runs `review-replay parse`.
pub fn run(_args: ParseArgs) -> Result<u8, Error> {
    Err(Error::Other("`parse` is not implemented yet".into()))
}
