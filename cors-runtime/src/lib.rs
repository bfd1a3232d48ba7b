//! The run-time half of [route-cors](https://docs.rs/route-cors): the rules shared with the
//! macros, the policy as constant data, origin and header matching, and the actix-web
//! integration.
//!
//! Depend on `route-cors`, not on this crate: its macros generate the code that uses this one,
//! and it re-exports the public types. The rule set (module `rules`, without actix-web) is also
//! what `cors-macros` checks policies with at compile time, so the rules are written once: the
//! same functions check `#[cors]` literals at compile time and [`RuntimeOrigins`] lists at
//! start-up.
//!
//! # Modules, in reading order
//!
//! - `rules` (compile time and start-up): what a policy may hold; [`error`] is what the rules
//!   report, [`fetch_header_names`] the Fetch standard's lists they read.
//! - [`policy`] (constant data): one route's [`Policy`].
//! - [`origin`], [`request_headers`], [`runtime_origins`] (per request): the origin matcher, the reader of
//!   requested headers, origins set from configuration (replaced while serving, per tenant).
//! - `actix` (per request): the route's guard and middleware, the preflight answer, `ScopeCors`.
//! - `testing` (tests): a browser's CORS decision.
//!
//! `docs/ARCHITECTURE.md` in the repository has the file-by-file map.
//!
//! # Features
//!
//! - `actix` (default): the actix-web integration, the per-request path.
//! - `rules`: the rule set (module `rules`: `rules::origin::parse`, `rules::list::check_list`,
//!   and `RuntimeOrigins::set` with them), built on the `url` crate (a WHATWG URL parser) and
//!   `psl` (the public-suffix list). Only compile time and start-up use it; nothing on the
//!   per-request path does.
//! - `testing`: the `testing` module; with `actix`, helpers that send requests through
//!   `actix_web::test`.

#[cfg(feature = "rules")]
pub mod rules;

pub mod error;
pub mod fetch_header_names;

#[cfg(feature = "actix")]
pub mod policy;

pub mod origin;
pub mod request_headers;
pub mod runtime_origins;

#[cfg(feature = "actix")]
pub mod actix;

#[cfg(feature = "testing")]
pub mod testing;

pub use error::{OriginError, OriginListError, OriginListProblem};
pub use origin::{OriginPattern, OriginSet};
#[cfg(feature = "actix")]
pub use policy::{Origins, Policy};
#[cfg(feature = "actix")]
pub use request_headers::AllowHeaders;
pub use runtime_origins::RuntimeOrigins;
