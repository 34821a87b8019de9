//! The check of IC102: a model the workflow calls (its image model, the mainline model of a
//! `responses` workflow, the model that writes an SVG) is shut down as of the as-of date.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use super::shutdowns::{called, named_only, others, source};
use crate::foundation::{Diagnostic, Text};
use crate::rules::IC102;

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    for model in called(ctx) {
        let shutdown = &model.shutdown;
        if shutdown.day > ctx.as_of {
            continue;
        }
        let (id, day) = (shutdown.id, shutdown.day);
        let replacement = shutdown.replacement.map_or_else(
            || named_only(ctx, shutdown),
            |r| format!("; use {r}{}", others(ctx, shutdown)),
        );
        out.push(
            Diagnostic::new(
                &IC102,
                format!("{}{id} was shut down on {day}{replacement}", model.role),
                ctx.value_label(model.field, "shut down"),
            )
            .with_help(shutdown.replacement.map_or_else(
                || Text::from("choose an active model (`imgcost ratecard list`)"),
                |r| {
                    format!(
                        "replace it with `{r}` and review the new projection{}",
                        source(shutdown)
                    )
                    .into()
                },
            ))
            .with_workflow(ctx.id()),
        );
    }
}
