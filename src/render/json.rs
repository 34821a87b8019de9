//! The JSON report, written: the typed model of `report::json` streamed into a writer, its
//! lists of workflows and findings a chunk at a time in parallel, so that a report of tens of
//! thousands is never held whole; and the `diff` object of `imgcost diff`.

use rayon::prelude::*;
use serde::Serialize;

use crate::foundation::decimal::Fixed;
use crate::report::Report;
use crate::report::json::{JsonDiagnostic, JsonReport, JsonWorkflow};

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
    diff: Option<&crate::run::diff::Diff>,
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

/// The `diff` object of a `diff` report (docs/report-formats.md), without its `workflows` list, which is
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
    pub fn of(diff: &'a crate::run::diff::Diff) -> Self {
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
    pub fn of(change: &'a crate::run::diff::WorkflowChange) -> Self {
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
