//! Gate integrity (issue 13): what the loading side of the gate must refuse or flag. Numbers that
//! cannot be held exactly (class 4), copies that grow without limit (class 8), an edit without an
//! input image and YAML tags and directives that would be ignored (class 16), and a folder name
//! that is no project name (class 13). Each case asserts the exit code and the rule, line and
//! column of what it expects. Columns on one long line (class 9) are tested beside
//! `SourceFile::line_column`, and the exact number parser beside `decimal::parse_exact`.

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

/// Sixty anchors, each nested in the one before and each holding 7 000 items: no alias at all.
/// Every anchored value was copied into the anchor table with everything inside it, so the
/// copies grew with the square of the nesting (870 MB and 8 s in a debug build for 850 KB).
fn nested_anchors() -> String {
    let payload = format!("[{}]", vec!["x"; 7_000].join(","));
    let mut text = String::from("version: 1\nproject: p\nnest:\n");
    for level in 0..60 {
        let indent = "  ".repeat(level + 1);
        text.push_str(&format!("{indent}n: &a{level}\n{indent}  p: {payload}\n"));
    }
    text.push_str("workflows: {}\n");
    text
}

/// Gate integrity, class 8: anchored values are charged to a copy budget of one node per byte of
/// the file (plus the alias limit), so nested anchors stop where the copies pass the file's size.
#[test]
fn nested_anchors_stop_at_a_budget_proportional_to_the_file() {
    let text = nested_anchors();
    assert!(text.len() < 1024 * 1024);
    let report = check(&text).status(1).json();
    // Anchors complete innermost first; anchor 44 (line 4 + 2 × 44, after 90 spaces and `n: `)
    // is the one whose copy passes 848 252 + 10 000 nodes: anchors 45 to 59 copy 840 465.
    let finding = only_error(&report, "IC001", 92, 94);
    assert_eq!(
        finding["message"],
        format!(
            "anchored values copy more than {} nodes, the limit for a file of this size (possible anchor bomb)",
            text.len() + 10_000
        )
    );
}

/// Gate integrity, class 8: an alias of a long string was charged as one node, so ten thousand
/// aliases of a 900 KB scalar copied 9 GB. A long scalar now counts one node per 64 bytes.
#[test]
fn an_alias_of_a_long_string_is_charged_for_its_length() {
    let text = format!(
        "version: 1\nproject: p\na: &a {}\nb: [{}]\nworkflows: {{}}\n",
        "x".repeat(900_000),
        vec!["*a"; 9_000].join(", ")
    );
    let report = check(&text).status(1).json();
    let finding = only_error(&report, "IC001", 4, 5);
    assert_eq!(
        finding["message"],
        "alias expansion exceeds the limit of 10000 nodes (possible alias bomb)"
    );
    // A 6 KB string (95 nodes) may still be aliased a hundred times (here under an unknown
    // key, the one error).
    let text = format!(
        "{HEAD}    volume: {{requests_per_month: 1}}\nnotes: [&d {}, {}]\n",
        "x".repeat(6_000),
        vec!["*d"; 100].join(", ")
    );
    let report = check(&text).status(1).json();
    only_error(&report, "IC002", 8, 1);
}

/// A 400 KB list under an unknown key of `defaults:`, and 50 000 workflows that inherit it.
fn defaults_bomb() -> String {
    let mut text = format!(
        "version: 1\nproject: p\ndefaults:\n  junk: [{}]\nworkflows:\n",
        vec!["x"; 200_000].join(",")
    );
    for i in 0..50_000 {
        text.push_str(&format!("  w{i}: {{}}\n"));
    }
    text
}

/// Gate integrity, class 8: `defaults:` was copied under every workflow before validation, so a
/// large `defaults:` times thousands of workflows was the same kind of bomb. The merge is charged
/// before anything is copied, and refused at the `defaults` key.
#[test]
fn defaults_copied_under_every_workflow_are_charged_before_copying() {
    let text = defaults_bomb();
    assert!(text.len() < 1024 * 1024);
    let report = check(&text).status(1).json();
    let finding = only_error(&report, "IC001", 3, 1);
    assert_eq!(
        finding["message"],
        format!(
            "`defaults:` (200003 nodes) copied under 50000 workflows is more than the {} nodes this file may copy",
            text.len() + 10_000
        )
    );
    // An ordinary large manifest: 1 000 workflows (the most one holds) that inherit a dozen
    // fields.
    let mut text = String::from(
        "version: 1\nproject: p\ndefaults:\n  model: gpt-image-2\n  request: {size: 1024x1024, quality: low}\n  volume: {retry_rate: 0.1}\n  budget: {monthly_usd: 100}\nworkflows:\n",
    );
    for i in 0..1_000 {
        text.push_str(&format!("  w{i}: {{volume: {{requests_per_month: 1}}}}\n"));
    }
    let report = check(&text).status(0).json();
    assert_eq!(report["summary"]["workflows"], 1_000);
}

/// Gate integrity, class 8: memory, not only the finding. Run under a 1 GB address-space limit
/// on one worker thread, the alias and `defaults:` bombs above end with their finding; before,
/// each needed several gigabytes and was killed.
#[cfg(target_os = "linux")]
#[test]
fn the_bombs_stay_within_a_gigabyte_of_address_space() {
    for (name, text) in [
        (
            "alias",
            format!(
                "version: 1\na: &a {}\nb: [{}]\n",
                "x".repeat(900_000),
                vec!["*a"; 9_000].join(", ")
            ),
        ),
        ("defaults", defaults_bomb()),
    ] {
        let test = Test::new().file("imgcost.yaml", &text);
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg("ulimit -v 1000000 && exec \"$0\" check imgcost.yaml --as-of 2026-11-25 --format json")
            .arg(crate::test::binary())
            .current_dir(test.path())
            .env("RAYON_NUM_THREADS", "1")
            .output()
            .expect("run bash");
        assert_eq!(output.status.code(), Some(1), "{name}: {output:?}");
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(errors(&report)[0].0, "IC001", "{name}");
    }
}

/// Gate integrity, class 16: an edit with no image to edit was priced and passed; the API rejects
/// it. IC106 at the `endpoint` value, with the empty list as a related place when it is written.
#[test]
fn an_edit_without_an_input_image_is_rejected_at_its_endpoint() {
    let head = "version: 1\nproject: p\nworkflows:\n  hero:\n    model: gpt-image-2\n    endpoint: images.edit\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";
    for inputs in [
        "",
        "    inputs: {prompt_tokens: 50}\n",
        "    inputs: {images: []}\n",
        "    inputs: {images: [{size: 1024x1024, per_request: 0}]}\n",
    ] {
        let report = check(format!("{head}{inputs}")).status(1).json();
        let finding = only_error(&report, "IC106", 6, 15);
        assert_eq!(
            finding["message"],
            "images.edit needs an input image to edit, and this workflow sends none",
            "{inputs}"
        );
        assert_eq!(
            finding["related"].as_array().map_or(0, Vec::len),
            usize::from(inputs.contains("images")),
            "{inputs}"
        );
    }
    // One image on some of the calls is an edit the API takes.
    let text = format!("{head}    inputs: {{images: [{{size: 1024x1024, per_request: 0.3}}]}}\n");
    assert_eq!(errors(&check(text).status(0).json()), []);
}

/// Gate integrity, class 16: custom tags, core tags on values they cannot apply to and a
/// `%YAML 1.1` directive were silently ignored. Each is an IC006 warning at the tag or the
/// directive; honoured core tags (`!!str`, `!!int 1`, `!!map`) and `%YAML 1.2` are not.
#[test]
fn ignored_tags_and_directives_are_warned_where_they_are_written() {
    let text = "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n%SPEED fast # unknown\n---\nversion: 1\nproject: p\nworkflows:\n  hero:\n    description: &d !!binary aGk=\n    owner: !!int \"7\"\n    labels: !e!set [a, b]\n    model: !!str gpt-image-2\n    request: !!map {size: 1024x1024, quality: low, n: !!int 1}\n    volume: {requests_per_month: !<tag:x.org,1:n> 100}\n    budget: {monthly_usd: 100}\n";
    let report = check(text).status(0).json();
    assert_eq!(errors(&report), []);
    let ignored: Vec<(u64, u64, u64, String)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "IC006")
        .map(|d| {
            assert_eq!(d["severity"], "warning");
            (
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
                d["end_column"].as_u64().expect("end"),
                d["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect();
    let tag = |shown: &str| {
        format!(
            "YAML tag `{shown}` is ignored: imgcost reads the value by the YAML 1.2 core schema"
        )
    };
    assert_eq!(
        ignored,
        [
            (
                1,
                1,
                10,
                "`%YAML 1.1` is ignored: imgcost reads every file as YAML 1.2 (core schema)"
                    .to_owned()
            ),
            (3, 1, 12, "unknown directive `%SPEED` is ignored".to_owned()),
            (9, 21, 29, tag("!!binary")),
            (10, 12, 17, tag("!!int")),
            (11, 13, 19, tag("!e!set")),
            (14, 34, 50, tag("!<tag:x.org,1:n>")),
        ]
    );
    // A policy may lower the warning, as any rule that does not keep a file from being read.
    let policy = "version: 1\nname: quiet\nseverity: {IC006: off}\n";
    let report = check_with_policy(text, policy).status(0).json();
    assert_eq!(findings(&report, "warning"), []);
    // An ordinary file has none.
    let report = check(format!(
        "%YAML 1.2\n---\n{HEAD}    volume: {{requests_per_month: 1}}\n"
    ))
    .status(0)
    .json();
    assert!(
        report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .all(|d| d["rule"] != "IC006"),
        "{report:#}"
    );
}

/// Gate integrity, class 13: a manifest without `project:` took its folder's name unchecked, so a
/// folder named like Markdown and HTML became the project of every workflow id in every report.
/// The name must match the schema's `project` pattern; otherwise IC002 at 1:1, nothing priced,
/// and the name itself is not repeated in the message.
#[test]
fn a_folder_name_that_is_no_project_name_is_refused() {
    let folder = "x` <img src=q> [Approve](https://evil.example) @octocat `y";
    let manifest = "version: 1\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";
    let path = format!("{folder}/imgcost.yaml");
    let output = Test::new()
        .file(&path, manifest)
        .args(["check", ".", "--as-of", "2026-11-25", "--format", "json"])
        .run();
    let report = output.status(1).json();
    let finding = only_error(&report, "IC002", 1, 1);
    assert_eq!(
        finding["message"],
        "the name of the folder holding this manifest is not a valid project name, and the manifest sets no `project:`"
    );
    assert_eq!(report["workflows"], serde_json::json!([]));
    // The name is in the report only as part of the file's path, which renderers treat as one.
    fn strings_outside_paths<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::String(text) => out.push(text),
            Value::Array(items) => items.iter().for_each(|v| strings_outside_paths(v, out)),
            Value::Object(map) => map
                .iter()
                .filter(|(key, _)| *key != "file")
                .for_each(|(_, v)| strings_outside_paths(v, out)),
            _ => {}
        }
    }
    let mut strings = Vec::new();
    strings_outside_paths(&report, &mut strings);
    assert!(strings.iter().all(|s| !s.contains("<img")), "{strings:?}");
    // With `project:` set, the folder's name does not matter.
    let output = Test::new()
        .file(
            &path,
            format!("version: 1\nproject: shop\n{}", &manifest[11..]),
        )
        .args(["check", ".", "--as-of", "2026-11-25", "--format", "json"])
        .run();
    let report = output.status(0).json();
    assert_eq!(report["workflows"][0]["id"], "shop/hero");
}
