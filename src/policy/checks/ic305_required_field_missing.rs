//! The check of IC305: a field a policy requires is missing.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use std::borrow::Cow;

use super::context::WorkflowContext;
use crate::foundation::Diagnostic;
use crate::policy::Required;
use crate::rules::IC305;

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let spec = &ctx.entry.workflow.spec;
    for required in ctx.policies.required() {
        let present = match required.value {
            Required::Budget => spec.budget.as_ref().and_then(|b| b.monthly_usd).is_some(),
            Required::Owner => spec.owner.is_some(),
            Required::Description => spec.description.is_some(),
            Required::Labels => !spec.labels.is_empty(),
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
                Cow::Borrowed(
                    "add `budget: { monthly_usd: … }` with what the workflow may cost a month",
                ),
            ),
            Required::Owner => (
                "owner",
                Cow::Borrowed("add `owner:` to the workflow or to the manifest"),
            ),
            Required::Quality => (
                "request.quality",
                Cow::Borrowed("write `quality:` in `request:` instead of relying on `auto`"),
            ),
            Required::Size => (
                "request.size",
                Cow::Borrowed("write `size:` in `request:` instead of relying on `auto`"),
            ),
            other => (
                other.as_str(),
                Cow::Owned(format!("add `{}:` to the workflow", other.as_str())),
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
                    ctx.entry.workflow.name, required.policy.name
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
