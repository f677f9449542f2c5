//! Getting a request onto the wire: which transport sends it (`mounts`), the network
//! transport's options and Python classes (`network`), one exchange with reqwest (`fetch`),
//! the spelling of HTTP/1 header names (`header_case`), the phases that give each timeout its
//! budget (`phases`), the first-burst HTTP/2 connection (`warmup`), and the body an async
//! iterator feeds from the caller's loop (`upload`).

pub mod fetch;
pub mod header_case;
pub mod mounts;
pub mod network;
pub mod phases;
pub mod tls;
pub mod upload;
pub mod warmup;
