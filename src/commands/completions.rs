//! `review-replay completions <shell>` and `review-replay man`: shell completion
//! scripts (clap_complete) and the man page (clap_mangen), both generated from
//! the clap definitions in [`crate::cli`], so they never fall behind the flags.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::error::Error;

/// Runs `review-replay completions <shell>`.
pub fn completions(args: CompletionsArgs) -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "review-replay", &mut out);
    print_bytes(&out)
}

/// Runs `review-replay man`.
pub fn man(args: ManArgs) -> Result<u8, Error> {
    let Some(dir) = args.dir else {
        return print_bytes(&render_page(Cli::command())?);
    };
    // Built so that subcommands carry their display names (`review-replay-check`).
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let mut pages = vec![cli.clone()];
    pages.extend(cli.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
        path: dir.clone(),
        source,
    })?;
    let mut listing = String::new();
    for page in pages {
        let path = dir.join(clap_mangen::Man::new(page.clone()).get_filename());
        crate::fsutil::write_atomic(&path, &render_page(page)?)?;
        listing.push_str(&format!("wrote {}\n", path.display()));
    }
    print_bytes(listing.as_bytes())
}

fn render_page(command: clap::Command) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut out)
        .map_err(|e| Error::Other(format!("cannot render the man page: {e}")))?;
    Ok(out)
}

fn print_bytes(bytes: &[u8]) -> Result<u8, Error> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = stdout.write_all(bytes).and_then(|()| stdout.flush());
    Ok(crate::EXIT_OK)
}
