//! Text of `imgcost explain`: each step of a workflow's projection with its arithmetic, its
//! result and the source of the rate-card rule it applies.

use std::fmt::Write as _;

use crate::render::human::usd;
use crate::run::Explanation;

/// Renders an explanation for a terminal or a code review.
#[must_use]
pub fn render(explanation: &Explanation<'_>) -> String {
    let entry = explanation.entry;
    let card = explanation.card;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  ({}:{}:{})",
        entry.workflow.id,
        entry.file.path(),
        entry.line,
        entry.column
    );
    let _ = writeln!(
        out,
        "rate card {} ({}, {}), effective from {}, checked {}\n",
        card.id, card.provider, card.currency, card.effective_from, card.checked
    );
    for (index, step) in explanation.steps.iter().enumerate() {
        let _ = writeln!(out, "{:>3}. {}: {}", index + 1, step.label, step.arithmetic);
        if !step.result.is_empty() {
            let _ = writeln!(out, "     = {}", step.result);
        }
        if let Some((source, confidence)) = &step.source {
            let _ = writeln!(out, "     source ({confidence}): {source}");
        }
    }
    match &explanation.outcome {
        Ok(projection) => {
            let per_image = projection
                .per_accepted_image_usd
                .map_or_else(|| "-".to_owned(), |v| usd(v, 4));
            let _ = writeln!(
                out,
                "\nmonthly {} · per accepted image {} · confidence {}",
                usd(projection.monthly_usd, 2),
                per_image,
                projection.confidence
            );
            if let Some(budget) = entry.budget_usd() {
                let _ = writeln!(out, "budget {} (budget.monthly_usd)", usd(budget, 2));
            }
        }
        Err(error) => {
            let _ = writeln!(
                out,
                "\ncannot price: {} [{}]",
                error.message, error.rule.code
            );
            if let Some(help) = &error.help {
                let _ = writeln!(out, "help: {help}");
            }
        }
    }
    out
}
