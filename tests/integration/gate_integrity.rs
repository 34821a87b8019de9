//! Gate integrity (issue 13): the pull request being judged cannot walk around the gate, make it
//! read what it should not, or make it pass by breaking it. Each test names the class of the
//! issue it covers; each failed on the build before the fix (run the suite against another
//! build with `IMGCOST_TEST_BINARY=path/to/imgcost`).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::test::{Output, Test, binary, git, run_in, sparse_checkout};

const VALID: &str = "version: 1\nproject: p\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";

/// A manifest over its own budget: exit 1 whenever it is checked.
const OVER_BUDGET: &str = "version: 1\nproject: shop\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: high}\n    volume: {requests_per_month: 100000}\n    budget: {monthly_usd: 10}\n";

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A", "-f"]);
    git(dir, &["commit", "-qm", message]);
}

/// Runs imgcost in `dir` with `args` (the date fixed, right after the command, so that it stays
/// before any `--`), and the environment given.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut all: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    all.splice(1..1, ["--as-of".to_owned(), "2026-11-25".to_owned()]);
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    run_in(
        dir,
        &all,
        &env,
        &["GITHUB_ACTIONS".to_owned(), "NO_COLOR".to_owned()],
    )
}

fn rules_of(report: &Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["file"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

// --- Class 1: ignore files do not hide what git tracks -------------------------------------

/// Gate integrity, class 1: inside git, a `.ignore` or `.gitignore` added by the change, a
/// global excludes file or `.git/info/exclude` cannot drop a tracked manifest from `check`.
#[test]
fn ignore_files_do_not_hide_tracked_manifests() {
    let t = Test::new().file("shop/imgcost.yaml", OVER_BUDGET);
    git(t.path(), &["init", "-q"]);
    commit_all(t.path(), "base");
    let json = ["check", "--format", "json"];
    let found = |output: &Output| rules_of(&output.json());
    let expected = vec![("IC201".to_owned(), "shop/imgcost.yaml".to_owned())];
    for (ignore_file, rule) in [
        (".ignore", "shop/\n"),
        (".gitignore", "imgcost.yaml\n"),
        ("shop/.ignore", "*\n"),
        (".git/info/exclude", "shop\n"),
    ] {
        std::fs::write(t.path().join(ignore_file), rule).expect("write");
        let output = run(t.path(), &json, &[]);
        output.status(1);
        assert_eq!(found(&output), expected, "with {ignore_file}");
        std::fs::remove_file(t.path().join(ignore_file)).expect("remove");
    }
    // Committed, too: the ignore file is part of the change.
    std::fs::write(t.path().join(".gitignore"), "shop/\n").expect("write");
    std::fs::write(t.path().join(".ignore"), "*.yaml\n").expect("write");
    commit_all(t.path(), "ignore everything");
    let output = run(t.path(), &json, &[]);
    output.status(1);
    assert_eq!(found(&output), expected);
}

/// Gate integrity, class 1: a work tree whose repository lies elsewhere (`GIT_DIR`, no `.git`
/// in or above it) is still read through git, so its ignore files hide no tracked manifest
/// (imgcost skips asking git only when nothing could name a repository).
#[test]
fn a_repository_named_by_git_dir_is_still_read_through_git() {
    let t = Test::new().file("tree/shop/imgcost.yaml", OVER_BUDGET);
    let tree = t.path().join("tree");
    git(&tree, &["init", "-q"]);
    commit_all(&tree, "base");
    std::fs::rename(tree.join(".git"), t.path().join("elsewhere.git")).expect("move .git");
    std::fs::write(tree.join(".ignore"), "shop/\n").expect("write");
    let git_dir = t.path().join("elsewhere.git");
    let env = [
        ("GIT_DIR", git_dir.to_str().expect("utf-8")),
        ("GIT_WORK_TREE", tree.to_str().expect("utf-8")),
    ];
    let output = run(&tree, &["check", "--format", "json"], &env);
    output.status(1);
    assert_eq!(
        rules_of(&output.json()),
        [("IC201".to_owned(), "shop/imgcost.yaml".to_owned())]
    );
}

/// Gate integrity, class 1: untracked manifests follow the repository's own `.gitignore` only,
/// so a user's global excludes or `.git/info/exclude` do not change what one machine checks.
#[test]
fn untracked_manifests_are_judged_alike_on_every_machine() {
    let t = Test::new()
        .file("shop/imgcost.yaml", VALID)
        .file("new/imgcost.yaml", OVER_BUDGET.replace("shop", "new"))
        .file("build/imgcost.yaml", OVER_BUDGET.replace("shop", "build"))
        .file(".gitignore", "build/\n")
        .file("global-excludes", "new/\n");
    git(t.path(), &["init", "-q"]);
    git(t.path(), &["add", "shop", ".gitignore"]);
    git(t.path(), &["commit", "-qm", "base"]);
    std::fs::write(t.path().join(".git/info/exclude"), "new/imgcost.yaml\n").expect("write");
    let config = t.path().join("global.gitconfig");
    std::fs::write(
        &config,
        format!(
            "[core]\n\texcludesFile = {}\n",
            t.path().join("global-excludes").display()
        ),
    )
    .expect("write");
    let output = run(
        t.path(),
        &["check", "--format", "json"],
        &[("GIT_CONFIG_GLOBAL", config.to_str().expect("utf-8"))],
    );
    output.status(1);
    // The untracked manifest is checked; the one the committed .gitignore ignores is not.
    assert_eq!(
        rules_of(&output.json()),
        [("IC201".to_owned(), "new/imgcost.yaml".to_owned())]
    );
}

/// Gate integrity, class 1: outside git, folders are walked as before, honouring `.ignore`.
#[test]
fn outside_git_ignore_files_still_apply() {
    let t = Test::new()
        .file("shop/imgcost.yaml", VALID)
        .file("vendor/imgcost.yaml", OVER_BUDGET)
        .file(".ignore", "vendor/\n");
    run(t.path(), &["check", "--format", "json"], &[]).status(0);
}

/// Gate integrity, class 1: `diff` lists both sides by the same rule, so an ignore file in the
/// change does not turn a committed manifest into a "removed" saving.
#[test]
fn an_ignore_file_in_the_change_is_not_a_removal() {
    let t = Test::new().file("shop/imgcost.yaml", VALID);
    git(t.path(), &["init", "-q"]);
    commit_all(t.path(), "base");
    std::fs::write(t.path().join(".ignore"), "shop/\n").expect("write");
    std::fs::write(t.path().join(".gitignore"), "imgcost.yaml\n").expect("write");
    commit_all(t.path(), "hide it");
    let output = run(
        t.path(),
        &["diff", "--base", "HEAD~1", "--format", "json"],
        &[],
    );
    output.status(0);
    let report = output.json();
    assert_eq!(report["diff"]["delta_usd"], "0.00");
    assert_eq!(report["diff"]["workflows"][0]["status"], "unchanged");
}

/// Gate integrity, class 1: inside a repository git cannot read, the run fails instead of
/// walking the tree with ignore files.
#[test]
fn a_repository_git_refuses_fails_the_run() {
    let t = Test::new().file("shop/imgcost.yaml", VALID);
    git(t.path(), &["init", "-q"]);
    // A `.git` git cannot use (here: not a repository at all).
    std::fs::remove_dir_all(t.path().join(".git")).expect("remove");
    std::fs::write(t.path().join(".git"), "gitdir: /nonexistent\n").expect("write");
    let output = run(t.path(), &["check"], &[]);
    output
        .status(2)
        .stderr_has("inside a git repository, but git refused it");
}

// --- Class 3: renames are changes ----------------------------------------------------------

const SHOP: &str = "version: 1\nproject: shop\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 1000}\n  thumbs:\n    model: gpt-image-2.5-flare\n    request: {size: 1024x1024, quality: medium}\n    volume: {requests_per_month: 500}\n";

/// Gate integrity, class 3: renaming a workflow while raising its cost is a change of +2 900 %
/// for `max_increase_percent`, not an addition the percent gate skips; the comment says it was
/// a rename.
#[test]
fn a_renamed_workflow_is_gated_as_the_change_it_is() {
    let t = Test::new().file("shop/imgcost.yaml", SHOP).file(
        ".imgcost/policy.yaml",
        "version: 1\nname: gate\nrules:\n  diff: {max_increase_percent: 50}\n",
    );
    git(t.path(), &["init", "-q"]);
    commit_all(t.path(), "base");
    let renamed = SHOP
        .replace("  hero:\n", "  hero-v2:\n")
        .replace("requests_per_month: 1000}", "requests_per_month: 30000}");
    std::fs::write(t.path().join("shop/imgcost.yaml"), renamed).expect("write");
    commit_all(t.path(), "rename and raise");
    let output = run(
        t.path(),
        &["diff", "--base", "HEAD~1", "--format", "json"],
        &[],
    );
    output.status(1);
    let report = output.json();
    let change = &report["diff"]["workflows"][0];
    assert_eq!(change["id"], "shop/hero-v2");
    assert_eq!(change["status"], "renamed");
    assert_eq!(change["renamed_from"], "shop/hero");
    assert_eq!(change["changed"], serde_json::json!(["volume"]));
    assert_eq!(change["delta_percent"], "2900.00");
    let gate = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "IC501")
        .expect("IC501");
    assert_eq!(
        gate["message"],
        "monthly cost of `shop/hero-v2` (renamed from `shop/hero`) rises by $170.52 (+2900.0 %), over the limit of 50 %"
    );
    assert_eq!((&gate["line"], &gate["column"]), (&4.into(), &3.into()));
    let markdown = run(
        t.path(),
        &["diff", "--base", "HEAD~1", "--format", "markdown"],
        &[],
    );
    markdown.status(1).stdout_has("renamed from");
}

/// Gate integrity, class 3: an added workflow meets every absolute gate, and a change from
/// $0.00 is over any percentage.
#[test]
fn added_workflows_meet_absolute_gates_and_increases_from_zero_any_percentage() {
    let t = Test::new()
        .file(
            "shop/imgcost.yaml",
            SHOP.replace("requests_per_month: 500", "requests_per_month: 0"),
        )
        .file(
            ".imgcost/policy.yaml",
            "version: 1\nname: gate\nrules:\n  diff: {max_increase_usd: 100, max_increase_percent: 50}\n",
        );
    git(t.path(), &["init", "-q"]);
    commit_all(t.path(), "base");
    let head = SHOP.replace("requests_per_month: 500", "requests_per_month: 400")
        + "  banner:\n    model: gpt-image-2\n    request: {size: 1536x1024, quality: high}\n    volume: {requests_per_month: 2000}\n";
    std::fs::write(t.path().join("shop/imgcost.yaml"), head).expect("write");
    commit_all(t.path(), "add and raise");
    let report = run(
        t.path(),
        &["diff", "--base", "HEAD~1", "--format", "json"],
        &[],
    )
    .status(1)
    .json();
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "IC501")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "monthly cost of `shop/thumbs` rises by $5.27 (from $0.00), over the limit of 50 %",
            "monthly cost of `shop/banner` rises by $329.28, over the limit of $100.00",
            "total monthly cost rises by $334.55 (+5689.6 %), over the limit of $100.00 and over the limit of 50 %",
        ]
    );
}

// --- Class 5: totals that overflow -----------------------------------------------------------

/// Workflows each priced within the largest amount ($780 000 000 000 000 000 000 000), whose
/// sum passes it at the second.
fn huge_manifest() -> String {
    let mut text = String::from("version: 1\nproject: p\nworkflows:\n");
    for i in 0..22 {
        text.push_str(&format!(
            "  w{i}:\n    model: gpt-image-1-mini\n    request: {{size: 1536x1024, quality: high, n: 10}}\n    volume: {{requests_per_month: 1500000000000000000000000}}\n"
        ));
    }
    text
}

/// Gate integrity, class 5: a run total that passes the largest amount is a located IC108
/// error in every format (exit 1), never a saturated figure that passes.
#[test]
fn a_total_that_overflows_is_a_located_error() {
    let t = Test::new().file("imgcost.yaml", huge_manifest());
    let output = run(t.path(), &["check", "--format", "json"], &[]);
    output.status(1);
    let report = output.json();
    assert_eq!(report["summary"]["monthly_usd"], Value::Null);
    let overflows: Vec<(u64, u64, &str)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "IC108")
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        overflows,
        [
            (
                3,
                1,
                "the manifest's monthly total exceeds $1,000,000,000,000,000,000,000,000, the largest amount imgcost reports"
            ),
            (
                8,
                3,
                "the run's monthly total exceeds $1,000,000,000,000,000,000,000,000, the largest amount imgcost reports"
            ),
        ]
    );
    for format in ["human", "markdown", "github", "sarif", "junit"] {
        let output = run(t.path(), &["check", "--format", format], &[]);
        output.status(1);
        assert!(
            !output.stderr.contains("panicked"),
            "{format}: {}",
            output.stderr
        );
    }
    run(t.path(), &["check", "--format", "human"], &[])
        .status(1)
        .stdout_has("Total: over $1,000,000,000,000,000,000,000,000 (IC108)");
}

/// Gate integrity, class 5: one workflow beyond the largest amount is IC108 at its volume.
#[test]
fn a_workflow_beyond_the_largest_amount_is_ic108() {
    let text = "version: 1\nproject: p\nworkflows:\n  w:\n    model: gpt-image-1-mini\n    request: {size: 1536x1024, quality: high, n: 10}\n    volume: {requests_per_month: 50000000000000000000000000}\n";
    let t = Test::new().file("imgcost.yaml", text);
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    let finding = &report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error");
    assert_eq!(finding["rule"], "IC108");
    assert_eq!(
        finding["message"],
        "the projected monthly cost exceeds $1,000,000,000,000,000,000,000,000, the largest amount imgcost reports"
    );
    assert_eq!(
        (&finding["line"], &finding["column"]),
        (&7.into(), &13.into())
    );
}

/// Gate integrity, class 5: a baseline with a negative or oversized figure is refused (exit 2)
/// instead of making `diff` overflow or panic.
#[test]
fn a_baseline_with_impossible_figures_is_refused() {
    let t = Test::new().file("imgcost.yaml", VALID);
    let saved = run(t.path(), &["check", "--format", "json"], &[])
        .status(0)
        .stdout
        .clone();
    let figure = "\"monthly_usd\": \"0.59\"";
    // The summary's figure comes first in a report, the workflow's last.
    let (summary, workflow) = (
        saved.find(figure).expect("a summary figure"),
        saved.rfind(figure).expect("a workflow figure"),
    );
    assert!(summary < workflow, "{saved}");
    for (at, to, refusal) in [
        (summary, "-0.01", "is not an imgcost report (version 1)"),
        (
            workflow,
            "-79228162514264337593543950.33",
            "is not an imgcost report (version 1)",
        ),
        (
            workflow,
            "9999999999999999999999999.99",
            "`/workflows/0/monthly_usd` is not an amount imgcost reports",
        ),
        (
            summary,
            "1000000000000000000000000.01",
            "`/summary/monthly_usd` is not an amount imgcost reports",
        ),
    ] {
        let baseline = format!(
            "{}\"monthly_usd\": \"{to}\"{}",
            &saved[..at],
            &saved[at + figure.len()..]
        );
        std::fs::write(t.path().join("base.json"), baseline).expect("write");
        run(t.path(), &["diff", "--baseline", "base.json"], &[])
            .status(2)
            .stderr_has(refusal);
    }
}

/// Gate integrity, class 5: a baseline's token counts are each a decimal that fits, but their
/// sum (the input tokens per attempt `diff` compares) does not; it is compared as unknown
/// instead of making `diff` panic.
#[test]
fn a_baseline_whose_token_counts_overflow_their_sum_is_compared() {
    let t = Test::new().file("imgcost.yaml", VALID);
    let saved = run(t.path(), &["check", "--format", "json"], &[])
        .status(0)
        .stdout
        .clone();
    let mut report: Value = serde_json::from_str(&saved).expect("a report");
    let huge = "79228162514264337593543950335";
    for kind in ["text_input", "image_input", "mainline_input"] {
        report["workflows"][0]["tokens"][kind] = Value::from(huge);
    }
    std::fs::write(
        t.path().join("base.json"),
        serde_json::to_string_pretty(&report).expect("JSON"),
    )
    .expect("write");
    let diff = run(
        t.path(),
        &["diff", "--baseline", "base.json", "--format", "json"],
        &[],
    );
    diff.status(0);
    assert_eq!(
        diff.json()["diff"]["workflows"][0]["changed"],
        serde_json::json!(["inputs"])
    );
}

// --- Class 6: file names are not options -----------------------------------------------------

/// Gate integrity, class 6: every pre-commit hook ends option parsing before the file names
/// pre-commit appends, and a file named like an option is a path.
#[test]
fn file_names_never_become_options() {
    let hooks =
        std::fs::read_to_string(crate::test::repo().join(".pre-commit-hooks.yaml")).expect("hooks");
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|line| line.trim().strip_prefix("entry: "))
        .collect();
    assert_eq!(entries.len(), 2, "{hooks}");
    for entry in entries {
        assert!(
            entry.split(' ').any(|word| word == "--"),
            "hook entry `{entry}` lets file names become options"
        );
    }
    let t = Test::new()
        .file("--policy=loose.imgcost.yaml", OVER_BUDGET)
        .file("loose.imgcost.yaml", "version: 1\nname: loose\n");
    let report = run(
        t.path(),
        &[
            "check",
            "--format",
            "json",
            "--",
            "--policy=loose.imgcost.yaml",
        ],
        &[],
    )
    .status(1)
    .json();
    assert_eq!(
        rules_of(&report),
        [("IC201".to_owned(), "--policy=loose.imgcost.yaml".to_owned())]
    );
    assert_eq!(report["policies"], serde_json::json!(["default"]));
}

// --- Class 7 and 11: guarded reads of policies, rate cards and baselines ---------------------

const SECRET: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\nversion: 1\nname: SECRET-CONTENT\n";

/// A repository folder `repo/` beside a secret file `secret` outside it.
#[cfg(unix)]
fn repo_beside_a_secret() -> (Test, std::path::PathBuf) {
    let t = Test::new()
        .file("repo/shop/imgcost.yaml", VALID)
        .file("secret", SECRET);
    let repo = t.path().join("repo");
    git(&repo, &["init", "-q"]);
    (t, repo)
}

#[cfg(unix)]
fn assert_never_quoted(output: &Output) {
    assert!(
        !output.stdout.contains("SECRET") && !output.stderr.contains("SECRET"),
        "the secret was printed:\n{}\n{}",
        output.stdout,
        output.stderr
    );
    assert!(
        !output.stdout.contains("/secret") && !output.stderr.contains("/secret"),
        "the link's target was named:\n{}\n{}",
        output.stdout,
        output.stderr
    );
}

/// Gate integrity, class 7: a repository policy that is a link out of the repository is
/// refused (exit 2) without printing what it points at, in the working tree and at
/// `--policy-ref` alike; a link inside the repository works the same in both.
#[cfg(unix)]
#[test]
fn policy_links_out_of_the_repository_are_refused_and_never_quoted() {
    let (t, repo) = repo_beside_a_secret();
    std::fs::create_dir_all(repo.join(".imgcost")).expect("mkdir");
    std::os::unix::fs::symlink(t.path().join("secret"), repo.join(".imgcost/policy.yaml"))
        .expect("link");
    commit_all(&repo, "base");
    for args in [
        &["check"][..],
        &["check", "--policy-ref", "HEAD"],
        &[
            "check",
            "--format",
            "json",
            "--policy",
            ".imgcost/policy.yaml",
        ],
    ] {
        let output = run(&repo, args, &[]);
        output.status(2).stderr_has(
            "it is a symbolic link to a place outside the repository; imgcost does not follow it",
        );
        assert_never_quoted(&output);
    }
    // A link to a policy inside the repository: read through, as at the ref.
    std::fs::remove_file(repo.join(".imgcost/policy.yaml")).expect("remove");
    std::fs::write(
        repo.join("gate.yaml"),
        "version: 1\nname: linked\nrules:\n  quality: {allow: [medium]}\n",
    )
    .expect("write");
    std::os::unix::fs::symlink("../gate.yaml", repo.join(".imgcost/policy.yaml")).expect("link");
    commit_all(&repo, "inside");
    for args in [
        &["check", "--format", "json"][..],
        &["check", "--format", "json", "--policy-ref", "HEAD"],
    ] {
        let report = run(&repo, args, &[]).status(1).json();
        assert_eq!(
            report["policies"],
            serde_json::json!(["linked"]),
            "{args:?}"
        );
        assert_eq!(rules_of(&report)[0].0, "IC302", "{args:?}");
    }
}

/// Gate integrity, class 7: with `--policy-ref`, the working tree's policy (read to note that it
/// changed, IC502) gets the same guards: a link to `/dev/zero` or to a secret is never read.
#[cfg(unix)]
#[test]
fn the_working_tree_policy_is_read_with_guards_by_diff() {
    let (t, repo) = repo_beside_a_secret();
    std::fs::create_dir_all(repo.join(".imgcost")).expect("mkdir");
    std::fs::write(
        repo.join(".imgcost/policy.yaml"),
        "version: 1\nname: base\n",
    )
    .expect("write");
    commit_all(&repo, "base");
    for target in [t.path().join("secret"), "/dev/zero".into()] {
        std::fs::remove_file(repo.join(".imgcost/policy.yaml")).expect("remove");
        std::os::unix::fs::symlink(&target, repo.join(".imgcost/policy.yaml")).expect("link");
        let output = run(
            &repo,
            &[
                "diff",
                "--base",
                "HEAD",
                "--policy-ref",
                "HEAD",
                "--format",
                "json",
            ],
            &[],
        );
        let report = output.status(0).json();
        let note = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .find(|d| d["rule"] == "IC502")
            .expect("IC502");
        assert!(
            note["message"]
                .as_str()
                .unwrap_or_default()
                .contains("changes and cannot be read"),
            "{note}"
        );
        assert_never_quoted(&output);
    }
}

/// Gate integrity, class 7: rate-card files get the same guards, and errors about a policy or a
/// rate card never give a manifest's help.
#[cfg(unix)]
#[test]
fn rate_card_links_are_refused_and_policy_errors_speak_of_policies() {
    let (t, repo) = repo_beside_a_secret();
    std::os::unix::fs::symlink(t.path().join("secret"), repo.join("card.yaml")).expect("link");
    for args in [
        &["check", "--ratecard", "card.yaml"][..],
        &["ratecard", "validate", "card.yaml"],
    ] {
        let output = run(&repo, args, &[]);
        output
            .status(2)
            .stderr_has("cannot read rate card card.yaml");
        assert_never_quoted(&output);
    }
    std::fs::write(repo.join("policy.yaml"), "- not a policy\n").expect("write");
    let output = run(&repo, &["check", "--policy", "policy.yaml"], &[]);
    output
        .status(2)
        .stdout_has("a policy starts with `version: 1` and a `name:`");
    assert!(
        !output.stdout.contains("a manifest starts"),
        "{}",
        output.stdout
    );
}

/// Gate integrity, class 11: a baseline that is a FIFO or a link to a device is refused at once
/// (exit 2), never read without end or waited on.
#[cfg(unix)]
#[test]
fn baselines_are_read_with_guards() {
    let (_t, repo) = repo_beside_a_secret();
    std::os::unix::fs::symlink("/dev/zero", repo.join("zero.json")).expect("link");
    let status = Command::new("mkfifo")
        .arg(repo.join("fifo.json"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    run(&repo, &["diff", "--baseline", "zero.json"], &[])
        .status(2)
        .stderr_has("cannot read baseline report zero.json: it is a symbolic link to a place outside the repository");
    run(&repo, &["diff", "--baseline", "fifo.json"], &[])
        .status(2)
        .stderr_has("cannot read baseline report fifo.json: it is not a regular file");
}

// --- Class 10: --output never replaces what it should not ------------------------------------

/// Gate integrity, class 10: a report path that is a link committed to the repository is
/// replaced by the report, never written through; `/dev/stdout` and a FIFO are written to.
#[cfg(unix)]
#[test]
fn outputs_replace_links_inside_and_write_devices_directly() {
    let (t, repo) = repo_beside_a_secret();
    std::os::unix::fs::symlink(t.path().join("secret"), repo.join("report.json")).expect("link");
    run(&repo, &["check", "--output", "json=report.json"], &[]).status(0);
    assert_eq!(
        std::fs::read_to_string(t.path().join("secret")).expect("secret"),
        SECRET
    );
    let written = std::fs::read_to_string(repo.join("report.json")).expect("report");
    assert!(written.starts_with("{\n  \"version\": 1"), "{written}");
    assert!(!repo.join("report.json").is_symlink());
    // A device named by whoever runs imgcost is written to, not replaced.
    let output = run(
        &repo,
        &[
            "check",
            "--quiet",
            "--format",
            "human",
            "--output",
            "json=/dev/stdout",
        ],
        &[],
    );
    output.status(0).stdout_has("\"version\": 1");
    // A FIFO: written directly while something reads it.
    let fifo = repo.join("pipe.json");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::read_to_string(fifo).expect("read the FIFO")
    });
    run(&repo, &["check", "--output", "json=pipe.json"], &[]).status(0);
    assert!(reader.join().expect("reader").contains("\"summary\""));
    assert!(fifo.exists() && !fifo.is_file(), "the FIFO was replaced");
}

// --- Class 15: output that cannot be written fails the run -----------------------------------

/// Gate integrity, class 15: a closed stdout is a failed run (exit 2), never a pass.
#[cfg(unix)]
#[test]
fn a_closed_stdout_fails_the_run() {
    let t = Test::new().file("imgcost.yaml", VALID);
    let status = Command::new("sh")
        .current_dir(t.path())
        .arg("-c")
        .arg("exec \"$0\" check --as-of 2026-11-25 >&-")
        .arg(binary())
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("sh");
    assert_eq!(status.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&status.stderr)
            .contains("cannot write the report to standard output"),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

// --- Class 16: smaller ones ------------------------------------------------------------------

/// Gate integrity, class 16: a policy denying a dated alias denies the model it names, whatever
/// the manifest calls it.
#[test]
fn denying_a_dated_alias_denies_the_model() {
    let t = Test::new().file("imgcost.yaml", VALID).file(
        "policy.yaml",
        "version: 1\nname: no-2\nrules:\n  models: {deny: [gpt-image-2-2026-04-21]}\n",
    );
    let report = run(
        t.path(),
        &["check", "--format", "json", "--policy", "policy.yaml"],
        &[],
    )
    .status(1)
    .json();
    assert_eq!(
        rules_of(&report),
        [("IC301".to_owned(), "imgcost.yaml".to_owned())]
    );
}

/// Gate integrity, class 16: one manifest named by two paths is checked once, not flagged as
/// its own duplicate.
#[test]
fn one_manifest_named_twice_is_checked_once() {
    let t = Test::new().file("a/imgcost.yaml", VALID);
    #[cfg(unix)]
    std::os::unix::fs::symlink("a", t.path().join("b")).expect("link");
    let mut args = vec![
        "check",
        "--format",
        "json",
        "a/imgcost.yaml",
        "a/../a/imgcost.yaml",
        "a",
    ];
    if cfg!(unix) {
        args.push("b");
    }
    let report = run(t.path(), &args, &[]).status(0).json();
    assert_eq!(report["summary"]["manifests"], 1);
}

/// Gate integrity, class 16: IC005 does not reveal where a link out of the tree points, and the
/// fetch hint quotes the revision it repeats.
#[cfg(unix)]
#[test]
fn findings_never_reveal_link_targets_and_hints_quote_revisions() {
    let (t, repo) = repo_beside_a_secret();
    std::os::unix::fs::symlink(t.path().join("secret"), repo.join("shop/x.imgcost.yaml"))
        .expect("link");
    let output = run(&repo, &["check", "--format", "json"], &[]);
    let report = output.status(1).json();
    let unreadable = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "IC005")
        .expect("IC005");
    assert_eq!(
        unreadable["message"],
        "cannot read shop/x.imgcost.yaml: it is a symbolic link to a place outside the repository; imgcost does not follow it"
    );
    assert_never_quoted(&output);
    commit_all(&repo, "base");
    run(&repo, &["diff", "--base", "nope; rm -rf ~"], &[])
        .status(2)
        .stderr_has("e.g. `git fetch --no-tags origin 'nope; rm -rf ~'`");
}

// --- Class 2: borrowed projects ------------------------------------------------------------

/// The storefront team's manifest, over its budget, and the exemption the gate's owners gave it.
const STOREFRONT: &str = "version: 1\nproject: storefront\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: high}\n    volume: {requests_per_month: 100000}\n    budget: {monthly_usd: 10}\n";

const EXEMPT_STOREFRONT: &str = "exemptions:\n  - rule: IC201\n    workflows: [\"storefront/*\"]\n    reason: launch month\n    approved_by: \"@finops\"\n    expires: 2027-01-31\n";

fn error_places(report: &Value) -> Vec<(String, String, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error" && d["exempted"].is_null())
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// Gate integrity, class 2: a policy binds projects to paths; a manifest elsewhere that claims
/// a bound project is IC308 at its `project:`, and cannot be exempted.
#[test]
fn a_manifest_cannot_claim_a_project_bound_elsewhere() {
    let policy = format!(
        "version: 1\nname: gate\nprojects:\n  storefront: [\"apps/storefront/**\"]\n{EXEMPT_STOREFRONT}  - rule: IC308\n    workflows: [\"*\"]\n    reason: try\n    approved_by: me\n    expires: 2027-01-31\n"
    );
    let t = Test::new()
        .file("apps/storefront/imgcost.yaml", STOREFRONT)
        .file(".imgcost/policy.yaml", &policy);
    // IC308 cannot be exempted: the policy that tries is invalid.
    run(t.path(), &["check"], &[])
        .status(2)
        .stdout_has("IC308 cannot be exempted");
    let policy = policy[..policy.find("  - rule: IC308").expect("exemption")].to_owned();
    std::fs::write(t.path().join(".imgcost/policy.yaml"), policy).expect("write");
    // The storefront's own manifest is exempted.
    run(t.path(), &["check", "--format", "json"], &[]).status(0);
    // A manifest elsewhere that borrows the project fails, at its `project:` value.
    std::fs::create_dir_all(t.path().join("tools")).expect("mkdir");
    std::fs::write(
        t.path().join("tools/imgcost.yaml"),
        STOREFRONT.replace("hero:", "scratch:"),
    )
    .expect("write");
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    assert_eq!(
        error_places(&report),
        [("IC308".to_owned(), "tools/imgcost.yaml".to_owned(), 2, 10)]
    );
    let finding = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "IC308")
        .expect("IC308");
    assert_eq!(
        finding["message"],
        "this manifest claims project `storefront`, which policy `gate` binds to apps/storefront/**; it is at tools/imgcost.yaml"
    );
}

/// Gate integrity, class 2: an exemption with `paths:` covers only manifests there.
#[test]
fn exemptions_can_name_paths() {
    let policy = format!(
        "version: 1\nname: gate\n{}",
        EXEMPT_STOREFRONT.replace(
            "    reason:",
            "    paths: [\"apps/storefront/**\"]\n    reason:"
        )
    );
    let t = Test::new()
        .file("apps/storefront/imgcost.yaml", STOREFRONT)
        .file(
            "tools/imgcost.yaml",
            STOREFRONT.replace("hero:", "scratch:"),
        )
        .file(".imgcost/policy.yaml", policy);
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    assert_eq!(
        error_places(&report),
        [("IC201".to_owned(), "tools/imgcost.yaml".to_owned(), 8, 27)]
    );
}

/// Gate integrity, class 2: with `--policy-ref`, a project no policy binds is bound to the
/// folders that held its manifests at the revision: a new manifest elsewhere claiming it, by
/// `project:` or by its folder's name, is IC308; the project's own manifests are not.
#[test]
fn at_the_policy_ref_projects_are_bound_to_where_they_were() {
    let t = Test::new()
        .file("apps/storefront/imgcost.yaml", STOREFRONT)
        .file(
            ".imgcost/policy.yaml",
            format!("version: 1\nname: gate\n{EXEMPT_STOREFRONT}"),
        );
    git(t.path(), &["init", "-q"]);
    commit_all(t.path(), "base");
    std::fs::create_dir_all(t.path().join("tools")).expect("mkdir");
    std::fs::create_dir_all(t.path().join("evil/storefront")).expect("mkdir");
    std::fs::write(
        t.path().join("tools/imgcost.yaml"),
        STOREFRONT.replace("hero:", "scratch:"),
    )
    .expect("write");
    std::fs::write(
        t.path().join("evil/storefront/imgcost.yaml"),
        STOREFRONT
            .replace("project: storefront\n", "")
            .replace("hero:", "other:"),
    )
    .expect("write");
    std::fs::write(
        t.path().join("apps/storefront/more.imgcost.yaml"),
        STOREFRONT.replace("hero:", "banner:"),
    )
    .expect("write");
    let report = run(
        t.path(),
        &["check", "--format", "json", "--policy-ref", "HEAD"],
        &[],
    )
    .status(1)
    .json();
    assert_eq!(
        error_places(&report),
        [
            (
                "IC308".to_owned(),
                "evil/storefront/imgcost.yaml".to_owned(),
                1,
                1
            ),
            ("IC308".to_owned(), "tools/imgcost.yaml".to_owned(), 2, 10),
        ]
    );
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "IC308")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(
        messages[1],
        "this manifest claims project `storefront`, whose manifests at HEAD are all under apps/storefront/; it is at tools/imgcost.yaml"
    );
    // Without the borrowers, the project's own new manifest is fine.
    std::fs::remove_dir_all(t.path().join("tools")).expect("remove");
    std::fs::remove_dir_all(t.path().join("evil")).expect("remove");
    run(
        t.path(),
        &["check", "--format", "json", "--policy-ref", "HEAD"],
        &[],
    )
    .status(0);
}

// --- Class 9: bounded findings ---------------------------------------------------------------

/// Gate integrity, class 9: thirty thousand duplicate keys on one line give a bounded report in
/// every format: at most 500 findings of the file, an IC007 note saying how many more there
/// are, and a summary that still counts every one.
#[test]
fn thirty_thousand_findings_in_one_file_give_a_bounded_report() {
    let text = format!(
        "version: 1\nworkflows:\n  w:\n    model: gpt-image-2\n    volume: {{requests_per_month: 1}}\n    request: {{{}}}\n",
        "n: 1, ".repeat(30_000)
    );
    assert!(text.len() < 1024 * 1024);
    let t = Test::new().file("imgcost.yaml", text);
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 501);
    assert_eq!(report["summary"]["errors"], 29_999);
    let note = diagnostics
        .iter()
        .find(|d| d["rule"] == "IC007")
        .expect("IC007");
    assert_eq!(
        note["message"],
        "29499 more findings in imgcost.yaml are not shown (29499 errors, 0 warnings, 0 notes); a report shows at most 500 per file"
    );
    for format in ["human", "json", "sarif", "github", "markdown", "junit"] {
        let output = run(t.path(), &["check", "--format", format], &[]);
        output.status(1);
        assert!(
            output.stdout.len() < 5_000_000,
            "{format}: {} bytes",
            output.stdout.len()
        );
    }
}

/// Gate integrity, class 9: a run of many small files shows one finding per 256 bytes read (at
/// least 2 000), errors first, and counts the rest.
#[test]
fn a_run_shows_findings_in_proportion_to_what_it_read() {
    let mut t = Test::new();
    for i in 0..1_100 {
        t = t.file(&format!("m{i:04}/imgcost.yaml"), "{}\n");
    }
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    // Two errors a file (no `version`, no `workflows`): 2 200 in all.
    assert_eq!(report["summary"]["errors"], 2_200);
    assert_eq!(diagnostics.len(), 2_001);
    let note = diagnostics
        .iter()
        .find(|d| d["rule"] == "IC007")
        .expect("IC007");
    assert_eq!(
        note["message"],
        "200 more findings in this run are not shown (200 errors, 0 warnings, 0 notes); this run shows at most 2000 (one per 256 bytes of manifests read)"
    );
}

/// Gate integrity, class 9: a manifest holds at most 1 000 workflows, so that one file's report
/// stays small; more is an error at `workflows:` and nothing of the file is priced.
#[test]
fn a_manifest_of_more_than_a_thousand_workflows_is_refused() {
    let mut text = String::from("version: 1\nworkflows:\n");
    for i in 0..1_001 {
        text.push_str(&format!(
            "  w{i}: {{model: gpt-image-2, volume: {{requests_per_month: 1}}}}\n"
        ));
    }
    let t = Test::new().file("imgcost.yaml", text);
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    assert_eq!(
        error_places(&report),
        [("IC002".to_owned(), "imgcost.yaml".to_owned(), 2, 1)]
    );
    assert_eq!(
        report["diagnostics"][0]["message"],
        "`workflows` holds more than 1000 entries"
    );
    assert_eq!(report["summary"]["workflows"], 0);
}

// --- Found by the review of the fixes (an attacker's second pass) ----------------------------

/// A repository with a strict policy and two projects, `apps/shop` (cheap) and `apps/legacy`
/// (whose over-limit workflow is exempted, at its path).
fn reviewed_repo() -> Test {
    let t = Test::new()
        .file(
            ".imgcost/policy.yaml",
            "version: 1\nname: team\nrules:\n  limits: {workflow_monthly_usd: 100}\n  diff: {max_increase_percent: 25}\nexemptions:\n  - rule: IC304\n    workflows: [\"legacy/*\"]\n    paths: [\"apps/legacy/**\"]\n    reason: retiring\n    approved_by: \"@boss\"\n    expires: 2099-01-01\n",
        )
        .file(
            "apps/shop/imgcost.yaml",
            "version: 1\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n",
        )
        .file(
            "apps/legacy/imgcost.yaml",
            "version: 1\nworkflows:\n  old:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: high}\n    volume: {requests_per_month: 100000}\n",
        );
    git(t.path(), &["init", "-q"]);
    commit_all(t.path(), "base");
    t
}

/// Rule and file of each active (not exempted) finding of error severity.
fn active_errors(report: &Value) -> Vec<(String, String)> {
    error_places(report)
        .into_iter()
        .map(|(rule, file, _, _)| (rule, file))
        .collect()
}

fn raise_shop(t: &Test) {
    let path = t.path().join("apps/shop/imgcost.yaml");
    let text = std::fs::read_to_string(&path).expect("shop");
    std::fs::write(
        path,
        text.replace("quality: low", "quality: high")
            .replace("requests_per_month: 100}", "requests_per_month: 2400}"),
    )
    .expect("write");
}

/// Gate integrity, class 1 (review): a link to a manifest is another manifest, judged at its
/// own place; it can no longer make the file it points at be judged only under its name.
#[cfg(unix)]
#[test]
fn a_link_to_a_manifest_does_not_take_its_place() {
    let t = reviewed_repo();
    raise_shop(&t);
    std::os::unix::fs::symlink(
        "../shop/imgcost.yaml",
        t.path().join("apps/legacy/a.imgcost.yaml"),
    )
    .expect("link");
    commit_all(t.path(), "change");
    // Two folders: the link and its target are both met, and both judged.
    let report = run(
        t.path(),
        &[
            "check",
            "--format",
            "json",
            "--policy-ref",
            "HEAD~1",
            "apps/legacy",
            "apps/shop",
        ],
        &[],
    )
    .status(1)
    .json();
    assert_eq!(report["summary"]["manifests"], 3);
    assert_eq!(
        active_errors(&report),
        [("IC304".to_owned(), "apps/shop/imgcost.yaml".to_owned())]
    );
}

/// Gate integrity, class 1 (review): a tracked manifest whose path is not UTF-8 is checked,
/// not taken for deleted.
#[cfg(target_os = "linux")]
#[test]
fn a_manifest_whose_name_is_not_utf8_is_checked() {
    use std::os::unix::ffi::OsStrExt;
    let t = reviewed_repo();
    let odd = t.path().join(std::ffi::OsStr::from_bytes(b"apps/sh\xffop"));
    std::fs::create_dir_all(&odd).expect("mkdir");
    std::fs::rename(
        t.path().join("apps/shop/imgcost.yaml"),
        odd.join("imgcost.yaml"),
    )
    .expect("move");
    std::fs::write(
        odd.join("imgcost.yaml"),
        "version: 1\nproject: shop\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: high}\n    volume: {requests_per_month: 100000}\n",
    )
    .expect("write");
    commit_all(t.path(), "move");
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    assert_eq!(report["summary"]["manifests"], 2);
    assert_eq!(active_errors(&report)[0].0, "IC304");
}

/// Gate integrity, class 1 (review): a tracked manifest outside a sparse checkout is read from
/// the index, not skipped (and not turned into a "removed" saving by `diff`).
#[test]
fn manifests_outside_a_sparse_checkout_are_read_from_the_index() {
    let t = reviewed_repo();
    raise_shop(&t);
    commit_all(t.path(), "change");
    sparse_checkout(t.path(), &["/apps/legacy/", "/.imgcost/"]);
    assert!(!t.path().join("apps/shop/imgcost.yaml").exists());
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    assert_eq!(
        active_errors(&report),
        [("IC304".to_owned(), "apps/shop/imgcost.yaml".to_owned())]
    );
    let report = run(
        t.path(),
        &["diff", "--base", "HEAD~1", "--format", "json"],
        &[],
    )
    .status(1)
    .json();
    assert_eq!(report["diff"]["workflows"][0]["status"], "changed");
}

/// Gate integrity, class 1 (review): a tracked manifest missing from the working tree (deleted
/// by an earlier step of the job, not by the change's commits) fails closed.
#[test]
fn a_tracked_manifest_missing_from_the_working_tree_fails_closed() {
    let t = reviewed_repo();
    std::fs::remove_file(t.path().join("apps/shop/imgcost.yaml")).expect("remove");
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    let unreadable = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "IC005")
        .expect("IC005");
    assert_eq!(
        unreadable["message"],
        "cannot read apps/shop/imgcost.yaml: git tracks it, but it is missing from the working tree; commit its deletion (`git rm`) or restore it"
    );
}

/// Gate integrity, class 2 (review): a manifest at the repository's top takes the folder's
/// name as its project; with `--policy-ref` that project is bound to the top alone.
#[test]
fn the_top_folders_project_cannot_be_claimed_from_below() {
    let t = reviewed_repo();
    let top = t
        .path()
        .file_name()
        .expect("a folder name")
        .to_string_lossy()
        .into_owned();
    std::fs::write(
        t.path().join("imgcost.yaml"),
        "version: 1\nworkflows:\n  old:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 10}\n",
    )
    .expect("write");
    commit_all(t.path(), "top");
    let shop = t.path().join("apps/shop/imgcost.yaml");
    let text = std::fs::read_to_string(&shop).expect("shop");
    std::fs::write(
        &shop,
        text.replace("version: 1\n", &format!("version: 1\nproject: {top}\n")),
    )
    .expect("write");
    let report = run(
        t.path(),
        &["check", "--format", "json", "--policy-ref", "HEAD"],
        &[],
    )
    .status(1)
    .json();
    assert_eq!(
        active_errors(&report),
        [("IC308".to_owned(), "apps/shop/imgcost.yaml".to_owned())]
    );
}

/// Gate integrity, class 3 (review): a renamed workflow moved to a sibling manifest of its
/// project is still a rename, and a decoy added beside it cannot take the pairing away: the
/// group of what vanished and what appeared is gated as a whole.
#[test]
fn renames_across_a_projects_manifests_and_decoys_are_gated() {
    let t = reviewed_repo();
    let shop = t.path().join("apps/shop/imgcost.yaml");
    let text = std::fs::read_to_string(&shop).expect("shop");
    // Moved to a sibling file, ten times the volume.
    std::fs::write(
        t.path().join("apps/shop/hero.imgcost.yaml"),
        text.replace("hero:", "hero-v2:")
            .replace("requests_per_month: 100}", "requests_per_month: 1000}"),
    )
    .expect("write");
    // The old file keeps a decoy of the same model, cheaper than what vanished.
    std::fs::write(
        &shop,
        text.replace("hero:", "banner:")
            .replace("requests_per_month: 100}", "requests_per_month: 20}"),
    )
    .expect("write");
    commit_all(t.path(), "move and raise");
    let report = run(
        t.path(),
        &["diff", "--base", "HEAD~1", "--format", "json"],
        &[],
    )
    .status(1)
    .json();
    let gates: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "IC501")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(
        gates,
        [
            "`shop/banner`, `shop/hero-v2` replace `shop/hero` (same project, model and endpoint): their monthly cost rises by $5.41 (+916.9 %), over the limit of 25 %"
        ]
    );
}

/// Gate integrity, class 7 (review): a symbolic link must lead to a file git tracks, and never
/// into `.git`: a credentials file an earlier step wrote, or `.git/config`, is never quoted.
#[cfg(unix)]
#[test]
fn links_lead_only_to_tracked_files_and_never_into_dot_git() {
    let t = reviewed_repo();
    std::os::unix::fs::symlink("../../key.json", t.path().join("apps/shop/k.imgcost.yaml"))
        .expect("link");
    std::os::unix::fs::symlink(
        "../../.git/config",
        t.path().join("apps/shop/g.imgcost.yaml"),
    )
    .expect("link");
    commit_all(t.path(), "links");
    // What an earlier step of the job wrote into the checkout, untracked.
    std::fs::write(t.path().join("key.json"), "version: \"sk-live-SECRET\"\n").expect("write");
    for format in ["json", "human", "github"] {
        let output = run(t.path(), &["check", "--format", format], &[]);
        output.status(1);
        assert!(
            !output.stdout.contains("SECRET") && !output.stdout.contains("repositoryformatversion"),
            "{}",
            output.stdout
        );
    }
    let report = run(t.path(), &["check", "--format", "json"], &[]).json();
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "IC005")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "cannot read apps/shop/g.imgcost.yaml: it is a symbolic link into `.git`; imgcost does not follow it",
            "cannot read apps/shop/k.imgcost.yaml: it is a symbolic link to a file git does not track; imgcost follows links only to tracked files",
        ]
    );
}

/// Gate integrity, class 7 (review): a folder named on the command line that is a link out of
/// the repository is refused however it is written (`apps/`, `apps/.`, a file under it), and
/// `--output` never writes through a folder link.
#[cfg(unix)]
#[test]
fn folder_links_out_of_the_repository_are_refused_however_named() {
    let t = Test::new()
        .file("outside/imgcost.yaml", "SECRET: 1\n")
        .file("repo/shop/imgcost.yaml", VALID);
    let repo = t.path().join("repo");
    git(&repo, &["init", "-q"]);
    std::os::unix::fs::symlink(t.path().join("outside"), repo.join("apps")).expect("link");
    commit_all(&repo, "base");
    for path in ["apps", "apps/", "apps/.", "apps/imgcost.yaml"] {
        let output = run(&repo, &["check", "--format", "json", path], &[]);
        assert!(
            !output.stdout.contains("SECRET"),
            "{path}: {}",
            output.stdout
        );
        assert!(
            output
                .stdout
                .contains("a symbolic link to a place outside the repository"),
            "{path}: {}",
            output.stdout
        );
    }
    std::fs::write(t.path().join("outside/report.json"), "precious").expect("write");
    run(
        &repo,
        &["check", "shop", "--output", "json=apps/report.json"],
        &[],
    )
    .status(2)
    .stderr_has("its folder is a symbolic link to a place outside the repository");
    assert_eq!(
        std::fs::read_to_string(t.path().join("outside/report.json")).expect("read"),
        "precious"
    );
}

/// Gate integrity, class 7 (review): with `--policy-ref`, a rate card kept in the repository is
/// read at the ref, like the policies: a change cannot lower the prices it is judged by; a
/// repository policy that is broken at the ref (a link to nothing) fails the run.
#[cfg(unix)]
#[test]
fn the_policy_ref_pins_rate_cards_and_refuses_broken_policies() {
    let t = reviewed_repo();
    let card =
        std::fs::read_to_string(crate::test::repo().join("ratecards/openai-2026-11-23.yaml"))
            .expect("card");
    std::fs::write(t.path().join(".imgcost/card.yaml"), &card).expect("write");
    commit_all(t.path(), "card");
    // The change prices every output token at nothing.
    let free = card.replace("output: 30.00", "output: 0");
    assert_ne!(free, card);
    std::fs::write(t.path().join(".imgcost/card.yaml"), free).expect("write");
    raise_shop(&t);
    commit_all(t.path(), "cheaper prices");
    let args = [
        "check",
        "--format",
        "json",
        "--ratecard",
        ".imgcost/card.yaml",
    ];
    run(t.path(), &args, &[]).status(0);
    let mut pinned = args.to_vec();
    pinned.extend(["--policy-ref", "HEAD~1"]);
    run(t.path(), &pinned, &[]).status(1);
    // A broken repository policy at the ref is not an absent one.
    std::fs::remove_file(t.path().join(".imgcost/policy.yaml")).expect("remove");
    std::os::unix::fs::symlink("nowhere.yaml", t.path().join(".imgcost/policy.yaml"))
        .expect("link");
    commit_all(t.path(), "broken policy");
    run(t.path(), &["check", "--policy-ref", "HEAD"], &[])
        .status(2)
        .stderr_has("it is a broken symbolic link at that revision");
}

/// Gate integrity, class 13 (review): no output gives orders to a CI log (`##[error]…` in a
/// value), bidirectional controls in a file are refused where they are, and SARIF message text
/// cannot make links.
#[test]
fn outputs_give_no_log_commands_and_no_bidi_and_sarif_makes_no_links() {
    let t = Test::new().file(
        "imgcost.yaml",
        "version: 1\nproject: p\nowner: \"##[error]approved\"\nworkflows:\n  hero:\n    model: gpt-image-2\n    volume: {requests_per_month: 1}\n    \"[ok](https://evil.example) ##[add-mask]x\": 1\n",
    );
    for format in ["human", "json", "sarif", "github", "markdown", "junit"] {
        let output = run(t.path(), &["check", "--format", format], &[]);
        output.status(1);
        assert!(
            !output.stdout.contains("##["),
            "{format}:\n{}",
            output.stdout
        );
    }
    let sarif: Value =
        serde_json::from_str(&run(t.path(), &["check", "--format", "sarif"], &[]).stdout)
            .expect("SARIF");
    let text = sarif["runs"][0]["results"][0]["message"]["text"]
        .as_str()
        .expect("text");
    assert!(
        text.starts_with("unknown key `\\[ok\\](https://evil.example) ##\\[add-mask\\]x`"),
        "{text}"
    );
    let t = Test::new().file(
        "imgcost.yaml",
        "version: 1\nproject: p\n# a\u{202e}b\nworkflows: {}\n",
    );
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    assert_eq!(
        report["diagnostics"][0]["message"],
        "the bidirectional control character U+202E reorders how the file is shown; imgcost refuses it"
    );
    assert_eq!(
        (
            &report["diagnostics"][0]["line"],
            &report["diagnostics"][0]["column"]
        ),
        (&3.into(), &4.into())
    );
}

/// Gate integrity, class 9 (review): an active error is never the finding left out for
/// exempted ones; and a manifest's path is bounded.
#[test]
fn active_errors_are_shown_before_exempted_ones_and_paths_are_bounded() {
    let mut text = String::from("version: 1\nproject: legacy\nworkflows:\n");
    for i in 0..600 {
        text.push_str(&format!(
            "  w{i}: {{model: gpt-image-2, request: {{size: 1024x1024, quality: high}}, volume: {{requests_per_month: 100000}}}}\n"
        ));
    }
    text.push_str("  zz: {model: gpt-image-2, request: {size: 1024x1024, quality: high}, volume: {requests_per_month: 100000}, budget: {monthly_usd: 1}}\n");
    let t = Test::new().file("apps/legacy/imgcost.yaml", text).file(
        "policy.yaml",
        "version: 1\nname: team\nrules:\n  limits: {workflow_monthly_usd: 100}\nexemptions:\n  - rule: IC304\n    workflows: [\"legacy/*\"]\n    reason: retiring\n    approved_by: \"@boss\"\n    expires: 2099-01-01\n",
    );
    let report = run(
        t.path(),
        &["check", "--format", "json", "--policy", "policy.yaml"],
        &[],
    )
    .status(1)
    .json();
    let active: Vec<&Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error" && d["exempted"].is_null())
        .collect();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0]["rule"], "IC201");
    let long = format!(
        "{}/imgcost.yaml",
        "d".repeat(200) + "/" + &"e".repeat(200) + "/" + &"f".repeat(200)
    );
    let t = Test::new().file(&long, VALID);
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    assert_eq!(
        report["diagnostics"][0]["message"]
            .as_str()
            .map(|m| m.ends_with("its path is longer than 512 bytes; move it somewhere shorter")),
        Some(true)
    );
}

/// Gate integrity, class 1 (review): a manifest inside a submodule (another repository) is said
/// so, as an error, not skipped.
#[test]
fn manifests_inside_submodules_are_not_skipped_silently() {
    let t = reviewed_repo();
    let other = Test::new().file("imgcost.yaml", VALID);
    git(other.path(), &["init", "-q"]);
    commit_all(other.path(), "other");
    git(
        t.path(),
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            other.path().to_str().expect("utf-8"),
            "vendor/other",
        ],
    );
    let report = run(t.path(), &["check", "--format", "json"], &[])
        .status(1)
        .json();
    let unreadable = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "IC005")
        .expect("IC005");
    assert_eq!(
        unreadable["message"],
        "cannot read vendor/other/imgcost.yaml: it is inside a submodule, another repository; imgcost checks this repository's files only (check the submodule in its own repository, or keep the manifest here)"
    );
}

/// Gate integrity, class 5 (found writing the policy reference): a size or quality the model
/// does not take leaves the workflow unpriced, so IC104 and IC105 are fail-closed too; a policy
/// that switched them off let such a workflow pass at $0.00.
#[test]
fn unpriceable_sizes_and_qualities_cannot_be_switched_off() {
    let t = Test::new()
        .file(
            "imgcost.yaml",
            "version: 1\nproject: p\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1000x1000, quality: xhigh}\n    volume: {requests_per_month: 100}\n",
        )
        .file(
            "policy.yaml",
            "version: 1\nname: loose\nseverity: {IC104: off, IC105: off}\n",
        );
    run(t.path(), &["check", "--policy", "policy.yaml"], &[])
        .status(2)
        .stdout_has("IC104 cannot be lowered")
        .stdout_has("IC105 cannot be lowered");
    run(t.path(), &["check", "--format", "json"], &[]).status(1);
}
