//! IC401: `quality: auto` is budgeted at the worst case.

use crate::foundation::{Rule, Severity, Stage};

pub static IC401: Rule = Rule {
    code: "IC401",
    name: "auto-quality",
    default_severity: Severity::Warning,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "`quality: auto` budgeted at worst case",
    doc: r#"## Why it matters
With `quality: auto` (the API's default when none is sent) the model picks the quality per
image, and no source says how. imgcost cannot price a choice it does not know, so it budgets at
the model's highest quality (the rate card's `auto` assumption) and says so. The real bill may be
lower; it will not be higher.

## Example
```yaml
request: { size: 1024x1024 }     # quality defaults to auto: budgeted as high on gpt-image-2
```

## How to fix
Write the quality the product needs (`quality: medium`); the projection then matches what is
billed.
"#,
};
