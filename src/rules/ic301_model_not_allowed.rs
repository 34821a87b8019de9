//! IC301: the model is not allowed by a policy.

use super::context::WorkflowContext;
use crate::policy::ModelPattern;
use crate::{Diagnostic, Rule, Severity};

pub static IC301: Rule = Rule {
    code: "IC301",
    name: "model-not-allowed",
    default_severity: Severity::Error,
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

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let written = ctx.entry.workflow.spec.model.as_str();
    let canonical = ctx.card.image_model(written).map_or(written, |(id, _)| id);
    let named = |list: &[ModelPattern]| {
        list.iter()
            .any(|pattern| pattern.matches(written, canonical, ctx.card))
    };
    let shown = |list: &[ModelPattern]| {
        list.iter()
            .map(|p| p.pattern.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for policy in &ctx.policies.policies {
        let rules = &policy.models;
        let (broken, pointer, text) = match (&rules.allow, &rules.deny) {
            (Some(allow), _) if !named(allow) => (
                true,
                "/rules/models/allow",
                format!("allows {}", shown(allow)),
            ),
            (_, Some(deny)) if named(deny) => (
                true,
                "/rules/models/deny",
                format!("denies {}", shown(deny)),
            ),
            _ => (false, "", String::new()),
        };
        if broken {
            out.push(
                Diagnostic::new(
                    &IC301,
                    format!(
                        "model `{written}` is not allowed by policy `{}`",
                        policy.name
                    ),
                    ctx.value_label("model", "not allowed"),
                )
                .with_related(policy.label(pointer, format!("policy `{}` {text}", policy.name)))
                .with_help(
                    "use an allowed model, or have the policy changed in its own reviewed change",
                )
                .with_workflow(ctx.id()),
            );
        }
    }
}
