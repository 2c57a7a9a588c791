//! The verdict ladder that history supports: `reproduce --calibration-rules`
//! proposes the `[verdict]` rules under which the ladder's answer, on the
//! findings each round ended with, agrees with the most historical verdicts.
//!
//! Invariants: the search is exhaustive over a small fixed grid, so the answer
//! does not depend on the order of the rounds; ties go to the ladder closest to
//! the built-in one (fewest keys changed), then to the first in grid order.

use crate::consolidate::rules::{Rules, VerdictRules};
use crate::consolidate::verdict;
use crate::report::{ConsolidatedFinding, FindingStatus, VerdictDecision};

/// One round: its open findings and the verdict history gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The findings the round ended with (recorded mode).
    pub findings: Vec<ConsolidatedFinding>,
    /// The historical verdict.
    pub reference: VerdictDecision,
}

impl Sample {
    /// A sample from a report's findings; only the open ones matter.
    pub fn new(findings: &[ConsolidatedFinding], reference: VerdictDecision) -> Sample {
        Sample {
            findings: findings
                .iter()
                .filter(|f| f.status == FindingStatus::Open)
                .cloned()
                .collect(),
            reference,
        }
    }
}

/// A proposed ladder and how it does.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The ladder.
    pub rules: VerdictRules,
    /// Rounds whose historical verdict it gives.
    pub agree: u32,
    /// Rounds with a historical verdict.
    pub rounds: u32,
    /// What the built-in ladder gives on the same rounds.
    pub default_agree: u32,
}

/// How many samples `rules` agrees with.
pub fn agreement(samples: &[Sample], rules: &VerdictRules) -> u32 {
    let n = samples
        .iter()
        .filter(|s| verdict::decide(&s.findings, rules).decision == s.reference)
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Every ladder the search considers, the built-in one first.
pub fn grid() -> Vec<VerdictRules> {
    let base = Rules::default().verdict;
    let mut out = vec![base.clone()];
    for rework_min_critical in [1, 2, 3, 0] {
        for rework_min_important in [0, 3, 4, 5, 6, 8] {
            for suggestions_only in [
                VerdictDecision::MergeAsIs,
                VerdictDecision::MergeWithFixes,
                VerdictDecision::MergeWithOptionalFixes,
            ] {
                for tags in [Vec::new(), vec!["regression".to_string()]] {
                    let r = VerdictRules {
                        rework_min_critical,
                        rework_min_important,
                        suggestions_only,
                        blocking_suggestion_tags: tags,
                    };
                    if r != base {
                        out.push(r);
                    }
                }
            }
        }
    }
    out
}

/// Keys of `r` that differ from the built-in ladder.
fn changed_keys(r: &VerdictRules) -> usize {
    let d = Rules::default().verdict;
    usize::from(r.rework_min_critical != d.rework_min_critical)
        + usize::from(r.rework_min_important != d.rework_min_important)
        + usize::from(r.suggestions_only != d.suggestions_only)
        + usize::from(r.blocking_suggestion_tags != d.blocking_suggestion_tags)
}

/// The ladder of the grid that agrees with the most samples.
pub fn propose(samples: &[Sample]) -> Proposal {
    let grid = grid();
    let default_agree = agreement(samples, &Rules::default().verdict);
    let mut best: Option<(u32, usize, VerdictRules)> = None;
    for r in grid {
        let agree = agreement(samples, &r);
        let better = match &best {
            None => true,
            Some((a, keys, _)) => agree > *a || agree == *a && changed_keys(&r) < *keys,
        };
        if better {
            best = Some((agree, changed_keys(&r), r));
        }
    }
    let (agree, _, rules) = best.unwrap_or((default_agree, 0, Rules::default().verdict));
    Proposal {
        rules,
        agree,
        rounds: u32::try_from(samples.len()).unwrap_or(u32::MAX),
        default_agree,
    }
}

impl Proposal {
    /// The proposal as a `[verdict]` section of a rules file.
    pub fn render_toml(&self) -> String {
        let r = &self.rules;
        let tags: Vec<String> = r
            .blocking_suggestion_tags
            .iter()
            .map(|t| format!("{t:?}"))
            .collect();
        format!(
            "\n# The verdict ladder that agrees with the most historical verdicts: {} of {} \
             rounds (the built-in ladder: {}).\n[verdict]\nrework_min_critical = {}\n\
             rework_min_important = {}\nsuggestions_only = \"{}\"\nblocking_suggestion_tags = [{}]\n",
            self.agree,
            self.rounds,
            self.default_agree,
            r.rework_min_critical,
            r.rework_min_important,
            r.suggestions_only.key(),
            tags.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    fn finding(severity: Severity, tag: Option<&str>) -> ConsolidatedFinding {
        ConsolidatedFinding {
            id: String::new(),
            severity,
            status: FindingStatus::Open,
            classification: tag.map(str::to_string),
            tags: vec![],
            title: "t".into(),
            locations: vec![],
            agents: vec!["claude".into()],
            sources: vec![],
            decisions: vec![],
            body: String::new(),
            fix: None,
            carried_from: None,
        }
    }

    #[test]
    fn the_built_in_ladder_wins_ties() {
        let samples = vec![
            Sample::new(
                &[finding(Severity::Critical, None)],
                VerdictDecision::Rework,
            ),
            Sample::new(
                &[finding(Severity::Important, None)],
                VerdictDecision::MergeWithFixes,
            ),
        ];
        let p = propose(&samples);
        assert_eq!(p.rules, Rules::default().verdict);
        assert_eq!((p.agree, p.rounds, p.default_agree), (2, 2, 2));
    }

    #[test]
    fn history_that_fixes_tagged_suggestions_gets_blocking_tags() {
        let samples = vec![
            Sample::new(
                &[finding(Severity::Suggestion, Some("regression"))],
                VerdictDecision::MergeWithFixes,
            ),
            Sample::new(
                &[finding(Severity::Suggestion, None)],
                VerdictDecision::MergeAsIs,
            ),
            Sample::new(
                &[finding(Severity::Critical, None)],
                VerdictDecision::Rework,
            ),
        ];
        let p = propose(&samples);
        assert_eq!(p.agree, 3);
        assert_eq!(p.default_agree, 2);
        assert_eq!(p.rules.blocking_suggestion_tags, ["regression"]);
        assert_eq!(p.rules.suggestions_only, VerdictDecision::MergeAsIs);
        let toml = p.render_toml();
        assert!(
            toml.contains("blocking_suggestion_tags = [\"regression\"]"),
            "{toml}"
        );
        // What it prints is a rules file the loader reads back.
        let rules = Rules::from_toml(
            std::path::Path::new("x.toml"),
            &format!("schema = \"review-replay/rules/v1\"\n{toml}"),
        )
        .expect("valid rules");
        assert_eq!(rules.verdict, p.rules);
    }
}
