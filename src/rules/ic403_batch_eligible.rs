//! IC403: a workflow that can wait a day is not using the Batch API.

use super::context::{WorkflowContext, monthly};
use crate::{Diagnostic, Latency, Rule, Severity, project};

pub static IC403: Rule = Rule {
    code: "IC403",
    name: "batch-eligible",
    default_severity: Severity::Note,
    summary: "Batch-eligible (`latency: day`, `batch: false`): names the monthly saving",
    doc: r#"## Why it matters
The Batch API prices most image models at half the standard rates, with results within 24 hours.
A workflow that declares `latency: day` can wait that long, so it pays double for nothing. The
note prices the workflow at Batch rates and names the monthly saving.

## Example
```yaml
latency: day
batch: false         # Batch would save $540.67 a month
```

## How to fix
Send the workflow's requests through the Batch API and set `batch: true`. If the model has no
Batch rates (chatgpt-image-latest, gpt-image-2.6), there is no note.
"#,
};

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
    let Ok(batch) = project(&batched, ctx.card, None) else {
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
