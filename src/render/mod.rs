//! Rendering: a [`crate::report::Report`] as markdown and JSON, the HTML
//! reports of `eval`, `reproduce` and `check`, and the progress lines of `record`.

pub mod html;
pub mod json;
pub mod markdown;
pub mod progress;
