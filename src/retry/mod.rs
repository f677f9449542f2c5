//! Sending a request again: the rules of a retry policy (`policy`, pure) and `httprs.Retry`,
//! the Python object that carries one to a network transport (`py_retry`). The transport's
//! exchange (`transport::fetch`) asks the policy after each attempt and waits as told.

pub mod policy;
pub mod py_retry;
