//! YAML reading for imgcost: the spanned tree, its safe loader and the typed view over it.
//!
//! The first stage of every file imgcost reads (manifests, policies, rate cards). [`load`] pulls
//! events from `saphyr-parser` and builds a [`Node`] tree in which every key and value keeps its
//! byte [`Span`], so that any finding can point at the exact place; it enforces limits before
//! anything recurses (nesting, alias expansion, copies into anchors, one document a file) and
//! reports duplicate keys and the tags and directives it reads past. [`from_node`] reads typed
//! structs from the same tree with serde. Nothing here knows what a manifest is.

mod deserializer;
mod ignored;
mod loader;
mod node;
mod span;
mod text_input;

pub use deserializer::{DeError, from_node};
pub use ignored::{Ignored, IgnoredKind};
pub use loader::{
    ALIAS_NODE_LIMIT, Document, DuplicateKey, MAX_DEPTH, SyntaxError, copy_budget, load,
};
pub use node::{CopyCost, Entry, Node, NodeKind, Resolved, Scalar};
pub use span::Span;
