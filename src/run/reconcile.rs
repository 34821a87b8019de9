//! `imgcost reconcile`: hold each workflow's projection against what was actually used and
//! billed in a period, from saved usage pages and exports (`input::usage`), offline.
//!
//! The manifests are checked as `check` does. Usage is matched to workflows by their
//! `attribution:` (project and API keys) plus the model (aliases resolved by the rate card) and
//! the source (`image.generation` ↔ `images.generate`, `image.edit` ↔ `images.edit`). Where
//! several workflows match one group of usage, it is split in proportion to their projections
//! (requests by projected requests, images by projected images, dollars by projected dollars),
//! and each says the split is an estimate. Dollars come from the costs where any cost line
//! matches the workflow (costs name a project, a key and a line item whose first word is the
//! model; they carry no source); otherwise the actual counts are priced by
//! [`crate::pricing::project`], the one pricing function, as `images ÷ n` calls of the workflow's own
//! request. Actual figures are reported for the period and scaled to a month: a period of whole
//! calendar months (UTC) is divided by their number, any other by its length in months of
//! 30.4375 days (365.25 / 12).
//!
//! Findings: IC601 (over the projection by more than the tolerance), IC602 (usage no workflow
//! declares), IC603 (an attributed workflow without usage), IC604 (billed cost per image off the
//! projected one). `suggest` turns the period's figures into new volume values, which
//! [`write()`] applies in place, touching nothing else.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::foundation::decimal::{format_usd, round_half_away};
use crate::foundation::{Date, Diagnostic, Error, Label, SourceFile};
use crate::input::usage::{
    self, At, CostAmount, CostKey, ImageCounts, ImageKey, ImageTokens, Usage, Window, moment,
};
use crate::model::{Endpoint, Workflow};
use crate::policy::{self, PolicySet, RunKind};
use crate::pricing::{RateCard, project};
use crate::report::{Report, WorkflowEntry};
use crate::rules;
use crate::run::check::{CheckOptions, evaluate_paths};
use crate::yaml::Span;

/// The tolerance of IC601 and IC604 when no policy sets one, in percent.
pub const DEFAULT_TOLERANCE_PERCENT: Decimal = Decimal::from_parts(25, 0, 0, false, 0);

/// Seconds in the month actual figures are scaled to when the period is not whole calendar
/// months: 30.4375 days, a Gregorian year's twelfth.
pub const SECONDS_PER_MONTH: i64 = 2_629_800;

/// What to reconcile.
#[derive(Debug, Clone)]
pub struct ReconcileOptions<'a> {
    pub check: CheckOptions,
    pub usage: usage::Paths<'a>,
    /// `--from`/`--to`, when given.
    pub window: Option<Window>,
}

/// How the period's figures become monthly ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scaling {
    /// The period is this many whole calendar months.
    CalendarMonths(u32),
    /// Any other period: its seconds over [`SECONDS_PER_MONTH`].
    Days,
}

/// Where a workflow's actual dollars come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsdSource {
    /// The costs pages or export.
    Costs,
    /// The actual counts priced with the rate card.
    RateCard,
}

impl UsdSource {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Costs => "costs",
            Self::RateCard => "ratecard",
        }
    }
}

/// A workflow's projected month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Projected {
    /// Billed calls, retries included (what the Usage API counts as requests).
    pub requests: Decimal,
    pub images: Decimal,
    pub monthly_usd: Decimal,
}

/// What a workflow actually used in the period, and that scaled to a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actual {
    pub requests: Decimal,
    pub images: Decimal,
    pub usd: Decimal,
    pub monthly_requests: Decimal,
    pub monthly_images: Decimal,
    pub monthly_usd: Decimal,
    pub usd_source: UsdSource,
    /// The first [`SHARERS_NAMED`] of the other workflows it shares usage or costs with, in
    /// report order (then its figures are an estimate).
    pub shared_with: Vec<String>,
    /// How many other workflows it shares with, named or not.
    pub shared_with_count: usize,
    /// Image tokens from the activity, when any matched.
    pub image_tokens: Option<[Decimal; 3]>,
}

/// Why a workflow has no actual figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotReconciled {
    /// It has no `attribution:`.
    NoAttribution,
    /// It could not be priced (its findings say why), so there is nothing to hold usage to.
    NotPriced,
    /// `endpoint: responses` without `--costs`: the Usage API does not count the image tool's
    /// calls, so only billed dollars could show its usage (never a zero).
    NeedsCosts,
}

impl NotReconciled {
    /// The reason for people, and its name in the JSON report.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NoAttribution => "no attribution",
            Self::NotPriced => "not priced",
            Self::NeedsCosts => "needs --costs",
        }
    }
}

/// One workflow of the comparison.
#[derive(Debug, Clone)]
pub struct Row {
    /// Its index in the report's workflows.
    pub index: usize,
    pub id: String,
    /// `None` when the workflow could not be priced.
    pub projected: Option<Projected>,
    /// `None` when it was not reconciled, and then `not_reconciled` says why.
    pub actual: Option<Actual>,
    pub not_reconciled: Option<NotReconciled>,
}

impl Row {
    /// Actual monthly dollars over projected, when both are known and the projection is not zero.
    #[must_use]
    pub fn usd_ratio(&self) -> Option<Decimal> {
        ratio(
            self.actual.as_ref()?.monthly_usd,
            self.projected?.monthly_usd,
        )
    }

    /// Actual monthly images over projected.
    #[must_use]
    pub fn images_ratio(&self) -> Option<Decimal> {
        ratio(self.actual.as_ref()?.monthly_images, self.projected?.images)
    }
}

fn ratio(actual: Decimal, projected: Decimal) -> Option<Decimal> {
    if projected.is_zero() {
        None
    } else {
        actual.checked_div(projected)
    }
}

/// Usage or spend no workflow declares.
#[derive(Debug, Clone)]
pub struct Undeclared {
    pub project: Option<String>,
    pub key: Option<String>,
    /// The model, or the line item of a cost.
    pub model: String,
    /// The source of image usage; `None` for a cost.
    pub source: Option<String>,
    pub requests: u64,
    pub images: u64,
    pub usd: Decimal,
    /// The first file that holds it.
    pub file: Arc<str>,
    /// Where in that file it first appears.
    pub at: At,
}

impl Undeclared {
    /// The finding's subject, which exemptions match: `openai/<project>/<key>/<model>/<source>`.
    #[must_use]
    pub fn subject(&self) -> String {
        format!(
            "openai/{}/{}/{}/{}",
            self.project.as_deref().unwrap_or("-"),
            self.key.as_deref().unwrap_or("-"),
            self.model,
            self.source.as_deref().unwrap_or("cost")
        )
    }
}

/// A value `--suggest` would change.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub file: Arc<SourceFile>,
    pub workflow: String,
    /// `volume/requests_per_month` or `request/n`.
    pub field: &'static str,
    pub span: Span,
    pub old: String,
    pub new: String,
}

/// A value the data would change, but that is not changed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchanged {
    pub workflow: String,
    pub field: &'static str,
    pub reason: String,
}

/// The result of a reconciliation.
#[derive(Debug, Clone)]
pub struct Reconciliation {
    /// The manifests as `check` sees them, with the reconcile findings among theirs, settled.
    pub report: Report,
    pub period: Window,
    pub period_given: bool,
    pub scaling: Scaling,
    /// The period's length in months (what period figures are divided by).
    pub months: Decimal,
    pub rows: Vec<Row>,
    pub undeclared: Vec<Undeclared>,
    /// Image dollars no workflow could take because the line item names no image model.
    pub other_usd: Decimal,
    /// Files read: image usage, activity, costs.
    pub files: [usize; 3],
    pub over_percent: Decimal,
    pub cost_per_image_percent: Decimal,
    pub suggestions: Vec<Suggestion>,
    pub unchanged: Vec<Unchanged>,
}

/// Runs the reconciliation.
///
/// # Errors
/// As `check`, and a usage file that cannot be read or trusted (located).
pub fn reconcile(options: &ReconcileOptions<'_>) -> Result<Reconciliation, Error> {
    let report = evaluate_paths(&options.check)?;
    let usage = usage::read(&options.check.workspace, options.usage, options.window)?;
    let policies = &options.check.context.policies;
    let mut reconciliation = compare(report, &usage, policies);
    let found = findings(&reconciliation);
    reconciliation
        .report
        .diagnostics
        .extend(found.into_iter().map(Box::new));
    policy::settle(&mut reconciliation.report, policies, RunKind::Reconcile);
    Ok(reconciliation)
}

/// The period in months, and how it was found.
fn months_of(period: Window) -> (Scaling, Decimal) {
    let calendar = |seconds: i64| -> Option<(i64, i64)> {
        if seconds.rem_euclid(86_400) != 0 {
            return None;
        }
        let date = moment(seconds);
        let mut parts = date.split('-');
        let year = parts.next()?.parse::<i64>().ok()?;
        let month = parts.next()?.parse::<i64>().ok()?;
        (parts.next()? == "01").then_some((year, month))
    };
    if let (Some((y1, m1)), Some((y2, m2))) = (calendar(period.start), calendar(period.end)) {
        let count = (y2 - y1) * 12 + m2 - m1;
        if let Ok(count) = u32::try_from(count)
            && count > 0
        {
            return (Scaling::CalendarMonths(count), Decimal::from(count));
        }
    }
    let months = Decimal::from(period.seconds()) / Decimal::from(SECONDS_PER_MONTH);
    (Scaling::Days, months)
}

/// A figure of the period scaled to a month: divided by the number of calendar months, or
/// multiplied by [`SECONDS_PER_MONTH`] before it is divided by the period's seconds (so that a
/// period of 30.4375 days gives back its own figures exactly). Saturates rather than panics.
fn monthly(value: Decimal, period: Window, scaling: Scaling) -> Decimal {
    match scaling {
        Scaling::CalendarMonths(count) => value.checked_div(Decimal::from(count)),
        Scaling::Days => value
            .checked_mul(Decimal::from(SECONDS_PER_MONTH))
            .and_then(|v| v.checked_div(Decimal::from(period.seconds()))),
    }
    .unwrap_or(Decimal::MAX)
}

/// The Usage API's source for a workflow's endpoint.
const fn source_of(endpoint: Endpoint) -> Option<&'static str> {
    match endpoint {
        Endpoint::ImagesGenerate => Some("image.generation"),
        Endpoint::ImagesEdit => Some("image.edit"),
        Endpoint::Responses => None,
    }
}

/// The model a cost's line item names: its first word (`gpt-image-2 image, output`).
fn line_item_model(line_item: &str) -> &str {
    line_item.split([' ', ',']).next().unwrap_or(line_item)
}

/// A matchable workflow: its index, canonical model, and projection.
struct Candidate<'a> {
    index: usize,
    entry: &'a WorkflowEntry,
    model: &'a str,
    projected: Projected,
}

/// Running sums of one workflow.
#[derive(Default)]
struct Sums {
    requests: Decimal,
    images: Decimal,
    usd: Decimal,
    costs_matched: bool,
    /// The sharing groups (usage or costs split among several workflows) it is in, by their
    /// index in [`Sharing::groups`].
    groups: Vec<usize>,
    tokens: Option<[Decimal; 3]>,
}

/// How many of the workflows a workflow shares with its row names; the rest are counted.
pub const SHARERS_NAMED: usize = 10;

/// The groups of workflows that split usage or costs. Kept as groups, not as pairs: a key
/// hundreds of workflows claim would otherwise give each of them the names of all the others
/// (time and output quadratic in the group's size).
#[derive(Default)]
struct Sharing {
    groups: Vec<Vec<usize>>,
    /// The union of the groups of a set of groups: its first members in report order (one
    /// more than named, as the workflow itself is among them) and its size; workflows in the
    /// same groups share one union.
    unions: HashMap<Vec<usize>, (Vec<usize>, usize)>,
    /// Marks for counting a union's distinct members, by the union being counted.
    marks: Vec<usize>,
}

impl Sharing {
    fn add(&mut self, members: &[&Candidate<'_>], sums: &mut HashMap<usize, Sums>) {
        if members.len() > 1 {
            let group = self.groups.len();
            self.groups.push(members.iter().map(|m| m.index).collect());
            for member in members {
                sums.entry(member.index).or_default().groups.push(group);
            }
        }
    }

    /// The first others `index` shares with (at most [`SHARERS_NAMED`]) and how many in all.
    fn others(&mut self, index: usize, groups: &[usize], workflows: usize) -> (Vec<usize>, usize) {
        if groups.is_empty() {
            return (Vec::new(), 0);
        }
        if !self.unions.contains_key(groups) {
            if self.marks.len() < workflows {
                self.marks = vec![usize::MAX; workflows];
            }
            let stamp = self.unions.len();
            let mut count = 0;
            let mut first = std::collections::BinaryHeap::new();
            for &group in groups {
                for &member in &self.groups[group] {
                    if self.marks[member] != stamp {
                        self.marks[member] = stamp;
                        count += 1;
                        first.push(member);
                        if first.len() > SHARERS_NAMED + 1 {
                            first.pop();
                        }
                    }
                }
            }
            self.unions
                .insert(groups.to_vec(), (first.into_sorted_vec(), count));
        }
        let (first, count) = &self.unions[groups];
        let named = first
            .iter()
            .copied()
            .filter(|&other| other != index)
            .take(SHARERS_NAMED)
            .collect();
        (named, count - 1)
    }
}

/// The workflows a row shares with, as a message names them: "a, b and 12 more".
#[must_use]
pub fn sharers(actual: &Actual) -> String {
    let named = actual.shared_with.join(", ");
    match actual
        .shared_with_count
        .saturating_sub(actual.shared_with.len())
    {
        0 => named,
        more => format!("{named} and {more} more"),
    }
}

/// Splits `amount` among `members` by `weight`; equally when the weights add up to zero.
fn split(
    amount: Decimal,
    members: &[&Candidate<'_>],
    weight: impl Fn(&Projected) -> Decimal,
) -> Vec<Decimal> {
    let total = members
        .iter()
        .try_fold(Decimal::ZERO, |sum, c| {
            sum.checked_add(weight(&c.projected))
        })
        .unwrap_or(Decimal::ZERO);
    members
        .iter()
        .map(|c| {
            if total.is_zero() {
                amount / Decimal::from(members.len())
            } else {
                // The share first: it is at most 1, so its product with the amount cannot
                // overflow, whatever the counts and projections.
                weight(&c.projected)
                    .checked_div(total)
                    .and_then(|share| amount.checked_mul(share))
                    .unwrap_or(amount)
            }
        })
        .collect()
}

/// Compares without findings (see [`findings`]).
#[must_use]
pub fn compare(report: Report, usage: &Usage, policies: &PolicySet) -> Reconciliation {
    let card = Arc::clone(&report.ratecard);
    let canonical = |model: &str| card.image_model(model).map(|(id, _)| id.to_owned());
    let costs_given = usage.files[2] > 0;
    let candidates: Vec<Candidate<'_>> = report
        .workflows
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.workflow.spec.attribution.is_some())
        .filter(|(_, entry)| costs_given || entry.workflow.spec.endpoint != Endpoint::Responses)
        .filter_map(|(index, entry)| {
            let projection = entry.projection.as_ref()?;
            // A workflow that projects no image cannot take usage in: a change could otherwise
            // declare an empty placeholder with the right attribution and turn undeclared
            // usage (an error) into usage over its projection (a warning).
            if projection.images.is_zero() {
                return None;
            }
            Some(Candidate {
                index,
                entry,
                model: &projection.model,
                projected: Projected {
                    requests: projection.attempts,
                    images: projection.images,
                    monthly_usd: projection.monthly_usd,
                },
            })
        })
        .collect();
    let attributed = |c: &Candidate<'_>, project: Option<&str>, key: Option<&str>| {
        c.entry
            .workflow
            .spec
            .attribution
            .as_ref()
            .is_some_and(|a| a.matches(project, key))
    };
    let mut sums: HashMap<usize, Sums> = HashMap::new();
    let mut undeclared = Vec::new();
    let mut sharing = Sharing::default();
    for (key, counts) in &usage.images {
        let model = canonical(&key.model);
        let members: Vec<&Candidate<'_>> = candidates
            .iter()
            .filter(|c| {
                model.as_deref() == Some(c.model)
                    && source_of(c.entry.workflow.spec.endpoint) == Some(&*key.source)
                    && attributed(c, key.project.as_deref(), key.key.as_deref())
            })
            .collect();
        if members.is_empty() {
            undeclared.push(undeclared_images(key, counts));
            continue;
        }
        let requests = split(Decimal::from(counts.requests), &members, |p| p.requests);
        let images = split(Decimal::from(counts.images), &members, |p| p.images);
        for ((member, requests), images) in members.iter().zip(requests).zip(images) {
            let entry = sums.entry(member.index).or_default();
            entry.requests = entry.requests.saturating_add(requests);
            entry.images = entry.images.saturating_add(images);
        }
        sharing.add(&members, &mut sums);
    }
    // Undeclared image usage by project, key and model, for the costs of the same usage to join
    // (the first group of each, as a search in order would find).
    let mut undeclared_usage: HashMap<(Option<String>, Option<String>, String), usize> =
        HashMap::new();
    for (index, usage) in undeclared.iter().enumerate() {
        if usage.source.is_some()
            && let Some(model) = canonical(&usage.model)
        {
            undeclared_usage
                .entry((usage.project.clone(), usage.key.clone(), model))
                .or_insert(index);
        }
    }
    let mut other_usd = Decimal::ZERO;
    for (key, amount) in &usage.costs {
        let Some(model) = canonical(line_item_model(&key.line_item)) else {
            other_usd = other_usd.saturating_add(amount.usd);
            continue;
        };
        let members: Vec<&Candidate<'_>> = candidates
            .iter()
            .filter(|c| {
                c.model == model && attributed(c, key.project.as_deref(), key.key.as_deref())
            })
            .collect();
        if members.is_empty() {
            // The dollars of usage already undeclared join it: one finding, counts and dollars.
            let same_usage = undeclared_usage
                .get(&(
                    key.project.as_deref().map(str::to_owned),
                    key.key.as_deref().map(str::to_owned),
                    model.clone(),
                ))
                .copied();
            match same_usage {
                Some(index) => {
                    undeclared[index].usd = undeclared[index].usd.saturating_add(amount.usd);
                }
                None => undeclared.push(undeclared_cost(key, amount)),
            }
            continue;
        }
        for (member, usd) in members
            .iter()
            .zip(split(amount.usd, &members, |p| p.monthly_usd))
        {
            let entry = sums.entry(member.index).or_default();
            entry.usd = entry.usd.saturating_add(usd);
            entry.costs_matched = true;
        }
        sharing.add(&members, &mut sums);
    }
    for (key, tokens) in &usage.tokens {
        let model = canonical(&key.model);
        let members: Vec<&Candidate<'_>> = candidates
            .iter()
            .filter(|c| {
                model.as_deref() == Some(c.model)
                    && attributed(c, key.project.as_deref(), key.key.as_deref())
            })
            .collect();
        let ImageTokens {
            input,
            cached_input,
            output,
        } = *tokens;
        let parts =
            [input, cached_input, output].map(|t| split(Decimal::from(t), &members, |p| p.images));
        for (position, member) in members.iter().enumerate() {
            let entry = sums.entry(member.index).or_default();
            let sum = entry.tokens.get_or_insert([Decimal::ZERO; 3]);
            for (kind, part) in parts.iter().enumerate() {
                sum[kind] = sum[kind].saturating_add(part[position]);
            }
        }
    }
    let (scaling, months) = months_of(usage.period);
    let monthly = |value: Decimal| monthly(value, usage.period, scaling);
    let mut rows = Vec::with_capacity(report.workflows.len());
    for (index, entry) in report.workflows.iter().enumerate() {
        // Candidates are in report order: found by halving, not by a search per workflow.
        let candidate = candidates
            .binary_search_by_key(&index, |c| c.index)
            .ok()
            .map(|at| &candidates[at]);
        let projected = candidate.map(|c| c.projected).or_else(|| {
            entry.projection.as_ref().map(|p| Projected {
                requests: p.attempts,
                images: p.images,
                monthly_usd: p.monthly_usd,
            })
        });
        let actual = candidate.map(|_| {
            let found = sums.remove(&index).unwrap_or_default();
            let (shared_with, shared_with_count) =
                sharing.others(index, &found.groups, report.workflows.len());
            let (usd, usd_source) = if found.costs_matched {
                (found.usd, UsdSource::Costs)
            } else {
                (
                    priced(
                        &entry.workflow,
                        &card,
                        report.as_of,
                        found.requests,
                        found.images,
                    ),
                    UsdSource::RateCard,
                )
            };
            Actual {
                monthly_requests: monthly(found.requests),
                monthly_images: monthly(found.images),
                monthly_usd: monthly(usd),
                requests: found.requests,
                images: found.images,
                usd,
                usd_source,
                shared_with: shared_with
                    .iter()
                    .map(|&i| report.workflows[i].workflow.id.to_string())
                    .collect(),
                shared_with_count,
                image_tokens: found.tokens,
            }
        });
        let not_reconciled = if actual.is_some() {
            None
        } else if entry.workflow.spec.attribution.is_none() {
            Some(NotReconciled::NoAttribution)
        } else if entry.projection.is_none() {
            Some(NotReconciled::NotPriced)
        } else {
            Some(NotReconciled::NeedsCosts)
        };
        rows.push(Row {
            index,
            id: entry.workflow.id.to_string(),
            projected,
            actual,
            not_reconciled,
        });
    }
    undeclared.sort_by(|a, b| {
        (&a.project, &a.key, &a.model, &a.source).cmp(&(&b.project, &b.key, &b.model, &b.source))
    });
    let tolerance = |found: Option<policy::Strictest<'_, Decimal>>| {
        found.map_or(DEFAULT_TOLERANCE_PERCENT, |s| s.value)
    };
    let over_percent = tolerance(policies.reconcile_over_percent());
    let cost_per_image_percent = tolerance(policies.reconcile_cost_per_image_percent());
    let (suggestions, unchanged) = suggest(&report, &rows);
    Reconciliation {
        period: usage.period,
        period_given: usage.period_given,
        scaling,
        months,
        rows,
        undeclared,
        other_usd,
        files: usage.files,
        over_percent,
        cost_per_image_percent,
        suggestions,
        unchanged,
        report,
    }
}

fn undeclared_images(key: &ImageKey, counts: &ImageCounts) -> Undeclared {
    Undeclared {
        project: key.project.as_deref().map(str::to_owned),
        key: key.key.as_deref().map(str::to_owned),
        model: key.model.to_string(),
        source: Some(key.source.to_string()),
        requests: counts.requests,
        images: counts.images,
        usd: Decimal::ZERO,
        file: Arc::clone(&counts.file),
        at: counts.at.clone(),
    }
}

fn undeclared_cost(key: &CostKey, amount: &CostAmount) -> Undeclared {
    Undeclared {
        project: key.project.as_deref().map(str::to_owned),
        key: key.key.as_deref().map(str::to_owned),
        model: key.line_item.to_string(),
        source: None,
        requests: 0,
        images: 0,
        usd: amount.usd,
        file: Arc::clone(&amount.file),
        at: amount.at.clone(),
    }
}

/// The `n` the counts show: images over requests, when that is a whole number the API accepts.
fn observed_n(requests: Decimal, images: Decimal) -> Option<u32> {
    if requests.is_zero() {
        return None;
    }
    let n = images.checked_div(requests)?;
    (n.fract().is_zero() && n >= Decimal::ONE && n <= Decimal::TEN)
        .then(|| u32::try_from(n.trunc().mantissa()).ok())
        .flatten()
}

/// Actual counts priced with the rate card: `images ÷ n` calls of the workflow's own request
/// (`n` as the counts show it, else as declared), without retries, at the run's as-of date
/// (the same dated records as the projection it is held against).
fn priced(
    workflow: &Workflow,
    card: &RateCard,
    as_of: Date,
    requests: Decimal,
    images: Decimal,
) -> Decimal {
    if images.is_zero() && requests.is_zero() {
        return Decimal::ZERO;
    }
    let mut spec = (*workflow.spec).clone();
    let n = observed_n(requests, images).unwrap_or(spec.request.n);
    spec.request.n = n;
    spec.volume.requests_per_month = if images.is_zero() {
        requests
    } else {
        images / Decimal::from(n)
    };
    spec.volume.retry_rate = Decimal::ZERO;
    // The request priced for the projection prices here too; only overflow can fail it, and
    // that is more than any limit, never a zero.
    project(&spec, card, as_of, None).map_or(Decimal::MAX, |p| p.monthly_usd)
}

/// A count for people: whole, with thousands separators.
#[must_use]
pub fn count(value: Decimal) -> String {
    format_usd(value, 0).replacen('$', "", 1)
}

/// A percentage for people, one decimal: `183.0 %`.
#[must_use]
pub fn percent(ratio: Decimal) -> String {
    format!(
        "{} %",
        crate::foundation::decimal::format_fixed(ratio.saturating_mul(Decimal::ONE_HUNDRED), 1)
    )
}

/// The findings of a comparison, unsettled.
#[must_use]
pub fn findings(reconciliation: &Reconciliation) -> Vec<Diagnostic> {
    let report = &reconciliation.report;
    let period = format!(
        "from {} to {}",
        moment(reconciliation.period.start),
        moment(reconciliation.period.end)
    );
    // Checked: a policy may set any tolerance. A limit beyond what a decimal holds is no limit.
    let over = (reconciliation.over_percent / Decimal::ONE_HUNDRED).checked_add(Decimal::ONE);
    let beyond = |actual: Decimal, projected: Decimal| {
        over.and_then(|over| projected.checked_mul(over))
            .is_some_and(|limit| actual > limit)
    };
    let tolerance = |value: Decimal| format!("{} %", value.normalize());
    let mut found = Vec::new();
    let costs_given = reconciliation.files[2] > 0;
    for row in &reconciliation.rows {
        let (Some(actual), Some(projected)) = (&row.actual, row.projected) else {
            continue;
        };
        let entry = &report.workflows[row.index];
        let workflow = &entry.workflow;
        let file = &entry.file;
        let estimate = if actual.shared_with.is_empty() {
            String::new()
        } else {
            format!(
                " (an estimate: usage shared with {} is split in proportion to the projections)",
                sharers(actual)
            )
        };
        let no_usage = actual.requests.is_zero() && actual.images.is_zero() && actual.usd.is_zero();
        if no_usage {
            let checkable = workflow.spec.endpoint != Endpoint::Responses || costs_given;
            if checkable {
                let attribution = workflow.spec.attribution.as_ref();
                let ids = attribution.map_or_else(String::new, |a| {
                    let mut ids = Vec::new();
                    if let Some(project) = &a.openai_project {
                        ids.push(format!("project {project}"));
                    }
                    if !a.api_keys.is_empty() {
                        ids.push(format!("key {}", a.api_keys.join(", ")));
                    }
                    ids.join(", ")
                });
                let what = match source_of(workflow.spec.endpoint) {
                    Some(_) => format!(
                        "{} {}",
                        entry
                            .projection
                            .as_ref()
                            .map_or(workflow.spec.model.as_str(), |p| p.model.as_ref()),
                        workflow.spec.endpoint
                    ),
                    None => format!("{} (costs)", workflow.spec.model),
                };
                found.push(
                    Diagnostic::new(
                        &rules::IC603,
                        format!("{}: no usage of {what} under its attribution ({ids}) {period}", workflow.id),
                        Label::new(file, workflow.place("attribution"), "nothing used under this attribution"),
                    )
                    .with_help("remove the workflow if it is retired, correct `attribution:` if it names the wrong ids, or exempt it until it goes live")
                    .with_workflow(Arc::clone(&workflow.id)),
                );
            }
            continue;
        }
        let usd_over = if projected.monthly_usd.is_zero() {
            !actual.monthly_usd.is_zero()
        } else {
            beyond(actual.monthly_usd, projected.monthly_usd)
        };
        let images_over = if projected.images.is_zero() {
            !actual.monthly_images.is_zero()
        } else {
            beyond(actual.monthly_images, projected.images)
        };
        if usd_over || images_over {
            let mut parts = Vec::new();
            if usd_over {
                parts.push(format!(
                    "actual {} a month is {} of the projected {}",
                    format_usd(actual.monthly_usd, 2),
                    row.usd_ratio()
                        .map_or_else(|| "more than all".to_owned(), percent),
                    format_usd(projected.monthly_usd, 2)
                ));
            }
            if images_over {
                parts.push(format!(
                    "{} images a month are {} of the projected {}",
                    count(actual.monthly_images),
                    row.images_ratio()
                        .map_or_else(|| "more than all".to_owned(), percent),
                    count(projected.images)
                ));
            }
            let mut diagnostic = Diagnostic::new(
                &rules::IC601,
                format!(
                    "{}: {} (tolerance {}){estimate}",
                    workflow.id,
                    parts.join("; "),
                    tolerance(reconciliation.over_percent)
                ),
                Label::new(file, workflow.value_place("volume/requests_per_month"), "the projection's volume"),
            )
            .with_help("correct the volumes (`imgcost reconcile --suggest` prints the change, `--write` applies it), or find out why usage grew")
            .with_workflow(Arc::clone(&workflow.id));
            if let Some((_, span)) = workflow.field("budget/monthly_usd") {
                diagnostic =
                    diagnostic.with_related(Label::new(file, span, "the workflow's budget"));
            }
            found.push(diagnostic);
        }
        if actual.usd_source == UsdSource::Costs
            && !actual.images.is_zero()
            && !projected.images.is_zero()
        {
            let billed = actual.usd.checked_div(actual.images);
            let expected = projected.monthly_usd.checked_div(projected.images);
            if let (Some(billed), Some(expected)) = (billed, expected)
                && let Some(limit) = expected
                    .checked_mul(reconciliation.cost_per_image_percent / Decimal::ONE_HUNDRED)
                && let Some(off) = billed.checked_sub(expected).map(|d| d.abs())
                && off > limit
            {
                let mut diagnostic = Diagnostic::new(
                    &rules::IC604,
                    format!(
                        "{}: billed {} an image, projected {} ({}; tolerance {}){estimate}",
                        workflow.id,
                        format_usd(billed, 4),
                        format_usd(expected, 4),
                        ratio(billed, expected).map_or_else(|| "more than all".to_owned(), percent),
                        tolerance(reconciliation.cost_per_image_percent)
                    ),
                    Label::new(file, workflow.place("request/quality"), "what each image is priced at"),
                )
                .with_help("find which request parameter differs (quality, size, n, inputs, retries): `imgcost explain` shows the per-image arithmetic")
                .with_workflow(Arc::clone(&workflow.id));
                for (path, message) in [
                    ("request/size", "size"),
                    ("request/n", "images per request"),
                ] {
                    if workflow.field(path).is_some() {
                        diagnostic = diagnostic.with_related(Label::new(
                            file,
                            workflow.place(path),
                            message,
                        ));
                    }
                }
                found.push(diagnostic);
            }
        }
    }
    for shadow in &reconciliation.undeclared {
        found.push(undeclared_finding(report, shadow, &period));
    }
    found
}

fn undeclared_finding(report: &Report, shadow: &Undeclared, period: &str) -> Diagnostic {
    let mut under = Vec::new();
    if let Some(project) = &shadow.project {
        under.push(format!("project {project}"));
    }
    if let Some(key) = &shadow.key {
        under.push(format!("key {key}"));
    }
    let under = if under.is_empty() {
        "no project or key".to_owned()
    } else {
        under.join(", ")
    };
    let what = match &shadow.source {
        Some(source) => format!(
            "{} images ({} requests) of {} {source}",
            count(Decimal::from(shadow.images)),
            count(Decimal::from(shadow.requests)),
            shadow.model
        ),
        None => format!("{} of \"{}\"", format_usd(shadow.usd, 2), shadow.model),
    };
    // The finding stays at the usage file: a manifest's place would let a change move it under
    // a `paths:` exemption by naming the same project or key. A workflow whose attribution names
    // them is where to look (the usage is of a model or source it does not declare): related.
    let near = report.workflows.iter().find(|entry| {
        entry
            .workflow
            .spec
            .attribution
            .as_ref()
            .is_some_and(|a| a.matches(shadow.project.as_deref(), shadow.key.as_deref()))
    });
    let label = Label::new(
        &Arc::new(SourceFile::new(shadow.file.to_string(), "")),
        Span::point(0),
        "the usage is in this file",
    );
    let finding = Diagnostic::new(
        &rules::IC602,
        format!(
            "{what} under {under} {period}: no workflow's attribution matches (first in {} at {})",
            shadow.file, shadow.at
        ),
        label,
    )
    .with_help("declare the workflow (with its `attribution:`) so that the gate prices it, or stop the usage; exempt known usage by its subject `openai/<project>/<key>/<model>/<source>`")
    .with_workflow(shadow.subject());
    match near {
        Some(entry) => finding.with_related(Label::new(
            &entry.file,
            entry.workflow.place("attribution"),
            "attributed here, for another model or source",
        )),
        None => finding,
    }
}

/// The new volume values that would make each projection match the period: requests a month
/// (the actual monthly requests without the declared retries, whole), and `n` where the counts
/// show a whole number of images per request that differs. A value written once for several
/// workflows (under `defaults:`, or through an anchor) is not changed.
fn suggest(report: &Report, rows: &[Row]) -> (Vec<Suggestion>, Vec<Unchanged>) {
    let mut shared: HashMap<(&str, Span), usize> = HashMap::new();
    for entry in &report.workflows {
        for path in ["volume/requests_per_month", "request/n"] {
            if let Some((_, value)) = entry.workflow.field(path) {
                *shared.entry((entry.file.path(), value)).or_default() += 1;
            }
        }
    }
    let mut suggestions = Vec::new();
    let mut unchanged = Vec::new();
    for row in rows {
        let Some(actual) = &row.actual else { continue };
        if actual.requests.is_zero() && actual.images.is_zero() {
            continue;
        }
        let entry = &report.workflows[row.index];
        let spec = &entry.workflow.spec;
        let mut change = |field: &'static str, new: String| {
            let Some((_, span)) = entry.workflow.field(field) else {
                unchanged.push(Unchanged {
                    workflow: row.id.clone(),
                    field,
                    reason: format!(
                        "it is not written in the workflow; add `{}: {new}`",
                        field.rsplit('/').next().unwrap_or(field)
                    ),
                });
                return;
            };
            // `reconcile` keeps every file's text (`Keep::ALL`).
            let Some(old) = entry.file.slice(span).map(str::to_owned) else {
                unchanged.push(Unchanged {
                    workflow: row.id.clone(),
                    field,
                    reason: "imgcost did not keep the file's text".to_owned(),
                });
                return;
            };
            if old == new {
                return;
            }
            if shared.get(&(entry.file.path(), span)).copied().unwrap_or(0) > 1 {
                unchanged.push(Unchanged {
                    workflow: row.id.clone(),
                    field,
                    reason: format!("its value ({old}) is written once for several workflows (defaults: or an anchor); change it by hand to {new}"),
                });
                return;
            }
            suggestions.push(Suggestion {
                file: Arc::clone(&entry.file),
                workflow: row.id.clone(),
                field,
                span,
                old,
                new,
            });
        };
        let requests = actual
            .monthly_requests
            .checked_div(spec.volume.retry_rate.saturating_add(Decimal::ONE))
            .unwrap_or(actual.monthly_requests);
        let requests = round_half_away(requests, 0).normalize();
        let current = spec.volume.requests_per_month;
        if requests != current.normalize() {
            change("volume/requests_per_month", requests.to_string());
        }
        if let Some(n) = observed_n(actual.requests, actual.images)
            && n != spec.request.n
        {
            change("request/n", n.to_string());
        }
    }
    suggestions.sort_by(|a, b| (a.file.path(), a.span.start).cmp(&(b.file.path(), b.span.start)));
    (suggestions, unchanged)
}

/// The suggestions as a unified diff (`a/` and `b/` prefixes, three lines of context), file by
/// file; empty when there is nothing to change.
#[must_use]
pub fn unified_diff(suggestions: &[Suggestion]) -> String {
    let mut by_file: BTreeMap<&str, Vec<&Suggestion>> = BTreeMap::new();
    for suggestion in suggestions {
        by_file
            .entry(suggestion.file.path())
            .or_default()
            .push(suggestion);
    }
    let mut out = String::new();
    for (path, edits) in by_file {
        // Suggestions are made only from files whose text was kept.
        let Some(text) = edits[0].file.text() else {
            continue;
        };
        let new = applied(text, &edits);
        out.push_str(&file_diff(path, text, &new));
    }
    out
}

/// `text` with the edits made, each replacing its span.
fn applied(text: &str, edits: &[&Suggestion]) -> String {
    let mut sorted: Vec<&&Suggestion> = edits.iter().collect();
    sorted.sort_by_key(|s| s.span.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in sorted {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.new);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The unified diff of two texts with the same number of lines (values change within lines).
fn file_diff(path: &str, old: &str, new: &str) -> String {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let changed: Vec<usize> = (0..old_lines.len().max(new_lines.len()))
        .filter(|&i| old_lines.get(i) != new_lines.get(i))
        .collect();
    if changed.is_empty() {
        return String::new();
    }
    const CONTEXT: usize = 3;
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &line in &changed {
        let start = line.saturating_sub(CONTEXT);
        let end = (line + CONTEXT + 1).min(old_lines.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let line = |out: &mut String, sign: char, text: &str| {
        out.push(sign);
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    for (start, end) in hunks {
        let length = end - start;
        out.push_str(&format!(
            "@@ -{},{length} +{},{length} @@\n",
            start + 1,
            start + 1
        ));
        for i in start..end {
            if old_lines[i] == new_lines[i] {
                line(&mut out, ' ', old_lines[i]);
            } else {
                line(&mut out, '-', old_lines[i]);
                line(&mut out, '+', new_lines[i]);
            }
        }
    }
    out
}

/// Applies the suggestions to the manifests on disk: each file is read again and must still be
/// what was checked (byte for byte, but for a UTF-8 byte-order mark kept as it was), then
/// written whole through a temporary sibling renamed over it. Only the suggested values change.
/// Returns the files written.
///
/// # Errors
/// A manifest that changed since it was read, is not a regular file (a symbolic link, or read
/// from git's index), or cannot be written.
pub fn write(
    workspace: &crate::input::Workspace,
    suggestions: &[Suggestion],
) -> Result<Vec<String>, Error> {
    let mut by_file: BTreeMap<&str, Vec<&Suggestion>> = BTreeMap::new();
    for suggestion in suggestions {
        by_file
            .entry(suggestion.file.path())
            .or_default()
            .push(suggestion);
    }
    let mut written = Vec::new();
    for (path, edits) in by_file {
        let refuse = |message: &str| Error::Unreadable {
            what: "manifest",
            path: path.to_owned(),
            message: format!("{message}; nothing was written to it"),
        };
        // A report names files printable, with control characters escaped as `\u{…}`: such a
        // name is not the file's own, and the file it names could be another one planted there.
        if path.contains("\\u{") {
            return Err(refuse(
                "its name holds characters a report shows escaped, so it cannot be opened by it; edit it by hand",
            ));
        }
        let absolute = workspace.cwd.join(path);
        let metadata = std::fs::symlink_metadata(&absolute).map_err(|e| refuse(&e.to_string()))?;
        if !metadata.is_file() {
            return Err(refuse(
                "it is not a regular file (a symbolic link, or not in the working tree)",
            ));
        }
        let bytes = crate::input::file_reader::read_regular(
            &absolute,
            crate::input::file_reader::MAX_FILE_BYTES,
        )
        .map_err(|e| refuse(&e.to_string()))?;
        let (bom, body) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
            Some(body) => (&bytes[..3], body),
            None => (&[][..], &bytes[..]),
        };
        let Some(text) = edits[0].file.text() else {
            return Err(refuse("imgcost did not keep its text"));
        };
        if body != text.as_bytes() {
            return Err(refuse("it changed since imgcost read it"));
        }
        let mut new = bom.to_vec();
        new.extend_from_slice(applied(text, &edits).as_bytes());
        let temporary = absolute.with_file_name(format!(
            ".{}.{}.reconcile.tmp",
            absolute
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .and_then(|mut file| {
                use std::io::Write as _;
                file.write_all(&new)?;
                file.set_permissions(metadata.permissions())?;
                file.sync_all()
            })
            .and_then(|()| std::fs::rename(&temporary, &absolute))
            .map_err(|e| {
                let _ = std::fs::remove_file(&temporary);
                refuse(&e.to_string())
            })?;
        written.push(path.to_owned());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_calendar_months_divide_and_other_periods_scale_by_days() {
        // 2026-11-01 to 2026-12-01, and to 2027-01-01.
        let november = Window {
            start: 1_793_491_200,
            end: 1_796_083_200,
        };
        assert_eq!(moment(november.start), "2026-11-01");
        assert_eq!(
            months_of(november),
            (Scaling::CalendarMonths(1), Decimal::ONE)
        );
        let two = Window {
            start: november.start,
            end: november.end + 31 * 86_400,
        };
        assert_eq!(months_of(two), (Scaling::CalendarMonths(2), Decimal::TWO));
        let ten_days = Window {
            start: november.start,
            end: november.start + 10 * 86_400,
        };
        let (scaling, months) = months_of(ten_days);
        assert_eq!(scaling, Scaling::Days);
        assert_eq!(round_half_away(months, 6), Decimal::new(328_542, 6));
        // Ten days of 1 000 images are 3 043.75 a month (1 000 × 30.4375 / 10), exactly.
        assert_eq!(
            monthly(Decimal::from(1000), ten_days, scaling),
            Decimal::new(304_375, 2)
        );
        assert_eq!(
            monthly(Decimal::from(3), two, Scaling::CalendarMonths(2)),
            Decimal::new(15, 1)
        );
    }

    /// `--write` writes only a regular file still holding what was checked; a file that changed
    /// or became a symbolic link is refused and left as it is.
    #[test]
    fn write_refuses_a_changed_or_linked_manifest() {
        let folder = tempfile::tempdir().unwrap();
        let workspace = crate::input::Workspace::at(folder.path()).unwrap();
        let text = "volume: {requests_per_month: 100} # plan\n";
        let suggestion = Suggestion {
            file: Arc::new(SourceFile::new("imgcost.yaml", text)),
            workflow: "shop/hero".to_owned(),
            field: "volume/requests_per_month",
            span: Span::new(29, 32),
            old: "100".to_owned(),
            new: "250".to_owned(),
        };
        let path = folder.path().join("imgcost.yaml");
        std::fs::write(&path, "volume: {requests_per_month: 120} # plan\n").unwrap();
        let refused = write(&workspace, std::slice::from_ref(&suggestion)).unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("it changed since imgcost read it"),
            "{refused}"
        );
        std::fs::remove_file(&path).unwrap();
        std::fs::write(folder.path().join("real.yaml"), text).unwrap();
        std::os::unix::fs::symlink("real.yaml", &path).unwrap();
        let refused = write(&workspace, std::slice::from_ref(&suggestion)).unwrap_err();
        assert!(
            refused.to_string().contains("not a regular file"),
            "{refused}"
        );
        assert_eq!(
            std::fs::read_to_string(folder.path().join("real.yaml")).unwrap(),
            text
        );
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, text).unwrap();
        assert_eq!(
            write(&workspace, std::slice::from_ref(&suggestion)).unwrap(),
            ["imgcost.yaml"]
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "volume: {requests_per_month: 250} # plan\n"
        );
    }

    #[test]
    fn n_is_shown_only_by_a_whole_ratio_the_api_accepts() {
        assert_eq!(observed_n(Decimal::from(10), Decimal::from(40)), Some(4));
        assert_eq!(observed_n(Decimal::from(10), Decimal::from(45)), None);
        assert_eq!(observed_n(Decimal::from(1), Decimal::from(11)), None);
        assert_eq!(observed_n(Decimal::ZERO, Decimal::from(3)), None);
    }

    #[test]
    fn diffs_have_context_and_merge_close_changes() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n";
        let far = "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\n";
        assert_eq!(
            file_diff("x.yaml", old, far),
            "--- a/x.yaml\n+++ b/x.yaml\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -9,4 +9,4 @@\n i\n j\n k\n-l\n+L\n"
        );
        let close = "a\nB\nc\nd\ne\nF\ng\nh\ni\nj\nk\nl\n";
        assert_eq!(
            file_diff("x.yaml", old, close),
            "--- a/x.yaml\n+++ b/x.yaml\n@@ -1,9 +1,9 @@\n a\n-b\n+B\n c\n d\n e\n-f\n+F\n g\n h\n i\n"
        );
        assert_eq!(file_diff("x", "same", "same"), "");
    }
}
