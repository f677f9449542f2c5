//! `HeaderStr`: the text of a header name or value, shared rather than copied.
//!
//! A response head arrives in one buffer (hyper's); each name and value is a slice of it. A
//! `HeaderStr` holds such a slice (`bytes::Bytes`: a reference count, no copy) once it is
//! known to be UTF-8, so the head becomes our `HeaderList` without a `String` per name and
//! value. Text from Python (or a Latin-1 decoding) is held the same way, owned.

use std::fmt;
use std::ops::Deref;

use bytes::Bytes;

/// UTF-8 text in a `Bytes` (the invariant every constructor checks).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HeaderStr(Bytes);

impl HeaderStr {
    pub const fn from_static(text: &'static str) -> Self {
        HeaderStr(Bytes::from_static(text.as_bytes()))
    }

    /// `bytes` as text when they are UTF-8 (shared, not copied), else `bytes` back.
    pub fn from_utf8(bytes: Bytes) -> Result<Self, Bytes> {
        match std::str::from_utf8(&bytes) {
            Ok(_) => Ok(HeaderStr(bytes)),
            Err(_) => Err(bytes),
        }
    }

    /// `bytes` as text, unchecked.
    ///
    /// # Safety
    /// `bytes` must be UTF-8 (e.g. a slice of bytes known to be ASCII as a whole).
    pub unsafe fn from_utf8_unchecked(bytes: Bytes) -> Self {
        HeaderStr(bytes)
    }

    pub fn as_str(&self) -> &str {
        // SAFETY: every constructor checks (or is given) UTF-8.
        unsafe { std::str::from_utf8_unchecked(&self.0) }
    }

    /// The UTF-8 bytes, shared.
    pub fn as_bytes_shared(&self) -> &Bytes {
        &self.0
    }
}

impl From<String> for HeaderStr {
    /// Takes the `String`'s buffer (no copy).
    fn from(text: String) -> Self {
        HeaderStr(Bytes::from(text))
    }
}

impl From<&str> for HeaderStr {
    fn from(text: &str) -> Self {
        HeaderStr(Bytes::copy_from_slice(text.as_bytes()))
    }
}

impl Deref for HeaderStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for HeaderStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for HeaderStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for HeaderStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for HeaderStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for HeaderStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for HeaderStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_shared_not_copied() {
        let head = Bytes::from_static(b"Content-Type: text/plain\r\n");
        let value = head.slice(14..24);
        let text = HeaderStr::from_utf8(value).unwrap_or_default();
        assert_eq!(text, "text/plain");
        assert_eq!(text.as_bytes_shared().as_ptr(), head[14..].as_ptr());
    }

    #[test]
    fn other_bytes_come_back() {
        let bytes = Bytes::from_static(b"caf\xe9");
        assert_eq!(HeaderStr::from_utf8(bytes.clone()), Err(bytes));
    }

    #[test]
    fn owned_text_and_formatting() {
        let text = HeaderStr::from(String::from("a\"b"));
        assert_eq!(text, "a\"b");
        assert_eq!(format!("{text:?}"), "\"a\\\"b\"");
        assert_eq!(text.to_string(), "a\"b");
        assert_eq!(HeaderStr::from("x").len(), 1);
    }
}
