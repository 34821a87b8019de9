//! IC303: the size is not allowed by a policy.

use super::context::WorkflowContext;
use crate::{Diagnostic, Rule, Severity, Size};

pub static IC303: Rule = Rule {
    code: "IC303",
    name: "size-not-allowed",
    default_severity: Severity::Error,
    summary: "size not allowed by policy",
    doc: r#"## Why it matters
Output tokens grow with the image's area: a 3840x2160 image costs several times a 1024x1024 one.
`rules.size` gives an allow list (`WxH`, or `auto`), a `max_pixels` and a `max_edge`. The limits
are checked against the size that is priced, so `size: auto` is held to them at the rate card's
assumption.

## Example
```yaml
# policy
rules:
  size: { allow: [1024x1024, 1536x1024], max_pixels: 4194304 }
# manifest
request: { size: 3840x2160 }       # not in the allow list, and over max_pixels
```

## How to fix
Use an allowed size; generate smaller and upscale elsewhere if the product needs large images.
"#,
};

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let size = ctx.entry.workflow.spec.request.size;
    let priced = ctx.projection().map(|p| p.size);
    for policy in &ctx.policies.policies {
        let Some(rule) = &policy.rules.size else {
            continue;
        };
        let mut broken = Vec::new();
        if let Some(allow) = &rule.allow
            && !allow.contains(&size)
        {
            let list: Vec<String> = allow.iter().map(ToString::to_string).collect();
            broken.push((
                format!("size `{size}` is not allowed by policy `{}`", policy.name),
                "/rules/size/allow",
                format!("allows {}", list.join(", ")),
            ));
        }
        if let Some(dimensions) = priced {
            let shown = if size == Size::Auto {
                format!("size `auto` (priced at {dimensions})")
            } else {
                format!("size {dimensions}")
            };
            if let Some(max) = rule.max_pixels.filter(|max| dimensions.pixels() > *max) {
                broken.push((
                    format!(
                        "{shown} has {} pixels, over the limit of {max} in policy `{}`",
                        dimensions.pixels(),
                        policy.name
                    ),
                    "/rules/size/max_pixels",
                    format!("max_pixels {max}"),
                ));
            }
            if let Some(max) = rule.max_edge.filter(|max| dimensions.long_edge() > *max) {
                broken.push((
                    format!(
                        "{shown} has a {} px edge, over the limit of {max} px in policy `{}`",
                        dimensions.long_edge(),
                        policy.name
                    ),
                    "/rules/size/max_edge",
                    format!("max_edge {max}"),
                ));
            }
        }
        for (message, pointer, text) in broken {
            out.push(
                Diagnostic::new(
                    &IC303,
                    message,
                    ctx.value_label("request/size", "not allowed"),
                )
                .with_related(policy.label(pointer, format!("policy `{}` {text}", policy.name)))
                .with_help("use a size the policy allows")
                .with_workflow(ctx.id()),
            );
        }
    }
}
