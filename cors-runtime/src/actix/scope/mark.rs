//! What a `#[cors]` route and the [`ScopeCors`](super::ScopeCors) around it tell each other:
//! one [`ScopeMark`] in the request's extensions.

use core::sync::atomic::{AtomicBool, Ordering};

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

/// Whether a `ScopeCors` ever let a request in, in this process: until one does, no request
/// can carry a mark, and a route does not look for one. A request that enters a scope sets it
/// on its own thread before anything inside runs, so a route never misses its own request's
/// mark; `Relaxed` suffices, since no other memory is published through it.
static ANY_SCOPE_ENTERED: AtomicBool = AtomicBool::new(false);

/// A `ScopeCors` lets `req` in.
pub(crate) fn enter(req: &ServiceRequest) {
    if !ANY_SCOPE_ENTERED.load(Ordering::Relaxed) {
        ANY_SCOPE_ENTERED.store(true, Ordering::Relaxed);
    }
    req.extensions_mut().insert(ScopeMark::InScope);
}

/// Something inside a `ScopeCors` answers `req` with its own CORS headers.
pub(crate) fn answered_here(req: &impl HttpMessage) {
    req.extensions_mut().insert(ScopeMark::Answered);
}

/// A `#[cors]` route answers `req`: marked only when a `ScopeCors` is around to read it.
pub(crate) fn mark_answered(req: &ServiceRequest) {
    // The usual app, with no `ScopeCors`: one load, and the request's extensions untouched.
    if !ANY_SCOPE_ENTERED.load(Ordering::Relaxed) {
        return;
    }
    let in_scope = req.extensions().get::<ScopeMark>().is_some();
    if in_scope {
        answered_here(req);
    }
}

/// Whether something inside answered `res`'s request.
pub(crate) fn answered<B>(res: &ServiceResponse<B>) -> bool {
    res.request().extensions().get::<ScopeMark>() == Some(&ScopeMark::Answered)
}
