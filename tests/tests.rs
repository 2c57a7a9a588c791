//! Integration tests: one binary, one module per area. They drive the real
//! `review-replay` binary through [`common::Cmd`].

mod check;
mod common;
mod corpus;
mod derive;
mod ecosystem;
mod engine;
mod eval;
mod fidelity;
mod fixture_rounds;
mod html;
mod import;
mod parse;
// Stub agents are shell scripts; process groups are Unix.
#[cfg(unix)]
mod record;
mod reliability;
