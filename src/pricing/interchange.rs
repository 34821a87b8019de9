//! Interchange with the price libraries people meter with at runtime (docs/ratecards.md):
//! [`export`] writes a card's token rates in LiteLLM's `model_prices_and_context_window.json`
//! shape or genai-prices' v2 `data.json` shape, and [`compare`] reads a saved copy of either and
//! lists every disagreement with a card. Offline: nothing is fetched.
//!
//! Only token rates and shutdowns travel: neither format can say how a request becomes tokens
//! (the output formula, GIF sheets, per-image prices), nor a source or a confidence. Prices are
//! compared in USD per 1M tokens rounded to 6 places, since both files write binary floats
//! (`3.2e-05`).

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::ratecard::{RateCard, TextRates, TokenRates};
use crate::foundation::{Date, printable};

/// The largest price file `compare` reads: LiteLLM's whole file is about 1.5 MB today.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// A library's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Library {
    /// LiteLLM's `model_prices_and_context_window.json`: an object keyed by model, USD per token.
    LiteLlm,
    /// pydantic genai-prices v2 `data.json`: an array of providers, USD per 1M tokens.
    GenaiPrices,
}

impl Library {
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::LiteLlm => "litellm",
            Self::GenaiPrices => "genai-prices",
        }
    }
}

/// One price (USD per 1M tokens) or fact of a model, under the name the library gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Figure {
    Price(Decimal),
    Text(String),
    Flag(bool),
}

/// What a card says of one model, by the library's field names.
struct Entry {
    /// The canonical id and the aliases.
    names: Vec<String>,
    /// `image_generation` or `chat`.
    mode: &'static str,
    figures: BTreeMap<&'static str, Figure>,
}

const MILLION: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// The models of `card` as the library sees them on `as_of` (the rates in force then). Models
/// whose token rates are all zero (the per-image DALL·E models) are left out: they have no
/// token price to meter.
fn entries(card: &RateCard, as_of: Date, library: Library) -> Vec<Entry> {
    let mut out = Vec::new();
    for (id, model) in &card.models {
        let Some(tiers) = model.rates.at(as_of) else {
            continue;
        };
        if all_zero(&tiers.standard) {
            continue;
        }
        let mut figures = image_figures(&tiers.standard, library, "");
        if let (Some(batch), Library::LiteLlm) = (&tiers.batch, library) {
            figures.extend(image_figures(batch, library, "_batches"));
        }
        lifecycle(
            &mut figures,
            model.shutdown,
            model.replacement.as_deref(),
            library,
        );
        out.push(Entry {
            names: names(id, &model.aliases),
            mode: "image_generation",
            figures,
        });
    }
    for (id, model) in &card.text_models {
        let Some(tiers) = model.rates.at(as_of) else {
            continue;
        };
        let mut figures = text_figures(&tiers.standard, library, "");
        if let (Some(batch), Library::LiteLlm) = (&tiers.batch, library) {
            figures.extend(text_figures(batch, library, "_batches"));
        }
        lifecycle(
            &mut figures,
            model.shutdown,
            model.replacement.as_deref(),
            library,
        );
        out.push(Entry {
            names: names(id, &model.aliases),
            mode: "chat",
            figures,
        });
    }
    out
}

fn names(id: &str, aliases: &[String]) -> Vec<String> {
    std::iter::once(id.to_owned())
        .chain(aliases.iter().cloned())
        .collect()
}

fn all_zero(rates: &TokenRates) -> bool {
    [
        rates.text_input,
        rates.cached_text_input,
        rates.image_input,
        rates.cached_image_input,
        rates.image_output,
    ]
    .iter()
    .all(|m| m.0.is_zero())
        && rates.text_output.is_none_or(|m| m.0.is_zero())
}

/// An image model's rates under the library's names. genai-prices puts the image-output rate in
/// `output_mtok` when the model has no text output (its convention for image-only models).
fn image_figures(
    rates: &TokenRates,
    library: Library,
    suffix: &'static str,
) -> BTreeMap<&'static str, Figure> {
    let price = |m: super::ratecard::Money| Figure::Price(m.0);
    let mut figures = BTreeMap::new();
    match library {
        Library::LiteLlm => {
            let names: [(&'static str, &'static str); 5] = [
                ("input_cost_per_token", "input_cost_per_token_batches"),
                (
                    "cache_read_input_token_cost",
                    "cache_read_input_token_cost_batches",
                ),
                (
                    "input_cost_per_image_token",
                    "input_cost_per_image_token_batches",
                ),
                (
                    "cache_read_input_image_token_cost",
                    // LiteLLM has no Batch key for cached image input.
                    "",
                ),
                (
                    "output_cost_per_image_token",
                    "output_cost_per_image_token_batches",
                ),
            ];
            let values = [
                rates.text_input,
                rates.cached_text_input,
                rates.image_input,
                rates.cached_image_input,
                rates.image_output,
            ];
            for ((standard, batch), value) in names.into_iter().zip(values) {
                let name = if suffix.is_empty() { standard } else { batch };
                if !name.is_empty() {
                    figures.insert(name, price(value));
                }
            }
            if let Some(out) = rates.text_output {
                let name = if suffix.is_empty() {
                    "output_cost_per_token"
                } else {
                    "output_cost_per_token_batches"
                };
                figures.insert(name, price(out));
            }
        }
        Library::GenaiPrices => {
            figures.insert("input_mtok", price(rates.text_input));
            figures.insert("cache_read_mtok", price(rates.cached_text_input));
            figures.insert("input_image_mtok", price(rates.image_input));
            figures.insert("cache_image_read_mtok", price(rates.cached_image_input));
            match rates.text_output {
                Some(text) => {
                    figures.insert("output_mtok", price(text));
                    figures.insert("output_image_mtok", price(rates.image_output));
                }
                None => {
                    figures.insert("output_mtok", price(rates.image_output));
                }
            }
        }
    }
    figures
}

fn text_figures(
    rates: &TextRates,
    library: Library,
    suffix: &'static str,
) -> BTreeMap<&'static str, Figure> {
    let names: [&'static str; 3] = match (library, suffix.is_empty()) {
        (Library::LiteLlm, true) => [
            "input_cost_per_token",
            "cache_read_input_token_cost",
            "output_cost_per_token",
        ],
        (Library::LiteLlm, false) => [
            "input_cost_per_token_batches",
            "cache_read_input_token_cost_batches",
            "output_cost_per_token_batches",
        ],
        (Library::GenaiPrices, _) => ["input_mtok", "cache_read_mtok", "output_mtok"],
    };
    names
        .into_iter()
        .zip([rates.input, rates.cached_input, rates.output])
        .map(|(name, value)| (name, Figure::Price(value.0)))
        .collect()
}

fn lifecycle(
    figures: &mut BTreeMap<&'static str, Figure>,
    shutdown: Option<Date>,
    replacement: Option<&str>,
    library: Library,
) {
    match library {
        Library::LiteLlm => {
            if let Some(day) = shutdown {
                figures.insert("deprecation_date", Figure::Text(day.to_string()));
            }
            if let Some(successor) = replacement {
                figures.insert("successor_model", Figure::Text(successor.to_owned()));
            }
        }
        Library::GenaiPrices => {
            figures.insert("deprecated", Figure::Flag(shutdown.is_some()));
        }
    }
}

/// A library's number for a price: USD per token (LiteLLM) or per 1M tokens (genai-prices).
fn to_library(price: Decimal, library: Library) -> Value {
    let value = match library {
        Library::LiteLlm => price / MILLION,
        Library::GenaiPrices => price,
    };
    // Both files hold binary floats; the shortest float that reads back as this decimal.
    f64::from_str(&value.normalize().to_string()).map_or(Value::Null, |f| json!(f))
}

/// The card's token rates in the library's shape, as pretty JSON.
#[must_use]
pub fn export(card: &RateCard, as_of: Date, library: Library) -> String {
    let value = match library {
        Library::LiteLlm => {
            let mut file = Map::new();
            for entry in entries(card, as_of, library) {
                let mut fields = Map::new();
                for (name, figure) in &entry.figures {
                    fields.insert((*name).to_owned(), figure_json(figure, library));
                }
                fields.insert("litellm_provider".to_owned(), json!("openai"));
                fields.insert("mode".to_owned(), json!(entry.mode));
                fields.insert(
                    "source".to_owned(),
                    json!(format!("imgcost rate card {}", card.id)),
                );
                for name in &entry.names {
                    file.insert(name.clone(), Value::Object(fields.clone()));
                }
            }
            Value::Object(file)
        }
        Library::GenaiPrices => {
            let models: Vec<Value> = genai_models(card, as_of);
            json!([{
                "id": "openai",
                "name": "OpenAI",
                "api_pattern": "https://api\\.openai\\.com",
                "pricing_urls": ["https://developers.openai.com/api/docs/pricing"],
                "models": models,
            }])
        }
    };
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn figure_json(figure: &Figure, library: Library) -> Value {
    match figure {
        Figure::Price(price) => to_library(*price, library),
        Figure::Text(text) => json!(text),
        Figure::Flag(flag) => json!(flag),
    }
}

/// genai-prices models: every dated record of a model's rates becomes a conditional price with
/// its `start_date` ("the last active price is used"), so the file moves across a price change
/// as the card does.
fn genai_models(card: &RateCard, as_of: Date) -> Vec<Value> {
    let library = Library::GenaiPrices;
    let mut models = Vec::new();
    let mut push = |id: &str,
                    aliases: &[String],
                    records: Vec<(Option<Date>, Value)>,
                    shutdown: Option<Date>| {
        let names = names(id, aliases);
        let matcher = if names.len() == 1 {
            json!({"equals": id})
        } else {
            json!({"or": names.iter().map(|n| json!({"equals": n})).collect::<Vec<_>>()})
        };
        let prices = match records.as_slice() {
            [(None, prices)] => prices.clone(),
            _ => Value::Array(
                records
                    .into_iter()
                    .map(|(from, prices)| match from {
                        Some(day) => {
                            json!({"constraint": {"start_date": day.to_string()}, "prices": prices})
                        }
                        None => json!({"prices": prices}),
                    })
                    .collect(),
            ),
        };
        models.push(json!({
            "id": id,
            "name": id,
            "match": matcher,
            "prices": prices,
            "deprecated": shutdown.is_some(),
        }));
    };
    let prices = |figures: BTreeMap<&'static str, Figure>| {
        Value::Object(
            figures
                .iter()
                .map(|(name, figure)| ((*name).to_owned(), figure_json(figure, library)))
                .collect(),
        )
    };
    for (id, model) in &card.models {
        if model
            .rates
            .at(as_of)
            .is_none_or(|tiers| all_zero(&tiers.standard))
        {
            continue;
        }
        let records = model
            .rates
            .records()
            .iter()
            .map(|r| {
                (
                    r.effective_from,
                    prices(image_figures(&r.standard, library, "")),
                )
            })
            .collect();
        push(id, &model.aliases, records, model.shutdown);
    }
    for (id, model) in &card.text_models {
        if model.rates.at(as_of).is_none() {
            continue;
        }
        let records = model
            .rates
            .records()
            .iter()
            .map(|r| {
                (
                    r.effective_from,
                    prices(text_figures(&r.standard, library, "")),
                )
            })
            .collect();
        push(id, &model.aliases, records, model.shutdown);
    }
    models
}

/// One disagreement between a card and a library's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// The card's model id.
    pub model: String,
    /// The library's field (`output_cost_per_image_token`, `output_mtok`, …).
    pub field: &'static str,
    /// The card's figure, written as the file would read in USD per 1M tokens (or the text).
    pub card: Option<String>,
    /// The file's, likewise (`None` where it has none).
    pub file: Option<String>,
}

/// Finds a model's fields in a library's file by a name of the card's.
type Lookup<'a> = dyn Fn(&str) -> Option<Map<String, Value>> + 'a;

/// What `compare` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub library: Library,
    /// Models of the card compared (found in the file).
    pub compared: usize,
    /// Models of the card the file does not have (listed, not disagreements).
    pub missing: Vec<String>,
    pub disagreements: Vec<Disagreement>,
}

/// Reads a saved LiteLLM or genai-prices file (told apart by its top level: an object or an
/// array of providers) and compares it with `card` as of `as_of`.
///
/// # Errors
/// Text that is not JSON, or JSON of neither shape, with the reason.
pub fn compare(card: &RateCard, as_of: Date, text: &str) -> Result<Comparison, String> {
    let value: Value = serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
    let (library, lookup): (Library, Box<Lookup<'_>>) =
        match &value {
            Value::Object(file) => (
                Library::LiteLlm,
                Box::new(move |name: &str| {
                    file.get(name)
                        .or_else(|| file.get(&format!("openai/{name}")))
                        .and_then(Value::as_object)
                        .cloned()
                }),
            ),
            Value::Array(providers) => {
                let models = providers
                    .iter()
                    .find(|p| p.get("id").and_then(Value::as_str) == Some("openai"))
                    .and_then(|p| p.get("models"))
                    .and_then(Value::as_array)
                    .ok_or("a genai-prices file (an array of providers) without an `openai` provider with `models`")?;
                (
                    Library::GenaiPrices,
                    Box::new(move |name: &str| genai_lookup(models, name, as_of)),
                )
            }
            _ => return Err("neither a LiteLLM file (an object of models) nor a genai-prices file (an array of providers)".to_owned()),
        };
    let mut comparison = Comparison {
        library,
        compared: 0,
        missing: Vec::new(),
        disagreements: Vec::new(),
    };
    for entry in entries(card, as_of, library) {
        let Some(fields) = entry.names.iter().find_map(|name| lookup(name)) else {
            comparison.missing.push(entry.names[0].clone());
            continue;
        };
        comparison.compared += 1;
        let mut names: Vec<&'static str> = entry.figures.keys().copied().collect();
        // A field the library has and the card does not (a Batch rate the card lacks, a
        // deprecation the card does not know) disagrees too.
        for known in known_fields(library, entry.mode) {
            if !names.contains(known) && fields.contains_key(*known) {
                names.push(known);
            }
        }
        for name in names {
            let ours = entry.figures.get(name);
            let theirs = fields.get(name);
            if let Some(disagreement) = differ(&entry.names[0], name, ours, theirs, library) {
                comparison.disagreements.push(disagreement);
            }
        }
    }
    // A file with none of the card's models compared nothing: no all-clear.
    if comparison.compared == 0 {
        return Err(format!(
            "the {} file has none of the card's {} models: nothing was compared",
            library.name(),
            comparison.missing.len()
        ));
    }
    Ok(comparison)
}

/// The fields `compare` reads for a model of this mode.
fn known_fields(library: Library, mode: &str) -> &'static [&'static str] {
    match (library, mode) {
        (Library::LiteLlm, "chat") => &[
            "input_cost_per_token",
            "cache_read_input_token_cost",
            "output_cost_per_token",
            "input_cost_per_token_batches",
            "cache_read_input_token_cost_batches",
            "output_cost_per_token_batches",
            "deprecation_date",
            "successor_model",
        ],
        (Library::LiteLlm, _) => &[
            "input_cost_per_token",
            "cache_read_input_token_cost",
            "output_cost_per_token",
            "input_cost_per_image_token",
            "cache_read_input_image_token_cost",
            "output_cost_per_image_token",
            "input_cost_per_token_batches",
            "cache_read_input_token_cost_batches",
            "output_cost_per_token_batches",
            "input_cost_per_image_token_batches",
            "output_cost_per_image_token_batches",
            "deprecation_date",
            "successor_model",
        ],
        (Library::GenaiPrices, "chat") => &["input_mtok", "cache_read_mtok", "output_mtok"],
        (Library::GenaiPrices, _) => &[
            "input_mtok",
            "cache_read_mtok",
            "output_mtok",
            "input_image_mtok",
            "cache_image_read_mtok",
            "output_image_mtok",
        ],
    }
}

/// The longest text of a file's value that a disagreement repeats.
const MAX_SHOWN: usize = 80;

fn differ(
    model: &str,
    field: &'static str,
    ours: Option<&Figure>,
    theirs: Option<&Value>,
    library: Library,
) -> Option<Disagreement> {
    let shown_ours = ours.map(|figure| match figure {
        Figure::Price(price) => per_million(*price),
        Figure::Text(text) => text.clone(),
        Figure::Flag(flag) => flag.to_string(),
    });
    let shown_theirs = theirs.map(|value| match (ours, value) {
        (Some(Figure::Text(_)) | None, Value::String(text)) if !is_price_field(field) => {
            short(text)
        }
        (Some(Figure::Flag(_)), Value::Bool(flag)) => flag.to_string(),
        (_, value) => file_price(value, library).map_or_else(
            || format!("not a price: {}", short(&value.to_string())),
            per_million,
        ),
    });
    // genai-prices leaves `deprecated` out when it is false.
    let shown_theirs = if field == "deprecated" {
        shown_theirs.or_else(|| Some("false".to_owned()))
    } else {
        shown_theirs
    };
    (shown_ours != shown_theirs).then(|| Disagreement {
        model: model.to_owned(),
        field,
        card: shown_ours,
        file: shown_theirs,
    })
}

fn is_price_field(field: &str) -> bool {
    field.contains("cost") || field.ends_with("_mtok")
}

/// A file's number as USD per 1M tokens (`None` for anything but a finite, non-negative number
/// a decimal can hold).
fn file_price(value: &Value, library: Library) -> Option<Decimal> {
    let number = value.as_f64().filter(|f| f.is_finite() && *f >= 0.0)?;
    let decimal = Decimal::from_str(&number.to_string()).ok()?;
    match library {
        Library::LiteLlm => decimal.checked_mul(MILLION),
        Library::GenaiPrices => Some(decimal),
    }
}

/// USD per 1M tokens rounded to 6 places, as compared and shown.
fn per_million(price: Decimal) -> String {
    price.round_dp(6).normalize().to_string()
}

fn short(text: &str) -> String {
    let cut: String = text.chars().take(MAX_SHOWN).collect();
    let ellipsis = if cut.len() < text.len() { "…" } else { "" };
    format!("{}{ellipsis}", printable(&cut))
}

/// The prices of the genai-prices model that matches `name`, resolved on `as_of` when they are
/// conditional, with `deprecated`.
fn genai_lookup(models: &[Value], name: &str, as_of: Date) -> Option<Map<String, Value>> {
    let model = models.iter().find(|m| {
        m.get("id").and_then(Value::as_str) == Some(name)
            || m.get("match")
                .is_some_and(|clause| matches(clause, name, 0))
    })?;
    let mut fields = match model.get("prices")? {
        Value::Object(prices) => prices.clone(),
        Value::Array(records) => records
            .iter()
            .rfind(|record| active(record.get("constraint"), as_of))
            .and_then(|record| record.get("prices"))
            .and_then(Value::as_object)?
            .clone(),
        _ => return None,
    };
    if let Some(deprecated) = model.get("deprecated") {
        fields.insert("deprecated".to_owned(), deprecated.clone());
    }
    Some(fields)
}

/// How deep `and`/`or` clauses may nest before a match is refused (a hostile file).
const MAX_CLAUSE_DEPTH: usize = 16;

/// A genai-prices match clause. `regex` clauses are not evaluated (imgcost has no regular
/// expression engine), so they never match.
fn matches(clause: &Value, name: &str, depth: usize) -> bool {
    if depth > MAX_CLAUSE_DEPTH {
        return false;
    }
    let Some(clause) = clause.as_object() else {
        return false;
    };
    clause
        .iter()
        .any(|(kind, value)| match (kind.as_str(), value) {
            ("equals", Value::String(s)) => name == s,
            ("starts_with", Value::String(s)) => name.starts_with(s.as_str()),
            ("ends_with", Value::String(s)) => name.ends_with(s.as_str()),
            ("contains", Value::String(s)) => name.contains(s.as_str()),
            ("or", Value::Array(all)) => all.iter().any(|c| matches(c, name, depth + 1)),
            ("and", Value::Array(all)) => {
                !all.is_empty() && all.iter().all(|c| matches(c, name, depth + 1))
            }
            _ => false,
        })
}

/// Whether a conditional price is in force on `as_of`: no constraint, a `start_date` on or
/// before it, or a `start_time`..`end_time` around it (their dates).
fn active(constraint: Option<&Value>, as_of: Date) -> bool {
    let Some(constraint) = constraint else {
        return true;
    };
    let day = |key: &str| {
        constraint
            .get(key)
            .and_then(Value::as_str)
            .and_then(|text| text.get(..10))
            .and_then(|text| text.parse::<Date>().ok())
    };
    if let Some(start) = constraint.get("start_date") {
        return start
            .as_str()
            .and_then(|text| text.parse::<Date>().ok())
            .is_some_and(|start| start <= as_of);
    }
    day("start_time").is_none_or(|start| start <= as_of)
        && day("end_time").is_none_or(|end| as_of < end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> &'static RateCard {
        RateCard::builtin()
            .iter()
            .find(|c| c.id == "openai-2026-12-01")
            .expect("the card")
    }

    fn day() -> Date {
        "2026-12-06".parse().expect("a date")
    }

    #[test]
    fn an_export_compares_with_no_disagreement_in_either_shape() {
        for library in [Library::LiteLlm, Library::GenaiPrices] {
            let exported = export(card(), day(), library);
            let found = compare(card(), day(), &exported).expect("readable");
            assert_eq!(found.library, library);
            assert_eq!(found.disagreements, Vec::new(), "{}", library.name());
            assert_eq!(found.missing, Vec::<String>::new(), "{}", library.name());
            // 9 image models with token rates and 11 text models.
            assert_eq!(found.compared, 20, "{}", library.name());
        }
    }

    #[test]
    fn match_clauses_and_dated_prices_resolve_as_genai_prices_does() {
        let models: Vec<Value> = serde_json::from_str(
            r#"[{"id": "x", "match": {"and": [{"starts_with": "gpt-"}, {"ends_with": "-sol"}]},
                 "prices": [{"prices": {"input_mtok": 5}},
                            {"constraint": {"start_date": "2026-08-21"}, "prices": {"input_mtok": 4}}]}]"#,
        )
        .expect("json");
        let on = |text: &str| {
            genai_lookup(&models, "gpt-5.6-sol", text.parse().expect("a date"))
                .and_then(|f| f.get("input_mtok").and_then(Value::as_f64))
        };
        assert_eq!(on("2026-08-20"), Some(5.0));
        assert_eq!(on("2026-08-21"), Some(4.0));
        assert_eq!(genai_lookup(&models, "gpt-5.6-terra", day()), None);
        // A clause nested past the limit matches nothing (and does not overflow the stack).
        let mut deep = json!({"equals": "gpt-5"});
        for _ in 0..100 {
            deep = json!({"or": [deep]});
        }
        assert!(!matches(&deep, "gpt-5", 0));
    }
}
