//! The JSON report, written: the typed model of `report::json` serialized by serde_json's pretty
//! serializer straight into the output, its lists rendered a chunk at a time in parallel
//! ([`Rendered`]), so that a report of tens of thousands is never held whole; with the `diff`
//! object of `imgcost diff`.

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

use crate::foundation::decimal::Fixed;
use crate::report::Report;
use crate::report::json::{JsonDiff, JsonWorkflowChange, Rendered, WrittenReport};
use crate::run::diff::{Diff, WorkflowChange};

/// The report as pretty-printed JSON with a final newline.
#[must_use]
pub fn render(report: &Report, deny_warnings: bool) -> String {
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(report, None, deny_warnings, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Streams the report (with the diff object when given) to `out`, pretty-printed (two spaces a
/// level) with a final newline.
///
/// # Errors
/// When writing fails.
pub fn write(
    report: &Report,
    diff: Option<&Diff>,
    deny_warnings: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut document = WrittenReport::of(report, deny_warnings);
    document.diff = diff.map(diff_object);
    document
        .serialize(&mut serde_json::Serializer::pretty(&mut *out))
        .map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// The `diff` object of a `diff` report (docs/report-formats.md), its workflows streamed.
fn diff_object(diff: &Diff) -> JsonDiff<'_, Rendered<'_, JsonWorkflowChange<'_>>> {
    JsonDiff {
        base: Cow::Borrowed(&diff.base),
        monthly_usd_before: diff.before.map(|v| Fixed(v, 2)),
        monthly_usd_after: diff.after.map(|v| Fixed(v, 2)),
        delta_usd: diff.delta().map(|v| Fixed(v, 2)),
        delta_percent: diff.percent().map(|v| Fixed(v, 2)),
        base_errors: diff.base_errors,
        workflows: Rendered::new(&diff.workflows, workflow_change, 3),
    }
}

fn workflow_change(change: &WorkflowChange) -> JsonWorkflowChange<'_> {
    JsonWorkflowChange {
        after_usd: change.after.map(|v| Fixed(v, 2)),
        before_usd: change.before.map(|v| Fixed(v, 2)),
        changed: change
            .changed
            .iter()
            .map(|&field| Cow::Borrowed(field))
            .collect(),
        delta_percent: change.percent().map(|v| Fixed(v, 2)),
        delta_usd: Fixed(change.delta(), 2),
        id: Cow::Borrowed(&change.id),
        renamed_from: change.renamed_from.as_deref().map(Cow::Borrowed),
        status: change.status,
    }
}
