//! IC006: a YAML tag or directive that imgcost reads past.
//!
//! Found by the loader (`yaml::load`, see `yaml::Ignored`) in every file it reads; this file
//! holds the rule's documentation and the finding.

use crate::foundation::{Rule, Severity, Stage};

pub static IC006: Rule = Rule {
    code: "IC006",
    name: "yaml-construct-ignored",
    default_severity: Severity::Warning,
    stage: Stage::Loading,
    fail_closed: false,
    summary: "YAML tag or directive that imgcost ignores (it reads YAML 1.2, core schema)",
    doc: r#"## Why it matters
imgcost reads every file by the YAML 1.2 core schema. A custom tag (`!custom 3`, `!!binary …`),
a core tag on a value it cannot apply to (`!!int "3"`: quoted values are text), or a `%YAML 1.1`
directive says the author expected another reading: under YAML 1.1, `yes` and `no` are
booleans and `010` is eight. imgcost does not give that reading; the tag is dropped and the
value read as if it were not there. The warning says so where it is written, rather than
pricing a value the author may read differently.

## Example
```yaml
%YAML 1.1          # ignored: read as YAML 1.2
---
version: 1
workflows:
  hero:
    model: !model gpt-image-2   # ignored tag: the value is the text `gpt-image-2`
```

## How to fix
Remove the tag or the directive, and write the value as plain YAML: a number, `true`/`false`,
or text (quoted if it could be read as something else).
"#,
};
