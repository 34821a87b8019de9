//! `attribution:` whose usage belongs to a workflow: the OpenAI project id and the API key ids
//! its calls are made with, as the Usage and Costs APIs name them. `imgcost reconcile` matches
//! saved usage to workflows by it (docs/manifest.md).

use serde::Deserialize;

/// The ids a workflow's usage is reported under.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    pub openai_project: Option<String>,
    #[serde(default)]
    pub api_keys: Vec<String>,
}

impl Attribution {
    /// The workflow's own fields, each falling back to the manifest's.
    #[must_use]
    pub fn over(own: Option<&Self>, manifest: Option<&Self>) -> Option<Self> {
        match (own, manifest) {
            (None, None) => None,
            (Some(own), None) => Some(own.clone()),
            (None, Some(manifest)) => Some(manifest.clone()),
            (Some(own), Some(manifest)) => Some(Self {
                openai_project: own
                    .openai_project
                    .clone()
                    .or_else(|| manifest.openai_project.clone()),
                api_keys: if own.api_keys.is_empty() {
                    manifest.api_keys.clone()
                } else {
                    own.api_keys.clone()
                },
            }),
        }
    }

    /// Whether usage reported under `project` and `key` (either may be unknown) belongs here:
    /// every id both sides name agrees, and they name at least one in common.
    #[must_use]
    pub fn matches(&self, project: Option<&str>, key: Option<&str>) -> bool {
        let project_agrees = match (self.openai_project.as_deref(), project) {
            (Some(own), Some(used)) => Some(own == used),
            _ => None,
        };
        let key_agrees = match (self.api_keys.is_empty(), key) {
            (false, Some(used)) => Some(self.api_keys.iter().any(|k| k == used)),
            _ => None,
        };
        !matches!(
            (project_agrees, key_agrees),
            (Some(false), _) | (_, Some(false)) | (None, None)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attribution(project: Option<&str>, keys: &[&str]) -> Attribution {
        Attribution {
            openai_project: project.map(str::to_owned),
            api_keys: keys.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    #[test]
    fn usage_matches_when_the_ids_both_sides_name_agree() {
        let both = attribution(Some("proj_a"), &["key_1"]);
        assert!(both.matches(Some("proj_a"), Some("key_1")));
        assert!(
            both.matches(Some("proj_a"), None),
            "grouped by project only"
        );
        assert!(both.matches(None, Some("key_1")), "grouped by key only");
        assert!(!both.matches(Some("proj_a"), Some("key_2")));
        assert!(!both.matches(Some("proj_b"), Some("key_1")));
        assert!(!both.matches(None, None), "nothing in common");
        let keys = attribution(None, &["key_1", "key_2"]);
        assert!(keys.matches(Some("proj_z"), Some("key_2")));
        assert!(!keys.matches(Some("proj_z"), None));
    }

    #[test]
    fn a_workflow_overrides_its_manifest_field_by_field() {
        let manifest = attribution(Some("proj_a"), &["key_1"]);
        let own = attribution(None, &["key_9"]);
        assert_eq!(
            Attribution::over(Some(&own), Some(&manifest)),
            Some(attribution(Some("proj_a"), &["key_9"]))
        );
        assert_eq!(Attribution::over(None, Some(&manifest)), Some(manifest));
        assert_eq!(Attribution::over(None, None), None);
    }
}
