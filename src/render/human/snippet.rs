//! The part of a file miette draws for one finding, so that what a finding prints is bounded
//! whatever the file holds.
//!
//! miette prints every source line its labels touch, whole, and a label spanning many lines
//! prints them all: one 1 MiB line under thousands of findings made gigabytes of output. A
//! [`Snippet`] hands miette only the lines around the labels, with each line longer than
//! [`LINE_LIMIT`] characters cut to [`AROUND`] characters on each side of every label start or
//! end on it (`…` where text was cut), a label over more than [`LABEL_LINES`] lines shortened
//! to its first lines (its message says how many more), and contexts more than [`JOIN_GAP`]
//! lines apart drawn as separate snippets instead of one with every line between. Line
//! numbers and the header's column stay those of the file. A finding with short lines, short
//! labels and labels near each other is drawn byte for byte as miette draws it from the whole
//! file; and since miette reads only the snippet, not the file from its start for every label,
//! drawing no longer takes time in proportion to the file for each finding.

use std::ops::Range;
use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::foundation::SourceFile;

/// The longest line, in characters, drawn whole.
const LINE_LIMIT: usize = 160;

/// Characters kept on each side of a label's start and end on a cut line; a cut line with no
/// label point keeps its first `2 × AROUND`.
const AROUND: usize = 40;

/// The most lines of one label drawn.
const LABEL_LINES: usize = 12;

/// Lines of context miette draws before and after a label (its `context_lines`).
pub(super) const CONTEXT_LINES: usize = 1;

/// Contexts whose lines are further apart than this are drawn as separate snippets.
const JOIN_GAP: usize = 8;

/// Lines taken before and after the labels: more than the context, so that miette finds the
/// same context lines in the excerpt as in the whole file.
const MARGIN: usize = CONTEXT_LINES + 1;

/// What a cut line shows where text was left out.
const ELLIPSIS: &str = "…";

/// A label in snippet coordinates.
pub(super) struct SnippetLabel {
    pub range: Range<usize>,
    pub message: Option<String>,
}

/// A run of the excerpt copied verbatim from the file.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Where it starts in the excerpt.
    excerpt: usize,
    /// Where it starts in the file.
    file: usize,
    len: usize,
}

/// Whole lines of the file around labels that miette may draw as one snippet.
#[derive(Debug, Clone)]
struct Segment {
    /// Where it lies in the excerpt.
    excerpt: Range<usize>,
    /// 0-based line number of its first line in the file.
    first_line: usize,
}

/// The lines around a finding's labels in one file, as miette reads them: segments of the
/// file, one after the other, each read as if it were the file.
pub(super) struct Snippet {
    name: String,
    file: Arc<str>,
    excerpt: String,
    segments: Vec<Segment>,
    /// The excerpt's verbatim runs, in order.
    pieces: Vec<Piece>,
    labels: Vec<SnippetLabel>,
}

impl Snippet {
    /// The snippet of `file` for labels given as byte ranges of the file, with their messages;
    /// `None` when the file's text was not kept.
    pub(super) fn new(
        file: &SourceFile,
        labels: Vec<(Range<usize>, Option<String>)>,
    ) -> Option<Self> {
        let shared = file.shared_text()?;
        let text: &str = &shared;
        let labels: Vec<(Range<usize>, Option<String>)> = labels
            .into_iter()
            .map(|(range, message)| shorten(text, range, message))
            .collect();
        // The lines around each label, joined where miette may draw them as one snippet.
        let mut windows: Vec<Range<usize>> = labels
            .iter()
            .map(|(range, _)| around(text, range))
            .collect();
        windows.sort_by_key(|w| w.start);
        let mut joined: Vec<Range<usize>> = Vec::new();
        for window in windows {
            match joined.last_mut() {
                Some(last) if window.start <= last.end || close(&text[last.end..window.start]) => {
                    last.end = last.end.max(window.end);
                }
                _ => joined.push(window),
            }
        }
        let points: Vec<usize> = labels.iter().flat_map(|(r, _)| [r.start, r.end]).collect();
        let mut excerpt = String::new();
        let mut pieces = Vec::new();
        let mut segments = Vec::new();
        for window in joined {
            let start = excerpt.len();
            cut_lines(text, window.clone(), &points, &mut excerpt, &mut pieces);
            segments.push(Segment {
                excerpt: start..excerpt.len(),
                first_line: file.line_column(window.start).line - 1,
            });
        }
        let mut snippet = Self {
            name: file.path().to_owned(),
            file: Arc::clone(&shared),
            excerpt,
            segments,
            pieces,
            labels: Vec::new(),
        };
        snippet.labels = labels
            .into_iter()
            .map(|(range, message)| SnippetLabel {
                range: snippet.to_excerpt(range.start)..snippet.to_excerpt(range.end),
                message,
            })
            .collect();
        Some(snippet)
    }

    /// The labels in the snippet's coordinates, in the order given.
    pub(super) fn labels(&self) -> &[SnippetLabel] {
        &self.labels
    }

    /// The excerpt offset of a file offset (one inside the excerpt's verbatim runs, as every
    /// label point is).
    fn to_excerpt(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.file <= offset);
        let piece = self.pieces[index.saturating_sub(1)];
        piece.excerpt + offset.saturating_sub(piece.file).min(piece.len)
    }

    /// The file offset of an excerpt offset (the end of the run before, inside an ellipsis).
    fn to_file(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.excerpt <= offset);
        let piece = self.pieces[index.saturating_sub(1)];
        piece.file + offset.saturating_sub(piece.excerpt).min(piece.len)
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let index = self
            .segments
            .partition_point(|s| s.excerpt.start <= span.offset());
        let segment = self
            .segments
            .get(index.wrapping_sub(1))
            .ok_or(MietteError::OutOfBounds)?;
        let start = segment.excerpt.start;
        let local = SourceSpan::new(
            (span.offset() - start).into(),
            span.len()
                .min(segment.excerpt.end.saturating_sub(span.offset())),
        );
        let inner = self.excerpt[segment.excerpt.clone()].read_span(
            &local,
            context_lines_before,
            context_lines_after,
        )?;
        let data = inner.data();
        let offset = inner.span().offset() + start;
        // miette's column (in bytes, from the line's start) is counted in the file, where a
        // cut line is whole.
        let column = if context_lines_before == 0 {
            let in_file = self.to_file(offset);
            in_file - line_start(&self.file, in_file)
        } else {
            inner.column()
        };
        // miette draws two contexts as one when the first's `line() + line_count()` reaches the
        // second's line; its own count is the file's line number at the end of the context,
        // which joins contexts ever further apart down a file. The same count, capped so that
        // only contexts at most `JOIN_GAP` lines apart are joined (always within a segment).
        let lines =
            data.iter().filter(|&&b| b == b'\n').count() + usize::from(!data.ends_with(b"\n"));
        let line_count =
            (segment.first_line + inner.line_count()).min(lines.saturating_sub(1) + JOIN_GAP);
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new(offset.into(), inner.span().len()),
            segment.first_line + inner.line(),
            column,
            line_count,
        )
        .with_language("yaml");
        Ok(Box::new(contents))
    }
}

/// The whole lines from [`MARGIN`] lines before a label to [`MARGIN`] lines after it, with the
/// last one's line break.
fn around(text: &str, range: &Range<usize>) -> Range<usize> {
    let mut start = line_start(text, range.start);
    for _ in 0..MARGIN {
        if start == 0 {
            break;
        }
        start = line_start(text, start - 1);
    }
    let mut end = line_end(text, range.end);
    for _ in 0..MARGIN {
        if end >= text.len() {
            break;
        }
        end = line_end(text, end + 1);
    }
    start..(end + 1).min(text.len())
}

/// Whether the text between two windows has at most [`JOIN_GAP`] lines, so that miette may
/// draw both as one snippet.
fn close(between: &str) -> bool {
    between.split_inclusive('\n').nth(JOIN_GAP).is_none()
}

/// A label over more than [`LABEL_LINES`] lines ends with its last drawn line, and says how
/// many lines are not drawn.
fn shorten(
    text: &str,
    range: Range<usize>,
    message: Option<String>,
) -> (Range<usize>, Option<String>) {
    let start = range.start.min(text.len());
    let range = start..range.end.clamp(start, text.len());
    let covered = &text.as_bytes()[range.clone()];
    let breaks = memchr::memchr_iter(b'\n', covered).count();
    if breaks < LABEL_LINES {
        return (range, message);
    }
    let Some(cut) = memchr::memchr_iter(b'\n', covered).nth(LABEL_LINES - 1) else {
        return (range, message);
    };
    let mut end = range.start + cut;
    if text.as_bytes()[..end].ends_with(b"\r") {
        end -= 1;
    }
    let hidden = breaks + 1 - LABEL_LINES;
    let plural = if hidden == 1 { "" } else { "s" };
    let note = format!("{hidden} more line{plural} not shown");
    let message = Some(message.map_or(note.clone(), |m| format!("{m} ({note})")));
    (range.start..end, message)
}

/// Appends the lines of `window` to `out`, each line longer than [`LINE_LIMIT`] characters cut
/// to the text around the `points` on it, and records what was copied verbatim in `pieces`.
fn cut_lines(
    text: &str,
    window: Range<usize>,
    points: &[usize],
    out: &mut String,
    pieces: &mut Vec<Piece>,
) {
    let mut copy = |out: &mut String, file: Range<usize>| {
        // Runs that follow each other in both texts are one piece.
        match pieces.last_mut() {
            Some(last)
                if last.file + last.len == file.start && last.excerpt + last.len == out.len() =>
            {
                last.len += file.len();
            }
            _ => pieces.push(Piece {
                excerpt: out.len(),
                file: file.start,
                len: file.len(),
            }),
        }
        out.push_str(&text[file]);
    };
    let mut at = window.start;
    for line in text[window].split_inclusive('\n') {
        let line_start = at;
        at += line.len();
        if !long(line) {
            copy(out, line_start..at);
            continue;
        }
        let content_end = line_start + line.trim_end_matches(['\n', '\r']).len();
        let mut kept: Vec<Range<usize>> = points
            .iter()
            .filter(|&&p| (line_start..=content_end).contains(&p))
            .map(|&p| back(text, p, line_start, AROUND)..forward(text, p, content_end, AROUND))
            .collect();
        if kept.is_empty() {
            kept.push(line_start..forward(text, line_start, content_end, 2 * AROUND));
        }
        kept.sort_by_key(|r| r.start);
        let mut position = line_start;
        for range in kept {
            let range = range.start.max(position)..range.end.max(position);
            if range.start > position {
                out.push_str(ELLIPSIS);
            }
            copy(out, range.clone());
            position = range.end;
        }
        if position < content_end {
            out.push_str(ELLIPSIS);
        }
        copy(out, content_end..at);
    }
}

/// Whether a line (with or without its break) has more than [`LINE_LIMIT`] characters.
fn long(line: &str) -> bool {
    let content = line.trim_end_matches(['\n', '\r']);
    content.len() > LINE_LIMIT && content.chars().nth(LINE_LIMIT).is_some()
}

/// The offset `count` characters before `offset`, not before `floor`.
fn back(text: &str, offset: usize, floor: usize, count: usize) -> usize {
    text[floor..offset]
        .char_indices()
        .rev()
        .nth(count - 1)
        .map_or(floor, |(i, _)| floor + i)
}

/// The offset `count` characters after `offset`, not after `ceiling`.
fn forward(text: &str, offset: usize, ceiling: usize, count: usize) -> usize {
    text[offset..ceiling]
        .char_indices()
        .nth(count)
        .map_or(ceiling, |(i, _)| offset + i)
}

/// The offset where the line holding `offset` starts.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset of the line break ending the line holding `offset` (or the end of the text).
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |i| offset + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_text(snippet: &Snippet, index: usize) -> &str {
        &snippet.excerpt[snippet.labels()[index].range.clone()]
    }

    /// (line, column, text) of what miette reads for a label with one line of context.
    fn read(snippet: &Snippet, index: usize, context: usize) -> (usize, usize, String) {
        let range = snippet.labels()[index].range.clone();
        let contents = snippet
            .read_span(&range.into(), context, context)
            .expect("in bounds");
        (
            contents.line(),
            contents.column(),
            String::from_utf8_lossy(contents.data()).into_owned(),
        )
    }

    #[test]
    fn short_lines_are_read_as_in_the_file() {
        let text = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n";
        let file = SourceFile::new("m.yaml", text);
        let snippet = Snippet::new(&file, vec![(13..14, Some("here".to_owned()))]).unwrap();
        assert_eq!(span_text(&snippet, 0), "3");
        assert_eq!(
            read(&snippet, 0, 1),
            (1, 0, "b: 2\nc: 3\nd: 4\n".to_owned())
        );
        assert_eq!(read(&snippet, 0, 0), (2, 3, "3".to_owned()));
        assert_eq!(
            text.read_span(&(13..14).into(), 1, 1).unwrap().line_count(),
            4
        );
        assert_eq!(read_count(&snippet, 0), 4);
    }

    fn read_count(snippet: &Snippet, index: usize) -> usize {
        let range = snippet.labels()[index].range.clone();
        snippet.read_span(&range.into(), 1, 1).unwrap().line_count()
    }

    #[test]
    fn long_lines_keep_the_text_around_each_label() {
        let line = format!("k: {}, key: v, {}", "x".repeat(500), "é".repeat(500));
        let text = format!("a: 1\n{line}\nz: 2\n");
        let key = text.find("key").unwrap();
        let file = SourceFile::new("m.yaml", text.as_str());
        let snippet = Snippet::new(&file, vec![(key..key + 3, None)]).unwrap();
        assert_eq!(span_text(&snippet, 0), "key");
        let (line_number, _, data) = read(&snippet, 0, 1);
        assert_eq!(line_number, 0);
        let cut = format!(
            "…{}, key: v, {}…",
            "x".repeat(AROUND - 2),
            "é".repeat(AROUND - 5)
        );
        assert_eq!(data, format!("a: 1\n{cut}\nz: 2\n"));
        // The header's column is the file's (in bytes, as miette counts).
        assert_eq!(read(&snippet, 0, 0).1, key - 5);
    }

    #[test]
    fn a_label_over_many_lines_shows_its_first_lines() {
        let text = "k:\n".to_owned() + &"  - x\n".repeat(40) + "z: 1\n";
        let file = SourceFile::new("m.yaml", text.as_str());
        let snippet =
            Snippet::new(&file, vec![(3..text.len() - 6, Some("list".to_owned()))]).unwrap();
        let label = &snippet.labels()[0];
        assert_eq!(
            label.message.as_deref(),
            Some("list (28 more lines not shown)")
        );
        assert_eq!(
            span_text(&snippet, 0),
            "  - x\n".repeat(LABEL_LINES).trim_end()
        );
    }

    #[test]
    fn distant_labels_are_read_from_separate_segments_at_their_lines() {
        let text = "a: 1\n".repeat(500);
        let file = SourceFile::new("m.yaml", text.as_str());
        let snippet = Snippet::new(
            &file,
            vec![(400 * 5..400 * 5 + 1, None), (10 * 5..10 * 5 + 1, None)],
        )
        .unwrap();
        assert_eq!(snippet.segments.len(), 2);
        assert!(snippet.excerpt.len() < 60, "{}", snippet.excerpt);
        assert_eq!(read(&snippet, 0, 1).0, 399);
        assert_eq!(read(&snippet, 1, 1).0, 9);
        // Contexts this far apart are never joined into one snippet.
        assert!(read(&snippet, 1, 1).0 + read_count(&snippet, 1) < 399);
    }
}
