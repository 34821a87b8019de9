//! The check of IC203: the cost per accepted image is over `budget.per_accepted_image_usd`.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::{WorkflowContext, per_image, unbounded_per_image};
use super::ic204_near_ceiling::{Ceiling, Standing, concerns, near_finding, standing};
use crate::foundation::{Diagnostic, Label};
use crate::rules::IC203;
use rust_decimal::Decimal;

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(projection) = ctx.projection() else {
        return;
    };
    let Some(budget) = ctx
        .entry
        .workflow
        .spec
        .budget
        .as_ref()
        .and_then(|b| b.per_accepted_image_usd)
    else {
        return;
    };
    let Some(amount) = projection.per_accepted_image_usd else {
        if let Some(reason) = unbounded_per_image(projection) {
            out.push(over_budget(
                ctx,
                format!(
                    "{reason}, over the per-image budget of {}",
                    per_image(budget)
                ),
                budget,
                true,
            ));
        }
        return;
    };
    let ceiling = Ceiling {
        what: "the per-image budget",
        amount,
        ceiling: budget,
        per_image: true,
    };
    if !concerns(amount, budget, ctx.policies) {
        return;
    }
    match standing(amount, budget, None) {
        Standing::Over => out.push(over_budget(ctx, ceiling.over_message(), budget, false)),
        Standing::Near | Standing::Under => out.extend(
            near_finding(&ceiling, ctx.policies, budget_label(ctx, budget))
                .map(|d| d.with_workflow(ctx.id())),
        ),
    }
}

/// The IC203 finding: at the budget, with what drives the cost per accepted image. `unbounded`
/// when no figure could be computed (see [`unbounded_per_image`]).
fn over_budget(
    ctx: &WorkflowContext<'_>,
    message: String,
    budget: Decimal,
    unbounded: bool,
) -> Diagnostic {
    let mut diagnostic =
        Diagnostic::new(&IC203, message, budget_label(ctx, budget)).with_workflow(ctx.id());
    diagnostic.related = ctx.cost_drivers().into();
    if unbounded && ctx.written("volume/requests_per_month") {
        diagnostic.add_related([ctx.value_label("volume/requests_per_month", "requests a month")]);
    }
    if ctx.written("volume/accepted_fraction") {
        diagnostic
            .add_related([ctx.value_label("volume/accepted_fraction", "share of images kept")]);
    }
    diagnostic.set_help(Some(if unbounded {
        "images are paid for but (next to) none is kept: check `requests_per_month` and `accepted_fraction`"
    } else {
        "keep more of what is generated (`accepted_fraction`), request fewer variants (`n`), or lower the quality or size"
    }));
    diagnostic
}

fn budget_label(ctx: &WorkflowContext<'_>, budget: Decimal) -> Label {
    ctx.value_label(
        "budget/per_accepted_image_usd",
        format!("budget {} per image", per_image(budget)),
    )
}
