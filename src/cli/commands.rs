//! What each subcommand does with its parsed arguments: call the library, pick the renderer,
//! choose the exit code.

use anyhow::Context as _;
use imgcost::render::{self, human::HumanStyle};
use imgcost::{CheckOptions, Date, Error, Schema, rules};

use super::args::{CheckArgs, Cli, Command, Format, RulesArgs, SchemaArgs, SchemaName};
use super::{FINDINGS, print, use_color};

/// Runs the command; the `u8` is the exit code when the run itself succeeded.
pub fn run(cli: &Cli) -> anyhow::Result<u8> {
    match &cli.command {
        Command::Check(args) => check(cli, args),
        Command::Rules(args) => rules(args),
        Command::Schema(args) => schema(args),
    }
}

fn style(cli: &Cli) -> HumanStyle {
    HumanStyle {
        color: use_color(cli.global.color),
        quiet: cli.global.quiet,
    }
}

fn check(cli: &Cli, args: &CheckArgs) -> anyhow::Result<u8> {
    let options = CheckOptions {
        paths: args.paths.clone(),
        cwd: std::env::current_dir().context("cannot read the working directory")?,
        as_of: cli.global.as_of.unwrap_or_else(Date::today_utc),
        allow_empty: args.allow_empty,
    };
    let report = match imgcost::check(&options) {
        Ok(report) => report,
        Err(Error::Invalid {
            what,
            path,
            diagnostics,
        }) => {
            print(&render::human::render_diagnostics(&diagnostics, style(cli)))?;
            anyhow::bail!("invalid {what} {path}");
        }
        Err(error) => return Err(error.into()),
    };
    let text = match args.format {
        Format::Human => render::human::render(&report, style(cli), args.deny_warnings),
        Format::Json => render::json::render(&report, args.deny_warnings),
    };
    print(&text)?;
    Ok(if report.passed(args.deny_warnings) {
        0
    } else {
        FINDINGS
    })
}

fn rules(args: &RulesArgs) -> anyhow::Result<u8> {
    let Some(code) = &args.code else {
        let mut text = String::new();
        for rule in rules::ALL {
            text.push_str(&format!(
                "{}  {:<8} {:<30} {}\n",
                rule.code,
                rule.default_severity.as_str(),
                rule.name,
                rule.summary
            ));
        }
        print(&text)?;
        return Ok(0);
    };
    let Some(rule) = rules::find(code) else {
        anyhow::bail!("unknown rule code `{code}`; `imgcost rules` lists them");
    };
    print(&format!(
        "# {} {}\n\nDefault severity: {}. {}\n\n{}",
        rule.code, rule.name, rule.default_severity, rule.summary, rule.doc
    ))?;
    Ok(0)
}

fn schema(args: &SchemaArgs) -> anyhow::Result<u8> {
    let schema = match args.name {
        SchemaName::Manifest => Schema::Manifest,
        SchemaName::Policy => Schema::Policy,
        SchemaName::Ratecard => Schema::RateCard,
        SchemaName::Report => Schema::Report,
    };
    print(schema.text())?;
    Ok(0)
}
