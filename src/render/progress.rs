//! What `record` prints while agents run: one status line per agent (redrawn in
//! place on a terminal) or one line per finished agent (logs, pipes, CI).
//!
//! Only text is produced here; the command decides when to print it. Lines have
//! a fixed shape, `<state> <agent> pass <n>[: detail]`, so logs can be grepped.

use std::time::Duration;

/// Where one agent is.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// Not started yet (waiting for a free job slot).
    Waiting,
    /// Running for this long.
    Running(Duration),
    /// Recorded, in this time.
    Done(Duration),
    /// Recorded as failed, with the reason.
    Failed(String),
    /// Could not be started; nothing recorded.
    Error(String),
    /// Already recorded in the cassette; not run again.
    Kept,
}

/// Seconds with one decimal: `12.3 s`.
pub fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// One line for an agent and pass, without a newline.
pub fn line(agent: &str, pass: u32, state: &State) -> String {
    let (word, detail) = match state {
        State::Waiting => ("waiting", None),
        State::Running(d) => ("running", Some(seconds(*d))),
        State::Done(d) => ("recorded", Some(seconds(*d))),
        State::Failed(why) => ("failed", Some(why.clone())),
        State::Error(why) => ("error", Some(why.clone())),
        State::Kept => ("kept", Some("already recorded".to_string())),
    };
    match detail {
        Some(d) if matches!(state, State::Running(_) | State::Done(_)) => {
            format!("{word:<8} {agent} pass {pass} ({d})")
        }
        Some(d) => format!("{word:<8} {agent} pass {pass}: {d}"),
        None => format!("{word:<8} {agent} pass {pass}"),
    }
}

/// Redraws a block of `lines` on a terminal: moves up over the `previous` lines
/// drawn last time and overwrites each one. Line wrapping is off while drawing
/// (the terminal clips a long line), so each line takes exactly one row and
/// moving up by the line count always lands on the first.
pub fn redraw(previous: usize, lines: &[String]) -> String {
    let mut out = String::from("\x1b[?7l");
    if previous > 0 {
        out.push_str(&format!("\x1b[{previous}F"));
    }
    for l in lines {
        out.push_str("\x1b[2K");
        out.push_str(l);
        out.push('\n');
    }
    out.push_str("\x1b[?7h");
    out
}

/// The closing summary of a recording.
pub fn summary(
    round_id: &str,
    recorded: usize,
    kept: usize,
    failed: usize,
    errors: usize,
) -> String {
    let mut parts = vec![format!("{recorded} recorded")];
    for (n, what) in [(kept, "kept"), (failed, "failed"), (errors, "not started")] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    format!("{round_id}: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_have_one_shape() {
        let ms = Duration::from_millis(1234);
        assert_eq!(
            line("claude", 1, &State::Running(ms)),
            "running  claude pass 1 (1.2 s)"
        );
        assert_eq!(
            line("claude", 2, &State::Done(ms)),
            "recorded claude pass 2 (1.2 s)"
        );
        assert_eq!(
            line("codex", 1, &State::Failed("timed out after 1 s".into())),
            "failed   codex pass 1: timed out after 1 s"
        );
        assert_eq!(line("gemini", 1, &State::Waiting), "waiting  gemini pass 1");
    }

    #[test]
    fn redraw_moves_up_over_the_previous_block() {
        let lines = vec!["a".to_string(), "b".to_string()];
        assert_eq!(redraw(0, &lines), "\x1b[?7l\x1b[2Ka\n\x1b[2Kb\n\x1b[?7h");
        assert_eq!(
            redraw(2, &lines),
            "\x1b[?7l\x1b[2F\x1b[2Ka\n\x1b[2Kb\n\x1b[?7h"
        );
    }

    #[test]
    fn summary_names_only_what_happened() {
        assert_eq!(summary("r1", 3, 0, 0, 0), "r1: 3 recorded");
        assert_eq!(
            summary("r1", 1, 2, 1, 1),
            "r1: 1 recorded, 2 kept, 1 failed, 1 not started"
        );
    }
}
