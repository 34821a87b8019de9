//! IC004: two manifests declare the same workflow id.
//!
//! Found when all manifests of a run are gathered (`check`); this file holds the rule's
//! documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC004: Rule = Rule {
    code: "IC004",
    name: "duplicate-workflow-id",
    default_severity: Severity::Error,
    stage: Stage::Run,
    fail_closed: true,
    summary: "duplicate workflow id across manifests",
    doc: r#"## Why it matters
A workflow id (`<project>/<name>`) is how budgets, exemptions and pull-request diffs find a
workflow. Two manifests claiming the same id would make a diff compare the wrong things and an
exemption apply to both.

`project` defaults to the name of the folder holding the manifest, so two folders with the same
name in different places collide unless one of them sets `project:`.

## Example
```yaml
# apps/web/imgcost.yaml and services/web/imgcost.yaml, neither setting `project`:
workflows:
  hero: { model: gpt-image-2, volume: { requests_per_month: 100 } }
```

## How to fix
Give one of the manifests its own `project:` name, or rename one of the workflows.
"#,
};
