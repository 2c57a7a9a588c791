//! The agent retro: per-agent counts of what each agent raised and what became of
//! it. Definitions are in `docs/metrics.md`; every count is over all passes.
//!
//! Invariants: one entry per agent key (reviewers of the round and agents with a
//! review), sorted by key; an agent without a review gets zeros.

use std::collections::{BTreeMap, BTreeSet};

use crate::consolidate::cluster::Item;
use crate::consolidate::engine::AgentReview;
use crate::consolidate::similarity::{normalize_path, same_file};
use crate::model::{CoverageStatus, Severity};
use crate::report::{AgentRetro, ConsolidatedFinding, SeverityCounts};

/// What became of one raw finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Part of a surviving consolidated finding of this severity.
    Kept(Severity),
    /// Dropped or moved, with the reason word.
    Removed(String),
}

/// Computes the retro of every agent.
pub fn retro(
    agents: &BTreeMap<String, Option<String>>,
    reviews: &[&AgentReview],
    items: &[Item],
    fates: &[Fate],
    findings: &[ConsolidatedFinding],
) -> Vec<AgentRetro> {
    let mut out = Vec::new();
    // Each finding's location paths, normalised once for every agent's
    // coverage misses rather than once per covered file.
    let finding_paths: Vec<Vec<String>> = findings
        .iter()
        .map(|f| {
            f.locations
                .iter()
                .map(|l| normalize_path(&l.path))
                .collect()
        })
        .collect();
    for (agent, model) in agents {
        let mine: Vec<&AgentReview> = reviews
            .iter()
            .copied()
            .filter(|r| &r.agent == agent)
            .collect();
        let mut raised = SeverityCounts::default();
        let (mut false_positives, mut downgraded, mut dropped) = (0, 0, 0);
        for (it, fate) in items.iter().zip(fates) {
            if it.agent != agent {
                continue;
            }
            match it.finding.severity {
                Severity::Critical => raised.critical += 1,
                Severity::Important => raised.important += 1,
                Severity::Suggestion => raised.suggestion += 1,
            }
            match fate {
                Fate::Kept(s) if *s < it.finding.severity => downgraded += 1,
                Fate::Kept(_) => {}
                Fate::Removed(reason) => {
                    dropped += 1;
                    if reason == "false-positive" {
                        false_positives += 1;
                    }
                }
            }
        }
        let unique_insights = findings
            .iter()
            .filter(|f| f.agents.len() == 1 && f.agents.first() == Some(agent))
            .count() as u32;
        let mut files = BTreeSet::new();
        let mut clean = BTreeSet::new();
        for r in &mine {
            for c in &r.review.coverage {
                let p = normalize_path(&c.path);
                if matches!(
                    c.status,
                    CoverageStatus::ReviewedNoIssues | CoverageStatus::Trivial
                ) {
                    clean.insert(p.clone());
                }
                files.insert(p);
            }
        }
        let coverage_misses = clean
            .iter()
            .filter(|p| {
                findings.iter().zip(&finding_paths).any(|(f, paths)| {
                    !f.agents.contains(agent) && paths.iter().any(|l| same_file(l, p))
                })
            })
            .count() as u32;
        let sum_f64 = mine
            .iter()
            .filter_map(|r| r.duration_s)
            .fold(None, |acc: Option<f64>, d| Some(acc.unwrap_or(0.0) + d));
        let sum_u32 = mine
            .iter()
            .filter_map(|r| r.tool_calls)
            .fold(None, |acc: Option<u32>, t| {
                Some(acc.unwrap_or(0).saturating_add(t))
            });
        out.push(AgentRetro {
            agent: agent.clone(),
            model: model.clone(),
            raised,
            design_observations: mine
                .iter()
                .map(|r| r.review.design_observations.len() as u32)
                .sum(),
            false_positives,
            unique_insights,
            files_reviewed: files.len() as u32,
            coverage_misses,
            downgraded,
            dropped,
            duration_s: sum_f64,
            tool_calls: sum_u32,
        });
    }
    out
}
