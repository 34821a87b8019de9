//! A saved response of OpenAI's `GET /v1/models` (`{"object": "list", "data": [{"id": …,
//! "shutdown_date": "YYYY-MM-DD" | null}, …]}`), read for `imgcost ratecard shutdowns`: the
//! deprecations page asks developers to check each model's optional `shutdown_date` there
//! (docs/ratecards.md). Offline: imgcost never calls the API.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::foundation::{Date, printable};

/// The largest models file read: a real listing is tens of kilobytes.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// What the listing says of one model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    /// Listed with no shutdown date.
    Active,
    /// Listed with a shutdown date.
    ShutsDown(Date),
}

/// The listing: every model id with its shutdown date, if any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModelList {
    pub models: BTreeMap<String, Listed>,
}

/// Reads a `GET /v1/models` response.
///
/// # Errors
/// Text that is not JSON, without a `data` array, or with a model whose `id` is not a string or
/// whose `shutdown_date` is neither null nor a date; the reason names the entry.
pub fn parse(text: &str) -> Result<ModelList, String> {
    let value: Value = serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
    let data = value
        .get("data")
        .and_then(Value::as_array)
        .ok_or("no `data` array: not a `GET /v1/models` response")?;
    let mut list = ModelList::default();
    for (index, model) in data.iter().enumerate() {
        let id = model
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("data[{index}] has no string `id`"))?;
        let listed = match model.get("shutdown_date") {
            None | Some(Value::Null) => Listed::Active,
            Some(Value::String(text)) => Listed::ShutsDown(text.parse().map_err(|_| {
                format!(
                    "data[{index}] (`{}`): `shutdown_date` {} is not a date (YYYY-MM-DD)",
                    printable(id),
                    printable(text)
                )
            })?),
            Some(other) => {
                return Err(format!(
                    "data[{index}] (`{}`): `shutdown_date` is {}, not a date or null",
                    printable(id),
                    kind(other)
                ));
            }
        };
        // A listing names each model once: a second entry could hide the first one's date.
        if list.models.insert(id.to_owned(), listed).is_some() {
            return Err(format!(
                "data[{index}] (`{}`): the model is listed twice; a listing names each model once",
                printable(id)
            ));
        }
    }
    Ok(list)
}

const fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shutdown_dates_are_read_and_bad_ones_named() {
        let list = parse(r#"{"object": "list", "data": [
            {"id": "gpt-5", "object": "model", "created": 1754500000, "owned_by": "system", "shutdown_date": "2026-12-11"},
            {"id": "gpt-image-2", "object": "model", "shutdown_date": null},
            {"id": "gpt-5.4"}]}"#)
        .expect("a listing");
        assert_eq!(
            list.models.get("gpt-5"),
            Some(&Listed::ShutsDown("2026-12-11".parse().expect("a date")))
        );
        assert_eq!(list.models.get("gpt-image-2"), Some(&Listed::Active));
        assert_eq!(list.models.get("gpt-5.4"), Some(&Listed::Active));
        assert_eq!(
            parse(r#"{"data": [{"id": "x\u001b", "shutdown_date": "soon"}]}"#),
            Err("data[0] (`x\\u{1b}`): `shutdown_date` soon is not a date (YYYY-MM-DD)".to_owned())
        );
        assert_eq!(
            parse(r#"{"data": [{"id": "x", "shutdown_date": 20261211}]}"#),
            Err("data[0] (`x`): `shutdown_date` is a number, not a date or null".to_owned())
        );
        assert!(parse("[]").is_err());
    }
}
