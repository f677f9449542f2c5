//! What `ClientCore::build_request` keeps from one request to the next, so that a loop of
//! `client.get(url)` does not redo the same work each time: the last URL string with its
//! parsed and `base_url`-merged `URL` (a parse is ~6k instructions of a ~100k sequential
//! GET), and the `extensions["timeout"]` dict of the client's timeout, built once and copied
//! for each request (each request still gets a dict of its own, which a hook may change).
//!
//! Both are pure functions of what they are keyed by (the string and the very `base_url`
//! value; the `Timeout`'s values), so a hit gives what building it again would give. Only
//! successes are kept: an invalid URL raises each time, as before.

use crate::models::config::PyTimeout;
use crate::models::url::PyURL;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::{Mutex, PoisonError};

#[derive(Default)]
pub struct BuildCache {
    url: Mutex<Option<ParsedUrl>>,
    timeout: Mutex<Option<(PyTimeout, Py<PyDict>)>>,
}

struct ParsedUrl {
    given: String,
    base: PyURL,
    merged: PyURL,
}

impl BuildCache {
    /// `given` parsed and merged with `base` (httpx `_merge_url`); InvalidURL as `URL(given)`.
    pub fn url(&self, given: &str, base: &PyURL) -> PyResult<PyURL> {
        {
            let last = self.url.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(last) = last.as_ref() {
                if last.given == given && last.base.is_same(base) {
                    return Ok(last.merged.clone());
                }
            }
        }
        let merged = PyURL::merge_with_base(base, &PyURL::parse(given)?);
        *self.url.lock().unwrap_or_else(PoisonError::into_inner) = Some(ParsedUrl {
            given: given.to_owned(),
            base: base.clone(),
            merged: merged.clone(),
        });
        Ok(merged)
    }

    /// A new `{"connect": ..., "read": ..., "write": ..., "pool": ...}` for `timeout`: a copy
    /// of the one kept for it (the same keys and value objects as `Timeout.as_dict()`).
    pub fn timeout_dict<'py>(
        &self,
        py: Python<'py>,
        timeout: &PyTimeout,
    ) -> PyResult<Bound<'py, PyDict>> {
        let kept = {
            let kept = self.timeout.lock().unwrap_or_else(PoisonError::into_inner);
            kept.as_ref()
                .filter(|(t, _)| same_timeout(t, timeout))
                .map(|(_, d)| d.clone_ref(py))
        };
        let template = match kept {
            Some(d) => d.into_bound(py),
            None => {
                let d = timeout.as_dict(py)?;
                let old = self
                    .timeout
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .replace((*timeout, d.clone().unbind()));
                // Released after the lock (no Rust lock held while Python frees objects).
                drop(old);
                d
            }
        };
        template.copy()
    }
}

/// The same values, bit for bit (`-0.0` is not `0.0` here: the dict would show it), given as
/// the same types.
fn same_timeout(a: &PyTimeout, b: &PyTimeout) -> bool {
    let bits = |t: &PyTimeout| t.values().map(|v| v.map(f64::to_bits));
    a.int_mask == b.int_mask && bits(a) == bits(b)
}
