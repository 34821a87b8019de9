//! Where a page's value of the wrong type is: when the typed reading of a page ([`super::api`])
//! fails on a value, the page is walked again as plain JSON to find the JSON pointer of the first
//! such value (in the order the checks below make, not the order of the text), so that every
//! error is located. The walk keeps nothing of the page but the shape of the values it names (a
//! text's first 40 characters): a hostile page of millions of tiny values takes no more memory
//! to refuse than to read. It reads exactly what `serde_json::Value` would (the same syntax, the
//! same nesting limit, the last of a repeated key), so a page that is not JSON at all falls back
//! to the typed reading's own error.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use super::{At, Bad};

/// Finds the JSON pointer of the value the typed parse refused (only on error, so its cost is
/// never paid by a good page).
pub fn type_error(bytes: &[u8], error: &serde_json::Error) -> Bad {
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
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let walked = Walker(PageWalk)
        .deserialize(&mut deserializer)
        .and_then(|found| deserializer.end().map(|()| found));
    match walked {
        Err(_) => fallback(),
        Ok(Err(document)) => Bad {
            at: At::Pointer(String::new()),
            message: format!(
                "not a page of the Usage or Costs API: the document is {}",
                document.describe()
            ),
        },
        Ok(Ok(found)) => found.unwrap_or_else(fallback),
    }
}

fn wrong(pointer: String, message: impl Into<String>) -> Option<Bad> {
    Some(Bad {
        at: At::Pointer(pointer),
        message: message.into(),
    })
}

/// What a value is, enough to name it: the value itself only for a scalar, a text's first 40
/// characters, nothing of a list or an object.
enum Shape {
    Null,
    Bool(bool),
    Number(Number),
    Text(String),
    List,
    Object,
}

impl Shape {
    fn describe(&self) -> String {
        match self {
            Self::Null => "null".to_owned(),
            Self::Bool(b) => b.to_string(),
            Self::Number(n) => n.to_string(),
            Self::Text(s) => format!("the text {s:?}"),
            Self::List => "a list".to_owned(),
            Self::Object => "an object".to_owned(),
        }
    }

    fn number(&self) -> Option<&Number> {
        match self {
            Self::Number(n) => Some(n),
            _ => None,
        }
    }
}

/// Reads a value as `serde_json::Value` would (`deserialize_any`), handing an object or a list
/// to `W` and keeping the shape of anything else (or of the object or list `W` does not read).
struct Walker<W>(W);

trait Walk<'de>: Sized {
    type Found;

    fn map<A: MapAccess<'de>>(self, map: A) -> Result<Result<Self::Found, Shape>, A::Error> {
        skip_map(map).map(Err)
    }

    fn seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Result<Self::Found, Shape>, A::Error> {
        skip_seq(seq).map(Err)
    }
}

fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Shape, A::Error> {
    while map.next_key::<Key>()?.is_some() {
        any(&mut map)?;
    }
    Ok(Shape::Object)
}

fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Shape, A::Error> {
    while seq.next_element_seed(Walker(Any))?.is_some() {}
    Ok(Shape::List)
}

impl<'de, W: Walk<'de>> DeserializeSeed<'de> for Walker<W> {
    type Value = Result<W::Found, Shape>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, W: Walk<'de>> Visitor<'de> for Walker<W> {
    type Value = Result<W::Found, Shape>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any valid JSON value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Err(Shape::Bool(b)))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Err(Shape::Number(n.into())))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Err(Shape::Number(n.into())))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        Ok(Err(Number::from_f64(n).map_or(Shape::Null, Shape::Number)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Err(Shape::Text(s.chars().take(40).collect())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Err(Shape::Null))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.map(map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.seq(seq)
    }
}

/// A key of an object, read as `serde_json::Value` reads it (a text, checked).
struct Key(String);

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Key)
    }
}

/// Any value: only its shape is kept.
struct Any;

impl<'de> Walk<'de> for Any {
    type Found = std::convert::Infallible;
}

fn shape<T>(read: Result<T, Shape>, found: impl FnOnce(T) -> Shape) -> Shape {
    read.map_or_else(|shape| shape, found)
}

fn any<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Shape, A::Error> {
    map.next_value_seed(Walker(Any))
        .map(|read| shape(read, |never| match never {}))
}

/// The page: `data` a list of buckets, `has_more` true, false or null.
struct PageWalk;

impl<'de> Walk<'de> for PageWalk {
    type Found = Option<Bad>;

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Result<Option<Bad>, Shape>, A::Error> {
        let mut data = None;
        let mut has_more = None;
        while let Some(Key(key)) = map.next_key()? {
            match key.as_str() {
                "data" => data = Some(map.next_value_seed(Walker(DataWalk))?),
                "has_more" => has_more = Some(any(&mut map)?),
                _ => {
                    any(&mut map)?;
                }
            }
        }
        let Some(data) = data else {
            return Ok(Ok(wrong(
                String::new(),
                "not a page of the Usage or Costs API: it has no `data` list of buckets",
            )));
        };
        let Ok(first_wrong_bucket) = data else {
            return Ok(Ok(wrong(
                "/data".to_owned(),
                "`data` must be a list of buckets",
            )));
        };
        if let Some(more) = has_more.filter(|more| !matches!(more, Shape::Bool(_) | Shape::Null)) {
            return Ok(Ok(wrong(
                "/has_more".to_owned(),
                format!(
                    "`has_more` must be true or false, found {}",
                    more.describe()
                ),
            )));
        }
        Ok(Ok(first_wrong_bucket))
    }
}

/// A page's `data`: the first bucket that holds a value of the wrong type.
struct DataWalk;

impl<'de> Walk<'de> for DataWalk {
    type Found = Option<Bad>;

    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Result<Option<Bad>, Shape>, A::Error> {
        let mut first = None;
        let mut index = 0;
        while let Some(bucket) = seq.next_element_seed(Walker(BucketWalk(index)))? {
            if first.is_none() {
                first = match bucket {
                    Ok(found) => found,
                    Err(other) => wrong(
                        format!("/data/{index}"),
                        format!("a bucket must be an object, found {}", other.describe()),
                    ),
                };
            }
            index += 1;
        }
        Ok(Ok(first))
    }
}

/// The `index`th bucket: its times whole numbers, its `results` a list of objects.
struct BucketWalk(usize);

impl<'de> Walk<'de> for BucketWalk {
    type Found = Option<Bad>;

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Result<Option<Bad>, Shape>, A::Error> {
        let at = format!("/data/{}", self.0);
        let mut start = None;
        let mut end = None;
        let mut results = None;
        while let Some(Key(key)) = map.next_key()? {
            match key.as_str() {
                "start_time" => start = Some(any(&mut map)?),
                "end_time" => end = Some(any(&mut map)?),
                "results" => results = Some(map.next_value_seed(Walker(ResultsWalk(&at)))?),
                _ => {
                    any(&mut map)?;
                }
            }
        }
        for (time, value) in [("start_time", start), ("end_time", end)] {
            match value {
                Some(value) if value.number().and_then(Number::as_i64).is_some() => {}
                Some(value) => {
                    return Ok(Ok(wrong(
                        format!("{at}/{time}"),
                        format!("`{time}` must be Unix seconds, found {}", value.describe()),
                    )));
                }
                None => return Ok(Ok(wrong(at, format!("the bucket has no `{time}`")))),
            }
        }
        Ok(Ok(match results {
            None => None,
            Some(Ok(first_wrong_result)) => first_wrong_result,
            Some(Err(_)) => wrong(format!("{at}/results"), "`results` must be a list"),
        }))
    }
}

/// A bucket's `results` (the bucket's pointer): the first result with a value of the wrong type.
struct ResultsWalk<'p>(&'p str);

impl<'de> Walk<'de> for ResultsWalk<'_> {
    type Found = Option<Bad>;

    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Result<Option<Bad>, Shape>, A::Error> {
        let mut first = None;
        let mut index = 0;
        while let Some(result) = seq.next_element_seed(Walker(ResultWalk))? {
            if first.is_none() {
                let at = || format!("{}/results/{index}", self.0);
                first = match result {
                    Ok(fields) => fields.wrong(&at()),
                    Err(other) => wrong(
                        at(),
                        format!("a result must be an object, found {}", other.describe()),
                    ),
                };
            }
            index += 1;
        }
        Ok(Ok(first))
    }
}

const COUNTS: [&str; 5] = [
    "images",
    "num_model_requests",
    "input_image_tokens",
    "input_cached_image_tokens",
    "output_image_tokens",
];

const TEXTS: [&str; 6] = [
    "object",
    "model",
    "source",
    "project_id",
    "api_key_id",
    "line_item",
];

/// The fields of a result that are read, each as its shape (`amount` as its own fields).
#[derive(Default)]
struct ResultFields {
    counts: [Option<Shape>; 5],
    texts: [Option<Shape>; 6],
    amount: Option<Result<AmountFields, Shape>>,
}

impl ResultFields {
    /// The first field of the wrong type, counts first, then texts, then `amount`.
    fn wrong(self, at: &str) -> Option<Bad> {
        for (count, value) in COUNTS.iter().zip(self.counts) {
            let Some(value) = value else { continue };
            let number = value.number();
            if matches!(value, Shape::Null) || number.and_then(Number::as_u64).is_some() {
                continue;
            }
            if let Some(n) = number
                && n.as_i64().is_some_and(|v| v < 0)
            {
                return wrong(
                    format!("{at}/{count}"),
                    format!("`{count}` is negative ({n}); a count of usage never is"),
                );
            }
            return wrong(
                format!("{at}/{count}"),
                format!(
                    "`{count}` must be a whole number, found {}",
                    value.describe()
                ),
            );
        }
        for (text, value) in TEXTS.iter().zip(self.texts) {
            match value {
                None | Some(Shape::Null | Shape::Text(_)) => {}
                Some(value) => {
                    return wrong(
                        format!("{at}/{text}"),
                        format!("`{text}` must be text or null, found {}", value.describe()),
                    );
                }
            }
        }
        let nothing =
            |value: Option<Shape>| value.map_or_else(|| "nothing".to_owned(), |v| v.describe());
        match self.amount {
            None | Some(Err(Shape::Null)) => None,
            Some(Ok((Some(Shape::Number(_)), Some(Shape::Text(_))))) => None,
            Some(Ok((Some(Shape::Number(_)), other))) => wrong(
                format!("{at}/amount/currency"),
                format!(
                    "`amount.currency` must be text such as \"usd\", found {}",
                    nothing(other)
                ),
            ),
            Some(Ok((other, _))) => wrong(
                format!("{at}/amount/value"),
                format!("`amount.value` must be a number, found {}", nothing(other)),
            ),
            Some(Err(value)) => wrong(
                format!("{at}/amount"),
                format!("`amount` must be an object, found {}", value.describe()),
            ),
        }
    }
}

/// An `amount`'s `value` and `currency`.
type AmountFields = (Option<Shape>, Option<Shape>);

/// A result: the shapes of the fields that are read.
struct ResultWalk;

impl<'de> Walk<'de> for ResultWalk {
    type Found = ResultFields;

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Result<ResultFields, Shape>, A::Error> {
        let mut fields = ResultFields::default();
        while let Some(Key(key)) = map.next_key()? {
            if let Some(i) = COUNTS.iter().position(|c| *c == key) {
                fields.counts[i] = Some(any(&mut map)?);
            } else if let Some(i) = TEXTS.iter().position(|t| *t == key) {
                fields.texts[i] = Some(any(&mut map)?);
            } else if key == "amount" {
                fields.amount = Some(map.next_value_seed(Walker(AmountWalk))?);
            } else {
                any(&mut map)?;
            }
        }
        Ok(Ok(fields))
    }
}

/// A result's `amount`: its `value` and `currency`.
struct AmountWalk;

impl<'de> Walk<'de> for AmountWalk {
    type Found = AmountFields;

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Result<Self::Found, Shape>, A::Error> {
        let (mut value, mut currency) = (None, None);
        while let Some(Key(key)) = map.next_key()? {
            match key.as_str() {
                "value" => value = Some(any(&mut map)?),
                "currency" => currency = Some(any(&mut map)?),
                _ => {
                    any(&mut map)?;
                }
            }
        }
        Ok(Ok((value, currency)))
    }
}
