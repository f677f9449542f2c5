//! Byte and text transformations with no Python in them: content decoding (gzip, deflate,
//! br, zstd), charsets, the request-body encoders, and the certificates of a PEM bundle.
//! Unit-tested in Rust.

pub mod charset;
pub mod content;
pub mod form;
pub mod json;
pub mod lines;
pub mod links;
pub mod multipart;
pub mod pem;
pub mod percent;
pub mod pyrepr;
pub mod sse;
