//! The httpx data models as Python classes: `URL`, `QueryParams`, `Headers`, `Cookies`,
//! `Timeout` / `Limits`, `Request` and `Response`. Each file holds one model; the pure parts
//! (parsing, encoding) live in `codecs/` or beside the model as plain Rust.

pub mod config;
pub mod cookies;
pub mod handle;
pub mod header_str;
pub mod headers;
pub mod params;
pub mod request;
pub mod response;
pub mod size_limit;
pub mod sse;
pub mod url;
