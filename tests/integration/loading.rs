//! Discovery and loading across files: ids, defaults, duplicates across manifests, paths.

use crate::test::Test;

#[test]
fn duplicate_workflow_ids_across_files_point_at_both() {
    let manifest = "version: 1\nproject: shop\nworkflows:\n  hero:\n    model: gpt-image-2\n    volume: {requests_per_month: 1}\n";
    let report = Test::new()
        .file("a/imgcost.yaml", manifest)
        .file("b/imgcost.yaml", manifest)
        .args(["check", "--format", "json"])
        .run()
        .status(1)
        .json();
    let diagnostic = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "IC004")
        .unwrap();
    assert_eq!(
        (
            diagnostic["file"].as_str(),
            diagnostic["line"].as_u64(),
            diagnostic["column"].as_u64()
        ),
        (Some("b/imgcost.yaml"), Some(4), Some(3))
    );
    assert_eq!(
        (
            diagnostic["related"][0]["file"].as_str(),
            diagnostic["related"][0]["line"].as_u64()
        ),
        (Some("a/imgcost.yaml"), Some(4))
    );
}

#[test]
fn project_defaults_to_the_folder_name_and_ids_are_project_slash_name() {
    let report = Test::new()
        .file("apps/storefront/imgcost.yaml", "version: 1\nworkflows:\n  hero:\n    model: gpt-image-2\n    volume: {requests_per_month: 1}\n")
        .args(["check", "--format", "json"])
        .run()
        .status(0)
        .json();
    assert_eq!(report["workflows"][0]["id"], "storefront/hero");
    assert_eq!(
        report["workflows"][0]["file"],
        "apps/storefront/imgcost.yaml"
    );
    assert_eq!(report["workflows"][0]["line"], 3);
}

#[test]
fn gitignored_manifests_are_skipped_but_named_files_are_always_checked() {
    let t = Test::new()
        .file(".gitignore", "vendor/\n")
        .file("vendor/imgcost.yaml", "version: 1\n")
        .file("odd-name.yaml", "version: 1\n");
    let report = t
        .args(["check", "--allow-empty", "--format", "json"])
        .run()
        .status(0)
        .json();
    assert_eq!(report["summary"]["manifests"], 0);
    let t = Test::new().file("odd-name.yaml", "version: 1\n");
    let report = t
        .args(["check", "odd-name.yaml", "--format", "json"])
        .run()
        .status(1)
        .json();
    assert_eq!(report["diagnostics"][0]["file"], "odd-name.yaml");
}

#[test]
fn defaults_merge_under_workflows_and_the_workflow_wins() {
    let manifest = "version: 1\ndefaults:\n  model: gpt-image-2\n  request: {quality: low, size: 1024x1024}\nworkflows:\n  hero:\n    request: {quality: high}\n    volume: {requests_per_month: 1}\n";
    Test::new()
        .file("imgcost.yaml", manifest)
        .args(["check"])
        .run()
        .status(0);
}

#[test]
fn a_directory_named_like_a_manifest_is_reported_not_skipped() {
    let t = Test::new().file("imgcost.yaml/inner.txt", "x");
    let report = t.args(["check", "--format", "json"]).run().status(1).json();
    assert_eq!(report["diagnostics"][0]["rule"], "IC005");
    assert_eq!(report["diagnostics"][0]["file"], "imgcost.yaml");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_tree_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "version: 1\n").unwrap();
    let t = Test::new();
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        t.path().join("imgcost.yaml"),
    )
    .unwrap();
    let report = t.args(["check", "--format", "json"]).run().status(1).json();
    assert_eq!(report["diagnostics"][0]["rule"], "IC005");
    assert!(
        report["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("outside the scanned tree")
    );
}

#[test]
fn crlf_and_bom_load_like_lf() {
    let lf = "version: 1\nproject: p\nworkflows:\n  hero:\n    model: gpt-image-2\n    volume: {requests_per_month: 1}\n";
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let a = Test::new()
        .file("imgcost.yaml", lf)
        .args(["check", "--format", "json"])
        .run()
        .status(0)
        .json();
    let b = Test::new()
        .file("imgcost.yaml", crlf)
        .args(["check", "--format", "json"])
        .run()
        .status(0)
        .json();
    assert_eq!(a["workflows"], b["workflows"]);
}
