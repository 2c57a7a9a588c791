//! No panic on any input, in `cargo test`: arbitrary bytes and structure-shaped
//! markdown (headings, fences, tables, lists, tags in random order, truncated
//! anywhere) to every parser. They terminate (proptest would hang otherwise),
//! never panic, and every diagnostic line points into the text. The parse of a
//! review does not depend on CRLF line endings, a byte-order mark or trailing
//! whitespace.

use std::path::Path;

use proptest::prelude::*;
use review_replay::cassette::Cassette;
use review_replay::commands::import::raw_round_cassette;
use review_replay::consolidate::rules::Rules;
use review_replay::golden::file::{parse_json, parse_markdown};
use review_replay::model::Diagnostic;
use review_replay::parse::report::{import_report_text, parse_report};
use review_replay::parse::review::parse_review;

use crate::common::repo_root;

/// Lines a model review or a report is made of, in every shape the parsers
/// special-case, to be shuffled and truncated.
fn piece() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "Critical",
        "Important",
        "Suggestion",
        "Summary",
        "Findings",
        "Design",
        "Testing",
        "Verdict",
        "Coverage",
        "Appendix",
        "Reconciliation",
        "Retro",
        "Claude",
        "Codex",
        "Gemini",
        "None.",
        "C1",
        "I2",
        "S3",
        "regression",
        "gap",
        "src/cache.rs:12-40",
        "`lookup()`",
        "é",
        "—",
        "🙂",
        "Deep Review:",
    ]);
    let words = prop::collection::vec(word, 0..5).prop_map(|w| w.join(" "));
    prop_oneof![
        (1usize..7, words.clone()).prop_map(|(n, w)| format!("{} {w}", "#".repeat(n))),
        words.clone().prop_map(|w| format!("**{w}**")),
        (0usize..8, words.clone()).prop_map(|(d, w)| format!("{}- {w}", "  ".repeat(d))),
        (0u32..30, words.clone()).prop_map(|(n, w)| format!("{n}. {w}")),
        words
            .clone()
            .prop_map(|w| format!("C1. **{w}** — src/a.rs:3 (critical, regression)")),
        words.clone().prop_map(|w| format!("**I2 — {w}**")),
        words
            .clone()
            .prop_map(|w| format!("#### S1. {w} `suggestion` `gap`")),
        words
            .clone()
            .prop_map(|w| format!("**CRITICAL** src/b.go:9 — {w}")),
        words.clone().prop_map(|w| format!("Classification: {w}")),
        words.clone().prop_map(|w| format!("| {w} | {w} | x |")),
        Just("|---|:--:|---|".to_string()),
        prop::sample::select(vec!["```", "```rust", "~~~", "````", "``` diff"])
            .prop_map(str::to_string),
        words.clone().prop_map(|w| format!("> {w}")),
        words.clone().prop_map(|w| format!("<!-- {w} -->")),
        words
            .clone()
            .prop_map(|w| format!("<details><summary>{w}</summary>")),
        Just("</details>".to_string()),
        Just("---".to_string()),
        Just(String::new()),
        words,
    ]
}

fn shaped_markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|lines| lines.join("\n"))
}

/// Cuts `text` at a char boundary at or before `at`.
fn truncate(text: &str, at: usize) -> &str {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

#[track_caller]
fn assert_lines_valid(text: &str, diagnostics: &[Diagnostic]) {
    let last = text.lines().count().max(1) as u32;
    for d in diagnostics {
        assert!(
            d.line >= 1 && d.line <= last,
            "diagnostic at line {} of a {last}-line text: {d}",
            d.line
        );
    }
}

/// Every parser and loader of the crate, on one text: none may panic.
fn every_parser(text: &str) {
    let review = parse_review(text, 1);
    assert_lines_valid(text, &review.diagnostics);
    for f in &review.review.findings {
        let last = text.lines().count().max(1) as u32;
        assert!(f.line >= 1 && f.line <= last, "finding at line {}", f.line);
    }
    let report = parse_report(text, "round");
    assert_lines_valid(text, &report.diagnostics);
    if let Ok((_, parsed)) = import_report_text(Path::new("round.md"), text) {
        assert_lines_valid(text, &parsed.diagnostics);
    }
    let _ = Cassette::from_json(Path::new("c.json"), text);
    let _ = Rules::from_toml(Path::new("r.toml"), text);
    let _ = parse_markdown(Path::new("g.md"), text);
    let _ = parse_json(Path::new("g.json"), text);
    let files = vec![
        ("claude.md".to_string(), text.to_string()),
        ("round.json".to_string(), text.to_string()),
    ];
    let _ = raw_round_cassette(Path::new("dir"), "dir", &files);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_any_parser(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        every_parser(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn shaped_markdown_truncated_anywhere_never_panics(text in shaped_markdown(), cut in any::<usize>()) {
        let cut = if text.is_empty() { 0 } else { cut % (text.len() + 1) };
        every_parser(truncate(&text, cut));
        every_parser(&text);
    }

    #[test]
    fn review_parse_ignores_crlf_bom_and_trailing_whitespace(text in shaped_markdown()) {
        assert_same_parse(&text);
    }
}

/// The three renderings of `text` that must parse exactly as `text` does.
#[track_caller]
fn assert_same_parse(text: &str) {
    let base = parse_review(text, 1);
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(
        parse_review(&crlf, 1),
        base,
        "CRLF line endings changed the parse"
    );
    let bom = format!("\u{feff}{text}");
    assert_eq!(
        parse_review(&bom, 1),
        base,
        "a byte-order mark changed the parse"
    );
    let trailing: String = text
        .split('\n')
        .map(|l| format!("{l} \t"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        parse_review(&trailing, 1),
        base,
        "trailing whitespace changed the parse"
    );
}

/// The same invariance on every authored review, in every dialect.
#[test]
fn authored_reviews_parse_the_same_with_crlf_bom_and_trailing_whitespace() {
    let mut n = 0;
    for dir in ["tests/fixtures/reviews", "tests/fixtures/rounds"] {
        for entry in walkdir::WalkDir::new(repo_root().join(dir)).sort_by_file_name() {
            let entry = entry.expect("walk fixtures");
            let p = entry.path();
            if p.extension().is_some_and(|e| e == "md") && !p.ends_with("README.md") {
                let text = std::fs::read_to_string(p).expect("read fixture");
                assert_same_parse(&text);
                n += 1;
            }
        }
    }
    assert!(n > 40, "only {n} authored reviews found");
}

/// A report saved with CRLF line endings, a byte-order mark or trailing blanks imports to the
/// same round, reference and derived adjudications; only the verbatim
/// responses keep their bytes (and parse the same, see above).
#[test]
fn authored_reports_import_the_same_with_crlf_bom_and_trailing_whitespace() {
    let dir = repo_root().join("tests/fixtures/reports");
    let mut n = 0;
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.expect("walk reports");
        let p = entry.path();
        if p.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(p).expect("read report");
        let Ok((base, _)) = import_report_text(p, &text) else {
            continue; // a report that does not import (no appendix) is tested elsewhere
        };
        let trailing: String = text
            .split('\n')
            .map(|l| format!("{l}  "))
            .collect::<Vec<_>>()
            .join("\n");
        for variant in [
            text.replace('\n', "\r\n"),
            format!("\u{feff}{text}"),
            trailing,
        ] {
            let (c, _) = import_report_text(p, &variant).expect("the variant imports too");
            assert_eq!(c.round, base.round, "{}", p.display());
            assert_eq!(c.reference, base.reference, "{}", p.display());
            assert_eq!(c.adjudications, base.adjudications, "{}", p.display());
            for (a, b) in c.interactions.iter().zip(&base.interactions) {
                assert_eq!(
                    parse_review(&a.response, 1),
                    parse_review(&b.response, 1),
                    "{}",
                    p.display()
                );
            }
        }
        n += 1;
    }
    assert!(n >= 3, "only {n} reports imported");
}

/// The same invariances on the real reports, when the corpus is beside the
/// repository (read only; nothing of it is copied here).
#[test]
fn corpus_reports_and_reviews_parse_the_same_with_crlf_bom_and_trailing_whitespace() {
    let Some(dir) = crate::common::corpus_dir() else {
        return;
    };
    let mut n = 0;
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.expect("walk corpus");
        let p = entry.path();
        if p.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(p).expect("read report");
        every_parser(&text);
        let Ok((base, _)) = import_report_text(p, &text) else {
            continue;
        };
        let crlf = text.replace('\n', "\r\n");
        let (c, _) = import_report_text(p, &crlf).expect("the CRLF report imports too");
        assert_eq!(c.round, base.round, "{}", p.display());
        assert_eq!(c.reference, base.reference, "{}", p.display());
        assert_eq!(c.adjudications, base.adjudications, "{}", p.display());
        for i in &base.interactions {
            assert_same_parse(&i.response);
        }
        n += 1;
    }
    assert!(n > 0, "no corpus report imported");
}
