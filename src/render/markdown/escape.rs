//! Escaping for each place user text lands in imgcost's Markdown, as GitHub renders a pull
//! request comment or a job summary (GitHub Flavored Markdown, plus GitHub's own mentions,
//! references, autolinks and math). File paths, workflow ids, keys and values quoted in
//! messages, exemption reasons, rate card and policy names all come from the pull request under
//! judgement; none may add a link, an image, HTML, a mention, a table cell or formatting to the
//! bot's comment. Each place has its own escape, written as a `Display` wrapper that copies
//! runs of plain text straight through, so that nothing is allocated for text that needs no
//! escaping (a summary can list thousands of rows).
//!
//! Mentions, issue references and bare URLs are broken with a zero-width space written as the
//! entity `&#8203;` (after `@`, after `#`, inside `://` and `www.`), as Renovate does in every
//! pull request body it writes to GitHub (`@&#8203;user`, `#&#8203;123`): the text reads the
//! same, and GitHub's mention, reference and autolink filters, which run on the rendered text,
//! no longer match.

use std::fmt::{self, Display, Write as _};

/// Where a code span lands: GitHub's table rows are split at every `|` not escaped with a
/// backslash, code spans included (where the backslash is then dropped); elsewhere a backslash
/// in a code span is shown as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Inline,
    Cell,
}

/// Inline text, in a paragraph, list item or table cell (never at the start of a line, where
/// `-`, `+`, `1.` and `#` would start blocks). Backslash-escapes every character that opens
/// inline syntax (code, emphasis, strikethrough, links and images through `[`, table cells),
/// writes `<`, `>` and `&` as entities (no HTML, no autolink, no entity of the author's), a `$`
/// that could close GitHub math (one not followed by a digit, so `$4.20` stays as it is),
/// and line breaks as spaces; breaks mentions, references and bare URLs (see the module).
pub struct Text<'a>(pub &'a str);

impl Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut copied = 0;
        for (index, c) in text.char_indices() {
            let rest = &text[index..];
            let replacement = match c {
                '\\' => "\\\\",
                '`' => "\\`",
                '*' => "\\*",
                '_' => "\\_",
                '~' => "\\~",
                '[' => "\\[",
                ']' => "\\]",
                '|' => "\\|",
                '$' if !rest[1..].starts_with(|d: char| d.is_ascii_digit()) => "\\$",
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '@' => "@&#8203;",
                '#' => "#&#8203;",
                ':' if rest.starts_with("://") => ":&#8203;",
                '.' if index >= 3
                    && text.as_bytes()[index - 3..index].eq_ignore_ascii_case(b"www") =>
                {
                    "&#8203;."
                }
                '\n' | '\r' => " ",
                _ => continue,
            };
            f.write_str(&text[copied..index])?;
            f.write_str(replacement)?;
            copied = index + c.len_utf8();
        }
        f.write_str(&text[copied..])
    }
}

/// A code span holding `text` literally, delimiters included. The fence is one backtick longer
/// than the longest run of backticks inside, so the content cannot close it; a space pads each
/// side when the content starts or ends with a backtick, or starts and ends with a space (which
/// CommonMark would strip). Line breaks become spaces. In a table cell each `|` is written
/// `\|`: a pipe right after a backslash never ends a cell, however many backslashes come before
/// (GitHub's cell scanner takes the longest match), and the one added is dropped again.
pub struct Code<'a>(pub &'a str, pub Place);

impl Display for Code<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Code(text, place) = *self;
        if text.is_empty() {
            return f.write_str("` `");
        }
        let mut longest = 0;
        let mut run = 0;
        for byte in text.bytes() {
            run = if byte == b'`' { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        let pad = text.starts_with('`')
            || text.ends_with('`')
            || (text.starts_with(' ') && text.ends_with(' ') && !text.trim_start().is_empty());
        let fence = |f: &mut fmt::Formatter<'_>| (0..=longest).try_for_each(|_| f.write_char('`'));
        fence(f)?;
        if pad {
            f.write_char(' ')?;
        }
        let mut copied = 0;
        for (index, c) in text.char_indices() {
            let replacement = match c {
                '\n' | '\r' => " ",
                '|' if place == Place::Cell => "\\|",
                _ => continue,
            };
            f.write_str(&text[copied..index])?;
            f.write_str(replacement)?;
            copied = index + c.len_utf8();
        }
        f.write_str(&text[copied..])?;
        if pad {
            f.write_char(' ')?;
        }
        fence(f)
    }
}

/// A finding's message in a list item. Messages quote keys and values between backticks; each
/// quoted part becomes a code span and the rest is [`Text`], so the usual message reads as it
/// always has, while a value holding backticks only shifts which parts are which: every part is
/// escaped for where it lands either way.
pub struct Message<'a>(pub &'a str);

impl Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, part) in self.0.split('`').enumerate() {
            if index % 2 == 0 {
                Text(part).fmt(f)?;
            } else {
                Code(part, Place::Inline).fmt(f)?;
            }
        }
        Ok(())
    }
}

/// A slice label of a Mermaid pie chart, written between double quotes. Mermaid's grammar ends
/// the label at `"` and the line at a line break, reads `%%` as a comment or directive and
/// `#…;` as an entity anywhere in the diagram, and a backtick fence could end the Markdown code
/// block; so only letters, digits, spaces and `-_./,+():'` are kept, `"` becomes `'` and any
/// other character `_`. Workflow ids, what the labels are, never need more.
pub struct MermaidLabel<'a>(pub &'a str);

impl Display for MermaidLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut copied = 0;
        for (index, c) in text.char_indices() {
            let replacement = match c {
                c if c.is_alphanumeric() || " -_./,+():'".contains(c) => continue,
                '"' => '\'',
                _ => '_',
            };
            f.write_str(&text[copied..index])?;
            f.write_char(replacement)?;
            copied = index + c.len_utf8();
        }
        f.write_str(&text[copied..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "x` <img src=q> [Approve](https://evil.example) @octocat `y";

    #[test]
    fn text_escapes_every_inline_construct() {
        assert_eq!(
            Text("plain, café: 5.4 % $4,696.33 (x)").to_string(),
            "plain, café: 5.4 % $4,696.33 (x)"
        );
        assert_eq!(
            Text(HOSTILE).to_string(),
            "x\\` &lt;img src=q&gt; \\[Approve\\](https:&#8203;//evil.example) @&#8203;octocat \\`y"
        );
        assert_eq!(
            Text("*a* _b_ ~c~ \\d |e| #1 a&amp;b $x$ $$y$$ $`z`$").to_string(),
            "\\*a\\* \\_b\\_ \\~c\\~ \\\\d \\|e\\| #&#8203;1 a&amp;amp;b \\$x\\$ \\$\\$y\\$\\$ \\$\\`z\\`\\$"
        );
        assert_eq!(
            Text("www.evil.example WWW.x a@b.example\nnext\rline").to_string(),
            "www&#8203;.evil.example WWW&#8203;.x a@&#8203;b.example next line"
        );
    }

    #[test]
    fn code_spans_cannot_be_closed_by_their_content() {
        assert_eq!(
            Code("shop/product-hero", Place::Cell).to_string(),
            "`shop/product-hero`"
        );
        assert_eq!(Code("a`b", Place::Inline).to_string(), "``a`b``");
        assert_eq!(Code("`a``", Place::Inline).to_string(), "``` `a`` ```");
        assert_eq!(Code(" a ", Place::Inline).to_string(), "`  a  `");
        assert_eq!(Code(" a", Place::Inline).to_string(), "` a`");
        assert_eq!(Code("   ", Place::Inline).to_string(), "`   `");
        assert_eq!(Code("", Place::Inline).to_string(), "` `");
        assert_eq!(Code("a\nb\r", Place::Inline).to_string(), "`a b `");
        assert_eq!(Code("a|b", Place::Inline).to_string(), "`a|b`");
        assert_eq!(Code("a|b\\|c", Place::Cell).to_string(), "`a\\|b\\\\|c`");
        assert_eq!(
            Code(HOSTILE, Place::Inline).to_string(),
            "``x` <img src=q> [Approve](https://evil.example) @octocat `y``"
        );
    }

    #[test]
    fn messages_keep_their_quotes_as_code_and_escape_the_rest() {
        assert_eq!(
            Message("quality `high` is not allowed by policy `renderers`").to_string(),
            "quality `high` is not allowed by policy `renderers`"
        );
        assert_eq!(
            Message(&format!("unknown key `{HOSTILE}` in `request`")).to_string(),
            "unknown key `x` &lt;img src=q&gt; \\[Approve\\](https:&#8203;//evil.example) @&#8203;octocat `y` in `request`"
        );
        assert_eq!(Message("odd `one").to_string(), "odd `one`");
        assert_eq!(Message("empty `` quote").to_string(), "empty ` ` quote");
    }

    /// The cells of a one-row table holding `cells`, as a CommonMark parser with GitHub's
    /// tables reads them (text and code, zero-width spaces dropped).
    fn parsed_cells(cells: &[String]) -> Vec<String> {
        use pulldown_cmark::{Event, Options, Parser, Tag};
        let header = "| a ".repeat(cells.len()) + "|\n" + &"|:--".repeat(cells.len()) + "|\n";
        let row = format!("| {} |\n", cells.join(" | "));
        let mut parsed = Vec::new();
        let mut in_body = false;
        for event in Parser::new_ext(&(header + &row), Options::ENABLE_TABLES) {
            match event {
                Event::End(pulldown_cmark::TagEnd::TableHead) => in_body = true,
                Event::Start(Tag::TableCell) if in_body => parsed.push(String::new()),
                Event::Text(t) | Event::Code(t) if in_body => {
                    parsed
                        .last_mut()
                        .expect("a cell")
                        .push_str(&t.replace('\u{200b}', ""));
                }
                _ => {}
            }
        }
        parsed
    }

    #[test]
    fn a_real_parser_reads_cells_as_written() {
        for value in ["a|b", "a\\|b", "a\\\\|b|", "`|`", "x` | y\\", "|", HOSTILE] {
            let cells = [
                Code(value, Place::Cell).to_string(),
                Text(value).to_string(),
            ];
            assert_eq!(parsed_cells(&cells), [value, value], "{cells:?}");
        }
    }

    #[test]
    fn mermaid_labels_keep_ids_and_replace_the_rest() {
        assert_eq!(
            MermaidLabel("shop/product-hero_2.x").to_string(),
            "shop/product-hero_2.x"
        );
        assert_eq!(
            MermaidLabel("a\"b\nc%%{init}%% #quot; ```<br>").to_string(),
            "a'b_c___init___ _quot_ ____br_"
        );
    }
}
