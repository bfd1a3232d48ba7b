#![deny(warnings)]

use actix_web::{App, HttpResponse, get};
use route_cors::{Policy, RuntimeOrigins, cors, policy};

static ORIGINS: RuntimeOrigins = RuntimeOrigins::new();
static INTRANET: RuntimeOrigins = RuntimeOrigins::allowing_insecure_http_credentials();

const SHARED: Policy = policy!(origins = runtime(ORIGINS), allow_headers = ["content-type"], credentials);

#[cors(origins = runtime(ORIGINS), credentials)]
#[get("/a")]
async fn a() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(SHARED)]
#[get("/b")]
async fn b() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = runtime(self::INTRANET), credentials)]
#[get("/c")]
async fn c() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() -> Result<(), route_cors::OriginListError> {
    ORIGINS.set(["https://app.example.com", "https://*.example.com"])?;
    INTRANET.set_from_str("http://intranet.example.com")?;
    let _ = App::new().service((a, b, c));
    Ok(())
}
