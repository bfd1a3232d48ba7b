//! The middleware half of [`ScopeCors`]: its `Transform`s (`.wrap(ScopeCors::new(..))`, and
//! the layer `ScopeCors::scope` wraps its scope in), the service, and its futures.

use core::cell::OnceCell;
use core::future::{Ready, ready};
use core::pin::Pin;
use core::task::{Context, Poll};
use std::future::Future;
use std::rc::Rc;

use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header;

use super::super::actual::Outcome;
use super::super::error::{Binding, WithCorsHeaders};
use super::super::middleware::polled_after;
use super::super::request::is_preflight;
use super::super::route::CorsRoute;
use super::super::surface::{self, SurfaceScope};
use super::super::table::{RouteTable, TableRoute};
use super::mark;
use super::{Alone, ScopeCors};

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
pub(super) struct ScopeLayer<M> {
    pub(super) route: Option<CorsRoute>,
    pub(super) around: M,
    /// With `around`: the scope's table, filled when the scope is registered.
    pub(super) table: Option<Rc<OnceCell<Rc<RouteTable>>>>,
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
                super::super::logging::ScopePath(req.request()),
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
        mark::enter(&req);
        let preflight = is_preflight(req.head());
        if preflight && let Some(found) = self.table_route(&req) {
            // The only thing that runs for a request that skips `around`: its route's answer.
            mark::answered_here(&req);
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
        (Ok(res), Some(route), _) if scope_answer && !mark::answered(&res) => {
            let (req, _unanswered) = res.into_parts();
            let req = ServiceRequest::from_request(req);
            mark::answered_here(&req);
            Ok(route.preflight(req, None).map_into_right_body())
        }
        (Ok(mut res), Some(route), Some(outcome)) if !mark::answered(&res) => {
            mark::answered_here(res.request());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    #[test]
    fn it_shows_its_scope_policy_and_table_not_its_middleware() {
        let service = ScopeCorsService {
            around: (),
            route: Some(Rc::new(CorsRoute::scope_wide(
                Policy::REFUSING_EVERY_ORIGIN,
            ))),
            table: None,
        };
        let shown = format!("{service:?}");
        assert!(
            shown.starts_with("ScopeCorsService { route: Some(CorsRoute {")
                && shown.contains("\"ScopeCors\"")
                && shown.ends_with("table: None, .. }"),
            "{shown}"
        );
    }
}
