//! IC106: a parameter combination the API rejects.

use crate::foundation::{Rule, Severity, Stage};

pub static IC106: Rule = Rule {
    code: "IC106",
    name: "rejected-combination",
    default_severity: Severity::Error,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "parameter combination the API rejects",
    doc: r#"## Why it matters
Some parameters exclude each other, and the API answers such a request with an error: the
workflow would fail in production (and its retries would be billed for nothing). imgcost checks
the combinations the rate card and the SDK document:

- `background: transparent` with `output_format: jpeg` (jpeg has no alpha channel), or on a
  model without transparent backgrounds (gpt-image-2);
- `input_fidelity` on a model that does not take it (gpt-image-2 and 2.5+ always use high
  fidelity; gpt-image-1-mini takes none);
- `partial_images` with `gif` or `svg` output; `n` above 1 with `svg`;
  `output_compression` with `gif` or `svg`;
- more input images per call than the model accepts (16 for GPT Image);
- an `output_format` or `endpoint` the model does not support;
- input images on `images.generate` (use `images.edit` or `responses`), and `images.edit` with
  none (`inputs.images` absent, empty, or every `per_request` 0): the API requires an image to
  edit;
- `mainline:` on an endpoint other than `responses`.

Unsupported qualities such as `xhigh` on gpt-image-2 are IC105.

## Example
```yaml
request: { background: transparent, output_format: jpeg }   # jpeg cannot be transparent
```

## How to fix
Change one side of the combination, as the message says.
"#,
};
