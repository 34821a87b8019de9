//! IC103: a model the workflow calls has an announced shutdown ahead.

use crate::foundation::{Rule, Severity, Stage};

pub static IC103: Rule = Rule {
    code: "IC103",
    name: "model-shutting-down",
    default_severity: Severity::Warning,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "model shutdown announced (names date, days left and replacement)",
    doc: r#"## Why it matters
A workflow on a model with an announced shutdown will stop working on a known day; migrating
early leaves time to compare quality and cost. The card's notice policy decides from when:
the card of 2026-12-01 warns from the day a shutdown is announced (OpenAI's notice is at least
3 to 6 months), and says how many days are left; a card without a notice policy warns 90 days
ahead. Like IC102, it checks the image model, the `mainline` model and the `svg` author.
gpt-5, gpt-5-mini and gpt-5-nano shut down on 2026-12-11 (announced 2026-06-11).

## Example
```yaml
mainline: { model: gpt-5-mini, input_tokens: 1000, output_tokens: 200 }
  # shuts down on 2026-12-11 (in 10 days; announced 2026-06-11); replacement: gpt-5.6-terra
  # (or gpt-6.1-terra, not priced by this card)
```

## How to fix
Move to the replacement and check the new projection. If migration is planned, an exemption
with an `expires` before the shutdown date keeps the warning out of the way until then.
"#,
};
