//! Runs the whole consolidation of one round into a [`Report`]: cluster the raw
//! findings, apply adjudications and the prior-round gate, calibrate severities,
//! number the findings, decide the verdict and score the agents.
//!
//! [`consolidate`] works on already-parsed reviews ([`AgentReview`]), so it can be
//! tested without the parser; [`replay`] parses a cassette's responses and calls it.
//!
//! Invariants: the report is a pure function of the inputs' content. Reviews are
//! sorted by (agent, pass) and findings by ordinal before anything else happens;
//! every list in the report has a defined order; no HashMap is iterated.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::cassette::{
    Adjudication, CarriedFrom, Cassette, Decision, ItemSection, PriorResolution, ResolutionStatus,
    RoundMeta,
};
use crate::consolidate::calibrate::{self, Removal, Resolved};
use crate::consolidate::cluster::{self, Item};
use crate::consolidate::retro::{self, Fate};
use crate::consolidate::rules::Rules;
use crate::consolidate::similarity::{BreakdownTexts, Permille};
use crate::consolidate::verdict;
use crate::model::{Incomplete, Location, ParsedReview, Severity};
use crate::parse::promote;
use crate::parse::review::parse_review;
use crate::report::{
    AttributedObservation, AttributedText, ConsolidatedFinding, DecisionRecord, Dropped,
    FindingStatus, IncompleteReview, MergedCoverage, Moved, REPORT_SCHEMA_V1, Report, Settled,
    SourceRef, Verdict, VerdictDecision,
};

/// How to replay a round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplayOptions {
    /// Ignore recorded adjudications.
    pub rules_only: bool,
}

/// One agent's parsed review of one pass, with its run metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentReview {
    /// Lowercase agent key.
    pub agent: String,
    /// Pass, 1-based.
    pub pass: u32,
    /// Model name, when known.
    pub model: Option<String>,
    /// Seconds the review took, when known.
    pub duration_s: Option<f64>,
    /// Tool calls, when known.
    pub tool_calls: Option<u32>,
    /// What the parser understood.
    pub review: ParsedReview,
    /// Set when the recorded review is not whole (from the cassette, or seen by
    /// the parser): its findings may be fewer than the agent raised.
    pub incomplete: Option<Incomplete>,
}

/// Replays one cassette under `rules`: parse every review, cluster, calibrate,
/// decide the verdict, score the agents.
pub fn replay(cassette: &Cassette, rules: &Rules, options: ReplayOptions) -> Report {
    replay_parsed(cassette, &reviews_of(cassette), rules, options)
}

/// Replays one cassette whose reviews are already parsed ([`reviews_of`]): callers
/// that replay a round several times (both modes, two rules files) parse it once.
pub fn replay_parsed(
    cassette: &Cassette,
    reviews: &[AgentReview],
    rules: &Rules,
    options: ReplayOptions,
) -> Report {
    let mut report = consolidate(
        &cassette.round,
        reviews,
        &cassette.adjudications,
        &cassette.prior_resolutions,
        rules,
        options,
    );
    report.notices.extend(failed_notices(cassette));
    report
}

/// One notice per interaction whose recording failed: it is not a review (an
/// empty one would read as "no findings"), but the report says it is missing.
fn failed_notices(cassette: &Cassette) -> Vec<String> {
    let mut failed: Vec<_> = cassette.failed().collect();
    failed.sort_by(|a, b| (&a.agent, a.pass).cmp(&(&b.agent, b.pass)));
    failed
        .iter()
        .map(|i| {
            format!(
                "no review from {} pass {}: recording failed ({})",
                i.agent,
                i.pass,
                i.failure.as_deref().unwrap_or_default()
            )
        })
        .collect()
}

/// Parses the reviewer interactions of a cassette.
pub fn reviews_of(cassette: &Cassette) -> Vec<AgentReview> {
    cassette
        .reviews()
        .map(|i| {
            let parsed = parse_review(&i.response, 1);
            AgentReview {
                agent: i.agent.trim().to_lowercase(),
                pass: i.pass,
                model: i.model.clone(),
                duration_s: i.duration_s,
                tool_calls: i.tool_calls,
                // The cassette's mark wins; without one (older cassettes), what
                // the parser sees in the text.
                incomplete: i.incomplete.clone().or(parsed.incomplete),
                review: parsed.review,
            }
        })
        .collect()
}

/// The raw findings of a round as clustering items, in (agent, pass, ordinal)
/// order, with the reviews they came from (sorted, duplicates removed).
pub fn items_of<'a>(
    reviews: &'a [AgentReview],
    notices: &mut Vec<String>,
) -> (Vec<&'a AgentReview>, Vec<Item<'a>>) {
    let mut sorted: Vec<&AgentReview> = reviews.iter().collect();
    sorted.sort_by(|a, b| (&a.agent, a.pass).cmp(&(&b.agent, b.pass)));
    let mut kept: Vec<&AgentReview> = Vec::new();
    for r in sorted {
        if kept.iter().any(|k| k.agent == r.agent && k.pass == r.pass) {
            notices.push(format!(
                "duplicate review of {} pass {}: only the first is used",
                r.agent, r.pass
            ));
            continue;
        }
        kept.push(r);
    }
    let limit = crate::limits::MAX_FINDINGS_PER_ROUND;
    // Sized once: an item holds a finding's features (over 200 bytes), and
    // growing the list by doubling copied a round's items five times.
    let total = kept.iter().map(|r| r.review.findings.len()).sum::<usize>();
    let mut items = Vec::with_capacity(total.min(limit));
    for r in &kept {
        let mut findings: Vec<&crate::model::RawFinding> = r.review.findings.iter().collect();
        findings.sort_by_key(|f| f.ordinal);
        let room = limit.saturating_sub(items.len());
        if findings.len() > room {
            // Clustering is pairwise: past the limit a round would not finish.
            notices.push(format!(
                "{} pass {}: {} of its {} findings left out: more than {limit} findings in the round (docs/limits.md)",
                r.agent,
                r.pass,
                findings.len() - room,
                findings.len()
            ));
            findings.truncate(room);
        }
        for f in findings {
            items.push(Item::new(&r.agent, r.pass, f));
        }
    }
    (kept, items)
}

fn source(it: &Item) -> SourceRef {
    SourceRef {
        agent: it.agent.to_string(),
        pass: it.pass,
        ordinal: it.finding.ordinal,
        raised_id: it.finding.raised_id.clone(),
        severity: it.finding.severity,
    }
}

/// The sources of `members`, sorted. `items` are in (agent, pass, ordinal)
/// order, as [`items_of`] gives them, so the members in index order are the
/// sources in order but for two of one review with the same ordinal (which
/// are then sorted): the indexes are sorted in `scratch` (cleared first),
/// integers where the sources' sort compared agent names.
fn sources(items: &[Item], members: &[usize], scratch: &mut Vec<usize>) -> Vec<SourceRef> {
    scratch.clear();
    scratch.extend_from_slice(members);
    scratch.sort_unstable();
    // Indexes past the items (which no cluster holds) are left out, as
    // `items.get` did: sorted, they are the last ones. The rest map to a
    // vector of their exact count.
    scratch.truncate(scratch.partition_point(|&i| i < items.len()));
    let mut s: Vec<SourceRef> = scratch.iter().map(|&i| source(&items[i])).collect();
    if s.windows(2)
        .any(|w| w[0].ordinal == w[1].ordinal && w[0].pass == w[1].pass && w[0].agent == w[1].agent)
    {
        s.sort();
    }
    s
}

/// Chooses the member whose text represents the cluster: most severe, then most
/// located, then longest body, then by content.
fn representative(items: &[Item], members: &[usize]) -> usize {
    let mut best = members.first().copied().unwrap_or(0);
    // The first member is the best so far, not a rival: comparing it with
    // itself would compare its whole text.
    for &m in members.iter().skip(1) {
        if represents_better(&items[m], &items[best]) {
            best = m;
        }
    }
    best
}

/// True when `a` represents a cluster better than `b` ([`representative`]'s
/// order).
fn represents_better(a: &Item, b: &Item) -> bool {
    let key = |it: &Item| {
        (
            Reverse(it.finding.severity),
            Reverse(it.finding.locations.len()),
            Reverse(it.finding.body.len()),
        )
    };
    (key(a), a.content_key()) < (key(b), b.content_key())
}

/// Union of the members' locations; a bare file name is replaced by the full path
/// another member gave for it. The members' locations are gathered in
/// `scratch` (cleared first): one vector for the round, not one a cluster.
fn merged_locations<'a>(
    items: &[Item<'a>],
    members: &[usize],
    scratch: &mut Vec<&'a Location>,
) -> Vec<Location> {
    scratch.clear();
    // Each member's locations in one step of known length, not one at a
    // time through a flattening iterator.
    for &i in members {
        scratch.extend(items[i].finding.locations.iter());
    }
    // The full paths matter only to a bare name: most clusters cite none, and
    // build no set, and sort their borrowed locations as they are.
    if scratch.iter().all(|l| has_slash(&l.path)) {
        return outermost(scratch);
    }
    outermost(&mut with_full_paths(scratch))
}

/// True when `path` holds a `/`: `str::contains`, read from the front.
/// Almost every path has its first slash within a few bytes, and
/// `contains` went through the general `memchr` (about 64 instructions a
/// location).
///
/// A path's first eight bytes are tested as one word, without a branch a
/// byte: where the loop stopped at the first slash (after three bytes in
/// `src/`, four in `pkg/`), its exit was a mispredicted branch for most
/// locations. The bytes after them (a longer first folder, such as
/// `internal/`), and a path of fewer, are read one by one.
// `contains` on bytes goes through `memchr`: the cost this avoids.
#[allow(clippy::manual_contains)]
fn has_slash(path: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = path.as_bytes();
    let Some(first) = b.first_chunk::<8>() else {
        return b.iter().any(|&c| c == b'/');
    };
    // A zero byte of `x` is a slash of the path, and `(x - ONES) & !x & HIGH`
    // is nonzero exactly when `x` has a zero byte.
    let x = u64::from_le_bytes(*first) ^ (ONES * u64::from(b'/'));
    x.wrapping_sub(ONES) & !x & HIGH != 0 || b[8..].iter().any(|&c| c == b'/')
}

/// The locations with each bare file name replaced by the one full path that
/// ends with it, if there is exactly one.
fn with_full_paths<'a>(all: &[&'a Location]) -> Vec<Cow<'a, Location>> {
    let full: BTreeSet<&str> = all
        .iter()
        .map(|l| l.path.as_str())
        .filter(|p| p.contains('/'))
        .collect();
    // Borrowed, and copied only when a bare name takes a full path or once kept.
    all.iter()
        .map(|&l| {
            if full.is_empty() || l.path.contains('/') {
                return Cow::Borrowed(l);
            }
            let suffix = format!("/{}", l.path);
            let hits: Vec<&&str> = full.iter().filter(|p| p.ends_with(&suffix)).collect();
            match hits.as_slice() {
                [only] => Cow::Owned(Location {
                    path: (**only).to_string(),
                    start: l.start,
                    end: l.end,
                }),
                _ => Cow::Borrowed(l),
            }
        })
        .collect()
}

/// The locations sorted, without repeats, and without a range that another
/// range of the same file contains (it adds nothing). Sorted in place.
///
/// A single location (half the clusters: one member with one location) is
/// copied as it is: compared with itself it took two path compares. A pair
/// of locations compares its ranges first and its paths only when one range
/// holds the other: for the same path, `a != b` is a difference of ranges.
fn outermost<L: std::ops::Deref<Target = Location> + Ord>(out: &mut Vec<L>) -> Vec<Location> {
    if let [only] = out.as_slice() {
        return vec![Location::clone(only)];
    }
    out.sort();
    out.dedup();
    let contains = |a: &Location, b: &Location| {
        (a.start, a.end) != (b.start, b.end)
            && match (a.start, a.end, b.start, b.end) {
                (Some(s1), Some(e1), Some(s2), Some(e2)) => s1 <= s2 && e2 <= e1,
                (_, _, None, None) => a.start.is_some(),
                _ => false,
            }
            && a.path == b.path
    };
    out.iter()
        .filter(|b| !out.iter().any(|a| contains(a, b)))
        .map(|l| Location::clone(l))
        .collect()
}

/// The per-cluster decisions of one round, and what they produce.
struct Work<'a> {
    items: &'a [Item<'a>],
    resolved: &'a [Resolved],
    priors: &'a [&'a PriorResolution],
    rules: &'a Rules,
    /// What became of each item, for the retro.
    fates: Vec<Fate>,
    findings: Vec<ConsolidatedFinding>,
    moved: Vec<Moved>,
    dropped: Vec<Dropped>,
    notices: Vec<String>,
    /// Numbers of the adjudications that decided something.
    applied: BTreeSet<usize>,
    /// Positions in `priors` of the earlier items a cluster of this round matched.
    matched_priors: BTreeSet<usize>,
    /// Whether any adjudication removes raw findings: most rounds have none, and
    /// their clusters keep every member without a lookup each.
    removes: bool,
    /// Each agent's severity in the cluster at hand: one vector for the round,
    /// refilled per cluster, not one each. `severity` fills it and
    /// `finding`, called next for the same members, reads their agents there.
    per_agent: Vec<(&'a str, Severity)>,
    /// ` ≥ 0.600 = `: the threshold's part of every union's trail, made
    /// once for the round rather than written in three pieces per union.
    reaches_threshold: String,
    /// The weights' texts of the breakdown in every union's trail, likewise.
    breakdown: BreakdownTexts,
    /// The members' tags of the cluster at hand, to be sorted: one vector
    /// for the round, refilled per cluster, not one each.
    tags: Vec<&'a str>,
    /// The members' locations of the cluster at hand, likewise.
    locations: Vec<&'a Location>,
    /// The members of the cluster at hand in index order, likewise.
    members: Vec<usize>,
}

/// ` ≥ 0.600 = `: what follows a union's score in its trail, before the
/// breakdown. Written, not `format!`ted: it is made for every round.
fn reaches_threshold(threshold: u32) -> String {
    let mut text = String::with_capacity(16);
    text.push_str(" ≥ ");
    let _ = Permille(threshold).write_to(&mut text);
    text.push_str(" = ");
    text
}

fn record(rule: &'static str, detail: String) -> DecisionRecord {
    DecisionRecord {
        rule: Cow::Borrowed(rule),
        detail,
    }
}

/// ` — reason`, or nothing for an empty reason.
fn because(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(" — {reason}")
    }
}

impl Work<'_> {
    /// Decides one cluster: removals, the prior-round gate, severity and status;
    /// pushes the surviving finding (not yet numbered), if any.
    fn cluster(&mut self, c: &cluster::Cluster) {
        let mut decisions = self.cluster_trail(c);
        let remaining = self.remove_adjudicated(c, &mut decisions);
        if remaining.is_empty() {
            return;
        }
        // Cluster-level adjudications: about any remaining member.
        let adjudicated: Vec<&Resolved> = self
            .resolved
            .iter()
            .filter(|r| Removal::of(&r.decision).is_none())
            .filter(|r| r.items.iter().any(|i| remaining.contains(i)))
            .collect();
        let Some(mut status) = self.prior_gate(&remaining, !adjudicated.is_empty(), &mut decisions)
        else {
            return;
        };
        let severity = self.severity(&remaining, &adjudicated, &mut decisions);
        if let Some(s) = status_of(&adjudicated, &mut decisions, &mut self.applied) {
            status = s;
        }
        for &m in remaining.iter() {
            self.fates[m] = Fate::Kept(severity);
        }
        let finding = self.finding(&remaining, severity, status, decisions);
        self.findings.push(finding);
    }

    /// The `cluster` records: every union with its score breakdown.
    fn cluster_trail(&self, c: &cluster::Cluster) -> Vec<DecisionRecord> {
        let items = self.items;
        let rules = &self.rules.cluster;
        // Room for the records every cluster adds after the unions (single
        // source, severity rule, and a few more), so they do not regrow it.
        let mut decisions: Vec<DecisionRecord> = Vec::with_capacity(c.merges.len() + 4);
        decisions.extend(c.merges.iter().map(|m| {
            // Written piece by piece into one string: this runs for every union.
            let mut detail = String::with_capacity(160);
            detail.push_str("merged ");
            items[m.a].push_label(&mut detail);
            detail.push_str(" with ");
            items[m.b].push_label(&mut detail);
            match m.by_adjudication {
                Some(n) => {
                    let by = self
                        .resolved
                        .iter()
                        .find(|r| r.number == n)
                        .map(Resolved::label)
                        .unwrap_or_else(|| format!("adjudication #{n}"));
                    let _ = write!(
                        detail,
                        ": grouped by {by} (score {} = {})",
                        Permille(m.score),
                        m.signals.breakdown_display(rules)
                    );
                }
                None => {
                    detail.push_str(": score ");
                    let _ = Permille(m.score).write_to(&mut detail);
                    detail.push_str(&self.reaches_threshold);
                    m.signals.write_breakdown(&self.breakdown, &mut detail);
                }
            }
            record("cluster", detail)
        }));
        if let [only] = c.members.as_slice() {
            let mut detail = String::with_capacity(40);
            detail.push_str("single source ");
            items[*only].push_label(&mut detail);
            decisions.push(record("cluster", detail));
        }
        decisions
    }

    /// Takes the raw findings named by removal adjudications out of the cluster
    /// (into `dropped` / `moved`) and returns the members that remain.
    fn remove_adjudicated<'c>(
        &mut self,
        c: &'c cluster::Cluster,
        decisions: &mut Vec<DecisionRecord>,
    ) -> Cow<'c, [usize]> {
        if !self.removes {
            return Cow::Borrowed(&c.members);
        }
        let items = self.items;
        let mut removed: BTreeMap<Removal, (Vec<usize>, BTreeSet<usize>)> = BTreeMap::new();
        let mut remaining = Vec::with_capacity(c.members.len());
        for &m in &c.members {
            let Some((kind, by)) = calibrate::removal_of(m, self.resolved) else {
                remaining.push(m);
                continue;
            };
            if by.len() > 1 {
                let names: Vec<String> = by.iter().map(|r| r.label()).collect();
                self.notices.push(format!(
                    "conflicting adjudications for {}: {}; {} wins by precedence",
                    items[m].label(),
                    names.join(", "),
                    kind.as_str()
                ));
            }
            let e = removed.entry(kind).or_default();
            e.0.push(m);
            if let Some(first) = by.first() {
                e.1.insert(first.number);
                self.applied.insert(first.number);
            }
            self.fates[m] = Fate::Removed(kind.as_str().to_string());
        }
        for (kind, (members, numbers)) in &removed {
            let rep = representative(items, members);
            let detail = self
                .resolved
                .iter()
                .filter(|r| numbers.contains(&r.number))
                .map(|r| match r.reason.as_str() {
                    "" => r.label(),
                    why => format!("{}: {why}", r.label()),
                })
                .collect::<Vec<_>>()
                .join("; ");
            let sources = sources(items, members, &mut self.members);
            let title = items[rep].finding.title.clone();
            if kind.is_move() {
                self.moved.push(Moved {
                    sources,
                    title,
                    to: "design-observation".into(),
                    reason: format!("{} — {detail}", kind.as_str()),
                });
            } else {
                self.dropped.push(Dropped {
                    sources,
                    title,
                    reason: kind.as_str().into(),
                    detail,
                });
            }
        }
        if !removed.is_empty() && !remaining.is_empty() {
            let gone: Vec<String> = removed
                .iter()
                .flat_map(|(k, (ms, _))| {
                    ms.iter()
                        .map(move |&m| format!("{} ({})", items[m].label(), k.as_str()))
                })
                .collect();
            decisions.push(record(
                "adjudication",
                format!("removed from the cluster: {}", gone.join(", ")),
            ));
        }
        Cow::Owned(remaining)
    }

    /// The prior-round gate. Returns the status the finding starts with, or `None`
    /// when it re-raises a declined item and was dropped. A recorded adjudication
    /// wins over the gate.
    fn prior_gate(
        &mut self,
        remaining: &[usize],
        adjudicated: bool,
        decisions: &mut Vec<DecisionRecord>,
    ) -> Option<FindingStatus> {
        let mut status = FindingStatus::Open;
        // Without earlier items nothing can match: no members to gather.
        if !self.rules.prior.enabled || self.priors.is_empty() {
            return Some(status);
        }
        let members: Vec<&Item> = remaining.iter().map(|&i| &self.items[i]).collect();
        let mut declined_by = None;
        for (k, p) in self.priors.iter().enumerate() {
            let Some(evidence) = calibrate::prior_match(&members, p, &self.rules.prior) else {
                continue;
            };
            self.matched_priors.insert(k);
            let what = format!(
                "matches round {} {} \"{}\" ({}): {evidence}",
                p.round,
                p.id,
                p.title,
                calibrate::status_name(p.status)
            );
            match p.status {
                ResolutionStatus::Declined if declined_by.is_none() => {
                    declined_by = Some((what, p.reason.clone()));
                }
                ResolutionStatus::Deferred if self.rules.prior.deferred_stays_deferred => {
                    status = FindingStatus::Deferred;
                    decisions.push(record("prior-round", format!("{what}; stays deferred")));
                }
                _ => decisions.push(record("prior-round", format!("{what}; noted, no effect"))),
            }
        }
        let Some((what, reason)) = declined_by else {
            return Some(status);
        };
        if adjudicated {
            decisions.push(record(
                "prior-round",
                format!("{what}; not dropped: a recorded adjudication wins"),
            ));
            return Some(status);
        }
        for &m in remaining {
            self.fates[m] = Fate::Removed("declined".into());
        }
        let mut detail = format!("prior-round: {what}");
        if !reason.is_empty() {
            detail.push_str(&format!("; author: {reason}"));
        }
        let rep = representative(self.items, remaining);
        self.dropped.push(Dropped {
            sources: sources(self.items, remaining, &mut self.members),
            title: self.items[rep].finding.title.clone(),
            reason: "declined".into(),
            detail,
        });
        None
    }

    /// Severity: the single-agent or consensus rule, lone critical, then
    /// `set-severity` adjudications (the highest wins a conflict).
    fn severity(
        &mut self,
        remaining: &[usize],
        adjudicated: &[&Resolved],
        decisions: &mut Vec<DecisionRecord>,
    ) -> Severity {
        let items = self.items;
        let mut agents = std::mem::take(&mut self.per_agent);
        calibrate::per_agent(remaining.iter().map(|&i| &items[i]), &mut agents);
        let (mut severity, rec) = calibrate::rule_severity(&agents, &self.rules.severity);
        decisions.push(rec);
        let confirmed = adjudicated
            .iter()
            .any(|r| matches!(r.decision, Decision::Confirm | Decision::SetSeverity { .. }));
        if let Some((s, rec)) = calibrate::lone_critical(severity, &agents, confirmed, self.rules) {
            severity = s;
            decisions.push(rec);
        }
        if let Some((s, rec)) = calibrate::lone_important(severity, &agents, confirmed, self.rules)
        {
            severity = s;
            decisions.push(rec);
        }
        self.per_agent = agents;
        let set: Vec<(&Resolved, Severity)> = adjudicated
            .iter()
            .filter_map(|r| match r.decision {
                Decision::SetSeverity { severity } => Some((*r, severity)),
                _ => None,
            })
            .collect();
        if let Some((r, s)) = set.iter().max_by_key(|(r, s)| (*s, Reverse(r.number))) {
            let mut detail = format!("{}: {severity} → {s}", r.label());
            if set.len() > 1 {
                let all: Vec<String> = set
                    .iter()
                    .map(|(r, s)| format!("{} {s}", r.label()))
                    .collect();
                detail.push_str(&format!(" (conflict: {}; highest wins)", all.join(", ")));
            }
            detail.push_str(&because(&r.reason));
            severity = *s;
            self.applied.insert(r.number);
            decisions.push(record("adjudication", detail));
        }
        for r in adjudicated
            .iter()
            .filter(|r| r.decision == Decision::Confirm)
        {
            self.applied.insert(r.number);
            decisions.push(record(
                "adjudication",
                format!("{}: stands at {severity}{}", r.label(), because(&r.reason)),
            ));
        }
        severity
    }

    /// Builds the consolidated finding of the remaining members.
    fn finding(
        &mut self,
        remaining: &[usize],
        severity: Severity,
        status: FindingStatus,
        decisions: Vec<DecisionRecord>,
    ) -> ConsolidatedFinding {
        let items = self.items;
        let rf = &items[representative(items, remaining)].finding;
        let classification = rf.classification.clone().or_else(|| {
            remaining
                .iter()
                .filter_map(|&i| items[i].finding.classification.clone())
                .min()
        });
        // Sorted and without repeats, as sets would give them, but copied only
        // once each, from the round's one vector of borrowed tags.
        let mut scratch = std::mem::take(&mut self.tags);
        let tags = sorted_unique_tags(items, remaining, &mut scratch);
        self.tags = scratch;
        // `severity` left the members' agents in `per_agent`, sorted and each
        // once: a second vector of them, sorted and deduplicated, cost about
        // 290 instructions a cluster (1.7 M over 200 synthetic rounds).
        let agents = self.per_agent.iter().map(|(a, _)| a.to_string()).collect();
        ConsolidatedFinding {
            id: String::new(),
            severity,
            status,
            classification,
            tags,
            title: rf.title.clone(),
            locations: merged_locations(items, remaining, &mut self.locations),
            agents,
            sources: sources(items, remaining, &mut self.members),
            decisions,
            body: rf.body.clone(),
            fix: rf.fix.clone(),
            carried_from: None,
        }
    }
}

/// The members' tags, sorted and without repeats, gathered in `scratch`
/// (cleared first) and copied once each.
fn sorted_unique_tags<'a>(
    items: &[Item<'a>],
    members: &[usize],
    scratch: &mut Vec<&'a str>,
) -> Vec<String> {
    scratch.clear();
    scratch.extend(
        members
            .iter()
            .flat_map(|&i| items[i].finding.tags.iter().map(String::as_str)),
    );
    scratch.sort_unstable();
    scratch.dedup();
    scratch.iter().map(|t| t.to_string()).collect()
}

/// `fixed` / `deferred` adjudications: the status they set (fixed wins).
fn status_of(
    adjudicated: &[&Resolved],
    decisions: &mut Vec<DecisionRecord>,
    applied: &mut BTreeSet<usize>,
) -> Option<FindingStatus> {
    let fixed = adjudicated.iter().find(|r| r.decision == Decision::Fixed);
    let deferred = adjudicated
        .iter()
        .find(|r| r.decision == Decision::Deferred);
    let r = fixed.or(deferred)?;
    applied.insert(r.number);
    let status = if r.decision == Decision::Fixed {
        FindingStatus::Fixed
    } else {
        FindingStatus::Deferred
    };
    let mut detail = format!("{}: kept, does not block", r.label());
    if fixed.is_some() && deferred.is_some() {
        detail.push_str(" (fixed wins over deferred)");
    }
    detail.push_str(&because(&r.reason));
    decisions.push(record("adjudication", detail));
    Some(status)
}

/// Consolidates parsed reviews into a report.
pub fn consolidate(
    round: &RoundMeta,
    reviews: &[AgentReview],
    adjudications: &[Adjudication],
    prior_resolutions: &[PriorResolution],
    rules: &Rules,
    options: ReplayOptions,
) -> Report {
    let mut notices = Vec::new();
    let promoted;
    let reviews = if options.rules_only {
        reviews
    } else {
        promoted = with_promotions(reviews, adjudications, &mut notices);
        promoted.as_deref().unwrap_or(reviews)
    };
    let (reviews, items) = items_of(reviews, &mut notices);
    let resolved: Vec<Resolved> = if options.rules_only {
        Vec::new()
    } else {
        calibrate::resolve(adjudications, &items, &mut notices)
    };
    let groups: Vec<cluster::Group> = if rules.cluster.follow_adjudications {
        resolved
            .iter()
            .filter(|r| Removal::of(&r.decision).is_none())
            .map(|r| cluster::Group {
                adjudication: r.number,
                items: r.items.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let clusters = cluster::cluster_grouped(&items, &rules.cluster, &groups);
    let mut priors: Vec<&PriorResolution> = prior_resolutions.iter().collect();
    priors.sort_by(|a, b| (a.round, &a.id, &a.title).cmp(&(b.round, &b.id, &b.title)));

    let mut work = Work {
        items: &items,
        resolved: &resolved,
        priors: &priors,
        rules,
        fates: vec![Fate::Kept(Severity::Suggestion); items.len()],
        // At most one finding a cluster, and a finding is large: grown
        // from empty it was copied four times a round (0.4 M instructions
        // over 200 synthetic rounds).
        findings: Vec::with_capacity(clusters.len()),
        moved: Vec::new(),
        dropped: Vec::new(),
        notices,
        applied: BTreeSet::new(),
        matched_priors: BTreeSet::new(),
        removes: resolved.iter().any(|r| Removal::of(&r.decision).is_some()),
        per_agent: Vec::new(),
        reaches_threshold: reaches_threshold(rules.cluster.threshold),
        breakdown: BreakdownTexts::new(&rules.cluster),
        tags: Vec::new(),
        locations: Vec::new(),
        members: Vec::new(),
    };
    for c in &clusters {
        work.cluster(c);
    }
    let Work {
        fates,
        mut findings,
        mut moved,
        mut dropped,
        mut notices,
        applied,
        matched_priors,
        ..
    } = work;
    if rules.prior.enabled {
        carry_over(
            &priors,
            &matched_priors,
            &rules.prior,
            &mut findings,
            &mut dropped,
        );
    }
    // One notice per unsure adjudication that decided something, in cassette
    // order, so a reader of the report knows which decisions rest on a guess.
    for r in resolved
        .iter()
        .filter(|r| r.is_unsure() && applied.contains(&r.number))
    {
        let about: Vec<String> = r.items.iter().map(|&i| items[i].label()).collect();
        notices.push(format!(
            "{} applied to {}{}",
            r.label(),
            about.join(", "),
            because(&r.reason)
        ));
    }

    number(&mut findings);
    moved.sort_by(|a, b| (&a.reason, &a.title, &a.sources).cmp(&(&b.reason, &b.title, &b.sources)));
    dropped
        .sort_by(|a, b| (&a.reason, &a.title, &a.sources).cmp(&(&b.reason, &b.title, &b.sources)));

    // Agents: reviewers of the round and agents with a review.
    let mut agents: BTreeMap<String, Option<String>> = BTreeMap::new();
    for r in &round.reviewers {
        agents.insert(r.agent.trim().to_lowercase(), Some(r.model.clone()));
    }
    for r in &reviews {
        let e = agents.entry(r.agent.clone()).or_insert(None);
        if e.is_none() {
            e.clone_from(&r.model);
        }
    }
    for a in agents.keys() {
        if !reviews.iter().any(|r| &r.agent == a) {
            notices.push(format!(
                "missing agent: {a} is a reviewer of the round but has no recorded review"
            ));
        }
    }
    let named: BTreeSet<usize> = resolved
        .iter()
        .flat_map(|r| r.items.iter().copied())
        .collect();
    let settled = Settled {
        by_decisions: u32::try_from(named.len()).unwrap_or(u32::MAX),
        raw: u32::try_from(items.len()).unwrap_or(u32::MAX),
    };
    let mut incomplete = Vec::new();
    for r in &reviews {
        if let Some(inc) = &r.incomplete {
            notices.push(format!(
                "incomplete review: {} pass {} ({}): {}; its findings may be fewer than it raised",
                r.agent,
                r.pass,
                inc.kind.as_str(),
                inc.reason
            ));
            incomplete.push(IncompleteReview {
                agent: r.agent.clone(),
                pass: r.pass,
                incomplete: inc.clone(),
            });
        }
    }
    let agent_retro = retro::retro(&agents, &reviews, &items, &fates, &findings);
    let rule_verdict = verdict::decide(&findings, &rules.verdict);
    let (verdict, rule_verdict) = match recorded_verdict(adjudications, options, &mut notices) {
        Some(recorded) => (recorded, Some(rule_verdict)),
        None => (rule_verdict, None),
    };

    // Each list made at its size: grown from empty, each took an allocation
    // and a copy at every doubling.
    let count = |of: fn(&AgentReview) -> usize| reviews.iter().map(|r| of(r)).sum::<usize>();
    let mut design_observations = Vec::with_capacity(count(|r| r.review.design_observations.len()));
    let mut testing = Vec::with_capacity(count(|r| r.review.testing.len()));
    let mut limitations = Vec::with_capacity(count(|r| r.review.limitations.len()));
    for r in &reviews {
        for o in &r.review.design_observations {
            design_observations.push(AttributedObservation {
                agent: r.agent.clone(),
                observation: o.clone(),
            });
        }
        for t in &r.review.testing {
            testing.push(AttributedText {
                agent: r.agent.clone(),
                text: t.clone(),
            });
        }
        for t in &r.review.limitations {
            limitations.push(AttributedText {
                agent: r.agent.clone(),
                text: t.clone(),
            });
        }
    }
    let coverage = merged_coverage(&reviews);

    Report {
        schema: REPORT_SCHEMA_V1.to_string(),
        round: round.clone(),
        verdict,
        rule_verdict,
        findings,
        moved,
        dropped,
        agents: agent_retro,
        design_observations,
        testing,
        limitations,
        coverage,
        notices,
        incomplete,
        settled,
    }
}

/// What every agent said about each file, by path: the reviews' coverage
/// entries in review order, sorted by path (a stable sort keeps that order
/// within a path), each run of one path a [`MergedCoverage`]. A map from
/// path to entries took a copy of the path for every entry, a node search
/// for each and the map's nodes; the run's path is copied once and its
/// entries take one vector of their count.
fn merged_coverage(reviews: &[&AgentReview]) -> Vec<MergedCoverage> {
    let total = reviews.iter().map(|r| r.review.coverage.len()).sum();
    let mut entries: Vec<(&AgentReview, &crate::model::CoverageEntry)> = Vec::with_capacity(total);
    for r in reviews {
        entries.extend(r.review.coverage.iter().map(|e| (*r, e)));
    }
    entries.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    entries
        .chunk_by(|a, b| a.1.path == b.1.path)
        .filter_map(|run| {
            Some(MergedCoverage {
                path: run.first()?.1.path.clone(),
                by_agent: run
                    .iter()
                    .map(|(r, e)| (r.agent.clone(), (*e).clone()))
                    .collect(),
            })
        })
        .collect()
}

/// The reviews with the section items that recorded decisions promote added as
/// findings (`None` when no decision promotes anything). An item that does not
/// exist is a notice.
fn with_promotions(
    reviews: &[AgentReview],
    adjudications: &[Adjudication],
    notices: &mut Vec<String>,
) -> Option<Vec<AgentReview>> {
    let wanted: BTreeSet<(String, u32, ItemSection, u32)> = adjudications
        .iter()
        .flat_map(|a| &a.about)
        .filter_map(|r| {
            Some((
                r.agent.trim().to_lowercase(),
                r.pass,
                r.section?,
                r.ordinal?,
            ))
        })
        .collect();
    if wanted.is_empty() {
        return None;
    }
    let mut out = reviews.to_vec();
    for (agent, pass, section, n) in wanted {
        let Some(r) = out.iter_mut().find(|r| r.agent == agent && r.pass == pass) else {
            continue;
        };
        let next = r
            .review
            .findings
            .iter()
            .map(|f| f.ordinal)
            .max()
            .unwrap_or(0)
            + 1;
        match promote::promoted_finding(&r.review, section, n, next) {
            Some(f) => r.review.findings.push(f),
            None => notices.push(format!(
                "a recorded decision promotes {agent} pass {pass} {} item {n}, which the review does not have",
                section.as_str()
            )),
        }
    }
    Some(out)
}

/// Earlier items no cluster of this round matched: unresolved and deferred ones
/// are carried over as findings credited to no agent, declined ones are listed
/// among the dropped findings. Several records of one item (the same round and
/// id) carry over once.
fn carry_over(
    priors: &[&PriorResolution],
    matched: &BTreeSet<usize>,
    rules: &crate::consolidate::rules::PriorRules,
    findings: &mut Vec<ConsolidatedFinding>,
    dropped: &mut Vec<Dropped>,
) {
    let mut seen: BTreeSet<(u32, String)> = BTreeSet::new();
    for (k, p) in priors.iter().enumerate() {
        if matched.contains(&k) || !seen.insert((p.round, p.id.to_ascii_uppercase())) {
            continue;
        }
        let status = match p.status {
            ResolutionStatus::Unresolved if rules.carry_over => FindingStatus::Open,
            ResolutionStatus::Deferred if rules.carry_over => FindingStatus::Deferred,
            ResolutionStatus::Declined if rules.list_declined => {
                let mut detail = format!(
                    "prior-round: round {} {} was declined and no agent raised it this round",
                    p.round, p.id
                );
                if !p.reason.is_empty() {
                    detail.push_str(&format!("; author: {}", p.reason));
                }
                dropped.push(Dropped {
                    sources: Vec::new(),
                    title: p.title.clone(),
                    reason: "declined".into(),
                    detail,
                });
                continue;
            }
            _ => continue,
        };
        let severity = p
            .severity
            .or_else(|| p.id.chars().next().and_then(Severity::from_letter))
            .unwrap_or(Severity::Suggestion);
        findings.push(ConsolidatedFinding {
            id: String::new(),
            severity,
            status,
            classification: None,
            tags: Vec::new(),
            title: p.title.clone(),
            locations: p.locations.clone(),
            agents: Vec::new(),
            sources: Vec::new(),
            decisions: vec![record(
                "carry-over",
                format!(
                    "round {} {} \"{}\" is {} and no agent raised it this round: carried over at {severity}",
                    p.round,
                    p.id,
                    p.title,
                    calibrate::status_name(p.status)
                ),
            )],
            body: p.reason.clone(),
            fix: None,
            carried_from: Some(CarriedFrom {
                round: Some(p.round),
                id: Some(p.id.clone()),
            }),
        });
    }
}

/// The consolidator's own verdict, when one is recorded and adjudications apply.
/// Two recorded verdicts that disagree: the last one counts, with a notice.
fn recorded_verdict(
    adjudications: &[Adjudication],
    options: ReplayOptions,
    notices: &mut Vec<String>,
) -> Option<Verdict> {
    if options.rules_only {
        return None;
    }
    let recorded: Vec<(VerdictDecision, &str)> = adjudications
        .iter()
        .filter_map(|a| match a.decision {
            Decision::Verdict { verdict } => Some((verdict, a.reason.as_str())),
            _ => None,
        })
        .collect();
    let (decision, reason) = *recorded.last()?;
    if recorded.iter().any(|(d, _)| *d != decision) {
        notices.push(format!(
            "{} recorded verdicts disagree; the last one ({}) is used",
            recorded.len(),
            decision.key()
        ));
    }
    Some(Verdict {
        decision,
        reason: if reason.is_empty() {
            "recorded verdict".to_string()
        } else {
            format!("recorded verdict: {reason}")
        },
    })
}

/// Orders findings (severity, agents desc, first location, title, sources) and
/// gives them ids `C1`, `I1`, `S1`, ...
fn number(findings: &mut [ConsolidatedFinding]) {
    let order = numbering_order(findings);
    in_order(findings, &order);
    let mut counters: BTreeMap<Severity, u32> = BTreeMap::new();
    for f in findings.iter_mut() {
        let n = counters.entry(f.severity).or_insert(0);
        *n += 1;
        f.id = finding_id(f.severity, *n);
    }
}

/// The indexes of `findings` in the order [`number`] gives them: a stable
/// sort by (severity desc, agent count desc, first location, title word
/// key, title, sources). The title's word key is only needed to break a tie
/// of the fields before it, so it is computed then, once.
///
/// Each finding's [`numbering_prefix`] and index are one integer, sorted as
/// integers; only the runs of equal prefixes are then sorted by the whole
/// order (a stable sort of the indexes compared through that order, each
/// step two location paths, was 2.4 M instructions over 200 synthetic
/// rounds, for some 29 findings a round).
fn numbering_order(findings: &[ConsolidatedFinding]) -> Vec<usize> {
    let word_keys: Vec<std::cell::OnceCell<String>> = findings
        .iter()
        .map(|_| std::cell::OnceCell::new())
        .collect();
    let word_key = |i: usize| {
        word_keys[i].get_or_init(|| crate::consolidate::similarity::word_key(&findings[i].title))
    };
    let by_order = |&a: &usize, &b: &usize| {
        let (fa, fb) = (&findings[a], &findings[b]);
        (
            Reverse(fa.severity),
            Reverse(fa.agents.len()),
            fa.locations.first(),
        )
            .cmp(&(
                Reverse(fb.severity),
                Reverse(fb.agents.len()),
                fb.locations.first(),
            ))
            .then_with(|| word_key(a).cmp(word_key(b)))
            .then_with(|| fa.title.cmp(&fb.title))
            .then_with(|| fa.sources.cmp(&fb.sources))
    };
    // The index takes the low 16 bits of a key, and the agent count 6 bits
    // of the prefix: past them, the indexes are sorted by the whole order.
    let whole = || {
        let mut order: Vec<usize> = (0..findings.len()).collect();
        order.sort_by(by_order);
        order
    };
    if findings.len() > 1 << 16 {
        return whole();
    }
    let mut keys: Vec<u128> = Vec::with_capacity(findings.len());
    for (i, f) in findings.iter().enumerate() {
        if f.agents.len() > NUMBERING_AGENTS {
            return whole();
        }
        keys.push(numbering_prefix(f) | i as u128);
    }
    cluster::order_by_prefix(keys, 16, by_order)
}

/// The most agents [`numbering_prefix`] counts exactly (6 bits). A count
/// past it cannot be clamped: the path bytes after it would then order
/// findings whose counts differ.
const NUMBERING_AGENTS: usize = 63;

/// The first fields of [`numbering_order`]'s order as the top 112 bits of
/// an integer: the severity (2 bits) and the agent count (6 bits, at most
/// [`NUMBERING_AGENTS`]), then the first location's first 13 path bytes
/// (zero-padded; none for a finding without a location). The low 16 bits
/// are 0, for an index. Two findings whose prefixes differ are in the order
/// of their prefixes (a zero byte is the least, so a path padded with zeros
/// is not after the paths it begins, and no location is before any); equal
/// prefixes say nothing.
fn numbering_prefix(f: &ConsolidatedFinding) -> u128 {
    let severity: u8 = match f.severity {
        Severity::Critical => 0,
        Severity::Important => 1,
        Severity::Suggestion => 2,
    };
    // More agents first: the count taken from the most.
    let agents = (NUMBERING_AGENTS - f.agents.len().min(NUMBERING_AGENTS)) as u8;
    let mut bytes = [0u8; 16];
    bytes[0] = severity << 6 | agents;
    if let Some(l) = f.locations.first() {
        let path = l.path.as_bytes();
        let n = path.len().min(13);
        bytes[1..=n].copy_from_slice(&path[..n]);
    }
    u128::from_be_bytes(bytes)
}

/// Puts `findings[order[k]]` at `k` for every `k` (`order` is a permutation
/// of the indexes), in place: each swap puts one finding where it goes, so
/// there are fewer swaps than findings. A finding is some 300 bytes: moved
/// into a vector of slots and out again, each was copied four to five times
/// through `memcpy` (about 1 M instructions over 200 synthetic rounds).
fn in_order<T>(findings: &mut [T], order: &[usize]) {
    // Where the finding now at `i` goes: the inverse of `order`, swapped
    // along with the findings.
    let mut dest = vec![0; order.len()];
    for (k, &i) in order.iter().enumerate() {
        dest[i] = k;
    }
    for i in 0..findings.len() {
        while dest[i] != i {
            let d = dest[i];
            findings.swap(i, d);
            dest.swap(i, d);
        }
    }
}

/// `C1`, `I2`, ...: the letter then the number, written without `format!` (one
/// per finding), the number digit by digit (`push_u32`: itoa's text was a
/// copy of run-time length through `memcpy`).
fn finding_id(severity: Severity, n: u32) -> String {
    let mut id = String::with_capacity(11);
    id.push(severity.letter());
    crate::decimal::push_u32(&mut id, n);
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RawFinding;
    use proptest::prelude::*;

    /// A raw finding from a small alphabet, so that keys often tie.
    fn raw_finding() -> impl Strategy<Value = RawFinding> {
        (
            1u32..4,
            proptest::sample::select(Severity::ALL.to_vec()),
            proptest::option::of("[A-Z][0-9]"),
            "[ab ]{0,4}",
            "[ab .]{0,6}",
            proptest::collection::vec(("[ab/]{0,3}", proptest::option::of(1u32..3)), 0..3),
            proptest::collection::vec("[ab]{1,2}", 0..3),
        )
            .prop_map(
                |(ordinal, severity, raised_id, title, body, locations, tags)| RawFinding {
                    ordinal,
                    raised_id,
                    severity,
                    classification: None,
                    tags,
                    title,
                    locations: locations
                        .into_iter()
                        .map(|(path, start)| Location {
                            path,
                            start,
                            end: start.map(|s| s + 1),
                        })
                        .collect(),
                    body,
                    fix: None,
                    code_blocks: Vec::new(),
                    line: 1,
                },
            )
    }

    /// Agents, passes and findings of one round.
    fn raised() -> impl Strategy<Value = Vec<(String, u32, RawFinding)>> {
        proptest::collection::vec(("[ab]{1,2}", 1u32..3, raw_finding()), 1..8)
    }

    fn items_of_raised(raised: &[(String, u32, RawFinding)]) -> Vec<Item<'_>> {
        raised
            .iter()
            .map(|(agent, pass, f)| Item::new(agent, *pass, f))
            .collect()
    }

    /// [`representative`] as it was, comparing every member with the best so far.
    fn representative_comparing_every_member(items: &[Item], members: &[usize]) -> usize {
        let mut best = members.first().copied().unwrap_or(0);
        for &m in members {
            if represents_better(&items[m], &items[best]) {
                best = m;
            }
        }
        best
    }

    /// [`merged_locations`] as it was: every cluster looks for full paths.
    fn merged_locations_looking_for_full_paths(items: &[Item], members: &[usize]) -> Vec<Location> {
        let all: Vec<&Location> = members
            .iter()
            .flat_map(|&i| items[i].finding.locations.iter())
            .collect();
        outermost(&mut with_full_paths(&all))
    }

    /// [`outermost`] as it was: every location compared with every other,
    /// paths first. Kept as its reference.
    fn outermost_comparing_paths_first(mut out: Vec<Location>) -> Vec<Location> {
        out.sort();
        out.dedup();
        let contains = |a: &Location, b: &Location| {
            a.path == b.path
                && a != b
                && match (a.start, a.end, b.start, b.end) {
                    (Some(s1), Some(e1), Some(s2), Some(e2)) => s1 <= s2 && e2 <= e1,
                    (_, _, None, None) => a.start.is_some(),
                    _ => false,
                }
        };
        out.iter()
            .filter(|b| !out.iter().any(|a| contains(a, b)))
            .cloned()
            .collect()
    }

    /// [`sources`] as it was: the members' sources collected, then sorted.
    /// Kept as the reference of the sort by index.
    fn sources_sorted_after(items: &[Item], members: &[usize]) -> Vec<SourceRef> {
        let mut s: Vec<SourceRef> = members
            .iter()
            .filter_map(|&i| items.get(i))
            .map(source)
            .collect();
        s.sort();
        s
    }

    /// A finding's credited agents as they were gathered before `finding`
    /// read them from `per_agent`: the members' agents collected, sorted and
    /// deduplicated. Kept as the reference the faster form is tested against.
    fn agents_sorted_and_deduplicated(items: &[Item], members: &[usize]) -> Vec<String> {
        let mut v: Vec<&str> = members.iter().map(|&i| items[i].agent).collect();
        v.sort_unstable();
        v.dedup();
        v.into_iter().map(str::to_string).collect()
    }

    /// A cluster's tags as `finding` gathered them before the round's
    /// scratch vector: a vector of their own, sorted, deduplicated, copied.
    /// Kept as the reference of [`sorted_unique_tags`].
    fn tags_in_a_vector_of_their_own(items: &[Item], members: &[usize]) -> Vec<String> {
        let mut v: Vec<&str> = members
            .iter()
            .flat_map(|&i| items[i].finding.tags.iter().map(String::as_str))
            .collect();
        v.sort_unstable();
        v.dedup();
        v.into_iter().map(str::to_string).collect()
    }

    /// The threshold's part of a union's trail as it was written, piece by
    /// piece: the reference of [`reaches_threshold`].
    fn reaches_threshold_piece_by_piece(threshold: u32) -> String {
        let mut out = String::from("merged a#1 with b#1: score 0.700");
        let start = out.len();
        out.push_str(" ≥ ");
        let _ = Permille(threshold).write_to(&mut out);
        out.push_str(" = ");
        out.split_off(start)
    }

    /// Every place of a slash (or none) in paths of every length up to 20,
    /// among bytes next to a slash's value, zero, and bytes of a non-ASCII
    /// letter: the first-word test and the bytes after it agree with
    /// `contains`.
    #[test]
    fn has_slash_is_contains_at_every_place() {
        let fillers = [".", "0", "a", "\0", "\u{7f}", "é"];
        for filler in fillers {
            for len in 0..=20 {
                for slash in (0..len).map(Some).chain([None]) {
                    let path: String = (0..len)
                        .map(|i| if Some(i) == slash { "/" } else { filler })
                        .collect();
                    assert_eq!(has_slash(&path), path.contains('/'), "{path:?}");
                }
            }
        }
    }

    /// [`numbering_order`] as it was: the indexes sorted by the whole order,
    /// its first fields computed once per finding.
    fn numbering_order_by_keys(findings: &[ConsolidatedFinding]) -> Vec<usize> {
        let keys: Vec<_> = findings
            .iter()
            .map(|f| {
                (
                    Reverse(f.severity),
                    Reverse(f.agents.len()),
                    f.locations.first(),
                )
            })
            .collect();
        let word_keys: Vec<std::cell::OnceCell<String>> = findings
            .iter()
            .map(|_| std::cell::OnceCell::new())
            .collect();
        let word_key = |i: usize| {
            word_keys[i]
                .get_or_init(|| crate::consolidate::similarity::word_key(&findings[i].title))
        };
        let mut order: Vec<usize> = (0..findings.len()).collect();
        order.sort_by(|&a, &b| {
            keys[a]
                .cmp(&keys[b])
                .then_with(|| word_key(a).cmp(word_key(b)))
                .then_with(|| findings[a].title.cmp(&findings[b].title))
                .then_with(|| findings[a].sources.cmp(&findings[b].sources))
        });
        order
    }

    /// A finding to number: only what the numbering reads is set.
    fn numbered(
        severity: Severity,
        agents: usize,
        path: Option<String>,
        start: Option<u32>,
        title: &str,
        ordinal: u32,
    ) -> ConsolidatedFinding {
        ConsolidatedFinding {
            id: String::new(),
            severity,
            status: FindingStatus::Open,
            classification: None,
            tags: Vec::new(),
            title: title.to_string(),
            locations: path
                .map(|path| Location {
                    path,
                    start,
                    end: start,
                })
                .into_iter()
                .collect(),
            agents: (0..agents).map(|a| format!("a{a}")).collect(),
            sources: vec![SourceRef {
                agent: "a".to_string(),
                pass: 1,
                ordinal,
                raised_id: None,
                severity,
            }],
            decisions: Vec::new(),
            body: String::new(),
            fix: None,
            carried_from: None,
        }
    }

    #[test]
    fn numbering_order_is_the_sort_by_keys_around_the_path_prefix() {
        // Paths that agree up to every place around the 13 bytes the
        // prefix holds, then differ (or end) there, by a zero byte, a
        // letter or a byte of a longer character; with and without a
        // location; with agent counts the prefix holds, and with counts
        // past them (the whole sort), which must not be clamped.
        let tails = ["", "\0", "a", "b", "é", "a\0", "aa", "ab", "é\0"];
        for counts in [[0, 1, 62, 63], [1, 63, 64, 70]] {
            for common in 10..=15 {
                let stem = "p".repeat(common);
                let mut findings = Vec::new();
                for (t, tail) in tails.iter().enumerate() {
                    for agents in counts {
                        findings.push(numbered(
                            Severity::Important,
                            agents,
                            Some(format!("{stem}{tail}")),
                            Some(t as u32 % 3),
                            "a title",
                            findings.len() as u32,
                        ));
                    }
                }
                for agents in counts {
                    for path in [None, Some(String::new()), Some("\0".to_string())] {
                        findings.push(numbered(Severity::Important, agents, path, None, "t", 0));
                    }
                }
                // Reversed too, so that ties keep the order they came in.
                for list in [findings.clone(), findings.into_iter().rev().collect()] {
                    assert_eq!(
                        numbering_order(&list),
                        numbering_order_by_keys(&list),
                        "{common} bytes in common, counts {counts:?}"
                    );
                }
            }
        }
    }

    /// [`merged_coverage`] as it was: a map from each path to its entries.
    fn merged_coverage_by_map(reviews: &[&AgentReview]) -> Vec<MergedCoverage> {
        let mut coverage: BTreeMap<String, Vec<(String, crate::model::CoverageEntry)>> =
            BTreeMap::new();
        for r in reviews {
            for e in &r.review.coverage {
                coverage
                    .entry(e.path.clone())
                    .or_default()
                    .push((r.agent.clone(), e.clone()));
            }
        }
        coverage
            .into_iter()
            .map(|(path, by_agent)| MergedCoverage { path, by_agent })
            .collect()
    }

    proptest! {
        #[test]
        fn merged_coverage_is_the_map_of_paths(
            reviews in proptest::collection::vec(
                (
                    "[ab]{1,2}",
                    proptest::collection::vec(("(a|b|a/b|b/a|ab|)", 0u8..3), 0..5),
                ),
                0..5,
            ),
        ) {
            let reviews: Vec<AgentReview> = reviews
                .into_iter()
                .map(|(agent, coverage)| AgentReview {
                    agent,
                    pass: 1,
                    model: None,
                    duration_s: None,
                    tool_calls: None,
                    review: crate::model::ParsedReview {
                        coverage: coverage
                            .into_iter()
                            .map(|(path, s)| crate::model::CoverageEntry {
                                path,
                                status: match s {
                                    0 => crate::model::CoverageStatus::ReviewedNoIssues,
                                    1 => crate::model::CoverageStatus::Trivial,
                                    _ => crate::model::CoverageStatus::Other("x".into()),
                                },
                            })
                            .collect(),
                        ..crate::model::ParsedReview::default()
                    },
                    incomplete: None,
                })
                .collect();
            let reviews: Vec<&AgentReview> = reviews.iter().collect();
            prop_assert_eq!(merged_coverage(&reviews), merged_coverage_by_map(&reviews));
        }

        #[test]
        fn numbering_order_is_the_sort_by_keys(
            findings in proptest::collection::vec(
                (
                    proptest::sample::select(Severity::ALL.to_vec()),
                    prop_oneof![0usize..4, 62usize..66],
                    proptest::option::of("(pkg/|pkg/a/|)[ab]{0,2}(\\.go|)"),
                    proptest::option::of(1u32..3),
                    "(the |)[ab]{0,2}( [ab]|)",
                    1u32..3,
                ),
                0..30,
            ),
        ) {
            let findings: Vec<ConsolidatedFinding> = findings
                .into_iter()
                .map(|(severity, agents, path, start, title, ordinal)| {
                    numbered(severity, agents, path, start, &title, ordinal)
                })
                .collect();
            prop_assert_eq!(numbering_order(&findings), numbering_order_by_keys(&findings));
        }

        #[test]
        fn tags_gathered_in_the_scratch_are_the_ones_of_their_own_vector(
            raised in raised(),
            picks in proptest::collection::vec(0usize..8, 0..8),
        ) {
            let items = items_of_raised(&raised);
            let members: Vec<usize> = picks.into_iter().map(|i| i % items.len()).collect();
            let mut scratch = vec!["stale"];
            prop_assert_eq!(
                sorted_unique_tags(&items, &members, &mut scratch),
                tags_in_a_vector_of_their_own(&items, &members)
            );
        }

        #[test]
        fn the_threshold_text_is_the_one_written_piece_by_piece(threshold in 0u32..20000) {
            prop_assert_eq!(
                reaches_threshold(threshold),
                reaches_threshold_piece_by_piece(threshold)
            );
        }

        #[test]
        fn per_agent_holds_the_sorted_deduplicated_agents(
            raised in raised(),
            picks in proptest::collection::vec(0usize..8, 1..8),
        ) {
            let items = items_of_raised(&raised);
            let members: Vec<usize> = picks.into_iter().map(|i| i % items.len()).collect();
            let mut per_agent = vec![("stale", Severity::Critical)];
            calibrate::per_agent(members.iter().map(|&i| &items[i]), &mut per_agent);
            let agents: Vec<String> = per_agent.iter().map(|(a, _)| a.to_string()).collect();
            prop_assert_eq!(agents, agents_sorted_and_deduplicated(&items, &members));
        }

        #[test]
        fn merged_locations_are_the_ones_looking_for_full_paths(
            raised in raised(),
            picks in proptest::collection::vec(0usize..8, 0..8),
        ) {
            let items = items_of_raised(&raised);
            let members: Vec<usize> = picks.into_iter().map(|i| i % items.len()).collect();
            let mut scratch = Vec::new();
            prop_assert_eq!(
                merged_locations(&items, &members, &mut scratch),
                merged_locations_looking_for_full_paths(&items, &members)
            );
        }

        #[test]
        fn outermost_is_the_one_comparing_paths_first(
            locations in proptest::collection::vec(
                (
                    "[ab]{0,2}",
                    proptest::option::of(0u32..4),
                    proptest::option::of(0u32..4),
                ),
                0..5,
            ),
        ) {
            let locations: Vec<Location> = locations
                .into_iter()
                .map(|(path, start, end)| Location { path, start, end })
                .collect();
            let mut borrowed: Vec<&Location> = locations.iter().collect();
            prop_assert_eq!(
                outermost(&mut borrowed),
                outermost_comparing_paths_first(locations.clone())
            );
        }

        #[test]
        fn sources_by_index_are_the_sorted_sources(
            mut raised in raised(),
            picks in proptest::collection::vec(0usize..8, 0..8),
        ) {
            // In `items_of`'s order: by agent and pass, then by ordinal (a
            // review may repeat one here).
            raised.sort_by(|a, b| (&a.0, a.1, a.2.ordinal).cmp(&(&b.0, b.1, b.2.ordinal)));
            let items = items_of_raised(&raised);
            let members: Vec<usize> = picks.into_iter().map(|i| i % items.len()).collect();
            let mut scratch = vec![7];
            prop_assert_eq!(
                sources(&items, &members, &mut scratch),
                sources_sorted_after(&items, &members)
            );
        }

        #[test]
        fn has_slash_is_contains(path in "(\\PC|/){0,24}") {
            prop_assert_eq!(has_slash(&path), path.contains('/'));
        }

        #[test]
        fn in_order_is_the_findings_taken_from_their_slots(
            order in (0usize..40).prop_flat_map(|n| Just((0..n).collect::<Vec<usize>>()).prop_shuffle()),
        ) {
            // The form it replaced: every finding moved into a slot, then
            // taken out in order.
            let findings: Vec<String> = (0..order.len()).map(|i| format!("f{i}")).collect();
            let mut slots: Vec<Option<String>> = findings.iter().cloned().map(Some).collect();
            let expected: Vec<String> = order.iter().filter_map(|&i| slots[i].take()).collect();
            let mut swapped = findings;
            in_order(&mut swapped, &order);
            prop_assert_eq!(swapped, expected);
        }

        #[test]
        fn finding_ids_are_the_formatted_letter_and_number(
            severity in proptest::sample::select(Severity::ALL.to_vec()),
            n in proptest::num::u32::ANY,
        ) {
            prop_assert_eq!(finding_id(severity, n), format!("{}{}", severity.letter(), n));
        }

        #[test]
        fn the_representative_is_the_one_comparing_every_member(
            raised in raised(),
            picks in proptest::collection::vec(0usize..8, 0..8),
        ) {
            let items = items_of_raised(&raised);
            let members: Vec<usize> = picks.into_iter().map(|i| i % items.len()).collect();
            prop_assert_eq!(
                representative(&items, &members),
                representative_comparing_every_member(&items, &members)
            );
        }
    }
}
