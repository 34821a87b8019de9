//! Fuzz target: arbitrary bytes as a manifest, through the whole `check` pipeline (decode, YAML
//! load, schema, typed read, pricing, rules) and every report format: human, JSON, SARIF,
//! GitHub annotations, Markdown (the job summary, and a diff comment against an empty base) and
//! JUnit.
//!
//! Any panic, hang or runaway allocation here is a bug: no input may cause one (docs/security.md).
//! Each format must also stay what its reader expects, whatever the input put into messages:
//! JSON and SARIF parse, JUnit is well-formed XML, every GitHub annotation is one line.

#![no_main]

use std::sync::{Arc, OnceLock};

use imgcost::policy::PolicySet;
use imgcost::render::human::HumanStyle;
use imgcost::run::diff;
use imgcost::{Context, ManifestInput, RateCard, Keep, check_inputs, render};
use libfuzzer_sys::fuzz_target;

fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(|| Context {
        as_of: "2026-11-25".parse().expect("a valid date"),
        ratecard: RateCard::builtin()[0].clone(),
        // What `imgcost check` applies when the repository has no policy of its own.
        policies: Arc::new(PolicySet::builtin_default()),
        // Every format is rendered, the human one with source lines.
        keep: Keep::ALL,
    })
}

fuzz_target!(|data: &[u8]| {
    let input = ManifestInput::Bytes {
        display: "imgcost.yaml".into(),
        folder: "fuzz".into(),
        place: "imgcost.yaml".into(),
        bytes: data.to_vec(),
    };
    let report = check_inputs(&[input], Vec::new(), context());
    let json = render::json::render(&report, false);
    // What is written reads back into the typed model a baseline is read with, and writes the
    // same bytes.
    match serde_json::from_str::<imgcost::report::json::JsonReport<'_>>(&json) {
        Ok(read) => assert_eq!(
            serde_json::to_string_pretty(&read).expect("writing to memory") + "\n",
            json,
            "the JSON report does not write back the same"
        ),
        Err(error) => panic!("the JSON report does not read back ({error}):\n{json}"),
    }
    // Colour on for odd lengths, off for even: both drawing paths get exercised without
    // rendering every input twice.
    let style = HumanStyle {
        color: data.len() % 2 == 1,
        quiet: false,
    };
    let _ = render::human::write(&report, style, false, None, &mut std::io::sink());
    let mut sarif = Vec::new();
    render::sarif::write(&report, &mut sarif).expect("writing to memory");
    if let Err(error) = serde_json::from_slice::<serde_json::Value>(&sarif) {
        panic!("the SARIF log is not JSON ({error})");
    }
    let junit = render::junit::render(&report);
    if let Err(error) = roxmltree::Document::parse(&junit) {
        panic!("the JUnit report is not well-formed XML ({error}):\n{junit}");
    }
    let github = render::github::render(&report, false);
    for line in github.lines() {
        assert!(
            line.starts_with("::") || line.starts_with("imgcost "),
            "an annotation spans lines: {line:?}"
        );
    }
    let _ = render::markdown::check_summary(&report, false);
    let empty = diff::Base {
        label: "empty".into(),
        workflows: Vec::new(),
        total: Some(rust_decimal::Decimal::ZERO),
        errors: 0,
        policy_files: Vec::new(),
        findings: Vec::new(),
    };
    let _ = render::markdown::diff_comment(&report, &diff::compare(&empty, &report));
});
