//! IC203: the cost per accepted image is over `budget.per_accepted_image_usd`.

use crate::foundation::{Rule, Severity, Stage};

pub static IC203: Rule = Rule {
    code: "IC203",
    name: "per-image-over-budget",
    default_severity: Severity::Error,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "per-accepted-image cost over its budget",
    doc: r#"## Why it matters
Discarded variants and retries are paid for too. A workflow that generates four images and keeps
one pays four times per kept asset; the per-accepted-image budget catches that even when the
monthly total looks small.

A workflow that pays for images but keeps none of them (or so small a share that the figure is
beyond what imgcost computes) has no bound on its cost per accepted image: it is over any
per-image budget. A workflow with no requests pays nothing and has nothing to judge.

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
