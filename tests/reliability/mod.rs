//! Reliability: the invariants of ARCHITECTURE.md as tests that can fail.
//! Parsers never panic and report valid lines (`properties`), writes are atomic
//! under SIGKILL (`crash`), every input is bounded (`limits`), inputs never
//! write outside `--out` or `golden/` (`paths`), and no command opens a network
//! socket (`network`).

mod crash;
mod limits;
mod network;
mod paths;
mod properties;
