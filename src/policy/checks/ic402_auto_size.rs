//! The check of IC402: `size: auto` is budgeted at the rate card's assumption.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::Diagnostic;
use crate::rules::IC402;

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
