//! The consolidation engine: raw findings of several agents into one report.
//!
//! One module per concept: [`similarity`] (signals between two findings),
//! [`cluster`] (de-duplication), [`rules`] (the rules file), [`calibrate`]
//! (severity rules, prior-round gate, adjudications), [`verdict`], [`retro`]
//! (agent metrics) and [`engine`] (orchestration).

pub mod calibrate;
pub mod cluster;
pub mod engine;
pub mod retro;
pub mod rules;
pub mod similarity;
pub mod verdict;
