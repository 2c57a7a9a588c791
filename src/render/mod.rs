//! Rendering reports: markdown and JSON for people and golden files; SARIF,
//! GitHub annotations and reviewdog diagnostics for code-review tools, all three
//! built from the flat [`findings::Item`] view of a round; the self-contained HTML
//! reports of `eval`, `reproduce` and `check`; and the progress lines of `record`.

pub mod findings;
pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod progress;
pub mod rdjsonl;
pub mod sarif;
#[cfg(test)]
mod testing;
