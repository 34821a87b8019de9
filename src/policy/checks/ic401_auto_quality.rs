//! The check of IC401: `quality: auto` is budgeted at the worst case.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::Diagnostic;
use crate::rules::IC401;

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
