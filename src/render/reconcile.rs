//! The report of `imgcost reconcile`: projected against actual per workflow, the usage no
//! workflow declares, and the findings, as a human table, JSON (schemas/reconcile.schema.json),
//! Markdown (a job summary or an issue body, with a Mermaid `xychart-beta` of projected against
//! actual dollars), GitHub annotations (with a log line) and SARIF (the findings at the
//! manifest lines, written by `render::sarif`). Texts from manifests and usage files are
//! escaped for where they land, as in every renderer; ids from usage files are not checked
//! by any schema, so their control characters are shown as escapes (`printable`) first.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::foundation::decimal::{Fixed, Plain, format_usd, round_half_away, sum_usd};
use crate::foundation::printable;
use crate::input::usage::{At, moment};
use crate::render::human::{HumanStyle, table, write_diagnostics};
use crate::render::markdown::escape::{Code, MermaidLabel, Place, Text};
use crate::report::json::JsonDiagnostic;
use crate::run::reconcile::{NotReconciled, Reconciliation, Row, Scaling, count, percent};

/// The hidden first line of the Markdown report; a scheduled job finds its issue by it.
pub const MARKER: &str = "<!-- imgcost:reconcile -->";

/// Stay under GitHub's 65 536-character limit for an issue body or comment.
const BUDGET: usize = 60_000;

/// Most workflows drawn in the chart.
const CHART_BARS: usize = 12;

/// How the period's figures became monthly ones, for people.
#[must_use]
pub fn scaling(reconciliation: &Reconciliation) -> String {
    match reconciliation.scaling {
        Scaling::CalendarMonths(1) => "the period is one calendar month".to_owned(),
        Scaling::CalendarMonths(n) => {
            format!("the period is {n} calendar months; monthly figures are its figures ÷ {n}")
        }
        Scaling::Days => format!(
            "monthly figures are the period's scaled to 30.4375 days (the period is {} days)",
            round_half_away(
                Decimal::from(reconciliation.period.seconds()) / Decimal::from(86_400),
                2
            )
            .normalize()
        ),
    }
}

fn period(reconciliation: &Reconciliation) -> String {
    format!(
        "{} to {}",
        moment(reconciliation.period.start),
        moment(reconciliation.period.end)
    )
}

fn total(values: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    sum_usd(values).ok()
}

fn projected_total(reconciliation: &Reconciliation) -> Option<Decimal> {
    total(
        reconciliation
            .rows
            .iter()
            .filter(|r| r.actual.is_some())
            .filter_map(|r| r.projected.map(|p| p.monthly_usd)),
    )
}

fn actual_total(reconciliation: &Reconciliation) -> Option<Decimal> {
    total(
        reconciliation
            .rows
            .iter()
            .filter_map(|r| r.actual.as_ref().map(|a| a.monthly_usd)),
    )
}

fn undeclared_total(reconciliation: &Reconciliation) -> Option<Decimal> {
    if !costs_given(reconciliation) {
        return None;
    }
    total(reconciliation.undeclared.iter().map(|u| u.usd))
}

/// Whether any costs were read: without them, undeclared usage has no dollars to show (a zero
/// there would read as "free").
fn costs_given(reconciliation: &Reconciliation) -> bool {
    reconciliation.files[2] > 0
}

/// The dollars of undeclared usage for people: `–` without costs.
fn undeclared_usd(reconciliation: &Reconciliation, usd: Decimal) -> String {
    if costs_given(reconciliation) {
        format_usd(usd, 2)
    } else {
        "–".to_owned()
    }
}

fn ratio_text(ratio: Option<Decimal>) -> String {
    ratio.map_or_else(|| "–".to_owned(), percent)
}

/// The cells of a reconciled row: requests, images, dollars (projected → actual, a month),
/// the ratio of dollars, and where the dollars come from.
fn cells(row: &Row) -> Option<[String; 5]> {
    let actual = row.actual.as_ref()?;
    let projected = row.projected?;
    let estimate = if actual.shared_with.is_empty() {
        ""
    } else {
        " *"
    };
    Some([
        format!(
            "{} → {}",
            count(projected.requests),
            count(actual.monthly_requests)
        ),
        format!(
            "{} → {}",
            count(projected.images),
            count(actual.monthly_images)
        ),
        format!(
            "{} → {}{estimate}",
            format_usd(projected.monthly_usd, 2),
            format_usd(actual.monthly_usd, 2)
        ),
        ratio_text(row.usd_ratio()),
        actual.usd_source.as_str().to_owned(),
    ])
}

/// Notes every format shows under the table.
fn notes(reconciliation: &Reconciliation) -> Vec<String> {
    let mut notes = vec![format!(
        "Figures are a month: {}. Requests are billed calls (retries included).",
        scaling(reconciliation)
    )];
    if reconciliation
        .rows
        .iter()
        .any(|r| r.actual.as_ref().is_some_and(|a| !a.shared_with.is_empty()))
    {
        notes.push("* an estimate: these workflows share an API key or project and model, and their usage is split in proportion to their projections.".to_owned());
    }
    notes.push("Dollars from `costs` are billed amounts; from `ratecard`, the actual counts priced with the rate card.".to_owned());
    let left_out = |why: NotReconciled| {
        reconciliation
            .rows
            .iter()
            .filter(|r| r.not_reconciled == Some(why))
            .count()
    };
    for (why, note) in [
        (
            NotReconciled::NoAttribution,
            "have no `attribution:` and are not reconciled",
        ),
        (
            NotReconciled::NotPriced,
            "could not be priced (see the findings) and are not reconciled",
        ),
        (
            NotReconciled::NeedsCosts,
            "use `endpoint: responses`, whose usage only the costs show: pass --costs to reconcile them",
        ),
    ] {
        let count = left_out(why);
        if count > 0 {
            notes.push(format!("{count} workflow(s) {note}."));
        }
    }
    if !reconciliation.other_usd.is_zero() {
        notes.push(format!(
            "{} of costs name no image model of the rate card (text models, other products) and are left out.",
            format_usd(reconciliation.other_usd, 2)
        ));
    }
    notes
}

/// The human report: the table, the undeclared usage, the notes, the findings and a summary.
///
/// # Errors
/// When writing fails.
pub fn human(
    reconciliation: &Reconciliation,
    style: HumanStyle,
    deny_warnings: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // `reconcile` keeps every text (`Keep::ALL`): nothing to read again.
    write_diagnostics(&reconciliation.report.diagnostics, style, None, out)?;
    if style.quiet {
        return Ok(());
    }
    let mut text = format!(
        "Projected against actual, {} (rate card {}, as of {})\n\n",
        period(reconciliation),
        reconciliation.report.ratecard.id,
        reconciliation.report.as_of
    );
    let rows: Vec<Vec<String>> = reconciliation
        .rows
        .iter()
        .map(|row| {
            let mut cells_of_row = vec![printable(&row.id).into_owned()];
            match cells(row) {
                Some(cells) => cells_of_row.extend(cells),
                None => {
                    let why = row.not_reconciled.map_or("", NotReconciled::as_str);
                    cells_of_row.extend([
                        why.to_owned(),
                        String::new(),
                        String::new(),
                        "–".to_owned(),
                        String::new(),
                    ]);
                }
            }
            cells_of_row
        })
        .collect();
    text.push_str(&table(
        &[
            "workflow",
            "requests",
            "images",
            "monthly USD",
            "actual/projected",
            "USD from",
        ],
        &rows,
        &[1, 2, 3, 4],
    ));
    let _ = writeln!(
        text,
        "\n Total reconciled: {} projected, {} actual a month",
        projected_total(reconciliation).map_or_else(|| "–".to_owned(), |v| format_usd(v, 2)),
        actual_total(reconciliation).map_or_else(|| "–".to_owned(), |v| format_usd(v, 2)),
    );
    if !reconciliation.undeclared.is_empty() {
        text.push_str("\nUsage no workflow declares (IC602), in the period\n\n");
        let rows: Vec<Vec<String>> = reconciliation
            .undeclared
            .iter()
            .map(|u| {
                vec![
                    printable(u.project.as_deref().unwrap_or("-")).into_owned(),
                    printable(u.key.as_deref().unwrap_or("-")).into_owned(),
                    printable(&u.model).into_owned(),
                    printable(u.source.as_deref().unwrap_or("cost")).into_owned(),
                    count(Decimal::from(u.images)),
                    undeclared_usd(reconciliation, u.usd),
                ]
            })
            .collect();
        text.push_str(&table(
            &[
                "project",
                "key",
                "model / line item",
                "source",
                "images",
                "USD",
            ],
            &rows,
            &[4, 5],
        ));
    }
    text.push('\n');
    for note in notes(reconciliation) {
        let _ = writeln!(text, " {note}");
    }
    text.push('\n');
    text.push_str(&verdict(reconciliation, deny_warnings));
    out.write_all(text.as_bytes())
}

/// The closing line: the verdict and the counts.
fn verdict(reconciliation: &Reconciliation, deny_warnings: bool) -> String {
    let report = &reconciliation.report;
    let counts = report.counts();
    let reconciled = reconciliation
        .rows
        .iter()
        .filter(|r| r.actual.is_some())
        .count();
    format!(
        "{}: {reconciled} of {} workflow(s) reconciled over {}; {} error(s), {} warning(s), {} note(s)\n{}\n",
        if report.passed(deny_warnings) {
            "passed"
        } else {
            "failed"
        },
        reconciliation.rows.len(),
        period(reconciliation),
        counts.errors,
        counts.warnings,
        counts.notes,
        super::policy_provenance(&report.policies, |text| printable(text).into_owned())
    )
}

/// GitHub annotations of the findings, then the closing line.
#[must_use]
pub fn github(reconciliation: &Reconciliation, deny_warnings: bool) -> String {
    let mut out = crate::render::github::annotations(&reconciliation.report);
    out.push_str("imgcost reconcile ");
    out.push_str(&verdict(reconciliation, deny_warnings));
    out
}

/// The Markdown report: a headline, the table, the chart, the undeclared usage, the findings.
#[must_use]
pub fn markdown(reconciliation: &Reconciliation, deny_warnings: bool) -> String {
    let report = &reconciliation.report;
    let mut out = format!("{MARKER}\n");
    let _ = writeln!(
        out,
        "## imgcost reconcile: {} — did the estimate hold?\n",
        period(reconciliation)
    );
    let _ = writeln!(
        out,
        "{} a month projected, {} actual, across {} reconciled workflow(s) · {}\n\nRate card {} · {} · as of {}\n",
        projected_total(reconciliation).map_or_else(|| "–".to_owned(), |v| format_usd(v, 2)),
        actual_total(reconciliation).map_or_else(|| "–".to_owned(), |v| format_usd(v, 2)),
        reconciliation
            .rows
            .iter()
            .filter(|r| r.actual.is_some())
            .count(),
        if report.passed(deny_warnings) {
            "✅ passed"
        } else {
            "❌ failed"
        },
        Code(&report.ratecard.id, Place::Inline),
        crate::render::markdown::provenance(report),
        report.as_of
    );
    out.push_str("| Workflow | Requests | Images | Monthly USD | Actual / projected | USD from |\n|:---|---:|---:|---:|---:|:---|\n");
    for (index, row) in reconciliation.rows.iter().enumerate() {
        let line = match cells(row) {
            Some([requests, images, usd, ratio, source]) => format!(
                "| {} | {requests} | {images} | {} | {ratio} | {source} |\n",
                Code(&row.id, Place::Cell),
                usd.replace('*', "\\*")
            ),
            None => format!(
                "| {} | {} | | | – | |\n",
                Code(&row.id, Place::Cell),
                row.not_reconciled.map_or("", NotReconciled::as_str)
            ),
        };
        if out.len() + line.len() > BUDGET / 2 {
            let _ = writeln!(
                out,
                "| … {} more workflows (see the JSON report) | | | | | |",
                reconciliation.rows.len() - index
            );
            break;
        }
        out.push_str(&line);
    }
    out.push('\n');
    out.push_str(&chart(reconciliation));
    if !reconciliation.undeclared.is_empty() {
        out.push_str("\n### Usage no workflow declares\n\n| Project | Key | Model / line item | Source | Images | USD |\n|:---|:---|:---|:---|---:|---:|\n");
        for (index, u) in reconciliation.undeclared.iter().enumerate() {
            let line = format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                Code(&printable(u.project.as_deref().unwrap_or("-")), Place::Cell),
                Code(&printable(u.key.as_deref().unwrap_or("-")), Place::Cell),
                Code(&printable(&u.model), Place::Cell),
                Code(
                    &printable(u.source.as_deref().unwrap_or("cost")),
                    Place::Cell
                ),
                count(Decimal::from(u.images)),
                undeclared_usd(reconciliation, u.usd)
            );
            if out.len() + line.len() > BUDGET * 2 / 3 {
                let _ = writeln!(
                    out,
                    "| … {} more | | | | | |",
                    reconciliation.undeclared.len() - index
                );
                break;
            }
            out.push_str(&line);
        }
    }
    out.push('\n');
    for note in notes(reconciliation) {
        let _ = writeln!(out, "{}  ", Text(&note).to_string().replace("\\`", "`"));
    }
    out.push('\n');
    let room = BUDGET.saturating_sub(out.len() + 500);
    out.push_str(&crate::render::markdown::findings(report, room));
    let _ = writeln!(
        out,
        "\n<sub>imgcost {} · `imgcost reconcile --suggest` prints the volume corrections as a diff</sub>",
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// A Mermaid `xychart-beta` of the reconciled workflows with the largest projected or actual
/// dollars: bars for the projection, a line for the actual month.
fn chart(reconciliation: &Reconciliation) -> String {
    let mut drawn: Vec<(&str, Decimal, Decimal)> = reconciliation
        .rows
        .iter()
        .filter_map(|r| {
            Some((
                r.id.as_str(),
                r.projected?.monthly_usd,
                r.actual.as_ref()?.monthly_usd,
            ))
        })
        .collect();
    if drawn.is_empty() {
        return String::new();
    }
    drawn.sort_by(|a, b| b.1.max(b.2).cmp(&a.1.max(a.2)).then(a.0.cmp(b.0)));
    drawn.truncate(CHART_BARS);
    let top = drawn.iter().map(|d| d.1.max(d.2)).max().unwrap_or_default();
    let labels: Vec<String> = drawn
        .iter()
        .map(|d| format!("\"{}\"", MermaidLabel(d.0)))
        .collect();
    let values = |pick: fn(&(&str, Decimal, Decimal)) -> Decimal| {
        drawn
            .iter()
            .map(|d| Fixed(pick(d), 2).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from(
        "```mermaid\nxychart-beta\n    title \"Monthly USD: projected (bars) and actual (line)\"\n",
    );
    let _ = writeln!(out, "    x-axis [{}]", labels.join(", "));
    let _ = writeln!(
        out,
        "    y-axis \"USD a month\" 0 --> {}",
        Fixed(top.max(Decimal::ONE).saturating_mul(Decimal::new(11, 1)), 0)
    );
    let _ = writeln!(out, "    bar [{}]", values(|d| d.1));
    let _ = writeln!(out, "    line [{}]", values(|d| d.2));
    out.push_str("```\n");
    out
}

/// A count or an amount in JSON: at most four places, no trailing zeros.
fn plain(value: Decimal) -> Plain {
    Plain(round_half_away(value, 4).normalize())
}

/// A moment in JSON: RFC 3339, UTC.
fn timestamp(seconds: i64) -> String {
    let shown = moment(seconds);
    if shown.contains('T') {
        format!("{}:00Z", shown.trim_end_matches('Z'))
    } else {
        format!("{shown}T00:00:00Z")
    }
}

#[derive(Serialize)]
struct JsonReconciliation<'a> {
    version: u32,
    tool: crate::report::json::Tool<'a>,
    as_of: String,
    ratecard: &'a str,
    policies: Vec<&'a str>,
    policy_sources: &'a [crate::report::PolicySource],
    period: JsonPeriod,
    inputs: JsonInputs,
    tolerances: JsonTolerances,
    summary: JsonSummary,
    workflows: Vec<JsonWorkflow<'a>>,
    undeclared: Vec<JsonUndeclared<'a>>,
    suggestions: Vec<JsonSuggestion<'a>>,
    unchanged: Vec<JsonUnchanged<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonPeriod {
    from: String,
    to: String,
    given: bool,
    months: Plain,
    scaling: &'static str,
}

#[derive(Serialize)]
struct JsonInputs {
    usage_files: usize,
    activity_files: usize,
    costs_files: usize,
}

#[derive(Serialize)]
struct JsonTolerances {
    over_percent: Plain,
    cost_per_image_percent: Plain,
}

#[derive(Serialize)]
struct JsonSummary {
    workflows: usize,
    reconciled: usize,
    projected_monthly_usd: Option<Fixed>,
    actual_monthly_usd: Option<Fixed>,
    undeclared_usd: Option<Fixed>,
    other_usd: Fixed,
    errors: usize,
    warnings: usize,
    notes: usize,
    passed: bool,
}

#[derive(Serialize)]
struct JsonWorkflow<'a> {
    id: &'a str,
    file: &'a str,
    line: usize,
    attributed: bool,
    /// Why it was not reconciled: `no attribution`, `not priced` or `needs --costs`.
    not_reconciled: Option<&'static str>,
    projected: Option<JsonProjected>,
    actual: Option<JsonActual<'a>>,
    ratio: Option<JsonRatio>,
}

#[derive(Serialize)]
struct JsonProjected {
    requests: Plain,
    images: Plain,
    monthly_usd: Fixed,
}

#[derive(Serialize)]
struct JsonActual<'a> {
    requests: Plain,
    images: Plain,
    usd: Fixed,
    monthly_requests: Plain,
    monthly_images: Plain,
    monthly_usd: Fixed,
    usd_source: &'static str,
    estimate: bool,
    shared_with: Vec<&'a str>,
    shared_with_count: usize,
    image_tokens: Option<JsonTokens>,
}

#[derive(Serialize)]
struct JsonTokens {
    input: Plain,
    cached_input: Plain,
    output: Plain,
}

#[derive(Serialize)]
struct JsonRatio {
    usd: Option<Fixed>,
    images: Option<Fixed>,
}

#[derive(Serialize)]
struct JsonUndeclared<'a> {
    subject: String,
    project: Option<&'a str>,
    api_key: Option<&'a str>,
    model: &'a str,
    source: Option<&'a str>,
    requests: u64,
    images: u64,
    usd: Option<Fixed>,
    file: &'a str,
    /// Where in the file it first appears: a JSON pointer for a page, a line for an export.
    pointer: Option<&'a str>,
    line: Option<usize>,
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    workflow: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    field: &'static str,
    from: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
struct JsonUnchanged<'a> {
    workflow: &'a str,
    field: &'static str,
    reason: &'a str,
}

/// The JSON report (schemas/reconcile.schema.json).
///
/// # Errors
/// When writing fails.
pub fn json(
    reconciliation: &Reconciliation,
    deny_warnings: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let report = &reconciliation.report;
    let counts = report.counts();
    let document = JsonReconciliation {
        version: 1,
        tool: crate::report::json::Tool {
            name: "imgcost".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        as_of: report.as_of.to_string(),
        ratecard: &report.ratecard.id,
        policies: report.policies.iter().map(|p| p.name.as_str()).collect(),
        policy_sources: &report.policies,
        period: JsonPeriod {
            from: timestamp(reconciliation.period.start),
            to: timestamp(reconciliation.period.end),
            given: reconciliation.period_given,
            months: plain(reconciliation.months),
            scaling: match reconciliation.scaling {
                Scaling::CalendarMonths(_) => "calendar_months",
                Scaling::Days => "days",
            },
        },
        inputs: JsonInputs {
            usage_files: reconciliation.files[0],
            activity_files: reconciliation.files[1],
            costs_files: reconciliation.files[2],
        },
        tolerances: JsonTolerances {
            over_percent: Plain(reconciliation.over_percent.normalize()),
            cost_per_image_percent: Plain(reconciliation.cost_per_image_percent.normalize()),
        },
        summary: JsonSummary {
            workflows: reconciliation.rows.len(),
            reconciled: reconciliation
                .rows
                .iter()
                .filter(|r| r.actual.is_some())
                .count(),
            projected_monthly_usd: projected_total(reconciliation).map(|v| Fixed(v, 2)),
            actual_monthly_usd: actual_total(reconciliation).map(|v| Fixed(v, 2)),
            undeclared_usd: undeclared_total(reconciliation).map(|v| Fixed(v, 2)),
            other_usd: Fixed(reconciliation.other_usd, 2),
            errors: counts.errors,
            warnings: counts.warnings,
            notes: counts.notes,
            passed: report.passed(deny_warnings),
        },
        workflows: reconciliation
            .rows
            .iter()
            .map(|row| {
                let entry = &report.workflows[row.index];
                JsonWorkflow {
                    id: &row.id,
                    file: entry.file.path(),
                    line: entry.line,
                    attributed: row.actual.is_some(),
                    not_reconciled: row.not_reconciled.map(NotReconciled::as_str),
                    projected: row.projected.map(|p| JsonProjected {
                        requests: plain(p.requests),
                        images: plain(p.images),
                        monthly_usd: Fixed(p.monthly_usd, 2),
                    }),
                    actual: row.actual.as_ref().map(|a| JsonActual {
                        requests: plain(a.requests),
                        images: plain(a.images),
                        usd: Fixed(a.usd, 2),
                        monthly_requests: plain(a.monthly_requests),
                        monthly_images: plain(a.monthly_images),
                        monthly_usd: Fixed(a.monthly_usd, 2),
                        usd_source: a.usd_source.as_str(),
                        estimate: !a.shared_with.is_empty(),
                        shared_with: a.shared_with.iter().map(String::as_str).collect(),
                        shared_with_count: a.shared_with_count,
                        image_tokens: a.image_tokens.map(|[input, cached_input, output]| {
                            JsonTokens {
                                input: plain(input),
                                cached_input: plain(cached_input),
                                output: plain(output),
                            }
                        }),
                    }),
                    ratio: row.actual.as_ref().map(|_| JsonRatio {
                        usd: row.usd_ratio().map(|v| Fixed(v, 4)),
                        images: row.images_ratio().map(|v| Fixed(v, 4)),
                    }),
                }
            })
            .collect(),
        undeclared: reconciliation
            .undeclared
            .iter()
            .map(|u| JsonUndeclared {
                subject: u.subject(),
                project: u.project.as_deref(),
                api_key: u.key.as_deref(),
                model: &u.model,
                source: u.source.as_deref(),
                requests: u.requests,
                images: u.images,
                usd: costs_given(reconciliation).then_some(Fixed(u.usd, 2)),
                file: &u.file,
                pointer: match &u.at {
                    At::Pointer(pointer) => Some(pointer),
                    _ => None,
                },
                line: match u.at {
                    At::Line(line) => Some(line),
                    _ => None,
                },
            })
            .collect(),
        suggestions: reconciliation
            .suggestions
            .iter()
            .map(|s| {
                let at = s.file.line_column(s.span.start);
                JsonSuggestion {
                    workflow: &s.workflow,
                    file: s.file.path(),
                    line: at.line,
                    column: at.column,
                    field: s.field,
                    from: &s.old,
                    to: &s.new,
                }
            })
            .collect(),
        unchanged: reconciliation
            .unchanged
            .iter()
            .map(|u| JsonUnchanged {
                workflow: &u.workflow,
                field: u.field,
                reason: &u.reason,
            })
            .collect(),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic::of(d))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    out.write_all(b"\n")
}
