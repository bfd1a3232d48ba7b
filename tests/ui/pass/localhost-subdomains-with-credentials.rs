#![deny(warnings)]

//! RFC 6761 reserves `localhost` and every name under it for the local machine, and browsers
//! resolve them to loopback themselves: plain `http://` there needs no
//! `insecure_http_credentials`, as `http://localhost` does not.

use actix_web::{App, get};
use route_cors::{Policy, cors, policy};

const DEV: Policy = policy!(
    origins = [
        "http://app.localhost:3000",
        "http://api.app.localhost:8080",
        "http://admin.localhost:*",
        "http://*.localhost",
        "ws://app.localhost:3000",
        "http://localhost.:5173",
    ],
    allow_headers = ["content-type"],
    credentials,
);

#[cors(DEV)]
#[get("/a")]
async fn a() -> &'static str {
    ""
}

#[cors(origins = ["http://app.localhost:3000"], credentials)]
#[get("/b")]
async fn b() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(a).service(b);
}
