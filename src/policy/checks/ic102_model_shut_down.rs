//! The check of IC102: the model is shut down as of the as-of date.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::Diagnostic;
use crate::rules::IC102;

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
