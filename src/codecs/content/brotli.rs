//! `Content-Encoding: br` (pure Rust `brotli-decompressor`).

use super::decoding_error;
use crate::errors::HttpError;
use brotli_decompressor::{BrotliDecompressStream, BrotliResult, BrotliState, StandardAlloc};

pub(crate) type BrotliDecoderState = BrotliState<StandardAlloc, StandardAlloc, StandardAlloc>;

/// RFC 7932, with the standard window (at most 16 MiB; no large-window extension).
#[derive(Default)]
pub(crate) struct Brotli {
    /// Made at the first byte, dropped at the end of the stream.
    pub(crate) state: Option<Box<BrotliDecoderState>>,
    pub(crate) ended: bool,
}

impl Brotli {
    pub(crate) fn run(
        &mut self,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(usize, usize), HttpError> {
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
