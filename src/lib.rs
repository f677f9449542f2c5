//! httprs: an httpx-compatible HTTP client for Python with a Rust engine (reqwest + tokio).
//! See docs/architecture.md for the map of modules.

use pyo3::prelude::*;

pub mod auth;
pub mod client;
pub mod codecs;
pub mod errors;
pub mod exchange;
pub mod models;
pub mod observe;
pub mod python_glue;
pub mod retry;
pub mod transport;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[pymodule]
fn _httprs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", VERSION)?;
    exchange::runtime::register_fork_hook(m)?;
    exchange::signal_wake::note_main_thread(m.py())?;
    m.add_class::<models::url::PyURL>()?;
    m.add_class::<models::params::PyQueryParams>()?;
    m.add_class::<models::headers::PyHeaders>()?;
    m.add_class::<models::cookies::PyCookies>()?;
    m.add_class::<models::config::PyTimeout>()?;
    m.add_class::<models::config::PyLimits>()?;
    m.add_class::<models::config::UseClientDefault>()?;
    m.add(
        "USE_CLIENT_DEFAULT",
        Py::new(m.py(), models::config::UseClientDefault)?,
    )?;
    m.add_class::<transport::tls::SystemTrustStore>()?;
    m.add(
        "SYSTEM_TRUST_STORE",
        Py::new(m.py(), transport::tls::SystemTrustStore)?,
    )?;
    m.add_class::<auth::basic::PyBasicAuth>()?;
    m.add_class::<auth::digest::PyDigestAuth>()?;
    m.add_class::<models::request::PyRequest>()?;
    m.add_class::<models::response::PyResponse>()?;
    m.add_class::<models::response::BodyIterator>()?;
    m.add_class::<models::sse::PyServerSentEvent>()?;
    m.add_class::<models::sse::EventStreamParser>()?;
    m.add_class::<client::base::PyBaseClient>()?;
    m.add_class::<client::sync_client::PyClient>()?;
    m.add_class::<client::async_client::PyAsyncClient>()?;
    m.add_class::<client::stream_context::StreamContext>()?;
    m.add_class::<exchange::steps::Steps>()?;
    m.add_class::<exchange::steps::Pending>()?;
    m.add_class::<exchange::steps::Hub>()?;
    m.add_class::<transport::network::PyNetworkTransport>()?;
    m.add_class::<transport::network::PyHTTPTransport>()?;
    m.add_class::<transport::network::PyAsyncHTTPTransport>()?;
    m.add_class::<transport::network_stream::NetworkStream>()?;
    m.add_class::<transport::network_stream::AsyncNetworkStream>()?;
    m.add_function(wrap_pyfunction!(transport::stand_in::set_network_hook, m)?)?;
    m.add_class::<retry::py_retry::PyRetry>()?;
    m.add_function(wrap_pyfunction!(observe::instrument::set_observer, m)?)?;
    Ok(())
}
