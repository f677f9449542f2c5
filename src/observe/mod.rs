//! What an application can see of its requests: the `httprs` logger (`log`: httpx's INFO
//! line per request; `events`: DEBUG records of connections and retries) and the opt-in hook
//! that tracing builds on (`instrument`: `httprs.otel`). Each costs a branch when it is off.

pub mod events;
pub mod instrument;
pub mod log;
