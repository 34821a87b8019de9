//! Output hygiene (issue 13, classes 9, 13 and 14): whatever a pull request puts in file names,
//! keys, values and policies lands in each report escaped for where it lands. Each report is
//! read back with a real parser of its format (CommonMark with GitHub's tables, XML, the SARIF
//! schema), never by searching the text for what should not be there.

use serde_json::Value;

use crate::test::{Output, Test, repo};

const VALID: &str = "version: 1\nproject: p\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";

fn check(test: Test, format: &str) -> Output {
    test.args([
        "check",
        ".",
        "--as-of",
        "2026-11-25",
        "--color",
        "never",
        "--format",
        format,
    ])
    .run()
}

/// Gate integrity, class 14: U+FFFE and U+FFFF (which a double-quoted YAML key can hold through
/// escapes, and a file name can hold as is) and every C0 control are not XML 1.0 characters;
/// one of them made the whole JUnit report unreadable.
#[test]
fn junit_stays_well_formed_xml_whatever_the_keys_and_file_names_hold() {
    let manifest = VALID.replace(
        "quality: low}",
        "quality: low, \"k\\uFFFE\\uFFFF\\u0001<&>\": 1}",
    );
    let output = check(
        Test::new().file("w\u{fffe}x.imgcost.yaml", &manifest),
        "junit",
    );
    output.status(1);
    let document = roxmltree::Document::parse(&output.stdout)
        .unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{}", output.stdout));
    let failure = document
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failure");
    assert_eq!(failure.attribute("type"), Some("IC002"));
    assert_eq!(
        failure.attribute("message"),
        Some("unknown key `k\u{fffd}\u{fffd}\\u{1}<&>` in `request`")
    );
    let suite = document
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("a suite");
    assert_eq!(suite.attribute("name"), Some("w\u{fffd}x.imgcost.yaml"));
}

/// The OASIS SARIF 2.1.0 schema, with its `language` patterns made valid for a strict regex
/// engine (as `renderers.rs` does; they concern a property imgcost does not write).
fn sarif_schema_errors(sarif: &Value) -> Vec<String> {
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
    let text = std::fs::read_to_string(repo().join("tests/fixtures/sarif-schema-2.1.0.json"))
        .expect("schema");
    let mut schema: Value = serde_json::from_str(&text).expect("schema JSON");
    fix_language_patterns(&mut schema);
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    validator
        .iter_errors(sarif)
        .map(|e| format!("{e} at {}", e.instance_path().as_str()))
        .collect()
}

/// Gate integrity, class 14: `artifactLocation.uri` is a URI reference, so a file name's `#`,
/// `?`, `%`, spaces and non-ASCII characters are percent-encoded (as UTF-8), or a viewer
/// resolving it against `%SRCROOT%` would cut it at `#` or decode `%d ` into another name.
#[test]
fn sarif_uris_are_percent_encoded_and_still_name_the_file() {
    let name = "a b#c%d é.imgcost.yaml";
    let manifest = VALID.replace("quality: low}", "quality: low, qualty: low}");
    let output = check(Test::new().file(name, manifest), "sarif");
    output.status(1);
    let sarif = output.json();
    assert_eq!(sarif_schema_errors(&sarif), Vec::<String>::new());
    let result = &sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "IC002")
        .expect("IC002");
    let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "a%20b%23c%25d%20%C3%A9.imgcost.yaml");
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
}
