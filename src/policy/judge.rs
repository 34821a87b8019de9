//! Applying the rules and the policies to a priced report.
//!
//! The last stage of `check`: every workflow, manifest and the run as a whole go through the
//! rules of `rules/`; then the policies' severity overrides apply (`off` drops a finding), and
//! their exemptions mark the findings they cover, which stay in the report as "exempted" but no
//! longer count. An expired exemption covers nothing and is itself an error (IC306); one that
//! covers nothing is a warning (IC307).

use std::collections::HashMap;

use rayon::prelude::*;

use super::{FAIL_CLOSED_RULES, PolicySet, kept};
use crate::rules::{self, WorkflowContext};
use crate::{Diagnostic, Exempted, Report, sort_and_dedup};

/// Runs every rule on `report` and returns its findings (unsettled: see [`settle`]).
#[must_use]
pub fn judge(report: &Report, policies: &PolicySet) -> Vec<Diagnostic> {
    // Workflows are judged independently, so in parallel; the findings are sorted later.
    let mut found: Vec<Diagnostic> = report
        .workflows
        .par_iter()
        .flat_map_iter(|entry| {
            let context = WorkflowContext {
                entry,
                manifest: &report.manifests[entry.manifest],
                card: &report.ratecard,
                policies,
                as_of: report.as_of,
            };
            let mut found = Vec::new();
            for check in rules::WORKFLOW_CHECKS {
                check(&context, &mut found);
            }
            found
        })
        .collect();
    for index in 0..report.manifests.len() {
        rules::check_manifest(report, index, policies, &mut found);
    }
    rules::check_run(report, policies, &mut found);
    found
}

/// Applies the policies' exemptions and severity overrides to every finding of the report, and
/// puts the findings in report order. Run once, after every finding is in.
pub fn settle(report: &mut Report, policies: &PolicySet) {
    apply_exemptions(report, policies);
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
}

fn apply_exemptions(report: &mut Report, policies: &PolicySet) {
    let as_of = report.as_of;
    // Where each manifest is, by the name findings give its file, for exemptions with `paths:`.
    let places: HashMap<String, String> = report
        .manifests
        .iter()
        .map(|m| (m.file.path().to_owned(), m.place.clone()))
        .collect();
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
                if diagnostic.exempted.is_some()
                    || FAIL_CLOSED_RULES.contains(&diagnostic.rule.code)
                {
                    continue;
                }
                let Some(subject) = diagnostic.workflow.as_deref() else {
                    continue;
                };
                let place = places
                    .get(diagnostic.primary.file.path())
                    .map(String::as_str);
                if exemption.matches(diagnostic.rule.code, subject, place) {
                    diagnostic.exempted = Some(Exempted {
                        reason: exemption.reason.clone(),
                        approved_by: exemption.approved_by.clone(),
                        expires: exemption.expires.to_string(),
                    });
                    used = true;
                }
            }
            if !used {
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
    report.diagnostics.extend(settled);
}
