//! `imgcost init`: the files a repository needs to start, fitted into what is already there.
//!
//! A starter manifest, the example GitHub workflow, a `.pre-commit-config.yaml` and an example
//! policy test fixture, each the same text as the shipped examples
//! (`examples/starter/imgcost.yaml`, `examples/github/`, `examples/pre-commit-config.yaml`,
//! `examples/policy-tests/`), so that what `init` writes is checked by the test suite
//! like every example. An existing file is never overwritten: an existing pre-commit config gets
//! the imgcost hooks appended to its `repos:` as text (its comments and layout stay as they
//! are), and when that cannot be done safely the exact snippet to paste is given instead. Every
//! file gets an [`Action`] saying what was done with it.

use std::path::{Path, PathBuf};

use crate::foundation::Error;
use crate::yaml;
use crate::yaml::{Node, NodeKind};

/// What `init` writes, relative to the target folder, and the text of each file.
pub const FILES: &[(&str, &str)] = &[
    (
        "imgcost.yaml",
        include_str!("../../examples/starter/imgcost.yaml"),
    ),
    (
        ".github/workflows/imgcost-check.yml",
        include_str!("../../examples/github/imgcost-check.yml"),
    ),
    (PRE_COMMIT_CONFIG, PRE_COMMIT_EXAMPLE),
    (
        ".imgcost/tests/over-budget.yaml",
        include_str!("../../examples/policy-tests/over-budget.yaml"),
    ),
    (
        ".imgcost/tests/over-budget.expect.yaml",
        include_str!("../../examples/policy-tests/over-budget.expect.yaml"),
    ),
];

const PRE_COMMIT_CONFIG: &str = ".pre-commit-config.yaml";
const PRE_COMMIT_EXAMPLE: &str = include_str!("../../examples/pre-commit-config.yaml");

/// The repository the hooks come from, as the shipped pre-commit example names it.
const HOOK_REPOSITORY: &str = "https://github.com/imgcost/imgcost";

/// A pre-commit config larger than this is not edited (the snippet is printed instead).
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// What `init` did with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The file did not exist and was written.
    Wrote(PathBuf),
    /// The file exists and was left as it is.
    Kept(PathBuf),
    /// The imgcost hooks were appended to the existing pre-commit config's `repos:`.
    AddedHooks(PathBuf),
    /// The existing pre-commit config already names the imgcost hooks' repository.
    HooksPresent(PathBuf),
    /// The existing pre-commit config was left as it is, for `reason`; `snippet` is what to
    /// add under its `repos:`.
    Snippet {
        path: PathBuf,
        reason: String,
        snippet: String,
    },
}

/// The `repos:` entry for the imgcost hooks, at `indent` spaces, with `newline` line ends.
#[must_use]
pub fn hook_entry(indent: usize, newline: &str) -> String {
    let pad = " ".repeat(indent);
    let entry = PRE_COMMIT_EXAMPLE
        .split_once("repos:\n")
        .map_or(PRE_COMMIT_EXAMPLE, |(_, entry)| entry);
    // The example's entry is written at two spaces.
    entry
        .lines()
        .map(|line| format!("{pad}{}{newline}", line.strip_prefix("  ").unwrap_or(line)))
        .collect()
}

/// Writes the starter files into `dir`, or says why each one was left alone.
///
/// # Errors
/// An I/O error while writing (files written before it stay written).
pub fn init(dir: &Path) -> Result<Vec<Action>, Error> {
    let mut actions = Vec::new();
    for (path, text) in FILES {
        let target = dir.join(path);
        let relative = PathBuf::from(path);
        if std::fs::symlink_metadata(&target).is_err() {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            // `create_new`: a file that appeared since the check is not overwritten either.
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
                .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))?;
            actions.push(Action::Wrote(relative));
        } else if *path == PRE_COMMIT_CONFIG {
            actions.push(add_hooks(&target, relative)?);
        } else {
            actions.push(Action::Kept(relative));
        }
    }
    Ok(actions)
}

/// Appends the imgcost entry to the `repos:` of the existing pre-commit config at `target`.
fn add_hooks(target: &Path, relative: PathBuf) -> Result<Action, Error> {
    let snippet = |reason: &str| Action::Snippet {
        path: relative.clone(),
        reason: reason.to_owned(),
        snippet: hook_entry(2, "\n"),
    };
    let metadata = std::fs::symlink_metadata(target)?;
    if !metadata.is_file() {
        return Ok(snippet("it is not a regular file"));
    }
    if metadata.len() > MAX_CONFIG_BYTES {
        return Ok(snippet("it is larger than 1 MiB"));
    }
    let Ok(text) = String::from_utf8(std::fs::read(target)?) else {
        return Ok(snippet("it is not UTF-8"));
    };
    let Some(before) = repos(&text) else {
        return Ok(snippet(
            "it does not parse as YAML with a `repos:` list at the top",
        ));
    };
    if before
        .iter()
        .any(|repo| repo.get("repo").and_then(Node::as_str) == Some(HOOK_REPOSITORY))
    {
        return Ok(Action::HooksPresent(relative));
    }
    let Some(edited) = appended(&text) else {
        return Ok(snippet(
            "its `repos:` is not a block list this edit can extend without rewriting the file",
        ));
    };
    // The edit is checked by reading the result back: one more repository, ours, and the
    // others unchanged. Anything else leaves the file alone.
    let fits = repos(&edited).is_some_and(|after| {
        after.len() == before.len() + 1
            && after[..before.len()] == before[..]
            && after
                .last()
                .and_then(|repo| repo.get("repo"))
                .and_then(Node::as_str)
                == Some(HOOK_REPOSITORY)
    });
    if !fits {
        return Ok(snippet(
            "appending to its `repos:` would not read back as one more repository",
        ));
    }
    std::fs::write(target, edited)?;
    Ok(Action::AddedHooks(relative))
}

/// The items of the top-level `repos:` list, spans dropped so that two readings compare equal.
fn repos(text: &str) -> Option<Vec<Node>> {
    let document = yaml::load(text).ok()?;
    if !document.duplicate_keys.is_empty() {
        return None;
    }
    match &document.root.get("repos")?.kind {
        NodeKind::Sequence(items) => Some(items.iter().map(without_spans).collect()),
        _ => None,
    }
}

fn without_spans(node: &Node) -> Node {
    let kind = match &node.kind {
        NodeKind::Scalar(scalar) => NodeKind::Scalar(scalar.clone()),
        NodeKind::Sequence(items) => NodeKind::Sequence(items.iter().map(without_spans).collect()),
        NodeKind::Mapping(entries) => NodeKind::Mapping(
            entries
                .iter()
                .map(|entry| yaml::Entry {
                    key: without_spans(&entry.key),
                    value: without_spans(&entry.value),
                })
                .collect(),
        ),
    };
    Node {
        span: yaml::Span::point(0),
        kind,
    }
}

/// `text` with the imgcost entry inserted after the last line of its block `repos:` list, at
/// the indentation of the list's first item; `None` when `repos:` is not a block list.
fn appended(text: &str) -> Option<String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let start = lines.iter().position(|line| {
        line.strip_prefix("repos:")
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    })?;
    let mut indent = None;
    let mut last = start;
    for (index, line) in lines.iter().enumerate().skip(start + 1) {
        let content = line.trim_end();
        let trimmed = content.trim_start();
        if trimmed.is_empty() || (trimmed.starts_with('#') && content.len() == trimmed.len()) {
            // Blank lines and comments at the left margin belong to whatever follows.
            continue;
        }
        let column = content.len() - trimmed.len();
        let item = trimmed == "-" || trimmed.starts_with("- ");
        if column == 0 && !item {
            break;
        }
        if item && indent.is_none() {
            indent = Some(column);
        }
        last = index;
    }
    let indent = indent?;
    let mut edited = String::with_capacity(text.len() + 200);
    for (index, line) in lines.iter().enumerate() {
        edited.push_str(line);
        if index == last {
            if !line.ends_with('\n') {
                edited.push_str(newline);
            }
            edited.push_str(&hook_entry(indent, newline));
        }
    }
    Some(edited)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_is_the_shipped_examples() {
        assert_eq!(
            format!("repos:\n{}", hook_entry(2, "\n")),
            PRE_COMMIT_EXAMPLE
                .split_once("repos:\n")
                .map(|(_, entry)| format!("repos:\n{entry}"))
                .unwrap_or_default()
        );
    }

    #[test]
    fn the_entry_goes_after_the_last_repository_before_the_next_key() {
        let text = "# mine\nrepos:\n- repo: local\n  hooks: [{id: x, name: x, entry: x, language: system}]\n# about ci\nci:\n  autofix_prs: false\n";
        let edited = appended(text).unwrap_or_default();
        assert_eq!(
            edited,
            format!(
                "# mine\nrepos:\n- repo: local\n  hooks: [{{id: x, name: x, entry: x, language: system}}]\n{}# about ci\nci:\n  autofix_prs: false\n",
                hook_entry(0, "\n")
            )
        );
    }

    #[test]
    fn a_flow_list_is_not_edited() {
        assert_eq!(appended("repos: []\n"), None);
        assert_eq!(appended("repos:\n"), None);
    }
}
