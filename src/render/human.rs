//! The terminal renderer: each finding drawn by miette with its source lines, then a summary.
//!
//! Each finding is drawn from a `Snippet` of its file, which keeps what one finding prints
//! bounded however long the file's lines are. A file the run kept only the lines of is read
//! again when its findings are drawn, through the [`ReadAgain`] the caller gives (renderers
//! read no files), and dropped once they are.
//!
//! Colour follows `--color` (the CLI resolves `auto` against the terminal and `NO_COLOR`);
//! hyperlinks are never emitted, since CI logs show them as raw escape codes.

mod snippet;

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::io;
use std::sync::Arc;

use rayon::prelude::*;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use snippet::{CONTEXT_LINES, Snippet};

pub use crate::foundation::decimal::format_usd as usd;
use crate::foundation::{Diagnostic, Label, ReadAgain, Severity, SourceFile};
use crate::pricing::{Confidence, Tier};
use crate::report::{Report, WorkflowEntry};

/// How the human renderer draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanStyle {
    pub color: bool,
    /// Print findings only, no summary or tables (`-q`).
    pub quiet: bool,
}

/// Writes findings, the cost table and the summary line. Files the run kept only the lines of
/// are read through `read_again` (see [`write_diagnostics`]).
///
/// # Errors
/// When writing fails, or a file read again is not the one checked (an [`io::Error`] holding
/// the [`crate::Error`]).
pub fn write(
    report: &Report,
    style: HumanStyle,
    deny_warnings: bool,
    read_again: Option<&ReadAgain>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    write_diagnostics(&report.diagnostics, style, read_again, out)?;
    if !style.quiet {
        write_cost_table(report, out)?;
        out.write_all(summary(report, deny_warnings).as_bytes())?;
    }
    Ok(())
}

/// A plain text table with left-aligned text and right-aligned numbers.
#[must_use]
pub fn table(header: &[&str], rows: &[Vec<String>], right_aligned: &[usize]) -> String {
    let mut packed = Rows::default();
    for row in rows {
        for cell in row {
            packed.cell(cell);
        }
        packed.end_row();
    }
    let mut widths = Widths::of(header);
    for row in packed.iter() {
        widths.widen(row);
    }
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and every cell is a `str`.
    let _ = widths
        .write_head(header, right_aligned, &mut out)
        .and_then(|()| {
            packed
                .iter()
                .try_for_each(|row| widths.write_row(row, right_aligned, &mut out))
        });
    String::from_utf8(out).unwrap_or_default()
}

/// The rows of a text table, their cells kept in one string: the cost table of fifty thousand
/// workflows held as a `String` a cell took more memory than the rest of the run's report.
#[derive(Debug, Default)]
struct Rows {
    text: String,
    /// Where each cell ends in `text`.
    cell_ends: Vec<usize>,
    /// Where each row ends in `cell_ends`.
    row_ends: Vec<usize>,
}

impl Rows {
    /// Adds a cell to the row being written.
    fn cell(&mut self, text: impl fmt::Display) {
        let _ = write!(self.text, "{text}");
        self.cell_ends.push(self.text.len());
    }

    /// Ends the row being written.
    fn end_row(&mut self) {
        self.row_ends.push(self.cell_ends.len());
    }

    fn clear(&mut self) {
        self.text.clear();
        self.cell_ends.clear();
        self.row_ends.clear();
    }

    fn iter(&self) -> impl Iterator<Item = impl Iterator<Item = &str>> {
        let mut first_cell = 0;
        self.row_ends.iter().map(move |&row_end| {
            let cells = first_cell..row_end;
            first_cell = row_end;
            cells.map(|cell| {
                let start = if cell == 0 {
                    0
                } else {
                    self.cell_ends[cell - 1]
                };
                &self.text[start..self.cell_ends[cell]]
            })
        })
    }
}

/// The width of each column of a plain text table, in characters, and its lines written with
/// left-aligned text and right-aligned numbers.
struct Widths {
    widths: Vec<usize>,
    /// One line, reused for each.
    line: String,
}

impl Widths {
    fn of(header: &[&str]) -> Self {
        Self {
            widths: header.iter().map(|h| h.chars().count()).collect(),
            line: String::new(),
        }
    }

    /// Makes room for a row's cells.
    fn widen<'a>(&mut self, row: impl Iterator<Item = &'a str>) {
        for (width, cell) in self.widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }

    /// Writes the header and the rule under it.
    fn write_head(
        &mut self,
        header: &[&str],
        right_aligned: &[usize],
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        self.write_row(header.iter().copied(), right_aligned, out)?;
        let rules: Vec<String> = self.widths.iter().map(|w| "─".repeat(*w)).collect();
        self.write_row(rules.iter().map(String::as_str), right_aligned, out)
    }

    fn write_row<'a>(
        &mut self,
        cells: impl Iterator<Item = &'a str>,
        right_aligned: &[usize],
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        let text = &mut self.line;
        text.clear();
        text.push(' ');
        for (i, (cell, width)) in cells.zip(&self.widths).enumerate() {
            let pad = width - cell.chars().count();
            if right_aligned.contains(&i) {
                text.extend(std::iter::repeat_n(' ', pad));
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.extend(std::iter::repeat_n(' ', pad));
            }
            text.push_str("  ");
        }
        text.truncate(text.trim_end().len());
        text.push('\n');
        out.write_all(text.as_bytes())
    }
}

/// The cost table. It has a row for every workflow of the run, so each row is formatted twice,
/// once to measure the columns and once to write it, rather than all of them held: fifty
/// thousand rows held took more memory at the end of a run than the report.
fn write_cost_table(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    if report.workflows.is_empty() {
        return Ok(());
    }
    const HEADER: [&str; 6] = [
        "workflow",
        "model",
        "request",
        "monthly",
        "per image",
        "budget",
    ];
    const RIGHT_ALIGNED: [usize; 3] = [3, 4, 5];
    let mut row = Rows::default();
    let mut widths = Widths::of(&HEADER);
    let mut low_confidence = false;
    for entry in &report.workflows {
        row.clear();
        low_confidence |= cost_row(entry, &mut row);
        row.iter().for_each(|cells| widths.widen(cells));
    }
    write!(
        out,
        "Monthly cost (rate card {}, as of {})\n\n",
        report.ratecard.id, report.as_of
    )?;
    widths.write_head(&HEADER, &RIGHT_ALIGNED, out)?;
    for entry in &report.workflows {
        row.clear();
        cost_row(entry, &mut row);
        for cells in row.iter() {
            widths.write_row(cells, &RIGHT_ALIGNED, out)?;
        }
    }
    let total = crate::foundation::decimal::format_total(report.monthly_usd());
    writeln!(out, "\n Total: {total} a month")?;
    if low_confidence {
        out.write_all(b" ~ low-confidence estimate (see IC405)\n")?;
    }
    out.write_all(b"\n")
}

/// The cost table's row of a workflow, into `row`; whether its estimate is of low confidence.
fn cost_row(entry: &WorkflowEntry, row: &mut Rows) -> bool {
    let mut low_confidence = false;
    row.cell(&entry.workflow.id);
    match &entry.projection {
        Some(p) => {
            let marker = if p.confidence == Confidence::Low {
                low_confidence = true;
                " ~"
            } else {
                ""
            };
            row.cell(&p.model);
            row.cell(format_args!(
                "{} {} ×{}{}",
                p.quality,
                p.size,
                p.n,
                if p.tier == Tier::Batch { " batch" } else { "" }
            ));
            row.cell(format_args!("{}{marker}", usd(p.monthly_usd, 2)));
            match p.per_accepted_image_usd {
                Some(v) => row.cell(usd(v, 4)),
                None => row.cell("-"),
            }
        }
        None => {
            row.cell(crate::foundation::printable(&entry.workflow.spec.model));
            row.cell("not priced (see above)");
            row.cell("-");
            row.cell("-");
        }
    }
    match entry.budget_usd() {
        Some(v) => row.cell(usd(v, 2)),
        None => row.cell("-"),
    }
    row.end_row();
    low_confidence
}

/// Renders a list of findings (also used for invalid policies and rate cards), from the texts
/// their files kept.
#[must_use]
pub fn render_diagnostics<D: Borrow<Diagnostic> + Sync>(
    diagnostics: &[D],
    style: HumanStyle,
) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, nothing is read again, and miette writes only UTF-8.
    let _ = write_diagnostics(diagnostics, style, None, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Findings drawn at once: enough to keep both cores busy, few enough that a run with tens of
/// thousands of findings never holds all their text twice.
const CHUNK: usize = 1024;

/// Bytes of texts read again for one chunk, beyond which it ends early (a chunk of findings in
/// a thousand different 1 MiB files would otherwise hold a gigabyte).
const CHUNK_TEXT_BYTES: usize = 32 << 20;

/// Writes findings in order. They are drawn independently, in parallel, a chunk at a time. A
/// file that kept only its lines is drawn from its text read again with `read_again`, once a
/// chunk, and dropped after its chunk; without `read_again` (or without an origin) its findings
/// name the file instead of drawing it.
///
/// # Errors
/// When writing fails, or a file cannot be read again as it was checked: the [`io::Error`]
/// then holds the [`crate::Error`], and nothing of that chunk is written.
pub fn write_diagnostics<D: Borrow<Diagnostic> + Sync>(
    diagnostics: &[D],
    style: HumanStyle,
    read_again: Option<&ReadAgain>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_show_related_as_nested(true)
        .with_width(100)
        .with_context_lines(CONTEXT_LINES);
    let mut rest = diagnostics;
    while !rest.is_empty() {
        let (files, len) = next_chunk(rest, read_again.is_some());
        let (chunk, after) = rest.split_at(len);
        rest = after;
        let texts = match read_again {
            Some(read_again) => read_texts(&files, read_again)?,
            None => HashMap::new(),
        };
        let drawn: Vec<String> = chunk
            .par_iter()
            .map(|diagnostic| {
                let mut text = String::new();
                // Rendering into a String cannot fail.
                let _ = handler.render_report(&mut text, &View::new(diagnostic.borrow(), &texts));
                text.push('\n');
                text
            })
            .collect();
        for text in drawn {
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// Texts read again, by the address of the copy without its text that findings hold.
type ReadTexts = HashMap<usize, SourceFile>;

/// The address that keys a file in [`ReadTexts`].
fn address(file: &Arc<SourceFile>) -> usize {
    Arc::as_ptr(file).addr()
}

/// `file`, or its text read again.
fn text_of<'t>(texts: &'t ReadTexts, file: &'t Arc<SourceFile>) -> &'t SourceFile {
    texts.get(&address(file)).unwrap_or(file)
}

/// How many of `diagnostics` the next chunk draws, and the files without their text it draws
/// (each once, in the order first met), when they are to be read again.
fn next_chunk<D: Borrow<Diagnostic>>(
    diagnostics: &[D],
    reading: bool,
) -> (Vec<&Arc<SourceFile>>, usize) {
    if !reading {
        return (Vec::new(), diagnostics.len().min(CHUNK));
    }
    let (mut files, mut seen, mut bytes) = (Vec::new(), HashSet::new(), 0);
    for (index, diagnostic) in diagnostics.iter().take(CHUNK).enumerate() {
        let diagnostic = diagnostic.borrow();
        if bytes > CHUNK_TEXT_BYTES {
            return (files, index);
        }
        let labels = std::iter::once(&diagnostic.primary).chain(&diagnostic.related);
        for file in labels.map(|label| &label.file) {
            if file.text().is_none() && file.origin().is_some() && seen.insert(address(file)) {
                bytes += file.len();
                files.push(file);
            }
        }
    }
    (files, diagnostics.len().min(CHUNK))
}

/// Reads `files` again, in parallel. The first that fails (in the order given) fails all.
fn read_texts(files: &[&Arc<SourceFile>], read_again: &ReadAgain) -> io::Result<ReadTexts> {
    let read: Vec<_> = files.par_iter().map(|file| read_again(file)).collect();
    files
        .iter()
        .zip(read)
        .map(|(file, again)| Ok((address(file), again.map_err(io::Error::other)?)))
        .collect()
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
        report.manifest_count,
        plural(report.manifest_count),
        report.workflows.len(),
        plural(report.workflows.len()),
        counts.errors,
        plural(counts.errors),
        counts.warnings,
        plural(counts.warnings),
        counts.notes,
        plural(counts.notes),
    );
    let unpriced = report.unpriced_workflows();
    if unpriced > 0 {
        let _ = write!(
            line,
            " ({unpriced} workflow{} not priced because of errors)",
            plural(unpriced)
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
    line.push_str(&super::policy_provenance(&report.policies, |text| {
        crate::foundation::printable(text).into_owned()
    }));
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
    /// The primary file's lines around the primary label and the related ones in that file.
    source: Option<Snippet>,
    elsewhere: Vec<Elsewhere>,
}

struct Elsewhere {
    label: Label,
    source: Snippet,
}

impl<'a> View<'a> {
    /// The view of `diagnostic`, drawn from `texts` for the files it holds without their text.
    fn new(diagnostic: &'a Diagnostic, texts: &ReadTexts) -> Self {
        let text_of = |file| text_of(texts, file);
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
        let labels = std::iter::once(&diagnostic.primary)
            .chain(
                diagnostic
                    .related
                    .iter()
                    .filter(|label| label.file.path() == file.path()),
            )
            .map(|label| (label.span.range(), Some(label.message.to_string())))
            .collect();
        // A file with no text (unreadable, or not kept) has nothing to draw; name it in the
        // message.
        let source = if file.is_empty() {
            None
        } else {
            Snippet::new(text_of(file), labels)
        };
        if source.is_none() {
            message = format!("{}: {message}", file.path());
        }
        let elsewhere = diagnostic
            .related
            .iter()
            .filter(|label| label.file.path() != file.path() && !label.file.is_empty())
            .filter_map(|label| {
                Some(Elsewhere {
                    label: label.clone(),
                    source: Snippet::new(text_of(&label.file), vec![(label.span.range(), None)])?,
                })
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
        let source = self.source.as_ref()?;
        // The primary label comes first (`Snippet::new` keeps the order given).
        let labels = source.labels().iter().enumerate().map(|(index, label)| {
            let message = label.message.clone();
            if index == 0 {
                LabeledSpan::new_primary_with_span(message, label.range.clone())
            } else {
                LabeledSpan::new_with_span(message, label.range.clone())
            }
        });
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
        let labels =
            self.source.labels().iter().map(|label| {
                LabeledSpan::new_with_span(label.message.clone(), label.range.clone())
            });
        Some(Box::new(labels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foundation::Origin;
    use crate::yaml::Span;

    /// A finding in each of `count` plain-ASCII files of `len` bytes that kept only their
    /// lines, to be read again.
    fn findings_in_files(count: usize, len: usize) -> Vec<Diagnostic> {
        (0..count)
            .map(|index| {
                let path = format!("m{index}.yaml");
                let text = "a\n".repeat(len / 2);
                let origin = Origin::WorkTree(path.clone().into());
                let file = Arc::new(
                    SourceFile::new(path, text)
                        .lines_only(Some(origin))
                        .unwrap(),
                );
                Diagnostic::new(
                    &crate::rules::IC002,
                    "bad",
                    Label::new(&file, Span::point(0), "here"),
                )
            })
            .collect()
    }

    /// A chunk ends once the texts it reads again pass [`CHUNK_TEXT_BYTES`], whatever the
    /// number of findings: a thousand findings in a thousand 1 MiB files are not all held.
    #[test]
    fn a_chunk_reads_again_a_bounded_amount_of_text() {
        let big = findings_in_files(40, 1 << 20);
        let (files, len) = next_chunk(&big, true);
        assert_eq!((files.len(), len), (33, 33));
        assert_eq!(next_chunk(&big, false).1, 40, "nothing to read: one chunk");
        // Several findings in one file read it once.
        let mut small = findings_in_files(3, 100);
        small.extend(small.clone());
        let (files, len) = next_chunk(&small, true);
        assert_eq!((files.len(), len), (3, 6));
    }
}
