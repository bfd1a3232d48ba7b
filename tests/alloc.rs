//! DESIGN.md § 5: the CORS path allocates nothing. An allowed actual request to an annotated
//! route makes exactly as many allocations as the same request to the same route without
//! `#[cors]`, once both apps are warm.
//!
//! `allocation_counter` (a counting global allocator; `unsafe` is forbidden here) counts only on
//! the measuring thread, so the test harness's other threads cannot disturb it; the services
//! answer without waiting, so each request is one poll on this thread.

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{HeaderValue, ORIGIN};
use actix_web::test::{TestRequest, init_service};
use actix_web::{App, get};
use route_cors::cors;

#[get("/items")]
async fn plain_route() -> &'static str {
    "[]"
}

#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
    allow_headers = ["x-api-key"],
    expose_headers = ["x-request-id"],
    credentials,
    max_age = 600,
)]
#[get("/items")]
async fn cors_route() -> &'static str {
    "[]"
}

/// Polls once: these services answer without waiting.
fn now<F: Future>(fut: F) -> F::Output {
    match pin!(fut).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("the service did not answer at once"),
    }
}

/// A request from `origin`. The value is static, as a server's are slices of its read buffer:
/// cloning either never allocates. (`insert_header(("origin", "..."))` would copy the text into
/// a fresh buffer whose first clone allocates, which no server request does.)
fn request(origin: &'static str) -> actix_http::Request {
    TestRequest::get()
        .uri("/items")
        .insert_header((ORIGIN, HeaderValue::from_static(origin)))
        .to_request()
}

/// Allocations made while `app` serves `n` requests from `origin` (built beforehand), after
/// checking that each was answered with `allow_origin` as its `Access-Control-Allow-Origin`.
fn allocations<S, B>(app: &S, origin: &'static str, n: usize, allow_origin: Option<&str>) -> u64
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let requests: Vec<_> = (0..n).map(|_| request(origin)).collect();
    let mut answers = Vec::with_capacity(n);
    let info = allocation_counter::measure(|| {
        for req in requests {
            let res = now(app.call(req)).expect("the route answers");
            let allow = res.headers().get("access-control-allow-origin");
            // Compared in place: copying the value out would allocate.
            let expected = allow_origin.unwrap_or_default().as_bytes();
            answers.push((
                res.status().as_u16(),
                allow.map(|v| v.as_bytes() == expected),
            ));
            // The response is dropped here, inside the measured section, as a server would.
        }
    });
    for answer in answers {
        assert_eq!(answer, (200, allow_origin.map(|_| true)));
    }
    info.count_total
}

#[test]
fn an_allowed_actual_request_allocates_no_more_than_the_bare_route() {
    let sys = actix_web::rt::System::new();
    let bare_app = sys.block_on(init_service(App::new().service(plain_route)));
    let cors_app = sys.block_on(init_service(App::new().service(cors_route)));
    for origin in ["https://app.example.com", "https://api.example.org"] {
        // Warm up: pools and lazily built state fill on first use.
        allocations(&bare_app, origin, 64, None);
        allocations(&cors_app, origin, 64, Some(origin));

        let n = 256;
        let bare = allocations(&bare_app, origin, n, None);
        let annotated = allocations(&cors_app, origin, n, Some(origin));
        assert!(bare > 0, "the counting allocator counts nothing");
        assert_eq!(
            annotated, bare,
            "{n} allowed requests from {origin}: {annotated} allocations with #[cors], {bare} without"
        );
    }
}
