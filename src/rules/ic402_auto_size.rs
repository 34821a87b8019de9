//! IC402: `size: auto` is budgeted at the rate card's assumption.

use super::context::WorkflowContext;
use crate::{Diagnostic, Rule, Severity};

pub static IC402: Rule = Rule {
    code: "IC402",
    name: "auto-size",
    default_severity: Severity::Warning,
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

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(projection) = ctx.projection() else {
        return;
    };
    let Some(assumed) = projection.assumptions.auto_size else {
        return;
    };
    let how = if ctx.written("request/size") {
        "size `auto`"
    } else {
        "no size is set, so the API uses `auto`; it"
    };
    out.push(
        Diagnostic::new(
            &IC402,
            format!(
                "{how} is budgeted at {assumed}, the rate card's assumption for {}",
                ctx.entry.workflow.spec.endpoint
            ),
            ctx.value_label("request/size", "auto"),
        )
        .with_help("write the size the product needs, e.g. `size: 1024x1024`")
        .with_workflow(ctx.id()),
    );
}
