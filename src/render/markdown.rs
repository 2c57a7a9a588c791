//! The markdown report, in the shape of the deep-review reports: header table with
//! the verdict, findings by severity with attribution, design observations,
//! testing, limitations, coverage, agent retro, reconciliation and notices.
//!
//! Invariants: output is a pure function of the [`Report`] (byte-for-byte stable);
//! it iterates only over ordered lists; numbers are integers or fixed formats.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::decimal::push_u32;
use crate::model::{CoverageStatus, ObservationKind, Scope, Severity};
use crate::report::{
    AgentRetro, ConsolidatedFinding, FindingStatus, Report, SeverityCounts, SourceRef,
};

/// Rules whose decision sets a finding's severity; the last one present decided it.
const SEVERITY_RULES: &[&str] = &["single-agent", "consensus", "lone-critical", "adjudication"];

/// Renders the report as markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    render_into(report, &mut out);
    out
}

/// [`render`] into `out`, replacing what it held: a caller rendering many
/// reports reuses one buffer, grown once to the largest.
pub fn render_into(report: &Report, buf: &mut String) {
    buf.clear();
    let mut out = std::mem::take(buf);
    let names = Names::of(report);
    header(&mut out, report, &names);

    executive_summary(&mut out, report);

    severity_sections(&mut out, report, &names);

    section(&mut out, "Design Observations");
    for (kind, heading) in [
        (ObservationKind::Concern, "Concerns"),
        (ObservationKind::Strength, "Strengths"),
    ] {
        let list: Vec<_> = report
            .design_observations
            .iter()
            .filter(|o| o.observation.kind == kind)
            .collect();
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {heading}\n");
        for o in list {
            let ob = &o.observation;
            let scope = match ob.scope {
                Some(Scope::InScope) => " *(in-scope)*",
                Some(Scope::Future) => " *(future)*",
                None => "",
            };
            // `- **title** *(scope)* [Agent] — text`, without the parts it lacks.
            out.push_str("- ");
            if let Some(t) = &ob.title {
                out.push_str("**");
                out.push_str(t);
                out.push_str("** ");
            }
            if !scope.is_empty() {
                out.push_str(scope.trim());
                out.push(' ');
            }
            out.push('[');
            out.push_str(&names.name(&o.agent));
            out.push_str("] — ");
            out.push_str(&one_line(&ob.text));
            out.push('\n');
        }
        out.push('\n');
    }
    if !report.moved.is_empty() {
        out.push_str("### Moved from findings\n\n");
        for m in &report.moved {
            let _ = writeln!(
                out,
                "- **{}** [{}] — {}",
                m.title,
                names.sources(&m.sources),
                one_line(&m.reason)
            );
        }
    }
    if report.design_observations.is_empty() && report.moved.is_empty() {
        out.push_str("None.\n");
    }

    section(&mut out, "Testing Assessment");
    attributed(&mut out, &report.testing, &names);
    section(&mut out, "Acknowledged Limitations");
    attributed(&mut out, &report.limitations, &names);

    section(&mut out, "Coverage Summary");
    coverage_table(&mut out, report, &names);

    section(&mut out, "Agent Performance Retro");
    retro_table(&mut out, &report.agents, &names);
    out.push_str("\n**Reconciliation:**");
    let start = out.len();
    out.push_str("\n\n");
    reconciliation(&mut out, report, &names);
    if out.len() == start + 2 {
        out.truncate(start);
        out.push_str(" none — every finding kept the severity its agents raised.\n");
    }

    if !report.notices.is_empty() {
        section(&mut out, "Notices");
        // Pushed, not `writeln!`ed: formatting cost some 500 instructions a line.
        for n in &report.notices {
            out.push_str("- ");
            out.push_str(n);
            out.push('\n');
        }
    }
    *buf = out;
}

/// The coverage table: a row per file, a cell per agent (`None.` without
/// files). The map of raw ids ([`RawIdMap`]) is read only for a cell that
/// names findings, so it is built the first time one does: most coverage
/// says "reviewed, no issues", and the map, built up front, cloned the agent
/// and id of every source that has one and walked every source (some 0.3 M
/// instructions over 200 synthetic rounds, whose tables name no finding).
fn coverage_table(out: &mut String, report: &Report, names: &Names) {
    if report.coverage.is_empty() {
        out.push_str("None.\n");
        return;
    }
    out.push_str("| File |");
    for a in &report.agents {
        out.push(' ');
        out.push_str(&names.name(&a.agent));
        out.push_str(" |");
    }
    out.push_str("\n|---|");
    for _ in &report.agents {
        out.push_str("---|");
    }
    out.push('\n');
    let ids = std::cell::OnceCell::new();
    // What a cell that names no finding is given: never read (an empty map
    // makes no allocation).
    let no_ids = RawIdMap(BTreeMap::new());
    // One cell's words, joined with `; `, in a buffer reused by every cell.
    let mut words = String::new();
    for c in &report.coverage {
        out.push_str("| `");
        out.push_str(&c.path);
        out.push_str("` |");
        for a in &report.agents {
            words.clear();
            for (ag, e) in c.by_agent.iter().filter(|(ag, _)| ag == &a.agent) {
                if !words.is_empty() {
                    words.push_str("; ");
                }
                let ids = match e.status {
                    CoverageStatus::Findings(_) => ids.get_or_init(|| RawIdMap::of(report)),
                    _ => &no_ids,
                };
                coverage_word(&mut words, &e.status, ag, ids);
            }
            out.push(' ');
            if words.is_empty() {
                out.push('—');
            } else {
                out.push_str(&cell(&words));
            }
            out.push_str(" |");
        }
        out.push('\n');
    }
}

/// The findings by severity, a section each (`None.` for an empty one):
/// written as they are met, where a vector of each severity's findings was
/// gathered first (three a report).
fn severity_sections(out: &mut String, report: &Report, names: &Names) {
    for (sev, heading) in [
        (Severity::Critical, "Critical Issues"),
        (Severity::Important, "Important Issues"),
        (Severity::Suggestion, "Suggestions"),
    ] {
        section(out, heading);
        let mut none = true;
        for f in report.findings.iter().filter(|f| f.severity == sev) {
            none = false;
            finding(out, f, names);
        }
        if none {
            out.push_str("None.\n");
        }
    }
}

/// The executive summary: how many findings from how many agents, by
/// severity. Written piece by piece (a `writeln!` of six arguments cost some
/// 1,000 instructions a report), the severities counted in one pass.
fn executive_summary(out: &mut String, report: &Report) {
    let mut counts = [0usize; 3];
    for f in &report.findings {
        counts[match f.severity {
            Severity::Critical => 0,
            Severity::Important => 1,
            Severity::Suggestion => 2,
        }] += 1;
    }
    let [nc, ni, ns] = counts;
    let plural = |out: &mut String, n: usize| {
        if n != 1 {
            out.push('s');
        }
    };
    let (nf, na) = (report.findings.len(), report.agents.len());
    out.push_str("\n## Executive Summary\n\n");
    push_number(out, nf);
    out.push_str(" finding");
    plural(out, nf);
    out.push_str(" from ");
    push_number(out, na);
    out.push_str(" agent");
    plural(out, na);
    out.push_str(". Structure: ");
    push_number(out, nc);
    out.push_str(" critical, ");
    push_number(out, ni);
    out.push_str(" important, ");
    push_number(out, ns);
    out.push_str(" suggestion");
    plural(out, ns);
    out.push_str(".\n\n");
}

/// The title and the header table: round, PR, reviewers, verdict. Each
/// value is written into one reused buffer, then as a cell, where a
/// `format!` made a string for every row.
fn header(out: &mut String, report: &Report, names: &Names) {
    let r = &report.round;
    out.push_str("# Deep Review: ");
    out.push_str(&r.id);
    out.push_str("\n\n| | |\n|---|---|\n");
    // Room for most values at once: grown from empty, it was reallocated
    // three times a report, on the way to the verdict's reason.
    let mut v = String::with_capacity(256);
    if let Some(d) = &r.date {
        row(out, "Date", d);
    }
    if let Some(repo) = &r.repo {
        row(out, "Repo", repo);
    }
    if let Some(n) = r.round {
        row(out, "Round", itoa::Buffer::new().format(n));
    }
    if let Some(a) = &r.author {
        v.clear();
        v.push('@');
        v.push_str(a);
        row(out, "Author", &v);
    }
    if let Some(pr) = r.pr {
        v.clear();
        v.push('#');
        push_number(&mut v, pr);
        match &r.title {
            Some(t) => {
                v.push_str(" — ");
                row_after(out, "PR", &v, t);
            }
            None => row(out, "PR", &v),
        }
    }
    if let Some(b) = &r.branch {
        v.clear();
        v.push('`');
        v.push_str(b);
        v.push('`');
        row(out, "Branch", &v);
    }
    if !r.commits.is_empty() {
        v.clear();
        for (i, c) in r.commits.iter().enumerate() {
            if i > 0 {
                v.push_str("<br>");
            }
            v.push('`');
            v.push_str(&c.sha);
            v.push_str("` ");
            v.push_str(&c.subject);
        }
        row(out, "Commits", &v);
    }
    if !report.agents.is_empty() {
        v.clear();
        for (i, a) in report.agents.iter().enumerate() {
            if i > 0 {
                v.push_str(", ");
            }
            v.push_str(&names.name(&a.agent));
        }
        row(out, "Reviewers", &v);
    }
    for (name, verdict) in [
        ("Verdict", Some(&report.verdict)),
        ("Rule verdict", report.rule_verdict.as_ref()),
    ] {
        if let Some(verdict) = verdict {
            v.clear();
            v.push_str("**");
            v.push_str(verdict.decision.label());
            v.push_str("** — ");
            row_after(out, name, &v, &verdict.reason);
        }
    }
    if let Some(w) = r.wall_clock_s {
        v.clear();
        v.push('`');
        push_duration(&mut v, w);
        v.push('`');
        row(out, "Wall-clock time", &v);
    }
}

/// A row of the header table: `| **key** | value |`, the value as a cell.
fn row(out: &mut String, key: &str, value: &str) {
    out.push_str("| **");
    out.push_str(key);
    out.push_str("** | ");
    out.push_str(&cell(value));
    out.push_str(" |\n");
}

/// [`row`] of `lead` and `text` joined, where `lead` is one line without
/// `|` that ends with one space (`#12 — `, a verdict's `**Rework** — `).
/// When `text` starts with a byte that is ASCII and not whitespace, the
/// cell of the two is `lead` and the cell of `text` (the space ending `lead`
/// stays, as it is no run and `text` adds none before its first word), so
/// only `text` is tested: the verdict's reason, some 150 bytes, followed an
/// em dash, which sent the whole value to the test of blocks that are not
/// plain byte by byte (2,100 instructions a row). Any other `text` is
/// joined and written as [`row`] would.
fn row_after(out: &mut String, key: &str, lead: &str, text: &str) {
    match text.as_bytes().first() {
        Some(&b) if b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ') => {
            out.push_str("| **");
            out.push_str(key);
            out.push_str("** | ");
            out.push_str(lead);
            out.push_str(&cell(text));
            out.push_str(" |\n");
        }
        _ => {
            let mut value = String::with_capacity(lead.len() + text.len());
            value.push_str(lead);
            value.push_str(text);
            row(out, key, &value);
        }
    }
}

/// Starts a `---`-separated section, leaving exactly one blank line before it.
fn section(out: &mut String, heading: &str) {
    while out.ends_with('\n') {
        out.pop();
    }
    out.push_str("\n\n---\n\n## ");
    out.push_str(heading);
    out.push_str("\n\n");
}

/// Display names of agents: the model name when known, else the key capitalised.
struct Names(Vec<(String, String)>);

impl Names {
    fn of(report: &Report) -> Names {
        let mut v: Vec<(String, String)> = report
            .agents
            .iter()
            .map(|a| {
                (
                    a.agent.clone(),
                    a.model.clone().unwrap_or_else(|| capitalise(&a.agent)),
                )
            })
            .collect();
        for r in &report.round.reviewers {
            if !v.iter().any(|(k, _)| k == &r.agent) {
                v.push((r.agent.clone(), r.model.clone()));
            }
        }
        Names(v)
    }

    #[cfg(test)]
    fn display(&self, agent: &str) -> String {
        self.name(agent).into_owned()
    }

    /// [`Names::display`], borrowed where the name is known.
    fn name(&self, agent: &str) -> Cow<'_, str> {
        match self.0.iter().find(|(k, _)| k == agent) {
            Some((_, n)) => Cow::Borrowed(n),
            None => Cow::Owned(capitalise(agent)),
        }
    }

    fn list(&self, agents: &[String]) -> String {
        let mut out = String::new();
        self.push_list(&mut out, agents);
        out
    }

    /// Appends [`Names::list`] to `out`: this runs for every finding.
    fn push_list(&self, out: &mut String, agents: &[String]) {
        for (i, a) in agents.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&self.name(a));
        }
    }

    fn sources(&self, sources: &[crate::report::SourceRef]) -> String {
        let mut agents: Vec<String> = sources.iter().map(|s| s.agent.clone()).collect();
        agents.dedup();
        self.list(&agents)
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn finding(out: &mut String, f: &ConsolidatedFinding, names: &Names) {
    // Written piece by piece into the report: this runs for every finding.
    out.push_str(&f.id);
    out.push_str(". **");
    out.push_str(&f.title);
    out.push_str("**");
    for (i, l) in f.locations.iter().enumerate() {
        out.push_str(if i == 0 { " — `" } else { ", `" });
        let _ = l.write_to(out);
        out.push('`');
    }
    match &f.carried_from {
        Some(from) if f.agents.is_empty() => {
            let _ = write!(out, " [carried over{}]", carried_origin(from));
        }
        _ => {
            out.push_str(" [");
            names.push_list(out, &f.agents);
            out.push(']');
        }
    }
    let classification = f.classification.as_deref();
    let others = f.tags.iter().filter(|t| Some(t.as_str()) != classification);
    let mut written = 0;
    for tag in classification.into_iter().chain(others.map(String::as_str)) {
        out.push_str(if written == 0 { " (" } else { ", " });
        out.push_str(tag);
        written += 1;
    }
    if written > 0 {
        out.push(')');
    }
    match f.status {
        FindingStatus::Open => {}
        FindingStatus::Deferred => out.push_str(" — *deferred, does not block*"),
        FindingStatus::Fixed => out.push_str(" — *fixed, does not block*"),
    }
    out.push_str("\n\n");
    let body = trimmed(&f.body);
    if !body.is_empty() {
        out.push_str(body);
        out.push_str("\n\n");
    }
    if let Some(fix) = f.fix.as_deref().map(trimmed).filter(|x| !x.is_empty()) {
        out.push_str("Fix: ");
        out.push_str(fix);
        out.push_str("\n\n");
    }
}

/// `str::trim`, told at once for text that starts and ends with a printable
/// ASCII byte (no whitespace can be there to cut): every finding's body and
/// fix is such text, and `trim` decoded a character at each end to test it
/// (about 50 instructions a call, two calls a finding).
fn trimmed(s: &str) -> &str {
    let printable = |b: u8| b.wrapping_sub(b'!') < 0x7f - b'!';
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&z)) if printable(a) && printable(z) => s,
        _ => s.trim(),
    }
}

fn attributed(out: &mut String, items: &[crate::report::AttributedText], names: &Names) {
    if items.is_empty() {
        out.push_str("None.\n");
        return;
    }
    for (i, t) in items.iter().enumerate() {
        push_number(out, i + 1);
        out.push_str(". [");
        out.push_str(&names.name(&t.agent));
        out.push_str("] ");
        out.push_str(&one_line(&t.text));
        out.push('\n');
    }
}

/// What became of each raw finding, by (agent, the agent's own id): the
/// consolidated id, or `dropped` / `moved`. The coverage table speaks in the
/// report's ids, not in each agent's.
struct RawIdMap(BTreeMap<(String, String), BTreeSet<String>>);

impl RawIdMap {
    fn of(report: &Report) -> RawIdMap {
        let mut map: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        let mut add = |sources: &[SourceRef], to: &str| {
            for s in sources {
                if let Some(id) = &s.raised_id {
                    map.entry((s.agent.clone(), id.to_ascii_uppercase()))
                        .or_default()
                        .insert(to.to_string());
                }
            }
        };
        for f in &report.findings {
            add(&f.sources, &f.id);
        }
        for d in &report.dropped {
            add(&d.sources, "dropped");
        }
        for m in &report.moved {
            add(&m.sources, "moved");
        }
        RawIdMap(map)
    }

    /// `I2`, or `C1 (dropped)` for a raw finding that did not survive, or the
    /// agent's id as written when it names no raw finding.
    fn name(&self, agent: &str, raw: &str) -> String {
        match self.0.get(&(agent.to_string(), raw.to_ascii_uppercase())) {
            Some(to) if to.iter().all(|t| t == "dropped" || t == "moved") => {
                let fate: Vec<&str> = to.iter().map(String::as_str).collect();
                format!("{raw} ({})", fate.join(", "))
            }
            Some(to) => to
                .iter()
                .filter(|t| *t != "dropped" && *t != "moved")
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            None => raw.to_string(),
        }
    }
}

/// Report order of ids: `C1 < C2 < I1 < S10`; anything else after them, as is.
fn id_order(id: &str) -> (usize, u32, String) {
    let mut chars = id.chars();
    let rank = chars.next().and_then(|c| "CIS".find(c)).unwrap_or(3);
    match chars.as_str().parse::<u32>() {
        Ok(n) if rank < 3 => (rank, n, String::new()),
        _ => (3, 0, id.to_string()),
    }
}

/// Appends what an agent said of a file, in the report's ids.
fn coverage_word(out: &mut String, s: &CoverageStatus, agent: &str, ids: &RawIdMap) {
    match s {
        CoverageStatus::ReviewedNoIssues => out.push_str("Reviewed, no issues"),
        CoverageStatus::Trivial => out.push_str("Trivial"),
        CoverageStatus::Findings(raw) => {
            let mut named: Vec<String> = Vec::new();
            for r in raw {
                let n = ids.name(agent, r);
                if !named.contains(&n) {
                    named.push(n);
                }
            }
            named.sort_by_key(|n| id_order(n));
            for (i, n) in named.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(n);
            }
        }
        CoverageStatus::Other(t) => out.push_str(t),
    }
}

/// Appends `1C 2I 3S`, leaving out the zeros, or `0`.
fn push_counts(out: &mut String, c: &SeverityCounts) {
    let start = out.len();
    for (n, l) in [(c.critical, 'C'), (c.important, 'I'), (c.suggestion, 'S')] {
        if n > 0 {
            if out.len() > start {
                out.push(' ');
            }
            push_number(out, n);
            out.push(l);
        }
    }
    if out.len() == start {
        out.push('0');
    }
}

fn retro_table(out: &mut String, agents: &[AgentRetro], names: &Names) {
    if agents.is_empty() {
        out.push_str("None.\n");
        return;
    }
    out.push_str("| |");
    for a in agents {
        out.push(' ');
        out.push_str(&names.name(&a.agent));
        out.push_str(" |");
    }
    out.push_str("\n|---|");
    for _ in agents {
        out.push_str("---|");
    }
    out.push('\n');
    // Each cell is written into `out`: these are ten cells per agent.
    type Row = (&'static str, fn(&mut String, &AgentRetro));
    let rows: [Row; 10] = [
        ("Duration", |out, a| match a.duration_s {
            Some(s) => push_duration(out, s),
            None => out.push('—'),
        }),
        ("Findings", |out, a| push_counts(out, &a.raised)),
        ("Tool calls", |out, a| match a.tool_calls {
            Some(t) => push_number(out, t),
            None => out.push('—'),
        }),
        ("Design observations", |out, a| {
            push_number(out, a.design_observations)
        }),
        ("False positives", |out, a| {
            push_number(out, a.false_positives)
        }),
        ("Unique insights", |out, a| {
            push_number(out, a.unique_insights)
        }),
        ("Files reviewed", |out, a| {
            push_number(out, a.files_reviewed)
        }),
        ("Coverage misses", |out, a| {
            push_number(out, a.coverage_misses)
        }),
        ("Downgraded", |out, a| push_number(out, a.downgraded)),
        ("Dropped", |out, a| push_number(out, a.dropped)),
    ];
    for (name, f) in rows {
        out.push_str("| ");
        out.push_str(name);
        out.push_str(" |");
        for a in agents {
            out.push(' ');
            f(out, a);
            out.push_str(" |");
        }
        out.push('\n');
    }
}

/// Appends `n` in decimal: one that fits 32 bits by [`push_u32`] (a small
/// number digit by digit, not a copy of run-time length through `memcpy`).
fn push_number<T: itoa::Integer + TryInto<u32> + Copy>(out: &mut String, n: T) {
    match n.try_into() {
        Ok(n) => push_u32(out, n),
        Err(_) => out.push_str(itoa::Buffer::new().format(n)),
    }
}

/// Appends every re-rating and every drop or move, with the rule that did
/// it, a `- ` line each (nothing when there is none): written into `out`, as
/// these are a few lines per report.
fn reconciliation(out: &mut String, report: &Report, names: &Names) {
    for f in &report.findings {
        let (rule, detail) = severity_rule(f);
        for s in f.sources.iter().filter(|s| s.severity != f.severity) {
            reconciled(out, names, s, &f.title);
            out.push_str(s.severity.as_str());
            out.push_str(" → ");
            out.push_str(f.severity.as_str());
            out.push_str(" as ");
            out.push_str(&f.id);
            out.push_str(" — ");
            out.push_str(rule);
            out.push_str(": ");
            out.push_str(detail);
            out.push('\n');
        }
    }
    for d in &report.dropped {
        for s in &d.sources {
            reconciled(out, names, s, &d.title);
            out.push_str("dropped as ");
            out.push_str(&d.reason);
            out.push_str(" — ");
            out.push_str(&d.detail);
            out.push('\n');
        }
    }
    for m in &report.moved {
        for s in &m.sources {
            reconciled(out, names, s, &m.title);
            out.push_str("moved to design observations — ");
            out.push_str(&m.reason);
            out.push('\n');
        }
    }
}

/// The rule that set a finding's severity and its detail (the last one
/// present), or two empty strings.
fn severity_rule(f: &ConsolidatedFinding) -> (&str, &str) {
    f.decisions
        .iter()
        .rev()
        .find(|d| SEVERITY_RULES.contains(&&*d.rule) && !d.detail.starts_with("removed from"))
        .map(|d| (&*d.rule, d.detail.as_str()))
        .unwrap_or(("", ""))
}

/// The start of a reconciliation line: `- Agent I2 ("title"): `.
fn reconciled(out: &mut String, names: &Names, s: &SourceRef, title: &str) {
    out.push_str("- ");
    out.push_str(&names.name(&s.agent));
    out.push(' ');
    match &s.raised_id {
        Some(id) => out.push_str(id),
        None => {
            out.push('#');
            push_number(out, s.ordinal);
        }
    }
    if s.pass != 1 {
        out.push_str(" (pass ");
        push_number(out, s.pass);
        out.push(')');
    }
    out.push_str(" (\"");
    out.push_str(title);
    out.push_str("\"): ");
}

/// Appends a `1h 26m 58s` / `15m 59s`-style duration from seconds, rounded.
fn push_duration(out: &mut String, seconds: f64) {
    let (h, m, s) = hours_minutes_seconds(seconds);
    // Minutes and seconds are below 60: two digits with the zero.
    let two = |out: &mut String, n: u64| {
        if n < 10 {
            out.push('0');
        }
        push_number(out, n);
    };
    if h > 0 {
        push_number(out, h);
        out.push_str("h ");
        two(out, m);
    } else {
        push_number(out, m);
    }
    out.push_str("m ");
    two(out, s);
    out.push('s');
}

/// Seconds, rounded (0 unless finite and positive), as hours, minutes and seconds.
fn hours_minutes_seconds(seconds: f64) -> (u64, u64, u64) {
    let total = if seconds.is_finite() && seconds > 0.0 {
        seconds.round() as u64
    } else {
        0
    };
    (total / 3600, (total % 3600) / 60, total % 60)
}

/// `s` with every run of whitespace made one space, and none at the ends.
fn one_line(s: &str) -> Cow<'_, str> {
    if is_one_line(s) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// True when [`one_line`] gives `s` back: text whose only whitespace is
/// single spaces between words (most titles, reasons and table cells).
///
/// Text of 17 bytes or more that is plain ASCII without a double space is
/// told by [`plain_windows`], with no byte read one by one; any other text
/// by [`is_one_line_by_blocks`]. Before the windows, the last 1 to 16 bytes
/// of every text were read one by one (some 7 a text, about 80 instructions
/// and a mispredicted loop exit). Text of 1 to 16 bytes is told by
/// [`plain_short`], one window too, where it was read byte by byte (most
/// values of the header table: some 120 instructions a row).
fn is_one_line(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    plain_windows(b) || plain_short(b) || is_one_line_by_blocks(s)
}

/// True when `b` has 1 to 16 bytes, all ASCII, no whitespace but spaces
/// and no two spaces in a row: `b` is copied into one window
/// ([`plain_block`]) filled out with `x`, a byte that is no whitespace and
/// makes no pair with a space. False says only "not plain", as in
/// [`plain_windows`].
fn plain_short(b: &[u8]) -> bool {
    let mut window = [b'x'; 17];
    match window.get_mut(..b.len()) {
        Some(head) if b.len() <= 16 => {
            head.copy_from_slice(b);
            plain_block(&window)
        }
        _ => false,
    }
}

/// True when `b` has 17 bytes or more, all ASCII, no whitespace but spaces
/// and no two spaces in a row: read as windows of 17 bytes ([`plain_block`]:
/// sixteen bytes, and the pairs they start) at 0, 16, 32 and so on while one
/// fits, then one more window that ends at the text's end, overlapping the
/// one before. The windows' bytes then cover every byte but the last, which
/// is tested on its own, and their pairs every pair. The test is of "no bad
/// byte, no bad pair", which reading a byte twice cannot change, so no state
/// is carried from one window to the next. False says only "not plain":
/// such text is told by [`is_one_line_by_blocks`].
fn plain_windows(b: &[u8]) -> bool {
    let (Some(end_window), Some(&last)) = (b.last_chunk::<17>(), b.last()) else {
        return false;
    };
    let mut i = 0;
    while let Some(window) = b.get(i..i + 17).and_then(|w| <&[u8; 17]>::try_from(w).ok()) {
        if !plain_block(window) {
            return false;
        }
        i += 16;
    }
    plain_block(end_window) && last < 0x80 && !matches!(last, b'\t'..=b'\r')
}

/// [`is_one_line`] of any text: sixteen bytes at a time while they are plain
/// ASCII without a double space (a test the compiler vectorises); a block
/// that is not, and the last 1 to 16 bytes, are read byte by byte, a
/// character at each byte that is not ASCII (an em dash is common in cells),
/// and the blocks go on after it. The form [`is_one_line`] had before
/// [`plain_windows`], and the reference it is tested against.
fn is_one_line_by_blocks(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut i = 0;
    let mut prev_space = false;
    while i < b.len() {
        // A block checks the pairs inside it; the pair of the byte before
        // and its first byte is checked here.
        if let Some(block) = b.get(i..i + 17).and_then(|w| <&[u8; 17]>::try_from(w).ok())
            && !(prev_space && block[0] == b' ')
            && plain_block(block)
        {
            prev_space = block[15] == b' ';
            i += 16;
            continue;
        }
        let end = (i + 16).min(b.len());
        while i < end {
            let c = b[i];
            if c < 0x80 {
                // `char::is_whitespace` of ASCII: tab to carriage return, and space.
                let space = c == b' ';
                if matches!(c, b'\t'..=b'\r') || (space && prev_space) {
                    return false;
                }
                prev_space = space;
                i += 1;
            } else {
                // Every byte before is ASCII or ends a character, so `i`
                // starts one.
                match s.get(i..).and_then(|rest| rest.chars().next()) {
                    Some(ch) if !ch.is_whitespace() => i += ch.len_utf8(),
                    _ => return false,
                }
                prev_space = false;
            }
        }
    }
    true
}

/// True when the first sixteen bytes of `w` are ASCII, none of them is
/// whitespace other than a space, and none is a space followed by a space
/// (the seventeenth byte is only the follower of the sixteenth).
fn plain_block(w: &[u8; 17]) -> bool {
    let mut bad = false;
    for k in 0..16 {
        let c = w[k];
        // Bitwise, not short-circuit: one vector test for the whole block.
        bad |= (c >= 0x80)
            | (c.wrapping_sub(b'\t') <= b'\r' - b'\t')
            | ((c == b' ') & (w[k + 1] == b' '));
    }
    !bad
}

/// [`one_line`], with `|` escaped for a table cell.
fn cell(s: &str) -> Cow<'_, str> {
    let line = one_line(s);
    if line.contains('|') {
        Cow::Owned(line.replace('|', "\\|"))
    } else {
        line
    }
}

/// ` from round 1 I2`: where a carried-over finding came from, as far as known.
fn carried_origin(from: &crate::cassette::CarriedFrom) -> String {
    let mut out = String::new();
    if let Some(r) = from.round {
        let _ = write!(out, " from round {r}");
    }
    if let Some(id) = &from.id {
        let _ = write!(out, " {id}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The severity sections as they were written, each severity's findings
    /// gathered in a vector first: the reference of [`severity_sections`].
    fn severity_sections_by_lists(out: &mut String, report: &Report, names: &Names) {
        for (sev, heading) in [
            (Severity::Critical, "Critical Issues"),
            (Severity::Important, "Important Issues"),
            (Severity::Suggestion, "Suggestions"),
        ] {
            section(out, heading);
            let list: Vec<&ConsolidatedFinding> = report
                .findings
                .iter()
                .filter(|f| f.severity == sev)
                .collect();
            if list.is_empty() {
                out.push_str("None.\n");
            }
            for f in list {
                finding(out, f, names);
            }
        }
    }

    /// The executive summary as it was written, one `writeln!`: the
    /// reference of [`executive_summary`].
    fn executive_summary_by_format(report: &Report) -> String {
        let mut out = String::new();
        let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let (nf, na) = (report.findings.len(), report.agents.len());
        let ns = count(Severity::Suggestion);
        let _ = writeln!(
            out,
            "\n## Executive Summary\n\n{nf} finding{} from {na} agent{}. Structure: {} critical, {} important, {ns} suggestion{}.\n",
            plural(nf),
            plural(na),
            count(Severity::Critical),
            count(Severity::Important),
            plural(ns)
        );
        out
    }

    /// The header as it was written, a `format!` or a clone for every row:
    /// the reference [`header`] is held to.
    fn header_by_format(mut out: String, report: &Report, names: &Names) -> String {
        let r = &report.round;
        let _ = writeln!(out, "# Deep Review: {}\n", r.id);
        out.push_str("| | |\n|---|---|\n");
        let mut row = |k: &str, v: String| {
            out.push_str("| **");
            out.push_str(k);
            out.push_str("** | ");
            out.push_str(&cell(&v));
            out.push_str(" |\n");
        };
        if let Some(d) = &r.date {
            row("Date", d.clone());
        }
        if let Some(repo) = &r.repo {
            row("Repo", repo.clone());
        }
        if let Some(n) = r.round {
            row("Round", n.to_string());
        }
        if let Some(a) = &r.author {
            row("Author", format!("@{a}"));
        }
        if let Some(pr) = r.pr {
            match &r.title {
                Some(t) => row("PR", format!("#{pr} — {t}")),
                None => row("PR", format!("#{pr}")),
            }
        }
        if let Some(b) = &r.branch {
            row("Branch", format!("`{b}`"));
        }
        if !r.commits.is_empty() {
            let commits: Vec<String> = r
                .commits
                .iter()
                .map(|c| format!("`{}` {}", c.sha, c.subject))
                .collect();
            row("Commits", commits.join("<br>"));
        }
        let reviewers: Vec<String> = report
            .agents
            .iter()
            .map(|a| names.display(&a.agent))
            .collect();
        if !reviewers.is_empty() {
            row("Reviewers", reviewers.join(", "));
        }
        row(
            "Verdict",
            format!(
                "**{}** — {}",
                report.verdict.decision.label(),
                report.verdict.reason
            ),
        );
        if let Some(rule) = &report.rule_verdict {
            row(
                "Rule verdict",
                format!("**{}** — {}", rule.decision.label(), rule.reason),
            );
        }
        if let Some(w) = r.wall_clock_s {
            let mut d = String::from("`");
            push_duration(&mut d, w);
            d.push('`');
            row("Wall-clock time", d);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn header_is_the_formatted_one(report in crate::render::testing::report()) {
            let names = Names::of(&report);
            let mut out = String::new();
            header(&mut out, &report, &names);
            proptest::prop_assert_eq!(out, header_by_format(String::new(), &report, &names));
        }
    }

    /// [`is_one_line`] as it was: one pass over the bytes while they are
    /// ASCII, then over the characters from the first that is not.
    fn is_one_line_by_bytes_then_chars(s: &str) -> bool {
        let b = s.as_bytes();
        if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
            return false;
        }
        let mut prev_space = false;
        for (i, &c) in b.iter().enumerate() {
            if c >= 0x80 {
                return s.get(i..).is_some_and(|rest| {
                    rest.chars().all(|ch| {
                        let space = ch == ' ';
                        let fine = !(space && prev_space) && (space || !ch.is_whitespace());
                        prev_space = space;
                        fine
                    })
                });
            }
            if matches!(c, b'\t'..=b'\r') {
                return false;
            }
            let space = c == b' ';
            if space && prev_space {
                return false;
            }
            prev_space = space;
        }
        true
    }

    /// Every place of a double space after every place of a character that
    /// sends the test to the bytes read one by one, so that the double space
    /// falls inside, at the start, at the end and across every block.
    #[test]
    fn a_double_space_anywhere_after_a_slow_byte_is_found() {
        for slow in ["é", "—", "\u{3000}", "\t", "|"] {
            for before in 0..34 {
                for after in 0..34 {
                    let s = format!(
                        "{}{slow}{}  {}",
                        "a".repeat(before),
                        "a".repeat(after),
                        "a".repeat(20)
                    );
                    assert_eq!(
                        is_one_line(&s),
                        is_one_line_by_bytes_then_chars(&s),
                        "{s:?}"
                    );
                    assert_eq!(one_line(&s), one_line_by_split(&s), "{s:?}");
                }
            }
        }
        // The input on which the property test below first failed in CI.
        let ci = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa aaa aaaaaaaa aaaaaaaaéa  aaaaaaaa a aa aa";
        assert!(!is_one_line(ci));
        assert_eq!(one_line(ci), one_line_by_split(ci));
    }

    /// [`is_one_line`] of `s` is that of the byte and character pass and
    /// that of the blocks read before the windows.
    fn assert_windows_agree(s: &str) {
        let windows = is_one_line(s);
        assert_eq!(windows, is_one_line_by_bytes_then_chars(s), "{s:?}");
        assert_eq!(windows, is_one_line_by_blocks(s), "{s:?}");
    }

    /// [`assert_windows_agree`] of an ASCII `base` and of `base` with each
    /// of `odd` put at each of its places.
    fn assert_agree_with_each_inserted(base: &str, odd: &[&str]) {
        assert_windows_agree(base);
        for at in 0..=base.len() {
            for o in odd {
                assert_windows_agree(&format!("{}{o}{}", &base[..at], &base[at..]));
            }
        }
    }

    /// Every place of each byte or character that makes text other than
    /// plain (whitespace other than a space, a space next to a space or at
    /// an end, a character that is not ASCII, white space or not), in texts
    /// of every length to 80 with single spaces at every third byte from each
    /// of three offsets: the odd one falls at the start, inside, at the end
    /// and across every window of [`plain_windows`], in the end window's
    /// overlap, and as the last byte, which no window reads as a byte.
    #[test]
    fn every_place_of_a_non_plain_character_is_found_by_the_windows() {
        let odd = [
            "\t", "\n", "\r", "\u{0b}", "\u{0c}", " ", "é", "—", "\u{a0}", "\u{85}", "\u{2003}",
            "\u{3000}",
        ];
        for len in 0..80 {
            for phase in 0..3 {
                let base: String = (0..len)
                    .map(|k| {
                        if k % 3 == phase && k > 0 && k + 1 < len {
                            ' '
                        } else {
                            'a'
                        }
                    })
                    .collect();
                assert_agree_with_each_inserted(&base, &odd);
            }
        }
    }

    /// Texts of 1 to 16 bytes, told by one padded window ([`plain_short`]):
    /// every place of each character that makes text other than plain, and
    /// every place of a double space, in texts of every length to 17, with
    /// and without a single space, as the byte and character pass and the
    /// blocks tell them.
    #[test]
    fn every_short_text_is_told_as_the_byte_pass() {
        let odd = [
            "\t", "\n", "\r", "\u{0b}", "\u{0c}", " ", "  ", "é", "—", "\u{a0}", "\u{85}",
            "\u{3000}", "x", "|", "\u{1f}", "\u{7f}",
        ];
        for len in 0..=17 {
            for space in [None, Some(len / 2)] {
                let base: String = (0..len)
                    .map(|k| {
                        if Some(k) == space && k > 0 && k + 1 < len {
                            ' '
                        } else {
                            'a'
                        }
                    })
                    .collect();
                assert_agree_with_each_inserted(&base, &odd);
            }
        }
    }

    /// The leads [`header`] gives [`row_after`]: every verdict's, and a PR's.
    fn row_leads() -> Vec<String> {
        use crate::model::VerdictDecision;
        let mut leads: Vec<String> = [
            VerdictDecision::Rework,
            VerdictDecision::MergeWithFixes,
            VerdictDecision::MergeWithOptionalFixes,
            VerdictDecision::MergeAsIs,
        ]
        .into_iter()
        .map(|d| format!("**{}** — ", d.label()))
        .collect();
        leads.push("#12 — ".to_string());
        leads
    }

    /// [`row_after`] is [`row`] of the lead and the text joined, for texts
    /// starting with every ASCII byte and with white space of every kind,
    /// and for empty text.
    #[test]
    fn a_row_after_its_lead_is_the_row_of_both() {
        let mut starts: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        starts.extend(["", "é", "—", "\u{a0}", "\u{85}", "\u{2003}", "\u{3000}"].map(String::from));
        for lead in row_leads() {
            for start in &starts {
                for rest in ["", "a", " a", "  a", "a  b", "a|b", "\t", " "] {
                    let text = format!("{start}{rest}");
                    let (mut after, mut joined) = (String::new(), String::new());
                    row_after(&mut after, "Verdict", &lead, &text);
                    row(&mut joined, "Verdict", &format!("{lead}{text}"));
                    assert_eq!(after, joined, "{lead:?} {text:?}");
                }
            }
        }
    }

    /// The forms `one_line` and `cell` replaced.
    fn one_line_by_split(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    proptest::proptest! {
        #[test]
        fn push_number_is_itoa(n in proptest::prop_oneof![0u64..2000, proptest::num::u64::ANY]) {
            let mut out = String::from("x");
            push_number(&mut out, n);
            proptest::prop_assert_eq!(out, format!("x{n}"));
        }

        #[test]
        fn severity_sections_are_the_ones_gathered_in_lists(report in crate::render::testing::report()) {
            let names = Names::of(&report);
            let (mut fast, mut by_lists) = (String::from("x\n"), String::from("x\n"));
            severity_sections(&mut fast, &report, &names);
            severity_sections_by_lists(&mut by_lists, &report, &names);
            proptest::prop_assert_eq!(fast, by_lists);
        }

        #[test]
        fn the_executive_summary_is_the_formatted_one(report in crate::render::testing::report()) {
            let mut out = String::new();
            executive_summary(&mut out, &report);
            proptest::prop_assert_eq!(out, executive_summary_by_format(&report));
        }

        #[test]
        fn trimmed_is_trim(s in "[ a~!\t\n\r\u{0b}\u{0c}\u{1f}\u{7f}é\u{a0}\u{2003}\u{85}]{0,6}") {
            proptest::prop_assert_eq!(trimmed(&s), s.trim());
        }

        #[test]
        fn a_row_after_its_lead_is_the_row_of_both_for_any_text(
            lead in proptest::sample::select(row_leads()),
            text in proptest::prop_oneof![
                crate::render::testing::text(),
                "[ a\t\n\r\u{0b}\u{0c}|é\u{a0}\u{2003}\u{85}—]{0,40}",
            ],
        ) {
            let (mut after, mut joined) = (String::new(), String::new());
            row_after(&mut after, "PR", &lead, &text);
            row(&mut joined, "PR", &format!("{lead}{text}"));
            proptest::prop_assert_eq!(after, joined);
        }

        #[test]
        fn one_line_and_cell_are_the_split_forms(s in "[ a\t\n\r\u{0b}\u{0c}|é\u{a0}\u{2003}\u{85}]{0,12}") {
            proptest::prop_assert_eq!(one_line(&s), one_line_by_split(&s));
            proptest::prop_assert_eq!(cell(&s), one_line_by_split(&s).replace('|', "\\|"));
        }

        /// The blocks change no answer of the byte and character pass: long
        /// plain runs, and runs with whitespace, double spaces and non-ASCII
        /// characters (white space or not) at any place in or across blocks.
        #[test]
        fn block_test_is_the_byte_pass(s in proptest::prop_oneof![
            "[ab ]{0,70}",
            "[a-z]{0,40}( [a-z]{1,9}){0,8}[ \t\n\r\u{0b}\u{0c}é\u{a0}\u{85}]?[a-z ]{0,30}",
            "([a-z]{1,9}[ —é\u{2003}\u{3000}]){0,12}",
            "[ a\t\n\r\u{0b}\u{0c}|é\u{a0}\u{2003}\u{85}]{0,70}",
        ]) {
            proptest::prop_assert_eq!(is_one_line(&s), is_one_line_by_bytes_then_chars(&s));
            proptest::prop_assert_eq!(is_one_line(&s), is_one_line_by_blocks(&s));
            proptest::prop_assert_eq!(one_line(&s), one_line_by_split(&s));
        }
    }

    /// The forms `push_counts` and `push_duration` replaced.
    fn counts_by_parts(c: &SeverityCounts) -> String {
        let mut parts = Vec::new();
        for (n, l) in [(c.critical, 'C'), (c.important, 'I'), (c.suggestion, 'S')] {
            if n > 0 {
                parts.push(format!("{n}{l}"));
            }
        }
        if parts.is_empty() {
            "0".into()
        } else {
            parts.join(" ")
        }
    }

    fn duration_by_format(seconds: f64) -> String {
        let (h, m, s) = hours_minutes_seconds(seconds);
        if h > 0 {
            format!("{h}h {m:02}m {s:02}s")
        } else {
            format!("{m}m {s:02}s")
        }
    }

    proptest::proptest! {
        #[test]
        fn retro_cells_are_the_formatted_forms(
            critical in 0u32..3, important in proptest::prop_oneof![proptest::strategy::Just(0u32), proptest::prelude::any::<u32>()], suggestion in 0u32..12,
            seconds in proptest::prelude::any::<f64>(), small in 0.0f64..10_000.0,
        ) {
            let c = SeverityCounts { critical, important, suggestion };
            let mut out = String::from("x");
            push_counts(&mut out, &c);
            proptest::prop_assert_eq!(out, format!("x{}", counts_by_parts(&c)));
            for s in [seconds, small, -small, f64::NAN, f64::INFINITY, 1e300] {
                let mut out = String::from("x");
                push_duration(&mut out, s);
                proptest::prop_assert_eq!(out, format!("x{}", duration_by_format(s)));
            }
        }
    }

    /// The form `reconciliation` replaced: one `String` per line.
    fn reconciliation_lines(report: &Report, names: &Names) -> Vec<String> {
        let mut lines = Vec::new();
        for f in &report.findings {
            let (rname, detail) = severity_rule(f);
            for s in f.sources.iter().filter(|s| s.severity != f.severity) {
                lines.push(format!(
                    "{} {} (\"{}\"): {} → {} as {} — {rname}: {detail}",
                    names.display(&s.agent),
                    raw_name(s),
                    f.title,
                    s.severity,
                    f.severity,
                    f.id
                ));
            }
        }
        for d in &report.dropped {
            for s in &d.sources {
                lines.push(format!(
                    "{} {} (\"{}\"): dropped as {} — {}",
                    names.display(&s.agent),
                    raw_name(s),
                    d.title,
                    d.reason,
                    d.detail
                ));
            }
        }
        for m in &report.moved {
            for s in &m.sources {
                lines.push(format!(
                    "{} {} (\"{}\"): moved to design observations — {}",
                    names.display(&s.agent),
                    raw_name(s),
                    m.title,
                    m.reason
                ));
            }
        }
        lines
    }

    fn raw_name(s: &crate::report::SourceRef) -> String {
        let id = s
            .raised_id
            .clone()
            .unwrap_or_else(|| format!("#{}", s.ordinal));
        if s.pass == 1 {
            id
        } else {
            format!("{id} (pass {})", s.pass)
        }
    }

    proptest::proptest! {
        #[test]
        fn reconciliation_is_the_lines_it_replaced(report in crate::render::testing::report()) {
            let names = Names::of(&report);
            let mut out = String::new();
            reconciliation(&mut out, &report, &names);
            let lines: String = reconciliation_lines(&report, &names)
                .iter()
                .map(|l| format!("- {l}\n"))
                .collect();
            proptest::prop_assert_eq!(out, lines);
        }
    }

    /// The coverage table as it was written, in the body of `render_into`,
    /// the map of raw ids built up front: the reference of
    /// [`coverage_table`].
    fn coverage_table_with_the_ids_built_first(out: &mut String, report: &Report, names: &Names) {
        if report.coverage.is_empty() {
            out.push_str("None.\n");
        } else {
            out.push_str("| File |");
            for a in &report.agents {
                out.push(' ');
                out.push_str(&names.name(&a.agent));
                out.push_str(" |");
            }
            out.push_str("\n|---|");
            for _ in &report.agents {
                out.push_str("---|");
            }
            out.push('\n');
            let ids = RawIdMap::of(report);
            let mut words = String::new();
            for c in &report.coverage {
                out.push_str("| `");
                out.push_str(&c.path);
                out.push_str("` |");
                for a in &report.agents {
                    words.clear();
                    for (ag, e) in c.by_agent.iter().filter(|(ag, _)| ag == &a.agent) {
                        if !words.is_empty() {
                            words.push_str("; ");
                        }
                        coverage_word(&mut words, &e.status, ag, &ids);
                    }
                    out.push(' ');
                    if words.is_empty() {
                        out.push('—');
                    } else {
                        out.push_str(&cell(&words));
                    }
                    out.push_str(" |");
                }
                out.push('\n');
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_coverage_table_is_the_one_with_the_ids_built_first(
            mut report in crate::render::testing::report(),
            named in proptest::collection::vec((0usize..8, 0usize..8, 0usize..4), 0..6),
        ) {
            // Cells that name raw ids some sources have, whose findings
            // survived or not, so that the map is read and matters.
            let sources: Vec<(String, String)> = report
                .findings
                .iter()
                .flat_map(|f| &f.sources)
                .chain(report.dropped.iter().flat_map(|d| &d.sources))
                .filter_map(|s| Some((s.agent.clone(), s.raised_id.clone()?)))
                .collect();
            for (file, agent, source) in named {
                let files = report.coverage.len().max(1);
                let Some(c) = report.coverage.get_mut(file % files) else {
                    break;
                };
                let Some((ag, id)) = sources.get(source % sources.len().max(1)).cloned() else {
                    break;
                };
                let agents = c.by_agent.len().max(1);
                let Some((_, entry)) = c.by_agent.get_mut(agent % agents) else {
                    continue;
                };
                entry.status = CoverageStatus::Findings(vec![id.to_lowercase(), "x9".into()]);
                let entry = entry.clone();
                c.by_agent.push((ag, entry));
            }
            let names = Names::of(&report);
            let (mut lazy, mut first) = (String::new(), String::new());
            coverage_table(&mut lazy, &report, &names);
            coverage_table_with_the_ids_built_first(&mut first, &report, &names);
            proptest::prop_assert_eq!(lazy, first);
        }
    }

    #[test]
    fn id_order_is_report_order() {
        let mut ids = vec!["S10", "I2", "C1 (dropped)", "S2", "C1", "notes"];
        ids.sort_by_key(|n| id_order(n));
        assert_eq!(ids, ["C1", "I2", "S2", "S10", "C1 (dropped)", "notes"]);
    }

    #[test]
    fn coverage_names_raw_ids_by_what_became_of_them() {
        let mut ids = RawIdMap(BTreeMap::new());
        for (agent, raw, to) in [
            ("gemini", "C1", "I1"),
            ("gemini", "I3", "dropped"),
            ("claude", "I2", "moved"),
        ] {
            ids.0
                .entry((agent.to_string(), raw.to_string()))
                .or_default()
                .insert(to.to_string());
        }
        let cell = CoverageStatus::Findings(vec!["I3".into(), "c1".into(), "S9".into()]);
        let word = |cell: &CoverageStatus, agent: &str| {
            let mut out = String::new();
            coverage_word(&mut out, cell, agent, &ids);
            out
        };
        // Surviving ids first in report order, then the rest as written.
        assert_eq!(word(&cell, "gemini"), "I1, S9, I3 (dropped)");
        let cell = CoverageStatus::Findings(vec!["I2".into()]);
        assert_eq!(word(&cell, "claude"), "I2 (moved)");
    }
}
