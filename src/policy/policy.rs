//! One policy file: what workflows may use and spend, severity overrides, and exemptions.
//!
//! Loaded like a manifest (same safe loader, its own schema, located diagnostics), and kept with
//! its tree so that findings can point at the line of the policy that a workflow breaks.

use std::collections::BTreeMap;
use std::sync::Arc;

use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::yaml;

use crate::foundation::{Date, Diagnostic, Label, SeveritySetting, SourceFile, Text, decimal};
use crate::model::{Quality, Schema, Size, load_tree, typed_error};
use crate::rules;
use crate::yaml::Node;
use crate::yaml::Span;

/// `rules.models` compiled once: each list's patterns with their globs.
#[derive(Debug, Clone, Default)]
pub struct ModelRules {
    pub allow: Option<Vec<ModelPattern>>,
    pub deny: Option<Vec<ModelPattern>>,
}

/// A model id, alias or glob of a policy's `models` lists.
#[derive(Debug, Clone)]
pub struct ModelPattern {
    pub pattern: String,
    pub glob: GlobMatcher,
}

impl ModelPattern {
    /// Whether it names the model written `written` (canonical id `canonical`): by glob on
    /// either name, or, when the pattern is itself a model's id or alias on the card, by the
    /// canonical ids of both sides, so that a dated alias and its model are one model.
    #[must_use]
    pub fn matches(&self, written: &str, canonical: &str, card: &crate::pricing::RateCard) -> bool {
        self.glob.is_match(written)
            || self.glob.is_match(canonical)
            || card
                .image_model(&self.pattern)
                .is_some_and(|(id, _)| id == canonical)
    }
}

/// A loaded policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    pub file: Arc<SourceFile>,
    /// The file as the run shows it, without the revision it was read at; none for the
    /// built-in policy.
    pub path: Option<String>,
    pub root: Node,
    pub rules: PolicyRules,
    pub models: ModelRules,
    /// `projects:` each project's places, in the order written.
    pub projects: Vec<ProjectBinding>,
    pub severity: BTreeMap<String, SeveritySetting>,
    pub exemptions: Vec<Exemption>,
}

/// One entry of `projects:`: where the manifests of a project may be.
#[derive(Debug, Clone)]
pub struct ProjectBinding {
    pub project: String,
    pub patterns: Vec<String>,
    pub places: GlobSet,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyDocument {
    // Checked by the schema; read so that `deny_unknown_fields` accepts them.
    #[serde(rename = "version")]
    _version: u32,
    name: String,
    #[serde(rename = "description")]
    _description: Option<String>,
    #[serde(default)]
    projects: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    rules: PolicyRules,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default)]
    exemptions: Vec<ExemptionDocument>,
}

/// `rules:` of a policy.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRules {
    pub models: Option<AllowDeny<String>>,
    pub quality: Option<AllowDeny<Quality>>,
    pub size: Option<SizeRules>,
    pub n: Option<NRule>,
    #[serde(default)]
    pub require: Vec<Required>,
    pub limits: Option<Limits>,
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub warn_at: Option<Decimal>,
    pub diff: Option<DiffLimits>,
    pub reconcile: Option<ReconcileTolerances>,
}

/// An allow list or a deny list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowDeny<T> {
    pub allow: Option<Vec<T>>,
    pub deny: Option<Vec<T>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeRules {
    pub allow: Option<Vec<Size>>,
    pub max_pixels: Option<u64>,
    pub max_edge: Option<u32>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NRule {
    pub max: u32,
}

/// A field every workflow must set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Required {
    Budget,
    Owner,
    Description,
    Labels,
    Latency,
    Quality,
    Size,
}

impl Required {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Budget => "budget",
            Self::Owner => "owner",
            Self::Description => "description",
            Self::Labels => "labels",
            Self::Latency => "latency",
            Self::Quality => "quality",
            Self::Size => "size",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub workflow_monthly_usd: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub manifest_monthly_usd: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub total_monthly_usd: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub per_accepted_image_usd: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub retry_rate: Option<Decimal>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffLimits {
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub max_increase_usd: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub max_increase_percent: Option<Decimal>,
}

/// `rules.reconcile`: how far actual figures may stray from the projection, in percent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconcileTolerances {
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub over_percent: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::deserialize_option")]
    pub cost_per_image_percent: Option<Decimal>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExemptionDocument {
    rule: String,
    workflows: Vec<String>,
    paths: Option<Vec<String>>,
    reason: String,
    approved_by: String,
    expires: Date,
}

/// An accepted finding, for a time.
#[derive(Debug, Clone)]
pub struct Exemption {
    pub rule: String,
    pub workflows: Vec<String>,
    pub globs: GlobSet,
    /// `paths:` when given: the manifests whose findings it may cover.
    pub paths: Option<GlobSet>,
    pub reason: String,
    pub approved_by: String,
    /// The last day the exemption applies.
    pub expires: Date,
    /// Position in the policy's `exemptions:` list (for its place in the file).
    pub index: usize,
}

impl Exemption {
    /// Whether it covers findings about `subject` (a workflow id, or `<project>/*` for a
    /// manifest-wide finding) in the manifest at `place` (relative to the repository's top;
    /// `None` for a finding in no manifest).
    #[must_use]
    pub fn matches(&self, rule: &str, subject: &str, place: Option<&str>) -> bool {
        self.rule == rule
            && self.globs.is_match(subject)
            && self
                .paths
                .as_ref()
                .is_none_or(|paths| place.is_some_and(|place| paths.is_match(place)))
    }
}

/// Compiles path globs (`apps/storefront/**`) as gitignore reads them: `*` and `?` stay within
/// one folder, `**` crosses folders.
fn path_globs(patterns: &[String]) -> Result<GlobSet, (usize, String)> {
    let mut builder = GlobSetBuilder::new();
    for (index, pattern) in patterns.iter().enumerate() {
        let glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|error| (index, error.kind().to_string()))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|error| (patterns.len(), error.to_string()))
}

impl Policy {
    /// Loads and validates a policy.
    ///
    /// # Errors
    /// The located problems: syntax, schema, unknown rule codes, rules that may not be lowered
    /// or exempted, bad globs.
    pub fn load(file: &Arc<SourceFile>) -> Result<Self, Vec<Diagnostic>> {
        Self::read(file, true)
    }

    /// Reads a policy, against its schema when `validate`: the built-in default policy was
    /// validated by the test suite, and compiling the schema at every start would cost more than
    /// checking a small repository.
    pub(crate) fn read(file: &Arc<SourceFile>, validate: bool) -> Result<Self, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let Some(document) = load_tree(file, &mut problems) else {
            return Err(problems);
        };
        if validate {
            Schema::Policy.validate(&document.root, file, &mut problems);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let root = document.root;
        let parsed: PolicyDocument =
            yaml::from_node(&root).map_err(|e| vec![typed_error(file, &root, e)])?;
        let problem = |pointer: &str, message: String, help: &'static str| {
            let span = root.pointer(pointer).map_or(root.span, |(key, value)| {
                if value.span.is_empty() {
                    key.map_or(value.span, |k| k.span)
                } else {
                    value.span
                }
            });
            Diagnostic::new(&rules::IC002, message, Label::new(file, span, "here")).with_help(help)
        };
        let mut severity = BTreeMap::new();
        for (code, setting) in parsed.severity {
            let pointer = format!("/severity/{code}");
            let Some(rule) = rules::find(&code) else {
                problems.push(problem(
                    &pointer,
                    format!("unknown rule code `{code}`"),
                    "`imgcost rules` lists the rule codes",
                ));
                continue;
            };
            let setting: SeveritySetting = setting.parse().unwrap_or(SeveritySetting::Off);
            if rule.fail_closed
                && setting != SeveritySetting::On(crate::foundation::Severity::Error)
            {
                problems.push(problem(&pointer, format!("{} cannot be lowered: a workflow that cannot be read or priced would pass unchecked", rule.code), "remove this line"));
                continue;
            }
            // Keyed by the rule's own spelling: `ic201` in a policy is IC201.
            severity.insert(rule.code.to_owned(), setting);
        }
        let mut models = ModelRules::default();
        if let Some(lists) = &parsed.rules.models {
            let mut compile = |list: &Option<Vec<String>>, name: &str| {
                list.as_ref().map(|patterns| {
                    patterns
                        .iter()
                        .enumerate()
                        .filter_map(|(index, pattern)| match Glob::new(pattern) {
                            Ok(glob) => Some(ModelPattern {
                                pattern: pattern.clone(),
                                glob: glob.compile_matcher(),
                            }),
                            Err(error) => {
                                problems.push(problem(
                                    &format!("/rules/models/{name}/{index}"),
                                    format!("`{pattern}` is not a valid glob: {}", error.kind()),
                                    "globs use `*`, `?`, `[abc]` and `{a,b}`",
                                ));
                                None
                            }
                        })
                        .collect()
                })
            };
            models.allow = compile(&lists.allow, "allow");
            models.deny = compile(&lists.deny, "deny");
        }
        let mut exemptions = Vec::new();
        for (index, exemption) in parsed.exemptions.into_iter().enumerate() {
            let pointer = format!("/exemptions/{index}");
            let Some(rule) = rules::find(&exemption.rule) else {
                problems.push(problem(
                    &format!("{pointer}/rule"),
                    format!("unknown rule code `{}`", exemption.rule),
                    "`imgcost rules` lists the rule codes",
                ));
                continue;
            };
            if rule.fail_closed {
                problems.push(problem(&format!("{pointer}/rule"), format!("{} cannot be exempted: a workflow that cannot be read or priced would pass unchecked", rule.code), "fix the finding instead"));
                continue;
            }
            let mut builder = GlobSetBuilder::new();
            for (glob_index, pattern) in exemption.workflows.iter().enumerate() {
                match Glob::new(pattern) {
                    Ok(glob) => {
                        builder.add(glob);
                    }
                    Err(error) => problems.push(problem(
                        &format!("{pointer}/workflows/{glob_index}"),
                        format!("`{pattern}` is not a valid glob: {}", error.kind()),
                        "globs use `*`, `?`, `[abc]` and `{a,b}`",
                    )),
                }
            }
            let paths = match exemption.paths.as_deref().map(path_globs).transpose() {
                Ok(paths) => paths,
                Err((glob_index, reason)) => {
                    problems.push(problem(
                        &format!("{pointer}/paths/{glob_index}"),
                        format!("not a valid path glob: {reason}"),
                        "path globs use `*`, `?`, `**`, `[abc]` and `{a,b}`",
                    ));
                    continue;
                }
            };
            match builder.build() {
                Ok(globs) => exemptions.push(Exemption {
                    rule: rule.code.to_owned(),
                    workflows: exemption.workflows,
                    globs,
                    paths,
                    reason: exemption.reason,
                    approved_by: exemption.approved_by,
                    expires: exemption.expires,
                    index,
                }),
                Err(error) => problems.push(problem(
                    &format!("{pointer}/workflows"),
                    format!("invalid globs: {error}"),
                    "",
                )),
            }
        }
        let mut projects = Vec::new();
        for (project, patterns) in parsed.projects {
            match path_globs(&patterns) {
                Ok(places) => projects.push(ProjectBinding {
                    project,
                    patterns,
                    places,
                }),
                Err((index, reason)) => problems.push(problem(
                    &format!("/projects/{project}/{index}"),
                    format!("not a valid path glob: {reason}"),
                    "path globs use `*`, `?`, `**`, `[abc]` and `{a,b}`",
                )),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            name: parsed.name,
            file: Arc::clone(file),
            path: None,
            root,
            rules: parsed.rules,
            models,
            projects,
            severity,
            exemptions,
        })
    }

    /// The span of a key or value of this policy by JSON pointer (the value when `value`),
    /// falling back to the first line.
    #[must_use]
    pub fn span(&self, pointer: &str) -> Span {
        match self.root.pointer(pointer) {
            Some((key, value)) => Span::new(
                key.map_or(value.span.start, |k| k.span.start),
                value.span.end,
            ),
            None => self.file.line_span(1),
        }
    }

    /// A label on a line of this policy.
    #[must_use]
    pub fn label(&self, pointer: &str, message: impl Into<Text>) -> Label {
        Label::new(&self.file, self.span(pointer), message)
    }
}
