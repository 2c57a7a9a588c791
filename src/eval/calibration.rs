//! Severity calibration profile: per agent and raised severity, what the historical
//! consolidation did with the agent's raw findings.
//!
//! Built from rounds with a reference. Each raw finding (a [`SourceRef`] of the
//! engine report, counted once per agent, pass and ordinal) is classified as:
//! `kept` (its consolidated finding matches a reference finding of the same
//! severity), `up` / `down` (matched, reference severity higher / lower than
//! raised), `dropped` (the engine dropped or moved it — with adjudications recorded
//! from the reference, that is the reference's decision), or `unmatched` (it
//! survives in the engine report but matches no reference finding: either the
//! reference dropped it or the matcher missed the pair, so it is kept apart).
//!
//! The engine may use [`Calibration::keep_rate`] (e.g. to re-rate a lone critical of
//! an agent that is rarely kept at critical); this module only measures.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::eval::fmt;
use crate::eval::matching::RoundMatch;
use crate::eval::reproduce::table;
use crate::eval::verdict_policy::{self, Sample};
use crate::model::Severity;
use crate::report::{Report, SourceRef};

/// What happened to the raw findings of one agent at one raised severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// Raw findings counted.
    pub raised: u32,
    /// Kept at the raised severity.
    pub kept: u32,
    /// Re-rated more serious.
    pub up: u32,
    /// Re-rated less serious.
    pub down: u32,
    /// Dropped or moved out of the findings.
    pub dropped: u32,
    /// Surviving in the engine report without a reference partner.
    pub unmatched: u32,
}

impl Outcomes {
    /// Raw findings with a known fate (all but `unmatched`).
    pub fn decided(&self) -> u32 {
        self.kept + self.up + self.down + self.dropped
    }
}

/// The calibration profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calibration {
    /// Rounds that contributed.
    pub rounds: u32,
    /// Outcomes by agent key, then raised severity.
    pub by_agent: BTreeMap<String, BTreeMap<Severity, Outcomes>>,
    /// Each round's findings and historical verdict, for the verdict ladder.
    pub verdicts: Vec<Sample>,
}

impl Calibration {
    /// Adds one round: the engine report and its match against the reference.
    pub fn add_round(&mut self, report: &Report, matching: &RoundMatch) {
        self.rounds += 1;
        if let Some(reference) = matching.verdict.reference {
            self.verdicts.push(Sample::new(&report.findings, reference));
        }
        let mut seen: BTreeSet<(String, u32, u32)> = BTreeSet::new();
        let mut bump = |s: &SourceRef, f: &dyn Fn(&mut Outcomes)| {
            if !seen.insert((s.agent.clone(), s.pass, s.ordinal)) {
                return;
            }
            let o = self
                .by_agent
                .entry(s.agent.clone())
                .or_default()
                .entry(s.severity)
                .or_default();
            o.raised += 1;
            f(o);
        };
        for (i, finding) in report.findings.iter().enumerate() {
            let partner = matching
                .pairs
                .iter()
                .find(|p| p.engine_index == i)
                .map(|p| p.reference_severity);
            for s in &finding.sources {
                match partner {
                    None => bump(s, &|o| o.unmatched += 1),
                    Some(r) if r == s.severity => bump(s, &|o| o.kept += 1),
                    Some(r) if r > s.severity => bump(s, &|o| o.up += 1),
                    Some(_) => bump(s, &|o| o.down += 1),
                }
            }
        }
        let gone = report
            .moved
            .iter()
            .flat_map(|m| &m.sources)
            .chain(report.dropped.iter().flat_map(|d| &d.sources));
        for s in gone {
            bump(s, &|o| o.dropped += 1);
        }
    }

    /// Adds the counts of another profile.
    pub fn merge(&mut self, other: &Calibration) {
        self.rounds += other.rounds;
        self.verdicts.extend(other.verdicts.iter().cloned());
        for (agent, by_sev) in &other.by_agent {
            let slot = self.by_agent.entry(agent.clone()).or_default();
            for (sev, o) in by_sev {
                let t = slot.entry(*sev).or_default();
                t.raised += o.raised;
                t.kept += o.kept;
                t.up += o.up;
                t.down += o.down;
                t.dropped += o.dropped;
                t.unmatched += o.unmatched;
            }
        }
    }

    /// Share of decided raw findings kept at their raised severity.
    pub fn keep_rate(&self, agent: &str, severity: Severity) -> Option<f64> {
        let o = self.by_agent.get(agent)?.get(&severity)?;
        fmt::ratio(f64::from(o.kept), f64::from(o.decided()))
    }

    fn rows(&self) -> impl Iterator<Item = (&str, Severity, &Outcomes)> {
        self.by_agent.iter().flat_map(|(agent, m)| {
            Severity::ALL
                .into_iter()
                .filter_map(move |s| m.get(&s).map(|o| (agent.as_str(), s, o)))
        })
    }

    /// The profile as a text table.
    pub fn render_text(&self) -> String {
        let mut rows: Vec<[String; 9]> = vec![[
            format!("calibration ({} rounds)", self.rounds),
            "raised as".into(),
            "n".into(),
            "kept".into(),
            "up".into(),
            "down".into(),
            "dropped".into(),
            "unmatched".into(),
            "keep rate".into(),
        ]];
        for (agent, s, o) in self.rows() {
            rows.push([
                agent.to_string(),
                s.as_str().into(),
                o.raised.to_string(),
                o.kept.to_string(),
                o.up.to_string(),
                o.down.to_string(),
                o.dropped.to_string(),
                o.unmatched.to_string(),
                fmt::value(self.keep_rate(agent, s)),
            ]);
        }
        table(&rows)
    }

    /// The profile as `[calibration.<agent>]` TOML tables to paste into a rules
    /// file: `<severity>_keep_rate` with three decimals, one key per raised
    /// severity with decided findings (a severity without any is a comment, so
    /// that the rules' default applies to it).
    pub fn render_rules_toml(&self) -> String {
        let mut out = format!(
            "# Calibration profile of {} rounds (review-replay reproduce --calibration-rules).\n\
             # <severity>_keep_rate = kept / (kept + re-rated + dropped), raised at that severity.\n",
            self.rounds
        );
        for (agent, by_sev) in &self.by_agent {
            out.push_str(&format!("\n[calibration.{}]\n", toml_key(agent)));
            for s in Severity::ALL {
                let key = format!("{}_keep_rate", s.as_str());
                match self.keep_rate(agent, s) {
                    Some(rate) => out.push_str(&format!("{key} = {rate:.3}\n")),
                    None => {
                        let raised = by_sev.get(&s).map_or(0, |o| o.raised);
                        out.push_str(&format!("# {key}: no decided finding ({raised} raised)\n"));
                    }
                }
            }
        }
        if !self.verdicts.is_empty() {
            out.push_str(&verdict_policy::propose(&self.verdicts).render_toml());
        }
        out
    }

    /// The profile as JSON: a list of rows.
    pub fn json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows()
            .map(|(agent, s, o)| {
                json!({
                    "agent": agent,
                    "raised_as": s,
                    "raised": o.raised,
                    "kept": o.kept,
                    "up": o.up,
                    "down": o.down,
                    "dropped": o.dropped,
                    "unmatched": o.unmatched,
                    "keep_rate": fmt::json_opt(self.keep_rate(agent, s)),
                })
            })
            .collect();
        json!({"rounds": self.rounds, "rows": rows})
    }
}

// Agent keys are normally bare keys (`claude`); anything else is quoted so that the
// snippet always parses.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        key.to_string()
    } else {
        // A JSON string is a valid TOML basic string.
        serde_json::to_string(key).unwrap_or_else(|_| "\"\"".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cassette::{Reference, ReferenceFinding, RoundMeta};
    use crate::eval::matching::{MatchConfig, match_report};
    use crate::model::Location;
    use crate::report::{ConsolidatedFinding, Dropped, FindingStatus, Verdict, VerdictDecision};

    fn src(agent: &str, ordinal: u32, severity: Severity) -> SourceRef {
        SourceRef {
            agent: agent.into(),
            pass: 1,
            ordinal,
            raised_id: None,
            severity,
        }
    }

    fn finding(
        id: &str,
        severity: Severity,
        title: &str,
        sources: Vec<SourceRef>,
    ) -> ConsolidatedFinding {
        ConsolidatedFinding {
            id: id.into(),
            severity,
            status: FindingStatus::Open,
            classification: None,
            tags: vec![],
            title: title.into(),
            locations: vec![Location {
                path: format!("{title}.go"),
                start: Some(1),
                end: Some(1),
            }],
            agents: vec![],
            sources,
            decisions: vec![],
            body: String::new(),
            fix: None,
            carried_from: None,
        }
    }

    #[test]
    fn classifies_each_raw_finding_once() {
        let report = Report {
            findings: vec![
                finding(
                    "I1",
                    Severity::Important,
                    "alpha",
                    vec![
                        src("claude", 1, Severity::Critical),
                        src("codex", 1, Severity::Important),
                        src("gemini", 1, Severity::Suggestion),
                    ],
                ),
                finding(
                    "S1",
                    Severity::Suggestion,
                    "beta",
                    vec![src("claude", 2, Severity::Suggestion)],
                ),
            ],
            dropped: vec![Dropped {
                sources: vec![src("claude", 3, Severity::Critical)],
                title: String::new(),
                reason: "false-positive".into(),
                detail: String::new(),
            }],
            ..Report::new(
                RoundMeta::default(),
                Verdict {
                    decision: VerdictDecision::MergeWithFixes,
                    reason: String::new(),
                },
            )
        };
        let reference = Reference {
            findings: vec![ReferenceFinding {
                id: "I1".into(),
                severity: Severity::Important,
                title: "alpha".into(),
                agents: vec![],
                locations: vec![Location {
                    path: "alpha.go".into(),
                    start: Some(1),
                    end: Some(1),
                }],
                tags: vec![],
                carried_from: None,
            }],
            ..Reference::default()
        };
        let m = match_report(&report, &reference, &MatchConfig::default());
        let mut c = Calibration::default();
        c.add_round(&report, &m);
        let claude_c = c.by_agent["claude"][&Severity::Critical];
        assert_eq!(
            (claude_c.raised, claude_c.down, claude_c.dropped),
            (2, 1, 1)
        );
        assert_eq!(c.keep_rate("claude", Severity::Critical), Some(0.0));
        assert_eq!(c.by_agent["codex"][&Severity::Important].kept, 1);
        assert_eq!(c.keep_rate("codex", Severity::Important), Some(1.0));
        assert_eq!(c.by_agent["gemini"][&Severity::Suggestion].up, 1);
        let claude_s = c.by_agent["claude"][&Severity::Suggestion];
        assert_eq!((claude_s.unmatched, claude_s.decided()), (1, 0));
        assert_eq!(c.keep_rate("claude", Severity::Suggestion), None);
        let text = c.render_text();
        let claude_rows: Vec<&str> = text.lines().filter(|l| l.starts_with("claude")).collect();
        assert!(claude_rows[0].contains("critical"), "{text}");
        assert!(claude_rows[1].contains("suggestion"), "{text}");
    }

    #[test]
    fn rules_snippet_has_three_decimals_and_parses_as_toml() {
        let mut c = Calibration {
            rounds: 3,
            ..Calibration::default()
        };
        let o = |kept, down, dropped, unmatched| Outcomes {
            raised: kept + down + dropped + unmatched,
            kept,
            up: 0,
            down,
            dropped,
            unmatched,
        };
        c.by_agent.insert(
            "gemini".into(),
            BTreeMap::from([
                (Severity::Critical, o(1, 1, 1, 0)),
                (Severity::Important, o(3, 1, 0, 2)),
            ]),
        );
        c.by_agent.insert(
            "odd agent".into(),
            BTreeMap::from([(Severity::Suggestion, o(0, 0, 0, 2))]),
        );
        let text = c.render_rules_toml();
        assert!(
            text.contains(
                "\n[calibration.gemini]\ncritical_keep_rate = 0.333\nimportant_keep_rate = 0.750\n\
                 # suggestion_keep_rate: no decided finding (0 raised)\n"
            ),
            "{text}"
        );
        assert!(text.contains("[calibration.\"odd agent\"]"), "{text}");
        let v: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(
            v["calibration"]["gemini"]["critical_keep_rate"].as_float(),
            Some(0.333)
        );
        assert!(
            v["calibration"]["odd agent"]
                .as_table()
                .is_some_and(|t| t.is_empty())
        );
    }
}
