//! The rule catalogue's documents, generated from the registry ([`ALL`]) alone.
//!
//! One Markdown page per rule (`docs/rules/IC201.md`, which is also what `imgcost rules IC201`
//! prints), the catalogue (`docs/rules/README.md`), the README's rule table (between
//! [`README_BEGIN`] and [`README_END`]) and the `imgcost rules` listing. Nothing here is written
//! by hand twice: `tests/integration/rule_docs.rs` regenerates the committed files and fails when
//! one differs (`IMGCOST_BLESS=1 cargo test rule_docs` writes them).

use std::fmt::Write as _;

use crate::foundation::Rule;
use crate::rules::ALL;

/// The folder of the rules' pages, from the repository's top.
pub const DOCS_DIR: &str = "docs/rules";

/// The line before the README's generated rule table.
pub const README_BEGIN: &str = "<!-- rules:begin -->";
/// The line after the README's generated rule table.
pub const README_END: &str = "<!-- rules:end -->";

/// The first line of every generated file, saying where its text comes from.
const GENERATED: &str = "<!-- Generated from the rule declarations in src/rules/ by \
                         `IMGCOST_BLESS=1 cargo test rule_docs`: edit them there. -->\n";

/// A file generated from the registry: its path from the repository's top, with `/`, and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub text: String,
}

/// Every file generated from the registry: each rule's page, the catalogue, and `README.md`
/// (given its current text) with the table between its markers regenerated.
///
/// # Errors
/// When the README lacks the marker lines, or has them out of order.
pub fn generated_files(readme: &str) -> Result<Vec<GeneratedFile>, String> {
    let mut files: Vec<GeneratedFile> = ALL
        .iter()
        .map(|rule| GeneratedFile {
            path: page_path(rule),
            text: format!("{GENERATED}\n{}", page(rule)),
        })
        .collect();
    files.push(GeneratedFile {
        path: format!("{DOCS_DIR}/README.md"),
        text: catalogue(),
    });
    files.push(GeneratedFile {
        path: "README.md".to_owned(),
        text: with_readme_table(readme)?,
    });
    Ok(files)
}

/// Where a rule's page is, from the repository's top (`docs/rules/IC201.md`).
#[must_use]
pub fn page_path(rule: &Rule) -> String {
    format!("{DOCS_DIR}/{}.md", rule.code)
}

/// A rule's page: code and name, default severity, the stage that finds it, whether it is
/// fail-closed, its summary and its documentation.
#[must_use]
pub fn page(rule: &Rule) -> String {
    let fail_closed = if rule.fail_closed {
        "yes (no policy may lower its severity or exempt it; a policy that tries is invalid)"
    } else {
        "no (a policy may lower its severity, turn it off, or exempt its findings)"
    };
    format!(
        "# {code} {name}\n\n\
         - Default severity: {severity}\n\
         - Stage: {stage} ({describe})\n\
         - Fail-closed: {fail_closed}\n\
         - Summary: {summary}\n\n\
         {doc}\n\
         `imgcost rules {code}` prints this page.\n",
        code = rule.code,
        name = rule.name,
        severity = rule.default_severity,
        stage = <&str>::from(rule.stage),
        describe = rule.stage.describe(),
        summary = rule.summary,
        doc = rule.doc,
    )
}

/// `docs/rules/README.md`: every rule, linked to its page.
#[must_use]
pub fn catalogue() -> String {
    let mut text = format!(
        "{GENERATED}\n# Rules\n\n\
         Every finding imgcost reports names one of these rules. `imgcost rules` lists them and\n\
         `imgcost rules CODE` prints a rule's page. A policy may change a rule's severity or\n\
         exempt its findings ([policy.md](../policy.md)), except for the fail-closed rules.\n\n\
         | code | severity | fail-closed | name | summary |\n\
         |---|---|---|---|---|\n"
    );
    for rule in ALL {
        let _ = writeln!(
            text,
            "| [{code}]({code}.md) | {severity} | {fail_closed} | {name} | {summary} |",
            code = rule.code,
            severity = rule.default_severity,
            fail_closed = if rule.fail_closed { "yes" } else { "no" },
            name = rule.name,
            summary = table_cell(rule.summary),
        );
    }
    text
}

/// The README's rule table: code (linked to its page), severity, summary.
#[must_use]
pub fn readme_table() -> String {
    let mut text = String::from("| code | severity | rule |\n|---|---|---|\n");
    for rule in ALL {
        let _ = writeln!(
            text,
            "| [{code}]({DOCS_DIR}/{code}.md) | {severity} | {summary} |",
            code = rule.code,
            severity = rule.default_severity,
            summary = table_cell(rule.summary),
        );
    }
    text
}

/// `readme` with the lines between its markers replaced by [`readme_table`].
///
/// # Errors
/// When a marker line is missing, or the end comes before the begin.
pub fn with_readme_table(readme: &str) -> Result<String, String> {
    let missing =
        || format!("README.md needs the lines `{README_BEGIN}` and `{README_END}`, in that order");
    let (begin, after_begin) = find_line(readme, README_BEGIN).ok_or_else(missing)?;
    let (end, _) = find_line(&readme[after_begin..], README_END).ok_or_else(missing)?;
    Ok(format!(
        "{}{README_BEGIN}\n{}{}",
        &readme[..begin],
        readme_table(),
        &readme[after_begin + end..]
    ))
}

/// Where the first line equal to `line` starts, and where the next one starts.
fn find_line(text: &str, line: &str) -> Option<(usize, usize)> {
    let mut start = 0;
    for candidate in text.split_inclusive('\n') {
        let next = start + candidate.len();
        if candidate.trim_end_matches(['\n', '\r']) == line {
            return Some((start, next));
        }
        start = next;
    }
    None
}

/// A summary inside a Markdown table cell: a `|` would end the cell.
fn table_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// What `imgcost rules` prints: one line per rule (code, default severity with `*` for a
/// fail-closed rule, stage, name, summary), then what the `*` means.
#[must_use]
pub fn listing() -> String {
    let mut text = String::new();
    for rule in ALL {
        let severity = format!(
            "{}{}",
            rule.default_severity,
            if rule.fail_closed { "*" } else { "" }
        );
        let _ = writeln!(
            text,
            "{}  {severity:<8} {:<9} {:<30} {}",
            rule.code,
            <&str>::from(rule.stage),
            rule.name,
            rule.summary
        );
    }
    text.push_str(
        "\n* fail-closed: no policy may lower its severity or exempt it. \
         `imgcost rules CODE` prints a rule's page.\n",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{IC005, IC201};

    #[test]
    fn a_page_says_everything_the_declaration_does() {
        let page = page(&IC201);
        assert!(page.starts_with("# IC201 workflow-over-budget\n\n- Default severity: error\n"));
        assert!(page.contains("- Stage: workflow (found when a priced workflow is judged)\n"));
        assert!(page.contains("- Fail-closed: no ("));
        assert!(page.contains("- Summary: workflow projection over its `budget.monthly_usd`\n"));
        assert!(page.contains(IC201.doc));
        assert!(page.ends_with("\n`imgcost rules IC201` prints this page.\n"));
        assert!(super::page(&IC005).contains("- Fail-closed: yes ("));
    }

    #[test]
    fn the_readme_table_replaces_what_is_between_the_markers_only() {
        let readme = format!("# x\n\n{README_BEGIN}\n| old |\n{README_END}\n\n## Next\n");
        let new = with_readme_table(&readme).unwrap();
        assert_eq!(
            new,
            format!(
                "# x\n\n{README_BEGIN}\n{}{README_END}\n\n## Next\n",
                readme_table()
            )
        );
        assert_eq!(with_readme_table(&new).unwrap(), new, "idempotent");
        assert!(with_readme_table("# x\n").is_err());
        assert!(with_readme_table(&format!("{README_END}\n{README_BEGIN}\n")).is_err());
        // A marker quoted inside a line is not a marker.
        assert!(with_readme_table(&format!("`{README_BEGIN}`\n{README_END}\n")).is_err());
        assert!(
            with_readme_table(README_BEGIN).is_err(),
            "no end, and no newline"
        );
    }

    #[test]
    fn tables_link_every_rule_and_escape_cells() {
        let table = readme_table();
        assert_eq!(table.lines().count(), ALL.len() + 2);
        assert!(table.contains(
            "| [IC201](docs/rules/IC201.md) | error | workflow projection over its `budget.monthly_usd` |\n"
        ));
        assert!(
            catalogue().contains(
                "| [IC005](IC005.md) | error | yes | unreadable-file | unreadable file |\n"
            )
        );
        assert_eq!(table_cell("a | b"), "a \\| b");
    }
}
