//! IC001: the file is not one well-formed YAML document within imgcost's limits.
//!
//! Found by the loader (`yaml::load`) and by the file reader; this file holds the rule's
//! documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC001: Rule = Rule {
    code: "IC001",
    name: "yaml-syntax",
    default_severity: Severity::Error,
    stage: Stage::Loading,
    fail_closed: true,
    summary: "YAML syntax error, non-UTF-8 text, several documents, too deep, too large, or an alias bomb",
    doc: r#"## Why it matters
A file imgcost cannot read cannot be priced or checked. imgcost fails closed: an unreadable
manifest is an error, never a silent skip and never $0.

The same rule covers the limits that keep imgcost safe on hostile input: files over 1 MiB,
nesting deeper than 64 levels, aliases that would expand to more than 10 000 nodes, anchors and
`defaults:` copied into more nodes than the file has bytes (a long string counts one node per 64
bytes), more than one YAML document in a file, and bytes that are not UTF-8.

## Example
```yaml
workflows:
  hero:
    request: {size: 1024x1024, quality: high     # missing `}`
```

## How to fix
Correct the syntax at the line and column shown. Indent with spaces, not tabs. Keep one
manifest per file (no `---` separating several documents). Save the file as UTF-8.
"#,
};
