//! Turns YAML text into a spanned [`Node`] tree, safely.
//!
//! This is the first step of every file imgcost reads (manifests, policies, rate cards). It pulls
//! events from `saphyr-parser` itself instead of calling saphyr's recursive loader, so that it
//! can enforce limits before anything recurses: a nesting depth limit, an alias-expansion budget
//! (billion laughs), a budget for the copies anchors keep (proportional to the file), and one
//! document per file. Duplicate keys are found here and reported with both places, and tags and
//! directives it reads past are returned for IC006. Scalars resolve by the YAML 1.2 core schema,
//! so `no` stays the string `"no"`.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr::Scalar as CoreScalar;
use saphyr_parser::{Event, Parser, ScalarStyle, Span as ParserSpan, Tag};

use super::ignored::{self, Ignored, Tagged};
use super::node::{CopyCost, Entry, Node, NodeKind, Resolved, Scalar};
use super::text_input::TextInput;
use crate::Span;

/// Deepest nesting of sequences and mappings accepted. Manifests need about six levels.
pub const MAX_DEPTH: usize = 64;

/// Most nodes that alias expansion may copy in one file (a long scalar counts as several: see
/// [`CopyCost`]).
pub const ALIAS_NODE_LIMIT: usize = 10_000;

/// Most nodes that anchors and merged `defaults:` may copy in one file together: one per byte of
/// its text, plus the alias limit. An anchored value is kept in the anchor table as a copy;
/// anchors nested in anchors are copied again at every level, so without a limit a megabyte of
/// nested anchors (no alias needed) took gigabytes. Anchors that do not nest never reach it:
/// together they are smaller than the file, plus what aliases copied into them, which the alias
/// limit bounds (so an alias bomb still meets that limit first).
#[must_use]
pub const fn copy_budget(text_len: usize) -> usize {
    text_len.saturating_add(ALIAS_NODE_LIMIT)
}

/// A mapping switches from a linear scan to a hash index for duplicate keys above this size.
const LINEAR_KEY_SCAN: usize = 16;

/// A syntax error or a limit (IC001), with its place. Loading stops at the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// The same key twice in one mapping (IC003): the first and the repeated key. Loading goes on
/// (keeping the first value) so that other problems in the file are reported too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: Span,
    pub second: Span,
}

/// A loaded file: its tree, and the duplicate keys that were dropped from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Node,
    pub duplicate_keys: Vec<DuplicateKey>,
    /// Nodes copied into the anchor table, as [`CopyCost`] counts them: charged to
    /// [`copy_budget`], whose rest is left for merging `defaults:`.
    pub copied_nodes: usize,
    /// Tags and directives read past (IC006), in file order.
    pub ignored: Vec<Ignored>,
}

/// Loads the single document in `text`. An empty file (or one with only comments) is a null
/// node at offset 0.
///
/// # Errors
/// The first syntax error or exceeded limit.
pub fn load(text: &str) -> Result<Document, SyntaxError> {
    let offsets = CharOffsets::new(text);
    let mut loader = Loader {
        text,
        offsets: &offsets,
        ignored: ignored::directives(text),
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_budget: ALIAS_NODE_LIMIT,
        copy_budget: copy_budget(text.len()),
        copied_nodes: 0,
        root: None,
        documents: 0,
        document_start: 0,
        duplicates: Vec::new(),
    };
    for event in Parser::new(TextInput::new(text)) {
        let step = match event {
            Ok((event, span)) => loader.on_event(event, span),
            Err(error) => {
                let at = offsets.byte(error.marker().index());
                // saphyr's own limit, reached in `[[[…` before our depth check sees the
                // events: the same finding as ours, in the same words.
                if error.info() == "recursion limit exceeded" {
                    Err(too_deep(at))
                } else {
                    Err(SyntaxError {
                        span: tab_before(text, at)
                            .filter(|_| error.info().contains("tab"))
                            .map_or(Span::point(at), |tab| Span::new(tab, tab + 1)),
                        message: format!("YAML syntax error: {}", error.info()),
                        help: syntax_help(error.info()).or_else(|| indentation_slip(text, at)),
                    })
                }
            }
        };
        step?;
    }
    let root = loader.root.unwrap_or_default();
    Ok(Document {
        root,
        duplicate_keys: loader.duplicates,
        copied_nodes: loader.copied_nodes,
        ignored: loader.ignored,
    })
}

fn too_deep(at: usize) -> SyntaxError {
    SyntaxError {
        span: Span::point(at),
        message: format!("nesting deeper than {MAX_DEPTH} levels"),
        help: Some("a manifest needs about six levels; this file is not a manifest or was generated wrongly".to_owned()),
    }
}

/// The first tab on the line of `at`, before it. saphyr reports a tab that indents at the text
/// after the indentation; the tab itself is what to fix.
fn tab_before(text: &str, at: usize) -> Option<usize> {
    let before = text.get(..at)?;
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    before[line_start..].find('\t').map(|i| line_start + i)
}

fn syntax_help(info: &str) -> Option<String> {
    if info.contains("tab") {
        Some("YAML does not allow tabs for indentation; indent with spaces".to_owned())
    } else {
        None
    }
}

/// A line indented one space more or less than the line above it: the parser's message
/// ("mapping values are not allowed in this context") does not say that this is the cause.
fn indentation_slip(text: &str, at: usize) -> Option<String> {
    let before = text.get(..at.min(text.len()))?;
    let mut lines = before.rsplit('\n');
    let current_start = before.rfind('\n').map_or(0, |i| i + 1);
    let current = text
        .get(current_start..)?
        .lines()
        .next()
        .unwrap_or_default();
    lines.next();
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let above = lines.find(|line| {
        let trimmed = line.trim();
        !trimmed.is_empty() && !trimmed.starts_with('#')
    })?;
    let (here, there) = (indent(current), indent(above));
    let line = before.matches('\n').count() + 1;
    let reading = if here > there {
        "as part of the value above"
    } else {
        "as the end of the mapping above"
    };
    (here.abs_diff(there) == 1 && !current.trim().is_empty()).then(|| {
        format!(
            "line {line} is indented {here} spaces and the line above {there}: a one-space slip, which YAML reads {reading}; indent the keys of one mapping alike"
        )
    })
}

/// saphyr markers count characters; spans here are bytes. ASCII files (nearly all) need no
/// table at all.
struct CharOffsets {
    table: Option<Vec<u32>>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
                .chain(std::iter::once(
                    u32::try_from(text.len()).unwrap_or(u32::MAX),
                ))
                .collect()
        });
        Self {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(table) => table.get(char_index).map_or(self.len, |&b| b as usize),
        }
    }

    fn span(&self, span: ParserSpan) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }
}

enum Frame {
    Sequence {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Mapping {
        start: usize,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<Node>,
        index: Option<HashMap<String, usize>>,
    },
}

struct Anchor {
    node: Node,
    cost: CopyCost,
}

struct Loader<'a> {
    text: &'a str,
    offsets: &'a CharOffsets,
    ignored: Vec<Ignored>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchor>,
    alias_budget: usize,
    /// What anchors may still copy: [`copy_budget`] less `copied_nodes`.
    copy_budget: usize,
    copied_nodes: usize,
    root: Option<Node>,
    documents: usize,
    /// Where the document starts: its `---`, or the start of the file.
    document_start: usize,
    duplicates: Vec<DuplicateKey>,
}

impl Loader<'_> {
    fn on_event(&mut self, event: Event<'_>, span: ParserSpan) -> Result<(), SyntaxError> {
        let span_bytes = self.offsets.span(span);
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(()),
            Event::DocumentStart(explicit) => {
                self.documents += 1;
                if explicit {
                    self.document_start = span_bytes.start;
                }
                if self.documents > 1 {
                    return Err(SyntaxError {
                        span: span_bytes,
                        message: "the file holds more than one YAML document".to_owned(),
                        help: Some("keep one manifest per file; remove this `---` and what follows, or move it to its own file".to_owned()),
                    });
                }
                Ok(())
            }
            Event::SequenceStart(anchor, tag) => {
                self.check_depth(span_bytes, 0)?;
                if tag.is_some() {
                    self.check_tag(tag.as_deref(), Tagged::Sequence, span_bytes);
                }
                self.stack.push(Frame::Sequence {
                    start: span_bytes.start,
                    anchor,
                    items: Vec::new(),
                });
                Ok(())
            }
            Event::MappingStart(anchor, tag) => {
                self.check_depth(span_bytes, 0)?;
                if tag.is_some() {
                    self.check_tag(tag.as_deref(), Tagged::Mapping, span_bytes);
                }
                self.stack.push(Frame::Mapping {
                    start: span_bytes.start,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                    index: None,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = self.stack.pop().ok_or_else(|| internal(span_bytes))?;
                // A block collection's end event sits at the next token, often lines later; the
                // node ends with its last child instead, so a label on it stays on its lines.
                let (node, anchor) = match frame {
                    Frame::Sequence {
                        start,
                        anchor,
                        items,
                    } => {
                        let end = items.last().map_or(span_bytes.end, |n| n.span.end);
                        (
                            Node {
                                span: Span::new(start, end.max(start)),
                                kind: NodeKind::Sequence(items),
                            },
                            anchor,
                        )
                    }
                    Frame::Mapping {
                        start,
                        anchor,
                        entries,
                        ..
                    } => {
                        let end = entries.last().map_or(span_bytes.end, |e| e.value.span.end);
                        (
                            Node {
                                span: Span::new(start, end.max(start)),
                                kind: NodeKind::Mapping(entries),
                            },
                            anchor,
                        )
                    }
                };
                self.insert(node, anchor)
            }
            Event::Scalar(text, style, anchor, tag) => {
                if tag.is_some() {
                    self.check_tag(tag.as_deref(), Tagged::Scalar(&text, style), span_bytes);
                }
                let mut node = scalar_node(text, style, tag.as_ref(), span_bytes);
                // A document with nothing in it is an empty scalar placed after its last
                // comment, possibly past the last line; point at where the document starts.
                if self.stack.is_empty() && is_implicit_null(&node, style, tag.as_ref()) {
                    node.span = Span::point(self.document_start);
                }
                self.insert(node, anchor)
            }
            Event::Alias(id) => {
                let Some(anchor) = self.anchors.get(&id) else {
                    return Err(SyntaxError {
                        span: span_bytes,
                        message: "alias to an unknown anchor".to_owned(),
                        help: None,
                    });
                };
                if anchor.cost.nodes > self.alias_budget {
                    return Err(SyntaxError {
                        span: span_bytes,
                        message: format!(
                            "alias expansion exceeds the limit of {ALIAS_NODE_LIMIT} nodes (possible alias bomb)"
                        ),
                        help: Some("write the values out instead of nesting aliases".to_owned()),
                    });
                }
                let cost = anchor.cost;
                self.check_depth(span_bytes, cost.height)?;
                self.alias_budget -= cost.nodes;
                let mut node = self.anchors[&id].node.clone();
                // The copy as a whole sits where the alias is written; what is inside it keeps
                // the places of the anchor's text, where a fix would be made.
                node.span = span_bytes;
                self.insert(node, 0)
            }
        }
    }

    /// Notes a tag the loader does not honour, at the tag itself. Called only for tagged nodes,
    /// which few files have.
    fn check_tag(&mut self, tag: Option<&Tag>, on: Tagged<'_>, node: Span) {
        if let Some(tag) = tag
            && !ignored::honoured(tag, on)
        {
            self.ignored.push(ignored::tag_at(self.text, node.start));
        }
    }

    fn check_depth(&self, span: Span, extra: usize) -> Result<(), SyntaxError> {
        if self.stack.len() + extra >= MAX_DEPTH {
            return Err(too_deep(span.start));
        }
        Ok(())
    }

    /// Charges an anchored value's copy to the file's copy budget, before it is made.
    fn charge_anchor(&mut self, nodes: usize, at: Span) -> Result<(), SyntaxError> {
        if nodes > self.copy_budget {
            return Err(SyntaxError {
                span: Span::point(at.start),
                message: format!(
                    "anchored values copy more than {} nodes, the limit for a file of this size (possible anchor bomb)",
                    self.copied_nodes.saturating_add(self.copy_budget)
                ),
                help: Some("an anchored value is copied, and anchors inside it are copied again at each level; anchor smaller parts, or write the values out".to_owned()),
            });
        }
        self.copy_budget -= nodes;
        self.copied_nodes += nodes;
        Ok(())
    }

    fn insert(&mut self, node: Node, anchor: usize) -> Result<(), SyntaxError> {
        if anchor > 0 {
            let cost = node.copy_cost();
            self.charge_anchor(cost.nodes, node.span)?;
            self.anchors.insert(
                anchor,
                Anchor {
                    node: node.clone(),
                    cost,
                },
            );
        }
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Sequence { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Mapping {
                entries,
                pending_key,
                index,
                ..
            }) => {
                let Some(key) = pending_key.take() else {
                    if !matches!(node.kind, NodeKind::Scalar(_)) {
                        return Err(SyntaxError {
                            span: Span::point(node.span.start),
                            message:
                                "a mapping key must be a plain value, not a sequence or mapping"
                                    .to_owned(),
                            help: None,
                        });
                    }
                    *pending_key = Some(node);
                    return Ok(());
                };
                let text = key.as_str().unwrap_or_default();
                let first = match index {
                    Some(index) => index.get(text).copied(),
                    None => entries.iter().position(|e| e.key.as_str() == Some(text)),
                };
                if let Some(first) = first {
                    self.duplicates.push(DuplicateKey {
                        key: text.to_owned(),
                        first: entries[first].key.span,
                        second: key.span,
                    });
                    return Ok(());
                }
                if let Some(index) = index {
                    index.insert(text.to_owned(), entries.len());
                }
                entries.push(Entry { key, value: node });
                if index.is_none() && entries.len() > LINEAR_KEY_SCAN {
                    *index = Some(
                        entries
                            .iter()
                            .enumerate()
                            .map(|(i, e)| (e.key.as_str().unwrap_or_default().to_owned(), i))
                            .collect(),
                    );
                }
                Ok(())
            }
        }
    }
}

fn internal(span: Span) -> SyntaxError {
    SyntaxError {
        span,
        message: "unbalanced YAML events (a bug in imgcost; please report it)".to_owned(),
        help: None,
    }
}

/// An empty plain scalar: what the parser reports for a value, or a document, with nothing in it.
fn is_implicit_null(node: &Node, style: ScalarStyle, tag: Option<&Cow<'_, Tag>>) -> bool {
    style == ScalarStyle::Plain && tag.is_none() && node.as_str() == Some("")
}

fn scalar_node(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Cow<'_, Tag>>,
    span: Span,
) -> Node {
    let resolved = if tag.is_none() && !could_be_other_than_string(&text, style) {
        Resolved::String
    } else {
        match CoreScalar::parse_from_cow_and_metadata(Cow::Borrowed(text.as_ref()), style, tag) {
            Some(CoreScalar::Null) => Resolved::Null,
            Some(CoreScalar::Boolean(b)) => Resolved::Bool(b),
            Some(CoreScalar::Integer(i)) => Resolved::Integer(i),
            Some(CoreScalar::FloatingPoint(f)) => Resolved::Float(f.into_inner()),
            Some(CoreScalar::String(_)) | None => Resolved::String,
        }
    };
    Node {
        span,
        kind: NodeKind::Scalar(Scalar {
            text: text.into_owned(),
            resolved,
        }),
    }
}

/// Whether an untagged scalar may resolve to null, a boolean or a number under the YAML 1.2
/// core schema: only plain scalars can, and only those starting with one of `~nNtTfF+-.` or a
/// digit (or empty). The rest, most keys and names, skip the full resolution.
fn could_be_other_than_string(text: &str, style: ScalarStyle) -> bool {
    style == ScalarStyle::Plain
        && text.as_bytes().first().is_none_or(|first| {
            first.is_ascii_digit()
                || matches!(
                    first,
                    b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'+' | b'-' | b'.'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> SyntaxError {
        load(text).unwrap_err()
    }

    #[test]
    fn spans_are_bytes_even_after_non_ascii_text() {
        let node = load("name: démo\nquality: ultra\n").unwrap().root;
        let (key, value) = node.pointer("/quality").unwrap();
        assert_eq!(key.unwrap().span, Span::new(12, 19));
        assert_eq!(value.span, Span::new(21, 26));
    }

    #[test]
    fn duplicate_keys_report_both_places() {
        let document = load("a: 1\nb: 2\na: 3\nb: 4\n").unwrap();
        assert_eq!(
            document.duplicate_keys,
            vec![
                DuplicateKey {
                    key: "a".into(),
                    first: Span::new(0, 1),
                    second: Span::new(10, 11)
                },
                DuplicateKey {
                    key: "b".into(),
                    first: Span::new(5, 6),
                    second: Span::new(15, 16)
                },
            ]
        );
        assert_eq!(document.root.get("a").and_then(Node::as_str), Some("1"));
    }

    #[test]
    fn duplicate_keys_in_large_mappings_are_found() {
        let mut text: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k42: again\n");
        let duplicates = load(&text).unwrap().duplicate_keys;
        assert_eq!(duplicates.len(), 1);
        assert_eq!(duplicates[0].key, "k42");
    }

    #[test]
    fn second_document_is_an_error_at_its_start() {
        let SyntaxError { span, message, .. } = problem("a: 1\n---\nb: 2\n");
        assert_eq!(span.start, 5);
        assert!(message.contains("more than one YAML document"));
    }

    #[test]
    fn deep_nesting_stops_at_the_limit_without_overflowing() {
        let text = "- ".repeat(200_000) + "x";
        let SyntaxError { message, .. } = problem(&text);
        assert!(message.contains("nesting deeper than 64"), "{message}");
        let text = "[".repeat(100_000);
        assert!(matches!(problem(&text), SyntaxError { .. }));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let refs = vec![format!("*a{}", level - 1); 9].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let SyntaxError { message, .. } = problem(&text);
        assert!(message.contains("alias expansion exceeds"), "{message}");
    }

    /// Gate integrity, class 8: what anchors copy is counted, and bounded by the file's size.
    #[test]
    fn copies_are_counted_and_bounded_by_the_files_size() {
        // Each level is copied again with what it holds: [x] is 2, b 1 + 1 + 2, a 1 + 1 + 4.
        assert_eq!(
            load("a: &a {b: &b {c: &c [x]}}\n").unwrap().copied_nodes,
            12
        );
        // A long scalar counts one node per 64 bytes.
        let text = format!("a: &a {}\n", "x".repeat(640));
        assert_eq!(load(&text).unwrap().copied_nodes, 11);
        // Anchors that do not nest are together smaller than the file: never refused.
        let text: String = (0..5_000)
            .map(|i| format!("k{i}: &a{i} {{x: [1, 2, 3], y: some text}}\n"))
            .collect();
        let document = load(&text).unwrap();
        assert!(
            document.copied_nodes <= text.len(),
            "{}",
            document.copied_nodes
        );
        // Nested ones are refused once their copies pass the file's size.
        let mut text = String::new();
        for level in 0..40 {
            let indent = " ".repeat(level);
            text.push_str(&format!(
                "{indent}a{level}: &a{level}\n{indent} p: [{}]\n",
                ["x"; 500].join(",")
            ));
        }
        let error = problem(&text);
        assert!(
            error.message.starts_with(&format!(
                "anchored values copy more than {} nodes",
                text.len() + ALIAS_NODE_LIMIT
            )),
            "{}",
            error.message
        );
    }

    #[test]
    fn yaml_1_1_booleans_stay_strings_and_numbers_keep_their_text() {
        let node = load("country: no\nprice: 0.10\nbig: 123456789012345678901234567890\n")
            .unwrap()
            .root;
        let scalar = |p: &str| match &node.pointer(p).unwrap().1.kind {
            NodeKind::Scalar(s) => s.clone(),
            _ => panic!(),
        };
        assert_eq!(scalar("/country").resolved, Resolved::String);
        assert_eq!(scalar("/price").text, "0.10");
        assert!(matches!(scalar("/big").resolved, Resolved::Float(_)));
    }

    #[test]
    fn the_string_fast_path_agrees_with_core_schema_resolution() {
        let samples = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "true",
            "True",
            "TRUE",
            "false",
            "FALSE",
            "0",
            "-1",
            "+7",
            "0x1F",
            "0o17",
            ".5",
            "-.5",
            "1e3",
            ".inf",
            "-.Inf",
            "+.INF",
            ".nan",
            ".NaN",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "abc",
            "Infinity",
            "nan",
            "gpt-image-2",
            "1024x1024",
            "high",
            "low",
            "é",
            "_x",
            "%",
            "@",
        ];
        for text in samples {
            for style in [ScalarStyle::Plain, ScalarStyle::SingleQuoted] {
                let full =
                    CoreScalar::parse_from_cow_and_metadata(Cow::Borrowed(text), style, None);
                let is_string = matches!(full, Some(CoreScalar::String(_)) | None);
                assert!(
                    could_be_other_than_string(text, style) || is_string,
                    "{text:?} ({style:?}) resolves to {full:?} but skipped resolution"
                );
            }
        }
    }

    #[test]
    fn empty_and_comment_only_files_are_null() {
        assert!(load("").unwrap().root.is_null());
        assert!(load("# nothing here\n").unwrap().root.is_null());
    }

    #[test]
    fn an_indenting_tab_is_pointed_at_itself() {
        let error = problem("a:\n  b:\n \t c: 1\n");
        assert_eq!(error.span, Span::new(9, 10));
        assert!(error.message.contains("tabs"), "{}", error.message);
    }

    #[test]
    fn the_scanner_depth_limit_reads_like_ours() {
        let error = problem(&"{a: ".repeat(1000));
        assert_eq!(
            error.message,
            format!("nesting deeper than {MAX_DEPTH} levels")
        );
    }

    #[test]
    fn an_empty_document_sits_at_its_marker() {
        let root = load("# a comment\n---\n# another\n").unwrap().root;
        assert!(root.is_null());
        assert_eq!(root.span, Span::point(12));
        assert_eq!(load("# a comment\n").unwrap().root.span, Span::point(0));
        // An explicit null stays where it is written.
        assert_eq!(load("--- ~\n").unwrap().root.span, Span::new(4, 5));
    }

    #[test]
    fn syntax_errors_are_located() {
        let SyntaxError { span, .. } = problem("a: 1\nb: [1, 2\n");
        assert!(span.start >= 5, "{span:?}");
    }
}
