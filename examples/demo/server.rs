//! The demo's two servers, shared by `main.rs` and the browser test (`tests/browser.rs`), so
//! the test runs exactly the API and the page a person opens.

use std::collections::BTreeMap;
use std::sync::Mutex;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::guard::GuardContext;
use actix_web::http::Method;
use actix_web::middleware::{self, Next, from_fn};
use actix_web::{
    App, HttpRequest, HttpResponse, HttpServer, Responder, delete, error, get, post, put, web,
};
use route_cors::{Policy, ScopeCors, cors, policy};
use serde::Deserialize;

/// The page's origin, on any port so that `DEMO_PAGE_PORT` can move it. `localhost` is
/// deliberately left out: the same page served from there is a refused origin.
const PAGE: Policy = policy!(
    origins = ["http://127.0.0.1:*"],
    allow_headers = ["content-type", "x-api-key", "accept", "authorization"],
    expose_headers = ["x-request-id"],
    credentials,
    max_age = 600,
);

/// `OPTIONS` requests seen by the API, per path: the page reads them to see whether the
/// browser cached a preflight answer.
static PREFLIGHTS: Mutex<BTreeMap<String, u32>> = Mutex::new(BTreeMap::new());

/// App-level middleware: counts every `OPTIONS` request before route-cors answers it.
async fn count_preflights(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::OPTIONS {
        *PREFLIGHTS
            .lock()
            .unwrap()
            .entry(req.path().to_owned())
            .or_default() += 1;
    }
    next.call(req).await
}

/// The `OPTIONS` counts, as a JSON object `{ path: count }`.
#[cors(PAGE)]
#[get("/api/preflights")]
async fn preflights() -> impl Responder {
    let counts = PREFLIGHTS.lock().unwrap().clone();
    HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(counts)
}

#[derive(Deserialize)]
struct Item {
    name: String,
}

/// A simple cross-origin GET; the response exposes `x-request-id` but not `x-internal`.
#[cors(PAGE)]
#[get("/api/items/{id}")]
async fn get_item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", format!("req-{id}")))
        .insert_header(("x-internal", "hidden"))
        .json(serde_json::json!({ "id": *id, "name": "chair" }))
}

/// A preflighted PUT with JSON and a custom header; a bad body fails in the `Json` extractor.
#[cors(PAGE)]
#[put("/api/items/{id}")]
async fn put_item(id: web::Path<u32>, item: web::Json<Item>) -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "id": *id, "name": item.name }))
}

/// Only the admin origin (`http://localhost:*`) may delete: same path, another policy.
#[cors(origins = ["http://localhost:*"])]
#[delete("/api/items/{id}")]
async fn delete_item() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// A preflighted PUT whose answer the browser may cache for 600 s (`PAGE`'s `max_age`).
#[cors(PAGE)]
#[put("/api/notes/{id}")]
async fn put_note() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// The same call with `max_age = 0`: every PUT is preflighted again.
#[cors(origins = ["http://127.0.0.1:*"], allow_headers = ["x-api-key"], max_age = 0)]
#[put("/api/drafts/{id}")]
async fn put_draft() -> impl Responder {
    HttpResponse::NoContent().finish()
}

#[derive(Deserialize)]
struct Login {
    token: String,
}

/// A simple POST that sets the `session` cookie (kept by the browser only for a credentialed
/// call).
#[cors(PAGE)]
#[post("/api/login")]
async fn login(q: web::Query<Login>) -> impl Responder {
    HttpResponse::NoContent()
        .cookie(
            actix_web::cookie::Cookie::build("session", q.into_inner().token)
                .path("/")
                .finish(),
        )
        .finish()
}

/// Echoes the `session` cookie the browser sent, or `null`.
#[cors(PAGE)]
#[get("/api/me")]
async fn me(req: HttpRequest) -> impl Responder {
    let session = req.cookie("session").map(|c| c.value().to_owned());
    HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(serde_json::json!({ "session": session }))
}

/// A handler error: the 500 still carries the CORS headers, so the page can read it.
#[cors(PAGE)]
#[get("/api/fail")]
async fn fail() -> Result<&'static str, error::Error> {
    Err(error::ErrorInternalServerError("the database is on fire"))
}

/// Behind `require_token` (scope-level authentication): the preflight skips it, the 401 is
/// readable by the page.
#[cors(PAGE)]
#[get("/me")]
async fn private_me() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(serde_json::json!({ "user": "ada" }))
}

/// Authentication as many apps write it, for the `/api/private` scope: 401 without the token.
async fn require_token(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req
        .headers()
        .get("authorization")
        .is_some_and(|v| v == "Bearer demo-token")
    {
        Ok(next.call(req).await?.map_into_left_body())
    } else {
        let res = HttpResponse::Unauthorized()
            .insert_header(("www-authenticate", "Bearer"))
            .body("log in first");
        Ok(req.into_response(res).map_into_right_body())
    }
}

/// Tenant `a`'s route: its guard reads the query, which a preflight carries too.
fn tenant_a(ctx: &GuardContext<'_>) -> bool {
    ctx.head().uri.query() == Some("tenant=a")
}

fn tenant_b(ctx: &GuardContext<'_>) -> bool {
    ctx.head().uri.query() == Some("tenant=b")
}

/// Two routes on one path, told apart by a guard, with their own policies: this page may
/// write to tenant `a`...
#[cors(PAGE)]
#[put("/api/tenant", guard = "tenant_a")]
async fn put_tenant_a() -> impl Responder {
    HttpResponse::Ok().body("a")
}

/// ...and only the `localhost` page to tenant `b`.
#[cors(origins = ["http://localhost:*"], allow_headers = ["x-api-key"])]
#[put("/api/tenant", guard = "tenant_b")]
async fn put_tenant_b() -> impl Responder {
    HttpResponse::Ok().body("b")
}

/// Two routes on one path with one policy: the preflight of either lists both methods, so one
/// preflight covers a page that alternates them.
#[cors(PAGE)]
#[put("/api/things/{id}")]
async fn put_thing() -> impl Responder {
    HttpResponse::NoContent().finish()
}

#[cors(PAGE)]
#[delete("/api/things/{id}")]
async fn delete_thing() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// `PAGE` beside a stricter sibling, which allows no request header: a preflight that grants
/// `x-api-key` for the PUT does not list DELETE, so the DELETE is preflighted on its own.
#[cors(PAGE)]
#[put("/api/boxes/{id}")]
async fn put_box() -> impl Responder {
    HttpResponse::NoContent().finish()
}

#[cors(origins = ["http://127.0.0.1:*"], credentials, max_age = 600)]
#[delete("/api/boxes/{id}")]
async fn delete_box() -> impl Responder {
    HttpResponse::NoContent().finish()
}

#[get("/")]
async fn page(api: web::Data<String>) -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("cache-control", "no-store"))
        .body(include_str!("page.html").replace("{{API}}", &api))
}

/// Both servers, bound to 127.0.0.1 and not yet running.
pub struct Demo {
    /// The page origin's port (the one bound, when 0 was asked for).
    pub page_port: u16,
    /// The API origin's port.
    pub api_port: u16,
    api: Server,
    pages: Server,
}

/// The API origin's application, as each `HttpServer` worker builds it; the browser test also
/// runs it through `actix_web::test` to compare the `testing` checker with the browsers.
pub fn api() -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .wrap(middleware::Logger::new("%r -> %s"))
        .wrap(from_fn(count_preflights))
        .service((
            get_item,
            put_item,
            delete_item,
            put_note,
            put_draft,
            login,
            me,
            fail,
            preflights,
            put_tenant_a,
            put_tenant_b,
        ))
        .service((put_thing, delete_thing, put_box, delete_box))
        .service(
            ScopeCors::new(PAGE)
                .around(from_fn(require_token))
                .scope("/api/private", |scope| scope.service(private_me)),
        )
}

/// Binds the API and the page on 127.0.0.1; port 0 picks a free port.
pub fn bind(page_port: u16, api_port: u16) -> std::io::Result<Demo> {
    let api = HttpServer::new(api)
        .workers(1)
        .bind(("127.0.0.1", api_port))?;
    let api_port = api.addrs()[0].port();
    let base = format!("http://127.0.0.1:{api_port}");
    let pages = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(base.clone()))
            .service(page)
    })
    .workers(1)
    .bind(("127.0.0.1", page_port))?;
    let page_port = pages.addrs()[0].port();
    Ok(Demo {
        page_port,
        api_port,
        api: api.run(),
        pages: pages.run(),
    })
}

impl Demo {
    /// Serves both origins until the process stops; call inside an actix-web runtime.
    pub async fn run(self) -> std::io::Result<()> {
        actix_web::rt::spawn(self.pages);
        self.api.await
    }
}
