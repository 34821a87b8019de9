//! The human format reads each manifest again to draw its findings (`Texts::ReadAgain`)
//! instead of keeping every text to the end of the run: it draws the same bytes as a run that
//! kept them all, from the working tree or from git's index as the file was first read, and a
//! file that is no longer what was checked fails the report (exit 2) instead of being drawn.

use std::path::Path;
use std::sync::Arc;

use imgcost::input::file_reader::read_again;
use imgcost::policy::PolicySet;
use imgcost::render::human::HumanStyle;
use imgcost::run::diff::{BaseSource, diff};
use imgcost::{CheckOptions, Context, Date, Error, Keep, RateCard, Report, Texts, Workspace};

use crate::test::{Test, git, sparse_checkout};

const POLICY: &str = "version: 1\nname: finops\nrules:\n  models: { allow: [gpt-image-2] }\n  n: { max: 4 }\n  limits:\n    workflow_monthly_usd: 2000\n    manifest_monthly_usd: 2500\n    total_monthly_usd: 3000\n    retry_rate: 0.5\n";

/// Over the policy's limits (IC304, with the policy's line as a related label).
const SHOP: &str = "version: 1\nproject: shop\nworkflows:\n  variants:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: medium, n: 6}\n    volume: {requests_per_month: 10000, retry_rate: 0.8}\n    budget: {monthly_usd: 10000}\n";

/// A model the policy does not allow, and the same workflow id as in `twin.imgcost.yaml`
/// (IC004, with the other file as a related label).
const LEGACY: &str = "version: 1\nproject: legacy\nworkflows:\n  old:\n    model: gpt-image-1\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";

/// Schema errors and a duplicate key, in every line-break and encoding flavour below.
const MISTAKES: &str = "version: 1\nworkflows:\n  thumbnails:\n    model: gpt-image-2\n    request: { size: 1024x1024, qualty: low }\n    volume: { requests_per_month: \"5000\" }\n  avatars:\n    model: gpt-image-2\n    request: { quality: low }\n    request: { quality: medium }\n";

/// A tree whose findings point into plain-ASCII manifests (read again), a CRLF one and one
/// beyond ASCII (which keep their text), one after a byte-order mark, another file (IC004)
/// and the policy (IC304).
fn tree() -> Test {
    Test::new()
        .file(".imgcost/policy.yaml", POLICY)
        .file("apps/shop/imgcost.yaml", SHOP)
        .file("apps/legacy/imgcost.yaml", LEGACY)
        .file("apps/legacy/twin.imgcost.yaml", LEGACY)
        .file("apps/crlf/imgcost.yaml", MISTAKES.replace('\n', "\r\n"))
        .file(
            "apps/cafe/imgcost.yaml",
            MISTAKES.replace("thumbnails:", "thumbnails:\n    description: menü du café"),
        )
        .file("apps/bom/imgcost.yaml", format!("\u{feff}{MISTAKES}"))
}

fn options(dir: &Path, texts: Texts) -> CheckOptions {
    let workspace = Workspace::at(dir).expect("a workspace");
    let as_of: Date = "2026-11-25".parse().expect("a date");
    let context = Context {
        as_of,
        ratecard: RateCard::select(None, as_of, &workspace, None).expect("a card"),
        policies: Arc::new(PolicySet::load(&[], None, &workspace).expect("the policy")),
        keep: Keep {
            texts,
            field_spans: true,
            weakest_rules: false,
        },
    };
    CheckOptions {
        paths: Vec::new(),
        workspace,
        allow_empty: false,
        context,
    }
}

const STYLE: HumanStyle = HumanStyle {
    color: false,
    quiet: false,
};

/// The human report of `check`, its files read again.
fn drawn(report: &Report) -> std::io::Result<String> {
    let mut out = Vec::new();
    let written = imgcost::render::human::write(report, STYLE, false, Some(&read_again), &mut out);
    written.map(|()| String::from_utf8(out).expect("UTF-8"))
}

/// The human report of `check`, from the texts the files kept.
fn drawn_from_kept(report: &Report) -> String {
    let mut out = Vec::new();
    imgcost::render::human::write(report, STYLE, false, None, &mut out).expect("written");
    String::from_utf8(out).expect("UTF-8")
}

/// The run error a report stopped on.
fn stopped_on(error: &std::io::Error) -> &Error {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Error>())
        .unwrap_or_else(|| panic!("not a run error: {error}"))
}

/// `check` and `diff --base` draw, from each file read again, what a run that kept every text
/// draws: the manifests, the policy and the other file of a related label; only the files
/// whose columns need their text keep it.
#[test]
fn a_human_report_reads_each_manifest_again_and_draws_the_same() {
    let t = tree();
    git(t.path(), &["init", "-q"]);
    git(t.path(), &["add", "-A"]);
    git(t.path(), &["commit", "-qm", "base"]);
    let shop = t.path().join("apps/shop/imgcost.yaml");
    std::fs::write(&shop, SHOP.replace("quality: medium", "quality: high")).expect("write");

    let kept = imgcost::check(&options(t.path(), Texts::All)).expect("checked");
    let again = imgcost::check(&options(t.path(), Texts::ReadAgain)).expect("checked");
    let expected = drawn_from_kept(&kept);
    assert_eq!(drawn(&again).expect("drawn"), expected);
    for line in [
        "request: {size: 1024x1024, quality: high, n: 6}",
        "workflow_monthly_usd: 2000",
        "request: { size: 1024x1024, qualty: low }",
        "model: gpt-image-1",
        "─[apps/cafe/imgcost.yaml:",
        "─[apps/bom/imgcost.yaml:",
        "─[apps/legacy/twin.imgcost.yaml:",
    ] {
        assert!(expected.contains(line), "{line:?} not drawn:\n{expected}");
    }
    // The texts were not kept: without reading them again, the findings only name the files.
    assert_ne!(drawn_from_kept(&again), expected);
    for diagnostic in &again.diagnostics {
        let file = &diagnostic.primary.file;
        let keeps = matches!(
            file.path(),
            ".imgcost/policy.yaml" | "apps/crlf/imgcost.yaml" | "apps/cafe/imgcost.yaml"
        );
        assert_eq!(file.text().is_some(), keeps, "{}", file.path());
    }

    let base = BaseSource::Revision {
        revision: "HEAD",
        policies: &[],
    };
    let compared = |texts, read: bool| {
        let run = diff(&options(t.path(), texts), base).expect("compared");
        let mut out = Vec::new();
        let reader: Option<&imgcost::ReadAgain> = if read { Some(&read_again) } else { None };
        imgcost::render::diff::write(&run.head, &run.comparison, STYLE, false, reader, &mut out)
            .expect("written");
        String::from_utf8(out).expect("UTF-8")
    };
    let expected = compared(Texts::All, false);
    assert!(expected.contains("quality: high"), "{expected}");
    assert_eq!(compared(Texts::ReadAgain, true), expected);
}

/// A manifest that is not the one checked when its findings are drawn (same length other
/// bytes, longer, gone, a folder) fails the report, naming the file; nothing of the findings
/// around it is written. A manifest without findings is never read again.
#[test]
fn a_manifest_changed_before_it_is_drawn_fails_the_report() {
    type Swap = fn(&Path);
    let swaps: [(&str, Swap); 4] = [
        ("same length", |path| {
            let text = SHOP.replace("n: 6", "n: 7");
            assert_eq!(text.len(), SHOP.len());
            std::fs::write(path, text).expect("write");
        }),
        ("longer", |path| {
            std::fs::write(path, format!("{SHOP}# more\n")).expect("write");
        }),
        ("gone", |path| std::fs::remove_file(path).expect("remove")),
        ("a folder", |path| {
            std::fs::remove_file(path).expect("remove");
            std::fs::create_dir(path).expect("mkdir");
        }),
    ];
    for (what, swap) in swaps {
        let t = tree().file(
            "apps/clean/imgcost.yaml",
            "version: 1\nproject: clean\nworkflows:\n  icons:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 10}\n    budget: {monthly_usd: 10}\n",
        );
        let report = imgcost::check(&options(t.path(), Texts::ReadAgain)).expect("checked");
        assert!(
            report
                .diagnostics
                .iter()
                .all(|d| d.primary.file.path() != "apps/clean/imgcost.yaml"),
            "the clean manifest has findings"
        );
        std::fs::write(t.path().join("apps/clean/imgcost.yaml"), "changed").expect("write");
        let expected = drawn(&report).expect("a file without findings is not read again");
        swap(&t.path().join("apps/shop/imgcost.yaml"));
        let mut out = Vec::new();
        let error =
            imgcost::render::human::write(&report, STYLE, false, Some(&read_again), &mut out)
                .expect_err(what);
        assert!(
            matches!(stopped_on(&error), Error::Changed { path, .. } if path == "apps/shop/imgcost.yaml"),
            "{what}: {error}"
        );
        assert!(
            error
                .to_string()
                .starts_with("apps/shop/imgcost.yaml changed while imgcost ran ("),
            "{what}: {error}"
        );
        assert!(out.is_empty(), "{what}: {}", String::from_utf8_lossy(&out));
        assert!(expected.contains("n: 6"), "{expected}");
    }
}

/// Through the binary: a report written over a manifest (`--output human=` its path) replaces
/// it before stdout's report draws it, which then fails the run (exit 2) rather than draw the
/// report's text as the manifest's lines.
#[test]
fn a_manifest_replaced_before_stdout_draws_it_fails_the_run() {
    let t = tree()
        .args(["check", "--as-of", "2026-11-25", "--color", "never"])
        .args([
            "--format",
            "human",
            "--output",
            "human=apps/shop/imgcost.yaml",
        ]);
    let output = t.run();
    output.status(2).stderr_has(
        "imgcost: error: apps/shop/imgcost.yaml changed while imgcost ran (its bytes are not those checked)",
    );
    assert_eq!(output.stdout, "");
    let written = std::fs::read_to_string(t.path().join("apps/shop/imgcost.yaml")).expect("read");
    assert!(written.contains("n: 6"), "{written}");
}

/// A manifest outside a sparse checkout is read again from git's index, as it was checked: the
/// same report as with the file in the working tree; a blob staged in its place meanwhile
/// fails the report.
#[test]
fn a_manifest_read_from_the_index_is_read_again_from_the_index() {
    let t = tree();
    git(t.path(), &["init", "-q"]);
    git(t.path(), &["add", "-A"]);
    git(t.path(), &["commit", "-qm", "base"]);
    let checked_out =
        drawn(&imgcost::check(&options(t.path(), Texts::ReadAgain)).expect("checked"))
            .expect("drawn");
    sparse_checkout(t.path(), &["/apps/legacy/", "/.imgcost/"]);
    assert!(!t.path().join("apps/shop/imgcost.yaml").exists());
    let report = imgcost::check(&options(t.path(), Texts::ReadAgain)).expect("checked");
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.primary.file.path() == "apps/shop/imgcost.yaml"
                && d.primary.file.text().is_none())
    );
    assert_eq!(drawn(&report).expect("drawn"), checked_out);

    let other = t.path().join("other.yaml");
    std::fs::write(&other, SHOP.replace("n: 6", "n: 7")).expect("write");
    let blob = git(t.path(), &["hash-object", "-w", "other.yaml"]);
    git(
        t.path(),
        &[
            "update-index",
            "--cacheinfo",
            &format!("100644,{blob},apps/shop/imgcost.yaml"),
        ],
    );
    let error = drawn(&report).expect_err("the index changed");
    assert!(
        matches!(stopped_on(&error), Error::Changed { path, .. } if path == "apps/shop/imgcost.yaml"),
        "{error}"
    );
}

/// A manifest committed as a link to the path a report is written to (`--output
/// json=report.json`, a file the change also commits) is replaced by imgcost itself before
/// stdout's human report draws it. The change needs no process beside imgcost: the report
/// must draw the manifest as it was judged (exit 1, as before manifests were read again),
/// not stop with exit 2 and "run imgcost again", which fails the same way on every run. A
/// linked manifest keeps its text (`ManifestPath::linked`).
#[cfg(unix)]
#[test]
fn a_manifest_linked_to_a_report_written_first_is_drawn_as_judged() {
    let t = Test::new()
        .file(".imgcost/policy.yaml", POLICY)
        .file("report.json", SHOP)
        .args(["check", "--as-of", "2026-11-25", "--color", "never"])
        .args(["--format", "human", "--output", "json=report.json"]);
    std::fs::create_dir_all(t.path().join("apps/shop")).expect("mkdir");
    std::os::unix::fs::symlink("../../report.json", t.path().join("apps/shop/imgcost.yaml"))
        .expect("link");
    let output = t.run();
    output
        .status(1)
        .stdout_has("apps/shop/imgcost.yaml:6:52]")
        .stdout_has("request: {size: 1024x1024, quality: medium, n: 6}");
    assert_eq!(output.stderr, "");
    let written = std::fs::read_to_string(t.path().join("report.json")).expect("read");
    assert!(written.starts_with('{'), "{written}");
}
