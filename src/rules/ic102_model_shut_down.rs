//! IC102: the model is shut down as of the as-of date.

use crate::foundation::{Rule, Severity, Stage};

pub static IC102: Rule = Rule {
    code: "IC102",
    name: "model-shut-down",
    default_severity: Severity::Error,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "model shut down as of the as-of date",
    doc: r#"## Why it matters
Calls to a shut-down model fail: the workflow does not work at all, whatever it costs. The rate
card records each model's shutdown date and recommended replacement (gpt-image-1 shut down on
2026-10-23; dall-e-2 and dall-e-3 on 2026-05-12). The date compared is `--as-of` (today by
default), so a pinned CI run stays reproducible.

## Example
```yaml
model: gpt-image-1      # shut down 2026-10-23; use gpt-image-2.5-sunburst
```

## How to fix
Move to the replacement the message names, and check the projection again: token rules and
prices differ between models.
"#,
};
