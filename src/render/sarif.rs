//! SARIF 2.1.0 (code scanning): every rule with its help, every finding as a result with its
//! physical location and region, related places, and exemptions as suppressions. Columns count
//! Unicode code points (`columnKind`), as everywhere in imgcost.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::borrow::Cow;

use serde_json::{Value, json};

use super::json::{pretty_at, write_list};
use crate::foundation::{Diagnostic, Label, Severity};
use crate::report::Report;
use crate::rules;

/// Message text as SARIF reads it literally: a viewer turns `[text](url)` into a link, and
/// `[text](1)` into a link to a related location (SARIF 2.1.0, §3.11.6), so the brackets of
/// text the change wrote are escaped (`\[`, `\]`, and `\\` before them).
fn literal(text: &str) -> Cow<'_, str> {
    if !text.contains(['[', ']', '\\']) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    Cow::Owned(escaped)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Every byte but RFC 3986's unreserved characters and the path separator `/`: a file name may
/// hold `#`, `?`, `%`, spaces, `:` or any non-ASCII character, and a viewer resolves the URI
/// against `%SRCROOT%`, so each must be written as its UTF-8 bytes in `%XX` form to still name
/// the file (and a `:` never to read as a scheme).
const URI_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The relative URI reference of a path (`/`-separated, as imgcost shows every path).
fn uri(path: &str) -> Cow<'_, str> {
    utf8_percent_encode(path, URI_ESCAPED).into()
}

fn location(label: &Label) -> Value {
    let start = label.start();
    let end = label.end();
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(label.file.path()), "uriBaseId": "%SRCROOT%" },
            "region": { "startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column }
        }
    })
}

fn result(diagnostic: &Diagnostic) -> Value {
    let index = rules::ALL
        .iter()
        .position(|rule| rule.code == diagnostic.rule.code)
        .unwrap_or(0);
    let mut text = literal(&diagnostic.message).into_owned();
    if let Some(help) = &diagnostic.help {
        text.push_str("\nhelp: ");
        text.push_str(&literal(help));
    }
    let related: Vec<Value> = diagnostic
        .related
        .iter()
        .enumerate()
        .map(|(id, label)| {
            let mut place = location(label);
            place["id"] = json!(id + 1);
            place["message"] = json!({ "text": literal(&label.message) });
            place
        })
        .collect();
    let mut result = json!({
        "ruleId": diagnostic.rule.code,
        "ruleIndex": index,
        "level": level(diagnostic.severity),
        "message": { "text": text },
        "locations": [location(&diagnostic.primary)],
    });
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    if let Some(workflow) = &diagnostic.workflow {
        result["properties"] = json!({ "workflow": workflow });
    }
    if let Some(exempted) = &diagnostic.exempted {
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": format!("{} (approved by {}, until {})", exempted.reason, exempted.approved_by, exempted.expires),
        }]);
    }
    result
}

/// Writes the SARIF log of a report. Its results, one per finding, are rendered a chunk at a
/// time in parallel ([`write_list`]), so a log of tens of thousands is never built whole.
///
/// # Errors
/// When writing fails.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let rules: Vec<Value> = rules::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "help": { "text": rule.doc, "markdown": rule.doc },
                "defaultConfiguration": { "level": level(rule.default_severity) },
                "properties": { "tags": ["imgcost", "cost"] },
            })
        })
        .collect();
    let tool = json!({
        "driver": {
            "name": "imgcost",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/imgcost/imgcost",
            "rules": rules,
        }
    });
    let properties = json!({
        "ratecard": report.ratecard.id,
        "as_of": report.as_of.to_string(),
        "monthly_usd": report.monthly_usd().map(|v| crate::foundation::decimal::format_fixed(v, 2)),
    });
    // The one run is written by hand around its parts, in the layout serde_json would give.
    let mut part = Vec::new();
    out.write_all(
        b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": ",
    )?;
    pretty_at(&tool, 3, &mut part)?;
    out.write_all(&part)?;
    out.write_all(b",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ")?;
    write_list(&report.diagnostics, result, 3, out)?;
    out.write_all(b",\n      \"properties\": ")?;
    part.clear();
    pretty_at(&properties, 3, &mut part)?;
    out.write_all(&part)?;
    out.write_all(b"\n    }\n  ]\n}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_keep_unreserved_characters_and_encode_the_rest() {
        assert!(matches!(
            uri("apps/shop-2/x_y.imgcost~1.yaml"),
            Cow::Borrowed("apps/shop-2/x_y.imgcost~1.yaml")
        ));
        assert_eq!(
            uri("a b#c%d é.imgcost.yaml"),
            "a%20b%23c%25d%20%C3%A9.imgcost.yaml"
        );
        assert_eq!(uri("c:/x?y=1&z+[]@!"), "c%3A/x%3Fy%3D1%26z%2B%5B%5D%40%21");
    }
}
