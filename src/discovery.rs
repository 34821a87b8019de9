//! Finding the manifests to check under the paths given on the command line.
//!
//! Directories are walked with `ignore` (so `.gitignore`, `.ignore` and `.git/info/exclude` are
//! honoured, as in ripgrep) and every file named `imgcost.yaml`, `imgcost.yml`, `*.imgcost.yaml`
//! or `*.imgcost.yml` is a manifest. A file named on the command line is always checked, whatever
//! its name. Nothing is skipped silently: a symbolic link that leaves the scanned tree, a
//! directory named like a manifest, or an unreadable folder each become an IC005 finding.

use std::path::{Component, Path, PathBuf};

use std::sync::{Mutex, PoisonError};

use ignore::{DirEntry, WalkBuilder, WalkState};

use crate::{Diagnostic, Error, file_reader};

/// A manifest file to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestPath {
    pub path: PathBuf,
    /// Relative to the working directory, with `/`.
    pub display: String,
    /// The name of the folder holding the manifest (the default `project`).
    pub folder: String,
}

/// What discovery found: manifests, and findings about paths it could not take.
#[derive(Debug, Default)]
pub struct Discovered {
    pub manifests: Vec<ManifestPath>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether a file name is a manifest's.
#[must_use]
pub fn is_manifest_name(name: &str) -> bool {
    matches!(name, "imgcost.yaml" | "imgcost.yml")
        || name.ends_with(".imgcost.yaml")
        || name.ends_with(".imgcost.yml")
}

/// Finds manifests under `paths` (the working directory when empty), relative to `cwd`.
///
/// # Errors
/// [`Error::MissingPath`] when a path given does not exist.
pub fn discover(paths: &[PathBuf], cwd: &Path) -> Result<Discovered, Error> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut found = Discovered::default();
    for given in paths {
        let absolute = cwd.join(given);
        let metadata =
            std::fs::symlink_metadata(&absolute).map_err(|_| Error::MissingPath(given.clone()))?;
        if metadata.is_dir() {
            walk(&absolute, cwd, &mut found);
        } else {
            found.manifests.push(manifest_path(&absolute, cwd));
        }
    }
    found.manifests.sort_by(|a, b| a.display.cmp(&b.display));
    found.manifests.dedup_by(|a, b| a.display == b.display);
    Ok(found)
}

fn walk(root: &Path, cwd: &Path, found: &mut Discovered) {
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .threads(std::thread::available_parallelism().map_or(2, usize::from))
        .build_parallel();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let results = Mutex::new(Discovered::default());
    walker.run(|| {
        let results = &results;
        let canonical_root = &canonical_root;
        Box::new(move |entry| {
            let mut local = Discovered::default();
            visit(entry, root, cwd, canonical_root, &mut local);
            if !local.manifests.is_empty() || !local.diagnostics.is_empty() {
                let mut results = results.lock().unwrap_or_else(PoisonError::into_inner);
                results.manifests.append(&mut local.manifests);
                results.diagnostics.append(&mut local.diagnostics);
            }
            WalkState::Continue
        })
    });
    let mut results = results.into_inner().unwrap_or_else(PoisonError::into_inner);
    found.manifests.append(&mut results.manifests);
    // Walk order varies between threads; report order is fixed by sorting.
    results
        .diagnostics
        .sort_by(|a, b| a.primary.file.path().cmp(b.primary.file.path()));
    found.diagnostics.append(&mut results.diagnostics);
}

/// One entry of the walk: a manifest, a finding, or nothing.
fn visit(
    entry: Result<DirEntry, ignore::Error>,
    root: &Path,
    cwd: &Path,
    canonical_root: &Path,
    found: &mut Discovered,
) {
    let entry = match entry {
        Ok(entry) => entry,
        Err(error) => {
            let display = error_path(&error)
                .map_or_else(|| display_path(root, cwd), |p| display_path(&p, cwd));
            found.diagnostics.push(file_reader::unreadable(
                &display,
                &strip_path_prefix(&error.to_string()),
            ));
            return;
        }
    };
    if !is_manifest_name(&entry.file_name().to_string_lossy()) {
        return;
    }
    let Some(file_type) = entry.file_type() else {
        return;
    };
    let path = entry.path();
    if file_type.is_dir() {
        found.diagnostics.push(file_reader::unreadable(
            &display_path(path, cwd),
            "it is a directory named like a manifest",
        ));
    } else if file_type.is_symlink() {
        match path.canonicalize() {
            Ok(target) if target.starts_with(canonical_root) => found.manifests.push(manifest_path(path, cwd)),
            Ok(target) => found.diagnostics.push(file_reader::unreadable(
                &display_path(path, cwd),
                &format!("it is a symbolic link to {}, outside the scanned tree; imgcost does not follow it", target.display()),
            )),
            Err(error) => found.diagnostics.push(file_reader::unreadable(&display_path(path, cwd), &format!("broken symbolic link ({error})"))),
        }
    } else {
        found.manifests.push(manifest_path(path, cwd));
    }
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn strip_path_prefix(message: &str) -> String {
    message
        .rsplit_once(": ")
        .map_or(message, |(_, reason)| reason)
        .to_owned()
}

fn manifest_path(path: &Path, cwd: &Path) -> ManifestPath {
    ManifestPath {
        path: path.to_path_buf(),
        display: display_path(path, cwd),
        folder: crate::printable(&folder_name(path, cwd)).into_owned(),
    }
}

/// The name of the folder holding `path`, read from the path itself; only a path that ends in
/// `.` or `..` (or has no folder) needs the file system to resolve it.
fn folder_name(path: &Path, cwd: &Path) -> String {
    let parent = cwd.join(path.parent().unwrap_or_else(|| Path::new("")));
    match parent.components().next_back() {
        Some(Component::Normal(name)) => name.to_string_lossy().into_owned(),
        _ => parent
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "root".to_owned()),
    }
}

/// A path relative to `cwd` when it is inside it, with `/` separators and no `./`.
#[must_use]
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = path.strip_prefix(cwd).unwrap_or(path);
    let parts: Vec<String> = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = parts.join("/");
    if relative.is_absolute() {
        format!("/{}", joined.trim_start_matches('/'))
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_names() {
        for name in [
            "imgcost.yaml",
            "imgcost.yml",
            "hero.imgcost.yaml",
            "a.imgcost.yml",
        ] {
            assert!(is_manifest_name(name), "{name}");
        }
        for name in ["imgcost.json", "my-imgcost.yaml", "policy.yaml"] {
            assert!(!is_manifest_name(name), "{name}");
        }
    }

    #[test]
    fn walks_honouring_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("apps/web")).unwrap();
        std::fs::create_dir_all(root.join("node_modules/x")).unwrap();
        std::fs::write(root.join(".gitignore"), "node_modules/\n").unwrap();
        std::fs::write(root.join("apps/web/imgcost.yaml"), "").unwrap();
        std::fs::write(root.join("apps/hero.imgcost.yml"), "").unwrap();
        std::fs::write(root.join("node_modules/x/imgcost.yaml"), "").unwrap();
        let found = discover(&[], root).unwrap();
        let displays: Vec<_> = found.manifests.iter().map(|m| m.display.as_str()).collect();
        assert_eq!(displays, ["apps/hero.imgcost.yml", "apps/web/imgcost.yaml"]);
        assert_eq!(found.manifests[1].folder, "web");
        assert!(found.diagnostics.is_empty());
    }

    #[test]
    fn missing_paths_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            discover(&[PathBuf::from("nope")], dir.path()),
            Err(Error::MissingPath(_))
        ));
    }
}
