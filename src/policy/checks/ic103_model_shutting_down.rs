//! The check of IC103: a model the workflow calls (its image model, the mainline model of a
//! `responses` workflow, the model that writes an SVG) has an announced shutdown after the
//! as-of date: from the announcement under the card's notice policy, else within 90 days.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use super::shutdowns::{called, named_only, others, source};
use crate::foundation::{Diagnostic, Text};
use crate::pricing::ratecard::NoticePolicy;
use crate::rules::IC103;

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    for model in called(ctx) {
        let shutdown = &model.shutdown;
        let announced = shutdown.lifecycle.and_then(|l| l.announced);
        if !NoticePolicy::warns(ctx.card.notice.as_ref(), ctx.as_of, shutdown.day, announced) {
            continue;
        }
        let (id, day) = (shutdown.id, shutdown.day);
        let days = ctx.as_of.days_until(day);
        let plural = if days == 1 { "" } else { "s" };
        let announced = announced.map_or_else(String::new, |on| format!("; announced {on}"));
        let replacement = shutdown.replacement.map_or_else(
            || named_only(ctx, shutdown),
            |r| format!("; replacement: {r}{}", others(ctx, shutdown)),
        );
        out.push(
            Diagnostic::new(
                &IC103,
                format!(
                    "{}{id} shuts down on {day} (in {days} day{plural}{announced}){replacement}",
                    model.role
                ),
                ctx.value_label(model.field, format!("shuts down {day}")),
            )
            .with_help(shutdown.replacement.map_or_else(
                || Text::from("plan the move to an active model"),
                |r| {
                    format!(
                        "move to `{r}` before {day} and review the new projection{}",
                        source(shutdown)
                    )
                    .into()
                },
            ))
            .with_workflow(ctx.id()),
        );
    }
}
