//! Foundation: what every stage of the pipeline shares, and nothing else.
//!
//! The file a finding points into ([`SourceFile`], with line and column), the finding itself
//! ([`Diagnostic`], its [`Label`]s, its [`Severity`]), the description of a rule ([`Rule`]; the
//! rules themselves are declared in `crate::rules`), exact money ([`decimal`]), dates, and the
//! failures of a run ([`Error`]). Depends on nothing of imgcost but the YAML crate's `Span`.

pub mod date;
pub mod decimal;
pub mod diagnostic;
pub mod error;
pub mod rule;
pub mod severity;
pub mod source_file;

pub use date::Date;
pub use diagnostic::{Diagnostic, Exempted, Label, Text, counted, printable, sort_and_dedup};
pub use error::Error;
pub use rule::{Rule, Stage};
pub use severity::{Severity, SeveritySetting};
pub use source_file::{DecodeError, LineColumn, Origin, ReadAgain, SourceFile};
