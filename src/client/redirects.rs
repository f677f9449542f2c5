//! httpx's redirect rules (`_build_redirect_request` and its helpers in httpx's `_client.py`)
//! as small pure functions over plain Rust values, each with its unit tests. The client
//! (`ClientCore::next_step`) applies them and adds what needs its state: the cookie jar.
//!
//! Where httpx has a known weakness we are stricter, and say so: `Proxy-Authorization` is
//! dropped on a cross-origin redirect (httpx forwards it).

use crate::models::headers::HeaderList;
use crate::models::request::host_header;
use crate::models::url::{copy_parts_with, std_urljoin, urlparse, PyURL, UrlError, UrlKwargs};

/// The statuses that redirect (httpx `Response.has_redirect_location` needs one of these).
pub fn is_redirect_status(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// httpx `_redirect_method`: 303 turns anything but HEAD into GET; so does 302 (as browsers
/// do, against the letter of RFC 9110); 301 turns POST into GET; 307 and 308 keep the method.
pub fn redirect_method(status: u16, method: &str) -> String {
    match (status, method) {
        (302 | 303, m) if m != "HEAD" => "GET".to_owned(),
        (301, "POST") => "GET".to_owned(),
        (_, m) => m.to_owned(),
    }
}

/// Why a `Location` cannot be followed.
#[derive(Debug)]
pub enum BadLocation {
    /// It does not parse as a URL (httpx: `RemoteProtocolError`; the message quotes it as
    /// Python's `repr` would).
    Parse(UrlError),
    /// It parses, but the URL it resolves to is invalid: `javascript:x` given the request's
    /// host, say (httpx: `InvalidURL`).
    Invalid(UrlError),
    /// It parses, but names no URL a request could go to (a host that is no hostname, say).
    Unusable(String),
}

/// httpx `_redirect_url`: the `Location` resolved against the request's URL. A URL with a
/// scheme and no host keeps the request's host; a relative one is joined; the request's
/// fragment carries over when the new URL has none (RFC 9110 §10.2.2).
pub fn redirect_url(from: &PyURL, location: &str) -> Result<PyURL, BadLocation> {
    let parse = |s: &str| urlparse(s, UrlKwargs::default()).map(PyURL::from_parts);
    let with = |url: &PyURL, kwargs: UrlKwargs| {
        copy_parts_with(url.parts(), kwargs)
            .map(PyURL::from_parts)
            .map_err(BadLocation::Invalid)
    };
    let mut url = parse(location).map_err(BadLocation::Parse)?;
    if !url.scheme_str().is_empty() && url.host_ascii().is_empty() {
        let host = Some(Some(from.host_ascii().to_owned()));
        url = with(
            &url,
            UrlKwargs {
                host,
                ..UrlKwargs::default()
            },
        )?;
    }
    if url.is_relative() {
        url = parse(&std_urljoin(from.as_str(), url.as_str())).map_err(BadLocation::Invalid)?;
    }
    if let (Some(fragment), None) = (from.fragment_str(), url.fragment_str()) {
        let fragment = Some(Some(fragment.to_owned()));
        url = with(
            &url,
            UrlKwargs {
                fragment,
                ..UrlKwargs::default()
            },
        )?;
    }
    // Refuse here what could never be sent: no next request, no lookup.
    if url.scheme_str() == "http" || url.scheme_str() == "https" {
        if let Err(e) = url::Url::parse(url.as_str()) {
            return Err(BadLocation::Unusable(e.to_string()));
        }
    }
    Ok(url)
}

/// httpx `_is_https_redirect`: the same host moving from http to https on default ports
/// (then credentials may follow).
pub fn is_https_upgrade(from: &PyURL, to: &PyURL) -> bool {
    from.scheme_str() == "http"
        && to.scheme_str() == "https"
        && from.host_ascii() == to.host_ascii()
        && from.port_u16().is_none()
        && to.port_u16().is_none()
}

/// True when the redirect changes the method to GET, which drops the body (httpx
/// `_redirect_stream`); otherwise (307, 308) the body is sent again.
pub fn drops_body(from_method: &str, to_method: &str) -> bool {
    to_method != from_method && to_method == "GET"
}

/// httpx `_redirect_headers`: the request's headers for the next hop. Across origins,
/// `Authorization` goes (unless the hop is an https upgrade), `Proxy-Authorization` goes
/// (stricter than httpx), and `Host` names the new origin. A dropped body takes its framing
/// headers with it. `Cookie` always goes: the client sets it anew from its jar.
pub fn redirect_headers(
    mut headers: HeaderList,
    from: &PyURL,
    to: &PyURL,
    body_dropped: bool,
) -> HeaderList {
    if !to.same_origin(from) {
        if !is_https_upgrade(from, to) {
            headers.remove("authorization");
        }
        headers.remove("proxy-authorization");
        headers.set("Host", &host_header(to));
    }
    if body_dropped {
        headers.remove("content-length");
        headers.remove("transfer-encoding");
    }
    headers.remove("cookie");
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> PyURL {
        PyURL::from_parts(urlparse(s, UrlKwargs::default()).expect("valid url"))
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderList {
        let mut h = HeaderList::new();
        for (k, v) in pairs {
            h.push(k, v);
        }
        h
    }

    const CREDENTIALS: &[(&str, &str)] = &[
        ("Host", "a.example"),
        ("Authorization", "Basic dXNlcjpwYXNz"),
        ("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0"),
        ("Cookie", "session=1"),
        ("Content-Length", "3"),
        ("X-Other", "kept"),
    ];

    #[test]
    fn only_redirect_statuses_redirect() {
        for status in [301, 302, 303, 307, 308] {
            assert!(is_redirect_status(status), "{status}");
        }
        for status in [200, 300, 304, 305, 306, 309, 404] {
            assert!(!is_redirect_status(status), "{status}");
        }
    }

    #[test]
    fn methods_are_rewritten_as_httpx_does() {
        assert_eq!(redirect_method(303, "POST"), "GET");
        assert_eq!(redirect_method(303, "PUT"), "GET");
        assert_eq!(redirect_method(303, "HEAD"), "HEAD");
        assert_eq!(redirect_method(302, "POST"), "GET");
        assert_eq!(redirect_method(302, "DELETE"), "GET");
        assert_eq!(redirect_method(302, "HEAD"), "HEAD");
        assert_eq!(redirect_method(301, "POST"), "GET");
        assert_eq!(redirect_method(301, "PUT"), "PUT");
        assert_eq!(redirect_method(307, "POST"), "POST");
        assert_eq!(redirect_method(308, "PATCH"), "PATCH");
    }

    #[test]
    fn bodies_replay_on_307_and_308_and_drop_on_get_rewrites() {
        assert!(drops_body("POST", &redirect_method(303, "POST")));
        assert!(drops_body("POST", &redirect_method(302, "POST")));
        assert!(drops_body("POST", &redirect_method(301, "POST")));
        assert!(!drops_body("POST", &redirect_method(307, "POST")));
        assert!(!drops_body("PUT", &redirect_method(308, "PUT")));
        assert!(!drops_body("GET", &redirect_method(302, "GET")));
    }

    #[test]
    fn cross_origin_strips_credentials_and_cookies() {
        let from = url("https://a.example/x");
        let to = url("https://b.example/y");
        let h = redirect_headers(headers(CREDENTIALS), &from, &to, false);
        assert_eq!(h.get_first("authorization"), None);
        assert_eq!(h.get_first("proxy-authorization"), None);
        assert_eq!(h.get_first("cookie"), None);
        assert_eq!(h.get_first("host"), Some("b.example"));
        assert_eq!(h.get_first("content-length"), Some("3"));
        assert_eq!(h.get_first("x-other"), Some("kept"));
    }

    #[test]
    fn another_port_or_scheme_is_another_origin() {
        let from = url("https://a.example/");
        for to in ["https://a.example:8443/", "http://a.example/"] {
            let h = redirect_headers(headers(CREDENTIALS), &from, &url(to), false);
            assert_eq!(h.get_first("authorization"), None, "{to}");
            assert_eq!(h.get_first("proxy-authorization"), None, "{to}");
        }
        let h = redirect_headers(headers(CREDENTIALS), &from, &url(":8443/"), false);
        assert!(h.get_first("host").is_some());
    }

    #[test]
    fn same_origin_keeps_authorization_but_not_the_cookie_header() {
        let from = url("https://a.example/x");
        let to = url("https://a.example/y");
        let h = redirect_headers(headers(CREDENTIALS), &from, &to, false);
        assert_eq!(h.get_first("authorization"), Some("Basic dXNlcjpwYXNz"));
        assert_eq!(
            h.get_first("proxy-authorization"),
            Some("Basic cHJveHk6c2VjcmV0")
        );
        assert_eq!(h.get_first("host"), Some("a.example"));
        assert_eq!(h.get_first("cookie"), None);
    }

    #[test]
    fn an_https_upgrade_keeps_authorization_only() {
        let from = url("http://a.example/x");
        let to = url("https://a.example/x");
        assert!(is_https_upgrade(&from, &to));
        let h = redirect_headers(headers(CREDENTIALS), &from, &to, false);
        assert_eq!(h.get_first("authorization"), Some("Basic dXNlcjpwYXNz"));
        assert_eq!(h.get_first("proxy-authorization"), None);
        assert!(!is_https_upgrade(&url("http://a.example:8080/"), &to));
        assert!(!is_https_upgrade(&from, &url("https://b.example/")));
        assert!(!is_https_upgrade(&to, &from));
    }

    #[test]
    fn a_dropped_body_takes_its_framing_headers() {
        let from = url("https://a.example/x");
        let mut given = headers(CREDENTIALS);
        given.push("Transfer-Encoding", "chunked");
        let h = redirect_headers(given, &from, &from, true);
        assert_eq!(h.get_first("content-length"), None);
        assert_eq!(h.get_first("transfer-encoding"), None);
        assert_eq!(h.get_first("x-other"), Some("kept"));
    }

    #[test]
    fn relative_locations_are_joined() {
        let from = url("https://a.example/dir/page?q=1");
        let join = |loc: &str| {
            redirect_url(&from, loc)
                .expect("followable")
                .as_str()
                .to_owned()
        };
        assert_eq!(join("/top"), "https://a.example/top");
        assert_eq!(join("next"), "https://a.example/dir/next");
        assert_eq!(join("../up"), "https://a.example/up");
        assert_eq!(join("?q=2"), "https://a.example/dir/page?q=2");
        assert_eq!(join("//b.example/p"), "https://b.example/p");
        assert_eq!(join("http://c.example/"), "http://c.example/");
    }

    #[test]
    fn a_scheme_without_a_host_keeps_the_requests_host() {
        let from = url("http://a.example:8000/x");
        let to = redirect_url(&from, "https:///y").expect("followable");
        assert_eq!(to.scheme_str(), "https");
        assert_eq!(to.host_ascii(), "a.example");
        assert_eq!(to.path_encoded(), "/y");
    }

    #[test]
    fn fragments_carry_over_unless_the_location_has_one() {
        let from = url("https://a.example/x#section");
        let to = redirect_url(&from, "/y").expect("followable");
        assert_eq!(to.as_str(), "https://a.example/y#section");
        let to = redirect_url(&from, "/y#other").expect("followable");
        assert_eq!(to.as_str(), "https://a.example/y#other");
        let plain = url("https://a.example/x");
        assert_eq!(
            redirect_url(&plain, "/y")
                .expect("followable")
                .fragment_str(),
            None
        );
    }

    #[test]
    fn invalid_locations_are_refused() {
        let from = url("https://a.example/x");
        assert!(matches!(
            redirect_url(&from, "javascript:alert(1)"),
            Err(BadLocation::Invalid(_))
        ));
        assert!(matches!(
            redirect_url(&from, "https://a.example:99999/"),
            Err(BadLocation::Parse(_))
        ));
        assert!(matches!(
            redirect_url(&from, "https://exa mple.com/"),
            Err(BadLocation::Parse(_) | BadLocation::Unusable(_))
        ));
        assert!(matches!(
            redirect_url(&from, "http://[::1/"),
            Err(BadLocation::Parse(_) | BadLocation::Unusable(_))
        ));
    }
}
