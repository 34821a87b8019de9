//! IC603: an attributed workflow has no usage in the period.
//!
//! Found by `run::reconcile`; this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC603: Rule = Rule {
    code: "IC603",
    name: "no-usage",
    default_severity: Severity::Warning,
    stage: Stage::Reconcile,
    fail_closed: false,
    summary: "reconcile: an attributed workflow has no usage in the period",
    doc: r#"## Why it matters
A workflow whose attribution matches no usage in the period is either not live yet, retired
without its manifest, or attributed to the wrong key or project. Each of these makes the
gate's totals wrong: a stale manifest keeps budget room that no longer exists, and a wrong
attribution hides the workflow's real usage as undeclared (IC602). The finding points at the
workflow's `attribution:` (or its name, when it inherits the manifest's).

## Example
```text
warning[IC603]: support/avatar: no usage of gpt-image-2 images.edit under its attribution (key key_avatar) from 2026-11-01 to 2026-12-01
```

## How to fix
Remove the workflow if it is retired, correct `attribution:` if it names the wrong ids, or
exempt it with an expiry until it goes live.
"#,
};
