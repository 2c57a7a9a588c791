//! SARIF 2.1.0 (GitHub code scanning and other SARIF viewers), built with the
//! `serde-sarif` types. One run, one result per [`Item`]:
//!
//! - `ruleId` is the finding's kind ([`Item::rule_id`]), and `tool.driver.rules`
//!   lists every kind used, sorted;
//! - `level`: critical → `error`, important → `warning`, suggestion → `note`;
//! - `message.text` is the title, a blank line, then the consolidated text;
//! - `locations`: one physical location per cited file, with `region` lines when
//!   the review gave them; no `locations` at all for a finding that cites none;
//! - `partialFingerprints["reviewReplay/v1"]` is [`Item::fingerprint`];
//! - dropped and moved findings carry `suppressions` (kind `external`,
//!   justification the reason), so viewers list them as dismissed;
//! - `properties` holds the round, the finding id, status, credited agents and
//!   the decision trail.
//!
//! Invariant: output is a pure function of the items (sorted keys, no clock, no
//! absolute paths).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Location as SarifLocation, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, ReportingDescriptor, Result as SarifResult, ResultLevel,
    Run, Sarif, Suppression, Tool, ToolComponent,
};

use crate::model::{Location, Severity};
use crate::render::findings::Item;

/// The key of our entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "reviewReplay/v1";

/// The `$schema` written into every log.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders the items of any number of rounds as one SARIF log, pretty JSON with a
/// trailing newline.
pub fn render(items: &[Item]) -> String {
    let kinds: BTreeSet<&str> = items.iter().map(|i| i.rule_id.as_str()).collect();
    let rules: Vec<ReportingDescriptor> = kinds
        .iter()
        .map(|k| {
            ReportingDescriptor::builder()
                .id(*k)
                .name(*k)
                .short_description(
                    MultiformatMessageString::builder()
                        .text(format!("Consolidated code-review finding of kind `{k}`"))
                        .build(),
                )
                .build()
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("review-replay")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let results: Vec<SarifResult> = items.iter().map(result).collect();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical => ResultLevel::Error,
        Severity::Important => ResultLevel::Warning,
        Severity::Suggestion => ResultLevel::Note,
    }
}

fn result(item: &Item) -> SarifResult {
    let mut text = item.title.trim().to_string();
    if !item.text.is_empty() {
        text.push_str("\n\n");
        text.push_str(&item.text);
    }
    let mut props: BTreeMap<String, Value> = BTreeMap::new();
    props.insert("round".into(), json!(item.round));
    if let Some(id) = &item.id {
        props.insert("finding".into(), json!(id));
    }
    props.insert("severity".into(), json!(item.severity.as_str()));
    props.insert(
        "status".into(),
        json!(match item.status {
            crate::report::FindingStatus::Open => "open",
            crate::report::FindingStatus::Deferred => "deferred",
            crate::report::FindingStatus::Fixed => "fixed",
        }),
    );
    props.insert("agents".into(), json!(item.agents));
    props.insert(
        "decisions".into(),
        Value::Array(
            item.decisions
                .iter()
                .map(|d| json!({ "rule": d.rule, "detail": d.detail }))
                .collect(),
        ),
    );
    let bag = PropertyBag::builder()
        .tags(vec![item.severity.as_str().to_string()])
        .additional_properties(props)
        .build();
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(FINGERPRINT_KEY.to_string(), item.fingerprint.clone());
    let mut r = SarifResult::builder()
        .rule_id(item.rule_id.clone())
        .level(level(item.severity))
        .message(Message::builder().text(text).build())
        .partial_fingerprints(fingerprints)
        .properties(bag)
        .build();
    if !item.locations.is_empty() {
        r.locations = Some(item.locations.iter().map(location).collect());
    }
    if let Some(d) = &item.dismissal {
        r.suppressions = Some(vec![
            Suppression::builder()
                .kind(json!("external"))
                .status(json!("accepted"))
                .justification(d.justification.clone())
                .build(),
        ]);
    }
    r
}

fn location(loc: &Location) -> SarifLocation {
    let artifact = ArtifactLocation::builder().uri(uri(&loc.path)).build();
    let mut physical = PhysicalLocation::builder()
        .artifact_location(artifact)
        .build();
    if let Some(start) = loc.start.filter(|&s| s >= 1) {
        let mut region = Region::builder().start_line(i64::from(start)).build();
        if let Some(end) = loc.end.filter(|&e| e >= start) {
            region.end_line = Some(i64::from(end));
        }
        physical.region = Some(region);
    }
    SarifLocation::builder().physical_location(physical).build()
}

/// A repository-relative path as a URI reference: unreserved characters and `/`
/// stay, everything else is percent-encoded (so spaces, `#` and `?` stay in the
/// path).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encodes_what_is_not_a_path_character() {
        assert_eq!(uri("src/a b#c?.rs"), "src/a%20b%23c%3F.rs");
        assert_eq!(uri("docs/é.md"), "docs/%C3%A9.md");
        assert_eq!(uri("pkg/sync/mirror.go"), "pkg/sync/mirror.go");
    }
}
