//! Shared helpers of the integration tests: table-driven cases and a log capture.

#![allow(dead_code, unreachable_pub)]

use std::sync::Mutex;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::Method;
use actix_web::test::{self, TestRequest};

/// One request and the exact answer expected.
pub struct Case<'a> {
    pub name: &'a str,
    pub method: &'a str,
    pub uri: &'a str,
    /// Request headers; a name may repeat (several lines).
    pub headers: &'a [(&'a str, &'a str)],
    pub status: u16,
    /// Response headers: the value of all lines joined with ", ", or `None` for absent.
    pub expect: &'a [(&'a str, Option<&'a str>)],
}

/// The `Access-Control-*` headers no refused or plain response may carry.
pub const NO_CORS: &[(&str, Option<&str>)] = &[
    ("access-control-allow-origin", None),
    ("access-control-allow-credentials", None),
    ("access-control-allow-methods", None),
    ("access-control-allow-headers", None),
    ("access-control-expose-headers", None),
    ("access-control-max-age", None),
];

pub fn request(case: &Case<'_>) -> actix_http::Request {
    let mut req = TestRequest::default()
        .method(Method::from_bytes(case.method.as_bytes()).unwrap())
        .uri(case.uri);
    for (name, value) in case.headers {
        req = req.append_header((*name, *value));
    }
    req.to_request()
}

/// All values of `name`, joined with ", ".
pub fn joined<B>(res: &ServiceResponse<B>, name: &str) -> Option<String> {
    let values: Vec<_> = res
        .headers()
        .get_all(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    if values.is_empty() {
        None
    } else {
        Some(values.join(", "))
    }
}

/// Runs every case against `app` and asserts status and headers; reports every mismatch.
pub async fn run<S, B>(app: &S, cases: &[Case<'_>])
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let mut failures = Vec::new();
    for case in cases {
        let res = test::call_service(app, request(case)).await;
        if res.status().as_u16() != case.status {
            failures.push(format!(
                "{}: status {} (expected {})",
                case.name,
                res.status().as_u16(),
                case.status
            ));
        }
        for (name, want) in case.expect {
            let got = joined(&res, name);
            if got.as_deref() != *want {
                failures.push(format!(
                    "{}: {name}: {got:?} (expected {want:?})",
                    case.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

static LOGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        if record.target() == "route_cors" {
            LOGS.lock()
                .unwrap()
                .push(format!("{} {}", record.level(), record.args()));
        }
    }
    fn flush(&self) {}
}

/// Starts capturing `route_cors` log lines (idempotent).
pub fn capture_logs() {
    static LOGGER: Capture = Capture;
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Trace);
    }
}

/// The captured lines that mention `needle`.
pub fn logs_with(needle: &str) -> Vec<String> {
    LOGS.lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains(needle))
        .cloned()
        .collect()
}
