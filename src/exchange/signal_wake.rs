//! Ctrl-C wakes a sync wait at once.
//!
//! Python runs a signal's handler (`KeyboardInterrupt` for Ctrl-C, or the user's) on its main
//! thread only, when that thread next runs bytecode or calls `PyErr_CheckSignals`. A sync call
//! waits in Rust with the GIL released, so its wait must wake for the signal: the slices of
//! `runtime.rs` bound that to 50 ms (a median of 25-40 ms; httpx, waiting in a system call
//! that the signal interrupts, reacts in under 1 ms). Here the main thread's wait is woken
//! the moment the signal arrives:
//!
//! - while the main thread waits, a handler of ours stands in front of Python's own for each
//!   of `SIGNALS` that has one; it calls the handler it replaced (Python's: it marks the
//!   signal for `PyErr_CheckSignals` and writes to the wakeup fd, as always), then writes a
//!   byte to a socket pair whose reading end the sync runtime watches ([`WakeSocket`]);
//! - the wait, racing its future against that socket, returns, takes the GIL and runs
//!   `PyErr_CheckSignals` on the main thread, as at the end of a slice;
//! - when the wait ends, the replaced handler is put back exactly (handler, flags, mask),
//!   unless someone replaced ours meanwhile (a Python handler calling `signal.signal()`):
//!   then theirs stays.
//!
//! Why not `signal.set_wakeup_fd`, made for this: a process has one wakeup fd, which asyncio
//! (`loop.add_signal_handler`), trio (for a whole `trio.run`) or the user may hold, and
//! Python has no way to read it without replacing it, nor to read its `warn_on_full_buffer`
//! flag (trio sets it off): a library that lends itself the fd cannot give it back exactly.
//! Standing in front of the handler leaves every piece of Python's signal state alone: the
//! wakeup fd, `signal.getsignal()`, the handlers, which still run on the main thread.
//!
//! What is left to the slices: a wait off the main thread (Python runs no handler there: the
//! main thread sees the signal itself, as with httpx); a signal outside `SIGNALS`, a signal
//! whose disposition is not a handler (the default, `SIG_IGN`), and
//! `_thread.interrupt_main()` (no signal is sent). The first `QUICK` of each wait is also
//! left to them: most waits are over before it ends, and then cost no system call here.

use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::time::Duration;

use libc::c_int;
use pyo3::prelude::*;

/// How long a main-thread wait runs before our handlers are put in front (during it, signals
/// are seen when it ends): a request to a nearby server is over by then, and pays nothing.
pub const QUICK: Duration = Duration::from_millis(2);

/// The signals that wake the main thread's wait: Ctrl-C, and those Python programs give a
/// handler that raises (termination, hang-up, `signal.alarm`, the user signals).
const SIGNALS: [c_int; 6] = [
    libc::SIGINT,
    libc::SIGTERM,
    libc::SIGHUP,
    libc::SIGALRM,
    libc::SIGUSR1,
    libc::SIGUSR2,
];

/// Per signal of `SIGNALS`: the handler ours stands in front of (`sa_sigaction`), and its
/// flags (`SA_SIGINFO` says how to call it). Atomics: the handler reads them on any thread.
static PREVIOUS: [AtomicUsize; SIGNALS.len()] = [const { AtomicUsize::new(0) }; SIGNALS.len()];
static PREVIOUS_FLAGS: [AtomicI32; SIGNALS.len()] = [const { AtomicI32::new(0) }; SIGNALS.len()];

/// Where our handler writes: the sync runtime's [`WakeSocket`] (-1: nowhere).
static WAKE_FD: AtomicI32 = AtomicI32::new(-1);

/// The `pthread_t` of Python's main thread, the only one that runs signal handlers.
static MAIN_THREAD: AtomicUsize = AtomicUsize::new(0);

/// Remember Python's main thread (`threading.main_thread()`), when the module is imported.
/// `threading` takes for the main thread the one that imports it first: when nothing has
/// imported it yet, that is this thread, which is taken without importing it (with
/// `functools` and `collections`, it would cost a cold start milliseconds).
pub fn note_main_thread(py: Python<'_>) -> PyResult<()> {
    let modules = py.import("sys")?.getattr("modules")?;
    let threading = modules
        .cast::<pyo3::types::PyDict>()?
        .get_item("threading")?;
    let ident: usize = match threading {
        Some(threading) => threading
            .call_method0("main_thread")?
            .getattr("ident")?
            .extract()?,
        None => current_thread(),
    };
    MAIN_THREAD.store(ident, Ordering::Release);
    Ok(())
}

/// Is this Python's main thread? (CPython's thread ident is the `pthread_t`.)
pub fn on_main_thread() -> bool {
    MAIN_THREAD.load(Ordering::Acquire) == current_thread()
}

fn current_thread() -> usize {
    // SAFETY: pthread_self has no preconditions.
    unsafe { libc::pthread_self() as usize }
}

/// In the child of `os.fork()`: the forking thread is the child's main thread (Python makes it
/// so); the parent's wake socket is not ours to write to; and a handler of ours inherited from
/// a wait of the parent's main thread (which does not exist here) gives way to the one it
/// stood in front of.
pub fn after_fork_in_child() {
    MAIN_THREAD.store(current_thread(), Ordering::Release);
    WAKE_FD.store(-1, Ordering::Release);
    for index in 0..SIGNALS.len() {
        stand_aside(index);
    }
}

/// A socket pair: our handler writes to one end, the sync runtime watches the other.
pub struct WakeSocket {
    reader: tokio::net::UnixStream,
    writer: UnixStream,
}

impl WakeSocket {
    /// Call within the runtime's context: its reactor watches the reading end.
    pub fn new() -> std::io::Result<Self> {
        let (reader, writer) = UnixStream::pair()?;
        reader.set_nonblocking(true)?;
        // The handler must never block: a full socket means a wake-up is pending already.
        writer.set_nonblocking(true)?;
        Ok(WakeSocket {
            reader: tokio::net::UnixStream::from_std(reader)?,
            writer,
        })
    }

    /// Put our handler in front of each of `SIGNALS` that has one, until the guard is dropped.
    /// Call on the main thread, then `PyErr_CheckSignals`: a signal that came before is
    /// seen there, one after wakes `signalled`.
    pub fn arm(&self) -> Armed {
        WAKE_FD.store(self.writer.as_raw_fd(), Ordering::Release);
        let mut fronted = 0u32;
        for index in 0..SIGNALS.len() {
            if stand_in_front(index) {
                fronted |= 1 << index;
            }
        }
        // What was written before is stale: the check that follows sees those signals.
        drain(self.reader.as_raw_fd());
        Armed { fronted }
    }

    /// Ready once our handler has run (the socket is drained on the way).
    pub async fn signalled(&self) {
        loop {
            if self.reader.readable().await.is_err() {
                return std::future::pending().await;
            }
            let fd = self.reader.as_raw_fd();
            let read = self.reader.try_io(tokio::io::Interest::READABLE, || {
                if drain(fd) {
                    Ok(())
                } else {
                    Err(std::io::ErrorKind::WouldBlock.into())
                }
            });
            if read.is_ok() {
                return;
            }
        }
    }
}

/// Our handlers in front of Python's, for as long as this lives.
pub struct Armed {
    /// Bit `i`: this guard put our handler in front of `SIGNALS[i]` (a nested wait, from a
    /// signal handler, finds ours there already and leaves it to the outer one).
    fronted: u32,
}

impl Drop for Armed {
    fn drop(&mut self) {
        for index in 0..SIGNALS.len() {
            if self.fronted & (1 << index) != 0 {
                stand_aside(index);
            }
        }
    }
}

/// Read all that is in the socket; true if anything was.
fn drain(fd: RawFd) -> bool {
    let mut buffer = [0u8; 64];
    let mut any = false;
    loop {
        // SAFETY: a read into a buffer of the size given, on a non-blocking socket.
        let n = unsafe { libc::read(fd, buffer.as_mut_ptr().cast(), buffer.len()) };
        if n <= 0 {
            return any;
        }
        any = true;
    }
}

/// The current disposition of `signal`.
fn disposition(signal: c_int) -> Option<libc::sigaction> {
    // SAFETY: sigaction only reads the signal number and fills the struct it is given.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        (libc::sigaction(signal, std::ptr::null(), &mut current) == 0).then_some(current)
    }
}

fn ours() -> usize {
    on_signal as *const () as usize
}

/// Put our handler in front of the one `SIGNALS[index]` has; false if it has none (the
/// default, ignored) or ours is there already.
fn stand_in_front(index: usize) -> bool {
    let signal = SIGNALS[index];
    let Some(current) = disposition(signal) else {
        return false;
    };
    let handler = current.sa_sigaction;
    if handler == libc::SIG_DFL || handler == libc::SIG_IGN || handler == ours() {
        return false;
    }
    PREVIOUS[index].store(handler, Ordering::Release);
    PREVIOUS_FLAGS[index].store(current.sa_flags, Ordering::Release);
    // The same mask and flags (SA_ONSTACK, no SA_RESTART for Python's): the system calls a
    // signal interrupts behave as before.
    let mut front = current;
    front.sa_sigaction = ours();
    front.sa_flags = current.sa_flags | libc::SA_SIGINFO;
    // SAFETY: installs a handler that only calls the previous one and write(2).
    unsafe { libc::sigaction(signal, &front, std::ptr::null_mut()) == 0 }
}

/// Put back the handler ours stood in front of, if ours is still there.
fn stand_aside(index: usize) {
    let signal = SIGNALS[index];
    let Some(current) = disposition(signal) else {
        return;
    };
    if current.sa_sigaction != ours() {
        return;
    }
    let mut previous = current;
    previous.sa_sigaction = PREVIOUS[index].load(Ordering::Acquire);
    previous.sa_flags = PREVIOUS_FLAGS[index].load(Ordering::Acquire);
    // SAFETY: reinstalls the disposition that was there before ours.
    unsafe {
        libc::sigaction(signal, &previous, std::ptr::null_mut());
    }
}

/// Our handler: the one it stands in front of, then a byte to the wake socket. Runs in
/// signal context, on any thread: atomics, the previous handler and write(2) only.
extern "C" fn on_signal(signal: c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    // SAFETY: errno is this thread's; the write below may change it under the code we
    // interrupted.
    let saved_errno = unsafe { *errno() };
    if let Some(index) = SIGNALS.iter().position(|&s| s == signal) {
        let previous = PREVIOUS[index].load(Ordering::Acquire);
        if previous != libc::SIG_DFL && previous != libc::SIG_IGN {
            // SAFETY: `previous` is the handler the kernel would have called, called as it
            // would have been (its SA_SIGINFO flag says which signature it has).
            unsafe {
                if PREVIOUS_FLAGS[index].load(Ordering::Acquire) & libc::SA_SIGINFO != 0 {
                    type Action = extern "C" fn(c_int, *mut libc::siginfo_t, *mut libc::c_void);
                    std::mem::transmute::<usize, Action>(previous)(signal, info, context);
                } else {
                    type Handler = extern "C" fn(c_int);
                    std::mem::transmute::<usize, Handler>(previous)(signal);
                }
            }
        }
    }
    let fd = WAKE_FD.load(Ordering::Acquire);
    if fd >= 0 {
        // SAFETY: write(2) is async-signal-safe; a full socket (EAGAIN) means a wake-up is
        // pending already.
        unsafe {
            libc::write(fd, [1u8].as_ptr().cast(), 1);
        }
    }
    // SAFETY: as above.
    unsafe { *errno() = saved_errno };
}

#[cfg(any(target_os = "linux", target_os = "android"))]
unsafe fn errno() -> *mut c_int {
    libc::__errno_location()
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
unsafe fn errno() -> *mut c_int {
    libc::__error()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    static USR2_SEEN: AtomicBool = AtomicBool::new(false);

    /// The tests change the process's signal dispositions: one at a time.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn serial() -> std::sync::MutexGuard<'static, ()> {
        SERIAL.lock().unwrap_or_else(|e| e.into_inner())
    }

    extern "C" fn other_handler(_: c_int) {}

    fn install(signal: c_int, handler: extern "C" fn(c_int)) {
        // SAFETY: test handlers that only store to an atomic, or nothing.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = handler as *const () as usize;
            action.sa_flags = libc::SA_ONSTACK;
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }

    /// A runtime, its wake socket, and SIGUSR2 handled by `plain_handler`.
    fn runtime_socket_and_handler() -> (tokio::runtime::Runtime, WakeSocket) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let socket = {
            let _context = rt.enter();
            WakeSocket::new().unwrap()
        };
        install(libc::SIGUSR2, plain_handler);
        (rt, socket)
    }

    extern "C" fn plain_handler(_: c_int) {
        USR2_SEEN.store(true, Ordering::SeqCst);
    }

    fn handler_of(signal: c_int) -> usize {
        disposition(signal).unwrap().sa_sigaction
    }

    #[test]
    fn stands_in_front_calls_the_handler_it_replaced_wakes_and_restores_it() {
        let _serial = serial();
        let (rt, socket) = runtime_socket_and_handler();
        let before = disposition(libc::SIGUSR2).unwrap();
        let armed = socket.arm();
        assert_eq!(handler_of(libc::SIGUSR2), ours());
        // A second guard (a nested wait) leaves ours to the first.
        drop(socket.arm());
        assert_eq!(handler_of(libc::SIGUSR2), ours());

        // SAFETY: raise delivers to this thread, which runs the handlers.
        unsafe { libc::raise(libc::SIGUSR2) };
        assert!(USR2_SEEN.load(Ordering::SeqCst), "the replaced handler ran");
        let woke = rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(5), socket.signalled()).await
        });
        assert!(woke.is_ok(), "the wait was woken");

        drop(armed);
        let after = disposition(libc::SIGUSR2).unwrap();
        assert_eq!(after.sa_sigaction, before.sa_sigaction);
        assert_eq!(after.sa_flags, before.sa_flags);
        // Nothing left to read: the next wait is not woken by this signal.
        assert!(!drain(socket.reader.as_raw_fd()));
    }

    #[test]
    fn a_handler_installed_over_ours_stays() {
        let _serial = serial();
        let (_rt, socket) = runtime_socket_and_handler();
        let armed = socket.arm();
        // What `signal.signal()` in a Python handler does while the wait is armed.
        install(libc::SIGUSR2, other_handler);
        drop(armed);
        assert_eq!(
            handler_of(libc::SIGUSR2),
            other_handler as *const () as usize
        );
    }

    #[test]
    fn leaves_default_and_ignored_signals_alone() {
        let _serial = serial();
        // SIGHUP's default disposition kills the process: ours must not stand in front of it.
        let hup = handler_of(libc::SIGHUP);
        if hup == libc::SIG_DFL || hup == libc::SIG_IGN {
            let index = SIGNALS.iter().position(|&s| s == libc::SIGHUP).unwrap();
            assert!(!stand_in_front(index));
            assert_eq!(handler_of(libc::SIGHUP), hup);
        }
    }
}
