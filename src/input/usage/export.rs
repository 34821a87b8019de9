//! The dashboard's CSV exports (Usage → Cost or Activity → Export, at most 60 days, UTC):
//! one row per bucket and group, columns named in the first row. The cost export has
//! `start_time, end_time, …, amount_value, amount_currency, line_item, project_id, …`; the
//! activity export `start_time, end_time, …, project_id, num_model_requests, user_id,
//! api_key_id, model, …, input_image_tokens, input_cached_image_tokens, output_image_tokens`.
//! Columns are found by name; others are ignored.

use super::csv::Record;
use super::{At, Bad, Window};

/// Which export a header names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Cost,
    Activity,
}

/// A row of an export inside the window: its bucket, and its cells by column name.
pub struct Row<'a> {
    pub line: usize,
    pub start: i64,
    pub end: i64,
    header: &'a [String],
    record: &'a Record,
}

impl Row<'_> {
    /// The cell of `column`, `None` when the column is absent or the cell empty.
    #[must_use]
    pub fn text(&self, column: &str) -> Option<&str> {
        let index = self.header.iter().position(|name| name == column)?;
        self.record
            .fields
            .get(index)
            .map(String::as_str)
            .filter(|cell| !cell.is_empty())
    }

    /// A whole, non-negative count; empty is zero.
    ///
    /// # Errors
    /// When the cell holds anything else.
    pub fn count(&self, column: &str) -> Result<u64, Bad> {
        let Some(text) = self.text(column) else {
            return Ok(0);
        };
        text.trim().parse::<u64>().map_err(|_| {
            let reason = if text.trim().starts_with('-') {
                "is negative; a count of usage never is"
            } else {
                "is not a whole number"
            };
            Bad {
                at: At::Line(self.line),
                message: format!("`{column}` {reason} ({:?})", shorten(text)),
            }
        })
    }
}

/// At most 40 characters of a cell, for a message.
pub fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

/// The export a header row names, from the columns only one of them has.
///
/// # Errors
/// When the header names neither export.
pub fn kind(header: &Record) -> Result<Export, Bad> {
    let has = |name: &str| header.fields.iter().any(|f| f == name);
    for required in ["start_time", "end_time"] {
        if !has(required) {
            return Err(Bad {
                at: At::Line(header.line),
                message: format!(
                    "the first row has no `{required}` column: this is not an export of the Usage dashboard (Cost or Activity)"
                ),
            });
        }
    }
    if has("amount_value") {
        Ok(Export::Cost)
    } else if has("num_model_requests") {
        Ok(Export::Activity)
    } else {
        Err(Bad {
            at: At::Line(header.line),
            message: "the first row has neither `amount_value` (a cost export) nor `num_model_requests` (an activity export)".to_owned(),
        })
    }
}

/// The rows after the header, with their buckets, inside `window`.
///
/// # Errors
/// A row of another width than the header, or a bucket that is not Unix seconds, ends before
/// it starts, or crosses the window's edge.
pub fn rows<'a>(
    header: &'a Record,
    records: &'a [Record],
    window: Option<Window>,
) -> Result<Vec<Row<'a>>, Bad> {
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        if record.fields.len() != header.fields.len() {
            return Err(Bad {
                at: At::Line(record.line),
                message: format!(
                    "the row has {} fields where the first row names {} columns (a quote may be missing)",
                    record.fields.len(),
                    header.fields.len()
                ),
            });
        }
        let mut row = Row {
            line: record.line,
            start: 0,
            end: 0,
            header: &header.fields,
            record,
        };
        let time = |column: &str| {
            let text = row.text(column).unwrap_or_default();
            let seconds = text.trim().parse::<i64>().map_err(|_| Bad {
                at: At::Line(record.line),
                message: format!("`{column}` must be Unix seconds, found {:?}", shorten(text)),
            })?;
            super::usage_time(column, seconds).map_err(|message| Bad {
                at: At::Line(record.line),
                message,
            })
        };
        let (start, end) = (time("start_time")?, time("end_time")?);
        if end <= start {
            return Err(Bad {
                at: At::Line(record.line),
                message: format!("the row's bucket ends ({end}) before it starts ({start})"),
            });
        }
        (row.start, row.end) = (start, end);
        match window {
            Some(w) if end <= w.start || start >= w.end => {}
            Some(w) if start < w.start || end > w.end => {
                return Err(Bad {
                    at: At::Line(record.line),
                    message: format!(
                        "the row's bucket ({} to {}) crosses the edge of --from/--to; it cannot be split",
                        super::moment(start),
                        super::moment(end)
                    ),
                });
            }
            _ => rows.push(row),
        }
    }
    Ok(rows)
}
