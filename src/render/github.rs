//! GitHub Actions workflow commands: one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=IC201::…`), then a short plain
//! summary for the log. Messages and properties are escaped as `@actions/core` does.
//!
//! GitHub shows at most 10 error, 10 warning and 10 notice annotations of a step and silently
//! drops the rest, so at most those are written: errors first, then warnings, then notices, and
//! within each kind the findings in files the change touched (when known) before the others.
//! One more notice says how many were left out and where the whole list is.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::foundation::{Diagnostic, Severity};

use crate::report::Report;

/// `%`, CR and LF, as in `escapeData`.
fn escape_data(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// `escapeData` plus `:` and `,`, as in `escapeProperty`.
fn escape_property(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// Borrows when nothing needs escaping, as in nearly every annotation of a large run.
fn escape(text: &str, property: bool) -> Cow<'_, str> {
    let special = |c: char| matches!(c, '%' | '\r' | '\n') || (property && matches!(c, ':' | ','));
    if !text.contains(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Annotations GitHub shows per kind (error, warning, notice) and step.
pub const PER_KIND: usize = 10;

/// The kinds of annotation, in the order they are written.
const KINDS: [&str; 3] = ["error", "warning", "notice"];

/// The index in [`KINDS`] of a finding's annotation: exempted findings are notices.
fn kind(diagnostic: &Diagnostic) -> usize {
    match (diagnostic.severity, diagnostic.is_active()) {
        (_, false) | (Severity::Note, true) => 2,
        (Severity::Warning, true) => 1,
        (Severity::Error, true) => 0,
    }
}

fn annotation(diagnostic: &Diagnostic) -> String {
    let command = KINDS[kind(diagnostic)];
    let start = diagnostic.primary.start();
    let end = diagnostic.primary.end();
    let mut message = diagnostic.message.to_string();
    if let Some(exempted) = &diagnostic.exempted {
        message = format!(
            "exempted until {} ({}): {message}",
            exempted.expires, exempted.reason
        );
    }
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        escape_property(diagnostic.primary.file.path()),
        start.line,
        start.column,
        end.line,
        end.column,
        escape_property(&format!(
            "{} {}",
            diagnostic.rule.code, diagnostic.rule.name
        )),
        escape_data(&message)
    )
}

/// Annotations for the findings, within GitHub's limits, with no file known to be touched.
#[must_use]
pub fn annotations(report: &Report) -> String {
    annotations_touching(report, &|_| false)
}

/// Annotations for the findings, within GitHub's limits: per kind, the findings in files for
/// which `touched` is true first, each group in report order; then, when some were left out, one
/// notice (counted in the notices' 10) saying how many.
#[must_use]
pub fn annotations_touching(report: &Report, touched: &dyn Fn(&str) -> bool) -> String {
    let mut by_kind: [Vec<&Diagnostic>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for diagnostic in &report.diagnostics {
        by_kind[kind(diagnostic)].push(diagnostic);
    }
    for findings in &mut by_kind {
        // Stable: report order within each group.
        findings.sort_by_key(|d| !touched(d.primary.file.path()));
    }
    let mut shown = by_kind
        .each_ref()
        .map(|findings| findings.len().min(PER_KIND));
    let omitted =
        |shown: &[usize; 3]| -> [usize; 3] { [0, 1, 2].map(|k| by_kind[k].len() - shown[k]) };
    if omitted(&shown).iter().any(|&n| n > 0) && shown[2] == PER_KIND {
        // The notice about what was left out takes the place of the tenth notice.
        shown[2] -= 1;
    }
    let mut out = String::new();
    for (findings, &count) in by_kind.iter().zip(&shown) {
        for diagnostic in &findings[..count] {
            out.push_str(&annotation(diagnostic));
        }
    }
    let left_out = omitted(&shown);
    let total: usize = left_out.iter().sum();
    if total > 0 {
        let _ = writeln!(
            out,
            "::notice title=imgcost::{total} more finding(s) not annotated ({} error(s), {} warning(s), {} note(s)): GitHub shows {PER_KIND} annotations of each kind per step. Every finding is in the job summary and the SARIF report (`--format markdown`, `--format sarif`).",
            left_out[0], left_out[1], left_out[2]
        );
    }
    out
}

/// Annotations and the log summary of `check`.
#[must_use]
pub fn render(report: &Report, deny_warnings: bool) -> String {
    render_touching(report, deny_warnings, &|_| false)
}

/// As [`render`], findings in files for which `touched` is true annotated first.
#[must_use]
pub fn render_touching(
    report: &Report,
    deny_warnings: bool,
    touched: &dyn Fn(&str) -> bool,
) -> String {
    let mut out = annotations_touching(report, touched);
    let counts = report.counts();
    let verdict = if report.passed(deny_warnings) {
        "passed"
    } else {
        "failed"
    };
    let _ = writeln!(
        out,
        "imgcost {verdict}: {} a month across {} workflow(s) in {} manifest(s); {} error(s), {} warning(s), {} note(s) (rate card {}, as of {})",
        crate::foundation::decimal::format_total(report.monthly_usd()),
        report.workflows.len(),
        report.manifest_count,
        counts.errors,
        counts.warnings,
        counts.notes,
        report.ratecard.id,
        report.as_of
    );
    let _ = writeln!(
        out,
        "imgcost {}",
        super::policy_provenance(&report.policies, |text| {
            crate::foundation::printable(text).into_owned()
        })
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_actions_core() {
        assert_eq!(escape_data("50%\nnext\r"), "50%25%0Anext%0D");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert!(matches!(
            escape_property("apps/shop/imgcost.yaml"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(escape_data("a: b, c"), Cow::Borrowed(_)));
    }
}
