//! The URL parser httpx 0.28 has (`httpx._urlparse`), as plain Rust: split, validate and
//! normalise each component; `UrlParts` is the result. No Python here.

use super::host::encode_host;
use crate::codecs::percent::*;
use crate::codecs::pyrepr::py_repr_str;

/// First ASCII non-printable character (C0 control or DEL) with its char index.
pub(crate) fn find_non_printable(s: &str) -> Option<(usize, char)> {
    s.chars()
        .enumerate()
        .find(|(_, c)| c.is_ascii() && !(' '..='~').contains(c))
}

pub(crate) fn too_long(s: &str) -> bool {
    s.len() > MAX_URL_LENGTH && s.chars().count() > MAX_URL_LENGTH
}

/// An InvalidURL error message. Messages that embed a Python `repr()` of user input keep
/// the value apart so the exact Python repr can be used when raising (`to_pyerr`); the
/// `Display` form uses a close Rust approximation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlError {
    pub(crate) prefix: String,
    pub(crate) value: Option<String>,
}

impl UrlError {
    pub(crate) fn plain(message: impl Into<String>) -> Self {
        UrlError {
            prefix: message.into(),
            value: None,
        }
    }

    pub(crate) fn with_repr(prefix: impl Into<String>, value: &str) -> Self {
        UrlError {
            prefix: prefix.into(),
            value: Some(value.to_owned()),
        }
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

pub(crate) fn push_host(out: &mut String, host: &str) {
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
        } else if self.scheme.is_empty() && first_segment_has_colon(&self.path) {
            // RFC 3986 §4.2: such a relative path would read back as a scheme
            // (`URL(":http://x")` has the path `http://x`); a "./" keeps it a path. httpx
            // writes it bare, so its string is another URL.
            out.push_str("./");
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

pub(crate) fn is_scheme_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')
}

pub(crate) fn valid_component(key: &str, value: &str) -> bool {
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

pub(crate) fn check_component(key: &str, value: &str) -> Result<(), UrlError> {
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
pub(crate) struct RawSplit<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

/// `scheme:` `//authority` `path` `?query` `#fragment`, every part optional.
pub(crate) fn split_url(s: &str) -> RawSplit<'_> {
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
pub(crate) fn split_authority(a: &str) -> (Option<&str>, &str, &str) {
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

pub(crate) const MAX_URL_LENGTH: usize = 65536;

// ---------------------------------------------------------------------------
// Component normalisation
// ---------------------------------------------------------------------------

/// Code points of the Unicode decimal digit zeros (each followed by 1..=9), Unicode 14,
/// as accepted by Python's `int()`.
pub(crate) const DECIMAL_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

pub(crate) fn decimal_value(c: char) -> Option<u32> {
    let v = c as u32;
    DECIMAL_ZEROS
        .iter()
        .find(|&&z| v >= z && v < z + 10)
        .map(|&z| v - z)
}

/// Python `int(str)` (base 10: whitespace, sign, underscores, Unicode decimal digits),
/// range-checked to a TCP port (0..=65535).
pub(crate) fn parse_port_number(port: &str) -> Option<u16> {
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

pub(crate) fn normalize_port(port: Option<&str>, scheme: &str) -> Result<Option<u16>, UrlError> {
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

pub(crate) fn validate_path(
    path: &str,
    has_scheme: bool,
    has_authority: bool,
) -> Result<(), UrlError> {
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

/// A path whose first segment has a `:` (it would parse as a scheme when written first).
fn first_segment_has_colon(path: &str) -> bool {
    path.split('/')
        .next()
        .is_some_and(|first| first.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::url::join::std_urljoin;

    fn p(s: &str) -> UrlParts {
        urlparse(s, UrlKwargs::default()).expect("valid url")
    }

    fn ser(s: &str) -> String {
        p(s).serialize()
    }

    #[test]
    fn a_relative_path_that_looks_like_a_scheme_stays_a_path() {
        let url = p(":http://:http://");
        assert_eq!(url.scheme, "");
        assert_eq!(url.path, "http://:http://");
        assert_eq!(url.serialize(), "./http://:http://");
        let again = p(&url.serialize());
        assert_eq!(
            (again.scheme.as_str(), again.path.as_str()),
            ("", "./http://:http://")
        );
        assert_eq!(ser("a/b:c"), "a/b:c");
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
