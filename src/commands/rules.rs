//! `review-replay rules`: prints the built-in rules file, to copy and change.

use crate::consolidate::rules::DEFAULT_RULES_TOML;
use crate::error::Error;

/// Runs `review-replay rules`.
pub fn run() -> Result<u8, Error> {
    print!("{DEFAULT_RULES_TOML}");
    Ok(crate::EXIT_OK)
}
