//! What the code `#[cors]` generates calls to build and register a route's resource.

use actix_web::body::MessageBody;
use actix_web::dev::{
    AppService, HttpServiceFactory, ServiceFactory, ServiceRequest, ServiceResponse,
};
use actix_web::{Error, FromRequest, Handler, Resource, Responder};

use super::guard::MethodsOrPreflight;
use super::middleware::CorsMiddleware;
use super::route::CorsRoute;
use super::table;
use crate::policy::Origins;

/// `Resource::new(path).name(name)` with the route's guard, [`MethodsOrPreflight`] (its methods
/// and its own guards). The route's own middleware is added to it, then [`register_wrapped`] finishes it.
pub fn resource(route: &'static CorsRoute, name: &str) -> Resource {
    Resource::new(route.path())
        .name(name)
        .guard(MethodsOrPreflight::new(route))
}

/// Registers `route` on its own resource ([`resource`], named `name`), routed to `handler`: what
/// `#[cors]` calls for a route without `wrap = ...`. Its bounds are the handler's alone, which
/// is less for the compiler to check per route than [`register_wrapped`]'s.
///
/// # Panics
///
/// As [`register_wrapped`].
pub fn register<F, Args>(config: &mut AppService, route: &'static CorsRoute, name: &str, handler: F)
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    register_wrapped(config, route, resource(route, name), handler);
}

/// Makes [`CorsMiddleware`] the outermost middleware of `resource`, routes it to `handler`, and
/// registers it: one router entry answers the route's requests and its preflights. A run-time
/// origin list the route uses is told, so that a list never set, or entries a route with
/// credentials refuses, are logged once when the app is built; and a
/// [`ScopeCors::scope`](super::ScopeCors::scope) being registered around it adds it to its table.
///
/// # Panics
///
/// When the route's policy allows any origin with credentials, which the macros never build.
pub fn register_wrapped<T, B, F, Args>(
    config: &mut AppService,
    route: &'static CorsRoute,
    resource: Resource<T>,
    handler: F,
) where
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = Error,
            InitError = (),
        > + 'static,
    B: MessageBody + 'static,
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    // The macros never build such a policy (it is a compile error); a hand-written one would
    // be refused by every browser, so it stops the app at start-up instead.
    assert!(
        !(route.policy().credentials() && matches!(route.policy().origins(), Origins::Any)),
        "`{}`: a CORS policy cannot allow any origin with credentials",
        route.name()
    );
    if let Origins::Runtime { list, name } = route.policy().origins() {
        list.__route_registered(name, route.name(), route.policy().credentials());
    }
    let group = table::record_route(config, route);
    let resource = resource.wrap(CorsMiddleware::new(route, group)).to(handler);
    HttpServiceFactory::register(resource, config);
}
