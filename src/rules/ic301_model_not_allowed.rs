//! IC301: the model is not allowed by a policy.

use globset::Glob;

use super::context::WorkflowContext;
use crate::{Diagnostic, Rule, Severity};

pub static IC301: Rule = Rule {
    code: "IC301",
    name: "model-not-allowed",
    default_severity: Severity::Error,
    summary: "model not allowed by policy",
    doc: r#"## Why it matters
Organisations settle on a few models for cost, quality, data-handling or contract reasons.
`rules.models` is an allow list or a deny list of model ids, aliases or globs
(`gpt-image-2*`); a model is matched both as written and as the rate card's canonical id, so
allowing `gpt-image-2` allows its dated snapshot too. With several policies, a model must pass
every one of them.

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

fn matches(pattern: &str, names: &[&str]) -> bool {
    Glob::new(pattern).is_ok_and(|glob| {
        let matcher = glob.compile_matcher();
        names.iter().any(|name| matcher.is_match(name))
    })
}

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let written = ctx.entry.workflow.spec.model.as_str();
    let canonical = ctx.card.image_model(written).map_or(written, |(id, _)| id);
    let names = [written, canonical];
    for policy in &ctx.policies.policies {
        let Some(rule) = &policy.rules.models else {
            continue;
        };
        let (broken, pointer, text) = match (&rule.allow, &rule.deny) {
            (Some(allow), _) if !allow.iter().any(|p| matches(p, &names)) => (
                true,
                "/rules/models/allow",
                format!("allows {}", allow.join(", ")),
            ),
            (_, Some(deny)) if deny.iter().any(|p| matches(p, &names)) => (
                true,
                "/rules/models/deny",
                format!("denies {}", deny.join(", ")),
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
