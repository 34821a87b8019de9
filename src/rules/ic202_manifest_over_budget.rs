//! IC202: a manifest's workflows together are over the manifest's `budget.monthly_usd`.

use crate::foundation::{Rule, Severity, Stage};

pub static IC202: Rule = Rule {
    code: "IC202",
    name: "manifest-over-budget",
    default_severity: Severity::Error,
    stage: Stage::Manifest,
    fail_closed: false,
    summary: "manifest total over its `budget.monthly_usd`",
    doc: r#"## Why it matters
A team's budget covers all of its image workflows. Each may be within its own budget while the
sum is not, typically after a new workflow is added. The finding points at the manifest's budget
and names the workflows that cost the most.

## Example
```yaml
budget: { monthly_usd: 1000 }      # the two workflows together: $1,345.72
workflows:
  product-hero: { ... }            # $1,081.33
  thumbnails: { ... }              # $264.38
```

## How to fix
Reduce the costliest workflows, or raise the manifest budget in the same pull request.
"#,
};
