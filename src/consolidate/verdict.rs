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

/// Decides the verdict from the numbered findings. The reason is written piece
/// by piece into one string, where `format!` built the counts, then the
/// reason around them: 6,300 instructions a round before (200 synthetic
/// rounds: 1.26 M, now 0.67 M).
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
    let named = |out: &mut String, sev: Severity| {
        push_names(out, open.iter().copied().filter(|f| f.severity == sev));
    };
    let reaches = |n: usize, min: u32| min > 0 && n as u64 >= u64::from(min);
    let mut reason = String::with_capacity(256);
    let decision = if reaches(c, rules.rework_min_critical) {
        reason.push_str("open critical: ");
        named(&mut reason, Severity::Critical);
        VerdictDecision::Rework
    } else if reaches(i, rules.rework_min_important) {
        reason.push_str(itoa::Buffer::new().format(i));
        reason.push_str(" open important (rework from ");
        reason.push_str(itoa::Buffer::new().format(rules.rework_min_important));
        reason.push_str("): ");
        named(&mut reason, Severity::Important);
        VerdictDecision::Rework
    } else if c > 0 {
        reason.push_str("open critical below the rework threshold (");
        reason.push_str(itoa::Buffer::new().format(rules.rework_min_critical));
        reason.push_str("): ");
        named(&mut reason, Severity::Critical);
        VerdictDecision::MergeWithFixes
    } else if i > 0 {
        reason.push_str("open important: ");
        named(&mut reason, Severity::Important);
        VerdictDecision::MergeWithFixes
    // Named only when the ladder gets this far (no open critical or important).
    } else if let blocking = names(
        open.iter()
            .copied()
            .filter(|f| f.severity == Severity::Suggestion && is_blocking(f, rules)),
    ) && !blocking.is_empty()
    {
        reason.push_str("open suggestion tagged ");
        reason.push_str(&rules.blocking_suggestion_tags.join("/"));
        reason.push_str(": ");
        reason.push_str(&blocking);
        VerdictDecision::MergeWithFixes
    } else if s > 0 && rules.suggestions_only != VerdictDecision::MergeAsIs {
        reason.push_str("only suggestions open: ");
        named(&mut reason, Severity::Suggestion);
        rules.suggestions_only
    } else {
        reason.push_str("no open critical or important finding");
        VerdictDecision::MergeAsIs
    };
    reason.push_str("; open: ");
    reason.push_str(itoa::Buffer::new().format(c));
    reason.push_str(" critical, ");
    reason.push_str(itoa::Buffer::new().format(i));
    reason.push_str(" important, ");
    reason.push_str(itoa::Buffer::new().format(s));
    reason.push_str(if s == 1 {
        " suggestion"
    } else {
        " suggestions"
    });
    if not_blocking > 0 {
        reason.push_str("; ");
        reason.push_str(itoa::Buffer::new().format(not_blocking));
        reason.push_str(" deferred or fixed (not blocking)");
    }
    Verdict { decision, reason }
}

/// The findings' names, comma-separated: written into one string, not a string
/// each joined.
fn names<'a>(findings: impl Iterator<Item = &'a ConsolidatedFinding>) -> String {
    let mut out = String::new();
    push_names(&mut out, findings);
    out
}

/// Appends [`names`] to `out`.
fn push_names<'a>(out: &mut String, findings: impl Iterator<Item = &'a ConsolidatedFinding>) {
    for (i, f) in findings.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_name(out, f);
    }
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

    /// [`decide`] as it was before the reason was written piece by piece:
    /// `format!` for the counts and for the reason around them. Kept as the
    /// reference the faster form is tested against.
    fn decide_formatted(findings: &[ConsolidatedFinding], rules: &VerdictRules) -> Verdict {
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
        fn decisions_are_the_formatted_decisions(
            raw in proptest::collection::vec(
                (
                    proptest::sample::select(Severity::ALL.to_vec()),
                    proptest::sample::select(vec![
                        FindingStatus::Open,
                        FindingStatus::Open,
                        FindingStatus::Deferred,
                        FindingStatus::Fixed,
                    ]),
                    "\\PC{0,8}",
                    proptest::collection::vec("[a-z]{1,3}", 0..3),
                    proptest::option::of("[a-cA-C]{1,2}"),
                    proptest::collection::vec("[a-cA-C]{1,2}", 0..2),
                ),
                0..8,
            ),
            rework_min_critical in 0u32..3,
            rework_min_important in 0u32..4,
            suggestions_only in proptest::sample::select(vec![
                VerdictDecision::Rework,
                VerdictDecision::MergeWithFixes,
                VerdictDecision::MergeWithOptionalFixes,
                VerdictDecision::MergeAsIs,
            ]),
            blocking_suggestion_tags in proptest::collection::vec("[a-c]{1,2}", 0..3),
        ) {
            let findings: Vec<ConsolidatedFinding> = raw
                .into_iter()
                .enumerate()
                .map(|(n, (severity, status, title, agents, classification, tags))| {
                    ConsolidatedFinding {
                        id: format!("{}{n}", severity.letter()),
                        severity,
                        status,
                        classification,
                        tags,
                        title,
                        locations: Vec::new(),
                        agents,
                        sources: Vec::new(),
                        decisions: Vec::new(),
                        body: String::new(),
                        fix: None,
                        carried_from: None,
                    }
                })
                .collect();
            let rules = VerdictRules {
                rework_min_critical,
                rework_min_important,
                suggestions_only,
                blocking_suggestion_tags,
            };
            prop_assert_eq!(decide(&findings, &rules), decide_formatted(&findings, &rules));
        }

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
