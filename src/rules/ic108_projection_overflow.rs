//! IC108: the projection does not fit exact decimal arithmetic.
//!
//! Found by `projection::project` (every operation is checked); this file holds the rule's
//! documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC108: Rule = Rule {
    code: "IC108",
    name: "projection-overflow",
    default_severity: Severity::Error,
    stage: Stage::Pricing,
    fail_closed: true,
    summary: "the projection exceeds exact decimal arithmetic",
    doc: r#"## Why it matters
imgcost computes money exactly with 28 significant digits and checks every operation. Volumes so
large that a product no longer fits are almost always a typo, and a rounded guess would be a
silent error, so the workflow is reported instead of priced.

## Example
```yaml
volume: { requests_per_month: 99999999999999999999999 }
```

## How to fix
Correct the volume. Real monthly volumes fit with many digits to spare.
"#,
};
