//! Renderers: the same [`Report`](crate::Report) as human text, JSON, SARIF, GitHub annotations,
//! Markdown or JUnit, and the texts of `explain`, `quote` and `ratecard`. Each is a pure function
//! from data to text, golden-tested.

pub mod diff;
pub mod explain;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod quote;
pub mod ratecard;
pub mod sarif;
