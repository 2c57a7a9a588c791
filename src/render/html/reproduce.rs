//! The `reproduce --html` page: how close the engine comes to history, round by
//! round, and what history did with each agent's findings over time.
//!
//! Layout: totals; a strip with one column per round (ordered by date, then id)
//! and one track per measure — verdict agreement, exact severity counts,
//! severity agreement of matched findings, in both modes — with incomplete rounds
//! in a strip of their own; per agent, small multiples of the share of its raised
//! findings that history kept, re-rated or dropped, round by round; the
//! calibration table; then one section per round with its findings. Every chart
//! is followed by its figures as text.

use std::collections::{BTreeMap, BTreeSet};

use maud::{Markup, html};

use crate::eval::calibration::{Calibration, Outcomes};
use crate::eval::fmt;
use crate::eval::reproduce::{Mode, Outcome, RoundResult, Summary};
use crate::model::Severity;
use crate::render::html::chart::{self, Cell, ShareBars, Shares, Strip, StripLegend};
use crate::render::html::page::{self, percent, plural, round_anchor};
use crate::render::html::round::{self, Replayed};
use crate::report::SeverityCounts;

/// One compared round with what its page section needs.
#[derive(Debug, Clone, Copy)]
pub struct RoundView<'a> {
    /// The comparison.
    pub result: &'a RoundResult,
    /// The engine's report with the recorded adjudications.
    pub report: &'a Replayed,
    /// This round's calibration counts.
    pub calibration: &'a Calibration,
}

/// Why a round is incomplete — which agent reviews are not whole — or `None`.
/// Incomplete rounds are drawn in a strip of their own, listed with this reason,
/// and left out of the per-agent charts, as `reproduce` leaves them out of every
/// figure.
pub fn incomplete(result: &RoundResult) -> Option<String> {
    (!result.is_complete()).then(|| {
        result
            .incomplete
            .iter()
            .map(|i| format!("{} pass {} ({})", i.agent, i.pass, i.incomplete))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// The whole page; `failures` are the inputs that could not be read, as
/// `reproduce` prints them.
pub fn render(
    outcome: &Outcome,
    rounds: &[RoundView<'_>],
    total: &Calibration,
    failures: &[String],
) -> String {
    let mut ordered: Vec<&RoundView<'_>> = rounds.iter().collect();
    // By date, undated rounds last, then by id: the order a team reads history in.
    ordered.sort_by(|a, b| {
        let key = |r: &RoundView<'_>| {
            let date = &r.report.report.round.date;
            (date.is_none(), date.clone())
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.result.round.cmp(&b.result.round))
            .then_with(|| a.result.input.cmp(&b.result.input))
    });
    let (complete, partial): (Vec<&RoundView<'_>>, Vec<&RoundView<'_>>) =
        ordered.iter().partition(|r| incomplete(r.result).is_none());
    let subtitle = format!(
        "Engine against the historical reports: {}",
        plural(rounds.len(), "round", "rounds")
    );
    let body = html! {
        (chart::patterns())
        @if !failures.is_empty() {
            section {
                h2 { "Inputs that could not be read" }
                ul { @for f in failures { li { span.badge.fail { "✖ error" } " " (f) } } }
            }
        }
        (totals(outcome))
        section {
            h2 { "Agreement per round" }
            p { "One column per round, oldest first; each column links to the round's section below. "
                "Hover a column for its round id; the table under the chart has every figure." }
            (chart::strip_legend(StripLegend {
                agree: "agrees with the historical report",
                disagree: "differs",
                unknown: "cannot be compared (no readable historical verdict)",
                shares: true,
            }))
            (agreement(&complete, "strip-complete", "Complete rounds"))
            @if !partial.is_empty() {
                h3 { "Incomplete rounds, shown apart" }
                p.incomplete { "These rounds have agent reviews that are not whole: they are left out of the totals, "
                    "the per-agent charts and the calibration, as in the text output." }
                ul {
                    @for r in &partial {
                        li {
                            a href=(format!("#{}", round_anchor(&r.result.round))) { code { (r.result.round) } }
                            ": " (incomplete(r.result).unwrap_or_default())
                        }
                    }
                }
                (agreement(&partial, "strip-incomplete", "Incomplete rounds"))
            }
        }
        (agents(&complete))
        (calibration_table(total))
        section {
            h2 { "Rounds" }
            @for r in &ordered {
                section.round {
                    (round::heading(&r.result.round, Some(&r.report.report)))
                    @if let Some(why) = incomplete(r.result) {
                        p.incomplete { "Incomplete: " (why) }
                    }
                    p.note { "input: " (r.result.input) }
                    (round_figures(r.result))
                    (round::findings(r.report, "Engine (adjudicated)"))
                }
            }
        }
    };
    page::page("review-replay reproduce", &subtitle, body)
}

fn csi(c: &SeverityCounts) -> String {
    format!("{}/{}/{}", c.critical, c.important, c.suggestion)
}

fn fraction(n: u32, d: u32) -> String {
    match fmt::ratio(f64::from(n), f64::from(d)) {
        Some(r) => format!("{n}/{d} ({})", percent(Some(r))),
        None => format!("{n}/{d}"),
    }
}

fn totals(outcome: &Outcome) -> Markup {
    let modes: Vec<(Mode, Summary)> = Mode::ALL.iter().map(|m| (*m, outcome.totals(*m))).collect();
    let line = |name: &str, f: &dyn Fn(&Summary) -> String| {
        html! { tr { th scope="row" { (name) } @for (_, s) in &modes { td.num { (f(s)) } } } }
    };
    html! {
        section {
            h2 { "Totals" }
            table {
                thead { tr { th { "over " (plural(outcome.rounds.len() - incomplete_count(outcome), "complete round", "complete rounds")) } @for (m, _) in &modes { th.num { (m.key()) } } } }
                tbody {
                    (line("verdict agreement", &|s| fraction(s.verdicts_agree, s.verdicts_compared)))
                    (line("engine C/I/S", &|s| csi(&s.engine)))
                    (line("reference C/I/S", &|s| csi(&s.reference)))
                    (line("matched findings", &|s| s.matched.to_string()))
                    (line("severity agreement", &|s| fraction(s.severity_agree, s.matched)))
                    (line("attribution exact", &|s| fraction(s.attribution_exact, s.matched)))
                    (line("engine-only", &|s| s.engine_only.to_string()))
                    (line("reference-only", &|s| s.reference_only.to_string()))
                }
            }
            @if !outcome.skipped.is_empty() {
                details {
                    summary { (plural(outcome.skipped.len(), "input skipped", "inputs skipped")) }
                    ul {
                        @for s in &outcome.skipped {
                            li { code { (s.input) } @if let Some(r) = &s.round { " (round " (r) ")" } ": " (s.reason) }
                        }
                    }
                }
            }
        }
    }
}

fn incomplete_count(outcome: &Outcome) -> usize {
    outcome
        .rounds
        .iter()
        .filter(|r| incomplete(r).is_some())
        .count()
}

fn verdict_cell(r: &RoundResult, mode: Mode) -> Cell {
    match r.mode(mode).matching.verdict.agrees {
        Some(true) => Cell::Agree,
        Some(false) => Cell::Disagree,
        None => Cell::Unknown,
    }
}

fn counts_cell(r: &RoundResult, mode: Mode) -> Cell {
    let s = &r.mode(mode).summary;
    if s.engine == s.reference {
        Cell::Agree
    } else {
        Cell::Disagree
    }
}

fn severity_cell(r: &RoundResult, mode: Mode) -> Cell {
    let s = &r.mode(mode).summary;
    Cell::Share(fmt::ratio(
        f64::from(s.severity_agree),
        f64::from(s.matched),
    ))
}

fn agreement(rounds: &[&RoundView<'_>], key: &str, title: &str) -> Markup {
    if rounds.is_empty() {
        return html! { p.note { "No round." } };
    }
    let mut tracks = Vec::new();
    for mode in Mode::ALL {
        let k = mode.key();
        tracks.push((
            format!("verdict ({k})"),
            rounds
                .iter()
                .map(|r| verdict_cell(r.result, mode))
                .collect(),
        ));
        tracks.push((
            format!("exact C/I/S counts ({k})"),
            rounds.iter().map(|r| counts_cell(r.result, mode)).collect(),
        ));
        tracks.push((
            format!("severity agreement ({k})"),
            rounds
                .iter()
                .map(|r| severity_cell(r.result, mode))
                .collect(),
        ));
    }
    let agree = |mode: Mode| {
        rounds
            .iter()
            .filter(|r| r.result.mode(mode).matching.verdict.agrees == Some(true))
            .count()
    };
    let desc = format!(
        "{} rounds. Verdict agrees in {} (adjudicated) and {} (rules-only); \
         exact severity counts in {} (adjudicated).",
        rounds.len(),
        agree(Mode::Adjudicated),
        agree(Mode::RulesOnly),
        rounds
            .iter()
            .filter(|r| counts_cell(r.result, Mode::Adjudicated) == Cell::Agree)
            .count()
    );
    let strip = Strip {
        key: key.to_string(),
        title: format!("{title}: agreement with history per round"),
        desc,
        columns: rounds
            .iter()
            .map(|r| {
                (
                    r.result.round.clone(),
                    Some(format!("#{}", round_anchor(&r.result.round))),
                )
            })
            .collect(),
        tracks,
    };
    html! {
        figure.chart {
            (chart::strip(&strip))
        }
        details {
            summary { "Figures per round (" (title.to_lowercase()) ")" }
            table {
                thead { tr {
                    th { "#" } th { "round" } th { "mode" } th { "verdict engine / reference" }
                    th { "engine C/I/S" } th { "reference C/I/S" } th.num { "matched" } th.num { "severity agrees" }
                } }
                tbody {
                    @for (i, r) in rounds.iter().enumerate() {
                        @for mode in Mode::ALL {
                            (figure_row(i + 1, r.result, mode))
                        }
                    }
                }
            }
        }
    }
}

fn verdict_text(r: &RoundResult, mode: Mode) -> String {
    let v = &r.mode(mode).matching.verdict;
    let reference = match (&v.reference, &v.reference_text) {
        (Some(d), _) => d.label().to_string(),
        (None, Some(_)) => "unreadable".into(),
        (None, None) => "none".into(),
    };
    let mark = match v.agrees {
        Some(true) => " (agrees)",
        Some(false) => " (differs)",
        None => "",
    };
    format!("{} / {reference}{mark}", v.engine.label())
}

fn figure_row(n: usize, r: &RoundResult, mode: Mode) -> Markup {
    let s = &r.mode(mode).summary;
    html! {
        tr {
            td.num { (n) }
            td { a href=(format!("#{}", round_anchor(&r.round))) { code { (r.round) } } }
            td { (mode.key()) }
            td { (verdict_text(r, mode)) }
            td { (csi(&s.engine)) }
            td { (csi(&s.reference)) }
            td.num { (s.matched) }
            td.num { (fraction(s.severity_agree, s.matched)) }
        }
    }
}

fn round_figures(r: &RoundResult) -> Markup {
    html! {
        ul {
            @for mode in Mode::ALL {
                @let s = &r.mode(mode).summary;
                li {
                    (mode.key()) ": verdict " (verdict_text(r, mode))
                    "; engine " (csi(&s.engine)) " vs reference " (csi(&s.reference))
                    "; severity agrees " (fraction(s.severity_agree, s.matched))
                }
            }
        }
    }
}

fn shares(o: Option<&BTreeMap<Severity, Outcomes>>) -> Shares {
    let mut s = Shares::default();
    for o in o.into_iter().flat_map(|m| m.values()) {
        s.kept += o.kept;
        s.rerated += o.up + o.down;
        s.dropped += o.dropped;
        s.unmatched += o.unmatched;
    }
    s
}

fn agents(ordered: &[&RoundView<'_>]) -> Markup {
    let names: BTreeSet<&str> = ordered
        .iter()
        .flat_map(|r| r.calibration.by_agent.keys().map(String::as_str))
        .collect();
    html! {
        section {
            h2 { "What history did with each agent's findings" }
            p {
                "Per agent, one bar per round (oldest first, numbered as above): the share of the agent's raised findings "
                "that the historical consolidation kept at their severity, re-rated, or dropped, and those the engine "
                "keeps but history has no partner for."
            }
            (chart::share_legend())
            @if names.is_empty() {
                p.note { "No raised finding." }
            }
            div.multiples {
                @for (k, agent) in names.iter().enumerate() {
                    @let bars: Vec<(String, String, Shares)> = ordered.iter().map(|r| {
                        (r.result.round.clone(), format!("#{}", round_anchor(&r.result.round)), shares(r.calibration.by_agent.get(*agent)))
                    }).collect();
                    @let total = bars.iter().fold(Shares::default(), |mut t, (_, _, s)| {
                        t.kept += s.kept; t.rerated += s.rerated; t.dropped += s.dropped; t.unmatched += s.unmatched; t
                    });
                    figure {
                        figcaption { (agent) }
                        (chart::share_bars(&ShareBars {
                            key: format!("agent-{k}"),
                            title: format!("{agent}: fate of raised findings per round"),
                            desc: format!("Over {} rounds, {} raised: {}.", bars.len(), total.total(), total.describe()),
                            bars: bars.clone(),
                        }))
                        ul.sr-only {
                            @for (i, (round, _, s)) in bars.iter().enumerate() {
                                li { (i + 1) ". " (round) ": " (s.total()) " raised — " (s.describe()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn calibration_table(c: &Calibration) -> Markup {
    html! {
        section {
            h2 { "Calibration" }
            p { "Per agent and raised severity, what the historical consolidation did with the raw findings "
                "(keep rate = kept / (kept + re-rated + dropped))." }
            table {
                thead { tr {
                    th { "agent" } th { "raised as" } th.num { "n" } th.num { "kept" } th.num { "up" }
                    th.num { "down" } th.num { "dropped" } th.num { "no partner" } th.num { "keep rate" }
                } }
                tbody {
                    @for (agent, by_sev) in &c.by_agent {
                        @for sev in Severity::ALL {
                            @if let Some(o) = by_sev.get(&sev) {
                                tr {
                                    td { (agent) } td { (sev) } td.num { (o.raised) } td.num { (o.kept) }
                                    td.num { (o.up) } td.num { (o.down) } td.num { (o.dropped) }
                                    td.num { (o.unmatched) } td.num { (fmt::value(c.keep_rate(agent, sev))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
