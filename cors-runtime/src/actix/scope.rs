//! [`ScopeCors`]: a policy for a whole `App` or `web::scope`, and the way preflights get past
//! middleware that would reject them.

use core::future::{Ready, ready};
use core::pin::Pin;
use core::task::{Context, Poll};
use std::future::Future;
use std::rc::Rc;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::{Error, HttpMessage};

use super::actual::Outcome;
use super::error::{Binding, WithCorsHeaders};
use super::request::is_preflight;
use super::response::forbidden;
use super::route::CorsRoute;
use crate::policy::Policy;

/// CORS for a whole `App` or `web::scope`: a scope-wide policy, and preflights that get past
/// the middleware it is composed with (authentication above all).
///
/// - **`#[cors]` routes inside always answer with their own policy**: their preflights, their
///   responses, their refusals. `ScopeCors` never changes what a `#[cors]` route answered.
/// - **Everything else inside gets the scope-wide policy** ([`new`](Self::new)): responses of
///   services that are not annotated handlers (`actix_files::Files`, a `default_service`),
///   rejections by the middleware composed with [`around`](Self::around) (a 401 from an
///   allowed origin is readable by the page), and preflights no `#[cors]` route answered
///   (answered for `GET` and `HEAD`, what static content serves). It adds headers and never
///   blocks: requests from other origins run as they would without it, and their responses
///   carry `Vary: Origin` and no CORS header (those a handler set are removed), so the browser
///   keeps them from the page. [`routes_only`](Self::routes_only) has no scope-wide policy.
/// - **[`around(middleware)`](Self::around)**: every request goes through `middleware` except
///   preflights (`OPTIONS` with `Origin` and `Access-Control-Request-Method`), which browsers
///   send without credentials, so authentication would refuse them. They go straight to the
///   routes inside, where the `#[cors]` route they ask for answers them without running its
///   handler. A preflight that no `#[cors]` route answers gets the scope-wide answer, or 403
///   with `routes_only`: whatever else answered it, its response is never sent, because it was
///   not authenticated.
///
/// `route_cors::ScopeCors` shows it in use.
///
/// A service inside that is not a `#[cors]` route and accepts `OPTIONS` (an `#[options]`
/// handler, a `Resource::to` handler, a `default_service`) still runs for a preflight that
/// skipped `middleware`, unauthenticated; its answer is replaced. Give such services a method
/// guard, or keep state-changing work off `OPTIONS`.
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

    /// No scope-wide policy: only `#[cors]` routes give CORS answers; with
    /// [`around`](Self::around), preflights they do not answer get 403.
    pub const fn routes_only() -> Self {
        Self {
            route: None,
            around: Alone,
            bypass: false,
        }
    }
}

impl<M> ScopeCors<M> {
    /// Every request goes through `middleware`, except preflights, which go straight to the
    /// routes inside (see the type's documentation).
    pub fn around<N>(self, middleware: N) -> ScopeCors<N> {
        ScopeCors {
            route: self.route,
            around: middleware,
            bypass: true,
        }
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

impl<S, B, M, B2> Transform<S, ServiceRequest> for ScopeCors<M>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody,
    M: Transform<
            Rc<S>,
            ServiceRequest,
            Response = ServiceResponse<B2>,
            Error = Error,
            InitError = (),
        >,
    B2: MessageBody,
{
    type Response = ServiceResponse<EitherBody<EitherBody<B2, B>>>;
    type Error = Error;
    type Transform = ScopeCorsService<S, M::Transform>;
    type InitError = ();
    type Future = NewScopeCors<M::Future, S>;

    fn new_transform(&self, service: S) -> Self::Future {
        let inner = Rc::new(service);
        NewScopeCors {
            fut: self.around.new_transform(Rc::clone(&inner)),
            parts: Some((inner, self.route.clone().map(Rc::new), self.bypass)),
        }
    }
}

type Parts<S> = (Rc<S>, Option<Rc<CorsRoute>>, bool);

pin_project_lite::pin_project! {
    /// The future that makes a [`ScopeCorsService`].
    pub struct NewScopeCors<F, S> {
        #[pin]
        fut: F,
        parts: Option<Parts<S>>,
    }
}

impl<F, S, T> Future for NewScopeCors<F, S>
where
    F: Future<Output = Result<T, ()>>,
{
    type Output = Result<ScopeCorsService<S, T>, ()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let around = core::task::ready!(this.fut.poll(cx))?;
        let (inner, route, bypass) = this.parts.take().ok_or(())?;
        Poll::Ready(Ok(ScopeCorsService {
            inner,
            around,
            route,
            bypass,
        }))
    }
}

/// The service [`ScopeCors`] makes.
pub struct ScopeCorsService<S, T> {
    inner: Rc<S>,
    around: T,
    route: Option<Rc<CorsRoute>>,
    bypass: bool,
}

impl<S, T> core::fmt::Debug for ScopeCorsService<S, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ScopeCorsService")
            .field("route", &self.route)
            .field("bypass", &self.bypass)
            .finish_non_exhaustive()
    }
}

impl<S, B, T, B2> Service<ServiceRequest> for ScopeCorsService<S, T>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    T: Service<ServiceRequest, Response = ServiceResponse<B2>, Error = Error>,
    B: MessageBody,
    B2: MessageBody,
{
    type Response = ServiceResponse<EitherBody<EitherBody<B2, B>>>;
    type Error = Error;
    type Future = ScopeCorsFuture<T::Future, S::Future>;

    actix_web::dev::forward_ready!(around);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        req.extensions_mut().insert(InScope);
        let route = self.route.clone();
        if is_preflight(req.head()) {
            return ScopeCorsFuture {
                state: ScopeState::Preflight {
                    fut: self.inner.call(req),
                    route,
                    bypass: self.bypass,
                },
            };
        }
        let outcome = route.as_deref().map(|route| route.scope_outcome(&req));
        ScopeCorsFuture {
            state: ScopeState::Actual {
                fut: self.around.call(req),
                outcome,
                route,
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`ScopeCorsService`].
    pub struct ScopeCorsFuture<A, P> {
        #[pin]
        state: ScopeState<A, P>,
    }
}

pin_project_lite::pin_project! {
    #[project = ScopeStateProj]
    enum ScopeState<A, P> {
        // An actual request, through the composed middleware.
        Actual { #[pin] fut: A, outcome: Option<Outcome>, route: Option<Rc<CorsRoute>> },
        // A preflight, straight to the routes inside.
        Preflight { #[pin] fut: P, route: Option<Rc<CorsRoute>>, bypass: bool },
    }
}

impl<A, P, B, B2> Future for ScopeCorsFuture<A, P>
where
    A: Future<Output = Result<ServiceResponse<B2>, Error>>,
    P: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody,
    B2: MessageBody,
{
    type Output = Result<ServiceResponse<EitherBody<EitherBody<B2, B>>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            ScopeStateProj::Actual {
                fut,
                outcome,
                route,
            } => {
                let result = core::task::ready!(fut.poll(cx));
                let outcome = outcome.take();
                Poll::Ready(match (result, route.take(), outcome) {
                    (Ok(mut res), Some(route), Some(outcome)) if !answered(&res) => {
                        res.request().extensions_mut().insert(Answered);
                        outcome.apply(&route, res.headers_mut());
                        Ok(res.map_body(|_, b| EitherBody::left(EitherBody::left(b))))
                    }
                    (Ok(res), ..) => Ok(res.map_body(|_, b| EitherBody::left(EitherBody::left(b)))),
                    // Not from a `#[cors]` route (it would be wrapped already): the composed
                    // middleware's rejection, say, which the page can then read.
                    (Err(err), Some(route), Some(outcome))
                        if err.as_error::<WithCorsHeaders>().is_none() =>
                    {
                        Err(WithCorsHeaders::attach(
                            err,
                            outcome,
                            Binding::Shared(route),
                        ))
                    }
                    (Err(err), ..) => Err(err),
                })
            }
            ScopeStateProj::Preflight { fut, route, bypass } => {
                let res = match core::task::ready!(fut.poll(cx)) {
                    // Unanswered, and there is an answer to give instead.
                    Ok(res) if !answered(&res) && (route.is_some() || *bypass) => res,
                    Ok(res) => {
                        return Poll::Ready(Ok(
                            res.map_body(|_, b| EitherBody::left(EitherBody::right(b)))
                        ));
                    }
                    Err(err) => return Poll::Ready(Err(err)),
                };
                // Whatever answered it inside is not a `#[cors]` route: its answer is dropped.
                let (req, _unanswered) = res.into_parts();
                let answer: ServiceResponse<BoxBody> = if let Some(route) = route.take() {
                    let req = ServiceRequest::from_request(req);
                    req.extensions_mut().insert(Answered);
                    route.preflight(req)
                } else {
                    log::debug!(
                        target: "route_cors",
                        "preflight to {} refused: no #[cors] route answers it (a route whose own `guard = ...` refuses its preflights answers none: see `preflights_skip_guards`)",
                        super::logging::ScopePath(&req),
                    );
                    ServiceResponse::new(
                        req,
                        forbidden("CORS preflight refused: no CORS route answers it"),
                    )
                };
                Poll::Ready(Ok(answer.map_body(|_, b| EitherBody::right(b))))
            }
        }
    }
}
