//! IC404: `cached_fraction` has no effect on this endpoint.

use crate::foundation::{Rule, Severity, Stage};

pub static IC404: Rule = Rule {
    code: "IC404",
    name: "cache-has-no-effect",
    default_severity: Severity::Warning,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "`cached_fraction` has no effect on this endpoint",
    doc: r#"## Why it matters
Cached input rates for GPT Image apply only to the image generation tool of the Responses API,
not to direct Images API requests (`images.generate`, `images.edit`). A `cached_fraction` there
would make the projection look cheaper than the bill, so imgcost ignores it and warns.

## Example
```yaml
endpoint: images.edit
inputs: { prompt_tokens: 800, cached_fraction: 0.5 }   # no cache discount on images.edit
```

## How to fix
Remove `cached_fraction`, or move the workflow to the Responses API's image tool if caching
matters.
"#,
};
