//! Reading one file into a [`SourceFile`], with the size cap, UTF-8 and printable-character
//! checks, turning every failure into a located diagnostic (IC005 unreadable, IC001 too large,
//! not UTF-8 or holding a control character); and reading a manifest again, from where it was
//! read, for a report that draws its lines ([`read_again`]).

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::rules;

use crate::foundation::{DecodeError, Diagnostic, Error, Label, Origin, SourceFile};

use crate::input::{Workspace, git};

use crate::yaml::Span;

/// Largest file imgcost reads. Manifests are a few kilobytes; the cap keeps a hostile pull
/// request from making a run read gigabytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Why a file reached through a symbolic link that leaves the repository is not read; the
/// link's target is never shown (it may be the path of a secret).
pub const LINK_OUTSIDE: &str =
    "it is a symbolic link to a place outside the repository; imgcost does not follow it";

/// Reads `path`, shown to users as `display`: a manifest, whose place discovery has vetted.
///
/// # Errors
/// An IC005 or IC001 diagnostic located at the start of the file.
pub fn read_source(path: &Path, display: &str) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
    match read_regular(path, MAX_FILE_BYTES) {
        Ok(bytes) => decode(display, bytes),
        Err(error) => Err(Box::new(unreadable(display, &error.to_string()))),
    }
}

/// Reads again, from where and as it was read (the same guards, the same cap), the text of a
/// manifest the run kept only the lines of ([`SourceFile::lines_only`]), for a report that draws
/// its lines: the human format reads each file when its findings are drawn instead of keeping
/// every text to the end of the run.
///
/// # Errors
/// [`Error::Changed`], naming the file, when it cannot be read again or is not the text
/// checked (its length or hash differ): a report never draws other bytes than those judged.
pub fn read_again(file: &SourceFile) -> Result<SourceFile, Error> {
    let changed = |why: &str| Error::Changed {
        path: file.path().to_owned(),
        why: why.to_owned(),
    };
    let bytes = match file.origin() {
        Some(Origin::WorkTree(path)) => {
            read_regular(path, MAX_FILE_BYTES).map_err(|error| changed(&error.to_string()))?
        }
        Some(Origin::Index { root, relative }) => match git::read_from_index(root, relative) {
            Ok(git::Object::File(bytes)) => bytes,
            Ok(_) => return Err(changed("it is no longer a file in git's index")),
            Err(error) => return Err(changed(&error.to_string())),
        },
        None => {
            return Err(changed(
                "imgcost kept neither its text nor where it was read",
            ));
        }
    };
    match SourceFile::from_bytes(file.path(), bytes, MAX_FILE_BYTES) {
        Ok(again) if file.was_made_from(&again) => Ok(again),
        _ => Err(changed("its bytes are not those checked")),
    }
}

/// Reads a file that is not a manifest (a policy, a rate card, a baseline report): its place is
/// checked first ([`Workspace::confine`]), then it is read as [`read_regular`] does, at most
/// `limit` bytes.
///
/// # Errors
/// The reason, fit to follow "cannot read FILE: ". It never quotes the file.
pub fn read_confined(workspace: &Workspace, path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    workspace.confine(path)?;
    read_regular(&workspace.cwd.join(path), limit).map_err(|error| error.to_string())
}

/// [`read_confined`] into `bytes`, whose room is reused: a run that reads many large files
/// (`reconcile`'s pages) reads each into memory already mapped, not into fresh pages.
///
/// # Errors
/// As [`read_confined`].
pub fn read_confined_into(
    workspace: &Workspace,
    path: &Path,
    limit: u64,
    bytes: &mut Vec<u8>,
) -> Result<(), String> {
    workspace.confine(path)?;
    read_regular_into(&workspace.cwd.join(path), limit, bytes).map_err(|error| error.to_string())
}

/// Reads a regular file, at most `limit + 1` bytes (one more than allowed, so that the caller
/// can tell a file over the limit).
///
/// A symbolic link committed to a repository can point at a FIFO (opening one blocks until
/// something writes to it) or a device (`/dev/zero` never ends), and files named on the command
/// line are not filtered: the file is opened without blocking and without becoming a
/// controlling terminal, and what was opened is asked whether it is a regular file before a
/// byte is read.
///
/// # Errors
/// When the file cannot be opened, is not a regular file, or reading fails.
pub fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    read_regular_into(path, limit, &mut bytes)?;
    Ok(bytes)
}

/// [`read_regular`] into `bytes` (cleared first, its room kept).
///
/// # Errors
/// As [`read_regular`].
pub fn read_regular_into(path: &Path, limit: u64, bytes: &mut Vec<u8>) -> std::io::Result<()> {
    bytes.clear();
    let file = open_without_blocking(path)?;
    let metadata = file.metadata()?;
    if metadata.is_dir() {
        return Err(std::io::Error::other("it is a directory, not a file"));
    }
    if !metadata.is_file() {
        return Err(std::io::Error::other(
            "it is not a regular file (a pipe, socket or device)",
        ));
    }
    // `take` hides the file's size from `read_to_end`, so reserve it here: one read a file.
    let expected = metadata.len().min(limit) + 1;
    bytes.reserve(usize::try_from(expected).unwrap_or_default());
    file.take(limit + 1).read_to_end(bytes)?;
    Ok(())
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

/// Elsewhere, FIFOs and devices are told from their metadata before opening.
#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() && !metadata.is_dir() {
        return Err(std::io::Error::other(
            "it is not a regular file (a pipe, socket or device)",
        ));
    }
    File::open(path)
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
            let message = if crate::foundation::source_file::is_bidi_control(character) {
                format!(
                    "the bidirectional control character U+{:04X} reorders how the file is shown; imgcost refuses it",
                    u32::from(character)
                )
            } else {
                format!(
                    "YAML does not allow the unprintable character U+{:04X}",
                    u32::from(character)
                )
            };
            Err(Box::new(
                Diagnostic::new(
                    &rules::IC001,
                    message,
                    Label::new(&file, Span::new(offset, end), "unprintable character"),
                )
                .with_help("remove it: it is invisible in editors, and no manifest field needs it"),
            ))
        }
        Err(DecodeError::InvalidUtf8 { offset, lossy }) => {
            let file = Arc::new(SourceFile::new(display, lossy));
            let end = file.text().unwrap_or_default()[offset..]
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
