//! Applying the rules and the policies to a priced report.
//!
//! The last stage of `check`: every workflow (as soon as its manifest is priced), manifest and
//! the run as a whole go through the rules of `rules/`; then the policies' severity overrides apply (`off` drops a finding), and
//! their exemptions mark the findings they cover, which stay in the report as "exempted" but no
//! longer count. An expired exemption covers nothing and is itself an error (IC306); one that
//! covers nothing is a warning (IC307).

use std::collections::HashMap;

use super::checks::{self, WorkflowContext};
use super::{PolicySet, kept};
use crate::foundation::{
    Date, Diagnostic, Exempted, Label, Severity, Stage, counted, sort_and_dedup,
};
use crate::model::Manifest;
use crate::pricing::RateCard;
use crate::report::{Report, WorkflowEntry};
use crate::rules;

/// Runs the rules of each workflow on one manifest's priced workflows, into `out`
/// (unsettled: see [`settle`]). Each manifest is judged as soon as it is priced, on the thread
/// that loaded it, so that what only these rules need can go with it.
pub fn judge_workflows(
    manifest: &Manifest,
    entries: &[Box<WorkflowEntry>],
    card: &RateCard,
    policies: &PolicySet,
    as_of: Date,
    out: &mut Vec<Diagnostic>,
) {
    for entry in entries {
        let context = WorkflowContext {
            entry,
            manifest,
            card,
            policies,
            as_of,
        };
        for check in checks::workflow_checks() {
            check(&context, out);
        }
    }
}

/// Runs the rules of each manifest as a whole and of the run on `report` (whose workflows
/// [`judge_workflows`] judged) and returns their findings (unsettled: see [`settle`]).
#[must_use]
pub fn judge(report: &Report, policies: &PolicySet) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for index in 0..report.manifests.len() {
        for check in checks::manifest_checks() {
            check(report, index, policies, &mut found);
        }
    }
    for check in checks::run_checks() {
        check(report, policies, &mut found);
    }
    found
}

/// The kind of run whose findings are settled. Only `diff` finds IC501–IC502 and only
/// `reconcile` IC601–IC604: an exemption of one of them that covers nothing is unused (IC307)
/// in that run, and waits for it in the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    Check,
    Diff,
    Reconcile,
}

impl RunKind {
    /// Whether this run can find the findings of `stage`.
    fn reaches(self, stage: Stage) -> bool {
        match stage {
            Stage::Diff => self == Self::Diff,
            Stage::Reconcile => self == Self::Reconcile,
            _ => true,
        }
    }
}

/// Applies the policies' exemptions and severity overrides to every finding of the report, and
/// puts the findings in report order. Run once, after every finding is in.
pub fn settle(report: &mut Report, policies: &PolicySet, run: RunKind) {
    apply_exemptions(report, policies, run);
    report.diagnostics.retain_mut(
        |diagnostic| match kept(policies.severity(diagnostic.rule)) {
            Some(severity) => {
                diagnostic.severity = severity;
                true
            }
            None => false,
        },
    );
    sort_and_dedup(&mut report.diagnostics);
    omit_beyond_limits(report);
}

/// Most findings a report shows for one file.
pub const MAX_FINDINGS_PER_FILE: usize = 500;

/// Most findings a report shows for a run: one per this many bytes of manifest text read,
/// and never fewer than [`MIN_FINDINGS_PER_RUN`]. Output stays within a few times the input.
pub const BYTES_PER_FINDING: u64 = 256;
pub const MIN_FINDINGS_PER_RUN: usize = 2_000;

/// Keeps at most [`MAX_FINDINGS_PER_FILE`] findings of each file and the run's limit in all,
/// errors first, then warnings, then notes, each in report order; the rest are counted in
/// `report.omitted` and named by one IC007 note per file (and one for the run) at the first
/// finding left out. Findings stay in report order.
fn omit_beyond_limits(report: &mut Report) {
    let run_limit = usize::try_from(report.input_bytes / BYTES_PER_FINDING)
        .unwrap_or(usize::MAX)
        .max(MIN_FINDINGS_PER_RUN);
    let over_a_file = report
        .diagnostics
        .chunk_by(|a, b| a.primary.file.path() == b.primary.file.path())
        .any(|file| file.len() > MAX_FINDINGS_PER_FILE);
    if !over_a_file && report.diagnostics.len() <= run_limit {
        return;
    }
    let mut kept = vec![true; report.diagnostics.len()];
    let mut notes = Vec::new();
    let mut start = 0;
    for file in report
        .diagnostics
        .chunk_by(|a, b| a.primary.file.path() == b.primary.file.path())
    {
        let range = start..start + file.len();
        start = range.end;
        if file.len() > MAX_FINDINGS_PER_FILE {
            let dropped = drop_beyond(&report.diagnostics, range, MAX_FINDINGS_PER_FILE, &mut kept);
            notes.push(omitted_note(
                &report.diagnostics,
                &dropped,
                &format!("in {}", report.diagnostics[dropped[0]].primary.file.path()),
                &format!("a report shows at most {MAX_FINDINGS_PER_FILE} per file"),
            ));
            count(&report.diagnostics, &dropped, &mut report.omitted);
        }
    }
    if kept.iter().filter(|k| **k).count() > run_limit {
        let remaining: Vec<usize> = (0..report.diagnostics.len()).filter(|&i| kept[i]).collect();
        let dropped = drop_indexes(&report.diagnostics, &remaining, run_limit, &mut kept);
        notes.push(omitted_note(
            &report.diagnostics,
            &dropped,
            "in this run",
            &format!(
                "this run shows at most {run_limit} (one per {BYTES_PER_FINDING} bytes of manifests read)"
            ),
        ));
        count(&report.diagnostics, &dropped, &mut report.omitted);
    }
    let mut index = 0;
    report.diagnostics.retain(|_| {
        index += 1;
        kept[index - 1]
    });
    report.diagnostics.extend(notes.into_iter().map(Box::new));
    sort_and_dedup(&mut report.diagnostics);
}

/// Of the findings in `range` still kept, keeps `limit` (errors first) and returns the others.
fn drop_beyond(
    diagnostics: &[Box<Diagnostic>],
    range: std::ops::Range<usize>,
    limit: usize,
    kept: &mut [bool],
) -> Vec<usize> {
    let candidates: Vec<usize> = range.filter(|&i| kept[i]).collect();
    drop_indexes(diagnostics, &candidates, limit, kept)
}

fn drop_indexes(
    diagnostics: &[Box<Diagnostic>],
    candidates: &[usize],
    limit: usize,
    kept: &mut [bool],
) -> Vec<usize> {
    let mut ranked = candidates.to_vec();
    // Active findings before exempted ones, then by severity (errors first); stable, so within
    // a rank report order decides. An error that fails the run is never the one left out for
    // an exempted one.
    ranked.sort_by_key(|&i| {
        let diagnostic = &diagnostics[i];
        (
            std::cmp::Reverse(diagnostic.is_active()),
            std::cmp::Reverse(diagnostic.severity),
        )
    });
    let mut dropped: Vec<usize> = ranked.split_off(limit.min(ranked.len()));
    dropped.sort_unstable();
    for &i in &dropped {
        kept[i] = false;
    }
    dropped
}

fn count(diagnostics: &[Box<Diagnostic>], dropped: &[usize], counts: &mut crate::report::Counts) {
    for &i in dropped {
        let diagnostic = &diagnostics[i];
        if !diagnostic.is_active() {
            continue;
        }
        match diagnostic.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Note => counts.notes += 1,
        }
    }
}

/// The IC007 note for findings left out, at the first of them.
fn omitted_note(
    diagnostics: &[Box<Diagnostic>],
    dropped: &[usize],
    scope: &str,
    limit: &str,
) -> Diagnostic {
    let mut by_severity = crate::report::Counts::default();
    count(diagnostics, dropped, &mut by_severity);
    let exempted = dropped
        .iter()
        .filter(|&&i| !diagnostics[i].is_active())
        .count();
    let exempted = if exempted > 0 {
        format!(", {exempted} exempted")
    } else {
        String::new()
    };
    let first = &diagnostics[dropped[0]];
    Diagnostic::new(
        &rules::IC007,
        format!(
            "{} {scope} {} not shown ({}, {}, {}{exempted}); {limit}",
            counted(dropped.len(), "more finding"),
            if dropped.len() == 1 { "is" } else { "are" },
            counted(by_severity.errors, "error"),
            counted(by_severity.warnings, "warning"),
            counted(by_severity.notes, "note")
        ),
        Label::new(
            &first.primary.file,
            first.primary.span,
            "the first finding not shown",
        ),
    )
    .with_help(
        "fix the findings shown and run again; the counts in the summary include every finding",
    )
}

fn apply_exemptions(report: &mut Report, policies: &PolicySet, run: RunKind) {
    let as_of = report.as_of;
    // Where each manifest is, by the name findings give its file, for exemptions with `paths:`
    // (made only when one has them).
    let with_paths = policies
        .policies
        .iter()
        .flat_map(|p| &p.exemptions)
        .any(|e| e.paths.is_some());
    let places: HashMap<String, String> = if with_paths {
        report
            .manifests
            .iter()
            .map(|m| (m.file.path().to_owned(), m.place.clone()))
            .collect()
    } else {
        HashMap::new()
    };
    let mut settled = Vec::new();
    for policy in &policies.policies {
        for exemption in &policy.exemptions {
            let pointer = format!("/exemptions/{}", exemption.index);
            if exemption.expires < as_of {
                settled.push(
                    Diagnostic::new(
                        &rules::IC306,
                        format!("exemption of {} for {} expired on {}; the findings it covered apply again", exemption.rule, exemption.workflows.join(", "), exemption.expires),
                        policy.label(&format!("{pointer}/expires"), "expired"),
                    )
                    .with_related(policy.label(&format!("{pointer}/reason"), format!("approved by {}", exemption.approved_by)))
                    .with_help("fix the findings and remove the exemption, or renew it with a new `expires` and a fresh approval"),
                );
                continue;
            }
            let mut used = false;
            for diagnostic in &mut report.diagnostics {
                if diagnostic.exempted.is_some() || diagnostic.rule.fail_closed {
                    continue;
                }
                let Some(subject) = diagnostic.workflow.as_deref() else {
                    continue;
                };
                let place = places
                    .get(diagnostic.primary.file.path())
                    .map(String::as_str);
                if exemption.matches(diagnostic.rule.code, subject, place) {
                    diagnostic.exempted = Some(Box::new(Exempted {
                        reason: exemption.reason.clone(),
                        approved_by: exemption.approved_by.clone(),
                        expires: exemption.expires.to_string(),
                    }));
                    used = true;
                }
            }
            // An exemption of what only another run finds is not unused here.
            let judged_here =
                rules::find(&exemption.rule).is_none_or(|rule| run.reaches(rule.stage));
            if !used && judged_here {
                settled.push(
                    Diagnostic::new(
                        &rules::IC307,
                        format!(
                            "exemption of {} for {} matches no finding",
                            exemption.rule,
                            exemption.workflows.join(", ")
                        ),
                        policy.label(&format!("{pointer}/rule"), "unused"),
                    )
                    .with_help(
                        "remove it if the finding was fixed, or correct its `rule` or `workflows`",
                    ),
                );
            }
        }
    }
    report.diagnostics.extend(settled.into_iter().map(Box::new));
}
