//! The run-time half of [route-cors](https://docs.rs/route-cors): origin and header matching,
//! the preflight answer and the response guard.
//!
//! Depend on `route-cors`, not on this crate: its macros generate the code that uses this one,
//! and it re-exports the public types. The modules without actix-web (`origin`, `headers`,
//! `policy`) are also what `cors-macros` checks policies with at compile time, so the rules are
//! written once.

pub mod headers;
pub mod origin;
pub mod policy;

#[cfg(feature = "actix")]
pub mod actix;

#[cfg(feature = "testing")]
pub mod testing;

pub use headers::AllowHeaders;
pub use origin::{OriginPattern, OriginSet};
pub use policy::{Origins, Policy};
