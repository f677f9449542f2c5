//! The spelling of HTTP/1 header names. httpx (h11) writes request header names as the
//! caller wrote them and gives response header names back as the server sent them (in
//! `Headers.raw`; lookups, `keys()`, `items()` and the repr are lower-case there too), in
//! the order received; hyper lower-cases both. With `http1_preserve_header_case` (vendored
//! reqwest and hyper: see vendor/README.md) hyper keeps a response's header lines as received
//! (`RawHeaders`, one copy of them) and writes a request's names as spelled in the
//! `HeaderCaseMap` it finds on the request. HTTP/2 names are lower-case by the protocol, and
//! stay so (as in httpx).

use bytes::Bytes;
use http::{HeaderMap, HeaderName};
use hyper::ext::{HeaderCaseMap, RawHeaders};

use crate::models::headers::{HeaderItem, HeaderList};

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

/// A response head's headers as our `HeaderList`, without a `String` per name and value: on
/// HTTP/1, hyper's `RawHeaders` (each line as received, in order, the name as the server
/// spelled it; the texts share one copy of the lines); else (HTTP/2 and 3, or a map changed
/// since it was parsed) the header map's entries, names lower case.
pub fn received_headers(headers: &HeaderMap, extensions: &http::Extensions) -> HeaderList {
    let items = match extensions.get::<RawHeaders>() {
        Some(raw) if raw.len() == headers.len() => {
            // One check of all the lines rather than one per name and value: a head is
            // nearly always ASCII, which every slice of it then is.
            if raw.as_bytes().is_ascii() {
                raw.iter()
                    // SAFETY: slices of bytes that are all ASCII.
                    .map(|(name, value)| unsafe { HeaderItem::received_ascii(name, value) })
                    .collect()
            } else {
                raw.iter()
                    .map(|(name, value)| HeaderItem::received(name, value))
                    .collect()
            }
        }
        _ => headers
            .iter()
            .map(|(name, value)| {
                HeaderItem::received(
                    Bytes::copy_from_slice(name.as_str().as_bytes()),
                    Bytes::copy_from_slice(value.as_bytes()),
                )
            })
            .collect(),
    };
    HeaderList { items }
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

    fn pairs(list: &HeaderList) -> Vec<(&str, &str)> {
        list.items
            .iter()
            .map(|h| (h.raw.as_str(), h.value.as_str()))
            .collect()
    }

    /// A response head parsed by hyper with `preserve_header_case`, as a `reqwest` response
    /// has it: the header map and the lines as received.
    async fn parsed(head: &'static [u8]) -> http::response::Parts {
        let (client, mut server) = tokio::io::duplex(4096);
        let (mut sender, conn) = hyper::client::conn::http1::Builder::new()
            .preserve_header_case(true)
            .handshake::<_, String>(hyper_util::rt::TokioIo::new(client))
            .await
            .expect("handshake");
        tokio::spawn(conn);
        let request = http::Request::get("/")
            .body(String::new())
            .expect("request");
        let response = tokio::spawn(async move { sender.send_request(request).await });
        let mut buf = [0u8; 1024];
        let _ = tokio::io::AsyncReadExt::read(&mut server, &mut buf).await;
        tokio::io::AsyncWriteExt::write_all(&mut server, head)
            .await
            .expect("write");
        let response = response.await.expect("join").expect("response");
        response.into_parts().0
    }

    #[test]
    fn http1_lines_keep_order_spelling_and_bytes() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let parts = rt.block_on(parsed(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nx-BREAD: Baguette\r\n\
              Server: nginx\r\nX-Bread: Pain\r\nX-Latin: caf\xe9\r\nContent-Length: 0\r\n\r\n",
        ));
        assert!(parts.extensions.get::<RawHeaders>().is_some());
        let list = received_headers(&parts.headers, &parts.extensions);
        assert_eq!(
            pairs(&list),
            [
                ("Content-Type", "text/plain"),
                ("x-BREAD", "Baguette"),
                ("Server", "nginx"),
                ("X-Bread", "Pain"),
                ("X-Latin", "caf\u{e9}"),
                ("Content-Length", "0"),
            ]
        );
        let latin = &list.items[4];
        assert!(latin.value_latin1 && !latin.name_latin1);
        assert_eq!(latin.value_bytes().as_ref(), b"caf\xe9");
        assert_eq!(list.get_all("x-bread"), ["Baguette", "Pain"]);
        // An all-ASCII head (checked once as a whole) gives the same.
        let ascii = rt.block_on(parsed(
            b"HTTP/1.1 204 No Content\r\nX-A: 1\r\nx-b: 2\r\nX-a: \r\n\r\n",
        ));
        let ascii = received_headers(&ascii.headers, &ascii.extensions);
        assert_eq!(pairs(&ascii), [("X-A", "1"), ("x-b", "2"), ("X-a", "")]);
        // The texts share one copy of the lines, apart from the read buffer.
        let first = list.items[0].raw.as_bytes_shared().as_ptr();
        let server = list.items[2].value.as_bytes_shared().as_ptr();
        assert_eq!(
            server as usize - first as usize,
            "Content-Type: text/plain\r\nx-BREAD: Baguette\r\nServer: ".len()
        );
    }

    #[test]
    fn without_lines_the_map_in_lower_case() {
        let mut headers = HeaderMap::new();
        headers.append("content-type", http::HeaderValue::from_static("text/plain"));
        headers.append("x-bread", http::HeaderValue::from_static("Baguette"));
        headers.append(
            "x-bread",
            http::HeaderValue::from_bytes(b"Pa\xefn").expect("value"),
        );
        let list = received_headers(&headers, &http::Extensions::new());
        assert_eq!(
            pairs(&list),
            [
                ("content-type", "text/plain"),
                ("x-bread", "Baguette"),
                ("x-bread", "Pa\u{ef}n"),
            ]
        );
        assert_eq!(list.items[2].value_bytes().as_ref(), b"Pa\xefn");
    }
}
