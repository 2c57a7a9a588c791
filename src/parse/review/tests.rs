use super::*;

fn parse(text: &str) -> ParseOutput {
    parse_review(text, 1)
}

/// `id severity classification | title | locations` for each finding.
fn summary(out: &ParseOutput) -> Vec<String> {
    out.review
        .findings
        .iter()
        .map(|f| {
            let locs: Vec<String> = f.locations.iter().map(ToString::to_string).collect();
            format!(
                "{} {} {} | {} | {}",
                f.raised_id.as_deref().unwrap_or("-"),
                f.severity,
                f.classification.as_deref().unwrap_or("-"),
                f.title,
                locs.join(" ")
            )
        })
        .collect()
}

#[test]
fn claude_style_id_items_under_severity_headings() {
    let out = parse(
        "# Review of the widget change\n\n## Executive Summary\n\nSolid change.\n\n\
         ## Findings\n\n### Critical Issues\n\nNone.\n\n### Important Issues\n\n\
         I1. **Cache is never invalidated** — `src/cache.rs:10-20` (important, regression)\n\n\
         The cache keeps stale entries; see also `src/store.rs:5`.\n\n\
         **Fix:** Clear it on write.\n\n```rust\ncache.clear();\n```\n\n\
         ### Suggestions\n\n\
         S1. **Rename `tmp`** — `src/a.rs:3` (suggestion, enhancement, pre-existing)\n",
    );
    assert_eq!(
        summary(&out),
        [
            "I1 important regression | Cache is never invalidated | src/cache.rs:10-20 src/store.rs:5",
            "S1 suggestion enhancement | Rename `tmp` | src/a.rs:3",
        ]
    );
    let f = &out.review.findings[0];
    assert_eq!(f.ordinal, 1);
    assert_eq!(f.line, 15);
    assert_eq!(
        f.body,
        "The cache keeps stale entries; see also `src/store.rs:5`."
    );
    assert_eq!(f.fix.as_deref(), Some("Clear it on write."));
    assert_eq!(f.code_blocks, ["cache.clear();"]);
    assert_eq!(out.review.findings[1].tags, ["pre-existing"]);
    assert_eq!(out.review.findings[1].ordinal, 2);
    assert_eq!(out.review.summary.as_deref(), Some("Solid change."));
    assert!(!out.review.explicit_no_findings);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn bold_id_title_with_dash_and_location_inside_bold() {
    let out = parse(
        "### Suggestions\n\n**S1. Loop exits early — `lib/run.go:4-9`** (suggestion, gap)\n\nBody.\n",
    );
    assert_eq!(
        summary(&out),
        ["S1 suggestion gap | Loop exits early | lib/run.go:4-9"]
    );
}

#[test]
fn bold_id_title_then_dash_location_and_tags() {
    let out = parse(
        "### Suggestions\n\n**S1. Cache `ttl` ignored** — `lib/c.go:4` (suggestion, gap)\n\n\
         **S2.** Plain title — `lib/d.go:9` `(suggestion, enhancement)`\n\n\
         **[S3] Bracketed id** — `lib/e.go:1`\n",
    );
    assert_eq!(
        summary(&out),
        [
            "S1 suggestion gap | Cache `ttl` ignored | lib/c.go:4",
            "S2 suggestion enhancement | Plain title | lib/d.go:9",
            "S3 suggestion - | Bracketed id | lib/e.go:1",
        ]
    );
}

#[test]
fn bold_id_dash_title_with_location_on_next_line() {
    let out = parse(
        "### Important Issues\n\n**I1 — Retry loop never backs off**\n`pkg/retry/retry.go:30-41`\n\nIt spins.\n\n\
         **I2 — Second thing**\n`pkg/b.go:2`\n",
    );
    assert_eq!(
        summary(&out),
        [
            "I1 important - | Retry loop never backs off | pkg/retry/retry.go:30-41",
            "I2 important - | Second thing | pkg/b.go:2",
        ]
    );
}

#[test]
fn numbered_bold_items_take_severity_from_section() {
    let out = parse(
        "#### Critical Issues\n\n1. **Data race on counter** — `pkg/c.go:12` (critical, regression)\n\n   \
         Details here.\n\n   1. **Step one**: not a finding.\n\n2. **Second** — `pkg/d.go:1`\n\n\
         #### Suggestions\n\n1. **Tidy** — `pkg/e.go:7`\n",
    );
    assert_eq!(
        summary(&out),
        [
            "- critical regression | Data race on counter | pkg/c.go:12",
            "- critical - | Second | pkg/d.go:1",
            "- suggestion - | Tidy | pkg/e.go:7",
        ]
    );
}

#[test]
fn heading_items_gemini_style() {
    let out = parse(
        "### Findings\n#### Important Issues\n#### I1. Token leaks into logs\n`cmd/main.go:8`\n\n\
         ##### Fix\nRedact it.\n#### Suggestions\n#### S2. Typo in help text\n(suggestion, gap) `cmd/help.go:3`\n",
    );
    assert_eq!(
        summary(&out),
        [
            "I1 important - | Token leaks into logs | cmd/main.go:8",
            "S2 suggestion gap | Typo in help text | cmd/help.go:3",
        ]
    );
}

#[test]
fn bracket_severity_heading_with_location_before_title() {
    let out = parse(
        "## Findings\n\n### **[CRITICAL] deploy.yaml:38 — Hard-coded user path**\n\n\
         **Classification:** regression (introduced by `abc1234`)\n\n**Problem:** The path is wrong.\n\n\
         **Fix:** Template it.\n\n---\n\n### **[SUGGESTION] util.go:5-7 — Comment grammar**\n\n\
         **Classification:** gap\n",
    );
    assert_eq!(
        summary(&out),
        [
            "- critical regression | Hard-coded user path | deploy.yaml:38",
            "- suggestion gap | Comment grammar | util.go:5-7",
        ]
    );
    let f = &out.review.findings[0];
    assert_eq!(f.body, "The path is wrong.");
    assert_eq!(f.fix.as_deref(), Some("Template it."));
}

#[test]
fn codex_bold_severity_word_lines() {
    let out = parse(
        "**Executive Summary**\n\nTwo problems.\n\n**Findings**\n\n\
         **CRITICAL** server.go:58 — Shutdown skips drain\nClassification: regression\n\
         Problem: The drain never runs.\nFix: Call drain first.\n\n\
         **IMPORTANT** server.go:73, client.go:12 — Retry storm\nClassification: gap\nProblem: Unbounded.\n\n\
         **Testing Assessment**\n\nNo tests cover shutdown.\n",
    );
    assert_eq!(
        summary(&out),
        [
            "- critical regression | Shutdown skips drain | server.go:58",
            "- important gap | Retry storm | server.go:73 client.go:12",
        ]
    );
    assert_eq!(
        out.review.findings[0].fix.as_deref(),
        Some("Call drain first.")
    );
    assert_eq!(out.review.findings[0].body, "The drain never runs.");
    assert_eq!(out.review.testing, ["No tests cover shutdown."]);
}

#[test]
fn bold_section_headers_and_tags_in_backticks() {
    let out = parse(
        "**Critical Issues**\n\nNone.\n\n**Important Issues**\n\n\
         I1. **Leaky handle** — `a/b.go:1` `(important, regression)`\n",
    );
    assert_eq!(
        summary(&out),
        ["I1 important regression | Leaky handle | a/b.go:1"]
    );
}

#[test]
fn tag_wins_over_section_with_note() {
    let out = parse("### Suggestions\n\n1. **Oops** — `x.go:1` (important, gap)\n");
    assert_eq!(summary(&out), ["- important gap | Oops | x.go:1"]);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].level, DiagnosticLevel::Note);
    assert_eq!(out.diagnostics[0].line, 3);
}

#[test]
fn id_letter_wins_over_section_with_note() {
    let out = parse("### Important Issues\n\nS4. **Minor** — `x.go:1`\n");
    assert_eq!(summary(&out), ["S4 suggestion - | Minor | x.go:1"]);
    assert_eq!(out.diagnostics[0].level, DiagnosticLevel::Note);
}

#[test]
fn en_dash_and_double_hyphen_separators() {
    let out = parse(
        "### Important Issues\n\nI1. **A** – `a.go:1` (important, gap)\n\nI2. **B** -- `b.go:2` (important, gap)\n",
    );
    assert_eq!(
        summary(&out),
        [
            "I1 important gap | A | a.go:1",
            "I2 important gap | B | b.go:2"
        ]
    );
}

#[test]
fn explicit_no_findings() {
    let out = parse(
        "## Findings\n\n### Critical Issues\n\nNone.\n\n### Important Issues\n\nNone found.\n\n### Suggestions\n\nNo issues.\n",
    );
    assert!(out.review.findings.is_empty());
    assert!(out.review.explicit_no_findings);
    assert!(out.diagnostics.is_empty());
}

#[test]
fn findings_none_heading_is_explicit() {
    let out = parse("## Findings: None\n\nThe change is clean.\n");
    assert!(out.review.explicit_no_findings);
    assert!(out.diagnostics.is_empty());
}

#[test]
fn summary_only_review_warns() {
    let out = parse("C1 (the hang), I1 (a leak). Full review in the workdir.\n");
    assert!(out.review.findings.is_empty());
    assert!(!out.review.explicit_no_findings);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].level, DiagnosticLevel::Warning);
    assert!(out.review.summary.is_some());
}

#[test]
fn empty_review_warns() {
    let out = parse("  \n\n");
    assert_eq!(out.review, ParsedReview::default());
    assert_eq!(out.diagnostics[0].message, "empty review");
}

#[test]
fn design_observations_with_scope() {
    let out = parse(
        "## Design Observations\n\n### Concerns\n\n\
         - **Global state** *(in-scope)*: The registry is global.\n\
         1. **Two writers** `(future)`\n   Both update status.\n\n\
         ### Strengths\n\n- **Small diff**: easy to review.\n",
    );
    let obs = &out.review.design_observations;
    assert_eq!(obs.len(), 3);
    assert_eq!(obs[0].kind, ObservationKind::Concern);
    assert_eq!(obs[0].scope, Some(Scope::InScope));
    assert_eq!(obs[0].title.as_deref(), Some("Global state"));
    assert_eq!(obs[0].text, "The registry is global.");
    assert_eq!(obs[1].scope, Some(Scope::Future));
    assert_eq!(obs[1].title.as_deref(), Some("Two writers"));
    assert_eq!(obs[1].text, "Both update status.");
    assert_eq!(obs[2].kind, ObservationKind::Strength);
    assert_eq!(obs[2].line, 11);
}

#[test]
fn bold_concerns_header_and_in_scope_bullets() {
    let out = parse(
        "### Design Observations\n\n**Concerns**\n\n- (in-scope) Leaks a goroutine.\n- (future) Split the file.\n",
    );
    let scopes: Vec<_> = out
        .review
        .design_observations
        .iter()
        .map(|o| o.scope)
        .collect();
    assert_eq!(scopes, [Some(Scope::InScope), Some(Scope::Future)]);
}

#[test]
fn testing_documentation_limitations_items() {
    let out = parse(
        "## Testing Assessment\n\nGaps:\n\n1. No test for retries.\n2. No test for\n   timeouts.\n\n\
         ## Documentation Assessment\n\nThe README is current.\n\n\
         ## Acknowledged Limitations\n\n- Windows only.\n\n## Commit Structure\n\nFine.\n",
    );
    assert_eq!(
        out.review.testing,
        ["No test for retries.", "No test for\ntimeouts."]
    );
    assert_eq!(out.review.documentation, ["The README is current."]);
    assert_eq!(out.review.limitations, ["Windows only."]);
}

#[test]
fn coverage_table_and_bullets() {
    let out = parse(
        "## Coverage Summary\n\n| File | Status |\n|---|---|\n| `pkg/a.go` | Reviewed, no issues |\n\
         | `pkg/b.go` | I1, S2 |\n| `go.sum` | Trivial |\n| `docs/x.md` | Skipped |\n\n\
         - `cmd/c.go`: Reviewed, no issues\n- **cmd/d.go** — Finding 3\n",
    );
    let cov: Vec<(String, CoverageStatus)> = out
        .review
        .coverage
        .iter()
        .map(|c| (c.path.clone(), c.status.clone()))
        .collect();
    assert_eq!(
        cov,
        [
            ("pkg/a.go".to_string(), CoverageStatus::ReviewedNoIssues),
            (
                "pkg/b.go".to_string(),
                CoverageStatus::Findings(vec!["I1".into(), "S2".into()])
            ),
            ("go.sum".to_string(), CoverageStatus::Trivial),
            (
                "docs/x.md".to_string(),
                CoverageStatus::Other("Skipped".into())
            ),
            ("cmd/c.go".to_string(), CoverageStatus::ReviewedNoIssues),
            (
                "cmd/d.go".to_string(),
                CoverageStatus::Findings(vec!["3".into()])
            ),
        ]
    );
}

#[test]
fn coverage_spelled_out_ids() {
    assert_eq!(
        coverage_status("Critical 1, Important 2"),
        CoverageStatus::Findings(vec!["C1".into(), "I2".into()])
    );
    assert_eq!(
        coverage_status("Suggestion 3 (commit scope)"),
        CoverageStatus::Findings(vec!["S3".into()])
    );
}

#[test]
fn bold_paragraph_observations_keep_their_bullets() {
    let out = parse(
        "## Design Observations\n\n### Concerns\n\n\
         - **Lists everything (in-scope, pre-existing)**. Each reconcile lists all.\n\n\
         **O1. Cleanup is too eager — `(in-scope)`**\n\n\
         It sweeps everything.\n\n- **Stop**: sweep.\n- **Blip**: keep.\n\nSo split the cases.\n\n\
         **O2. Odd state name — `(future)`**\n\nRename it.\n",
    );
    let mut obs = out.review.design_observations.clone();
    assert_eq!(obs.len(), 3, "{obs:#?}");
    obs.rotate_left(1);
    assert_eq!(obs[0].title.as_deref(), Some("Cleanup is too eager"));
    assert_eq!(obs[0].scope, Some(Scope::InScope));
    assert_eq!(
        obs[0].text,
        "It sweeps everything.\n\n- **Stop**: sweep.\n- **Blip**: keep.\n\nSo split the cases."
    );
    assert_eq!(obs[1].title.as_deref(), Some("Odd state name"));
    assert_eq!(obs[1].scope, Some(Scope::Future));
    assert_eq!(obs[2].title.as_deref(), Some("Lists everything"));
    assert_eq!(obs[2].scope, Some(Scope::InScope));
    assert_eq!(obs[2].text, "Each reconcile lists all.");
}

#[test]
fn numbered_title_only_observation_takes_next_paragraph() {
    let out = parse(
        "### Design Observations\n\n1. **Split the parser** (in-scope)\n\nIt does two jobs.\n\n\
         2. **Cache later** `(future)`\n\nNot needed yet.\n\n### Testing Assessment\n\nFine.\n",
    );
    let obs = &out.review.design_observations;
    assert_eq!(obs.len(), 2, "{obs:#?}");
    assert_eq!(obs[0].title.as_deref(), Some("Split the parser"));
    assert_eq!(obs[0].text, "It does two jobs.");
    assert_eq!(obs[1].scope, Some(Scope::Future));
    assert_eq!(obs[1].text, "Not needed yet.");
}

#[test]
fn verdict_forms() {
    assert_eq!(
        parse("**Verdict:** Merge with fixes.\n\n### Suggestions\n\nNone.\n")
            .review
            .verdict
            .as_deref(),
        Some("Merge with fixes.")
    );
    assert_eq!(
        parse("Recommendation: Rework\n").review.verdict.as_deref(),
        Some("Rework")
    );
    assert_eq!(
        parse("## Verdict\n\n**Approve** — small and safe.\n")
            .review
            .verdict
            .as_deref(),
        Some("Approve — small and safe.")
    );
    assert_eq!(
        parse("**Verdict: Approve** — tidy.\n")
            .review
            .verdict
            .as_deref(),
        Some("Approve — tidy.")
    );
}

#[test]
fn verdict_in_tables_bold_labels_and_prose() {
    let table = "| Item | Value |\n|---|---|\n| **Verdict** | **Approve** — fine. |\n";
    assert_eq!(
        parse(table).review.verdict.as_deref(),
        Some("Approve — fine.")
    );
    assert_eq!(
        parse("| Dimension | Verdict |\n|---|---|\n| Safety | ok |\n")
            .review
            .verdict,
        None
    );
    assert_eq!(
        parse("**Verdict** Needs changes\n")
            .review
            .verdict
            .as_deref(),
        Some("Needs changes")
    );
    assert_eq!(
        parse("**Author:** @a | **Verdict:** Approve with fixes\n")
            .review
            .verdict
            .as_deref(),
        Some("Approve with fixes")
    );
    let prose = "I1 (a leak). Verdict: Approve with minor fixes. Full review elsewhere.\n";
    assert_eq!(
        parse(prose).review.verdict.as_deref(),
        Some("Approve with minor fixes")
    );
}

#[test]
fn unknown_sections_are_skipped_silently() {
    let out = parse(
        "## Commit Structure\n\n1. **Squash** — `a.go:1`\n\n## Unresolved Feedback\n\nI1. **Old thing**\n\n\
         ## Findings\n\n### Suggestions\n\nS1. **Real** — `b.go:2`\n",
    );
    assert_eq!(summary(&out), ["S1 suggestion - | Real | b.go:2"]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn unparseable_finding_like_text_warns_with_line() {
    let out = parse("### Important Issues\n\n[IMPORTANT]\n\nI1. **Real** — `b.go:2`\n");
    assert_eq!(summary(&out), ["I1 important - | Real | b.go:2"]);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, 3);
    assert_eq!(out.diagnostics[0].level, DiagnosticLevel::Warning);
}

#[test]
fn finding_without_severity_is_skipped_with_warning() {
    let out = parse("## Findings\n\n1. **Orphan** — `a.go:1`\n\nC1. **Kept** — `b.go:1`\n");
    assert_eq!(summary(&out), ["C1 critical - | Kept | b.go:1"]);
}

#[test]
fn whole_review_wrapped_in_a_fence() {
    let out = parse(
        "```\nPreamble from the tool.\n\n## Findings\n\n### Important Issues\n\n\
         I1. **Wrapped** — `w.go:1`\n\n```go\nx := 1\n```\n\nAll files examined.```\n",
    );
    assert_eq!(summary(&out), ["I1 important - | Wrapped | w.go:1"]);
    assert_eq!(out.review.findings[0].code_blocks, ["x := 1"]);
    assert_eq!(out.review.findings[0].line, 8);
}

#[test]
fn first_line_offsets_lines() {
    let out = parse_review("### Suggestions\n\nS1. **T** — `a.go:1`\n", 100);
    assert_eq!(out.review.findings[0].line, 102);
}

#[test]
fn heading_levels_one_to_five() {
    let out = parse(
        "# My Review\n\n##### Critical Issues\n\nC1. **Deep** — `a.go:1`\n\n## Findings\n\n### Important Issues\n\nI1. **Mid** — `b.go:2`\n",
    );
    assert_eq!(
        summary(&out),
        [
            "C1 critical - | Deep | a.go:1",
            "I1 important - | Mid | b.go:2"
        ]
    );
}

#[test]
fn fix_label_with_parenthetical() {
    let out =
        parse("### Suggestions\n\nS1. **T** — `a.go:1`\n\nWhy.\n\nFix (optional):\n\nDo X.\n");
    assert_eq!(out.review.findings[0].fix.as_deref(), Some("Do X."));
    assert_eq!(out.review.findings[0].body, "Why.");
}

#[test]
fn suggested_fix_label_and_consolidation_note_end_fix() {
    let out = parse(
        "### Suggestions\n\nS1. **T** — `a.go:1`\n\nWhy.\n\nSuggested fix: do X.\nAnd Y.\n\n**Consolidation note:** Valid.\n",
    );
    let f = &out.review.findings[0];
    assert_eq!(f.fix.as_deref(), Some("do X.\nAnd Y."));
    assert_eq!(f.body, "Why.\n\n**Consolidation note:** Valid.");
}

#[test]
fn non_ascii_everywhere_does_not_panic() {
    let out =
        parse("### Suggestions\n\nS1. **Ünïcödé — ✓** — `ä/ö.go:1` (suggestion, gap)\n\n— ü\n");
    assert_eq!(
        summary(&out),
        ["S1 suggestion gap | Ünïcödé — ✓ | ä/ö.go:1"]
    );
}

proptest::proptest! {
    #[test]
    fn never_panics_on_garbage(s in "\\PC{0,400}") {
        let _ = parse_review(&s, 1);
    }

    #[test]
    fn never_panics_on_markdownish_garbage(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("**".to_string()),
                proptest::strategy::Just("`".to_string()),
                proptest::strategy::Just("\n".to_string()),
                proptest::strategy::Just("### Critical Issues\n".to_string()),
                proptest::strategy::Just("C1. ".to_string()),
                proptest::strategy::Just("[CRITICAL] ".to_string()),
                proptest::strategy::Just(" — ".to_string()),
                proptest::strategy::Just("(".to_string()),
                proptest::strategy::Just(")".to_string()),
                proptest::strategy::Just("a.go:1-".to_string()),
                proptest::strategy::Just("```\n".to_string()),
                proptest::strategy::Just("| a | b |\n".to_string()),
                proptest::strategy::Just("- ".to_string()),
                proptest::strategy::Just("1. ".to_string()),
                proptest::strategy::Just("é".to_string()),
                proptest::strategy::Just("## Coverage Summary\n".to_string()),
                proptest::strategy::Just("## Design Observations\n".to_string()),
                proptest::strategy::Just("Fix:".to_string()),
                proptest::strategy::Just("## Findings\n".to_string()),
                proptest::strategy::Just("### ".to_string()),
                proptest::strategy::Just("🔴 ".to_string()),
                proptest::strategy::Just("P1 — ".to_string()),
                proptest::strategy::Just("Critical: ".to_string()),
                proptest::strategy::Just("**Severity:** High\n".to_string()),
                proptest::strategy::Just("| Severity | Title | File |\n".to_string()),
                proptest::strategy::Just("|---|---|---|\n".to_string()),
                "\\PC{0,6}",
            ],
            0..60,
        )
    ) {
        let text = parts.concat();
        let out = parse_review(&text, 1);
        for (i, f) in out.review.findings.iter().enumerate() {
            proptest::prop_assert_eq!(f.ordinal as usize, i + 1);
            for l in &f.locations {
                proptest::prop_assert!(l.start <= l.end);
            }
        }
    }
}

#[test]
fn many_findings_are_all_parsed() {
    // Speed on large reviews is measured in `cargo bench` (parse-review), not here.
    let one = "### Important Issues\n\nI1. **Thing** — `pkg/a.go:1-2` (important, gap)\n\nBody text `b.go:3`.\n\n";
    let text = one.repeat(20_000);
    let out = parse(&text);
    assert_eq!(out.review.findings.len(), 20_000);
    assert_eq!(out.review.findings.last().map(|f| f.ordinal), Some(20_000));
}

#[test]
fn decorated_severity_headings() {
    use crate::model::Severity::*;
    for (text, sev, none) in [
        ("🔴 Critical", Critical, false),
        ("⚠️ Important Issues", Important, false),
        ("🟡 Suggestions", Suggestion, false),
        ("Critical (2)", Critical, false),
        ("High — 1 finding", Important, false),
        ("Severity: High", Important, false),
        ("Priority: P2", Suggestion, false),
        ("Medium Priority", Suggestion, false),
        ("Moderate", Suggestion, false),
        ("P0", Critical, false),
        ("P1 (3)", Important, false),
        ("P3 — none", Suggestion, true),
    ] {
        assert_eq!(
            classify_heading(text),
            HeadingClass::Severity(sev, none),
            "{text}"
        );
    }
    // A priority followed by a title is a finding, not a section.
    assert_eq!(
        classify_heading("P1 — Lease is never renewed"),
        HeadingClass::Unknown
    );
    // `Severity:` without a severity word after it is not a section.
    assert_eq!(
        classify_heading("Severity: see below"),
        HeadingClass::Unknown
    );
    assert_eq!(
        bold_header("**Critical Issues (1)**"),
        Some(HeadingClass::Severity(Severity::Critical, false))
    );
}

#[test]
fn priority_heading_is_a_finding() {
    let out = parse("## Findings\n\n### P1 — Lease is never renewed\n\n`a/b.go:3` runs once.\n");
    assert_eq!(
        summary(&out),
        ["- important - | Lease is never renewed | a/b.go:3"]
    );
}

#[test]
fn severity_label_needs_a_title_right_before_it() {
    // Prose between the heading and the label: the heading is a plain section.
    let out = parse("## Issues\n\n### Notes\n\nSome prose first.\n\n**Severity:** High\n");
    assert!(out.review.findings.is_empty(), "{:?}", summary(&out));
    // Outside a findings section a labelled heading is not a finding.
    let out = parse("## Design\n\n### Layering\n**Severity:** High\n\nText.\n");
    assert!(out.review.findings.is_empty(), "{:?}", summary(&out));
}

#[test]
fn count_table_in_findings_is_not_a_findings_table() {
    let out = parse(
        "## Findings\n\n| Severity | Count |\n|---|---|\n| Critical | 0 |\n\n\
         ### Important\n\n- **Title here** (`a.go:1`)\n",
    );
    assert_eq!(summary(&out), ["- important - | Title here | a.go:1"]);
}

#[test]
fn findings_table_with_ids_and_odd_cells_never_panics() {
    let out = parse(
        "## Findings\n\n| ID | Title | Priority | Where |\n|--|--|--|--|\n\
         | I1 | Leak in `open` | P1 | `x/y.rs:4` |\n| é | ✓ | 🔴 |\n| | | |\n",
    );
    assert_eq!(
        summary(&out),
        ["I1 important - | Leak in `open` | x/y.rs:4"]
    );
    let warned: Vec<u32> = out
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Warning)
        .map(|d| d.line)
        .collect();
    assert_eq!(warned, [6, 7], "{:?}", out.diagnostics);
}

#[test]
fn split_priority_forms() {
    use crate::model::Severity::*;
    assert_eq!(
        split_priority("P1 — Title"),
        Some((Important, " Title", false))
    );
    assert_eq!(
        split_priority("P0:** Title"),
        Some((Critical, "** Title", false))
    );
    assert_eq!(
        split_priority("P2** Title"),
        Some((Suggestion, " Title", true))
    );
    assert_eq!(split_priority("P12. Title"), None);
    assert_eq!(split_priority("P4: Title"), None);
    assert_eq!(split_priority("P1 Title"), None);
    assert_eq!(split_priority("Pé"), None);
    assert_eq!(split_priority("é1: x"), None);
}

#[test]
fn severity_prefixed_title_forms() {
    use crate::model::Severity::*;
    assert_eq!(
        severity_prefixed_title("Critical: Lease lapses early"),
        Some((Critical, "Lease lapses early".to_string()))
    );
    assert_eq!(
        severity_prefixed_title("3. **P2 — Rename `x` now**"),
        Some((Suggestion, "Rename `x` now".to_string()))
    );
    for not_a_title in [
        "Critical Issues: none",
        "High — 1 finding",
        "Critical (2)",
        "Important: none found",
        "Low: nits",
        "Severity: High",
        "Summary: all good here",
        "—",
        "é: ü ö",
    ] {
        assert_eq!(severity_prefixed_title(not_a_title), None, "{not_a_title}");
    }
}

#[test]
fn many_labelled_and_table_findings_are_all_parsed() {
    let one = "### Title of it\n**Severity:** High\n**File:** `a.go:1`\n\nBody.\n\n";
    let out = parse(&format!("## Issues\n\n{}", one.repeat(10_000)));
    assert_eq!(out.review.findings.len(), 10_000);
    let rows = "| High | `a.go:2` | Row title |\n".repeat(10_000);
    let out = parse(&format!(
        "## Findings\n\n| Severity | File | Finding |\n|--|--|--|\n{rows}"
    ));
    assert_eq!(out.review.findings.len(), 10_000);
}

/// The text shapes of finding lines: dashes, code spans, brackets, tags, paths.
fn line_strategy() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(vec![
            " ",
            " — ",
            " – ",
            " -- ",
            "—",
            "-",
            "--",
            "`",
            "(",
            ")",
            "[",
            "]",
            ",",
            ":",
            "*",
            "a.go:12",
            "pkg/x.rs",
            "(high, gap)",
            "(critical)",
            "Title",
            "é",
            "🔴",
            "x",
            "1",
            "[a.go:3](/r/pkg/a.go#L3)",
        ]),
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

use proptest::strategy::Strategy as _;

/// The char-by-char `split_dashes` the byte scan replaced.
fn split_dashes_by_char(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut in_code = false;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
        }
        if !in_code && c == ' ' {
            let next = chars.get(i + 1).copied();
            let next2 = chars.get(i + 2).copied();
            let next3 = chars.get(i + 3).copied();
            if matches!(next, Some('—') | Some('–')) && matches!(next2, Some(' ') | None) {
                parts.push(std::mem::take(&mut cur));
                i += 2;
                continue;
            }
            if next == Some('-') && next2 == Some('-') && matches!(next3, Some(' ') | None) {
                parts.push(std::mem::take(&mut cur));
                i += 3;
                continue;
            }
        }
        cur.push(c);
        i += 1;
    }
    parts.push(cur);
    parts
}

/// The allocating `is_meta_line` and `is_location_only` the cheaper ones replaced.
fn is_meta_line_slow(s: &str) -> bool {
    if extract_locations(s).is_empty() && parse_tag_groups(s).is_empty() {
        return false;
    }
    let mut rest = String::new();
    let mut in_code = false;
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '`' => in_code = !in_code,
            '(' | '[' if !in_code => depth += 1,
            ')' | ']' if !in_code => depth = depth.saturating_sub(1),
            _ if in_code || depth > 0 => {}
            _ => rest.push(c),
        }
    }
    rest.chars().all(|c| !c.is_alphanumeric())
}

fn is_location_only_slow(s: &str) -> bool {
    if extract_locations(s).is_empty() {
        return false;
    }
    let rest: String = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| extract_locations(w).is_empty())
        .collect::<Vec<_>>()
        .join("");
    rest.trim_matches(|c: char| !c.is_alphanumeric()).is_empty()
}

proptest::proptest! {
    #[test]
    fn fast_line_helpers_agree_with_the_slow_ones(s in line_strategy()) {
        let fast: Vec<String> = split_dashes(&s).into_iter().map(str::to_string).collect();
        proptest::prop_assert_eq!(fast, split_dashes_by_char(&s));
        proptest::prop_assert_eq!(is_meta_line(&s), is_meta_line_slow(&s));
        proptest::prop_assert_eq!(is_location_only(&s), is_location_only_slow(&s));
    }
}

fn locations_strategy() -> impl proptest::strategy::Strategy<Value = Vec<Location>> {
    proptest::collection::vec((0usize..3, proptest::option::of(1u32..4)), 0..24).prop_map(|raw| {
        raw.iter()
            .map(|&(p, line)| Location {
                path: ["a.go", "b.go", "c/d.rs"][p].to_string(),
                start: line,
                end: line,
            })
            .collect()
    })
}

proptest::proptest! {
    /// The pairwise location merging agrees with the set-based one it replaced.
    #[test]
    fn location_merging_agrees_with_sets(
        title in locations_strategy(),
        body in locations_strategy(),
    ) {
        let mut want = title.clone();
        let mut seen: BTreeSet<Location> = want.iter().cloned().collect();
        for l in body.clone() {
            if seen.insert(l.clone()) {
                want.push(l);
            }
        }
        let with_lines: BTreeSet<String> = want
            .iter()
            .filter(|l| l.start.is_some())
            .map(|l| l.path.clone())
            .collect();
        want.retain(|l| l.start.is_some() || !with_lines.contains(&l.path));
        let mut got = title;
        append_new(&mut got, body);
        drop_bare_cited_with_lines(&mut got);
        proptest::prop_assert_eq!(got, want);
    }
}

/// The `label_of` of before the prefilter: emphasis stripped from the whole
/// line, the head lowercased and matched.
fn label_of_slow(line: &str) -> Option<(Label, String)> {
    let s = strip_emphasis(line);
    let (head, rest) = s.split_once(':')?;
    let head_l = head.trim().to_ascii_lowercase();
    if head_l.is_empty() || head_l.chars().count() > 30 || head_l.contains('`') {
        return None;
    }
    let head_l = match head_l.split_once(" (") {
        Some((h, _)) if head_l.ends_with(')') => h.trim().to_string(),
        _ => head_l,
    };
    let label = match head_l.as_str() {
        "fix" | "suggested fix" | "recommended fix" | "proposed fix" | "fix suggestion"
        | "suggestion" | "remediation" | "recommendation" | "suggested change" => Label::Fix,
        "classification" | "type" | "category" | "tags" => Label::Classification,
        "severity" | "priority" => Label::Severity,
        "location" | "locations" | "file" | "files" | "where" => Label::Location,
        "problem" | "issue" | "description" | "details" => Label::Problem,
        "impact" | "why" | "evidence" | "consolidation note" | "note" | "context" | "risk"
        | "scenario" | "failure mode" | "reproduction" | "example" | "verification" => Label::Other,
        _ => return None,
    };
    let after = match line.find(':') {
        Some(i) => line[i + 1..].trim_start_matches('*').trim().to_string(),
        None => rest.trim().to_string(),
    };
    Some((label, after))
}

proptest::proptest! {
    #[test]
    fn label_prefilter_loses_no_label(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "**", "*", "_", "__", " ", "  ", ":", "Fix", "fIX", "Suggested fix", " (optional)",
                "Severity", "`", "a_b", "é", "x", "Impact", "Location", "abcdefghij", "_:", "x_",
                "Failure MODE", "\t",
            ]),
            0..10,
        )
    ) {
        let line = parts.concat();
        proptest::prop_assert_eq!(
            label_of(&line).map(|(l, r)| (l, r.to_string())),
            label_of_slow(&line),
            "{}",
            line
        );
        proptest::prop_assert_eq!(label_kind(&line), label_of_slow(&line).map(|(l, _)| l));
    }
}

proptest::proptest! {
    /// Paragraphs built line by line read as the lines joined at the end.
    #[test]
    fn paragraphs_agree_with_join(
        lines in proptest::collection::vec(
            proptest::sample::select(vec!["", "a", "b c", "BLANK"]),
            0..12,
        )
    ) {
        let mut kept: Vec<String> = Vec::new();
        let mut p = Paragraphs::default();
        for l in lines {
            if l == "BLANK" {
                if kept.last().is_some_and(|l| !l.is_empty()) {
                    kept.push(String::new());
                }
                p.blank();
            } else {
                kept.push(l.to_string());
                p.push(l);
            }
            proptest::prop_assert_eq!(p.is_empty(), kept.is_empty());
        }
        proptest::prop_assert_eq!(p.text, join_paragraphs(&kept));
    }

    /// Lines joined from the vector taken give what joining them borrowed
    /// gives, and a trim that moves its text what a trimmed copy gives.
    #[test]
    fn paragraphs_joined_from_taken_lines_agree_with_the_borrowed_join(
        lines in proptest::collection::vec(
            proptest::sample::select(vec!["", "", "a", "b c", " d ", "é", "\u{a0}x", "\t"]),
            0..6,
        )
    ) {
        let lines: Vec<String> = lines.into_iter().map(str::to_string).collect();
        let joined = join_paragraphs(&lines);
        proptest::prop_assert_eq!(trimmed_owned(joined.clone()), joined.trim().to_string());
        proptest::prop_assert_eq!(join_paragraphs_owned(lines), joined);
    }
}

/// The form [`severity_labelled_at`] replaced: every line's answer, computed
/// before parsing whether the parser would ask or not.
fn severity_labelled(lines: &[Line<'_>]) -> Vec<bool> {
    const MAX_LABELS: usize = 6;
    let mut out = vec![false; lines.len()];
    for (i, line) in lines.iter().enumerate() {
        let title = match &line.kind {
            LineKind::Heading { .. } => true,
            LineKind::Text => {
                let t = line.text.trim();
                t.starts_with("**") && !is_label_line(t)
            }
            LineKind::ListItem { indent, text, .. } => {
                *indent < 2 && text.starts_with("**") && !is_label_line(text)
            }
            _ => false,
        };
        if !title {
            continue;
        }
        let mut labels = 0;
        for next in lines.iter().skip(i + 1) {
            match &next.kind {
                LineKind::Blank if labels == 0 => continue,
                LineKind::Text | LineKind::ListItem { .. } => {}
                _ => break,
            }
            let t = next.text.trim();
            if !is_label_line(t) {
                break;
            }
            let item = strip_bullet(t);
            if label_kind(item) == Some(Label::Severity) {
                let rest = label_of(item).map(|(_, r)| r).unwrap_or_default();
                if first_severity_word(rest).is_some() {
                    out[i] = true;
                    break;
                }
            }
            labels += 1;
            if labels >= MAX_LABELS {
                break;
            }
        }
    }
    out
}

/// Review-like text: the pieces the parser's decisions turn on, in any order.
fn markdownish() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::{Just, Strategy};
    proptest::collection::vec(
        proptest::prop_oneof![
            Just("**".to_string()),
            Just("`".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("   ".to_string()),
            Just("### Critical Issues\n".to_string()),
            Just("## Findings\n".to_string()),
            Just("### ".to_string()),
            Just("C1. ".to_string()),
            Just("- ".to_string()),
            Just("1. ".to_string()),
            Just("**Title**".to_string()),
            Just("**Severity:** High\n".to_string()),
            Just("- **File**: a.go:1\n".to_string()),
            Just("Severity: low".to_string()),
            Just("**Fix:** ".to_string()),
            Just("Priority: P1".to_string()),
            Just("Verdict: ".to_string()),
            Just("**Recommendation** ".to_string()),
            Just("| **Verdict** | Approve |\n".to_string()),
            Just("| File | Status |\n".to_string()),
            Just("|---|---|\n".to_string()),
            Just(" — ".to_string()),
            Just("(critical, gap)".to_string()),
            Just("`pkg/a.go:1-2`".to_string()),
            Just(":".to_string()),
            Just("_".to_string()),
            Just("é".to_string()),
            "[a-zA-Z ]{0,8}",
            "\\PC{0,4}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

/// The vector of a review's lines is kept, emptied, with its room, for the
/// thread's next review (collected in place); a larger one is not kept.
#[test]
fn a_reviews_lines_vector_is_kept_with_its_room() {
    drop(kept_lines());
    let text = "## Summary\n\nFine.\n\n".repeat(10);
    let first = parse(&text);
    let kept = kept_lines();
    assert!(kept.is_empty());
    assert!(kept.capacity() >= 40, "room {}", kept.capacity());
    keep_lines(kept);
    assert_eq!(parse(&text), first);
    let long = "\n".repeat(KEPT_LINES + 1) + "C1. **A** — `a.go:1`\n";
    let _ = parse(&long);
    assert_eq!(kept_lines().capacity(), 0);
}

proptest::proptest! {
    /// A review parsed into the kept vector of the last one gives what it
    /// gives parsed first on its thread (into a new vector), whatever the
    /// last review was.
    #[test]
    fn parsing_into_the_kept_lines_agrees_with_a_new_vector(
        before in markdownish(),
        text in markdownish(),
    ) {
        drop(kept_lines());
        let fresh = parse(&text);
        let _ = parse(&before);
        proptest::prop_assert_eq!(parse(&text), fresh);
    }
}

proptest::proptest! {
    /// Asked line by line, the labelled-title test gives what the whole-review
    /// form gave.
    #[test]
    fn labelled_at_agrees_with_the_whole_review_form(text in markdownish()) {
        let lines = markdown::scan(&text, 1);
        let all = severity_labelled(&lines);
        for (i, &want) in all.iter().enumerate() {
            proptest::prop_assert_eq!(severity_labelled_at(&lines, i), want, "line {}", i);
        }
    }
}

/// The form [`label_colon`] replaced: the first colon of the whole line, then
/// the test of the text before it.
fn label_colon_by_find(line: &str) -> Option<usize> {
    let colon = line.find(':')?;
    let before_colon = &line[..colon];
    if before_colon.contains('`')
        || before_colon
            .chars()
            .filter(|c| !matches!(c, '*' | '_') && !c.is_whitespace())
            .count()
            > 30
    {
        return None;
    }
    Some(colon)
}

proptest::proptest! {
    #[test]
    fn label_colon_agrees_with_find(line in "[a-z*_ \t\u{b}\u{a0}\u{3000}é`:]{0,60}") {
        proptest::prop_assert_eq!(label_colon(&line), label_colon_by_find(&line));
    }
}

/// The form [`parse_tag_groups`] replaced: every group's items copied, then
/// tested.
fn parse_tag_groups_copying(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(')') else {
            break;
        };
        let inner = &after[..close];
        let items: Vec<String> = inner
            .split([',', ';', '/'])
            .map(|x| {
                strip_emphasis_cow(x)
                    .trim()
                    .trim_matches('`')
                    .trim()
                    .to_string()
            })
            .filter(|x| !x.is_empty())
            .collect();
        if !items.is_empty()
            && items.iter().any(|x| is_known_tag(x))
            && items.iter().all(|x| x.chars().count() <= 40)
        {
            out.extend(items);
        }
        rest = &after[close + 1..];
    }
    out
}

proptest::proptest! {
    #[test]
    fn tag_groups_agree_with_the_copying_form(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "(", ")", ",", ";", "/", " ", "`", "*", "_", "**", "critical", "Gap", "P1",
                "in-scope", "x", "é", "abcdefghijklmnopqrstuvwxyz", "high", "a_b",
            ]),
            0..24,
        )
    ) {
        let s = parts.concat();
        let want = parse_tag_groups_copying(&s);
        proptest::prop_assert_eq!(has_tag_group(&s), !want.is_empty());
        proptest::prop_assert_eq!(parse_tag_groups(&s), want);
    }
}

proptest::proptest! {
    /// The verdict prefilter never hides a verdict.
    #[test]
    fn verdict_prefilter_loses_no_verdict(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "**", "*", "_", "__", " ", ":", "|", "\\|", "-", "#", ".", ". ", " | ",
                "Verdict", "vERdict", "ver*dict", "verd_ict", "Recommendation", "recommend",
                "Overall", "Final", "overall verdict", "x", "é", "Approve", "`",
                "t:", "N :", "verdict\u{a0}:", "\t", "a.go:12", "n*:", "Verdict_:",
            ]),
            0..14,
        )
    ) {
        let line = parts.concat();
        if verdict_of_named(&line).is_some() {
            proptest::prop_assert!(mentions_verdict(&line), "{}", line);
            proptest::prop_assert!(may_hold_verdict(&line), "{}", line);
        }
        proptest::prop_assert_eq!(verdict_of(&line), verdict_of_named(&line));
    }
}

/// The form [`mentions_verdict`] replaced: every byte of the line stepped
/// through both words.
fn mentions_verdict_by_steps(line: &str) -> bool {
    // Neither word repeats its first letter, so a mismatch can only restart a
    // match at the byte that broke it.
    fn step(word: &[u8], at: &mut usize, b: u8) -> bool {
        if word.get(*at) == Some(&b) {
            *at += 1;
        } else {
            *at = usize::from(word.first() == Some(&b));
        }
        *at == word.len()
    }
    let (mut v, mut r) = (0, 0);
    for &b in line.as_bytes() {
        if matches!(b, b'*' | b'_') {
            continue;
        }
        let b = b.to_ascii_lowercase();
        if step(b"verdict", &mut v, b) | step(b"recommendation", &mut r, b) {
            return true;
        }
    }
    false
}

proptest::proptest! {
    #[test]
    fn mentions_verdict_is_the_stepping_form(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "v", "V", "e", "r", "d", "D", "i", "c", "t", "T", "o", "m", "n", "a",
                "*", "_", "**", " ", "é", "ver", "dict", "recom", "mendation", "verdic",
                "Verdict", "RECOMMENDATION", "recommen", "ation", "|", ":", "ǅ",
            ]),
            0..16,
        )
    ) {
        let line = parts.concat();
        proptest::prop_assert_eq!(
            mentions_verdict(&line),
            mentions_verdict_by_steps(&line),
            "{}",
            line
        );
    }
}

/// The form [`split_dashes`] replaced: every space outside code tried as the
/// start of a separator.
fn split_dashes_trying_every_space(s: &str) -> Vec<&str> {
    let bytes = s.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'`' {
            in_code = !in_code;
        }
        if !in_code && c == b' ' {
            let rest = &s[i + 1..];
            let sep = ["—", "–", "--"].into_iter().find(|d| {
                rest.strip_prefix(d)
                    .is_some_and(|after| after.is_empty() || after.starts_with(' '))
            });
            if let Some(d) = sep {
                parts.push(&s[start..i]);
                i += 1 + d.len();
                start = i;
                continue;
            }
        }
        i += 1;
    }
    parts.push(&s[start..]);
    parts
}

proptest::proptest! {
    #[test]
    fn dash_split_agrees_with_trying_every_space(s in "[a `—–\\-é€]{0,40}") {
        proptest::prop_assert_eq!(split_dashes(&s), split_dashes_trying_every_space(&s));
    }
}

proptest::proptest! {
    #[test]
    fn tag_item_split_agrees_with_str_split(s in "[a,;/é ]{0,16}") {
        let bytes: Vec<&str> = split_tag_items(&s).collect();
        proptest::prop_assert_eq!(bytes, s.split([',', ';', '/']).collect::<Vec<_>>());
    }
}

proptest::proptest! {
    /// Statuses without a digit name no finding.
    #[test]
    fn finding_ids_need_a_digit(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "C", "I", "S", "1", "12", " ", ",", "Critical", "Suggestion", "suggestions", "x",
                "é", "٣", "+",
            ]),
            0..8,
        )
    ) {
        let s = parts.concat();
        proptest::prop_assert_eq!(finding_ids(&s), finding_ids_in_words(&s));
    }
}

/// The words of each label, lowercase: the list [`label_named`] was searched
/// in before it matched bytes.
const LABELS: [(&[&str], Label); 6] = [
    (
        &[
            "fix",
            "suggested fix",
            "recommended fix",
            "proposed fix",
            "fix suggestion",
            "suggestion",
            "remediation",
            "recommendation",
            "suggested change",
        ],
        Label::Fix,
    ),
    (
        &["classification", "type", "category", "tags"],
        Label::Classification,
    ),
    (&["severity", "priority"], Label::Severity),
    (
        &["location", "locations", "file", "files", "where"],
        Label::Location,
    ),
    (
        &["problem", "issue", "description", "details"],
        Label::Problem,
    ),
    (
        &[
            "impact",
            "why",
            "evidence",
            "consolidation note",
            "note",
            "context",
            "risk",
            "scenario",
            "failure mode",
            "reproduction",
            "example",
            "verification",
        ],
        Label::Other,
    ),
];

/// [`label_named`] as it was: the list searched word by word.
fn label_named_by_list(head: &str) -> Option<Label> {
    LABELS
        .iter()
        .find(|(words, _)| words.iter().any(|w| head.eq_ignore_ascii_case(w)))
        .map(|&(_, label)| label)
}

#[test]
fn label_named_reads_every_listed_word_in_any_case() {
    for (words, label) in LABELS {
        for w in words {
            for v in [
                w.to_string(),
                w.to_ascii_uppercase(),
                format!("{w}x"),
                w[1..].to_string(),
            ] {
                assert_eq!(label_named(&v), label_named_by_list(&v), "{v}");
            }
            assert_eq!(label_named(w), Some(label), "{w}");
        }
    }
}

proptest::proptest! {
    #[test]
    fn label_named_agrees_with_the_list(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "fix", "FIX", "suggested", " ", "Fix", "note", "consolidation", "failure", "mode",
                "é", "K", "x", "s", "where", "Tags", "\u{212a}",
            ]),
            0..4,
        )
    ) {
        let head = parts.concat();
        proptest::prop_assert_eq!(label_named(&head), label_named_by_list(&head), "{}", head);
    }
}

proptest::proptest! {
    /// A title cleaned from its own copy reads as one cleaned from a slice.
    #[test]
    fn clean_title_owned_agrees_with_clean_title(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "**", "*", "_", "a_b", " ", ":", "—", "–", ",", "-", "`", "Title", "é", "\u{a0}",
            ]),
            0..10,
        )
    ) {
        let t = parts.concat();
        proptest::prop_assert_eq!(clean_title_owned(t.clone()), clean_title(&t));
    }

    /// Titles without a dash byte are not split, as splitting them gave.
    #[test]
    fn split_title_agrees_with_split_dashes_first(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                " ", "—", "–", "--", "-", "`", "a.go:1", "(critical)", "Title", "é", "**", ")",
            ]),
            0..10,
        )
    ) {
        let t = parts.concat();
        let by_dashes = if split_dashes(&t).len() < 2 { Some(split_trailing_meta(&t)) } else { None };
        if let Some(want) = by_dashes {
            proptest::prop_assert_eq!(split_title(&t), want);
        }
    }
}

proptest::proptest! {
    /// The status's substring test finds what `str::contains` finds.
    #[test]
    fn has_text_agrees_with_contains(hay in "[no isue é]{0,16}", needle in "[no isue é]{0,4}") {
        proptest::prop_assert_eq!(has_text(&hay, &needle), hay.contains(needle.as_str()));
    }
}

proptest::proptest! {
    /// Coverage header cells read in any case, without copies, as through
    /// lowercased copies.
    #[test]
    fn coverage_header_without_copies_agrees_with_the_lowercased_form(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "Reviewed", "REVIEWED", "reviewed", ", ", "no issues", "No Issue", "NO FINDINGS",
                "Trivial", "trivial", "Not reviewed", "SKIPPED", "ok", "OK", "Clean", "clean",
                "Finding", "findings", "FINDINGS", " 3", "12", ".", "**", "*", "_", " ", "é",
                "İ", "C1", "Critical 2", "file", "File ", "PATH", "files", "x", "\u{a0}",
            ]),
            0..8,
        )
    ) {
        let s = parts.concat();
        let lower = s.to_ascii_lowercase();
        let header = lower == "file" || lower == "path" || lower == "files" || lower.starts_with("file ");
        proptest::prop_assert_eq!(is_coverage_header(&s), header);
    }
}

/// The form [`parse_item_start`] replaced: the tail copied into a new string
/// (what `split_title` left, a space, what follows the bold), its tags copied
/// out of their groups and then applied.
fn parse_item_start_copying(text: &str, need_explicit: bool) -> Option<ItemStart> {
    let (mut start, bold, rest) = item_head(text, need_explicit)?;
    let (title_raw, after) = if bold {
        match rest.find("**") {
            Some(i) => (&rest[..i], &rest[i + 2..]),
            None => (rest, ""),
        }
    } else {
        (rest, "")
    };
    let (title, mut tail) = split_title(title_raw);
    tail.push(' ');
    tail.push_str(after);
    let title_tags = parse_tag_groups(&tail);
    let locations = extract_locations(&tail);
    start.after_title_has_location = !locations.is_empty() || !title_tags.is_empty();
    start.locations = locations;
    for tag in title_tags {
        apply_tag(
            &mut start.tag_severity,
            &mut start.classification,
            &mut start.tags,
            &tag,
        );
    }
    let title = clean_title_owned(title);
    if title.is_empty() && (!start.explicit || start.locations.is_empty()) {
        return None;
    }
    let after_open = trim_ws(text);
    let after_open = after_open.strip_prefix("**").unwrap_or(after_open);
    if start.id.is_none() && split_priority(after_open).is_some() && is_none_marker(&title) {
        return None;
    }
    if !start.explicit && need_explicit {
        return None;
    }
    start.title = title;
    Some(start)
}

/// The shapes of a finding's first line: ids, severity tags, bold titles,
/// dashes, code spans, locations and tag groups.
fn item_line_strategy() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(vec![
            "**",
            "C1. ",
            "I2: ",
            "[S3] ",
            "[CRITICAL] ",
            "HIGH** ",
            "P1 — ",
            "P0:** ",
            " ",
            " — ",
            " – ",
            " -- ",
            "-",
            "`",
            "(",
            ")",
            "[",
            "]",
            ",",
            ":",
            "*",
            "_",
            "`a.go:12`",
            "pkg/x.rs:3-4",
            "`pkg/x.rs`",
            "(high, gap)",
            "(critical)",
            "(in-scope, *regression*)",
            "Title",
            "Nil map write",
            "None",
            "é",
            "🔴",
            "x",
            "1",
            "[a.go:3](/r/pkg/a.go#L3)",
            "`110-116`",
        ]),
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest::proptest! {
    #[test]
    fn item_start_agrees_with_the_copying_form(
        line in item_line_strategy(),
        need_explicit in proptest::bool::ANY,
    ) {
        proptest::prop_assert_eq!(
            parse_item_start(&line, need_explicit),
            parse_item_start_copying(&line, need_explicit),
            "{}", line
        );
    }

    #[test]
    fn tags_applied_in_place_agree_with_the_copied_list(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "(", ")", ",", ";", "/", " ", "`", "*", "_", "**", "critical", "Gap", "P1",
                "in-scope", "x", "é", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
                "high", "a_b", "regression", "low",
            ]),
            0..24,
        )
    ) {
        let s = parts.concat();
        let (mut sev, mut class, mut tags) = (None, None, Vec::new());
        let counted = apply_tag_groups(&s, &mut sev, &mut class, &mut tags);
        let listed = parse_tag_groups(&s);
        let (mut sev2, mut class2, mut tags2) = (None, None, Vec::new());
        for tag in &listed {
            apply_tag(&mut sev2, &mut class2, &mut tags2, tag);
        }
        proptest::prop_assert_eq!(counted, !listed.is_empty());
        proptest::prop_assert_eq!((sev, class, tags), (sev2, class2, tags2));
    }
}

proptest::proptest! {
    /// A bold label read by its letters is the label read at its colon.
    #[test]
    fn bold_labels_read_by_their_letters_agree_with_the_colon_reading(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "**", "*", "Fix", "fix", "Suggested fix", " ", ":", "Severity", "x", "é", "`",
                "_", "(", ")", "Problem", "abcdefghijklmnopqrstuvwxyzabcdef", "\t", "Note",
                "**Fix:**", "**Severity**:", "**Fix (optional):**",
            ]),
            0..8,
        )
    ) {
        let line = parts.concat();
        proptest::prop_assert_eq!(label_at(&line), label_at_colon(&line), "{}", line);
    }
}

/// [`split_severity_tag`] as it was: the closing bold looked for first.
fn split_severity_tag_finding_bold_first(
    t: &str,
    bold_open: bool,
) -> Option<(Severity, &str, bool)> {
    if let Some(tag) = split_marked_severity_tag(t, bold_open) {
        return tag;
    }
    if bold_open {
        return bold_severity_tag(t);
    }
    None
}

proptest::proptest! {
    #[test]
    fn severity_tags_told_by_their_first_letters_agree_with_the_bold_search(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "**", "HIGH", "High", "high", "The", "T", "h", "CRITICAL:", " ", "\u{a0}", ":",
                "— x", "x", "é", "[", "]", "P1", "Ab", "A", "b",
            ]),
            0..8,
        ),
        bold_open in proptest::bool::ANY,
    ) {
        let t = parts.concat();
        proptest::prop_assert_eq!(
            split_severity_tag(&t, bold_open),
            split_severity_tag_finding_bold_first(&t, bold_open),
            "{}", t
        );
    }
}

proptest::proptest! {
    /// A text the first-byte test rules out has no id and no severity tag.
    #[test]
    fn explicit_starts_ruled_out_by_their_first_byte_have_no_id_or_tag(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "**", "C1", "C", "I2", "S3", "c1", "P1", "p2", "P", "[", "]", "HIGH", "High",
                "CRITICAL", "The", "x", "é", " ", "\u{a0}", "\t", "\u{b}", ":", ".", "— ", "1",
                "[Critical]", "**CRITICAL**", "Fix:",
            ]),
            0..8,
        ),
        bold_open in proptest::bool::ANY,
    ) {
        let t = parts.concat();
        if !may_open_explicitly(&t, bold_open) {
            proptest::prop_assert!(split_id(&t).is_none(), "{}", t);
            proptest::prop_assert!(split_severity_tag(&t, bold_open).is_none(), "{}", t);
        }
    }
}

/// [`tags::plain_words`] as the groups were read before it: item by item,
/// each item through [`plain_tag_word`].
fn plain_words_by_items(inner: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    for x in split_tag_items(inner) {
        match plain_tag_word(x) {
            Some("") => {}
            Some(w) if w.len() <= 40 && out.len() < 4 => out.push(w),
            _ => return None,
        }
    }
    Some(out)
}

proptest::proptest! {
    /// A group's plain words read in one pass over its bytes are its items
    /// read one by one.
    #[test]
    fn plain_words_read_in_one_pass_agree_with_the_items(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                ",", ";", "/", " ", "  ", "critical", "gap", "-", "a-b", "-a", "a-", "x", "é",
                "\t", "A", "in-scope", "abcdefghijklmnopqrstuvwxyzabcdefghijklmn", "(", ")",
                "\u{a0}", "_", "`", "1",
            ]),
            0..12,
        )
    ) {
        let inner = parts.concat();
        let mut words = [""; 4];
        let read = tags::plain_words(&inner, &mut words).map(|n| words[..n].to_vec());
        proptest::prop_assert_eq!(read, plain_words_by_items(&inner), "{}", inner);
    }
}

/// [`apply_tag_groups`] as it was: each group's items read once into a
/// vector, kept borrowed while the group is tested, then applied.
fn apply_tag_groups_collecting(
    s: &str,
    severity: &mut Option<Severity>,
    classification: &mut Option<String>,
    tags: &mut Vec<String>,
) -> bool {
    let mut counted = false;
    let mut rest = s;
    let mut items: Vec<TagItem<'_>> = Vec::new();
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(')') else {
            break;
        };
        let inner = &after[..close];
        rest = &after[close + 1..];
        items.clear();
        let mut known = false;
        let mut counts = true;
        for x in split_tag_items(inner).map(|x| TagItem(strip_emphasis_cow(x))) {
            let item = x.item();
            if item.is_empty() {
                continue;
            }
            if item.len() > 40 && item.chars().count() > 40 {
                counts = false;
                break;
            }
            known = known || is_known_tag(item);
            items.push(x);
        }
        if !counts || !known {
            continue;
        }
        counted = true;
        for x in &items {
            apply_tag(severity, classification, tags, x.item());
        }
    }
    counted
}

proptest::proptest! {
    /// Plain words classed by one match are what the reading of any item
    /// makes of them.
    #[test]
    fn plain_tag_words_agree_with_the_item_reading(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "critical", "blocker", "nit", "low", "medium", "major", "high", "gap",
                "regression", "enhancement", "pre", "-", "existing", "in", "scope", "out-of-",
                "future", "suggestions", "x", " ", "p", "a", "Gap", "é", "1",
            ]),
            0..4,
        ),
        prior in proptest::option::of(proptest::sample::select(vec!["gap", "x"])),
    ) {
        let x = parts.concat();
        if let Some(w) = plain_tag_word(&x) {
            let item = TagItem(strip_emphasis_cow(&x));
            proptest::prop_assert_eq!(w, item.item());
            if !w.is_empty() {
                proptest::prop_assert_eq!(word_kind(w) != WordKind::Unknown, is_known_tag(w));
                let start = || {
                    let class = prior.filter(|p| *p == "gap").map(str::to_string);
                    let tags: Vec<String> = prior.filter(|p| *p == "x").map(str::to_string).into_iter().collect();
                    (None, class, tags)
                };
                let (mut s1, mut c1, mut t1) = start();
                let (mut s2, mut c2, mut t2) = start();
                apply_tag(&mut s1, &mut c1, &mut t1, w);
                apply_tag_word(&mut s2, &mut c2, &mut t2, w, word_kind(w));
                proptest::prop_assert_eq!((s1, c1, t1), (s2, c2, t2));
            }
        }
    }

    #[test]
    fn tags_applied_after_the_group_test_agree_with_the_collecting_form(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "(", ")", ",", ";", "/", " ", "`", "*", "_", "**", "critical", "Gap", "P1",
                "in-scope", "x", "é", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
                "high", "a_b", "regression", "low", "gap", "-", "nit", "future", "in scope",
                "enhancement", "pre-existing", "blocker", "(important, gap)", "a, b, c, d, e",
                "gap, nit", "(x, y, z, w, v, critical)",
            ]),
            0..24,
        )
    ) {
        let s = parts.concat();
        let (mut sev, mut class, mut tags) = (None, None, Vec::new());
        let counted = apply_tag_groups(&s, &mut sev, &mut class, &mut tags);
        let (mut sev2, mut class2, mut tags2) = (None, None, Vec::new());
        let counted2 = apply_tag_groups_collecting(&s, &mut sev2, &mut class2, &mut tags2);
        proptest::prop_assert_eq!(counted, counted2);
        proptest::prop_assert_eq!((sev, class, tags), (sev2, class2, tags2));
    }
}

proptest::proptest! {
    #[test]
    fn known_tags_by_match_agree_with_the_list(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "gap", "GAP", "Regression", "pre", "-", "existing", "in", "scope", "out-of-",
                "future", "enhancement", "critical", "P1", " ", "é", "x", "ſ", "K",
            ]),
            0..4,
        )
    ) {
        let x = parts.concat();
        proptest::prop_assert_eq!(is_known_tag(&x), is_known_tag_by_list(&x), "{}", x);
    }
}

/// What [`tags::apply_tag_groups`] makes of `s`: whether a group counts, the
/// severity, the classification and the tags.
type TagReading = (bool, Option<Severity>, Option<String>, Vec<String>);

fn tag_reading(s: &str) -> TagReading {
    let (mut severity, mut class, mut tags) = (None, None, Vec::new());
    let counted = tags::apply_tag_groups(s, &mut severity, &mut class, &mut tags);
    (counted, severity, class, tags)
}

proptest::proptest! {
    /// A title tail read in one pass (`` — `path:12-30` (tag, tag)``) cites
    /// what the general scan cites, and its tag groups, read from the end of
    /// the span, are what reading the whole tail finds.
    #[test]
    fn tail_read_in_one_pass_agrees_with_the_scan_and_the_groups(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                " — ", " - ", "`", "``", "(", ")", "[", "]", ":", "12", "-", "30", ",", " ",
                "a.go", "pkg/daemon/lease.go", "a.go:1-2", "important", "gap", "critical",
                "regression", "pre-existing", "nit", "x", "é", "**", "_", "\t", "(important, gap)",
                "https://x", "Makefile", "L3", ";", "/", "[a](b.go#L3)", "\u{a0}", "v1.2",
            ]),
            0..14,
        ),
        shaped in proptest::bool::ANY,
    ) {
        // Half the texts are given the shape of a tail: the parts around the
        // third and the seventh made backticks.
        let mut parts = parts;
        if shaped && parts.len() > 7 {
            parts[3] = "`";
            parts[7] = "`";
        }
        let text = parts.concat();
        if let Some((locs, end)) = crate::parse::location::span_then_prose_locations(&text) {
            proptest::prop_assert_eq!(&locs, &extract_locations(&text), "{}", text);
            proptest::prop_assert_eq!(tag_reading(&text[end..]), tag_reading(&text), "{}", text);
        }
    }
}

#[test]
fn a_usual_title_tail_is_read_in_one_pass() {
    let tail = " — `pkg/daemon/lease.go:27-31` (important, regression)";
    let (locs, end) = crate::parse::location::span_then_prose_locations(tail).unwrap_or_default();
    assert_eq!(locs, extract_locations(tail));
    assert_eq!(locs.len(), 1);
    assert_eq!(&tail[end..], " (important, regression)");
}

/// [`items::is_meta_line`] as it was: the scans for locations and tag groups
/// first, then the test for prose outside code spans and brackets.
fn is_meta_line_scans_first(s: &str) -> bool {
    if !has_location(s) && !tags::has_tag_group(s) {
        return false;
    }
    !items::has_bare_prose(s)
}

proptest::proptest! {
    /// Testing for prose before scanning for locations and tag groups decides
    /// every line as the scans-first form does.
    #[test]
    fn meta_line_test_agrees_with_the_scans_first_form(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                " — ", "`", "(", ")", "[", "]", ":", "12", "-", " ", ",", "a.go", "a.go:1-2",
                "important", "gap", "x", "é", "١", "**", "[a](b.go#L3)", "pkg/x.go:3", "Fix",
            ]),
            0..12,
        )
    ) {
        let text = parts.concat();
        proptest::prop_assert_eq!(
            items::is_meta_line(&text),
            is_meta_line_scans_first(&text),
            "{}",
            text
        );
    }
}

/// [`classify_heading`] as it was: a lowercased copy, searched by
/// characters, and a vector of its words.
fn classify_heading_copying(text: &str) -> HeadingClass {
    let s = strip_emphasis_cow(text);
    let s = heading_name(&s);
    let lower = s.to_ascii_lowercase();
    let lower = severity_label_stripped(lower.trim_end_matches(':').trim());
    let (name, none) = match lower.find(['—', '–', '(', ':']) {
        Some(i) => {
            let rest = &lower[i..];
            (
                lower[..i].trim(),
                rest.contains("none") || rest.contains("(0)"),
            )
        }
        None => (lower, false),
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    if let Some(first) = words.first() {
        let priority_titled = is_priority_id(first)
            && lower
                .find(['—', '–', '(', ':'])
                .is_some_and(|i| !is_count_or_none(&lower[i..]));
        if let Some(sev) = Severity::from_word(first).filter(|_| !priority_titled) {
            if words[1..].iter().all(|w| is_severity_heading_word(w)) && words.len() <= 3 {
                return HeadingClass::Severity(sev, none);
            }
        }
    }
    named_section(name, none)
}

/// Every heading the shortcut tells is classified as reading it classifies
/// it, and the same heading in another spelling is read.
#[test]
fn usual_headings_are_classified_as_read() {
    let usual = [
        "Executive Summary",
        "Critical Issues",
        "Important Issues",
        "Suggestions",
        "Design Observations",
        "Concerns",
        "Strengths",
        "Testing Assessment",
        "Documentation Assessment",
        "Acknowledged Limitations",
        "Coverage Summary",
        "Verdict",
    ];
    for h in usual {
        assert_eq!(usual_heading(h), Some(classify_heading_read(h)), "{h}");
        assert_eq!(classify_heading(h), classify_heading_copying(h), "{h}");
        for other in [
            h.to_lowercase(),
            h.to_uppercase(),
            format!("{h}:"),
            format!(" {h}"),
            format!("{h} (0)"),
            format!("**{h}**"),
        ] {
            assert_eq!(usual_heading(&other), None, "{other}");
            assert_eq!(
                classify_heading(&other),
                classify_heading_copying(&other),
                "{other}"
            );
        }
    }
    assert_eq!(usual_heading("Critical"), None);
}

proptest::proptest! {
    /// Headings of letters and spaces, read as they are, are classified as
    /// the general form classifies them.
    #[test]
    fn plain_headings_agree_with_the_general_form(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "Critical", "CRITICAL", "important", "Issues", "issue", "Findings", "Suggestions",
                "Executive", "Summary", "Design", "Observations", "Testing", "Assessment",
                "Coverage", "Verdict", "Concerns", "strengths", "Severity", "priority", "High",
                "Low", "nit", "none", "tl", "dr", " ", "  ", "x", "Z",
            ]),
            0..6,
        )
    ) {
        let text = parts.concat();
        proptest::prop_assert_eq!(classify_heading(&text), classify_marked_heading(&text));
    }

    /// A plain heading classified from the bytes of its lowercased copy is
    /// classified as the older form classified that copy made a `str`.
    #[test]
    fn plain_headings_read_as_bytes_agree_with_the_str_form(
        first in proptest::sample::select(vec![
            "Critical", "CRITICAL", "important", "High", "Low", "nit", "Suggestions",
            "Executive", "Design", "Testing", "Coverage", "Files", "Known", "Overall", "Final",
            "Documentation", "Concerns", "strengths", "Verdict", "Issues", "tests", "x", "",
        ]),
        rest in proptest::collection::vec(
            proptest::sample::select(vec![
                "Issues", "issue", "Findings", "finding", "Severity", "priority", "Summary",
                "Observations", "Notes", "Review", "Assessment", "Coverage", "Reviewed",
                "Verdict", "Found", "Limitations", "Critical", "High", "none", "x", "",
            ]),
            0..4,
        )
    ) {
        let parts: Vec<&str> = std::iter::once(first).chain(rest).collect();
        // Joined by spaces: an empty part makes a run of two.
        let text = parts.join(" ");
        let mut buf = [0u8; 64];
        if let Some(lower) = plain_heading_lowercased(&text, &mut buf) {
            let as_str = std::str::from_utf8(lower).unwrap();
            proptest::prop_assert_eq!(
                classify_plain(&text, lower),
                classify_name(as_str, as_str, None, false),
                "{}",
                text
            );
        }
    }

    /// ASCII words cut a byte at a time are the words `split_whitespace` cuts.
    #[test]
    fn ascii_words_agree_with_split_whitespace(text in "[ \t\n\u{b}\u{c}\r\u{1c}\u{1f}ab:-]{0,16}") {
        let words: Vec<&str> = ascii_words(&text).collect();
        let split: Vec<&str> = text.split_whitespace().collect();
        proptest::prop_assert_eq!(words, split, "{:?}", text);
    }

    /// Any text of letters, spaces and a few other bytes.
    #[test]
    fn plain_heading_test_agrees_with_the_general_form(text in "[A-Za-z \t:(é]{0,70}") {
        proptest::prop_assert_eq!(classify_heading(&text), classify_marked_heading(&text));
    }

    /// Headings classified without copies, and the prefilters of the heading
    /// and line tests, agree with the forms that copied every text.
    #[test]
    fn heading_tests_without_copies_agree_with_the_copying_forms(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "Critical", "CRITICAL", "Important", "issues", "Issues", "Suggestions", "P1",
                "p0", "Severity:", "priority:", " ", "  ", "\u{a0}", "\t", ":", "—", "–", "-",
                "(", "(0)", ")", "2", "1.", "**", "*", "_", "__", "🔴 ", "⚠️", "é", "É",
                "none", "None", "N/A", "No issues", "nothing", "Executive Summary",
                "summary", "Design Observations", "Testing", "Concerns", "strengths",
                "Coverage", "verdict", "finding", "Findings", "1 finding", "Title words",
                "Nil map write", "no findings", "found no issues", "did not find any issues",
                "NO ", "nO", "n", "o", "x", "`", ".", "Fix:** Close it.", "\u{2003}", "\u{85}",
                "a heading long enough to leave the stack",
            ]),
            0..10,
        )
    ) {
        let text = parts.concat();
        proptest::prop_assert_eq!(classify_heading(&text), classify_heading_copying(&text));
        let bold = format!("**{text}");
        proptest::prop_assert_eq!(bold_header(&bold), bold_header_trimming(&bold));
        proptest::prop_assert_eq!(bold_header(&text), bold_header_trimming(&text));
        proptest::prop_assert_eq!(
            severity_prefixed_title(&text),
            severity_prefixed_title_copying(&text)
        );
        proptest::prop_assert_eq!(is_none_marker(&text), is_none_marker_copying(&text));
        proptest::prop_assert_eq!(says_no_findings(&text), says_no_findings_lowercased(&text));
        proptest::prop_assert_eq!(
            heading_mark(&text),
            text.find(['—', '–', '(', ':'])
        );
    }
}

/// [`scope_of`] as it was: searched in a lowercased copy.
/// The first `(in-scope)` / `(future)` / `` `(future)` `` / `(in-scope, pre-existing)`
/// / `[future]` marker in `text`.
fn scope_of_lowercased(text: &str) -> Option<Scope> {
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(open) = rest.find(['(', '[']) {
        let after = &rest[open + 1..];
        let Some(close) = after.find([')', ']']) else {
            break;
        };
        for item in after[..close].split([',', ';']) {
            match item.trim().trim_matches(['`', '*', '_']).trim() {
                "in-scope" | "in scope" => return Some(Scope::InScope),
                "future" | "out-of-scope" | "future work" => return Some(Scope::Future),
                _ => {}
            }
        }
        rest = &after[close + 1..];
    }
    None
}

/// [`design_observation`] as it was: the text copied first, then each
/// stage's result.
fn design_observation_copying(
    text: &str,
    kind: Option<ObservationKind>,
    line: u32,
) -> DesignObservation {
    let text = text.trim().to_string();
    let scope = scope_of(&text);
    let mut title = None;
    let mut body: &str = &text;
    // `**(in-scope) Title:** text` and `**Title** *(in-scope)*: text`.
    if let Some(r) = text.strip_prefix("**") {
        if let Some(end) = r.find("**") {
            let t = strip_scope(&strip_emphasis(&r[..end]));
            let t = t
                .trim()
                .trim_end_matches([':', '.', '—', '–', '-', ' '])
                .trim();
            // The agent's own numbering (`O1.`, `D2.`) is not part of the title.
            let t = strip_observation_id(t).to_string();
            if !t.is_empty() {
                title = Some(t);
            }
            body = &r[end + 2..];
        }
    }
    let body = strip_scope(body);
    let body = body
        .trim()
        .trim_start_matches([':', '—', '–', '-', '.', ' '])
        .trim()
        .to_string();
    DesignObservation {
        kind: kind.unwrap_or(ObservationKind::Concern),
        scope,
        title,
        text: if body.is_empty() {
            strip_emphasis(&text)
        } else {
            body
        },
        line,
    }
}

/// [`strip_scope`] as it was: searched in a lowercased copy of each pass.
fn strip_scope_lowercased(s: &str) -> String {
    let mut out = s.to_string();
    // Each pass removes one scope group; a text has one or two.
    for _ in 0..4 {
        let lower = out.to_ascii_lowercase();
        let mut found = None;
        let mut from = 0;
        while let Some(rel) = lower[from..].find(['(', '[']) {
            let open = from + rel;
            let Some(close_rel) = lower[open + 1..].find([')', ']']) else {
                break;
            };
            let close = open + 1 + close_rel;
            let is_scope = lower[open + 1..close].split([',', ';']).any(|item| {
                matches!(
                    item.trim().trim_matches(['`', '*', '_']).trim(),
                    "in-scope" | "in scope" | "future" | "out-of-scope" | "future work"
                )
            });
            if is_scope {
                found = Some((open, close + 1));
                break;
            }
            from = close + 1;
        }
        let Some((mut a, mut b)) = found else {
            break;
        };
        // Take the emphasis or code markers around the group with it.
        let bytes = out.as_bytes();
        while a > 0 && matches!(bytes[a - 1], b'`' | b'*' | b'_') {
            a -= 1;
        }
        while b < bytes.len() && matches!(bytes[b], b'`' | b'*' | b'_') {
            b += 1;
        }
        out.replace_range(a..b, "");
    }
    out.trim().to_string()
}

proptest::proptest! {
    /// Scopes read without lowercased copies are the scopes the copies gave.
    #[test]
    fn scopes_read_in_any_case_agree_with_the_lowercased_copies(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "(", ")", "[", "]", "in-scope", "IN-SCOPE", "in scope", "In Scope", "future",
                "Future", "FUTURE WORK", "out-of-scope", "pre-existing", "`", "*", "_", "**",
                ",", ";", " ", "x", "é", "\u{a0}", "Title", ":", "The watcher leaks.",
            ]),
            0..12,
        )
    ) {
        let text = parts.concat();
        proptest::prop_assert_eq!(scope_of(&text), scope_of_lowercased(&text), "{}", text);
        proptest::prop_assert_eq!(strip_scope(&text), strip_scope_lowercased(&text), "{}", text);
    }

    /// A design observation read where it lies is the one the copies made.
    #[test]
    fn design_observations_read_in_place_agree_with_the_copies(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "(", ")", "[", "]", "in-scope", "future", "(future)", "`(in-scope)`", "*(future)*",
                "`", "*", "**", "_", ",", " ", "  ", "\t", "x", "é", "\u{a0}", "Title", ":", "—",
                "-", ".", "O1. ", "The watcher leaks.", "\u{3000}",
            ]),
            0..12,
        ),
        kind in proptest::option::of(proptest::bool::ANY),
    ) {
        let text = parts.concat();
        let kind = kind.map(|c| if c { ObservationKind::Concern } else { ObservationKind::Strength });
        proptest::prop_assert_eq!(
            design_observation(&text, kind, 3),
            design_observation_copying(&text, kind, 3),
            "{:?}",
            text
        );
    }
}

proptest::proptest! {
    /// An empty line read by the shortcut in [`Parser::line`] leaves the
    /// parser as the general path for text lines leaves it.
    #[test]
    fn empty_lines_told_first_agree_with_the_general_path(
        text in markdownish(),
        pick in proptest::collection::vec(proptest::bool::ANY, 40),
    ) {
        let lines = markdown::scan(&text, 1);
        let (mut short, mut general) = (Parser::new(1), Parser::new(1));
        for i in 0..lines.len() {
            let at = Ahead { lines: &lines, i };
            short.line(at);
            let empty = matches!(lines[i].kind, LineKind::Blank) && lines[i].text.is_empty();
            if empty && pick.get(i % 40).copied().unwrap_or(true) {
                general.text_line(&lines[i], at);
            } else {
                general.line(at);
            }
        }
        proptest::prop_assert_eq!(short.finish(), general.finish(), "{:?}", text);
    }
}

proptest::proptest! {
    /// A trimmed line's explicit start, read without trimming it again, is
    /// what `parse_item_start` reads.
    #[test]
    fn trimmed_explicit_start_agrees_with_parse_item_start(line in item_line_strategy()) {
        let t = line.trim();
        proptest::prop_assert_eq!(
            parse_trimmed_explicit_start(t),
            parse_item_start(t, true),
            "{}", t
        );
    }
}

proptest::proptest! {
    /// A line without a location mark is no label, and a body whose lines
    /// hold none cites nothing: the searches the mark test saves find
    /// nothing.
    #[test]
    fn unmarked_lines_hold_no_label_and_no_location(
        lines in proptest::collection::vec(
            proptest::collection::vec(
                proptest::sample::select(vec![
                    "**", "Fix", ":", " ", "`", "[", "]", "(", ")", "a.go", ":12", "pkg/x.rs",
                    "12-14", "Severity", "- ", "é", "http://x", "L3", "#L3", "x",
                ]),
                0..10,
            )
            .prop_map(|p| p.concat()),
            0..6,
        )
    ) {
        let mut body = Paragraphs::default();
        for line in &lines {
            let marked = holds_location_mark(line);
            if !marked {
                proptest::prop_assert_eq!(label_of(line), None, "{}", line);
                proptest::prop_assert_eq!(label_of(strip_bullet(line)), None, "{}", line);
            }
            if line.is_empty() {
                body.blank();
            } else {
                body.push_marked(line, marked);
            }
        }
        if !body.may_cite {
            proptest::prop_assert_eq!(extract_locations(&body.text), Vec::new(), "{:?}", lines);
        }
    }
}

/// `hay.contains(needle)` (how `coverage_status` looked for each phrase before
/// `status_phrases`), comparing only where the needle's first byte is:
/// on the short texts of a status, cheaper than a substring searcher built for
/// each call.
fn has_text(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    h.len() >= n.len() && (0..=h.len() - n.len()).any(|i| h[i] == first && h[i..].starts_with(n))
}

/// The form [`coverage_status`] replaced: the status lowercased into a new
/// string.
fn coverage_status_copying(status: &str) -> CoverageStatus {
    let ids = finding_ids(status);
    if !ids.is_empty() {
        return CoverageStatus::Findings(ids);
    }
    let l = strip_emphasis_cow(status).to_ascii_lowercase();
    if has_text(&l, "trivial") {
        return CoverageStatus::Trivial;
    }
    if has_text(&l, "not reviewed") || has_text(&l, "skipped") {
        return CoverageStatus::Other(strip_emphasis(status));
    }
    if has_text(&l, "no issue")
        || has_text(&l, "no finding")
        || l.starts_with("reviewed")
        || l == "ok"
        || l == "clean"
    {
        return CoverageStatus::ReviewedNoIssues;
    }
    let l_trim = l.trim_end_matches('.');
    if let Some(rest) = l_trim
        .strip_prefix("finding")
        .or_else(|| l_trim.strip_prefix("findings"))
    {
        let nums: Vec<String> = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if !nums.is_empty() {
            return CoverageStatus::Findings(nums);
        }
    }
    CoverageStatus::Other(strip_emphasis(status))
}

proptest::proptest! {
    /// The shortcut for `Reviewed, no issues` says what reading the status
    /// says, and statuses near it are read.
    #[test]
    fn the_usual_coverage_status_is_read_as_any_other(
        head in proptest::sample::select(vec![
            "Reviewed, no issues", "reviewed, no issues", "Reviewed, no issue", "Reviewed no issues",
            "Reviewed, no issues ", " Reviewed, no issues", "**Reviewed, no issues**", "Reviewed, no",
        ]),
        tail in proptest::sample::select(vec!["", " ", ".", " (generated)", " C1", "*", " trivial"]),
    ) {
        let s = format!("{head}{tail}");
        proptest::prop_assert_eq!(coverage_status(&s), coverage_status_read(&s), "{}", s);
        proptest::prop_assert_eq!(coverage_status(&s), coverage_status_copying(&s), "{}", s);
    }

    /// A status lowercased on the stack is read as its lowercased copy was,
    /// short or longer than the buffer.
    #[test]
    fn coverage_status_on_the_stack_agrees_with_the_copy(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "Reviewed", "reviewed", ", ", "no issues", "No Findings", "Trivial",
                "not reviewed", "Skipped", "ok", "OK", "clean", "Finding", "findings", " 3",
                "C1", "Critical 2", ".", "**", "*", "_", " ", "é", "İ", "\u{a0}",
                "a long status that goes on and on past the sixty-four bytes of the buffer",
            ]),
            0..8,
        )
    ) {
        let s = parts.concat();
        proptest::prop_assert_eq!(coverage_status(&s), coverage_status_copying(&s), "{}", s);
    }

    /// The phrases found in one pass are those the searches for each find.
    #[test]
    fn status_phrases_agree_with_a_search_for_each(
        l in "(trivial|trivia|not reviewed|not review|skipped|skippe|no issue|no finding|no |n|t|s|é| |,){0,6}"
    ) {
        let said = status_phrases(l.as_bytes());
        proptest::prop_assert_eq!(said.trivial, has_text(&l, "trivial"), "{:?}", l);
        proptest::prop_assert_eq!(
            said.not_reviewed,
            has_text(&l, "not reviewed") || has_text(&l, "skipped"),
            "{:?}",
            l
        );
        proptest::prop_assert_eq!(
            said.no_issues,
            has_text(&l, "no issue") || has_text(&l, "no finding"),
            "{:?}",
            l
        );
    }
}

proptest::proptest! {
    /// A line told as prose by its first byte is no meta line.
    #[test]
    fn a_line_opening_with_prose_is_no_meta_line(
        s in "[a-zA-Z0-9`(\\[ *é-]{0,2}[a-z0-9`()\\[\\]/.:, é-]{0,24}"
    ) {
        if opens_with_prose(&s) {
            proptest::prop_assert!(!is_meta_line(&s), "{:?}", s);
        }
    }
}

proptest::proptest! {
    /// The letters after a marker's `n`, read past `*` and `_`, refuse only
    /// texts the copying form refuses.
    #[test]
    fn none_marker_letters_agree_with_the_copy(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "n", "N", "o", "O", "no", "No", "NO", "/a", "/", " ", "  ", "issues",
                "findings", "critical", "important", "suggestions", "thing", "ne", "e",
                "test covers it", "*", "**", "_", "`", "-", ".", "\u{a0}", "\t", "i", "f",
                "c", "s", "t", "é", "a_b",
            ]),
            0..8,
        )
    ) {
        let text = parts.concat();
        proptest::prop_assert_eq!(is_none_marker(&text), is_none_marker_copying(&text), "{:?}", text);
    }
}
