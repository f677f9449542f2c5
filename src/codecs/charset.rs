//! Charsets: the `charset` of a Content-Type, and which names mean UTF-8.

/// The `charset` parameter of a Content-Type value, lower-cased, quotes removed.
pub fn charset_from_content_type(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        if key.trim().eq_ignore_ascii_case("charset") {
            let value = value.trim().trim_matches('"').trim_matches('\'').trim();
            if value.is_empty() {
                None
            } else {
                Some(value.to_ascii_lowercase())
            }
        } else {
            None
        }
    })
}

/// True for the spellings of UTF-8, which we decode in Rust; other charsets go through
/// Python's codecs so that the text is exactly what httpx produces.
pub fn is_utf8(encoding: &str) -> bool {
    matches!(
        encoding.to_ascii_lowercase().replace('_', "-").as_str(),
        "utf-8" | "utf8" | "u8" | "utf" | "cp65001"
    )
}
