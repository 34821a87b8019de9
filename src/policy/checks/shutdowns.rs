//! What IC102 and IC103 share: the models a workflow depends on (its image model, the mainline
//! model of a `responses` workflow, the model that writes an SVG), and how a shutdown's
//! replacements and source are worded.

use super::context::WorkflowContext;
use crate::model::{Endpoint, OutputFormat};
use crate::pricing::ratecard::Shutdown;

/// A model the workflow calls, where it is named, and the card's record of its shutdown.
pub struct Called<'a> {
    /// The field naming it (`model`, `mainline/model`, `svg/model`).
    pub field: &'static str,
    /// How a message introduces it (empty for the image model).
    pub role: &'static str,
    pub shutdown: Shutdown<'a>,
}

/// The models of the workflow that the card records a shutdown for.
pub fn called<'a>(ctx: &WorkflowContext<'a>) -> Vec<Called<'a>> {
    let spec = &ctx.entry.workflow.spec;
    let mut found = Vec::new();
    if let Some(shutdown) = ctx.card.image_shutdown(&spec.model) {
        found.push(Called {
            field: "model",
            role: "",
            shutdown,
        });
    }
    if spec.endpoint == Endpoint::Responses
        && let Some(mainline) = &spec.mainline
        && let Some(shutdown) = ctx.card.text_shutdown(&mainline.model)
    {
        found.push(Called {
            field: "mainline/model",
            role: "the mainline model ",
            shutdown,
        });
    }
    if spec.request.output_format == Some(OutputFormat::Svg)
        && let Some(author) = &spec.svg
        && let Some(shutdown) = ctx.card.text_shutdown(&author.model)
    {
        found.push(Called {
            field: "svg/model",
            role: "the SVG author ",
            shutdown,
        });
    }
    found
}

/// The replacements after the card's own: `" (or a, or b, not priced by this card)"`, or empty.
pub fn others(ctx: &WorkflowContext<'_>, shutdown: &Shutdown<'_>) -> String {
    let names: Vec<String> = shutdown
        .replacements()
        .skip(usize::from(shutdown.replacement.is_some()))
        .map(|name| {
            if ctx.card.prices(name) {
                name.to_owned()
            } else {
                format!("{name}, not priced by this card")
            }
        })
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(" (or {})", names.join("; or "))
    }
}

/// Where the card names no replacement of its own: the ones the sources name,
/// `"; the sources name a (not priced by this card)"`, or empty.
pub fn named_only(ctx: &WorkflowContext<'_>, shutdown: &Shutdown<'_>) -> String {
    if shutdown.replacement.is_some() {
        return String::new();
    }
    let names: Vec<String> = shutdown
        .replacements()
        .map(|name| {
            if ctx.card.prices(name) {
                name.to_owned()
            } else {
                format!("{name} (not priced by this card)")
            }
        })
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("; the sources name {}", names.join(" or "))
    }
}

/// The source of the shutdown record, for a finding's help: `"; shutdown: SOURCE [medium]"`.
pub fn source(shutdown: &Shutdown<'_>) -> String {
    shutdown.lifecycle.map_or_else(String::new, |lifecycle| {
        format!(
            ". Shutdown record [{}]: {}",
            lifecycle.confidence, lifecycle.source
        )
    })
}
