#![deny(warnings)]

use actix_web::{App, HttpResponse, get, post};
use route_cors::{Policy, cors, policy};

// Punycode host, IPv4 and IPv6 literals, explicit non-default ports, a subdomain pattern with a
// port, localhost on any port, loopback over plain http with credentials.
const LOCAL_DEV: Policy = policy!(
    origins = [
        "https://xn--bcher-kva.example",
        "http://127.0.0.1:3000",
        "http://[::1]:8080",
        "https://app.example.com:8443",
        "https://*.example.com:8443",
        "http://localhost:*",
        "http://*.localhost",
        "http://[::1]:*",
    ],
    allow_headers = ["content-type", "authorization", "x-api-key", "range"],
    expose_headers = ["x-request-id", "etag"],
    credentials,
    max_age = 7200,
);

#[cors(LOCAL_DEV)]
#[get("/a")]
async fn a() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// `*` without credentials, with `*` headers.
#[cors(origins = "*", allow_headers = "*", expose_headers = "*", max_age = 600)]
#[get("/b")]
async fn b() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// A public-suffix pattern and plain http are fine without credentials.
#[cors(origins = ["https://*.github.io", "http://partner.example.org", "http://[2001:db8::1]", "tauri://localhost"])]
#[post("/c")]
async fn c() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// Plain http with credentials, with the explicit opt-in.
#[cors(origins = ["http://intranet.example.com"], credentials, insecure_http_credentials)]
#[get("/d")]
async fn d() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// Above Chromium's cap, deliberately: the warning is allowed on the handler.
#[cors(origins = ["https://app.example.com"], max_age = 86400)]
#[allow(deprecated)]
#[get("/e")]
async fn e() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service((a, b, c, d, e));
}
