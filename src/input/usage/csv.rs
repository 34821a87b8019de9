//! A small RFC 4180 reader for the dashboard's CSV exports: comma-separated fields, records
//! ended by LF or CRLF, fields in double quotes holding commas, line breaks and doubled quotes.
//! Each record keeps the line it starts on, so that every error can name it. No field is ever
//! evaluated: a cell starting with `=`, `+`, `-` or `@` is text like any other.

/// One record: the line it starts on (1-based) and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Most fields a record may have: the exports have about thirty columns.
pub const MAX_FIELDS: usize = 256;

/// A malformed CSV text: the line and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub message: String,
}

/// Splits `text` into records. Empty lines are skipped.
///
/// # Errors
/// A quote inside an unquoted field, text after a closing quote, a quoted field that never
/// closes (a truncated file), or a record of more than [`MAX_FIELDS`] fields.
pub fn records(text: &str) -> Result<Vec<Record>, CsvError> {
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut record_line = 1;
    // Whether the current field is quoted, and whether its closing quote was seen.
    let mut quoted = false;
    let mut closed = false;
    let mut field_started = false;
    let mut chars = text.chars().peekable();
    let error = |line: usize, message: &str| CsvError {
        line,
        message: message.to_owned(),
    };
    while let Some(c) = chars.next() {
        if quoted && !closed {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => closed = true,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            ',' => {
                fields.push(std::mem::take(&mut field));
                (quoted, closed, field_started) = (false, false, false);
                if fields.len() >= MAX_FIELDS {
                    return Err(error(record_line, "a record has more than 256 fields"));
                }
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if field_started || !fields.is_empty() {
                    fields.push(std::mem::take(&mut field));
                    records.push(Record {
                        line: record_line,
                        fields: std::mem::take(&mut fields),
                    });
                }
                (quoted, closed, field_started) = (false, false, false);
                line += 1;
                record_line = line;
            }
            '"' if !field_started => {
                quoted = true;
                field_started = true;
            }
            '"' => {
                return Err(error(
                    line,
                    "a double quote inside a field that does not start with one; quote the field and double the quote",
                ));
            }
            _ if closed => {
                return Err(error(
                    line,
                    "text after the closing quote of a field; a field is quoted whole",
                ));
            }
            _ => {
                field.push(c);
                field_started = true;
            }
        }
    }
    if quoted && !closed {
        return Err(error(
            record_line,
            "a quoted field never closes: the file is truncated, or a quote is missing",
        ));
    }
    if field_started || !fields.is_empty() {
        fields.push(field);
        records.push(Record {
            line: record_line,
            fields,
        });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<(usize, Vec<String>)> {
        records(text)
            .unwrap()
            .into_iter()
            .map(|r| (r.line, r.fields))
            .collect()
    }

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        let text = "a,b,c\r\n1,\"x, \"\"y\"\"\",3\n\"multi\nline\",=SUM(A1),\"\"\n\n4,5,6";
        assert_eq!(
            fields(text),
            vec![
                (1, vec!["a".into(), "b".into(), "c".into()]),
                (2, vec!["1".into(), "x, \"y\"".into(), "3".into()]),
                (
                    3,
                    vec!["multi\nline".into(), "=SUM(A1)".into(), String::new()]
                ),
                (6, vec!["4".into(), "5".into(), "6".into()]),
            ]
        );
    }

    #[test]
    fn malformed_text_is_located() {
        assert_eq!(records("a\nb\"c\n").unwrap_err().line, 2);
        assert_eq!(records("a\n\"b\"c\n").unwrap_err().line, 2);
        let truncated = records("a,b\n1,\"open\nstill open").unwrap_err();
        assert_eq!(truncated.line, 2);
        assert!(truncated.message.contains("truncated"));
        assert!(records(&",".repeat(300)).is_err());
    }
}
