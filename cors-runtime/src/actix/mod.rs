//! The actix-web side: [`CorsRoute`] (a policy bound to one route), the resource guard and the
//! middleware `#[cors]` gives the route ([`MethodsOrPreflight`], [`CorsMiddleware`]), and
//! [`ScopeCors`] for a whole `App` or `web::scope`.
//!
//! One router entry per route: the route's own resource accepts the preflights for its methods
//! (its guard), and its outermost middleware answers them before the route's own middleware,
//! extractors and handler run.
//!
//! `register` builds that resource at start-up; per request, `guard` lets the route's
//! requests and preflights in, `middleware` sends a preflight to `preflight` and any other
//! request to `actual`, reading it with `request`; `response` holds the header values and the
//! 403 they share, `logging` what a refusal logs, `error` the errors that keep their CORS
//! headers, and `scope` the scope-wide [`ScopeCors`].

mod actual;
mod error;
mod guard;
mod logging;
mod middleware;
mod preflight;
mod register;
mod request;
mod response;
pub(crate) mod route;
mod scope;
mod siblings;
mod surface;
mod table;

pub use error::WithCorsHeaders;
pub use guard::MethodsOrPreflight;
pub use middleware::{CorsFuture, CorsMiddleware, CorsService};
pub use register::{register, register_wrapped, resource};
pub use request::is_preflight;
pub use route::{CorsRoute, Guard, GuardFn, HandlerSource};
pub use scope::{Alone, NewScopeCors, ScopeCors, ScopeCorsFuture, ScopeCorsService};
pub use surface::{Surface, SurfaceRoute, SurfaceScope};
