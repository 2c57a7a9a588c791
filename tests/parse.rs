//! `review-replay parse`: snapshots of the parsed JSON of hand-written reviews in
//! each dialect, exit codes for unreadable input, and a corpus smoke run.

use std::path::Path;

use crate::common::{Cmd, corpus_dir, repo_root};

/// The JSON printed for a fixture, with the fixture path made stable.
fn parse_json(path: &Path) -> serde_json::Value {
    let out = Cmd::new([
        "parse".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
    .expect_code(0);
    let mut v: serde_json::Value = serde_json::from_str(&out.stdout).expect("parse prints JSON");
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    v["file"] = serde_json::Value::String(name);
    v
}

#[test]
fn fixture_snapshots() {
    insta::glob!("fixtures/reviews/*.md", |path| {
        insta::assert_json_snapshot!(parse_json(path));
    });
}

#[test]
fn human_output_lists_findings_and_diagnostics() {
    let fixture = repo_root().join("tests/fixtures/reviews/list-style-with-verdict.md");
    let out = Cmd::new(["parse".as_ref(), fixture.as_os_str()]).expect_code(0);
    assert!(
        out.stdout
            .contains("#1 [suggestion, gap] Negative answers are cached for the full SOA TTL"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("at: resolver/cache.go:40-52"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("verdict: Approve with suggestions"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("coverage entries: 3 (1 with findings)"),
        "{}",
        out.stdout
    );
    // The tag disagrees with the section: a note, as FILE:LINE: level: message.
    assert!(
        out.stdout
            .contains("list-style-with-verdict.md:18: note: finding's tag says suggestion"),
        "{}",
        out.stdout
    );
}

#[test]
fn missing_file_exits_2_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.md");
    let out = Cmd::new(["parse".as_ref(), missing.as_os_str()]).expect_code(2);
    assert!(out.stderr.contains("nope.md"), "{}", out.stderr);
}

#[test]
fn binary_file_exits_2_not_utf8() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = dir.path().join("bin.md");
    std::fs::write(&bin, [0x23, 0x20, 0xff, 0xfe, 0x00]).expect("write");
    let out = Cmd::new(["parse".as_ref(), bin.as_os_str()]).expect_code(2);
    assert!(out.stderr.contains("not UTF-8"), "{}", out.stderr);
    assert!(out.stderr.contains("bin.md"), "{}", out.stderr);
}

#[test]
fn empty_file_exits_0_with_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.md");
    std::fs::write(&empty, "").expect("write");
    let out = Cmd::new(["parse".as_ref(), empty.as_os_str()]).expect_code(0);
    assert!(out.stdout.contains("0 finding(s)"), "{}", out.stdout);
    assert!(
        out.stdout.contains("empty.md:1: warning: empty review"),
        "{}",
        out.stdout
    );
    let json = Cmd::new([
        "parse".as_ref(),
        empty.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
    .expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["review"]["findings"], serde_json::json!([]));
    assert_eq!(v["diagnostics"][0]["level"], "warning");
}

/// Splits a corpus appendix into agent reviews at `### <agent name>` headings.
fn agent_reviews(appendix: &str) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    for (i, line) in appendix.lines().enumerate() {
        let lower = line.to_ascii_lowercase();
        let is_agent = line.starts_with("### ")
            && ["claude", "codex", "gemini"]
                .iter()
                .any(|a| lower.contains(a));
        if is_agent {
            out.push((u32::try_from(i).unwrap_or(0) + 2, String::new()));
        } else if let Some((_, text)) = out.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    out
}

/// Every agent review in the corpus appendices parses without panicking and
/// yields findings, an explicit "no findings", or a warning saying it has
/// neither (summary-only appendices); every finding's line holds its title; the
/// totals match the hand-checked counts. Per-agent counts are asserted by the
/// importer's corpus test.
#[test]
fn corpus_agent_reviews_parse() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let (mut reviews, mut with_findings, mut explicit_none) = (0, 0, 0);
    let mut by_severity = [0usize; 3];
    for f in files {
        let text = std::fs::read_to_string(&f).expect("corpus is UTF-8");
        let Some(start) = text.find("Appendix: Original Reviews") else {
            continue;
        };
        let file_lines: Vec<&str> = text.lines().collect();
        // 1-based line of the appendix heading (`start` is inside that line).
        let appendix_line = text.get(..start).unwrap_or_default().lines().count();
        let appendix = text.get(start..).unwrap_or_default();
        let appendix = appendix.split("\n## Resolution").next().unwrap_or_default();
        for (line, review) in agent_reviews(appendix) {
            let line = line + u32::try_from(appendix_line).unwrap_or(1) - 1;
            let out = review_replay::parse::review::parse_review(&review, line);
            reviews += 1;
            for finding in &out.review.findings {
                by_severity[finding.severity as usize] += 1;
                // Line numbers point into the report: the title is on that line.
                let at = file_lines
                    .get(finding.line as usize - 1)
                    .copied()
                    .unwrap_or_default()
                    .replace('*', "");
                let head: String = finding.title.chars().take(12).collect();
                assert!(
                    at.contains(&head),
                    "{}:{}: title {:?} not on its line {at:?}",
                    f.display(),
                    finding.line,
                    finding.title
                );
            }
            if !out.review.findings.is_empty() {
                with_findings += 1;
            } else if out.review.explicit_no_findings {
                explicit_none += 1;
            } else {
                let warned = out
                    .diagnostics
                    .iter()
                    .any(|d| d.level == review_replay::model::DiagnosticLevel::Warning);
                assert!(
                    warned,
                    "{}:{line}: no findings, no statement, no warning",
                    f.display()
                );
            }
        }
    }
    // Counts checked by hand against the markdown (see the parser's report); a
    // change here means the parser reads the corpus differently.
    assert_eq!(
        (reviews, with_findings, explicit_none),
        (195, 184, 3),
        "agent reviews / with findings / explicitly none"
    );
    // Suggestion, Important, Critical (the enum's order).
    assert_eq!(
        by_severity,
        [293, 306, 69],
        "suggestions, important, critical"
    );
}

/// The parse of a review with the per-finding line numbers removed, for comparing
/// a wrapped review with the bare one (wrappers may shift lines).
fn parsed_without_lines(path: &Path) -> serde_json::Value {
    let mut v = parse_json(path);
    if let Some(findings) = v["review"]["findings"].as_array_mut() {
        for f in findings {
            f["line"] = serde_json::Value::Null;
        }
    }
    if let Some(obs) = v["review"]["design_observations"].as_array_mut() {
        for o in obs {
            o["line"] = serde_json::Value::Null;
        }
    }
    v["review"].clone()
}

/// Regression: a review wrapped whole in a four-backtick `markdown` fence (with
/// ordinary code blocks inside) parsed to zero findings, and the round was
/// replayed as if the agents had found nothing. Every wrapper shape must parse
/// like the bare review.
#[test]
fn wrapped_reviews_parse_like_the_bare_review() {
    let dir = repo_root().join("tests/fixtures/wrapped");
    let bare = parsed_without_lines(&dir.join("bare.md"));
    assert_eq!(bare["findings"].as_array().map(Vec::len), Some(3));
    let mut shapes = 0;
    for entry in std::fs::read_dir(&dir).expect("fixture dir") {
        let path = entry.expect("entry").path();
        if path.file_name().is_some_and(|n| n == "bare.md") {
            continue;
        }
        shapes += 1;
        let wrapped = parsed_without_lines(&path);
        assert_eq!(wrapped, bare, "{} parses differently", path.display());
    }
    assert!(shapes >= 7, "only {shapes} wrapped shapes");
}

#[test]
fn unclosed_wrapper_warns_at_its_opening_line() {
    let fixture = repo_root().join("tests/fixtures/wrapped/unclosed-fence.md");
    let v = parse_json(&fixture);
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diags.iter().any(|d| d["line"] == 3
            && d["level"] == "warning"
            && d["message"]
                .as_str()
                .is_some_and(|m| m.contains("never closes"))),
        "{diags:?}"
    );
}

/// `severity | title | locations` for each finding of a parsed review (JSON).
fn finding_lines(v: &serde_json::Value) -> Vec<String> {
    let findings = v["review"]["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    findings
        .iter()
        .map(|f| {
            let locs: Vec<String> = f["locations"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|l| {
                    let path = l["path"].as_str().unwrap_or_default();
                    match (l["start"].as_u64(), l["end"].as_u64()) {
                        (Some(s), Some(e)) if e != s => format!("{path}:{s}-{e}"),
                        (Some(s), _) => format!("{path}:{s}"),
                        _ => path.to_string(),
                    }
                })
                .collect();
            format!(
                "{} | {} | {}",
                f["severity"].as_str().unwrap_or_default(),
                f["title"].as_str().unwrap_or_default(),
                locs.join(" ")
            )
        })
        .collect()
}

fn shape(name: &str) -> serde_json::Value {
    parse_json(&repo_root().join("tests/fixtures/reviews/shapes").join(name))
}

/// Warnings of a parsed review as `line: message`.
fn warnings(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|d| d["level"] == "warning")
        .map(|d| {
            format!(
                "{}: {}",
                d["line"],
                d["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// Regression: severity headings decorated with emoji, counts or a `Severity:`
/// label were not severity sections, and their findings were lost.
#[test]
fn shape_decorated_severity_headings() {
    let v = shape("emoji-headings.md");
    assert_eq!(
        finding_lines(&v),
        [
            "critical | Budget read without the lock in `Acquire` | upload/budget.go:31",
            "important | Retry delay ignores `Retry-After` | upload/retry.go:58-64",
            "suggestion | Rename `n` to `attempt` | upload/retry.go:12",
            "suggestion | Log the budget on exhaustion | upload/budget.go:77",
            "suggestion | Comment says seconds, code uses milliseconds | upload/retry.go:9",
        ]
    );
    assert!(warnings(&v).is_empty(), "{:?}", warnings(&v));
    assert_eq!(v["review"]["verdict"], "Request changes.");

    let v = shape("bold-count-headings.md");
    assert_eq!(
        finding_lines(&v),
        [
            "critical | Lock released before the write completes | db/tx.go:51",
            "suggestion | Retry loop has no jitter | db/retry.go:14",
            "suggestion | `Close` ignores the flush error | db/conn.go:102",
        ]
    );
}

/// Regression: a finding written as a heading (or a bold line) with `Severity:`,
/// `File:`, `Location:` label lines after it, in a findings section with no
/// severity sections, was not read.
#[test]
fn shape_titles_with_severity_labels() {
    let v = shape("heading-labels.md");
    assert_eq!(
        finding_lines(&v),
        [
            "important | Journal entries are fsynced after the rename | store/journal.rs:140-152",
            "critical | Compaction can skip the last segment | store/compact.rs:88",
            "suggestion | `Segment::open` logs the full path | store/segment.rs:20",
            "important | Checksum mismatch is reported as I/O error | store/segment.rs:61",
        ]
    );
    let lines: Vec<u64> = v["review"]["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["line"].as_u64()).collect())
        .unwrap_or_default();
    assert_eq!(lines, [5, 11, 18, 24]);
    assert!(warnings(&v).is_empty(), "{:?}", warnings(&v));

    // Numbered headings with plain `Severity: High` labels; the numbering is
    // not part of the title, and the strengths after them are not findings.
    let v = shape("numbered-headings.md");
    assert_eq!(
        finding_lines(&v),
        [
            "important | Leases are renewed on the caller's goroutine | sched/lease.go:40-66",
            "suggestion | Backoff state is kept per process | sched/backoff.go:12",
        ]
    );
    assert_eq!(
        v["review"]["design_observations"].as_array().map(Vec::len),
        Some(1)
    );
}

/// Regression: findings written as a table (columns in any order) were lost; a
/// row whose severity cannot be read is a warning at its line, not a guess.
#[test]
fn shape_findings_table() {
    let v = shape("findings-table.md");
    assert_eq!(
        finding_lines(&v),
        [
            "important | Refill uses wall clock, jumps on NTP step | limiter/bucket.go:44",
            "critical | Burst can exceed capacity after `Resize` | limiter/bucket.go:90-97",
            "suggestion | Header name `X-Ratelimit` is non-standard | limiter/http.go:15",
        ]
    );
    let fixes: Vec<&str> = v["review"]["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["fix"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        fixes,
        ["Use the monotonic clock", "Clamp tokens in `Resize`"]
    );
    let w = warnings(&v);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("12: findings table row without a readable severity"),
        "{w:?}"
    );
}

/// Regression: `P0`..`P3` priorities (`**P1 — Title**`, `[P2] Title`,
/// `P1: Title`) were not read; they are severity tags, not ids (several
/// findings share `P1`), and `**P0:** None` says a priority is empty.
#[test]
fn shape_priority_ids() {
    let v = shape("priority-ids.md");
    assert_eq!(
        finding_lines(&v),
        [
            "critical | Token is logged in plain text | auth/session.go:77",
            "important | Session refresh races with logout | auth/session.go:120-135",
            "suggestion | Error message repeats the user id | auth/errors.go:14",
            "suggestion | `sess` could be named `session` | auth/session.go:12",
            "important | Expiry is compared in local time | auth/expiry.go:8",
        ]
    );
    let ids: Vec<&serde_json::Value> = v["review"]["findings"]
        .as_array()
        .map(|a| a.iter().map(|f| &f["raised_id"]).collect())
        .unwrap_or_default();
    assert!(ids.iter().all(|id| id.is_null()), "{ids:?}");
}

/// Regression: `Medium` was not a severity word, so a `## Medium` section's
/// findings were lost between the `High` and `Low` ones.
#[test]
fn shape_high_medium_low() {
    let v = shape("high-medium-low.md");
    assert_eq!(
        finding_lines(&v),
        [
            "important | Cache key omits the tenant | cache/key.go:22",
            "suggestion | TTL constant is duplicated | cache/ttl.go:5",
            "suggestion | Typo in doc comment | cache/key.go:3",
        ]
    );
}

/// Regression: bold list titles whose trailing tag gives the severity (`(high)`,
/// `` `(P2)` ``, `(nit)`) were lost in a findings section without severity
/// sections.
#[test]
fn shape_tagged_bold_bullets() {
    let v = shape("tagged-bullets.md");
    assert_eq!(
        finding_lines(&v),
        [
            "important | Handshake errors are swallowed | net/tls.go:33",
            "suggestion | Pool size is hard-coded | net/pool.go:12",
            "suggestion | Typo in `dialer` docs | ",
        ]
    );
    assert_eq!(
        v["review"]["findings"][0]["body"],
        "The error is logged at debug level and the dial reports success."
    );
    assert!(warnings(&v).is_empty(), "{:?}", warnings(&v));
}

/// Regression: a table of findings under a severity heading (no severity
/// column) was lost, and the `None.` of the next section made the review say it
/// had no findings at all.
#[test]
fn shape_table_under_severity_heading() {
    let v = shape("severity-section-table.md");
    assert_eq!(
        finding_lines(&v),
        [
            "important | Dial timeout is not applied to the TLS handshake | net/dial.go:19",
            "important | Pool never evicts broken connections | net/pool.go:70-74",
        ]
    );
    assert_eq!(
        v["review"]["findings"][0]["body"],
        "A stalled server hangs the caller."
    );
    assert_eq!(v["review"]["explicit_no_findings"], false);
}

/// Regression: a heading holding a severity word and a title (`### Critical:
/// Title`, `### 2. **High — Title** (loc)`) was read as a severity section and
/// its title lost.
#[test]
fn shape_severity_titled_headings() {
    let v = shape("severity-titled-headings.md");
    assert_eq!(
        finding_lines(&v),
        [
            "critical | Snapshot restore skips the WAL | backup/restore.go:88-120",
            "important | Retention deletes the newest backup | backup/retention.go:41",
            "suggestion | `bkp` should be `backup` | backup/cli.go:7",
        ]
    );
    assert!(warnings(&v).is_empty(), "{:?}", warnings(&v));
}
