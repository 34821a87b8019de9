//! IC104: the requested size is not one the model accepts.
//!
//! Found by `projection::project` from the rate card's size rule; this file holds the rule's
//! documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC104: Rule = Rule {
    code: "IC104",
    name: "size-not-accepted",
    default_severity: Severity::Error,
    stage: Stage::Pricing,
    fail_closed: true,
    summary: "size not accepted by the model",
    doc: r#"## Why it matters
The API rejects a size the model does not accept, so the workflow would fail in production; and
a size outside the rate card's rules has no price. gpt-image-2 and later take custom sizes whose
edges are multiples of 16, at most 3840 px, with an aspect ratio up to 3:1 and between 655 360 and
8 294 400 pixels; the gpt-image-1 family takes only 1024x1024, 1024x1536 and 1536x1024.

## Example
```yaml
model: gpt-image-1.5
request: { size: 2048x2048 }    # gpt-image-1.5 accepts only three sizes
```

## How to fix
Pick a size the message lists, or `auto` (budgeted at the card's assumption, IC402), or move
to a model that accepts the size.
"#,
};
