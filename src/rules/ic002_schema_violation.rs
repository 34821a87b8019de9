//! IC002: the file does not match its JSON Schema.
//!
//! Found by `Schema::validate`; this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC002: Rule = Rule {
    code: "IC002",
    name: "schema-violation",
    default_severity: Severity::Error,
    stage: Stage::Loading,
    fail_closed: true,
    summary: "schema violation: wrong type, value out of range, unknown key or missing key",
    doc: r#"## Why it matters
The schema is the contract between a manifest and the cost projection. A misspelt key
(`qualty: high`) would otherwise be ignored and the workflow priced at the default quality;
a number written as a string (`"12000"`) might be read differently by another tool. imgcost
rejects both, at the exact line and column.

`imgcost schema manifest` prints the schema; point your editor at it with
`# yaml-language-server: $schema=...` to get completion and the same checks while typing.

## Example
```yaml
workflows:
  hero:
    model: gpt-image-2
    request: { qualty: high }          # unknown key: did you mean `quality`?
    volume: { requests_per_month: "12000" }   # must be a number, found a string
```

## How to fix
Follow the message and the hint: rename the key, remove the quotes around numbers, add the
missing key, or bring the value into its range.
"#,
};
