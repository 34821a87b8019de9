//! The rate card of 2026-12-01 (issue 16): GPT Image 2.6 priced on its real dimensions (GIF
//! sheets, the SVG author, `complexity`, an absent quality, no Batch), the gpt-5 shutdowns
//! for `mainline`, and dated records crossed by `--as-of`. Every figure is pinned to the card's
//! source (ratecards/openai-2026-12-01.yaml; docs/ratecards.md lists them).

use crate::test::Test;

/// `imgcost quote … --format json` on the card of 2026-12-01, read as JSON.
fn quote(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["quote", "--as-of", "2026-12-06", "--format", "json"];
    all.extend_from_slice(args);
    Test::new().args(all).run().status(0).json()
}

/// A quote the card refuses: exit 2 with the rule and reason on stderr.
fn refused(args: &[&str], needle: &str) {
    let mut all = vec!["quote", "--as-of", "2026-12-06"];
    all.extend_from_slice(args);
    Test::new().args(all).run().status(2).stderr_has(needle);
}

#[test]
fn sunburst_without_a_quality_is_billed_as_high() {
    // laozhang-2.6 / apidog: Sunburst bills an absent quality as `high`; the 2.5 `high` formula
    // gives 1 756 tokens at 1024x1024, at $30 per 1M.
    let absent = quote(&["--model", "gpt-image-2.6-sunburst", "--size", "1024x1024"]);
    assert_eq!(absent["quality"], "high");
    assert_eq!(absent["tokens"]["image_output"], "1756");
    assert_eq!(absent["usd"], "0.05268");
    assert_eq!(absent["confidence"], "low");
    let high = quote(&[
        "--model",
        "gpt-image-2.6-sunburst",
        "--size",
        "1024x1024",
        "--quality",
        "high",
    ]);
    assert_eq!(high["usd"], absent["usd"]);
    // Hostile: a quality the API does not know is a usage error, never a default.
    refused(
        &[
            "--model",
            "gpt-image-2.6-sunburst",
            "--size",
            "1024x1024",
            "--quality",
            "ultra",
        ],
        "--quality",
    );
}

#[test]
fn flare_without_a_quality_is_budgeted_at_the_measured_count() {
    // laozhang-2.6: about 5 800 output tokens at 1024x1024; scaled as `max` to 1536x1024:
    // ceil(5 800 × 21 951 676 416 / 28 095 676 416) = 4 532.
    let square = quote(&["--model", "gpt-image-2.6-flare", "--size", "1024x1024"]);
    assert_eq!(square["quality"], "auto");
    assert_eq!(square["tokens"]["image_output"], "5800");
    assert_eq!(square["usd"], "0.174");
    let wide = quote(&["--model", "gpt-image-2.6-flare", "--size", "1536x1024"]);
    assert_eq!(wide["tokens"]["image_output"], "4532");
    assert_eq!(wide["usd"], "0.13596");
}

#[test]
fn low_quality_on_2_6_reproduces_the_measured_point() {
    // laozhang-2.6 measured 664 tokens at 1536x1024 low: 2.5's 158 × 4.2 = 663.6, rounded up.
    let low = quote(&[
        "--model",
        "gpt-image-2.6-sunburst",
        "--size",
        "1536x1024",
        "--quality",
        "low",
    ]);
    assert_eq!(low["tokens"]["image_output"], "664");
}

#[test]
fn a_gif_is_priced_as_the_sheet_of_its_frames() {
    // apiyi-gif: 9 frames (the default) of at most 960x960 on one sheet: 3x3 frames, 2880x2880,
    // priced as one low image: 2.5's 659 × 4.2 = 2 767.8 → 2 768 tokens.
    let nine = quote(&[
        "--model",
        "gpt-image-2.6-sunburst",
        "--size",
        "960x960",
        "--quality",
        "low",
        "--output-format",
        "gif",
    ]);
    assert_eq!(nine["size"], "960x960");
    assert_eq!(nine["sheet"], "2880x2880");
    assert_eq!(nine["tokens"]["image_output"], "2768");
    assert_eq!(nine["usd"], "0.08304");
    // 12 frames of the 816 cap: 4x3 frames, 3264x2448, high.
    let twelve = quote(&[
        "--model",
        "gpt-image-2.6-sunburst",
        "--size",
        "816x816",
        "--quality",
        "high",
        "--output-format",
        "gif",
        "--frames",
        "12",
    ]);
    assert_eq!(twelve["sheet"], "3264x2448");
    assert_eq!(twelve["tokens"]["image_output"], "4316");
    assert_eq!(twelve["usd"], "0.12948");
}

#[test]
fn gif_sheets_beyond_the_size_rule_are_refused() {
    let gif = |size: &'static str, frames: &'static str| {
        [
            "--model",
            "gpt-image-2.6-sunburst",
            "--size",
            size,
            "--quality",
            "low",
            "--output-format",
            "gif",
            "--frames",
            frames,
        ]
    };
    // 6 frames of 1024x1024 were refused by the API (apiyi-gif).
    refused(
        &gif("1024x1024", "6"),
        "[IC104] gpt-image-2.6-sunburst does not accept 6 GIF frames of 1024x1024: the frames are drawn on one 3x3 sheet of 3072x3072",
    );
    refused(
        &gif("1024x1024", "6"),
        "with 6 frames, a square frame may be at most 960x960",
    );
    // The caps: 816 for 10-12 frames, 720 for 13-16.
    refused(&gif("832x832", "12"), "at most 816x816");
    refused(&gif("736x736", "16"), "at most 720x720");
    refused(
        &gif("968x968", "4"),
        "both edges of a frame must be multiples of 16",
    );
    refused(&gif("720x720", "17"), "17 is not in 2..=16");
    refused(&gif("720x720", "1"), "1 is not in 2..=16");
    refused(
        &[
            "--model",
            "gpt-image-2.6-sunburst",
            "--size",
            "720x720",
            "--frames",
            "4",
        ],
        "[IC106] `--frames` applies to gif output only",
    );
}

#[test]
fn svg_output_adds_the_authoring_model() {
    // apiyi-svg: the SVG route bills the authoring text model. gpt-5.4-mini at $0.75 / $4.50:
    // 1 200 × 0.75 + 3 000 × 4.50 per 1M = $0.0144; + 1 756 image tokens at $30 = $0.06708.
    let svg = quote(&[
        "--model",
        "gpt-image-2.6-sunburst",
        "--size",
        "1024x1024",
        "--quality",
        "medium",
        "--output-format",
        "svg",
        "--svg-model",
        "gpt-5.4-mini",
        "--svg-input-tokens",
        "1200",
        "--svg-output-tokens",
        "3000",
    ]);
    assert_eq!(svg["svg_author"], "gpt-5.4-mini");
    assert_eq!(svg["tokens"]["mainline_input"], "1200");
    assert_eq!(svg["tokens"]["mainline_output"], "3000");
    assert_eq!(svg["usd"], "0.06708");
    let svg = |rest: &[&'static str]| {
        let mut args = vec![
            "--model",
            "gpt-image-2.6-sunburst",
            "--size",
            "1024x1024",
            "--quality",
            "medium",
        ];
        args.extend_from_slice(rest);
        args
    };
    refused(
        &svg(&["--output-format", "svg"]),
        "[IC107] svg output on gpt-image-2.6-sunburst also pays for the text model that writes the SVG",
    );
    refused(
        &svg(&["--output-format", "svg", "--svg-model", "gpt-5.4-minii"]),
        "[IC101] unknown text model `gpt-5.4-minii`",
    );
    refused(
        &svg(&["--svg-model", "gpt-5.4-mini"]),
        "[IC106] an SVG author applies to svg output only",
    );
}

#[test]
fn complexity_is_accepted_at_no_charge_on_2_6_only() {
    let base = [
        "--model",
        "gpt-image-2.6-sunburst",
        "--size",
        "1024x1024",
        "--quality",
        "low",
    ];
    let plain = quote(&base);
    for complexity in ["low", "medium", "high"] {
        let mut args = base.to_vec();
        args.extend_from_slice(&["--complexity", complexity]);
        assert_eq!(quote(&args)["usd"], plain["usd"], "{complexity}");
    }
    refused(
        &[
            "--model",
            "gpt-image-2",
            "--size",
            "1024x1024",
            "--quality",
            "low",
            "--complexity",
            "low",
        ],
        "[IC106] gpt-image-2 does not take `complexity`",
    );
    let mut bogus = base.to_vec();
    bogus.extend_from_slice(&["--complexity", "extreme"]);
    refused(&bogus, "--complexity");
}

#[test]
fn batch_on_2_6_is_refused_not_priced_at_standard() {
    refused(
        &[
            "--model",
            "gpt-image-2.6-flare",
            "--size",
            "1024x1024",
            "--quality",
            "low",
            "--batch",
        ],
        "[IC107] gpt-image-2.6-flare is not offered through the Batch API",
    );
}

const MAINLINE: &str = "version: 1\nproject: demo\nowner: \"@acme/web\"\nworkflows:\n  chat-images:\n    endpoint: responses\n    model: gpt-image-2\n    request: { size: 1024x1024, quality: low }\n    volume: { requests_per_month: 100 }\n    mainline: { model: MODEL, input_tokens: 1000, output_tokens: 200 }\n    budget: { monthly_usd: 10 }\n";

/// `check` of a `responses` workflow whose mainline model is `model`, as JSON.
fn mainline(model: &str, extra: &[&str], status: i32) -> serde_json::Value {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend_from_slice(extra);
    Test::new()
        .file("imgcost.yaml", MAINLINE.replace("MODEL", model))
        .args(args)
        .run()
        .status(status)
        .json()
}

fn findings<'a>(report: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect()
}

#[test]
fn mainline_gpt_5_warns_until_its_shutdown_and_fails_from_it() {
    // The deprecations page: gpt-5 shuts down on 2026-12-11 (notice of 2026-06-11).
    let before = mainline("gpt-5", &["--as-of", "2026-12-10"], 0);
    assert_eq!(before["ratecard"], "openai-2026-12-01");
    let warned = findings(&before, "IC103");
    assert_eq!(warned.len(), 1);
    assert_eq!(warned[0]["severity"], "warning");
    assert_eq!(
        (&warned[0]["line"], &warned[0]["column"]),
        (&10.into(), &24.into())
    );
    assert_eq!(
        warned[0]["message"],
        "the mainline model gpt-5 shuts down on 2026-12-11 (in 1 day; announced 2026-06-11); replacement: gpt-5.6-sol (or gpt-6.1-sol, not priced by this card)"
    );
    assert!(findings(&before, "IC102").is_empty());

    let after = mainline("gpt-5", &["--as-of", "2026-12-11"], 1);
    let failed = findings(&after, "IC102");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["severity"], "error");
    assert_eq!(
        (&failed[0]["line"], &failed[0]["column"]),
        (&10.into(), &24.into())
    );
    assert_eq!(failed[0]["end_column"], 29);
    assert_eq!(
        failed[0]["message"],
        "the mainline model gpt-5 was shut down on 2026-12-11; use gpt-5.6-sol (or gpt-6.1-sol, not priced by this card)"
    );
    assert!(findings(&after, "IC103").is_empty());
}

#[test]
fn the_dated_snapshot_and_the_smaller_models_shut_down_too() {
    let snapshot = mainline("gpt-5-nano-2025-08-07", &["--as-of", "2026-12-11"], 1);
    assert_eq!(
        findings(&snapshot, "IC102")[0]["message"],
        "the mainline model gpt-5-nano was shut down on 2026-12-11; use gpt-5.6-luna"
    );
    let mini = mainline("gpt-5-mini", &["--as-of", "2026-12-01"], 0);
    assert_eq!(
        findings(&mini, "IC103")[0]["message"],
        "the mainline model gpt-5-mini shuts down on 2026-12-11 (in 10 days; announced 2026-06-11); replacement: gpt-5.6-terra (or gpt-6.1-terra, not priced by this card)"
    );
}

#[test]
fn ic103_warns_from_the_announcement_under_the_notice_policy() {
    // The card's notice policy has no horizon: IC103 from the day of the notice, 183 days out.
    let card = ["--ratecard", "openai-2026-12-01"];
    let day_before = mainline(
        "gpt-5",
        &[&card[..], &["--as-of", "2026-06-10"]].concat(),
        0,
    );
    assert!(findings(&day_before, "IC103").is_empty());
    let announced = mainline(
        "gpt-5",
        &[&card[..], &["--as-of", "2026-06-11"]].concat(),
        0,
    );
    let warned = findings(&announced, "IC103");
    assert_eq!(warned.len(), 1);
    assert!(
        warned[0]["message"]
            .as_str()
            .unwrap()
            .contains("(in 183 days; announced 2026-06-11)")
    );
    // The card of 2026-11-23 knew of no text-model shutdown.
    let old = mainline("gpt-5", &["--as-of", "2026-11-25"], 0);
    assert_eq!(old["ratecard"], "openai-2026-11-23");
    assert!(findings(&old, "IC103").is_empty());
}

#[test]
fn as_of_crosses_an_effective_from_boundary_within_one_card() {
    // gpt-5.6-sol: $4 / $20 per 1M through 2026-11-21 (promotion), then the launch price $5 / $30
    // (the conservative figure). 100 calls × (1 000 in, 200 out).
    let card = ["--ratecard", "openai-2026-12-01"];
    let last_promo = mainline(
        "gpt-5.6-sol",
        &[&card[..], &["--as-of", "2026-11-21"]].concat(),
        0,
    );
    assert_eq!(last_promo["workflows"][0]["cost_usd"]["mainline"], "0.80");
    let after = mainline(
        "gpt-5.6-sol",
        &[&card[..], &["--as-of", "2026-11-22"]].concat(),
        0,
    );
    assert_eq!(after["workflows"][0]["cost_usd"]["mainline"], "1.10");
    // `explain` names the record that applied.
    Test::new()
        .file("imgcost.yaml", MAINLINE.replace("MODEL", "gpt-5.6-sol"))
        .args([
            "explain",
            "demo/chat-images",
            "--ratecard",
            "openai-2026-12-01",
            "--as-of",
            "2026-11-21",
        ])
        .run()
        .status(0)
        .stdout_has("gpt-5.6-sol's mainline rates: record 2 of 3, in force from 2026-08-21 through 2026-11-21");
}

#[test]
fn manifest_fields_of_2_6_are_priced_and_checked_where_written() {
    let manifest = "version: 1\nproject: demo\nowner: \"@acme/web\"\nworkflows:\n  loops:\n    model: gpt-image-2.6-sunburst\n    request: { size: 816x816, quality: high, output_format: gif, frames: 12, complexity: low }\n    volume: { requests_per_month: 1000 }\n    budget: { monthly_usd: 1000 }\n  still:\n    model: gpt-image-2.6-sunburst\n    request: { size: 1024x1024, quality: high, frames: 4 }\n    volume: { requests_per_month: 1000 }\n    budget: { monthly_usd: 1000 }\n";
    let report = Test::new()
        .file("imgcost.yaml", manifest)
        .args(["check", ".", "--format", "json", "--as-of", "2026-12-06"])
        .run()
        .status(1)
        .json();
    // 1 000 × 4 316 tokens × $30 per 1M.
    assert_eq!(report["workflows"][0]["id"], "demo/loops");
    assert_eq!(report["workflows"][0]["monthly_usd"], "129.48");
    let rejected = findings(&report, "IC106");
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        (&rejected[0]["line"], &rejected[0]["column"]),
        (&12.into(), &56.into())
    );
    assert_eq!(
        rejected[0]["message"],
        "`frames` applies to gif output only"
    );
}

#[test]
fn frames_out_of_range_are_schema_errors_at_the_value() {
    let manifest = "version: 1\nproject: demo\nworkflows:\n  loops:\n    model: gpt-image-2.6-sunburst\n    request: { size: 720x720, quality: low, output_format: gif, frames: 17 }\n    volume: { requests_per_month: 1 }\n";
    let report = Test::new()
        .file("imgcost.yaml", manifest)
        .args(["check", ".", "--format", "json", "--as-of", "2026-12-06"])
        .run()
        .status(1)
        .json();
    let schema = findings(&report, "IC002");
    assert_eq!(schema.len(), 1);
    assert_eq!(
        (&schema[0]["line"], &schema[0]["column"]),
        (&6.into(), &73.into())
    );
}

/// The built-in card of 2026-12-01 under another id, with one edit.
fn edited_card(from: &str, to: &str) -> String {
    let card =
        std::fs::read_to_string(crate::test::repo().join("ratecards/openai-2026-12-01.yaml"))
            .expect("the card");
    assert!(card.contains(from), "{from}");
    card.replacen("id: openai-2026-12-01", "id: acme-dated", 1)
        .replacen(from, to, 1)
}

#[test]
fn dated_records_that_overlap_or_run_backwards_make_a_card_invalid() {
    let overlap = edited_card(
        "      - effective_from: 2026-11-22\n",
        "      - effective_from: 2026-11-21\n",
    );
    Test::new()
        .file("card.yaml", overlap)
        .args(["ratecard", "validate", "card.yaml", "--color", "never"])
        .run()
        .status(1)
        .stdout_has("record 3 (from 2026-11-21) does not start after record 2 (from 2026-08-21")
        .stdout_has("card.yaml:787:9");
    let backwards = edited_card(
        "      - effective_from: 2026-08-21\n        effective_until: 2026-11-21\n",
        "      - effective_from: 2026-11-21\n        effective_until: 2026-08-21\n",
    );
    Test::new()
        .file("card.yaml", backwards)
        .args(["ratecard", "validate", "card.yaml", "--color", "never"])
        .run()
        .status(1)
        .stdout_has("`effective_until` 2026-08-21 is before `effective_from` 2026-11-21")
        .stdout_has("card.yaml:782:9");
}

#[test]
fn a_day_no_record_covers_is_not_priced() {
    let gap = edited_card(
        "      - effective_from: 2026-11-22\n",
        "      - effective_from: 2026-11-25\n",
    );
    let report = Test::new()
        .file("imgcost.yaml", MAINLINE.replace("MODEL", "gpt-5.6-sol"))
        .file("card.yaml", gap)
        .args([
            "check",
            ".",
            "--format",
            "json",
            "--ratecard",
            "card.yaml",
            "--as-of",
            "2026-11-23",
        ])
        .run()
        .status(1)
        .json();
    let unpriced = findings(&report, "IC107");
    assert_eq!(unpriced.len(), 1);
    assert_eq!(
        (&unpriced[0]["line"], &unpriced[0]["column"]),
        (&10.into(), &24.into())
    );
    assert_eq!(
        unpriced[0]["message"],
        "rate card acme-dated has no mainline rates for gpt-5.6-sol in force on 2026-11-23 (its records: through 2026-08-20; from 2026-08-21 through 2026-11-21; from 2026-11-25)"
    );
    assert_eq!(
        report["workflows"][0]["monthly_usd"],
        serde_json::Value::Null
    );
}

#[test]
fn ratecard_diff_lists_one_changed_price_as_one_change() {
    let cheaper = edited_card(
        "standard: { input: 2.00, cached_input: 0.20, output: 12.00 }",
        "standard: { input: 2.00, cached_input: 0.20, output: 11.00 }",
    );
    Test::new()
        .file("card.yaml", cheaper)
        .args(["ratecard", "diff", "openai-2026-12-01", "card.yaml"])
        .run()
        .status(0)
        .stdout_has("Rate card openai-2026-12-01 -> acme-dated: 1 change\n\ntext model gpt-5.6-terra\n  ~ rates: through 2026-07-29: standard input 2.5, cached 0.25, output 15 [medium] | from 2026-07-30: standard input 2, cached 0.2, output 12 [medium]\n      -> through 2026-07-29: standard input 2.5, cached 0.25, output 15 [medium] | from 2026-07-30: standard input 2, cached 0.2, output 11 [medium]\n");
    Test::new()
        .args(["ratecard", "diff", "openai-2026-12-01", "openai-2026-12-01"])
        .run()
        .status(0)
        .stdout_has("Rate card openai-2026-12-01 -> openai-2026-12-01: 0 changes\n");
}

#[test]
fn ratecard_diff_fails_the_run_on_a_card_it_cannot_read() {
    Test::new()
        .args(["ratecard", "diff", "openai-2026-12-01", "missing.yaml"])
        .run()
        .status(2)
        .stderr_has("`missing.yaml` is neither a built-in rate card");
    // Hostile: an id with a terminal escape is refused by the card's schema, located.
    let escaped = edited_card("currency: USD", "currency: USD").replacen(
        "id: acme-dated",
        "id: \"acme\\e[31m\"",
        1,
    );
    Test::new()
        .file("card.yaml", escaped)
        .args([
            "ratecard",
            "diff",
            "openai-2026-12-01",
            "card.yaml",
            "--color",
            "never",
        ])
        .run()
        .status(2)
        .stdout_has("error[IC002]: `\"acme\\e[31m\"` does not match the pattern")
        .stdout_has("card.yaml:11:5");
}

const LISTED: &str = r#"{"object": "list", "data": [
 {"id": "gpt-5", "object": "model", "created": 1754500000, "owned_by": "system", "shutdown_date": "2026-12-11"},
 {"id": "gpt-image-2", "object": "model", "created": 1776700000, "owned_by": "system", "shutdown_date": null},
 {"id": "gpt-5.4-mini", "object": "model", "created": 1770000000, "owned_by": "system", "shutdown_date": "2027-03-01"}
]}"#;

fn api_shutdowns(model: &str, models_file: &str, as_of: &str, status: i32) -> String {
    let output = Test::new()
        .file("imgcost.yaml", MAINLINE.replace("MODEL", model))
        .file("models.json", models_file)
        .args([
            "ratecard",
            "shutdowns",
            "--models",
            "models.json",
            "--as-of",
            as_of,
        ])
        .run();
    output.status(status);
    output.stdout.clone()
}

#[test]
fn api_shutdowns_the_card_knows_pass_and_others_fail() {
    // The snapshot is found in the listing under the card's id for it.
    assert_eq!(
        api_shutdowns("gpt-5-2025-08-07", LISTED, "2026-12-06", 0),
        "Models the manifests call with a shutdown date in the API's model list: 1 (rate card openai-2026-12-01, as of 2026-12-06)\n  gpt-5-2025-08-07 shuts down 2026-12-11 (the card agrees); used by demo/chat-images\n"
    );
    // The card of 2026-11-23 did not know it.
    assert_eq!(
        api_shutdowns("gpt-5", LISTED, "2026-11-25", 1),
        "Models the manifests call with a shutdown date in the API's model list: 1 (rate card openai-2026-11-23, as of 2026-11-25)\n  gpt-5 shuts down 2026-12-11 (the card does not know: update the card); used by demo/chat-images\n"
    );
    // A shutdown no card knows, and a day past a shutdown.
    assert!(
        api_shutdowns("gpt-5.4-mini", LISTED, "2026-12-06", 1)
            .contains("  gpt-5.4-mini shuts down 2027-03-01 (the card does not know: update the card); used by demo/chat-images\n")
    );
    assert!(
        api_shutdowns("gpt-5", LISTED, "2026-12-11", 1)
            .contains("  gpt-5 shut down 2026-12-11 (the card agrees)")
    );
    // A model the listing lacks is named, and fails the run: a retired model leaves the list,
    // so its absence is no all-clear (found by an attacker's review).
    assert!(api_shutdowns("gpt-5.5", LISTED, "2026-12-06", 1).ends_with(
        "not in the API's list (retired, or not visible to the key that listed it): gpt-5.5\n"
    ));
}

#[test]
fn unreadable_model_listings_fail_the_run() {
    for (file, why) in [
        // Hostile: a second entry would hide the first one's date (found by review).
        (
            r#"{"data": [{"id": "gpt-image-2", "shutdown_date": "2026-12-03"}, {"id": "gpt-image-2", "shutdown_date": null}]}"#,
            "data[1] (`gpt-image-2`): the model is listed twice; a listing names each model once",
        ),
        ("{", "not JSON"),
        ("[]", "no `data` array"),
        (r#"{"data": [{"id": 5}]}"#, "data[0] has no string `id`"),
        (
            r#"{"data": [{"id": "gpt-5", "shutdown_date": "12/11/2026"}]}"#,
            "data[0] (`gpt-5`): `shutdown_date` 12/11/2026 is not a date (YYYY-MM-DD)",
        ),
    ] {
        Test::new()
            .file("imgcost.yaml", MAINLINE.replace("MODEL", "gpt-5"))
            .file("models.json", file)
            .args([
                "ratecard",
                "shutdowns",
                "--models",
                "models.json",
                "--as-of",
                "2026-12-06",
            ])
            .run()
            .status(2)
            .stderr_has("cannot read models file models.json: ")
            .stderr_has(why);
    }
}

#[test]
fn svg_and_complexity_in_a_manifest_are_priced_or_refused_where_written() {
    let manifest = "version: 1\nproject: demo\nowner: \"@acme/web\"\nworkflows:\n  vectors:\n    model: gpt-image-2.6-sunburst\n    request: { size: 1024x1024, quality: medium, output_format: svg, complexity: high }\n    svg: { model: gpt-5.4-mini, input_tokens: 1200, output_tokens: 3000 }\n    volume: { requests_per_month: 1000 }\n    budget: { monthly_usd: 1000 }\n  stray:\n    model: gpt-image-2\n    request: { size: 1024x1024, quality: low, complexity: low }\n    svg: { model: gpt-5.4-mini }\n    volume: { requests_per_month: 1 }\n    budget: { monthly_usd: 1 }\n  unwritten:\n    model: gpt-image-2.6-flare\n    request: { size: 1024x1024, quality: low, output_format: svg }\n    volume: { requests_per_month: 1 }\n    budget: { monthly_usd: 1 }\n";
    let report = Test::new()
        .file("imgcost.yaml", manifest)
        .args(["check", ".", "--format", "json", "--as-of", "2026-12-06"])
        .run()
        .status(1)
        .json();
    // 1 000 × (1 756 × $30 + 1 200 × $0.75 + 3 000 × $4.50) per 1M = $67.08.
    assert_eq!(report["workflows"][0]["id"], "demo/vectors");
    assert_eq!(report["workflows"][0]["monthly_usd"], "67.08");
    let rejected: Vec<(u64, u64, &str)> = findings(&report, "IC106")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        vec![
            (13, 59, "gpt-image-2 does not take `complexity`"),
            (
                14,
                10,
                "`svg` (the model that writes an SVG) applies to svg output only"
            ),
        ]
    );
    let unpriced = findings(&report, "IC107");
    assert_eq!(unpriced.len(), 1);
    assert_eq!(
        (&unpriced[0]["line"], &unpriced[0]["column"]),
        (&19.into(), &62.into())
    );
    assert_eq!(unpriced[0]["workflow"], "demo/unwritten");
}

#[test]
fn malformed_svg_and_complexity_are_schema_errors_at_their_place() {
    let manifest = "version: 1\nproject: demo\nworkflows:\n  vectors:\n    model: gpt-image-2.6-sunburst\n    request: { size: 1024x1024, quality: low, output_format: svg, complexity: extreme }\n    svg: { model: gpt-5.4-mini, colour: red }\n    volume: { requests_per_month: 1 }\n";
    let report = Test::new()
        .file("imgcost.yaml", manifest)
        .args(["check", ".", "--format", "json", "--as-of", "2026-12-06"])
        .run()
        .status(1)
        .json();
    let places: Vec<(u64, u64)> = findings(&report, "IC002")
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(places, vec![(6, 79), (7, 33)]);
}

#[test]
fn replacements_named_only_by_sources_are_still_named() {
    // A card that names gpt-5-nano's replacements only under `lifecycle.also_named`.
    let card = edited_card(
        "    replacement: gpt-5.6-luna\n    lifecycle:\n      announced: 2026-06-11\n",
        "    lifecycle:\n      announced: 2026-06-11\n      also_named: [gpt-5.6-luna, gpt-6.1-nano]\n",
    );
    let report = Test::new()
        .file("imgcost.yaml", MAINLINE.replace("MODEL", "gpt-5-nano"))
        .file("card.yaml", card)
        .args([
            "check",
            ".",
            "--format",
            "json",
            "--ratecard",
            "card.yaml",
            "--as-of",
            "2026-12-11",
        ])
        .run()
        .status(1)
        .json();
    assert_eq!(
        findings(&report, "IC102")[0]["message"],
        "the mainline model gpt-5-nano was shut down on 2026-12-11; the sources name gpt-5.6-luna or gpt-6.1-nano (not priced by this card)"
    );
}

#[test]
fn inconsistent_2_6_rules_make_a_card_invalid_at_their_place() {
    let unordered = edited_card(
        "        - { up_to: 12, columns: 4, rows: 3 }\n",
        "        - { up_to: 8, columns: 4, rows: 3 }\n",
    );
    Test::new()
        .file("card.yaml", unordered)
        .args(["ratecard", "validate", "card.yaml", "--color", "never"])
        .run()
        .status(1)
        .stdout_has(
            "error[IC002]: a gif rule needs a calculator output rule, sheets in increasing `up_to`",
        )
        .stdout_has("card.yaml:262:5");
    let unmeasured = edited_card(
        "      quality_rule: measured\n      measured: { tokens: 5800, size: 1024x1024 }\n",
        "      quality_rule: measured\n",
    );
    Test::new()
        .file("card.yaml", unmeasured)
        .args(["ratecard", "validate", "card.yaml", "--color", "never"])
        .run()
        .status(1)
        .stdout_has("error[IC002]: `measured` goes with `quality_rule: measured`, and only with it")
        .stdout_has("card.yaml:380:5");
    let unpriced_replacement = edited_card(
        "    replacement: gpt-5.6-luna\n",
        "    replacement: gpt-6.1-luna\n",
    );
    Test::new()
        .file("card.yaml", unpriced_replacement)
        .args(["ratecard", "validate", "card.yaml", "--color", "never"])
        .run()
        .status(1)
        .stdout_has("error[IC002]: replacement `gpt-6.1-luna` is not a text model of this card")
        .stdout_has("card.yaml:765:5");
}

/// Hostile: `frames` or an `svg:` author on a model whose card has no GIF or SVG rule
/// (gpt-image-2.5-flare lists both formats but prices neither) was priced as one still image,
/// the frames and the author's tokens dropped. They are IC107 at their place, never a lower
/// figure.
#[test]
fn frames_and_an_svg_author_the_card_cannot_price_are_refused() {
    let manifest = "version: 1
workflows:
  svg:
    model: gpt-image-2.5-flare
    request: {size: 1024x1024, quality: high, output_format: svg}
    svg: {model: gpt-5.5, input_tokens: 1000, output_tokens: 100000}
    volume: {requests_per_month: 1000}
  gif:
    model: gpt-image-2.5-flare
    request: {size: 1024x1024, quality: high, output_format: gif, frames: 16}
    volume: {requests_per_month: 1000}
";
    let report = Test::new()
        .file("f/imgcost.yaml", manifest)
        .args(["check", ".", "--as-of", "2026-12-06", "--format", "json"])
        .run()
        .status(1)
        .json();
    let ic107 = findings(&report, "IC107");
    let places: Vec<(u64, u64)> = ic107
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(places, [(6, 10), (10, 75)], "{ic107:#?}");
    assert!(
        ic107[0]["message"]
            .as_str()
            .unwrap()
            .contains("no SVG rule for gpt-image-2.5-flare")
    );
    assert!(
        ic107[1]["message"]
            .as_str()
            .unwrap()
            .contains("no GIF rule for gpt-image-2.5-flare")
    );
    assert_eq!(
        report["summary"]["unpriced_workflows"], 2,
        "{}",
        report["summary"]
    );
}
