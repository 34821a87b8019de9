//! imgcost: a cost-policy checker for OpenAI image API workflows.
//!
//! The library does all the work and never prints. A run goes: discover manifest files
//! (`discovery`), load each into a spanned YAML tree (`yaml`), validate it against the JSON
//! Schema ([`Schema`]), read the typed model ([`Manifest`], [`Workflow`]), and collect every
//! finding as a [`Diagnostic`] in a [`Report`]. The binary (`src/main.rs`, `src/cli/`) parses
//! arguments and picks a renderer from [`render`].

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub use imgcost_yaml as yaml;
pub use imgcost_yaml::Span;

mod check;
mod date;
pub mod decimal;
mod diagnostic;
pub mod diff;
mod dimensions;
pub mod discovery;
mod error;
mod explain;
mod field_spans;
pub mod file_reader;
pub mod git;
pub mod init;
mod manifest;
pub mod policy;
pub mod projection;
mod quote;
pub mod ratecard;
pub mod render;
mod report;
mod request;
mod rule;
pub mod rules;
mod schema;
mod severity;
mod source_file;
mod workflow;
mod workspace;

pub use check::{
    CheckOptions, Context, ManifestInput, check, check_inputs, evaluate, evaluate_paths,
};
pub use date::Date;
pub use diagnostic::{Diagnostic, Exempted, Label, printable, sort_and_dedup};
pub use dimensions::Dimensions;
pub use error::Error;
pub use explain::{Explanation, UnknownWorkflow, explain};
pub use field_spans::{FIELD_PATHS, FieldSpans};
pub use manifest::{Manifest, load_tree, typed_error};
pub use projection::{ByKind, PricingError, Projection, Step, Tier, project};
pub use quote::{QuoteRequest, quote};
pub use ratecard::{Confidence, RateCard};
pub use report::{Counts, Report, WorkflowEntry};
pub use request::{Background, Fidelity, Moderation, OutputFormat, Quality, Request, Size};
pub use rule::Rule;
pub use schema::{Schema, closest};
pub use severity::{Severity, SeveritySetting};
pub use source_file::{DecodeError, LineColumn, SourceFile};
pub use workflow::{
    Endpoint, InputImage, Inputs, Latency, Mainline, Volume, Workflow, WorkflowBudget, WorkflowSpec,
};
pub use workspace::Workspace;
