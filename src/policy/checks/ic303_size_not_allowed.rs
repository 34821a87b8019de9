//! The check of IC303: the size is not allowed by a policy.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::Diagnostic;
use crate::model::Size;
use crate::rules::IC303;

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
