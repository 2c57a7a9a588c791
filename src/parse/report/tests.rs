use super::*;

fn report(body: &str) -> String {
    format!(
        "# Deep Review: 20990101-000000-pr-7\n\n| | |\n|---|---|\n| **Date** | 2099-01-01 10:00 |\n| **Reviewers** | Claude Opus 9, Codex GPT 9 (xhigh), Gemini 9 Pro |\n| **Verdict** | **Merge with fixes** — one leak |\n\n{body}"
    )
}

#[test]
fn header_full_variant() {
    let text = "# Deep Review: 20990412-003842-pr-42\n\n| | |\n|---|---|\n\
| **Date** | 2099-04-12 00:38 |\n\
| **Repo** | [acme/widget](https://example.invalid/acme/widget) |\n\
| **Round** | 3 (of PR #42) |\n\
| **Author** | [@someone](https://example.invalid/someone) |\n\
| **PR** | [#42](https://example.invalid/pull/42) — Widget frobnicator |\n\
| **Branch** | `frob` |\n\
| **Commits** | `abc1234` Add frob<br>`def5678` Fix frob: again |\n\
| **Reviewers** | Claude Opus 4.6, Codex GPT 5.4 (xhigh), Gemini 3.1 Pro |\n\
| **Verdict** | **Rework** — two leaks |\n\
| **Wall-clock time** | `1 h 26 min 58 s` |\n\n## Executive Summary\n";
    let p = parse_report(text, "stem");
    let m = &p.meta;
    assert_eq!(m.id, "20990412-003842-pr-42");
    assert_eq!(m.date.as_deref(), Some("2099-04-12 00:38"));
    assert_eq!(m.repo.as_deref(), Some("acme/widget"));
    assert_eq!(m.round, Some(3));
    assert_eq!(m.author.as_deref(), Some("someone"));
    assert_eq!(m.pr, Some(42));
    assert_eq!(m.title.as_deref(), Some("Widget frobnicator"));
    assert_eq!(m.branch.as_deref(), Some("frob"));
    assert_eq!(
        m.commits,
        vec![
            Commit {
                sha: "abc1234".into(),
                subject: "Add frob".into()
            },
            Commit {
                sha: "def5678".into(),
                subject: "Fix frob: again".into()
            }
        ]
    );
    assert_eq!(m.reviewers.len(), 3);
    assert_eq!(m.reviewers[1].agent, "codex");
    assert_eq!(m.reviewers[1].model, "Codex GPT 5.4");
    assert_eq!(m.reviewers[1].effort.as_deref(), Some("xhigh"));
    assert_eq!(m.reviewers[2].effort, None);
    assert_eq!(m.wall_clock_s, Some(5218.0));
    let v = p.reference.verdict.expect("verdict");
    assert_eq!(v.decision, "rework");
    assert_eq!(v.reason, "two leaks");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
}

#[test]
fn header_oldest_variant() {
    let text = "## Deep Code Review: PR #12 — Thing\n\n| | |\n|---|---|\n\
| **Verdict** | Approve with required changes |\n| **PR** | #12 |\n\
| **Branch** | plain-branch |\n| **Date** | 2099-03-20 |\n\n### Findings\n";
    let p = parse_report(text, "20990320-164645-pr-12");
    assert_eq!(p.meta.id, "20990320-164645-pr-12");
    assert_eq!(p.meta.pr, Some(12));
    assert_eq!(p.meta.title, None);
    assert_eq!(p.meta.branch.as_deref(), Some("plain-branch"));
    // "Approve with required changes" asks for changes before merging.
    assert_eq!(
        p.reference.verdict.expect("verdict").decision,
        "merge-with-fixes"
    );
}

#[test]
fn header_pr_with_colon_and_old_commits() {
    assert_eq!(
        parse_pr("#248: App controller"),
        (Some(248), Some("App controller".into()))
    );
    assert_eq!(
        parse_commits("`4fd77c6` (serial log rotation)<br>`577f916 Add rdd set`"),
        vec![
            Commit {
                sha: "4fd77c6".into(),
                subject: "(serial log rotation)".into()
            },
            Commit {
                sha: "577f916".into(),
                subject: "Add rdd set".into()
            }
        ]
    );
}

#[test]
fn broken_header_table_names_the_line() {
    let text = "# Deep Review: 20990101-x\n\n| | |\n|---|---|\n**Date** | 2099-01-01 |\n| **Branch** | `b` |\n\n## Summary\n";
    let p = parse_report(text, "stem");
    assert_eq!(p.meta.id, "20990101-x");
    assert_eq!(p.meta.branch.as_deref(), Some("b"));
    assert_eq!(p.meta.date, None);
    let lines: Vec<u32> = p.diagnostics.iter().map(|d| d.line).collect();
    assert!(lines.contains(&5), "{:?}", p.diagnostics);
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.message.contains("no Date row")),
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn garbage_has_no_header_and_uses_stem() {
    let p = parse_report("just some words\nand more\n", "my-stem");
    assert_eq!(p.meta.id, "my-stem");
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.message.contains("no header table"))
    );
    assert!(p.agents.is_empty());
}

#[test]
fn wall_clock_forms() {
    assert_eq!(parse_duration("1 h 26 min 58 s"), Some(5218.0));
    assert_eq!(parse_duration("`21 min 9 s`"), Some(1269.0));
    assert_eq!(parse_duration("12m 3s"), Some(723.0));
    assert_eq!(parse_duration("15m 59s"), Some(959.0));
    assert_eq!(parse_duration("10:52"), Some(652.0));
    assert_eq!(parse_duration("278"), Some(278.0));
    assert_eq!(parse_duration("3m"), Some(180.0));
    assert_eq!(parse_duration("about an hour"), None);
    assert_eq!(parse_duration("12 parsecs"), None);
    assert_eq!(parse_duration(""), None);
}

#[test]
fn agent_heading_forms() {
    let h = |t: &str| agent_heading(t);
    assert_eq!(
        h("Claude Opus 4.6"),
        Some(("claude".into(), Some("Claude Opus 4.6".into()), 1))
    );
    assert_eq!(h("[Codex] — Pass 1"), Some(("codex".into(), None, 1)));
    assert_eq!(h("[Codex] — Pass 2"), Some(("codex".into(), None, 2)));
    assert_eq!(
        h("[Gemini 3.1 Pro]"),
        Some(("gemini".into(), Some("Gemini 3.1 Pro".into()), 1))
    );
    assert_eq!(
        h("[Claude] — Claude Opus 4.6"),
        Some(("claude".into(), Some("Claude Opus 4.6".into()), 1))
    );
    assert_eq!(
        h("Codex GPT 5.4 Review"),
        Some(("codex".into(), Some("Codex GPT 5.4".into()), 1))
    );
    assert_eq!(
        h("Gemini 2.5 Pro"),
        Some(("gemini".into(), Some("Gemini 2.5 Pro".into()), 1))
    );
    assert_eq!(
        h("[Claude Opus 4.6] — Pass 3"),
        Some(("claude".into(), Some("Claude Opus 4.6".into()), 3))
    );
    assert_eq!(h("[Claude]"), Some(("claude".into(), None, 1)));
    assert_eq!(h("Claude's review was lost"), None);
    assert_eq!(h("Gemini-specific notes"), None);
    assert_eq!(h("Executive Summary"), None);
    assert_eq!(h("Claude and Codex"), None);
    assert_eq!(h("Claude vs Codex"), None);
    assert_eq!(h("Codex — Pass two"), None);
    assert_eq!(h("Codex — Pass 0"), None);
    assert_eq!(
        h("Claude Opus 4.6 (pass 2)"),
        Some(("claude".into(), Some("Claude Opus 4.6".into()), 2))
    );
    assert_eq!(
        h("Gemini 3.1 Pro (xhigh)"),
        Some(("gemini".into(), Some("Gemini 3.1 Pro".into()), 1))
    );
    assert_eq!(h("Claude passes"), None);
    assert_eq!(
        h("Claude Opus 4.6 Pass 2"),
        Some(("claude".into(), Some("Claude Opus 4.6".into()), 2))
    );
    assert_eq!(h("[Claude] Pass 3"), Some(("claude".into(), None, 3)));
}

#[test]
fn appendix_splits_at_agent_headings_only() {
    let body = "## Appendix: Original Reviews\n\n### [Claude] — Pass 1\n\n# Code Review\n\n## Findings\n\n```bash\n# Codex GPT 5.4\n### Gemini 3.1 Pro\n```\n\n### Claude's review was lost\n\ntext\n\n---\n\n### [Codex GPT 5.4] — Pass 1\n\nCodex body\n\n### [Codex GPT 5.4] — Pass 2\n\nsecond\n";
    let text = report(body);
    let p = parse_report(&text, "stem");
    let got: Vec<(&str, u32)> = p
        .agents
        .iter()
        .map(|a| (a.agent.as_str(), a.pass))
        .collect();
    assert_eq!(got, vec![("claude", 1), ("codex", 1), ("codex", 2)]);
    let claude = &p.agents[0];
    assert!(claude.text.starts_with("# Code Review"));
    assert!(claude.text.contains("# Codex GPT 5.4"));
    assert!(claude.text.ends_with("text"), "{:?}", claude.text);
    assert_eq!(claude.model.as_deref(), Some("Claude Opus 9"));
    let first = text.lines().nth(claude.first_line as usize - 1);
    assert_eq!(first, Some("# Code Review"));
    assert_eq!(p.agents[1].model.as_deref(), Some("Codex GPT 5.4"));
    assert_eq!(p.agents[2].text, "second");
}

#[test]
fn many_repeated_agent_headings_are_numbered_passes() {
    let mut body = String::from("## Appendix: Original Reviews\n\n");
    for _ in 0..20_000 {
        body.push_str("### [Claude]\n\nx\n\n");
    }
    // Speed on such input is measured in `cargo bench` (parse-report), not here.
    let p = parse_report(&report(&body), "stem");
    assert_eq!(p.agents.len(), 20_000);
    assert_eq!(p.agents.last().map(|a| a.pass), Some(20_000));
    let mut passes: Vec<u32> = p.agents.iter().map(|a| a.pass).collect();
    passes.dedup();
    assert_eq!(passes.len(), 20_000);
}

#[test]
fn appendix_stops_at_resolution() {
    let body = "## 4. Appendix: Original Reviews\n\n### Gemini 3.1 Pro\n\nbody\n\n## Resolution\n\n| # | Finding | Action |\n|---|---|---|\n| 1 | Important #1: Leak in `a.go:3` | Fixed (closed it) |\n";
    let p = parse_report(&report(body), "stem");
    assert_eq!(p.agents.len(), 1);
    assert_eq!(p.agents[0].text, "body");
}

#[test]
fn omitted_appendix_is_an_import_error() {
    let body = "## Appendix: Original Reviews\n\n*(Same content as the original report — omitted here for brevity.)*\n";
    let p = parse_report(&report(body), "stem");
    assert!(p.agents.is_empty());
    let src = Source {
        kind: "report".into(),
        name: "x.md".into(),
        sha256: "sha256:0".into(),
    };
    let err = p.to_cassette(src).expect_err("no agents");
    assert_eq!(err.message, NO_APPENDIX);
    assert_eq!(err.line, Some(9));
}

#[test]
fn ids_that_cannot_name_a_file() {
    assert!(is_valid_id("20260412-003842-pr-295"));
    assert!(is_valid_id("app.v2_x"));
    for bad in ["", ".hidden", "a/b", "a b", "../x", "é"] {
        assert!(!is_valid_id(bad), "{bad}");
    }
    // A title id with a slash falls back to the file name, with a warning.
    let p = parse_report("# Deep Review: a/b\n", "good-stem");
    assert_eq!(p.meta.id, "good-stem");
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.line == 1 && d.message.contains("a/b"))
    );
    // Neither usable: the cassette cannot be built.
    let mut p = parse_report(
        "## Appendix: Original Reviews\n\n### [Claude]\n\nx\n",
        "bad stem",
    );
    assert_eq!(p.agents.len(), 1);
    let src = Source {
        kind: "report".into(),
        name: "bad stem.md".into(),
        sha256: "sha256:0".into(),
    };
    let err = p.to_cassette(src.clone()).expect_err("bad id");
    assert!(
        err.message.contains("no usable round id"),
        "{}",
        err.message
    );
    p.meta.id = "fine".into();
    assert!(p.to_cassette(src).is_ok());
}

#[test]
fn reference_findings_new_form() {
    let body = "## Critical Issues\n\nNone.\n\n## Important Issues\n\nI1. **Leak in `frob`** — `pkg/a.go:10-12`, `pkg/b.go:3` [Claude Opus 4.7, Codex GPT 5.4] (important, regression)\n\n```go\n# not a heading\nI9. **not a finding**\n```\n\nI2. **Race** — `c.go:1` [Gemini 3.1 Pro, Claude Opus 4.7]\n\n## Suggestions\n\nS1. **Typo** — `d.go:2` [Codex GPT 5.4] (suggestion, enhancement)\n\n## Design Observations\n\n1. **Not a finding** (in-scope) [Claude Opus 4.7]\n";
    let p = parse_report(&report(body), "stem");
    let f = &p.reference.findings;
    let ids: Vec<&str> = f.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, vec!["I1", "I2", "S1"]);
    assert_eq!(f[0].title, "Leak in `frob`");
    assert_eq!(f[0].agents, vec!["claude", "codex"]);
    assert_eq!(f[0].tags, vec!["regression"]);
    assert_eq!(f[0].severity, Severity::Important);
    assert_eq!(f[1].agents, vec!["claude", "gemini"]);
    assert!(f[1].tags.is_empty());
    assert_eq!(f[2].severity, Severity::Suggestion);
    assert_eq!(f[2].tags, vec!["enhancement"]);
}

#[test]
fn agent_groups_with_remarks() {
    let body = "## Important Issues\n\nI1. **A** — `a.go:1` [Codex GPT 5.4, Claude Opus 4.6 (as S5), Gemini 3.1 Pro (as C4)]\n\n2. **B** — `b.go:1` (important, regression) [Gemini 3.1 Pro, verified]\n\n## Suggestions\n\n1. **C** — `c.go:1` (suggestion, gap) [Gemini 3.1 Pro, verified]\n";
    let p = parse_report(&report(body), "stem");
    let f = &p.reference.findings;
    assert_eq!(f[0].agents, vec!["claude", "codex", "gemini"]);
    assert!(f[0].tags.is_empty(), "{:?}", f[0].tags);
    assert_eq!(f.len(), 2, "styles do not mix within a section");
    assert_eq!(f[1].id, "S1");
    assert_eq!(f[1].agents, vec!["gemini"]);
    assert_eq!(f[1].tags, vec!["gap"]);
}

#[test]
fn reference_findings_old_forms() {
    let body = "## Consolidated Review\n\n### Critical Findings\n\n**[CRITICAL] a.go:58 — Finalizer stripped** [Codex GPT 5.4, Gemini 3.1 Pro]\n\nProblem: x\n\n### Important Findings\n\n1. **Owner missing** — `a.go:73` [Claude Opus 4.6]\n\n   1. **nested, not a finding**\n\n3. **Third** -- `b.go:1` [Codex GPT 5.4] *(deferred to upstream)*\n\n### Suggestions\n\n#### 1. Heading style finding\n\n### Testing Assessment\n\n1. **Gap** — not a finding\n";
    let p = parse_report(&report(body), "stem");
    let f = &p.reference.findings;
    let got: Vec<(&str, &str)> = f
        .iter()
        .map(|x| (x.id.as_str(), x.title.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("C1", "Finalizer stripped"),
            ("I1", "Owner missing"),
            ("I3", "Third"),
            ("S1", "Heading style finding"),
        ]
    );
    assert_eq!(f[0].agents, vec!["codex", "gemini"]);
    assert_eq!(f[2].tags, vec!["deferred to upstream"]);
}

#[test]
fn numbered_lists_inside_findings_are_not_findings() {
    let body = "## Important Issues\n\nI1. **Cleanup is fragile** — `a.go:1` [Claude Opus 4.6]\n\n1. **Inner loop has no retry** [Claude Opus 4.6]. Body.\n2. **First error wins** [Gemini 3.1 Pro].\n\nI2. **Next** — `b.go:2` [Codex GPT 5.4]\n\n## Suggestions\n\n1. **One** — `c.go:1` [Codex GPT 5.4]\n\n1. **Sub-point** restarts the list\n\n2. **Two** — `c.go:2` [Codex GPT 5.4]\n";
    let p = parse_report(&report(body), "stem");
    let ids: Vec<&str> = p.reference.findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, vec!["I1", "I2", "S1", "S2"]);
}

#[test]
fn agent_heading_swallowed_by_unbalanced_fence() {
    // The Codex review is pasted inside a bare fence, and its nested ```go
    // block closes that fence early, so the closing ``` opens a new one.
    let body = "## Appendix: Original Reviews\n\n### Codex GPT 5.4\n\n```\n### Summary\n```go\nx := 1\n```\nmore\n```\n\n### Gemini 3.1 Pro\n\n```\nGemini body\n```\n";
    let p = parse_report(&report(body), "stem");
    let got: Vec<&str> = p.agents.iter().map(|a| a.agent.as_str()).collect();
    assert_eq!(got, vec!["codex", "gemini"]);
    assert!(p.agents[1].text.contains("Gemini body"));
}

#[test]
fn resolution_after_an_unbalanced_fence() {
    let text = "# Deep Review: r\n\n| | |\n|---|---|\n| **Date** | 2099-01-01 |\n| **Round** | 4 |\n\n## Appendix: Original Reviews\n\n### Codex GPT 5.4\n\n```\n```go\nx\n```\n```\n\n## Resolution\n\n| # | Finding | Action |\n|---|---|---|\n| 1 | Important #2: Leak | Fixed |\n";
    let p = parse_report(text, "stem");
    assert_eq!(p.resolutions.len(), 1);
    assert_eq!(p.resolutions[0].id, "I2");
    assert_eq!(p.resolutions[0].round, 4);
    assert!(!p.agents[0].text.contains("Resolution"));
}

#[test]
fn verdict_forms() {
    let v = parse_verdict("**Merge as-is** -- remaining items deferred");
    assert_eq!(v.decision, "merge-as-is");
    assert_eq!(v.reason, "remaining items deferred");
    let v = parse_verdict("**Ship it** — fine");
    assert_eq!(v.decision, "Ship it");
    assert_eq!(v.reason, "fine");
    let v = parse_verdict("**Merge with fixes** — one rework-worthy nit");
    assert_eq!(v.decision, "merge-with-fixes");
}

#[test]
fn retro_table_and_stats() {
    let body = "## Agent Performance Retro\n\n**[Claude]** prose\n\n### Summary\n\n| | Claude Opus 4.7 | Codex GPT 5.4 | Gemini 3.1 Pro |\n|---|---|---|---|\n| Duration | 15m 59s | 3:34 | 278 |\n| **Findings** | **5I 9S** | 2I 1S | 3I |\n| Tool calls | 88 (Bash 39, Read 9) | 21 (shell 20) | n/a |\n\n**Reconciliation:** Gemini C1 → Important (I1) because x.\n\nOverall, fine.\n\n## Appendix: Original Reviews\n\n### [Claude]\n\nx\n";
    let p = parse_report(&report(body), "stem");
    let t = p.reference.retro.clone().expect("retro");
    assert_eq!(
        t.columns,
        vec!["Claude Opus 4.7", "Codex GPT 5.4", "Gemini 3.1 Pro"]
    );
    assert_eq!(t.rows[1].metric, "Findings");
    assert_eq!(t.rows[1].values[0], "5I 9S");
    assert_eq!(p.stats["claude"].duration_s, Some(959.0));
    assert_eq!(p.stats["claude"].tool_calls, Some(88));
    assert_eq!(p.stats["codex"].duration_s, Some(214.0));
    assert_eq!(p.stats["gemini"].tool_calls, None);
    assert_eq!(
        p.reference.reconciliation,
        vec!["Gemini C1 → Important (I1) because x."]
    );
    let src = Source {
        kind: "report".into(),
        name: "x.md".into(),
        sha256: "sha256:0".into(),
    };
    let c = p.to_cassette(src).expect("cassette");
    assert_eq!(c.interactions[0].tool_calls, Some(88));
    assert_eq!(c.interactions[0].duration_s, Some(959.0));
}

#[test]
fn reconciliation_list_forms() {
    let body = "## Agent Performance Retro\n\n### Reconciliation\n\n- Gemini C1 race → Important (I1).\n  Same as Claude I1.\n- Gemini C2 → Important (I2).\n\n---\n\n**Reconciliation:**\n\n- A\n- B\n\nAfter.\n";
    let p = parse_report(&report(body), "stem");
    assert_eq!(
        p.reference.reconciliation,
        vec![
            "Gemini C1 race → Important (I1). Same as Claude I1.",
            "Gemini C2 → Important (I2).",
            "A",
            "B"
        ]
    );
}

#[test]
fn resolutions() {
    let text = "# Deep Review: r\n\n| | |\n|---|---|\n| **Date** | 2099-01-01 |\n| **Round** | 2 |\n\n## Resolution\n\n| | |\n|---|---|\n| **Addressed** | 2099-01-02 |\n\n| # | Finding | Action |\n|---|---|---|\n| 1 | Important #1: Leak in frob | Fixed (closed it) |\n| 2 | Important I2: Race | Skipped (by design) |\n| 3 | Suggestion #4: Typo | Commented |\n| 4 | Testing Gap #1: no test | Test written |\n| 5 | Critical #1: Boom | Test written (BATS) |\n| 6 | Suggestion #5: Odd | Pondered |\n";
    let p = parse_report(text, "stem");
    let got: Vec<(u32, &str, &str, ResolutionStatus, &str)> = p
        .resolutions
        .iter()
        .map(|r| {
            (
                r.round,
                r.id.as_str(),
                r.title.as_str(),
                r.status,
                r.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                2,
                "I1",
                "Leak in frob",
                ResolutionStatus::Fixed,
                "closed it"
            ),
            (2, "I2", "Race", ResolutionStatus::Declined, "by design"),
            (2, "S4", "Typo", ResolutionStatus::Declined, "commented"),
            (2, "C1", "Boom", ResolutionStatus::TestWritten, "BATS"),
        ]
    );
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.line == 21 && d.message.contains("Pondered"))
    );
}

proptest::proptest! {
    #[test]
    fn never_panics_on_shuffled_report_lines(
        picks in proptest::collection::vec(0usize..24, 0..60),
        noise in ".{0,12}",
    ) {
        const PARTS: [&str; 24] = [
            "# Deep Review: x", "| **Date** | 2099 |", "| **Round** | 9999999999999 |",
            "| **PR** | [#](u) — |", "| **Commits** | `a<br>`b` c |", "|---|---|",
            "## Appendix: Original Reviews", "### [Claude] — Pass 0", "### Codex GPT 5.4",
            "```", "```go", "## Critical Issues", "C1. **T** — `a:1` [Claude (x]",
            "1. **T** (", "**[IMPORTANT] x — y** [", "## Resolution",
            "| # | Finding | Action |", "| 1 | Important #99999999999: t | Fixed ( |",
            "## Agent Performance Retro", "| | Claude | Codex |", "| Duration | 1:2:x | 5 h |",
            "**Reconciliation:**", "- item", "",
        ];
        let mut text = String::new();
        for p in picks {
            text.push_str(PARTS.get(p).copied().unwrap_or(""));
            text.push_str(&noise);
            text.push('\n');
        }
        let _ = parse_report(&text, "s");
    }
}

#[test]
fn never_panics_on_odd_input() {
    for t in [
        "",
        "#",
        "# Deep Review:",
        "| **Date**",
        "## Appendix: Original Reviews\n### [Claude]",
        "## Critical Issues\nC",
        "## Critical Issues\n1. **",
        "## Critical Issues\n**[",
        "## Resolution\n| Finding | Action |\n| Important | |",
        "é|**ü**|\u{0}",
    ] {
        let _ = parse_report(t, "s");
    }
}

#[test]
fn appendix_headings_of_other_reports() {
    for h in [
        "Appendix: Original Reviews",
        "4. Appendix: Original Reviews",
        "Appendix A — Agent Reviews",
        "Original Reviews",
        "Raw Agent Outputs",
        "Individual Reviews",
        "Appendix: Full Review Output",
    ] {
        assert!(is_appendix_heading(h), "{h}");
    }
    for h in [
        "Agent Performance Retro",
        "Review Process Notes",
        "Executive Summary",
        "Suggestions",
        "Appendix: Glossary",
    ] {
        assert!(!is_appendix_heading(h), "{h}");
    }
}

#[test]
fn headings_of_listed_reviewers_of_unknown_families() {
    let reviewers = vec![crate::cassette::Reviewer {
        agent: "grok".into(),
        model: "Grok 4".into(),
        effort: None,
    }];
    let read = |h: &str| reviewer_heading(h, &reviewers);
    assert_eq!(
        read("[Grok 4] — Pass 2"),
        Some(("grok".into(), Some("Grok 4".into()), 2))
    );
    assert_eq!(read("Grok 4").map(|x| x.2), Some(1));
    assert_eq!(read("**Grok 4 Review**").map(|x| x.0), Some("grok".into()));
    assert_eq!(read("Grok 4 findings"), None);
    assert_eq!(read("Qwen3 Coder"), None);
}
