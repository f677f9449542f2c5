//! The network transport: `HTTPTransport` / `AsyncHTTPTransport` (httpx's names), a reqwest
//! client plus the `max_connections` slots. A client makes one from its own arguments unless
//! given `transport=`; `mounts=` may add more. Used by the pipeline directly (no Python in
//! the way); `handle_request` / `handle_async_request` serve users who call it themselves.

use crate::config::PyLimits;
use crate::errors::HttpError;
use crate::request::PyRequest;
use crate::response::{BodyState, PyResponse, WireBody};
use crate::steps::{lock, Apply, Step, Stepper, Steps, WaitOp};
use crate::transport::{fetch, Fetched, WireRequest};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::Semaphore;

/// Arguments that configure the network layer.
pub struct NetworkOptions {
    pub verify: bool,
    pub http1: bool,
    pub http2: bool,
    pub limits: PyLimits,
    pub connect_timeout: Option<f64>,
    pub local_address: Option<std::net::IpAddr>,
    pub retries: usize,
}

impl NetworkOptions {
    pub fn new(verify: bool, http1: bool, http2: bool, limits: PyLimits) -> Self {
        NetworkOptions {
            verify,
            http1,
            http2,
            limits,
            connect_timeout: None,
            local_address: None,
            retries: 0,
        }
    }
}

fn build_http(options: &NetworkOptions) -> PyResult<reqwest::Client> {
    if !options.http1 && !options.http2 {
        return Err(PyValueError::new_err(
            "http1 and http2 cannot both be False",
        ));
    }
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // Headers are ours (httpx's defaults), not reqwest's `Accept: */*`.
        .default_headers(http::HeaderMap::new())
        .no_proxy()
        .tcp_nodelay(true)
        .http1_title_case_headers()
        .danger_accept_invalid_certs(!options.verify)
        .local_address(options.local_address);
    if let Some(c) = crate::config::duration(options.connect_timeout) {
        builder = builder.connect_timeout(c);
    }
    builder = builder.pool_idle_timeout(crate::config::duration(options.limits.keepalive_expiry));
    if let Some(n) = options.limits.max_keepalive_connections {
        builder = builder.pool_max_idle_per_host(n);
    }
    if options.http2 && !options.http1 {
        builder = builder.http2_prior_knowledge();
    } else if !options.http2 {
        builder = builder.http1_only();
    }
    builder.build().map_err(|e| {
        crate::errors::internal(format!(
            "cannot build the HTTP client: {}",
            crate::errors::error_chain(&e)
        ))
    })
}

/// A reqwest client and its connection slots.
pub struct NetTransport {
    /// None once closed: dropping it closes the idle pooled connections.
    http: RwLock<Option<reqwest::Client>>,
    /// `Limits.max_connections`: a permit per request in flight, held until its body is done.
    pool: Option<Arc<Semaphore>>,
    /// Connection attempts retried after a connect error (httpx `retries=`).
    retries: usize,
}

impl NetTransport {
    pub fn new(options: &NetworkOptions) -> PyResult<Self> {
        Ok(NetTransport {
            http: RwLock::new(Some(build_http(options)?)),
            pool: options
                .limits
                .max_connections
                .map(|n| Arc::new(Semaphore::new(n.max(1)))),
            retries: options.retries,
        })
    }

    pub fn close(&self) {
        let http = self.http.write().unwrap_or_else(|e| e.into_inner()).take();
        drop(http);
    }

    fn http(&self) -> Result<reqwest::Client, HttpError> {
        self.http
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| {
                HttpError::new(
                    crate::errors::ErrorKind::ConnectError,
                    "Cannot send a request, as the transport has been closed.",
                )
            })
    }

    /// The exchange as a future for the runtime (see `transport::fetch`).
    pub fn fetch(
        &self,
        wire: WireRequest,
        read_body: bool,
    ) -> impl std::future::Future<Output = Result<Fetched, HttpError>> + Send + 'static {
        let http = self.http();
        let pool = self.pool.clone();
        let retries = self.retries;
        async move { fetch(http?, pool, wire, read_body, retries).await }
    }
}

/// A `Response` for what the network returned (the client adds cookies and the rest).
pub fn response_from_fetched(
    py: Python<'_>,
    request: &Bound<'_, PyRequest>,
    fetched: Fetched,
    started: std::time::Instant,
    read_timeout: Option<std::time::Duration>,
    is_async: bool,
) -> PyResult<Py<PyResponse>> {
    let (head, body, raw_len, streaming) = match fetched {
        Fetched::Full {
            head,
            body,
            raw_len,
        } => (
            head,
            BodyState::Content(PyBytes::new(py, &body).unbind()),
            raw_len,
            false,
        ),
        Fetched::Streaming { head, resp, permit } => (
            head,
            BodyState::Wire(Box::new(WireBody {
                resp,
                read_timeout,
                _permit: permit,
            })),
            0,
            true,
        ),
    };
    let mut response = PyResponse::new(py, head.status, head.version, head.headers, body)?;
    response.reason = head.reason;
    response.request = Some(request.clone().unbind());
    response.started = started;
    response.num_bytes_downloaded = raw_len;
    response.is_async = is_async;
    if !streaming {
        response.elapsed = Some(started.elapsed());
    }
    Py::new(py, response)
}

/// `handle_request` / `handle_async_request`: one exchange, the body left on the wire.
struct HandleRequest {
    net: Arc<NetTransport>,
    request: Py<PyRequest>,
    is_async: bool,
    sent: Option<std::time::Instant>,
    outcome: Arc<Mutex<Option<Result<Fetched, HttpError>>>>,
    read_timeout: Option<std::time::Duration>,
}

impl Stepper for HandleRequest {
    fn step(&mut self, py: Python<'_>) -> PyResult<Step<Py<PyAny>>> {
        let request = self.request.bind(py);
        let Some(started) = self.sent else {
            let wire = WireRequest::build(py, &request.borrow())?
                .map_err(|e| e.into_pyerr(py, Some(request.as_any())))?;
            self.read_timeout = wire.timeouts.read;
            self.sent = Some(std::time::Instant::now());
            let slot = self.outcome.clone();
            let fut = self.net.fetch(wire, false);
            return Ok(Step::Wait(WaitOp::new(async move {
                let result = fut.await;
                Box::new(move |_: Python<'_>| *lock(&slot) = Some(result)) as Apply
            })));
        };
        let fetched = lock(&self.outcome)
            .take()
            .ok_or_else(|| crate::errors::internal("the exchange ended without a result"))?
            .map_err(|e| e.into_pyerr(py, Some(request.as_any())))?;
        let response = response_from_fetched(
            py,
            request,
            fetched,
            started,
            self.read_timeout,
            self.is_async,
        )?;
        Ok(Step::Ready(response.into_any()))
    }
}

fn transport_args(
    verify: Option<&Bound<'_, PyAny>>,
    http1: bool,
    http2: bool,
    limits: Option<PyLimits>,
    local_address: Option<&str>,
    retries: usize,
) -> PyResult<NetworkOptions> {
    let verify = match verify {
        None => true,
        Some(v) if v.is_instance_of::<pyo3::types::PyBool>() => v.extract()?,
        Some(_) => {
            return Err(pyo3::exceptions::PyNotImplementedError::new_err(
                "httprs does not support `verify=` other than True/False yet.",
            ))
        }
    };
    let mut options =
        NetworkOptions::new(verify, http1, http2, limits.unwrap_or(PyLimits::DEFAULT));
    options.retries = retries;
    options.local_address = match local_address {
        None => None,
        Some(a) => Some(a.parse().map_err(|_| {
            PyValueError::new_err(format!("local_address must be an IP address, got {a:?}"))
        })?),
    };
    Ok(options)
}

fn not_supported(name: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    if value.is_some_and(|v| !v.is_none()) {
        return Err(pyo3::exceptions::PyNotImplementedError::new_err(format!(
            "httprs does not support `{name}=` yet."
        )));
    }
    Ok(())
}

fn request_arg(request: &Bound<'_, PyAny>) -> PyResult<Py<PyRequest>> {
    request
        .cast::<PyRequest>()
        .map(|r| r.clone().unbind())
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "request must be an httprs.Request, got {}",
                crate::headers::type_name(request)
            ))
        })
}

macro_rules! transport_class {
    ($ty:ident, $name:literal) => {
        #[pyclass(name = $name, module = "httprs", frozen, subclass)]
        pub struct $ty {
            pub net: Arc<NetTransport>,
        }

        #[pymethods]
        impl $ty {
            #[new]
            #[pyo3(signature = (verify = None, cert = None, trust_env = true, http1 = true, http2 = false, limits = None, proxy = None, uds = None, local_address = None, retries = 0, socket_options = None))]
            #[allow(clippy::too_many_arguments)]
            fn py_new(
                verify: Option<&Bound<'_, PyAny>>,
                cert: Option<&Bound<'_, PyAny>>,
                trust_env: bool,
                http1: bool,
                http2: bool,
                limits: Option<PyLimits>,
                proxy: Option<&Bound<'_, PyAny>>,
                uds: Option<&Bound<'_, PyAny>>,
                local_address: Option<&str>,
                retries: usize,
                socket_options: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Self> {
                let _ = trust_env;
                not_supported("cert", cert)?;
                not_supported("proxy", proxy)?;
                not_supported("uds", uds)?;
                not_supported("socket_options", socket_options)?;
                let options = transport_args(verify, http1, http2, limits, local_address, retries)?;
                Ok(Self {
                    net: Arc::new(NetTransport::new(&options)?),
                })
            }
        }
    };
}

transport_class!(PyHTTPTransport, "HTTPTransport");
transport_class!(PyAsyncHTTPTransport, "AsyncHTTPTransport");

#[pymethods]
impl PyHTTPTransport {
    fn handle_request(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let mut exchange = HandleRequest {
            net: self.net.clone(),
            request: request_arg(request)?,
            is_async: false,
            sent: None,
            outcome: Arc::new(Mutex::new(None)),
            read_timeout: None,
        };
        crate::steps::block_on(py, |py| exchange.step(py))
    }

    fn close(&self) {
        self.net.close();
    }

    fn __enter__<'py>(slf: &Bound<'py, Self>) -> Bound<'py, Self> {
        slf.clone()
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, PyTuple>) {
        self.net.close();
    }
}

#[pymethods]
impl PyAsyncHTTPTransport {
    fn handle_async_request(
        &self,
        py: Python<'_>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let exchange = HandleRequest {
            net: self.net.clone(),
            request: request_arg(request)?,
            is_async: true,
            sent: None,
            outcome: Arc::new(Mutex::new(None)),
            read_timeout: None,
        };
        Steps::coroutine(py, Box::new(exchange))
    }

    fn aclose(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.net.close();
        crate::steps::ready(py, py.None())
    }

    fn __aenter__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        crate::steps::ready(slf.py(), slf.clone().into_any().unbind())
    }

    #[pyo3(signature = (*_args))]
    fn __aexit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        self.net.close();
        crate::steps::ready(py, py.None())
    }
}
