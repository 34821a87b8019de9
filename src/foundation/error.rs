//! Failures of the run itself (exit code 2), as opposed to findings (diagnostics).

use std::path::PathBuf;

use crate::foundation::Diagnostic;

/// Why a run could not produce a trustworthy report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no manifests found under {searched} (looked for files named imgcost.yaml, imgcost.yml, *.imgcost.yaml or *.imgcost.yml; files and folders that .gitignore, .ignore or .git/info/exclude ignore are skipped)"
    )]
    NothingToCheck { searched: String },
    #[error("no manifests at the head or at the base: nothing to compare")]
    NothingToCompare,
    #[error("path does not exist: {}", .0.display())]
    MissingPath(PathBuf),
    #[error("cannot read {what} {path}: {message}")]
    Unreadable {
        what: &'static str,
        path: String,
        message: String,
    },
    /// A policy, rate card or baseline that exists but is invalid; the diagnostics say where.
    #[error("invalid {what} {path}")]
    Invalid {
        what: &'static str,
        path: String,
        diagnostics: Vec<Diagnostic>,
    },
    /// A saved usage page or export that cannot be trusted: where (a JSON pointer, or a line
    /// of a CSV or JSON text) and why.
    #[error("invalid {what} {path} at {at}: {message}")]
    BadInput {
        what: &'static str,
        path: String,
        at: String,
        message: String,
    },
    #[error("{0}")]
    Usage(String),
    /// A file a report draws, read again, is not the file checked (or cannot be read any
    /// more): the report stops rather than show other lines than those judged.
    #[error(
        "{path} changed while imgcost ran ({why}); the report stops rather than show lines other than those judged: run imgcost again"
    )]
    Changed { path: String, why: String },
    #[error("git: {0}")]
    Git(String),
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}
