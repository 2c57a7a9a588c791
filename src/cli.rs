//! Command-line interface: clap derive types only.
//!
//! Each subcommand's help comes from its `///` docs. Parsed arguments are handed to
//! the module that owns the command (`import`, `parse`, `replay`, `check`, ...),
//! which validates them before doing any work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Replay recorded AI code-review rounds through the consolidation engine,
/// offline and deterministically, and compare the reports with golden files.
#[derive(Debug, Parser)]
#[command(name = "review-replay", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Replay cassettes and compare each report with its golden files.
    Check(CheckArgs),
    /// Write new and changed golden files (same as `check --bless`).
    Bless(CheckArgs),
    /// Print the consolidated report of one cassette.
    Replay(ReplayArgs),
    /// Print the trail of one consolidated finding: sources, similarity, rules.
    Explain(ExplainArgs),
    /// Import deep-review reports, or raw agent outputs, as cassettes.
    Import(ImportArgs),
    /// Print what the parser understands of one agent review.
    Parse(ParseArgs),
    /// Print the built-in default rules file, to copy and change.
    Rules,
    /// Replay rounds that have a reference and measure how close the engine comes.
    Reproduce(ReproduceArgs),
    /// Compare two variants (cassette sets or rules files) with confidence intervals.
    Eval(EvalArgs),
    /// Run the reviewer agents of one round live and record their responses.
    Record(RecordArgs),
    /// Print a shell completion script (see the README for where to put it).
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per subcommand with --dir.
    Man(ManArgs),
}

/// Arguments of `man`.
#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// Write `review-replay.1` and `review-replay-<command>.1` into DIR instead.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Arguments of `completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Output format for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown, in the shape of a deep-review report.
    Md,
    /// JSON, `review-replay/report/v1`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning (docs/ci.md).
    Sarif,
    /// GitHub Actions annotations, one `::error`/`::warning`/`::notice` line a finding.
    Github,
    /// Reviewdog Diagnostic Format, one JSON object a line (`reviewdog -f=rdjsonl`).
    Rdjsonl,
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Text for people.
    Human,
    /// JSON for programs.
    Json,
    /// GitHub Actions annotations, then the human summary.
    Github,
}

/// Output format for summaries and parsed reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Text for people.
    Human,
    /// JSON for programs.
    Json,
}

/// Arguments that choose the consolidation rules.
#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    /// Rules file (TOML) to use instead of the built-in defaults.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Ignore recorded adjudications: show what the rules alone decide.
    #[arg(long)]
    pub rules_only: bool,
}

/// Arguments of `check` and `bless`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Cassette files or directories [default: ./cassettes].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Directory holding the golden reports.
    #[arg(long, value_name = "DIR", default_value = "golden")]
    pub golden: PathBuf,
    /// Replay in parallel on N threads [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Write new and changed golden files.
    #[arg(long)]
    pub bless: bool,
    /// With check: write `<name>.new` files for review; with bless: accept them.
    #[arg(long)]
    pub pending: bool,
    /// Remove golden files whose cassette is gone.
    #[arg(long)]
    pub prune: bool,
    /// Only rounds whose id contains SUBSTRING.
    #[arg(long, value_name = "SUBSTRING")]
    pub filter: Option<String>,
    /// Only part K of N (1-based), splitting rounds deterministically.
    #[arg(long, value_name = "K/N")]
    pub partition: Option<String>,
    /// Write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Also write a self-contained HTML report to FILE (docs/html.md).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write the findings of every replayed round as SARIF 2.1.0 to FILE.
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Summary format [default: github when GITHUB_ACTIONS=true, else human].
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,
    /// Follow symlinks that lead outside the given paths.
    #[arg(long)]
    pub follow_links: bool,
    /// Which rules to use.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Fail rounds whose recorded prompt hash differs from this prompt file's.
    #[arg(long, value_name = "FILE")]
    pub prompt: Option<PathBuf>,
    /// Fail rounds with stale or failed interactions instead of warning.
    #[arg(long)]
    pub strict: bool,
}

/// Arguments of `replay`.
#[derive(Debug, Clone, Args)]
pub struct ReplayArgs {
    /// The cassette to replay.
    pub cassette: PathBuf,
    /// Report format [default: github when GITHUB_ACTIONS=true, else md].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Which rules to use.
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// Arguments of `explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// The cassette to replay.
    pub cassette: PathBuf,
    /// The consolidated finding id (`I2`), or `agent:ID` / `agent#ordinal` of a raw finding.
    pub id: String,
    /// Which rules to use.
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// Arguments of `import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Deep-review report files (markdown).
    #[arg(value_name = "REPORT")]
    pub reports: Vec<PathBuf>,
    /// Directories of raw agent outputs (`round.json` and `<agent>.md`).
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub raw: Vec<PathBuf>,
    /// Directory to write cassettes into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace cassettes that already exist with different contents.
    #[arg(long)]
    pub force: bool,
    /// Fail (and write nothing) for an input with an incomplete agent review.
    #[arg(long)]
    pub strict: bool,
    /// Write responses as they are, secrets included (redaction is on by default).
    #[arg(long)]
    pub no_redact: bool,
    /// Also redact the `[redact] patterns` of this agents file.
    #[arg(long, value_name = "FILE")]
    pub agents: Option<PathBuf>,
    /// Round metadata for raw directories without `round.json`.
    #[command(flatten)]
    pub round: RoundFlags,
}

/// Round metadata given on the command line.
#[derive(Debug, Clone, Default, Args)]
pub struct RoundFlags {
    /// Round id; names the cassette file.
    #[arg(long, value_name = "ID")]
    pub round_id: Option<String>,
    /// `owner/name` of the reviewed repository.
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// Pull request number.
    #[arg(long, value_name = "N")]
    pub pr: Option<u32>,
    /// Round number within the pull request, 1-based.
    #[arg(long = "round", value_name = "N")]
    pub round: Option<u32>,
    /// Pull request title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
}

/// Arguments of `record`.
#[derive(Debug, Clone, Args)]
pub struct RecordArgs {
    /// The agents file (`review-replay/agents/v1`, see docs/record.md).
    #[arg(long, value_name = "FILE")]
    pub agents: PathBuf,
    /// The prompt template; `{input}`, `{round_id}`, `{agent}`, `{pass}` are replaced.
    #[arg(long, value_name = "FILE")]
    pub prompt: PathBuf,
    /// The file whose text replaces `{input}` (a diff, say).
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Passes per agent.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub passes: u32,
    /// Directory to write `<round-id>.json` into (created if missing).
    #[arg(long, value_name = "DIR", default_value = "cassettes")]
    pub out: PathBuf,
    /// Agents run at once [default: all].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Record every agent again, not only the missing and failed ones.
    #[arg(long)]
    pub force: bool,
    /// Store the prompt template's text (redacted) so a strict replay can name
    /// the first line that changed.
    #[arg(long)]
    pub record_prompts: bool,
    /// Write responses as they are, secrets included (redaction is on by default).
    #[arg(long)]
    pub no_redact: bool,
    /// Round metadata; `--round-id` is required.
    #[command(flatten)]
    pub round: RoundFlags,
}

/// Arguments of `parse`.
#[derive(Debug, Clone, Args)]
pub struct ParseArgs {
    /// An agent review (markdown).
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
}

/// Arguments of `reproduce`.
#[derive(Debug, Clone, Args)]
pub struct ReproduceArgs {
    /// Cassettes (`.json`), deep-review reports (`.md`) or directories of them.
    #[arg(value_name = "CASSETTE_OR_REPORT", required = true)]
    pub paths: Vec<PathBuf>,
    /// Rules file (TOML) to use instead of the built-in defaults.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Replay in parallel on N threads [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Also print the severity calibration profile per agent.
    #[arg(long)]
    pub calibration: bool,
    /// Print only the calibration profile, as `[calibration.<agent>]` TOML tables
    /// (`critical_keep_rate = 0.333`, ...) to paste into a rules file.
    #[arg(long, conflicts_with_all = ["format", "calibration"])]
    pub calibration_rules: bool,
    /// Also write a self-contained HTML report to FILE (docs/html.md).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// Output format of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// Markdown tables.
    Md,
    /// JSON, `review-replay/eval/v1`.
    Json,
}

/// Arguments of `eval`.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// Cassettes to replay under both `--rules-baseline` and `--rules-candidate`.
    #[arg(value_name = "CASSETTES")]
    pub paths: Vec<PathBuf>,
    /// Baseline cassettes or reports (files or directories).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub baseline: Vec<PathBuf>,
    /// Candidate cassettes or reports (files or directories).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub candidate: Vec<PathBuf>,
    /// Rules of the baseline, when comparing rules [default: built-in].
    #[arg(long, value_name = "FILE")]
    pub rules_baseline: Option<PathBuf>,
    /// Rules of the candidate, when comparing rules [default: built-in].
    #[arg(long, value_name = "FILE")]
    pub rules_candidate: Option<PathBuf>,
    /// Rules for both sets, when comparing cassette sets [default: built-in].
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Ignore recorded adjudications.
    #[arg(long)]
    pub rules_only: bool,
    /// Fail (exit 1) when EXPR holds, e.g. `false_positive_rate[gemini] > +0.05`;
    /// repeatable; grammar and decision rule in docs/eval.md.
    #[arg(long = "fail-if", value_name = "EXPR")]
    pub fail_if: Vec<String>,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Bootstrap resamples.
    #[arg(long, default_value_t = 2000)]
    pub resamples: u32,
    /// Confidence level of the intervals, between 0 and 1.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// Replay in parallel on N threads [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: EvalFormat,
    /// Also write a self-contained HTML report to FILE (docs/html.md).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Fail (exit 1) when a cassette was recorded with another prompt than this
    /// file (CASSETTES with rules files, or both sets).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline_prompt", "candidate_prompt"])]
    pub prompt: Option<PathBuf>,
    /// The prompt the baseline cassettes must have been recorded with.
    #[arg(long, value_name = "FILE")]
    pub baseline_prompt: Option<PathBuf>,
    /// The prompt the candidate cassettes must have been recorded with.
    #[arg(long, value_name = "FILE")]
    pub candidate_prompt: Option<PathBuf>,
    /// Fail (exit 1) on stale or failed interactions instead of warning.
    #[arg(long)]
    pub strict: bool,
}
