//! Evaluation: how close the engine comes to historical consolidations
//! (`reproduce`), and how two variants (cassette sets or rules files) compare
//! (`eval`), with bootstrap confidence intervals and gates.
//!
//! Every module here is pure: it takes reports and references and returns data;
//! only [`input`] touches files, and only the commands print.

pub mod bootstrap;
pub mod calibration;
pub mod compare;
pub mod fmt;
pub mod gate;
pub mod input;
pub mod matching;
pub mod metrics;
pub mod reproduce;
pub mod verdict_policy;
