//! IC401: `quality: auto` is budgeted at the worst case.

use super::context::WorkflowContext;
use crate::{Diagnostic, Rule, Severity};

pub static IC401: Rule = Rule {
    code: "IC401",
    name: "auto-quality",
    default_severity: Severity::Warning,
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

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(assumed) = ctx.projection().and_then(|p| p.assumptions.auto_quality) else {
        return;
    };
    let how = if ctx.written("request/quality") {
        "quality `auto`"
    } else {
        "no quality is set, so the API uses `auto`; it"
    };
    out.push(
        Diagnostic::new(
            &IC401,
            format!("{how} is budgeted at `{assumed}`, the worst case"),
            ctx.value_label("request/quality", "auto"),
        )
        .with_help(format!(
            "write the quality the product needs, e.g. `quality: {assumed}` if that is intended"
        ))
        .with_workflow(ctx.id()),
    );
}
