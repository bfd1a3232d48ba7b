//! The table of the `#[cors]` routes a [`ScopeCors::scope`](super::ScopeCors::scope) holds,
//! written while the app registers its services (start-up) and read when a preflight skips the
//! scope's `around` middleware (per request).
//!
//! actix-web does not tell a scope's middleware which services are inside it, so the scope is
//! built by `ScopeCors::scope`, which opens a *frame* around its registration: every `#[cors]`
//! route registered while the frame is open, with the frame's own `AppService`, is one of the
//! scope's direct routes; a nested `ScopeCors::scope` adds its table under its path prefix. A
//! `#[cors]` route inside a plain `web::scope` within the frame is registered with another
//! `AppService`: its path relative to the frame is unknown, so it is left out (and logged), and
//! its preflights go through the middleware like any request. Registration is synchronous and
//! happens on one thread per app, so the frames are a thread-local stack.

use core::cell::RefCell;
use core::ptr;
use std::rc::{Rc, Weak};

use actix_web::dev::{AppService, HttpServiceFactory, ResourceDef, ServiceRequest};
use actix_web::guard::GuardContext;

use super::route::CorsRoute;
use super::siblings::{Group, Siblings};
use super::surface;
use crate::policy::Policy;
use crate::request_headers::AllowHeaders;

/// The `#[cors]` routes of one scope, in registration order, with the tables of the scopes
/// nested in it.
#[derive(Debug, Default)]
pub(crate) struct RouteTable {
    entries: Vec<Entry>,
}

#[derive(Debug)]
enum Entry {
    /// A route, with its path pattern as the scope's router matches it.
    Route {
        pattern: ResourceDef,
        route: TableRoute,
    },
    /// A nested `ScopeCors::scope`: its prefix, and its table.
    Scope {
        prefix: ResourceDef,
        table: Rc<RouteTable>,
    },
}

/// A route of the table, with the other `#[cors]` routes on its path.
#[derive(Debug)]
pub(crate) struct TableRoute {
    pub(crate) route: &'static CorsRoute,
    pub(crate) siblings: Option<Siblings>,
}

impl RouteTable {
    /// The route that answers the preflight `req`, whose path below this table's scope is `path`
    /// and whose `Access-Control-Request-Method` is `method`: the route a preflight reaching it
    /// through the router would find (its path, its method, its guards), in any registration
    /// order among the `#[cors]` routes. Runs no service.
    pub(crate) fn preflight_route(
        &self,
        path: &str,
        req: &ServiceRequest,
        method: &[u8],
    ) -> Option<&TableRoute> {
        self.find(path, &req.guard_ctx(), method)
    }

    fn find(&self, path: &str, ctx: &GuardContext<'_>, method: &[u8]) -> Option<&TableRoute> {
        self.first(path, &mut |path, pattern, route| {
            (pattern.is_match(path) && route.route.takes_preflight(ctx, method)).then_some(route)
        })
    }

    /// On a miss, the route that would have answered the preflight but for its own guards (to
    /// say so in a `debug` line: a guard on what only the actual request carries refuses the
    /// preflight, and `preflights_skip_guards` is the way out).
    pub(crate) fn refused_by_guard(
        &self,
        path: &str,
        req: &ServiceRequest,
        method: &[u8],
    ) -> Option<&'static CorsRoute> {
        let ctx = req.guard_ctx();
        self.first(path, &mut |path, pattern, route| {
            let route = route.route;
            (pattern.is_match(path)
                && route.answers_method(method)
                && !route.takes_preflight(&ctx, method))
            .then_some(route)
        })
    }

    /// The first answer `pick` gives for a route entry `path` reaches, walking the table as the
    /// router walks the scope: in registration order, into the first nested scope whose prefix
    /// matches (with the rest of the path) and nowhere else after it.
    fn first<'t, T>(
        &'t self,
        path: &str,
        pick: &mut impl FnMut(&str, &ResourceDef, &'t TableRoute) -> Option<T>,
    ) -> Option<T> {
        for entry in &self.entries {
            match entry {
                Entry::Route { pattern, route } => {
                    if let Some(found) = pick(path, pattern, route) {
                        return Some(found);
                    }
                }
                Entry::Scope { prefix, table } => {
                    if let Some(len) = prefix.find_match(path) {
                        return table.first(&path[len..], pick);
                    }
                }
            }
        }
        None
    }

    /// Every route of the table, nested scopes included, with its prefixes (for tests and
    /// diagnostics).
    #[cfg(test)]
    fn paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        for entry in &self.entries {
            match entry {
                Entry::Route { pattern, route } => out.push(format!(
                    "{} {}",
                    pattern.pattern().unwrap_or_default(),
                    route.route.name()
                )),
                Entry::Scope { prefix, table } => {
                    let prefix = prefix.pattern().unwrap_or_default();
                    out.extend(table.paths().into_iter().map(|p| format!("{prefix}{p}")));
                }
            }
        }
        out
    }
}

/// The route's pattern as actix-web's `Resource` registers it inside a scope: an empty path
/// matches the scope's own path, any other gets its leading `/`.
fn pattern_of(path: &str) -> ResourceDef {
    if path.is_empty() || path.starts_with('/') {
        ResourceDef::new(path)
    } else {
        ResourceDef::new(format!("/{path}"))
    }
}

/// A `ScopeCors::scope` being registered.
struct Frame {
    /// The `AppService` the scope registers its services with, once `FrameStart` has run.
    config: *const AppService,
    /// The scope's full path, where it can be known (see [`full_path`]).
    path: Option<String>,
    /// Whether this scope or one around it skips a middleware for preflights.
    around: bool,
    /// Whether the policy of such a scope allows `Authorization`, the header its middleware
    /// most likely reads.
    authorization: bool,
    /// The scope's `#[cors]` routes.
    group: Rc<Group>,
    /// Its routes and nested scopes, in registration order (routes without their siblings,
    /// which are known once the scope is registered).
    entries: Vec<Pending>,
}

enum Pending {
    Route(&'static CorsRoute),
    Scope(ResourceDef, Rc<RouteTable>),
}

/// Whether `policy` lets a page send `Authorization` (a `*` never covers it).
pub(crate) fn allows_authorization(policy: &Policy) -> bool {
    policy.allow_headers().allows(b"authorization")
        && !matches!(policy.allow_headers(), AllowHeaders::Any)
}

thread_local! {
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
    /// The root group of each app being built on this thread, by the app's default service
    /// (one allocation per app, shared by every `AppService` of its registration, alive while
    /// the app is built).
    static ROOTS: RefCell<Vec<(*const (), Weak<Group>)>> = const { RefCell::new(Vec::new()) };
}

/// Records a `#[cors]` route registered with `config`: in the innermost open frame's table, and
/// in the group of its scope when that scope is known (a frame's, or the app's root), which it
/// returns.
pub(crate) fn record_route(config: &AppService, route: &'static CorsRoute) -> Option<Rc<Group>> {
    surface::record_route(route, full_path(config, route.path()));
    let framed = FRAMES.with_borrow_mut(|frames| {
        let frame = frames.last_mut()?;
        if ptr::eq(frame.config, config) {
            if frame.authorization && !allows_authorization(route.policy()) {
                log::warn!(
                    target: "route_cors",
                    "`{}` ({}) is behind ScopeCors::around(..), whose policy allows \
                     `authorization`, but its own policy does not: a page can never send it the \
                     credentials that middleware reads; add \"authorization\" to its allow_headers",
                    route.name(),
                    route.path(),
                );
            }
            frame.entries.push(Pending::Route(route));
            frame.group.add(route);
            return Some(Rc::clone(&frame.group));
        }
        if frame.around && !config.is_root() {
            log_unseen(route.name(), route.path());
        }
        None
    });
    if framed.is_some() || !config.is_root() {
        return framed;
    }
    let app = Rc::as_ptr(&config.default_service()).cast::<()>();
    let group = ROOTS.with_borrow_mut(|roots| {
        roots.retain(|(_, group)| group.strong_count() > 0);
        if let Some(group) = roots
            .iter()
            .find(|(key, _)| ptr::eq(*key, app))
            .and_then(|(_, group)| group.upgrade())
        {
            return group;
        }
        let group = Rc::new(Group::default());
        roots.push((app, Rc::downgrade(&group)));
        group
    });
    group.add(route);
    Some(group)
}

/// The full pattern of `path` registered with `config`, where it can be known: at the app's
/// root, and in a `ScopeCors::scope` (whose path is known) with the root or such a scope
/// around it. Inside a plain `web::scope`, actix-web does not tell the services inside its
/// prefix: `None`.
fn full_path(config: &AppService, path: &str) -> Option<String> {
    let own = pattern_of(path);
    let own = own.pattern().unwrap_or_default();
    if config.is_root() {
        return Some(own.to_owned());
    }
    FRAMES.with_borrow(|frames| {
        let frame = frames.last()?;
        let prefix = frame.path.as_deref()?;
        ptr::eq(frame.config, config).then(|| format!("{prefix}{own}"))
    })
}

/// The full path of a scope at `path` registered with `config`, where it can be known (see
/// [`full_path`]).
pub(crate) fn scope_path(config: &AppService, path: &str) -> Option<String> {
    full_path(config, path).map(|mut full| {
        // A scope's own pattern has no trailing `/` of the route pattern's making.
        if full.ends_with('/') && !path.ends_with('/') {
            full.pop();
        }
        full
    })
}

fn log_unseen(name: &str, path: &str) {
    log::warn!(
        target: "route_cors",
        "`{name}` ({path}) is inside a web::scope that ScopeCors::scope cannot see into: its \
         preflights go through the `around` middleware like any request; build that scope \
         with ScopeCors::routes_only().scope(..)"
    );
}

/// The first service of a `ScopeCors::scope`: registers nothing, and tells the frame which
/// `AppService` its scope's services are registered with.
pub(crate) struct FrameStart;

impl HttpServiceFactory for FrameStart {
    fn register(self, config: &mut AppService) {
        FRAMES.with_borrow_mut(|frames| {
            if let Some(frame) = frames.last_mut() {
                frame.config = config;
            }
        });
    }
}

/// Registers a scope built by `ScopeCors::scope` at `path` inside an open frame, and returns the
/// table of the `#[cors]` routes it holds. `around` says whether the scope skips a middleware for
/// preflights, and `authorization` whether its policy then allows `Authorization` (see
/// [`allows_authorization`]). `register` registers the scope (whose first service is
/// [`FrameStart`]).
pub(crate) fn register_frame(
    config: &mut AppService,
    path: &str,
    around: bool,
    authorization: bool,
    register: impl FnOnce(&mut AppService),
) -> Rc<RouteTable> {
    /// Closes the frame even if a service's registration panics.
    struct Open;
    impl Drop for Open {
        fn drop(&mut self) {
            FRAMES.with_borrow_mut(Vec::pop);
        }
    }
    let full = scope_path(config, path);
    FRAMES.with_borrow_mut(|frames| {
        let outer = frames.last();
        frames.push(Frame {
            config: ptr::null(),
            path: full,
            around: around || outer.is_some_and(|outer| outer.around),
            authorization: authorization || outer.is_some_and(|outer| outer.authorization),
            group: Rc::default(),
            entries: Vec::new(),
        });
    });
    let open = Open;
    register(config);
    let (pending, group) = FRAMES.with_borrow_mut(|frames| {
        frames
            .last_mut()
            .map(|frame| (core::mem::take(&mut frame.entries), Rc::clone(&frame.group)))
            .unwrap_or_default()
    });
    drop(open);
    let entries = pending
        .into_iter()
        .map(|entry| match entry {
            Pending::Route(route) => Entry::Route {
                pattern: pattern_of(route.path()),
                route: TableRoute {
                    route,
                    siblings: Siblings::of(route, &group),
                },
            },
            Pending::Scope(prefix, table) => Entry::Scope { prefix, table },
        })
        .collect();
    let table = Rc::new(RouteTable { entries });
    FRAMES.with_borrow_mut(|frames| {
        let Some(outer) = frames.last_mut() else {
            return;
        };
        if ptr::eq(outer.config, config) {
            outer.entries.push(Pending::Scope(
                ResourceDef::root_prefix(path),
                Rc::clone(&table),
            ));
        } else if outer.around {
            log_unseen("ScopeCors::scope", path);
        }
    });
    table
}

#[cfg(test)]
mod tests;
