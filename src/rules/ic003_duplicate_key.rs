//! IC003: a mapping has the same key twice.
//!
//! Found by the loader (`yaml::load`), which reports both places; this file holds the rule's
//! documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC003: Rule = Rule {
    code: "IC003",
    name: "duplicate-key",
    default_severity: Severity::Error,
    stage: Stage::Loading,
    fail_closed: true,
    summary: "duplicate key in a mapping",
    doc: r#"## Why it matters
YAML forbids duplicate keys, yet many parsers silently keep the last one. In a cost manifest
that means a reviewer reads `quality: low` while the file says `quality: high` ten lines
further down. imgcost refuses the file and shows both keys.

## Example
```yaml
request:
  quality: low
  size: 1024x1024
  quality: high      # duplicate of line 2
```

## How to fix
Delete one of the two keys, keeping the value you mean.
"#,
};
