//! The JSON report, `review-replay/report/v1` (see `docs/report.md`).
//!
//! Written by [`Pretty`], a serde serializer whose output is byte for byte
//! that of `serde_json::to_string_pretty` (two-space indent; integers written
//! by itoa, as serde_json writes them, floats by serde_json itself), built for
//! speed: `check` renders the JSON of every
//! round to compare it with the golden file, and serde_json's pretty printer
//! wrote each indent and each string a byte or a piece at a time. Here an
//! indent is one copy, a struct field's comma, indent, quoted name and colon
//! one copy of a lead kept per name and depth (`KeyLead`), and a string
//! without a character to escape (almost every string of a report) is one
//! copy after a scan the compiler vectorises. The report itself is written by
//! hand, all but a few rare parts (a carried finding's origin, incomplete
//! reviews): its shape is fixed, so the text before
//! each field is a constant, and its cost does not hang on where field names
//! lie (as the cache of leads does).
//!
//! Invariant: for every value, [`to_string_pretty`] equals
//! `serde_json::to_string_pretty` (a property test holds it over arbitrary
//! JSON values, and the golden files hold it over real reports).

use serde::ser::{self, Serialize};

use crate::cassette::RoundMeta;
use crate::decimal::push_u32;
use crate::model::{CoverageStatus, Location, Severity};
use crate::report::{
    AgentRetro, AttributedObservation, AttributedText, ConsolidatedFinding, DecisionRecord,
    Dropped, FindingStatus, MergedCoverage, Moved, Report, SourceRef, Verdict,
};

/// Renders the report as pretty JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut s = String::with_capacity(16 * 1024);
    render_into(report, &mut s);
    s
}

/// [`render`] into `out`, replacing what it held: a caller rendering many
/// reports reuses one buffer, grown once to the largest.
pub fn render_into(report: &Report, out: &mut String) {
    out.clear();
    if with_pretty(out, |p| p.report(report)).is_err() {
        out.clear();
    }
    out.push('\n');
}

/// `serde_json::to_string_pretty`, faster.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = String::with_capacity(16 * 1024);
    with_pretty(&mut out, |p| value.serialize(p))?;
    Ok(out)
}

/// Runs `write` with a [`Pretty`] appending to `out` and this thread's
/// field leads.
fn with_pretty(
    out: &mut String,
    write: impl FnOnce(&mut Pretty) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut p = Pretty {
        out: std::mem::take(out),
        depth: 0,
        keys: KEY_LEADS.take(),
    };
    let result = write(&mut p);
    *out = p.out;
    KEY_LEADS.set(p.keys);
    result
}

/// `,\n`, the indent of a field at `depth` (1 for the report's own fields, 3
/// for a finding's, 5 for those of its sources, locations and decisions), the
/// quoted key and `: `, as one constant: the report's shape fixes the depth of
/// every field its writers write.
macro_rules! at {
    (1, $key:literal) => {
        concat!(",\n  \"", $key, "\": ")
    };
    (2, $key:literal) => {
        concat!(",\n    \"", $key, "\": ")
    };
    (3, $key:literal) => {
        concat!(",\n      \"", $key, "\": ")
    };
    (4, $key:literal) => {
        concat!(",\n        \"", $key, "\": ")
    };
    (5, $key:literal) => {
        concat!(",\n          \"", $key, "\": ")
    };
}

/// The lead of field `key` at `depth` ([`at!`]) and the optional string
/// `text`: `null`, or the string quoted, the lead and the `null` or the
/// opening quote in one copy. A finding has two such fields and each of its
/// sources one: as a call of its own after the lead, each cost about 30
/// instructions more (with a finding's empty tags written in one copy too,
/// 0.8 M over 200 synthetic rounds).
macro_rules! optional_at {
    ($p:expr, $depth:tt, $key:literal, $text:expr) => {
        match $text {
            Some(text) => $p.quoted_after(concat!(at!($depth, $key), "\""), text),
            None => $p.out.push_str(concat!(at!($depth, $key), "null")),
        }
    };
}

/// Whole-report writers. The report's shape is fixed, so the leads of its
/// fields are constants written in one copy each, where serde would go
/// through a field call and a lead lookup per field. A few rare parts go
/// through serde. Their output is `serde_json::to_string_pretty`'s
/// of the derived `Serialize` (a property test holds it over arbitrary
/// reports): a field added to these types must be added here too.
impl Pretty {
    fn report(&mut self, r: &Report) -> Result<(), Error> {
        self.depth = 1;
        self.quoted_after(concat!("{", "\n  \"schema\": \""), &r.schema);
        self.out.push_str(at!(1, "round"));
        self.round_meta(&r.round)?;
        self.out.push_str(at!(1, "verdict"));
        self.verdict(&r.verdict)?;
        if let Some(v) = &r.rule_verdict {
            self.out.push_str(at!(1, "rule_verdict"));
            self.verdict(v)?;
        }
        self.out.push_str(at!(1, "findings"));
        self.array(&r.findings, Pretty::finding)?;
        self.out.push_str(at!(1, "moved"));
        self.array(&r.moved, Pretty::moved)?;
        self.out.push_str(at!(1, "dropped"));
        self.array(&r.dropped, Pretty::dropped)?;
        self.out.push_str(at!(1, "agents"));
        self.array(&r.agents, Pretty::agent)?;
        self.out.push_str(at!(1, "design_observations"));
        self.array(&r.design_observations, Pretty::observation)?;
        self.out.push_str(at!(1, "testing"));
        self.array(&r.testing, Pretty::attributed_text)?;
        self.out.push_str(at!(1, "limitations"));
        self.array(&r.limitations, Pretty::attributed_text)?;
        self.out.push_str(at!(1, "coverage"));
        self.array(&r.coverage, Pretty::coverage)?;
        self.out.push_str(at!(1, "notices"));
        self.array(&r.notices, |p, n| {
            p.string(n);
            Ok(())
        })?;
        if !r.incomplete.is_empty() {
            self.out.push_str(at!(1, "incomplete"));
            r.incomplete.serialize(&mut *self)?;
        }
        self.close_object(1);
        Ok(())
    }

    /// The round's metadata, its fields at depth 2.
    fn round_meta(&mut self, m: &RoundMeta) -> Result<(), Error> {
        self.quoted_after(concat!("{", "\n    \"id\": \""), &m.id);
        if let Some(v) = &m.repo {
            self.quoted_after(concat!(at!(2, "repo"), "\""), v);
        }
        if let Some(v) = m.pr {
            self.out.push_str(at!(2, "pr"));
            self.out.push_str(itoa::Buffer::new().format(v));
        }
        if let Some(v) = &m.title {
            self.quoted_after(concat!(at!(2, "title"), "\""), v);
        }
        if let Some(v) = m.round {
            self.out.push_str(at!(2, "round"));
            self.out.push_str(itoa::Buffer::new().format(v));
        }
        if let Some(v) = &m.author {
            self.quoted_after(concat!(at!(2, "author"), "\""), v);
        }
        if let Some(v) = &m.branch {
            self.quoted_after(concat!(at!(2, "branch"), "\""), v);
        }
        if let Some(v) = &m.date {
            self.quoted_after(concat!(at!(2, "date"), "\""), v);
        }
        self.depth = 2;
        if !m.commits.is_empty() {
            self.out.push_str(at!(2, "commits"));
            self.array(&m.commits, |p, c| {
                p.quoted_after(concat!("{", "\n        \"sha\": \""), &c.sha);
                p.quoted_after(concat!(at!(4, "subject"), "\""), &c.subject);
                p.close_object(4);
                Ok(())
            })?;
        }
        if !m.reviewers.is_empty() {
            self.out.push_str(at!(2, "reviewers"));
            self.array(&m.reviewers, |p, r| {
                p.quoted_after(concat!("{", "\n        \"agent\": \""), &r.agent);
                p.quoted_after(concat!(at!(4, "model"), "\""), &r.model);
                if let Some(e) = &r.effort {
                    p.quoted_after(concat!(at!(4, "effort"), "\""), e);
                }
                p.close_object(4);
                Ok(())
            })?;
        }
        if let Some(v) = m.wall_clock_s {
            self.out.push_str(at!(2, "wall_clock_s"));
            self.number(v)?;
        }
        self.close_object(2);
        Ok(())
    }

    /// A verdict, its fields at depth 2.
    fn verdict(&mut self, v: &Verdict) -> Result<(), Error> {
        self.out.push_str(concat!("{", "\n    \"decision\": "));
        v.decision.serialize(&mut *self)?;
        self.quoted_after(concat!(at!(2, "reason"), "\""), &v.reason);
        self.out.push_str("\n  }");
        Ok(())
    }

    /// An agent's retro, its fields at depth 3 (its counts at depth 4).
    fn agent(&mut self, a: &AgentRetro) -> Result<(), Error> {
        self.quoted_after(concat!("{", "\n      \"agent\": \""), &a.agent);
        optional_at!(self, 3, "model", a.model.as_deref());
        self.out
            .push_str(concat!(at!(3, "raised"), "{", "\n        \"critical\": "));
        push_u32(&mut self.out, a.raised.critical);
        self.out.push_str(at!(4, "important"));
        push_u32(&mut self.out, a.raised.important);
        self.out.push_str(at!(4, "suggestion"));
        push_u32(&mut self.out, a.raised.suggestion);
        self.out.push_str("\n      }");
        for (lead, n) in [
            (at!(3, "design_observations"), a.design_observations),
            (at!(3, "false_positives"), a.false_positives),
            (at!(3, "unique_insights"), a.unique_insights),
            (at!(3, "files_reviewed"), a.files_reviewed),
            (at!(3, "coverage_misses"), a.coverage_misses),
            (at!(3, "downgraded"), a.downgraded),
            (at!(3, "dropped"), a.dropped),
        ] {
            self.out.push_str(lead);
            push_u32(&mut self.out, n);
        }
        self.out.push_str(at!(3, "duration_s"));
        match a.duration_s {
            Some(v) => self.number(v)?,
            None => self.out.push_str("null"),
        }
        self.out.push_str(at!(3, "tool_calls"));
        self.optional_integer(a.tool_calls);
        self.close_object(3);
        Ok(())
    }

    /// A design observation: its agent, then the observation's own fields
    /// (flattened), at depth 3.
    fn observation(&mut self, a: &AttributedObservation) -> Result<(), Error> {
        let o = &a.observation;
        self.quoted_after(concat!("{", "\n      \"agent\": \""), &a.agent);
        self.out.push_str(at!(3, "kind"));
        o.kind.serialize(&mut *self)?;
        self.out.push_str(at!(3, "scope"));
        match o.scope {
            Some(s) => s.serialize(&mut *self)?,
            None => self.out.push_str("null"),
        }
        optional_at!(self, 3, "title", o.title.as_deref());
        self.quoted_after(concat!(at!(3, "text"), "\""), &o.text);
        self.out.push_str(at!(3, "line"));
        push_u32(&mut self.out, o.line);
        self.close_object(3);
        Ok(())
    }

    /// A line of text and its agent, at depth 3.
    fn attributed_text(&mut self, t: &AttributedText) -> Result<(), Error> {
        self.quoted_after(concat!("{", "\n      \"agent\": \""), &t.agent);
        self.quoted_after(concat!(at!(3, "text"), "\""), &t.text);
        self.close_object(3);
        Ok(())
    }

    /// An array of `items`, each written by `item`.
    fn array<T>(
        &mut self,
        items: &[T],
        mut item: impl FnMut(&mut Pretty, &T) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut seq = self.open('[');
        for x in items {
            seq.next_item();
            item(seq.p, x)?;
        }
        seq.close(']');
        Ok(())
    }

    /// `text` escaped between `lead` and `tail`, the quotes their last and
    /// first bytes: the constant after a string in the same copy as its
    /// closing quote.
    ///
    /// Inlined, as [`Pretty::quoted_after`] is: every caller passes constant
    /// leads and tails, which inline become copies of a known length (a few
    /// moves), where out of line each was a call to `memcpy` of a length known
    /// only at run time (some 98,000 calls over 200 synthetic rounds; the JSON
    /// went from 22.0 M to 19.0 M instructions, its mispredicted branches from
    /// 241,000 to 191,000). No room is reserved first: the buffer is reused
    /// from report to report, grown once, and every push tests its room
    /// anyway (a reserve before each string cost 0.27 M instructions over 200
    /// synthetic rounds).
    #[inline(always)]
    fn quoted_between(&mut self, lead: &str, text: &str, tail: &str) {
        self.out.push_str(lead);
        escape_into(&mut self.out, text);
        self.out.push_str(tail);
    }

    /// `"text"` after `lead`, whose last byte is the opening quote. Inlined,
    /// so that the constant `lead` is copied as one (see
    /// [`Pretty::quoted_between`]).
    #[inline(always)]
    fn quoted_after(&mut self, lead: &str, text: &str) {
        self.out.push_str(lead);
        escape_into(&mut self.out, text);
        self.out.push('"');
    }

    /// `"text` after `lead`, whose last byte is the opening quote: the
    /// closing quote is the first byte of what the caller writes next (see
    /// [`Pretty::finding`]). Inlined, as [`Pretty::quoted_after`] is.
    #[inline(always)]
    fn open_quoted(&mut self, lead: &str, text: &str) {
        self.out.push_str(lead);
        escape_into(&mut self.out, text);
    }

    fn optional_integer(&mut self, v: Option<u32>) {
        match v {
            Some(n) => push_u32(&mut self.out, n),
            None => self.out.push_str("null"),
        }
    }

    /// The end of an object whose fields are at depth `fields`: newline,
    /// the indent of depth `fields - 1`, `}`.
    fn close_object(&mut self, fields: usize) {
        self.depth = fields - 1;
        self.newline_indent();
        self.out.push('}');
    }

    /// A finding, its fields at depth 3. A string is left open, its closing
    /// quote copied with the constant after it where one follows (the
    /// severity, the next field's lead, the next item of a list of strings):
    /// pushed on its own after the call that escaped the string, it cost a
    /// reload of the buffer and a test of room (a finding has some eight
    /// such strings).
    fn finding(&mut self, f: &ConsolidatedFinding) -> Result<(), Error> {
        self.depth = 3;
        self.open_quoted(concat!("{", "\n      \"id\": \""), &f.id);
        self.out.push_str(match f.severity {
            Severity::Critical => concat!("\"", at!(3, "severity"), "\"critical\""),
            Severity::Important => concat!("\"", at!(3, "severity"), "\"important\""),
            Severity::Suggestion => concat!("\"", at!(3, "severity"), "\"suggestion\""),
        });
        self.out.push_str(match f.status {
            FindingStatus::Open => concat!(at!(3, "status"), "\"open\""),
            FindingStatus::Deferred => concat!(at!(3, "status"), "\"deferred\""),
            FindingStatus::Fixed => concat!(at!(3, "status"), "\"fixed\""),
        });
        match f.classification.as_deref() {
            Some(c) => self.quoted_between(
                concat!(at!(3, "classification"), "\""),
                c,
                concat!("\"", at!(3, "tags")),
            ),
            None => self
                .out
                .push_str(concat!(at!(3, "classification"), "null", at!(3, "tags"))),
        }
        self.strings_at_4(&f.tags);
        self.quoted_between(
            concat!(at!(3, "title"), "\""),
            &f.title,
            concat!("\"", at!(3, "locations")),
        );
        self.objects_at_4(&f.locations, Pretty::location);
        self.out.push_str(at!(3, "agents"));
        self.strings_at_4(&f.agents);
        self.out.push_str(at!(3, "sources"));
        self.objects_at_4(&f.sources, Pretty::source);
        self.out.push_str(at!(3, "decisions"));
        self.objects_at_4(&f.decisions, Pretty::decision);
        self.open_quoted(concat!(at!(3, "body"), "\""), &f.body);
        match f.fix.as_deref() {
            Some(fix) => self.quoted_between(concat!("\"", at!(3, "fix"), "\""), fix, "\""),
            None => self.out.push_str(concat!("\"", at!(3, "fix"), "null")),
        }
        if let Some(from) = &f.carried_from {
            self.out.push_str(at!(3, "carried_from"));
            from.serialize(&mut *self)?;
        }
        self.close_object(3);
        Ok(())
    }

    fn moved(&mut self, m: &Moved) -> Result<(), Error> {
        self.depth = 3;
        self.out.push_str(concat!("{", "\n      \"sources\": "));
        self.objects_at_4(&m.sources, Pretty::source);
        self.quoted_after(concat!(at!(3, "title"), "\""), &m.title);
        self.quoted_after(concat!(at!(3, "to"), "\""), &m.to);
        self.quoted_after(concat!(at!(3, "reason"), "\""), &m.reason);
        self.close_object(3);
        Ok(())
    }

    fn dropped(&mut self, d: &Dropped) -> Result<(), Error> {
        self.depth = 3;
        self.out.push_str(concat!("{", "\n      \"sources\": "));
        self.objects_at_4(&d.sources, Pretty::source);
        self.quoted_after(concat!(at!(3, "title"), "\""), &d.title);
        self.quoted_after(concat!(at!(3, "reason"), "\""), &d.reason);
        self.quoted_after(concat!(at!(3, "detail"), "\""), &d.detail);
        self.close_object(3);
        Ok(())
    }

    /// An array of objects at depth 4 (a field's value at depth 3), each
    /// written by `item` after its lead: `item` is told whether it is the
    /// first, and writes the array's `[` or the comma, the newline and the
    /// indent before its `{` in the same copy as its first field's lead and
    /// string ([`Pretty::source`]). An empty array is `[]`; the array's end is
    /// one copy. A finding has four such arrays, some 8 items in all: through
    /// [`Pretty::array`], each item's lead and the array's opening and close
    /// were copies and calls of their own.
    fn objects_at_4<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Pretty, &T, bool)) {
        let Some((first, rest)) = items.split_first() else {
            self.out.push_str("[]");
            return;
        };
        item(self, first, true);
        for x in rest {
            item(self, x, false);
        }
        self.out.push_str("\n      ]");
    }

    /// An array of strings at depth 4 (a field's value at depth 3), each
    /// string's lead (with the array's `[` for the first) one copy with the
    /// opening quote, as [`Pretty::objects_at_4`] does for objects.
    fn strings_at_4(&mut self, items: &[String]) {
        let Some((first, rest)) = items.split_first() else {
            self.out.push_str("[]");
            return;
        };
        self.open_quoted("[\n        \"", first);
        for x in rest {
            self.open_quoted("\",\n        \"", x);
        }
        self.out.push_str("\"\n      ]");
    }

    /// A source, at depth 5 in an array at depth 4 ([`Pretty::objects_at_4`]):
    /// each constant before or after a string or a number is one copy with
    /// the text around it (the array's `[` or the comma before the object,
    /// the closing quote, the next lead, the end of the object), as in
    /// [`Pretty::location`] and [`Pretty::decision`]. A report has some 60
    /// sources, 30 locations and 90 decisions: as separate copies and a call
    /// to close each, they cost 1.0 M instructions more over 200 synthetic
    /// rounds (the JSON went from 23.5 M to 22.5 M).
    fn source(&mut self, s: &SourceRef, first: bool) {
        self.quoted_between(
            if first {
                concat!("[\n        {", "\n          \"agent\": \"")
            } else {
                concat!(",\n        {", "\n          \"agent\": \"")
            },
            &s.agent,
            concat!("\"", at!(5, "pass")),
        );
        push_u32(&mut self.out, s.pass);
        self.out.push_str(at!(5, "ordinal"));
        push_u32(&mut self.out, s.ordinal);
        match s.raised_id.as_deref() {
            Some(id) => self.quoted_between(
                concat!(at!(5, "raised_id"), "\""),
                id,
                concat!("\"", at!(5, "severity")),
            ),
            None => self
                .out
                .push_str(concat!(at!(5, "raised_id"), "null", at!(5, "severity"))),
        }
        self.out.push_str(match s.severity {
            Severity::Critical => "\"critical\"\n        }",
            Severity::Important => "\"important\"\n        }",
            Severity::Suggestion => "\"suggestion\"\n        }",
        });
    }

    /// A location, at depth 5 (see [`Pretty::source`]).
    fn location(&mut self, l: &Location, first: bool) {
        self.quoted_between(
            if first {
                concat!("[\n        {", "\n          \"path\": \"")
            } else {
                concat!(",\n        {", "\n          \"path\": \"")
            },
            &l.path,
            concat!("\"", at!(5, "start")),
        );
        self.optional_integer(l.start);
        self.out.push_str(at!(5, "end"));
        self.optional_integer(l.end);
        self.out.push_str("\n        }");
    }

    /// A file's coverage: `path`, then `by_agent`, pairs of an agent and its
    /// entry.
    fn coverage(&mut self, c: &MergedCoverage) -> Result<(), Error> {
        self.depth = 3;
        self.quoted_after(concat!("{", "\n      \"path\": \""), &c.path);
        self.out.push_str(at!(3, "by_agent"));
        self.array(&c.by_agent, |p, (agent, entry)| {
            p.quoted_after("[\n          \"", agent);
            p.quoted_after(",\n          {\n            \"path\": \"", &entry.path);
            p.out
                .push_str(",\n            \"status\": {\n              \"status\": ");
            p.coverage_status(&entry.status)?;
            p.out.push_str("\n            }\n          }\n        ]");
            p.depth = 4;
            Ok(())
        })?;
        self.close_object(3);
        Ok(())
    }

    /// A coverage status, adjacently tagged, after its `"status": ` at
    /// depth 7: the variant, then its `refs` when it has some.
    fn coverage_status(&mut self, s: &CoverageStatus) -> Result<(), Error> {
        match s {
            CoverageStatus::ReviewedNoIssues => self.out.push_str("\"reviewed-no-issues\""),
            CoverageStatus::Trivial => self.out.push_str("\"trivial\""),
            CoverageStatus::Findings(refs) => {
                self.out.push_str("\"findings\",\n              \"refs\": ");
                self.depth = 7;
                self.array(refs, |p, r| {
                    p.string(r);
                    Ok(())
                })?;
            }
            CoverageStatus::Other(text) => {
                self.quoted_after("\"other\",\n              \"refs\": \"", text);
            }
        }
        Ok(())
    }

    /// A decision record, at depth 5 (see [`Pretty::source`]).
    fn decision(&mut self, d: &DecisionRecord, first: bool) {
        self.quoted_between(
            if first {
                concat!("[\n        {", "\n          \"rule\": \"")
            } else {
                concat!(",\n        {", "\n          \"rule\": \"")
            },
            &d.rule,
            concat!("\"", at!(5, "detail"), "\""),
        );
        escape_into(&mut self.out, &d.detail);
        self.out.push_str("\"\n        }");
    }
}

/// Why a value has no JSON form (a map key that is not a string or a number,
/// or a custom error of a `Serialize` implementation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Error {
        Error(msg.to_string())
    }
}

/// `serialize_*` methods that hand their value to one method of the serializer
/// (`integer`, `number` or `quoted`).
macro_rules! forward {
    ($to:ident: $($name:ident($t:ty)),* $(,)?) => {
        $(
            fn $name(self, v: $t) -> Result<(), Error> {
                self.$to(v)
            }
        )*
    };
}

/// The pretty serializer: the text so far, the nesting depth and the leads
/// of the struct fields written so far.
pub struct Pretty {
    out: String,
    depth: usize,
    /// [`KEY_SLOTS`] leads once a struct field is written, none before.
    keys: Vec<KeyLead>,
}

thread_local! {
    /// The struct-field leads of the reports this thread rendered: the next
    /// report starts with them (a nested call takes none and keeps its own).
    static KEY_LEADS: std::cell::Cell<Vec<KeyLead>> = const { std::cell::Cell::new(Vec::new()) };
}

/// How many struct-field leads [`Pretty`] keeps (a power of two).
const KEY_SLOTS: usize = 128;

/// The text before a struct field's value, `,\n<indent>"key": `, for one
/// `&'static str` field name at one depth: field names repeat at the same
/// depths (every finding has the same ~40), so the lead is written in one copy
/// instead of a comma and indent, a quoted (scanned) key and a colon.
#[derive(Default)]
struct KeyLead {
    /// Address and length of the field name; a `&'static str` never changes,
    /// so equal address and length mean the same name.
    ptr: usize,
    len: usize,
    depth: usize,
    /// Empty while the slot is unused.
    text: String,
}

impl KeyLead {
    fn is(&self, key: &str, depth: usize) -> bool {
        self.ptr == key.as_ptr() as usize
            && self.len == key.len()
            && self.depth == depth
            && !self.text.is_empty()
    }

    fn slot(key: &str, depth: usize) -> usize {
        let h = (key.as_ptr() as usize ^ depth.wrapping_mul(0x9e37_79b9))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15_u64 as usize);
        (h >> (usize::BITS - KEY_SLOTS.trailing_zeros())) & (KEY_SLOTS - 1)
    }

    /// Makes this the lead of `key` at `depth`: comma, newline, `depth`
    /// indents, the key quoted and escaped, `": "`.
    fn set(&mut self, key: &str, depth: usize) {
        self.ptr = key.as_ptr() as usize;
        self.len = key.len();
        self.depth = depth;
        self.text.clear();
        self.text.push_str(",\n");
        for _ in 0..depth {
            self.text.push_str("  ");
        }
        self.text.push('"');
        escape_into(&mut self.text, key);
        self.text.push_str("\": ");
    }
}

/// A comma, a newline and the spaces of indents up to 31 levels deep: the start
/// of an item (without the comma for the first) is one copy.
const COMMA_NEWLINE_SPACES: &str =
    ",\n                                                              ";

impl Pretty {
    /// A newline and the indent, in one copy where the indent is not deeper
    /// than the spaces at hand (always, in practice).
    fn newline_indent(&mut self) {
        match COMMA_NEWLINE_SPACES.get(1..self.depth * 2 + 2) {
            Some(lead) => self.out.push_str(lead),
            None => {
                self.out.push('\n');
                for _ in 0..self.depth {
                    self.out.push_str("  ");
                }
            }
        }
    }

    /// An integer, in decimal (as serde_json writes it, through the same crate).
    fn integer<T: itoa::Integer>(&mut self, v: T) -> Result<(), Error> {
        self.out.push_str(itoa::Buffer::new().format(v));
        Ok(())
    }

    /// A floating-point number, as serde_json writes it.
    fn number<T: Serialize>(&mut self, v: T) -> Result<(), Error> {
        let text = serde_json::to_string(&v).map_err(|e| Error(e.to_string()))?;
        self.out.push_str(&text);
        Ok(())
    }

    fn string(&mut self, s: &str) {
        self.out.reserve(s.len() + 2);
        self.out.push('"');
        escape_into(&mut self.out, s);
        self.out.push('"');
    }

    /// Opens an array or object; an empty one closes on the same line (`[]`).
    fn open(&mut self, bracket: char) -> Compound<'_> {
        self.out.push(bracket);
        self.depth += 1;
        Compound {
            p: self,
            first: true,
        }
    }
}

/// Appends `s` with JSON escapes (serde_json's: `\"`, `\\`, the short forms of
/// backspace, form feed, newline, carriage return and tab, `\u00XX` for the
/// other control characters; everything else as it is).
///
/// The escaping loop is a cold function of its own: a report writes some 340
/// strings here, almost none with a byte to escape, and with the loop in
/// the same body each call paid about 27 instructions of entry and exit
/// around the test and the copy. With [`Compound::close`] inlined, the
/// JSON of 200 synthetic rounds went from 26.6 M to 24.3 M instructions
/// (forcing this test inline everywhere: 24.7 M).
#[inline]
fn escape_into(out: &mut String, s: &str) {
    if needs_escape(s.as_bytes()) {
        escape_slowly_into(out, s);
    } else {
        out.push_str(s);
    }
}

/// [`escape_into`] of a string that holds a byte to escape.
///
/// The bytes between escapes are passed over eight at a time, a word with
/// none to escape in one test ([`word_needs_escape`]), and only a word that
/// holds one byte by byte: a report's verdict reason quotes the title of its
/// first critical finding, some 150 bytes around two escaped quotes, and a
/// loop of a test per byte cost it 5,300 instructions.
#[cold]
#[inline(never)]
fn escape_slowly_into(out: &mut String, s: &str) {
    let needs = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            && !word_needs_escape(u64::from_le_bytes(word))
        {
            i += 8;
            continue;
        }
        if !needs(b) {
            i += 1;
            continue;
        }
        out.push_str(&s[start..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
        i += 1;
        start = i;
    }
    out.push_str(&s[start..]);
}

/// True when one of the eight bytes of `v` needs a JSON escape: a byte below
/// 0x20, or one equal to `"` or `\\` (exact, as tests of "some byte").
#[inline]
fn word_needs_escape(v: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Flipping bit 1 maps `"` (0x22) to 0x20 and the space to 0x22, and keeps
    // the bytes below 0x20 below it: one "below 0x21" test covers both.
    let flipped = v ^ (ONES * 0x02);
    let below_quote = flipped.wrapping_sub(ONES * 0x21) & !flipped;
    let backslash = v ^ (ONES * u64::from(b'\\'));
    let is_backslash = backslash.wrapping_sub(ONES) & !backslash;
    (below_quote | is_backslash) & HIGH != 0
}

/// True when a byte of `bytes` needs a JSON escape (a control character, `"`
/// or `\\`). This runs over every string of every report: 32 bytes at a time
/// as one vector test (the last few read as an overlapping block), a string
/// of 16 to 31 bytes as two overlapping blocks of sixteen, and a string
/// shorter than that by [`needs_escape_by_words`]. Blocks of 32 rather than
/// 16: one branch where there were two, for the long bodies and titles.
fn needs_escape(bytes: &[u8]) -> bool {
    let Some(last) = bytes.last_chunk::<32>() else {
        return match (bytes.first_chunk::<16>(), bytes.last_chunk::<16>()) {
            (Some(first), Some(last)) => block_needs(first) | block_needs(last),
            _ => needs_escape_by_words(bytes),
        };
    };
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        if <&[u8; 32]>::try_from(block).is_ok_and(block_needs) {
            return true;
        }
    }
    !blocks.remainder().is_empty() && block_needs(last)
}

/// True when a byte of the block `w` needs a JSON escape.
#[inline]
fn block_needs<const N: usize>(w: &[u8; N]) -> bool {
    // Bitwise, not short-circuit: the compiler makes it one vector test.
    // Flipping bit 1 maps `"` to 0x20 and keeps the control characters
    // below it, so one unsigned compare covers both (as in the word test).
    w.iter()
        .fold(false, |any, &b| any | ((b ^ 0x02) <= 0x20) | (b == b'\\'))
}

/// [`needs_escape`] eight bytes at a time as one integer, the last few read
/// as an overlapping word: for strings shorter than a block (and, over any
/// string, the reference the block test is held to).
fn needs_escape_by_words(bytes: &[u8]) -> bool {
    let test = word_needs_escape;
    // The test is of "some byte", so the last few bytes are read as the last
    // whole word (or two overlapping halves), overlapping what came before.
    if let Some(last) = bytes.last_chunk::<8>() {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(word);
            if test(u64::from_le_bytes(buf)) {
                return true;
            }
        }
        return !words.remainder().is_empty() && test(u64::from_le_bytes(*last));
    }
    if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        let halves =
            u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << 32;
        return test(halves);
    }
    bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// An array or object being written.
pub struct Compound<'a> {
    p: &'a mut Pretty,
    first: bool,
}

impl<'a> Compound<'a> {
    fn next_item(&mut self) {
        // `,`, newline and indent in one copy where the indent is not deeper
        // than the spaces at hand (always, in practice).
        let n = self.p.depth * 2;
        let from = usize::from(self.first);
        self.first = false;
        match COMMA_NEWLINE_SPACES.get(from..n + 2) {
            Some(lead) => self.p.out.push_str(lead),
            None => {
                if from == 0 {
                    self.p.out.push(',');
                }
                self.p.newline_indent();
            }
        }
    }

    /// Closes the array or object; returns the serializer. Inlined: called
    /// for every array of a report (some 120 a report), out of line it cost
    /// about 60 instructions, the bracket a `char` to encode at run time.
    #[inline]
    fn close(self, bracket: char) -> &'a mut Pretty {
        self.p.depth -= 1;
        if !self.first {
            self.p.newline_indent();
        }
        self.p.out.push(bracket);
        self.p
    }

    /// Starts the item of a struct field (or variant) named `key`: its lead
    /// in one copy, from [`KeyLead`]s (the first item drops the comma).
    fn key(&mut self, key: &'static str) {
        let from = usize::from(self.first);
        self.first = false;
        let p = &mut *self.p;
        if p.keys.is_empty() {
            p.keys.resize_with(KEY_SLOTS, KeyLead::default);
        }
        let slot = KeyLead::slot(key, p.depth);
        if let Some(lead) = p.keys.get_mut(slot) {
            if !lead.is(key, p.depth) {
                lead.set(key, p.depth);
            }
            p.out.push_str(lead.text.get(from..).unwrap_or_default());
        }
    }

    /// The item of field `key`, written as it was before [`KeyLead`]: kept as
    /// the reference the lead is tested against.
    #[cfg(test)]
    fn key_by_parts(&mut self, key: &str) {
        self.next_item();
        self.p.string(key);
        self.p.out.push_str(": ");
    }
}

impl<'a> ser::Serializer for &'a mut Pretty {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    forward!(integer:
        serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
        serialize_i128(i128), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_u128(u128),
    );
    forward!(number: serialize_f32(f32), serialize_f64(f64));
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = self.open('[');
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        seq.close(']');
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut map = self.open('{');
        map.key(variant);
        value.serialize(&mut *map.p)?;
        map.close('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open('['))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, Error> {
        Ok(self.open('['))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.open('['))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        // `{ "variant": [ ... ] }`: the outer object is opened here and closed
        // by the compound's `end`.
        self.out.push('{');
        self.depth += 1;
        self.newline_indent();
        self.string(variant);
        self.out.push_str(": ");
        Ok(self.open('['))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open('{'))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, Error> {
        Ok(self.open('{'))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.out.push('{');
        self.depth += 1;
        self.newline_indent();
        self.string(variant);
        self.out.push_str(": ");
        Ok(self.open('{'))
    }
}

/// Closes the object a tuple or struct variant opened around its value.
fn close_variant(p: &mut Pretty) {
    p.depth -= 1;
    p.newline_indent();
    p.out.push('}');
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.next_item();
        value.serialize(&mut *self.p)
    }
    fn end(self) -> Result<(), Error> {
        self.close(']');
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        close_variant(self.close(']'));
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.next_item();
        key.serialize(MapKey(&mut *self.p))?;
        self.p.out.push_str(": ");
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.p)
    }
    fn end(self) -> Result<(), Error> {
        self.close('}');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.key(key);
        value.serialize(&mut *self.p)
    }
    fn end(self) -> Result<(), Error> {
        self.close('}');
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), Error> {
        close_variant(self.close('}'));
        Ok(())
    }
}

/// A map key: JSON keys are strings, so strings, unit variants, characters,
/// booleans and numbers are written as strings, as serde_json writes them.
struct MapKey<'a>(&'a mut Pretty);

fn key_error() -> Error {
    Error("key must be a string".into())
}

impl MapKey<'_> {
    fn quoted<T: Serialize>(self, v: T) -> Result<(), Error> {
        let text = serde_json::to_string(&v).map_err(|e| Error(e.to_string()))?;
        self.0.string(&text);
        Ok(())
    }
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    forward!(quoted:
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_i128(i128), serialize_u8(u8), serialize_u16(u16),
        serialize_u32(u32), serialize_u64(u64), serialize_u128(u128), serialize_f32(f32),
        serialize_f64(f64),
    );
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.0.string(v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.0.string(v);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.0.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    /// [`needs_escape`] as it was before the overlapping reads: the last few bytes
    /// padded with spaces. Kept as the reference the faster form is tested against.
    fn needs_escape_padded(bytes: &[u8]) -> bool {
        let test = word_needs_escape;
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(word);
            if test(u64::from_le_bytes(buf)) {
                return true;
            }
        }
        let rest = words.remainder();
        if rest.is_empty() {
            return false;
        }
        let mut buf = [b' '; 8];
        for (slot, &b) in buf.iter_mut().zip(rest) {
            *slot = b;
        }
        test(u64::from_le_bytes(buf))
    }

    /// [`escape_into`] as it was before its loop moved to a cold function:
    /// one body. Kept as the reference the split form is tested against.
    fn escape_in_one_body(out: &mut String, s: &str) {
        let needs = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        if !needs_escape(s.as_bytes()) {
            out.push_str(s);
            return;
        }
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            if !needs(b) {
                continue;
            }
            out.push_str(&s[start..i]);
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                0x08 => out.push_str("\\b"),
                0x0c => out.push_str("\\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str("\\u00");
                    out.push(char::from(HEX[usize::from(b >> 4)]));
                    out.push(char::from(HEX[usize::from(b & 0xf)]));
                }
            }
            start = i + 1;
        }
        out.push_str(&s[start..]);
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| Value::Number(n.into())),
            any::<u64>().prop_map(|n| Value::Number(n.into())),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            "(\\PC|[\\x00-\\x1f\"\\\\\\x7f]){0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[a-z\"\\\\\\n]{0,4}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    #[derive(serde::Serialize)]
    enum Shapes {
        Unit,
        Newtype(u32),
        Tuple(u32, String),
        Struct { a: Option<f64>, b: Vec<u32> },
        EmptyTuple(),
        EmptyStruct {},
    }

    proptest! {
        #[test]
        fn pretty_json_is_serde_jsons(value in json_value()) {
            prop_assert_eq!(
                to_string_pretty(&value).ok(),
                serde_json::to_string_pretty(&value).ok()
            );
        }

        #[test]
        fn escapes_are_the_one_body_escapes(
            before in "[a-z]{0,3}",
            s in "(\\PC|[\\x00-\\x1f\"\\\\\\x7f]){0,80}",
        ) {
            let (mut split, mut one) = (before.clone(), before);
            escape_into(&mut split, &s);
            escape_in_one_body(&mut one, &s);
            prop_assert_eq!(split, one);
        }

        #[test]
        fn sparse_escapes_are_the_one_body_escapes(
            s in "([a-zé ]{0,20}[\"\\\\\n\\x01\\x1f]?){0,6}",
        ) {
            let (mut split, mut one) = (String::new(), String::new());
            escape_into(&mut split, &s);
            escape_in_one_body(&mut one, &s);
            prop_assert_eq!(split, one);
        }

        #[test]
        fn escapes_are_serde_jsons(s in "(\\PC|[\\x00-\\x1f\"\\\\\\x7f]){0,80}") {
            prop_assert_eq!(to_string_pretty(&s).ok(), serde_json::to_string_pretty(&s).ok());
        }
    }

    #[test]
    fn variants_maps_and_numbers_are_serde_jsons() {
        let values = vec![
            Shapes::Unit,
            Shapes::Newtype(7),
            Shapes::Tuple(1, "x".into()),
            Shapes::Struct {
                a: Some(1.5),
                b: vec![1, 2],
            },
            Shapes::Struct {
                a: Some(f64::NAN),
                b: vec![],
            },
            Shapes::EmptyTuple(),
            Shapes::EmptyStruct {},
        ];
        assert_eq!(
            to_string_pretty(&values).ok(),
            serde_json::to_string_pretty(&values).ok()
        );
        let keys: std::collections::BTreeMap<u32, Vec<(u8, char, i8)>> =
            [(3, vec![(1, 'é', -1)]), (10, vec![])]
                .into_iter()
                .collect();
        assert_eq!(
            to_string_pretty(&keys).ok(),
            serde_json::to_string_pretty(&keys).ok()
        );
        let deep = vec![vec![vec![vec![vec![vec![vec![vec![vec![vec![vec![
            vec![vec![vec![vec![vec![vec![vec![1u32]]]]]]],
        ]]]]]]]]]]];
        assert_eq!(
            to_string_pretty(&deep).ok(),
            serde_json::to_string_pretty(&deep).ok()
        );
    }

    proptest! {
        #[test]
        fn needs_escape_is_the_byte_test(bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..80),
            // Mostly bytes without escapes, so long strings that need none,
            // or need one anywhere in or across the blocks, are common.
            prop::collection::vec(prop_oneof![30 => 0x23u8..0x5b, 1 => any::<u8>()], 0..120),
        ]) {
            let by_byte = bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
            prop_assert_eq!(needs_escape(&bytes), by_byte);
            prop_assert_eq!(needs_escape_by_words(&bytes), needs_escape_padded(&bytes));
            prop_assert_eq!(needs_escape(&bytes), needs_escape_by_words(&bytes));
            prop_assert_eq!(needs_escape(&bytes), needs_escape_by_16(&bytes));
        }
    }

    /// [`needs_escape`] as it was, in blocks of sixteen bytes: the reference
    /// the blocks of 32 are held to.
    fn needs_escape_by_16(bytes: &[u8]) -> bool {
        let Some(last) = bytes.last_chunk::<16>() else {
            return needs_escape_by_words(bytes);
        };
        let mut blocks = bytes.chunks_exact(16);
        for block in &mut blocks {
            if <&[u8; 16]>::try_from(block).is_ok_and(block_needs) {
                return true;
            }
        }
        !blocks.remainder().is_empty() && block_needs(last)
    }

    /// Struct fields: names that need escapes, many names at several depths
    /// (more leads than slots, so slots are taken over).
    #[derive(Debug, serde::Serialize)]
    struct Node {
        id: u32,
        #[serde(rename = "we\"ird\\\n")]
        weird: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        maybe: Option<bool>,
        children: Vec<Node>,
        wide: Option<Wide>,
    }

    macro_rules! wide {
        ($($f:ident),*) => {
            #[derive(Debug, serde::Serialize)]
            struct Wide { $($f: u8),* }
            fn wide(n: u8) -> Wide { Wide { $($f: n),* } }
        };
    }
    wide!(
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, c0, c1, c2,
        c3, c4, c5, c6, c7, c8, c9, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, e0, e1, e2, e3, e4, e5,
        e6, e7, e8, e9
    );

    fn node() -> impl Strategy<Value = Node> {
        let leaf = (
            any::<u32>(),
            "\\PC{0,6}",
            any::<Option<bool>>(),
            any::<Option<u8>>(),
        )
            .prop_map(|(id, weird, maybe, w)| Node {
                id,
                weird,
                maybe,
                children: vec![],
                wide: w.map(wide),
            });
        leaf.prop_recursive(6, 64, 4, |inner| {
            (
                any::<u32>(),
                prop::collection::vec(inner, 0..4),
                any::<Option<u8>>(),
            )
                .prop_map(|(id, children, w)| Node {
                    id,
                    weird: String::new(),
                    maybe: None,
                    children,
                    wide: w.map(wide),
                })
        })
    }

    proptest! {
        #[test]
        fn struct_fields_are_serde_jsons(nodes in prop::collection::vec(node(), 0..4)) {
            prop_assert_eq!(
                to_string_pretty(&nodes).ok(),
                serde_json::to_string_pretty(&nodes).ok()
            );
        }

        /// The cached lead writes what the comma, indent, quoted key and colon
        /// wrote, for any sequence of keys, depths and first items.
        #[test]
        fn key_leads_are_the_parts(
            items in prop::collection::vec((0usize..6, 0usize..40, any::<bool>()), 0..200)
        ) {
            const NAMES: [&str; 6] = ["id", "a\"b", "", "tab\there", "é", "id"];
            let mut cached = Pretty { out: String::new(), depth: 0, keys: Vec::new() };
            let mut parts = Pretty { out: String::new(), depth: 0, keys: Vec::new() };
            for (name, depth, first) in items {
                let key = NAMES[name];
                cached.depth = depth;
                parts.depth = depth;
                Compound { p: &mut cached, first }.key(key);
                Compound { p: &mut parts, first }.key_by_parts(key);
            }
            prop_assert_eq!(cached.out, parts.out);
        }
    }

    proptest! {
        /// The whole-report writers write what serde_json writes of the
        /// derived `Serialize`.
        #[test]
        fn reports_are_serde_jsons(report in crate::render::testing::report()) {
            let serde = serde_json::to_string_pretty(&report).ok().map(|s| s + "\n");
            prop_assert_eq!(Some(render(&report)), serde);
        }
    }

    #[test]
    fn indents_deeper_than_the_spaces_at_hand_are_serde_jsons() {
        // 40 levels of objects and arrays with several items: indents past the
        // 31 or 32 levels that are written in one copy.
        let mut v = serde_json::json!([1, "two"]);
        for depth in 0..40 {
            v = if depth % 2 == 0 {
                serde_json::json!({ "first": depth, "inner": v, "last": null })
            } else {
                serde_json::json!([depth, v, {}])
            };
        }
        assert_eq!(
            to_string_pretty(&v).ok(),
            serde_json::to_string_pretty(&v).ok()
        );
    }
}
