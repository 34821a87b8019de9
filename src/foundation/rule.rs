//! The description of one rule: its stable code, default severity and documentation.
//!
//! Every finding imgcost reports names a rule. The rules themselves live in `rules/`, one file
//! each, with their documentation beside their code; this type is what they have in common and
//! what `imgcost rules` prints.

use crate::foundation::Severity;

/// A rule of the catalogue (`crate::rules`, `docs/rules/`).
pub struct Rule {
    /// Stable code users name in `severity:` and `exemptions:` (`IC201`).
    pub code: &'static str,
    /// Short kebab-case name (`workflow-over-budget`).
    pub name: &'static str,
    pub default_severity: Severity,
    /// The stage of the pipeline that finds it.
    pub stage: Stage,
    /// A policy may neither lower nor exempt it: its findings leave a workflow unread or
    /// unpriced, or guard the gate itself (a run that let them pass would judge nothing).
    pub fail_closed: bool,
    /// One line for the catalogue listing.
    pub summary: &'static str,
    /// Markdown: why it matters, an example, how to fix.
    pub doc: &'static str,
}

/// Where in the pipeline a rule's findings are made (for the catalogue and its docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Stage {
    /// Reading and loading a file: YAML, schema, typed read.
    Loading,
    /// Pricing a workflow from the rate card.
    Pricing,
    /// Judging one workflow against its budgets, the card's rules and the policies.
    Workflow,
    /// Judging one manifest as a whole.
    Manifest,
    /// Judging everything in the run together.
    Run,
    /// Applying the policies' exemptions and the report's limits.
    Settling,
    /// Comparing with a base (`imgcost diff`).
    Diff,
    /// Holding projections against saved usage and costs (`imgcost reconcile`).
    Reconcile,
}

impl Stage {
    /// What the stage is, for people.
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Loading => "found while a file is read and loaded",
            Self::Pricing => "found while a workflow is priced",
            Self::Workflow => "found when a priced workflow is judged",
            Self::Manifest => "found when a manifest is judged as a whole",
            Self::Run => "found when everything in the run is judged together",
            Self::Settling => "found when the policies' exemptions and the report's limits apply",
            Self::Diff => "found by `imgcost diff`",
            Self::Reconcile => "found by `imgcost reconcile`",
        }
    }
}

/// Where the rules' pages are published: `docs/rules/` of the repository.
pub const DOCS_URL: &str = "https://github.com/imgcost/imgcost/blob/main/docs/rules/";

impl Rule {
    /// The address of the rule's page (`docs/rules/IC201.md`), for SARIF's `helpUri` and links.
    #[must_use]
    pub fn help_uri(&self) -> String {
        format!("{DOCS_URL}{}.md", self.code)
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code)
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for Rule {}
