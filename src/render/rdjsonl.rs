//! Reviewdog Diagnostic Format, one JSON object a line (`rdjsonl`), so that
//! `reviewdog -f=rdjsonl` can post consolidated findings as review comments.
//!
//! Each surviving finding is one diagnostic: `message` (title, blank line, text),
//! `location.path` and `location.range` lines (no `range` when the review gave
//! no line; the round's cassette file when it cites no file), `severity` ERROR /
//! WARNING / INFO from critical / important / suggestion, `code.value` the kind,
//! `source.name` `review-replay`; further cited files are `related_locations`.
//! Dropped and moved findings are left out:
//! reviewdog has no notion of a dismissed comment.

use serde_json::{Map, Value, json};

use crate::model::{Location, Severity};
use crate::render::findings::Item;

/// The rdjsonl severity of a finding's severity.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "ERROR",
        Severity::Important => "WARNING",
        Severity::Suggestion => "INFO",
    }
}

/// An rdf `Location`: the path, and the line range when known.
fn location(loc: Option<&Location>, cassette: &str) -> Value {
    let mut location = Map::new();
    location.insert(
        "path".into(),
        json!(loc.map_or(cassette, |l| l.path.as_str())),
    );
    if let Some(start) = loc.and_then(|l| l.start) {
        let mut range = Map::new();
        range.insert("start".into(), json!({ "line": start }));
        if let Some(end) = loc.and_then(|l| l.end).filter(|&e| e >= start) {
            range.insert("end".into(), json!({ "line": end }));
        }
        location.insert("range".into(), Value::Object(range));
    }
    Value::Object(location)
}

/// Renders the surviving findings, one diagnostic a line; `cassette` is where a
/// finding without a location goes.
pub fn render(items: &[Item], cassette: &str) -> String {
    let mut out = String::new();
    for i in items.iter().filter(|i| i.dismissal.is_none()) {
        let mut message = i.title.trim().to_string();
        if !i.text.is_empty() {
            message.push_str("\n\n");
            message.push_str(&i.text);
        }
        let mut diagnostic = json!({
            "message": message,
            "location": location(i.locations.first(), cassette),
            "severity": severity(i.severity),
            "source": { "name": "review-replay" },
            "code": { "value": i.rule_id },
        });
        if i.locations.len() > 1 {
            diagnostic["related_locations"] = i.locations[1..]
                .iter()
                .map(|l| json!({ "message": "also cited here", "location": location(Some(l), cassette) }))
                .collect();
        }
        out.push_str(&serde_json::to_string(&diagnostic).unwrap_or_default());
        out.push('\n');
    }
    out
}
