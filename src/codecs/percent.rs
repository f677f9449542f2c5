//! Percent-encoding with the safe sets httpx uses per URL component, and decoding.

// ---------------------------------------------------------------------------
// Character sets (bitmasks over ASCII)
// ---------------------------------------------------------------------------

/// Printable ASCII (0x20..0x7E) minus `exclude`.
pub(crate) const fn printable_except(exclude: &[u8]) -> u128 {
    let mut bits: u128 = 0;
    let mut c: u8 = 0x20;
    while c < 0x7f {
        let mut excluded = false;
        let mut i = 0;
        while i < exclude.len() {
            if exclude[i] == c {
                excluded = true;
            }
            i += 1;
        }
        if !excluded {
            bits |= 1u128 << c;
        }
        c += 1;
    }
    bits
}

pub(crate) const fn chars_set(chars: &[u8]) -> u128 {
    let mut bits: u128 = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] < 128 {
            bits |= 1u128 << chars[i];
        }
        i += 1;
    }
    bits
}

pub(crate) const UNRESERVED: u128 =
    chars_set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");
pub(crate) const FRAG_SAFE: u128 = printable_except(b" \"<>`");
pub(crate) const QUERY_SAFE: u128 = printable_except(b" \"#<>");
pub(crate) const PATH_SAFE: u128 = printable_except(b" \"#<>?`{}");
/// WHATWG userinfo set: used for the `username=` / `password=` arguments.
pub(crate) const USERNAME_SAFE: u128 = printable_except(b" \"#<>?`{}/:;=@[\\]^|");
/// As `USERNAME_SAFE` but keeping ':' (the joint `user:password` component).
pub(crate) const USERINFO_SAFE: u128 = printable_except(b" \"#<>?`{}/;=@[\\]^|");
/// reg-name: unreserved + sub-delims + the extra characters WHATWG lets through.
pub(crate) const HOST_SAFE: u128 = chars_set(b"!$&'()*+,;=\"`{}%|\\");

pub(crate) fn in_set(set: u128, c: char) -> bool {
    let v = c as u32;
    v < 128 && (set >> v) & 1 == 1
}

/// Percent-encode every character that is neither unreserved nor in `safe`
/// (UTF-8, uppercase hex). '%' is in every safe set we use, so existing
/// escapes are preserved, as httpx does.
pub(crate) fn quote(s: &str, safe: u128) -> String {
    let all = UNRESERVED | safe;
    if s.chars().all(|c| in_set(all, c)) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut buf = [0u8; 4];
    for c in s.chars() {
        if in_set(all, c) {
            out.push(c);
        } else {
            for b in c.encode_utf8(&mut buf).bytes() {
                push_pct(&mut out, b);
            }
        }
    }
    out
}

pub(crate) fn push_pct(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[(b >> 4) as usize] as char);
    out.push(HEX[(b & 0x0f) as usize] as char);
}

pub(crate) fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `urllib.parse.unquote`: decode `%XX` escapes, then UTF-8 with replacement.
pub(crate) fn unquote(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let Some(&b) = bytes.get(i) else { break };
        if b == b'%' {
            if let (Some(&h), Some(&l)) = (bytes.get(i + 1), bytes.get(i + 2)) {
                if let (Some(h), Some(l)) = (hex_val(h), hex_val(l)) {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
