//! Sending a request, once for both clients: auth flows, redirects, event hooks, cookies.
//!
//! [`send`] is an `async fn`, but it never waits on anything itself: every wait goes through
//! [`Io`], which hands it to the driver as a [`Step`] (see `steps.rs`) and gets the outcome
//! back. [`Exchange`] turns the future into a stepper: the sync client blocks on it
//! (`steps::block_on`), the async client awaits it (`steps::Steps`). The future is polled
//! only from the thread that steps it, with the GIL held; Python objects are reached through
//! `Python::attach`, which is free when the GIL is already held.

use crate::auth::Auth;
use crate::client::core::{ClientCore, NextStep};
use crate::errors::{ErrorKind, HttpError};
use crate::exchange::runtime::{Driver, Spawned};
use crate::exchange::steps::{lock, Apply, Step, Stepper, WaitOp};
use crate::models::handle::{RequestHandle, ResponseHandle};
use crate::models::request::{PyRequest, RequestBody};
use crate::models::response::BodyBuffer;
use crate::models::response::PyResponse;
use crate::observe::events::EventLog;
use crate::observe::instrument::Observed;
use crate::observe::log::Level;
use crate::transport::fetch::{Fetched, WireRequest};
use crate::transport::mounts::Transport;
use crate::transport::network::NetTransport;
use crate::transport::sized_body;
use crate::transport::upload::{Fed, Feeder};
use pyo3::exceptions::{PyRuntimeError, PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyBytes;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// Which client drives the exchange: it decides how auth flows and hooks are called.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Sync,
    Async,
}

enum Ask {
    Wait(WaitOp),
    Await(Py<PyAny>),
    Read(Py<PyResponse>),
}

enum Answer {
    /// What a `Wait` gave: the output of its future (see `Io::wait`).
    Done(Box<dyn std::any::Any + Send>),
    Value(PyResult<Py<PyAny>>),
    Read(PyResult<()>),
}

/// The mailbox between the future and its driver: one question, then one answer.
#[derive(Default)]
struct Chan {
    ask: Option<Ask>,
    answer: Option<Answer>,
    /// The async iterator of a request body being fed to the network: the driver closes it
    /// if the task is interrupted meanwhile (see `Exchange::interrupted`).
    feeding: Option<Py<PyAny>>,
}

/// A question to the driver: pending until the driver has put the answer in the mailbox.
struct AskFuture {
    chan: Arc<Mutex<Chan>>,
    ask: Option<Ask>,
}

impl Future for AskFuture {
    type Output = Answer;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Answer> {
        if let Some(ask) = self.ask.take() {
            lock(&self.chan).ask = Some(ask);
            return Poll::Pending;
        }
        match lock(&self.chan).answer.take() {
            Some(answer) => Poll::Ready(answer),
            None => Poll::Pending,
        }
    }
}

/// The pipeline's access to waiting.
pub struct Io {
    chan: Arc<Mutex<Chan>>,
    mode: Mode,
}

fn confused() -> PyErr {
    crate::errors::internal("the request pipeline got an answer to another question")
}

impl Io {
    fn ask(&self, ask: Ask) -> AskFuture {
        AskFuture {
            chan: self.chan.clone(),
            ask: Some(ask),
        }
    }

    /// Run `fut` on the runtime and get its output.
    async fn wait<T: Send + 'static>(
        &self,
        fut: impl Future<Output = T> + Send + 'static,
    ) -> PyResult<T> {
        let chan = self.chan.clone();
        let op = WaitOp::new(async move {
            let output: Box<dyn std::any::Any + Send> = Box::new(fut.await);
            Box::new(move |_: Python<'_>| lock(&chan).answer = Some(Answer::Done(output))) as Apply
        });
        match self.ask(Ask::Wait(op)).await {
            Answer::Done(output) => output.downcast::<T>().map(|o| *o).map_err(|_| confused()),
            _ => Err(confused()),
        }
    }

    fn driver(&self) -> Driver {
        match self.mode {
            Mode::Sync => Driver::Sync,
            Mode::Async => Driver::Async,
        }
    }

    async fn fetch(
        &self,
        net: &NetTransport,
        wire: WireRequest,
        read_body: bool,
    ) -> PyResult<Result<Fetched, HttpError>> {
        self.wait(net.fetch(wire, read_body)).await
    }

    /// Step 4 for `request` on `net`: its body sent from memory, a sync iterator, or (fed
    /// from the caller's loop) an async one; network failures raised as httpx's exceptions
    /// with the request attached. What the pipeline and a transport called directly share.
    /// The exchange is shown to the opt-in observer (`observe::instrument`) from before the
    /// request is built, so that the headers it adds go out; its end is told by
    /// `Sent::respond`, or here when it fails. `level` says whether it writes DEBUG records.
    async fn send_on_network(
        &self,
        net: &NetTransport,
        request: &RequestHandle,
        read_body: bool,
        level: Level,
    ) -> PyResult<Sent> {
        let observed = crate::observe::instrument::start(request);
        let outcome = async {
            let is_async = Python::attach(|py| {
                matches!(request.bind(py).borrow().body, RequestBody::AsyncIter(_))
            });
            let (feeder, fed) = match is_async {
                true => {
                    let (feeder, fed) = crate::transport::upload::channel();
                    (Some(feeder), Some(fed))
                }
                false => (None, None),
            };
            let mut wire = Python::attach(|py| {
                WireRequest::build(py, &request.bind(py).borrow(), fed)?
                    .map_err(|e| e.into_pyerr(py, request.face_for_error(py).as_ref()))
            })?;
            wire.events = EventLog::wanted(level, &wire.request);
            let read_timeout = wire.timeouts.read;
            let raised = wire.raised.clone();
            let started = std::time::Instant::now();
            let fetched = match feeder {
                None => self.fetch(net, wire, read_body).await?,
                Some(feeder) => {
                    let iterator = Python::attach(|py| start_async_body(py, request))?;
                    self.fetch_fed(net, wire, read_body, feeder, iterator)
                        .await?
                }
            };
            let fetched = match fetched {
                // A large body of known length: its `bytes` object is made here, with the
                // GIL, and filled on the runtime (`transport::sized_body`).
                Ok(Fetched::Sized(unread)) => {
                    let buffer = Python::attach(|py| BodyBuffer::for_length(py, unread.len));
                    self.wait(sized_body::fill(unread, buffer)).await?
                }
                other => other,
            };
            let fetched = Python::attach(|py| {
                fetched.map_err(|e| match lock(&raised).take() {
                    Some(exc) => exc,
                    None => e.into_pyerr(py, request.face_for_error(py).as_ref()),
                })
            })?;
            Ok::<_, PyErr>(Sent {
                fetched,
                started,
                read_timeout,
                observed: None,
            })
        }
        .await;
        match (outcome, observed) {
            (Ok(sent), observed) => Ok(Sent { observed, ..sent }),
            (Err(e), Some(observed)) => {
                Python::attach(|py| observed.end(py, Err(&e)));
                Err(e)
            }
            (Err(e), None) => Err(e),
        }
    }

    /// Send `wire`, whose body `feeder` fills with the chunks of `iterator`, an async
    /// iterator that only the caller's loop can advance: the exchange runs on the runtime on
    /// its own (connecting, sending what it is given) while the chunks are pulled here, one
    /// `Await` each, and handed over; a full channel is a `Wait` (backpressure). As in httpx,
    /// the iterator's own exception propagates as it is.
    async fn fetch_fed(
        &self,
        net: &NetTransport,
        wire: WireRequest,
        read_body: bool,
        feeder: Feeder,
        iterator: Py<PyAny>,
    ) -> PyResult<Result<Fetched, HttpError>> {
        let exchange = Spawned::spawn(self.driver(), net.fetch(wire, read_body))?;
        let registered = Python::attach(|py| iterator.clone_ref(py));
        lock(&self.chan).feeding = Some(registered);
        let fed = self.feed(&exchange, &feeder, &iterator).await;
        let registered = lock(&self.chan).feeding.take();
        drop(registered);
        // On an error, `exchange` is dropped here: the request is aborted, and the feeder
        // dropped before the body's end makes sure it is never taken for a whole body.
        if !fed? {
            // The exchange ended before the body did (the server answered and closed, or a
            // write timeout): the iterator will not be needed any more.
            if let Some(closing) = Python::attach(|py| aclose(py, &iterator)) {
                let _ = self.await_py(closing).await;
            }
        }
        drop(feeder);
        match self.wait(exchange.join()).await? {
            Some(fetched) => Ok(fetched),
            None => Err(crate::errors::internal("the exchange stopped abruptly")),
        }
    }

    /// Feed the iterator's chunks, then the end. False when the exchange stopped taking them.
    async fn feed(
        &self,
        exchange: &Spawned<Result<Fetched, HttpError>>,
        feeder: &Feeder,
        iterator: &Py<PyAny>,
    ) -> PyResult<bool> {
        loop {
            if exchange.is_finished() {
                return Ok(false);
            }
            let next = Python::attach(|py| -> PyResult<_> {
                let next_chunk = NEXT_CHUNK.get_or_try_init(py, || -> PyResult<_> {
                    Ok(py.import("httprs._bridge")?.getattr("next_chunk")?.unbind())
                })?;
                Ok(next_chunk.bind(py).call1((iterator,))?.unbind())
            })?;
            let chunk = self.await_py(next).await?;
            let piece = Python::attach(|py| {
                let chunk = chunk.bind(py);
                chunk
                    .cast::<PyBytes>()
                    .ok()
                    .map(|b| bytes::Bytes::copy_from_slice(b.as_bytes()))
            });
            if piece.as_ref().is_some_and(bytes::Bytes::is_empty) {
                // Nothing to send (hyper would frame an empty chunk as the body's end).
                continue;
            }
            let end = piece.is_none();
            let taken = match feeder.try_feed(piece) {
                Fed::Taken => true,
                Fed::Gone => false,
                Fed::Full(piece) => {
                    let (feeding, over) = (feeder.feed(piece), exchange.over());
                    self.wait(async move {
                        tokio::select! {
                            taken = feeding => taken,
                            () = over => false,
                        }
                    })
                    .await?
                }
            };
            if !taken || end {
                return Ok(taken);
            }
        }
    }

    /// Read a response's whole body (`read()` or `aread()`): a sync Client cannot read an
    /// async stream (a transport's), and says so as `read()` would.
    async fn read(&self, response: Py<PyResponse>) -> PyResult<()> {
        if self.mode == Mode::Sync {
            Python::attach(|py| PyResponse::check_mode(response.bind(py), false))?;
        }
        match self.ask(Ask::Read(response)).await {
            Answer::Read(r) => r,
            _ => Err(confused()),
        }
    }

    /// Await a Python awaitable in the caller's task.
    async fn await_py(&self, awaitable: Py<PyAny>) -> PyResult<Py<PyAny>> {
        match self.ask(Ask::Await(awaitable)).await {
            Answer::Value(v) => v,
            _ => Err(confused()),
        }
    }

    /// `f(arg)`; the async client also awaits what it returns when that is awaitable
    /// (`async def` hooks), as httpx's AsyncClient does.
    async fn call(&self, f: &Py<PyAny>, arg: Py<PyAny>) -> PyResult<Py<PyAny>> {
        let (value, awaitable) = Python::attach(|py| -> PyResult<_> {
            let value = f.bind(py).call1((arg,))?;
            let awaitable = self.mode == Mode::Async && value.hasattr("__await__")?;
            Ok((value.unbind(), awaitable))
        })?;
        if awaitable {
            self.await_py(value).await
        } else {
            Ok(value)
        }
    }

    /// Advance an auth flow generator: `send(value)` / `asend(value)` (`None` starts it).
    /// None when the generator is exhausted.
    async fn flow_send(
        &self,
        flow: &Py<PyAny>,
        value: Option<Py<PyAny>>,
    ) -> PyResult<Option<Py<PyAny>>> {
        let outcome = match self.mode {
            Mode::Sync => Python::attach(|py| {
                let flow = flow.bind(py);
                match &value {
                    None => flow.call_method0("__next__"),
                    Some(v) => flow.call_method1("send", (v,)),
                }
                .map(Bound::unbind)
            }),
            Mode::Async => {
                let awaitable = Python::attach(|py| {
                    let flow = flow.bind(py);
                    match &value {
                        None => flow.call_method0("__anext__"),
                        Some(v) => flow.call_method1("asend", (v,)),
                    }
                    .map(Bound::unbind)
                })?;
                self.await_py(awaitable).await
            }
        };
        match outcome {
            Ok(v) => Ok(Some(v)),
            Err(e)
                if Python::attach(|py| {
                    e.is_instance_of::<PyStopIteration>(py)
                        || e.is_instance_of::<PyStopAsyncIteration>(py)
                }) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    async fn flow_close(&self, flow: &Py<PyAny>) {
        let method = match self.mode {
            Mode::Sync => "close",
            Mode::Async => "aclose",
        };
        let closing = Python::attach(|py| flow.bind(py).call_method0(method).map(Bound::unbind));
        if let (Mode::Async, Ok(awaitable)) = (self.mode, closing) {
            let _ = self.await_py(awaitable).await;
        }
    }
}

/// What `send()` was asked to do.
pub struct SendPlan {
    pub request: RequestHandle,
    pub auth: Option<Auth>,
    pub follow: bool,
    pub stream: bool,
}

/// What the network gave for one request (`Io::send_on_network`).
struct Sent {
    fetched: Fetched,
    started: std::time::Instant,
    read_timeout: Option<std::time::Duration>,
    /// The exchange as the opt-in observer sees it, until its response is made.
    observed: Option<Observed>,
}

impl Sent {
    /// The response `make` makes of what came back; the observer is told how it ended.
    fn respond(
        self,
        py: Python<'_>,
        make: impl FnOnce(
            Python<'_>,
            Fetched,
            std::time::Instant,
            Option<std::time::Duration>,
        ) -> PyResult<ResponseHandle>,
    ) -> PyResult<ResponseHandle> {
        let response = make(py, self.fetched, self.started, self.read_timeout);
        if let Some(observed) = self.observed {
            observed.end(py, response.as_ref());
        }
        response
    }
}

fn close_response(response: &ResponseHandle) {
    Python::attach(|py| response.bind(py).borrow_mut().close_now());
}

fn history_of(py: Python<'_>, history: &[ResponseHandle]) -> Vec<ResponseHandle> {
    history.iter().map(|h| h.clone_ref(py)).collect()
}

/// httpx `send()`: auth, redirects, hooks; the body read in full unless streaming.
pub async fn send(core: Arc<ClientCore>, io: Io, plan: SendPlan) -> PyResult<ResponseHandle> {
    let pipeline = Pipeline {
        core: &core,
        io: &io,
        follow: plan.follow,
        stream: plan.stream,
    };
    let response = pipeline.send_handling_auth(plan.request, plan.auth).await?;
    if !plan.stream {
        let (target, open_async) = Python::attach(|py| {
            (
                response.core.clone_ref(py),
                io.mode == Mode::Async && response.bind(py).borrow().has_open_async_stream(),
            )
        });
        if let Err(e) = io.read(target).await {
            close_response(&response);
            // httpx awaits `response.aclose()` here, which closes a user's async stream too
            // (the failed read has marked the response closed already: hence `open_async`).
            let closing = open_async
                .then(|| Python::attach(|py| response.bind(py).borrow().stream_aclose(py)))
                .flatten();
            if let Some(closing) = closing {
                io.await_py(closing).await?;
            }
            return Err(e);
        }
    }
    Ok(response)
}

struct Pipeline<'a> {
    core: &'a ClientCore,
    io: &'a Io,
    follow: bool,
    stream: bool,
}

impl Pipeline<'_> {
    /// httpx `_send_handling_auth`.
    async fn send_handling_auth(
        &self,
        request: RequestHandle,
        auth: Option<Auth>,
    ) -> PyResult<ResponseHandle> {
        let mut history: Vec<ResponseHandle> = Vec::new();
        match auth {
            None => self.send_handling_redirects(request, &mut history).await,
            Some(Auth::Header(value, _)) => {
                Python::attach(|py| {
                    request
                        .bind(py)
                        .borrow()
                        .headers
                        .borrow_mut(py)
                        .list
                        .set("Authorization", &value)
                });
                self.send_handling_redirects(request, &mut history).await
            }
            Some(Auth::Function(f)) => {
                let request = Python::attach(|py| -> PyResult<RequestHandle> {
                    let result = f.bind(py).call1((request.face(py)?,))?;
                    RequestHandle::from_py(&result, "What an auth callable returns")
                })?;
                self.send_handling_redirects(request, &mut history).await
            }
            Some(Auth::Flow(auth)) => {
                let method = match self.io.mode {
                    Mode::Sync => "sync_auth_flow",
                    Mode::Async => "async_auth_flow",
                };
                let flow = Python::attach(|py| {
                    auth.bind(py)
                        .call_method1(method, (request.face(py)?,))
                        .map(Bound::unbind)
                })?;
                let outcome = self.drive_auth_flow(&flow, &mut history).await;
                self.io.flow_close(&flow).await;
                outcome
            }
        }
    }

    async fn drive_auth_flow(
        &self,
        flow: &Py<PyAny>,
        history: &mut Vec<ResponseHandle>,
    ) -> PyResult<ResponseHandle> {
        let Some(first) = self.io.flow_send(flow, None).await? else {
            return Err(PyRuntimeError::new_err(
                "The auth flow did not yield a request.",
            ));
        };
        let mut request = as_request(first)?;
        loop {
            let response = self.send_handling_redirects(request, history).await?;
            let sent = Python::attach(|py| response.face(py).map(Bound::unbind))?;
            let next = match self.io.flow_send(flow, Some(sent)).await {
                Ok(None) => return Ok(response),
                Ok(Some(next)) => next,
                Err(e) => {
                    close_response(&response);
                    return Err(e);
                }
            };
            Python::attach(|py| response.bind(py).borrow_mut().history = history_of(py, history));
            let target = Python::attach(|py| response.core.clone_ref(py));
            self.io.read(target).await?;
            history.push(response);
            request = as_request(next)?;
        }
    }

    async fn send_handling_redirects(
        &self,
        mut request: RequestHandle,
        history: &mut Vec<ResponseHandle>,
    ) -> PyResult<ResponseHandle> {
        let max_redirects = self.core.defaults().max_redirects;
        loop {
            if history.len() > max_redirects {
                return Err(Python::attach(|py| {
                    HttpError::new(
                        ErrorKind::TooManyRedirects,
                        "Exceeded maximum allowed redirects.",
                    )
                    .into_pyerr(py, request.face_for_error(py).as_ref())
                }));
            }
            let response = self.send_single(&request).await?;
            let step = Python::attach(|py| {
                let r = response.bind(py);
                r.borrow_mut().history = history_of(py, history);
                let step = self
                    .core
                    .next_step(py, &request.bind(py).borrow(), &r.borrow());
                if step.is_err() {
                    r.borrow_mut().close_now();
                }
                step
            })?;
            match step {
                NextStep::Done => return Ok(response),
                NextStep::Redirect(next) => {
                    let next = Python::attach(|py| RequestHandle::wrap(py, next))?;
                    if !self.follow {
                        Python::attach(|py| {
                            response.bind(py).borrow_mut().next_request = Some(next)
                        });
                        return Ok(response);
                    }
                    // Intermediate responses of a followed chain are read in full.
                    let target = Python::attach(|py| response.core.clone_ref(py));
                    self.io.read(target).await?;
                    history.push(response);
                    request = next;
                }
            }
        }
    }

    /// One exchange on the network, with the event hooks around it.
    async fn send_single(&self, request: &RequestHandle) -> PyResult<ResponseHandle> {
        Python::attach(|py| self.match_body_kind(py, &mut request.bind(py).borrow_mut()))?;
        for hook in Python::attach(|py| self.core.hooks(py, false))? {
            let arg = Python::attach(|py| request.face(py).map(Bound::unbind))?;
            self.io.call(&hook, arg).await?;
        }
        let (transport, level) = Python::attach(|py| -> PyResult<_> {
            let transport = self.core.transport_for(py, &request.bind(py).borrow().url);
            let transport = crate::transport::stand_in::route(py, transport, request)?;
            Ok((transport, crate::observe::log::level(py)))
        })?;
        let response = match transport {
            Transport::Net(net) => {
                let sent = (self.io)
                    .send_on_network(&net, request, !self.stream, level)
                    .await?;
                Python::attach(|py| {
                    sent.respond(py, |py, fetched, started, read_timeout| {
                        self.core.make_response(
                            py,
                            request,
                            fetched,
                            started,
                            read_timeout,
                            self.io.mode == Mode::Async,
                        )
                    })
                })?
            }
            Transport::Python(transport) => self.send_through(&transport, request).await?,
        };
        Python::attach(|py| crate::observe::log::log_response(py, level, request, &response));
        for hook in Python::attach(|py| self.core.hooks(py, true))? {
            let arg = Python::attach(|py| response.face(py).map(Bound::unbind))?;
            if let Err(e) = self.io.call(&hook, arg).await {
                close_response(&response);
                return Err(e);
            }
        }
        Ok(response)
    }

    /// A Python transport's `handle_request(request)` (or awaited `handle_async_request`).
    async fn send_through(
        &self,
        transport: &Py<PyAny>,
        request: &RequestHandle,
    ) -> PyResult<ResponseHandle> {
        let started = std::time::Instant::now();
        let method = match self.io.mode {
            Mode::Sync => "handle_request",
            Mode::Async => "handle_async_request",
        };
        let returned = Python::attach(|py| {
            transport
                .bind(py)
                .call_method1(method, (request.face(py)?,))
                .map(Bound::unbind)
        })?;
        let returned = match self.io.mode {
            Mode::Sync => returned,
            Mode::Async => self.io.await_py(returned).await?,
        };
        Python::attach(|py| {
            let response = ResponseHandle::from_py(returned.bind(py), "What a transport returns")?;
            self.core.adopt_response(py, request, &response)?;
            let mut r = response.bind(py).borrow_mut();
            r.started = started;
            r.is_async = self.io.mode == Mode::Async;
            if r.is_async {
                r.read_stream_async(py)?;
            }
            if r.is_closed && r.elapsed.is_none() {
                r.elapsed = Some(started.elapsed());
            }
            drop(r);
            Ok(response)
        })
    }

    /// httpx's rule: a client sends the bodies of its own kind (a body in memory is both): a
    /// sync iterator with an AsyncClient, or an async one with a Client, is a RuntimeError.
    /// A stream that is both a `SyncByteStream` and an `AsyncByteStream` is sent the way of
    /// the client at hand, as httpx's `isinstance` checks let it.
    fn match_body_kind(&self, py: Python<'_>, request: &mut PyRequest) -> PyResult<()> {
        let (wanted, message) = match (&request.body, self.io.mode) {
            (RequestBody::Iter(_), Mode::Async) => (
                "AsyncByteStream",
                "Attempted to send a sync request with an AsyncClient instance.",
            ),
            (RequestBody::AsyncIter(_), Mode::Sync) => (
                "SyncByteStream",
                "Attempted to send an async request with a sync Client instance.",
            ),
            _ => return Ok(()),
        };
        let (RequestBody::Iter(stream) | RequestBody::AsyncIter(stream)) = &request.body else {
            return Ok(());
        };
        let class = py.import("httprs._transports")?.getattr(wanted)?;
        if !stream.obj.bind(py).is_instance(&class)? {
            return Err(PyRuntimeError::new_err(message));
        }
        let stream = stream.clone_ref(py);
        request.body = match self.io.mode {
            Mode::Async => RequestBody::AsyncIter(stream),
            Mode::Sync => RequestBody::Iter(stream),
        };
        Ok(())
    }
}

/// A network transport's own `handle_request` / `handle_async_request` (a subclass calls it,
/// or httprs's adapter under httpx's client): one exchange and nothing around it (no auth,
/// redirects, hooks or cookies), the body left on the wire. An async iterable body is fed
/// as the pipeline feeds it; a sync transport refuses one, as httpx's asserts a sync stream.
async fn send_direct(
    net: Arc<NetTransport>,
    io: Io,
    request: RequestHandle,
) -> PyResult<ResponseHandle> {
    let refused = io.mode == Mode::Sync
        && Python::attach(|py| matches!(request.bind(py).borrow().body, RequestBody::AsyncIter(_)));
    if refused {
        return Err(PyRuntimeError::new_err(
            "Attempted to send an async request with a sync transport: use AsyncHTTPTransport.",
        ));
    }
    let level = Python::attach(crate::observe::log::level);
    let sent = io.send_on_network(&net, &request, false, level).await?;
    Python::attach(|py| {
        sent.respond(py, |py, fetched, started, read_timeout| {
            crate::transport::network::response_from_fetched(
                py,
                &request,
                fetched,
                started,
                read_timeout,
                io.mode == Mode::Async,
            )
        })
    })
}

/// The async iterator of `request`'s async iterable body, the stream marked as sent: as in
/// httpx, sending a one-shot stream again (a redirect, an auth retry) is `StreamConsumed`.
fn start_async_body(py: Python<'_>, request: &RequestHandle) -> PyResult<Py<PyAny>> {
    let request = request.bind(py).borrow();
    let RequestBody::AsyncIter(stream) = &request.body else {
        return Err(crate::errors::internal("an async body was expected"));
    };
    stream.start_sending().map_err(|e| e.into_pyerr(py, None))?;
    Ok(stream.obj.bind(py).call_method0("__aiter__")?.unbind())
}

/// `iterator.aclose()` to await, if it has one.
fn aclose(py: Python<'_>, iterator: &Py<PyAny>) -> Option<Py<PyAny>> {
    let iterator = iterator.bind(py);
    if !iterator.hasattr("aclose").unwrap_or(false) {
        return None;
    }
    iterator.call_method0("aclose").ok().map(Bound::unbind)
}

static NEXT_CHUNK: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn as_request(obj: Py<PyAny>) -> PyResult<RequestHandle> {
    Python::attach(|py| RequestHandle::from_py(obj.bind(py), "What an auth flow yields"))
}

type SendFuture = Pin<Box<dyn Future<Output = PyResult<ResponseHandle>> + Send>>;

/// `send()` as a stepper: the one driver loop of the pipeline, for both clients.
pub struct Exchange {
    future: SendFuture,
    chan: Arc<Mutex<Chan>>,
    /// A body being read for the pipeline (`Ask::Read`), stepped here.
    reading: Option<Py<PyResponse>>,
}

impl Exchange {
    pub fn new(core: Arc<ClientCore>, mode: Mode, plan: SendPlan) -> Self {
        Self::running(mode, |io| Box::pin(send(core, io, plan)))
    }

    /// A network transport's `handle_request` / `handle_async_request` (`send_direct`).
    pub fn direct(net: Arc<NetTransport>, mode: Mode, request: RequestHandle) -> Self {
        Self::running(mode, |io| Box::pin(send_direct(net, io, request)))
    }

    fn running(mode: Mode, future: impl FnOnce(Io) -> SendFuture) -> Self {
        let chan = Arc::new(Mutex::new(Chan::default()));
        let io = Io {
            chan: chan.clone(),
            mode,
        };
        Exchange {
            future: future(io),
            chan,
            reading: None,
        }
    }

    /// The sync client's way: block until done. The response's Python object.
    pub fn run_blocking(mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::exchange::steps::block_on(py, |py| self.step(py))
    }
}

impl Stepper for Exchange {
    fn step(&mut self, py: Python<'_>) -> PyResult<Step<Py<PyAny>>> {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        loop {
            if let Some(response) = &self.reading {
                let read = match PyResponse::read_step(response.bind(py)) {
                    Ok(Step::Ready(_)) => Ok(()),
                    Ok(Step::Wait(w)) => return Ok(Step::Wait(w)),
                    Ok(Step::Await(a)) => return Ok(Step::Await(a)),
                    Err(e) => Err(e),
                };
                self.reading = None;
                lock(&self.chan).answer = Some(Answer::Read(read));
            }
            if let Poll::Ready(result) = self.future.as_mut().poll(&mut cx) {
                return result.and_then(|r| Ok(Step::Ready(r.face(py)?.unbind())));
            }
            let ask = lock(&self.chan).ask.take();
            match ask {
                Some(Ask::Wait(w)) => return Ok(Step::Wait(w)),
                Some(Ask::Await(a)) => return Ok(Step::Await(a)),
                Some(Ask::Read(r)) => self.reading = Some(r),
                None => return Err(crate::errors::internal("the request pipeline stalled")),
            }
        }
    }

    fn resume(&mut self, py: Python<'_>, outcome: PyResult<Py<PyAny>>) {
        match &self.reading {
            // The await was a chunk of a Python body stream being read for the pipeline.
            Some(response) => PyResponse::deliver(response.bind(py), outcome),
            None => lock(&self.chan).answer = Some(Answer::Value(outcome)),
        }
    }

    fn interrupted(&mut self, py: Python<'_>) -> Option<Py<PyAny>> {
        if let Some(response) = self.reading.take() {
            let closing = response.bind(py).borrow_mut().close_async(py);
            return closing;
        }
        // A request body being fed: its iterator is closed, as the request is aborted.
        let feeding = lock(&self.chan).feeding.take()?;
        aclose(py, &feeding)
    }
}
