//! A dated rate card: loading (built in or from `--ratecard FILE`), validation, selection by
//! date, and model lookup.
//!
//! Built-in cards are YAML files under `ratecards/`, compiled into the binary, parsed once per
//! process and validated by `schemas/ratecard.schema.json` like any user card (a test keeps them
//! valid). The default card is the newest whose `effective_from` is on or before the as-of date.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use super::{Dateable, Dated, ImageModel, NoticePolicy, TextModel};
use rayon::prelude::*;

use crate::foundation::{Date, Diagnostic, Error, Label, SourceFile};
use crate::input::git;
use crate::input::git::Object;
use crate::input::{Workspace, file_reader};
use crate::model::{Schema, closest, load_tree};
use crate::{rules, yaml};

/// The built-in cards: (path in the repository, text).
const BUILTIN: &[(&str, &str)] = &[
    (
        "ratecards/openai-2026-11-23.yaml",
        include_str!("../../../ratecards/openai-2026-11-23.yaml"),
    ),
    (
        "ratecards/openai-2026-12-01.yaml",
        include_str!("../../../ratecards/openai-2026-12-01.yaml"),
    ),
];

/// A rate card.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateCard {
    pub id: String,
    pub provider: String,
    pub currency: String,
    pub effective_from: Date,
    pub checked: Date,
    pub source: String,
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    /// The provider's shutdown notice policy: when IC103 starts to warn (90 days before a
    /// shutdown on a card without one).
    pub notice: Option<NoticePolicy>,
    /// By canonical id, shared with every projection of a model (`Projection::model`).
    pub models: BTreeMap<Arc<str>, ImageModel>,
    #[serde(default)]
    pub text_models: BTreeMap<String, TextModel>,
}

impl RateCard {
    /// Reads and validates a card from a file's text.
    ///
    /// # Errors
    /// The located problems (schema violations, inconsistent rules).
    pub fn load(file: &Arc<SourceFile>) -> Result<Self, Vec<Diagnostic>> {
        Self::read(file, true)
    }

    /// Reads a card, against its schema when `validate` (a built-in card was validated by the
    /// test suite; compiling the schema at every start would cost more than the whole check of
    /// a small repository).
    fn read(file: &Arc<SourceFile>, validate: bool) -> Result<Self, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let Some(document) = load_tree(file, &mut problems) else {
            return Err(problems);
        };
        if validate {
            Schema::RateCard.validate(&document.root, file, &mut problems);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let card: Self = yaml::from_node(&document.root)
            .map_err(|e| vec![crate::model::typed_error(file, &document.root, e)])?;
        card.check_consistency(file, &document.root, &mut problems);
        if problems.is_empty() {
            Ok(card)
        } else {
            Err(problems)
        }
    }

    /// Rules the schema cannot express: unique ids and aliases, replacements that exist, `auto`
    /// quality among the qualities, table rows for every quality.
    fn check_consistency(
        &self,
        file: &Arc<SourceFile>,
        root: &yaml::Node,
        out: &mut Vec<Diagnostic>,
    ) {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        let mut problem = |pointer: String, message: String| {
            let span = root
                .pointer(&pointer)
                .map_or(root.span, |(key, value)| key.map_or(value.span, |k| k.span));
            out.push(Diagnostic::new(
                &rules::IC002,
                message,
                Label::new(file, span, "here"),
            ));
        };
        let all_ids = self
            .models
            .iter()
            .map(|(id, m)| (id.as_ref(), &m.aliases, "models"))
            .chain(
                self.text_models
                    .iter()
                    .map(|(id, m)| (id.as_str(), &m.aliases, "text_models")),
            );
        for (id, aliases, section) in all_ids {
            for name in std::iter::once(id).chain(aliases.iter().map(String::as_str)) {
                if let Some(other) = seen.insert(name, id) {
                    problem(
                        format!("/{section}/{id}"),
                        format!("`{name}` names both `{other}` and `{id}`"),
                    );
                }
            }
        }
        for (id, model) in &self.models {
            if let Some(replacement) = &model.replacement
                && self.image_model(replacement).is_none()
            {
                problem(
                    format!("/models/{id}/replacement"),
                    format!("replacement `{replacement}` is not a model of this card"),
                );
            }
            for (index, auto) in model.auto.records().iter().enumerate() {
                let at = record_pointer(&format!("/models/{id}/auto"), &model.auto, index);
                if !model.qualities.contains(&auto.quality) {
                    problem(
                        format!("{at}/quality"),
                        format!(
                            "`auto` quality `{}` is not among the model's qualities",
                            auto.quality
                        ),
                    );
                }
                let measured = auto.quality_rule == super::AutoQualityRule::Measured;
                if measured != auto.measured.is_some() {
                    problem(
                        at,
                        "`measured` goes with `quality_rule: measured`, and only with it"
                            .to_owned(),
                    );
                }
            }
            for (index, output) in model.output.records().iter().enumerate() {
                if output.rule().is_none() {
                    problem(
                        record_pointer(&format!("/models/{id}/output"), &model.output, index),
                        "the output rule lacks the table its kind needs".to_owned(),
                    );
                }
            }
            if let Some(gif) = &model.gif {
                let calculator = model
                    .output
                    .records()
                    .iter()
                    .all(|o| matches!(o.rule(), Some(super::OutputRule::Calculator { .. })));
                let increasing = gif.sheets.windows(2).all(|w| w[0].up_to < w[1].up_to);
                if !calculator || !increasing || gif.sheet(gif.default_frames).is_none() {
                    problem(
                        format!("/models/{id}/gif"),
                        "a gif rule needs a calculator output rule, sheets in increasing `up_to`, and a sheet for `default_frames`".to_owned(),
                    );
                }
            }
            for (pointer, disorder) in [
                ("rates", model.rates.disorder()),
                ("output", model.output.disorder()),
                ("auto", model.auto.disorder()),
            ] {
                if let Some((index, why)) = disorder {
                    problem(format!("/models/{id}/{pointer}/{index}"), why);
                }
            }
        }
        for (id, model) in &self.text_models {
            if let Some(replacement) = &model.replacement
                && self.text_model(replacement).is_none()
            {
                problem(
                    format!("/text_models/{id}/replacement"),
                    format!(
                        "replacement `{replacement}` is not a text model of this card (name an unpriced one under `lifecycle.also_named`)"
                    ),
                );
            }
            if let Some((index, why)) = model.rates.disorder() {
                problem(format!("/text_models/{id}/rates/{index}"), why);
            }
        }
    }

    /// The shutdown of the model named by an id or alias, image or text model: its canonical id,
    /// date, replacement and lifecycle record.
    #[must_use]
    pub fn shutdown_of(&self, name: &str) -> Option<Shutdown<'_>> {
        self.image_shutdown(name)
            .or_else(|| self.text_shutdown(name))
    }

    /// The shutdown of the image model named by an id or alias.
    #[must_use]
    pub fn image_shutdown(&self, name: &str) -> Option<Shutdown<'_>> {
        let (id, model) = self.image_model(name)?;
        model.shutdown.map(|day| Shutdown {
            id,
            day,
            replacement: model.replacement.as_deref(),
            lifecycle: model.lifecycle.as_ref(),
        })
    }

    /// The shutdown of the text model named by an id or alias.
    #[must_use]
    pub fn text_shutdown(&self, name: &str) -> Option<Shutdown<'_>> {
        let (id, model) = self.text_model(name)?;
        model.shutdown.map(|day| Shutdown {
            id,
            day,
            replacement: model.replacement.as_deref(),
            lifecycle: model.lifecycle.as_ref(),
        })
    }

    /// Whether the card prices a model of this name (image or text).
    #[must_use]
    pub fn prices(&self, name: &str) -> bool {
        self.image_model(name).is_some() || self.text_model(name).is_some()
    }

    /// The built-in cards, parsed once.
    ///
    /// # Panics
    /// When a built-in card is invalid: a build that ships one is broken, and a test catches it.
    #[must_use]
    pub fn builtin() -> &'static [Arc<Self>] {
        static CARDS: OnceLock<Vec<Arc<RateCard>>> = OnceLock::new();
        CARDS.get_or_init(|| {
            // In parallel: parsing them is most of what a check of a few manifests does.
            let mut cards: Vec<Arc<Self>> = BUILTIN
                .par_iter()
                .map(|(path, text)| {
                    let file = Arc::new(SourceFile::new(*path, *text));
                    Arc::new(Self::read(&file, false).unwrap_or_else(|problems| {
                        panic!("built-in {path} is invalid: {problems:?}")
                    }))
                })
                .collect();
            cards.sort_by_key(|card| card.effective_from);
            cards
        })
    }

    /// Reads a rate-card file as every file that is not a manifest is read
    /// ([`file_reader::read_confined`]).
    ///
    /// # Errors
    /// An unreadable file, or one over the size cap or not UTF-8 (with its finding).
    pub fn read_file(
        workspace: &Workspace,
        path: &Path,
        display: &str,
    ) -> Result<Arc<SourceFile>, Error> {
        let bytes = file_reader::read_confined(workspace, path, file_reader::MAX_FILE_BYTES)
            .map_err(|message| Error::Unreadable {
                what: "rate card",
                path: display.to_owned(),
                message,
            })?;
        file_reader::decode(display, bytes).map_err(|diagnostic| Error::Invalid {
            what: "rate card",
            path: display.to_owned(),
            diagnostics: vec![*diagnostic],
        })
    }

    /// The card a run uses: `choice` names a built-in card id or a file; without one, the newest
    /// built-in card effective on `as_of`.
    ///
    /// # Errors
    /// No card effective on that date, an unknown id, or an unreadable or invalid file.
    pub fn select(
        choice: Option<&str>,
        as_of: Date,
        workspace: &Workspace,
        reference: Option<&str>,
    ) -> Result<Arc<Self>, Error> {
        let builtin = Self::builtin();
        let Some(choice) = choice else {
            return builtin.iter().rev().find(|card| card.effective_from <= as_of).cloned().ok_or_else(|| {
                let earliest = builtin.first().map_or_else(String::new, |c| format!("; the earliest built-in card ({}) is effective from {}", c.id, c.effective_from));
                Error::Usage(format!("no built-in rate card is effective on {as_of}{earliest}. Pass --ratecard ID or FILE to choose one"))
            });
        };
        if let Some(card) = builtin.iter().find(|card| card.id == choice) {
            return Ok(Arc::clone(card));
        }
        // Prices are the gate's configuration, like its policies: a card kept in the repository
        // is read at `--policy-ref`, so that a change cannot lower the prices it is judged by.
        if let Some(reference) = reference
            && workspace.repository.is_some()
            && workspace
                .lexical(Path::new(choice))
                .starts_with(workspace.root())
        {
            let shown = format!("{reference}:{choice}");
            let unreadable = |message: &str| Error::Unreadable {
                what: "rate card",
                path: shown.clone(),
                message: message.to_owned(),
            };
            let bytes = match git::show(&workspace.cwd, reference, Path::new(choice))? {
                Object::File(bytes) => bytes,
                Object::Missing => {
                    return Err(Error::Usage(format!(
                        "rate card {choice} does not exist at {reference} (with --policy-ref, a card in the repository is read there)"
                    )));
                }
                Object::LinkOutside => return Err(unreadable(file_reader::LINK_OUTSIDE)),
                Object::Dangling => {
                    return Err(unreadable("it is a broken symbolic link at that revision"));
                }
                Object::NotAFile => return Err(unreadable("it is not a file at that revision")),
            };
            let file = file_reader::decode(&shown, bytes).map_err(|diagnostic| Error::Invalid {
                what: "rate card",
                path: shown.clone(),
                diagnostics: vec![*diagnostic],
            })?;
            return Self::load(&file)
                .map(Arc::new)
                .map_err(|diagnostics| Error::Invalid {
                    what: "rate card",
                    path: shown,
                    diagnostics,
                });
        }
        if std::fs::symlink_metadata(workspace.cwd.join(choice)).is_err() {
            let ids: Vec<&str> = builtin.iter().map(|c| c.id.as_str()).collect();
            return Err(Error::Usage(format!(
                "`{choice}` is neither a built-in rate card ({}) nor a file",
                ids.join(", ")
            )));
        }
        let file = Self::read_file(workspace, Path::new(choice), choice)?;
        Self::load(&file)
            .map(Arc::new)
            .map_err(|diagnostics| Error::Invalid {
                what: "rate card",
                path: choice.to_owned(),
                diagnostics,
            })
    }

    /// The image model named by an id or alias, with its canonical id.
    #[must_use]
    pub fn image_model(&self, name: &str) -> Option<(&str, &ImageModel)> {
        self.image_model_shared(name)
            .map(|(id, model)| (id.as_ref(), model))
    }

    /// The image model named by an id or alias, with its canonical id as the card holds it, for
    /// a projection to share rather than copy.
    #[must_use]
    pub fn image_model_shared(&self, name: &str) -> Option<(&Arc<str>, &ImageModel)> {
        self.models.get_key_value(name).or_else(|| {
            self.models
                .iter()
                .find(|(_, model)| model.aliases.iter().any(|a| a == name))
        })
    }

    /// The text model named by an id or alias, with its canonical id.
    #[must_use]
    pub fn text_model(&self, name: &str) -> Option<(&str, &TextModel)> {
        self.text_models
            .get_key_value(name)
            .or_else(|| {
                self.text_models
                    .iter()
                    .find(|(_, model)| model.aliases.iter().any(|a| a == name))
            })
            .map(|(id, model)| (id.as_str(), model))
    }

    /// The closest known image model name to a misspelt one.
    #[must_use]
    pub fn suggest_image_model(&self, name: &str) -> Option<&str> {
        closest(
            name,
            self.models.iter().flat_map(|(id, m)| {
                std::iter::once(id.as_ref()).chain(m.aliases.iter().map(String::as_str))
            }),
        )
    }

    /// The closest known text model name to a misspelt one.
    #[must_use]
    pub fn suggest_text_model(&self, name: &str) -> Option<&str> {
        closest(
            name,
            self.text_models.iter().flat_map(|(id, m)| {
                std::iter::once(id.as_str()).chain(m.aliases.iter().map(String::as_str))
            }),
        )
    }
}

/// A model's shutdown as the card records it.
#[derive(Debug, Clone, Copy)]
pub struct Shutdown<'a> {
    /// The canonical model id.
    pub id: &'a str,
    pub day: Date,
    pub replacement: Option<&'a str>,
    pub lifecycle: Option<&'a super::Lifecycle>,
}

impl Shutdown<'_> {
    /// Every replacement named: the card's `replacement` first, then the others the sources name.
    pub fn replacements(&self) -> impl Iterator<Item = &str> {
        self.replacement.into_iter().chain(
            self.lifecycle
                .into_iter()
                .flat_map(|l| l.also_named.iter().map(String::as_str)),
        )
    }
}

/// The pointer of a rule's record: the rule itself when written once, else its index.
fn record_pointer<T: Dateable>(rule: &str, dated: &Dated<T>, index: usize) -> String {
    match dated {
        Dated::One(_) => rule.to_owned(),
        Dated::Records(_) => format!("{rule}/{index}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_cards_match_their_schema() {
        for (path, text) in BUILTIN {
            let file = Arc::new(SourceFile::new(*path, *text));
            if let Err(problems) = RateCard::load(&file) {
                panic!("{path}: {problems:?}");
            }
        }
    }

    #[test]
    fn builtin_cards_are_valid() {
        let cards = RateCard::builtin();
        assert!(!cards.is_empty());
        let card = &cards[0];
        assert_eq!(card.id, "openai-2026-11-23");
        assert_eq!(
            card.image_model("gpt-image-2-2026-04-21").map(|(id, _)| id),
            Some("gpt-image-2")
        );
        assert_eq!(card.suggest_image_model("gpt-image2"), Some("gpt-image-2"));
    }

    #[test]
    fn selection_by_date() {
        let cwd = &Workspace::detached(Path::new("."));
        let as_of: Date = "2026-11-25".parse().unwrap();
        assert_eq!(
            RateCard::select(None, as_of, cwd, None).unwrap().id,
            "openai-2026-11-23"
        );
        // The card of 2026-12-01 from its first day; the earlier one the day before.
        let last_day: Date = "2026-11-30".parse().unwrap();
        assert_eq!(
            RateCard::select(None, last_day, cwd, None).unwrap().id,
            "openai-2026-11-23"
        );
        let first_day: Date = "2026-12-01".parse().unwrap();
        assert_eq!(
            RateCard::select(None, first_day, cwd, None).unwrap().id,
            "openai-2026-12-01"
        );
        let before: Date = "2026-01-01".parse().unwrap();
        assert!(
            matches!(RateCard::select(None, before, cwd, None), Err(Error::Usage(m)) if m.contains("effective from 2026-11-04"))
        );
        assert_eq!(
            RateCard::select(Some("openai-2026-11-23"), before, cwd, None)
                .unwrap()
                .id,
            "openai-2026-11-23"
        );
        assert!(matches!(
            RateCard::select(Some("nope"), as_of, cwd, None),
            Err(Error::Usage(_))
        ));
    }
}
