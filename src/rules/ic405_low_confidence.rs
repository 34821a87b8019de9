//! IC405: the projection rests on low-confidence pricing.

use crate::foundation::{Rule, Severity, Stage};

pub static IC405: Rule = Rule {
    code: "IC405",
    name: "low-confidence",
    default_severity: Severity::Note,
    stage: Stage::Workflow,
    fail_closed: false,
    summary: "low-confidence pricing (e.g. gpt-image-2.6, calculator tie sizes)",
    doc: r#"## Why it matters
Every rule of the rate card carries a confidence: OpenAI's documentation and calculator are high,
independent measurements medium, estimates low. gpt-image-2.6 has no published token formula,
so its figures are estimates from a handful of measurements; at a few "tie" sizes OpenAI's
calculator and the exact rounding rules disagree and billing is unverified; cached-input rules
come from secondary sources. The note names the rules the figure depends on, so a reviewer knows
how far to trust it. `imgcost explain` shows each rule's source.

## Example
```yaml
model: gpt-image-2.6-flare      # output tokens estimated (low confidence)
```

## How to fix
Nothing is wrong. Calibrate with real `usage` figures from the API and, if needed, price with your
own rate card (`--ratecard FILE`).
"#,
};
