//! IC105: the requested quality is not one the model supports.
//!
//! Found by `projection::project`; this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC105: Rule = Rule {
    code: "IC105",
    name: "quality-not-supported",
    default_severity: Severity::Error,
    stage: Stage::Pricing,
    fail_closed: true,
    summary: "quality not supported by the model",
    doc: r#"## Why it matters
`xhigh` and `max` exist only on gpt-image-2.5 and later; gpt-image-2 and the 1.x models stop at
`high`. The API rejects an unsupported quality, and the rate card has no price for it.

## Example
```yaml
model: gpt-image-2
request: { quality: xhigh }     # gpt-image-2 supports low, medium, high
```

## How to fix
Use one of the qualities the message lists, or switch to a model that supports the quality
(`imgcost ratecard show MODEL` lists them).
"#,
};
