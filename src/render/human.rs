//! The terminal renderer: each finding drawn by miette with its source lines, then a summary.
//!
//! Colour follows `--color` (the CLI resolves `auto` against the terminal and `NO_COLOR`);
//! hyperlinks are never emitted, since CI logs show them as raw escape codes.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use crate::{Diagnostic, Label, Report, Severity};

/// How the human renderer draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanStyle {
    pub color: bool,
    /// Print findings only, no summary or tables (`-q`).
    pub quiet: bool,
}

/// Renders findings and the summary line.
#[must_use]
pub fn render(report: &Report, style: HumanStyle, deny_warnings: bool) -> String {
    let mut out = String::new();
    out.push_str(&render_diagnostics(&report.diagnostics, style));
    if !style.quiet {
        out.push_str(&summary(report, deny_warnings));
    }
    out
}

/// Renders a list of findings (also used for invalid policies and rate cards).
#[must_use]
pub fn render_diagnostics(diagnostics: &[Diagnostic], style: HumanStyle) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
        .with_context_lines(1);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let view = View::new(diagnostic);
        // Rendering into a String cannot fail.
        let _ = handler.render_report(&mut out, &view);
        out.push('\n');
    }
    out
}

fn summary(report: &Report, deny_warnings: bool) -> String {
    let counts = report.counts();
    let mut line = String::new();
    let verdict = if report.passed(deny_warnings) {
        "passed"
    } else {
        "failed"
    };
    let _ = write!(
        line,
        "{verdict}: {} manifest{}, {} workflow{}; {} error{}, {} warning{}, {} note{}",
        report.manifests,
        plural(report.manifests),
        report.workflows.len(),
        plural(report.workflows.len()),
        counts.errors,
        plural(counts.errors),
        counts.warnings,
        plural(counts.warnings),
        counts.notes,
        plural(counts.notes),
    );
    if report.unreadable_workflows > 0 {
        let _ = write!(
            line,
            " ({} workflow{} not read because of errors)",
            report.unreadable_workflows,
            plural(report.unreadable_workflows)
        );
    }
    let exempted = report.diagnostics.iter().filter(|d| !d.is_active()).count();
    if exempted > 0 {
        let _ = write!(line, "; {exempted} exempted");
    }
    if deny_warnings && counts.warnings > 0 && counts.errors == 0 {
        line.push_str(" (warnings are denied)");
    }
    line.push('\n');
    line
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// A diagnostic as miette sees it. Labels in the primary file are drawn together; labels in
/// other files become related reports with their own source.
struct View<'a> {
    diagnostic: &'a Diagnostic,
    message: String,
    source: Option<NamedSource<Arc<str>>>,
    elsewhere: Vec<Elsewhere>,
}

struct Elsewhere {
    label: Label,
    source: NamedSource<Arc<str>>,
}

impl<'a> View<'a> {
    fn new(diagnostic: &'a Diagnostic) -> Self {
        let file = &diagnostic.primary.file;
        let severity = if diagnostic.is_active() {
            diagnostic.severity.as_str()
        } else {
            "exempted"
        };
        let mut message = format!(
            "{severity}[{}]: {}",
            diagnostic.rule.code, diagnostic.message
        );
        if let Some(exempted) = &diagnostic.exempted {
            let _ = write!(
                message,
                " [exempted until {}: {}]",
                exempted.expires, exempted.reason
            );
        }
        // A file with no text (unreadable) has nothing to draw; name it in the message.
        let source = if file.text().is_empty() {
            message = format!("{}: {message}", file.path());
            None
        } else {
            Some(NamedSource::new(file.path(), file.shared_text()).with_language("yaml"))
        };
        let elsewhere = diagnostic
            .related
            .iter()
            .filter(|label| label.file.path() != file.path() && !label.file.text().is_empty())
            .map(|label| Elsewhere {
                label: label.clone(),
                source: NamedSource::new(label.file.path(), label.file.shared_text())
                    .with_language("yaml"),
            })
            .collect();
        Self {
            diagnostic,
            message,
            source,
            elsewhere,
        }
    }
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View<'_> {}

impl miette::Diagnostic for View<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error if self.diagnostic.is_active() => miette::Severity::Error,
            Severity::Error | Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let primary = &self.diagnostic.primary;
        let path = primary.file.path();
        let labels = std::iter::once(LabeledSpan::new_primary_with_span(
            Some(primary.message.clone()),
            primary.span.range(),
        ))
        .chain(
            self.diagnostic
                .related
                .iter()
                .filter(move |label| label.file.path() == path)
                .map(|label| {
                    LabeledSpan::new_with_span(Some(label.message.clone()), label.span.range())
                }),
        );
        Some(Box::new(labels))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.elsewhere.is_empty() {
            return None;
        }
        Some(Box::new(
            self.elsewhere.iter().map(|e| e as &dyn miette::Diagnostic),
        ))
    }
}

impl fmt::Debug for Elsewhere {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label.message)
    }
}

impl fmt::Display for Elsewhere {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label.message)
    }
}

impl std::error::Error for Elsewhere {}

impl miette::Diagnostic for Elsewhere {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.message.clone()),
            self.label.span.range(),
        ))))
    }
}
