//! `imgcost ratecard shutdowns --models FILE`: every model the checked manifests call (the image
//! model, the mainline model of a `responses` workflow, the SVG author) that a saved
//! `GET /v1/models` response gives a `shutdown_date`, beside what the rate card says, so that a
//! shutdown the card does not know yet is seen before it breaks a workflow.

use std::collections::BTreeMap;

use crate::foundation::Date;
use crate::model::{Endpoint, OutputFormat};
use crate::pricing::RateCard;
use crate::pricing::api_models::{Listed, ModelList};
use crate::report::Report;

/// One model the manifests call that the API gives a shutdown date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiShutdown {
    /// The model as the manifests name it.
    pub model: String,
    /// The API's `shutdown_date`.
    pub api: Date,
    /// The card's shutdown of the model (by id or alias), if it records one.
    pub card: Option<Date>,
    /// The workflows that call it, in report order.
    pub workflows: Vec<String>,
}

impl ApiShutdown {
    /// Whether the card needs an update: it does not know the shutdown, or has another date.
    #[must_use]
    pub fn card_differs(&self) -> bool {
        self.card != Some(self.api)
    }
}

/// What the listing says of the models the manifests call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shutdowns {
    pub shutting_down: Vec<ApiShutdown>,
    /// Models called that the listing does not have (retired, or not visible to the key).
    pub unlisted: Vec<String>,
}

impl Shutdowns {
    /// Whether the gate should fail: a shutdown the card does not know (or dates otherwise), a
    /// model already shut down on `as_of`, or a model the listing does not have (a retired
    /// model leaves the list, so absence is no all-clear).
    #[must_use]
    pub fn fails(&self, as_of: Date) -> bool {
        !self.unlisted.is_empty()
            || self
                .shutting_down
                .iter()
                .any(|s| s.card_differs() || s.api <= as_of)
    }
}

/// The models the report's workflows call, each with the workflows calling it.
fn called(report: &Report) -> BTreeMap<String, Vec<String>> {
    let mut models: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in &report.workflows {
        let spec = &entry.workflow.spec;
        let mainline = spec
            .mainline
            .as_ref()
            .filter(|_| spec.endpoint == Endpoint::Responses);
        let author = spec
            .svg
            .as_ref()
            .filter(|_| spec.request.output_format == Some(OutputFormat::Svg));
        let names = std::iter::once(&spec.model)
            .chain(mainline.map(|m| &m.model))
            .chain(author.map(|a| &a.model));
        for name in names {
            let workflows = models.entry(name.clone()).or_default();
            if workflows.last().map(String::as_str) != Some(&*entry.workflow.id) {
                workflows.push(entry.workflow.id.to_string());
            }
        }
    }
    models
}

/// Compares the listing with the card for the models the report's workflows call. A model is
/// found in the listing by its own name, else by the card's id or aliases for it.
#[must_use]
pub fn shutdowns(report: &Report, card: &RateCard, list: &ModelList) -> Shutdowns {
    let mut found = Shutdowns::default();
    for (model, workflows) in called(report) {
        let known = card.shutdown_of(&model);
        let names: Vec<&str> = std::iter::once(model.as_str())
            .chain(known.iter().map(|s| s.id))
            .chain(card_aliases(card, &model))
            .collect();
        match names.iter().find_map(|name| list.models.get(*name)) {
            Some(Listed::ShutsDown(api)) => found.shutting_down.push(ApiShutdown {
                model,
                api: *api,
                card: known.map(|s| s.day),
                workflows,
            }),
            Some(Listed::Active) => {}
            None => found.unlisted.push(model),
        }
    }
    found
}

/// The canonical id and aliases the card gives a model name (image or text).
fn card_aliases<'a>(card: &'a RateCard, name: &str) -> Vec<&'a str> {
    let image = card.image_model(name).map(|(id, m)| (id, &m.aliases));
    let text = card.text_model(name).map(|(id, m)| (id, &m.aliases));
    image
        .or(text)
        .map(|(id, aliases)| {
            std::iter::once(id)
                .chain(aliases.iter().map(String::as_str))
                .collect()
        })
        .unwrap_or_default()
}
