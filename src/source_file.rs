//! One file as read from disk (or from git, or built into the binary), kept whole for the
//! lifetime of a run.
//!
//! The loader parses it, diagnostics point into it with [`Span`]s, and the renderers turn those
//! spans into 1-based line and column numbers (columns count characters, as SPEC §5 says) or hand
//! the text to miette. Reading is the only place where size caps, a leading BOM and invalid UTF-8
//! are dealt with, so that everything later works on a plain `str`.

use std::sync::Arc;

use crate::Span;

/// A named text and an index of where its lines start.
#[derive(Debug)]
pub struct SourceFile {
    path: String,
    text: Arc<str>,
    line_starts: Vec<usize>,
}

/// A position as people read it: 1-based line, 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// Why raw bytes could not become a [`SourceFile`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Invalid UTF-8 starting at this byte offset. `lossy` is the text with invalid bytes
    /// replaced, whose prefix up to `offset` is the file's, so the offset can still be located.
    InvalidUtf8 { offset: usize, lossy: String },
    /// The file is larger than the cap.
    TooLarge { size: u64, limit: u64 },
}

impl SourceFile {
    /// Builds a source file from text already known to be valid. A leading byte-order mark is
    /// dropped so that columns on the first line match what editors show.
    #[must_use]
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let mut text: Arc<str> = text.into();
        if let Some(stripped) = text.strip_prefix('\u{feff}') {
            text = Arc::from(stripped);
        }
        let line_starts = std::iter::once(0)
            .chain(memchr_newlines(&text).map(|i| i + 1))
            .collect();
        Self {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// Decodes bytes read from a file, enforcing the size cap and UTF-8.
    ///
    /// # Errors
    /// [`DecodeError`] when the bytes are too many or not UTF-8.
    pub fn from_bytes(
        path: impl Into<String>,
        bytes: Vec<u8>,
        limit: u64,
    ) -> Result<Self, DecodeError> {
        let size = bytes.len() as u64;
        if size > limit {
            return Err(DecodeError::TooLarge { size, limit });
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self::new(path, text)),
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
                Err(DecodeError::InvalidUtf8 { offset, lossy })
            }
        }
    }

    /// The path as shown to users: relative to the working directory, with `/` separators.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A cheap handle on the text, for renderers that need to own it (miette).
    #[must_use]
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// Line and column of a byte offset. Offsets past the end clamp to the end.
    #[must_use]
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(exact) => exact,
            Err(next) => next - 1,
        };
        let line_start = self.line_starts[line_index];
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        LineColumn {
            line: line_index + 1,
            column,
        }
    }

    /// The text of one line (1-based), without its line break.
    #[must_use]
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }

    /// The span of a whole line's content (1-based line).
    #[must_use]
    pub fn line_span(&self, line: usize) -> Span {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return Span::point(self.text.len());
        };
        Span::new(start, start + self.line_text(line).len())
    }

    /// The span of `[start, end)` given as line and 1-based character columns.
    #[must_use]
    pub fn span_of_line_columns(&self, line: usize, column: usize, len_chars: usize) -> Span {
        let line_span = self.line_span(line);
        let text = &self.text[line_span.range()];
        let to_byte = |chars: usize| {
            text.char_indices()
                .nth(chars)
                .map_or(text.len(), |(i, _)| i)
                + line_span.start
        };
        let start = to_byte(column.saturating_sub(1));
        let end = to_byte(column.saturating_sub(1) + len_chars);
        Span::new(start, end)
    }

    /// The text a span covers.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter_map(|(i, b)| (b == b'\n').then_some(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("m.yaml", "a: 1\nnäme: x\n");
        assert_eq!(file.line_column(0), LineColumn { line: 1, column: 1 });
        assert_eq!(file.line_column(5), LineColumn { line: 2, column: 1 });
        // `x` is at byte 12 (ä is two bytes) but character column 7.
        assert_eq!(file.line_column(12), LineColumn { line: 2, column: 7 });
        assert_eq!(file.line_text(2), "näme: x");
    }

    #[test]
    fn bom_is_dropped_and_crlf_lines_are_trimmed() {
        let file = SourceFile::new("m.yaml", "\u{feff}a: 1\r\nb: 2\r\n");
        assert_eq!(file.text().chars().next(), Some('a'));
        assert_eq!(file.line_text(1), "a: 1");
        assert_eq!(file.line_column(6), LineColumn { line: 2, column: 1 });
    }

    #[test]
    fn invalid_utf8_is_located() {
        let error = SourceFile::from_bytes("m.yaml", b"a: 1\nb: \xff\n".to_vec(), 100).unwrap_err();
        let DecodeError::InvalidUtf8 { offset, lossy } = error else {
            panic!()
        };
        let file = SourceFile::new("m.yaml", lossy);
        assert_eq!(file.line_column(offset), LineColumn { line: 2, column: 4 });
    }

    #[test]
    fn size_cap_is_enforced() {
        let error = SourceFile::from_bytes("m.yaml", vec![b'a'; 11], 10).unwrap_err();
        assert_eq!(
            error,
            DecodeError::TooLarge {
                size: 11,
                limit: 10
            }
        );
    }
}
