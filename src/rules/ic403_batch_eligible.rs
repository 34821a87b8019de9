//! IC403: a workflow that can wait a day is not using the Batch API.

use crate::foundation::{Rule, Severity, Stage};

pub static IC403: Rule = Rule {
    code: "IC403",
    name: "batch-eligible",
    default_severity: Severity::Note,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "Batch-eligible (`latency: day`, `batch: false`): names the monthly saving",
    doc: r#"## Why it matters
The Batch API prices most image models at half the standard rates, with results within 24 hours.
A workflow that declares `latency: day` can wait that long, so it pays double for nothing. The
note prices the workflow at Batch rates and names the monthly saving.

## Example
```yaml
latency: day
batch: false         # Batch would save $540.67 a month
```

## How to fix
Send the workflow's requests through the Batch API and set `batch: true`. If the model has no
Batch rates (chatgpt-image-latest, gpt-image-2.6), there is no note.
"#,
};
