//! IC204: a projection reached the `warn_at` share of a budget or limit.
//!
//! Every ceiling rule (IC201, IC202, IC203, IC304) asks [`judge_ceiling`] whether its amount is
//! over the ceiling (its own finding) or within `warn_at` of it (this one).

use crate::foundation::{Rule, Severity, Stage};

pub static IC204: Rule = Rule {
    code: "IC204",
    name: "near-ceiling",
    default_severity: Severity::Warning,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "projection at or above `warn_at` of a budget or limit",
    doc: r#"## Why it matters
A workflow at 95 % of its budget passes today and fails after the next small change, usually in
someone else's pull request. The warning gives the owner time to raise the budget or trim the
workflow before the gate closes.

It applies to every ceiling: a workflow's `budget.monthly_usd` and
`budget.per_accepted_image_usd`, a manifest's `budget.monthly_usd`, and a policy's `limits`.
The threshold is the policy's `rules.warn_at` (the built-in default policy warns at 0.9); with no
`warn_at` in any policy, there is no IC204.

## Example
```yaml
# policy: rules: { warn_at: 0.9 }
workflows:
  hero:
    budget: { monthly_usd: 1200 }   # projected $1,081.33: 90.1 % of the budget
```

## How to fix
Raise the budget if the cost is expected, or lower what drives it (quality, size, n, volume).
"#,
};
