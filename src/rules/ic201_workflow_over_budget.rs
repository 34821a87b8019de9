//! IC201: a workflow's projection is over its own `budget.monthly_usd`.

use super::context::{WorkflowContext, monthly};
use super::ic204_near_ceiling::{Ceiling, Standing, concerns, near_finding, standing};
use crate::{Diagnostic, Quality, Rule, Severity, project};

pub static IC201: Rule = Rule {
    code: "IC201",
    name: "workflow-over-budget",
    default_severity: Severity::Error,
    summary: "workflow projection over its `budget.monthly_usd`",
    doc: r#"## Why it matters
The workflow's owner wrote down what it may cost a month. A change that pushes the projection
over that figure (a higher quality, a bigger size, more images per request, more volume) should
be a decision, not a surprise on the invoice. The finding names the budget line, the projection,
the overrun in dollars and percent, the fields that drive the cost, and what a cheaper quality
would cost.

## Example
```yaml
workflows:
  product-hero:
    model: gpt-image-2
    request: { size: 1536x1024, quality: high, n: 2 }
    volume: { requests_per_month: 12000 }
    budget: { monthly_usd: 900 }     # projected $3,984.06: over by $3,084.06 (342.7 %)
```

## How to fix
Lower what drives the cost (quality, size, n, retries, volume), or raise the budget in the same
pull request so the reviewer sees the decision. `imgcost explain ID` shows the arithmetic.
"#,
};

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
            diagnostic.related = ctx.cost_drivers();
            diagnostic.set_help(Some(cheaper(ctx).map_or_else(
                || "lower what drives the cost (quality, size, n, volume) or raise `budget.monthly_usd`; `imgcost explain` shows the arithmetic".to_owned(),
                |hint| format!("{hint}; or raise `budget.monthly_usd`"),
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
    let (_, model) = ctx.card.image_model(&projection.model)?;
    let lower: Quality = model
        .qualities
        .iter()
        .copied()
        .filter(|q| *q < projection.quality)
        .max()?;
    let mut spec = ctx.entry.workflow.spec.clone();
    spec.request.quality = lower;
    let alternative = project(&spec, ctx.card, None).ok()?;
    Some(format!(
        "at quality `{lower}` it would cost {} a month",
        monthly(alternative.monthly_usd)
    ))
}
