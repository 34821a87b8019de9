//! The result of a run, as data: what was checked, what each workflow costs, and every finding.
//!
//! `check` builds a `Report`; every renderer reads one. Nothing here formats text for people:
//! the JSON form (SPEC §5) is built by `render::json`.

use crate::{Date, Diagnostic, Severity, Workflow};

/// One workflow as it appears in a report.
#[derive(Debug, Clone)]
pub struct WorkflowEntry {
    pub workflow: Workflow,
    /// The manifest file the workflow is in (relative path with `/`).
    pub file: String,
    /// 1-based line of the workflow's name key.
    pub line: usize,
    pub column: usize,
}

/// Counts of active (not exempted) findings by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// Everything a run found.
#[derive(Debug, Clone)]
pub struct Report {
    pub as_of: Date,
    /// Manifest files examined (including those that failed to load).
    pub manifests: usize,
    /// Workflows that could be read, sorted by file and line.
    pub workflows: Vec<WorkflowEntry>,
    /// Workflows left out because of errors in them.
    pub unreadable_workflows: usize,
    /// Sorted by file, line, column.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    #[must_use]
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for diagnostic in self.diagnostics.iter().filter(|d| d.is_active()) {
            match diagnostic.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Note => counts.notes += 1,
            }
        }
        counts
    }

    /// Whether the run passes: no active errors (and no warnings when they are denied).
    #[must_use]
    pub fn passed(&self, deny_warnings: bool) -> bool {
        let counts = self.counts();
        counts.errors == 0 && !(deny_warnings && counts.warnings > 0)
    }
}
