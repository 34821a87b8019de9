//! `imgcost init`: the files a repository needs to start, written all at once or not at all.
//!
//! A starter manifest, the example GitHub workflow, a `.pre-commit-config.yaml` and an example
//! policy test fixture, each the same text as the shipped examples (`examples/starter/imgcost.yaml`,
//! `examples/github/`, `examples/pre-commit-config.yaml`, `examples/policy-tests/`), so that what `init` writes is checked by the test suite
//! like every example. An existing file is never overwritten.

use std::path::{Path, PathBuf};

use crate::foundation::Error;

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
    (
        ".pre-commit-config.yaml",
        include_str!("../../examples/pre-commit-config.yaml"),
    ),
    (
        ".imgcost/tests/over-budget.yaml",
        include_str!("../../examples/policy-tests/over-budget.yaml"),
    ),
    (
        ".imgcost/tests/over-budget.expect.yaml",
        include_str!("../../examples/policy-tests/over-budget.expect.yaml"),
    ),
];

/// Writes the starter files into `dir`.
///
/// # Errors
/// [`Error::Usage`] naming the files that already exist (nothing is written then), or an I/O
/// error.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let existing: Vec<String> = FILES
        .iter()
        .filter(|(path, _)| dir.join(path).exists())
        .map(|(path, _)| (*path).to_owned())
        .collect();
    if !existing.is_empty() {
        return Err(Error::Usage(format!(
            "{} already exist{}; nothing was written (imgcost init never overwrites)",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        )));
    }
    let mut written = Vec::new();
    for (path, text) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, text)?;
        written.push(PathBuf::from(path));
    }
    Ok(written)
}
