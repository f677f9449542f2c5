//! A JSON reader for `Response.json()`'s fast path (`python_glue::json_loads`): it accepts only
//! what Python's `json.loads(bytes)` accepts *and* reads to the same value, and answers `None`
//! for everything else (any error, and what it leaves to Python on purpose: BOMs and UTF-16/32,
//! `NaN`/`Infinity`, lone surrogates, deep nesting), so that `json.loads` then runs and raises
//! or returns exactly as before. Its values are made by a [`Build`] (Python objects in
//! `python_glue`, a plain tree in the tests): parsing here, object making there.
//!
//! Why: `json.loads` of a ~2 KB document cost ~220k instructions, twice a whole sequential
//! GET; most of it is the C scanner's per-character work and its dict look-ups.

use std::borrow::Cow;

/// Makes the values. `None` from any method abandons the fast path.
pub trait Build {
    type Value;
    fn null(&mut self) -> Option<Self::Value>;
    fn boolean(&mut self, value: bool) -> Option<Self::Value>;
    /// An integer's text, as the grammar allows it (`-?(0|[1-9][0-9]*)`): Python's `int(text)`.
    fn int(&mut self, text: &str) -> Option<Self::Value>;
    /// A number with a fraction or an exponent: Python's `float(text)` (both correctly rounded).
    fn float(&mut self, value: f64) -> Option<Self::Value>;
    fn string(&mut self, text: &str) -> Option<Self::Value>;
    fn array(&mut self, items: Vec<Self::Value>) -> Option<Self::Value>;
    /// Members in document order; a repeated key keeps its first place and its last value
    /// (a dict's assignment).
    fn object(&mut self, members: Vec<(Cow<'_, str>, Self::Value)>) -> Option<Self::Value>;
}

/// Nesting deeper than this is left to Python (whose own limit is the recursion limit).
const MAX_DEPTH: usize = 200;

/// The value of `data` as `json.loads(data)` gives it, or `None` to let Python decide.
pub fn parse<B: Build>(data: &[u8], build: &mut B) -> Option<B::Value> {
    // `json.loads(bytes)` decodes UTF-8 unless a BOM or a NUL among the first bytes says
    // otherwise (`json.detect_encoding`): those documents are Python's.
    match data {
        [first, ..] if *first == 0 || *first >= 0x80 => return None,
        [_, 0, ..] => return None,
        _ => {}
    }
    let text = std::str::from_utf8(data).ok()?;
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        build,
    };
    reader.skip_space();
    let value = reader.value(0)?;
    reader.skip_space();
    (reader.at == reader.bytes.len()).then_some(value)
}

struct Reader<'t, 'b, B: Build> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    build: &'b mut B,
}

impl<'t, B: Build> Reader<'t, '_, B> {
    /// JSON's whitespace (and Python's: `[ \t\n\r]`).
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn eat(&mut self, word: &[u8]) -> Option<()> {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            Some(())
        } else {
            None
        }
    }

    fn value(&mut self, depth: usize) -> Option<B::Value> {
        match *self.bytes.get(self.at)? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => {
                let text = self.string()?;
                self.build.string(&text)
            }
            b't' => self.eat(b"true").and_then(|()| self.build.boolean(true)),
            b'f' => self.eat(b"false").and_then(|()| self.build.boolean(false)),
            b'n' => self.eat(b"null").and_then(|()| self.build.null()),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// At an opening `[` or `{`: steps over it and the spaces after it; true when `close`
    /// follows at once (an empty container).
    fn open(&mut self, close: u8, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.at += 1;
        self.skip_space();
        let empty = self.bytes.get(self.at) == Some(&close);
        if empty {
            self.at += 1;
        }
        Some(empty)
    }

    /// After an item: `,` (another follows: false) or `close` (the end: true).
    fn item_end(&mut self, close: u8) -> Option<bool> {
        self.skip_space();
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        match b {
            b',' => Some(false),
            _ if b == close => Some(true),
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<B::Value> {
        let mut items = Vec::new();
        if !self.open(b']', depth)? {
            loop {
                self.skip_space();
                items.push(self.value(depth)?);
                if self.item_end(b']')? {
                    break;
                }
            }
        }
        self.build.array(items)
    }

    fn object(&mut self, depth: usize) -> Option<B::Value> {
        let mut members = Vec::new();
        if !self.open(b'}', depth)? {
            loop {
                self.skip_space();
                if self.bytes.get(self.at) != Some(&b'"') {
                    return None;
                }
                let key = self.string()?;
                self.skip_space();
                if self.bytes.get(self.at) != Some(&b':') {
                    return None;
                }
                self.at += 1;
                self.skip_space();
                members.push((key, self.value(depth)?));
                if self.item_end(b'}')? {
                    break;
                }
            }
        }
        self.build.object(members)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, Python's `NUMBER_RE`.
    fn number(&mut self) -> Option<B::Value> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while let Some(b'0'..=b'9') = r.bytes.get(r.at) {
                r.at += 1;
            }
            r.at > from
        };
        if self.bytes[self.at] == b'-' {
            self.at += 1;
        }
        match self.bytes.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            // `-Infinity`, or no number: Python's.
            _ => return None,
        }
        let mut is_float = false;
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if !digits(self) {
                return None;
            }
            is_float = true;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if !digits(self) {
                return None;
            }
            is_float = true;
        }
        let text = &self.text[start..self.at];
        if is_float {
            let value = text.parse::<f64>().ok()?;
            self.build.float(value)
        } else {
            self.build.int(text)
        }
    }

    /// A string at `"`, its escapes resolved. Borrowed from the document when it has none.
    fn string(&mut self) -> Option<Cow<'t, str>> {
        self.at += 1;
        let start = self.at;
        // The plain run: no escape, no end, no control character (Python's strict mode
        // refuses those raw; so do we, by leaving them to it).
        let run = self.bytes[start..]
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        self.at = start + run;
        match self.bytes[self.at] {
            b'"' => {
                self.at += 1;
                return Some(Cow::Borrowed(&self.text[start..self.at - 1]));
            }
            b'\\' => {}
            _ => return None,
        }
        let mut out = String::from(&self.text[start..self.at]);
        loop {
            let b = *self.bytes.get(self.at)?;
            match b {
                b'"' => {
                    self.at += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    let escape = *self.bytes.get(self.at + 1)?;
                    self.at += 2;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => {
                    // One whole character (the text is valid UTF-8).
                    let c = self.text[self.at..].chars().next()?;
                    out.push(c);
                    self.at += c.len_utf8();
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at..self.at + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// After `\u`: a character, or a surrogate pair's; a lone surrogate (which Python keeps
    /// in its `str`, and Rust cannot) is left to Python.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) {
            self.eat(b"\\u")?;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return None;
            }
            return char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00));
        }
        char::from_u32(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain tree, printed the way the tests compare it.
    #[derive(Debug, PartialEq)]
    enum V {
        Null,
        Bool(bool),
        Int(String),
        Float(f64),
        Str(String),
        List(Vec<V>),
        Dict(Vec<(String, V)>),
    }

    struct Tree;

    impl Build for Tree {
        type Value = V;
        fn null(&mut self) -> Option<V> {
            Some(V::Null)
        }
        fn boolean(&mut self, value: bool) -> Option<V> {
            Some(V::Bool(value))
        }
        fn int(&mut self, text: &str) -> Option<V> {
            Some(V::Int(text.to_owned()))
        }
        fn float(&mut self, value: f64) -> Option<V> {
            Some(V::Float(value))
        }
        fn string(&mut self, text: &str) -> Option<V> {
            Some(V::Str(text.to_owned()))
        }
        fn array(&mut self, items: Vec<V>) -> Option<V> {
            Some(V::List(items))
        }
        fn object(&mut self, members: Vec<(Cow<'_, str>, V)>) -> Option<V> {
            Some(V::Dict(
                members
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v))
                    .collect(),
            ))
        }
    }

    fn read(text: &str) -> Option<V> {
        parse(text.as_bytes(), &mut Tree)
    }

    #[test]
    fn reads_documents() {
        use V::*;
        assert_eq!(
            read(" {\"a\": [1, -0, 2.5, 1e3, true, false, null, \"x\"], \"b\": {}}\r\n"),
            Some(Dict(vec![
                (
                    "a".into(),
                    List(vec![
                        Int("1".into()),
                        Int("-0".into()),
                        Float(2.5),
                        Float(1000.0),
                        Bool(true),
                        Bool(false),
                        Null,
                        Str("x".into())
                    ])
                ),
                ("b".into(), Dict(vec![])),
            ]))
        );
        assert_eq!(read("[]"), Some(List(vec![])));
        assert_eq!(read("\"\""), Some(Str(String::new())));
        assert_eq!(
            read("12345678901234567890123"),
            Some(Int("12345678901234567890123".into()))
        );
        assert_eq!(read("1E400"), Some(Float(f64::INFINITY)));
        assert_eq!(read("-1.5e-3"), Some(Float(-0.0015)));
    }

    #[test]
    fn resolves_escapes() {
        assert_eq!(
            read(r#""a\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00é""#),
            Some(V::Str("a\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1F600}é".into()))
        );
    }

    #[test]
    fn leaves_to_python_what_it_does_not_read_the_same() {
        for text in [
            "",
            " ",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "{1: 2}",
            "01",
            "1.",
            ".5",
            "1e",
            "-",
            "+1",
            "NaN",
            "Infinity",
            "-Infinity",
            "tru",
            "nul",
            "[1] x",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"a\tb\"",
            "\"unterminated",
            "\u{feff}{}",
            "[\u{a0}1]",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
        assert_eq!(parse(b"\x00{\x00}", &mut Tree), None);
        assert_eq!(parse(b"{\x00", &mut Tree), None);
        assert_eq!(parse(b"\"\xff\"", &mut Tree), None);
        assert_eq!(parse(b"\xef\xbb\xbf{}", &mut Tree), None);
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(read(&deep), None);
        let fine = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(read(&fine).is_some());
    }
}
