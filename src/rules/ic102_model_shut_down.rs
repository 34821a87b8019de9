//! IC102: the model is shut down as of the as-of date.

use super::context::WorkflowContext;
use crate::{Diagnostic, Rule, Severity};

pub static IC102: Rule = Rule {
    code: "IC102",
    name: "model-shut-down",
    default_severity: Severity::Error,
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

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some((id, model)) = ctx.card.image_model(&ctx.entry.workflow.spec.model) else {
        return;
    };
    let Some(shutdown) = model.shutdown.filter(|day| *day <= ctx.as_of) else {
        return;
    };
    let replacement = model
        .replacement
        .as_deref()
        .map_or_else(String::new, |r| format!("; use {r}"));
    out.push(
        Diagnostic::new(
            &IC102,
            format!("{id} was shut down on {shutdown}{replacement}"),
            ctx.value_label("model", "shut down"),
        )
        .with_help(model.replacement.as_deref().map_or_else(
            || "choose an active model (`imgcost ratecard list`)".to_owned(),
            |r| format!("replace it with `{r}` and review the new projection"),
        ))
        .with_workflow(ctx.id()),
    );
}
