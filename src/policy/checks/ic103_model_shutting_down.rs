//! The check of IC103: the model shuts down within 90 days of the as-of date.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::Diagnostic;
use crate::rules::IC103;

/// How far ahead a shutdown is announced.
pub const NOTICE_DAYS: i64 = 90;

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
