//! One round's section, shared by every HTML page: what the round is, its
//! verdict, and its consolidated findings — each with its sources (the raw
//! findings that fed it) and its explain trail (the rules that decided it), as
//! `review-replay explain` prints them — then what was dropped or moved.
//!
//! Everything below the verdict is in `<details>` blocks, closed: a page with
//! many rounds stays short, and opens without JavaScript. Finding-level changes
//! between two reports of a round (`check`: golden → replayed; `eval`: baseline →
//! candidate) are listed with [`change`].

use std::collections::BTreeMap;

use maud::{Markup, html};

use crate::consolidate::engine::AgentReview;
use crate::golden::diff::Change;
use crate::render::html::page::{plural, round_anchor};
use crate::report::{ConsolidatedFinding, FindingStatus, Report, SourceRef};

/// A replayed report with the titles of its raw findings, as their agents wrote
/// them: what a round section shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Replayed {
    /// The report.
    pub report: Report,
    /// Raw finding titles by (agent, pass, ordinal).
    pub titles: BTreeMap<(String, u32, u32), String>,
}

impl Replayed {
    /// Keeps `report` with the titles of the raw findings in `reviews`.
    pub fn new(report: Report, reviews: &[AgentReview]) -> Replayed {
        let titles = reviews
            .iter()
            .flat_map(|r| {
                r.review
                    .findings
                    .iter()
                    .map(move |f| ((r.agent.clone(), r.pass, f.ordinal), f.title.clone()))
            })
            .collect();
        Replayed { report, titles }
    }

    fn title(&self, s: &SourceRef) -> Option<&str> {
        self.titles
            .get(&(s.agent.clone(), s.pass, s.ordinal))
            .map(String::as_str)
            .filter(|t| !t.is_empty())
    }
}

/// The heading of a round section, with its anchor, and the round's metadata.
pub fn heading(id: &str, report: Option<&Report>) -> Markup {
    let meta = report.map(|r| &r.round);
    let mut facts: Vec<String> = Vec::new();
    if let Some(m) = meta {
        if let Some(repo) = &m.repo {
            facts.push(match m.pr {
                Some(pr) => format!("{repo} #{pr}"),
                None => repo.clone(),
            });
        } else if let Some(pr) = m.pr {
            facts.push(format!("PR #{pr}"));
        }
        if let Some(round) = m.round {
            facts.push(format!("round {round}"));
        }
        if let Some(date) = &m.date {
            facts.push(date.clone());
        }
    }
    html! {
        h3 id=(round_anchor(id)) { code { (id) } }
        @if let Some(t) = meta.and_then(|m| m.title.as_deref()) {
            p { (t) }
        }
        @if !facts.is_empty() {
            p.note { (facts.join(" · ")) }
        }
    }
}

/// The verdict line and the collapsible findings of one report.
pub fn findings(replayed: &Replayed, label: &str) -> Markup {
    let report = &replayed.report;
    let gone = report.dropped.len() + report.moved.len();
    html! {
        p {
            strong { (label) }
            " verdict: " strong { (report.verdict.decision.label()) }
            @if !report.verdict.reason.is_empty() { " — " (report.verdict.reason) }
        }
        details {
            summary { (label) ": " (plural(report.findings.len(), "consolidated finding", "consolidated findings")) }
            @if report.findings.is_empty() {
                p.note { "No finding survived." }
            }
            @for f in &report.findings {
                (finding(f, replayed))
            }
        }
        @if gone > 0 {
            details {
                summary { (label) ": " (plural(gone, "finding dropped or moved", "findings dropped or moved")) }
                ul {
                    @for d in &report.dropped {
                        li {
                            "dropped (" (d.reason) "): " (d.title)
                            " — " (sources_inline(&d.sources))
                            @if !d.detail.is_empty() { br; span.note { (d.detail) } }
                        }
                    }
                    @for m in &report.moved {
                        li {
                            "moved to " (m.to) ": " (m.title)
                            " — " (sources_inline(&m.sources))
                            @if !m.reason.is_empty() { br; span.note { (m.reason) } }
                        }
                    }
                }
            }
        }
        @if !report.notices.is_empty() {
            details {
                summary { (label) ": " (plural(report.notices.len(), "notice", "notices")) }
                ul { @for n in &report.notices { li { (n) } } }
            }
        }
    }
}

fn finding(f: &ConsolidatedFinding, replayed: &Replayed) -> Markup {
    let status = match f.status {
        FindingStatus::Open => "open",
        FindingStatus::Deferred => "deferred (does not block)",
        FindingStatus::Fixed => "fixed (does not block)",
    };
    html! {
        details.finding {
            summary {
                strong { (f.id) } " [" (f.severity) "] " (f.title)
                " — " (f.agents.join(", "))
            }
            p.note {
                "status: " (status)
                @if let Some(c) = &f.classification { " · " (c) }
                @if !f.tags.is_empty() { " · tags: " (f.tags.join(", ")) }
            }
            @if !f.locations.is_empty() {
                p { "locations: "
                    @for (i, l) in f.locations.iter().enumerate() {
                        @if i > 0 { ", " }
                        code { (l.to_string()) }
                    }
                }
            }
            @if !f.body.is_empty() {
                pre { (f.body) }
            }
            @if let Some(fix) = &f.fix {
                p { "fix: " (fix) }
            }
            h4 { "Sources" }
            ul {
                @for s in &f.sources {
                    li {
                        (source(s))
                        @if let Some(t) = replayed.title(s) { " " (t) }
                    }
                }
            }
            h4 { "Explain trail" }
            @if f.decisions.is_empty() {
                p.note { "No rule changed this finding." }
            } @else {
                ol {
                    @for d in &f.decisions {
                        li { code { (d.rule) } ": " (d.detail) }
                    }
                }
            }
        }
    }
}

/// `gemini pass 1 #3 C1 [critical]`, as `explain` writes a source.
fn source(s: &SourceRef) -> String {
    format!(
        "{} pass {} #{} {} [{}]",
        s.agent,
        s.pass,
        s.ordinal,
        s.raised_id.as_deref().unwrap_or("-"),
        s.severity
    )
}

fn sources_inline(sources: &[SourceRef]) -> String {
    sources
        .iter()
        .map(|s| match &s.raised_id {
            Some(id) => format!("{} {id}", s.agent),
            None => format!("{} #{}", s.agent, s.ordinal),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The kind of a change as a short word, and the rule responsible.
pub fn kind(c: &Change) -> (&'static str, Option<&str>) {
    match c {
        Change::Verdict { .. } => ("verdict", None),
        Change::Added { rule, .. } => ("added", rule.as_deref()),
        Change::Removed { .. } => ("removed", None),
        Change::Severity { rule, .. } => ("re-rated", rule.as_deref()),
        Change::Attribution { rule, .. } => ("attribution", rule.as_deref()),
        Change::Sources { rule, .. } => ("sources", rule.as_deref()),
        Change::Status { rule, .. } => ("status", rule.as_deref()),
        Change::Merged { rule, .. } => ("merged", rule.as_deref()),
        Change::Split { rule, .. } => ("split", rule.as_deref()),
        Change::Regrouped { rule, .. } => ("regrouped", rule.as_deref()),
        Change::Retro { .. } => ("retro", None),
    }
}

/// One finding-level change as a list item: its kind, what changed, and the
/// rule responsible on its own.
pub fn change(c: &Change) -> Markup {
    let (k, rule) = kind(c);
    let text = c.to_string();
    // The rule is shown on its own; the text keeps everything else.
    let text = match rule {
        Some(r) => text
            .strip_suffix(&format!(" [rule: {r}]"))
            .map(str::to_string)
            .unwrap_or(text),
        None => text,
    };
    html! {
        li {
            span.badge { (k) } " " (text)
            @if let Some(r) = rule { " — rule " code { (r) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cassette::RoundMeta;
    use crate::model::{Location, Severity};
    use crate::report::{DecisionRecord, Verdict, VerdictDecision};

    const HOSTILE: &str = "<script>alert(\"x\")</script> & <img src=x>";

    fn hostile_report() -> Report {
        let round = RoundMeta {
            id: "r<1>".into(),
            title: Some(HOSTILE.into()),
            ..RoundMeta::default()
        };
        let mut r = Report::new(
            round,
            Verdict {
                decision: VerdictDecision::Rework,
                reason: HOSTILE.into(),
            },
        );
        let source = SourceRef {
            agent: "gem<ini>".into(),
            pass: 1,
            ordinal: 2,
            raised_id: Some("C1\"".into()),
            severity: Severity::Critical,
        };
        r.findings.push(ConsolidatedFinding {
            id: "C1".into(),
            severity: Severity::Critical,
            status: FindingStatus::Open,
            classification: None,
            tags: vec![HOSTILE.into()],
            title: HOSTILE.into(),
            locations: vec![Location {
                path: HOSTILE.into(),
                start: Some(3),
                end: Some(4),
            }],
            agents: vec!["gem<ini>".into()],
            sources: vec![source],
            decisions: vec![DecisionRecord {
                rule: HOSTILE.into(),
                detail: HOSTILE.into(),
            }],
            body: HOSTILE.into(),
            fix: Some(HOSTILE.into()),
            carried_from: None,
        });
        r
    }

    #[test]
    fn report_text_is_escaped_everywhere() {
        let report = hostile_report();
        let mut titles = BTreeMap::new();
        titles.insert(("gem<ini>".to_string(), 1, 2), HOSTILE.to_string());
        let replayed = Replayed { report, titles };
        let html = format!(
            "{}{}",
            heading("r<1>", Some(&replayed.report)).into_string(),
            findings(&replayed, "Replayed").into_string()
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(
                "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x&gt;"
            )
        );
        // The source line carries the raw finding's (escaped) title.
        assert!(
            html.contains("gem&lt;ini&gt; pass 1 #2 C1&quot; [critical] &lt;script&gt;"),
            "{html}"
        );
        assert!(html.contains("id=\"round-r_3c1_3e\""), "{html}");
    }
}
