//! Waiting, once for both drivers.
//!
//! Work that may wait on the network (sending a request, reading a body) is written as a
//! *stepper*: each call to `step` advances as far as it can without waiting and returns a
//! [`Step`]: a result, a network wait ([`WaitOp`]: a future for the runtime), or (async only) a
//! Python awaitable to await in the caller's task. What differs between the clients is only
//! how a step's wait is done:
//!
//! - sync: [`block_on`] runs the future on the runtime and parks the thread, GIL released;
//! - async: [`Steps`] hands the wait to `httprs._bridge.drive`, the one awaitable bridge: the
//!   future runs as a runtime task ([`Pending`]) and its completion wakes the awaiting task on
//!   whichever event loop it is (asyncio `call_soon_threadsafe`, trio token rescheduling).
//!
//! Cancelling the awaiting task aborts the runtime task: the future is dropped, and with it the
//! connection it was using and its pool slot.

use crate::exchange::runtime::{Driver, RuntimeRef};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;
use std::future::Future;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use tokio::task::AbortHandle;

/// What a finished wait does with its result, under the GIL: store it where the next `step`
/// finds it.
pub type Apply = Box<dyn FnOnce(Python<'_>) + Send>;

/// A wait for the network: runs on the runtime, then hands back its `Apply`.
pub struct WaitOp(Pin<Box<dyn Future<Output = Apply> + Send>>);

impl WaitOp {
    pub fn new(fut: impl Future<Output = Apply> + Send + 'static) -> Self {
        WaitOp(Box::pin(fut))
    }

    /// The wait itself, for a unit test to run on a runtime of its own.
    #[cfg(test)]
    pub fn into_future(self) -> Pin<Box<dyn Future<Output = Apply> + Send>> {
        self.0
    }
}

pub enum Step<T> {
    Ready(T),
    /// Wait for this, then step again.
    Wait(WaitOp),
    /// Async only: await this in the caller's task, hand the outcome to `resume`, step again.
    Await(Py<PyAny>),
}

impl<T> Step<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Step<U> {
        match self {
            Step::Ready(v) => Step::Ready(f(v)),
            Step::Wait(w) => Step::Wait(w),
            Step::Await(a) => Step::Await(a),
        }
    }
}

/// A lock whose holder never calls Python, so poisoning can only come from a panic in Rust.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The sync driver: step until ready, blocking (GIL released) on each wait.
pub fn block_on<T>(
    py: Python<'_>,
    mut step: impl FnMut(Python<'_>) -> PyResult<Step<T>>,
) -> PyResult<T> {
    loop {
        match step(py)? {
            Step::Ready(v) => return Ok(v),
            Step::Wait(op) => {
                let apply = RuntimeRef::current(Driver::Sync)?.wait(py, op.0)?;
                apply(py);
            }
            Step::Await(_) => {
                return Err(PyRuntimeError::new_err(
                    "An awaitable was returned where a sync Client expected a value (an async hook or auth flow used with httprs.Client?)",
                ))
            }
        }
    }
}

/// Something the async bridge can drive.
pub trait Stepper: Send {
    fn step(&mut self, py: Python<'_>) -> PyResult<Step<Py<PyAny>>>;
    /// The outcome of the last `Step::Await`.
    fn resume(&mut self, _py: Python<'_>, _outcome: PyResult<Py<PyAny>>) {}
    /// The awaiting task was interrupted (cancelled, or a `BaseException` such as
    /// `KeyboardInterrupt` came out of an await): an awaitable that releases what the
    /// operation holds in Python, for the bridge to await before the exception goes on.
    fn interrupted(&mut self, _py: Python<'_>) -> Option<Py<PyAny>> {
        None
    }
}

enum PendingState {
    Running {
        /// Left in this hub's queue when the wait is over.
        waker: Option<(Arc<HubQueue>, Py<PyAny>)>,
        abort: Option<AbortHandle>,
    },
    Done(Apply),
    Finished,
}

/// A wait running as a runtime task, awaited from Python through `httprs._bridge`.
#[pyclass(module = "httprs._httprs", frozen)]
pub struct Pending {
    state: Arc<Mutex<PendingState>>,
}

impl Pending {
    fn spawn(rt: &RuntimeRef, op: WaitOp) -> PyResult<Pending> {
        let state = Arc::new(Mutex::new(PendingState::Running {
            waker: None,
            abort: None,
        }));
        let shared = state.clone();
        let task = rt.handle()?.spawn(async move {
            let apply = op.0.await;
            let waker = {
                let mut s = lock(&shared);
                match std::mem::replace(&mut *s, PendingState::Finished) {
                    PendingState::Running { waker, .. } => {
                        *s = PendingState::Done(apply);
                        waker
                    }
                    // Cancelled meanwhile: the result (and any connection in it) is dropped.
                    _ => None,
                }
            };
            if let Some((hub, waker)) = waker {
                hub.push(waker);
            }
        });
        if let PendingState::Running { abort, .. } = &mut *lock(&state) {
            *abort = Some(task.abort_handle());
        }
        Ok(Pending { state })
    }

    fn take(&self) -> Option<Apply> {
        let mut s = lock(&self.state);
        match std::mem::replace(&mut *s, PendingState::Finished) {
            PendingState::Done(apply) => Some(apply),
            other => {
                *s = other;
                None
            }
        }
    }
}

#[pymethods]
impl Pending {
    /// Have `waker` handed to `hub` when the wait is over. False when it is over already:
    /// then there is nothing to wait for.
    fn on_done(&self, hub: &Hub, waker: Py<PyAny>) -> bool {
        match &mut *lock(&self.state) {
            PendingState::Running { waker: slot, .. } => {
                *slot = Some((hub.queue.clone(), waker));
                true
            }
            _ => false,
        }
    }

    /// Abort the wait. True when the waker will never reach its hub; False when completion
    /// won the race (the waker is in the hub's queue already).
    fn cancel(&self) -> bool {
        let previous = {
            let mut s = lock(&self.state);
            match &*s {
                PendingState::Running { .. } => std::mem::replace(&mut *s, PendingState::Finished),
                _ => return false,
            }
        };
        if let PendingState::Running {
            abort: Some(abort), ..
        } = previous
        {
            abort.abort();
        }
        true
    }
}

/// Wakers of finished waits, for one event loop. Runtime threads push without the GIL; a
/// byte on a socket pair tells the loop (it watches `fileno()`) to `drain()` them. One byte
/// per batch: pushing onto a non-empty queue needs no new signal.
///
/// The byte is written after the queue's lock is let go: the write wakes the loop's thread,
/// which (on the same core, as when the client is pinned) may run at once and `drain()`; with
/// the lock still held by the pusher it had to sleep until the pusher ran again, two context
/// switches more per batch (`Mutex::lock_contended` in a profile of 100 requests in flight).
pub struct HubQueue {
    wakers: Mutex<Vec<Py<PyAny>>>,
    /// None once the hub is closed (its loop is gone). Read-locked by a push for as long as
    /// it may write, so that `close` never drops the socket under a write.
    signal: RwLock<Option<UnixStream>>,
}

impl HubQueue {
    fn push(&self, waker: Py<PyAny>) {
        let signal = self.signal.read().unwrap_or_else(|e| e.into_inner());
        let Some(signal) = &*signal else {
            // The loop is gone: nobody to wake. Dropped here (pyo3 defers the decref).
            return;
        };
        let first = {
            let mut wakers = lock(&self.wakers);
            wakers.push(waker);
            wakers.len() == 1
        };
        if first {
            // Full means a signal is already pending: nothing lost. A drain between the push
            // and this write takes the waker and leaves this byte for a drain that finds
            // nothing: a spare wake-up, never a lost one.
            let _ = (&*signal).write(&[1]);
        }
    }
}

/// Where a runtime thread leaves the wakers of finished waits for one event loop
/// (`httprs._bridge`; internal).
#[pyclass(module = "httprs._httprs", frozen)]
pub struct Hub {
    queue: Arc<HubQueue>,
    reader: Mutex<Option<UnixStream>>,
}

#[pymethods]
impl Hub {
    #[new]
    fn new() -> PyResult<Self> {
        let (reader, signal) = UnixStream::pair()?;
        reader.set_nonblocking(true)?;
        signal.set_nonblocking(true)?;
        Ok(Hub {
            queue: Arc::new(HubQueue {
                wakers: Mutex::new(Vec::new()),
                signal: RwLock::new(Some(signal)),
            }),
            reader: Mutex::new(Some(reader)),
        })
    }

    /// The descriptor that becomes readable when wakers are waiting (-1 once closed).
    fn fileno(&self) -> i32 {
        lock(&self.reader).as_ref().map_or(-1, |r| r.as_raw_fd())
    }

    /// The wakers of the waits finished since the last call.
    fn drain(&self) -> Vec<Py<PyAny>> {
        // Signals first, then the queue: a push after this read signals again.
        if let Some(reader) = &*lock(&self.reader) {
            let mut buf = [0u8; 256];
            while matches!((&*reader).read(&mut buf), Ok(n) if n > 0) {}
        }
        std::mem::take(&mut *lock(&self.queue.wakers))
    }

    /// Close the socket pair (when the loop that watched it ends).
    fn close(&self) {
        let reader = lock(&self.reader).take();
        let signal = self
            .queue
            .signal
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        drop((reader, signal));
    }
}

/// An async operation in progress: the object `httprs._bridge.drive` steps.
#[pyclass(module = "httprs._httprs", frozen)]
pub struct Steps {
    /// Taken out while a step runs, so no Rust lock is held while the stepper calls Python.
    stepper: Mutex<Option<Box<dyn Stepper>>>,
    pending: Mutex<Option<Py<Pending>>>,
    rt: RuntimeRef,
}

const READY: u8 = 0;
const WAIT: u8 = 1;
const AWAIT: u8 = 2;

static DRIVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

impl Steps {
    /// The coroutine that runs `stepper` on the caller's event loop.
    pub fn coroutine(py: Python<'_>, stepper: Box<dyn Stepper>) -> PyResult<Py<PyAny>> {
        let steps = Steps {
            stepper: Mutex::new(Some(stepper)),
            pending: Mutex::new(None),
            rt: RuntimeRef::current(Driver::Async)?,
        };
        let drive = DRIVE.get_or_try_init(py, || -> PyResult<_> {
            Ok(py.import("httprs._bridge")?.getattr("drive")?.unbind())
        })?;
        Ok(drive.bind(py).call1((steps,))?.unbind())
    }

    /// Run `f` on the stepper, taken out of its slot meanwhile.
    fn with_stepper<R>(&self, f: impl FnOnce(&mut Box<dyn Stepper>) -> PyResult<R>) -> PyResult<R> {
        let Some(mut stepper) = lock(&self.stepper).take() else {
            return Err(PyRuntimeError::new_err(
                "This operation is finished or already running.",
            ));
        };
        let out = f(&mut stepper);
        *lock(&self.stepper) = Some(stepper);
        out
    }
}

#[pymethods]
impl Steps {
    /// `(0, result)`, `(1, Pending)` to wait for, or `(2, awaitable)` to await and pass back.
    fn step<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        if let Some(pending) = lock(&self.pending).take() {
            match pending.get().take() {
                Some(apply) => apply(py),
                None => {
                    return Err(PyRuntimeError::new_err(
                        "step() called before the wait was over",
                    ))
                }
            }
        }
        let step = self.with_stepper(|s| s.step(py))?;
        match step {
            Step::Ready(v) => {
                PyTuple::new(py, [READY.into_pyobject(py)?.into_any(), v.into_bound(py)])
            }
            Step::Await(a) => {
                PyTuple::new(py, [AWAIT.into_pyobject(py)?.into_any(), a.into_bound(py)])
            }
            Step::Wait(op) => {
                let pending = Py::new(py, Pending::spawn(&self.rt, op)?)?;
                *lock(&self.pending) = Some(pending.clone_ref(py));
                PyTuple::new(
                    py,
                    [
                        WAIT.into_pyobject(py)?.into_any(),
                        pending.into_bound(py).into_any(),
                    ],
                )
            }
        }
    }

    /// The value of the awaitable from the last step.
    fn give(&self, py: Python<'_>, value: Py<PyAny>) -> PyResult<()> {
        self.with_stepper(|s| {
            s.resume(py, Ok(value));
            Ok(())
        })
    }

    /// The exception the awaitable from the last step raised.
    fn throw(&self, py: Python<'_>, exc: Bound<'_, PyAny>) -> PyResult<()> {
        let err = PyErr::from_value(exc);
        self.with_stepper(|s| {
            s.resume(py, Err(err));
            Ok(())
        })
    }

    /// Stop: abort any wait in flight and drop the operation (and the connection it holds).
    /// Returns what the stepper's `interrupted` asks to be awaited, if anything.
    fn cancel(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        if let Some(pending) = lock(&self.pending).take() {
            pending.get().cancel();
        }
        let stepper = lock(&self.stepper).take();
        stepper.and_then(|mut s| s.interrupted(py))
    }
}

struct Ready(Option<Py<PyAny>>);

impl Stepper for Ready {
    fn step(&mut self, py: Python<'_>) -> PyResult<Step<Py<PyAny>>> {
        Ok(Step::Ready(self.0.take().unwrap_or_else(|| py.None())))
    }
}

/// A coroutine that returns `value` (for async methods with nothing to wait for).
pub fn ready(py: Python<'_>, value: Py<PyAny>) -> PyResult<Py<PyAny>> {
    Steps::coroutine(py, Box::new(Ready(Some(value))))
}

struct Failed(Option<PyErr>);

impl Stepper for Failed {
    fn step(&mut self, _py: Python<'_>) -> PyResult<Step<Py<PyAny>>> {
        Err(self
            .0
            .take()
            .unwrap_or_else(|| crate::errors::internal("a failed coroutine was stepped twice")))
    }
}

/// A coroutine that raises `err` when awaited: the errors of an async method's arguments
/// surface at `await`, as those of an `async def` do (httpx's `AsyncClient.get`).
pub fn failed(py: Python<'_>, err: PyErr) -> PyResult<Py<PyAny>> {
    Steps::coroutine(py, Box::new(Failed(Some(err))))
}

/// Awaits a Python awaitable, then gives None (or what it raised).
struct Discarding {
    awaitable: Option<Py<PyAny>>,
    outcome: Option<PyResult<Py<PyAny>>>,
}

impl Stepper for Discarding {
    fn step(&mut self, py: Python<'_>) -> PyResult<Step<Py<PyAny>>> {
        if let Some(awaitable) = self.awaitable.take() {
            return Ok(Step::Await(awaitable));
        }
        match self.outcome.take() {
            Some(Err(e)) => Err(e),
            _ => Ok(Step::Ready(py.None())),
        }
    }

    fn resume(&mut self, _py: Python<'_>, outcome: PyResult<Py<PyAny>>) {
        self.outcome = Some(outcome);
    }
}

/// A coroutine that awaits `awaitable` and returns None: a user's `aclose()` awaited by
/// `Response.aclose()` or `__aexit__` (whose value must not suppress an exception).
pub fn awaiting_none(py: Python<'_>, awaitable: Py<PyAny>) -> PyResult<Py<PyAny>> {
    Steps::coroutine(
        py,
        Box::new(Discarding {
            awaitable: Some(awaitable),
            outcome: None,
        }),
    )
}
