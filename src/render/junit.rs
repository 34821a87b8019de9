//! JUnit XML: one test suite per manifest file, one test case per workflow (failing with the
//! error findings about it), and one case per file for findings that are about no workflow
//! (syntax, the manifest budget). Warnings and notes go to the case's `system-out`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::{Diagnostic, Report, Severity};

fn xml(text: &str) -> String {
    text.chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r') || !c.is_control())
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
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

struct Case<'a> {
    name: String,
    line: Option<usize>,
    findings: Vec<&'a Diagnostic>,
}

/// The JUnit document of a report.
#[must_use]
pub fn render(report: &Report) -> String {
    let mut suites: BTreeMap<&str, Vec<Case<'_>>> = BTreeMap::new();
    for entry in &report.workflows {
        suites.entry(entry.file.path()).or_default().push(Case {
            name: entry.workflow.id.clone(),
            line: Some(entry.line),
            findings: Vec::new(),
        });
    }
    for diagnostic in &report.diagnostics {
        let file = diagnostic.primary.file.path();
        let cases = suites.entry(file).or_default();
        let target = diagnostic
            .workflow
            .as_deref()
            .and_then(|id| cases.iter().position(|case| case.name == id));
        match target {
            Some(index) => cases[index].findings.push(diagnostic),
            None => match cases.iter().position(|case| case.line.is_none()) {
                Some(index) => cases[index].findings.push(diagnostic),
                None => cases.push(Case {
                    name: file.to_owned(),
                    line: None,
                    findings: vec![diagnostic],
                }),
            },
        }
    }
    let failing = |case: &Case<'_>| {
        case.findings
            .iter()
            .any(|d| d.is_active() && d.severity == Severity::Error)
    };
    let total: usize = suites.values().map(Vec::len).sum();
    let failures: usize = suites.values().flatten().filter(|c| failing(c)).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"imgcost\" tests=\"{total}\" failures=\"{failures}\" errors=\"0\">"
    );
    for (file, cases) in &suites {
        let suite_failures = cases.iter().filter(|c| failing(c)).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{suite_failures}\" errors=\"0\">",
            xml(file),
            cases.len()
        );
        for case in cases {
            let line_attribute = case
                .line
                .map_or_else(String::new, |l| format!(" line=\"{l}\""));
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"{line_attribute}",
                xml(file),
                xml(&case.name),
                xml(file)
            );
            if case.findings.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            let errors: Vec<&&Diagnostic> = case
                .findings
                .iter()
                .filter(|d| d.is_active() && d.severity == Severity::Error)
                .collect();
            if let Some(first) = errors.first() {
                let body: Vec<String> = errors.iter().map(|d| line(d)).collect();
                let _ = writeln!(
                    out,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    first.rule.code,
                    xml(&first.message),
                    xml(&body.join("\n"))
                );
            }
            let others: Vec<String> = case
                .findings
                .iter()
                .filter(|d| !(d.is_active() && d.severity == Severity::Error))
                .map(|d| line(d))
                .collect();
            if !others.is_empty() {
                let _ = writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    xml(&others.join("\n"))
                );
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
