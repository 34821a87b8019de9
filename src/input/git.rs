//! Reading what git knows, without touching the working tree: the repository holding a folder,
//! the files it tracks (and the untracked ones it does not ignore), and files as they are at a
//! revision.
//!
//! Discovery inside a repository follows git, not ignore files: a `.ignore` or `.gitignore` in
//! the change being judged must not hide a tracked manifest. `diff --base` and `--policy-ref`
//! need old versions of files; their contents are read through one long-lived
//! `git cat-file --batch --follow-symlinks` process (never one process per file), which resolves
//! a symbolic link inside the tree as the working tree does and reports one that leaves it.
//! Nothing is fetched: a revision that is not in the clone (a shallow CI checkout) is an error
//! that says what to fetch. Every pathspec is literal (`GIT_LITERAL_PATHSPECS`), so a file named
//! `:(glob)*` is a name, not a pattern.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::foundation::Error;
use crate::input::file_reader::MAX_FILE_BYTES;

fn git(cwd: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(cwd)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_LITERAL_PATHSPECS", "1")
        .stdin(Stdio::null());
    command
}

/// The commit checked out in the repository at `root`, when there is one.
#[must_use]
pub fn head_commit(root: &Path) -> Option<String> {
    let output = git(root)
        .args(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
        .output()
        .ok()?;
    let commit = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && commit.len() >= 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some(commit)
}

/// The `origin` remote of the repository at `root` as an `https://` address without
/// credentials, query or fragment (a CI clone often carries a token in it), when it is an
/// `http(s)://` URL or an `scp`-like `git@host:owner/name` address.
#[must_use]
pub fn origin_address(root: &Path) -> Option<String> {
    let output = git(root)
        .args(["config", "--get", "remote.origin.url"])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    public_address(String::from_utf8(output.stdout).ok()?.trim())
}

/// A remote URL as an address that can be published: `https://host/path`, never with the user
/// or password part; `None` for anything else (a local path, `file://`, an odd scheme).
#[must_use]
pub fn public_address(url: &str) -> Option<String> {
    let (host_and_path, scheme) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, "https")
    } else if let Some(rest) = url.strip_prefix("http://") {
        (rest, "http")
    } else if let Some(rest) = url.strip_prefix("ssh://") {
        (rest, "https")
    } else if let Some((user_host, path)) = url.split_once(':')
        && !user_host.contains('/')
        && user_host.contains('@')
        && !path.starts_with('/')
    {
        let host = user_host.rsplit('@').next()?;
        return public_address(&format!("https://{host}/{path}"));
    } else {
        return None;
    };
    let end = host_and_path
        .find(['?', '#'])
        .unwrap_or(host_and_path.len());
    let host_and_path = &host_and_path[..end];
    let (authority, path) = host_and_path.split_once('/').unwrap_or((host_and_path, ""));
    let host = authority.rsplit('@').next()?;
    // A port of an ssh address means nothing over https.
    let host = if scheme == "https" && url.starts_with("ssh://") {
        host.split(':').next()?
    } else {
        host
    };
    let printable = |text: &str| text.chars().all(|c| c.is_ascii_graphic());
    if host.is_empty() || !printable(host) || !printable(path) {
        return None;
    }
    Some(format!("{scheme}://{host}/{path}"))
}

/// `text` quoted for a POSIX shell, so that a hint can be pasted as it is whatever the text
/// holds (a revision comes from the command line or the event, and is shown in help).
#[must_use]
pub fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@^~+=".contains(&b));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The top folder of the work tree holding `dir` (canonical), or `None` outside any
/// repository.
///
/// # Errors
/// When `dir` lies inside a repository (a `.git` in it or above it) but git cannot answer:
/// git is missing, or refuses the repository (e.g. "dubious ownership"). Walking such a tree
/// without git would let ignore files decide what the gate sees, so the run fails instead.
pub fn work_tree_root(dir: &Path) -> Result<Option<PathBuf>, Error> {
    let inside_repository = || dir.ancestors().any(|folder| folder.join(".git").exists());
    // Nothing to ask git where it would find nothing: no `.git` in `dir` or above it, and no
    // `GIT_DIR` naming a repository elsewhere. Starting git is a few milliseconds, a third of
    // a check of one manifest.
    if std::env::var_os("GIT_DIR").is_none() && !inside_repository() {
        return Ok(None);
    }
    let output = git(dir)
        .args(["rev-parse", "--show-toplevel"])
        .stderr(Stdio::piped())
        .output();
    match output {
        Ok(output) if output.status.success() => {
            let top = String::from_utf8_lossy(&output.stdout)
                .trim_end()
                .to_owned();
            let top = PathBuf::from(top);
            Ok(Some(top.canonicalize().unwrap_or(top)))
        }
        Ok(output) if inside_repository() => Err(Error::Git(format!(
            "{} is inside a git repository, but git refused it: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ))),
        Err(error) if inside_repository() => Err(Error::Git(format!(
            "{} is inside a git repository, but git cannot run ({error}); imgcost needs git to \
             know which files the repository tracks",
            dir.display()
        ))),
        _ => Ok(None),
    }
}

/// A file of the work tree as git lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Relative to the top of the work tree, exactly as git names it (any bytes).
    pub path: PathBuf,
    /// Tracked (else untracked and not ignored).
    pub tracked: bool,
    /// Tracked but outside a sparse checkout: not in the working tree, read from the index.
    pub skip_worktree: bool,
    /// A submodule (a commit of another repository), whose files git does not list here.
    pub submodule: bool,
}

/// The files under `pathspecs` (relative to `root`, the top of the work tree) that git tracks,
/// and the untracked ones that the repository's own `.gitignore` files do not ignore, sorted
/// and without repeats. Only committed ignore rules count for untracked files (not
/// `.git/info/exclude` or the user's global excludes), so every machine sees the same set; no
/// ignore rule drops a tracked file.
///
/// # Errors
/// When git fails.
pub fn work_tree_files(root: &Path, pathspecs: &[PathBuf]) -> Result<Vec<Listed>, Error> {
    let stdout = run_on_paths(
        root,
        &[
            "ls-files",
            "-z",
            "-t",
            "-s",
            "--full-name",
            "--cached",
            "--others",
            "--exclude-per-directory=.gitignore",
            "--",
        ],
        pathspecs,
    )?;
    let mut files: Vec<Listed> = stdout
        .split(|b| *b == 0)
        .filter_map(|entry| {
            // `? path` untracked; `T mode object stage<TAB>path` tracked, where `T` is `H`, or
            // `S` outside a sparse checkout, and mode 160000 is a submodule.
            let tag = *entry.first()?;
            if tag == b'?' {
                return Some(Listed {
                    path: path_of_bytes(entry.get(2..)?),
                    tracked: false,
                    skip_worktree: false,
                    submodule: false,
                });
            }
            let tab = entry.iter().position(|b| *b == b'\t')?;
            Some(Listed {
                path: path_of_bytes(&entry[tab + 1..]),
                tracked: true,
                skip_worktree: tag == b'S',
                submodule: entry.get(2..8) == Some(b"160000".as_slice()),
            })
        })
        .collect();
    // An unmerged path is listed once per stage.
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    Ok(files)
}

/// Whether git tracks the file at `relative` (to `root`).
///
/// # Errors
/// When git fails.
pub fn is_tracked(root: &Path, relative: &Path) -> Result<bool, Error> {
    let stdout = run_on_paths(
        root,
        &["ls-files", "-z", "--cached", "--"],
        &[relative.to_path_buf()],
    )?;
    Ok(!stdout.is_empty())
}

/// A path from git's own bytes: exactly those bytes where paths are bytes (Unix), else read as
/// UTF-8 (git writes UTF-8 paths elsewhere).
#[cfg(unix)]
fn path_of_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_of_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Reads a tracked file from the index (`:path`, relative to `root`): a file outside a sparse
/// checkout is judged as committed.
///
/// # Errors
/// When git fails.
pub fn read_from_index(root: &Path, relative: &Path) -> Result<Object, Error> {
    let mut cat = CatFile::spawn(root)?;
    let mut object = b":".to_vec();
    object.extend_from_slice(relative.as_os_str().as_encoded_bytes());
    cat.read_bytes(&object)
}

/// Resolves a revision to its commit id.
///
/// # Errors
/// When git is missing, `cwd` is not in a repository, or the revision is not in the clone.
pub fn resolve(cwd: &Path, revision: &str) -> Result<String, Error> {
    let output = git(cwd)
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{revision}^{{commit}}"),
        ])
        .output()
        .map_err(|e| Error::Git(format!("cannot run git: {e}")))?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned());
    }
    let inside = git(cwd)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !inside {
        return Err(Error::Git(format!(
            "{} is not inside a git repository",
            cwd.display()
        )));
    }
    let shallow = git(cwd)
        .args(["rev-parse", "--is-shallow-repository"])
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"true"));
    let fetch = fetch_command(revision, shallow);
    let hint = if shallow {
        format!(
            "this clone is shallow; fetch the base first, e.g. `{fetch}` (or check out with fetch-depth: 0)"
        )
    } else {
        format!("fetch it first, e.g. `{fetch}`")
    };
    let message = format!("revision `{revision}` is not in this clone; {hint}");
    Err(Error::Git(
        crate::foundation::printable(&message).into_owned(),
    ))
}

/// A `git fetch` that brings `revision` into the clone: a remote-tracking name is fetched into
/// its own ref (`git fetch origin origin/main` would ask the remote for a branch named
/// `origin/main`), anything else (a commit id, a branch) as it is.
fn fetch_command(revision: &str, shallow: bool) -> String {
    let depth = if shallow { " --depth=1" } else { "" };
    match revision.strip_prefix("origin/") {
        Some(branch) => format!(
            "git fetch --no-tags{depth} origin {}",
            shell_quote(&format!(
                "+refs/heads/{branch}:refs/remotes/origin/{branch}"
            ))
        ),
        None => format!(
            "git fetch --no-tags{depth} origin {}",
            shell_quote(revision)
        ),
    }
}

/// Runs git with `args` followed by the pathspecs `paths` (all of `cwd` when empty) and returns
/// its standard output; a failure carries git's own message.
fn run_on_paths<P: AsRef<std::ffi::OsStr>>(
    cwd: &Path,
    args: &[&str],
    paths: &[P],
) -> Result<Vec<u8>, Error> {
    let mut command = git(cwd);
    command.args(args);
    if paths.is_empty() {
        command.arg(".");
    } else {
        command.args(paths);
    }
    let output = command
        .output()
        .map_err(|e| Error::Git(format!("cannot run git: {e}")))?;
    if !output.status.success() {
        return Err(Error::Git(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    Ok(output.stdout)
}

/// A file of a tree at some revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    /// Relative to the directory git ran in, with `/` (invalid UTF-8 replaced, for display).
    pub path: String,
    /// The same path exactly as git names it, for reading.
    pub raw: PathBuf,
    /// A symbolic link (mode 120000), whose blob is the link's target, not a file's text.
    pub symlink: bool,
}

/// The files under `paths` (relative to `cwd`; all of `cwd` when empty) at `commit`.
///
/// # Errors
/// When git fails.
pub fn list_files(cwd: &Path, commit: &str, paths: &[String]) -> Result<Vec<TreeFile>, Error> {
    let stdout = run_on_paths(cwd, &["ls-tree", "-r", "-z", commit, "--"], paths)?;
    Ok(stdout
        .split(|b| *b == 0)
        .filter_map(|entry| {
            let tab = entry.iter().position(|b| *b == b'\t')?;
            let (meta, path) = (String::from_utf8_lossy(&entry[..tab]), &entry[tab + 1..]);
            let mut meta = meta.split(' ');
            let (mode, kind) = (meta.next()?, meta.next()?);
            (kind == "blob").then(|| TreeFile {
                path: String::from_utf8_lossy(path).into_owned(),
                raw: path_of_bytes(path),
                symlink: mode == "120000",
            })
        })
        .collect())
}

/// The files under `paths` (relative to `cwd`) that differ between `commit` and the working
/// tree, and the ones git sees as renamed, as git's rename detection pairs them.
#[derive(Debug, Default)]
pub struct Changes {
    /// Paths, relative to `cwd`, whose content differs (both names of a renamed file).
    pub changed: HashSet<String>,
    /// A renamed file's path at `commit` → its path in the working tree.
    pub renamed: HashMap<String, String>,
}

/// What changed under `paths` (relative to `cwd`; all of `cwd` when empty) since `commit`.
///
/// # Errors
/// When git fails.
pub fn changes(cwd: &Path, commit: &str, paths: &[String]) -> Result<Changes, Error> {
    let args = [
        "diff",
        "--name-status",
        "--find-renames",
        "--relative",
        "-z",
        commit,
        "--",
    ];
    let stdout = run_on_paths(cwd, &args, paths)?;
    let mut fields = stdout
        .split(|b| *b == 0)
        .map(|field| String::from_utf8_lossy(field).into_owned());
    let mut changes = Changes::default();
    while let Some(status) = fields.next() {
        if status.is_empty() {
            continue;
        }
        let Some(path) = fields.next() else {
            break;
        };
        // Renames and copies carry two paths: where it was, and where it is.
        if status.starts_with(['R', 'C']) {
            let Some(new) = fields.next() else {
                break;
            };
            if status.starts_with('R') {
                changes.renamed.insert(path.clone(), new.clone());
            }
            changes.changed.insert(new);
        }
        changes.changed.insert(path);
    }
    Ok(changes)
}

/// The files (relative to `root`, the top of the work tree) that differ from `commit` in the
/// working tree, and the untracked ones the committed `.gitignore` files do not ignore.
///
/// # Errors
/// When git fails.
pub fn changed_since(root: &Path, commit: &str) -> Result<HashSet<String>, Error> {
    let tracked = run_on_paths(
        root,
        &["diff", "--name-only", "--no-renames", "-z", commit, "--"],
        &[] as &[&str],
    )?;
    let untracked = run_on_paths(
        root,
        &[
            "ls-files",
            "-z",
            "--full-name",
            "--others",
            "--exclude-per-directory=.gitignore",
            "--",
        ],
        &[] as &[&str],
    )?;
    Ok(tracked
        .split(|b| *b == 0)
        .chain(untracked.split(|b| *b == 0))
        .filter(|entry| !entry.is_empty())
        .map(|entry| String::from_utf8_lossy(entry).into_owned())
        .collect())
}

/// What a path names at a revision, as `git cat-file --follow-symlinks` resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Object {
    /// A file's contents (through any symbolic links inside the tree). Contents beyond the
    /// file-size cap are not kept (the reader then reports the file as too large).
    File(Vec<u8>),
    /// Nothing there (or a link to nothing).
    Missing,
    /// A symbolic link whose target leaves the tree; its target is not shown.
    LinkOutside,
    /// A symbolic link to nothing: not an absent file, a broken one.
    Dangling,
    /// A folder, a submodule or a link loop: nothing a reader could take as a file.
    NotAFile,
}

/// One `git cat-file --batch --follow-symlinks` process answering many reads.
pub struct CatFile {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl CatFile {
    /// Starts the process in `cwd`.
    ///
    /// # Errors
    /// When git cannot be started.
    pub fn spawn(cwd: &Path) -> Result<Self, Error> {
        let mut child = git(cwd)
            .args(["cat-file", "--batch", "--follow-symlinks"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::Git(format!("cannot run git: {e}")))?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| Error::Git("no stdin for git cat-file".to_owned()))?;
        let stdout = BufReader::new(
            child
                .stdout
                .take()
                .ok_or_else(|| Error::Git("no stdout for git cat-file".to_owned()))?,
        );
        Ok(Self {
            child,
            stdin,
            stdout,
        })
    }

    /// Reads `revision:path` (a path relative to the process's directory is written `./path`).
    ///
    /// # Errors
    /// When the process fails or answers out of protocol.
    pub fn read(&mut self, object: &str) -> Result<Object, Error> {
        self.read_bytes(object.as_bytes())
    }

    /// [`Self::read`] of an object name given as bytes (paths need not be UTF-8).
    ///
    /// # Errors
    /// As [`Self::read`].
    pub fn read_bytes(&mut self, object: &[u8]) -> Result<Object, Error> {
        if object.contains(&b'\n') {
            return Ok(Object::Missing);
        }
        let broken = |e: std::io::Error| Error::Git(format!("git cat-file failed: {e}"));
        self.stdin
            .write_all(object)
            .and_then(|()| self.stdin.write_all(b"\n"))
            .and_then(|()| self.stdin.flush())
            .map_err(broken)?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).map_err(broken)?;
        let header = header.trim_end();
        if header.ends_with(" missing") || header.ends_with(" ambiguous") || header.is_empty() {
            return Ok(Object::Missing);
        }
        let mut parts = header.split(' ');
        // `<id> <kind> <size>` for an object; `<what> <size>` when a link could not be followed.
        let (first, second, third) = (parts.next(), parts.next(), parts.next());
        let (kind, size) = match third {
            Some(size) => (second, size),
            None => (first, second.unwrap_or_default()),
        };
        let size: u64 = size
            .parse()
            .map_err(|_| Error::Git(format!("unexpected git cat-file answer `{header}`")))?;
        let kept = size.min(MAX_FILE_BYTES + 1);
        let mut bytes = Vec::with_capacity(usize::try_from(kept).unwrap_or(0));
        (&mut self.stdout)
            .take(kept)
            .read_to_end(&mut bytes)
            .map_err(broken)?;
        std::io::copy(
            &mut (&mut self.stdout).take(size - kept + 1),
            &mut std::io::sink(),
        )
        .map_err(broken)?;
        Ok(match kind {
            Some("blob") => Object::File(bytes),
            Some("symlink") => Object::LinkOutside,
            Some("dangling") => Object::Dangling,
            _ => Object::NotAFile,
        })
    }
}

impl Drop for CatFile {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads one file at a revision (`--policy-ref`).
///
/// # Errors
/// When the revision is not in the clone or git fails.
pub fn show(cwd: &Path, revision: &str, path: &Path) -> Result<Object, Error> {
    let commit = resolve(cwd, revision)?;
    CatFile::spawn(cwd)?.read(&object_name(&commit, path))
}

/// [`object_name`] as git's bytes, for a path that need not be UTF-8.
#[must_use]
pub fn object_name_bytes(commit: &str, path: &Path) -> Vec<u8> {
    let raw = path.as_os_str().as_encoded_bytes();
    let mut name = commit.as_bytes().to_vec();
    name.extend_from_slice(if raw.starts_with(b"/") { b":" } else { b":./" });
    name.extend_from_slice(raw.strip_prefix(b"./").unwrap_or(raw));
    name
}

/// Whether anything (a file, a folder, a submodule, a link) is at `path` in `commit`.
///
/// # Errors
/// When git fails.
pub fn exists_at(cwd: &Path, commit: &str, path: &Path) -> Result<bool, Error> {
    let stdout = run_on_paths(cwd, &["ls-tree", "-z", commit, "--"], &[path.to_path_buf()])?;
    Ok(!stdout.is_empty())
}

/// `commit:./path` for a path relative to the directory git runs in, `commit:/…` as it is.
#[must_use]
pub fn object_name(commit: &str, path: &Path) -> String {
    let relative = path.to_string_lossy().replace('\\', "/");
    if relative.starts_with('/') {
        format!("{commit}:{relative}")
    } else {
        format!("{commit}:./{}", relative.trim_start_matches("./"))
    }
}

#[cfg(test)]
mod tests {
    use super::public_address;

    #[test]
    fn remote_addresses_lose_their_credentials() {
        assert_eq!(
            public_address("https://x-access-token:ghs_secret@github.com/acme/shop.git").as_deref(),
            Some("https://github.com/acme/shop.git")
        );
        assert_eq!(
            public_address("git@github.com:acme/shop.git").as_deref(),
            Some("https://github.com/acme/shop.git")
        );
        assert_eq!(
            public_address("ssh://git@github.com:22/acme/shop").as_deref(),
            Some("https://github.com/acme/shop")
        );
        assert_eq!(
            public_address("https://github.com/acme/shop?token=x#y").as_deref(),
            Some("https://github.com/acme/shop")
        );
        assert_eq!(public_address("/srv/git/shop.git"), None);
        assert_eq!(public_address("file:///srv/git/shop.git"), None);
    }
}
