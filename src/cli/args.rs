//! Command-line arguments (clap derive). Only parsing and help text live here; meaning is
//! given in `commands`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use imgcost::Date;

/// Validate image-API cost manifests, project their monthly cost, and gate CI on budgets and
/// policies.
#[derive(Debug, Parser)]
#[command(name = "imgcost", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Exit codes: 0 no errors; 1 findings of error severity (or warnings with --deny-warnings); 2 the run itself failed."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Evaluate as of this date (YYYY-MM-DD): picks the rate card, shutdowns and exemption
    /// expiry. Default: today in UTC.
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// Rate card: a built-in card id (`imgcost ratecard list`) or a YAML file with your own prices.
    /// Default: the newest built-in card effective on the as-of date.
    #[arg(long, global = true, value_name = "ID|FILE")]
    pub ratecard: Option<String>,
    /// Policy file (repeatable; every policy applies and the strictest value wins).
    /// Default: .imgcost/policy.yaml at the top of the git repository (outside git, of the
    /// working directory) if present, else the built-in default policy.
    #[arg(long = "policy", global = true, value_name = "FILE")]
    pub policies: Vec<PathBuf>,
    /// Read the policy files as they are at this git ref (e.g. the pull request's base), so a
    /// change cannot loosen its own gate.
    #[arg(long, global = true, value_name = "REF")]
    pub policy_ref: Option<String>,
    /// When to use colour in human output. `auto` uses colour on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print findings only: no tables or summary line.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Discover manifests, validate them, project their cost and apply policies.
    Check(CheckArgs),
    /// Compare the monthly cost of the working tree with a git ref or a saved report.
    Diff(DiffArgs),
    /// Print the arithmetic of one workflow's projection, step by step, with the rate card's sources.
    Explain(ExplainArgs),
    /// Price one request: its tokens by kind and its cost.
    Quote(QuoteArgs),
    /// List the rules, or print one rule's documentation.
    Rules(RulesArgs),
    /// Inspect rate cards: list them, show one model, or validate a card file.
    Ratecard(RatecardArgs),
    /// Hold the projections against saved usage and costs (offline), and correct the volumes.
    Reconcile(super::reconcile::ReconcileArgs),
    /// Test the policy: run fixture manifests that say which rules they must and must not raise.
    Policy(PolicyArgs),
    /// Print one of the JSON Schemas imgcost uses.
    Schema(SchemaArgs),
    /// Write a starter manifest, a GitHub workflow and a pre-commit config (never overwrites).
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check. Directories are searched for imgcost.yaml, imgcost.yml,
    /// *.imgcost.yaml and *.imgcost.yml: inside git, the ones git tracks and the untracked ones
    /// .gitignore does not ignore; elsewhere, honouring ignore files. Files are always checked.
    /// Default: the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Finding no manifest is not an error (exit 0 instead of 2).
    #[arg(long)]
    pub allow_empty: bool,
    /// Fail only on findings the change introduces: those the base has too (same rule,
    /// workflow and message, whatever the line) become notes "already on BASE". Rules that fail
    /// closed keep their severity. Needs --base or --baseline.
    #[arg(long, requires = "ratchet_base")]
    pub new_only: bool,
    /// With --new-only: the git revision whose findings are already there (e.g. origin/main).
    #[arg(
        long,
        value_name = "REF",
        group = "ratchet_base",
        requires = "new_only"
    )]
    pub base: Option<String>,
    /// With --new-only: a JSON report saved by `check` on the base.
    #[arg(
        long,
        value_name = "REPORT.json",
        group = "ratchet_base",
        requires = "new_only"
    )]
    pub baseline: Option<PathBuf>,
}

/// How a report is written.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format on stdout. Default: `github` when GITHUB_ACTIONS=true, else `human`.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Also write a report in FORMAT to FILE, from the same run (repeatable), e.g.
    /// `--output sarif=imgcost.sarif --output json=imgcost.json`. Files are written whole or not
    /// at all.
    #[arg(long = "output", value_name = "FORMAT=FILE", value_parser = parse_output)]
    pub outputs: Vec<(Format, PathBuf)>,
    /// Exit 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// The commit being checked (a pull request's head), as a full SHA: `diff`'s Markdown
    /// comment links each finding to its file and line there. Default: $GITHUB_SHA when
    /// GITHUB_ACTIONS=true. The repository is $GITHUB_SERVER_URL/$GITHUB_REPOSITORY, else the
    /// `origin` remote.
    #[arg(long, value_name = "SHA", value_parser = parse_commit)]
    pub head_commit: Option<String>,
}

fn parse_commit(text: &str) -> Result<String, String> {
    if matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(format!(
            "`{text}` is not a full commit SHA (40 or 64 hex digits)"
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings with source excerpts, and a summary.
    Human,
    /// The JSON report (docs/report-formats.md).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations (workflow commands) and a summary.
    Github,
    /// Markdown: the job summary of `check`, the pull-request comment of `diff`.
    Markdown,
    /// JUnit XML: a test case per workflow.
    Junit,
}

fn parse_output(text: &str) -> Result<(Format, PathBuf), String> {
    let (format, file) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not FORMAT=FILE (e.g. sarif=imgcost.sarif)"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!("unknown format `{format}` (human, json, sarif, github, markdown, junit)")
    })?;
    if file.is_empty() {
        return Err(format!("`{text}` names no file"));
    }
    Ok((format, PathBuf::from(file)))
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("against").required(true).args(["base", "baseline"])))]
pub struct DiffArgs {
    /// Git revision to compare against (e.g. origin/main, the pull request's base commit).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// A JSON report saved by `imgcost check --format json` on the base, for pipelines without
    /// git history.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
    /// Files or directories, as for `check`. Default: the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// As `check --new-only`: the head's findings that the base has too become notes.
    #[arg(long)]
    pub new_only: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The workflow id, `<project>/<name>` (as `check` shows it).
    #[arg(value_name = "WORKFLOW_ID")]
    pub workflow: String,
    /// Where to look for the manifest. Default: the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct QuoteArgs {
    /// Model id or alias.
    #[arg(long, value_name = "MODEL")]
    pub model: String,
    /// Size `WIDTHxHEIGHT` or `auto`.
    #[arg(long, value_name = "SIZE")]
    pub size: String,
    /// low, medium, high, xhigh, max or auto. Default: none is sent, which the API treats as
    /// `auto` (priced as the rate card says the model bills it).
    #[arg(long, value_name = "QUALITY")]
    pub quality: Option<String>,
    /// Images per request.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10), value_name = "N")]
    pub n: u32,
    /// Price at Batch API rates.
    #[arg(long)]
    pub batch: bool,
    /// API route: images.generate, images.edit or responses (responses needs a workflow's mainline; use check).
    #[arg(long, default_value = "images.generate", value_name = "ENDPOINT")]
    pub endpoint: String,
    /// Text input tokens of the request, as the API counts them.
    #[arg(long, default_value_t = 0, value_name = "TOKENS")]
    pub prompt_tokens: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = QuoteFormat::Human, value_name = "FORMAT")]
    pub format: QuoteFormat,
    #[command(flatten)]
    pub image: QuoteImageArgs,
}

/// The request fields of the image formats and of gpt-image-2.6.
#[derive(Debug, Args)]
pub struct QuoteImageArgs {
    /// The image's format: png, jpeg, webp, gif or svg (gif is priced as the sheet of its
    /// frames, svg adds the model that writes it).
    #[arg(long, value_name = "FORMAT")]
    pub output_format: Option<String>,
    /// GIF frames, 2 to 16 (with --output-format gif; default: the rate card's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=16), value_name = "N")]
    pub frames: Option<u32>,
    /// low, medium or high: how much gpt-image-2.6 plans the image (no extra charge).
    #[arg(long, value_name = "COMPLEXITY")]
    pub complexity: Option<String>,
    /// The text model that writes the SVG (with --output-format svg).
    #[arg(long, value_name = "MODEL")]
    pub svg_model: Option<String>,
    /// Input tokens of the SVG author (its `svg_usage`).
    #[arg(
        long,
        default_value_t = 0,
        value_name = "TOKENS",
        requires = "svg_model"
    )]
    pub svg_input_tokens: u64,
    /// Output tokens of the SVG author, reasoning included.
    #[arg(
        long,
        default_value_t = 0,
        value_name = "TOKENS",
        requires = "svg_model"
    )]
    pub svg_output_tokens: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QuoteFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct RatecardArgs {
    #[command(subcommand)]
    pub action: Option<RatecardAction>,
}

#[derive(Debug, Subcommand)]
pub enum RatecardAction {
    /// List the built-in cards and the models of the card in use (the default action).
    List,
    /// Everything the card says about one model: rates, rules, sources and confidence.
    Show {
        /// Model id or alias.
        #[arg(value_name = "MODEL")]
        model: String,
    },
    /// Validate a rate-card file against its schema and consistency rules.
    Validate {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Write the card's token rates in a price library's shape (JSON on stdout), so that runtime
    /// metering and CI use the same numbers.
    Export {
        #[arg(long, value_enum, value_name = "LIBRARY")]
        format: LibraryFormat,
    },
    /// Compare a saved LiteLLM or genai-prices file with the card: every disagreement (exit 1
    /// if any, 0 if none, 2 for an unreadable file). Offline: nothing is fetched.
    Compare {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// The models the manifests call that a saved `GET /v1/models` response gives a
    /// `shutdown_date`, beside the card's (exit 1 when the card does not know one, or dates it
    /// otherwise, or the model is already shut down).
    Shutdowns {
        /// A saved response of `GET /v1/models`.
        #[arg(long, value_name = "FILE")]
        models: PathBuf,
        /// Files or folders to check. Default: the current directory.
        #[arg(value_name = "PATH", default_value = ".")]
        paths: Vec<PathBuf>,
    },
    /// What changed between two cards (prices, rules, shutdowns), each a built-in id or a file.
    Diff {
        #[arg(value_name = "OLD")]
        old: String,
        #[arg(value_name = "NEW")]
        new: String,
    },
}

/// A price library's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LibraryFormat {
    /// LiteLLM's `model_prices_and_context_window.json` (USD per token).
    Litellm,
    /// pydantic genai-prices v2 `data.json` (USD per 1M tokens).
    GenaiPrices,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule code such as IC201. Without one, lists every rule.
    #[arg(value_name = "CODE")]
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write into. Default: the current directory.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub action: PolicyAction,
}

#[derive(Debug, Subcommand)]
pub enum PolicyAction {
    /// Check each fixture (`<name>.yaml` beside `<name>.expect.yaml`) with the policies in use
    /// and hold the findings to its expectation. Exit 0 when every expectation is met, 1 when
    /// one is not, 2 when the run fails (no fixture, an invalid expectation).
    Test(PolicyTestArgs),
}

#[derive(Debug, Args)]
pub struct PolicyTestArgs {
    /// The fixture folder. Default: .imgcost/tests at the repository's top (the current
    /// directory outside git).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = PolicyTestFormat::Human, value_name = "FORMAT")]
    pub format: PolicyTestFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyTestFormat {
    /// A line per fixture, and one per unmet expectation at its file and line.
    Human,
    /// Every fixture and expectation with its outcome.
    Json,
    /// JUnit XML: a test suite per fixture, a test case per expectation.
    Junit,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema to print.
    #[arg(value_enum, value_name = "NAME")]
    pub name: SchemaName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaName {
    /// The manifest format (imgcost.yaml).
    Manifest,
    /// The policy format (--policy, .imgcost/policy.yaml).
    Policy,
    /// The rate-card format (--ratecard FILE).
    Ratecard,
    /// The JSON report (--format json).
    Report,
    /// The JSON report of `imgcost reconcile --format json`.
    Reconcile,
    /// The expectation file of a policy test fixture (`<name>.expect.yaml`).
    PolicyTest,
}

pub(super) fn parse_date(text: &str) -> Result<Date, String> {
    text.parse()
}
