//! Probes beside the demo: a page and an API of the test's own, on free ports, for what the demo
//! does not show and its files are not the place for.
//!
//! - `/wildcard`: `Access-Control-Allow-Headers: *` and `Authorization`. A route-cors route with
//!   `allow_headers = "*"` must never let a page send `Authorization` (the Fetch standard's rule,
//!   which route-cors keeps whatever the browser does), and a control that is not route-cors
//!   answers every preflight with `*`, to show which engines let `*` cover `Authorization`
//!   (Chromium, `WebKit` and Firefox by default) and that the spec-strict Firefox run is in force.
//! - `/max-age`: two PUTs to a route with `max_age = 7200` and the preflights the API saw, for the
//!   opt-in test of `WebKit`'s 600 s cap (`max_age_cap`, in `browser.rs`).
//!
//! The pages have the demo page's shape (`tr[data-call]` rows: call, expected, observed,
//! result; `#summary[data-done]`), so every engine's `Browser::load` reads them. "expected" is
//! what route-cors promises; for the control, what the Fetch standard says.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::{Next, from_fn};
use actix_web::test::init_service;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, Responder, get, put, web};
use route_cors::cors;
use route_cors::testing::{CorsRequest, Verdict, fetch};

/// A route-cors route whose `allow_headers` is `*`: no credentials, any header but
/// `Authorization`.
#[cors(origins = ["http://127.0.0.1:*"], allow_headers = "*")]
#[get("/star")]
async fn star() -> impl Responder {
    HttpResponse::Ok().body("star")
}

/// The control, not route-cors: every preflight is answered with
/// `Access-Control-Allow-Headers: *`, every request with the page's origin.
async fn control(req: HttpRequest) -> HttpResponse {
    let origin = req
        .headers()
        .get("origin")
        .cloned()
        .unwrap_or_else(|| actix_web::http::header::HeaderValue::from_static("null"));
    let mut res = if req.method() == Method::OPTIONS {
        HttpResponse::NoContent()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header(("access-control-allow-origin", origin));
    if req.method() == Method::OPTIONS {
        res.insert_header(("access-control-allow-methods", "GET"));
        res.insert_header(("access-control-allow-headers", "*"));
        return res.finish();
    }
    res.body("control")
}

/// A preflighted PUT whose answer a browser may cache for 7200 s, if it lets it.
#[cors(origins = ["http://127.0.0.1:*"], allow_headers = ["x-api-key"], max_age = 7200)]
#[put("/long/{id}")]
async fn long() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// `OPTIONS` requests per path, as the demo counts them; each probe server has its own.
type Counts = web::Data<Mutex<BTreeMap<String, u32>>>;

#[cors(origins = ["http://127.0.0.1:*"])]
#[get("/preflights")]
async fn preflights(counts: Counts) -> impl Responder {
    let counts = counts.lock().unwrap().clone();
    HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(counts)
}

async fn count_preflights(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::OPTIONS
        && let Some(counts) = req.app_data::<Counts>()
    {
        *counts
            .lock()
            .unwrap()
            .entry(req.path().to_owned())
            .or_default() += 1;
    }
    next.call(req).await
}

/// The page's script: `CALLS` is `[call, expected, async () => observed]`.
const SCRIPT: &str = r#"
async function run() {
  const rows = document.getElementById("rows");
  let passed = 0;
  for (const [name, expected, call] of CALLS) {
    let observed;
    try { observed = await call(); } catch (e) { observed = "blocked"; }
    const ok = observed === expected;
    if (ok) passed++;
    const tr = document.createElement("tr");
    tr.dataset.call = name;
    for (const text of [name, expected, observed, ok ? "pass" : "FAIL"]) {
      const td = document.createElement("td"); td.textContent = text; tr.appendChild(td);
    }
    rows.appendChild(tr);
  }
  const summary = document.getElementById("summary");
  summary.textContent = passed + " of " + CALLS.length + " calls as expected";
  summary.dataset.done = "true";
}
run();
"#;

/// The `/wildcard` page's calls.
const WILDCARD: &str = r#"
const CALLS = [
  ["route-cors, allow_headers = \"*\": GET with Authorization", "blocked",
    async () => { const r = await fetch(API + "/star", { headers: { authorization: "Bearer t" } }); return r.status + " " + await r.text(); }],
  ["route-cors, allow_headers = \"*\": GET with x-anything", "200 star",
    async () => { const r = await fetch(API + "/star", { headers: { "x-anything": "1" } }); return r.status + " " + await r.text(); }],
  ["control, Access-Control-Allow-Headers: * answered to anything: GET with Authorization", "blocked",
    async () => { const r = await fetch(API + "/control", { headers: { authorization: "Bearer t" } }); return r.status + " " + await r.text(); }],
];
"#;

/// The `/max-age` page's call: two PUTs to one path, then how many preflights the API saw for
/// it since the server started (one path per test run, so later loads count on).
const MAX_AGE: &str = r#"
const CALLS = [
  ["PUT twice, max_age = 7200: preflights seen so far", "",
    async () => {
      for (let i = 0; i < 2; i++) {
        const r = await fetch(API + "/long/1", { method: "PUT", headers: { "x-api-key": "k" } });
        if (r.status !== 204) return "PUT " + r.status;
      }
      const r = await fetch(API + "/preflights", { cache: "no-store" });
      const n = (await r.json())["/long/1"] || 0;
      return n + (n === 1 ? " preflight" : " preflights");
    }],
];
"#;

#[get("/{page}")]
async fn probe_page(name: web::Path<String>, api: web::Data<String>) -> HttpResponse {
    let calls = match name.as_str() {
        "wildcard" => WILDCARD,
        "max-age" => MAX_AGE,
        _ => return HttpResponse::NotFound().finish(),
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("cache-control", "no-store"))
        .body(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>route-cors \
             probe</title></head><body><table><tbody id=\"rows\"></tbody></table>\
             <p id=\"summary\"></p><script>const API = \"{api}\";{calls}{SCRIPT}</script>\
             </body></html>",
            api = api.get_ref()
        ))
}

/// The probe's API application, counting preflights in `counts`.
fn api(
    counts: Counts,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(counts)
        .wrap(from_fn(count_preflights))
        .service((star, long, preflights))
        .route("/control", web::route().to(control))
}

/// The probe's two origins, `http://127.0.0.1:<port>` each.
pub struct Probe {
    pub page: String,
    pub api: String,
}

/// Starts the probe's page and API on free ports on a thread of their own.
pub fn start() -> Probe {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let counts: Counts = web::Data::new(Mutex::new(BTreeMap::new()));
            let api = HttpServer::new(move || api(counts.clone()))
                .workers(1)
                .bind(("127.0.0.1", 0))
                .expect("bind the probe's API");
            let base = format!("http://127.0.0.1:{}", api.addrs()[0].port());
            let api_base = base.clone();
            let pages = HttpServer::new(move || {
                App::new()
                    .app_data(web::Data::new(base.clone()))
                    .service(probe_page)
            })
            .workers(1)
            .bind(("127.0.0.1", 0))
            .expect("bind the probe's page");
            tx.send(Probe {
                page: format!("http://127.0.0.1:{}", pages.addrs()[0].port()),
                api: api_base,
            })
            .unwrap();
            actix_web::rt::spawn(pages.run());
            api.run().await.unwrap();
        });
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the probe's servers did not start")
}

/// The `/wildcard` page's requests, in its order: path and the one header the script sets.
pub const WILDCARD_REQUESTS: [(&str, (&str, &str)); 3] = [
    ("/star", ("authorization", "Bearer t")),
    ("/star", ("x-anything", "1")),
    ("/control", ("authorization", "Bearer t")),
];

/// The `testing` checker's verdict on each of [`WILDCARD_REQUESTS`] from the page at `page`.
pub fn wildcard_checker(page: &str, api_origin: &str) -> Vec<Verdict> {
    actix_web::rt::System::new().block_on(async {
        let app = init_service(api(web::Data::new(Mutex::new(BTreeMap::new())))).await;
        let mut out = Vec::new();
        for (path, (name, value)) in WILDCARD_REQUESTS {
            let request = CorsRequest::new(page, "GET").header(name, value);
            out.push(fetch(&app, &format!("{api_origin}{path}"), &request).await);
        }
        out
    })
}
