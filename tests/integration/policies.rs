//! Policies: severity overrides (`off` included), strictest-wins merging, `warn_at`,
//! `--deny-warnings`, exemptions around their expiry day, where policies come from
//! (`--policy`, `.imgcost/policy.yaml`, the built-in default, `--policy-ref`), and invalid
//! policies failing the run with located findings.

use serde_json::Value;

use crate::test::Test;
use crate::test::git;

const HIGH_QUALITY: &str = "version: 1\nproject: storefront\nowner: \"@acme/web\"\nworkflows:\n  product-hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: high}\n    volume: {requests_per_month: 100}\n    budget: {monthly_usd: 100}\n";

const AUTO_QUALITY: &str = "version: 1\nproject: shop\nowner: \"@shop\"\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, n: 5}\n    latency: day\n    volume: {requests_per_month: 100}\n    budget: {monthly_usd: 200}\n";

fn rules(report: &Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn has(report: &Value, rule: &str, severity: &str) -> bool {
    rules(report).contains(&(rule.to_owned(), severity.to_owned()))
}

fn exemption(expires: &str) -> String {
    format!(
        "version: 1\nname: acme\nrules:\n  quality: {{ allow: [low, medium] }}\nexemptions:\n  - rule: IC302\n    workflows: [\"storefront/*\"]\n    reason: Brand team approved high quality for launch\n    approved_by: \"@acme/finops\"\n    expires: {expires}\n"
    )
}

#[test]
fn severity_overrides_raise_lower_and_switch_off() {
    let raise = "version: 1\nname: p\nseverity: {IC401: error, IC403: warning}\n";
    let report = Test::new()
        .file("imgcost.yaml", AUTO_QUALITY)
        .file("p.yaml", raise)
        .args([
            "check",
            "--policy",
            "p.yaml",
            "--format",
            "json",
            "--as-of",
            "2026-11-25",
        ])
        .run()
        .status(1)
        .json();
    assert!(has(&report, "IC401", "error"));
    assert!(has(&report, "IC403", "warning"));
    let off = "version: 1\nname: p\nseverity: {IC401: off, IC403: off}\n";
    let report = Test::new()
        .file("imgcost.yaml", AUTO_QUALITY)
        .file("p.yaml", off)
        .args([
            "check",
            "--policy",
            "p.yaml",
            "--format",
            "json",
            "--as-of",
            "2026-11-25",
        ])
        .run()
        .status(0)
        .json();
    assert!(
        rules(&report)
            .iter()
            .all(|(rule, _)| rule != "IC401" && rule != "IC403"),
        "{:?}",
        rules(&report)
    );
}

#[test]
fn the_strictest_value_wins_across_policies() {
    let loose = "version: 1\nname: loose\nrules:\n  n: {max: 6}\n  warn_at: 0.99\nseverity: {IC401: off, IC403: warning}\n";
    let strict = "version: 1\nname: strict\nrules:\n  n: {max: 4}\n  warn_at: 0.5\nseverity: {IC403: error}\n";
    let report = Test::new()
        .file("imgcost.yaml", AUTO_QUALITY)
        .file("loose.yaml", loose)
        .file("strict.yaml", strict)
        .args([
            "check",
            "--policy",
            "loose.yaml",
            "--policy",
            "strict.yaml",
            "--format",
            "json",
            "--as-of",
            "2026-11-25",
        ])
        .run()
        .status(1)
        .json();
    assert_eq!(report["policies"], serde_json::json!(["loose", "strict"]));
    // n 5 is over strict's 4 (not loose's 6); the related place is strict.yaml's n.max line.
    let n = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "IC304")
        .unwrap();
    assert_eq!(
        (n["line"].as_u64(), n["column"].as_u64()),
        (Some(7), Some(35))
    );
    assert_eq!(n["related"][0]["file"], "strict.yaml");
    assert_eq!(n["related"][0]["line"], 4);
    // `off` in one policy does not silence the default severity another implies.
    assert!(has(&report, "IC401", "warning"));
    assert!(has(&report, "IC403", "error"));
    // warn_at 0.5, the lower: $105.36 (n 5 at high) is 52.7 % of the $200 budget.
    assert!(has(&report, "IC204", "warning"));
}

#[test]
fn deny_warnings_turns_warnings_into_a_failure() {
    let t = Test::new().file("imgcost.yaml", AUTO_QUALITY);
    let report = t
        .args([
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-11-25",
            "--deny-warnings",
        ])
        .run()
        .status(1)
        .json();
    assert_eq!(
        (
            report["summary"]["errors"].as_u64(),
            report["summary"]["passed"].as_bool()
        ),
        (Some(0), Some(false))
    );
    let cheap = AUTO_QUALITY.replace("n: 5", "quality: low");
    let ok = Test::new()
        .file("imgcost.yaml", cheap.clone())
        .args(["check", "--format", "json", "--as-of", "2026-11-25"])
        .run()
        .status(0)
        .json();
    assert_eq!(ok["summary"]["errors"], 0);
    let denied = Test::new().file("imgcost.yaml", cheap).args([
        "check",
        "--as-of",
        "2026-11-25",
        "--policy",
        "p.yaml",
        "--deny-warnings",
    ]);
    let denied = denied.file(
        "p.yaml",
        "version: 1\nname: p\nseverity: {IC403: warning}\n",
    );
    denied.run().status(1).stdout_has("(warnings are denied)");
}

#[test]
fn an_exemption_applies_through_its_expiry_day() {
    for (as_of, applies) in [
        ("2027-01-30", true),
        ("2027-01-31", true),
        ("2027-02-01", false),
    ] {
        let report = Test::new()
            .file("imgcost.yaml", HIGH_QUALITY)
            .file("p.yaml", exemption("2027-01-31"))
            .args([
                "check", "--policy", "p.yaml", "--format", "json", "--as-of", as_of,
            ])
            .run()
            .status(if applies { 0 } else { 1 })
            .json();
        let ic302 = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "IC302")
            .unwrap();
        if applies {
            assert_eq!(ic302["exempted"]["expires"], "2027-01-31", "{as_of}");
            assert_eq!(ic302["exempted"]["approved_by"], "@acme/finops");
            assert!(!has(&report, "IC306", "error"));
        } else {
            assert!(ic302.get("exempted").is_none(), "{as_of}");
            let expired = report["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["rule"] == "IC306")
                .unwrap();
            assert_eq!(
                (
                    expired["file"].as_str(),
                    expired["line"].as_u64(),
                    expired["column"].as_u64()
                ),
                (Some("p.yaml"), Some(10), Some(5))
            );
        }
    }
}

#[test]
fn exempted_findings_stay_visible() {
    let t = Test::new()
        .file("imgcost.yaml", HIGH_QUALITY)
        .file("p.yaml", exemption("2027-01-31"));
    t.args(["check", "--policy", "p.yaml", "--as-of", "2026-11-25", "--color", "never"])
        .run()
        .status(0)
        .stdout_has("exempted[IC302]: quality `high` is not allowed by policy `acme` [exempted until 2027-01-31:")
        .stdout_has("1 exempted");
}

#[test]
fn manifest_wide_findings_are_exempted_by_project_globs() {
    let manifest = HIGH_QUALITY.replace(
        "owner: \"@acme/web\"\n",
        "owner: \"@acme/web\"\nbudget: {monthly_usd: 1}\n",
    );
    let policy = "version: 1\nname: p\nexemptions:\n  - {rule: IC202, workflows: [\"storefront/*\"], reason: launch, approved_by: me, expires: 2027-01-01}\n";
    let report = Test::new()
        .file("imgcost.yaml", manifest)
        .file("p.yaml", policy)
        .args([
            "check",
            "--policy",
            "p.yaml",
            "--format",
            "json",
            "--as-of",
            "2026-11-25",
        ])
        .run()
        .status(0)
        .json();
    let ic202 = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "IC202")
        .unwrap();
    assert_eq!(ic202["workflow"], "storefront/*");
    assert!(ic202["exempted"].is_object());
}

#[test]
fn the_default_policy_only_warns() {
    let minimal = "version: 1\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";
    let report = Test::new()
        .file("imgcost.yaml", minimal)
        .args(["check", "--format", "json", "--as-of", "2026-11-25"])
        .run()
        .status(0)
        .json();
    assert_eq!(report["policies"], serde_json::json!(["default"]));
    assert!(has(&report, "IC305", "warning"));
    assert_eq!(report["summary"]["errors"], 0);
}

/// `require` asks whether owner (here or on the manifest), description and labels (at least
/// one) are written; an empty list of labels is not.
#[test]
fn required_owner_description_and_labels_are_looked_for_where_they_may_be() {
    let workflow = |name: &str, extra: &str| {
        format!(
            "  {name}:\n    model: gpt-image-2\n    request: {{size: 1024x1024, quality: low}}\n    volume: {{requests_per_month: 100}}\n    budget: {{monthly_usd: 100}}\n{extra}"
        )
    };
    let manifest = |owner: &str| {
        format!(
            "version: 1\n{owner}workflows:\n{}{}{}",
            workflow(
                "full",
                "    owner: '@web'\n    description: hero images\n    labels: [web]\n"
            ),
            workflow("empty", "    labels: []\n"),
            workflow("bare", ""),
        )
    };
    let policy = "version: 1\nname: strict\nrules:\n  require: [owner, description, labels]\n";
    let missing = |owner: &str| {
        let report = Test::new()
            .file("apps/imgcost.yaml", manifest(owner))
            .file("p.yaml", policy)
            .args([
                "check",
                "apps",
                "--policy",
                "p.yaml",
                "--format",
                "json",
                "--as-of",
                "2026-11-25",
            ])
            .run()
            .status(1)
            .json();
        let mut found: Vec<(String, String, u64)> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "IC305")
            .map(|d| {
                let message = d["message"].as_str().unwrap();
                let field = ["owner", "description", "labels"]
                    .into_iter()
                    .find(|field| message.contains(field))
                    .unwrap_or(message);
                (
                    d["workflow"].as_str().unwrap().to_owned(),
                    field.to_owned(),
                    d["line"].as_u64().unwrap(),
                )
            })
            .collect();
        found.sort();
        found
    };
    let expected = |with_owner: bool| {
        let mut expected = vec![
            ("apps/bare".to_owned(), "description".to_owned(), 17),
            ("apps/bare".to_owned(), "labels".to_owned(), 17),
            ("apps/empty".to_owned(), "description".to_owned(), 11),
            ("apps/empty".to_owned(), "labels".to_owned(), 11),
        ];
        if !with_owner {
            expected.push(("apps/bare".to_owned(), "owner".to_owned(), 17));
            expected.push(("apps/empty".to_owned(), "owner".to_owned(), 11));
        }
        expected.sort();
        expected
    };
    assert_eq!(missing(""), expected(false));
    assert_eq!(
        missing("owner: '@platform'\n")
            .iter()
            .map(|(w, f, l)| (w.clone(), f.clone(), l - 1))
            .collect::<Vec<_>>(),
        expected(true)
    );
}

#[test]
fn the_repository_policy_is_found_without_flags() {
    let report = Test::new()
        .file("imgcost.yaml", HIGH_QUALITY)
        .file(
            ".imgcost/policy.yaml",
            "version: 1\nname: repo\nrules:\n  quality: {deny: [high]}\n",
        )
        .args(["check", "--format", "json", "--as-of", "2026-11-25"])
        .run()
        .status(1)
        .json();
    assert_eq!(report["policies"], serde_json::json!(["repo"]));
    assert!(has(&report, "IC302", "error"));
}

#[test]
fn invalid_policies_fail_the_run_with_their_place() {
    let bad_date = exemption("2027-13-45");
    Test::new()
        .file("imgcost.yaml", HIGH_QUALITY)
        .file("p.yaml", bad_date)
        .args([
            "check",
            "--policy",
            "p.yaml",
            "--as-of",
            "2026-11-25",
            "--color",
            "never",
        ])
        .run()
        .status(2)
        .stdout_has("[p.yaml:10:14]")
        .stdout_has("is not a valid date")
        .stderr_has("invalid policy p.yaml");
    Test::new()
        .file("imgcost.yaml", HIGH_QUALITY)
        .file(
            "p.yaml",
            "version: 1\nname: p\nseverity: {IC101: warning}\n",
        )
        .args(["check", "--policy", "p.yaml", "--color", "never"])
        .run()
        .status(2)
        .stdout_has("IC101 cannot be lowered");
    Test::new()
        .file("imgcost.yaml", HIGH_QUALITY)
        .args(["check", "--policy", "missing.yaml"])
        .run()
        .status(2)
        .stderr_has("policy file missing.yaml does not exist");
}

#[test]
fn unused_exemptions_are_warnings() {
    let report = Test::new()
        .file("imgcost.yaml", HIGH_QUALITY.replace("high", "low"))
        .file("p.yaml", exemption("2027-01-31"))
        .args([
            "check",
            "--policy",
            "p.yaml",
            "--format",
            "json",
            "--as-of",
            "2026-11-25",
        ])
        .run()
        .status(0)
        .json();
    assert!(has(&report, "IC307", "warning"));
}

#[test]
fn policy_ref_reads_the_policy_as_committed() {
    let t = Test::new().file("imgcost.yaml", HIGH_QUALITY).file(
        ".imgcost/policy.yaml",
        "version: 1\nname: base\nrules:\n  quality: {deny: [high]}\n",
    );
    git(t.path(), &["init", "-q"]);
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-qm", "base"]);
    // The pull request loosens the policy in its working tree...
    std::fs::write(
        t.path().join(".imgcost/policy.yaml"),
        "version: 1\nname: loosened\n",
    )
    .unwrap();
    let t = t.args(["check", "--as-of", "2026-11-25", "--format", "json"]);
    t.run().status(0);
    // ...but against the base ref the gate holds.
    let report = t.args(["--policy-ref", "HEAD"]).run().status(1).json();
    assert_eq!(report["policies"], serde_json::json!(["base"]));
    assert!(has(&report, "IC302", "error"));
    let missing = Test::new().file("imgcost.yaml", HIGH_QUALITY);
    git(missing.path(), &["init", "-q"]);
    missing
        .args(["check", "--policy-ref", "origin/main"])
        .run()
        .status(2)
        .stderr_has("revision `origin/main` is not in this clone");
}
