//! Splitting text into lines incrementally, as httpx's `LineDecoder` (`iter_lines`).

/// Incremental `str.splitlines()`, as httpx's LineDecoder: line endings removed, a "\r" at the
/// end of a chunk held back in case "\n" starts the next.
#[derive(Default)]
pub struct LineSplitter {
    buffer: String,
    trailing_cr: bool,
}

pub(crate) fn is_newline(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

pub(crate) fn splitlines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_newline(c) {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            lines.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

impl LineSplitter {
    pub fn feed(&mut self, text: &str) -> Vec<String> {
        let mut text = if self.trailing_cr {
            self.trailing_cr = false;
            format!("\r{text}")
        } else {
            text.to_owned()
        };
        if text.ends_with('\r') {
            self.trailing_cr = true;
            text.pop();
        }
        if text.is_empty() {
            return Vec::new();
        }
        let trailing_newline = text.chars().last().is_some_and(is_newline);
        let mut lines = splitlines(&text);
        if lines.len() == 1 && !trailing_newline {
            self.buffer.push_str(&lines[0]);
            return Vec::new();
        }
        if !self.buffer.is_empty() {
            let first = format!(
                "{}{}",
                std::mem::take(&mut self.buffer),
                lines.first().cloned().unwrap_or_default()
            );
            if lines.is_empty() {
                lines.push(first);
            } else {
                lines[0] = first;
            }
        }
        if !trailing_newline {
            self.buffer = lines.pop().unwrap_or_default();
        }
        lines
    }

    pub fn flush(&mut self) -> Vec<String> {
        if self.buffer.is_empty() && !self.trailing_cr {
            return Vec::new();
        }
        self.trailing_cr = false;
        vec![std::mem::take(&mut self.buffer)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_across_chunks() {
        let mut s = LineSplitter::default();
        let mut out = s.feed("a\r");
        out.extend(s.feed("\nb\nc"));
        out.extend(s.flush());
        assert_eq!(out, vec!["a", "b", "c"]);
    }
}
