//! Rendering a [`crate::report::Report`] as markdown and JSON.

pub mod json;
pub mod markdown;
