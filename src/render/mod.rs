//! Rendering a [`crate::report::Report`] as markdown and JSON, and the progress
//! lines of `record`.

pub mod json;
pub mod markdown;
pub mod progress;
