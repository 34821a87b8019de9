//! The GitHub Action's scripts (`action/validate.sh`, `action/install.sh`, then `action/run.sh`
//! with `action/comment.sh`), run with bash as the runner would run the composite action's
//! steps: a temporary workspace that is a shallow clone of an "origin" repository with two
//! commits of manifests (so the base commit must be fetched, as after `actions/checkout`),
//! temporary `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_PATH`, `RUNNER_TEMP` and a
//! pull-request event in `GITHUB_EVENT_PATH`, the real `imgcost` on `PATH`, and a fake `gh`
//! first on `PATH` that records its arguments and answers as the GitHub API would: no comment
//! yet (POST), an existing marked comment (PATCH of that id, once GraphQL's viewer, the token's
//! own login, is its author), a marked comment by someone else (POST), or a read-only token
//! (403, so the comment goes to the job summary); for the prebuilt install it serves the
//! releases of a temporary folder, as a fake `curl` does without a token. A fake `cargo`
//! stands in for the build from source. Unix only: the scripts
//! are bash, the fakes are executable scripts.

#![cfg(unix)]

use crate::test::git;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The base commit: three workflows, no finding under the default policy ($1,609.12 a month).
const STOREFRONT: &str = "version: 1\nproject: storefront\nowner: \"@acme/web\"\ndefaults:\n  model: gpt-image-2\nworkflows:\n  product-hero:\n    request: {size: 1536x1024, quality: medium, n: 2}\n    volume: {requests_per_month: 12000, retry_rate: 0.05, accepted_fraction: 0.5}\n    inputs: {prompt_tokens: 350}\n    budget: {monthly_usd: 5000}\n  thumbnails:\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 40000, retry_rate: 0.02}\n    inputs: {prompt_tokens: 120}\n    budget: {monthly_usd: 300}\n";

const MARKETING: &str = "version: 1\nproject: marketing\nowner: \"@acme/growth\"\nworkflows:\n  banners:\n    model: gpt-image-2.5-flare\n    request: {size: 1024x1024, quality: medium}\n    volume: {requests_per_month: 20000}\n    budget: {monthly_usd: 300}\n";

/// What the pull request changes in the storefront manifest.
#[derive(Clone, Copy)]
enum Head {
    /// 41 000 thumbnails a month: $270.99 of a $300 budget, over the default policy's 90 %
    /// (IC204, a warning).
    Warning,
    /// Thumbnails at medium quality: $2,173.82 against a $300 budget (IC201, an error).
    Error,
}

impl Head {
    fn storefront(self) -> String {
        match self {
            Head::Warning => {
                STOREFRONT.replace("requests_per_month: 40000", "requests_per_month: 41000")
            }
            Head::Error => STOREFRONT.replace("quality: low}", "quality: medium}"),
        }
    }
}

/// How the fake gh answers.
#[derive(Clone, Copy)]
enum Gh {
    /// The pull request has no imgcost comment yet: listing finds none, POST succeeds.
    NoComment,
    /// Two pages of comments, the second with imgcost's marker (id 4242): PATCH succeeds.
    ExistingComment,
    /// A fork's read-only token: listing works, POST answers 403.
    ReadOnly,
    /// The only comment with the marker was written by someone else (mallory, id 6666).
    ForeignComment,
    /// imgcost's comment (id 4242), then a later one with the marker by someone else (6666).
    OwnThenForeignComment,
}

impl Gh {
    fn mode(self) -> &'static str {
        match self {
            Gh::NoComment => "none",
            Gh::ExistingComment => "existing",
            Gh::ReadOnly => "forbidden",
            Gh::ForeignComment => "foreign",
            Gh::OwnThenForeignComment => "own-then-foreign",
        }
    }
}

const FAKE_GH: &str = r#"#!/usr/bin/env bash
# Stand-in for the gh CLI: records its arguments and the token, keeps request bodies, and
# answers as the GitHub REST API would for the mode in FAKE_GH_MODE.
printf '%s\n' "$*" >>"$FAKE_GH_DIR/calls.log"
printf '%s\n' "${GH_TOKEN:-}" >>"$FAKE_GH_DIR/tokens.log"
printf 'GH_HOST=%s GH_ENTERPRISE_TOKEN=%s\n' "${GH_HOST:-}" "${GH_ENTERPRISE_TOKEN:-}" >>"$FAKE_GH_DIR/hosts.log"
if [[ $1 == release && $2 == download ]]; then
  # A published release is a folder FAKE_RELEASES/<tag>/ of assets: copy the ones asked for.
  tag=$3 dir= patterns=() found=0
  while (($#)); do
    case $1 in
      --dir) dir=$2; shift ;;
      --pattern) patterns+=("$2"); shift ;;
    esac
    shift
  done
  if [[ ! -d $FAKE_RELEASES/$tag ]]; then echo 'release not found' >&2; exit 1; fi
  for pattern in "${patterns[@]}"; do
    if [[ -f $FAKE_RELEASES/$tag/$pattern ]]; then
      cp "$FAKE_RELEASES/$tag/$pattern" "$dir/"
      found=1
    fi
  done
  if ((found == 0)); then echo 'no assets match the file pattern' >&2; exit 1; fi
  exit 0
fi
if [[ $1 == api && $2 == graphql ]]; then
  # The token's own account, as GraphQL's viewer gives it (FAKE_GH_VIEWER, or an error).
  if [[ -z ${FAKE_GH_VIEWER:-} ]]; then
    echo 'gh: Resource not accessible by integration (HTTP 403)' >&2
    exit 1
  fi
  jq -n --arg login "$FAKE_GH_VIEWER" '{data: {viewer: {login: $login}}}'
  exit 0
fi
method=GET
input=
while (($#)); do
  case $1 in
    --method | -X) method=$2; shift ;;
    --input) input=$2; shift ;;
  esac
  shift
done
if [[ -n $input ]]; then cp "$input" "$FAKE_GH_DIR/body-$method.json"; fi
case "$FAKE_GH_MODE:$method" in
  existing:GET)
    printf '%s\n' '[{"id":11,"body":"Looks good","user":{"login":"octocat"}}]'
    printf '%s\n' '[{"id":4242,"body":"<!-- imgcost:diff -->\nold figures","user":{"login":"github-actions[bot]"}},{"id":12,"body":"thanks","user":{"login":"octocat"}}]'
    ;;
  foreign:GET)
    printf '%s\n' '[{"id":6666,"body":"<!-- imgcost:diff -->\nno change, all good","user":{"login":"mallory"}}]'
    ;;
  own-then-foreign:GET)
    printf '%s\n' '[{"id":4242,"body":"<!-- imgcost:diff -->\nold figures","user":{"login":"github-actions[bot]"}}]'
    printf '%s\n' '[{"id":6666,"body":"<!-- imgcost:diff -->\nno change, all good","user":{"login":"mallory"}},{"id":12,"body":"thanks","user":{"login":"octocat"}}]'
    ;;
  *:GET) echo '[]' ;;
  forbidden:POST)
    echo 'gh: Resource not accessible by integration (HTTP 403)' >&2
    exit 1
    ;;
  *:POST) echo '{"id":5151,"html_url":"https://github.com/acme/shop/pull/7#issuecomment-5151"}' ;;
  *:PATCH) echo '{"id":4242,"html_url":"https://github.com/acme/shop/pull/7#issuecomment-4242"}' ;;
  *) echo "fake gh: unexpected $FAKE_GH_MODE:$method" >&2; exit 1 ;;
esac
"#;

/// Stand-in for curl: serves `https://github.com/acme/imgcost/releases/download/<tag>/<asset>`
/// from FAKE_RELEASES/<tag>/<asset>, and answers 404 (exit 22, as `curl -f`) for anything else.
const FAKE_CURL: &str = r#"#!/usr/bin/env bash
printf '%s\n' "$*" >>"$FAKE_GH_DIR/curl.log"
out= url=
while (($#)); do
  case $1 in
    -o) out=$2; shift ;;
    --proto | --retry | --max-filesize) shift ;;
    -*) ;;
    *) url=$1 ;;
  esac
  shift
done
path=${url#https://github.com/acme/imgcost/releases/download/}
if [[ $path == "$url" || ! -f $FAKE_RELEASES/$path ]]; then
  echo 'curl: (22) The requested URL returned error: 404' >&2
  exit 22
fi
cp "$FAKE_RELEASES/$path" "$out"
"#;

/// Stand-in for cargo: records its arguments and "installs" the real imgcost into `--root`.
const FAKE_CARGO: &str = r#"#!/usr/bin/env bash
printf '%s\n' "$*" >>"$FAKE_GH_DIR/cargo.log"
while (($#)); do
  if [[ $1 == --root ]]; then root=$2; fi
  shift
done
mkdir -p "$root/bin"
cp "$FAKE_IMGCOST" "$root/bin/imgcost"
"#;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// A simulated runner: the workspace, the runner's files and the fake gh.
struct Runner {
    dir: tempfile::TempDir,
    base: String,
    env: Vec<(String, String)>,
}

/// What one step printed and left behind.
struct Step {
    status: i32,
    stdout: String,
    stderr: String,
}

impl Step {
    #[track_caller]
    fn status(&self, code: i32) -> &Self {
        assert_eq!(
            self.status, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

impl Runner {
    /// "origin" holds the base and the head commits; the workspace is a depth-1 clone of the
    /// head, as `actions/checkout` leaves it, so the base commit is not in it.
    fn pull_request(head: Head, gh: Gh) -> Self {
        Self::pull_request_changing(
            &[
                ("storefront/imgcost.yaml", STOREFRONT.to_owned()),
                ("marketing/imgcost.yaml", MARKETING.to_owned()),
            ],
            &[("storefront/imgcost.yaml", head.storefront())],
            gh,
        )
    }

    /// A pull request whose base commit has the files BASE and whose head rewrites HEAD.
    fn pull_request_changing(base: &[(&str, String)], head: &[(&str, String)], gh: Gh) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let origin = dir.path().join("origin");
        for (path, text) in base {
            write(&origin.join(path), text);
        }
        git(&origin, &["init", "-q", "-b", "main"]);
        git(&origin, &["add", "."]);
        git(&origin, &["commit", "-qm", "base"]);
        let base = git(&origin, &["rev-parse", "HEAD"]);
        for (path, text) in head {
            write(&origin.join(path), text);
        }
        git(&origin, &["add", "."]);
        git(&origin, &["commit", "-qm", "head"]);
        let url = format!("file://{}", origin.display());
        git(
            dir.path(),
            &["clone", "-q", "--depth=1", "--no-tags", &url, "workspace"],
        );
        let event = serde_json::json!({
            "action": "synchronize",
            "number": 7,
            "pull_request": {
                "number": 7,
                "base": {"sha": base, "ref": "main"},
                "head": {"ref": "feature"}
            },
            "repository": {"full_name": "acme/shop"}
        });
        let mut runner = Self::new(dir, base, "pull_request", &event, gh);
        runner.set("GITHUB_REF", "refs/pull/7/merge");
        runner
    }

    /// A push to main: the workspace is a full repository and there is no pull request.
    fn push() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let workspace = dir.path().join("workspace");
        write(&workspace.join("storefront/imgcost.yaml"), STOREFRONT);
        write(&workspace.join("marketing/imgcost.yaml"), MARKETING);
        git(&workspace, &["init", "-q", "-b", "main"]);
        git(&workspace, &["add", "."]);
        git(&workspace, &["commit", "-qm", "base"]);
        let base = git(&workspace, &["rev-parse", "HEAD"]);
        let event = serde_json::json!({"ref": "refs/heads/main", "after": base});
        let mut runner = Self::new(dir, base, "push", &event, Gh::NoComment);
        runner.set("GITHUB_REF", "refs/heads/main");
        runner
    }

    fn new(dir: tempfile::TempDir, base: String, event_name: &str, event: &Value, gh: Gh) -> Self {
        let root = dir.path();
        let fake_bin = root.join("fake-bin");
        for (name, script) in [("gh", FAKE_GH), ("curl", FAKE_CURL)] {
            write(&fake_bin.join(name), script);
            std::fs::set_permissions(fake_bin.join(name), std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
        let gh_dir = root.join("gh");
        std::fs::create_dir_all(&gh_dir).expect("mkdir");
        let runner_temp = root.join("runner-temp");
        std::fs::create_dir_all(&runner_temp).expect("mkdir");
        let event_path = root.join("event.json");
        write(&event_path, &event.to_string());
        write(&root.join("output"), "");
        write(&root.join("summary.md"), "");
        write(&root.join("path"), "");

        let imgcost_dir = crate::test::binary()
            .parent()
            .expect("binary folder")
            .to_path_buf();
        let path = format!(
            "{}:{}:{}",
            fake_bin.display(),
            imgcost_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let p = |name: &str| root.join(name).display().to_string();
        let env = vec![
            ("PATH", path),
            ("HOME", p("")),
            ("GIT_CONFIG_NOSYSTEM", "1".to_owned()),
            ("CI", "true".to_owned()),
            ("GITHUB_ACTIONS", "true".to_owned()),
            ("GITHUB_EVENT_NAME", event_name.to_owned()),
            ("GITHUB_EVENT_PATH", event_path.display().to_string()),
            ("GITHUB_REPOSITORY", "acme/shop".to_owned()),
            ("GITHUB_SERVER_URL", "https://github.com".to_owned()),
            ("GITHUB_WORKSPACE", p("workspace")),
            ("GITHUB_OUTPUT", p("output")),
            ("GITHUB_STEP_SUMMARY", p("summary.md")),
            ("GITHUB_PATH", p("path")),
            (
                "GITHUB_ACTION_PATH",
                crate::test::repo().display().to_string(),
            ),
            ("RUNNER_TEMP", runner_temp.display().to_string()),
            ("RUNNER_TOOL_CACHE", p("tool-cache")),
            ("RUNNER_OS", "Linux".to_owned()),
            ("RUNNER_ARCH", "X64".to_owned()),
            ("FAKE_GH_DIR", gh_dir.display().to_string()),
            ("FAKE_RELEASES", p("releases")),
            ("FAKE_GH_MODE", gh.mode().to_owned()),
            // GraphQL's viewer for the workflow's GITHUB_TOKEN; its REST comments show
            // `github-actions[bot]`.
            ("FAKE_GH_VIEWER", "github-actions".to_owned()),
            // What action.yml passes to the scripts, with its defaults.
            ("GH_TOKEN", "ghs_test-token".to_owned()),
            ("INPUT_PATHS", ".".to_owned()),
            ("INPUT_POLICY", String::new()),
            ("INPUT_POLICY_REF", String::new()),
            ("INPUT_BASE_REF", String::new()),
            ("INPUT_COMMENT", "true".to_owned()),
            ("INPUT_FAIL_ON", "error".to_owned()),
            ("INPUT_VERSION", String::new()),
            // A fixed date keeps the figures and findings of the rate card stable.
            ("INPUT_AS_OF", "2026-11-25".to_owned()),
        ];
        let env = env.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        Self { dir, base, env }
    }

    fn set(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs one script of `action/` in the workspace, with nothing of this process's
    /// environment but what the runner would give.
    fn script(&self, name: &str) -> Step {
        self.script_with(name, &[])
    }

    /// Runs a script of `action/` with arguments.
    fn script_with(&self, name: &str, args: &[String]) -> Step {
        let script = crate::test::repo().join("action").join(name);
        let output = Command::new("bash")
            .arg(script)
            .args(args)
            .current_dir(self.path("workspace"))
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("run bash");
        Step {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The action's steps that run scripts, in order: validate the inputs, then run.
    fn action(&self) -> Step {
        self.script("validate.sh").status(0);
        self.script("run.sh")
    }

    /// The `name=value` lines of `GITHUB_OUTPUT`.
    fn outputs(&self) -> Vec<(String, String)> {
        read(&self.path("output"))
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[track_caller]
    fn output(&self, name: &str) -> String {
        let outputs = self.outputs();
        let mut values = outputs.iter().filter(|(k, _)| k == name);
        let (_, value) = values
            .next()
            .unwrap_or_else(|| panic!("no output {name} in {outputs:?}"));
        assert!(values.next().is_none(), "output {name} written twice");
        value.clone()
    }

    fn summary(&self) -> String {
        read(&self.path("summary.md"))
    }

    fn gh_calls(&self) -> Vec<String> {
        read(&self.path("gh/calls.log"))
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The comment body the fake gh received for METHOD.
    fn gh_body(&self, method: &str) -> String {
        let body = read(&self.path(&format!("gh/body-{method}.json")));
        let body: Value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{method} body is not JSON ({e}): {body}"));
        body["body"].as_str().expect("body string").to_owned()
    }

    fn json(&self, path: &str) -> Value {
        serde_json::from_str(&read(Path::new(path)))
            .unwrap_or_else(|e| panic!("{path} is not JSON ({e})"))
    }
}

const LIST: &str = "api --paginate repos/acme/shop/issues/7/comments?per_page=100";

/// The query for the token's own login, asked once a comment with the marker is found.
const VIEWER: &str = "api graphql -f query=query{viewer{login}}";

#[test]
fn pull_request_posts_a_new_comment_and_writes_every_output() {
    let runner = Runner::pull_request(Head::Warning, Gh::NoComment);
    let step = runner.action();
    step.status(0)
        // The base commit was not in the shallow clone: the action fetched it.
        .stdout_has(&format!("::group::git fetch {}", runner.base))
        // `check` annotated the head's warning.
        .stdout_has("::warning file=storefront/imgcost.yaml,line=16,col=27,")
        .stdout_has("title=IC204")
        .stdout_has("imgcost: passed");

    assert_eq!(runner.output("monthly-usd"), "1615.73");
    assert_eq!(runner.output("delta-usd"), "6.61");
    let report = runner.output("report");
    assert!(report.starts_with(&runner.path("runner-temp").display().to_string()));
    let json = runner.json(&report);
    assert_eq!(json["summary"]["monthly_usd"], "1615.73");
    assert_eq!(json["summary"]["passed"], true);
    let sarif = runner.json(&runner.output("sarif"));
    assert_eq!(sarif["version"], "2.1.0");

    // The job summary holds the check's report; the diff went to the comment.
    let summary = runner.summary();
    assert!(summary.starts_with("<!-- imgcost:check -->"), "{summary}");
    assert!(summary.contains("$1,615.73"), "{summary}");
    assert!(!summary.contains("<!-- imgcost:diff -->"), "{summary}");

    assert_eq!(
        runner.gh_calls(),
        [
            LIST.to_owned(),
            format!(
                "api --method POST repos/acme/shop/issues/7/comments --input {}",
                runner.gh_input()
            ),
        ]
    );
    assert!(
        read(&runner.path("gh/tokens.log"))
            .lines()
            .all(|t| t == "ghs_test-token")
    );
    let body = runner.gh_body("POST");
    assert!(body.starts_with("<!-- imgcost:diff -->\n"), "{body}");
    assert!(body.contains("+$6.61"), "{body}");
    // Later steps can run imgcost: nothing to add when it came from PATH.
    assert_eq!(read(&runner.path("path")), "");
}

impl Runner {
    /// The payload file the scripts handed to gh (its path varies with the temp folder).
    fn gh_input(&self) -> String {
        self.gh_calls()
            .iter()
            .find_map(|call| call.split_once("--input ").map(|(_, file)| file.to_owned()))
            .expect("a call with --input")
    }
}

#[test]
fn pull_request_updates_the_comment_that_has_the_marker() {
    let runner = Runner::pull_request(Head::Warning, Gh::ExistingComment);
    runner
        .action()
        .status(0)
        .stdout_has("updated the cost comment");
    assert_eq!(
        runner.gh_calls(),
        [
            LIST.to_owned(),
            VIEWER.to_owned(),
            format!(
                "api --method PATCH repos/acme/shop/issues/comments/4242 --input {}",
                runner.gh_input()
            ),
        ]
    );
    assert!(
        runner
            .gh_body("PATCH")
            .starts_with("<!-- imgcost:diff -->\n")
    );
    assert!(!runner.summary().contains("<!-- imgcost:diff -->"));
}

#[test]
fn read_only_token_puts_the_comment_in_the_job_summary() {
    let runner = Runner::pull_request(Head::Warning, Gh::ReadOnly);
    runner
        .action()
        .status(0)
        .stdout_has("::notice title=imgcost::the cost diff was not posted as a pull-request comment (the token cannot comment");
    let calls = runner.gh_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[1].starts_with("api --method POST repos/acme/shop/issues/7/comments"));
    let summary = runner.summary();
    let check = summary
        .find("<!-- imgcost:check -->")
        .expect("check summary");
    let diff = summary
        .find("<!-- imgcost:diff -->")
        .expect("diff comment in the summary");
    assert!(check < diff, "{summary}");
    assert!(summary.contains("$1,609.12 → $1,615.73"), "{summary}");
    assert_eq!(runner.output("delta-usd"), "6.61");
}

/// Gate integrity, class 16: anyone can post a comment that starts with imgcost's marker, and
/// the token can edit it; a marked comment written by another account is never edited (it
/// would carry the cost diff under that account's name, for it to rewrite later): a new one
/// is posted.
#[test]
fn a_marked_comment_by_another_account_is_not_edited() {
    let runner = Runner::pull_request(Head::Warning, Gh::ForeignComment);
    runner
        .action()
        .status(0)
        .stdout_has("no comment with the marker was written by github-actions; posting a new one")
        .stdout_has("posted the cost comment");
    assert_eq!(
        runner.gh_calls(),
        [
            LIST.to_owned(),
            VIEWER.to_owned(),
            format!(
                "api --method POST repos/acme/shop/issues/7/comments --input {}",
                runner.gh_input()
            ),
        ]
    );
    assert!(
        runner
            .gh_body("POST")
            .starts_with("<!-- imgcost:diff -->\n")
    );
}

/// Gate integrity, class 16: the latest marked comment is someone else's; imgcost's own, older
/// one is the one updated.
#[test]
fn the_own_marked_comment_is_updated_even_when_another_is_later() {
    let runner = Runner::pull_request(Head::Warning, Gh::OwnThenForeignComment);
    runner
        .action()
        .status(0)
        .stdout_has("updated the cost comment");
    assert_eq!(
        runner.gh_calls(),
        [
            LIST.to_owned(),
            VIEWER.to_owned(),
            format!(
                "api --method PATCH repos/acme/shop/issues/comments/4242 --input {}",
                runner.gh_input()
            ),
        ]
    );
}

/// Gate integrity, class 16: with a person's token the viewer is that person, whose comments
/// carry the same login (no `[bot]`); with no login to be had, nothing is edited.
#[test]
fn the_own_login_comes_from_the_token_and_without_it_nothing_is_edited() {
    let mut runner = Runner::pull_request(Head::Warning, Gh::OwnThenForeignComment);
    runner.set("FAKE_GH_VIEWER", "mallory");
    runner
        .action()
        .status(0)
        .stdout_has("updated the cost comment");
    assert!(
        runner.gh_calls().contains(&format!(
            "api --method PATCH repos/acme/shop/issues/comments/6666 --input {}",
            runner.gh_input()
        )),
        "{:?}",
        runner.gh_calls()
    );

    let mut runner = Runner::pull_request(Head::Warning, Gh::ExistingComment);
    runner.set("FAKE_GH_VIEWER", "");
    runner
        .action()
        .status(0)
        .stdout_has("could not tell which account the token belongs to (gh: Resource not accessible by integration (HTTP 403) ); posting a new comment")
        .stdout_has("posted the cost comment");
    let calls = runner.gh_calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(calls[2].starts_with("api --method POST repos/acme/shop/issues/7/comments"));
}

#[test]
fn a_comment_too_long_for_github_is_cut_and_the_summary_has_it_all() {
    // imgcost's own Markdown stays far under the limit (it lists the first 200 changes); the
    // script still guards against a body GitHub would reject (65 536 characters).
    let mut runner = Runner::push();
    runner.set("IMGCOST_PR_NUMBER", "7");
    let mut body =
        String::from("<!-- imgcost:diff -->\n## imgcost\n\n| Workflow | Δ |\n|:---|---:|\n");
    for i in 0..2000 {
        body.push_str(&format!("| `catalogue/variant-{i:04}` | +$4.68 |\n"));
    }
    let file = runner.path("body.md");
    write(&file, &body);
    runner
        .script_with("comment.sh", &[file.display().to_string()])
        .status(0)
        .stdout_has("posted the cost comment");
    let posted = runner.gh_body("POST");
    assert!(posted.starts_with("<!-- imgcost:diff -->\n"));
    assert!(posted.len() < 65_536, "{} bytes", posted.len());
    assert!(posted.contains("| `catalogue/variant-0100` | +$4.68 |\n"));
    assert!(!posted.contains("variant-1999"));
    assert!(
        posted.ends_with("_…truncated: the full cost diff is in the job summary of this run._\n"),
        "{}",
        &posted[posted.len() - 200..]
    );
    let summary = runner.summary();
    assert!(
        summary.contains("| `catalogue/variant-1999` | +$4.68 |"),
        "{summary}"
    );
}

#[test]
fn fail_on_decides_the_exit_status_after_every_output_is_written() {
    let cases = [
        (Head::Warning, "error", 0),
        (Head::Warning, "warning", 1),
        (Head::Warning, "never", 0),
        (Head::Error, "error", 1),
        (Head::Error, "warning", 1),
        (Head::Error, "never", 0),
    ];
    for (head, fail_on, code) in cases {
        let mut runner = Runner::pull_request(head, Gh::NoComment);
        runner
            .set("INPUT_FAIL_ON", fail_on)
            .set("INPUT_COMMENT", "false");
        let step = runner.action();
        assert_eq!(
            step.status, code,
            "fail-on {fail_on}\n--- stdout\n{}\n--- stderr\n{}",
            step.stdout, step.stderr
        );
        let (monthly, delta) = match head {
            Head::Warning => ("1615.73", "6.61"),
            Head::Error => ("3518.56", "1909.44"),
        };
        assert_eq!(runner.output("monthly-usd"), monthly, "fail-on {fail_on}");
        assert_eq!(runner.output("delta-usd"), delta, "fail-on {fail_on}");
        let report = runner.json(&runner.output("report"));
        assert_eq!(report["summary"]["monthly_usd"], monthly);
        // comment: false sends the diff to the job summary, and gh is never called.
        assert!(runner.summary().contains("<!-- imgcost:diff -->"));
        assert!(runner.gh_calls().is_empty(), "{:?}", runner.gh_calls());
        if let Head::Error = head {
            assert!(
                step.stdout
                    .contains("::error file=storefront/imgcost.yaml,line=16,col=27,"),
                "{}",
                step.stdout
            );
        }
    }
}

#[test]
fn push_without_a_base_makes_no_diff_and_no_comment() {
    let runner = Runner::push();
    runner.action().status(0);
    assert_eq!(runner.output("monthly-usd"), "1609.12");
    assert_eq!(runner.output("delta-usd"), "");
    assert!(runner.gh_calls().is_empty());
    assert!(!runner.summary().contains("<!-- imgcost:diff -->"));
}

#[test]
fn base_ref_input_compares_without_a_pull_request() {
    let mut runner = Runner::push();
    let workspace = runner.path("workspace");
    write(
        &workspace.join("storefront/imgcost.yaml"),
        &Head::Warning.storefront(),
    );
    git(&workspace, &["commit", "-qam", "head"]);
    runner.set("INPUT_BASE_REF", "HEAD~1");
    runner.action().status(0);
    assert_eq!(runner.output("delta-usd"), "6.61");
    assert!(runner.gh_calls().is_empty());
    assert!(runner.summary().contains("<!-- imgcost:diff -->"));
}

#[test]
fn base_ref_branch_missing_from_the_clone_is_fetched() {
    let mut runner = Runner::pull_request(Head::Warning, Gh::NoComment);
    git(
        &runner.path("origin"),
        &["branch", "release", runner.base.as_str()],
    );
    runner
        .set("INPUT_BASE_REF", "origin/release")
        .set("INPUT_COMMENT", "false");
    runner
        .action()
        .status(0)
        .stdout_has("::group::git fetch origin/release");
    assert_eq!(runner.output("delta-usd"), "6.61");
    let fetched = git(
        &runner.path("workspace"),
        &["rev-parse", "refs/remotes/origin/release"],
    );
    assert_eq!(fetched, runner.base);
}

#[test]
fn policy_ref_keeps_a_pull_request_from_loosening_its_own_diff_gate() {
    let strict = "version: 1\nname: gate\nrules:\n  diff: {max_increase_usd: 1}\n";
    let loose = "version: 1\nname: gate\nrules:\n  diff: {max_increase_usd: 5000}\n";
    let pull_request = || {
        Runner::pull_request_changing(
            &[
                ("storefront/imgcost.yaml", STOREFRONT.to_owned()),
                ("marketing/imgcost.yaml", MARKETING.to_owned()),
                (".imgcost/policy.yaml", strict.to_owned()),
            ],
            &[
                ("storefront/imgcost.yaml", Head::Warning.storefront()),
                (".imgcost/policy.yaml", loose.to_owned()),
            ],
            Gh::NoComment,
        )
    };

    // Judged by its own (loosened) policy, asked for with `policy-ref: HEAD`, the +$6.61 passes.
    let mut runner = pull_request();
    runner.set("INPUT_POLICY_REF", "HEAD");
    runner.action().status(0);
    assert_eq!(runner.output("delta-usd"), "6.61");

    // By default it is judged by the base's policy: the diff gate (IC501) fails the step,
    // annotated at the change, although `check` alone passes.
    let runner = pull_request();
    let step = runner.action();
    step.status(1)
        .stdout_has("::error file=storefront/imgcost.yaml,line=")
        .stdout_has(",title=IC501::")
        .stdout_has("imgcost: failing the step: findings of error severity");
    assert_eq!(runner.output("delta-usd"), "6.61");
    let report = runner.json(&runner.output("report"));
    assert_eq!(report["summary"]["passed"], true);
    assert!(runner.gh_body("POST").contains("IC501"));
}

#[test]
fn merge_group_compares_with_the_commit_the_group_is_built_on() {
    let mut runner = Runner::push();
    let workspace = runner.path("workspace");
    write(
        &workspace.join("storefront/imgcost.yaml"),
        &Head::Error.storefront(),
    );
    git(&workspace, &["commit", "-qam", "head"]);
    let event = serde_json::json!({
        "merge_group": {"base_sha": runner.base, "head_ref": "gh-readonly-queue/main/pr-7-abc"}
    });
    write(&runner.path("event.json"), &event.to_string());
    runner.set("GITHUB_EVENT_NAME", "merge_group");
    runner
        .action()
        .status(1)
        .stdout_has("imgcost: failing the step: findings of error severity (fail-on: error)");
    assert_eq!(runner.output("delta-usd"), "1909.44");
    assert!(runner.gh_calls().is_empty());
    assert!(runner.summary().contains("<!-- imgcost:diff -->"));
}

#[test]
fn a_run_that_fails_fails_the_step_even_with_fail_on_never() {
    let mut runner = Runner::push();
    std::fs::create_dir_all(runner.path("workspace/empty")).expect("mkdir");
    runner
        .set("INPUT_PATHS", "empty")
        .set("INPUT_FAIL_ON", "never");
    runner
        .action()
        .status(2)
        .stdout_has("::error title=imgcost::imgcost check failed to run");
    assert_eq!(runner.output("monthly-usd"), "");
    assert_eq!(runner.output("report"), "");
}

#[test]
fn bad_inputs_fail_the_first_step_with_an_error_annotation() {
    let cases = [
        ("INPUT_FAIL_ON", "sometimes", "fail-on"),
        ("INPUT_COMMENT", "yes", "comment"),
        ("INPUT_PATHS", "  ", "paths"),
        ("INPUT_PATHS", "apps --format=json", "paths"),
        ("INPUT_POLICY", "-p.yaml", "policy"),
        ("INPUT_BASE_REF", "main; rm -rf /", "base-ref"),
        ("INPUT_POLICY_REF", "--upload-pack=evil", "policy-ref"),
        ("INPUT_VERSION", "latest", "version"),
        ("INPUT_AS_OF", "tomorrow", "as-of"),
    ];
    for (key, value, input) in cases {
        let mut runner = Runner::push();
        runner.set(key, value);
        let step = runner.script("validate.sh");
        assert_eq!(step.status, 1, "{key}={value:?}\n{}", step.stdout);
        assert!(
            step.stdout
                .contains(&format!("::error title=imgcost::input `{input}`: ")),
            "{key}={value:?}\n{}",
            step.stdout
        );
        assert!(runner.outputs().is_empty(), "{key}={value:?}");
    }

    // A newline in a value cannot start another workflow command.
    let mut runner = Runner::push();
    runner.set("INPUT_FAIL_ON", "x\n::warning::injected");
    let step = runner.script("validate.sh");
    step.status(1);
    assert!(
        !step.stdout.contains("\n::warning::injected"),
        "{}",
        step.stdout
    );
    assert!(
        step.stdout.contains("x%0A::warning::injected"),
        "{}",
        step.stdout
    );
}

#[test]
fn good_inputs_give_the_install_root_and_cache_key() {
    let mut runner = Runner::push();
    runner
        .set("INPUT_POLICY", "policies/a.yaml\npolicies/b.yaml")
        .set("INPUT_FAIL_ON", "warning")
        .set("INPUT_POLICY_REF", "origin/main");
    // `version`: a release tag, with or without its `v`, or `source`.
    for version in ["0.2.0", "v1.0.0-rc.1", "source", "v0.1.0"] {
        write(&runner.path("output"), "");
        runner.set("INPUT_VERSION", version);
        runner.script("validate.sh").status(0);
    }
    let root = runner.output("root");
    let key = runner.output("cache-key");
    // In this job's RUNNER_TEMP, never in the runner's tool cache (see
    // `a_binary_already_in_the_build_root_is_rebuilt`).
    let temp = runner.path("runner-temp").display().to_string();
    assert!(
        root.starts_with(&format!("{temp}/imgcost-source-")),
        "{root}"
    );
    assert!(key.starts_with("imgcost-Linux-X64-"), "{key}");
    assert_eq!(key.len(), "imgcost-Linux-X64-".len() + 20, "{key}");
    assert!(root.ends_with(&key["imgcost-Linux-X64-".len()..]));
}

/// The release the action is pinned to in these tests, and the archive of the simulated runner
/// (Linux X64).
const TAG: &str = "v0.1.0";
const LINUX: &str = "imgcost-x86_64-unknown-linux-musl.tar.gz";
const LINUX_FOLDER: &str = "imgcost-x86_64-unknown-linux-musl";

/// A stand-in for the released binary: a script that answers `--version` as imgcost does.
fn stand_in(version_line: &str) -> String {
    format!("#!/bin/sh\necho '{version_line}'\n")
}

/// One entry of a release archive, by its path in the archive.
enum Entry {
    File(&'static str, String),
    Link(&'static str, &'static str),
}

/// What release.yml packs in `imgcost-<target>/`, with a stand-in binary for VERSION.
fn release_entries(folder: &'static str, binary: &'static str, version: &str) -> Vec<Entry> {
    let path = |name: &str| -> &'static str { format!("{folder}/{name}").leak() };
    vec![
        Entry::File(path(binary), stand_in(&format!("imgcost {version}"))),
        Entry::File(path("README.md"), "# imgcost\n".to_owned()),
        Entry::File(path("LICENSE-MIT"), "MIT\n".to_owned()),
        Entry::File(path("LICENSE-APACHE"), "Apache-2.0\n".to_owned()),
    ]
}

impl Runner {
    /// Publishes ASSET in the release TAG (a folder the fake gh and curl serve), packed from
    /// ENTRIES as release.yml packs it, with its `.sha256` beside it; returns that SHA-256.
    fn publish(&self, tag: &str, asset: &str, entries: &[Entry]) -> String {
        let work = self.path("stage").join(asset).join("work");
        let mut top = Vec::new();
        for entry in entries {
            let name = match entry {
                Entry::File(name, text) => {
                    write(&work.join(name), text);
                    std::fs::set_permissions(
                        work.join(name),
                        std::fs::Permissions::from_mode(0o755),
                    )
                    .expect("chmod");
                    name
                }
                Entry::Link(name, target) => {
                    let link = work.join(name);
                    std::fs::create_dir_all(link.parent().expect("parent")).expect("mkdir");
                    std::os::unix::fs::symlink(target, link).expect("symlink");
                    name
                }
            };
            // Pack the top folder (as release.yml does), or a `../` path as it is.
            let packed = if name.starts_with("../") {
                (*name).to_owned()
            } else {
                name.split('/').next().expect("name").to_owned()
            };
            if !top.contains(&packed) {
                top.push(packed);
            }
        }
        let release = self.path("releases").join(tag);
        std::fs::create_dir_all(&release).expect("mkdir");
        let archive = release.join(asset);
        let mut pack = if asset.ends_with(".zip") {
            let mut zip = Command::new("zip");
            zip.arg("-qry").arg(&archive);
            zip
        } else {
            // -P keeps a `../` name as it is instead of stripping it.
            let mut tar = Command::new("tar");
            tar.arg("-P").arg("-czf").arg(&archive);
            tar
        };
        let status = pack.current_dir(&work).args(&top).status().expect("pack");
        assert!(status.success(), "packing {asset}");
        // The checksum file as release.yml writes it: `sha256sum ASSET >ASSET.sha256`.
        let status = Command::new("bash")
            .args([
                "-c",
                r#"{ sha256sum "$1" 2>/dev/null || shasum -a 256 "$1"; } >"$1.sha256""#,
                "-",
                asset,
            ])
            .current_dir(&release)
            .status()
            .expect("sha256sum");
        assert!(status.success());
        let line = read(&release.join(format!("{asset}.sha256")));
        assert_eq!(line, format!("{}  {asset}\n", &line[..64]));
        line[..64].to_owned()
    }

    /// Publishes the release TAG's Linux archive as release.yml makes it.
    fn publish_linux(&self, tag: &str) -> String {
        let version = tag.trim_start_matches('v');
        self.publish(
            tag,
            LINUX,
            &release_entries(LINUX_FOLDER, "imgcost", version),
        )
    }

    /// The action's prebuilt step: `install.sh release` for the action's own repository.
    fn install_prebuilt(&mut self) -> Step {
        self.set("RELEASE_REPOSITORY", "acme/imgcost");
        self.script_with("install.sh", &["release".to_owned()])
    }

    /// Where the prebuilt step installed release VERSION (its `root` output): a new folder
    /// `imgcost-VERSION.XXXXXX` of RUNNER_TEMP.
    #[track_caller]
    fn release_root(&self, version: &str) -> PathBuf {
        let root = self.output("root");
        let prefix = format!("{}/imgcost-{version}.", self.path("runner-temp").display());
        let suffix = root
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{root}"));
        assert_eq!(suffix.len(), 6, "{root}");
        PathBuf::from(root)
    }

    fn curl_calls(&self) -> Vec<String> {
        read(&self.path("gh/curl.log"))
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// Nothing installed and nothing left in RUNNER_TEMP (no archive, no unpacked file).
    #[track_caller]
    fn installed_nothing(&self) {
        assert!(!self.path("tool-cache/imgcost").exists());
        let left: Vec<_> = std::fs::read_dir(self.path("runner-temp"))
            .expect("runner temp")
            .map(|entry| entry.expect("entry").path())
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}

/// Runs FILE with no argument but `--version` and returns its stdout.
fn version_of(file: &Path) -> String {
    let output = Command::new(file).arg("--version").output().expect("run");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The default: pinned at a release tag, the action installs that release's archive (gh, with
/// the workflow's token) after checking its SHA-256, and says so in one line.
#[test]
fn a_release_tag_ref_installs_the_prebuilt_archive_of_that_release() {
    let mut runner = Runner::push();
    let sha256 = runner.publish_linux(TAG);
    runner.set("ACTION_REF", TAG);
    let step = runner.install_prebuilt();
    step.status(0);
    assert_eq!(
        step.stdout,
        format!(
            "imgcost: installed the prebuilt {LINUX} of release v0.1.0 (SHA-256 {sha256})\nimgcost 0.1.0\n"
        )
    );
    let root = runner.release_root("0.1.0");
    assert_eq!(
        runner.outputs(),
        [
            ("installed".to_owned(), "true".to_owned()),
            ("root".to_owned(), root.display().to_string()),
        ]
    );
    assert_eq!(version_of(&root.join("bin/imgcost")), "imgcost 0.1.0\n");
    let calls = runner.gh_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let download = format!(
        "release download v0.1.0 --repo github.com/acme/imgcost --dir {}/imgcost-release.",
        runner.path("runner-temp").display()
    );
    assert!(calls[0].starts_with(&download), "{calls:?}");
    assert!(
        calls[0].ends_with(&format!("--pattern {LINUX} --pattern {LINUX}.sha256")),
        "{calls:?}"
    );
    assert!(runner.curl_calls().is_empty());

    // Nothing is kept for the next run (it could be another's, on a self-hosted runner): it
    // downloads and checks the release again, into a new folder.
    write(&runner.path("output"), "");
    let step = runner.install_prebuilt();
    step.status(0);
    assert_eq!(
        step.stdout,
        format!(
            "imgcost: installed the prebuilt {LINUX} of release v0.1.0 (SHA-256 {sha256})\nimgcost 0.1.0\n"
        )
    );
    assert_eq!(runner.gh_calls().len(), 2);
    assert_eq!(runner.output("installed"), "true");
    assert_ne!(runner.release_root("0.1.0"), root);
    assert!(!runner.path("tool-cache").exists());
}

/// `version` overrides the action's ref (with or without its `v`); without a token (or gh) the
/// archive comes over plain HTTPS from the release's download address.
#[test]
fn the_version_input_overrides_the_ref_and_https_needs_no_token() {
    let mut runner = Runner::push();
    runner.publish_linux(TAG);
    runner.publish_linux("v0.2.0");
    runner
        .set("ACTION_REF", TAG)
        .set("INPUT_VERSION", "0.2.0")
        .set("GH_TOKEN", "");
    runner
        .install_prebuilt()
        .status(0)
        .stdout_has("of release v0.2.0");
    let root = runner.release_root("0.2.0");
    assert_eq!(runner.output("root"), root.display().to_string());
    assert_eq!(version_of(&root.join("bin/imgcost")), "imgcost 0.2.0\n");
    assert!(runner.gh_calls().is_empty());
    let calls = runner.curl_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    let temp = runner.path("runner-temp").display().to_string();
    for (call, file) in calls
        .iter()
        .zip([LINUX.to_owned(), format!("{LINUX}.sha256")])
    {
        let (start, end) = call.split_once("/imgcost-release.").expect("temp folder");
        assert_eq!(
            start,
            format!("-fsSL --proto =https --retry 2 --max-filesize 200000000 -o {temp}")
        );
        assert!(
            end.ends_with(&format!(
                "/{file} https://github.com/acme/imgcost/releases/download/v0.2.0/{file}"
            )),
            "{call}"
        );
    }
}

/// Pinned by a full commit SHA, as the documentation recommends: the commit of the release tag
/// of the action's own version installs that release; any other commit builds from source.
#[test]
fn a_commit_pin_installs_the_release_whose_tag_is_at_that_commit() {
    let mut runner = Runner::push();
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    runner.publish_linux(&tag);
    let server = runner.path("server");
    let action = server.join("acme/imgcost");
    write(&action.join("README.md"), "imgcost\n");
    git(&action, &["init", "-q", "-b", "main"]);
    git(&action, &["add", "."]);
    git(&action, &["commit", "-qm", "release"]);
    git(&action, &["tag", "-a", "-m", "release", &tag]);
    let tagged = git(&action, &["rev-parse", "HEAD"]);
    git(&action, &["commit", "-q", "--allow-empty", "-m", "later"]);
    let later = git(&action, &["rev-parse", "HEAD"]);
    runner.set("GITHUB_SERVER_URL", &format!("file://{}", server.display()));

    runner.set("ACTION_REF", &tagged);
    runner
        .install_prebuilt()
        .status(0)
        .stdout_has(&format!("of release {tag} (SHA-256 "));
    assert_eq!(runner.output("installed"), "true");

    let mut runner = Runner::push();
    runner.publish_linux(&tag);
    runner
        .set("GITHUB_SERVER_URL", &format!("file://{}", server.display()))
        .set("ACTION_REF", &later);
    let step = runner.install_prebuilt();
    step.status(0);
    assert_eq!(
        step.stdout,
        format!(
            "imgcost: the action runs at {later}, which is not a release tag or the commit of one: building imgcost from source\n"
        )
    );
    assert_eq!(runner.output("installed"), "false");
    assert!(runner.gh_calls().is_empty());
}

/// A branch, or the action run from a path (`uses: ./`, no ref), has no release, and
/// `version: source` asks for none: one plain line, no warning, no download, installed=false
/// (the action then builds from source).
#[test]
fn a_branch_or_a_local_action_builds_from_source_with_one_line() {
    for (reference, version, line) in [
        (
            "main",
            "",
            "imgcost: the action runs at main, which is not a release tag or the commit of one: building imgcost from source\n",
        ),
        (
            "",
            "",
            "imgcost: the action runs from a local path or an unknown ref, not a release: building imgcost from source\n",
        ),
        (
            TAG,
            "source",
            "imgcost: `version: source`: building imgcost from the action's source\n",
        ),
    ] {
        let mut runner = Runner::push();
        runner.publish_linux(TAG);
        runner
            .set("ACTION_REF", reference)
            .set("INPUT_VERSION", version);
        let step = runner.install_prebuilt();
        step.status(0);
        assert_eq!(step.stdout, line);
        assert_eq!(step.stderr, "");
        assert_eq!(
            runner.outputs(),
            [("installed".to_owned(), "false".to_owned())]
        );
        assert!(runner.gh_calls().is_empty());
        assert!(runner.curl_calls().is_empty());
        runner.installed_nothing();
    }
}

/// No release, no asset for this runner, no checksum beside it, or a runner the release does
/// not cover: one warning, installed=false, and the action builds from source.
#[test]
fn a_missing_release_or_asset_warns_once_and_builds_from_source() {
    let missing = |why: &str| {
        format!(
            "::warning title=imgcost::no prebuilt imgcost v0.1.0 for this runner ({why}); building it from source instead\n"
        )
    };
    let assets = format!("the assets {LINUX} and {LINUX}.sha256");
    // What each case publishes or changes on the runner before the step runs.
    type Arrange = fn(&mut Runner);
    let cases: [(&str, Arrange, String); 5] = [
        (
            "no release",
            |_| {},
            missing(&format!(
                "acme/imgcost has no release v0.1.0 with {assets}: release not found"
            )),
        ),
        (
            "only a macOS asset",
            |runner| {
                runner.publish(
                    TAG,
                    "imgcost-aarch64-apple-darwin.tar.gz",
                    &release_entries("imgcost-aarch64-apple-darwin", "imgcost", "0.1.0"),
                );
            },
            missing(&format!(
                "acme/imgcost has no release v0.1.0 with {assets}: no assets match the file pattern"
            )),
        ),
        (
            "no checksum file",
            |runner| {
                runner.publish_linux(TAG);
                std::fs::remove_file(runner.path(&format!("releases/{TAG}/{LINUX}.sha256")))
                    .expect("rm");
            },
            missing(&format!("acme/imgcost has no release v0.1.0 with {assets}")),
        ),
        (
            "no token: a 404 over HTTPS",
            |runner| {
                runner.set("GH_TOKEN", "");
            },
            missing(&format!(
                "acme/imgcost has no release v0.1.0 with {assets}: curl: (22) The requested URL returned error: 404"
            )),
        ),
        (
            "Windows on ARM",
            |runner| {
                runner.publish_linux(TAG);
                runner
                    .set("RUNNER_OS", "Windows")
                    .set("RUNNER_ARCH", "ARM64");
            },
            missing("Windows ARM64 has no release build"),
        ),
    ];
    for (case, arrange, warning) in cases {
        let mut runner = Runner::push();
        runner.set("ACTION_REF", TAG);
        arrange(&mut runner);
        let step = runner.install_prebuilt();
        step.status(0);
        assert_eq!(step.stdout, warning, "{case}");
        assert_eq!(
            runner.outputs(),
            [("installed".to_owned(), "false".to_owned())],
            "{case}"
        );
        runner.installed_nothing();
    }
}

/// Windows runners get the .zip release.yml makes for them, with `imgcost.exe` in it (unpacked
/// with unzip, as Git Bash has it; a stand-in script here).
#[test]
fn windows_runners_install_the_zip_archive() {
    let mut runner = Runner::push();
    let asset = "imgcost-x86_64-pc-windows-msvc.zip";
    let sha256 = runner.publish(
        TAG,
        asset,
        &release_entries("imgcost-x86_64-pc-windows-msvc", "imgcost.exe", "0.1.0"),
    );
    runner
        .set("ACTION_REF", TAG)
        .set("RUNNER_OS", "Windows")
        .set("RUNNER_ARCH", "X64");
    let step = runner.install_prebuilt();
    step.status(0);
    assert_eq!(
        step.stdout,
        format!(
            "imgcost: installed the prebuilt {asset} of release v0.1.0 (SHA-256 {sha256})\nimgcost 0.1.0\n"
        )
    );
    let root = runner.release_root("0.1.0");
    assert_eq!(runner.output("root"), root.display().to_string());
    assert_eq!(version_of(&root.join("bin/imgcost.exe")), "imgcost 0.1.0\n");
    assert!(!root.join("bin/imgcost").exists());
}

/// Hostile release, Windows: a .zip whose `imgcost.exe` is a link is refused as the .tar.gz is
/// (zipinfo's listing, before anything is unpacked).
#[test]
fn a_windows_zip_whose_binary_is_a_link_is_refused() {
    let mut runner = Runner::push();
    let asset = "imgcost-x86_64-pc-windows-msvc.zip";
    runner.publish(
        TAG,
        asset,
        &[
            Entry::File(
                "imgcost-x86_64-pc-windows-msvc/README.md",
                "# imgcost\n".to_owned(),
            ),
            Entry::Link("imgcost-x86_64-pc-windows-msvc/imgcost.exe", "/bin/sh"),
        ],
    );
    runner
        .set("ACTION_REF", TAG)
        .set("RUNNER_OS", "Windows")
        .set("RUNNER_ARCH", "X64");
    let step = runner.install_prebuilt();
    step.status(1);
    assert_eq!(
        step.stdout,
        "::error title=imgcost::refusing the prebuilt imgcost v0.1.0: its entry `imgcost-x86_64-pc-windows-msvc/imgcost.exe` is a link or a special file. A corrupt or tampered release is not built around: fix or remove the release, or pin another one\n"
    );
    assert!(runner.outputs().is_empty());
    runner.installed_nothing();
}

/// Hostile release: an archive that does not match its `.sha256` (replaced after publishing,
/// or a checksum line for another file) fails the step with an error and installs nothing;
/// it is not taken for a missing release and built around.
#[test]
fn a_release_that_fails_its_checksum_fails_the_step_and_installs_nothing() {
    let refused = |why: &str| {
        format!(
            "::error title=imgcost::refusing the prebuilt imgcost v0.1.0: {why}. A corrupt or tampered release is not built around: fix or remove the release, or pin another one\n"
        )
    };
    let zeros = "0".repeat(64);
    let checksum = format!("releases/{TAG}/{LINUX}.sha256");
    let cases: [(&str, String, String); 3] = [
        (
            "another hash",
            format!("{zeros}  {LINUX}\n"),
            format!("{LINUX} has SHA-256 <actual>, its {LINUX}.sha256 says {zeros}"),
        ),
        (
            "another file's line",
            format!("{zeros}  imgcost-aarch64-apple-darwin.tar.gz\n"),
            format!("{LINUX}.sha256 is not a sha256sum line for {LINUX}"),
        ),
        (
            "two lines",
            format!("{zeros}  {LINUX}\n{zeros}  {LINUX}\n"),
            format!("{LINUX}.sha256 is not one sha256sum line"),
        ),
    ];
    for (case, line, why) in cases {
        let mut runner = Runner::push();
        let actual = runner.publish_linux(TAG);
        write(&runner.path(&checksum), &line);
        runner.set("ACTION_REF", TAG);
        let step = runner.install_prebuilt();
        step.status(1);
        assert_eq!(
            step.stdout,
            refused(&why.replace("<actual>", &actual)),
            "{case}"
        );
        assert!(runner.outputs().is_empty(), "{case}");
        runner.installed_nothing();
    }
}

/// Hostile release: an archive whose `imgcost` is a link, with an entry outside its folder
/// (`../x`), without the binary, or whose binary is another version is refused before anything
/// is installed; nothing is written outside the step's temporary folder, which is removed.
#[test]
fn a_release_archive_with_a_link_an_escaping_path_or_no_binary_is_refused() {
    let binary: &'static str = "imgcost-x86_64-unknown-linux-musl/imgcost";
    let readme = || {
        Entry::File(
            "imgcost-x86_64-unknown-linux-musl/README.md",
            "# imgcost\n".to_owned(),
        )
    };
    let cases: Vec<(&str, Vec<Entry>, String)> = vec![
        (
            "imgcost is a link",
            vec![readme(), Entry::Link(binary, "/bin/sh")],
            format!("its entry `{binary}` is a link or a special file"),
        ),
        (
            "an entry ../x",
            {
                let mut entries = release_entries(LINUX_FOLDER, "imgcost", "0.1.0");
                entries.push(Entry::File("../x", stand_in("escaped")));
                entries
            },
            format!("its entry `../x` is outside {LINUX_FOLDER}/"),
        ),
        (
            "an entry in another folder",
            vec![
                readme(),
                Entry::File("bin/imgcost", stand_in("imgcost 0.1.0")),
            ],
            format!("its entry `bin/` is outside {LINUX_FOLDER}/"),
        ),
        (
            "no binary",
            vec![readme()],
            format!("{LINUX} holds no {binary}"),
        ),
        (
            "another version",
            vec![readme(), Entry::File(binary, stand_in("imgcost 6.6.6"))],
            "its binary says `imgcost 6.6.6`, not `imgcost 0.1.0`".to_owned(),
        ),
    ];
    for (case, entries, why) in cases {
        let mut runner = Runner::push();
        runner.publish(TAG, LINUX, &entries);
        runner.set("ACTION_REF", TAG);
        let step = runner.install_prebuilt();
        step.status(1);
        assert_eq!(
            step.stdout,
            format!(
                "::error title=imgcost::refusing the prebuilt imgcost v0.1.0: {why}. A corrupt or tampered release is not built around: fix or remove the release, or pin another one\n"
            ),
            "{case}"
        );
        assert!(runner.outputs().is_empty(), "{case}");
        runner.installed_nothing();
    }
}

#[test]
fn source_build_runs_cargo_install_locked_once() {
    let mut runner = Runner::push();
    write(&runner.path("fake-bin/cargo"), FAKE_CARGO);
    std::fs::set_permissions(
        runner.path("fake-bin/cargo"),
        std::fs::Permissions::from_mode(0o755),
    )
    .expect("chmod");
    let root = runner.path("runner-temp/imgcost-source-test");
    runner
        .set("IMGCOST_ROOT", &root.display().to_string())
        .set("FAKE_IMGCOST", &crate::test::binary().display().to_string());
    runner
        .script_with("install.sh", &["source".to_owned()])
        .status(0)
        .stdout_has("::group::cargo install imgcost");
    assert_eq!(
        read(&runner.path("gh/cargo.log")).trim(),
        format!(
            "install --locked --force --path {} --root {} --target-dir {}/imgcost-target",
            crate::test::repo().display(),
            root.display(),
            runner.path("runner-temp").display()
        )
    );

    // The run step puts it first on PATH and hands it to later steps.
    runner.action().status(0);
    assert_eq!(
        read(&runner.path("path")),
        format!("{}/bin\n", root.display())
    );
}

/// A script that answers `--version` as imgcost 0.1.0 does, then shows it was run.
const PLANTED: &str = "#!/bin/sh\necho 'imgcost 0.1.0'\necho PWNED\n";

/// Writes an executable file.
fn write_executable(path: &Path, text: &str) {
    write(path, text);
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// Hostile runner: a job that ran before on a self-hosted runner (a pull request's) can write
/// the tool cache. A binary planted where the action once kept the release is never run, and a
/// link planted there is never written through: every run downloads and checks the release
/// into a new folder of its own RUNNER_TEMP.
#[test]
fn a_binary_planted_in_the_tool_cache_is_never_run_nor_written_through() {
    let planted = "tool-cache/imgcost/release-0.1.0/bin/imgcost";
    for link in [true, false] {
        let mut runner = Runner::push();
        let sha256 = runner.publish_linux(TAG);
        let victim = runner.path("victim.sh");
        write_executable(&victim, PLANTED);
        if link {
            std::fs::create_dir_all(runner.path(planted).parent().expect("bin")).expect("mkdir");
            std::os::unix::fs::symlink(&victim, runner.path(planted)).expect("symlink");
        } else {
            write_executable(&runner.path(planted), PLANTED);
        }
        runner.set("ACTION_REF", TAG);
        let step = runner.install_prebuilt();
        step.status(0);
        assert_eq!(
            step.stdout,
            format!(
                "imgcost: installed the prebuilt {LINUX} of release v0.1.0 (SHA-256 {sha256})\nimgcost 0.1.0\n"
            ),
            "link: {link}"
        );
        assert_eq!(read(&victim), PLANTED, "link: {link}");
        assert_eq!(read(&runner.path(planted)), PLANTED, "link: {link}");
        assert_eq!(runner.gh_calls().len(), 1, "link: {link}");
        let root = runner.release_root("0.1.0");
        assert_eq!(version_of(&root.join("bin/imgcost")), "imgcost 0.1.0\n");
    }
}

/// Hostile runner: the build from source runs only when actions/cache restored no build, so an
/// imgcost already in its root came from elsewhere: cargo replaces it (`--force`) and it is
/// never run. (The root is in the job's RUNNER_TEMP: `good_inputs_give_the_install_root_and_cache_key`.)
#[test]
fn a_binary_already_in_the_build_root_is_rebuilt() {
    let mut runner = Runner::push();
    write_executable(&runner.path("fake-bin/cargo"), FAKE_CARGO);
    let root = runner.path("runner-temp/imgcost-source-test");
    write_executable(&root.join("bin/imgcost"), PLANTED);
    runner
        .set("IMGCOST_ROOT", &root.display().to_string())
        .set("FAKE_IMGCOST", &crate::test::binary().display().to_string());
    let step = runner.script_with("install.sh", &["source".to_owned()]);
    step.status(0);
    assert_eq!(
        step.stdout,
        format!(
            "::group::cargo install imgcost from {}\n::endgroup::\nimgcost {}\n",
            crate::test::repo().display(),
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(read(&runner.path("gh/cargo.log")).lines().count(), 1);
}

/// Hostile server: on GitHub Enterprise Server gh is pointed at that server (`HOST/owner/name`,
/// GH_HOST, the token in GH_ENTERPRISE_TOKEN), as git and curl are; it used to ask github.com,
/// where whoever owns the same `owner/name` would serve the archive and its checksum, and get
/// the token. The pull-request comment goes to the same server.
#[test]
fn on_enterprise_server_gh_asks_that_server_with_its_token() {
    let mut runner = Runner::push();
    runner.publish_linux(TAG);
    runner
        .set("ACTION_REF", TAG)
        .set("GITHUB_SERVER_URL", "https://ghe.example.com/");
    runner
        .install_prebuilt()
        .status(0)
        .stdout_has("of release v0.1.0 (SHA-256 ");
    let calls = runner.gh_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let download = format!(
        "release download v0.1.0 --repo ghe.example.com/acme/imgcost --dir {}/imgcost-release.",
        runner.path("runner-temp").display()
    );
    assert!(calls[0].starts_with(&download), "{calls:?}");
    assert_eq!(
        read(&runner.path("gh/hosts.log")),
        "GH_HOST=ghe.example.com GH_ENTERPRISE_TOKEN=ghs_test-token\n"
    );

    let mut runner = Runner::pull_request(Head::Warning, Gh::NoComment);
    runner.set("GITHUB_SERVER_URL", "https://ghe.example.com");
    runner.action().status(0);
    assert_eq!(
        read(&runner.path("gh/hosts.log")),
        "GH_HOST=ghe.example.com GH_ENTERPRISE_TOKEN=ghs_test-token\n".repeat(2)
    );
}

/// The action's repository on a simulated server (`GITHUB_SERVER_URL=file://…`): the release
/// commit with the annotated tag `v<the crate's version>`, then a later commit. Returns the
/// server's folder and the two commits.
fn action_repository(runner: &Runner, tag: &str) -> (PathBuf, String, String) {
    let server = runner.path("server");
    let action = server.join("acme/imgcost");
    write(&action.join("README.md"), "imgcost\n");
    git(&action, &["init", "-q", "-b", "main"]);
    git(&action, &["add", "."]);
    git(&action, &["commit", "-qm", "release"]);
    git(&action, &["tag", "-a", "-m", "release", tag]);
    let tagged = git(&action, &["rev-parse", "HEAD"]);
    git(&action, &["commit", "-q", "--allow-empty", "-m", "later"]);
    let later = git(&action, &["rev-parse", "HEAD"]);
    (server, tagged, later)
}

/// Hostile tags: `git ls-remote` patterns match the end of a ref's name, so the tag
/// `x/refs/tags/v<version>` is listed for `refs/tags/v<version>` too, and, listed last, it used
/// to be taken for the release's commit. Only the exact name counts (an annotated tag's peeled
/// commit first): the commit of that other tag builds from source, the release's installs.
#[test]
fn a_commit_pin_is_matched_to_the_release_tag_by_its_exact_name() {
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    let first = Runner::push();
    let (server, tagged, later) = action_repository(&first, &tag);
    git(
        &server.join("acme/imgcost"),
        &["tag", &format!("x/refs/tags/{tag}"), &later],
    );
    for (reference, installed) in [(&later, false), (&tagged, true)] {
        let mut runner = Runner::push();
        runner.publish_linux(&tag);
        runner
            .set("GITHUB_SERVER_URL", &format!("file://{}", server.display()))
            .set("ACTION_REF", reference);
        let step = runner.install_prebuilt();
        step.status(0);
        if installed {
            step.stdout_has(&format!("of release {tag} (SHA-256 "));
        } else {
            assert_eq!(
                step.stdout,
                format!(
                    "imgcost: the action runs at {later}, which is not a release tag or the commit of one: building imgcost from source\n"
                )
            );
            assert!(runner.gh_calls().is_empty());
        }
        assert_eq!(runner.output("installed"), installed.to_string());
    }
}

/// A commit pin whose repository cannot be asked for its tags (no network, a private
/// repository without credentials) says so in a warning with git's reason, not that the commit
/// is no release's, and builds from source.
#[test]
fn a_commit_pin_whose_tags_cannot_be_listed_warns_and_builds_from_source() {
    let mut runner = Runner::push();
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    runner.publish_linux(&tag);
    let nowhere = runner.path("nowhere");
    let commit = "0123456789abcdef0123456789abcdef01234567";
    runner
        .set(
            "GITHUB_SERVER_URL",
            &format!("file://{}", nowhere.display()),
        )
        .set("ACTION_REF", commit);
    let step = runner.install_prebuilt();
    step.status(0);
    let repository = nowhere.join("acme/imgcost").display().to_string();
    assert_eq!(
        step.stdout,
        format!(
            "::warning title=imgcost::could not list the tags of file://{repository} to tell whether {commit} is the commit of release {tag} (git ls-remote: fatal: '{repository}' does not appear to be a git repository); building imgcost from source\n"
        )
    );
    assert_eq!(
        runner.outputs(),
        [("installed".to_owned(), "false".to_owned())]
    );
    assert!(runner.gh_calls().is_empty());
}

/// Inside an action that wraps imgcost's, `github.action_ref` can be the outer action's ref
/// (actions/runner#2473): a release tag other than `v<the action's own version>` is not taken
/// for the action's release (one line, a build from source); the `version` input still picks
/// any release.
#[test]
fn a_tag_other_than_the_actions_own_version_builds_from_source() {
    let mut runner = Runner::push();
    runner.publish_linux("v0.2.0");
    runner.set("ACTION_REF", "v0.2.0");
    let step = runner.install_prebuilt();
    step.status(0);
    assert_eq!(
        step.stdout,
        format!(
            "imgcost: the action runs at tag v0.2.0 but its source is version {}, so that tag is not its release (an action that wraps imgcost's passes its own ref): building imgcost from source; set `version` to install a release\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(
        runner.outputs(),
        [("installed".to_owned(), "false".to_owned())]
    );
    assert!(runner.gh_calls().is_empty());
    runner.installed_nothing();

    write(&runner.path("output"), "");
    runner.set("INPUT_VERSION", "v0.2.0");
    runner
        .install_prebuilt()
        .status(0)
        .stdout_has("of release v0.2.0 (SHA-256 ");
    assert_eq!(runner.output("installed"), "true");
}

#[test]
fn action_files_pass_values_to_scripts_only_through_env() {
    // actionlint's rule for workflows, applied to the composite action too: no `${{ }}` in
    // any `run:` script.
    for file in [
        "action.yml",
        ".github/workflows/imgcost-check.yml",
        "examples/github/imgcost-check.yml",
    ] {
        let text = std::fs::read_to_string(crate::test::repo().join(file)).expect(file);
        let mut run_indent = None;
        for (number, line) in text.lines().enumerate() {
            let indent = line.len() - line.trim_start().len();
            let trimmed = line.trim_start().trim_start_matches("- ");
            if let Some(run_at) = run_indent {
                if line.trim().is_empty() || indent > run_at {
                    assert!(!line.contains("${{"), "{file}:{}: {line}", number + 1);
                    continue;
                }
                run_indent = None;
            }
            if trimmed.starts_with("run:") {
                assert!(!line.contains("${{"), "{file}:{}: {line}", number + 1);
                run_indent = Some(indent);
            }
        }
    }
    // Every script the action runs starts by saying what it does and is strict.
    for script in ["validate.sh", "install.sh", "run.sh", "comment.sh"] {
        let text =
            std::fs::read_to_string(crate::test::repo().join("action").join(script)).expect(script);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("#!/usr/bin/env bash"), "{script}");
        assert!(
            lines.next().is_some_and(|l| l.starts_with("# ")),
            "{script}"
        );
        assert!(text.contains("\nset -euo pipefail\n"), "{script}");
    }
}

/// `new-only: true`: an error the base already has is a note "already on <base>" in the
/// annotations and the comment, and the step passes; without the input the same change fails.
#[test]
fn new_only_passes_a_change_that_keeps_an_old_error() {
    let pull_request = || {
        Runner::pull_request_changing(
            &[
                ("storefront/imgcost.yaml", Head::Error.storefront()),
                ("marketing/imgcost.yaml", MARKETING.to_owned()),
            ],
            &[(
                "marketing/imgcost.yaml",
                MARKETING.replace("requests_per_month: 20000", "requests_per_month: 20001"),
            )],
            Gh::NoComment,
        )
    };
    let runner = pull_request();
    runner.action().status(1);
    let mut runner = pull_request();
    runner.set("INPUT_NEW_ONLY", "true");
    let step = runner.action();
    step.status(0)
        .stdout_has("::notice file=storefront/imgcost.yaml,line=16,col=27,")
        .stdout_has("title=IC201 workflow-over-budget::already on ");
    let body = runner.gh_body("POST");
    assert!(body.contains("## imgcost: passes the policy"), "{body}");
    assert!(body.contains("**IC201**"), "{body}");
    assert!(!body.contains('❌'), "{body}");
}

/// Quiet comments: a pull request that touches no manifest, policy or rate card and moves no
/// figure leaves the existing comment alone (gh is not even asked for the comments); the diff
/// goes to the job summary.
#[test]
fn a_change_that_touches_no_manifest_leaves_the_comment_alone() {
    let runner = Runner::pull_request_changing(
        &[
            ("storefront/imgcost.yaml", STOREFRONT.to_owned()),
            ("marketing/imgcost.yaml", MARKETING.to_owned()),
        ],
        &[("README.md", "docs only\n".to_owned())],
        Gh::ExistingComment,
    );
    runner.action().status(0).stdout_has(
        "imgcost: no pull-request comment (the change touches no manifest, policy or rate card and moves no figure); the cost diff is in the job summary",
    );
    assert!(runner.gh_calls().is_empty(), "{:?}", runner.gh_calls());
    assert!(runner.summary().contains("<!-- imgcost:diff -->"));
}

/// `comment-min-usd` and `comment-min-percent`: the +$6.61 (+0.4 %) change is commented only
/// when a threshold is at or under it; a failing diff is commented whatever the thresholds.
#[test]
fn comment_thresholds_keep_small_changes_in_the_summary() {
    let cases = [
        ("INPUT_COMMENT_MIN_USD", "10", false),
        ("INPUT_COMMENT_MIN_USD", "6.61", true),
        ("INPUT_COMMENT_MIN_PERCENT", "1", false),
        ("INPUT_COMMENT_MIN_PERCENT", "0.4", true),
    ];
    for (input, value, commented) in cases {
        let mut runner = Runner::pull_request(Head::Warning, Gh::NoComment);
        runner.set(input, value);
        let step = runner.action();
        step.status(0);
        let posted = runner.gh_calls().iter().any(|call| call.contains("POST"));
        assert_eq!(posted, commented, "{input}={value}\n{}", step.stdout);
        if !commented {
            step.stdout_has("is under comment-min-usd/comment-min-percent");
            assert!(runner.summary().contains("<!-- imgcost:diff -->"));
        }
    }
    let mut runner = Runner::pull_request(Head::Error, Gh::NoComment);
    runner.set("INPUT_COMMENT_MIN_USD", "1000000");
    runner.action().status(1);
    assert!(runner.gh_body("POST").contains("IC201"));
}

/// Hostile: a threshold that is not a number (an attempt at shell or jq injection) fails the
/// first step.
#[test]
fn a_threshold_that_is_not_a_number_is_refused() {
    let mut runner = Runner::pull_request(Head::Warning, Gh::NoComment);
    runner.set("INPUT_COMMENT_MIN_USD", "1) or true #");
    let step = runner.script("validate.sh");
    step.status(1).stdout_has(
        "input `comment-min-usd`: `1) or true #` is not a number such as `25` or `2.5`",
    );
}
