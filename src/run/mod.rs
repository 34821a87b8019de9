//! Stage 6, the commands: each one's whole orchestration, from paths to a result.
//!
//! [`check`](check::check) discovers, loads, prices and judges manifests into a `Report`;
//! [`diff`] compares a report with its base (a git revision or a saved report); [`explain()`]
//! traces one workflow's price; [`init`] writes a starter; [`shutdowns`] compares the models the
//! manifests call with a saved `GET /v1/models` listing; [`reconcile`] holds projections against
//! saved usage and costs. The binary only parses arguments, calls one of these and picks a
//! renderer. Below: `policy`, `report`, `pricing`, `model`,
//! `input`, `rules`, `foundation`.

pub mod check;
pub mod diff;
pub mod explain;
pub mod init;
pub mod policy_test;
pub mod ratchet;
pub mod reconcile;
pub mod shutdowns;

pub use check::{CheckOptions, Context, Keep, ManifestInput, Texts, check, check_inputs};
pub use explain::{Explanation, UnknownWorkflow, explain};
