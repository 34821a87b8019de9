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

/// The text of a label or a help: the same `&'static str` for every finding of a rule where it
/// can be (IC305 repeats one help text for each workflow of a large tree, and no copy is made),
/// an owned string where it quotes the manifest.
pub type Text = Cow<'static, str>;

/// A place in a file with a short message saying what is there.
#[derive(Debug, Clone)]
pub struct Label {
    pub file: Arc<SourceFile>,
    pub span: Span,
    pub message: Text,
}

impl Label {
    #[must_use]
    pub fn new(file: &Arc<SourceFile>, span: Span, message: impl Into<Text>) -> Self {
        Self {
            file: Arc::clone(file),
            span,
            message: shown_text(message.into()),
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

/// One finding. Tens of thousands can be alive at once on a large tree, so it keeps its rare
/// parts boxed and shares what is the same for many findings (see `size_of_a_finding`).
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// Boxed: no room kept for growth (a formatted message has some).
    pub message: Box<str>,
    /// Where the problem is. Every finding has a place; run failures that have none
    /// are errors of the run, not diagnostics.
    pub primary: Label,
    /// Other places that explain it (the budget line, the line that drives the cost, the first
    /// of two duplicate keys).
    pub related: Box<[Label]>,
    pub help: Option<Text>,
    /// The workflow id the finding is about, when there is one: shared with the workflow's own.
    pub workflow: Option<Arc<str>>,
    /// Boxed: almost every finding has none.
    pub exempted: Option<Box<Exempted>>,
}

impl Diagnostic {
    /// A finding of `rule` at its default severity.
    #[must_use]
    pub fn new(rule: &'static Rule, message: impl Into<String>, primary: Label) -> Self {
        Self {
            rule,
            severity: rule.default_severity,
            message: shown(message.into()).into_boxed_str(),
            primary,
            related: Box::default(),
            help: None,
            workflow: None,
            exempted: None,
        }
    }

    #[must_use]
    pub fn with_related(mut self, label: Label) -> Self {
        self.add_related([label]);
        self
    }

    /// Adds places that explain the finding, after those it has.
    pub fn add_related(&mut self, labels: impl IntoIterator<Item = Label>) {
        let mut related = std::mem::take(&mut self.related).into_vec();
        related.extend(labels);
        self.related = related.into_boxed_slice();
    }

    /// The help: a `&'static str` when it is the same for every finding of the rule (no copy
    /// per finding), a `String` when it is formatted.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(shown_text(help.into()));
        self
    }

    /// The workflow the finding is about; pass the workflow's own `Arc<str>` id to share it.
    #[must_use]
    pub fn with_workflow(mut self, workflow: impl Into<Arc<str>>) -> Self {
        self.workflow = Some(workflow.into());
        self
    }

    /// Replaces the message, escaped and cut like every text of a finding.
    pub fn set_message(&mut self, message: String) {
        self.message = shown(message).into_boxed_str();
    }

    /// Sets (or clears) the help text, escaped like every text of a finding.
    pub fn set_help(&mut self, help: Option<impl Into<Text>>) {
        self.help = help.map(|help| shown_text(help.into()));
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
pub fn sort_and_dedup<D: std::ops::Deref<Target = Diagnostic> + Send>(diagnostics: &mut Vec<D>) {
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

/// [`shown`] for a text that may be static. A static text is the project's own and is printable
/// and short; it is checked all the same (one pass over its bytes, as for any text), and kept
/// borrowed, without a copy, when nothing in it needs escaping or cutting.
fn shown_text(text: Text) -> Text {
    match text {
        Cow::Borrowed(text)
            if text.len() <= MAX_TEXT && matches!(printable(text), Cow::Borrowed(_)) =>
        {
            Cow::Borrowed(text)
        }
        text => Cow::Owned(shown(text.into_owned())),
    }
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

    /// Texts shared as `&'static str` skip no check: a hostile value in a formatted message,
    /// label or help is escaped, and a static text that needed escaping or cutting would be.
    #[test]
    fn static_texts_stay_borrowed_and_formatted_ones_are_escaped() {
        static RULE: Rule = Rule {
            code: "IC301",
            name: "model-not-allowed",
            default_severity: Severity::Error,
            stage: crate::foundation::Stage::Workflow,
            fail_closed: false,
            summary: "",
            doc: "",
        };
        let file = Arc::new(SourceFile::new("imgcost.yaml", "a: 1\n"));
        let hostile = format!("model `{}` is not allowed", "\u{1b}[2Jgpt\u{202e}");
        let diagnostic = Diagnostic::new(
            &RULE,
            hostile.clone(),
            Label::new(&file, Span::new(0, 1), hostile.clone()),
        )
        .with_related(Label::new(&file, Span::new(3, 4), "allowed here"))
        .with_help(hostile)
        .with_workflow("shop/hero");
        let escaped = "model `\\u{1b}[2Jgpt\\u{202e}` is not allowed";
        assert_eq!(&*diagnostic.message, escaped);
        assert_eq!(diagnostic.primary.message, escaped);
        assert_eq!(diagnostic.help.as_deref(), Some(escaped));
        assert!(matches!(
            diagnostic.related[0].message,
            Cow::Borrowed("allowed here")
        ));
        // A static text is checked too: one that needed escaping would be escaped.
        let label = Label::new(&file, Span::new(0, 1), "tab\there");
        assert_eq!(label.message, "tab\\u{9}here");
        let long: &'static str = "x".repeat(MAX_TEXT + 1).leak();
        assert_eq!(
            Label::new(&file, Span::new(0, 1), long).message.len(),
            MAX_TEXT + 3
        );
    }

    /// The room a finding takes in the list of findings; tens of thousands are alive at once on
    /// a large tree. A field that grows it should be boxed or shared.
    #[test]
    fn size_of_a_finding() {
        assert!(
            size_of::<Diagnostic>() <= 144,
            "{}",
            size_of::<Diagnostic>()
        );
    }

    #[test]
    fn printable_escapes_what_a_terminal_would_obey() {
        assert_eq!(printable("plain, café 🎨"), "plain, café 🎨");
        assert_eq!(printable("\u{1b}[31mred\n"), "\\u{1b}[31mred\\u{a}");
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
    }
}
