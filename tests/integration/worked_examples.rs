//! The shipped examples priced by `check`, each figure worked out by hand in the comments (rate
//! card openai-2026-11-23; prices per 1M tokens). `imgcost explain ID examples/` prints the same
//! steps.

use crate::test::{repo, run_in};

fn report() -> serde_json::Value {
    let args: Vec<String> = [
        "check",
        "examples/storefront",
        "examples/marketing",
        "examples/support",
        "--format",
        "json",
        "--as-of",
        "2026-11-25",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let output = run_in(&repo(), &args, &[], &[]);
    assert_eq!(output.status, 0, "{}", output.stdout);
    serde_json::from_str(&output.stdout).unwrap()
}

fn workflow<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn storefront_product_hero() {
    // gpt-image-2, medium (base 48), 1536x1024, n = 2, standard tier.
    // Short axis: 48 / (1536/1024) = 32 cells. Output per call: ceil(2 × 48 × 32 × (2 000 000 +
    // 1 572 864) / 4 000 000) = ceil(2743.96) = 2744 tokens.
    // Attempts: 12 000 × 1.05 = 12 600. Output: 12 600 × 2744 = 34 574 400 tokens × $30 = $1 037.232.
    // Text: 350 prompt tokens × n 2 (input billed per image) = 700 per call; 12 600 × 700 =
    // 8 820 000 tokens × $5 = $44.10. Total $1 081.332; accepted 12 000 × 2 × 0.5 = 12 000 images,
    // $0.090111 each.
    let report = report();
    let w = workflow(&report, "storefront/product-hero");
    assert_eq!(w["monthly_usd"], "1081.33");
    assert_eq!(w["per_accepted_image_usd"], "0.0901");
    assert_eq!(w["tokens"]["image_output"], "34574400");
    assert_eq!(w["tokens"]["text_input"], "8820000");
    assert_eq!(w["cost_usd"]["image_output"], "1037.23");
    assert_eq!(w["cost_usd"]["text_input"], "44.10");
    assert_eq!(w["volume"]["attempts"], "12600");
    assert_eq!(w["volume"]["images"], "25200");
    assert_eq!(w["volume"]["accepted_images"], "12000");
    assert_eq!(w["budget_usd"], "1200.00");
    assert_eq!(w["confidence"], "medium"); // input billed per image (n > 1) is community-measured
}

#[test]
fn storefront_thumbnails() {
    // gpt-image-2, low (base 16), 1024x1024: 16 cells, ceil(16 × 16 × 3 048 576 / 4 000 000) = 196.
    // Attempts 40 000 × 1.02 = 40 800. Output 40 800 × 196 = 7 996 800 tokens × $30 = $239.904.
    // Text 40 800 × 120 = 4 896 000 × $5 = $24.48. Total $264.384; per image 264.384 / 40 000 = $0.0066.
    let report = report();
    let w = workflow(&report, "storefront/thumbnails");
    assert_eq!(w["monthly_usd"], "264.38");
    assert_eq!(w["per_accepted_image_usd"], "0.0066");
    assert_eq!(w["tokens"]["image_output"], "7996800");
    assert_eq!(w["confidence"], "high");
}

#[test]
fn marketing_campaign_variants() {
    // gpt-image-2.5-sunburst edit, high (base 48), 2048x1152, n = 4, Batch tier.
    // Short axis: 48 / (2048/1152) = 27 cells. Output: 48 × 27 × (2 000 000 + 2 359 296) =
    // 5 649 647 616; × 4 / 4 000 000 = 5649.65 → ceil 5650 tokens a call.
    // Text: (600 + 10 per input image × 1.5 images) × 4 = 2460 a call.
    // Images: 1536x1024 → 1536 patches; 1024x1024 → 1024 × 0.5 = 512; (1536 + 512) × 4 = 8192.
    // Attempts 1500 × 1.1 = 1650. Batch: output 1650 × 5650 × $15 = $139.8375; text 1650 × 2460 ×
    // $2.50 = $10.1475; images 1650 × 8192 × $4 = $54.0672. Total $204.0522; accepted 1500 × 4 ×
    // 0.25 = 1500, $0.1360 each.
    let report = report();
    let w = workflow(&report, "marketing/campaign-variants");
    assert_eq!(w["tier"], "batch");
    assert_eq!(w["monthly_usd"], "204.05");
    assert_eq!(w["per_accepted_image_usd"], "0.1360");
    assert_eq!(w["tokens"]["image_output"], "9322500");
    assert_eq!(w["tokens"]["text_input"], "4059000");
    assert_eq!(w["tokens"]["image_input"], "13516800");
    assert_eq!(w["cost_usd"]["image_output"], "139.84");
}

#[test]
fn support_chat_illustrations() {
    // gpt-image-2 on the Responses tool, medium 1024x1024: 1756 tokens + 2 partial images × 100 =
    // 1956 a call. Attempts 30 000 × 1.03 = 30 900. Output 30 900 × 1956 = 60 440 400 × $30 = $1 813.212.
    // Text 180 a call, half cached (caching applies to the Responses tool): 2 781 000 × $5 = $13.905
    // and 2 781 000 × $1.25 = $3.47625.
    // Mainline gpt-5.4-mini: input 2500 × 30 900 = 77 250 000, 60 % cached: 30 900 000 × $0.75 =
    // $23.175 and 46 350 000 × $0.075 = $3.47625; output 400 × 30 900 = 12 360 000 × $4.50 = $55.62.
    // Total $1 912.8645; accepted 24 000, $0.0797 each. The cached-input rule is low confidence.
    let report = report();
    let w = workflow(&report, "support/chat-illustrations");
    assert_eq!(w["monthly_usd"], "1912.86");
    assert_eq!(w["per_accepted_image_usd"], "0.0797");
    assert_eq!(w["cost_usd"]["mainline"], "82.27");
    assert_eq!(w["tokens"]["mainline_cached_input"], "46350000");
    assert_eq!(w["tokens"]["cached_text_input"], "2781000");
    assert_eq!(w["confidence"], "low");
}

#[test]
fn total_is_the_sum_of_the_workflows() {
    // 1081.332 + 264.384 + 204.0522 + 1912.8645 = 3462.6327
    assert_eq!(report()["summary"]["monthly_usd"], "3462.63");
}
