//! The rule catalogue: every finding imgcost can report, one file per rule.
//!
//! Each file defines the rule's [`Rule`] value (stable code, name, default severity and its
//! documentation: why it matters, an example, how to fix) and, for rules that judge a priced
//! workflow, the check itself. `imgcost rules` lists [`ALL`]; `imgcost rules CODE` prints one.

mod context;
mod ic001_yaml_syntax;
mod ic002_schema_violation;
mod ic003_duplicate_key;
mod ic004_duplicate_workflow_id;
mod ic005_unreadable_file;
mod ic006_yaml_construct_ignored;
mod ic007_findings_omitted;
mod ic101_unknown_model;
mod ic102_model_shut_down;
mod ic103_model_shutting_down;
mod ic104_size_not_accepted;
mod ic105_quality_not_supported;
mod ic106_rejected_combination;
mod ic107_cannot_price;
mod ic108_projection_overflow;
mod ic201_workflow_over_budget;
mod ic202_manifest_over_budget;
mod ic203_per_image_over_budget;
mod ic204_near_ceiling;
mod ic301_model_not_allowed;
mod ic302_quality_not_allowed;
mod ic303_size_not_allowed;
mod ic304_over_policy_limit;
mod ic305_required_field_missing;
mod ic306_exemption_expired;
mod ic307_exemption_unused;
mod ic308_project_outside_its_paths;
mod ic401_auto_quality;
mod ic402_auto_size;
mod ic403_batch_eligible;
mod ic404_cache_has_no_effect;
mod ic405_low_confidence;
mod ic501_diff_increase;
mod ic502_policy_changed;

pub use context::WorkflowContext;
pub use ic001_yaml_syntax::IC001;
pub use ic002_schema_violation::IC002;
pub use ic003_duplicate_key::IC003;
pub use ic004_duplicate_workflow_id::IC004;
pub use ic005_unreadable_file::IC005;
pub use ic006_yaml_construct_ignored::{IC006, finding as ignored_construct};
pub use ic007_findings_omitted::IC007;
pub use ic101_unknown_model::IC101;
pub use ic102_model_shut_down::IC102;
pub use ic103_model_shutting_down::IC103;
pub use ic104_size_not_accepted::IC104;
pub use ic105_quality_not_supported::IC105;
pub use ic106_rejected_combination::IC106;
pub use ic107_cannot_price::IC107;
pub use ic108_projection_overflow::IC108;
pub use ic201_workflow_over_budget::IC201;
pub use ic202_manifest_over_budget::IC202;
pub use ic203_per_image_over_budget::IC203;
pub use ic204_near_ceiling::IC204;
pub use ic301_model_not_allowed::IC301;
pub use ic302_quality_not_allowed::IC302;
pub use ic303_size_not_allowed::IC303;
pub use ic304_over_policy_limit::IC304;
pub use ic305_required_field_missing::IC305;
pub use ic306_exemption_expired::IC306;
pub use ic307_exemption_unused::IC307;
pub use ic308_project_outside_its_paths::IC308;
pub use ic401_auto_quality::IC401;
pub use ic402_auto_size::IC402;
pub use ic403_batch_eligible::IC403;
pub use ic404_cache_has_no_effect::IC404;
pub use ic405_low_confidence::IC405;
pub use ic501_diff_increase::IC501;
pub use ic502_policy_changed::IC502;

use crate::policy::PolicySet;
use crate::{Diagnostic, Report, Rule};

/// Every rule, in code order.
pub static ALL: &[&Rule] = &[
    &IC001, &IC002, &IC003, &IC004, &IC005, &IC006, &IC007, &IC101, &IC102, &IC103, &IC104, &IC105,
    &IC106, &IC107, &IC108, &IC201, &IC202, &IC203, &IC204, &IC301, &IC302, &IC303, &IC304, &IC305,
    &IC306, &IC307, &IC308, &IC401, &IC402, &IC403, &IC404, &IC405, &IC501, &IC502,
];

/// The checks run on every readable workflow, in code order.
pub static WORKFLOW_CHECKS: &[fn(&WorkflowContext<'_>, &mut Vec<Diagnostic>)] = &[
    ic102_model_shut_down::check,
    ic103_model_shutting_down::check,
    ic106_rejected_combination::check,
    ic201_workflow_over_budget::check,
    ic203_per_image_over_budget::check,
    ic301_model_not_allowed::check,
    ic302_quality_not_allowed::check,
    ic303_size_not_allowed::check,
    ic304_over_policy_limit::check_workflow,
    ic305_required_field_missing::check,
    ic401_auto_quality::check,
    ic402_auto_size::check,
    ic403_batch_eligible::check,
    ic404_cache_has_no_effect::check,
    ic405_low_confidence::check,
];

/// The checks of one manifest as a whole.
pub fn check_manifest(
    report: &Report,
    index: usize,
    policies: &PolicySet,
    out: &mut Vec<Diagnostic>,
) {
    ic202_manifest_over_budget::check(report, index, policies, out);
    ic304_over_policy_limit::check_manifest(report, index, policies, out);
}

/// The checks of everything in the run together.
pub fn check_run(report: &Report, policies: &PolicySet, out: &mut Vec<Diagnostic>) {
    ic304_over_policy_limit::check_total(report, policies, out);
}

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
