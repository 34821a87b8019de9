//! The check of IC301: the model is not allowed by a policy.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::Diagnostic;
use crate::policy::ModelPattern;
use crate::rules::IC301;

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
