//! The network transport: `HTTPTransport` / `AsyncHTTPTransport` (httpx's names), a reqwest
//! client plus the `max_connections` slots. A client makes one from its own arguments unless
//! given `transport=`; `mounts=` may add more. Used by the pipeline directly (no Python in
//! the way); `handle_request` / `handle_async_request` serve users who call it themselves
//! (a subclass, httprs.compat's adapters under httpx): `exchange::pipeline::Exchange::direct`.

use crate::errors::HttpError;
use crate::exchange::pipeline::{Exchange, Mode};
use crate::exchange::steps::{lock, Steps};
use crate::models::config::PyLimits;
use crate::models::handle::{RequestHandle, ResponseHandle};
use crate::models::response::{BodyState, PyResponse, WireBody};
use crate::retry::policy::RetryPolicy;
use crate::transport::fetch::{fetch, Fetched, WireRequest};
use crate::transport::http3::Http3;
use crate::transport::network_stream::network_stream;
use crate::transport::pool::{ConnPool, PoolLayer};
use crate::transport::stand_in::stand_in;
use crate::transport::warmup::Warmup;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use rustls::pki_types::CertificateDer;
use std::sync::OnceLock;
use std::sync::{Arc, Mutex, RwLock};

/// Which certificates a TLS server must present.
pub enum Verify {
    /// `verify=False`.
    Off,
    /// The bundled Mozilla roots (webpki-roots).
    BuiltIn,
    /// Only these roots (`verify="ca.pem"`, an SSLContext's CA certificates, SSL_CERT_FILE):
    /// shared, as a file's are parsed once per version of it (`file_roots`).
    Roots(Arc<[CertificateDer<'static>]>),
    /// The operating system's store (`verify=httprs.SYSTEM_TRUST_STORE`).
    System,
}

/// Arguments that configure the network layer.
pub struct NetworkOptions {
    pub verify: Verify,
    /// `verify=SSLContext` with `check_hostname=False`.
    pub skip_hostname_check: bool,
    /// Added to an unknown-issuer failure when the trust store is a guess: an SSLContext that
    /// lists no CA certificates (see `set_verify`).
    pub verify_note: Option<String>,
    /// An SSLContext's `minimum_version` / `maximum_version` (None: rustls's default).
    pub tls_versions: (Option<reqwest::tls::Version>, Option<reqwest::tls::Version>),
    /// `cert=`: client certificate and key, PEM.
    pub identity: Option<crate::transport::tls::Identity>,
    pub http1: bool,
    pub http2: bool,
    /// `http3=True`: https requests go over QUIC first (`transport::http3`).
    pub http3: bool,
    pub limits: PyLimits,
    pub local_address: Option<std::net::IpAddr>,
    /// `retries=`: what is sent again (None: nothing; see `retry::py_retry::retries_arg`).
    pub retry: Option<Arc<RetryPolicy>>,
    /// `proxy=`; when None, `env_proxies` says whether HTTP(S)_PROXY etc. apply.
    pub proxy: Option<reqwest::Proxy>,
    pub trust_env: bool,
    /// Only a client's own transport reads proxies from the environment (as in httpx).
    pub env_proxies: bool,
    /// `uds=`: every connection goes to this Unix socket (TLS still runs over it for https).
    pub uds: Option<std::path::PathBuf>,
}

/// An `ssl.TLSVersion` as rustls knows it: TLS 1.2 and 1.3 only. A lower minimum is met
/// anyway (nothing below 1.2 is spoken); a maximum below 1.2 cannot be honoured and says so
/// rather than connecting with another version.
fn tls_version(
    version: &Bound<'_, PyAny>,
    is_max: bool,
) -> PyResult<Option<reqwest::tls::Version>> {
    let name: String = version.getattr("name")?.extract()?;
    match name.as_str() {
        "TLSv1_2" => Ok(Some(reqwest::tls::Version::TLS_1_2)),
        "TLSv1_3" => Ok(Some(reqwest::tls::Version::TLS_1_3)),
        "MINIMUM_SUPPORTED" | "MAXIMUM_SUPPORTED" => Ok(None),
        _ if !is_max => Ok(None),
        other => Err(pyo3::exceptions::PyNotImplementedError::new_err(format!(
            "verify=SSLContext with maximum_version {other}: httprs speaks TLS 1.2 and 1.3 only"
        ))),
    }
}

fn tls_error(what: &str, e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(format!("{what}: {e}"))
}

fn read_file(path: &str, what: &str) -> PyResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        pyo3::exceptions::PyFileNotFoundError::new_err(format!("{what} {path:?}: {e}"))
    })
}

fn pem_roots(pem: &[u8], what: &str) -> PyResult<Vec<CertificateDer<'static>>> {
    crate::transport::tls::pem_certs(pem).map_err(|e| tls_error(what, e))
}

/// The roots in a CA bundle file, parsed once per file version: SSL_CERT_FILE is read by
/// every client (as httpx does), and parsing a system bundle costs milliseconds.
fn file_roots(path: &str, what: &str) -> PyResult<Arc<[CertificateDer<'static>]>> {
    type Cache =
        std::collections::HashMap<String, (std::time::SystemTime, Arc<[CertificateDer<'static>]>)>;
    static CACHE: Mutex<Option<Cache>> = Mutex::new(None);
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if let Some(modified) = modified {
        if let Some((when, roots)) = lock(&CACHE).as_ref().and_then(|c| c.get(path)) {
            if *when == modified {
                return Ok(roots.clone());
            }
        }
    }
    let roots: Arc<[CertificateDer<'static>]> = pem_roots(&read_file(path, what)?, what)?.into();
    if let Some(modified) = modified {
        lock(&CACHE)
            .get_or_insert_with(Default::default)
            .insert(path.to_owned(), (modified, roots.clone()));
    }
    Ok(roots)
}

/// The certificates of CA directories (`verify="dir"`, SSL_CERT_DIR, an SSLContext's capath
/// when it can be known): a list separated as PATH is (`:` on Unix), as OpenSSL reads
/// SSL_CERT_DIR. Every file is read, not only the `<hash>.0` names that OpenSSL looks up, so
/// a directory nobody ran `openssl rehash` on works too; each file once (the hash names are
/// symlinks), unreadable ones skipped.
fn dir_roots(dirs: &str) -> Vec<CertificateDer<'static>> {
    let mut roots = Vec::new();
    for dir in std::env::split_paths(dirs).filter(|d| !d.as_os_str().is_empty()) {
        roots.extend(rustls_native_certs::load_certs_from_paths(None, Some(&dir)).certs);
    }
    roots.sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
    roots.dedup();
    roots
}

/// What an `ssl.SSLContext` trusts, as far as it can be read: the CA certificates it lists
/// (`cafile`, `cadata`, the default file of `load_default_certs()`), plus the directory
/// `httprs.create_ssl_context` loaded into it. The certificates of a directory loaded any
/// other way (`capath=`) are read by OpenSSL on demand and never listed, so the default
/// directory is added where the context looks like a default one (`create_default_context()`,
/// `load_default_certs()`): it lists no certificate at all (the default file may not exist,
/// as on Debian, whose store is a directory), or every certificate of the default file. A
/// context that lists none gets a note for its failures: it may have been given a directory.
fn context_roots(
    ctx: &Bound<'_, PyAny>,
) -> PyResult<(Vec<CertificateDer<'static>>, Option<String>)> {
    let py = ctx.py();
    let ders: Vec<Vec<u8>> = ctx.call_method1("get_ca_certs", (true,))?.extract()?;
    let mut roots: Vec<CertificateDer<'static>> =
        ders.into_iter().map(CertificateDer::from).collect();
    let dir: Option<String> = py
        .import("httprs._config")?
        .call_method1("_ca_dir", (ctx,))?
        .extract()?;
    if let Some(dir) = dir {
        roots.extend(dir_roots(&dir));
        return Ok((roots, None));
    }
    // `get_default_verify_paths()` applies SSL_CERT_FILE / SSL_CERT_DIR as OpenSSL does and
    // gives None for a location that does not exist.
    let paths = py.import("ssl")?.call_method0("get_default_verify_paths")?;
    let cafile: Option<String> = paths.getattr("cafile")?.extract()?;
    let capath: Option<String> = paths.getattr("capath")?.extract()?;
    // OpenSSL skips what it cannot parse in a default location; so does this.
    let default_file = match &cafile {
        Some(file) => file_roots(file, "cafile").map_or_else(|_| Vec::new(), |r| r.to_vec()),
        None => Vec::new(),
    };
    let listed_none = roots.is_empty();
    let loaded_defaults = !default_file.is_empty() && {
        let listed: std::collections::HashSet<&[u8]> = roots.iter().map(|c| c.as_ref()).collect();
        default_file.iter().all(|c| listed.contains(c.as_ref()))
    };
    if listed_none {
        roots = default_file;
    }
    if listed_none || loaded_defaults {
        if let Some(dir) = &capath {
            roots.extend(dir_roots(dir));
        }
    }
    if !listed_none {
        return Ok((roots, None));
    }
    let trusted = if roots.is_empty() {
        "none exist: httprs's bundled Mozilla roots".to_owned()
    } else {
        format!(
            "cafile={}, capath={}",
            cafile.as_deref().unwrap_or("None"),
            capath.as_deref().unwrap_or("None")
        )
    };
    let note = format!(
        "httprs: the ssl.SSLContext given as verify= lists no CA certificates, so OpenSSL's \
         default locations were trusted ({trusted}). Certificates a context loads from a \
         directory (capath=) cannot be read back out of it: use \
         httprs.create_ssl_context(verify=\"<dir>\"), or load them with cafile= or cadata=."
    );
    Ok((roots, Some(note)))
}

impl NetworkOptions {
    pub fn new(verify: bool, http1: bool, http2: bool, limits: PyLimits) -> Self {
        NetworkOptions {
            verify: if verify { Verify::BuiltIn } else { Verify::Off },
            skip_hostname_check: false,
            verify_note: None,
            tls_versions: (None, None),
            identity: None,
            http1,
            http2,
            http3: false,
            limits,
            local_address: None,
            retry: None,
            proxy: None,
            trust_env: true,
            env_proxies: false,
            uds: None,
        }
    }

    /// The network arguments shared by `Client`, `AsyncClient` and the transports.
    #[allow(clippy::too_many_arguments)]
    pub fn from_py(
        verify: Option<&Bound<'_, PyAny>>,
        cert: Option<&Bound<'_, PyAny>>,
        trust_env: bool,
        http1: bool,
        http2: bool,
        limits: Option<PyLimits>,
        proxy: Option<&Bound<'_, PyAny>>,
        local_address: Option<&str>,
        retry: Option<Arc<RetryPolicy>>,
    ) -> PyResult<Self> {
        let mut options =
            NetworkOptions::new(true, http1, http2, limits.unwrap_or(PyLimits::DEFAULT));
        options.trust_env = trust_env;
        options.retry = retry;
        options.set_verify(verify)?;
        options.set_cert(cert)?;
        options.set_proxy(proxy)?;
        options.local_address = match local_address {
            None => None,
            Some(a) => Some(a.parse().map_err(|_| {
                PyValueError::new_err(format!("local_address must be an IP address, got {a:?}"))
            })?),
        };
        Ok(options)
    }

    /// httpx `create_ssl_context`: True (the bundled roots, or SSL_CERT_FILE / SSL_CERT_DIR
    /// when `trust_env`), False, a CA bundle path, or an `ssl.SSLContext` (its CA
    /// certificates, `verify_mode`, `check_hostname` and TLS versions are honoured); or
    /// `httprs.SYSTEM_TRUST_STORE` (the operating system's store).
    fn set_verify(&mut self, verify: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        self.verify = match verify.filter(|v| !v.is_none()) {
            None => Verify::BuiltIn,
            Some(v) if v.is_instance_of::<crate::transport::tls::SystemTrustStore>() => Verify::System,
            Some(v) if v.is_instance_of::<pyo3::types::PyBool>() => {
                if v.extract::<bool>()? {
                    Verify::BuiltIn
                } else {
                    Verify::Off
                }
            }
            Some(v)
                if v.is_instance_of::<pyo3::types::PyString>() || v.hasattr("__fspath__")? =>
            {
                let os = v.py().import("os")?;
                let path: String = os.call_method1("fspath", (v,))?.extract()?;
                if std::path::Path::new(&path).is_dir() {
                    Verify::Roots(dir_roots(&path).into())
                } else {
                    Verify::Roots(file_roots(&path, "verify")?)
                }
            }
            Some(v) if v.hasattr("get_ca_certs")? => {
                let ssl = v.py().import("ssl")?;
                let none = ssl.getattr("CERT_NONE")?;
                if v.getattr("verify_mode")?.eq(&none)? {
                    Verify::Off
                } else {
                    self.skip_hostname_check = !v.getattr("check_hostname")?.extract::<bool>()?;
                    self.tls_versions = (
                        tls_version(&v.getattr("minimum_version")?, false)?,
                        tls_version(&v.getattr("maximum_version")?, true)?,
                    );
                    let (roots, note) = context_roots(v)?;
                    self.verify_note = note;
                    if roots.is_empty() {
                        // No default locations either (a platform whose OpenSSL has none).
                        Verify::BuiltIn
                    } else {
                        Verify::Roots(roots.into())
                    }
                }
            }
            Some(v) => {
                return Err(PyTypeError::new_err(format!(
                    "verify must be True, False, a CA bundle path, an ssl.SSLContext or httprs.SYSTEM_TRUST_STORE, got {}",
                    crate::python_glue::type_name(v)
                )))
            }
        };
        if matches!(self.verify, Verify::BuiltIn) && self.trust_env {
            if let Some(file) = env("SSL_CERT_FILE") {
                self.verify = Verify::Roots(file_roots(&file, "SSL_CERT_FILE")?);
            } else if let Some(dir) = env("SSL_CERT_DIR") {
                self.verify = Verify::Roots(dir_roots(&dir).into());
            }
        }
        Ok(())
    }

    /// `cert=`: a PEM file with certificate and key, or `(certfile, keyfile[, password])`.
    fn set_cert(&mut self, cert: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let Some(cert) = cert.filter(|c| !c.is_none()) else {
            return Ok(());
        };
        let mut pem = Vec::new();
        if let Ok(path) = cert.extract::<String>() {
            pem = read_file(&path, "cert")?;
        } else if let Ok(parts) = cert.extract::<Vec<Option<String>>>() {
            match parts.as_slice() {
                [Some(c), Some(k)] | [Some(c), Some(k), None] => {
                    pem.extend(read_file(c, "cert")?);
                    pem.push(b'\n');
                    pem.extend(read_file(k, "cert key")?);
                }
                [Some(_), Some(_), Some(_)] => {
                    return Err(pyo3::exceptions::PyNotImplementedError::new_err(
                        "httprs does not support password-protected client keys (cert=(cert, key, password)); decrypt the key first.",
                    ))
                }
                _ => {
                    return Err(PyTypeError::new_err(
                        "cert must be a path or a (certfile, keyfile[, password]) tuple",
                    ))
                }
            }
        } else {
            return Err(PyTypeError::new_err(format!(
                "cert must be a path or a (certfile, keyfile[, password]) tuple, got {}",
                crate::python_glue::type_name(cert)
            )));
        }
        self.identity = Some(
            crate::transport::tls::Identity::from_pem(&pem).map_err(|e| tls_error("cert", e))?,
        );
        Ok(())
    }

    /// `proxy=`: a URL (`http://`, `https://`, `socks5://`, `socks5h://`), credentials in its
    /// userinfo, or an object with a `.url` (httpx's `Proxy`).
    fn set_proxy(&mut self, proxy: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let Some(proxy) = proxy.filter(|p| !p.is_none()) else {
            return Ok(());
        };
        let url = if let Ok(s) = proxy.extract::<String>() {
            s
        } else if let Ok(u) = proxy.cast::<crate::models::url::PyURL>() {
            u.borrow().as_str().to_owned()
        } else if let Ok(u) = proxy.getattr("url") {
            // httpx's `Proxy`: its credentials and headers are attributes of their own.
            let url = u.str()?.to_string();
            self.proxy = Some(proxy_for(&url)?);
            return self.set_proxy_extras(proxy);
        } else {
            return Err(PyTypeError::new_err(format!(
                "proxy must be a URL, got {}",
                crate::python_glue::type_name(proxy)
            )));
        };
        self.proxy = Some(proxy_for(&url)?);
        Ok(())
    }

    /// A `Proxy` object's `auth` (a `(user, password)` tuple) and `headers`.
    fn set_proxy_extras(&mut self, proxy: &Bound<'_, PyAny>) -> PyResult<()> {
        let Some(mut built) = self.proxy.take() else {
            return Ok(());
        };
        if let Ok(auth) = proxy.getattr("auth") {
            if let Ok((user, password)) = auth.extract::<(String, String)>() {
                built = built.basic_auth(&user, &password);
            }
        }
        if let Ok(headers) = proxy.getattr("headers") {
            let list =
                crate::models::headers::HeaderList::from_py(Some(&headers), "proxy headers")?;
            let mut map = reqwest::header::HeaderMap::new();
            for h in &list.items {
                let name = reqwest::header::HeaderName::from_bytes(&h.name_bytes());
                let value = reqwest::header::HeaderValue::from_bytes(&h.value_bytes());
                if let (Ok(name), Ok(value)) = (name, value) {
                    map.append(name, value);
                }
            }
            if !map.is_empty() {
                built = built.headers(map);
            }
        }
        self.proxy = Some(built);
        Ok(())
    }
}

/// A reqwest proxy for every scheme, from an http(s)/socks5(h) URL.
fn proxy_for(url: &str) -> PyResult<reqwest::Proxy> {
    let scheme = url.split("://").next().unwrap_or("").to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "socks5" | "socks5h") {
        return Err(PyValueError::new_err(format!(
            "Unknown scheme for proxy URL {url:?}: expected http://, https://, socks5:// or socks5h://"
        )));
    }
    reqwest::Proxy::all(url)
        .map_err(|e| PyValueError::new_err(format!("Invalid proxy URL {url:?}: {e}")))
}

/// The most headers a response head may have (hyper's default: 100). h11 counts none, only
/// bytes (httpcore: 100 KiB for a head; hyper's own byte cap, ~400 KiB, applies here too).
/// Above 100, hyper sets aside 64 bytes per allowed header for every head it parses, on the
/// heap: at 2,048 that is two 64 KiB blocks, which cost nothing measurable; at 16,384 (two
/// 512 KiB blocks, too large for the allocator's reusable pages) a small request took ~8%
/// longer. No real server sends 2,048 headers. (And `http::HeaderMap` holds at most 24,576:
/// hyper would panic past it.)
const MAX_RESPONSE_HEADERS: usize = 2_048;

/// Whether any variable reqwest reads a proxy from is set. Without one, reqwest's proxy from
/// the environment would match no request, yet each request would still ask it twice
/// (~1.4k instructions of a ~106k-instruction GET): the client is then built without it.
/// (macOS and Windows have system proxy settings besides the variables: always asked there.)
fn env_proxy_set() -> bool {
    cfg!(any(target_os = "macos", windows))
        || [
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
        ]
        .iter()
        .any(|k| std::env::var_os(k).is_some())
}

fn build_http(options: &NetworkOptions, pool: &Arc<ConnPool>) -> PyResult<reqwest::Client> {
    if !options.http1 && !options.http2 {
        return Err(PyValueError::new_err(
            "http1 and http2 cannot both be False",
        ));
    }
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // Headers are ours (httpx's defaults), not reqwest's `Accept: */*`.
        .default_headers(http::HeaderMap::new())
        .tcp_nodelay(true)
        // Header names as httpx (h11) has them on HTTP/1: a request's as the caller wrote them
        // (title case is hyper's fallback, for names it adds itself, and the spelling of
        // httpx's defaults), a response's as the server sent them (`transport::header_case`).
        .http1_title_case_headers()
        .http1_preserve_header_case()
        // Response heads that httpx (h11) takes and hyper refuses by default: folded header
        // lines (obs-fold, RFC 9112 section 5.2: a user agent replaces each fold with a
        // space, as h11 does) and more than 100 headers. The rest of hyper's strictness
        // stays: see `MAX_RESPONSE_HEADERS` and README "Robustness".
        .http1_allow_obsolete_multiline_headers_in_responses(true)
        .http1_max_headers(MAX_RESPONSE_HEADERS)
        .local_address(options.local_address);
    if let Some(path) = &options.uds {
        builder = builder.unix_socket(path.clone());
    }
    // Trust store, hostname check, TLS versions, client certificate and ALPN: src/transport/tls.rs.
    builder = builder.tls_backend_preconfigured(crate::transport::tls::client_config(options)?);
    // Without `proxy=`, reqwest reads HTTP(S)_PROXY / ALL_PROXY / NO_PROXY (either case)
    // itself, as httpx does for a client's own transport with trust_env. httpx also takes
    // NO_PROXY=* to mean "no proxy at all", which reqwest does not.
    let no_proxy_all = ["NO_PROXY", "no_proxy"]
        .iter()
        .any(|k| std::env::var(k).is_ok_and(|v| v.trim() == "*"));
    builder = match &options.proxy {
        Some(p) => builder.proxy(p.clone()),
        None if options.env_proxies && options.trust_env && !no_proxy_all && env_proxy_set() => {
            builder
        }
        None => builder.no_proxy(),
    };
    // Every connect goes through our half of the pool (`transport::pool`: the
    // `max_connections` slots, the hand-over to queued requests), which also tells the
    // request when it is queued, connecting and connected (its budgets: `fetch::until_head`).
    builder = builder.connector_layer(PoolLayer(pool.clone()));
    builder = builder.pool_idle_timeout(crate::models::config::duration(
        options.limits.keepalive_expiry,
    ));
    builder = builder.pool_max_idle_per_host(pool.hyper_idle_limit());
    if options.http2 && !options.http1 {
        builder = builder.http2_prior_knowledge();
    } else if !options.http2 {
        // reqwest's default retry policy resends only HTTP/2 and HTTP/3 refusals, which an
        // HTTP/1 connection never gives; without it, no copy of each request is made for a
        // retry that cannot happen (`vendor/reqwest.patch`).
        builder = builder.http1_only().retry(reqwest::retry::never());
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
    /// Our half of the connection pool (`Limits`): `transport::pool`.
    pool: Arc<ConnPool>,
    /// What is sent again, and when (httpx's `retries=<int>`, or an `httprs.Retry`).
    retry: Option<Arc<RetryPolicy>>,
    /// With both HTTP versions offered: a burst on a cold origin makes one connection.
    warmup: Option<Arc<Warmup>>,
    /// `http3=True` (and HTTP/3 possible here): the QUIC client, tried first for https.
    h3: RwLock<Option<Arc<Http3>>>,
}

impl NetTransport {
    pub fn new(options: &NetworkOptions) -> PyResult<Self> {
        let limits = &options.limits;
        let pool = ConnPool::new(
            limits.max_connections,
            limits.max_keepalive_connections,
            crate::models::config::duration(limits.keepalive_expiry),
        );
        Ok(NetTransport {
            http: RwLock::new(Some(build_http(options, &pool)?)),
            pool,
            retry: options.retry.clone(),
            warmup: (options.http1 && options.http2).then(Default::default),
            h3: RwLock::new(Http3::build(options)?),
        })
    }

    pub fn close(&self) {
        let http = self.http.write().unwrap_or_else(|e| e.into_inner()).take();
        drop(http);
        // Its QUIC connections close with the last request that holds the client.
        let h3 = self.h3.write().unwrap_or_else(|e| e.into_inner()).take();
        drop(h3);
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

    /// The exchange as a future for the runtime (see `transport::fetch`). Boxed here, once:
    /// the exchange's state is some KiB, and every move of it by value is a copy.
    pub fn fetch(
        &self,
        wire: WireRequest,
        read_body: bool,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Fetched, HttpError>> + Send>>
    {
        let http = self.http();
        let pool = self.pool.clone();
        let retry = self.retry.clone();
        let warmup = self.warmup.clone();
        let h3 = self.h3.read().unwrap_or_else(|e| e.into_inner()).clone();
        Box::pin(async move { fetch(http?, pool, wire, read_body, retry, warmup, h3).await })
    }
}

/// A `Response` for what the network returned (the client adds cookies and the rest).
pub fn response_from_fetched(
    py: Python<'_>,
    request: &RequestHandle,
    fetched: Fetched,
    started: std::time::Instant,
    read_timeout: Option<std::time::Duration>,
    is_async: bool,
) -> PyResult<ResponseHandle> {
    let mut handed_over = None;
    let (head, body, raw_len, streaming) = match fetched {
        Fetched::Full {
            head,
            body,
            raw_len,
        } => (
            head,
            BodyState::Content(body.into_bytes(py)),
            raw_len,
            false,
        ),
        Fetched::Sized(_) => {
            return Err(crate::errors::internal(
                "a sized body reached the response unread",
            ))
        }
        Fetched::Streaming { head, resp, permit } => (
            head,
            BodyState::Wire(Box::new(WireBody {
                resp,
                read_timeout,
                at_end: Some(crate::transport::pool::released),
                _permit: permit,
            })),
            0,
            true,
        ),
        Fetched::Upgraded { head, conn } => {
            let stream = network_stream(py, conn.clone(), is_async)?;
            handed_over = Some(stream);
            (head, BodyState::Switched(conn), 0, true)
        }
    };
    let mut response = PyResponse::new(py, head.status, head.version, head.headers, body)?;
    if let Some(stream) = handed_over {
        response.reason = head.reason.clone();
        let extensions = response.wire_extensions(py)?;
        extensions.set_item("network_stream", stream)?;
        response.extensions = Some(extensions.unbind());
    }
    response.reason = head.reason;
    response.request = Some(request.clone_ref(py));
    response.started = started;
    response.num_bytes_downloaded = raw_len;
    response.is_async = is_async;
    if !streaming {
        response.elapsed = Some(started.elapsed());
    }
    ResponseHandle::wrap(py, response)
}

fn not_supported(name: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    if value.is_some_and(|v| !v.is_none()) {
        return Err(pyo3::exceptions::PyNotImplementedError::new_err(format!(
            "httprs does not support `{name}=` yet."
        )));
    }
    Ok(())
}

// The reqwest client built from the options. As for the clients, `__new__` takes any
// arguments and `__init__` configures, so a subclass may have an `__init__` of its own.
/// What `HTTPTransport` and `AsyncHTTPTransport` share: the network options.
#[pyclass(name = "NetworkTransport", module = "httprs", frozen, subclass)]
pub struct PyNetworkTransport {
    net: OnceLock<Arc<NetTransport>>,
}

impl PyNetworkTransport {
    /// A transport object around an existing network client (`client._transport`).
    pub fn wrapping(net: Arc<NetTransport>) -> Self {
        PyNetworkTransport {
            net: OnceLock::from(net),
        }
    }

    pub fn net(&self) -> PyResult<&Arc<NetTransport>> {
        self.net.get().ok_or_else(|| {
            pyo3::exceptions::PyAttributeError::new_err(
                "the transport is not initialised: a subclass's __init__ must call super().__init__()",
            )
        })
    }
}

#[pymethods]
impl PyNetworkTransport {
    #[pyo3(signature = (verify = None, cert = None, trust_env = true, http1 = true, http2 = false, limits = None, proxy = None, uds = None, local_address = None, retries = None, socket_options = None, http3 = false))]
    #[allow(clippy::too_many_arguments)]
    fn __init__(
        &self,
        verify: Option<&Bound<'_, PyAny>>,
        cert: Option<&Bound<'_, PyAny>>,
        trust_env: bool,
        http1: bool,
        http2: bool,
        limits: Option<PyLimits>,
        proxy: Option<&Bound<'_, PyAny>>,
        uds: Option<std::path::PathBuf>,
        local_address: Option<&str>,
        retries: Option<&Bound<'_, PyAny>>,
        socket_options: Option<&Bound<'_, PyAny>>,
        http3: bool,
    ) -> PyResult<()> {
        not_supported("socket_options", socket_options)?;
        let mut options = NetworkOptions::from_py(
            verify,
            cert,
            trust_env,
            http1,
            http2,
            limits,
            proxy,
            local_address,
            crate::retry::py_retry::retries_arg(retries)?,
        )?;
        options.uds = uds;
        options.http3 = http3;
        self.net
            .set(Arc::new(NetTransport::new(&options)?))
            .map_err(|_| PyTypeError::new_err("a transport is initialised once"))
    }
}

/// The network transport of `Client`: connection pooling, TLS, HTTP/1.1, HTTP/2 and (opt-in)
/// HTTP/3, proxies.
///
/// ```python
/// transport = httprs.HTTPTransport(retries=2, local_address="0.0.0.0")
/// client = httprs.Client(transport=transport)
/// ```
///
/// `verify`, `cert`, `trust_env`, `http1`, `http2`, `http3`, `limits` and `proxy` as for
/// `Client`;
/// `uds`: a Unix socket path to connect to; `local_address`: the IP address to connect from;
/// `retries`: how many times to retry a failed connection attempt. `socket_options` is not
/// supported yet (only None).
#[pyclass(name = "HTTPTransport", module = "httprs", extends = PyNetworkTransport, frozen, subclass)]
pub struct PyHTTPTransport;

/// The network transport of `AsyncClient` (asyncio and trio): as `HTTPTransport`.
///
/// `verify`, `cert`, `trust_env`, `http1`, `http2`, `http3`, `limits` and `proxy` as for
/// `Client`;
/// `uds`: a Unix socket path to connect to; `local_address`: the IP address to connect from;
/// `retries`: how many times to retry a failed connection attempt. `socket_options` is not
/// supported yet (only None).
#[pyclass(name = "AsyncHTTPTransport", module = "httprs", extends = PyNetworkTransport, frozen, subclass)]
pub struct PyAsyncHTTPTransport;

/// The network client of an `HTTPTransport` / `AsyncHTTPTransport` (or of a subclass).
fn net_of<T: pyo3::PyClass<BaseType = PyNetworkTransport>>(
    slf: &Bound<'_, T>,
) -> PyResult<Arc<NetTransport>> {
    Ok(slf.as_super().get().net()?.clone())
}

#[pymethods]
impl PyHTTPTransport {
    #[new]
    #[pyo3(signature = (*_args, **_kwargs), text_signature = "(verify=True, cert=None, trust_env=True, http1=True, http2=False, limits=..., proxy=None, uds=None, local_address=None, retries=0, socket_options=None, http3=False)")]
    fn py_new(
        _args: &Bound<'_, PyTuple>,
        _kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyClassInitializer<Self> {
        PyClassInitializer::from(PyNetworkTransport {
            net: OnceLock::new(),
        })
        .add_subclass(Self)
    }

    /// Send `request` over the network and return the response, its body not read yet.
    fn handle_request(slf: &Bound<'_, Self>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(stand_in) = stand_in(slf.py(), request)? {
            return Ok(stand_in
                .bind(slf.py())
                .call_method1("handle_request", (request,))?
                .unbind());
        }
        let request = RequestHandle::from_py(request, "request")?;
        Exchange::direct(net_of(slf)?, Mode::Sync, request).run_blocking(slf.py())
    }

    /// Close the pooled connections.
    fn close(slf: &Bound<'_, Self>) -> PyResult<()> {
        net_of(slf)?.close();
        Ok(())
    }

    fn __enter__<'py>(slf: &Bound<'py, Self>) -> Bound<'py, Self> {
        slf.clone()
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(slf: &Bound<'_, Self>, _args: &Bound<'_, PyTuple>) -> PyResult<()> {
        Self::close(slf)
    }
}

#[pymethods]
impl PyAsyncHTTPTransport {
    #[new]
    #[pyo3(signature = (*_args, **_kwargs), text_signature = "(verify=True, cert=None, trust_env=True, http1=True, http2=False, limits=..., proxy=None, uds=None, local_address=None, retries=0, socket_options=None, http3=False)")]
    fn py_new(
        _args: &Bound<'_, PyTuple>,
        _kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyClassInitializer<Self> {
        PyClassInitializer::from(PyNetworkTransport {
            net: OnceLock::new(),
        })
        .add_subclass(Self)
    }

    /// Send `request` over the network and return the response, its body not read yet (a
    /// coroutine).
    fn handle_async_request(
        slf: &Bound<'_, Self>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        if let Some(stand_in) = stand_in(py, request)? {
            return Ok(stand_in
                .bind(py)
                .call_method1("handle_async_request", (request,))?
                .unbind());
        }
        let request = RequestHandle::from_py(request, "request")?;
        let exchange = Exchange::direct(net_of(slf)?, Mode::Async, request);
        Steps::coroutine(py, Box::new(exchange))
    }

    /// Close the pooled connections (a coroutine).
    fn aclose(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        net_of(slf)?.close();
        crate::exchange::steps::ready(slf.py(), slf.py().None())
    }

    fn __aenter__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        crate::exchange::steps::ready(slf.py(), slf.clone().into_any().unbind())
    }

    #[pyo3(signature = (*_args))]
    fn __aexit__(slf: &Bound<'_, Self>, _args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        Self::aclose(slf)
    }
}
