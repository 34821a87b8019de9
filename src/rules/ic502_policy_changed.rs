//! IC502: a policy file differs between the base and the head of a diff.
//!
//! Found by `diff::policy_changes`; this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC502: Rule = Rule {
    code: "IC502",
    name: "policy-changed",
    default_severity: Severity::Note,
    stage: Stage::Diff,
    fail_closed: false,
    summary: "diff: a policy file changed in this comparison",
    doc: r#"## Why it matters
A pull request that changes both the manifests and the policy that gates them deserves a second
look: the gate it passes may be one it just loosened. The note flags it so that the policy change
is reviewed on its own. Run the diff with `--policy-ref <base>` to check the change against the
policy as it was.

## Example
```text
note[IC502]: policy .imgcost/policy.yaml changes in this comparison (base origin/main (1a2b3c4))
```

## How to fix
Nothing, if the policy change is intended and reviewed; consider landing it separately.
"#,
};
