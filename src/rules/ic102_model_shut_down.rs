//! IC102: a model the workflow calls is shut down as of the as-of date.

use crate::foundation::{Rule, Severity, Stage};

pub static IC102: Rule = Rule {
    code: "IC102",
    name: "model-shut-down",
    default_severity: Severity::Error,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "model (image, mainline or SVG author) shut down as of the as-of date",
    doc: r#"## Why it matters
Calls to a shut-down model fail: the workflow does not work at all, whatever it costs. The rate
card records each model's shutdown date and recommended replacement (gpt-image-1 shut down on
2026-10-23; gpt-image-1.5, gpt-image-1-mini and chatgpt-image-latest on 2026-12-01; the text
models gpt-5, gpt-5-mini and gpt-5-nano on 2026-12-11). Every model a workflow calls is
checked: its image model, the `mainline` model of a `responses` workflow, and the `svg` model
that writes an SVG. The date compared is `--as-of` (today by default), so a pinned CI run stays
reproducible. The help names the card's replacement, the others the sources name (and whether
the card prices them), and the shutdown record's source and confidence.

## Example
```yaml
model: gpt-image-1      # shut down 2026-10-23; use gpt-image-2.5-sunburst
mainline: { model: gpt-5, input_tokens: 1000, output_tokens: 200 }
                        # from 2026-12-11: use gpt-5.6-sol (or gpt-6.1-sol, not priced by this card)
```

## How to fix
Move to the replacement the message names, and check the projection again: token rules and
prices differ between models.
"#,
};
