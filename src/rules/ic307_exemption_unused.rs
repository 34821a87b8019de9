//! IC307: an exemption matches no finding.
//!
//! Found when policies are applied (`policy::judge`); this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC307: Rule = Rule {
    code: "IC307",
    name: "exemption-unused",
    default_severity: Severity::Warning,
    stage: Stage::Settling,
    fail_closed: false,
    summary: "exemption matches no finding",
    doc: r#"## Why it matters
An exemption that matches nothing is either stale (the finding was fixed) or wrong (a misspelt
rule code or workflow glob), in which case the finding it was meant for is still failing the
build. Either way it should not stay in the policy silently.

An exemption of a rule only one kind of run finds is judged by that run: of IC501 and IC502 by
`imgcost diff`, of IC601 to IC604 by `imgcost reconcile`. `check` does not call them unused.

## Example
```yaml
exemptions:
  - rule: IC302
    workflows: ["storefront/product-heor"]     # typo: matches no workflow
```

## How to fix
Remove the exemption, or correct its `rule` or `workflows`.
"#,
};
