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
use brotli_decompressor::{BrotliDecompressStream, BrotliResult, BrotliState, StandardAlloc};
use flate2::{Crc, Decompress, FlushDecompress, Status};
use std::collections::VecDeque;
use std::fmt::Display;
use zstd::stream::raw::{Decoder as ZstdDecoder, InBuffer, Operation, OutBuffer};

/// What we can decode, advertised in `Accept-Encoding`.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// The most decoded bytes that one step writes: the size limit of a `next_piece()`, and of
/// what one stage of stacked codings hands to the next at a time.
pub const DECODE_STEP: usize = 1 << 20;

/// A step's first output buffer; it doubles, up to the step's limit, while output keeps coming.
const FIRST_GRAB: usize = 32 * 1024;

/// The most codings (other than identity and unknown ones) that one body may stack.
pub const MAX_CODINGS: usize = 5;

/// Decode every member of a multi-member gzip body (httpx decodes the first one only).
const GZIP_ALL_MEMBERS: bool = true;

fn decoding_error(coding: &str, detail: impl Display) -> HttpError {
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

/// One step of a raw deflate or zlib stream: (taken, written, reached the end).
fn inflate_step(
    inflate: &mut Decompress,
    input: &[u8],
    output: &mut [u8],
) -> Result<(usize, usize, bool), String> {
    let (total_in, total_out) = (inflate.total_in(), inflate.total_out());
    let status = inflate
        .decompress(input, output, FlushDecompress::None)
        .map_err(|err| format!("invalid compressed data ({err})"))?;
    let used = usize::try_from(inflate.total_in() - total_in).unwrap_or(input.len());
    let written = usize::try_from(inflate.total_out() - total_out).unwrap_or(output.len());
    Ok((used, written, status == Status::StreamEnd))
}

/// RFC 1952: header, raw deflate data, CRC-32 and size of the data; possibly several members.
struct Gzip {
    part: GzPart,
    header: GzHeader,
    inflate: Decompress,
    crc: Crc,
    trailer: [u8; 8],
    trailer_len: usize,
    /// Still in the first member: errors are errors (later, they end the body quietly).
    first_member: bool,
    /// Any byte given yet (an empty body is a complete one).
    seen_input: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum GzPart {
    Header,
    Body,
    Trailer,
    /// Between members: another one, or the end.
    AfterMember,
    /// What follows the last member: ignored.
    Ignore,
}

impl Default for Gzip {
    fn default() -> Self {
        Gzip {
            part: GzPart::Header,
            header: GzHeader::default(),
            inflate: Decompress::new(false),
            crc: Crc::new(),
            trailer: [0; 8],
            trailer_len: 0,
            first_member: true,
            seen_input: false,
        }
    }
}

impl Gzip {
    fn run(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize), HttpError> {
        self.seen_input |= !input.is_empty();
        match self.step(input, output) {
            Ok(counts) => Ok(counts),
            Err(_) if !self.first_member => {
                self.part = GzPart::Ignore;
                Ok((input.len(), 0))
            }
            Err(detail) => Err(decoding_error("gzip", detail)),
        }
    }

    fn step(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize), String> {
        let mut used = 0;
        loop {
            let rest = &input[used..];
            match self.part {
                GzPart::Header => {
                    let (taken, complete) = self.header.parse(rest)?;
                    used += taken;
                    if !complete {
                        return Ok((used, 0));
                    }
                    self.part = GzPart::Body;
                    self.inflate.reset(false);
                    self.crc.reset();
                }
                GzPart::Body => {
                    let (taken, written, end) = inflate_step(&mut self.inflate, rest, output)?;
                    self.crc.update(&output[..written]);
                    used += taken;
                    if end {
                        self.part = GzPart::Trailer;
                        self.trailer_len = 0;
                    }
                    if written > 0 || !end {
                        return Ok((used, written));
                    }
                }
                GzPart::Trailer => {
                    let n = rest.len().min(8 - self.trailer_len);
                    self.trailer[self.trailer_len..self.trailer_len + n]
                        .copy_from_slice(&rest[..n]);
                    self.trailer_len += n;
                    used += n;
                    if self.trailer_len < 8 {
                        return Ok((used, 0));
                    }
                    let [c0, c1, c2, c3, s0, s1, s2, s3] = self.trailer;
                    if u32::from_le_bytes([c0, c1, c2, c3]) != self.crc.sum() {
                        return Err("incorrect data check".into());
                    }
                    if u32::from_le_bytes([s0, s1, s2, s3]) != self.crc.amount() {
                        return Err("incorrect length check".into());
                    }
                    self.part = GzPart::AfterMember;
                }
                GzPart::AfterMember => match rest.first() {
                    None => return Ok((used, 0)),
                    Some(0x1f) if GZIP_ALL_MEMBERS => {
                        self.first_member = false;
                        self.header = GzHeader::default();
                        self.part = GzPart::Header;
                    }
                    Some(_) => self.part = GzPart::Ignore,
                },
                GzPart::Ignore => return Ok((input.len(), 0)),
            }
        }
    }
}

/// A gzip member header, parsed as it arrives (its name and comment may be of any length).
#[derive(Default)]
struct GzHeader {
    part: HeaderPart,
    fixed: [u8; 10],
    /// Bytes of `fixed`, or of `pair`, gathered so far.
    len: usize,
    pair: [u8; 2],
    extra_left: usize,
    /// Over the header bytes so far, for the optional header CRC.
    crc: Crc,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum HeaderPart {
    #[default]
    Fixed,
    ExtraLen,
    Extra,
    Name,
    Comment,
    HeaderCrc,
    Done,
}

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;

impl GzHeader {
    /// The part after `part`, given the header's flags.
    fn after(&self, part: HeaderPart) -> HeaderPart {
        const ORDER: [(HeaderPart, u8); 4] = [
            (HeaderPart::ExtraLen, FEXTRA),
            (HeaderPart::Name, FNAME),
            (HeaderPart::Comment, FCOMMENT),
            (HeaderPart::HeaderCrc, FHCRC),
        ];
        let from = match part {
            HeaderPart::Fixed => 0,
            HeaderPart::ExtraLen | HeaderPart::Extra => 1,
            HeaderPart::Name => 2,
            HeaderPart::Comment => 3,
            HeaderPart::HeaderCrc | HeaderPart::Done => 4,
        };
        let flags = self.fixed[3];
        ORDER[from..]
            .iter()
            .find(|(_, bit)| flags & bit != 0)
            .map_or(HeaderPart::Done, |(next, _)| *next)
    }

    /// Take header bytes from `input`: (bytes taken, header complete). Errors as zlib's.
    fn parse(&mut self, input: &[u8]) -> Result<(usize, bool), String> {
        let mut used = 0;
        loop {
            let rest = &input[used..];
            if self.part == HeaderPart::Done {
                return Ok((used, true));
            }
            let Some(&byte) = rest.first() else {
                return Ok((used, false));
            };
            match self.part {
                HeaderPart::Fixed => {
                    match (self.len, byte) {
                        (0, b) if b != 0x1f => return Err("incorrect header check".into()),
                        (1, b) if b != 0x8b => return Err("incorrect header check".into()),
                        (2, b) if b != 8 => return Err("unknown compression method".into()),
                        (3, b) if b & 0xe0 != 0 => return Err("unknown header flags set".into()),
                        _ => {}
                    }
                    self.fixed[self.len] = byte;
                    self.len += 1;
                    self.crc.update(&[byte]);
                    used += 1;
                    if self.len == self.fixed.len() {
                        self.len = 0;
                        self.part = self.after(HeaderPart::Fixed);
                    }
                }
                HeaderPart::ExtraLen | HeaderPart::HeaderCrc => {
                    self.pair[self.len] = byte;
                    self.len += 1;
                    used += 1;
                    if self.part == HeaderPart::ExtraLen {
                        self.crc.update(&[byte]);
                    }
                    if self.len == 2 {
                        self.len = 0;
                        let value = u16::from_le_bytes(self.pair);
                        if self.part == HeaderPart::ExtraLen {
                            self.extra_left = usize::from(value);
                            self.part = if value == 0 {
                                self.after(HeaderPart::Extra)
                            } else {
                                HeaderPart::Extra
                            };
                        } else if u32::from(value) != self.crc.sum() & 0xffff {
                            return Err("header crc mismatch".into());
                        } else {
                            self.part = HeaderPart::Done;
                        }
                    }
                }
                HeaderPart::Extra => {
                    let n = rest.len().min(self.extra_left);
                    self.crc.update(&rest[..n]);
                    used += n;
                    self.extra_left -= n;
                    if self.extra_left == 0 {
                        self.part = self.after(HeaderPart::Extra);
                    }
                }
                HeaderPart::Name | HeaderPart::Comment => match rest.iter().position(|&b| b == 0) {
                    Some(end) => {
                        self.crc.update(&rest[..=end]);
                        used += end + 1;
                        self.part = self.after(self.part);
                    }
                    None => {
                        self.crc.update(rest);
                        used += rest.len();
                    }
                },
                HeaderPart::Done => {}
            }
        }
    }
}

/// Deflate as sent in the wild: zlib-wrapped (RFC 1950) or raw (RFC 1951), decided by the
/// first two bytes, as httpx tries one then the other.
enum Deflate {
    Undecided,
    Stream { inflate: Decompress, ended: bool },
}

/// A valid zlib header: deflate with a window of at most 32 KiB, and a correct check value.
fn is_zlib_header(cmf: u8, flg: u8) -> bool {
    cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(cmf) << 8 | u16::from(flg)) % 31 == 0
}

impl Deflate {
    fn run(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize), HttpError> {
        if let Deflate::Undecided = self {
            // Wait for two bytes (they stay in the stage's input until then).
            let [cmf, flg, ..] = *input else {
                return Ok((0, 0));
            };
            *self = Deflate::Stream {
                inflate: Decompress::new(is_zlib_header(cmf, flg)),
                ended: false,
            };
        }
        let Deflate::Stream { inflate, ended } = self else {
            return Ok((0, 0));
        };
        if *ended {
            // After the end of the stream: ignored, as zlib does.
            return Ok((input.len(), 0));
        }
        let (used, written, end) =
            inflate_step(inflate, input, output).map_err(|e| decoding_error("deflate", e))?;
        *ended = end;
        Ok((used, written))
    }
}

type BrotliDecoderState = BrotliState<StandardAlloc, StandardAlloc, StandardAlloc>;

/// RFC 7932, with the standard window (at most 16 MiB; no large-window extension).
#[derive(Default)]
struct Brotli {
    /// Made at the first byte, dropped at the end of the stream.
    state: Option<Box<BrotliDecoderState>>,
    ended: bool,
}

impl Brotli {
    fn run(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize), HttpError> {
        if self.ended {
            return if input.is_empty() {
                Ok((0, 0))
            } else {
                Err(decoding_error(
                    "br",
                    "unexpected data after the end of the stream",
                ))
            };
        }
        if input.is_empty() && self.state.is_none() {
            return Ok((0, 0));
        }
        let state = self.state.get_or_insert_with(|| {
            Box::new(BrotliState::new_strict(
                StandardAlloc::default(),
                StandardAlloc::default(),
                StandardAlloc::default(),
            ))
        });
        let (mut available_in, mut input_offset) = (input.len(), 0);
        let (mut available_out, mut output_offset, mut total_out) = (output.len(), 0, 0);
        let result = BrotliDecompressStream(
            &mut available_in,
            &mut input_offset,
            input,
            &mut available_out,
            &mut output_offset,
            output,
            &mut total_out,
            state,
        );
        match result {
            BrotliResult::ResultFailure => Err(decoding_error(
                "br",
                format!("invalid compressed data ({:?})", state.error_code),
            )),
            BrotliResult::ResultSuccess => {
                self.ended = true;
                self.state = None;
                if input_offset < input.len() {
                    return Err(decoding_error(
                        "br",
                        "unexpected data after the end of the stream",
                    ));
                }
                Ok((input_offset, output_offset))
            }
            BrotliResult::NeedsMoreInput | BrotliResult::NeedsMoreOutput => {
                Ok((input_offset, output_offset))
            }
        }
    }
}

/// RFC 8878: one or more frames.
#[derive(Default)]
struct Zstd {
    /// Made at the first byte.
    decoder: Option<ZstdDecoder<'static>>,
    /// A frame has begun and is not complete (or not all handed out).
    in_frame: bool,
}

impl Zstd {
    fn run(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize), HttpError> {
        if input.is_empty() && !self.in_frame {
            return Ok((0, 0));
        }
        let decoder = match &mut self.decoder {
            Some(decoder) => decoder,
            None => self
                .decoder
                .insert(ZstdDecoder::new().map_err(|e| decoding_error("zstd", e))?),
        };
        let mut src = InBuffer::around(input);
        let mut dst = OutBuffer::around(output);
        // 0: a frame just ended and is all written out; the next bytes start another.
        let hint = decoder
            .run(&mut src, &mut dst)
            .map_err(|e| decoding_error("zstd", e))?;
        let (used, written) = (src.pos(), dst.pos());
        self.in_frame = hint != 0 && (self.in_frame || used > 0);
        Ok((used, written))
    }

    fn finish(&mut self) -> Result<(), HttpError> {
        if self.in_frame {
            Err(decoding_error(
                "zstd",
                "incomplete data (the body ends inside a frame)",
            ))
        } else {
            Ok(())
        }
    }
}

/// The `charset` parameter of a Content-Type value, lower-cased, quotes removed.
pub fn charset_from_content_type(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        if key.trim().eq_ignore_ascii_case("charset") {
            let value = value.trim().trim_matches('"').trim_matches('\'').trim();
            if value.is_empty() {
                None
            } else {
                Some(value.to_ascii_lowercase())
            }
        } else {
            None
        }
    })
}

/// True for the spellings of UTF-8, which we decode in Rust; other charsets go through
/// Python's codecs so that the text is exactly what httpx produces.
pub fn is_utf8(encoding: &str) -> bool {
    matches!(
        encoding.to_ascii_lowercase().replace('_', "-").as_str(),
        "utf-8" | "utf8" | "u8" | "utf" | "cp65001"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};
    use flate2::{Compression, GzBuilder};
    use std::io::{Read, Write};

    fn headers(codings: &[&str]) -> HeaderList {
        let mut h = HeaderList::new();
        for coding in codings {
            h.push("Content-Encoding", coding);
        }
        h
    }

    fn sample(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| {
                b"The quick brown fox jumps over the lazy dog. 0123456789"[i % 55] ^ (i / 97) as u8
            })
            .collect()
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut enc = ZlibEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn raw_deflate(data: &[u8]) -> Vec<u8> {
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn br(data: &[u8]) -> Vec<u8> {
        let mut enc = brotli::CompressorWriter::new(Vec::new(), 4096, 5, 22);
        enc.write_all(data).unwrap();
        enc.into_inner()
    }

    fn zst(data: &[u8]) -> Vec<u8> {
        zstd::stream::encode_all(data, 3).unwrap()
    }

    type Encoder = fn(&[u8]) -> Vec<u8>;

    /// Every coding, with an encoder.
    fn encoders() -> Vec<(&'static str, Encoder)> {
        vec![
            ("gzip", gz),
            ("x-gzip", gz),
            ("GZIP", gz),
            ("deflate", zlib),
            ("deflate", raw_deflate),
            ("br", br),
            ("BR", br),
            ("zstd", zst),
        ]
    }

    /// Through the pull API: chunks fed one by one, pieces pulled until none; every piece
    /// within the step limit.
    fn pull(codings: &[&str], chunks: &[&[u8]], step: usize) -> Result<Vec<u8>, HttpError> {
        let mut d = ContentDecoder::for_headers(&headers(codings));
        d.set_step_limit(step);
        let mut out = Vec::new();
        let mut take = |d: &mut ContentDecoder| -> Result<(), HttpError> {
            while let Some(piece) = d.next_piece()? {
                assert!(!piece.is_empty());
                if !d.is_identity() {
                    assert!(piece.len() <= step, "{} > {step}", piece.len());
                }
                out.extend(piece);
            }
            Ok(())
        };
        for (i, chunk) in chunks.iter().enumerate() {
            if i % 2 == 0 {
                d.feed(chunk);
            } else {
                d.feed_owned(chunk.to_vec());
            }
            take(&mut d)?;
            assert!(!d.is_finished());
        }
        d.feed_end();
        take(&mut d)?;
        assert!(d.is_finished());
        Ok(out)
    }

    /// Through the push API (`decode` per chunk, then `finish`).
    fn push(codings: &[&str], chunks: &[&[u8]]) -> Result<Vec<u8>, HttpError> {
        let mut d = ContentDecoder::for_headers(&headers(codings));
        let mut out = Vec::new();
        for chunk in chunks {
            out.extend(d.decode(chunk)?);
        }
        out.extend(d.finish()?);
        Ok(out)
    }

    /// Short enough for an assertion message.
    fn describe(r: &Result<Vec<u8>, ErrorKind>) -> String {
        match r {
            Ok(v) => format!("Ok({} bytes: {:?}...)", v.len(), &v[..v.len().min(16)]),
            Err(kind) => format!("Err({kind:?})"),
        }
    }

    /// Every way of reading must give `expected` (or all fail alike).
    fn check_all_ways(codings: &[&str], data: &[u8], expected: &Result<Vec<u8>, ErrorKind>) {
        let kind = |r: Result<Vec<u8>, HttpError>| r.map_err(|e| e.kind);
        let mut ways = vec![
            (
                "decode_all",
                kind(ContentDecoder::decode_all(&headers(codings), data)),
            ),
            ("push", kind(push(codings, &[data]))),
        ];
        for step in [1, 7, DECODE_STEP] {
            ways.push(("pull", kind(pull(codings, &[data], step))));
        }
        for (way, got) in ways {
            assert!(
                &got == expected,
                "{way} {codings:?}: {} instead of {}",
                describe(&got),
                describe(expected)
            );
        }
    }

    #[test]
    fn accept_encoding_lists_all_four() {
        assert_eq!(ACCEPT_ENCODING, "gzip, deflate, br, zstd");
    }

    #[test]
    fn each_coding_roundtrips() {
        let body = sample(10_000);
        for (coding, encode) in encoders() {
            check_all_ways(&[coding], &encode(&body), &Ok(body.clone()));
        }
    }

    #[test]
    fn every_chunk_boundary() {
        let body = sample(300);
        for (coding, encode) in encoders() {
            let data = encode(&body);
            for cut in 0..=data.len() {
                let chunks = [&data[..cut], &data[cut..]];
                assert_eq!(push(&[coding], &chunks).unwrap(), body, "{coding} at {cut}");
                for step in [1, 5, DECODE_STEP] {
                    assert_eq!(
                        pull(&[coding], &chunks, step).unwrap(),
                        body,
                        "{coding} {cut}"
                    );
                }
            }
            let bytes: Vec<&[u8]> = data.chunks(1).collect();
            assert_eq!(push(&[coding], &bytes).unwrap(), body, "{coding} bytewise");
            assert_eq!(
                pull(&[coding], &bytes, 3).unwrap(),
                body,
                "{coding} bytewise"
            );
        }
    }

    #[test]
    fn stacked_codings_are_undone_in_reverse() {
        let body = sample(5_000);
        // "gzip, br": gzip first, then br; so br is undone first.
        let data = br(&gz(&body));
        check_all_ways(&["gzip, br"], &data, &Ok(body.clone()));
        // The same as two header lines, with identity and spacing noise.
        check_all_ways(&["identity, gzip", " BR "], &data, &Ok(body.clone()));
        let three = zst(&gz(&zlib(&body)));
        check_all_ways(&["deflate, gzip, zstd"], &three, &Ok(body.clone()));
        // The wrong order fails.
        let err = ContentDecoder::decode_all(&headers(&["br, gzip"]), &data).unwrap_err();
        assert_eq!(err.kind, ErrorKind::DecodingError);
    }

    #[test]
    fn stacked_every_chunk_boundary() {
        let body = sample(200);
        let data = zst(&br(&gz(&body)));
        for cut in 0..=data.len() {
            let chunks = [&data[..cut], &data[cut..]];
            for step in [1, 4, DECODE_STEP] {
                let out = pull(&["gzip, br, zstd"], &chunks, step).unwrap();
                assert_eq!(out, body, "at {cut}, step {step}");
            }
            assert_eq!(push(&["gzip, br, zstd"], &chunks).unwrap(), body);
        }
    }

    #[test]
    fn at_most_five_stacked_codings() {
        let body = sample(1_000);
        let mut five = body.clone();
        for _ in 0..5 {
            five = gz(&five);
        }
        let codings = ["gzip, gzip, identity, gzip, x-unknown", "GZIP", "gzip"];
        check_all_ways(&codings, &five, &Ok(body.clone()));
        let six = gz(&five);
        let codings = ["gzip, gzip, gzip, gzip, gzip, gzip"];
        check_all_ways(&codings, &six, &Err(ErrorKind::DecodingError));
        let err = ContentDecoder::decode_all(&headers(&codings), &six).unwrap_err();
        assert_eq!(
            err.message,
            "Too many content encodings in the chain: 6 > 5"
        );
        // An empty body (a HEAD response, a 304) is fine.
        check_all_ways(&codings, b"", &Ok(Vec::new()));
        // A header naming a hundred thousand codings makes no decoder at all.
        let many = "gzip,".repeat(100_000);
        let d = ContentDecoder::for_headers(&headers(&[&many]));
        assert!(d.stages.is_empty() && !d.is_identity());
        let err = ContentDecoder::decode_all(&headers(&[&many]), b"x").unwrap_err();
        assert_eq!(err.kind, ErrorKind::DecodingError);
    }

    #[test]
    fn identity_and_unknown_codings_pass_through() {
        let body = b"plain bytes".to_vec();
        for codings in [&["identity"][..], &["x-unknown"], &["compress"], &[""], &[]] {
            assert!(ContentDecoder::for_headers(&headers(codings)).is_identity());
            check_all_ways(codings, &body, &Ok(body.clone()));
            assert_eq!(pull(codings, &[b"ab", b"", b"c"], 1).unwrap(), b"abc");
        }
        // Unknown codings in a list are skipped; the known ones are still undone.
        check_all_ways(&["x-unknown, gzip"], &gz(&body), &Ok(body.clone()));
    }

    #[test]
    fn corrupt_data_is_a_decoding_error() {
        let body = sample(2_000);
        let garbage = b"this is not compressed at all, not in any coding".to_vec();
        for (coding, encode) in encoders() {
            check_all_ways(&[coding], &garbage, &Err(ErrorKind::DecodingError));
            // A flipped byte in the middle.
            let mut data = encode(&body);
            let mid = data.len() / 2;
            data[mid] ^= 0x55;
            let out = ContentDecoder::decode_all(&headers(&[coding]), &data);
            assert!(out.is_err() || out.unwrap() != body, "{coding}");
        }
        let err = ContentDecoder::decode_all(&headers(&["gzip"]), &garbage).unwrap_err();
        assert_eq!(
            err.message,
            "Failed to decode response body (gzip): incorrect header check"
        );
        let err = ContentDecoder::decode_all(&headers(&["br"]), &garbage).unwrap_err();
        assert!(err
            .message
            .starts_with("Failed to decode response body (br): invalid"));
        let err = ContentDecoder::decode_all(&headers(&["zstd"]), &garbage).unwrap_err();
        assert!(
            err.message.contains("(zstd): Unknown frame descriptor"),
            "{}",
            err.message
        );
        let err = ContentDecoder::decode_all(&headers(&["deflate"]), &garbage).unwrap_err();
        assert!(err
            .message
            .starts_with("Failed to decode response body (deflate): invalid"));
    }

    #[test]
    fn gzip_checks_crc_and_length() {
        let body = sample(1_000);
        let data = gz(&body);
        let n = data.len();
        let mut bad_crc = data.clone();
        bad_crc[n - 6] ^= 1;
        let err = ContentDecoder::decode_all(&headers(&["gzip"]), &bad_crc).unwrap_err();
        assert!(
            err.message.ends_with("incorrect data check"),
            "{}",
            err.message
        );
        let mut bad_len = data.clone();
        bad_len[n - 2] ^= 1;
        let err = ContentDecoder::decode_all(&headers(&["gzip"]), &bad_len).unwrap_err();
        assert!(
            err.message.ends_with("incorrect length check"),
            "{}",
            err.message
        );
        let mut bad_flags = data.clone();
        bad_flags[3] = 0x80;
        let err = ContentDecoder::decode_all(&headers(&["gzip"]), &bad_flags).unwrap_err();
        assert!(
            err.message.ends_with("unknown header flags set"),
            "{}",
            err.message
        );
        let mut bad_method = data;
        bad_method[2] = 7;
        let err = ContentDecoder::decode_all(&headers(&["gzip"]), &bad_method).unwrap_err();
        assert!(
            err.message.ends_with("unknown compression method"),
            "{}",
            err.message
        );
    }

    #[test]
    fn gzip_optional_header_fields() {
        let body = sample(3_000);
        let mut enc = GzBuilder::new()
            .extra(vec![7u8; 300])
            .filename("some-file.txt")
            .comment("a comment")
            .write(Vec::new(), Compression::fast());
        enc.write_all(&body).unwrap();
        let data = enc.finish().unwrap();
        check_all_ways(&["gzip"], &data, &Ok(body.clone()));
        let bytes: Vec<&[u8]> = data.chunks(1).collect();
        assert_eq!(pull(&["gzip"], &bytes, 64).unwrap(), body);

        // With a header CRC (FHCRC), built by hand: header, CRC-16, then the member's rest.
        let plain = gz(&body);
        let mut header = plain[..10].to_vec();
        header[3] = FHCRC | FNAME;
        header.extend(b"name\0");
        let mut crc = Crc::new();
        crc.update(&header);
        let crc16 = (crc.sum() & 0xffff) as u16;
        let mut data = header.clone();
        data.extend(crc16.to_le_bytes());
        data.extend(&plain[10..]);
        check_all_ways(&["gzip"], &data, &Ok(body.clone()));
        let mut bad = header;
        bad.extend((crc16 ^ 1).to_le_bytes());
        bad.extend(&plain[10..]);
        let err = ContentDecoder::decode_all(&headers(&["gzip"]), &bad).unwrap_err();
        assert!(
            err.message.ends_with("header crc mismatch"),
            "{}",
            err.message
        );
    }

    #[test]
    fn truncated_streams_are_errors() {
        let body = sample(20_000);
        // Stricter than httpx (zlib/brotli's flush() do not complain): a stream cut short
        // is a DecodingError, however it is read. (Deflate's first byte alone cannot be
        // told from the start of a stream: it decodes to nothing.)
        for (coding, encode) in encoders() {
            let data = encode(&body);
            for cut in [1, 2, 5, data.len() / 2, data.len() - 1] {
                let short = &data[..cut];
                let out = ContentDecoder::decode_all(&headers(&[coding]), short);
                if coding == "deflate" && cut == 1 {
                    assert_eq!(out.unwrap(), Vec::<u8>::new());
                    continue;
                }
                let err = out.unwrap_err();
                assert_eq!(err.kind, ErrorKind::DecodingError, "{coding} cut at {cut}");
                assert!(push(&[coding], &[short]).is_err(), "{coding} cut at {cut}");
                assert!(
                    pull(&[coding], &[short], 100).is_err(),
                    "{coding} cut at {cut}"
                );
            }
        }
    }

    #[test]
    fn empty_bodies_decode_to_nothing() {
        for (coding, _) in encoders() {
            check_all_ways(&[coding], b"", &Ok(Vec::new()));
        }
        check_all_ways(&["gzip, br, zstd"], b"", &Ok(Vec::new()));
    }

    #[test]
    fn data_after_the_end() {
        let body = sample(1_000);
        // gzip and deflate ignore it (zlib's unused_data).
        let ignoring: [(&str, Encoder); 3] =
            [("gzip", gz), ("deflate", zlib), ("deflate", raw_deflate)];
        for (coding, encode) in ignoring {
            let mut data = encode(&body);
            data.extend(b"trailing garbage");
            check_all_ways(&[coding], &data, &Ok(body.clone()));
        }
        // br and zstd refuse it.
        let refusing: [(&str, Encoder); 2] = [("br", br), ("zstd", zst)];
        for (coding, encode) in refusing {
            let mut data = encode(&body);
            data.extend(b"trailing garbage");
            check_all_ways(&[coding], &data, &Err(ErrorKind::DecodingError));
        }
        // Two br streams back to back are not one br stream.
        let mut two = br(&body);
        two.extend(br(&body));
        check_all_ways(&["br"], &two, &Err(ErrorKind::DecodingError));
    }

    #[test]
    fn zstd_frames_are_concatenated() {
        let (a, b) = (sample(3_000), b"second frame".to_vec());
        let mut data = zst(&a);
        // A skippable frame between the two.
        data.extend(0x184D_2A50u32.to_le_bytes());
        data.extend(5u32.to_le_bytes());
        data.extend(b"skip!");
        data.extend(zst(&b));
        let expected = [a, b].concat();
        check_all_ways(&["zstd"], &data, &Ok(expected.clone()));
        for cut in 0..=data.len() {
            assert_eq!(
                pull(&["zstd"], &[&data[..cut], &data[cut..]], 9).unwrap(),
                expected
            );
        }
    }

    #[test]
    fn gzip_members_are_concatenated() {
        let (a, b) = (sample(3_000), b"second member".to_vec());
        let mut data = gz(&a);
        data.extend(gz(&b));
        let expected = [a.clone(), b].concat();
        check_all_ways(&["gzip"], &data, &Ok(expected.clone()));
        for cut in 0..=data.len() {
            assert_eq!(
                push(&["gzip"], &[&data[..cut], &data[cut..]]).unwrap(),
                expected
            );
        }
        // After the first member, what is not a valid member is ignored (httpx ignores all
        // that follows the first member), so it never fails where httpx succeeds.
        for junk in [
            &b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\xff\xff"[..], // invalid deflate
            b"\x1f\x8b\x09",                                          // bad method
            b"\x1f\x00 not a member",
            b"not a member at all",
        ] {
            let mut broken = gz(&a);
            broken.extend(junk);
            check_all_ways(&["gzip"], &broken, &Ok(a.clone()));
        }
        let mut half = gz(&a);
        half.push(0x1f);
        check_all_ways(&["gzip"], &half, &Ok(a));
    }

    #[test]
    fn deflate_of_one_byte_is_empty() {
        // zlib waits for a second byte; its flush() gives nothing, without error.
        check_all_ways(&["deflate"], b"x", &Ok(Vec::new()));
    }

    fn gzip_zeros(total: usize) -> Vec<u8> {
        let zeros = vec![0u8; 1 << 20];
        let mut enc = GzEncoder::new(Vec::new(), Compression::best());
        let mut left = total;
        while left > 0 {
            let n = left.min(zeros.len());
            enc.write_all(&zeros[..n]).unwrap();
            left -= n;
        }
        enc.finish().unwrap()
    }

    /// A decompression bomb fed in one chunk comes out in pieces of at most DECODE_STEP bytes,
    /// and nothing holds more than that.
    fn check_bomb(codings: &[&str], data: &[u8], total: usize) {
        let mut d = ContentDecoder::for_headers(&headers(codings));
        d.feed(data);
        let (mut seen, mut pieces) = (0usize, 0usize);
        let mut drain = |d: &mut ContentDecoder| {
            while let Some(piece) = d.next_piece().unwrap() {
                assert!(piece.len() <= DECODE_STEP);
                assert!(piece.capacity() <= DECODE_STEP);
                assert!(piece.iter().all(|&b| b == 0));
                assert!(d.buffered() <= data.len() + DECODE_STEP);
                seen += piece.len();
                pieces += 1;
            }
        };
        drain(&mut d);
        d.feed_end();
        drain(&mut d);
        assert!(d.is_finished());
        assert_eq!(seen, total);
        assert!(pieces >= total / DECODE_STEP, "{pieces}");
    }

    #[test]
    fn bombs_decode_in_bounded_steps() {
        const TOTAL: usize = 100 << 20;
        let gz_bomb = gzip_zeros(TOTAL);
        assert!(gz_bomb.len() < TOTAL / 500, "{}", gz_bomb.len());
        check_bomb(&["gzip"], &gz_bomb, TOTAL);
        // Stacked: br over the gzip bomb.
        check_bomb(&["gzip", "br"], &br(&gz_bomb), TOTAL);
        let zstd_bomb = zstd::stream::encode_all(std::io::repeat(0).take(TOTAL as u64), 3);
        let zstd_bomb = zstd_bomb.unwrap();
        check_bomb(&["zstd"], &zstd_bomb, TOTAL);
        let br_bomb = br(&vec![0u8; 20 << 20]);
        check_bomb(&["br"], &br_bomb, 20 << 20);

        // Whole-body reads: unlimited by default, or capped.
        let h = headers(&["gzip"]);
        assert_eq!(
            ContentDecoder::decode_all(&h, &gz_bomb).unwrap().len(),
            TOTAL
        );
        let err = ContentDecoder::decode_all_limited(&h, &gz_bomb, Some(10 << 20)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::DecodingError);
        assert!(err.message.contains("exceeds the limit of 10485760 bytes"));
        let small = gzip_zeros(3 << 20);
        let out = ContentDecoder::decode_all_limited(&h, &small, Some(3 << 20)).unwrap();
        assert_eq!(out.len(), 3 << 20);
        assert!(ContentDecoder::decode_all_limited(&h, &small, Some((3 << 20) - 1)).is_err());
        assert!(ContentDecoder::decode_all_limited(&h, &small, Some(0)).is_err());
        let plain = headers(&[]);
        assert!(ContentDecoder::decode_all_limited(&plain, b"abc", Some(2)).is_err());
        assert_eq!(
            ContentDecoder::decode_all_limited(&plain, b"abc", Some(3)).unwrap(),
            b"abc"
        );
    }

    #[test]
    fn push_api_still_returns_everything() {
        // decode() returns all that a chunk decodes to, even past one step.
        let total = 5 << 20;
        let data = gzip_zeros(total);
        let mut d = ContentDecoder::for_headers(&headers(&["gzip"]));
        let mut out = d.decode(&data).unwrap();
        out.extend(d.finish().unwrap());
        assert_eq!(out.len(), total);
        assert!(d.is_finished());
    }

    #[test]
    fn charset_parsing() {
        assert_eq!(
            charset_from_content_type("text/plain; charset=\"Latin-1\"").as_deref(),
            Some("latin-1")
        );
        assert_eq!(charset_from_content_type("text/plain"), None);
    }
}
