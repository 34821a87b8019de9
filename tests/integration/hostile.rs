//! Hostile and broken input (issue 8): every case ends quickly with an exact exit code and, where
//! the input has a place, the rule and the exact line and column of its finding.
//!
//! Cases already pinned by the golden files in `tests/fixtures/diagnostics/` (a comment-only
//! file, an invalid byte, a tab, 70 levels of `[`, a sequence alias bomb, `---`, a duplicate key
//! in `request`, `.inf`/`.nan`, a 60-digit integer, `batch: no`, `"12000"`, `hero:` with nothing)
//! and in `loading.rs` (BOM and CRLF pricing, a directory named like a manifest, a symbolic link
//! out of the tree) are not repeated here. Only findings of error severity are compared, so that
//! warnings and notes from the default policy do not blur what each case is about.

use serde_json::Value;

use crate::test::{Output, Test, check_args, repo, run_in};

const VALID: &str = "version: 1\nproject: p\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";

/// The first lines of `VALID`, up to its workflow's fields.
const HEAD: &str = "version: 1\nproject: p\nworkflows:\n  hero:\n    model: gpt-image-2\n";

/// Checks one manifest, `imgcost.yaml`, holding `bytes`.
fn check(bytes: impl AsRef<[u8]>) -> Output {
    Test::new()
        .file("imgcost.yaml", bytes)
        .args(["check", "--as-of", "2026-11-25", "--format", "json"])
        .run()
}

/// Rule, line and column of each finding of error severity, in report order.
fn errors(report: &Value) -> Vec<(String, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_owned(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
            )
        })
        .collect()
}

/// The one error finding of a report, asserted to be `rule` at `line`:`column`.
#[track_caller]
fn only_error<'a>(report: &'a Value, rule: &str, line: u64, column: u64) -> &'a Value {
    assert_eq!(
        errors(report),
        [(rule.to_owned(), line, column)],
        "{report:#}"
    );
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error")
}

fn monthly_usd(report: &Value) -> Vec<String> {
    report["workflows"]
        .as_array()
        .expect("workflows")
        .iter()
        .map(|w| w["monthly_usd"].as_str().expect("monthly_usd").to_owned())
        .collect()
}

#[test]
fn the_minimal_manifest_passes() {
    let report = check(VALID).status(0).json();
    assert_eq!(errors(&report), []);
    assert_eq!(monthly_usd(&report), ["0.59"]);
}

#[test]
fn an_empty_or_blank_file_is_one_schema_error_at_the_start() {
    for text in ["", "\n\n   \n", "\u{feff}"] {
        let report = check(text).status(1).json();
        let finding = only_error(&report, "IC002", 1, 1);
        assert_eq!(
            finding["message"],
            "the document must be a mapping, found nothing"
        );
    }
}

#[test]
fn comments_and_an_empty_document_are_the_same_error_at_its_marker() {
    let report = check("# just a note\n---\n# nothing else\n")
        .status(1)
        .json();
    only_error(&report, "IC002", 2, 1);
}

#[test]
fn invalid_utf8_is_located_in_characters_even_when_truncated_at_the_end() {
    // `é` is two bytes, one character: the stray byte after it is column 14, not 15.
    let report = check(b"version: 1\nproject: caf\xc3\xa9\xff\n")
        .status(1)
        .json();
    only_error(&report, "IC001", 2, 14);
    // A multi-byte character cut short by the end of the file.
    let report = check(b"version: 1\nproject: caf\xc3").status(1).json();
    let finding = only_error(&report, "IC001", 2, 13);
    assert_eq!(finding["message"], "file is not valid UTF-8");
    // After a byte-order mark, which is not a column (it once shifted this one by one).
    let report = check(b"\xef\xbb\xbfproject: caf\xff\n").status(1).json();
    only_error(&report, "IC001", 1, 13);
}

/// A deterministic stream of bytes that looks random (xorshift), so failures reproduce.
fn noise(len: usize, mut state: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

#[test]
fn binary_files_are_refused_at_their_first_byte() {
    // A PNG saved under a manifest's name: its first byte, 0x89, is not UTF-8.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(noise(64 * 1024, 0x9e37_79b9_7f4a_7c15));
    let report = check(&png).status(1).json();
    only_error(&report, "IC001", 1, 1);
    // UTF-16 without a byte-order mark is valid UTF-8 full of NULs, which YAML does not allow.
    let utf16: Vec<u8> = VALID.bytes().flat_map(|b| [b, 0]).collect();
    let report = check(utf16).status(1).json();
    let finding = only_error(&report, "IC001", 1, 2);
    assert_eq!(
        finding["message"],
        "YAML does not allow the unprintable character U+0000"
    );
}

#[test]
fn random_bytes_never_crash_and_always_fail_with_a_finding() {
    for seed in 1..=20 {
        let report = check(noise(4096, seed)).status(1).json();
        assert_eq!(errors(&report).len(), 1, "seed {seed}: {report:#}");
        assert_eq!(report["diagnostics"][0]["rule"], "IC001", "seed {seed}");
    }
}

#[test]
fn a_bom_does_not_shift_columns_on_the_first_line() {
    let report = check(format!("\u{feff}version: 2\n{}", &VALID[11..]))
        .status(1)
        .json();
    let finding = only_error(&report, "IC002", 1, 10);
    assert_eq!(finding["end_column"], 11);
}

#[test]
fn crlf_prices_exactly_like_lf_and_locates_alike() {
    let lf = "version: 1\nproject: p\n# two workflows, a block scalar and comments\nworkflows:\n  hero:\n    description: |\n      Two lines\n      of text.\n    model: gpt-image-2\n    request: {size: 1536x1024, quality: medium, n: 2}\n    volume: {requests_per_month: 12345, retry_rate: 0.07, accepted_fraction: 0.5}\n  thumbs:\n    model: gpt-image-2.5-flare\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 999}\n";
    let crlf = lf.replace('\n', "\r\n");
    let a = check(lf).status(0).json();
    let b = check(&crlf).status(0).json();
    assert_eq!(monthly_usd(&a).len(), 2);
    assert_eq!(monthly_usd(&a), monthly_usd(&b));
    assert_eq!(a["summary"]["monthly_usd"], b["summary"]["monthly_usd"]);
    let broken = lf.replace("quality: low", "quality: lowx");
    let a = check(&broken).status(1).json();
    let b = check(broken.replace('\n', "\r\n")).status(1).json();
    only_error(&a, "IC002", 14, 41);
    only_error(&b, "IC002", 14, 41);
}

#[test]
fn a_lone_carriage_return_is_a_line_break_for_yaml_and_for_locations() {
    // Old Mac line endings: YAML reads `\r` alone as a line break, so must every location.
    let text = VALID
        .replace("quality: low", "quality: lowx")
        .replace('\n', "\r");
    let report = check(&text).status(1).json();
    let finding = only_error(&report, "IC002", 6, 41);
    assert_eq!(
        (finding["end_line"].as_u64(), finding["end_column"].as_u64()),
        (Some(6), Some(45))
    );
    Test::new()
        .file("imgcost.yaml", &text)
        .args(["check", "--as-of", "2026-11-25", "--color", "never"])
        .run()
        .status(1)
        .stdout_has("imgcost.yaml:6:41]")
        .stdout_has(" 6 │     request: {size: 1024x1024, quality: lowx}\n");
}

#[test]
fn tabs_inside_values_load_but_tabs_that_indent_are_located() {
    let report = check(VALID.replace("    model:", "    description: \"a\tb\"\n    model:"))
        .status(0)
        .json();
    assert_eq!(monthly_usd(&report), ["0.59"]);
    // A tab indenting a nested block is pointed at, not the text after it.
    let text = format!("{HEAD}    request:\n  \t  size: 1024x1024\n");
    let report = check(text).status(1).json();
    let finding = only_error(&report, "IC001", 7, 3);
    assert_eq!(finding["end_column"], 4);
    assert_eq!(
        finding["help"],
        "YAML does not allow tabs for indentation; indent with spaces"
    );
}

#[test]
fn two_hundred_thousand_levels_of_nesting_stop_at_the_depth_limit() {
    // Block sequences: each level is two characters, so level 65 starts at column 129.
    let report = check("- ".repeat(200_000) + "x\n").status(1).json();
    let finding = only_error(&report, "IC001", 1, 129);
    assert_eq!(finding["message"], "nesting deeper than 64 levels");
    // Flow collections: the YAML scanner's own limit, 255 open brackets, is met first, and is
    // reported as the same finding at the 256th.
    for (open, column) in [("[", 256), ("{a: ", 1021)] {
        let report = check(open.repeat(200_000)).status(1).json();
        let finding = only_error(&report, "IC001", 1, column);
        assert_eq!(finding["message"], "nesting deeper than 64 levels");
    }
}

#[test]
fn an_alias_cannot_smuggle_in_depth() {
    // 40 levels in the anchor, used 30 levels deep: 70 levels once copied.
    let text = format!(
        "version: 1\na: &a {}{}\nb: {}*a{}\n",
        "[".repeat(40),
        "]".repeat(40),
        "[".repeat(30),
        "]".repeat(30)
    );
    let report = check(text).status(1).json();
    let finding = only_error(&report, "IC001", 3, 34);
    assert_eq!(finding["message"], "nesting deeper than 64 levels");
}

#[test]
fn alias_bombs_of_mappings_and_of_many_small_aliases_are_refused() {
    let mut bomb = String::from(
        "version: 1\na0: &a0 {a: x, b: x, c: x, d: x, e: x, f: x, g: x, h: x, i: x}\n",
    );
    for level in 1..10 {
        let entries: Vec<String> = (0..9).map(|k| format!("k{k}: *a{}", level - 1)).collect();
        bomb.push_str(&format!("a{level}: &a{level} {{{}}}\n", entries.join(", ")));
    }
    let report = check(bomb).status(1).json();
    let finding = only_error(&report, "IC001", 5, 59);
    assert_eq!(
        finding["message"],
        "alias expansion exceeds the limit of 10000 nodes (possible alias bomb)"
    );
    // Twenty thousand aliases of one scalar: the budget runs out at alias 10 001, column 40 005.
    let text = format!(
        "version: 1\na: &a x\nb: [{}]\n",
        vec!["*a"; 20_000].join(", ")
    );
    let report = check(text).status(1).json();
    only_error(&report, "IC001", 3, 40_005);
}

#[test]
fn a_second_document_is_refused_however_it_starts() {
    // After an explicit end of the first document.
    let report = check(format!("{VALID}...\nversion: 1\n")).status(1).json();
    let finding = only_error(&report, "IC001", 9, 1);
    assert_eq!(
        finding["message"],
        "the file holds more than one YAML document"
    );
    // Two empty documents.
    let report = check("---\n---\n").status(1).json();
    only_error(&report, "IC001", 2, 1);
    // An end marker alone closes the one document and is fine.
    check(format!("{VALID}...\n")).status(0);
}

#[test]
fn a_workflow_declared_twice_in_one_file_is_a_duplicate_key_and_nothing_is_priced() {
    let text =
        format!("{VALID}  hero:\n    model: gpt-image-1\n    volume: {{requests_per_month: 1}}\n");
    let report = check(text).status(1).json();
    let finding = only_error(&report, "IC003", 8, 3);
    assert_eq!(finding["message"], "duplicate key `hero`");
    assert_eq!(
        (
            finding["related"][0]["line"].as_u64(),
            finding["related"][0]["column"].as_u64()
        ),
        (Some(4), Some(3))
    );
    assert_eq!(monthly_usd(&report), Vec::<String>::new());
    // In a flow mapping too.
    let report = check(VALID.replace("quality: low}", "quality: low, size: 1024x1536}"))
        .status(1)
        .json();
    only_error(&report, "IC003", 6, 46);
}

#[test]
fn a_500_kb_description_is_refused_at_its_place_and_a_long_line_locates_its_error() {
    // Free text is capped (2 000 characters), so that one value inherited by a thousand
    // workflows cannot swell a report; the cap is a located error, not a crash.
    let long = "x".repeat(500_000);
    let report = check(VALID.replace(
        "    model:",
        &format!("    description: {long}\n    model:"),
    ))
    .status(1)
    .json();
    let finding = only_error(&report, "IC002", 5, 18);
    assert_eq!(
        finding["message"],
        "`description` is longer than 2000 characters"
    );
    // An error after 300 000 characters on the same line.
    let prefix = "    request: {size: 1024x1024, quality: low, output_format: ";
    let value = format!("\"{}\"", "y".repeat(300_000));
    let text = format!("{HEAD}{prefix}{value}}}\n    volume: {{requests_per_month: 100}}\n");
    let report = check(text).status(1).json();
    let finding = only_error(&report, "IC002", 6, prefix.len() as u64 + 1);
    assert_eq!(
        finding["end_column"].as_u64(),
        Some((prefix.len() + value.len()) as u64 + 1)
    );
}

#[test]
fn files_over_the_size_cap_are_refused_at_once() {
    let report = check(vec![b'#'; 30 * 1024 * 1024]).status(1).json();
    let finding = only_error(&report, "IC001", 1, 1);
    assert_eq!(finding["message"], "file is larger than the 1024 KiB limit");
    // The cap is inclusive: exactly 1 MiB is read (and is an empty document here), one byte
    // more is not.
    let mut at_cap = vec![b'#'; 1024 * 1024];
    at_cap[1023 * 1024] = b'\n';
    let report = check(&at_cap).status(1).json();
    let finding = only_error(&report, "IC002", 1, 1);
    assert_eq!(
        finding["message"],
        "the document must be a mapping, found nothing"
    );
    at_cap.push(b'\n');
    let report = check(&at_cap).status(1).json();
    only_error(&report, "IC001", 1, 1);
}

#[test]
fn numbers_beyond_exact_decimals_are_located_errors() {
    for (number, message) in [
        (
            "1e300",
            "`1e300` cannot be represented exactly (imgcost computes with at most 28 significant digits)",
        ),
        (
            "79228162514264337593543950336",
            "`79228162514264337593543950336` cannot be represented exactly (imgcost computes with at most 28 significant digits)",
        ),
        (
            "1e999",
            "`requests_per_month` must be a finite number, found `1e999`",
        ),
        (
            "-.INF",
            "`requests_per_month` must be a finite number, found `-.INF`",
        ),
        (
            ".NaN",
            "`requests_per_month` must be a finite number, found `.NaN`",
        ),
    ] {
        let text = VALID.replace(
            "requests_per_month: 100",
            &format!("requests_per_month: {number}"),
        );
        let report = check(text).status(1).json();
        let finding = only_error(&report, "IC002", 7, 34);
        assert_eq!(finding["message"], message, "{number}");
        assert_eq!(
            finding["end_column"].as_u64(),
            Some(34 + number.len() as u64),
            "{number}"
        );
    }
}

#[test]
fn the_largest_exact_volume_is_read_and_its_overflowing_product_is_a_finding() {
    let text = VALID.replace(
        "requests_per_month: 100",
        "requests_per_month: 79228162514264337593543950335",
    );
    let report = check(text).status(1).json();
    only_error(&report, "IC108", 7, 13);
}

#[test]
fn integer_forms_of_yaml_1_2_price_like_decimals() {
    for number in ["100", "0x64", "0o144", "1e2", "+100", "100.0"] {
        let text = VALID.replace(
            "requests_per_month: 100",
            &format!("requests_per_month: {number}"),
        );
        let report = check(text).status(0).json();
        assert_eq!(monthly_usd(&report), ["0.59"], "{number}");
    }
}

#[test]
fn negative_volumes_are_out_of_range_and_minus_zero_is_zero() {
    for (volume, column, message) in [
        (
            "requests_per_month: -1e2",
            34,
            "`requests_per_month` must be at least 0, found `-1e2`",
        ),
        (
            "requests_per_month: 100, retry_rate: -0.05",
            51,
            "`retry_rate` must be at least 0, found `-0.05`",
        ),
    ] {
        let report = check(VALID.replace("requests_per_month: 100", volume))
            .status(1)
            .json();
        let finding = only_error(&report, "IC002", 7, column);
        assert_eq!(finding["message"], message);
    }
    let report = check(VALID.replace("requests_per_month: 100", "requests_per_month: -0"))
        .status(0)
        .json();
    assert_eq!(monthly_usd(&report), ["0.00"]);
}

#[test]
fn numbers_written_as_strings_are_schema_errors_however_quoted() {
    for written in ["'100'", "\"100\"", "!!str 100"] {
        let text = VALID.replace(
            "requests_per_month: 100",
            &format!("requests_per_month: {written}"),
        );
        let report = check(text).status(1).json();
        let finding = only_error(&report, "IC002", 7, 34);
        assert_eq!(
            finding["message"],
            "`requests_per_month` must be a number, found the string `\"100\"`"
        );
        assert_eq!(
            finding["help"],
            "numbers are written without quotes, as plain YAML numbers (`12000`, `0.05`)"
        );
    }
}

#[test]
fn yaml_1_1_booleans_are_strings() {
    for word in ["no", "yes", "on", "off", "y", "N"] {
        let text = format!("{VALID}    batch: {word}\n");
        let report = check(text).status(1).json();
        let finding = only_error(&report, "IC002", 8, 12);
        assert_eq!(
            finding["message"],
            format!("`batch` must be a boolean, found the string `\"{word}\"`")
        );
        // Where a string is wanted, the same word is just text.
        let text = VALID.replace(
            "    model:",
            &format!("    description: {word}\n    model:"),
        );
        check(text).status(0);
    }
    check(format!("{VALID}    batch: false\n")).status(0);
}

#[test]
fn null_and_empty_workflows_point_at_their_key() {
    for (text, line, column, message) in [
        (
            "version: 1\nworkflows:\n  hero: ~\n",
            3,
            9,
            "`hero` must be a mapping, found nothing",
        ),
        (
            "version: 1\nworkflows:\n  hero: null\n",
            3,
            9,
            "`hero` must be a mapping, found nothing",
        ),
        (
            "version: 1\nworkflows: ~\n",
            2,
            12,
            "`workflows` must be a mapping, found nothing",
        ),
        (
            "version: 1\nworkflows:\n",
            2,
            1,
            "`workflows` must be a mapping, found nothing",
        ),
        (
            "version: 1\nworkflows: []\n",
            2,
            12,
            "`workflows` must be a mapping, found a list",
        ),
    ] {
        let report = check(text).status(1).json();
        let finding = only_error(&report, "IC002", line, column);
        assert_eq!(finding["message"], message, "{text}");
    }
}

#[test]
fn columns_count_characters_after_accents_and_emoji() {
    // 🎨 is four bytes and é two; each is one column: `-1` is at byte 24 but column 20.
    let text = format!("{VALID}    labels: [\"é🎨\", -1]\n");
    let report = check(text).status(1).json();
    let finding = only_error(&report, "IC002", 8, 20);
    assert_eq!(finding["end_column"], 22);
    assert_eq!(
        finding["message"],
        "`labels[1]` must be a string, found the number `-1`"
    );
    // A misspelt quality after non-ASCII text on the same line.
    let text = format!(
        "{HEAD}    request: {{note: \"ça 🎨\", quality: lowx}}\n    volume: {{requests_per_month: 100}}\n"
    );
    let report = check(text).status(1).json();
    assert_eq!(
        errors(&report),
        [("IC002".to_owned(), 6, 15), ("IC002".to_owned(), 6, 38)]
    );
}

#[test]
fn non_ascii_names_are_refused_at_the_name() {
    let report = check(VALID.replace("  hero:", "  héro-🎨:"))
        .status(1)
        .json();
    let finding = only_error(&report, "IC002", 4, 3);
    assert_eq!(finding["end_column"], 9);
    assert_eq!(
        finding["message"],
        "`héro-🎨` is not a valid name in `workflows`"
    );
}

#[test]
fn control_characters_are_refused_where_they_are() {
    // A raw escape sequence would repaint the terminal of whoever reads the report.
    let text = VALID.replace("project: p", "project: \"p\u{1b}[2J\"");
    let report = check(text).status(1).json();
    let finding = only_error(&report, "IC001", 2, 12);
    assert_eq!(
        finding["message"],
        "YAML does not allow the unprintable character U+001B"
    );
    let report = check(VALID.replace("project: p", "project: p\u{7f}"))
        .status(1)
        .json();
    only_error(&report, "IC001", 2, 11);
}

#[test]
fn escaped_control_characters_reach_messages_escaped() {
    // `\e` in double quotes is valid YAML and yields ESC; the message shows it as an escape.
    let text = format!("{VALID}    \"\\e[31m\": 1\n");
    let report = check(text).status(1).json();
    let finding = only_error(&report, "IC002", 8, 5);
    assert_eq!(finding["message"], "unknown key `\\u{1b}[31m` in `hero`");
    let output = Test::new()
        .file(
            "imgcost.yaml",
            VALID.replace("quality: low", "quality: \"\\e]0;x\\a\""),
        )
        .args(["check", "--as-of", "2026-11-25", "--color", "never"])
        .run();
    output
        .status(1)
        .stdout_has("`\\u{1b}]0;x\\u{7}` is not a valid `quality`");
    assert!(!output.stdout.contains('\u{1b}'), "{:?}", output.stdout);
}

#[test]
fn thousands_of_broken_workflows_are_all_reported_quickly() {
    // One error in each of 1 000 workflows (the most a manifest holds): finding their places
    // once used to be quadratic. A report shows the first 500 of a file and counts the rest.
    let mut text = String::from("version: 1\nworkflows:\n");
    for i in 0..1000 {
        text.push_str(&format!(
            "  w{i}: {{model: gpt-image-2, volume: {{requests_per_month: -1}}}}\n"
        ));
    }
    let report = check(text).status(1).json();
    let found = errors(&report);
    assert_eq!(found.len(), 500);
    assert_eq!(found[0], ("IC002".to_owned(), 3, 57));
    assert_eq!(found[499], ("IC002".to_owned(), 502, 59));
    assert_eq!(report["summary"]["errors"], 1000);
    assert_eq!(report["summary"]["unpriced_workflows"], 1000);
    // Many findings are located through an index of the tree, which must escape `/` and `~` in
    // keys as JSON pointers do.
    let mut text = String::from("version: 1\nworkflows:\n");
    for i in 0..100 {
        text.push_str(&format!(
            "  w{i}: {{model: gpt-image-2, volume: {{requests_per_month: 1}}, \"a/b~{i}\": 1}}\n"
        ));
    }
    let report = check(text).status(1).json();
    let found = errors(&report);
    assert_eq!(found.len(), 100);
    assert_eq!(found[0], ("IC002".to_owned(), 3, 61));
    assert_eq!(found[99], ("IC002".to_owned(), 102, 62));
    let first = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(first["message"], "unknown key `a/b~0` in `w0`");
}

#[cfg(unix)]
#[test]
fn a_directory_link_back_to_its_parent_is_not_followed() {
    let t = Test::new().file("apps/web/imgcost.yaml", VALID);
    std::os::unix::fs::symlink("..", t.path().join("apps/web/up")).unwrap();
    std::os::unix::fs::symlink(".", t.path().join("apps/here")).unwrap();
    let report = t
        .args(["check", "--as-of", "2026-11-25", "--format", "json"])
        .run()
        .status(0)
        .json();
    assert_eq!(report["summary"]["manifests"], 1);
    assert_eq!(monthly_usd(&report), ["0.59"]);
}

#[cfg(unix)]
#[test]
fn links_that_lead_nowhere_are_unreadable_files() {
    let t = Test::new().file("a/imgcost.yaml", VALID);
    std::os::unix::fs::symlink("missing.yaml", t.path().join("a/gone.imgcost.yaml")).unwrap();
    std::os::unix::fs::symlink("b.imgcost.yaml", t.path().join("a/b.imgcost.yaml")).unwrap();
    let t = t.args(["check", "--as-of", "2026-11-25", "--format", "json"]);
    let report = t.run().status(1).json();
    let found: Vec<(&str, &str, u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("IC005", "a/b.imgcost.yaml", 1, 1),
            ("IC005", "a/gone.imgcost.yaml", 1, 1)
        ]
    );
    assert_eq!(monthly_usd(&report), ["0.59"]);
    // Named on the command line, a dangling link is still a finding, not a failed run.
    let report = t.args(["a/gone.imgcost.yaml"]).run().status(1).json();
    assert_eq!(report["diagnostics"][0]["rule"], "IC005");
}

#[test]
fn a_directory_named_on_the_command_line_like_a_manifest_is_unreadable() {
    let t = Test::new().file("imgcost.yaml/README", "not a manifest");
    let report = t
        .args([
            "check",
            "imgcost.yaml",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
        ])
        .run()
        .status(1)
        .json();
    let finding = only_error(&report, "IC005", 1, 1);
    assert_eq!(finding["file"], "imgcost.yaml");
    assert_eq!(
        finding["message"],
        "cannot read imgcost.yaml: it is a directory named like a manifest"
    );
}

#[cfg(unix)]
#[test]
fn pipes_and_devices_are_refused_without_reading_them() {
    // Opening a FIFO would wait for a writer forever; a link to a device would never end.
    let t = Test::new();
    let status = std::process::Command::new("mkfifo")
        .arg(t.path().join("imgcost.yaml"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    std::os::unix::fs::symlink("/dev/zero", t.path().join("zero.imgcost.yaml")).unwrap();
    let t = t.args(["check", "--as-of", "2026-11-25", "--format", "json"]);
    let report = t.run().status(1).json();
    assert_eq!(
        errors(&report),
        [("IC005".to_owned(), 1, 1), ("IC005".to_owned(), 1, 1)]
    );
    assert_eq!(
        report["diagnostics"][0]["message"],
        "cannot read imgcost.yaml: it is not a regular file (a pipe, socket or device)"
    );
    // Named on the command line, as pre-commit does, a link to a device is refused too.
    let report = t.args(["zero.imgcost.yaml"]).run().status(1).json();
    let finding = only_error(&report, "IC005", 1, 1);
    assert_eq!(
        finding["message"],
        "cannot read zero.imgcost.yaml: it is a symbolic link to a place outside the repository; imgcost does not follow it"
    );
    // A link that stays inside, to the FIFO, is opened without blocking and refused.
    let t = Test::new()
        .args(["check", "--as-of", "2026-11-25", "--format", "json"])
        .args(["fifo.imgcost.yml"]);
    let status = std::process::Command::new("mkfifo")
        .arg(t.path().join("imgcost.yaml"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    std::os::unix::fs::symlink("imgcost.yaml", t.path().join("fifo.imgcost.yml")).unwrap();
    let report = t.run().status(1).json();
    let finding = only_error(&report, "IC005", 1, 1);
    assert_eq!(
        finding["message"],
        "cannot read fifo.imgcost.yml: it is not a regular file (a pipe, socket or device)"
    );
}

#[test]
fn inputs_that_once_broke_imgcost_end_in_a_clean_report() {
    let dir = repo().join("tests/fixtures/fuzz-regressions");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/fuzz-regressions")
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    for name in names {
        let run = |format: &str| {
            let output = run_in(&dir, &check_args(&name, format), &[], &[]);
            assert!(
                matches!(output.status, 0 | 1),
                "{name}: exit code {}\n{}",
                output.status,
                output.stderr
            );
            output
        };
        let output = run("json");
        let report: Value = serde_json::from_str(&output.stdout)
            .unwrap_or_else(|e| panic!("{name}: not JSON ({e})\n{}", output.stdout));
        assert_eq!(report["summary"]["manifests"], 1, "{name}");
        let human = run("human").stdout;
        assert!(
            !human.chars().any(|c| c.is_control() && c != '\n'),
            "{name}: control characters in\n{human}"
        );
    }
}

#[test]
fn escapes_in_values_and_file_names_never_reach_the_terminal_raw() {
    let manifest = "version: 1\nproject: p\nowner: o\nworkflows:\n  hero:\n    model: \"gpt\\e[2Jx\"\n    volume: {requests_per_month: 1, \"retr\\e[2Jy\": 1}\n    budget: {monthly_usd: 1}\n";
    let t = Test::new()
        .file("a\u{1b}[31mb.imgcost.yaml", manifest)
        .args(["check", "--as-of", "2026-11-25", "--color", "never"]);
    let output = t.run();
    output
        .status(1)
        .stdout_has("unknown key `retr\\u{1b}[2Jy` in `volume`")
        .stdout_has("a\\u{1b}[31mb.imgcost.yaml");
    assert!(!output.stdout.contains('\u{1b}'), "{}", output.stdout);
    let t = t.args(["--format", "github"]);
    let output = t.run();
    assert!(!output.stdout.contains('\u{1b}'));
    assert!(
        output
            .stdout
            .lines()
            .all(|line| line.starts_with("::") || line.starts_with("imgcost ")),
        "{}",
        output.stdout
    );
}
