//! Integration tests: one binary, one module per area. They drive the real
//! `review-replay` binary through [`common::Cmd`].

mod common;
mod parse;
