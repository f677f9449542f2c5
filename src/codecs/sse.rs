//! The `text/event-stream` parser (WHATWG HTML, "Server-sent events", 9.2.6), fed the body
//! chunk by chunk as it arrives: it keeps only the line in progress and the event being built,
//! never the whole body.
//!
//! The rules, as the spec states them:
//! - the stream is UTF-8 (invalid bytes become U+FFFD); one leading BOM is dropped;
//! - a line ends at `\r\n`, `\r` or `\n` (a `\r\n` split between two chunks is one line end);
//! - a blank line dispatches the event; a line starting with `:` is a comment;
//! - `name: value` (one space after the colon is dropped), or `name` alone (empty value);
//! - `event` sets the type (default `message`), `data` lines are joined with `\n`, `id` sets
//!   the last event id unless it contains NUL, `retry` sets the reconnection time when it is
//!   all ASCII digits; other fields are ignored;
//! - an event whose data buffer is empty is not dispatched (its `id` and `retry` still count),
//!   and an event the stream ends before its blank line is discarded.
//!
//! One addition: `max_event_size` bounds the bytes one event may buffer (line in progress,
//! data, type), so a stream that never sends a line end cannot take all memory.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub event: String,
    pub data: String,
    /// The last event id when the event was dispatched (ids persist across events).
    pub id: String,
    /// The `retry` field of this event's block, if it had a valid one.
    pub retry: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTooLarge(pub usize);

impl std::fmt::Display for EventTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Server-sent event exceeded the {} byte limit.", self.0)
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Debug, Default)]
pub struct SseParser {
    max_event_size: Option<usize>,
    /// The line in progress (bytes: decoded once whole, as a line end is never inside a
    /// UTF-8 sequence).
    line: Vec<u8>,
    /// The last byte seen was `\r`: a `\n` right after it ends nothing more.
    after_cr: bool,
    /// No line has been completed yet (the BOM is looked for at the start of the first one).
    started: bool,
    event_type: String,
    data: String,
    /// The event has a data field (the spec's "data buffer is not empty").
    has_data: bool,
    id_buffer: String,
    retry_in_block: Option<u64>,
    /// The last event id of the event source: set when an event is dispatched.
    last_event_id: String,
    /// The reconnection time the stream asked for, in milliseconds.
    retry: Option<u64>,
}

impl SseParser {
    pub fn new(max_event_size: Option<usize>) -> Self {
        SseParser {
            max_event_size,
            ..SseParser::default()
        }
    }

    /// Continue an event source whose last event id was `id` (a stored `Last-Event-ID`).
    pub fn resume_from(&mut self, id: &str) {
        id.clone_into(&mut self.last_event_id);
        id.clone_into(&mut self.id_buffer);
    }

    /// The id a reconnection sends as `Last-Event-ID` (empty: none yet).
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// The last valid `retry` the stream sent (milliseconds).
    pub fn retry(&self) -> Option<u64> {
        self.retry
    }

    /// Feed the next chunk of the body; returns the events it completes.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<Event>, EventTooLarge> {
        let mut events = Vec::new();
        let mut rest = chunk;
        while !rest.is_empty() {
            if self.after_cr {
                self.after_cr = false;
                if rest[0] == b'\n' {
                    rest = &rest[1..];
                    continue;
                }
            }
            match rest.iter().position(|&b| b == b'\r' || b == b'\n') {
                Some(end) => {
                    self.line.extend_from_slice(&rest[..end]);
                    self.after_cr = rest[end] == b'\r';
                    rest = &rest[end + 1..];
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.process_line(&line) {
                        events.push(event);
                    }
                }
                None => {
                    self.line.extend_from_slice(rest);
                    rest = &[];
                }
            }
            self.check_size()?;
        }
        Ok(events)
    }

    /// The end of the body: an event not closed by a blank line is discarded (as the spec
    /// says); the parser is ready for a new connection's stream.
    pub fn finish(&mut self) {
        self.line.clear();
        self.after_cr = false;
        self.started = false;
        self.event_type.clear();
        self.data.clear();
        self.has_data = false;
        self.retry_in_block = None;
        // The id buffer was set by lines that did complete: it stays, as the spec keeps it.
        self.id_buffer.clone_from(&self.last_event_id);
    }

    fn check_size(&self) -> Result<(), EventTooLarge> {
        match self.max_event_size {
            Some(max) if self.line.len() + self.data.len() + self.event_type.len() > max => {
                Err(EventTooLarge(max))
            }
            _ => Ok(()),
        }
    }

    fn process_line(&mut self, line: &[u8]) -> Option<Event> {
        let mut line = line;
        if !self.started {
            self.started = true;
            line = line.strip_prefix(BOM).unwrap_or(line);
        }
        if line.is_empty() {
            return self.dispatch();
        }
        if line[0] == b':' {
            return None;
        }
        let line = String::from_utf8_lossy(line);
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match name {
            "event" => value.clone_into(&mut self.event_type),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => value.clone_into(&mut self.id_buffer),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // All digits but too large for u64: ignored, as an invalid value.
                if let Ok(ms) = value.parse::<u64>() {
                    self.retry = Some(ms);
                    self.retry_in_block = Some(ms);
                }
            }
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<Event> {
        self.last_event_id.clone_from(&self.id_buffer);
        let retry = self.retry_in_block.take();
        let event_type = std::mem::take(&mut self.event_type);
        if !std::mem::take(&mut self.has_data) {
            return None;
        }
        Some(Event {
            event: if event_type.is_empty() {
                "message".to_owned()
            } else {
                event_type
            },
            data: std::mem::take(&mut self.data),
            id: self.last_event_id.clone(),
            retry,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_chunks(chunks: &[&[u8]]) -> Vec<Event> {
        let mut p = SseParser::new(None);
        let mut out = Vec::new();
        for c in chunks {
            out.extend(p.feed(c).unwrap());
        }
        p.finish();
        out
    }

    fn parse(body: &str) -> Vec<Event> {
        parse_chunks(&[body.as_bytes()])
    }

    fn ev(event: &str, data: &str, id: &str, retry: Option<u64>) -> Event {
        Event {
            event: event.into(),
            data: data.into(),
            id: id.into(),
            retry,
        }
    }

    #[test]
    fn simple_and_typed_events() {
        assert_eq!(
            parse("data: a\n\nevent: add\ndata: b\n\n"),
            vec![ev("message", "a", "", None), ev("add", "b", "", None)]
        );
    }

    #[test]
    fn multiline_data_joined_with_newline() {
        assert_eq!(
            parse("data: one\ndata: two\ndata\ndata:three\n\n"),
            vec![ev("message", "one\ntwo\n\nthree", "", None)]
        );
    }

    #[test]
    fn only_one_leading_space_is_removed() {
        assert_eq!(parse("data:  x \n\n")[0].data, " x ");
        assert_eq!(parse("data:x:y\n\n")[0].data, "x:y");
    }

    #[test]
    fn comments_and_unknown_fields_are_ignored() {
        assert_eq!(
            parse(": hello\nfoo: bar\ndata: x\n:another\n\n"),
            vec![ev("message", "x", "", None)]
        );
    }

    #[test]
    fn all_line_ends() {
        let want = vec![ev("message", "a", "", None), ev("message", "b", "", None)];
        assert_eq!(parse("data: a\r\n\r\ndata: b\r\n\r\n"), want);
        assert_eq!(parse("data: a\r\rdata: b\r\r"), want);
        assert_eq!(parse("data: a\n\ndata: b\n\n"), want);
        assert_eq!(parse("data: a\r\n\rdata: b\n\r\n"), want);
    }

    #[test]
    fn crlf_split_across_chunks_is_one_line_end() {
        // Were the `\n` a second line end, the blank line would dispatch "a" early.
        let events = parse_chunks(&[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]);
        assert_eq!(events, vec![ev("message", "a\nb", "", None)]);
    }

    #[test]
    fn any_split_gives_the_same_events() {
        let body = b"\xEF\xBB\xBFid: 1\r\ndata: h\xC3\xA9\r\n\r\nevent: e\rdata: x\r\rretry: 5\ndata: y\n\n";
        let whole = parse_chunks(&[body]);
        assert_eq!(
            whole,
            vec![
                ev("message", "hé", "1", None),
                ev("e", "x", "1", None),
                ev("message", "y", "1", Some(5)),
            ]
        );
        for i in 0..=body.len() {
            for j in i..=body.len() {
                let parts = [&body[..i], &body[i..j], &body[j..]];
                assert_eq!(parse_chunks(&parts), whole, "split at {i}, {j}");
            }
        }
    }

    #[test]
    fn leading_bom_is_stripped_once() {
        let events = parse_chunks(&[b"\xEF\xBB", b"\xBFdata: a\n\n\xEF\xBB\xBFdata: b\n\n"]);
        // A BOM later in the stream is part of the field name: an unknown field.
        assert_eq!(events, vec![ev("message", "a", "", None)]);
    }

    #[test]
    fn ids_persist_and_nul_ids_are_ignored() {
        let events = parse("id: 1\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid\ndata: d\n\n");
        let ids: Vec<_> = events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["1", "1", "1", ""]);
    }

    #[test]
    fn retry_only_when_all_digits() {
        let mut p = SseParser::new(None);
        let events = p
            .feed(b"retry: 100\ndata: a\n\nretry: 1.5\ndata: b\n\nretry: x\nretry:\ndata: c\n\n")
            .unwrap();
        let retries: Vec<_> = events.iter().map(|e| e.retry).collect();
        assert_eq!(retries, [Some(100), None, None]);
        assert_eq!(p.retry(), Some(100));
    }

    #[test]
    fn an_event_without_data_is_not_dispatched_but_its_id_counts() {
        let mut p = SseParser::new(None);
        assert_eq!(
            p.feed(b"id: 7\nevent: ping\nretry: 20\n\n").unwrap(),
            vec![]
        );
        assert_eq!(p.last_event_id(), "7");
        assert_eq!(p.retry(), Some(20));
        assert_eq!(
            p.feed(b"data: x\n\n").unwrap(),
            vec![ev("message", "x", "7", None)]
        );
    }

    #[test]
    fn unterminated_last_event_is_discarded() {
        assert_eq!(
            parse("data: a\n\ndata: b\n"),
            vec![ev("message", "a", "", None)]
        );
        assert_eq!(
            parse("data: a\n\ndata: b"),
            vec![ev("message", "a", "", None)]
        );
        let mut p = SseParser::new(None);
        p.feed(b"id: 1\ndata: a\n\nid: 2\ndata: b\n").unwrap();
        p.finish();
        // The discarded event's id was never dispatched: a reconnection resumes after 1.
        assert_eq!(p.last_event_id(), "1");
        // A new stream starts clean (its BOM is stripped too).
        assert_eq!(
            p.feed(b"\xEF\xBB\xBFdata: c\n\n").unwrap(),
            vec![ev("message", "c", "1", None)]
        );
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        assert_eq!(parse_chunks(&[b"data: \xFF\n\n"])[0].data, "\u{FFFD}");
    }

    #[test]
    fn max_event_size_bounds_what_is_buffered() {
        let mut p = SseParser::new(Some(16));
        assert!(p.feed(b"data: 0123456789\n\n").is_ok());
        let mut p = SseParser::new(Some(16));
        assert_eq!(p.feed(b"data: 0123456789abcdef"), Err(EventTooLarge(16)));
        let mut p = SseParser::new(Some(16));
        assert!(p.feed(b"data: 01234567\n").is_ok());
        assert_eq!(p.feed(b"data: 01234567\n"), Err(EventTooLarge(16)));
    }
}
