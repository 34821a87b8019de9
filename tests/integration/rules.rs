//! Every rule of the catalogue (docs/rules/) fires on a minimal example (`tests/fixtures/rules/<code>_<name>/`, with
//! a `policy.yaml` where the rule needs one), golden-tested in both renderers with its line,
//! column, severity and the exit code.

use std::path::Path;

use crate::test::{check_args, run_in};

fn run(dir: &Path, format: &str) -> (i32, String) {
    let mut args = check_args(".", format);
    if dir.join("policy.yaml").exists() {
        args.extend(["--policy".to_owned(), "policy.yaml".to_owned()]);
    }
    let output = run_in(dir, &args, &[], &["NO_COLOR".to_owned()]);
    assert!(output.stderr.is_empty(), "{}", output.stderr);
    (output.status, output.stdout)
}

#[test]
fn every_rule_fires_on_its_fixture() {
    insta::glob!("../fixtures/rules", "*/imgcost.yaml", |path| {
        let dir = path.parent().unwrap();
        let name = dir.file_name().unwrap().to_str().unwrap();
        let code = name[..5].to_uppercase();
        let (status, json) = run(dir, "json");
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        let diagnostics = report["diagnostics"].as_array().unwrap();
        assert!(
            diagnostics.iter().any(|d| d["rule"] == code),
            "{name}: no {code} in {json}"
        );
        let (human_status, human) = run(dir, "human");
        assert_eq!(status, human_status);
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
    });
}
