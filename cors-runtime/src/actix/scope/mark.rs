//! What a `#[cors]` route and the [`ScopeCors`](super::ScopeCors) around it tell each other:
//! one [`ScopeMark`] in the request's extensions.

use actix_web::HttpMessage;
use actix_web::dev::{ServiceRequest, ServiceResponse};

/// The one thing a route's middleware and the `ScopeCors` around it share about a request,
/// kept in its extensions: the scope marks the request it lets in ([`enter`]), and whatever
/// answers it inside (a `#[cors]` route, or a `ScopeCors` further in) marks it answered
/// ([`answered_here`]), so that the scopes around leave that answer alone ([`answered`]).
/// Without a scope around, a route writes nothing: the request-local map is touched only then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeMark {
    /// A `ScopeCors` let the request in; nothing inside answered it yet.
    InScope,
    /// A `#[cors]` route or an inner `ScopeCors` answered it.
    Answered,
}

/// A `ScopeCors` lets `req` in.
pub(crate) fn enter(req: &ServiceRequest) {
    req.extensions_mut().insert(ScopeMark::InScope);
}

/// Something inside a `ScopeCors` answers `req` with its own CORS headers.
pub(crate) fn answered_here(req: &impl HttpMessage) {
    req.extensions_mut().insert(ScopeMark::Answered);
}

/// A `#[cors]` route answers `req`: marked only when a `ScopeCors` is around to read it.
pub(crate) fn mark_answered(req: &ServiceRequest) {
    let in_scope = req.extensions().get::<ScopeMark>().is_some();
    if in_scope {
        answered_here(req);
    }
}

/// Whether something inside answered `res`'s request.
pub(crate) fn answered<B>(res: &ServiceResponse<B>) -> bool {
    res.request().extensions().get::<ScopeMark>() == Some(&ScopeMark::Answered)
}
