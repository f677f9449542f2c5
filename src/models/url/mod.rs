//! `URL`: an RFC 3986 URL parser that follows httpx 0.28's own parser (not WHATWG).
//!
//! The pure parsing logic (`urlparse`, `UrlParts`, quoting, joining) lives in plain Rust
//! functions so it can be unit tested without a Python interpreter; the `#[pymethods]`
//! block at the end is a thin wrapper around it.
//!
//! Canonical form: every component is stored normalised and percent-encoded, i.e. plain
//! ASCII (the host in its IDNA/punycode form, IPv6 literals without brackets). The
//! serialized URL is computed once and cached; `PyURL` is an `Arc` so clones are cheap.
//!
//! Deliberate differences from httpx 0.28.1: ports must be 0..=65535 (httpx accepts any
//! integer, e.g. -1 or 70000); `url.host` falls back to the ASCII form when the punycode
//! cannot be decoded (httpx raises an `idna` error from the property).

use std::sync::Arc;

use pyo3::basic::CompareOp;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};

use crate::models::params::PyQueryParams;

const MAX_URL_LENGTH: usize = 65536;

// ---------------------------------------------------------------------------
// Character sets (bitmasks over ASCII)
// ---------------------------------------------------------------------------

/// Printable ASCII (0x20..0x7E) minus `exclude`.
const fn printable_except(exclude: &[u8]) -> u128 {
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

const fn chars_set(chars: &[u8]) -> u128 {
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

const UNRESERVED: u128 =
    chars_set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");
const FRAG_SAFE: u128 = printable_except(b" \"<>`");
const QUERY_SAFE: u128 = printable_except(b" \"#<>");
const PATH_SAFE: u128 = printable_except(b" \"#<>?`{}");
/// WHATWG userinfo set: used for the `username=` / `password=` arguments.
const USERNAME_SAFE: u128 = printable_except(b" \"#<>?`{}/:;=@[\\]^|");
/// As `USERNAME_SAFE` but keeping ':' (the joint `user:password` component).
const USERINFO_SAFE: u128 = printable_except(b" \"#<>?`{}/;=@[\\]^|");
/// reg-name: unreserved + sub-delims + the extra characters WHATWG lets through.
const HOST_SAFE: u128 = chars_set(b"!$&'()*+,;=\"`{}%|\\");

fn in_set(set: u128, c: char) -> bool {
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

fn hex_val(b: u8) -> Option<u8> {
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

// ---------------------------------------------------------------------------
// Python-compatible string repr (for error messages and __repr__)
// ---------------------------------------------------------------------------

fn py_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c,
            '\u{ad}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{e000}'..='\u{f8ff}'
            | '\u{f0000}'..='\u{10ffff}'))
}

/// Approximation of Python's `repr(str)`.
pub(crate) fn py_repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if py_printable(c) => out.push(c),
            c => {
                let v = c as u32;
                if v <= 0xff {
                    out.push_str(&format!("\\x{v:02x}"));
                } else if v <= 0xffff {
                    out.push_str(&format!("\\u{v:04x}"));
                } else {
                    out.push_str(&format!("\\U{v:08x}"));
                }
            }
        }
    }
    out.push(quote);
    out
}

/// First ASCII non-printable character (C0 control or DEL) with its char index.
fn find_non_printable(s: &str) -> Option<(usize, char)> {
    s.chars()
        .enumerate()
        .find(|(_, c)| c.is_ascii() && !(' '..='~').contains(c))
}

fn too_long(s: &str) -> bool {
    s.len() > MAX_URL_LENGTH && s.chars().count() > MAX_URL_LENGTH
}

/// An InvalidURL error message. Messages that embed a Python `repr()` of user input keep
/// the value apart so the exact Python repr can be used when raising (`to_pyerr`); the
/// `Display` form uses a close Rust approximation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlError {
    prefix: String,
    value: Option<String>,
}

impl UrlError {
    fn plain(message: impl Into<String>) -> Self {
        UrlError {
            prefix: message.into(),
            value: None,
        }
    }

    fn with_repr(prefix: impl Into<String>, value: &str) -> Self {
        UrlError {
            prefix: prefix.into(),
            value: Some(value.to_owned()),
        }
    }

    /// The InvalidURL exception, with the value rendered by Python's own `repr()`.
    pub fn to_pyerr(&self) -> PyErr {
        let message = match &self.value {
            None => self.prefix.clone(),
            Some(v) => {
                let repr = Python::attach(|py| {
                    PyString::new(py, v)
                        .repr()
                        .map(|r| r.to_string())
                        .unwrap_or_else(|_| py_repr_str(v))
                });
                format!("{}{repr}", self.prefix)
            }
        };
        crate::errors::invalid_url(message)
    }
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.prefix)?;
        if let Some(v) = &self.value {
            f.write_str(&py_repr_str(v))?;
        }
        Ok(())
    }
}

fn url_err(e: UrlError) -> PyErr {
    e.to_pyerr()
}

// ---------------------------------------------------------------------------
// Parsed representation
// ---------------------------------------------------------------------------

/// The normalised components of a URL (all ASCII; host IDNA-encoded, IPv6 without brackets).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlParts {
    pub scheme: String,
    pub userinfo: String,
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

fn push_host(out: &mut String, host: &str) {
    if host.contains(':') {
        out.push('[');
        out.push_str(host);
        out.push(']');
    } else {
        out.push_str(host);
    }
}

impl UrlParts {
    fn authority_with(&self, userinfo: &str) -> String {
        let mut out = String::new();
        if !userinfo.is_empty() {
            out.push_str(userinfo);
            out.push('@');
        }
        push_host(&mut out, &self.host);
        if let Some(p) = self.port {
            out.push(':');
            out.push_str(&p.to_string());
        }
        out
    }

    pub fn authority(&self) -> String {
        self.authority_with(&self.userinfo)
    }

    /// `host[:port]`, IPv6 hosts bracketed.
    pub fn netloc(&self) -> String {
        self.authority_with("")
    }

    fn serialize_with(&self, userinfo: &str) -> String {
        let authority = self.authority_with(userinfo);
        let mut out =
            String::with_capacity(self.scheme.len() + authority.len() + self.path.len() + 16);
        if !self.scheme.is_empty() {
            out.push_str(&self.scheme);
            out.push(':');
        }
        if !authority.is_empty() {
            out.push_str("//");
            out.push_str(&authority);
        }
        out.push_str(&self.path);
        if let Some(q) = &self.query {
            out.push('?');
            out.push_str(q);
        }
        if let Some(f) = &self.fragment {
            out.push('#');
            out.push_str(f);
        }
        out
    }

    pub fn serialize(&self) -> String {
        self.serialize_with(&self.userinfo)
    }

    /// Serialization with the password replaced by `[secure]` (as httpx's repr).
    pub fn serialize_masked(&self) -> String {
        match self.userinfo.split_once(':') {
            Some((user, _)) => self.serialize_with(&format!("{user}:[secure]")),
            None => self.serialize(),
        }
    }

    /// `path + ?query`, with an empty path given as "/".
    pub fn raw_path(&self) -> String {
        let mut out = if self.path.is_empty() {
            "/".to_owned()
        } else {
            self.path.clone()
        };
        if let Some(q) = &self.query {
            out.push('?');
            out.push_str(q);
        }
        out
    }

    pub fn is_absolute(&self) -> bool {
        !self.scheme.is_empty() && !self.host.is_empty()
    }

    /// Host for display: IDNA hosts whose first label is punycode decoded to unicode (as httpx).
    pub fn host_unicode(&self) -> String {
        if self.host.starts_with("xn--") {
            let (decoded, res) = idna::uts46::Uts46::new().to_unicode(
                self.host.as_bytes(),
                idna::uts46::AsciiDenyList::EMPTY,
                idna::uts46::Hyphens::Allow,
            );
            if res.is_ok() {
                return decoded.into_owned();
            }
        }
        self.host.clone()
    }

    pub fn username(&self) -> String {
        let user = match self.userinfo.split_once(':') {
            Some((u, _)) => u,
            None => &self.userinfo,
        };
        unquote(user)
    }

    pub fn password(&self) -> String {
        match self.userinfo.split_once(':') {
            Some((_, p)) => unquote(p),
            None => String::new(),
        }
    }
}

pub fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Keyword components (URL(..., **kwargs) / copy_with)
// ---------------------------------------------------------------------------

/// Components given as keyword arguments. `None` = not given, `Some(None)` = given as None.
/// Byte-valued arguments (`userinfo`, `netloc`, `query`, `raw_path`) are already decoded;
/// `port` is already converted to its decimal string.
#[derive(Clone, Debug, Default)]
pub struct UrlKwargs {
    pub scheme: Option<Option<String>>,
    pub authority: Option<Option<String>>,
    pub username: Option<Option<String>>,
    pub password: Option<Option<String>>,
    pub userinfo: Option<Option<String>>,
    pub host: Option<Option<String>>,
    pub port: Option<Option<String>>,
    pub netloc: Option<Option<String>>,
    pub path: Option<Option<String>>,
    pub query: Option<Option<String>>,
    pub raw_path: Option<Option<String>>,
    pub fragment: Option<Option<String>>,
}

impl UrlKwargs {
    pub fn is_empty(&self) -> bool {
        self.scheme.is_none()
            && self.authority.is_none()
            && self.username.is_none()
            && self.password.is_none()
            && self.userinfo.is_none()
            && self.host.is_none()
            && self.port.is_none()
            && self.netloc.is_none()
            && self.path.is_none()
            && self.query.is_none()
            && self.raw_path.is_none()
            && self.fragment.is_none()
    }
}

fn is_scheme_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')
}

fn valid_component(key: &str, value: &str) -> bool {
    match key {
        "scheme" => {
            let b = value.as_bytes();
            match b.first() {
                None => true,
                Some(f) => f.is_ascii_alphabetic() && b.iter().all(|&c| is_scheme_char(c)),
            }
        }
        "authority" => !value.contains(['/', '?', '#']),
        "path" => !value.contains(['?', '#']),
        "query" => !value.contains('#'),
        "userinfo" => !value.contains('@'),
        "host" => {
            (value.len() >= 2 && value.starts_with('[') && value.ends_with(']'))
                || !value.contains(':')
        }
        _ => true,
    }
}

fn check_component(key: &str, value: &str) -> Result<(), UrlError> {
    if too_long(value) {
        return Err(UrlError::plain(format!("URL component '{key}' too long")));
    }
    if let Some((idx, c)) = find_non_printable(value) {
        return Err(UrlError::plain(format!(
            "Invalid non-printable ASCII character in URL {key} component, {} at position {idx}.",
            py_repr_str(&c.to_string())
        )));
    }
    if !valid_component(key, value) {
        return Err(UrlError::plain(format!("Invalid URL component '{key}'")));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Splitting
// ---------------------------------------------------------------------------

#[derive(Debug, Default, PartialEq, Eq)]
struct RawSplit<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

/// `scheme:` `//authority` `path` `?query` `#fragment`, every part optional.
fn split_url(s: &str) -> RawSplit<'_> {
    let bytes = s.as_bytes();
    let mut scheme = None;
    let mut rest = s;
    if bytes.first().is_some_and(|b| b.is_ascii_alphabetic()) {
        let end = bytes
            .iter()
            .position(|&b| !is_scheme_char(b))
            .unwrap_or(bytes.len());
        if bytes.get(end) == Some(&b':') {
            scheme = Some(&s[..end]);
            rest = &s[end + 1..];
        }
    } else if bytes.first() == Some(&b':') {
        scheme = Some("");
        rest = &s[1..];
    }
    let mut authority = None;
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        authority = Some(&after[..end]);
        rest = &after[end..];
    }
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let path = &rest[..end];
    rest = &rest[end..];
    let mut query = None;
    if let Some(after) = rest.strip_prefix('?') {
        let end = after.find('#').unwrap_or(after.len());
        query = Some(&after[..end]);
        rest = &after[end..];
    }
    let fragment = rest.strip_prefix('#');
    RawSplit {
        scheme,
        authority,
        path,
        query,
        fragment,
    }
}

/// `userinfo@` `host` `:port` (host may be a bracketed IPv6 literal).
fn split_authority(a: &str) -> (Option<&str>, &str, &str) {
    let (userinfo, rest) = match a.rfind('@') {
        Some(i) => (Some(&a[..i]), &a[i + 1..]),
        None => (None, a),
    };
    let (host, after) = match (rest.starts_with('['), rest.rfind(']')) {
        (true, Some(j)) => (&rest[..=j], &rest[j + 1..]),
        _ => {
            let end = rest.find(':').unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        }
    };
    let port = after.strip_prefix(':').unwrap_or(after);
    (userinfo, host, port)
}

// ---------------------------------------------------------------------------
// Component normalisation
// ---------------------------------------------------------------------------

fn is_ipv4_style(host: &str) -> bool {
    let mut n = 0;
    for part in host.split('.') {
        n += 1;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    n == 4
}

/// Python `ipaddress.IPv4Address` rules: 4 decimal octets <= 255, no leading zeros.
fn valid_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && !(p.len() > 1 && p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|v| v <= 255)
        })
}

/// Python `ipaddress.IPv6Address` rules (including an optional `%scope_id`).
fn valid_ipv6(addr: &str) -> bool {
    let ip = match addr.split_once('%') {
        Some((ip, scope)) => {
            if scope.is_empty() || scope.contains('%') {
                return false;
            }
            ip
        }
        None => addr,
    };
    ip.parse::<std::net::Ipv6Addr>().is_ok()
}

/// IDNA-2008-like encoding: UTS 46 processing with STD3 rules and hyphen checks, but
/// rejecting any input that needed mapping (python `idna.encode` does no mapping).
fn idna_encode(host: &str) -> Option<String> {
    use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
    // python `idna.encode` (IDNA 2008) only accepts PVALID/CONTEXT code points.
    if !host.chars().all(|c| {
        c.is_ascii() || matches!(c, '\u{3002}' | '\u{ff0e}' | '\u{ff61}') || idna2008_valid(c)
    }) {
        return None;
    }
    let uts = Uts46::new();
    let ascii = uts
        .to_ascii(
            host.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Check,
            DnsLength::VerifyAllowRootDot,
        )
        .ok()?;
    let (unicode, res) = uts.to_unicode(ascii.as_bytes(), AsciiDenyList::STD3, Hyphens::Check);
    res.ok()?;
    let dotted: String = host
        .chars()
        .map(|c| match c {
            '\u{3002}' | '\u{ff0e}' | '\u{ff61}' => '.',
            c => c,
        })
        .collect();
    if unicode != dotted {
        return None;
    }
    Some(ascii.into_owned())
}

fn idna2008_valid(c: char) -> bool {
    let v = c as u32;
    // Number of range bounds <= v; odd means v lies inside a [start, end) pair.
    let idx = IDNA2008_VALID.partition_point(|&b| b <= v);
    idx % 2 == 1
}
/// Non-ASCII code points IDNA 2008 allows in a label (PVALID, CONTEXTJ, CONTEXTO), as
/// flattened half-open `[start, end)` pairs, sorted. Generated from the data of the Python
/// `idna` package (3.13, Unicode 17.0.0) that httpx uses for hostnames.
#[rustfmt::skip]
const IDNA2008_VALID: &[u32] = &[
    0xB7, 0xB8, 0xDF, 0xF7, 0xF8, 0x100, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106, 0x107, 0x108,
    0x109, 0x10A, 0x10B, 0x10C, 0x10D, 0x10E, 0x10F, 0x110, 0x111, 0x112, 0x113, 0x114, 0x115,
    0x116, 0x117, 0x118, 0x119, 0x11A, 0x11B, 0x11C, 0x11D, 0x11E, 0x11F, 0x120, 0x121, 0x122,
    0x123, 0x124, 0x125, 0x126, 0x127, 0x128, 0x129, 0x12A, 0x12B, 0x12C, 0x12D, 0x12E, 0x12F,
    0x130, 0x131, 0x132, 0x135, 0x136, 0x137, 0x139, 0x13A, 0x13B, 0x13C, 0x13D, 0x13E, 0x13F,
    0x142, 0x143, 0x144, 0x145, 0x146, 0x147, 0x148, 0x149, 0x14B, 0x14C, 0x14D, 0x14E, 0x14F,
    0x150, 0x151, 0x152, 0x153, 0x154, 0x155, 0x156, 0x157, 0x158, 0x159, 0x15A, 0x15B, 0x15C,
    0x15D, 0x15E, 0x15F, 0x160, 0x161, 0x162, 0x163, 0x164, 0x165, 0x166, 0x167, 0x168, 0x169,
    0x16A, 0x16B, 0x16C, 0x16D, 0x16E, 0x16F, 0x170, 0x171, 0x172, 0x173, 0x174, 0x175, 0x176,
    0x177, 0x178, 0x17A, 0x17B, 0x17C, 0x17D, 0x17E, 0x17F, 0x180, 0x181, 0x183, 0x184, 0x185,
    0x186, 0x188, 0x189, 0x18C, 0x18E, 0x192, 0x193, 0x195, 0x196, 0x199, 0x19C, 0x19E, 0x19F,
    0x1A1, 0x1A2, 0x1A3, 0x1A4, 0x1A5, 0x1A6, 0x1A8, 0x1A9, 0x1AA, 0x1AC, 0x1AD, 0x1AE, 0x1B0,
    0x1B1, 0x1B4, 0x1B5, 0x1B6, 0x1B7, 0x1B9, 0x1BC, 0x1BD, 0x1C4, 0x1CE, 0x1CF, 0x1D0, 0x1D1,
    0x1D2, 0x1D3, 0x1D4, 0x1D5, 0x1D6, 0x1D7, 0x1D8, 0x1D9, 0x1DA, 0x1DB, 0x1DC, 0x1DE, 0x1DF,
    0x1E0, 0x1E1, 0x1E2, 0x1E3, 0x1E4, 0x1E5, 0x1E6, 0x1E7, 0x1E8, 0x1E9, 0x1EA, 0x1EB, 0x1EC,
    0x1ED, 0x1EE, 0x1EF, 0x1F1, 0x1F5, 0x1F6, 0x1F9, 0x1FA, 0x1FB, 0x1FC, 0x1FD, 0x1FE, 0x1FF,
    0x200, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207, 0x208, 0x209, 0x20A, 0x20B, 0x20C,
    0x20D, 0x20E, 0x20F, 0x210, 0x211, 0x212, 0x213, 0x214, 0x215, 0x216, 0x217, 0x218, 0x219,
    0x21A, 0x21B, 0x21C, 0x21D, 0x21E, 0x21F, 0x220, 0x221, 0x222, 0x223, 0x224, 0x225, 0x226,
    0x227, 0x228, 0x229, 0x22A, 0x22B, 0x22C, 0x22D, 0x22E, 0x22F, 0x230, 0x231, 0x232, 0x233,
    0x23A, 0x23C, 0x23D, 0x23F, 0x241, 0x242, 0x243, 0x247, 0x248, 0x249, 0x24A, 0x24B, 0x24C,
    0x24D, 0x24E, 0x24F, 0x2B0, 0x2B9, 0x2C2, 0x2C6, 0x2D2, 0x2EC, 0x2ED, 0x2EE, 0x2EF, 0x300,
    0x340, 0x342, 0x343, 0x346, 0x34F, 0x350, 0x370, 0x371, 0x372, 0x373, 0x374, 0x375, 0x376,
    0x377, 0x378, 0x37B, 0x37E, 0x390, 0x391, 0x3AC, 0x3CF, 0x3D7, 0x3D8, 0x3D9, 0x3DA, 0x3DB,
    0x3DC, 0x3DD, 0x3DE, 0x3DF, 0x3E0, 0x3E1, 0x3E2, 0x3E3, 0x3E4, 0x3E5, 0x3E6, 0x3E7, 0x3E8,
    0x3E9, 0x3EA, 0x3EB, 0x3EC, 0x3ED, 0x3EE, 0x3EF, 0x3F0, 0x3F3, 0x3F4, 0x3F8, 0x3F9, 0x3FB,
    0x3FD, 0x430, 0x460, 0x461, 0x462, 0x463, 0x464, 0x465, 0x466, 0x467, 0x468, 0x469, 0x46A,
    0x46B, 0x46C, 0x46D, 0x46E, 0x46F, 0x470, 0x471, 0x472, 0x473, 0x474, 0x475, 0x476, 0x477,
    0x478, 0x479, 0x47A, 0x47B, 0x47C, 0x47D, 0x47E, 0x47F, 0x480, 0x481, 0x482, 0x483, 0x488,
    0x48B, 0x48C, 0x48D, 0x48E, 0x48F, 0x490, 0x491, 0x492, 0x493, 0x494, 0x495, 0x496, 0x497,
    0x498, 0x499, 0x49A, 0x49B, 0x49C, 0x49D, 0x49E, 0x49F, 0x4A0, 0x4A1, 0x4A2, 0x4A3, 0x4A4,
    0x4A5, 0x4A6, 0x4A7, 0x4A8, 0x4A9, 0x4AA, 0x4AB, 0x4AC, 0x4AD, 0x4AE, 0x4AF, 0x4B0, 0x4B1,
    0x4B2, 0x4B3, 0x4B4, 0x4B5, 0x4B6, 0x4B7, 0x4B8, 0x4B9, 0x4BA, 0x4BB, 0x4BC, 0x4BD, 0x4BE,
    0x4BF, 0x4C0, 0x4C2, 0x4C3, 0x4C4, 0x4C5, 0x4C6, 0x4C7, 0x4C8, 0x4C9, 0x4CA, 0x4CB, 0x4CC,
    0x4CD, 0x4CE, 0x4D0, 0x4D1, 0x4D2, 0x4D3, 0x4D4, 0x4D5, 0x4D6, 0x4D7, 0x4D8, 0x4D9, 0x4DA,
    0x4DB, 0x4DC, 0x4DD, 0x4DE, 0x4DF, 0x4E0, 0x4E1, 0x4E2, 0x4E3, 0x4E4, 0x4E5, 0x4E6, 0x4E7,
    0x4E8, 0x4E9, 0x4EA, 0x4EB, 0x4EC, 0x4ED, 0x4EE, 0x4EF, 0x4F0, 0x4F1, 0x4F2, 0x4F3, 0x4F4,
    0x4F5, 0x4F6, 0x4F7, 0x4F8, 0x4F9, 0x4FA, 0x4FB, 0x4FC, 0x4FD, 0x4FE, 0x4FF, 0x500, 0x501,
    0x502, 0x503, 0x504, 0x505, 0x506, 0x507, 0x508, 0x509, 0x50A, 0x50B, 0x50C, 0x50D, 0x50E,
    0x50F, 0x510, 0x511, 0x512, 0x513, 0x514, 0x515, 0x516, 0x517, 0x518, 0x519, 0x51A, 0x51B,
    0x51C, 0x51D, 0x51E, 0x51F, 0x520, 0x521, 0x522, 0x523, 0x524, 0x525, 0x526, 0x527, 0x528,
    0x529, 0x52A, 0x52B, 0x52C, 0x52D, 0x52E, 0x52F, 0x530, 0x559, 0x55A, 0x560, 0x587, 0x588,
    0x589, 0x591, 0x5BE, 0x5BF, 0x5C0, 0x5C1, 0x5C3, 0x5C4, 0x5C6, 0x5C7, 0x5C8, 0x5D0, 0x5EB,
    0x5EF, 0x5F5, 0x610, 0x61B, 0x620, 0x640, 0x641, 0x66A, 0x66E, 0x675, 0x679, 0x6D4, 0x6D5,
    0x6DD, 0x6DF, 0x6E9, 0x6EA, 0x700, 0x710, 0x74B, 0x74D, 0x7B2, 0x7C0, 0x7F6, 0x7FD, 0x7FE,
    0x800, 0x82E, 0x840, 0x85C, 0x860, 0x86B, 0x870, 0x888, 0x889, 0x890, 0x897, 0x8E2, 0x8E3,
    0x958, 0x960, 0x964, 0x966, 0x970, 0x971, 0x984, 0x985, 0x98D, 0x98F, 0x991, 0x993, 0x9A9,
    0x9AA, 0x9B1, 0x9B2, 0x9B3, 0x9B6, 0x9BA, 0x9BC, 0x9C5, 0x9C7, 0x9C9, 0x9CB, 0x9CF, 0x9D7,
    0x9D8, 0x9E0, 0x9E4, 0x9E6, 0x9F2, 0x9FC, 0x9FD, 0x9FE, 0x9FF, 0xA01, 0xA04, 0xA05, 0xA0B,
    0xA0F, 0xA11, 0xA13, 0xA29, 0xA2A, 0xA31, 0xA32, 0xA33, 0xA35, 0xA36, 0xA38, 0xA3A, 0xA3C,
    0xA3D, 0xA3E, 0xA43, 0xA47, 0xA49, 0xA4B, 0xA4E, 0xA51, 0xA52, 0xA5C, 0xA5D, 0xA66, 0xA76,
    0xA81, 0xA84, 0xA85, 0xA8E, 0xA8F, 0xA92, 0xA93, 0xAA9, 0xAAA, 0xAB1, 0xAB2, 0xAB4, 0xAB5,
    0xABA, 0xABC, 0xAC6, 0xAC7, 0xACA, 0xACB, 0xACE, 0xAD0, 0xAD1, 0xAE0, 0xAE4, 0xAE6, 0xAF0,
    0xAF9, 0xB00, 0xB01, 0xB04, 0xB05, 0xB0D, 0xB0F, 0xB11, 0xB13, 0xB29, 0xB2A, 0xB31, 0xB32,
    0xB34, 0xB35, 0xB3A, 0xB3C, 0xB45, 0xB47, 0xB49, 0xB4B, 0xB4E, 0xB55, 0xB58, 0xB5F, 0xB64,
    0xB66, 0xB70, 0xB71, 0xB72, 0xB82, 0xB84, 0xB85, 0xB8B, 0xB8E, 0xB91, 0xB92, 0xB96, 0xB99,
    0xB9B, 0xB9C, 0xB9D, 0xB9E, 0xBA0, 0xBA3, 0xBA5, 0xBA8, 0xBAB, 0xBAE, 0xBBA, 0xBBE, 0xBC3,
    0xBC6, 0xBC9, 0xBCA, 0xBCE, 0xBD0, 0xBD1, 0xBD7, 0xBD8, 0xBE6, 0xBF0, 0xC00, 0xC0D, 0xC0E,
    0xC11, 0xC12, 0xC29, 0xC2A, 0xC3A, 0xC3C, 0xC45, 0xC46, 0xC49, 0xC4A, 0xC4E, 0xC55, 0xC57,
    0xC58, 0xC5B, 0xC5C, 0xC5E, 0xC60, 0xC64, 0xC66, 0xC70, 0xC80, 0xC84, 0xC85, 0xC8D, 0xC8E,
    0xC91, 0xC92, 0xCA9, 0xCAA, 0xCB4, 0xCB5, 0xCBA, 0xCBC, 0xCC5, 0xCC6, 0xCC9, 0xCCA, 0xCCE,
    0xCD5, 0xCD7, 0xCDC, 0xCDF, 0xCE0, 0xCE4, 0xCE6, 0xCF0, 0xCF1, 0xCF4, 0xD00, 0xD0D, 0xD0E,
    0xD11, 0xD12, 0xD45, 0xD46, 0xD49, 0xD4A, 0xD4F, 0xD54, 0xD58, 0xD5F, 0xD64, 0xD66, 0xD70,
    0xD7A, 0xD80, 0xD81, 0xD84, 0xD85, 0xD97, 0xD9A, 0xDB2, 0xDB3, 0xDBC, 0xDBD, 0xDBE, 0xDC0,
    0xDC7, 0xDCA, 0xDCB, 0xDCF, 0xDD5, 0xDD6, 0xDD7, 0xDD8, 0xDE0, 0xDE6, 0xDF0, 0xDF2, 0xDF4,
    0xE01, 0xE33, 0xE34, 0xE3B, 0xE40, 0xE4F, 0xE50, 0xE5A, 0xE81, 0xE83, 0xE84, 0xE85, 0xE86,
    0xE8B, 0xE8C, 0xEA4, 0xEA5, 0xEA6, 0xEA7, 0xEB3, 0xEB4, 0xEBE, 0xEC0, 0xEC5, 0xEC6, 0xEC7,
    0xEC8, 0xECF, 0xED0, 0xEDA, 0xEDE, 0xEE0, 0xF00, 0xF01, 0xF0B, 0xF0C, 0xF18, 0xF1A, 0xF20,
    0xF2A, 0xF35, 0xF36, 0xF37, 0xF38, 0xF39, 0xF3A, 0xF3E, 0xF43, 0xF44, 0xF48, 0xF49, 0xF4D,
    0xF4E, 0xF52, 0xF53, 0xF57, 0xF58, 0xF5C, 0xF5D, 0xF69, 0xF6A, 0xF6D, 0xF71, 0xF73, 0xF74,
    0xF75, 0xF7A, 0xF81, 0xF82, 0xF85, 0xF86, 0xF93, 0xF94, 0xF98, 0xF99, 0xF9D, 0xF9E, 0xFA2,
    0xFA3, 0xFA7, 0xFA8, 0xFAC, 0xFAD, 0xFB9, 0xFBA, 0xFBD, 0xFC6, 0xFC7, 0x1000, 0x104A,
    0x1050, 0x109E, 0x10D0, 0x10FB, 0x10FD, 0x1100, 0x1200, 0x1249, 0x124A, 0x124E, 0x1250,
    0x1257, 0x1258, 0x1259, 0x125A, 0x125E, 0x1260, 0x1289, 0x128A, 0x128E, 0x1290, 0x12B1,
    0x12B2, 0x12B6, 0x12B8, 0x12BF, 0x12C0, 0x12C1, 0x12C2, 0x12C6, 0x12C8, 0x12D7, 0x12D8,
    0x1311, 0x1312, 0x1316, 0x1318, 0x135B, 0x135D, 0x1360, 0x1380, 0x1390, 0x13A0, 0x13F6,
    0x1401, 0x166D, 0x166F, 0x1680, 0x1681, 0x169B, 0x16A0, 0x16EB, 0x16F1, 0x16F9, 0x1700,
    0x1716, 0x171F, 0x1735, 0x1740, 0x1754, 0x1760, 0x176D, 0x176E, 0x1771, 0x1772, 0x1774,
    0x1780, 0x17B4, 0x17B6, 0x17D4, 0x17D7, 0x17D8, 0x17DC, 0x17DE, 0x17E0, 0x17EA, 0x1810,
    0x181A, 0x1820, 0x1879, 0x1880, 0x18AB, 0x18B0, 0x18F6, 0x1900, 0x191F, 0x1920, 0x192C,
    0x1930, 0x193C, 0x1946, 0x196E, 0x1970, 0x1975, 0x1980, 0x19AC, 0x19B0, 0x19CA, 0x19D0,
    0x19DA, 0x1A00, 0x1A1C, 0x1A20, 0x1A5F, 0x1A60, 0x1A7D, 0x1A7F, 0x1A8A, 0x1A90, 0x1A9A,
    0x1AA7, 0x1AA8, 0x1AB0, 0x1ABE, 0x1ABF, 0x1ADE, 0x1AE0, 0x1AEC, 0x1B00, 0x1B4D, 0x1B50,
    0x1B5A, 0x1B6B, 0x1B74, 0x1B80, 0x1BF4, 0x1C00, 0x1C38, 0x1C40, 0x1C4A, 0x1C4D, 0x1C7E,
    0x1C8A, 0x1C8B, 0x1CD0, 0x1CD3, 0x1CD4, 0x1CFB, 0x1D00, 0x1D2C, 0x1D2F, 0x1D30, 0x1D3B,
    0x1D3C, 0x1D4E, 0x1D4F, 0x1D6B, 0x1D78, 0x1D79, 0x1D9B, 0x1DC0, 0x1E00, 0x1E01, 0x1E02,
    0x1E03, 0x1E04, 0x1E05, 0x1E06, 0x1E07, 0x1E08, 0x1E09, 0x1E0A, 0x1E0B, 0x1E0C, 0x1E0D,
    0x1E0E, 0x1E0F, 0x1E10, 0x1E11, 0x1E12, 0x1E13, 0x1E14, 0x1E15, 0x1E16, 0x1E17, 0x1E18,
    0x1E19, 0x1E1A, 0x1E1B, 0x1E1C, 0x1E1D, 0x1E1E, 0x1E1F, 0x1E20, 0x1E21, 0x1E22, 0x1E23,
    0x1E24, 0x1E25, 0x1E26, 0x1E27, 0x1E28, 0x1E29, 0x1E2A, 0x1E2B, 0x1E2C, 0x1E2D, 0x1E2E,
    0x1E2F, 0x1E30, 0x1E31, 0x1E32, 0x1E33, 0x1E34, 0x1E35, 0x1E36, 0x1E37, 0x1E38, 0x1E39,
    0x1E3A, 0x1E3B, 0x1E3C, 0x1E3D, 0x1E3E, 0x1E3F, 0x1E40, 0x1E41, 0x1E42, 0x1E43, 0x1E44,
    0x1E45, 0x1E46, 0x1E47, 0x1E48, 0x1E49, 0x1E4A, 0x1E4B, 0x1E4C, 0x1E4D, 0x1E4E, 0x1E4F,
    0x1E50, 0x1E51, 0x1E52, 0x1E53, 0x1E54, 0x1E55, 0x1E56, 0x1E57, 0x1E58, 0x1E59, 0x1E5A,
    0x1E5B, 0x1E5C, 0x1E5D, 0x1E5E, 0x1E5F, 0x1E60, 0x1E61, 0x1E62, 0x1E63, 0x1E64, 0x1E65,
    0x1E66, 0x1E67, 0x1E68, 0x1E69, 0x1E6A, 0x1E6B, 0x1E6C, 0x1E6D, 0x1E6E, 0x1E6F, 0x1E70,
    0x1E71, 0x1E72, 0x1E73, 0x1E74, 0x1E75, 0x1E76, 0x1E77, 0x1E78, 0x1E79, 0x1E7A, 0x1E7B,
    0x1E7C, 0x1E7D, 0x1E7E, 0x1E7F, 0x1E80, 0x1E81, 0x1E82, 0x1E83, 0x1E84, 0x1E85, 0x1E86,
    0x1E87, 0x1E88, 0x1E89, 0x1E8A, 0x1E8B, 0x1E8C, 0x1E8D, 0x1E8E, 0x1E8F, 0x1E90, 0x1E91,
    0x1E92, 0x1E93, 0x1E94, 0x1E95, 0x1E9A, 0x1E9C, 0x1E9E, 0x1E9F, 0x1EA0, 0x1EA1, 0x1EA2,
    0x1EA3, 0x1EA4, 0x1EA5, 0x1EA6, 0x1EA7, 0x1EA8, 0x1EA9, 0x1EAA, 0x1EAB, 0x1EAC, 0x1EAD,
    0x1EAE, 0x1EAF, 0x1EB0, 0x1EB1, 0x1EB2, 0x1EB3, 0x1EB4, 0x1EB5, 0x1EB6, 0x1EB7, 0x1EB8,
    0x1EB9, 0x1EBA, 0x1EBB, 0x1EBC, 0x1EBD, 0x1EBE, 0x1EBF, 0x1EC0, 0x1EC1, 0x1EC2, 0x1EC3,
    0x1EC4, 0x1EC5, 0x1EC6, 0x1EC7, 0x1EC8, 0x1EC9, 0x1ECA, 0x1ECB, 0x1ECC, 0x1ECD, 0x1ECE,
    0x1ECF, 0x1ED0, 0x1ED1, 0x1ED2, 0x1ED3, 0x1ED4, 0x1ED5, 0x1ED6, 0x1ED7, 0x1ED8, 0x1ED9,
    0x1EDA, 0x1EDB, 0x1EDC, 0x1EDD, 0x1EDE, 0x1EDF, 0x1EE0, 0x1EE1, 0x1EE2, 0x1EE3, 0x1EE4,
    0x1EE5, 0x1EE6, 0x1EE7, 0x1EE8, 0x1EE9, 0x1EEA, 0x1EEB, 0x1EEC, 0x1EED, 0x1EEE, 0x1EEF,
    0x1EF0, 0x1EF1, 0x1EF2, 0x1EF3, 0x1EF4, 0x1EF5, 0x1EF6, 0x1EF7, 0x1EF8, 0x1EF9, 0x1EFA,
    0x1EFB, 0x1EFC, 0x1EFD, 0x1EFE, 0x1EFF, 0x1F08, 0x1F10, 0x1F16, 0x1F20, 0x1F28, 0x1F30,
    0x1F38, 0x1F40, 0x1F46, 0x1F50, 0x1F58, 0x1F60, 0x1F68, 0x1F70, 0x1F71, 0x1F72, 0x1F73,
    0x1F74, 0x1F75, 0x1F76, 0x1F77, 0x1F78, 0x1F79, 0x1F7A, 0x1F7B, 0x1F7C, 0x1F7D, 0x1FB0,
    0x1FB2, 0x1FB6, 0x1FB7, 0x1FC6, 0x1FC7, 0x1FD0, 0x1FD3, 0x1FD6, 0x1FD8, 0x1FE0, 0x1FE3,
    0x1FE4, 0x1FE8, 0x1FF6, 0x1FF7, 0x200C, 0x200E, 0x214E, 0x214F, 0x2184, 0x2185, 0x2C30,
    0x2C60, 0x2C61, 0x2C62, 0x2C65, 0x2C67, 0x2C68, 0x2C69, 0x2C6A, 0x2C6B, 0x2C6C, 0x2C6D,
    0x2C71, 0x2C72, 0x2C73, 0x2C75, 0x2C76, 0x2C7C, 0x2C81, 0x2C82, 0x2C83, 0x2C84, 0x2C85,
    0x2C86, 0x2C87, 0x2C88, 0x2C89, 0x2C8A, 0x2C8B, 0x2C8C, 0x2C8D, 0x2C8E, 0x2C8F, 0x2C90,
    0x2C91, 0x2C92, 0x2C93, 0x2C94, 0x2C95, 0x2C96, 0x2C97, 0x2C98, 0x2C99, 0x2C9A, 0x2C9B,
    0x2C9C, 0x2C9D, 0x2C9E, 0x2C9F, 0x2CA0, 0x2CA1, 0x2CA2, 0x2CA3, 0x2CA4, 0x2CA5, 0x2CA6,
    0x2CA7, 0x2CA8, 0x2CA9, 0x2CAA, 0x2CAB, 0x2CAC, 0x2CAD, 0x2CAE, 0x2CAF, 0x2CB0, 0x2CB1,
    0x2CB2, 0x2CB3, 0x2CB4, 0x2CB5, 0x2CB6, 0x2CB7, 0x2CB8, 0x2CB9, 0x2CBA, 0x2CBB, 0x2CBC,
    0x2CBD, 0x2CBE, 0x2CBF, 0x2CC0, 0x2CC1, 0x2CC2, 0x2CC3, 0x2CC4, 0x2CC5, 0x2CC6, 0x2CC7,
    0x2CC8, 0x2CC9, 0x2CCA, 0x2CCB, 0x2CCC, 0x2CCD, 0x2CCE, 0x2CCF, 0x2CD0, 0x2CD1, 0x2CD2,
    0x2CD3, 0x2CD4, 0x2CD5, 0x2CD6, 0x2CD7, 0x2CD8, 0x2CD9, 0x2CDA, 0x2CDB, 0x2CDC, 0x2CDD,
    0x2CDE, 0x2CDF, 0x2CE0, 0x2CE1, 0x2CE2, 0x2CE3, 0x2CE5, 0x2CEC, 0x2CED, 0x2CEE, 0x2CF2,
    0x2CF3, 0x2CF4, 0x2D00, 0x2D26, 0x2D27, 0x2D28, 0x2D2D, 0x2D2E, 0x2D30, 0x2D68, 0x2D7F,
    0x2D97, 0x2DA0, 0x2DA7, 0x2DA8, 0x2DAF, 0x2DB0, 0x2DB7, 0x2DB8, 0x2DBF, 0x2DC0, 0x2DC7,
    0x2DC8, 0x2DCF, 0x2DD0, 0x2DD7, 0x2DD8, 0x2DDF, 0x2DE0, 0x2E00, 0x2E2F, 0x2E30, 0x3005,
    0x3008, 0x302A, 0x302E, 0x303C, 0x303D, 0x3041, 0x3097, 0x3099, 0x309B, 0x309D, 0x309F,
    0x30A1, 0x30FF, 0x3105, 0x3130, 0x31A0, 0x31C0, 0x31F0, 0x3200, 0x3400, 0x4DC0, 0x4E00,
    0xA48D, 0xA4D0, 0xA4FE, 0xA500, 0xA60D, 0xA610, 0xA62C, 0xA641, 0xA642, 0xA643, 0xA644,
    0xA645, 0xA646, 0xA647, 0xA648, 0xA649, 0xA64A, 0xA64B, 0xA64C, 0xA64D, 0xA64E, 0xA64F,
    0xA650, 0xA651, 0xA652, 0xA653, 0xA654, 0xA655, 0xA656, 0xA657, 0xA658, 0xA659, 0xA65A,
    0xA65B, 0xA65C, 0xA65D, 0xA65E, 0xA65F, 0xA660, 0xA661, 0xA662, 0xA663, 0xA664, 0xA665,
    0xA666, 0xA667, 0xA668, 0xA669, 0xA66A, 0xA66B, 0xA66C, 0xA66D, 0xA670, 0xA674, 0xA67E,
    0xA67F, 0xA680, 0xA681, 0xA682, 0xA683, 0xA684, 0xA685, 0xA686, 0xA687, 0xA688, 0xA689,
    0xA68A, 0xA68B, 0xA68C, 0xA68D, 0xA68E, 0xA68F, 0xA690, 0xA691, 0xA692, 0xA693, 0xA694,
    0xA695, 0xA696, 0xA697, 0xA698, 0xA699, 0xA69A, 0xA69B, 0xA69C, 0xA69E, 0xA6E6, 0xA6F0,
    0xA6F2, 0xA717, 0xA720, 0xA723, 0xA724, 0xA725, 0xA726, 0xA727, 0xA728, 0xA729, 0xA72A,
    0xA72B, 0xA72C, 0xA72D, 0xA72E, 0xA72F, 0xA732, 0xA733, 0xA734, 0xA735, 0xA736, 0xA737,
    0xA738, 0xA739, 0xA73A, 0xA73B, 0xA73C, 0xA73D, 0xA73E, 0xA73F, 0xA740, 0xA741, 0xA742,
    0xA743, 0xA744, 0xA745, 0xA746, 0xA747, 0xA748, 0xA749, 0xA74A, 0xA74B, 0xA74C, 0xA74D,
    0xA74E, 0xA74F, 0xA750, 0xA751, 0xA752, 0xA753, 0xA754, 0xA755, 0xA756, 0xA757, 0xA758,
    0xA759, 0xA75A, 0xA75B, 0xA75C, 0xA75D, 0xA75E, 0xA75F, 0xA760, 0xA761, 0xA762, 0xA763,
    0xA764, 0xA765, 0xA766, 0xA767, 0xA768, 0xA769, 0xA76A, 0xA76B, 0xA76C, 0xA76D, 0xA76E,
    0xA76F, 0xA770, 0xA771, 0xA779, 0xA77A, 0xA77B, 0xA77C, 0xA77D, 0xA77F, 0xA780, 0xA781,
    0xA782, 0xA783, 0xA784, 0xA785, 0xA786, 0xA787, 0xA789, 0xA78C, 0xA78D, 0xA78E, 0xA790,
    0xA791, 0xA792, 0xA793, 0xA796, 0xA797, 0xA798, 0xA799, 0xA79A, 0xA79B, 0xA79C, 0xA79D,
    0xA79E, 0xA79F, 0xA7A0, 0xA7A1, 0xA7A2, 0xA7A3, 0xA7A4, 0xA7A5, 0xA7A6, 0xA7A7, 0xA7A8,
    0xA7A9, 0xA7AA, 0xA7AF, 0xA7B0, 0xA7B5, 0xA7B6, 0xA7B7, 0xA7B8, 0xA7B9, 0xA7BA, 0xA7BB,
    0xA7BC, 0xA7BD, 0xA7BE, 0xA7BF, 0xA7C0, 0xA7C1, 0xA7C2, 0xA7C3, 0xA7C4, 0xA7C8, 0xA7C9,
    0xA7CA, 0xA7CB, 0xA7CD, 0xA7CE, 0xA7CF, 0xA7D0, 0xA7D1, 0xA7D2, 0xA7D3, 0xA7D4, 0xA7D5,
    0xA7D6, 0xA7D7, 0xA7D8, 0xA7D9, 0xA7DA, 0xA7DB, 0xA7DC, 0xA7F6, 0xA7F8, 0xA7FA, 0xA828,
    0xA82C, 0xA82D, 0xA840, 0xA874, 0xA880, 0xA8C6, 0xA8D0, 0xA8DA, 0xA8E0, 0xA8F8, 0xA8FB,
    0xA8FC, 0xA8FD, 0xA92E, 0xA930, 0xA954, 0xA980, 0xA9C1, 0xA9CF, 0xA9DA, 0xA9E0, 0xA9FF,
    0xAA00, 0xAA37, 0xAA40, 0xAA4E, 0xAA50, 0xAA5A, 0xAA60, 0xAA77, 0xAA7A, 0xAAC3, 0xAADB,
    0xAADE, 0xAAE0, 0xAAF0, 0xAAF2, 0xAAF7, 0xAB01, 0xAB07, 0xAB09, 0xAB0F, 0xAB11, 0xAB17,
    0xAB20, 0xAB27, 0xAB28, 0xAB2F, 0xAB30, 0xAB5B, 0xAB60, 0xAB69, 0xABC0, 0xABEB, 0xABEC,
    0xABEE, 0xABF0, 0xABFA, 0xAC00, 0xD7A4, 0xFA0E, 0xFA10, 0xFA11, 0xFA12, 0xFA13, 0xFA15,
    0xFA1F, 0xFA20, 0xFA21, 0xFA22, 0xFA23, 0xFA25, 0xFA27, 0xFA2A, 0xFB1E, 0xFB1F, 0xFE20,
    0xFE30, 0xFE73, 0xFE74, 0x10000, 0x1000C, 0x1000D, 0x10027, 0x10028, 0x1003B, 0x1003C,
    0x1003E, 0x1003F, 0x1004E, 0x10050, 0x1005E, 0x10080, 0x100FB, 0x101FD, 0x101FE, 0x10280,
    0x1029D, 0x102A0, 0x102D1, 0x102E0, 0x102E1, 0x10300, 0x10320, 0x1032D, 0x10341, 0x10342,
    0x1034A, 0x10350, 0x1037B, 0x10380, 0x1039E, 0x103A0, 0x103C4, 0x103C8, 0x103D0, 0x10428,
    0x1049E, 0x104A0, 0x104AA, 0x104D8, 0x104FC, 0x10500, 0x10528, 0x10530, 0x10564, 0x10597,
    0x105A2, 0x105A3, 0x105B2, 0x105B3, 0x105BA, 0x105BB, 0x105BD, 0x105C0, 0x105F4, 0x10600,
    0x10737, 0x10740, 0x10756, 0x10760, 0x10768, 0x10780, 0x10781, 0x10800, 0x10806, 0x10808,
    0x10809, 0x1080A, 0x10836, 0x10837, 0x10839, 0x1083C, 0x1083D, 0x1083F, 0x10856, 0x10860,
    0x10877, 0x10880, 0x1089F, 0x108E0, 0x108F3, 0x108F4, 0x108F6, 0x10900, 0x10916, 0x10920,
    0x1093A, 0x10940, 0x1095A, 0x10980, 0x109B8, 0x109BE, 0x109C0, 0x10A00, 0x10A04, 0x10A05,
    0x10A07, 0x10A0C, 0x10A14, 0x10A15, 0x10A18, 0x10A19, 0x10A36, 0x10A38, 0x10A3B, 0x10A3F,
    0x10A40, 0x10A60, 0x10A7D, 0x10A80, 0x10A9D, 0x10AC0, 0x10AC8, 0x10AC9, 0x10AE7, 0x10B00,
    0x10B36, 0x10B40, 0x10B56, 0x10B60, 0x10B73, 0x10B80, 0x10B92, 0x10C00, 0x10C49, 0x10CC0,
    0x10CF3, 0x10D00, 0x10D28, 0x10D30, 0x10D3A, 0x10D40, 0x10D50, 0x10D69, 0x10D6E, 0x10D6F,
    0x10D86, 0x10E80, 0x10EAA, 0x10EAB, 0x10EAD, 0x10EB0, 0x10EB2, 0x10EC2, 0x10EC8, 0x10EFA,
    0x10F1D, 0x10F27, 0x10F28, 0x10F30, 0x10F51, 0x10F70, 0x10F86, 0x10FB0, 0x10FC5, 0x10FE0,
    0x10FF7, 0x11000, 0x11047, 0x11066, 0x11076, 0x1107F, 0x110BB, 0x110C2, 0x110C3, 0x110D0,
    0x110E9, 0x110F0, 0x110FA, 0x11100, 0x11135, 0x11136, 0x11140, 0x11144, 0x11148, 0x11150,
    0x11174, 0x11176, 0x11177, 0x11180, 0x111C5, 0x111C9, 0x111CD, 0x111CE, 0x111DB, 0x111DC,
    0x111DD, 0x11200, 0x11212, 0x11213, 0x11238, 0x1123E, 0x11242, 0x11280, 0x11287, 0x11288,
    0x11289, 0x1128A, 0x1128E, 0x1128F, 0x1129E, 0x1129F, 0x112A9, 0x112B0, 0x112EB, 0x112F0,
    0x112FA, 0x11300, 0x11304, 0x11305, 0x1130D, 0x1130F, 0x11311, 0x11313, 0x11329, 0x1132A,
    0x11331, 0x11332, 0x11334, 0x11335, 0x1133A, 0x1133B, 0x11345, 0x11347, 0x11349, 0x1134B,
    0x1134E, 0x11350, 0x11351, 0x11357, 0x11358, 0x1135D, 0x11364, 0x11366, 0x1136D, 0x11370,
    0x11375, 0x11380, 0x1138A, 0x1138B, 0x1138C, 0x1138E, 0x1138F, 0x11390, 0x113B6, 0x113B7,
    0x113C1, 0x113C2, 0x113C3, 0x113C5, 0x113C6, 0x113C7, 0x113CB, 0x113CC, 0x113D4, 0x113E1,
    0x113E3, 0x11400, 0x1144B, 0x11450, 0x1145A, 0x1145E, 0x11462, 0x11480, 0x114C6, 0x114C7,
    0x114C8, 0x114D0, 0x114DA, 0x11580, 0x115B6, 0x115B8, 0x115C1, 0x115D8, 0x115DE, 0x11600,
    0x11641, 0x11644, 0x11645, 0x11650, 0x1165A, 0x11680, 0x116B9, 0x116C0, 0x116CA, 0x116D0,
    0x116E4, 0x11700, 0x1171B, 0x1171D, 0x1172C, 0x11730, 0x1173A, 0x11740, 0x11747, 0x11800,
    0x1183B, 0x118C0, 0x118EA, 0x118FF, 0x11907, 0x11909, 0x1190A, 0x1190C, 0x11914, 0x11915,
    0x11917, 0x11918, 0x11936, 0x11937, 0x11939, 0x1193B, 0x11944, 0x11950, 0x1195A, 0x119A0,
    0x119A8, 0x119AA, 0x119D8, 0x119DA, 0x119E2, 0x119E3, 0x119E5, 0x11A00, 0x11A3F, 0x11A47,
    0x11A48, 0x11A50, 0x11A9A, 0x11A9D, 0x11A9E, 0x11AB0, 0x11AF9, 0x11B60, 0x11B68, 0x11BC0,
    0x11BE1, 0x11BF0, 0x11BFA, 0x11C00, 0x11C09, 0x11C0A, 0x11C37, 0x11C38, 0x11C41, 0x11C50,
    0x11C5A, 0x11C72, 0x11C90, 0x11C92, 0x11CA8, 0x11CA9, 0x11CB7, 0x11D00, 0x11D07, 0x11D08,
    0x11D0A, 0x11D0B, 0x11D37, 0x11D3A, 0x11D3B, 0x11D3C, 0x11D3E, 0x11D3F, 0x11D48, 0x11D50,
    0x11D5A, 0x11D60, 0x11D66, 0x11D67, 0x11D69, 0x11D6A, 0x11D8F, 0x11D90, 0x11D92, 0x11D93,
    0x11D99, 0x11DA0, 0x11DAA, 0x11DB0, 0x11DDC, 0x11DE0, 0x11DEA, 0x11EE0, 0x11EF7, 0x11F00,
    0x11F11, 0x11F12, 0x11F3B, 0x11F3E, 0x11F43, 0x11F50, 0x11F5B, 0x11FB0, 0x11FB1, 0x12000,
    0x1239A, 0x12480, 0x12544, 0x12F90, 0x12FF1, 0x13000, 0x13430, 0x13440, 0x13456, 0x13460,
    0x143FB, 0x14400, 0x14647, 0x16100, 0x1613A, 0x16800, 0x16A39, 0x16A40, 0x16A5F, 0x16A60,
    0x16A6A, 0x16A70, 0x16ABF, 0x16AC0, 0x16ACA, 0x16AD0, 0x16AEE, 0x16AF0, 0x16AF5, 0x16B00,
    0x16B37, 0x16B40, 0x16B44, 0x16B50, 0x16B5A, 0x16B63, 0x16B78, 0x16B7D, 0x16B90, 0x16D40,
    0x16D6D, 0x16D70, 0x16D7A, 0x16E60, 0x16E80, 0x16EBB, 0x16ED4, 0x16F00, 0x16F4B, 0x16F4F,
    0x16F88, 0x16F8F, 0x16FA0, 0x16FE0, 0x16FE2, 0x16FE3, 0x16FE5, 0x16FF0, 0x16FF4, 0x17000,
    0x18CD6, 0x18CFF, 0x18D1F, 0x18D80, 0x18DF3, 0x1AFF0, 0x1AFF4, 0x1AFF5, 0x1AFFC, 0x1AFFD,
    0x1AFFF, 0x1B000, 0x1B123, 0x1B132, 0x1B133, 0x1B150, 0x1B153, 0x1B155, 0x1B156, 0x1B164,
    0x1B168, 0x1B170, 0x1B2FC, 0x1BC00, 0x1BC6B, 0x1BC70, 0x1BC7D, 0x1BC80, 0x1BC89, 0x1BC90,
    0x1BC9A, 0x1BC9D, 0x1BC9F, 0x1CF00, 0x1CF2E, 0x1CF30, 0x1CF47, 0x1DA00, 0x1DA37, 0x1DA3B,
    0x1DA6D, 0x1DA75, 0x1DA76, 0x1DA84, 0x1DA85, 0x1DA9B, 0x1DAA0, 0x1DAA1, 0x1DAB0, 0x1DF00,
    0x1DF1F, 0x1DF25, 0x1DF2B, 0x1E000, 0x1E007, 0x1E008, 0x1E019, 0x1E01B, 0x1E022, 0x1E023,
    0x1E025, 0x1E026, 0x1E02B, 0x1E08F, 0x1E090, 0x1E100, 0x1E12D, 0x1E130, 0x1E13E, 0x1E140,
    0x1E14A, 0x1E14E, 0x1E14F, 0x1E290, 0x1E2AF, 0x1E2C0, 0x1E2FA, 0x1E4D0, 0x1E4FA, 0x1E5D0,
    0x1E5FB, 0x1E6C0, 0x1E6DF, 0x1E6E0, 0x1E6F6, 0x1E6FE, 0x1E700, 0x1E7E0, 0x1E7E7, 0x1E7E8,
    0x1E7EC, 0x1E7ED, 0x1E7EF, 0x1E7F0, 0x1E7FF, 0x1E800, 0x1E8C5, 0x1E8D0, 0x1E8D7, 0x1E922,
    0x1E94C, 0x1E950, 0x1E95A, 0x20000, 0x2A6E0, 0x2A700, 0x2B81E, 0x2B820, 0x2CEAE, 0x2CEB0,
    0x2EBE1, 0x2EBF0, 0x2EE5E, 0x30000, 0x3134B, 0x31350, 0x3347A,
];

fn encode_host(host: &str) -> Result<String, UrlError> {
    if host.is_empty() {
        Ok(String::new())
    } else if is_ipv4_style(host) {
        if valid_ipv4(host) {
            Ok(host.to_owned())
        } else {
            Err(UrlError::with_repr("Invalid IPv4 address: ", host))
        }
    } else if host.len() >= 2 && host.starts_with('[') && host.ends_with(']') {
        let inner = &host[1..host.len() - 1];
        if valid_ipv6(inner) {
            Ok(inner.to_owned())
        } else {
            Err(UrlError::with_repr("Invalid IPv6 address: ", host))
        }
    } else if host.is_ascii() {
        Ok(quote(&host.to_ascii_lowercase(), HOST_SAFE))
    } else {
        idna_encode(&host.to_lowercase())
            .ok_or_else(|| UrlError::with_repr("Invalid IDNA hostname: ", host))
    }
}

/// Code points of the Unicode decimal digit zeros (each followed by 1..=9), Unicode 14,
/// as accepted by Python's `int()`.
const DECIMAL_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

fn decimal_value(c: char) -> Option<u32> {
    let v = c as u32;
    DECIMAL_ZEROS
        .iter()
        .find(|&&z| v >= z && v < z + 10)
        .map(|&z| v - z)
}

/// Python `int(str)` (base 10: whitespace, sign, underscores, Unicode decimal digits),
/// range-checked to a TCP port (0..=65535).
fn parse_port_number(port: &str) -> Option<u16> {
    let t = port.trim();
    let (negative, digits) = if let Some(rest) = t.strip_prefix('+') {
        (false, rest)
    } else if let Some(rest) = t.strip_prefix('-') {
        (true, rest)
    } else {
        (false, t)
    };
    if digits.starts_with('_') || digits.ends_with('_') || digits.is_empty() {
        return None;
    }
    let mut value: u32 = 0;
    let mut prev_underscore = false;
    for c in digits.chars() {
        if c == '_' {
            if prev_underscore {
                return None;
            }
            prev_underscore = true;
            continue;
        }
        prev_underscore = false;
        let d = decimal_value(c)?;
        value = value.saturating_mul(10).saturating_add(d);
        if value > 65535 {
            return None;
        }
    }
    if negative && value != 0 {
        return None;
    }
    u16::try_from(value).ok()
}

fn normalize_port(port: Option<&str>, scheme: &str) -> Result<Option<u16>, UrlError> {
    let port = match port {
        None | Some("") => return Ok(None),
        Some(p) => p,
    };
    let value =
        parse_port_number(port).ok_or_else(|| UrlError::with_repr("Invalid port: ", port))?;
    if default_port(scheme) == Some(value) {
        Ok(None)
    } else {
        Ok(Some(value))
    }
}

fn validate_path(path: &str, has_scheme: bool, has_authority: bool) -> Result<(), UrlError> {
    if has_authority && !path.is_empty() && !path.starts_with('/') {
        return Err(UrlError::plain(
            "For absolute URLs, path must be empty or begin with '/'",
        ));
    }
    if !has_scheme && !has_authority {
        if path.starts_with("//") {
            return Err(UrlError::plain(
                "Relative URLs cannot have a path starting with '//'",
            ));
        }
        if path.starts_with(':') {
            return Err(UrlError::plain(
                "Relative URLs cannot have a path starting with ':'",
            ));
        }
    }
    Ok(())
}

/// Drop "." and ".." segments (httpx's variant of RFC 3986 remove_dot_segments).
pub(crate) fn normalize_path(path: &str) -> String {
    if !path.contains('.') || !path.split('/').any(|s| s == "." || s == "..") {
        return path.to_owned();
    }
    let mut output: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "." => {}
            ".." => {
                if !(output.is_empty() || output == [""]) {
                    output.pop();
                }
            }
            s => output.push(s),
        }
    }
    output.join("/")
}

/// Parse `url`, with keyword components overriding/added (httpx `urlparse(url, **kwargs)`).
/// Errors are the InvalidURL messages.
pub fn urlparse(url: &str, kwargs: UrlKwargs) -> Result<UrlParts, UrlError> {
    if too_long(url) {
        return Err(UrlError::plain("URL too long"));
    }
    if let Some((idx, c)) = find_non_printable(url) {
        return Err(UrlError::plain(format!(
            "Invalid non-printable ASCII character in URL, {} at position {idx}.",
            py_repr_str(&c.to_string())
        )));
    }

    let mut kw = kwargs;
    if let Some(netloc) = kw.netloc.take() {
        let netloc = netloc.unwrap_or_default();
        let (h, p) = netloc.split_once(':').unwrap_or((&netloc, ""));
        kw.host = Some(Some(h.to_owned()));
        kw.port = Some(Some(p.to_owned()));
    }
    if kw.username.is_some() || kw.password.is_some() {
        let user = quote(
            &kw.username.take().flatten().unwrap_or_default(),
            USERNAME_SAFE,
        );
        let pass = quote(
            &kw.password.take().flatten().unwrap_or_default(),
            USERNAME_SAFE,
        );
        kw.userinfo = Some(Some(if pass.is_empty() {
            user
        } else {
            format!("{user}:{pass}")
        }));
    }
    if let Some(raw_path) = kw.raw_path.take() {
        let raw_path = raw_path.unwrap_or_default();
        match raw_path.split_once('?') {
            Some((p, q)) => {
                kw.path = Some(Some(p.to_owned()));
                kw.query = Some(Some(q.to_owned()));
            }
            None => {
                kw.path = Some(Some(raw_path));
                kw.query = Some(None);
            }
        }
    }
    if let Some(Some(h)) = &kw.host {
        if h.contains(':') && !(h.starts_with('[') && h.ends_with(']')) {
            kw.host = Some(Some(format!("[{h}]")));
        }
    }
    for (key, value) in [
        ("scheme", &kw.scheme),
        ("authority", &kw.authority),
        ("userinfo", &kw.userinfo),
        ("host", &kw.host),
        ("port", &kw.port),
        ("path", &kw.path),
        ("query", &kw.query),
        ("fragment", &kw.fragment),
    ] {
        if let Some(Some(v)) = value {
            check_component(key, v)?;
        }
    }

    let split = split_url(url);
    let pick = |given: &Option<Option<String>>, parsed: Option<&str>| -> Option<String> {
        match given {
            Some(v) => v.clone(),
            None => parsed.map(str::to_owned),
        }
    };
    let scheme = pick(&kw.scheme, split.scheme).unwrap_or_default();
    let authority = pick(&kw.authority, split.authority).unwrap_or_default();
    let path = pick(&kw.path, Some(split.path)).unwrap_or_default();
    let query = pick(&kw.query, split.query);
    let fragment = pick(&kw.fragment, split.fragment);

    let (a_userinfo, a_host, a_port) = split_authority(&authority);
    let userinfo = pick(&kw.userinfo, a_userinfo).unwrap_or_default();
    let host = pick(&kw.host, Some(a_host)).unwrap_or_default();
    let port = pick(&kw.port, Some(a_port));

    let parsed_scheme = scheme.to_ascii_lowercase();
    let parsed_userinfo = quote(&userinfo, USERINFO_SAFE);
    let parsed_host = encode_host(&host)?;
    let parsed_port = normalize_port(port.as_deref(), &scheme)?;

    let has_scheme = !parsed_scheme.is_empty();
    let has_authority =
        !parsed_userinfo.is_empty() || !parsed_host.is_empty() || parsed_port.is_some();
    validate_path(&path, has_scheme, has_authority)?;
    let path = if has_scheme || has_authority {
        normalize_path(&path)
    } else {
        path
    };

    Ok(UrlParts {
        scheme: parsed_scheme,
        userinfo: parsed_userinfo,
        host: parsed_host,
        port: parsed_port,
        path: quote(&path, PATH_SAFE),
        query: query.map(|q| quote(&q, QUERY_SAFE)),
        fragment: fragment.map(|f| quote(&f, FRAG_SAFE)),
    })
}

/// httpx `ParseResult.copy_with`: the existing components are the defaults.
pub fn copy_parts_with(parts: &UrlParts, kwargs: UrlKwargs) -> Result<UrlParts, UrlError> {
    if kwargs.is_empty() {
        return Ok(parts.clone());
    }
    let mut kw = kwargs;
    kw.scheme.get_or_insert_with(|| Some(parts.scheme.clone()));
    kw.authority.get_or_insert_with(|| Some(parts.authority()));
    kw.path.get_or_insert_with(|| Some(parts.path.clone()));
    kw.query.get_or_insert_with(|| parts.query.clone());
    kw.fragment.get_or_insert_with(|| parts.fragment.clone());
    urlparse("", kw)
}

// ---------------------------------------------------------------------------
// Joining: `urllib.parse.urljoin` semantics, which is what httpx's `URL.join` uses.
// (RFC 3986 §5.2 resolution, with urljoin's differences: an empty query or
// fragment in the reference is dropped, "http:g" is treated as relative, empty
// segments are collapsed when merging relative paths, and schemes outside
// `uses_relative` are not resolved.)
// ---------------------------------------------------------------------------

const USES_RELATIVE: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "imap", "wais", "file", "https", "shttp", "mms",
    "prospero", "rtsp", "rtsps", "rtspu", "sftp", "svn", "svn+ssh", "ws", "wss",
];
const USES_NETLOC: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp",
    "snews", "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git",
    "git+ssh", "ws", "wss",
];
const USES_PARAMS: &[&str] = &[
    "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu",
    "sip", "sips", "mms", "sftp", "tel",
];

#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct StdParse {
    scheme: String,
    netloc: String,
    path: String,
    params: String,
    query: String,
    fragment: String,
}

/// `urllib.parse.urlparse(url, default_scheme)`.
fn std_urlparse(url: &str, default_scheme: &str) -> StdParse {
    let trimmed = url.trim_start_matches(|c: char| c <= ' ');
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let mut rest: &str = &cleaned;
    let mut scheme = default_scheme.to_owned();
    if let Some(i) = rest.find(':') {
        let candidate = &rest[..i];
        if i > 0
            && candidate
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_alphabetic)
            && candidate.bytes().all(is_scheme_char)
        {
            scheme = candidate.to_ascii_lowercase();
            rest = &rest[i + 1..];
        }
    }
    let mut netloc = "";
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        netloc = &after[..end];
        rest = &after[end..];
    }
    let mut fragment = "";
    if let Some((r, f)) = rest.split_once('#') {
        rest = r;
        fragment = f;
    }
    let mut query = "";
    if let Some((r, q)) = rest.split_once('?') {
        rest = r;
        query = q;
    }
    let mut path = rest;
    let mut params = "";
    if USES_PARAMS.contains(&scheme.as_str()) && path.contains(';') {
        let start = path.rfind('/').unwrap_or(0);
        if let Some(off) = path[start..].find(';') {
            let i = start + off;
            params = &path[i + 1..];
            path = &path[..i];
        }
    }
    StdParse {
        scheme,
        netloc: netloc.to_owned(),
        path: path.to_owned(),
        params: params.to_owned(),
        query: query.to_owned(),
        fragment: fragment.to_owned(),
    }
}

/// `urllib.parse.urlunparse`.
fn std_urlunparse(p: &StdParse) -> String {
    let mut url = p.path.clone();
    if !p.params.is_empty() {
        url = format!("{url};{}", p.params);
    }
    if !p.netloc.is_empty()
        || (!p.scheme.is_empty()
            && USES_NETLOC.contains(&p.scheme.as_str())
            && !url.starts_with("//"))
    {
        if !url.is_empty() && !url.starts_with('/') {
            url.insert(0, '/');
        }
        url = format!("//{}{url}", p.netloc);
    }
    if !p.scheme.is_empty() {
        url = format!("{}:{url}", p.scheme);
    }
    if !p.query.is_empty() {
        url.push('?');
        url.push_str(&p.query);
    }
    if !p.fragment.is_empty() {
        url.push('#');
        url.push_str(&p.fragment);
    }
    url
}

/// `urllib.parse.urljoin(base, url)`.
pub(crate) fn std_urljoin(base: &str, url: &str) -> String {
    if base.is_empty() {
        return url.to_owned();
    }
    if url.is_empty() {
        return base.to_owned();
    }
    let b = std_urlparse(base, "");
    let mut r = std_urlparse(url, &b.scheme);
    if r.scheme != b.scheme || !USES_RELATIVE.contains(&r.scheme.as_str()) {
        return url.to_owned();
    }
    if USES_NETLOC.contains(&r.scheme.as_str()) {
        if !r.netloc.is_empty() {
            return std_urlunparse(&r);
        }
        r.netloc = b.netloc.clone();
    }
    if r.path.is_empty() && r.params.is_empty() {
        r.path = b.path;
        r.params = b.params;
        if r.query.is_empty() {
            r.query = b.query;
        }
        return std_urlunparse(&r);
    }

    let mut base_parts: Vec<&str> = b.path.split('/').collect();
    if base_parts.last().is_some_and(|s| !s.is_empty()) {
        base_parts.pop();
    }
    let segments: Vec<&str> = if r.path.starts_with('/') {
        r.path.split('/').collect()
    } else {
        let mut all = base_parts;
        all.extend(r.path.split('/'));
        // Python: segments[1:-1] = filter(None, segments[1:-1])
        match all.split_first().and_then(|(first, rest)| {
            rest.split_last()
                .map(|(last, middle)| (first, middle, last))
        }) {
            Some((first, middle, last)) => {
                let mut filtered = vec![*first];
                filtered.extend(middle.iter().filter(|s| !s.is_empty()));
                filtered.push(*last);
                filtered
            }
            None => all,
        }
    };
    let mut resolved: Vec<&str> = Vec::new();
    for seg in &segments {
        match *seg {
            ".." => {
                resolved.pop();
            }
            "." => {}
            s => resolved.push(s),
        }
    }
    if segments.last().is_some_and(|s| *s == "." || *s == "..") {
        resolved.push("");
    }
    let joined = resolved.join("/");
    r.path = if joined.is_empty() {
        "/".to_owned()
    } else {
        joined
    };
    std_urlunparse(&r)
}

// ---------------------------------------------------------------------------
// The pyclass
// ---------------------------------------------------------------------------

#[derive(Debug)]
struct UrlInner {
    parts: UrlParts,
    serialized: String,
}

/// An immutable, normalised URL. Cloning is an `Arc` bump.
#[pyclass(name = "URL", module = "httprs", frozen)]
#[derive(Clone, Debug)]
pub struct PyURL {
    inner: Arc<UrlInner>,
}

impl PartialEq for PyURL {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PyURL {
    pub fn from_parts(parts: UrlParts) -> PyURL {
        let serialized = parts.serialize();
        PyURL {
            inner: Arc::new(UrlInner { parts, serialized }),
        }
    }

    /// Parse a URL string (absolute or relative). InvalidURL on error.
    pub fn parse(s: &str) -> PyResult<PyURL> {
        urlparse(s, UrlKwargs::default())
            .map(PyURL::from_parts)
            .map_err(url_err)
    }

    /// The normalised components.
    pub fn parts(&self) -> &UrlParts {
        &self.inner.parts
    }

    /// httpx `URL(self, **kwargs)`. InvalidURL on error.
    pub fn copy_with_kwargs(&self, kwargs: UrlKwargs) -> PyResult<PyURL> {
        if kwargs.is_empty() {
            return Ok(self.clone());
        }
        copy_parts_with(self.parts(), kwargs)
            .map(PyURL::from_parts)
            .map_err(url_err)
    }

    /// The full serialized URL (as `str(url)`).
    pub fn as_str(&self) -> &str {
        &self.inner.serialized
    }

    /// Lowercased scheme ("" for relative URLs).
    pub fn scheme_str(&self) -> &str {
        &self.inner.parts.scheme
    }

    /// ASCII host: punycode for IDNA hosts, IPv6 literals WITHOUT brackets, "" if none.
    pub fn host_ascii(&self) -> &str {
        &self.inner.parts.host
    }

    /// Unicode host as `url.host` (first-label punycode decoded, as httpx).
    pub fn host_unicode(&self) -> String {
        self.inner.parts.host_unicode()
    }

    /// `host[:port]` as `url.netloc` (IPv6 bracketed); suitable for a Host header.
    pub fn netloc_str(&self) -> String {
        self.inner.parts.netloc()
    }

    /// Explicit port, `None` if absent or the scheme's default.
    pub fn port_u16(&self) -> Option<u16> {
        self.inner.parts.port
    }

    /// Explicit port, else the scheme's default (http/ws 80, https/wss 443, ftp 21).
    pub fn port_or_default(&self) -> Option<u16> {
        self.inner
            .parts
            .port
            .or_else(|| default_port(&self.inner.parts.scheme))
    }

    /// `path?query` as sent on the request line ("/" for an empty path).
    pub fn raw_path_str(&self) -> String {
        self.inner.parts.raw_path()
    }

    /// Percent-encoded path as stored ("" possible for `http://host`).
    pub fn path_encoded(&self) -> &str {
        &self.inner.parts.path
    }

    /// Decoded path (`url.path`): "/" for an empty path.
    pub fn path_str(&self) -> String {
        let p = &self.inner.parts.path;
        unquote(if p.is_empty() { "/" } else { p })
    }

    /// Raw (encoded) query without '?', `None` if the URL has no '?'.
    pub fn query_str(&self) -> Option<&str> {
        self.inner.parts.query.as_deref()
    }

    /// Raw (encoded) fragment without '#', `None` if the URL has no '#'.
    pub fn fragment_str(&self) -> Option<&str> {
        self.inner.parts.fragment.as_deref()
    }

    /// True unless the URL has both a scheme and a host.
    pub fn is_relative(&self) -> bool {
        !self.inner.parts.is_absolute()
    }

    pub fn is_absolute(&self) -> bool {
        self.inner.parts.is_absolute()
    }

    /// Percent-decoded username ("" if none).
    pub fn username_str(&self) -> String {
        self.inner.parts.username()
    }

    /// Percent-decoded password ("" if none).
    pub fn password_str(&self) -> String {
        self.inner.parts.password()
    }

    pub fn has_userinfo(&self) -> bool {
        !self.inner.parts.userinfo.is_empty()
    }

    pub fn without_userinfo(&self) -> PyURL {
        if !self.has_userinfo() {
            return self.clone();
        }
        let mut parts = self.inner.parts.clone();
        parts.userinfo.clear();
        PyURL::from_parts(parts)
    }

    /// Copy without the fragment.
    pub fn without_fragment(&self) -> PyURL {
        if self.inner.parts.fragment.is_none() {
            return self.clone();
        }
        let mut parts = self.inner.parts.clone();
        parts.fragment = None;
        PyURL::from_parts(parts)
    }

    /// Fallible join (`url.join(other)`): InvalidURL if the joined string does not re-parse.
    pub fn try_join(&self, other: &PyURL) -> PyResult<PyURL> {
        PyURL::parse(&std_urljoin(self.as_str(), other.as_str()))
    }

    /// `self.join(other)`; should the result not re-parse (not expected for normalised
    /// inputs) `other` is returned unchanged.
    pub fn join_url(&self, other: &PyURL) -> PyURL {
        urlparse(
            &std_urljoin(self.as_str(), other.as_str()),
            UrlKwargs::default(),
        )
        .map(PyURL::from_parts)
        .unwrap_or_else(|_| other.clone())
    }

    /// Replace the query with `params` (removed entirely when `params` is empty).
    pub fn with_query_params(&self, params: &PyQueryParams) -> PyURL {
        let mut parts = self.inner.parts.clone();
        parts.query = if params.is_empty() {
            None
        } else {
            Some(quote(&params.encode(), QUERY_SAFE))
        };
        PyURL::from_parts(parts)
    }

    pub fn query_params(&self) -> PyQueryParams {
        PyQueryParams::parse(self.inner.parts.query.as_deref().unwrap_or(""))
    }

    /// Same scheme, host and effective port.
    pub fn same_origin(&self, other: &PyURL) -> bool {
        self.scheme_str() == other.scheme_str()
            && self.host_ascii() == other.host_ascii()
            && self.port_or_default() == other.port_or_default()
    }

    /// httpx `Client._merge_url`: relative `url` is appended to base_url's raw_path (base
    /// path given a trailing "/" if missing, the url's leading "/" stripped); absolute urls
    /// are returned unchanged.
    pub fn merge_with_base(base: &PyURL, url: &PyURL) -> PyURL {
        if url.is_absolute() {
            return url.clone();
        }
        let mut raw = base.raw_path_str();
        if !raw.ends_with('/') {
            raw.push('/');
        }
        raw.push_str(url.raw_path_str().trim_start_matches('/'));
        let kw = UrlKwargs {
            raw_path: Some(Some(raw)),
            ..UrlKwargs::default()
        };
        copy_parts_with(base.parts(), kw)
            .map(PyURL::from_parts)
            .unwrap_or_else(|_| url.clone())
    }
}

fn type_error_for(obj: &Bound<'_, PyAny>, arg_name: &str, expected: &str) -> PyErr {
    let ty = obj
        .get_type()
        .str()
        .map(|s| s.to_string())
        .unwrap_or_else(|_| "<unknown>".to_owned());
    let repr = obj
        .repr()
        .map(|s| s.to_string())
        .unwrap_or_else(|_| "<unrepresentable>".to_owned());
    PyTypeError::new_err(format!(
        "Invalid type for {arg_name}.  Expected {expected}, got {ty}: {repr}"
    ))
}

/// Accepts str or URL (anything else: TypeError mentioning `arg_name`).
pub fn extract_url(obj: &Bound<'_, PyAny>, arg_name: &str) -> PyResult<PyURL> {
    if let Ok(u) = obj.cast::<PyURL>() {
        return Ok(u.get().clone());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return PyURL::parse(&s.to_cow()?);
    }
    Err(type_error_for(obj, arg_name, "str or httprs.URL"))
}

fn py_type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|s| s.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}

fn decode_ascii(value: &Bound<'_, PyAny>) -> PyResult<String> {
    value
        .call_method1("decode", ("ascii",))?
        .extract::<String>()
}

/// Convert `URL(...)` / `copy_with(...)` keyword arguments (httpx's type rules).
fn url_kwargs_from_py(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<UrlKwargs> {
    let mut kw = UrlKwargs::default();
    let Some(kwargs) = kwargs else {
        return Ok(kw);
    };
    let mut params: Option<Bound<'_, PyAny>> = None;
    for (key, value) in kwargs.iter() {
        let key_str: String = key.extract()?;
        let expected = match key_str.as_str() {
            "scheme" | "username" | "password" | "host" | "path" | "fragment" => "str",
            "userinfo" | "netloc" | "query" | "raw_path" => "bytes",
            "port" => "int",
            "params" => "object",
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "{} is an invalid keyword argument for URL()",
                    key.repr()?
                )))
            }
        };
        if key_str == "params" {
            params = Some(value);
            continue;
        }
        let converted: Option<String> = if value.is_none() {
            None
        } else {
            let ok = match expected {
                "str" => value.is_instance_of::<PyString>(),
                "bytes" => value.is_instance_of::<PyBytes>(),
                _ => value.is_instance_of::<pyo3::types::PyInt>(),
            };
            if !ok {
                return Err(PyTypeError::new_err(format!(
                    "Argument {} must be {expected} but got {}",
                    key.repr()?,
                    py_type_name(&value)
                )));
            }
            Some(match expected {
                "bytes" => decode_ascii(&value)?,
                "int" => value.str()?.to_string(),
                _ => value.extract::<String>()?,
            })
        };
        let slot = match key_str.as_str() {
            "scheme" => &mut kw.scheme,
            "username" => &mut kw.username,
            "password" => &mut kw.password,
            "userinfo" => &mut kw.userinfo,
            "host" => &mut kw.host,
            "port" => &mut kw.port,
            "netloc" => &mut kw.netloc,
            "path" => &mut kw.path,
            "query" => &mut kw.query,
            "raw_path" => &mut kw.raw_path,
            _ => &mut kw.fragment,
        };
        *slot = Some(converted);
    }
    if let Some(params) = params {
        kw.query = Some(if !params.is_truthy()? {
            None
        } else {
            let qp = PyQueryParams::from_py(Some(&params))?;
            Some(qp.encode())
        });
    }
    Ok(kw)
}

fn key_to_string(key: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(key.str()?.to_cow()?.into_owned())
}

#[pymethods]
impl PyURL {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn py_new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        if args.len() > 1 {
            return Err(PyTypeError::new_err(format!(
                "URL() takes at most 1 positional argument ({} given)",
                args.len()
            )));
        }
        let mut kwargs = kwargs.cloned();
        let mut url: Option<Bound<'_, PyAny>> = args.get_item(0).ok();
        if let Some(kw) = &kwargs {
            if let Some(u) = kw.get_item("url")? {
                if url.is_some() {
                    return Err(PyTypeError::new_err(
                        "URL() got multiple values for argument 'url'",
                    ));
                }
                let copy = kw.copy()?;
                copy.del_item("url")?;
                url = Some(u);
                kwargs = Some(copy);
            }
        }
        let kw = url_kwargs_from_py(kwargs.as_ref())?;
        match url {
            None => urlparse("", kw).map(PyURL::from_parts).map_err(url_err),
            Some(obj) => {
                if let Ok(u) = obj.cast::<PyURL>() {
                    u.get().copy_with_kwargs(kw)
                } else if let Ok(s) = obj.cast::<PyString>() {
                    urlparse(&s.to_cow()?, kw)
                        .map(PyURL::from_parts)
                        .map_err(url_err)
                } else {
                    Err(type_error_for(&obj, "url", "str or httprs.URL"))
                }
            }
        }
    }

    #[getter]
    fn scheme(&self) -> &str {
        self.scheme_str()
    }

    #[getter]
    fn raw_scheme<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.scheme_str().as_bytes())
    }

    #[getter]
    fn userinfo<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.parts.userinfo.as_bytes())
    }

    #[getter]
    fn username(&self) -> String {
        self.username_str()
    }

    #[getter]
    fn password(&self) -> String {
        self.password_str()
    }

    #[getter]
    fn host(&self) -> String {
        self.host_unicode()
    }

    #[getter]
    fn raw_host<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.host_ascii().as_bytes())
    }

    #[getter]
    fn port(&self) -> Option<u16> {
        self.port_u16()
    }

    #[getter]
    fn netloc<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.netloc_str().as_bytes())
    }

    #[getter]
    fn path(&self) -> String {
        self.path_str()
    }

    #[getter]
    fn query<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.query_str().unwrap_or("").as_bytes())
    }

    #[getter]
    fn params(&self) -> PyQueryParams {
        self.query_params()
    }

    #[getter]
    fn raw_path<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.raw_path_str().as_bytes())
    }

    #[getter]
    fn fragment(&self) -> String {
        unquote(self.fragment_str().unwrap_or(""))
    }

    #[getter]
    fn is_absolute_url(&self) -> bool {
        self.is_absolute()
    }

    #[getter]
    fn is_relative_url(&self) -> bool {
        self.is_relative()
    }

    #[pyo3(signature = (**kwargs))]
    fn copy_with(&self, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PyURL> {
        let kw = url_kwargs_from_py(kwargs)?;
        self.copy_with_kwargs(kw)
    }

    #[pyo3(signature = (key, value = None))]
    fn copy_set_param(
        &self,
        key: &Bound<'_, PyAny>,
        value: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyURL> {
        let key = key_to_string(key)?;
        let value = crate::models::params::optional_primitive_to_string(value, "value")?;
        Ok(self.with_query_params(&self.query_params().with_set(&key, value)))
    }

    #[pyo3(signature = (key, value = None))]
    fn copy_add_param(
        &self,
        key: &Bound<'_, PyAny>,
        value: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyURL> {
        let key = key_to_string(key)?;
        let value = crate::models::params::optional_primitive_to_string(value, "value")?;
        Ok(self.with_query_params(&self.query_params().with_added(&key, value)))
    }

    fn copy_remove_param(&self, key: &Bound<'_, PyAny>) -> PyResult<PyURL> {
        let key = key_to_string(key)?;
        Ok(self.with_query_params(&self.query_params().without(&key)))
    }

    fn copy_merge_params(&self, params: &Bound<'_, PyAny>) -> PyResult<PyURL> {
        let other = PyQueryParams::from_py(Some(params))?;
        Ok(self.with_query_params(&self.query_params().merged(&other)))
    }

    fn join(&self, url: &Bound<'_, PyAny>) -> PyResult<PyURL> {
        let other = extract_url(url, "url")?;
        self.try_join(&other)
    }

    fn __str__(&self) -> &str {
        self.as_str()
    }

    fn __repr__(&self) -> String {
        format!("URL({})", py_repr_str(&self.inner.parts.serialize_masked()))
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        PyString::new(py, self.as_str()).hash()
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let equal = match op {
            CompareOp::Eq | CompareOp::Ne => {
                if other.is_instance_of::<PyURL>() || other.is_instance_of::<PyString>() {
                    let other = extract_url(other, "other")?;
                    self.as_str() == other.as_str()
                } else {
                    false
                }
            }
            _ => return Ok(py.NotImplemented()),
        };
        let result = if matches!(op, CompareOp::Eq) {
            equal
        } else {
            !equal
        };
        Ok(pyo3::types::PyBool::new(py, result)
            .to_owned()
            .into_any()
            .unbind())
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, pyo3::types::PyType>, (String,))> {
        Ok((slf.get_type(), (slf.get().as_str().to_owned(),)))
    }
}

// ---------------------------------------------------------------------------
// Tests (pure Rust, no interpreter)
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> UrlParts {
        urlparse(s, UrlKwargs::default()).expect("valid url")
    }

    fn ser(s: &str) -> String {
        p(s).serialize()
    }

    #[test]
    fn parses_components() {
        let u = p(
            "HTTPS://jo%40email.com:a%20secret@M\u{fc}ller.de:1234/pa%20th?search=ab#anchorlink",
        );
        assert_eq!(u.scheme, "https");
        assert_eq!(u.userinfo, "jo%40email.com:a%20secret");
        assert_eq!(u.username(), "jo@email.com");
        assert_eq!(u.password(), "a secret");
        assert_eq!(u.host, "xn--mller-kva.de");
        assert_eq!(u.host_unicode(), "m\u{fc}ller.de");
        assert_eq!(u.port, Some(1234));
        assert_eq!(u.path, "/pa%20th");
        assert_eq!(u.query.as_deref(), Some("search=ab"));
        assert_eq!(u.fragment.as_deref(), Some("anchorlink"));
        assert_eq!(u.raw_path(), "/pa%20th?search=ab");
    }

    #[test]
    fn default_ports_and_empty_path() {
        assert_eq!(ser("http://example.com:80"), "http://example.com");
        assert_eq!(p("http://example.com").raw_path(), "/");
        assert_eq!(p("https://a:443/").port, None);
        assert_eq!(p("https://a:8443/").port, Some(8443));
        assert_eq!(p("ftp://a:21/").port, None);
        // httpx compares the default port against the scheme as written.
        assert_eq!(p("HTTP://a:80/").port, Some(80));
        assert_eq!(p("http://a:+80/").port, None);
        assert_eq!(p("http://a:/").port, None);
        assert_eq!(p("http://a:\u{ff18}\u{ff11}/").port, Some(81));
        assert_eq!(p("http://a:8_1/").port, Some(81));
    }

    #[test]
    fn invalid_ports() {
        for s in [
            "http://a:x/",
            "http://a:70000/",
            "http://a:-1/",
            "http://a:8_/",
        ] {
            assert!(urlparse(s, UrlKwargs::default()).is_err(), "{s}");
        }
        assert_eq!(
            urlparse("http://a:x/", UrlKwargs::default())
                .unwrap_err()
                .to_string(),
            "Invalid port: 'x'"
        );
    }

    #[test]
    fn relative_urls() {
        assert_eq!(ser(""), "");
        assert_eq!(ser("/path?x=1"), "/path?x=1");
        assert_eq!(ser("/a/../b"), "/a/../b");
        assert_eq!(ser(":abc"), "abc");
        assert_eq!(ser("localhost:8000"), "localhost:8000");
        assert!(!p("/x").is_absolute());
        assert!(urlparse("//", UrlKwargs::default()).is_ok());
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(ser("http://a/b c?d e#f g"), "http://a/b%20c?d%20e#f%20g");
        assert_eq!(ser("http://a/%zz%41?%zz#%"), "http://a/%zz%41?%zz#%");
        assert_eq!(
            ser("http://a/\u{e9}?\u{e9}#\u{e9}"),
            "http://a/%C3%A9?%C3%A9#%C3%A9"
        );
        assert_eq!(
            ser("http://a/{}|`^[]?{}|`^[]\"<>#{}|`^[]\"<>"),
            "http://a/%7B%7D|%60^[]?{}|`^[]%22%3C%3E#{}|%60^[]%22%3C%3E"
        );
        assert_eq!(ser("http://u s:p@ss@a/"), "http://u%20s:p%40ss@a/");
        assert_eq!(ser("http://exa mple.com/"), "http://exa%20mple.com/");
        assert_eq!(unquote("%C3%A9%2"), "\u{e9}%2");
        assert_eq!(unquote("%ff"), "\u{fffd}");
    }

    #[test]
    fn hosts() {
        assert_eq!(p("http://[::1]:8080/").host, "::1");
        assert_eq!(ser("http://[::1]:8080/"), "http://[::1]:8080/");
        assert_eq!(p("http://[ABCD::1]/").host, "ABCD::1");
        assert_eq!(p("http://[fe80::1%eth0]/").host, "fe80::1%eth0");
        assert_eq!(p("http://WWW.Example.ORG/").host, "www.example.org");
        assert_eq!(p("http://www.M\u{fc}ller.de/").host, "www.xn--mller-kva.de");
        assert_eq!(
            p("http://www.M\u{fc}ller.de/").host_unicode(),
            "www.xn--mller-kva.de"
        );
        assert_eq!(p("http://127.0.0.1/").host, "127.0.0.1");
        for bad in [
            "http://[::1/",
            "http://[zz]/",
            "http://256.0.0.1/",
            "http://01.2.3.4/",
            "http://a\u{1f600}.com/",
            "http://\u{ff45}xample.com/",
            "http://a\tb/",
        ] {
            assert!(urlparse(bad, UrlKwargs::default()).is_err(), "{bad}");
        }
        assert_eq!(
            urlparse("http://a\tb/", UrlKwargs::default())
                .unwrap_err()
                .to_string(),
            "Invalid non-printable ASCII character in URL, '\\t' at position 8."
        );
    }

    #[test]
    fn paths() {
        assert_eq!(normalize_path("/path/./to/somewhere/.."), "/path/to");
        assert_eq!(normalize_path("/.."), "");
        assert_eq!(normalize_path("/a/."), "/a");
        assert_eq!(ser("http://a/a/../../.."), "http://a");
        assert!(urlparse("//x", UrlKwargs::default()).is_ok());
        let kw = UrlKwargs {
            path: Some(Some("a".into())),
            ..Default::default()
        };
        assert!(urlparse("http://a", kw).is_err());
    }

    #[test]
    fn kwargs() {
        let base = p("http://u:p@a/x?q#f");
        let kw = UrlKwargs {
            username: Some(Some("jo@x".into())),
            ..Default::default()
        };
        assert_eq!(
            copy_parts_with(&base, kw).unwrap().serialize(),
            "http://jo%40x@a/x?q#f"
        );
        let kw = UrlKwargs {
            raw_path: Some(Some("/new".into())),
            ..Default::default()
        };
        assert_eq!(
            copy_parts_with(&base, kw).unwrap().serialize(),
            "http://u:p@a/new#f"
        );
        let kw = UrlKwargs {
            host: Some(Some("::1".into())),
            port: Some(Some("8080".into())),
            ..Default::default()
        };
        assert_eq!(
            copy_parts_with(&base, kw).unwrap().serialize(),
            "http://u:p@[::1]:8080/x?q#f"
        );
        let kw = UrlKwargs {
            scheme: Some(Some("1x".into())),
            ..Default::default()
        };
        assert_eq!(
            copy_parts_with(&base, kw).unwrap_err().to_string(),
            "Invalid URL component 'scheme'"
        );
    }

    #[test]
    fn masked() {
        assert_eq!(
            p("http://u:p@a/x").serialize_masked(),
            "http://u:[secure]@a/x"
        );
        assert_eq!(py_repr_str("it's"), "\"it's\"");
        assert_eq!(py_repr_str("a\\b\x01"), "'a\\\\b\\x01'");
    }

    #[test]
    fn rfc3986_join() {
        let base = ser("http://a/b/c/d;p?q");
        let cases = [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            ("g?y#s", "http://a/b/c/g?y#s"),
            (";x", "http://a/b/c/;x"),
            ("g;x", "http://a/b/c/g;x"),
            ("g;x?y#s", "http://a/b/c/g;x?y#s"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("../../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            (".g", "http://a/b/c/.g"),
            ("g..", "http://a/b/c/g.."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("./g/.", "http://a/b/c/g/"),
            ("g/./h", "http://a/b/c/g/h"),
            ("g/../h", "http://a/b/c/h"),
            ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
            ("g;x=1/../y", "http://a/b/c/y"),
            ("g?y/./x", "http://a/b/c/g?y/./x"),
            ("g?y/../x", "http://a/b/c/g?y/../x"),
            ("g#s/./x", "http://a/b/c/g#s/./x"),
            ("g#s/../x", "http://a/b/c/g#s/../x"),
            // urljoin (httpx) specifics
            ("http:g", "http://a/b/c/g"),
            ("?", "http://a/b/c/d;p?q"),
            ("g//h", "http://a/b/c/g/h"),
        ];
        for (reference, expected) in cases {
            let r = ser(reference);
            let joined = std_urljoin(&base, &r);
            assert_eq!(ser(&joined), expected, "join {reference:?}");
        }
    }

    #[test]
    fn merge_with_base_like_httpx_client() {
        let u = |s: &str| PyURL::from_parts(p(s));
        let cases = [
            (
                "https://api.example.com/v1",
                "users?id=1",
                "https://api.example.com/v1/users?id=1",
            ),
            (
                "https://api.example.com/v1/",
                "/users",
                "https://api.example.com/v1/users",
            ),
            ("https://api.example.com", "", "https://api.example.com/"),
            (
                "https://api.example.com/b?x=1",
                "c",
                "https://api.example.com/b?x=1/c",
            ),
            ("http://a/b", "https://other/x", "https://other/x"),
            ("http://a/b", "//other/x", "http://a/b/x"),
            ("http://u:p@a/b#f", "c#g", "http://u:p@a/b/c#f"),
        ];
        for (base, url, expected) in cases {
            assert_eq!(PyURL::merge_with_base(&u(base), &u(url)).as_str(), expected);
        }
    }

    #[test]
    fn rust_api() {
        let u = PyURL::from_parts(p("https://u:p%20w@[::1]:8443/a%20b?x=1&y=2#f"));
        assert_eq!(u.host_ascii(), "::1");
        assert_eq!(u.netloc_str(), "[::1]:8443");
        assert_eq!(u.port_u16(), Some(8443));
        assert_eq!(u.port_or_default(), Some(8443));
        assert_eq!(u.raw_path_str(), "/a%20b?x=1&y=2");
        assert_eq!(u.path_str(), "/a b");
        assert_eq!(u.password_str(), "p w");
        assert!(u.has_userinfo() && !u.without_userinfo().has_userinfo());
        assert_eq!(
            u.without_userinfo().as_str(),
            "https://[::1]:8443/a%20b?x=1&y=2#f"
        );
        let plain = PyURL::from_parts(p("https://example.com"));
        assert_eq!(plain.port_u16(), None);
        assert_eq!(plain.port_or_default(), Some(443));
        assert!(plain.same_origin(&PyURL::from_parts(p("https://EXAMPLE.com:443/x"))));
        assert!(!plain.same_origin(&PyURL::from_parts(p("http://example.com/"))));
        let q = u.query_params().with_set("x", "a b/".into());
        assert_eq!(
            u.with_query_params(&q).raw_path_str(),
            "/a%20b?x=a+b%2F&y=2"
        );
        assert_eq!(
            u.with_query_params(&PyQueryParams::default()).as_str(),
            "https://u:p%20w@[::1]:8443/a%20b#f"
        );
        let rel = PyURL::from_parts(p("../c?d"));
        assert!(rel.is_relative());
        assert_eq!(u.join_url(&rel).as_str(), "https://u:p%20w@[::1]:8443/c?d");
    }

    #[test]
    fn no_panic_on_odd_inputs() {
        for s in [
            "[",
            "]",
            "@",
            ":",
            "::",
            "//@:",
            "//[",
            "//[]",
            "//[]:",
            "http://[",
            "a:b:c",
            "\u{e9}:x",
            "//\u{e9}",
            "%",
            "%%",
            "%e",
            "?#",
            "#?",
            "http://@@@",
            "//:\u{e9}",
            "http://a:\u{661}/",
            "http://xn--/",
            "http://xn--a.b/",
        ] {
            if let Ok(u) = urlparse(s, UrlKwargs::default()) {
                let _ = u.host_unicode();
                let _ = std_urljoin(&u.serialize(), "../x");
                let _ = std_urljoin("http://a/b", &u.serialize());
            }
        }
    }
}
