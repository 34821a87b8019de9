//! The check of IC202: a manifest's workflows together are over the manifest's `budget.monthly_usd`.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::monthly;
use super::ic204_near_ceiling::{Ceiling, Standing, concerns, near_finding, standing};
use crate::foundation::{Diagnostic, Label};
use crate::policy::PolicySet;
use crate::report::Report;
use crate::rules::IC202;
use rust_decimal::Decimal;

/// Checks manifest `index` of the report.
pub fn check(report: &Report, index: usize, policies: &PolicySet, out: &mut Vec<Diagnostic>) {
    let manifest = &report.manifests[index];
    let Some(budget) = manifest.budget_usd else {
        return;
    };
    // A total past the largest amount is already an IC108 error, which cannot be lowered
    // or exempted.
    let Some(total) = report.manifest_monthly_usd(index) else {
        return;
    };
    let span = manifest.budget_span.unwrap_or(manifest.workflows_span);
    if !concerns(total, budget, policies) {
        return;
    }
    let primary = Label::new(
        &manifest.file,
        span,
        format!("manifest budget {}", monthly(budget)),
    );
    let subject = format!("{}/*", manifest.project);
    let ceiling = Ceiling {
        what: "the manifest budget",
        amount: total,
        ceiling: budget,
        per_image: false,
    };
    match standing(total, budget, None) {
        Standing::Over => {
            let mut priced: Vec<(&str, Decimal, Label)> = report
                .workflows_of(index)
                .iter()
                .filter_map(|w| {
                    let cost = w.monthly_usd()?;
                    Some((
                        &*w.workflow.id,
                        cost,
                        Label::new(&w.file, w.workflow.key_span, monthly(cost)),
                    ))
                })
                .collect();
            priced.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let mut diagnostic =
                Diagnostic::new(&IC202, ceiling.over_message(), primary).with_workflow(subject);
            diagnostic.related = priced
                .into_iter()
                .take(3)
                .map(|(_, _, label)| label)
                .collect();
            diagnostic.set_help(Some("reduce the costliest workflows (labelled), or raise the manifest's `budget.monthly_usd`"));
            if manifest.unreadable_workflows > 0
                || report
                    .workflows_of(index)
                    .iter()
                    .any(|w| w.projection.is_none())
            {
                diagnostic.message = [
                    &diagnostic.message,
                    " (at least: some workflows could not be priced)",
                ]
                .concat()
                .into();
            }
            out.push(diagnostic);
        }
        Standing::Near | Standing::Under => {
            out.extend(near_finding(&ceiling, policies, primary).map(|d| d.with_workflow(subject)))
        }
    }
}
