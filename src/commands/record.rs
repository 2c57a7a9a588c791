//! `review-replay record`: runs the reviewer agents of one round live and writes
//! (or completes) its cassette, `<out>/<round-id>.json`.
//!
//! Invariants:
//! - everything is checked before any agent runs: the agents file, the prompt's
//!   placeholders, the input, the existing cassette;
//! - responses, the prompt text and standard error pass through the redactor
//!   before they are kept, so no secret reaches the disk (unless `--no-redact`,
//!   which says so loudly);
//! - an agent that fails, times out, prints nothing or prints non-UTF-8 is
//!   recorded as failed with its reason, never as an empty review; one that
//!   cannot be started is an error naming it and its program, and nothing is
//!   recorded for it; the others still run and are written; the exit code is 1;
//! - a re-run records only what is missing, failed, or recorded with another
//!   prompt (`--force`: everything); the cassette is written once, at the end,
//!   with [`write_atomic`], and interactions are sorted by (agent, pass, role), so
//!   the file does not depend on which agent finished first.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::cassette::{Cassette, Interaction, Reviewer, Role, RoundMeta, SCHEMA_V1, sha256_id};
use crate::cli::{RecordArgs, RoundFlags};
use crate::error::Error;
use crate::fsutil::{read_text, write_atomic};
use crate::parse::report::is_valid_id;
use crate::record::agents::{Agent, AgentsFile};
use crate::record::prompt::{Template, Values};
use crate::record::runner::{self, Ended, Job, Run};
use crate::redact::{Redacted, Redactor};
use crate::render::progress::{self, State};
use crate::{EXIT_FAILURE, EXIT_OK};

/// Set once the cassette is being written: an interruption then waits for it.
static WRITING: AtomicBool = AtomicBool::new(false);

/// Exit code of an interrupted record (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: i32 = 130;

/// Lines of standard error kept for a failed agent.
pub const STDERR_TAIL_LINES: usize = 20;

/// How often the live status lines are redrawn on a terminal.
const TICK: Duration = Duration::from_millis(250);

/// The warning `--no-redact` prints, before anything runs.
pub const NO_REDACT_WARNING: &str = "warning: --no-redact is on: responses, prompts and standard \
     error are written to disk AS THEY ARE, secrets included";

/// One agent pass to run.
struct Task<'a> {
    agent: &'a Agent,
    pass: u32,
    prompt: String,
}

/// What became of a task.
enum Outcome {
    Recorded(Interaction),
    Failed(Interaction),
    NotStarted(String),
}

/// What every interaction of this recording shares.
struct Shared<'a> {
    redactor: &'a Redactor,
    prompt_id: String,
    prompt_text: Option<Redacted>,
}

/// Runs `review-replay record`.
pub fn run(args: RecordArgs) -> Result<u8, Error> {
    let Some(round_id) = args.round.round_id.clone() else {
        return Err(Error::Usage("record needs --round-id".into()));
    };
    if !is_valid_id(&round_id) {
        return Err(Error::Usage(format!(
            "--round-id `{round_id}` cannot name a file (letters, digits, `-`, `_`, `.`)"
        )));
    }
    if args.passes == 0 {
        return Err(Error::Usage("--passes must be at least 1".into()));
    }
    if args.jobs == Some(0) {
        return Err(Error::Usage("--jobs must be at least 1".into()));
    }
    let file = AgentsFile::load(&args.agents)?;
    let redactor = if args.no_redact {
        eprintln!("{NO_REDACT_WARNING}");
        Redactor::disabled()
    } else {
        file.redactor.clone()
    };
    let prompt_text = read_text(&args.prompt)?;
    let template = Template::parse(&args.prompt, &prompt_text)?;
    let input = match &args.input {
        Some(p) => {
            if !template.uses("input") {
                eprintln!(
                    "warning: {} has no {{input}} placeholder: {} is not sent to the agents",
                    args.prompt.display(),
                    p.display()
                );
            }
            read_text(p)?
        }
        None if template.uses("input") => {
            return Err(Error::Usage(format!(
                "{} uses {{input}}: give the input file with --input",
                args.prompt.display()
            )));
        }
        None => String::new(),
    };
    std::fs::create_dir_all(&args.out).map_err(|source| Error::Write {
        path: args.out.clone(),
        source,
    })?;
    let target = args.out.join(format!("{round_id}.json"));
    let existing = load_existing(&target, &round_id)?;

    let shared = Shared {
        redactor: &redactor,
        prompt_id: sha256_id(prompt_text.as_bytes()),
        prompt_text: args.record_prompts.then(|| redactor.redact(&prompt_text)),
    };
    let (mut rows, tasks) = plan(
        &file,
        &args,
        existing.as_ref(),
        &shared.prompt_id,
        |agent, pass| {
            template.render(Values {
                input: &input,
                round_id: &round_id,
                agent,
                pass,
            })
        },
    );
    let jobs = args.jobs.unwrap_or(tasks.len()).max(1);
    // Agents run in process groups of their own, out of reach of the
    // terminal's Ctrl-C: an interrupted record ends them itself. Once writing
    // has begun, the write is left to finish so no temporary file stays.
    if let Err(e) = ctrlc::set_handler(|| {
        runner::stop_all();
        if !WRITING.load(Ordering::SeqCst) {
            eprintln!("interrupted: agents stopped, nothing written");
            std::process::exit(EXIT_INTERRUPTED);
        }
    }) {
        eprintln!(
            "warning: cannot catch Ctrl-C ({e}); an interrupted record may leave agents running"
        );
    }
    let outcomes = run_all(&tasks, jobs, &shared, &mut rows);

    let mut recorded = 0;
    let mut failed = 0;
    let mut errors = 0;
    let mut fresh: Vec<Interaction> = Vec::new();
    for (task, outcome) in tasks.iter().zip(outcomes) {
        match outcome {
            Outcome::Recorded(i) => {
                recorded += 1;
                fresh.push(i);
            }
            Outcome::Failed(i) => {
                failed += 1;
                fresh.push(i);
            }
            Outcome::NotStarted(message) => {
                errors += 1;
                eprintln!(
                    "error: {}: agent `{}`: {message}; nothing recorded for it",
                    args.agents.display(),
                    task.agent.key
                );
            }
        }
    }
    let kept = rows.iter().filter(|r| r.2 == State::Kept).count();
    if fresh.is_empty() && existing.is_none() {
        eprintln!("nothing recorded; {} not written", target.display());
    } else {
        let cassette = assemble(existing, &round_id, &args.round, &file, fresh);
        WRITING.store(true, Ordering::SeqCst);
        let status = write_cassette(&target, &cassette)?;
        eprintln!("{status} {}", target.display());
    }
    eprintln!(
        "{}",
        progress::summary(&round_id, recorded, kept, failed, errors)
    );
    Ok(if failed + errors > 0 {
        EXIT_FAILURE
    } else {
        EXIT_OK
    })
}

/// Status rows for every (agent, pass), in agent then pass order, and the tasks
/// to run: all of them with `--force`, else those missing from `existing`,
/// failed there, or recorded with another prompt.
fn plan<'a>(
    file: &'a AgentsFile,
    args: &RecordArgs,
    existing: Option<&Cassette>,
    prompt_id: &str,
    render: impl Fn(&str, u32) -> String,
) -> (Vec<(String, u32, State)>, Vec<Task<'a>>) {
    let mut rows = Vec::new();
    let mut tasks = Vec::new();
    for agent in file.agents.values() {
        for pass in 1..=args.passes {
            let keep = !args.force
                && existing.is_some_and(|c| {
                    c.interactions.iter().any(|i| {
                        i.role == Role::Reviewer
                            && i.agent == agent.key
                            && i.pass == pass
                            && i.failure.is_none()
                            && i.prompt.as_deref() == Some(prompt_id)
                    })
                });
            if keep {
                rows.push((agent.key.clone(), pass, State::Kept));
                continue;
            }
            rows.push((agent.key.clone(), pass, State::Waiting));
            tasks.push(Task {
                agent,
                pass,
                prompt: render(&agent.key, pass),
            });
        }
    }
    (rows, tasks)
}

/// The cassette already recorded for this round, if any.
fn load_existing(target: &Path, round_id: &str) -> Result<Option<Cassette>, Error> {
    if !target.exists() {
        return Ok(None);
    }
    let c = Cassette::load(target)?;
    if c.round.id != round_id {
        return Err(Error::Other(format!(
            "{} holds round `{}`, not `{round_id}`; move it or choose another --out",
            target.display(),
            c.round.id
        )));
    }
    Ok(Some(c))
}

/// Runs the tasks on `jobs` threads, showing progress on standard error, and
/// returns their outcomes in task order.
fn run_all(
    tasks: &[Task<'_>],
    jobs: usize,
    shared: &Shared<'_>,
    rows: &mut [(String, u32, State)],
) -> Vec<Outcome> {
    let tty = std::io::stderr().is_terminal();
    // Row of each task in the display.
    let row_of: Vec<usize> = tasks
        .iter()
        .filter_map(|t| {
            rows.iter()
                .position(|r| r.0 == t.agent.key && r.1 == t.pass)
        })
        .collect();
    let mut outcomes: Vec<Option<Outcome>> = tasks.iter().map(|_| None).collect();
    let mut started: Vec<Option<Instant>> = vec![None; tasks.len()];
    let mut drawn = 0usize;
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Option<Outcome>)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(tasks.len()) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(task) = tasks.get(i) else { break };
                    let _ = tx.send((i, None));
                    let _ = tx.send((i, Some(run_task(task, shared))));
                }
            });
        }
        drop(tx);
        let mut stderr = std::io::stderr();
        loop {
            let event = rx.recv_timeout(TICK);
            match event {
                Ok((i, None)) => {
                    if let Some(s) = started.get_mut(i) {
                        *s = Some(Instant::now());
                    }
                }
                Ok((i, Some(outcome))) => {
                    let state = match &outcome {
                        Outcome::Recorded(it) => {
                            State::Done(Duration::from_secs_f64(it.duration_s.unwrap_or(0.0)))
                        }
                        Outcome::Failed(it) => {
                            State::Failed(it.failure.clone().unwrap_or_default())
                        }
                        Outcome::NotStarted(m) => State::Error(m.clone()),
                    };
                    if let Some(row) = row_of.get(i).and_then(|&r| rows.get_mut(r)) {
                        // A start error gets its own `error:` line at the end.
                        if !tty && !matches!(state, State::Error(_)) {
                            let _ = writeln!(stderr, "{}", progress::line(&row.0, row.1, &state));
                        }
                        row.2 = state;
                    }
                    if let Some(slot) = outcomes.get_mut(i) {
                        *slot = Some(outcome);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            if tty {
                for (i, s) in started.iter().enumerate() {
                    if let (Some(t), Some(row)) = (s, row_of.get(i).and_then(|&r| rows.get_mut(r)))
                        && matches!(row.2, State::Waiting | State::Running(_))
                    {
                        row.2 = State::Running(t.elapsed());
                    }
                }
                let lines: Vec<String> = rows
                    .iter()
                    .map(|(a, p, s)| progress::line(a, *p, s))
                    .collect();
                let _ = stderr.write_all(progress::redraw(drawn, &lines).as_bytes());
                drawn = lines.len();
            }
        }
    });
    outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Outcome::NotStarted("the worker thread stopped".into())))
        .collect()
}

/// Why a program could not be started, naming it.
fn not_started(program: &str, e: &std::io::Error) -> String {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound if !program.contains('/') => "not found on PATH".to_string(),
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "not executable (permission denied)".to_string(),
        _ => e.to_string(),
    };
    format!("cannot run `{program}`: {why}")
}

/// Runs one task and turns its run into an interaction (or a start error).
fn run_task(task: &Task<'_>, shared: &Shared<'_>) -> Outcome {
    let job = Job {
        argv: task.agent.command.clone(),
        stdin: task.prompt.clone(),
        timeout: Duration::from_secs_f64(task.agent.timeout_s),
    };
    let run = runner::run(&job);
    if let Ended::NotStarted(e) = &run.ended {
        let program = job.argv.first().map(String::as_str).unwrap_or_default();
        return Outcome::NotStarted(not_started(program, e));
    }
    interaction(task, shared, run)
}

/// Seconds rounded to milliseconds: enough, and stable to print.
fn rounded_seconds(d: Duration) -> f64 {
    d.as_millis() as f64 / 1000.0
}

/// The last [`STDERR_TAIL_LINES`] lines of standard error, when there are any.
fn stderr_tail(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let start = lines.len().saturating_sub(STDERR_TAIL_LINES);
    let tail = lines.get(start..).unwrap_or_default().join("\n");
    (!tail.trim().is_empty()).then_some(tail)
}

fn interaction(task: &Task<'_>, shared: &Shared<'_>, run: Run) -> Outcome {
    let exit_status = match run.ended {
        Ended::Exited { code } => code,
        _ => None,
    };
    let failure = match &run.ended {
        Ended::TimedOut => Some(format!(
            "timed out after {} s; its process group was killed",
            task.agent.timeout_s
        )),
        Ended::Exited { code: Some(0) } if run.stdout_cut => Some(format!(
            "printed more than {} bytes",
            crate::fsutil::MAX_INPUT_BYTES
        )),
        Ended::Exited { code: Some(0) } => match std::str::from_utf8(&run.stdout) {
            Err(e) => Some(format!(
                "output is not UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            )),
            Ok(t) if t.trim().is_empty() => Some("printed nothing".to_string()),
            Ok(_) => None,
        },
        Ended::Exited { code: Some(c) } => Some(format!("exited with status {c}")),
        Ended::Exited { code: None } => Some("ended by a signal".to_string()),
        Ended::NotStarted(e) => Some(e.to_string()),
    };
    let mut redactions = shared.prompt_text.as_ref().map_or(0, |p| p.count);
    let mut it = Interaction {
        role: Role::Reviewer,
        agent: task.agent.key.clone(),
        model: task.agent.model.clone(),
        pass: task.pass,
        prompt: Some(shared.prompt_id.clone()),
        duration_s: Some(rounded_seconds(run.duration)),
        exit_status,
        prompt_text: shared.prompt_text.as_ref().map(|p| p.text.clone()),
        ..Interaction::default()
    };
    match failure {
        None => {
            let r = shared
                .redactor
                .redact(&String::from_utf8_lossy(&run.stdout));
            redactions += r.count;
            it.response = r.text;
            it.redactions = redactions;
            Outcome::Recorded(it)
        }
        Some(reason) => {
            if let Some(tail) = stderr_tail(&run.stderr) {
                let r = shared.redactor.redact(&tail);
                redactions += r.count;
                it.stderr_tail = Some(r.text);
            }
            it.failure = Some(reason);
            it.redactions = redactions;
            Outcome::Failed(it)
        }
    }
}

/// The cassette to write: the existing one (or a new one) with the fresh
/// interactions in place of the ones they re-record.
fn assemble(
    existing: Option<Cassette>,
    round_id: &str,
    flags: &RoundFlags,
    file: &AgentsFile,
    fresh: Vec<Interaction>,
) -> Cassette {
    let mut c = existing.unwrap_or_else(|| Cassette {
        schema: SCHEMA_V1.to_string(),
        round: RoundMeta {
            id: round_id.to_string(),
            ..RoundMeta::default()
        },
        interactions: Vec::new(),
        adjudications: Vec::new(),
        prior_resolutions: Vec::new(),
        reference: None,
        source: None,
    });
    if flags.repo.is_some() {
        c.round.repo.clone_from(&flags.repo);
    }
    if flags.pr.is_some() {
        c.round.pr = flags.pr;
    }
    if flags.round.is_some() {
        c.round.round = flags.round;
    }
    if flags.title.is_some() {
        c.round.title.clone_from(&flags.title);
    }
    for agent in file.agents.values() {
        let Some(model) = &agent.model else { continue };
        match c.round.reviewers.iter_mut().find(|r| r.agent == agent.key) {
            Some(r) => r.model.clone_from(model),
            None => c.round.reviewers.push(Reviewer {
                agent: agent.key.clone(),
                model: model.clone(),
                effort: None,
            }),
        }
    }
    let mut by_key: BTreeMap<(String, u32, Role), Interaction> = c
        .interactions
        .drain(..)
        .map(|i| ((i.agent.clone(), i.pass, i.role), i))
        .collect();
    for i in fresh {
        by_key.insert((i.agent.clone(), i.pass, i.role), i);
    }
    c.interactions = by_key.into_values().collect();
    c
}

/// Writes the cassette unless the file already holds exactly these bytes.
fn write_cassette(target: &Path, cassette: &Cassette) -> Result<&'static str, Error> {
    let json = cassette.to_json();
    match std::fs::read(target) {
        Ok(existing) if existing == json.as_bytes() => Ok("unchanged"),
        Ok(_) => write_atomic(target, json.as_bytes()).map(|()| "updated"),
        Err(_) => write_atomic(target, json.as_bytes()).map(|()| "wrote"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stderr_tail_keeps_the_last_lines() {
        let text: String = (1..=30).map(|n| format!("line {n}\n")).collect();
        let tail = stderr_tail(text.as_bytes()).expect("tail");
        assert!(tail.starts_with("line 11\n"), "{tail}");
        assert!(tail.ends_with("line 30"), "{tail}");
        assert_eq!(stderr_tail(b"  \n\n"), None);
    }

    #[test]
    fn start_errors_name_the_program() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(
            not_started("./agents/x.sh", &e),
            "cannot run `./agents/x.sh`: no such file"
        );
        assert_eq!(
            not_started("claude", &e),
            "cannot run `claude`: not found on PATH"
        );
    }
}
