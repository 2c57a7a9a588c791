//! Record mode: run the reviewer agents of one round live and capture their
//! responses as a cassette (`review-replay record`, `docs/record.md`).
//!
//! [`agents`] reads the versioned agents file, [`prompt`] renders the prompt
//! template, [`runner`] runs one agent with a timeout that ends its whole
//! process group. The command itself (`commands::record`) plans, runs in
//! parallel, redacts ([`crate::redact`]) and writes.

pub mod agents;
pub mod prompt;
pub mod runner;
