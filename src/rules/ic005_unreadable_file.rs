//! IC005: a file that was found (or named) could not be read.
//!
//! Found by the file reader; this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC005: Rule = Rule {
    code: "IC005",
    name: "unreadable-file",
    default_severity: Severity::Error,
    stage: Stage::Loading,
    fail_closed: true,
    summary: "unreadable file",
    doc: r#"## Why it matters
A manifest that cannot be read cannot be checked, and a gate that skips what it cannot read
fails open. imgcost reports the file and fails the run.

Causes: permissions, a path that is a directory or a broken symbolic link, a symbolic link
that points out of the scanned tree (imgcost does not follow those), or an I/O error.

## Example
```text
error[IC005]: cannot read apps/web/imgcost.yaml: Permission denied (os error 13)
```

## How to fix
Make the file readable by the CI user, fix or remove the broken link, or exclude the path in
`.gitignore` if it is not a manifest.
"#,
};
