//! A small fluent helper for CLI tests: write files into a temporary directory, run `imgcost`
//! there, and assert on the exit code and output.
//!
//! ```ignore
//! Test::new().file("imgcost.yaml", MANIFEST).args(["check"]).run().status(0).stdout_has("passed");
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    removed_env: Vec<String>,
}

pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    pub fn new() -> Self {
        Self {
            // Not `.tmp…`: a manifest without `project:` takes the folder's name, which must be
            // a valid project name.
            dir: tempfile::Builder::new()
                .prefix("imgcost-test-")
                .tempdir()
                .expect("temp dir"),
            args: Vec::new(),
            env: Vec::new(),
            // GitHub's repository variables name the repository in SARIF; tests name their own.
            removed_env: vec![
                "GITHUB_ACTIONS".into(),
                "NO_COLOR".into(),
                "GITHUB_SERVER_URL".into(),
                "GITHUB_REPOSITORY".into(),
            ],
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders) relative to the test directory.
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, contents).expect("write");
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn run(&self) -> Output {
        run_in(self.dir.path(), &self.args, &self.env, &self.removed_env)
    }
}

/// Runs the binary in `dir` with a fixed `--as-of` unless the arguments give one.
pub fn run_in(
    dir: &Path,
    args: &[String],
    env: &[(String, String)],
    removed_env: &[String],
) -> Output {
    let mut command = Command::new(binary());
    command.current_dir(dir).args(args);
    for key in removed_env {
        command.env_remove(key);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("run imgcost");
    Output {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The executable under test: this build's, or another one named by `IMGCOST_TEST_BINARY`
/// (to watch a new test fail on an older build).
pub fn binary() -> PathBuf {
    std::env::var_os("IMGCOST_TEST_BINARY").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_imgcost")),
        PathBuf::from,
    )
}

/// `check TARGET` as the golden tests run it: a fixed date, no colour, one format.
pub fn check_args(target: &str, format: &str) -> Vec<String> {
    [
        "check",
        target,
        "--as-of",
        "2026-11-25",
        "--color",
        "never",
        "--format",
        format,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// The repository root, for fixtures and examples.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Leaves in the working tree of the repository at `dir` only what `patterns` name (git's
/// sparse checkout, without cones): git still tracks the rest, in its index.
pub fn sparse_checkout(dir: &Path, patterns: &[&str]) {
    let mut args = vec!["sparse-checkout", "set", "--no-cone"];
    args.extend_from_slice(patterns);
    git(dir, &args);
}

/// Runs git in `dir` and returns its output, failing the test when git fails. Names, dates and
/// configuration are fixed, so that a commit's hash (which reports print) is the same on every
/// machine.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let date = "2026-11-01T12:00:00+00:00";
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@t")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@t")
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

impl Output {
    #[track_caller]
    pub fn status(&self, code: i32) -> &Self {
        assert_eq!(
            self.status, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}
