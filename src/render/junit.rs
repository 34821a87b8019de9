//! JUnit XML, written by `quick-junit`: one test suite per manifest file, one test case per
//! workflow (failing with the error findings about it), and one case per file for findings that
//! are about no workflow (syntax, the manifest budget). Warnings and notes go to the case's
//! `system-out`.

use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite, XmlString};
use rayon::prelude::*;

use crate::foundation::{Diagnostic, Severity, SourceFile};
use crate::report::{PolicySource, Report, WorkflowEntry};

/// Whether `c` may stand in the document: XML 1.0's `Char` production refuses C0 controls
/// other than tab, line feed and carriage return, and U+FFFE and U+FFFF (Rust strings hold no
/// surrogates); one of them makes the whole report unreadable to every parser. DEL and C1
/// controls, which XML only discourages, go too, as they always have here.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'))
}

/// Text for the document: characters XML forbids replaced by U+FFFD, so that the reader still
/// sees something was there. `quick-junit` escapes markup, and drops the C0 controls it is given
/// without a trace (tab and carriage return too), so they are replaced here first. Borrows when
/// nothing needs replacing, as nearly every text in a large report.
pub(crate) fn xml(text: &str) -> XmlString {
    let text = if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(
            text.chars()
                .map(|c| if allowed(c) { c } else { '\u{fffd}' })
                .collect(),
        )
    };
    XmlString::new(text)
}

fn line(diagnostic: &Diagnostic) -> String {
    let start = diagnostic.primary.start();
    let exempted = diagnostic.exempted.as_ref().map_or_else(String::new, |e| {
        format!(" (exempted until {}: {})", e.expires, e.reason)
    });
    format!(
        "{}:{}:{}: {} {}: {}{exempted}",
        diagnostic.primary.file.path(),
        start.line,
        start.column,
        diagnostic.severity,
        diagnostic.rule.code,
        diagnostic.message
    )
}

/// A test case and its findings, with its name (`S`) and findings (`D`) borrowed from a report
/// or taken from one.
struct Case<S, D> {
    name: S,
    line: Option<usize>,
    findings: Vec<D>,
}

/// The cases of each file, in the order of the files' paths: a case per workflow (its file, id
/// and line), and one named after the file for the findings about no workflow of it (each
/// finding given with its file's path).
fn cases_by_file<S: Borrow<str> + Ord + Clone, D: Borrow<Diagnostic>>(
    workflows: impl Iterator<Item = (S, S, usize)>,
    diagnostics: impl Iterator<Item = (S, D)>,
) -> BTreeMap<S, Vec<Case<S, D>>> {
    let mut suites: BTreeMap<S, Vec<Case<S, D>>> = BTreeMap::new();
    for (file, id, line) in workflows {
        suites.entry(file).or_default().push(Case {
            name: id,
            line: Some(line),
            findings: Vec::new(),
        });
    }
    for (file, diagnostic) in diagnostics {
        let cases = suites.entry(file.clone()).or_default();
        let target = diagnostic
            .borrow()
            .workflow
            .as_deref()
            .and_then(|id| cases.iter().position(|case| case.name.borrow() == id));
        match target {
            Some(index) => cases[index].findings.push(diagnostic),
            None => match cases.iter().position(|case| case.line.is_none()) {
                Some(index) => cases[index].findings.push(diagnostic),
                None => cases.push(Case {
                    name: file,
                    line: None,
                    findings: vec![diagnostic],
                }),
            },
        }
    }
    suites
}

fn failing(diagnostic: &Diagnostic) -> bool {
    diagnostic.is_active() && diagnostic.severity == Severity::Error
}

/// A case of the suite of `file` (the file's text made once for all its cases: `quick-junit`
/// rereads every text it is given, character by character).
fn test_case<S: Borrow<str>, D: Borrow<Diagnostic>>(
    file: &XmlString,
    case: &Case<S, D>,
) -> TestCase {
    let errors: Vec<&Diagnostic> = case
        .findings
        .iter()
        .map(Borrow::borrow)
        .filter(|d| failing(d))
        .collect();
    let status = match errors.first() {
        Some(first) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let body: Vec<String> = errors.iter().map(|d| line(d)).collect();
            status
                .set_type(first.rule.code)
                .set_message(xml(&first.message))
                .set_description(xml(&body.join("\n")));
            status
        }
        None => TestCaseStatus::success(),
    };
    let mut test_case = TestCase::new(xml(case.name.borrow()), status);
    test_case.set_classname(file.clone());
    // Room for its one or two attributes only (grown entry by entry, it holds room for three).
    test_case
        .extra
        .reserve_exact(1 + usize::from(case.line.is_some()));
    test_case.extra.insert("file".into(), file.clone());
    if let Some(line) = case.line {
        test_case
            .extra
            .insert("line".into(), line.to_string().into());
    }
    let others: Vec<String> = case
        .findings
        .iter()
        .map(Borrow::borrow)
        .filter(|d| !failing(d))
        .map(line)
        .collect();
    if !others.is_empty() {
        test_case.set_system_out(xml(&others.join("\n")));
    }
    test_case
}

/// Writes the JUnit document of a report. The suites are built in parallel, one per file.
///
/// # Errors
/// When writing fails.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let workflows = report
        .workflows
        .iter()
        .map(|entry| (entry.file.path(), &*entry.workflow.id, entry.line));
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|diagnostic| (diagnostic.primary.file.path(), &**diagnostic));
    write_cases(&report.policies, cases_by_file(workflows, diagnostics), out)
}

/// Writes the JUnit document of a report that is not needed afterwards, as [`write()`] does.
/// `quick-junit` holds the whole document before writing it; what of the report the document
/// does not show (each workflow's fields and projection, the manifests) is let go of first, and
/// each file's workflow ids and findings once its suite is built, so that the document is built
/// in the memory the report held rather than beside it.
///
/// # Errors
/// When writing fails.
pub fn write_owned(report: Report, out: &mut dyn Write) -> std::io::Result<()> {
    let Report {
        policies,
        manifests,
        workflows,
        diagnostics,
        ..
    } = report;
    manifests.into_par_iter().for_each(drop);
    // Each case owns its name and findings, and each file's are let go of once its suite is
    // built; a file's path is made once for the workflows next to each other in it.
    let mut paths = Paths::default();
    let workflows = workflows.into_iter().map(|entry| {
        let WorkflowEntry {
            file,
            workflow,
            line,
            ..
        } = *entry;
        (paths.of(&file), workflow.id, line)
    });
    let mut finding_paths = Paths::default();
    let diagnostics = diagnostics
        .into_iter()
        .map(|diagnostic| (finding_paths.of(&diagnostic.primary.file), diagnostic));
    write_cases(&policies, cases_by_file(workflows, diagnostics), out)
}

/// The path of each file as a shared text, made once for each run of items in one file.
#[derive(Default)]
struct Paths {
    last: Option<(Arc<SourceFile>, Arc<str>)>,
}

impl Paths {
    fn of(&mut self, file: &Arc<SourceFile>) -> Arc<str> {
        match &self.last {
            Some((last, path)) if Arc::ptr_eq(last, file) => Arc::clone(path),
            _ => {
                let path: Arc<str> = file.path().into();
                self.last = Some((Arc::clone(file), Arc::clone(&path)));
                path
            }
        }
    }
}

fn write_cases<S: Borrow<str> + Ord + Send, D: Borrow<Diagnostic> + Send>(
    policies: &[PolicySource],
    cases: BTreeMap<S, Vec<Case<S, D>>>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    // JUnit has no properties for the whole document: each suite says which policy judged it.
    let policy = xml(&super::policy_provenance(policies, str::to_owned));
    let mut document = quick_junit::Report::new("imgcost");
    document.test_suites = cases
        .into_par_iter()
        .map(|(file, cases)| {
            let file = xml(file.borrow());
            let mut suite = TestSuite::new(file.clone());
            // At their size: grown item by item, the lists of ten thousand suites held room for
            // four properties where there is one, and for eight cases where five were written.
            suite.properties.reserve_exact(1);
            suite.add_property(quick_junit::Property::new("imgcost.policy", policy.clone()));
            suite.test_cases.reserve_exact(cases.len());
            suite.add_test_cases(cases.iter().map(|case| test_case(&file, case)));
            suite
        })
        .collect();
    // The document's counts, which `add_test_suites` would add up while moving every suite into
    // a second list beside the first.
    for suite in &document.test_suites {
        document.tests += suite.tests;
        document.failures += suite.failures;
        document.errors += suite.errors;
        document.skipped += suite.skipped;
    }
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    document
        .serialize(&mut buffered)
        .map_err(std::io::Error::other)?;
    buffered.flush()
}

/// The JUnit document of a report.
#[must_use]
pub fn render(report: &Report) -> String {
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(report, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What XML forbids becomes U+FFFD; tab and carriage return, which XML allows,
    /// `quick-junit` drops.
    #[test]
    fn texts_keep_what_xml_allows_and_replace_what_it_forbids() {
        assert_eq!(xml("tab\tcr\r").as_str(), "tabcr");
        assert_eq!(
            xml("plain, café 🎨 a<b>&\"c'").as_str(),
            "plain, café 🎨 a<b>&\"c'"
        );
        assert_eq!(
            xml("lf\n nul\0 esc\u{1b}[31m del\u{7f} nel\u{85} fffe\u{fffe} ffff\u{ffff} ok\u{fffd}\u{10ffff}")
                .as_str(),
            "lf\n nul\u{fffd} esc\u{fffd}[31m del\u{fffd} nel\u{fffd} fffe\u{fffd} ffff\u{fffd} ok\u{fffd}\u{10ffff}"
        );
    }
}
