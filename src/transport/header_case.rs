//! The spelling of HTTP/1 header names. httpx (h11) writes request header names as the
//! caller wrote them and gives response header names back as the server sent them (in
//! `Headers.raw`; lookups, `keys()`, `items()` and the repr are lower-case there too); hyper
//! lower-cases both. With `http1_preserve_header_case` (vendored reqwest and hyper: see
//! vendor/README.md) hyper records the spellings of a response's names in a `HeaderCaseMap`
//! extension and writes a request's names as spelled in the one it finds on the request.
//! HTTP/2 names are lower-case by the protocol, and stay so (as in httpx).

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use hyper::ext::HeaderCaseMap;

use crate::models::headers::HeaderList;

/// Whether hyper's title-casing (`http1_title_case_headers`: upper case first and after each
/// `-`, the rest as `http` keeps names, lower case) writes `raw` exactly as it is.
fn is_title_case(raw: &[u8]) -> bool {
    let mut prev = b'-';
    raw.iter().all(|&c| {
        let kept = if prev == b'-' {
            !c.is_ascii_lowercase()
        } else {
            !c.is_ascii_uppercase()
        };
        prev = c;
        kept
    })
}

/// The spellings hyper is to write `headers`' names in, or None when its title-casing (the
/// fallback for names without a spelling) already writes every name as given: httpx's own
/// defaults (`Host`, `Accept`, ...) and most callers' names, so that the common request
/// carries no map (no allocation, and hyper stays on its plain header writer).
pub fn request_spellings(headers: &HeaderList) -> Option<HeaderCaseMap> {
    if headers.items.iter().all(|h| is_title_case(&h.name_bytes())) {
        return None;
    }
    let mut spellings = HeaderCaseMap::default();
    // hyper gives the k-th value of a name the k-th spelling recorded for that name, and
    // `fetch` appends the values in this same order: one spelling per item, every item.
    for h in &headers.items {
        let raw = h.name_bytes();
        if let Ok(name) = HeaderName::from_bytes(&raw) {
            spellings.append(name, Bytes::copy_from_slice(&raw));
        }
    }
    Some(spellings)
}

/// `lower` as `spelling` has it, when that is the same name (hyper records the name's own
/// bytes, so it always is), else `lower`.
fn spelled_name(lower: &str, spelling: Option<&[u8]>) -> String {
    match spelling.and_then(|s| std::str::from_utf8(s).ok()) {
        Some(s) if s.eq_ignore_ascii_case(lower) => s.to_owned(),
        _ => lower.to_owned(),
    }
}

/// Each header of a response head with its name as the server spelled it: the k-th value of
/// a name gets the k-th spelling recorded for it (`spellings`: hyper's map, on HTTP/1
/// responses), lower case where there is none. One pass over the map, which gives the values
/// of a name one after another: the name's spellings are looked up once, when it changes.
pub fn spelled_headers<'a>(
    headers: &'a HeaderMap,
    spellings: Option<&'a HeaderCaseMap>,
) -> impl Iterator<Item = (String, &'a HeaderValue)> + 'a {
    let mut entries = headers.iter();
    let mut current: Option<&'a HeaderName> = None;
    let mut spelled = None;
    std::iter::from_fn(move || {
        let (name, value) = entries.next()?;
        if !current.is_some_and(|c| std::ptr::eq(c, name)) {
            current = Some(name);
            spelled = spellings.map(|m| m.get_all(name));
        }
        let spelling = spelled.as_mut().and_then(Iterator::next);
        let spelling = spelling.as_ref().map(AsRef::as_ref);
        Some((spelled_name(name.as_str(), spelling), value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> HeaderList {
        let mut list = HeaderList::new();
        for name in names {
            list.push(name, "v");
        }
        list
    }

    fn spellings_of(map: &HeaderCaseMap, name: &str) -> Vec<Vec<u8>> {
        let name = HeaderName::from_bytes(name.as_bytes()).unwrap_or(http::header::HOST);
        map.get_all(&name).map(|s| s.as_ref().to_vec()).collect()
    }

    #[test]
    fn title_case_is_hypers() {
        for raw in [
            "Host",
            "User-Agent",
            "X-Custom",
            "Www-Authenticate",
            "X-1a",
            "-",
            "",
        ] {
            assert!(is_title_case(raw.as_bytes()), "{raw}");
        }
        for raw in [
            "host",
            "X-API-Key",
            "x-custom",
            "User-agent",
            "ETag",
            "X-1A",
        ] {
            assert!(!is_title_case(raw.as_bytes()), "{raw}");
        }
    }

    #[test]
    fn no_map_when_title_case_writes_every_name() {
        assert!(request_spellings(&list(&["Host", "Accept", "X-Custom"])).is_none());
        assert!(request_spellings(&list(&[])).is_none());
    }

    #[test]
    fn map_spells_every_item_in_order() {
        let map = request_spellings(&list(&["Host", "x-lower", "X-Dup", "x-DUP", "X-API-Key"]));
        let Some(map) = map else {
            panic!("a lower-case name needs a map")
        };
        assert_eq!(spellings_of(&map, "host"), vec![b"Host".to_vec()]);
        assert_eq!(spellings_of(&map, "x-lower"), vec![b"x-lower".to_vec()]);
        assert_eq!(
            spellings_of(&map, "x-dup"),
            vec![b"X-Dup".to_vec(), b"x-DUP".to_vec()]
        );
        assert_eq!(spellings_of(&map, "x-api-key"), vec![b"X-API-Key".to_vec()]);
    }

    #[test]
    fn spelled_name_keeps_only_the_same_name() {
        assert_eq!(
            spelled_name("content-type", Some(b"Content-TYPE")),
            "Content-TYPE"
        );
        assert_eq!(
            spelled_name("content-type", Some(b"Content-Length")),
            "content-type"
        );
        assert_eq!(
            spelled_name("content-type", Some(b"Content-Typ\xff")),
            "content-type"
        );
        assert_eq!(spelled_name("content-type", None), "content-type");
    }

    #[test]
    fn kth_value_gets_kth_spelling() {
        let mut headers = HeaderMap::new();
        let mut spellings = HeaderCaseMap::default();
        for (raw, value) in [
            ("Content-Type", "text/plain"),
            ("X-Bread", "Baguette"),
            ("server", "uvicorn"),
            ("x-BREAD", "Pain"),
        ] {
            let name = HeaderName::from_static(match raw {
                "Content-Type" => "content-type",
                "server" => "server",
                _ => "x-bread",
            });
            headers.append(name.clone(), HeaderValue::from_static(value));
            spellings.append(name, Bytes::from_static(raw.as_bytes()));
        }
        // A value past the recorded spellings (not something hyper makes) stays lower case.
        headers.append("server", HeaderValue::from_static("again"));
        let got: Vec<(String, &str)> = spelled_headers(&headers, Some(&spellings))
            .map(|(n, v)| (n, v.to_str().unwrap_or("")))
            .collect();
        let want = [
            ("Content-Type", "text/plain"),
            ("X-Bread", "Baguette"),
            ("x-BREAD", "Pain"),
            ("server", "uvicorn"),
            ("server", "again"),
        ];
        let want: Vec<(String, &str)> = want.iter().map(|(n, v)| (n.to_string(), *v)).collect();
        assert_eq!(got, want);
        let lower: Vec<String> = spelled_headers(&headers, None).map(|(n, _)| n).collect();
        assert_eq!(
            lower,
            ["content-type", "x-bread", "x-bread", "server", "server"]
        );
    }
}
