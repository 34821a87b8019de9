//! IC201: a workflow's projection is over its own `budget.monthly_usd`.

use crate::foundation::{Rule, Severity, Stage};

pub static IC201: Rule = Rule {
    code: "IC201",
    name: "workflow-over-budget",
    default_severity: Severity::Error,
    stage: Stage::Workflow,
    fail_closed: false,
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
