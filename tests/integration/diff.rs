//! `imgcost diff` against real git repositories made in temporary folders: added, removed,
//! changed and renamed manifests, invalid manifests at the base or the head, a missing or shallow
//! base, a saved baseline report, the `diff:` gates and the policy-change note, and the Markdown
//! comment as a golden file.

use serde_json::Value;

use crate::test::{Output, Test, git};

const STOREFRONT: &str = "version: 1\nproject: storefront\nowner: \"@acme/web\"\ndefaults:\n  model: gpt-image-2\nworkflows:\n  product-hero:\n    request: {size: 1536x1024, quality: medium, n: 2}\n    volume: {requests_per_month: 12000, retry_rate: 0.05, accepted_fraction: 0.5}\n    inputs: {prompt_tokens: 350}\n    budget: {monthly_usd: 5000}\n  thumbnails:\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 40000, retry_rate: 0.02}\n    inputs: {prompt_tokens: 120}\n    budget: {monthly_usd: 300}\n";

const MARKETING: &str = "version: 1\nproject: marketing\nowner: \"@acme/growth\"\nworkflows:\n  banners:\n    model: gpt-image-2.5-flare\n    request: {size: 1024x1024, quality: medium}\n    volume: {requests_per_month: 20000}\n    budget: {monthly_usd: 300}\n";

/// A repository whose first commit holds the storefront and marketing manifests.
fn repo() -> Test {
    let t = Test::new()
        .file("storefront/imgcost.yaml", STOREFRONT)
        .file("marketing/imgcost.yaml", MARKETING);
    git(t.path(), &["init", "-q"]);
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-qm", "base"]);
    t
}

fn write(t: &Test, path: &str, text: &str) {
    let full = t.path().join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

fn commit(t: &Test) {
    git(t.path(), &["add", "-A"]);
    git(t.path(), &["commit", "-qm", "head"]);
}

fn diff(t: &Test, extra: &[&str]) -> Output {
    let mut args = vec![
        "diff",
        "--base",
        "HEAD~1",
        "--format",
        "json",
        "--as-of",
        "2026-11-25",
    ];
    args.extend_from_slice(extra);
    let args: Vec<String> = args.into_iter().map(str::to_owned).collect();
    crate::test::run_in(t.path(), &args, &[], &["NO_COLOR".to_owned()])
}

fn check_total(t: &Test) -> String {
    let args: Vec<String> = [
        "check",
        "--format",
        "json",
        "--as-of",
        "2026-11-25",
        "--allow-empty",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let output = crate::test::run_in(t.path(), &args, &[], &[]);
    let report: Value = serde_json::from_str(&output.stdout).unwrap();
    report["summary"]["monthly_usd"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn change<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["diff"]["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {}", report["diff"]))
}

#[test]
fn added_removed_and_changed_workflows_with_totals_equal_to_check_at_each_commit() {
    let t = repo();
    let before = check_total(&t);
    write(
        &t,
        "storefront/imgcost.yaml",
        &STOREFRONT.replace("quality: medium, n: 2", "quality: high, n: 2"),
    );
    std::fs::remove_file(t.path().join("marketing/imgcost.yaml")).unwrap();
    // A different workflow (model, quality and size), though git may see the file as moved.
    write(
        &t,
        "support/imgcost.yaml",
        &MARKETING
            .replace("marketing", "support")
            .replace("banners", "avatars")
            .replace("gpt-image-2.5-flare", "gpt-image-2")
            .replace(
                "size: 1024x1024, quality: medium",
                "size: 1024x1536, quality: low",
            ),
    );
    commit(&t);
    let after = check_total(&t);
    let report = diff(&t, &[]).json();
    let d = &report["diff"];
    assert_eq!(d["monthly_usd_before"], before.as_str());
    assert_eq!(d["monthly_usd_after"], after.as_str());
    let delta: rust_decimal::Decimal = after.parse::<rust_decimal::Decimal>().unwrap()
        - before.parse::<rust_decimal::Decimal>().unwrap();
    assert_eq!(d["delta_usd"], format!("{delta:.2}").as_str());
    // product-hero: $1,081.33 at medium; at high 5488 tokens × 2: ceil(2 × 96 × 64 × 3 572 864 / 4e6)
    // = 10 976 tokens a call, 12 600 × 10 976 × $30/M = $4 148.928 + $44.10 text = $4 193.03.
    let hero = change(&report, "storefront/product-hero");
    assert_eq!(
        (
            hero["status"].as_str(),
            hero["before_usd"].as_str(),
            hero["after_usd"].as_str()
        ),
        (Some("changed"), Some("1081.33"), Some("4193.03"))
    );
    assert_eq!(hero["delta_usd"], "3111.70");
    assert_eq!(hero["changed"], serde_json::json!(["quality"]));
    assert_eq!(
        change(&report, "storefront/thumbnails")["status"],
        "unchanged"
    );
    assert_eq!(change(&report, "marketing/banners")["status"], "removed");
    assert_eq!(
        change(&report, "marketing/banners")["after_usd"],
        Value::Null
    );
    assert_eq!(change(&report, "support/avatars")["status"], "added");
    assert_eq!(
        d["base"].as_str().unwrap().split(' ').next(),
        Some("HEAD~1")
    );
}

#[test]
fn renaming_a_manifest_keeps_its_workflows_but_renaming_the_folder_changes_their_ids() {
    let t = repo();
    git(
        t.path(),
        &[
            "mv",
            "marketing/imgcost.yaml",
            "marketing/campaigns.imgcost.yaml",
        ],
    );
    commit(&t);
    let report = diff(&t, &[]).json();
    assert_eq!(change(&report, "marketing/banners")["status"], "unchanged");
    git(t.path(), &["mv", "marketing", "growth"]);
    commit(&t);
    let report = diff(&t, &[]).json();
    // The project is named after the folder unless `project:` says otherwise.
    assert_eq!(
        change(&report, "marketing/banners")["status"],
        "unchanged",
        "MARKETING sets project: marketing"
    );
}

#[test]
fn invalid_manifests_at_the_head_fail_and_at_the_base_are_reported() {
    let t = repo();
    write(
        &t,
        "marketing/imgcost.yaml",
        &MARKETING.replace("quality: medium", "quality: ultra"),
    );
    commit(&t);
    let output = diff(&t, &[]);
    output.status(1);
    let report = output.json();
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "IC002" && d["line"] == 7)
    );
    assert_eq!(
        change(&report, "marketing/banners")["status"],
        "removed",
        "an unreadable workflow is not at the head"
    );
    // The next commit fixes it: the base (the broken commit) has an error.
    write(&t, "marketing/imgcost.yaml", MARKETING);
    commit(&t);
    let report = diff(&t, &[]).status(0).json();
    assert_eq!(report["diff"]["base_errors"], 1);
    assert_eq!(change(&report, "marketing/banners")["status"], "added");
}

#[test]
fn a_missing_base_says_what_to_fetch_and_a_shallow_clone_works_once_fetched() {
    let t = repo();
    let output = crate::test::run_in(
        t.path(),
        &["diff".into(), "--base".into(), "origin/main".into()],
        &[],
        &[],
    );
    output
        .status(2)
        .stderr_has("revision `origin/main` is not in this clone; fetch it first");
    write(
        &t,
        "storefront/imgcost.yaml",
        &STOREFRONT.replace("requests_per_month: 40000", "requests_per_month: 30000"),
    );
    commit(&t);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", t.path().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
    let shallow = clone.path().join("c");
    let output = crate::test::run_in(
        &shallow,
        &["diff".into(), "--base".into(), "HEAD~1".into()],
        &[],
        &[],
    );
    output
        .status(2)
        .stderr_has("this clone is shallow; fetch the base first");
    git(&shallow, &["fetch", "-q", "--deepen=1"]);
    let args: Vec<String> = [
        "diff",
        "--base",
        "HEAD~1",
        "--format",
        "json",
        "--as-of",
        "2026-11-25",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let report = crate::test::run_in(&shallow, &args, &[], &[])
        .status(0)
        .json();
    assert_eq!(
        change(&report, "storefront/thumbnails")["changed"],
        serde_json::json!(["volume"])
    );
}

#[test]
fn a_saved_baseline_report_compares_like_the_git_base() {
    let t = repo();
    let args: Vec<String> = ["check", "--format", "json", "--as-of", "2026-11-25"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let saved = crate::test::run_in(t.path(), &args, &[], &[]);
    std::fs::write(t.path().join("base.json"), &saved.stdout).unwrap();
    write(
        &t,
        "storefront/imgcost.yaml",
        &STOREFRONT.replace("n: 2", "n: 3"),
    );
    commit(&t);
    let from_git = diff(&t, &[]).json();
    let args: Vec<String> = [
        "diff",
        "--baseline",
        "base.json",
        "--format",
        "json",
        "--as-of",
        "2026-11-25",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let from_baseline = crate::test::run_in(t.path(), &args, &[], &[])
        .status(0)
        .json();
    assert_eq!(
        from_git["diff"]["workflows"],
        from_baseline["diff"]["workflows"]
    );
    assert_eq!(
        from_git["diff"]["delta_usd"],
        from_baseline["diff"]["delta_usd"]
    );
    assert_eq!(from_baseline["diff"]["base"], "base.json");
    std::fs::write(t.path().join("bad.json"), "{\"version\": 2}").unwrap();
    let args: Vec<String> = ["diff", "--baseline", "bad.json"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    crate::test::run_in(t.path(), &args, &[], &[])
        .status(2)
        .stderr_has("is not an imgcost report");
}

/// A folder with the storefront manifest, and its JSON report (what `--baseline` reads).
fn storefront_and_its_report() -> (Test, Value) {
    let t = Test::new().file("storefront/imgcost.yaml", STOREFRONT);
    let report = crate::test::run_in(
        t.path(),
        &["check", "--format", "json", "--as-of", "2026-11-25"].map(str::to_owned),
        &[],
        &[],
    )
    .status(0)
    .json();
    (t, report)
}

/// A baseline is read into the report's typed model: what imgcost would never write (a key the
/// report does not have, a figure that is not a decimal string, a value outside a closed set,
/// another version) is refused with exit 2, the place named by its JSON pointer.
#[test]
fn a_baseline_is_read_as_strictly_as_the_report_is_written() {
    let (t, report) = storefront_and_its_report();
    let edits: [(&str, &str, Value, &str); 6] = [
        (
            "/workflows/1",
            "extra",
            Value::from(1),
            "at `/workflows/1`: unknown field `extra`",
        ),
        (
            "/workflows/0/volume",
            "attempts",
            Value::from(12600),
            "at `/workflows/0`: invalid type: integer `12600`, expected a decimal figure as a string",
        ),
        (
            "/workflows/0/volume",
            "images",
            Value::from("1e3"),
            "at `/workflows/0`: invalid value: string \"1e3\", expected a decimal figure as a string",
        ),
        (
            "/workflows/1",
            "tier",
            Value::from("premium"),
            "at `/workflows/1`: unknown variant `premium`, expected `standard` or `batch`",
        ),
        (
            "/diagnostics",
            "",
            serde_json::json!([{"rule": "IC201"}]),
            "at `/diagnostics/0`: missing field `severity`",
        ),
        (
            "",
            "version",
            Value::from(2),
            "invalid value: integer `2`, expected 1, the version of the report imgcost writes",
        ),
    ];
    for (object, key, value, refusal) in edits {
        let mut edited = report.clone();
        if key.is_empty() {
            *edited.pointer_mut(object).unwrap() = value;
        } else {
            edited.pointer_mut(object).unwrap()[key] = value;
        }
        std::fs::write(t.path().join("base.json"), edited.to_string()).unwrap();
        crate::test::run_in(
            t.path(),
            &["diff", "--baseline", "base.json"].map(str::to_owned),
            &[],
            &[],
        )
        .status(2)
        .stderr_has(&format!(
            "baseline base.json is not an imgcost report (version 1): {refusal}"
        ));
    }
}

/// A baseline saved before reports said where their policy came from (no `policy_sources`)
/// still loads; one whose `policy_sources` names an origin imgcost never writes does not, nor
/// one that lists more than 10 000 policies.
#[test]
fn a_baseline_without_policy_sources_still_loads_and_its_lists_are_bounded() {
    let (t, saved) = storefront_and_its_report();
    let mut older = saved.clone();
    older
        .as_object_mut()
        .unwrap()
        .remove("policy_sources")
        .expect("the report says where its policy came from");
    std::fs::write(t.path().join("base.json"), older.to_string()).unwrap();
    let diff = &["diff", "--baseline", "base.json", "--as-of", "2026-11-25"].map(str::to_owned);
    crate::test::run_in(t.path(), diff, &[], &[]).status(0);
    let mut forged = saved.clone();
    forged["policy_sources"][0]["origin"] = Value::from("the-boss");
    std::fs::write(t.path().join("base.json"), forged.to_string()).unwrap();
    crate::test::run_in(t.path(), diff, &[], &[])
        .status(2)
        .stderr_has(
            "unknown variant `the-boss`, expected one of `command-line`, `repository`, `built-in`",
        );
    // Hostile: the lists of policies are bounded (a file of millions of empty entries took many
    // times its size in memory); 10 000 still load.
    for (key, item) in [
        ("policies", Value::from("")),
        (
            "policy_sources",
            serde_json::json!({"name": "", "origin": "built-in"}),
        ),
    ] {
        for (count, status) in [(10_000, 0), (10_001, 2)] {
            let mut long = saved.clone();
            long[key] = Value::Array(vec![item.clone(); count]);
            std::fs::write(t.path().join("base.json"), long.to_string()).unwrap();
            let output = crate::test::run_in(t.path(), diff, &[], &[]);
            output.status(status);
            if status == 2 {
                output
                    .stderr_has("invalid length 10001, expected a list of at most 10000 policies");
            }
        }
    }
}

/// An exemption of IC501 is for `diff`, the only run that finds it: `check` with the same
/// policy does not call it unused (IC307 fired there before), `diff` does when it covers nothing.
#[test]
fn exemptions_of_diff_findings_are_judged_by_diff() {
    let t = repo();
    let policy = "version: 1\nname: p\nrules:\n  diff: {max_increase_usd: 100000}\nexemptions:\n  - rule: IC501\n    workflows: [\"marketing/*\"]\n    reason: launch\n    approved_by: \"@finops\"\n    expires: 2027-01-31\n";
    write(&t, "p.yaml", policy);
    commit(&t);
    write(&t, "README.md", "a change\n");
    commit(&t);
    let rules = |output: &Output| -> Vec<String> {
        output.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} {}:{}",
                    d["rule"].as_str().unwrap(),
                    d["file"].as_str().unwrap(),
                    d["line"]
                )
            })
            .collect()
    };
    let checked = crate::test::run_in(
        t.path(),
        &[
            "check",
            ".",
            "--policy",
            "p.yaml",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
        ]
        .map(str::to_owned),
        &[],
        &[],
    );
    checked.status(0);
    assert_eq!(rules(&checked), Vec::<String>::new());
    let compared = diff(&t, &["--policy", "p.yaml"]);
    compared.status(0);
    assert_eq!(rules(&compared), ["IC307 p.yaml:6"]);
}

#[test]
fn diff_gates_fail_at_the_changed_line_and_policy_changes_are_noted() {
    let t = repo();
    write(
        &t,
        ".imgcost/policy.yaml",
        "version: 1\nname: gate\nrules:\n  diff: {max_increase_usd: 500, max_increase_percent: 25}\n",
    );
    commit(&t);
    write(
        &t,
        "storefront/imgcost.yaml",
        &STOREFRONT.replace("quality: medium, n: 2", "quality: high, n: 2"),
    );
    write(
        &t,
        ".imgcost/policy.yaml",
        "version: 1\nname: gate\nrules:\n  diff: {max_increase_usd: 5000}\n",
    );
    commit(&t);
    let report = diff(&t, &[]).status(0).json();
    let ic501: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "IC501")
        .collect();
    assert_eq!(ic501.len(), 0, "the loosened head policy allows it");
    let ic502 = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "IC502")
        .unwrap();
    assert_eq!(
        (ic502["file"].as_str(), ic502["severity"].as_str()),
        (Some(".imgcost/policy.yaml"), Some("note"))
    );
    // Pinned to the base's policy, the gate holds: IC501 at the changed quality (line 8).
    let report = diff(&t, &["--policy-ref", "HEAD~1"]).status(1).json();
    let ic501 = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "IC501" && d["workflow"] == "storefront/product-hero")
        .unwrap();
    assert_eq!(
        (ic501["line"].as_u64(), ic501["column"].as_u64()),
        (Some(8), Some(41))
    );
    assert!(ic501["message"].as_str().unwrap().contains(
        "rises by $3,111.70 (+287.8 %), over the limit of $500.00 and over the limit of 25 %"
    ));
}

#[test]
fn markdown_comment_golden() {
    let t = repo();
    write(
        &t,
        "storefront/imgcost.yaml",
        &STOREFRONT.replace("quality: medium, n: 2", "quality: high, n: 2"),
    );
    // A different workflow (model, quality and size), though git may see the file as moved.
    write(
        &t,
        "support/imgcost.yaml",
        &MARKETING
            .replace("marketing", "support")
            .replace("banners", "avatars")
            .replace("gpt-image-2.5-flare", "gpt-image-2")
            .replace(
                "size: 1024x1024, quality: medium",
                "size: 1024x1536, quality: low",
            ),
    );
    write(
        &t,
        ".imgcost/policy.yaml",
        "version: 1\nname: gate\nrules:\n  diff: {max_increase_usd: 500, max_increase_percent: 25}\n",
    );
    commit(&t);
    let args: Vec<String> = [
        "diff",
        "--base",
        "HEAD~1",
        "--format",
        "markdown",
        "--as-of",
        "2026-11-25",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let output = crate::test::run_in(t.path(), &args, &[], &[]);
    let commit = git(t.path(), &["rev-parse", "--short=7", "HEAD~1"]);
    insta::assert_snapshot!(output.stdout.replace(&commit, "BASE"));
}

#[test]
fn long_comments_are_cut_under_the_comment_limit_and_json_matches_the_schema() {
    let t = Test::new().file("README.md", "base\n");
    git(t.path(), &["init", "-q"]);
    commit(&t);
    // 1 500 workflows in two manifests (one holds at most 1 000).
    for (file, range) in [
        ("big/a.imgcost.yaml", 0..750),
        ("big/b.imgcost.yaml", 750..1500),
    ] {
        let mut manifest = String::from(
            "version: 1\nproject: big\nowner: \"@big\"\ndefaults:\n  model: gpt-image-2\n  request: {size: 1024x1024, quality: low}\n  budget: {monthly_usd: 1000}\nworkflows:\n",
        );
        for i in range {
            manifest.push_str(&format!("  workflow-with-a-long-descriptive-name-{i:04}:\n    volume: {{requests_per_month: {}}}\n", 100 + i));
        }
        write(&t, file, &manifest);
    }
    commit(&t);
    let args: Vec<String> = [
        "diff",
        "--base",
        "HEAD~1",
        "--format",
        "markdown",
        "--as-of",
        "2026-11-25",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let comment = crate::test::run_in(t.path(), &args, &[], &[])
        .status(0)
        .stdout
        .clone();
    assert!(comment.len() < 65_000, "{} characters", comment.len());
    assert!(comment.starts_with("<!-- imgcost:diff -->\n"));
    assert!(
        comment.contains("more changed workflows |"),
        "the table says it was cut"
    );
    let report = diff(&t, &[]).status(0).json();
    let errors: Vec<String> = imgcost::Schema::Report
        .validator()
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(report["diff"]["workflows"].as_array().unwrap().len(), 1500);
}

/// A diff with no manifest on either side compares nothing: the run fails (exit 2) and says so,
/// rather than reporting an empty change as a pass.
#[test]
fn nothing_at_the_head_or_the_base_is_a_failed_run() {
    let t = Test::new().file("README.md", "no manifests here\n");
    git(t.path(), &["init", "-q"]);
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-qm", "base"]);
    git(t.path(), &["commit", "-q", "--allow-empty", "-m", "head"]);
    let output = diff(&t, &[]);
    output
        .status(2)
        .stderr_has("imgcost: error: no manifests at the head or at the base: nothing to compare");
    assert_eq!(output.stdout, "");
}
