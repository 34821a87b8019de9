//! The terminal text of `imgcost diff`: findings, a table of what changed, and a summary.

use std::fmt::Write as _;
use std::io;

use rust_decimal::Decimal;

use super::human::{HumanStyle, table as text_table, write_diagnostics};
use crate::foundation::decimal::{format_fixed, format_total, format_usd};
use crate::foundation::{ReadAgain, printable};
use crate::report::Report;
use crate::run::diff::{Diff, Status};

fn signed(value: Decimal) -> String {
    if value > Decimal::ZERO {
        format!("+{}", format_usd(value, 2))
    } else {
        format_usd(value, 2)
    }
}

fn signed_percent(value: Option<Decimal>) -> String {
    value.map_or_else(
        || "-".to_owned(),
        |p| {
            if p > Decimal::ZERO {
                format!("+{} %", format_fixed(p, 1))
            } else {
                format!("{} %", format_fixed(p, 1))
            }
        },
    )
}

/// Writes a diff for a terminal: findings (files the run kept only the lines of read through
/// `read_again`, as [`super::human::write`] does), then [`table`].
///
/// # Errors
/// As [`super::human::write`].
pub fn write(
    report: &Report,
    diff: &Diff,
    style: HumanStyle,
    deny_warnings: bool,
    read_again: Option<&ReadAgain>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    write_diagnostics(&report.diagnostics, style, read_again, out)?;
    if !style.quiet {
        out.write_all(table(report, diff, deny_warnings).as_bytes())?;
    }
    Ok(())
}

/// The table of what changed, the totals and the verdict.
#[must_use]
pub fn table(report: &Report, diff: &Diff, deny_warnings: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Monthly cost against {} (rate card {}, as of {})\n",
        diff.base, report.ratecard.id, report.as_of
    );
    let rows: Vec<Vec<String>> = diff
        .workflows
        .iter()
        .map(|c| {
            let what = match (c.status, &c.renamed_from) {
                (Status::Renamed, Some(from)) if c.changed.is_empty() => {
                    format!("renamed from {from}")
                }
                (Status::Renamed, Some(from)) => {
                    format!("renamed from {from}, changed: {}", c.changed.join(", "))
                }
                (Status::Changed, _) => format!("changed: {}", c.changed.join(", ")),
                (other, _) => other.as_str().to_owned(),
            };
            let money = |v: Option<Decimal>| v.map_or_else(|| "-".to_owned(), |v| format_usd(v, 2));
            vec![
                c.id.to_string(),
                what,
                money(c.before),
                money(c.after),
                signed(c.delta()),
                if c.status == Status::Added {
                    "new".to_owned()
                } else {
                    signed_percent(c.percent())
                },
            ]
        })
        .collect();
    if rows.is_empty() {
        out.push_str(" no workflows on either side\n");
    } else {
        out.push_str(&text_table(
            &["workflow", "change", "before", "after", "delta", "delta %"],
            &rows,
            &[2, 3, 4, 5],
        ));
    }
    let _ = writeln!(
        out,
        "\n Total: {} → {} ({}, {})",
        format_total(diff.before),
        format_total(diff.after),
        diff.delta().map_or_else(|| "-".to_owned(), signed),
        signed_percent(diff.percent())
    );
    if diff.base_errors > 0 {
        let _ = writeln!(
            out,
            " The base has {} error(s): its figures may be incomplete.",
            diff.base_errors
        );
    }
    let counts = report.counts();
    let verdict = if report.passed(deny_warnings) {
        "passed"
    } else {
        "failed"
    };
    let _ = writeln!(
        out,
        "\n{verdict}: {} error(s), {} warning(s), {} note(s)",
        counts.errors, counts.warnings, counts.notes
    );
    let _ = writeln!(
        out,
        "{}",
        super::policy_provenance(&report.policies, |text| printable(text).into_owned())
    );
    out
}
