//! `review-replay explain`.

use crate::cli::ExplainArgs;
use crate::error::Error;

/// Runs `review-replay explain`.
pub fn run(_args: ExplainArgs) -> Result<u8, Error> {
    Err(Error::Other("`explain` is not implemented yet".into()))
}
