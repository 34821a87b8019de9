//! IC203: the cost per accepted image is over `budget.per_accepted_image_usd`.

use super::context::{WorkflowContext, per_image};
use super::ic204_near_ceiling::{Ceiling, Standing, concerns, near_finding, standing};
use crate::{Diagnostic, Rule, Severity};

pub static IC203: Rule = Rule {
    code: "IC203",
    name: "per-image-over-budget",
    default_severity: Severity::Error,
    summary: "per-accepted-image cost over its budget",
    doc: r#"## Why it matters
Discarded variants and retries are paid for too. A workflow that generates four images and keeps
one pays four times per kept asset; the per-accepted-image budget catches that even when the
monthly total looks small.

## Example
```yaml
request: { quality: high, n: 4 }
volume: { requests_per_month: 1000, accepted_fraction: 0.25 }
budget: { per_accepted_image_usd: 0.30 }   # projected $0.8428 per accepted image
```

## How to fix
Keep more of what is generated (`accepted_fraction`), request fewer variants (`n`), lower the
quality or size, or raise the per-image budget.
"#,
};

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(projection) = ctx.projection() else {
        return;
    };
    let (Some(amount), Some(budget)) = (
        projection.per_accepted_image_usd,
        ctx.entry
            .workflow
            .spec
            .budget
            .as_ref()
            .and_then(|b| b.per_accepted_image_usd),
    ) else {
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
    let primary = ctx.value_label(
        "budget/per_accepted_image_usd",
        format!("budget {} per image", per_image(budget)),
    );
    match standing(amount, budget, None) {
        Standing::Over => {
            let mut diagnostic =
                Diagnostic::new(&IC203, ceiling.over_message(), primary).with_workflow(ctx.id());
            diagnostic.related = ctx.cost_drivers();
            if ctx.written("volume/accepted_fraction") {
                diagnostic
                    .related
                    .push(ctx.value_label("volume/accepted_fraction", "share of images kept"));
            }
            diagnostic.set_help(Some("keep more of what is generated (`accepted_fraction`), request fewer variants (`n`), or lower the quality or size".to_owned()));
            out.push(diagnostic);
        }
        Standing::Near | Standing::Under => out.extend(
            near_finding(&ceiling, ctx.policies, primary).map(|d| d.with_workflow(ctx.id())),
        ),
    }
}
