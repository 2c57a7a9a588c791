//! Finding-level diff: what changed between a golden report and a replayed one,
//! in the words of the review (a finding added, a severity lowered, two findings
//! merged), each with the rule that caused it.
//!
//! Findings are matched across the two reports by their `sources` — the set of
//! raw findings (agent, pass, ordinal) they cluster — never by id, because ids
//! are renumbered whenever a finding above them appears or disappears. Findings
//! with the same source set are the same finding; the rest are grouped into
//! connected components of "shares a source", which gives merges (many old → one
//! new), splits (one old → many new) and regroupings (many → many).
//!
//! Invariant: the output depends only on the two reports, in report order, so the
//! same pair always gives the same list in the same order.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::model::Severity;
use crate::report::{AgentRetro, ConsolidatedFinding, FindingStatus, Report};

/// One change between a golden report and a replayed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// The verdict changed.
    Verdict {
        /// Old decision key.
        from: String,
        /// New decision key.
        to: String,
        /// The new reason.
        reason: String,
    },
    /// A finding appears that matches no golden finding.
    Added {
        /// New id.
        id: String,
        /// New severity.
        severity: Severity,
        /// Title.
        title: String,
        /// Where its sources were in the golden report (`dropped: false-positive`).
        was: Option<String>,
        /// The rule that decided its severity.
        rule: Option<String>,
    },
    /// A golden finding matches no replayed finding.
    Removed {
        /// Old id.
        id: String,
        /// Old severity.
        severity: Severity,
        /// Title.
        title: String,
        /// Where its sources went in the replayed report (`dropped: false-positive`).
        now: Option<String>,
    },
    /// The same finding at another severity.
    Severity {
        /// Old id.
        id: String,
        /// New id.
        new_id: String,
        /// Title.
        title: String,
        /// Old severity.
        from: Severity,
        /// New severity.
        to: Severity,
        /// The last rule that set the severity.
        rule: Option<String>,
    },
    /// The same finding credited to other agents.
    Attribution {
        /// New id.
        id: String,
        /// Title.
        title: String,
        /// Agents now credited that were not.
        added: Vec<String>,
        /// Agents no longer credited.
        removed: Vec<String>,
        /// The last rule of the finding.
        rule: Option<String>,
    },
    /// The same finding (overlapping sources, same agents) with other raw findings.
    Sources {
        /// New id.
        id: String,
        /// Title.
        title: String,
        /// Raw findings now in the cluster (`codex p1#3`).
        added: Vec<String>,
        /// Raw findings no longer in it.
        removed: Vec<String>,
        /// The last rule of the finding.
        rule: Option<String>,
    },
    /// The same finding with another status.
    Status {
        /// New id.
        id: String,
        /// Title.
        title: String,
        /// Old status.
        from: FindingStatus,
        /// New status.
        to: FindingStatus,
        /// The last rule of the finding.
        rule: Option<String>,
    },
    /// Several golden findings are one replayed finding.
    Merged {
        /// Old ids.
        from: Vec<String>,
        /// New id.
        into: String,
        /// Title of the new finding.
        title: String,
        /// The last rule of the new finding.
        rule: Option<String>,
    },
    /// One golden finding is several replayed findings.
    Split {
        /// Old id.
        from: String,
        /// New ids.
        into: Vec<String>,
        /// Title of the old finding.
        title: String,
        /// The last rule of the first new finding.
        rule: Option<String>,
    },
    /// Several golden findings are several other replayed findings.
    Regrouped {
        /// Old ids.
        from: Vec<String>,
        /// New ids.
        into: Vec<String>,
        /// The last rule of the first new finding.
        rule: Option<String>,
    },
    /// A retro figure of one agent changed.
    Retro {
        /// Agent key.
        agent: String,
        /// Field name as in the JSON report (`false_positives`, `raised.critical`).
        metric: String,
        /// Old value (`-` when absent).
        from: String,
        /// New value (`-` when absent).
        to: String,
    },
}

fn rule_suffix(f: &mut fmt::Formatter<'_>, rule: &Option<String>) -> fmt::Result {
    match rule {
        Some(r) => write!(f, " [rule: {r}]"),
        None => Ok(()),
    }
}

fn signed(added: &[String], removed: &[String]) -> String {
    let mut parts: Vec<String> = added.iter().map(|a| format!("+{a}")).collect();
    parts.extend(removed.iter().map(|r| format!("-{r}")));
    parts.join(" ")
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Verdict { from, to, reason } => {
                write!(f, "verdict {from} → {to}")?;
                if !reason.is_empty() {
                    write!(f, " ({reason})")?;
                }
                Ok(())
            }
            Change::Added {
                id,
                severity,
                title,
                was,
                rule,
            } => {
                write!(f, "{id} added ({severity}): {title:?}")?;
                if let Some(w) = was {
                    write!(f, ", was {w}")?;
                }
                rule_suffix(f, rule)
            }
            Change::Removed {
                id,
                severity,
                title,
                now,
            } => {
                write!(f, "{id} removed ({severity}): {title:?}")?;
                if let Some(n) = now {
                    write!(f, ", now {n}")?;
                }
                Ok(())
            }
            Change::Severity {
                id,
                new_id,
                title,
                from,
                to,
                rule,
            } => {
                write!(f, "{id} {from} → {to}")?;
                if new_id != id {
                    write!(f, " (now {new_id})")?;
                }
                write!(f, ": {title:?}")?;
                rule_suffix(f, rule)
            }
            Change::Attribution {
                id,
                title,
                added,
                removed,
                rule,
            } => {
                write!(f, "{id} attribution {}: {title:?}", signed(added, removed))?;
                rule_suffix(f, rule)
            }
            Change::Sources {
                id,
                title,
                added,
                removed,
                rule,
            } => {
                write!(f, "{id} sources {}: {title:?}", signed(added, removed))?;
                rule_suffix(f, rule)
            }
            Change::Status {
                id,
                title,
                from,
                to,
                rule,
            } => {
                write!(
                    f,
                    "{id} status {} → {}: {title:?}",
                    status_key(*from),
                    status_key(*to)
                )?;
                rule_suffix(f, rule)
            }
            Change::Merged {
                from,
                into,
                title,
                rule,
            } => {
                write!(f, "{} merged into {into}: {title:?}", from.join(" + "))?;
                rule_suffix(f, rule)
            }
            Change::Split {
                from,
                into,
                title,
                rule,
            } => {
                write!(f, "{from} split into {}: {title:?}", into.join(" + "))?;
                rule_suffix(f, rule)
            }
            Change::Regrouped { from, into, rule } => {
                write!(f, "{} regrouped as {}", from.join(" + "), into.join(" + "))?;
                rule_suffix(f, rule)
            }
            Change::Retro {
                agent,
                metric,
                from,
                to,
            } => write!(f, "{agent} {metric} {from} → {to}"),
        }
    }
}

fn status_key(s: FindingStatus) -> &'static str {
    match s {
        FindingStatus::Open => "open",
        FindingStatus::Deferred => "deferred",
        FindingStatus::Fixed => "fixed",
    }
}

/// A raw finding's identity: (agent, pass, ordinal).
type SourceKey = (String, u32, u32);

fn source_keys(f: &ConsolidatedFinding) -> BTreeSet<SourceKey> {
    f.sources
        .iter()
        .map(|s| (s.agent.clone(), s.pass, s.ordinal))
        .collect()
}

fn show_key(k: &SourceKey) -> String {
    format!("{} p{}#{}", k.0, k.1, k.2)
}

/// The rule that decided the finding: the last decision that names `severity`
/// when one is given (the rule that set it), else the last decision.
fn deciding_rule(f: &ConsolidatedFinding, severity: Option<Severity>) -> Option<String> {
    if let Some(sev) = severity {
        if let Some(d) = f
            .decisions
            .iter()
            .rev()
            .find(|d| d.detail.to_ascii_lowercase().contains(sev.as_str()))
        {
            return Some(d.rule.to_string());
        }
    }
    f.decisions.last().map(|d| d.rule.to_string())
}

/// Where raw findings went in a report outside its findings list.
fn whereabouts(report: &Report, keys: &BTreeSet<SourceKey>) -> Option<String> {
    let hit = |sources: &[crate::report::SourceRef]| {
        sources
            .iter()
            .any(|s| keys.contains(&(s.agent.clone(), s.pass, s.ordinal)))
    };
    if let Some(d) = report.dropped.iter().find(|d| hit(&d.sources)) {
        return Some(format!("dropped: {}", d.reason));
    }
    if let Some(m) = report.moved.iter().find(|m| hit(&m.sources)) {
        return Some(format!("moved to {}: {}", m.to, m.reason));
    }
    None
}

/// Computes the finding-level changes from `old` (golden) to `new` (replayed).
pub fn diff(old: &Report, new: &Report) -> Vec<Change> {
    let mut out = Vec::new();
    if old.verdict.decision != new.verdict.decision {
        out.push(Change::Verdict {
            from: old.verdict.decision.key().to_string(),
            to: new.verdict.decision.key().to_string(),
            reason: new.verdict.reason.clone(),
        });
    }
    diff_findings(old, new, &mut out);
    diff_retro(&old.agents, &new.agents, &mut out);
    out
}

fn diff_findings(old: &Report, new: &Report, out: &mut Vec<Change>) {
    let old_keys: Vec<BTreeSet<SourceKey>> = old.findings.iter().map(source_keys).collect();
    let new_keys: Vec<BTreeSet<SourceKey>> = new.findings.iter().map(source_keys).collect();

    // Exact matches first: the same cluster of raw findings is the same finding.
    let mut new_matched = vec![false; new.findings.len()];
    let mut old_matched = vec![false; old.findings.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (oi, ok) in old_keys.iter().enumerate() {
        if let Some(ni) = new_keys
            .iter()
            .enumerate()
            .position(|(ni, nk)| !new_matched[ni] && nk == ok)
        {
            new_matched[ni] = true;
            old_matched[oi] = true;
            pairs.push((oi, ni));
        }
    }

    // The rest: connected components of "shares a raw finding". Node ids: old
    // findings are 0..n_old, new ones n_old.. .
    let n_old = old.findings.len();
    let mut parent: Vec<usize> = (0..n_old + new.findings.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while let Some(&p) = parent.get(x) {
            if p == x {
                break;
            }
            x = p;
        }
        x
    }
    let mut owner: BTreeMap<&SourceKey, usize> = BTreeMap::new();
    let unmatched_old = (0..n_old).filter(|&i| !old_matched[i]);
    let unmatched_new = (0..new.findings.len())
        .filter(|&i| !new_matched[i])
        .map(|i| i + n_old);
    for node in unmatched_old.chain(unmatched_new) {
        let keys = if node < n_old {
            &old_keys[node]
        } else {
            &new_keys[node - n_old]
        };
        for k in keys {
            match owner.get(k) {
                Some(&other) => {
                    let (a, b) = (find(&mut parent, node), find(&mut parent, other));
                    if a != b {
                        let (lo, hi) = (a.min(b), a.max(b));
                        parent[hi] = lo;
                    }
                }
                None => {
                    owner.insert(k, node);
                }
            }
        }
    }
    // Components in order of their smallest node: old report order, then new.
    let mut components: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for node in 0..parent.len() {
        let matched = if node < n_old {
            old_matched[node]
        } else {
            new_matched[node - n_old]
        };
        if matched {
            continue;
        }
        let root = find(&mut parent, node);
        let entry = components.entry(root).or_default();
        if node < n_old {
            entry.0.push(node);
        } else {
            entry.1.push(node - n_old);
        }
    }

    // Report pairs and components together, in old report order, so related
    // lines stay near each other.
    enum Item {
        Pair(usize, usize),
        Group(Vec<usize>, Vec<usize>),
    }
    let mut items: Vec<(usize, Item)> = pairs
        .into_iter()
        .map(|(o, n)| (o, Item::Pair(o, n)))
        .collect();
    for (root, (olds, news)) in components {
        items.push((root, Item::Group(olds, news)));
    }
    items.sort_by_key(|(k, _)| *k);

    for (_, item) in items {
        match item {
            Item::Pair(o, n) => {
                if let (Some(of), Some(nf)) = (old.findings.get(o), new.findings.get(n)) {
                    compare_same(of, nf, &BTreeSet::new(), &BTreeSet::new(), out);
                }
            }
            Item::Group(olds, news) => group(old, new, &olds, &news, &old_keys, &new_keys, out),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn group(
    old: &Report,
    new: &Report,
    olds: &[usize],
    news: &[usize],
    old_keys: &[BTreeSet<SourceKey>],
    new_keys: &[BTreeSet<SourceKey>],
    out: &mut Vec<Change>,
) {
    let of: Vec<&ConsolidatedFinding> = olds.iter().filter_map(|&i| old.findings.get(i)).collect();
    let nf: Vec<&ConsolidatedFinding> = news.iter().filter_map(|&i| new.findings.get(i)).collect();
    let empty = BTreeSet::new();
    if of.is_empty() {
        for (&i, n) in news.iter().zip(&nf) {
            let keys = new_keys.get(i).unwrap_or(&empty);
            out.push(Change::Added {
                id: n.id.clone(),
                severity: n.severity,
                title: n.title.clone(),
                was: whereabouts(old, keys),
                rule: deciding_rule(n, Some(n.severity)),
            });
        }
        return;
    }
    if nf.is_empty() {
        for (&i, o) in olds.iter().zip(&of) {
            let keys = old_keys.get(i).unwrap_or(&empty);
            out.push(Change::Removed {
                id: o.id.clone(),
                severity: o.severity,
                title: o.title.clone(),
                now: whereabouts(new, keys),
            });
        }
        return;
    }
    match (of.as_slice(), nf.as_slice()) {
        ([o], [n]) => {
            let ok = olds
                .first()
                .and_then(|&i| old_keys.get(i))
                .unwrap_or(&empty);
            let nk = news
                .first()
                .and_then(|&i| new_keys.get(i))
                .unwrap_or(&empty);
            compare_same(o, n, ok, nk, out);
        }
        (os, [n]) => out.push(Change::Merged {
            from: os.iter().map(|f| f.id.clone()).collect(),
            into: n.id.clone(),
            title: n.title.clone(),
            rule: deciding_rule(n, None),
        }),
        ([o], ns) => out.push(Change::Split {
            from: o.id.clone(),
            into: ns.iter().map(|f| f.id.clone()).collect(),
            title: o.title.clone(),
            rule: ns.first().and_then(|n| deciding_rule(n, None)),
        }),
        (os, ns) => out.push(Change::Regrouped {
            from: os.iter().map(|f| f.id.clone()).collect(),
            into: ns.iter().map(|f| f.id.clone()).collect(),
            rule: ns.first().and_then(|n| deciding_rule(n, None)),
        }),
    }
}

/// Compares two findings taken to be the same issue. `ok`/`nk` are their source
/// sets when they differ (empty when they are equal).
fn compare_same(
    o: &ConsolidatedFinding,
    n: &ConsolidatedFinding,
    ok: &BTreeSet<SourceKey>,
    nk: &BTreeSet<SourceKey>,
    out: &mut Vec<Change>,
) {
    if o.severity != n.severity {
        out.push(Change::Severity {
            id: o.id.clone(),
            new_id: n.id.clone(),
            title: n.title.clone(),
            from: o.severity,
            to: n.severity,
            rule: deciding_rule(n, Some(n.severity)),
        });
    }
    let oa: BTreeSet<&String> = o.agents.iter().collect();
    let na: BTreeSet<&String> = n.agents.iter().collect();
    if oa != na {
        out.push(Change::Attribution {
            id: n.id.clone(),
            title: n.title.clone(),
            added: na.difference(&oa).map(|s| s.to_string()).collect(),
            removed: oa.difference(&na).map(|s| s.to_string()).collect(),
            rule: deciding_rule(n, None),
        });
    } else if ok != nk {
        out.push(Change::Sources {
            id: n.id.clone(),
            title: n.title.clone(),
            added: nk.difference(ok).map(show_key).collect(),
            removed: ok.difference(nk).map(show_key).collect(),
            rule: deciding_rule(n, None),
        });
    }
    if o.status != n.status {
        out.push(Change::Status {
            id: n.id.clone(),
            title: n.title.clone(),
            from: o.status,
            to: n.status,
            rule: deciding_rule(n, None),
        });
    }
}

fn retro_fields(a: &AgentRetro) -> Vec<(&'static str, String)> {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "-".to_string());
    vec![
        ("model", opt(a.model.clone())),
        ("raised.critical", a.raised.critical.to_string()),
        ("raised.important", a.raised.important.to_string()),
        ("raised.suggestion", a.raised.suggestion.to_string()),
        ("design_observations", a.design_observations.to_string()),
        ("false_positives", a.false_positives.to_string()),
        ("unique_insights", a.unique_insights.to_string()),
        ("files_reviewed", a.files_reviewed.to_string()),
        ("coverage_misses", a.coverage_misses.to_string()),
        ("downgraded", a.downgraded.to_string()),
        ("dropped", a.dropped.to_string()),
        ("duration_s", opt(a.duration_s.map(|d| d.to_string()))),
        ("tool_calls", opt(a.tool_calls.map(|t| t.to_string()))),
    ]
}

fn diff_retro(old: &[AgentRetro], new: &[AgentRetro], out: &mut Vec<Change>) {
    let o: BTreeMap<&str, &AgentRetro> = old.iter().map(|a| (a.agent.as_str(), a)).collect();
    let n: BTreeMap<&str, &AgentRetro> = new.iter().map(|a| (a.agent.as_str(), a)).collect();
    let agents: BTreeSet<&str> = o.keys().chain(n.keys()).copied().collect();
    for agent in agents {
        match (o.get(agent), n.get(agent)) {
            (Some(a), Some(b)) => {
                for ((metric, x), (_, y)) in retro_fields(a).into_iter().zip(retro_fields(b)) {
                    if x != y {
                        out.push(Change::Retro {
                            agent: agent.to_string(),
                            metric: metric.to_string(),
                            from: x,
                            to: y,
                        });
                    }
                }
            }
            (Some(_), None) => out.push(Change::Retro {
                agent: agent.to_string(),
                metric: "retro".to_string(),
                from: "present".to_string(),
                to: "absent".to_string(),
            }),
            (None, Some(_)) => out.push(Change::Retro {
                agent: agent.to_string(),
                metric: "retro".to_string(),
                from: "absent".to_string(),
                to: "present".to_string(),
            }),
            (None, None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cassette::RoundMeta;
    use crate::report::{
        DecisionRecord, Dropped, SeverityCounts, SourceRef, Verdict, VerdictDecision,
    };

    fn src(agent: &str, ordinal: u32) -> SourceRef {
        SourceRef {
            agent: agent.to_string(),
            pass: 1,
            ordinal,
            raised_id: None,
            severity: Severity::Important,
        }
    }

    fn finding(id: &str, severity: Severity, sources: &[(&str, u32)]) -> ConsolidatedFinding {
        let mut agents: Vec<String> = sources.iter().map(|(a, _)| a.to_string()).collect();
        agents.sort();
        agents.dedup();
        ConsolidatedFinding {
            id: id.to_string(),
            severity,
            status: FindingStatus::Open,
            classification: None,
            tags: Vec::new(),
            title: format!("title of {id}"),
            locations: Vec::new(),
            agents,
            sources: sources.iter().map(|(a, o)| src(a, *o)).collect(),
            decisions: vec![
                DecisionRecord {
                    rule: "cluster".into(),
                    detail: "grouped".into(),
                },
                DecisionRecord {
                    rule: "consensus".into(),
                    detail: format!("set to {}", severity.as_str()),
                },
                DecisionRecord {
                    rule: "verdict".into(),
                    detail: "counted".into(),
                },
            ],
            body: String::new(),
            fix: None,
            carried_from: None,
        }
    }

    fn retro(agent: &str, false_positives: u32) -> AgentRetro {
        AgentRetro {
            agent: agent.to_string(),
            model: None,
            raised: SeverityCounts::default(),
            design_observations: 0,
            false_positives,
            unique_insights: 0,
            files_reviewed: 0,
            coverage_misses: 0,
            downgraded: 0,
            dropped: 0,
            duration_s: None,
            tool_calls: None,
        }
    }

    fn report(findings: Vec<ConsolidatedFinding>) -> Report {
        Report {
            findings,
            agents: vec![retro("claude", 0), retro("gemini", 0)],
            ..Report::new(
                RoundMeta::default(),
                Verdict {
                    decision: VerdictDecision::MergeWithFixes,
                    reason: "I1 open".into(),
                },
            )
        }
    }

    fn lines(changes: &[Change]) -> Vec<String> {
        changes.iter().map(ToString::to_string).collect()
    }

    use Severity::{Critical, Important, Suggestion};

    proptest::proptest! {
        /// Renumbering and reordering findings is never a change: matching goes
        /// by sources.
        #[test]
        fn ids_and_order_do_not_matter(
            clusters in proptest::collection::vec(
                (0usize..3, proptest::collection::btree_set((0usize..3, 1u32..20), 1..4)),
                0..8,
            ),
            rotate in 0usize..8,
        ) {
            let agents = ["claude", "codex", "gemini"];
            // Distinct clusters only: a raw finding belongs to one finding.
            let mut seen = BTreeSet::new();
            let mut findings = Vec::new();
            for (i, (sev, sources)) in clusters.iter().enumerate() {
                if sources.iter().any(|s| seen.contains(s)) {
                    continue;
                }
                seen.extend(sources.iter().cloned());
                let srcs: Vec<(&str, u32)> = sources
                    .iter()
                    .map(|(a, o)| (agents.get(*a).copied().unwrap_or("claude"), *o))
                    .collect();
                let severity = Severity::ALL.get(*sev).copied().unwrap_or(Important);
                findings.push(finding(&format!("X{i}"), severity, &srcs));
            }
            let old = report(findings.clone());
            let mut moved = findings;
            if !moved.is_empty() {
                let k = rotate % moved.len();
                moved.rotate_left(k);
            }
            for (i, f) in moved.iter_mut().enumerate() {
                f.id = format!("Y{i}");
            }
            let new = report(moved);
            proptest::prop_assert!(diff(&old, &new).is_empty());
            proptest::prop_assert!(diff(&new, &old).is_empty());
        }
    }

    #[test]
    fn identical_reports_have_no_changes() {
        let r = report(vec![finding("I1", Important, &[("claude", 1)])]);
        assert!(diff(&r, &r).is_empty());
    }

    #[test]
    fn renumbering_alone_is_not_a_change() {
        let old = report(vec![finding("I1", Important, &[("claude", 1)])]);
        let new = report(vec![finding("I7", Important, &[("claude", 1)])]);
        assert!(diff(&old, &new).is_empty());
    }

    #[test]
    fn added_and_removed() {
        let old = report(vec![finding("I1", Important, &[("claude", 1)])]);
        let new = report(vec![finding("S1", Suggestion, &[("gemini", 2)])]);
        assert_eq!(
            lines(&diff(&old, &new)),
            vec![
                "I1 removed (important): \"title of I1\"",
                "S1 added (suggestion): \"title of S1\" [rule: consensus]",
            ]
        );
    }

    #[test]
    fn removed_says_where_the_sources_went() {
        let old = report(vec![finding("I1", Important, &[("claude", 1)])]);
        let mut new = report(vec![]);
        new.dropped.push(Dropped {
            sources: vec![src("claude", 1)],
            title: "t".into(),
            reason: "false-positive".into(),
            detail: "d".into(),
        });
        assert_eq!(
            lines(&diff(&old, &new)),
            vec!["I1 removed (important): \"title of I1\", now dropped: false-positive"]
        );
    }

    #[test]
    fn severity_change_names_the_rule_that_set_it() {
        let old = report(vec![finding(
            "I3",
            Important,
            &[("claude", 1), ("gemini", 4)],
        )]);
        let new = report(vec![finding(
            "S1",
            Suggestion,
            &[("claude", 1), ("gemini", 4)],
        )]);
        assert_eq!(
            lines(&diff(&old, &new)),
            vec!["I3 important → suggestion (now S1): \"title of S1\" [rule: consensus]"]
        );
    }

    #[test]
    fn attribution_change() {
        let old = report(vec![finding("I1", Important, &[("claude", 1)])]);
        let new = report(vec![finding(
            "I1",
            Important,
            &[("claude", 1), ("gemini", 3)],
        )]);
        assert_eq!(
            lines(&diff(&old, &new)),
            vec!["I1 attribution +gemini: \"title of I1\" [rule: verdict]"]
        );
    }

    #[test]
    fn merge_and_split() {
        let two = report(vec![
            finding("C1", Critical, &[("claude", 1)]),
            finding("I1", Important, &[("gemini", 2)]),
        ]);
        let one = report(vec![finding(
            "C1",
            Critical,
            &[("claude", 1), ("gemini", 2)],
        )]);
        assert_eq!(
            lines(&diff(&two, &one)),
            vec!["C1 + I1 merged into C1: \"title of C1\" [rule: verdict]"]
        );
        assert_eq!(
            lines(&diff(&one, &two)),
            vec!["C1 split into C1 + I1: \"title of C1\" [rule: verdict]"]
        );
    }

    #[test]
    fn regrouped() {
        let old = report(vec![
            finding("I1", Important, &[("claude", 1), ("gemini", 1)]),
            finding("I2", Important, &[("claude", 2), ("gemini", 2)]),
        ]);
        let new = report(vec![
            finding("I1", Important, &[("claude", 1), ("gemini", 2)]),
            finding("I2", Important, &[("claude", 2), ("gemini", 1)]),
        ]);
        assert_eq!(
            lines(&diff(&old, &new)),
            vec!["I1 + I2 regrouped as I1 + I2 [rule: verdict]"]
        );
    }

    #[test]
    fn status_and_verdict() {
        let old = report(vec![finding("I1", Important, &[("claude", 1)])]);
        let mut new = report(vec![finding("I1", Important, &[("claude", 1)])]);
        if let Some(f) = new.findings.first_mut() {
            f.status = FindingStatus::Deferred;
        }
        new.verdict = Verdict {
            decision: VerdictDecision::MergeAsIs,
            reason: "nothing open".into(),
        };
        assert_eq!(
            lines(&diff(&old, &new)),
            vec![
                "verdict merge-with-fixes → merge-as-is (nothing open)",
                "I1 status open → deferred: \"title of I1\" [rule: verdict]",
            ]
        );
    }

    #[test]
    fn retro_figures() {
        let old = report(vec![]);
        let mut new = report(vec![]);
        new.agents = vec![retro("claude", 0), retro("codex", 0), retro("gemini", 1)];
        assert_eq!(
            lines(&diff(&old, &new)),
            vec![
                "codex retro absent → present",
                "gemini false_positives 0 → 1"
            ]
        );
    }
}
