//! Stage 5, policy: what workflows may use and spend, and the judging of a priced report.
//!
//! Policy files ([`Policy`]) loaded and combined ([`PolicySet`]: the strictest value wins), the
//! places projects are bound to ([`projects`]), the checks of every rule that judges a priced
//! workflow, manifest or run ([`checks`]), and [`judge`] and [`settle`], which run them and then
//! apply the policies' severities, exemptions and the report's limits. Below: `report`,
//! `pricing`, `model`, `input`, `rules`, `foundation`. The policy format: docs/policy.md.

pub mod checks;
mod judge;
#[allow(clippy::module_inception)] // one main type per file, named after it
mod policy;
mod policy_set;
pub mod projects;

pub use judge::{RunKind, judge, judge_workflows, settle};
pub use policy::{
    AllowDeny, DiffLimits, Exemption, Limits, ModelPattern, ModelRules, NRule, Policy, PolicyRules,
    ProjectBinding, ReconcileTolerances, Required, SizeRules,
};
pub use policy_set::{DEFAULT_POLICY, PolicySet, REPOSITORY_POLICY, Strictest, kept};
