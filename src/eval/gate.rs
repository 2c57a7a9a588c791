//! `--fail-if` gates: conditions on the paired difference (candidate − baseline)
//! of one metric, that make `eval` exit 1.
//!
//! Grammar (whitespace allowed between tokens):
//!
//! ```text
//! gate      = metric [ "[" agent "]" ] op threshold
//! metric    = one of the names of `Metric` (e.g. false_positive_rate)
//! agent     = [a-z0-9_-]+            (agent key; not allowed on whole-round metrics)
//! op        = ">" | ">=" | "<" | "<="
//! threshold = [ "+" | "-" ] digits [ "." digits ] [ "%" ]
//! ```
//!
//! A gate fails only when the data leave no reasonable doubt: for `>` and `>=` the
//! *lower* bound of the confidence interval is compared with the threshold; for
//! `<` and `<=` the *upper* bound. Where there is no interval (counts without
//! resamples, `verdict_changes`, `--resamples 0`) the point value is used. A gate
//! whose metric has no data is reported as such and does not fail.

use std::fmt;

use crate::eval::metrics::Metric;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
}

impl Op {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        }
    }

    /// Applies the operator.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Op::Gt => value > threshold,
            Op::Ge => value >= threshold,
            Op::Lt => value < threshold,
            Op::Le => value <= threshold,
        }
    }
}

/// One parsed `--fail-if` expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    /// The expression as given.
    pub text: String,
    /// The metric.
    pub metric: Metric,
    /// The agent, or `None` for all agents / the whole round.
    pub agent: Option<String>,
    /// The comparison.
    pub op: Op,
    /// The threshold on the paired difference.
    pub threshold: f64,
}

const EXPECTED: &str = "expected METRIC[AGENT] OP THRESHOLD, e.g. `false_positive_rate[gemini] > +0.05` \
     or `verdict_changes > 0` (OP is >, >=, < or <=)";

/// Why an expression is not a gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The expression.
    pub text: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid --fail-if `{}`: {}; {EXPECTED}",
            self.text, self.message
        )
    }
}

/// Parses one gate expression.
pub fn parse(text: &str) -> Result<Gate, ParseError> {
    let err = |message: String| ParseError {
        text: text.to_string(),
        message,
    };
    let s = text.trim();
    let name_end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    let (name, mut rest) = s.split_at(name_end);
    if name.is_empty() {
        return Err(err("missing metric name".into()));
    }
    let metric = Metric::from_name(&name.to_ascii_lowercase()).ok_or_else(|| {
        let known: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        err(format!(
            "unknown metric `{name}` (known: {})",
            known.join(", ")
        ))
    })?;

    rest = rest.trim_start();
    let mut agent = None;
    if let Some(after) = rest.strip_prefix('[') {
        let close = after
            .find(']')
            .ok_or_else(|| err("missing `]` after the agent".into()))?;
        let key = after[..close].trim().to_ascii_lowercase();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(err(format!("invalid agent `{}`", &after[..close])));
        }
        if !metric.per_agent() {
            return Err(err(format!(
                "`{}` is measured per round, not per agent",
                metric.name()
            )));
        }
        agent = Some(key);
        rest = after[close + 1..].trim_start();
    }

    let (op, after_op) = if let Some(r) = rest.strip_prefix(">=") {
        (Op::Ge, r)
    } else if let Some(r) = rest.strip_prefix("<=") {
        (Op::Le, r)
    } else if let Some(r) = rest.strip_prefix('>') {
        (Op::Gt, r)
    } else if let Some(r) = rest.strip_prefix('<') {
        (Op::Lt, r)
    } else if rest.is_empty() {
        return Err(err("missing operator".into()));
    } else {
        return Err(err(format!("unknown operator at `{rest}`")));
    };

    let t = after_op.trim();
    if t.is_empty() {
        return Err(err("missing threshold".into()));
    }
    let (number, percent) = match t.strip_suffix('%') {
        Some(n) => (n.trim_end(), true),
        None => (t, false),
    };
    let unsigned = number
        .strip_prefix('+')
        .or_else(|| number.strip_prefix('-'))
        .unwrap_or(number);
    let well_formed = {
        let mut parts = unsigned.splitn(2, '.');
        let int = parts.next().unwrap_or("");
        let frac = parts.next();
        !int.is_empty()
            && int.chars().all(|c| c.is_ascii_digit())
            && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
    };
    if !well_formed {
        return Err(err(format!("invalid threshold `{t}`")));
    }
    let mut threshold: f64 = number
        .parse()
        .map_err(|_| err(format!("invalid threshold `{t}`")))?;
    if percent {
        threshold /= 100.0;
    }
    Ok(Gate {
        text: s.to_string(),
        metric,
        agent,
        op,
        threshold,
    })
}

/// Which value a gate was decided on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The lower bound of the interval.
    LowerBound,
    /// The upper bound of the interval.
    UpperBound,
    /// The point value (no interval).
    Point,
    /// No data: the gate cannot fail.
    NoData,
}

impl Basis {
    /// The key used in output.
    pub fn key(self) -> &'static str {
        match self {
            Basis::LowerBound => "ci-lower",
            Basis::UpperBound => "ci-upper",
            Basis::Point => "point",
            Basis::NoData => "no-data",
        }
    }
}

/// The outcome of one gate.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The gate.
    pub gate: Gate,
    /// The value compared with the threshold.
    pub value: Option<f64>,
    /// Which value that is.
    pub basis: Basis,
    /// True when the condition holds, i.e. the gate fails the run.
    pub failed: bool,
}

/// Decides a gate from the paired difference and its interval.
pub fn decide(gate: &Gate, point: Option<f64>, ci: Option<(f64, f64)>) -> Outcome {
    let (value, basis) = match (ci, point) {
        (Some((lo, _)), Some(_)) if matches!(gate.op, Op::Gt | Op::Ge) => {
            (Some(lo), Basis::LowerBound)
        }
        (Some((_, hi)), Some(_)) => (Some(hi), Basis::UpperBound),
        (None, Some(p)) => (Some(p), Basis::Point),
        (_, None) => (None, Basis::NoData),
    };
    Outcome {
        gate: gate.clone(),
        value,
        basis,
        failed: value.is_some_and(|v| gate.op.holds(v, gate.threshold)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Gate {
        match parse(text) {
            Ok(g) => g,
            Err(e) => panic!("{e}"),
        }
    }

    fn bad(text: &str) -> String {
        match parse(text) {
            Ok(g) => panic!("parsed {g:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_each_operator_and_agent_filter() {
        let g = ok("false_positive_rate[gemini] > +0.05");
        assert_eq!(g.metric, Metric::FalsePositiveRate);
        assert_eq!(g.agent.as_deref(), Some("gemini"));
        assert_eq!(g.op, Op::Gt);
        assert_eq!(g.threshold, 0.05);

        let g = ok("survival_rate[Claude]<-0.10");
        assert_eq!(g.agent.as_deref(), Some("claude"));
        assert_eq!((g.op, g.threshold), (Op::Lt, -0.10));

        let g = ok("  recall >= 0 ");
        assert_eq!(
            (g.metric, g.agent, g.op, g.threshold),
            (Metric::Recall, None, Op::Ge, 0.0)
        );

        let g = ok("verdict_changes<=3");
        assert_eq!(
            (g.metric, g.op, g.threshold),
            (Metric::VerdictChanges, Op::Le, 3.0)
        );

        let g = ok("downgrade_rate [ codex ] > 5%");
        assert_eq!(g.agent.as_deref(), Some("codex"));
        assert!((g.threshold - 0.05).abs() < 1e-12);
    }

    #[test]
    fn rejects_malformed_expressions_saying_what_was_expected() {
        for (text, why) in [
            ("", "missing metric name"),
            ("> 0.1", "missing metric name"),
            ("fp_rate > 0.1", "unknown metric `fp_rate`"),
            ("recall", "missing operator"),
            ("recall == 0.1", "unknown operator at `== 0.1`"),
            ("recall >", "missing threshold"),
            ("recall > abc", "invalid threshold `abc`"),
            ("recall > 1.", "invalid threshold `1.`"),
            ("recall > .5", "invalid threshold `.5`"),
            ("recall > 1e3", "invalid threshold `1e3`"),
            ("recall > 0.1 0.2", "invalid threshold `0.1 0.2`"),
            ("recall[claude > 0.1", "missing `]`"),
            ("recall[] > 0.1", "invalid agent ``"),
            ("recall[a b] > 0.1", "invalid agent `a b`"),
            ("verdict_changes[claude] > 0", "measured per round"),
        ] {
            let msg = bad(text);
            assert!(msg.contains(why), "{text:?}: {msg}");
            assert!(msg.contains("expected METRIC[AGENT] OP THRESHOLD"), "{msg}");
        }
    }

    #[test]
    fn decides_on_the_bound_least_favourable_to_failing() {
        let worse = ok("false_positive_rate > 0.05");
        // Point above the threshold, but the interval reaches below it: no failure.
        let o = decide(&worse, Some(0.08), Some((0.01, 0.15)));
        assert_eq!(
            (o.basis, o.value, o.failed),
            (Basis::LowerBound, Some(0.01), false)
        );
        let o = decide(&worse, Some(0.08), Some((0.06, 0.15)));
        assert!(o.failed);

        let drop = ok("survival_rate[claude] < -0.10");
        let o = decide(&drop, Some(-0.2), Some((-0.3, -0.05)));
        assert_eq!((o.basis, o.failed), (Basis::UpperBound, false));
        let o = decide(&drop, Some(-0.2), Some((-0.3, -0.15)));
        assert!(o.failed);

        let changes = ok("verdict_changes > 0");
        assert!(decide(&changes, Some(1.0), None).failed);
        assert!(!decide(&changes, Some(0.0), None).failed);
        let o = decide(&changes, None, None);
        assert_eq!((o.basis, o.failed), (Basis::NoData, false));

        // Inclusive operators include the threshold.
        assert!(decide(&ok("recall >= 0.1"), Some(0.1), Some((0.1, 0.2))).failed);
        assert!(decide(&ok("recall <= -0.1"), Some(-0.2), Some((-0.3, -0.1))).failed);
        assert!(!decide(&ok("recall < -0.1"), Some(-0.2), Some((-0.3, -0.1))).failed);
    }
}
