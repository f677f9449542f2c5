//! The Python API `Client` and `AsyncClient` share, generated for each by `client_api!`:
//! the constructor, `build_request`, the settings properties, and `request()`/`send()`/the verbs,
//! which build a `SendPlan` and hand it to the type's `dispatch` (block, or return a coroutine).

#[macro_export]
macro_rules! client_api {
    ($ty:ty) => {
        #[pymethods]
        impl $ty {
            #[new]
            #[pyo3(signature = (*, auth = None, params = None, headers = None, cookies = None, verify = None, cert = None, trust_env = true, http1 = true, http2 = false, proxy = None, mounts = None, timeout = $crate::models::config::Unset::Unset, follow_redirects = false, limits = None, max_redirects = $crate::client::core::DEFAULT_MAX_REDIRECTS, event_hooks = None, base_url = None, transport = None, default_encoding = None))]
            #[allow(clippy::too_many_arguments)]
        fn py_new(
            py: Python<'_>,
            auth: Option<&Bound<'_, PyAny>>,
            params: Option<&Bound<'_, PyAny>>,
            headers: Option<&Bound<'_, PyAny>>,
            cookies: Option<&Bound<'_, PyAny>>,
            verify: Option<&Bound<'_, PyAny>>,
            cert: Option<&Bound<'_, PyAny>>,
            trust_env: bool,
            http1: bool,
            http2: bool,
            proxy: Option<&Bound<'_, PyAny>>,
            mounts: Option<&Bound<'_, PyAny>>,
            timeout: $crate::models::config::Unset<Bound<'_, PyAny>>,
            follow_redirects: bool,
            limits: Option<$crate::models::config::PyLimits>,
            max_redirects: usize,
            event_hooks: Option<&Bound<'_, PyAny>>,
            base_url: Option<&Bound<'_, PyAny>>,
            transport: Option<&Bound<'_, PyAny>>,
            default_encoding: Option<&Bound<'_, PyAny>>,
        ) -> PyResult<Self> {
                Ok(Self {
                    core: std::sync::Arc::new($crate::client::core::ClientCore::from_args(py, auth, params, headers, cookies, verify, cert, trust_env, http1, http2, proxy, mounts, timeout, follow_redirects, limits, max_redirects, event_hooks, base_url, transport, default_encoding, Self::MODE == $crate::exchange::pipeline::Mode::Async)?),
                })
            }

            #[pyo3(signature = (method, url, *, content = None, data = None, files = None, json = None, params = None, headers = None, cookies = None, auth = $crate::models::config::Setting::ClientDefault, follow_redirects = $crate::models::config::Setting::ClientDefault, timeout = $crate::models::config::Setting::ClientDefault, extensions = None))]
            #[allow(clippy::too_many_arguments)]
            fn request(
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
                auth: $crate::models::config::Setting<Bound<'_, PyAny>>,
                follow_redirects: $crate::models::config::Setting<bool>,
                timeout: $crate::models::config::Setting<Bound<'_, PyAny>>,
                extensions: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let args = $crate::client::core::RequestArgs { method, url, content, data, files, json, params, headers, cookies, timeout, extensions };
                let plan = self.core.plan_request(py, args, auth, follow_redirects, false)?;
                self.dispatch(py, plan)
            }

            #[pyo3(signature = (method, url, *, content = None, data = None, files = None, json = None, params = None, headers = None, cookies = None, auth = $crate::models::config::Setting::ClientDefault, follow_redirects = $crate::models::config::Setting::ClientDefault, timeout = $crate::models::config::Setting::ClientDefault, extensions = None))]
            #[allow(clippy::too_many_arguments)]
            fn stream(
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
                auth: $crate::models::config::Setting<Bound<'_, PyAny>>,
                follow_redirects: $crate::models::config::Setting<bool>,
                timeout: $crate::models::config::Setting<Bound<'_, PyAny>>,
                extensions: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<$crate::client::stream_context::StreamContext> {
                let args = $crate::client::core::RequestArgs { method, url, content, data, files, json, params, headers, cookies, timeout, extensions };
                let plan = self.core.plan_request(py, args, auth, follow_redirects, true)?;
                Ok($crate::client::stream_context::StreamContext::new(self.core.clone(), Self::MODE, plan))
            }

            #[pyo3(signature = (method, url, *, content = None, data = None, files = None, json = None, params = None, headers = None, cookies = None, timeout = $crate::models::config::Setting::ClientDefault, extensions = None))]
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
                timeout: $crate::models::config::Setting<Bound<'_, PyAny>>,
                extensions: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<$crate::models::request::PyRequest> {
                let args = $crate::client::core::RequestArgs { method, url, content, data, files, json, params, headers, cookies, timeout, extensions };
                self.core.build_request(py, args)
            }

            #[pyo3(signature = (request, *, stream = false, auth = $crate::models::config::Setting::ClientDefault, follow_redirects = $crate::models::config::Setting::ClientDefault))]
            fn send(
                &self,
                py: Python<'_>,
                request: &Bound<'_, PyAny>,
                stream: bool,
                auth: $crate::models::config::Setting<Bound<'_, PyAny>>,
                follow_redirects: $crate::models::config::Setting<bool>,
            ) -> PyResult<Py<PyAny>> {
                let request = request
                    .cast::<$crate::models::request::PyRequest>()
                    .map_err(|_| {
                        pyo3::exceptions::PyTypeError::new_err(format!(
                            "send() expects an httprs.Request, got {}",
                            $crate::python_glue::type_name(request)
                        ))
                    })?
                    .clone();
                let plan = self.core.plan(py, request, stream, auth, follow_redirects)?;
                self.dispatch(py, plan)
            }

            #[getter]
            fn is_closed(&self) -> bool {
                self.core.is_closed()
            }

            #[getter]
            fn timeout(&self) -> $crate::models::config::PyTimeout {
                self.core.defaults().timeout
            }

            #[setter]
            fn set_timeout(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
                let t = $crate::models::config::PyTimeout::from_py(value)?;
                self.core.defaults_mut().timeout = t;
                Ok(())
            }

            #[getter]
            fn headers(&self, py: Python<'_>) -> Py<$crate::models::headers::PyHeaders> {
                self.core.defaults().headers.clone_ref(py)
            }

            #[setter]
            fn set_headers(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<()> {
                let mut list = $crate::client::core::default_headers();
                list.update(&$crate::models::headers::HeaderList::from_py(Some(value), "headers")?);
                let new = Py::new(py, $crate::models::headers::PyHeaders::from_list(list))?;
                self.core.defaults_mut().headers = new;
                Ok(())
            }

            #[getter]
            fn cookies(&self, py: Python<'_>) -> Py<$crate::models::cookies::PyCookies> {
                self.core.defaults().cookies.clone_ref(py)
            }

            #[setter]
            fn set_cookies(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<()> {
                let new = Py::new(
                    py,
                    $crate::models::cookies::PyCookies::from_jar($crate::models::cookies::PyCookies::jar_from_py(Some(value))?),
                )?;
                self.core.defaults_mut().cookies = new;
                Ok(())
            }

            #[getter]
            fn params(&self) -> $crate::models::params::PyQueryParams {
                self.core.defaults().params.clone()
            }

            #[setter]
            fn set_params(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
                let p = $crate::models::params::PyQueryParams::from_py(Some(value))?;
                self.core.defaults_mut().params = p;
                Ok(())
            }

            #[getter]
            fn base_url(&self) -> $crate::models::url::PyURL {
                self.core.defaults().base_url.clone()
            }

            #[setter]
            fn set_base_url(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
                let url = $crate::client::core::base_url_from(Some(value))?;
                self.core.defaults_mut().base_url = url;
                Ok(())
            }

            #[getter]
            fn auth(&self, py: Python<'_>) -> Option<Py<PyAny>> {
                self.core.defaults().auth.as_ref().map(|a| a.to_py(py))
            }

            #[setter]
            fn set_auth(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
                let auth = $crate::auth::Auth::from_py(value)?;
                self.core.defaults_mut().auth = auth;
                Ok(())
            }

            #[getter]
            fn follow_redirects(&self) -> bool {
                self.core.defaults().follow_redirects
            }

            #[setter]
            fn set_follow_redirects(&self, value: bool) {
                self.core.defaults_mut().follow_redirects = value;
            }

            #[getter]
            fn max_redirects(&self) -> usize {
                self.core.defaults().max_redirects
            }

            #[setter]
            fn set_max_redirects(&self, value: usize) {
                self.core.defaults_mut().max_redirects = value;
            }

            #[getter]
            fn trust_env(&self) -> bool {
                self.core.defaults().trust_env
            }

            #[getter]
            fn event_hooks(&self, py: Python<'_>) -> Py<pyo3::types::PyDict> {
                self.core.defaults().event_hooks.clone_ref(py)
            }

            #[setter]
            fn set_event_hooks(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<()> {
                let hooks = $crate::client::core::hooks_from(py, Some(value))?;
                self.core.defaults_mut().event_hooks = hooks;
                Ok(())
            }
        }

        $crate::bodyless_verb!($ty, get, "GET");
        $crate::bodyless_verb!($ty, head, "HEAD");
        $crate::bodyless_verb!($ty, options, "OPTIONS");
        $crate::bodyless_verb!($ty, delete, "DELETE");
        $crate::body_verb!($ty, post, "POST");
        $crate::body_verb!($ty, put, "PUT");
        $crate::body_verb!($ty, patch, "PATCH");
    };
}

#[macro_export]
macro_rules! bodyless_verb {
    ($ty:ty, $name:ident, $method:literal) => {
        #[pymethods]
        impl $ty {
            #[pyo3(signature = (url, *, params = None, headers = None, cookies = None, auth = $crate::models::config::Setting::ClientDefault, follow_redirects = $crate::models::config::Setting::ClientDefault, timeout = $crate::models::config::Setting::ClientDefault, extensions = None))]
            #[allow(clippy::too_many_arguments)]
            fn $name(
                &self,
                py: Python<'_>,
                url: &Bound<'_, PyAny>,
                params: Option<&Bound<'_, PyAny>>,
                headers: Option<&Bound<'_, PyAny>>,
                cookies: Option<&Bound<'_, PyAny>>,
                auth: $crate::models::config::Setting<Bound<'_, PyAny>>,
                follow_redirects: $crate::models::config::Setting<bool>,
                timeout: $crate::models::config::Setting<Bound<'_, PyAny>>,
                extensions: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let method = pyo3::types::PyString::new(py, $method);
                let args = $crate::client::core::RequestArgs { method: method.as_any(), url, content: None, data: None, files: None, json: None, params, headers, cookies, timeout, extensions };
                let plan = self.core.plan_request(py, args, auth, follow_redirects, false)?;
                self.dispatch(py, plan)
            }
        }
    };
}

#[macro_export]
macro_rules! body_verb {
    ($ty:ty, $name:ident, $method:literal) => {
        #[pymethods]
        impl $ty {
            #[pyo3(signature = (url, *, content = None, data = None, files = None, json = None, params = None, headers = None, cookies = None, auth = $crate::models::config::Setting::ClientDefault, follow_redirects = $crate::models::config::Setting::ClientDefault, timeout = $crate::models::config::Setting::ClientDefault, extensions = None))]
            #[allow(clippy::too_many_arguments)]
            fn $name(
                &self,
                py: Python<'_>,
                url: &Bound<'_, PyAny>,
                content: Option<&Bound<'_, PyAny>>,
                data: Option<&Bound<'_, PyAny>>,
                files: Option<&Bound<'_, PyAny>>,
                json: Option<&Bound<'_, PyAny>>,
                params: Option<&Bound<'_, PyAny>>,
                headers: Option<&Bound<'_, PyAny>>,
                cookies: Option<&Bound<'_, PyAny>>,
                auth: $crate::models::config::Setting<Bound<'_, PyAny>>,
                follow_redirects: $crate::models::config::Setting<bool>,
                timeout: $crate::models::config::Setting<Bound<'_, PyAny>>,
                extensions: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let method = pyo3::types::PyString::new(py, $method);
                let args = $crate::client::core::RequestArgs { method: method.as_any(), url, content, data, files, json, params, headers, cookies, timeout, extensions };
                let plan = self.core.plan_request(py, args, auth, follow_redirects, false)?;
                self.dispatch(py, plan)
            }
        }
    };
}
