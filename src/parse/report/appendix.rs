//! Appendix stage of report parsing: agent headings and the split of `Appendix:
//! Original Reviews` into one section per agent and pass, each parsed by the review
//! parser.

use super::*;

/// A heading naming one of the round's listed reviewers by its model name, for
/// agents this build does not know by family (`### [Grok 4] — Pass 1`,
/// `### Qwen3 Coder`): the whole heading, brackets, emphasis and a pass marker
/// apart, must be the model name or the agent key.
pub fn reviewer_heading(
    text: &str,
    reviewers: &[crate::cassette::Reviewer],
) -> Option<(String, Option<String>, u32)> {
    let t = strip_emphasis(text).replace(['[', ']'], " ");
    let mut pass = 1;
    let mut name = t.as_str();
    for sep in ['—', '–', '|', '-'] {
        if let Some((head, tail)) = t.rsplit_once(sep) {
            let tail = tail.trim().to_ascii_lowercase();
            if let Some(n) = tail.strip_prefix("pass").map(str::trim) {
                pass = n.parse::<u32>().ok().filter(|&p| p >= 1)?;
                name = head;
                break;
            }
        }
    }
    let name = name.trim();
    let name = name
        .strip_suffix(" Review")
        .or_else(|| name.strip_suffix(" review"))
        .unwrap_or(name)
        .trim();
    let r = reviewers
        .iter()
        .find(|r| r.model.eq_ignore_ascii_case(name) || r.agent.eq_ignore_ascii_case(name))?;
    Some((r.agent.clone(), Some(r.model.clone()), pass))
}

/// Reads an agent heading (`### [Codex] — Pass 1`, `### Claude Opus 4.6 Review`):
/// (agent key, model name when the heading has more than the family, pass).
/// Every word must belong to an agent name, a version, an effort or a pass
/// marker, so prose headings that mention an agent are not matched.
pub fn agent_heading(text: &str) -> Option<(String, Option<String>, u32)> {
    let t = strip_emphasis(text).replace(['[', ']'], " ");
    let mut pass = None;
    let mut segments = Vec::new();
    for seg in t.split(['—', '–', '|']).flat_map(|s| s.split(" - ")) {
        let s = seg.trim().trim_matches(['(', ')', ':']).trim();
        if s.is_empty() {
            continue;
        }
        let lower = s.to_ascii_lowercase();
        if let Some(n) = lower.strip_prefix("pass").map(str::trim) {
            pass = Some(n.parse::<u32>().ok().filter(|&p| p >= 1)?);
            continue;
        }
        segments.push(s.to_string());
    }
    let mut family = None;
    for seg in &segments {
        let words: Vec<String> = seg
            .split(|c: char| c.is_whitespace() || matches!(c, '-' | ',' | '(' | ')'))
            .map(|w| w.trim_matches([':', '.']).to_ascii_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let mut k = 0;
        while let Some(w) = words.get(k) {
            k += 1;
            // `Claude Opus 4.6 (pass 2)`: a pass marker without a dash.
            if w == "pass" {
                let n = words.get(k).and_then(|n| n.parse::<u32>().ok());
                pass = Some(n.filter(|&p| p >= 1)?);
                k += 1;
                continue;
            }
            if let Some(f) = known_family(w) {
                if family.is_some_and(|x| x != f) {
                    return None;
                }
                family = Some(f);
                continue;
            }
            let is_version = w.chars().all(|c| c.is_ascii_digit() || c == '.')
                || (w.starts_with('o')
                    && w.len() <= 3
                    && w.get(1..)
                        .is_some_and(|r| r.chars().all(|c| c.is_ascii_digit())));
            let allowed = is_version
                || matches!(
                    w.as_str(),
                    "review"
                        | "reviewer"
                        | "pro"
                        | "flash"
                        | "ultra"
                        | "haiku"
                        | "mini"
                        | "xhigh"
                        | "high"
                        | "medium"
                        | "low"
                        | "original"
                        | "cli"
                );
            if !allowed {
                return None;
            }
        }
    }
    let family = family?;
    // The model is the most specific segment: one that has a version number once
    // remarks in parentheses, a pass marker and a trailing "Review" are removed.
    let model = segments
        .iter()
        .map(|s| {
            let s = match s.find('(') {
                Some(i) => s.get(..i).unwrap_or(s),
                None => s,
            };
            let lower = s.to_ascii_lowercase();
            let s = match lower.find(" pass ") {
                Some(i) => s.get(..i).unwrap_or(s),
                None => s,
            };
            let s = s.trim();
            s.strip_suffix(" Review")
                .or_else(|| s.strip_suffix(" review"))
                .unwrap_or(s)
                .trim()
                .to_string()
        })
        .filter(|s| s.chars().any(|c| c.is_ascii_digit()))
        .max_by_key(String::len);
    Some((family.to_string(), model, pass.unwrap_or(1)))
}

pub(super) fn split_appendix(
    text: &str,
    lines: &[Line<'_>],
    start: usize,
    end: usize,
    meta: &RoundMeta,
    diags: &mut Vec<Diagnostic>,
) -> Vec<AgentSection> {
    let mut heads: Vec<(usize, String, Option<String>, u32)> = Vec::new();
    // Sets instead of scans keep a report made of thousands of agent headings linear.
    let mut seen_heads: std::collections::BTreeSet<(String, u32)> = Default::default();
    let mut first_level = None;
    for (i, l) in lines.iter().enumerate().take(end).skip(start) {
        match l.kind {
            LineKind::Heading { level, text } if (2..=4).contains(&level) => {
                if let Some((agent, model, pass)) =
                    agent_heading(text).or_else(|| reviewer_heading(text, &meta.reviewers))
                {
                    first_level.get_or_insert(level);
                    seen_heads.insert((agent.clone(), pass));
                    heads.push((i, agent, model, pass));
                }
            }
            LineKind::Code => {
                // An agent review pasted inside a fence with unbalanced nested
                // fences swallows the next agent's heading. Accept a heading-like
                // code line only when it stands alone between blank lines, has the
                // level of the other agent headings, and names a review not yet seen.
                let Some(level) = first_level else { continue };
                let Some(LineKind::Heading { level: hl, text }) = classify_line(l.text) else {
                    continue;
                };
                let blank_before = i
                    .checked_sub(1)
                    .and_then(|j| lines.get(j))
                    .is_some_and(|p| p.text.trim().is_empty());
                let after_ok = lines.get(i + 1).is_none_or(|n| {
                    n.text.trim().is_empty() || n.text.trim_start().starts_with("```")
                });
                if hl != level || !blank_before || !after_ok {
                    continue;
                }
                if let Some((agent, model, pass)) =
                    agent_heading(text).or_else(|| reviewer_heading(text, &meta.reviewers))
                {
                    if seen_heads.insert((agent.clone(), pass)) {
                        diag(
                            diags,
                            l.no,
                            DiagnosticLevel::Note,
                            format!("{agent} heading found inside an unbalanced code fence"),
                        );
                        heads.push((i, agent, model, pass));
                    }
                }
            }
            _ => {}
        }
    }
    // Byte offsets of line starts, to slice verbatim text (line endings kept).
    let offsets = line_offsets(text);
    let mut out: Vec<AgentSection> = Vec::new();
    let mut taken: std::collections::BTreeSet<(String, u32)> = Default::default();
    let mut max_pass: BTreeMap<String, u32> = BTreeMap::new();
    for (k, (i, agent, model, pass)) in heads.iter().enumerate() {
        let next = heads.get(k + 1).map_or(end, |h| h.0);
        let mut a = i + 1;
        let mut b = next;
        let is_trim = |l: Option<&Line<'_>>| {
            l.is_some_and(|l| matches!(l.kind, LineKind::Blank | LineKind::Rule))
        };
        while a < b && is_trim(lines.get(a)) {
            a += 1;
        }
        while b > a && is_trim(lines.get(b - 1)) {
            b -= 1;
        }
        let heading_line = lines.get(*i).map_or(0, |l| l.no);
        let first_line = lines.get(a).map_or(heading_line + 1, |l| l.no);
        let body = match (offsets.get(a), offsets.get(b)) {
            (Some(&x), Some(&y)) => text.get(x..y).unwrap_or(""),
            (Some(&x), None) => text.get(x..).unwrap_or(""),
            _ => "",
        };
        let body = body.trim_end_matches(['\n', '\r']).to_string();
        let model = model.clone().or_else(|| {
            meta.reviewers
                .iter()
                .find(|r| &r.agent == agent)
                .map(|r| r.model.clone())
        });
        let mut pass = *pass;
        let max = max_pass.get(agent).copied().unwrap_or(0);
        if !taken.insert((agent.clone(), pass)) {
            diag(
                diags,
                heading_line,
                DiagnosticLevel::Warning,
                format!(
                    "second {agent} review with pass {pass}; numbered pass {}",
                    max.saturating_add(1)
                ),
            );
            pass = max.saturating_add(1);
            taken.insert((agent.clone(), pass));
        }
        let m = max_pass.entry(agent.clone()).or_insert(0);
        *m = (*m).max(pass);
        if body.trim().is_empty() {
            diag(
                diags,
                heading_line,
                DiagnosticLevel::Warning,
                format!("{agent} review is empty"),
            );
        }
        let review = parse_review(&body, first_line);
        out.push(AgentSection {
            agent: agent.clone(),
            model,
            pass,
            heading_line,
            first_line,
            text: body,
            review,
        });
    }
    out
}

/// Classifies one line on its own, ignoring fences.
pub(super) fn classify_line(text: &str) -> Option<LineKind<'_>> {
    scan(text, 1).into_iter().next().map(|l| l.kind)
}

pub(super) fn line_offsets(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            v.push(i + 1);
        }
    }
    v
}
