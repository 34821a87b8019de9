//! The result of a run, as data: what was checked, what each workflow costs, and every finding.
//!
//! `check` builds a `Report`; every renderer reads one. Nothing here formats text for people.

pub mod json;

use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::foundation::{Date, Diagnostic, Severity, SourceFile, decimal};

use crate::model::{Manifest, Workflow};

use crate::pricing::{Projection, RateCard};

/// One workflow as it appears in a report.
#[derive(Debug, Clone)]
pub struct WorkflowEntry {
    pub workflow: Workflow,
    pub file: Arc<SourceFile>,
    /// Index of its manifest in [`Report::manifests`].
    pub manifest: usize,
    /// 1-based position of the workflow's name key.
    pub line: usize,
    pub column: usize,
    /// `None` when the workflow could not be priced (the reason is a diagnostic). Boxed, like
    /// the workflow's fields, so that gathering fifty thousand entries moves pointers, not
    /// kilobytes.
    pub projection: Option<Box<Projection>>,
}

impl WorkflowEntry {
    #[must_use]
    pub fn monthly_usd(&self) -> Option<Decimal> {
        self.projection.as_ref().map(|p| p.monthly_usd)
    }

    #[must_use]
    pub fn budget_usd(&self) -> Option<Decimal> {
        self.workflow
            .spec
            .budget
            .as_ref()
            .and_then(|b| b.monthly_usd)
    }
}

/// Where a policy in force came from, so that every report can say which gate judged it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySource {
    pub name: String,
    pub origin: PolicyOrigin,
    /// The file, as the run shows paths; none for the built-in policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The git revision the file was read at (`--policy-ref`); for the built-in policy, the
    /// revision at which no repository policy was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
}

/// How a policy was chosen: they exclude each other within a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyOrigin {
    /// Named with `--policy`.
    CommandLine,
    /// The repository's `.imgcost/policy.yaml`, found from its top.
    Repository,
    /// imgcost's own default policy: no policy was named and the repository has none.
    BuiltIn,
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
    pub ratecard: Arc<RateCard>,
    /// The policies applied, in order, and where each came from.
    pub policies: Vec<PolicySource>,
    /// Manifest files examined, including those that could not be loaded.
    pub manifest_count: usize,
    /// The manifests that loaded (their workflows are in `workflows`). Boxed, as the workflows
    /// are, so that gathering them moves pointers.
    pub manifests: Vec<Box<Manifest>>,
    /// Workflows that could be read, grouped by manifest in file and line order. Boxed: each
    /// is made on the thread that loads its manifest, and gathering them here then moves a
    /// pointer rather than copying the entry while the manifest's own list still holds it.
    pub workflows: Vec<Box<WorkflowEntry>>,
    /// For each manifest, the range of its workflows in `workflows`.
    pub manifest_workflows: Vec<Range<usize>>,
    /// Sorted by file, line, column. Boxed, as the workflows are: gathered from each manifest's
    /// list and sorted by moving pointers, never a second copy of every finding at once.
    pub diagnostics: Vec<Box<Diagnostic>>,
    /// Active findings left out of `diagnostics` beyond the report's limits (IC007 names
    /// them); they still count.
    pub omitted: Counts,
    /// Bytes of manifest text read, which sets the run's limit of findings shown.
    pub input_bytes: u64,
}

impl Report {
    #[must_use]
    pub fn counts(&self) -> Counts {
        let mut counts = self.omitted;
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

    /// Workflows left out because of errors in them (not read, or read but not priced).
    #[must_use]
    pub fn unpriced_workflows(&self) -> usize {
        let unread: usize = self.manifests.iter().map(|m| m.unreadable_workflows).sum();
        unread
            + self
                .workflows
                .iter()
                .filter(|w| w.projection.is_none())
                .count()
    }

    /// The sum of every priced workflow; `None` when it passes [`decimal::MAX_USD`] (an IC108
    /// finding then says where).
    #[must_use]
    pub fn monthly_usd(&self) -> Option<Decimal> {
        decimal::sum_usd(
            self.workflows
                .iter()
                .filter_map(|entry| entry.monthly_usd()),
        )
        .ok()
    }

    /// The workflows of one manifest.
    #[must_use]
    pub fn workflows_of(&self, manifest: usize) -> &[Box<WorkflowEntry>] {
        self.manifest_workflows
            .get(manifest)
            .map_or(&[], |range| &self.workflows[range.clone()])
    }

    /// The sum of one manifest's priced workflows; `None` when it passes
    /// [`decimal::MAX_USD`] (an IC108 finding then says where).
    #[must_use]
    pub fn manifest_monthly_usd(&self, manifest: usize) -> Option<Decimal> {
        decimal::sum_usd(
            self.workflows_of(manifest)
                .iter()
                .filter_map(|entry| entry.monthly_usd()),
        )
        .ok()
    }

    /// The workflow with this id.
    #[must_use]
    pub fn workflow(&self, id: &str) -> Option<&WorkflowEntry> {
        self.workflows
            .iter()
            .find(|w| &*w.workflow.id == id)
            .map(|w| &**w)
    }
}
