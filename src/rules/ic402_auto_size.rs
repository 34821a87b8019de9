//! IC402: `size: auto` is budgeted at the rate card's assumption.

use crate::foundation::{Rule, Severity, Stage};

pub static IC402: Rule = Rule {
    code: "IC402",
    name: "auto-size",
    default_severity: Severity::Warning,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "`size: auto` budgeted at the card's assumption",
    doc: r#"## Why it matters
With `size: auto` (the API's default) the model picks the output size. Measurements show about
1.5 megapixels at the prompt's aspect ratio (1122x1402 for generations on gpt-image-2), and that
is what the rate card budgets; the real size, and so the cost, can differ.

## Example
```yaml
request: { quality: medium }     # size defaults to auto: budgeted at 1122x1402
```

## How to fix
Write the size the product needs (`size: 1024x1024`).
"#,
};
