//! Authentication around the routes, and preflights that still get through: bearer tokens
//! (actix-web-httpauth) on a scope built by `ScopeCors::around(..).scope(..)`, so that the
//! browser's preflight, which never carries credentials, is answered by its route's own policy
//! without the token check (and without running anything else), and a 401 is readable by the
//! allowed page.
//!
//! ```text
//! cargo run --example auth                 # on 127.0.0.1:8080; PORT=... moves it
//! ```
//!
//! It prints the `curl` commands to try: a preflight without a token, a call with the token,
//! one without it (a readable 401), and the same from a refused origin.

mod common;

use actix_web::dev::ServiceRequest;
use actix_web::{App, HttpResponse, HttpServer, Responder, get, put, web};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;
use route_cors::{Policy, ScopeCors, cors, policy};

/// The page's policy, for the routes and for what the authentication refuses.
const API: Policy = policy!(
    origins = "https://app.example.com",
    allow_headers = ["authorization", "content-type"],
    credentials,
    max_age = 600,
);

/// A real app checks the token against its identity provider.
async fn validator(
    req: ServiceRequest,
    token: BearerAuth,
) -> Result<ServiceRequest, (actix_web::Error, ServiceRequest)> {
    if token.token() == "let-me-in" {
        Ok(req)
    } else {
        Err((actix_web::error::ErrorUnauthorized("bad token\n"), req))
    }
}

#[cors(API)]
#[get("/me")]
async fn me() -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "user": "ada" }))
}

#[cors(API)]
#[put("/me/name")]
async fn rename(name: String) -> impl Responder {
    format!("renamed to {name}\n")
}

/// The example's services, for `App::configure` (the tests list their CORS surface).
///
/// Every request goes through the token check but the preflights of the routes inside, which
/// their policies answer: nothing else runs for them.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        ScopeCors::new(API)
            .around(HttpAuthentication::bearer(validator))
            .scope("/api", |scope| scope.service(me).service(rename)),
    );
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port = common::port()?;
    let server = HttpServer::new(|| App::new().configure(routes))
        .workers(1)
        .bind(("127.0.0.1", port))
        .map_err(|e| common::explain_bind_error(e, port))?;
    let base = format!("http://127.0.0.1:{}", server.addrs()[0].port());

    println!("Listening on {base}. Try:");
    println!(
        "  curl -i -X OPTIONS {base}/api/me/name -H 'Origin: https://app.example.com' \\\n       -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: authorization, content-type'\n      # the preflight: 204 from the route's policy, no token asked for"
    );
    println!(
        "  curl -i {base}/api/me -H 'Origin: https://app.example.com' -H 'Authorization: Bearer let-me-in'\n      # 200 with CORS headers"
    );
    println!(
        "  curl -i {base}/api/me -H 'Origin: https://app.example.com'\n      # 401 with CORS headers: the page can read why"
    );
    println!(
        "  curl -i {base}/api/me -H 'Origin: https://evil.example'\n      # 401 without CORS headers: that page reads nothing"
    );
    server.run().await
}
