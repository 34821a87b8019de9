//! The parser's view of a file's text: saphyr's `StrInput` with a shorter lookahead window.
//!
//! The loader ([`super::load`]) feeds every file through this. saphyr-parser 0.3.4 starts each
//! plain scalar (every key and most values) as `String::with_capacity(32)` and, after its first
//! character, reserves room for the input's whole lookahead window (`bufmaxlen`, 128 characters
//! for `StrInput`), so nearly every scalar is allocated twice and copied once: about 8 % of the
//! instructions of a large run. A `&str` input needs no window at all (every character is already
//! there), so reporting a window that fits in the first allocation changes nothing but that
//! reallocation; longer scalars grow as any `String` does. Everything else is `StrInput`'s own.

use saphyr_parser::StrInput;
use saphyr_parser::input::{Input, SkipTabs};

/// Lookahead window reported to the scanner: the scanner's first allocation for a plain scalar
/// (32 bytes) less the character it pushes before reserving the window.
const WINDOW: usize = 31;

/// A `&str` input whose lookahead window fits a plain scalar's first allocation.
pub struct TextInput<'a>(StrInput<'a>);

impl<'a> TextInput<'a> {
    pub fn new(text: &'a str) -> Self {
        Self(StrInput::new(text))
    }
}

/// Forwards trait methods to the wrapped `StrInput`, including those with default bodies that
/// `StrInput` overrides with faster ones.
macro_rules! forward {
    ($(fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*) => {
        $(
            #[inline]
            fn $name(&self $(, $arg: $ty)*) -> $ret {
                self.0.$name($($arg),*)
            }
        )*
    };
    ($(fn $name:ident(&mut self $(, $arg:ident: $ty:ty)*) $(-> $ret:ty)?;)*) => {
        $(
            #[inline]
            fn $name(&mut self $(, $arg: $ty)*) $(-> $ret)? {
                self.0.$name($($arg),*)
            }
        )*
    };
}

impl Input for TextInput<'_> {
    #[inline]
    fn bufmaxlen(&self) -> usize {
        WINDOW
    }

    forward! {
        fn buflen(&self) -> usize;
        fn buf_is_empty(&self) -> bool;
        fn peek(&self) -> char;
        fn peek_nth(&self, n: usize) -> char;
        fn peek_opt(&self) -> Option<char>;
        fn next_char_is(&self, c: char) -> bool;
        fn nth_char_is(&self, n: usize, c: char) -> bool;
        fn next_2_are(&self, c1: char, c2: char) -> bool;
        fn next_3_are(&self, c1: char, c2: char, c3: char) -> bool;
        fn next_is_document_indicator(&self) -> bool;
        fn next_is_document_start(&self) -> bool;
        fn next_is_document_end(&self) -> bool;
        fn next_can_be_plain_scalar(&self, in_flow: bool) -> bool;
        fn next_is_blank_or_break(&self) -> bool;
        fn next_is_blank_or_breakz(&self) -> bool;
        fn next_is_blank(&self) -> bool;
        fn next_is_break(&self) -> bool;
        fn next_is_breakz(&self) -> bool;
        fn next_is_z(&self) -> bool;
        fn next_is_flow(&self) -> bool;
        fn next_is_digit(&self) -> bool;
        fn next_is_alpha(&self) -> bool;
    }

    forward! {
        fn lookahead(&mut self, count: usize);
        fn raw_read_ch(&mut self) -> char;
        fn raw_read_non_breakz_ch(&mut self) -> Option<char>;
        fn skip(&mut self);
        fn skip_n(&mut self, count: usize);
        fn look_ch(&mut self) -> char;
        fn skip_ws_to_eol(&mut self, skip_tabs: SkipTabs) -> (usize, Result<SkipTabs, &'static str>);
        fn skip_while_non_breakz(&mut self) -> usize;
        fn skip_while_blank(&mut self) -> usize;
        fn fetch_while_is_alpha(&mut self, out: &mut String) -> usize;
        fn fetch_while_is_yaml_non_space(&mut self, out: &mut String) -> usize;
    }
}

#[cfg(test)]
mod tests {
    use saphyr_parser::{Event, Parser, ScanError, Span};

    use super::*;

    /// Events with their places, up to and including the first error (the parser repeats it).
    fn events<'a>(
        parser: impl Iterator<Item = Result<(Event<'a>, Span), ScanError>>,
    ) -> Vec<String> {
        let mut seen = Vec::new();
        for event in parser {
            match event {
                Ok((event, span)) => {
                    seen.push(format!(
                        "{event:?} {}..{}",
                        span.start.index(),
                        span.end.index()
                    ));
                }
                Err(error) => {
                    seen.push(format!("{} at {}", error.info(), error.marker().index()));
                    break;
                }
            }
        }
        seen
    }

    /// The shorter window must not change what the scanner reads: same events, same places, on
    /// scalars shorter and longer than the window, block scalars indented past it, and errors.
    #[test]
    fn reads_exactly_what_str_input_reads() {
        let long = "x".repeat(300);
        let deep = " ".repeat(40);
        let texts = [
            "a: 1\nb: [x, y, {c: d}]\n".to_owned(),
            format!("key: {long}\n{long}: value\nwrapped: {long}\n  {long} end\n"),
            format!("block: |\n{deep}line one\n{deep}{long}\nfolded: >-\n  a\n\n  b\n"),
            format!("{deep}nested:\n{deep}  plain with spaces and # not a comment#x\n"),
            "'single' : \"double \\u00e9\"\n? complex\n: value\n--- \nsecond: doc\n".to_owned(),
            format!("a: {long}\n\tb: tab\n"),
            "x: [1, 2\ny: -[\n".to_owned(),
            "é: ñ\n🦀: \"🦀\"\n".to_owned(),
        ];
        for text in &texts {
            assert_eq!(
                events(Parser::new(TextInput::new(text))),
                events(Parser::new_from_str(text)),
                "{text}"
            );
        }
    }
}
