//! The consolidation engine: raw findings of several agents into one report.

pub mod engine;
pub mod rules;
