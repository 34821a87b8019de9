//! The first hour of a new user (issue 18): the schema an editor sees, `init` in a repository
//! that already has things, the policy found from the repository's top, and messages that teach.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::test::{Test, repo, run_in};

/// Manifests where `imgcost check` and a JSON Schema validator must differ, and why. Everything
/// else under `examples/` and `tests/fixtures/` must get the same verdict from both.
const SCHEMA_CANNOT_SAY: &[(&str, &str)] = &[
    // A billion laughs: check refuses it in bounded time; a validator expands it (or hangs).
    (
        "tests/fixtures/diagnostics/ic001_alias_bomb.imgcost.yaml",
        "skip",
    ),
    // `.inf` and `.nan` are numbers to YAML and to JSON Schema; check wants finite ones.
    (
        "tests/fixtures/diagnostics/ic002_not_finite.imgcost.yaml",
        "check only",
    ),
    // Beyond the exact decimal range: JSON Schema has no such limit.
    (
        "tests/fixtures/diagnostics/ic002_number_too_large.imgcost.yaml",
        "check only",
    ),
    // Unknown tags: check ignores them with IC006; the validator's YAML loader refuses them.
    (
        "tests/fixtures/diagnostics/ic006_construct_ignored.imgcost.yaml",
        "validator only",
    ),
];

fn manifests(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            manifests(&path, out);
        } else if path.is_file() && (name == "imgcost.yaml" || name.ends_with(".imgcost.yaml")) {
            out.push(path);
        }
    }
}

/// Whether `imgcost check` finds the file's syntax or shape wrong (IC001, IC002, IC003).
fn check_rejects(file: &Path) -> bool {
    let args: Vec<String> = ["check", "--format", "json", "--as-of", "2026-11-25"]
        .into_iter()
        .map(String::from)
        .chain([file.display().to_string()])
        .collect();
    let output = run_in(&repo(), &args, &[], &[]);
    let report: serde_json::Value = serde_json::from_str(&output.stdout).expect("JSON report");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .any(|d| matches!(d["rule"].as_str(), Some("IC001" | "IC002" | "IC003")))
}

/// Editor help: the published manifest schema accepts exactly the manifests `imgcost check`
/// accepts (a `defaults:` giving `model` included), as an independent validator sees it.
/// Runs with `IMGCOST_CHECK_JSONSCHEMA=/path/to/check-jsonschema`, as `.ci/run` does.
#[test]
#[ignore = "needs check-jsonschema (IMGCOST_CHECK_JSONSCHEMA); .ci/run runs it"]
fn the_published_schema_agrees_with_check_on_every_example_and_fixture() {
    let validator = std::env::var("IMGCOST_CHECK_JSONSCHEMA")
        .expect("IMGCOST_CHECK_JSONSCHEMA names the check-jsonschema executable");
    let root = repo();
    let mut files = Vec::new();
    manifests(&root.join("examples"), &mut files);
    manifests(&root.join("tests/fixtures"), &mut files);
    let (mut accepted, mut rejected, mut disagreements) = (0, 0, Vec::new());
    for file in &files {
        let place = file
            .strip_prefix(&root)
            .expect("inside")
            .display()
            .to_string();
        let exception = SCHEMA_CANNOT_SAY.iter().find(|(p, _)| *p == place);
        if exception.is_some_and(|(_, why)| *why == "skip") {
            continue;
        }
        let by_check = !check_rejects(file);
        let by_validator = Command::new(&validator)
            .args(["--schemafile", "schemas/manifest.schema.json"])
            .arg(file)
            .current_dir(&root)
            .output()
            .expect("run check-jsonschema")
            .status
            .success();
        let expected_difference = exception.map(|(_, why)| *why);
        let verdict = match (by_check, by_validator) {
            (true, true) | (false, false) => None,
            (true, false) => Some("validator only"),
            (false, true) => Some("check only"),
        };
        if verdict != expected_difference {
            disagreements.push(format!(
                "{place}: check accepts {by_check}, validator {by_validator}"
            ));
        }
        if by_check {
            accepted += 1
        } else {
            rejected += 1
        }
    }
    assert_eq!(disagreements, Vec::<String>::new());
    // Both kinds are there, and the storefront example (which uses `defaults:`) is accepted.
    assert!(
        accepted >= 30 && rejected >= 15,
        "{accepted} accepted, {rejected} rejected"
    );
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("examples/storefront/imgcost.yaml"))
    );
}

/// Editor help: the `$id` of each schema is the raw file at this version's release tag, and the
/// starter manifest `init` writes points there.
#[test]
fn schemas_have_a_versioned_address_in_this_repository() {
    let root = repo();
    let version = env!("CARGO_PKG_VERSION");
    for name in ["manifest", "policy", "ratecard", "report", "reconcile"] {
        let text = std::fs::read_to_string(root.join(format!("schemas/{name}.schema.json")))
            .expect("schema");
        let schema: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            schema["$id"],
            format!(
                "https://raw.githubusercontent.com/imgcost/imgcost/v{version}/schemas/{name}.schema.json"
            )
        );
    }
    let t = Test::new().args(["init"]);
    t.run().status(0);
    let starter = std::fs::read_to_string(t.path().join("imgcost.yaml")).expect("starter");
    assert!(starter.starts_with(&format!(
        "# yaml-language-server: $schema=https://raw.githubusercontent.com/imgcost/imgcost/v{version}/schemas/manifest.schema.json\n"
    )));
}

/// Install instructions name only the version this build is: every pin of imgcost in the
/// README, the integration docs and the examples (`rev: v…`, `imgcost==…`, `@v…`, `--tag v…`,
/// release downloads) is this crate's version, so a version bump cannot leave one pointing
/// at a release that is not made.
#[test]
fn install_instructions_pin_this_version() {
    let version = env!("CARGO_PKG_VERSION");
    let markers = [
        "rev: v",
        "imgcost==",
        "imgcost/imgcost@v",
        "--tag v",
        "releases/download/v",
        "imgcost/imgcost/v",
    ];
    let mut pins = 0;
    for file in [
        "README.md",
        "docs/integrations.md",
        "examples/pre-commit-config.yaml",
        "examples/pre-commit-prebuilt.yaml",
        "examples/github/imgcost-check.yml",
    ] {
        let text = std::fs::read_to_string(repo().join(file)).expect(file);
        for marker in markers {
            for (at, _) in text.match_indices(marker) {
                let rest = &text[at + marker.len()..];
                let pinned: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
                    .collect();
                let pinned = pinned.trim_end_matches('.');
                if pinned.starts_with(|c: char| c.is_ascii_digit()) {
                    assert_eq!(pinned, version, "{file}: {marker}{pinned}");
                    pins += 1;
                }
            }
        }
    }
    assert!(pins >= 12, "only {pins} pins found");
}

const CHAT_MANIFEST: &str = "version: 1\nproject: chat\nworkflows:\n  avatars:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";

const MODELS_POLICY: &str =
    "version: 1\nname: team-policy\nrules:\n  models: {allow: [gpt-image-1-mini]}\n";

/// Policy from the repository's top: a run from a subfolder applies `.imgcost/policy.yaml` of
/// the repository (IC301 from it, exit 1), as a run from the top does.
#[test]
fn a_run_from_a_subfolder_applies_the_repository_policy() {
    let t = Test::new()
        .file(".imgcost/policy.yaml", MODELS_POLICY)
        .file("services/chat/imgcost.yaml", CHAT_MANIFEST);
    crate::test::git(t.path(), &["init", "-q"]);
    let args: Vec<String> = ["check", "--format", "json"].map(String::from).to_vec();
    for dir in [t.path().to_path_buf(), t.path().join("services/chat")] {
        let report = run_in(&dir, &args, &[], &[]);
        report.status(1);
        let report = report.json();
        assert_eq!(
            report["policies"],
            serde_json::json!(["team-policy"]),
            "{dir:?}"
        );
        let rules: Vec<&str> = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter_map(|d| d["rule"].as_str())
            .collect();
        assert!(rules.contains(&"IC301"), "{dir:?}: {rules:?}");
    }
}

/// Every report says where the policy in force came from: the repository's policy found from a
/// subfolder, in each format (human and GitHub lines, Markdown line, JSON and SARIF objects,
/// JUnit property).
#[test]
fn every_report_says_where_the_policy_came_from() {
    let t = Test::new()
        .file(".imgcost/policy.yaml", MODELS_POLICY)
        .file("services/chat/imgcost.yaml", CHAT_MANIFEST);
    crate::test::git(t.path(), &["init", "-q"]);
    let chat = t.path().join("services/chat");
    let format = |format: &str| {
        let args: Vec<String> = ["check", "--as-of", "2026-11-25", "--color", "never"]
            .iter()
            .map(|s| (*s).to_owned())
            .chain(["--format".to_owned(), format.to_owned()])
            .collect();
        let output = run_in(&chat, &args, &[], &[]);
        output.status(1);
        output.stdout
    };
    let expected = serde_json::json!([{
        "name": "team-policy",
        "origin": "repository",
        "path": "../../.imgcost/policy.yaml"
    }]);
    let json: serde_json::Value = serde_json::from_str(&format("json")).expect("json");
    assert_eq!(json["policy_sources"], expected);
    let sarif: serde_json::Value = serde_json::from_str(&format("sarif")).expect("sarif");
    assert_eq!(sarif["runs"][0]["properties"]["policies"], expected);
    assert!(
        format("human").ends_with(
            "\npolicy team-policy from ../../.imgcost/policy.yaml in the working tree\n"
        )
    );
    assert!(format("github").ends_with(
        "\nimgcost policy team-policy from ../../.imgcost/policy.yaml in the working tree\n"
    ));
    assert!(format("markdown").contains(
        "\nRate card `openai-2026-11-23` · policy `team-policy` from `../../.imgcost/policy.yaml` in the working tree · as of 2026-11-25\n"
    ));
    assert!(format("junit").contains(
        "<property name=\"imgcost.policy\" value=\"policy team-policy from ../../.imgcost/policy.yaml in the working tree\"/>"
    ));
}

/// With `--policy-ref`, reports name the revision the policy was read at; with no policy at
/// that revision, that the built-in one applied because of it.
#[test]
fn reports_name_the_revision_the_policy_was_read_at() {
    let t = Test::new().file("services/chat/imgcost.yaml", CHAT_MANIFEST);
    let dir = t.path();
    crate::test::git(dir, &["init", "-q"]);
    crate::test::git(dir, &["add", "."]);
    crate::test::git(dir, &["commit", "-qm", "no policy yet"]);
    std::fs::create_dir_all(dir.join(".imgcost")).expect("mkdir");
    std::fs::write(dir.join(".imgcost/policy.yaml"), MODELS_POLICY).expect("write");
    crate::test::git(dir, &["add", "."]);
    crate::test::git(dir, &["commit", "-qm", "policy"]);
    let run = |reference: &str, format: &str| {
        let args: Vec<String> = [
            "check",
            "--as-of",
            "2026-11-25",
            "--policy-ref",
            reference,
            "--format",
            format,
        ]
        .map(String::from)
        .to_vec();
        run_in(dir, &args, &[], &[])
    };
    let at_head = run("HEAD", "json");
    at_head.status(1);
    assert_eq!(
        at_head.json()["policy_sources"],
        serde_json::json!([{
            "name": "team-policy",
            "origin": "repository",
            "path": ".imgcost/policy.yaml",
            "revision": "HEAD"
        }])
    );
    let before = run("HEAD~1", "human");
    before.status(0);
    assert!(
        before
            .stdout
            .ends_with("\npolicy default, built in (no .imgcost/policy.yaml at HEAD~1)\n"),
        "{}",
        before.stdout
    );
    assert_eq!(
        run("HEAD~1", "json").json()["policy_sources"],
        serde_json::json!([{"name": "default", "origin": "built-in", "revision": "HEAD~1"}])
    );
}

/// Policies named on the command line are listed in order and marked `--policy`; their paths
/// and the revision are escaped for Markdown (a path holding backticks, `<b>` and a newline
/// cannot break out of its code span or start a block; control characters are shown as
/// escapes there too) and on a terminal.
#[test]
fn policies_named_on_the_command_line_are_listed_and_escaped() {
    let hostile = "we`ird <b>\n# x.yaml";
    let t = Test::new()
        .file("imgcost.yaml", CHAT_MANIFEST)
        .file("a.yaml", "version: 1\nname: first\n")
        .file(hostile, "version: 1\nname: second\n");
    let run = |format: &str| {
        t_run(
            t.path(),
            &[
                "check",
                ".",
                "--as-of",
                "2026-11-25",
                "--policy",
                "a.yaml",
                "--policy",
                hostile,
                "--format",
                format,
            ],
        )
    };
    assert!(run("human").ends_with(
        "\npolicies first from a.yaml, second from we`ird <b>\\u{a}# x.yaml (--policy)\n"
    ));
    let markdown = run("markdown");
    let line = markdown
        .lines()
        .find(|l| l.starts_with("Rate card"))
        .expect("provenance line");
    assert_eq!(
        line,
        "Rate card `openai-2026-11-23` · policies `first` from `a.yaml`, `second` from ``we`ird <b>\\u{a}# x.yaml`` (--policy) · as of 2026-11-25"
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).expect("json");
    assert_eq!(json["policy_sources"][1]["path"], hostile);
}

fn t_run(dir: &Path, args: &[&str]) -> String {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let output = run_in(dir, &args, &[], &[]);
    output.status(0);
    output.stdout
}

/// Hostile twin: outside git the working directory plays the repository's part, so a policy
/// two folders up (not ours) is not picked up from a folder that is not in a repository.
#[test]
fn outside_git_a_policy_above_the_working_directory_is_not_applied() {
    let t = Test::new()
        .file(".imgcost/policy.yaml", MODELS_POLICY)
        .file("services/chat/imgcost.yaml", CHAT_MANIFEST);
    let args: Vec<String> = ["check", "--format", "json"].map(String::from).to_vec();
    let report = run_in(&t.path().join("services/chat"), &args, &[], &[]);
    report.status(0);
    assert_eq!(report.json()["policies"], serde_json::json!(["default"]));
}

/// Nothing found: the error names the file names searched and that ignored files are skipped.
#[test]
fn nothing_found_says_what_was_searched() {
    let t = Test::new()
        .file(".gitignore", "imgcost.yaml\n")
        .file("imgcost.yaml", CHAT_MANIFEST)
        .file("manifest.yaml", CHAT_MANIFEST);
    crate::test::git(t.path(), &["init", "-q"]);
    let output = t.args(["check"]).run();
    output.status(2);
    assert_eq!(
        output.stderr,
        "imgcost: error: no manifests found under . (looked for files named imgcost.yaml, imgcost.yml, *.imgcost.yaml or *.imgcost.yml; files and folders that .gitignore, .ignore or .git/info/exclude ignore are skipped)\n"
    );
}

/// A pre-commit config as people write them: comments, four-space indentation, a key after
/// `repos:`.
const EXISTING_PRE_COMMIT: &str = "# Our hooks. Keep this list short.
default_stages: [pre-commit]
repos:
    # formatting first
    -   repo: https://github.com/pre-commit/pre-commit-hooks
        rev: v5.0.0   # pinned
        hooks:
        -   id: trailing-whitespace

# CI settings
ci:
    autofix_prs: false
";

const IMGCOST_ENTRY: &str = "    - repo: https://github.com/imgcost/imgcost
      rev: v0.1.0
      hooks:
        - id: imgcost
        - id: imgcost-totals
";

/// init in a repository with things: the hooks are appended to the existing config's `repos:`
/// (comments, indentation and the keys after it as they were), the other files are written,
/// and a second run changes nothing and says so.
#[test]
fn init_adds_the_hooks_to_an_existing_pre_commit_config() {
    let t = Test::new()
        .file(".pre-commit-config.yaml", EXISTING_PRE_COMMIT)
        .args(["init"]);
    let first = t.run();
    first.status(0);
    assert_eq!(
        first.stdout,
        "wrote ./imgcost.yaml\nwrote ./.github/workflows/imgcost-check.yml\nadded the imgcost hooks to ./.pre-commit-config.yaml (one entry appended to `repos:`; nothing else changed)\nwrote ./.imgcost/tests/over-budget.yaml\nwrote ./.imgcost/tests/over-budget.expect.yaml\nnext: edit imgcost.yaml, then run `imgcost check`; `imgcost policy test` runs .imgcost/tests\n"
    );
    let config = std::fs::read_to_string(t.path().join(".pre-commit-config.yaml")).expect("config");
    let (head, tail) = EXISTING_PRE_COMMIT.split_at(
        EXISTING_PRE_COMMIT
            .find("\n\n# CI settings")
            .expect("blank line")
            + 1,
    );
    assert_eq!(config, format!("{head}{IMGCOST_ENTRY}{tail}"));
    let second = t.run();
    second.status(0);
    assert_eq!(
        second.stdout,
        "skipped ./imgcost.yaml: it exists (imgcost init never overwrites)\nskipped ./.github/workflows/imgcost-check.yml: it exists (imgcost init never overwrites)\nskipped ./.pre-commit-config.yaml: it already uses the imgcost hooks\nskipped ./.imgcost/tests/over-budget.yaml: it exists (imgcost init never overwrites)\nskipped ./.imgcost/tests/over-budget.expect.yaml: it exists (imgcost init never overwrites)\nnext: edit imgcost.yaml, then run `imgcost check`; `imgcost policy test` runs .imgcost/tests\n"
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join(".pre-commit-config.yaml")).expect("config"),
        format!("{head}{IMGCOST_ENTRY}{tail}")
    );
}

/// Hostile twin: configs the textual edit cannot extend safely (a flow list, a `repos:` that is
/// not a list, a symbolic link) are left byte for byte as they were, and `-q` still prints the
/// reason and the exact snippet, since the user must act on it.
#[test]
fn init_prints_the_snippet_when_the_config_cannot_be_extended() {
    let snippet = "  - repo: https://github.com/imgcost/imgcost\n    rev: v0.1.0\n    hooks:\n      - id: imgcost\n      - id: imgcost-totals\n";
    for (config, reason) in [
        (
            "repos: [{repo: local, hooks: []}]  # flow style\n",
            "its `repos:` is not a block list this edit can extend without rewriting the file",
        ),
        (
            "repos:\n  local: {}\n",
            "it does not parse as YAML with a `repos:` list at the top",
        ),
        (
            "repos:\n- repo: local\n  hooks: []\nrepos:\n- repo: again\n",
            "it does not parse as YAML with a `repos:` list at the top",
        ),
    ] {
        let t = Test::new()
            .file(".pre-commit-config.yaml", config)
            .file("imgcost.yaml", CHAT_MANIFEST)
            .args(["-q", "init"]);
        let output = t.run();
        output.status(0);
        assert_eq!(
            output.stdout,
            format!(
                "skipped ./.pre-commit-config.yaml: {reason}; add this entry to its `repos:`:\n{snippet}"
            )
        );
        assert_eq!(
            std::fs::read_to_string(t.path().join(".pre-commit-config.yaml")).expect("config"),
            config
        );
        assert_eq!(
            std::fs::read_to_string(t.path().join("imgcost.yaml")).expect("manifest"),
            CHAT_MANIFEST
        );
    }
    #[cfg(unix)]
    {
        let t = Test::new()
            .file("elsewhere.yaml", "repos:\n- repo: local\n  hooks: []\n")
            .args(["init"]);
        std::os::unix::fs::symlink("elsewhere.yaml", t.path().join(".pre-commit-config.yaml"))
            .expect("symlink");
        let output = t.run();
        output.status(0);
        assert!(output.stdout.contains(&format!("skipped ./.pre-commit-config.yaml: it is not a regular file; add this entry to its `repos:`:\n{snippet}")), "{}", output.stdout);
        assert_eq!(
            std::fs::read_to_string(t.path().join("elsewhere.yaml")).expect("target"),
            "repos:\n- repo: local\n  hooks: []\n"
        );
    }
}

/// The edited config is valid to pre-commit itself. Runs with `IMGCOST_PRE_COMMIT=/path/to/
/// pre-commit`, as `.ci/run` does.
#[test]
#[ignore = "needs pre-commit (IMGCOST_PRE_COMMIT); .ci/run runs it"]
fn init_edited_config_is_valid_to_pre_commit() {
    let pre_commit =
        std::env::var("IMGCOST_PRE_COMMIT").expect("IMGCOST_PRE_COMMIT names pre-commit");
    let t = Test::new()
        .file(".pre-commit-config.yaml", EXISTING_PRE_COMMIT)
        .args(["init"]);
    t.run().status(0);
    let validated = Command::new(pre_commit)
        .args(["validate-config", ".pre-commit-config.yaml"])
        .current_dir(t.path())
        .output()
        .expect("run pre-commit");
    assert!(
        validated.status.success(),
        "{}",
        String::from_utf8_lossy(&validated.stderr)
    );
}

/// Messages that teach: `quote --n 3` on a model priced per image labels the figure as the
/// cost of the 3 images, not "per image"; with `--n 1` it says 1 image.
#[test]
fn quote_labels_a_per_image_price_with_the_number_of_images() {
    let three = Test::new()
        .args([
            "quote",
            "--model",
            "dall-e-3",
            "--size",
            "1024x1024",
            "--quality",
            "high",
        ])
        .args(["--n", "3", "--as-of", "2026-11-25"])
        .run();
    three.status(0);
    assert_eq!(
        three.stdout.lines().take(3).collect::<Vec<_>>(),
        [
            "dall-e-3 · high · 1024x1024 · n=3 · standard tier",
            "  image_output                 3 images  $0.24",
            "  total                                  $0.24",
        ]
    );
    assert_eq!(
        three.stderr,
        "warning[IC102]: dall-e-3 was shut down on 2026-05-12; use gpt-image-2.5-sunburst\n"
    );
    let one = Test::new()
        .args([
            "quote",
            "--model",
            "dall-e-3",
            "--size",
            "1024x1024",
            "--quality",
            "high",
        ])
        .args(["--as-of", "2026-11-25"])
        .run();
    one.status(0);
    assert_eq!(
        one.stdout.lines().nth(1),
        Some("  image_output                  1 image  $0.08")
    );
}

/// Messages that teach: `quote` on a shut-down model still prices it, and warns on stderr with
/// the rule check would report and the replacement; before the day, it warns it is coming.
#[test]
fn quote_warns_about_a_shut_down_model() {
    let after = Test::new()
        .args([
            "quote",
            "--model",
            "gpt-image-1",
            "--size",
            "1024x1024",
            "--quality",
            "low",
        ])
        .args(["--as-of", "2026-11-25"])
        .run();
    after.status(0);
    assert_eq!(
        after.stderr,
        "warning[IC102]: gpt-image-1 was shut down on 2026-10-23; use gpt-image-2.5-sunburst\n"
    );
    assert!(after.stdout.starts_with("gpt-image-1 · low · 1024x1024"));
    let before = Test::new()
        .args([
            "quote",
            "--model",
            "gpt-image-1.5",
            "--size",
            "1024x1024",
            "--quality",
            "low",
        ])
        .args(["--as-of", "2026-11-25"])
        .run();
    before.status(0);
    assert_eq!(
        before.stderr,
        "warning[IC103]: gpt-image-1.5 will be shut down on 2026-12-01; use gpt-image-2.6-sunburst\n"
    );
    // A model with no shutdown: nothing on stderr.
    let current = Test::new()
        .args([
            "quote",
            "--model",
            "gpt-image-2",
            "--size",
            "1024x1024",
            "--quality",
            "low",
        ])
        .run();
    current.status(0);
    assert_eq!(current.stderr, "");
}

/// Messages that teach: a flag that does not apply to the command is an error (exit 2), not
/// silently ignored; where it applies it is still accepted.
#[test]
fn policy_is_refused_by_commands_that_apply_none() {
    for args in [
        vec![
            "quote",
            "--model",
            "gpt-image-2",
            "--size",
            "1024x1024",
            "--policy",
            "p.yaml",
        ],
        vec!["--policy", "p.yaml", "rules"],
        vec!["schema", "manifest", "--policy", "p.yaml"],
        vec!["init", "--policy", "p.yaml"],
    ] {
        let name = args
            .iter()
            .find(|a| !a.starts_with('-') && **a != "p.yaml")
            .copied();
        let output = Test::new().args(args.clone()).run();
        output.status(2);
        assert_eq!(
            output.stderr,
            format!(
                "imgcost: error: --policy does not apply to `imgcost {}`, which applies no policy; policies apply to check, diff, explain, reconcile and policy test\n",
                name.unwrap_or_default()
            ),
            "{args:?}"
        );
        assert_eq!(output.stdout, "");
    }
    Test::new()
        .file("p.yaml", "version: 1\nname: p\n")
        .file("imgcost.yaml", CHAT_MANIFEST)
        .args(["check", "--policy", "p.yaml"])
        .run()
        .status(0);
}

/// (message, help) of every diagnostic of a JSON report, in report order.
fn messages_and_help(report: &serde_json::Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["message"].as_str().unwrap_or_default().to_owned(),
                d["help"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Messages that teach: values written the way people say them (`5%`, `10k`, `"$50"`, `hi`,
/// `standard`, `hd`, `1024X1024`, `1024*1024`, `1,000`) get a help saying what was meant.
#[test]
fn values_written_as_people_say_them_get_what_was_meant() {
    let manifest = "version: 1\nproject: m\nworkflows:\n  a:\n    model: gpt-image-2\n    request: {size: 1024X1024, quality: hi}\n    volume: {requests_per_month: 10k, retry_rate: 5%}\n    budget: {monthly_usd: \"$50\"}\n  b:\n    model: gpt-image-2\n    request: {size: 1024*1024, quality: standard}\n    volume: {requests_per_month: \"1,000\"}\n  c:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: hd}\n    volume: {requests_per_month: 100}\n";
    let output = checked_as_json(manifest);
    output.status(1);
    let got = messages_and_help(&output.json());
    let qualities = "low, medium, high, xhigh, max, auto";
    let size_help =
        "did you mean `1024x1024`? sizes are WIDTHxHEIGHT in pixels, with a lowercase `x`";
    let want: Vec<(String, String)> = [
        ("`1024X1024` is not a valid `size`", size_help.to_owned()),
        ("`hi` is not a valid `quality`", format!("did you mean `high`? (expected one of: {qualities})")),
        ("`requests_per_month` must be a number, found the string `\"10k\"`", "write the whole number: `10k` is `10000`".to_owned()),
        ("`retry_rate` must be a number, found the string `\"5%\"`", "rates and fractions are written as numbers between 0 and 1: `5%` is `0.05`".to_owned()),
        ("`monthly_usd` must be a number, found the string `\"$50\"`", "amounts are plain numbers of US dollars, without `$` or quotes: write `50`".to_owned()),
        ("`1024*1024` is not a valid `size`", size_help.to_owned()),
        ("`standard` is not a valid `quality`", format!("`standard` is DALL-E 3's name for what GPT Image models call `medium` (expected one of: {qualities})")),
        ("`requests_per_month` must be a number, found the string `\"1,000\"`", "write numbers without thousands separators: `1000`".to_owned()),
        ("`hd` is not a valid `quality`", format!("`hd` is DALL-E 3's name for what GPT Image models call `high` (expected one of: {qualities})")),
    ]
    .into_iter()
    .map(|(m, h)| (m.to_owned(), h))
    .collect();
    assert_eq!(got, want);
}

/// Hostile twin: strings that only look like those values get no invented meaning (no help, or
/// the plain one), and a huge `k` number does not overflow.
#[test]
fn look_alike_values_get_no_invented_meaning() {
    let manifest = "version: 1\nproject: m\nworkflows:\n  a:\n    model: gpt-image-2\n    request: {size: 1024Xabc, quality: hid}\n    volume: {requests_per_month: 99999999999999999999999999999k, retry_rate: \"%\"}\n    budget: {monthly_usd: \"$\"}\n";
    let output = checked_as_json(manifest);
    output.status(1);
    let got = messages_and_help(&output.json());
    assert_eq!(
        got,
        [
            ("`1024Xabc` is not a valid `size`".to_owned(), "write the size as WIDTHxHEIGHT in pixels, such as `1536x1024`, or `auto`".to_owned()),
            ("`hid` is not a valid `quality`".to_owned(), "expected one of: low, medium, high, xhigh, max, auto".to_owned()),
            ("`requests_per_month` must be a number, found the string `\"99999999999999999999999999999k\"`".to_owned(), String::new()),
            ("`retry_rate` must be a number, found the string `\"%\"`".to_owned(), String::new()),
            ("`monthly_usd` must be a number, found the string `\"$\"`".to_owned(), String::new()),
        ]
    );
}

/// Messages that teach: a policy's rule written at the top (`diff:`) says it belongs under
/// `rules:`; a workflow's field at the top of a manifest says where it belongs; an unknown key
/// that is no such thing keeps the plain "allowed keys" help.
#[test]
fn a_key_one_level_too_high_says_where_it_belongs() {
    let t = Test::new()
        .file(
            "p.yaml",
            "version: 1\nname: p\ndiff:\n  max_increase_usd: 50\n",
        )
        .file("q.yaml", "version: 1\nname: q\nbudgets: {}\n")
        .file("imgcost.yaml", CHAT_MANIFEST);
    let policy = t
        .args(["check", "--policy", "p.yaml", "--color", "never"])
        .run();
    policy.status(2);
    assert!(
        policy.stdout.contains(
            "help: `diff` belongs under `rules:`: indent it one level below a `rules:` key"
        ),
        "{}",
        policy.stdout
    );
    let t = Test::new()
        .file("q.yaml", "version: 1\nname: q\nbudgets: {}\n")
        .file("imgcost.yaml", CHAT_MANIFEST);
    let other = t
        .args(["check", "--policy", "q.yaml", "--color", "never"])
        .run();
    other.status(2);
    assert!(
        other.stdout.contains("help: allowed keys here: version, name, description, projects, rules, severity, exemptions"),
        "{}",
        other.stdout
    );
    let manifest = "version: 1\nproject: m\nmodel: gpt-image-2\nworkflows:\n  a:\n    model: gpt-image-2\n    volume: {requests_per_month: 1}\n";
    let output = checked_as_json(manifest);
    output.status(1);
    assert_eq!(
        messages_and_help(&output.json()),
        [(
            "unknown key `model`".to_owned(),
            "`model` belongs to a workflow: indent it under a workflow's name in `workflows:`, or under `defaults:` to give it to every workflow".to_owned()
        )]
    );
}

/// Messages that teach: a section dedented by one level (`volume:` at the level of workflow
/// names) is said once, as what it is, instead of as a workflow missing `model` and `volume`
/// with unknown keys.
#[test]
fn a_dedented_section_is_said_once() {
    said_once_under_hero(
        "version: 1\nproject: m\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n  volume:\n    requests_per_month: 100\n    retry_rate: 0.1\n",
        7,
    );
}

/// Checks `manifest`, whose `volume:` section (at `line`) is dedented under `hero`: one finding
/// says so, after the one about `hero` lacking its `volume`.
fn said_once_under_hero(manifest: &str, line: u64) {
    let output = checked_as_json(manifest);
    output.status(1);
    let report = output.json();
    assert_eq!(
        messages_and_help(&report),
        [
            ("missing required key `volume` in `hero`".to_owned(), "add `volume:` here".to_owned()),
            (
                "`volume` is read as a workflow named `volume`: it is indented at the level of workflow names".to_owned(),
                "indent `volume:` and everything under it one more level, under `hero`".to_owned()
            ),
        ]
    );
    assert_eq!(
        (
            report["diagnostics"][1]["line"].as_u64(),
            report["diagnostics"][1]["column"].as_u64()
        ),
        (Some(line), Some(3))
    );
}

/// The same slip when `defaults:` gives every workflow its `model`: the section is still said
/// once as what it is (the merge used to give it a `model`, and it passed for a workflow).
#[test]
fn a_dedented_section_is_said_once_when_defaults_give_the_model() {
    said_once_under_hero(
        "version: 1\nproject: m\ndefaults:\n  model: gpt-image-2\nworkflows:\n  hero:\n    request: {size: 1024x1024, quality: low}\n  volume:\n    requests_per_month: 100\n",
        8,
    );
}

/// Hostile: a real workflow that aliases an anchor written inside a dedented section keeps its
/// own schema findings (they used to be dropped with the section's, as their text is there).
#[test]
fn a_workflow_aliasing_into_a_dedented_section_keeps_its_findings() {
    let manifest = "version: 1\nproject: m\nworkflows:\n  volume:\n    note: &bad {size: 1024x1024, quality: high, bogus: 1}\n  real:\n    model: gpt-image-2\n    request: *bad\n    volume: {requests_per_month: 100000000}\n";
    let output = checked_as_json(manifest);
    output.status(1);
    let report = output.json();
    let findings: Vec<(String, u64)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["message"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [
            (
                "`volume` is read as a workflow named `volume`: it is indented at the level of workflow names".to_owned(),
                4
            ),
            ("unknown key `bogus` in `request`".to_owned(), 5),
        ]
    );
}

/// A dedented `mainline:` holds a `model` of its own (the text model's): still said once as a
/// section, not taken for a workflow.
#[test]
fn a_dedented_mainline_is_said_once() {
    let manifest = "version: 1\nproject: m\nworkflows:\n  chat:\n    model: gpt-image-2\n    endpoint: responses\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n  mainline:\n    model: gpt-5.1\n    input_tokens: 200\n";
    let output = checked_as_json(manifest);
    output.status(1);
    let report = output.json();
    let messages: Vec<String> = messages_and_help(&report)
        .into_iter()
        .map(|(message, _)| message)
        .collect();
    assert!(
        messages.contains(
            &"`mainline` is read as a workflow named `mainline`: it is indented at the level of workflow names".to_owned()
        ),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("in `mainline`")),
        "{messages:?}"
    );
}

/// Hostile twin: a workflow named like a field whose `model` comes from `defaults:` is a
/// workflow, priced as any other.
#[test]
fn a_workflow_named_like_a_field_with_its_model_from_defaults_is_a_workflow() {
    let manifest = "version: 1\nproject: m\ndefaults:\n  model: gpt-image-2\nworkflows:\n  volume:\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";
    let output = checked_as_json(manifest);
    output.status(0);
    let report = output.json();
    assert_eq!(report["workflows"][0]["id"], "m/volume");
    assert_eq!(report["summary"]["monthly_usd"], "0.59");
}

/// Hostile twin: a real workflow that happens to be named like a field (it has its `model`) is
/// a workflow, priced as any other.
#[test]
fn a_workflow_named_like_a_field_is_still_a_workflow() {
    let manifest = "version: 1\nproject: m\nworkflows:\n  budget:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";
    let output = checked_as_json(manifest);
    output.status(0);
    let report = output.json();
    assert_eq!(report["workflows"][0]["id"], "m/budget");
    assert!(
        messages_and_help(&report)
            .iter()
            .all(|(m, _)| !m.contains("read as a workflow"))
    );
}

/// Messages that teach: a one-space indentation slip, either way, gets a hint naming the line
/// and both indentations, not only the parser's message.
#[test]
fn a_one_space_slip_gets_a_hint() {
    for (body, line, column, message, help) in [
        (
            "    model: gpt-image-2\n     request: {size: 1024x1024}\n",
            6,
            13,
            "YAML syntax error: mapping values are not allowed in this context",
            "line 6 is indented 5 spaces and the line above 4: a one-space slip, which YAML reads as part of the value above; indent the keys of one mapping alike",
        ),
        (
            "    model: gpt-image-2\n   request: {size: 1024x1024}\n",
            6,
            4,
            "YAML syntax error: while parsing a block mapping, did not find expected key",
            "line 6 is indented 3 spaces and the line above 4: a one-space slip, which YAML reads as the end of the mapping above; indent the keys of one mapping alike",
        ),
    ] {
        let manifest = format!("version: 1\nproject: m\nworkflows:\n  hero:\n{body}");
        let output = checked_as_json(&manifest);
        output.status(1);
        let report = output.json();
        let d = &report["diagnostics"][0];
        assert_eq!(
            (
                d["line"].as_u64(),
                d["column"].as_u64(),
                d["message"].as_str(),
                d["help"].as_str()
            ),
            (Some(line), Some(column), Some(message), Some(help))
        );
    }
}

/// Hostile twin: a syntax error with no slip (two spaces off, or none) gets no invented hint.
#[test]
fn a_syntax_error_without_a_slip_gets_no_slip_hint() {
    let manifest = "version: 1\nproject: m\nworkflows:\n  hero:\n    model: gpt-image-2\n      request: {size: 1024x1024}\n";
    let output = checked_as_json(manifest);
    output.status(1);
    let report = output.json();
    assert_eq!(report["diagnostics"][0]["rule"], "IC001");
    assert_eq!(report["diagnostics"][0]["help"], serde_json::Value::Null);
}

/// Messages that teach: in a shallow clone without the base, the fetch command the error gives
/// works as written: after running it, the same `diff` runs (its exit code is the report's).
#[test]
fn the_shallow_clone_fetch_hint_works_as_written() {
    use crate::test::git;
    let t = Test::new().file("origin/imgcost.yaml", CHAT_MANIFEST);
    let origin = t.path().join("origin");
    git(&origin, &["init", "-q", "-b", "main"]);
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-qm", "base"]);
    git(&origin, &["checkout", "-qb", "feature"]);
    std::fs::write(
        origin.join("imgcost.yaml"),
        CHAT_MANIFEST.replace("100}", "200}"),
    )
    .expect("write");
    git(&origin, &["commit", "-qam", "more"]);
    let url = format!("file://{}", origin.display());
    git(
        t.path(),
        &[
            "clone",
            "-q",
            "--depth=1",
            "--single-branch",
            "--branch",
            "feature",
            &url,
            "clone",
        ],
    );
    let clone = t.path().join("clone");
    let args: Vec<String> = ["diff", "--base", "origin/main"].map(String::from).to_vec();
    let missing = run_in(&clone, &args, &[], &[]);
    missing.status(2);
    let command = missing
        .stderr
        .split('`')
        .find(|part| part.starts_with("git fetch"))
        .unwrap_or_else(|| panic!("no fetch command in {}", missing.stderr))
        .to_owned();
    assert_eq!(
        command,
        "git fetch --no-tags --depth=1 origin +refs/heads/main:refs/remotes/origin/main"
    );
    let fetched = Command::new("sh")
        .args(["-c", &command])
        .current_dir(&clone)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run the hint");
    assert!(
        fetched.status.success(),
        "{}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    let compared = run_in(&clone, &args, &[], &[]);
    assert_eq!(compared.stderr, "");
    assert!(matches!(compared.status, 0 | 1), "{}", compared.status);
    assert!(
        compared.stdout.contains("chat/avatars"),
        "{}",
        compared.stdout
    );
}

/// `imgcost check --format json` of one manifest, `imgcost.yaml`.
fn checked_as_json(manifest: &str) -> crate::test::Output {
    Test::new()
        .file("imgcost.yaml", manifest)
        .args(["check", "--format", "json"])
        .run()
}
