//! Authentication: which scheme applies to a request (`Auth`), `BasicAuth`, `DigestAuth`.
//! httpx's generator protocol (`auth_flow`) is Python (`python/httprs/_auth.py`); the
//! pipeline drives any such flow and takes a fast path for the schemes it knows.

pub mod basic;
pub mod choice;
pub mod digest;

pub use choice::Auth;
