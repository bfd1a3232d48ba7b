//! [`WithCorsHeaders`]: an error that renders with the CORS headers of the route or scope it
//! passed through.

use core::fmt;
use std::rc::Rc;

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::{Error, HttpResponse, ResponseError};

use super::actual::Outcome;
use super::route::CorsRoute;

/// An error of a middleware inside a `#[cors]` route (or composed with
/// [`ScopeCors::around`](super::ScopeCors::around)), kept as an error, whose response carries
/// the CORS headers the request earned: the page can read a 401 or a 500.
///
/// It renders exactly as the original error does, plus those headers, each time it is rendered.
/// Outer middleware that needs the original error gets it with
/// `err.as_error::<WithCorsHeaders>().map(WithCorsHeaders::error)`. (Handler errors and extractor
/// failures are not wrapped: actix-web has already made them responses, which keep the error in
/// `HttpResponse::error`.)
pub struct WithCorsHeaders {
    error: Error,
    outcome: Outcome,
    route: Binding,
}

/// A route's binding, or a scope's.
pub(crate) enum Binding {
    Static(&'static CorsRoute),
    Shared(Rc<CorsRoute>),
}

impl From<&'static CorsRoute> for Binding {
    fn from(route: &'static CorsRoute) -> Self {
        Self::Static(route)
    }
}

impl Binding {
    fn route(&self) -> &CorsRoute {
        match self {
            Self::Static(route) => route,
            Self::Shared(route) => route,
        }
    }
}

impl WithCorsHeaders {
    /// `err`, unchanged when `outcome` adds no header, else wrapped.
    pub(crate) fn attach(err: Error, outcome: Outcome, route: Binding) -> Error {
        if matches!(outcome, Outcome::Plain { vary: false }) {
            return err;
        }
        Self {
            error: err,
            outcome,
            route,
        }
        .into()
    }

    /// The original error.
    pub fn error(&self) -> &Error {
        &self.error
    }
}

impl ResponseError for WithCorsHeaders {
    fn status_code(&self) -> StatusCode {
        self.error.as_response_error().status_code()
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        let mut res = self.error.error_response();
        self.outcome
            .clone()
            .apply(self.route.route(), res.headers_mut());
        res
    }
}

impl fmt::Display for WithCorsHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl fmt::Debug for WithCorsHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithCorsHeaders")
            .field("error", &self.error)
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Names, Policy};

    static ROUTE: CorsRoute =
        crate::actix::route::tests::route(Policy::REFUSING_EVERY_ORIGIN, "f", "/f", Names::GET);

    #[test]
    fn it_reads_as_the_original_error() {
        let wrapped = WithCorsHeaders::attach(
            actix_web::error::ErrorUnauthorized("no token"),
            Outcome::Refused,
            (&ROUTE).into(),
        );
        let with = wrapped
            .as_error::<WithCorsHeaders>()
            .expect("wrapped: the outcome adds `Vary`");
        assert_eq!(with.status_code(), StatusCode::UNAUTHORIZED);
        assert_eq!(with.to_string(), "no token");
        let debug = format!("{with:?}");
        assert!(
            debug.starts_with("WithCorsHeaders {") && debug.contains("Refused"),
            "{debug}"
        );
        let res = with.error_response();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.headers().get("vary").unwrap(), "Origin");
    }
}
