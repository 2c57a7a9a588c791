//! The rules file: thresholds and options of the engine, versioned TOML.

/// The consolidation rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {}
