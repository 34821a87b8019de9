//! `imgcost explain`: one workflow's projection, step by step, with the rate card's sources.
//!
//! It runs the same projection `check` runs, with a trace, so the figures are the same by
//! construction.

use crate::model::closest;

use crate::pricing::{Fact, PricingError, Projection, RateCard, project};

use crate::report::{Report, WorkflowEntry};

/// A workflow's arithmetic.
#[derive(Debug, Clone)]
pub struct Explanation<'a> {
    pub entry: &'a WorkflowEntry,
    pub card: &'a RateCard,
    /// What the projection established, in order (up to the error, if it failed).
    pub facts: Vec<Fact>,
    pub outcome: Result<Projection, PricingError>,
}

/// Why a workflow id could not be explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWorkflow {
    pub id: String,
    pub suggestion: Option<String>,
    pub known: usize,
}

/// Explains the workflow `id` of a checked report.
///
/// # Errors
/// When no workflow has that id (with the closest id as a suggestion).
pub fn explain<'a>(report: &'a Report, id: &str) -> Result<Explanation<'a>, UnknownWorkflow> {
    let Some(entry) = report.workflow(id) else {
        let suggestion =
            closest(id, report.workflows.iter().map(|w| &*w.workflow.id)).map(str::to_owned);
        return Err(UnknownWorkflow {
            id: id.to_owned(),
            suggestion,
            known: report.workflows.len(),
        });
    };
    let mut facts = Vec::new();
    let outcome = project(
        &entry.workflow.spec,
        &report.ratecard,
        report.as_of,
        Some(&mut facts),
    );
    Ok(Explanation {
        entry,
        card: &report.ratecard,
        facts,
        outcome,
    })
}
