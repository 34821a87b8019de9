//! IC305: a field a policy requires is missing.

use crate::foundation::{Rule, Severity, Stage};

pub static IC305: Rule = Rule {
    code: "IC305",
    name: "required-field-missing",
    default_severity: Severity::Error,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "field required by policy is missing",
    doc: r#"## Why it matters
A workflow without a budget cannot fail its budget gate, and one without an owner has nobody to
ask when it does. `rules.require` lists the fields every workflow must set: `budget`
(`budget.monthly_usd`), `owner` (on the workflow or inherited from the manifest), `description`,
`labels`, `latency`, `quality` and `size` (written explicitly instead of defaulting to `auto`).
The built-in default policy requires `budget` and `owner` as warnings only.

## Example
```yaml
# policy
rules:
  require: [budget, owner]
# manifest
workflows:
  hero:                      # no budget, and no owner here or on the manifest
    model: gpt-image-2
    volume: { requests_per_month: 100 }
```

## How to fix
Add the field to the workflow (or, for `owner`, to the manifest).
"#,
};
