//! The `url::Url` reqwest sends to, for a request URL our parser has already made (httpx's
//! rules, `models/url`). Parsing it again costs most in the host (IDNA processing, which
//! the `url` crate runs even on an IP literal before it sees one), and a client mostly
//! talks to one origin: each thread keeps the last origin it parsed, and the next URL of
//! that origin is that one with its path and query set (the `url` crate's own path and
//! query rules: the same result as a full parse).

use std::cell::RefCell;

thread_local! {
    static LAST_ORIGIN: RefCell<Option<(String, url::Url)>> = const { RefCell::new(None) };
}

/// `text` split after its authority: (`scheme://authority`, `/path?query`). None for a URL
/// without `://` (which the scheme check refuses before we get here).
fn split_origin(text: &str) -> Option<(&str, &str)> {
    let after_scheme = text.find("://")? + 3;
    let end = text[after_scheme..]
        .find(['/', '?'])
        .map_or(text.len(), |i| after_scheme + i);
    Some(text.split_at(end))
}

/// `url::Url::parse(text)`, with the origin's parse reused. `text` has no fragment.
pub fn wire_url(text: &str) -> Result<url::Url, url::ParseError> {
    let Some((origin, rest)) = split_origin(text) else {
        return url::Url::parse(text);
    };
    let cached = LAST_ORIGIN.with_borrow(|last| match last {
        Some((o, url)) if o == origin => Some(url.clone()),
        _ => None,
    });
    let Some(mut url) = cached else {
        let url = url::Url::parse(text)?;
        LAST_ORIGIN.with_borrow_mut(|last| *last = Some((origin.to_owned(), url.clone())));
        return Ok(url);
    };
    // The very URL the origin was parsed from (a loop of `get(url)`): a parse of a `Url`'s
    // own serialization gives that `Url` back, so there is nothing to set.
    if url.as_str() == text {
        return Ok(url);
    }
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    url.set_path(path);
    url.set_query(query);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_after_the_authority() {
        assert_eq!(split_origin("http://a:8/p?q"), Some(("http://a:8", "/p?q")));
        assert_eq!(split_origin("http://a?q"), Some(("http://a", "?q")));
        assert_eq!(split_origin("http://a"), Some(("http://a", "")));
        assert_eq!(split_origin("mailto:x"), None);
    }

    #[test]
    fn a_reused_origin_gives_what_a_full_parse_gives() {
        let urls = [
            "http://127.0.0.1:8000/first",
            "http://127.0.0.1:8000/",
            "http://127.0.0.1:8000",
            "http://127.0.0.1:8000/a/b?x=1&y=%20z",
            "http://127.0.0.1:8000?only=query",
            "http://127.0.0.1:8000//double//slashes",
            "http://127.0.0.1:8000/%7Euser/caf%C3%A9?q=%2F",
            "http://127.0.0.1:8000/a/../b/./c",
            "http://127.0.0.1:8000/p?",
            "https://[::1]:8443/v6",
            "https://xn--mller-kva.de/x?y",
            "https://xn--mller-kva.de/z",
        ];
        for text in urls {
            // Twice: the second time the origin's own URL may be the one asked for.
            for _ in 0..2 {
                let reused = wire_url(text).unwrap();
                let parsed = url::Url::parse(text).unwrap();
                assert_eq!(reused, parsed, "{text}");
            }
        }
    }
}
