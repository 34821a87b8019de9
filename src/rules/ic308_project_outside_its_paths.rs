//! IC308: a manifest claims a project whose manifests belong elsewhere.
//!
//! Found by `policy::projects` before the policies are applied; this file holds the rule's
//! documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC308: Rule = Rule {
    code: "IC308",
    name: "project-outside-its-paths",
    default_severity: Severity::Error,
    stage: Stage::Run,
    fail_closed: true,
    summary: "manifest claims a project bound to other paths",
    doc: r#"## Why it matters
A workflow's id is `<project>/<name>`, and the project is chosen by the manifest itself (its
`project:`, or the name of its folder). Exemptions are written for ids (`storefront/*`), so a
manifest anywhere in the repository that declared `project: storefront` would inherit every
exemption granted to the storefront team. Identity is tied to place instead: a policy binds
projects to paths (`projects:`), and a manifest that claims a bound project outside those
paths is an error. With `--policy-ref REF` (the pull request's base), a project that no policy
binds is bound to the folders that held its manifests at REF, so a new manifest cannot claim an
existing project from another folder either. This rule cannot be lowered or exempted.

## Example
```yaml
# .imgcost/policy.yaml
projects:
  storefront: ["apps/storefront/**"]
# tools/scratch/imgcost.yaml
project: storefront        # not under apps/storefront/: IC308
```

## How to fix
Move the manifest under the project's paths, give it a project of its own, or have the
policy's owners bind the project to this path too (a reviewed change to `projects:`).
"#,
};
