//! IC601: actual monthly spend or images over the projection by more than the tolerance.
//!
//! Found by `run::reconcile`; this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC601: Rule = Rule {
    code: "IC601",
    name: "actual-over-projection",
    default_severity: Severity::Warning,
    stage: Stage::Reconcile,
    fail_closed: false,
    summary: "reconcile: actual monthly spend or images over the projection by more than the tolerance",
    doc: r#"## Why it matters
A manifest's volumes are guesses, and the gate approved the cost they project. When the bill
runs well past that projection, every budget and policy check made on the manifest is judging
a fiction. `imgcost reconcile` holds each workflow's projection against the usage and costs
saved from OpenAI for a period, scaled to a month, and flags a workflow whose actual monthly
dollars or images exceed the projected ones by more than the tolerance (25 % unless
`rules.reconcile.over_percent` in a policy says otherwise). The finding points at the
workflow's `requests_per_month`, the value to correct.

## Example
```text
warning[IC601]: storefront/hero: actual $1,830.40 a month is 183.0 % of the projected $1,000.00 (tolerance 25 %)
  --> apps/storefront/imgcost.yaml:12:27
```

## How to fix
Correct the volumes (`imgcost reconcile --suggest` prints the change as a diff, `--write`
applies it), then let the gate judge the corrected projection; or find out why usage grew
(a retry loop, a new caller of the key). An exemption with a reason and an expiry accepts it
for a time.
"#,
};
