//! Stage 1, input: where manifests (and the files that judge them) come from.
//!
//! The [`Workspace`] (the working directory, the repository around it, and which files a run
//! may read), what git tracks and holds at a revision ([`git`]), which files are manifests
//! ([`discovery`]), and reading one file safely into a `SourceFile` ([`file_reader`]), and what was actually used and billed, from saved usage pages and exports
//! ([`usage`]). Below:
//! `foundation`, `rules`.

pub mod discovery;
pub mod file_reader;
pub mod git;
pub mod usage;
pub mod workspace;

pub use workspace::Workspace;
