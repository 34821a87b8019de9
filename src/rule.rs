//! The description of one rule: its stable code, default severity and documentation.
//!
//! Every finding imgcost reports names a rule. The rules themselves live in `rules/`, one file
//! each, with their documentation beside their code; this type is what they have in common and
//! what `imgcost rules` prints.

use crate::Severity;

/// A rule of the catalogue (SPEC §6).
pub struct Rule {
    /// Stable code users name in `severity:` and `exemptions:` (`IC201`).
    pub code: &'static str,
    /// Short kebab-case name (`workflow-over-budget`).
    pub name: &'static str,
    pub default_severity: Severity,
    /// One line for the catalogue listing.
    pub summary: &'static str,
    /// Markdown: why it matters, an example, how to fix.
    pub doc: &'static str,
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
