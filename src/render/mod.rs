//! Rendering reports: markdown and JSON for people and golden files; SARIF,
//! GitHub annotations and reviewdog diagnostics for code-review tools, all three
//! built from the flat [`findings::Item`] view of a round; and the progress lines
//! of `record`.

pub mod findings;
pub mod github;
pub mod json;
pub mod markdown;
pub mod progress;
pub mod rdjsonl;
pub mod sarif;
