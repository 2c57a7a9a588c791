//! The `check --html` page: which rounds changed against their golden files, and
//! how, in review terms.
//!
//! Layout: the counts and one line per round that does not match (linking to
//! its section); then one section per changed round: why it changed (its stamp),
//! the finding-level changes (added, removed, re-rated, merged, split, ...) each
//! with the rule responsible, the unified text diff in a `<details>` block, and
//! the replayed report's findings. Rounds come in the harness's order (by id), so
//! the page is as deterministic as the text output.

use maud::{Markup, html};

use crate::golden::diff::Change;
use crate::golden::run::{Outcome, RoundResult, Status};
use crate::render::html::chart::{self, Cell, Strip, StripLegend};
use crate::render::html::page::{self, plural, round_anchor};
use crate::render::html::round::{self, change, kind};

/// The whole page.
pub fn render(outcome: &Outcome) -> String {
    let all: Vec<&RoundResult> = outcome.rounds.iter().chain(&outcome.orphans).collect();
    let count = |key: &str| all.iter().filter(|r| r.status.key() == key).count();
    let changed: Vec<&RoundResult> = all
        .iter()
        .copied()
        .filter(|r| matches!(r.status, Status::Changed { .. }))
        .collect();
    let others: Vec<&RoundResult> = all
        .iter()
        .copied()
        .filter(|r| !matches!(r.status, Status::Match | Status::Changed { .. }))
        .collect();
    let subtitle = format!(
        "{}: {} match, {} changed, {} new, {} corrupt, {} orphaned",
        plural(outcome.rounds.len(), "round", "rounds"),
        count("match"),
        count("changed"),
        count("new"),
        count("corrupt"),
        count("orphaned"),
    );
    let strip = Strip {
        key: "strip-rounds".into(),
        title: "Rounds against their golden files".into(),
        desc: format!(
            "{} rounds in id order: {} match, {} changed, {} do not match for another reason.",
            all.len(),
            count("match"),
            changed.len(),
            others.len()
        ),
        columns: all
            .iter()
            .map(|r| {
                // Matching rounds have no section to link to.
                let href = (!matches!(r.status, Status::Match))
                    .then(|| format!("#{}", round_anchor(&r.id)));
                (r.id.to_string(), href)
            })
            .collect(),
        tracks: vec![(
            "matches its golden files".into(),
            all.iter()
                .map(|r| match r.status {
                    Status::Match => Cell::Agree,
                    Status::Changed { .. } => Cell::Disagree,
                    _ => Cell::Unknown,
                })
                .collect(),
        )],
    };
    let body = html! {
        (chart::patterns())
        section {
            h2 { "Summary" }
            (chart::strip_legend(StripLegend {
                agree: "matches",
                disagree: "changed",
                unknown: "new, corrupt or orphaned",
                shares: false,
            }))
            figure.chart {
                (chart::strip(&strip))
                ol.sr-only {
                    @for r in &all { li { (r.id) ": " (r.status.key()) } }
                }
            }
            @if changed.is_empty() && others.is_empty() {
                p { span.badge.pass { "✓ all match" } " Every round matches its golden files." }
            }
            @if !changed.is_empty() {
                h3 { (plural(changed.len(), "changed round", "changed rounds")) }
                ul {
                    @for r in &changed {
                        li {
                            span.badge.fail { "≠ changed" } " "
                            a href=(format!("#{}", round_anchor(&r.id))) { code { (r.id) } }
                            @if let Status::Changed { changes, .. } = &r.status {
                                " — " (tally(changes))
                            }
                        }
                    }
                }
            }
            @if !others.is_empty() {
                h3 { (plural(others.len(), "other round that does not match", "other rounds that do not match")) }
                ul {
                    @for r in &others {
                        li id=(round_anchor(&r.id)) { span.badge.fail { (r.status.key()) } " " code { (r.id) } ": " (other_message(r)) }
                    }
                }
            }
        }
        @if !changed.is_empty() {
            section {
                h2 { "Changed rounds" }
                @for r in &changed {
                    (changed_round(r))
                }
            }
        }
    };
    page::page("review-replay check", &subtitle, body)
}

fn other_message(r: &RoundResult) -> String {
    let list = |paths: &[std::path::PathBuf]| {
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &r.status {
        Status::New { missing } => format!("no golden file {}", list(missing)),
        Status::Corrupt { message } => message.clone(),
        Status::Orphaned { files } => format!("{} has no cassette", list(files)),
        Status::Match | Status::Changed { .. } => String::new(),
    }
}

/// `2 re-rated, 1 added`: changes counted by kind, in first-seen order.
fn tally(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no finding-level change; see the text diff".into();
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for c in changes {
        let k = kind(c).0;
        match counts.iter_mut().find(|(name, _)| *name == k) {
            Some((_, n)) => *n += 1,
            None => counts.push((k, 1)),
        }
    }
    counts
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn changed_round(r: &RoundResult) -> Markup {
    let Status::Changed {
        cause,
        changes,
        text_diff,
    } = &r.status
    else {
        return html! {};
    };
    html! {
        section.round {
            (round::heading(&r.id, r.report.as_deref().map(|k| &k.report)))
            p { span.badge.fail { "≠ changed" } " " (cause.describe()) "." }
            h4 { "What changed" }
            @if changes.is_empty() {
                p.note { "No finding-level change; see the text diff." }
            } @else {
                ul { @for c in changes { (change(c)) } }
            }
            details {
                summary { "Text diff (" (text_diff.lines().count()) " lines)" }
                pre.diff {
                    @for line in text_diff.lines() {
                        @let class = if line.starts_with("+++") || line.starts_with("---") {
                            "head"
                        } else if line.starts_with('+') {
                            "add"
                        } else if line.starts_with('-') {
                            "del"
                        } else if line.starts_with("@@") {
                            "hunk"
                        } else {
                            "ctx"
                        };
                        span class=(class) { (line) }
                    }
                }
            }
            @if let Some(replayed) = r.report.as_deref() {
                (round::findings(replayed, "Replayed"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    #[test]
    fn changes_are_tallied_by_kind_and_keep_their_rule() {
        let re_rated = Change::Severity {
            id: "I1".into(),
            new_id: "C1".into(),
            title: "t".into(),
            from: Severity::Important,
            to: Severity::Critical,
            rule: Some("single-agent".into()),
        };
        let added = Change::Added {
            id: "S4".into(),
            severity: Severity::Suggestion,
            title: "u".into(),
            was: None,
            rule: None,
        };
        assert_eq!(
            tally(&[re_rated.clone(), added, re_rated.clone()]),
            "2 re-rated, 1 added"
        );
        assert_eq!(tally(&[]), "no finding-level change; see the text diff");
        let li = change(&re_rated).into_string();
        assert!(li.contains("<span class=\"badge\">re-rated</span> I1 important → critical (now C1): &quot;t&quot; — rule <code>single-agent</code>"), "{li}");
        assert!(!li.contains("[rule:"), "the rule is shown once: {li}");
    }
}
