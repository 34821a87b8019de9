//! Policies (SPEC §2.3): what workflows may use and spend, loaded, combined, and applied to a
//! report (`judge`), with severity overrides and expiring exemptions.

mod judge;
#[allow(clippy::module_inception)] // one main type per file, named after it
mod policy;
mod policy_set;
pub mod projects;

pub use judge::{judge, settle};
pub use policy::{
    AllowDeny, DiffLimits, Exemption, FAIL_CLOSED_RULES, Limits, ModelPattern, ModelRules, NRule,
    Policy, PolicyRules, ProjectBinding, Required, SizeRules,
};
pub use policy_set::{DEFAULT_POLICY, PolicySet, REPOSITORY_POLICY, Strictest, kept};
