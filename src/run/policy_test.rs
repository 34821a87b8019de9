//! `imgcost policy test`: fixture manifests that say what the policy must make of them, as
//! `conftest verify` and `opa test` do for their policies (docs/policy.md, "Testing a policy").
//!
//! A fixture is a pair of siblings: `<name>.yaml`, a manifest like any other, and
//! `<name>.expect.yaml`, the expectation. The manifest is not named `*.imgcost.yaml` so that
//! `imgcost check` on the repository does not pick up fixtures that break the policy on
//! purpose; `imgcost check <name>.yaml` still checks it. Each fixture goes through
//! [`check_inputs`], the one entry point of `check`, with the policies in use and the rate card
//! of its `as_of`: nothing is priced or judged here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::foundation::decimal::{format_fixed, round_half_away};
use crate::foundation::{Date, Error, Severity, SourceFile};
use crate::input::{Workspace, file_reader};
use crate::policy::PolicySet;
use crate::pricing::RateCard;
use crate::report::Report;
use crate::rules;
use crate::run::check::{Context, Keep, ManifestInput, check_inputs};
use crate::yaml::{self, Node};

/// The file name that marks an expectation; the fixture manifest is the same stem + `.yaml`.
pub const EXPECT_SUFFIX: &str = ".expect.yaml";
/// The largest expectation file read: a fixture lists a handful of rules.
pub const MAX_EXPECTATION_BYTES: u64 = 64 * 1024;
/// The largest fixture manifest read, as for any manifest file read whole.
pub const MAX_FIXTURE_BYTES: u64 = 4 * 1024 * 1024;
/// Most fixtures one run takes: a test suite, not a corpus.
pub const MAX_FIXTURES: usize = 1_000;
/// Most expectations one file holds.
pub const MAX_EXPECTATIONS: usize = 200;

/// What one expectation asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expected {
    /// A finding of `rule` (at `severity`, about `workflow`, when given) that no exemption covers.
    Raises {
        rule: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        severity: Option<Severity>,
        #[serde(skip_serializing_if = "Option::is_none")]
        workflow: Option<String>,
    },
    /// No such finding.
    NotRaises {
        rule: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        severity: Option<Severity>,
        #[serde(skip_serializing_if = "Option::is_none")]
        workflow: Option<String>,
    },
    /// The fixture's monthly total, compared to the cent as `check` shows it.
    MonthlyUsd {
        #[serde(serialize_with = "as_text")]
        usd: Decimal,
    },
}

impl Expected {
    /// A one-line name: the JUnit case, the human line.
    #[must_use]
    pub fn name(&self) -> String {
        let qualify = |rule: &str, severity: &Option<Severity>, workflow: &Option<String>| {
            let mut text = rule.to_owned();
            if let Some(severity) = severity {
                text.push_str(&format!(" ({severity})"));
            }
            if let Some(workflow) = workflow {
                text.push_str(&format!(" on {workflow}"));
            }
            text
        };
        match self {
            Self::Raises {
                rule,
                severity,
                workflow,
            } => format!("raises {}", qualify(rule, severity, workflow)),
            Self::NotRaises {
                rule,
                severity,
                workflow,
            } => format!("does not raise {}", qualify(rule, severity, workflow)),
            Self::MonthlyUsd { usd } => format!("monthly total ${usd}"),
        }
    }
}

/// Money as a decimal string, as the JSON report writes it.
fn as_text<S: serde::Serializer>(usd: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(usd)
}

/// One expectation and what the check made of it.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    #[serde(flatten)]
    pub expected: Expected,
    pub line: usize,
    pub column: usize,
    pub passed: bool,
    /// Why it failed (what was raised instead, the actual total); empty when it passed.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// One fixture: its files, its date, its outcomes.
#[derive(Debug, Clone, Serialize)]
pub struct Fixture {
    /// The expectation file, relative to the working directory.
    pub expectation: String,
    /// The fixture manifest, relative to the working directory.
    pub manifest: String,
    pub as_of: Date,
    pub outcomes: Vec<Outcome>,
}

impl Fixture {
    #[must_use]
    pub fn passed(&self) -> bool {
        self.outcomes.iter().all(|o| o.passed)
    }
}

/// A whole run of `policy test`.
#[derive(Debug, Clone, Serialize)]
pub struct TestRun {
    /// Where the fixtures were found.
    pub dir: String,
    /// The names of the policies in use (`default` for the built-in policy).
    pub policies: Vec<String>,
    /// Where each of them came from, as in every report.
    pub policy_sources: Vec<crate::report::PolicySource>,
    pub fixtures: Vec<Fixture>,
}

impl TestRun {
    #[must_use]
    pub fn passed(&self) -> bool {
        self.fixtures.iter().all(Fixture::passed)
    }

    /// Failed expectations, all expectations.
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        let all = self.fixtures.iter().map(|f| f.outcomes.len()).sum();
        let failed = self
            .fixtures
            .iter()
            .flat_map(|f| &f.outcomes)
            .filter(|o| !o.passed)
            .count();
        (failed, all)
    }
}

/// The default fixture folder: `.imgcost/tests` at the repository's top (the working directory
/// outside git), as the working directory names it.
#[must_use]
pub fn default_dir(workspace: &Workspace) -> PathBuf {
    let dir = workspace.root().join(".imgcost").join("tests");
    dir.strip_prefix(&workspace.cwd)
        .map_or_else(|_| dir.clone(), Path::to_path_buf)
}

/// Runs every fixture under `dir` (relative to the working directory). `card_for` gives the
/// rate card of a date, as `check` would choose it.
///
/// # Errors
/// No fixture in `dir` (saying where it looked), too many, an expectation or fixture manifest
/// that cannot be read, or an invalid expectation (with its line and column).
pub fn run(
    dir: &Path,
    workspace: &Workspace,
    policies: &Arc<PolicySet>,
    card_for: &dyn Fn(Date) -> Result<Arc<RateCard>, Error>,
) -> Result<TestRun, Error> {
    let shown = display(dir);
    let folder = workspace.cwd.join(dir);
    let entries = std::fs::read_dir(&folder).map_err(|error| Error::Unreadable {
        what: "policy test folder",
        path: shown.clone(),
        message: error.to_string(),
    })?;
    let mut names = Vec::new();
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.len() > EXPECT_SUFFIX.len() && name.ends_with(EXPECT_SUFFIX) {
            names.push(name);
            if names.len() > MAX_FIXTURES {
                return Err(Error::Usage(format!(
                    "more than {MAX_FIXTURES} fixtures in {shown}; split them into folders"
                )));
            }
        }
    }
    if names.is_empty() {
        return Err(Error::Usage(format!(
            "no policy test fixture (`<name>{EXPECT_SUFFIX}` beside `<name>.yaml`) in {shown}"
        )));
    }
    names.sort();
    let mut fixtures = Vec::with_capacity(names.len());
    for name in names {
        let expectation_path = dir.join(&name);
        let manifest_name = format!("{}.yaml", &name[..name.len() - EXPECT_SUFFIX.len()]);
        let manifest_path = dir.join(&manifest_name);
        let expectation_file = read(
            workspace,
            &expectation_path,
            "policy test expectation",
            MAX_EXPECTATION_BYTES,
        )?;
        let parsed = parse(&expectation_file)?;
        let manifest_display = display(&manifest_path);
        let bytes = read_bytes(
            workspace,
            &manifest_path,
            "policy test fixture",
            MAX_FIXTURE_BYTES,
        )?;
        let context = Context {
            as_of: parsed.as_of,
            ratecard: card_for(parsed.as_of)?,
            policies: Arc::clone(policies),
            keep: Keep::ALL,
        };
        let input = ManifestInput::Bytes {
            display: manifest_display.clone(),
            folder: folder_name(dir, workspace),
            place: workspace.place_of_display(&manifest_display),
            bytes,
        };
        let report = check_inputs(&[input], Vec::new(), &context);
        let outcomes = parsed
            .expectations
            .into_iter()
            .map(|(expected, line, column)| judge(&report, expected, line, column))
            .collect();
        fixtures.push(Fixture {
            expectation: display(&expectation_path),
            manifest: manifest_display,
            as_of: parsed.as_of,
            outcomes,
        });
    }
    Ok(TestRun {
        dir: shown,
        policies: policies.names().into_iter().map(str::to_owned).collect(),
        policy_sources: policies.sources(),
        fixtures,
    })
}

fn display(path: &Path) -> String {
    path.display().to_string().replace('\\', "/")
}

/// The fixture folder's own name: the default `project` of its manifests.
fn folder_name(dir: &Path, workspace: &Workspace) -> String {
    workspace
        .cwd
        .join(dir)
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "tests".to_owned())
}

/// Reads a file of the repository, never through a link out of it, at most `limit` bytes.
fn read_bytes(
    workspace: &Workspace,
    path: &Path,
    what: &'static str,
    limit: u64,
) -> Result<Vec<u8>, Error> {
    let unreadable = |message: String| Error::Unreadable {
        what,
        path: display(path),
        message,
    };
    let bytes = file_reader::read_confined(workspace, path, limit).map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(unreadable(format!("larger than {} KiB", limit >> 10)));
    }
    Ok(bytes)
}

fn read(
    workspace: &Workspace,
    path: &Path,
    what: &'static str,
    limit: u64,
) -> Result<Arc<SourceFile>, Error> {
    let bytes = read_bytes(workspace, path, what, limit)?;
    let text = String::from_utf8(bytes).map_err(|_| Error::Unreadable {
        what,
        path: display(path),
        message: "not UTF-8".to_owned(),
    })?;
    Ok(Arc::new(SourceFile::new(display(path), text)))
}

struct Parsed {
    as_of: Date,
    expectations: Vec<(Expected, usize, usize)>,
}

/// A rule expectation as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    rule: String,
    severity: Option<Severity>,
    workflow: Option<String>,
}

/// Reads an expectation (schemas/policy-test.schema.json).
fn parse(file: &Arc<SourceFile>) -> Result<Parsed, Error> {
    let invalid = |node: &Node, message: String| {
        let at = file.line_column(node.span.start);
        Error::BadInput {
            what: "policy test expectation",
            path: file.path().to_owned(),
            at: format!("{}:{}", at.line, at.column),
            message: crate::foundation::printable(&message).into_owned(),
        }
    };
    let document = yaml::load(file.text().unwrap_or_default()).map_err(|error| {
        let at = file.line_column(error.span.start);
        Error::BadInput {
            what: "policy test expectation",
            path: file.path().to_owned(),
            at: format!("{}:{}", at.line, at.column),
            message: crate::foundation::printable(&error.message).into_owned(),
        }
    })?;
    let root = document.root;
    let Some(entries) = root.as_mapping() else {
        return Err(invalid(
            &root,
            "an expectation is a mapping with `as_of`, `raises`, `not_raises`, `monthly_usd`"
                .to_owned(),
        ));
    };
    let mut as_of = None;
    let mut expectations = Vec::new();
    for entry in entries {
        let key = entry.key.as_str().unwrap_or_default();
        let value = &entry.value;
        match key {
            "as_of" => {
                let text = value.as_str().unwrap_or_default();
                as_of = Some(text.parse::<Date>().map_err(|e| invalid(value, e))?);
            }
            "raises" | "not_raises" => {
                let yaml::NodeKind::Sequence(items) = &value.kind else {
                    return Err(invalid(value, format!("`{key}` is a list of rules")));
                };
                for item in items {
                    let parsed: RuleEntry = yaml::from_node(item)
                        .map_err(|e| invalid(item, format!("`{key}`: {e}")))?;
                    if rules::find(&parsed.rule).is_none() {
                        return Err(invalid(
                            item,
                            format!(
                                "unknown rule code `{}`; `imgcost rules` lists them",
                                parsed.rule
                            ),
                        ));
                    }
                    let at = file.line_column(item.span.start);
                    let expected = if key == "raises" {
                        Expected::Raises {
                            rule: parsed.rule,
                            severity: parsed.severity,
                            workflow: parsed.workflow,
                        }
                    } else {
                        Expected::NotRaises {
                            rule: parsed.rule,
                            severity: parsed.severity,
                            workflow: parsed.workflow,
                        }
                    };
                    expectations.push((expected, at.line, at.column));
                }
            }
            "monthly_usd" => {
                let text = value.as_str().unwrap_or_default();
                let usd = text.parse::<Decimal>().map_err(|_| {
                    invalid(value, format!("`monthly_usd` is an amount, not `{text}`"))
                })?;
                let at = file.line_column(value.span.start);
                expectations.push((Expected::MonthlyUsd { usd }, at.line, at.column));
            }
            other => {
                return Err(invalid(
                    &entry.key,
                    format!(
                        "unknown key `{other}` (as_of, raises, not_raises, monthly_usd are known)"
                    ),
                ));
            }
        }
        if expectations.len() > MAX_EXPECTATIONS {
            return Err(invalid(
                value,
                format!("more than {MAX_EXPECTATIONS} expectations in one file"),
            ));
        }
    }
    let Some(as_of) = as_of else {
        return Err(invalid(
            &root,
            "`as_of` is required: the date the fixture is checked at (rate card, exemptions)"
                .to_owned(),
        ));
    };
    if expectations.is_empty() {
        return Err(invalid(
            &root,
            "no expectation: give `raises`, `not_raises` or `monthly_usd`".to_owned(),
        ));
    }
    Ok(Parsed {
        as_of,
        expectations,
    })
}

/// Whether the report meets one expectation. A finding an exemption covers is not raised: it
/// no longer fails the gate, which is what the policy's author meant by exempting it.
fn judge(report: &Report, expected: Expected, line: usize, column: usize) -> Outcome {
    let raised = |rule: &str, severity: &Option<Severity>, workflow: &Option<String>| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.exempted.is_none() && d.rule.code == rule)
            .filter(|d| severity.is_none_or(|s| d.severity == s))
            .filter(|d| workflow.is_none() || d.workflow.as_deref() == workflow.as_deref())
            .map(|d| &**d)
            .collect::<Vec<_>>()
    };
    let found = |diagnostics: &[&crate::foundation::Diagnostic]| {
        let mut codes: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.exempted.is_none())
            .map(|d| format!("{} ({})", d.rule.code, d.severity))
            .collect();
        codes.dedup();
        let first = diagnostics.first().map_or_else(String::new, |d| {
            let at = d.primary.start();
            format!(
                "{}:{}:{}: {}",
                d.primary.file.path(),
                at.line,
                at.column,
                d.message
            )
        });
        (codes, first)
    };
    let (passed, detail) = match &expected {
        Expected::Raises {
            rule,
            severity,
            workflow,
        } => {
            let hits = raised(rule, severity, workflow);
            let (codes, _) = found(&hits);
            let raised_text = if codes.is_empty() {
                "nothing".to_owned()
            } else {
                codes.join(", ")
            };
            (
                !hits.is_empty(),
                format!("not raised; the check raised {raised_text}"),
            )
        }
        Expected::NotRaises {
            rule,
            severity,
            workflow,
        } => {
            let hits = raised(rule, severity, workflow);
            let (_, first) = found(&hits);
            (hits.is_empty(), format!("raised at {first}"))
        }
        Expected::MonthlyUsd { usd } => match report.monthly_usd().map(|t| round_half_away(t, 2)) {
            Some(actual) if actual == *usd => (true, String::new()),
            Some(actual) => (
                false,
                format!("the monthly total is ${}", format_fixed(actual, 2)),
            ),
            None => (false, "the monthly total overflows".to_owned()),
        },
    };
    Outcome {
        expected,
        line,
        column,
        passed,
        detail: if passed {
            String::new()
        } else {
            crate::foundation::printable(&detail).into_owned()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    fn schema_problems(text: &str) -> usize {
        let file = Arc::new(SourceFile::new("x.expect.yaml", text));
        let root = yaml::load(text).expect("YAML").root;
        let mut problems = Vec::new();
        Schema::PolicyTest.validate(&root, &file, &mut problems);
        problems.len()
    }

    /// The example `init` writes is what both the schema and the reader accept, and the schema
    /// refuses what the reader refuses.
    #[test]
    fn the_schema_and_the_reader_agree_on_the_example_and_on_mistakes() {
        let example = include_str!("../../examples/policy-tests/over-budget.expect.yaml");
        assert_eq!(schema_problems(example), 0);
        let parsed = parse(&Arc::new(SourceFile::new("x", example))).expect("valid");
        assert_eq!(parsed.as_of.to_string(), "2026-12-01");
        assert_eq!(parsed.expectations.len(), 3);
        for wrong in [
            "raises: []\n",
            "as_of: 2026-12-01\n",
            "as_of: 2026-12-01\nraise: []\n",
            "as_of: 2026-12-01\nraises:\n  - rule: IC201\n    level: error\n",
        ] {
            assert!(schema_problems(wrong) > 0, "{wrong}");
            assert!(
                parse(&Arc::new(SourceFile::new("x", wrong))).is_err(),
                "{wrong}"
            );
        }
    }
}
