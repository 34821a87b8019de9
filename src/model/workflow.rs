//! One image workflow of a manifest, as priced and judged.

use std::fmt;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::foundation::decimal;

use crate::model::FieldSpans;

use crate::yaml::Span;

/// A workflow after `defaults:` were merged under it, with its id and its place.
#[derive(Debug, Clone)]
pub struct Workflow {
    /// `<project>/<name>`; shared with the findings about the workflow.
    pub id: Arc<str>,
    /// The span of the workflow's name key, where workflow-wide findings point.
    pub key_span: Span,
    /// Where its fields are written (after `defaults:` were merged under it).
    pub fields: FieldSpans,
    pub spec: Box<WorkflowSpec>,
}

impl Workflow {
    /// The workflow's own name, the part of its id after the project. A project name holds no
    /// `/` (the schema's pattern, and the folder name is checked against it), so the first `/`
    /// ends it.
    #[must_use]
    pub fn name(&self) -> &str {
        self.id.split_once('/').map_or(&*self.id, |(_, name)| name)
    }

    /// The key and value spans of a field, by a path relative to the workflow
    /// (`"request/quality"`). `None` when the field is not written (it has its default).
    #[must_use]
    pub fn field(&self, path: &str) -> Option<(Span, Span)> {
        self.fields.get(path)
    }

    /// The span of a field's whole line content (`quality: high`) when written, else the
    /// closest written parent, else the workflow's name key.
    #[must_use]
    pub fn place(&self, path: &str) -> Span {
        let mut path = path;
        loop {
            if let Some((key, value)) = self.field(path) {
                return Span::new(key.start, value.end.max(key.end));
            }
            match path.rsplit_once('/') {
                Some((parent, _)) => path = parent,
                None => return self.key_span,
            }
        }
    }

    /// The span of a field's value when written, else of [`Self::place`].
    #[must_use]
    pub fn value_place(&self, path: &str) -> Span {
        self.field(path)
            .map_or_else(|| self.place(path), |(_, value)| value)
    }
}

/// Whether a field is written with a value (not `null`); the schema has checked its type.
fn written<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(Option::<serde::de::IgnoredAny>::deserialize(deserializer)?.is_some())
}

/// Whether a list is written with at least one item.
fn any_listed<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    let items = Option::<Vec<serde::de::IgnoredAny>>::deserialize(deserializer)?;
    Ok(items.is_some_and(|items| !items.is_empty()))
}

/// The fields of a workflow (docs/manifest.md), read from the merged node.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowSpec {
    /// Whether `description` is written. Only a policy's `require` asks about it (IC305), so its
    /// text is not kept: fifty thousand workflows' descriptions and labels were megabytes.
    #[serde(rename = "description", default, deserialize_with = "written")]
    pub has_description: bool,
    /// Whether `owner` is written here or on the manifest.
    #[serde(rename = "owner", default, deserialize_with = "written")]
    pub has_owner: bool,
    /// Whether `labels` lists any.
    #[serde(rename = "labels", default, deserialize_with = "any_listed")]
    pub has_labels: bool,
    #[serde(default)]
    pub endpoint: Endpoint,
    pub model: String,
    #[serde(default)]
    pub batch: bool,
    #[serde(default)]
    pub latency: Latency,
    #[serde(default)]
    pub request: crate::model::Request,
    pub volume: Volume,
    #[serde(default)]
    pub inputs: Inputs,
    /// Boxed, as are `svg` and `attribution`: few workflows write them, and each of the run's
    /// workflows keeps its spec (72, 72 and 48 bytes inline).
    pub mainline: Option<Box<Mainline>>,
    /// `output_format: svg` only: the text model that writes the SVG and its tokens per call.
    pub svg: Option<Box<Mainline>>,
    pub budget: Option<WorkflowBudget>,
    /// Whose usage belongs to it, its manifest's filling in what it does not say.
    pub attribution: Option<Box<crate::model::Attribution>>,
}

/// `endpoint:` the API route.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Deserialize, Serialize,
)]
pub enum Endpoint {
    #[default]
    #[serde(rename = "images.generate")]
    ImagesGenerate,
    #[serde(rename = "images.edit")]
    ImagesEdit,
    #[serde(rename = "responses")]
    Responses,
}

impl Endpoint {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ImagesGenerate => "images.generate",
            Self::ImagesEdit => "images.edit",
            Self::Responses => "responses",
        }
    }
}

impl std::str::FromStr for Endpoint {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::ImagesGenerate, Self::ImagesEdit, Self::Responses]
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not one of: images.generate, images.edit, responses"))
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `latency:` how long a result may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Latency {
    #[default]
    Interactive,
    Minutes,
    Hours,
    Day,
}

/// `volume:`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Volume {
    #[serde(deserialize_with = "decimal::deserialize")]
    pub requests_per_month: Decimal,
    #[serde(default, deserialize_with = "decimal::deserialize")]
    pub retry_rate: Decimal,
    #[serde(
        default = "decimal::one",
        deserialize_with = "decimal::deserialize_share"
    )]
    pub accepted_fraction: Decimal,
}

/// `inputs:`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    #[serde(default, deserialize_with = "decimal::deserialize_whole")]
    pub prompt_tokens: Decimal,
    #[serde(default, deserialize_with = "decimal::deserialize_share")]
    pub cached_fraction: Decimal,
    #[serde(default)]
    pub images: Vec<InputImage>,
}

/// One entry of `inputs.images`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputImage {
    pub size: crate::model::Dimensions,
    #[serde(default = "decimal::one", deserialize_with = "decimal::deserialize")]
    pub per_request: Decimal,
}

/// `mainline:` the text model of a `responses` workflow; also `svg:`, the text model that writes
/// an SVG (`svg.model` in the API), with its tokens per call as `svg_usage` reports them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mainline {
    pub model: String,
    #[serde(default, deserialize_with = "decimal::deserialize_whole")]
    pub input_tokens: Decimal,
    #[serde(default, deserialize_with = "decimal::deserialize_share")]
    pub cached_fraction: Decimal,
    #[serde(default, deserialize_with = "decimal::deserialize_whole")]
    pub output_tokens: Decimal,
}

/// `budget:` of a workflow.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowBudget {
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub monthly_usd: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub per_accepted_image_usd: Option<Decimal>,
}
