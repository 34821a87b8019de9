//! What was actually used and billed, from files a CI step or a person saved: pages of the
//! Usage and Costs APIs ([`api`]) and the dashboard's CSV exports ([`export`], read by
//! [`csv`]). `imgcost reconcile` never calls the network; it reads these.
//!
//! Three series, one per option: image usage (`--usage`: pages of
//! `/v1/organization/usage/images`), token activity (`--activity`: pages of
//! `/v1/organization/usage/completions` or the Activity export) and costs (`--costs`: pages of
//! `/v1/organization/costs` or the Cost export). Every file is read through
//! [`read_confined`](crate::input::file_reader::read_confined) (a regular file, no link out of
//! the repository, at most [`MAX_INPUT_BYTES`]) and checked whole; a problem is a located error
//! of the run (the file, and a JSON pointer or a line), never a silent zero. Across the files of
//! a series, buckets may not overlap (a page saved twice would count twice), the API's pages
//! must leave no gap and the last must not say `has_more`, and every series must cover the
//! period: the span of the image usage, or `--from`/`--to`.

pub mod api;
pub mod csv;
pub mod export;
mod locate;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::foundation::{Date, Error};
use crate::input::{Workspace, discovery, file_reader};

/// Largest saved page or export read: a page of 168 hourly buckets for a thousand keys and a
/// few models is tens of megabytes.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Most files one run reads (a folder of pages included).
pub const MAX_INPUT_FILES: usize = 10_000;

/// Most distinct groups (project, key, model and source or line item) one file may hold.
/// reconcile keeps each group to the end of the report, at about a kilobyte and a half
/// apiece; a year of pages for a thousand keys holds a few thousand a file.
pub const MAX_GROUPS_PER_FILE: usize = 100_000;

/// The one test of [`MAX_GROUPS_PER_FILE`], for pages and exports alike: the reason when a
/// file's groups are past it.
fn past_group_limit(groups: usize) -> Option<String> {
    (groups > MAX_GROUPS_PER_FILE).then(|| {
        format!(
            "the file holds more than {MAX_GROUPS_PER_FILE} distinct groups (project, key, model and source or line item), more than imgcost keeps from one file; save fewer groups a file"
        )
    })
}

/// The first and last moments a bucket may cover (2000-01-01 and 2200-01-01, UTC): usage from
/// outside them is a broken or hostile file, and within them every span and sum of seconds is
/// exact.
pub const EARLIEST: i64 = 946_684_800;
pub const LATEST: i64 = 7_258_118_400;

/// A bucket's time in Unix seconds, or why it cannot be one.
///
/// # Errors
/// A time before [`EARLIEST`] or after [`LATEST`].
pub fn usage_time(field: &str, seconds: i64) -> Result<i64, String> {
    if (EARLIEST..=LATEST).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(format!(
            "`{field}` is {seconds}, outside 2000-01-01 to 2200-01-01: not the time of usage"
        ))
    }
}

/// A span of time in Unix seconds, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: i64,
    pub end: i64,
}

impl Window {
    /// Seconds in the span.
    #[must_use]
    pub const fn seconds(self) -> i64 {
        self.end - self.start
    }
}

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// A JSON pointer (RFC 6901); empty for the whole document.
    Pointer(String),
    /// A line of a CSV text.
    Line(usize),
    /// A line and column of a JSON text that does not parse.
    Text { line: usize, column: usize },
    /// The file as a whole.
    File,
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pointer(pointer) if pointer.is_empty() => {
                f.write_str("the document (JSON pointer \"\")")
            }
            Self::Pointer(pointer) => write!(f, "JSON pointer {pointer}"),
            Self::Line(line) => write!(f, "line {line}"),
            Self::Text { line, column } => write!(f, "line {line}, column {column}"),
            Self::File => f.write_str("the file"),
        }
    }
}

/// A problem in a file, before the file is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub at: At,
    pub message: String,
}

impl Bad {
    fn at_pointer(pointer: &str, message: impl Into<String>) -> Self {
        Self {
            at: At::Pointer(pointer.to_owned()),
            message: message.into(),
        }
    }
}

/// Which option a file was given with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Series {
    /// `--usage`: image usage.
    Images,
    /// `--activity`: token activity.
    Activity,
    /// `--costs`: dollars.
    Costs,
}

impl Series {
    #[must_use]
    pub const fn option(self) -> &'static str {
        match self {
            Self::Images => "--usage",
            Self::Activity => "--activity",
            Self::Costs => "--costs",
        }
    }

    const fn what(self) -> &'static str {
        match self {
            Self::Images => "usage file",
            Self::Activity => "activity file",
            Self::Costs => "costs file",
        }
    }
}

/// The files given with each option.
#[derive(Debug, Clone, Copy)]
pub struct Paths<'a> {
    pub usage: &'a [PathBuf],
    pub activity: &'a [PathBuf],
    pub costs: &'a [PathBuf],
}

/// Image usage of one group: a project, an API key, a model and a source (`None` where the
/// data was not grouped by it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImageKey {
    pub project: Option<Box<str>>,
    pub key: Option<Box<str>>,
    pub model: Box<str>,
    pub source: Box<str>,
}

/// Counts of a group over the period, and the first file that has it and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageCounts {
    pub requests: u64,
    pub images: u64,
    pub file: Arc<str>,
    pub at: At,
}

/// Token activity of one group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenKey {
    pub project: Option<Box<str>>,
    pub key: Option<Box<str>>,
    pub model: Box<str>,
}

/// Image tokens of a group over the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImageTokens {
    pub input: u64,
    pub cached_input: u64,
    pub output: u64,
}

/// Costs of one group: a project, an API key, a line item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CostKey {
    pub project: Option<Box<str>>,
    pub key: Option<Box<str>>,
    pub line_item: Box<str>,
}

/// Dollars of a group over the period, and the first file that has it and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostAmount {
    pub usd: Decimal,
    pub file: Arc<str>,
    pub at: At,
}

/// Everything read, summed per group over the period.
#[derive(Debug, Clone)]
pub struct Usage {
    pub period: Window,
    /// Whether the period was given (`--from`/`--to`) rather than read from the files.
    pub period_given: bool,
    pub images: Vec<(ImageKey, ImageCounts)>,
    pub tokens: Vec<(TokenKey, ImageTokens)>,
    pub costs: Vec<(CostKey, CostAmount)>,
    /// Files read for each series (image usage, activity, costs).
    pub files: [usize; 3],
}

/// A group of a page's results, borrowed from it: project, key, model and source.
type Group<'a> = (
    Option<Cow<'a, str>>,
    Option<Cow<'a, str>>,
    Cow<'a, str>,
    Cow<'a, str>,
);

/// A group of a completions page's results: project, key and model.
type TokenGroup<'a> = (Option<Cow<'a, str>>, Option<Cow<'a, str>>, Cow<'a, str>);

/// A group of a costs page's results: project, key and line item.
type CostGroup<'a> = (Option<Cow<'a, str>>, Option<Cow<'a, str>>, Cow<'a, str>);

/// A page's groups are hashed millions of times (a result each): foldhash, not SipHash. The
/// groups are the page's own text, but the map only sums them, so a flood of colliding groups
/// costs time in proportion to the page, as any other reading of it does.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// One file, parsed and summed.
struct Unit {
    series: Series,
    display: Arc<str>,
    /// A page of the API (which lists every bucket, empty ones too), not an export.
    api: bool,
    has_more: bool,
    /// The end of the page's latest bucket, kept or not (outside `--from`/`--to`).
    latest_end: Option<i64>,
    /// The buckets kept, with where each is.
    buckets: Vec<(i64, i64, At)>,
    /// Requests and images of each group, and where the group first appears.
    images: HashMap<ImageKey, (u64, u64, At)>,
    tokens: HashMap<TokenKey, ImageTokens>,
    costs: HashMap<CostKey, (Decimal, At)>,
}

/// A moment for people: the day when it is midnight UTC, else the hour and minute too.
#[must_use]
pub fn moment(seconds: i64) -> String {
    let day = Date::from_ymd(1970, 1, 1)
        .map(|epoch| epoch.add_days(seconds.div_euclid(86_400)))
        .map_or_else(|| seconds.to_string(), |d| d.to_string());
    let rest = seconds.rem_euclid(86_400);
    if rest == 0 {
        day
    } else {
        format!("{day}T{:02}:{:02}Z", rest / 3600, rest % 3600 / 60)
    }
}

/// Reads every file given, checks the series against each other, and sums them over the period.
///
/// # Errors
/// [`Error::BadInput`] for a problem in a file (with where it is), [`Error::Unreadable`] for a
/// file that cannot be read, [`Error::Usage`] for options that leave nothing to compare.
pub fn read(
    workspace: &Workspace,
    paths: Paths<'_>,
    window: Option<Window>,
) -> Result<Usage, Error> {
    let mut files = Vec::new();
    for (series, given) in [
        (Series::Images, paths.usage),
        (Series::Activity, paths.activity),
        (Series::Costs, paths.costs),
    ] {
        for path in given {
            expand(workspace, series, path, &mut files)?;
        }
    }
    if files.len() > MAX_INPUT_FILES {
        return Err(Error::Usage(format!(
            "{} files is more than the {MAX_INPUT_FILES} one run reads",
            files.len()
        )));
    }
    // Files are read into buffers that are used again, one a worker at a time: pages of tens of
    // megabytes each read into fresh memory cost the kernel a page fault and a cleared page
    // every 4 KiB (a tenth of the run's time).
    let buffers: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    let units: Vec<Result<Unit, Error>> = files
        .par_iter()
        .map(|(series, path, display)| {
            let mut buffer = buffers
                .lock()
                .ok()
                .and_then(|mut free| free.pop())
                .unwrap_or_default();
            let unit = read_unit(workspace, *series, path, display, window, &mut buffer);
            if let Ok(mut free) = buffers.lock() {
                free.push(buffer);
            }
            unit
        })
        .collect();
    let units = units.into_iter().collect::<Result<Vec<_>, _>>()?;
    for series in [Series::Images, Series::Activity, Series::Costs] {
        check_series(&units, series)?;
    }
    let period = match window {
        Some(window) => window,
        None => span(&units, Series::Images).ok_or_else(|| {
            Error::Usage("the usage files hold no bucket: nothing to compare".to_owned())
        })?,
    };
    if window.is_some() && span(&units, Series::Images).is_none() {
        return Err(Error::Usage(format!(
            "no bucket of the usage files lies between {} and {}",
            moment(period.start),
            moment(period.end)
        )));
    }
    for series in [Series::Images, Series::Activity, Series::Costs] {
        check_coverage(&units, series, period)?;
    }
    merge(units, period, window.is_some())
}

/// Adds a file, or every `.json` and `.csv` file of a folder (not its subfolders), in name order.
fn expand(
    workspace: &Workspace,
    series: Series,
    path: &Path,
    out: &mut Vec<(Series, PathBuf, Arc<str>)>,
) -> Result<(), Error> {
    // Names are the repository's (or a saved folder's): shown printable, so that no line break
    // or control character of theirs reaches a terminal or a CI log.
    let display = crate::foundation::printable(&discovery::display_path(
        &workspace.cwd.join(path),
        &workspace.cwd,
    ))
    .into_owned();
    let unreadable = |message: String| Error::Unreadable {
        what: series.what(),
        path: display.clone(),
        message,
    };
    workspace.confine(path).map_err(unreadable)?;
    let absolute = workspace.cwd.join(path);
    let metadata = std::fs::symlink_metadata(&absolute).map_err(|e| unreadable(e.to_string()))?;
    let is_folder = metadata.is_dir() || (metadata.is_symlink() && absolute.is_dir());
    if !is_folder {
        out.push((series, path.to_path_buf(), Arc::from(display.as_str())));
        return Ok(());
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&absolute).map_err(|e| unreadable(e.to_string()))? {
        let entry = entry.map_err(|e| unreadable(e.to_string()))?;
        let name = entry.file_name();
        let Some(text) = name.to_str() else { continue };
        let lower = text.to_ascii_lowercase();
        if (lower.ends_with(".json") || lower.ends_with(".csv")) && !text.starts_with('.') {
            names.push(text.to_owned());
        }
        if names.len() > MAX_INPUT_FILES {
            break;
        }
    }
    if names.is_empty() {
        return Err(unreadable(
            "the folder holds no .json or .csv file: nothing to read".to_owned(),
        ));
    }
    names.sort();
    for name in names {
        let file = path.join(&name);
        let shown = discovery::display_path(&workspace.cwd.join(&file), &workspace.cwd);
        out.push((
            series,
            file,
            Arc::from(crate::foundation::printable(&shown).as_ref()),
        ));
    }
    Ok(())
}

fn bad_input(series: Series, display: &str, bad: Bad) -> Error {
    Error::BadInput {
        what: series.what(),
        path: display.to_owned(),
        at: bad.at.to_string(),
        message: bad.message,
    }
}

fn read_unit(
    workspace: &Workspace,
    series: Series,
    path: &Path,
    display: &Arc<str>,
    window: Option<Window>,
    buffer: &mut Vec<u8>,
) -> Result<Unit, Error> {
    let too_large = || {
        bad_input(
            series,
            display,
            Bad {
                at: At::File,
                message: format!(
                    "it is larger than the {} MiB limit; save fewer buckets a page",
                    MAX_INPUT_BYTES / 1024 / 1024
                ),
            },
        )
    };
    // A file that says it is over the limit is refused before a byte is read; one that grows
    // while it is read is cut at the limit by `read_confined`, and refused below.
    if std::fs::metadata(workspace.cwd.join(path)).is_ok_and(|m| m.len() > MAX_INPUT_BYTES) {
        return Err(too_large());
    }
    file_reader::read_confined_into(workspace, path, MAX_INPUT_BYTES, buffer).map_err(
        |message| Error::Unreadable {
            what: series.what(),
            path: display.to_string(),
            message,
        },
    )?;
    if buffer.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    let bytes = buffer.strip_prefix(b"\xef\xbb\xbf").unwrap_or(buffer);
    let mut unit = Unit {
        series,
        display: Arc::clone(display),
        api: false,
        has_more: false,
        latest_end: None,
        buckets: Vec::new(),
        images: HashMap::new(),
        tokens: HashMap::new(),
        costs: HashMap::new(),
    };
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let result = if first == Some(&b'{') || first == Some(&b'[') {
        unit.api = true;
        read_page(bytes, window, &mut unit)
    } else {
        read_export(bytes, window, &mut unit)
    };
    result.map_err(|bad| bad_input(series, display, bad))?;
    Ok(unit)
}

fn read_page(bytes: &[u8], window: Option<Window>, unit: &mut Unit) -> Result<(), Bad> {
    let mut sums = PageSums::default();
    let page = api::read(bytes, window, &mut sums)?;
    unit.has_more = page.has_more;
    unit.latest_end = page.latest_end;
    let expected: &[api::Endpoint] = match unit.series {
        Series::Images => &[api::Endpoint::Images],
        Series::Activity => &[api::Endpoint::Completions],
        Series::Costs => &[api::Endpoint::Costs],
    };
    if let Some(endpoint) = page.endpoint
        && !expected.contains(&endpoint)
    {
        let option = match endpoint {
            api::Endpoint::Images => "--usage",
            api::Endpoint::Completions => "--activity",
            api::Endpoint::Costs => "--costs",
        };
        return Err(Bad::at_pointer(
            "/data",
            format!(
                "this is a page of {}, given with {}; pass it with {option}",
                endpoint.path(),
                unit.series.option()
            ),
        ));
    }
    if let Some(bad) = page.refused {
        return Err(bad);
    }
    unit.buckets = page
        .buckets
        .iter()
        .map(|&(index, start, end)| (start, end, At::Pointer(format!("/data/{index}"))))
        .collect();
    let first =
        |bucket: usize, result: usize| At::Pointer(format!("/data/{bucket}/results/{result}"));
    unit.images = sums
        .images
        .into_iter()
        .map(
            |((project, key, model, source), (requests, count, bucket, result))| {
                (
                    ImageKey {
                        project: project.map(Box::from),
                        key: key.map(Box::from),
                        model: model.into(),
                        source: source.into(),
                    },
                    (requests, count, first(bucket, result)),
                )
            },
        )
        .collect();
    unit.tokens = sums
        .tokens
        .into_iter()
        .map(|((project, key, model), counts)| {
            (
                TokenKey {
                    project: project.map(Box::from),
                    key: key.map(Box::from),
                    model: model.into(),
                },
                counts,
            )
        })
        .collect();
    unit.costs = sums
        .costs
        .into_iter()
        .map(|((project, key, line_item), (usd, bucket, result))| {
            (
                CostKey {
                    project: project.map(Box::from),
                    key: key.map(Box::from),
                    line_item: line_item.into(),
                },
                (usd, first(bucket, result)),
            )
        })
        .collect();
    Ok(())
}

/// A page's sums per group as its results are read, and the bucket and result where each group
/// first appears. The groups borrow from the page (a text with an escape is the group's own).
#[derive(Default)]
struct PageSums<'a> {
    images: FastMap<Group<'a>, (u64, u64, usize, usize)>,
    tokens: FastMap<TokenGroup<'a>, ImageTokens>,
    costs: FastMap<CostGroup<'a>, (Decimal, usize, usize)>,
}

impl<'a> api::Sink<'a> for PageSums<'a> {
    fn result(
        &mut self,
        endpoint: api::Endpoint,
        bucket: usize,
        index: usize,
        result: &mut api::RawResult<'a>,
    ) -> Result<(), Bad> {
        let at = |field: &str| format!("/data/{bucket}/results/{index}{field}");
        let overflow = || Bad::at_pointer(&at(""), "the counts add up to more than 2^64");
        match endpoint {
            api::Endpoint::Images => {
                let requests = result.num_model_requests.unwrap_or(0);
                let count = result.images.unwrap_or(0);
                if requests == 0 && count == 0 {
                    return Ok(());
                }
                let model_missing = result.model.is_none();
                let (Some(model), Some(source)) = (result.model.take(), result.source.take())
                else {
                    let missing = if model_missing { "/model" } else { "/source" };
                    return Err(Bad::at_pointer(
                        &at(missing),
                        "the usage is not grouped by model and source; save the pages with group_by[]=model&group_by[]=source (and project_id or api_key_id)",
                    ));
                };
                let sums = self
                    .images
                    .entry((
                        result.project_id.take(),
                        result.api_key_id.take(),
                        model,
                        source,
                    ))
                    .or_insert((0, 0, bucket, index));
                sums.0 = sums.0.checked_add(requests).ok_or_else(overflow)?;
                sums.1 = sums.1.checked_add(count).ok_or_else(overflow)?;
            }
            api::Endpoint::Completions => {
                let found = ImageTokens {
                    input: result.input_image_tokens.unwrap_or(0),
                    cached_input: result.input_cached_image_tokens.unwrap_or(0),
                    output: result.output_image_tokens.unwrap_or(0),
                };
                if found == ImageTokens::default() {
                    return Ok(());
                }
                let Some(model) = result.model.take() else {
                    return Err(Bad::at_pointer(
                        &at("/model"),
                        "image tokens without a model; save the pages with group_by[]=model",
                    ));
                };
                self.tokens
                    .entry((result.project_id.take(), result.api_key_id.take(), model))
                    .or_default()
                    .add(found)
                    .ok_or_else(overflow)?;
            }
            api::Endpoint::Costs => {
                let Some(amount) = &result.amount else {
                    return Err(Bad::at_pointer(&at(""), "a cost result without `amount`"));
                };
                let usd = checked_usd(amount.value, &amount.currency)
                    .map_err(|message| Bad::at_pointer(&at("/amount"), message))?;
                if usd.is_zero() {
                    return Ok(());
                }
                let Some(line_item) = result.line_item.take() else {
                    return Err(Bad::at_pointer(
                        &at("/line_item"),
                        "the costs are not grouped by line item, so the model they paid for is unknown; save the pages with group_by[]=line_item (and project_id or api_key_id)",
                    ));
                };
                let sum = self
                    .costs
                    .entry((
                        result.project_id.take(),
                        result.api_key_id.take(),
                        line_item,
                    ))
                    .or_insert((Decimal::ZERO, bucket, index));
                sum.0 = sum.0.checked_add(usd).ok_or_else(overflow)?;
            }
        }
        if let Some(message) =
            past_group_limit(self.images.len() + self.tokens.len() + self.costs.len())
        {
            return Err(Bad::at_pointer(&at(""), message));
        }
        Ok(())
    }

    fn restart(&mut self) {
        *self = Self::default();
    }
}

impl ImageTokens {
    fn add(&mut self, other: Self) -> Option<()> {
        self.input = self.input.checked_add(other.input)?;
        self.cached_input = self.cached_input.checked_add(other.cached_input)?;
        self.output = self.output.checked_add(other.output)?;
        Some(())
    }
}

/// A cost in US dollars, never negative.
fn checked_usd(value: f64, currency: &str) -> Result<Decimal, String> {
    if !currency.eq_ignore_ascii_case("usd") {
        return Err(format!(
            "the amount is in {:?}, not US dollars; imgcost compares in USD only",
            export::shorten(currency)
        ));
    }
    let usd = api::amount(value)?;
    if usd.is_sign_negative() && !usd.is_zero() {
        return Err(format!(
            "the amount is negative ({usd}); refunds and credits are not usage, and imgcost does not net them"
        ));
    }
    Ok(usd)
}

fn read_export(bytes: &[u8], window: Option<Window>, unit: &mut Unit) -> Result<(), Bad> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let line = bytes[..error.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        Bad {
            at: At::Line(line),
            message: "the file is not UTF-8 text (nor a JSON page)".to_owned(),
        }
    })?;
    let records = csv::records(text).map_err(|error| Bad {
        at: At::Line(error.line),
        message: error.message,
    })?;
    let Some((header, records)) = records.split_first() else {
        return Err(Bad {
            at: At::File,
            message: "the file is empty".to_owned(),
        });
    };
    let kind = export::kind(header)?;
    let expected = match unit.series {
        Series::Images => None,
        Series::Activity => Some(export::Export::Activity),
        Series::Costs => Some(export::Export::Cost),
    };
    if expected != Some(kind) {
        let (name, option) = match kind {
            export::Export::Cost => ("the Cost export", "--costs"),
            export::Export::Activity => ("the Activity export", "--activity"),
        };
        let hint = if unit.series == Series::Images {
            format!(
                "--usage reads pages of {}; pass this file with {option}",
                api::Endpoint::Images.path()
            )
        } else {
            format!("pass it with {option}")
        };
        return Err(Bad {
            at: At::Line(header.line),
            message: format!(
                "this is {name}, given with {}; {hint}",
                unit.series.option()
            ),
        });
    }
    let rows = export::rows(header, records, window)?;
    let mut seen: HashMap<(i64, i64, Vec<Option<&str>>), usize> = HashMap::new();
    // Buckets already kept: a set, so that an export of many rows is read in linear time.
    let mut kept: HashSet<(i64, i64)> = HashSet::new();
    for row in &rows {
        let group: Vec<Option<&str>> = [
            "project_id",
            "api_key_id",
            "model",
            "line_item",
            "user_id",
            "batch",
            "service_tier",
        ]
        .iter()
        .map(|c| row.text(c))
        .collect();
        if let Some(first) = seen.insert((row.start, row.end, group), row.line) {
            return Err(Bad {
                at: At::Line(row.line),
                message: format!(
                    "the row repeats line {first} (the same bucket and group): a row counted twice"
                ),
            });
        }
        if kept.insert((row.start, row.end)) {
            unit.buckets.push((row.start, row.end, At::Line(row.line)));
        }
        let overflow = || Bad {
            at: At::Line(row.line),
            message: "the counts add up to more than 2^64".to_owned(),
        };
        match kind {
            export::Export::Cost => {
                // An empty amount is a cell lost in an edit or an export, not a free month.
                let value = row.text("amount_value").ok_or_else(|| Bad {
                    at: At::Line(row.line),
                    message: "`amount_value` is empty".to_owned(),
                })?;
                let usd = crate::foundation::decimal::parse_exact(value)
                    .map_err(|_| Bad {
                        at: At::Line(row.line),
                        message: format!(
                            "`amount_value` is not a number ({:?})",
                            export::shorten(value)
                        ),
                    })
                    .and_then(|usd| {
                        let currency = row.text("amount_currency").unwrap_or_default();
                        let value = f64::try_from(usd).unwrap_or(f64::NAN);
                        checked_usd(value, currency)
                            .map(|_| usd)
                            .map_err(|message| Bad {
                                at: At::Line(row.line),
                                message,
                            })
                    })?;
                if usd.is_zero() {
                    continue;
                }
                let Some(line_item) = row.text("line_item") else {
                    return Err(Bad {
                        at: At::Line(row.line),
                        message: "a cost without a `line_item`: the model it paid for is unknown"
                            .to_owned(),
                    });
                };
                let key = CostKey {
                    project: row.text("project_id").map(Box::from),
                    key: row.text("api_key_id").map(Box::from),
                    line_item: line_item.into(),
                };
                let sum = unit
                    .costs
                    .entry(key)
                    .or_insert_with(|| (Decimal::ZERO, At::Line(row.line)));
                sum.0 = sum.0.checked_add(usd).ok_or_else(overflow)?;
            }
            export::Export::Activity => {
                let found = ImageTokens {
                    input: row.count("input_image_tokens")?,
                    cached_input: row.count("input_cached_image_tokens")?,
                    output: row.count("output_image_tokens")?,
                };
                row.count("num_model_requests")?;
                if found == ImageTokens::default() {
                    continue;
                }
                let Some(model) = row.text("model") else {
                    return Err(Bad {
                        at: At::Line(row.line),
                        message: "image tokens without a `model`".to_owned(),
                    });
                };
                let key = TokenKey {
                    project: row.text("project_id").map(Box::from),
                    key: row.text("api_key_id").map(Box::from),
                    model: model.into(),
                };
                unit.tokens
                    .entry(key)
                    .or_default()
                    .add(found)
                    .ok_or_else(overflow)?;
            }
        }
        if let Some(message) =
            past_group_limit(unit.images.len() + unit.tokens.len() + unit.costs.len())
        {
            return Err(Bad {
                at: At::Line(row.line),
                message,
            });
        }
    }
    Ok(())
}

/// Across the files of a series: no bucket twice (a page or export saved twice, or two
/// overlapping fetches); the API's pages leave no gap, and the latest does not say `has_more`.
fn check_series(units: &[Unit], series: Series) -> Result<(), Error> {
    let mut buckets: Vec<(i64, i64, usize, &At)> = Vec::new();
    for (index, unit) in units.iter().enumerate().filter(|(_, u)| u.series == series) {
        buckets.extend(unit.buckets.iter().map(|(s, e, at)| (*s, *e, index, at)));
    }
    buckets.sort_by_key(|&(start, end, index, _)| (start, end, index));
    for pair in buckets.windows(2) {
        let (first, second) = (pair[0], pair[1]);
        if second.0 < first.1 {
            let (a, b) = (&units[first.2], &units[second.2]);
            let message = if first.0 == second.0 && first.1 == second.1 && first.2 != second.2 {
                format!(
                    "it repeats a bucket of {} ({}, {} to {}): a page or export saved twice would count twice",
                    a.display,
                    first.3,
                    moment(first.0),
                    moment(first.1)
                )
            } else {
                format!(
                    "its bucket {} to {} overlaps one of {} ({}, {} to {}): overlapping periods would count twice",
                    moment(second.0),
                    moment(second.1),
                    a.display,
                    first.3,
                    moment(first.0),
                    moment(first.1)
                )
            };
            return Err(bad_input(
                series,
                &b.display,
                Bad {
                    at: second.3.clone(),
                    message,
                },
            ));
        }
    }
    let api: Vec<_> = buckets.iter().filter(|b| units[b.2].api).collect();
    for pair in api.windows(2) {
        let (first, second) = (pair[0], pair[1]);
        if second.0 > first.1 {
            return Err(bad_input(
                series,
                &units[second.2].display,
                Bad {
                    at: second.3.clone(),
                    message: format!(
                        "no page covers {} to {} (the bucket before ends in {}): a page is missing",
                        moment(first.1),
                        moment(second.0),
                        units[first.2].display
                    ),
                },
            ));
        }
    }
    // The page that says whether more follow is the one with the latest bucket of all, kept or
    // not: with --from/--to, pages after the period are read but their buckets are not kept.
    let latest = units
        .iter()
        .filter(|u| u.series == series && u.api)
        .filter_map(|u| Some((u.latest_end?, u)))
        .max_by_key(|(end, _)| *end);
    if let Some((_, unit)) = latest
        && unit.has_more
    {
        return Err(bad_input(
            series,
            &unit.display,
            Bad::at_pointer(
                "/has_more",
                "the page holding the latest bucket says `has_more: true`: the pages after it are missing (fetch them with its `next_page`)",
            ),
        ));
    }
    Ok(())
}

/// The span of a series' buckets.
fn span(units: &[Unit], series: Series) -> Option<Window> {
    let buckets = units
        .iter()
        .filter(|u| u.series == series)
        .flat_map(|u| u.buckets.iter());
    let start = buckets.clone().map(|b| b.0).min()?;
    let end = buckets.map(|b| b.1).max()?;
    Some(Window { start, end })
}

/// Every series covers the period: the API's pages from its start to its end, an export
/// within it.
fn check_coverage(units: &[Unit], series: Series, period: Window) -> Result<(), Error> {
    let Some(first_unit) = units.iter().find(|u| u.series == series) else {
        return Ok(());
    };
    let Some(covered) = span(units, series) else {
        return Err(Error::Usage(format!(
            "the {} files hold no bucket between {} and {}",
            series.option(),
            moment(period.start),
            moment(period.end)
        )));
    };
    let api = units.iter().filter(|u| u.series == series).all(|u| u.api);
    let short = covered.start > period.start || covered.end < period.end;
    let beyond = covered.start < period.start || covered.end > period.end;
    if (api && short) || beyond {
        return Err(bad_input(
            series,
            &first_unit.display,
            Bad {
                at: At::File,
                message: format!(
                    "the {} files cover {} to {}, but the period is {} to {} (the span of the --usage pages, or --from/--to); fetch the same span, or pass --from/--to",
                    series.option(),
                    moment(covered.start),
                    moment(covered.end),
                    moment(period.start),
                    moment(period.end)
                ),
            },
        ));
    }
    Ok(())
}

fn merge(units: Vec<Unit>, period: Window, period_given: bool) -> Result<Usage, Error> {
    let mut files = [0; 3];
    let mut images: HashMap<ImageKey, ImageCounts> = HashMap::new();
    let mut tokens: HashMap<TokenKey, ImageTokens> = HashMap::new();
    let mut costs: HashMap<CostKey, CostAmount> = HashMap::new();
    // Totals over every group: reconcile adds groups' shares together, so bounding the whole
    // keeps every sum it makes exact (no clamp is ever reached).
    let mut total_requests: u64 = 0;
    let mut total_images: u64 = 0;
    let mut total_tokens = ImageTokens::default();
    let mut total_usd = Decimal::ZERO;
    for unit in units {
        files[unit.series as usize] += 1;
        // Sums across files are checked as within one: past 2^64 is an error at the group's
        // place in the file that tips it over, never a clamp.
        let overflow = |at: At| {
            bad_input(
                unit.series,
                &unit.display,
                Bad {
                    at,
                    message: "with the same group in the files before it, the counts add up to more than 2^64".to_owned(),
                },
            )
        };
        let too_much = |at: At| {
            bad_input(
                unit.series,
                &unit.display,
                Bad {
                    at,
                    message: format!(
                        "with every group in the files before it, the usage adds up to more than imgcost handles (2^64 requests, images or tokens, or {} USD)",
                        crate::foundation::decimal::format_usd(
                            crate::foundation::decimal::MAX_USD,
                            0
                        )
                    ),
                },
            )
        };
        // Groups in the order of their keys, not the maps' (which changes from run to run), so
        // that the group named as tipping a sum over is the same in every run.
        let mut unit_images: Vec<_> = unit.images.into_iter().collect();
        unit_images.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut unit_costs: Vec<_> = unit.costs.into_iter().collect();
        unit_costs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (key, (requests, count, at)) in unit_images {
            let entry = images.entry(key).or_insert_with(|| ImageCounts {
                requests: 0,
                images: 0,
                file: Arc::clone(&unit.display),
                at: at.clone(),
            });
            match (
                entry.requests.checked_add(requests),
                entry.images.checked_add(count),
            ) {
                (Some(requests), Some(count)) => {
                    entry.requests = requests;
                    entry.images = count;
                }
                _ => return Err(overflow(at)),
            }
            match (
                total_requests.checked_add(requests),
                total_images.checked_add(count),
            ) {
                (Some(requests), Some(count)) => {
                    total_requests = requests;
                    total_images = count;
                }
                _ => return Err(too_much(at.clone())),
            }
        }
        for (key, found) in unit.tokens {
            tokens
                .entry(key)
                .or_default()
                .add(found)
                .ok_or_else(|| overflow(At::File))?;
            total_tokens.add(found).ok_or_else(|| too_much(At::File))?;
        }
        for (key, (usd, at)) in unit_costs {
            let entry = costs.entry(key).or_insert_with(|| CostAmount {
                usd: Decimal::ZERO,
                file: Arc::clone(&unit.display),
                at: at.clone(),
            });
            entry.usd = entry
                .usd
                .checked_add(usd)
                .ok_or_else(|| overflow(at.clone()))?;
            total_usd = total_usd
                .checked_add(usd)
                .filter(|total| *total <= crate::foundation::decimal::MAX_USD)
                .ok_or_else(|| too_much(at))?;
        }
    }
    let mut images: Vec<_> = images.into_iter().collect();
    images.sort_by(|a, b| a.0.cmp(&b.0));
    let mut tokens: Vec<_> = tokens.into_iter().collect();
    tokens.sort_by(|a, b| a.0.cmp(&b.0));
    let mut costs: Vec<_> = costs.into_iter().collect();
    costs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Usage {
        period,
        period_given,
        images,
        tokens,
        costs,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_show_the_day_and_the_time_when_not_midnight() {
        assert_eq!(moment(1_730_419_200), "2024-11-01");
        assert_eq!(
            moment(1_730_419_200 + 3_600 * 13 + 60 * 5),
            "2024-11-01T13:05Z"
        );
    }

    #[test]
    fn costs_are_us_dollars_and_never_negative() {
        assert_eq!(checked_usd(0.06, "usd"), Ok(Decimal::new(6, 2)));
        assert_eq!(checked_usd(12.5, "USD"), Ok(Decimal::new(125, 1)));
        assert!(checked_usd(1.0, "eur").unwrap_err().contains("\"eur\""));
        assert!(
            checked_usd(-3.2, "usd")
                .unwrap_err()
                .contains("negative (-3.2)")
        );
        assert!(checked_usd(1e300, "usd").is_err());
        assert!(checked_usd(f64::NAN, "usd").is_err());
    }
}
