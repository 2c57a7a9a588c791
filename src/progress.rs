//! Progress of long batch commands (`check`, `import`, `reproduce`, `eval`) on
//! stderr: a bar with rounds done / total, rate, ETA and failures, drawn with
//! indicatif.
//!
//! Invariants:
//! - progress never touches stdout, so stdout is byte-identical with and without it;
//! - no bar unless stderr is a terminal and the run has more than [`HANDFUL`]
//!   rounds; never with JSON output, never under CI (`CI` set); with `NO_COLOR`
//!   or `TERM=dumb` a plain line at the start and one at the end instead;
//! - [`Progress`] is `Sync`: worker threads report rounds directly.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// Runs of at most this many rounds show no progress: they are over before a bar
/// would help.
pub const HANDFUL: usize = 5;

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing.
    Off,
    /// One plain line at the start and one at the end.
    Plain,
    /// An animated bar.
    Bar,
}

/// True when the `CI` environment variable asks for CI behaviour.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// True when the environment asks for plain output (`NO_COLOR`, `TERM=dumb`).
fn plain_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || std::env::var("TERM").is_ok_and(|t| t == "dumb")
}

/// Decides how to show the progress of `total` rounds; `machine_output` is true
/// for JSON (and other formats read by programs).
pub fn mode(total: usize, machine_output: bool) -> Mode {
    if machine_output || total <= HANDFUL || in_ci() || !std::io::stderr().is_terminal() {
        Mode::Off
    } else if plain_requested() {
        Mode::Plain
    } else {
        Mode::Bar
    }
}

/// The progress of one batch.
#[derive(Debug)]
pub struct Progress {
    mode: Mode,
    what: &'static str,
    total: u64,
    bar: Option<ProgressBar>,
    failures: AtomicU64,
}

impl Progress {
    /// Starts showing the progress of `total` rounds of the command `what`
    /// (`check`), as [`mode`] decides.
    pub fn start(what: &'static str, total: usize, machine_output: bool) -> Progress {
        Progress::with_mode(what, total, mode(total, machine_output))
    }

    /// Starts with an explicit mode.
    pub fn with_mode(what: &'static str, total: usize, mode: Mode) -> Progress {
        let total = total as u64;
        let bar = match mode {
            Mode::Bar => {
                let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
                // Kept under 80 columns: a wrapped bar redraws as two lines.
                if let Ok(style) = ProgressStyle::with_template(
                    "{prefix} [{bar:20}] {pos}/{len} rounds · {rate} · ETA {eta} · {msg}",
                ) {
                    let rate = |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.0}/s", state.per_sec());
                    };
                    bar.set_style(style.with_key("rate", rate).progress_chars("=> "));
                }
                bar.set_prefix(what);
                bar.set_message("0 failed");
                Some(bar)
            }
            Mode::Plain => {
                eprintln!("{what}: {total} rounds");
                None
            }
            Mode::Off => None,
        };
        Progress {
            mode,
            what,
            total,
            bar,
            failures: AtomicU64::new(0),
        }
    }

    /// A progress that shows nothing.
    pub fn off() -> Progress {
        Progress::with_mode("", 0, Mode::Off)
    }

    /// One round is done; `failed` counts it as a failure.
    pub fn round_done(&self, failed: bool) {
        let failures = if failed {
            self.failures.fetch_add(1, Ordering::Relaxed) + 1
        } else {
            self.failures.load(Ordering::Relaxed)
        };
        if let Some(bar) = &self.bar {
            if failed {
                bar.set_message(format!("{failures} failed"));
            }
            bar.inc(1);
        }
    }

    /// Ends the progress: the bar stays at its final state; the plain mode says
    /// how it went.
    pub fn finish(&self) {
        let failures = self.failures.load(Ordering::Relaxed);
        match (&self.bar, self.mode) {
            (Some(bar), _) => bar.finish(),
            (None, Mode::Plain) => {
                eprintln!(
                    "{}: {} rounds done, {failures} failed",
                    self.what, self.total
                );
            }
            _ => {}
        }
    }
}
