//! The JSON report validates against `schemas/report.schema.json`, for passing and failing runs,
//! and is one typed model both ways: what is written reads back into it.

use imgcost::Schema;
use imgcost::report::json::JsonReport;

use crate::test::{Test, repo, run_in};

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

/// Every report `check` and `diff` write reads back into the typed model
/// (`imgcost::report::json::JsonReport`, which `diff --baseline` reads), and that model written
/// again with serde_json's pretty printer is the same bytes: the writer that renders lists in
/// parallel lays them out as serde_json does, and the reader accepts everything it writes
/// (related places, exemptions, `null` figures of unpriced workflows, the `diff` object).
#[test]
fn reports_read_back_into_the_model_and_write_the_same_bytes() {
    let same_bytes = |written: &str| {
        let report: JsonReport<'_> = serde_json::from_str(written)
            .unwrap_or_else(|e| panic!("not read back ({e}):\n{written}"));
        assert_eq!(
            serde_json::to_string_pretty(&report).unwrap() + "\n",
            written
        );
    };
    let renderers = repo().join("tests/fixtures/renderers");
    for (dir, args) in [
        (repo(), vec!["check", "examples"]),
        (repo(), vec!["check", "tests/fixtures/diagnostics"]),
        (renderers, vec!["check", "apps", "--policy", "policy.yaml"]),
    ] {
        let mut args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        args.extend(["--format", "json", "--as-of", "2026-11-25"].map(str::to_owned));
        same_bytes(&run_in(&dir, &args, &[], &[]).stdout);
    }
    let manifest = "version: 1\nproject: p\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n  later:\n    model: gpt-image-9\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";
    let t = Test::new().file("imgcost.yaml", manifest);
    let check = ["check", "--format", "json", "--as-of", "2026-11-25"].map(str::to_owned);
    let saved = run_in(t.path(), &check, &[], &[]).stdout.clone();
    same_bytes(&saved);
    std::fs::write(t.path().join("base.json"), saved).unwrap();
    std::fs::write(
        t.path().join("imgcost.yaml"),
        manifest.replace("hero:", "banner:"),
    )
    .unwrap();
    let diff = [
        "diff",
        "--baseline",
        "base.json",
        "--format",
        "json",
        "--as-of",
        "2026-11-25",
    ]
    .map(str::to_owned);
    let written = run_in(t.path(), &diff, &[], &[]).stdout.clone();
    assert!(
        written.contains("\"renamed_from\": \"p/hero\""),
        "{written}"
    );
    same_bytes(&written);
}
