//! Runs one agent: the prompt on standard input, standard output captured, a
//! timeout that ends the agent's whole process group.
//!
//! Invariants: the agent runs in a process group of its own (on Unix), and
//! that group is killed when the timeout expires and again once the agent has
//! exited, so no helper it started outlives it or holds its output open; both
//! output streams are read on their own threads, so a chatty agent never
//! blocks on a full pipe; only the last [`STDERR_KEEP`] bytes of standard error
//! are kept; every running agent is registered, so that [`stop_all`] (called
//! when `record` is interrupted) can end them all: agents in their own process
//! groups do not get the terminal's Ctrl-C.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Process groups of the agents running now.
static RUNNING: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

fn running() -> std::sync::MutexGuard<'static, BTreeSet<u32>> {
    // A panic while holding the lock leaves the set usable.
    RUNNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Kills the process group of every agent running now.
pub fn stop_all() {
    for pid in running().iter() {
        kill_pid_group(*pid);
    }
}

/// Bytes of standard error kept (its tail).
pub const STDERR_KEEP: usize = 64 * 1024;

/// How often a running agent is polled for exit or timeout.
const POLL: Duration = Duration::from_millis(20);

/// What to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// Program and arguments.
    pub argv: Vec<String>,
    /// Written to standard input, which is then closed.
    pub stdin: String,
    /// When to give up.
    pub timeout: Duration,
}

/// How a run ended.
#[derive(Debug)]
pub enum Ended {
    /// The program could not be started (missing, not executable).
    NotStarted(std::io::Error),
    /// It exited (`code` is None when a signal ended it).
    Exited {
        /// Exit code.
        code: Option<i32>,
    },
    /// The timeout expired and the process group was killed.
    TimedOut,
}

/// The result of a run.
#[derive(Debug)]
pub struct Run {
    /// How it ended.
    pub ended: Ended,
    /// Standard output, up to [`crate::fsutil::MAX_INPUT_BYTES`].
    pub stdout: Vec<u8>,
    /// True when standard output was longer than that and was cut.
    pub stdout_cut: bool,
    /// The tail of standard error.
    pub stderr: Vec<u8>,
    /// Wall-clock time from start to exit.
    pub duration: Duration,
}

#[cfg(unix)]
fn own_group(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
}

#[cfg(not(unix))]
fn own_group(_cmd: &mut Command) {}

/// Kills the process group led by `pid`; a group that is already gone is fine.
#[cfg(unix)]
fn kill_pid_group(pid: u32) -> bool {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    match i32::try_from(pid) {
        Ok(p) if p > 1 => {
            let _ = killpg(Pid::from_raw(p), Signal::SIGKILL);
            true
        }
        _ => false,
    }
}

#[cfg(not(unix))]
fn kill_pid_group(_pid: u32) -> bool {
    false
}

/// Kills the agent's process group, or the agent alone where there is none.
fn kill_group(pid: u32, child: &mut std::process::Child) {
    if !kill_pid_group(pid) {
        let _ = child.kill();
    }
}

/// Reads everything, keeping at most `limit` bytes (the rest is drained, so
/// the agent never blocks on a full pipe); the flag says whether bytes were lost.
fn read_limited(r: impl Read, limit: u64) -> (Vec<u8>, bool) {
    let mut buf = Vec::new();
    let mut r = r;
    let _ = (&mut r).take(limit).read_to_end(&mut buf);
    let lost = std::io::copy(&mut r, &mut std::io::sink()).unwrap_or(0);
    (buf, lost > 0)
}

fn read_tail(mut r: impl Read, keep: usize) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match r.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                buf.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
                if buf.len() > 2 * keep {
                    buf.drain(..buf.len() - keep);
                }
            }
        }
    }
    if buf.len() > keep {
        buf.drain(..buf.len() - keep);
    }
    buf
}

/// Runs `job` in the current directory.
pub fn run(job: &Job) -> Run {
    let started = Instant::now();
    let not_started = |e| Run {
        ended: Ended::NotStarted(e),
        stdout: Vec::new(),
        stdout_cut: false,
        stderr: Vec::new(),
        duration: Duration::ZERO,
    };
    let Some((program, args)) = job.argv.split_first() else {
        return not_started(std::io::Error::other("empty command"));
    };
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    own_group(&mut cmd);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return not_started(e),
    };
    let pid = child.id();
    running().insert(pid);
    let stdin = child.stdin.take();
    let input = job.stdin.clone();
    // An agent that exits without reading its input makes this write fail
    // (broken pipe): that is its business, not an error of the run.
    let writer = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            let _ = s.write_all(input.as_bytes());
        }
    });
    let out = child
        .stdout
        .take()
        .map(|s| std::thread::spawn(|| read_limited(s, crate::fsutil::MAX_INPUT_BYTES)));
    let err = child
        .stderr
        .take()
        .map(|s| std::thread::spawn(|| read_tail(s, STDERR_KEEP)));

    let ended = loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                break Ended::Exited {
                    code: status.code(),
                };
            }
            Ok(None) => {}
            Err(_) => {
                kill_group(pid, &mut child);
                let status = child.wait().ok();
                break Ended::Exited {
                    code: status.and_then(|s| s.code()),
                };
            }
        }
        if started.elapsed() >= job.timeout {
            kill_group(pid, &mut child);
            let _ = child.wait();
            break Ended::TimedOut;
        }
        std::thread::sleep(POLL);
    };
    let duration = started.elapsed();
    // Helpers the agent left behind would hold the pipes open.
    kill_group(pid, &mut child);
    running().remove(&pid);
    let _ = writer.join();
    let (stdout, stdout_cut) = out.and_then(|h| h.join().ok()).unwrap_or_default();
    let stderr = err.and_then(|h| h.join().ok()).unwrap_or_default();
    Run {
        ended,
        stdout,
        stdout_cut,
        stderr,
        duration,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_past_the_limit_is_cut_and_said() {
        let data = vec![b'x'; 100];
        assert_eq!(read_limited(&data[..], 100), (data.clone(), false));
        let (kept, cut) = read_limited(&data[..], 10);
        assert_eq!((kept.len(), cut), (10, true));
    }

    #[test]
    fn tail_keeps_the_last_bytes() {
        let data: Vec<u8> = (0..100u8).collect();
        assert_eq!(read_tail(&data[..], 10), (90..100u8).collect::<Vec<_>>());
        assert_eq!(read_tail(&data[..], 1000), data);
    }

    #[test]
    fn a_missing_program_is_not_started() {
        let run = run(&Job {
            argv: vec!["/nonexistent/review-replay-agent".into()],
            stdin: String::new(),
            timeout: Duration::from_secs(5),
        });
        assert!(matches!(run.ended, Ended::NotStarted(_)), "{run:?}");
    }
}
