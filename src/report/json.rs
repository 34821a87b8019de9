//! The JSON report as data: the typed model of what `--format json` writes and `diff
//! --baseline` reads back (schemas/report.schema.json; docs/report-formats.md).
//!
//! Money and token counts are decimal strings; paths are relative with `/`; lines and columns
//! are 1-based, columns counting characters; `end_column` is exclusive (the column after the
//! last character, as in SARIF). Fields are in the order the report writes them. The writer
//! (`render::json`) streams these values; `run::diff` compares workflows in this form, so that
//! a base from git and a saved report compare alike.

use serde::Serialize;

use crate::foundation::decimal::{Fixed, Plain, format_fixed};
use crate::foundation::{Diagnostic, Label};
use crate::report::{Report, WorkflowEntry};

/// The report document.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub version: u32,
    pub tool: Tool,
    pub as_of: String,
    pub ratecard: &'a str,
    pub policies: Vec<&'a str>,
    pub summary: Summary,
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
    pub monthly_usd: Option<String>,
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
    pub monthly_usd: Option<Fixed>,
    pub per_accepted_image_usd: Option<Fixed>,
    pub budget_usd: Option<Fixed>,
    pub confidence: Option<&'static str>,
    pub volume: Option<JsonVolume>,
    pub tokens: Option<JsonTokens>,
    pub cost_usd: Option<JsonCosts>,
}

/// Monthly volumes (fields in alphabetical order, as in every object of the report).
#[derive(Debug, Serialize)]
pub struct JsonVolume {
    pub accepted_images: Plain,
    pub attempts: Plain,
    pub images: Plain,
}

/// Monthly tokens by kind; `image_output` is `null` for per-image-priced models.
#[derive(Debug, Serialize)]
pub struct JsonTokens {
    pub cached_image_input: Plain,
    pub cached_text_input: Plain,
    pub image_input: Plain,
    pub image_output: Option<Plain>,
    pub mainline_cached_input: Plain,
    pub mainline_input: Plain,
    pub mainline_output: Plain,
    pub text_input: Plain,
    pub text_output: Plain,
}

/// Monthly cost by kind, the mainline text model together.
#[derive(Debug, Serialize)]
pub struct JsonCosts {
    pub cached_image_input: Fixed,
    pub cached_text_input: Fixed,
    pub image_input: Fixed,
    pub image_output: Fixed,
    pub mainline: Fixed,
    pub text_input: Fixed,
    pub text_output: Fixed,
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
            monthly_usd: projection.map(|p| Fixed(p.monthly_usd, 2)),
            per_accepted_image_usd: projection
                .and_then(|p| p.per_accepted_image_usd)
                .map(|v| Fixed(v, 4)),
            budget_usd: entry.budget_usd().map(|v| Fixed(v, 2)),
            confidence: projection.map(|p| p.confidence.as_str()),
            volume: projection.map(|p| JsonVolume {
                accepted_images: Plain(p.accepted_images),
                attempts: Plain(p.attempts),
                images: Plain(p.images),
            }),
            tokens: projection.map(|p| {
                let t = &p.tokens;
                JsonTokens {
                    cached_image_input: Plain(t.cached_image_input),
                    cached_text_input: Plain(t.cached_text_input),
                    image_input: Plain(t.image_input),
                    image_output: p.image_output_tokens_known.then_some(Plain(t.image_output)),
                    mainline_cached_input: Plain(t.mainline_cached_input),
                    mainline_input: Plain(t.mainline_input),
                    mainline_output: Plain(t.mainline_output),
                    text_input: Plain(t.text_input),
                    text_output: Plain(t.text_output),
                }
            }),
            cost_usd: projection.map(|p| {
                let c = &p.cost;
                JsonCosts {
                    cached_image_input: Fixed(c.cached_image_input, 2),
                    cached_text_input: Fixed(c.cached_text_input, 2),
                    image_input: Fixed(c.image_input, 2),
                    image_output: Fixed(c.image_output, 2),
                    mainline: Fixed(c.mainline(), 2),
                    text_input: Fixed(c.text_input, 2),
                    text_output: Fixed(c.text_output, 2),
                }
            }),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub rule: &'static str,
    pub severity: &'static str,
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: &'a str,
    pub help: Option<&'a str>,
    pub workflow: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonRelated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exempted: Option<JsonExemption<'a>>,
}

/// A place in a file (a diagnostic's related place).
#[derive(Debug, Serialize)]
pub struct JsonRelated<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: &'a str,
}

#[derive(Debug, Serialize)]
pub struct JsonExemption<'a> {
    pub reason: &'a str,
    pub approved_by: &'a str,
    pub expires: &'a str,
}

/// Start and end (exclusive) of a label, 1-based.
fn position(label: &Label) -> (usize, usize, usize, usize) {
    let start = label.start();
    let end = label.end();
    (start.line, start.column, end.line, end.column)
}

impl<'a> JsonDiagnostic<'a> {
    #[must_use]
    pub fn of(diagnostic: &'a Diagnostic) -> Self {
        let (line, column, end_line, end_column) = position(&diagnostic.primary);
        Self {
            rule: diagnostic.rule.code,
            severity: diagnostic.severity.as_str(),
            file: diagnostic.primary.file.path(),
            line,
            column,
            end_line,
            end_column,
            message: &diagnostic.message,
            help: diagnostic.help.as_deref(),
            workflow: diagnostic.workflow.as_deref(),
            related: diagnostic
                .related
                .iter()
                .map(|label| {
                    let (line, column, end_line, end_column) = position(label);
                    JsonRelated {
                        file: label.file.path(),
                        line,
                        column,
                        end_line,
                        end_column,
                        message: &label.message,
                    }
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
                monthly_usd: report.monthly_usd().map(|v| format_fixed(v, 2)),
                errors: counts.errors,
                warnings: counts.warnings,
                notes: counts.notes,
                passed: report.passed(deny_warnings),
            },
        }
    }
}
