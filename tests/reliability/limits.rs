//! Bounded resources (docs/limits.md): every input past its limit is a clear
//! error naming the file (and line), not an allocation failure; pathological
//! markdown (100,000 nesting levels, fence openings, table cells) parses to the
//! end. No timing assertions: these tests only have to finish.

use std::fs;
use std::path::Path;

use review_replay::cassette::Cassette;
use review_replay::consolidate::engine::{ReplayOptions, replay};
use review_replay::consolidate::rules::Rules;
use review_replay::limits::{MAX_FINDINGS_PER_ROUND, MAX_INTERACTIONS, MAX_LINE_BYTES};
use review_replay::parse::report::parse_report;
use review_replay::parse::review::parse_review;

use crate::common::Cmd;

const GIB: u64 = 1 << 30;

fn cassette(id: &str, responses: &[(&str, String)]) -> String {
    let interactions: Vec<serde_json::Value> = responses
        .iter()
        .map(|(agent, r)| serde_json::json!({"role": "reviewer", "agent": agent, "response": r}))
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "schema": "review-replay/cassette/v1",
        "round": {"id": id},
        "interactions": interactions,
    }))
    .expect("json")
}

/// A 1 GiB file that takes no disk space.
fn sparse(path: &Path) {
    let f = fs::File::create(path).expect("create");
    f.set_len(GIB).expect("set_len");
}

#[track_caller]
fn assert_too_large(stderr: &str, name: &str) {
    assert!(
        stderr.lines().any(|l| l.contains(name)
            && l.contains(&format!("file is {GIB} bytes, more than the limit"))),
        "no size error naming {name}:\n{stderr}"
    );
}

#[test]
fn a_1_gib_sparse_file_is_refused_by_size_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::create_dir_all(d.join("cassettes")).expect("mkdir");
    sparse(&d.join("cassettes/huge.json"));
    sparse(&d.join("huge.md"));
    sparse(&d.join("huge.toml"));
    fs::create_dir_all(d.join("raw")).expect("mkdir");
    sparse(&d.join("raw/round.json"));

    // An unreadable cassette fails its round, and check exits 2.
    let out = Cmd::new(["check"]).current_dir(d).expect_code(2);
    assert_too_large(&format!("{}{}", out.stdout, out.stderr), "huge.json");
    let out = Cmd::new(["replay", "cassettes/huge.json"])
        .current_dir(d)
        .expect_code(2);
    assert_too_large(&out.stderr, "huge.json");
    let out = Cmd::new(["parse", "huge.md"]).current_dir(d).expect_code(2);
    assert_too_large(&out.stderr, "huge.md");
    let out = Cmd::new(["import", "huge.md", "--out", "out"])
        .current_dir(d)
        .expect_code(1);
    assert_too_large(&out.stderr, "huge.md");
    let out = Cmd::new(["import", "--raw", "raw", "--out", "out"])
        .current_dir(d)
        .expect_code(1);
    assert_too_large(&out.stderr, "round.json");
    let out = Cmd::new(["check", "--rules", "huge.toml"])
        .current_dir(d)
        .expect_code(2);
    assert_too_large(&out.stderr, "huge.toml");
    let out = Cmd::new(["reproduce", "huge.md"]).current_dir(d).run();
    assert_ne!(out.code, 0);
    assert_too_large(&out.stderr, "huge.md");
}

/// One 10 MB line: ten times the line limit.
fn long_line_review() -> String {
    format!(
        "## Summary\n\nFine.\n\n### Important\n\n1. **Slow** — `a.rs:1` (important)\n\n{}\n",
        "x".repeat(10 * 1024 * 1024)
    )
}

#[test]
fn a_review_with_one_10_mb_line_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::write(d.join("review.md"), long_line_review()).expect("write");
    let out = Cmd::new(["parse", "review.md"])
        .current_dir(d)
        .expect_code(2);
    let want = format!(
        "error: review.md:9: line is 10485760 bytes, more than the limit of {MAX_LINE_BYTES} bytes"
    );
    assert!(out.stderr.contains(&want), "{}", out.stderr);

    fs::create_dir_all(d.join("cassettes")).expect("mkdir");
    fs::write(
        d.join("cassettes/long.json"),
        cassette("long", &[("claude", long_line_review())]),
    )
    .expect("write");
    let out = Cmd::new(["replay", "cassettes/long.json"])
        .current_dir(d)
        .expect_code(2);
    assert!(
        out.stderr.contains(
            "cassettes/long.json: interaction 1 (claude pass 1): response line 9 is 10485760 bytes"
        ),
        "{}",
        out.stderr
    );
    let out = Cmd::new(["check"]).current_dir(d).expect_code(2);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("response line 9 is 10485760 bytes"), "{all}");

    // The same line in a report, and in a raw round's review.
    let report = format!(
        "# Deep Review: r1\n\n## Appendix\n\n### Claude\n\n{}",
        long_line_review()
    );
    fs::write(d.join("r1.md"), report).expect("write");
    let out = Cmd::new(["import", "r1.md", "--out", "out"])
        .current_dir(d)
        .expect_code(1);
    assert!(
        out.stderr
            .contains("error: r1.md:15: line is 10485760 bytes"),
        "{}",
        out.stderr
    );
    fs::create_dir_all(d.join("raw")).expect("mkdir");
    fs::write(
        d.join("raw/round.json"),
        r#"{"schema": "review-replay/round/v1", "round": {"id": "raw-1"}}"#,
    )
    .expect("write");
    fs::write(d.join("raw/claude.md"), long_line_review()).expect("write");
    let out = Cmd::new(["import", "--raw", "raw", "--out", "out"])
        .current_dir(d)
        .expect_code(1);
    assert!(
        out.stderr.contains("claude.md:9: line is 10485760 bytes"),
        "{}",
        out.stderr
    );
}

#[test]
fn too_many_interactions_is_a_clear_error() {
    let responses: Vec<(&str, String)> = (0..=MAX_INTERACTIONS)
        .map(|_| ("claude", "None.".to_string()))
        .collect();
    let err = Cassette::from_json(Path::new("many.json"), &cassette("many", &responses))
        .expect_err("over the limit");
    assert_eq!(
        err.to_string(),
        format!(
            "many.json: {} interactions, more than the limit of {MAX_INTERACTIONS}",
            MAX_INTERACTIONS + 1
        )
    );
}

#[test]
fn findings_past_the_round_limit_are_left_out_with_a_notice() {
    let mut review = String::from("## Summary\n\nMany.\n\n### Suggestions\n\n");
    for i in 0..MAX_FINDINGS_PER_ROUND + 5 {
        review.push_str(&format!(
            "{}. **Rename helper{i}** — `src/m{i}.rs:{}` (suggestion)\n\n",
            i + 1,
            i + 1
        ));
    }
    let json = cassette("many-findings", &[("claude", review)]);
    let c = Cassette::from_json(Path::new("m.json"), &json).expect("cassette");
    let report = replay(&c, &Rules::default(), ReplayOptions::default());
    assert_eq!(report.findings.len(), MAX_FINDINGS_PER_ROUND);
    let want = format!(
        "claude pass 1: 5 of its {} findings left out: more than {MAX_FINDINGS_PER_ROUND} findings in the round (docs/limits.md)",
        MAX_FINDINGS_PER_ROUND + 5
    );
    assert!(report.notices.contains(&want), "{:?}", report.notices);
}

/// 100,000 levels of everything the line scanner nests or pairs.
#[test]
fn pathological_markdown_parses_to_the_end() {
    const N: usize = 100_000;
    let texts = [
        // Nested list markers on one line, and nested block quotes.
        format!("{}item\n", "- ".repeat(N)),
        format!("{}quote\n", "> ".repeat(N)),
        // Indentation-nested list levels (100 levels, 1,000 times).
        (0..N)
            .map(|i| format!("{}- level {}\n", "  ".repeat(i % 100), i))
            .collect(),
        // Fence openings: every line opens (or closes) a fence, of growing kinds.
        (0..N)
            .map(|i| {
                format!(
                    "{}{}\n",
                    ["```", "~~~", "````"][i % 3],
                    if i % 2 == 0 { "rust" } else { "" }
                )
            })
            .collect(),
        // Headings of every level, severities, with nothing under them.
        (0..N)
            .map(|i| format!("{} Critical {i}\n", "#".repeat(1 + i % 6)))
            .collect(),
        // A table row of 100,000 cells and a table of 100,000 rows.
        format!("|{}\n|{}\n", " a |".repeat(N), "---|".repeat(N)),
        (0..N)
            .map(|i| format!("| `f{i}.rs` | C{i} | S{i} |\n"))
            .collect(),
        // Code-span runs of every length up to the line limit's worth: each run
        // looks for its closer (this was quadratic).
        (1..1400)
            .map(|k| "`".repeat(k))
            .collect::<Vec<_>>()
            .join(" "),
        // Unclosed emphasis and code spans.
        format!("**{}\n", "`*_".repeat(N)),
    ];
    for text in &texts {
        let review = parse_review(text, 1);
        let lines = text.lines().count() as u32;
        assert!(
            review
                .diagnostics
                .iter()
                .all(|d| d.line >= 1 && d.line <= lines)
        );
        let report = parse_report(text, "deep");
        assert!(
            report
                .diagnostics
                .iter()
                .all(|d| d.line >= 1 && d.line <= lines)
        );
    }
}

/// 100,000 levels of JSON and TOML nesting: the parsers' recursion limits
/// turn them into errors naming the file, not a stack overflow.
#[test]
fn deeply_nested_json_and_toml_are_clear_errors() {
    const N: usize = 100_000;
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let deep_json = format!(
        "{{\"schema\": \"review-replay/cassette/v1\", \"round\": {{\"id\": \"deep\"}}, \"interactions\": {}{}}}",
        "[".repeat(N),
        "]".repeat(N)
    );
    fs::write(d.join("deep.json"), deep_json).expect("write");
    let out = Cmd::new(["replay", "deep.json"])
        .current_dir(d)
        .expect_code(2);
    assert!(
        out.stderr.starts_with("error: deep.json:1:"),
        "{}",
        out.stderr
    );
    for (name, value) in [
        ("arrays.toml", format!("{}{}", "[".repeat(N), "]".repeat(N))),
        (
            "tables.toml",
            format!("{}{}", "{a=".repeat(N), "}".repeat(N)),
        ),
    ] {
        fs::write(
            d.join(name),
            format!("schema = \"review-replay/rules/v1\"\nx = {value}\n"),
        )
        .expect("write");
        let out = Cmd::new(["check", "--rules", name])
            .current_dir(d)
            .expect_code(2);
        assert!(
            out.stderr
                .starts_with(&format!("error: {name}: invalid rules: 2:")),
            "{}",
            out.stderr
        );
    }
}

/// The `report` fuzz target's crash of 2026-12-05 (kept as
/// `fuzz/regressions/report/float-roundtrip-wall-clock`): an imported
/// wall-clock time of `120000000000000000000000000m 40s` came out as
/// 7.200000000000001e27 in that build, which serde_json's fast float parser
/// read back one unit in the last place off, so the imported cassette did not survive its
/// own JSON round trip. The tests' dev-dependencies switch the exact parser
/// on for the tests alone, so the round trip below passes either way; what
/// keeps the binary exact is the crate's own `float_roundtrip` feature, which
/// the second half holds.
#[test]
fn imported_floats_survive_the_cassette_round_trip() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let input = fs::read(root.join("fuzz/regressions/report/float-roundtrip-wall-clock"))
        .expect("the fuzz regression input");
    let text = String::from_utf8_lossy(&input);
    let (cassette, _) = review_replay::parse::report::import_report_text(Path::new("r.md"), &text)
        .expect("imports");
    assert!(cassette.round.wall_clock_s.is_some_and(|s| s > 7e27));
    let json = cassette.to_json();
    let back = Cassette::from_json(Path::new("r.json"), &json).expect("reads back");
    assert_eq!(back.to_json(), json);
    let manifest = fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let serde_json = manifest
        .lines()
        .find(|l| l.starts_with("serde_json = "))
        .expect("serde_json is a dependency");
    assert!(
        serde_json.contains("\"float_roundtrip\""),
        "serde_json must parse floats exactly in every build: {serde_json}"
    );
}
