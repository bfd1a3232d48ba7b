//! The run-time half of [route-cors](https://docs.rs/route-cors): origin and header matching,
//! the preflight answer and the response guard.
//!
//! Depend on `route-cors`, not on this crate: its macros generate the code that uses this one,
//! and it re-exports the public types. The rule set (module `rules`, without actix-web) is also what
//! `cors-macros` checks policies with at compile time, so the rules are written once: the same
//! functions check `#[cors]` literals at compile time and [`RuntimeOrigins`] lists at start-up.
//!
//! # Features
//!
//! - `actix` (default): the actix-web integration, the per-request path.
//! - `rules`: the rule set (module `rules`: `rules::origin::parse`, `rules::list::check_list`,
//!   and `RuntimeOrigins::set` with them), built on the `url` crate (a WHATWG URL parser) and
//!   `psl` (the public-suffix list). Only compile time and start-up use it; nothing on the
//!   per-request path does.

pub mod error;
pub mod header_names;
pub mod headers;
pub mod origin;
pub mod policy;
pub mod runtime;

#[cfg(feature = "rules")]
pub mod rules;

#[cfg(feature = "actix")]
pub mod actix;

#[cfg(feature = "testing")]
pub mod testing;

pub use error::{OriginError, OriginListError, OriginListProblem};
pub use headers::AllowHeaders;
pub use origin::{OriginPattern, OriginSet};
pub use policy::{Origins, Policy};
pub use runtime::RuntimeOrigins;
