//! `Content-Encoding: deflate`, zlib-wrapped or raw, and the inflate step gzip shares.

use super::decoding_error;
use crate::errors::HttpError;
use flate2::{Decompress, FlushDecompress, Status};

/// One step of a raw deflate or zlib stream: (taken, written, reached the end).
pub(crate) fn inflate_step(
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

/// Deflate as sent in the wild: zlib-wrapped (RFC 1950) or raw (RFC 1951), decided by the
/// first two bytes, as httpx tries one then the other.
pub(crate) enum Deflate {
    Undecided,
    Stream { inflate: Decompress, ended: bool },
}

/// A valid zlib header: deflate with a window of at most 32 KiB, and a correct check value.
pub(crate) fn is_zlib_header(cmf: u8, flg: u8) -> bool {
    cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(cmf) << 8 | u16::from(flg)) % 31 == 0
}

impl Deflate {
    pub(crate) fn run(
        &mut self,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(usize, usize), HttpError> {
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
