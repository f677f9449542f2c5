//! The Digest scheme itself (RFC 7616 / 2617 / 2069) as plain functions: parsing a
//! `WWW-Authenticate: Digest` challenge, hashing, and the `Authorization` value. No Python.

use crate::errors::{ErrorKind, HttpError};
use std::hash::{BuildHasher, RandomState};
use std::time::{SystemTime, UNIX_EPOCH};

pub(crate) const MALFORMED: &str = "Malformed Digest WWW-Authenticate header";

/// The hash function behind an `algorithm=` token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashKind {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

impl HashKind {
    /// Lower-case hex digest of `data`.
    pub fn hex(self, data: &[u8]) -> String {
        use sha2::Digest;
        match self {
            HashKind::Md5 => to_hex(&md5::Md5::digest(data)),
            HashKind::Sha1 => to_hex(&sha1(data)),
            HashKind::Sha256 => to_hex(&sha2::Sha256::digest(data)),
            HashKind::Sha512 => to_hex(&sha2::Sha512::digest(data)),
        }
    }
}

/// `(hash, is_session_variant)` for an algorithm token (case-insensitive), as httpx's table:
/// MD5, MD5-SESS, SHA, SHA-SESS, SHA-256, SHA-256-SESS, SHA-512, SHA-512-SESS.
pub fn parse_algorithm(token: &str) -> Option<(HashKind, bool)> {
    let upper = token.to_ascii_uppercase();
    let (base, sess) = match upper.strip_suffix("-SESS") {
        Some(base) => (base, true),
        None => (upper.as_str(), false),
    };
    let kind = match base {
        "MD5" => HashKind::Md5,
        "SHA" => HashKind::Sha1,
        "SHA-256" => HashKind::Sha256,
        "SHA-512" => HashKind::Sha512,
        _ => return None,
    };
    Some((kind, sess))
}

/// A parsed `WWW-Authenticate: Digest ...` challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    pub realm: String,
    pub nonce: String,
    /// The token as the server sent it ("MD5" when absent); echoed verbatim, as httpx does.
    pub algorithm: String,
    pub hash: HashKind,
    /// A `-sess` algorithm.
    pub sess: bool,
    pub opaque: Option<String>,
    /// The raw `qop` value (e.g. `auth,auth-int`); `None` for the RFC 2069 (legacy) form.
    pub qop: Option<String>,
    /// `stale=true` (informational: a new challenge is always answered once anyway).
    pub stale: bool,
}

/// Split a header list on commas outside quoted strings, like `urllib.request.parse_http_list`
/// (a backslash inside quotes escapes the next character and is dropped). Items are trimmed;
/// empty items are dropped.
pub(crate) fn split_http_list(s: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut part = String::new();
    let (mut escape, mut quote) = (false, false);
    for c in s.chars() {
        if escape {
            part.push(c);
            escape = false;
        } else if quote {
            match c {
                '\\' => escape = true,
                '"' => {
                    quote = false;
                    part.push(c);
                }
                _ => part.push(c),
            }
        } else if c == ',' {
            items.push(std::mem::take(&mut part));
        } else {
            if c == '"' {
                quote = true;
            }
            part.push(c);
        }
    }
    items.push(part);
    items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

pub(crate) fn unquote(value: &str) -> &str {
    if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
        &value[1..value.len() - 1]
    } else {
        value
    }
}

/// The parameters of a Digest challenge, when `header` is one (`Digest` then whitespace).
pub(crate) fn digest_params(header: &str) -> Option<&str> {
    let header = header.trim_start();
    let scheme = header.get(..6)?;
    let rest = header.get(6..)?;
    if scheme.eq_ignore_ascii_case("digest") && rest.starts_with([' ', '\t']) {
        Some(rest)
    } else {
        None
    }
}

/// Whether a `WWW-Authenticate` value is a Digest challenge (`Digest ...`).
pub fn is_digest_challenge(header: &str) -> bool {
    digest_params(header).is_some()
}

/// Parse a `WWW-Authenticate: Digest ...` value. Errors (as `RemoteProtocolError`, a
/// `ProtocolError`) when it is not Digest, has a parameter without `=`, lacks `realm` or
/// `nonce`, or names an unsupported algorithm. Parameter names are case-insensitive; a
/// repeated parameter keeps its last value.
pub fn parse_challenge(header: &str) -> Result<Challenge, HttpError> {
    let malformed = || HttpError::new(ErrorKind::RemoteProtocolError, MALFORMED);
    let params = digest_params(header).ok_or_else(malformed)?;
    let (mut realm, mut nonce, mut algorithm, mut opaque, mut qop, mut stale) =
        (None, None, None, None, None, false);
    for field in split_http_list(params) {
        let (key, value) = field.split_once('=').ok_or_else(malformed)?;
        let value = unquote(value.trim()).to_owned();
        match key.trim().to_ascii_lowercase().as_str() {
            "realm" => realm = Some(value),
            "nonce" => nonce = Some(value),
            "algorithm" => algorithm = Some(value),
            "opaque" => opaque = Some(value),
            "qop" => qop = Some(value),
            "stale" => stale = value.eq_ignore_ascii_case("true"),
            _ => {}
        }
    }
    let (Some(realm), Some(nonce)) = (realm, nonce) else {
        return Err(malformed());
    };
    let algorithm = algorithm.unwrap_or_else(|| "MD5".to_owned());
    let (hash, sess) = parse_algorithm(&algorithm).ok_or_else(|| {
        HttpError::new(
            ErrorKind::RemoteProtocolError,
            format!("Unsupported Digest algorithm \"{algorithm}\""),
        )
    })?;
    Ok(Challenge {
        realm,
        nonce,
        algorithm,
        hash,
        sess,
        opaque,
        qop,
        stale,
    })
}

/// The qop to answer with: `Some("auth")` when offered, `None` for the legacy form.
/// `auth-int` alone is not supported (NotImplementedError with httpx's message);
/// anything else is a protocol error.
pub(crate) fn resolve_qop(qop: Option<&str>) -> Result<Option<&'static str>, HttpError> {
    let Some(qop) = qop else {
        return Ok(None);
    };
    let qops: Vec<&str> = qop.split(',').map(str::trim).collect();
    if qops.contains(&"auth") {
        return Ok(Some("auth"));
    }
    if qops == ["auth-int"] {
        return Err(HttpError::new(
            ErrorKind::NotImplemented,
            "Digest auth-int support is not yet implemented",
        ));
    }
    Err(HttpError::new(
        ErrorKind::RemoteProtocolError,
        format!("Unexpected qop value \"{qop}\" in digest auth"),
    ))
}

/// Append `name="value"`, backslash-escaping `"` and `\` (httpx inserts values as they are,
/// which only differs for values containing those characters).
pub(crate) fn push_quoted(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str("=\"");
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// The `Authorization` value answering `challenge` for a request `method uri` (uri = the
/// request target, path plus `?query`), with nonce count `nc` and client nonce `cnonce`.
/// Same fields, order and quoting as httpx:
/// `Digest username="..", realm="..", nonce="..", uri="..", response="..", algorithm=..,
/// opaque="..", qop=auth, nc=00000001, cnonce=".."` (opaque when non-empty; qop/nc/cnonce
/// unless legacy).
pub fn authorization_value(
    username: &[u8],
    password: &[u8],
    method: &str,
    uri: &str,
    challenge: &Challenge,
    nc: u64,
    cnonce: &str,
) -> Result<String, HttpError> {
    let qop = resolve_qop(challenge.qop.as_deref())?;
    let username_str = std::str::from_utf8(username).map_err(|_| {
        HttpError::new(
            ErrorKind::LocalProtocolError,
            "Digest auth username is not valid UTF-8",
        )
    })?;
    let h = |data: &[u8]| challenge.hash.hex(data);
    let join = |parts: &[&[u8]]| parts.join(&b":"[..]);

    let nc_value = format!("{nc:08x}");
    let mut ha1 = h(&join(&[username, challenge.realm.as_bytes(), password]));
    if challenge.sess {
        // As httpx: the session key uses the cnonce even in the legacy (no-qop) form.
        ha1 = h(&join(&[
            ha1.as_bytes(),
            challenge.nonce.as_bytes(),
            cnonce.as_bytes(),
        ]));
    }
    let ha2 = h(&join(&[method.as_bytes(), uri.as_bytes()]));
    let response = match qop {
        None => h(&join(&[
            ha1.as_bytes(),
            challenge.nonce.as_bytes(),
            ha2.as_bytes(),
        ])),
        Some(qop) => h(&join(&[
            ha1.as_bytes(),
            challenge.nonce.as_bytes(),
            nc_value.as_bytes(),
            cnonce.as_bytes(),
            qop.as_bytes(),
            ha2.as_bytes(),
        ])),
    };

    let mut out = String::from("Digest ");
    push_quoted(&mut out, "username", username_str);
    out.push_str(", ");
    push_quoted(&mut out, "realm", &challenge.realm);
    out.push_str(", ");
    push_quoted(&mut out, "nonce", &challenge.nonce);
    out.push_str(", ");
    push_quoted(&mut out, "uri", uri);
    out.push_str(", ");
    push_quoted(&mut out, "response", &response);
    out.push_str(", algorithm=");
    out.push_str(&challenge.algorithm);
    if let Some(opaque) = challenge.opaque.as_deref().filter(|o| !o.is_empty()) {
        out.push_str(", ");
        push_quoted(&mut out, "opaque", opaque);
    }
    if let Some(qop) = qop {
        out.push_str(", qop=");
        out.push_str(qop);
        out.push_str(", nc=");
        out.push_str(&nc_value);
        out.push_str(", ");
        push_quoted(&mut out, "cnonce", cnonce);
    }
    if out.chars().any(|c| c.is_control() && c != '\t') {
        return Err(HttpError::new(
            ErrorKind::LocalProtocolError,
            "Illegal header value in Digest Authorization header",
        ));
    }
    Ok(out)
}

/// A fresh client nonce: 16 lower-case hex characters (as httpx), from a SHA-256 over random
/// state (fastrand, std's OS-seeded `RandomState`), the time, the nonce count and the nonce.
pub fn new_cnonce(nc: u64, nonce: &str) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    hasher.update(fastrand::u64(..).to_le_bytes());
    hasher.update(RandomState::new().hash_one((nc, nonce)).to_le_bytes());
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hasher.update(nanos.to_le_bytes());
    hasher.update(nc.to_le_bytes());
    hasher.update(nonce.as_bytes());
    let mut hex = to_hex(&hasher.finalize());
    hex.truncate(16);
    hex
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// SHA-1 (FIPS 180-4), for the `SHA` / `SHA-SESS` algorithms (no sha1 crate in the tree).
pub(crate) fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    let mut msg = Vec::with_capacity(data.len() + 72);
    msg.extend_from_slice(data);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (slot, word) in w.iter_mut().zip(block.chunks_exact(4)) {
            *slot = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (hv, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *hv = hv.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, hv) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&hv.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_NONCE: &str = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    const RFC_CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    const RFC_OPAQUE: &str = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

    fn rfc_challenge(algorithm: &str) -> String {
        format!(
            "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", \
             algorithm={algorithm}, nonce=\"{RFC_NONCE}\", opaque=\"{RFC_OPAQUE}\""
        )
    }

    fn field<'a>(header: &'a str, name: &str) -> Option<&'a str> {
        let params = header.strip_prefix("Digest ")?;
        params.split(", ").find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == name).then(|| unquote(v))
        })
    }

    fn rfc_value(algorithm: &str) -> String {
        let challenge = parse_challenge(&rfc_challenge(algorithm)).expect("parses");
        authorization_value(
            b"Mufasa",
            b"Circle of Life",
            "GET",
            "/dir/index.html",
            &challenge,
            1,
            RFC_CNONCE,
        )
        .expect("builds")
    }

    #[test]
    fn rfc7616_sha256_example() {
        let value = rfc_value("SHA-256");
        assert_eq!(
            value,
            format!(
                "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", \
                 nonce=\"{RFC_NONCE}\", uri=\"/dir/index.html\", \
                 response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", \
                 algorithm=SHA-256, opaque=\"{RFC_OPAQUE}\", qop=auth, nc=00000001, \
                 cnonce=\"{RFC_CNONCE}\""
            )
        );
    }

    #[test]
    fn rfc7616_md5_example() {
        let value = rfc_value("MD5");
        assert_eq!(
            field(&value, "response"),
            Some("8ca523f5e9506fed4657c9700eebdbec")
        );
        assert_eq!(field(&value, "algorithm"), Some("MD5"));
    }

    #[test]
    fn rfc2617_md5_example() {
        // RFC 2617 §3.5 (qop=auth, no algorithm: MD5).
        let challenge = parse_challenge(
            "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", \
             nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", \
             opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
        )
        .expect("parses");
        let value = authorization_value(
            b"Mufasa",
            b"Circle Of Life",
            "GET",
            "/dir/index.html",
            &challenge,
            1,
            "0a4f113b",
        )
        .expect("builds");
        assert_eq!(
            field(&value, "response"),
            Some("6629fae49393a05397450978507c4ef1")
        );
    }

    #[test]
    fn sha1_vectors() {
        assert_eq!(
            to_hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            to_hex(&sha1(b"")),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
        assert_eq!(
            to_hex(&sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            to_hex(&sha1(&[b'a'; 1000])),
            "291e9a6c66994949b57ba5e650361e98fc36b1ba"
        );
    }

    #[test]
    fn algorithms_case_insensitive() {
        for (token, kind, sess) in [
            ("md5", HashKind::Md5, false),
            ("MD5-sess", HashKind::Md5, true),
            ("SHA", HashKind::Sha1, false),
            ("sha-SESS", HashKind::Sha1, true),
            ("sha-256", HashKind::Sha256, false),
            ("SHA-256-SESS", HashKind::Sha256, true),
            ("SHA-512", HashKind::Sha512, false),
            ("sha-512-sess", HashKind::Sha512, true),
        ] {
            assert_eq!(parse_algorithm(token), Some((kind, sess)), "{token}");
        }
        assert_eq!(parse_algorithm("SHA-512-256"), None);
        assert_eq!(parse_algorithm("-SESS"), None);
        assert_eq!(parse_algorithm(""), None);
    }

    #[test]
    fn parse_defaults_and_fields() {
        let c = parse_challenge(
            "digest Realm=\"r, with comma\",nonce=abc, stale=TRUE, opaque=\"o\\\"q\"",
        )
        .expect("parses");
        assert_eq!(c.realm, "r, with comma");
        assert_eq!(c.nonce, "abc");
        assert_eq!(c.algorithm, "MD5");
        assert_eq!(c.hash, HashKind::Md5);
        assert!(!c.sess);
        assert_eq!(c.opaque.as_deref(), Some("o\"q"));
        assert_eq!(c.qop, None);
        assert!(c.stale);
    }

    #[test]
    fn parse_errors() {
        for bad in [
            "Digest nonce=\"n\"",
            "Digest realm=\"r\"",
            "Digest realm=\"r\", nonce=\"n\", junk",
            "Digest",
            "Basic realm=\"r\"",
            "Digestrealm=\"r\", nonce=\"n\"",
        ] {
            let err = parse_challenge(bad).expect_err(bad);
            assert_eq!(err.kind, ErrorKind::RemoteProtocolError, "{bad}");
            assert_eq!(err.message, MALFORMED, "{bad}");
        }
        let err = parse_challenge("Digest realm=r, nonce=n, algorithm=SHA-512-256")
            .expect_err("unsupported");
        assert_eq!(err.kind, ErrorKind::RemoteProtocolError);
        assert!(err.message.contains("SHA-512-256"));
        // Empty list items are tolerated.
        assert!(parse_challenge("Digest realm=r,, nonce=n,").is_ok());
    }

    #[test]
    fn qop_resolution() {
        assert_eq!(resolve_qop(None).ok(), Some(None));
        assert_eq!(resolve_qop(Some("auth")).ok(), Some(Some("auth")));
        assert_eq!(resolve_qop(Some("auth-int, auth")).ok(), Some(Some("auth")));
        let err = resolve_qop(Some("auth-int")).expect_err("auth-int");
        assert_eq!(err.kind, ErrorKind::NotImplemented);
        assert_eq!(
            err.message,
            "Digest auth-int support is not yet implemented"
        );
        let err = resolve_qop(Some("bogus")).expect_err("bogus");
        assert!(err.message.starts_with("Unexpected qop value"));
        assert!(resolve_qop(Some("")).is_err());
    }

    #[test]
    fn legacy_form_and_no_opaque() {
        let c =
            parse_challenge("Digest realm=\"r\", nonce=\"n\", algorithm=sha-256").expect("parses");
        let value = authorization_value(b"u", b"p", "POST", "/a?b=c", &c, 7, "cn").expect("builds");
        let h = |s: &str| HashKind::Sha256.hex(s.as_bytes());
        let expected = h(&format!("{}:n:{}", h("u:r:p"), h("POST:/a?b=c")));
        assert_eq!(
            value,
            format!(
                "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/a?b=c\", \
                 response=\"{expected}\", algorithm=sha-256"
            )
        );
    }

    #[test]
    fn sess_and_nc_format() {
        let c = parse_challenge("Digest realm=\"r\", nonce=\"n\", qop=auth, algorithm=MD5-sess")
            .expect("parses");
        let value = authorization_value(b"u", b"p", "GET", "/", &c, 0x1a, "cn").expect("builds");
        let h = |s: &str| HashKind::Md5.hex(s.as_bytes());
        let ha1 = h(&format!("{}:n:cn", h("u:r:p")));
        let expected = h(&format!("{ha1}:n:0000001a:cn:auth:{}", h("GET:/")));
        assert_eq!(field(&value, "response"), Some(expected.as_str()));
        assert_eq!(field(&value, "nc"), Some("0000001a"));
        assert_eq!(field(&value, "algorithm"), Some("MD5-sess"));
    }

    #[test]
    fn illegal_characters_rejected() {
        let c = parse_challenge("Digest realm=\"r\", nonce=\"n\"").expect("parses");
        let err =
            authorization_value(b"u\r\nX: y", b"p", "GET", "/", &c, 1, "cn").expect_err("crlf");
        assert_eq!(err.kind, ErrorKind::LocalProtocolError);
        let err = authorization_value(&[0xff], b"p", "GET", "/", &c, 1, "cn").expect_err("utf8");
        assert_eq!(err.kind, ErrorKind::LocalProtocolError);
        // Non-UTF-8 passwords are fine: they are only hashed.
        assert!(authorization_value(b"u", &[0xff], "GET", "/", &c, 1, "cn").is_ok());
    }

    #[test]
    fn cnonce_shape() {
        let a = new_cnonce(1, "n");
        let b = new_cnonce(1, "n");
        assert_eq!(a.len(), 16);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }
}
