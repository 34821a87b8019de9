//! `imgcost check`: the whole pipeline from paths to a [`Report`].
//!
//! Discover manifests; read, load and price each one (in parallel: files are independent);
//! find workflow ids declared twice across files; gather every finding in file order. `diff` and
//! `explain` start from the same function so they see exactly what `check` sees.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::input::discovery;

use crate::foundation::{Date, Diagnostic, Error, Label, Origin, SourceFile, decimal};
use crate::input::discovery::ManifestPath;
use crate::input::{Workspace, file_reader};
use crate::model::{FieldSpans, Manifest, Workflow};
use crate::policy;
use crate::policy::{PolicySet, RunKind};
use crate::pricing::{RateCard, project};
use crate::report::{Report, WorkflowEntry};
use crate::rules;

/// Most workflows one run checks: twice the largest scale imgcost is measured at (100 000
/// manifests of five workflows, docs/performance.md). A report lists each workflow, about a
/// kilobyte of JSON, and `defaults:` lets a line declare one, so the run is bounded as a whole
/// too.
pub const MAX_WORKFLOWS_PER_RUN: usize = 1_000_000;

/// What every manifest of a run is judged against.
#[derive(Debug, Clone)]
pub struct Context {
    pub as_of: Date,
    pub ratecard: Arc<RateCard>,
    pub policies: Arc<PolicySet>,
    pub keep: Keep,
}

/// What each manifest keeps once its workflows are priced and judged, as the run's later
/// stages and reports need: at ten thousand manifests the texts alone were a fifth of the
/// memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    /// Each file's text, or how much of it.
    pub texts: Texts,
    /// Where each workflow's fields are written, after the workflow rules used them: `diff`
    /// labels the fields that changed, `explain` and `reconcile` point at fields.
    pub field_spans: bool,
    /// The low-confidence pricing rules each projection rests on, with their sources
    /// ([`Assumptions::weakest`](crate::pricing::projection::Assumptions::weakest)): IC405
    /// names them when the workflow rules run, and no report shows them after.
    pub weakest_rules: bool,
}

/// How much of each manifest's text a run keeps once the manifest is judged. A plain-ASCII
/// manifest with `\n` line breaks can keep only its index of lines
/// ([`SourceFile::lines_only`]), which answers every line and column; any other keeps its
/// text, since offsets alone cannot give its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// Every text: `explain`, `reconcile` and `policy test` read or edit the files.
    All,
    /// A manifest read from the working tree or git's index keeps its index of lines, where it
    /// was read and what its text hashed to: the human format reads it again to draw its
    /// findings (`input::file_reader::read_again`). A manifest given as bytes keeps its text.
    ReadAgain,
    /// Only the index of lines: no report draws the files.
    LinesOnly,
}

impl Keep {
    /// Everything, for `explain`, `reconcile`, `policy test` and library callers.
    pub const ALL: Self = Self {
        texts: Texts::All,
        field_spans: true,
        weakest_rules: true,
    };
}

/// What to check on disk and how.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    /// The working directory (paths and displayed file names are relative to it) and the
    /// repository around it.
    pub workspace: Workspace,
    /// Finding no manifest is not an error.
    pub allow_empty: bool,
    pub context: Context,
}

/// A manifest to check: a file on disk, or bytes already read (from git, or a fuzzer).
#[derive(Debug, Clone)]
pub enum ManifestInput {
    Path(ManifestPath),
    Bytes {
        display: String,
        folder: String,
        /// The file's place relative to the repository's top (see [`ManifestPath::place`]).
        place: String,
        bytes: Vec<u8>,
    },
}

impl ManifestInput {
    fn folder(&self) -> &str {
        match self {
            Self::Path(path) => &path.folder,
            Self::Bytes { folder, .. } => folder,
        }
    }

    fn place(&self) -> &str {
        match self {
            Self::Path(path) => &path.place,
            Self::Bytes { place, .. } => place,
        }
    }

    /// Where the text is read from, to be read again the same way ([`Texts::ReadAgain`]);
    /// `None` for a text that is kept instead: bytes given, or a link (see
    /// [`ManifestPath::linked`]).
    fn origin(&self) -> Option<Origin> {
        match self {
            Self::Path(ManifestPath { linked: true, .. }) | Self::Bytes { .. } => None,
            Self::Path(ManifestPath {
                in_index: Some((root, relative)),
                ..
            }) => Some(Origin::Index {
                root: root.clone(),
                relative: relative.clone(),
            }),
            Self::Path(path) => Some(Origin::WorkTree(path.path.clone())),
        }
    }

    /// Reads the text. Bytes given move into it (an input is read once), so that they are
    /// not copied.
    fn read(&mut self) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
        match self {
            Self::Path(ManifestPath {
                in_index: Some((root, relative)),
                display,
                ..
            }) => match crate::input::git::read_from_index(root, relative) {
                Ok(crate::input::git::Object::File(bytes)) => file_reader::decode(display, bytes),
                Ok(_) => Err(Box::new(file_reader::unreadable(
                    display,
                    "git tracks it outside the sparse checkout, but it is not a file in the index",
                ))),
                Err(error) => Err(Box::new(file_reader::unreadable(
                    display,
                    &error.to_string(),
                ))),
            },
            Self::Path(path) => file_reader::read_source(&path.path, &path.display),
            Self::Bytes { display, bytes, .. } => {
                file_reader::decode(display, std::mem::take(bytes))
            }
        }
    }
}

/// One manifest's results before they are gathered.
#[expect(
    clippy::vec_box,
    reason = "the report's lists take these boxes as they are: gathering moves pointers, not entries"
)]
struct Loaded {
    manifest: Option<Box<Manifest>>,
    workflows: Vec<Box<WorkflowEntry>>,
    diagnostics: Vec<Box<Diagnostic>>,
    /// Bytes of text read.
    bytes: u64,
}

/// Runs the check on the manifests found under `options.paths`.
///
/// # Errors
/// When the run cannot produce a trustworthy report: a path that does not exist, or nothing to
/// check (unless allowed).
pub fn check(options: &CheckOptions) -> Result<Report, Error> {
    let mut report = evaluate_paths(options)?;
    policy::settle(&mut report, &options.context.policies, RunKind::Check);
    Ok(report)
}

/// Discovers, loads, prices and judges the manifests under `options.paths`, leaving the
/// policies' exemptions and severities to [`policy::settle`] (so that `diff` can add its own
/// findings first).
///
/// # Errors
/// As [`check`].
pub(crate) fn evaluate_paths(options: &CheckOptions) -> Result<Report, Error> {
    // Compiling the manifest schema takes as long as walking a small tree: do both at once.
    let (found, _) = rayon::join(
        || discovery::discover(&options.paths, &options.workspace),
        || crate::model::Schema::Manifest.validator(),
    );
    let found = found?;
    if found.manifests.is_empty() && found.diagnostics.is_empty() && !options.allow_empty {
        let searched = if options.paths.is_empty() {
            ".".to_owned()
        } else {
            options
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(Error::NothingToCheck { searched });
    }
    let inputs: Vec<ManifestInput> = found
        .manifests
        .into_iter()
        .map(ManifestInput::Path)
        .collect();
    let mut report = evaluate(inputs, found.diagnostics, &options.context);
    if report.workflows.len() > MAX_WORKFLOWS_PER_RUN {
        return Err(Error::Usage(format!(
            "{} workflows in one run is more than the {MAX_WORKFLOWS_PER_RUN} imgcost checks at once; check the repository's folders in several runs",
            report.workflows.len()
        )));
    }
    let misplaced = policy::projects::check_places(
        &report,
        &options.context.policies,
        Some(&options.workspace),
    )?;
    report
        .diagnostics
        .extend(misplaced.into_iter().map(Box::new));
    Ok(report)
}

/// Loads, prices and judges manifests wherever their bytes come from, and settles the findings.
#[must_use]
pub fn check_inputs(
    inputs: &[ManifestInput],
    findings: Vec<Diagnostic>,
    context: &Context,
) -> Report {
    let mut report = evaluate(inputs.to_vec(), findings, context);
    // Bytes from elsewhere have no repository to read a revision from: explicit bindings only.
    if let Ok(misplaced) = policy::projects::check_places(&report, &context.policies, None) {
        report
            .diagnostics
            .extend(misplaced.into_iter().map(Box::new));
    }
    policy::settle(&mut report, &context.policies, RunKind::Check);
    report
}

/// Loads, prices and judges manifests. `findings` are those already made (by discovery) and join
/// the report; exemptions and severities are not applied yet. Each input is let go of once its
/// manifest is loaded.
#[must_use]
pub(crate) fn evaluate(
    inputs: Vec<ManifestInput>,
    findings: Vec<Diagnostic>,
    context: &Context,
) -> Report {
    let manifest_count = inputs.len();
    let loaded: Vec<Loaded> = inputs
        .into_par_iter()
        .map(|input| load_one(input, context))
        .collect();
    let mut report = Report {
        as_of: context.as_of,
        ratecard: Arc::clone(&context.ratecard),
        policies: context.policies.sources(),
        manifest_count,
        manifests: Vec::with_capacity(loaded.iter().filter(|l| l.manifest.is_some()).count()),
        workflows: Vec::with_capacity(loaded.iter().map(|l| l.workflows.len()).sum()),
        manifest_workflows: Vec::with_capacity(loaded.len()),
        diagnostics: findings.into_iter().map(Box::new).collect(),
        omitted: crate::report::Counts::default(),
        input_bytes: loaded.iter().map(|l| l.bytes).sum(),
    };
    let mut found_in_manifests = Vec::with_capacity(loaded.len());
    for loaded in loaded {
        found_in_manifests.push(loaded.diagnostics);
        if let Some(manifest) = loaded.manifest {
            let index = report.manifests.len();
            let start = report.workflows.len();
            report
                .workflows
                .extend(loaded.workflows.into_iter().map(|mut entry| {
                    entry.manifest = index;
                    entry
                }));
            report
                .manifest_workflows
                .push(start..report.workflows.len());
            report.manifests.push(manifest);
        }
    }
    // These only read the report: find duplicate ids and overflowing totals while the rules
    // run.
    let ((duplicates, overflows), judged) = rayon::join(
        || (duplicate_ids(&report), overflowing_totals(&report)),
        || policy::judge(&report, &context.policies),
    );
    // Every finding's pointer moves once, into a list made at its size (it lives as long as
    // the report), in the order each rule found them; `settle` sorts them.
    let later = [duplicates, overflows, judged];
    let count = found_in_manifests.iter().map(Vec::len).sum::<usize>()
        + later.iter().map(Vec::len).sum::<usize>();
    report.diagnostics.reserve_exact(count);
    for found in found_in_manifests {
        report.diagnostics.extend(found);
    }
    for found in later {
        report.diagnostics.extend(found.into_iter().map(Box::new));
    }
    report
}

fn priced(entries: &[Box<WorkflowEntry>]) -> Vec<&WorkflowEntry> {
    entries
        .iter()
        .filter(|e| e.projection.is_some())
        .map(|e| &**e)
        .collect()
}

/// IC108 where a manifest's or the run's total passes the largest amount imgcost reports: at
/// the manifest's `workflows:` key, or at the workflow whose cost took the run's total over.
fn overflowing_totals(report: &Report) -> Vec<Diagnostic> {
    let over = |what: &str| {
        format!(
            "{what} exceeds {}, the largest amount imgcost reports",
            decimal::format_usd(decimal::MAX_USD, 0)
        )
    };
    let mut found = Vec::new();
    for (index, manifest) in report.manifests.iter().enumerate() {
        let entries = priced(report.workflows_of(index));
        if let Err(at) = decimal::sum_usd(entries.iter().filter_map(|e| e.monthly_usd())) {
            let entry = entries[at];
            found.push(
                Diagnostic::new(
                    &rules::IC108,
                    over("the manifest's monthly total"),
                    Label::new(
                        &manifest.file,
                        manifest.workflows_span,
                        "these workflows together",
                    ),
                )
                .with_related(Label::new(
                    &entry.file,
                    entry.workflow.key_span,
                    "the total passes the limit here",
                ))
                .with_help("check `requests_per_month` and the other volumes for a typo")
                .with_workflow(format!("{}/*", manifest.project)),
            );
        }
    }
    let entries = priced(&report.workflows);
    if let Err(at) = decimal::sum_usd(entries.iter().filter_map(|e| e.monthly_usd())) {
        let entry = entries[at];
        found.push(
            Diagnostic::new(
                &rules::IC108,
                over("the run's monthly total"),
                Label::new(
                    &entry.file,
                    entry.workflow.key_span,
                    "the total passes the limit here",
                ),
            )
            .with_help("check `requests_per_month` and the other volumes for a typo")
            .with_workflow("*"),
        );
    }
    found
}

/// Reads, loads, prices and judges the workflows of one manifest, then lets go of what the
/// run does not keep (`context.keep`). Its workflows move into the report's flat list; the
/// manifest keeps its header for manifest-level rules.
fn load_one(mut input: ManifestInput, context: &Context) -> Loaded {
    let (card, as_of) = (&*context.ratecard, context.as_of);
    let mut diagnostics = Vec::new();
    let mut bytes = 0;
    let mut read = None;
    let mut manifest = match input.read() {
        Ok(file) => {
            bytes = file.len() as u64;
            read = Some(Arc::clone(&file));
            Manifest::load(file, input.folder(), &mut diagnostics).map(|mut manifest| {
                input.place().clone_into(&mut manifest.place);
                manifest
            })
        }
        Err(diagnostic) => {
            diagnostics.push(*diagnostic);
            None
        }
    };
    let mut workflows = manifest.as_mut().map_or_else(Vec::new, |manifest| {
        let read = std::mem::take(&mut manifest.workflows);
        boxed(read, |workflow| {
            price(manifest, workflow, card, as_of, &mut diagnostics)
        })
    });
    if let Some(manifest) = &manifest {
        policy::judge_workflows(
            manifest,
            &workflows,
            card,
            &context.policies,
            as_of,
            &mut diagnostics,
        );
    }
    for entry in &mut workflows {
        if !context.keep.field_spans {
            entry.workflow.fields = FieldSpans::default();
        }
        if !context.keep.weakest_rules
            && let Some(projection) = &mut entry.projection
        {
            projection.assumptions.weakest = Box::default();
        }
    }
    let mut loaded = Loaded {
        manifest: manifest.map(Box::new),
        workflows,
        // Boxed here, while this manifest's few findings are all that is copied.
        diagnostics: boxed(diagnostics, |diagnostic| diagnostic),
        bytes,
    };
    if let Some(file) = read {
        match context.keep.texts {
            Texts::All => {}
            // Bytes given have nowhere to be read again from, and a link's target may be
            // rewritten by this run: they keep their text.
            Texts::ReadAgain => {
                if let Some(origin) = input.origin() {
                    keep_lines_only(file, Some(origin), &mut loaded);
                }
            }
            Texts::LinesOnly => keep_lines_only(file, None, &mut loaded),
        }
    }
    loaded
}

/// `make(item)` of each item, boxed, in a list of its own size. Collecting the boxes from
/// `items.into_iter()` would reuse the list of items in place, keeping room for entries of
/// their size (and for growth) where eight-byte pointers are all that is kept.
fn boxed<T, U>(items: Vec<T>, mut make: impl FnMut(T) -> U) -> Vec<Box<U>> {
    let mut list = Vec::with_capacity(items.len());
    list.extend(items.into_iter().map(|item| Box::new(make(item))));
    list
}

/// Swaps `file` for its copy without the text (knowing where it was read, when it will be read
/// again) everywhere this manifest's results hold it, so that the text is freed here rather
/// than kept to the end of the run.
fn keep_lines_only(text: Arc<SourceFile>, origin: Option<Origin>, loaded: &mut Loaded) {
    let Some(lines) = text.lines_only(origin) else {
        return;
    };
    let lines = Arc::new(lines);
    let swap = |file: &mut Arc<SourceFile>| {
        if Arc::ptr_eq(file, &text) {
            *file = Arc::clone(&lines);
        }
    };
    if let Some(manifest) = &mut loaded.manifest {
        swap(&mut manifest.file);
    }
    for entry in &mut loaded.workflows {
        swap(&mut entry.file);
    }
    for diagnostic in &mut loaded.diagnostics {
        swap(&mut diagnostic.primary.file);
        diagnostic
            .related
            .iter_mut()
            .for_each(|label| swap(&mut label.file));
    }
}

fn price(
    manifest: &Manifest,
    workflow: Workflow,
    card: &RateCard,
    as_of: Date,
    out: &mut Vec<Diagnostic>,
) -> WorkflowEntry {
    let projection = match project(&workflow.spec, card, as_of, None) {
        Ok(projection) => Some(projection),
        Err(error) => {
            let mut diagnostic = Diagnostic::new(
                error.rule,
                error.message,
                Label::new(&manifest.file, workflow.value_place(error.field), "here"),
            )
            .with_workflow(Arc::clone(&workflow.id));
            diagnostic.set_help(error.help);
            out.push(diagnostic);
            None
        }
    };
    let position = manifest.file.line_column(workflow.key_span.start);
    WorkflowEntry {
        workflow,
        file: Arc::clone(&manifest.file),
        manifest: 0,
        line: position.line,
        column: position.column,
        projection: projection.map(Box::new),
    }
}

/// IC004: the same `<project>/<name>` in two files (or twice in one, through `project:`).
fn duplicate_ids(report: &Report) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut first_seen: HashMap<&str, &WorkflowEntry> = HashMap::new();
    for entry in &report.workflows {
        if let Some(first) = first_seen.get(&*entry.workflow.id) {
            found.push(
                Diagnostic::new(
                    &rules::IC004,
                    format!("workflow id `{}` is also declared in {}", entry.workflow.id, first.file.path()),
                    Label::new(&entry.file, entry.workflow.key_span, "declared again here"),
                )
                .with_related(Label::new(&first.file, first.workflow.key_span, "first declared here"))
                .with_help("set a distinct `project:` in one of the manifests, or rename one of the workflows")
                .with_workflow(Arc::clone(&entry.workflow.id)),
            );
        } else {
            first_seen.insert(&entry.workflow.id, entry);
        }
    }
    found
}

/// Manifests of this repository (`examples/…`) as inputs already read, for tests.
#[cfg(test)]
pub(crate) fn repository_inputs(paths: &[&str]) -> Vec<ManifestInput> {
    paths
        .iter()
        .map(|path| ManifestInput::Bytes {
            display: (*path).to_owned(),
            folder: path.split('/').nth(1).unwrap_or_default().to_owned(),
            place: (*path).to_owned(),
            bytes: std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foundation::Date;

    /// What a run lets go of once each manifest is judged changes nothing in its report: the
    /// shipped examples, their mistakes and a non-ASCII manifest (which keeps its text) give
    /// the same JSON report keeping everything or nothing, and nothing is in fact kept.
    #[test]
    fn a_run_that_keeps_less_reports_the_same() {
        let paths = [
            "examples/marketing/campaigns.imgcost.yaml",
            "examples/starter/imgcost.yaml",
            "examples/storefront/imgcost.yaml",
            "examples/support/imgcost.yaml",
            "examples/mistakes/imgcost.yaml",
        ];
        let inputs: Vec<ManifestInput> = repository_inputs(&paths)
            .into_iter()
            .chain(std::iter::once(ManifestInput::Bytes {
                display: "café/imgcost.yaml".to_owned(),
                folder: "café".to_owned(),
                place: "café/imgcost.yaml".to_owned(),
                bytes: "version: 1\nworkflows:\n  menu:\n    description: menü du café\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: high}\n    volume: {requests_per_month: 10}\n".as_bytes().to_vec(),
            }))
            .collect();
        let context = |keep| Context {
            as_of: "2026-11-25".parse::<Date>().unwrap(),
            ratecard: Arc::clone(&RateCard::builtin()[0]),
            policies: Arc::new(PolicySet::builtin_default()),
            keep,
        };
        let nothing = Keep {
            texts: Texts::LinesOnly,
            field_spans: false,
            weakest_rules: false,
        };
        let all = check_inputs(&inputs, Vec::new(), &context(Keep::ALL));
        let less = check_inputs(&inputs, Vec::new(), &context(nothing));
        assert!(all.diagnostics.len() >= 10, "{}", all.diagnostics.len());
        let written = |report| {
            serde_json::to_string(&crate::report::json::WrittenReport::of(report, false)).unwrap()
        };
        assert_eq!(written(&less), written(&all));
        // Bytes given have nowhere to be read again from: a report that draws them needs them.
        let drawn = Keep {
            texts: Texts::ReadAgain,
            field_spans: false,
            weakest_rules: false,
        };
        let given = check_inputs(&inputs, Vec::new(), &context(drawn));
        assert_eq!(written(&given), written(&all));
        assert!(
            given
                .diagnostics
                .iter()
                .all(|d| d.primary.file.text().is_some())
        );
        let files = less
            .manifests
            .iter()
            .map(|manifest| &manifest.file)
            .chain(less.diagnostics.iter().map(|d| &d.primary.file));
        let mut seen = std::collections::BTreeSet::new();
        for file in files {
            seen.insert(file.path());
            if file.path().starts_with("café") {
                assert!(file.text().is_some_and(|text| text.contains("menü")));
            } else {
                assert_eq!(file.text(), None, "{}", file.path());
            }
        }
        assert_eq!(seen.len(), paths.len() + 1, "{seen:?}");
        assert!(
            less.workflows
                .iter()
                .all(|entry| entry.workflow.field("model").is_none())
        );
        assert!(
            all.workflows
                .iter()
                .all(|entry| entry.workflow.field("model").is_some())
        );
        let weakest = |report: &Report| {
            report
                .workflows
                .iter()
                .filter_map(|entry| entry.projection.as_ref())
                .map(|projection| projection.assumptions.weakest.len())
                .sum::<usize>()
        };
        assert_eq!(weakest(&less), 0);
        assert!(weakest(&all) > 0);
    }
}
