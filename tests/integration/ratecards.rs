//! `--ratecard FILE` with negotiated prices, `ratecard validate`, and invalid cards failing the
//! run with located findings.

use crate::test::{Test, repo};

fn builtin_card() -> String {
    std::fs::read_to_string(repo().join("ratecards/openai-2026-11-23.yaml")).unwrap()
}

const HERO: &str = "version: 1\nproject: storefront\nowner: \"@acme/web\"\nworkflows:\n  product-hero:\n    model: gpt-image-2\n    request: {size: 1536x1024, quality: medium, n: 2}\n    volume: {requests_per_month: 12000, retry_rate: 0.05, accepted_fraction: 0.5}\n    inputs: {prompt_tokens: 350}\n    budget: {monthly_usd: 2000}\n";

#[test]
fn a_negotiated_card_prices_with_its_own_rates() {
    // gpt-image-2 image output at $24/M instead of $30/M.
    let card = builtin_card().replacen("id: openai-2026-11-23", "id: acme-negotiated", 1).replacen(
        "standard: { text_input: 5.00, cached_text_input: 1.25, image_input: 8.00, cached_image_input: 2.00, image_output: 30.00 }",
        "standard: { text_input: 5.00, cached_text_input: 1.25, image_input: 8.00, cached_image_input: 2.00, image_output: 24.00 }",
        1,
    );
    let report = Test::new()
        .file("imgcost.yaml", HERO)
        .file("acme.yaml", card)
        .args([
            "check",
            "--ratecard",
            "acme.yaml",
            "--format",
            "json",
            "--as-of",
            "2026-11-25",
        ])
        .run()
        .status(0)
        .json();
    assert_eq!(report["ratecard"], "acme-negotiated");
    // 34 574 400 output tokens × $24/M = $829.7856; + $44.10 of text = $873.8856.
    assert_eq!(report["workflows"][0]["cost_usd"]["image_output"], "829.79");
    assert_eq!(report["workflows"][0]["monthly_usd"], "873.89");
}

#[test]
fn built_in_cards_are_chosen_by_id_and_unknown_ones_fail() {
    Test::new()
        .file("imgcost.yaml", HERO)
        .args([
            "check",
            "--ratecard",
            "openai-2026-11-23",
            "--as-of",
            "2026-01-01",
        ])
        .run()
        .status(0);
    Test::new()
        .file("imgcost.yaml", HERO)
        .args(["check", "--as-of", "2026-01-01"])
        .run()
        .status(2)
        .stderr_has("no built-in rate card is effective on 2026-01-01");
    Test::new()
        .file("imgcost.yaml", HERO)
        .args(["check", "--ratecard", "acme"])
        .run()
        .status(2)
        .stderr_has("`acme` is neither a built-in rate card (openai-2026-11-23, openai-2026-12-01) nor a file");
}

#[test]
fn an_invalid_card_fails_the_run_with_its_place() {
    let card = builtin_card().replacen("image_output: 30.00 }", "image_output: -30.00 }", 1);
    Test::new()
        .file("imgcost.yaml", HERO)
        .file("bad.yaml", card)
        .args(["check", "--ratecard", "bad.yaml", "--color", "never"])
        .run()
        .status(2)
        .stdout_has("`image_output` must be at least 0, found `-30.00`")
        .stdout_has("[bad.yaml:35:121]")
        .stderr_has("invalid rate card bad.yaml");
}

#[test]
fn ratecard_validate_reports_findings_as_findings() {
    let t = Test::new().file("good.yaml", builtin_card()).file(
        "bad.yaml",
        builtin_card().replacen(
            "replacement: gpt-image-2.6-sunburst",
            "replacement: gpt-image-9",
            1,
        ),
    );
    let t = t.args(["ratecard", "validate", "good.yaml"]);
    t.run().status(0).stdout_has(
        "good.yaml: valid rate card `openai-2026-11-23` (11 image models, 8 text models)",
    );
    let t = Test::new().file(
        "bad.yaml",
        builtin_card().replacen(
            "replacement: gpt-image-2.6-sunburst",
            "replacement: gpt-image-9",
            1,
        ),
    );
    t.args(["ratecard", "validate", "bad.yaml", "--color", "never"])
        .run()
        .status(1)
        .stdout_has("replacement `gpt-image-9` is not a model of this card");
}
