//! Where a run happens: the working directory, the git repository around it, and the rule for
//! which files a run may read.
//!
//! Everything in the repository belongs to the change being judged, symbolic links included. A
//! path that lies inside the repository may only be read if it still lies inside once every
//! link on the way is resolved, so that a committed `.imgcost/policy.yaml` pointing at
//! `~/.ssh/id_ed25519` is refused instead of quoted in an error. A path outside the repository
//! was chosen by whoever runs imgcost (`--policy /etc/org-policy.yaml`) and is read as given.
//! Outside any repository, the working directory plays the repository's part.

use std::path::{Component, Path, PathBuf};

use crate::foundation::Error;

use crate::input::git;

/// The working directory of a run and the repository holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// The working directory, canonical: paths on the command line are relative to it.
    pub cwd: PathBuf,
    /// The top of the git work tree holding `cwd`, canonical; `None` outside git.
    pub repository: Option<PathBuf>,
    /// `cwd` relative to [`Self::root`], with `/` (`""` when they are the same).
    cwd_in_root: String,
}

impl Workspace {
    /// The workspace of `cwd`.
    ///
    /// # Errors
    /// When `cwd` cannot be resolved, or lies in a repository git cannot read.
    pub fn at(cwd: &Path) -> Result<Self, Error> {
        let cwd = cwd.canonicalize()?;
        let repository = git::work_tree_root(&cwd)?;
        let cwd_in_root = repository
            .as_deref()
            .and_then(|root| cwd.strip_prefix(root).ok())
            .map(slashed)
            .unwrap_or_default();
        Ok(Self {
            cwd,
            repository,
            cwd_in_root,
        })
    }

    /// A workspace that is not inside git (tests, fuzzing, bytes from elsewhere).
    #[must_use]
    pub fn detached(cwd: &Path) -> Self {
        Self {
            cwd: cwd.to_path_buf(),
            repository: None,
            cwd_in_root: String::new(),
        }
    }

    /// The working directory relative to the root, `/`-separated; empty at the root.
    #[must_use]
    pub fn cwd_in_root(&self) -> &str {
        &self.cwd_in_root
    }

    /// The place (see [`Self::root_relative`]) of a file shown as `display`, a path relative to
    /// `cwd` with `/` and no `..`, without touching the file system.
    #[must_use]
    pub fn place_of_display(&self, display: &str) -> String {
        if self.cwd_in_root.is_empty() {
            display.to_owned()
        } else {
            [self.cwd_in_root.as_str(), "/", display].concat()
        }
    }

    /// `path`, written relative to the repository's top, as a path relative to `cwd`: a run
    /// from `services/chat` finds the repository's `.imgcost/policy.yaml` as
    /// `../../.imgcost/policy.yaml`, the same file CI reads from the top.
    #[must_use]
    pub fn from_root(&self, path: &str) -> PathBuf {
        let depth = self
            .cwd_in_root
            .split('/')
            .filter(|part| !part.is_empty())
            .count();
        let mut relative: PathBuf = std::iter::repeat_n("..", depth).collect();
        relative.push(path);
        relative
    }

    /// The folder that plays the repository's part: the work tree's top, else `cwd`.
    #[must_use]
    pub fn root(&self) -> &Path {
        self.repository.as_deref().unwrap_or(&self.cwd)
    }

    /// `path` (relative to `cwd`, or absolute) with `.` and `..` resolved by name only.
    #[must_use]
    pub fn lexical(&self, path: &Path) -> PathBuf {
        let mut resolved = PathBuf::new();
        for component in self.cwd.join(path).components() {
            match component {
                Component::CurDir => {}
                Component::ParentDir => {
                    resolved.pop();
                }
                other => resolved.push(other),
            }
        }
        resolved
    }

    /// The path of a file relative to [`Self::root`], with `/`, when it lies inside it. This is
    /// a manifest's place for policies that bind projects and exemptions to paths.
    #[must_use]
    pub fn root_relative(&self, path: &Path) -> Option<String> {
        let lexical = self.lexical(path);
        let relative = lexical.strip_prefix(self.root()).ok()?;
        Some(slashed(relative))
    }

    /// Checks that reading `path` stays where it claims to be: a path inside the repository
    /// must not lead outside it through a symbolic link. The reason never names the link's
    /// target, which may be a secret's path.
    ///
    /// # Errors
    /// Why the path may not be read.
    pub fn confine(&self, path: &Path) -> Result<(), String> {
        let lexical = self.lexical(path);
        if !lexical.starts_with(self.root()) {
            return Ok(());
        }
        match lexical.canonicalize() {
            Ok(target) if target == lexical => Ok(()),
            Ok(target) if target.starts_with(self.root()) => self.linked_inside(&target),
            Ok(_) => Err(crate::input::file_reader::LINK_OUTSIDE.to_owned()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Err("it does not exist (or is a broken symbolic link)".to_owned())
            }
            Err(error) => Err(error.to_string()),
        }
    }
}

/// A relative path's components joined with `/`.
fn slashed(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl Workspace {
    /// A link followed inside the repository must lead to what the repository holds: a file
    /// git tracks (not one an earlier step of the job wrote, such as a credentials file), and
    /// never into `.git` (whose `config` can hold a token).
    fn linked_inside(&self, target: &Path) -> Result<(), String> {
        let Some(repository) = &self.repository else {
            return Ok(());
        };
        if target.starts_with(repository.join(".git")) {
            return Err("it is a symbolic link into `.git`; imgcost does not follow it".to_owned());
        }
        if target.is_dir() {
            return Ok(());
        }
        let relative = target.strip_prefix(repository).unwrap_or(target);
        match git::is_tracked(repository, relative) {
            Ok(true) => Ok(()),
            Ok(false) => Err(
                "it is a symbolic link to a file git does not track; imgcost follows links only to tracked files"
                    .to_owned(),
            ),
            Err(error) => Err(error.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_paths_resolve_dots_by_name() {
        let workspace = Workspace::detached(Path::new("/repo/sub"));
        assert_eq!(
            workspace.lexical(Path::new("./a/../b/c.yaml")),
            PathBuf::from("/repo/sub/b/c.yaml")
        );
        assert_eq!(
            workspace.lexical(Path::new("../x")),
            PathBuf::from("/repo/x")
        );
        assert_eq!(
            workspace
                .root_relative(Path::new("a/imgcost.yaml"))
                .as_deref(),
            Some("a/imgcost.yaml")
        );
        assert_eq!(workspace.root_relative(Path::new("../x")), None);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_root_are_refused_without_naming_their_target() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("repo")).unwrap();
        std::fs::write(root.join("secret"), "key").unwrap();
        std::fs::write(root.join("repo/policy.yaml"), "name: x").unwrap();
        std::os::unix::fs::symlink(root.join("secret"), root.join("repo/out.yaml")).unwrap();
        std::os::unix::fs::symlink("policy.yaml", root.join("repo/in.yaml")).unwrap();
        std::os::unix::fs::symlink(&root, root.join("repo/up")).unwrap();
        let workspace = Workspace::detached(&root.join("repo"));
        assert_eq!(workspace.confine(Path::new("policy.yaml")), Ok(()));
        assert_eq!(workspace.confine(Path::new("in.yaml")), Ok(()));
        let refused = workspace.confine(Path::new("out.yaml")).unwrap_err();
        assert!(!refused.contains("secret"), "{refused}");
        assert!(workspace.confine(Path::new("up/secret")).is_err());
        // Outside the root, the path was chosen by whoever runs imgcost.
        assert_eq!(workspace.confine(&root.join("secret")), Ok(()));
    }
}
