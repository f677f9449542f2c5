//! `BaseClient`: the Python API that `Client` and `AsyncClient` share, written once as the
//! methods of a base class that both extend (as httpx's `BaseClient`).
//!
//! Construction is in two steps, as for any Python class: `__new__` accepts any arguments and
//! makes an empty client, `__init__` configures it. So a subclass may define its own
//! `__init__(self, my_arg, **kwargs)` and call `super().__init__(**kwargs)`, as SDKs do.
//!
//! Sending: `request()` and the verbs build a `SendPlan` and hand it to `dispatch`, the one
//! place where the two clients differ (block the calling thread, or return a coroutine).
//! When a subclass overrides `send` (or `request`), the verbs go through the override, as
//! in httpx where `get` calls `self.request`, which calls `self.send`.

use crate::auth::Auth;
use crate::client::core::{
    base_url_from, default_headers, hooks_from, ClientCore, Defaults, RequestArgs,
};
use crate::client::stream_context::{StreamContext, StreamSend};
use crate::exchange::pipeline::{Exchange, Mode, SendPlan};
use crate::exchange::steps::Steps;
use crate::models::config::{PyLimits, PyTimeout, Setting, Unset};
use crate::models::cookies::PyCookies;
use crate::models::handle::RequestHandle;
use crate::models::headers::{HeaderList, PyHeaders};
use crate::models::params::PyQueryParams;
use crate::models::url::PyURL;
use crate::python_glue::type_name;
use crate::transport::mounts::{Mounts, Transport};
use crate::transport::network::{NetTransport, NetworkOptions};
use pyo3::exceptions::{PyAttributeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use std::sync::{Arc, OnceLock};

/// httpx's default for `max_redirects`.
pub const DEFAULT_MAX_REDIRECTS: usize = 20;

/// What `Client` and `AsyncClient` share: the settings and the sending methods.
///
/// Not instantiated itself: use `httprs.Client` or `httprs.AsyncClient`.
#[pyclass(name = "BaseClient", module = "httprs", subclass, frozen)]
pub struct PyBaseClient {
    mode: Mode,
    /// Set once, by `__init__`.
    core: OnceLock<Arc<ClientCore>>,
    /// Which of `request` / `send` a subclass overrides (then the verbs call them).
    overrides: OnceLock<Overrides>,
}

#[derive(Clone, Copy, Default)]
struct Overrides {
    request: bool,
    send: bool,
}

impl PyBaseClient {
    pub fn new(mode: Mode) -> Self {
        PyBaseClient {
            mode,
            core: OnceLock::new(),
            overrides: OnceLock::new(),
        }
    }

    pub fn core(&self) -> PyResult<&Arc<ClientCore>> {
        self.core.get().ok_or_else(|| {
            PyAttributeError::new_err(
                "the client is not initialised: a subclass's __init__ must call super().__init__()",
            )
        })
    }

    /// The one difference between the clients: how the pipeline's waits are waited.
    fn dispatch(&self, py: Python<'_>, plan: SendPlan) -> PyResult<Py<PyAny>> {
        let exchange = Exchange::new(self.core()?.clone(), self.mode, plan);
        match self.mode {
            Mode::Sync => exchange.run_blocking(py),
            Mode::Async => Steps::coroutine(py, Box::new(exchange)),
        }
    }

    fn overrides(&self) -> Overrides {
        self.overrides.get().copied().unwrap_or_default()
    }

    /// `client.stream(...)`'s context, which sends (or raises) when entered.
    fn stream_context(&self, py: Python<'_>, send: StreamSend) -> PyResult<Py<PyAny>> {
        let context = StreamContext::new(self.core()?.clone(), self.mode, send);
        Ok(Py::new(py, context)?.into_any())
    }

    /// What a sending method gives when it failed before sending: the error at once (Client),
    /// or (AsyncClient, whose methods are `async def` in httpx) a coroutine, or a stream
    /// context, that raises it when awaited or entered.
    fn deferred(
        &self,
        py: Python<'_>,
        result: PyResult<Py<PyAny>>,
        stream: bool,
    ) -> PyResult<Py<PyAny>> {
        match (self.mode, result) {
            (Mode::Async, Err(e)) if stream => self.stream_context(py, StreamSend::Failed(e)),
            (Mode::Async, Err(e)) => crate::exchange::steps::failed(py, e),
            (_, result) => result,
        }
    }

    /// `request()`, the verbs and `stream()`: build the request, then send it (through a
    /// subclass's `request` / `send` when it has one).
    fn request_with(
        slf: &Bound<'_, Self>,
        args: RequestArgs<'_, '_>,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
        stream: bool,
        from_verb: bool,
    ) -> PyResult<Py<PyAny>> {
        let this = slf.get();
        if from_verb && this.overrides().request {
            return call_override_request(slf, args, auth, follow_redirects);
        }
        let result = Self::build_and_send(slf, args, auth, follow_redirects, stream);
        this.deferred(slf.py(), result, stream)
    }

    fn build_and_send(
        slf: &Bound<'_, Self>,
        args: RequestArgs<'_, '_>,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
        stream: bool,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let this = slf.get();
        let overrides = this.overrides();
        let core = this.core()?;
        core.check_open()?;
        if !stream {
            // As httpx: `request()` and the verbs warn, `stream()` does not.
            crate::client::core::warn_per_request_cookies(py, args.cookies)?;
        }
        let request = RequestHandle::wrap(py, core.build_request(py, args)?)?;
        if !overrides.send {
            let plan = core.plan(py, request, stream, auth, follow_redirects)?;
            return if stream {
                this.stream_context(py, StreamSend::Plan(plan))
            } else {
                this.dispatch(py, plan)
            };
        }
        let kwargs = PyDict::new(py);
        setting_kwarg(&kwargs, "auth", auth)?;
        setting_kwarg(&kwargs, "follow_redirects", follow_redirects)?;
        if stream {
            // httpx `stream()`: `self.send(request, stream=True)` when the context is entered.
            kwargs.set_item("request", request.face(py)?)?;
            kwargs.set_item("stream", true)?;
            let send = StreamSend::Override {
                send: slf.getattr("send")?.unbind(),
                kwargs: kwargs.unbind(),
            };
            return this.stream_context(py, send);
        }
        Ok(slf.call_method("send", (request,), Some(&kwargs))?.unbind())
    }

    fn verb(
        slf: &Bound<'_, Self>,
        method: &'static str,
        url: &Bound<'_, PyAny>,
        body: Body<'_, '_>,
        common: Common<'_, '_>,
    ) -> PyResult<Py<PyAny>> {
        let method = PyString::new(slf.py(), method);
        let args = RequestArgs {
            method: method.as_any(),
            url,
            content: body.content,
            data: body.data,
            files: body.files,
            json: body.json,
            params: common.params,
            headers: common.headers,
            cookies: common.cookies,
            timeout: common.timeout,
            extensions: common.extensions,
        };
        Self::request_with(slf, args, common.auth, common.follow_redirects, false, true)
    }
}

/// The body arguments of `post` / `put` / `patch` (none for `get` and the other bodyless verbs).
#[derive(Default)]
struct Body<'a, 'py> {
    content: Option<&'a Bound<'py, PyAny>>,
    data: Option<&'a Bound<'py, PyAny>>,
    files: Option<&'a Bound<'py, PyAny>>,
    json: Option<&'a Bound<'py, PyAny>>,
}

/// The arguments every verb takes.
struct Common<'a, 'py> {
    params: Option<&'a Bound<'py, PyAny>>,
    headers: Option<&'a Bound<'py, PyAny>>,
    cookies: Option<&'a Bound<'py, PyAny>>,
    auth: Setting<Bound<'py, PyAny>>,
    follow_redirects: Setting<bool>,
    timeout: Setting<Bound<'py, PyAny>>,
    extensions: Option<&'a Bound<'py, PyAny>>,
}

/// `auth=` / `follow_redirects=` as given (left out when the client's default applies).
fn setting_kwarg<'py, T: IntoPyObject<'py> + Clone>(
    kwargs: &Bound<'py, PyDict>,
    name: &str,
    value: Setting<T>,
) -> PyResult<()> {
    if let Setting::Value(v) = value {
        kwargs.set_item(name, v)?;
    }
    Ok(())
}

/// A verb on a subclass that overrides `request`: call it with what the verb was given.
fn call_override_request(
    slf: &Bound<'_, PyBaseClient>,
    args: RequestArgs<'_, '_>,
    auth: Setting<Bound<'_, PyAny>>,
    follow_redirects: Setting<bool>,
) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let kwargs = PyDict::new(py);
    for (name, value) in [
        ("content", args.content),
        ("data", args.data),
        ("files", args.files),
        ("json", args.json),
        ("params", args.params),
        ("headers", args.headers),
        ("cookies", args.cookies),
        ("extensions", args.extensions),
    ] {
        if let Some(v) = value {
            kwargs.set_item(name, v)?;
        }
    }
    setting_kwarg(&kwargs, "auth", auth)?;
    setting_kwarg(&kwargs, "follow_redirects", follow_redirects)?;
    setting_kwarg(&kwargs, "timeout", args.timeout)?;
    Ok(slf
        .call_method("request", (args.method, args.url), Some(&kwargs))?
        .unbind())
}

/// `Client.__init__` / `AsyncClient.__init__`: `BaseClient.__init__`, with argument errors
/// naming `class` (PyO3 names the class that defines the method, which users never wrote).
pub fn init_as(
    class: &str,
    slf: &Bound<'_, PyAny>,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    let py = slf.py();
    let init = py.get_type::<PyBaseClient>().getattr("__init__")?;
    let args = PyTuple::new(py, [slf.clone()])?
        .add(args)?
        .cast_into::<PyTuple>()?;
    match init.call(args, kwargs) {
        Err(e) if e.is_instance_of::<PyTypeError>(py) => {
            let message = e.value(py).to_string();
            match message.strip_prefix("BaseClient.__init__()") {
                Some(rest) => Err(PyTypeError::new_err(format!("{class}.__init__(){rest}"))),
                None => Err(e),
            }
        }
        other => other.map(drop),
    }
}

/// True when `cls` (a subclass) defines `name` itself rather than inheriting ours.
fn overridden(cls: &Bound<'_, PyAny>, base: &Bound<'_, PyAny>, name: &str) -> PyResult<bool> {
    Ok(!cls.getattr(name)?.is(&base.getattr(name)?))
}

#[pymethods]
impl PyBaseClient {
    #[new]
    #[pyo3(signature = (*_args, **_kwargs), text_signature = "(*, auth=None, params=None, headers=None, cookies=None, verify=True, cert=None, trust_env=True, http1=True, http2=False, http3=False, proxy=None, mounts=None, timeout=..., follow_redirects=False, limits=..., max_redirects=20, event_hooks=None, base_url='', transport=None, default_encoding='utf-8', max_response_size=None)")]
    fn py_new(_args: &Bound<'_, PyTuple>, _kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Err(PyTypeError::new_err(
            "BaseClient cannot be instantiated: use httprs.Client or httprs.AsyncClient",
        ))
    }

    #[pyo3(signature = (*, auth = None, params = None, headers = None, cookies = None, verify = None, cert = None, trust_env = true, http1 = true, http2 = false, http3 = false, proxy = None, mounts = None, timeout = Unset::Unset, follow_redirects = false, limits = None, max_redirects = DEFAULT_MAX_REDIRECTS, event_hooks = None, base_url = None, transport = None, default_encoding = None, max_response_size = None))]
    #[allow(clippy::too_many_arguments)]
    fn __init__(
        slf: &Bound<'_, Self>,
        auth: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        verify: Option<&Bound<'_, PyAny>>,
        cert: Option<&Bound<'_, PyAny>>,
        trust_env: bool,
        http1: bool,
        http2: bool,
        http3: bool,
        proxy: Option<&Bound<'_, PyAny>>,
        mounts: Option<&Bound<'_, PyAny>>,
        timeout: Unset<Bound<'_, PyAny>>,
        follow_redirects: bool,
        limits: Option<PyLimits>,
        max_redirects: usize,
        event_hooks: Option<&Bound<'_, PyAny>>,
        base_url: Option<&Bound<'_, PyAny>>,
        transport: Option<&Bound<'_, PyAny>>,
        default_encoding: Option<&Bound<'_, PyAny>>,
        max_response_size: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let py = slf.py();
        let this = slf.get();
        let is_async = this.mode == Mode::Async;
        let timeout = match &timeout {
            Unset::Unset => PyTimeout::DEFAULT,
            Unset::Value(t) => PyTimeout::from_py(t)?,
        };
        let mut header_list = default_headers();
        header_list.update(&HeaderList::from_py(headers, "headers")?);
        let auth = match auth {
            Some(a) => Auth::from_py(a)?,
            None => None,
        };
        let event_hooks = hooks_from(py, event_hooks)?;
        let default_encoding = match default_encoding {
            None => pyo3::types::PyString::new(py, "utf-8").into_any().unbind(),
            Some(d) if d.is_instance_of::<pyo3::types::PyString>() || d.is_callable() => {
                d.clone().unbind()
            }
            Some(d) => {
                return Err(PyTypeError::new_err(format!(
                    "default_encoding must be a codec name or a callable, got {}",
                    type_name(d)
                )))
            }
        };
        let limits = limits.unwrap_or(PyLimits::DEFAULT);
        let defaults = Defaults {
            base_url: base_url_from(base_url)?,
            headers: Py::new(py, PyHeaders::from_list(header_list))?,
            cookies: Py::new(py, PyCookies::from_jar(PyCookies::jar_from_py(cookies)?))?,
            params: PyQueryParams::from_py(params)?,
            auth,
            timeout,
            follow_redirects,
            max_redirects,
            event_hooks,
            default_encoding,
            trust_env,
            max_response_size: match max_response_size {
                Some(m) => crate::models::size_limit::parse(m)?,
                None => None,
            },
        };
        // As in httpx, `transport=` replaces the network options (verify, http2, limits...),
        // and `proxy=` is a mount for "all://" in front of an unproxied transport, so that a
        // mount (even `None`) for a more specific pattern wins over it.
        let network = |proxy: Option<&Bound<'_, PyAny>>| -> PyResult<Transport> {
            let mut options = NetworkOptions::from_py(
                verify,
                cert,
                trust_env,
                http1,
                http2,
                Some(limits),
                proxy,
                None,
                None,
            )?;
            options.env_proxies = proxy.is_none() && transport.is_none();
            options.http3 = http3;
            Ok(Transport::Net(Arc::new(NetTransport::new(&options)?)))
        };
        let explicit_proxy = proxy.filter(|p| !p.is_none());
        let own = match transport.filter(|t| !t.is_none()) {
            Some(t) => Transport::from_py(t, is_async)?,
            None => network(None)?,
        };
        let proxied = match explicit_proxy {
            Some(p) => Some(network(Some(p))?),
            None => None,
        };
        let mounts = Mounts::from_py(mounts, is_async, proxied)?;
        let transport = own;
        let core = ClientCore::new(defaults, transport, mounts, is_async)?;
        if this.core.set(Arc::new(core)).is_err() {
            return Err(PyTypeError::new_err(
                "a client is initialised once: create a new client instead",
            ));
        }
        let cls = slf.get_type();
        let base = py.get_type::<PyBaseClient>();
        let overrides = if cls.is(py.get_type::<crate::client::sync_client::PyClient>())
            || cls.is(py.get_type::<crate::client::async_client::PyAsyncClient>())
        {
            Overrides::default()
        } else {
            Overrides {
                request: overridden(cls.as_any(), base.as_any(), "request")?,
                send: overridden(cls.as_any(), base.as_any(), "send")?,
            }
        };
        let _ = this.overrides.set(overrides);
        Ok(())
    }

    /// Build and send a request; return the response, its body read.
    ///
    /// `AsyncClient`: a coroutine. `content` (bytes, str or an iterable of bytes), `data`
    /// (form fields), `files` (multipart uploads) or `json` give the body; `params`,
    /// `headers` and `cookies` are merged with the client's; `auth`, `follow_redirects` and
    /// `timeout` override the client's for this request; `extensions` are passed to the
    /// transport.
    ///
    /// ```python
    /// response = client.request("GET", "https://example.org", params={"q": "rust"})
    /// ```
    #[pyo3(signature = (method, url, *, content = None, data = None, files = None, json = None, params = None, headers = None, cookies = None, auth = Setting::ClientDefault, follow_redirects = Setting::ClientDefault, timeout = Setting::ClientDefault, extensions = None))]
    #[allow(clippy::too_many_arguments)]
    fn request(
        slf: &Bound<'_, Self>,
        method: &Bound<'_, PyAny>,
        url: &Bound<'_, PyAny>,
        content: Option<&Bound<'_, PyAny>>,
        data: Option<&Bound<'_, PyAny>>,
        files: Option<&Bound<'_, PyAny>>,
        json: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
        timeout: Setting<Bound<'_, PyAny>>,
        extensions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let args = RequestArgs {
            method,
            url,
            content,
            data,
            files,
            json,
            params,
            headers,
            cookies,
            timeout,
            extensions,
        };
        Self::request_with(slf, args, auth, follow_redirects, false, false)
    }

    /// Send a request; return a context manager whose response body is read as it arrives.
    ///
    /// ```python
    /// with client.stream("GET", url) as response:
    ///     for chunk in response.iter_bytes():
    ///         ...
    /// ```
    ///
    /// `AsyncClient`: `async with` and `response.aiter_bytes()`. The connection is released when
    /// the block exits. Arguments as for `request()`.
    #[pyo3(signature = (method, url, *, content = None, data = None, files = None, json = None, params = None, headers = None, cookies = None, auth = Setting::ClientDefault, follow_redirects = Setting::ClientDefault, timeout = Setting::ClientDefault, extensions = None))]
    #[allow(clippy::too_many_arguments)]
    fn stream(
        slf: &Bound<'_, Self>,
        method: &Bound<'_, PyAny>,
        url: &Bound<'_, PyAny>,
        content: Option<&Bound<'_, PyAny>>,
        data: Option<&Bound<'_, PyAny>>,
        files: Option<&Bound<'_, PyAny>>,
        json: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
        timeout: Setting<Bound<'_, PyAny>>,
        extensions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let args = RequestArgs {
            method,
            url,
            content,
            data,
            files,
            json,
            params,
            headers,
            cookies,
            timeout,
            extensions,
        };
        Self::request_with(slf, args, auth, follow_redirects, true, false)
    }

    /// A `Request` built with the client's defaults (base URL, headers, cookies, params,
    /// timeout), to be sent with `send()`. Arguments as for `request()`.
    #[pyo3(signature = (method, url, *, content = None, data = None, files = None, json = None, params = None, headers = None, cookies = None, timeout = Setting::ClientDefault, extensions = None))]
    #[allow(clippy::too_many_arguments)]
    fn build_request(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyAny>,
        url: &Bound<'_, PyAny>,
        content: Option<&Bound<'_, PyAny>>,
        data: Option<&Bound<'_, PyAny>>,
        files: Option<&Bound<'_, PyAny>>,
        json: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        timeout: Setting<Bound<'_, PyAny>>,
        extensions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<RequestHandle> {
        let args = RequestArgs {
            method,
            url,
            content,
            data,
            files,
            json,
            params,
            headers,
            cookies,
            timeout,
            extensions,
        };
        RequestHandle::wrap(py, self.core()?.build_request(py, args)?)
    }

    /// Send a `Request` (from `build_request()` or made directly); return the response.
    ///
    /// `AsyncClient`: a coroutine. With `stream=True` the body is not read: read it with
    /// `response.read()` / `iter_bytes()` (or their async forms) and `close()` the response.
    /// `auth` and `follow_redirects` override the client's for this request.
    #[pyo3(signature = (request, *, stream = false, auth = Setting::ClientDefault, follow_redirects = Setting::ClientDefault))]
    fn send(
        &self,
        py: Python<'_>,
        request: &Bound<'_, PyAny>,
        stream: bool,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
    ) -> PyResult<Py<PyAny>> {
        let result = RequestHandle::from_py(request, "send()'s request").and_then(|request| {
            let plan = self
                .core()?
                .plan(py, request, stream, auth, follow_redirects)?;
            self.dispatch(py, plan)
        });
        self.deferred(py, result, false)
    }

    /// Send a `GET` request (`AsyncClient`: a coroutine). Arguments as for `request()`.
    #[pyo3(signature = (url, *, params = None, headers = None, cookies = None, auth = Setting::ClientDefault, follow_redirects = Setting::ClientDefault, timeout = Setting::ClientDefault, extensions = None))]
    #[allow(clippy::too_many_arguments)]
    fn get(
        slf: &Bound<'_, Self>,
        url: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
        timeout: Setting<Bound<'_, PyAny>>,
        extensions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let common = Common {
            params,
            headers,
            cookies,
            auth,
            follow_redirects,
            timeout,
            extensions,
        };
        Self::verb(slf, "GET", url, Body::default(), common)
    }

    /// Send a `HEAD` request (`AsyncClient`: a coroutine). Arguments as for `request()`.
    #[pyo3(signature = (url, *, params = None, headers = None, cookies = None, auth = Setting::ClientDefault, follow_redirects = Setting::ClientDefault, timeout = Setting::ClientDefault, extensions = None))]
    #[allow(clippy::too_many_arguments)]
    fn head(
        slf: &Bound<'_, Self>,
        url: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
        timeout: Setting<Bound<'_, PyAny>>,
        extensions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let common = Common {
            params,
            headers,
            cookies,
            auth,
            follow_redirects,
            timeout,
            extensions,
        };
        Self::verb(slf, "HEAD", url, Body::default(), common)
    }

    /// Send a `OPTIONS` request (`AsyncClient`: a coroutine). Arguments as for `request()`.
    #[pyo3(signature = (url, *, params = None, headers = None, cookies = None, auth = Setting::ClientDefault, follow_redirects = Setting::ClientDefault, timeout = Setting::ClientDefault, extensions = None))]
    #[allow(clippy::too_many_arguments)]
    fn options(
        slf: &Bound<'_, Self>,
        url: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
        timeout: Setting<Bound<'_, PyAny>>,
        extensions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let common = Common {
            params,
            headers,
            cookies,
            auth,
            follow_redirects,
            timeout,
            extensions,
        };
        Self::verb(slf, "OPTIONS", url, Body::default(), common)
    }

    /// Send a `DELETE` request (`AsyncClient`: a coroutine). Arguments as for `request()`.
    #[pyo3(signature = (url, *, params = None, headers = None, cookies = None, auth = Setting::ClientDefault, follow_redirects = Setting::ClientDefault, timeout = Setting::ClientDefault, extensions = None))]
    #[allow(clippy::too_many_arguments)]
    fn delete(
        slf: &Bound<'_, Self>,
        url: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
        timeout: Setting<Bound<'_, PyAny>>,
        extensions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let common = Common {
            params,
            headers,
            cookies,
            auth,
            follow_redirects,
            timeout,
            extensions,
        };
        Self::verb(slf, "DELETE", url, Body::default(), common)
    }

    /// Send a `POST` request (`AsyncClient`: a coroutine). Arguments as for `request()`.
    #[pyo3(signature = (url, *, content = None, data = None, files = None, json = None, params = None, headers = None, cookies = None, auth = Setting::ClientDefault, follow_redirects = Setting::ClientDefault, timeout = Setting::ClientDefault, extensions = None))]
    #[allow(clippy::too_many_arguments)]
    fn post(
        slf: &Bound<'_, Self>,
        url: &Bound<'_, PyAny>,
        content: Option<&Bound<'_, PyAny>>,
        data: Option<&Bound<'_, PyAny>>,
        files: Option<&Bound<'_, PyAny>>,
        json: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
        timeout: Setting<Bound<'_, PyAny>>,
        extensions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let body = Body {
            content,
            data,
            files,
            json,
        };
        let common = Common {
            params,
            headers,
            cookies,
            auth,
            follow_redirects,
            timeout,
            extensions,
        };
        Self::verb(slf, "POST", url, body, common)
    }

    /// Send a `PUT` request (`AsyncClient`: a coroutine). Arguments as for `request()`.
    #[pyo3(signature = (url, *, content = None, data = None, files = None, json = None, params = None, headers = None, cookies = None, auth = Setting::ClientDefault, follow_redirects = Setting::ClientDefault, timeout = Setting::ClientDefault, extensions = None))]
    #[allow(clippy::too_many_arguments)]
    fn put(
        slf: &Bound<'_, Self>,
        url: &Bound<'_, PyAny>,
        content: Option<&Bound<'_, PyAny>>,
        data: Option<&Bound<'_, PyAny>>,
        files: Option<&Bound<'_, PyAny>>,
        json: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
        timeout: Setting<Bound<'_, PyAny>>,
        extensions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let body = Body {
            content,
            data,
            files,
            json,
        };
        let common = Common {
            params,
            headers,
            cookies,
            auth,
            follow_redirects,
            timeout,
            extensions,
        };
        Self::verb(slf, "PUT", url, body, common)
    }

    /// Send a `PATCH` request (`AsyncClient`: a coroutine). Arguments as for `request()`.
    #[pyo3(signature = (url, *, content = None, data = None, files = None, json = None, params = None, headers = None, cookies = None, auth = Setting::ClientDefault, follow_redirects = Setting::ClientDefault, timeout = Setting::ClientDefault, extensions = None))]
    #[allow(clippy::too_many_arguments)]
    fn patch(
        slf: &Bound<'_, Self>,
        url: &Bound<'_, PyAny>,
        content: Option<&Bound<'_, PyAny>>,
        data: Option<&Bound<'_, PyAny>>,
        files: Option<&Bound<'_, PyAny>>,
        json: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        cookies: Option<&Bound<'_, PyAny>>,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
        timeout: Setting<Bound<'_, PyAny>>,
        extensions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let body = Body {
            content,
            data,
            files,
            json,
        };
        let common = Common {
            params,
            headers,
            cookies,
            auth,
            follow_redirects,
            timeout,
            extensions,
        };
        Self::verb(slf, "PATCH", url, body, common)
    }

    // The settings users read and replace while the client is in use.

    /// True once the client is closed (`close()` / `aclose()`, or its `with` block exited).
    #[getter]
    fn is_closed(&self) -> PyResult<bool> {
        Ok(self.core()?.is_closed())
    }

    /// The default `Timeout` of requests; settable (anything `timeout=` accepts).
    #[getter]
    fn timeout(&self) -> PyResult<PyTimeout> {
        Ok(self.core()?.defaults().timeout)
    }

    #[setter]
    fn set_timeout(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let t = PyTimeout::from_py(value)?;
        self.core()?.defaults_mut().timeout = t;
        Ok(())
    }

    /// The headers sent with every request; settable (replaces them).
    #[getter]
    fn headers(&self, py: Python<'_>) -> PyResult<Py<PyHeaders>> {
        Ok(self.core()?.defaults().headers.clone_ref(py))
    }

    #[setter]
    fn set_headers(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let mut list = default_headers();
        list.update(&HeaderList::from_py(Some(value), "headers")?);
        let new = Py::new(py, PyHeaders::from_list(list))?;
        self.core()?.defaults_mut().headers = new;
        Ok(())
    }

    /// The client's cookie jar: cookies responses set, sent back to matching URLs; settable.
    #[getter]
    fn cookies(&self, py: Python<'_>) -> PyResult<Py<PyCookies>> {
        Ok(self.core()?.defaults().cookies.clone_ref(py))
    }

    #[setter]
    fn set_cookies(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let new = Py::new(
            py,
            PyCookies::from_jar(PyCookies::jar_from_py(Some(value))?),
        )?;
        self.core()?.defaults_mut().cookies = new;
        Ok(())
    }

    /// The query parameters added to every request's URL; settable.
    #[getter]
    fn params(&self) -> PyResult<PyQueryParams> {
        Ok(self.core()?.defaults().params.clone())
    }

    #[setter]
    fn set_params(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let p = PyQueryParams::from_py(Some(value))?;
        self.core()?.defaults_mut().params = p;
        Ok(())
    }

    /// The URL relative request URLs are joined to; settable.
    #[getter]
    fn base_url(&self) -> PyResult<PyURL> {
        Ok(self.core()?.defaults().base_url.clone())
    }

    #[setter]
    fn set_base_url(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let url = base_url_from(Some(value))?;
        self.core()?.defaults_mut().base_url = url;
        Ok(())
    }

    /// The default authentication: an `Auth` object (a `(user, pass)` tuple becomes
    /// `BasicAuth`), a function, or None; settable (anything `auth=` accepts).
    #[getter]
    fn auth(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        Ok(self.core()?.defaults().auth.as_ref().map(|a| a.to_py(py)))
    }

    #[setter]
    fn set_auth(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let auth = crate::auth::Auth::from_py(value)?;
        self.core()?.defaults_mut().auth = auth;
        Ok(())
    }

    /// Whether requests follow redirects by default; settable.
    #[getter]
    fn follow_redirects(&self) -> PyResult<bool> {
        Ok(self.core()?.defaults().follow_redirects)
    }

    #[setter]
    fn set_follow_redirects(&self, value: bool) -> PyResult<()> {
        self.core()?.defaults_mut().follow_redirects = value;
        Ok(())
    }

    /// The most redirects a request follows before TooManyRedirects; settable.
    #[getter]
    fn max_redirects(&self) -> PyResult<usize> {
        Ok(self.core()?.defaults().max_redirects)
    }

    #[setter]
    fn set_max_redirects(&self, value: usize) -> PyResult<()> {
        self.core()?.defaults_mut().max_redirects = value;
        Ok(())
    }

    /// Whether environment variables (proxies, `SSL_CERT_FILE`, ...) and `.netrc` are used.
    #[getter]
    fn trust_env(&self) -> PyResult<bool> {
        Ok(self.core()?.defaults().trust_env)
    }

    /// `max_response_size=`: the most bytes a decoded response body may hold in memory
    /// (`.read()` / `.content`, every non-streaming request), or None. Past it,
    /// `ResponseTooLarge` (a `DecodingError`). Added to each request's
    /// `extensions["max_response_size"]`, which a request may set itself (None: no bound).
    /// The streaming iterators (`iter_bytes()`...) are not bounded.
    #[getter]
    fn max_response_size(&self) -> PyResult<Option<usize>> {
        Ok(self.core()?.defaults().max_response_size)
    }

    /// Server-sent events: `sse(method, url, **kwargs)` (or httpx2's
    /// `sse(url, method="GET", ...)`), entered with `with` (Client) or `async with`
    /// (AsyncClient) to get an `EventSource`. Takes `stream()`'s arguments, plus
    /// `max_event_size` (bytes, default 1 MiB, None: no bound), `reconnect` (reconnect when
    /// the stream ends or drops, sending `Last-Event-ID`, after the server's `retry` or 3 s)
    /// and `last_event_id` (resume from a stored id). Sends `Accept: text/event-stream` and
    /// `Cache-Control: no-store` unless `headers` say otherwise.
    #[pyo3(signature = (*args, **kwargs))]
    fn sse<'py>(
        slf: &Bound<'py, Self>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        py.import(pyo3::intern!(py, "httprs._sse"))?.call_method(
            pyo3::intern!(py, "connect"),
            (slf, args),
            kwargs,
        )
    }

    /// `{"request": [...], "response": [...]}`: functions called with each request before
    /// it is sent and each response before it is returned; settable.
    #[getter]
    fn event_hooks(&self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        Ok(self.core()?.defaults().event_hooks.clone_ref(py))
    }

    #[setter]
    fn set_event_hooks(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let hooks = hooks_from(py, Some(value))?;
        self.core()?.defaults_mut().event_hooks = hooks;
        Ok(())
    }
}
