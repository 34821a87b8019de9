//! Reading one file into a [`SourceFile`], with the size cap, UTF-8 and printable-character
//! checks, turning every failure into a located diagnostic (IC005 unreadable, IC001 too large,
//! not UTF-8 or holding a control character).

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::{DecodeError, Diagnostic, Label, SourceFile, Span, rules};

/// Largest file imgcost reads. Manifests are a few kilobytes; the cap keeps a hostile pull
/// request from making a run read gigabytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Reads `path`, shown to users as `display`.
///
/// # Errors
/// An IC005 or IC001 diagnostic located at the start of the file.
pub fn read_source(path: &Path, display: &str) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
    let mut bytes = Vec::new();
    // Asked before opening: opening a FIFO blocks until something writes to it, and a device
    // (`/dev/zero`, a terminal behind `/dev/stdin`) never ends. A symbolic link committed to a
    // repository can point at either, and files named on the command line are not filtered.
    let read = std::fs::metadata(path).and_then(|metadata| {
        if metadata.is_dir() {
            return Err(std::io::Error::other("it is a directory, not a file"));
        }
        if !metadata.is_file() {
            return Err(std::io::Error::other(
                "it is not a regular file (a pipe, socket or device)",
            ));
        }
        // `take` hides the file's size from `read_to_end`, so reserve it here: one read a file.
        let expected = metadata.len().min(MAX_FILE_BYTES) + 1;
        bytes.reserve(usize::try_from(expected).unwrap_or_default());
        File::open(path)?
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
    });
    if let Err(error) = read {
        return Err(Box::new(unreadable(display, &error.to_string())));
    }
    decode(display, bytes)
}

/// Turns bytes (from disk or from git) into a source file.
///
/// # Errors
/// An IC001 diagnostic for invalid UTF-8, a control character or an oversized file.
pub fn decode(display: &str, bytes: Vec<u8>) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
    match SourceFile::from_bytes(display, bytes, MAX_FILE_BYTES) {
        Ok(file) => Ok(Arc::new(file)),
        Err(DecodeError::TooLarge { limit, .. }) => {
            let file = Arc::new(SourceFile::new(display, ""));
            Err(Box::new(
                Diagnostic::new(
                    &rules::IC001,
                    format!("file is larger than the {} KiB limit", limit / 1024),
                    Label::new(&file, Span::point(0), "file starts here"),
                )
                .with_help(
                    "a manifest is a few kilobytes; this is not a manifest, or it should be split",
                ),
            ))
        }
        Err(DecodeError::Unprintable {
            offset,
            character,
            shown,
        }) => {
            let file = Arc::new(SourceFile::new(display, shown));
            let end = offset + '\u{fffd}'.len_utf8();
            Err(Box::new(
                Diagnostic::new(
                    &rules::IC001,
                    format!(
                        "YAML does not allow the unprintable character U+{:04X}",
                        u32::from(character)
                    ),
                    Label::new(&file, Span::new(offset, end), "unprintable character"),
                )
                .with_help("remove it: it is invisible in editors, and no manifest field needs it"),
            ))
        }
        Err(DecodeError::InvalidUtf8 { offset, lossy }) => {
            let file = Arc::new(SourceFile::new(display, lossy));
            let end = file.text()[offset..]
                .chars()
                .next()
                .map_or(offset, |c| offset + c.len_utf8());
            Err(Box::new(
                Diagnostic::new(
                    &rules::IC001,
                    "file is not valid UTF-8",
                    Label::new(&file, Span::new(offset, end), "first invalid byte"),
                )
                .with_help("save the file as UTF-8"),
            ))
        }
    }
}

/// An IC005 finding for a path that could not be read.
#[must_use]
pub fn unreadable(display: &str, reason: &str) -> Diagnostic {
    let file = Arc::new(SourceFile::new(display, ""));
    Diagnostic::new(
        &rules::IC005,
        format!("cannot read {display}: {reason}"),
        Label::new(&file, Span::point(0), "this file"),
    )
}
