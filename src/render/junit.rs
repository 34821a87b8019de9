//! JUnit XML: one test suite per manifest file, one test case per workflow (failing with the
//! error findings about it), and one case per file for findings that are about no workflow
//! (syntax, the manifest budget). Warnings and notes go to the case's `system-out`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::foundation::{Diagnostic, Severity};

use crate::report::Report;

/// Whether `c` may stand in the document: XML 1.0's `Char` production refuses C0 controls
/// other than tab, line feed and carriage return, and U+FFFE and U+FFFF (Rust strings hold no
/// surrogates); one of them makes the whole report unreadable to every parser. DEL and C1
/// controls, which XML only discourages, go too, as they always have here.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'))
}

/// Text for an XML attribute value or element content: markup characters as entities, and
/// characters XML forbids replaced by U+FFFD, so that the reader still sees something was there.
/// Borrows when nothing needs escaping, as nearly every text in a large report.
fn xml(text: &str) -> Cow<'_, str> {
    let needs = |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'') || !allowed(c);
    if !text.contains(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if !allowed(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_replaces_what_xml_forbids() {
        assert!(matches!(xml("plain, café 🎨"), Cow::Borrowed(_)));
        assert_eq!(xml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(
            xml(
                "tab\tlf\ncr\r nul\0 esc\u{1b} del\u{7f} nel\u{85} fffe\u{fffe} ffff\u{ffff} ok\u{fffd}\u{10ffff}"
            ),
            "tab\tlf\ncr\r nul\u{fffd} esc\u{fffd} del\u{fffd} nel\u{fffd} fffe\u{fffd} ffff\u{fffd} ok\u{fffd}\u{10ffff}"
        );
    }
}
