//! `review-replay check`.

use crate::cli::CheckArgs;
use crate::error::Error;

/// Runs `review-replay check`.
pub fn run(_args: CheckArgs, _bless: bool) -> Result<u8, Error> {
    Err(Error::Other("`check` is not implemented yet".into()))
}
