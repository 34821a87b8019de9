//! YAML constructs that imgcost reads past (IC006): tags it does not honour and directives other
//! than `%YAML 1.2` and `%TAG`.
//!
//! imgcost reads every file by the YAML 1.2 core schema. A tag such as `!custom 3`, `!!binary …`
//! or `!!int "3"` (a core tag on a quoted value), and a `%YAML 1.1` directive, say that their
//! author expected another reading; imgcost does not give it, and says so at the tag or the
//! directive instead of staying silent. Tags come with saphyr's node events; directives are not
//! events, so the lines before the document are scanned (nearly every file has none: the scan
//! stops at its first line of content).

use std::borrow::Cow;

use saphyr::Scalar as CoreScalar;
use saphyr_parser::{ScalarStyle, Tag};

use crate::Span;

/// The handle saphyr gives the core schema's tags (`!!str` is this handle and `str`).
const CORE_HANDLE: &str = "tag:yaml.org,2002:";

/// Longest tag or directive shown in a message; the finding's place still covers all of it.
const SHOWN_CHARS: usize = 40;

/// A construct imgcost reads past, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub span: Span,
    pub kind: IgnoredKind,
    /// As written (cut after a few dozen characters): `!custom`, `%YAML 1.1`, `%FOO`.
    pub shown: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoredKind {
    Tag,
    /// `%YAML` with a version other than 1.2.
    YamlVersion,
    /// A directive other than `%YAML` and `%TAG`.
    UnknownDirective,
}

/// What a tag is on, to judge whether the loader honours it.
#[derive(Clone, Copy)]
pub enum Tagged<'a> {
    Scalar(&'a str, ScalarStyle),
    Sequence,
    Mapping,
}

/// Whether the loader reads a node as its tag says: a core tag that fits the node (`!!str` on
/// any scalar; `!!int`, `!!float`, `!!bool`, `!!null` on a plain scalar they resolve; `!!seq`,
/// `!!map`). saphyr reads every other tag as if it were not there.
#[must_use]
pub fn honoured(tag: &Tag, on: Tagged<'_>) -> bool {
    if tag.handle != CORE_HANDLE {
        return false;
    }
    match (on, tag.suffix.as_str()) {
        (Tagged::Scalar(..), "str") | (Tagged::Sequence, "seq") | (Tagged::Mapping, "map") => true,
        (Tagged::Scalar(text, ScalarStyle::Plain), "int" | "float" | "bool" | "null") => {
            let tag = Cow::Borrowed(tag);
            CoreScalar::parse_from_cow_and_metadata(
                Cow::Borrowed(text),
                ScalarStyle::Plain,
                Some(&tag),
            )
            .is_some()
        }
        _ => false,
    }
}

/// The tag among the properties that open a node at `start` (`&anchor !tag`, in either order).
/// Falls back to the node's start if it cannot be found.
#[must_use]
pub fn tag_at(text: &str, start: usize) -> Ignored {
    let mut at = start;
    let rest = |at: usize| text.get(at..).unwrap_or_default();
    loop {
        at += rest(at).len() - rest(at).trim_start().len();
        match rest(at).as_bytes().first() {
            Some(b'&') => at += token_len(rest(at)),
            Some(b'!') => {
                let len = if rest(at).starts_with("!<") {
                    rest(at)
                        .find('>')
                        .map_or_else(|| token_len(rest(at)), |i| i + 1)
                } else {
                    token_len(rest(at))
                };
                return Ignored {
                    span: Span::new(at, at + len),
                    kind: IgnoredKind::Tag,
                    shown: shorten(&rest(at)[..len]),
                };
            }
            _ => {
                return Ignored {
                    span: Span::point(start),
                    kind: IgnoredKind::Tag,
                    shown: "a tag".to_owned(),
                };
            }
        }
    }
}

/// Bytes up to whitespace or a flow indicator (which ends a tag or anchor in a flow collection).
fn token_len(text: &str) -> usize {
    text.find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
        .unwrap_or(text.len())
}

/// The directives before the document that imgcost ignores. Only the lines before the first
/// line of content are read.
#[must_use]
pub fn directives(text: &str) -> Vec<Ignored> {
    let mut ignored = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let content = line.trim_end();
        if content.trim_start().is_empty() || content.trim_start().starts_with('#') {
            continue;
        }
        let Some(directive) = content.strip_prefix('%') else {
            break;
        };
        // A comment after the directive is not part of it.
        let directive = directive
            .split_once(" #")
            .map_or(directive, |(before, _)| before)
            .trim_end();
        let mut words = directive.split_whitespace();
        let (kind, shown) = match (words.next(), words.next()) {
            (Some("TAG"), _) | (Some("YAML"), Some("1.2")) => continue,
            (Some("YAML"), version) => (
                IgnoredKind::YamlVersion,
                format!("%YAML {}", version.unwrap_or_default()),
            ),
            (name, _) => (
                IgnoredKind::UnknownDirective,
                format!("%{}", name.unwrap_or_default()),
            ),
        };
        ignored.push(Ignored {
            span: Span::new(start, start + 1 + directive.len()),
            kind,
            shown: shorten(&shown),
        });
    }
    ignored
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_found_after_an_anchor_and_cut_when_long() {
        let text = "a: &x !custom 3\nb: !<tag:x.org,1:y> [1]\nc: {d: !e, f: 1}\n";
        let tag = tag_at(text, 3);
        assert_eq!(
            (tag.span, tag.shown.as_str()),
            (Span::new(6, 13), "!custom")
        );
        let tag = tag_at(text, 19);
        assert_eq!(&text[tag.span.range()], "!<tag:x.org,1:y>");
        let tag = tag_at(text, 46);
        assert_eq!(&text[tag.span.range()], "!e");
        let long = format!("!{}", "t".repeat(100));
        assert_eq!(tag_at(&long, 0).shown, format!("!{}…", "t".repeat(39)));
    }

    #[test]
    fn directives_other_than_yaml_1_2_and_tag_are_ignored() {
        let text = "# c\n\n%YAML 1.1 # old\n%TAG ! tag:x.org,1:\n%FOO bar baz\n---\n%BAR\n";
        let found = directives(text);
        let shown: Vec<(&str, IgnoredKind, &str)> = found
            .iter()
            .map(|d| (&text[d.span.range()], d.kind, d.shown.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("%YAML 1.1", IgnoredKind::YamlVersion, "%YAML 1.1"),
                ("%FOO bar baz", IgnoredKind::UnknownDirective, "%FOO"),
            ]
        );
        assert!(directives("%YAML 1.2\n---\na: 1\n").is_empty());
        assert!(directives("version: 1\n%YAML 1.1\n").is_empty());
    }
}
