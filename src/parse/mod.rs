//! Parsing markdown: agent reviews, locations, and whole deep-review reports.
//!
//! Parsing never fails: every parser returns what it understood plus
//! [`crate::model::Diagnostic`]s with line numbers for what it did not.

pub mod completeness;
pub mod derive;
pub mod location;
pub mod markdown;
pub mod normalize;
pub mod promote;
pub mod report;
pub mod review;
pub mod wrappers;
