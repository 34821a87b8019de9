//! Where each field of a workflow is written, kept after its YAML tree is gone.
//!
//! Rules, `diff` and `explain` point at fields (`request/quality`, `budget/monthly_usd`) after
//! the tree is gone. Keeping every workflow's tree for that costs kilobytes each; this table
//! keeps the key and value spans of the fields the manifest schema defines, a few hundred
//! bytes, and `check` lets go of it once the workflow's rules ran (`run::check::Keep`).

use crate::yaml::Node;
use crate::yaml::Span;

/// Every field path of a workflow, as the manifest schema defines them, each field's children
/// right after it (tests keep the list and the schema in step, and the order).
pub const FIELD_PATHS: &[&str] = &[
    "description",
    "owner",
    "labels",
    "endpoint",
    "model",
    "batch",
    "latency",
    "request",
    "request/size",
    "request/quality",
    "request/n",
    "request/output_format",
    "request/output_compression",
    "request/background",
    "request/partial_images",
    "request/input_fidelity",
    "request/moderation",
    "request/frames",
    "request/complexity",
    "volume",
    "volume/requests_per_month",
    "volume/retry_rate",
    "volume/accepted_fraction",
    "inputs",
    "inputs/prompt_tokens",
    "inputs/cached_fraction",
    "inputs/images",
    "mainline",
    "mainline/model",
    "mainline/input_tokens",
    "mainline/cached_fraction",
    "mainline/output_tokens",
    "svg",
    "svg/model",
    "svg/input_tokens",
    "svg/cached_fraction",
    "svg/output_tokens",
    "budget",
    "budget/monthly_usd",
    "budget/per_accepted_image_usd",
    "attribution",
];

/// The key and value spans of a workflow's written fields: for each, its index in
/// [`FIELD_PATHS`] and four byte offsets. Fifty thousand workflows keep this table, so it is
/// kept small: offsets from the table's first one in `u16` when they fit (a workflow and the
/// `defaults:` it inherits nearly always lie within 64 KiB), else in `u32` (files are capped at
/// 1 MiB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpans {
    table: Table,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Table {
    Narrow {
        base: u32,
        fields: Box<[(u8, [u16; 4])]>,
    },
    Wide(Box<[(u8, [u32; 4])]>),
}

impl Default for FieldSpans {
    fn default() -> Self {
        Self {
            table: Table::Wide(Box::default()),
        }
    }
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl FieldSpans {
    /// Records the fields written in a workflow's (merged) node, to two levels.
    #[must_use]
    pub fn of(node: &Node) -> Self {
        // Each path is written at most once (keys are unique), so the table fits in one
        // stack buffer and is allocated once, at its size.
        let mut fields = [(0, [0; 4]); FIELD_PATHS.len()];
        let mut count = 0;
        let mut record = |index: usize, key: Span, value: Span| {
            if let (Ok(index), Some(field)) = (u8::try_from(index), fields.get_mut(count)) {
                count += 1;
                *field = (
                    index,
                    [
                        offset(key.start),
                        offset(key.end),
                        offset(value.start),
                        offset(value.end),
                    ],
                );
            }
        };
        for entry in node.as_mapping().unwrap_or_default() {
            let key = entry.key.as_str().unwrap_or_default();
            let Some(index) = FIELD_PATHS.iter().position(|p| *p == key) else {
                continue;
            };
            record(index, entry.key.span, entry.value.span);
            // A field's children follow it in the list.
            let children = FIELD_PATHS[index + 1..]
                .iter()
                .map_while(|p| p.strip_prefix(key).and_then(|rest| rest.strip_prefix('/')));
            for child in entry.value.as_mapping().unwrap_or_default() {
                let child_key = child.key.as_str().unwrap_or_default();
                if let Some(offset) = children.clone().position(|name| name == child_key) {
                    record(index + 1 + offset, child.key.span, child.value.span);
                }
            }
        }
        let fields = &fields[..count];
        let base = fields
            .iter()
            .flat_map(|(_, offsets)| offsets.iter().copied())
            .min()
            .unwrap_or(0);
        let mut narrow = [(0, [0; 4]); FIELD_PATHS.len()];
        for (to, &(index, offsets)) in narrow.iter_mut().zip(fields) {
            let mut from_base = [0; 4];
            for (to, from) in from_base.iter_mut().zip(offsets) {
                let Ok(from) = u16::try_from(from - base) else {
                    return Self {
                        table: Table::Wide(Box::from(fields)),
                    };
                };
                *to = from;
            }
            *to = (index, from_base);
        }
        Self {
            table: Table::Narrow {
                base,
                fields: Box::from(&narrow[..count]),
            },
        }
    }

    /// The key and value spans of a field, when written.
    #[must_use]
    pub fn get(&self, path: &str) -> Option<(Span, Span)> {
        let index = FIELD_PATHS.iter().position(|p| *p == path)?;
        let [key_start, key_end, value_start, value_end] = match &self.table {
            Table::Narrow { base, fields } => {
                let (_, offsets) = fields.iter().find(|(i, _)| usize::from(*i) == index)?;
                offsets.map(|offset| *base as usize + usize::from(offset))
            }
            Table::Wide(fields) => {
                let (_, offsets) = fields.iter().find(|(i, _)| usize::from(*i) == index)?;
                offsets.map(|offset| offset as usize)
            }
        };
        Some((
            Span::new(key_start, key_end),
            Span::new(value_start, value_end),
        ))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::model::Schema;

    #[test]
    fn the_list_matches_the_manifest_schema() {
        let schema: Value = serde_json::from_str(Schema::Manifest.text()).unwrap();
        let fields = &schema["$defs"]["workflowFields"]["properties"];
        let mut expected = Vec::new();
        for (name, property) in fields.as_object().unwrap() {
            expected.push(name.clone());
            for child in property
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|o| o.keys())
            {
                expected.push(format!("{name}/{child}"));
            }
        }
        let mut listed: Vec<String> = FIELD_PATHS.iter().map(|p| (*p).to_owned()).collect();
        expected.sort();
        listed.sort();
        assert_eq!(listed, expected);
    }

    #[test]
    fn children_follow_their_parent() {
        for (index, path) in FIELD_PATHS.iter().enumerate() {
            if let Some((parent, _)) = path.split_once('/') {
                let before = FIELD_PATHS[..index]
                    .iter()
                    .rev()
                    .find(|p| !p.starts_with(&format!("{parent}/")));
                assert_eq!(before, Some(&parent), "{path} is not in its parent's group");
            }
        }
    }

    #[test]
    fn records_written_fields_to_two_levels() {
        let node = crate::yaml::load("model: m\nrequest: {quality: high}\n")
            .unwrap()
            .root;
        let fields = FieldSpans::of(&node);
        assert_eq!(
            fields.get("model"),
            Some((Span::new(0, 5), Span::new(7, 8)))
        );
        assert_eq!(
            fields.get("request/quality").map(|(_, v)| v),
            Some(Span::new(28, 32))
        );
        assert_eq!(fields.get("request/size"), None);
    }

    /// Offsets more than 64 KiB apart are kept in full.
    #[test]
    fn fields_far_apart_keep_their_offsets() {
        let text = format!(
            "model: m\ndescription: {}\nbatch: true\n",
            "x".repeat(70_000)
        );
        let node = crate::yaml::load(&text).unwrap().root;
        let fields = FieldSpans::of(&node);
        assert!(matches!(fields.table, Table::Wide(_)));
        let batch = text.find("batch").unwrap();
        assert_eq!(
            fields.get("batch"),
            Some((
                Span::new(batch, batch + 5),
                Span::new(batch + 7, batch + 11)
            ))
        );
        assert_eq!(
            fields.get("model"),
            Some((Span::new(0, 5), Span::new(7, 8)))
        );
        let near = FieldSpans::of(&crate::yaml::load("model: m\n").unwrap().root);
        assert!(matches!(near.table, Table::Narrow { .. }));
    }
}
