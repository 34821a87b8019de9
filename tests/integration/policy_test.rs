//! `imgcost policy test`: fixtures (`<name>.yaml` beside `<name>.expect.yaml`) checked with the
//! policies in use and held to their expectations; human, JSON and JUnit output; exit codes.

use crate::test::{Test, git, run_in};

/// The fixture `imgcost init` writes: $89.59 a month against a workflow budget of $50.
const OVER_BUDGET: &str = include_str!("../../examples/policy-tests/over-budget.yaml");
const OVER_BUDGET_EXPECT: &str =
    include_str!("../../examples/policy-tests/over-budget.expect.yaml");

/// The same manifest within its budget.
fn within_budget() -> String {
    OVER_BUDGET.replace("monthly_usd: 50 }", "monthly_usd: 150 }")
}

const WITHIN_EXPECT: &str = "as_of: 2026-12-01
not_raises:
  - rule: IC201
monthly_usd: 89.59
";

/// A fixture whose expectations are all wrong: a rule it does not raise, a rule it raises, and
/// the wrong total.
const WRONG_EXPECT: &str = "as_of: 2026-12-01
raises:
  - rule: IC202
not_raises:
  - rule: IC201
    severity: error
monthly_usd: \"90.00\"
";

fn repository(t: Test) -> Test {
    git(t.path(), &["init", "-q"]);
    t
}

#[test]
fn a_fixture_set_that_meets_its_expectations_passes() {
    let t = repository(Test::new())
        .file(".imgcost/tests/over-budget.yaml", OVER_BUDGET)
        .file(".imgcost/tests/over-budget.expect.yaml", OVER_BUDGET_EXPECT)
        .file(".imgcost/tests/within.yaml", within_budget())
        .file(".imgcost/tests/within.expect.yaml", WITHIN_EXPECT)
        .args(["policy", "test"]);
    let output = t.run();
    output.status(0);
    assert_eq!(
        output.stdout,
        "PASS .imgcost/tests/over-budget.yaml (3 expectations, as of 2026-12-01)\n\
         PASS .imgcost/tests/within.yaml (2 expectations, as of 2026-12-01)\n\
         2 fixtures, 0 failed; 5 expectations, 0 unmet\n\
         policy default, built in (no .imgcost/policy.yaml at the repository's top)\n"
    );
}

#[test]
fn unmet_expectations_fail_at_their_lines_in_every_format() {
    let t = repository(Test::new())
        .file("fixtures/over-budget.yaml", OVER_BUDGET)
        .file("fixtures/over-budget.expect.yaml", WRONG_EXPECT)
        .args(["policy", "test", "fixtures"]);
    let output = t.run();
    output.status(1);
    assert_eq!(
        output.stdout,
        "FAIL fixtures/over-budget.yaml (3 expectations, as of 2026-12-01)\n  \
         fixtures/over-budget.expect.yaml:3:5: raises IC202: not raised; the check raised IC201 (error)\n  \
         fixtures/over-budget.expect.yaml:5:5: does not raise IC201 (error): raised at fixtures/over-budget.yaml:25:28: projected $89.59 a month, over the workflow budget of $50.00 by $39.59 (79.2 %)\n  \
         fixtures/over-budget.expect.yaml:7:14: monthly total $90.00: the monthly total is $89.59\n\
         1 fixture, 1 failed; 3 expectations, 3 unmet\n\
         policy default, built in (no .imgcost/policy.yaml at the repository's top)\n"
    );

    let json = run_in(
        t.path(),
        &[
            "policy".into(),
            "test".into(),
            "fixtures".into(),
            "--format".into(),
            "json".into(),
        ],
        &[],
        &[],
    );
    let json = json.status(1).json();
    let outcomes = &json["fixtures"][0]["outcomes"];
    assert_eq!(outcomes.as_array().map(Vec::len), Some(3));
    assert_eq!(outcomes[0]["kind"], "raises");
    assert_eq!(outcomes[0]["rule"], "IC202");
    assert_eq!(outcomes[0]["line"], 3);
    assert_eq!(outcomes[0]["passed"], false);
    assert_eq!(outcomes[1]["kind"], "not_raises");
    assert_eq!(outcomes[1]["severity"], "error");
    assert_eq!(outcomes[2]["kind"], "monthly_usd");
    assert_eq!(outcomes[2]["usd"], "90.00");
    assert_eq!(outcomes[2]["detail"], "the monthly total is $89.59");
    assert_eq!(
        json["policy_sources"],
        serde_json::json!([{"name": "default", "origin": "built-in"}])
    );

    let junit = run_in(
        t.path(),
        &[
            "policy".into(),
            "test".into(),
            "fixtures".into(),
            "--format".into(),
            "junit".into(),
        ],
        &[],
        &[],
    );
    junit.status(1);
    let document = roxmltree::Document::parse(&junit.stdout)
        .unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{}", junit.stdout));
    let suites: Vec<_> = document
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    assert_eq!(
        suites[0].attribute("name"),
        Some("fixtures/over-budget.yaml")
    );
    assert_eq!(suites[0].attribute("tests"), Some("3"));
    assert_eq!(suites[0].attribute("failures"), Some("3"));
    let property = document
        .descendants()
        .find(|n| n.has_tag_name("property"))
        .expect("the suite's policy property");
    assert_eq!(
        (property.attribute("name"), property.attribute("value")),
        (
            Some("imgcost.policy"),
            Some("policy default, built in (no .imgcost/policy.yaml at the repository's top)")
        )
    );
    let cases: Vec<_> = document
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| {
            (
                n.attribute("name").unwrap_or_default(),
                n.attribute("line").unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        cases,
        [
            ("raises IC202", "3"),
            ("does not raise IC201 (error)", "5"),
            ("monthly total $90.00", "7"),
        ]
    );
}

#[test]
fn junit_of_a_passing_set_has_a_suite_per_fixture_and_no_failure() {
    let t = repository(Test::new())
        .file(".imgcost/tests/a.yaml", OVER_BUDGET)
        .file(".imgcost/tests/a.expect.yaml", OVER_BUDGET_EXPECT)
        .file(".imgcost/tests/b.yaml", within_budget())
        .file(".imgcost/tests/b.expect.yaml", WITHIN_EXPECT)
        .args(["policy", "test", "--format", "junit"]);
    let output = t.run();
    output.status(0);
    let document = roxmltree::Document::parse(&output.stdout).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.attribute("tests"), Some("5"));
    assert_eq!(root.attribute("failures"), Some("0"));
    let suites: Vec<_> = document
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|n| n.attribute("name").unwrap_or_default())
        .collect();
    assert_eq!(suites, [".imgcost/tests/a.yaml", ".imgcost/tests/b.yaml"]);
}

/// An exempted finding no longer fails the gate: it is not raised.
#[test]
fn a_finding_an_exemption_covers_is_not_raised() {
    let policy = "version: 1
name: team
exemptions:
  - rule: IC201
    workflows: [\"starter/*\"]
    reason: launch month
    approved_by: \"@finops\"
    expires: 2027-01-31
";
    let expect = "as_of: 2026-12-01
raises:
  - rule: IC201
";
    let t = repository(Test::new())
        .file(".imgcost/policy.yaml", policy)
        .file(".imgcost/tests/x.yaml", OVER_BUDGET)
        .file(".imgcost/tests/x.expect.yaml", expect)
        .args(["policy", "test"]);
    let output = t.run();
    output.status(1);
    assert_eq!(
        output.stdout,
        "FAIL .imgcost/tests/x.yaml (1 expectation, as of 2026-12-01)\n  \
         .imgcost/tests/x.expect.yaml:3:5: raises IC201: not raised; the check raised nothing\n\
         1 fixture, 1 failed; 1 expectation, 1 unmet\n\
         policy team from .imgcost/policy.yaml in the working tree\n"
    );
    // After the exemption expires, the finding is raised again.
    let later = expect.replace("2026-12-01", "2027-02-01");
    std::fs::write(t.path().join(".imgcost/tests/x.expect.yaml"), later).unwrap();
    t.run().status(0).stdout_has("PASS .imgcost/tests/x.yaml");
}

#[test]
fn no_fixture_fails_the_run_saying_where_it_looked() {
    let t = repository(Test::new()).args(["policy", "test"]);
    t.run()
        .status(2)
        .stderr_has("cannot read policy test folder .imgcost/tests");
    std::fs::create_dir_all(t.path().join(".imgcost/tests")).unwrap();
    std::fs::write(t.path().join(".imgcost/tests/lonely.yaml"), OVER_BUDGET).unwrap();
    t.run().status(2).stderr_has(
        "no policy test fixture (`<name>.expect.yaml` beside `<name>.yaml`) in .imgcost/tests",
    );
}

#[test]
fn an_invalid_expectation_fails_the_run_at_its_line() {
    let t = repository(Test::new())
        .file(".imgcost/tests/x.yaml", OVER_BUDGET)
        .file(
            ".imgcost/tests/x.expect.yaml",
            "as_of: 2026-12-01\nraises:\n  - rule: IC999\n",
        )
        .args(["policy", "test"]);
    t.run().status(2).stderr_has(
        "invalid policy test expectation .imgcost/tests/x.expect.yaml at 3:5: unknown rule code `IC999`",
    );
    std::fs::write(
        t.path().join(".imgcost/tests/x.expect.yaml"),
        "as_of: 2026-12-01\nraise:\n  - rule: IC201\n",
    )
    .unwrap();
    t.run()
        .status(2)
        .stderr_has("x.expect.yaml at 2:1: unknown key `raise`");
    std::fs::write(
        t.path().join(".imgcost/tests/x.expect.yaml"),
        "raises: []\n",
    )
    .unwrap();
    t.run().status(2).stderr_has("`as_of` is required");
    // The fixture manifest is missing.
    std::fs::write(
        t.path().join(".imgcost/tests/y.expect.yaml"),
        "as_of: 2026-12-01\nmonthly_usd: 1\n",
    )
    .unwrap();
    std::fs::write(
        t.path().join(".imgcost/tests/x.expect.yaml"),
        OVER_BUDGET_EXPECT,
    )
    .unwrap();
    t.run()
        .status(2)
        .stderr_has("cannot read policy test fixture .imgcost/tests/y.yaml");
}

/// Hostile: an expectation that is a link to a file outside the repository is not followed.
#[cfg(unix)]
#[test]
fn an_expectation_linked_out_of_the_repository_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), OVER_BUDGET_EXPECT).unwrap();
    let t = repository(Test::new()).file(".imgcost/tests/x.yaml", OVER_BUDGET);
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        t.path().join(".imgcost/tests/x.expect.yaml"),
    )
    .unwrap();
    let output = t.args(["policy", "test"]).run();
    output
        .status(2)
        .stderr_has("cannot read policy test expectation .imgcost/tests/x.expect.yaml");
    assert_eq!(output.stdout, "");
}

/// Hostile: an expectation of many megabytes is refused before it is parsed.
#[test]
fn a_huge_expectation_is_refused() {
    let huge = format!(
        "as_of: 2026-12-01\nraises:\n{}",
        "  - rule: IC201\n".repeat(1 << 16)
    );
    let t = repository(Test::new())
        .file(".imgcost/tests/x.yaml", OVER_BUDGET)
        .file(".imgcost/tests/x.expect.yaml", huge)
        .args(["policy", "test"]);
    t.run().status(2).stderr_has(
        "cannot read policy test expectation .imgcost/tests/x.expect.yaml: larger than 64 KiB",
    );
}

/// Hostile: terminal escapes in a fixture's file name and in an expected workflow id reach no
/// output as they are.
#[test]
fn terminal_escapes_in_names_are_escaped_in_every_format() {
    let expect = "as_of: 2026-12-01\nraises:\n  - rule: IC201\n    workflow: \"\\e[31mred\"\n";
    let t = repository(Test::new())
        .file(".imgcost/tests/a\u{1b}]0;x\u{7}.yaml", OVER_BUDGET)
        .file(".imgcost/tests/a\u{1b}]0;x\u{7}.expect.yaml", expect);
    for format in ["human", "json", "junit"] {
        let output = run_in(
            t.path(),
            &[
                "policy".into(),
                "test".into(),
                "--format".into(),
                format.into(),
            ],
            &[],
            &[],
        );
        output.status(1);
        assert!(
            !output.stdout.contains('\u{1b}') && !output.stdout.contains('\u{7}'),
            "{format}: {:?}",
            output.stdout
        );
        match format {
            "human" => {
                assert!(output.stdout.contains(
                    ".imgcost/tests/a\\u{1b}]0;x\\u{7}.expect.yaml:3:5: raises IC201 on \\u{1b}[31mred: not raised"
                ), "{}", output.stdout);
            }
            "json" => {
                let json = output.json();
                assert_eq!(
                    json["fixtures"][0]["outcomes"][0]["workflow"],
                    "\u{1b}[31mred"
                );
            }
            _ => {
                let document = roxmltree::Document::parse(&output.stdout).expect("XML");
                let case = document
                    .descendants()
                    .find(|n| n.has_tag_name("testcase"))
                    .expect("a case");
                assert_eq!(
                    case.attribute("name"),
                    Some("raises IC201 on \u{fffd}[31mred")
                );
            }
        }
    }
}

/// `imgcost init` writes a fixture that passes against the policy it starts with.
#[test]
fn the_fixture_init_writes_passes_in_a_fresh_repository() {
    let t = repository(Test::new()).args(["init"]);
    t.run().status(0);
    let output = run_in(t.path(), &["policy".into(), "test".into()], &[], &[]);
    output.status(0);
    assert_eq!(
        output.stdout,
        "PASS .imgcost/tests/over-budget.yaml (3 expectations, as of 2026-12-01)\n\
         1 fixture, 0 failed; 3 expectations, 0 unmet\n\
         policy default, built in (no .imgcost/policy.yaml at the repository's top)\n"
    );
    // The repository's own check does not pick the fixture up.
    run_in(
        t.path(),
        &["check".into(), "--as-of".into(), "2026-12-01".into()],
        &[],
        &[],
    )
    .status(0);
}

/// The policies in use are those `--policy` names, not the repository's.
#[test]
fn the_fixtures_run_against_the_policy_named_on_the_command_line() {
    let lenient = "version: 1\nname: lenient\nseverity:\n  IC201: warning\n";
    let t = repository(Test::new())
        .file("lenient.yaml", lenient)
        .file(".imgcost/tests/over-budget.yaml", OVER_BUDGET)
        .file(".imgcost/tests/over-budget.expect.yaml", OVER_BUDGET_EXPECT)
        .args(["policy", "test", "--policy", "lenient.yaml"]);
    let output = t.run();
    output.status(1);
    assert_eq!(
        output.stdout,
        "FAIL .imgcost/tests/over-budget.yaml (3 expectations, as of 2026-12-01)\n  \
         .imgcost/tests/over-budget.expect.yaml:7:5: raises IC201 (error) on starter/hero-images: not raised; the check raised IC201 (warning)\n\
         1 fixture, 1 failed; 3 expectations, 1 unmet\n\
         policy lenient from lenient.yaml (--policy)\n"
    );
}
