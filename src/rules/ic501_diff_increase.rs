//! IC501: a change raises the monthly cost by more than the policies' `diff` limits allow.
//!
//! Found by `diff::gates`; this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC501: Rule = Rule {
    code: "IC501",
    name: "diff-increase",
    default_severity: Severity::Error,
    stage: Stage::Diff,
    fail_closed: false,
    summary: "diff: increase over `diff.max_increase_usd` or `max_increase_percent`",
    doc: r#"## Why it matters
Reviewers decide on the change in cost, not the total. A pull request that adds $586 a month
(+73 %) deserves an explicit decision even when every workflow stays within its own budget.
`rules.diff` in a policy sets the largest increase allowed, in dollars and in percent of the
base; both apply per workflow and to the total. The finding points at the lines that changed
(model, quality, size, n, volume…) and at the policy's limit.

## Example
```yaml
# policy
rules:
  diff: { max_increase_usd: 500, max_increase_percent: 25 }
# the pull request changes quality: medium → high on a $1,081 workflow: +$3,068 (+283.7 %)
```

## How to fix
Reduce the increase, or have it approved: an exemption for IC501 with a reason, an approver and
an expiry. Run `imgcost diff --base origin/main` locally to see the figures before pushing.
"#,
};
