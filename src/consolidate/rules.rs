//! The rules file: thresholds and options of the engine, versioned TOML.

use std::path::Path;

use crate::error::Error;

/// The consolidation rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {}

/// The built-in default rules as text (what `review-replay rules` prints). Placeholder
/// until the engine lands; the harness hashes it to stamp golden files.
pub fn default_rules_text() -> &'static str {
    ""
}

impl Rules {
    /// Reads a rules file. Placeholder until the engine lands: checks that the file
    /// is readable text and returns the defaults.
    pub fn load(path: &Path) -> Result<Rules, Error> {
        crate::fsutil::read_text(path)?;
        Ok(Rules::default())
    }
}
