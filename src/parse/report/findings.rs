//! Findings stage of report parsing: the consolidated findings of the severity
//! sections, with credited agents, tags, and carried-over findings (credited to no
//! agent, or listed under `Unresolved Feedback`); `Declined in prior rounds` is not
//! read.

use super::*;

/// The severity of a findings section heading (`Critical Issues`, `### Suggestions`).
pub(super) fn severity_heading(text: &str) -> Option<Severity> {
    let t = heading_words(text);
    let mut words = t.split_whitespace();
    let sev = Severity::from_word(words.next()?)?;
    let rest: Vec<&str> = words.collect();
    match rest.first() {
        None => Some(sev),
        Some(w) if matches!(*w, "issues" | "findings" | "issue" | "finding") => Some(sev),
        Some(w) if w.starts_with('(') => Some(sev),
        _ => None,
    }
}

/// How a findings section writes its findings; fixed by its first finding, so
/// numbered lists inside a finding's body (`1. **Inner loop** ...`) are not
/// taken for findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// `#### 1. Title`
    Heading,
    /// `I1. **Title**`
    ExplicitId,
    /// `1. **Title**`
    Numbered,
    /// `**[IMPORTANT] path — Title**`
    Bracket,
}

/// A report section about earlier rounds' items rather than this round's
/// findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PriorSection {
    /// `Unresolved Feedback`, `Carried over`, `Still open`: findings listed there
    /// are consolidated findings carried from earlier rounds.
    Carried,
    /// `Declined in prior rounds`: not findings of this round at all.
    Declined,
}

pub(super) fn prior_section(text: &str) -> Option<PriorSection> {
    let t = heading_words(text);
    if severity_heading(text).is_some() {
        return None;
    }
    if t.contains("declined") || t.contains("won't fix") || t.contains("wontfix") {
        return Some(PriorSection::Declined);
    }
    let carried = [
        "unresolved",
        "carried",
        "carry-over",
        "carry over",
        "still open",
        "outstanding",
        "open from",
        "from prior round",
        "from previous round",
        "from earlier round",
    ];
    carried
        .iter()
        .any(|w| t.contains(w))
        .then_some(PriorSection::Carried)
}

pub(super) fn parse_findings(
    lines: &[Line<'_>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<ReferenceFinding> {
    let mut out = Vec::new();
    let mut section: Option<(Severity, u8)> = None;
    let mut prior: Option<(PriorSection, u8)> = None;
    let mut style: Option<Style> = None;
    let mut last_number = 0u32;
    let mut count = 0u32;
    for l in lines {
        if let LineKind::Heading { level, text } = l.kind {
            if let Some((_, sl)) = section {
                if level <= sl {
                    section = None;
                }
            }
            if let Some((_, pl)) = prior {
                if level <= pl {
                    prior = None;
                }
            }
            if let Some(p) = prior_section(text) {
                prior = Some((p, level));
                section = None;
                continue;
            }
            if let Some(sev) = severity_heading(text) {
                section = Some((sev, level));
                count = 0;
                last_number = 0;
                style = None;
                continue;
            }
            if prior.is_some_and(|(p, _)| p == PriorSection::Carried) && section.is_none() {
                // `### I3. Title` under `## Unresolved Feedback`.
                if let Some((id, rest)) = explicit_id(text) {
                    let sev = id.chars().next().and_then(Severity::from_letter);
                    if let Some(sev) = sev {
                        out.push(carried(build_finding(Some(id), sev, 0, rest, l.no, diags)));
                    }
                }
                continue;
            }
            if let Some((sev, _)) = section {
                // `#### 1. Title` / `#### I2: Title` under a severity section.
                if style.is_none_or(|s| s == Style::Heading) {
                    if let Some(f) = finding_from_heading(text, sev, count + 1, l.no, diags) {
                        style = Some(Style::Heading);
                        count += 1;
                        out.push(f);
                    }
                }
            }
            continue;
        }
        if prior.is_some_and(|(p, _)| p == PriorSection::Declined) {
            continue;
        }
        let in_carried = prior.is_some_and(|(p, _)| p == PriorSection::Carried);
        let Some((sev, _)) = section else {
            // `I3. **Title** — path` under `## Unresolved Feedback`, no severity
            // heading: the id says the severity.
            if in_carried && matches!(l.kind, LineKind::Text) {
                if let Some((id, rest)) = explicit_id(l.text) {
                    let sev = id.chars().next().and_then(Severity::from_letter);
                    if let (Some(sev), true) = (sev, rest.trim_start().starts_with("**")) {
                        out.push(carried(build_finding(Some(id), sev, 0, rest, l.no, diags)));
                    }
                }
            }
            continue;
        };
        if let Some((s, number, mut f)) = finding_from_line(l, sev, count + 1, diags) {
            if in_carried {
                f = carried(f);
            }
            if style.is_some_and(|x| x != s) {
                continue;
            }
            if s == Style::Numbered {
                // A list restarting at 1 inside a finding's body is not a finding.
                if number <= last_number {
                    continue;
                }
                last_number = number;
            }
            style = Some(s);
            count += 1;
            out.push(f);
        }
    }
    out
}

/// Marks a finding listed in a carried-over section as carried, keeping what
/// its text says of where it came from.
pub(super) fn carried(mut f: ReferenceFinding) -> ReferenceFinding {
    f.carried_from.get_or_insert_with(CarriedFrom::default);
    f
}

/// `(carried over from round 2, I3)`, `Round 3 Important 1`, `from round 2`:
/// the earlier round and id a text names, if any.
pub(super) fn carried_from_text(text: &str) -> CarriedFrom {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '#')
        .filter(|w| !w.is_empty())
        .collect();
    let mut from = CarriedFrom::default();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        if (*w == "round" || *w == "r") && from.round.is_none() {
            if let Ok(n) = next.trim_start_matches('#').parse::<u32>() {
                from.round = Some(n);
            }
        } else if let Some(n) = w.strip_prefix('r').and_then(|d| d.parse::<u32>().ok()) {
            from.round.get_or_insert(n);
        }
        if from.id.is_none() {
            if let Some(sev) = Severity::from_word(w) {
                if let Ok(n) = next.trim_start_matches('#').parse::<u32>() {
                    from.id = Some(format!("{}{n}", sev.letter()));
                }
            } else if w.len() >= 2 && w.len() <= 4 {
                let (first, digits) = w.split_at(1);
                let letter = first.chars().next().unwrap_or(' ');
                if matches!(letter, 'c' | 'i' | 's') && digits.chars().all(|c| c.is_ascii_digit()) {
                    from.id = Some(w.to_ascii_uppercase());
                }
            }
        }
    }
    from
}

pub(super) fn finding_from_heading(
    text: &str,
    sev: Severity,
    next: u32,
    no: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<ReferenceFinding> {
    let t = text.trim();
    if let Some((id, rest)) = explicit_id(t) {
        return Some(build_finding(Some(id), sev, next, rest, no, diags));
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let rest = t.get(digits.len()..)?;
    let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')'))?;
    let n: u32 = digits.parse().ok()?;
    Some(build_finding(
        Some(format!("{}{n}", sev.letter())),
        sev,
        next,
        rest,
        no,
        diags,
    ))
}

/// `C1. rest`, `I2: rest`, `**S3. rest` → (id, rest).
pub(super) fn explicit_id(text: &str) -> Option<(String, &str)> {
    let t = text.trim_start();
    let t = t.strip_prefix("**").unwrap_or(t);
    let mut chars = t.chars();
    let letter = chars.next()?;
    Severity::from_letter(letter)?;
    if !letter.is_ascii_uppercase() {
        return None;
    }
    let after = t.get(1..)?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let rest = after.get(digits.len()..)?;
    let rest = rest
        .strip_prefix('.')
        .or_else(|| rest.strip_prefix(':'))
        .or_else(|| rest.strip_prefix(')'))
        .unwrap_or(rest);
    if !rest.starts_with(' ') && !rest.starts_with("**") {
        return None;
    }
    Some((format!("{letter}{digits}"), rest))
}

pub(super) fn finding_from_line(
    l: &Line<'_>,
    sev: Severity,
    next: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Style, u32, ReferenceFinding)> {
    match l.kind {
        LineKind::ListItem {
            indent: 0,
            number: Some(n),
            text,
        } if text.starts_with("**") => Some((
            Style::Numbered,
            n,
            build_finding(
                Some(format!("{}{n}", sev.letter())),
                sev,
                next,
                text,
                l.no,
                diags,
            ),
        )),
        LineKind::Text => {
            let t = l.text;
            if t.starts_with(' ') {
                return None;
            }
            if let Some((id, rest)) = explicit_id(t) {
                if rest.trim_start().starts_with("**") || t.starts_with("**") {
                    let f = build_finding(Some(id), sev, next, rest, l.no, diags);
                    return Some((Style::ExplicitId, 0, f));
                }
            }
            // `**[CRITICAL] path:line — Title** [Agents]`
            let inner = t.strip_prefix("**[")?;
            let (word, _) = inner.split_once(']')?;
            let tag_sev = Severity::from_word(word)?;
            if tag_sev != sev {
                diag(
                    diags,
                    l.no,
                    DiagnosticLevel::Note,
                    format!("finding tagged {tag_sev} under the {sev} section"),
                );
            }
            Some((
                Style::Bracket,
                0,
                build_finding(None, sev, next, t, l.no, diags),
            ))
        }
        _ => None,
    }
}

pub(super) fn build_finding(
    id: Option<String>,
    sev: Severity,
    next: u32,
    rest: &str,
    no: u32,
    diags: &mut Vec<Diagnostic>,
) -> ReferenceFinding {
    let id = id.unwrap_or_else(|| format!("{}{next}", sev.letter()));
    let rest = rest.trim();
    let (title, after) = match rest.strip_prefix("**").and_then(|r| r.split_once("**")) {
        Some((bold, after)) => (bold.to_string(), after),
        None => {
            let (t, a) = split_dash(rest);
            (t.to_string(), a.unwrap_or(""))
        }
    };
    // The oldest form puts `[SEVERITY] location — Title` inside the bold span.
    let title = match title.strip_prefix('[').and_then(|t| t.split_once(']')) {
        Some((_, t)) => {
            let (_, tail) = split_dash(t);
            tail.unwrap_or(t).to_string()
        }
        None => title,
    };
    let title = strip_emphasis(&title);
    let title = title.trim_end_matches(['.', ':']).trim().to_string();
    let agents = credited_agents(after);
    let tags = finding_tags(after, sev, &id, no, diags);
    // A consolidated finding no agent is credited with was raised in an earlier
    // round and carried over.
    let carried_from = agents.is_empty().then(|| carried_from_text(after));
    ReferenceFinding {
        id,
        severity: sev,
        title,
        agents,
        locations: extract_locations(rest),
        tags,
        carried_from,
    }
}

/// Spans of `open..close` groups outside code spans, as (content) strings.
pub(super) fn groups(text: &str, open: char, close: char) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_code = false;
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut cur = String::new();
    for (i, c) in text.char_indices() {
        if c == '`' {
            in_code = !in_code;
            if depth > 0 {
                cur.push(c);
            }
            continue;
        }
        if in_code {
            if depth > 0 {
                cur.push(c);
            }
            continue;
        }
        if c == open {
            if depth == 0 {
                start = i;
                cur.clear();
            } else {
                cur.push(c);
            }
            depth += 1;
        } else if c == close && depth > 0 {
            depth -= 1;
            if depth == 0 {
                out.push((start, std::mem::take(&mut cur)));
            } else {
                cur.push(c);
            }
        } else if depth > 0 {
            cur.push(c);
        }
    }
    out
}

pub(super) fn credited_agents(text: &str) -> Vec<String> {
    let mut best = Vec::new();
    for (_, g) in groups(text, '[', ']') {
        let items: Vec<&str> = g
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if items.is_empty() {
            continue;
        }
        // `[Gemini 3.1 Pro, verified]`: the group credits agents when it starts
        // with one; words that name no agent are remarks.
        if items.first().and_then(|i| known_family(i)).is_none() {
            continue;
        }
        let mut keys: Vec<&str> = items.iter().filter_map(|i| known_family(i)).collect();
        keys.sort_unstable();
        keys.dedup();
        best = keys.into_iter().map(str::to_string).collect();
    }
    best
}

pub(super) fn finding_tags(
    text: &str,
    sev: Severity,
    id: &str,
    no: u32,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut tags = Vec::new();
    // Parentheses inside the agents group (`Claude Opus 4.6 (as S5)`) are remarks
    // about one agent, not tags of the finding.
    let mut outside = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => in_code = !in_code,
            '[' if !in_code => depth += 1,
            ']' if !in_code && depth > 0 => {
                depth -= 1;
                continue;
            }
            _ => {}
        }
        if depth == 0 {
            outside.push(c);
        }
    }
    for (_, g) in groups(&outside, '(', ')') {
        let g = strip_emphasis(&g);
        let parts: Vec<String> = g
            .split(',')
            .map(|p| p.trim().to_ascii_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        // Only tag groups: short items, not prose in parentheses.
        if parts.is_empty() || parts.iter().any(|p| p.split_whitespace().count() > 4) {
            continue;
        }
        for p in parts {
            // `(I2)`, `(round 1, I2)`: where a carried finding came from, not a tag.
            let is_ref = |w: &str| {
                let mut cs = w.chars();
                matches!(cs.next(), Some('c' | 'i' | 's'))
                    && w.len() <= 4
                    && w.len() > 1
                    && cs.all(|c| c.is_ascii_digit())
            };
            if is_ref(&p)
                || p.strip_prefix("round ")
                    .is_some_and(|n| n.parse::<u32>().is_ok())
            {
                continue;
            }
            match Severity::from_word(&p) {
                Some(s) if p.split_whitespace().count() == 1 => {
                    if s != sev {
                        diag(
                            diags,
                            no,
                            DiagnosticLevel::Note,
                            format!("{id} is tagged {s} under the {sev} section"),
                        );
                    }
                }
                _ => {
                    if !tags.contains(&p) {
                        tags.push(p);
                    }
                }
            }
        }
    }
    tags
}
