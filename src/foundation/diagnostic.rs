//! A finding: which rule, how serious, where, and what to do about it.
//!
//! Every stage of the pipeline (loading, schema validation, pricing, policies, diff gates)
//! pushes `Diagnostic`s into a plain `Vec`, as cargo-deny and typos collect findings as data.
//! Renderers (`render::*`) turn the same list into human text, JSON, SARIF, GitHub annotations,
//! Markdown or JUnit; none of them decides anything.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use rayon::slice::ParallelSliceMut;

use crate::foundation::{LineColumn, Rule, Severity, SourceFile};

use crate::yaml::Span;

/// `count` and the noun, in the plural unless one: "1 fixture", "2 fixtures".
#[must_use]
pub fn counted(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

/// `text` with control characters, and the bidirectional controls that reorder what a terminal
/// shows, written as escapes (`\u{1b}`). Messages quote keys and values from the manifest, and a
/// double-quoted YAML string can hold any character through its escapes (`"\e[31m"`); file
/// names can too. Every message, label and help of a [`Diagnostic`] goes through it, so no
/// renderer can put an escape sequence on a terminal or a newline into an annotation.
#[must_use]
pub fn printable(text: &str) -> Cow<'_, str> {
    // Nearly every text is printable ASCII: a byte test settles it.
    if text.bytes().all(|b| (b' '..0x7f).contains(&b)) {
        return Cow::Borrowed(text);
    }
    let hidden =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            shown.extend(c.escape_unicode());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// A place in a file with a short message saying what is there.
#[derive(Debug, Clone)]
pub struct Label {
    pub file: Arc<SourceFile>,
    pub span: Span,
    pub message: String,
}

impl Label {
    #[must_use]
    pub fn new(file: &Arc<SourceFile>, span: Span, message: impl Into<String>) -> Self {
        Self {
            file: Arc::clone(file),
            span,
            message: shown(message.into()),
        }
    }

    #[must_use]
    pub fn start(&self) -> LineColumn {
        self.file.line_column(self.span.start)
    }

    /// The end position, inclusive of the last character (the column after it, as editors and
    /// SARIF's `endColumn` count).
    #[must_use]
    pub fn end(&self) -> LineColumn {
        self.file.line_column(self.span.end)
    }
}

/// An exemption that matched a finding: the finding stays in reports, marked, but no longer
/// counts towards the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exempted {
    pub reason: String,
    pub approved_by: String,
    pub expires: String,
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is. Every finding has a place; run failures that have none
    /// are errors of the run, not diagnostics.
    pub primary: Label,
    /// Other places that explain it (the budget line, the line that drives the cost, the first
    /// of two duplicate keys).
    pub related: Vec<Label>,
    pub help: Option<String>,
    /// The workflow id the finding is about, when there is one.
    pub workflow: Option<String>,
    pub exempted: Option<Exempted>,
}

impl Diagnostic {
    /// A finding of `rule` at its default severity.
    #[must_use]
    pub fn new(rule: &'static Rule, message: impl Into<String>, primary: Label) -> Self {
        Self {
            rule,
            severity: rule.default_severity,
            message: shown(message.into()),
            primary,
            related: Vec::new(),
            help: None,
            workflow: None,
            exempted: None,
        }
    }

    #[must_use]
    pub fn with_related(mut self, label: Label) -> Self {
        self.related.push(label);
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(shown(help.into()));
        self
    }

    #[must_use]
    pub fn with_workflow(mut self, workflow: impl Into<String>) -> Self {
        self.workflow = Some(workflow.into());
        self
    }

    /// Sets (or clears) the help text, escaped like every text of a finding.
    pub fn set_help(&mut self, help: Option<String>) {
        self.help = help.map(shown);
    }

    /// Whether the finding counts towards the exit code (exempted ones do not).
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.exempted.is_none()
    }

    /// The deterministic report order: file, line, column, then rule and message.
    #[must_use]
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (
            self.primary.file.path(),
            self.primary.span.start,
            self.primary.span.end,
            self.rule.code,
            &self.message,
        )
    }
}

/// Sorts findings by file, position, rule and message, and drops exact repeats (a value inherited
/// from `defaults:` by several workflows is one problem, reported once).
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    // Stable, like `sort_by`, so the order is the same on any number of threads.
    diagnostics.par_sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| compare_workflow(a, b))
    });
    diagnostics.dedup_by(|later, earlier| {
        later.sort_key() == earlier.sort_key() && later.severity == earlier.severity
    });
}

fn compare_workflow(a: &Diagnostic, b: &Diagnostic) -> Ordering {
    a.workflow.cmp(&b.workflow)
}

/// [`printable`] without a copy when nothing needs escaping.
fn shown(text: String) -> String {
    let mut shown = match printable(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(escaped) => escaped,
    };
    // A message quotes keys and values from the file; one of half a megabyte, repeated by
    // every finding that quotes it, would make a report of gigabytes.
    if shown.len() > MAX_TEXT {
        let mut end = MAX_TEXT;
        while !shown.is_char_boundary(end) {
            end -= 1;
        }
        shown.truncate(end);
        shown.push('…');
    }
    shown
}

/// Longest message, label or help of a finding, in bytes, before it is cut with `…`.
pub const MAX_TEXT: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_on_a_character_boundary() {
        let long = "é".repeat(MAX_TEXT);
        let cut = shown(long);
        assert_eq!(cut.len(), MAX_TEXT + '…'.len_utf8());
        assert!(cut.ends_with("é…"));
        assert_eq!(shown("short".to_owned()), "short");
    }

    #[test]
    fn printable_escapes_what_a_terminal_would_obey() {
        assert_eq!(printable("plain, café 🎨"), "plain, café 🎨");
        assert_eq!(printable("\u{1b}[31mred\n"), "\\u{1b}[31mred\\u{a}");
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
    }
}
