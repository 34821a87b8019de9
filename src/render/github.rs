//! GitHub Actions workflow commands: one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=IC201::…`), then a short plain
//! summary for the log. Messages and properties are escaped as `@actions/core` does.

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

fn annotation(diagnostic: &Diagnostic) -> String {
    let command = match (diagnostic.severity, diagnostic.is_active()) {
        (_, false) | (Severity::Note, true) => "notice",
        (Severity::Warning, true) => "warning",
        (Severity::Error, true) => "error",
    };
    let start = diagnostic.primary.start();
    let end = diagnostic.primary.end();
    let mut message = diagnostic.message.clone();
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

/// Annotations for every finding.
#[must_use]
pub fn annotations(report: &Report) -> String {
    report.diagnostics.iter().map(annotation).collect()
}

/// Annotations and the log summary of `check`.
#[must_use]
pub fn render(report: &Report, deny_warnings: bool) -> String {
    let mut out = annotations(report);
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
