//! IC007: more findings than a report shows.
//!
//! Added when the findings are settled (`policy::settle`); this file holds the rule's
//! documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC007: Rule = Rule {
    code: "IC007",
    name: "findings-omitted",
    default_severity: Severity::Note,
    stage: Stage::Settling,
    fail_closed: false,
    summary: "findings beyond the per-file or per-run limit are counted, not shown",
    doc: r#"## Why it matters
One file can hold thousands of problems (a generated manifest, or a hostile one with thirty
thousand duplicate keys on one line), and a report of all of them would be gigabytes that no
one reads and that CI logs truncate anyway. A report shows at most 500 findings per file and,
for the whole run, at most one per 256 bytes of manifest text read (and never fewer than
2 000): errors first, then warnings, then notes. The rest are counted in the summary (so the
exit code still reflects every error) and named by this note, at the first finding left out,
with how many of each severity were left out.

## Example
```text
note[IC007]: 29 500 more findings in imgcost.yaml are not shown (29 500 errors, 0 warnings,
0 notes); a report shows at most 500 per file
```

## How to fix
Fix the findings shown and run again; the next ones appear. Split a manifest that legitimately
has this many problems.
"#,
};
