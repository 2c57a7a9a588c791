//! Header stage of report parsing: the metadata table (date, repo, round, author, PR,
//! branch, commits, reviewers, wall-clock time) and the verdict.

use super::*;

pub(super) fn parse_header(
    lines: &[Line<'_>],
    stem: &str,
    diags: &mut Vec<Diagnostic>,
) -> RoundMeta {
    let mut meta = RoundMeta::default();
    let mut title_line = None;
    let mut title_id = None;
    for l in lines.iter().take(20) {
        if let LineKind::Heading { level, text } = l.kind {
            if level <= 2 {
                title_line = Some(l.no);
                let t = strip_emphasis(text);
                if let Some((lead, rest)) = t.split_once(':') {
                    if lead.trim().eq_ignore_ascii_case("deep review") {
                        title_id = Some((rest.trim().to_string(), l.no));
                    }
                }
                break;
            }
        }
    }
    meta.id = match title_id {
        Some((id, _)) if is_valid_id(&id) => id,
        Some((id, no)) => {
            diag(
                diags,
                no,
                DiagnosticLevel::Warning,
                format!("title id `{id}` cannot name a file; using the file name"),
            );
            stem.to_string()
        }
        None => stem.to_string(),
    };

    // The header table: the first table after the title, before the first section
    // heading. Lines in that region that carry `**Key**` but are not table rows
    // are a broken table.
    let start = title_line
        .and_then(|t| lines.iter().position(|l| l.no == t))
        .map_or(0, |i| i + 1);
    let mut seen_table = false;
    let mut seen_date = false;
    let mut rows = 0;
    let mut last_no = start as u32;
    for l in lines.iter().skip(start) {
        last_no = l.no;
        match l.kind {
            LineKind::Heading { .. } => break,
            LineKind::Rule if seen_table => break,
            LineKind::TableRule => seen_table = true,
            LineKind::TableRow => {
                seen_table = true;
                let cells = table_cells(l.text);
                let key = cells.first().map(|c| strip_emphasis(c)).unwrap_or_default();
                let value = cells.get(1).map(|s| s.trim()).unwrap_or("");
                if key.is_empty() && value.is_empty() {
                    continue;
                }
                if cells.len() < 2 {
                    diag(
                        diags,
                        l.no,
                        DiagnosticLevel::Warning,
                        "header table row has no value cell".into(),
                    );
                    continue;
                }
                rows += 1;
                if header_field(&mut meta, &key, value, l.no, diags) {
                    seen_date |= key.eq_ignore_ascii_case("date");
                }
            }
            LineKind::Blank if seen_table => break,
            LineKind::Blank => {}
            _ => {
                if l.text.contains("**") && l.text.contains('|') {
                    diag(
                        diags,
                        l.no,
                        DiagnosticLevel::Warning,
                        "header table row is missing its leading `|`; skipped".into(),
                    );
                } else if seen_table {
                    break;
                }
            }
        }
    }
    if rows == 0 {
        diag(
            diags,
            last_no.max(1),
            DiagnosticLevel::Warning,
            "no header table (`| **Date** | ... |`) after the title".into(),
        );
    } else if !seen_date {
        diag(
            diags,
            title_line.unwrap_or(1),
            DiagnosticLevel::Warning,
            "header table has no Date row".into(),
        );
    }
    meta
}

/// Applies one header row; returns false when the key is unknown.
pub(super) fn header_field(
    meta: &mut RoundMeta,
    key: &str,
    value: &str,
    no: u32,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let plain = strip_code(&strip_emphasis(value));
    let nonempty = |s: String| if s.is_empty() { None } else { Some(s) };
    match key.to_ascii_lowercase().as_str() {
        "date" => meta.date = nonempty(plain),
        "repo" | "repository" => meta.repo = nonempty(link_text(&plain)),
        "round" => {
            meta.round = leading_number(&plain);
            if meta.round.is_none() {
                diag(
                    diags,
                    no,
                    DiagnosticLevel::Warning,
                    format!("round `{plain}` is not a number"),
                );
            }
        }
        "author" => meta.author = nonempty(link_text(&plain).trim_start_matches('@').to_string()),
        "pr" | "pull request" => {
            let (pr, title) = parse_pr(value);
            meta.pr = pr;
            meta.title = title;
            if pr.is_none() {
                diag(
                    diags,
                    no,
                    DiagnosticLevel::Warning,
                    format!("no PR number in `{value}`"),
                );
            }
        }
        "branch" => meta.branch = nonempty(plain),
        "commits" | "commit" => meta.commits = parse_commits(value),
        "reviewers" => meta.reviewers = parse_reviewers(&strip_emphasis(value)),
        "wall-clock time" | "wall-clock" | "wall clock time" | "wall clock" => {
            meta.wall_clock_s = parse_duration(&plain);
            if meta.wall_clock_s.is_none() {
                diag(
                    diags,
                    no,
                    DiagnosticLevel::Warning,
                    format!("wall-clock time `{plain}` not understood"),
                );
            }
        }
        "verdict" => {}
        _ => return false,
    }
    true
}

pub(super) fn strip_code(s: &str) -> String {
    s.replace('`', "").trim().to_string()
}

/// `[text](url)` → `text`; anything else unchanged.
pub(super) fn link_text(s: &str) -> String {
    let t = s.trim();
    if let Some(rest) = t.strip_prefix('[') {
        if let Some((inner, _)) = rest.split_once("](") {
            return inner.trim().to_string();
        }
    }
    t.to_string()
}

pub(super) fn leading_number(s: &str) -> Option<u32> {
    let t = s.trim().trim_start_matches('#');
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Splits `text — rest` at the first dash separator (`—`, `–`, `--`, ` - `).
pub(super) fn split_dash(text: &str) -> (&str, Option<&str>) {
    let mut best: Option<(usize, usize)> = None;
    for sep in [" — ", " – ", " -- ", " - ", "—"] {
        if let Some(i) = text.find(sep) {
            if best.is_none_or(|(b, _)| i < b) {
                best = Some((i, sep.len()));
            }
        }
    }
    match best {
        Some((i, len)) => (
            text.get(..i).unwrap_or(text).trim(),
            text.get(i + len..).map(str::trim),
        ),
        None => (text.trim(), None),
    }
}

/// `[#295](url) — Title`, `#236`, `#248: Title` → (number, title).
pub fn parse_pr(value: &str) -> (Option<u32>, Option<String>) {
    let v = strip_emphasis(value);
    let (head, title) = split_dash(&v);
    let (head, title) = match title {
        Some(t) => (head.to_string(), Some(t.to_string())),
        None => match v.split_once(':') {
            Some((h, t)) if !h.contains("](") || h.contains(')') => {
                (h.to_string(), Some(t.trim().to_string()))
            }
            _ => (v.clone(), None),
        },
    };
    let label = link_text(&head);
    let number = label
        .find('#')
        .and_then(|i| label.get(i + 1..))
        .and_then(leading_number)
        .or_else(|| leading_number(&label));
    (number, title.filter(|t| !t.is_empty()))
}

/// `` `sha` subject<br>`sha2` subject2 `` → commits.
pub fn parse_commits(value: &str) -> Vec<Commit> {
    let mut out = Vec::new();
    for part in value.split("<br>").flat_map(|p| p.split("<br/>")) {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        let (sha, subject) = if let Some(rest) = p.strip_prefix('`') {
            match rest.split_once('`') {
                Some((code, after)) => match code.split_once(' ') {
                    // `` `sha subject` `` written as one code span.
                    Some((sha, subj)) if after.trim().is_empty() => {
                        (sha.to_string(), subj.trim().to_string())
                    }
                    _ => (code.trim().to_string(), after.trim().to_string()),
                },
                None => (rest.trim().to_string(), String::new()),
            }
        } else {
            match p.split_once(' ') {
                Some((sha, subj)) => (sha.to_string(), subj.trim().to_string()),
                None => (p.to_string(), String::new()),
            }
        };
        if !sha.is_empty() {
            out.push(Commit { sha, subject });
        }
    }
    out
}

/// `Claude Opus 4.6, Codex GPT 5.4 (xhigh)` → reviewers with agent key and effort.
pub fn parse_reviewers(value: &str) -> Vec<Reviewer> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let mut parts = Vec::new();
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth <= 0 {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let (model, effort) = match p.find('(') {
            Some(i) => {
                let inner = p.get(i + 1..).unwrap_or("").trim_end_matches(')').trim();
                (
                    p.get(..i).unwrap_or(p).trim(),
                    (!inner.is_empty()).then(|| inner.to_string()),
                )
            }
            None => (p, None),
        };
        out.push(Reviewer {
            agent: crate::model::agent_key(model),
            model: model.to_string(),
            effort,
        });
    }
    out
}

/// Reads a duration: `1 h 26 min 58 s`, `12m 3s`, `10:52`, `1:02:03`, `278` (seconds).
pub fn parse_duration(text: &str) -> Option<f64> {
    let t = strip_code(text).to_ascii_lowercase();
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    if t.contains(':') {
        let mut total = 0f64;
        for part in t.split(':') {
            let n: f64 = part.trim().parse().ok()?;
            total = total * 60.0 + n;
        }
        return Some(total);
    }
    if let Ok(n) = t.parse::<f64>() {
        return Some(n);
    }
    // Number/unit pairs, with or without a space between them.
    let mut total = 0f64;
    let mut any = false;
    let mut chars = t.chars().peekable();
    while chars.peek().is_some() {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut num = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
                chars.next();
            } else {
                break;
            }
        }
        if num.is_empty() {
            return if any { Some(total) } else { None };
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut unit = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_alphabetic() {
                unit.push(c);
                chars.next();
            } else {
                break;
            }
        }
        let n: f64 = num.parse().ok()?;
        let factor = match unit.as_str() {
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "s" | "sec" | "secs" | "second" | "seconds" | "" => 1.0,
            _ => return None,
        };
        total += n * factor;
        any = true;
        // Skip separators such as `,`.
        while chars
            .peek()
            .is_some_and(|c| !c.is_ascii_digit() && *c != '.')
        {
            if chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                return None;
            }
            chars.next();
        }
    }
    any.then_some(total)
}

pub(super) fn header_verdict(lines: &[Line<'_>]) -> Option<ReferenceVerdict> {
    // The first Verdict row before the first section heading after the title.
    let mut headings = 0;
    for l in lines.iter().take(60) {
        match l.kind {
            LineKind::Heading { .. } => {
                headings += 1;
                if headings > 1 {
                    return None;
                }
            }
            LineKind::TableRow => {
                let cells = table_cells(l.text);
                let key = cells.first().map(|c| strip_emphasis(c)).unwrap_or_default();
                if key.eq_ignore_ascii_case("verdict") {
                    return cells.get(1).map(|v| parse_verdict(v));
                }
            }
            _ => {}
        }
    }
    None
}

/// `**Merge with fixes** — reason` → decision key and reason; the decision is the
/// verbatim text when no known decision matches.
pub fn parse_verdict(value: &str) -> ReferenceVerdict {
    let v = value.trim();
    // Prefer the bold lead-in as the decision: the reason may contain words such
    // as "rework" that would mislead.
    let (decision_text, reason) = match v.strip_prefix("**").and_then(|r| r.split_once("**")) {
        Some((bold, rest)) => {
            let rest = rest.trim();
            let rest = rest
                .strip_prefix('—')
                .or_else(|| rest.strip_prefix("--"))
                .or_else(|| rest.strip_prefix('–'))
                .or_else(|| rest.strip_prefix('-'))
                .or_else(|| rest.strip_prefix(':'))
                .unwrap_or(rest);
            (bold.trim().to_string(), rest.trim().to_string())
        }
        None => {
            let plain = strip_emphasis(v);
            let (d, r) = split_dash(&plain);
            (d.to_string(), r.unwrap_or("").to_string())
        }
    };
    let decision = VerdictDecision::from_text(&decision_text)
        .map(|d| d.key().to_string())
        .unwrap_or(decision_text);
    ReferenceVerdict { decision, reason }
}
