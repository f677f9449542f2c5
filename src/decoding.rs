//! Decoding a response body: `Content-Encoding` (bytes -> bytes) and charsets (bytes -> text).
//!
//! Content decoders are incremental so that streamed bodies are decoded chunk by chunk as they
//! arrive; `iter_raw()` bypasses them.

use crate::errors::{ErrorKind, HttpError};
use crate::headers::HeaderList;
use flate2::write::{DeflateDecoder, GzDecoder, ZlibDecoder};
use std::io::Write;

/// What we can decode, advertised in `Accept-Encoding`.
pub const ACCEPT_ENCODING: &str = "gzip, deflate";

pub enum ContentDecoder {
    Identity,
    Gzip(GzDecoder<Vec<u8>>),
    /// Deflate as sent in the wild: zlib-wrapped (RFC 1950) or raw (RFC 1951), decided by the
    /// first two bytes, as httpx tries one then the other.
    Deflate(DeflateState),
    /// Stacked codings; already in decoding order (the last applied coding first).
    Multi(Vec<ContentDecoder>),
}

pub enum DeflateState {
    Undecided(Vec<u8>),
    Zlib(ZlibDecoder<Vec<u8>>),
    Raw(DeflateDecoder<Vec<u8>>),
}

fn decoding_error(err: std::io::Error) -> HttpError {
    HttpError::new(
        ErrorKind::DecodingError,
        format!("Failed to decode response body: {err}"),
    )
}

fn take<W: Write>(writer: &mut W, out: fn(&mut W) -> &mut Vec<u8>) -> Vec<u8> {
    std::mem::take(out(writer))
}

impl ContentDecoder {
    /// From the response's `Content-Encoding` values; unknown codings are passed through, as
    /// httpx does.
    pub fn for_headers(headers: &HeaderList) -> ContentDecoder {
        let mut decoders: Vec<ContentDecoder> = Vec::new();
        for value in headers.get_all("content-encoding") {
            for coding in value.split(',') {
                match coding.trim().to_ascii_lowercase().as_str() {
                    "gzip" | "x-gzip" => {
                        decoders.push(ContentDecoder::Gzip(GzDecoder::new(Vec::new())))
                    }
                    "deflate" => {
                        decoders.push(ContentDecoder::Deflate(DeflateState::Undecided(Vec::new())))
                    }
                    _ => {}
                }
            }
        }
        match decoders.len() {
            0 => ContentDecoder::Identity,
            1 => decoders.pop().unwrap_or(ContentDecoder::Identity),
            _ => {
                decoders.reverse();
                ContentDecoder::Multi(decoders)
            }
        }
    }

    pub fn is_identity(&self) -> bool {
        matches!(self, ContentDecoder::Identity)
    }

    pub fn decode(&mut self, data: &[u8]) -> Result<Vec<u8>, HttpError> {
        match self {
            ContentDecoder::Identity => Ok(data.to_vec()),
            ContentDecoder::Gzip(d) => {
                d.write_all(data).map_err(decoding_error)?;
                Ok(take(d, GzDecoder::get_mut))
            }
            ContentDecoder::Deflate(state) => state.decode(data),
            ContentDecoder::Multi(chain) => {
                let mut buf = data.to_vec();
                for d in chain.iter_mut() {
                    buf = d.decode(&buf)?;
                }
                Ok(buf)
            }
        }
    }

    /// End of body: flush what the decoders hold; a truncated stream is an error.
    pub fn finish(&mut self) -> Result<Vec<u8>, HttpError> {
        match self {
            ContentDecoder::Identity => Ok(Vec::new()),
            ContentDecoder::Gzip(d) => {
                d.try_finish().map_err(decoding_error)?;
                Ok(take(d, GzDecoder::get_mut))
            }
            ContentDecoder::Deflate(state) => state.finish(),
            ContentDecoder::Multi(chain) => {
                let mut pending: Vec<u8> = Vec::new();
                for d in chain.iter_mut() {
                    let mut out = if pending.is_empty() {
                        Vec::new()
                    } else {
                        d.decode(&pending)?
                    };
                    out.extend(d.finish()?);
                    pending = out;
                }
                Ok(pending)
            }
        }
    }

    /// Decode a whole body at once.
    pub fn decode_all(headers: &HeaderList, body: &[u8]) -> Result<Vec<u8>, HttpError> {
        let mut decoder = ContentDecoder::for_headers(headers);
        if decoder.is_identity() {
            return Ok(body.to_vec());
        }
        let mut out = decoder.decode(body)?;
        out.extend(decoder.finish()?);
        Ok(out)
    }
}

impl DeflateState {
    fn decode(&mut self, data: &[u8]) -> Result<Vec<u8>, HttpError> {
        if let DeflateState::Undecided(buf) = self {
            buf.extend_from_slice(data);
            if buf.len() < 2 {
                return Ok(Vec::new());
            }
            let pending = std::mem::take(buf);
            let zlib = (pending[0] & 0x0f) == 8
                && (u16::from(pending[0]) << 8 | u16::from(pending[1])) % 31 == 0;
            *self = if zlib {
                DeflateState::Zlib(ZlibDecoder::new(Vec::new()))
            } else {
                DeflateState::Raw(DeflateDecoder::new(Vec::new()))
            };
            return self.decode(&pending);
        }
        match self {
            DeflateState::Zlib(d) => {
                d.write_all(data).map_err(decoding_error)?;
                Ok(take(d, ZlibDecoder::get_mut))
            }
            DeflateState::Raw(d) => {
                d.write_all(data).map_err(decoding_error)?;
                Ok(take(d, DeflateDecoder::get_mut))
            }
            DeflateState::Undecided(_) => Ok(Vec::new()),
        }
    }

    fn finish(&mut self) -> Result<Vec<u8>, HttpError> {
        match self {
            DeflateState::Undecided(buf) if buf.is_empty() => Ok(Vec::new()),
            DeflateState::Undecided(_) => Err(HttpError::new(
                ErrorKind::DecodingError,
                "Failed to decode response body: deflate stream too short",
            )),
            DeflateState::Zlib(d) => {
                d.try_finish().map_err(decoding_error)?;
                Ok(take(d, ZlibDecoder::get_mut))
            }
            DeflateState::Raw(d) => {
                d.try_finish().map_err(decoding_error)?;
                Ok(take(d, DeflateDecoder::get_mut))
            }
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
    use flate2::write::GzEncoder;
    use flate2::Compression;

    fn headers(coding: &str) -> HeaderList {
        let mut h = HeaderList::new();
        h.push("Content-Encoding", coding);
        h
    }

    #[test]
    fn gzip_roundtrip_in_pieces() {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(b"hello world").unwrap();
        let data = enc.finish().unwrap();
        let mut d = ContentDecoder::for_headers(&headers("gzip"));
        let mut out = Vec::new();
        for chunk in data.chunks(3) {
            out.extend(d.decode(chunk).unwrap());
        }
        out.extend(d.finish().unwrap());
        assert_eq!(out, b"hello world");
    }

    #[test]
    fn corrupt_gzip_is_decoding_error() {
        let err = ContentDecoder::decode_all(&headers("gzip"), b"not gzip at all").unwrap_err();
        assert_eq!(err.kind, ErrorKind::DecodingError);
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
