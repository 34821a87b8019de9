//! Reading files as they are at a git revision, without touching the working tree.
//!
//! `diff --base` and `--policy-ref` need old versions of files. Contents are read through one
//! long-lived `git cat-file --batch` process (never one process per file), and the file list
//! through one `git ls-tree`. Nothing is fetched: a revision that is not in the clone (a
//! shallow CI checkout) is an error that says what to fetch.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::Error;
use crate::file_reader::MAX_FILE_BYTES;

fn git(cwd: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(cwd)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null());
    command
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
    let hint = if shallow {
        format!(
            "this clone is shallow; fetch the base first, e.g. `git fetch --no-tags --depth=1 origin {revision}` (or check out with fetch-depth: 0)"
        )
    } else {
        format!("fetch it first, e.g. `git fetch origin {revision}`")
    };
    Err(Error::Git(format!(
        "revision `{revision}` is not in this clone; {hint}"
    )))
}

/// Runs git with `args` followed by the pathspecs `paths` (all of `cwd` when empty) and returns
/// its standard output; a failure carries git's own message.
fn run_on_paths(cwd: &Path, args: &[&str], paths: &[String]) -> Result<Vec<u8>, Error> {
    let output = git(cwd)
        .args(args)
        .args(if paths.is_empty() {
            vec![".".to_owned()]
        } else {
            paths.to_vec()
        })
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
    /// Relative to the directory git ran in, with `/`.
    pub path: String,
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
            let entry = String::from_utf8_lossy(entry);
            let (meta, path) = entry.split_once('\t')?;
            let mut meta = meta.split(' ');
            let (mode, kind) = (meta.next()?, meta.next()?);
            (kind == "blob").then(|| TreeFile {
                path: path.to_owned(),
                symlink: mode == "120000",
            })
        })
        .collect())
}

/// The files under `paths` (relative to `cwd`) whose content differs between `commit` and the
/// working tree, relative to `cwd`.
///
/// # Errors
/// When git fails.
pub fn changed_files(
    cwd: &Path,
    commit: &str,
    paths: &[String],
) -> Result<std::collections::HashSet<String>, Error> {
    let args = [
        "diff",
        "--name-only",
        "--no-renames",
        "--relative",
        "-z",
        commit,
        "--",
    ];
    let stdout = run_on_paths(cwd, &args, paths)?;
    Ok(stdout
        .split(|b| *b == 0)
        .filter(|entry| !entry.is_empty())
        .map(|entry| String::from_utf8_lossy(entry).into_owned())
        .collect())
}

/// One `git cat-file --batch` process answering many reads.
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
            .args(["cat-file", "--batch"])
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
    /// `None` when it does not exist there. Contents beyond the file-size cap are not kept (the
    /// reader then reports the file as too large).
    ///
    /// # Errors
    /// When the process fails or answers out of protocol.
    pub fn read(&mut self, object: &str) -> Result<Option<Vec<u8>>, Error> {
        if object.contains('\n') {
            return Ok(None);
        }
        let broken = |e: std::io::Error| Error::Git(format!("git cat-file failed: {e}"));
        writeln!(self.stdin, "{object}")
            .and_then(|()| self.stdin.flush())
            .map_err(broken)?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).map_err(broken)?;
        let header = header.trim_end();
        if header.ends_with(" missing") || header.ends_with(" ambiguous") || header.is_empty() {
            return Ok(None);
        }
        let mut parts = header.split(' ');
        let (_, kind, size) = (parts.next(), parts.next(), parts.next());
        let size: u64 = size
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| Error::Git(format!("unexpected git cat-file answer `{header}`")))?;
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
        if kind != Some("blob") {
            return Ok(None);
        }
        Ok(Some(bytes))
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
pub fn show(cwd: &Path, revision: &str, path: &Path) -> Result<Option<Vec<u8>>, Error> {
    let commit = resolve(cwd, revision)?;
    let relative = path.to_string_lossy().replace('\\', "/");
    let object = if relative.starts_with('/') {
        format!("{commit}:{relative}")
    } else {
        format!("{commit}:./{relative}")
    };
    CatFile::spawn(cwd)?.read(&object)
}
