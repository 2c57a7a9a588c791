//! Rendering: a [`crate::report::Report`] as markdown and JSON, and the HTML
//! reports of `eval`, `reproduce` and `check`.

pub mod html;
pub mod json;
pub mod markdown;
