//! IC101: the workflow names a model the rate card does not know.
//!
//! Found by `projection::project`; this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC101: Rule = Rule {
    code: "IC101",
    name: "unknown-model",
    default_severity: Severity::Error,
    stage: Stage::Pricing,
    fail_closed: true,
    summary: "unknown model",
    doc: r#"## Why it matters
A model imgcost cannot find cannot be priced, and a cost tool that prices the unknown at $0
fails open: the budget gate would pass whatever the workflow really costs. imgcost treats an
unknown model as an error, with the closest known name as a hint. The same applies to the
`mainline.model` of a `responses` workflow, looked up among the card's text models.

## Example
```yaml
workflows:
  hero:
    model: gpt-image2          # did you mean `gpt-image-2`?
    volume: { requests_per_month: 1000 }
```

## How to fix
Use a model id or alias from `imgcost ratecard list`. If the model is new and the built-in card
does not have it yet, price it with your own card: `--ratecard my-card.yaml` (see
`imgcost schema ratecard`).
"#,
};
