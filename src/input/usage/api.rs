//! Saved pages of OpenAI's organization Usage and Costs APIs: `GET
//! /v1/organization/usage/images`, `/usage/completions` and `/costs`, as `curl` writes them.
//!
//! A page is `{"object": "page", "data": [buckets], "has_more", "next_page"}`; a bucket has
//! `start_time`, `end_time` (Unix seconds) and `results`, each result an object naming its
//! endpoint (`organization.usage.images.result`, …). Unknown fields are ignored and `size` is not
//! read (gpt-image sizes are not in the API's enum). A page is parsed into typed values borrowing
//! from its bytes; when that fails on a value of the wrong type, the page is read again as plain
//! JSON to find the JSON pointer of the first such value, so that every error is located.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

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

#[derive(Deserialize)]
pub struct RawPage<'a> {
    #[serde(borrow, default)]
    object: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub data: Vec<RawBucket<'a>>,
    #[serde(default)]
    pub has_more: Option<bool>,
}

#[derive(Deserialize)]
pub struct RawBucket<'a> {
    pub start_time: i64,
    pub end_time: i64,
    #[serde(borrow, default)]
    pub results: Vec<RawResult<'a>>,
}

/// A result of any of the three endpoints; which fields matter depends on its `object`.
#[derive(Deserialize)]
pub struct RawResult<'a> {
    #[serde(borrow, default)]
    pub object: Option<Cow<'a, str>>,
    #[serde(default)]
    pub images: Option<u64>,
    #[serde(default)]
    pub num_model_requests: Option<u64>,
    #[serde(borrow, default)]
    pub model: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub source: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub project_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub api_key_id: Option<Cow<'a, str>>,
    #[serde(default)]
    pub input_image_tokens: Option<u64>,
    #[serde(default)]
    pub input_cached_image_tokens: Option<u64>,
    #[serde(default)]
    pub output_image_tokens: Option<u64>,
    #[serde(borrow, default)]
    pub amount: Option<RawAmount<'a>>,
    #[serde(borrow, default)]
    pub line_item: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub struct RawAmount<'a> {
    pub value: f64,
    #[serde(borrow)]
    pub currency: Cow<'a, str>,
}

/// A page parsed and checked: its endpoint (`None` when it has no results at all), and its
/// buckets inside the window.
pub struct Page<'a> {
    pub endpoint: Option<Endpoint>,
    pub has_more: bool,
    /// The kept buckets with their index in `data`.
    pub buckets: Vec<(usize, &'a RawBucket<'a>)>,
}

/// Parses a page's bytes.
///
/// # Errors
/// Not JSON (with its line and column), not a page, or a value of the wrong type (with its JSON
/// pointer).
pub fn parse(bytes: &[u8]) -> Result<RawPage<'_>, Bad> {
    match serde_json::from_slice::<RawPage<'_>>(bytes) {
        Ok(page) => Ok(page),
        Err(error) if error.is_data() => Err(locate_type_error(bytes, &error)),
        Err(error) => Err(syntax(&error)),
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

/// Finds the JSON pointer of the value the typed parse refused, by walking the same document
/// as plain JSON (only on error, so its cost is never paid by a good page).
fn locate_type_error(bytes: &[u8], error: &serde_json::Error) -> Bad {
    let fallback = || Bad {
        at: At::Text {
            line: error.line(),
            column: error.column(),
        },
        message: error
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    let Ok(document) = serde_json::from_slice::<Value>(bytes) else {
        return fallback();
    };
    first_wrong_type(&document).unwrap_or_else(fallback)
}

fn wrong(pointer: String, message: impl Into<String>) -> Option<Bad> {
    Some(Bad {
        at: At::Pointer(pointer),
        message: message.into(),
    })
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("the text {:?}", s.chars().take(40).collect::<String>()),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

fn first_wrong_type(document: &Value) -> Option<Bad> {
    let Some(page) = document.as_object() else {
        return wrong(
            String::new(),
            format!(
                "not a page of the Usage or Costs API: the document is {}",
                describe(document)
            ),
        );
    };
    let Some(data) = page.get("data") else {
        return wrong(
            String::new(),
            "not a page of the Usage or Costs API: it has no `data` list of buckets",
        );
    };
    let Some(buckets) = data.as_array() else {
        return wrong("/data".to_owned(), "`data` must be a list of buckets");
    };
    if let Some(more) = page
        .get("has_more")
        .filter(|v| !v.is_boolean() && !v.is_null())
    {
        return wrong(
            "/has_more".to_owned(),
            format!("`has_more` must be true or false, found {}", describe(more)),
        );
    }
    for (index, bucket) in buckets.iter().enumerate() {
        let at = format!("/data/{index}");
        let Some(bucket) = bucket.as_object() else {
            return wrong(
                at,
                format!("a bucket must be an object, found {}", describe(bucket)),
            );
        };
        for time in ["start_time", "end_time"] {
            match bucket.get(time) {
                Some(value) if value.as_i64().is_some() => {}
                Some(value) => {
                    return wrong(
                        format!("{at}/{time}"),
                        format!("`{time}` must be Unix seconds, found {}", describe(value)),
                    );
                }
                None => return wrong(at, format!("the bucket has no `{time}`")),
            }
        }
        let Some(results) = bucket.get("results") else {
            continue;
        };
        let Some(results) = results.as_array() else {
            return wrong(format!("{at}/results"), "`results` must be a list");
        };
        for (result_index, result) in results.iter().enumerate() {
            let at = format!("{at}/results/{result_index}");
            if let Some(bad) = wrong_result(&at, result) {
                return Some(bad);
            }
        }
    }
    None
}

fn wrong_result(at: &str, result: &Value) -> Option<Bad> {
    let Some(result) = result.as_object() else {
        return wrong(
            at.to_owned(),
            format!("a result must be an object, found {}", describe(result)),
        );
    };
    for count in [
        "images",
        "num_model_requests",
        "input_image_tokens",
        "input_cached_image_tokens",
        "output_image_tokens",
    ] {
        match result.get(count) {
            None | Some(Value::Null) => {}
            Some(value) if value.as_u64().is_some() => {}
            Some(value) if value.as_i64().is_some_and(|v| v < 0) => {
                return wrong(
                    format!("{at}/{count}"),
                    format!("`{count}` is negative ({value}); a count of usage never is"),
                );
            }
            Some(value) => {
                return wrong(
                    format!("{at}/{count}"),
                    format!(
                        "`{count}` must be a whole number, found {}",
                        describe(value)
                    ),
                );
            }
        }
    }
    for text in [
        "object",
        "model",
        "source",
        "project_id",
        "api_key_id",
        "line_item",
    ] {
        match result.get(text) {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(value) => {
                return wrong(
                    format!("{at}/{text}"),
                    format!("`{text}` must be text or null, found {}", describe(value)),
                );
            }
        }
    }
    match result.get("amount") {
        None | Some(Value::Null) => None,
        Some(Value::Object(amount)) => match (amount.get("value"), amount.get("currency")) {
            (Some(Value::Number(_)), Some(Value::String(_))) => None,
            (Some(Value::Number(_)), other) => wrong(
                format!("{at}/amount/currency"),
                format!(
                    "`amount.currency` must be text such as \"usd\", found {}",
                    other.map_or_else(|| "nothing".to_owned(), describe)
                ),
            ),
            (other, _) => wrong(
                format!("{at}/amount/value"),
                format!(
                    "`amount.value` must be a number, found {}",
                    other.map_or_else(|| "nothing".to_owned(), describe)
                ),
            ),
        },
        Some(value) => wrong(
            format!("{at}/amount"),
            format!("`amount` must be an object, found {}", describe(value)),
        ),
    }
}

/// Checks a parsed page: it is a page, its results come from one endpoint, its buckets are in
/// order and well formed; keeps the buckets inside `window`.
///
/// # Errors
/// The first problem, with its JSON pointer.
pub fn check<'a>(page: &'a RawPage<'a>, window: Option<Window>) -> Result<Page<'a>, Bad> {
    if let Some(object) = page.object.as_deref()
        && object != "page"
    {
        return Err(Bad::at_pointer(
            "/object",
            format!("`object` is {object:?}: this is not a page of the Usage or Costs API"),
        ));
    }
    let mut endpoint: Option<(Endpoint, String)> = None;
    let mut buckets = Vec::with_capacity(page.data.len());
    let mut previous_end = None;
    for (index, bucket) in page.data.iter().enumerate() {
        let at = format!("/data/{index}");
        for (field, seconds) in [
            ("start_time", bucket.start_time),
            ("end_time", bucket.end_time),
        ] {
            super::usage_time(field, seconds)
                .map_err(|message| Bad::at_pointer(&format!("{at}/{field}"), message))?;
        }
        if bucket.end_time <= bucket.start_time {
            return Err(Bad::at_pointer(
                &format!("{at}/end_time"),
                format!(
                    "the bucket ends ({}) before it starts ({})",
                    bucket.end_time, bucket.start_time
                ),
            ));
        }
        if let Some(end) = previous_end
            && bucket.start_time < end
        {
            return Err(Bad::at_pointer(
                &format!("{at}/start_time"),
                "the bucket overlaps the one before it in the page; a page lists its buckets in order, each once",
            ));
        }
        previous_end = Some(bucket.end_time);
        for (result_index, result) in bucket.results.iter().enumerate() {
            let pointer = || format!("{at}/results/{result_index}/object");
            let Some(object) = result.object.as_deref() else {
                return Err(Bad::at_pointer(
                    &pointer(),
                    "the result has no `object`, which names the endpoint it comes from",
                ));
            };
            let Some(found) = Endpoint::of(object) else {
                return Err(Bad::at_pointer(
                    &pointer(),
                    format!(
                        "a result of another endpoint ({object:?}); imgcost reads pages of {}, {} and {}",
                        Endpoint::Images.path(),
                        Endpoint::Completions.path(),
                        Endpoint::Costs.path()
                    ),
                ));
            };
            match &endpoint {
                None => endpoint = Some((found, pointer())),
                Some((first, first_at)) if *first != found => {
                    return Err(Bad::at_pointer(
                        &pointer(),
                        format!(
                            "a result of {} in a page of {} (see {first_at}): one page comes from one endpoint",
                            found.path(),
                            first.path()
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        match window {
            Some(window) if bucket.end_time <= window.start || bucket.start_time >= window.end => {}
            Some(window) if bucket.start_time < window.start || bucket.end_time > window.end => {
                return Err(Bad::at_pointer(
                    &at,
                    format!(
                        "the bucket ({} to {}) crosses the edge of --from/--to ({} to {}); it cannot be split",
                        super::moment(bucket.start_time),
                        super::moment(bucket.end_time),
                        super::moment(window.start),
                        super::moment(window.end)
                    ),
                ));
            }
            _ => buckets.push((index, bucket)),
        }
    }
    Ok(Page {
        endpoint: endpoint.map(|(e, _)| e),
        has_more: page.has_more.unwrap_or(false),
        buckets,
    })
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
