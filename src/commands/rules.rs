//! `review-replay rules`.

use crate::error::Error;

/// Runs `review-replay rules`.
pub fn run() -> Result<u8, Error> {
    Err(Error::Other("`rules` is not implemented yet".into()))
}
