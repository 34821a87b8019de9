//! The JSON report as data: one typed model of what `--format json` writes and what `diff
//! --baseline` reads back (schemas/report.schema.json; docs/report-formats.md).
//!
//! Money and token counts are decimal strings, written by `Fixed` and `Plain` and read back
//! exactly; paths are relative with `/`; lines and columns are 1-based, columns counting
//! characters; `end_column` is exclusive (the column after the last character, as in SARIF).
//! Fields are in the order the report writes them, and a reader refuses a key the model does
//! not have.
//!
//! The three lists of a report (workflows, findings, a diff's workflows) are type parameters, so
//! that one model serves every use: `Vec`s by default (a whole report in memory); [`Rendered`]
//! when the report is written, its items serialized in parallel a chunk at a time straight from
//! the [`Report`]; and the raw text of each item when `diff` reads a baseline, which then reads
//! the items in parallel into this model's types.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{Error as _, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::ser::Formatter;
use serde_json::value::RawValue;

use crate::foundation::decimal::{Fixed, Plain};
use crate::foundation::{Diagnostic, Label, Severity};
use crate::model::Endpoint;
use crate::pricing::Confidence;
use crate::pricing::{Tier, TokenKind};
use crate::report::{PolicySource, Report, WorkflowEntry};

/// The report document. `Workflows`, `Diagnostics` and `Changes` are how its lists are held
/// (see the module's documentation).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonReport<
    'a,
    Workflows = Vec<JsonWorkflow<'a>>,
    Diagnostics = Vec<JsonDiagnostic<'a>>,
    Changes = Vec<JsonWorkflowChange<'a>>,
> {
    pub version: Version,
    pub tool: Tool<'a>,
    pub as_of: Cow<'a, str>,
    pub ratecard: Cow<'a, str>,
    #[serde(deserialize_with = "at_most_policies")]
    pub policies: Vec<Cow<'a, str>>,
    /// Where each policy came from (absent from reports of imgcost 0.1.0 before it said so).
    #[serde(default, deserialize_with = "policy_sources")]
    pub policy_sources: Cow<'a, [PolicySource]>,
    pub summary: Summary,
    pub workflows: Workflows,
    pub diagnostics: Diagnostics,
    /// Only in the report of `imgcost diff`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<JsonDiff<'a, Changes>>,
}

/// Most policies a report read back may list. A baseline is the change's own file and its lists
/// of policies are never used, only read: a bound keeps a file of millions of empty entries
/// from taking many times its size in memory. No run names this many `--policy` files.
pub const MAX_POLICIES: usize = 10_000;

/// Reads a list of at most [`MAX_POLICIES`] items.
fn at_most_policies<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct AtMost<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for AtMost<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a list of at most {MAX_POLICIES} policies")
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                if items.len() == MAX_POLICIES {
                    return Err(de::Error::invalid_length(MAX_POLICIES + 1, &self));
                }
                items.push(item);
            }
            Ok(items)
        }
    }
    deserializer.deserialize_seq(AtMost(std::marker::PhantomData))
}

fn policy_sources<'de, 'a, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Cow<'a, [PolicySource]>, D::Error> {
    at_most_policies(deserializer).map(Cow::Owned)
}

/// The report as the writer streams it: every list rendered from the run's data as it is
/// reached.
pub type WrittenReport<'a> = JsonReport<
    'a,
    Rendered<'a, JsonWorkflow<'a>>,
    Rendered<'a, JsonDiagnostic<'a>>,
    Rendered<'a, JsonWorkflowChange<'a>>,
>;

/// The version of the report's format: `1`, the only one there is. A reader refuses any other
/// at once, whatever follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version;

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(1)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct One;
        impl Visitor<'_> for One {
            type Value = Version;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("1, the version of the report imgcost writes")
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Version, E> {
                if value == 1 {
                    Ok(Version)
                } else {
                    Err(E::invalid_value(de::Unexpected::Unsigned(value), &self))
                }
            }
        }
        deserializer.deserialize_u64(One)
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool<'a> {
    pub name: Cow<'a, str>,
    pub version: Cow<'a, str>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub manifests: usize,
    pub workflows: usize,
    /// Workflows left out of `monthly_usd` because of errors in them.
    pub unpriced_workflows: usize,
    /// `null` past the largest amount imgcost reports.
    pub monthly_usd: Option<Fixed>,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Allowed by the schema for findings an exemption covers; version 1 never writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempted: Option<usize>,
    pub passed: bool,
}

/// A workflow. The money fields are `null` when it could not be priced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonWorkflow<'a> {
    pub id: Cow<'a, str>,
    pub file: Cow<'a, str>,
    pub line: usize,
    pub model: Cow<'a, str>,
    pub endpoint: Endpoint,
    #[serde(with = "tier")]
    pub tier: Option<Tier>,
    pub quality: Option<Cow<'a, str>>,
    pub size: Option<Cow<'a, str>>,
    pub n: u32,
    pub monthly_usd: Option<Fixed>,
    pub per_accepted_image_usd: Option<Fixed>,
    pub budget_usd: Option<Fixed>,
    pub confidence: Option<Confidence>,
    pub volume: Option<JsonVolume>,
    pub tokens: Option<JsonTokens>,
    pub cost_usd: Option<JsonCosts>,
}

/// The pricing stage's `Tier` as the report spells it (`standard`, `batch`).
mod tier {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::pricing::Tier;

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Spelled {
        Standard,
        Batch,
    }

    pub fn serialize<S: Serializer>(tier: &Option<Tier>, serializer: S) -> Result<S::Ok, S::Error> {
        tier.map(|tier| match tier {
            Tier::Standard => Spelled::Standard,
            Tier::Batch => Spelled::Batch,
        })
        .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Tier>, D::Error> {
        Ok(
            Option::<Spelled>::deserialize(deserializer)?.map(|tier| match tier {
                Spelled::Standard => Tier::Standard,
                Spelled::Batch => Tier::Batch,
            }),
        )
    }
}

/// Monthly volumes (fields in alphabetical order, as in every object of the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonVolume {
    pub accepted_images: Plain,
    pub attempts: Plain,
    pub images: Plain,
}

/// Monthly tokens by kind; `image_output` is `null` for per-image-priced models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonTokens {
    pub cached_image_input: Plain,
    pub cached_text_input: Plain,
    pub image_input: Plain,
    pub image_output: Option<Plain>,
    pub mainline_cached_input: Plain,
    pub mainline_input: Plain,
    pub mainline_output: Plain,
    pub text_input: Plain,
    pub text_output: Plain,
}

impl JsonTokens {
    /// The counts a workflow reads as input, every kind of it.
    #[must_use]
    pub const fn inputs(&self) -> [Plain; 6] {
        [
            self.text_input,
            self.cached_text_input,
            self.image_input,
            self.cached_image_input,
            self.mainline_input,
            self.mainline_cached_input,
        ]
    }
}

/// Monthly cost by kind, the mainline text model together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonCosts {
    pub cached_image_input: Fixed,
    pub cached_text_input: Fixed,
    pub image_input: Fixed,
    pub image_output: Fixed,
    pub mainline: Fixed,
    pub text_input: Fixed,
    pub text_output: Fixed,
}

impl<'a> JsonWorkflow<'a> {
    #[must_use]
    pub fn of(entry: &'a WorkflowEntry) -> Self {
        let spec = &entry.workflow.spec;
        let projection = entry.projection.as_ref();
        Self {
            id: Cow::Borrowed(&entry.workflow.id),
            file: Cow::Borrowed(entry.file.path()),
            line: entry.line,
            model: Cow::Borrowed(projection.map_or(spec.model.as_str(), |p| p.model.as_ref())),
            endpoint: spec.endpoint,
            tier: projection.map(|p| p.tier),
            quality: projection.map(|p| Cow::Borrowed(p.quality.as_str())),
            size: projection.map(|p| Cow::Owned(p.size.to_string())),
            n: spec.request.n,
            monthly_usd: projection.map(|p| Fixed(p.monthly_usd, 2)),
            per_accepted_image_usd: projection
                .and_then(|p| p.per_accepted_image_usd)
                .map(|v| Fixed(v, 4)),
            budget_usd: entry.budget_usd().map(|v| Fixed(v, 2)),
            confidence: projection.map(|p| p.confidence),
            volume: projection.map(|p| JsonVolume {
                accepted_images: Plain(p.accepted_images),
                attempts: Plain(p.attempts),
                images: Plain(p.images),
            }),
            tokens: projection.map(|p| {
                let t = |kind| Plain(p.tokens.get(kind));
                JsonTokens {
                    cached_image_input: t(TokenKind::CachedImageInput),
                    cached_text_input: t(TokenKind::CachedTextInput),
                    image_input: t(TokenKind::ImageInput),
                    image_output: p
                        .image_output_tokens_known
                        .then(|| t(TokenKind::ImageOutput)),
                    mainline_cached_input: t(TokenKind::MainlineCachedInput),
                    mainline_input: t(TokenKind::MainlineInput),
                    mainline_output: t(TokenKind::MainlineOutput),
                    text_input: t(TokenKind::TextInput),
                    text_output: t(TokenKind::TextOutput),
                }
            }),
            cost_usd: projection.map(|p| {
                let c = |kind| Fixed(p.cost.get(kind), 2);
                JsonCosts {
                    cached_image_input: c(TokenKind::CachedImageInput),
                    cached_text_input: c(TokenKind::CachedTextInput),
                    image_input: c(TokenKind::ImageInput),
                    image_output: c(TokenKind::ImageOutput),
                    mainline: Fixed(p.cost.mainline(), 2),
                    text_input: c(TokenKind::TextInput),
                    text_output: c(TokenKind::TextOutput),
                }
            }),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonDiagnostic<'a> {
    pub rule: Cow<'a, str>,
    pub severity: Severity,
    pub file: Cow<'a, str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: Cow<'a, str>,
    pub help: Option<Cow<'a, str>>,
    pub workflow: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonRelated<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempted: Option<JsonExemption<'a>>,
}

/// A place in a file (a diagnostic's related place).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonRelated<'a> {
    pub file: Cow<'a, str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: Cow<'a, str>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonExemption<'a> {
    pub reason: Cow<'a, str>,
    pub approved_by: Cow<'a, str>,
    pub expires: Cow<'a, str>,
}

/// Start and end (exclusive) of a label, 1-based.
fn position(label: &Label) -> (usize, usize, usize, usize) {
    let start = label.start();
    let end = label.end();
    (start.line, start.column, end.line, end.column)
}

impl<'a> JsonDiagnostic<'a> {
    #[must_use]
    pub fn of(diagnostic: &'a Diagnostic) -> Self {
        let (line, column, end_line, end_column) = position(&diagnostic.primary);
        Self {
            rule: Cow::Borrowed(diagnostic.rule.code),
            severity: diagnostic.severity,
            file: Cow::Borrowed(diagnostic.primary.file.path()),
            line,
            column,
            end_line,
            end_column,
            message: Cow::Borrowed(&diagnostic.message),
            help: diagnostic.help.as_deref().map(Cow::Borrowed),
            workflow: diagnostic.workflow.as_deref().map(Cow::Borrowed),
            related: diagnostic
                .related
                .iter()
                .map(|label| {
                    let (line, column, end_line, end_column) = position(label);
                    JsonRelated {
                        file: Cow::Borrowed(label.file.path()),
                        line,
                        column,
                        end_line,
                        end_column,
                        message: Cow::Borrowed(&label.message),
                    }
                })
                .collect(),
            exempted: diagnostic.exempted.as_ref().map(|e| JsonExemption {
                reason: Cow::Borrowed(&e.reason),
                approved_by: Cow::Borrowed(&e.approved_by),
                expires: Cow::Borrowed(&e.expires),
            }),
        }
    }
}

/// The `diff` object of a `diff` report.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonDiff<'a, Changes = Vec<JsonWorkflowChange<'a>>> {
    pub base: Cow<'a, str>,
    pub monthly_usd_before: Option<Fixed>,
    pub monthly_usd_after: Option<Fixed>,
    pub delta_usd: Option<Fixed>,
    pub delta_percent: Option<Fixed>,
    pub base_errors: usize,
    pub workflows: Changes,
}

/// How a workflow changed between a base and the head.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Status {
    Added,
    Removed,
    /// The same workflow under a new id (its entry says `renamed_from`).
    Renamed,
    Changed,
    Unchanged,
}

impl Status {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One workflow's change (fields in alphabetical order, as in every object of the report).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonWorkflowChange<'a> {
    pub after_usd: Option<Fixed>,
    pub before_usd: Option<Fixed>,
    pub changed: Vec<Cow<'a, str>>,
    pub delta_percent: Option<Fixed>,
    pub delta_usd: Fixed,
    pub id: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<Cow<'a, str>>,
    pub status: Status,
}

impl<'a> WrittenReport<'a> {
    /// The report of a run, ready to be streamed; a `diff` object is added by the caller.
    #[must_use]
    pub fn of(report: &'a Report, deny_warnings: bool) -> Self {
        let counts = report.counts();
        Self {
            version: Version,
            tool: Tool {
                name: Cow::Borrowed("imgcost"),
                version: Cow::Borrowed(env!("CARGO_PKG_VERSION")),
            },
            as_of: Cow::Owned(report.as_of.to_string()),
            ratecard: Cow::Borrowed(&report.ratecard.id),
            policies: report
                .policies
                .iter()
                .map(|p| Cow::Borrowed(p.name.as_str()))
                .collect(),
            policy_sources: Cow::Borrowed(&report.policies),
            summary: Summary {
                manifests: report.manifest_count,
                workflows: report.workflows.len(),
                unpriced_workflows: report.unpriced_workflows(),
                monthly_usd: report.monthly_usd().map(|v| Fixed(v, 2)),
                errors: counts.errors,
                warnings: counts.warnings,
                notes: counts.notes,
                exempted: None,
                passed: report.passed(deny_warnings),
            },
            workflows: Rendered::new(&report.workflows, |entry| JsonWorkflow::of(entry), 2),
            diagnostics: Rendered::new(&report.diagnostics, |d| JsonDiagnostic::of(d), 2),
            diff: None,
        }
    }
}

/// Items serialized at once: bounds the memory of a chunk to a few megabytes.
const CHUNK: usize = 2048;

/// A list serialized as it is made, for JSON: its items are made from the run's data and
/// serialized in parallel a chunk at a time, each in serde_json's pretty layout at the depth the
/// list sits, then handed to the serializer in order as raw JSON values. A list of fifty
/// thousand is so neither built whole in memory nor serialized on one core.
pub struct Rendered<'a, T> {
    len: usize,
    item: Box<dyn Fn(usize) -> T + Sync + 'a>,
    /// How many arrays and objects hold each item (2 for the report's lists).
    depth: usize,
}

impl<'a, T> Rendered<'a, T> {
    /// The list of `of(item)` for each of `items`, whose items sit `depth` containers deep.
    pub fn new<S: Sync>(items: &'a [S], of: impl Fn(&'a S) -> T + Sync + 'a, depth: usize) -> Self {
        Self {
            len: items.len(),
            item: Box::new(move |index| of(&items[index])),
            depth,
        }
    }
}

impl<T> std::fmt::Debug for Rendered<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rendered({} items)", self.len)
    }
}

impl<T: Serialize> Serialize for Rendered<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut list = serializer.serialize_seq(Some(self.len))?;
        for start in (0..self.len).step_by(CHUNK) {
            let rendered: Vec<serde_json::Result<Box<RawValue>>> = (start
                ..self.len.min(start + CHUNK))
                .into_par_iter()
                .map_init(
                    || Vec::with_capacity(4096),
                    |buffer, index| pretty_at(&(self.item)(index), self.depth, buffer),
                )
                .collect();
            for item in rendered {
                list.serialize_element(&item.map_err(S::Error::custom)?)?;
            }
        }
        list.end()
    }
}

/// `value` in serde_json's pretty layout (two spaces a level) as it reads `depth` containers
/// deep in a document, written through `buffer`.
fn pretty_at(
    value: &impl Serialize,
    depth: usize,
    buffer: &mut Vec<u8>,
) -> serde_json::Result<Box<RawValue>> {
    buffer.clear();
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut *buffer,
        Indented {
            depth,
            has_value: false,
        },
    ))?;
    // The copy is of the item's exact size, so that the box needs no second allocation.
    let text = String::from_utf8(buffer.clone()).map_err(serde::ser::Error::custom)?;
    // SAFETY: `text` is what serde_json's serializer wrote for one value, and a pretty
    // formatter starts and ends a value without whitespace around it: one well-formed JSON
    // value, as `from_string_unchecked` requires (and checks itself in debug builds). Checking
    // it again (`RawValue::from_string`) would parse every report twice, 8 % of the
    // instructions of a whole `check`.
    #[allow(unsafe_code)]
    Ok(unsafe { RawValue::from_string_unchecked(text) })
}

/// serde_json's pretty layout (`PrettyFormatter`: two spaces a level, `": "` after a key, a
/// container's end on a line of its own unless it is empty), started `depth` containers deep.
/// Each indentation is one write, where `PrettyFormatter` writes two spaces at a time: for the
/// short lines of a report, that was a tenth of the cost of writing it.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn indent(&self, writer: &mut (impl std::io::Write + ?Sized)) -> std::io::Result<()> {
        const SPACES: &[u8; 32] = b"                                ";
        let mut width = 2 * self.depth;
        while width > 0 {
            let part = width.min(SPACES.len());
            writer.write_all(&SPACES[..part])?;
            width -= part;
        }
        Ok(())
    }

    fn open(
        &mut self,
        writer: &mut (impl std::io::Write + ?Sized),
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close(
        &mut self,
        writer: &mut (impl std::io::Write + ?Sized),
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    /// Before an item or a key: a comma after the one before, a new line.
    fn next(
        &self,
        writer: &mut (impl std::io::Write + ?Sized),
        first: bool,
    ) -> std::io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
