//! Every rule of the catalogue (docs/rules/) fires on a minimal example
//! (`tests/fixtures/rules/<code>_<name>/`), golden-tested in both renderers with its line, column,
//! severity and the exit code.
//!
//! A fixture is either a folder checked with `check .` (with a `policy.yaml` where the rule
//! needs one), or, for the rules `diff` finds, a folder with `base/` and `head/`: those become
//! the two commits of a git repository in a temporary folder, compared with
//! `diff --base HEAD~1` (their policies sit in each side's `.imgcost/policy.yaml`), or, for the
//! rules `reconcile` finds, a folder with a `usage/` folder of saved Usage API pages (and a
//! `costs/` folder where the rule needs billed dollars), reconciled with
//! `reconcile . --usage usage [--costs costs]`.

use std::path::Path;

use crate::test::{Test, check_args, git, repo, run_in};

/// A fixture with more findings than this (IC007's, which needs over 500) keeps only the end of
/// its human rendering (see [`tail`]): the findings' rows are all there, and the end holds the
/// IC007 note and the summary.
const MANY_FINDINGS: usize = 100;
const HUMAN_TAIL_LINES: usize = 30;

fn check(dir: &Path, format: &str) -> (i32, String) {
    let mut args = check_args(".", format);
    if dir.join("policy.yaml").exists() {
        args.extend(["--policy".to_owned(), "policy.yaml".to_owned()]);
    }
    let output = run_in(dir, &args, &[], &["NO_COLOR".to_owned()]);
    assert!(output.stderr.is_empty(), "{}", output.stderr);
    (output.status, output.stdout)
}

fn reconcile(dir: &Path, format: &str) -> (i32, String) {
    let mut args: Vec<String> = [
        "reconcile",
        ".",
        "--usage",
        "usage",
        "--as-of",
        "2026-11-25",
        "--color",
        "never",
        "--format",
        format,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    if dir.join("costs").is_dir() {
        args.extend(["--costs".to_owned(), "costs".to_owned()]);
    }
    if dir.join("policy.yaml").exists() {
        args.extend(["--policy".to_owned(), "policy.yaml".to_owned()]);
    }
    let output = run_in(dir, &args, &[], &["NO_COLOR".to_owned()]);
    assert!(output.stderr.is_empty(), "{}", output.stderr);
    (output.status, output.stdout)
}

/// A repository whose first commit holds `fixture/base` and whose second, the working tree,
/// holds `fixture/head`.
fn base_and_head(fixture: &Path) -> Test {
    let repository = Test::new();
    copy_folder(&fixture.join("base"), repository.path());
    git(repository.path(), &["init", "-q"]);
    git(repository.path(), &["add", "-A"]);
    git(repository.path(), &["commit", "-qm", "base"]);
    git(repository.path(), &["rm", "-rq", "."]);
    copy_folder(&fixture.join("head"), repository.path());
    git(repository.path(), &["add", "-A"]);
    git(repository.path(), &["commit", "-qm", "head"]);
    repository
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn diff(repository: &Test, format: &str) -> (i32, String) {
    let args: Vec<String> = [
        "diff",
        "--base",
        "HEAD~1",
        "--as-of",
        "2026-11-25",
        "--color",
        "never",
        "--format",
        format,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let output = run_in(repository.path(), &args, &[], &["NO_COLOR".to_owned()]);
    assert!(output.stderr.is_empty(), "{}", output.stderr);
    (output.status, output.stdout)
}

/// The last findings of a long human rendering (from a blank line among its last
/// [`HUMAN_TAIL_LINES`] lines), saying how many lines were left out.
fn tail(human: &str) -> String {
    let lines: Vec<&str> = human.lines().collect();
    let from = lines.len().saturating_sub(HUMAN_TAIL_LINES);
    let start = (from..lines.len())
        .find(|&i| lines[i].is_empty())
        .map_or(from, |blank| blank + 1);
    format!("[{start} lines left out]\n{}\n", lines[start..].join("\n"))
}

#[test]
fn every_rule_fires_on_its_fixture() {
    insta::glob!(
        "../fixtures/rules",
        "{*/imgcost.yaml,*/head/imgcost.yaml}",
        |path| {
            let folder = path.parent().unwrap();
            let is_diff = folder.ends_with("head");
            let fixture = if is_diff {
                folder.parent().unwrap()
            } else {
                folder
            };
            let name = fixture.file_name().unwrap().to_str().unwrap();
            let code = name[..5].to_uppercase();
            let repository = is_diff.then(|| base_and_head(fixture));
            let reconciled = fixture.join("usage").is_dir();
            let run = |format| match &repository {
                Some(repository) => diff(repository, format),
                None if reconciled => reconcile(fixture, format),
                None => check(fixture, format),
            };
            let (status, json) = run("json");
            let report: serde_json::Value = serde_json::from_str(&json).unwrap();
            let diagnostics = report["diagnostics"].as_array().unwrap();
            assert!(
                diagnostics.iter().any(|d| d["rule"] == code),
                "{name}: no {code} in {json}"
            );
            let (human_status, human) = run("human");
            assert_eq!(status, human_status);
            let human = if diagnostics.len() > MANY_FINDINGS {
                tail(&human)
            } else {
                human
            };
            let rows: Vec<String> = diagnostics
                .iter()
                .map(|d| {
                    format!(
                        "{} {} {}:{}:{}-{}:{} {}",
                        d["rule"].as_str().unwrap(),
                        d["severity"].as_str().unwrap(),
                        d["file"].as_str().unwrap(),
                        d["line"],
                        d["column"],
                        d["end_line"],
                        d["end_column"],
                        d["message"].as_str().unwrap()
                    )
                })
                .collect();
            insta::assert_snapshot!(format!(
                "exit code: {status}\n\n--- findings\n{}\n\n--- human\n{human}",
                rows.join("\n")
            ));
        }
    );
}

/// Every rule has a fixture that fires it: a folder here named `<code>_<name>` (its declaration
/// file's name), or for a loading rule a file `tests/fixtures/diagnostics/<code>_*.imgcost.yaml`;
/// and every folder here is named after a rule.
#[test]
fn every_rule_has_a_fixture_and_every_fixture_a_rule() {
    let fixtures = repo().join("tests/fixtures");
    let folder_of = |rule: &imgcost::Rule| {
        format!(
            "{}_{}",
            rule.code.to_lowercase(),
            rule.name.replace('-', "_")
        )
    };
    let diagnostics: Vec<String> = std::fs::read_dir(fixtures.join("diagnostics"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let missing: Vec<&str> = imgcost::rules::ALL
        .iter()
        .filter(|rule| {
            let prefix = format!("{}_", rule.code.to_lowercase());
            !fixtures.join("rules").join(folder_of(rule)).is_dir()
                && !diagnostics
                    .iter()
                    .any(|file| file.starts_with(&prefix) && file.ends_with(".imgcost.yaml"))
        })
        .map(|rule| rule.code)
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture: {missing:?}; add tests/fixtures/rules/<code>_<name>/ (see this \
         file's doc) or tests/fixtures/diagnostics/<code>_<case>.imgcost.yaml"
    );
    let folders: Vec<String> = imgcost::rules::ALL.iter().map(|r| folder_of(r)).collect();
    for entry in std::fs::read_dir(fixtures.join("rules")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            folders.contains(&name),
            "tests/fixtures/rules/{name} is named after no rule (expected one of {folders:?})"
        );
    }
}
