//! What the code `#[cors]` generates calls to register a route: its own router entry, or with
//! `wrap = ...` the actix-web `Resource` its middleware needs.

use core::future::Future;
use core::pin::Pin;
use std::rc::Rc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{
    AppService, HttpServiceFactory, ResourceDef, ServiceFactory, ServiceRequest, ServiceResponse,
};
use actix_web::guard::Guard;
use actix_web::{Error, FromRequest, Handler, Resource, Responder, Route};

use super::guard::MethodsOrPreflight;
use super::middleware::{CorsMiddleware, CorsService};
use super::route::CorsRoute;
use super::siblings::Group;
use super::table;
use crate::policy::Origins;

/// `Resource::new(path).name(name)` with the route's guard, [`MethodsOrPreflight`] (its methods
/// and its own guards). The route's own middleware is added to it, then [`register_wrapped`] finishes it.
pub fn resource(route: &'static CorsRoute, name: &str) -> Resource {
    Resource::new(route.path())
        .name(name)
        .guard(MethodsOrPreflight::new(route))
}

/// Registers `route`, routed to `handler` and named `name`: what `#[cors]` calls for a route
/// without `wrap = ...`. Its bounds are the handler's alone, which is less for the compiler to
/// check per route than [`register_wrapped`]'s.
///
/// The router entry is the route's [`CorsService`] straight around the handler, guarded by
/// [`MethodsOrPreflight`]: what [`register_wrapped`] registers without an actix-web `Resource`
/// between the two, whose wrapper and route loop would run for every request (and whose
/// wrapper the router boxes with the route's future inside, twice over), and with responses
/// that need no body conversion (the handler's and the answers' bodies are both boxed).
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
    note_registered(route);
    let group = table::record_route(config, route);
    // As `Resource::register` makes its pattern: a leading `/` added unless the path is empty.
    let path = route.path();
    let mut rdef = if path.is_empty() || path.starts_with('/') {
        ResourceDef::new(path)
    } else {
        ResourceDef::new(format!("/{path}"))
    };
    rdef.set_name(name);
    let guard: Box<dyn Guard> = Box::new(MethodsOrPreflight::new(route));
    let entry = Entry {
        route,
        group,
        handler: Route::new().to(handler),
    };
    config.register_service(rdef, Some(vec![guard]), entry, None);
}

/// The router entry [`register`] registers: makes the route's [`CorsService`] around the
/// handler's service.
struct Entry {
    route: &'static CorsRoute,
    group: Option<Rc<Group>>,
    handler: Route,
}

impl ServiceFactory<ServiceRequest> for Entry {
    type Response = ServiceResponse;
    type Error = Error;
    type Config = ();
    type Service = CorsService<<Route as ServiceFactory<ServiceRequest>>::Service, BoxBody>;
    type InitError = ();
    type Future = Pin<Box<dyn Future<Output = Result<Self::Service, ()>>>>;

    fn new_service(&self, (): ()) -> Self::Future {
        let handler = self.handler.new_service(());
        let (route, group) = (self.route, self.group.clone());
        // The app is registered by now: the group is complete.
        Box::pin(async move { Ok(CorsService::new(handler.await?, route, group.as_deref())) })
    }
}

/// Checks `route`'s policy once more and tells a run-time origin list it uses about it, so that
/// a list never set, or entries a route with credentials refuses, are logged once when the app
/// is built.
///
/// # Panics
///
/// When the route's policy allows any origin with credentials, which the macros never build.
fn note_registered(route: &'static CorsRoute) {
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
    note_registered(route);
    let group = table::record_route(config, route);
    let resource = resource.wrap(CorsMiddleware::new(route, group)).to(handler);
    HttpServiceFactory::register(resource, config);
}
