//! `multipart/form-data` bodies (RFC 7578) from httpx's `data=` and `files=` arguments.

use super::form::form_pairs;
use crate::models::headers::HeaderList;
use crate::python_glue::type_name;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};

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

/// The bytes of a file-like or content value in `files=`.
pub(crate) fn file_content(value: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_str()?.as_bytes().to_vec());
    }
    let py = value.py();
    let text_io = py.import("io")?.getattr("TextIOBase")?;
    if value.is_instance(&text_io)? {
        return Err(PyTypeError::new_err(
            "Multipart file uploads must be opened in binary mode, not text mode.",
        ));
    }
    if value.hasattr("read")? {
        let data = value.call_method0("read")?;
        if let Ok(b) = data.cast::<PyBytes>() {
            return Ok(b.as_bytes().to_vec());
        }
        if let Ok(s) = data.cast::<PyString>() {
            return Ok(s.to_str()?.as_bytes().to_vec());
        }
    }
    let mut out = Vec::new();
    for chunk in value.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "Invalid type for a file in 'files': expected bytes, str or a file object, got {}",
            type_name(value)
        ))
    })? {
        let chunk = chunk?;
        out.extend_from_slice(chunk.cast::<PyBytes>()?.as_bytes());
    }
    Ok(out)
}

/// The body and its Content-Type (with the boundary).
pub(crate) fn multipart_body(
    py: Python<'_>,
    data: Option<&Bound<'_, PyAny>>,
    files: &Bound<'_, PyAny>,
    boundary: Option<String>,
) -> PyResult<(Vec<u8>, String)> {
    let boundary = boundary.unwrap_or_else(|| {
        (0..16)
            .map(|_| format!("{:02x}", fastrand::u8(..)))
            .collect()
    });
    let mut body: Vec<u8> = Vec::new();
    if let Some(data) = data.filter(|d| !d.is_none()) {
        for (name, value) in form_pairs(data)? {
            let bytes = if let Ok(b) = value.cast::<PyBytes>() {
                b.as_bytes().to_vec()
            } else {
                crate::models::params::primitive_to_string(&value, "data")?.into_bytes()
            };
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
            if h.lower != "content-type" && h.lower != "content-disposition" {
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
        body.extend_from_slice(&file_content(&content)?);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    Ok((body, content_type))
}
