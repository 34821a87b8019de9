//! Which places may claim which projects (IC308): identity tied to place.
//!
//! A workflow's id is `<project>/<name>`, and the manifest chooses its project. Exemptions are
//! written for ids, so a manifest that claims another team's project would inherit its
//! exemptions. Policies bind projects to paths (`projects:`); with `--policy-ref REF`, a project
//! no policy binds is bound to the folders that held its manifests at REF. A manifest that
//! claims a project outside its binding is an IC308 error, which cannot be lowered or exempted.
//! A manifest unchanged since REF claimed the same project at REF, so only new and changed
//! manifests need the manifests of REF to be read.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::PolicySet;
use crate::foundation::{Diagnostic, Error, Label};
use crate::input::Workspace;
use crate::input::discovery::is_manifest_name;
use crate::input::git;
use crate::input::git::{CatFile, Object};
use crate::model::Manifest;
use crate::report::Report;
use crate::rules::IC308;
use crate::yaml;
use crate::yaml::NodeKind;
use crate::yaml::Span;

/// The folders (relative to the repository's top, `""` for the top itself) that held each
/// project's manifests at a revision.
#[derive(Debug, Default)]
struct ProjectsAtRef {
    folders: HashMap<String, BTreeSet<String>>,
}

impl ProjectsAtRef {
    /// Reads every manifest of the repository at `commit` for the project it claims.
    fn read(root: &Path, commit: &str) -> Result<Self, Error> {
        let mut cat = CatFile::spawn(root)?;
        let mut texts = Vec::new();
        for file in git::list_files(root, commit, &[])? {
            let name = file.path.rsplit('/').next().unwrap_or_default();
            if !is_manifest_name(name) {
                continue;
            }
            if let Object::File(bytes) =
                cat.read(&git::object_name(commit, Path::new(&file.path)))?
            {
                texts.push((file.path, bytes));
            }
        }
        // A manifest at the top takes the name of the repository's folder, as at the head.
        let top = root
            .file_name()
            .map_or_else(|| "root".to_owned(), |n| n.to_string_lossy().into_owned());
        let claims: Vec<(String, String)> = texts
            .par_iter()
            .filter_map(|(path, bytes)| {
                let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
                let default = if folder.is_empty() {
                    top.as_str()
                } else {
                    folder.rsplit('/').next().unwrap_or(folder)
                };
                let project = declared_project(bytes).unwrap_or_else(|| default.to_owned());
                Some((project, folder.to_owned()))
            })
            .collect();
        let mut folders: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (project, folder) in claims {
            folders.entry(project).or_default().insert(folder);
        }
        Ok(Self { folders })
    }
}

/// The `project:` a manifest's text declares, if it loads and declares one.
fn declared_project(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let document = yaml::load(text).ok()?;
    match &document.root.get("project")?.kind {
        NodeKind::Scalar(scalar) => Some(scalar.text.clone()),
        _ => None,
    }
}

/// Whether `place` lies in `folder` or below it (relative paths with `/`). The repository's
/// top (`""`) holds only the files directly in it: a project whose manifests sat at the top
/// would otherwise be claimable from anywhere.
fn within(place: &str, folder: &str) -> bool {
    if folder.is_empty() {
        return !place.contains('/');
    }
    place
        .strip_prefix(folder)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Where a finding about a manifest's project points: its `project:` value, else its first line.
fn project_label(manifest: &Manifest, message: String) -> Label {
    let span = manifest
        .project_span
        .unwrap_or_else(|| manifest.file.line_span(1));
    let span = if span.is_empty() && manifest.file.is_empty() {
        Span::point(0)
    } else {
        span
    };
    Label::new(&manifest.file, span, message)
}

fn finding(manifest: &Manifest, message: String, claim: &str) -> Diagnostic {
    Diagnostic::new(&IC308, message, project_label(manifest, claim.to_owned()))
        .with_help("move the manifest under the project's paths, give it a project of its own, or have the policy's owners bind the project to this path too (`projects:` in the policy)")
        .with_workflow(format!("{}/*", manifest.project))
}

/// IC308 for every manifest that claims a project outside the places its policies bind it to,
/// and, when `workspace` is given and the policies were read at a revision, outside the folders
/// that held the project's manifests there.
///
/// # Errors
/// When git fails to read the revision.
pub fn check_places(
    report: &Report,
    policies: &PolicySet,
    workspace: Option<&Workspace>,
) -> Result<Vec<Diagnostic>, Error> {
    let mut found = Vec::new();
    let mut unbound: Vec<&Manifest> = Vec::new();
    for manifest in &report.manifests {
        let bindings: Vec<_> = policies
            .policies
            .iter()
            .flat_map(|policy| {
                policy
                    .projects
                    .iter()
                    .filter(|binding| binding.project == manifest.project)
                    .map(move |binding| (policy, binding))
            })
            .collect();
        if bindings.is_empty() {
            unbound.push(manifest);
        }
        for (policy, binding) in bindings {
            if binding.places.is_match(&manifest.place) {
                continue;
            }
            found.push(
                finding(
                    manifest,
                    format!(
                        "this manifest claims project `{}`, which policy `{}` binds to {}; it is at {}",
                        manifest.project,
                        policy.name,
                        binding.patterns.join(", "),
                        manifest.place
                    ),
                    "claimed here",
                )
                .with_related(policy.label(
                    &format!("/projects/{}", binding.project),
                    format!("policy `{}` binds the project here", policy.name),
                )),
            );
        }
    }
    let (Some(workspace), Some(revision)) = (workspace, policies.reference.as_deref()) else {
        return Ok(found);
    };
    let Some(root) = workspace.repository.as_deref() else {
        return Ok(found);
    };
    if unbound.is_empty() {
        return Ok(found);
    }
    let commit = git::resolve(root, revision)?;
    let changed: HashSet<String> = git::changed_since(root, &commit)?;
    let claimants: Vec<&Manifest> = unbound
        .into_iter()
        .filter(|manifest| changed.contains(&manifest.place))
        .collect();
    if claimants.is_empty() {
        return Ok(found);
    }
    let at_ref = ProjectsAtRef::read(root, &commit)?;
    for manifest in claimants {
        let Some(folders) = at_ref.folders.get(&manifest.project) else {
            // A project new in this change: nothing at the revision to borrow.
            continue;
        };
        if folders.iter().any(|folder| within(&manifest.place, folder)) {
            continue;
        }
        let shown: Vec<String> = folders
            .iter()
            .map(|f| {
                if f.is_empty() {
                    "the repository's top".to_owned()
                } else {
                    format!("{f}/")
                }
            })
            .collect();
        found.push(finding(
            manifest,
            format!(
                "this manifest claims project `{}`, whose manifests at {revision} are all under {}; it is at {}",
                manifest.project,
                shown.join(", "),
                manifest.place
            ),
            "claimed here",
        ));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_lie_within_folders_by_whole_names() {
        assert!(within("apps/shop/imgcost.yaml", "apps/shop"));
        assert!(within("apps/shop/deep/imgcost.yaml", "apps"));
        assert!(within("imgcost.yaml", ""));
        assert!(!within("apps/shop/imgcost.yaml", ""));
        assert!(!within("apps/shopping/imgcost.yaml", "apps/shop"));
        assert!(!within("apps/shop", "apps/shop"));
    }

    #[test]
    fn a_declared_project_is_read_from_the_text() {
        assert_eq!(
            declared_project(b"version: 1\nproject: shop\n").as_deref(),
            Some("shop")
        );
        assert_eq!(declared_project(b"version: 1\n"), None);
        assert_eq!(declared_project(b"project: [a]\n"), None);
        assert_eq!(declared_project(b"\xff"), None);
    }
}
