//! Where a body read whole is gathered (`.content`): straight into the `bytes` object it will
//! be, made at the size the response's `Content-Length` announces, or into a `Vec` that grows
//! as chunks come (a body of unknown or small size, or one to decode). Gathered in a `Vec`
//! and then copied into a `bytes`, a 100 MiB body needed ~2.6× its size at the peak (the
//! `Vec` doubling, then the copy beside it) and touched twice as many fresh pages; read
//! into its `bytes` object, it is copied once, out of hyper's buffer, and needs its size.

use crate::codecs::content::ContentDecoder;
use crate::models::headers::HeaderList;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::ptr::NonNull;

/// From this size up, a body of known length is gathered in its `bytes` object; below it,
/// the copy out of a `Vec` costs less than the extra step of making the object first.
pub const SIZED_FROM: u64 = 256 * 1024;

/// The announced length of a body gathered in its `bytes` object: a `Content-Length` of at least
/// `SIZED_FROM` (hyper tells 0 for the body a HEAD, 204 or 304 cannot have, and nothing
/// for a chunked or close-delimited one), nothing to decode (the decoded size is not known),
/// and within `max_size` (a body announced past it goes the usual way, and is refused as it
/// arrives).
pub fn sized_length(
    resp: &reqwest::Response,
    headers: &HeaderList,
    max_size: Option<usize>,
) -> Option<u64> {
    let len = resp.content_length().filter(|&n| n >= SIZED_FROM)?;
    if max_size.is_some_and(|max| len > max as u64) {
        return None;
    }
    if headers.contains("content-encoding") && !ContentDecoder::for_headers(headers).is_identity() {
        return None;
    }
    Some(len)
}

/// A `bytes` object made at its final size and not yet seen by Python, and how much of it
/// has been written.
pub struct BytesTarget {
    object: Py<PyBytes>,
    data: NonNull<u8>,
    len: usize,
    filled: usize,
}

// SAFETY: `data` points into `object`'s own buffer, which CPython never moves or frees while
// `object` lives, and `object` is reachable only through this value (made here, its one
// reference held here, handed to Python only by `BodyBuffer::into_bytes`): nothing else
// reads or writes the buffer, so it may be written from any thread, without the GIL; a
// shared reference only reads what was written (`written`), as any `&[u8]`.
unsafe impl Send for BytesTarget {}
unsafe impl Sync for BytesTarget {}

impl BytesTarget {
    /// A `bytes` object of `len` bytes, not initialised (`PyBytes_FromStringAndSize(NULL,
    /// n)`, which the limited API allows: the contents are to be filled in). None when
    /// Python cannot make it (MemoryError).
    fn new(py: Python<'_>, len: usize) -> Option<Self> {
        let size = pyo3::ffi::Py_ssize_t::try_from(len).ok()?;
        // SAFETY: a NULL source with a size asks CPython for an uninitialised object.
        let raw = unsafe { pyo3::ffi::PyBytes_FromStringAndSize(std::ptr::null(), size) };
        // SAFETY: `raw` is a new reference or NULL with an exception set.
        let object = unsafe { Bound::from_owned_ptr_or_err(py, raw) }.ok()?;
        // SAFETY: `raw` is a bytes object (just made); its buffer holds `len` bytes and a NUL.
        let data = NonNull::new(unsafe { pyo3::ffi::PyBytes_AsString(raw) }.cast::<u8>())?;
        prefer_huge_pages(data, len);
        Some(BytesTarget {
            // SAFETY: made by PyBytes_FromStringAndSize.
            object: unsafe { object.cast_into_unchecked::<PyBytes>() }.unbind(),
            data,
            len,
            filled: 0,
        })
    }

    /// Append `chunk`; false (nothing written) when it does not fit.
    fn push(&mut self, chunk: &[u8]) -> bool {
        if chunk.len() > self.len - self.filled {
            return false;
        }
        // SAFETY: in bounds (checked above); the buffer is this value's alone (see `Send`).
        unsafe {
            std::ptr::copy_nonoverlapping(
                chunk.as_ptr(),
                self.data.as_ptr().add(self.filled),
                chunk.len(),
            );
        }
        self.filled += chunk.len();
        true
    }

    fn written(&self) -> &[u8] {
        // SAFETY: the first `filled` bytes were written by `push`.
        unsafe { std::slice::from_raw_parts(self.data.as_ptr(), self.filled) }
    }
}

/// Ask Linux to back the pages of a large buffer with transparent huge pages (where the
/// system leaves it to `madvise`, as most do). The buffer is fresh memory that the body is
/// about to fill: in 4 KiB pages, a 100 MiB body took 25,600 page faults, which cost more than
/// reading the body (perf: half the CPU of `client.get(url).content` in the kernel's fault
/// path); in 2 MiB pages it takes 50. Only whole pages inside the buffer are advised; the
/// advice changes how memory is backed, never its contents, and its failure changes nothing.
#[cfg(target_os = "linux")]
fn prefer_huge_pages(data: NonNull<u8>, len: usize) {
    const HUGE: usize = 2 << 20;
    const PAGE: usize = 4096;
    if len < 2 * HUGE {
        return;
    }
    let start = (data.as_ptr() as usize).next_multiple_of(PAGE);
    let end = (data.as_ptr() as usize + len) & !(PAGE - 1);
    // SAFETY: [start, end) lies inside the buffer; MADV_HUGEPAGE keeps the contents.
    unsafe {
        libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn prefer_huge_pages(_data: NonNull<u8>, _len: usize) {}

/// A body being gathered whole.
pub enum BodyBuffer {
    /// Its `bytes` object, made at the announced size.
    Sized(BytesTarget),
    /// A `Vec` (the size unknown or small; or no object could be made; or the body turned
    /// out longer than announced, which hyper and h2 refuse, but nothing here relies on it).
    Growing(Vec<u8>),
}

impl Default for BodyBuffer {
    fn default() -> Self {
        BodyBuffer::Growing(Vec::new())
    }
}

impl BodyBuffer {
    /// A buffer for a body announced at `len` bytes (`sized_length`): its `bytes` object, or
    /// a `Vec` if Python cannot make it.
    pub fn for_length(py: Python<'_>, len: u64) -> Self {
        match usize::try_from(len)
            .ok()
            .and_then(|n| BytesTarget::new(py, n))
        {
            Some(target) => BodyBuffer::Sized(target),
            // The MemoryError is dropped: the body is gathered as it comes instead.
            None => BodyBuffer::default(),
        }
    }

    /// The bytes gathered so far.
    pub fn len(&self) -> usize {
        match self {
            BodyBuffer::Sized(target) => target.filled,
            BodyBuffer::Growing(body) => body.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn push(&mut self, chunk: &[u8]) {
        match self {
            BodyBuffer::Sized(target) => {
                if !target.push(chunk) {
                    let mut body = Vec::with_capacity(target.filled + chunk.len());
                    body.extend_from_slice(target.written());
                    body.extend_from_slice(chunk);
                    *self = BodyBuffer::Growing(body);
                }
            }
            BodyBuffer::Growing(body) => body.extend_from_slice(chunk),
        }
    }

    /// The body as a `bytes` object (the one it was read into when it was as long as
    /// announced).
    pub fn into_bytes(self, py: Python<'_>) -> Py<PyBytes> {
        match self {
            BodyBuffer::Sized(target) if target.filled == target.len => target.object,
            // Shorter than announced (hyper reports that as an error first): what came.
            BodyBuffer::Sized(target) => PyBytes::new(py, target.written()).unbind(),
            BodyBuffer::Growing(body) => PyBytes::new(py, &body).unbind(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_python(f: impl FnOnce(Python<'_>)) {
        Python::initialize();
        Python::attach(f);
    }

    fn gathered(py: Python<'_>, announced: u64, pieces: &[&[u8]]) -> Vec<u8> {
        let mut buffer = BodyBuffer::for_length(py, announced);
        assert!(matches!(buffer, BodyBuffer::Sized(_)));
        for piece in pieces {
            buffer.push(piece);
        }
        let bytes = buffer.into_bytes(py);
        bytes.bind(py).as_bytes().to_vec()
    }

    #[test]
    fn a_body_as_long_as_announced_fills_its_object() {
        with_python(|py| {
            let body: Vec<u8> = (0..SIZED_FROM as usize).map(|i| i as u8).collect();
            let (a, b) = body.split_at(1000);
            assert_eq!(gathered(py, SIZED_FROM, &[a, b]), body);
        });
    }

    #[test]
    fn a_body_longer_or_shorter_than_announced_keeps_every_byte_that_came() {
        with_python(|py| {
            let body = vec![7u8; SIZED_FROM as usize + 10];
            let (a, b) = body.split_at(SIZED_FROM as usize - 5);
            assert_eq!(gathered(py, SIZED_FROM, &[a, b]), body);
            assert_eq!(gathered(py, SIZED_FROM, &[a]), a);
            assert_eq!(gathered(py, SIZED_FROM, &[]), b"");
        });
    }
}
