//! One module per subcommand. Each takes its parsed arguments, validates them, does
//! the work and returns the exit code; errors that stop the whole command are
//! returned and printed by [`crate::run`].

pub mod check;
pub mod completions;
pub mod eval;
pub mod explain;
pub mod import;
pub mod parse;
pub mod record;
pub mod replay;
pub mod reproduce;
pub mod rules;

use crate::cli::Command;
use crate::error::Error;

/// Runs one subcommand and returns its exit code.
pub fn run(command: Command) -> Result<u8, Error> {
    match command {
        Command::Check(args) => check::run(args, false),
        Command::Bless(args) => check::run(args, true),
        Command::Replay(args) => replay::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Import(args) => import::run(args),
        Command::Parse(args) => parse::run(args),
        Command::Rules => rules::run(),
        Command::Reproduce(args) => reproduce::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Record(args) => record::run(args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
    }
}
