//! The other `#[cors]` routes on a route's path, and the methods a preflight answer may list for
//! them: one preflight then covers the path's methods in the browser's cache, never widening
//! what a stricter route allows.
//!
//! Browsers cache a preflight answer per URL (Chromium keeps one entry per origin and URL, which
//! the next answer replaces): when each answer names only its own route's method, a page that
//! alternates `PUT` and `DELETE` on one path is preflighted at every switch. So an answer also
//! lists the method of a route on the same path (same pattern, same scope) when that route would
//! grant this preflight at least as much as the answer does: this origin, this credentials mode,
//! every header the answer grants, a cache lifetime at least as long, and its guards. Anything
//! less and its method is left out, so its own preflight still runs.
//!
//! Siblings are known where the routes' scope is: an app's root, or a
//! [`ScopeCors::scope`](super::ScopeCors::scope) (see `table`); elsewhere an answer names its
//! own methods only.

use core::cell::RefCell;
use core::ptr;

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{self, HeaderValue};

use super::route::CorsRoute;
use crate::policy::Policy;
use crate::request_headers::check_requested;

/// The most siblings a route's answer considers: every subset has its header value built at
/// start-up (`2^MAX` values).
const MAX: usize = 4;

/// The `#[cors]` routes registered directly in one scope whose identity is known.
#[derive(Debug, Default)]
pub(crate) struct Group {
    routes: RefCell<Vec<&'static CorsRoute>>,
}

impl Group {
    pub(crate) fn add(&self, route: &'static CorsRoute) {
        self.routes.borrow_mut().push(route);
    }
}

/// A route's siblings, with `Access-Control-Allow-Methods` for each subset of them.
#[derive(Debug)]
pub(crate) struct Siblings {
    routes: Box<[&'static CorsRoute]>,
    /// Indexed by the bit set of the siblings that qualify; `[0]` is the route's own methods.
    allow_methods: Box<[HeaderValue]>,
}

impl Siblings {
    /// The siblings of `route` in `group` (registration over: the group is complete).
    pub(crate) fn of(route: &'static CorsRoute, group: &Group) -> Option<Self> {
        let routes: Box<[_]> = group
            .routes
            .borrow()
            .iter()
            .copied()
            .filter(|other| !ptr::eq(*other, route) && other.path() == route.path())
            .take(MAX)
            .collect();
        if routes.is_empty() {
            return None;
        }
        let allow_methods = (0..1_usize << routes.len())
            .map(|set| {
                let mut methods: Vec<&str> = route.methods().to_vec();
                for (i, other) in routes.iter().enumerate() {
                    if set & (1 << i) != 0 {
                        for method in other.methods() {
                            if !methods.contains(method) {
                                methods.push(method);
                            }
                        }
                    }
                }
                // Methods are tokens checked at compile time: always a valid value.
                HeaderValue::from_str(&methods.join(", "))
                    .unwrap_or_else(|_| route.methods.header())
            })
            .collect();
        Some(Self {
            routes,
            allow_methods,
        })
    }

    /// `Access-Control-Allow-Methods` for the answer `route` gives `req`, from `origin`: its
    /// own methods, and those of the siblings that grant at least as much.
    pub(crate) fn allow_methods(
        &self,
        route: &CorsRoute,
        req: &ServiceRequest,
        origin: &[u8],
    ) -> HeaderValue {
        let ctx = req.guard_ctx();
        let requested = req
            .headers()
            .get_all(header::ACCESS_CONTROL_REQUEST_HEADERS);
        let mut set = 0;
        for (i, other) in self.routes.iter().enumerate() {
            let other_policy = other.policy();
            let grants = other_policy.allows_origin_in(origin, req)
                && (!route.policy().credentials() || other_policy.credentials())
                && cache_seconds(other_policy) >= cache_seconds(route.policy())
                && check_requested(
                    requested.clone().map(HeaderValue::as_bytes),
                    other_policy.allow_headers(),
                )
                .is_ok()
                && (other.preflights_skip_guards || other.guards_pass(&ctx));
            if grants {
                set |= 1 << i;
            }
        }
        self.allow_methods[set].clone()
    }
}

/// How long a browser may keep the answer: `max_age`, else Chromium's default of 5 s.
fn cache_seconds(policy: &Policy) -> u32 {
    policy.max_age().unwrap_or(5)
}
