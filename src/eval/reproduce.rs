//! `reproduce`: how close the engine's reports come to historical consolidations.
//!
//! Each round with a reference is replayed twice — with its recorded adjudications
//! and with the rules alone — and each report is matched against the reference
//! ([`crate::eval::matching`]). This module turns those matches into per-round
//! summaries, totals, a text table and the `review-replay/reproduce/v1` JSON.
//!
//! Invariants: rounds are output in round-id order (then input name), whatever
//! order they were given or computed in; totals are plain sums of the rounds.

use serde::Serialize;
use serde_json::{Value, json};

use crate::cassette::Reference;
use crate::eval::calibration::Calibration;
use crate::eval::fmt;
use crate::eval::matching::{Attribution, MatchConfig, RoundMatch, match_report};
use crate::model::Severity;
use crate::report::{IncompleteReview, Report, SeverityCounts};

/// The JSON schema id of `reproduce --format json`.
pub const REPRODUCE_SCHEMA_V1: &str = "review-replay/reproduce/v1";

/// The two replay modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    /// With the recorded adjudications.
    Adjudicated,
    /// With the rules alone.
    RulesOnly,
}

impl Mode {
    /// Both modes, in output order.
    pub const ALL: [Mode; 2] = [Mode::Adjudicated, Mode::RulesOnly];

    /// The key used in text and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Mode::Adjudicated => "adjudicated",
            Mode::RulesOnly => "rules-only",
        }
    }
}

/// The figures of one round in one mode (also used, summed, for totals).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Rounds counted (1 for a round).
    pub rounds: u32,
    /// Rounds whose reference verdict could be read.
    pub verdicts_compared: u32,
    /// Of those, rounds where the engine verdict is the same.
    pub verdicts_agree: u32,
    /// Rounds compared whose engine verdict is a recorded decision.
    pub recorded_verdicts: u32,
    /// Of those, rounds where the recorded verdict is the reference's.
    pub recorded_verdicts_agree: u32,
    /// Rounds compared where the verdict ladder's own answer is the reference's
    /// (out of `verdicts_compared`).
    pub rule_verdicts_agree: u32,
    /// Rounds whose engine C/I/S counts equal the reference's exactly.
    pub counts_exact: u32,
    /// Surviving engine findings per severity.
    pub engine: SeverityCounts,
    /// Reference findings per severity.
    pub reference: SeverityCounts,
    /// Matched pairs.
    pub matched: u32,
    /// Matched pairs with the same severity.
    pub severity_agree: u32,
    /// Matched pairs crediting exactly the same agents.
    pub attribution_exact: u32,
    /// Matched pairs sharing some but not all agents.
    pub attribution_partial: u32,
    /// Engine findings without a reference partner.
    pub engine_only: u32,
    /// Reference findings without an engine partner (carried-over ones apart).
    pub reference_only: u32,
    /// Reference findings carried over from an earlier round (no agent raised
    /// them this round).
    pub carried: u32,
    /// Of those, the ones the engine reproduced (matched).
    pub carried_matched: u32,
}

impl Summary {
    /// Summarises one match.
    pub fn of(m: &RoundMatch, report: &Report, reference: &Reference) -> Summary {
        let count = |sev: &mut SeverityCounts, s: Severity| match s {
            Severity::Critical => sev.critical += 1,
            Severity::Important => sev.important += 1,
            Severity::Suggestion => sev.suggestion += 1,
        };
        let mut engine = SeverityCounts::default();
        for f in &report.findings {
            count(&mut engine, f.severity);
        }
        let mut refc = SeverityCounts::default();
        for f in &reference.findings {
            count(&mut refc, f.severity);
        }
        let n = |k: usize| u32::try_from(k).unwrap_or(u32::MAX);
        let is_carried = |i: usize| {
            reference
                .findings
                .get(i)
                .is_some_and(|f| f.carried_from.is_some())
        };
        let carried = reference
            .findings
            .iter()
            .filter(|f| f.carried_from.is_some())
            .count();
        let carried_missed = m
            .reference_only
            .iter()
            .filter(|u| is_carried(u.index))
            .count();
        Summary {
            rounds: 1,
            verdicts_compared: u32::from(m.verdict.agrees.is_some()),
            verdicts_agree: u32::from(m.verdict.agrees == Some(true)),
            recorded_verdicts: u32::from(m.verdict.recorded && m.verdict.agrees.is_some()),
            recorded_verdicts_agree: u32::from(
                m.verdict.recorded && m.verdict.agrees == Some(true),
            ),
            rule_verdicts_agree: u32::from(m.verdict.rule_agrees == Some(true)),
            counts_exact: u32::from(engine == refc),
            engine,
            reference: refc,
            matched: n(m.pairs.len()),
            severity_agree: n(m.pairs.iter().filter(|p| p.severity_agrees).count()),
            attribution_exact: n(m
                .pairs
                .iter()
                .filter(|p| p.attribution == Attribution::Exact)
                .count()),
            attribution_partial: n(m
                .pairs
                .iter()
                .filter(|p| p.attribution == Attribution::Partial)
                .count()),
            engine_only: n(m.engine_only.len()),
            reference_only: n(m.reference_only.len() - carried_missed),
            carried: n(carried),
            carried_matched: n(carried - carried_missed),
        }
    }

    /// Adds another summary into this one.
    pub fn add(&mut self, o: &Summary) {
        self.rounds += o.rounds;
        self.verdicts_compared += o.verdicts_compared;
        self.verdicts_agree += o.verdicts_agree;
        self.recorded_verdicts += o.recorded_verdicts;
        self.recorded_verdicts_agree += o.recorded_verdicts_agree;
        self.rule_verdicts_agree += o.rule_verdicts_agree;
        self.counts_exact += o.counts_exact;
        for (a, b) in [
            (&mut self.engine, &o.engine),
            (&mut self.reference, &o.reference),
        ] {
            a.critical += b.critical;
            a.important += b.important;
            a.suggestion += b.suggestion;
        }
        self.matched += o.matched;
        self.severity_agree += o.severity_agree;
        self.attribution_exact += o.attribution_exact;
        self.attribution_partial += o.attribution_partial;
        self.engine_only += o.engine_only;
        self.reference_only += o.reference_only;
        self.carried += o.carried;
        self.carried_matched += o.carried_matched;
    }

    /// Verdict agreements over verdicts compared.
    pub fn verdict_agreement(&self) -> Option<f64> {
        fmt::ratio(
            f64::from(self.verdicts_agree),
            f64::from(self.verdicts_compared),
        )
    }

    fn json(&self) -> Value {
        let counts = |c: &SeverityCounts| json!({"critical": c.critical, "important": c.important, "suggestion": c.suggestion});
        json!({
            "rounds": self.rounds,
            "verdicts_compared": self.verdicts_compared,
            "verdicts_agree": self.verdicts_agree,
            "verdict_agreement_rate": fmt::json_opt(self.verdict_agreement()),
            "recorded_verdicts": self.recorded_verdicts,
            "recorded_verdicts_agree": self.recorded_verdicts_agree,
            "rule_verdicts_agree": self.rule_verdicts_agree,
            "counts_exact": self.counts_exact,
            "engine": counts(&self.engine),
            "reference": counts(&self.reference),
            "matched": self.matched,
            "severity_agree": self.severity_agree,
            "attribution_exact": self.attribution_exact,
            "attribution_partial": self.attribution_partial,
            "engine_only": self.engine_only,
            "reference_only": self.reference_only,
            "carried": self.carried,
            "carried_matched": self.carried_matched,
        })
    }
}

/// One mode of one round: the match and its summary.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeResult {
    /// The match against the reference.
    pub matching: RoundMatch,
    /// Its figures.
    pub summary: Summary,
}

impl ModeResult {
    /// Matches `report` against `reference`.
    pub fn new(report: &Report, reference: &Reference, config: &MatchConfig) -> ModeResult {
        let matching = match_report(report, reference, config);
        let summary = Summary::of(&matching, report, reference);
        ModeResult { matching, summary }
    }
}

/// Both modes of one round.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundResult {
    /// The round id.
    pub round: String,
    /// The input file name it came from.
    pub input: String,
    /// With recorded adjudications.
    pub adjudicated: ModeResult,
    /// With the rules alone.
    pub rules_only: ModeResult,
    /// Agent reviews that are not whole: the round is listed apart and left out
    /// of every figure.
    pub incomplete: Vec<IncompleteReview>,
    /// No raw finding was parsed in any (complete) review while the reference
    /// lists findings: a parser gap, counted in the figures but never silently.
    pub unparsed: bool,
}

impl RoundResult {
    /// True when every agent review of the round is whole.
    pub fn is_complete(&self) -> bool {
        self.incomplete.is_empty()
    }

    /// The result of one mode.
    pub fn mode(&self, mode: Mode) -> &ModeResult {
        match mode {
            Mode::Adjudicated => &self.adjudicated,
            Mode::RulesOnly => &self.rules_only,
        }
    }
}

/// An input left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The input file name.
    pub input: String,
    /// The round id, when the input could be read.
    pub round: Option<String>,
    /// Why it was left out.
    pub reason: String,
}

/// Everything `reproduce` prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Rounds compared, sorted by round id then input.
    pub rounds: Vec<RoundResult>,
    /// Inputs left out, sorted by input.
    pub skipped: Vec<Skipped>,
    /// The calibration profile, when asked for.
    pub calibration: Option<Calibration>,
}

impl Outcome {
    /// Sorts rounds and skipped inputs into output order.
    pub fn sort(&mut self) {
        self.rounds
            .sort_by(|a, b| a.round.cmp(&b.round).then_with(|| a.input.cmp(&b.input)));
        self.skipped.sort_by(|a, b| {
            a.input
                .cmp(&b.input)
                .then_with(|| a.round.cmp(&b.round))
                .then_with(|| a.reason.cmp(&b.reason))
        });
    }

    /// The rounds whose reviews are all whole: the ones every figure counts.
    pub fn complete_rounds(&self) -> impl Iterator<Item = &RoundResult> {
        self.rounds.iter().filter(|r| r.is_complete())
    }

    /// The rounds with an incomplete review, listed apart.
    pub fn incomplete_rounds(&self) -> impl Iterator<Item = &RoundResult> {
        self.rounds.iter().filter(|r| !r.is_complete())
    }

    /// Totals of one mode, over the complete rounds.
    pub fn totals(&self, mode: Mode) -> Summary {
        let mut t = Summary::default();
        for r in self.complete_rounds() {
            t.add(&r.mode(mode).summary);
        }
        t
    }

    /// The text output: one row per round and mode, then totals side by side.
    pub fn render_text(&self) -> String {
        let mut rows: Vec<[String; 10]> = vec![[
            "round".into(),
            "mode".into(),
            "verdict engine/ref".into(),
            "engine C/I/S".into(),
            "ref C/I/S".into(),
            "matched".into(),
            "sev=".into(),
            "attr exact/partial".into(),
            "engine-only".into(),
            "ref-only".into(),
        ]];
        for r in self.complete_rounds() {
            for mode in Mode::ALL {
                let m = r.mode(mode);
                let s = &m.summary;
                let v = &m.matching.verdict;
                let reference = match (&v.reference, &v.reference_text) {
                    (Some(d), _) => d.key().to_string(),
                    (None, Some(_)) => "unreadable".into(),
                    (None, None) => "none".into(),
                };
                let mark = |agrees: Option<bool>| match agrees {
                    Some(true) => " =",
                    Some(false) => " ≠",
                    None => "",
                };
                let recorded = if v.recorded {
                    format!(" [recorded; rule {}{}]", v.rule.key(), mark(v.rule_agrees))
                } else {
                    String::new()
                };
                rows.push([
                    r.round.clone(),
                    mode.key().into(),
                    format!("{}/{reference}{}{recorded}", v.engine.key(), mark(v.agrees)),
                    csi(&s.engine),
                    csi(&s.reference),
                    s.matched.to_string(),
                    s.severity_agree.to_string(),
                    format!("{}/{}", s.attribution_exact, s.attribution_partial),
                    s.engine_only.to_string(),
                    s.reference_only.to_string(),
                ]);
            }
        }
        let mut out = table(&rows);

        let incomplete: Vec<&RoundResult> = self.incomplete_rounds().collect();
        if !incomplete.is_empty() {
            out.push_str(&format!(
                "\nincomplete rounds ({}), left out of every figure:\n",
                incomplete.len()
            ));
            for r in incomplete {
                for i in &r.incomplete {
                    out.push_str(&format!(
                        "  {}  {} pass {} ({}): {}\n",
                        r.round,
                        i.agent,
                        i.pass,
                        i.incomplete.kind.as_str(),
                        i.incomplete.reason
                    ));
                }
            }
        }

        let unparsed: Vec<&RoundResult> = self.complete_rounds().filter(|r| r.unparsed).collect();
        if !unparsed.is_empty() {
            out.push_str(&format!(
                "\nrounds whose reviews parse to no finding while the reference lists some ({}), \
                 counted above as engine misses; see `review-replay parse`:\n",
                unparsed.len()
            ));
            for r in unparsed {
                out.push_str(&format!("  {}\n", r.round));
            }
        }

        out.push('\n');
        let a = self.totals(Mode::Adjudicated);
        let b = self.totals(Mode::RulesOnly);
        let mut t: Vec<[String; 3]> = vec![[
            format!("totals ({} rounds)", a.rounds),
            Mode::Adjudicated.key().into(),
            Mode::RulesOnly.key().into(),
        ]];
        let line = |name: &str, f: &dyn Fn(&Summary) -> String| -> [String; 3] {
            [name.to_string(), f(&a), f(&b)]
        };
        // Two lines that never hide each other: the recorded verdict replayed,
        // and what the rules' verdict ladder alone answers.
        t.push(line("recorded verdict reproduced", &|s| {
            if s.recorded_verdicts == 0 {
                "-".to_string()
            } else {
                fraction(s.recorded_verdicts_agree, s.recorded_verdicts)
            }
        }));
        t.push(line("rule verdict agrees", &|s| {
            fraction(s.rule_verdicts_agree, s.verdicts_compared)
        }));
        t.push(line("exact C/I/S counts", &|s| {
            fraction(s.counts_exact, s.rounds)
        }));
        t.push(line("engine C/I/S", &|s| csi(&s.engine)));
        t.push(line("reference C/I/S", &|s| csi(&s.reference)));
        t.push(line("matched", &|s| s.matched.to_string()));
        t.push(line("severity agreement", &|s| {
            fraction(s.severity_agree, s.matched)
        }));
        t.push(line("attribution exact", &|s| {
            fraction(s.attribution_exact, s.matched)
        }));
        t.push(line("attribution partial", &|s| {
            s.attribution_partial.to_string()
        }));
        t.push(line("engine-only", &|s| s.engine_only.to_string()));
        t.push(line("reference-only", &|s| s.reference_only.to_string()));
        t.push(line("carried over reproduced", &|s| {
            fraction(s.carried_matched, s.carried)
        }));
        out.push_str(&table(&t));

        if let Some(c) = &self.calibration {
            out.push('\n');
            out.push_str(&c.render_text());
        }
        out
    }

    /// The `review-replay/reproduce/v1` JSON, pretty, with a trailing newline.
    pub fn render_json(&self) -> String {
        let rounds: Vec<Value> = self
            .complete_rounds()
            .map(|r| {
                let mut modes = serde_json::Map::new();
                for mode in Mode::ALL {
                    let m = r.mode(mode);
                    let mut v = m.summary.json();
                    if let Value::Object(o) = &mut v {
                        o.remove("rounds");
                        o.insert("verdict".into(), json!(m.matching.verdict));
                        o.insert(
                            "pairs".into(),
                            Value::Array(
                                m.matching
                                    .pairs
                                    .iter()
                                    .map(|p| {
                                        json!({
                                            "engine_id": p.engine_id,
                                            "reference_id": p.reference_id,
                                            "score": fmt::json(p.score),
                                            "engine_severity": p.engine_severity,
                                            "reference_severity": p.reference_severity,
                                            "severity_agrees": p.severity_agrees,
                                            "attribution": p.attribution,
                                        })
                                    })
                                    .collect(),
                            ),
                        );
                        o.insert("engine_only_findings".into(), json!(m.matching.engine_only));
                        o.insert(
                            "reference_only_findings".into(),
                            json!(m.matching.reference_only),
                        );
                    }
                    modes.insert(mode.key().into(), v);
                }
                json!({"round": r.round, "input": r.input, "unparsed": r.unparsed, "modes": modes})
            })
            .collect();
        let skipped: Vec<Value> = self
            .skipped
            .iter()
            .map(|s| json!({"input": s.input, "round": s.round, "reason": s.reason}))
            .collect();
        let mut totals = serde_json::Map::new();
        for mode in Mode::ALL {
            totals.insert(mode.key().into(), self.totals(mode).json());
        }
        let incomplete: Vec<Value> = self
            .incomplete_rounds()
            .map(|r| json!({"round": r.round, "input": r.input, "reviews": r.incomplete}))
            .collect();
        let mut doc = json!({
            "schema": REPRODUCE_SCHEMA_V1,
            "rounds": rounds,
            "incomplete_rounds": incomplete,
            "skipped": skipped,
            "totals": totals,
        });
        if let (Some(c), Value::Object(o)) = (&self.calibration, &mut doc) {
            o.insert("calibration".into(), c.json());
        }
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// `part/whole (ratio)`, the ratio as the other figures print it.
fn fraction(part: u32, whole: u32) -> String {
    format!(
        "{part}/{whole} ({})",
        fmt::value(fmt::ratio(f64::from(part), f64::from(whole)))
    )
}

fn csi(c: &SeverityCounts) -> String {
    format!("{}/{}/{}", c.critical, c.important, c.suggestion)
}

/// Lays out rows as a left-aligned plain-text table with a rule under the header.
pub(crate) fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for (k, row) in rows.iter().enumerate() {
        let mut line = String::new();
        for (i, (w, cell)) in widths.iter().zip(row.iter()).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            for _ in cell.chars().count()..*w {
                line.push(' ');
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if k == 0 {
            let total: usize = widths.iter().sum::<usize>() + 2 * N.saturating_sub(1);
            out.push_str(&"-".repeat(total));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cassette::{ReferenceFinding, ReferenceVerdict, RoundMeta};
    use crate::model::Location;
    use crate::report::{ConsolidatedFinding, FindingStatus, Verdict, VerdictDecision};

    fn report(id: &str, decision: VerdictDecision, findings: &[(&str, &str, &str)]) -> Report {
        Report {
            findings: findings
                .iter()
                .map(|(fid, title, path)| ConsolidatedFinding {
                    id: fid.to_string(),
                    severity: fid
                        .chars()
                        .next()
                        .and_then(Severity::from_letter)
                        .unwrap_or(Severity::Suggestion),
                    status: FindingStatus::Open,
                    classification: None,
                    tags: vec![],
                    title: title.to_string(),
                    locations: vec![Location {
                        path: path.to_string(),
                        start: Some(1),
                        end: Some(1),
                    }],
                    agents: vec!["claude".into()],
                    sources: vec![],
                    decisions: vec![],
                    body: String::new(),
                    fix: None,
                    carried_from: None,
                })
                .collect(),
            ..Report::new(
                RoundMeta {
                    id: id.into(),
                    ..RoundMeta::default()
                },
                Verdict {
                    decision,
                    reason: String::new(),
                },
            )
        }
    }

    fn reference(decision: &str, findings: &[(&str, &str, &str)]) -> Reference {
        Reference {
            verdict: Some(ReferenceVerdict {
                decision: decision.into(),
                reason: String::new(),
            }),
            findings: findings
                .iter()
                .map(|(fid, title, path)| ReferenceFinding {
                    id: fid.to_string(),
                    severity: fid
                        .chars()
                        .next()
                        .and_then(Severity::from_letter)
                        .unwrap_or(Severity::Suggestion),
                    title: title.to_string(),
                    agents: vec!["claude".into()],
                    locations: vec![Location {
                        path: path.to_string(),
                        start: Some(1),
                        end: Some(1),
                    }],
                    tags: vec![],
                    carried_from: None,
                })
                .collect(),
            retro: None,
            reconciliation: vec![],
        }
    }

    fn outcome() -> Outcome {
        let cfg = MatchConfig::default();
        let reference = reference(
            "merge-with-fixes",
            &[("I1", "Leak in pool", "a.go"), ("S1", "Rename var", "b.go")],
        );
        let good = report(
            "r2",
            VerdictDecision::MergeWithFixes,
            &[("I1", "Leak in pool", "a.go")],
        );
        let bad = report(
            "r2",
            VerdictDecision::Rework,
            &[("C1", "Leak in pool", "a.go"), ("I1", "Other", "c.go")],
        );
        let other = report("r1", VerdictDecision::MergeWithFixes, &[]);
        let mut o = Outcome {
            rounds: vec![
                RoundResult {
                    round: "r2".into(),
                    input: "r2.json".into(),
                    adjudicated: ModeResult::new(&good, &reference, &cfg),
                    rules_only: ModeResult::new(&bad, &reference, &cfg),
                    incomplete: vec![],
                    unparsed: false,
                },
                RoundResult {
                    round: "r1".into(),
                    input: "r1.json".into(),
                    adjudicated: ModeResult::new(&other, &reference, &cfg),
                    rules_only: ModeResult::new(&other, &reference, &cfg),
                    incomplete: vec![],
                    unparsed: false,
                },
            ],
            skipped: vec![Skipped {
                input: "x.json".into(),
                round: Some("x".into()),
                reason: "no reference".into(),
            }],
            calibration: None,
        };
        o.sort();
        o
    }

    #[test]
    fn totals_sum_rounds_per_mode() {
        let o = outcome();
        assert_eq!(o.rounds[0].round, "r1");
        let a = o.totals(Mode::Adjudicated);
        assert_eq!(a.rounds, 2);
        assert_eq!((a.verdicts_compared, a.verdicts_agree), (2, 2));
        assert_eq!((a.matched, a.severity_agree), (1, 1));
        assert_eq!(a.reference_only, 3);
        assert_eq!(a.engine_only, 0);
        let b = o.totals(Mode::RulesOnly);
        assert_eq!((b.verdicts_compared, b.verdicts_agree), (2, 1));
        assert_eq!((b.matched, b.severity_agree), (1, 0));
        assert_eq!(b.engine_only, 1);
        assert_eq!(b.engine.critical, 1);
        assert_eq!(b.verdict_agreement(), Some(0.5));
    }

    #[test]
    fn json_has_schema_and_is_stable() {
        let o = outcome();
        let a = o.render_json();
        assert_eq!(a, o.render_json());
        let v: Value = serde_json::from_str(&a).expect("valid json");
        assert_eq!(v["schema"], REPRODUCE_SCHEMA_V1);
        assert_eq!(v["rounds"][1]["modes"]["rules-only"]["engine_only"], 1);
        assert_eq!(
            v["totals"]["rules-only"]["verdict_agreement_rate"],
            json!(0.5)
        );
        assert_eq!(v["skipped"][0]["reason"], "no reference");
    }

    #[test]
    fn text_table_lists_both_modes_per_round_and_totals() {
        let text = outcome().render_text();
        let row = |prefix: &str| {
            text.lines()
                .find(|l| l.starts_with(prefix))
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        assert_eq!(
            row("r2     rules-only"),
            "r2 rules-only rework/merge-with-fixes ≠ 1/1/0 0/1/1 1 0 1/0 1 1",
            "{text}"
        );
        assert_eq!(
            row("rule verdict agrees"),
            "rule verdict agrees 2/2 (1.000) 1/2 (0.500)",
            "{text}"
        );
        // No round had a recorded verdict: the line says so rather than 0/0.
        assert_eq!(
            row("recorded verdict reproduced"),
            "recorded verdict reproduced - -",
            "{text}"
        );
    }
}
