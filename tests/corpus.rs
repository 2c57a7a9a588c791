//! The real corpus (`../shared/corpus/rancher-desktop-daemon`), read in place:
//! every report with an appendix imports, exactly the ones without one fail, each
//! listed reviewer has its interaction, and hand-checked reports give the
//! reference counts and header fields read off the reports by a person.
//!
//! Skipped with a notice when the corpus folder is missing. Nothing of the
//! corpus is copied into the repository: assertions hold counts, ids and header
//! values only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use review_replay::cassette::Cassette;
use review_replay::model::Severity;
use review_replay::parse::review::parse_review;

use crate::common::{Cmd, corpus_dir};
use crate::import::assert_schema_fields;

/// Reports that cannot import: two have no appendix at all, one has an
/// appendix that only says the reviews were omitted (read by hand).
const WITHOUT_APPENDIX: &[&str] = &[
    "20260313-000000-app-controller-create-delete-limavm-v2.md",
    "20260320-164645-pr-236.md",
    "20260321-architecture-review.md",
];

/// The corpus imported once into a temporary directory, shared by the tests.
struct Imported {
    reports: Vec<PathBuf>,
    out: PathBuf,
    code: i32,
    stderr: String,
    _dir: tempfile::TempDir,
}

fn imported() -> Option<&'static Imported> {
    static CELL: OnceLock<Option<Imported>> = OnceLock::new();
    CELL.get_or_init(|| {
        let dir = corpus_dir()?;
        let mut reports: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("read corpus")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        reports.sort();
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("cassettes");
        let mut args: Vec<std::ffi::OsString> = vec!["import".into()];
        args.extend(reports.iter().map(|p| p.as_os_str().to_os_string()));
        args.push("--out".into());
        args.push(out.as_os_str().to_os_string());
        let o = Cmd::new(args).run();
        Some(Imported {
            reports,
            out,
            code: o.code,
            stderr: o.stderr,
            _dir: tmp,
        })
    })
    .as_ref()
}

fn load(imp: &Imported, id: &str) -> Cassette {
    Cassette::load(&imp.out.join(format!("{id}.json"))).expect("load cassette")
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Per report id, per agent key (`agent` or `agent.passN`), the (critical,
/// important, suggestion) counts the review parser finds in each reviewer
/// interaction. The lead snapshots or asserts these once the parser is merged.
pub fn per_agent_counts(out: &Path) -> BTreeMap<String, BTreeMap<String, (usize, usize, usize)>> {
    let mut all = BTreeMap::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(out)
        .expect("read out")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    for p in paths {
        let c = Cassette::load(&p).expect("load");
        let mut per = BTreeMap::new();
        for i in c.reviews() {
            let parsed = parse_review(&i.response, 1).review;
            let n = |s: Severity| parsed.findings.iter().filter(|f| f.severity == s).count();
            let key = if i.pass == 1 {
                i.agent.clone()
            } else {
                format!("{}.pass{}", i.agent, i.pass)
            };
            per.insert(
                key,
                (
                    n(Severity::Critical),
                    n(Severity::Important),
                    n(Severity::Suggestion),
                ),
            );
        }
        all.insert(c.round.id.clone(), per);
    }
    all
}

#[test]
fn every_report_with_an_appendix_imports() {
    let Some(imp) = imported() else { return };
    assert_eq!(imp.reports.len(), 68, "corpus size changed");
    assert_eq!(imp.code, 1, "{}", imp.stderr);
    let mut failed: Vec<String> = imp
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .map(|l| {
            let path = l.split(".md").next().unwrap_or(l);
            format!("{}.md", file_name(Path::new(path)))
        })
        .collect();
    failed.sort();
    assert_eq!(failed, WITHOUT_APPENDIX, "{}", imp.stderr);
    for line in imp.stderr.lines().filter(|l| l.starts_with("error: ")) {
        assert!(
            line.ends_with("no `Appendix: Original Reviews` with agent reviews"),
            "{line}"
        );
    }
    assert!(
        imp.stderr
            .contains("imported 65 of 68; 2 incomplete; 3 failed"),
        "{}",
        imp.stderr
    );
    // The only warnings name the reviews that are a pointer to a temporary file:
    // every agent of the two rounds whose appendix kept a summary only.
    let mut incomplete: Vec<String> = imp
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .filter_map(|l| {
            let (path, rest) = l.split_once(".md:")?;
            let agent = rest.split(": ").nth(1)?;
            rest.contains("incomplete review (pointer)")
                .then(|| format!("{} {agent}", file_name(Path::new(&format!("{path}.md")))))
        })
        .collect();
    incomplete.sort();
    assert_eq!(
        incomplete,
        [
            "20260414-232915-pr-309.md claude pass 1",
            "20260414-232915-pr-309.md codex pass 1",
            "20260414-232915-pr-309.md gemini pass 1",
            "20260415-015141-pr-309.md claude pass 1",
            "20260415-015141-pr-309.md codex pass 1",
            "20260415-015141-pr-309.md gemini pass 1",
        ],
        "{}",
        imp.stderr
    );
    assert!(
        !imp.stderr
            .lines()
            .any(|l| l.starts_with("warning: ") && !l.contains("incomplete review (pointer)")),
        "{}",
        imp.stderr
    );
}

#[test]
fn every_listed_reviewer_has_an_interaction() {
    let Some(imp) = imported() else { return };
    let mut n = 0;
    for p in &imp.reports {
        if WITHOUT_APPENDIX.contains(&file_name(p).as_str()) {
            continue;
        }
        let stem = file_name(p).trim_end_matches(".md").to_string();
        // Ids come from the titles; find the cassette by its source name.
        let cassette = std::fs::read_dir(&imp.out)
            .expect("read out")
            .map(|e| e.expect("entry").path())
            .map(|path| (Cassette::load(&path).expect("load"), path))
            .find(|(c, _)| {
                c.source
                    .as_ref()
                    .is_some_and(|s| s.name == format!("{stem}.md"))
            });
        let (c, path) = cassette.unwrap_or_else(|| panic!("no cassette for {stem}"));
        assert_schema_fields(&path);
        assert_eq!(c.round.reviewers.len(), 3, "{stem}");
        for r in &c.round.reviewers {
            assert!(
                c.reviews().any(|i| i.agent == r.agent),
                "{stem}: no interaction for {}",
                r.agent
            );
        }
        let agents: Vec<&str> = c.reviews().map(|i| i.agent.as_str()).collect();
        assert_eq!(agents, vec!["claude", "codex", "gemini"], "{stem}");
        for i in c.reviews() {
            assert!(!i.response.trim().is_empty(), "{stem}: empty {}", i.agent);
        }
        n += 1;
    }
    assert_eq!(n, 65);
}

/// (critical, important, suggestion) consolidated findings, read by hand from
/// each report (most have a `Structure: N critical, ...` line to cross-check).
const HAND_CHECKED: &[(&str, (usize, usize, usize))] = &[
    (
        "20260313-120000-app-controller-create-delete-limavm",
        (3, 5, 2),
    ),
    ("20260323-003519-pr-242", (0, 1, 5)),
    ("20260325-180207-pr-234", (0, 1, 4)),
    ("20260412-003842-pr-295", (1, 8, 8)),
    ("20260412-031335-pr-295", (0, 11, 10)),
    ("20260412-171333-pr-295", (0, 4, 12)),
    ("20260412-203409-pr-295", (0, 4, 13)),
    ("20260412-221509-pr-295", (1, 6, 9)),
    ("20260414-214710-pr-309", (0, 2, 5)),
    ("20260414-232915-pr-309", (0, 4, 3)),
    ("20260415-015141-pr-309", (0, 3, 4)),
    ("20260415-120235-pr-302", (0, 1, 4)),
    // The Structure line says 6 suggestions, but the report lists S1 to S7 and
    // its resolution table resolves Suggestion #7.
    ("20260416-144208-pr-316", (0, 1, 7)),
];

#[test]
fn reference_counts_match_hand_checked_reports() {
    let Some(imp) = imported() else { return };
    for (id, want) in HAND_CHECKED {
        let c = load(imp, id);
        let f = c.reference.as_ref().expect("reference").findings.clone();
        let n = |s: Severity| f.iter().filter(|x| x.severity == s).count();
        let got = (
            n(Severity::Critical),
            n(Severity::Important),
            n(Severity::Suggestion),
        );
        assert_eq!(got, *want, "{id}");
        // Ids are unique and carry the severity letter.
        let mut ids: Vec<&str> = f.iter().map(|x| x.id.as_str()).collect();
        for x in &f {
            assert!(x.id.starts_with(x.severity.letter()), "{id}: {}", x.id);
            assert!(!x.agents.is_empty(), "{id}: {} has no agents", x.id);
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), f.len(), "{id}: duplicate ids");
    }
}

#[test]
fn header_fields_of_hand_checked_reports() {
    let Some(imp) = imported() else { return };

    let c = load(imp, "20260412-003842-pr-295");
    let r = &c.round;
    assert_eq!(
        r.repo.as_deref(),
        Some("rancher-sandbox/rancher-desktop-daemon")
    );
    assert_eq!(r.round, Some(1));
    assert_eq!(r.author.as_deref(), Some("jandubois"));
    assert_eq!(r.pr, Some(295));
    assert_eq!(r.title.as_deref(), Some("Container Engine watcher"));
    assert_eq!(r.branch.as_deref(), Some("docker"));
    assert_eq!(r.date.as_deref(), Some("2026-04-12 00:38"));
    assert_eq!(r.commits.len(), 9);
    assert_eq!(r.commits[0].sha, "cc5875e");
    assert_eq!(r.commits[8].sha, "536ccb2");
    let models: Vec<&str> = r.reviewers.iter().map(|x| x.model.as_str()).collect();
    assert_eq!(
        models,
        ["Claude Opus 4.6", "Codex GPT 5.4", "Gemini 3.1 Pro"]
    );
    assert_eq!(r.wall_clock_s, Some(5218.0));
    let reference = c.reference.as_ref().expect("reference");
    assert_eq!(
        reference.verdict.as_ref().map(|v| v.decision.as_str()),
        Some("rework")
    );
    assert_eq!(reference.reconciliation.len(), 1);
    let claude = c.reviews().find(|i| i.agent == "claude").expect("claude");
    assert_eq!(claude.tool_calls, Some(88));
    assert_eq!(claude.duration_s, Some(959.0));

    let c = load(imp, "20260416-144802-pr-320");
    let r = &c.round;
    assert_eq!(r.author.as_deref(), Some("Nino-K"));
    assert_eq!(r.pr, Some(320));
    assert_eq!(r.branch.as_deref(), Some("docker-context"));
    assert_eq!(r.date.as_deref(), Some("2026-04-16 15:14"));
    assert_eq!(r.commits.len(), 2);
    assert_eq!(r.reviewers[0].model, "Claude Opus 4.7");
    assert_eq!(r.wall_clock_s, Some(1815.0));
    let reference = c.reference.as_ref().expect("reference");
    assert_eq!(reference.reconciliation.len(), 3);

    // An early report: no round, author, branch or commits rows.
    let c = load(imp, "20260315-180016-pr-188");
    let r = &c.round;
    assert_eq!(r.pr, Some(188));
    assert_eq!(r.round, None);
    assert_eq!(r.author, None);
    assert_eq!(r.branch, None);
    assert!(r.commits.is_empty());
    assert_eq!(r.date.as_deref(), Some("2026-03-15 18:00"));
    assert_eq!(r.wall_clock_s, Some(1147.0));
    let retro = c
        .reference
        .as_ref()
        .and_then(|x| x.retro.as_ref())
        .expect("retro");
    assert_eq!(retro.columns.len(), 3);

    // The oldest form: numbered sections, no PR row, durations in seconds.
    let c = load(imp, "20260313-120000-app-controller-create-delete-limavm");
    assert_eq!(c.round.pr, None);
    assert_eq!(
        c.round.branch.as_deref(),
        Some("app-controller-create-delete-limavm")
    );
    let durations: Vec<Option<f64>> = c.reviews().map(|i| i.duration_s).collect();
    assert_eq!(durations, vec![Some(278.0), Some(268.0), Some(250.0)]);
}

#[test]
fn later_rounds_carry_earlier_resolutions() {
    let Some(imp) = imported() else { return };
    // PR 295: rounds 1 to 4 have resolution sections; round 5 gets all of them.
    let c = load(imp, "20260412-221509-pr-295");
    let rounds: std::collections::BTreeSet<u32> =
        c.prior_resolutions.iter().map(|p| p.round).collect();
    assert_eq!(rounds.into_iter().collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    assert!(c.prior_resolutions.iter().all(|p| p.round < 5));
    let first = load(imp, "20260412-003842-pr-295");
    assert!(first.prior_resolutions.is_empty());
}

#[test]
fn per_agent_counts_cover_every_interaction() {
    let Some(imp) = imported() else { return };
    let counts = per_agent_counts(&imp.out);
    assert_eq!(counts.len(), 65);
    for (id, per) in &counts {
        let keys: Vec<&str> = per.keys().map(String::as_str).collect();
        assert_eq!(keys, ["claude", "codex", "gemini"], "{id}");
    }
}

/// Per-agent (critical, important, suggestion) counts of the review parser over
/// the corpus, one line per report: `id  claude C/I/S  codex C/I/S  ...`.
/// While the parser is a stub every count is 0 and there is nothing to pin;
/// once it finds findings, the snapshot must be reviewed and accepted
/// (`INSTA_UPDATE=always cargo test corpus`, then read the `.snap` file).
#[test]
fn per_agent_finding_counts_snapshot() {
    let Some(imp) = imported() else { return };
    let counts = per_agent_counts(&imp.out);
    let any = counts
        .values()
        .flat_map(|per| per.values())
        .any(|&(c, i, s)| c + i + s > 0);
    if !any {
        println!("notice: the review parser finds nothing yet; per-agent counts not pinned");
        return;
    }
    let mut text = String::new();
    for (id, per) in &counts {
        text.push_str(id);
        for (agent, (c, i, s)) in per {
            text.push_str(&format!("  {agent} {c}/{i}/{s}"));
        }
        text.push('\n');
    }
    insta::assert_snapshot!("corpus_per_agent_counts", text);
}

/// The `reproduce` figures of `docs/fidelity.md` are the ones `reproduce --format
/// json` prints over the imported corpus. The doc's table is parsed, so the doc
/// and this test cannot drift; on a difference the message holds the table to
/// paste into the doc (after checking why the figures moved).
#[test]
fn fidelity_figures_in_the_docs_are_the_reproduce_totals() {
    let Some(imp) = imported() else { return };
    let o = Cmd::new([
        "reproduce".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        imp.out.as_os_str(),
    ])
    .run();
    assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("reproduce json");
    let totals = &v["totals"];
    let actual = fidelity_rows(&totals["adjudicated"], &totals["rules-only"]);

    let doc_path = crate::common::repo_root().join("docs").join("fidelity.md");
    let doc = std::fs::read_to_string(&doc_path).expect("read docs/fidelity.md");
    let documented = doc_table(&doc);
    assert!(
        !documented.is_empty(),
        "no figures table between the fidelity-table markers"
    );
    let as_text = |rows: &[(String, String, String)]| {
        rows.iter()
            .map(|(l, a, r)| format!("| {l} | {a} | {r} |"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        documented,
        actual,
        "docs/fidelity.md is out of date; reproduce prints:\n{}",
        as_text(&actual)
    );
}

/// The figures table of `docs/fidelity.md`: (label, adjudicated, rules-only).
fn doc_table(doc: &str) -> Vec<(String, String, String)> {
    let start = "<!-- fidelity-table:start -->";
    let end = "<!-- fidelity-table:end -->";
    let Some(body) = doc
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(body, _)| body)
    else {
        return Vec::new();
    };
    body.lines()
        .filter(|l| l.trim_start().starts_with('|'))
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|cells| cells.len() == 3)
        .filter(|cells| cells[0] != "figure" && !cells[0].starts_with("---"))
        .map(|cells| (cells[0].clone(), cells[1].clone(), cells[2].clone()))
        .collect()
}

fn fidelity_rows(a: &serde_json::Value, r: &serde_json::Value) -> Vec<(String, String, String)> {
    let n = |m: &serde_json::Value, k: &str| m[k].as_u64().map_or("?".into(), |x| x.to_string());
    let of = |m: &serde_json::Value, k: &str, d: &str| format!("{}/{}", n(m, k), n(m, d));
    let sev = |m: &serde_json::Value, side: &str, s: &str| n(&m[side], s);
    let mut rows = vec![
        (
            "complete rounds".to_string(),
            n(a, "rounds"),
            n(r, "rounds"),
        ),
        (
            "recorded verdict reproduced".into(),
            of(a, "recorded_verdicts_agree", "recorded_verdicts"),
            of(r, "recorded_verdicts_agree", "recorded_verdicts"),
        ),
        (
            "rule verdict agrees".into(),
            of(a, "rule_verdicts_agree", "verdicts_compared"),
            of(r, "rule_verdicts_agree", "verdicts_compared"),
        ),
        (
            "exact C/I/S counts".into(),
            of(a, "counts_exact", "rounds"),
            of(r, "counts_exact", "rounds"),
        ),
    ];
    for side in ["engine", "reference"] {
        for s in ["critical", "important", "suggestion"] {
            rows.push((format!("{side} {s}"), sev(a, side, s), sev(r, side, s)));
        }
    }
    rows.extend([
        ("matched".to_string(), n(a, "matched"), n(r, "matched")),
        (
            "severity agreement".into(),
            of(a, "severity_agree", "matched"),
            of(r, "severity_agree", "matched"),
        ),
        (
            "attribution exact".into(),
            of(a, "attribution_exact", "matched"),
            of(r, "attribution_exact", "matched"),
        ),
        (
            "attribution partial".into(),
            n(a, "attribution_partial"),
            n(r, "attribution_partial"),
        ),
        (
            "engine-only".into(),
            n(a, "engine_only"),
            n(r, "engine_only"),
        ),
        (
            "reference-only".into(),
            n(a, "reference_only"),
            n(r, "reference_only"),
        ),
        (
            "carried over reproduced".into(),
            of(a, "carried_matched", "carried"),
            of(r, "carried_matched", "carried"),
        ),
    ]);
    rows
}

/// An agent key and its (critical, important, suggestion) raw finding counts.
type AgentCounts = (&'static str, (usize, usize, usize));

/// Per-agent (critical, important, suggestion) counts of raw findings, read by a
/// person off the appendix of each report (`None` = the agent's section is a
/// summary without findings). Independent of the snapshot above: if the parser
/// drifts, both fail, and this one says which numbers a human stands behind.
const HAND_CHECKED_AGENTS: &[(&str, [AgentCounts; 3])] = &[
    (
        "20260313-120000-app-controller-create-delete-limavm",
        [
            ("claude", (1, 4, 2)),
            ("codex", (2, 3, 0)),
            ("gemini", (3, 0, 1)),
        ],
    ),
    (
        "20260320-133532-msys2-ci",
        [
            ("claude", (0, 3, 4)),
            ("codex", (0, 2, 1)),
            ("gemini", (2, 2, 2)),
        ],
    ),
    (
        "20260407-125326-rdd-set-command",
        [
            ("claude", (0, 4, 5)),
            ("codex", (0, 0, 0)),
            ("gemini", (2, 3, 1)),
        ],
    ),
    (
        "20260408-145125-pr-280",
        [
            ("claude", (0, 3, 2)),
            ("codex", (0, 2, 0)),
            ("gemini", (3, 3, 1)),
        ],
    ),
    (
        "20260412-003842-pr-295",
        [
            ("claude", (0, 4, 7)),
            ("codex", (0, 4, 1)),
            ("gemini", (3, 3, 1)),
        ],
    ),
    (
        "20260412-203409-pr-295",
        [
            ("claude", (0, 3, 12)),
            ("codex", (0, 4, 0)),
            ("gemini", (1, 1, 2)),
        ],
    ),
    (
        "20260416-144802-pr-320",
        [
            ("claude", (0, 4, 9)),
            ("codex", (0, 2, 1)),
            ("gemini", (3, 1, 0)),
        ],
    ),
];

#[test]
fn per_agent_counts_of_hand_checked_reports() {
    let Some(imp) = imported() else { return };
    let counts = per_agent_counts(&imp.out);
    for (id, agents) in HAND_CHECKED_AGENTS {
        let per = counts
            .get(*id)
            .unwrap_or_else(|| panic!("{id} was not imported"));
        for (agent, want) in agents {
            assert_eq!(per.get(*agent), Some(want), "{id} {agent}");
        }
    }
}

/// Every agent review yields findings, or says explicitly that it has none, or
/// is a summary-only section that the parser flags with a warning: nothing is
/// silently empty.
#[test]
fn every_agent_review_yields_findings_or_an_explicit_none() {
    let Some(imp) = imported() else { return };
    let mut silent = Vec::new();
    for entry in std::fs::read_dir(&imp.out).expect("read out") {
        let path = entry.expect("entry").path();
        let c = Cassette::load(&path).expect("load");
        for i in c.reviews() {
            let out = parse_review(&i.response, 1);
            let flagged = out
                .diagnostics
                .iter()
                .any(|d| d.level >= review_replay::model::DiagnosticLevel::Warning);
            if out.review.findings.is_empty() && !out.review.explicit_no_findings && !flagged {
                silent.push(format!("{} {} pass {}", c.round.id, i.agent, i.pass));
            }
        }
    }
    silent.sort();
    assert!(silent.is_empty(), "silently empty reviews: {silent:#?}");
}

/// The calibration table of `docs/fidelity.md` ("Calibration profile (corpus)") is
/// what `reproduce --calibration` prints over the imported corpus, and
/// `--calibration-rules` prints the same keep rates as TOML. On a difference the
/// message holds the table to paste into the doc.
#[test]
fn calibration_table_in_the_docs_is_the_reproduce_profile() {
    let Some(imp) = imported() else { return };
    let o = Cmd::new([
        "reproduce".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--calibration".as_ref(),
        imp.out.as_os_str(),
    ])
    .run();
    assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("reproduce json");
    let n = |r: &serde_json::Value, k: &str| r[k].as_u64().unwrap_or_else(|| panic!("{k}: {r}"));
    let actual: Vec<Vec<String>> = v["calibration"]["rows"]
        .as_array()
        .expect("calibration rows")
        .iter()
        .map(|r| {
            let decided = n(r, "kept") + n(r, "up") + n(r, "down") + n(r, "dropped");
            // Computed from the counts, as the text table does, not from the
            // rounded JSON rate.
            let rate = if decided == 0 {
                "n/a".to_string()
            } else {
                format!("{:.3}", n(r, "kept") as f64 / decided as f64)
            };
            let mut row = vec![
                r["agent"].as_str().expect("agent").to_string(),
                r["raised_as"].as_str().expect("raised_as").to_string(),
            ];
            for k in ["raised", "kept", "up", "down", "dropped", "unmatched"] {
                row.push(n(r, k).to_string());
            }
            row.push(rate);
            row
        })
        .collect();
    assert!(!actual.is_empty(), "no calibration rows");

    let doc_path = crate::common::repo_root().join("docs").join("fidelity.md");
    let doc = std::fs::read_to_string(&doc_path).expect("read docs/fidelity.md");
    let documented = marked_table(&doc, "calibration-table");
    assert_eq!(
        documented,
        actual,
        "docs/fidelity.md calibration table is out of date; reproduce prints:\n{}",
        actual
            .iter()
            .map(|r| format!("| {} |", r.join(" | ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        doc.contains(&format!(
            "reproduce --calibration` over the imported corpus ({} rounds",
            v["calibration"]["rounds"]
        )),
        "the calibration section names another round count than {}",
        v["calibration"]["rounds"]
    );

    // The TOML snippet carries the same keep rates.
    let o = Cmd::new([
        "reproduce".as_ref(),
        "--calibration-rules".as_ref(),
        imp.out.as_os_str(),
    ])
    .run();
    assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
    let t: toml::Value = toml::from_str(&o.stdout).expect("calibration rules are TOML");
    for row in &actual {
        let key = format!("{}_keep_rate", row[1]);
        let got = t["calibration"][&row[0]]
            .get(&key)
            .and_then(toml::Value::as_float);
        let want = row[8].parse::<f64>().ok();
        assert_eq!(got, want, "{} {key}", row[0]);
    }
}

/// The body rows of the table between `<!-- NAME:start -->` and
/// `<!-- NAME:end -->`, header and separator left out.
fn marked_table(doc: &str, name: &str) -> Vec<Vec<String>> {
    let start = format!("<!-- {name}:start -->");
    let end = format!("<!-- {name}:end -->");
    let Some(body) = doc
        .split_once(&start)
        .and_then(|(_, rest)| rest.split_once(&end))
        .map(|(body, _)| body)
    else {
        return Vec::new();
    };
    body.lines()
        .filter(|l| l.trim_start().starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}
