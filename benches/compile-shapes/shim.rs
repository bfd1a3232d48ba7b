//! Stand-ins for helpers a new `route_cors::__private` could hold.
use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{
    AppService, HttpServiceFactory, ServiceFactory, ServiceRequest, ServiceResponse,
};
use actix_web::guard::{Guard, GuardContext};
use actix_web::{Error, FromRequest, Handler, Resource, Responder};
use route_cors::__private::{CorsGuard, Route};

/// A method guard bound to a route (stand-in for the future `RouteGuard`).
pub struct RouteGuard(&'static Route);
impl RouteGuard {
    pub const fn new(route: &'static Route) -> Self {
        Self(route)
    }
}
impl Guard for RouteGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let m = ctx.head().method.as_str();
        self.0.methods().iter().any(|r| *r == m) || m == "OPTIONS"
    }
}

/// The whole registration, generic over the handler.
pub fn register<F, Args>(config: &mut AppService, route: &'static Route, handler: F)
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    let r = Resource::new(route.path())
        .name(route.name())
        .guard(RouteGuard::new(route))
        .wrap(CorsGuard::new(route))
        .to(handler);
    HttpServiceFactory::register(r, config);
}

/// The guarded, wrapped resource, not generic: the caller adds `.to(handler)`.
pub fn resource(
    route: &'static Route,
) -> Resource<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<EitherBody<BoxBody>>,
        Error = Error,
        InitError = (),
    > + 'static,
> {
    Resource::new(route.path())
        .name(route.name())
        .guard(RouteGuard::new(route))
        .wrap(CorsGuard::new(route))
}

/// Per-route data only: what a slimmer generated static could hold.
pub struct At {
    pub name: &'static str,
    pub path: &'static str,
    pub methods: &'static [&'static str],
}

/// Registration with per-route data and a `Route` shared by every route of a policy.
pub fn register_at<F, Args>(
    config: &mut AppService,
    at: &'static At,
    shared: &'static Route,
    handler: F,
) where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    let r = Resource::new(at.path)
        .name(at.name)
        .guard(RouteGuard::new(shared))
        .wrap(CorsGuard::new(shared))
        .to(handler);
    HttpServiceFactory::register(r, config);
}

/// Registration with per-route data and a per-route `Policy` (no header values in the static):
/// the `Route` is built at registration (once per worker).
pub fn register_at_policy<F, Args>(
    config: &mut AppService,
    at: &'static At,
    policy: &'static route_cors::Policy,
    handler: F,
) where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    let route: &'static Route = Box::leak(Box::new(Route::__new(
        *policy, at.name, at.path, at.methods, "GET",
    )));
    let r = Resource::new(at.path)
        .name(at.name)
        .guard(RouteGuard::new(route))
        .wrap(CorsGuard::new(route))
        .to(handler);
    HttpServiceFactory::register(r, config);
}
