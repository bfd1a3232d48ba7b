#![deny(warnings)]

use actix_web::{App, HttpResponse, Responder, delete, get, head, options, patch, put, route, routes, web};
use route_cors::{Policy, cors, policy};

const API: Policy = policy!(origins = ["https://app.example.com"], allow_headers = ["content-type"], credentials);

#[cors(origins = "*")]
#[get("/a")]
async fn a() -> impl Responder { "a" }

#[cors(API)]
#[actix_web::post("/b/{id}", name = "b_route")]
async fn b(id: web::Path<u32>) -> impl Responder { id.to_string() }

#[cors(API)]
#[put("/c")]
async fn c() -> HttpResponse { HttpResponse::Ok().finish() }

#[cors(API)]
#[patch("/c")]
async fn c2() -> HttpResponse { HttpResponse::Ok().finish() }

#[cors(API)]
#[delete("/c")]
async fn c3() -> HttpResponse { HttpResponse::Ok().finish() }

#[cors(API)]
#[head("/d")]
async fn d() -> HttpResponse { HttpResponse::Ok().finish() }

#[cors(API)]
#[options("/e")]
async fn e() -> HttpResponse { HttpResponse::Ok().finish() }

#[cors(origins = ["https://*.example.com", "http://localhost:*"], expose_headers = "*", max_age = 0)]
#[route("/f", method = "GET", method = "POST", method = "CUSTOM")]
async fn f() -> HttpResponse { HttpResponse::Ok().finish() }

/// Documented handlers keep their docs.
#[cors(API)]
#[routes]
#[get("/g")]
#[post("/g")]
#[get("/h")]
pub async fn g() -> HttpResponse { HttpResponse::Ok().finish() }

fn main() {
    let _ = App::new()
        .service((a, b, c, c2, c3, d, e, f, g))
        .service(web::scope("/api").service(b));
}
