//! The check of IC405: the projection rests on low-confidence pricing.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::WorkflowContext;
use crate::foundation::Diagnostic;
use crate::pricing::Confidence;
use crate::rules::IC405;

/// `auto` assumptions have their own findings (IC401, IC402).
const REPORTED_ELSEWHERE: &[&str] = &["auto quality", "auto size"];

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(projection) = ctx.projection().filter(|p| p.confidence == Confidence::Low) else {
        return;
    };
    let weakest: Vec<&(&str, std::sync::Arc<str>)> = projection
        .assumptions
        .weakest
        .iter()
        .filter(|(what, _)| !REPORTED_ELSEWHERE.contains(what))
        .collect();
    if weakest.is_empty() {
        return;
    }
    let rules: Vec<&str> = weakest.iter().map(|(what, _)| *what).collect();
    let sources: Vec<String> = weakest
        .iter()
        .map(|(what, source)| format!("{what}: {source}"))
        .collect();
    out.push(
        Diagnostic::new(
            &IC405,
            format!(
                "the projection rests on low-confidence pricing ({})",
                rules.join(", ")
            ),
            ctx.value_label("model", "low-confidence rules"),
        )
        .with_help(sources.join("; "))
        .with_workflow(ctx.id()),
    );
}
