//! Severity calibration: the consensus and lone-critical rules, the prior-round gate,
//! and recorded adjudications (which win over every rule).
//!
//! Definitions (also in `docs/rules.md`):
//! - **single-agent**: a cluster raised by one agent keeps that agent's severity
//!   (the highest over its passes);
//! - **consensus**: a multi-agent cluster gets the highest severity that at least
//!   `consensus_min_agents` distinct agents reached *or exceeded* (so C/I/S gives
//!   important, C/S gives suggestion), but never more than `max_consensus_drop`
//!   levels below the highest raised severity (so C/S ends important by default);
//! - **lone-critical**: a critical raised by one agent only becomes important
//!   unless an adjudication confirms it or sets its severity (with
//!   `by-calibration`: only when the agent's critical keep rate is low or unknown);
//! - **lone-important** (opt-in, `by-calibration`): an important raised by one
//!   agent only becomes a suggestion when the agent's important keep rate is low;
//! - **prior-round**: a cluster matching an item declined in an earlier round is
//!   dropped as `declined`, unless an adjudication is recorded for it;
//! - **adjudications** name raw findings, so they survive re-clustering. Removal
//!   decisions (false-positive, declined, pre-existing, out-of-scope) take the named
//!   raw findings out of their cluster; the other decisions apply to the cluster of
//!   the named findings. Conflicts are settled by a fixed precedence and recorded.
//!
//! Invariant: adding an agent that raises a finding at a severity at least the
//! calibrated one never lowers the calibrated severity (the consensus level and the
//! highest raised severity can only grow).

use std::collections::BTreeSet;

use crate::cassette::{
    Adjudication, Confidence, Decision, PriorResolution, RawRef, ResolutionStatus,
};
use crate::consolidate::cluster::Item;
use crate::consolidate::rules::{LoneCritical, LoneImportant, PriorRules, Rules, SeverityRules};
use crate::consolidate::similarity::{self, line_gap};
use crate::decimal::push_u32;
use crate::model::Severity;
use crate::report::DecisionRecord;

/// An adjudication with the raw findings it matched.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// 1-based position in the cassette's adjudication list.
    pub number: usize,
    /// What was decided.
    pub decision: Decision,
    /// Why.
    pub reason: String,
    /// Indexes of the matched items.
    pub items: Vec<usize>,
    /// How sure the recorder was; unsure adjudications are marked wherever they
    /// are cited, so a report never presents a guessed mapping as a decision.
    pub confidence: Confidence,
}

/// The marker every citation of an unsure adjudication carries.
pub const UNSURE_MARKER: &str = "unsure mapping";

impl Resolved {
    /// `adjudication #2 (false-positive)`, or `adjudication #2 (false-positive,
    /// unsure mapping)` when the adjudication is unsure.
    pub fn label(&self) -> String {
        let unsure = if self.is_unsure() {
            format!(", {UNSURE_MARKER}")
        } else {
            String::new()
        };
        format!(
            "adjudication #{} ({}{unsure})",
            self.number,
            decision_name(&self.decision)
        )
    }

    /// True when the recorder was not sure of the mapping.
    pub fn is_unsure(&self) -> bool {
        self.confidence == Confidence::Unsure
    }
}

/// The kebab-case name of a decision.
pub fn decision_name(d: &Decision) -> &'static str {
    match d {
        Decision::Confirm => "confirm",
        Decision::SetSeverity { .. } => "set-severity",
        Decision::FalsePositive => "false-positive",
        Decision::PreExisting => "pre-existing",
        Decision::OutOfScope => "out-of-scope",
        Decision::Declined => "declined",
        Decision::Deferred => "deferred",
        Decision::Fixed => "fixed",
        Decision::Verdict { .. } => "verdict",
    }
}

/// Where a removal decision sends the raw findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Removal {
    /// Dropped: not a real problem.
    FalsePositive,
    /// Dropped: already declined.
    Declined,
    /// Moved to design observations: not introduced by this change.
    PreExisting,
    /// Moved to design observations: outside this change.
    OutOfScope,
}

impl Removal {
    /// The removal a decision asks for, if any. The enum order is the precedence
    /// when several adjudications remove the same raw finding differently.
    pub fn of(d: &Decision) -> Option<Removal> {
        match d {
            Decision::FalsePositive => Some(Removal::FalsePositive),
            Decision::Declined => Some(Removal::Declined),
            Decision::PreExisting => Some(Removal::PreExisting),
            Decision::OutOfScope => Some(Removal::OutOfScope),
            _ => None,
        }
    }

    /// The reason word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Removal::FalsePositive => "false-positive",
            Removal::Declined => "declined",
            Removal::PreExisting => "pre-existing",
            Removal::OutOfScope => "out-of-scope",
        }
    }

    /// True when the findings move to design observations instead of being dropped.
    pub fn is_move(self) -> bool {
        matches!(self, Removal::PreExisting | Removal::OutOfScope)
    }
}

fn ref_label(r: &RawRef) -> String {
    let what = match (&r.id, r.ordinal) {
        (Some(id), _) => format!("id {id}"),
        (None, Some(o)) => format!("ordinal {o}"),
        (None, None) => "no id or ordinal".to_string(),
    };
    format!("{} pass {} {what}", r.agent, r.pass)
}

/// Matches every adjudication to raw findings. References that match nothing are
/// reported in `notices` (never silently ignored).
pub fn resolve(
    adjudications: &[Adjudication],
    items: &[Item],
    notices: &mut Vec<String>,
) -> Vec<Resolved> {
    let mut out = Vec::new();
    for (k, adj) in adjudications.iter().enumerate() {
        let number = k + 1;
        // A round-level decision: the engine applies it to the verdict.
        if matches!(adj.decision, Decision::Verdict { .. }) {
            if !adj.about.is_empty() {
                notices.push(format!(
                    "adjudication #{number} (verdict) names raw findings; a verdict is about the round, they are ignored"
                ));
            }
            continue;
        }
        let mut matched = BTreeSet::new();
        for r in &adj.about {
            let agent = r.agent.trim().to_lowercase();
            let same_review = |it: &&Item| it.agent == agent && it.pass == r.pass;
            // A promoted section item is named by its section and position;
            // the engine gave its finding the id `<section>#<n>`.
            let promoted = crate::parse::promote::ref_id(r);
            let by_id = promoted.as_ref().or(r.id.as_ref()).and_then(|id| {
                items.iter().position(|it| {
                    same_review(&it)
                        && it
                            .finding
                            .raised_id
                            .as_ref()
                            .is_some_and(|rid| rid.trim().eq_ignore_ascii_case(id.trim()))
                })
            });
            let by_ordinal = r.ordinal.filter(|_| r.section.is_none()).and_then(|o| {
                items
                    .iter()
                    .position(|it| same_review(&it) && it.finding.ordinal == o)
            });
            match by_id.or(by_ordinal) {
                Some(i) => {
                    matched.insert(i);
                }
                None => notices.push(format!(
                    "adjudication #{number} ({}) names {}, which matches no raw finding",
                    decision_name(&adj.decision),
                    ref_label(r)
                )),
            }
        }
        if adj.about.is_empty() {
            notices.push(format!(
                "adjudication #{number} ({}) names no raw finding",
                decision_name(&adj.decision)
            ));
        }
        out.push(Resolved {
            number,
            decision: adj.decision.clone(),
            reason: adj.reason.clone(),
            items: matched.into_iter().collect(),
            confidence: adj.confidence,
        });
    }
    out
}

/// The removal of one raw finding, settling conflicts by precedence.
pub fn removal_of(item: usize, resolved: &[Resolved]) -> Option<(Removal, Vec<&Resolved>)> {
    let mut hits: Vec<(Removal, &Resolved)> = resolved
        .iter()
        .filter(|r| r.items.contains(&item))
        .filter_map(|r| Removal::of(&r.decision).map(|k| (k, r)))
        .collect();
    hits.sort_by_key(|(k, r)| (*k, r.number));
    let first = hits.first()?.0;
    Some((first, hits.into_iter().map(|(_, r)| r).collect()))
}

/// Highest severity of each agent of a cluster, in agent key order, each agent
/// once: into `m`, cleared first (a caller deciding many clusters reuses it).
pub fn per_agent<'a, 'i: 'a>(
    members: impl Iterator<Item = &'a Item<'i>>,
    m: &mut Vec<(&'i str, Severity)>,
) {
    // A cluster has a few agents: a sorted vector, not a map with its nodes.
    m.clear();
    for it in members {
        match m.binary_search_by(|(a, _)| (*a).cmp(it.agent)) {
            Ok(i) => m[i].1 = m[i].1.max(it.finding.severity),
            Err(i) => m.insert(i, (it.agent, it.finding.severity)),
        }
    }
}

fn level(s: Severity) -> u32 {
    match s {
        Severity::Suggestion => 0,
        Severity::Important => 1,
        Severity::Critical => 2,
    }
}

fn from_level(l: u32) -> Severity {
    match l {
        0 => Severity::Suggestion,
        1 => Severity::Important,
        _ => Severity::Critical,
    }
}

/// Appends `claude critical, codex important`: each agent with the severity it
/// raised, in key order.
fn push_raised_list(out: &mut String, agents: &[(&str, Severity)]) {
    for (i, (a, s)) in agents.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(a);
        push_space_severity(out, *s);
    }
}

/// ` critical`, ` important` or ` suggestion`: each a copy of a constant,
/// where a space and `as_str` (whose length is known only at run time) were
/// two pushes and a call to `memcpy`. This runs for every agent of every
/// cluster.
fn push_space_severity(out: &mut String, s: Severity) {
    match s {
        Severity::Critical => out.push_str(" critical"),
        Severity::Important => out.push_str(" important"),
        Severity::Suggestion => out.push_str(" suggestion"),
    }
}

/// The single-agent or consensus rule: the severity of a cluster from what its
/// agents raised.
pub fn rule_severity(
    agents: &[(&str, Severity)],
    rules: &SeverityRules,
) -> (Severity, DecisionRecord) {
    let highest = agents
        .iter()
        .map(|&(_, s)| s)
        .max()
        .unwrap_or(Severity::Suggestion);
    // The records are written piece by piece: this runs for every cluster.
    if agents.len() <= 1 {
        let mut detail = String::with_capacity(64);
        detail.push_str("raised by ");
        push_raised_list(&mut detail, agents);
        detail.push_str(" only; keeps");
        push_space_severity(&mut detail, highest);
        return (
            highest,
            DecisionRecord {
                rule: "single-agent".into(),
                detail,
            },
        );
    }
    let min_agents = rules.consensus_min_agents.max(1);
    let min = min_agents as usize;
    let reached = Severity::ALL
        .iter()
        .copied()
        .find(|&s| agents.iter().filter(|&&(_, a)| a >= s).count() >= min);
    let mut detail = String::with_capacity(128);
    detail.push_str("raised ");
    push_raised_list(&mut detail, agents);
    let base = match reached {
        Some(s) => {
            detail.push_str("; highest severity reached by ≥");
            // Pushed digit by digit (`push_u32`): itoa's text was a copy
            // of run-time length through `memcpy`, for every cluster.
            push_u32(&mut detail, min_agents);
            detail.push_str(" agents:");
            push_space_severity(&mut detail, s);
            s
        }
        None => {
            let lowest = agents
                .iter()
                .map(|&(_, s)| s)
                .min()
                .unwrap_or(Severity::Suggestion);
            detail.push_str("; no severity reached by ");
            // Pushed digit by digit (`push_u32`): itoa's text was a copy
            // of run-time length through `memcpy`, for every cluster.
            push_u32(&mut detail, min_agents);
            detail.push_str(" agents; lowest raised: ");
            detail.push_str(lowest.as_str());
            lowest
        }
    };
    let floor = from_level(level(highest).saturating_sub(rules.max_consensus_drop));
    let result = base.max(floor);
    if result != base {
        detail.push_str(&format!(
            "; at most {} level(s) below the highest ({highest}): {result}",
            rules.max_consensus_drop
        ));
    }
    (
        result,
        DecisionRecord {
            rule: "consensus".into(),
            detail,
        },
    )
}

/// The lone-critical rule: `Some(new severity, record)` when it fires.
///
/// With `lone_critical = "by-calibration"` the agent's historical critical keep
/// rate (`[calibration.<agent>]`) decides: below `lone_critical_min_keep_rate`, or
/// unknown, the critical becomes important; otherwise it stays critical. The trail
/// records the rate either way.
pub fn lone_critical(
    severity: Severity,
    agents: &[(&str, Severity)],
    confirmed: bool,
    rules: &Rules,
) -> Option<(Severity, DecisionRecord)> {
    let sev = &rules.severity;
    if severity != Severity::Critical || sev.lone_critical == LoneCritical::Keep {
        return None;
    }
    let mut critical = agents.iter().filter(|&&(_, s)| s == Severity::Critical);
    let (Some(&(who, _)), None) = (critical.next(), critical.next()) else {
        return None;
    };
    let rec = |s: Severity, detail: String| {
        Some((
            s,
            DecisionRecord {
                rule: "lone-critical".into(),
                detail,
            },
        ))
    };
    if confirmed {
        return rec(
            Severity::Critical,
            format!("critical raised by {who} only, confirmed by an adjudication: stays critical"),
        );
    }
    if sev.lone_critical == LoneCritical::ByCalibration {
        let min = similarity::permille(sev.lone_critical_min_keep_rate);
        let rate = rules
            .calibration
            .get(who)
            .and_then(|c| c.keep_rate(Severity::Critical));
        return match rate {
            Some(r) if r >= sev.lone_critical_min_keep_rate => rec(
                Severity::Critical,
                format!(
                    "critical raised by {who} only; {who}'s criticals kept at rate {} ≥ {min}: stays critical",
                    similarity::permille(r)
                ),
            ),
            Some(r) => rec(
                Severity::Important,
                format!(
                    "critical raised by {who} only; {who}'s criticals kept at rate {} < {min}: critical → important",
                    similarity::permille(r)
                ),
            ),
            None => rec(
                Severity::Important,
                format!(
                    "critical raised by {who} only; no critical keep rate for {who} in [calibration]: critical → important"
                ),
            ),
        };
    }
    rec(
        Severity::Important,
        format!("critical raised by {who} only, no confirming adjudication: critical → important"),
    )
}

/// The lone-important rule (`lone_important = "by-calibration"`): an important
/// raised by one agent only, in a cluster of that agent alone and without a
/// confirming adjudication, becomes a suggestion when the agent's historical
/// important keep rate is below `lone_important_min_keep_rate`. Without data it
/// stays important (the single-agent rule's default). `Some` when it decides.
pub fn lone_important(
    severity: Severity,
    agents: &[(&str, Severity)],
    confirmed: bool,
    rules: &Rules,
) -> Option<(Severity, DecisionRecord)> {
    let sev = &rules.severity;
    if sev.lone_important != LoneImportant::ByCalibration
        || severity != Severity::Important
        || confirmed
    {
        return None;
    }
    let [(who, Severity::Important)] = agents else {
        return None;
    };
    let min = similarity::permille(sev.lone_important_min_keep_rate);
    let rate = rules
        .calibration
        .get(*who)
        .and_then(|c| c.keep_rate(Severity::Important))?;
    let r = similarity::permille(rate);
    let (s, detail) = if rate < sev.lone_important_min_keep_rate {
        (
            Severity::Suggestion,
            format!(
                "important raised by {who} only; {who}'s importants kept at rate {r} < {min}: important → suggestion"
            ),
        )
    } else {
        (
            Severity::Important,
            format!(
                "important raised by {who} only; {who}'s importants kept at rate {r} ≥ {min}: stays important"
            ),
        )
    };
    Some((
        s,
        DecisionRecord {
            rule: "lone-important".into(),
            detail,
        },
    ))
}

/// The prior-round gate: does this cluster re-raise `prior`? Returns the evidence.
pub fn prior_match(
    members: &[&Item],
    prior: &PriorResolution,
    rules: &PriorRules,
) -> Option<String> {
    let prior_words = similarity::words(&prior.title);
    let title = members
        .iter()
        .map(|it| similarity::dice(&it.features.title_words, &prior_words))
        .max()
        .unwrap_or(0);
    // Overlap over the prior title's words: the prior side is a short title, the
    // finding side a whole description, so Dice would punish the length difference.
    let text = members
        .iter()
        .map(|it| similarity::overlap(&prior_words, &it.features.words, 3))
        .max()
        .unwrap_or(0);
    let window = rules.line_window;
    // The first matching location, and the first one matched with line ranges on
    // both sides: the text signal is looser than the title, so it needs that
    // stronger location evidence, not only the same file.
    let mut location: Option<String> = None;
    let mut line_location: Option<String> = None;
    for it in members {
        for l in &it.features.locations {
            for p in &prior.locations {
                let pp = similarity::normalize_path(&p.path);
                let same = similarity::same_file(&l.path, &pp)
                    || (rules.match_basename
                        && similarity::basename(&l.path) == similarity::basename(&pp));
                if !same {
                    continue;
                }
                let pl = p.start.map(|s| (s, p.end.unwrap_or(s).max(s)));
                let (ok, with_lines) = match (l.lines, pl) {
                    (Some(a), Some(b)) => (line_gap(a, b) <= window, true),
                    _ => (true, false),
                };
                if !ok {
                    continue;
                }
                let here = match l.lines {
                    Some((a, b)) if a != b => format!("{}:{a}-{b}", l.path),
                    Some((a, _)) => format!("{}:{a}", l.path),
                    None => l.path.clone(),
                };
                let described = format!("{here} near {p}");
                if with_lines && line_location.is_none() {
                    line_location = Some(described.clone());
                }
                location.get_or_insert(described);
            }
        }
    }
    let title_s = similarity::permille(title);
    match location {
        Some(loc) if title >= rules.title_with_location => Some(format!(
            "location {loc} (within {window} lines) and title similarity {title_s} ≥ {}",
            similarity::permille(rules.title_with_location)
        )),
        _ if text >= rules.text_with_location && line_location.is_some() => Some(format!(
            "location {} (within {window} lines) and {} of the prior title's words in the finding ≥ {}",
            line_location.as_deref().unwrap_or_default(),
            similarity::permille(text),
            similarity::permille(rules.text_with_location)
        )),
        _ if title >= rules.title_alone => Some(format!(
            "title similarity {title_s} ≥ {}",
            similarity::permille(rules.title_alone)
        )),
        _ => None,
    }
}

/// The name of a prior resolution status.
pub fn status_name(s: ResolutionStatus) -> &'static str {
    match s {
        ResolutionStatus::Fixed => "fixed",
        ResolutionStatus::TestWritten => "test-written",
        ResolutionStatus::Declined => "declined",
        ResolutionStatus::Deferred => "deferred",
        ResolutionStatus::Unresolved => "unresolved",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consolidate::rules::Rules;
    use crate::model::{Location, RawFinding};

    fn raw(title: &str, body: &str, path: &str, start: u32, end: u32) -> RawFinding {
        RawFinding {
            ordinal: 1,
            raised_id: Some("I1".into()),
            severity: Severity::Important,
            classification: None,
            tags: Vec::new(),
            title: title.into(),
            locations: vec![Location {
                path: path.into(),
                start: Some(start),
                end: Some(end),
            }],
            body: body.into(),
            fix: None,
            code_blocks: Vec::new(),
            line: 1,
        }
    }

    fn declined(title: &str, path: &str, start: u32, end: u32) -> PriorResolution {
        PriorResolution {
            round: 1,
            id: "I1".into(),
            title: title.into(),
            locations: vec![Location {
                path: path.into(),
                start: Some(start),
                end: Some(end),
            }],
            status: ResolutionStatus::Declined,
            reason: String::new(),
            severity: None,
        }
    }

    #[test]
    fn reworded_reraise_at_a_shifted_location_matches_through_its_body() {
        let rules = Rules::default().prior;
        let prior = declined(
            "Unknown keys are accepted without error",
            "cmd/a.go",
            40,
            52,
        );
        let reraised_raw = raw(
            "Unrecognised names pass silently",
            "Keys are not validated, so a typo is accepted and sent on.",
            "cmd/a.go",
            44,
            57,
        );
        let reraised = Item::new("gemini", 1, &reraised_raw);
        let evidence = prior_match(&[&reraised], &prior, &rules);
        assert!(
            evidence
                .as_deref()
                .is_some_and(|e| e.contains("prior title's words")),
            "{evidence:?}"
        );
        // The same text elsewhere in the code base is not the declined item.
        let elsewhere_raw = raw(
            "Unrecognised names pass silently",
            "Keys are not validated, so a typo is accepted and sent on.",
            "pkg/other.go",
            44,
            57,
        );
        let elsewhere = Item::new("gemini", 1, &elsewhere_raw);
        assert_eq!(prior_match(&[&elsewhere], &prior, &rules), None);
        // Same place, another problem: too few of the prior title's words.
        let other_raw = raw(
            "Help output is unsorted",
            "Keys print in map order.",
            "cmd/a.go",
            44,
            57,
        );
        let other = Item::new("gemini", 1, &other_raw);
        assert_eq!(prior_match(&[&other], &prior, &rules), None);
        // A prior location without lines is only the same file: too weak for the
        // text signal.
        let mut file_only = prior.clone();
        for l in &mut file_only.locations {
            l.start = None;
            l.end = None;
        }
        assert_eq!(prior_match(&[&reraised], &file_only, &rules), None);
    }

    fn blank() -> DecisionRecord {
        DecisionRecord {
            rule: "".into(),
            detail: String::new(),
        }
    }

    /// Each agent's severity, in key order, as [`per_agent`] gives them.
    fn agents<'a>(pairs: &[(&'a str, Severity)]) -> Vec<(&'a str, Severity)> {
        let mut v = pairs.to_vec();
        v.sort();
        v
    }

    /// The map [`per_agent`] was, kept as its reference.
    fn per_agent_by_map<'a>(members: &[&'a Item]) -> std::collections::BTreeMap<&'a str, Severity> {
        let mut m = std::collections::BTreeMap::new();
        for it in members {
            let e = m.entry(it.agent).or_insert(it.finding.severity);
            *e = (*e).max(it.finding.severity);
        }
        m
    }

    proptest::proptest! {
        #[test]
        fn the_consensus_record_names_the_formatted_minimum(
            raised in proptest::collection::vec(proptest::sample::select(Severity::ALL.to_vec()), 2..5),
            min in proptest::prop_oneof![0u32..12, proptest::num::u32::ANY],
        ) {
            // The minimum was written by itoa: the record holds its `format!`
            // text where it was.
            let names = ["a", "b", "c", "d", "e"];
            let agents: Vec<(&str, Severity)> = names.iter().copied().zip(raised).collect();
            let mut rules = Rules::default().severity;
            rules.consensus_min_agents = min;
            let (_, record) = rule_severity(&agents, &rules);
            let min = min.max(1);
            let reached = format!("; highest severity reached by ≥{min} agents: ");
            let not_reached = format!("; no severity reached by {min} agents; lowest raised: ");
            proptest::prop_assert!(record.detail.contains(&reached) || record.detail.contains(&not_reached));
        }

        #[test]
        fn push_space_severity_is_a_space_and_the_name(
            s in proptest::sample::select(Severity::ALL.to_vec()),
        ) {
            let mut out = String::from("x");
            push_space_severity(&mut out, s);
            proptest::prop_assert_eq!(out, format!("x {}", s.as_str()));
        }

        #[test]
        fn per_agent_is_the_maps_entries_in_order(
            raised in proptest::collection::vec(
                ("[a-zA-Zé0-9 .-]{0,6}", proptest::sample::select(Severity::ALL.to_vec())),
                0..9,
            ),
        ) {
            let findings: Vec<RawFinding> = raised
                .iter()
                .map(|(_, s)| RawFinding { severity: *s, ..raw("t", "b", "a.go", 1, 2) })
                .collect();
            let items: Vec<Item> = raised
                .iter()
                .zip(&findings)
                .map(|((a, _), f)| Item::new(a, 1, f))
                .collect();
            let members: Vec<&Item> = items.iter().collect();
            let by_map: Vec<(&str, Severity)> = per_agent_by_map(&members).into_iter().collect();
            // Into a vector that held another cluster's agents.
            let mut reused = vec![("stale", Severity::Critical)];
            per_agent(members.iter().copied(), &mut reused);
            proptest::prop_assert_eq!(reused, by_map);
        }
    }

    fn lone(agent: &str) -> Vec<(&str, Severity)> {
        agents(&[(agent, Severity::Critical), ("other", Severity::Suggestion)])
    }

    fn by_calibration(rates: &[(&str, Option<u32>)]) -> Rules {
        let mut rules = Rules::default();
        rules.severity.lone_critical = LoneCritical::ByCalibration;
        for (agent, rate) in rates {
            rules.calibration.insert(
                agent.to_string(),
                crate::consolidate::rules::AgentCalibration {
                    critical_keep_rate: *rate,
                    important_keep_rate: Some(900),
                    suggestion_keep_rate: None,
                },
            );
        }
        rules
    }

    #[test]
    fn lone_critical_by_calibration_follows_the_agents_keep_rate() {
        let rules = by_calibration(&[("gemini", Some(330)), ("claude", Some(500))]);
        let (s, rec) = lone_critical(Severity::Critical, &lone("gemini"), false, &rules)
            .unwrap_or((Severity::Critical, blank()));
        assert_eq!(s, Severity::Important);
        assert_eq!(
            rec.detail,
            "critical raised by gemini only; gemini's criticals kept at rate 0.330 < 0.500: critical → important"
        );
        // At the minimum, it stays.
        let (s, rec) = lone_critical(Severity::Critical, &lone("claude"), false, &rules)
            .unwrap_or((Severity::Important, blank()));
        assert_eq!(s, Severity::Critical);
        assert!(
            rec.detail.contains("rate 0.500 ≥ 0.500: stays critical"),
            "{}",
            rec.detail
        );
        // The minimum is a rule: raise it and claude's critical is re-rated too.
        let mut strict = rules.clone();
        strict.severity.lone_critical_min_keep_rate = 501;
        let s = lone_critical(Severity::Critical, &lone("claude"), false, &strict).map(|(s, _)| s);
        assert_eq!(s, Some(Severity::Important));
        // A confirming adjudication still wins.
        let s = lone_critical(Severity::Critical, &lone("gemini"), true, &rules).map(|(s, _)| s);
        assert_eq!(s, Some(Severity::Critical));
        // Two agents at critical: not a lone critical, the rule does not fire.
        let both = agents(&[
            ("gemini", Severity::Critical),
            ("claude", Severity::Critical),
        ]);
        assert!(lone_critical(Severity::Critical, &both, false, &rules).is_none());
    }

    #[test]
    fn lone_critical_by_calibration_without_data_falls_back_to_important() {
        // No table for codex; a table for gemini without a critical rate.
        let rules = by_calibration(&[("gemini", None)]);
        for agent in ["codex", "gemini"] {
            let got = lone_critical(Severity::Critical, &lone(agent), false, &rules);
            let (s, rec) = got.unwrap_or((Severity::Critical, blank()));
            assert_eq!(s, Severity::Important, "{agent}");
            assert_eq!(
                rec.detail,
                format!(
                    "critical raised by {agent} only; no critical keep rate for {agent} in [calibration]: critical → important"
                )
            );
        }
    }

    #[test]
    fn lone_important_by_calibration_lowers_only_rarely_kept_agents() {
        let mut rules = by_calibration(&[]);
        rules.severity.lone_important = LoneImportant::ByCalibration;
        for (agent, rate) in [("gemini", 370), ("claude", 756)] {
            rules.calibration.insert(
                agent.to_string(),
                crate::consolidate::rules::AgentCalibration {
                    important_keep_rate: Some(rate),
                    ..Default::default()
                },
            );
        }
        let one = |a: &'static str| agents(&[(a, Severity::Important)]);
        let got = lone_important(Severity::Important, &one("gemini"), false, &rules);
        let (s, rec) = got.unwrap_or((Severity::Important, blank()));
        assert_eq!(s, Severity::Suggestion);
        assert_eq!(
            rec.detail,
            "important raised by gemini only; gemini's importants kept at rate 0.370 < 0.500: important → suggestion"
        );
        let got = lone_important(Severity::Important, &one("claude"), false, &rules);
        assert_eq!(got.map(|(s, _)| s), Some(Severity::Important));
        // Without data, confirmed, in a multi-agent cluster, or with the rule off:
        // it does not fire.
        assert!(lone_important(Severity::Important, &one("codex"), false, &rules).is_none());
        assert!(lone_important(Severity::Important, &one("gemini"), true, &rules).is_none());
        let two = agents(&[
            ("gemini", Severity::Important),
            ("claude", Severity::Suggestion),
        ]);
        assert!(lone_important(Severity::Important, &two, false, &rules).is_none());
        // A lone critical re-rated to important is the lone-critical rule's business.
        let crit = agents(&[("gemini", Severity::Critical)]);
        assert!(lone_important(Severity::Important, &crit, false, &rules).is_none());
        rules.severity.lone_important = LoneImportant::Keep;
        assert!(lone_important(Severity::Important, &one("gemini"), false, &rules).is_none());
    }
}
