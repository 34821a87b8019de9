//! IC602: image usage or spend that no workflow declares (a model, key or project no manifest attributes).
//!
//! Found by `run::reconcile`; this file holds the rule's documentation.

use crate::foundation::{Rule, Severity, Stage};

pub static IC602: Rule = Rule {
    code: "IC602",
    name: "undeclared-usage",
    default_severity: Severity::Error,
    stage: Stage::Reconcile,
    fail_closed: false,
    summary: "reconcile: image usage or spend that no workflow declares (a model, key or project no manifest attributes)",
    doc: r#"## Why it matters
A cost gate only sees what manifests declare. Images generated with a key, project or model
that no workflow's `attribution:` names are spend nobody reviewed: a script run with a
production key, a model swapped without a manifest change, a service that never declared
itself. This is the shadow usage a gate exists to catch. The finding points at the file
that holds the usage (or at the manifest whose attribution names the key or project, for an
undeclared model or source), and its subject is
`openai/<project>/<key>/<model>/<source>` (`-` where the data has none), so an exemption can
name a project or a key: `workflows: ["openai/proj_sandbox/*"]`.

## Example
```text
error[IC602]: 1,200 images (400 requests) of gpt-image-2 image.generation under project proj_web, key key_batchjob from 2026-11-01 to 2026-12-01: no workflow's attribution matches (first in usage/images-2026-11-p2.json at JSON pointer /data/0/results/3)
  --> usage/images-2026-11-p2.json:1:1
```

## How to fix
Declare the workflow (with its `attribution:`) in a manifest so that the gate prices it, or
stop the usage and revoke the key. Usage that is known and accepted (a sandbox project) is
exempted with a reason and an expiry.
"#,
};
