//! The code-review-tool view of a round: every consolidated finding, and every
//! dropped or moved one, as one flat [`Item`] with a rule id, a level, a message,
//! its locations and a stable fingerprint. SARIF, GitHub annotations and
//! reviewdog diagnostics are three serialisations of these items.
//!
//! Invariants:
//! - items come in report order (surviving findings, then dropped, then moved),
//!   so output built from them is byte-stable;
//! - locations are the ones the reviews cite, never invented: a finding without a
//!   location has none;
//! - [`Item::fingerprint`] depends only on the round id, the first cited file and
//!   the normalised words of the title (see [`fingerprint`]), so it survives line
//!   shifts and trivial rewording, and differs between distinct issues.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::consolidate::engine::AgentReview;
use crate::model::{Location, Severity};
use crate::report::{DecisionRecord, FindingStatus, Report, SourceRef};

/// What the raw findings of a round cite, by (agent, pass, ordinal): the reports
/// of dropped and moved findings name their sources but carry no locations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawIndex {
    by_source: BTreeMap<(String, u32, u32), RawInfo>,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct RawInfo {
    locations: Vec<Location>,
    classification: Option<String>,
    tags: Vec<String>,
    body: String,
}

impl RawIndex {
    /// Indexes the raw findings of parsed reviews ([`crate::consolidate::engine::reviews_of`]).
    pub fn of(reviews: &[AgentReview]) -> RawIndex {
        let mut by_source = BTreeMap::new();
        for r in reviews {
            for f in &r.review.findings {
                by_source
                    .entry((r.agent.clone(), r.pass, f.ordinal))
                    .or_insert_with(|| RawInfo {
                        locations: f.locations.clone(),
                        classification: f.classification.clone(),
                        tags: f.tags.clone(),
                        body: f.body.clone(),
                    });
            }
        }
        RawIndex { by_source }
    }

    fn get(&self, s: &SourceRef) -> Option<&RawInfo> {
        self.by_source.get(&(s.agent.clone(), s.pass, s.ordinal))
    }
}

/// Why an item is not a live finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dismissal {
    /// `dropped` or `moved`.
    pub kind: &'static str,
    /// The reason and its explanation, in one line.
    pub justification: String,
}

/// One finding as code-review tools see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The round id.
    pub round: String,
    /// The consolidated id (`I2`); `None` for dropped and moved findings.
    pub id: Option<String>,
    /// Calibrated severity (as raised, for dropped and moved findings).
    pub severity: Severity,
    /// Open, deferred or fixed (open for dropped and moved ones).
    pub status: FindingStatus,
    /// The kind: classification, else first tag, else `finding`; lowercase, dashed.
    pub rule_id: String,
    /// One-line title.
    pub title: String,
    /// The consolidated text (body, then the fix), possibly empty.
    pub text: String,
    /// Cited locations, sorted; empty when the reviews cite none.
    pub locations: Vec<Location>,
    /// Credited agents, sorted.
    pub agents: Vec<String>,
    /// The decision trail.
    pub decisions: Vec<DecisionRecord>,
    /// Set when the finding was dropped or moved out of the findings list.
    pub dismissal: Option<Dismissal>,
    /// Stable identity of the issue within the round, hex.
    pub fingerprint: String,
}

/// The items of one replayed round, in report order.
pub fn items(report: &Report, raw: &RawIndex) -> Vec<Item> {
    let round = report.round.id.clone();
    let mut out = Vec::new();
    for f in &report.findings {
        let mut text = f.body.trim().to_string();
        if let Some(fix) = f.fix.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str("Fix: ");
            text.push_str(fix);
        }
        out.push(Item {
            round: round.clone(),
            id: Some(f.id.clone()),
            severity: f.severity,
            status: f.status,
            rule_id: rule_id(f.classification.as_deref(), &f.tags),
            title: f.title.clone(),
            text,
            locations: f.locations.clone(),
            agents: f.agents.clone(),
            decisions: f.decisions.clone(),
            dismissal: None,
            fingerprint: String::new(),
        });
    }
    let dismissed = report
        .dropped
        .iter()
        .map(|d| {
            (
                &d.sources,
                &d.title,
                Dismissal {
                    kind: "dropped",
                    justification: join_reason(&d.reason, &d.detail),
                },
            )
        })
        .chain(report.moved.iter().map(|m| {
            (
                &m.sources,
                &m.title,
                Dismissal {
                    kind: "moved",
                    justification: join_reason(&format!("moved to {}", m.to), &m.reason),
                },
            )
        }));
    for (sources, title, dismissal) in dismissed {
        out.push(dismissed_item(&round, sources, title, dismissal, raw));
    }
    assign_fingerprints(&mut out);
    out
}

fn join_reason(reason: &str, detail: &str) -> String {
    let detail = detail.trim();
    if detail.is_empty() {
        reason.to_string()
    } else {
        format!("{reason}: {detail}")
    }
}

fn dismissed_item(
    round: &str,
    sources: &[SourceRef],
    title: &str,
    dismissal: Dismissal,
    raw: &RawIndex,
) -> Item {
    let infos: Vec<&RawInfo> = sources.iter().filter_map(|s| raw.get(s)).collect();
    let locations: BTreeSet<Location> = infos
        .iter()
        .flat_map(|i| i.locations.iter().cloned())
        .collect();
    let classification = infos.iter().find_map(|i| i.classification.as_deref());
    let tags: BTreeSet<String> = infos.iter().flat_map(|i| i.tags.iter().cloned()).collect();
    let tags: Vec<String> = tags.into_iter().collect();
    let agents: BTreeSet<String> = sources.iter().map(|s| s.agent.clone()).collect();
    Item {
        round: round.to_string(),
        id: None,
        severity: sources
            .iter()
            .map(|s| s.severity)
            .max()
            .unwrap_or(Severity::Suggestion),
        status: FindingStatus::Open,
        rule_id: rule_id(classification, &tags),
        title: title.to_string(),
        text: infos
            .first()
            .map(|i| i.body.trim().to_string())
            .unwrap_or_default(),
        locations: locations.into_iter().collect(),
        agents: agents.into_iter().collect(),
        decisions: Vec::new(),
        dismissal: Some(dismissal),
        fingerprint: String::new(),
    }
}

/// The kind of a finding as a rule id: its classification, else its first tag,
/// else `finding`; lowercase words joined by `-`.
pub fn rule_id(classification: Option<&str>, tags: &[String]) -> String {
    let raw = classification
        .or_else(|| tags.first().map(String::as_str))
        .unwrap_or("finding");
    let slug = words(raw).join("-");
    if slug.is_empty() {
        "finding".to_string()
    } else {
        slug
    }
}

/// Words too common to tell two titles apart.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "could", "does", "for", "from", "has",
    "have", "in", "into", "is", "it", "its", "line", "lines", "may", "of", "on", "or", "should",
    "that", "the", "this", "to", "was", "when", "which", "will", "with",
];

/// Lowercase alphanumeric words of `text`, in order.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The fingerprint of an issue: the first 32 hex digits of SHA-256 over
/// `round id`, the first cited path (or nothing), and the title's words —
/// lowercased, split on anything not alphanumeric, without stop words and
/// numbers, deduplicated and sorted. Line numbers, case, punctuation, word order
/// and small words do not change it; another subject or another file does.
pub fn fingerprint(round: &str, path: Option<&str>, title: &str) -> String {
    let subject: BTreeSet<String> = words(title)
        .into_iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let mut hasher = Sha256::new();
    hasher.update(round.as_bytes());
    hasher.update([0]);
    hasher.update(path.unwrap_or("").as_bytes());
    hasher.update([0]);
    for w in &subject {
        hasher.update(w.as_bytes());
        hasher.update([b' ']);
    }
    hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Fingerprints every item; two items of a round with the same fingerprint (the
/// same subject in the same file) get `:2`, `:3`, ... in report order, so that
/// results never collapse into one.
fn assign_fingerprints(items: &mut [Item]) {
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for item in items {
        let base = fingerprint(
            &item.round,
            item.locations.first().map(|l| l.path.as_str()),
            &item.title,
        );
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        item.fingerprint = if *n == 1 { base } else { format!("{base}:{n}") };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_case_punctuation_order_and_numbers() {
        let a = fingerprint(
            "r",
            Some("a.go"),
            "Backoff loop ignores context cancellation",
        );
        let b = fingerprint(
            "r",
            Some("a.go"),
            "backoff-loop: ignores the Context cancellation (line 88)",
        );
        let c = fingerprint(
            "r",
            Some("a.go"),
            "Context cancellation ignored by backoff loop",
        );
        assert_eq!(a, b);
        assert_ne!(a, c, "`ignored` is another word than `ignores`");
        let d = fingerprint(
            "r",
            Some("a.go"),
            "cancellation: the context is ignores by backoff loop",
        );
        assert_eq!(a, d);
    }

    #[test]
    fn fingerprint_differs_by_subject_file_and_round() {
        let a = fingerprint(
            "r",
            Some("a.go"),
            "Backoff loop ignores context cancellation",
        );
        assert_ne!(
            a,
            fingerprint(
                "r",
                Some("a.go"),
                "Retry budget ignores context cancellation"
            )
        );
        assert_ne!(
            a,
            fingerprint(
                "r",
                Some("b.go"),
                "Backoff loop ignores context cancellation"
            )
        );
        assert_ne!(
            a,
            fingerprint(
                "s",
                Some("a.go"),
                "Backoff loop ignores context cancellation"
            )
        );
        assert_ne!(
            a,
            fingerprint("r", None, "Backoff loop ignores context cancellation")
        );
    }

    proptest::proptest! {
        #[test]
        fn fingerprint_ignores_case_punctuation_order_and_line_numbers(
            words in proptest::collection::vec("[a-z]{3,8}", 1..6),
            line in 1u32..5000,
        ) {
            let title = words.join(" ");
            let mut reordered = words.clone();
            reordered.reverse();
            let noisy = format!("{}: (line {line}), {}!", reordered.join(", ").to_uppercase(), words[0]);
            proptest::prop_assert_eq!(
                fingerprint("r", Some("a.rs"), &title),
                fingerprint("r", Some("a.rs"), &noisy)
            );
        }
    }

    #[test]
    fn rule_id_prefers_classification_then_tag() {
        assert_eq!(rule_id(Some("Regression"), &[]), "regression");
        assert_eq!(
            rule_id(None, &["needs verification".into()]),
            "needs-verification"
        );
        assert_eq!(rule_id(None, &[]), "finding");
        assert_eq!(rule_id(Some("--"), &[]), "finding");
    }
}
