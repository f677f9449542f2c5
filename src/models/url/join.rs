//! Joining a URL onto a base, as `urllib.parse.urljoin` does (httpx's `URL.join` uses it).

use super::parse::is_scheme_char;

// ---------------------------------------------------------------------------
// Joining: `urllib.parse.urljoin` semantics, which is what httpx's `URL.join` uses.
// (RFC 3986 §5.2 resolution, with urljoin's differences: an empty query or
// fragment in the reference is dropped, "http:g" is treated as relative, empty
// segments are collapsed when merging relative paths, and schemes outside
// `uses_relative` are not resolved.)
// ---------------------------------------------------------------------------

pub(crate) const USES_RELATIVE: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "imap", "wais", "file", "https", "shttp", "mms",
    "prospero", "rtsp", "rtsps", "rtspu", "sftp", "svn", "svn+ssh", "ws", "wss",
];
pub(crate) const USES_NETLOC: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp",
    "snews", "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git",
    "git+ssh", "ws", "wss",
];
pub(crate) const USES_PARAMS: &[&str] = &[
    "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu",
    "sip", "sips", "mms", "sftp", "tel",
];

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct StdParse {
    scheme: String,
    netloc: String,
    path: String,
    params: String,
    query: String,
    fragment: String,
}

/// `urllib.parse.urlparse(url, default_scheme)`.
pub(crate) fn std_urlparse(url: &str, default_scheme: &str) -> StdParse {
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
pub(crate) fn std_urlunparse(p: &StdParse) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::url::parse::{urlparse, UrlKwargs};

    fn ser(s: &str) -> String {
        urlparse(s, UrlKwargs::default())
            .expect("valid url")
            .serialize()
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
}
