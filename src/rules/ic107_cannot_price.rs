//! IC107: the rate card cannot price this combination.
//!
//! Found by `projection::project`; this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC107: Rule = Rule {
    code: "IC107",
    name: "cannot-price",
    default_severity: Severity::Error,
    stage: Stage::Pricing,
    fail_closed: true,
    summary: "the rate card cannot price this combination",
    doc: r#"## Why it matters
A figure imgcost cannot compute is never shown as $0: that would let the budget gate pass. So a
combination the rate card has no price for is an error: Batch on a model without Batch rates
(chatgpt-image-latest, gpt-image-2.6), input images on a model without an input-image rule,
streaming on a model that does not stream, or a `responses` workflow without its `mainline`
text model.

## Example
```yaml
model: chatgpt-image-latest
batch: true                      # no Batch rates are published for this model
```

## How to fix
Follow the hint: drop the option, choose a model the card prices for it, add the missing
`mainline:`, or supply your own rate card with the price (`--ratecard FILE`).
"#,
};
