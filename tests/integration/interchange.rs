//! `imgcost ratecard export` and `ratecard compare` (issue 16): the card's token rates in
//! LiteLLM's and genai-prices' shapes, read back with zero disagreements, one changed price found
//! as exactly one disagreement, and hostile files failing the run (exit 2) or listed escaped.

use crate::test::Test;

fn export(library: &str) -> String {
    let output = Test::new()
        .args([
            "ratecard",
            "export",
            "--format",
            library,
            "--as-of",
            "2026-12-06",
        ])
        .run();
    output.status(0);
    output.stdout.clone()
}

fn compare(file: impl AsRef<[u8]>, status: i32) -> String {
    let output = Test::new()
        .file("prices.json", file)
        .args([
            "ratecard",
            "compare",
            "prices.json",
            "--as-of",
            "2026-12-06",
        ])
        .run();
    output.status(status);
    output.stdout.clone()
}

#[test]
fn an_export_round_trips_through_compare_in_both_shapes() {
    for library in ["litellm", "genai-prices"] {
        let stdout = compare(export(library), 0);
        assert_eq!(
            stdout,
            format!(
                "Rate card openai-2026-12-01 against a {library} file: 20 models compared, 0 disagreements (prices in USD per 1M tokens)\n"
            )
        );
    }
}

#[test]
fn a_changed_price_is_exactly_one_disagreement() {
    // gpt-image-2's image output, $30 per 1M, made $32 in each shape.
    let litellm = export("litellm");
    let edited = litellm.replacen(
        "\"output_cost_per_image_token\": 0.00003,\n    \"output_cost_per_image_token_batches\": 0.000015,\n    \"litellm_provider\": \"openai\",\n    \"mode\": \"image_generation\",\n    \"source\": \"imgcost rate card openai-2026-12-01\"\n  },\n  \"gpt-image-2-2026-04-21\"",
        "\"output_cost_per_image_token\": 0.000032,\n    \"output_cost_per_image_token_batches\": 0.000015,\n    \"litellm_provider\": \"openai\",\n    \"mode\": \"image_generation\",\n    \"source\": \"imgcost rate card openai-2026-12-01\"\n  },\n  \"gpt-image-2-2026-04-21\"",
        1,
    );
    assert_ne!(edited, litellm);
    assert_eq!(
        compare(edited, 1),
        "Rate card openai-2026-12-01 against a litellm file: 20 models compared, 1 disagreement (prices in USD per 1M tokens)\n  gpt-image-2 output_cost_per_image_token: card 30, file 32\n"
    );
    let genai = export("genai-prices");
    let marker = "\"id\": \"gpt-image-2\",";
    let at = genai.find(marker).expect("gpt-image-2");
    let (head, tail) = genai.split_at(at);
    let edited = format!(
        "{head}{}",
        tail.replacen("\"output_mtok\": 30.0", "\"output_mtok\": 32.0", 1)
    );
    assert_eq!(
        compare(edited, 1),
        "Rate card openai-2026-12-01 against a genai-prices file: 20 models compared, 1 disagreement (prices in USD per 1M tokens)\n  gpt-image-2 output_mtok: card 30, file 32\n"
    );
}

#[test]
fn unreadable_price_files_fail_the_run() {
    for (text, why) in [
        ("{not json", "not JSON"),
        ("42", "neither a LiteLLM file"),
        (
            "[{\"id\": \"anthropic\", \"models\": []}]",
            "without an `openai` provider",
        ),
        // Hostile: an empty file compares nothing, and nothing compared is no all-clear (found
        // by an attacker's review).
        (
            "{}",
            "the litellm file has none of the card's 20 models: nothing was compared",
        ),
        (
            "[{\"id\": \"openai\", \"models\": []}]",
            "the genai-prices file has none of the card's 20 models: nothing was compared",
        ),
    ] {
        Test::new()
            .file("prices.json", text)
            .args([
                "ratecard",
                "compare",
                "prices.json",
                "--as-of",
                "2026-12-06",
            ])
            .run()
            .status(2)
            .stderr_has("cannot read price file prices.json: ")
            .stderr_has(why);
    }
    Test::new()
        .args([
            "ratecard",
            "compare",
            "absent.json",
            "--as-of",
            "2026-12-06",
        ])
        .run()
        .status(2)
        .stderr_has("cannot read price file absent.json");
    Test::new()
        .file("prices.json", b"{\"a\": \"\xff\"}".as_slice())
        .args([
            "ratecard",
            "compare",
            "prices.json",
            "--as-of",
            "2026-12-06",
        ])
        .run()
        .status(2)
        .stderr_has("not UTF-8");
}

#[test]
fn hostile_values_are_disagreements_written_escaped() {
    let file = r#"{"gpt-5-nano": {"input_cost_per_token": "5e-08", "cache_read_input_token_cost": 1e300,
        "output_cost_per_token": -4e-07, "deprecation_date": "2026-12-11",
        "successor_model": "gpt-5.6-luna\u001b[31m", "input_cost_per_token_batches": 2.5e-08,
        "cache_read_input_token_cost_batches": 2.5e-09, "output_cost_per_token_batches": 2e-07}}"#;
    let stdout = compare(file, 1);
    assert!(
        stdout.contains("1 model compared, 4 disagreements"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  gpt-5-nano input_cost_per_token: card 0.05, file not a price: \"5e-08\"\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  gpt-5-nano cache_read_input_token_cost: card 0.005, file not a price: 1e+300\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("  gpt-5-nano output_cost_per_token: card 0.4, file not a price: -4e-7\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  gpt-5-nano successor_model: card gpt-5.6-luna, file gpt-5.6-luna\\u{1b}[31m\n"
        ),
        "{stdout}"
    );
}
