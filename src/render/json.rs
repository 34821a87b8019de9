//! The JSON report (SPEC §5, version 1): the contract scripts and `diff --baseline` read.
//!
//! Money and token counts are decimal strings; paths are relative with `/`; lines and columns
//! are 1-based, columns counting characters; `end_column` is exclusive (the column after the
//! last character, as in SARIF). `schemas/report.schema.json` describes it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::decimal::{format_fixed, format_plain};
use crate::{Diagnostic, Label, Report, WorkflowEntry};

/// The report document.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub version: u32,
    pub tool: Tool,
    pub as_of: String,
    pub ratecard: &'a str,
    pub policies: Vec<&'a str>,
    pub summary: Summary,
    pub workflows: Vec<JsonWorkflow<'a>>,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    /// `imgcost diff` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<serde_json::Value>,
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
    /// Workflows left out of `monthly_usd` because of errors in them.
    pub unpriced_workflows: usize,
    pub monthly_usd: String,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub passed: bool,
}

/// A workflow. The money fields are `null` when it could not be priced.
#[derive(Debug, Serialize)]
pub struct JsonWorkflow<'a> {
    pub id: &'a str,
    pub file: &'a str,
    pub line: usize,
    pub model: &'a str,
    pub endpoint: &'static str,
    pub tier: Option<&'static str>,
    pub quality: Option<&'static str>,
    pub size: Option<String>,
    pub n: u32,
    pub monthly_usd: Option<String>,
    pub per_accepted_image_usd: Option<String>,
    pub budget_usd: Option<String>,
    pub confidence: Option<&'static str>,
    pub volume: Option<BTreeMap<&'static str, String>>,
    pub tokens: Option<BTreeMap<&'static str, Option<String>>>,
    pub cost_usd: Option<BTreeMap<&'static str, String>>,
}

impl<'a> JsonWorkflow<'a> {
    #[must_use]
    pub fn of(entry: &'a WorkflowEntry) -> Self {
        let spec = &entry.workflow.spec;
        let projection = entry.projection.as_ref();
        Self {
            id: &entry.workflow.id,
            file: entry.file.path(),
            line: entry.line,
            model: projection.map_or(spec.model.as_str(), |p| p.model.as_str()),
            endpoint: spec.endpoint.as_str(),
            tier: projection.map(|p| p.tier.as_str()),
            quality: projection.map(|p| p.quality.as_str()),
            size: projection.map(|p| p.size.to_string()),
            n: spec.request.n,
            monthly_usd: projection.map(|p| format_fixed(p.monthly_usd, 2)),
            per_accepted_image_usd: projection
                .and_then(|p| p.per_accepted_image_usd)
                .map(|v| format_fixed(v, 4)),
            budget_usd: entry.budget_usd().map(|v| format_fixed(v, 2)),
            confidence: projection.map(|p| p.confidence.as_str()),
            volume: projection.map(|p| {
                BTreeMap::from([
                    ("attempts", format_plain(p.attempts)),
                    ("images", format_plain(p.images)),
                    ("accepted_images", format_plain(p.accepted_images)),
                ])
            }),
            tokens: projection.map(|p| {
                p.tokens
                    .entries()
                    .into_iter()
                    .map(|(kind, value)| {
                        let known = kind != "image_output" || p.image_output_tokens_known;
                        (kind, known.then(|| format_plain(value)))
                    })
                    .collect()
            }),
            cost_usd: projection.map(|p| {
                let mut costs: BTreeMap<&'static str, String> = p
                    .cost
                    .entries()
                    .into_iter()
                    .filter(|(kind, _)| !kind.starts_with("mainline"))
                    .map(|(kind, value)| (kind, format_fixed(value, 2)))
                    .collect();
                costs.insert("mainline", format_fixed(p.cost.mainline(), 2));
                costs
            }),
        }
    }
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
            ratecard: &report.ratecard.id,
            policies: report.policies.iter().map(String::as_str).collect(),
            summary: Summary {
                manifests: report.manifest_count,
                workflows: report.workflows.len(),
                unpriced_workflows: report.unpriced_workflows(),
                monthly_usd: format_fixed(report.monthly_usd(), 2),
                errors: counts.errors,
                warnings: counts.warnings,
                notes: counts.notes,
                passed: report.passed(deny_warnings),
            },
            workflows: report.workflows.iter().map(JsonWorkflow::of).collect(),
            diagnostics: report.diagnostics.iter().map(JsonDiagnostic::of).collect(),
            diff: None,
        }
    }
}

/// The report as pretty-printed JSON with a final newline.
#[must_use]
pub fn render(report: &Report, deny_warnings: bool) -> String {
    finish(&JsonReport::of(report, deny_warnings))
}

/// The report of a diff: the head's report plus the `diff` object.
#[must_use]
pub fn render_diff(report: &Report, diff: &crate::diff::Diff, deny_warnings: bool) -> String {
    let mut json = JsonReport::of(report, deny_warnings);
    json.diff = Some(crate::diff::json(diff));
    finish(&json)
}

fn finish(json: &JsonReport<'_>) -> String {
    let mut text = serde_json::to_string_pretty(json).unwrap_or_default();
    text.push('\n');
    text
}
