//! Exit codes exactly as docs/cli.md says: 0 no errors, 1 error findings, 2 the run failed.

use crate::test::Test;

const VALID: &str = "version: 1\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";

#[test]
fn a_valid_manifest_exits_0() {
    Test::new()
        .file("imgcost.yaml", VALID)
        .args(["check"])
        .run()
        .status(0)
        .stdout_has("passed: 1 manifest, 1 workflow");
}

#[test]
fn an_invalid_manifest_exits_1() {
    Test::new()
        .file("imgcost.yaml", "version: 1\nworkflows: {}\n")
        .args(["check"])
        .run()
        .status(1)
        .stdout_has("error[IC002]");
}

#[test]
fn nothing_to_check_exits_2_unless_allowed() {
    Test::new()
        .file("README.md", "hi")
        .args(["check"])
        .run()
        .status(2)
        .stderr_has("no manifests found under .");
    Test::new()
        .file("README.md", "hi")
        .args(["check", "--allow-empty"])
        .run()
        .status(0)
        .stdout_has("passed: 0 manifests");
}

#[test]
fn a_missing_path_exits_2() {
    Test::new()
        .args(["check", "nope/"])
        .run()
        .status(2)
        .stderr_has("path does not exist: nope/");
}

#[test]
fn bad_flags_exit_2() {
    Test::new()
        .args(["check", "--format", "yaml"])
        .run()
        .status(2)
        .stderr_has("invalid value 'yaml'");
    Test::new()
        .args(["check", "--as-of", "2026-02-30"])
        .run()
        .status(2)
        .stderr_has("not a day of the calendar");
    Test::new().args(["frobnicate"]).run().status(2);
}

#[test]
fn help_and_version_exit_0() {
    Test::new()
        .args(["--help"])
        .run()
        .status(0)
        .stdout_has("Exit codes:");
    Test::new()
        .args(["check", "--help"])
        .run()
        .status(0)
        .stdout_has("--deny-warnings");
    Test::new()
        .args(["--version"])
        .run()
        .status(0)
        .stdout_has("imgcost ");
}

#[test]
fn json_summary_says_whether_it_passed() {
    let ok = Test::new()
        .file("imgcost.yaml", VALID)
        .args(["check", "--format", "json"])
        .run()
        .status(0)
        .json();
    assert_eq!(ok["summary"]["passed"], true);
    let bad = Test::new()
        .file("imgcost.yaml", "version: 1\n")
        .args(["check", "--format", "json"])
        .run()
        .status(1)
        .json();
    assert_eq!(bad["summary"]["passed"], false);
    assert_eq!(bad["summary"]["errors"], 1);
}

#[test]
fn init_writes_the_starter_files_once() {
    let t = Test::new();
    let t = t.args(["init"]);
    let written = t.run();
    written.status(0);
    assert_eq!(
        written.stdout,
        "wrote ./imgcost.yaml\n\
         wrote ./.github/workflows/imgcost-check.yml\n\
         wrote ./.pre-commit-config.yaml\n\
         wrote ./.imgcost/tests/over-budget.yaml\n\
         wrote ./.imgcost/tests/over-budget.expect.yaml\n\
         next: edit imgcost.yaml, then run `imgcost check`; `imgcost policy test` runs .imgcost/tests\n"
    );
    // The starter manifest passes as written.
    let check = crate::test::run_in(
        t.path(),
        &["check".into(), "--as-of".into(), "2026-11-25".into()],
        &[],
        &[],
    );
    check.status(0).stdout_has("starter/hero-images");
    // A second run overwrites nothing: it writes only what is missing, and says so.
    std::fs::remove_file(t.path().join(".pre-commit-config.yaml")).unwrap();
    t.run()
        .status(0)
        .stdout_has("skipped ./imgcost.yaml: it exists (imgcost init never overwrites)")
        .stdout_has(
            "skipped ./.imgcost/tests/over-budget.yaml: it exists (imgcost init never overwrites)",
        )
        .stdout_has("wrote ./.pre-commit-config.yaml");
}
