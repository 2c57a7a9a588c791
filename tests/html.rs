//! `--html FILE` on `check`, `eval` and `reproduce`: snapshots of the pages for
//! the bundled rounds and fixtures, their self-containment and determinism, and
//! (when Chromium is installed) a headless browser that renders each page without
//! a single network request.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Cmd, repo_root};

const ROUNDS: [&str; 6] = [
    "kiln-pr-21-r1",
    "kiln-pr-22-r1",
    "kiln-pr-23-r1",
    "kiln-pr-24-r1",
    "kiln-pr-25-r1",
    "kiln-pr-26-r1",
];

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks what every page promises: nothing loaded from anywhere, no script,
/// every chart titled and described, every in-page link pointing at an anchor.
#[track_caller]
fn assert_self_contained(html: &str) {
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "{}",
        &html[..80.min(html.len())]
    );
    // Text is escaped, so every `<` opens a real tag: inspect each tag. URLs in
    // text (a finding quoting `http://localhost`) load nothing and are fine.
    for tag in html
        .split('<')
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
    {
        let name = tag.split([' ', '\n']).next().unwrap_or("");
        assert!(
            ![
                "script", "link", "iframe", "img", "object", "embed", "base", "form"
            ]
            .contains(&name),
            "page contains <{name}>"
        );
        for attr in [" src=", " srcset=", " action=", " data=", " poster="] {
            assert!(!tag.contains(attr), "<{tag}> loads something");
        }
        for (i, _) in tag.match_indices("href=\"") {
            assert!(
                tag[i + 6..].starts_with('#'),
                "<{tag}> links out of the page"
            );
        }
    }
    let styles: String = html
        .split("<style>")
        .skip(1)
        .map(|s| &s[..s.find("</style>").unwrap_or(s.len())])
        .collect();
    assert!(!styles.contains("@import"), "stylesheet imports");
    for (i, _) in styles.match_indices("url(") {
        assert!(
            styles[i..].starts_with("url(#"),
            "external url in the stylesheet"
        );
    }
    for (i, _) in html.match_indices("url(") {
        let before = &html[..i];
        // Inside attributes only (fill="url(#…)"): text never holds a raw `"`.
        if before.ends_with("=\"") {
            assert!(html[i..].starts_with("url(#"), "external url at {i}");
        }
    }
    assert!(html.contains("Content-Security-Policy"));
    let charts = html.matches("<svg").count();
    assert_eq!(charts, html.matches("</svg>").count(), "unbalanced <svg>");
    // Every chart (any SVG not hidden from assistive technology) is named and
    // described; decorative ones (legend swatches, pattern definitions) are hidden.
    for svg in html.split("<svg").skip(1) {
        let open = &svg[..svg.find('>').unwrap_or(svg.len())];
        if open.contains("aria-hidden=\"true\"") {
            continue;
        }
        let body = &svg[..svg.find("</svg>").unwrap_or(svg.len())];
        assert!(
            open.contains("role=") && open.contains("aria-labelledby="),
            "chart without role or label: <svg{open}>"
        );
        assert!(
            body.contains("<title") && body.contains("<desc"),
            "chart without title/desc: <svg{open}>"
        );
    }
    for el in ["line", "rect", "circle", "path", "text"] {
        assert_eq!(
            html.matches(&format!("<{el} ")).count(),
            html.matches(&format!("</{el}>")).count(),
            "<{el}> not closed explicitly"
        );
    }
    for (i, _) in html.match_indices("href=\"#") {
        let target = &html[i + 7..];
        let target = &target[..target.find('"').unwrap_or(0)];
        assert!(
            html.contains(&format!("id=\"{target}\"")),
            "link to #{target} has no anchor"
        );
    }
}

#[test]
fn self_containment_check_can_fail() {
    let page =
        |body: &str| format!("<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\">{body}");
    for bad in [
        "<img src=\"x.png\">",
        "<a href=\"https://example.invalid/\">x</a>",
        "<script>1</script>",
        "<svg><image href=\"#a\" id=\"a\" src=\"x\"></image></svg>",
        "<a href=\"#nowhere\">x</a>",
        "<svg role=\"img\" aria-labelledby=\"t\"><title id=\"t\">t</title></svg>",
        "<svg><title>t</title><desc>d</desc></svg>",
        "<svg><line x1=\"0\"></svg>",
        "<style>b{background:url(http://x)}</style>",
    ] {
        let html = page(bad);
        let caught = std::panic::catch_unwind(|| assert_self_contained(&html)).is_err();
        assert!(caught, "not caught: {bad}");
    }
    assert_self_contained(&page("<a href=\"#a\" id=\"a\">x</a>"));
    // URLs and markup quoted in text load nothing.
    assert_self_contained(&page(
        "<p>see http://localhost:8080 and &lt;img src=\"x\"&gt;</p>",
    ));
}

fn rules_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("schema = \"review-replay/rules/v1\"\n{body}"),
    )
    .expect("write rules");
    path
}

/// `check --html` in the repository root (bundled cassettes and golden files),
/// with `extra` arguments; returns the page.
fn check_page(rules: &Path, extra: &[&str], jobs: &str) -> String {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("check.html");
    let mut args = vec![
        "check".to_string(),
        "--rules".into(),
        rules.display().to_string(),
        "--html".into(),
        out.display().to_string(),
        "-j".into(),
        jobs.into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Cmd::new(args).current_dir(repo_root()).expect_code(1);
    read(&out)
}

#[test]
fn check_page_shows_the_changed_rounds_and_what_changed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(
        tmp.path(),
        "keep.toml",
        "[severity]\nlone_critical = \"keep\"\n",
    );
    let html = check_page(&rules, &[], "2");
    assert_self_contained(&html);
    assert!(html.contains("15 rounds: 13 match, 2 changed, 0 new, 0 corrupt, 0 orphaned"));
    assert!(html.contains("href=\"#round-harbor-pr-52-r1-lone-critical\""));
    assert!(
        html.contains("<span class=\"badge\">re-rated</span> I1 important → critical (now C1)")
    );
    assert!(html.contains(" — rule <code>single-agent</code>"));
    assert!(html.contains("<summary>Text diff ("));
    assert!(html.contains("<span class=\"add\">+| **Verdict** | **Rework**"));
    assert!(html.contains("<h4>Explain trail</h4>"));
    assert_eq!(
        html,
        check_page(&rules, &[], "1"),
        "depends on the thread count"
    );
    insta::assert_snapshot!("check_lone_critical_keep", html);
}

#[test]
fn check_page_names_splits_with_their_rule() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(
        tmp.path(),
        "strict.toml",
        "[cluster]\nthreshold = 0.75\n[severity]\nlone_critical = \"keep\"\n",
    );
    let html = check_page(&rules, &["--filter", "ferry"], "2");
    assert_self_contained(&html);
    assert!(
        html.contains("<span class=\"badge\">split</span> C1 split into C2 + C3"),
        "{html}"
    );
    insta::assert_snapshot!("check_strict_clusters_ferry", html);
}

#[test]
fn check_html_that_cannot_be_written_is_an_error_after_the_summary() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = Cmd::new([
        "check".to_string(),
        "--html".into(),
        tmp.path()
            .join("missing-dir/check.html")
            .display()
            .to_string(),
    ])
    .current_dir(repo_root())
    .expect_code(2);
    assert!(out.stdout.contains("15 rounds: 15 match"), "{}", out.stdout);
    assert!(out.stderr.contains("missing-dir"), "{}", out.stderr);
}

fn eval_fixtures() -> PathBuf {
    repo_root().join("tests/fixtures/eval")
}

/// Imports `prompt-a` with `overlay` on top into `tmp/<name>`; returns the
/// directory name relative to `tmp`, so that pages do not show temporary paths.
fn import_set(tmp: &Path, name: &str, overlay: Option<&str>) -> String {
    let raw = tmp.join(format!("raw-{name}"));
    let mut dirs = Vec::new();
    for round in ROUNDS {
        let dir = raw.join(round);
        std::fs::create_dir_all(&dir).expect("mkdir");
        for layer in std::iter::once("prompt-a").chain(overlay) {
            for entry in std::fs::read_dir(eval_fixtures().join(layer).join(round)).expect("dir") {
                let path = entry.expect("entry").path();
                std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
            }
        }
        dirs.push(dir.display().to_string());
    }
    let mut args = vec!["import".to_string(), "--raw".into()];
    args.extend(dirs);
    args.extend(["--out".to_string(), tmp.join(name).display().to_string()]);
    Cmd::new(args).expect_code(0);
    name.to_string()
}

fn eval_page(tmp: &Path, args: &[&str], code: i32) -> String {
    let mut all: Vec<String> = vec!["eval".into(), "--html".into(), "page.html".into()];
    all.extend(args.iter().map(|s| s.to_string()));
    Cmd::new(all).current_dir(tmp).expect_code(code);
    read(&tmp.join("page.html"))
}

#[test]
fn eval_page_draws_a_forest_per_metric_with_gates() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = import_set(tmp.path(), "prompt-a", None);
    let b = import_set(tmp.path(), "prompt-b", Some("prompt-b"));
    let args = [
        "--baseline",
        &a,
        "--candidate",
        &b,
        "--fail-if",
        "false_positive_rate[gemini] > +0.05",
        "--fail-if",
        "unique_insights[claude] < -2",
        "--fail-if",
        "downgrade_rate > -0.04",
    ];
    let html = eval_page(tmp.path(), &args, 1);
    assert_self_contained(&html);
    for metric in [
        "survival_rate",
        "false_positive_rate",
        "downgrade_rate",
        "unique_insights",
        "coverage_misses",
        "recall",
    ] {
        assert!(
            html.contains(&format!("-title\">{metric} (candidate − baseline)</title>")),
            "no forest plot for {metric}"
        );
    }
    // Gemini's false positives are gone beyond noise; Claude loses unique
    // insights beyond the gate's margin; the downgrade interval straddles -0.04.
    assert!(
        html.contains("Better beyond noise: all agents, gemini."),
        "{html}"
    );
    assert!(
        html.contains("✖ FAIL </tspan>-6 [-6.0, -6.0] worse"),
        "{html}"
    );
    assert!(html.contains("◆ crosses gate </tspan>-0.028"), "{html}");
    assert!(html.contains(
        "<span class=\"badge fail\">✖ FAIL</span> <code>unique_insights[claude] &lt; -2</code>"
    ));
    assert!(html.contains("0 of 6 paired rounds change verdict."));
    let again = eval_page(tmp.path(), &[&args[..], &["-j", "1"]].concat(), 1);
    assert_eq!(html, again, "depends on the thread count");
    insta::assert_snapshot!("eval_prompt_a_vs_b", html);
}

#[test]
fn eval_page_links_each_verdict_change_to_its_round() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = import_set(tmp.path(), "prompt-a", None);
    rules_file(
        tmp.path(),
        "keep.toml",
        "[severity]\nlone_critical = \"keep\"\n",
    );
    let html = eval_page(
        tmp.path(),
        &[
            &a,
            "--rules-candidate",
            "keep.toml",
            "--fail-if",
            "verdict_changes > 0",
        ],
        1,
    );
    assert_self_contained(&html);
    assert!(html.contains("2 of 6 paired rounds change verdict."));
    for round in ["kiln-pr-22-r1", "kiln-pr-25-r1"] {
        assert!(html.contains(&format!(
            "<a href=\"#round-{round}\"><code>{round}</code></a>"
        )));
        assert!(html.contains(&format!("<h3 id=\"round-{round}\">")));
    }
    assert!(
        !html.contains("id=\"round-kiln-pr-21-r1\""),
        "unchanged rounds get no section"
    );
    // Each changed round says what changed in review terms, with the rule.
    assert!(html.contains(
        "<li><span class=\"badge\">re-rated</span> I1 important → critical (now C1): &quot;Unvalidated digest reaches the filesystem path&quot; — rule <code>single-agent</code></li>"
    ));
    assert!(html.contains("<summary>Baseline: "));
    assert!(html.contains("<summary>Candidate: "));
    insta::assert_snapshot!("eval_rules_keep_lone_critical", html);
}

fn reproduce_page(jobs: &str) -> (String, crate::common::Output) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let page = tmp.path().join("reproduce.html");
    let out = Cmd::new([
        "reproduce".to_string(),
        "tests/fixtures/reports".into(),
        "--html".into(),
        page.display().to_string(),
        "-j".into(),
        jobs.into(),
    ])
    .current_dir(repo_root())
    .expect_code(1);
    (read(&page), out)
}

#[test]
fn reproduce_page_has_the_strip_small_multiples_and_calibration() {
    let (html, out) = reproduce_page("2");
    assert_self_contained(&html);
    // The report without an appendix cannot be read: named on the page too.
    assert!(
        out.stderr.contains("20990103-090000-no-appendix.md"),
        "{}",
        out.stderr
    );
    assert!(html.contains("Inputs that could not be read"));
    // The page has the calibration; the text output only prints it when asked.
    assert!(!out.stdout.contains("calibration ("), "{}", out.stdout);
    assert!(html.contains("20990103-090000-no-appendix.md"));
    assert!(html.contains("Complete rounds: agreement with history per round"));
    // Gemini's review of PR 11 only points at a file: the round is shown apart.
    assert!(html.contains("Incomplete rounds: agreement with history per round"));
    assert!(html.contains(
        "<a href=\"#round-20990105-093000-pr-11\"><code>20990105-093000-pr-11</code></a>: gemini pass 1 (pointer: "
    ));
    assert!(html.contains("over 6 complete rounds"));
    for agent in ["claude", "codex", "gemini"] {
        assert!(
            html.contains(&format!("<figcaption>{agent}</figcaption>")),
            "{agent}"
        );
    }
    assert!(html.contains("<h2>Calibration</h2>"));
    // Oldest first: the strip's columns follow the rounds' dates.
    let first = html
        .find("<title>20990101-120000-pr-7;")
        .expect("first column");
    let second = html
        .find("<title>20990102-080000-pr-7;")
        .expect("second column");
    assert!(first < second);
    assert_eq!(html, reproduce_page("1").0, "depends on the thread count");
    insta::assert_snapshot!("reproduce_fixture_reports", html);
}

#[test]
fn reproduce_page_on_the_corpus_is_self_contained_and_deterministic() {
    let Some(corpus) = crate::common::corpus_dir() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = |jobs: &str| {
        let page = tmp.path().join(format!("corpus-{jobs}.html"));
        let out = Cmd::new([
            "reproduce".to_string(),
            corpus.display().to_string(),
            "--html".into(),
            page.display().to_string(),
            "-j".into(),
            jobs.into(),
        ])
        .run();
        assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
        read(&page)
    };
    let html = run("2");
    // Real report text goes through the escaping: the page stays well-formed.
    assert_self_contained(&html);
    assert!(html.contains("Complete rounds: agreement with history per round"));
    assert!(html.contains("<h2>Calibration</h2>"));
    assert_eq!(html, run("1"), "depends on the thread count");
}

// ---- browser -------------------------------------------------------------

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Hosts the browser itself talks to (updates, time, accounts) whatever the
/// page: not requests of the page.
const BROWSER_HOSTS: [&str; 4] = ["google.com", "googleapis.com", "gstatic.com", "gvt1.com"];

/// The URLs a page made the browser request, from Chromium's verbose log.
fn page_requests(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|l| l.split("NotifyBeforeURLRequest: ").nth(1))
        .map(|u| u.trim().to_string())
        .filter(|u| {
            let host = u
                .split("://")
                .nth(1)
                .and_then(|r| r.split(['/', ':', '?']).next())
                .unwrap_or("");
            !BROWSER_HOSTS
                .iter()
                .any(|b| host == *b || host.ends_with(&format!(".{b}")))
        })
        .filter(|u| !u.starts_with("file:") && !u.starts_with("data:"))
        .collect()
}

/// How long Chromium may take for one page before the test gives up on it: a
/// watchdog against a hung browser, not a measure of speed.
const BROWSER_WATCHDOG: Duration = Duration::from_secs(180);

/// Opens `page` in headless Chromium with `output` (`--screenshot=…` or
/// `--print-to-pdf=…`) and waits for it; returns its log.
fn chromium_run(chrome: &Path, page: &Path, dir: &Path, output: &str) -> String {
    let log_path = dir.join("chromium.log");
    let profile = tempfile::tempdir().expect("profile");
    let log_file = std::fs::File::create(&log_path).expect("log file");
    let mut child = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--no-pdf-header-footer",
            "--enable-logging=stderr",
            "--v=1",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=1200,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(output)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("log file"))
        .stderr(log_file)
        .spawn()
        .expect("run chromium");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait for chromium").is_some() {
            break;
        }
        if started.elapsed() > BROWSER_WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish {} in {BROWSER_WATCHDOG:?}",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    String::from_utf8_lossy(&std::fs::read(&log_path).expect("read log")).into_owned()
}

/// Opens `page` in headless Chromium; returns the screenshot and the log.
fn screenshot(chrome: &Path, page: &Path, dir: &Path) -> (png_pixels::Image, String) {
    let shot = dir.join("shot.png");
    // A screenshot left by an earlier page must not pass for this one.
    let _ = std::fs::remove_file(&shot);
    let log = chromium_run(
        chrome,
        page,
        dir,
        &format!("--screenshot={}", shot.display()),
    );
    assert!(shot.is_file(), "no screenshot; chromium said:\n{log}");
    (png_pixels::decode(&shot), log)
}

/// Prints `page` to PDF; returns the number of pages.
fn printed_pages(chrome: &Path, page: &Path, dir: &Path) -> usize {
    let pdf = dir.join("print.pdf");
    let _ = std::fs::remove_file(&pdf);
    let log = chromium_run(
        chrome,
        page,
        dir,
        &format!("--print-to-pdf={}", pdf.display()),
    );
    let bytes =
        std::fs::read(&pdf).unwrap_or_else(|e| panic!("no PDF ({e}); chromium said:\n{log}"));
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    // Page objects are `/Type /Page` (the page tree is `/Type /Pages`).
    let text = String::from_utf8_lossy(&bytes);
    text.match_indices("/Type")
        .filter(|(i, _)| {
            let rest = text[i + 5..].trim_start();
            rest.starts_with("/Page") && !rest.starts_with("/Pages")
        })
        .count()
}

mod png_pixels {
    //! Decoding a screenshot into RGB pixels.

    use std::path::Path;

    pub struct Image {
        pub width: usize,
        pub height: usize,
        /// RGB, row by row.
        pub rgb: Vec<[u8; 3]>,
    }

    impl Image {
        /// Pixels within `tolerance` of `colour` on every channel.
        pub fn count(&self, colour: [u8; 3], tolerance: u8) -> usize {
            self.rgb
                .iter()
                .filter(|p| {
                    p.iter()
                        .zip(colour)
                        .all(|(a, b)| a.abs_diff(b) <= tolerance)
                })
                .count()
        }

        /// Pixels that are not (nearly) white.
        pub fn ink(&self) -> usize {
            self.rgb
                .iter()
                .filter(|p| p.iter().any(|c| *c < 240))
                .count()
        }
    }

    pub fn decode(path: &Path) -> Image {
        let file = std::fs::File::open(path).expect("open png");
        let mut reader = png::Decoder::new(std::io::BufReader::new(file))
            .read_info()
            .expect("png header");
        let mut buf = vec![0; reader.output_buffer_size().expect("png size")];
        let info = reader.next_frame(&mut buf).expect("png frame");
        let channels = info.color_type.samples();
        assert_eq!(info.bit_depth, png::BitDepth::Eight, "unexpected bit depth");
        let rgb = buf[..info.buffer_size()]
            .chunks(channels)
            .map(|c| match c {
                [g] | [g, _] => [*g, *g, *g],
                [r, g, b, ..] => [*r, *g, *b],
                _ => [255, 255, 255],
            })
            .collect();
        Image {
            width: info.width as usize,
            height: info.height as usize,
            rgb,
        }
    }
}

fn hex(c: review_replay::render::html::palette::Rgb) -> [u8; 3] {
    [c.0, c.1, c.2]
}

#[test]
fn chromium_renders_every_page_without_network() {
    let Some(chrome) = chromium() else {
        println!("notice: chromium not found; skipping the browser test (.ci/run installs it)");
        return;
    };
    use review_replay::render::html::palette as p;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();

    // The three kinds of page.
    let rules = rules_file(dir, "keep.toml", "[severity]\nlone_critical = \"keep\"\n");
    std::fs::write(dir.join("check.html"), check_page(&rules, &[], "2")).expect("write");
    let a = import_set(dir, "prompt-a", None);
    let b = import_set(dir, "prompt-b", Some("prompt-b"));
    let eval = eval_page(
        dir,
        &[
            "--baseline",
            &a,
            "--candidate",
            &b,
            "--fail-if",
            "unique_insights[claude] < -2",
        ],
        1,
    );
    std::fs::write(dir.join("eval.html"), eval).expect("write");
    std::fs::write(dir.join("reproduce.html"), reproduce_page("2").0).expect("write");

    // What the charts are drawn with, and how much of it must show (about 70% of
    // what a 1200-pixel-wide window shows; fills are exact, edges antialiased).
    type Marks<'a> = &'a [([u8; 3], usize)];
    let pages: [(&str, Marks<'_>); 3] = [
        // Thirteen matching rounds in the strip: filled 22×22 squares.
        ("check.html", &[(hex(p::KEPT), 4500)]),
        // Better rows are filled circles, worse rows filled squares.
        ("eval.html", &[(hex(p::BETTER), 1000), (hex(p::WORSE), 800)]),
        // Strip cells and the kept part of the share bars.
        ("reproduce.html", &[(hex(p::KEPT), 14000)]),
    ];
    for (name, marks) in pages {
        let (image, log) = screenshot(&chrome, &dir.join(name), dir);
        assert!(
            image.width >= 1000 && image.height >= 1000,
            "{name}: {}×{}",
            image.width,
            image.height
        );
        assert!(
            image.ink() > 20_000,
            "{name}: the page looks blank ({} inked pixels)",
            image.ink()
        );
        for (colour, least) in marks {
            let n = image.count(*colour, 6);
            assert!(
                n >= *least,
                "{name}: {n} chart pixels of {colour:?}, expected at least {least}"
            );
        }
        let requests = page_requests(&log);
        assert!(
            requests.is_empty(),
            "{name} made network requests: {requests:?}"
        );
    }

    // Printing opens every collapsed block: the check page (text diffs and
    // findings collapsed on screen) prints on more pages than the same page whose
    // print style leaves them closed.
    let check = read(&dir.join("check.html"));
    let rule = "details::details-content{content-visibility:visible;display:block}";
    assert!(
        check.contains(rule),
        "the print style no longer opens <details>"
    );
    std::fs::write(dir.join("closed.html"), check.replace(rule, "")).expect("write");
    let open = printed_pages(&chrome, &dir.join("check.html"), dir);
    let closed = printed_pages(&chrome, &dir.join("closed.html"), dir);
    assert!(
        closed >= 1 && open > closed,
        "printed pages: {open} open, {closed} closed"
    );

    // The network check can fail: a page that does fetch is caught.
    let leaky = dir.join("leaky.html");
    std::fs::write(
        &leaky,
        "<!DOCTYPE html><p>x</p><img src=\"http://198.51.100.7/probe.png\">",
    )
    .expect("write");
    let (_, log) = screenshot(&chrome, &leaky, dir);
    assert_eq!(page_requests(&log), ["http://198.51.100.7/probe.png"]);
}
