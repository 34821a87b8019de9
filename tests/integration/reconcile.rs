//! `imgcost reconcile` end to end: the November fixture (`tests/fixtures/reconcile/november/`,
//! written by its `generate.py` from the documented shapes: five pages of daily buckets, several
//! keys and models, a costs page, a dashboard export pair) in every format, with exact figures;
//! the proportional split; `--suggest` and `--write`; and bad or hostile inputs, each a located
//! error with exit 2 (never a silent zero).

use std::path::{Path, PathBuf};

use imgcost::Schema;

use crate::test::{Output, Test, repo, run_in};

fn november() -> PathBuf {
    repo().join("tests/fixtures/reconcile/november")
}

fn args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "reconcile",
        "apps",
        "--policy",
        "policy.yaml",
        "--as-of",
        "2026-12-01",
        "--color",
        "never",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args
}

/// The November fixture with its API pages: usage, costs and the activity export.
fn api_args(format: &str) -> Vec<String> {
    args(&[
        "--usage",
        "usage",
        "--costs",
        "costs",
        "--activity",
        "exports/activity-2026-11.csv",
        "--format",
        format,
    ])
}

fn run(dir: &Path, args: &[String]) -> Output {
    run_in(
        dir,
        args,
        &[],
        &["NO_COLOR".to_owned(), "GITHUB_ACTIONS".to_owned()],
    )
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", output.stdout))
}

fn workflow<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

fn schema_errors(report: &serde_json::Value) -> Vec<String> {
    Schema::Reconcile
        .validator()
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path().as_str()))
        .collect()
}

#[test]
fn november_in_every_format_is_golden() {
    for format in ["human", "json", "markdown", "github", "sarif"] {
        let output = run(&november(), &api_args(format));
        assert_eq!(output.status, 1, "{format}: {}", output.stderr);
        assert_eq!(output.stderr, "", "{format}");
        insta::assert_snapshot!(format!("reconcile_november_{format}"), output.stdout);
    }
}

#[test]
fn november_figures_are_exact_and_the_json_matches_its_schema() {
    let output = run(&november(), &api_args("json"));
    let report = json(&output);
    assert_eq!(schema_errors(&report), Vec::<String>::new());
    assert_eq!(report["period"]["from"], "2026-11-01T00:00:00Z");
    assert_eq!(report["period"]["to"], "2026-12-01T00:00:00Z");
    assert_eq!(report["period"]["scaling"], "calendar_months");
    assert_eq!(report["inputs"]["usage_files"], 5);
    let hero = workflow(&report, "storefront/hero");
    // 3 000 requests with 5 % retries: 3 150 billed calls; billed $740.88 for 4 500 images.
    assert_eq!(hero["projected"]["requests"], "3150");
    assert_eq!(hero["projected"]["monthly_usd"], "518.62");
    assert_eq!(hero["actual"]["requests"], "4500");
    assert_eq!(hero["actual"]["images"], "4500");
    assert_eq!(hero["actual"]["usd"], "740.88");
    assert_eq!(hero["actual"]["usd_source"], "costs");
    assert_eq!(hero["actual"]["estimate"], false);
    assert_eq!(hero["ratio"]["usd"], "1.4286");
    let thumbs = workflow(&report, "storefront/thumbs");
    assert_eq!(thumbs["actual"]["images"], "60000");
    assert_eq!(thumbs["actual"]["usd"], "510.00");
    let avatar = workflow(&report, "support/avatar");
    assert_eq!(avatar["actual"]["usd"], "0.00");
    assert_eq!(avatar["actual"]["usd_source"], "ratecard");
    assert_eq!(
        workflow(&report, "support/faq-art")["actual"],
        serde_json::Value::Null
    );
    let rules: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("IC601", "warning"),
            ("IC604", "warning"),
            ("IC603", "warning"),
            ("IC602", "error"),
            ("IC602", "error"),
        ]
    );
    // The DALL·E 3 run under key_hero is exempted by the policy; key_batchjob's is not.
    // Both are placed at the usage file, where the usage is.
    let dalle = &report["diagnostics"][4];
    let batch = &report["diagnostics"][3];
    assert_eq!(
        dalle["workflow"],
        "openai/proj_storefront/key_hero/dall-e-3/image.generation"
    );
    assert_eq!(dalle["file"], "usage/images-2026-11-p1.json");
    assert!(dalle["exempted"].is_object());
    assert_eq!(batch["file"], "usage/images-2026-11-p1.json");
    assert_eq!(batch["exempted"], serde_json::Value::Null);
    assert_eq!(report["summary"]["other_usd"], "96.00");
    assert_eq!(report["summary"]["passed"], false);
}

/// Two workflows share one key and model: the 4 400 requests and $231.79 of the key are split
/// 1 : 3, as their projections (1 000 and 3 000 requests), and each says it is an estimate.
#[test]
fn a_shared_key_is_split_in_proportion_to_the_projections() {
    let report = json(&run(&november(), &api_args("json")));
    let banner = workflow(&report, "marketing/banner");
    let promo = workflow(&report, "marketing/promo");
    assert_eq!(banner["actual"]["requests"], "1100");
    assert_eq!(promo["actual"]["requests"], "3300");
    assert_eq!(banner["actual"]["usd"], "57.95");
    assert_eq!(promo["actual"]["usd"], "173.84");
    assert_eq!(banner["actual"]["estimate"], true);
    assert_eq!(
        banner["actual"]["shared_with"],
        serde_json::json!(["marketing/promo"])
    );
    assert_eq!(
        promo["actual"]["shared_with"],
        serde_json::json!(["marketing/banner"])
    );
}

/// Hostile: 300 workflows claim one key. Each row names the first 10 others in report order
/// and counts all 299, so the report grows with the number of workflows, not its square.
#[test]
fn a_key_hundreds_of_workflows_share_names_ten_and_counts_the_rest() {
    let mut manifest = String::from(
        "version: 1\nproject: many\nowner: \"@shop\"\nattribution: {openai_project: proj_shop, api_keys: [key_all]}\nworkflows:\n",
    );
    for i in 0..300 {
        manifest.push_str(&format!(
            "  w{i:03}:\n    model: gpt-image-2\n    request: {{size: 1024x1024, quality: low}}\n    volume: {{requests_per_month: 100}}\n"
        ));
    }
    let usage = page(
        0,
        30,
        &serde_json::json!([images_result("key_all", "gpt-image-2", "1024x1024", 1000)]),
        false,
    );
    let output = reconcile(
        Test::new()
            .file("imgcost.yaml", manifest)
            .file("usage.json", usage),
        &["--usage", "usage.json", "--format", "json"],
    );
    let report = json(&output);
    let named = |id: &str| workflow(&report, id)["actual"].clone();
    let first = named("many/w000");
    let expected: Vec<String> = (1..=10).map(|i| format!("many/w{i:03}")).collect();
    assert_eq!(first["shared_with"], serde_json::json!(expected));
    assert_eq!(first["shared_with_count"], 299);
    let fifth = named("many/w004");
    let expected: Vec<String> = [0, 1, 2, 3, 5, 6, 7, 8, 9, 10]
        .iter()
        .map(|i| format!("many/w{i:03}"))
        .collect();
    assert_eq!(fifth["shared_with"], serde_json::json!(expected));
    assert_eq!(fifth["shared_with_count"], 299);
    assert!(output.stdout.len() < 600_000, "{}", output.stdout.len());
}

/// The dashboard's export pair instead of the API's costs page: the Cost export has no key
/// column, so a project's dollars of one model are split between its workflows of that model.
#[test]
fn the_export_pair_reconciles_by_project() {
    let output = run(
        &november(),
        &args(&[
            "--usage",
            "usage",
            "--costs",
            "exports/cost-2026-11.csv",
            "--activity",
            "exports/activity-2026-11.csv",
            "--format",
            "json",
        ]),
    );
    assert_eq!(output.status, 1, "{}", output.stderr);
    let report = json(&output);
    assert_eq!(schema_errors(&report), Vec::<String>::new());
    assert_eq!(report["inputs"]["costs_files"], 1);
    insta::assert_snapshot!(
        "reconcile_november_export_pair",
        report["workflows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| format!(
                "{} {} {}",
                w["id"].as_str().unwrap(),
                w["actual"]["usd"],
                w["actual"]["usd_source"]
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn suggest_prints_the_volume_corrections_as_a_diff() {
    let output = run(
        &november(),
        &args(&["--usage", "usage", "--costs", "costs", "--suggest"]),
    );
    assert_eq!(output.status, 1);
    insta::assert_snapshot!("reconcile_november_suggest", output.stdout);
    insta::assert_snapshot!("reconcile_november_suggest_stderr", output.stderr);
}

/// `--write` changes exactly the suggested values: every other byte of every file (comments,
/// layout, the values written once for several workflows) stays.
#[test]
fn write_changes_only_the_suggested_values() {
    let test = Test::new();
    copy_folder(&november(), test.path());
    let before = |path: &str| std::fs::read_to_string(november().join(path)).unwrap();
    let after = |path: &str| std::fs::read_to_string(test.path().join(path)).unwrap();
    let output = run(
        test.path(),
        &args(&["--usage", "usage", "--costs", "costs", "--write"]),
    );
    assert_eq!(output.status, 1, "{}", output.stderr);
    let suggested = run(
        &november(),
        &args(&["--usage", "usage", "--costs", "costs", "--suggest"]),
    );
    assert_eq!(output.stdout, suggested.stdout);
    assert!(
        output
            .stderr
            .ends_with("imgcost: wrote 4 value(s) in 2 file(s)\n"),
        "{}",
        output.stderr
    );
    let storefront = "apps/storefront/imgcost.yaml";
    assert_eq!(
        after(storefront),
        before(storefront)
            .replacen(
                "requests_per_month: 3000   # launch plan",
                "requests_per_month: 4286   # launch plan",
                1
            )
            .replacen(
                "requests_per_month: 20000 #",
                "requests_per_month: 15000 #",
                1
            )
    );
    let support = "apps/support/imgcost.yaml";
    assert_eq!(after(support), before(support));
    let marketing = "apps/marketing/imgcost.yaml";
    assert_eq!(
        after(marketing),
        before(marketing)
            .replacen(
                "{requests_per_month: 1000}",
                "{requests_per_month: 1100}",
                1
            )
            .replacen("requests_per_month: 3000", "requests_per_month: 3300", 1)
    );
    // Corrected, the projections hold: no IC601 any more, and nothing left to suggest.
    let again = run(
        test.path(),
        &args(&["--usage", "usage", "--costs", "costs", "--suggest"]),
    );
    assert_eq!(again.stdout, "");
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

// --- Small inputs, written per test -------------------------------------------------------

const NOVEMBER_START: i64 = 1_793_491_200;
const DAY: i64 = 86_400;

const MANIFEST: &str = "version: 1
project: shop
owner: \"@shop\"
attribution: {openai_project: proj_shop}
workflows:
  hero:
    model: gpt-image-2
    request: {size: 1024x1024, quality: low}
    volume: {requests_per_month: 100}
    budget: {monthly_usd: 5}
    attribution: {api_keys: [key_hero]}
";

fn images_result(key: &str, model: &str, size: &str, requests: u64) -> serde_json::Value {
    serde_json::json!({
        "object": "organization.usage.images.result", "images": requests,
        "num_model_requests": requests, "size": size, "source": "image.generation",
        "project_id": "proj_shop", "user_id": null, "api_key_id": key, "model": model
    })
}

fn cost_result(value: serde_json::Value, currency: &str) -> serde_json::Value {
    serde_json::json!({
        "object": "organization.costs.result", "amount": {"value": value, "currency": currency},
        "line_item": "gpt-image-2 image, output", "project_id": "proj_shop",
        "api_key_id": "key_hero", "quantity": null, "quantity_unit": null
    })
}

/// A page of daily buckets from `first` (days after 2026-11-01) to `last` (excluded).
fn page(first: i64, last: i64, results: &serde_json::Value, has_more: bool) -> String {
    let buckets: Vec<serde_json::Value> = (first..last)
        .map(|day| {
            serde_json::json!({
                "object": "bucket",
                "start_time": NOVEMBER_START + day * DAY,
                "end_time": NOVEMBER_START + (day + 1) * DAY,
                "results": results
            })
        })
        .collect();
    serde_json::json!({"object": "page", "data": buckets, "has_more": has_more, "next_page": null})
        .to_string()
}

fn hero_page(first: i64, last: i64) -> String {
    page(
        first,
        last,
        &serde_json::json!([images_result("key_hero", "gpt-image-2", "1024x1024", 10)]),
        false,
    )
}

fn small() -> Test {
    Test::new().file("imgcost.yaml", MANIFEST)
}

fn reconcile(test: Test, extra: &[&str]) -> Output {
    test.args([
        "reconcile",
        ".",
        "--as-of",
        "2026-11-25",
        "--color",
        "never",
    ])
    .args(extra.iter().copied())
    .run()
}

/// A bad input: exit 2, nothing on stdout, and exactly this one-line error on stderr.
fn refused(output: &Output, error: &str) {
    assert_eq!(output.status, 2, "{}\n{}", output.stdout, output.stderr);
    assert_eq!(output.stdout, "");
    assert_eq!(output.stderr, format!("imgcost: error: {error}\n"));
}

#[test]
fn a_file_that_is_not_json_is_a_located_error() {
    let output = reconcile(
        small().file("usage.json", "<html>502 Bad Gateway</html>\n"),
        &["--usage", "usage.json"],
    );
    refused(
        &output,
        "invalid usage file usage.json at line 1: the first row has no `start_time` column: this is not an export of the Usage dashboard (Cost or Activity)",
    );
}

#[test]
fn a_truncated_page_is_a_located_error() {
    let whole = hero_page(0, 30);
    let output = reconcile(
        small().file("usage.json", &whole[..whole.len() / 2]),
        &["--usage", "usage.json"],
    );
    assert_eq!(output.status, 2, "{}", output.stderr);
    assert!(
        output
            .stderr
            .starts_with("imgcost: error: invalid usage file usage.json at line 1, column ")
            && output
                .stderr
                .ends_with(": the JSON ends early: the file is truncated\n"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_page_of_another_endpoint_is_a_located_error() {
    let output = reconcile(
        small().file("usage.json", hero_page(0, 30)),
        &["--usage", "usage.json", "--costs", "usage.json"],
    );
    refused(
        &output,
        "invalid costs file usage.json at JSON pointer /data: this is a page of /v1/organization/usage/images, given with --costs; pass it with --usage",
    );
}

#[test]
fn a_negative_amount_is_a_located_error() {
    let costs = page(
        0,
        30,
        &serde_json::json!([cost_result((-0.5).into(), "usd")]),
        false,
    );
    let output = reconcile(
        small()
            .file("usage.json", hero_page(0, 30))
            .file("costs.json", costs),
        &["--usage", "usage.json", "--costs", "costs.json"],
    );
    assert_eq!(output.status, 2);
    assert!(
        output.stderr.starts_with(
            "imgcost: error: invalid costs file costs.json at JSON pointer /data/0/results/0/amount: "
        ) && output.stderr.contains("negative (-0.5)"),
        "{}",
        output.stderr
    );
}

#[test]
fn another_currency_is_a_located_error() {
    let costs = page(
        0,
        30,
        &serde_json::json!([cost_result(0.5.into(), "eur")]),
        false,
    );
    let output = reconcile(
        small()
            .file("usage.json", hero_page(0, 30))
            .file("costs.json", costs),
        &["--usage", "usage.json", "--costs", "costs.json"],
    );
    assert_eq!(output.status, 2);
    assert!(
        output.stderr.starts_with(
            "imgcost: error: invalid costs file costs.json at JSON pointer /data/0/results/0/amount: "
        ) && output.stderr.contains("\"eur\""),
        "{}",
        output.stderr
    );
}

#[test]
fn overlapping_pages_are_a_located_error() {
    let output = reconcile(
        small()
            .file("usage/p1.json", hero_page(0, 10))
            .file("usage/p2.json", hero_page(9, 30)),
        &["--usage", "usage"],
    );
    refused(
        &output,
        "invalid usage file usage/p2.json at JSON pointer /data/0: it repeats a bucket of usage/p1.json (JSON pointer /data/9, 2026-11-10 to 2026-11-11): a page or export saved twice would count twice",
    );
}

#[test]
fn a_page_saved_twice_is_a_located_error() {
    let output = reconcile(
        small()
            .file("usage/p1.json", hero_page(0, 30))
            .file("usage/p1 (copy).json", hero_page(0, 30)),
        &["--usage", "usage"],
    );
    refused(
        &output,
        "invalid usage file usage/p1.json at JSON pointer /data/0: it repeats a bucket of usage/p1 (copy).json (JSON pointer /data/0, 2026-11-01 to 2026-11-02): a page or export saved twice would count twice",
    );
}

#[test]
fn a_missing_page_is_a_located_error() {
    let output = reconcile(
        small()
            .file("usage/p1.json", hero_page(0, 7))
            .file("usage/p3.json", hero_page(14, 30)),
        &["--usage", "usage"],
    );
    refused(
        &output,
        "invalid usage file usage/p3.json at JSON pointer /data/0: no page covers 2026-11-08 to 2026-11-15 (the bucket before ends in usage/p1.json): a page is missing",
    );
}

#[test]
fn a_last_page_with_more_to_come_is_a_located_error() {
    let more = page(
        0,
        30,
        &serde_json::json!([images_result("key_hero", "gpt-image-2", "1024x1024", 10)]),
        true,
    );
    let output = reconcile(small().file("usage.json", more), &["--usage", "usage.json"]);
    refused(
        &output,
        "invalid usage file usage.json at JSON pointer /has_more: the page holding the latest bucket says `has_more: true`: the pages after it are missing (fetch them with its `next_page`)",
    );
}

#[test]
fn a_bad_csv_row_is_located_by_its_line() {
    let export = "start_time,end_time,amount_value,amount_currency,line_item,project_id\n\
                  1793491200,1793577600,1.5,usd,\"gpt-image-2 image, output\",proj_shop\n\
                  1793577600,1793664000,lots,usd,\"gpt-image-2 image, output\",proj_shop\n";
    let output = reconcile(
        small()
            .file("usage.json", hero_page(0, 2))
            .file("cost.csv", export),
        &["--usage", "usage.json", "--costs", "cost.csv"],
    );
    assert_eq!(output.status, 2);
    assert!(
        output
            .stderr
            .starts_with("imgcost: error: invalid costs file cost.csv at line 3: "),
        "{}",
        output.stderr
    );
}

/// A hostile page: nested 100 000 deep. It is refused at its first line, without a stack overflow.
#[test]
fn deep_json_is_refused_without_overflowing() {
    let deep = format!("{{\"data\":{}", "[".repeat(100_000));
    let output = reconcile(small().file("usage.json", deep), &["--usage", "usage.json"]);
    assert_eq!(output.status, 2, "{}", output.stderr);
    assert!(
        output
            .stderr
            .starts_with("imgcost: error: invalid usage file usage.json at line 1, column "),
        "{}",
        output.stderr
    );
}

/// A page of one bucket holding `results` (JSON text), from 2026-11-01 for 30 days.
fn month_page(results: &str) -> String {
    format!(
        "{{\"object\":\"page\",\"data\":[{{\"object\":\"bucket\",\"start_time\":{NOVEMBER_START},\"end_time\":{},\"results\":[{results}]}}],\"has_more\":false}}",
        NOVEMBER_START + 30 * DAY
    )
}

/// `reconcile --usage usage.json` under a 1 GB address-space limit, on one worker thread.
#[cfg(target_os = "linux")]
fn reconcile_within_a_gigabyte(page: String) -> std::process::Output {
    let test = small().file("usage.json", page);
    std::process::Command::new("bash")
        .arg("-c")
        .arg("ulimit -v 1000000 && exec \"$0\" reconcile . --usage usage.json --as-of 2026-11-25 --color never --format json")
        .arg(crate::test::binary())
        .current_dir(test.path())
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .expect("run bash")
}

/// Hostile pages of millions of tiny values stay within a gigabyte of address space: each
/// result is checked and summed as it is parsed, and a value of the wrong type is located by a
/// walk that keeps nothing. Before, a page was parsed whole (about 250 bytes a result, 70 a
/// value while locating one of the wrong type): 4 million `{}` (12 MB) took 1.1 GB, 9 million
/// `0` (18 MB) 1.2 GB, and both runs were killed.
#[cfg(target_os = "linux")]
#[test]
fn pages_of_millions_of_tiny_results_stay_within_a_gigabyte() {
    let output = reconcile_within_a_gigabyte(month_page(&vec!["{}"; 4_000_000].join(",")));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "imgcost: error: invalid usage file usage.json at JSON pointer /data/0/results/0/object: the result has no `object`, which names the endpoint it comes from\n"
    );
    let output =
        reconcile_within_a_gigabyte(month_page(&format!("null{}", ",0".repeat(9_000_000))));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "imgcost: error: invalid usage file usage.json at JSON pointer /data/0/results/0: a result must be an object, found null\n"
    );
    // A million results that count nothing between two that count: the two are summed.
    let counted = r#"{"object":"organization.usage.images.result","images":3,"num_model_requests":2,"model":"gpt-image-2","source":"image.generation","project_id":"proj_shop","api_key_id":"key_hero"}"#;
    let nothing = r#"{"object":"organization.usage.images.result"}"#;
    let results = format!("{counted},{},{counted}", vec![nothing; 1_000_000].join(","));
    let output = reconcile_within_a_gigabyte(month_page(&results));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let hero = workflow(&report, "shop/hero");
    assert_eq!(hero["actual"]["requests"], "4");
    assert_eq!(hero["actual"]["images"], "6");
}

/// Hostile: each result of a page names a new group, which reconcile would keep to the end of
/// the report (a million in 64 MiB took 1.4 GB): past 100 000 groups in one file, the file is
/// refused at the result that crossed the line.
#[test]
fn a_page_of_too_many_distinct_groups_is_refused_where_it_crosses_the_limit() {
    let results: Vec<String> = (0..100_001)
        .map(|i| format!(r#"{{"object":"organization.usage.images.result","images":1,"num_model_requests":1,"model":"m{i}","source":"image.generation"}}"#))
        .collect();
    let output = reconcile_within_a_gigabyte(month_page(&results.join(",")));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "imgcost: error: invalid usage file usage.json at JSON pointer /data/0/results/100000: the file holds more than 100000 distinct groups (project, key, model and source or line item), more than imgcost keeps from one file; save fewer groups a file\n"
    );
}

/// Hostile, the same through a Cost export: past 100 000 distinct line items, the file is
/// refused at the line that crossed the limit.
#[test]
fn an_export_of_too_many_distinct_groups_is_refused_at_its_line() {
    let mut export =
        "start_time,end_time,amount_value,amount_currency,line_item,project_id\n".to_owned();
    for i in 0..100_001 {
        export.push_str(&format!(
            "1793491200,1793577600,0.01,usd,\"item {i}\",proj_shop\n"
        ));
    }
    let output = reconcile(
        small()
            .file("usage.json", hero_page(0, 1))
            .file("cost.csv", &export),
        &["--usage", "usage.json", "--costs", "cost.csv"],
    );
    refused(
        &output,
        "invalid costs file cost.csv at line 100002: the file holds more than 100000 distinct groups (project, key, model and source or line item), more than imgcost keeps from one file; save fewer groups a file",
    );
}

/// A file over the size limit (sparse, so the test writes nothing) is refused before it is read.
#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let test = small();
    let file = std::fs::File::create(test.path().join("usage.json")).unwrap();
    file.set_len(300 * 1024 * 1024).unwrap();
    let output = reconcile(test, &["--usage", "usage.json"]);
    refused(
        &output,
        "invalid usage file usage.json at the file: it is larger than the 256 MiB limit; save fewer buckets a page",
    );
}

#[test]
fn a_usage_file_linked_out_of_the_repository_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("usage.json"), hero_page(0, 30)).unwrap();
    let test = small();
    std::os::unix::fs::symlink(
        outside.path().join("usage.json"),
        test.path().join("usage.json"),
    )
    .unwrap();
    let output = reconcile(test, &["--usage", "usage.json"]);
    refused(
        &output,
        "cannot read usage file usage.json: it is a symbolic link to a place outside the repository; imgcost does not follow it",
    );
}

#[test]
fn a_usage_file_that_is_a_pipe_is_refused() {
    let test = small();
    let fifo = test.path().join("usage.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let output = reconcile(test, &["--usage", "usage.json"]);
    refused(
        &output,
        "cannot read usage file usage.json: it is not a regular file (a pipe, socket or device)",
    );
}

/// Odd sizes are opaque and counted; an unknown model and a key no manifest names are shadow
/// usage (IC602, an error: exit 1), never dropped.
#[test]
fn odd_sizes_and_unknown_models_are_counted_not_dropped() {
    let results = serde_json::json!([
        images_result("key_hero", "gpt-image-2", "1536x864-custom", 4),
        images_result("key_hero", "gpt-image-9", "1024x1024", 3),
        images_result("key_other", "gpt-image-2", "", 1),
    ]);
    let output = reconcile(
        small().file("usage.json", page(0, 30, &results, false)),
        &["--usage", "usage.json", "--format", "json"],
    );
    assert_eq!(output.status, 1, "{}", output.stderr);
    let report = json(&output);
    assert_eq!(workflow(&report, "shop/hero")["actual"]["images"], "120");
    let undeclared: Vec<String> = report["undeclared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| format!("{} {}", u["subject"].as_str().unwrap(), u["images"]))
        .collect();
    assert_eq!(
        undeclared,
        [
            "openai/proj_shop/key_hero/gpt-image-9/image.generation 90",
            "openai/proj_shop/key_other/gpt-image-2/image.generation 30",
        ]
    );
}

/// Ids from the usage files are the adversary's text: terminal escapes and spreadsheet formulas
/// in a key id reach no output raw.
#[test]
fn hostile_ids_are_escaped_in_every_format() {
    let key = "key_\u{1b}]0;pwned\u{7}\u{1b}[31m=HYPERLINK(\"http://x\")|`<b>`\n::error::x";
    let results = serde_json::json!([
        images_result("key_hero", "gpt-image-2", "1024x1024", 3),
        images_result(key, "gpt-image-2", "1024x1024", 2),
    ]);
    let test = small().file("usage.json", page(0, 30, &results, false));
    for format in ["human", "markdown", "github", "json", "sarif"] {
        let output = run(
            test.path(),
            &[
                "reconcile",
                ".",
                "--usage",
                "usage.json",
                "--as-of",
                "2026-11-25",
                "--color",
                "never",
                "--format",
                format,
            ]
            .map(str::to_owned),
        );
        assert_eq!(output.status, 1, "{format}: {}", output.stderr);
        assert!(
            !output.stdout.contains('\u{1b}'),
            "{format}: {}",
            output.stdout
        );
        assert!(!output.stdout.contains('\u{7}'), "{format}");
        assert!(
            !output.stdout.lines().any(|l| l.starts_with("::error::x")),
            "{format}: {}",
            output.stdout
        );
        if format == "markdown" {
            insta::assert_snapshot!("reconcile_hostile_ids_markdown", output.stdout);
        }
    }
}

/// `--from`/`--to` pick ten days of the November pages: figures of those days, scaled to a
/// month of 30.4375 days (× 3.04375), with the period given.
#[test]
fn a_given_period_scales_by_days() {
    let output = run(
        &november(),
        &args(&[
            "--usage",
            "usage",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-10",
            "--format",
            "json",
        ]),
    );
    let report = json(&output);
    assert_eq!(schema_errors(&report), Vec::<String>::new());
    assert_eq!(report["period"]["given"], true);
    assert_eq!(report["period"]["scaling"], "days");
    assert_eq!(report["period"]["to"], "2026-11-11T00:00:00Z");
    let hero = workflow(&report, "storefront/hero");
    let images: u64 = hero["actual"]["images"].as_str().unwrap().parse().unwrap();
    let monthly = hero["actual"]["monthly_images"].as_str().unwrap();
    // Exact: images × 30.4375 ÷ 10, at most four places.
    assert_eq!(
        monthly,
        rust_decimal::Decimal::from(images * 304_375)
            .checked_div(rust_decimal::Decimal::from(100_000))
            .unwrap()
            .round_dp(4)
            .normalize()
            .to_string()
    );
    assert_eq!(hero["actual"]["usd_source"], "ratecard");
}

/// A bucket that crosses `--from`/`--to` cannot be split: exit 2, located.
#[test]
fn a_period_that_cuts_a_bucket_is_a_located_error() {
    let output = reconcile(
        small().file("usage.json", page(0, 1, &serde_json::json!([]), false)),
        &["--usage", "usage.json"],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    let whole_month = serde_json::json!({"object": "page", "data": [{"object": "bucket",
        "start_time": NOVEMBER_START, "end_time": NOVEMBER_START + 30 * DAY, "results": []}],
        "has_more": false, "next_page": null});
    let output = reconcile(
        small().file("usage.json", whole_month.to_string()),
        &[
            "--usage",
            "usage.json",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-10",
        ],
    );
    refused(
        &output,
        "invalid usage file usage.json at JSON pointer /data/0: the bucket (2026-11-01 to 2026-12-01) crosses the edge of --from/--to (2026-11-01 to 2026-11-11); it cannot be split",
    );
}

#[test]
fn the_schema_command_prints_the_reconcile_schema() {
    let output = Test::new().args(["schema", "reconcile"]).run();
    assert_eq!(output.status, 0);
    assert_eq!(
        output.stdout.trim_end(),
        std::fs::read_to_string(repo().join("schemas/reconcile.schema.json"))
            .unwrap()
            .trim_end()
    );
}

/// The scheduled example fetches what reconcile reads, and finds its issue by the marker the
/// Markdown report starts with.
#[test]
fn the_scheduled_example_matches_the_command() {
    let example =
        std::fs::read_to_string(repo().join("examples/github/imgcost-reconcile.yml")).unwrap();
    assert!(example.contains(&format!(
        "startswith(\"{}\")",
        imgcost::render::reconcile::MARKER
    )));
    for needed in [
        "--usage pages/usage --costs pages/costs --activity pages/activity",
        "--format markdown",
        "fetch usage/images usage model source project_id api_key_id",
        "fetch costs costs line_item project_id api_key_id",
    ] {
        assert!(example.contains(needed), "{needed}");
    }
    let report = run(&november(), &api_args("markdown"));
    assert!(
        report
            .stdout
            .starts_with(&format!("{}\n", imgcost::render::reconcile::MARKER))
    );
}

/// A policy's tolerance beyond what a decimal holds is no limit, not a panic (exit 2 with an
/// internal error before the fix).
#[test]
fn a_tolerance_beyond_a_decimal_is_no_limit() {
    let policy = "version: 1\nname: lax\nrules:\n  reconcile:\n    over_percent: 79228162514264337593543950335\n    cost_per_image_percent: 79228162514264337593543950335\n";
    let results = serde_json::json!([images_result("key_hero", "gpt-image-2", "1024x1024", 7)]);
    let output = reconcile(
        small()
            .file("lax.yaml", policy)
            .file("usage.json", page(0, 30, &results, false)),
        &[
            "--usage",
            "usage.json",
            "--policy",
            "lax.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    let report = json(&output);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert_eq!(workflow(&report, "shop/hero")["actual"]["images"], "210");
}

/// The largest counts a page may hold are summed and priced exactly, and over any projection.
#[test]
fn the_largest_counts_are_priced_not_dropped() {
    let results = serde_json::json!([images_result(
        "key_hero",
        "gpt-image-2",
        "1024x1024",
        u64::MAX
    )]);
    let output = reconcile(
        small().file("usage.json", page(0, 1, &results, false)),
        &["--usage", "usage.json", "--format", "json"],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    let report = json(&output);
    let hero = workflow(&report, "shop/hero");
    assert_eq!(hero["actual"]["images"], u64::MAX.to_string());
    assert_eq!(hero["actual"]["usd"], "108466855153412163.50");
    assert_eq!(report["diagnostics"][0]["rule"], "IC601");
    // A second bucket of as many overflows 2^64 within the page: a located error.
    let output = reconcile(
        small().file("usage.json", page(0, 2, &results, false)),
        &["--usage", "usage.json"],
    );
    assert_eq!(output.status, 2);
    assert!(
        output.stderr.starts_with(
            "imgcost: error: invalid usage file usage.json at JSON pointer /data/1/results/0"
        ),
        "{}",
        output.stderr
    );
}

/// Policies set reconcile's severities as every rule's: IC601 made an error fails the run, and
/// IC603 turned off drops its finding.
#[test]
fn policies_set_the_severities() {
    let policy = "version: 1\nname: strict\nseverity: {IC601: error, IC603: \"off\"}\n";
    let results = serde_json::json!([images_result("key_hero", "gpt-image-2", "1024x1024", 7)]);
    let output = reconcile(
        small()
            .file("strict.yaml", policy)
            .file("usage.json", page(0, 30, &results, false)),
        &[
            "--usage",
            "usage.json",
            "--policy",
            "strict.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status, 1, "{}", output.stderr);
    let report = json(&output);
    assert_eq!(report["diagnostics"][0]["rule"], "IC601");
    assert_eq!(report["diagnostics"][0]["severity"], "error");
    let silent = reconcile(
        small()
            .file("strict.yaml", policy)
            .file("usage.json", page(0, 30, &serde_json::json!([]), false)),
        &[
            "--usage",
            "usage.json",
            "--policy",
            "strict.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(silent.status, 0, "{}", silent.stderr);
    assert_eq!(json(&silent)["diagnostics"], serde_json::json!([]));
}

/// Pages of the completions endpoint given with --activity: the workflow's image tokens, summed.
#[test]
fn completions_pages_give_image_tokens() {
    let tokens = serde_json::json!([{
        "object": "organization.usage.completions.result", "input_tokens": 900,
        "output_tokens": 4000, "input_image_tokens": 25, "input_cached_image_tokens": 5,
        "output_image_tokens": 3000, "num_model_requests": 10, "project_id": "proj_shop",
        "user_id": null, "api_key_id": "key_hero", "model": "gpt-image-2", "batch": null,
        "service_tier": null, "some_future_field": {"ignored": true}
    }]);
    let output = reconcile(
        small()
            .file("usage.json", hero_page(0, 30))
            .file("activity.json", page(0, 30, &tokens, false)),
        &[
            "--usage",
            "usage.json",
            "--activity",
            "activity.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    let report = json(&output);
    assert_eq!(report["inputs"]["activity_files"], 1);
    assert_eq!(
        workflow(&report, "shop/hero")["actual"]["image_tokens"],
        serde_json::json!({"input": "750", "cached_input": "150", "output": "90000"})
    );
}

/// Cells of a Cost export are the adversary's text too: a spreadsheet formula, a pipe and a
/// line break inside quotes stay data in every format.
#[test]
fn hostile_export_cells_stay_data() {
    let export = "start_time,end_time,amount_value,amount_currency,line_item,project_id\n\
                  1793491200,1796083200,1.5,usd,\"gpt-image-2 image, output\",\"=HYPERLINK(\"\"http://x\"\")|a\n::error::y\"\n";
    let test = small()
        .file("usage.json", page(0, 30, &serde_json::json!([]), false))
        .file("cost.csv", export);
    for format in ["human", "markdown", "github", "json"] {
        let output = run(
            test.path(),
            &[
                "reconcile",
                ".",
                "--usage",
                "usage.json",
                "--costs",
                "cost.csv",
                "--as-of",
                "2026-11-25",
                "--color",
                "never",
                "--format",
                format,
            ]
            .map(str::to_owned),
        );
        assert_eq!(output.status, 1, "{format}: {}", output.stderr);
        assert!(
            !output.stdout.lines().any(|l| l.starts_with("::error::y")),
            "{format}: {}",
            output.stdout
        );
        if format == "json" {
            let report = json(&output);
            assert_eq!(
                report["undeclared"][0]["project"],
                "=HYPERLINK(\"http://x\")|a\n::error::y"
            );
            assert_eq!(report["undeclared"][0]["usd"], "1.50");
        }
        if format == "markdown" {
            insta::assert_snapshot!("reconcile_hostile_export_markdown", output.stdout);
        }
    }
}

/// Counts of one group that pass 2^64 across files are an error at the place that tips them
/// over, not a clamp (they saturated before).
#[test]
fn counts_past_two_to_the_64_across_files_are_a_located_error() {
    let results = serde_json::json!([images_result(
        "key_hero",
        "gpt-image-2",
        "1024x1024",
        u64::MAX
    )]);
    let output = reconcile(
        small()
            .file("usage/p1.json", page(0, 1, &results, false))
            .file("usage/p2.json", page(1, 2, &results, false)),
        &["--usage", "usage"],
    );
    refused(
        &output,
        "invalid usage file usage/p2.json at JSON pointer /data/0/results/0: with the same group in the files before it, the counts add up to more than 2^64",
    );
}

/// A thousand attributed workflows and as many undeclared keys: the Markdown report stays under
/// GitHub's 65 536-character limit for an issue body, and says what it left out.
#[test]
fn a_long_markdown_report_stays_within_an_issue_body() {
    let mut manifest = String::from(
        "version: 1\nproject: many\nowner: \"@shop\"\nattribution: {openai_project: proj_shop}\nworkflows:\n",
    );
    let mut results = Vec::new();
    for i in 0..1000 {
        let id = format!("a-rather-long-workflow-name-to-fill-the-table-{i:04}");
        manifest.push_str(&format!(
            "  {id}:\n    model: gpt-image-2\n    request: {{size: 1024x1024, quality: low}}\n    volume: {{requests_per_month: 100}}\n    budget: {{monthly_usd: 5}}\n    attribution: {{api_keys: [key_{i:04}]}}\n"
        ));
        results.push(images_result(
            &format!("key_{i:04}"),
            "gpt-image-2",
            "1024x1024",
            3,
        ));
        results.push(images_result(
            &format!("key_undeclared_{i:04}"),
            "gpt-image-2",
            "1024x1024",
            1,
        ));
    }
    let test = Test::new().file("imgcost.yaml", manifest).file(
        "usage.json",
        page(0, 30, &serde_json::Value::Array(results), false),
    );
    let output = run(
        test.path(),
        &[
            "reconcile",
            ".",
            "--usage",
            "usage.json",
            "--as-of",
            "2026-11-25",
            "--color",
            "never",
            "--format",
            "markdown",
        ]
        .map(str::to_owned),
    );
    assert_eq!(output.status, 1, "{}", output.stderr);
    let length = output.stdout.chars().count();
    assert!(length < 65_536, "{length}");
    assert!(
        output
            .stdout
            .contains("| … 766 more workflows (see the JSON report) | | | | | |\n"),
        "{:?}",
        output.stdout.lines().find(|l| l.contains("more workflows"))
    );
    assert!(output.stdout.contains("| … 900 more | | | | | |\n"));
}

#[test]
fn junit_is_not_a_format_of_reconcile() {
    let output = reconcile(
        small().file("usage.json", hero_page(0, 30)),
        &["--usage", "usage.json", "--format", "junit"],
    );
    refused(
        &output,
        "reconcile writes human, json, markdown, github or sarif, not junit",
    );
}

/// An exemption of IC602 is for reconcile: `check` with the same policy does not call it unused
/// (IC307 fired there before), and reconcile does when it covers nothing.
#[test]
fn exemptions_of_reconcile_findings_are_judged_by_reconcile() {
    let checked = run(
        &november(),
        &[
            "check",
            "apps",
            "--policy",
            "policy.yaml",
            "--as-of",
            "2026-12-01",
            "--format",
            "json",
        ]
        .map(str::to_owned),
    );
    assert_eq!(checked.status, 0, "{}", checked.stderr);
    assert_eq!(json(&checked)["diagnostics"], serde_json::json!([]));
    let policy = "version: 1\nname: p\nexemptions:\n  - rule: IC602\n    workflows: [\"openai/proj_elsewhere/*\"]\n    reason: a sandbox\n    approved_by: \"@finops\"\n    expires: 2027-01-31\n";
    let output = reconcile(
        small()
            .file("p.yaml", policy)
            .file("usage.json", hero_page(0, 30)),
        &[
            "--usage",
            "usage.json",
            "--policy",
            "p.yaml",
            "--format",
            "json",
        ],
    );
    let rules: Vec<String> = json(&output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}",
                d["rule"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"]
            )
        })
        .collect();
    assert_eq!(rules, ["IC601 imgcost.yaml:9", "IC307 p.yaml:4"]);
}

/// A Cost export cut inside a quoted cell is a located error, not a shorter export; one with a
/// byte-order mark and CRLF line ends reads as any other.
#[test]
fn a_truncated_export_is_a_located_error() {
    let header = "start_time,end_time,amount_value,amount_currency,line_item,project_id,api_key_id";
    let row = "1793491200,1796083200,0.59,usd,\"gpt-image-2 image, output\",proj_shop,key_hero";
    let output = reconcile(
        small()
            .file("usage.json", hero_page(0, 30))
            .file("cost.csv", format!("{header}\n{}", &row[..45])),
        &["--usage", "usage.json", "--costs", "cost.csv"],
    );
    refused(
        &output,
        "invalid costs file cost.csv at line 2: a quoted field never closes: the file is truncated, or a quote is missing",
    );
    let output = reconcile(
        small()
            .file("usage.json", hero_page(0, 30))
            .file("cost.csv", format!("\u{feff}{header}\r\n{row}\r\n")),
        &[
            "--usage",
            "usage.json",
            "--costs",
            "cost.csv",
            "--format",
            "json",
        ],
    );
    let report = json(&output);
    assert_eq!(workflow(&report, "shop/hero")["actual"]["usd"], "0.59");
    assert_eq!(
        workflow(&report, "shop/hero")["actual"]["usd_source"],
        "costs"
    );
}

/// An `endpoint: responses` workflow's usage shows only in the costs: without --costs it is not
/// reconciled and says so (it showed $0.00 actual, a silent zero, before); with them its dollars
/// are the billed ones.
#[test]
fn a_responses_workflow_needs_costs() {
    let manifest = "version: 1\nproject: shop\nowner: \"@shop\"\nattribution: {openai_project: proj_shop, api_keys: [key_hero]}\nworkflows:\n  chat:\n    endpoint: responses\n    model: gpt-image-2\n    mainline: {model: gpt-5.4, input_tokens: 100}\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n    budget: {monthly_usd: 50}\n";
    let costs = page(
        0,
        30,
        &serde_json::json!([cost_result(0.02.into(), "usd")]),
        false,
    );
    let empty = page(0, 30, &serde_json::json!([]), false);
    let test = Test::new()
        .file("imgcost.yaml", manifest)
        .file("usage.json", &empty)
        .file("costs.json", costs);
    let without = run(
        test.path(),
        &[
            "reconcile",
            ".",
            "--usage",
            "usage.json",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
        ]
        .map(str::to_owned),
    );
    assert_eq!(without.status, 0, "{}", without.stderr);
    let report = json(&without);
    assert_eq!(schema_errors(&report), Vec::<String>::new());
    let chat = workflow(&report, "shop/chat");
    assert_eq!(chat["not_reconciled"], "needs --costs");
    assert_eq!(chat["actual"], serde_json::Value::Null);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    let with = run(
        test.path(),
        &[
            "reconcile",
            ".",
            "--usage",
            "usage.json",
            "--costs",
            "costs.json",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
        ]
        .map(str::to_owned),
    );
    let report = json(&with);
    let chat = workflow(&report, "shop/chat");
    assert_eq!(chat["not_reconciled"], serde_json::Value::Null);
    assert_eq!(chat["actual"]["usd"], "0.60");
    assert_eq!(chat["actual"]["usd_source"], "costs");
}

/// The proportional split of the largest counts between large projections is exact: before, the
/// count times the projection overflowed and each share became the largest decimal.
#[test]
fn the_split_of_huge_counts_does_not_overflow() {
    let manifest = "version: 1\nproject: shop\nowner: \"@shop\"\nattribution: {openai_project: proj_shop, api_keys: [key_hero]}\ndefaults:\n  model: gpt-image-2\n  request: {size: 1024x1024, quality: low}\n  budget: {monthly_usd: 100000000000}\nworkflows:\n  one:\n    volume: {requests_per_month: 1000000000000}\n  three:\n    volume: {requests_per_month: 3000000000000}\n";
    let results = serde_json::json!([images_result(
        "key_hero",
        "gpt-image-2",
        "1024x1024",
        u64::MAX
    )]);
    let test = Test::new()
        .file("imgcost.yaml", manifest)
        .file("usage.json", page(0, 1, &results, false));
    let output = run(
        test.path(),
        &[
            "reconcile",
            ".",
            "--usage",
            "usage.json",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
        ]
        .map(str::to_owned),
    );
    let report = json(&output);
    // 18 446 744 073 709 551 615 split 1 : 3.
    assert_eq!(
        workflow(&report, "shop/one")["actual"]["images"],
        "4611686018427387903.75"
    );
    assert_eq!(
        workflow(&report, "shop/three")["actual"]["images"],
        "13835058055282163711.25"
    );
}

/// A volume written once for several workflows (under `defaults:`) is not rewritten for one of
/// them: --suggest says so on stderr and --write leaves the file as it was.
#[test]
fn a_shared_value_is_not_rewritten() {
    let manifest = "version: 1\nproject: shop\nowner: \"@shop\"\nattribution: {openai_project: proj_shop}\ndefaults:\n  model: gpt-image-2\n  request: {size: 1024x1024, quality: low}\n  volume: {requests_per_month: 100} # both\n  budget: {monthly_usd: 5}\nworkflows:\n  hero:\n    attribution: {api_keys: [key_hero]}\n  thumbs:\n    attribution: {api_keys: [key_thumbs]}\n";
    let test = Test::new()
        .file("imgcost.yaml", manifest)
        .file("usage.json", hero_page(0, 30));
    let output = run(
        test.path(),
        &[
            "reconcile",
            ".",
            "--usage",
            "usage.json",
            "--as-of",
            "2026-11-25",
            "--write",
        ]
        .map(str::to_owned),
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert_eq!(output.stdout, "");
    assert_eq!(
        output.stderr,
        "imgcost: note: shop/hero volume/requests_per_month is not changed: its value (100) is written once for several workflows (defaults: or an anchor); change it by hand to 300\nimgcost: wrote 0 value(s) in 0 file(s)\n"
    );
    assert_eq!(
        std::fs::read_to_string(test.path().join("imgcost.yaml")).unwrap(),
        manifest
    );
}

/// A Cost export row whose amount cell is empty is refused at its line: an empty cell is a value
/// lost in an edit or an export, never a free month.
#[test]
fn an_empty_amount_in_a_cost_export_is_a_located_error() {
    let export = "start_time,end_time,amount_value,amount_currency,line_item,project_id\n\
                  1793491200,1793577600,1.5,usd,\"gpt-image-2 image, output\",proj_shop\n\
                  1793577600,1793664000,,usd,\"gpt-image-2 image, output\",proj_shop\n";
    let output = reconcile(
        small()
            .file("usage.json", hero_page(0, 2))
            .file("cost.csv", export),
        &["--usage", "usage.json", "--costs", "cost.csv"],
    );
    refused(
        &output,
        "invalid costs file cost.csv at line 3: `amount_value` is empty",
    );
}

/// Hostile costs: many groups, each within a decimal, whose total is not. The whole is bounded
/// (at imgcost's money limit) and refused where it tips over, so no sum reconcile makes is ever
/// clamped.
#[test]
fn costs_past_the_money_limit_across_groups_are_a_located_error() {
    let huge = serde_json::json!(9e23);
    let results: Vec<serde_json::Value> = (0..3)
        .map(|i| {
            let mut result = cost_result(huge.clone(), "usd");
            result["api_key_id"] = serde_json::json!(format!("key_{i}"));
            result
        })
        .collect();
    let output = reconcile(
        small()
            .file("usage.json", hero_page(0, 1))
            .file("costs.json", page(0, 1, &serde_json::json!(results), false)),
        &["--usage", "usage.json", "--costs", "costs.json"],
    );
    assert_eq!(output.status, 2, "{}", output.stderr);
    assert_eq!(output.stdout, "");
    // The same group every run (groups are added in the order of their keys).
    assert!(
        output.stderr.starts_with(
            "imgcost: error: invalid costs file costs.json at JSON pointer /data/0/results/1"
        ) && output
            .stderr
            .contains("the usage adds up to more than imgcost handles"),
        "{}",
        output.stderr
    );
}

/// The IC602 findings (rule, severity) of a reconciliation in JSON.
fn undeclared(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "IC602")
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().chars().take(40).collect(),
            )
        })
        .collect()
}

/// Hostile (found by review): a change declares an empty placeholder workflow (0 requests a
/// month) attributed to a key whose usage no workflow declares. Usage matched to a workflow that
/// projects nothing would be "over its projection" (IC601, a warning) instead of undeclared
/// (IC602, an error); a workflow that projects no image takes no usage in.
#[test]
fn an_empty_placeholder_cannot_absorb_undeclared_usage() {
    let test = Test::new();
    copy_folder(&november(), test.path());
    let extra = &["--usage", "usage", "--costs", "costs", "--format", "json"];
    let before = run(test.path(), &args(extra));
    assert_eq!(before.status, 1, "{}", before.stderr);
    std::fs::write(
        test.path().join("apps/support/zz.imgcost.yaml"),
        "version: 1\nproject: support\nowner: me\nworkflows:\n  batch-placeholder:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 0}\n    budget: {monthly_usd: 1}\n    attribution: {openai_project: proj_storefront, api_keys: [key_batchjob]}\n",
    )
    .unwrap();
    let after = run(test.path(), &args(extra));
    assert_eq!(after.status, 1, "{}", after.stderr);
    assert_eq!(undeclared(&json(&after)), undeclared(&json(&before)));
    assert!(
        undeclared(&json(&after))
            .iter()
            .any(|(severity, _, message)| severity == "error"
                && message.starts_with("1,440 images (360 requests)")),
        "{:?}",
        undeclared(&json(&after))
    );
}

/// Hostile (found by review): a `paths:` exemption of IC602 for a sandbox folder, and a change
/// that adds a manifest there naming the same project and key. The finding stays at the usage
/// file (the manifest is a related place only), so the exemption cannot reach it.
#[test]
fn undeclared_usage_cannot_be_moved_under_a_paths_exemption() {
    let test = Test::new();
    copy_folder(&november(), test.path());
    let policy = std::fs::read_to_string(test.path().join("policy.yaml")).unwrap();
    let policy = policy.replacen(
        "exemptions:\n",
        "exemptions:\n  - rule: IC602\n    workflows: [\"*\"]\n    paths: [\"apps/sandbox/**\"]\n    reason: the sandbox team experiments freely\n    approved_by: \"@acme/finops\"\n    expires: 2027-06-30\n",
        1,
    );
    assert!(policy.contains("apps/sandbox/**"), "{policy}");
    std::fs::write(test.path().join("policy.yaml"), policy).unwrap();
    std::fs::create_dir_all(test.path().join("apps/sandbox")).unwrap();
    std::fs::write(
        test.path().join("apps/sandbox/imgcost.yaml"),
        "version: 1\nproject: sandbox\nowner: me\nworkflows:\n  edits:\n    model: gpt-image-2\n    endpoint: images.edit\n    inputs: {images: [{size: 1024x1024}]}\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 1}\n    budget: {monthly_usd: 1}\n    attribution: {openai_project: proj_storefront, api_keys: [key_batchjob]}\n",
    )
    .unwrap();
    let output = run(
        test.path(),
        &args(&["--usage", "usage", "--costs", "costs", "--format", "json"]),
    );
    assert_eq!(output.status, 1, "{}", output.stderr);
    let found = undeclared(&json(&output));
    assert!(
        found
            .iter()
            .any(|(severity, file, message)| severity == "error"
                && file == "usage/images-2026-11-p1.json"
                && message.starts_with("1,440 images (360 requests)")),
        "{found:?}"
    );
}

/// Hostile (found by review): a bucket from the smallest to the largest 64-bit time made the
/// period's length overflow (a panic in a debug build, a wrapped period in a release one). Times
/// outside 2000 to 2200 are refused where they are written, in pages and in exports.
#[test]
fn bucket_times_outside_two_centuries_are_located_errors() {
    let page = hero_page(0, 1)
        .replacen(&NOVEMBER_START.to_string(), "-9223372036854775808", 1)
        .replacen(
            &(NOVEMBER_START + DAY).to_string(),
            "9223372036854775807",
            1,
        );
    assert!(page.contains("-9223372036854775808"), "{page}");
    let output = reconcile(small().file("usage.json", page), &["--usage", "usage.json"]);
    refused(
        &output,
        "invalid usage file usage.json at JSON pointer /data/0/start_time: `start_time` is -9223372036854775808, outside 2000-01-01 to 2200-01-01: not the time of usage",
    );
    let export = "start_time,end_time,amount_value,amount_currency,line_item,project_id\n\
                  1793491200,99999999999,1.5,usd,\"gpt-image-2 image, output\",proj_shop\n";
    let output = reconcile(
        small()
            .file("usage.json", hero_page(0, 2))
            .file("cost.csv", export),
        &["--usage", "usage.json", "--costs", "cost.csv"],
    );
    refused(
        &output,
        "invalid costs file cost.csv at line 2: `end_time` is 99999999999, outside 2000-01-01 to 2200-01-01: not the time of usage",
    );
}

/// Hostile (found by review): usage files whose names carry a line break and a workflow command,
/// or `##[`, reached stderr as lines of their own when the file was refused. Names are shown
/// printable and stderr is kept from giving `##[` commands.
#[test]
fn hostile_usage_file_names_give_no_command_to_the_ci_log() {
    let output = reconcile(
        small().file(
            "usage/p\n::error title=FORGED::owned\n.json",
            "{\"object\": \"page\"",
        ),
        &["--usage", "usage"],
    );
    assert_eq!(output.status, 2, "{}", output.stderr);
    assert!(
        !output.stderr.lines().any(|line| line.starts_with("::")),
        "{}",
        output.stderr
    );
    assert!(
        output
            .stderr
            .contains("p\\u{a}::error title=FORGED::owned\\u{a}.json"),
        "{}",
        output.stderr
    );
    let output = reconcile(
        small().file("u##[error]forged/p.json", "{\"object\": \"page\""),
        &["--usage", "u##[error]forged"],
    );
    assert_eq!(output.status, 2, "{}", output.stderr);
    assert!(!output.stderr.contains("##["), "{}", output.stderr);
    assert!(
        output.stderr.contains("u#\u{200b}#[error]forged"),
        "{}",
        output.stderr
    );
}

/// Hostile (found by review): `--write` opened a manifest by the printable name a report shows,
/// so a folder name with a control character led it to a file planted at the escaped name. Such
/// a name is refused and nothing is written, neither to the manifest nor to the planted file.
#[test]
fn write_refuses_a_manifest_whose_name_a_report_escapes() {
    let planted = MANIFEST
        .replace("project: shop", "project: decoy")
        .replace("key_hero", "key_decoy");
    let test = Test::new()
        .file("we\u{1b}ird/imgcost.yaml", MANIFEST)
        .file("we\\u{1b}ird/imgcost.yaml", planted.as_str())
        .file("usage.json", hero_page(0, 2));
    // The folder outlives the run: what is on disk afterwards is the point.
    let test = test.args([
        "reconcile",
        ".",
        "--as-of",
        "2026-11-25",
        "--color",
        "never",
        "--usage",
        "usage.json",
        "--write",
    ]);
    let output = test.run();
    let root = test.path();
    assert_eq!(output.status, 2, "{}\n{}", output.stdout, output.stderr);
    assert!(
        output
            .stderr
            .contains("its name holds characters a report shows escaped, so it cannot be opened by it; edit it by hand; nothing was written to it"),
        "{}",
        output.stderr
    );
    for (name, text) in [
        ("we\u{1b}ird/imgcost.yaml", MANIFEST),
        ("we\\u{1b}ird/imgcost.yaml", planted.as_str()),
    ] {
        assert_eq!(
            std::fs::read_to_string(root.join(name)).unwrap(),
            text,
            "{name}"
        );
    }
}
