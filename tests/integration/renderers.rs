//! Golden files for every renderer of `check` (human, JSON, SARIF, GitHub annotations, Markdown,
//! JUnit) on one run with findings of every severity, related places in other files, an
//! exemption and characters that need escaping; the SARIF output validated against the OASIS
//! SARIF 2.1.0 schema; `--output` writing several reports from one run; GitHub annotations by
//! default under GitHub Actions.

use serde_json::Value;

use crate::test::{check_args, repo, run_in};

fn run(format: &str, extra: &[&str]) -> (i32, String) {
    let dir = repo().join("tests/fixtures/renderers");
    let mut args = check_args("apps", format);
    args.extend(["--policy".to_owned(), "policy.yaml".to_owned()]);
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    // The repository's address as GitHub Actions gives it, for SARIF's provenance.
    let env = [
        (
            "GITHUB_SERVER_URL".to_owned(),
            "https://github.com".to_owned(),
        ),
        ("GITHUB_REPOSITORY".to_owned(), "imgcost/imgcost".to_owned()),
    ];
    let output = run_in(
        &dir,
        &args,
        &env,
        &["NO_COLOR".to_owned(), "GITHUB_ACTIONS".to_owned()],
    );
    (output.status, output.stdout)
}

/// `text` with the 40 hex digits after `"revisionId": "` replaced by `[commit]`.
fn redact_commit(text: &str) -> String {
    const KEY: &str = "\"revisionId\": \"";
    match text.split_once(KEY) {
        Some((before, after))
            if after.len() >= 40 && after.as_bytes()[..40].iter().all(u8::is_ascii_hexdigit) =>
        {
            format!("{before}{KEY}[commit]{}", &after[40..])
        }
        _ => text.to_owned(),
    }
}

#[test]
fn every_renderer_golden() {
    for format in ["human", "json", "sarif", "github", "markdown", "junit"] {
        let (status, text) = run(format, &[]);
        assert_eq!(status, 1, "{format}");
        // SARIF names the commit checked out, which changes with every commit of imgcost.
        let text = redact_commit(&text);
        insta::assert_snapshot!(format!("renderer_{format}"), text);
    }
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let mut schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/fixtures/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    // The OASIS file's `language` patterns have a stray `]` that a strict regex engine rejects
    // while compiling the schema; they concern a property imgcost does not write.
    fix_language_patterns(&mut schema);
    let validator = jsonschema::validator_for(&schema).unwrap();
    let (_, text) = run("sarif", &[]);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path().as_str()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let exempted = results.iter().find(|r| r["ruleId"] == "IC302").unwrap();
    assert_eq!(exempted["suppressions"][0]["kind"], "external");
    let region = &results.iter().find(|r| r["ruleId"] == "IC002").unwrap()["locations"][0]["physicalLocation"]
        ["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(12), Some(32))
    );
    // Each rule links its page (`Rule::help_uri`) and carries its documentation as Markdown too.
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let id = rule["id"].as_str().unwrap();
        assert_eq!(
            rule["helpUri"],
            format!("https://github.com/imgcost/imgcost/blob/main/docs/rules/{id}.md")
        );
        assert_eq!(rule["help"]["markdown"], rule["help"]["text"]);
    }
}

fn fix_language_patterns(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("pattern").and_then(Value::as_str)
                == Some("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$")
            {
                map.insert(
                    "pattern".to_owned(),
                    Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"),
                );
            }
            map.values_mut().for_each(fix_language_patterns);
        }
        Value::Array(items) => items.iter_mut().for_each(fix_language_patterns),
        _ => {}
    }
}

#[test]
fn one_run_writes_several_reports() {
    let out = tempfile::tempdir().unwrap();
    let sarif = out.path().join("r.sarif");
    let json = out.path().join("r.json");
    let (status, stdout) = run(
        "github",
        &[
            "--output",
            &format!("sarif={}", sarif.display()),
            "--output",
            &format!("json={}", json.display()),
        ],
    );
    assert_eq!(status, 1);
    assert!(stdout.starts_with("::"), "{stdout}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(
        report["diagnostics"].as_array().unwrap().len(),
        sarif["runs"][0]["results"].as_array().unwrap().len()
    );
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// JUnit on stdout is built from the report it consumes (`render::junit::write_owned`), in a
/// file from the report it borrows (`write`): the same document either way.
#[test]
fn a_junit_report_written_to_a_file_is_the_one_on_stdout() {
    let out = tempfile::tempdir().unwrap();
    let junit = out.path().join("report.xml");
    let (status, stdout) = run("json", &["--output", &format!("junit={}", junit.display())]);
    assert_eq!(status, 1);
    assert_eq!(stdout, run("json", &[]).1);
    let (status, on_stdout) = run("junit", &[]);
    assert_eq!(status, 1);
    assert!(on_stdout.contains("<failure message="), "{on_stdout}");
    assert_eq!(std::fs::read_to_string(&junit).unwrap(), on_stdout);
}

/// A run whose stdout shows no source lines drops each plain manifest's text once loaded; a
/// human report it also writes to a file must still draw every snippet.
#[test]
fn a_human_report_written_beside_json_draws_the_same_source_lines() {
    let out = tempfile::tempdir().unwrap();
    let human = out.path().join("report.txt");
    let (status, stdout) = run("json", &["--output", &format!("human={}", human.display())]);
    assert_eq!(status, 1);
    assert_eq!(stdout, run("json", &[]).1);
    let drawn = std::fs::read_to_string(&human).unwrap();
    assert_eq!(drawn, run("human", &[]).1);
    assert!(
        drawn.contains("12 │     request: {size: 1024x1024, qualty: low}"),
        "{drawn}"
    );
}

#[test]
fn github_annotations_are_the_default_under_github_actions() {
    let dir = repo().join("tests/fixtures/renderers");
    let args: Vec<String> = [
        "check",
        "apps",
        "--policy",
        "policy.yaml",
        "--as-of",
        "2026-11-25",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let output = run_in(
        &dir,
        &args,
        &[("GITHUB_ACTIONS".to_owned(), "true".to_owned())],
        &[],
    );
    assert!(
        output.stdout.lines().next().unwrap().starts_with("::"),
        "{}",
        output.stdout
    );
    assert!(output.stdout.contains("::error file=apps/labs/imgcost.yaml,line=12,col=32,endLine=12,endColumn=38,title=IC002 schema-violation::unknown key `qualty` in `request`%0Ahelp: did you mean `quality`?"));
}

#[test]
fn bad_output_arguments_fail_the_run() {
    let (status, _) = run("json", &["--output", "yaml=x.yaml"]);
    assert_eq!(status, 2);
    let (status, _) = run("json", &["--output", "sarif="]);
    assert_eq!(status, 2);
    let (status, _) = run("json", &["--output", "sarif=/nonexistent-dir/x.sarif"]);
    assert_eq!(status, 2);
}
