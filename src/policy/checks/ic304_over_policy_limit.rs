//! The check of IC304: over a policy limit (`limits.*`, `n.max`).
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::{WorkflowContext, monthly, per_image, unbounded_per_image};
use super::ic204_near_ceiling::{Ceiling, Standing, near_finding, standing};
use crate::foundation::decimal::format_plain;
use crate::foundation::{Diagnostic, Label};
use crate::policy::{PolicySet, Strictest};
use crate::report::Report;
use crate::rules::IC304;
use rust_decimal::Decimal;
use std::sync::Arc;

fn limit_label(limit: &Strictest<'_, impl Sized>, pointer: &str, text: String) -> Label {
    limit
        .policy
        .label(pointer, format!("policy `{}`: {text}", limit.policy.name))
}

/// Workflow-level limits: monthly cost, per-image cost, retry rate, n.
pub fn check_workflow(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let spec = &ctx.entry.workflow.spec;
    if let Some(limit) = ctx.policies.n_max()
        && spec.request.n > limit.value
    {
        out.push(
            Diagnostic::new(
                &IC304,
                format!(
                    "{} images per request, over the policy limit of {}",
                    spec.request.n, limit.value
                ),
                ctx.value_label("request/n", "images per request"),
            )
            .with_related(limit_label(
                &limit,
                "/rules/n/max",
                format!("n.max {}", limit.value),
            ))
            .with_help(format!("request at most {} images per call", limit.value))
            .with_workflow(ctx.id()),
        );
    }
    if let Some(limit) = ctx.policies.retry_rate()
        && spec.volume.retry_rate > limit.value
    {
        out.push(
            Diagnostic::new(
                &IC304,
                format!(
                    "retry rate {} is over the policy limit of {}",
                    format_plain(spec.volume.retry_rate),
                    format_plain(limit.value)
                ),
                ctx.value_label("volume/retry_rate", "retries per needed call"),
            )
            .with_related(limit_label(
                &limit,
                "/rules/limits/retry_rate",
                format!("retry_rate {}", format_plain(limit.value)),
            ))
            .with_help("fix what makes calls fail before budgeting for retries")
            .with_workflow(ctx.id()),
        );
    }
    let Some(projection) = ctx.projection() else {
        return;
    };
    if let Some(limit) = ctx.policies.workflow_monthly_usd() {
        let ceiling = Ceiling {
            what: "the policy limit per workflow",
            amount: projection.monthly_usd,
            ceiling: limit.value,
            per_image: false,
        };
        let primary = Label::new(
            &ctx.manifest.file,
            ctx.entry.workflow.key_span,
            format!("projected {} a month", monthly(projection.monthly_usd)),
        );
        judge(
            &ceiling,
            &limit,
            "/rules/limits/workflow_monthly_usd",
            primary,
            ctx.policies,
            Some(ctx),
            out,
        );
    }
    let per_image_limit = ctx.policies.per_accepted_image_usd();
    if let (Some(limit), None) = (&per_image_limit, projection.per_accepted_image_usd)
        && let Some(reason) = unbounded_per_image(projection)
    {
        let primary = Label::new(
            &ctx.manifest.file,
            ctx.entry.workflow.key_span,
            "no figure per accepted image",
        );
        let mut diagnostic = Diagnostic::new(
            &IC304,
            format!(
                "{reason}, over the policy limit per accepted image of {}",
                per_image(limit.value)
            ),
            primary,
        )
        .with_related(limit_label(
            limit,
            "/rules/limits/per_accepted_image_usd",
            per_image(limit.value),
        ))
        .with_help("images are paid for but (next to) none is kept: check `requests_per_month` and `accepted_fraction`")
        .with_workflow(ctx.id());
        diagnostic.add_related(ctx.cost_drivers());
        out.push(diagnostic);
    }
    if let (Some(limit), Some(amount)) = (per_image_limit, projection.per_accepted_image_usd) {
        let ceiling = Ceiling {
            what: "the policy limit per accepted image",
            amount,
            ceiling: limit.value,
            per_image: true,
        };
        let primary = Label::new(
            &ctx.manifest.file,
            ctx.entry.workflow.key_span,
            format!("projected {} per accepted image", per_image(amount)),
        );
        judge(
            &ceiling,
            &limit,
            "/rules/limits/per_accepted_image_usd",
            primary,
            ctx.policies,
            Some(ctx),
            out,
        );
    }
}

fn judge(
    ceiling: &Ceiling<'_>,
    limit: &Strictest<'_, Decimal>,
    pointer: &str,
    primary: Label,
    policies: &PolicySet,
    ctx: Option<&WorkflowContext<'_>>,
    out: &mut Vec<Diagnostic>,
) {
    let subject = ctx.map(WorkflowContext::id);
    match standing(ceiling.amount, ceiling.ceiling, None) {
        Standing::Over => {
            let mut diagnostic = Diagnostic::new(&IC304, ceiling.over_message(), primary)
                .with_related(limit_label(limit, pointer, ceiling.show(limit.value)))
                .with_help(
                    "bring the projection under the limit (`imgcost explain` shows what drives it)",
                );
            if let Some(ctx) = ctx {
                diagnostic.add_related(ctx.cost_drivers());
            }
            diagnostic.workflow = subject;
            out.push(diagnostic);
        }
        Standing::Near | Standing::Under => {
            out.extend(near_finding(ceiling, policies, primary).map(|mut d| {
                d.workflow = subject;
                d
            }))
        }
    }
}

/// `limits.manifest_monthly_usd` for manifest `index`.
pub fn check_manifest(
    report: &Report,
    index: usize,
    policies: &PolicySet,
    out: &mut Vec<Diagnostic>,
) {
    let Some(limit) = policies.manifest_monthly_usd() else {
        return;
    };
    let manifest = &report.manifests[index];
    // A total past the largest amount is already an IC108 error, which cannot be lowered
    // or exempted.
    let Some(total) = report.manifest_monthly_usd(index) else {
        return;
    };
    let span = manifest.workflows_span;
    let primary = Label::new(
        &manifest.file,
        span,
        format!("these workflows project {} a month", monthly(total)),
    );
    let ceiling = Ceiling {
        what: "the policy limit per manifest",
        amount: total,
        ceiling: limit.value,
        per_image: false,
    };
    let before = out.len();
    judge(
        &ceiling,
        &limit,
        "/rules/limits/manifest_monthly_usd",
        primary,
        policies,
        None,
        out,
    );
    for diagnostic in &mut out[before..] {
        diagnostic.workflow = Some(Arc::from(format!("{}/*", manifest.project)));
    }
}

/// `limits.total_monthly_usd` over everything checked in the run, located at the limit.
pub fn check_total(report: &Report, policies: &PolicySet, out: &mut Vec<Diagnostic>) {
    let Some(limit) = policies.total_monthly_usd() else {
        return;
    };
    // A total past the largest amount is already an IC108 error, which cannot be lowered
    // or exempted.
    let Some(total) = report.monthly_usd() else {
        return;
    };
    let primary = limit.policy.label(
        "/rules/limits/total_monthly_usd",
        format!(
            "policy `{}`: total limit {}",
            limit.policy.name,
            monthly(limit.value)
        ),
    );
    let ceiling = Ceiling {
        what: "the policy limit for everything checked",
        amount: total,
        ceiling: limit.value,
        per_image: false,
    };
    match standing(total, limit.value, None) {
        Standing::Over => {
            let mut costliest: Vec<_> = report
                .workflows
                .iter()
                .filter_map(|w| Some((w.monthly_usd()?, w)))
                .collect();
            costliest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.workflow.id.cmp(&b.1.workflow.id)));
            let mut diagnostic = Diagnostic::new(&IC304, ceiling.over_message(), primary)
                .with_help("reduce the costliest workflows (labelled) or raise the limit through the policy's owners")
                .with_workflow("*");
            diagnostic.related = costliest
                .into_iter()
                .take(3)
                .map(|(cost, w)| {
                    Label::new(
                        &w.file,
                        w.workflow.key_span,
                        format!("{} {}", w.workflow.id, monthly(cost)),
                    )
                })
                .collect();
            out.push(diagnostic);
        }
        Standing::Near | Standing::Under => {
            out.extend(near_finding(&ceiling, policies, primary).map(|d| d.with_workflow("*")))
        }
    }
}
