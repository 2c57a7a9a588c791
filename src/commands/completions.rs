//! `review-replay completions <shell>` and `review-replay man`: shell completion
//! scripts (clap_complete) and the man page (clap_mangen), both generated from
//! the clap definitions in [`crate::cli`], so they never fall behind the flags.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Error;

/// Runs `review-replay completions <shell>`.
pub fn completions(args: CompletionsArgs) -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "review-replay", &mut out);
    print_bytes(&out)
}

/// Runs `review-replay man`.
pub fn man() -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::Other(format!("cannot render the man page: {e}")))?;
    print_bytes(&out)
}

fn print_bytes(bytes: &[u8]) -> Result<u8, Error> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = stdout.write_all(bytes).and_then(|()| stdout.flush());
    Ok(crate::EXIT_OK)
}
