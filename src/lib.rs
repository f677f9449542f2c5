//! httprs: an httpx-compatible HTTP client for Python with a Rust engine (reqwest + tokio).
//! See docs/architecture.md for the map of modules.

use pyo3::prelude::*;

pub mod async_client;
pub mod auth;
pub mod client;
pub mod client_api;
pub mod config;
pub mod cookies;
pub mod decoding;
pub mod digest;
pub mod errors;
pub mod headers;
pub mod http_transport;
pub mod mounts;
pub mod params;
pub mod phases;
pub mod pipeline;
pub mod pyutil;
pub mod request;
pub mod response;
pub mod runtime;
pub mod steps;
pub mod stream_context;
pub mod sync_client;
pub mod tls;
pub mod transport;
pub mod url;
pub mod warmup;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[pymodule]
fn _httprs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", VERSION)?;
    m.add_class::<url::PyURL>()?;
    m.add_class::<params::PyQueryParams>()?;
    m.add_class::<headers::PyHeaders>()?;
    m.add_class::<cookies::PyCookies>()?;
    m.add_class::<config::PyTimeout>()?;
    m.add_class::<config::PyLimits>()?;
    m.add_class::<config::UseClientDefault>()?;
    m.add(
        "USE_CLIENT_DEFAULT",
        Py::new(m.py(), config::UseClientDefault)?,
    )?;
    m.add_class::<tls::SystemTrustStore>()?;
    m.add(
        "SYSTEM_TRUST_STORE",
        Py::new(m.py(), tls::SystemTrustStore)?,
    )?;
    m.add_class::<auth::PyBasicAuth>()?;
    m.add_class::<digest::PyDigestAuth>()?;
    m.add_class::<request::PyRequest>()?;
    m.add_class::<response::PyResponse>()?;
    m.add_class::<response::BodyIterator>()?;
    m.add_class::<sync_client::PyClient>()?;
    m.add_class::<async_client::PyAsyncClient>()?;
    m.add_class::<stream_context::StreamContext>()?;
    m.add_class::<steps::Steps>()?;
    m.add_class::<steps::Pending>()?;
    m.add_class::<steps::Hub>()?;
    m.add_class::<http_transport::PyHTTPTransport>()?;
    m.add_class::<http_transport::PyAsyncHTTPTransport>()?;
    Ok(())
}
