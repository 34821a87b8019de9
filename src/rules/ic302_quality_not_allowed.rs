//! IC302: the quality is not allowed by a policy.

use super::context::WorkflowContext;
use crate::{Diagnostic, Rule, Severity};

pub static IC302: Rule = Rule {
    code: "IC302",
    name: "quality-not-allowed",
    default_severity: Severity::Error,
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

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let quality = ctx.entry.workflow.spec.request.quality;
    let defaulted = if ctx.written("request/quality") {
        ""
    } else {
        " (the default when none is set)"
    };
    for policy in &ctx.policies.policies {
        let Some(rule) = &policy.rules.quality else {
            continue;
        };
        let names = |list: &Vec<crate::Quality>| {
            list.iter()
                .map(|q| q.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let broken = match (&rule.allow, &rule.deny) {
            (Some(allow), _) if !allow.contains(&quality) => {
                Some(("/rules/quality/allow", format!("allows {}", names(allow))))
            }
            (_, Some(deny)) if deny.contains(&quality) => {
                Some(("/rules/quality/deny", format!("denies {}", names(deny))))
            }
            _ => None,
        };
        if let Some((pointer, text)) = broken {
            out.push(
                Diagnostic::new(
                    &IC302,
                    format!(
                        "quality `{quality}`{defaulted} is not allowed by policy `{}`",
                        policy.name
                    ),
                    ctx.value_label("request/quality", "not allowed"),
                )
                .with_related(policy.label(pointer, format!("policy `{}` {text}", policy.name)))
                .with_help("write an allowed `quality:` in `request:`")
                .with_workflow(ctx.id()),
            );
        }
    }
}
