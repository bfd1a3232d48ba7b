//! [`ScopeCors`]: a policy for a whole `App` or `web::scope`, and a scope whose preflights are
//! answered before the middleware that would reject them (authentication above all).

use core::cell::OnceCell;
use core::future::{Ready, ready};
use std::rc::Rc;

use actix_web::body::MessageBody;
use actix_web::dev::{
    AppService, HttpServiceFactory, Service, ServiceFactory, ServiceRequest, ServiceResponse,
    Transform,
};
use actix_web::{Error, Scope, web};

use super::route::CorsRoute;
use super::surface::{self, SurfaceScope};
use super::table::{self, FrameStart, RouteTable};
use crate::policy::Policy;

/// CORS for a whole `App` or `web::scope`: a scope-wide policy, and a scope whose preflights
/// are answered before the middleware it is composed with (authentication above all).
///
/// - **`#[cors]` routes inside always answer with their own policy**: their preflights, their
///   responses, their refusals. `ScopeCors` never changes what a `#[cors]` route answered.
/// - **Everything else inside gets the scope-wide policy** ([`new`](Self::new)), as a
///   middleware (`.wrap(ScopeCors::new(POLICY))`): responses of services that are not annotated
///   handlers (`actix_files::Files`, a `default_service`), and preflights no `#[cors]` route
///   answered (answered for `GET` and `HEAD`, what static content serves). It adds headers and
///   never blocks: requests from other origins run as they would without it, and their
///   responses carry `Vary: Origin` and no CORS header (those a handler set are removed), so the
///   browser keeps them from the page. [`routes_only`](Self::routes_only) has no scope-wide
///   policy.
/// - **[`around(middleware)`](Self::around)**, then [`scope(path, ..)`](Self::scope), builds a
///   `web::scope` whose every request goes through `middleware`, except the preflights of its
///   `#[cors]` routes. Browsers send preflights without credentials, so authentication would
///   refuse them; `ScopeCors` answers each with its route's policy itself, from a table of the
///   scope's `#[cors]` routes (their paths, methods and guards) made when the app is built.
///   **Nothing else runs for a request that skipped `middleware`**: no handler, extractor,
///   `default_service`, file service or middleware inside the scope, whatever shares the path
///   and whatever the registration order. A request shaped like a preflight that no `#[cors]`
///   route answers goes through `middleware` like any request, and a refusal from an allowed
///   origin carries the scope-wide policy's headers, so the page can read the 401.
///
/// `route_cors::ScopeCors` shows it in use.
#[derive(Debug, Clone)]
pub struct ScopeCors<M = Alone> {
    route: Option<CorsRoute>,
    around: M,
    bypass: bool,
}

impl ScopeCors {
    /// A scope-wide `policy` for what is not a `#[cors]` route (see the type's documentation).
    pub const fn new(policy: Policy) -> Self {
        Self {
            route: Some(CorsRoute::scope_wide(policy)),
            around: Alone,
            bypass: false,
        }
    }

    /// No scope-wide policy: only `#[cors]` routes give CORS answers.
    pub const fn routes_only() -> Self {
        Self {
            route: None,
            around: Alone,
            bypass: false,
        }
    }
}

impl<M> ScopeCors<M> {
    /// Every request goes through `middleware`, except the preflights of the `#[cors]` routes
    /// of the scope that [`scope`](Self::scope) then builds, which their policies answer (see
    /// the type's documentation). The result is no middleware of its own: it only builds that
    /// scope, since it must know the routes inside.
    ///
    /// A middleware that reads credentials from a header (`Authorization` above all) needs
    /// every policy inside to allow that header, or a page can never send it: the routes' own
    /// policies, not only this scope's. When this scope's policy allows `authorization` and a
    /// route's does not, the app logs a warning naming the route when it is built.
    pub fn around<N>(self, middleware: N) -> ScopeCors<N> {
        ScopeCors {
            route: self.route,
            around: middleware,
            bypass: true,
        }
    }

    /// A `web::scope(path)`, with the services `f` adds to it (routes, nested scopes, its own
    /// `wrap`s and guards, `configure`...), wrapped in this `ScopeCors`: register it with
    /// `App::service` or `Scope::service`. Use `""` for a whole app.
    ///
    /// Its table holds the `#[cors]` routes `f` registers, and those of the
    /// `ScopeCors::scope`s nested in it (`ScopeCors::routes_only().scope("/v1", ..)` for a plain
    /// nested scope). A `#[cors]` route inside a plain `web::scope` nested here is not in it: a
    /// scope's path is not visible from outside, so its preflights go through `around` like any
    /// request (the app logs a warning naming it when it is built).
    pub fn scope<F, T, B, B2>(
        self,
        path: &str,
        f: F,
    ) -> impl HttpServiceFactory + use<F, T, B, B2, M>
    where
        F: FnOnce(Scope) -> Scope<T>,
        T: ServiceFactory<
                ServiceRequest,
                Config = (),
                Response = ServiceResponse<B>,
                Error = Error,
                InitError = (),
            > + 'static,
        B: MessageBody + 'static,
        M: Transform<
                T::Service,
                ServiceRequest,
                Response = ServiceResponse<B2>,
                Error = Error,
                InitError = (),
            > + 'static,
        B2: MessageBody + 'static,
    {
        let table = Rc::new(OnceCell::new());
        let authorization = self.bypass
            && self
                .route
                .as_ref()
                .is_some_and(|route| table::allows_authorization(route.policy()));
        let policy = self.route.as_ref().map(|route| route.policy().clone());
        let layer = ScopeLayer {
            route: self.route,
            around: self.around,
            table: self.bypass.then(|| Rc::clone(&table)),
        };
        CorsScope {
            scope: f(web::scope(path).service(FrameStart)).wrap(layer),
            policy,
            path: path.to_owned(),
            around: self.bypass,
            authorization,
            table,
        }
    }
}

/// The scope [`ScopeCors::scope`] builds: registering it fills its table.
struct CorsScope<T> {
    scope: Scope<T>,
    /// The scope-wide policy, for the app's CORS surface.
    policy: Option<Policy>,
    path: String,
    /// Whether the scope skips a middleware for preflights.
    around: bool,
    /// Whether it does, and its policy allows `Authorization`.
    authorization: bool,
    table: Rc<OnceCell<Rc<RouteTable>>>,
}

impl<T, B> HttpServiceFactory for CorsScope<T>
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
    fn register(self, config: &mut AppService) {
        surface::record_scope(|| SurfaceScope {
            path: table::scope_path(config, &self.path),
            policy: self.policy,
            around: self.around,
        });
        let scope = self.scope;
        let table = table::register_frame(
            config,
            &self.path,
            self.around,
            self.authorization,
            |config| scope.register(config),
        );
        // Registered once: `register` takes the scope.
        let _ = self.table.set(table);
    }
}

/// The middleware of a [`ScopeCors`] with nothing [`around`](ScopeCors::around): none.
#[derive(Debug, Clone, Copy, Default)]
pub struct Alone;

impl<S> Transform<S, ServiceRequest> for Alone
where
    S: Service<ServiceRequest>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Transform = S;
    type InitError = ();
    type Future = Ready<Result<S, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(service))
    }
}

mod mark;
mod service;

pub(crate) use mark::mark_answered;
use service::ScopeLayer;
pub use service::{NewScopeCors, ScopeCorsFuture, ScopeCorsService};
