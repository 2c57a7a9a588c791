//! `review-replay eval`.

use crate::cli::EvalArgs;
use crate::error::Error;

/// Runs `review-replay eval`.
pub fn run(_args: EvalArgs) -> Result<u8, Error> {
    Err(Error::Other("`eval` is not implemented yet".into()))
}
