//! [`CorsService`]: what stands in front of an annotated route. It answers the route's
//! preflights, refuses cross-origin requests the policy does not allow, and decorates every
//! response of the route. A route without middleware of its own is registered as this service
//! around its handler (see `register`); [`CorsMiddleware`] makes it the outermost middleware of
//! a route's resource otherwise.

use core::future::{Ready, ready};
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::future::Future;
use std::rc::Rc;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::Method;
use actix_web::{Error, HttpRequest};

use super::actual::{Decision, Outcome};
use super::error::WithCorsHeaders;
use super::request::is_preflight;
use super::response::forbidden;
use super::route::CorsRoute;
use super::scope;
use super::siblings::{Group, Siblings};

/// The middleware around an annotated route's resource: answers its preflights, decides before
/// the handler runs and decorates every response after it.
///
/// `#[cors]` makes it the outermost middleware of the route, so the route's preflights are
/// answered before the user's own middleware, extractors and handler run, and handler errors,
/// extractor failures and errors of the route's own middleware all carry CORS headers.
#[derive(Debug)]
pub struct CorsMiddleware {
    route: &'static CorsRoute,
    /// The `#[cors]` routes of the route's scope, where it is known.
    group: Option<Rc<Group>>,
}

impl CorsMiddleware {
    /// The middleware of `route`, registered in the scope of `group`.
    pub(crate) const fn new(route: &'static CorsRoute, group: Option<Rc<Group>>) -> Self {
        Self { route, group }
    }
}

impl<S, B> Transform<S, ServiceRequest> for CorsMiddleware
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsService<S, EitherBody<B>>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CorsService::new(
            service,
            self.route,
            self.group.as_deref(),
        )))
    }
}

/// The service [`CorsMiddleware`] makes, and the one a route without its own middleware is
/// registered as (see `register`): `O` is the body of its responses.
#[derive(Debug)]
pub struct CorsService<S, O> {
    service: S,
    route: &'static CorsRoute,
    /// The route's own methods include OPTIONS, so not every OPTIONS request it gets is a
    /// preflight.
    own_options: bool,
    /// The other `#[cors]` routes on its path, where they are known (shared with the futures
    /// of the preflights it answers).
    siblings: Option<Rc<Siblings>>,
    body: PhantomData<fn() -> O>,
}

impl<S, O> CorsService<S, O> {
    /// The service of `route` around `service`, the route registered in the scope of `group`
    /// (complete by now: the app is registered).
    pub(crate) fn new(service: S, route: &'static CorsRoute, group: Option<&Group>) -> Self {
        Self {
            service,
            route,
            own_options: route.methods().contains(&"OPTIONS"),
            siblings: group
                .and_then(|group| Siblings::of(route, group))
                .map(Rc::new),
            body: PhantomData,
        }
    }
}

/// How the route's responses (body `B`) and the answers given without running it (a boxed
/// body) become one response type: `EitherBody<B>` in general, and no conversion at all when
/// the route's body is boxed already (a route registered without middleware of its own).
#[doc(hidden)]
pub trait Bodies<B>: Sized {
    /// A response of the route.
    fn route(res: ServiceResponse<B>) -> ServiceResponse<Self>;
    /// An answer given without running it.
    fn answer(res: ServiceResponse) -> ServiceResponse<Self>;
}

impl<B: MessageBody> Bodies<B> for EitherBody<B> {
    fn route(res: ServiceResponse<B>) -> ServiceResponse<Self> {
        res.map_into_left_body()
    }

    fn answer(res: ServiceResponse) -> ServiceResponse<Self> {
        res.map_into_right_body()
    }
}

impl Bodies<BoxBody> for BoxBody {
    fn route(res: ServiceResponse) -> ServiceResponse {
        res
    }

    fn answer(res: ServiceResponse) -> ServiceResponse {
        res
    }
}

impl<S, B, O> Service<ServiceRequest> for CorsService<S, O>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    O: Bodies<B>,
{
    type Response = ServiceResponse<O>;
    type Error = Error;
    type Future = CorsFuture<S::Future, O>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let route = self.route;
        scope::mark_answered(&req);
        // The resource's guard lets a preflight in only when it asks for one of the route's
        // methods, and any other OPTIONS request only when OPTIONS is one of them.
        let head = req.head();
        if head.method == Method::OPTIONS && (!self.own_options || is_preflight(head)) {
            return CorsFuture::answer(req, route, Answer::Preflight(self.siblings.clone()));
        }
        match route.decide(&req) {
            Decision::Pass(outcome) => CorsFuture {
                state: State::Run {
                    fut: self.service.call(req),
                    outcome: Some(outcome),
                },
                route,
                body: PhantomData,
            },
            Decision::Refuse => CorsFuture::answer(req, route, Answer::Refused),
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`CorsService`].
    pub struct CorsFuture<F, O> {
        #[pin]
        state: State<F>,
        route: &'static CorsRoute,
        body: PhantomData<fn() -> O>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F> {
        // The route runs; its response gets `outcome` (taken once).
        Run { #[pin] fut: F, outcome: Option<Outcome> },
        // Answered without running the route: the answer is built when polled (taken once), so
        // that the future holds the request rather than a whole response.
        Answer { req: Option<HttpRequest>, answer: Answer },
    }
}

/// What a request the route does not run for gets.
#[derive(Debug)]
enum Answer {
    /// The preflight answer, which may list the methods of these siblings.
    Preflight(Option<Rc<Siblings>>),
    /// 403: an actual request from a refused origin.
    Refused,
}

impl<F, O> CorsFuture<F, O> {
    fn answer(req: ServiceRequest, route: &'static CorsRoute, answer: Answer) -> Self {
        // The body is never read: dropped here, as `into_response` would.
        let (req, _payload) = req.into_parts();
        Self {
            state: State::Answer {
                req: Some(req),
                answer,
            },
            route,
            body: PhantomData,
        }
    }
}

impl<F, B, O> Future for CorsFuture<F, O>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    O: Bodies<B>,
{
    type Output = Result<ServiceResponse<O>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let route = *this.route;
        match this.state.project() {
            StateProj::Answer { req, answer } => {
                let Some(req) = req.take() else {
                    return Poll::Ready(Err(polled_after()));
                };
                let req = ServiceRequest::from_request(req);
                let res = match answer {
                    Answer::Preflight(siblings) => route.preflight(req, siblings.as_deref()),
                    Answer::Refused => {
                        req.into_response(forbidden("CORS request refused: origin not allowed"))
                    }
                };
                Poll::Ready(Ok(O::answer(res)))
            }
            StateProj::Run { fut, outcome } => {
                let mut result = core::task::ready!(fut.poll(cx));
                let Some(outcome) = outcome.take() else {
                    return Poll::Ready(Err(polled_after()));
                };
                // Decorated where it lies, then handed on: the response is moved once.
                if let Ok(res) = &mut result {
                    outcome.apply(route, res.headers_mut());
                    return Poll::Ready(result.map(O::route));
                }
                // An error of a middleware inside the route: it stays that error, and its
                // response carries the CORS headers whenever it is rendered.
                Poll::Ready(
                    result
                        .map(O::route)
                        .map_err(|err| WithCorsHeaders::attach(err, outcome, route.into())),
                )
            }
        }
    }
}

pub(crate) fn polled_after() -> Error {
    actix_web::error::ErrorInternalServerError("CORS middleware polled after completion")
}
