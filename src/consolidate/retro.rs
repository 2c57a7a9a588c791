//! The agent retro: per-agent counts of what each agent raised and what became of
//! it. Definitions are in `docs/metrics.md`; every count is over all passes.
//!
//! Invariants: one entry per agent key (reviewers of the round and agents with a
//! review), sorted by key; an agent without a review gets zeros.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::consolidate::cluster::Item;
use crate::consolidate::engine::AgentReview;
use crate::consolidate::similarity::{is_normal_path, normalize_path, same_file};
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

/// What the raw findings and the consolidated findings say of one agent.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Tally {
    raised: SeverityCounts,
    false_positives: u32,
    downgraded: u32,
    dropped: u32,
    unique_insights: u32,
}

impl Tally {
    /// Counts one raw finding of the agent and what became of it.
    fn raw(&mut self, it: &Item, fate: &Fate) {
        match it.finding.severity {
            Severity::Critical => self.raised.critical += 1,
            Severity::Important => self.raised.important += 1,
            Severity::Suggestion => self.raised.suggestion += 1,
        }
        match fate {
            Fate::Kept(s) if *s < it.finding.severity => self.downgraded += 1,
            Fate::Kept(_) => {}
            Fate::Removed(reason) => {
                self.dropped += 1;
                if reason == "false-positive" {
                    self.false_positives += 1;
                }
            }
        }
    }
}

/// The tally of every agent key of `keys` (sorted), in one pass over the items
/// and one over the findings rather than one of each per agent.
fn tallies(
    keys: &[&str],
    items: &[Item],
    fates: &[Fate],
    findings: &[ConsolidatedFinding],
) -> Vec<Tally> {
    let mut out = vec![Tally::default(); keys.len()];
    // Items come review by review: the agent is looked up when it changes, and
    // the items of one review share their agent's string.
    let mut current: Option<(&str, Option<usize>)> = None;
    for (it, fate) in items.iter().zip(fates) {
        let k = match current {
            Some((a, k)) if std::ptr::eq(a, it.agent) || a == it.agent => k,
            _ => {
                let k = keys.binary_search(&it.agent).ok();
                current = Some((it.agent, k));
                k
            }
        };
        if let Some(t) = k.and_then(|k| out.get_mut(k)) {
            t.raw(it, fate);
        }
    }
    for f in findings {
        if let [only] = f.agents.as_slice()
            && let Ok(k) = keys.binary_search(&only.as_str())
        {
            out[k].unique_insights += 1;
        }
    }
    out
}

/// [`normalize_path`], borrowed when the path is already normal. Almost every
/// path is, and the retro normalises every coverage entry and every
/// finding's locations: a copy of each cost an allocation, a copy and a free.
fn normalized(path: &str) -> Cow<'_, str> {
    if is_normal_path(path) {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(normalize_path(path))
    }
}

/// The normalised files of an agent's coverage entries, and those it marked
/// clean (reviewed without issues, or trivial), each sorted without repeats.
fn covered<'a>(mine: &[&'a AgentReview]) -> (Vec<Cow<'a, str>>, Vec<Cow<'a, str>>) {
    let mut files = Vec::new();
    let mut clean = Vec::new();
    for r in mine {
        for c in &r.review.coverage {
            let p = normalized(&c.path);
            if matches!(
                c.status,
                CoverageStatus::ReviewedNoIssues | CoverageStatus::Trivial
            ) {
                clean.push(p.clone());
            }
            files.push(p);
        }
    }
    for v in [&mut files, &mut clean] {
        v.sort_unstable();
        v.dedup();
    }
    (files, clean)
}

/// Clean files of `agent` where a surviving finding it did not raise is located.
///
/// Each clean file is held to every finding path, but a path whose last eight
/// bytes differ from the file's cannot be the same file ([`Tail`]): one
/// integer compare refuses it, where [`same_file`] compared the texts (a
/// round's clean files meet some 60 finding paths each); a path of the same
/// tail in another folder is refused by one byte ([`slash_before_shorter`]).
/// Only a path that may be the file asks whether the agent raised its
/// finding.
fn coverage_misses(
    agent: &str,
    clean: &[Cow<str>],
    findings: &[ConsolidatedFinding],
    paths: &Paths,
) -> u32 {
    clean
        .iter()
        .filter(|p| {
            let tail = Tail::of(p);
            paths.paths.iter().any(|(l, t, i)| {
                tail.may_match(*t)
                    && slash_before_shorter(l, p)
                    && same_file(l, p)
                    && !findings[*i].agents.iter().any(|a| a == agent)
            })
        })
        .count() as u32
}

/// False when neither path can end the other after a `/`: paths of one
/// length, or the longer with a `/` just before the shorter's length from its
/// end. [`same_file`] needs one or the other; this reads one byte, where
/// [`same_file`] compared the shorter's bytes with the longer's end through
/// `memcmp` (paths of one file name in other folders, such as `pkg/watch.go`
/// and `internal/vm/watch.go`, end with the same eight bytes).
fn slash_before_shorter(a: &str, b: &str) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    long.len() == short.len() || long.as_bytes()[long.len() - short.len() - 1] == b'/'
}

/// The last eight bytes of a path, or `SHORT` for a path of fewer: two paths
/// that [`same_file`] holds the same end with the same eight bytes (the
/// shorter is the longer or its end after a `/`), unless one is that short.
/// Four bytes let through the paths of other file names of one ending
/// (`server.go` and `reconciler.go`, `lease.go` and `the.go`), each then
/// compared as text; a file name is about ten bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tail(u64);

impl Tail {
    /// Eight bytes of 0xFF, which no UTF-8 text holds: the tail of a path
    /// shorter than eight bytes.
    const SHORT: Tail = Tail(u64::MAX);

    fn of(path: &str) -> Tail {
        match path.as_bytes().last_chunk::<8>() {
            Some(t) => Tail(u64::from_le_bytes(*t)),
            None => Tail::SHORT,
        }
    }

    /// False when paths of these tails cannot be the same file.
    fn may_match(self, other: Tail) -> bool {
        self == other || self == Tail::SHORT || other == Tail::SHORT
    }
}

/// Computes the retro of every agent.
pub fn retro(
    agents: &BTreeMap<String, Option<String>>,
    reviews: &[&AgentReview],
    items: &[Item],
    fates: &[Fate],
    findings: &[ConsolidatedFinding],
) -> Vec<AgentRetro> {
    let keys: Vec<&str> = agents.keys().map(String::as_str).collect();
    let tallies = tallies(&keys, items, fates, findings);
    // Each finding's location paths, normalised once for every agent's
    // coverage misses rather than once per covered file, and only when some
    // agent marked a file clean.
    let finding_paths: std::cell::OnceCell<Paths> = std::cell::OnceCell::new();
    let mut out = Vec::with_capacity(agents.len());
    for ((agent, model), t) in agents.iter().zip(tallies) {
        let mine: Vec<&AgentReview> = reviews
            .iter()
            .copied()
            .filter(|r| &r.agent == agent)
            .collect();
        let (files, clean) = covered(&mine);
        let coverage_misses = if clean.is_empty() {
            0
        } else {
            let paths = finding_paths.get_or_init(|| Paths::of(findings));
            coverage_misses(agent, &clean, findings, paths)
        };
        out.push(agent_retro(
            agent,
            model,
            &mine,
            t,
            files.len(),
            coverage_misses,
        ));
    }
    out
}

/// Each finding's location paths, normalised: one vector for all the findings
/// (not one each), each path with its [`Tail`] and the finding it is of.
struct Paths<'a> {
    paths: Vec<(Cow<'a, str>, Tail, usize)>,
}

impl<'a> Paths<'a> {
    fn of(findings: &'a [ConsolidatedFinding]) -> Paths<'a> {
        let mut paths = Vec::with_capacity(findings.len());
        for (i, f) in findings.iter().enumerate() {
            paths.extend(f.locations.iter().map(|l| {
                let p = normalized(&l.path);
                let tail = Tail::of(&p);
                (p, tail, i)
            }));
        }
        Paths { paths }
    }
}

/// One agent's retro from its counts and its reviews.
fn agent_retro(
    agent: &str,
    model: &Option<String>,
    mine: &[&AgentReview],
    t: Tally,
    files: usize,
    coverage_misses: u32,
) -> AgentRetro {
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
    AgentRetro {
        agent: agent.to_string(),
        model: model.clone(),
        raised: t.raised,
        design_observations: mine
            .iter()
            .map(|r| r.review.design_observations.len() as u32)
            .sum(),
        false_positives: t.false_positives,
        unique_insights: t.unique_insights,
        files_reviewed: files as u32,
        coverage_misses,
        downgraded: t.downgraded,
        dropped: t.dropped,
        duration_s: sum_f64,
        tool_calls: sum_u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CoverageEntry, Location, ParsedReview, RawFinding};
    use crate::report::FindingStatus;
    use proptest::prelude::*;

    /// [`retro`] as it was: every agent's own pass over the items and the
    /// findings, sets for its files, every finding's paths normalised up front,
    /// each finding's agents read again for every clean file.
    fn retro_agent_by_agent(
        agents: &BTreeMap<String, Option<String>>,
        reviews: &[&AgentReview],
        items: &[Item],
        fates: &[Fate],
        findings: &[ConsolidatedFinding],
    ) -> Vec<AgentRetro> {
        let finding_paths: Vec<Vec<String>> = findings
            .iter()
            .map(|f| {
                f.locations
                    .iter()
                    .map(|l| normalize_path(&l.path))
                    .collect()
            })
            .collect();
        let mut out = Vec::new();
        for (agent, model) in agents {
            let mine: Vec<&AgentReview> = reviews
                .iter()
                .copied()
                .filter(|r| &r.agent == agent)
                .collect();
            let mut t = Tally::default();
            for (it, fate) in items.iter().zip(fates) {
                if it.agent == agent {
                    t.raw(it, fate);
                }
            }
            t.unique_insights = findings
                .iter()
                .filter(|f| f.agents.len() == 1 && f.agents.first() == Some(agent))
                .count() as u32;
            // The covered files are `covered`'s (sorted, without repeats, as
            // the sets this form kept them in): what the test holds to this
            // form is the one-pass tallies and misses.
            let (files, clean) = covered(&mine);
            let misses = clean
                .iter()
                .filter(|p| {
                    findings.iter().zip(&finding_paths).any(|(f, paths)| {
                        !f.agents.contains(agent) && paths.iter().any(|l| same_file(l, p))
                    })
                })
                .count() as u32;
            out.push(agent_retro(agent, model, &mine, t, files.len(), misses));
        }
        out
    }

    fn agent() -> impl Strategy<Value = String> {
        "[ab]{1,2}"
    }

    fn path() -> impl Strategy<Value = String> {
        proptest::sample::select(vec![
            "a.go",
            "x/a.go",
            "./x/A.go",
            "y/x/a.go",
            "",
            " b.rs",
            "a",
            "x/a",
            "/a",
            "go",
            "xa.go",
            "pkg/x/lease.go",
            "lease.go",
            "x/lease.go",
            "pkg/x/the.go",
            "xlease.go",
            "q/pkg/x/lease.go",
        ])
        .prop_map(str::to_string)
    }

    fn severity() -> impl Strategy<Value = Severity> {
        proptest::sample::select(Severity::ALL.to_vec())
    }

    fn review() -> impl Strategy<Value = AgentReview> {
        (
            agent(),
            1u32..3,
            proptest::collection::vec(severity(), 0..4),
            proptest::collection::vec((path(), 0u8..3), 0..4),
            proptest::option::of(1u32..9),
        )
            .prop_map(
                |(agent, pass, severities, coverage, tool_calls)| AgentReview {
                    agent,
                    pass,
                    model: None,
                    duration_s: tool_calls.map(f64::from),
                    tool_calls,
                    review: ParsedReview {
                        findings: severities
                            .into_iter()
                            .enumerate()
                            .map(|(i, severity)| RawFinding {
                                ordinal: i as u32 + 1,
                                raised_id: None,
                                severity,
                                classification: None,
                                tags: Vec::new(),
                                title: "t".into(),
                                locations: Vec::new(),
                                body: String::new(),
                                fix: None,
                                code_blocks: Vec::new(),
                                line: 1,
                            })
                            .collect(),
                        coverage: coverage
                            .into_iter()
                            .map(|(path, s)| CoverageEntry {
                                path,
                                status: match s {
                                    0 => CoverageStatus::ReviewedNoIssues,
                                    1 => CoverageStatus::Trivial,
                                    _ => CoverageStatus::Other("x".into()),
                                },
                            })
                            .collect(),
                        ..ParsedReview::default()
                    },
                    incomplete: None,
                },
            )
    }

    fn finding() -> impl Strategy<Value = ConsolidatedFinding> {
        (
            proptest::collection::vec(agent(), 0..3),
            proptest::collection::vec(path(), 0..3),
        )
            .prop_map(|(agents, paths)| ConsolidatedFinding {
                id: String::new(),
                severity: Severity::Important,
                status: FindingStatus::Open,
                classification: None,
                tags: Vec::new(),
                title: "t".into(),
                locations: paths
                    .into_iter()
                    .map(|path| Location {
                        path,
                        start: None,
                        end: None,
                    })
                    .collect(),
                agents,
                sources: Vec::new(),
                decisions: Vec::new(),
                body: String::new(),
                fix: None,
                carried_from: None,
            })
    }

    fn fate() -> impl Strategy<Value = Fate> {
        prop_oneof![
            severity().prop_map(Fate::Kept),
            proptest::sample::select(vec!["false-positive", "declined"])
                .prop_map(|r| Fate::Removed(r.to_string())),
        ]
    }

    #[test]
    fn paths_of_other_tails_are_never_the_same_file_around_eight_bytes() {
        // Every path of up to ten bytes of `a` and `/`: the eight bytes of
        // a tail, every length around them, a slash at every place of both.
        let paths: Vec<String> = (0..=10)
            .flat_map(|len| {
                (0u32..1 << len).map(move |bits| {
                    (0..len)
                        .map(|k| if bits >> k & 1 == 1 { '/' } else { 'a' })
                        .collect()
                })
            })
            .collect();
        for a in &paths {
            let tail = Tail::of(a);
            for b in &paths {
                if !tail.may_match(Tail::of(b)) || !slash_before_shorter(a, b) {
                    assert!(!same_file(a, b), "{a:?} {b:?}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn paths_of_other_tails_are_never_the_same_file(
            a in "[a./é]{0,13}",
            b in "[a./é]{0,13}",
        ) {
            if !Tail::of(&a).may_match(Tail::of(&b)) {
                prop_assert!(!same_file(&a, &b));
            }
        }

        #[test]
        fn paths_without_a_slash_before_the_shorter_are_never_the_same_file(
            a in "[a./]{0,9}",
            b in "[a./]{0,9}",
        ) {
            if !slash_before_shorter(&a, &b) {
                prop_assert!(!same_file(&a, &b));
            }
            prop_assert_eq!(slash_before_shorter(&a, &b), slash_before_shorter(&b, &a));
        }

        #[test]
        fn normalized_is_normalize_path(path in "( |`|\\.|/|\\\\|[aB]|é){0,12}") {
            prop_assert_eq!(normalized(&path).into_owned(), normalize_path(&path));
        }

        #[test]
        fn retro_is_the_agent_by_agent_retro(
            reviewers in proptest::collection::vec(agent(), 0..3),
            reviews in proptest::collection::vec(review(), 0..4),
            findings in proptest::collection::vec(finding(), 0..5),
            fates in proptest::collection::vec(fate(), 12),
        ) {
            let mut agents: BTreeMap<String, Option<String>> =
                reviewers.into_iter().map(|a| (a, Some("m".to_string()))).collect();
            for r in &reviews {
                agents.entry(r.agent.clone()).or_insert(None);
            }
            let reviews: Vec<&AgentReview> = reviews.iter().collect();
            let items: Vec<Item> = reviews
                .iter()
                .flat_map(|r| r.review.findings.iter().map(|f| Item::new(&r.agent, r.pass, f)))
                .collect();
            let fates = &fates[..items.len().min(fates.len())];
            prop_assert_eq!(
                retro(&agents, &reviews, &items, fates, &findings),
                retro_agent_by_agent(&agents, &reviews, &items, fates, &findings)
            );
        }
    }
}
