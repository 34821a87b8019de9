//! The spanned YAML tree that everything downstream reads.
//!
//! The loader builds it once per file; the schema validator sees it as JSON
//! ([`Node::to_json`]), diagnostics find their place in it ([`Node::pointer`]), and the typed
//! model is deserialized from it (`yaml::deserializer`). Every key and every value keeps its
//! byte span, and scalars keep their source text so that numbers can be read exactly as written.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use crate::Span;

/// One YAML node with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Sequence(Vec<Node>),
    /// Entries in file order. Keys are always scalars; the loader rejects duplicates.
    Mapping(Vec<Entry>),
}

/// A mapping entry: the key node (for "unknown key" diagnostics) and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

/// A scalar as written, and what the YAML 1.2 core schema resolves it to.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub resolved: Resolved,
}

/// YAML 1.2 core schema resolution: `yes`/`no`/`on`/`off` stay strings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Integer(i64),
    /// A plain number that is not an `i64`: a decimal fraction, an exponent, `.inf`, `.nan`, or
    /// an integer too large for 64 bits. The exact text stays in [`Scalar::text`].
    Float(f64),
    String,
}

impl Node {
    /// The key text when this node is a scalar (mapping keys always are).
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(scalar) => Some(&scalar.text),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_mapping(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    /// The entry for `key` in a mapping node.
    #[must_use]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_mapping()?
            .iter()
            .find(|entry| entry.key.as_str() == Some(key))
    }

    /// The value for `key` in a mapping node.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(
            &self.kind,
            NodeKind::Scalar(Scalar {
                resolved: Resolved::Null,
                ..
            })
        )
    }

    /// Finds the node a JSON pointer (RFC 6901) names, with the key that introduces it when
    /// its parent is a mapping. This is the "pointer → span index": the tree is small and a
    /// lookup is only needed when a diagnostic is made, so walking it beats building a map for
    /// every node of every file.
    #[must_use]
    pub fn pointer(&self, pointer: &str) -> Option<(Option<&Node>, &Node)> {
        let mut key = None;
        let mut node = self;
        if pointer.is_empty() {
            return Some((None, node));
        }
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            match &node.kind {
                NodeKind::Mapping(entries) => {
                    let entry = entries
                        .iter()
                        .find(|e| e.key.as_str() == Some(token.as_str()))?;
                    key = Some(&entry.key);
                    node = &entry.value;
                }
                NodeKind::Sequence(items) => {
                    node = items.get(token.parse::<usize>().ok()?)?;
                    key = None;
                }
                NodeKind::Scalar(_) => return None,
            }
        }
        Some((key, node))
    }

    /// Every node of the tree by its JSON pointer, with the key that introduces it, as
    /// [`Node::pointer`] finds them. For a file with many findings, where walking the tree once
    /// per finding would take time quadratic in its size.
    #[must_use]
    pub fn pointer_index(&self) -> HashMap<String, (Option<&Node>, &Node)> {
        let mut index = HashMap::new();
        self.index_into(String::new(), None, &mut index);
        index
    }

    fn index_into<'a>(
        &'a self,
        pointer: String,
        key: Option<&'a Node>,
        index: &mut HashMap<String, (Option<&'a Node>, &'a Node)>,
    ) {
        match &self.kind {
            NodeKind::Mapping(entries) => {
                for entry in entries {
                    let token = entry.key.as_str().unwrap_or_default();
                    let token = token.replace('~', "~0").replace('/', "~1");
                    let child = format!("{pointer}/{token}");
                    entry.value.index_into(child, Some(&entry.key), index);
                }
            }
            NodeKind::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    item.index_into(format!("{pointer}/{i}"), None, index);
                }
            }
            NodeKind::Scalar(_) => {}
        }
        index.entry(pointer).or_insert((key, self));
    }

    /// The JSON value the schema validator sees. Numbers become JSON numbers (`i64` when they
    /// fit, else `f64`); a non-finite float has no JSON form and becomes its text, which the
    /// schema then rejects with the scalar's own span.
    #[must_use]
    pub fn to_json(&self) -> Value {
        match &self.kind {
            NodeKind::Scalar(scalar) => match scalar.resolved {
                Resolved::Null => Value::Null,
                Resolved::Bool(b) => Value::Bool(b),
                Resolved::Integer(i) => Value::Number(i.into()),
                Resolved::Float(f) => Number::from_f64(f)
                    .map_or_else(|| Value::String(scalar.text.clone()), Value::Number),
                Resolved::String => Value::String(scalar.text.clone()),
            },
            NodeKind::Sequence(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Mapping(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for entry in entries {
                    let key = entry.key.as_str().unwrap_or_default().to_owned();
                    map.insert(key, entry.value.to_json());
                }
                Value::Object(map)
            }
        }
    }

    /// Lays `self` over `base`: mappings merge key by key (recursively), anything else in
    /// `self` replaces `base`. Spans stay with the node they came from, so a value inherited
    /// from `defaults:` still points at its line under `defaults:`. Takes `self` so that only
    /// what is inherited is copied.
    #[must_use]
    pub fn merged_over(self, base: &Node) -> Node {
        let NodeKind::Mapping(inherited) = &base.kind else {
            return self;
        };
        let own = match self.kind {
            NodeKind::Mapping(own) => own,
            kind => return Node { kind, ..self },
        };
        let mut entries: Vec<Entry> = Vec::with_capacity(own.len() + inherited.len());
        for entry in inherited {
            if own.iter().all(|e| e.key.as_str() != entry.key.as_str()) {
                entries.push(entry.clone());
            }
        }
        for Entry { key, value } in own {
            let value = match inherited.iter().find(|e| e.key.as_str() == key.as_str()) {
                Some(base_entry) => value.merged_over(&base_entry.value),
                None => value,
            };
            entries.push(Entry { key, value });
        }
        Node {
            span: self.span,
            kind: NodeKind::Mapping(entries),
        }
    }
}

/// Bytes of scalar text that count as one more node when a copy is charged.
pub const TEXT_BYTES_PER_NODE: usize = 64;

/// What copying a subtree costs, and how deep it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyCost {
    /// One per node, plus one per `TEXT_BYTES_PER_NODE` bytes of scalar text (keys included),
    /// so that a long string copied many times is charged for its length, not as one node.
    pub nodes: usize,
    /// Nesting levels below the node (0 for a scalar).
    pub height: usize,
}

impl Node {
    /// The cost of copying this subtree (a walk of it: only for the rare nodes that are copied).
    #[must_use]
    pub fn copy_cost(&self) -> CopyCost {
        match &self.kind {
            NodeKind::Scalar(scalar) => CopyCost {
                nodes: 1 + scalar.text.len() / TEXT_BYTES_PER_NODE,
                height: 0,
            },
            NodeKind::Sequence(items) => items.iter().map(Self::copy_cost).fold(
                CopyCost {
                    nodes: 1,
                    height: 1,
                },
                |total, item| total.with_child(item),
            ),
            NodeKind::Mapping(entries) => entries.iter().fold(
                CopyCost {
                    nodes: 1,
                    height: 1,
                },
                |total, entry| {
                    let key = entry.key.copy_cost();
                    total
                        .with_child(entry.value.copy_cost())
                        .with_child(CopyCost { height: 0, ..key })
                },
            ),
        }
    }
}

impl CopyCost {
    fn with_child(self, child: Self) -> Self {
        Self {
            nodes: self.nodes.saturating_add(child.nodes),
            height: self.height.max(child.height + 1),
        }
    }
}

/// An empty plain scalar (null) at the start of the file: what an empty document loads as.
impl Default for Node {
    fn default() -> Self {
        Self {
            span: Span::point(0),
            kind: NodeKind::Scalar(Scalar {
                text: String::new(),
                resolved: Resolved::Null,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::load;

    #[test]
    fn the_pointer_index_finds_what_pointer_finds() {
        let root = load("a: {b/c: [1, {d~e: x}], f: ~}\ng: [[y]]\n")
            .unwrap()
            .root;
        let index = root.pointer_index();
        let pointers = [
            "",
            "/a",
            "/a/b~1c",
            "/a/b~1c/0",
            "/a/b~1c/1",
            "/a/b~1c/1/d~0e",
            "/a/f",
            "/g",
            "/g/0",
            "/g/0/0",
        ];
        for pointer in pointers {
            assert!(root.pointer(pointer).is_some(), "{pointer}");
            assert_eq!(
                index.get(pointer).copied(),
                root.pointer(pointer),
                "{pointer}"
            );
        }
        assert_eq!(index.len(), pointers.len());
    }
}
