//! `review-replay record` with stub agents (small scripts in
//! `tests/fixtures/agents/`): verbatim responses, redaction, failures recorded
//! with reasons, re-runs, bad agents files and prompts, strict replay with
//! `check --prompt` and `--strict`, and no temporary file left when killed.
//!
//! The stubs are POSIX shell scripts: without `/bin/sh` these tests print a
//! notice and skip.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{Cmd, Output, repo_root};

const ROUND: &str = "demo-pr-1-r1";

fn have_sh() -> bool {
    if Path::new("/bin/sh").exists() {
        true
    } else {
        println!("notice: /bin/sh not found; skipping record tests");
        false
    }
}

fn stub(name: &str) -> String {
    repo_root()
        .join("tests")
        .join("fixtures")
        .join("agents")
        .join(name)
        .display()
        .to_string()
}

fn review_fixture(style: &str) -> String {
    let path = repo_root()
        .join("tests")
        .join("fixtures")
        .join("reviews")
        .join(format!("{style}.md"));
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An agents file: `(key, command, timeout_s)`.
fn agents_toml(agents: &[(&str, Vec<String>, Option<f64>)]) -> String {
    let mut out = String::from("schema = \"review-replay/agents/v1\"\n");
    for (key, command, timeout) in agents {
        out.push_str(&format!("\n[agents.{key}]\ncommand = {command:?}\n"));
        out.push_str(&format!("model = \"Stub {key}\"\n"));
        if let Some(t) = timeout {
            out.push_str(&format!("timeout_s = {t}\n"));
        }
    }
    out
}

/// A working directory with `agents.toml`, `prompt.md` and `diff.patch`.
/// An agents file of two stub reviewers that print a review each.
fn two_reviewers() -> String {
    agents_toml(&[
        (
            "claude",
            vec![stub("review.sh"), "claude-style".into()],
            None,
        ),
        ("codex", vec![stub("review.sh"), "codex-style".into()], None),
    ])
}

fn setup(agents: &str, prompt: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("agents.toml"), agents).expect("agents");
    fs::write(dir.path().join("prompt.md"), prompt).expect("prompt");
    fs::write(
        dir.path().join("diff.patch"),
        "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-old\n+new\n",
    )
    .expect("diff");
    dir
}

const PROMPT: &str = "Review round {round_id} as {agent} (pass {pass}).\n\
                      Report findings by severity.\n\n{input}\n";

fn record(dir: &Path, extra: &[&str]) -> Output {
    Cmd::new(record_args(extra)).current_dir(dir).run()
}

/// The arguments of a `record` of the test round into `cassettes/`.
fn record_args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "record",
        "--agents",
        "agents.toml",
        "--prompt",
        "prompt.md",
        "--input",
        "diff.patch",
        "--round-id",
        ROUND,
        "--out",
        "cassettes",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn cassette_path(dir: &Path) -> PathBuf {
    dir.join("cassettes").join(format!("{ROUND}.json"))
}

fn read_cassette(dir: &Path) -> (String, Value) {
    let path = cassette_path(dir);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json = serde_json::from_str(&text).expect("cassette JSON");
    (text, json)
}

fn interaction<'a>(cassette: &'a Value, agent: &str) -> &'a Value {
    cassette["interactions"]
        .as_array()
        .expect("interactions")
        .iter()
        .find(|i| i["agent"] == agent)
        .unwrap_or_else(|| panic!("no interaction of {agent}: {cassette:#}"))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

/// True when process `pid` is gone or a zombie (Linux `/proc`; elsewhere: unknown, true).
fn gone(pid: &str) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
    }
}

fn every_stub() -> Vec<(&'static str, Vec<String>, Option<f64>)> {
    let sh = |name: &str, args: &[&str]| {
        let mut v = vec![stub(name)];
        v.extend(args.iter().map(|a| a.to_string()));
        v
    };
    vec![
        ("claude", sh("review.sh", &["claude-style"]), None),
        ("codex", sh("review.sh", &["codex-style"]), None),
        ("gemini", sh("review.sh", &["gemini-style"]), None),
        ("leaky", sh("secrets.sh", &[]), None),
        ("sleepy", sh("sleepy.sh", &["helper.pid"]), Some(1.0)),
        ("crashy", sh("fails.sh", &[]), None),
        ("quiet", sh("silent.sh", &[]), None),
        ("garbled", sh("not-utf8.sh", &[]), None),
        ("missing", vec!["./no-such-agent.sh".into()], None),
        ("noexec", sh("not-executable.sh", &[]), None),
    ]
}

#[test]
fn record_keeps_good_responses_verbatim_redacts_secrets_and_records_failures() {
    if !have_sh() {
        return;
    }
    let dir = setup(&agents_toml(&every_stub()), PROMPT);
    let out = record(dir.path(), &[]);
    assert_eq!(out.code, 1, "{out:?}");

    // One error each for the agents that cannot be started, naming agent and path.
    let errors = out.errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].contains("agent `missing`") && errors[0].contains("./no-such-agent.sh"),
        "{errors:?}"
    );
    assert!(
        errors[1].contains("agent `noexec`")
            && errors[1].contains("not-executable.sh")
            && errors[1].contains("not executable"),
        "{errors:?}"
    );
    // Without a terminal: one line per finished agent, no cursor movement.
    assert!(!out.stderr.contains('\x1b'), "{}", out.stderr);
    assert!(
        out.stderr.contains("recorded claude pass 1 ("),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("failed   sleepy pass 1: timed out"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("{ROUND}: 4 recorded, 4 failed, 2 not started")),
        "{}",
        out.stderr
    );

    let (text, c) = read_cassette(dir.path());
    let agents: Vec<&str> = c["interactions"]
        .as_array()
        .expect("interactions")
        .iter()
        .map(|i| i["agent"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        agents,
        [
            "claude", "codex", "crashy", "garbled", "gemini", "leaky", "quiet", "sleepy"
        ]
    );
    for (agent, style) in [
        ("claude", "claude-style"),
        ("codex", "codex-style"),
        ("gemini", "gemini-style"),
    ] {
        let i = interaction(&c, agent);
        assert_eq!(str_of(i, "response"), review_fixture(style), "{agent}");
        assert!(i.get("failure").is_none(), "{agent}");
        assert_eq!(i["exit_status"], 0, "{agent}");
        assert_eq!(str_of(i, "model"), format!("Stub {agent}"));
        assert!(str_of(i, "prompt").starts_with("sha256:"), "{i}");
    }

    // No credential anywhere in the file; each kind is marked.
    assert!(
        !text.contains("FAKE"),
        "a fake credential reached the disk:\n{text}"
    );
    let leaky = interaction(&c, "leaky");
    for kind in [
        "github",
        "openai",
        "anthropic",
        "aws",
        "google",
        "bearer",
        "password",
        "private-key",
    ] {
        assert!(
            str_of(leaky, "response").contains(&format!("[REDACTED:{kind}]")),
            "{kind}: {leaky}"
        );
    }
    assert_eq!(leaky["redactions"], 8);

    let failures = [
        ("sleepy", "timed out after 1 s"),
        ("crashy", "exited with status 3"),
        ("quiet", "printed nothing"),
        ("garbled", "output is not UTF-8"),
    ];
    for (agent, reason) in failures {
        let i = interaction(&c, agent);
        assert!(str_of(i, "failure").starts_with(reason), "{agent}: {i}");
        assert_eq!(
            str_of(i, "response"),
            "",
            "{agent}: a failure is not a review"
        );
    }
    let crashy = interaction(&c, "crashy");
    assert_eq!(crashy["exit_status"], 3);
    assert_eq!(
        str_of(crashy, "stderr_tail"),
        "starting review\nfatal: auth failed with token [REDACTED:github]"
    );

    // The sleepy agent's helper died with its process group.
    let pid = fs::read_to_string(dir.path().join("helper.pid")).expect("helper pid");
    assert!(
        gone(pid.trim()),
        "helper {} outlived the timeout",
        pid.trim()
    );

    // Replaying lists the failed interactions instead of reading them as empty reviews.
    let replay =
        Cmd::new(["replay", &cassette_path(dir.path()).display().to_string()]).expect_code(0);
    for agent in ["crashy", "garbled", "quiet", "sleepy"] {
        assert!(
            replay.stdout.contains(&format!(
                "- no review from {agent} pass 1: recording failed ("
            )),
            "{agent}:\n{}",
            replay.stdout
        );
    }
}

#[test]
fn a_rerun_records_only_what_is_missing_or_failed() {
    if !have_sh() {
        return;
    }
    let good = vec![
        (
            "claude",
            vec![stub("review.sh"), "claude-style".into()],
            None,
        ),
        ("quiet", vec![stub("silent.sh")], None),
    ];
    let dir = setup(&agents_toml(&good), PROMPT);
    assert_eq!(record(dir.path(), &[]).code, 1);
    let (_, first) = read_cassette(dir.path());

    // Same agents: the failed one runs again, the recorded one is kept as is.
    let again = record(dir.path(), &[]);
    assert_eq!(again.code, 1, "{again:?}");
    assert!(
        again.stderr.contains("failed   quiet pass 1"),
        "{}",
        again.stderr
    );
    assert!(!again.stderr.contains("claude pass 1"), "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains(&format!("{ROUND}: 0 recorded, 1 kept, 1 failed")),
        "{}",
        again.stderr
    );

    // The failing agent fixed, and a second pass asked for: only those run.
    let fixed = vec![
        good[0].clone(),
        (
            "quiet",
            vec![stub("review.sh"), "gemini-style".into()],
            None,
        ),
    ];
    fs::write(dir.path().join("agents.toml"), agents_toml(&fixed)).expect("agents");
    let out = record(dir.path(), &["--passes", "2"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains(&format!("{ROUND}: 3 recorded, 1 kept")),
        "{}",
        out.stderr
    );
    let (_, c) = read_cassette(dir.path());
    assert_eq!(interaction(&c, "claude"), interaction(&first, "claude"));
    assert_eq!(
        str_of(interaction(&c, "quiet"), "response"),
        review_fixture("gemini-style")
    );
    assert_eq!(c["interactions"].as_array().map(Vec::len), Some(4));

    // --force records everything again.
    let forced = record(dir.path(), &["--passes", "2", "--force"]);
    assert_eq!(forced.code, 0, "{forced:?}");
    assert!(
        forced.stderr.contains(&format!("{ROUND}: 4 recorded")),
        "{}",
        forced.stderr
    );
}

#[test]
fn placeholders_are_rendered_and_prompts_recorded_on_request() {
    if !have_sh() {
        return;
    }
    let agents = agents_toml(&[("echo", vec![stub("echo-prompt.sh")], None)]);
    let prompt = "Round {round_id}, agent {agent}, pass {pass}.\n{input}\nLiteral {{input}} and {\"k\": 1}\n";
    let dir = setup(&agents, prompt);
    let out = record(dir.path(), &["--passes", "2", "--record-prompts"]);
    assert_eq!(out.code, 0, "{out:?}");
    let (_, c) = read_cassette(dir.path());
    let all = c["interactions"].as_array().expect("interactions");
    assert_eq!(all.len(), 2);
    assert_eq!(
        str_of(&all[1], "response"),
        format!(
            "# Prompt as received\n\nRound {ROUND}, agent echo, pass 2.\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-old\n+new\n\nLiteral {{input}} and {{\"k\": 1}}\n"
        )
    );
    assert_eq!(str_of(&all[0], "prompt_text"), prompt);
    assert_eq!(c["round"]["reviewers"][0]["model"], "Stub echo");

    // One job at a time gives the same cassette, timings aside.
    let serial = Cmd::new([
        "record",
        "--agents",
        "agents.toml",
        "--prompt",
        "prompt.md",
        "--input",
        "diff.patch",
        "--round-id",
        ROUND,
        "--out",
        "serial",
        "--passes",
        "2",
        "--record-prompts",
        "--jobs",
        "1",
    ])
    .current_dir(dir.path())
    .expect_code(0);
    assert!(serial.stderr.contains("2 recorded"), "{}", serial.stderr);
    let text = fs::read_to_string(dir.path().join("serial").join(format!("{ROUND}.json")))
        .expect("serial cassette");
    let mut one: Value = serde_json::from_str(&text).expect("json");
    let mut all_jobs = c.clone();
    for v in [&mut one, &mut all_jobs] {
        for i in v["interactions"].as_array_mut().expect("interactions") {
            i.as_object_mut().expect("object").remove("duration_s");
        }
    }
    assert_eq!(one, all_jobs);
}

#[test]
fn an_unknown_placeholder_is_refused_before_any_agent_runs() {
    if !have_sh() {
        return;
    }
    let agents = agents_toml(&[(
        "sleepy",
        vec![stub("sleepy.sh"), "started.pid".into()],
        Some(1.0),
    )]);
    let dir = setup(&agents, "Review this:\n\n  {diff}\n");
    let out = record(dir.path(), &[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("error: prompt.md:3:3: unknown placeholder `{diff}`"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("started.pid").exists(), "an agent ran");
    assert!(!dir.path().join("cassettes").exists());
}

#[test]
fn agents_file_with_unknown_key_or_schema_is_refused_with_line_and_column() {
    let dir = setup(
        "schema = \"review-replay/agents/v1\"\n[agents.claude]\ncommand = [\"claude\"]\ntimeout = 5\n",
        PROMPT,
    );
    let out = record(dir.path(), &[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .starts_with("error: agents.toml:4:1: invalid agents file: unknown field `timeout`"),
        "{}",
        out.stderr
    );
    fs::write(
        dir.path().join("agents.toml"),
        "schema = \"review-replay/agents/v9\"\n[agents.claude]\ncommand = [\"claude\"]\n",
    )
    .expect("write");
    let out = record(dir.path(), &[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains(
            "agents.toml:1:10: invalid agents file: unknown agents schema `review-replay/agents/v9`"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn no_redact_says_so_and_keeps_secrets() {
    if !have_sh() {
        return;
    }
    let agents = agents_toml(&[("leaky", vec![stub("secrets.sh")], None)]);
    let dir = setup(&agents, PROMPT);
    let out = record(dir.path(), &["--no-redact"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .starts_with("warning: --no-redact is on: responses, prompts and standard error are written to disk AS THEY ARE"),
        "{}",
        out.stderr
    );
    let (text, _) = read_cassette(dir.path());
    assert!(text.contains("ghp_FAKE"), "{text}");
}

#[test]
fn check_prompt_fails_a_round_recorded_with_another_prompt() {
    if !have_sh() {
        return;
    }
    let agents = agents_toml(&[
        (
            "claude",
            vec![stub("review.sh"), "claude-style".into()],
            None,
        ),
        ("quiet", vec![stub("silent.sh")], None),
    ]);
    let dir = setup(&agents, PROMPT);
    assert_eq!(record(dir.path(), &["--record-prompts"]).code, 1);
    Cmd::new(["bless", "cassettes"])
        .current_dir(dir.path())
        .expect_code(0);

    // The same prompt: the failed interaction is a warning only.
    let same = Cmd::new(["check", "cassettes", "--prompt", "prompt.md"])
        .current_dir(dir.path())
        .expect_code(0);
    assert!(
        same.stdout.contains(&format!(
            "warning   {ROUND}: quiet pass 1: recording failed (printed nothing)"
        )),
        "{}",
        same.stdout
    );
    // --strict turns it into a failure.
    Cmd::new(["check", "cassettes", "--strict"])
        .current_dir(dir.path())
        .expect_code(1);

    // An edited prompt fails the round, naming agent and first differing line.
    fs::write(
        dir.path().join("edited.md"),
        PROMPT.replace("by severity", "by severity, most severe first"),
    )
    .expect("write");
    let edited = Cmd::new(["check", "cassettes", "--prompt", "edited.md"])
        .current_dir(dir.path())
        .expect_code(1);
    assert!(
        edited.stdout.contains(&format!(
            "stale     {ROUND}: claude pass 1: recorded with another prompt than edited.md \
             (line 2: recorded `Report findings by severity.`, now `Report findings by severity, most severe first.`)"
        )),
        "{}",
        edited.stdout
    );
    assert!(edited.stdout.contains("1 stale"), "{}", edited.stdout);

    // JUnit marks the round failed even though its report matches.
    Cmd::new([
        "check",
        "cassettes",
        "--prompt",
        "edited.md",
        "--junit",
        "check.xml",
    ])
    .current_dir(dir.path())
    .expect_code(1);
    let xml = fs::read_to_string(dir.path().join("check.xml")).expect("junit");
    assert!(
        xml.contains("<failure") && xml.contains("claude pass 1: recorded with another prompt"),
        "{xml}"
    );
}

#[test]
fn record_killed_leaves_no_temporary_file() {
    killed_by(nix::sys::signal::Signal::SIGKILL);
}

#[test]
fn record_interrupted_stops_its_agents_and_writes_nothing() {
    let Some(helper) = killed_by(nix::sys::signal::Signal::SIGTERM) else {
        return;
    };
    // The handler killed the agent's process group before exiting.
    let mut stopped = false;
    for _ in 0..200 {
        if gone(&helper) {
            stopped = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    stop_group_of(&helper);
    assert!(
        stopped,
        "helper {helper} still runs after record was interrupted"
    );
}

/// Starts a record whose agent sleeps, sends `signal` once the agent runs, and
/// checks that nothing is left in the output directory. Returns the pid of the
/// agent's helper process (None when the test is skipped).
fn killed_by(signal: nix::sys::signal::Signal) -> Option<String> {
    if !have_sh() {
        return None;
    }
    let agents = agents_toml(&[(
        "sleepy",
        vec![stub("sleepy.sh"), "helper.pid".into()],
        Some(60.0),
    )]);
    let dir = setup(&agents, PROMPT);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_review-replay"))
        .args([
            "record",
            "--agents",
            "agents.toml",
            "--prompt",
            "prompt.md",
            "--input",
            "diff.patch",
            "--round-id",
            ROUND,
            "--out",
            "cassettes",
        ])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn record");
    // Wait until the agent runs, then kill record in the middle of it.
    let pidfile = dir.path().join("helper.pid");
    let mut helper = String::new();
    for _ in 0..600 {
        helper = fs::read_to_string(&pidfile).unwrap_or_default();
        if !helper.trim().is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).expect("pid"));
    nix::sys::signal::kill(pid, signal).expect("signal record");
    let status = child.wait().expect("wait");
    if signal == nix::sys::signal::Signal::SIGTERM {
        assert_eq!(status.code(), Some(130), "{status:?}");
    } else {
        stop_group_of(helper.trim());
    }
    assert!(!helper.trim().is_empty(), "the agent never started");
    let left: Vec<String> = fs::read_dir(dir.path().join("cassettes"))
        .map(|d| {
            d.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
    Some(helper.trim().to_string())
}

/// Ends the process group of `pid` (the orphaned stub agent), from `/proc`.
fn stop_group_of(pid: &str) {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return;
    };
    let pgrp = stat
        .rsplit(')')
        .next()
        .and_then(|rest| rest.split_whitespace().nth(2))
        .and_then(|g| g.parse::<i32>().ok());
    if let Some(g) = pgrp.filter(|g| *g > 1) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(g),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

#[test]
fn import_raw_reads_the_deep_review_layout_and_redacts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let raw = dir.path().join("run-7");
    fs::create_dir(&raw).expect("mkdir");
    let claude = format!(
        "{}\nSeen in the logs: api_key=FAKEkey0010\n",
        review_fixture("claude-style")
    );
    fs::write(raw.join("review-claude-pass-1.md"), &claude).expect("write");
    fs::write(
        raw.join("review-codex-pass-1.md"),
        review_fixture("codex-style"),
    )
    .expect("write");
    fs::write(
        raw.join("review-codex-pass-2.md"),
        review_fixture("gemini-style"),
    )
    .expect("write");
    fs::write(raw.join("prompt.md"), "Review {input}\n").expect("write");

    let out = Cmd::new([
        "import",
        "--raw",
        "run-7",
        "--round-id",
        "ferry-pr-7-r1",
        "--repo",
        "acme/ferry",
        "--pr",
        "7",
        "--round",
        "1",
        "--out",
        "out",
    ])
    .current_dir(dir.path())
    .expect_code(0);
    assert!(
        out.stderr.contains("redacted 1 secret(s)"),
        "{}",
        out.stderr
    );
    let path = dir.path().join("out").join("ferry-pr-7-r1.json");
    let text = fs::read_to_string(&path).expect("cassette");
    assert!(!text.contains("FAKE"), "{text}");
    let c: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(c["round"]["repo"], "acme/ferry");
    assert_eq!(c["round"]["pr"], 7);
    assert_eq!(c["round"]["round"], 1);
    let keys: Vec<(String, u64)> = c["interactions"]
        .as_array()
        .expect("interactions")
        .iter()
        .map(|i| {
            (
                str_of(i, "agent").to_string(),
                i["pass"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("claude".into(), 1),
            ("codex".into(), 1),
            ("codex".into(), 2)
        ]
    );
    let first = &c["interactions"][0];
    assert_eq!(
        str_of(first, "response"),
        claude.replace("FAKEkey0010", "[REDACTED:password]")
    );
    assert_eq!(first["redactions"], 1);
    assert!(str_of(first, "prompt").starts_with("sha256:"));

    // Without --round-id the directory names the round.
    Cmd::new(["import", "--raw", "run-7", "--out", "out2"])
        .current_dir(dir.path())
        .expect_code(0);
    assert!(dir.path().join("out2").join("run-7.json").is_file());
}

#[test]
fn import_of_a_report_redacts_before_parsing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = repo_root()
        .join("tests")
        .join("fixtures")
        .join("reports")
        .join("20990101-120000-pr-7.md");
    let text = fs::read_to_string(&report).expect("report");
    let leaky = format!("{text}\nDeploy with AKIAFAKEFAKEFAKE0011 in the environment.\n");
    fs::write(dir.path().join("20990101-120000-pr-7.md"), leaky).expect("write");
    let out = Cmd::new(["import", "20990101-120000-pr-7.md", "--out", "out"])
        .current_dir(dir.path())
        .expect_code(0);
    assert!(
        out.stderr.contains("redacted 1 secret(s)"),
        "{}",
        out.stderr
    );
    let cassette = fs::read_to_string(dir.path().join("out").join("20990101-120000-pr-7.json"))
        .expect("cassette");
    assert!(!cassette.contains("FAKE"), "{cassette}");

    let raw = Cmd::new([
        "import",
        "20990101-120000-pr-7.md",
        "--out",
        "raw",
        "--no-redact",
    ])
    .current_dir(dir.path())
    .expect_code(0);
    assert!(
        raw.stderr.starts_with("warning: --no-redact is on"),
        "{}",
        raw.stderr
    );
}

#[test]
fn record_then_eval_compares_two_prompts_and_refuses_a_stale_set() {
    if !have_sh() {
        return;
    }
    let agents = two_reviewers();
    let dir = setup(&agents, PROMPT);
    fs::write(
        dir.path().join("prompt-b.md"),
        PROMPT.replace("by severity", "by severity; skip style nits"),
    )
    .expect("write");
    for (prompt, out) in [("prompt.md", "cassettes/a"), ("prompt-b.md", "cassettes/b")] {
        Cmd::new([
            "record",
            "--agents",
            "agents.toml",
            "--prompt",
            prompt,
            "--input",
            "diff.patch",
            "--round-id",
            ROUND,
            "--out",
            out,
        ])
        .current_dir(dir.path())
        .expect_code(0);
    }
    let eval = |candidate_prompt: &str| {
        Cmd::new([
            "eval",
            "--baseline",
            "cassettes/a",
            "--candidate",
            "cassettes/b",
            "--baseline-prompt",
            "prompt.md",
            "--candidate-prompt",
            candidate_prompt,
            "--resamples",
            "50",
        ])
        .current_dir(dir.path())
    };
    let ok = eval("prompt-b.md").expect_code(0);
    assert!(ok.stdout.contains("claude"), "{}", ok.stdout);
    assert!(!ok.stderr.contains("stale"), "{}", ok.stderr);

    let stale = eval("prompt.md").expect_code(1);
    assert!(
        stale.stderr.contains(&format!(
            "stale: candidate {ROUND}: claude pass 1: recorded with another prompt than prompt.md"
        )),
        "{}",
        stale.stderr
    );
}

#[test]
fn on_a_terminal_each_agent_has_a_live_status_line() {
    if !have_sh() {
        return;
    }
    // `script` (util-linux) runs the command on a pseudo-terminal.
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("notice: `script` not found; skipping the terminal test");
        return;
    }
    let agents = agents_toml(&[
        (
            "claude",
            vec![stub("review.sh"), "claude-style".into()],
            None,
        ),
        ("quiet", vec![stub("silent.sh")], None),
    ]);
    let dir = setup(&agents, PROMPT);
    let command = format!(
        "{} record --agents agents.toml --prompt prompt.md --input diff.patch --round-id {ROUND} --out cassettes",
        env!("CARGO_BIN_EXE_review-replay")
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("script");
    let screen = String::from_utf8_lossy(&out.stdout);
    let problem = String::from_utf8_lossy(&out.stderr);
    if problem.contains("pseudo-terminal") || problem.contains("openpty") {
        println!("notice: no pseudo-terminal available ({problem}); skipping the terminal test");
        return;
    }
    assert_eq!(out.status.code(), Some(1), "{screen}");
    // Both lines drawn, then redrawn in place (cursor up two lines), ending
    // with each agent's final state.
    assert!(screen.contains("\x1b[2F"), "{screen:?}");
    let last = screen.rfind("\x1b[2F").unwrap_or(0);
    let tail = screen.get(last..).unwrap_or("");
    assert!(tail.contains("\x1b[2Krecorded claude pass 1 ("), "{tail:?}");
    assert!(
        tail.contains("\x1b[2Kfailed   quiet pass 1: printed nothing"),
        "{tail:?}"
    );
}

#[test]
fn when_no_agent_can_start_no_cassette_is_written() {
    let agents = agents_toml(&[("ghost", vec!["./agents/ghost.sh".into()], None)]);
    let dir = setup(&agents, PROMPT);
    let out = record(dir.path(), &[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(
        out.errors(),
        [
            "error: agents.toml: agent `ghost`: cannot run `./agents/ghost.sh`: no such file; nothing recorded for it"
        ]
    );
    assert!(out.stderr.contains("nothing recorded;"), "{}", out.stderr);
    assert!(!cassette_path(dir.path()).exists());
}

/// Nothing is half-written: `record --force` over an existing cassette, killed
/// with SIGKILL at points spread over a whole run (and past its end), leaves the
/// cassette either the old file or a whole new one, never partial. The
/// temporary files a killed write leaves are swept by later writes
/// (`reliability::crash`).
#[test]
fn record_killed_anywhere_leaves_the_old_or_a_whole_new_cassette() {
    if !have_sh() {
        return;
    }
    let agents = two_reviewers();
    let dir = setup(&agents, PROMPT);
    let start = std::time::Instant::now();
    let first = record(dir.path(), &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let full = start.elapsed();
    let old = fs::read(cassette_path(dir.path())).expect("cassette");
    let args = record_args(&["--force"]);
    let runs = 12u32;
    let mut outcomes = (0u32, 0u32);
    for k in 0..runs {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_review-replay"))
            .args(&args)
            .current_dir(dir.path())
            .env_remove("CI")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(full.mul_f64(f64::from(k) / f64::from(runs) * 1.2));
        let _ = child.kill();
        let _ = child.wait();
        let now = fs::read(cassette_path(dir.path())).expect("cassette still there");
        if now == old {
            outcomes.0 += 1;
            continue;
        }
        outcomes.1 += 1;
        let text = String::from_utf8(now).expect("utf-8");
        let c = review_replay::cassette::Cassette::from_json(&cassette_path(dir.path()), &text)
            .unwrap_or_else(|e| panic!("run {k} left a partial cassette: {e}"));
        assert_eq!(c.interactions.len(), 2, "run {k}");
    }
    assert_eq!(outcomes.0 + outcomes.1, runs);
}
