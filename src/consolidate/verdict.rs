//! The verdict: Rework while an open critical remains, Merge with fixes while an
//! open important remains, Merge as-is otherwise (or Merge with optional fixes when
//! the rules ask for it and suggestions remain).
//!
//! Deferred and fixed findings never block. The reason names every finding of the
//! deciding severity, with its agents, and the open counts.

use crate::consolidate::rules::VerdictRules;
use crate::model::Severity;
use crate::report::{ConsolidatedFinding, FindingStatus, Verdict, VerdictDecision};

/// Decides the verdict from the numbered findings.
pub fn decide(findings: &[ConsolidatedFinding], rules: &VerdictRules) -> Verdict {
    let open: Vec<&ConsolidatedFinding> = findings
        .iter()
        .filter(|f| f.status == FindingStatus::Open)
        .collect();
    let count = |s: Severity| open.iter().filter(|f| f.severity == s).count();
    let (c, i, s) = (
        count(Severity::Critical),
        count(Severity::Important),
        count(Severity::Suggestion),
    );
    let not_blocking = findings.len() - open.len();
    let mut counts = format!(
        "open: {c} critical, {i} important, {s} suggestion{}",
        if s == 1 { "" } else { "s" }
    );
    if not_blocking > 0 {
        counts.push_str(&format!(
            "; {not_blocking} deferred or fixed (not blocking)"
        ));
    }
    let named = |sev: Severity| {
        open.iter()
            .filter(|f| f.severity == sev)
            .map(|f| format!("{} \"{}\" ({})", f.id, f.title, f.agents.join(", ")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (decision, reason) = if c > 0 {
        (
            VerdictDecision::Rework,
            format!("open critical: {}; {counts}", named(Severity::Critical)),
        )
    } else if i > 0 {
        (
            VerdictDecision::MergeWithFixes,
            format!("open important: {}; {counts}", named(Severity::Important)),
        )
    } else if s > 0 && rules.optional_fixes_verdict {
        (
            VerdictDecision::MergeWithOptionalFixes,
            format!(
                "only suggestions open: {}; {counts}",
                named(Severity::Suggestion)
            ),
        )
    } else {
        (
            VerdictDecision::MergeAsIs,
            format!("no open critical or important finding; {counts}"),
        )
    };
    Verdict { decision, reason }
}
