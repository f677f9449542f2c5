//! Decoding a response body: `Content-Encoding` (bytes -> bytes) and charsets (bytes -> text).
//!
//! Content decoders are incremental so that streamed bodies are decoded chunk by chunk as they
//! arrive; `iter_raw()` bypasses them. They also work in bounded steps: however much a chunk
//! expands (a decompression bomb), one step writes at most `DECODE_STEP` bytes and keeps the
//! rest of its input for the next step. Two ways to drive a `ContentDecoder`:
//!
//! - pull, with bounded memory: `feed(chunk)`, then `next_piece()` until it gives `None`, then
//!   the next chunk; at the end of the body `feed_end()`, then `next_piece()` until `None`
//!   (`is_finished()` tells the end of the body from a wait for more input). Each piece is at
//!   most `DECODE_STEP` bytes (identity: the fed chunk as is).
//! - push: `decode(chunk)` returns all that the chunk decodes to and `finish()` all that is
//!   left at the end of the body (unbounded, gathered from bounded steps).
//!
//! Behaviour, as httpx 0.28.1 (with the `brotli` and `zstandard` packages):
//! - `Content-Encoding` lists codings in the order they were applied, so they are decoded in
//!   reverse; names are case-insensitive; `identity` and unknown codings are skipped, so a body
//!   with no known coding passes through as is.
//! - deflate is zlib-wrapped (RFC 1950) or raw (RFC 1951), told apart by the first two bytes.
//! - a gzip, deflate or br stream cut short ends the body without error (zlib's `flush()` and
//!   brotli's `process()` don't complain); a zstd stream cut short inside a frame is an error.
//! - data after the end of the stream: ignored for gzip and deflate (zlib's `unused_data`), an
//!   error for br; for zstd it must be more frames (skippable ones included).
//! - corrupt data is a `DecodingError`, however it is read.
//!
//! Two deliberate differences:
//! - at most `MAX_CODINGS` stacked codings, as curl, urllib3 and undici: a header naming
//!   thousands would otherwise make as many decoders (tens of KiB each) for a small body. More
//!   is a `DecodingError` (from the first byte of the body; an empty body is fine). httpx has
//!   no limit.
//! - a gzip body of several members (RFC 1952 2.2; what `cat a.gz b.gz` makes, or a server that
//!   gzips chunk by chunk) decodes all of them, as urllib3/requests and Go do, where httpx
//!   silently keeps the first member only. What follows the first member and is not a valid
//!   member is ignored, so we never fail where httpx succeeds.

use crate::errors::{ErrorKind, HttpError};
use crate::models::headers::HeaderList;
use std::collections::VecDeque;
use std::fmt::Display;

mod bounded;
mod brotli;
mod deflate;
mod gzip;
mod zstd;

pub use self::bounded::{check_size, too_large, BoundedBody};
use self::brotli::Brotli;
use self::zstd::Zstd;
use deflate::Deflate;
use gzip::{GzPart, Gzip};

/// What we can decode, advertised in `Accept-Encoding`.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// The most decoded bytes that one step writes: the size limit of a `next_piece()`, and of
/// what one stage of stacked codings hands to the next at a time.
pub const DECODE_STEP: usize = 1 << 20;

/// A step's first output buffer; it doubles, up to the step's limit, while output keeps coming.
pub(crate) const FIRST_GRAB: usize = 32 * 1024;

/// The most codings (other than identity and unknown ones) that one body may stack.
pub const MAX_CODINGS: usize = 5;

/// Decode every member of a multi-member gzip body (httpx decodes the first one only).
pub(crate) const GZIP_ALL_MEMBERS: bool = true;

pub(crate) fn decoding_error(coding: &str, detail: impl Display) -> HttpError {
    HttpError::new(
        ErrorKind::DecodingError,
        format!("Failed to decode response body ({coding}): {detail}"),
    )
}

/// A streaming content decoder for one response body.
pub struct ContentDecoder {
    /// One per known coding, in decoding order (the last applied coding first). None: the
    /// body passes through undecoded.
    stages: Vec<Stage>,
    /// Identity only: fed chunks not handed out yet.
    passthrough: VecDeque<Vec<u8>>,
    /// `feed_end()` was called.
    ended: bool,
    /// The most bytes a step writes (`DECODE_STEP` unless set otherwise).
    step: usize,
    /// Too many codings: the error for the first byte of the body (an empty body is fine).
    refused: Option<HttpError>,
    /// A non-empty chunk was fed while `refused`.
    refused_data: bool,
}

impl ContentDecoder {
    /// From the response's `Content-Encoding` values; unknown codings are passed through, as
    /// httpx does.
    pub fn for_headers(headers: &HeaderList) -> ContentDecoder {
        let values = headers.get_all("content-encoding");
        let codings = || {
            values
                .iter()
                .flat_map(|value| value.split(','))
                .map(str::trim)
                .filter(|coding| Codec::is_known(coding))
        };
        let mut decoder = ContentDecoder {
            stages: Vec::new(),
            passthrough: VecDeque::new(),
            ended: false,
            step: DECODE_STEP,
            refused: None,
            refused_data: false,
        };
        // Counted before any decoder is made.
        let count = codings().count();
        if count > MAX_CODINGS {
            decoder.refused = Some(HttpError::new(
                ErrorKind::DecodingError,
                format!("Too many content encodings in the chain: {count} > {MAX_CODINGS}"),
            ));
        } else {
            decoder.stages = codings().filter_map(Codec::named).map(Stage::new).collect();
            decoder.stages.reverse();
        }
        decoder
    }

    /// No coding to undo: the body is handed out as it comes.
    pub fn is_identity(&self) -> bool {
        self.stages.is_empty() && self.refused.is_none()
    }

    /// The refusal of too many codings, once there is data to decode.
    fn check_refused(&self) -> Result<(), HttpError> {
        match &self.refused {
            Some(err) if self.refused_data => Err(err.clone()),
            _ => Ok(()),
        }
    }

    /// The most bytes one step writes (at least 1); `DECODE_STEP` by default.
    pub fn set_step_limit(&mut self, limit: usize) {
        self.step = limit.max(1);
    }

    /// Queue a chunk of the (encoded) body; `next_piece()` decodes it. For bounded memory, pull
    /// until `None` before feeding the next chunk.
    pub fn feed(&mut self, data: &[u8]) {
        match self.stages.first_mut() {
            Some(stage) => stage.feed(data),
            None if data.is_empty() => {}
            None if self.refused.is_some() => self.refused_data = true,
            None => self.passthrough.push_back(data.to_vec()),
        }
    }

    /// `feed` for a chunk the caller owns (no copy when it can be kept as is).
    pub fn feed_owned(&mut self, data: Vec<u8>) {
        match self.stages.first_mut() {
            Some(stage) => stage.feed_vec(data),
            None if data.is_empty() => {}
            None if self.refused.is_some() => self.refused_data = true,
            None => self.passthrough.push_back(data),
        }
    }

    /// The body has ended: nothing more will be fed.
    pub fn feed_end(&mut self) {
        self.ended = true;
        if let Some(stage) = self.stages.first_mut() {
            stage.ended = true;
        }
    }

    /// The next piece of the decoded body, at most the step limit long (identity: a fed chunk
    /// as is). `None`: nothing more until more is fed, or, once `is_finished()`, the end.
    pub fn next_piece(&mut self) -> Result<Option<Vec<u8>>, HttpError> {
        self.check_refused()?;
        if self.stages.is_empty() {
            return Ok(self.passthrough.pop_front());
        }
        let mut out = Vec::new();
        pull_into(&mut self.stages, &mut out, self.step, self.step)?;
        Ok(if out.is_empty() { None } else { Some(out) })
    }

    /// After `feed_end()`: every decoded byte has been handed out and the streams checked. It
    /// may turn true as the last piece is handed out: the end of the body is `next_piece()`
    /// giving `None` while `is_finished()`.
    pub fn is_finished(&self) -> bool {
        match self.stages.last() {
            Some(stage) => stage.done,
            None => self.ended && self.passthrough.is_empty(),
        }
    }

    /// All that `data` decodes to (with what earlier chunks left pending).
    pub fn decode(&mut self, data: &[u8]) -> Result<Vec<u8>, HttpError> {
        if self.is_identity() && self.passthrough.is_empty() {
            return Ok(data.to_vec());
        }
        self.feed(data);
        self.drain()
    }

    /// End of body: all that the decoders still hold, once the streams are checked.
    pub fn finish(&mut self) -> Result<Vec<u8>, HttpError> {
        self.feed_end();
        self.drain()
    }

    fn drain(&mut self) -> Result<Vec<u8>, HttpError> {
        self.check_refused()?;
        if self.stages.is_empty() {
            return Ok(self.passthrough.drain(..).flatten().collect());
        }
        let mut out = Vec::new();
        while pull_into(&mut self.stages, &mut out, self.step, self.step)? > 0 {}
        Ok(out)
    }

    /// Decode a whole body at once.
    pub fn decode_all(headers: &HeaderList, body: &[u8]) -> Result<Vec<u8>, HttpError> {
        Self::decode_all_limited(headers, body, None)
    }

    /// Decode a whole body at once; with `max_output`, a decoded body longer than that is a
    /// `DecodingError`, raised before more than `max_output + 1` bytes are written.
    pub fn decode_all_limited(
        headers: &HeaderList,
        body: &[u8],
        max_output: Option<usize>,
    ) -> Result<Vec<u8>, HttpError> {
        let mut decoder = Self::for_headers(headers);
        let check = |len: usize| match max_output {
            Some(max) if len > max => Err(HttpError::new(
                ErrorKind::DecodingError,
                format!("Decoded response body exceeds the limit of {max} bytes"),
            )),
            _ => Ok(()),
        };
        if decoder.is_identity() {
            check(body.len())?;
            return Ok(body.to_vec());
        }
        decoder.feed(body);
        decoder.feed_end();
        decoder.check_refused()?;
        let step = decoder.step;
        let mut out = Vec::new();
        loop {
            let limit = match max_output {
                // Room for one byte past the limit, to tell "exactly the limit" from "more".
                Some(max) => step.min(max.saturating_sub(out.len()).saturating_add(1)),
                None => step,
            };
            let written = pull_into(&mut decoder.stages, &mut out, limit, step)?;
            check(out.len())?;
            if written == 0 {
                return Ok(out);
            }
        }
    }

    /// Encoded bytes held, not decoded yet (tests: memory stays bounded).
    #[cfg(test)]
    fn buffered(&self) -> usize {
        self.stages.iter().map(|s| s.input.len()).sum()
    }
}

/// Append to `out` at most `limit` bytes decoded by the last of `stages`, pulling from the
/// ones before it in pieces of at most `step` bytes. 0: every stage waits for more input, or
/// the last one is done.
fn pull_into(
    stages: &mut [Stage],
    out: &mut Vec<u8>,
    limit: usize,
    step: usize,
) -> Result<usize, HttpError> {
    let Some((last, upstream)) = stages.split_last_mut() else {
        return Ok(0);
    };
    loop {
        let written = last.pull_into(out, limit)?;
        if written > 0 || last.done || last.ended || upstream.is_empty() {
            return Ok(written);
        }
        let mut piece = Vec::new();
        pull_into(upstream, &mut piece, step, step)?;
        if !piece.is_empty() {
            last.feed_vec(piece);
        } else if upstream.last().is_some_and(|s| s.done) {
            last.ended = true;
        } else {
            return Ok(0);
        }
    }
}

/// One coding to undo, with the input it has not decoded yet.
struct Stage {
    codec: Codec,
    input: Vec<u8>,
    /// How much of `input` the codec has taken.
    pos: usize,
    /// No more input will come.
    ended: bool,
    /// Ended, all decoded and handed out, and the stream checked.
    done: bool,
}

impl Stage {
    fn new(codec: Codec) -> Stage {
        Stage {
            codec,
            input: Vec::new(),
            pos: 0,
            ended: false,
            done: false,
        }
    }

    fn feed(&mut self, data: &[u8]) {
        if self.pos > 0 {
            self.input.drain(..self.pos);
            self.pos = 0;
        }
        self.input.extend_from_slice(data);
    }

    fn feed_vec(&mut self, data: Vec<u8>) {
        if self.pos == self.input.len() {
            self.input = data;
            self.pos = 0;
        } else {
            self.feed(&data);
        }
    }

    /// Append at most `limit` decoded bytes to `out`; the number appended.
    fn pull_into(&mut self, out: &mut Vec<u8>, limit: usize) -> Result<usize, HttpError> {
        let start = out.len();
        while !self.done {
            let written = out.len() - start;
            if written >= limit {
                break;
            }
            let grab = (limit - written).min(written.max(FIRST_GRAB));
            let len = out.len();
            if len + grab > out.capacity() {
                // A fresh piece never holds more than `limit`; a growing whole body grows
                // geometrically.
                let target = if start == 0 {
                    len + grab
                } else {
                    (len + grab).max(out.capacity() * 2)
                };
                out.reserve_exact(target - len);
            }
            out.resize(len + grab, 0);
            let result = self.codec.run(&self.input[self.pos..], &mut out[len..]);
            let (used, produced) = match result {
                Ok(counts) => counts,
                Err(err) => {
                    out.truncate(len);
                    return Err(err);
                }
            };
            out.truncate(len + produced);
            self.pos += used;
            if used == 0 && produced == 0 {
                // Stuck: the codec needs more input (or has none left to take).
                if self.ended {
                    self.codec.finish()?;
                    self.done = true;
                    self.input = Vec::new();
                    self.pos = 0;
                }
                break;
            }
        }
        if self.pos == self.input.len() {
            self.input.clear();
            self.pos = 0;
        }
        Ok(out.len() - start)
    }
}

enum Codec {
    Gzip(Box<Gzip>),
    Deflate(Deflate),
    Brotli(Brotli),
    Zstd(Zstd),
}

impl Codec {
    /// A coding we decode (case-insensitive); not identity.
    fn is_known(coding: &str) -> bool {
        ["gzip", "x-gzip", "deflate", "br", "zstd"]
            .iter()
            .any(|known| coding.eq_ignore_ascii_case(known))
    }

    /// The decoder for a `Content-Encoding` token; None for identity and unknown codings.
    fn named(coding: &str) -> Option<Codec> {
        match coding.to_ascii_lowercase().as_str() {
            "gzip" | "x-gzip" => Some(Codec::Gzip(Box::default())),
            "deflate" => Some(Codec::Deflate(Deflate::Undecided)),
            "br" => Some(Codec::Brotli(Brotli::default())),
            "zstd" => Some(Codec::Zstd(Zstd::default())),
            _ => None,
        }
    }

    /// Decode from `input` into `output`: (bytes of input taken, bytes written). (0, 0) only
    /// when no progress is possible without more input (or after the end of the stream).
    fn run(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize), HttpError> {
        match self {
            Codec::Gzip(gzip) => gzip.run(input, output),
            Codec::Deflate(deflate) => deflate.run(input, output),
            Codec::Brotli(brotli) => brotli.run(input, output),
            Codec::Zstd(zstd) => zstd.run(input, output),
        }
    }

    /// The input has ended and all that could be decoded has been: is the stream acceptable?
    /// Stricter than httpx (whose zlib and brotli `flush()` accept it): a stream cut short
    /// is a `DecodingError`, not a silently partial body. An empty body is fine.
    fn finish(&mut self) -> Result<(), HttpError> {
        let (name, complete) = match self {
            Codec::Zstd(zstd) => return zstd.finish(),
            Codec::Gzip(gzip) => (
                "gzip",
                // After a whole first member, what follows is read leniently (see `run`).
                !gzip.seen_input
                    || !gzip.first_member
                    || matches!(gzip.part, GzPart::AfterMember | GzPart::Ignore),
            ),
            Codec::Deflate(deflate) => (
                "deflate",
                match deflate {
                    Deflate::Undecided => true,
                    Deflate::Stream { ended, .. } => *ended,
                },
            ),
            Codec::Brotli(brotli) => ("br", brotli.ended || brotli.state.is_none()),
        };
        if complete {
            Ok(())
        } else {
            Err(decoding_error(name, "the compressed stream was cut short"))
        }
    }
}

#[cfg(test)]
mod tests;
