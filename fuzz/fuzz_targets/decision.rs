//! The whole request → response decision: any request to annotated routes through actix-web.
//!
//! Input: byte 0 picks the method and the route, byte 1 whether it is a preflight; the rest are
//! `\0`-separated header values: `Origin` lines (prefix `o`), `Access-Control-Request-Method`
//! (prefix `m`) and `Access-Control-Request-Headers` (prefix `h`). Checks DESIGN.md § 4: no
//! panic; at most one `Access-Control-Allow-Origin`; never `*` with credentials; a reflected
//! origin is the request's only `Origin` and one the policy allows; `Vary: Origin` on every
//! answer of a listed-origins route.
#![no_main]

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::HeaderValue;
use actix_web::{App, get, route, test};
use libfuzzer_sys::fuzz_target;
use route_cors::{Policy, cors, policy};

const LISTED: Policy = policy!(
    origins = [
        "https://example.com",
        "https://*.example.com",
        "http://localhost:*"
    ],
    allow_headers = ["content-type", "x-api-key"],
    credentials,
    max_age = 600,
);

#[cors(LISTED)]
#[route("/h", method = "GET", method = "PATCH", method = "DELETE")]
async fn listed() -> &'static str {
    "listed"
}

#[cors(origins = "*", allow_headers = "*")]
#[get("/open")]
async fn open() -> &'static str {
    "open"
}

type Res = ServiceResponse;

thread_local! {
    static SYSTEM: actix_web::rt::SystemRunner = actix_web::rt::System::new();
}

fn check(res: &Res, listed_route: bool, origins: &[Vec<u8>]) {
    let acao: Vec<_> = res
        .headers()
        .get_all("access-control-allow-origin")
        .collect();
    let acac = res
        .headers()
        .contains_key("access-control-allow-credentials");
    assert!(acao.len() <= 1, "several ACAO");
    if let Some(a) = acao.first() {
        if a.as_bytes() == b"*" {
            assert!(!acac && !listed_route);
        } else {
            assert!(listed_route && origins.len() == 1);
            assert_eq!(a.as_bytes(), origins[0].as_slice());
            assert!(LISTED.allows_origin(a.as_bytes()));
        }
    }
    if listed_route && res.status() != 404 && res.status() != 405 {
        let vary = res.headers().get_all("vary").any(|v| {
            v.as_bytes()
                .split(|&b| b == b',')
                .any(|t| t.trim_ascii() == b"Origin")
        });
        assert!(vary, "no Vary: Origin, status {}", res.status());
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let methods = [Method::GET, Method::PATCH, Method::DELETE, Method::POST];
    let listed_route = data[0] & 1 == 0;
    let method = methods[usize::from(data[0] >> 1) % methods.len()].clone();
    let preflight = data[1] & 1 == 1;
    let mut req = test::TestRequest::default()
        .uri(if listed_route { "/h" } else { "/open" })
        .method(if preflight { Method::OPTIONS } else { method });
    let mut origins = Vec::new();
    for field in data[2..].split(|&b| b == 0).take(64) {
        let Some((&kind, value)) = field.split_first() else {
            continue;
        };
        let Ok(value) = HeaderValue::from_bytes(value) else {
            continue;
        };
        let name = match kind {
            b'o' => {
                origins.push(value.as_bytes().to_vec());
                "origin"
            }
            b'm' => "access-control-request-method",
            b'h' => "access-control-request-headers",
            _ => "x-other",
        };
        req = req.append_header((name, value));
    }
    SYSTEM.with(|system| {
        system.block_on(async {
            let app = test::init_service(App::new().service(listed).service(open)).await;
            let res = app.call(req.to_request()).await.unwrap_or_else(|e| {
                panic!("service error: {e}");
            });
            check(&res.map_into_boxed_body(), listed_route, &origins);
        });
    });
});
