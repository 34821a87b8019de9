//! IC103: the model shuts down within 90 days of the as-of date.

use crate::foundation::{Rule, Severity, Stage};

pub static IC103: Rule = Rule {
    code: "IC103",
    name: "model-shutting-down",
    default_severity: Severity::Warning,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "model shuts down within 90 days (names date and replacement)",
    doc: r#"## Why it matters
OpenAI gives image models at least three months' notice before a shutdown. A workflow on such a
model will stop working on a known day; migrating early leaves time to compare quality and cost.
gpt-image-1.5, gpt-image-1-mini and chatgpt-image-latest shut down on 2026-12-01.

## Example
```yaml
model: gpt-image-1.5    # shuts down 2026-12-01 (in 6 days); replacement gpt-image-2.6-sunburst
```

## How to fix
Move to the replacement and check the new projection. If migration is planned, an exemption
with an `expires` before the shutdown date keeps the warning out of the way until then.
"#,
};
