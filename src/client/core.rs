//! `ClientCore`: what `Client` and `AsyncClient` share — the defaults, the network client, and
//! every step of sending that is not waiting (building requests, merging defaults, auth
//! selection, cookies, redirect requests; the redirect rules themselves are `redirects.rs`).
//! `exchange/pipeline.rs` sequences those steps once for both clients; `base.rs` is their
//! common Python API; `sync_client.rs` / `async_client.rs` only say how to wait.

use crate::auth::basic::basic_header;
use crate::auth::Auth;
use crate::client::build_cache::BuildCache;
use crate::client::redirects::{self, BadLocation};
use crate::errors::{ErrorKind, HttpError};
use crate::exchange::pipeline::SendPlan;
use crate::exchange::runtime::{Driver, RuntimeRef};
use crate::models::config::{PyTimeout, Setting};
use crate::models::cookies::PyCookies;
use crate::models::handle::{RequestHandle, ResponseHandle};
use crate::models::headers::{HeaderList, PyHeaders};
use crate::models::params::PyQueryParams;
use crate::models::request::{normalize_method, PyRequest, RequestBody, RequestParts};
use crate::models::response::PyResponse;
use crate::models::url::{extract_url, PyURL, UrlKwargs};
use crate::python_glue::type_name;
use crate::transport::fetch::Fetched;
use crate::transport::mounts::{Mounts, Transport};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::RwLock;

/// Client-level settings that users may read and replace while the client is in use.
pub struct Defaults {
    pub base_url: PyURL,
    pub headers: Py<PyHeaders>,
    pub cookies: Py<PyCookies>,
    pub params: PyQueryParams,
    pub auth: Option<Auth>,
    pub timeout: PyTimeout,
    pub follow_redirects: bool,
    pub max_redirects: usize,
    /// `{"request": [...], "response": [...]}`, the live dict `client.event_hooks` returns
    /// (httpx users append to its lists).
    pub event_hooks: Py<PyDict>,
    pub default_encoding: Py<PyAny>,
    pub trust_env: bool,
    /// `max_response_size=` (see `models/size_limit.rs`): added to each request's extensions.
    pub max_response_size: Option<usize>,
}

const UNOPENED: u8 = 0;
const OPENED: u8 = 1;
const CLOSED: u8 = 2;

/// Everything a driver needs; shared by `Client` and `AsyncClient`.
pub struct ClientCore {
    pub rt: RuntimeRef,
    /// `transport=`, or the network transport built from the client's arguments.
    transport: Transport,
    mounts: Mounts,
    /// An AsyncClient's core (transports are called with `handle_async_request`).
    pub is_async: bool,
    pub defaults: RwLock<Defaults>,
    state: AtomicU8,
    /// The last URL string and the timeout dict, kept from one request to the next.
    cache: BuildCache,
}

/// httpx's client defaults, with our User-Agent.
pub fn default_headers() -> HeaderList {
    let mut h = HeaderList::new();
    h.push("Accept", "*/*");
    h.push("Accept-Encoding", crate::codecs::content::ACCEPT_ENCODING);
    h.push("Connection", "keep-alive");
    h.push("User-Agent", &format!("python-httprs/{}", crate::VERSION));
    h
}

/// httpx enforces a trailing "/" on base_url paths so that relative URLs append to them.
pub fn base_url_from(obj: Option<&Bound<'_, PyAny>>) -> PyResult<PyURL> {
    let url = match obj {
        Some(o) if !o.is_none() => extract_url(o, "base_url")?,
        _ => PyURL::parse("")?,
    };
    let raw = url.raw_path_str();
    let path_part = raw.split('?').next().unwrap_or("");
    if path_part.ends_with('/') || url.as_str().is_empty() {
        return Ok(url);
    }
    let fixed = format!("{path_part}/");
    url.copy_with_kwargs(UrlKwargs {
        path: Some(Some(fixed)),
        ..UrlKwargs::default()
    })
}

/// The request-level arguments of `request()` / `build_request()` / the verb methods.
pub struct RequestArgs<'a, 'py> {
    pub method: &'a Bound<'py, PyAny>,
    pub url: &'a Bound<'py, PyAny>,
    pub content: Option<&'a Bound<'py, PyAny>>,
    pub data: Option<&'a Bound<'py, PyAny>>,
    pub files: Option<&'a Bound<'py, PyAny>>,
    pub json: Option<&'a Bound<'py, PyAny>>,
    pub params: Option<&'a Bound<'py, PyAny>>,
    pub headers: Option<&'a Bound<'py, PyAny>>,
    pub cookies: Option<&'a Bound<'py, PyAny>>,
    pub timeout: Setting<Bound<'py, PyAny>>,
    pub extensions: Option<&'a Bound<'py, PyAny>>,
}

/// What happens after a response: done, or follow to this request.
pub enum NextStep {
    Done,
    Redirect(PyRequest),
}

impl ClientCore {
    pub fn new(
        defaults: Defaults,
        transport: Transport,
        mounts: Mounts,
        is_async: bool,
    ) -> PyResult<Self> {
        Ok(Self {
            rt: RuntimeRef::current(if is_async {
                Driver::Async
            } else {
                Driver::Sync
            })?,
            transport,
            mounts,
            is_async,
            defaults: RwLock::new(defaults),
            state: AtomicU8::new(UNOPENED),
            cache: BuildCache::default(),
        })
    }

    /// httpx `_transport_for_url`: the most specific matching mount, else the client's own.
    pub fn transport_for(&self, py: Python<'_>, url: &PyURL) -> Transport {
        for (pattern, transport) in &self.mounts.entries {
            if pattern.matches(url) {
                return match transport {
                    Some(t) => t.clone_ref(py),
                    None => self.transport.clone_ref(py),
                };
            }
        }
        self.transport.clone_ref(py)
    }

    /// The client's transport and its mounts, as Python objects (`_transport`, `_mounts`).
    pub fn transports(&self, py: Python<'_>) -> PyResult<Vec<(Option<String>, Py<PyAny>)>> {
        let mut out = vec![(None, self.transport.to_py(py, self.is_async)?)];
        for (pattern, t) in &self.mounts.entries {
            if let Some(t) = t {
                out.push((Some(pattern.pattern.clone()), t.to_py(py, self.is_async)?));
            }
        }
        Ok(out)
    }

    pub fn defaults(&self) -> std::sync::RwLockReadGuard<'_, Defaults> {
        self.defaults.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn defaults_mut(&self) -> std::sync::RwLockWriteGuard<'_, Defaults> {
        self.defaults.write().unwrap_or_else(|e| e.into_inner())
    }

    pub fn is_closed(&self) -> bool {
        self.state.load(Ordering::Acquire) == CLOSED
    }

    /// A closed client sends nothing (httpx's message).
    pub fn check_open(&self) -> PyResult<()> {
        if self.is_closed() {
            return Err(PyRuntimeError::new_err(
                "Cannot send a request, as the client has been closed.",
            ));
        }
        Ok(())
    }

    pub fn mark_opened(&self) -> PyResult<()> {
        if self.is_closed() {
            return Err(PyRuntimeError::new_err(
                "Cannot send a request, as the client has been closed.",
            ));
        }
        let _ = self
            .state
            .compare_exchange(UNOPENED, OPENED, Ordering::AcqRel, Ordering::Acquire);
        Ok(())
    }

    pub fn enter(&self) -> PyResult<()> {
        match self
            .state
            .compare_exchange(UNOPENED, OPENED, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => Ok(()),
            Err(CLOSED) => Err(PyRuntimeError::new_err(
                "Cannot reopen a client instance, once it has been closed.",
            )),
            Err(_) => Err(PyRuntimeError::new_err(
                "Cannot open a client instance more than once.",
            )),
        }
    }

    /// Mark closed and close the transports (Python ones through `close()`; an AsyncClient
    /// awaits their `aclose()` itself).
    pub fn close(&self, py: Python<'_>) {
        self.state.store(CLOSED, Ordering::Release);
        self.transport.close(py, self.is_async);
        for (_, t) in &self.mounts.entries {
            if let Some(t) = t {
                t.close(py, self.is_async);
            }
        }
    }

    /// The end of `with` / `async with`: mark closed and close the network transports; the
    /// Python ones are exited by the caller (`__exit__` / `__aexit__`, as httpx does).
    pub fn close_network(&self) {
        self.state.store(CLOSED, Ordering::Release);
        let all = std::iter::once(Some(&self.transport))
            .chain(self.mounts.entries.iter().map(|(_, t)| t.as_ref()));
        for t in all.flatten() {
            if let Transport::Net(net) = t {
                net.close();
            }
        }
    }

    /// The Python transports (the client's, then the mounted ones): entered and exited with
    /// the client, closed with an AsyncClient's `await t.aclose()`.
    pub fn python_transports(&self, py: Python<'_>) -> Vec<Py<PyAny>> {
        let mut out = Vec::new();
        let all = std::iter::once(Some(&self.transport))
            .chain(self.mounts.entries.iter().map(|(_, t)| t.as_ref()));
        for t in all.flatten() {
            if let Transport::Python(o) = t {
                out.push(o.clone_ref(py));
            }
        }
        out
    }

    /// httpx `build_request`: merge the client's defaults into a new `Request`.
    pub fn build_request(&self, py: Python<'_>, args: RequestArgs<'_, '_>) -> PyResult<PyRequest> {
        let method = normalize_method(args.method)?;
        let d = self.defaults();
        let url = match args.url.cast::<PyString>() {
            Ok(s) => self.cache.url(&s.to_cow()?, &d.base_url)?,
            Err(_) => PyURL::merge_with_base(&d.base_url, &extract_url(args.url, "url")?),
        };
        let mut headers = d.headers.borrow(py).list.clone();
        if args.headers.is_some() {
            headers.update(&HeaderList::from_py(args.headers, "headers")?);
        }
        let mut jar = d.cookies.get().lock().clone();
        if let Some(c) = args.cookies.filter(|c| !c.is_none()) {
            for cookie in PyCookies::jar_from_py(Some(c))?.cookies {
                jar.set(cookie);
            }
        }
        // httpx `_merge_queryparams`: merged only when either side has any.
        let given = args.params.filter(|p| !p.is_none());
        let params_obj =
            if !d.params.is_empty() || given.is_some_and(|p| p.is_truthy().unwrap_or(true)) {
                let merged = d.params.merged(&PyQueryParams::from_py(given)?);
                Some(Bound::new(py, merged)?.into_any())
            } else {
                given.cloned()
            };
        let timeout = match &args.timeout {
            Setting::ClientDefault => d.timeout,
            Setting::Value(t) => PyTimeout::from_py(t)?,
        };
        let max_response_size = d.max_response_size;
        drop(d);
        let extensions = match args.extensions.filter(|e| !e.is_none()) {
            Some(e) => e
                .cast::<PyDict>()
                .map_err(|_| {
                    PyTypeError::new_err(format!("extensions must be a dict, got {}", type_name(e)))
                })?
                .copy()?,
            None => PyDict::new(py),
        };
        if !extensions.contains(intern!(py, "timeout"))? {
            extensions.set_item(
                intern!(py, "timeout"),
                self.cache.timeout_dict(py, &timeout)?,
            )?;
        }
        add_max_response_size(&extensions, max_response_size)?;
        PyRequest::build(
            py,
            RequestParts {
                method,
                url,
                params: params_obj.as_ref(),
                headers,
                cookies: if jar.cookies.is_empty() {
                    None
                } else {
                    Some(jar)
                },
                content: args.content,
                data: args.data,
                files: args.files,
                json: args.json,
                extensions: Some(extensions.as_any()),
            },
        )
    }

    /// httpx `_build_request_auth`: the request's auth, else the client's, else userinfo.
    pub fn request_auth(
        &self,
        py: Python<'_>,
        request: &PyRequest,
        auth: &Setting<Bound<'_, PyAny>>,
    ) -> PyResult<Option<Auth>> {
        let chosen = match auth {
            Setting::ClientDefault => self.defaults().auth.as_ref().map(|a| a.clone_ref(py)),
            Setting::Value(obj) => Auth::from_py(obj)?,
        };
        if chosen.is_some() {
            return Ok(chosen);
        }
        let (user, pass) = (request.url.username_str(), request.url.password_str());
        if !user.is_empty() || !pass.is_empty() {
            return Ok(Some(Auth::Header(
                basic_header(user.as_bytes(), pass.as_bytes()),
                None,
            )));
        }
        Ok(None)
    }

    pub fn follow_redirects(&self, setting: &Setting<bool>) -> bool {
        match setting {
            Setting::ClientDefault => self.defaults().follow_redirects,
            Setting::Value(v) => *v,
        }
    }

    pub fn hooks(&self, py: Python<'_>, response: bool) -> PyResult<Vec<Py<PyAny>>> {
        let hooks = self.defaults().event_hooks.clone_ref(py);
        let key = if response {
            intern!(py, "response")
        } else {
            intern!(py, "request")
        };
        let Some(list) = hooks.bind(py).get_item(key)? else {
            return Ok(Vec::new());
        };
        // The usual case, asked twice per request: no iterator made for an empty list.
        if list
            .cast::<pyo3::types::PyList>()
            .is_ok_and(|l| l.is_empty())
        {
            return Ok(Vec::new());
        }
        list.try_iter()?.map(|h| h.map(Bound::unbind)).collect()
    }

    /// Turn what the network returned into a `Response`, and store its cookies.
    pub fn make_response(
        &self,
        py: Python<'_>,
        request: &RequestHandle,
        fetched: Fetched,
        started: std::time::Instant,
        read_timeout: Option<std::time::Duration>,
        is_async: bool,
    ) -> PyResult<ResponseHandle> {
        let response = crate::transport::network::response_from_fetched(
            py,
            request,
            fetched,
            started,
            read_timeout,
            is_async,
        )?;
        self.adopt_response(py, request, &response)?;
        Ok(response)
    }

    /// What the client does with any transport's response: link it to its request, store
    /// its cookies in the jar, give it the client's `default_encoding`.
    pub fn adopt_response(
        &self,
        py: Python<'_>,
        request: &RequestHandle,
        response: &ResponseHandle,
    ) -> PyResult<()> {
        let mut r = response.bind(py).borrow_mut();
        {
            let req = request.bind(py).borrow();
            let d = self.defaults();
            d.cookies.get().lock().extract(
                &r.headers.borrow(py).list,
                req.url.host_ascii(),
                &req.url.raw_path_str(),
            );
        }
        r.request = Some(request.clone_ref(py));
        r.default_encoding = Some(self.defaults().default_encoding.clone_ref(py));
        Ok(())
    }

    /// httpx `_build_redirect_request`, or Done when the response is not a redirect: the
    /// rules are `redirects.rs`; what needs the client is the cookie jar.
    pub fn next_step(
        &self,
        py: Python<'_>,
        request: &PyRequest,
        response: &PyResponse,
    ) -> PyResult<NextStep> {
        if !redirects::is_redirect_status(response.status) {
            return Ok(NextStep::Done);
        }
        let Some(location) = response
            .headers
            .borrow(py)
            .list
            .get_first("location")
            .map(str::to_owned)
        else {
            return Ok(NextStep::Done);
        };
        let url = redirects::redirect_url(&request.url, &location).map_err(|bad| {
            let detail = match bad {
                BadLocation::Parse(e) => e.to_pyerr().value(py).to_string(),
                BadLocation::Unusable(e) => e,
                BadLocation::Invalid(e) => return e.to_pyerr(),
            };
            HttpError::new(
                ErrorKind::RemoteProtocolError,
                format!("Invalid URL in location header: {detail}."),
            )
            .into_pyerr(py, None)
        })?;
        let method = redirects::redirect_method(response.status, &request.method);
        let body_dropped = redirects::drops_body(&request.method, &method);
        let mut headers =
            redirects::redirect_headers(request.header_list(py), &request.url, &url, body_dropped);
        let jar = self.defaults().cookies.get().lock().clone();
        if let Some(cookie) =
            jar.header_for(url.scheme_str(), url.host_ascii(), &url.raw_path_str())
        {
            headers.push("Cookie", &cookie);
        }
        let body = body_dropped.then(RequestBody::empty);
        Ok(NextStep::Redirect(
            request.derive(py, method, url, headers, body)?,
        ))
    }
}

/// `(request, response)` hooks lists from an `event_hooks=` mapping.
/// The `event_hooks` dict of a client: `{"request": [...], "response": [...]}` from the
/// mapping given (only those two keys, lists of callables).
pub fn hooks_from(py: Python<'_>, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyDict>> {
    let hooks = PyDict::new(py);
    hooks.set_item("request", pyo3::types::PyList::empty(py))?;
    hooks.set_item("response", pyo3::types::PyList::empty(py))?;
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(hooks.unbind());
    };
    let dict = obj.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!(
            "event_hooks must be a dict, got {}",
            type_name(obj)
        ))
    })?;
    for (k, v) in dict.iter() {
        let key: String = k.extract()?;
        if key != "request" && key != "response" {
            return Err(PyTypeError::new_err(format!(
                "Unknown event hook {key:?}: expected 'request' or 'response'"
            )));
        }
        let list = pyo3::types::PyList::empty(py);
        for hook in v.try_iter()? {
            let hook = hook?;
            if !hook.is_callable() {
                return Err(PyTypeError::new_err(format!(
                    "event hooks must be callables, got {}",
                    type_name(&hook)
                )));
            }
            list.append(hook)?;
        }
        hooks.set_item(key, list)?;
    }
    Ok(hooks.unbind())
}

/// httpx deprecates `cookies=` on a request (persistence is ambiguous); so do we.
pub fn warn_per_request_cookies(
    py: Python<'_>,
    cookies: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    if cookies.is_some_and(|c| !c.is_none()) {
        let category = py.get_type::<pyo3::exceptions::PyDeprecationWarning>();
        let message = std::ffi::CString::new(
            "Setting per-request cookies=<...> is being deprecated, because the expected behaviour on cookie persistence is ambiguous. Set cookies directly on the client instance instead.",
        )
        .unwrap_or_default();
        PyErr::warn(py, &category, &message, 2)?;
    }
    Ok(())
}

impl ClientCore {
    /// Everything `send()` decides before the pipeline runs (httpx `send`'s preamble).
    pub fn plan(
        &self,
        py: Python<'_>,
        request: RequestHandle,
        stream: bool,
        auth: Setting<Bound<'_, PyAny>>,
        follow_redirects: Setting<bool>,
    ) -> PyResult<SendPlan> {
        self.mark_opened()?;
        // A client from before os.fork(): its pool and tasks belong to the parent's runtime.
        self.rt.handle()?;
        let follow = self.follow_redirects(&follow_redirects);
        {
            // httpx `_set_timeout`: a request built elsewhere gets the client's timeout.
            let req = request.bind(py).borrow();
            let ext = req.extensions.bind(py);
            if !ext.contains(intern!(py, "timeout"))? {
                let timeout = self.defaults().timeout;
                ext.set_item(
                    intern!(py, "timeout"),
                    self.cache.timeout_dict(py, &timeout)?,
                )?;
            }
            add_max_response_size(ext, self.defaults().max_response_size)?;
        }
        let auth = self.request_auth(py, &request.bind(py).borrow(), &auth)?;
        Ok(SendPlan {
            request,
            auth,
            follow,
            stream,
        })
    }
}

/// The client's `max_response_size`, unless the request has its own (which wins).
fn add_max_response_size(extensions: &Bound<'_, PyDict>, max: Option<usize>) -> PyResult<()> {
    let py = extensions.py();
    if let Some(max) = max {
        if !extensions.contains(intern!(py, "max_response_size"))? {
            extensions.set_item(intern!(py, "max_response_size"), max)?;
        }
    }
    Ok(())
}
