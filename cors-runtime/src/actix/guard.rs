//! The resource guards `#[cors]` puts on a route: its methods, or a preflight asking for one.

use actix_web::guard::{self, AnyGuard, Guard, GuardContext};
use actix_web::http::Method;
use actix_web::http::header;

use super::request::is_preflight;
use super::route::CorsRoute;

/// The method guard of an annotated route's resource: a request with one of the route's
/// methods, or a preflight whose `Access-Control-Request-Method` is one of them (in any case,
/// so that the answer can say why `patch` is not `PATCH`).
///
/// Preflights are routed by the method they ask for, so each route on a path answers its own,
/// in any registration order; the route's other guards (`guard = ...`) still apply, since a
/// preflight carries the actual request's host, path and query. Any other request is checked
/// by actix-web's own method guards, so `405`/`Allow` answers stay as actix-web gives them.
pub struct MethodsOrPreflight {
    route: &'static CorsRoute,
    methods: Option<AnyGuard>,
}

impl MethodsOrPreflight {
    /// The guard of `route`.
    pub fn new(route: &'static CorsRoute) -> Self {
        let mut methods = route
            .methods()
            .iter()
            .filter_map(|m| Method::from_bytes(m.as_bytes()).ok());
        let methods = methods.next().map(|first| {
            methods.fold(guard::Any(guard::Method(first)), |any, m| {
                any.or(guard::Method(m))
            })
        });
        Self { route, methods }
    }
}

impl Guard for MethodsOrPreflight {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        if is_preflight(head) {
            return head
                .headers
                .get(header::ACCESS_CONTROL_REQUEST_METHOD)
                .is_some_and(|m| self.route.answers_method(m.as_bytes()));
        }
        self.methods.as_ref().is_some_and(|m| m.check(ctx))
    }
}

impl core::fmt::Debug for MethodsOrPreflight {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MethodsOrPreflight")
            .field("methods", &self.route.methods())
            .finish_non_exhaustive()
    }
}

/// One of the route's own guards that preflights skip: `#[cors(..., preflights_skip_guards)]`,
/// for a guard that tests what only the actual request carries (a header the page sets, which
/// its preflight only names in `Access-Control-Request-Headers`).
#[derive(Debug)]
pub struct SkippedByPreflights<G>(pub G);

impl<G: Guard> Guard for SkippedByPreflights<G> {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        // The route's method guard runs first and has checked that a preflight is one of ours.
        is_preflight(ctx.head()) || self.0.check(ctx)
    }
}
