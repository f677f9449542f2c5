//! A large body of known length read straight into the `bytes` object that `.content` will
//! be (`models::response::BodyBuffer`). `fetch` stops at the head (`Fetched::Sized`); the
//! pipeline, which holds the GIL between waits, makes the object at the `Content-Length`
//! size and waits for `fill`, which copies the chunks in as they arrive, the GIL released.

use crate::codecs::content::check_size;
use crate::errors::HttpError;
use crate::models::response::BodyBuffer;
use crate::transport::fetch::{next_chunk, Fetched, Head};
use std::time::Duration;
use tokio::sync::OwnedSemaphorePermit;

/// A response whose body is to be read into a buffer made for `len` bytes.
pub struct Unread {
    pub head: Head,
    pub resp: reqwest::Response,
    pub permit: Option<OwnedSemaphorePermit>,
    pub len: u64,
    pub read_timeout: Option<Duration>,
    /// `max_response_size`, which `len` is within: checked again as bytes come, so that a
    /// body longer than announced is refused past it, whatever the layers below let through.
    pub max_size: Option<usize>,
}

/// Read the body of `unread` to its end into `buffer` (made by the caller, with the GIL),
/// as `Fetched::Full`. Each wait for bytes gets the full read budget; at the end the
/// connection goes back to the pool.
pub async fn fill(unread: Unread, mut buffer: BodyBuffer) -> Result<Fetched, HttpError> {
    let Unread {
        head,
        mut resp,
        permit,
        read_timeout,
        max_size,
        ..
    } = unread;
    while let Some(chunk) = next_chunk(&mut resp, read_timeout).await? {
        if let Some(max) = max_size {
            check_size(buffer.len() + chunk.len(), max)?;
        }
        buffer.push(&chunk);
    }
    crate::transport::pool::released(&resp);
    drop(resp);
    drop(permit);
    Ok(Fetched::Full {
        head,
        raw_len: buffer.len() as u64,
        body: buffer,
    })
}
