//! `ScopeCors` as a middleware: a scope-wide policy for what is not a `#[cors]` route (static
//! files, default services, unannotated handlers), beside `#[cors]` routes that keep their own,
//! and nested scopes where the innermost policy answers. Every case: exact status and headers.
//! DESIGN.md § 1.

mod common;

use actix_web::{App, HttpResponse, Responder, get, test, web};
use common::{Case, NO_CORS, run};
use route_cors::{Policy, ScopeCors, cors, policy};

const APP: &str = "https://app.example.com";
const ADMIN: &str = "https://admin.example.com";
const EVIL: &str = "https://evil.example";
const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

fn preflight<'a>(origin: &'a str, method: &'a str) -> [(&'a str, &'a str); 2] {
    [
        ("origin", origin),
        ("access-control-request-method", method),
    ]
}

const ASSETS: Policy = policy!(origins = ["https://app.example.com", "https://*.example.com"]);

/// Not annotated, and reflecting any origin itself.
async fn reflecting(req: actix_web::HttpRequest) -> impl Responder {
    let origin = req.headers().get("origin").cloned();
    let mut res = HttpResponse::Ok();
    if let Some(origin) = origin {
        res.insert_header(("access-control-allow-origin", origin));
    }
    res.insert_header(("access-control-allow-credentials", "true"));
    res.body("reflected")
}

#[cors(origins = ["https://admin.example.com"])]
#[get("/report")]
async fn report() -> &'static str {
    "report"
}

#[actix_web::test]
async fn a_scope_wide_policy_covers_static_files_and_default_services() {
    let dir = std::env::temp_dir().join(format!("route-cors-assets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("font.woff2"), b"font").unwrap();
    let app = test::init_service(
        App::new()
            .service(
                web::scope("/assets")
                    .wrap(ScopeCors::new(ASSETS))
                    .service(report)
                    .route("/reflecting", web::get().to(reflecting))
                    .service(actix_files::Files::new("/", &dir)),
            )
            .default_service(web::to(|| async { HttpResponse::NotFound().body("none") })),
    )
    .await;
    run(
        &app,
        &[
            Case {
                name: "a static file from an allowed origin",
                method: "GET",
                uri: "/assets/font.woff2",
                headers: &[("origin", "https://cdn.example.com")],
                status: 200,
                expect: &[
                    (
                        "access-control-allow-origin",
                        Some("https://cdn.example.com"),
                    ),
                    ("access-control-allow-credentials", None),
                    ("vary", Some("Origin")),
                ],
            },
            Case {
                name: "a static file from a refused origin: served, not readable",
                method: "GET",
                uri: "/assets/font.woff2",
                headers: &[("origin", EVIL)],
                status: 200,
                expect: &[NO_CORS[0], ("vary", Some("Origin"))],
            },
            Case {
                name: "an unannotated handler's own CORS headers: the scope policy's replace them",
                method: "GET",
                uri: "/assets/reflecting",
                headers: &[("origin", APP)],
                status: 200,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("access-control-allow-credentials", None),
                ],
            },
            Case {
                name: "...and for a refused origin, removes them",
                method: "GET",
                uri: "/assets/reflecting",
                headers: &[("origin", EVIL)],
                status: 200,
                expect: &[NO_CORS[0], NO_CORS[1], ("vary", Some("Origin"))],
            },
            Case {
                name: "a preflight for a static file: the scope policy answers",
                method: "OPTIONS",
                uri: "/assets/font.woff2",
                headers: &preflight(APP, "GET"),
                status: 204,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("access-control-allow-methods", Some("GET, HEAD")),
                    ("vary", Some(PREFLIGHT_VARY)),
                ],
            },
            Case {
                name: "a #[cors] route inside keeps its own policy (preflight)",
                method: "OPTIONS",
                uri: "/assets/report",
                headers: &preflight(APP, "GET"),
                status: 403,
                expect: NO_CORS,
            },
            Case {
                name: "a #[cors] route inside keeps its own policy (actual)",
                method: "GET",
                uri: "/assets/report",
                headers: &[("origin", ADMIN)],
                status: 200,
                expect: &[("access-control-allow-origin", Some(ADMIN))],
            },
            Case {
                name: "...and its refusals",
                method: "GET",
                uri: "/assets/report",
                headers: &[("origin", APP)],
                status: 403,
                expect: NO_CORS,
            },
            Case {
                name: "outside the scope: no CORS at all",
                method: "GET",
                uri: "/elsewhere",
                headers: &[("origin", APP)],
                status: 404,
                expect: &[NO_CORS[0], ("vary", None)],
            },
        ],
    )
    .await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[actix_web::test]
async fn nested_scope_policies_the_innermost_answers() {
    const OUTER: Policy = policy!(origins = ["https://outer.test"]);
    let app = test::init_service(
        App::new()
            .wrap(ScopeCors::new(OUTER))
            .service(
                web::scope("/inner")
                    .wrap(ScopeCors::new(ASSETS))
                    .default_service(web::to(|| async { HttpResponse::Ok().body("inner") })),
            )
            .default_service(web::to(|| async { HttpResponse::Ok().body("outer") })),
    )
    .await;
    run(
        &app,
        &[
            Case {
                name: "inner scope: its own policy",
                method: "GET",
                uri: "/inner/x",
                headers: &[("origin", APP)],
                status: 200,
                expect: &[
                    ("access-control-allow-origin", Some(APP)),
                    ("vary", Some("Origin")),
                ],
            },
            Case {
                name: "inner scope: the outer policy's origin is refused there",
                method: "GET",
                uri: "/inner/x",
                headers: &[("origin", "https://outer.test")],
                status: 200,
                expect: &[NO_CORS[0], ("vary", Some("Origin"))],
            },
            Case {
                name: "outer scope: the outer policy",
                method: "GET",
                uri: "/x",
                headers: &[("origin", "https://outer.test")],
                status: 200,
                expect: &[("access-control-allow-origin", Some("https://outer.test"))],
            },
        ],
    )
    .await;
}
