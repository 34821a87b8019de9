//! `imgcost reconcile`: its arguments and what it does with them (kept apart from the other
//! commands, whose files change often).

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Args;
use imgcost::input::usage::{Paths, Window};
use imgcost::render::{self, human::HumanStyle};
use imgcost::run::reconcile::{self, ReconcileOptions, Reconciliation};
use imgcost::{Date, Keep};

use super::args::{Cli, Format, parse_date};
use super::commands::{fail, options, style};
use super::{FINDINGS, use_color};

#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// Where the manifests are, as for `check`. Default: the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Saved pages of GET /v1/organization/usage/images (JSON), or folders of them (every .json
    /// and .csv file in the folder). Required: they set the period.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    pub usage: Vec<PathBuf>,
    /// Saved pages of GET /v1/organization/costs, or the dashboard's Cost export (CSV), or
    /// folders of them: billed dollars, preferred over the rate card's price of the counts.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub costs: Vec<PathBuf>,
    /// Saved pages of GET /v1/organization/usage/completions, or the dashboard's Activity export
    /// (CSV), or folders of them: image tokens.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub activity: Vec<PathBuf>,
    /// First day of the period (UTC). Default: the start of the usage files.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, requires = "to")]
    pub from: Option<Date>,
    /// Last day of the period, included (UTC). Default: the end of the usage files.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, requires = "from")]
    pub to: Option<Date>,
    /// Print, as a unified diff, the volume values that would make each projection match the
    /// period, instead of the report.
    #[arg(long)]
    pub suggest: bool,
    /// Apply that diff to the manifests in place (only those values change), and print it.
    #[arg(long, conflicts_with = "suggest")]
    pub write: bool,
    /// Output format on stdout: human, json, markdown, github or sarif. Default: `github` when
    /// GITHUB_ACTIONS=true, else `human`.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Exit 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Unix seconds of a day's midnight, UTC.
fn midnight(date: Date) -> i64 {
    let epoch = Date::from_ymd(1970, 1, 1).unwrap_or(date);
    epoch.days_until(date) * 86_400
}

pub fn run(cli: &Cli, args: &ReconcileArgs) -> anyhow::Result<u8> {
    if args.format == Some(Format::Junit) {
        bail!("reconcile writes human, json, markdown, github or sarif, not junit");
    }
    let window = match (args.from, args.to) {
        (Some(from), Some(to)) if to < from => bail!("--to {to} is before --from {from}"),
        (Some(from), Some(to)) => Some(Window {
            start: midnight(from),
            end: midnight(to.add_days(1)),
        }),
        _ => None,
    };
    // Its suggested edits are made from the files' text.
    let check = options(cli, &args.paths, false, Keep::ALL)?;
    let workspace = check.workspace.clone();
    let reconciled = reconcile::reconcile(&ReconcileOptions {
        check,
        usage: Paths {
            usage: &args.usage,
            activity: &args.activity,
            costs: &args.costs,
        },
        window,
    })
    .map_err(|error| fail(cli, error))?;
    let code = if reconciled.report.passed(args.deny_warnings) {
        0
    } else {
        FINDINGS
    };
    if args.suggest || args.write {
        let diff = reconcile::unified_diff(&reconciled.suggestions);
        super::print(&diff)?;
        let mut stderr = std::io::stderr().lock();
        for unchanged in &reconciled.unchanged {
            let _ = writeln!(
                stderr,
                "imgcost: note: {} {} is not changed: {}",
                unchanged.workflow,
                unchanged.field,
                imgcost::printable(&unchanged.reason)
            );
        }
        if args.write {
            let written = reconcile::write(&workspace, &reconciled.suggestions)
                .map_err(|error| fail(cli, error))?;
            let _ = writeln!(
                stderr,
                "imgcost: wrote {} value(s) in {} file(s)",
                reconciled.suggestions.len(),
                written.len()
            );
        }
        return Ok(code);
    }
    emit(cli, args, &reconciled)?;
    Ok(code)
}

fn emit(cli: &Cli, args: &ReconcileArgs, reconciled: &Reconciliation) -> anyhow::Result<()> {
    let format = args.format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Human
        }
    });
    let stdout = std::io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    let mut guarded = match format {
        Format::Json | Format::Sarif => render::InertLogCommands::json(&mut out),
        Format::Markdown | Format::Junit => render::InertLogCommands::markup(&mut out),
        Format::Human | Format::Github => render::InertLogCommands::text(&mut out),
    };
    let human = HumanStyle {
        color: format == Format::Human && use_color(cli.global.color),
        ..style(cli)
    };
    super::stdout_open()
        .and_then(|()| match format {
            Format::Human => {
                render::reconcile::human(reconciled, human, args.deny_warnings, &mut guarded)
            }
            Format::Json => render::reconcile::json(reconciled, args.deny_warnings, &mut guarded),
            Format::Markdown => guarded
                .write_all(render::reconcile::markdown(reconciled, args.deny_warnings).as_bytes()),
            Format::Github => guarded
                .write_all(render::reconcile::github(reconciled, args.deny_warnings).as_bytes()),
            Format::Sarif | Format::Junit => render::sarif::write(&reconciled.report, &mut guarded),
        })
        .and_then(|()| guarded.flush())
        .and_then(|()| out.flush())
        .context("cannot write the report to standard output")
}
