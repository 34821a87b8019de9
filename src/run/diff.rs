//! `imgcost diff`: what a change does to the monthly cost, per workflow and in total.
//!
//! The head is the working tree, checked exactly as `check` does. The base is either the same
//! paths as they are at a git revision (the files git tracks there, read through one
//! `git cat-file --batch` process and checked in memory with the same rate card, policies and
//! as-of date: the same rule as the head's discovery, which follows what git tracks), or a JSON
//! report saved by `check` on the base. Workflows are matched by id and compared on the figures
//! the JSON report carries, so both kinds of base compare alike; a workflow whose id vanished
//! while a similar one appeared in the same file is a rename, compared and gated as a change.
//! The policies' `diff:` gates become IC501 findings at the changed lines; a policy file that
//! differs between base and head is IC502.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use std::borrow::Cow;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::error::Category;
use serde_json::value::RawValue;

use crate::foundation::decimal::{Fixed, MAX_USD, format_usd, sum_usd};
use crate::foundation::{Diagnostic, Error, Label, SourceFile};
use crate::input::discovery::is_manifest_name;
use crate::input::file_reader::{LINK_OUTSIDE, MAX_FILE_BYTES};
use crate::input::git;
use crate::input::git::{CatFile, Object};
use crate::input::{Workspace, file_reader};
use crate::model::Endpoint;
use crate::policy::{PolicySet, REPOSITORY_POLICY, RunKind, settle};
use crate::pricing::Tier;
use crate::report::json::{
    JsonDiagnostic, JsonReport, JsonVolume, JsonWorkflow, JsonWorkflowChange,
};
use crate::report::{Report, WorkflowEntry};
use crate::rules::{IC501, IC502};
use crate::run::check::{
    CheckOptions, Context, Keep, ManifestInput, Texts, evaluate, evaluate_paths,
};
use crate::yaml::Span;

/// What a change is compared with.
#[derive(Debug, Clone, Copy)]
pub enum BaseSource<'a> {
    /// The same paths at a git revision; `policies` are the explicit `--policy` files (the
    /// repository policy when empty), read at the revision for IC502.
    Revision {
        revision: &'a str,
        policies: &'a [PathBuf],
    },
    /// A JSON report saved by `check` on the base.
    Baseline(&'a Path),
}

/// A finished `diff`: the head's report, with the diff's findings settled into it, and the
/// comparison the renderers show.
#[derive(Debug)]
pub struct DiffRun {
    pub head: Report,
    pub base: Base,
    pub comparison: Diff,
}

/// Runs `imgcost diff`: checks the head as `check` does, reads the base, compares them, and
/// adds the `diff:` gates (IC501) and policy changes (IC502) before the policies' exemptions
/// and severities settle every finding.
///
/// # Errors
/// As [`check`](crate::run::check()), and when the base cannot be read, or neither side has a
/// manifest.
pub fn diff(options: &CheckOptions, source: BaseSource<'_>) -> Result<DiffRun, Error> {
    let (mut head, base) = match source {
        BaseSource::Revision { revision, policies } => {
            let head = evaluate_paths(options)?;
            let base = base_from_git(
                &options.workspace,
                revision,
                &options.paths,
                policies,
                &options.context,
                &head,
                Findings::Skip,
            )?;
            (head, base)
        }
        // A saved report is read on one core while the head is checked on the others; the
        // head's failure is told first, as when the two were read one after the other.
        BaseSource::Baseline(path) => {
            let (head, base) = rayon::join(
                || evaluate_paths(options),
                || base_from_baseline(&options.workspace, path, Findings::Skip),
            );
            (head?, base?)
        }
    };
    if head.manifest_count == 0 && base.workflows.is_empty() {
        return Err(Error::NothingToCompare);
    }
    let comparison = compare(&base, &head);
    let mut findings = gates(&comparison, &head, &options.context.policies);
    findings.extend(policy_changes(&base, &options.workspace));
    head.diagnostics.extend(findings.into_iter().map(Box::new));
    settle(&mut head, &options.context.policies, RunKind::Diff);
    Ok(DiffRun {
        head,
        base,
        comparison,
    })
}

/// Largest baseline report read: a saved report of 100 000 workflows is about 700 MB.
pub const MAX_BASELINE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

pub use crate::report::json::Status;

/// One workflow compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowChange {
    /// Shared with the head's workflow: a diff lists every workflow of the head.
    pub id: Arc<str>,
    pub status: Status,
    /// The id at the base of a renamed workflow.
    pub renamed_from: Option<String>,
    /// Monthly cost at the base; `None` when absent or not priced there.
    pub before: Option<Decimal>,
    /// Monthly cost at the head; `None` when absent or not priced here.
    pub after: Option<Decimal>,
    /// What changed: `model`, `quality`, `size`, `n`, `endpoint`, `tier`, `volume`, `inputs`,
    /// `budget`, or `pricing` when only the figure moved.
    pub changed: Vec<&'static str>,
    /// Each changed field with its value before and after, as the report shows them (for the
    /// pull-request comment: `quality medium → high`); `inputs` and `pricing` have none.
    pub details: Vec<FieldChange>,
}

/// One field of a changed workflow: its name, and its value at the base and at the head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

impl WorkflowChange {
    /// After minus before, an absent side counting as zero. Both sides are at most
    /// [`MAX_USD`] and never negative, so the difference cannot overflow.
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
    /// The base's total; `None` when it passed the largest amount imgcost reports.
    pub before: Option<Decimal>,
    /// The head's total; `None` when it passed the largest amount imgcost reports (IC108).
    pub after: Option<Decimal>,
    /// Changed, renamed, added and removed workflows by size of change, then unchanged ones
    /// by id.
    pub workflows: Vec<WorkflowChange>,
    /// Groups of workflows that vanished and appeared in one project with one model and
    /// endpoint, more appearing than vanished: gated as a whole as well, so that no decoy can
    /// take a rename's pairing and leave the renamed workflow "added".
    pub replacements: Vec<Replacement>,
    /// Errors found in the base (its figures may be incomplete).
    pub base_errors: usize,
}

/// Workflows that appeared where others of the same project, model and endpoint vanished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub removed: Vec<String>,
    pub added: Vec<String>,
    /// The vanished ones' monthly cost at the base, and the new ones' at the head (each at most
    /// a thousand workflows of a file at $10^24: no overflow).
    pub before: Decimal,
    pub after: Decimal,
}

impl Diff {
    /// After minus before, when both totals are known.
    #[must_use]
    pub fn delta(&self) -> Option<Decimal> {
        Some(self.after? - self.before?)
    }

    #[must_use]
    pub fn percent(&self) -> Option<Decimal> {
        percent(self.delta()?, self.before?)
    }
}

/// A workflow of the base. Its file and request fields are one copy shared by every workflow of
/// the base with the same text: a manifest holds several workflows, and a repository uses a few
/// models, qualities and sizes.
#[derive(Debug, Clone)]
pub struct BaseWorkflow {
    pub id: Box<str>,
    /// Its manifest, as the head names files (relative to the working directory).
    pub file: Arc<str>,
    /// `None`: the workflow's file is unchanged since the base, so it is as at the head.
    pub compared: Option<Compared>,
}

/// The base side: what the diff compares of each workflow.
#[derive(Debug, Clone)]
pub struct Base {
    pub label: String,
    pub workflows: Vec<BaseWorkflow>,
    /// The base's total, in cents as its report shows it; `None` when it passed the largest
    /// amount imgcost reports.
    pub total: Option<Decimal>,
    pub errors: usize,
    /// The repository's policy files as they are at the base. Empty for a baseline report.
    pub policy_files: Vec<(PathBuf, Object)>,
    /// The base's findings, for `check --new-only` ([`crate::run::ratchet`]); empty when read
    /// with [`Findings::Skip`].
    pub findings: Vec<FindingKey>,
}

/// Whether a base's findings are kept: `check --new-only` matches the head's findings with
/// them, while `diff` compares workflows only and would hold one key of three texts per
/// finding for nothing. A baseline's findings are read and checked either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Findings {
    Keep,
    Skip,
}

/// The texts that many workflows of a base repeat (file names, models, qualities, sizes), each
/// held once and shared. A baseline is the adversary's: each distinct text is still held once,
/// so the table is never larger than the texts read, and std's hasher is keyed per process.
#[derive(Debug, Default)]
struct Names(HashSet<Arc<str>>);

impl Names {
    fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(name) = self.0.get(text) {
            return Arc::clone(name);
        }
        let name: Arc<str> = Arc::from(text);
        self.0.insert(Arc::clone(&name));
        name
    }
}

/// What identifies a finding across a change: its rule, its subject (the workflow id, or the
/// file for findings about no workflow, both as the head names them) and its message (which
/// names the field and value, and holds no line number). Not the line: a finding that only
/// moved is the same finding.
pub type FindingKey = (String, String, String);

/// The key of a finding whose file the head calls `file`.
#[must_use]
pub fn finding_key(diagnostic: &Diagnostic, file: &str) -> FindingKey {
    (
        diagnostic.rule.code.to_owned(),
        diagnostic.workflow.as_deref().unwrap_or(file).to_owned(),
        diagnostic.message.to_string(),
    )
}

/// The policy paths a run considers: the explicit ones, else the repository policy.
fn policy_paths(explicit: &[PathBuf], workspace: &Workspace) -> Vec<PathBuf> {
    if explicit.is_empty() {
        vec![workspace.from_root(REPOSITORY_POLICY)]
    } else {
        explicit.to_vec()
    }
}

/// Checks `paths` as they are at `revision`, with the head's rate card, policies and date. Files
/// that git reports unchanged since the revision are not read again: their figures are the
/// head's, which the same rate card, policies and date make identical. `keep` says whether its
/// findings are kept.
///
/// # Errors
/// When the revision is not in the clone, or git fails.
pub fn base_from_git(
    workspace: &Workspace,
    revision: &str,
    paths: &[PathBuf],
    policies: &[PathBuf],
    context: &Context,
    head: &Report,
    keep: Findings,
) -> Result<Base, Error> {
    let cwd = workspace.cwd.as_path();
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
    let changes = git::changes(cwd, &commit, &specs)?;
    let changed = &changes.changed;
    let mut head_files: HashMap<&str, Vec<&WorkflowEntry>> = HashMap::new();
    for entry in &head.workflows {
        head_files.entry(entry.file.path()).or_default().push(entry);
    }
    let mut cat = CatFile::spawn(cwd)?;
    let mut inputs = Vec::new();
    let mut findings = Vec::new();
    let mut reused: Vec<&WorkflowEntry> = Vec::new();
    let mut reused_files: HashSet<&str> = HashSet::new();
    let mut base_files: Vec<String> = Vec::new();
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
        // A link inside the tree is followed, as in the working tree; one that leaves it is
        // refused in both.
        let bytes = match cat.read_bytes(&git::object_name_bytes(&commit, &file.raw))? {
            Object::File(bytes) => bytes,
            // Listed by `ls-tree` a moment ago: a file that cannot be read is said so.
            Object::Missing => {
                findings.push(file_reader::unreadable(
                    &display,
                    "git lists it at the base but cannot read it",
                ));
                continue;
            }
            Object::Dangling => {
                findings.push(file_reader::unreadable(
                    &display,
                    "it is a broken symbolic link at the base",
                ));
                continue;
            }
            Object::LinkOutside => {
                findings.push(file_reader::unreadable(&display, LINK_OUTSIDE));
                continue;
            }
            Object::NotAFile => {
                findings.push(file_reader::unreadable(
                    &display,
                    "it is not a file at the base (a folder, a submodule or a link loop)",
                ));
                continue;
            }
        };
        let folder = crate::foundation::printable(&match file.path.rsplit_once('/') {
            Some((parent, _)) => parent.rsplit('/').next().unwrap_or(parent).to_owned(),
            None => cwd
                .file_name()
                .map_or_else(|| "root".to_owned(), |n| n.to_string_lossy().into_owned()),
        })
        .into_owned();
        let place = workspace
            .root_relative(Path::new(&file.path))
            .unwrap_or_else(|| file.path.clone());
        base_files.push(file.path);
        inputs.push(ManifestInput::Bytes {
            display,
            folder,
            place,
            bytes,
        });
    }
    // The base's findings become keys and its report is dropped here: no report draws its
    // files, so none keeps its text (not even for a human report of the head).
    let base_context = Context {
        keep: Keep {
            texts: Texts::LinesOnly,
            ..context.keep
        },
        ..context.clone()
    };
    let mut report = evaluate(inputs, findings, &base_context);
    settle(&mut report, &context.policies, RunKind::Diff);
    let mut policy_files = Vec::new();
    for path in policy_paths(policies, workspace) {
        let object = cat.read(&git::object_name(&commit, &path))?;
        policy_files.push((path, object));
    }
    let reused_errors = head
        .diagnostics
        .iter()
        .filter(|d| {
            d.is_active()
                && d.severity == crate::foundation::Severity::Error
                && reused_files.contains(&d.primary.file.path())
        })
        .count();
    // The base's own files are named `<commit>:<path>` in its report; the diff names them as
    // the head does, after git's rename detection (so a workflow renamed in a manifest that
    // also moved is still found in "its" file).
    let base_file = |entry: &WorkflowEntry| {
        let path = entry
            .file
            .path()
            .split_once(':')
            .map_or(entry.file.path(), |(_, path)| path);
        changes
            .renamed
            .get(path)
            .map_or_else(|| path.to_owned(), Clone::clone)
    };
    let mut findings: Vec<FindingKey> = Vec::new();
    if keep == Findings::Keep {
        findings.extend(report.diagnostics.iter().map(|d| {
            let path = d
                .primary
                .file
                .path()
                .split_once(':')
                .map_or(d.primary.file.path(), |(_, path)| path);
            let file = changes
                .renamed
                .get(path)
                .map_or_else(|| path.to_owned(), Clone::clone);
            finding_key(d, &file)
        }));
        findings.extend(
            head.diagnostics
                .iter()
                .filter(|d| reused_files.contains(&d.primary.file.path()))
                .map(|d| finding_key(d, d.primary.file.path())),
        );
    }
    let read: Vec<(String, Compared<Cow<'_, str>>)> = report
        .workflows
        .par_iter()
        .map(|entry| (base_file(entry), Compared::of(JsonWorkflow::of(entry))))
        .collect();
    let mut names = Names::default();
    let mut workflows: Vec<BaseWorkflow> =
        Vec::with_capacity(report.workflows.len() + reused.len());
    workflows.extend(
        report
            .workflows
            .iter()
            .zip(read)
            .map(|(entry, (file, compared))| BaseWorkflow {
                id: entry.workflow.id.as_ref().into(),
                file: names.get(&file),
                compared: Some(compared.shared(&mut names)),
            }),
    );
    workflows.extend(reused.iter().map(|entry| BaseWorkflow {
        id: entry.workflow.id.as_ref().into(),
        file: names.get(entry.file.path()),
        compared: None,
    }));
    let total = sum_usd(
        report
            .workflows
            .iter()
            .map(|entry| &**entry)
            .chain(reused.iter().copied())
            .filter_map(WorkflowEntry::monthly_usd),
    )
    .ok();
    Ok(Base {
        label: format!("{revision} ({})", short(&commit)),
        workflows,
        total: total.map(cents),
        errors: report.counts().errors + reused_errors,
        policy_files,
        findings,
    })
}

impl Base {
    /// A base taken from a report checked in this process (its workflows compared as a saved
    /// report of it would be): for comparing two reports built in memory.
    #[must_use]
    pub fn of_report(report: &Report, label: &str) -> Self {
        let mut names = Names::default();
        Self {
            label: label.to_owned(),
            workflows: report
                .workflows
                .iter()
                .map(|entry| BaseWorkflow {
                    id: entry.workflow.id.as_ref().into(),
                    file: names.get(entry.file.path()),
                    compared: Some(Compared::of(JsonWorkflow::of(entry)).shared(&mut names)),
                })
                .collect(),
            total: report.monthly_usd().map(cents),
            errors: report.counts().errors,
            policy_files: Vec::new(),
            findings: report
                .diagnostics
                .iter()
                .map(|d| finding_key(d, d.primary.file.path()))
                .collect(),
        }
    }
}

fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// Reads a JSON report saved by `imgcost check --format json` on the base, with the guards of
/// every file imgcost reads that is not a manifest (a regular file, no link out of the
/// repository, at most [`MAX_BASELINE_BYTES`]), into the typed report model: the document's
/// frame first, its lists as the raw text of their items, then the items in parallel, each
/// workflow checked and reduced to what [`compare`] needs, each finding checked. No tree of
/// the document is built, and the file's bytes are dropped once it is read. The typed read is
/// as strict as the report's schema where `diff` depends on it (no key the model lacks, figures
/// as decimal strings, the closed sets of values), and each monthly figure must be one imgcost
/// reports. Its findings are checked whatever `keep` says, and kept only when asked.
///
/// # Errors
/// When the file cannot be read, is not a version 1 report, or holds an amount that is negative
/// or beyond what imgcost reports.
pub fn base_from_baseline(
    workspace: &Workspace,
    path: &Path,
    keep: Findings,
) -> Result<Base, Error> {
    let display = crate::input::discovery::display_path(&workspace.cwd.join(path), &workspace.cwd);
    let unreadable = |message: String| Error::Unreadable {
        what: "baseline report",
        path: display.clone(),
        message,
    };
    let bytes =
        file_reader::read_confined(workspace, path, MAX_BASELINE_BYTES).map_err(unreadable)?;
    if bytes.len() as u64 > MAX_BASELINE_BYTES {
        return Err(unreadable(format!(
            "it is larger than the {} MiB limit for a baseline report",
            MAX_BASELINE_BYTES / (1024 * 1024)
        )));
    }
    let not_a_report = |reason: String| {
        Error::Usage(format!(
            "baseline {display} is not an imgcost report (version 1): {reason}"
        ))
    };
    let frame: Frame<'_> =
        serde_json::from_slice(&bytes).map_err(|error| match error.classify() {
            Category::Syntax | Category::Eof | Category::Io => {
                Error::Usage(format!("baseline {display} is not JSON: {error}"))
            }
            Category::Data => not_a_report(error.to_string()),
        })?;
    let total = amount(frame.summary.monthly_usd, "/summary/monthly_usd").map_err(not_a_report)?;
    // The items are read in parallel while the file's text is held: each is shared and reduced
    // as soon as it is read, never held whole beside the text.
    let names = Mutex::new(Names::default());
    let workflows = read_items(&frame.workflows, "/workflows", |pointer, workflow| {
        base_workflow(workflow, pointer, &names)
    })
    .map_err(not_a_report)?;
    let findings = read_items(
        &frame.diagnostics,
        "/diagnostics",
        |_, diagnostic: JsonDiagnostic<'_>| {
            Ok((keep == Findings::Keep).then(|| {
                (
                    diagnostic.rule.into_owned(),
                    diagnostic
                        .workflow
                        .map_or_else(|| diagnostic.file.into_owned(), Cow::into_owned),
                    diagnostic.message.into_owned(),
                )
            }))
        },
    )
    .map_err(not_a_report)?
    .into_iter()
    .flatten()
    .collect();
    if let Some(diff) = &frame.diff {
        read_items(
            &diff.workflows,
            "/diff/workflows",
            |_, _: JsonWorkflowChange<'_>| Ok(()),
        )
        .map_err(not_a_report)?;
    }
    Ok(Base {
        label: display.clone(),
        workflows,
        total,
        errors: frame.summary.errors,
        policy_files: Vec::new(),
        findings,
    })
}

/// A saved report read to its lists: each item is the raw text of one value, read on its own
/// afterwards.
type Frame<'a> = JsonReport<'a, Vec<&'a RawValue>, Vec<&'a RawValue>, Vec<&'a RawValue>>;

/// Reads the items of a list of a saved report in parallel, each as a `T` then through `keep`
/// (given the item's JSON pointer). The error of the first item in the list's order that fails,
/// located by its pointer.
fn read_items<'a, T: Deserialize<'a>, K: Send>(
    items: &[&'a RawValue],
    list: &str,
    keep: impl Fn(&str, T) -> Result<K, String> + Sync,
) -> Result<Vec<K>, String> {
    let read: Vec<Result<K, String>> = items
        .par_iter()
        .enumerate()
        .map(|(index, raw)| {
            let pointer = format!("{list}/{index}");
            let item = serde_json::from_str(raw.get()).map_err(|error| {
                // The error's line and column count from the item, not from the file: the
                // pointer says where it is instead.
                let message = error.to_string();
                let place = format!(" at line {} column {}", error.line(), error.column());
                format!(
                    "at `{pointer}`: {}",
                    message.strip_suffix(&place).unwrap_or(&message)
                )
            })?;
            keep(&pointer, item)
        })
        .collect();
    read.into_iter().collect()
}

/// A workflow of a baseline, its monthly figure checked, reduced to what [`compare`] needs,
/// its texts shared through `names`.
fn base_workflow(
    mut workflow: JsonWorkflow<'_>,
    pointer: &str,
    names: &Mutex<Names>,
) -> Result<BaseWorkflow, String> {
    amount(workflow.monthly_usd, &format!("{pointer}/monthly_usd"))?;
    let id = std::mem::take(&mut workflow.id)
        .into_owned()
        .into_boxed_str();
    let file = std::mem::take(&mut workflow.file);
    let compared = Compared::of(workflow);
    // A reader that panicked has failed the run already: its table is whole either way.
    let mut names = names.lock().unwrap_or_else(PoisonError::into_inner);
    Ok(BaseWorkflow {
        id,
        file: names.get(&file),
        compared: Some(compared.shared(&mut names)),
    })
}

/// A monthly figure of a baseline: from $0.00 to [`MAX_USD`], as imgcost reports them (so that
/// no difference of two can overflow), or `null`.
fn amount(value: Option<Fixed>, pointer: &str) -> Result<Option<Decimal>, String> {
    match value {
        None => Ok(None),
        Some(Fixed(value, _)) if !value.is_sign_negative() && value <= MAX_USD => Ok(Some(value)),
        Some(_) => Err(format!(
            "`{pointer}` is not an amount imgcost reports (from $0.00 to {})",
            format_usd(MAX_USD, 2)
        )),
    }
}

/// A figure as the reports show it: rounded half away from zero to cents. The diff works on
/// these, so that its figures equal `check` at each side subtracted.
fn cents(value: Decimal) -> Decimal {
    crate::foundation::decimal::round_half_away(value, 2)
}

/// What `compare` looks at in a workflow, taken from the workflow's JSON report form, the one
/// model a report is written in and a baseline read back into: a base read from git, a saved
/// report and the head compare alike. The full form is dropped at once, since holding it for
/// every workflow of both sides took most of a large diff's time and memory.
/// A base holds its texts shared; the head's are borrowed from its report.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared<S = Arc<str>> {
    shape: Shape<S>,
    volume: Option<JsonVolume>,
    inputs_per_attempt: Option<Decimal>,
    /// The budget as the report shows it (to cents).
    budget: Option<Decimal>,
    /// The monthly cost as the report shows it (to cents).
    monthly: Option<Decimal>,
}

/// The request fields whose change a diff names, as the report spells them, in this order.
const SHAPE: [&str; 6] = ["model", "endpoint", "tier", "quality", "size", "n"];

/// The request fields of [`SHAPE`].
#[derive(Debug, Clone, PartialEq)]
struct Shape<S> {
    model: S,
    endpoint: Endpoint,
    tier: Option<Tier>,
    quality: Option<S>,
    size: Option<S>,
    n: u32,
}

impl<S: AsRef<str>> Shape<S> {
    fn quality(&self) -> Option<&str> {
        self.quality.as_ref().map(AsRef::as_ref)
    }

    fn size(&self) -> Option<&str> {
        self.size.as_ref().map(AsRef::as_ref)
    }

    /// Which of the fields of [`SHAPE`] are equal in both.
    fn equal<T: AsRef<str>>(&self, other: &Shape<T>) -> [bool; 6] {
        [
            self.model.as_ref() == other.model.as_ref(),
            self.endpoint == other.endpoint,
            self.tier == other.tier,
            self.quality() == other.quality(),
            self.size() == other.size(),
            self.n == other.n,
        ]
    }
}

impl<'a> Compared<Cow<'a, str>> {
    /// From a workflow's report form, as written or as read back.
    fn of(workflow: JsonWorkflow<'a>) -> Self {
        // Normalized as the report writes them, so that a count's scale (`1050.00` at the head,
        // `1050` read back) cannot change the last digit of the quotient.
        let attempts = workflow.volume.map(|v| v.attempts.0.normalize());
        let inputs = workflow.tokens.map_or([None; 6], |tokens| {
            tokens.inputs().map(|count| Some(count.0.normalize()))
        });
        Self {
            shape: Shape {
                model: workflow.model,
                endpoint: workflow.endpoint,
                tier: workflow.tier,
                quality: workflow.quality,
                size: workflow.size,
                n: workflow.n,
            },
            volume: workflow.volume,
            inputs_per_attempt: per_attempt(attempts, inputs),
            budget: workflow.budget_usd.map(Fixed::rounded),
            monthly: workflow.monthly_usd.map(Fixed::rounded),
        }
    }

    /// The same, its texts shared through `names`, to be held for the whole comparison.
    fn shared(self, names: &mut Names) -> Compared {
        let shape = self.shape;
        Compared {
            shape: Shape {
                model: names.get(&shape.model),
                endpoint: shape.endpoint,
                tier: shape.tier,
                quality: shape.quality.map(|quality| names.get(&quality)),
                size: shape.size.map(|size| names.get(&size)),
                n: shape.n,
            },
            volume: self.volume,
            inputs_per_attempt: self.inputs_per_attempt,
            budget: self.budget,
            monthly: self.monthly,
        }
    }
}

/// Input tokens per attempt: changes when prompts or reference images change, not with volume.
/// `None` without attempts, or for counts no decimal holds (only a baseline written by hand
/// has those).
fn per_attempt(attempts: Option<Decimal>, inputs: [Option<Decimal>; 6]) -> Option<Decimal> {
    let attempts = attempts.filter(|a| !a.is_zero())?;
    let total = inputs
        .into_iter()
        .flatten()
        .try_fold(Decimal::ZERO, Decimal::checked_add)?;
    total.checked_div(attempts)
}

/// The values of each changed field of [`SHAPE`], of the images a month and of the budget.
fn field_details<B: AsRef<str>, A: AsRef<str>>(
    before: &Compared<B>,
    after: &Compared<A>,
) -> Vec<FieldChange> {
    fn text(value: Option<&str>) -> String {
        value.map_or_else(
            || "–".to_owned(),
            |v| crate::foundation::printable(v).into_owned(),
        )
    }
    fn shape<S: AsRef<str>>(compared: &Compared<S>) -> [String; 6] {
        let shape = &compared.shape;
        [
            crate::foundation::printable(shape.model.as_ref()).into_owned(),
            shape.endpoint.to_string(),
            shape
                .tier
                .map_or_else(|| "–".to_owned(), |tier| format!("{tier:?}").to_lowercase()),
            text(shape.quality()),
            text(shape.size()),
            shape.n.to_string(),
        ]
    }
    let mut details: Vec<FieldChange> = SHAPE
        .into_iter()
        .zip(shape(before).into_iter().zip(shape(after)))
        .filter(|(_, (b, a))| b != a)
        .map(|(field, (before, after))| FieldChange {
            field,
            before,
            after,
        })
        .collect();
    let images = |volume: Option<JsonVolume>| {
        volume.map_or_else(|| "–".to_owned(), |v| v.images.to_string())
    };
    if images(before.volume) != images(after.volume) {
        details.push(FieldChange {
            field: "images a month",
            before: images(before.volume),
            after: images(after.volume),
        });
    }
    let budget =
        |budget: Option<Decimal>| budget.map_or_else(|| "–".to_owned(), |b| format_usd(b, 2));
    if before.budget != after.budget {
        details.push(FieldChange {
            field: "budget",
            before: budget(before.budget),
            after: budget(after.budget),
        });
    }
    details
}

fn changed_fields<B: AsRef<str>, A: AsRef<str>>(
    before: &Compared<B>,
    after: &Compared<A>,
) -> Vec<&'static str> {
    let mut changed: Vec<&'static str> = SHAPE
        .into_iter()
        .zip(before.shape.equal(&after.shape))
        .filter(|(_, equal)| !equal)
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

/// How alike two workflows are, for pairing renames: in the same manifest (followed through
/// git's file renames) first, then by how many of the six request fields (model, endpoint,
/// tier, quality, size, n) are equal, then how many of volume, inputs and budget.
fn likeness<B: AsRef<str>, A: AsRef<str>>(
    same_file: bool,
    before: &Compared<B>,
    after: &Compared<A>,
) -> (bool, usize, usize) {
    let request = before
        .shape
        .equal(&after.shape)
        .into_iter()
        .filter(|equal| *equal)
        .count();
    let rest = usize::from(before.volume == after.volume)
        + usize::from(before.inputs_per_attempt == after.inputs_per_attempt)
        + usize::from(before.budget == after.budget);
    (same_file, request, rest)
}

/// The project of a workflow id (`storefront/hero` → `storefront`).
fn project_of(id: &str) -> &str {
    id.split_once('/').map_or(id, |(project, _)| project)
}

/// Workflows of one project, model and endpoint: indexes of those that vanished and of those
/// that appeared.
type Group = (Vec<usize>, Vec<usize>);

/// Pairs scored in a group beyond this many are paired in id order instead, so that a change
/// of a thousand workflows of one model costs no million comparisons.
const SCORED_PAIRS: usize = 4096;

/// Pairs workflows that vanished from the base with workflows new at the head that are the same
/// workflow renamed, as git pairs a deleted and an added file. A rename stays in its project
/// (which is tied to its place, IC308) and keeps its model and endpoint; whatever else it
/// changes (its manifest, quality, size, n, volume) is gated as a change. Within such a group
/// the most alike pairs come first. Returns (index into `removed`, index into `added`).
fn renames<A: AsRef<str>>(
    removed: &[(&BaseWorkflow, &Compared)],
    added: &[(&WorkflowEntry, Compared<A>)],
) -> (Vec<(usize, usize)>, Vec<Group>) {
    type Key<'a> = (&'a str, &'a str, Endpoint);
    let mut groups: HashMap<Key<'_>, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (r, (before, compared)) in removed.iter().enumerate() {
        let key = (
            project_of(&before.id),
            compared.shape.model.as_ref(),
            compared.shape.endpoint,
        );
        groups.entry(key).or_default().0.push(r);
    }
    for (a, (entry, compared)) in added.iter().enumerate() {
        let key = (
            project_of(&entry.workflow.id),
            compared.shape.model.as_ref(),
            compared.shape.endpoint,
        );
        if let Some(group) = groups.get_mut(&key) {
            group.1.push(a);
        }
    }
    let mut pairs = Vec::new();
    let mut replacing = Vec::new();
    for (gone, new) in groups.into_values() {
        if new.is_empty() {
            continue;
        }
        if new.len() > gone.len() {
            // More appeared than vanished: some are new whatever the pairing, and a decoy could
            // take the pairing from the real rename. The group is also gated as a whole.
            replacing.push((gone.clone(), new.clone()));
        }
        if gone.len().saturating_mul(new.len()) > SCORED_PAIRS {
            let mut gone = gone;
            let mut new = new;
            gone.sort_by(|x, y| removed[*x].0.id.cmp(&removed[*y].0.id));
            new.sort_by(|x, y| added[*x].0.workflow.id.cmp(&added[*y].0.workflow.id));
            pairs.extend(gone.into_iter().zip(new));
            continue;
        }
        let mut candidates: Vec<((bool, usize, usize), usize, usize)> = Vec::new();
        for &r in &gone {
            for &a in &new {
                let (before, before_compared) = removed[r];
                let (entry, after_compared) = &added[a];
                let same_file = &*before.file == entry.file.path();
                candidates.push((likeness(same_file, before_compared, after_compared), r, a));
            }
        }
        // Most alike first; ties in the order of the ids, so the pairing is deterministic.
        candidates.sort_by(|x, y| {
            y.0.cmp(&x.0)
                .then_with(|| removed[x.1].0.id.cmp(&removed[y.1].0.id))
                .then_with(|| added[x.2].0.workflow.id.cmp(&added[y.2].0.workflow.id))
        });
        let mut taken_removed = HashSet::new();
        let mut taken_added = HashSet::new();
        for (_, r, a) in candidates {
            if !taken_removed.contains(&r) && !taken_added.contains(&a) {
                taken_removed.insert(r);
                taken_added.insert(a);
                pairs.push((r, a));
            }
        }
    }
    pairs.sort_unstable();
    replacing.sort_unstable();
    (pairs, replacing)
}

/// Compares the head with its base, workflow by workflow.
#[must_use]
pub fn compare(base: &Base, head: &Report) -> Diff {
    // An id the base declares twice stands for its last workflow, as in its figures.
    let before_by_id: HashMap<&str, usize> = base
        .workflows
        .iter()
        .enumerate()
        .map(|(index, workflow)| (&*workflow.id, index))
        .collect();
    let mut in_head = vec![false; base.workflows.len()];
    let mut matched: Vec<(&WorkflowEntry, &BaseWorkflow)> = Vec::new();
    let mut added: Vec<(&WorkflowEntry, Compared<Cow<'_, str>>)> = Vec::new();
    for entry in &head.workflows {
        match before_by_id.get(&*entry.workflow.id) {
            Some(&index) => {
                in_head[index] = true;
                matched.push((entry, &base.workflows[index]));
            }
            None => added.push((entry, Compared::of(JsonWorkflow::of(entry)))),
        }
    }
    let removed: Vec<(&BaseWorkflow, &Compared)> = base
        .workflows
        .iter()
        .filter(|workflow| {
            !before_by_id
                .get(&*workflow.id)
                .is_some_and(|&index| in_head[index])
        })
        .filter_map(|workflow| Some((workflow, workflow.compared.as_ref()?)))
        .collect();
    let (pairs, replacing) = renames(&removed, &added);
    // A diff lists every workflow of both sides once: the list is made at its size, and the
    // matched ones are compared in parallel straight into it.
    let listed = (matched.len() + added.len() + removed.len()).saturating_sub(pairs.len());
    let mut workflows = Vec::with_capacity(listed);
    workflows.par_extend(matched.par_iter().map(|&(entry, before)| {
        let after = Compared::of(JsonWorkflow::of(entry));
        match &before.compared {
            Some(before) => matched_change(entry, before, &after),
            None => matched_change(entry, &after, &after),
        }
    }));
    // A group whose sum passes the largest amount has an IC108 already; it is not gated twice.
    let replacements = replacing
        .into_iter()
        .filter_map(|(gone, new)| {
            let ids = |mut ids: Vec<String>| {
                ids.sort_unstable();
                ids
            };
            Some(Replacement {
                removed: ids(gone.iter().map(|&r| removed[r].0.id.to_string()).collect()),
                added: ids(new
                    .iter()
                    .map(|&a| added[a].0.workflow.id.to_string())
                    .collect()),
                before: sum_usd(gone.iter().filter_map(|&r| removed[r].1.monthly)).ok()?,
                after: sum_usd(new.iter().filter_map(|&a| added[a].1.monthly)).ok()?,
            })
        })
        .collect();
    let mut renamed_removed = vec![false; removed.len()];
    let mut renamed_added = vec![false; added.len()];
    for (r, a) in pairs {
        renamed_removed[r] = true;
        renamed_added[a] = true;
        let ((before_workflow, before), (entry, after)) = (removed[r], &added[a]);
        workflows.push(WorkflowChange {
            id: Arc::clone(&entry.workflow.id),
            status: Status::Renamed,
            renamed_from: Some(before_workflow.id.to_string()),
            before: before.monthly,
            after: after.monthly,
            changed: changed_fields(before, after),
            details: field_details(before, after),
        });
    }
    for ((entry, after), renamed) in added.iter().zip(renamed_added) {
        if !renamed {
            workflows.push(WorkflowChange {
                id: Arc::clone(&entry.workflow.id),
                status: Status::Added,
                renamed_from: None,
                before: None,
                after: after.monthly,
                changed: Vec::new(),
                details: Vec::new(),
            });
        }
    }
    for ((workflow, before), renamed) in removed.iter().zip(renamed_removed) {
        if !renamed {
            workflows.push(WorkflowChange {
                id: Arc::from(&*workflow.id),
                status: Status::Removed,
                renamed_from: None,
                before: before.monthly,
                after: None,
                changed: Vec::new(),
                details: Vec::new(),
            });
        }
    }
    sort_changes(&mut workflows);
    Diff {
        base: base.label.clone(),
        before: base.total,
        after: head.monthly_usd().map(cents),
        workflows,
        replacements,
        base_errors: base.errors,
    }
}

/// A workflow found on both sides, compared.
fn matched_change<B: AsRef<str>, A: AsRef<str>>(
    entry: &WorkflowEntry,
    before: &Compared<B>,
    after: &Compared<A>,
) -> WorkflowChange {
    let changed = changed_fields(before, after);
    // The details show values that differ, and each differing value is a changed field: an
    // unchanged workflow has none to look for.
    let (status, details) = if changed.is_empty() {
        (Status::Unchanged, Vec::new())
    } else {
        (Status::Changed, field_details(before, after))
    };
    WorkflowChange {
        id: Arc::clone(&entry.workflow.id),
        status,
        renamed_from: None,
        before: before.monthly,
        after: after.monthly,
        changed,
        details,
    }
}

/// Sorts a diff's workflows: changed, renamed, added and removed ones by size of change, then
/// unchanged ones, each by id; ties (an id declared twice) keep their order. A stable sort of
/// the list itself would take a scratch copy of most of it; this sorts their positions and
/// moves each workflow once.
fn sort_changes(workflows: &mut [WorkflowChange]) {
    let rank = |c: &WorkflowChange| u8::from(c.status == Status::Unchanged);
    let mut order: Vec<usize> = (0..workflows.len()).collect();
    order.sort_unstable_by(|&x, &y| {
        let (a, b) = (&workflows[x], &workflows[y]);
        rank(a)
            .cmp(&rank(b))
            .then_with(|| b.delta().abs().cmp(&a.delta().abs()))
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| x.cmp(&y))
    });
    // `order[k]` is where the workflow that goes to `k` is now: follow each cycle of the
    // permutation, marking each place done by pointing it at itself.
    for start in 0..workflows.len() {
        let mut current = start;
        while order[current] != current {
            let next = order[current];
            order[current] = current;
            if next == start {
                break;
            }
            workflows.swap(current, next);
            current = next;
        }
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

/// How much an increase is, relative to its base, for the percent gate.
enum Relative {
    /// A new workflow: relative gates need a base; the absolute ones still apply.
    NoBase,
    /// From $0.00 to more: larger than any percentage.
    FromZero,
    Percent(Decimal),
}

fn relative(change: &WorkflowChange) -> Relative {
    match (change.status, change.before, change.percent()) {
        (Status::Added, ..) | (_, None, _) => Relative::NoBase,
        (_, _, Some(percent)) => Relative::Percent(percent),
        (_, Some(_), None) => Relative::FromZero,
    }
}

/// The reasons an increase breaks the policies' `diff` limits, each with the limit's label.
fn over_limits(policies: &PolicySet, delta: Decimal, relative: &Relative) -> Vec<(String, Label)> {
    let mut reasons = Vec::new();
    if let Some(limit) = policies.max_increase_usd().filter(|l| delta > l.value) {
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
    if let Some(limit) = policies.max_increase_percent() {
        let over = match relative {
            Relative::NoBase => false,
            Relative::FromZero => true,
            Relative::Percent(percent) => *percent > limit.value,
        };
        if over {
            reasons.push((
                format!(
                    "over the limit of {} %",
                    crate::foundation::decimal::format_plain(limit.value)
                ),
                limit.policy.label(
                    "/rules/diff/max_increase_percent",
                    format!(
                        "policy `{}`: at most {} % more",
                        limit.policy.name,
                        crate::foundation::decimal::format_plain(limit.value)
                    ),
                ),
            ));
        }
    }
    reasons
}

fn percent_text(relative: &Relative) -> String {
    match relative {
        Relative::NoBase => String::new(),
        Relative::FromZero => " (from $0.00)".to_owned(),
        Relative::Percent(p) => {
            format!(" (+{} %)", crate::foundation::decimal::format_fixed(*p, 1))
        }
    }
}

/// IC501: increases over the policies' `diff` limits, per workflow (at its changed lines) and in
/// total (at the largest increase). A renamed workflow is gated as the change it is.
#[must_use]
pub fn gates(diff: &Diff, head: &Report, policies: &PolicySet) -> Vec<Diagnostic> {
    if policies.max_increase_usd().is_none() && policies.max_increase_percent().is_none() {
        return Vec::new();
    }
    let head_by_id: HashMap<&str, &WorkflowEntry> = head
        .workflows
        .iter()
        .map(|entry| (&*entry.workflow.id, &**entry))
        .collect();
    let mut found = Vec::new();
    for change in diff.workflows.iter().filter(|c| c.delta() > Decimal::ZERO) {
        let relative = relative(change);
        let reasons = over_limits(policies, change.delta(), &relative);
        if reasons.is_empty() {
            continue;
        }
        let Some(entry) = head_by_id.get(&*change.id) else {
            continue;
        };
        let mut labels = changed_labels(entry, change);
        let primary = match (&change.renamed_from, labels.is_empty()) {
            (Some(from), _) => Label::new(
                &entry.file,
                entry.workflow.key_span,
                format!("renamed from `{from}`"),
            ),
            (None, true) => {
                Label::new(&entry.file, entry.workflow.key_span, change.status.as_str())
            }
            (None, false) => labels.remove(0),
        };
        let renamed = change
            .renamed_from
            .as_ref()
            .map_or_else(String::new, |from| format!(" (renamed from `{from}`)"));
        let texts: Vec<String> = reasons.iter().map(|(text, _)| text.clone()).collect();
        let mut diagnostic = Diagnostic::new(
            &IC501,
            format!(
                "monthly cost of `{}`{renamed} rises by {}{}, {}",
                change.id,
                format_usd(change.delta(), 2),
                percent_text(&relative),
                texts.join(" and ")
            ),
            primary,
        )
        .with_workflow(Arc::clone(&change.id));
        diagnostic.related = labels.into();
        diagnostic.add_related(reasons.into_iter().map(|(_, label)| label));
        diagnostic.set_help(Some("reduce the increase, or have the policy's owners approve it (an IC501 exemption with an expiry)".to_owned()));
        found.push(diagnostic);
    }
    for replacement in &diff.replacements {
        let delta = replacement.after - replacement.before;
        let relative = match percent(delta, replacement.before) {
            Some(percent) => Relative::Percent(percent),
            None => Relative::FromZero,
        };
        let Some(limit) = policies.max_increase_percent() else {
            break;
        };
        let over = match relative {
            Relative::Percent(p) => p > limit.value,
            _ => true,
        };
        // The largest new workflow is where the finding points.
        let Some(entry) = replacement
            .added
            .iter()
            .filter_map(|id| head_by_id.get(id.as_str()).copied())
            .max_by_key(|entry| entry.monthly_usd())
        else {
            continue;
        };
        if !over || delta <= Decimal::ZERO {
            continue;
        }
        let named = |ids: &[String]| {
            ids.iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut diagnostic = Diagnostic::new(
            &IC501,
            format!(
                "{} replace {} (same project, model and endpoint): their monthly cost rises by {}{}, over the limit of {} %",
                named(&replacement.added),
                named(&replacement.removed),
                format_usd(delta, 2),
                percent_text(&relative),
                crate::foundation::decimal::format_plain(limit.value)
            ),
            Label::new(&entry.file, entry.workflow.key_span, "new here"),
        )
        .with_workflow(Arc::clone(&entry.workflow.id))
        .with_related(limit.policy.label(
            "/rules/diff/max_increase_percent",
            format!(
                "policy `{}`: at most {} % more",
                limit.policy.name,
                crate::foundation::decimal::format_plain(limit.value)
            ),
        ));
        diagnostic.set_help(Some("a workflow renamed (and perhaps moved or changed) while others appear beside it is compared with what vanished; reduce the increase or have it approved (an IC501 exemption)".to_owned()));
        found.push(diagnostic);
    }
    let Some(delta) = diff.delta().filter(|d| *d > Decimal::ZERO) else {
        return found;
    };
    let relative = match diff.percent() {
        Some(percent) => Relative::Percent(percent),
        None => Relative::FromZero,
    };
    let reasons = over_limits(policies, delta, &relative);
    let largest = diff
        .workflows
        .iter()
        .filter(|c| c.delta() > Decimal::ZERO)
        .find_map(|c| Some((c, *head_by_id.get(&*c.id)?)));
    if let (false, Some((change, entry))) = (reasons.is_empty(), largest) {
        let mut labels = changed_labels(entry, change);
        let primary = if labels.is_empty() {
            Label::new(&entry.file, entry.workflow.key_span, "largest increase")
        } else {
            labels.remove(0)
        };
        let texts: Vec<String> = reasons.iter().map(|(text, _)| text.clone()).collect();
        let mut diagnostic = Diagnostic::new(
            &IC501,
            format!(
                "total monthly cost rises by {}{}, {}",
                format_usd(delta, 2),
                percent_text(&relative),
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
    found
}

/// IC502: the policy files that differ between the base and the working tree. The working
/// tree's file is read with the same guards as every policy, and is never quoted: the finding
/// points at its first line only when it could be read.
#[must_use]
pub fn policy_changes(base: &Base, workspace: &Workspace) -> Vec<Diagnostic> {
    let cwd = workspace.cwd.as_path();
    let mut found = Vec::new();
    for (path, at_base) in &base.policy_files {
        let display = crate::input::discovery::display_path(&cwd.join(path), cwd);
        let present = std::fs::symlink_metadata(cwd.join(path)).is_ok();
        let now = present.then(|| file_reader::read_confined(workspace, path, MAX_FILE_BYTES));
        let at_base = match at_base {
            Object::File(bytes) => Some(bytes),
            _ => None,
        };
        let what = match (at_base, &now) {
            (None, None) => continue,
            (Some(before), Some(Ok(after))) if before == after => continue,
            (None, Some(_)) => "is added".to_owned(),
            (Some(_), None) => "is removed".to_owned(),
            (Some(_), Some(Ok(_))) => "changes".to_owned(),
            (Some(_), Some(Err(reason))) => format!("changes and cannot be read ({reason})"),
        };
        let text = match &now {
            Some(Ok(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
            _ => String::new(),
        };
        let file = Arc::new(SourceFile::new(&display, text));
        let span = if file.is_empty() {
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
    use crate::foundation::Date;
    use crate::pricing::RateCard;
    use crate::run::check_inputs;

    /// A head workflow compares as it does once written to a report and read back as a
    /// baseline: the shipped examples and the benchmark's manifest (every endpoint, budgets or
    /// none) and an unpriced workflow (`null` figures).
    #[test]
    fn a_workflow_written_and_read_back_compares_alike() {
        let examples = [
            "examples/marketing/campaigns.imgcost.yaml",
            "examples/starter/imgcost.yaml",
            "examples/storefront/imgcost.yaml",
            "examples/support/imgcost.yaml",
            "benches/typical-manifest.yaml",
        ];
        let inputs: Vec<ManifestInput> = crate::run::check::repository_inputs(&examples)
            .into_iter()
            .chain(std::iter::once(ManifestInput::Bytes {
                display: "unpriced/imgcost.yaml".to_owned(),
                folder: "unpriced".to_owned(),
                place: "unpriced/imgcost.yaml".to_owned(),
                bytes: b"version: 1\nworkflows:\n  future:\n    model: gpt-image-9\n    request: { size: 1024x1024, quality: high }\n    volume: { requests_per_month: 10 }\n".to_vec(),
            }))
            .collect();
        let as_of: Date = "2026-11-25".parse().unwrap();
        let context = Context {
            as_of,
            ratecard: Arc::clone(&RateCard::builtin()[0]),
            policies: Arc::new(PolicySet::builtin_default()),
            keep: Keep::ALL,
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
            let written = serde_json::to_string(&JsonWorkflow::of(entry)).unwrap();
            let read: JsonWorkflow<'_> = serde_json::from_str(&written).unwrap();
            assert_eq!(
                Compared::of(JsonWorkflow::of(entry)),
                Compared::of(read),
                "{}",
                entry.workflow.id
            );
        }
    }

    fn change(id: &str, status: Status, after: i64, renamed_from: Option<&str>) -> WorkflowChange {
        WorkflowChange {
            id: id.into(),
            status,
            renamed_from: renamed_from.map(str::to_owned),
            before: None,
            after: Some(Decimal::from(after)),
            changed: Vec::new(),
            details: Vec::new(),
        }
    }

    /// Sorting by positions gives the stable sort's order, ties included: an id the head
    /// declares twice (IC004, the adversary's to write) is listed in the order found, whatever
    /// permutation cycles the list holds.
    #[test]
    fn sorting_changes_keeps_the_order_of_ties() {
        let statuses = [
            Status::Added,
            Status::Unchanged,
            Status::Renamed,
            Status::Changed,
        ];
        // A fixed pseudo-random list: few ids and amounts, so that ties are many.
        let mut seed = 7_u64;
        let mut next = |below: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            usize::try_from((seed >> 33) % below).unwrap()
        };
        let workflows: Vec<WorkflowChange> = (0..500)
            .map(|n| {
                let from = format!("old/{n}");
                let status = statuses[next(4)];
                let renamed = (status == Status::Renamed).then_some(from.as_str());
                change(
                    &format!("p/{}", next(6)),
                    status,
                    (next(5) as i64) - 2,
                    renamed,
                )
            })
            .collect();
        let mut stable = workflows.clone();
        stable.sort_by(|a, b| {
            let rank = |c: &WorkflowChange| u8::from(c.status == Status::Unchanged);
            rank(a)
                .cmp(&rank(b))
                .then_with(|| b.delta().abs().cmp(&a.delta().abs()))
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut sorted = workflows;
        sort_changes(&mut sorted);
        assert_eq!(sorted, stable);
    }

    /// A baseline's texts are shared only when equal byte for byte: a model named like the
    /// head's but for an invisible character stays a changed model.
    #[test]
    fn a_lookalike_text_of_a_baseline_is_not_taken_for_the_real_one() {
        let mut names = Names::default();
        let real = names.get("gpt-image-1");
        let lookalike = names.get("gpt-image-1\u{200b}");
        assert!(Arc::ptr_eq(&real, &names.get("gpt-image-1")));
        assert!(!Arc::ptr_eq(&real, &lookalike));
        let compared = |model: Cow<'static, str>| Compared {
            shape: Shape {
                model,
                endpoint: Endpoint::ImagesGenerate,
                tier: None,
                quality: Some(Cow::Borrowed("high")),
                size: None,
                n: 1,
            },
            volume: None,
            inputs_per_attempt: None,
            budget: None,
            monthly: Some(Decimal::ONE),
        };
        let head = compared(Cow::Borrowed("gpt-image-1"));
        let base = compared(Cow::Borrowed("gpt-image-1\u{200b}")).shared(&mut names);
        assert!(Arc::ptr_eq(&base.shape.model, &lookalike));
        assert_eq!(changed_fields(&base, &head), ["model"]);
        let same = compared(Cow::Borrowed("gpt-image-1")).shared(&mut names);
        assert!(Arc::ptr_eq(&same.shape.model, &real));
        assert!(changed_fields(&same, &head).is_empty());
    }
}
