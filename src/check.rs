//! `imgcost check`: the whole pipeline from paths to a [`Report`].
//!
//! Discover manifests, read and load each one (in parallel: files are independent), find
//! workflow ids declared twice across files, and gather every finding in file order. The other
//! commands (`diff`, `explain`) start from the same function so they see exactly what `check`
//! sees.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::discovery::{self, ManifestPath};
use crate::{
    Date, Diagnostic, Error, Label, Manifest, Report, WorkflowEntry, file_reader, rules,
    sort_and_dedup,
};

/// What to check and how.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    /// The working directory that paths and displayed file names are relative to.
    pub cwd: PathBuf,
    pub as_of: Date,
    /// Finding no manifest is not an error.
    pub allow_empty: bool,
}

/// Runs the check.
///
/// # Errors
/// When the run cannot produce a trustworthy report: a path that does not exist, or nothing to
/// check (unless allowed).
pub fn check(options: &CheckOptions) -> Result<Report, Error> {
    let found = discovery::discover(&options.paths, &options.cwd)?;
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
    let mut diagnostics = found.diagnostics;
    let loaded: Vec<(Option<Manifest>, Vec<Diagnostic>)> =
        found.manifests.par_iter().map(load_one).collect();
    let manifest_count = found.manifests.len();
    let mut manifests = Vec::new();
    for (manifest, mut findings) in loaded {
        diagnostics.append(&mut findings);
        manifests.extend(manifest);
    }
    report_duplicate_ids(&manifests, &mut diagnostics);
    let unreadable_workflows = manifests.iter().map(|m| m.unreadable_workflows).sum();
    let mut workflows: Vec<WorkflowEntry> = manifests
        .iter()
        .flat_map(|manifest| {
            manifest.workflows.iter().map(|workflow| {
                let position = manifest.file.line_column(workflow.key_span.start);
                WorkflowEntry {
                    workflow: workflow.clone(),
                    file: manifest.file.path().to_owned(),
                    line: position.line,
                    column: position.column,
                }
            })
        })
        .collect();
    workflows.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    sort_and_dedup(&mut diagnostics);
    Ok(Report {
        as_of: options.as_of,
        manifests: manifest_count,
        workflows,
        unreadable_workflows,
        diagnostics,
    })
}

fn load_one(path: &ManifestPath) -> (Option<Manifest>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let manifest = match file_reader::read_source(&path.path, &path.display) {
        Ok(file) => Manifest::load(file, &path.folder, &mut diagnostics),
        Err(diagnostic) => {
            diagnostics.push(*diagnostic);
            None
        }
    };
    (manifest, diagnostics)
}

/// IC004: the same `<project>/<name>` in two files (or twice in one, through `project:`).
fn report_duplicate_ids(manifests: &[Manifest], out: &mut Vec<Diagnostic>) {
    let mut first_seen: HashMap<&str, (&Manifest, &crate::Workflow)> = HashMap::new();
    for manifest in manifests {
        for workflow in &manifest.workflows {
            if let Some((first_manifest, first)) = first_seen.get(workflow.id.as_str()) {
                out.push(
                    Diagnostic::new(
                        &rules::IC004,
                        format!("workflow id `{}` is also declared in {}", workflow.id, first_manifest.file.path()),
                        Label::new(&manifest.file, workflow.key_span, "declared again here"),
                    )
                    .with_related(Label::new(&first_manifest.file, first.key_span, "first declared here"))
                    .with_help("set a distinct `project:` in one of the manifests, or rename one of the workflows")
                    .with_workflow(&workflow.id),
                );
            } else {
                first_seen.insert(&workflow.id, (manifest, workflow));
            }
        }
    }
}
