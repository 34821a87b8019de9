//! How serious a finding is, and the `off` setting a policy may give a rule.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The severity of a [`Diagnostic`](crate::foundation::Diagnostic). Ordered so that `Error` is the
/// greatest, which is what "strictest wins" compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a policy's `severity:` table may say of a rule: a severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SeveritySetting {
    Off,
    On(Severity),
}

impl FromStr for SeveritySetting {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "off" => Ok(Self::Off),
            "note" => Ok(Self::On(Severity::Note)),
            "warning" => Ok(Self::On(Severity::Warning)),
            "error" => Ok(Self::On(Severity::Error)),
            other => Err(format!(
                "unknown severity `{other}` (expected error, warning, note or off)"
            )),
        }
    }
}
