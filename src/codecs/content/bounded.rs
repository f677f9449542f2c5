//! A whole body read into memory with a bound on its *decoded* size (`max_response_size`):
//! fed chunk by chunk as it arrives, it decodes as it goes, so neither the encoded body nor
//! what a decompression bomb expands to is held past the bound.

use super::{ContentDecoder, DECODE_STEP};
use crate::errors::{ErrorKind, HttpError};
use crate::models::headers::HeaderList;

/// The error for a decoded body longer than `max` bytes.
pub fn too_large(max: usize) -> HttpError {
    HttpError::new(
        ErrorKind::ResponseTooLarge,
        format!("The decoded response body exceeds max_response_size ({max} bytes)"),
    )
}

/// Is a decoded body of `len` bytes within `max`?
pub fn check_size(len: usize, max: usize) -> Result<(), HttpError> {
    if len > max {
        Err(too_large(max))
    } else {
        Ok(())
    }
}

pub struct BoundedBody {
    decoder: ContentDecoder,
    out: Vec<u8>,
    max: usize,
}

impl BoundedBody {
    pub fn new(headers: &HeaderList, max: usize) -> Self {
        BoundedBody {
            decoder: ContentDecoder::for_headers(headers),
            out: Vec::new(),
            max,
        }
    }

    /// The next chunk of the encoded body.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), HttpError> {
        if self.decoder.is_identity() {
            check_size(self.out.len() + chunk.len(), self.max)?;
            self.out.extend_from_slice(chunk);
            return Ok(());
        }
        self.decoder.feed(chunk);
        self.pull()
    }

    /// The end of the body: the decoded body, whole.
    pub fn finish(mut self) -> Result<Vec<u8>, HttpError> {
        if !self.decoder.is_identity() {
            self.decoder.feed_end();
            self.pull()?;
        }
        Ok(self.out)
    }

    fn pull(&mut self) -> Result<(), HttpError> {
        loop {
            // Room for one byte past the bound, to tell "exactly the bound" from "more":
            // a bomb writes at most `max + 1` bytes before it is refused.
            let room = (self.max - self.out.len()).saturating_add(1);
            self.decoder.set_step_limit(room.min(DECODE_STEP));
            match self.decoder.next_piece()? {
                Some(piece) => {
                    check_size(self.out.len() + piece.len(), self.max)?;
                    self.out.extend_from_slice(&piece);
                }
                None => return Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip_headers() -> HeaderList {
        let mut h = HeaderList::default();
        h.push("content-encoding", "gzip");
        h
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read(headers: &HeaderList, body: &[u8], max: usize) -> Result<Vec<u8>, HttpError> {
        let mut b = BoundedBody::new(headers, max);
        for chunk in body.chunks(7) {
            b.push(chunk)?;
        }
        b.finish()
    }

    #[test]
    fn identity_exactly_at_the_bound_passes_one_more_byte_fails() {
        let h = HeaderList::default();
        assert_eq!(read(&h, &[1; 100], 100).unwrap(), vec![1; 100]);
        let err = read(&h, &[1; 101], 100).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ResponseTooLarge);
    }

    #[test]
    fn decoded_size_is_what_counts() {
        let body = gzip(&[0; 10_000]);
        assert!(body.len() < 100);
        assert_eq!(read(&gzip_headers(), &body, 10_000).unwrap().len(), 10_000);
        let err = read(&gzip_headers(), &body, 9_999).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ResponseTooLarge);
        assert!(err.message.contains("9999 bytes"), "{}", err.message);
    }

    #[test]
    fn a_bomb_is_refused_with_at_most_the_bound_in_memory() {
        // 64 MiB of zeros, ~64 KiB compressed, against a 1 MiB bound.
        let body = gzip(&vec![0; 64 << 20]);
        let mut b = BoundedBody::new(&gzip_headers(), 1 << 20);
        let err = b.push(&body).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ResponseTooLarge);
        assert!(b.out.len() <= 1 << 20);
    }

    #[test]
    fn corrupt_data_is_still_a_decoding_error() {
        let err = read(&gzip_headers(), b"not gzip at all", 1000).unwrap_err();
        assert_eq!(err.kind, ErrorKind::DecodingError);
    }
}
