//! `Content-Encoding: zstd` (the reference C library, through the `zstd` crate).

use super::decoding_error;
use crate::errors::HttpError;
use zstd::stream::raw::{Decoder as ZstdDecoder, InBuffer, Operation, OutBuffer};

/// RFC 8878: one or more frames.
#[derive(Default)]
pub(crate) struct Zstd {
    /// Made at the first byte.
    pub(crate) decoder: Option<ZstdDecoder<'static>>,
    /// A frame has begun and is not complete (or not all handed out).
    pub(crate) in_frame: bool,
}

impl Zstd {
    pub(crate) fn run(
        &mut self,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(usize, usize), HttpError> {
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

    pub(crate) fn finish(&mut self) -> Result<(), HttpError> {
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
