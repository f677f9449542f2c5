//! Getting a request onto the wire: which transport sends it (`mounts`), the network
//! transport's options and Python classes (`network`), one exchange with reqwest (`fetch`),
//! the spelling of HTTP/1 header names (`header_case`), the phases that give each timeout its
//! budget (`phases`), our half of the connection pool (`pool`: the connection slots, the
//! hand-over to queued requests, the keep-alive limit), the first-burst HTTP/2 connection
//! (`warmup`), and the body an async iterator feeds from the caller's loop (`upload`),
//! reqwest's `Url` for a request URL (`wire_url`), a large body read straight into its
//! `bytes` object (`sized_body`), the stand-in a test's mock puts in the network's place
//! (`stand_in`), the connection a `101 Switching Protocols` hands over (`upgrade`; its
//! Python face, the `network_stream` extension: `network_stream`), and the rustls
//! configuration (`tls`), one per set of TLS settings (`tls_cache`).

pub mod fetch;
pub mod header_case;
pub mod http3;
pub mod mounts;
pub mod network;
pub mod network_stream;
pub mod phases;
pub mod pool;
pub mod sized_body;
pub mod stand_in;
pub mod tls;
pub mod tls_cache;
pub mod upgrade;
pub mod upload;
pub mod warmup;
pub mod wire_url;
