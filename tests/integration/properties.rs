//! Property tests of the projection (proptest): it is linear in requests, monotone in n and in
//! the retry rate, Batch costs exactly half where the card's Batch rates are half, and no valid
//! input makes it panic.

use imgcost::{
    Dimensions, Endpoint, InputImage, Inputs, Latency, Quality, RateCard, Request, Size, Volume,
    WorkflowSpec, project,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn card() -> &'static RateCard {
    &RateCard::builtin()[0]
}

/// The day the card is read at: within the first built-in card's time.
fn as_of() -> imgcost::Date {
    imgcost::Date::from_ymd(2026, 11, 25).expect("a date")
}

/// Models whose Batch rates are exactly half of Standard in the card.
const HALF_PRICE_BATCH: &[&str] = &[
    "gpt-image-2",
    "gpt-image-2.5-sunburst",
    "gpt-image-2.5-flare",
    "gpt-image-1-mini",
];

fn model() -> impl Strategy<Value = (&'static str, Quality, Dimensions)> {
    let legacy_sizes = prop_oneof![
        Just(Dimensions::new(1024, 1024)),
        Just(Dimensions::new(1024, 1536)),
        Just(Dimensions::new(1536, 1024))
    ];
    let custom_sizes = (40u32..=160, 40u32..=160)
        .prop_map(|(w, h)| Dimensions::new(w * 16, h * 16))
        .prop_filter("valid custom size", |d| {
            d.long_edge() <= 3 * d.short_edge()
                && (655_360..=8_294_400).contains(&d.pixels())
                && d.long_edge() <= 3840
        });
    let q2 = prop_oneof![
        Just(Quality::Low),
        Just(Quality::Medium),
        Just(Quality::High)
    ];
    let q25 = prop_oneof![
        Just(Quality::Low),
        Just(Quality::Medium),
        Just(Quality::High),
        Just(Quality::Xhigh),
        Just(Quality::Max)
    ];
    prop_oneof![
        (q2.clone(), custom_sizes.clone()).prop_map(|(q, s)| ("gpt-image-2", q, s)),
        (q25.clone(), custom_sizes.clone()).prop_map(|(q, s)| ("gpt-image-2.5-sunburst", q, s)),
        (q25, custom_sizes).prop_map(|(q, s)| ("gpt-image-2.5-flare", q, s)),
        (q2.clone(), legacy_sizes.clone()).prop_map(|(q, s)| ("gpt-image-1.5", q, s)),
        (q2, legacy_sizes).prop_map(|(q, s)| ("gpt-image-1-mini", q, s)),
    ]
}

fn cents(max: i64) -> impl Strategy<Value = Decimal> {
    (0..=max).prop_map(|c| Decimal::new(c, 2))
}

#[derive(Debug, Clone)]
struct Case {
    model: &'static str,
    quality: Quality,
    size: Dimensions,
    n: u32,
    requests: Decimal,
    retry_rate: Decimal,
    accepted: Decimal,
    prompt_tokens: Decimal,
    images: Vec<Dimensions>,
    partial_images: u32,
    batch: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        model(),
        1u32..=10,
        0i64..=5_000_000,
        cents(300),
        1i64..=100,
        0i64..=5000,
        prop::collection::vec(
            (16u32..=4000, 16u32..=4000).prop_map(|(w, h)| Dimensions::new(w, h)),
            0..3,
        ),
        0u32..=3,
        any::<bool>(),
    )
        .prop_map(
            |(
                (model, quality, size),
                n,
                requests,
                retry_rate,
                accepted,
                prompt,
                images,
                partial_images,
                batch,
            )| Case {
                model,
                quality,
                size,
                n,
                requests: Decimal::from(requests),
                retry_rate,
                accepted: Decimal::new(accepted, 2),
                prompt_tokens: Decimal::from(prompt),
                images,
                partial_images,
                batch,
            },
        )
}

impl Case {
    fn spec(&self) -> WorkflowSpec {
        WorkflowSpec {
            has_description: false,
            has_owner: false,
            has_labels: false,
            endpoint: if self.images.is_empty() {
                Endpoint::ImagesGenerate
            } else {
                Endpoint::ImagesEdit
            },
            model: self.model.to_owned(),
            batch: self.batch,
            latency: Latency::Interactive,
            request: Request {
                size: Size::Exact(self.size),
                quality: self.quality,
                n: self.n,
                partial_images: self.partial_images,
                ..Request::default()
            },
            volume: Volume {
                requests_per_month: self.requests,
                retry_rate: self.retry_rate,
                accepted_fraction: self.accepted,
            },
            inputs: Inputs {
                prompt_tokens: self.prompt_tokens,
                cached_fraction: Decimal::ZERO,
                images: self
                    .images
                    .iter()
                    .map(|&size| InputImage {
                        size,
                        per_request: Decimal::ONE,
                    })
                    .collect(),
            },
            mainline: None,
            svg: None,
            budget: None,
            attribution: None,
        }
    }

    fn monthly(&self) -> Decimal {
        project(&self.spec(), card(), as_of(), None)
            .unwrap_or_else(|e| panic!("{self:?}: {e:?}"))
            .monthly_usd
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn cost_is_linear_in_requests(case in case(), factor in 1i64..=50) {
        let scaled = Case { requests: case.requests * Decimal::from(factor), ..case.clone() };
        prop_assert_eq!(scaled.monthly(), case.monthly() * Decimal::from(factor));
    }

    #[test]
    fn cost_is_monotone_in_n(case in case()) {
        prop_assume!(case.n < 10);
        let more = Case { n: case.n + 1, ..case.clone() };
        prop_assert!(more.monthly() >= case.monthly());
    }

    #[test]
    fn cost_is_monotone_in_retry_rate(case in case(), extra in cents(100)) {
        let more = Case { retry_rate: case.retry_rate + extra, ..case.clone() };
        prop_assert!(more.monthly() >= case.monthly());
    }

    #[test]
    fn batch_is_half_of_standard_where_the_card_says_so(case in case()) {
        prop_assume!(HALF_PRICE_BATCH.contains(&case.model));
        let standard = Case { batch: false, ..case.clone() }.monthly();
        let batch = Case { batch: true, ..case }.monthly();
        prop_assert_eq!(batch * Decimal::TWO, standard);
    }

    #[test]
    fn any_numbers_price_or_fail_cleanly(case in case(), requests in any::<u64>(), retry in any::<u32>()) {
        let huge = Case { requests: Decimal::from(requests), retry_rate: Decimal::from(retry), ..case };
        // Either a figure or an IC108 overflow finding: never a panic.
        if let Err(error) = project(&huge.spec(), card(), as_of(), None) {
            prop_assert_eq!(error.rule.code, "IC108");
        }
    }
}
