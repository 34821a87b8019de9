//! IC604: the billed cost per image differs from the projected one by more than the tolerance.
//!
//! Found by `run::reconcile`; this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC604: Rule = Rule {
    code: "IC604",
    name: "cost-per-image-differs",
    default_severity: Severity::Warning,
    stage: Stage::Reconcile,
    fail_closed: false,
    summary: "reconcile: the billed cost per image differs from the projected one by more than the tolerance",
    doc: r#"## Why it matters
The projection prices each image at the manifest's model, quality, size, `n` and input. When
the costs billed per image differ from that by more than the tolerance (25 % unless
`rules.reconcile.cost_per_image_percent` says otherwise), the requests are not what the
manifest says: another quality or size, `quality: auto` resolving higher, larger inputs, more
retries. Volume corrections will not fix that; the request fields must. Only dollars from the
costs pages are compared (dollars priced from the rate card are the projection's own price).
The finding points at the workflow's `quality` (or its name when it has none), with its size
and `n` as related places.

## Example
```text
warning[IC604]: storefront/hero: billed $0.1320 an image, projected $0.0530 (249.1 %; tolerance 25 %)
```

## How to fix
Find which request parameter differs (`imgcost explain` shows the per-image arithmetic),
correct the manifest or the code, and reconcile again.
"#,
};
