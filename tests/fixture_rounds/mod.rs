//! Static checks of the authored raw rounds in `tests/fixtures/rounds/`.
//!
//! These rounds are the engine's executable spec (see the README there), so a
//! malformed `round.json`, a review file for an agent that is not a reviewer, or an
//! adjudication that points at nothing by accident would silently weaken every test
//! built on them. Only the deliberate cases named in the README are allowed: one
//! reviewer without a review (`*-missing-agent`) and one adjudication that matches no
//! finding (`*-adjudications`). The rounds must also be our own prose: no line of
//! them may appear verbatim in the real corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use review_replay::cassette::{PriorResolution, RawRef, RoundMeta};
use review_replay::model::Severity;
use serde::Deserialize;

use crate::common;

const ROUND_SCHEMA: &str = "review-replay/round/v1";
const AGENTS: [&str; 3] = ["claude", "codex", "gemini"];

/// `round.json`, as described in the brief; unknown fields are typos.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoundFile {
    schema: String,
    round: RoundMeta,
    #[serde(default)]
    agents: BTreeMap<String, AgentInfo>,
    #[serde(default)]
    adjudications: Vec<AdjudicationFile>,
    #[serde(default)]
    prior_resolutions: Vec<PriorResolution>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct AgentInfo {
    model: Option<String>,
    duration_s: Option<f64>,
    tool_calls: Option<u32>,
}

/// The JSON shape of `cassette::Adjudication`. Mirrored here because that type
/// combines `deny_unknown_fields` with `flatten`, which serde cannot deserialize
/// (it rejects its own `decision` field); see the fixtures README.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjudicationFile {
    about: Vec<RawRef>,
    decision: String,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    reason: String,
}

const DECISIONS: [&str; 8] = [
    "confirm",
    "set-severity",
    "false-positive",
    "pre-existing",
    "out-of-scope",
    "declined",
    "deferred",
    "fixed",
];

struct Round {
    dir: PathBuf,
    name: String,
    file: RoundFile,
    /// Review files by (agent, pass).
    reviews: BTreeMap<(String, u32), String>,
    /// Number of prompt files (`prompt.md`, `<agent>.prompt.md`).
    prompts: usize,
}

fn rounds_dir() -> PathBuf {
    common::repo_root()
        .join("tests")
        .join("fixtures")
        .join("rounds")
}

fn load_rounds() -> Vec<Round> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(rounds_dir())
        .expect("tests/fixtures/rounds is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter().map(|dir| load_round(&dir)).collect()
}

fn load_round(dir: &Path) -> Round {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .expect("utf-8 directory name")
        .to_string();
    let text = fs::read_to_string(dir.join("round.json"))
        .unwrap_or_else(|e| panic!("{name}/round.json: {e}"));
    let file: RoundFile =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}/round.json: {e}"));
    let mut reviews = BTreeMap::new();
    let mut prompts = 0;
    for entry in fs::read_dir(dir).expect("round directory is readable") {
        let path = entry.expect("directory entry").path();
        let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = file_name.strip_suffix(".md") else {
            continue;
        };
        // Prompts are inputs of the round, not reviews.
        if stem == "prompt" || stem.ends_with(".prompt") {
            prompts += 1;
            continue;
        }
        let (agent, pass) = match stem.split_once(".pass") {
            Some((agent, pass)) => (
                agent.to_string(),
                pass.parse::<u32>()
                    .unwrap_or_else(|_| panic!("{name}/{file_name}: bad pass number")),
            ),
            None => (stem.to_string(), 1),
        };
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}/{file_name}: {e}"));
        reviews.insert((agent, pass), text);
    }
    Round {
        dir: dir.to_path_buf(),
        name,
        file,
        reviews,
        prompts,
    }
}

#[test]
fn there_are_enough_rounds() {
    let rounds = load_rounds();
    assert!(rounds.len() >= 12, "only {} rounds", rounds.len());
    // Both prompt-file forms are exercised by some round.
    assert!(rounds.iter().map(|r| r.prompts).sum::<usize>() >= 2);
}

#[test]
fn round_files_are_well_formed() {
    let mut ids = BTreeSet::new();
    for r in load_rounds() {
        let name = &r.name;
        assert_eq!(r.file.schema, ROUND_SCHEMA, "{name}: schema");
        assert_eq!(
            r.file.round.id, *name,
            "{name}: round id must equal the directory name"
        );
        assert!(
            ids.insert(r.file.round.id.clone()),
            "{name}: duplicate round id"
        );
        assert!(r.file.round.pr.is_some(), "{name}: pr missing");
        assert!(r.file.round.round.is_some(), "{name}: round number missing");
        let mut seen = BTreeSet::new();
        for reviewer in &r.file.round.reviewers {
            assert!(
                AGENTS.contains(&reviewer.agent.as_str()),
                "{name}: agent {}",
                reviewer.agent
            );
            assert!(
                seen.insert(reviewer.agent.clone()),
                "{name}: reviewer listed twice"
            );
        }
        for agent in r.file.agents.keys() {
            assert!(
                seen.contains(agent),
                "{name}: agents.{agent} is not a reviewer"
            );
        }
    }
}

#[test]
fn every_review_file_belongs_to_a_reviewer_and_only_the_missing_agent_round_lacks_one() {
    let mut missing_total = 0;
    for r in load_rounds() {
        let name = &r.name;
        let reviewers: BTreeSet<&str> = r
            .file
            .round
            .reviewers
            .iter()
            .map(|rv| rv.agent.as_str())
            .collect();
        for ((agent, pass), text) in &r.reviews {
            assert!(
                reviewers.contains(agent.as_str()),
                "{name}: {agent}.md has no reviewer"
            );
            assert!(*pass >= 1, "{name}: pass 0");
            if *pass > 1 {
                assert!(
                    r.reviews.contains_key(&(agent.clone(), pass - 1)),
                    "{name}: {agent} pass {pass} without pass {}",
                    pass - 1
                );
            }
            assert!(
                !text.trim().is_empty(),
                "{name}: {agent} pass {pass} is empty"
            );
        }
        let missing: Vec<&str> = reviewers
            .iter()
            .copied()
            .filter(|a| !r.reviews.contains_key(&(a.to_string(), 1)))
            .collect();
        if name.ends_with("-missing-agent") {
            assert_eq!(
                missing.len(),
                1,
                "{name}: exactly one reviewer must be missing"
            );
        } else {
            assert!(
                missing.is_empty(),
                "{name}: reviewers without a review: {missing:?}"
            );
        }
        missing_total += missing.len();
    }
    assert_eq!(missing_total, 1);
}

/// True when the agent's review for that pass contains `id` as a whole word.
fn review_mentions_id(r: &Round, agent: &str, pass: u32, id: &str) -> bool {
    r.reviews
        .get(&(agent.to_string(), pass))
        .is_some_and(|text| {
            text.match_indices(id).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + id.len()..].chars().next();
                !before.is_some_and(|c| c.is_ascii_alphanumeric())
                    && !after.is_some_and(|c| c.is_ascii_alphanumeric())
            })
        })
}

#[test]
fn adjudications_point_at_raised_ids_except_the_deliberate_one() {
    let mut unmatched_total = 0;
    let mut decisions = BTreeSet::new();
    for r in load_rounds() {
        let name = &r.name;
        let mut unmatched = 0;
        for adj in &r.file.adjudications {
            assert!(
                !adj.reason.is_empty(),
                "{name}: adjudication without reason"
            );
            assert!(
                DECISIONS.contains(&adj.decision.as_str()),
                "{name}: unknown decision {}",
                adj.decision
            );
            assert_eq!(
                adj.severity.is_some(),
                adj.decision == "set-severity",
                "{name}: severity goes with set-severity and only with it"
            );
            decisions.insert(adj.decision.clone());
            for about in &adj.about {
                assert!(
                    AGENTS.contains(&about.agent.as_str()),
                    "{name}: agent {}",
                    about.agent
                );
                match (&about.id, about.ordinal) {
                    (Some(id), _) => {
                        if !review_mentions_id(&r, &about.agent, about.pass, id) {
                            unmatched += 1;
                        }
                    }
                    (None, Some(ordinal)) => assert!(ordinal >= 1, "{name}: ordinal 0"),
                    (None, None) => panic!("{name}: adjudication names neither id nor ordinal"),
                }
            }
        }
        if name.ends_with("-adjudications") {
            assert_eq!(
                unmatched, 1,
                "{name}: exactly one adjudication must match nothing"
            );
        } else {
            assert_eq!(
                unmatched, 0,
                "{name}: adjudication refers to an id no review raises"
            );
        }
        unmatched_total += unmatched;
    }
    assert_eq!(unmatched_total, 1);
    // Every decision kind is exercised somewhere.
    for kind in DECISIONS {
        assert!(decisions.contains(kind), "no adjudication of kind {kind}");
    }
}

#[test]
fn prior_resolutions_only_in_later_rounds_and_point_backwards() {
    let rounds = load_rounds();
    let mut with_prior = 0;
    for r in &rounds {
        let number = r.file.round.round.unwrap_or(1);
        for prior in &r.file.prior_resolutions {
            assert!(
                prior.round < number,
                "{}: prior round {} not earlier",
                r.name,
                prior.round
            );
            with_prior += 1;
        }
    }
    assert!(with_prior > 0, "no round exercises the prior-round gate");
}

#[test]
fn readme_lists_every_round() {
    let readme = fs::read_to_string(rounds_dir().join("README.md")).expect("README.md");
    for r in load_rounds() {
        assert!(
            readme.contains(&format!("`{}`", r.name)),
            "README does not list {}",
            r.name
        );
        assert!(r.dir.join("round.json").is_file());
    }
}

#[test]
fn no_line_is_copied_from_the_corpus() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let mut corpus_lines = BTreeSet::new();
    for entry in fs::read_dir(&corpus).expect("corpus is readable") {
        let path = entry.expect("directory entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("corpus file is utf-8");
        for line in text.lines() {
            let line = line.trim();
            if line.len() >= 40 {
                corpus_lines.insert(line.to_string());
            }
        }
    }
    for r in load_rounds() {
        for ((agent, pass), text) in &r.reviews {
            for line in text.lines() {
                assert!(
                    !corpus_lines.contains(line.trim()),
                    "{}: {agent} pass {pass} copies a corpus line: {line}",
                    r.name
                );
            }
        }
    }
}
mod expectations;
