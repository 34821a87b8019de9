//! The policies of a run, and how they combine: every policy applies, and where they set the
//! same thing the strictest value wins (the lowest limit, the highest severity, the union of
//! required fields). Also where they come from: `--policy FILE` (repeatable), else
//! `.imgcost/policy.yaml` at the repository's top, else the built-in `policies/default.yaml`; with `--policy-ref REF`
//! the same files are read as they are at a git ref, so a pull request cannot loosen its own gate.

use std::path::PathBuf;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::{Policy, Required};
use crate::foundation::{Error, Rule, Severity, SeveritySetting, SourceFile};
use crate::input::file_reader::{LINK_OUTSIDE, MAX_FILE_BYTES};
use crate::input::git;
use crate::input::git::Object;
use crate::input::{Workspace, file_reader};
use crate::report::{PolicyOrigin, PolicySource};

/// The built-in default policy: it only warns.
pub const DEFAULT_POLICY: (&str, &str) = (
    "policies/default.yaml",
    include_str!("../../policies/default.yaml"),
);

/// Where the conventional repository policy lives.
pub const REPOSITORY_POLICY: &str = ".imgcost/policy.yaml";

/// Every policy of a run.
#[derive(Debug, Clone)]
pub struct PolicySet {
    pub policies: Vec<Policy>,
    /// The revision the policies were read at (`--policy-ref`), if any.
    pub reference: Option<String>,
    /// How the policies were chosen.
    pub origin: PolicyOrigin,
}

/// A value set by one of the policies, with the policy that set it.
#[derive(Debug, Clone, Copy)]
pub struct Strictest<'a, T> {
    pub value: T,
    pub policy: &'a Policy,
}

impl PolicySet {
    /// The built-in default policy alone.
    ///
    /// # Panics
    /// When the shipped default policy is invalid (a test keeps it valid).
    #[must_use]
    pub fn builtin_default() -> Self {
        let file = Arc::new(SourceFile::new(DEFAULT_POLICY.0, DEFAULT_POLICY.1));
        let policy = Policy::read(&file, false)
            .unwrap_or_else(|problems| panic!("built-in default policy is invalid: {problems:?}"));
        Self {
            policies: vec![policy],
            reference: None,
            origin: PolicyOrigin::BuiltIn,
        }
    }

    /// Finds and loads the policies of a run (see the module documentation).
    ///
    /// # Errors
    /// A policy file that is missing, unreadable or invalid (with located diagnostics), or a git
    /// ref that cannot be read.
    pub fn load(
        explicit: &[PathBuf],
        git_ref: Option<&str>,
        workspace: &Workspace,
    ) -> Result<Self, Error> {
        let paths: Vec<PathBuf> = if explicit.is_empty() {
            // From the repository's top, not the working directory: `cd services/chat &&
            // imgcost check` applies the policy CI applies.
            vec![workspace.from_root(REPOSITORY_POLICY)]
        } else {
            explicit.to_vec()
        };
        let cwd = workspace.cwd.as_path();
        let mut policies = Vec::new();
        for path in &paths {
            let display = crate::input::discovery::display_path(&cwd.join(path), cwd);
            let unreadable = |path: String, message: &str| Error::Unreadable {
                what: "policy",
                path,
                message: message.to_owned(),
            };
            let file = match git_ref {
                Some(reference) => {
                    let shown = format!("{reference}:{display}");
                    match git::show(cwd, reference, path)? {
                        Object::File(bytes) => file_reader::decode(&shown, bytes)
                            .map_err(|d| invalid(&display, vec![*d]))?,
                        // Absent at the ref: no repository policy then. Anything else there (a
                        // submodule, a link to nothing) is a broken policy, not an absent one.
                        Object::Missing
                            if explicit.is_empty()
                                && !git::exists_at(cwd, &git::resolve(cwd, reference)?, path)? =>
                        {
                            continue;
                        }
                        Object::Missing if explicit.is_empty() => {
                            return Err(unreadable(shown, "it is not a file at that revision"));
                        }
                        Object::Dangling => {
                            return Err(unreadable(
                                shown,
                                "it is a broken symbolic link at that revision",
                            ));
                        }
                        Object::Missing => {
                            return Err(Error::Usage(format!(
                                "policy {display} does not exist at {reference}"
                            )));
                        }
                        Object::LinkOutside => return Err(unreadable(shown, LINK_OUTSIDE)),
                        Object::NotAFile => {
                            return Err(unreadable(shown, "it is not a file at that revision"));
                        }
                    }
                }
                None => {
                    // A dangling link is not an absent policy: it is read, and fails.
                    if std::fs::symlink_metadata(cwd.join(path)).is_err() {
                        if explicit.is_empty() {
                            continue;
                        }
                        return Err(Error::Usage(format!(
                            "policy file {display} does not exist"
                        )));
                    }
                    let bytes = file_reader::read_confined(workspace, path, MAX_FILE_BYTES)
                        .map_err(|message| unreadable(display.clone(), &message))?;
                    file_reader::decode(&display, bytes).map_err(|d| invalid(&display, vec![*d]))?
                }
            };
            let mut policy =
                Policy::load(&file).map_err(|diagnostics| invalid(&display, diagnostics))?;
            policy.path = Some(display);
            policies.push(policy);
        }
        let reference = git_ref.map(str::to_owned);
        if policies.is_empty() {
            return Ok(Self {
                reference,
                ..Self::builtin_default()
            });
        }
        Ok(Self {
            policies,
            reference,
            origin: if explicit.is_empty() {
                PolicyOrigin::Repository
            } else {
                PolicyOrigin::CommandLine
            },
        })
    }

    #[must_use]
    pub fn names(&self) -> Vec<&str> {
        self.policies.iter().map(|p| p.name.as_str()).collect()
    }

    /// Where each policy came from, as reports say it.
    #[must_use]
    pub fn sources(&self) -> Vec<PolicySource> {
        self.policies
            .iter()
            .map(|policy| PolicySource {
                name: policy.name.clone(),
                origin: self.origin,
                path: policy.path.clone(),
                revision: self.reference.clone(),
            })
            .collect()
    }

    /// The severity of a rule: the strictest any policy gives it (a policy that does not mention
    /// the rule gives it its default severity).
    #[must_use]
    pub fn severity(&self, rule: &Rule) -> SeveritySetting {
        self.policies
            .iter()
            .map(|policy| {
                policy
                    .severity
                    .get(rule.code)
                    .copied()
                    .unwrap_or(SeveritySetting::On(rule.default_severity))
            })
            .max()
            .unwrap_or(SeveritySetting::On(rule.default_severity))
    }

    /// The lowest value any policy sets, with that policy.
    fn lowest<T: PartialOrd + Copy>(
        &self,
        get: impl Fn(&Policy) -> Option<T>,
    ) -> Option<Strictest<'_, T>> {
        self.policies
            .iter()
            .filter_map(|policy| get(policy).map(|value| Strictest { value, policy }))
            .reduce(|a, b| if b.value < a.value { b } else { a })
    }

    #[must_use]
    pub fn warn_at(&self) -> Option<Strictest<'_, Decimal>> {
        self.lowest(|p| p.rules.warn_at)
    }

    #[must_use]
    pub fn workflow_monthly_usd(&self) -> Option<Strictest<'_, Decimal>> {
        self.lowest(|p| p.rules.limits.as_ref()?.workflow_monthly_usd)
    }

    #[must_use]
    pub fn manifest_monthly_usd(&self) -> Option<Strictest<'_, Decimal>> {
        self.lowest(|p| p.rules.limits.as_ref()?.manifest_monthly_usd)
    }

    #[must_use]
    pub fn total_monthly_usd(&self) -> Option<Strictest<'_, Decimal>> {
        self.lowest(|p| p.rules.limits.as_ref()?.total_monthly_usd)
    }

    #[must_use]
    pub fn per_accepted_image_usd(&self) -> Option<Strictest<'_, Decimal>> {
        self.lowest(|p| p.rules.limits.as_ref()?.per_accepted_image_usd)
    }

    #[must_use]
    pub fn retry_rate(&self) -> Option<Strictest<'_, Decimal>> {
        self.lowest(|p| p.rules.limits.as_ref()?.retry_rate)
    }

    #[must_use]
    pub fn n_max(&self) -> Option<Strictest<'_, u32>> {
        self.lowest(|p| p.rules.n.map(|n| n.max))
    }

    #[must_use]
    pub fn max_increase_usd(&self) -> Option<Strictest<'_, Decimal>> {
        self.lowest(|p| p.rules.diff.as_ref()?.max_increase_usd)
    }

    #[must_use]
    pub fn max_increase_percent(&self) -> Option<Strictest<'_, Decimal>> {
        self.lowest(|p| p.rules.diff.as_ref()?.max_increase_percent)
    }

    /// IC601's tolerance in percent: the lowest any policy sets.
    #[must_use]
    pub fn reconcile_over_percent(&self) -> Option<Strictest<'_, Decimal>> {
        self.lowest(|p| p.rules.reconcile.as_ref()?.over_percent)
    }

    /// IC604's tolerance in percent: the lowest any policy sets.
    #[must_use]
    pub fn reconcile_cost_per_image_percent(&self) -> Option<Strictest<'_, Decimal>> {
        self.lowest(|p| p.rules.reconcile.as_ref()?.cost_per_image_percent)
    }

    /// Every required field, with the first policy that requires it.
    #[must_use]
    pub fn required(&self) -> Vec<Strictest<'_, Required>> {
        let mut required: Vec<Strictest<'_, Required>> = Vec::new();
        for policy in &self.policies {
            for field in &policy.rules.require {
                if required.iter().all(|r| r.value != *field) {
                    required.push(Strictest {
                        value: *field,
                        policy,
                    });
                }
            }
        }
        required.sort_by_key(|r| r.value);
        required
    }
}

/// Whether a severity setting keeps the finding, and at what severity.
#[must_use]
pub const fn kept(setting: SeveritySetting) -> Option<Severity> {
    match setting {
        SeveritySetting::Off => None,
        SeveritySetting::On(severity) => Some(severity),
    }
}

fn invalid(path: &str, diagnostics: Vec<crate::foundation::Diagnostic>) -> Error {
    Error::Invalid {
        what: "policy",
        path: path.to_owned(),
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_policies_are_valid() {
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/policies")).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let file = Arc::new(SourceFile::new(path.display().to_string(), text));
            if let Err(problems) = Policy::load(&file) {
                panic!("{} is invalid: {problems:?}", path.display());
            }
        }
        assert_eq!(PolicySet::builtin_default().names(), ["default"]);
    }
}
