//! A serde `Deserializer` over the spanned [`Node`] tree.
//!
//! Typed structs (`Workflow`, `Policy`, `RateCard`) are read from the same tree the schema
//! validator saw, so there is one parse per file. Every error carries the span of the node that
//! caused it, and a scalar asked for as a string hands over its source text: that is how decimals
//! are read exactly as written (see `decimal`).

use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

use super::node::{Entry, Node, NodeKind, Resolved};
use crate::Span;

/// A typed-read error with the place it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeError {
    pub span: Option<Span>,
    pub message: String,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self {
            span: None,
            message: msg.to_string(),
        }
    }
}

/// Reads a `T` from a node.
///
/// # Errors
/// The first error, located at the innermost node that caused it.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, DeError> {
    T::deserialize(NodeDeserializer(node))
}

#[derive(Clone, Copy)]
struct NodeDeserializer<'a>(&'a Node);

impl NodeDeserializer<'_> {
    fn locate<T>(self, result: Result<T, DeError>) -> Result<T, DeError> {
        result.map_err(|mut error| {
            error.span.get_or_insert(self.0.span);
            error
        })
    }

    fn unexpected(self) -> de::Unexpected<'static> {
        match &self.0.kind {
            NodeKind::Sequence(_) => de::Unexpected::Seq,
            NodeKind::Mapping(_) => de::Unexpected::Map,
            NodeKind::Scalar(scalar) => match scalar.resolved {
                Resolved::Null => de::Unexpected::Unit,
                Resolved::Bool(b) => de::Unexpected::Bool(b),
                Resolved::Integer(i) => de::Unexpected::Signed(i),
                Resolved::Float(f) => de::Unexpected::Float(f),
                Resolved::String => de::Unexpected::Other("a string"),
            },
        }
    }
}

macro_rules! forward_to_any {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.deserialize_any(visitor)
        })*
    };
}

impl<'de> de::Deserializer<'de> for NodeDeserializer<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = match &self.0.kind {
            NodeKind::Scalar(scalar) => match scalar.resolved {
                Resolved::Null => visitor.visit_unit(),
                Resolved::Bool(b) => visitor.visit_bool(b),
                Resolved::Integer(i) => visitor.visit_i64(i),
                Resolved::Float(f) => visitor.visit_f64(f),
                Resolved::String => visitor.visit_str(&scalar.text),
            },
            NodeKind::Sequence(items) => visitor.visit_seq(Items(items.iter())),
            NodeKind::Mapping(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
        };
        self.locate(result)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = match &self.0.kind {
            // Numbers too: their text is what `decimal` parses exactly.
            NodeKind::Scalar(scalar) if scalar.resolved != Resolved::Null => {
                visitor.visit_str(&scalar.text)
            }
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        };
        self.locate(result)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = if self.0.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        };
        self.locate(result)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let result = match self.0.as_str() {
            Some(text) => visitor.visit_enum(text.into_deserializer()),
            None => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        };
        self.locate(result)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let result = visitor.visit_newtype_struct(self);
        self.locate(result)
    }

    forward_to_any! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64
        deserialize_char deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_seq
        deserialize_map deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }
}

struct Items<'a>(std::slice::Iter<'a, Node>);

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        self.0
            .next()
            .map(|node| seed.deserialize(NodeDeserializer(node)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'a> {
    entries: std::slice::Iter<'a, Entry>,
    value: Option<&'a Node>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(&entry.value);
        seed.deserialize(NodeDeserializer(&entry.key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let node = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("value without a key"))?;
        seed.deserialize(NodeDeserializer(node))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::load;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        name: String,
        #[serde(default)]
        count: u8,
        tags: Option<Vec<String>>,
    }

    #[test]
    fn errors_point_at_the_offending_node() {
        let node = load("name: a\ncount: 300\n").unwrap().root;
        let error = from_node::<Sample>(&node).unwrap_err();
        assert_eq!(error.span, Some(Span::new(15, 18)));
        let node = load("name: a\ncolour: red\n").unwrap().root;
        let error = from_node::<Sample>(&node).unwrap_err();
        assert_eq!(error.span, Some(Span::new(8, 14)));
        assert!(
            error.message.contains("unknown field `colour`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn reads_yaml_1_2_strings() {
        let node = load("name: no\ntags: [yes, off]\n").unwrap().root;
        let sample = from_node::<Sample>(&node).unwrap();
        assert_eq!(
            sample,
            Sample {
                name: "no".into(),
                count: 0,
                tags: Some(vec!["yes".into(), "off".into()])
            }
        );
    }
}
