//! `imgcost diff`: what a change does to the monthly cost, per workflow and in total.
//!
//! The head is the working tree, checked exactly as `check` does. The base is either the same
//! paths as they are at a git revision (read through one `git cat-file --batch` process and
//! checked in memory with the same rate card, policies and as-of date), or a JSON report saved
//! by `check` on the base. Workflows are matched by id and compared on the figures the JSON
//! report carries, so both kinds of base compare alike. The policies' `diff:` gates become IC501
//! findings at the changed lines; a policy file that differs between base and head is IC502.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::check::{Context, ManifestInput, evaluate};
use crate::decimal::{Fixed, Plain, format_usd, parse_exact};
use crate::discovery::is_manifest_name;
use crate::git::{self, CatFile};
use crate::policy::{PolicySet, REPOSITORY_POLICY, settle};
use crate::render::json::{JsonTokens, JsonWorkflow};
use crate::rules::{IC501, IC502};
use crate::{Diagnostic, Error, Label, Report, SourceFile, Span, WorkflowEntry, file_reader};

/// How a workflow changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Added,
    Removed,
    Changed,
    Unchanged,
}

impl Status {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
            Self::Unchanged => "unchanged",
        }
    }
}

/// One workflow compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowChange {
    pub id: String,
    pub status: Status,
    /// Monthly cost at the base; `None` when absent or not priced there.
    pub before: Option<Decimal>,
    /// Monthly cost at the head; `None` when absent or not priced here.
    pub after: Option<Decimal>,
    /// What changed: `model`, `quality`, `size`, `n`, `endpoint`, `tier`, `volume`, `inputs`,
    /// `budget`, or `pricing` when only the figure moved.
    pub changed: Vec<&'static str>,
}

impl WorkflowChange {
    /// After minus before, an absent side counting as zero.
    #[must_use]
    pub fn delta(&self) -> Decimal {
        self.after.unwrap_or_default() - self.before.unwrap_or_default()
    }

    /// The change in percent of the base, when the base is known and not zero.
    #[must_use]
    pub fn percent(&self) -> Option<Decimal> {
        percent(self.delta(), self.before?)
    }
}

fn percent(delta: Decimal, before: Decimal) -> Option<Decimal> {
    if before.is_zero() {
        return None;
    }
    delta.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(before)
}

/// The comparison of a head report with its base, in cents as the reports show them.
#[derive(Debug, Clone)]
pub struct Diff {
    /// What was compared against: `HEAD~1 (1a2b3c4)` or the baseline report's path.
    pub base: String,
    pub before: Decimal,
    pub after: Decimal,
    /// Changed, added and removed workflows by size of change, then unchanged ones by id.
    pub workflows: Vec<WorkflowChange>,
    /// Errors found in the base (its figures may be incomplete).
    pub base_errors: usize,
}

impl Diff {
    #[must_use]
    pub fn delta(&self) -> Decimal {
        self.after - self.before
    }

    #[must_use]
    pub fn percent(&self) -> Option<Decimal> {
        percent(self.delta(), self.before)
    }
}

/// The base side: what the diff compares of each workflow.
#[derive(Debug, Clone)]
pub struct Base {
    pub label: String,
    /// `None`: the workflow's file is unchanged since the base, so it is as at the head.
    pub workflows: Vec<(String, Option<Compared>)>,
    /// The base's total, in cents as its report shows it.
    pub total: Decimal,
    pub errors: usize,
    /// The repository's policy files as they are at the base (`None`: absent there). Empty for
    /// a baseline report.
    pub policy_files: Vec<(PathBuf, Option<Vec<u8>>)>,
}

/// The policy paths a run considers: the explicit ones, else the repository policy.
fn policy_paths(explicit: &[PathBuf]) -> Vec<PathBuf> {
    if explicit.is_empty() {
        vec![PathBuf::from(REPOSITORY_POLICY)]
    } else {
        explicit.to_vec()
    }
}

/// Checks `paths` as they are at `revision`, with the head's rate card, policies and date. Files
/// that git reports unchanged since the revision are not read again: their figures are the
/// head's, which the same rate card, policies and date make identical.
///
/// # Errors
/// When the revision is not in the clone, or git fails.
pub fn base_from_git(
    cwd: &Path,
    revision: &str,
    paths: &[PathBuf],
    policies: &[PathBuf],
    context: &Context,
    head: &Report,
) -> Result<Base, Error> {
    let commit = git::resolve(cwd, revision)?;
    let specs: Vec<String> = paths
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let explicit_files: Vec<&str> = specs
        .iter()
        .filter(|s| cwd.join(s).is_file())
        .map(String::as_str)
        .collect();
    let changed = git::changed_files(cwd, &commit, &specs)?;
    let mut head_files: HashMap<&str, Vec<&WorkflowEntry>> = HashMap::new();
    for entry in &head.workflows {
        head_files.entry(entry.file.path()).or_default().push(entry);
    }
    let mut cat = CatFile::spawn(cwd)?;
    let mut inputs = Vec::new();
    let mut findings = Vec::new();
    let mut reused: Vec<&WorkflowEntry> = Vec::new();
    let mut reused_files: HashSet<&str> = HashSet::new();
    for file in git::list_files(cwd, &commit, &specs)? {
        let name = file.path.rsplit('/').next().unwrap_or_default();
        let explicit = explicit_files
            .iter()
            .any(|e| e.trim_start_matches("./") == file.path);
        if !is_manifest_name(name) && !explicit {
            continue;
        }
        if !file.symlink
            && !changed.contains(&file.path)
            && let Some((path, entries)) = head_files.get_key_value(file.path.as_str())
        {
            reused.extend(entries);
            reused_files.insert(path);
            continue;
        }
        let display = format!("{}:{}", short(&commit), file.path);
        if file.symlink {
            findings.push(file_reader::unreadable(
                &display,
                "it is a symbolic link at the base; imgcost does not follow links",
            ));
            continue;
        }
        let Some(bytes) = cat.read(&format!("{commit}:./{}", file.path))? else {
            continue;
        };
        let folder = crate::printable(&match file.path.rsplit_once('/') {
            Some((parent, _)) => parent.rsplit('/').next().unwrap_or(parent).to_owned(),
            None => cwd
                .canonicalize()
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "root".to_owned()),
        })
        .into_owned();
        inputs.push(ManifestInput::Bytes {
            display,
            folder,
            bytes,
        });
    }
    let mut report = evaluate(&inputs, findings, context);
    settle(&mut report, &context.policies);
    let mut policy_files = Vec::new();
    for path in policy_paths(policies) {
        let relative = path.to_string_lossy().replace('\\', "/");
        let object = if relative.starts_with('/') {
            format!("{commit}:{relative}")
        } else {
            format!("{commit}:./{relative}")
        };
        policy_files.push((path, cat.read(&object)?));
    }
    let reused_total = reused
        .iter()
        .filter_map(|entry| entry.monthly_usd())
        .fold(Decimal::ZERO, Decimal::saturating_add);
    let reused_errors = head
        .diagnostics
        .iter()
        .filter(|d| {
            d.is_active()
                && d.severity == crate::Severity::Error
                && reused_files.contains(&d.primary.file.path())
        })
        .count();
    let mut workflows: Vec<(String, Option<Compared>)> =
        compared_workflows(report.workflows.par_iter())
            .into_iter()
            .map(|(id, compared)| (id, Some(compared)))
            .collect();
    workflows.extend(reused.iter().map(|entry| (entry.workflow.id.clone(), None)));
    Ok(Base {
        label: format!("{revision} ({})", short(&commit)),
        workflows,
        total: cents(report.monthly_usd().saturating_add(reused_total)),
        errors: report.counts().errors + reused_errors,
        policy_files,
    })
}

fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// Reads a JSON report saved by `imgcost check --format json` on the base.
///
/// # Errors
/// When the file cannot be read or is not a version 1 report.
pub fn base_from_baseline(path: &Path, display: &str) -> Result<Base, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::Unreadable {
        what: "baseline report",
        path: display.to_owned(),
        message: e.to_string(),
    })?;
    let report: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Usage(format!("baseline {display} is not JSON: {e}")))?;
    let problems: Vec<String> = crate::Schema::Report
        .validator()
        .iter_errors(&report)
        .take(3)
        .map(|e| format!("{} at `{}`", e, e.instance_path().as_str()))
        .collect();
    if !problems.is_empty() {
        return Err(Error::Usage(format!(
            "baseline {display} is not an imgcost report (version 1): {}",
            problems.join("; ")
        )));
    }
    let workflows = report["workflows"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|w| Some((w["id"].as_str()?.to_owned(), Some(Compared::of(w)))))
                .collect()
        })
        .unwrap_or_default();
    let errors = report["summary"]["errors"]
        .as_u64()
        .and_then(|e| usize::try_from(e).ok())
        .unwrap_or(0);
    let total = money(&report["summary"]["monthly_usd"]).unwrap_or_default();
    Ok(Base {
        label: display.to_owned(),
        workflows,
        total,
        errors,
        policy_files: Vec::new(),
    })
}

/// A figure as the reports show it: rounded half away from zero to cents. The diff works on
/// these, so that its figures equal `check` at each side subtracted.
fn cents(value: Decimal) -> Decimal {
    crate::decimal::round_half_away(value, 2)
}

/// What `compare` looks at in a workflow. It is taken from the workflow's JSON report form, so
/// that a base read from git and one read from a saved report compare alike; the full form is
/// dropped at once, since holding it for every workflow of both sides took most of a large
/// diff's time and memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    /// `model`, `endpoint`, `tier`, `quality`, `size`, `n`, in [`SHAPE`]'s order.
    shape: [Value; 6],
    volume: Value,
    inputs_per_attempt: Option<Decimal>,
    budget: Value,
    monthly: Option<Decimal>,
}

/// The request fields whose change a diff names, as the report spells them.
const SHAPE: [&str; 6] = ["model", "endpoint", "tier", "quality", "size", "n"];

impl Compared {
    /// From a workflow of a saved report (a baseline).
    fn of(workflow: &Value) -> Self {
        Self {
            shape: SHAPE.map(|key| workflow[key].clone()),
            volume: workflow["volume"].clone(),
            inputs_per_attempt: inputs_per_attempt(&workflow["volume"], &workflow["tokens"]),
            budget: workflow["budget_usd"].clone(),
            monthly: money(&workflow["monthly_usd"]),
        }
    }

    /// From a workflow about to be reported, without writing it out: the JSON of the fields
    /// compared as values, and its figures as the decimals [`Compared::of`] would read back from
    /// their text (normalized, rounded to cents). Serializing whole workflows of a large run for
    /// this was most of what `diff` cost beyond `check`.
    fn of_workflow(workflow: &JsonWorkflow<'_>) -> Self {
        let attempts = workflow.volume.as_ref().map(|v| v.attempts.0.normalize());
        let inputs = INPUT_TOKENS.map(|(_, tokens_of)| {
            workflow
                .tokens
                .as_ref()
                .map(|tokens| tokens_of(tokens).0.normalize())
        });
        Self {
            shape: [
                json(workflow.model),
                json(workflow.endpoint),
                json(workflow.tier),
                json(workflow.quality),
                json(&workflow.size),
                json(workflow.n),
            ],
            volume: json(&workflow.volume),
            inputs_per_attempt: per_attempt(attempts, inputs),
            budget: json(workflow.budget_usd),
            monthly: workflow.monthly_usd.map(Fixed::rounded),
        }
    }
}

fn json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn compared_workflows<'a>(
    entries: impl IndexedParallelIterator<Item = &'a WorkflowEntry>,
) -> Vec<(String, Compared)> {
    entries
        .map(|entry| {
            let compared = Compared::of_workflow(&JsonWorkflow::of(entry));
            (entry.workflow.id.clone(), compared)
        })
        .collect()
}

fn money(value: &Value) -> Option<Decimal> {
    value.as_str().and_then(|s| parse_exact(s).ok())
}

/// A token count of a workflow, by its name in the report and its field.
type TokenField = (&'static str, fn(&JsonTokens) -> Plain);

/// The token counts a workflow reads as input.
const INPUT_TOKENS: [TokenField; 6] = [
    ("text_input", |t| t.text_input),
    ("cached_text_input", |t| t.cached_text_input),
    ("image_input", |t| t.image_input),
    ("cached_image_input", |t| t.cached_image_input),
    ("mainline_input", |t| t.mainline_input),
    ("mainline_cached_input", |t| t.mainline_cached_input),
];

/// Input tokens per attempt, read from a report's `volume` and `tokens`.
fn inputs_per_attempt(volume: &Value, tokens: &Value) -> Option<Decimal> {
    per_attempt(
        money(&volume["attempts"]),
        INPUT_TOKENS.map(|(name, _)| money(&tokens[name])),
    )
}

/// Input tokens per attempt: changes when prompts or reference images change, not with volume.
fn per_attempt(attempts: Option<Decimal>, inputs: [Option<Decimal>; 6]) -> Option<Decimal> {
    let attempts = attempts.filter(|a| !a.is_zero())?;
    let total = inputs
        .into_iter()
        .flatten()
        .fold(Decimal::ZERO, |sum, v| sum + v);
    total.checked_div(attempts)
}

fn changed_fields(before: &Compared, after: &Compared) -> Vec<&'static str> {
    let mut changed: Vec<&'static str> = SHAPE
        .into_iter()
        .zip(before.shape.iter().zip(&after.shape))
        .filter(|(_, (b, a))| b != a)
        .map(|(key, _)| key)
        .collect();
    if before.volume != after.volume {
        changed.push("volume");
    }
    if before.inputs_per_attempt != after.inputs_per_attempt {
        changed.push("inputs");
    }
    if before.budget != after.budget {
        changed.push("budget");
    }
    if changed.is_empty() && before.monthly != after.monthly {
        changed.push("pricing");
    }
    changed
}

/// Compares the head with its base, workflow by workflow.
#[must_use]
pub fn compare(base: &Base, head: &Report) -> Diff {
    let head_workflows = compared_workflows(head.workflows.par_iter());
    let before_by_id: HashMap<&str, Option<&Compared>> = base
        .workflows
        .iter()
        .map(|(id, w)| (id.as_str(), w.as_ref()))
        .collect();
    let after_by_id: HashMap<&str, &Compared> = head_workflows
        .iter()
        .map(|(id, w)| (id.as_str(), w))
        .collect();
    let mut workflows = Vec::new();
    for (id, after) in &head_workflows {
        let change = match before_by_id.get(id.as_str()) {
            None => WorkflowChange {
                id: id.clone(),
                status: Status::Added,
                before: None,
                after: after.monthly,
                changed: Vec::new(),
            },
            Some(before) => {
                let before = before.unwrap_or(after);
                let changed = changed_fields(before, after);
                let status = if changed.is_empty() {
                    Status::Unchanged
                } else {
                    Status::Changed
                };
                WorkflowChange {
                    id: id.clone(),
                    status,
                    before: before.monthly,
                    after: after.monthly,
                    changed,
                }
            }
        };
        workflows.push(change);
    }
    for (id, before) in &base.workflows {
        if !after_by_id.contains_key(id.as_str()) {
            workflows.push(WorkflowChange {
                id: id.clone(),
                status: Status::Removed,
                before: before.as_ref().and_then(|b| b.monthly),
                after: None,
                changed: Vec::new(),
            });
        }
    }
    workflows.sort_by(|a, b| {
        let rank = |c: &WorkflowChange| u8::from(c.status == Status::Unchanged);
        rank(a)
            .cmp(&rank(b))
            .then_with(|| b.delta().abs().cmp(&a.delta().abs()))
            .then_with(|| a.id.cmp(&b.id))
    });
    Diff {
        base: base.label.clone(),
        before: base.total,
        after: cents(head.monthly_usd()),
        workflows,
        base_errors: base.errors,
    }
}

/// Where a changed field of a workflow is written, in gate-reporting order.
const FIELD_PATHS: &[(&str, &str)] = &[
    ("model", "model"),
    ("quality", "request/quality"),
    ("size", "request/size"),
    ("n", "request/n"),
    ("endpoint", "endpoint"),
    ("tier", "batch"),
    ("volume", "volume"),
    ("inputs", "inputs"),
    ("budget", "budget"),
];

fn changed_labels(entry: &WorkflowEntry, change: &WorkflowChange) -> Vec<Label> {
    FIELD_PATHS
        .iter()
        .filter(|(field, _)| change.changed.contains(field))
        .filter_map(|(field, path)| {
            let (_, value) = entry.workflow.field(path)?;
            Some(Label::new(&entry.file, value, format!("{field} changed")))
        })
        .collect()
}

/// IC501: increases over the policies' `diff` limits, per workflow (at its changed lines) and in
/// total (at the largest increase).
#[must_use]
pub fn gates(diff: &Diff, head: &Report, policies: &PolicySet) -> Vec<Diagnostic> {
    let usd_limit = policies.max_increase_usd();
    let percent_limit = policies.max_increase_percent();
    if usd_limit.is_none() && percent_limit.is_none() {
        return Vec::new();
    }
    let over = |delta: Decimal, percent: Option<Decimal>| -> Vec<(String, Label)> {
        let mut reasons = Vec::new();
        if let Some(limit) = usd_limit.filter(|l| delta > l.value) {
            reasons.push((
                format!("over the limit of {}", format_usd(limit.value, 2)),
                limit.policy.label(
                    "/rules/diff/max_increase_usd",
                    format!(
                        "policy `{}`: at most {} more a month",
                        limit.policy.name,
                        format_usd(limit.value, 2)
                    ),
                ),
            ));
        }
        if let (Some(limit), Some(percent)) = (percent_limit, percent)
            && percent > limit.value
        {
            reasons.push((
                format!(
                    "over the limit of {} %",
                    crate::decimal::format_plain(limit.value)
                ),
                limit.policy.label(
                    "/rules/diff/max_increase_percent",
                    format!(
                        "policy `{}`: at most {} % more",
                        limit.policy.name,
                        crate::decimal::format_plain(limit.value)
                    ),
                ),
            ));
        }
        reasons
    };
    let mut found = Vec::new();
    for change in diff.workflows.iter().filter(|c| c.delta() > Decimal::ZERO) {
        let reasons = over(change.delta(), change.percent());
        if reasons.is_empty() {
            continue;
        }
        let Some(entry) = head.workflow(&change.id) else {
            continue;
        };
        let mut labels = changed_labels(entry, change);
        let primary = if labels.is_empty() {
            Label::new(&entry.file, entry.workflow.key_span, change.status.as_str())
        } else {
            labels.remove(0)
        };
        let percent = change.percent().map_or_else(String::new, |p| {
            format!(" (+{} %)", crate::decimal::format_fixed(p, 1))
        });
        let texts: Vec<String> = reasons.iter().map(|(text, _)| text.clone()).collect();
        let mut diagnostic = Diagnostic::new(
            &IC501,
            format!(
                "monthly cost of `{}` rises by {}{percent}, {}",
                change.id,
                format_usd(change.delta(), 2),
                texts.join(" and ")
            ),
            primary,
        )
        .with_workflow(&change.id);
        diagnostic.related = labels;
        diagnostic
            .related
            .extend(reasons.into_iter().map(|(_, label)| label));
        diagnostic.set_help(Some("reduce the increase, or have the policy's owners approve it (an IC501 exemption with an expiry)".to_owned()));
        found.push(diagnostic);
    }
    if diff.delta() > Decimal::ZERO {
        let reasons = over(diff.delta(), diff.percent());
        let largest = diff
            .workflows
            .iter()
            .filter(|c| c.delta() > Decimal::ZERO)
            .find_map(|c| Some((c, head.workflow(&c.id)?)));
        if let (false, Some((change, entry))) = (reasons.is_empty(), largest) {
            let mut labels = changed_labels(entry, change);
            let primary = if labels.is_empty() {
                Label::new(&entry.file, entry.workflow.key_span, "largest increase")
            } else {
                labels.remove(0)
            };
            let percent = diff.percent().map_or_else(String::new, |p| {
                format!(" (+{} %)", crate::decimal::format_fixed(p, 1))
            });
            let texts: Vec<String> = reasons.iter().map(|(text, _)| text.clone()).collect();
            let mut diagnostic = Diagnostic::new(
                &IC501,
                format!(
                    "total monthly cost rises by {}{percent}, {}",
                    format_usd(diff.delta(), 2),
                    texts.join(" and ")
                ),
                primary,
            )
            .with_workflow("*");
            diagnostic.related = reasons.into_iter().map(|(_, label)| label).collect();
            diagnostic.set_help(Some(format!(
                "the largest increase is `{}` (labelled); reduce it or have the increase approved",
                change.id
            )));
            found.push(diagnostic);
        }
    }
    found
}

/// IC502: the policy files that differ between the base and the working tree.
#[must_use]
pub fn policy_changes(base: &Base, cwd: &Path) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (path, at_base) in &base.policy_files {
        let display = crate::discovery::display_path(&cwd.join(path), cwd);
        let now = std::fs::read(cwd.join(path)).ok();
        if &now == at_base {
            continue;
        }
        let what = match (at_base, &now) {
            (None, _) => "is added",
            (_, None) => "is removed",
            _ => "changes",
        };
        let text = now
            .as_deref()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        let file = std::sync::Arc::new(SourceFile::new(&display, text));
        let span = if file.text().is_empty() {
            Span::point(0)
        } else {
            file.line_span(1)
        };
        found.push(
            Diagnostic::new(&IC502, format!("policy {display} {what} in this comparison (base {})", base.label), Label::new(&file, span, "policy"))
                .with_help("review the policy change on its own; with `--policy-ref` the gate uses the base's policy"),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::{Date, RateCard, check_inputs};

    /// A head workflow compares as it would once written to a report and read back as a
    /// baseline: the shipped examples and the benchmark's manifest (every endpoint, budgets or
    /// none) and an unpriced workflow (`null` figures).
    #[test]
    fn a_workflow_compares_as_its_report_form() {
        let examples = [
            "examples/marketing/campaigns.imgcost.yaml",
            "examples/starter/imgcost.yaml",
            "examples/storefront/imgcost.yaml",
            "examples/support/imgcost.yaml",
            "benches/typical-manifest.yaml",
        ];
        let inputs: Vec<ManifestInput> = examples
            .iter()
            .map(|path| ManifestInput::Bytes {
                display: (*path).to_owned(),
                folder: path.split('/').nth(1).unwrap_or_default().to_owned(),
                bytes: std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
                    .unwrap(),
            })
            .chain(std::iter::once(ManifestInput::Bytes {
                display: "unpriced/imgcost.yaml".to_owned(),
                folder: "unpriced".to_owned(),
                bytes: b"version: 1\nworkflows:\n  future:\n    model: gpt-image-9\n    request: { size: 1024x1024, quality: high }\n    volume: { requests_per_month: 10 }\n".to_vec(),
            }))
            .collect();
        let as_of: Date = "2026-11-25".parse().unwrap();
        let context = Context {
            as_of,
            ratecard: Arc::clone(&RateCard::builtin()[0]),
            policies: Arc::new(PolicySet::builtin_default()),
        };
        let report = check_inputs(&inputs, Vec::new(), &context);
        assert_eq!(report.workflows.len(), 11);
        assert!(
            report
                .workflows
                .iter()
                .any(|entry| entry.projection.is_none())
        );
        for entry in &report.workflows {
            let written = JsonWorkflow::of(entry);
            assert_eq!(
                Compared::of_workflow(&written),
                Compared::of(&json(&written)),
                "{}",
                entry.workflow.id
            );
        }
    }
}
