//! `check --new-only`: fail only on what a change introduces. The base (a git revision, checked
//! in memory as `diff` checks it, or a saved JSON report) gives its findings; each finding of
//! the head that the base has too, matched by rule, subject (workflow id, or file) and message
//! (never by line), and as many times as the base has it, becomes a note saying it is already
//! there. Workflows and files renamed since the base are followed, as `diff` pairs them. Rules
//! that fail closed (the registry's `fail_closed`: a manifest that cannot be read, parsed or
//! priced) keep their severity: the gate never stops looking at what it cannot judge.

use crate::foundation::{Error, Severity};
use crate::report::{Counts, Report};
use crate::run::check::CheckOptions;
use crate::run::diff::{
    Base, BaseSource, Findings, Status, base_from_baseline, base_from_git, compare, finding_key,
};
use std::collections::HashMap;

/// Reads the base and turns the head's findings that it has too into notes. Returns how many.
///
/// # Errors
/// When the base cannot be read (as for `diff`).
pub fn new_only(
    options: &CheckOptions,
    head: &mut Report,
    source: BaseSource<'_>,
) -> Result<usize, Error> {
    let (base, label) = match source {
        BaseSource::Revision { revision, policies } => {
            // Every base file is checked from git, none taken from the head: a finding the
            // change caused in a file it did not touch (a project over its budget through a new
            // workflow elsewhere) must not count as the base's.
            let nothing = Report {
                as_of: head.as_of,
                ratecard: head.ratecard.clone(),
                policies: Vec::new(),
                manifest_count: 0,
                manifests: Vec::new(),
                workflows: Vec::new(),
                manifest_workflows: Vec::new(),
                diagnostics: Vec::new(),
                omitted: Counts::default(),
                input_bytes: 0,
            };
            let base = base_from_git(
                &options.workspace,
                revision,
                &options.paths,
                policies,
                &options.context,
                &nothing,
                Findings::Keep,
            )?;
            // A commit id is named by its first 7 digits, as git shows it.
            let label = if revision.len() == 40 && revision.bytes().all(|b| b.is_ascii_hexdigit()) {
                revision[..7].to_owned()
            } else {
                revision.to_owned()
            };
            (base, label)
        }
        BaseSource::Baseline(path) => (
            base_from_baseline(&options.workspace, path, Findings::Keep)?,
            format!("the baseline {}", path.display()),
        ),
    };
    Ok(downgrade(head, &base, &label))
}

/// Turns the head's findings that `base` has too into notes `already on LABEL: …`.
pub fn downgrade(head: &mut Report, base: &Base, label: &str) -> usize {
    // A workflow renamed since the base keeps its findings under its new id.
    let renamed: HashMap<String, String> = compare(base, head)
        .workflows
        .into_iter()
        .filter(|change| change.status == Status::Renamed)
        .filter_map(|change| Some((change.renamed_from?, change.id.to_string())))
        .collect();
    let mut on_base: HashMap<(String, String, String), usize> = HashMap::new();
    for (rule, subject, message) in &base.findings {
        let subject = renamed
            .get(subject)
            .cloned()
            .unwrap_or_else(|| subject.clone());
        *on_base
            .entry((rule.clone(), subject, message.clone()))
            .or_default() += 1;
    }
    let mut downgraded = 0;
    for diagnostic in &mut head.diagnostics {
        if diagnostic.rule.fail_closed
            || !diagnostic.is_active()
            || diagnostic.severity == Severity::Note
        {
            continue;
        }
        let key = finding_key(diagnostic, diagnostic.primary.file.path());
        // Each finding of the base matches one of the head: a second copy is new.
        if let Some(count) = on_base.get_mut(&key).filter(|count| **count > 0) {
            *count -= 1;
            diagnostic.severity = Severity::Note;
            // The base's name (a revision, a baseline's path) is escaped like the rest.
            diagnostic.set_message(format!("already on {label}: {}", diagnostic.message));
            downgraded += 1;
        }
    }
    downgraded
}
