//! What the code `#[cors]` generates calls to build and register a route's resource.

use actix_web::body::MessageBody;
use actix_web::dev::{
    AppService, HttpServiceFactory, ServiceFactory, ServiceRequest, ServiceResponse,
};
use actix_web::{Error, FromRequest, Handler, Resource, Responder};

use super::guard::MethodsOrPreflight;
use super::middleware::CorsMiddleware;
use super::route::CorsRoute;

/// `Resource::new(path).name(name)` with the route's method guard, [`MethodsOrPreflight`]. The
/// route's own guards and middleware are added to it, then [`register`] finishes it.
pub fn resource(route: &'static CorsRoute, name: &str) -> Resource {
    Resource::new(route.path())
        .name(name)
        .guard(MethodsOrPreflight::new(route))
}

/// Makes [`CorsMiddleware`] the outermost middleware of `resource`, routes it to `handler`, and
/// registers it: one router entry answers the route's requests and its preflights.
pub fn register<T, B, F, Args>(
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
    let resource = resource.wrap(CorsMiddleware::new(route)).to(handler);
    HttpServiceFactory::register(resource, config);
}
