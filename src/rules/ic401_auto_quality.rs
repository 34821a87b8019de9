//! IC401: `quality: auto` (or no quality) is priced by an assumption.

use crate::foundation::{Rule, Severity, Stage};

pub static IC401: Rule = Rule {
    code: "IC401",
    name: "auto-quality",
    default_severity: Severity::Warning,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "`quality: auto` priced by an assumption (worst case, billed or measured)",
    doc: r#"## Why it matters
With `quality: auto` (the API's default when none is sent) the price depends on what the model
does, and the rate card says which of three cases applies. Mostly no source says how the model
picks, so imgcost budgets at the model's highest quality and says so: the real bill may be lower.
Where a source says the API bills an absent quality as one quality (gpt-image-2.6-sunburst:
`high`), that quality is priced. Where the model picks its own quality and one measurement
exists (gpt-image-2.6-flare: about 5,800 output tokens at 1024x1024), that count is budgeted,
scaled to the size, with low confidence: a richer prompt may cost more.

## Example
```yaml
request: { size: 1024x1024 }     # quality defaults to auto: budgeted as high on gpt-image-2
```

## How to fix
Write the quality the product needs (`quality: medium`); the projection then matches what is
billed.
"#,
};
