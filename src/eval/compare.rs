//! `eval`: baseline against candidate, round by round, with paired differences,
//! bootstrap intervals, verdict changes and gates; markdown and
//! `review-replay/eval/v1` JSON output.
//!
//! Rounds are paired by round id. A round present on one side only is listed and
//! left out of every figure. All figures are computed over the paired rounds only.
//! Invariants: rows come in [`Metric::ALL`] order, whole-round scope first, then
//! agents by key; rounds by id; the same inputs and options give the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::eval::bootstrap::{self, Options};
use crate::eval::fmt;
use crate::eval::gate::{self, Gate};
use crate::eval::metrics::{Kind, Metric, Obs, RoundMetrics, observe, verdict_change};
use crate::report::VerdictDecision;

/// The JSON schema id of `eval --format json`.
pub const EVAL_SCHEMA_V1: &str = "review-replay/eval/v1";

/// One metric for one scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The metric.
    pub metric: Metric,
    /// The agent, or `None` for all agents / the whole round.
    pub agent: Option<String>,
    /// Paired rounds with data on both sides.
    pub rounds: u32,
    /// Baseline value over the paired rounds.
    pub baseline: Option<f64>,
    /// Candidate value over the paired rounds.
    pub candidate: Option<f64>,
    /// Candidate − baseline.
    pub difference: Option<f64>,
    /// Bootstrap interval of the difference.
    pub ci: Option<(f64, f64)>,
}

/// A round whose verdict differs between the sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictChange {
    /// The round id.
    pub round: String,
    /// Baseline verdict.
    pub baseline: VerdictDecision,
    /// Candidate verdict.
    pub candidate: VerdictDecision,
}

/// The verdicts of one paired round on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundVerdicts {
    /// The round id.
    pub round: String,
    /// Baseline verdict.
    pub baseline: VerdictDecision,
    /// Candidate verdict.
    pub candidate: VerdictDecision,
}

impl RoundVerdicts {
    /// True when the verdict differs between the sides.
    pub fn changed(&self) -> bool {
        self.baseline != self.candidate
    }
}

/// Everything `eval` prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// How the two sides were produced (`cassettes` or `rules`), and their labels.
    pub labels: (String, String),
    /// The bootstrap options.
    pub options: Options,
    /// Paired round ids, sorted.
    pub paired: Vec<String>,
    /// Rounds only in the baseline.
    pub only_baseline: Vec<String>,
    /// Rounds only in the candidate.
    pub only_candidate: Vec<String>,
    /// Agents seen in the paired rounds.
    pub agents: Vec<String>,
    /// The metric rows.
    pub rows: Vec<Row>,
    /// Verdict changes, by round.
    pub verdict_changes: Vec<VerdictChange>,
    /// Both verdicts of every paired round, by round id.
    pub rounds: Vec<RoundVerdicts>,
    /// Gate outcomes, in the order given.
    pub gates: Vec<gate::Outcome>,
}

/// Compares two sides, keyed by round id.
pub fn evaluate(
    baseline: &BTreeMap<String, RoundMetrics>,
    candidate: &BTreeMap<String, RoundMetrics>,
    labels: (String, String),
    options: Options,
) -> Evaluation {
    let paired: Vec<String> = baseline
        .keys()
        .filter(|k| candidate.contains_key(*k))
        .cloned()
        .collect();
    let only_baseline = baseline
        .keys()
        .filter(|k| !candidate.contains_key(*k))
        .cloned()
        .collect();
    let only_candidate = candidate
        .keys()
        .filter(|k| !baseline.contains_key(*k))
        .cloned()
        .collect();
    let pairs: Vec<(&RoundMetrics, &RoundMetrics)> = paired
        .iter()
        .filter_map(|k| Some((baseline.get(k)?, candidate.get(k)?)))
        .collect();
    let agents: Vec<String> = pairs
        .iter()
        .flat_map(|(b, c)| b.agents.keys().chain(c.agents.keys()))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let samples = bootstrap::draw(pairs.len(), &options);

    let mut rows = Vec::new();
    for metric in Metric::ALL {
        let scopes: Vec<Option<&str>> = std::iter::once(None)
            .chain(
                agents
                    .iter()
                    .map(|a| Some(a.as_str()))
                    .filter(|_| metric.per_agent()),
            )
            .collect();
        for scope in scopes {
            let (b, c): (Vec<Obs>, Vec<Obs>) = if metric.is_paired_only() {
                pairs
                    .iter()
                    .map(|(b, c)| (Obs { num: 0.0, den: 1.0 }, verdict_change(b, c)))
                    .unzip()
            } else {
                pairs
                    .iter()
                    .map(|(b, c)| (observe(b, metric, scope), observe(c, metric, scope)))
                    .unzip()
            };
            let rounds = b
                .iter()
                .zip(&c)
                .filter(|(x, y)| x.den > 0.0 && y.den > 0.0)
                .count();
            let kind = metric.kind();
            let (difference, ci) = if metric.is_paired_only() {
                // An exact count of what changed, not an estimate: no interval.
                (bootstrap::statistic(kind, c.iter()), None)
            } else {
                bootstrap::paired(kind, &b, &c, &samples, options.confidence)
            };
            let (bv, cv) = if metric.is_paired_only() {
                (None, None)
            } else {
                (
                    bootstrap::statistic(kind, b.iter()),
                    bootstrap::statistic(kind, c.iter()),
                )
            };
            rows.push(Row {
                metric,
                agent: scope.map(str::to_string),
                rounds: u32::try_from(rounds).unwrap_or(u32::MAX),
                baseline: bv,
                candidate: cv,
                difference,
                ci,
            });
        }
    }
    let verdict_changes = pairs
        .iter()
        .filter(|(b, c)| b.verdict != c.verdict)
        .map(|(b, c)| VerdictChange {
            round: b.round.clone(),
            baseline: b.verdict,
            candidate: c.verdict,
        })
        .collect();
    let rounds = pairs
        .iter()
        .map(|(b, c)| RoundVerdicts {
            round: b.round.clone(),
            baseline: b.verdict,
            candidate: c.verdict,
        })
        .collect();
    Evaluation {
        labels,
        options,
        paired,
        only_baseline,
        only_candidate,
        agents,
        rows,
        verdict_changes,
        rounds,
        gates: Vec::new(),
    }
}

impl Evaluation {
    /// The row of a metric and scope.
    pub fn row(&self, metric: Metric, agent: Option<&str>) -> Option<&Row> {
        self.rows
            .iter()
            .find(|r| r.metric == metric && r.agent.as_deref() == agent)
    }

    /// Decides the gates; an agent that appears in no paired round is an error.
    pub fn apply_gates(&mut self, gates: &[Gate]) -> Result<(), String> {
        for g in gates {
            let unknown = g.agent.as_ref().filter(|a| !self.agents.contains(a));
            if let Some(agent) = unknown {
                return Err(format!(
                    "--fail-if `{}`: agent `{agent}` is in no paired round (agents: {})",
                    g.text,
                    if self.agents.is_empty() {
                        "none".to_string()
                    } else {
                        self.agents.join(", ")
                    }
                ));
            }
            let (point, ci) = self
                .row(g.metric, g.agent.as_deref())
                .map(|r| (r.difference, r.ci))
                .unwrap_or((None, None));
            self.gates.push(gate::decide(g, point, ci));
        }
        Ok(())
    }

    /// True when any gate failed.
    pub fn failed(&self) -> bool {
        self.gates.iter().any(|g| g.failed)
    }

    fn percent(&self) -> String {
        let p = self.options.confidence * 100.0;
        if (p - p.round()).abs() < 1e-9 {
            format!("{p:.0}%")
        } else {
            format!("{p}%")
        }
    }

    /// The markdown output.
    pub fn render_markdown(&self) -> String {
        let mut out = String::new();
        out.push_str("# review-replay eval\n\n");
        out.push_str(&format!(
            "- Baseline: {}\n- Candidate: {}\n- Paired rounds: {}\n",
            self.labels.0,
            self.labels.1,
            self.paired.len()
        ));
        for (label, list) in [
            ("Only in baseline", &self.only_baseline),
            ("Only in candidate", &self.only_candidate),
        ] {
            if !list.is_empty() {
                out.push_str(&format!(
                    "- {label} (left out): {}\n",
                    list.iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if self.options.resamples == 0 {
            out.push_str("- Bootstrap: off\n");
        } else {
            out.push_str(&format!(
                "- Bootstrap: {} resamples of rounds, seed {}, {} intervals\n",
                self.options.resamples,
                self.options.seed,
                self.percent()
            ));
        }

        out.push_str(&format!(
            "\n## Metrics\n\n| metric | agent | rounds | baseline | candidate | difference | {} CI |\n|---|---|---:|---:|---:|---:|---|\n",
            self.percent()
        ));
        for r in &self.rows {
            let rate = r.metric.kind() == Kind::Rate;
            let ci = match r.ci {
                Some((lo, hi)) if rate => {
                    format!("[{}, {}]", fmt::signed(Some(lo)), fmt::signed(Some(hi)))
                }
                Some((lo, hi)) => format!("[{}, {}]", fmt::signed_bound(lo), fmt::signed_bound(hi)),
                None => "—".into(),
            };
            let (b, c, d) = if r.metric.is_paired_only() {
                (
                    "—".to_string(),
                    "—".to_string(),
                    fmt::signed_count(r.difference),
                )
            } else if rate {
                (
                    fmt::value(r.baseline),
                    fmt::value(r.candidate),
                    fmt::signed(r.difference),
                )
            } else {
                (
                    fmt::count(r.baseline),
                    fmt::count(r.candidate),
                    fmt::signed_count(r.difference),
                )
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                r.metric.name(),
                r.agent.as_deref().unwrap_or("all"),
                r.rounds,
                b,
                c,
                d,
                ci
            ));
        }

        out.push_str("\n## Verdict changes\n\n");
        out.push_str(&format!(
            "{} of {} paired rounds change verdict.\n",
            self.verdict_changes.len(),
            self.paired.len()
        ));
        if !self.verdict_changes.is_empty() {
            out.push_str("\n| round | baseline | candidate |\n|---|---|---|\n");
            for v in &self.verdict_changes {
                out.push_str(&format!(
                    "| `{}` | {} | {} |\n",
                    v.round,
                    v.baseline.label(),
                    v.candidate.label()
                ));
            }
        }

        if !self.gates.is_empty() {
            out.push_str("\n## Gates\n\n");
            for g in &self.gates {
                let status = if g.failed {
                    "FAIL"
                } else if g.basis == gate::Basis::NoData {
                    "no data"
                } else {
                    "pass"
                };
                let on = match g.basis {
                    gate::Basis::LowerBound => "CI lower bound",
                    gate::Basis::UpperBound => "CI upper bound",
                    gate::Basis::Point => "value",
                    gate::Basis::NoData => "",
                };
                if g.basis == gate::Basis::NoData {
                    out.push_str(&format!(
                        "- **{status}** `{}`: no paired data, the gate cannot fail\n",
                        g.gate.text
                    ));
                    continue;
                }
                // Counts read as counts (`+3 > +0`); rates with fixed decimals.
                let show = |v: f64| match g.gate.metric.kind() {
                    Kind::Rate => fmt::signed(Some(v)),
                    Kind::Count if v.fract() == 0.0 => fmt::signed_count(Some(v)),
                    Kind::Count => fmt::signed_bound(v),
                };
                out.push_str(&format!(
                    "- **{status}** `{}`: {on} {} {} {}\n",
                    g.gate.text,
                    g.value.map(show).unwrap_or_default(),
                    if g.failed { g.gate.op.as_str() } else { "vs" },
                    show(g.gate.threshold)
                ));
            }
        }
        out
    }

    /// The `review-replay/eval/v1` JSON, pretty, with a trailing newline.
    pub fn render_json(&self) -> String {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                json!({
                    "metric": r.metric.name(),
                    "kind": match r.metric.kind() { Kind::Rate => "rate", Kind::Count => "count" },
                    "agent": r.agent,
                    "rounds": r.rounds,
                    "baseline": fmt::json_opt(r.baseline),
                    "candidate": fmt::json_opt(r.candidate),
                    "difference": fmt::json_opt(r.difference),
                    "ci": r.ci.map(|(lo, hi)| [fmt::json(lo), fmt::json(hi)]),
                })
            })
            .collect();
        let changes: Vec<Value> = self
            .verdict_changes
            .iter()
            .map(|v| json!({"round": v.round, "baseline": v.baseline, "candidate": v.candidate}))
            .collect();
        let rounds: Vec<Value> = self
            .rounds
            .iter()
            .map(|r| {
                json!({
                    "id": r.round,
                    "baseline_verdict": r.baseline,
                    "candidate_verdict": r.candidate,
                    "changed": r.changed(),
                })
            })
            .collect();
        let gates: Vec<Value> = self
            .gates
            .iter()
            .map(|g| {
                json!({
                    "expr": g.gate.text,
                    "metric": g.gate.metric.name(),
                    "agent": g.gate.agent,
                    "op": g.gate.op.as_str(),
                    "threshold": fmt::json(g.gate.threshold),
                    "basis": g.basis.key(),
                    "value": fmt::json_opt(g.value),
                    "failed": g.failed,
                })
            })
            .collect();
        let doc = json!({
            "schema": EVAL_SCHEMA_V1,
            "baseline": self.labels.0,
            "candidate": self.labels.1,
            "bootstrap": {
                "resamples": self.options.resamples,
                "seed": self.options.seed,
                "confidence": fmt::json(self.options.confidence),
            },
            "paired_rounds": self.paired,
            "only_baseline": self.only_baseline,
            "only_candidate": self.only_candidate,
            "agents": self.agents,
            "metrics": rows,
            "rounds": rounds,
            "verdict_changes": changes,
            "gates": gates,
            "failed": self.failed(),
        });
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::metrics::AgentCounts;

    /// A round where `agent` raised `raised` findings of which `fp` were false
    /// positives and the rest survived.
    fn round(
        id: &str,
        agent: &str,
        raised: u32,
        fp: u32,
        verdict: VerdictDecision,
    ) -> RoundMetrics {
        let mut agents = BTreeMap::new();
        agents.insert(
            agent.to_string(),
            AgentCounts {
                raised: [0, raised, 0],
                surviving: raised - fp,
                false_positives: fp,
                ..AgentCounts::default()
            },
        );
        RoundMetrics {
            round: id.into(),
            verdict,
            verdict_agrees: None,
            agents,
            reference_findings: 0,
            reference_matched: 0,
        }
    }

    fn side(fps: &[u32], verdicts: &[VerdictDecision]) -> BTreeMap<String, RoundMetrics> {
        fps.iter()
            .zip(verdicts)
            .enumerate()
            .map(|(i, (&fp, &v))| {
                let id = format!("r{i:02}");
                (id.clone(), round(&id, "gemini", 10, fp, v))
            })
            .collect()
    }

    const M: VerdictDecision = VerdictDecision::MergeWithFixes;
    const R: VerdictDecision = VerdictDecision::Rework;

    fn run(
        base: &[u32],
        cand: &[u32],
        cand_verdicts: &[VerdictDecision],
        gates: &[&str],
    ) -> Evaluation {
        let b = side(base, &vec![M; base.len()]);
        let c = side(cand, cand_verdicts);
        let mut e = evaluate(&b, &c, ("a".into(), "b".into()), Options::default());
        let gates: Vec<Gate> = gates
            .iter()
            .map(|g| gate::parse(g).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        e.apply_gates(&gates).unwrap_or_else(|e| panic!("{e}"));
        e
    }

    const GATES: [&str; 3] = [
        "false_positive_rate[gemini] > +0.05",
        "survival_rate < -0.05",
        "verdict_changes > 0",
    ];

    #[test]
    fn clearly_worse_candidate_fails_the_gates() {
        let e = run(
            &[1, 0, 1, 2, 1, 0, 1, 1],
            &[4, 3, 5, 4, 3, 4, 5, 3],
            &[M, R, M, M, M, M, M, M],
            &GATES,
        );
        let fp = e
            .row(Metric::FalsePositiveRate, Some("gemini"))
            .expect("row");
        assert_eq!(fp.rounds, 8);
        let (lo, hi) = fp.ci.expect("ci");
        assert!(lo > 0.05 && hi >= fp.difference.expect("diff"), "{fp:?}");
        assert!(e.gates.iter().all(|g| g.failed), "{:?}", e.gates);
        assert!(e.failed());
        assert_eq!(e.verdict_changes.len(), 1);
        assert_eq!(e.verdict_changes[0].round, "r01");
    }

    #[test]
    fn clearly_better_candidate_passes() {
        let e = run(
            &[4, 3, 5, 4, 3, 4, 5, 3],
            &[1, 0, 1, 2, 1, 0, 1, 1],
            &[M; 8],
            &GATES,
        );
        let fp = e.row(Metric::FalsePositiveRate, None).expect("row");
        assert!(fp.difference.expect("diff") < -0.2);
        assert!(!e.failed(), "{:?}", e.gates);
    }

    #[test]
    fn identical_sides_pass_with_zero_differences() {
        let e = run(&[1, 2, 3], &[1, 2, 3], &[M; 3], &GATES);
        for r in &e.rows {
            if let Some(d) = r.difference {
                assert_eq!(d, 0.0, "{r:?}");
            }
            if let Some(ci) = r.ci {
                assert_eq!(ci, (0.0, 0.0), "{r:?}");
            }
        }
        assert!(!e.failed());
    }

    #[test]
    fn noisy_small_worsening_does_not_fail_on_the_point_value_alone() {
        // One bad round among many: the point difference is above the threshold,
        // but the interval's lower bound is not.
        let e = run(
            &[1; 8],
            &[1, 1, 1, 1, 1, 1, 1, 8],
            &[M; 8],
            &["false_positive_rate > 0.05"],
        );
        let row = e.row(Metric::FalsePositiveRate, None).expect("row");
        assert!(row.difference.expect("diff") > 0.05);
        assert!(!e.failed(), "{:?}", e.gates);
    }

    #[test]
    fn unpaired_rounds_are_listed_and_left_out() {
        let mut b = side(&[1, 1], &[M, M]);
        let c = side(&[1, 1, 1], &[M, M, M]);
        b.insert("zz".into(), round("zz", "gemini", 10, 10, R));
        let e = evaluate(&b, &c, ("a".into(), "b".into()), Options::default());
        assert_eq!(e.paired, ["r00", "r01"]);
        assert_eq!(e.only_baseline, ["zz"]);
        assert_eq!(e.only_candidate, ["r02"]);
        assert_eq!(
            e.row(Metric::FalsePositiveRate, None)
                .expect("row")
                .baseline,
            Some(0.1)
        );
    }

    #[test]
    fn unknown_gate_agent_is_an_error() {
        let b = side(&[1], &[M]);
        let mut e = evaluate(&b, &b, ("a".into(), "b".into()), Options::default());
        let g = gate::parse("recall[codex] > 0").expect("gate");
        let err = e.apply_gates(&[g]).expect_err("unknown agent");
        assert!(err.contains("agent `codex`"), "{err}");
    }

    #[test]
    fn output_is_deterministic_and_json_has_schema() {
        let e = run(&[1, 0, 1, 2], &[4, 3, 5, 4], &[M, R, M, M], &GATES);
        let again = run(&[1, 0, 1, 2], &[4, 3, 5, 4], &[M, R, M, M], &GATES);
        assert_eq!(e.render_json(), again.render_json());
        assert_eq!(e.render_markdown(), again.render_markdown());
        let v: Value = serde_json::from_str(&e.render_json()).expect("json");
        assert_eq!(v["schema"], EVAL_SCHEMA_V1);
        assert_eq!(v["failed"], true);
        assert_eq!(v["verdict_changes"][0]["candidate"], "rework");
        let rounds = v["rounds"].as_array().expect("rounds");
        assert_eq!(rounds.len(), 4);
        assert_eq!(
            rounds[1],
            serde_json::json!({"id": "r01", "baseline_verdict": "merge-with-fixes",
                "candidate_verdict": "rework", "changed": true})
        );
        assert_eq!(rounds[0]["changed"], false);
        assert_eq!(rounds[0]["candidate_verdict"], "merge-with-fixes");
        let md = e.render_markdown();
        assert!(
            md.contains("| false_positive_rate | gemini | 4 | 0.100 | 0.400 | +0.300 |"),
            "{md}"
        );
        assert!(
            md.contains("- **FAIL** `verdict_changes > 0`: value +1 > +0"),
            "{md}"
        );
        assert!(
            md.contains(
                "1 of 4 paired rounds change verdict.\n\n| round | baseline | candidate |\n|---|---|---|\n| `r01` | Merge with fixes | Rework |\n"
            ),
            "{md}"
        );
    }

    #[test]
    fn without_resamples_gates_use_the_point_difference() {
        let b = side(&[1, 1, 1, 1, 1, 1, 1, 1], &[M; 8]);
        let c = side(&[1, 1, 1, 1, 1, 1, 1, 8], &[M; 8]);
        let options = Options {
            resamples: 0,
            ..Options::default()
        };
        let mut e = evaluate(&b, &c, ("a".into(), "b".into()), options);
        let g = gate::parse("false_positive_rate > 0.05").expect("gate");
        e.apply_gates(&[g]).expect("gates");
        assert_eq!(e.gates[0].basis, gate::Basis::Point);
        assert!(e.failed(), "{:?}", e.gates);
        assert!(e.render_markdown().contains("- Bootstrap: off"));
    }
}
