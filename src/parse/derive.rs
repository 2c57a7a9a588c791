//! Recorded decisions from history: derives the consolidator's adjudications of an
//! imported report from its `reference`.
//!
//! Every raw finding (each reviewer interaction's findings, as
//! [`parse_review`] reads them) is mapped to what the historical consolidation did
//! with it, in this order of evidence:
//!
//! 1. **Reconciliation lines** (`Gemini C1 (...): critical → important I1`,
//!    `Codex P1 "title": rejected as a false positive`, `Claude I4: important →
//!    demoted to Design Observation`): the strongest evidence. The agent and the raw
//!    id (or, for `P1` = pass 1, the hint text and the source severity) name the raw
//!    finding; the target names a reference finding, a severity, a false positive or
//!    a move.
//! 2. **Matching**: a raw finding of agent A can only feed a reference finding that
//!    credits A. Pairs are scored by `pair_score` (locations, title words, the
//!    reference title's words and identifiers found in the raw finding) and
//!    assigned greedily, best first, one-to-one per agent pass; a raw finding left
//!    over may still join a reference finding already taken (an agent that split
//!    one issue in two) when it scores at least [`SURE`].
//! 3. **Dropped**: a raw finding that matches nothing and no reconciliation line
//!    did not survive under its agent's name: when the reference credits nobody
//!    else at its location, the consolidator dropped it (what the retro tables call
//!    "Dropped"). It becomes `false-positive`, always `unsure`; a raw finding tagged
//!    `pre-existing` becomes `pre-existing` instead. When another agent *is*
//!    credited at that location the consolidator either dropped it or merged it
//!    without credit; the same decision is derived (the reference shows no trace
//!    of it either way, and on the corpus dropping it reproduces the reference
//!    better than keeping it), and the reason names that reference finding.
//!
//! Confidence: a mapping is `sure` when it comes from a reconciliation line naming
//! the raw id, or when its match score is at least [`SURE`]; every other mapping,
//! and every derived drop, is `unsure`.
//!
//! Output: the raw findings that fed one reference finding make **one**
//! adjudication (`about` names them all): `set-severity` to the reference
//! severity, even when every member raised it. Not `confirm`: in the engine a
//! `set-severity` on one member of a cluster overrides a `confirm` on another
//! even when it is lower, while two `set-severity` settle by "highest wins"; with
//! `set-severity` everywhere, a cluster that merges raw findings of two reference
//! findings always gets the higher of their severities. Its reason gives each member's
//! evidence (`reference I1: claude #1 (matched: ...); codex C1 (reconciliation:
//! ...)`), and it is `unsure` when any member's mapping is. Removals (false
//! positive, moves) get one adjudication per raw finding.
//!
//! Invariants: pure (no I/O); the output depends only on the cassette's content:
//! adjudications come out in the (agent, pass, ordinal) order of their first raw
//! finding; ties in matching are broken by ordinal, then reference order.

use std::collections::{BTreeMap, BTreeSet};

use crate::cassette::{
    Adjudication, Cassette, Confidence, Decision, ItemSection, RawRef, ReferenceFinding,
};
use crate::consolidate::similarity::{self, Features};
use crate::eval::matching::{location_similarity, title_similarity};
use crate::model::{
    Diagnostic, DiagnosticLevel, ParsedReview, RawFinding, Severity, VerdictDecision,
};
use crate::parse::location::extract_locations;
use crate::parse::promote;
use crate::parse::review::parse_review;

/// Lowest match score at which a raw finding is mapped to a reference finding.
pub const MIN_SCORE: f64 = 0.3;

/// Match score from which a mapping is `sure` (below it, down to [`MIN_SCORE`], it
/// is recorded as `unsure`).
pub const SURE: f64 = 0.55;

/// Line distance under which two ranges of one file still count as near (the same
/// slack as the evaluation matcher).
const LINE_SLACK: u32 = 15;

/// Location similarity from which another agent's reference finding counts as
/// being "at the same location" as an unmatched raw finding.
const SAME_PLACE: f64 = 0.75;

/// Where a reconciliation entry sends a raw finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Into the reference finding with this id (`I1`).
    Finding(String),
    /// Kept at this severity; the reference finding is not named.
    Severity(Severity),
    /// Rejected as a false positive.
    FalsePositive,
    /// Moved: not introduced by this change.
    PreExisting,
    /// Moved: design observation, acknowledged limitation, out of scope.
    OutOfScope,
}

/// One raw finding named by a reconciliation line, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconEntry {
    /// Lowercase agent key.
    pub agent: String,
    /// The pass, when the line states one (`pass-2`, or `P2` when no raw id is `P2`).
    pub pass: Option<u32>,
    /// The raw id as written (`C1`, or `P1` which may be a pass).
    pub id: Option<String>,
    /// The severity the agent raised, when the line states it before the arrow.
    pub from: Option<Severity>,
    /// Words describing the raw finding (`(template stall)`), for disambiguation.
    pub hint: String,
    /// Where it went.
    pub target: Target,
}

/// Parses one reconciliation entry into the raw findings it names. An entry may
/// name several (`Gemini C1 (...) → I2. Codex I1 (...) → acknowledged limitation`);
/// mentions without a recognisable target (`same severity as Claude I1`) are
/// skipped.
pub fn parse_reconciliation_line(line: &str) -> Vec<ReconEntry> {
    let text = crate::parse::markdown::strip_emphasis(line);
    let mentions = mentions(&text);
    let mut out = Vec::new();
    for (k, m) in mentions.iter().enumerate() {
        let end = mentions.get(k + 1).map_or(text.len(), |n| n.start);
        let Some(rest) = text.get(m.after..end) else {
            continue;
        };
        if let Some(e) = entry(m, rest) {
            out.push(e);
        }
    }
    out
}

/// An agent mention followed by a raw-finding id: `Gemini C1`, `Claude's I2`,
/// `Gemini pass-1 C1`, `Codex P1`.
struct Mention {
    start: usize,
    after: usize,
    agent: String,
    pass: Option<u32>,
    id: String,
}

/// Word tokens with byte offsets (split on whitespace).
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

fn trim_punct(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
}

fn agent_word(w: &str) -> Option<&'static str> {
    let w = trim_punct(w).to_ascii_lowercase();
    let w = w.strip_suffix("'s").unwrap_or(&w);
    match w.trim_end_matches('\'') {
        "claude" => Some("claude"),
        "codex" => Some("codex"),
        "gemini" => Some("gemini"),
        _ => None,
    }
}

/// `C1`, `I12`, `S3`, `P1` (uppercase letter, digits).
fn raw_id(w: &str) -> Option<String> {
    let w = trim_punct(w);
    let mut chars = w.chars();
    let first = chars.next()?;
    let digits = chars.as_str();
    (matches!(first, 'C' | 'I' | 'S' | 'P')
        && !digits.is_empty()
        && digits.len() <= 3
        && digits.chars().all(|c| c.is_ascii_digit()))
    .then(|| w.to_string())
}

/// `pass-1`, `pass1`, `pass` followed by a number word: the pass and how many
/// tokens it took.
fn pass_of(words: &[(usize, &str)]) -> Option<(u32, usize)> {
    let (_, w) = words.first()?;
    let w = trim_punct(w).to_ascii_lowercase();
    let rest = w.strip_prefix("pass")?;
    let rest = rest.trim_start_matches(['-', '_']);
    if !rest.is_empty() {
        return rest.parse().ok().map(|n| (n, 1));
    }
    let (_, n) = words.get(1)?;
    trim_punct(n).parse().ok().map(|n| (n, 2))
}

fn mentions(text: &str) -> Vec<Mention> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&(start, w)) = toks.get(i) {
        let Some(agent) = agent_word(w) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        let mut pass = None;
        if let Some((p, used)) = toks.get(j..).and_then(pass_of) {
            pass = Some(p);
            j += used;
        }
        let Some(&(at, idw)) = toks.get(j) else {
            break;
        };
        let Some(id) = raw_id(idw) else {
            i += 1;
            continue;
        };
        // The mention ends after the id itself, not after trailing punctuation
        // such as `(` or `:` glued to it.
        let id_at = idw.find(id.as_str()).unwrap_or(0);
        out.push(Mention {
            start,
            after: at + id_at + id.len(),
            agent: agent.to_string(),
            pass,
            id,
        });
        i = j + 1;
    }
    out
}

fn arrow(text: &str) -> Option<(usize, usize)> {
    ["→", "->", "⇒", "=>"]
        .iter()
        .filter_map(|a| text.find(a).map(|p| (p, a.len())))
        .min()
}

/// The end (exclusive) of a bracketed or quoted group that opens at `text[0]`.
fn group_end(text: &str) -> Option<usize> {
    let open = text.chars().next()?;
    let close = match open {
        '(' => ')',
        '"' => '"',
        '“' => '”',
        _ => return None,
    };
    let mut depth = 0usize;
    for (i, c) in text.char_indices().skip(1) {
        if c == close && depth == 0 {
            return Some(i + c.len_utf8());
        }
        if open == '(' {
            if c == '(' {
                depth += 1;
            } else if c == ')' {
                depth = depth.saturating_sub(1);
            }
        }
    }
    Some(text.len())
}

fn severity_word(w: &str) -> Option<Severity> {
    match trim_punct(w).to_ascii_lowercase().as_str() {
        "critical" => Some(Severity::Critical),
        "important" => Some(Severity::Important),
        "suggestion" => Some(Severity::Suggestion),
        _ => None,
    }
}

fn entry(m: &Mention, rest: &str) -> Option<ReconEntry> {
    let (hint, target_text) = match arrow(rest) {
        Some((p, len)) => (rest.get(..p)?, rest.get(p + len..)?),
        None => {
            let lead = rest.trim_start();
            let skipped = rest.len() - lead.len();
            let end = group_end(lead)
                .or_else(|| lead.find(':'))
                .unwrap_or(lead.len());
            (lead.get(..end)?, rest.get(skipped + end..)?)
        }
    };
    let from = if arrow(rest).is_some() {
        tokens(hint)
            .iter()
            .rev()
            .find_map(|(_, w)| severity_word(w))
    } else {
        None
    };
    let target = target_of(target_text)?;
    Some(ReconEntry {
        agent: m.agent.clone(),
        pass: m.pass,
        id: Some(m.id.clone()),
        from,
        hint: hint.trim().to_string(),
        target,
    })
}

/// The earliest marker of the target text: a reference id, a false-positive
/// word or a move; a bare severity word only when there is none of these.
fn target_of(text: &str) -> Option<Target> {
    let lower = text.to_lowercase();
    let mut best: Option<(usize, Target)> = None;
    let mut consider = |at: usize, t: Target| {
        if best.as_ref().is_none_or(|(b, _)| at < *b) {
            best = Some((at, t));
        }
    };
    for (word, t) in [
        ("false positive", Target::FalsePositive),
        ("false-positive", Target::FalsePositive),
        ("rejected", Target::FalsePositive),
        ("pre-existing", Target::PreExisting),
        ("preexisting", Target::PreExisting),
        ("design observation", Target::OutOfScope),
        ("acknowledged limitation", Target::OutOfScope),
        ("out of scope", Target::OutOfScope),
        ("out-of-scope", Target::OutOfScope),
    ] {
        if let Some(at) = lower.find(word) {
            consider(at, t);
        }
    }
    let toks = tokens(text);
    if let Some((at, id)) = toks.iter().find_map(|&(at, w)| {
        let id = raw_id(w)?;
        (!id.starts_with('P')).then_some((at, id))
    }) {
        consider(at, Target::Finding(id));
    }
    if let Some((_, t)) = best {
        return Some(t);
    }
    toks.iter()
        .find_map(|(_, w)| severity_word(w))
        .map(Target::Severity)
}

// ---------------------------------------------------------------------------
// Derivation

/// One raw finding of the round.
struct Raw {
    agent: String,
    pass: u32,
    finding: RawFinding,
    features: Features,
    /// The line of the finding in the report (or in its response).
    line: u32,
}

impl Raw {
    fn label(&self) -> String {
        let id = self
            .finding
            .raised_id
            .clone()
            .unwrap_or_else(|| format!("#{}", self.finding.ordinal));
        if self.pass == 1 {
            format!("{} {id}", self.agent)
        } else {
            format!("{} pass {} {id}", self.agent, self.pass)
        }
    }
}

/// What one raw finding became.
#[derive(Debug, Clone)]
struct Fate {
    decision: Decision,
    reason: String,
    confidence: Confidence,
    /// The reference finding it fed, with the evidence in words.
    into: Option<(usize, String)>,
}

/// Derives the adjudications of a cassette from its `reference`. A cassette
/// without reference gets none. Diagnostic lines are lines of the responses.
pub fn derive_adjudications(cassette: &Cassette) -> (Vec<Adjudication>, Vec<Diagnostic>) {
    derive_with_lines(cassette, &|_, _| 1)
}

/// [`derive_adjudications`], with `first_line(agent, pass)` giving the line of the
/// response's first line in the imported file, so diagnostics name report lines
/// (notes about a whole review point at its first line).
pub fn derive_with_lines(
    cassette: &Cassette,
    first_line: &dyn Fn(&str, u32) -> u32,
) -> (Vec<Adjudication>, Vec<Diagnostic>) {
    if cassette.reference.is_none() {
        return (Vec::new(), Vec::new());
    }
    derive_from_parsed(cassette, first_line, parsed_reviews(cassette, first_line))
}

/// [`derive_with_lines`] with the cassette's reviews already parsed (an importer
/// that parsed them to split the report does not parse them twice): (agent key,
/// pass, first line, parse), one per (agent, pass), in (agent, pass) order.
pub fn derive_from_parsed(
    cassette: &Cassette,
    first_line: &dyn Fn(&str, u32) -> u32,
    reviews: Vec<ParsedOf>,
) -> (Vec<Adjudication>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(reference) = &cassette.reference else {
        return (Vec::new(), diags);
    };
    let raws = raw_findings(&reviews);
    let refs = &reference.findings;
    let mut fates: Vec<Option<Fate>> = vec![None; raws.len()];
    // Reference findings that got a raw finding, per (agent, pass).
    let mut taken: BTreeSet<(String, u32, usize)> = BTreeSet::new();

    // 1. Reconciliation lines.
    for line in &reference.reconciliation {
        for e in parse_reconciliation_line(line) {
            let Some(i) = resolve_entry(&e, &raws) else {
                diags.push(Diagnostic {
                    line: first_line(&e.agent, e.pass.unwrap_or(1)),
                    level: DiagnosticLevel::Note,
                    message: format!(
                        "reconciliation names {} {} ({}), which matches no raw finding",
                        e.agent,
                        e.id.as_deref().unwrap_or("?"),
                        e.hint
                    ),
                });
                continue;
            };
            let (Some(raw), Some(slot)) = (raws.get(i), fates.get_mut(i)) else {
                continue;
            };
            if slot.is_some() {
                continue;
            }
            let mut into = None;
            let (decision, what) = match &e.target {
                Target::Finding(id) => {
                    let found = refs.iter().position(|r| r.id.eq_ignore_ascii_case(id));
                    let severity = match found.and_then(|k| refs.get(k)) {
                        Some(r) => r.severity,
                        None => {
                            let letter = id.chars().next().and_then(Severity::from_letter);
                            let Some(s) = letter else { continue };
                            s
                        }
                    };
                    if let Some(k) = found {
                        taken.insert((raw.agent.clone(), raw.pass, k));
                    }
                    into = found.map(|k| (k, format!("reconciliation: {}", quote(&e))));
                    (kept(severity), format!("reference {id}"))
                }
                Target::Severity(s) => (kept(*s), format!("kept as {s}")),
                Target::FalsePositive => (Decision::FalsePositive, "false positive".into()),
                Target::PreExisting => (Decision::PreExisting, "pre-existing".into()),
                Target::OutOfScope => (Decision::OutOfScope, "moved out of scope".into()),
            };
            *slot = Some(Fate {
                decision,
                reason: format!("{what} (reconciliation: {})", quote(&e)),
                confidence: Confidence::Sure,
                into,
            });
        }
    }

    // 2. Matching, one-to-one per agent pass, best pair first.
    let mut pairs: Vec<(f64, usize, usize, String)> = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        if fates.get(i).is_some_and(Option::is_some) {
            continue;
        }
        for (k, r) in refs.iter().enumerate() {
            if !credits(r, &raw.agent) {
                continue;
            }
            let (score, why) = pair_score(raw, r);
            if score >= MIN_SCORE {
                pairs.push((score, i, k, why));
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| a.2.cmp(&b.2))
    });
    for round in [false, true] {
        for (score, i, k, why) in &pairs {
            let (Some(raw), Some(r)) = (raws.get(*i), refs.get(*k)) else {
                continue;
            };
            if fates.get(*i).is_some_and(Option::is_some) {
                continue;
            }
            let key = (raw.agent.clone(), raw.pass, *k);
            // First round: one raw finding per reference finding and agent pass.
            // Second round: a split issue may join a taken reference finding, on
            // strong evidence only.
            if !round && taken.contains(&key) || round && *score < SURE {
                continue;
            }
            taken.insert(key);
            let confidence = if *score >= SURE {
                Confidence::Sure
            } else {
                Confidence::Unsure
            };
            if let Some(slot) = fates.get_mut(*i) {
                *slot = Some(Fate {
                    decision: kept(r.severity),
                    reason: format!("reference {} (matched: {why})", r.id),
                    confidence,
                    into: Some((*k, format!("matched: {why}"))),
                });
            }
        }
    }

    // 3. What is left was dropped or moved, unless someone else is credited there.
    for (i, raw) in raws.iter().enumerate() {
        let Some(slot) = fates.get_mut(i) else {
            continue;
        };
        if slot.is_some() {
            continue;
        }
        let elsewhere = refs.iter().find(|r| {
            !credits(r, &raw.agent)
                && location_similarity(&raw.finding.locations, &r.locations, LINE_SLACK)
                    .is_some_and(|l| l >= SAME_PLACE)
        });
        let pre = raw
            .finding
            .tags
            .iter()
            .any(|t| t.to_ascii_lowercase().contains("pre-existing"));
        let (decision, what) = if pre {
            (Decision::PreExisting, "tagged pre-existing (moved)")
        } else {
            (Decision::FalsePositive, "dropped")
        };
        let reason = match elsewhere {
            Some(r) => format!(
                "{what}: matches no reference finding crediting {}; reference {} at its \
                 location credits only {} (merged without credit, or dropped)",
                raw.agent,
                r.id,
                r.agents.join(", ")
            ),
            None => format!(
                "{what}: matches no reference finding crediting {}, and no reference \
                 finding is at its location",
                raw.agent
            ),
        };
        *slot = Some(Fate {
            decision,
            reason,
            confidence: Confidence::Unsure,
            into: None,
        });
    }

    // 4. Promotions. A reference finding crediting an agent none of whose raw
    // findings fed it may be an item of that agent's testing, documentation,
    // design or limitations section that the consolidator promoted: the best
    // matching item on strong evidence, one item per reference finding.
    let candidates = section_candidates(&reviews);
    let mut promotions: BTreeMap<usize, Vec<(RawRef, String)>> = BTreeMap::new();
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for (k, r) in refs.iter().enumerate() {
        for a in &r.agents {
            if taken.iter().any(|(ag, _, kk)| ag == a && *kk == k) {
                continue;
            }
            let best = candidates
                .iter()
                .enumerate()
                .filter(|(c, cand)| &cand.raw.agent == a && !used.contains(c))
                .map(|(c, cand)| (pair_score(&cand.raw, r), c))
                .filter(|((score, _), _)| *score >= SURE)
                .max_by(|((x, _), cx), ((y, _), cy)| x.total_cmp(y).then_with(|| cy.cmp(cx)));
            if let Some(((_, why), c)) = best {
                used.insert(c);
                let cand = &candidates[c];
                taken.insert((a.clone(), cand.raw.pass, k));
                promotions.entry(k).or_default().push((
                    RawRef {
                        agent: a.clone(),
                        pass: cand.raw.pass,
                        id: None,
                        ordinal: Some(cand.n),
                        section: Some(cand.section),
                    },
                    format!(
                        "{} {} item {} promoted (matched: {why})",
                        cand.raw.agent,
                        cand.section.as_str(),
                        cand.n
                    ),
                ));
            }
        }
    }

    // Reference findings that credit an agent none of whose raw findings fed them.
    for (k, r) in refs.iter().enumerate() {
        for a in &r.agents {
            let has_review = cassette
                .reviews()
                .any(|i| i.agent.trim().eq_ignore_ascii_case(a));
            if has_review && !taken.iter().any(|(ag, _, kk)| ag == a && *kk == k) {
                diags.push(Diagnostic {
                    line: first_line(a, 1),
                    level: DiagnosticLevel::Note,
                    message: format!(
                        "reference {} credits {a}, but no raw finding of {a} was mapped to it",
                        r.id
                    ),
                });
            }
        }
    }

    let ids = duplicate_ids(&raws);
    let name = |raw: &Raw| {
        let unique_id =
            raw.finding.raised_id.clone().filter(|id| {
                !ids.contains(&(raw.agent.clone(), raw.pass, id.to_ascii_uppercase()))
            });
        RawRef {
            agent: raw.agent.clone(),
            pass: raw.pass,
            ordinal: unique_id.is_none().then_some(raw.finding.ordinal),
            id: unique_id,
            section: None,
        }
    };
    // The raw findings that fed one reference finding make one adjudication, in
    // the position of its first member: it reads as the consolidator's decision
    // and names the cluster the reference made.
    let mut fed: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, fate) in fates.iter().enumerate() {
        if let Some(Fate {
            into: Some((k, _)), ..
        }) = fate
        {
            fed.entry(*k).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (i, (raw, fate)) in raws.iter().zip(&fates).enumerate() {
        let Some(fate) = fate else { continue };
        if fate.confidence == Confidence::Unsure {
            diags.push(Diagnostic {
                line: raw.line,
                level: DiagnosticLevel::Note,
                message: format!("unsure adjudication of {}: {}", raw.label(), fate.reason),
            });
        }
        let Some((k, _)) = &fate.into else {
            out.push(Adjudication {
                about: vec![name(raw)],
                decision: fate.decision.clone(),
                reason: fate.reason.clone(),
                confidence: fate.confidence,
            });
            continue;
        };
        let members = fed.get(k).map(Vec::as_slice).unwrap_or(&[]);
        if members.first() != Some(&i) {
            continue;
        }
        let (Some(r), group) = (refs.get(*k), members) else {
            continue;
        };
        let mut about = Vec::new();
        let mut evidence = Vec::new();
        let mut unsure = false;
        for (r, why) in promotions.remove(k).unwrap_or_default() {
            about.push(r);
            evidence.push(why);
        }
        for &m in group {
            let (Some(x), Some(Some(f))) = (raws.get(m), fates.get(m)) else {
                continue;
            };
            about.push(name(x));
            let why = f.into.as_ref().map_or("", |(_, w)| w.as_str());
            let mark = if f.confidence == Confidence::Unsure {
                ", unsure"
            } else {
                ""
            };
            evidence.push(format!("{} ({why}{mark})", x.label()));
            unsure |= f.confidence == Confidence::Unsure;
        }
        out.push(Adjudication {
            about,
            decision: Decision::SetSeverity {
                severity: r.severity,
            },
            reason: format!("reference {}: {}", r.id, evidence.join("; ")),
            confidence: if unsure {
                Confidence::Unsure
            } else {
                Confidence::Sure
            },
        });
    }
    // Promoted items that are a reference finding's only source.
    for (k, list) in promotions {
        let Some(r) = refs.get(k) else { continue };
        let (about, evidence): (Vec<RawRef>, Vec<String>) = list.into_iter().unzip();
        out.push(Adjudication {
            about,
            decision: Decision::SetSeverity {
                severity: r.severity,
            },
            reason: format!("reference {}: {}", r.id, evidence.join("; ")),
            confidence: Confidence::Sure,
        });
    }

    // The consolidator's verdict is a recorded decision too: the round-level one.
    if let Some(v) = &reference.verdict {
        match VerdictDecision::from_text(&v.decision) {
            Some(verdict) => out.push(Adjudication {
                about: Vec::new(),
                decision: Decision::Verdict { verdict },
                reason: v.reason.clone(),
                confidence: Confidence::Sure,
            }),
            None => diags.push(Diagnostic {
                line: 1,
                level: DiagnosticLevel::Note,
                message: format!(
                    "the report's verdict `{}` is none of rework, merge with fixes, merge as-is; not recorded",
                    v.decision
                ),
            }),
        }
    }
    diags.sort();
    (out, diags)
}

/// `Codex C1 (eternal cache)`: the entry's own words, cut short.
fn quote(e: &ReconEntry) -> String {
    let mut hint: String = e.hint.chars().take(40).collect();
    if hint.len() < e.hint.len() {
        hint.push('…');
    }
    let who = match e.pass {
        Some(p) => format!("{} pass {p}", capitalised(&e.agent)),
        None => capitalised(&e.agent),
    };
    format!("{who} {} {hint}", e.id.as_deref().unwrap_or("?"))
        .trim_end()
        .to_string()
}

fn capitalised(agent: &str) -> String {
    let mut c = agent.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A raw finding kept at `severity`: always `set-severity` (see the module doc).
fn kept(severity: Severity) -> Decision {
    Decision::SetSeverity { severity }
}

fn credits(r: &ReferenceFinding, agent: &str) -> bool {
    r.agents.iter().any(|a| a == agent)
}

/// One parsed review of the cassette: agent, pass, its first line in the report
/// (or response), and what the parser read.
pub type ParsedOf = (String, u32, u32, ParsedReview);

/// The cassette's reviewer interactions, parsed once, in (agent, pass) order; a
/// duplicated (agent, pass) keeps its first review, as the engine does.
fn parsed_reviews(cassette: &Cassette, first_line: &dyn Fn(&str, u32) -> u32) -> Vec<ParsedOf> {
    let mut reviews: Vec<(String, u32, &str)> = cassette
        .reviews()
        .map(|i| (i.agent.trim().to_lowercase(), i.pass, i.response.as_str()))
        .collect();
    reviews.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    reviews.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
    reviews
        .into_iter()
        .map(|(agent, pass, response)| {
            let line = first_line(&agent, pass);
            let review = parse_review(response, line).review;
            (agent, pass, line, review)
        })
        .collect()
}

/// Every raw finding of the reviews, in (agent, pass, ordinal) order.
fn raw_findings(reviews: &[ParsedOf]) -> Vec<Raw> {
    let mut out = Vec::new();
    for (agent, pass, _, review) in reviews {
        let mut findings = review.findings.clone();
        findings.sort_by_key(|f| f.ordinal);
        for f in findings {
            out.push(Raw {
                agent: agent.clone(),
                pass: *pass,
                features: Features::of(&f),
                line: f.line,
                finding: f,
            });
        }
    }
    out
}

/// A section item that could have been promoted, as the finding it would be.
struct Candidate {
    raw: Raw,
    section: ItemSection,
    n: u32,
}

/// Every item of every review's testing, documentation, design and limitations
/// sections, as promoted findings ([`crate::parse::promote`]).
fn section_candidates(reviews: &[ParsedOf]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (agent, pass, line, review) in reviews {
        let (pass, line) = (*pass, *line);
        for section in promote::SECTIONS {
            for (n, text) in (1u32..).zip(promote::section_items(review, section)) {
                let f = promote::item_finding(section, n, &text, 0);
                out.push(Candidate {
                    raw: Raw {
                        agent: agent.clone(),
                        pass,
                        features: Features::of(&f),
                        line,
                        finding: f,
                    },
                    section,
                    n,
                });
            }
        }
    }
    out
}

/// Raw ids that appear more than once in one review: such findings are named by
/// ordinal, since the engine resolves an id to its first holder.
fn duplicate_ids(raws: &[Raw]) -> BTreeSet<(String, u32, String)> {
    let mut count: BTreeMap<(String, u32, String), u32> = BTreeMap::new();
    for r in raws {
        if let Some(id) = &r.finding.raised_id {
            *count
                .entry((r.agent.clone(), r.pass, id.trim().to_ascii_uppercase()))
                .or_default() += 1;
        }
    }
    count
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(k, _)| k)
        .collect()
}

/// Finds the raw finding a reconciliation entry names: by id within the agent
/// (and pass); `P<n>` with no raw id `P<n>` is pass n, found by the hint and the
/// source severity. Several candidates are told apart by the hint.
fn resolve_entry(e: &ReconEntry, raws: &[Raw]) -> Option<usize> {
    let mut pass = e.pass;
    let mut id = e.id.clone();
    if let Some(n) = id.as_deref().and_then(|i| i.strip_prefix('P')) {
        let is_raw_id = raws.iter().any(|r| {
            r.agent == e.agent
                && r.finding
                    .raised_id
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(id.as_deref().unwrap_or("")))
        });
        if !is_raw_id {
            pass = pass.or(n.parse().ok());
            id = None;
        }
    }
    let mut candidates: Vec<usize> = raws
        .iter()
        .enumerate()
        .filter(|(_, r)| r.agent == e.agent && pass.is_none_or(|p| r.pass == p))
        .filter(|(_, r)| match &id {
            Some(id) => r
                .finding
                .raised_id
                .as_deref()
                .is_some_and(|x| x.trim().eq_ignore_ascii_case(id)),
            None => true,
        })
        .map(|(i, _)| i)
        .collect();
    if id.is_none()
        && let Some(from) = e.from
    {
        let same: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| raws.get(i).is_some_and(|r| r.finding.severity == from))
            .collect();
        if !same.is_empty() {
            candidates = same;
        }
    }
    if candidates.len() <= 1 {
        return candidates.first().copied();
    }
    let hint_words = similarity::words(&e.hint);
    let hint_ids = similarity::identifiers(&e.hint);
    let hint_locs = extract_locations(&e.hint);
    let score = |i: usize| -> u32 {
        let Some(r) = raws.get(i) else { return 0 };
        let t = similarity::dice(&hint_words, &r.features.title_words);
        let w = similarity::overlap(&hint_words, &r.features.words, 2);
        let ids = similarity::overlap(&hint_ids, &r.features.identifiers, 1);
        let loc = location_similarity(&hint_locs, &r.finding.locations, LINE_SLACK)
            .map_or(0, |l| (l * 1000.0) as u32);
        t + w / 2 + ids + loc
    };
    let mut scored: Vec<(u32, usize)> = candidates.iter().map(|&i| (score(i), i)).collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    match scored.as_slice() {
        [(best, i), (second, _), ..] if best > second => Some(*i),
        // With an id, equal hints mean passes that raised the same id: the first
        // pass is the usual referent.
        [(_, i), ..] if id.is_some() => Some(*i),
        _ => None,
    }
}

/// How well a raw finding fits a reference finding, in `0..=1`, with the evidence
/// in words. Half locations (when both sides cite some), half text: the title
/// similarity, how many of the reference title's words the raw finding's text
/// holds, and (when the reference title names code) the share of those
/// identifiers the raw finding mentions.
fn pair_score(raw: &Raw, r: &ReferenceFinding) -> (f64, String) {
    let title = title_similarity(&raw.finding.title, &r.title);
    let ref_words = similarity::words(&r.title);
    let covered = f64::from(similarity::overlap(&ref_words, &raw.features.words, 3)) / 1000.0;
    let ref_ids = similarity::identifiers(&r.title);
    let ids = (!ref_ids.is_empty())
        .then(|| f64::from(similarity::overlap(&ref_ids, &raw.features.identifiers, 1)) / 1000.0);
    let text = match ids {
        Some(ids) => 0.5 * title + 0.25 * covered + 0.25 * ids,
        None => 0.65 * title + 0.35 * covered,
    };
    let loc = location_similarity(&raw.finding.locations, &r.locations, LINE_SLACK);
    let score = match loc {
        Some(l) => 0.5 * l + 0.5 * text,
        None => text,
    };
    let mut why = Vec::new();
    if let Some(l) = loc {
        why.push(format!("location {l:.2}"));
    }
    why.push(format!("title {title:.2}"));
    if let Some(ids) = ids {
        why.push(format!("identifiers {ids:.2}"));
    }
    (score, format!("{}; score {score:.2}", why.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> ReconEntry {
        let v = parse_reconciliation_line(line);
        assert_eq!(v.len(), 1, "{line}: {v:?}");
        v.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn arrow_to_a_reference_id() {
        let e = one("Gemini C1 (cache stall): critical → important I1. The fix is small.");
        assert_eq!(e.agent, "gemini");
        assert_eq!(e.id.as_deref(), Some("C1"));
        assert_eq!(e.pass, None);
        assert_eq!(e.from, Some(Severity::Critical));
        assert_eq!(e.target, Target::Finding("I1".into()));
        assert_eq!(e.hint, "(cache stall): critical");
    }

    #[test]
    fn target_inside_the_parenthesis_and_promotions() {
        let e =
            one("Claude S5 (swallowed errors, Suggestion → promoted to Important as I7): merged.");
        assert_eq!(e.agent, "claude");
        assert_eq!(e.from, Some(Severity::Suggestion));
        assert_eq!(e.target, Target::Finding("I7".into()));
    }

    #[test]
    fn rejections_are_false_positives() {
        let e = one(
            "Gemini C1 (\"syntax error in `run.sh:12`\"): rejected as a false positive — verified.",
        );
        assert_eq!(e.target, Target::FalsePositive);
        let e =
            one("Codex I2 (stale cache, Critical → rejected): later reconciles fix it (see I3).");
        assert_eq!(e.target, Target::FalsePositive);
    }

    #[test]
    fn moves_to_design_observations_and_limitations() {
        let e =
            one("Gemini I1 Restart loop: important → demoted to Design Observation (by design).");
        assert_eq!(e.target, Target::OutOfScope);
        assert_eq!(e.from, Some(Severity::Important));
        let e = one("Codex I4 unix socket: important → demoted to Acknowledged Limitation.");
        assert_eq!(e.target, Target::OutOfScope);
        let e = one("Claude S2 (old helper) → pre-existing, moved to design notes.");
        assert_eq!(e.target, Target::PreExisting);
    }

    #[test]
    fn several_entries_on_one_line_and_mentions_without_target() {
        let v = parse_reconciliation_line(
            "Gemini C1 (one-shot list) → consolidated I2 (downgraded). Codex I1 (silent \
             failure) → acknowledged limitation. Same severity as Claude I1 / Codex I2.",
        );
        assert_eq!(v.len(), 2, "{v:?}");
        assert_eq!(v[0].target, Target::Finding("I2".into()));
        assert_eq!(v[1].agent, "codex");
        assert_eq!(v[1].id.as_deref(), Some("I1"));
        assert_eq!(v[1].target, Target::OutOfScope);
    }

    #[test]
    fn passes_possessives_and_sentences_without_arrow() {
        let e = one("Gemini pass-2 C1 (shell typo) rejected as a false positive after reading it.");
        assert_eq!(e.pass, Some(2));
        assert_eq!(e.target, Target::FalsePositive);
        let e = one(
            "A single re-rating: Gemini P1 \"Stale lock file\" was rated `important` and consolidated as `suggestion` (S1 below).",
        );
        assert_eq!(e.id.as_deref(), Some("P1"));
        assert_eq!(e.hint, "\"Stale lock file\"");
        assert_eq!(e.from, None);
        assert_eq!(e.target, Target::Finding("S1".into()));
        let e = one(
            "Gemini's I1 (parse on every call, *important*) was downgraded to *suggestion* S2.",
        );
        assert_eq!(e.agent, "gemini");
        assert_eq!(e.target, Target::Finding("S2".into()));
        let e = one("Codex P1 closed-channel panic: CRITICAL → IMPORTANT I2 (timing race)");
        assert_eq!(e.from, Some(Severity::Critical));
        assert_eq!(e.target, Target::Finding("I2".into()));
    }

    #[test]
    fn a_bare_severity_target() {
        let e = one("Gemini C3 slow path → Suggestion, the cost is negligible.");
        assert_eq!(e.target, Target::Severity(Severity::Suggestion));
    }

    #[test]
    fn lines_without_a_raw_reference_give_nothing() {
        assert!(
            parse_reconciliation_line("Gemini Design Observation (x) → Important as I4").is_empty()
        );
        assert!(parse_reconciliation_line("No severity changes.").is_empty());
        assert!(parse_reconciliation_line("").is_empty());
        assert!(parse_reconciliation_line("Claude I1 was fine.").is_empty());
    }
}

#[cfg(test)]
mod derive_tests {
    use super::*;
    use crate::cassette::{Interaction, Reference, Role, RoundMeta, SCHEMA_V1};
    use crate::model::Location;

    fn review(agent: &str, pass: u32, body: &str) -> Interaction {
        Interaction {
            role: Role::Reviewer,
            agent: agent.into(),
            model: None,
            pass,
            prompt: None,
            response: format!("## Findings\n\n{body}"),
            duration_s: None,
            tool_calls: None,
            ..Interaction::default()
        }
    }

    fn finding(
        id: &str,
        severity: Severity,
        title: &str,
        agents: &[&str],
        at: (&str, u32),
    ) -> ReferenceFinding {
        ReferenceFinding {
            id: id.into(),
            severity,
            title: title.into(),
            agents: agents.iter().map(|a| a.to_string()).collect(),
            locations: vec![Location {
                path: at.0.into(),
                start: Some(at.1),
                end: Some(at.1),
            }],
            tags: Vec::new(),
            carried_from: None,
        }
    }

    fn cassette(interactions: Vec<Interaction>, reference: Option<Reference>) -> Cassette {
        Cassette {
            schema: SCHEMA_V1.into(),
            round: RoundMeta {
                id: "r".into(),
                ..RoundMeta::default()
            },
            interactions,
            adjudications: Vec::new(),
            prior_resolutions: Vec::new(),
            reference,
            source: None,
        }
    }

    #[test]
    fn a_named_pass_picks_the_raw_finding_of_that_pass() {
        let c = cassette(
            vec![
                review(
                    "gemini",
                    1,
                    "C1. **Lock leak in pool** — `src/pool.rs:10` (critical)\n",
                ),
                review(
                    "gemini",
                    2,
                    "C1. **Lock leak in pool** — `src/pool.rs:10` (critical)\n",
                ),
            ],
            Some(Reference {
                findings: vec![finding(
                    "I1",
                    Severity::Important,
                    "Pool leaks its lock",
                    &["gemini"],
                    ("src/pool.rs", 10),
                )],
                reconciliation: vec![
                    "Gemini pass-2 C1 (lock leak): critical → important I1.".into(),
                ],
                ..Reference::default()
            }),
        );
        let (adj, _) = derive_adjudications(&c);
        assert_eq!(adj.len(), 1, "{adj:?}");
        let a = &adj[0];
        let passes: Vec<u32> = a.about.iter().map(|r| r.pass).collect();
        // Pass 2 by reconciliation, pass 1 by matching: both fed I1.
        assert_eq!(passes, vec![1, 2]);
        assert_eq!(
            a.decision,
            Decision::SetSeverity {
                severity: Severity::Important
            }
        );
        assert!(
            a.reason
                .contains("gemini pass 2 C1 (reconciliation: Gemini pass 2 C1"),
            "{}",
            a.reason
        );
        assert_eq!(a.confidence, Confidence::Sure);
    }

    #[test]
    fn an_uncredited_finding_beside_another_agents_is_dropped_naming_it() {
        let c = cassette(
            vec![
                review(
                    "claude",
                    1,
                    "I1. **Retry without backoff** — `src/net.rs:40` (important)\n",
                ),
                review(
                    "codex",
                    1,
                    "S1. **Old helper kept** — `src/old.rs:3` (suggestion, pre-existing)\n",
                ),
            ],
            Some(Reference {
                findings: vec![finding(
                    "I1",
                    Severity::Important,
                    "Retry storm",
                    &["gemini"],
                    ("src/net.rs", 41),
                )],
                ..Reference::default()
            }),
        );
        let (adj, diags) = derive_adjudications(&c);
        let got: Vec<(String, Decision, Confidence)> = adj
            .iter()
            .map(|a| (a.about[0].agent.clone(), a.decision.clone(), a.confidence))
            .collect();
        assert_eq!(
            got,
            vec![
                ("claude".into(), Decision::FalsePositive, Confidence::Unsure),
                ("codex".into(), Decision::PreExisting, Confidence::Unsure),
            ]
        );
        assert!(
            adj[0]
                .reason
                .contains("reference I1 at its location credits only gemini"),
            "{}",
            adj[0].reason
        );
        // Unsure decisions are noted, with the line of the raw finding.
        assert_eq!(
            diags
                .iter()
                .filter(|d| d.message.starts_with("unsure adjudication"))
                .count(),
            2
        );
    }

    #[test]
    fn no_reference_no_adjudications_and_output_is_order_independent() {
        let a = review("claude", 1, "I1. **X** — `a.rs:1` (important)\n");
        let b = review("codex", 1, "I1. **X** — `a.rs:1` (important)\n");
        assert!(
            derive_adjudications(&cassette(vec![a.clone()], None))
                .0
                .is_empty()
        );
        let reference = Reference {
            findings: vec![finding(
                "I1",
                Severity::Suggestion,
                "X",
                &["claude", "codex"],
                ("a.rs", 1),
            )],
            ..Reference::default()
        };
        let one = derive_adjudications(&cassette(
            vec![a.clone(), b.clone()],
            Some(reference.clone()),
        ));
        let two = derive_adjudications(&cassette(vec![b, a], Some(reference)));
        assert_eq!(one, two);
        assert_eq!(one.0.len(), 1);
        assert_eq!(one.0[0].about.len(), 2);
    }
}
