//! imgcost: a cost-policy checker for OpenAI image API workflows.
//!
//! The library does all the work and never prints; the binary (`src/main.rs`, `src/cli/`)
//! parses arguments, calls one entry point and picks a renderer from [`render`]. The modules
//! are the pipeline, bottom first, each importing only those before it: [`foundation`]
//! (files, diagnostics, money, dates), [`rules`] (the registry of rule codes), [`input`]
//! (workspace, git, discovery), [`model`] (schema and typed manifests), [`pricing`] (rate
//! cards and the one pricing function, [`project`]), [`report`] (the report and its typed JSON
//! model), [`policy`] (policies and the checks that judge a workflow), [`run`] (each command's
//! orchestration) and [`render`] (one writer per output format). `DEVELOPERS.md` draws it.
//!
//! The entry points: [`check()`] (paths on disk to a [`Report`]), [`check_inputs`] (manifests
//! already in memory), [`diff()`] (a change against a git revision or a saved report),
//! [`explain()`] (one workflow's arithmetic) and [`quote()`] (one request priced). The names
//! re-exported below are the types those take and return.

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

pub use foundation::{
    Date, DecodeError, Diagnostic, Error, Exempted, Label, LineColumn, Origin, ReadAgain, Rule,
    Severity, SeveritySetting, SourceFile, printable, sort_and_dedup,
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
pub use run::diff::{BaseSource, DiffRun, diff};
pub use run::{
    CheckOptions, Context, Explanation, Keep, ManifestInput, Texts, UnknownWorkflow, check,
    check_inputs, explain,
};
