//! The `route_cors::testing` checker on every row of the demo page.
//!
//! Each request of a row (`rows.rs`) becomes a `CorsRequest`: the page's origin, the method, the
//! headers the script sets, and `Credentials::Include` for `credentials: "include"` and for
//! `withCredentials`. `route_cors::testing::fetch` sends it, preflight first when a browser
//! would send one, to the demo's API app (`server::api()`) through `actix_web::test`, at the
//! API's absolute URL, so the app sees the same own origin as behind the browsers. A request the
//! page never sends (`Outcome::NotSent`) is not sent here either; `*` in a path (the page's
//! per-load id, two digits or more) becomes `1`, which no page load uses.
//!
//! What is compared:
//! - per request, the checker's verdict with the table: `Read` is `Verdict::Allowed`, and
//!   `Blocked` is a block for Chromium's reason, word for word (the engine tests assert that
//!   reason in Chromium's console, and that Firefox and `WebKit` block the same requests);
//! - per row, in each engine test (Chromium, Firefox, Firefox spec-strict, `WebKit`), the engine's
//!   verdict (the page shows "blocked" or not) with the checker's verdict of the row's last
//!   request the page sends, the one whose answer the row shows. They agree on every row.
//!
//! Where they do not agree is off the demo's table, on the probe's `/wildcard` page
//! (`probe.rs`): the checker follows the Fetch standard, so `Access-Control-Allow-Headers: *`
//! never covers `Authorization` for it, as for the spec-strict Firefox; Chromium, `WebKit` and
//! Firefox by default let `*` cover it. `check_wildcard` (`browser.rs`) asserts both sides.
//!
//! What the checker does not model, so only the engines are held to the table there:
//! - cookies: the login and `/api/me` are two independent credentialed requests; whether the
//!   cookie comes back ("cookie sent", "no cookie") is the engines' alone;
//! - the preflight cache: each preflighted request gets a preflight of its own, so for the two
//!   `max_age` rows the checker judges both PUTs and the count request, and the count the page
//!   shows (one preflight or two) is the engines' alone;
//! - which response headers a script can read ("req-1", "null"): the checker says whether the
//!   response is readable, not which headers are exposed;
//! - bodies: `fetch` sends none, so the checker's "PUT JSON" gets the Json extractor's 400
//!   where the page gets 200; the verdict is the same, as every response of a route carries its
//!   CORS headers. Statuses are not compared.

use actix_web::test::init_service;
use route_cors::testing::{CorsRequest, Credentials, Verdict, fetch};

use crate::rows::{Outcome, ROWS, Request};
use crate::server;

/// What the checker stands in for the page's per-load id.
const ID: &str = "1";

/// One row's verdicts, per column, per request: `None` for a request the page does not send.
pub type RowVerdicts = [Vec<Option<Verdict>>; 2];

/// The checker's verdict on every request of every row, for the page at `origins` (allowed,
/// refused) calling the API at `api` (`http://127.0.0.1:<port>`).
pub fn verdicts(origins: [&str; 2], api: &str) -> Vec<RowVerdicts> {
    actix_web::rt::System::new().block_on(async {
        let app = init_service(server::api()).await;
        let mut out = Vec::new();
        for row in ROWS {
            let mut verdicts = RowVerdicts::default();
            for (column, origin) in origins.iter().enumerate() {
                for request in row.requests {
                    let verdict = if matches!(request.outcome[column], Outcome::NotSent) {
                        None
                    } else {
                        let uri = format!("{api}{}", request.path.replace('*', ID));
                        Some(fetch(&app, &uri, &cors_request(origin, request)).await)
                    };
                    verdicts[column].push(verdict);
                }
            }
            out.push(verdicts);
        }
        out
    })
}

/// The page's request as the checker takes it.
fn cors_request(origin: &str, request: &Request) -> CorsRequest {
    let mut req = CorsRequest::new(origin, request.method);
    for (name, value) in request.headers {
        req = req.header(name, value);
    }
    if request.credentials {
        req = req.credentials(Credentials::Include);
    }
    req
}

/// Every request's verdict against the table's outcome.
pub fn compare_with_table(verdicts: &[RowVerdicts], failures: &mut Vec<String>) {
    for (row, verdicts) in ROWS.iter().zip(verdicts) {
        for (column, verdicts) in verdicts.iter().enumerate() {
            for (request, verdict) in row.requests.iter().zip(verdicts) {
                let agrees = match (&request.outcome[column], verdict) {
                    (Outcome::Read, Some(Verdict::Allowed)) | (Outcome::NotSent, None) => true,
                    (Outcome::Blocked(want), Some(Verdict::Blocked(reason))) => {
                        reason == want.chromium
                    }
                    _ => false,
                };
                if !agrees {
                    let want = match &request.outcome[column] {
                        Outcome::Read => "readable".to_owned(),
                        Outcome::Blocked(b) => format!("blocked: {}", b.chromium),
                        Outcome::NotSent => "not sent".to_owned(),
                    };
                    failures.push(format!(
                        "checker, {:?}, {} {} from column {column}: {verdict:?}; the table says {want}",
                        row.call, request.method, request.path
                    ));
                }
            }
        }
    }
}

/// The checker alone, with no browser: it runs wherever the tests run, browsers installed or
/// not, on the usual ports.
#[test]
fn checker_agrees_with_the_table() {
    let verdicts = verdicts(
        ["http://127.0.0.1:8080", "http://localhost:8080"],
        "http://127.0.0.1:8081",
    );
    let mut failures = Vec::new();
    compare_with_table(&verdicts, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let requests: usize = verdicts
        .iter()
        .flat_map(|v| v.iter().flatten())
        .filter(|v| v.is_some())
        .count();
    println!(
        "the checker agrees with the table on {requests} requests of {} rows",
        ROWS.len()
    );
}
