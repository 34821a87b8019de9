//! The JSON report validates against `schemas/report.schema.json`, for passing and failing runs.

use imgcost::Schema;

use crate::test::{repo, run_in};

fn validate(args: &[&str]) {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let output = run_in(&repo(), &args, &[], &[]);
    let report: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    let errors: Vec<String> = Schema::Report
        .validator()
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path().as_str()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn check_reports_match_the_schema() {
    validate(&[
        "check",
        "examples",
        "--format",
        "json",
        "--as-of",
        "2026-11-25",
    ]);
    validate(&[
        "check",
        "tests/fixtures/diagnostics",
        "--format",
        "json",
        "--as-of",
        "2026-11-25",
    ]);
}
