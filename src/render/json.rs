//! The JSON report (SPEC §5, version 1): the contract scripts and `diff --baseline` read.
//!
//! Money and token counts are decimal strings; paths are relative with `/`; lines and columns
//! are 1-based, columns counting characters; `end_column` is exclusive (the column after the
//! last character, as in SARIF). `schemas/report.schema.json` describes it.

use serde::Serialize;

use crate::{Diagnostic, Label, Report};

/// The report document.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub version: u32,
    pub tool: Tool,
    pub as_of: String,
    pub summary: Summary,
    pub workflows: Vec<JsonWorkflow<'a>>,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub manifests: usize,
    pub workflows: usize,
    pub unreadable_workflows: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub passed: bool,
}

#[derive(Debug, Serialize)]
pub struct JsonWorkflow<'a> {
    pub id: &'a str,
    pub file: &'a str,
    pub line: usize,
    pub model: &'a str,
}

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub rule: &'static str,
    pub severity: &'static str,
    #[serde(flatten)]
    pub location: JsonLocation<'a>,
    pub message: &'a str,
    pub help: Option<&'a str>,
    pub workflow: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonRelated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exempted: Option<JsonExemption<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonLocation<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Debug, Serialize)]
pub struct JsonRelated<'a> {
    #[serde(flatten)]
    pub location: JsonLocation<'a>,
    pub message: &'a str,
}

#[derive(Debug, Serialize)]
pub struct JsonExemption<'a> {
    pub reason: &'a str,
    pub approved_by: &'a str,
    pub expires: &'a str,
}

impl<'a> JsonLocation<'a> {
    #[must_use]
    pub fn of(label: &'a Label) -> Self {
        let start = label.start();
        let end = label.end();
        Self {
            file: label.file.path(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

impl<'a> JsonDiagnostic<'a> {
    #[must_use]
    pub fn of(diagnostic: &'a Diagnostic) -> Self {
        Self {
            rule: diagnostic.rule.code,
            severity: diagnostic.severity.as_str(),
            location: JsonLocation::of(&diagnostic.primary),
            message: &diagnostic.message,
            help: diagnostic.help.as_deref(),
            workflow: diagnostic.workflow.as_deref(),
            related: diagnostic
                .related
                .iter()
                .map(|label| JsonRelated {
                    location: JsonLocation::of(label),
                    message: &label.message,
                })
                .collect(),
            exempted: diagnostic.exempted.as_ref().map(|e| JsonExemption {
                reason: &e.reason,
                approved_by: &e.approved_by,
                expires: &e.expires,
            }),
        }
    }
}

impl<'a> JsonReport<'a> {
    #[must_use]
    pub fn of(report: &'a Report, deny_warnings: bool) -> Self {
        let counts = report.counts();
        Self {
            version: 1,
            tool: Tool {
                name: "imgcost",
                version: env!("CARGO_PKG_VERSION"),
            },
            as_of: report.as_of.to_string(),
            summary: Summary {
                manifests: report.manifests,
                workflows: report.workflows.len(),
                unreadable_workflows: report.unreadable_workflows,
                errors: counts.errors,
                warnings: counts.warnings,
                notes: counts.notes,
                passed: report.passed(deny_warnings),
            },
            workflows: report
                .workflows
                .iter()
                .map(|entry| JsonWorkflow {
                    id: &entry.workflow.id,
                    file: &entry.file,
                    line: entry.line,
                    model: &entry.workflow.spec.model,
                })
                .collect(),
            diagnostics: report.diagnostics.iter().map(JsonDiagnostic::of).collect(),
        }
    }
}

/// The report as pretty-printed JSON with a final newline.
#[must_use]
pub fn render(report: &Report, deny_warnings: bool) -> String {
    let mut text =
        serde_json::to_string_pretty(&JsonReport::of(report, deny_warnings)).unwrap_or_default();
    text.push('\n');
    text
}
