//! Golden files for every kind of load and schema finding, in the human and JSON renderers.
//! Each fixture in `tests/fixtures/diagnostics/` (`<code>_<case>.imgcost.yaml`) is checked alone
//! and must raise its rule; its snapshot records the exit code, the JSON diagnostics (with line
//! and column) and the human rendering.

use crate::test::{check_args, repo, run_in};

fn check(file: &str, format: &str) -> (i32, String) {
    let dir = repo().join("tests/fixtures/diagnostics");
    let args = check_args(file, format);
    let output = run_in(&dir, &args, &[], &["NO_COLOR".to_owned()]);
    (output.status, output.stdout)
}

#[test]
fn every_fixture_in_both_renderers() {
    insta::glob!("../fixtures/diagnostics", "*.imgcost.yaml", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let (status, json) = check(name, "json");
        let report: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}\n{json}"));
        let code = name[..5].to_uppercase();
        assert!(
            report["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["rule"] == code),
            "{name}: no {code} in {json}"
        );
        let (human_status, human) = check(name, "human");
        assert_eq!(status, human_status, "{name}: both renderers exit alike");
        let snapshot = format!(
            "exit code: {status}\n\n--- diagnostics (json)\n{}\n\n--- human\n{human}",
            serde_json::to_string_pretty(&report["diagnostics"]).unwrap()
        );
        insta::assert_snapshot!(snapshot);
    });
}
