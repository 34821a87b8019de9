//! The shape of the code, checked: the module tree is the pipeline, and imports point down.
//!
//! `src/` holds one folder per stage, from the bottom: `foundation` (files, findings, money,
//! dates), `rules` (the registry), `input`, `model`, `pricing`, `report`, `policy`, `run` (the
//! commands) and `render`; the YAML loader is a crate of its own below them all. Code may use
//! its own stage and the stages below it, never one above, so that there are no cycles and a
//! newcomer can read the tree bottom-up. Every module file opens with a `//!` paragraph saying
//! what it is for.

use std::path::{Path, PathBuf};

/// The stages, bottom first (the YAML crate counts as the foundation).
const STAGES: &[&str] = &[
    "foundation",
    "rules",
    "input",
    "model",
    "pricing",
    "report",
    "policy",
    "run",
    "render",
];

fn rank(stage: &str) -> Option<usize> {
    match stage {
        "yaml" => Some(0),
        other => STAGES.iter().position(|s| *s == other),
    }
}

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The stage a file of `src/` belongs to, when it belongs to one.
fn stage_of(relative: &Path) -> Option<&str> {
    let mut parts = relative.components();
    let first = parts.next()?.as_os_str().to_str()?;
    parts.next()?;
    STAGES.contains(&first).then_some(first)
}

/// The first segment of every `crate::` path on a line (`crate::a::b`, `crate::{a, b::c}`).
fn crate_paths(line: &str) -> Vec<String> {
    let ident = |text: &str| -> String {
        text.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        let rest = &line[at + 7..];
        if let Some(group) = rest.strip_prefix('{') {
            // A group over several lines would hide its stages from this check.
            let Some((group, _)) = group.split_once('}') else {
                found.push(
                    "{ (a group over several lines: one `use crate::<stage>::…` per stage)"
                        .to_owned(),
                );
                continue;
            };
            found.extend(group.split(',').map(ident).filter(|s| !s.is_empty()));
        } else {
            found.push(ident(rest));
        }
    }
    found
}

#[test]
fn imports_point_down_the_pipeline() {
    let src = crate::test::repo().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut upward = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let Some(stage) = stage_of(relative) else {
            continue;
        };
        let own = rank(stage).expect("a stage");
        let text = std::fs::read_to_string(file).expect("readable");
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for target in crate_paths(line) {
                let place = format!("{}:{}", relative.display(), number + 1);
                match rank(&target) {
                    Some(theirs) if theirs > own => {
                        upward.push(format!("{place}: {stage} uses {target}"));
                    }
                    Some(_) => {}
                    None => upward.push(format!(
                        "{place}: {stage} uses crate::{target}, which is no stage"
                    )),
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the pipeline:\n{}",
        upward.join("\n")
    );
}

#[test]
fn every_module_says_what_it_is_for() {
    let repo = crate::test::repo();
    let mut files = Vec::new();
    sources(&repo.join("src"), &mut files);
    sources(&repo.join("crates"), &mut files);
    let undocumented: Vec<String> = files
        .iter()
        .filter(|file| {
            !std::fs::read_to_string(file)
                .expect("readable")
                .starts_with("//!")
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(
        undocumented.is_empty(),
        "no `//!` paragraph: {undocumented:?}"
    );
}
