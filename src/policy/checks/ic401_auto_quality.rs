//! The check of IC401: `quality: auto` (or no quality) is priced by an assumption: the worst
//! case, the quality the API bills it as, or a measured count for a model that picks its own.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::{Diagnostic, Text};
use crate::pricing::ratecard::AutoQualityRule;
use crate::rules::IC401;

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(projection) = ctx.projection() else {
        return;
    };
    let Some(assumed) = projection.assumptions.auto_quality else {
        return;
    };
    let how = if ctx.written("request/quality") {
        "quality `auto`"
    } else {
        "no quality is set, so the API uses `auto`; it"
    };
    let model = &projection.model;
    let (message, help): (String, Text) = match (
        projection.assumptions.auto_rule,
        projection.assumptions.auto_measured,
    ) {
        (Some(AutoQualityRule::Billed), _) => (
            format!("{how} is billed as `{assumed}` by {model}"),
            format!(
                "write the quality the product needs; `quality: {assumed}` is what is billed now"
            )
            .into(),
        ),
        (Some(AutoQualityRule::Measured), Some(measured)) => (
            format!(
                "{how} lets {model} pick its own quality: budgeted at the measured {} tokens at {} (low confidence)",
                measured.tokens, measured.size
            ),
            "write the quality the product needs: the model's own choice is not documented, and may cost more".into(),
        ),
        _ => (
            format!("{how} is budgeted at `{assumed}`, the worst case"),
            format!(
                "write the quality the product needs, e.g. `quality: {assumed}` if that is intended"
            )
            .into(),
        ),
    };
    out.push(
        Diagnostic::new(&IC401, message, ctx.value_label("request/quality", "auto"))
            .with_help(help)
            .with_workflow(ctx.id()),
    );
}
