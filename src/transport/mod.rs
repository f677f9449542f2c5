//! Getting a request onto the wire: which transport sends it (`mounts`), the network
//! transport's options and Python classes (`network`), one exchange with reqwest (`fetch`),
//! the phases that give each timeout its budget (`phases`), the first-burst HTTP/2
//! connection (`warmup`), and the body an async iterator feeds from the caller's loop
//! (`upload`).

pub mod fetch;
pub mod mounts;
pub mod network;
pub mod phases;
pub mod tls;
pub mod upload;
pub mod warmup;
