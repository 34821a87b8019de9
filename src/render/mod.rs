//! Renderers: the same [`Report`](crate::Report) as human text, JSON, SARIF, GitHub annotations,
//! Markdown or JUnit. Each is a pure function from data to text, golden-tested.

pub mod human;
pub mod json;
