//! The check of IC404: `cached_fraction` has no effect on this endpoint.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::Diagnostic;
use crate::rules::IC404;

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx
        .projection()
        .is_some_and(|p| p.assumptions.ignored_cached_fraction)
    {
        return;
    }
    out.push(
        Diagnostic::new(
            &IC404,
            format!("`cached_fraction` has no effect on {} for {}: every input token is priced at the full rate", ctx.entry.workflow.spec.endpoint, ctx.entry.workflow.spec.model),
            ctx.value_label("inputs/cached_fraction", "ignored"),
        )
        .with_help("remove `cached_fraction`; cached input rates apply only to the Responses API's image tool")
        .with_workflow(ctx.id()),
    );
}
