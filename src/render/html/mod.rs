//! Self-contained HTML reports for `eval`, `reproduce` and `check`: one file
//! with inline CSS and SVG, no script, nothing loaded from anywhere, readable
//! with JavaScript off and in print. Commands build their results and call one
//! `render` function here; they write the string with `fsutil::write_atomic`.
//! The format is described in `docs/html.md`.

pub mod chart;
pub mod check;
pub mod eval;
pub mod page;
pub mod palette;
pub mod reproduce;
pub mod round;
