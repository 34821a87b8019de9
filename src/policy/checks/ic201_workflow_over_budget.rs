//! The check of IC201: a workflow's projection is over its own `budget.monthly_usd`.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::{WorkflowContext, monthly};
use super::ic204_near_ceiling::{Ceiling, Standing, concerns, near_finding, standing};
use crate::foundation::{Diagnostic, Text};
use crate::model::Quality;
use crate::pricing::project;
use crate::rules::IC201;

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(projection), Some(budget)) = (ctx.projection(), ctx.entry.budget_usd()) else {
        return;
    };
    let ceiling = Ceiling {
        what: "the workflow budget",
        amount: projection.monthly_usd,
        ceiling: budget,
        per_image: false,
    };
    if !concerns(projection.monthly_usd, budget, ctx.policies) {
        return;
    }
    let primary = ctx.value_label("budget/monthly_usd", format!("budget {}", monthly(budget)));
    match standing(projection.monthly_usd, budget, None) {
        Standing::Over => {
            let mut diagnostic =
                Diagnostic::new(&IC201, ceiling.over_message(), primary).with_workflow(ctx.id());
            diagnostic.related = ctx.cost_drivers().into();
            diagnostic.set_help(Some(cheaper(ctx).map_or_else(
                || Text::from("lower what drives the cost (quality, size, n, volume) or raise `budget.monthly_usd`; `imgcost explain` shows the arithmetic"),
                |hint| format!("{hint}; or raise `budget.monthly_usd`").into(),
            )));
            out.push(diagnostic);
        }
        Standing::Near | Standing::Under => out.extend(
            near_finding(&ceiling, ctx.policies, primary).map(|d| d.with_workflow(ctx.id())),
        ),
    }
}

/// What the workflow would cost one quality lower, when the model has a lower quality.
pub fn cheaper(ctx: &WorkflowContext<'_>) -> Option<String> {
    let projection = ctx.projection()?;
    // A model that picks its own quality has no quality to step down from.
    if projection.quality == Quality::Auto {
        return None;
    }
    let (_, model) = ctx.card.image_model(&projection.model)?;
    let lower: Quality = model
        .qualities
        .iter()
        .copied()
        .filter(|q| *q < projection.quality)
        .max()?;
    let mut spec = ctx.entry.workflow.spec.clone();
    spec.request.quality = lower;
    let alternative = project(&spec, ctx.card, ctx.as_of, None).ok()?;
    Some(format!(
        "at quality `{lower}` it would cost {} a month",
        monthly(alternative.monthly_usd)
    ))
}
