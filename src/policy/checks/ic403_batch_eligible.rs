//! The check of IC403: a workflow that can wait a day is not using the Batch API.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::{WorkflowContext, monthly};
use crate::foundation::Diagnostic;
use crate::model::Latency;
use crate::pricing::project;
use crate::rules::IC403;

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let spec = &ctx.entry.workflow.spec;
    if spec.latency != Latency::Day || spec.batch {
        return;
    }
    let Some(standard) = ctx.projection() else {
        return;
    };
    let mut batched = spec.clone();
    batched.batch = true;
    let Ok(batch) = project(&batched, ctx.card, ctx.as_of, None) else {
        return;
    };
    let saving = standard.monthly_usd - batch.monthly_usd;
    if saving <= rust_decimal::Decimal::ZERO {
        return;
    }
    out.push(
        Diagnostic::new(
            &IC403,
            format!(
                "the Batch API would save {} a month ({} instead of {})",
                monthly(saving),
                monthly(batch.monthly_usd),
                monthly(standard.monthly_usd)
            ),
            ctx.value_label("latency", "can wait a day"),
        )
        .with_help("send these requests through the Batch API and set `batch: true`")
        .with_workflow(ctx.id()),
    );
}
