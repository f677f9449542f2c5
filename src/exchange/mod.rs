//! Sending one request through auth, redirects, hooks and cookies: the pipeline (written once,
//! as an `async fn`), the steps that drive it from a sync or an async caller, the runtimes.

pub mod pipeline;
pub mod runtime;
pub mod signal_wake;
pub mod steps;
