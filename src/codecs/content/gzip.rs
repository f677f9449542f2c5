//! `Content-Encoding: gzip`: RFC 1952 members, header parsed as it arrives, CRC checked.

use super::decoding_error;
use super::deflate::inflate_step;
use super::GZIP_ALL_MEMBERS;
use crate::errors::HttpError;
use flate2::{Crc, Decompress};

/// RFC 1952: header, raw deflate data, CRC-32 and size of the data; possibly several members.
pub(crate) struct Gzip {
    pub(crate) part: GzPart,
    pub(crate) header: GzHeader,
    pub(crate) inflate: Decompress,
    pub(crate) crc: Crc,
    pub(crate) trailer: [u8; 8],
    pub(crate) trailer_len: usize,
    /// Still in the first member: errors are errors (later, they end the body quietly).
    pub(crate) first_member: bool,
    /// Any byte given yet (an empty body is a complete one).
    pub(crate) seen_input: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum GzPart {
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
    pub(crate) fn run(
        &mut self,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(usize, usize), HttpError> {
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

    pub(crate) fn step(
        &mut self,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(usize, usize), String> {
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
pub(crate) struct GzHeader {
    pub(crate) part: HeaderPart,
    pub(crate) fixed: [u8; 10],
    /// Bytes of `fixed`, or of `pair`, gathered so far.
    pub(crate) len: usize,
    pub(crate) pair: [u8; 2],
    pub(crate) extra_left: usize,
    /// Over the header bytes so far, for the optional header CRC.
    pub(crate) crc: Crc,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderPart {
    #[default]
    Fixed,
    ExtraLen,
    Extra,
    Name,
    Comment,
    HeaderCrc,
    Done,
}

pub(crate) const FHCRC: u8 = 0x02;
pub(crate) const FEXTRA: u8 = 0x04;
pub(crate) const FNAME: u8 = 0x08;
pub(crate) const FCOMMENT: u8 = 0x10;

impl GzHeader {
    /// The part after `part`, given the header's flags.
    pub(crate) fn after(&self, part: HeaderPart) -> HeaderPart {
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
    pub(crate) fn parse(&mut self, input: &[u8]) -> Result<(usize, bool), String> {
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
