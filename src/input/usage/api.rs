//! Saved pages of OpenAI's organization Usage and Costs APIs: `GET
//! /v1/organization/usage/images`, `/usage/completions` and `/costs`, as `curl` writes them.
//!
//! A page is `{"object": "page", "data": [buckets], "has_more", "next_page"}`; a bucket has
//! `start_time`, `end_time` (Unix seconds) and `results`, each result an object naming its
//! endpoint (`organization.usage.images.result`, …). Unknown fields are ignored and `size` is not
//! read (gpt-image sizes are not in the API's enum). A page is read as a stream: each result is
//! parsed into a typed value borrowing from the page's bytes, checked, handed to a [`Sink`] that
//! sums it, and dropped, so that a page of millions of tiny results takes no more memory than
//! its bytes and its groups. A value of the wrong type is located by `usage::locate`, which
//! builds no tree.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{At, Bad, Window};

/// Which endpoint a page's results come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Images,
    Completions,
    Costs,
}

impl Endpoint {
    const fn object(self) -> &'static str {
        match self {
            Self::Images => "organization.usage.images.result",
            Self::Completions => "organization.usage.completions.result",
            Self::Costs => "organization.costs.result",
        }
    }

    /// The endpoint a result's `object` names.
    fn of(object: &str) -> Option<Self> {
        [Self::Images, Self::Completions, Self::Costs]
            .into_iter()
            .find(|e| e.object() == object)
    }

    #[must_use]
    pub const fn path(self) -> &'static str {
        match self {
            Self::Images => "/v1/organization/usage/images",
            Self::Completions => "/v1/organization/usage/completions",
            Self::Costs => "/v1/organization/costs",
        }
    }
}

/// A result of any of the three endpoints; which fields matter depends on its `object`. Each is
/// parsed into one slot, reused for the next, and handed to a [`Sink`] at once: a page never
/// holds its results.
#[derive(Default)]
pub struct RawResult<'a> {
    pub object: Option<Cow<'a, str>>,
    pub images: Option<u64>,
    pub num_model_requests: Option<u64>,
    pub model: Option<Cow<'a, str>>,
    pub source: Option<Cow<'a, str>>,
    pub project_id: Option<Cow<'a, str>>,
    pub api_key_id: Option<Cow<'a, str>>,
    pub input_image_tokens: Option<u64>,
    pub input_cached_image_tokens: Option<u64>,
    pub output_image_tokens: Option<u64>,
    pub amount: Option<RawAmount<'a>>,
    pub line_item: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub struct RawAmount<'a> {
    pub value: f64,
    #[serde(borrow)]
    pub currency: Cow<'a, str>,
}

/// Text or null, borrowed from the page unless the JSON escapes a character in it (serde's own
/// `Option<Cow<str>>` always copies).
struct OptionalText<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for OptionalText<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text<'a>(Cow<'a, str>);
        struct TextVisitor;
        impl<'a> Visitor<'a> for TextVisitor {
            type Value = Text<'a>;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, text: &'a str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(text)))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(text.to_owned())))
            }
        }
        impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(TextVisitor)
            }
        }
        Ok(Self(
            Option::<Text<'a>>::deserialize(deserializer)?.map(|text| text.0),
        ))
    }
}

/// What is done with each result of a kept bucket, as soon as it is parsed and checked.
pub trait Sink<'a> {
    /// A result of the page's `endpoint`, at `/data/{bucket}/results/{index}`.
    ///
    /// # Errors
    /// Why the result cannot be counted; the page's reading goes on, for the errors that come
    /// before this one (a JSON error anywhere, a check of any bucket).
    fn result(
        &mut self,
        endpoint: Endpoint,
        bucket: usize,
        index: usize,
        result: &mut RawResult<'a>,
    ) -> Result<(), Bad>;

    /// Forgets every result given so far: the page is read a second time.
    fn restart(&mut self);
}

/// A page read and checked: its endpoint (`None` when it has no results at all) and its buckets
/// inside the window, its results given to the sink.
pub struct Page {
    pub endpoint: Option<Endpoint>,
    pub has_more: bool,
    /// The kept buckets: index in `data`, start and end.
    pub buckets: Vec<(usize, i64, i64)>,
    /// The end of the latest bucket, kept or not.
    pub latest_end: Option<i64>,
    /// The first result the sink refused: an error once the page's endpoint is known to be the
    /// one expected.
    pub refused: Option<Bad>,
}

/// Reads a page's bytes: parses it, checks it, and hands each result of a bucket inside
/// `window` to `sink` as it is parsed, so that memory does not grow with the number of results.
///
/// The errors are those of parsing the page whole and then checking it: a JSON error anywhere
/// comes first (with its line and column, or the JSON pointer of a value of the wrong type),
/// then `object`, then the first bucket found wrong; a refused result only after these.
///
/// # Errors
/// Not JSON, not a page, a value of the wrong type, or a bucket or result that fails a check.
pub fn read<'a>(
    bytes: &'a [u8],
    window: Option<Window>,
    sink: &mut impl Sink<'a>,
) -> Result<Page, Bad> {
    let (page, unplaced) = read_once(bytes, window, None, sink)?;
    if !unplaced {
        return Ok(page);
    }
    // Some bucket listed its results before its times, so whether they lie inside the window was
    // unknown while they were read: read them again, knowing which buckets are kept.
    sink.restart();
    let mut kept = vec![false; page.buckets.last().map_or(0, |b| b.0 + 1)];
    for &(index, _, _) in &page.buckets {
        kept[index] = true;
    }
    read_once(bytes, window, Some(&kept), sink).map(|(page, _)| page)
}

fn read_once<'a>(
    bytes: &'a [u8],
    window: Option<Window>,
    known: Option<&[bool]>,
    sink: &mut impl Sink<'a>,
) -> Result<(Page, bool), Bad> {
    let mut state = State {
        window,
        known,
        sink,
        not_a_page: None,
        wrong_bucket: None,
        endpoint: None,
        previous_end: None,
        latest_end: None,
        has_more: false,
        kept: Vec::new(),
        unplaced: false,
        refused: None,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = PageSeed(&mut state)
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end());
    match parsed {
        Ok(()) => {}
        Err(error) if error.is_data() => return Err(super::locate::type_error(bytes, &error)),
        Err(error) => return Err(syntax(&error)),
    }
    if let Some(bad) = state.not_a_page.or(state.wrong_bucket) {
        return Err(bad);
    }
    let page = Page {
        endpoint: state.endpoint.map(|(endpoint, _)| endpoint),
        has_more: state.has_more,
        buckets: state.kept,
        latest_end: state.latest_end,
        refused: state.refused,
    };
    Ok((page, state.unplaced))
}

/// A page's reading so far. Each check's error is kept, not returned, so that the parse goes on
/// to the end: a JSON error later in the page comes before it, as when a page was parsed whole
/// before it was checked.
struct State<'s, S> {
    window: Option<Window>,
    /// Which buckets are kept, from a first reading.
    known: Option<&'s [bool]>,
    sink: &'s mut S,
    /// The page's `object` when it is not `"page"`: the first check of all.
    not_a_page: Option<Bad>,
    /// The first bucket that fails a check; the buckets after it are parsed, not checked.
    wrong_bucket: Option<Bad>,
    /// The endpoint of the page's first result, and its pointer.
    endpoint: Option<(Endpoint, String)>,
    previous_end: Option<i64>,
    latest_end: Option<i64>,
    has_more: bool,
    kept: Vec<(usize, i64, i64)>,
    /// A bucket's results came before its times while a window is given: not given to the sink.
    unplaced: bool,
    refused: Option<Bad>,
}

impl<'a, S: Sink<'a>> State<'_, S> {
    /// Whether the results of bucket `index`, about to be read, go to the sink: only while no
    /// error is found, and when the bucket is kept (or, with no window, as long as it passes its
    /// checks, which are made when it ends).
    fn takes_results(&mut self, index: usize, start: Option<i64>, end: Option<i64>) -> bool {
        if self.not_a_page.is_some() || self.wrong_bucket.is_some() || self.refused.is_some() {
            return false;
        }
        if let Some(known) = self.known {
            return known.get(index).copied().unwrap_or(false);
        }
        match (start, end, self.window) {
            (Some(start), Some(end), window) => {
                super::usage_time("start_time", start).is_ok()
                    && super::usage_time("end_time", end).is_ok()
                    && start < end
                    && self.previous_end.is_none_or(|previous| previous <= start)
                    && window.is_none_or(|w| w.start <= start && end <= w.end)
            }
            (_, _, None) => true,
            (_, _, Some(_)) => {
                self.unplaced = true;
                false
            }
        }
    }

    /// Checks a result of bucket `bucket` and hands it to the sink when `kept`. `wrong` holds the
    /// bucket's first wrong result.
    fn result(
        &mut self,
        bucket: usize,
        index: usize,
        kept: bool,
        wrong: &mut Option<Bad>,
        result: &mut RawResult<'a>,
    ) {
        if self.wrong_bucket.is_some() || wrong.is_some() {
            return;
        }
        let pointer = || format!("/data/{bucket}/results/{index}/object");
        let Some(object) = result.object.as_deref() else {
            *wrong = Some(Bad::at_pointer(
                &pointer(),
                "the result has no `object`, which names the endpoint it comes from",
            ));
            return;
        };
        let Some(found) = Endpoint::of(object) else {
            *wrong = Some(Bad::at_pointer(
                &pointer(),
                format!(
                    "a result of another endpoint ({object:?}); imgcost reads pages of {}, {} and {}",
                    Endpoint::Images.path(),
                    Endpoint::Completions.path(),
                    Endpoint::Costs.path()
                ),
            ));
            return;
        };
        match &self.endpoint {
            None => self.endpoint = Some((found, pointer())),
            Some((first, first_at)) if *first != found => {
                *wrong = Some(Bad::at_pointer(
                    &pointer(),
                    format!(
                        "a result of {} in a page of {} (see {first_at}): one page comes from one endpoint",
                        found.path(),
                        first.path()
                    ),
                ));
                return;
            }
            Some(_) => {}
        }
        if kept
            && self.refused.is_none()
            && let Err(bad) = self.sink.result(found, bucket, index, result)
        {
            self.refused = Some(bad);
        }
    }

    /// Checks bucket `index` once it is read whole: its times, its order, its results (`wrong`)
    /// and the window; keeps it when it lies inside.
    fn end_bucket(&mut self, index: usize, start: i64, end: i64, wrong: Option<Bad>) {
        self.latest_end = Some(self.latest_end.map_or(end, |latest| latest.max(end)));
        if self.wrong_bucket.is_none() {
            self.wrong_bucket = self.check_bucket(index, start, end, wrong).err();
        }
    }

    fn check_bucket(
        &mut self,
        index: usize,
        start: i64,
        end: i64,
        wrong: Option<Bad>,
    ) -> Result<(), Bad> {
        let at = || format!("/data/{index}");
        for (field, seconds) in [("start_time", start), ("end_time", end)] {
            super::usage_time(field, seconds)
                .map_err(|message| Bad::at_pointer(&format!("{}/{field}", at()), message))?;
        }
        if end <= start {
            return Err(Bad::at_pointer(
                &format!("{}/end_time", at()),
                format!("the bucket ends ({end}) before it starts ({start})"),
            ));
        }
        if let Some(previous) = self.previous_end
            && start < previous
        {
            return Err(Bad::at_pointer(
                &format!("{}/start_time", at()),
                "the bucket overlaps the one before it in the page; a page lists its buckets in order, each once",
            ));
        }
        self.previous_end = Some(end);
        if let Some(bad) = wrong {
            return Err(bad);
        }
        match self.window {
            Some(window) if end <= window.start || start >= window.end => {}
            Some(window) if start < window.start || end > window.end => {
                return Err(Bad::at_pointer(
                    &at(),
                    format!(
                        "the bucket ({} to {}) crosses the edge of --from/--to ({} to {}); it cannot be split",
                        super::moment(start),
                        super::moment(end),
                        super::moment(window.start),
                        super::moment(window.end)
                    ),
                ));
            }
            _ => self.kept.push((index, start, end)),
        }
        Ok(())
    }
}

// The seeds below read a page as `#[derive(Deserialize)]` structs `RawPage { object, data,
// has_more }` and `RawBucket { start_time, end_time, results }` would (a JSON object or a list
// of the fields in order; the same names, defaults, and errors at the same places), but hand
// each bucket and result to the `State` instead of collecting them.

const PAGE_FIELDS: &[&str] = &["object", "data", "has_more"];
const BUCKET_FIELDS: &[&str] = &["start_time", "end_time", "results"];

/// A key of a page's or a bucket's object.
enum Field {
    Object,
    Data,
    HasMore,
    StartTime,
    EndTime,
    Results,
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = Field;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("field identifier")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Field, E> {
                Ok(match name {
                    "object" => Field::Object,
                    "data" => Field::Data,
                    "has_more" => Field::HasMore,
                    "start_time" => Field::StartTime,
                    "end_time" => Field::EndTime,
                    "results" => Field::Results,
                    _ => Field::Other,
                })
            }
        }
        deserializer.deserialize_identifier(Name)
    }
}

struct PageSeed<'r, 's, S>(&'r mut State<'s, S>);

impl<'de, S: Sink<'de>> DeserializeSeed<'de> for PageSeed<'_, '_, S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct("RawPage", PAGE_FIELDS, self)
    }
}

impl<'de, S: Sink<'de>> Visitor<'de> for PageSeed<'_, '_, S> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("struct RawPage")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let object = seq.next_element::<OptionalText>()?.and_then(|text| text.0);
        self.0.page_object(object.as_deref());
        if seq.next_element_seed(DataSeed(&mut *self.0))?.is_none() {
            return Err(de::Error::invalid_length(
                1,
                &"struct RawPage with 3 elements",
            ));
        }
        self.0.has_more = seq
            .next_element::<Option<bool>>()?
            .flatten()
            .unwrap_or(false);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut object: Option<Option<Cow<'de, str>>> = None;
        let mut data = false;
        let mut has_more: Option<Option<bool>> = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Object => {
                    if object.is_some() {
                        return Err(de::Error::duplicate_field("object"));
                    }
                    object = Some(map.next_value::<OptionalText>()?.0);
                }
                Field::Data => {
                    if data {
                        return Err(de::Error::duplicate_field("data"));
                    }
                    map.next_value_seed(DataSeed(&mut *self.0))?;
                    data = true;
                }
                Field::HasMore => {
                    if has_more.is_some() {
                        return Err(de::Error::duplicate_field("has_more"));
                    }
                    has_more = Some(map.next_value()?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !data {
            return Err(de::Error::missing_field("data"));
        }
        self.0.page_object(object.flatten().as_deref());
        self.0.has_more = has_more.flatten().unwrap_or(false);
        Ok(())
    }
}

impl<S> State<'_, S> {
    fn page_object(&mut self, object: Option<&str>) {
        if let Some(object) = object
            && object != "page"
        {
            self.not_a_page = Some(Bad::at_pointer(
                "/object",
                format!("`object` is {object:?}: this is not a page of the Usage or Costs API"),
            ));
        }
    }
}

/// A page's `data`: its buckets, read one by one.
struct DataSeed<'r, 's, S>(&'r mut State<'s, S>);

impl<'de, S: Sink<'de>> DeserializeSeed<'de> for DataSeed<'_, '_, S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, S: Sink<'de>> Visitor<'de> for DataSeed<'_, '_, S> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while seq
            .next_element_seed(BucketSeed {
                state: &mut *self.0,
                index,
            })?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }
}

/// A bucket, the `index`th of `data`.
struct BucketSeed<'r, 's, S> {
    state: &'r mut State<'s, S>,
    index: usize,
}

impl<'de, S: Sink<'de>> DeserializeSeed<'de> for BucketSeed<'_, '_, S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct("RawBucket", BUCKET_FIELDS, self)
    }
}

impl<'de, S: Sink<'de>> Visitor<'de> for BucketSeed<'_, '_, S> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("struct RawBucket")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some(start) = seq.next_element::<i64>()? else {
            return Err(de::Error::invalid_length(
                0,
                &"struct RawBucket with 3 elements",
            ));
        };
        let Some(end) = seq.next_element::<i64>()? else {
            return Err(de::Error::invalid_length(
                1,
                &"struct RawBucket with 3 elements",
            ));
        };
        let kept = self.state.takes_results(self.index, Some(start), Some(end));
        let wrong = seq
            .next_element_seed(ResultsSeed {
                state: &mut *self.state,
                bucket: self.index,
                kept,
            })?
            .flatten();
        self.state.end_bucket(self.index, start, end, wrong);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut start = None;
        let mut end = None;
        let mut results: Option<Option<Bad>> = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::StartTime => {
                    if start.is_some() {
                        return Err(de::Error::duplicate_field("start_time"));
                    }
                    start = Some(map.next_value()?);
                }
                Field::EndTime => {
                    if end.is_some() {
                        return Err(de::Error::duplicate_field("end_time"));
                    }
                    end = Some(map.next_value()?);
                }
                Field::Results => {
                    if results.is_some() {
                        return Err(de::Error::duplicate_field("results"));
                    }
                    let kept = self.state.takes_results(self.index, start, end);
                    results = Some(map.next_value_seed(ResultsSeed {
                        state: &mut *self.state,
                        bucket: self.index,
                        kept,
                    })?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let start = start.ok_or_else(|| de::Error::missing_field("start_time"))?;
        let end = end.ok_or_else(|| de::Error::missing_field("end_time"))?;
        self.state
            .end_bucket(self.index, start, end, results.flatten());
        Ok(())
    }
}

/// A bucket's `results`, each checked and handed on as it is parsed; the value is the first
/// result that fails its check.
struct ResultsSeed<'r, 's, S> {
    state: &'r mut State<'s, S>,
    bucket: usize,
    kept: bool,
}

impl<'de, S: Sink<'de>> DeserializeSeed<'de> for ResultsSeed<'_, '_, S> {
    type Value = Option<Bad>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<Bad>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, S: Sink<'de>> Visitor<'de> for ResultsSeed<'_, '_, S> {
    type Value = Option<Bad>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Bad>, A::Error> {
        let mut wrong = None;
        let mut index = 0;
        let mut result = RawResult::default();
        while seq.next_element_seed(ResultSeed(&mut result))?.is_some() {
            self.state
                .result(self.bucket, index, self.kept, &mut wrong, &mut result);
            index += 1;
        }
        Ok(wrong)
    }
}

fn syntax(error: &serde_json::Error) -> Bad {
    let at = At::Text {
        line: error.line(),
        column: error.column(),
    };
    let message = if error.is_eof() {
        "the JSON ends early: the file is truncated".to_owned()
    } else {
        let text = error.to_string();
        let reason = text.split(" at line ").next().unwrap_or(&text).to_owned();
        if reason.contains("recursion limit") {
            "the JSON is nested deeper than any page of the API (128 levels)".to_owned()
        } else {
            format!("not JSON: {reason}")
        }
    };
    Bad { at, message }
}

const RESULT_FIELDS: &[&str] = &[
    "object",
    "images",
    "num_model_requests",
    "model",
    "source",
    "project_id",
    "api_key_id",
    "input_image_tokens",
    "input_cached_image_tokens",
    "output_image_tokens",
    "amount",
    "line_item",
];

/// A result read into a slot, as a `#[derive(Deserialize)]` struct `RawResult` with every field
/// `#[serde(default)]` would be read (an object, or a list of the fields in order), without
/// moving the slot's 256 bytes for each of millions of results.
struct ResultSeed<'r, 'a>(&'r mut RawResult<'a>);

impl<'de> DeserializeSeed<'de> for ResultSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct("RawResult", RESULT_FIELDS, self)
    }
}

impl<'de> Visitor<'de> for ResultSeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("struct RawResult")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let result = self.0;
        result.object = seq.next_element::<OptionalText>()?.and_then(|t| t.0);
        result.images = seq.next_element()?.flatten();
        result.num_model_requests = seq.next_element()?.flatten();
        result.model = seq.next_element::<OptionalText>()?.and_then(|t| t.0);
        result.source = seq.next_element::<OptionalText>()?.and_then(|t| t.0);
        result.project_id = seq.next_element::<OptionalText>()?.and_then(|t| t.0);
        result.api_key_id = seq.next_element::<OptionalText>()?.and_then(|t| t.0);
        result.input_image_tokens = seq.next_element()?.flatten();
        result.input_cached_image_tokens = seq.next_element()?.flatten();
        result.output_image_tokens = seq.next_element()?.flatten();
        result.amount = seq.next_element()?.flatten();
        result.line_item = seq.next_element::<OptionalText>()?.and_then(|t| t.0);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let result = self.0;
        *result = RawResult::default();
        // One bit a field seen, in the order of RESULT_FIELDS: a field given twice is an error,
        // even after a null.
        let mut seen = 0u16;
        while let Some(ResultField(field)) = map.next_key()? {
            let Some(field) = field else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if seen & (1 << field) != 0 {
                return Err(de::Error::duplicate_field(
                    RESULT_FIELDS[usize::from(field)],
                ));
            }
            seen |= 1 << field;
            let text = |map: &mut A| map.next_value::<OptionalText>().map(|t| t.0);
            match field {
                0 => result.object = text(&mut map)?,
                1 => result.images = map.next_value()?,
                2 => result.num_model_requests = map.next_value()?,
                3 => result.model = text(&mut map)?,
                4 => result.source = text(&mut map)?,
                5 => result.project_id = text(&mut map)?,
                6 => result.api_key_id = text(&mut map)?,
                7 => result.input_image_tokens = map.next_value()?,
                8 => result.input_cached_image_tokens = map.next_value()?,
                9 => result.output_image_tokens = map.next_value()?,
                10 => result.amount = map.next_value()?,
                _ => result.line_item = text(&mut map)?,
            }
        }
        Ok(())
    }
}

/// A key of a result: its index in [`RESULT_FIELDS`], `None` for a field not read.
struct ResultField(Option<u8>);

impl<'de> Deserialize<'de> for ResultField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = ResultField;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("field identifier")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<ResultField, E> {
                // A `match`, not a search of RESULT_FIELDS: it tells the names apart by their
                // length first (nine keys a result, millions of results).
                Ok(ResultField(match name {
                    "object" => Some(0),
                    "images" => Some(1),
                    "num_model_requests" => Some(2),
                    "model" => Some(3),
                    "source" => Some(4),
                    "project_id" => Some(5),
                    "api_key_id" => Some(6),
                    "input_image_tokens" => Some(7),
                    "input_cached_image_tokens" => Some(8),
                    "output_image_tokens" => Some(9),
                    "amount" => Some(10),
                    "line_item" => Some(11),
                    _ => None,
                }))
            }
        }
        deserializer.deserialize_identifier(Name)
    }
}

/// An exact decimal of what the API wrote: the shortest text that reads back as the same
/// `f64` (the API writes amounts as JSON numbers).
///
/// # Errors
/// When the value is not finite or has more digits than a decimal holds.
pub fn amount(value: f64) -> Result<Decimal, String> {
    let text = format!("{value}");
    crate::foundation::decimal::parse_exact(&text)
        .map_err(|_| format!("the amount {value:e} is beyond what a decimal holds"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The results a page hands on: bucket, index, model, and whether the model was borrowed.
    #[derive(Default)]
    struct Given {
        results: Vec<(usize, usize, String, bool)>,
        restarts: usize,
    }

    impl<'a> Sink<'a> for Given {
        fn result(
            &mut self,
            _: Endpoint,
            bucket: usize,
            index: usize,
            result: &mut RawResult<'a>,
        ) -> Result<(), Bad> {
            let model = result.model.take().unwrap_or_default();
            let borrowed = matches!(model, Cow::Borrowed(_));
            self.results
                .push((bucket, index, model.into_owned(), borrowed));
            Ok(())
        }

        fn restart(&mut self) {
            self.results.clear();
            self.restarts += 1;
        }
    }

    /// 2026-11-01 and a day, in Unix seconds.
    const START: i64 = 1_793_491_200;
    const DAY: i64 = 86_400;

    fn result(model: &str) -> String {
        format!(r#"{{"object":"organization.usage.images.result","model":"{model}"}}"#)
    }

    fn read_page(text: &str, window: Option<Window>) -> (Result<Page, Bad>, Given) {
        let mut given = Given::default();
        let page = read(text.as_bytes(), window, &mut given);
        (page, given)
    }

    fn pointer(bad: &Bad) -> (&str, &str) {
        match &bad.at {
            At::Pointer(pointer) => (pointer, &bad.message),
            other => panic!("not a pointer: {other:?}"),
        }
    }

    #[test]
    fn results_before_their_bucket_times_are_read_again_when_a_window_keeps_some() {
        let text = format!(
            r#"{{"data":[{{"results":[{}],"start_time":{},"end_time":{}}},{{"start_time":{},"end_time":{},"results":[{}]}}]}}"#,
            result("a"),
            START,
            START + DAY,
            START + DAY,
            START + 2 * DAY,
            result("b")
        );
        let window = Window {
            start: START + DAY,
            end: START + 2 * DAY,
        };
        let (page, given) = read_page(&text, Some(window));
        let page = page.expect("a page");
        assert_eq!(given.results, [(1, 0, "b".to_owned(), true)]);
        assert_eq!(given.restarts, 1);
        assert_eq!(page.buckets, [(1, START + DAY, START + 2 * DAY)]);
        assert_eq!(page.latest_end, Some(START + 2 * DAY));
        // Without a window every bucket is kept: one reading.
        let (page, given) = read_page(&text, None);
        assert_eq!(page.expect("a page").buckets.len(), 2);
        assert_eq!(
            given.results,
            [(0, 0, "a".to_owned(), true), (1, 0, "b".to_owned(), true)]
        );
        assert_eq!(given.restarts, 0);
    }

    /// serde's derived structs read a list of the fields in order as well as an object, and
    /// pages were read through them: a page, a bucket and a result written so still read.
    #[test]
    fn a_page_bucket_and_result_written_as_lists_read_as_before() {
        let text = format!(
            r#"["page",[[{},{},[["organization.usage.images.result",1,1,"m"]]]],false]"#,
            START,
            START + DAY
        );
        let (page, given) = read_page(&text, None);
        let page = page.expect("a page");
        assert_eq!(page.endpoint, Some(Endpoint::Images));
        assert_eq!(given.results, [(0, 0, "m".to_owned(), true)]);
        // A bucket short of its fields fails the typed reading; plain JSON names the page a list.
        let (page, _) = read_page(&format!("[null,[[{START}]]]"), None);
        assert_eq!(
            pointer(&page.err().expect("an error")),
            (
                "",
                "not a page of the Usage or Costs API: the document is a list"
            )
        );
    }

    #[test]
    fn escaped_text_is_the_same_text_copied() {
        let text = format!(
            r#"{{"data":[{{"start_time":{},"end_time":{},"results":[{}]}}]}}"#,
            START,
            START + DAY,
            result("gpt\\u002dimage-2")
        );
        let (_, given) = read_page(&text, None);
        assert_eq!(given.results, [(0, 0, "gpt-image-2".to_owned(), false)]);
    }

    /// The errors come in the order of a page parsed whole, then checked: a JSON error anywhere
    /// before any check; `object` before the buckets; a value of the wrong type located in the
    /// order of the checks, not of the text.
    #[test]
    fn errors_keep_the_order_of_a_whole_parse_then_the_checks() {
        let bucket = |results: &str| {
            format!(
                r#"{{"start_time":{},"end_time":{},"results":[{results}]}}"#,
                START,
                START + DAY
            )
        };
        let last = bucket(&result("m"));
        let (page, given) = read_page(&format!("{{\"data\":[{},\n{last}", bucket("{}")), None);
        let bad = page.err().expect("an error");
        assert_eq!(
            bad.at,
            At::Text {
                line: 2,
                column: last.len()
            }
        );
        assert_eq!(bad.message, "the JSON ends early: the file is truncated");
        assert!(given.results.is_empty());

        let (page, _) = read_page(
            &format!(r#"{{"data":[{}],"object":"list"}}"#, bucket("{}")),
            None,
        );
        let bad = page.err().expect("an error");
        assert_eq!(
            pointer(&bad),
            (
                "/object",
                "`object` is \"list\": this is not a page of the Usage or Costs API"
            )
        );

        let (page, _) = read_page(
            &format!(
                r#"{{"data":[{},{}],"has_more":1}}"#,
                bucket("{}"),
                bucket("7")
            ),
            None,
        );
        let bad = page.err().expect("an error");
        assert_eq!(
            pointer(&bad),
            ("/has_more", "`has_more` must be true or false, found 1")
        );

        // The typed reading refuses the first `images`, a text; plain JSON keeps the last, a
        // number: nothing of the wrong type is found, and the typed reading's error stands.
        let (page, _) = read_page(
            &format!(r#"{{"data":[{}]}}"#, bucket(r#"{"images":"x","images":1}"#)),
            None,
        );
        let bad = page.err().expect("an error");
        assert_eq!(bad.message, "invalid type: string \"x\", expected u64");
        assert!(matches!(bad.at, At::Text { line: 1, .. }), "{:?}", bad.at);
    }

    #[test]
    fn a_value_of_the_wrong_type_is_located_and_described() {
        let text = format!(
            r#"{{"data":[{{"start_time":{},"end_time":{},"results":[{{"images":-3}}]}}]}}"#,
            START,
            START + DAY
        );
        let (page, _) = read_page(&text, None);
        let bad = page.err().expect("an error");
        assert_eq!(
            pointer(&bad),
            (
                "/data/0/results/0/images",
                "`images` is negative (-3); a count of usage never is"
            )
        );
        let text = format!(
            r#"{{"data":[{{"start_time":{},"end_time":{},"results":[{{"amount":{{"value":1,"currency":["usd"]}}}}]}}]}}"#,
            START,
            START + DAY
        );
        let (page, _) = read_page(&text, None);
        let bad = page.err().expect("an error");
        assert_eq!(
            pointer(&bad),
            (
                "/data/0/results/0/amount/currency",
                "`amount.currency` must be text such as \"usd\", found a list"
            )
        );
        let (page, _) = read_page(r#"{"data":{"a":"y"}}"#, None);
        assert_eq!(
            pointer(&page.err().expect("an error")),
            ("/data", "`data` must be a list of buckets")
        );
    }
}
