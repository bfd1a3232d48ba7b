//! [`CorsMiddleware`]: the outermost middleware of an annotated route's resource. It answers the
//! route's preflights, refuses cross-origin requests the policy does not allow, and decorates
//! every response of the route.

use core::future::{Ready, ready};
use core::pin::Pin;
use core::task::{Context, Poll};
use std::future::Future;
use std::rc::Rc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::{Error, HttpRequest};
use actix_web::http::Method;

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
    type Transform = CorsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        let route = self.route;
        ready(Ok(CorsService {
            service,
            route,
            own_options: route.methods().contains(&"OPTIONS"),
            // The app is registered by now: the group is complete.
            siblings: self
                .group
                .as_deref()
                .and_then(|group| Siblings::of(route, group))
                .map(Rc::new),
        }))
    }
}

/// The service [`CorsMiddleware`] makes.
#[derive(Debug)]
pub struct CorsService<S> {
    service: S,
    route: &'static CorsRoute,
    /// The route's own methods include OPTIONS, so not every OPTIONS request it gets is a
    /// preflight.
    own_options: bool,
    /// The other `#[cors]` routes on its path, where they are known (shared with the futures
    /// of the preflights it answers).
    siblings: Option<Rc<Siblings>>,
}

impl<S, B> Service<ServiceRequest> for CorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CorsFuture<S::Future>;

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
                    route,
                },
            },
            Decision::Refuse => CorsFuture::answer(req, route, Answer::Refused),
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`CorsService`].
    pub struct CorsFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F> {
        // The route runs; its response gets `outcome` (taken once).
        Run { #[pin] fut: F, outcome: Option<Outcome>, route: &'static CorsRoute },
        // Answered without running the route: the answer is built when polled (taken once), so
        // that the future holds the request rather than a whole response.
        Answer { req: Option<HttpRequest>, route: &'static CorsRoute, answer: Answer },
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

impl<F> CorsFuture<F> {
    fn answer(req: ServiceRequest, route: &'static CorsRoute, answer: Answer) -> Self {
        // The body is never read: dropped here, as `into_response` would.
        let (req, _payload) = req.into_parts();
        Self {
            state: State::Answer {
                req: Some(req),
                route,
                answer,
            },
        }
    }
}

impl<F, B> Future for CorsFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Answer { req, route, answer } => {
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
                Poll::Ready(Ok(res.map_into_right_body()))
            }
            StateProj::Run {
                fut,
                outcome,
                route,
            } => {
                let result = core::task::ready!(fut.poll(cx));
                let Some(outcome) = outcome.take() else {
                    return Poll::Ready(Err(polled_after()));
                };
                Poll::Ready(match result {
                    Ok(mut res) => {
                        outcome.apply(route, res.headers_mut());
                        Ok(res.map_into_left_body())
                    }
                    // An error of a middleware inside the route: it stays that error, and its
                    // response carries the CORS headers whenever it is rendered.
                    Err(err) => Err(WithCorsHeaders::attach(err, outcome, (*route).into())),
                })
            }
        }
    }
}

pub(crate) fn polled_after() -> Error {
    actix_web::error::ErrorInternalServerError("CORS middleware polled after completion")
}
