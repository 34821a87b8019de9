//! The JSON Schemas imgcost ships, compiled once, and the mapping of their errors to places.
//!
//! Each loaded YAML tree is shown to the validator as JSON ([`Node::to_json`]); each error comes
//! back with a JSON pointer, which is looked up in the same tree to find the span: an unknown key
//! is labelled on the key itself, a missing key on its parent's key, a wrong value on the value.
//! Messages are imgcost's own, written for YAML authors, with "did you mean" hints.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::foundation::{Diagnostic, Label, SourceFile};
use crate::rules;
use crate::yaml::Span;
use crate::yaml::{Node, NodeKind, Resolved, Scalar};

/// The schemas of the files imgcost reads and writes (`imgcost schema NAME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schema {
    Manifest,
    Policy,
    RateCard,
    Report,
    Reconcile,
    PolicyTest,
}

impl Schema {
    pub const ALL: [Self; 6] = [
        Self::Manifest,
        Self::Policy,
        Self::RateCard,
        Self::Report,
        Self::Reconcile,
        Self::PolicyTest,
    ];

    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Manifest => "manifest",
            Self::Policy => "policy",
            Self::RateCard => "ratecard",
            Self::Report => "report",
            Self::Reconcile => "reconcile",
            Self::PolicyTest => "policy-test",
        }
    }

    /// The schema document as shipped in `schemas/`.
    #[must_use]
    pub const fn text(self) -> &'static str {
        match self {
            Self::Manifest => include_str!("../../schemas/manifest.schema.json"),
            Self::Policy => include_str!("../../schemas/policy.schema.json"),
            Self::RateCard => include_str!("../../schemas/ratecard.schema.json"),
            Self::Report => include_str!("../../schemas/report.schema.json"),
            Self::Reconcile => include_str!("../../schemas/reconcile.schema.json"),
            Self::PolicyTest => include_str!("../../schemas/policy-test.schema.json"),
        }
    }

    fn document(self) -> &'static Value {
        static DOCUMENTS: [OnceLock<Value>; 6] = [const { OnceLock::new() }; 6];
        DOCUMENTS[self as usize].get_or_init(|| {
            serde_json::from_str(self.text())
                .unwrap_or_else(|e| panic!("schemas/{}.schema.json is not JSON: {e}", self.name()))
        })
    }

    /// The compiled validator, built on first use and shared by every thread.
    /// What a document of this kind looks like, for a file that is not one at all.
    const fn document_help(self) -> &'static str {
        match self {
            Self::Manifest => "a manifest starts with `version: 1` and lists its `workflows:`",
            Self::Policy => {
                "a policy starts with `version: 1` and a `name:`, then its `rules:`, `severity:` and `exemptions:`"
            }
            Self::RateCard => {
                "a rate card names its `id:`, `provider:`, `currency:`, `effective_from:`, `checked:` and `source:`, then lists its `models:`"
            }
            Self::Report => "a report is what `imgcost check --format json` writes",
            Self::Reconcile => {
                "a reconcile report is what `imgcost reconcile --format json` writes"
            }
            Self::PolicyTest => {
                "an expectation names its `as_of:` and its `raises:`, `not_raises:` or `monthly_usd:`"
            }
        }
    }

    #[must_use]
    pub fn validator(self) -> &'static Validator {
        static VALIDATORS: [OnceLock<Validator>; 6] = [const { OnceLock::new() }; 6];
        VALIDATORS[self as usize].get_or_init(|| {
            jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(self.document())
                .unwrap_or_else(|e| {
                    panic!("schemas/{}.schema.json does not compile: {e}", self.name())
                })
        })
    }

    /// Validates a loaded tree, pushing one IC002 diagnostic per problem. Returns the JSON
    /// pointers of the nodes that failed, so callers can tell which parts are usable.
    pub fn validate(
        self,
        root: &Node,
        file: &Arc<SourceFile>,
        out: &mut Vec<Diagnostic>,
    ) -> Vec<String> {
        let instance = root.to_json();
        // Nearly every file is valid: the yes/no check stops early and builds no error.
        if self.validator().is_valid(&instance) {
            return Vec::new();
        }
        let errors: Vec<ValidationError<'_>> = self.validator().iter_errors(&instance).collect();
        let places = Places {
            root,
            index: (errors.len() > INDEX_ABOVE).then(|| root.pointer_index()),
        };
        let mut failed = Vec::with_capacity(errors.len());
        for error in &errors {
            out.push(self.diagnostic(error, &places, file));
            failed.push(error.instance_path().as_str().to_owned());
        }
        failed
    }

    fn diagnostic(
        self,
        error: &ValidationError<'_>,
        places: &Places<'_>,
        file: &Arc<SourceFile>,
    ) -> Diagnostic {
        let root = places.root;
        let pointer = error.instance_path().as_str();
        let (key, value) = places.get(pointer).unwrap_or((None, root));
        let name = field_name(pointer);
        // Where a value is missing (`key:` with nothing after it) the key is the place to show.
        let value_span = if value.span.is_empty() {
            key.map_or(value.span, |k| k.span)
        } else {
            value.span
        };
        let container_span = key.map_or_else(|| first_line(root, file), |k| k.span);
        let shown = file.slice(value.span).unwrap_or_default().trim();
        let (span, label, message, help) = match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let unexpected_key = unexpected.first().map_or("", String::as_str);
                let span = places
                    .get(&format!("{pointer}/{}", escape(unexpected_key)))
                    .and_then(|(k, _)| k.map(|k| k.span))
                    .unwrap_or(container_span);
                let allowed = self.allowed_keys(error.schema_path().as_str());
                (
                    span,
                    "unknown key",
                    format!("unknown key `{unexpected_key}`{}", within(&name)),
                    misplaced_key_help(self, pointer, unexpected_key)
                        .or_else(|| unknown_key_help(unexpected_key, &allowed)),
                )
            }
            ValidationErrorKind::Required { property } => {
                let property = property.as_str().unwrap_or_default();
                (
                    container_span,
                    "missing a key",
                    format!("missing required key `{property}`{}", within(&name)),
                    Some(format!("add `{property}:` here")),
                )
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => article(&t.to_string()),
                    TypeKind::Multiple(ts) => ts
                        .iter()
                        .map(|t| article(&t.to_string()))
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                let instance = error.instance();
                if matches!(
                    &value.kind,
                    NodeKind::Scalar(Scalar {
                        resolved: Resolved::Float(_),
                        ..
                    })
                ) {
                    // `.inf` / `.nan`: YAML numbers with no JSON (or exact) form.
                    (
                        value_span,
                        "not finite",
                        format!("`{name}` must be a finite number, found `{shown}`"),
                        None,
                    )
                } else if pointer.is_empty() {
                    let message = format!(
                        "the document must be {expected}, found {}",
                        describe(instance)
                    );
                    (
                        value_span,
                        "wrong type",
                        message,
                        Some(self.document_help().to_owned()),
                    )
                } else {
                    let help = match instance.as_ref() {
                        Value::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                            Some("numbers are written without quotes, as plain YAML numbers (`12000`, `0.05`)".to_owned())
                        }
                        Value::String(s) if matches!(s.to_lowercase().as_str(), "yes" | "no" | "on" | "off" | "y" | "n") => {
                            Some(format!("YAML 1.2 reads `{s}` as text; write `true` or `false`"))
                        }
                        Value::String(s) if expected.contains("number") => number_help(s),
                        _ => None,
                    };
                    (
                        value_span,
                        "wrong type",
                        format!("`{name}` must be {expected}, found {}", describe(instance)),
                        help,
                    )
                }
            }
            ValidationErrorKind::Enum { options } => {
                let options: Vec<String> = options
                    .as_array()
                    .map(|a| a.iter().map(plain).collect())
                    .unwrap_or_default();
                let found = plain(error.instance().as_ref());
                let help = enum_help(&name, &found, &options).unwrap_or_else(|| {
                    closest(&found, options.iter().map(String::as_str)).map_or_else(
                        || format!("expected one of: {}", options.join(", ")),
                        |best| {
                            format!(
                                "did you mean `{best}`? (expected one of: {})",
                                options.join(", ")
                            )
                        },
                    )
                });
                (
                    value_span,
                    "not an allowed value",
                    format!("`{found}` is not a valid `{name}`"),
                    Some(help),
                )
            }
            ValidationErrorKind::Constant { expected_value } => (
                value_span,
                "wrong value",
                format!(
                    "`{name}` must be {}, found `{shown}`",
                    plain(expected_value)
                ),
                None,
            ),
            ValidationErrorKind::Minimum { limit } => (
                value_span,
                "too small",
                format!("`{name}` must be at least {limit}, found `{shown}`"),
                None,
            ),
            ValidationErrorKind::Maximum { limit } => (
                value_span,
                "too large",
                format!("`{name}` must be at most {limit}, found `{shown}`"),
                None,
            ),
            ValidationErrorKind::ExclusiveMinimum { limit } => (
                value_span,
                "too small",
                format!("`{name}` must be greater than {limit}, found `{shown}`"),
                None,
            ),
            ValidationErrorKind::ExclusiveMaximum { limit } => (
                value_span,
                "too large",
                format!("`{name}` must be less than {limit}, found `{shown}`"),
                None,
            ),
            ValidationErrorKind::Pattern { pattern } => (
                value_span,
                "wrong form",
                pattern_message(&name, shown, pattern),
                size_help(pattern, shown).or_else(|| pattern_help(pattern)),
            ),
            ValidationErrorKind::PropertyNames { error: inner } => {
                let offending = plain(inner.instance().as_ref());
                let span = places
                    .get(&format!("{pointer}/{}", escape(&offending)))
                    .and_then(|(k, _)| k.map(|k| k.span))
                    .unwrap_or(container_span);
                (span, "invalid name", format!("`{offending}` is not a valid name{}", within(&name)), Some("names use lowercase letters, digits, `-` and `_`, start with a letter or digit, and are at most 64 characters".to_owned()))
            }
            ValidationErrorKind::MinProperties { limit } => {
                let entries = if *limit == 1 { "entry" } else { "entries" };
                let help = (name == "workflows")
                    .then(|| "add a workflow: a name, then its `model:` and `volume:`".to_owned());
                (
                    container_span,
                    "empty",
                    format!("`{name}` needs at least {limit} {entries}"),
                    help,
                )
            }
            ValidationErrorKind::MaxProperties { limit } => (
                container_span,
                "too many",
                format!("`{name}` holds more than {limit} entries"),
                (name == "workflows").then(|| {
                    "split the workflows into several manifests (e.g. one per service)".to_owned()
                }),
            ),
            ValidationErrorKind::MinLength { .. } => (
                value_span,
                "empty",
                format!("`{name}` must not be empty"),
                None,
            ),
            ValidationErrorKind::MaxLength { limit } => (
                value_span,
                "too long",
                format!("`{name}` is longer than {limit} characters"),
                None,
            ),
            ValidationErrorKind::MaxItems { limit } => (
                value_span,
                "too many",
                format!("`{name}` holds more than {limit} items"),
                None,
            ),
            ValidationErrorKind::Format { format } => (
                value_span,
                "wrong form",
                format!("`{shown}` is not a valid {format} for `{name}`"),
                (format == "date").then(|| "write dates as YYYY-MM-DD".to_owned()),
            ),
            _ => (
                value_span,
                "here",
                format!("`{name}`: {}", error.masked()),
                None,
            ),
        };
        let mut diagnostic = Diagnostic::new(&rules::IC002, message, Label::new(file, span, label));
        diagnostic.set_help(help);
        diagnostic
    }

    /// The property names the schema allows at the object whose `additionalProperties` failed.
    fn allowed_keys(self, schema_path: &str) -> Vec<String> {
        let parent = schema_path
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent);
        self.document()
            .pointer(&format!("{parent}/properties"))
            .and_then(Value::as_object)
            .map(|properties| properties.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// Findings in one file above which their places are looked up in an index of the whole tree
/// instead of by walking it once each: a hostile file with an error in each of thousands of
/// entries made the walks quadratic (seconds for 1 MiB), while a few walks cost less than an
/// index.
const INDEX_ABOVE: usize = 64;

/// Where the nodes named by JSON pointers are.
struct Places<'a> {
    root: &'a Node,
    index: Option<HashMap<String, (Option<&'a Node>, &'a Node)>>,
}

impl<'a> Places<'a> {
    fn get(&self, pointer: &str) -> Option<(Option<&'a Node>, &'a Node)> {
        match &self.index {
            Some(index) => index.get(pointer).copied(),
            None => self.root.pointer(pointer),
        }
    }
}

fn within(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!(" in `{name}`")
    }
}

/// The last pointer token, shown as the field's name (`/workflows/a/request/quality` → `quality`;
/// list items show with their index, `images[0]`).
fn field_name(pointer: &str) -> String {
    let mut tokens = pointer.rsplit('/');
    let last = tokens.next().unwrap_or_default();
    if last.parse::<usize>().is_ok() {
        let list = tokens.next().unwrap_or_default();
        return format!("{list}[{last}]");
    }
    last.replace("~1", "/").replace("~0", "~")
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn first_line(root: &Node, file: &SourceFile) -> Span {
    let start = root
        .as_mapping()
        .and_then(|entries| entries.first())
        .map_or(root.span.start, |e| e.key.span.start);
    let line = file.line_column(start).line;
    let span = file.line_span(line);
    Span::new(start.max(span.start), span.end.max(start))
}

fn article(kind: &str) -> String {
    match kind {
        "object" => "a mapping".to_owned(),
        "array" => "a list".to_owned(),
        "integer" => "a whole number".to_owned(),
        "null" => "empty".to_owned(),
        other if other.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {other}"),
        other => format!("a {other}"),
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".to_owned(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string `\"{s}\"`"),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn pattern_message(name: &str, shown: &str, pattern: &str) -> String {
    if pattern.contains("x[") {
        format!("`{shown}` is not a valid `{name}`")
    } else {
        format!("`{shown}` does not match the pattern `{pattern}` required for `{name}`")
    }
}

fn pattern_help(pattern: &str) -> Option<String> {
    if pattern.starts_with("^(auto|") {
        Some("write the size as WIDTHxHEIGHT in pixels, such as `1536x1024`, or `auto`".to_owned())
    } else if pattern.contains("x[") {
        Some("write the size as WIDTHxHEIGHT in pixels, such as `1024x1024`".to_owned())
    } else {
        None
    }
}

/// A key written at the top of a document that belongs one level down: a policy's rules
/// (`diff:`, `models:`) outside `rules:`, a workflow's fields outside any workflow.
fn misplaced_key_help(schema: Schema, pointer: &str, key: &str) -> Option<String> {
    if !pointer.is_empty() {
        return None;
    }
    match schema {
        Schema::Policy
            if matches!(
                key,
                "models"
                    | "quality"
                    | "size"
                    | "n"
                    | "require"
                    | "limits"
                    | "warn_at"
                    | "diff"
                    | "reconcile"
            ) =>
        {
            Some(format!(
                "`{key}` belongs under `rules:`: indent it one level below a `rules:` key"
            ))
        }
        Schema::Manifest
            if matches!(
                key,
                "model" | "endpoint" | "request" | "volume" | "labels" | "mainline" | "svg"
            ) =>
        {
            Some(format!(
                "`{key}` belongs to a workflow: indent it under a workflow's name in `workflows:`, or under `defaults:` to give it to every workflow"
            ))
        }
        _ => None,
    }
}

/// What a string written where a number belongs was probably meant to be.
fn number_help(text: &str) -> Option<String> {
    let text = text.trim();
    let digits = |t: &str| !t.is_empty() && t.parse::<f64>().is_ok_and(f64::is_finite);
    if let Some(number) = text.strip_suffix('%').map(str::trim).filter(|t| digits(t)) {
        let fraction = number
            .parse::<rust_decimal::Decimal>()
            .ok()
            .and_then(|d| d.checked_div(rust_decimal::Decimal::ONE_HUNDRED))
            .map_or_else(
                || "a fraction".to_owned(),
                |d| format!("`{}`", d.normalize()),
            );
        return Some(format!(
            "rates and fractions are written as numbers between 0 and 1: `{text}` is {fraction}"
        ));
    }
    let dollars = text
        .strip_prefix('$')
        .or_else(|| text.strip_suffix("USD"))
        .or_else(|| text.strip_suffix('$'))
        .map(str::trim);
    if let Some(amount) = dollars.filter(|t| digits(&t.replace(',', ""))) {
        return Some(format!(
            "amounts are plain numbers of US dollars, without `$` or quotes: write `{}`",
            amount.replace(',', "")
        ));
    }
    let scaled = [
        ("k", 1_000u64),
        ("m", 1_000_000),
        ("M", 1_000_000),
        ("K", 1_000),
    ]
    .iter()
    .find_map(|(suffix, factor)| {
        let number = text.strip_suffix(suffix)?.trim();
        let value = number.parse::<rust_decimal::Decimal>().ok()?;
        let full = value.checked_mul(rust_decimal::Decimal::from(*factor))?;
        Some(format!(
            "write the whole number: `{text}` is `{}`",
            full.normalize()
        ))
    });
    if scaled.is_some() {
        return scaled;
    }
    (text.contains(',') && digits(&text.replace(',', ""))).then(|| {
        format!(
            "write numbers without thousands separators: `{}`",
            text.replace(',', "")
        )
    })
}

/// Names other APIs and habits use for an allowed value (`hd`, `hi`).
fn enum_help(name: &str, found: &str, options: &[String]) -> Option<String> {
    let meant = match (name, found.to_lowercase().as_str()) {
        ("quality", "hi") => "high",
        ("quality", "lo") => "low",
        ("quality", "med" | "mid") => "medium",
        ("quality", "standard") => {
            return Some(format!(
                "`standard` is DALL-E 3's name for what GPT Image models call `medium` (expected one of: {})",
                options.join(", ")
            ));
        }
        ("quality", "hd") => {
            return Some(format!(
                "`hd` is DALL-E 3's name for what GPT Image models call `high` (expected one of: {})",
                options.join(", ")
            ));
        }
        _ => return None,
    };
    Some(format!(
        "did you mean `{meant}`? (expected one of: {})",
        options.join(", ")
    ))
}

/// `1024X1024`, `1024*1024`, `1024 x 1024`, `1024×1024`: the size meant, in the form the schema
/// wants.
fn size_help(pattern: &str, shown: &str) -> Option<String> {
    if !pattern.contains("x[") {
        return None;
    }
    let text = shown.trim_matches(|c| c == '"' || c == '\'');
    let (width, height) = text.split_once(['X', 'x', '*', '×', ','])?;
    let (width, height) = (width.trim(), height.trim());
    let number = |t: &str| !t.is_empty() && t.len() <= 5 && t.bytes().all(|b| b.is_ascii_digit());
    (number(width) && number(height))
        .then(|| format!("did you mean `{width}x{height}`? sizes are WIDTHxHEIGHT in pixels, with a lowercase `x`"))
}

fn unknown_key_help(key: &str, allowed: &[String]) -> Option<String> {
    if key == "<<" {
        return Some("YAML merge keys (`<<`) are not part of YAML 1.2; put shared fields under `defaults:` instead".to_owned());
    }
    if let Some(best) = closest(key, allowed.iter().map(String::as_str)) {
        return Some(format!("did you mean `{best}`?"));
    }
    (!allowed.is_empty()).then(|| format!("allowed keys here: {}", allowed.join(", ")))
}

/// The candidate nearest to `word` by edit distance, if it is near enough to be a typo.
#[must_use]
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .map(|candidate| {
            (
                edit_distance(&word.to_lowercase(), &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbours (`hihg` → `high`) each cost 1.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut table = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in table.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in table[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[i - 1][j] + 1)
                .min(table[i][j - 1] + 1)
                .min(table[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[i - 2][j - 2] + 1);
            }
            table[i][j] = best;
        }
    }
    table[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_compiles() {
        for schema in Schema::ALL {
            let _ = schema.validator();
        }
    }

    #[test]
    fn closest_finds_typos_only() {
        let keys = ["quality", "size", "n", "output_format"];
        assert_eq!(closest("qualty", keys.into_iter()), Some("quality"));
        assert_eq!(closest("colour", keys.into_iter()), None);
        assert_eq!(closest("hihg", ["low", "high"].into_iter()), Some("high"));
    }
}
