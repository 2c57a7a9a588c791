//! The verdict: a ladder over the open findings, configured by the rules file
//! (`[verdict]`, [`VerdictRules`]). With the built-in rules: Rework while an open
//! critical remains, Merge with fixes while an open important remains, Merge
//! as-is otherwise.
//!
//! Deferred and fixed findings never block. The reason names every finding of the
//! deciding step, with its agents, and the open counts. A recorded verdict (the
//! consolidator's own decision) replaces the ladder's answer in
//! [`crate::consolidate::engine`]; the ladder's answer is still reported.

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
    let name = |f: &&&ConsolidatedFinding| {
        let who = if f.agents.is_empty() {
            "carried over".to_string()
        } else {
            f.agents.join(", ")
        };
        format!("{} \"{}\" ({who})", f.id, f.title)
    };
    let named = |sev: Severity| {
        open.iter()
            .filter(|f| f.severity == sev)
            .map(|f| name(&f))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Named only when the ladder gets that far (no open critical or important).
    let blocking = || -> Vec<String> {
        open.iter()
            .filter(|f| f.severity == Severity::Suggestion && is_blocking(f, rules))
            .map(|f| name(&f))
            .collect()
    };
    let reaches = |n: usize, min: u32| min > 0 && n as u64 >= u64::from(min);
    let (decision, reason) = if reaches(c, rules.rework_min_critical) {
        (
            VerdictDecision::Rework,
            format!("open critical: {}; {counts}", named(Severity::Critical)),
        )
    } else if reaches(i, rules.rework_min_important) {
        (
            VerdictDecision::Rework,
            format!(
                "{i} open important (rework from {}): {}; {counts}",
                rules.rework_min_important,
                named(Severity::Important)
            ),
        )
    } else if c > 0 {
        (
            VerdictDecision::MergeWithFixes,
            format!(
                "open critical below the rework threshold ({}): {}; {counts}",
                rules.rework_min_critical,
                named(Severity::Critical)
            ),
        )
    } else if i > 0 {
        (
            VerdictDecision::MergeWithFixes,
            format!("open important: {}; {counts}", named(Severity::Important)),
        )
    } else if let blocking = blocking()
        && !blocking.is_empty()
    {
        (
            VerdictDecision::MergeWithFixes,
            format!(
                "open suggestion tagged {}: {}; {counts}",
                rules.blocking_suggestion_tags.join("/"),
                blocking.join(", ")
            ),
        )
    } else if s > 0 && rules.suggestions_only != VerdictDecision::MergeAsIs {
        (
            rules.suggestions_only,
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

/// True when an open suggestion carries a tag that the rules say blocks.
fn is_blocking(f: &ConsolidatedFinding, rules: &VerdictRules) -> bool {
    rules.blocking_suggestion_tags.iter().any(|t| {
        f.classification
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(t))
            || f.tags.iter().any(|x| x.eq_ignore_ascii_case(t))
    })
}
