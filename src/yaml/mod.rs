//! YAML reading: the spanned tree, its safe loader and the typed view over it.

mod deserializer;
mod ignored;
mod loader;
mod node;
mod text_input;

pub use deserializer::{DeError, from_node};
pub use ignored::{Ignored, IgnoredKind};
pub use loader::{
    ALIAS_NODE_LIMIT, Document, DuplicateKey, MAX_DEPTH, SyntaxError, copy_budget, load,
};
pub use node::{CopyCost, Entry, Node, NodeKind, Resolved, Scalar};
