//! Finding the manifests to check under the paths given on the command line.
//!
//! Inside a git repository, the manifests are the files git tracks plus the untracked ones the
//! repository's own `.gitignore` files do not ignore (`git::work_tree_files`): an ignore file
//! in the change being judged cannot hide a committed manifest, and neither `.ignore` files nor
//! a user's global excludes make one machine see other files than another. `diff` lists the
//! base with `git ls-tree`, the same rule for a commit. Outside git, folders are walked with
//! `ignore` (honouring `.gitignore`, `.ignore` and `.git/info/exclude`, as ripgrep does).
//!
//! Every file named `imgcost.yaml`, `imgcost.yml`, `*.imgcost.yaml` or `*.imgcost.yml` is a
//! manifest. A file named on the command line is always checked, whatever its name. Nothing is
//! skipped silently: a symbolic link that leaves the scanned tree, a directory named like a
//! manifest, or an unreadable folder each become an IC005 finding. One file reached by two
//! paths is checked once.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use std::sync::{Mutex, PoisonError};

use ignore::{DirEntry, WalkBuilder, WalkState};

use crate::foundation::{Diagnostic, Error};

use crate::input::{Workspace, file_reader, git};

/// A manifest file to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestPath {
    pub path: PathBuf,
    /// Relative to the working directory, with `/`.
    pub display: String,
    /// The name of the folder holding the manifest (the default `project`).
    pub folder: String,
    /// Relative to the repository's top (the working directory outside git), with `/`: the
    /// manifest's place for policies that bind projects and exemptions to paths.
    pub place: String,
    /// Read from git's index instead of the working tree: the repository's top and the path
    /// relative to it, for a tracked file outside a sparse checkout.
    pub in_index: Option<(PathBuf, PathBuf)>,
    /// The manifest is a symbolic link. Its target can be a file the run itself writes (an
    /// `--output` report the change linked it to), so a report that draws it keeps its text
    /// rather than reading it again.
    pub linked: bool,
}

/// What discovery found: manifests, and findings about paths it could not take.
#[derive(Debug, Default)]
pub struct Discovered {
    pub manifests: Vec<ManifestPath>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Longest path of a manifest, as shown, in bytes.
pub const MAX_PATH_BYTES: usize = 512;

/// Whether a file name is a manifest's.
#[must_use]
pub fn is_manifest_name(name: &str) -> bool {
    matches!(name, "imgcost.yaml" | "imgcost.yml")
        || name.ends_with(".imgcost.yaml")
        || name.ends_with(".imgcost.yml")
}

/// Finds manifests under `paths` (the working directory when empty).
///
/// # Errors
/// [`Error::MissingPath`] when a path given does not exist; a git failure inside a repository.
pub fn discover(paths: &[PathBuf], workspace: &Workspace) -> Result<Discovered, Error> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let cwd = workspace.cwd.as_path();
    let mut found = Discovered::default();
    let mut repositories: Vec<PathBuf> = workspace.repository.iter().cloned().collect();
    for given in paths {
        let absolute = cwd.join(given);
        let metadata =
            std::fs::symlink_metadata(&absolute).map_err(|_| Error::MissingPath(given.clone()))?;
        // A path inside the repository must stay inside it through every link on the way
        // (`apps/` where `apps` links to `/`), whether it names a folder or a file.
        if let Err(reason) = workspace.confine(given) {
            found.diagnostics.push(file_reader::unreadable(
                &display_path(&absolute, cwd),
                &reason,
            ));
            continue;
        }
        if !absolute.is_dir() {
            // A file named on the command line is checked whatever its name.
            found.manifests.push(ManifestPath {
                linked: metadata.is_symlink(),
                ..manifest_path(&absolute, workspace)
            });
            continue;
        }
        let canonical = absolute.canonicalize()?;
        let repository = match repositories.iter().find(|r| canonical.starts_with(r)) {
            Some(repository) => Some(repository.clone()),
            None => git::work_tree_root(&canonical)?.inspect(|r| repositories.push(r.clone())),
        };
        let mut listed = Discovered::default();
        match repository {
            Some(repository) => list_from_git(&repository, &canonical, workspace, &mut listed)?,
            None => walk(&absolute, workspace, &mut listed),
        }
        // Walk order varies between threads; report order is fixed by sorting.
        listed
            .diagnostics
            .sort_by(|a, b| a.primary.file.path().cmp(b.primary.file.path()));
        found.manifests.append(&mut listed.manifests);
        found.diagnostics.append(&mut listed.diagnostics);
    }
    // A file's name is repeated in every finding and workflow of its report: one of kilobytes
    // would swell it by that much a line.
    found.manifests.retain(|manifest| {
        let fits = manifest.display.len() <= MAX_PATH_BYTES;
        if !fits {
            found.diagnostics.push(file_reader::unreadable(
                &manifest.display,
                &format!(
                    "its path is longer than {MAX_PATH_BYTES} bytes; move it somewhere shorter"
                ),
            ));
        }
        fits
    });
    found.manifests.sort_by(|a, b| a.display.cmp(&b.display));
    if paths.len() > 1 {
        // One directory entry named by two paths (`a/x.imgcost.yaml` and `a/../a/x.imgcost.yaml`,
        // or a folder and a link to it) is read once. A link to a manifest is another entry:
        // it is judged as itself, at its own place.
        let mut seen = HashSet::new();
        found
            .manifests
            .retain(|manifest| seen.insert(entry_key(&manifest.path)));
    }
    found.manifests.dedup_by(|a, b| a.display == b.display);
    Ok(found)
}

/// A directory entry's identity: its folder resolved, and its own name (not resolved).
fn entry_key(path: &Path) -> PathBuf {
    let folder = path
        .parent()
        .and_then(|parent| parent.canonicalize().ok())
        .unwrap_or_default();
    folder.join(path.file_name().unwrap_or_default())
}

/// The manifests git knows under `folder` (canonical, inside `repository`).
fn list_from_git(
    repository: &Path,
    folder: &Path,
    workspace: &Workspace,
    found: &mut Discovered,
) -> Result<(), Error> {
    let pathspec = folder.strip_prefix(repository).unwrap_or(folder);
    let pathspec = if pathspec.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        pathspec.to_path_buf()
    };
    for listed in git::work_tree_files(repository, &[pathspec])? {
        if listed.submodule {
            submodule_manifests(repository, &listed.path, workspace, found)?;
            continue;
        }
        let name = listed
            .path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        if !is_manifest_name(&name) {
            continue;
        }
        let path = repository.join(&listed.path);
        let display = display_path(&path, &workspace.cwd);
        if listed.skip_worktree {
            let mut manifest = manifest_path(&path, workspace);
            manifest.in_index = Some((repository.to_path_buf(), listed.path));
            found.manifests.push(manifest);
            continue;
        }
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            // The index still has it: it was deleted by something other than the change's own
            // commits (an earlier step of the job, say), and the gate does not guess.
            found.diagnostics.push(file_reader::unreadable(
                &display,
                "git tracks it, but it is missing from the working tree; commit its deletion (`git rm`) or restore it",
            ));
            continue;
        };
        if metadata.is_dir() {
            found.diagnostics.push(file_reader::unreadable(
                &display,
                "it is a directory (or submodule) named like a manifest",
            ));
        } else if metadata.is_symlink() {
            match workspace.confine(&path) {
                Ok(()) => found.manifests.push(ManifestPath {
                    linked: true,
                    ..manifest_path(&path, workspace)
                }),
                Err(reason) => found
                    .diagnostics
                    .push(file_reader::unreadable(&display, &reason)),
            }
        } else {
            found.manifests.push(manifest_path(&path, workspace));
        }
    }
    Ok(())
}

/// A submodule is another repository: its files are not this one's, and git does not list them
/// here (nor at a base). A manifest inside one is said so, as an error, rather than skipped.
fn submodule_manifests(
    repository: &Path,
    submodule: &Path,
    workspace: &Workspace,
    found: &mut Discovered,
) -> Result<(), Error> {
    let folder = repository.join(submodule);
    if !folder.join(".git").exists() {
        // Not checked out: there is nothing of it here to judge.
        return Ok(());
    }
    for listed in git::work_tree_files(&folder, &[PathBuf::from(".")])? {
        let name = listed
            .path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        if is_manifest_name(&name) {
            found.diagnostics.push(file_reader::unreadable(
                &display_path(&folder.join(&listed.path), &workspace.cwd),
                "it is inside a submodule, another repository; imgcost checks this repository's files only (check the submodule in its own repository, or keep the manifest here)",
            ));
        }
    }
    Ok(())
}

fn walk(root: &Path, workspace: &Workspace, found: &mut Discovered) {
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
            visit(entry, root, workspace, canonical_root, &mut local);
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
    found.diagnostics.append(&mut results.diagnostics);
}

/// One entry of the walk: a manifest, a finding, or nothing.
fn visit(
    entry: Result<DirEntry, ignore::Error>,
    root: &Path,
    workspace: &Workspace,
    canonical_root: &Path,
    found: &mut Discovered,
) {
    let cwd = workspace.cwd.as_path();
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
            Ok(target) if target.starts_with(canonical_root) => found.manifests.push(ManifestPath { linked: true, ..manifest_path(path, workspace) }),
            Ok(_) => found.diagnostics.push(file_reader::unreadable(
                &display_path(path, cwd),
                "it is a symbolic link to a place outside the scanned tree; imgcost does not follow it",
            )),
            Err(error) => found.diagnostics.push(file_reader::unreadable(&display_path(path, cwd), &format!("broken symbolic link ({error})"))),
        }
    } else {
        found.manifests.push(manifest_path(path, workspace));
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

fn manifest_path(path: &Path, workspace: &Workspace) -> ManifestPath {
    let cwd = workspace.cwd.as_path();
    let display = display_path(path, cwd);
    // A path under the working directory shows without `..`: its place follows from its name.
    let place = if display.starts_with('/') || display.split('/').any(|part| part == "..") {
        workspace
            .root_relative(path)
            .unwrap_or_else(|| display.clone())
    } else {
        workspace.place_of_display(&display)
    };
    ManifestPath {
        path: path.to_path_buf(),
        folder: crate::foundation::printable(&folder_name(path, cwd)).into_owned(),
        display,
        place,
        in_index: None,
        linked: false,
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
        let found = discover(&[], &Workspace::detached(root)).unwrap();
        let displays: Vec<_> = found.manifests.iter().map(|m| m.display.as_str()).collect();
        assert_eq!(displays, ["apps/hero.imgcost.yml", "apps/web/imgcost.yaml"]);
        assert_eq!(found.manifests[1].folder, "web");
        assert!(found.diagnostics.is_empty());
    }

    #[test]
    fn missing_paths_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            discover(&[PathBuf::from("nope")], &Workspace::detached(dir.path())),
            Err(Error::MissingPath(_))
        ));
    }
}
