//! The check of IC305: a field a policy requires is missing.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::{Diagnostic, Text};
use crate::policy::Required;
use crate::rules::IC305;

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let spec = &ctx.entry.workflow.spec;
    for required in ctx.policies.required() {
        let present = match required.value {
            Required::Budget => spec.budget.as_ref().and_then(|b| b.monthly_usd).is_some(),
            Required::Owner => spec.has_owner,
            Required::Description => spec.has_description,
            Required::Labels => spec.has_labels,
            Required::Latency => ctx.written("latency"),
            Required::Quality => ctx.written("request/quality"),
            Required::Size => ctx.written("request/size"),
        };
        if present {
            continue;
        }
        let (field, help) = match required.value {
            Required::Budget => (
                "budget.monthly_usd",
                Text::from(
                    "add `budget: { monthly_usd: … }` with what the workflow may cost a month",
                ),
            ),
            Required::Owner => (
                "owner",
                "add `owner:` to the workflow or to the manifest".into(),
            ),
            Required::Quality => (
                "request.quality",
                "write `quality:` in `request:` instead of relying on `auto`".into(),
            ),
            Required::Size => (
                "request.size",
                "write `size:` in `request:` instead of relying on `auto`".into(),
            ),
            other => (
                other.as_str(),
                format!("add `{}:` to the workflow", other.as_str()).into(),
            ),
        };
        let pointer = format!(
            "/rules/require/{}",
            required
                .policy
                .rules
                .require
                .iter()
                .position(|r| *r == required.value)
                .unwrap_or(0)
        );
        out.push(
            Diagnostic::new(
                &IC305,
                format!(
                    "workflow `{}` has no `{field}`, which policy `{}` requires",
                    ctx.entry.workflow.name(),
                    required.policy.name
                ),
                ctx.key_label("workflow"),
            )
            .with_related(required.policy.label(
                &pointer,
                format!("required by policy `{}`", required.policy.name),
            ))
            .with_help(help)
            .with_workflow(ctx.id()),
        );
    }
}
