//! [`ScopeCors`]: a policy for a whole `App` or `web::scope`, and a scope whose preflights are
//! answered before the middleware that would reject them (authentication above all).

use core::cell::OnceCell;
use core::future::{Ready, ready};
use core::pin::Pin;
use core::task::{Context, Poll};
use std::future::Future;
use std::rc::Rc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{
    AppService, HttpServiceFactory, Service, ServiceFactory, ServiceRequest, ServiceResponse,
    Transform,
};
use actix_web::http::header;
use actix_web::{Error, HttpMessage, Scope, web};

use super::actual::Outcome;
use super::error::{Binding, WithCorsHeaders};
use super::middleware::polled_after;
use super::request::is_preflight;
use super::route::CorsRoute;
use super::surface::{self, SurfaceScope};
use super::table::{self, FrameStart, RouteTable, TableRoute};
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

/// Marks a request that went through a [`ScopeCors`], so that what answers it inside says so.
#[derive(Debug, Clone, Copy)]
struct InScope;

/// A `#[cors]` route, or a [`ScopeCors`] further in, answered the request: the scopes around
/// leave its answer alone.
#[derive(Debug, Clone, Copy)]
struct Answered;

/// Records that a `#[cors]` route answers `req`, when a [`ScopeCors`] is around to read it: the
/// request-local map is written to only then.
pub(crate) fn mark_answered(req: &ServiceRequest) {
    if req.extensions().contains::<InScope>() {
        req.extensions_mut().insert(Answered);
    }
}

fn answered<B>(res: &ServiceResponse<B>) -> bool {
    res.request().extensions().contains::<Answered>()
}

/// `ScopeCors::new(..)` as a middleware, `.wrap(ScopeCors::new(POLICY))`.
impl<S, B> Transform<S, ServiceRequest> for ScopeCors<Alone>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = ScopeCorsService<S>;
    type InitError = ();
    type Future = NewScopeCors<Ready<Result<S, ()>>>;

    fn new_transform(&self, service: S) -> Self::Future {
        // A middleware is not told where it is: its path is left unknown.
        surface::record_scope(|| SurfaceScope {
            path: None,
            policy: self.route.as_ref().map(|route| route.policy().clone()),
            around: false,
        });
        NewScopeCors {
            fut: ready(Ok(service)),
            parts: Some((self.route.clone().map(Rc::new), None)),
        }
    }
}

/// The middleware a [`ScopeCors::scope`] wraps its scope in.
struct ScopeLayer<M> {
    route: Option<CorsRoute>,
    around: M,
    /// With `around`: the scope's table, filled when the scope is registered.
    table: Option<Rc<OnceCell<Rc<RouteTable>>>>,
}

impl<S, M, B2> Transform<S, ServiceRequest> for ScopeLayer<M>
where
    M: Transform<S, ServiceRequest, Response = ServiceResponse<B2>, Error = Error, InitError = ()>,
    B2: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B2>>;
    type Error = Error;
    type Transform = ScopeCorsService<M::Transform>;
    type InitError = ();
    type Future = NewScopeCors<M::Future>;

    fn new_transform(&self, service: S) -> Self::Future {
        // The scope is registered before its services are built: the table is there. Were it
        // not, an empty table answers nothing, and every request goes through `around`.
        let table = self
            .table
            .as_ref()
            .map(|table| table.get().cloned().unwrap_or_default());
        NewScopeCors {
            fut: self.around.new_transform(service),
            parts: Some((self.route.clone().map(Rc::new), table)),
        }
    }
}

type Parts = (Option<Rc<CorsRoute>>, Option<Rc<RouteTable>>);

pin_project_lite::pin_project! {
    /// The future that makes a [`ScopeCorsService`].
    pub struct NewScopeCors<F> {
        #[pin]
        fut: F,
        parts: Option<Parts>,
    }
}

impl<F, T> Future for NewScopeCors<F>
where
    F: Future<Output = Result<T, ()>>,
{
    type Output = Result<ScopeCorsService<T>, ()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let around = core::task::ready!(this.fut.poll(cx))?;
        let (route, table) = this.parts.take().ok_or(())?;
        Poll::Ready(Ok(ScopeCorsService {
            around,
            route,
            table,
        }))
    }
}

/// The service a [`ScopeCors`] makes.
pub struct ScopeCorsService<T> {
    /// The composed middleware around the scope's services (the services alone without one).
    around: T,
    route: Option<Rc<CorsRoute>>,
    /// With `around`: the `#[cors]` routes whose preflights skip it.
    table: Option<Rc<RouteTable>>,
}

impl<T> core::fmt::Debug for ScopeCorsService<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ScopeCorsService")
            .field("route", &self.route)
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

impl<T> ScopeCorsService<T> {
    /// A preflight the table does not answer goes through `around`: when a route of the table
    /// would have answered it but for its own guards, says so at `debug` (the only place that
    /// can know it; see `preflights_skip_guards`).
    fn log_miss(&self, req: &ServiceRequest) {
        if !log::log_enabled!(target: "route_cors", log::Level::Debug) {
            return;
        }
        let (Some(table), Some(method)) = (
            self.table.as_deref(),
            req.headers().get(header::ACCESS_CONTROL_REQUEST_METHOD),
        ) else {
            return;
        };
        let path = req.match_info().unprocessed();
        if let Some(route) = table.refused_by_guard(path, req, method.as_bytes()) {
            log::debug!(
                target: "route_cors",
                "preflight to `{}` ({}) goes through the `around` middleware: the route's own \
                 `guard = ...` refuses it (a guard on what only the actual request carries: see \
                 `preflights_skip_guards`)",
                route.name(),
                super::logging::ScopePath(req.request()),
            );
        }
    }

    /// The `#[cors]` route of the table that answers `req`, a preflight that skips `around`.
    fn table_route(&self, req: &ServiceRequest) -> Option<&TableRoute> {
        let table = self.table.as_deref()?;
        let method = req
            .headers()
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)?
            .as_bytes();
        table.preflight_route(req.match_info().unprocessed(), req, method)
    }
}

impl<T, B2> Service<ServiceRequest> for ScopeCorsService<T>
where
    T: Service<ServiceRequest, Response = ServiceResponse<B2>, Error = Error>,
    B2: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B2>>;
    type Error = Error;
    type Future = ScopeCorsFuture<T::Future>;

    actix_web::dev::forward_ready!(around);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        req.extensions_mut().insert(InScope);
        let preflight = is_preflight(req.head());
        if preflight && let Some(found) = self.table_route(&req) {
            // The only thing that runs for a request that skips `around`: its route's answer.
            req.extensions_mut().insert(Answered);
            return ScopeCorsFuture {
                state: ScopeState::Answered {
                    res: Some(found.route.preflight(req, found.siblings.as_ref())),
                },
            };
        }
        if preflight && self.table.is_some() {
            self.log_miss(&req);
        }
        let route = self.route.clone();
        // Without `around`, a preflight no `#[cors]` route answers gets the scope-wide answer;
        // with it, such a request went through `around` like any request.
        let scope_answer = preflight && self.table.is_none();
        let outcome = match &route {
            Some(route) if !scope_answer => Some(route.scope_outcome(&req)),
            _ => None,
        };
        ScopeCorsFuture {
            state: ScopeState::Through {
                fut: self.around.call(req),
                outcome,
                route,
                scope_answer,
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`ScopeCorsService`].
    pub struct ScopeCorsFuture<A> {
        #[pin]
        state: ScopeState<A>,
    }
}

pin_project_lite::pin_project! {
    #[project = ScopeStateProj]
    enum ScopeState<A> {
        // A preflight of the table, answered without calling anything (taken once).
        Answered { res: Option<ServiceResponse> },
        // Any other request, through the composed middleware (or straight in without one).
        Through {
            #[pin] fut: A,
            outcome: Option<Outcome>,
            route: Option<Rc<CorsRoute>>,
            scope_answer: bool,
        },
    }
}

impl<A, B2> Future for ScopeCorsFuture<A>
where
    A: Future<Output = Result<ServiceResponse<B2>, Error>>,
    B2: MessageBody,
{
    type Output = Result<ServiceResponse<EitherBody<B2>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            ScopeStateProj::Answered { res } => Poll::Ready(
                res.take()
                    .map(ServiceResponse::map_into_right_body)
                    .ok_or_else(polled_after),
            ),
            ScopeStateProj::Through {
                fut,
                outcome,
                route,
                scope_answer,
            } => {
                let result = core::task::ready!(fut.poll(cx));
                Poll::Ready(finish(result, route.take(), outcome.take(), *scope_answer))
            }
        }
    }
}

/// What a request that went through the scope's services (and `around`) gets.
fn finish<B2: MessageBody>(
    result: Result<ServiceResponse<B2>, Error>,
    route: Option<Rc<CorsRoute>>,
    outcome: Option<Outcome>,
    scope_answer: bool,
) -> Result<ServiceResponse<EitherBody<B2>>, Error> {
    match (result, route, outcome) {
        // A preflight nothing inside answered as a `#[cors]` route: the scope-wide answer
        // replaces whatever did.
        (Ok(res), Some(route), _) if scope_answer && !answered(&res) => {
            let (req, _unanswered) = res.into_parts();
            let req = ServiceRequest::from_request(req);
            req.extensions_mut().insert(Answered);
            Ok(route.preflight(req, None).map_into_right_body())
        }
        (Ok(mut res), Some(route), Some(outcome)) if !answered(&res) => {
            res.request().extensions_mut().insert(Answered);
            outcome.apply(&route, res.headers_mut());
            Ok(res.map_into_left_body())
        }
        (Ok(res), ..) => Ok(res.map_into_left_body()),
        // Not from a `#[cors]` route (it would be wrapped already): the composed middleware's
        // rejection, say, which the page can then read.
        (Err(err), Some(route), Some(outcome)) if err.as_error::<WithCorsHeaders>().is_none() => {
            Err(WithCorsHeaders::attach(
                err,
                outcome,
                Binding::Shared(route),
            ))
        }
        (Err(err), ..) => Err(err),
    }
}
