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
    /// List the rules, or print one rule's documentation.
    Rules(RulesArgs),
    /// Print one of the JSON Schemas imgcost uses.
    Schema(SchemaArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check. Directories are searched for imgcost.yaml, imgcost.yml,
    /// *.imgcost.yaml and *.imgcost.yml, honouring .gitignore; files are always checked.
    /// Default: the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human, value_name = "FORMAT")]
    pub format: Format,
    /// Exit 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Finding no manifest is not an error (exit 0 instead of 2).
    #[arg(long)]
    pub allow_empty: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings with source excerpts, and a summary.
    Human,
    /// The JSON report (SPEC §5).
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule code such as IC201. Without one, lists every rule.
    #[arg(value_name = "CODE")]
    pub code: Option<String>,
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
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.parse()
}
