//! The pull-request loop (issue 17): annotations within GitHub's limits, the comment's
//! headline, the ratchet (`--new-only`), SARIF locations and policy tests.

use super::test::{Output, Test, git};

/// A manifest of `count` workflows, each with an unknown model (IC101, an error).
fn unknown_models(project: &str, prefix: &str, count: usize) -> String {
    let mut text = format!("version: 1\nproject: {project}\nowner: \"@{project}\"\nworkflows:\n");
    for i in 0..count {
        text.push_str(&format!(
            "  {prefix}{i:02}:\n    model: gpt-image2\n    request: {{size: 1024x1024, quality: low}}\n    volume: {{requests_per_month: 100}}\n    budget: {{monthly_usd: 10}}\n"
        ));
    }
    text
}

const LEFT_OUT: &str = "::notice title=imgcost::30 more finding(s) not annotated (30 error(s), 0 warning(s), 0 note(s)): GitHub shows 10 annotations of each kind per step. Every finding is in the job summary and the SARIF report (`--format markdown`, `--format sarif`).";

/// 40 errors: ten `::error` annotations (the first ten, in report order), then one notice saying
/// how many were left out, then the summary and the policy in force; exit 1.
#[test]
fn forty_errors_are_ten_annotations_and_one_notice() {
    let out = Test::new()
        .file("imgcost.yaml", unknown_models("shop", "w", 40))
        .args(["check", ".", "--as-of", "2026-11-25", "--format", "github"])
        .run();
    out.status(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 13, "{}", out.stdout);
    for (i, line) in lines[..10].iter().enumerate() {
        let expected = format!(
            "::error file=imgcost.yaml,line={},col=12,endLine={},endColumn=22,title=IC101 unknown-model::",
            6 + 5 * i,
            6 + 5 * i
        );
        assert!(line.starts_with(&expected), "{line}");
    }
    assert_eq!(lines[10], LEFT_OUT);
    assert!(
        lines[11].starts_with("imgcost failed: $0.00 a month across 40 workflow(s) in 1 manifest(s); 40 error(s), 0 warning(s), 0 note(s)"),
        "{}",
        lines[11]
    );
    assert_eq!(
        lines[12],
        "imgcost policy default, built in (no .imgcost/policy.yaml at the repository's top)"
    );
}

/// At most 10 notices in all: nine exempted or note findings and the notice about the rest.
#[test]
fn ten_annotations_exactly_need_no_notice() {
    let out = Test::new()
        .file("imgcost.yaml", unknown_models("shop", "w", 10))
        .args(["check", ".", "--as-of", "2026-11-25", "--format", "github"])
        .run();
    out.status(1);
    assert_eq!(out.stdout.matches("::error ").count(), 10);
    assert!(!out.stdout.contains("::notice"), "{}", out.stdout);
}

/// Hostile: a change cannot bury its own error behind 40 old ones in files it did not touch;
/// with `diff`, the findings of the manifests it changed are annotated first.
#[test]
fn the_changed_manifest_is_annotated_before_old_noise() {
    let t = Test::new()
        .file("aaa/imgcost.yaml", unknown_models("aaa", "old", 40))
        .file(
            "zzz/imgcost.yaml",
            "version: 1\nproject: zzz\nowner: \"@zzz\"\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n    budget: {monthly_usd: 10}\n",
        );
    git(t.path(), &["init", "-q"]);
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-qm", "base"]);
    let t = t.file(
        "zzz/imgcost.yaml",
        "version: 1\nproject: zzz\nowner: \"@zzz\"\nworkflows:\n  hero:\n    model: gpt-image3\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n    budget: {monthly_usd: 10}\n",
    );
    let out = t
        .args([
            "diff",
            "--base",
            "HEAD",
            ".",
            "--as-of",
            "2026-11-25",
            "--format",
            "github",
        ])
        .run();
    out.status(1);
    let first = out.stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("::error file=zzz/imgcost.yaml,line=6,col=12,"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.matches("::error ").count(), 10);
    assert!(out.stdout.contains("::notice title=imgcost::31 more finding(s) not annotated (31 error(s), 0 warning(s), 0 note(s))"), "{}", out.stdout);
}

/// The third-party actions imgcost's action, examples and docs use: each a real tag of its
/// repository and the commit it points to (read from the repositories' tags; see the research
/// notes of issue 17). Node 24 majors; CodeQL Action v4 (v3 reaches end of life in December
/// 2026).
const PINS: &[(&str, &str, &str)] = &[
    (
        "actions/checkout",
        "3d3c42e5aac5ba805825da76410c181273ba90b1",
        "v7.0.1",
    ),
    (
        "actions/cache/restore",
        "55cc8345863c7cc4c66a329aec7e433d2d1c52a9",
        "v6.1.0",
    ),
    (
        "actions/cache/save",
        "55cc8345863c7cc4c66a329aec7e433d2d1c52a9",
        "v6.1.0",
    ),
    (
        "github/codeql-action/upload-sarif",
        "2892aa5e19bbd11bc0cff5427e3b750a04d9e3c2",
        "v4.38.2",
    ),
];

/// Every `uses:` of a third-party action is pinned by full commit to an entry of [`PINS`], with
/// that entry's version in a comment; the SARIF upload never fails the job; the workflow `init`
/// writes runs only when what imgcost reads changes.
#[test]
fn actions_are_pinned_to_current_majors() {
    let root = super::test::repo();
    let files = [
        "action.yml",
        "examples/github/imgcost-check.yml",
        "examples/github/imgcost-reconcile.yml",
        ".github/workflows/imgcost-check.yml",
        "docs/integrations.md",
    ];
    let mut seen = 0;
    for file in files {
        let text = std::fs::read_to_string(root.join(file)).expect(file);
        for line in text.lines() {
            let Some((_, used)) = line.split_once("uses: ") else {
                continue;
            };
            if used.starts_with("./") || used.starts_with("imgcost/imgcost@") {
                continue;
            }
            let (action, rest) = used.split_once('@').expect(line);
            let (sha, comment) = rest.split_once(" # ").expect(line);
            assert!(
                PINS.contains(&(action, sha, comment.trim())),
                "{file}: `{line}` is not a pin of the table"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 8);
    let workflow = std::fs::read_to_string(root.join("examples/github/imgcost-check.yml"))
        .expect("example workflow");
    let upload = workflow
        .split("- name: Upload SARIF to code scanning")
        .nth(1)
        .expect("upload step");
    let upload = upload.split("\n      - ").next().unwrap_or_default();
    assert!(upload.contains("continue-on-error: true"), "{upload}");
    assert_eq!(
        workflow.matches("      - \"**/*.imgcost.yaml\"\n").count(),
        2
    );
    assert_eq!(workflow.matches("      - \".imgcost/**\"\n").count(), 2);
    assert!(
        imgcost::run::init::FILES.iter().any(|(path, text)| *path
            == ".github/workflows/imgcost-check.yml"
            && *text == workflow)
    );
}

const HERO: &str = "version: 1\nproject: shop\nowner: \"@shop\"\nworkflows:\n  hero:\n    model: gpt-image2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n    budget: {monthly_usd: 10}\n";

/// SARIF from an absolute path argument, run in a subfolder: the URI is relative to the
/// repository root under `%SRCROOT%` (never `/…`, which Microsoft's validator rejects as
/// SARIF1004), and the run names the repository and the commit checked out.
#[test]
fn sarif_uris_are_relative_to_the_repository_root() {
    let t = Test::new().file("apps/shop/imgcost.yaml", HERO);
    git(t.path(), &["init", "-q"]);
    git(
        t.path(),
        &[
            "remote",
            "add",
            "origin",
            "https://github.com/acme/shop.git",
        ],
    );
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-qm", "base"]);
    let commit = git(t.path(), &["rev-parse", "HEAD"]).trim().to_owned();
    let absolute = t.path().join("apps/shop").display().to_string();
    let out = super::test::run_in(
        &t.path().join("apps"),
        &[
            "check".into(),
            absolute,
            "--as-of".into(),
            "2026-11-25".into(),
            "--format".into(),
            "sarif".into(),
        ],
        &[],
        &[
            "GITHUB_ACTIONS".into(),
            "GITHUB_SERVER_URL".into(),
            "GITHUB_REPOSITORY".into(),
        ],
    );
    out.status(1);
    let sarif = out.json();
    let run = &sarif["runs"][0];
    assert_eq!(
        run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({"uri": "apps/shop/imgcost.yaml", "uriBaseId": "%SRCROOT%"})
    );
    assert_eq!(
        run["versionControlProvenance"],
        serde_json::json!([{
            "repositoryUri": "https://github.com/acme/shop.git",
            "revisionId": commit,
            "mappedTo": {"uriBaseId": "%SRCROOT%"}
        }])
    );
}

/// Hostile: a clone's remote carries a token (as CI checkouts do); SARIF, which is uploaded and
/// shown, names the repository without it. Outside git there is no provenance at all.
#[test]
fn sarif_provenance_never_carries_credentials() {
    let t = Test::new().file("imgcost.yaml", HERO);
    git(t.path(), &["init", "-q"]);
    git(
        t.path(),
        &[
            "remote",
            "add",
            "origin",
            "https://x-access-token:ghs_SECRET@github.com/acme/shop.git",
        ],
    );
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-qm", "base"]);
    let out = t
        .args(["check", ".", "--as-of", "2026-11-25", "--format", "sarif"])
        .run();
    out.status(1);
    assert!(!out.stdout.contains("SECRET"), "{}", out.stdout);
    assert_eq!(
        out.json()["runs"][0]["versionControlProvenance"][0]["repositoryUri"],
        "https://github.com/acme/shop.git"
    );
    let outside = Test::new()
        .file("imgcost.yaml", HERO)
        .args(["check", ".", "--as-of", "2026-11-25", "--format", "sarif"])
        .run();
    outside.status(1);
    assert!(
        outside.json()["runs"][0]
            .get("versionControlProvenance")
            .is_none()
    );
}

/// A repository whose one workflow moves from `quality: low`, 2 000 requests to `quality`
/// `head_quality`, 9 000 requests, in folder `folder`, with a GitHub `origin`.
fn quality_change(folder: &str, head_quality: &str) -> Test {
    let manifest = |quality: &str, requests: u32| {
        format!(
            "version: 1\nproject: shop\nowner: \"@shop\"\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {{size: 1024x1024, quality: {quality}}}\n    volume: {{requests_per_month: {requests}}}\n    budget: {{monthly_usd: 100000}}\n"
        )
    };
    let path = format!("{folder}/imgcost.yaml");
    let t = Test::new().file(&path, manifest("low", 2000));
    git(t.path(), &["init", "-q"]);
    git(
        t.path(),
        &[
            "remote",
            "add",
            "origin",
            "https://github.com/acme/shop.git",
        ],
    );
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-qm", "base"]);
    t.file(&path, manifest(head_quality, 9000))
}

const HEAD_SHA: &str = "0123456789abcdef0123456789abcdef01234567";

/// The headline of a passing change that multiplies the cost says so in words, with no tick;
/// the row says what changed, value by value.
#[test]
fn a_passing_increase_gets_no_tick() {
    let out = quality_change("shop", "high")
        .args([
            "diff",
            "--base",
            "HEAD",
            "--as-of",
            "2026-11-25",
            "--format",
            "markdown",
        ])
        .run();
    out.status(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[1],
        "## imgcost: passes the policy, monthly image cost +$1,884.72 (+16026.5 %)"
    );
    assert!(!out.stdout.contains('✅'), "{}", out.stdout);
    assert!(out.stdout.contains("| `shop/hero` | quality `low` → `high`; images a month `2000` → `9000` | $11.76 | $1,896.48 | +$1,884.72 | +16026.5 % |\n"), "{}", out.stdout);
    assert!(
        out.stdout.contains("### Findings\n\nNo findings.\n"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("0 errors"), "{}", out.stdout);
}

/// `--deny-warnings` fails the headline on a warning, and names it; each finding links its
/// line at the head commit, the path percent-encoded.
#[test]
fn the_headline_respects_deny_warnings_and_findings_link_their_line() {
    let out = quality_change("a b", "auto")
        .args([
            "diff",
            "--base",
            "HEAD",
            "--as-of",
            "2026-11-25",
            "--format",
            "markdown",
            "--deny-warnings",
            "--head-commit",
            HEAD_SHA,
        ])
        .run();
    out.status(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[1],
        "## ❌ imgcost: fails the policy (1 warning with --deny-warnings), monthly image cost +$1,884.72 (+16026.5 %)"
    );
    assert!(out.stdout.contains(&format!("### Findings: ⚠️ 1 warning\n\n- ⚠️ **IC401** [`a b/imgcost.yaml:7:41`](https://github.com/acme/shop/blob/{HEAD_SHA}/a%20b/imgcost.yaml#L7) quality `auto` is budgeted at `high`, the worst case\n")), "{}", out.stdout);
}

/// Hostile: a head commit that is not a SHA cannot reach the link (exit 2, said why), and a
/// comment marker written into the manifest never starts a line of the comment: only the
/// comment's own first line does.
#[test]
fn the_comment_keeps_its_marker_and_links_its_own() {
    let t = quality_change("shop", "high");
    let out = t
        .args([
            "diff",
            "--base",
            "HEAD",
            "--format",
            "markdown",
            "--head-commit",
            "abc)](https://evil.example)",
        ])
        .run();
    out.status(2)
        .stderr_has("is not a full commit SHA (40 or 64 hex digits)");
    let t = quality_change("shop", "high").file(
        "shop/imgcost.yaml",
        "version: 1\nproject: shop\nowner: \"@shop\"\nworkflows:\n  hero:\n    model: \"x\\n<!-- imgcost:diff -->\\n## ✅ all good\"\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 2000}\n    budget: {monthly_usd: 100000}\n",
    );
    let out = t
        .args([
            "diff",
            "--base",
            "HEAD",
            "--as-of",
            "2026-11-25",
            "--format",
            "markdown",
        ])
        .run();
    out.status(1);
    let starts: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("<!--") || l.starts_with("## "))
        .collect();
    assert_eq!(starts.len(), 2, "{}", out.stdout);
    assert_eq!(starts[0], "<!-- imgcost:diff -->");
    assert!(
        starts[1].starts_with("## ❌ imgcost: fails the policy (1 error)"),
        "{}",
        out.stdout
    );
}

/// One workflow over its $10 budget (IC201: `projected $421.44 a month, …`) named `name`.
fn over_budget(name: &str, budget: u32) -> String {
    format!(
        "version: 1\nproject: shop\nowner: \"@shop\"\nworkflows:\n  {name}:\n    model: gpt-image-2\n    request: {{size: 1024x1024, quality: high}}\n    volume: {{requests_per_month: 2000}}\n    budget: {{monthly_usd: {budget}}}\n"
    )
}

/// A repository whose first commit holds `manifest`.
fn committed(manifest: &str) -> Test {
    let t = Test::new().file("imgcost.yaml", manifest);
    git(t.path(), &["init", "-q"]);
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-qm", "base"]);
    t
}

/// `check imgcost.yaml --new-only --baseline NAME` (json) of a committed head whose workflow
/// budget is `head`, the baseline a report saved as NAME from one whose budget is `base`.
fn new_only_against_a_baseline(base: u32, head: u32, name: &str) -> Output {
    let baseline = committed(&over_budget("hero", base))
        .args(["check", ".", "--as-of", "2026-11-25", "--format", "json"])
        .run();
    committed(&over_budget("hero", head))
        .file(name, &baseline.stdout)
        .args([
            "check",
            "imgcost.yaml",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
            "--new-only",
            "--baseline",
            name,
        ])
        .run()
}

const OVER: &str =
    "projected $421.44 a month, over the workflow budget of $10.00 by $411.44 (4114.4 %)";

fn findings(out: &Output) -> Vec<(String, String, String)> {
    out.json()["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["severity"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// A finding the base has is a note "already on HEAD" with --new-only (exit 0), and an error
/// without it (exit 1); moved two lines down and under a renamed workflow, it is still the
/// same finding.
#[test]
fn a_finding_on_the_base_is_a_note_with_new_only() {
    let t = committed(&over_budget("hero", 10));
    let plain = t
        .args(["check", ".", "--as-of", "2026-11-25", "--format", "json"])
        .run();
    plain.status(1);
    assert_eq!(
        findings(&plain),
        [("IC201".into(), "error".into(), OVER.into())]
    );
    let t = committed(&over_budget("hero", 10));
    let t = t.file(
        "imgcost.yaml",
        over_budget("hero-v2", 10).replace("workflows:\n", "# moved\n# down\nworkflows:\n"),
    );
    let out = t
        .args([
            "check",
            ".",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
            "--new-only",
            "--base",
            "HEAD",
        ])
        .run();
    out.status(0);
    assert_eq!(
        findings(&out),
        [(
            "IC201".into(),
            "note".into(),
            format!("already on HEAD: {OVER}")
        )]
    );
}

/// A changed finding is new: the budget moved, so the message did, and the error stays. The
/// same holds against a saved baseline report.
#[test]
fn a_changed_finding_is_new() {
    let out = new_only_against_a_baseline(10, 20, "base.json");
    out.status(1);
    assert_eq!(
        findings(&out),
        [(
            "IC201".into(),
            "error".into(),
            "projected $421.44 a month, over the workflow budget of $20.00 by $401.44 (2007.2 %)"
                .into()
        )]
    );
    // The unchanged baseline downgrades the unchanged finding.
    let out = new_only_against_a_baseline(10, 10, "base.json");
    out.status(0);
    assert_eq!(findings(&out)[0].1, "note");
}

/// Hostile: the base's name goes into the message of each finding it excuses, so a baseline
/// whose file name holds an escape sequence reaches the report escaped, as every text of a
/// finding does.
#[test]
fn the_base_named_in_an_excused_finding_is_escaped() {
    let out = new_only_against_a_baseline(10, 10, "base\u{1b}[2J.json");
    out.status(0);
    assert_eq!(
        findings(&out),
        [(
            "IC201".into(),
            "note".into(),
            format!("already on the baseline base\\u{{1b}}[2J.json: {OVER}")
        )]
    );
}

/// Hostile: a change copies a workflow the base already flags, so that its new finding reads the
/// same: each finding of the base excuses one of the head, and the copy (another workflow id)
/// is an error. A rule that fails closed (IC101, an unknown model) is never downgraded.
#[test]
fn a_copied_finding_is_new_and_fail_closed_rules_stay_errors() {
    let both = format!(
        "{}  hero2:\n    model: gpt-image-2\n    request: {{size: 1024x1024, quality: high}}\n    volume: {{requests_per_month: 2000}}\n    budget: {{monthly_usd: 10}}\n",
        over_budget("hero", 10)
    );
    let t = committed(&over_budget("hero", 10)).file("imgcost.yaml", &both);
    let out = t
        .args([
            "check",
            ".",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
            "--new-only",
            "--base",
            "HEAD",
        ])
        .run();
    out.status(1);
    assert_eq!(
        findings(&out),
        [
            (
                "IC201".into(),
                "note".into(),
                format!("already on HEAD: {OVER}")
            ),
            ("IC201".into(), "error".into(), OVER.into()),
        ]
    );
    let unknown = over_budget("hero", 100000).replace("gpt-image-2", "gpt-image2");
    let t = committed(&unknown);
    let out = t
        .args([
            "check",
            ".",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
            "--new-only",
            "--base",
            "HEAD",
        ])
        .run();
    out.status(1);
    assert_eq!(findings(&out)[0].0, "IC101");
    assert_eq!(findings(&out)[0].1, "error");
}
