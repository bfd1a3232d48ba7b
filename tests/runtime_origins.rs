//! Origins from configuration: checked at start-up with the compile-time rules, every bad entry
//! reported at once, and a route that only ever reflects an origin of the checked list.

use actix_web::http::{StatusCode, header};
use actix_web::test::{TestRequest, call_service, init_service};
use actix_web::{App, HttpResponse, get};
use route_cors::{RuntimeOrigins, cors};

static ORIGINS: RuntimeOrigins = RuntimeOrigins::new();

#[cors(origins = runtime(ORIGINS), allow_headers = ["content-type"], credentials)]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().body("[]")
}

#[test]
fn a_bad_list_reports_every_entry_and_sets_nothing() {
    let list = RuntimeOrigins::new();
    let err = list
        .set_from_str(
            "https://app.example.com, https://App.Example.com/, *, http://partner.example.org, \
             https://*.github.io, null, https://app.example.com",
        )
        .unwrap_err();
    let problems: Vec<(Option<usize>, &str, Option<&str>)> = err
        .problems()
        .iter()
        .map(|p| (p.index, p.entry.as_str(), p.error.suggestion.as_deref()))
        .collect();
    assert_eq!(
        problems,
        [
            (
                Some(1),
                "https://App.Example.com/",
                Some("https://app.example.com")
            ),
            (Some(2), "*", None),
            (
                Some(3),
                "http://partner.example.org",
                Some("https://partner.example.org")
            ),
            (Some(4), "https://*.github.io", None),
            (Some(5), "null", None),
            (Some(6), "https://app.example.com", None),
        ]
    );
    let text = err.to_string();
    assert!(
        text.starts_with("invalid CORS origin list (6 problems):"),
        "{text}"
    );
    assert!(text.contains("public suffix"), "{text}");
    assert!(text.contains("listed twice"), "{text}");
    assert!(list.get().is_none());
    assert!(!list.allows(b"https://app.example.com"));

    let empty = RuntimeOrigins::new().set(Vec::<String>::new()).unwrap_err();
    assert_eq!(empty.problems().len(), 1);
    assert!(empty.to_string().contains("empty"), "{empty}");
}

#[actix_web::test]
async fn a_route_answers_only_the_checked_list() {
    let app = init_service(App::new().service(items)).await;
    let get = |origin: &str| {
        TestRequest::get()
            .uri("/items")
            .insert_header((header::ORIGIN, origin))
            .to_request()
    };

    // Before the list is set, every cross-origin request is refused.
    let res = call_service(&app, get("https://app.example.com")).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    ORIGINS
        .set(vec![
            "https://app.example.com".to_owned(),
            "https://*.example.org".to_owned(),
            "http://localhost:*".to_owned(),
        ])
        .unwrap();
    assert!(ORIGINS.set(["https://evil.com"]).is_err(), "set once");

    for allowed in [
        "https://app.example.com",
        "https://a.b.example.org",
        "http://localhost:5173",
    ] {
        let res = call_service(&app, get(allowed)).await;
        assert_eq!(res.status(), StatusCode::OK, "{allowed}");
        let h = res.headers();
        assert_eq!(h.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(), allowed);
        assert_eq!(
            h.get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS).unwrap(),
            "true"
        );
        assert_eq!(h.get(header::VARY).unwrap(), "Origin");
    }
    for refused in [
        "https://evil.com",
        "https://example.org",
        "https://app.example.com.evil.com",
        "http://app.example.com",
        "null",
    ] {
        let res = call_service(&app, get(refused)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{refused}");
        assert!(
            res.headers()
                .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .is_none()
        );
    }

    let preflight = TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/items")
        .insert_header((header::ORIGIN, "https://x.example.org"))
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "GET"))
        .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"))
        .to_request();
    let res = call_service(&app, preflight).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .unwrap(),
        "https://x.example.org"
    );
}

#[test]
fn configuration_mistakes_say_how_to_write_the_list() {
    // A `;`-separated list, as some configuration formats write lists.
    let err = RuntimeOrigins::new()
        .set_from_str("https://a.example.com;https://b.example.com")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid CORS origin list (1 problem):\n  - origin #1 `https://a.example.com;https://b.example.com`: \
         `;` does not separate origins; separate origins with commas or spaces: \
         `https://a.example.com, https://b.example.com`"
    );

    // Quotes kept from a shell or a .env file, double or single.
    let err = RuntimeOrigins::new()
        .set_from_str(r#""https://a.example.com" 'https://b.example.com'"#)
        .unwrap_err();
    let lines: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "origin #1 `\"https://a.example.com\"`: quotes are not part of an origin: drop the \
             quotes; write the origin without them: https://a.example.com",
            "origin #2 `'https://b.example.com'`: quotes are not part of an origin: drop the \
             quotes; write the origin without them: https://b.example.com",
        ]
    );

    // The same list, written as the errors say, is accepted.
    RuntimeOrigins::new()
        .set_from_str("https://a.example.com, https://b.example.com")
        .unwrap();
}
