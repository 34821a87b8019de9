//! The check of IC302: the quality is not allowed by a policy.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::Diagnostic;
use crate::rules::IC302;

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
        let names = |list: &Vec<crate::model::Quality>| {
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
