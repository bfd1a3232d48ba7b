//! The app's CORS surface: every `#[cors]` route and every [`ScopeCors`](super::ScopeCors) of
//! an app, with the policy each answers with, listed when the app is built.
//!
//! It reads what the route table reads: the routes' `CorsRoute`s as they register, and
//! the frames `ScopeCors::scope` opens (`table`). Recording is on only while [`Surface::of`]
//! builds the app; nothing of it is on the request path.

use core::cell::RefCell;
use core::fmt;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, Error};

use super::route::CorsRoute;
use crate::policy::{Origins, Policy};

thread_local! {
    /// What the app being built by [`Surface::of`] on this thread registered so far.
    static RECORDING: RefCell<Option<Surface>> = const { RefCell::new(None) };
}

/// Records a `#[cors]` route registered at `path` (its full pattern, `None` where a plain
/// `web::scope` hides its prefix), when a [`Surface::of`] is listing the app.
pub(crate) fn record_route(route: &'static CorsRoute, path: Option<String>) {
    RECORDING.with_borrow_mut(|recording| {
        if let Some(surface) = recording {
            surface.routes.push(SurfaceRoute { route, path });
        }
    });
}

/// Records a [`ScopeCors`](super::ScopeCors), when a [`Surface::of`] is listing the app.
pub(crate) fn record_scope(scope: impl FnOnce() -> SurfaceScope) {
    RECORDING.with_borrow_mut(|recording| {
        if let Some(surface) = recording {
            surface.scopes.push(scope());
        }
    });
}

/// The CORS surface of an app: every `#[cors]` route with its effective policy, and every
/// [`ScopeCors`](super::ScopeCors), in registration order.
///
/// Made by [`Surface::of`], which builds the app once, as the server would. Three forms:
/// - a table for people ([`Display`](fmt::Display)), to log at start-up or read in review;
/// - JSON, with the `json` feature (`Surface::to_json`);
/// - queries for tests: which routes let an origin read ([`allowing`](Self::allowing)), with
///   credentials ([`allowing_with_credentials`](Self::allowing_with_credentials)), which allow
///   a request header or expose a response header.
///
/// `route_cors::testing` adds a snapshot test of the surface and a check of each allowed
/// origin's near misses.
#[derive(Debug, Clone, Default)]
pub struct Surface {
    pub(crate) routes: Vec<SurfaceRoute>,
    pub(crate) scopes: Vec<SurfaceScope>,
}

/// One `#[cors]` route of a [`Surface`].
#[derive(Debug, Clone)]
pub struct SurfaceRoute {
    pub(crate) route: &'static CorsRoute,
    pub(crate) path: Option<String>,
}

/// One [`ScopeCors`](super::ScopeCors) of a [`Surface`].
#[derive(Debug, Clone)]
pub struct SurfaceScope {
    pub(crate) path: Option<String>,
    pub(crate) policy: Option<Policy>,
    pub(crate) around: bool,
}

impl Surface {
    /// The surface of `app`: builds it once (its services register as they would in a server;
    /// no request is sent) and lists what registered.
    ///
    /// `route_cors::Surface` shows it in use.
    ///
    /// # Panics
    ///
    /// When the app fails to build (a service's `InitError`), as `actix_web::test::init_service`
    /// does.
    pub async fn of<T, B>(app: App<T>) -> Self
    where
        T: ServiceFactory<
                ServiceRequest,
                Config = (),
                Response = ServiceResponse<B>,
                Error = Error,
                InitError = (),
            > + 'static,
        B: MessageBody + 'static,
    {
        /// While alive, this listing records; it then puts back the listing around it (if one
        /// is being made), even if the build panics.
        struct Listing {
            outer: Option<Surface>,
        }
        impl Drop for Listing {
            fn drop(&mut self) {
                let outer = self.outer.take();
                RECORDING.with_borrow_mut(|r| *r = outer);
            }
        }
        let listing = Listing {
            outer: RECORDING.with_borrow_mut(|r| r.replace(Self::default())),
        };
        drop(actix_web::test::init_service(app).await);
        let listed = RECORDING.with_borrow_mut(Option::take);
        drop(listing);
        listed.unwrap_or_default()
    }

    /// Every `#[cors]` route, in registration order.
    pub fn routes(&self) -> impl ExactSizeIterator<Item = &SurfaceRoute> {
        self.routes.iter()
    }

    /// Every [`ScopeCors`](super::ScopeCors), in the order they were built.
    pub fn scopes(&self) -> impl ExactSizeIterator<Item = &SurfaceScope> {
        self.scopes.iter()
    }

    /// The routes whose policy lets a page on `origin` read their responses (with or without
    /// credentials): the very check a request from it gets, so a run-time list is read as it is
    /// now.
    pub fn allowing<'a>(&'a self, origin: &'a str) -> impl Iterator<Item = &'a SurfaceRoute> {
        self.routes
            .iter()
            .filter(move |r| r.policy().allows_origin(origin.as_bytes()))
    }

    /// The routes that let a page on `origin` read their responses with the user's
    /// credentials (cookies, HTTP authentication).
    pub fn allowing_with_credentials<'a>(
        &'a self,
        origin: &'a str,
    ) -> impl Iterator<Item = &'a SurfaceRoute> {
        self.allowing(origin).filter(|r| r.policy().credentials())
    }

    /// The routes that let a cross-origin request carry the request header `name` (any case).
    pub fn allowing_header<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a SurfaceRoute> {
        self.routes
            .iter()
            .filter(move |r| r.policy().allow_headers().allows(name.as_bytes()))
    }

    /// The routes that let a cross-origin page read the response header `name` (any case; `*`
    /// exposes every one but `Set-Cookie`).
    pub fn exposing<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a SurfaceRoute> {
        self.routes.iter().filter(move |r| {
            r.policy().expose_headers().iter().any(|exposed| {
                exposed.eq_ignore_ascii_case(name)
                    || (*exposed == "*" && !name.eq_ignore_ascii_case("set-cookie"))
            })
        })
    }
}

impl SurfaceRoute {
    /// The route's static contract, with its handler, methods and guards.
    pub const fn route(&self) -> &'static CorsRoute {
        self.route
    }

    /// The policy it answers with.
    pub const fn policy(&self) -> &'static Policy {
        &self.route.policy
    }

    /// Its full path pattern, scope prefixes included (`/api/items/{id}`), where the app lets it
    /// be known: routes of the `App` itself and of `ScopeCors::scope`s. `None` inside a plain
    /// `web::scope`, whose prefix actix-web does not show to the services inside; the route's
    /// own pattern is [`CorsRoute::path`].
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The path as the table shows it: the full pattern, or `…` and the route's own pattern.
    pub fn shown_path(&self) -> String {
        self.path
            .clone()
            .unwrap_or_else(|| format!("…{}", self.route.path()))
    }

    /// The handler's path: its module and name (`demo::server::get_item`).
    pub fn handler(&self) -> String {
        format!("{}::{}", self.route.module(), self.route.name())
    }
}

impl SurfaceScope {
    /// The full path of a `ScopeCors::scope`, where it can be known (`""` for the whole app);
    /// `None` for `.wrap(ScopeCors::new(..))`, as actix-web does not tell a middleware where it
    /// is, and for a `ScopeCors::scope` inside a plain `web::scope`.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// Its scope-wide policy, `None` for `ScopeCors::routes_only()`.
    pub const fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }

    /// Whether it was built with `around(middleware)`, whose preflights it answers itself.
    pub const fn around(&self) -> bool {
        self.around
    }
}

/// The origins a policy allows, as a line of the table: the entries, `*`, or a run-time list's
/// name and its entries as they are now.
pub(crate) fn origins_text(policy: &Policy) -> String {
    match policy.origins() {
        Origins::Any => "*".to_owned(),
        Origins::Set(set) => set.entries().join(" "),
        Origins::Runtime { list, name } => match list.get() {
            Some(set) if !set.entries().is_empty() => {
                format!("runtime({name}): {}", set.entries().join(" "))
            }
            Some(_) => format!("runtime({name}): none"),
            None if list.is_set() => {
                let tenants: Vec<String> = list
                    .tenants()
                    .iter()
                    .map(|t| {
                        let entries = list.tenant(t).map(|l| l.entries().join(" "));
                        format!("{t}: {}", entries.unwrap_or_default())
                    })
                    .collect();
                format!("runtime({name}), per tenant: {}", tenants.join("; "))
            }
            None => format!("runtime({name}): not set"),
        },
    }
}

/// The rest of a policy as the table shows it: credentials, headers, max-age, forwarding.
fn policy_text(policy: &Policy) -> String {
    use crate::request_headers::AllowHeaders;
    let mut parts = Vec::new();
    if policy.credentials() {
        parts.push("credentials".to_owned());
    }
    match policy.allow_headers() {
        AllowHeaders::Any => parts.push("allow_headers *".to_owned()),
        AllowHeaders::List(list) => parts.push(format!("allow_headers {}", list.names.join(","))),
        _ => {}
    }
    if !policy.expose_headers().is_empty() {
        parts.push(format!("expose {}", policy.expose_headers().join(",")));
    }
    if let Some(seconds) = policy.max_age() {
        parts.push(format!("max_age {seconds}"));
    }
    if policy.forward_refused() {
        parts.push("forward_refused".to_owned());
    }
    if parts.is_empty() {
        "-".to_owned()
    } else {
        parts.join("; ")
    }
}

/// The surface as a table: one line per route (methods, full path, handler, origins, the rest
/// of its policy, guards), then one per `ScopeCors`.
impl fmt::Display for Surface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "CORS surface: {} #[cors] routes, {} ScopeCors",
            self.routes.len(),
            self.scopes.len()
        )?;
        for r in &self.routes {
            let route = r.route();
            write!(
                f,
                "  {} {}  {}  origins: {}  {}",
                route.methods().join(","),
                r.shown_path(),
                r.handler(),
                origins_text(r.policy()),
                policy_text(r.policy()),
            )?;
            if route.guards.is_empty() {
                writeln!(f)?;
            } else {
                let guards: Vec<&str> = route.guard_names().collect();
                let skip = if route.preflights_skip_guards() {
                    " (preflights skip them)"
                } else {
                    ""
                };
                writeln!(f, "  guards: {}{skip}", guards.join(","))?;
            }
        }
        for scope in &self.scopes {
            let path = scope
                .path()
                .map_or("… (a .wrap or inside a web::scope)", |p| {
                    if p.is_empty() { "/" } else { p }
                });
            let policy = scope.policy().map_or_else(
                || "routes only".to_owned(),
                |p| format!("origins: {}  {}", origins_text(p), policy_text(p)),
            );
            let around = if scope.around() {
                "  around: a middleware"
            } else {
                ""
            };
            writeln!(f, "  ScopeCors {path}  {policy}{around}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "json")]
mod json;
