//! `review-replay explain`: the trail of one consolidated finding — its raw
//! findings, the similarity scores that merged them, the rules that set its
//! severity and the adjudications applied. A raw finding can be named as
//! `agent:ID` or `agent#ordinal` (pass 1) to find where it went.

use std::fmt::Write;

use crate::cassette::Cassette;
use crate::cli::ExplainArgs;
use crate::consolidate::engine::{self, AgentReview, ReplayOptions};
use crate::consolidate::rules::load_rules;
use crate::error::Error;
use crate::report::{FindingStatus, Report, SourceRef};

/// Runs `review-replay explain`.
pub fn run(args: ExplainArgs) -> Result<u8, Error> {
    let rules = load_rules(args.rules.rules.as_deref())?;
    let cassette = Cassette::load(&args.cassette)?;
    let options = ReplayOptions {
        rules_only: args.rules.rules_only,
    };
    let reviews = engine::reviews_of(&cassette);
    let report = engine::consolidate(
        &cassette.round,
        &reviews,
        &cassette.adjudications,
        &cassette.prior_resolutions,
        &rules,
        options,
    );
    let text = explain(&report, &reviews, &args.id).ok_or_else(|| {
        let ids: Vec<&str> = report.findings.iter().map(|f| f.id.as_str()).collect();
        Error::Usage(format!(
            "{}: no finding `{}`; available: {}",
            args.cassette.display(),
            args.id,
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        ))
    })?;
    print!("{text}");
    Ok(crate::EXIT_OK)
}

/// The explain text for a consolidated id (`I2`) or a raw reference
/// (`gemini:C1`, `gemini#3`), or `None` when it names nothing.
pub fn explain(report: &Report, reviews: &[AgentReview], id: &str) -> Option<String> {
    let id = id.trim();
    let raw = parse_raw(id);
    let mut out = String::new();
    let hit = |s: &SourceRef| match &raw {
        Some((agent, RawKey::Id(rid))) => {
            &s.agent == agent
                && s.pass == 1
                && s.raised_id
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(rid))
        }
        Some((agent, RawKey::Ordinal(o))) => &s.agent == agent && s.pass == 1 && s.ordinal == *o,
        None => false,
    };
    if let Some(f) = report
        .findings
        .iter()
        .find(|f| f.id.eq_ignore_ascii_case(id) || f.sources.iter().any(hit))
    {
        let _ = writeln!(
            out,
            "{} [{}] {} — {}",
            f.id,
            f.severity,
            f.title,
            f.agents.join(", ")
        );
        let status = match f.status {
            FindingStatus::Open => "open",
            FindingStatus::Deferred => "deferred (does not block)",
            FindingStatus::Fixed => "fixed (does not block)",
        };
        let _ = writeln!(out, "status: {status}");
        out.push_str("\nraw findings:\n");
        for s in &f.sources {
            source_line(&mut out, s, reviews);
        }
        out.push_str("\ntrail:\n");
        for d in &f.decisions {
            let _ = writeln!(out, "  {}: {}", d.rule, d.detail);
        }
        return Some(out);
    }
    for d in &report.dropped {
        if d.sources.iter().any(hit) {
            let _ = writeln!(out, "dropped ({}): {}", d.reason, d.title);
            for s in &d.sources {
                source_line(&mut out, s, reviews);
            }
            let _ = writeln!(out, "\ntrail:\n  {}: {}", d.reason, d.detail);
            return Some(out);
        }
    }
    for m in &report.moved {
        if m.sources.iter().any(hit) {
            let _ = writeln!(out, "moved to {}: {}", m.to, m.title);
            for s in &m.sources {
                source_line(&mut out, s, reviews);
            }
            let _ = writeln!(out, "\ntrail:\n  {}", m.reason);
            return Some(out);
        }
    }
    None
}

enum RawKey {
    Id(String),
    Ordinal(u32),
}

fn parse_raw(id: &str) -> Option<(String, RawKey)> {
    if let Some((agent, o)) = id.split_once('#') {
        return o
            .parse()
            .ok()
            .map(|o| (agent.to_lowercase(), RawKey::Ordinal(o)));
    }
    id.split_once(':')
        .map(|(agent, rid)| (agent.to_lowercase(), RawKey::Id(rid.to_string())))
}

fn source_line(out: &mut String, s: &SourceRef, reviews: &[AgentReview]) {
    let title = reviews
        .iter()
        .filter(|r| r.agent == s.agent && r.pass == s.pass)
        .flat_map(|r| r.review.findings.iter())
        .find(|f| f.ordinal == s.ordinal)
        .map(|f| f.title.as_str())
        .unwrap_or("");
    let _ = writeln!(
        out,
        "  {} pass {} #{} {} [{}] {}",
        s.agent,
        s.pass,
        s.ordinal,
        s.raised_id.as_deref().unwrap_or("-"),
        s.severity,
        title
    );
}
