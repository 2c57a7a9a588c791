//! Reliability: the invariants of ARCHITECTURE.md as tests that can fail.
//! Parsers never panic and report valid lines (`properties`), writes are atomic
//! under SIGKILL (`crash`), every input is bounded (`limits`), inputs never
//! write outside `--out` or `golden/` (`paths`), no command opens a network
//! socket (`network`), and `check` reads each file with one `read` (`reads`).

mod crash;
mod limits;
mod network;
mod paths;
mod properties;
mod reads;

/// Whether `strace` runs here (`.ci/run` installs it): the tests that trace
/// system calls say so and are skipped without it.
fn strace_available() -> bool {
    std::process::Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}
