//! Retro stage of report parsing: the agent retro summary table and the reconciliation
//! list.

use super::*;

pub(super) fn parse_retro_table(lines: &[Line<'_>]) -> Option<RetroTable> {
    // Prefer the table under a `Summary` heading; else the first table.
    let mut summary_start = None;
    for (i, l) in lines.iter().enumerate() {
        if let LineKind::Heading { text, .. } = l.kind {
            if heading_words(text).starts_with("summary") {
                summary_start = Some(i);
                break;
            }
        }
    }
    let from = summary_start.unwrap_or(0);
    let table_at = lines
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.kind == LineKind::TableRow)
        .map(|(i, _)| i)
        .or_else(|| lines.iter().position(|l| l.kind == LineKind::TableRow))?;
    let mut columns = Vec::new();
    let mut rows = Vec::new();
    for (k, l) in lines.iter().skip(table_at).enumerate() {
        match l.kind {
            LineKind::TableRow => {
                let cells: Vec<String> = table_cells(l.text)
                    .iter()
                    .map(|c| strip_emphasis(c))
                    .collect();
                let tail: Vec<String> = cells.iter().skip(1).cloned().collect();
                if k == 0 {
                    columns = tail;
                } else {
                    rows.push(RetroRow {
                        metric: cells.first().cloned().unwrap_or_default(),
                        values: tail,
                    });
                }
            }
            LineKind::TableRule => {}
            _ => break,
        }
    }
    (!columns.is_empty()).then_some(RetroTable { columns, rows })
}

pub(super) fn retro_stats(table: &RetroTable) -> BTreeMap<String, AgentStats> {
    let mut out: BTreeMap<String, AgentStats> = BTreeMap::new();
    let keys: Vec<Option<&'static str>> = table.columns.iter().map(|c| known_family(c)).collect();
    for row in &table.rows {
        let metric = row.metric.to_ascii_lowercase();
        let is_duration = metric.starts_with("duration") || metric.starts_with("time");
        let is_tools = metric.starts_with("tool call");
        if !is_duration && !is_tools {
            continue;
        }
        for (key, value) in keys.iter().zip(&row.values) {
            let Some(key) = key else { continue };
            let entry = out.entry((*key).to_string()).or_default();
            if is_duration {
                let v = value.split('(').next().unwrap_or("").trim();
                entry.duration_s = parse_duration(v);
            } else {
                entry.tool_calls = leading_number(value);
            }
        }
    }
    out
}

pub(super) fn parse_reconciliation(lines: &[Line<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(l) = lines.get(i) else { break };
        let (start_rest, by_heading, level) = match l.kind {
            LineKind::Heading { level, text }
                if heading_words(text).trim_end_matches([':', '.']) == "reconciliation" =>
            {
                (String::new(), true, level)
            }
            LineKind::Text => {
                let t = strip_emphasis(l.text);
                match t.strip_prefix("Reconciliation") {
                    Some(rest) if rest.starts_with(':') || rest.starts_with('.') => {
                        (rest.get(1..).unwrap_or("").trim().to_string(), false, 0)
                    }
                    _ => {
                        i += 1;
                        continue;
                    }
                }
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let mut cur = start_rest;
        let mut j = i + 1;
        let mut after_blank = false;
        while let Some(l) = lines.get(j) {
            match l.kind {
                LineKind::Heading { level: hl, .. } if !by_heading || hl <= level => break,
                LineKind::Heading { .. } | LineKind::Rule => break,
                LineKind::ListItem { indent, text, .. } if indent < 2 => {
                    push_entry(&mut out, &mut cur);
                    cur = text.to_string();
                    after_blank = false;
                }
                LineKind::Blank => {
                    push_entry(&mut out, &mut cur);
                    after_blank = true;
                }
                LineKind::Text | LineKind::ListItem { .. } => {
                    // A paragraph after a blank line ends a label-style block: the
                    // next paragraph is the retro's prose again.
                    if after_blank && !by_heading {
                        break;
                    }
                    if !cur.is_empty() {
                        cur.push(' ');
                    }
                    cur.push_str(l.text.trim());
                    after_blank = false;
                }
                _ => break,
            }
            j += 1;
        }
        push_entry(&mut out, &mut cur);
        i = j;
    }
    out
}

pub(super) fn push_entry(out: &mut Vec<String>, cur: &mut String) {
    let t = cur.trim();
    if !t.is_empty() {
        out.push(t.to_string());
    }
    cur.clear();
}
