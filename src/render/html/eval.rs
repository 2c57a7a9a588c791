//! The `eval --html` page: which agent got better or worse, beyond noise, and
//! which rounds changed verdict.
//!
//! Layout: the two sides and the gates; one forest plot per headline metric
//! (paired difference per agent with its bootstrap interval, the zero line, the
//! `--fail-if` margins, failing and straddling rows marked), each followed by the
//! same figures as a table for screen readers; the verdict changes, each linking
//! to its round's section; then one section per changed round with both sides'
//! findings. Rows come in [`crate::eval::compare::Evaluation`] order, so the page
//! is as deterministic as the markdown.

use std::collections::BTreeMap;

use maud::{Markup, html};

use crate::eval::compare::{Evaluation, Row};
use crate::eval::fmt;
use crate::eval::gate::Basis;
use crate::eval::metrics::{Kind, Metric};
use crate::golden::diff::diff;
use crate::render::html::chart::{
    self, Cell, Forest, ForestRow, Margin, Reading, Strip, StripLegend,
};
use crate::render::html::page::{self, plural, round_anchor};
use crate::render::html::round::{self, Replayed};

/// The metrics drawn, with whether a higher value is better.
const DRAWN: [(Metric, bool, &str); 6] = [
    (
        Metric::SurvivalRate,
        true,
        "share of raised findings that survive consolidation",
    ),
    (
        Metric::FalsePositiveRate,
        false,
        "share of raised findings dropped as false positives",
    ),
    (
        Metric::DowngradeRate,
        false,
        "share of surviving findings re-rated lower than raised",
    ),
    (
        Metric::UniqueInsights,
        true,
        "surviving findings credited to one agent alone",
    ),
    (
        Metric::CoverageMisses,
        false,
        "files marked clean where a surviving finding is located",
    ),
    (
        Metric::Recall,
        true,
        "reference findings matched by the engine",
    ),
];

/// The reports of one round on both sides, for its section.
#[derive(Debug, Clone, Copy)]
pub struct RoundReports<'a> {
    /// The baseline's report.
    pub baseline: &'a Replayed,
    /// The candidate's report.
    pub candidate: &'a Replayed,
}

/// The whole page. `reports` holds the rounds whose verdict changed (others
/// may be present and are ignored).
pub fn render(e: &Evaluation, reports: &BTreeMap<String, RoundReports<'_>>) -> String {
    let subtitle = format!(
        "Baseline: {} · Candidate: {} · {}",
        e.labels.0,
        e.labels.1,
        plural(e.paired.len(), "paired round", "paired rounds")
    );
    let body = html! {
        (overview(e))
        (at_a_glance(e))
        (chart::patterns())
        section {
            h2 { "Metrics: candidate − baseline, per agent" }
            p {
                "Each row is the paired difference (candidate − baseline) over the paired rounds, "
                "with its bootstrap interval. A row is better or worse only when its whole interval "
                "is on one side of zero; gates fail only when the whole interval is past the margin."
            }
            (chart::forest_legend())
            @for (i, (metric, higher_better, what)) in DRAWN.iter().enumerate() {
                (metric_chart(e, i, *metric, *higher_better, what))
            }
        }
        (verdicts(e))
        @if !e.verdict_changes.is_empty() {
            section {
                h2 { "Rounds that change verdict" }
                @for v in &e.verdict_changes {
                    section.round {
                        (round::heading(&v.round, reports.get(&v.round).map(|r| &r.candidate.report)))
                        p {
                            "Verdict " strong { (v.baseline.label()) } " → " strong { (v.candidate.label()) } "."
                        }
                        @if let Some(r) = reports.get(&v.round) {
                            h4 { "What changed, baseline → candidate" }
                            ul {
                                @for c in diff(&r.baseline.report, &r.candidate.report) {
                                    (round::change(&c))
                                }
                            }
                            (round::findings(r.baseline, "Baseline"))
                            (round::findings(r.candidate, "Candidate"))
                        }
                    }
                }
            }
        }
    };
    page::page("review-replay eval", &subtitle, body)
}

fn overview(e: &Evaluation) -> Markup {
    let percent = format!("{:.0}%", e.options.confidence * 100.0);
    html! {
        section {
            h2 { "Overview" }
            ul {
                li { "Baseline: " (e.labels.0) }
                li { "Candidate: " (e.labels.1) }
                li { "Paired rounds: " (e.paired.len()) "; agents: " (if e.agents.is_empty() { "none".to_string() } else { e.agents.join(", ") }) }
                @if !e.only_baseline.is_empty() {
                    li { "Only in baseline (left out): " (e.only_baseline.join(", ")) }
                }
                @if !e.only_candidate.is_empty() {
                    li { "Only in candidate (left out): " (e.only_candidate.join(", ")) }
                }
                li {
                    @if e.options.resamples == 0 {
                        "Bootstrap: off (no intervals)"
                    } @else {
                        "Bootstrap: " (e.options.resamples) " resamples of rounds, seed " (e.options.seed) ", " (percent) " intervals"
                    }
                }
            }
            @if !e.gates.is_empty() {
                h3 { "Gates" }
                ul {
                    @for g in &e.gates {
                        li {
                            @if g.failed {
                                span.badge.fail { "✖ FAIL" }
                            } @else if g.basis == Basis::NoData {
                                span.badge { "– no data" }
                            } @else {
                                span.badge.pass { "✓ pass" }
                            }
                            " " code { (g.gate.text) }
                            @if let Some(v) = g.value {
                                " — " (match g.basis {
                                    Basis::LowerBound => "interval lower bound",
                                    Basis::UpperBound => "interval upper bound",
                                    Basis::Point | Basis::NoData => "value",
                                }) " " (show(g.gate.metric, v))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Per scope, the drawn metrics that read better and worse beyond noise.
fn glance(e: &Evaluation) -> Vec<(String, Vec<&'static str>, Vec<&'static str>)> {
    std::iter::once(("all agents".to_string(), None))
        .chain(e.agents.iter().map(|a| (a.clone(), Some(a.as_str()))))
        .map(|(label, scope)| {
            let mut better = Vec::new();
            let mut worse = Vec::new();
            for (metric, higher_better, _) in DRAWN {
                match e.row(metric, scope).map(|r| reading(r, higher_better)) {
                    Some(Reading::Better) => better.push(metric.name()),
                    Some(Reading::Worse) => worse.push(metric.name()),
                    _ => {}
                }
            }
            (label, better, worse)
        })
        .collect()
}

fn at_a_glance(e: &Evaluation) -> Markup {
    html! {
        section {
            h2 { "At a glance" }
            p { "Changes beyond noise (the whole interval on one side of zero), candidate against baseline:" }
            ul {
                @for (label, better, worse) in glance(e) {
                    li {
                        strong { (label) } ": "
                        @if better.is_empty() && worse.is_empty() {
                            span.note { "no clear change" }
                        }
                        @if !better.is_empty() {
                            span.better { "● better on " (better.join(", ")) }
                        }
                        @if !better.is_empty() && !worse.is_empty() { "; " }
                        @if !worse.is_empty() {
                            span.worse { "■ worse on " (worse.join(", ")) }
                        }
                    }
                }
            }
        }
    }
}

fn show(metric: Metric, v: f64) -> String {
    match metric.kind() {
        Kind::Rate => fmt::signed(Some(v)),
        Kind::Count if v.fract() == 0.0 => fmt::signed_count(Some(v)),
        Kind::Count => fmt::signed_bound(v),
    }
}

fn figures(r: &Row) -> String {
    let point = match r.difference {
        Some(d) => show(r.metric, d),
        None => return "no data".into(),
    };
    match r.ci {
        Some((lo, hi)) if r.metric.kind() == Kind::Rate => format!(
            "{point} [{}, {}]",
            fmt::signed(Some(lo)),
            fmt::signed(Some(hi))
        ),
        Some((lo, hi)) => format!(
            "{point} [{}, {}]",
            fmt::signed_bound(lo),
            fmt::signed_bound(hi)
        ),
        None => point,
    }
}

fn reading(r: &Row, higher_better: bool) -> Reading {
    let Some(_) = r.difference else {
        return Reading::NoData;
    };
    match r.ci {
        Some((lo, _)) if lo > 0.0 => {
            if higher_better {
                Reading::Better
            } else {
                Reading::Worse
            }
        }
        Some((_, hi)) if hi < 0.0 => {
            if higher_better {
                Reading::Worse
            } else {
                Reading::Better
            }
        }
        _ => Reading::Unclear,
    }
}

fn metric_chart(
    e: &Evaluation,
    i: usize,
    metric: Metric,
    higher_better: bool,
    what: &str,
) -> Markup {
    let scopes: Vec<(String, Option<&str>)> = std::iter::once(("all agents".to_string(), None))
        .chain(e.agents.iter().map(|a| (a.clone(), Some(a.as_str()))))
        .collect();
    // Per row: the chart row, the metric row, and what its gates say in words.
    let rows: Vec<(ForestRow, Option<&Row>, Vec<String>)> = scopes
        .iter()
        .map(|(label, scope)| {
            let row = e.row(metric, *scope);
            let gates = e
                .gates
                .iter()
                .filter(|g| g.gate.metric == metric && g.gate.agent.as_deref() == *scope);
            let mut fails = false;
            let mut crosses = false;
            let mut said = Vec::new();
            for g in gates {
                let straddles = row
                    .and_then(|r| r.ci)
                    .is_some_and(|(lo, hi)| lo <= g.gate.threshold && g.gate.threshold <= hi);
                fails |= g.failed;
                crosses |= straddles;
                said.push(if g.failed {
                    format!("fails {}", g.gate.text)
                } else if straddles {
                    format!("interval crosses the margin of {}", g.gate.text)
                } else {
                    format!("passes {}", g.gate.text)
                });
            }
            let fr = ForestRow {
                label: label.clone(),
                point: row.and_then(|r| r.difference),
                ci: row.and_then(|r| r.ci),
                reading: row.map_or(Reading::NoData, |r| reading(r, higher_better)),
                figures: row.map_or_else(|| "no data".into(), figures),
                fails,
                crosses,
            };
            (fr, row, said)
        })
        .collect();
    let margins: Vec<Margin> = e
        .gates
        .iter()
        .filter(|g| g.gate.metric == metric)
        .filter_map(|g| {
            let idx = scopes
                .iter()
                .position(|(_, s)| *s == g.gate.agent.as_deref())?;
            Some(Margin {
                at: g.gate.threshold,
                rows: vec![idx],
                label: g.gate.text.clone(),
            })
        })
        .collect();
    let worse: Vec<&str> = rows
        .iter()
        .filter(|(r, _, _)| r.reading == Reading::Worse)
        .map(|(r, _, _)| r.label.as_str())
        .collect();
    let better: Vec<&str> = rows
        .iter()
        .filter(|(r, _, _)| r.reading == Reading::Better)
        .map(|(r, _, _)| r.label.as_str())
        .collect();
    let list = |v: &[&str]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let desc = format!(
        "{what}; {} is better. Better beyond noise: {}. Worse beyond noise: {}.",
        if higher_better { "higher" } else { "lower" },
        list(&better),
        list(&worse)
    );
    let forest = Forest {
        key: format!("forest-{i}"),
        title: format!("{} (candidate − baseline)", metric.name()),
        desc: desc.clone(),
        rows: rows.iter().map(|(r, _, _)| r.clone()).collect(),
        margins,
    };
    html! {
        figure.chart {
            figcaption { code { (metric.name()) } " — " (what) " (" (if higher_better { "higher is better" } else { "lower is better" }) ")" }
            (chart::forest(&forest))
            div.sr-only { table {
                caption { (forest.title) ". " (desc) }
                thead { tr { th { "agent" } th { "rounds" } th { "baseline" } th { "candidate" } th { "difference [interval]" } th { "reading" } th { "gate" } } }
                tbody {
                    @for (fr, row, said) in &rows {
                        tr {
                            td { (fr.label) }
                            td.num { (row.map_or(0, |r| r.rounds)) }
                            td.num { (row.map_or_else(|| "n/a".into(), |r| side_value(metric, r.baseline))) }
                            td.num { (row.map_or_else(|| "n/a".into(), |r| side_value(metric, r.candidate))) }
                            td { (fr.figures) }
                            td { (fr.reading.word()) }
                            td { (said.join("; ")) }
                        }
                    }
                }
            } }
        }
    }
}

fn side_value(metric: Metric, v: Option<f64>) -> String {
    match metric.kind() {
        Kind::Rate => fmt::value(v),
        Kind::Count => fmt::count(v),
    }
}

fn verdicts(e: &Evaluation) -> Markup {
    html! {
        section {
            h2 { "Verdict changes" }
            p { (e.verdict_changes.len()) " of " (e.paired.len()) " paired rounds change verdict." }
            @if !e.rounds.is_empty() {
                (chart::strip_legend(StripLegend {
                    agree: "same verdict",
                    disagree: "verdict changes (links to the round)",
                    unknown: "",
                    shares: false,
                }))
                figure.chart { (chart::strip(&Strip {
                    key: "strip-verdicts".into(),
                    title: "Verdict per paired round".into(),
                    desc: format!(
                        "{} of {} paired rounds change verdict{}",
                        e.verdict_changes.len(),
                        e.paired.len(),
                        if e.verdict_changes.is_empty() {
                            ".".to_string()
                        } else {
                            format!(": {}.", e.verdict_changes.iter().map(|v| v.round.as_str()).collect::<Vec<_>>().join(", "))
                        }
                    ),
                    columns: e.rounds.iter().map(|r| {
                        (r.round.clone(), r.changed().then(|| format!("#{}", round_anchor(&r.round))))
                    }).collect(),
                    tracks: vec![(
                        "same verdict on both sides".into(),
                        e.rounds.iter().map(|r| if r.changed() { Cell::Disagree } else { Cell::Agree }).collect(),
                    )],
                })) }
            }
            @if !e.verdict_changes.is_empty() {
                table {
                    thead { tr { th { "round" } th { "baseline" } th { "candidate" } } }
                    tbody {
                        @for v in &e.verdict_changes {
                            tr {
                                td { a href=(format!("#{}", round_anchor(&v.round))) { code { (v.round) } } }
                                td { (v.baseline.label()) }
                                td { "→ " (v.candidate.label()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(metric: Metric, ci: Option<(f64, f64)>) -> Row {
        Row {
            metric,
            agent: None,
            rounds: 4,
            baseline: Some(0.5),
            candidate: Some(0.5),
            difference: Some(ci.map_or(0.0, |(lo, hi)| (lo + hi) / 2.0)),
            ci,
        }
    }

    #[test]
    fn a_row_reads_better_or_worse_only_beyond_noise_and_by_direction() {
        let up = Some((0.1, 0.3));
        let down = Some((-0.3, -0.1));
        let straddle = Some((-0.1, 0.3));
        assert_eq!(
            reading(&row(Metric::SurvivalRate, up), true),
            Reading::Better
        );
        assert_eq!(
            reading(&row(Metric::FalsePositiveRate, up), false),
            Reading::Worse
        );
        assert_eq!(
            reading(&row(Metric::FalsePositiveRate, down), false),
            Reading::Better
        );
        assert_eq!(reading(&row(Metric::Recall, down), true), Reading::Worse);
        assert_eq!(
            reading(&row(Metric::Recall, straddle), true),
            Reading::Unclear
        );
        // No interval (--resamples 0): never better or worse on the point alone.
        assert_eq!(reading(&row(Metric::Recall, None), true), Reading::Unclear);
        let mut none = row(Metric::Recall, None);
        none.difference = None;
        assert_eq!(reading(&none, true), Reading::NoData);
    }

    #[test]
    fn figures_use_the_metric_kind() {
        assert_eq!(
            figures(&row(Metric::SurvivalRate, Some((0.1, 0.3)))),
            "+0.200 [+0.100, +0.300]"
        );
        let mut count = row(Metric::UniqueInsights, Some((-6.0, -2.0)));
        count.difference = Some(-4.0);
        assert_eq!(figures(&count), "-4 [-6.0, -2.0]");
    }
}
