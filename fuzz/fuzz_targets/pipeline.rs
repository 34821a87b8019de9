//! Fuzz target: arbitrary bytes as a manifest, through the whole `check` pipeline (decode, YAML
//! load, schema, typed read, pricing, rules) and both report renderers.
//!
//! Any panic, hang or runaway allocation here is a bug: SPEC §8 says no input may cause one.
//! The JSON report must also stay valid JSON, whatever the input put into messages.

#![no_main]

use std::sync::{Arc, OnceLock};

use imgcost::policy::PolicySet;
use imgcost::render::human::HumanStyle;
use imgcost::{Context, ManifestInput, RateCard, check_inputs, render};
use libfuzzer_sys::fuzz_target;

fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(|| Context {
        as_of: "2026-11-25".parse().expect("a valid date"),
        ratecard: RateCard::builtin()[0].clone(),
        // What `imgcost check` applies when the repository has no policy of its own.
        policies: Arc::new(PolicySet::builtin_default()),
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
    if let Err(error) = serde_json::from_str::<serde_json::Value>(&json) {
        panic!("the JSON report is not JSON ({error}):\n{json}");
    }
    // Colour on for odd lengths, off for even: both drawing paths get exercised without
    // rendering every input twice.
    let style = HumanStyle {
        color: data.len() % 2 == 1,
        quiet: false,
    };
    let _ = render::human::write(&report, style, false, &mut std::io::sink());
});
