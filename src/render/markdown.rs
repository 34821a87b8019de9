//! Markdown: the pull-request comment of `diff` (Infracost-style: a headline with the change in
//! dollars and percent, a table of changed workflows, unchanged ones folded away, the findings,
//! and a hidden marker so a CI step can find and update its own comment), and the job summary of
//! `check` (`$GITHUB_STEP_SUMMARY`). Both stay under GitHub's 65 536-character comment limit by
//! cutting long tables with a note. Every text from the pull request goes through `escape`
//! for where it lands.

pub(crate) mod escape;

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::foundation::decimal::{format_fixed, format_total, format_usd, sum_usd};
use crate::foundation::{Diagnostic, Severity};
use crate::report::Report;
use crate::run::diff::{Diff, Status};
use escape::{Code, MermaidLabel, Message, Place, Text};

/// The hidden first line of every diff comment; CI looks for it to update its own comment.
pub const DIFF_MARKER: &str = "<!-- imgcost:diff -->";

/// The hidden first line of the check summary.
pub const CHECK_MARKER: &str = "<!-- imgcost:check -->";

/// Stay well under GitHub's 65 536-character limit for a comment.
const BUDGET: usize = 60_000;

/// Most rows of a table before it is cut.
const MAX_ROWS: usize = 200;

/// Most findings listed.
const MAX_FINDINGS: usize = 100;

fn signed_usd(value: Decimal) -> String {
    if value > Decimal::ZERO {
        format!("+{}", format_usd(value, 2))
    } else {
        format_usd(value, 2)
    }
}

fn signed_percent(value: Option<Decimal>) -> String {
    value.map_or_else(
        || "–".to_owned(),
        |p| {
            if p > Decimal::ZERO {
                format!("+{} %", format_fixed(p, 1))
            } else {
                format!("{} %", format_fixed(p, 1))
            }
        },
    )
}

fn money(value: Option<Decimal>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format_usd(v, 2))
}

fn icon(diagnostic: &Diagnostic) -> &'static str {
    if !diagnostic.is_active() {
        return "🔕";
    }
    match diagnostic.severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Note => "ℹ️",
    }
}

/// Links a finding's file and line to the commit it was found in, on the repository's web page.
#[derive(Debug, Clone)]
pub struct Links {
    /// `https://github.com/<owner>/<name>`, no credentials, no trailing `/`.
    pub repository: String,
    /// The full commit id (40 or 64 hex digits; anything else links nothing).
    pub commit: String,
    /// The working directory relative to the repository root, `/`-separated, empty at the root.
    pub cwd_in_root: String,
}

impl Links {
    /// The address of `path` (as the report shows it) at `line`, when the path is inside the
    /// working directory and the commit is a full commit id.
    fn of(&self, path: &str, line: usize) -> Option<String> {
        let commit_ok = matches!(self.commit.len(), 40 | 64)
            && self.commit.bytes().all(|b| b.is_ascii_hexdigit());
        if !commit_ok
            || path.starts_with('/')
            || path
                .split('/')
                .any(|part| part == ".." || part.contains(':'))
        {
            return None;
        }
        let path = if self.cwd_in_root.is_empty() {
            path.to_owned()
        } else {
            format!("{}/{path}", self.cwd_in_root)
        };
        Some(format!(
            "{}/blob/{}/{}#L{line}",
            self.repository,
            self.commit,
            crate::render::sarif::uri_reference(&path)
        ))
    }
}

/// The order findings are listed in: errors, warnings, notes, then exempted ones.
fn rank(diagnostic: &Diagnostic) -> u8 {
    match (diagnostic.is_active(), diagnostic.severity) {
        (true, Severity::Error) => 0,
        (true, Severity::Warning) => 1,
        (true, Severity::Note) => 2,
        (false, _) => 3,
    }
}

/// The counts of a findings heading, the kinds with none left out: `❌ 2 errors · ⚠️ 1 warning`.
fn counts_line(report: &Report) -> String {
    let counts = report.counts();
    [
        ("❌", counts.errors, "error"),
        ("⚠️", counts.warnings, "warning"),
        ("ℹ️", counts.notes, "note"),
    ]
    .into_iter()
    .filter(|(_, count, _)| *count > 0)
    .map(|(icon, count, word)| format!("{icon} {count} {word}{}", plural(count)))
    .collect::<Vec<_>>()
    .join(" · ")
}

/// The findings as a list, within `room` characters (also `imgcost reconcile`'s).
pub(crate) fn findings(report: &Report, room: usize) -> String {
    findings_linked(report, room, None)
}

/// The findings as a list, errors first, each linked to its file and line when `links` is given.
fn findings_linked(report: &Report, room: usize, links: Option<&Links>) -> String {
    let counts = counts_line(report);
    let mut out = if counts.is_empty() {
        "### Findings\n\n".to_owned()
    } else {
        format!("### Findings: {counts}\n\n")
    };
    if report.diagnostics.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    let mut ordered: Vec<&Diagnostic> = report.diagnostics.iter().map(|d| &**d).collect();
    // Stable: report order within each kind.
    ordered.sort_by_key(|d| rank(d));
    for (index, diagnostic) in ordered.iter().enumerate() {
        let start = diagnostic.primary.start();
        let exempted = diagnostic.exempted.as_ref().map_or_else(String::new, |e| {
            format!(
                " *(exempted until {}: {})*",
                Text(&e.expires),
                Text(&e.reason)
            )
        });
        let place = format!(
            "{}:{}:{}",
            diagnostic.primary.file.path(),
            start.line,
            start.column
        );
        let code = Code(&place, Place::Inline).to_string();
        let shown = match links.and_then(|l| l.of(diagnostic.primary.file.path(), start.line)) {
            // The address is built from a checked commit and a percent-encoded path: no `)`,
            // space or `<` can end or break the link.
            Some(address) => format!("[{code}]({address})"),
            None => code,
        };
        let line = format!(
            "- {} **{}** {} {}{exempted}\n",
            icon(diagnostic),
            diagnostic.rule.code,
            shown,
            Message(&diagnostic.message)
        );
        if index >= MAX_FINDINGS || out.len() + line.len() > room {
            let _ = writeln!(
                out,
                "- … and {} more (see the JSON report or the job log)",
                report.diagnostics.len() - index
            );
            break;
        }
        out.push_str(&line);
    }
    out
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// A Mermaid pie of monthly cost by workflow (the eight largest, the rest together).
fn pie(title: &str, parts: &[(&str, Decimal)]) -> String {
    let mut parts: Vec<&(&str, Decimal)> =
        parts.iter().filter(|(_, v)| *v > Decimal::ZERO).collect();
    if parts.len() < 2 {
        return String::new();
    }
    parts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut out = format!("```mermaid\npie showData title {title}\n");
    for (id, value) in parts.iter().take(8) {
        let _ = writeln!(
            out,
            "    \"{}\" : {}",
            MermaidLabel(id),
            format_fixed(*value, 2)
        );
    }
    if parts.len() > 8 {
        // Every part is a priced figure; their sum can still pass the largest amount.
        let Ok(rest) = sum_usd(parts.iter().skip(8).map(|(_, v)| *v)) else {
            return String::new();
        };
        let _ = writeln!(
            out,
            "    \"{} others\" : {}",
            parts.len() - 8,
            format_fixed(rest, 2)
        );
    }
    out.push_str("```\n");
    out
}

/// Changed workflows a change chart draws at most.
const CHART_BARS: usize = 8;

/// A Mermaid `xychart-beta` of what the change does: for the workflows whose monthly cost moved
/// the most (an absent side counting as zero), the cost after (bars) and before (line). Drawn
/// only when at least two workflows moved: one is the table's first row already.
fn change_chart(diff: &Diff) -> String {
    let mut moved: Vec<(&str, Decimal, Decimal)> = diff
        .workflows
        .iter()
        .filter(|w| w.status != Status::Unchanged)
        .filter_map(|w| {
            let before = w.before.unwrap_or_default();
            let after = w.after.unwrap_or_default();
            (before != after).then_some((&*w.id, before, after))
        })
        .collect();
    if moved.len() < 2 {
        return String::new();
    }
    // Both sides are at most the money limit and never negative: the difference is exact.
    moved.sort_by(|a, b| (b.2 - b.1).abs().cmp(&(a.2 - a.1).abs()).then(a.0.cmp(b.0)));
    moved.truncate(CHART_BARS);
    let top = moved.iter().map(|m| m.1.max(m.2)).max().unwrap_or_default();
    let labels: Vec<String> = moved
        .iter()
        .map(|m| format!("\"{}\"", MermaidLabel(m.0)))
        .collect();
    let values = |pick: fn(&(&str, Decimal, Decimal)) -> Decimal| {
        moved
            .iter()
            .map(|m| format_fixed(pick(m), 2))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from(
        "```mermaid\nxychart-beta\n    title \"Monthly USD of the workflows this change moves most: after (bars), before (line)\"\n",
    );
    let _ = writeln!(out, "    x-axis [{}]", labels.join(", "));
    let _ = writeln!(
        out,
        "    y-axis \"USD a month\" 0 --> {}",
        format_fixed(
            top.max(Decimal::ONE)
                .checked_mul(Decimal::new(11, 1))
                .unwrap_or(top),
            0
        )
    );
    let _ = writeln!(out, "    bar [{}]", values(|m| m.2));
    let _ = writeln!(out, "    line [{}]", values(|m| m.1));
    out.push_str("```\n");
    out
}

/// The pull-request comment for a diff, without links to the findings' lines.
#[must_use]
pub fn diff_comment(report: &Report, diff: &Diff) -> String {
    diff_comment_with(report, diff, false, None)
}

/// The headline: the verdict (as `deny_warnings` makes it) and the change of the monthly cost.
/// A tick only when the policy passes and the cost did not rise: a passing change that adds
/// 796 % says so in words, and a failing one names what fails it.
fn headline(report: &Report, diff: &Diff, deny_warnings: bool) -> String {
    let delta = diff.delta();
    let cost = if let Some(delta) = delta.filter(|d| *d > Decimal::ZERO) {
        format!(
            "monthly image cost +{} ({})",
            format_usd(delta, 2),
            signed_percent(diff.percent())
        )
    } else if let Some(delta) = delta.filter(|d| *d < Decimal::ZERO) {
        format!(
            "monthly image cost −{} ({})",
            format_usd(-delta, 2),
            signed_percent(diff.percent())
        )
    } else if delta.is_some() {
        "monthly image cost unchanged".to_owned()
    } else {
        "monthly image cost cannot be compared (a total passes the largest amount, IC108)"
            .to_owned()
    };
    if report.passed(deny_warnings) {
        let tick = if delta.is_some_and(|d| d <= Decimal::ZERO) {
            "✅ "
        } else {
            ""
        };
        format!("{tick}imgcost: passes the policy, {cost}")
    } else {
        let counts = report.counts();
        let mut failing = Vec::new();
        if counts.errors > 0 {
            failing.push(format!("{} error{}", counts.errors, plural(counts.errors)));
        }
        if deny_warnings && counts.warnings > 0 {
            failing.push(format!(
                "{} warning{} with --deny-warnings",
                counts.warnings,
                plural(counts.warnings)
            ));
        }
        format!(
            "❌ imgcost: fails the policy ({}), {cost}",
            failing.join(", ")
        )
    }
}

/// What changed in a workflow, for its row: `quality \`medium\` → \`high\``, each value a code
/// span.
fn what_changed(change: &crate::run::diff::WorkflowChange) -> String {
    let mut parts: Vec<String> = change
        .details
        .iter()
        .map(|d| {
            format!(
                "{} {} → {}",
                d.field,
                Code(&d.before, Place::Cell),
                Code(&d.after, Place::Cell)
            )
        })
        .collect();
    // Fields with no value shown (`inputs`, `pricing`, a volume whose images did not move)
    // are named.
    let shown = |field: &str| match field {
        "volume" => change.details.iter().any(|d| d.field == "images a month"),
        "inputs" | "pricing" => false,
        _ => true,
    };
    parts.extend(
        change
            .changed
            .iter()
            .filter(|field| !shown(field))
            .map(|field| (*field).to_owned()),
    );
    parts.join("; ")
}

/// The pull-request comment for a diff: the headline as `deny_warnings` makes the verdict, and
/// each finding linked to its line at a commit when `links` is given.
#[must_use]
pub fn diff_comment_with(
    report: &Report,
    diff: &Diff,
    deny_warnings: bool,
    links: Option<&Links>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{DIFF_MARKER}");
    let delta = diff.delta();
    let _ = writeln!(out, "## {}\n", headline(report, diff, deny_warnings));
    let _ = writeln!(
        out,
        "**{} → {} a month** · base {} · rate card {} · {} · as of {}\n",
        format_total(diff.before),
        format_total(diff.after),
        Code(&diff.base, Place::Inline),
        Code(&report.ratecard.id, Place::Inline),
        provenance(report),
        report.as_of
    );
    if diff.base_errors > 0 {
        let _ = writeln!(
            out,
            "> ⚠️ The base has {} error{}: its figures may be incomplete.\n",
            diff.base_errors,
            plural(diff.base_errors)
        );
    }
    let moved: Vec<_> = diff
        .workflows
        .iter()
        .filter(|c| c.status != Status::Unchanged)
        .collect();
    let unchanged: Vec<_> = diff
        .workflows
        .iter()
        .filter(|c| c.status == Status::Unchanged)
        .collect();
    if moved.is_empty() {
        out.push_str("No workflow changed.\n\n");
    } else {
        out.push_str(
            "| Workflow | Change | Before | After | Δ | Δ % |\n|:---|:---|---:|---:|---:|---:|\n",
        );
        for (index, change) in moved.iter().enumerate() {
            // Field names and statuses are imgcost's own words.
            let what = match change.status {
                Status::Changed => what_changed(change),
                Status::Renamed if !change.details.is_empty() || !change.changed.is_empty() => {
                    format!("renamed; {}", what_changed(change))
                }
                other => other.as_str().to_owned(),
            };
            let percent = if change.status == Status::Added {
                "new".to_owned()
            } else {
                signed_percent(change.percent())
            };
            let row = format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                Code(&change.id, Place::Cell),
                what,
                money(change.before),
                money(change.after),
                signed_usd(change.delta()),
                percent
            );
            if index >= MAX_ROWS || out.len() + row.len() > BUDGET / 2 {
                let _ = writeln!(
                    out,
                    "| … {} more changed workflows | | | | | |",
                    moved.len() - index
                );
                break;
            }
            out.push_str(&row);
        }
        let _ = writeln!(
            out,
            "| **Total** | | **{}** | **{}** | **{}** | **{}** |\n",
            format_total(diff.before),
            format_total(diff.after),
            delta.map_or_else(|| "–".to_owned(), signed_usd),
            signed_percent(diff.percent())
        );
    }
    if !unchanged.is_empty() {
        let total = format_total(sum_usd(unchanged.iter().filter_map(|c| c.after)).ok());
        let _ = writeln!(
            out,
            "<details><summary>{} unchanged workflow{} ({} a month)</summary>\n",
            unchanged.len(),
            plural(unchanged.len()),
            total
        );
        out.push_str("| Workflow | Monthly |\n|:---|---:|\n");
        for (index, change) in unchanged.iter().enumerate() {
            let row = format!(
                "| {} | {} |\n",
                Code(&change.id, Place::Cell),
                money(change.after)
            );
            if index >= MAX_ROWS || out.len() + row.len() > BUDGET * 2 / 3 {
                let _ = writeln!(out, "| … {} more | |", unchanged.len() - index);
                break;
            }
            out.push_str(&row);
        }
        out.push_str("\n</details>\n\n");
    }
    let room = BUDGET.saturating_sub(out.len() + 2_000);
    out.push_str(&findings_linked(report, room, links));
    let chart = change_chart(diff);
    if !chart.is_empty() && out.len() + chart.len() < BUDGET {
        out.push('\n');
        out.push_str(&chart);
    }
    let _ = writeln!(
        out,
        "\n<sub>imgcost {} · `imgcost explain WORKFLOW_ID` shows the arithmetic of any figure</sub>",
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// The job summary of a check.
#[must_use]
pub fn check_summary(report: &Report, deny_warnings: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{CHECK_MARKER}");
    let verdict = if report.passed(deny_warnings) {
        "✅ passed"
    } else {
        "❌ failed"
    };
    let _ = writeln!(
        out,
        "## imgcost: {} a month across {} workflow{} — {verdict}\n",
        format_total(report.monthly_usd()),
        report.workflows.len(),
        plural(report.workflows.len())
    );
    let _ = writeln!(
        out,
        "Rate card {} · {} · as of {}\n",
        Code(&report.ratecard.id, Place::Inline),
        provenance(report),
        report.as_of
    );
    if report.unpriced_workflows() > 0 {
        let _ = writeln!(
            out,
            "> ⚠️ {} workflow{} could not be priced and {} not in the total.\n",
            report.unpriced_workflows(),
            plural(report.unpriced_workflows()),
            if report.unpriced_workflows() == 1 {
                "is"
            } else {
                "are"
            }
        );
    }
    if !report.workflows.is_empty() {
        out.push_str("| Workflow | Model | Request | Monthly | Per image | Budget | Confidence |\n|:---|:---|:---|---:|---:|---:|:---|\n");
        for (index, entry) in report.workflows.iter().enumerate() {
            let row = match &entry.projection {
                Some(p) => format!(
                    "| {} | {} | {} {} ×{}{} | {} | {} | {} | {} |\n",
                    Code(&entry.workflow.id, Place::Cell),
                    Text(&p.model),
                    p.quality,
                    p.size,
                    p.n,
                    if p.tier == crate::pricing::Tier::Batch {
                        " batch"
                    } else {
                        ""
                    },
                    format_usd(p.monthly_usd, 2),
                    p.per_accepted_image_usd
                        .map_or_else(|| "–".to_owned(), |v| format_usd(v, 4)),
                    money(entry.budget_usd()),
                    p.confidence
                ),
                None => format!(
                    "| {} | {} | not priced | – | – | {} | – |\n",
                    Code(&entry.workflow.id, Place::Cell),
                    Text(&crate::foundation::printable(&entry.workflow.spec.model)),
                    money(entry.budget_usd())
                ),
            };
            if index >= MAX_ROWS || out.len() + row.len() > BUDGET / 2 {
                let _ = writeln!(
                    out,
                    "| … {} more workflows (see the JSON report) | | | | | | |",
                    report.workflows.len() - index
                );
                break;
            }
            out.push_str(&row);
        }
        let _ = writeln!(
            out,
            "| **Total** | | | **{}** | | | |\n",
            format_total(report.monthly_usd())
        );
    }
    let room = BUDGET.saturating_sub(out.len() + 2_000);
    out.push_str(&findings(report, room));
    // Borrowed: the chart names eight, and a copy of every id held megabytes in a large run.
    let parts: Vec<(&str, Decimal)> = report
        .workflows
        .iter()
        .filter_map(|w| Some((&*w.workflow.id, w.monthly_usd()?)))
        .collect();
    let chart = pie("Monthly cost by workflow", &parts);
    if !chart.is_empty() && out.len() + chart.len() < BUDGET {
        out.push('\n');
        out.push_str(&chart);
    }
    out
}

/// Where the report's policies came from, as Markdown.
pub(crate) fn provenance(report: &Report) -> String {
    super::policy_provenance(&report.policies, |text| {
        Code(&crate::foundation::printable(text), Place::Inline).to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::diff::WorkflowChange;

    fn moved(id: &str, before: Option<i64>, after: Option<i64>) -> WorkflowChange {
        WorkflowChange {
            id: id.into(),
            status: Status::Changed,
            renamed_from: None,
            before: before.map(Decimal::from),
            after: after.map(Decimal::from),
            changed: vec!["volume"],
            details: Vec::new(),
        }
    }

    fn diff(workflows: Vec<WorkflowChange>) -> Diff {
        Diff {
            base: "main".to_owned(),
            before: None,
            after: None,
            workflows,
            replacements: Vec::new(),
            base_errors: 0,
        }
    }

    #[test]
    fn the_change_chart_draws_the_largest_moves_and_only_when_two_moved() {
        assert_eq!(
            change_chart(&diff(vec![moved("a/one", Some(1), Some(9))])),
            ""
        );
        let mut unchanged = moved("a/same", Some(5), Some(5));
        unchanged.status = Status::Unchanged;
        let chart = change_chart(&diff(vec![
            moved("a/up", Some(10), Some(30)),
            unchanged,
            moved("a/added", None, Some(100)),
            moved("a/down", Some(50), Some(45)),
        ]));
        assert_eq!(
            chart,
            "```mermaid\nxychart-beta\n    title \"Monthly USD of the workflows this change moves most: after (bars), before (line)\"\n    x-axis [\"a/added\", \"a/up\", \"a/down\"]\n    y-axis \"USD a month\" 0 --> 110\n    bar [100.00, 30.00, 45.00]\n    line [0.00, 10.00, 50.00]\n```\n"
        );
    }

    /// Hostile ids: quotes, brackets and a line break cannot end a label or the chart.
    #[test]
    fn hostile_ids_stay_inside_their_chart_labels() {
        let chart = change_chart(&diff(vec![
            moved("x/\"]\n```\nbar [1", Some(1), Some(2)),
            moved("x/b", Some(1), Some(3)),
        ]));
        assert_eq!(chart.matches("```").count(), 2, "{chart}");
        assert_eq!(chart.lines().count(), 8, "{chart}");
        assert!(chart.contains("\"x/'______bar _1\""), "{chart}");
    }
}
