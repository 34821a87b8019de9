//! The rule catalogue: every finding imgcost can report, one file per rule.
//!
//! Each file defines the rule's [`Rule`] value (stable code, name, default severity and its
//! documentation: why it matters, an example, how to fix) and, for rules that judge a priced
//! workflow, the check itself. `imgcost rules` lists [`ALL`]; `imgcost rules CODE` prints one.

mod ic001_yaml_syntax;
mod ic002_schema_violation;
mod ic003_duplicate_key;
mod ic004_duplicate_workflow_id;
mod ic005_unreadable_file;
mod ic101_unknown_model;
mod ic104_size_not_accepted;
mod ic105_quality_not_supported;
mod ic107_cannot_price;
mod ic108_projection_overflow;

pub use ic001_yaml_syntax::IC001;
pub use ic002_schema_violation::IC002;
pub use ic003_duplicate_key::IC003;
pub use ic004_duplicate_workflow_id::IC004;
pub use ic005_unreadable_file::IC005;
pub use ic101_unknown_model::IC101;
pub use ic104_size_not_accepted::IC104;
pub use ic105_quality_not_supported::IC105;
pub use ic107_cannot_price::IC107;
pub use ic108_projection_overflow::IC108;

use crate::Rule;

/// Every rule, in code order.
pub static ALL: &[&Rule] = &[
    &IC001, &IC002, &IC003, &IC004, &IC005, &IC101, &IC104, &IC105, &IC107, &IC108,
];

/// Looks a rule up by its code (case-insensitive).
#[must_use]
pub fn find(code: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for rule in ALL {
            for section in ["## Why it matters", "## Example", "## How to fix"] {
                assert!(rule.doc.contains(section), "{} lacks {section}", rule.code);
            }
        }
    }
}
