//! IC302: the quality is not allowed by a policy.

use crate::foundation::{Rule, Severity, Stage};

pub static IC302: Rule = Rule {
    code: "IC302",
    name: "quality-not-allowed",
    default_severity: Severity::Error,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "quality not allowed by policy",
    doc: r#"## Why it matters
Quality is the largest cost lever: on gpt-image-2 a `high` 1024x1024 image costs 36 times a
`low` one. `rules.quality` allows or denies qualities as written in the manifest. A workflow that
sets no quality sends `auto`, which the model may resolve to its highest quality, so `auto` must
be allowed explicitly.

## Example
```yaml
# policy
rules:
  quality: { allow: [low, medium] }
# manifest
request: { quality: high }         # not allowed
```

## How to fix
Use an allowed quality; write it explicitly rather than relying on `auto`.
"#,
};
