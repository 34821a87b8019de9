//! Stage 2, model: what a manifest says.
//!
//! A file's YAML tree becomes a [`Manifest`] of [`Workflow`]s: `defaults:` merged, validated
//! against the JSON Schemas ([`Schema`], which also serve policies, rate cards and reports), and
//! read into typed structs ([`WorkflowSpec`], [`Request`]) that keep where each field is written
//! ([`FieldSpans`]). Below: `input`, `rules`, `foundation`.

pub mod attribution;
pub mod dimensions;
pub mod field_spans;
pub mod manifest;
pub mod request;
pub mod schema;
pub mod workflow;

pub use attribution::Attribution;
pub use dimensions::Dimensions;
pub use field_spans::{FIELD_PATHS, FieldSpans};
pub use manifest::{Manifest, load_tree, typed_error};
pub use request::{
    Background, Complexity, Fidelity, Moderation, OutputFormat, Quality, Request, Size,
};
pub use schema::{Schema, closest};
pub use workflow::{
    Endpoint, InputImage, Inputs, Latency, Mainline, Volume, Workflow, WorkflowBudget, WorkflowSpec,
};
