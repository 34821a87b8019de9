//! IC404: `cached_fraction` has no effect on this endpoint.

use super::context::WorkflowContext;
use crate::{Diagnostic, Rule, Severity};

pub static IC404: Rule = Rule {
    code: "IC404",
    name: "cache-has-no-effect",
    default_severity: Severity::Warning,
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

pub fn check(ctx: &WorkflowContext<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx
        .projection()
        .is_some_and(|p| p.assumptions.ignored_cached_fraction)
    {
        return;
    }
    out.push(
        Diagnostic::new(
            &IC404,
            format!("`cached_fraction` has no effect on {} for {}: every input token is priced at the full rate", ctx.entry.workflow.spec.endpoint, ctx.entry.workflow.spec.model),
            ctx.value_label("inputs/cached_fraction", "ignored"),
        )
        .with_help("remove `cached_fraction`; cached input rates apply only to the Responses API's image tool")
        .with_workflow(ctx.id()),
    );
}
