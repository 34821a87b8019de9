//! Integration tests, one binary (as `just` does): each module drives the real `imgcost`
//! executable through the fluent helper in `test.rs`, or renders fixtures into golden files.

#[path = "integration/test.rs"]
mod test;

#[path = "integration/action.rs"]
mod action;
#[path = "integration/architecture.rs"]
mod architecture;
#[path = "integration/diagnostics.rs"]
mod diagnostics;
#[path = "integration/diff.rs"]
mod diff;
#[path = "integration/exit_codes.rs"]
mod exit_codes;
#[path = "integration/first_hour.rs"]
mod first_hour;
#[path = "integration/gate_integrity.rs"]
mod gate_integrity;
#[path = "integration/gate_loading.rs"]
mod gate_loading;
#[path = "integration/gate_output.rs"]
mod gate_output;
#[path = "integration/hostile.rs"]
mod hostile;
#[path = "integration/interchange.rs"]
mod interchange;
#[path = "integration/loading.rs"]
mod loading;
#[path = "integration/policies.rs"]
mod policies;
#[path = "integration/policy_test.rs"]
mod policy_test;
#[path = "integration/pr_loop.rs"]
mod pr_loop;
#[path = "integration/properties.rs"]
mod properties;
#[path = "integration/ratecard_2026_12.rs"]
mod ratecard_2026_12;
#[path = "integration/ratecards.rs"]
mod ratecards;
#[path = "integration/read_again.rs"]
mod read_again;
#[path = "integration/reconcile.rs"]
mod reconcile;
#[path = "integration/reference_points.rs"]
mod reference_points;
#[path = "integration/renderers.rs"]
mod renderers;
#[path = "integration/report_schema.rs"]
mod report_schema;
#[path = "integration/rule_docs.rs"]
mod rule_docs;
#[path = "integration/rules.rs"]
mod rules;
#[path = "integration/worked_examples.rs"]
mod worked_examples;
