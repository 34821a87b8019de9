//! One file as read from disk (or from git, or built into the binary), kept for the lifetime of
//! a run: whole, or once loaded only its index of lines, with where it was read when a report
//! will read it again to show its lines ([`Origin`]).
//!
//! The loader parses it, diagnostics point into it with [`Span`]s, and the renderers turn those
//! spans into 1-based line and column numbers (columns count characters, docs/report-formats.md) or hand
//! the text to miette. Reading is the only place where size caps, a leading BOM, invalid UTF-8,
//! control characters and lone carriage returns are dealt with, so that everything later works
//! on a plain, printable `str`.

use std::path::PathBuf;
use std::sync::{Arc, LazyLock, OnceLock};

use crate::foundation::Error;
use crate::yaml::Span;

/// A named text and an index of where its lines start.
#[derive(Debug)]
pub struct SourceFile {
    path: String,
    /// `None` in the copy [`SourceFile::lines_only`] makes: the index below still answers every
    /// line and column.
    text: Option<Arc<str>>,
    /// Bytes of the text, kept when the text is not.
    len: usize,
    line_starts: LineStarts,
    /// Built on the first [`SourceFile::line_column`]: a clean file never needs it.
    columns: OnceLock<Columns>,
    /// In a copy without the text, where the text was read and what it hashed to, when a
    /// report will read it again to draw it.
    read_from: Option<Box<ReadFrom>>,
}

/// Where a file's text was read, so that a report can read it again, the same way, to draw it
/// (`input::file_reader::read_again`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The working tree, at this path (as discovery found it).
    WorkTree(PathBuf),
    /// Git's index (a tracked file outside a sparse checkout): the repository's top, and the
    /// path relative to it.
    Index { root: PathBuf, relative: PathBuf },
}

/// How a renderer gets the text of a file the run let go of ([`SourceFile::origin`]): read
/// again from its origin, and refused ([`Error::Changed`]) unless it is the text checked.
pub type ReadAgain = dyn Fn(&SourceFile) -> Result<SourceFile, Error> + Sync;

#[derive(Debug)]
struct ReadFrom {
    origin: Origin,
    hash: u64,
}

/// The key of [`text_hash`]: drawn at random once a run.
static HASH_KEY: LazyLock<foldhash::quality::RandomState> = LazyLock::new(Default::default);

/// A 64-bit hash of a text, to tell whether a file read again is the one checked.
///
/// Not a cryptographic hash, on purpose: the text is the change author's, but a report could
/// only draw other bytes than those checked if the file were replaced while imgcost runs,
/// which takes a process running beside it on the CI runner, not a commit (imgcost's own
/// `--output` files, the one writer a commit can aim a link at, are never read again: a
/// manifest that is a link keeps its text). Against a file
/// changed by accident meanwhile (an editor, a checkout in another terminal), a change that
/// keeps the length and the 64-bit hash (keyed at random each run, so it cannot be aimed at
/// from outside the process) goes unseen once in 2^64; a cryptographic hash would cost more
/// (foldhash hashes a manifest in a few hundred nanoseconds) for nothing more.
fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    HASH_KEY.hash_one(text.as_bytes())
}

/// The offset where each line starts, in the fewest bits the text's length allows: 16 for a
/// manifest under 64 KiB (nearly all of them), 32 for any file read from disk or git (capped far
/// below 4 GiB). The index lives as long as the run.
#[derive(Debug, Clone)]
enum LineStarts {
    Short(Box<[u16]>),
    Narrow(Box<[u32]>),
    Wide(Box<[usize]>),
}

/// An offset as one width of [`LineStarts`] stores it.
trait Offset: Copy + Ord + TryFrom<usize> {
    const MAX: Self;
    fn widen(self) -> usize;
}

impl Offset for u16 {
    const MAX: Self = Self::MAX;
    fn widen(self) -> usize {
        usize::from(self)
    }
}

impl Offset for u32 {
    const MAX: Self = Self::MAX;
    fn widen(self) -> usize {
        // Built only where the text's length fits, so on targets whose `usize` holds it.
        self as usize
    }
}

impl Offset for usize {
    const MAX: Self = Self::MAX;
    fn widen(self) -> usize {
        self
    }
}

impl LineStarts {
    fn of(text: &str) -> Self {
        if u16::try_from(text.len()).is_ok() {
            Self::Short(Self::starts(text))
        } else if u32::try_from(text.len()).is_ok() {
            Self::Narrow(Self::starts(text))
        } else {
            Self::Wide(Self::starts(text))
        }
    }

    /// Every line's start, in a width that holds the text's length.
    fn starts<T: Offset>(text: &str) -> Box<[T]> {
        let newlines = || memchr::memchr_iter(b'\n', text.as_bytes());
        // Counted first, so that the index is allocated once at its size.
        let mut starts = Vec::with_capacity(newlines().count() + 1);
        // Every start is at most the text's length, which the caller checked fits.
        let start = |offset: usize| T::try_from(offset).unwrap_or(T::MAX);
        starts.extend(
            std::iter::once(0)
                .chain(newlines().map(|i| i + 1))
                .map(start),
        );
        starts.into_boxed_slice()
    }

    /// The start of the line of this 0-based index.
    fn get(&self, index: usize) -> Option<usize> {
        fn get<T: Offset>(starts: &[T], index: usize) -> Option<usize> {
            starts.get(index).map(|start| start.widen())
        }
        match self {
            Self::Short(starts) => get(starts, index),
            Self::Narrow(starts) => get(starts, index),
            Self::Wide(starts) => get(starts, index),
        }
    }

    /// The 0-based index of the line holding `offset`.
    fn line_of(&self, offset: usize) -> usize {
        fn line_of<T: Offset>(starts: &[T], offset: usize) -> usize {
            // An offset beyond the width is past the end of the text: its last line.
            let offset = T::try_from(offset).unwrap_or(T::MAX);
            match starts.binary_search(&offset) {
                Ok(exact) => exact,
                Err(next) => next - 1,
            }
        }
        match self {
            Self::Short(starts) => line_of(starts, offset),
            Self::Narrow(starts) => line_of(starts, offset),
            Self::Wide(starts) => line_of(starts, offset),
        }
    }
}

/// Bytes between two checkpoints of [`Columns::Checkpoints`].
const CHECKPOINT_STRIDE: usize = 4096;

/// How to count the characters before an offset without scanning from the line's start, which
/// made thousands of findings on one long line quadratic.
#[derive(Debug)]
enum Columns {
    /// Every character is one byte (nearly every file).
    Ascii,
    /// `(offset, characters before it)` at the first character boundary at or after every
    /// [`CHECKPOINT_STRIDE`]-th byte: a count starts from the checkpoint before the offset.
    Checkpoints(Vec<(usize, usize)>),
}

impl Columns {
    fn of(text: &str) -> Self {
        if text.is_ascii() {
            return Self::Ascii;
        }
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_STRIDE + 1);
        let (mut offset, mut chars) = (0, 0);
        for stride in 0..=text.len() / CHECKPOINT_STRIDE {
            let mut next = stride * CHECKPOINT_STRIDE;
            while !text.is_char_boundary(next) {
                next += 1;
            }
            chars += text[offset..next].chars().count();
            offset = next;
            checkpoints.push((offset, chars));
        }
        Self::Checkpoints(checkpoints)
    }

    /// Characters before `offset`, a character boundary of `text`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        match self {
            Self::Ascii => offset,
            Self::Checkpoints(checkpoints) => {
                let mut index = offset / CHECKPOINT_STRIDE;
                // A checkpoint moved forward to a character boundary may be past the offset.
                while index > 0 && checkpoints[index].0 > offset {
                    index -= 1;
                }
                let (start, chars) = checkpoints[index];
                chars + text[start..offset].chars().count()
            }
        }
    }
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
    /// Invalid UTF-8 starting at this byte offset. `lossy` is the text with invalid bytes (and
    /// control characters) replaced by U+FFFD, so that the offset can be located, and shown, in
    /// `SourceFile::new(path, lossy)`.
    InvalidUtf8 { offset: usize, lossy: String },
    /// The file is larger than the cap.
    TooLarge { size: u64, limit: u64 },
    /// A character that YAML does not allow (a control character) first at this byte offset.
    /// `shown` is the text with each such character replaced by U+FFFD, whose prefix up to
    /// `offset` is the file's: `SourceFile::new(path, shown)` can be shown where the file itself
    /// must not be.
    Unprintable {
        offset: usize,
        character: char,
        shown: String,
    },
}

impl SourceFile {
    /// Builds a source file from text already known to be valid. A leading byte-order mark is
    /// dropped so that columns on the first line match what editors show, and a carriage return
    /// not followed by a line feed becomes a line feed: YAML reads it as a line break (files
    /// from old Macs), so lines must too, here and in miette. The swap keeps every byte offset.
    #[must_use]
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let mut text: Arc<str> = text.into();
        if let Some(stripped) = text.strip_prefix('\u{feff}') {
            text = Arc::from(stripped);
        }
        if let Some(unified) = lone_carriage_returns_to_line_feeds(&text) {
            text = Arc::from(unified);
        }
        let line_starts = LineStarts::of(&text);
        // A file name can hold any character; none of them may reach a terminal or an
        // annotation as a control sequence.
        let path = crate::foundation::printable(&path.into()).into_owned();
        Self {
            path,
            len: text.len(),
            text: Some(text),
            line_starts,
            columns: OnceLock::new(),
            read_from: None,
        }
    }

    /// A copy that keeps the name and the index of lines but not the text, for a run whose
    /// reports show no source lines, or read each file again to show them (`origin`: where
    /// this text was read): at ten thousand manifests the texts were a fifth of the memory.
    /// `None` when the text is not plain ASCII with `\n` line breaks (or already gone), since
    /// only then do offsets alone give every column and every line's end.
    #[must_use]
    pub fn lines_only(&self, origin: Option<Origin>) -> Option<Self> {
        let text = self.text.as_deref()?;
        if !text.is_ascii() || memchr::memchr(b'\r', text.as_bytes()).is_some() {
            return None;
        }
        Some(Self {
            path: self.path.clone(),
            text: None,
            len: self.len,
            line_starts: self.line_starts.clone(),
            columns: OnceLock::from(Columns::Ascii),
            read_from: origin.map(|origin| {
                Box::new(ReadFrom {
                    origin,
                    hash: text_hash(text),
                })
            }),
        })
    }

    /// Where the text of a [`SourceFile::lines_only`] copy can be read again.
    #[must_use]
    pub fn origin(&self) -> Option<&Origin> {
        self.read_from.as_ref().map(|read| &read.origin)
    }

    /// Whether `again` (read again from [`SourceFile::origin`]) holds the text this copy was
    /// made from: its length and hash.
    #[must_use]
    pub fn was_made_from(&self, again: &Self) -> bool {
        match (&self.read_from, again.text()) {
            (Some(read), Some(text)) => text.len() == self.len && text_hash(text) == read.hash,
            _ => false,
        }
    }

    /// Decodes bytes read from a file, enforcing the size cap, UTF-8 and printable characters.
    ///
    /// # Errors
    /// [`DecodeError`] when the bytes are too many, not UTF-8 or not printable.
    pub fn from_bytes(
        path: impl Into<String>,
        bytes: Vec<u8>,
        limit: u64,
    ) -> Result<Self, DecodeError> {
        let size = bytes.len() as u64;
        if size > limit {
            return Err(DecodeError::TooLarge { size, limit });
        }
        // Offsets in errors count from after a leading byte-order mark, as spans do once
        // `new` has dropped it from the text the error carries.
        let bom = if bytes.starts_with("\u{feff}".as_bytes()) {
            3
        } else {
            0
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let lossy = String::from_utf8_lossy(error.as_bytes());
                // Control characters are replaced here too, since `lossy` is shown; the offset
                // moves with the replacements before it.
                let offset = shown(&lossy[..error.utf8_error().valid_up_to()]).len() - bom;
                let lossy = shown(&lossy);
                return Err(DecodeError::InvalidUtf8 { offset, lossy });
            }
        };
        // Nearly every file is ASCII without control characters: a byte scan settles it, in
        // chunks whose bytes are all tested, so that the compiler can test many at once.
        let plain = |b: u8| (b' '..0x7f).contains(&b) | (b == b'\t') | (b == b'\n') | (b == b'\r');
        if text
            .as_bytes()
            .chunks(64)
            .all(|chunk| chunk.iter().fold(true, |all, &b| all & plain(b)))
        {
            return Ok(Self::new(path, text));
        }
        match text.char_indices().find(|&(_, c)| !printable(c)) {
            None => Ok(Self::new(path, text)),
            Some((offset, character)) => Err(DecodeError::Unprintable {
                offset: offset - bom,
                character,
                shown: shown(&text),
            }),
        }
    }

    /// The path as shown to users: relative to the working directory, with `/` separators.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The text, unless this is a [`SourceFile::lines_only`] copy.
    #[must_use]
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// Bytes of the text (known without it).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A cheap handle on the text, for renderers that need to own it (miette).
    #[must_use]
    pub fn shared_text(&self) -> Option<Arc<str>> {
        self.text.clone()
    }

    /// Line and column of a byte offset. Offsets past the end clamp to the end.
    #[must_use]
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let offset = offset.min(self.len);
        let line_index = self.line_starts.line_of(offset);
        let line_start = self.line_starts.get(line_index).unwrap_or_default();
        // Without the text, the file was ASCII: one byte a character, every offset a boundary.
        let text = self.text.as_deref().unwrap_or_default();
        // An offset inside a character has no column of its own: the line's first, as ever.
        let column = if self.text.is_none() || text.is_char_boundary(offset) {
            let columns = self.columns.get_or_init(|| Columns::of(text));
            columns.chars_before(text, offset) - columns.chars_before(text, line_start)
        } else {
            0
        } + 1;
        LineColumn {
            line: line_index + 1,
            column,
        }
    }

    /// Where the content of one line (1-based) starts and ends, without its line break.
    fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = self.line_starts.get(line.wrapping_sub(1))?;
        let mut end = self.line_starts.get(line).map_or(self.len, |next| next - 1);
        // A copy without the text had no `\r` (see `lines_only`).
        if let Some(text) = &self.text {
            end = start + text[start..end].trim_end_matches('\r').len();
        }
        Some(start..end)
    }

    /// The text of one line (1-based), without its line break; `None` past the last line or
    /// without the text.
    #[must_use]
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let range = self.line_range(line)?;
        self.text.as_deref().map(|text| &text[range])
    }

    /// The span of a whole line's content (1-based line).
    #[must_use]
    pub fn line_span(&self, line: usize) -> Span {
        self.line_range(line).map_or_else(
            || Span::point(self.len),
            |range| Span::new(range.start, range.end),
        )
    }

    /// The text a span covers; `None` for a span outside the text or without the text.
    #[must_use]
    pub fn slice(&self, span: Span) -> Option<&str> {
        self.text.as_deref()?.get(span.range())
    }
}

/// YAML 1.2 allows only printable characters in a file (`c-printable`, §5.1); saphyr lets control
/// characters through inside quotes. They are refused here, before anything shows the file: an
/// escape sequence written in a manifest would otherwise be obeyed by the terminal or CI log
/// that shows its lines, rewriting what the reader sees.
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{85}')
        || !(c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') || is_bidi_control(c))
}

/// The bidirectional embeddings, overrides and isolates, which reorder what a terminal or an
/// editor shows ("Trojan Source"). YAML allows them; a manifest never needs them, and a file
/// that holds them would show its reader one thing and mean another.
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with each character that is not printable replaced by U+FFFD.
fn shown(text: &str) -> String {
    text.replace(|c| !printable(c), "\u{fffd}")
}

fn lone_carriage_returns_to_line_feeds(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', bytes).any(lone) {
        return None;
    }
    let mut unified = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        unified.push(if lone(i) { '\n' } else { c });
    }
    Some(unified)
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
        assert_eq!(file.line_text(2), Some("näme: x"));
    }

    /// Line and column as they were computed before the index: characters counted from the
    /// line's start (column 1 inside a character).
    fn naive_line_column(file: &SourceFile, offset: usize) -> LineColumn {
        let text = file.text().unwrap();
        let offset = offset.min(text.len());
        let line_start = text[..text.floor_char_boundary(offset)]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line = text.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        let column = text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        LineColumn { line, column }
    }

    /// Text of `len` characters drawn from a few of one to four bytes, with line breaks, from a
    /// deterministic generator (xorshift) so that failures reproduce.
    fn mixed_text(len: usize, mut state: u64, line_break_every: u64) -> String {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                if state.is_multiple_of(line_break_every) {
                    '\n'
                } else {
                    ['a', 'é', 'z', '€', '🎨', ' ', 'ü'][usize::try_from(state % 7).unwrap()]
                }
            })
            .collect()
    }

    /// The 64-bit index (texts of 4 GiB and more) and the 32-bit one answer as the 16-bit one
    /// does, offsets past the end of each width too.
    #[test]
    fn line_indexes_of_every_width_agree() {
        let text = "a: 1\n\nbb: 22\n  c: [x, y]\nlast";
        let LineStarts::Short(short) = LineStarts::of(text) else {
            panic!("a short text has a 16-bit index");
        };
        let narrow = LineStarts::Narrow(short.iter().map(|&start| u32::from(start)).collect());
        let wide = LineStarts::Wide(short.iter().map(|&start| usize::from(start)).collect());
        let short = LineStarts::Short(short);
        let past = [
            usize::from(u16::MAX),
            usize::from(u16::MAX) + 9,
            u32::MAX as usize,
            u32::MAX as usize + 9,
        ];
        for offset in (0..=text.len() + 2).chain(past) {
            assert_eq!(short.line_of(offset), narrow.line_of(offset), "{offset}");
            assert_eq!(short.line_of(offset), wide.line_of(offset), "{offset}");
        }
        for index in 0..7 {
            assert_eq!(short.get(index), narrow.get(index), "{index}");
            assert_eq!(short.get(index), wide.get(index), "{index}");
        }
        assert!(matches!(
            LineStarts::of(&"x\n".repeat(40_000)),
            LineStarts::Narrow(_)
        ));
    }

    /// The copy without the text answers every line, column and line span as the file does,
    /// and is made only where offsets alone can: plain ASCII with `\n` line breaks.
    #[test]
    fn a_copy_without_the_text_places_every_offset_as_the_file_does() {
        let text = "version: 1\nworkflows:\n  a:\n    model: gpt-image-2   \n\n  b: {}\nlast";
        let file = SourceFile::new("m.yaml", text);
        let lines = file.lines_only(None).expect("plain ASCII");
        assert_eq!(
            (lines.text(), lines.len(), lines.path()),
            (None, text.len(), "m.yaml")
        );
        for offset in 0..=text.len() + 3 {
            assert_eq!(
                lines.line_column(offset),
                file.line_column(offset),
                "{offset}"
            );
        }
        for line in 0..=9 {
            assert_eq!(lines.line_span(line), file.line_span(line), "line {line}");
            assert_eq!(lines.line_text(line), None);
        }
        assert_eq!(lines.slice(Span::new(0, 7)), None);
        assert!(lines.lines_only(None).is_none(), "already without its text");
        for kept in ["näme: x\n", "a: 1\r\nb: 2\r\n", "a: 1\r\n"] {
            assert!(
                SourceFile::new("m.yaml", kept).lines_only(None).is_none(),
                "{kept:?}"
            );
        }
    }

    /// A copy that will be read again knows where from, and takes only the same text (length
    /// and hash) for its own; one made without an origin takes none.
    #[test]
    fn a_copy_read_again_takes_only_the_text_it_was_made_from() {
        let text = "version: 1\nworkflows: {}\n";
        let origin = Origin::WorkTree(PathBuf::from("apps/imgcost.yaml"));
        let lines = SourceFile::new("m.yaml", text)
            .lines_only(Some(origin.clone()))
            .expect("plain ASCII");
        assert_eq!(lines.origin(), Some(&origin));
        assert!(lines.was_made_from(&SourceFile::new("m.yaml", text)));
        for other in [
            "version: 2\nworkflows: {}\n",
            "version: 1\nworkflows: {}\n\n",
            "",
        ] {
            assert!(
                !lines.was_made_from(&SourceFile::new("m.yaml", other)),
                "{other:?}"
            );
        }
        assert!(!lines.was_made_from(&lines), "a copy without its text");
        let unread = SourceFile::new("m.yaml", text).lines_only(None).unwrap();
        assert_eq!(unread.origin(), None);
        assert!(!unread.was_made_from(&SourceFile::new("m.yaml", text)));
    }

    /// Gate integrity, class 9: columns come from an index built once (checkpoints every 4 KiB
    /// on text beyond ASCII), and agree with counting from the line's start at every offset,
    /// inside characters and past the end included.
    #[test]
    fn indexed_columns_agree_with_counting_from_the_line_start() {
        for (seed, len, every) in [
            (1, 3_000, 40),
            (2, 40_000, 9_000),
            (3, 30_000, u64::MAX),
            (4, 5, 2),
        ] {
            let file = SourceFile::new("m.yaml", mixed_text(len, seed, every));
            let size = file.len();
            let step = (size / 2_000).max(1);
            for offset in (0..=size + 2)
                .step_by(step)
                .chain(size.saturating_sub(20)..=size + 2)
            {
                assert_eq!(
                    file.line_column(offset),
                    naive_line_column(&file, offset),
                    "seed {seed}, offset {offset}"
                );
            }
        }
        let ascii = SourceFile::new("m.yaml", "ab\ncd\n".repeat(5_000));
        for offset in [0, 1, 2, 3, 4, 29_999, 30_000, 30_001] {
            assert_eq!(ascii.line_column(offset), naive_line_column(&ascii, offset));
        }
    }

    /// Gate integrity, class 9: a million lookups at the end of one 1 MiB line beyond ASCII.
    /// Counting from the line's start scanned a terabyte (minutes); from the checkpoint before
    /// the offset, a few KiB each (well under a second even in a debug build). The bound is
    /// fifty times what this takes, so that a loaded machine does not fail it.
    #[test]
    fn columns_on_one_long_line_cost_no_more_than_a_checkpoint_each() {
        let line = "ü".repeat(512 * 1024);
        let file = SourceFile::new("m.yaml", format!("a: {line}\nb: 1\n"));
        let started = std::time::Instant::now();
        let mut columns = 0;
        for i in 0..1_000_000 {
            let offset = 3 + line.len() - 2 * (i % 4096);
            columns += file.line_column(offset).column;
        }
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        let expected: usize = (0..1_000_000).map(|i| 3 + 512 * 1024 - i % 4096 + 1).sum();
        assert_eq!(columns, expected);
    }

    #[test]
    fn bom_is_dropped_and_crlf_lines_are_trimmed() {
        let file = SourceFile::new("m.yaml", "\u{feff}a: 1\r\nb: 2\r\n");
        assert_eq!(file.text().unwrap().chars().next(), Some('a'));
        assert_eq!(file.line_text(1), Some("a: 1"));
        assert_eq!(file.line_column(6), LineColumn { line: 2, column: 1 });
    }

    #[test]
    fn a_lone_carriage_return_breaks_the_line() {
        let file = SourceFile::new("m.yaml", "a: 1\rb: 2\r\nc: 3\r");
        assert_eq!(file.text(), Some("a: 1\nb: 2\r\nc: 3\n"));
        assert_eq!(file.line_column(5), LineColumn { line: 2, column: 1 });
        assert_eq!(file.line_text(2), Some("b: 2"));
        assert_eq!(file.line_column(11), LineColumn { line: 3, column: 1 });
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
    fn offsets_count_from_after_a_byte_order_mark() {
        let error = SourceFile::from_bytes("m.yaml", b"\xef\xbb\xbfab\xff\n".to_vec(), 100);
        let Err(DecodeError::InvalidUtf8 { offset, lossy }) = error else {
            panic!("{error:?}")
        };
        let file = SourceFile::new("m.yaml", lossy);
        assert_eq!((offset, file.text()), (2, Some("ab\u{fffd}\n")));
        assert_eq!(file.line_column(offset), LineColumn { line: 1, column: 3 });
        let error = SourceFile::from_bytes("m.yaml", "\u{feff}a\u{7}".into(), 100);
        assert!(matches!(
            error,
            Err(DecodeError::Unprintable { offset: 1, .. })
        ));
    }

    #[test]
    fn invalid_utf8_is_shown_without_control_characters() {
        let error = SourceFile::from_bytes("m.yaml", b"\x1b[2J: \xff\x07".to_vec(), 100);
        let Err(DecodeError::InvalidUtf8 { offset, lossy }) = error else {
            panic!("{error:?}")
        };
        assert_eq!(lossy, "\u{fffd}[2J: \u{fffd}\u{fffd}");
        assert_eq!(&lossy[offset..], "\u{fffd}\u{fffd}");
    }

    #[test]
    fn control_characters_are_refused_and_replaced_where_shown() {
        let error = SourceFile::from_bytes("m.yaml", b"a: \"\x1b[2J\x07\"\n".to_vec(), 100);
        assert_eq!(
            error.unwrap_err(),
            DecodeError::Unprintable {
                offset: 4,
                character: '\u{1b}',
                shown: "a: \"\u{fffd}[2J\u{fffd}\"\n".to_owned()
            }
        );
        let error = SourceFile::from_bytes("m.yaml", "a: \u{ffff}".into(), 100).unwrap_err();
        assert!(matches!(error, DecodeError::Unprintable { offset: 3, .. }));
        // Tabs, line breaks, NEL and text beyond ASCII are printable.
        let text = "a:\r\n  b: \"\tx\u{85}é🎨\"\r";
        assert!(SourceFile::from_bytes("m.yaml", text.into(), 100).is_ok());
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
