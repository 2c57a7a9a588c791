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
    let named = |sev: Severity| names(open.iter().copied().filter(|f| f.severity == sev));
    // Named only when the ladder gets that far (no open critical or important).
    let blocking = || {
        names(
            open.iter()
                .copied()
                .filter(|f| f.severity == Severity::Suggestion && is_blocking(f, rules)),
        )
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
                blocking
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

/// The findings' names, comma-separated: written into one string, not a string
/// each joined.
fn names<'a>(findings: impl Iterator<Item = &'a ConsolidatedFinding>) -> String {
    let mut out = String::new();
    for (i, f) in findings.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_name(&mut out, f);
    }
    out
}

/// Appends `I2 "title" (claude, codex)`, or `(carried over)` for a finding no
/// agent raised this round.
fn push_name(out: &mut String, f: &ConsolidatedFinding) {
    out.push_str(&f.id);
    out.push_str(" \"");
    out.push_str(&f.title);
    out.push_str("\" (");
    if f.agents.is_empty() {
        out.push_str("carried over");
    }
    for (i, a) in f.agents.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(a);
    }
    out.push(')');
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A finding's name as [`decide`] wrote it with `format!`.
    fn name_formatted(f: &ConsolidatedFinding) -> String {
        let who = if f.agents.is_empty() {
            "carried over".to_string()
        } else {
            f.agents.join(", ")
        };
        format!("{} \"{}\" ({who})", f.id, f.title)
    }

    proptest! {
        #[test]
        fn names_are_the_formatted_names_joined(
            named in proptest::collection::vec(
                ("[CIS][0-9]{1,2}", "\\PC{0,12}", proptest::collection::vec("[a-z, ]{0,5}", 0..3)),
                0..4,
            ),
        ) {
            let findings: Vec<ConsolidatedFinding> = named
                .into_iter()
                .map(|(id, title, agents)| ConsolidatedFinding {
                    id,
                    severity: Severity::Important,
                    status: FindingStatus::Open,
                    classification: None,
                    tags: Vec::new(),
                    title,
                    locations: Vec::new(),
                    agents,
                    sources: Vec::new(),
                    decisions: Vec::new(),
                    body: String::new(),
                    fix: None,
                    carried_from: None,
                })
                .collect();
            let formatted: Vec<String> = findings.iter().map(name_formatted).collect();
            prop_assert_eq!(names(findings.iter()), formatted.join(", "));
        }
    }
}
