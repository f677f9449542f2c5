//! `URL`: an RFC 3986 URL parser that follows httpx 0.28's own parser (not WHATWG).
//!
//! The pure parsing logic (`urlparse`, `UrlParts`, quoting, joining) lives in plain Rust
//! functions so it can be unit tested without a Python interpreter; the `#[pymethods]`
//! block at the end is a thin wrapper around it.
//!
//! Canonical form: every component is stored already normalised and percent-encoded
//! (plain ASCII, except never: the host is stored in its IDNA/punycode form). The
//! serialized URL is computed once and cached.

use std::sync::Arc;

use pyo3::basic::CompareOp;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};

use crate::params::PyQueryParams;

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
        let b = bytes[i];
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
    // Punctuation, symbols, dingbats and emoji are DISALLOWED in IDNA 2008 (but valid in UTS 46).
    if host
        .chars()
        .any(|c| matches!(
            c as u32,
            0x1100..=0x11FF | 0xA960..=0xA97F | 0xD7B0..=0xD7FF | 0x2000..=0x2BFF | 0x2E00..=0x2E7F | 0x1F000..=0x1FAFF
        ))
    {
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
                if !(output.is_empty() || (output.len() == 1 && output[0].is_empty())) {
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
            && candidate.as_bytes()[0].is_ascii_alphabetic()
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
        if all.len() > 2 {
            let last = all.len() - 1;
            let mut filtered = vec![all[0]];
            filtered.extend(all[1..last].iter().filter(|s| !s.is_empty()));
            filtered.push(all[last]);
            filtered
        } else {
            all
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
        let value = crate::params::optional_primitive_to_string(value, "value")?;
        Ok(self.with_query_params(&self.query_params().with_set(&key, value)))
    }

    #[pyo3(signature = (key, value = None))]
    fn copy_add_param(
        &self,
        key: &Bound<'_, PyAny>,
        value: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyURL> {
        let key = key_to_string(key)?;
        let value = crate::params::optional_primitive_to_string(value, "value")?;
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
