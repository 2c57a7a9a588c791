//! Output for the CI and code-review ecosystem: SARIF (validated against the
//! official schema), fingerprints, GitHub annotations and their escaping,
//! reviewdog diagnostics, completions, the man page and the progress bar under
//! a pseudo-terminal.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use serde_json::Value;

use crate::common::{Cmd, repo_root};

/// The bundled cassettes, sorted.
fn bundled() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(repo_root().join("cassettes"))
        .expect("cassettes dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    assert!(
        v.len() >= 10,
        "expected the bundled rounds, found {}",
        v.len()
    );
    v
}

fn schema() -> jsonschema::Validator {
    let text = fs::read_to_string(repo_root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json"))
        .expect("schema file");
    let mut schema: Value = serde_json::from_str(&text).expect("schema json");
    // The official schema's `language` pattern (of `run` and `toolComponent`) is
    // not a valid ECMA-262 regex (an unbalanced `]`, a known erratum), so
    // format-checking meta-validation refuses the schema itself. We never write
    // `language`; drop that pattern, keep every other constraint and check
    // formats (`uri`, ...).
    fn drop_bad_pattern(v: &mut Value) -> usize {
        const BAD: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
        match v {
            Value::Object(map) => {
                let here = usize::from(map.get("pattern").is_some_and(|p| p == BAD));
                if here == 1 {
                    map.remove("pattern");
                }
                here + map.values_mut().map(drop_bad_pattern).sum::<usize>()
            }
            Value::Array(items) => items.iter_mut().map(drop_bad_pattern).sum(),
            _ => 0,
        }
    }
    assert_eq!(
        drop_bad_pattern(&mut schema),
        2,
        "the schema erratum changed"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

#[track_caller]
fn assert_valid_sarif(validator: &jsonschema::Validator, text: &str, what: &str) -> Value {
    let value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
    value
}

fn replay(path: &Path, format: &str) -> String {
    Cmd::new([
        "replay".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        format.as_ref(),
    ])
    .expect_code(0)
    .stdout
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().expect("results")
}

#[test]
fn sarif_of_every_bundled_round_validates_and_has_one_result_per_finding() {
    let validator = schema();
    for path in bundled() {
        let sarif = assert_valid_sarif(
            &validator,
            &replay(&path, "sarif"),
            &path.display().to_string(),
        );
        let report: Value = serde_json::from_str(&replay(&path, "json")).expect("json report");
        let count = |k: &str| report[k].as_array().map_or(0, Vec::len);
        let results = results(&sarif);
        assert_eq!(
            results.len(),
            count("findings") + count("dropped") + count("moved"),
            "{}",
            path.display()
        );
        for (r, f) in results
            .iter()
            .zip(report["findings"].as_array().expect("findings"))
        {
            let level = match f["severity"].as_str() {
                Some("critical") => "error",
                Some("important") => "warning",
                _ => "note",
            };
            assert_eq!(r["level"], level);
            assert_eq!(r["properties"]["finding"], f["id"]);
            assert_eq!(r["properties"]["agents"], f["agents"]);
            assert!(r.get("suppressions").is_none());
            let text = r["message"]["text"].as_str().expect("text");
            assert!(
                text.starts_with(f["title"].as_str().expect("title")),
                "{text}"
            );
            let locs = f["locations"].as_array().expect("locations");
            match r.get("locations") {
                // A finding without a location has no `locations`, never an invented line.
                None => assert!(locs.is_empty(), "{}: {r}", path.display()),
                Some(l) => {
                    let l = l.as_array().expect("array");
                    assert_eq!(l.len(), locs.len());
                    for (sl, fl) in l.iter().zip(locs) {
                        let pl = &sl["physicalLocation"];
                        assert_eq!(pl["artifactLocation"]["uri"], fl["path"]);
                        assert_eq!(pl["region"]["startLine"], fl["start"]);
                    }
                }
            }
        }
        for r in &results[count("findings")..] {
            let s = &r["suppressions"][0];
            assert_eq!(s["kind"], "external", "{r}");
            assert!(!s["justification"].as_str().unwrap_or("").is_empty(), "{r}");
        }
    }
}

#[test]
fn check_writes_one_sarif_for_every_replayed_round() {
    let validator = schema();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("check.sarif");
    Cmd::new(["check".as_ref(), "--sarif".as_ref(), out.as_os_str()])
        .current_dir(repo_root())
        .expect_code(0);
    let sarif = assert_valid_sarif(
        &validator,
        &fs::read_to_string(&out).expect("sarif"),
        "check --sarif",
    );
    let mut total = 0;
    for path in bundled() {
        total += results(&assert_valid_sarif(
            &validator,
            &replay(&path, "sarif"),
            "replay",
        ))
        .len();
    }
    assert_eq!(results(&sarif).len(), total);
    // The no-location round is covered, and its located-less result has no locations.
    assert!(results(&sarif).iter().any(|r| {
        r["properties"]["round"] == "harbor-pr-60-r1-no-location" && r.get("locations").is_none()
    }));
    // Byte-identical whatever the thread count.
    let one = dir.path().join("one.sarif");
    Cmd::new([
        "check".as_ref(),
        "-j".as_ref(),
        "1".as_ref(),
        "--sarif".as_ref(),
        one.as_os_str(),
    ])
    .current_dir(repo_root())
    .expect_code(0);
    assert_eq!(fs::read(&one).expect("one"), fs::read(&out).expect("out"));
    let dropped = results(&sarif)
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .count();
    assert!(
        dropped > 0,
        "the bundled rounds drop findings; none is suppressed"
    );
}

#[test]
fn schema_validation_can_fail() {
    let validator = schema();
    let path = repo_root().join("cassettes/harbor-pr-41-r1-consensus.json");
    let mut value: Value = serde_json::from_str(&replay(&path, "sarif")).expect("json");
    value["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&value));
}

/// Adds `by` to every `file:LINE` and `file:LINE-LINE` line number of the reviews.
fn shift_lines(text: &str, by: u32) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let number = |i: &mut usize, out: &mut String| {
        let start = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        let n: u32 = chars[start..*i]
            .iter()
            .collect::<String>()
            .parse()
            .expect("number");
        out.push_str(&(n + by).to_string());
    };
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        let after_path = c == ':'
            && i >= 2
            && chars[i - 2].is_ascii_alphanumeric()
            && chars.get(i).is_some_and(char::is_ascii_digit);
        if after_path {
            number(&mut i, &mut out);
            if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                out.push('-');
                i += 1;
                number(&mut i, &mut out);
            }
        }
    }
    out
}

fn edited_cassette(dir: &Path, name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let src = repo_root().join("cassettes").join(name);
    let mut value: Value =
        serde_json::from_str(&fs::read_to_string(src).expect("read")).expect("json");
    for i in value["interactions"].as_array_mut().expect("interactions") {
        let response = i["response"].as_str().expect("response").to_string();
        i["response"] = Value::from(edit(&response));
    }
    let path = dir.join(name);
    fs::write(&path, serde_json::to_string_pretty(&value).expect("json")).expect("write");
    path
}

/// Fingerprint → (title, first start line) of every result.
fn fingerprints(sarif: &str) -> BTreeMap<String, (String, Option<i64>)> {
    let value: Value = serde_json::from_str(sarif).expect("sarif");
    results(&value)
        .iter()
        .map(|r| {
            let text = r["message"]["text"].as_str().expect("text");
            let title = text.lines().next().unwrap_or("").to_string();
            let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_i64();
            (
                r["partialFingerprints"]["reviewReplay/v1"]
                    .as_str()
                    .expect("fp")
                    .to_string(),
                (title, line),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_a_line_shift_of_ten() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in [
        "harbor-pr-41-r1-consensus.json",
        "harbor-pr-60-r1-no-location.json",
        "harbor-pr-63-r1-adjudications.json",
    ] {
        let before = fingerprints(&replay(&repo_root().join("cassettes").join(name), "sarif"));
        let after = fingerprints(&replay(
            &edited_cassette(dir.path(), name, |t| shift_lines(t, 10)),
            "sarif",
        ));
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>(),
            "{name}: fingerprints moved with the lines\nbefore {before:#?}\nafter {after:#?}"
        );
        // The shift really happened: located results moved by exactly ten lines.
        let mut moved = 0;
        for (fp, (_, line)) in &before {
            if let (Some(b), Some(a)) = (line, after[fp].1) {
                assert_eq!(a, b + 10, "{name}: {fp}");
                moved += 1;
            }
        }
        assert!(moved > 0, "{name}: no located result");
    }
}

#[test]
fn fingerprint_changes_with_the_subject_and_only_for_that_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "harbor-pr-60-r1-no-location.json";
    let old = "Unknown keys are silently ignored";
    let before = fingerprints(&replay(&repo_root().join("cassettes").join(name), "sarif"));
    let after = fingerprints(&replay(
        &edited_cassette(dir.path(), name, |t| {
            t.replace(old, "Duplicate upstream names are accepted")
        }),
        "sarif",
    ));
    let gone: Vec<_> = before
        .iter()
        .filter(|(k, _)| !after.contains_key(*k))
        .collect();
    let new: Vec<_> = after
        .iter()
        .filter(|(k, _)| !before.contains_key(*k))
        .collect();
    assert_eq!(gone.len(), 1, "{gone:?}");
    assert_eq!(gone[0].1.0, old);
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].1.0, "Duplicate upstream names are accepted");
    // Trivial rewording (case, punctuation, a stop word) keeps it.
    let reworded = fingerprints(&replay(
        &edited_cassette(dir.path(), name, |t| {
            t.replace(old, "unknown keys: silently ignored")
        }),
        "sarif",
    ));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        reworded.keys().collect::<Vec<_>>()
    );
}

/// Decodes one workflow command line as the GitHub runner does:
/// `::name k=v,k=v::data` with `%XX` escapes.
fn parse_command(line: &str) -> (String, BTreeMap<String, String>, String) {
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('%') {
            out.push_str(&rest[..i]);
            let code = rest.get(i + 1..i + 3).unwrap_or("");
            let c = match code {
                "25" => '%',
                "0D" => '\r',
                "0A" => '\n',
                "3A" => ':',
                "2C" => ',',
                _ => panic!("stray % in {s:?}"),
            };
            out.push(c);
            rest = &rest[i + 3..];
        }
        out.push_str(rest);
        out
    }
    let body = line.strip_prefix("::").expect("starts with ::");
    let end = body.find("::").expect("command ends with ::");
    let (head, data) = (&body[..end], &body[end + 2..]);
    let (name, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("k=v");
            (k.to_string(), unescape(v))
        })
        .collect();
    (name.to_string(), props, unescape(data))
}

#[test]
fn annotations_round_trip_hostile_titles_and_bodies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = "50% of keys: ignored, silently ::error file=x::pwned %0A";
    let path = edited_cassette(dir.path(), "harbor-pr-60-r1-no-location.json", |t| {
        t.replace("Unknown keys are silently ignored", hostile)
            .replace(
                "lists keys that matched no field.",
                "lists keys\r\n::error::that matched 100% no field.",
            )
    });
    let out = replay(&path, "github");
    let report: Value = serde_json::from_str(&replay(&path, "json")).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings.len(), "{out}");
    for (line, f) in lines.iter().zip(findings) {
        let (name, props, data) = parse_command(line);
        let level = match f["severity"].as_str() {
            Some("critical") => "error",
            Some("important") => "warning",
            _ => "notice",
        };
        assert_eq!(name, level, "{line}");
        let title = format!(
            "{} [{}] {}",
            f["id"].as_str().unwrap_or(""),
            f["severity"].as_str().unwrap_or(""),
            f["title"].as_str().unwrap_or("")
        );
        assert_eq!(props["title"], title, "{line}");
        let body = f["body"].as_str().unwrap_or("").trim();
        assert!(data.starts_with(body), "{data:?} vs {body:?}");
        match f["locations"][0]["path"].as_str() {
            Some(p) => assert_eq!(props["file"], p),
            // A finding without a location goes on the round's cassette.
            None => assert_eq!(props["file"], path.to_string_lossy()),
        }
    }
    assert!(
        lines
            .iter()
            .any(|l| parse_command(l).1["title"].ends_with(hostile)),
        "{out}"
    );
    assert!(out.contains("lists keys") && !out.contains("\r"), "{out}");
}

proptest! {
    #[test]
    fn escaping_round_trips(s in "[a-z%:,\r\n =]{0,40}") {
        use review_replay::render::github::{escape_data, escape_property};
        let p = escape_property(&s);
        prop_assert!(!p.contains(['\r', '\n', ':', ',']));
        let line = format!("::warning title={p}::{}", escape_data(&s));
        prop_assert_eq!(line.lines().count(), 1);
        let (_, props, data) = parse_command(&line);
        prop_assert_eq!(&props["title"], &s);
        prop_assert_eq!(&data, &s);
    }
}

#[test]
fn github_format_is_chosen_under_github_actions() {
    let path = repo_root().join("cassettes/harbor-pr-41-r1-consensus.json");
    let auto = Cmd::new(["replay".as_ref(), path.as_os_str()])
        .env("GITHUB_ACTIONS", "true")
        .expect_code(0)
        .stdout;
    assert_eq!(auto, replay(&path, "github"));
    assert!(auto.lines().all(|l| l.starts_with("::")), "{auto}");
    let explicit = Cmd::new([
        "replay".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "md".as_ref(),
    ])
    .env("GITHUB_ACTIONS", "true")
    .expect_code(0)
    .stdout;
    assert!(explicit.starts_with("# Deep Review"), "{explicit}");
}

/// A copy of the bundled cassettes and goldens, with one golden holding an
/// extra finding that the replay no longer produces.
fn changed_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for sub in ["cassettes", "golden"] {
        fs::create_dir(dir.path().join(sub)).expect("mkdir");
        for e in fs::read_dir(repo_root().join(sub)).expect("read dir") {
            let p = e.expect("entry").path();
            fs::copy(&p, dir.path().join(sub).join(p.file_name().expect("name"))).expect("copy");
        }
    }
    let json = dir.path().join("golden/harbor-pr-41-r1-consensus.json");
    let mut value: Value =
        serde_json::from_str(&fs::read_to_string(&json).expect("read")).expect("json");
    value["findings"].as_array_mut().expect("findings").push(serde_json::json!({
        "id": "I9", "severity": "important", "status": "open", "classification": null,
        "tags": [], "title": "Old: finding, 100%", "locations": [], "agents": ["claude"],
        "sources": [{"agent": "claude", "pass": 1, "ordinal": 99, "raised_id": null, "severity": "important"}],
        "decisions": [], "body": "", "fix": null
    }));
    fs::write(&json, serde_json::to_string_pretty(&value).expect("json")).expect("write");
    dir
}

#[test]
fn check_github_annotates_changed_rounds_and_findings_then_summarises() {
    let dir = changed_copy();
    let out = Cmd::new(["check", "--format", "github"])
        .current_dir(dir.path())
        .expect_code(1);
    let annotations: Vec<&str> = out.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 2, "{}", out.stdout);
    let (name, props, data) = parse_command(annotations[0]);
    assert_eq!(name, "error");
    assert_eq!(props["file"], "cassettes/harbor-pr-41-r1-consensus.json");
    assert_eq!(props["title"], "harbor-pr-41-r1-consensus changed");
    assert!(data.contains("1 change"), "{data}");
    let (name, props, data) = parse_command(annotations[1]);
    assert_eq!(name, "warning");
    assert_eq!(props["title"], "harbor-pr-41-r1-consensus: removed");
    assert!(
        data.contains("I9 removed (important): \"Old: finding, 100%\""),
        "{data}"
    );
    // The plain summary follows, as without annotations.
    let human = Cmd::new(["check"])
        .current_dir(dir.path())
        .expect_code(1)
        .stdout;
    assert!(out.stdout.ends_with(&human), "{}", out.stdout);
    // And GitHub Actions picks it without --format.
    let auto = Cmd::new(["check"])
        .current_dir(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .expect_code(1);
    assert_eq!(auto.stdout, out.stdout);
}

#[test]
fn rdjsonl_is_one_diagnostic_a_line() {
    for path in bundled() {
        let out = replay(&path, "rdjsonl");
        let report: Value = serde_json::from_str(&replay(&path, "json")).expect("json");
        let findings = report["findings"].as_array().expect("findings");
        assert_eq!(out.lines().count(), findings.len(), "{}", path.display());
        for (line, f) in out.lines().zip(findings) {
            let d: Value = serde_json::from_str(line).expect("one JSON object a line");
            let severity = match f["severity"].as_str() {
                Some("critical") => "ERROR",
                Some("important") => "WARNING",
                _ => "INFO",
            };
            assert_eq!(d["severity"], severity);
            let others = f["locations"]
                .as_array()
                .map_or(0, |l| l.len().saturating_sub(1));
            let related = d
                .get("related_locations")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            assert_eq!(related, others, "{line}");
            assert_eq!(d["source"]["name"], "review-replay");
            match f["locations"][0].get("path") {
                Some(p) => {
                    assert_eq!(&d["location"]["path"], p);
                    assert_eq!(
                        d["location"]["range"]["start"]["line"],
                        f["locations"][0]["start"]
                    );
                }
                None => {
                    assert_eq!(d["location"]["path"], path.to_string_lossy().as_ref());
                    assert!(d["location"].get("range").is_none());
                }
            }
        }
    }
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = Cmd::new(["completions", shell]).expect_code(0).stdout;
        assert!(
            out.contains("review-replay") && out.contains("reproduce"),
            "{shell}: {out}"
        );
    }
    Cmd::new(["completions", "tcsh"]).expect_code(2);
    let man = Cmd::new(["man"]).expect_code(0).stdout;
    assert!(
        man.starts_with(".ie") || man.contains(".TH review-replay"),
        "{man}"
    );
    assert!(man.contains("completions"), "{man}");

    let dir = tempfile::tempdir().expect("tempdir");
    let out = Cmd::new(["man", "--dir"]).current_dir(dir.path()).run();
    assert_eq!(out.code, 2, "--dir needs a value");
    Cmd::new(["man", "--dir", "man1"])
        .current_dir(dir.path())
        .expect_code(0);
    let mut pages: Vec<String> = fs::read_dir(dir.path().join("man1"))
        .expect("man1")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    assert!(pages.contains(&"review-replay.1".to_string()), "{pages:?}");
    assert!(
        pages.contains(&"review-replay-check.1".to_string()),
        "{pages:?}"
    );
    assert!(
        pages.contains(&"review-replay-completions.1".to_string()),
        "{pages:?}"
    );
    let check = fs::read_to_string(dir.path().join("man1/review-replay-check.1")).expect("page");
    assert!(
        check.contains(".TH review-replay-check") && check.contains("sarif"),
        "{check}"
    );
}

fn have(tool: &str, arg: &str) -> bool {
    let ok = Command::new(tool)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        println!("notice: {tool} not found; skipping");
    }
    ok
}

#[test]
fn bash_sources_the_completions_and_completes_subcommands() {
    if !have("bash", "--version") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("review-replay.bash");
    fs::write(
        &script,
        Cmd::new(["completions", "bash"]).expect_code(0).stdout,
    )
    .expect("write");
    let probe = format!(
        "source '{}' && complete -p review-replay && COMP_WORDS=(review-replay re) && COMP_CWORD=1 \
         && COMP_LINE='review-replay re' && COMP_POINT=${{#COMP_LINE}} && _review__replay review-replay re review-replay \
         && echo \"words: ${{COMPREPLY[*]}}\"",
        script.display()
    );
    let out = Command::new("bash")
        .arg("--norc")
        .arg("-c")
        .arg(&probe)
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let words = stdout
        .lines()
        .find_map(|l| l.strip_prefix("words: "))
        .expect("words line");
    let mut words: Vec<&str> = words.split_whitespace().collect();
    words.sort();
    assert_eq!(words, ["record", "replay", "reproduce"], "{stdout}");
}

/// Runs `review-replay ARGS > OUT` under a pseudo-terminal with `script`; returns
/// what the terminal showed (stderr) and the file written (stdout).
fn under_pty(args: &str, env: &[(&str, &str)]) -> (String, String) {
    under_pty_in(&repo_root(), args, env)
}

fn under_pty_in(cwd: &Path, args: &str, env: &[(&str, &str)]) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("stdout");
    let cmd = format!(
        "'{}' {args} > '{}'",
        env!("CARGO_BIN_EXE_review-replay"),
        out.display()
    );
    let mut command = Command::new("script");
    command
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(cwd)
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .env("TERM", "xterm");
    for (k, v) in env {
        command.env(k, v);
    }
    let result = command.output().expect("script");
    let terminal = String::from_utf8_lossy(&result.stdout).into_owned();
    let stdout = fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}: {terminal}"));
    (terminal, stdout)
}

#[test]
fn progress_bar_under_a_pty_leaves_stdout_unchanged() {
    if !have("script", "--version") {
        return;
    }
    let plain = Cmd::new(["check"])
        .current_dir(repo_root())
        .expect_code(0)
        .stdout;
    let n = bundled().len();
    let (terminal, stdout) = under_pty("check", &[]);
    assert_eq!(stdout, plain);
    assert!(
        terminal.contains(&format!("{n}/{n} rounds")),
        "{terminal:?}"
    );
    assert!(terminal.contains("0 failed"), "{terminal:?}");

    // Not with JSON output, not under CI.
    let (terminal, _) = under_pty("check --format json", &[]);
    assert!(!terminal.contains("rounds"), "{terminal:?}");
    let (terminal, stdout) = under_pty("check", &[("CI", "true")]);
    assert!(terminal.trim().is_empty(), "{terminal:?}");
    assert_eq!(stdout, plain);
    // NO_COLOR and TERM=dumb ask for plain lines.
    for env in [("NO_COLOR", "1"), ("TERM", "dumb")] {
        let (terminal, stdout) = under_pty("check", &[env]);
        assert_eq!(stdout, plain);
        let lines: Vec<&str> = terminal.lines().map(str::trim_end).collect();
        assert_eq!(
            lines,
            [
                format!("check: {n} rounds"),
                format!("check: {n} rounds done, 0 failed")
            ],
            "{env:?}"
        );
    }
    // A handful of rounds shows nothing.
    let (terminal, _) = under_pty(
        "check cassettes/harbor-pr-41-r1-consensus.json cassettes/harbor-pr-44-r1-critical-vs-suggestion.json",
        &[],
    );
    assert!(terminal.trim().is_empty(), "{terminal:?}");
}

#[test]
fn import_and_eval_show_progress_with_the_same_stdout() {
    if !have("script", "--version") {
        return;
    }
    let rounds: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> = fs::read_dir(repo_root().join("tests/fixtures/rounds"))
            .expect("rounds")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        v.sort();
        v
    };
    let n = rounds.len();
    let list: Vec<String> = rounds
        .iter()
        .map(|p| format!("'{}'", p.display()))
        .collect();
    let args = format!("import --out out --raw {}", list.join(" "));
    let plain_dir = tempfile::tempdir().expect("tempdir");
    let mut cmd_args = vec![
        "import".to_string(),
        "--out".into(),
        "out".into(),
        "--raw".into(),
    ];
    cmd_args.extend(rounds.iter().map(|p| p.display().to_string()));
    let plain = Cmd::new(&cmd_args)
        .current_dir(plain_dir.path())
        .expect_code(0)
        .stdout;
    let pty_dir = tempfile::tempdir().expect("tempdir");
    let (terminal, stdout) = under_pty_in(pty_dir.path(), &args, &[]);
    assert_eq!(stdout, plain);
    assert!(
        terminal.contains(&format!("{n}/{n} rounds")),
        "{terminal:?}"
    );

    let rules = pty_dir.path().join("rules.toml");
    fs::write(&rules, Cmd::new(["rules"]).expect_code(0).stdout).expect("write rules");
    let mut eval: Vec<String> = vec![
        "eval".into(),
        "--rules-candidate".into(),
        rules.display().to_string(),
    ];
    eval.extend(bundled().iter().map(|p| p.display().to_string()));
    let plain = Cmd::new(&eval).expect_code(0).stdout;
    let quoted: Vec<String> = eval.iter().map(|a| format!("'{a}'")).collect();
    let (terminal, stdout) = under_pty(&quoted.join(" "), &[]);
    assert_eq!(stdout, plain);
    let m = bundled().len();
    assert!(
        terminal.contains(&format!("{m}/{m} rounds")),
        "{terminal:?}"
    );
    let (terminal, _) = under_pty(&format!("{} --format json", quoted.join(" ")), &[]);
    assert!(!terminal.contains("rounds"), "{terminal:?}");
}

#[test]
fn reproduce_shows_progress_with_the_same_stdout() {
    if !have("script", "--version") {
        return;
    }
    let mut args: Vec<String> = vec!["reproduce".into()];
    args.extend(bundled().iter().map(|p| p.display().to_string()));
    let plain = Cmd::new(&args).run();
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let (terminal, stdout) = under_pty(&quoted.join(" "), &[]);
    assert_eq!(stdout, plain.stdout);
    let m = bundled().len();
    assert!(
        terminal.contains(&format!("{m}/{m} rounds")),
        "{terminal:?}"
    );
    // What reproduce tells on stderr is still there after the bar.
    for line in plain.stderr.lines() {
        assert!(
            terminal.contains(line),
            "{line:?} missing from {terminal:?}"
        );
    }
}
