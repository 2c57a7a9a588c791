//! The inline SVG charts of the HTML reports: a forest plot (paired differences
//! with intervals), a strip (one column per round, one track per measure) and
//! stacked share bars (small multiples).
//!
//! The markup is written with maud, like the rest of the page; only the linear
//! scale and the tick choice are computed here (a dozen lines; the plotting
//! crates that do this bring fonts, raster back ends or unstyled output with no
//! per-mark `<title>`). Invariants: every chart is an `<svg>` with a `<title>`
//! and a `<desc>` (`role="img"`, or `role="group"` when its marks are links, so
//! that they stay reachable) and is followed by a text equivalent; no mark relies
//! on colour alone (shapes, patterns and words carry the same meaning);
//! coordinates are rounded to one decimal so the bytes do not depend on float
//! noise. SVG elements are always closed explicitly (`<line></line>`): the HTML
//! parser does not honour self-closing syntax it cannot see.

use maud::{Markup, html};

use crate::render::html::page::num;
use crate::render::html::palette as p;

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    lo: f64,
    hi: f64,
    x0: f64,
    x1: f64,
}

impl Scale {
    /// Maps `[lo, hi]` onto `[x0, x1]`; an empty domain is widened around its value.
    pub fn new(lo: f64, hi: f64, x0: f64, x1: f64) -> Scale {
        let (lo, hi) = if hi - lo > f64::EPSILON {
            (lo, hi)
        } else {
            (lo - 1.0, hi + 1.0)
        };
        Scale { lo, hi, x0, x1 }
    }

    /// The pixel of a value.
    pub fn at(&self, v: f64) -> f64 {
        self.x0 + (v - self.lo) / (self.hi - self.lo) * (self.x1 - self.x0)
    }

    /// Round tick values (steps of 1, 2 or 5 × 10^k), about `n` of them, and the
    /// decimals that tell them apart.
    pub fn ticks(&self, n: usize) -> (Vec<f64>, usize) {
        let span = self.hi - self.lo;
        let raw = span / n.max(1) as f64;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        // A hair of slack so that 0.6 / 0.2 = 2.9999… still counts as 3.
        let first = (self.lo / step - 1e-9).ceil() as i64;
        let last = (self.hi / step + 1e-9).floor() as i64;
        let decimals = (-step.log10() - 1e-9).ceil().max(0.0) as usize;
        ((first..=last).map(|k| k as f64 * step).collect(), decimals)
    }
}

/// How a paired difference reads, for the metric's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The interval excludes zero, on the good side.
    Better,
    /// The interval excludes zero, on the bad side.
    Worse,
    /// The interval includes zero (or there is no interval).
    Unclear,
    /// No paired data.
    NoData,
}

impl Reading {
    /// The word shown beside the mark.
    pub fn word(self) -> &'static str {
        match self {
            Reading::Better => "better",
            Reading::Worse => "worse",
            Reading::Unclear => "no clear change",
            Reading::NoData => "no data",
        }
    }
}

/// One row of a forest plot.
#[derive(Debug, Clone)]
pub struct ForestRow {
    /// Agent key, or `all agents`.
    pub label: String,
    /// The paired difference.
    pub point: Option<f64>,
    /// Its interval.
    pub ci: Option<(f64, f64)>,
    /// How it reads.
    pub reading: Reading,
    /// The difference and interval as text (`+0.300 [+0.10, +0.50]`).
    pub figures: String,
    /// A gate on this row fails.
    pub fails: bool,
    /// The interval straddles a gate margin of this row.
    pub crosses: bool,
}

/// A `--fail-if` margin drawn across some rows.
#[derive(Debug, Clone)]
pub struct Margin {
    /// The threshold.
    pub at: f64,
    /// Indices of the rows it applies to.
    pub rows: Vec<usize>,
    /// The expression.
    pub label: String,
}

/// A forest plot: one row per scope, the paired difference and its interval.
#[derive(Debug, Clone)]
pub struct Forest {
    /// Unique among the charts of a page (used for element ids).
    pub key: String,
    /// The chart's title.
    pub title: String,
    /// One sentence saying what the chart shows.
    pub desc: String,
    /// The rows, top to bottom.
    pub rows: Vec<ForestRow>,
    /// Gate margins.
    pub margins: Vec<Margin>,
}

const ROW_H: f64 = 28.0;
const LABEL_W: f64 = 130.0;
const PLOT_W: f64 = 360.0;
const TEXT_W: f64 = 340.0;

/// A small marker whose shape says how the row reads.
fn marker(reading: Reading, x: f64, y: f64) -> Markup {
    let (ink, paper) = (p::INK.hex(), p::PAPER.hex());
    match reading {
        Reading::Better => html! {
            circle cx=(num(x)) cy=(num(y)) r="6" fill=(p::BETTER.hex()) stroke=(ink) stroke-width="1" {}
        },
        Reading::Worse => html! {
            rect x=(num(x - 6.0)) y=(num(y - 6.0)) width="12" height="12" fill=(p::WORSE.hex()) stroke=(ink) stroke-width="1" {}
        },
        Reading::Unclear => html! {
            path d=(format!("M{} {}l7 7-7 7-7-7z", num(x), num(y - 7.0))) fill=(paper) stroke=(p::MUTED.hex()) stroke-width="2" {}
        },
        Reading::NoData => html! {},
    }
}

/// The legend of the forest plot markers, as an HTML list with tiny SVGs.
pub fn forest_legend() -> Markup {
    let item = |reading: Reading, text: &str| {
        html! {
            li {
                svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" { (marker(reading, 8.0, 8.0)) }
                " " (text)
            }
        }
    };
    html! {
        ul.legend {
            (item(Reading::Better, "better: the whole interval is on the good side of zero"))
            (item(Reading::Worse, "worse: the whole interval is on the bad side of zero"))
            (item(Reading::Unclear, "no clear change: the interval includes zero"))
            li {
                svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" {
                    line x1="8" y1="0" x2="8" y2="16" stroke=(p::GATE.hex()) stroke-width="2" stroke-dasharray="4 2" {}
                }
                " --fail-if margin (✖ the row fails its gate, ◆ the interval crosses it)"
            }
        }
    }
}

/// Renders a forest plot.
pub fn forest(f: &Forest) -> Markup {
    let top = 22.0;
    let height = top + ROW_H * f.rows.len() as f64 + 30.0;
    let width = LABEL_W + PLOT_W + TEXT_W;
    let mut values = vec![0.0];
    for r in &f.rows {
        values.extend(r.point);
        if let Some((lo, hi)) = r.ci {
            values.extend([lo, hi]);
        }
    }
    values.extend(f.margins.iter().map(|m| m.at));
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Nothing but zeros: a unit either side, so that the axis reads `-1 0 +1`.
    let (lo, hi) = if hi - lo < 1e-9 {
        (-1.0, 1.0)
    } else {
        (lo, hi)
    };
    let pad = (hi - lo) * 0.08;
    let scale = Scale::new(lo - pad, hi + pad, LABEL_W + 10.0, LABEL_W + PLOT_W - 10.0);
    let (ticks, decimals) = scale.ticks(5);
    let row_y = |i: usize| top + ROW_H * i as f64 + ROW_H / 2.0;
    let bottom = top + ROW_H * f.rows.len() as f64;
    let title_id = format!("{}-title", f.key);
    let desc_id = format!("{}-desc", f.key);
    let muted = p::MUTED.hex();
    html! {
        svg viewBox=(format!("0 0 {} {}", num(width), num(height))) width=(num(width)) height=(num(height))
            role="img" aria-labelledby=(format!("{title_id} {desc_id}")) {
            title id=(title_id) { (f.title) }
            desc id=(desc_id) { (f.desc) }
            // Rows that fail a gate get a tinted band, a bold ✖ and the word FAIL.
            @for (i, r) in f.rows.iter().enumerate() {
                @if r.fails {
                    rect x="0" y=(num(top + ROW_H * i as f64)) width=(num(width)) height=(num(ROW_H)) fill=(p::WARN_BG.hex()) {}
                }
            }
            @for t in &ticks {
                line x1=(num(scale.at(*t))) y1=(num(top)) x2=(num(scale.at(*t))) y2=(num(bottom)) stroke="#dcdfe3" stroke-width="1" {}
                text x=(num(scale.at(*t))) y=(num(bottom + 16.0)) text-anchor="middle" font-size="11" fill=(muted) { (signed_tick(*t, decimals)) }
            }
            line x1=(num(scale.at(0.0))) y1=(num(top - 6.0)) x2=(num(scale.at(0.0))) y2=(num(bottom)) stroke=(p::INK.hex()) stroke-width="1.5" {}
            text x=(num(scale.at(0.0))) y=(num(top - 9.0)) text-anchor="middle" font-size="11" fill=(muted) { "0" }
            @for m in &f.margins {
                @for &i in &m.rows {
                    line x1=(num(scale.at(m.at))) y1=(num(row_y(i) - ROW_H / 2.0 + 2.0)) x2=(num(scale.at(m.at))) y2=(num(row_y(i) + ROW_H / 2.0 - 2.0))
                        stroke=(p::GATE.hex()) stroke-width="2" stroke-dasharray="4 2" {
                        title { "--fail-if " (m.label) }
                    }
                }
            }
            @for (i, r) in f.rows.iter().enumerate() {
                g {
                    title { (r.label) ": " (r.figures)
                        @if r.reading != Reading::NoData { " — " (r.reading.word()) } }
                    text x=(num(LABEL_W - 6.0)) y=(num(row_y(i) + 4.0)) text-anchor="end" font-size="13" fill=(p::INK.hex()) { (r.label) }
                    @if let Some((lo, hi)) = r.ci {
                        line x1=(num(scale.at(lo))) y1=(num(row_y(i))) x2=(num(scale.at(hi))) y2=(num(row_y(i))) stroke=(p::INK.hex()) stroke-width="2" {}
                        line x1=(num(scale.at(lo))) y1=(num(row_y(i) - 5.0)) x2=(num(scale.at(lo))) y2=(num(row_y(i) + 5.0)) stroke=(p::INK.hex()) stroke-width="2" {}
                        line x1=(num(scale.at(hi))) y1=(num(row_y(i) - 5.0)) x2=(num(scale.at(hi))) y2=(num(row_y(i) + 5.0)) stroke=(p::INK.hex()) stroke-width="2" {}
                    }
                    @if let Some(v) = r.point {
                        (marker(r.reading, scale.at(v), row_y(i)))
                    }
                    text x=(num(LABEL_W + PLOT_W + 6.0)) y=(num(row_y(i) + 4.0)) font-size="12" fill=(reading_ink(r.reading)) {
                        @if r.fails { tspan font-weight="700" fill=(p::WORSE.hex()) { "✖ FAIL " } }
                        @if r.crosses { tspan fill=(p::GATE.hex()) { "◆ crosses gate " } }
                        (r.figures)
                        @if r.reading != Reading::NoData { " " (r.reading.word()) }
                    }
                }
            }
        }
    }
}

fn reading_ink(r: Reading) -> String {
    match r {
        Reading::Better => p::BETTER.hex(),
        Reading::Worse => p::WORSE.hex(),
        Reading::Unclear | Reading::NoData => p::MUTED.hex(),
    }
}

fn signed_tick(t: f64, decimals: usize) -> String {
    let s = format!("{t:.decimals$}");
    if s.trim_start_matches(['-', '0', '.']).is_empty() {
        "0".into()
    } else if t > 0.0 {
        format!("+{s}")
    } else {
        s
    }
}

/// One cell of a strip.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// Agrees: a filled square with a check mark.
    Agree,
    /// Disagrees: a hatched square with a cross.
    Disagree,
    /// Cannot be compared: an empty square with a question mark.
    Unknown,
    /// A share from 0 to 1: a bar of that height (none: a dash).
    Share(Option<f64>),
}

/// A strip chart: one column per round, one track per measure.
#[derive(Debug, Clone)]
pub struct Strip {
    /// Unique among the charts of a page.
    pub key: String,
    /// Title.
    pub title: String,
    /// One sentence saying what it shows.
    pub desc: String,
    /// Per column: the round id (shown on hover) and the link target, if any.
    pub columns: Vec<(String, Option<String>)>,
    /// Per track: its name and one cell per column.
    pub tracks: Vec<(String, Vec<Cell>)>,
}

const CELL: f64 = 22.0;
const GAP: f64 = 3.0;
const TRACK_LABEL_W: f64 = 250.0;

/// Pattern ids used by the strip and the share bars; [`patterns`] defines them.
const HATCH: &str = "rr-hatch";
const CROSS: &str = "rr-cross";

/// Hatching patterns, defined once per page and referenced by every chart.
pub fn patterns() -> Markup {
    html! {
        svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false" {
            defs {
                pattern id=(HATCH) width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                    rect width="6" height="6" fill=(p::PAPER.hex()) {}
                    line x1="0" y1="0" x2="0" y2="6" stroke=(p::RERATED.hex()) stroke-width="4" {}
                }
                pattern id=(CROSS) width="6" height="6" patternUnits="userSpaceOnUse" {
                    rect width="6" height="6" fill=(p::DROPPED.hex()) {}
                    path d="M0 0L6 6M6 0L0 6" stroke=(p::PAPER.hex()) stroke-width="1.2" {}
                }
            }
        }
    }
}

fn cell(c: Cell, x: f64, y: f64) -> Markup {
    let glyph = |g: &str, ink: String| {
        html! {
            text x=(num(x + CELL / 2.0)) y=(num(y + CELL / 2.0 + 5.0)) text-anchor="middle" font-size="15" font-weight="700" fill=(ink) { (g) }
        }
    };
    match c {
        Cell::Agree => html! {
            rect x=(num(x)) y=(num(y)) width=(num(CELL)) height=(num(CELL)) fill=(p::KEPT.hex()) {}
            (glyph("✓", p::PAPER.hex()))
        },
        Cell::Disagree => html! {
            rect x=(num(x)) y=(num(y)) width=(num(CELL)) height=(num(CELL)) fill=(format!("url(#{CROSS})")) stroke=(p::DROPPED.hex()) {}
            rect x=(num(x + 3.0)) y=(num(y + 3.0)) width=(num(CELL - 6.0)) height=(num(CELL - 6.0)) fill=(p::PAPER.hex()) {}
            (glyph("✗", p::DROPPED.hex()))
        },
        Cell::Unknown => html! {
            rect x=(num(x + 0.5)) y=(num(y + 0.5)) width=(num(CELL - 1.0)) height=(num(CELL - 1.0)) fill=(p::PAPER.hex()) stroke=(p::MUTED.hex()) {}
            (glyph("?", p::MUTED.hex()))
        },
        Cell::Share(None) => html! {
            line x1=(num(x + 4.0)) y1=(num(y + CELL / 2.0)) x2=(num(x + CELL - 4.0)) y2=(num(y + CELL / 2.0)) stroke=(p::MUTED.hex()) stroke-width="2" {}
        },
        Cell::Share(Some(v)) => {
            let h = (CELL * v.clamp(0.0, 1.0)).max(1.0);
            html! {
                rect x=(num(x + 0.5)) y=(num(y + 0.5)) width=(num(CELL - 1.0)) height=(num(CELL - 1.0)) fill=(p::PAPER.hex()) stroke="#c4c7cc" {}
                rect x=(num(x + 2.0)) y=(num(y + CELL - h)) width=(num(CELL - 4.0)) height=(num(h)) fill=(p::BETTER.hex()) {}
            }
        }
    }
}

fn cell_text(c: Cell) -> String {
    match c {
        Cell::Agree => "agrees".into(),
        Cell::Disagree => "differs".into(),
        Cell::Unknown => "cannot compare".into(),
        Cell::Share(v) => crate::render::html::page::percent(v),
    }
}

/// Most columns in one strip SVG: more are drawn as further strips below, so
/// that a long history wraps instead of shrinking to illegible cells.
pub const STRIP_COLUMNS: usize = 32;

/// Renders a strip; each column links to its round. Long strips wrap into
/// several SVGs of at most [`STRIP_COLUMNS`] columns, numbered continuously.
pub fn strip(s: &Strip) -> Markup {
    let n = s.columns.len();
    let parts = n.div_ceil(STRIP_COLUMNS).max(1);
    html! {
        @for part in 0..parts {
            @let from = part * STRIP_COLUMNS;
            @let to = (from + STRIP_COLUMNS).min(n);
            (strip_part(s, part, parts, from, to))
        }
    }
}

fn strip_part(s: &Strip, part: usize, parts: usize, from: usize, to: usize) -> Markup {
    let width = TRACK_LABEL_W + (CELL + GAP) * (to - from) as f64 + 10.0;
    let height = 4.0 + (CELL + GAP) * s.tracks.len() as f64 + 18.0;
    let key = if parts == 1 {
        s.key.clone()
    } else {
        format!("{}-{}", s.key, part + 1)
    };
    let title_id = format!("{key}-title");
    let desc_id = format!("{key}-desc");
    let title = if parts == 1 {
        s.title.clone()
    } else {
        format!(
            "{} (columns {}–{} of {})",
            s.title,
            from + 1,
            to,
            s.columns.len()
        )
    };
    html! {
        svg viewBox=(format!("0 0 {} {}", num(width), num(height))) width=(num(width)) height=(num(height))
            role="group" aria-labelledby=(format!("{title_id} {desc_id}")) {
            title id=(title_id) { (title) }
            desc id=(desc_id) { (s.desc) }
            @for (t, (name, _)) in s.tracks.iter().enumerate() {
                text x=(num(TRACK_LABEL_W - 6.0)) y=(num(4.0 + (CELL + GAP) * t as f64 + CELL / 2.0 + 4.0)) text-anchor="end" font-size="12" fill=(p::INK.hex()) { (name) }
            }
            @for i in from..to {
                @let (round, href) = &s.columns[i];
                @if let Some(href) = href {
                    a href=(href) { (strip_column(s, i, i - from, round, height)) }
                } @else {
                    g { (strip_column(s, i, i - from, round, height)) }
                }
            }
        }
    }
}

/// Column `i` of the strip, drawn at position `at` of its part.
fn strip_column(s: &Strip, i: usize, at: usize, round: &str, height: f64) -> Markup {
    let x = TRACK_LABEL_W + (CELL + GAP) * at as f64;
    html! {
        title {
            (round)
            @for (name, cells) in &s.tracks {
                "; " (name) ": " (cells.get(i).copied().map(cell_text).unwrap_or_default())
            }
        }
        @for (t, (_, cells)) in s.tracks.iter().enumerate() {
            @if let Some(c) = cells.get(i) {
                (cell(*c, x, 4.0 + (CELL + GAP) * t as f64))
            }
        }
        text x=(num(x + CELL / 2.0)) y=(num(height - 4.0)) text-anchor="middle" font-size="10" fill=(p::MUTED.hex()) { (i + 1) }
    }
}

/// What each kind of strip cell means on one chart.
#[derive(Debug, Clone, Copy)]
pub struct StripLegend<'a> {
    /// Meaning of [`Cell::Agree`].
    pub agree: &'a str,
    /// Meaning of [`Cell::Disagree`].
    pub disagree: &'a str,
    /// Meaning of [`Cell::Unknown`] (empty: the chart has none).
    pub unknown: &'a str,
    /// Whether the chart has share cells.
    pub shares: bool,
}

/// The legend of strip cells.
pub fn strip_legend(l: StripLegend<'_>) -> Markup {
    let item = |c: Cell, text: &str| {
        html! {
            li {
                svg width="22" height="22" viewBox="0 0 22 22" aria-hidden="true" { (cell(c, 0.0, 0.0)) }
                " " (text)
            }
        }
    };
    html! {
        ul.legend {
            (item(Cell::Agree, l.agree))
            (item(Cell::Disagree, l.disagree))
            @if !l.unknown.is_empty() {
                (item(Cell::Unknown, l.unknown))
            }
            @if l.shares {
                (item(Cell::Share(Some(0.6)), "share (bar height, 0–100%)"))
                (item(Cell::Share(None), "no matched finding"))
            }
        }
    }
}

/// The parts of one stacked share bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shares {
    /// Kept at the raised severity.
    pub kept: u32,
    /// Re-rated up or down.
    pub rerated: u32,
    /// Dropped or moved out.
    pub dropped: u32,
    /// Surviving without a historical partner.
    pub unmatched: u32,
}

impl Shares {
    /// All raw findings counted.
    pub fn total(&self) -> u32 {
        self.kept + self.rerated + self.dropped + self.unmatched
    }

    fn parts(&self) -> [(u32, &'static str, String, Option<String>); 4] {
        [
            (self.kept, "kept", p::KEPT.hex(), None),
            (
                self.rerated,
                "re-rated",
                format!("url(#{HATCH})"),
                Some(p::RERATED.hex()),
            ),
            (
                self.dropped,
                "dropped",
                format!("url(#{CROSS})"),
                Some(p::DROPPED.hex()),
            ),
            (
                self.unmatched,
                "no historical partner",
                p::PAPER.hex(),
                Some(p::MUTED.hex()),
            ),
        ]
    }

    /// The non-empty parts as (from, to) shares of the total, bottom up, with
    /// their fill and outline.
    fn segments(&self) -> Vec<(f64, f64, String, Option<String>)> {
        let total = f64::from(self.total().max(1));
        let mut acc = 0.0;
        let mut out = Vec::new();
        for (count, _, fill, stroke) in self.parts() {
            if count > 0 {
                let from = acc;
                acc += f64::from(count) / total;
                out.push((from, acc, fill, stroke));
            }
        }
        out
    }

    /// `3 kept, 1 re-rated, 0 dropped, 1 no historical partner`.
    pub fn describe(&self) -> String {
        self.parts()
            .iter()
            .map(|(n, name, _, _)| format!("{n} {name}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Stacked 100% bars over rounds, one small chart.
#[derive(Debug, Clone)]
pub struct ShareBars {
    /// Unique among the charts of a page.
    pub key: String,
    /// Title (the agent).
    pub title: String,
    /// One sentence.
    pub desc: String,
    /// Per bar: round id, link target, shares.
    pub bars: Vec<(String, String, Shares)>,
}

/// Renders one small multiple.
pub fn share_bars(s: &ShareBars) -> Markup {
    let (plot_h, left, top) = (110.0, 34.0, 6.0);
    let n = s.bars.len().max(1) as f64;
    let slot = (300.0 / n).clamp(6.0, 22.0);
    let width = left + slot * n + 8.0;
    let height = top + plot_h + 18.0;
    let title_id = format!("{}-title", s.key);
    let desc_id = format!("{}-desc", s.key);
    let y = |share: f64| top + plot_h * (1.0 - share);
    // Round numbers need about 14 px each: label every 1st, 2nd, 5th, 10th… bar.
    let label_every = [1, 2, 5, 10, 20, 50, 100]
        .into_iter()
        .find(|k| slot * f64::from(*k) >= 14.0)
        .unwrap_or(100) as usize;
    html! {
        svg viewBox=(format!("0 0 {} {}", num(width), num(height))) width=(num(width)) height=(num(height))
            role="group" aria-labelledby=(format!("{title_id} {desc_id}")) {
            title id=(title_id) { (s.title) }
            desc id=(desc_id) { (s.desc) }
            @for (share, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
                line x1=(num(left)) y1=(num(y(share))) x2=(num(width - 4.0)) y2=(num(y(share))) stroke="#dcdfe3" {}
                text x=(num(left - 4.0)) y=(num(y(share) + 4.0)) text-anchor="end" font-size="10" fill=(p::MUTED.hex()) { (label) }
            }
            @for (i, (round, href, shares)) in s.bars.iter().enumerate() {
                a href=(href) {
                    title { (round) ": " (shares.total()) " raised — " (shares.describe()) }
                    @let x = left + slot * i as f64 + 1.0;
                    @let w = (slot - 2.0).max(2.0);
                    @if shares.total() == 0 {
                        line x1=(num(x)) y1=(num(y(0.0) - 3.0)) x2=(num(x + w)) y2=(num(y(0.0) - 3.0)) stroke=(p::MUTED.hex()) stroke-width="2" {}
                    } @else {
                        @for (from, to, fill, stroke) in shares.segments() {
                            rect x=(num(x)) y=(num(y(to))) width=(num(w)) height=(num(y(from) - y(to)))
                                fill=(fill) stroke=[stroke] stroke-width="1" {}
                        }
                    }
                    @if i == 0 || (i + 1) % label_every == 0 {
                        text x=(num(x + w / 2.0)) y=(num(height - 4.0)) text-anchor="middle" font-size="9" fill=(p::MUTED.hex()) { (i + 1) }
                    }
                }
            }
        }
    }
}

/// The legend of share bars.
pub fn share_legend() -> Markup {
    let parts = Shares::default().parts();
    html! {
        ul.legend {
            @for (_, name, fill, stroke) in parts {
                li {
                    svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" {
                        rect x="1" y="1" width="14" height="14" fill=(fill) stroke=(stroke.unwrap_or_else(|| p::KEPT.hex())) {}
                    }
                    " " (name)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_maps_ends_and_ticks_are_round() {
        let s = Scale::new(-0.2, 0.6, 0.0, 400.0);
        assert_eq!(s.at(-0.2), 0.0);
        assert_eq!(s.at(0.6), 400.0);
        let (t, decimals) = s.ticks(4);
        let t: Vec<String> = t.iter().map(|t| signed_tick(*t, decimals)).collect();
        assert_eq!(t, ["-0.2", "0", "+0.2", "+0.4", "+0.6"]);
        // Steps of 0.005 need three decimals to tell the ticks apart.
        let (t, decimals) = Scale::new(-0.012, 0.008, 0.0, 400.0).ticks(5);
        assert_eq!(decimals, 3);
        let t: Vec<String> = t.iter().map(|t| signed_tick(*t, decimals)).collect();
        assert_eq!(t, ["-0.010", "-0.005", "0", "+0.005"]);
        let (_, decimals) = Scale::new(-6.0, 1.0, 0.0, 400.0).ticks(5);
        assert_eq!(decimals, 0);
        let (_, decimals) = Scale::new(-1.0, 1.0, 0.0, 400.0).ticks(5);
        assert_eq!(decimals, 1);
        assert_eq!(Scale::new(3.0, 3.0, 0.0, 10.0).at(3.0), 5.0);
    }

    #[test]
    fn svg_elements_are_closed_explicitly() {
        let f = Forest {
            key: "k".into(),
            title: "t".into(),
            desc: "d".into(),
            rows: vec![ForestRow {
                label: "gemini".into(),
                point: Some(0.3),
                ci: Some((0.1, 0.5)),
                reading: Reading::Worse,
                figures: "+0.300".into(),
                fails: true,
                crosses: false,
            }],
            margins: vec![Margin {
                at: 0.05,
                rows: vec![0],
                label: "x > 0.05".into(),
            }],
        };
        let svg = forest(&f).into_string();
        assert_eq!(svg.matches("<line").count(), svg.matches("</line>").count());
        assert_eq!(svg.matches("<rect").count(), svg.matches("</rect>").count());
        assert!(svg.contains("<title id=\"k-title\">t</title>"), "{svg}");
        assert!(svg.contains("✖ FAIL"));
        assert!(svg.contains("stroke-dasharray"));
    }

    #[test]
    fn ticks_are_signed() {
        assert_eq!(signed_tick(0.2, 1), "+0.2");
        assert_eq!(signed_tick(-1.0, 0), "-1");
        assert_eq!(signed_tick(0.0, 2), "0");
        assert_eq!(signed_tick(-1e-12, 2), "0");
        assert_eq!(signed_tick(0.25, 2), "+0.25");
    }
}
