//! The clients: `ClientCore` (defaults, merge rules, the steps of sending that do not wait),
//! the Python API both clients share, the sync and async drivers, `client.stream(...)`.

pub mod async_client;
pub mod base;
pub mod build_cache;
pub mod core;
pub mod redirects;
pub mod stream_context;
pub mod sync_client;
