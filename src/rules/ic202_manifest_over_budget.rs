//! IC202: a manifest's workflows together are over the manifest's `budget.monthly_usd`.

use rust_decimal::Decimal;

use super::context::monthly;
use super::ic204_near_ceiling::{Ceiling, Standing, concerns, near_finding, standing};
use crate::policy::PolicySet;
use crate::{Diagnostic, Label, Report, Rule, Severity};

pub static IC202: Rule = Rule {
    code: "IC202",
    name: "manifest-over-budget",
    default_severity: Severity::Error,
    summary: "manifest total over its `budget.monthly_usd`",
    doc: r#"## Why it matters
A team's budget covers all of its image workflows. Each may be within its own budget while the
sum is not, typically after a new workflow is added. The finding points at the manifest's budget
and names the workflows that cost the most.

## Example
```yaml
budget: { monthly_usd: 1000 }      # the two workflows together: $1,345.72
workflows:
  product-hero: { ... }            # $1,081.33
  thumbnails: { ... }              # $264.38
```

## How to fix
Reduce the costliest workflows, or raise the manifest budget in the same pull request.
"#,
};

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
                        w.workflow.id.as_str(),
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
            diagnostic.set_help(Some("reduce the costliest workflows (labelled), or raise the manifest's `budget.monthly_usd`".to_owned()));
            if manifest.unreadable_workflows > 0
                || report
                    .workflows_of(index)
                    .iter()
                    .any(|w| w.projection.is_none())
            {
                diagnostic
                    .message
                    .push_str(" (at least: some workflows could not be priced)");
            }
            out.push(diagnostic);
        }
        Standing::Near | Standing::Under => {
            out.extend(near_finding(&ceiling, policies, primary).map(|d| d.with_workflow(subject)))
        }
    }
}
