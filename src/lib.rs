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

pub mod foundation;
pub mod input;
pub mod model;
pub mod policy;
pub mod pricing;
pub mod render;
pub mod report;
pub mod rules;
pub mod run;

// The modules of earlier releases, kept under their names for library users.
pub use foundation::decimal;
pub use input::{discovery, file_reader, git};
pub use pricing::{projection, ratecard};
pub use run::{diff, init};

pub use foundation::{
    Date, DecodeError, Diagnostic, Error, Exempted, Label, LineColumn, Rule, Severity,
    SeveritySetting, SourceFile, printable, sort_and_dedup,
};
pub use input::Workspace;
pub use model::{
    Background, Complexity, Dimensions, Endpoint, FIELD_PATHS, Fidelity, FieldSpans, InputImage,
    Inputs, Latency, Mainline, Manifest, Moderation, OutputFormat, Quality, Request, Schema, Size,
    Volume, Workflow, WorkflowBudget, WorkflowSpec, closest, load_tree, typed_error,
};
pub use pricing::{
    ByKind, Confidence, Fact, PricingError, Projection, QuoteRequest, RateCard, Tier, TokenKind,
    project, quote,
};
pub use report::{Counts, Report, WorkflowEntry};
pub use run::{
    CheckOptions, Context, Explanation, ManifestInput, UnknownWorkflow, check, check_inputs,
    evaluate, evaluate_paths, explain,
};
