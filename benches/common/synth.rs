//! Synthetic review rounds for the benchmarks: N rounds of three agents with
//! about twenty findings each, written in the shape of real agent reviews
//! (severity sections, numbered findings with a location and tags, design
//! observations, a coverage summary). The text is generated from word lists; it
//! copies nothing.
//!
//! Invariant: the output depends only on the seed and the index, so two runs
//! generate identical cassettes ([`self_check`], run by the smoke pass of
//! `cargo test --benches`).
//!
//! Bench-only: it lives with the benches (each includes it with `#[path]`), not
//! in the library's public surface.

use review_replay::cassette::{Cassette, Interaction, Reviewer, Role, RoundMeta, SCHEMA_V1};

const AGENTS: [(&str, &str); 3] = [
    ("claude", "Claude Opus 4.6"),
    ("codex", "Codex GPT 5.4"),
    ("gemini", "Gemini 3.1 Pro"),
];

const SUBJECTS: &[&str] = &[
    "reconciler",
    "watcher",
    "lease renewal",
    "socket listener",
    "config loader",
    "retry loop",
    "shutdown path",
    "cache eviction",
    "status writer",
    "log rotation",
    "port forwarder",
    "mount table",
    "image pull",
    "health probe",
    "event queue",
];
const PROBLEMS: &[&str] = &[
    "leaks a goroutine when the context is cancelled",
    "ignores the error from Close",
    "races with the status update",
    "retries forever on a permanent failure",
    "drops the last event on shutdown",
    "holds the lock across a network call",
    "never resets its backoff",
    "reads the file before it is fully written",
    "returns a stale value after reload",
    "logs the token in plain text",
];
const DIRS: &[&str] = &[
    "pkg/controllers",
    "pkg/daemon",
    "internal/vm",
    "cmd/rdd",
    "pkg/api",
];
const FILES: &[&str] = &[
    "reconciler.go",
    "watch.go",
    "server.go",
    "config.go",
    "lease.go",
];
const TAGS: &[&str] = &["regression", "gap", "enhancement"];

/// A small deterministic generator (xorshift), so no dependency is needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        let n = list.len().max(1) as u64;
        list.get((self.next() % n) as usize).copied().unwrap_or("")
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The id of synthetic round `index`.
pub fn round_id(index: usize) -> String {
    format!("20260101-{:06}-pr-{}", index, 100 + index)
}

/// One issue of a round, which several agents may raise in their own words.
struct Issue {
    subject: &'static str,
    problem: &'static str,
    location: String,
    severity: usize,
    tag: &'static str,
}

/// Generates synthetic round `index` with `findings` findings per agent. The
/// agents draw from one pool of issues, so about half of each agent's findings
/// are also raised by another agent (sometimes at another severity), as in real
/// rounds, and the engine has clusters to build.
pub fn cassette(index: usize, findings: usize) -> Cassette {
    let mut rng =
        Rng(0x9E37_79B9_7F4A_7C15 ^ (index as u64).wrapping_mul(0x2545_F491_4F6C_DD1D) | 1);
    let pool: Vec<Issue> = (0..findings * 3 / 2 + 1)
        .map(|_| Issue {
            subject: rng.pick(SUBJECTS),
            problem: rng.pick(PROBLEMS),
            location: location(&mut rng),
            severity: match rng.below(10) {
                0 => 0,
                1..=4 => 1,
                _ => 2,
            },
            tag: rng.pick(TAGS),
        })
        .collect();
    let interactions = AGENTS
        .iter()
        .map(|(agent, model)| Interaction {
            role: Role::Reviewer,
            agent: agent.to_string(),
            model: Some(model.to_string()),
            pass: 1,
            prompt: None,
            response: review(&mut rng, &pool, findings),
            duration_s: Some(120.0 + rng.below(400) as f64),
            tool_calls: Some(20 + rng.below(80) as u32),
            ..Interaction::default()
        })
        .collect();
    Cassette {
        schema: SCHEMA_V1.to_string(),
        round: RoundMeta {
            id: round_id(index),
            repo: Some("example/daemon".to_string()),
            pr: Some(100 + index as u32),
            title: Some(format!("Rework the {}", rng.pick(SUBJECTS))),
            round: Some(1),
            author: Some("dev".to_string()),
            branch: Some(format!("feature-{index}")),
            date: Some("2026-01-01 12:00".to_string()),
            commits: Vec::new(),
            reviewers: AGENTS
                .iter()
                .map(|(a, m)| Reviewer {
                    agent: a.to_string(),
                    model: m.to_string(),
                    effort: None,
                })
                .collect(),
            wall_clock_s: Some(600.0),
        },
        interactions,
        adjudications: Vec::new(),
        prior_resolutions: Vec::new(),
        reference: None,
        source: None,
    }
}

fn location(rng: &mut Rng) -> String {
    let start = 10 + rng.below(400);
    format!(
        "{}/{}:{}-{}",
        rng.pick(DIRS),
        rng.pick(FILES),
        start,
        start + rng.below(30)
    )
}

const SEVERITIES: [(&str, &str); 3] = [
    ("Critical Issues", "critical"),
    ("Important Issues", "important"),
    ("Suggestions", "suggestion"),
];

fn review(rng: &mut Rng, pool: &[Issue], findings: usize) -> String {
    // Pick `findings` distinct issues of the pool.
    let mut picked: Vec<usize> = (0..pool.len()).collect();
    for i in (1..picked.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        picked.swap(i, j);
    }
    picked.truncate(findings);
    picked.sort();
    // Agents disagree on severity now and then.
    let rated: Vec<(usize, &Issue)> = picked
        .iter()
        .filter_map(|&i| pool.get(i))
        .map(|issue| {
            let sev = match rng.below(8) {
                0 => issue.severity.saturating_sub(1),
                1 => (issue.severity + 1).min(2),
                _ => issue.severity,
            };
            (sev, issue)
        })
        .collect();
    let mut out = String::new();
    out.push_str("## Executive Summary\n\nThe change is mostly sound, with a few problems in error handling and shutdown.\n\n");
    for (level, (heading, sev)) in SEVERITIES.iter().enumerate() {
        out.push_str(&format!("### {heading}\n\n"));
        let mut n = 0;
        for (_, issue) in rated.iter().filter(|(s, _)| *s == level) {
            n += 1;
            let title = match rng.below(3) {
                0 => format!("The {} {}", issue.subject, issue.problem),
                1 => format!("{} {}", capitalise(issue.subject), issue.problem),
                _ => format!("The {} in this change {}", issue.subject, issue.problem),
            };
            out.push_str(&format!(
                "{n}. **{title}** — `{}` ({sev}, {})\n\n",
                issue.location, issue.tag
            ));
            out.push_str(&format!(
                "   When the {} is under load the {} {}; callers then see a partial state. \
                 This was introduced by the new code path in this change.\n\n",
                rng.pick(SUBJECTS),
                issue.subject,
                issue.problem
            ));
            out.push_str(&format!(
                "   **Fix:** handle the {} explicitly and add a test that covers it.\n\n",
                rng.pick(SUBJECTS)
            ));
        }
        if n == 0 {
            out.push_str("None.\n\n");
        }
    }
    out.push_str("### Design Observations\n\n**Concerns**\n\n");
    out.push_str(&format!(
        "- (future) The {} and the {} share state without a clear owner.\n\n**Strengths**\n\n- Small, focused commits.\n\n",
        rng.pick(SUBJECTS),
        rng.pick(SUBJECTS)
    ));
    out.push_str("### Testing Assessment\n\n1. No test covers the shutdown path.\n\n");
    out.push_str("### Coverage Summary\n\n| File | Status |\n|------|--------|\n");
    for _ in 0..4 {
        out.push_str(&format!(
            "| `{}/{}` | Reviewed, no issues |\n",
            rng.pick(DIRS),
            rng.pick(FILES)
        ));
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The generator's invariants: deterministic, valid cassettes, twenty findings
/// per review, and agents that raise some (not all) of the same issues.
pub fn self_check() -> Result<(), String> {
    let a = cassette(7, 20);
    if a != cassette(7, 20) || a == cassette(8, 20) {
        return Err("synthetic rounds are not a function of their index".into());
    }
    let back = Cassette::from_json(std::path::Path::new("x.json"), &a.to_json())
        .map_err(|e| e.to_string())?;
    if back != a || a.interactions.len() != 3 {
        return Err("a synthetic cassette does not survive its JSON".into());
    }
    let first = a
        .interactions
        .first()
        .map(|i| i.response.matches("** — `").count());
    if first != Some(20) {
        return Err(format!(
            "expected 20 findings in the first review, got {first:?}"
        ));
    }
    let c = cassette(3, 20);
    let locations = |i: usize| -> std::collections::BTreeSet<String> {
        c.interactions
            .get(i)
            .map(|x| {
                x.response
                    .split("** — `")
                    .skip(1)
                    .filter_map(|r| r.split('`').next())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let shared = locations(0).intersection(&locations(1)).count();
    if !(3..20).contains(&shared) {
        return Err(format!("{shared} shared findings between two agents"));
    }
    Ok(())
}
