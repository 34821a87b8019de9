//! IC103: the model shuts down within 90 days of the as-of date.

use super::context::WorkflowContext;
use crate::{Diagnostic, Rule, Severity};

/// How far ahead a shutdown is announced.
pub const NOTICE_DAYS: i64 = 90;

pub static IC103: Rule = Rule {
    code: "IC103",
    name: "model-shutting-down",
    default_severity: Severity::Warning,
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

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some((id, model)) = ctx.card.image_model(&ctx.entry.workflow.spec.model) else {
        return;
    };
    let Some(shutdown) = model.shutdown.filter(|day| *day > ctx.as_of) else {
        return;
    };
    let days = ctx.as_of.days_until(shutdown);
    if days > NOTICE_DAYS {
        return;
    }
    let replacement = model
        .replacement
        .as_deref()
        .map_or_else(String::new, |r| format!("; replacement: {r}"));
    let plural = if days == 1 { "" } else { "s" };
    out.push(
        Diagnostic::new(
            &IC103,
            format!("{id} shuts down on {shutdown} (in {days} day{plural}){replacement}"),
            ctx.value_label("model", format!("shuts down {shutdown}")),
        )
        .with_help(model.replacement.as_deref().map_or_else(
            || "plan the move to an active model".to_owned(),
            |r| format!("move to `{r}` before {shutdown} and review the new projection"),
        ))
        .with_workflow(ctx.id()),
    );
}
