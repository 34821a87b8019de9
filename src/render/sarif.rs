//! SARIF 2.1.0 (code scanning): every rule with its help and the address of its page, every
//! finding as a result with its physical location and region, related places, and exemptions as
//! suppressions. Columns count Unicode code points (`columnKind`), as everywhere in imgcost.
//!
//! Artifact URIs are relative to the repository root under `%SRCROOT%` (whatever the working
//! directory and however the paths were given, absolute ones included), as code scanning and
//! Microsoft's SARIF validator expect; a file outside the repository gets an absolute `file://`
//! URI without a base. Inside git, the run names the repository and commit
//! (`versionControlProvenance`).
//!
//! The log is typed (the structs below, serialized by serde in the order SARIF viewers show and
//! docs/report-formats.md lists), not the `serde-sarif` crate: its types are generated with
//! their members in alphabetical order and hold the results in a `Vec`, where this log keeps the
//! order it has always had and streams its results.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::foundation::decimal::Fixed;
use crate::foundation::{Diagnostic, Label, Rule, Severity};
use crate::report::Report;
use crate::report::json::Rendered;
use crate::rules;

/// Message text as SARIF reads it literally: a viewer turns `[text](url)` into a link, and
/// `[text](1)` into a link to a related location (SARIF 2.1.0, §3.11.6), so the brackets of
/// text the change wrote are escaped (`\[`, `\]`, and `\\` before them).
fn literal(text: &str) -> Cow<'_, str> {
    if !text.contains(['[', ']', '\\']) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    Cow::Owned(escaped)
}

/// Every byte but RFC 3986's unreserved characters and the path separator `/`: a file name may
/// hold `#`, `?`, `%`, spaces, `:` or any non-ASCII character, and a viewer resolves the URI
/// against `%SRCROOT%`, so each must be written as its UTF-8 bytes in `%XX` form to still name
/// the file (and a `:` never to read as a scheme).
const URI_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The relative URI reference of a path (`/`-separated, as imgcost shows every path).
fn uri(path: &str) -> Cow<'_, str> {
    utf8_percent_encode(path, URI_ESCAPED).into()
}

/// The relative URI reference of a path, as SARIF writes it (for links elsewhere).
#[must_use]
pub fn uri_reference(path: &str) -> Cow<'_, str> {
    uri(path)
}

/// The log: one run, in the order of the members below.
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_control_provenance: Option<[VersionControlDetails<'a>; 1]>,
    column_kind: &'static str,
    /// Inside the log, the run and its list: four containers deep.
    results: Rendered<'a, SarifResult<'a>>,
    properties: RunProperties<'a>,
}

/// Where the files of a run are: what `%SRCROOT%` stands for, and the commit.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VersionControlDetails<'a> {
    repository_uri: &'a str,
    revision_id: &'a str,
    mapped_to: MappedTo,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MappedTo {
    uri_base_id: &'static str,
}

/// How the paths of a report (relative to the working directory) become URIs, and the
/// repository the run is in.
#[derive(Debug, Clone, Default)]
pub struct Place {
    /// The working directory relative to the repository root, `/`-separated, empty at the root.
    pub cwd_in_root: String,
    /// The working directory, for files outside the repository; `None`: every path is taken as
    /// relative to the repository root.
    pub cwd: Option<std::path::PathBuf>,
    /// The repository root, for files outside it.
    pub root: Option<std::path::PathBuf>,
    /// The repository's address (no credentials) and the checked-out commit, inside git.
    pub provenance: Option<(String, String)>,
}

impl Place {
    /// The URI of a path as the report shows it, and whether it is relative to `%SRCROOT%`.
    fn uri<'p>(&self, path: &'p str) -> (Cow<'p, str>, bool) {
        let absolute = std::path::Path::new(path).is_absolute();
        if !absolute && !path.starts_with("../") && path != ".." {
            if self.cwd_in_root.is_empty() {
                return (uri(path), true);
            }
            return (
                Cow::Owned(uri(&format!("{}/{path}", self.cwd_in_root)).into_owned()),
                true,
            );
        }
        // Absolute, or above the working directory: resolved by name, then relative to the
        // root when inside it.
        let cwd = self.cwd.clone().unwrap_or_default();
        let mut full = std::path::PathBuf::new();
        for component in cwd.join(path).components() {
            match component {
                std::path::Component::ParentDir => {
                    full.pop();
                }
                std::path::Component::CurDir => {}
                other => full.push(other),
            }
        }
        if let Some(root) = &self.root
            && let Ok(relative) = full.strip_prefix(root)
        {
            let relative = relative.to_string_lossy().replace('\\', "/");
            return (Cow::Owned(uri(&relative).into_owned()), true);
        }
        let text = full.to_string_lossy().replace('\\', "/");
        (Cow::Owned(format!("file://{}", uri(&text))), false)
    }
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

/// A rule of the catalogue, with its documentation and the address of its page.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Message<&'static str>,
    full_description: Message<&'static str>,
    help_uri: String,
    help: MultiformatMessage,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Message<T> {
    text: T,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: &'static str,
    markdown: &'static str,
}

/// SARIF's levels are imgcost's severities, by the same names.
#[derive(Serialize)]
struct Configuration {
    level: Severity,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 2],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: Severity,
    message: Message<String>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression; 1]>,
}

/// A place; a related one has an id (from 1) and a message.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<Cow<'a, str>>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    workflow: &'a str,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    ratecard: &'a str,
    as_of: String,
    monthly_usd: Option<Fixed>,
    /// Where each policy came from, as in the JSON report.
    policies: &'a [crate::report::PolicySource],
}

impl<'a> Location<'a> {
    fn of(label: &'a Label, place: &Place) -> Self {
        let start = label.start();
        let end = label.end();
        let (uri, relative) = place.uri(label.file.path());
        Self {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri,
                    uri_base_id: relative.then_some("%SRCROOT%"),
                },
                region: Region {
                    start_line: start.line,
                    start_column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                },
            },
            id: None,
            message: None,
        }
    }
}

impl<'a> SarifResult<'a> {
    fn of(diagnostic: &'a Diagnostic, place: &Place) -> Self {
        let rule_index = rules::ALL
            .iter()
            .position(|rule| rule.code == diagnostic.rule.code)
            .unwrap_or(0);
        let mut text = literal(&diagnostic.message).into_owned();
        if let Some(help) = &diagnostic.help {
            text.push_str("\nhelp: ");
            text.push_str(&literal(help));
        }
        Self {
            rule_id: diagnostic.rule.code,
            rule_index,
            level: diagnostic.severity,
            message: Message { text },
            locations: [Location::of(&diagnostic.primary, place)],
            related_locations: diagnostic
                .related
                .iter()
                .enumerate()
                .map(|(index, label)| Location {
                    id: Some(index + 1),
                    message: Some(Message {
                        text: literal(&label.message),
                    }),
                    ..Location::of(label, place)
                })
                .collect(),
            properties: diagnostic
                .workflow
                .as_deref()
                .map(|workflow| ResultProperties { workflow }),
            suppressions: diagnostic.exempted.as_ref().map(|exempted| {
                [Suppression {
                    kind: "external",
                    status: "accepted",
                    justification: format!(
                        "{} (approved by {}, until {})",
                        exempted.reason, exempted.approved_by, exempted.expires
                    ),
                }]
            }),
        }
    }
}

fn descriptor(rule: &'static Rule) -> ReportingDescriptor {
    ReportingDescriptor {
        id: rule.code,
        name: rule.name,
        short_description: Message { text: rule.summary },
        full_description: Message { text: rule.summary },
        help_uri: rule.help_uri(),
        help: MultiformatMessage {
            text: rule.doc,
            markdown: rule.doc,
        },
        default_configuration: Configuration {
            level: rule.default_severity,
        },
        properties: RuleProperties {
            tags: ["imgcost", "cost"],
        },
    }
}

/// Writes the SARIF log of a report with its paths taken as relative to the repository root and
/// no repository named (see [`write_at`]).
///
/// # Errors
/// When writing fails.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_at(report, &Place::default(), out)
}

/// Writes the SARIF log of a report, pretty-printed with a final newline, its URIs and
/// provenance from `place`. Its results, one per finding, are rendered a chunk at a time in
/// parallel ([`Rendered`]), so a log of tens of thousands is never built whole.
///
/// # Errors
/// When writing fails.
pub fn write_at(
    report: &Report,
    place: &Place,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "imgcost",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://github.com/imgcost/imgcost",
                    rules: rules::ALL.iter().copied().map(descriptor).collect(),
                },
            },
            version_control_provenance: place.provenance.as_ref().map(|(repository, commit)| {
                [VersionControlDetails {
                    repository_uri: repository,
                    revision_id: commit,
                    mapped_to: MappedTo {
                        uri_base_id: "%SRCROOT%",
                    },
                }]
            }),
            column_kind: "unicodeCodePoints",
            results: Rendered::new(
                &report.diagnostics,
                |diagnostic| SarifResult::of(diagnostic, place),
                4,
            ),
            properties: RunProperties {
                ratecard: &report.ratecard.id,
                as_of: report.as_of.to_string(),
                monthly_usd: report.monthly_usd().map(|v| Fixed(v, 2)),
                policies: &report.policies,
            },
        }],
    };
    log.serialize(&mut serde_json::Serializer::pretty(&mut *out))
        .map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_keep_unreserved_characters_and_encode_the_rest() {
        assert!(matches!(
            uri("apps/shop-2/x_y.imgcost~1.yaml"),
            Cow::Borrowed("apps/shop-2/x_y.imgcost~1.yaml")
        ));
        assert_eq!(
            uri("a b#c%d é.imgcost.yaml"),
            "a%20b%23c%25d%20%C3%A9.imgcost.yaml"
        );
        assert_eq!(uri("c:/x?y=1&z+[]@!"), "c%3A/x%3Fy%3D1%26z%2B%5B%5D%40%21");
    }
}
