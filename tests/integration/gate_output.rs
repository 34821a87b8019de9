//! Output hygiene (issue 13, classes 9, 13 and 14): whatever a pull request puts in file names,
//! keys, values and policies lands in each report escaped for where it lands. Each report is
//! read back with a real parser of its format (CommonMark with GitHub's tables, XML, the SARIF
//! schema), never by searching the text for what should not be there.

use serde_json::Value;

use crate::test::{Output, Test, repo};

const VALID: &str = "version: 1\nproject: p\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {size: 1024x1024, quality: low}\n    volume: {requests_per_month: 100}\n";

fn check(test: Test, format: &str) -> Output {
    test.args([
        "check",
        ".",
        "--as-of",
        "2026-11-25",
        "--color",
        "never",
        "--format",
        format,
    ])
    .run()
}

/// Gate integrity, class 14: U+FFFE and U+FFFF (which a double-quoted YAML key can hold through
/// escapes, and a file name can hold as is) and every C0 control are not XML 1.0 characters;
/// one of them made the whole JUnit report unreadable.
#[test]
fn junit_stays_well_formed_xml_whatever_the_keys_and_file_names_hold() {
    let manifest = VALID.replace(
        "quality: low}",
        "quality: low, \"k\\uFFFE\\uFFFF\\u0001<&>\": 1}",
    );
    let output = check(
        Test::new().file("w\u{fffe}x.imgcost.yaml", &manifest),
        "junit",
    );
    output.status(1);
    let document = roxmltree::Document::parse(&output.stdout)
        .unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{}", output.stdout));
    let failure = document
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failure");
    assert_eq!(failure.attribute("type"), Some("IC002"));
    assert_eq!(
        failure.attribute("message"),
        Some("unknown key `k\u{fffd}\u{fffd}\\u{1}<&>` in `request`")
    );
    let suite = document
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("a suite");
    assert_eq!(suite.attribute("name"), Some("w\u{fffd}x.imgcost.yaml"));
}

/// The OASIS SARIF 2.1.0 schema, with its `language` patterns made valid for a strict regex
/// engine (as `renderers.rs` does; they concern a property imgcost does not write).
fn sarif_schema_errors(sarif: &Value) -> Vec<String> {
    fn fix_language_patterns(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.get("pattern").and_then(Value::as_str)
                    == Some("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$")
                {
                    map.insert(
                        "pattern".to_owned(),
                        Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"),
                    );
                }
                map.values_mut().for_each(fix_language_patterns);
            }
            Value::Array(items) => items.iter_mut().for_each(fix_language_patterns),
            _ => {}
        }
    }
    let text = std::fs::read_to_string(repo().join("tests/fixtures/sarif-schema-2.1.0.json"))
        .expect("schema");
    let mut schema: Value = serde_json::from_str(&text).expect("schema JSON");
    fix_language_patterns(&mut schema);
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    validator
        .iter_errors(sarif)
        .map(|e| format!("{e} at {}", e.instance_path().as_str()))
        .collect()
}

/// Gate integrity, class 14: `artifactLocation.uri` is a URI reference, so a file name's `#`,
/// `?`, `%`, spaces and non-ASCII characters are percent-encoded (as UTF-8), or a viewer
/// resolving it against `%SRCROOT%` would cut it at `#` or decode `%d ` into another name.
#[test]
fn sarif_uris_are_percent_encoded_and_still_name_the_file() {
    let name = "a b#c%d é.imgcost.yaml";
    let manifest = VALID.replace("quality: low}", "quality: low, qualty: low}");
    let output = check(Test::new().file(name, manifest), "sarif");
    output.status(1);
    let sarif = output.json();
    assert_eq!(sarif_schema_errors(&sarif), Vec::<String>::new());
    let result = &sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "IC002")
        .expect("IC002");
    let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "a%20b%23c%25d%20%C3%A9.imgcost.yaml");
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
}

/// What a Markdown report holds once parsed as GitHub parses a comment (CommonMark with tables,
/// strikethrough, task lists, footnotes and math), keeping what the checks below need.
#[derive(Debug, Default)]
struct Markdown {
    /// HTML blocks and inline HTML, as written.
    html: Vec<String>,
    /// Links, images, footnote references, task-list markers and math, by kind and content.
    active: Vec<String>,
    /// The text outside code, where GitHub looks for mentions, references and bare URLs.
    text: Vec<String>,
    /// All a reader sees, text and code, without zero-width spaces.
    visible: String,
    /// The text inside each `**strong**`, `*emphasis*` and `~~strikethrough~~` span, as seen.
    formatted: Vec<String>,
    /// Cells of each table row, and of its table's header row.
    rows: Vec<(usize, usize)>,
    /// Items of every list.
    items: usize,
}

fn parse_markdown(text: &str) -> Markdown {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_MATH;
    let mut parsed = Markdown::default();
    let mut formatting: Vec<String> = Vec::new();
    let (mut cells, mut header) = (0, 0);
    for event in Parser::new_ext(text, options) {
        let seen = match &event {
            Event::Text(t) => {
                parsed.text.push(t.to_string());
                Some(t.to_string())
            }
            Event::Code(t) => Some(t.to_string()),
            _ => None,
        };
        if let Some(seen) = seen {
            let shown = seen.replace('\u{200b}', "");
            parsed.visible.push_str(&shown);
            for open in &mut formatting {
                open.push_str(&shown);
            }
        }
        match event {
            Event::Html(h) | Event::InlineHtml(h) => parsed.html.push(h.to_string()),
            Event::Start(Tag::Link { dest_url, .. }) => {
                parsed.active.push(format!("link {dest_url}"))
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                parsed.active.push(format!("image {dest_url}"))
            }
            Event::FootnoteReference(r) => parsed.active.push(format!("footnote {r}")),
            Event::TaskListMarker(_) => parsed.active.push("task".to_owned()),
            Event::InlineMath(m) | Event::DisplayMath(m) => parsed.active.push(format!("math {m}")),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => {
                formatting.push(String::new())
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                parsed.formatted.push(formatting.pop().expect("open span"));
            }
            Event::Start(Tag::Item) => parsed.items += 1,
            Event::Start(Tag::TableRow | Tag::TableHead) => cells = 0,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableHead) => header = cells,
            Event::End(TagEnd::TableRow) => parsed.rows.push((cells, header)),
            _ => {}
        }
    }
    parsed
}

/// Asserts that nothing in a parsed report came from the pull request's text: the only HTML is
/// imgcost's own (the hidden marker, `<details>`, `<sub>`), there is no link, image, footnote,
/// task marker or math, every table row has its header's cells, and no text outside code has
/// what GitHub turns into a mention, an issue reference or a link after rendering.
#[track_caller]
fn assert_inert(markdown: &Markdown) {
    let ours = [
        "<!-- imgcost:",
        "<details><summary>",
        "</details>",
        "<sub>",
        "</sub>",
    ];
    let foreign: Vec<&String> = markdown
        .html
        .iter()
        .filter(|h| !ours.iter().any(|o| h.starts_with(o)))
        .collect();
    assert!(foreign.is_empty(), "HTML from the input: {foreign:?}");
    assert!(markdown.active.is_empty(), "{:?}", markdown.active);
    for (cells, header) in &markdown.rows {
        assert_eq!(cells, header, "a table row with a cell of its own");
    }
    for text in &markdown.text {
        let lower = text.to_lowercase();
        let mention = text
            .match_indices(['@', '#'])
            .any(|(i, _)| text[i + 1..].starts_with(|c: char| c.is_ascii_alphanumeric()));
        assert!(
            !mention && !lower.contains("://") && !lower.contains("www."),
            "GitHub would link {text:?}"
        );
    }
}

/// The hostile text of issue 13: a code span closed early, an image, a link and a mention.
const HOSTILE: &str = "x` <img src=q> [Approve](https://evil.example) @octocat `y";

/// Gate integrity, class 13: a folder name (the file's path), a key and a model quoted in
/// messages, and an exemption's free-text reason, each holding a closing backtick, HTML, a
/// link and a mention (plus emphasis, a pipe, an issue reference, a heading mark,
/// strikethrough, math, a bare URL and a line break in the reason), reach the job summary as
/// the text they are: one row per workflow, one list item per finding, and nothing active.
#[test]
fn markdown_summary_shows_hostile_paths_values_and_reasons_as_text() {
    let folder = HOSTILE.replace("https://", "");
    let quoted = HOSTILE.replace('"', "\\\"");
    let manifest = format!(
        "version: 1\nproject: p\nworkflows:\n  hero:\n    model: gpt-image-2\n    request: {{size: 1024x1024, quality: high, \"{quoted}\": 1}}\n    volume: {{requests_per_month: 100}}\n  other:\n    model: \"{quoted}\"\n    request: {{size: 1024x1024, quality: low}}\n    volume: {{requests_per_month: 100}}\n  third:\n    model: gpt-image-2\n    request: {{size: 1024x1024, quality: high}}\n    volume: {{requests_per_month: 100}}\n"
    );
    let reason = format!("{HOSTILE} | **b** # 1 #2 ~s~ $\\\\Huge{{X}}$ www.evil.example\\nnext");
    let policy = format!(
        "version: 1\nname: hostile\nrules:\n  quality: {{deny: [high]}}\nexemptions:\n  - rule: IC302\n    workflows: [\"p/third\"]\n    reason: \"{reason}\"\n    approved_by: \"@octocat\"\n    expires: 2027-01-31\n"
    );
    let output = Test::new()
        .file(&format!("{folder}/imgcost.yaml"), manifest)
        .file("policy.yaml", policy)
        .args([
            "check",
            ".",
            "--policy",
            "policy.yaml",
            "--as-of",
            "2026-11-25",
            "--format",
            "markdown",
        ])
        .run();
    output.status(1);
    let markdown = parse_markdown(&output.stdout);
    assert_inert(&markdown);
    // Three findings; two workflow rows and the total.
    assert_eq!(markdown.items, 3, "{}", output.stdout);
    assert_eq!(markdown.rows.len(), 3, "{}", output.stdout);
    assert_eq!(
        markdown.formatted,
        [
            "Total",
            "$21.07",
            "IC002",
            "IC101",
            "IC302",
            &format!(
                "(exempted until 2027-01-31: {HOSTILE} | **b** # 1 #2 ~s~ $\\Huge{{X}}$ www.evil.example next)"
            ),
        ],
        "{}",
        output.stdout
    );
    // Every hostile text is shown as written: the path as code, the model in a cell. In a
    // message, the backticks of a quoted value end and start its quote, so the value's text
    // between them is plain text, shown as written too.
    let unquoted = HOSTILE.replace('`', "");
    for shown in [
        format!("{folder}/imgcost.yaml:6:47"),
        format!("p/other{HOSTILE}not priced"),
        format!("unknown key {unquoted} in request"),
        format!("unknown model {unquoted} (rate card openai-2026-11-23)"),
    ] {
        assert!(
            markdown.visible.contains(&shown),
            "{shown:?} not in {:?}",
            markdown.visible
        );
    }
}

/// Gate integrity, class 13: the label of a saved baseline (its file name, which a pull request
/// can choose) is shown as code in the diff comment, and cannot close it.
#[test]
fn markdown_comment_shows_a_hostile_baseline_name_as_code() {
    let test = Test::new().file("imgcost.yaml", VALID);
    let baseline = HOSTILE.replace("https://", "") + ".json";
    let saved = check(Test::new().file("imgcost.yaml", VALID), "json");
    saved.status(0);
    let test = test.file(&baseline, &saved.stdout).args([
        "diff",
        "--baseline",
        &baseline,
        "--as-of",
        "2026-11-25",
        "--format",
        "markdown",
    ]);
    let output = test.run();
    output.status(0);
    let markdown = parse_markdown(&output.stdout);
    assert_inert(&markdown);
    assert!(
        markdown
            .visible
            .contains(&format!(" a month · base {baseline} · rate card")),
        "{:?}",
        markdown.visible
    );
}

/// The human report of `check` on one manifest, without colour.
fn human(manifest: &str) -> Output {
    check(Test::new().file("imgcost.yaml", manifest), "human")
}

/// Gate integrity, class 9: a 200 KB line under a thousand findings printed the whole line
/// under each (hundreds of MB); each finding now draws at most a window of the line around its
/// labels, with `…` where it is cut, at the file's line and column.
#[test]
fn human_snippets_cut_long_lines_around_each_label() {
    let value = "v".repeat(200_000);
    let keys = "a: 1, ".repeat(1_000);
    let prefix = format!("    request: {{size: 1024x1024, quality: low, note: {value}, ");
    let manifest = VALID.replace(
        "    request: {size: 1024x1024, quality: low}\n",
        &format!("{prefix}{keys}}}\n"),
    );
    let output = human(&manifest);
    output.status(1);
    let widest = output.stdout.lines().map(|l| l.chars().count()).max();
    assert!(widest < Some(200), "a line of {widest:?} characters");
    assert!(
        output.stdout.len() < 1_500_000,
        "{} bytes",
        output.stdout.len()
    );
    // The second `a` (the first duplicate) is drawn at the file's column, with the first `a`
    // (its related label): 40 characters before the first and after the second.
    let column = prefix.len() + "a: 1, ".len() + 1;
    let start = output
        .stdout
        .find(&format!("[imgcost.yaml:6:{column}]"))
        .unwrap_or_else(|| panic!("no snippet at 6:{column}"));
    let snippet: Vec<&str> = output.stdout[start..].lines().take(5).collect();
    assert_eq!(
        snippet[2],
        format!(
            " 6 │ …{}, a: 1, a: 1, a: 1, a: 1, a: 1, a: 1, a: 1, a: 1,…",
            "v".repeat(38)
        ),
        "{snippet:#?}"
    );
}

/// Gate integrity, class 9: a value spanning thousands of lines printed every one of them, and
/// two labels hundreds of lines apart were drawn as one snippet with every line between. A
/// label shows at most its first lines (saying how many more), and distant labels are drawn
/// apart.
#[test]
fn human_snippets_are_bounded_in_lines() {
    let items = "      - x\n".repeat(3_000);
    let manifest = VALID.replace(
        "    request: {size: 1024x1024, quality: low}\n",
        &format!("    request:\n{items}"),
    );
    let output = human(&manifest);
    output.status(1);
    let lines = output.stdout.lines().count();
    assert!(lines < 30, "{lines} lines:\n{}", output.stdout);
    assert!(
        output
            .stdout
            .contains("╰──── wrong type (2988 more lines not shown)"),
        "{}",
        output.stdout
    );

    let comments = "      # filler\n".repeat(900);
    let manifest = VALID.replace(
        "    request: {size: 1024x1024, quality: low}\n",
        &format!("    request:\n      size: 1024x1024\n      quality: low\n{comments}      quality: low\n"),
    );
    let lines_before = manifest[..manifest.rfind("quality").expect("duplicate")]
        .matches('\n')
        .count();
    let output = human(&manifest);
    output.status(1);
    assert!(
        output
            .stdout
            .contains(&format!("[imgcost.yaml:{}:7]", lines_before + 1)),
        "{}",
        output.stdout
    );
    let lines = output.stdout.lines().count();
    assert!(lines < 30, "{lines} lines:\n{}", output.stdout);
}
