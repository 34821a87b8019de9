//! The rule registry: every finding imgcost can report, declared once.
//!
//! Each rule is one file here holding its [`Rule`]: stable code, name, default severity, the
//! stage of the pipeline that finds it, whether a policy may lower or exempt it, a one-line
//! summary and its documentation (why it matters, an example, how to fix). The list below is
//! the only list of rules: [`ALL`], [`Code`] and [`find`] come from it, `imgcost rules` prints
//! it, `docs/rules/` and the README's table are generated from it ([`docs`], checked by a
//! test), and `policy::checks` matches every [`Code`] exhaustively, so a new rule does not
//! compile until it says which check finds it. This module depends on `foundation` only; the
//! checks live in the stages that find them.

use strum::{EnumIter, EnumString, IntoStaticStr};

use crate::foundation::Rule;

pub mod docs;

/// Declares the rules: one line each, the code and the file that holds its declaration.
macro_rules! rules {
    ($($code:ident => $module:ident,)*) => {
        $(
            mod $module;
            pub use $module::$code;
        )*

        /// A rule's code as a value: matched exhaustively where each rule is found.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, EnumString,
            IntoStaticStr,
        )]
        #[strum(ascii_case_insensitive)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// The rule with this code.
            #[must_use]
            pub const fn rule(self) -> &'static Rule {
                match self {
                    $(Self::$code => &$code,)*
                }
            }
        }

        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[$(&$code,)*];
    };
}

rules! {
    IC001 => ic001_yaml_syntax,
    IC002 => ic002_schema_violation,
    IC003 => ic003_duplicate_key,
    IC004 => ic004_duplicate_workflow_id,
    IC005 => ic005_unreadable_file,
    IC006 => ic006_yaml_construct_ignored,
    IC007 => ic007_findings_omitted,
    IC101 => ic101_unknown_model,
    IC102 => ic102_model_shut_down,
    IC103 => ic103_model_shutting_down,
    IC104 => ic104_size_not_accepted,
    IC105 => ic105_quality_not_supported,
    IC106 => ic106_rejected_combination,
    IC107 => ic107_cannot_price,
    IC108 => ic108_projection_overflow,
    IC201 => ic201_workflow_over_budget,
    IC202 => ic202_manifest_over_budget,
    IC203 => ic203_per_image_over_budget,
    IC204 => ic204_near_ceiling,
    IC301 => ic301_model_not_allowed,
    IC302 => ic302_quality_not_allowed,
    IC303 => ic303_size_not_allowed,
    IC304 => ic304_over_policy_limit,
    IC305 => ic305_required_field_missing,
    IC306 => ic306_exemption_expired,
    IC307 => ic307_exemption_unused,
    IC308 => ic308_project_outside_its_paths,
    IC401 => ic401_auto_quality,
    IC402 => ic402_auto_size,
    IC403 => ic403_batch_eligible,
    IC404 => ic404_cache_has_no_effect,
    IC405 => ic405_low_confidence,
    IC501 => ic501_diff_increase,
    IC502 => ic502_policy_changed,
    IC601 => ic601_actual_over_projection,
    IC602 => ic602_undeclared_usage,
    IC603 => ic603_no_usage,
    IC604 => ic604_cost_per_image_differs,
}

/// Looks a rule up by its code (case-insensitive).
#[must_use]
pub fn find(code: &str) -> Option<&'static Rule> {
    code.parse::<Code>().ok().map(Code::rule)
}

/// The rules no policy may lower or exempt: those whose findings leave a workflow unread or
/// unpriced, or that guard the gate itself.
pub fn fail_closed() -> impl Iterator<Item = &'static Rule> {
    ALL.iter().copied().filter(|rule| rule.fail_closed)
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use super::*;

    #[test]
    fn codes_are_unique_sorted_named_after_their_files_and_documented() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for (code, rule) in Code::iter().zip(ALL) {
            assert_eq!(<&str>::from(code), rule.code);
            assert_eq!(code.rule().code, rule.code);
            for section in ["## Why it matters", "## Example", "## How to fix"] {
                assert!(rule.doc.contains(section), "{} lacks {section}", rule.code);
            }
        }
        assert_eq!(find("ic201").map(|r| r.code), Some("IC201"));
        assert!(find("IC999").is_none());
        assert!(find("").is_none());
    }
}
