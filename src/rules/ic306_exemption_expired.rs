//! IC306: an exemption is past its `expires` day.
//!
//! Found when policies are applied (`policy::judge`); this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC306: Rule = Rule {
    code: "IC306",
    name: "exemption-expired",
    default_severity: Severity::Error,
    stage: Stage::Settling,
    fail_closed: false,
    summary: "exemption expired",
    doc: r#"## Why it matters
An exemption is a decision with a deadline: "high quality is fine for the launch, until
January". Past its `expires` day it no longer applies, so the finding it covered is reported
again, and the stale exemption itself is an error pointing at its `expires` line, so that it is
renewed on purpose or removed, never left to linger. The `expires` day itself is still covered;
the day after is not. Days are compared with `--as-of` (today by default).

## Example
```yaml
exemptions:
  - rule: IC302
    workflows: ["storefront/product-hero"]
    reason: Brand team approved high quality for launch
    approved_by: "@acme/finops"
    expires: 2026-11-01          # expired: IC302 applies again, and this is IC306
```

## How to fix
Remove the exemption and fix the finding, or renew it with a new `expires` and a fresh approval.
"#,
};
