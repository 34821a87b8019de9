//! A manifest file (`imgcost.yaml`): loaded, validated and read into workflows.
//!
//! Loading a manifest is the foundation of every command: load the YAML tree safely, merge
//! `defaults:` under each workflow (keeping the spans of where each value is written), validate
//! the result against `schemas/manifest.schema.json`, then read typed [`Workflow`]s from the same
//! tree. Problems become diagnostics; a workflow with a problem is left out of pricing, the others
//! go on.

use std::collections::HashSet;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::yaml;

use crate::foundation::{Diagnostic, Label, SourceFile, decimal};
use crate::model::{Attribution, FieldSpans, Schema, Workflow, WorkflowSpec};
use crate::rules;
use crate::yaml::Span;
use crate::yaml::{Document, Ignored, IgnoredKind, Node, NodeKind};

/// A loaded manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub file: Arc<SourceFile>,
    /// The file's place relative to the repository's top, with `/` (what policies bind
    /// projects and exemptions to); set by the caller that knows it.
    pub place: String,
    /// Where `budget.monthly_usd` is written, if it is.
    pub budget_span: Option<Span>,
    /// Where the `workflows:` key is written.
    pub workflows_span: Span,
    pub project: String,
    /// Where `project:` is written; `None` when the project is the folder's name.
    pub project_span: Option<Span>,
    pub owner: Option<String>,
    /// `budget.monthly_usd` of the whole manifest.
    pub budget_usd: Option<Decimal>,
    /// Where the manifest-level `attribution:` is written, if it is.
    pub attribution_span: Option<Span>,
    /// The workflows that could be read, in file order.
    pub workflows: Vec<Workflow>,
    /// How many workflows were left out because of errors in them.
    pub unreadable_workflows: usize,
}

#[derive(Deserialize)]
struct Header {
    project: Option<String>,
    owner: Option<String>,
    budget: Option<ManifestBudget>,
    attribution: Option<Attribution>,
}

#[derive(Deserialize)]
struct ManifestBudget {
    #[serde(deserialize_with = "decimal::deserialize")]
    monthly_usd: Decimal,
}

impl Manifest {
    /// Loads one manifest. `default_project` is the name of the folder holding it. Returns
    /// `None` when the file as a whole is unusable (syntax, or an error outside its workflows);
    /// every reason is in `out`.
    pub fn load(
        file: Arc<SourceFile>,
        default_project: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let document = load_tree(&file, out)?;
        let has_duplicates = !document.duplicate_keys.is_empty();
        let budget = yaml::copy_budget(file.len()).saturating_sub(document.copied_nodes);
        // Found before `defaults:` is merged, which would give a dedented section a `model`.
        let dedented = dedented_sections(&document.root);
        let root = match merge_defaults(document.root, budget) {
            Ok(root) => root,
            Err(too_many) => {
                out.push(too_many.diagnostic(&file));
                return None;
            }
        };
        let mut schema_findings = Vec::new();
        let failed = Schema::Manifest.validate(&root, &file, &mut schema_findings);
        // A section dedented by one level is read as a workflow of its own: one finding saying
        // so replaces the several the schema has about that "workflow". Chosen by where in the
        // document the finding is, not where its text is: a real workflow can alias an anchor
        // written inside the section.
        out.extend(
            schema_findings
                .into_iter()
                .zip(&failed)
                .filter(|(_, pointer)| !dedented.iter().any(|section| section.holds(pointer)))
                .map(|(finding, _)| finding),
        );
        out.extend(dedented.iter().map(|section| section.diagnostic(&file)));
        let whole_file_failed = failed.iter().any(|pointer| {
            !pointer.starts_with("/workflows/") && !pointer.starts_with("/defaults")
        });
        // With a duplicate key it is unknown which value was meant: report, but price nothing.
        if whole_file_failed || has_duplicates {
            return None;
        }
        // The folder's name becomes the first half of every workflow id and reaches every
        // report: it must be a project name as the schema defines one, as `project:` must.
        if root.get("project").is_none() && !is_project_name(default_project) {
            out.push(
                Diagnostic::new(
                    &rules::IC002,
                    "the name of the folder holding this manifest is not a valid project name, and the manifest sets no `project:`",
                    Label::new(&file, Span::point(0), "no valid project"),
                )
                .with_help("set `project:` (letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 64 characters), for example `project: storefront`"),
            );
            return None;
        }
        let header = match yaml::from_node::<Header>(&strip(
            &root,
            &["project", "owner", "budget", "attribution"],
        )) {
            Ok(header) => header,
            Err(error) => {
                out.push(typed_error(&file, &root, error));
                return None;
            }
        };
        let project = header.project.unwrap_or_else(|| default_project.to_owned());
        // A set, not a scan of `failed` per workflow: a hostile file can hold thousands of
        // workflows and an error in each, which made the scan quadratic (most of a minute for
        // 1 MiB in a debug build).
        let failed_workflows: HashSet<String> =
            failed.iter().filter_map(|p| failed_workflow(p)).collect();
        let mut workflows = Vec::new();
        let mut unreadable_workflows = 0;
        for entry in root
            .get("workflows")
            .and_then(Node::as_mapping)
            .unwrap_or_default()
        {
            let name = entry.key.as_str().unwrap_or_default().to_owned();
            if failed_workflows.contains(&name) {
                unreadable_workflows += 1;
                continue;
            }
            match yaml::from_node::<WorkflowSpec>(&entry.value) {
                Ok(mut spec) => {
                    spec.has_owner |= header.owner.is_some();
                    spec.attribution =
                        Attribution::over(spec.attribution.as_deref(), header.attribution.as_ref())
                            .map(Box::new);
                    workflows.push(Workflow {
                        id: Arc::from([project.as_str(), "/", name.as_str()].concat()),
                        key_span: entry.key.span,
                        fields: FieldSpans::of(&entry.value),
                        spec: Box::new(spec),
                    });
                }
                Err(error) => {
                    unreadable_workflows += 1;
                    out.push(
                        typed_error(&file, &entry.value, error)
                            .with_workflow(format!("{project}/{name}")),
                    );
                }
            }
        }
        Some(Self {
            place: file.path().to_owned(),
            file,
            budget_span: root
                .pointer("/budget/monthly_usd")
                .map(|(_, value)| value.span),
            workflows_span: root
                .entry("workflows")
                .map_or(root.span, |entry| entry.key.span),
            project,
            project_span: root.pointer("/project").map(|(_, value)| value.span),
            owner: header.owner,
            budget_usd: header.budget.map(|b| b.monthly_usd),
            attribution_span: root.entry("attribution").map(|entry| entry.key.span),
            workflows,
            unreadable_workflows,
        })
    }
}

/// Whether `name` matches the manifest schema's `project` pattern,
/// `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$` (a unit test keeps the two the same).
fn is_project_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|first| first.is_ascii_alphanumeric())
        && name.len() <= 64
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Loads a YAML file into its tree, reporting a syntax error as IC001 (then `None`), each
/// duplicate key as IC003 (the document is still returned, so that its other problems can be
/// reported too) and each tag or directive read past as IC006. Shared by manifests, policies and
/// rate cards.
pub fn load_tree(file: &Arc<SourceFile>, out: &mut Vec<Diagnostic>) -> Option<Document> {
    // A file being loaded has its text: only a loaded one loses it (`SourceFile::lines_only`).
    match yaml::load(file.text().unwrap_or_default()) {
        Ok(document) => {
            out.extend(document.duplicate_keys.iter().map(|duplicate| {
                Diagnostic::new(
                    &rules::IC003,
                    format!("duplicate key `{}`", duplicate.key),
                    Label::new(file, duplicate.second, "repeated here"),
                )
                .with_related(Label::new(file, duplicate.first, "first defined here"))
                .with_help(
                    "remove one of the two; YAML does not allow the same key twice in a mapping",
                )
            }));
            out.extend(
                document
                    .ignored
                    .iter()
                    .map(|ignored| ignored_construct(file, ignored)),
            );
            Some(document)
        }
        Err(error) => {
            let mut diagnostic = Diagnostic::new(
                &rules::IC001,
                error.message,
                Label::new(file, error.span, "here"),
            );
            diagnostic.set_help(error.help);
            out.push(diagnostic);
            None
        }
    }
}

/// A typed-read error (rare: the schema catches nearly everything first) as IC002.
pub fn typed_error(file: &Arc<SourceFile>, node: &Node, error: yaml::DeError) -> Diagnostic {
    let span = error.span.unwrap_or(node.span);
    Diagnostic::new(&rules::IC002, error.message, Label::new(file, span, "here"))
}

/// The name of the workflow a failed JSON pointer is in (`/workflows/hero/volume` → `hero`),
/// unescaped as RFC 6901 says.
fn failed_workflow(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/workflows/")?;
    let token = rest.split_once('/').map_or(rest, |(token, _)| token);
    Some(token.replace("~1", "/").replace("~0", "~"))
}

/// A workflow field (`volume:`, `request:`, …) written at the indentation of workflow names,
/// so that YAML reads it as a workflow named after the field.
struct DedentedSection {
    name: String,
    key: Span,
    /// The workflow written just before it, which it most likely belongs to.
    previous: Option<String>,
}

/// Keys of a workflow that are no workflow's likely name.
const WORKFLOW_FIELDS: &[&str] = &[
    "model",
    "endpoint",
    "request",
    "volume",
    "budget",
    "inputs",
    "mainline",
    "svg",
    "attribution",
    "labels",
    "owner",
    "description",
    "batch",
    "latency",
];

fn dedented_sections(root: &Node) -> Vec<DedentedSection> {
    let workflows = root
        .get("workflows")
        .and_then(Node::as_mapping)
        .unwrap_or_default();
    let mut found = Vec::new();
    let mut previous: Option<String> = None;
    for entry in workflows {
        let name = entry.key.as_str().unwrap_or_default();
        // A real workflow, even one named like a field, is a mapping of workflow fields (its
        // `model` may come from `defaults:`); a dedented section holds the field's own keys
        // (`requests_per_month:`; `mainline:` and `svg:` hold a `model` of their own) or a plain
        // value (`model: gpt-image-2`).
        let holds_workflow_fields = entry.value.as_mapping().is_some_and(|fields| {
            fields.iter().any(|field| {
                field
                    .key
                    .as_str()
                    .is_some_and(|k| k != "model" && WORKFLOW_FIELDS.contains(&k))
            })
        });
        if WORKFLOW_FIELDS.contains(&name) && !holds_workflow_fields {
            found.push(DedentedSection {
                name: name.to_owned(),
                key: entry.key.span,
                previous: previous.clone(),
            });
        } else {
            previous = Some(name.to_owned());
        }
    }
    found
}

impl DedentedSection {
    /// Whether the JSON pointer of a schema finding is in the section (read as a workflow).
    fn holds(&self, pointer: &str) -> bool {
        pointer
            .strip_prefix("/workflows/")
            .and_then(|rest| rest.strip_prefix(self.name.as_str()))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    fn diagnostic(&self, file: &Arc<SourceFile>) -> Diagnostic {
        let under = self.previous.as_deref().map_or_else(
            || "the workflow it belongs to".to_owned(),
            |w| format!("`{w}`"),
        );
        Diagnostic::new(
            &rules::IC002,
            format!(
                "`{}` is read as a workflow named `{}`: it is indented at the level of workflow names",
                self.name, self.name
            ),
            Label::new(file, self.key, "read as a workflow"),
        )
        .with_help(format!(
            "indent `{}:` and everything under it one more level, under {under}",
            self.name
        ))
    }
}

/// Lays `defaults:` under every workflow mapping, in place, unless the copies would exceed
/// `budget` nodes (what the file may still copy: [`yaml::copy_budget`]). Each workflow is charged
/// the whole of `defaults:` before anything is copied, so a large `defaults:` (even under an
/// unknown key, which validation reports only after the merge) times thousands of workflows is
/// refused in time proportional to the file.
fn merge_defaults(mut root: Node, budget: usize) -> Result<Node, TooManyCopies> {
    let Some(defaults_entry) = root
        .entry("defaults")
        .filter(|d| d.value.as_mapping().is_some())
    else {
        return Ok(root);
    };
    let inheriting = root
        .get("workflows")
        .and_then(Node::as_mapping)
        .map_or(0, |workflows| {
            workflows
                .iter()
                .filter(|w| w.value.as_mapping().is_some())
                .count()
        });
    let cost = defaults_entry.value.copy_cost().nodes;
    // One copy to merge from, one under each workflow.
    let copies = cost.saturating_mul(inheriting.saturating_add(1));
    if copies > budget {
        return Err(TooManyCopies {
            key: defaults_entry.key.span,
            cost,
            inheriting,
            budget,
        });
    }
    let defaults = defaults_entry.value.clone();
    if let NodeKind::Mapping(entries) = &mut root.kind {
        for entry in entries
            .iter_mut()
            .filter(|e| e.key.as_str() == Some("workflows"))
        {
            if let NodeKind::Mapping(workflows) = &mut entry.value.kind {
                for workflow in workflows
                    .iter_mut()
                    .filter(|w| w.value.as_mapping().is_some())
                {
                    workflow.value = std::mem::take(&mut workflow.value).merged_over(&defaults);
                }
            }
        }
    }
    Ok(root)
}

/// `defaults:` too large for the number of workflows that inherit it.
struct TooManyCopies {
    key: Span,
    cost: usize,
    inheriting: usize,
    budget: usize,
}

impl TooManyCopies {
    fn diagnostic(&self, file: &Arc<SourceFile>) -> Diagnostic {
        Diagnostic::new(
            &rules::IC001,
            format!(
                "`defaults:` ({} nodes) copied under {} workflows is more than the {} nodes this file may copy",
                self.cost, self.inheriting, self.budget
            ),
            Label::new(file, self.key, "copied under every workflow"),
        )
        .with_help("keep `defaults:` to the few fields the workflows share; write large values in the workflows that use them")
    }
}

/// The root with only the named top-level keys (so the header reads without the workflows).
fn strip(root: &Node, keys: &[&str]) -> Node {
    let entries = root
        .as_mapping()
        .unwrap_or_default()
        .iter()
        .filter(|e| e.key.as_str().is_some_and(|k| keys.contains(&k)))
        .cloned()
        .collect();
    Node {
        span: root.span,
        kind: NodeKind::Mapping(entries),
    }
}

/// The IC006 finding for one construct read past.
#[must_use]
fn ignored_construct(file: &Arc<SourceFile>, ignored: &Ignored) -> Diagnostic {
    let shown = &ignored.shown;
    let (message, label, help) = match ignored.kind {
        IgnoredKind::Tag => (
            format!(
                "YAML tag `{shown}` is ignored: imgcost reads the value by the YAML 1.2 core schema"
            ),
            "ignored tag",
            "remove the tag and write the value as plain YAML: a number, `true`/`false`, or text (quoted if it could be read as something else)",
        ),
        IgnoredKind::YamlVersion => (
            format!("`{shown}` is ignored: imgcost reads every file as YAML 1.2 (core schema)"),
            "ignored directive",
            "remove the directive; in YAML 1.2 `yes`, `no`, `on` and `off` are text, not booleans, and `010` is ten",
        ),
        IgnoredKind::UnknownDirective => (
            format!("unknown directive `{shown}` is ignored"),
            "ignored directive",
            "remove it; imgcost knows `%YAML 1.2` and `%TAG`",
        ),
    };
    Diagnostic::new(
        &rules::IC006,
        message,
        Label::new(file, ignored.span, label),
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_name_check_is_the_schemas_pattern() {
        let schema: serde_json::Value =
            serde_json::from_str(Schema::Manifest.text()).expect("schema");
        assert_eq!(
            schema["properties"]["project"]["pattern"],
            "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
        );
        for name in ["a", "storefront", "Web-2.0_x", &"a".repeat(64)] {
            assert!(is_project_name(name), "{name}");
        }
        let long = "a".repeat(65);
        for name in [
            "",
            ".tmp",
            "-x",
            "my app",
            "é",
            "x` <img src=q> [Approve](https://evil.example) @octocat `y",
            long.as_str(),
        ] {
            assert!(!is_project_name(name), "{name}");
        }
    }
}
