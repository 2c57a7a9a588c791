//! One-to-one matching of the engine's consolidated findings with a reference's.
//!
//! Every (engine, reference) pair gets a similarity score in `0..=1` built from three
//! signals: location overlap (same path, overlapping or nearby lines), the Jaccard
//! index of the credited agents, and the similarity of the titles' word sets. Pairs
//! at or above [`MatchConfig::threshold`] are assigned greedily, best score first;
//! ties are broken by engine position, then reference position, so the result never
//! depends on anything but the two lists.
//!
//! Invariants: each engine finding and each reference finding appears in at most one
//! pair; `pairs` are in engine order; `engine_only` and `reference_only` keep the
//! order of their input lists.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::cassette::Reference;
use crate::model::{Location, Severity};
use crate::report::{Report, VerdictDecision};

/// Tuning of the matcher.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchConfig {
    /// Lowest score that makes a pair.
    pub threshold: f64,
    /// Line distance under which two ranges of the same file still count as near.
    pub line_slack: u32,
}

impl Default for MatchConfig {
    fn default() -> MatchConfig {
        MatchConfig {
            threshold: 0.4,
            line_slack: 15,
        }
    }
}

// Weights of the signals. Agents alone can never reach the threshold: attribution is
// what we want to measure, not what should decide that two findings are the same.
const W_LOCATION: f64 = 0.5;
const W_TITLE: f64 = 0.35;
const W_AGENTS: f64 = 0.15;
// Without locations on one side, the title carries the decision.
const W_TITLE_NO_LOC: f64 = 0.8;
const W_AGENTS_NO_LOC: f64 = 0.2;

/// What the matcher needs to know about one finding of either side.
#[derive(Debug, Clone, Copy)]
pub struct FindingView<'a> {
    /// The finding's id (`I2`).
    pub id: &'a str,
    /// Its consolidated severity.
    pub severity: Severity,
    /// Its title.
    pub title: &'a str,
    /// Credited agent keys.
    pub agents: &'a [String],
    /// Cited locations.
    pub locations: &'a [Location],
}

/// How the credited agents of a matched pair compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attribution {
    /// The same set of agents.
    Exact,
    /// At least one agent in common, but not the same set.
    Partial,
    /// No agent in common.
    Disjoint,
}

/// A matched pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchedPair {
    /// Position in the engine's findings.
    #[serde(skip)]
    pub engine_index: usize,
    /// Position in the reference's findings.
    #[serde(skip)]
    pub reference_index: usize,
    /// The engine finding's id.
    pub engine_id: String,
    /// The reference finding's id.
    pub reference_id: String,
    /// The pair's similarity score.
    pub score: f64,
    /// The engine's severity.
    pub engine_severity: Severity,
    /// The reference's severity.
    pub reference_severity: Severity,
    /// True when both severities are equal.
    pub severity_agrees: bool,
    /// How the credited agents compare.
    pub attribution: Attribution,
}

/// A finding of one side that has no partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmatched {
    /// Its position in its list.
    #[serde(skip)]
    pub index: usize,
    /// Its id.
    pub id: String,
    /// Its severity.
    pub severity: Severity,
    /// Its title.
    pub title: String,
}

/// The engine verdict next to the reference verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerdictComparison {
    /// What the engine decided.
    pub engine: VerdictDecision,
    /// What the reference decided, when it had a verdict that could be read.
    pub reference: Option<VerdictDecision>,
    /// The reference verdict text when it could not be read as a decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_text: Option<String>,
    /// `Some(true)` when both agree, `None` when there is no readable reference verdict.
    pub agrees: Option<bool>,
    /// True when the engine's verdict is a recorded decision, not the ladder's.
    pub recorded: bool,
    /// What the verdict ladder of the rules answered (equal to `engine` unless
    /// `recorded`).
    pub rule: VerdictDecision,
    /// Whether the ladder's answer equals the reference verdict.
    pub rule_agrees: Option<bool>,
}

/// The result of matching one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundMatch {
    /// The round id.
    pub round: String,
    /// Verdicts side by side.
    pub verdict: VerdictComparison,
    /// Matched pairs, in engine order.
    pub pairs: Vec<MatchedPair>,
    /// Engine findings without a reference partner.
    pub engine_only: Vec<Unmatched>,
    /// Reference findings without an engine partner.
    pub reference_only: Vec<Unmatched>,
}

/// Matches a report against a reference.
pub fn match_report(report: &Report, reference: &Reference, config: &MatchConfig) -> RoundMatch {
    let engine: Vec<FindingView<'_>> = report
        .findings
        .iter()
        .map(|f| FindingView {
            id: &f.id,
            severity: f.severity,
            title: &f.title,
            agents: &f.agents,
            locations: &f.locations,
        })
        .collect();
    let refs: Vec<FindingView<'_>> = reference
        .findings
        .iter()
        .map(|f| FindingView {
            id: &f.id,
            severity: f.severity,
            title: &f.title,
            agents: &f.agents,
            locations: &f.locations,
        })
        .collect();
    let (pairs, engine_only, reference_only) = match_findings(&engine, &refs, config);

    let (reference_verdict, reference_text) = match &reference.verdict {
        None => (None, None),
        Some(v) => match VerdictDecision::from_text(&v.decision) {
            Some(d) => (Some(d), None),
            None => (None, Some(v.decision.clone())),
        },
    };
    let rule_decision = report
        .rule_verdict
        .as_ref()
        .map_or(report.verdict.decision, |v| v.decision);
    RoundMatch {
        round: report.round.id.clone(),
        verdict: VerdictComparison {
            engine: report.verdict.decision,
            reference: reference_verdict,
            reference_text,
            agrees: reference_verdict.map(|r| r == report.verdict.decision),
            recorded: report.rule_verdict.is_some(),
            rule: rule_decision,
            rule_agrees: reference_verdict.map(|r| r == rule_decision),
        },
        pairs,
        engine_only,
        reference_only,
    }
}

/// Matches two finding lists; returns pairs (engine order), engine-only and
/// reference-only findings (input order).
pub fn match_findings(
    engine: &[FindingView<'_>],
    reference: &[FindingView<'_>],
    config: &MatchConfig,
) -> (Vec<MatchedPair>, Vec<Unmatched>, Vec<Unmatched>) {
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (i, e) in engine.iter().enumerate() {
        for (j, r) in reference.iter().enumerate() {
            let s = score(e, r, config);
            if s >= config.threshold {
                candidates.push((s, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));

    let mut engine_taken = vec![false; engine.len()];
    let mut reference_taken = vec![false; reference.len()];
    let mut pairs = Vec::new();
    for (s, i, j) in candidates {
        let (Some(e), Some(r)) = (engine.get(i), reference.get(j)) else {
            continue;
        };
        if engine_taken.get(i).copied().unwrap_or(true)
            || reference_taken.get(j).copied().unwrap_or(true)
        {
            continue;
        }
        if let Some(t) = engine_taken.get_mut(i) {
            *t = true;
        }
        if let Some(t) = reference_taken.get_mut(j) {
            *t = true;
        }
        pairs.push(MatchedPair {
            engine_index: i,
            reference_index: j,
            engine_id: e.id.to_string(),
            reference_id: r.id.to_string(),
            score: s,
            engine_severity: e.severity,
            reference_severity: r.severity,
            severity_agrees: e.severity == r.severity,
            attribution: attribution(e.agents, r.agents),
        });
    }
    pairs.sort_by_key(|p| p.engine_index);
    let unmatched = |list: &[FindingView<'_>], taken: &[bool]| {
        list.iter()
            .enumerate()
            .filter(|(k, _)| !taken.get(*k).copied().unwrap_or(false))
            .map(|(k, f)| Unmatched {
                index: k,
                id: f.id.to_string(),
                severity: f.severity,
                title: f.title.to_string(),
            })
            .collect::<Vec<_>>()
    };
    let engine_only = unmatched(engine, &engine_taken);
    let reference_only = unmatched(reference, &reference_taken);
    (pairs, engine_only, reference_only)
}

/// The similarity of two findings, in `0..=1`.
///
/// Two findings whose titles share no word must point at overlapping lines: on the
/// corpus, "same file, a few lines apart, different words" was more often two
/// neighbouring issues than one issue reworded, so such pairs score 0.
pub fn score(a: &FindingView<'_>, b: &FindingView<'_>, config: &MatchConfig) -> f64 {
    let title = title_similarity(a.title, b.title);
    let agents = jaccard(a.agents, b.agents);
    match location_similarity(a.locations, b.locations, config.line_slack) {
        Some(loc) if title == 0.0 && loc < 1.0 => 0.0,
        Some(loc) => W_LOCATION * loc + W_TITLE * title + W_AGENTS * agents,
        None => W_TITLE_NO_LOC * title + W_AGENTS_NO_LOC * agents,
    }
}

/// Compares credited agent sets.
pub fn attribution(a: &[String], b: &[String]) -> Attribution {
    let a: BTreeSet<&str> = a.iter().map(String::as_str).collect();
    let b: BTreeSet<&str> = b.iter().map(String::as_str).collect();
    if a == b {
        Attribution::Exact
    } else if a.intersection(&b).next().is_some() {
        Attribution::Partial
    } else {
        Attribution::Disjoint
    }
}

/// The Jaccard index of two agent lists; two empty lists are identical.
pub fn jaccard(a: &[String], b: &[String]) -> f64 {
    let a: BTreeSet<&str> = a.iter().map(String::as_str).collect();
    let b: BTreeSet<&str> = b.iter().map(String::as_str).collect();
    let union = a.union(&b).count();
    if union == 0 {
        return 1.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// Best location agreement over all pairs of locations; `None` when either side
/// cites none (no evidence either way).
///
/// Same path with overlapping lines scores 1; nearby lines decay linearly to 0.5 at
/// `slack` lines apart; same path without line numbers on a side scores 0.7; same
/// path but far apart scores 0.2; different paths score 0.
pub fn location_similarity(a: &[Location], b: &[Location], slack: u32) -> Option<f64> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let mut best: f64 = 0.0;
    for x in a {
        for y in b {
            best = best.max(location_pair(x, y, slack));
        }
    }
    Some(best)
}

fn location_pair(x: &Location, y: &Location, slack: u32) -> f64 {
    if !same_path(&x.path, &y.path) {
        return 0.0;
    }
    let (Some(xs), Some(ys)) = (x.start, y.start) else {
        return 0.7;
    };
    let xe = x.end.unwrap_or(xs).max(xs);
    let ye = y.end.unwrap_or(ys).max(ys);
    // At most one of these is non-zero; both are zero when the ranges overlap.
    let gap = ys.saturating_sub(xe).max(xs.saturating_sub(ye));
    if gap == 0 {
        1.0
    } else if gap <= slack {
        1.0 - 0.5 * f64::from(gap) / f64::from(slack.max(1))
    } else {
        0.2
    }
}

// Reports cite paths with differing prefixes (`pkg/x.go` vs `x.go`): a path that is a
// whole-component suffix of the other names the same file.
fn same_path(a: &str, b: &str) -> bool {
    let a = a.trim_start_matches("./");
    let b = b.trim_start_matches("./");
    if a == b {
        return true;
    }
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    !short.is_empty() && long.ends_with(short) && long[..long.len() - short.len()].ends_with('/')
}

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "does", "for", "from", "has", "in",
    "is", "it", "its", "not", "of", "on", "or", "that", "the", "to", "when", "with", "without",
];

/// The word set of a title: lowercase alphanumeric runs (keeping `_`), stop words
/// removed, crude plural folding so `leaks` and `leak` agree.
pub fn title_tokens(title: &str) -> BTreeSet<String> {
    title
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .map(|w| {
            if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
                w[..w.len() - 1].to_string()
            } else {
                w
            }
        })
        .collect()
}

/// Dice coefficient of the titles' word sets; 0 when either has no words.
pub fn title_similarity(a: &str, b: &str) -> f64 {
    let a = title_tokens(a);
    let b = title_tokens(b);
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(&b).count() as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cassette::{ReferenceFinding, ReferenceVerdict, RoundMeta};
    use crate::report::{ConsolidatedFinding, FindingStatus, Verdict};

    fn loc(path: &str, start: u32, end: u32) -> Location {
        Location {
            path: path.into(),
            start: Some(start),
            end: Some(end),
        }
    }

    fn agents(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn engine_finding(
        id: &str,
        title: &str,
        ag: &[&str],
        locs: Vec<Location>,
    ) -> ConsolidatedFinding {
        let severity = id
            .chars()
            .next()
            .and_then(Severity::from_letter)
            .unwrap_or(Severity::Suggestion);
        ConsolidatedFinding {
            id: id.into(),
            severity,
            status: FindingStatus::Open,
            classification: None,
            tags: vec![],
            title: title.into(),
            locations: locs,
            agents: agents(ag),
            sources: vec![],
            decisions: vec![],
            body: String::new(),
            fix: None,
        }
    }

    fn ref_finding(id: &str, title: &str, ag: &[&str], locs: Vec<Location>) -> ReferenceFinding {
        ReferenceFinding {
            id: id.into(),
            severity: id
                .chars()
                .next()
                .and_then(Severity::from_letter)
                .unwrap_or(Severity::Suggestion),
            title: title.into(),
            agents: agents(ag),
            locations: locs,
            tags: vec![],
            carried_from: None,
        }
    }

    fn report(findings: Vec<ConsolidatedFinding>, decision: VerdictDecision) -> Report {
        Report {
            findings,
            ..Report::new(
                RoundMeta {
                    id: "r1".into(),
                    ..RoundMeta::default()
                },
                Verdict {
                    decision,
                    reason: String::new(),
                },
            )
        }
    }

    fn reference(findings: Vec<ReferenceFinding>, decision: Option<&str>) -> Reference {
        Reference {
            verdict: decision.map(|d| ReferenceVerdict {
                decision: d.into(),
                reason: String::new(),
            }),
            findings,
            retro: None,
            reconciliation: vec![],
        }
    }

    #[test]
    fn exact_findings_match_with_full_agreement() {
        let r = report(
            vec![engine_finding(
                "I1",
                "Socket leaked on error path",
                &["claude", "codex"],
                vec![loc("src/daemon.go", 40, 45)],
            )],
            VerdictDecision::MergeWithFixes,
        );
        let reference = reference(
            vec![ref_finding(
                "I1",
                "Socket leaked on error path",
                &["claude", "codex"],
                vec![loc("src/daemon.go", 40, 45)],
            )],
            Some("merge-with-fixes"),
        );
        let m = match_report(&r, &reference, &MatchConfig::default());
        assert_eq!(m.pairs.len(), 1);
        let p = &m.pairs[0];
        assert!((p.score - 1.0).abs() < 1e-12, "score {}", p.score);
        assert!(p.severity_agrees);
        assert_eq!(p.attribution, Attribution::Exact);
        assert!(m.engine_only.is_empty() && m.reference_only.is_empty());
        assert_eq!(m.verdict.agrees, Some(true));
    }

    #[test]
    fn shifted_lines_still_match_and_report_severity_and_partial_attribution() {
        let r = report(
            vec![engine_finding(
                "C1",
                "Race between shutdown and accept",
                &["claude"],
                vec![loc("pkg/server/server.go", 120, 124)],
            )],
            VerdictDecision::Rework,
        );
        let reference = reference(
            vec![ref_finding(
                "I3",
                "Race between shutdown and accept loop",
                &["claude", "gemini"],
                vec![loc("server/server.go", 130, 131)],
            )],
            Some("Merge with fixes — I3 must be fixed"),
        );
        let m = match_report(&r, &reference, &MatchConfig::default());
        assert_eq!(m.pairs.len(), 1, "{m:#?}");
        let p = &m.pairs[0];
        assert!(!p.severity_agrees);
        assert_eq!(p.engine_severity, Severity::Critical);
        assert_eq!(p.reference_severity, Severity::Important);
        assert_eq!(p.attribution, Attribution::Partial);
        assert_eq!(m.verdict.reference, Some(VerdictDecision::MergeWithFixes));
        assert_eq!(m.verdict.agrees, Some(false));
    }

    #[test]
    fn different_wording_at_same_place_matches() {
        let e = engine_finding(
            "I1",
            "Missing timeout on HTTP client",
            &["codex"],
            vec![loc("a/client.go", 10, 10)],
        );
        let rf = ref_finding(
            "I1",
            "Requests can hang forever",
            &["codex"],
            vec![loc("a/client.go", 9, 12)],
        );
        let m = match_report(
            &report(vec![e], VerdictDecision::MergeAsIs),
            &reference(vec![rf], None),
            &MatchConfig::default(),
        );
        assert_eq!(m.pairs.len(), 1, "{m:#?}");
        assert_eq!(m.verdict.agrees, None);
    }

    #[test]
    fn different_wording_a_few_lines_apart_needs_a_shared_word() {
        let (at10, at14) = ([loc("c.go", 10, 10)], [loc("c.go", 14, 14)]);
        let view = |title, locations| FindingView {
            id: "I1",
            severity: Severity::Important,
            title,
            agents: &[],
            locations,
        };
        let cfg = MatchConfig::default();
        let a = view("Missing timeout on HTTP client", &at10);
        assert_eq!(
            score(&a, &view("Requests can hang forever", &at14), &cfg),
            0.0
        );
        let b = view("Client requests can hang forever", &at14);
        assert!(score(&a, &b, &cfg) >= cfg.threshold);
    }

    #[test]
    fn unrelated_findings_do_not_match_even_with_same_agents() {
        let e = engine_finding(
            "I1",
            "Missing timeout on HTTP client",
            &["codex"],
            vec![loc("a/client.go", 10, 10)],
        );
        let rf = ref_finding(
            "I1",
            "Config file parsed twice",
            &["codex"],
            vec![loc("a/config.go", 10, 10)],
        );
        let m = match_report(
            &report(vec![e], VerdictDecision::MergeAsIs),
            &reference(vec![rf], None),
            &MatchConfig::default(),
        );
        assert!(m.pairs.is_empty());
        assert_eq!(m.engine_only.len(), 1);
        assert_eq!(m.reference_only.len(), 1);
        assert_eq!(m.reference_only[0].title, "Config file parsed twice");
    }

    #[test]
    fn same_file_far_apart_with_other_words_does_not_match() {
        let a = FindingView {
            id: "I1",
            severity: Severity::Important,
            title: "Leaked goroutine in watcher",
            agents: &[],
            locations: &[loc("w.go", 10, 12)],
        };
        let b = FindingView {
            id: "I1",
            severity: Severity::Important,
            title: "Error string not wrapped",
            agents: &[],
            locations: &[loc("w.go", 300, 301)],
        };
        let s = score(&a, &b, &MatchConfig::default());
        assert!(s < MatchConfig::default().threshold, "score {s}");
    }

    #[test]
    fn assignment_is_one_to_one_best_first() {
        // Two engine findings compete for one reference finding: the closer one wins,
        // the other stays engine-only; input order does not change the winner.
        let close = engine_finding("I1", "Nil map write", &["claude"], vec![loc("m.go", 5, 5)]);
        let far = engine_finding(
            "I2",
            "Nil map write",
            &["claude"],
            vec![loc("m.go", 18, 18)],
        );
        let rf = ref_finding("I1", "Nil map write", &["claude"], vec![loc("m.go", 5, 6)]);
        for order in [vec![close.clone(), far.clone()], vec![far, close]] {
            let m = match_report(
                &report(order, VerdictDecision::MergeAsIs),
                &reference(vec![rf.clone()], None),
                &MatchConfig::default(),
            );
            assert_eq!(m.pairs.len(), 1);
            assert_eq!(m.pairs[0].engine_id, "I1");
            assert_eq!(m.engine_only.len(), 1);
            assert_eq!(m.engine_only[0].id, "I2");
        }
    }

    #[test]
    fn findings_without_locations_match_on_title() {
        let e = engine_finding("S1", "Typo in log message", &["gemini"], vec![]);
        let rf = ref_finding("S2", "Typo in log message", &["claude"], vec![]);
        let m = match_report(
            &report(vec![e], VerdictDecision::MergeAsIs),
            &reference(vec![rf], None),
            &MatchConfig::default(),
        );
        assert_eq!(m.pairs.len(), 1);
        assert_eq!(m.pairs[0].attribution, Attribution::Disjoint);
    }

    #[test]
    fn reference_decision_reads_keys_labels_and_text() {
        assert_eq!(
            VerdictDecision::from_text("merge-with-fixes"),
            Some(VerdictDecision::MergeWithFixes)
        );
        assert_eq!(
            VerdictDecision::from_text("Merge as-is"),
            Some(VerdictDecision::MergeAsIs)
        );
        assert_eq!(
            VerdictDecision::from_text("**Rework** — C1 blocks"),
            Some(VerdictDecision::Rework)
        );
        assert_eq!(VerdictDecision::from_text("ship it?"), None);
        let m = match_report(
            &report(vec![], VerdictDecision::MergeAsIs),
            &reference(vec![], Some("ship it?")),
            &MatchConfig::default(),
        );
        assert_eq!(m.verdict.reference_text.as_deref(), Some("ship it?"));
        assert_eq!(m.verdict.agrees, None);
    }

    #[test]
    fn path_suffix_matching_needs_whole_components() {
        assert!(same_path("pkg/a/b.go", "a/b.go"));
        assert!(same_path("./a/b.go", "a/b.go"));
        assert!(!same_path("pkg/ab.go", "b.go"));
        assert!(!same_path("a.go", "b.go"));
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        /// Title, credited agents, and an optional (path, line).
        type Spec = (String, Vec<String>, Option<(String, u32)>);

        fn arb() -> impl Strategy<Value = Vec<Spec>> {
            let word =
                prop::sample::select(vec!["leak", "race", "nil", "timeout", "lock", "retry"]);
            let agent = prop::sample::select(vec!["claude", "codex", "gemini"]);
            let path = prop::sample::select(vec!["a.go", "b.go", "pkg/a.go"]);
            prop::collection::vec(
                (
                    prop::collection::vec(word, 1..4).prop_map(|w| w.join(" ")),
                    prop::collection::vec(agent.prop_map(str::to_string), 0..3),
                    prop::option::of((path.prop_map(str::to_string), 1u32..60)),
                ),
                0..7,
            )
        }

        proptest! {
            #[test]
            fn matching_is_one_to_one_and_covers_both_lists(e in arb(), r in arb()) {
                let eloc: Vec<Vec<Location>> = e.iter().map(|(_, _, l)| l.iter().map(|(p, s)| Location { path: p.clone(), start: Some(*s), end: Some(*s) }).collect()).collect();
                let rloc: Vec<Vec<Location>> = r.iter().map(|(_, _, l)| l.iter().map(|(p, s)| Location { path: p.clone(), start: Some(*s), end: Some(*s) }).collect()).collect();
                let ev: Vec<FindingView<'_>> = e.iter().zip(&eloc).map(|((t, a, _), l)| FindingView { id: "E", severity: Severity::Important, title: t, agents: a, locations: l }).collect();
                let rv: Vec<FindingView<'_>> = r.iter().zip(&rloc).map(|((t, a, _), l)| FindingView { id: "R", severity: Severity::Important, title: t, agents: a, locations: l }).collect();
                let cfg = MatchConfig::default();
                let (pairs, eo, ro) = match_findings(&ev, &rv, &cfg);
                prop_assert_eq!(pairs.len() + eo.len(), ev.len());
                prop_assert_eq!(pairs.len() + ro.len(), rv.len());
                let mut ei: Vec<usize> = pairs.iter().map(|p| p.engine_index).chain(eo.iter().map(|u| u.index)).collect();
                ei.sort_unstable();
                prop_assert_eq!(ei, (0..ev.len()).collect::<Vec<_>>());
                let mut ri: Vec<usize> = pairs.iter().map(|p| p.reference_index).chain(ro.iter().map(|u| u.index)).collect();
                ri.sort_unstable();
                prop_assert_eq!(ri, (0..rv.len()).collect::<Vec<_>>());
                for p in &pairs {
                    prop_assert!(p.score >= cfg.threshold && p.score <= 1.0 + 1e-12);
                }
                // Deterministic: the same lists give the same pairs.
                let (again, _, _) = match_findings(&ev, &rv, &cfg);
                prop_assert_eq!(pairs, again);
            }
        }
    }
}
