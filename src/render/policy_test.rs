//! The outputs of `imgcost policy test`: a line per fixture (and one per unmet expectation,
//! at the expectation's file and line), the JSON of [`TestRun`], and JUnit with a suite per
//! fixture and a case per expectation. Every name comes from the repository: each is escaped
//! for where it lands (`printable` on a terminal, serde in JSON, `xml` in JUnit).

use std::io::Write;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use crate::foundation::{counted, printable};
use crate::render::junit::xml;
use crate::run::policy_test::TestRun;

/// The human text.
#[must_use]
pub fn human(run: &TestRun) -> String {
    let mut text = String::new();
    for fixture in &run.fixtures {
        let verdict = if fixture.passed() { "PASS" } else { "FAIL" };
        text.push_str(&format!(
            "{verdict} {} ({}, as of {})\n",
            printable(&fixture.manifest),
            counted(fixture.outcomes.len(), "expectation"),
            fixture.as_of
        ));
        for outcome in fixture.outcomes.iter().filter(|o| !o.passed) {
            text.push_str(&format!(
                "  {}:{}:{}: {}: {}\n",
                printable(&fixture.expectation),
                outcome.line,
                outcome.column,
                printable(&outcome.expected.name()),
                outcome.detail
            ));
        }
    }
    let (failed, all) = run.counts();
    let fixtures_failed = run.fixtures.iter().filter(|f| !f.passed()).count();
    text.push_str(&format!(
        "{}, {fixtures_failed} failed; {}, {failed} unmet\n{}\n",
        counted(run.fixtures.len(), "fixture"),
        counted(all, "expectation"),
        super::policy_provenance(&run.policy_sources, |text| printable(text).into_owned())
    ));
    text
}

/// The JSON document (schemas/policy-test.schema.json describes the expectation it reads; the
/// output's fields are those of [`TestRun`]).
///
/// # Errors
/// When writing fails.
pub fn json(run: &TestRun, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, run).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// The JUnit document.
///
/// # Errors
/// When writing fails.
pub fn junit(run: &TestRun, out: &mut dyn Write) -> std::io::Result<()> {
    let mut document = quick_junit::Report::new("imgcost policy test");
    let policy = xml(&super::policy_provenance(
        &run.policy_sources,
        str::to_owned,
    ));
    for fixture in &run.fixtures {
        let file = xml(&fixture.expectation);
        let mut suite = TestSuite::new(xml(&fixture.manifest));
        suite.add_property(quick_junit::Property::new("imgcost.policy", policy.clone()));
        for outcome in &fixture.outcomes {
            let status = if outcome.passed {
                TestCaseStatus::success()
            } else {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status
                    .set_message(xml(&outcome.detail))
                    .set_description(xml(&format!(
                        "{}:{}:{}: {}: {}",
                        fixture.expectation,
                        outcome.line,
                        outcome.column,
                        outcome.expected.name(),
                        outcome.detail
                    )));
                status
            };
            let mut case = TestCase::new(xml(&outcome.expected.name()), status);
            case.set_classname(file.clone());
            case.extra.insert("file".into(), file.clone());
            case.extra
                .insert("line".into(), outcome.line.to_string().into());
            suite.add_test_case(case);
        }
        document.add_test_suite(suite);
    }
    document.serialize(&mut *out).map_err(std::io::Error::other)
}
