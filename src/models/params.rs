//! `QueryParams`: an immutable multi-dict of query parameters (httpx 0.28 semantics).
//!
//! Items are kept grouped by key in first-occurrence order (httpx stores a dict of
//! lists, so `"a=1&b=2&a=3"` iterates as `a=1, a=3, b=2`). Every accessor also groups
//! on the fly, so a `PyQueryParams` built directly from ungrouped `items` still
//! behaves like httpx.

use std::collections::HashMap;

use pyo3::exceptions::{PyKeyError, PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::codecs::percent::unquote;
use crate::python_glue::invalid_type;

/// The query parameters of a URL: an immutable multi-dict of `str` to `str`.
///
/// ```python
/// params = httprs.QueryParams({"a": "1", "b": ["2", "3"]})
/// params["a"], params.get_list("b"), str(params)  # "a=1&b=2&b=3"
/// ```
///
/// Built from a mapping (a list value gives several), a list of pairs, a query string or
/// keyword arguments. `set`, `add`, `remove` and `merge` return new instances.
#[pyclass(name = "QueryParams", module = "httprs", frozen)]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PyQueryParams {
    pub items: Vec<(String, String)>,
}

/// `urllib.parse.quote_plus(s, safe="")`: unreserved characters kept, space as '+',
/// everything else percent-encoded as UTF-8.
pub(crate) fn quote_plus(s: &str, out: &mut String) {
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => crate::models::url::push_pct(out, b),
        }
    }
}

/// `urlencode(pairs)`: `k=v&k=v` with `quote_plus` applied to keys and values.
pub fn urlencode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        quote_plus(k, &mut out);
        out.push('=');
        quote_plus(v, &mut out);
    }
    out
}

impl PyQueryParams {
    /// Build from pairs, grouping repeated keys at their first occurrence.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut q = PyQueryParams { items: pairs };
        q.regroup();
        q
    }

    fn is_grouped(&self) -> bool {
        let mut seen: HashMap<&str, ()> = HashMap::new();
        let mut prev: Option<&str> = None;
        for (k, _) in &self.items {
            if prev != Some(k.as_str()) {
                if seen.insert(k.as_str(), ()).is_some() {
                    return false;
                }
                prev = Some(k.as_str());
            }
        }
        true
    }

    fn regroup(&mut self) {
        if self.is_grouped() {
            return;
        }
        let items = std::mem::take(&mut self.items);
        self.items = group(items)
            .into_iter()
            .flat_map(|(k, vs)| vs.into_iter().map(move |v| (k.clone(), v)))
            .collect();
    }

    /// Keys (distinct, first-occurrence order) with all their values.
    pub fn groups(&self) -> Vec<(&str, Vec<&str>)> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
        for (k, v) in &self.items {
            match index.get(k.as_str()) {
                Some(&i) => {
                    if let Some(entry) = out.get_mut(i) {
                        entry.1.push(v.as_str());
                    }
                }
                None => {
                    index.insert(k.as_str(), out.len());
                    out.push((k.as_str(), vec![v.as_str()]));
                }
            }
        }
        out
    }

    /// All (key, value) pairs, grouped by key (httpx `multi_items()` order).
    pub fn multi_items(&self) -> Vec<(&str, &str)> {
        self.groups()
            .into_iter()
            .flat_map(|(k, vs)| vs.into_iter().map(move |v| (k, v)))
            .collect()
    }

    /// Parse a query string: '&'-separated, '+' as space, percent-decoding, blank
    /// values kept, empty fields skipped (`urllib.parse.parse_qsl(keep_blank_values=True)`).
    pub fn parse(query: &str) -> Self {
        let mut pairs = Vec::new();
        for field in query.split('&') {
            if field.is_empty() {
                continue;
            }
            let (k, v) = field.split_once('=').unwrap_or((field, ""));
            pairs.push((unquote(&k.replace('+', " ")), unquote(&v.replace('+', " "))));
        }
        Self::from_pairs(pairs)
    }

    /// urlencoded form (`str(params)`).
    pub fn encode(&self) -> String {
        urlencode(self.multi_items())
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Number of distinct keys.
    pub fn key_count(&self) -> usize {
        self.groups().len()
    }

    pub fn get_first(&self, key: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn get_all(&self, key: &str) -> Vec<&str> {
        self.items
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.items.iter().any(|(k, _)| k == key)
    }

    fn owned_groups(&self) -> Vec<(String, Vec<String>)> {
        group(self.items.clone())
    }

    fn from_groups(groups: Vec<(String, Vec<String>)>) -> Self {
        PyQueryParams {
            items: groups
                .into_iter()
                .flat_map(|(k, vs)| vs.into_iter().map(move |v| (k.clone(), v)))
                .collect(),
        }
    }

    /// Set `key` to the single value `value` (existing key keeps its position).
    pub fn with_set(&self, key: &str, value: String) -> Self {
        let mut groups = self.owned_groups();
        match groups.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = vec![value],
            None => groups.push((key.to_owned(), vec![value])),
        }
        Self::from_groups(groups)
    }

    /// Append `value` to `key`'s values.
    pub fn with_added(&self, key: &str, value: String) -> Self {
        let mut groups = self.owned_groups();
        match groups.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1.push(value),
            None => groups.push((key.to_owned(), vec![value])),
        }
        Self::from_groups(groups)
    }

    /// Remove every value of `key`.
    pub fn without(&self, key: &str) -> Self {
        let mut groups = self.owned_groups();
        groups.retain(|(k, _)| k != key);
        Self::from_groups(groups)
    }

    /// httpx `merge`: keys present in `other` replace this instance's values for that key.
    pub fn merged(&self, other: &Self) -> Self {
        let mut groups = self.owned_groups();
        for (k, vs) in other.owned_groups() {
            match groups.iter_mut().find(|(gk, _)| *gk == k) {
                Some(entry) => entry.1 = vs,
                None => groups.push((k, vs)),
            }
        }
        Self::from_groups(groups)
    }

    /// `QueryParams(obj)` for a `params=` argument: None/missing -> empty; str, bytes,
    /// QueryParams, mapping (values primitive or list/tuple of primitives), or list/tuple
    /// of pairs. TypeError naming `params` for anything else.
    pub fn from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let obj = match obj {
            None => return Ok(Self::default()),
            Some(o) if o.is_none() => return Ok(Self::default()),
            Some(o) => o,
        };
        if let Ok(q) = obj.cast::<PyQueryParams>() {
            return Ok(q.get().clone());
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Self::parse(&s.to_cow()?));
        }
        if obj.is_instance_of::<PyBytes>() {
            let s: String = obj.call_method1("decode", ("ascii",))?.extract()?;
            return Ok(Self::parse(&s));
        }
        let mut pairs = Vec::new();
        if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            for item in obj.try_iter()? {
                let item = item?;
                let key = item.get_item(0)?;
                let value = item.get_item(1)?;
                pairs.push((py_str(&key)?, primitive_to_string(&value, "params")?));
            }
            return Ok(Self::from_pairs(pairs));
        }
        let items = if let Ok(d) = obj.cast::<PyDict>() {
            d.items().into_any()
        } else if obj.hasattr("items")? {
            obj.call_method0("items")?
        } else {
            return Err(invalid_type(
                "params",
                "str, bytes, dict, list, tuple or httprs.QueryParams",
                obj,
            ));
        };
        for entry in items.try_iter()? {
            let entry = entry?;
            let key = py_str(&entry.get_item(0)?)?;
            let value = entry.get_item(1)?;
            if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
                for v in value.try_iter()? {
                    pairs.push((key.clone(), primitive_to_string(&v?, "params")?));
                }
            } else {
                pairs.push((key, primitive_to_string(&value, "params")?));
            }
        }
        Ok(Self::from_pairs(pairs))
    }
}

fn group(items: Vec<(String, String)>) -> Vec<(String, Vec<String>)> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in items {
        match index.get(&k) {
            Some(&i) => {
                if let Some(entry) = out.get_mut(i) {
                    entry.1.push(v);
                }
            }
            None => {
                index.insert(k.clone(), out.len());
                out.push((k, vec![v]));
            }
        }
    }
    out
}

fn py_str(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(obj.str()?.to_cow()?.into_owned())
}

/// httpx `primitive_value_to_str`: True -> "true", False -> "false", None -> "",
/// str as is, int/float -> `str()`. Anything else: TypeError naming `arg_name`.
pub fn primitive_to_string(obj: &Bound<'_, PyAny>, arg_name: &str) -> PyResult<String> {
    if obj.is_none() {
        return Ok(String::new());
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(if b.is_true() { "true" } else { "false" }.to_owned());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
        return py_str(obj);
    }
    Err(invalid_type(arg_name, "primitive type", obj))
}

/// As `primitive_to_string`, with a missing value treated as None ("").
pub fn optional_primitive_to_string(
    obj: Option<&Bound<'_, PyAny>>,
    arg_name: &str,
) -> PyResult<String> {
    match obj {
        None => Ok(String::new()),
        Some(o) => primitive_to_string(o, arg_name),
    }
}

const IMMUTABLE_UPDATE: &str =
    "QueryParams are immutable since 0.18.0. Use `q = q.merge(...)` to create an updated copy.";
const IMMUTABLE_SETITEM: &str = "QueryParams are immutable since 0.18.0. \
     Use `q = q.set(key, value)` to create an updated copy.";

#[pyclass(module = "httprs")]
struct QueryParamsKeyIter {
    keys: std::vec::IntoIter<String>,
}

#[pymethods]
impl QueryParamsKeyIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(mut slf: PyRefMut<'_, Self>) -> Option<String> {
        slf.keys.next()
    }
}

impl PyQueryParams {
    /// `{key: first value}` as a Python dict (backs keys()/values()/items()).
    fn first_values_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, vs) in self.groups() {
            d.set_item(k, vs.first().copied().unwrap_or(""))?;
        }
        Ok(d)
    }
}

#[pymethods]
impl PyQueryParams {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn py_new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        if args.len() > 1 {
            return Err(PyTypeError::new_err("Too many arguments."));
        }
        let has_kwargs = kwargs.is_some_and(|k| !k.is_empty());
        if !args.is_empty() && has_kwargs {
            return Err(PyTypeError::new_err(
                "Cannot mix named and unnamed arguments.",
            ));
        }
        match args.get_item(0) {
            Ok(value) => Self::from_py(Some(&value)),
            Err(_) => match kwargs {
                Some(k) => Self::from_py(Some(k.as_any())),
                None => Ok(Self::default()),
            },
        }
    }

    /// The distinct keys, in first-seen order.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.first_values_dict(py)?.call_method0("keys")
    }

    /// The first value of each key.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.first_values_dict(py)?.call_method0("values")
    }

    /// `(key, first value)` for each key.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.first_values_dict(py)?.call_method0("items")
    }

    /// Every `(key, value)` pair, a key with several values once per value.
    #[pyo3(name = "multi_items")]
    fn py_multi_items(&self) -> Vec<(String, String)> {
        self.multi_items()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// The first value of `key`, or `default`.
    #[pyo3(signature = (key, default = None))]
    fn get(&self, py: Python<'_>, key: &Bound<'_, PyAny>, default: Option<Py<PyAny>>) -> Py<PyAny> {
        if let Ok(k) = key.cast::<PyString>() {
            if let Ok(k) = k.to_cow() {
                if let Some(v) = self.get_first(&k) {
                    return PyString::new(py, v).into_any().unbind();
                }
            }
        }
        default.unwrap_or_else(|| py.None())
    }

    /// Every value of `key` (an empty list when it has none).
    fn get_list(&self, key: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        let key = py_str(key)?;
        Ok(self.get_all(&key).into_iter().map(str::to_owned).collect())
    }

    /// A copy with `key` set to the single `value`.
    #[pyo3(signature = (key, value = None))]
    fn set(&self, key: &Bound<'_, PyAny>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let key = py_str(key)?;
        let value = optional_primitive_to_string(value, "value")?;
        Ok(self.with_set(&key, value))
    }

    /// A copy with `value` added to the values of `key`.
    #[pyo3(signature = (key, value = None))]
    fn add(&self, key: &Bound<'_, PyAny>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let key = py_str(key)?;
        let value = optional_primitive_to_string(value, "value")?;
        Ok(self.with_added(&key, value))
    }

    /// A copy without `key`.
    fn remove(&self, key: &Bound<'_, PyAny>) -> PyResult<Self> {
        let key = py_str(key)?;
        Ok(self.without(&key))
    }

    /// A copy with `params` merged in: their keys replace these.
    #[pyo3(signature = (params = None))]
    fn merge(&self, params: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let other = Self::from_py(params)?;
        Ok(self.merged(&other))
    }

    fn __getitem__(&self, key: &Bound<'_, PyAny>) -> PyResult<String> {
        if let Ok(k) = key.cast::<PyString>() {
            if let Some(v) = self.get_first(&k.to_cow()?) {
                return Ok(v.to_owned());
            }
        }
        Err(PyKeyError::new_err(key.clone().unbind()))
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        match key.cast::<PyString>() {
            Ok(k) => Ok(self.contains_key(&k.to_cow()?)),
            Err(_) => Ok(false),
        }
    }

    fn __iter__(&self) -> QueryParamsKeyIter {
        let keys: Vec<String> = self
            .groups()
            .into_iter()
            .map(|(k, _)| k.to_owned())
            .collect();
        QueryParamsKeyIter {
            keys: keys.into_iter(),
        }
    }

    fn __len__(&self) -> usize {
        self.key_count()
    }

    fn __bool__(&self) -> bool {
        !self.is_empty()
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        PyString::new(py, &self.encode()).hash()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.cast::<PyQueryParams>() {
            Ok(o) => {
                let mut a = self.multi_items();
                let o = o.get();
                let mut b = o.multi_items();
                a.sort_unstable();
                b.sort_unstable();
                a == b
            }
            Err(_) => false,
        }
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }

    fn __str__(&self) -> String {
        self.encode()
    }

    fn __repr__(&self) -> String {
        format!("QueryParams('{}')", self.encode())
    }

    /// Not supported: `QueryParams` is immutable; raises RuntimeError (use `merge()`).
    #[pyo3(signature = (params = None))]
    fn update(&self, params: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let _ = params;
        Err(PyRuntimeError::new_err(IMMUTABLE_UPDATE))
    }

    fn __setitem__(&self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let _ = (key, value);
        Err(PyRuntimeError::new_err(IMMUTABLE_SETITEM))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, pyo3::types::PyType>, (String,))> {
        Ok((slf.get_type(), (slf.get().encode(),)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &PyQueryParams) -> Vec<(&str, &str)> {
        q.multi_items()
    }

    #[test]
    fn parse_and_group() {
        let q = PyQueryParams::parse("a=1&b=2&a=3&&c&d=");
        assert_eq!(
            pairs(&q),
            vec![("a", "1"), ("a", "3"), ("b", "2"), ("c", ""), ("d", "")]
        );
        assert_eq!(q.encode(), "a=1&a=3&b=2&c=&d=");
        assert_eq!(q.key_count(), 4);
        let q = PyQueryParams::parse("a=%zz+%2B&b=x=y&%C3%A9=%ff");
        assert_eq!(
            pairs(&q),
            vec![("a", "%zz +"), ("b", "x=y"), ("\u{e9}", "\u{fffd}")]
        );
        assert!(PyQueryParams::parse("").is_empty());
    }

    #[test]
    fn encoding() {
        let q = PyQueryParams::from_pairs(vec![
            ("a b".into(), "c/d \u{e9}".into()),
            ("x".into(), "*~._-+&=".into()),
        ]);
        assert_eq!(q.encode(), "a+b=c%2Fd+%C3%A9&x=%2A~._-%2B%26%3D");
        assert_eq!(PyQueryParams::parse(&q.encode()), q);
    }

    #[test]
    fn modifications() {
        let q = PyQueryParams::parse("a=1&b=2&a=3");
        assert_eq!(q.with_set("a", "9".into()).encode(), "a=9&b=2");
        assert_eq!(q.with_set("c", "9".into()).encode(), "a=1&a=3&b=2&c=9");
        assert_eq!(q.with_added("b", "4".into()).encode(), "a=1&a=3&b=2&b=4");
        assert_eq!(q.without("a").encode(), "b=2");
        let other = PyQueryParams::parse("b=5&c=6&b=7");
        assert_eq!(q.merged(&other).encode(), "a=1&a=3&b=5&b=7&c=6");
        assert_eq!(q.get_first("a"), Some("1"));
        assert_eq!(q.get_all("a"), vec!["1", "3"]);
        assert!(q.contains_key("b") && !q.contains_key("z"));
    }

    #[test]
    fn ungrouped_items_behave_grouped() {
        let q = PyQueryParams {
            items: vec![
                ("a".into(), "1".into()),
                ("b".into(), "2".into()),
                ("a".into(), "3".into()),
            ],
        };
        assert_eq!(q.encode(), "a=1&a=3&b=2");
        assert_eq!(q.key_count(), 2);
    }
}
