//! The resource guard `#[cors]` puts on a route: its methods and its own guards, or a preflight
//! asking for one of its methods.

use actix_web::guard::{self, AnyGuard, Guard, GuardContext};
use actix_web::http::Method;
use actix_web::http::header;

use super::request::is_preflight;
use super::route::CorsRoute;

/// The guard of an annotated route's resource: a request with one of the route's methods that
/// passes the route's own guards (`guard = ...`), or a preflight whose
/// `Access-Control-Request-Method` is one of those methods (in any case, so that the answer can
/// say why `patch` is not `PATCH`) and that passes them too, unless `preflights_skip_guards`.
///
/// Preflights are routed by the method they ask for, so each route on a path answers its own,
/// in any registration order; the route's guards still apply, since a preflight carries the
/// actual request's host, path and query. Any other request is checked by actix-web's own method
/// guards, so `405`/`Allow` answers stay as actix-web gives them.
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
                .is_some_and(|m| self.route.takes_preflight(ctx, m.as_bytes()));
        }
        self.methods.as_ref().is_some_and(|m| m.check(ctx)) && self.route.guards_pass(ctx)
    }
}

impl core::fmt::Debug for MethodsOrPreflight {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MethodsOrPreflight")
            .field("methods", &self.route.methods())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Names, Policy};

    static ROUTE: CorsRoute = crate::actix::route::tests::route(
        Policy::REFUSING_EVERY_ORIGIN,
        "f",
        "/f",
        Names {
            names: &["GET", "PUT"],
            value: "GET, PUT",
        },
    );

    #[test]
    fn it_shows_the_methods_it_lets_in() {
        let shown = format!("{:?}", MethodsOrPreflight::new(&ROUTE));
        assert!(
            shown.starts_with("MethodsOrPreflight {") && shown.contains(r#"["GET", "PUT"]"#),
            "{shown}"
        );
    }
}
