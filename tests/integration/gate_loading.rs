//! Gate integrity (issue 13): what the loading side of the gate must refuse or flag. Numbers that
//! cannot be held exactly (class 4), copies that grow without limit (class 8), lookups of places
//! on one long line (class 9), an edit without an input image, YAML tags and directives that
//! would be ignored (class 16), and a folder name that is no project name (class 13). Each case
//! asserts the exit code and the rule, line and column of what it expects.

use serde_json::Value;

use crate::test::{Output, Test};

const HEAD: &str = "version: 1\nproject: p\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n";

/// Checks one manifest, `imgcost.yaml`, holding `text`.
fn check(text: impl AsRef<[u8]>) -> Output {
    Test::new()
        .file("imgcost.yaml", text)
        .args(["check", "--as-of", "2026-11-25", "--format", "json"])
        .run()
}

/// Checks `imgcost.yaml` under the policy `policy.yaml`.
fn check_with_policy(text: &str, policy: &str) -> Output {
    Test::new()
        .file("imgcost.yaml", text)
        .file("policy.yaml", policy)
        .args([
            "check",
            "imgcost.yaml",
            "--policy",
            "policy.yaml",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
        ])
        .run()
}

/// Rule, line and column of each finding of error severity, in report order.
fn errors(report: &Value) -> Vec<(String, u64, u64)> {
    findings(report, "error")
}

fn findings(report: &Value, severity: &str) -> Vec<(String, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == severity)
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_owned(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
            )
        })
        .collect()
}

/// The one error finding of a report, asserted to be `rule` at `line`:`column`.
#[track_caller]
fn only_error<'a>(report: &'a Value, rule: &str, line: u64, column: u64) -> &'a Value {
    assert_eq!(
        errors(report),
        [(rule.to_owned(), line, column)],
        "{report:#}"
    );
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error")
}

/// Gate integrity, class 4: `0.00000000000000000000000000002e0` was rounded to 0 by the exponent
/// parser, and a zero share of accepted images skipped the per-image budget. In every notation a
/// number that needs more than 28 places is an error at the value.
#[test]
fn a_share_too_small_to_hold_is_an_error_in_every_notation() {
    for number in [
        "0.00000000000000000000000000002e0",
        "2e-29",
        "2E-29",
        "+2.0e-29",
        "0.000000000000000000000000000020E+0",
        "20e-30",
        "0.00000000000000000000000000002",
    ] {
        let text = format!(
            "{HEAD}    volume: {{requests_per_month: 100, accepted_fraction: {number}}}\n    budget: {{per_accepted_image_usd: 0.01}}\n"
        );
        let report = check(&text).status(1).json();
        let finding = only_error(&report, "IC002", 7, 58);
        assert_eq!(
            finding["message"],
            format!(
                "`{number}` cannot be represented exactly (imgcost computes with at most 28 decimal places)"
            ),
            "{number}"
        );
        assert_eq!(
            finding["end_column"].as_u64(),
            Some(58 + number.len() as u64)
        );
    }
    // Exactly zero is zero however it is written, and the schema refuses a zero share.
    let text = format!("{HEAD}    volume: {{requests_per_month: 100, accepted_fraction: 0e-99}}\n");
    let report = check(&text).status(1).json();
    let finding = only_error(&report, "IC002", 7, 58);
    assert_eq!(
        finding["message"],
        "`accepted_fraction` must be greater than 0, found `0e-99`"
    );
    // Zeros that change nothing do not count: 1.50e1 requests are 15.
    let text = format!("{HEAD}    volume: {{requests_per_month: 1.50e1}}\n");
    let report = check(&text).status(0).json();
    assert_eq!(report["workflows"][0]["volume"]["attempts"], "15");
    let text = format!("{HEAD}    volume: {{requests_per_month: 123e30}}\n");
    only_error(&check(&text).status(1).json(), "IC002", 7, 34);
}

/// Gate integrity, class 4: the schema compares numbers as 64-bit floats, in which
/// `1.0000000000000000000000000001` is 1 and `100.00000000000000000001` is whole; the decimal that
/// is priced must be in range too.
#[test]
fn ranges_hold_for_the_exact_decimal_not_its_float() {
    for (field, line, column, message) in [
        (
            "    volume: {requests_per_month: 100, accepted_fraction: 1.0000000000000000000000000001}\n",
            7,
            58,
            "a share must be at most 1, found `1.0000000000000000000000000001`",
        ),
        (
            "    volume: {requests_per_month: 100}\n    inputs: {prompt_tokens: 100, cached_fraction: 1.0000000000000000000000000001}\n",
            8,
            51,
            "a share must be at most 1, found `1.0000000000000000000000000001`",
        ),
        (
            "    volume: {requests_per_month: 100}\n    inputs: {prompt_tokens: 100.00000000000000000001}\n",
            8,
            29,
            "a count must be a whole number, found `100.00000000000000000001`",
        ),
    ] {
        let report = check(format!("{HEAD}{field}")).status(1).json();
        let finding = only_error(&report, "IC002", line, column);
        assert_eq!(finding["message"], message);
    }
}

/// Gate integrity, class 4: a workflow that pays for images but whose cost per accepted image
/// has no figure (accepted images rounded to 0, or a quotient beyond what a decimal holds) was
/// skipped by the per-image budget (IC203) and the policy's per-image limit (IC304). Paid for and
/// none accepted is an unbounded cost per accepted image: over any per-image ceiling.
#[test]
fn a_per_image_cost_that_cannot_be_computed_is_over_every_per_image_ceiling() {
    let policy = "version: 1\nname: finops\nrules:\n  limits:\n    per_accepted_image_usd: 0.50\n";
    // 1e-14 requests × 1e-15 kept = 1e-29 accepted images, which rounds to 0; the cost does not.
    let tiny = format!(
        "{HEAD}    inputs: {{prompt_tokens: 1000000000}}\n    volume: {{requests_per_month: 0.00000000000001, accepted_fraction: 0.000000000000001}}\n    budget: {{per_accepted_image_usd: 0.01}}\n"
    );
    let report = check_with_policy(&tiny, policy).status(1).json();
    assert_eq!(
        errors(&report),
        [("IC304".to_owned(), 4, 3), ("IC203".to_owned(), 9, 38),],
        "{report:#}"
    );
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    let message = |rule: &str| {
        diagnostics
            .iter()
            .find(|d| d["rule"] == rule)
            .map(|d| d["message"].as_str().expect("message").to_owned())
    };
    assert_eq!(
        message("IC203").as_deref(),
        Some(
            "projected $0.00 a month for no accepted image: the cost per accepted image has no bound, over the per-image budget of $0.0100"
        )
    );
    assert_eq!(
        message("IC304").as_deref(),
        Some(
            "projected $0.00 a month for no accepted image: the cost per accepted image has no bound, over the policy limit per accepted image of $0.5000"
        )
    );
    assert_eq!(
        report["workflows"][0]["per_accepted_image_usd"],
        Value::Null
    );
    // A billion prompt tokens a call for 1e-28 of an image each: the quotient overflows.
    let huge = format!(
        "{HEAD}    inputs: {{prompt_tokens: 1000000000}}\n    volume: {{requests_per_month: 1000, accepted_fraction: 0.0000000000000000000000000001}}\n    budget: {{per_accepted_image_usd: 0.01}}\n"
    );
    let report = check(&huge).status(1).json();
    let finding = only_error(&report, "IC203", 9, 38);
    assert_eq!(
        finding["message"],
        "projected $5,000,005.88 a month for 0.0000000000000000000000001 accepted images: the cost per accepted image is beyond what imgcost computes, over the per-image budget of $0.0100"
    );
    // No request, nothing paid: nothing to judge per image, and no finding.
    let idle = format!(
        "{HEAD}    volume: {{requests_per_month: 0}}\n    budget: {{per_accepted_image_usd: 0.01}}\n"
    );
    let report = check_with_policy(&idle, policy).status(0).json();
    assert_eq!(errors(&report), []);
}
