//! What a rule sees when it judges a workflow, and small helpers shared by the rules: places in
//! the manifest, money in messages, and labels on the fields that drive a cost.

use rust_decimal::Decimal;

use crate::foundation::decimal::format_usd;
use std::sync::Arc;

use crate::foundation::{Date, Label, Text};
use crate::model::Manifest;
use crate::policy::PolicySet;
use crate::pricing::{Projection, RateCard};
use crate::report::WorkflowEntry;

/// One workflow under judgement.
pub struct WorkflowContext<'a> {
    pub entry: &'a WorkflowEntry,
    pub manifest: &'a Manifest,
    pub card: &'a RateCard,
    pub policies: &'a PolicySet,
    pub as_of: Date,
}

impl WorkflowContext<'_> {
    /// A label on a field of the workflow (`request/quality`), or on its closest written parent.
    pub fn label(&self, path: &str, message: impl Into<Text>) -> Label {
        Label::new(
            &self.manifest.file,
            self.entry.workflow.place(path),
            message,
        )
    }

    /// A label on the workflow's name key.
    pub fn key_label(&self, message: impl Into<Text>) -> Label {
        Label::new(&self.manifest.file, self.entry.workflow.key_span, message)
    }

    /// A label on a field's value when it is written, else on the workflow's name.
    pub fn value_label(&self, path: &str, message: impl Into<Text>) -> Label {
        let span = self
            .entry
            .workflow
            .field(path)
            .map_or(self.entry.workflow.key_span, |(_, value)| value);
        Label::new(&self.manifest.file, span, message)
    }

    /// Whether the workflow writes this field itself (or inherits it from `defaults:`).
    pub fn written(&self, path: &str) -> bool {
        self.entry.workflow.field(path).is_some()
    }

    pub fn projection(&self) -> Option<&Projection> {
        self.entry.projection.as_deref()
    }

    /// The workflow's id, shared with the findings about it.
    pub fn id(&self) -> Arc<str> {
        Arc::clone(&self.entry.workflow.id)
    }

    /// Labels on the written fields that drive the cost: model, quality, size, n.
    pub fn cost_drivers(&self) -> Vec<Label> {
        let Some(projection) = self.projection() else {
            return Vec::new();
        };
        let mut labels =
            vec![self.value_label("model", format!("{} drives the price", projection.model))];
        for (path, message) in [
            ("request/quality", format!("quality {}", projection.quality)),
            ("request/size", format!("size {}", projection.size)),
            ("request/n", format!("{} images per request", projection.n)),
        ] {
            if self.written(path) {
                labels.push(self.value_label(path, message));
            }
        }
        labels
    }
}

/// Why a workflow that pays for images has no cost per accepted image, or `None` when it has one
/// or pays nothing. Images paid for and none accepted (or a quotient beyond what `Decimal`
/// holds) is an unbounded cost per accepted image: over any per-image ceiling, never a reason to
/// skip one. A workflow that pays nothing (no requests) has nothing to judge per image.
pub fn unbounded_per_image(projection: &Projection) -> Option<String> {
    if projection.per_accepted_image_usd.is_some() || projection.monthly_usd <= Decimal::ZERO {
        return None;
    }
    Some(if projection.accepted_images.is_zero() {
        format!(
            "projected {} a month for no accepted image: the cost per accepted image has no bound",
            monthly(projection.monthly_usd)
        )
    } else {
        format!(
            "projected {} a month for {} accepted images: the cost per accepted image is beyond what imgcost computes",
            monthly(projection.monthly_usd),
            crate::foundation::decimal::format_plain(projection.accepted_images)
        )
    })
}

/// `$1,081.33` for monthly figures.
pub fn monthly(value: Decimal) -> String {
    format_usd(value, 2)
}

/// `$0.0901` for per-image figures.
pub fn per_image(value: Decimal) -> String {
    format_usd(value, 4)
}

/// `20.1 %` of `part` over `whole`, rounded half away from zero to one decimal.
pub fn percent(part: Decimal, whole: Decimal) -> String {
    if whole.is_zero() {
        return "∞ %".to_owned();
    }
    let share = part
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|p| p.checked_div(whole))
        .unwrap_or(Decimal::MAX);
    format!("{} %", crate::foundation::decimal::format_fixed(share, 1))
}
