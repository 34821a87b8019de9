//! IC301: the model is not allowed by a policy.

use crate::foundation::{Rule, Severity, Stage};

pub static IC301: Rule = Rule {
    code: "IC301",
    name: "model-not-allowed",
    default_severity: Severity::Error,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "model not allowed by policy",
    doc: r#"## Why it matters
Organisations settle on a few models for cost, quality, data-handling or contract reasons.
`rules.models` is an allow list or a deny list of model ids, aliases or globs
(`gpt-image-2*`). A model is matched both as written and as the rate card's canonical id, and a
pattern that names a model or alias on the card stands for that model: allowing (or denying)
`gpt-image-2` or its dated snapshot `gpt-image-2-2026-04-21` covers both names. With several
policies, a model must pass every one of them.

## Example
```yaml
# policy
rules:
  models: { allow: [gpt-image-2, gpt-image-2.5-flare] }
# manifest
model: gpt-image-2.5-sunburst      # not in the allow list
```

## How to fix
Use an allowed model, or ask the policy's owners to allow this one (with `--policy-ref`, that
change is reviewed on its own).
"#,
};
