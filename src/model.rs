//! The review model: what a round is, and what one agent's review says.
//!
//! These types are shared by every stage of the pipeline (cassette → parse →
//! consolidate → render → golden). They hold data only; behaviour lives in the
//! module of the stage that owns it.
//!
//! Invariants:
//! - agent keys are lowercase families (`claude`, `codex`, `gemini`), see [`agent_key`];
//! - [`Location`] paths are repository-relative with `/` separators and no checkout
//!   prefix; `start <= end` whenever both are set;
//! - [`RawFinding::ordinal`] is the 1-based position of the finding in its review.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How serious a finding is, ordered so that `Suggestion < Important < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// A nice-to-have.
    Suggestion,
    /// Should be fixed before merging.
    Important,
    /// Blocks the merge.
    Critical,
}

impl Severity {
    /// All severities, most serious first (the order of report sections).
    pub const ALL: [Severity; 3] = [
        Severity::Critical,
        Severity::Important,
        Severity::Suggestion,
    ];

    /// The lowercase name used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Important => "important",
            Severity::Suggestion => "suggestion",
        }
    }

    /// The letter used in finding ids (`C1`, `I2`, `S3`).
    pub fn letter(self) -> char {
        match self {
            Severity::Critical => 'C',
            Severity::Important => 'I',
            Severity::Suggestion => 'S',
        }
    }

    /// Reads a severity from a word as written in reviews (`Critical`, `IMPORTANT`,
    /// `suggestions`, `minor`, `High`, `P1`, ...). Returns `None` for anything else.
    ///
    /// The one mapping used everywhere a review names a severity (headings, tags,
    /// `Severity:` labels, table cells, priority ids):
    /// - `critical`, `blocker`, `blocking`, `P0` → critical;
    /// - `important`, `major`, `high`, `P1` → important;
    /// - `suggestion`, `medium`, `moderate`, `minor`, `low`, `nit`, `P2`, `P3` →
    ///   suggestion.
    ///
    /// Why `medium` is a suggestion: it is the third step of the four-step scales
    /// reviewers use (critical/high/medium/low, P0..P3), and the top two steps
    /// already map to critical and important. Important findings weigh on the
    /// verdict (they ask for changes before merge); reviewers who mean that write
    /// `high`/`P1`, and reading `medium` as important would inflate the blocking
    /// count with what the same scale calls "normal, fix eventually" (P2).
    pub fn from_word(word: &str) -> Option<Severity> {
        // Read byte by byte, without copies: the parsers ask it of tag and label
        // words, and most words are no severity. A word that opens and ends
        // with an ASCII letter (`Critical`, `Issues`, most words asked) has
        // nothing to trim and is no priority id (whose last byte is a digit):
        // its letters are read at once, without the two trims' four scans.
        let b = word.as_bytes();
        if let (Some(f), Some(l)) = (b.first(), b.last()) {
            if f.is_ascii_alphabetic() && l.is_ascii_alphabetic() {
                return severity_of_letters(b);
            }
        }
        // Trimming the bytes that are not ASCII letters or digits trims whole
        // characters (a non-ASCII character is bytes of 0x80 and above, none
        // of them a letter or digit), so it is what trimming those characters
        // and the white space around them gives.
        let alnum = trim_bytes(b, u8::is_ascii_alphanumeric);
        // `p0`..`p3` in any case: two ASCII bytes.
        if let [p, n] = alnum {
            if p.eq_ignore_ascii_case(&b'p') {
                match n {
                    b'0' => return Some(Severity::Critical),
                    b'1' => return Some(Severity::Important),
                    b'2' | b'3' => return Some(Severity::Suggestion),
                    _ => {}
                }
            }
        }
        severity_of_letters(trim_bytes(alnum, u8::is_ascii_alphabetic))
    }

    /// Reads the severity letter of an id such as `C1` / `I2` / `S3`.
    pub fn from_letter(c: char) -> Option<Severity> {
        match c.to_ascii_uppercase() {
            'C' => Some(Severity::Critical),
            'I' => Some(Severity::Important),
            'S' => Some(Severity::Suggestion),
            _ => None,
        }
    }
}

/// `b` without the bytes that fail `keep` at either end.
/// The severity a word of bytes names, read case-insensitively as one
/// number: the word, at most 16 bytes, packed little-endian into a `u128`
/// with `0x20` set in each of its bytes, compared with the severity words
/// packed the same way (zero bytes after the word keep lengths apart).
/// Setting `0x20` lowercases an ASCII letter and turns no other byte into a
/// letter (the bytes `0x40` and `0x5B`..`0x5F` become `` ` `` and `{`..`DEL`),
/// and every severity word is lowercase letters: so this is the comparison of
/// the ASCII-lowercased word with each of them, without a lowercased copy or
/// a slice comparison per candidate. With the letter-ended fast path in
/// `from_word`: 693 → 451 K instructions for the 5,400 heading words of 200
/// synthetic rounds (the byte-slice form is kept in the tests as the
/// reference).
fn severity_of_letters(w: &[u8]) -> Option<Severity> {
    const fn pack(w: &[u8]) -> u128 {
        let mut n = 0u128;
        let mut i = 0;
        while i < w.len() {
            n |= (w[i] as u128) << (8 * i);
            i += 1;
        }
        n
    }
    let mut bytes = [0u8; 16];
    bytes.get_mut(..w.len())?.copy_from_slice(w);
    let lower = u128::from_le_bytes(bytes)
        | pack(&[0x20; 16])
            .checked_shr(8 * (16 - w.len() as u32))
            .unwrap_or(0);
    const CRITICAL: u128 = pack(b"critical");
    const BLOCKER: u128 = pack(b"blocker");
    const BLOCKING: u128 = pack(b"blocking");
    const IMPORTANT: u128 = pack(b"important");
    const MAJOR: u128 = pack(b"major");
    const HIGH: u128 = pack(b"high");
    const SUGGESTION: u128 = pack(b"suggestion");
    const SUGGESTIONS: u128 = pack(b"suggestions");
    const MINOR: u128 = pack(b"minor");
    const NIT: u128 = pack(b"nit");
    const LOW: u128 = pack(b"low");
    const MEDIUM: u128 = pack(b"medium");
    const MODERATE: u128 = pack(b"moderate");
    match lower {
        CRITICAL | BLOCKER | BLOCKING => Some(Severity::Critical),
        IMPORTANT | MAJOR | HIGH => Some(Severity::Important),
        SUGGESTION | SUGGESTIONS | MINOR | NIT | LOW | MEDIUM | MODERATE => {
            Some(Severity::Suggestion)
        }
        _ => None,
    }
}

fn trim_bytes(b: &[u8], keep: impl Fn(&u8) -> bool) -> &[u8] {
    let start = b.iter().position(&keep).unwrap_or(b.len());
    let end = b.iter().rposition(&keep).map_or(start, |i| i + 1);
    &b[start..end]
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Returns the agent key (lowercase family) for a model or heading name:
/// `Claude Opus 4.6` → `claude`, `[Codex GPT 5.4]` → `codex`, `GPT-5` → `codex`.
/// Unknown names give their first word, lowercased.
pub fn agent_key(name: &str) -> String {
    if let Some(family) = known_family(name) {
        return family.to_string();
    }
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_')
        .find(|w| !w.is_empty())
        .unwrap_or("unknown")
        .to_string()
}

/// The agent family a name names, if any (`Codex GPT 5.4` → `codex`).
pub fn known_family(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    [
        ("claude", "claude"),
        ("opus", "claude"),
        ("sonnet", "claude"),
        ("codex", "codex"),
        ("gpt", "codex"),
        ("gemini", "gemini"),
    ]
    .into_iter()
    .find(|(needle, _)| lower.contains(needle))
    .map(|(_, key)| key)
}

/// A place in the repository a finding points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Repository-relative path with `/` separators.
    pub path: String,
    /// First line, 1-based, when known.
    pub start: Option<u32>,
    /// Last line (inclusive), when known; equals `start` for a single line.
    pub end: Option<u32>,
}

impl Location {
    /// Writes `path`, `path:12` or `path:12-20` (a range only when it spans
    /// lines) to `out`, without the formatting machinery: the `Display` form,
    /// and what the markdown report writes for every location of every finding.
    pub fn write_to(&self, out: &mut impl fmt::Write) -> fmt::Result {
        out.write_str(&self.path)?;
        if let Some(start) = self.start {
            out.write_char(':')?;
            out.write_str(itoa::Buffer::new().format(start))?;
            if let Some(end) = self.end.filter(|&e| e != start) {
                out.write_char('-')?;
                out.write_str(itoa::Buffer::new().format(end))?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

/// One finding as one agent raised it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawFinding {
    /// 1-based position of the finding in the agent's review.
    pub ordinal: u32,
    /// The agent's own id (`C1`, `I2`, `S3`), when it wrote one.
    pub raised_id: Option<String>,
    /// Severity as the agent raised it.
    pub severity: Severity,
    /// `regression`, `gap` or `enhancement` when the agent tagged one.
    pub classification: Option<String>,
    /// Any other tag text, verbatim (`pre-existing`, `needs verification`, ...).
    pub tags: Vec<String>,
    /// The title, with markdown emphasis removed.
    pub title: String,
    /// Every location the finding cites, in order of appearance, without repeats.
    pub locations: Vec<Location>,
    /// The finding's prose, without the fix paragraph and code blocks.
    pub body: String,
    /// The suggested fix, when the agent wrote one.
    pub fix: Option<String>,
    /// Contents of the fenced code blocks of the finding.
    pub code_blocks: Vec<String>,
    /// 1-based line of the finding's first line in the response text.
    pub line: u32,
}

/// Whether a design concern is for this change or for later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Should be handled in this change.
    InScope,
    /// Worth doing later.
    Future,
}

/// The kind of a design observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObservationKind {
    /// Something that could be better.
    Concern,
    /// Something done well.
    Strength,
}

/// One design observation (concern or strength).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignObservation {
    /// Concern or strength.
    pub kind: ObservationKind,
    /// In-scope or future, when stated.
    pub scope: Option<Scope>,
    /// Bold lead-in, when the item has one.
    pub title: Option<String>,
    /// The observation's text.
    pub text: String,
    /// 1-based line in the response text.
    pub line: u32,
}

/// What an agent says it did with one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status", content = "refs")]
pub enum CoverageStatus {
    /// Read, nothing to report.
    ReviewedNoIssues,
    /// Too small or mechanical to review in depth.
    Trivial,
    /// Read, and these findings (ids as the agent wrote them) are about it.
    Findings(Vec<String>),
    /// Anything else, verbatim.
    Other(String),
}

/// One row of an agent's coverage summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageEntry {
    /// Repository-relative path.
    pub path: String,
    /// What the agent did with it.
    pub status: CoverageStatus,
}

/// Everything understood from one agent's review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedReview {
    /// The executive summary, when present.
    pub summary: Option<String>,
    /// Findings in order of appearance.
    pub findings: Vec<RawFinding>,
    /// True when the review states it has no findings (`None.` under every
    /// findings section, or "no issues found"), as opposed to saying nothing.
    pub explicit_no_findings: bool,
    /// Design concerns and strengths.
    pub design_observations: Vec<DesignObservation>,
    /// Testing assessment items.
    pub testing: Vec<String>,
    /// Documentation assessment items.
    pub documentation: Vec<String>,
    /// Acknowledged limitations.
    pub limitations: Vec<String>,
    /// The coverage summary.
    pub coverage: Vec<CoverageEntry>,
    /// The agent's own verdict line, when it wrote one.
    pub verdict: Option<String>,
}

/// The decision of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictDecision {
    /// An open critical remains.
    Rework,
    /// An open important remains.
    MergeWithFixes,
    /// Only suggestions remain (when the rules ask for this distinction).
    MergeWithOptionalFixes,
    /// Nothing open.
    MergeAsIs,
}

impl VerdictDecision {
    /// The words used in reports (`Merge with fixes`).
    pub fn label(self) -> &'static str {
        match self {
            VerdictDecision::Rework => "Rework",
            VerdictDecision::MergeWithFixes => "Merge with fixes",
            VerdictDecision::MergeWithOptionalFixes => "Merge with optional fixes",
            VerdictDecision::MergeAsIs => "Merge as-is",
        }
    }

    /// The kebab-case key used in JSON (`merge-with-fixes`).
    pub fn key(self) -> &'static str {
        match self {
            VerdictDecision::Rework => "rework",
            VerdictDecision::MergeWithFixes => "merge-with-fixes",
            VerdictDecision::MergeWithOptionalFixes => "merge-with-optional-fixes",
            VerdictDecision::MergeAsIs => "merge-as-is",
        }
    }

    /// Reads a verdict from a key (`merge-with-fixes`), a label (`Merge as-is`) or
    /// report text (`**Merge with fixes** — ...`, `Approve with required changes`).
    pub fn from_text(text: &str) -> Option<VerdictDecision> {
        let trimmed = text.trim();
        for d in [
            VerdictDecision::Rework,
            VerdictDecision::MergeWithFixes,
            VerdictDecision::MergeWithOptionalFixes,
            VerdictDecision::MergeAsIs,
        ] {
            if trimmed.eq_ignore_ascii_case(d.key()) || trimmed.eq_ignore_ascii_case(d.label()) {
                return Some(d);
            }
        }
        let t = trimmed.to_ascii_lowercase();
        if [
            "rework",
            "do not merge",
            "don't merge",
            "request changes",
            "changes requested",
            "needs work",
            "reject",
        ]
        .iter()
        .any(|w| t.contains(w))
        {
            Some(VerdictDecision::Rework)
        } else if t.contains("optional fix") {
            Some(VerdictDecision::MergeWithOptionalFixes)
        } else if t.contains("with fixes")
            || t.contains("after fixes")
            || t.contains("with minor fixes")
            || t.contains("required changes")
            || t.contains("changes required")
            || t.contains("needs changes")
            || t.contains("with changes")
        {
            Some(VerdictDecision::MergeWithFixes)
        } else if t.contains("as-is")
            || t.contains("as is")
            || t.contains("approve")
            || t.contains("lgtm")
        {
            Some(VerdictDecision::MergeAsIs)
        } else {
            None
        }
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticLevel {
    /// Understood, but worth knowing (e.g. a tag that disagrees with its section).
    Note,
    /// Part of the input was not understood and was skipped.
    Warning,
    /// The input is unusable.
    Error,
}

/// Something a parser noticed, with where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// 1-based line in the parsed text.
    pub line: u32,
    /// How bad it is.
    pub level: DiagnosticLevel,
    /// A lowercase sentence fragment.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            DiagnosticLevel::Note => "note",
            DiagnosticLevel::Warning => "warning",
            DiagnosticLevel::Error => "error",
        };
        write!(f, "line {}: {level}: {}", self.line, self.message)
    }
}

/// A parsed review together with what the parser could not understand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseOutput {
    /// What was understood.
    pub review: ParsedReview,
    /// What was not, or was surprising.
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the text is not a whole review (empty, a pointer to elsewhere, a
    /// summary without its findings, cut off): its findings cannot be trusted to
    /// be all the agent raised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<Incomplete>,
}

/// Why a recorded review is not a whole review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IncompleteKind {
    /// Nothing, or only white space.
    Empty,
    /// A few lines and a pointer to where the full review was (a temporary file).
    Pointer,
    /// A summary that mentions findings the text does not hold.
    SummaryOnly,
    /// Cut off: ends inside a finding or a code block, or says it was truncated.
    Truncated,
    /// The agent failed (exit status, timeout, no output) when it was recorded.
    Failed,
}

impl IncompleteKind {
    /// The kebab-case name used in files and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            IncompleteKind::Empty => "empty",
            IncompleteKind::Pointer => "pointer",
            IncompleteKind::SummaryOnly => "summary-only",
            IncompleteKind::Truncated => "truncated",
            IncompleteKind::Failed => "failed",
        }
    }
}

/// A recorded review that is not whole, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incomplete {
    /// What kind of incomplete.
    pub kind: IncompleteKind,
    /// A lowercase sentence saying what was seen.
    pub reason: String,
    /// The line (of the response, 1-based) where it shows, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl fmt::Display for Incomplete {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.reason)?;
        if let Some(l) = self.line {
            write!(f, " (line {l})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod verdict_text_tests {
    use super::VerdictDecision as V;

    #[test]
    fn verdicts_as_reports_and_agents_write_them() {
        for (text, want) in [
            ("merge-with-fixes", Some(V::MergeWithFixes)),
            ("Merge as-is", Some(V::MergeAsIs)),
            ("**Rework** — C1 blocks", Some(V::Rework)),
            (
                "Changes requested: the lock is never released",
                Some(V::Rework),
            ),
            ("Needs work", Some(V::Rework)),
            ("Approve with required changes", Some(V::MergeWithFixes)),
            ("Approve", Some(V::MergeAsIs)),
            ("LGTM", Some(V::MergeAsIs)),
            ("ship it?", None),
        ] {
            assert_eq!(V::from_text(text), want, "{text}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `Display` of a location as it was written before `write_to`.
    fn location_by_format(l: &Location) -> String {
        match (l.start, l.end) {
            (Some(s), Some(e)) if e != s => format!("{}:{s}-{e}", l.path),
            (Some(s), _) => format!("{}:{s}", l.path),
            _ => l.path.clone(),
        }
    }

    proptest::proptest! {
        #[test]
        fn location_display_is_the_format_form(
            path in "[a-z/._]{0,12}",
            start in proptest::option::of(0u32..5000),
            end in proptest::option::of(0u32..5000),
        ) {
            let l = Location { path, start, end };
            let mut out = String::from("x");
            let _ = l.write_to(&mut out);
            proptest::prop_assert_eq!(&out[1..], location_by_format(&l));
            proptest::prop_assert_eq!(l.to_string(), location_by_format(&l));
        }
    }

    /// `Severity::from_word` as it was, through lowercased copies: the reference
    /// the copy-free form is held to.
    fn from_word_lowercased(word: &str) -> Option<Severity> {
        let alnum = word
            .trim()
            .trim_matches(|c: char| !c.is_ascii_alphanumeric());
        match alnum.to_ascii_lowercase().as_str() {
            "p0" => return Some(Severity::Critical),
            "p1" => return Some(Severity::Important),
            "p2" | "p3" => return Some(Severity::Suggestion),
            _ => {}
        }
        let w = word.trim().trim_matches(|c: char| !c.is_ascii_alphabetic());
        match w.to_ascii_lowercase().as_str() {
            "critical" | "blocker" | "blocking" => Some(Severity::Critical),
            "important" | "major" | "high" => Some(Severity::Important),
            "suggestion" | "suggestions" | "minor" | "nit" | "low" | "medium" | "moderate" => {
                Some(Severity::Suggestion)
            }
            _ => None,
        }
    }

    /// `Severity::from_word` as it was before it read bytes: trimmed as
    /// characters, the words searched in a list. The reference the byte form
    /// is held to.
    fn from_word_by_list(word: &str) -> Option<Severity> {
        const SEVERITY_WORDS: [(&[&str], Severity); 3] = [
            (&["critical", "blocker", "blocking"], Severity::Critical),
            (&["important", "major", "high"], Severity::Important),
            (
                &[
                    "suggestion",
                    "suggestions",
                    "minor",
                    "nit",
                    "low",
                    "medium",
                    "moderate",
                ],
                Severity::Suggestion,
            ),
        ];
        let t = word.trim();
        let alnum = t.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if let [p, n] = alnum.as_bytes() {
            if p.eq_ignore_ascii_case(&b'p') {
                match n {
                    b'0' => return Some(Severity::Critical),
                    b'1' => return Some(Severity::Important),
                    b'2' | b'3' => return Some(Severity::Suggestion),
                    _ => {}
                }
            }
        }
        let w = t.trim_matches(|c: char| !c.is_ascii_alphabetic());
        SEVERITY_WORDS
            .iter()
            .find(|(words, _)| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
            .map(|&(_, sev)| sev)
    }

    /// `Severity::from_word` as it was before its letters were read as one
    /// number: both trims always run, and the lowercased letters are matched
    /// as byte slices. The reference the packed form is held to.
    fn from_word_by_slices(word: &str) -> Option<Severity> {
        let alnum = trim_bytes(word.as_bytes(), u8::is_ascii_alphanumeric);
        if let [p, n] = alnum {
            if p.eq_ignore_ascii_case(&b'p') {
                match n {
                    b'0' => return Some(Severity::Critical),
                    b'1' => return Some(Severity::Important),
                    b'2' | b'3' => return Some(Severity::Suggestion),
                    _ => {}
                }
            }
        }
        let w = trim_bytes(alnum, u8::is_ascii_alphabetic);
        let mut lower = [0u8; 11];
        let lower = lower.get_mut(..w.len())?;
        for (l, b) in lower.iter_mut().zip(w) {
            *l = b.to_ascii_lowercase();
        }
        match &*lower {
            b"critical" | b"blocker" | b"blocking" => Some(Severity::Critical),
            b"important" | b"major" | b"high" => Some(Severity::Important),
            b"suggestion" | b"suggestions" | b"minor" | b"nit" | b"low" | b"medium"
            | b"moderate" => Some(Severity::Suggestion),
            _ => None,
        }
    }

    proptest::proptest! {
        /// The packed reader reads every word as the byte-slice form did:
        /// severity words in any case, with letters, digits, marks and
        /// bytes one `0x20` away from a letter (`@`, `[`, `{`, DEL, NUL)
        /// around and inside them, up to and past 16 bytes.
        #[test]
        fn from_word_agrees_with_the_slice_form(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "critical", "CRITICAL", "Blocker", "blocking", "important", "MAJOR", "high",
                    "suggestion", "Suggestions", "minor", "nit", "LOW", "medium", "moderate", "p", "P",
                    "0", "1", "2", "3", " ", "-", "*", ":", "x", "é", "@", "[", "{", "\u{7f}",
                    "\u{0}", "_", "K", "hIg", "mOdErAtEs", "nitt",
                ]),
                0..4,
            )
        ) {
            let word = parts.concat();
            proptest::prop_assert_eq!(Severity::from_word(&word), from_word_by_slices(&word), "{:?}", word);
        }

        /// Any text, and any short run of ASCII bytes.
        #[test]
        fn from_word_agrees_with_the_slice_form_on_any_text(
            word in "\\PC{0,18}",
            ascii in "[\\x00-\\x7f]{0,17}",
        ) {
            proptest::prop_assert_eq!(Severity::from_word(&word), from_word_by_slices(&word), "{:?}", word);
            proptest::prop_assert_eq!(Severity::from_word(&ascii), from_word_by_slices(&ascii), "{:?}", ascii);
        }
    }

    #[test]
    fn from_word_packed_reads_each_word_and_no_neighbour() {
        for w in [
            "critical",
            "CRITICAL",
            "Blocker",
            "blocking",
            "important",
            "major",
            "HIGH",
            "suggestion",
            "suggestions",
            "minor",
            "nit",
            "low",
            "Medium",
            "moderate",
            "",
            "a",
            "hig",
            "highs",
            "nits",
            "lo",
            "lOw",
            "l@w",
            "[ow",
            "suggestionss",
            "criticalcriticalx",
            "Critical!",
            "**Low**",
            "P1",
            "p4",
            "n\u{0}t",
            "ni",
        ] {
            assert_eq!(Severity::from_word(w), from_word_by_slices(w), "{w:?}");
        }
        assert_eq!(Severity::from_word("l@w"), None);
        assert_eq!(Severity::from_word("LoW"), Some(Severity::Suggestion));
    }

    proptest::proptest! {
        /// The byte reader reads every word as the list form did.
        #[test]
        fn from_word_agrees_with_the_list_form(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "critical", "CRITICAL", "Blocker", "blocking", "important", "MAJOR", "high",
                    "suggestion", "Suggestions", "minor", "nit", "LOW", "medium", "moderate", "p", "P",
                    "0", "1", "2", "3", "4", "9", " ", "-", "*", "(", ")", ":", "x", "é", "\u{a0}",
                    "hig", "criticals", "\u{3000}", "\t", "_", "K",
                ]),
                0..5,
            )
        ) {
            let word = parts.concat();
            proptest::prop_assert_eq!(Severity::from_word(&word), from_word_by_list(&word), "{}", word);
        }

        /// Any text, not only words made of those parts.
        #[test]
        fn from_word_agrees_with_the_list_form_on_any_text(word in "\\PC{0,14}") {
            proptest::prop_assert_eq!(Severity::from_word(&word), from_word_by_list(&word), "{}", word);
        }
    }

    proptest::proptest! {
        /// The copy-free severity reader reads every word as the lowercasing one did.
        #[test]
        fn from_word_agrees_with_the_lowercasing_reader(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "critical", "CRITICAL", "Blocker", "blocking", "important", "MAJOR", "high",
                    "suggestion", "Suggestions", "minor", "nit", "LOW", "medium", "moderate", "p", "P",
                    "0", "1", "2", "3", "4", "9", " ", "-", "*", "(", ")", ":", "x", "é", "\u{a0}",
                    "hig", "criticals",
                ]),
                0..5,
            )
        ) {
            let word = parts.concat();
            proptest::prop_assert_eq!(Severity::from_word(&word), from_word_lowercased(&word), "{}", word);
        }
    }

    #[test]
    fn from_word_reads_every_word() {
        for w in [
            "critical",
            "Blocker",
            "blocking",
            "important",
            "Major",
            "high",
            "suggestion",
            "suggestions",
            "minor",
            "nit",
            "low",
            "medium",
            "moderate",
            "P0",
            "p1",
            "P2",
            "p3",
            "**High**",
            "(low)",
            "none",
            "p4",
        ] {
            assert_eq!(Severity::from_word(w), from_word_lowercased(w), "{w}");
        }
    }
}
