//! `multipart/form-data` bodies (RFC 7578) from httpx's `data=` and `files=` arguments.

use super::form::form_pairs;
use crate::models::headers::HeaderList;
use crate::python_glue::{invalid_field_type, type_name};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyInt, PyString, PyTuple};

/// RFC 7578 / HTML5 escaping of a name or filename inside `Content-Disposition`.
pub(crate) fn form_param(name: &str, value: &str) -> String {
    let mut out = String::with_capacity(value.len() + name.len() + 4);
    out.push_str(name);
    out.push_str("=\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("%22"),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 && c != '\x1b' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// httpx's `FileField` reads a file in pieces of this size.
const CHUNK_SIZE: usize = 64 * 1024;

/// Chunk text as httpx's `to_bytes` makes it: str as UTF-8, bytes as they are.
fn chunk_bytes(chunk: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(s) = chunk.cast::<PyString>() {
        return Ok(s.to_str()?.as_bytes().to_vec());
    }
    Ok(chunk.cast::<PyBytes>()?.as_bytes().to_vec())
}

/// The bytes of a file-like or content value in `files=`, and whether its length could be
/// known before reading it (httpx's `peek_filelike_length`): a body with a file of unknown
/// length goes out chunked, as in httpx.
pub(crate) fn file_content(value: &Bound<'_, PyAny>) -> PyResult<(Vec<u8>, bool)> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok((b.as_bytes().to_vec(), true));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok((s.to_str()?.as_bytes().to_vec(), true));
    }
    let py = value.py();
    let io = py.import("io")?;
    if value.is_instance(&io.getattr("TextIOBase")?)? {
        return Err(PyTypeError::new_err(
            "Multipart file uploads must be opened in binary mode, not text mode.",
        ));
    }
    if value.hasattr("read")? {
        let known = !py
            .import("httprs._transports")?
            .getattr("peek_filelike_length")?
            .call1((value,))?
            .is_none();
        // As httpx's `FileField`: from the start, so that a file sent before (or just
        // written) is sent whole; a stream that cannot seek is read from where it is.
        if value.hasattr("seek")? {
            if let Err(e) = value.call_method1("seek", (0,)) {
                if !e.is_instance(py, &io.getattr("UnsupportedOperation")?) {
                    return Err(e);
                }
            }
        }
        let mut out = Vec::new();
        loop {
            let chunk = value.call_method1("read", (CHUNK_SIZE,))?;
            if !chunk.is_truthy()? {
                return Ok((out, known));
            }
            out.extend_from_slice(&chunk_bytes(&chunk)?);
        }
    }
    let mut out = Vec::new();
    for chunk in value.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "Invalid type for a file in 'files': expected bytes, str or a file object, got {}",
            type_name(value)
        ))
    })? {
        out.extend_from_slice(chunk?.cast::<PyBytes>()?.as_bytes());
    }
    Ok((out, false))
}

/// A `data=` field of a multipart body, checked as httpx's `DataField` checks it (the name a
/// str; the value None, str, bytes, int or float), which is stricter than a urlencoded body.
fn data_field(name: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<(String, Vec<u8>)> {
    let name = name
        .cast::<PyString>()
        .map_err(|_| invalid_field_type("name", "str", name))?
        .to_str()?
        .to_owned();
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok((name, b.as_bytes().to_vec()));
    }
    let primitive = value.is_none()
        || value.is_instance_of::<PyString>()
        || value.is_instance_of::<PyInt>()
        || value.is_instance_of::<PyFloat>();
    if !primitive {
        return Err(invalid_field_type("value", "primitive type", value));
    }
    let text = crate::models::params::primitive_to_string(value, "value")?;
    Ok((name, text.into_bytes()))
}

/// A multipart body, its Content-Type (with the boundary), and whether its length was known
/// before its files were read.
pub(crate) struct Multipart {
    pub body: Vec<u8>,
    pub content_type: String,
    pub length_known: bool,
}

/// The multipart body of `data=` and `files=`.
pub(crate) fn multipart_body(
    py: Python<'_>,
    data: Option<&Bound<'_, PyAny>>,
    files: &Bound<'_, PyAny>,
    boundary: Option<String>,
) -> PyResult<Multipart> {
    let boundary = boundary.unwrap_or_else(|| {
        (0..16)
            .map(|_| format!("{:02x}", fastrand::u8(..)))
            .collect()
    });
    let mut body: Vec<u8> = Vec::new();
    let mut length_known = true;
    if let Some(data) = data.filter(|d| !d.is_none()) {
        for (name, value) in form_pairs(data)? {
            let (name, bytes) = data_field(&name, &value)?;
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; {}\r\n\r\n",
                    form_param("name", &name)
                )
                .as_bytes(),
            );
            body.extend_from_slice(&bytes);
            body.extend_from_slice(b"\r\n");
        }
    }
    let items: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = if let Ok(d) = files.cast::<PyDict>() {
        d.iter().collect()
    } else {
        files
            .try_iter()
            .map_err(|_| {
                PyTypeError::new_err(
                    "Invalid type for 'files': expected a dict or a list of (name, file) pairs",
                )
            })?
            .map(|item| item.and_then(|i| i.extract()))
            .collect::<PyResult<_>>()?
    };
    for (name, spec) in items {
        let name: String = name.extract()?;
        let (filename, content, content_type, extra_headers): (
            Option<String>,
            Bound<'_, PyAny>,
            Option<String>,
            HeaderList,
        ) = if let Ok(t) = spec.cast::<PyTuple>() {
            let filename: Option<String> = t.get_item(0)?.extract()?;
            let content = t.get_item(1)?;
            let content_type: Option<String> = match t.get_item(2) {
                Ok(ct) => ct.extract()?,
                Err(_) => None,
            };
            let headers = match t.get_item(3) {
                Ok(h) => HeaderList::from_py(Some(&h), "files headers")?,
                Err(_) => HeaderList::new(),
            };
            (filename, content, content_type, headers)
        } else {
            let filename = match spec.getattr("name") {
                Ok(n) => n
                    .str()?
                    .to_str()?
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or("upload")
                    .to_owned(),
                Err(_) => "upload".to_owned(),
            };
            (Some(filename), spec.clone(), None, HeaderList::new())
        };
        let content_type = match (content_type, &filename) {
            (Some(ct), _) => Some(ct),
            (None, Some(f)) => Some(
                crate::python_glue::guess_content_type(py, f)?
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
            ),
            (None, None) => None,
        };
        let mut disposition = format!(
            "Content-Disposition: form-data; {}",
            form_param("name", &name)
        );
        if let Some(f) = &filename {
            disposition.push_str("; ");
            disposition.push_str(&form_param("filename", f));
        }
        body.extend_from_slice(format!("--{boundary}\r\n{disposition}\r\n").as_bytes());
        for h in &extra_headers.items {
            if !h.is("content-type") && !h.is("content-disposition") {
                body.extend_from_slice(format!("{}: {}\r\n", h.raw, h.value).as_bytes());
            }
        }
        let content_type = extra_headers
            .get_first("content-type")
            .map(str::to_owned)
            .or(content_type);
        if let Some(ct) = content_type {
            body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        let (content, known) = file_content(&content)?;
        length_known &= known;
        body.extend_from_slice(&content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok(Multipart {
        body,
        content_type: format!("multipart/form-data; boundary={boundary}"),
        length_known,
    })
}
