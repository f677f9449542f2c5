//! Unit tests of the content decoders: every coding, stacked codings, bounded steps,
//! truncated and corrupt streams.

use super::gzip::{FHCRC, FNAME};
use super::*;
use crate::codecs::charset::charset_from_content_type;
use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};
use flate2::Crc;
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
    let mut enc = ::brotli::CompressorWriter::new(Vec::new(), 4096, 5, 22);
    enc.write_all(data).unwrap();
    enc.into_inner()
}

fn zst(data: &[u8]) -> Vec<u8> {
    ::zstd::stream::encode_all(data, 3).unwrap()
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
    let zstd_bomb = ::zstd::stream::encode_all(std::io::repeat(0).take(TOTAL as u64), 3);
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
