//! Integration tests: one binary, one module per area. They drive the real
//! `review-replay` binary through [`common::Cmd`].

mod check;
mod common;
mod corpus;
mod derive;
mod engine;
mod eval;
mod fixture_rounds;
mod import;
mod parse;
mod reliability;
