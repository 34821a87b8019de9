//! IC304: over a policy limit (`limits.*`, `n.max`).

use crate::foundation::{Rule, Severity, Stage};

pub static IC304: Rule = Rule {
    code: "IC304",
    name: "over-policy-limit",
    default_severity: Severity::Error,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "over a policy limit (`limits.*`, `n.max`)",
    doc: r#"## Why it matters
Budgets in manifests are set by the teams that own them; policy limits are set by whoever owns
the gate (FinOps, the platform team) and hold whatever a manifest says: a ceiling per workflow,
per manifest, for everything checked in one run, per accepted image, on the retry rate, and on
images per request. Several policies may set the same limit; the lowest applies. A workflow
that pays for images but keeps none (or too small a share to compute) is over any limit per
accepted image.

## Example
```yaml
# policy
rules:
  n: { max: 4 }
  limits: { workflow_monthly_usd: 2000, retry_rate: 0.5 }
# manifest
request: { n: 6 }                    # over n.max 4
volume: { retry_rate: 0.8 }          # over limits.retry_rate 0.5
```

## How to fix
Bring the workflow under the limit. If the limit itself is wrong, change the policy: with
`--policy-ref`, a pull request cannot loosen the policy it is checked against.
"#,
};
