//! The checks of the rules found when a priced workflow, a manifest or the whole run is judged,
//! one file per rule, and the table that says which check finds which rule.
//!
//! [`checks_of`] matches every rule code exhaustively: adding a rule to `crate::rules` does not
//! compile until this table says where it is found (one of the checks here, or another stage,
//! named). The lists the judge runs ([`workflow_checks`] and the manifest and run checks) come
//! from the table, in code order.

mod context;
mod ic102_model_shut_down;
mod ic103_model_shutting_down;
mod ic106_rejected_combination;
mod ic201_workflow_over_budget;
mod ic202_manifest_over_budget;
mod ic203_per_image_over_budget;
mod ic204_near_ceiling;
mod ic301_model_not_allowed;
mod ic302_quality_not_allowed;
mod ic303_size_not_allowed;
mod ic304_over_policy_limit;
mod ic305_required_field_missing;
mod ic401_auto_quality;
mod ic402_auto_size;
mod ic403_batch_eligible;
mod ic404_cache_has_no_effect;
mod ic405_low_confidence;
mod shutdowns;

use std::sync::LazyLock;

use strum::IntoEnumIterator;

pub use context::WorkflowContext;

use crate::foundation::Diagnostic;
use crate::policy::PolicySet;
use crate::report::Report;
use crate::rules::Code;

/// A check of one priced workflow.
pub type WorkflowCheck = fn(&WorkflowContext<'_>, &mut Vec<Diagnostic>);
/// A check of one manifest as a whole (by its index in the report).
pub type ManifestCheck = fn(&Report, usize, &PolicySet, &mut Vec<Diagnostic>);
/// A check of everything in the run together.
pub type RunCheck = fn(&Report, &PolicySet, &mut Vec<Diagnostic>);

/// What finds a rule's findings.
pub struct Checks {
    pub workflow: Option<WorkflowCheck>,
    pub manifest: Option<ManifestCheck>,
    pub run: Option<RunCheck>,
    /// Found elsewhere in the pipeline, named for people (when none of the above).
    pub elsewhere: Option<&'static str>,
}

const fn workflow(check: WorkflowCheck) -> Checks {
    Checks {
        workflow: Some(check),
        manifest: None,
        run: None,
        elsewhere: None,
    }
}

const fn elsewhere(place: &'static str) -> Checks {
    Checks {
        workflow: None,
        manifest: None,
        run: None,
        elsewhere: Some(place),
    }
}

/// Which check finds each rule.
#[must_use]
pub const fn checks_of(code: Code) -> Checks {
    match code {
        Code::IC001 | Code::IC002 | Code::IC003 | Code::IC006 => elsewhere("model::manifest"),
        Code::IC004 => elsewhere("run::check (duplicate ids)"),
        Code::IC005 => elsewhere("input (discovery, file_reader)"),
        Code::IC007 | Code::IC306 | Code::IC307 => elsewhere("policy::judge (settling)"),
        Code::IC101 | Code::IC104 | Code::IC105 | Code::IC107 => elsewhere("pricing::projection"),
        Code::IC108 => elsewhere("pricing::projection, run::check (totals)"),
        Code::IC308 => elsewhere("policy::projects"),
        Code::IC501 | Code::IC502 => elsewhere("run::diff"),
        Code::IC601 | Code::IC602 | Code::IC603 | Code::IC604 => elsewhere("run::reconcile"),
        Code::IC102 => workflow(ic102_model_shut_down::check),
        Code::IC103 => workflow(ic103_model_shutting_down::check),
        Code::IC106 => workflow(ic106_rejected_combination::check),
        Code::IC201 => workflow(ic201_workflow_over_budget::check),
        Code::IC202 => Checks {
            workflow: None,
            manifest: Some(ic202_manifest_over_budget::check),
            run: None,
            elsewhere: None,
        },
        Code::IC203 => workflow(ic203_per_image_over_budget::check),
        // Near a ceiling: found beside each ceiling's own check (IC201, IC202, IC203, IC304).
        Code::IC204 => elsewhere("the ceiling checks (IC201, IC202, IC203, IC304)"),
        Code::IC301 => workflow(ic301_model_not_allowed::check),
        Code::IC302 => workflow(ic302_quality_not_allowed::check),
        Code::IC303 => workflow(ic303_size_not_allowed::check),
        Code::IC304 => Checks {
            workflow: Some(ic304_over_policy_limit::check_workflow),
            manifest: Some(ic304_over_policy_limit::check_manifest),
            run: Some(ic304_over_policy_limit::check_total),
            elsewhere: None,
        },
        Code::IC305 => workflow(ic305_required_field_missing::check),
        Code::IC401 => workflow(ic401_auto_quality::check),
        Code::IC402 => workflow(ic402_auto_size::check),
        Code::IC403 => workflow(ic403_batch_eligible::check),
        Code::IC404 => workflow(ic404_cache_has_no_effect::check),
        Code::IC405 => workflow(ic405_low_confidence::check),
    }
}

/// The checks run on every priced workflow, in code order.
pub fn workflow_checks() -> &'static [WorkflowCheck] {
    static CHECKS: LazyLock<Vec<WorkflowCheck>> =
        LazyLock::new(|| Code::iter().filter_map(|c| checks_of(c).workflow).collect());
    &CHECKS
}

/// The checks of each manifest as a whole, in code order.
pub fn manifest_checks() -> &'static [ManifestCheck] {
    static CHECKS: LazyLock<Vec<ManifestCheck>> =
        LazyLock::new(|| Code::iter().filter_map(|c| checks_of(c).manifest).collect());
    &CHECKS
}

/// The checks of the whole run, in code order.
pub fn run_checks() -> &'static [RunCheck] {
    static CHECKS: LazyLock<Vec<RunCheck>> =
        LazyLock::new(|| Code::iter().filter_map(|c| checks_of(c).run).collect());
    &CHECKS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule is found by something: a check here, or a stage named.
    #[test]
    fn every_rule_has_a_finder() {
        for code in Code::iter() {
            let checks = checks_of(code);
            let found = checks.workflow.is_some()
                || checks.manifest.is_some()
                || checks.run.is_some()
                || checks.elsewhere.is_some();
            assert!(found, "{code:?}");
        }
        assert_eq!(workflow_checks().len(), 15);
    }
}
