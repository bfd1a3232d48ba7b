//! Every response of an annotated route carries the CORS headers: handler errors, extractor
//! failures and errors of the route's own middleware included.

mod common;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, HttpResponse, Responder, error, get, post, put, test, web};
use common::{Case, run};
use route_cors::cors;
use serde::Deserialize;

const APP: &str = "https://app.example.com";

#[derive(Deserialize)]
struct Item {
    #[allow(dead_code)]
    name: String,
}

#[cors(origins = ["https://app.example.com"], allow_headers = ["content-type"], credentials)]
#[put("/items/{id}")]
async fn put_item(id: web::Path<u32>, item: web::Json<Item>) -> impl Responder {
    let _ = (id, item);
    HttpResponse::NoContent().finish()
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[get("/broken")]
async fn broken() -> Result<&'static str, error::Error> {
    Err(error::ErrorInternalServerError("database unavailable"))
}

#[allow(clippy::unused_async)] // `from_fn` takes an async fn
async fn failing_middleware(
    _req: ServiceRequest,
    _next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, error::Error> {
    Err::<ServiceResponse<String>, _>(error::ErrorUnauthorized("no session"))
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[post("/guarded", wrap = "from_fn(failing_middleware)")]
async fn guarded() -> &'static str {
    "never"
}

#[actix_web::test]
async fn every_response_carries_cors_headers() {
    let app = test::init_service(
        App::new()
            .service(put_item)
            .service(broken)
            .service(guarded),
    )
    .await;
    let cors: &[(&str, Option<&str>)] = &[
        ("access-control-allow-origin", Some(APP)),
        ("access-control-allow-credentials", Some("true")),
        ("vary", Some("Origin")),
    ];
    run(
        &app,
        &[
            Case {
                name: "Json<T> extractor fails (empty body)",
                method: "PUT",
                uri: "/items/7",
                headers: &[("origin", APP), ("content-type", "application/json")],
                status: 400,
                expect: cors,
            },
            Case {
                name: "Path<u32> extractor fails",
                method: "PUT",
                uri: "/items/seven",
                headers: &[("origin", APP), ("content-type", "application/json")],
                status: 404,
                expect: cors,
            },
            Case {
                name: "handler returns Err",
                method: "GET",
                uri: "/broken",
                headers: &[("origin", APP)],
                status: 500,
                expect: cors,
            },
        ],
    )
    .await;
}

/// An `Err` from middleware inside the route stays an `Err` for the middleware outside it (a
/// logger still sees the error), and the response the server renders from it carries the headers.
#[actix_web::test]
async fn route_middleware_errors_carry_cors_headers() {
    let app = test::init_service(App::new().service(guarded)).await;
    let req = test::TestRequest::post()
        .uri("/guarded")
        .insert_header(("origin", APP))
        .to_request();
    let Err(err) = test::try_call_service(&app, req).await else {
        panic!("the middleware error became a response")
    };
    // The original error is still there for outer middleware, and every render (an error
    // handler, then the server) carries the headers.
    let original = err
        .as_error::<route_cors::WithCorsHeaders>()
        .expect("wrapped")
        .error();
    assert_eq!(original.to_string(), "no session");
    assert_eq!(original.as_response_error().status_code(), 401);
    for render in 1..=2 {
        let res = err.error_response();
        assert_eq!(res.status().as_u16(), 401, "render {render}");
        let acao = res
            .headers()
            .get("access-control-allow-origin")
            .map(HeaderValue::as_bytes);
        assert_eq!(acao, Some(APP.as_bytes()), "render {render}");
        assert_eq!(
            res.headers()
                .get("access-control-allow-credentials")
                .map(HeaderValue::as_bytes),
            Some(&b"true"[..]),
            "render {render}"
        );
    }
}

/// A handler's own error type, which an outer middleware looks for.
#[derive(Debug)]
struct OutOfStock;

impl std::fmt::Display for OutOfStock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("out of stock")
    }
}

impl error::ResponseError for OutOfStock {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::CONFLICT
    }
}

#[cors(origins = ["https://app.example.com"])]
#[post("/buy")]
async fn buy() -> Result<&'static str, OutOfStock> {
    Err(OutOfStock)
}

/// What an outer middleware found in the response: the handler's error, by type.
async fn find_out_of_stock(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, error::Error> {
    let mut res = next.call(req).await?;
    let found = res
        .response()
        .error()
        .and_then(|e| e.as_error::<OutOfStock>())
        .is_some();
    res.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("x-found"),
        HeaderValue::from_static(if found { "out-of-stock" } else { "nothing" }),
    );
    Ok(res)
}

#[actix_web::test]
async fn handler_errors_keep_their_type_for_outer_middleware() {
    let app = test::init_service(App::new().wrap(from_fn(find_out_of_stock)).service(buy)).await;
    let req = test::TestRequest::post()
        .uri("/buy")
        .insert_header(("origin", APP))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status().as_u16(), 409);
    assert_eq!(
        common::joined(&res, "x-found").as_deref(),
        Some("out-of-stock")
    );
    assert_eq!(
        common::joined(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[actix_web::test]
async fn json_extractor_failure_is_readable_cross_origin() {
    let app = test::init_service(App::new().service(put_item)).await;
    let req = test::TestRequest::put()
        .uri("/items/7")
        .insert_header(("origin", APP))
        .insert_header(("content-type", "application/json"))
        .set_payload(r#"{"name": 42}"#)
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(
        common::joined(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    let body = test::read_body(res).await;
    assert!(
        String::from_utf8_lossy(&body).contains("invalid type"),
        "{body:?}"
    );

    let req = test::TestRequest::put()
        .uri("/items/7")
        .insert_header(("origin", APP))
        .insert_header(("content-type", "application/json"))
        .set_payload(r#"{"name": "chair"}"#)
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status().as_u16(), 204);
    assert_eq!(
        common::joined(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}
