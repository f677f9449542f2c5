//! Byte and text transformations with no Python in them: content decoding (gzip, deflate,
//! br, zstd), charsets, and the request-body encoders. Unit-tested in Rust.

pub mod decoding;
pub mod percent;
pub mod pyrepr;
