//! IC303: the size is not allowed by a policy.

use crate::foundation::{Rule, Severity, Stage};

pub static IC303: Rule = Rule {
    code: "IC303",
    name: "size-not-allowed",
    default_severity: Severity::Error,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "size not allowed by policy",
    doc: r#"## Why it matters
Output tokens grow with the image's area: a 3840x2160 image costs several times a 1024x1024 one.
`rules.size` gives an allow list (`WxH`, or `auto`), a `max_pixels` and a `max_edge`. The limits
are checked against the size that is priced, so `size: auto` is held to them at the rate card's
assumption.

## Example
```yaml
# policy
rules:
  size: { allow: [1024x1024, 1536x1024], max_pixels: 4194304 }
# manifest
request: { size: 3840x2160 }       # not in the allow list, and over max_pixels
```

## How to fix
Use an allowed size; generate smaller and upscale elsewhere if the product needs large images.
"#,
};
