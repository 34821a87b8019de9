//! The JSON report (SPEC §5, version 1): the contract scripts and `diff --baseline` read.
//!
//! Money and token counts are decimal strings; paths are relative with `/`; lines and columns
//! are 1-based, columns counting characters; `end_column` is exclusive (the column after the
//! last character, as in SARIF). `schemas/report.schema.json` describes it.

use rayon::prelude::*;
use serde::Serialize;

use crate::decimal::{Fixed, Plain, format_fixed};
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
}

/// serde_json's pretty layout (two spaces a level), started at a given depth, so that a part of
/// the report can be rendered on its own and spliced in place.
struct Indented {
    level: usize,
    has_value: bool,
}

impl Indented {
    fn indent(&self, writer: &mut (impl std::io::Write + ?Sized)) -> std::io::Result<()> {
        // One write for the depths a report has, rather than one a level.
        const SPACES: &[u8; 16] = b"                ";
        let mut width = 2 * self.level;
        while width > 0 {
            let part = width.min(SPACES.len());
            writer.write_all(&SPACES[..part])?;
            width -= part;
        }
        Ok(())
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open(
        &mut self,
        writer: &mut (impl std::io::Write + ?Sized),
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// `]` or `}`: on a line of its own unless the container is empty.
    fn close(
        &mut self,
        writer: &mut (impl std::io::Write + ?Sized),
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    /// Before an array item or an object key: a comma after the previous one, a new line.
    fn next_item(
        &self,
        writer: &mut (impl std::io::Write + ?Sized),
        first: bool,
    ) -> std::io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next_item(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next_item(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` pretty-printed (serde_json's layout) as it would be at depth `level` of a document.
pub(crate) fn pretty_at(
    value: &impl Serialize,
    level: usize,
    buffer: &mut Vec<u8>,
) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(
        buffer,
        Indented {
            level,
            has_value: false,
        },
    );
    value
        .serialize(&mut serializer)
        .map_err(std::io::Error::other)
}

/// Items rendered at once: bounds the memory of a chunk to a few megabytes.
const CHUNK: usize = 2048;

/// Writes a list of a JSON document at depth `level` (serde_json's pretty layout): its items
/// are rendered in parallel, a chunk at a time, then written in order, so that a list of fifty
/// thousand items is neither built whole in memory nor serialized on one core. The SARIF log
/// writes its results with it too.
pub(crate) fn write_list<'a, T: Sync + 'a, J: Serialize>(
    items: &'a [T],
    json: impl Fn(&'a T) -> J + Sync,
    level: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    let separator = format!(",\n{}", "  ".repeat(level + 1));
    out.write_all(b"[")?;
    for (index, chunk) in items.chunks(CHUNK).enumerate() {
        let rendered: Vec<std::io::Result<Vec<u8>>> = chunk
            .par_iter()
            .map(|item| {
                let mut buffer = Vec::with_capacity(2048);
                pretty_at(&json(item), level + 1, &mut buffer).map(|()| buffer)
            })
            .collect();
        for (offset, item) in rendered.into_iter().enumerate() {
            let first = index == 0 && offset == 0;
            // The first item has no comma before it.
            out.write_all(&separator.as_bytes()[usize::from(first)..])?;
            out.write_all(&item?)?;
        }
    }
    write!(out, "\n{}]", "  ".repeat(level))
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

/// The report as pretty-printed JSON with a final newline.
#[must_use]
pub fn render(report: &Report, deny_warnings: bool) -> String {
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(report, None, deny_warnings, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Streams the report (with the diff object when given) to `out`: the header as one
/// pretty-printed object, then the workflows and findings list by list, as they are rendered.
///
/// # Errors
/// When writing fails.
pub fn write(
    report: &Report,
    diff: Option<&crate::diff::Diff>,
    deny_warnings: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut header = Vec::new();
    pretty_at(&JsonReport::of(report, deny_warnings), 0, &mut header)?;
    // The header ends with its closing "\n}": the lists continue the same object.
    header.truncate(header.len().saturating_sub(2));
    out.write_all(&header)?;
    out.write_all(b",\n  \"workflows\": ")?;
    write_list(&report.workflows, JsonWorkflow::of, 1, out)?;
    out.write_all(b",\n  \"diagnostics\": ")?;
    write_list(&report.diagnostics, JsonDiagnostic::of, 1, out)?;
    if let Some(diff) = diff {
        let mut header = Vec::new();
        pretty_at(&JsonDiff::of(diff), 1, &mut header)?;
        // As above: the header's closing "\n  }" comes after the list.
        header.truncate(header.len().saturating_sub(4));
        out.write_all(b",\n  \"diff\": ")?;
        out.write_all(&header)?;
        out.write_all(b",\n    \"workflows\": ")?;
        write_list(&diff.workflows, JsonWorkflowChange::of, 2, out)?;
        out.write_all(b"\n  }")?;
    }
    out.write_all(b"\n}\n")
}

/// The `diff` object of a `diff` report (SPEC §5), without its `workflows` list, which is
/// written after it.
#[derive(Debug, Serialize)]
pub struct JsonDiff<'a> {
    pub base: &'a str,
    pub monthly_usd_before: Option<Fixed>,
    pub monthly_usd_after: Option<Fixed>,
    pub delta_usd: Option<Fixed>,
    pub delta_percent: Option<Fixed>,
    pub base_errors: usize,
}

impl<'a> JsonDiff<'a> {
    #[must_use]
    pub fn of(diff: &'a crate::diff::Diff) -> Self {
        Self {
            base: &diff.base,
            monthly_usd_before: diff.before.map(|v| Fixed(v, 2)),
            monthly_usd_after: diff.after.map(|v| Fixed(v, 2)),
            delta_usd: diff.delta().map(|v| Fixed(v, 2)),
            delta_percent: diff.percent().map(|v| Fixed(v, 2)),
            base_errors: diff.base_errors,
        }
    }
}

/// One workflow's change (fields in alphabetical order, as in every object of the report).
#[derive(Debug, Serialize)]
pub struct JsonWorkflowChange<'a> {
    pub after_usd: Option<Fixed>,
    pub before_usd: Option<Fixed>,
    pub changed: &'a [&'static str],
    pub delta_percent: Option<Fixed>,
    pub delta_usd: Fixed,
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<&'a str>,
    pub status: &'static str,
}

impl<'a> JsonWorkflowChange<'a> {
    #[must_use]
    pub fn of(change: &'a crate::diff::WorkflowChange) -> Self {
        Self {
            after_usd: change.after.map(|v| Fixed(v, 2)),
            before_usd: change.before.map(|v| Fixed(v, 2)),
            changed: &change.changed,
            delta_percent: change.percent().map(|v| Fixed(v, 2)),
            delta_usd: Fixed(change.delta(), 2),
            id: &change.id,
            renamed_from: change.renamed_from.as_deref(),
            status: change.status.as_str(),
        }
    }
}
