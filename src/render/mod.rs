//! Renderers: the same [`Report`](crate::report::Report) as human text, JSON, SARIF, GitHub annotations,
//! Markdown or JUnit, and the texts of `explain`, `quote` and `ratecard`. Each is a pure function
//! from data to text, golden-tested.

pub mod diff;
pub mod explain;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod policy_test;
pub mod quote;
pub mod ratecard;
pub mod reconcile;
pub mod sarif;

use std::fmt::Write as _;

use crate::policy::REPOSITORY_POLICY;
use crate::report::{PolicyOrigin, PolicySource};

/// Says where the policies in force came from, the same way in every report: "policy `acme`
/// from `.imgcost/policy.yaml` at `origin/main`" (or "in the working tree"), "policies `a` from `a.yaml`, `b` from `b.yaml`
/// (--policy)", "policy `default`, built in (no `.imgcost/policy.yaml` at the repository's top)".
/// `literal` quotes a name, path or revision for where the text lands (each came from the
/// repository or the command line).
pub fn policy_provenance(sources: &[PolicySource], literal: impl Fn(&str) -> String) -> String {
    let word = if sources.len() == 1 {
        "policy"
    } else {
        "policies"
    };
    let revision = sources.first().and_then(|s| s.revision.as_deref());
    let each: Vec<String> = sources
        .iter()
        .map(|source| match &source.path {
            Some(path) if source.origin != PolicyOrigin::BuiltIn => {
                format!("{} from {}", literal(&source.name), literal(path))
            }
            _ => literal(&source.name),
        })
        .collect();
    let mut text = format!("{word} {}", each.join(", "));
    let origin = sources.first().map(|s| s.origin);
    match (origin, revision) {
        (Some(PolicyOrigin::BuiltIn), Some(revision)) => {
            let _ = write!(
                text,
                ", built in (no {} at {})",
                literal(REPOSITORY_POLICY),
                literal(revision)
            );
        }
        (Some(PolicyOrigin::BuiltIn), None) => {
            let _ = write!(
                text,
                ", built in (no {} at the repository's top)",
                literal(REPOSITORY_POLICY)
            );
        }
        (_, Some(revision)) => {
            let _ = write!(text, " at {}", literal(revision));
        }
        // The change under review can edit this file: say so, as `--policy-ref` would not.
        (Some(PolicyOrigin::Repository), None) => text.push_str(" in the working tree"),
        (_, None) => {}
    }
    if origin == Some(PolicyOrigin::CommandLine) {
        text.push_str(" (--policy)");
    }
    text
}

/// Keeps a report from giving orders to the CI log it is printed to. GitHub's runner acts on
/// `##[command]` anywhere in a line of a step's output (its older syntax, still honoured), and
/// a report quotes manifests, names and messages the change wrote. Every output passes through
/// this writer, which breaks each `##[` with what its format reads as the same `#` (an
/// escape in JSON, a character reference in XML and Markdown, a zero-width space in plain
/// text), so no data changes meaning.
pub struct InertLogCommands<'a> {
    inner: &'a mut dyn std::io::Write,
    /// What replaces the first `#` of `##[`.
    hash: &'static [u8],
    /// The last bytes written, when they could start a `##[` that the next write completes.
    pending: Vec<u8>,
    finder: memchr::memmem::Finder<'static>,
}

impl<'a> InertLogCommands<'a> {
    /// A writer for plain text (human output, GitHub annotations).
    #[must_use]
    pub fn text(inner: &'a mut dyn std::io::Write) -> Self {
        Self::with(inner, "#\u{200b}".as_bytes())
    }

    /// A writer for JSON (the report, SARIF): `#` as `\u0023`, inside strings only, where JSON
    /// has its `#`s.
    #[must_use]
    pub fn json(inner: &'a mut dyn std::io::Write) -> Self {
        Self::with(inner, b"\\u0023")
    }

    /// A writer for XML and Markdown: `#` as `&#35;`.
    #[must_use]
    pub fn markup(inner: &'a mut dyn std::io::Write) -> Self {
        Self::with(inner, b"&#35;")
    }

    fn with(inner: &'a mut dyn std::io::Write, hash: &'static [u8]) -> Self {
        Self {
            inner,
            hash,
            pending: Vec::new(),
            finder: memchr::memmem::Finder::new(b"##["),
        }
    }

    /// Writes `data` with every `##[` broken, but for up to two trailing bytes (`#`, `##`) that a
    /// later write may complete, which are kept.
    fn emit(&mut self, data: &[u8]) -> std::io::Result<()> {
        let keep = if data.ends_with(b"##") {
            2
        } else {
            usize::from(data.ends_with(b"#"))
        };
        let (ready, rest) = data.split_at(data.len() - keep);
        let mut start = 0;
        for found in self.finder.find_iter(ready) {
            self.inner.write_all(&ready[start..found])?;
            self.inner.write_all(self.hash)?;
            start = found + 1;
        }
        self.inner.write_all(&ready[start..])?;
        rest.clone_into(&mut self.pending);
        Ok(())
    }
}

impl std::io::Write for InertLogCommands<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            self.emit(buf)?;
        } else {
            // Rare: the last write ended with `#`.
            let mut data = std::mem::take(&mut self.pending);
            data.extend_from_slice(buf);
            self.emit(&data)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.inner.write_all(&pending)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::InertLogCommands;

    #[derive(Clone, Copy)]
    enum Kind {
        Text,
        Json,
        Markup,
    }

    fn through(kind: Kind, pieces: &[&str]) -> String {
        let mut out = Vec::new();
        {
            let mut writer = match kind {
                Kind::Text => InertLogCommands::text(&mut out),
                Kind::Json => InertLogCommands::json(&mut out),
                Kind::Markup => InertLogCommands::markup(&mut out),
            };
            for piece in pieces {
                writer.write_all(piece.as_bytes()).unwrap();
            }
            writer.flush().unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn log_commands_are_broken_however_the_writes_split_them() {
        let text = "a ##[add-mask]x ## [ok] ###[y] #";
        let expected = "a #\u{200b}#[add-mask]x ## [ok] ##\u{200b}#[y] #";
        assert_eq!(through(Kind::Text, &[text]), expected);
        for split in 0..=text.len() {
            let (a, b) = text.split_at(split);
            assert_eq!(through(Kind::Text, &[a, b]), expected, "{split}");
        }
        assert_eq!(
            through(Kind::Json, &["\"##[error]\""]),
            "\"\\u0023#[error]\""
        );
        assert_eq!(through(Kind::Markup, &["<a>##[x</a>"]), "<a>&#35;#[x</a>");
        assert_eq!(through(Kind::Text, &["plain"]), "plain");
    }
}
