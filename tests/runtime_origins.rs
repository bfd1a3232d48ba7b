//! Origins from configuration: checked at start-up with the compile-time rules, every bad entry
//! reported at once, and a route that only ever reflects an origin of the checked list; the
//! credentials rules where the route has `credentials`; a list never set said so; a list per test.

mod common;

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
            "https://app.example.com, https://App.Example.com/, *, https://partner..example.org, \
             https://*.com, null, https://app.example.com",
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
                "https://partner..example.org",
                Some("https://partner.example.org")
            ),
            (Some(4), "https://*.com", None),
            (Some(5), "null", None),
            (Some(6), "https://app.example.com", None),
        ]
    );
    let text = err.to_string();
    assert!(
        text.starts_with("invalid CORS origin list (6 problems):"),
        "{text}"
    );
    assert!(text.contains("top-level domain"), "{text}");
    assert!(text.contains("listed twice"), "{text}");
    assert!(list.get().is_none());
    assert!(!list.allows(b"https://app.example.com", false));

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

static INTRANET: RuntimeOrigins = RuntimeOrigins::new();

#[cors(origins = runtime(INTRANET))]
#[get("/public")]
async fn public() -> HttpResponse {
    HttpResponse::Ok().body("public")
}

#[cors(origins = runtime(INTRANET), credentials)]
#[get("/private")]
async fn private() -> HttpResponse {
    HttpResponse::Ok().body("private")
}

/// The same rules as `#[cors(origins = [...])]`: `http://intranet.example.com` compiles in a
/// route without credentials, and is an error with them. At start-up the list takes it; the
/// route without credentials allows it, the route with credentials refuses it, and says so.
#[actix_web::test]
async fn credentials_rules_apply_where_the_route_has_credentials() {
    common::capture_logs();
    INTRANET
        .set_from_str("https://app.example.com, http://intranet.example.com, https://*.github.io")
        .expect("no rule of an origin is broken");
    let refused: Vec<String> = INTRANET
        .refused_with_credentials()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(refused.len(), 2, "{refused:#?}");
    assert!(
        refused[0].starts_with("origin #2 `http://intranet.example.com`: with credentials")
            && refused[0].contains("write \"https://intranet.example.com\""),
        "{}",
        refused[0]
    );
    assert!(refused[1].contains("public suffix"), "{}", refused[1]);

    let app = init_service(App::new().service(public).service(private)).await;
    let get = |path: &str, origin: &str| {
        TestRequest::get()
            .uri(path)
            .insert_header((header::ORIGIN, origin))
            .to_request()
    };
    for (path, origin, status) in [
        ("/public", "http://intranet.example.com", StatusCode::OK),
        ("/public", "https://pages.github.io", StatusCode::OK),
        ("/public", "https://app.example.com", StatusCode::OK),
        (
            "/private",
            "http://intranet.example.com",
            StatusCode::FORBIDDEN,
        ),
        ("/private", "https://pages.github.io", StatusCode::FORBIDDEN),
        ("/private", "https://app.example.com", StatusCode::OK),
    ] {
        let res = call_service(&app, get(path, origin)).await;
        assert_eq!(res.status(), status, "{path} from {origin}");
        let acao = res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN);
        assert_eq!(
            acao.is_some(),
            status == StatusCode::OK,
            "{path} from {origin}"
        );
    }
    let logged = common::logs_with("`INTRANET`");
    assert!(
        logged.iter().any(|l| l.starts_with(
            "ERROR `private` has credentials, so it refuses these entries of `INTRANET`"
        ) && l.contains("http://intranet.example.com")
            && l.contains("https://*.github.io")),
        "{logged:#?}"
    );
    // Once, however many apps are built.
    let _again = init_service(App::new().service(private)).await;
    assert_eq!(
        common::logs_with("so it refuses these entries of `INTRANET`").len(),
        1
    );
}

static NEVER_SET: RuntimeOrigins = RuntimeOrigins::new();

#[cors(origins = runtime(NEVER_SET))]
#[get("/forgotten")]
async fn forgotten() -> HttpResponse {
    HttpResponse::Ok().body("forgotten")
}

#[actix_web::test]
async fn a_list_never_set_is_said_at_start_up_and_in_each_refusal() {
    common::capture_logs();
    let app = init_service(App::new().service(forgotten)).await;
    let logged = common::logs_with("`NEVER_SET`");
    assert_eq!(
        logged,
        [
            "ERROR the run-time origin list `NEVER_SET` used by `forgotten` is not set: every \
          cross-origin request to it is refused until `NEVER_SET.set(...)` succeeds; set it \
          before building the server"
        ]
    );
    // Said once, however many apps (workers) are built.
    let _again = init_service(App::new().service(forgotten)).await;
    assert_eq!(common::logs_with("`NEVER_SET`"), logged);
    let res = call_service(
        &app,
        TestRequest::get()
            .uri("/forgotten")
            .insert_header((header::ORIGIN, "https://app.example.com"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        common::logs_with("refused: origin not allowed: the run-time list `NEVER_SET` is not set")
            .iter()
            .any(|l| l.starts_with("INFO request to `forgotten` (/forgotten)")),
        "{:#?}",
        common::logs_with("forgotten")
    );
}

static PER_TEST: RuntimeOrigins = RuntimeOrigins::new();

#[cors(origins = runtime(PER_TEST))]
#[get("/per-test")]
async fn per_test() -> HttpResponse {
    HttpResponse::Ok().body("per test")
}

/// Two tests on two threads, each with its own list for the same static.
#[test]
fn a_test_sets_a_list_for_its_own_app() {
    let run = |list: &'static str, allowed: &'static str, refused: &'static str| {
        std::thread::spawn(move || {
            let _list = PER_TEST.set_on_this_thread([list]).expect("a good list");
            actix_web::rt::System::new().block_on(async {
                let app = init_service(App::new().service(per_test)).await;
                for (origin, status) in
                    [(allowed, StatusCode::OK), (refused, StatusCode::FORBIDDEN)]
                {
                    let req = TestRequest::get()
                        .uri("/per-test")
                        .insert_header((header::ORIGIN, origin))
                        .to_request();
                    assert_eq!(call_service(&app, req).await.status(), status, "{origin}");
                }
            });
        })
    };
    let a = run(
        "https://a.example.com",
        "https://a.example.com",
        "https://b.example.com",
    );
    let b = run(
        "https://b.example.com",
        "https://b.example.com",
        "https://a.example.com",
    );
    a.join().expect("thread a");
    b.join().expect("thread b");
    // Dropped with its guard: this thread never had one, and the program-wide list is unset.
    assert!(!PER_TEST.allows(b"https://a.example.com", false));
    assert!(PER_TEST.set_on_this_thread(["https://a.com/"]).is_err());
}

static SET_WITH_ENTRIES: RuntimeOrigins = RuntimeOrigins::new();

#[cors(origins = runtime(SET_WITH_ENTRIES))]
#[get("/set-with-entries")]
async fn set_with_entries() -> HttpResponse {
    HttpResponse::Ok().body("set")
}

/// A list set with entries a route may use is said nothing of at start-up: neither "not set"
/// nor "set empty".
#[actix_web::test]
async fn a_list_set_with_entries_logs_nothing_at_start_up() {
    common::capture_logs();
    SET_WITH_ENTRIES
        .set(["https://app.example.com"])
        .expect("set once");
    let _app = init_service(App::new().service(set_with_entries)).await;
    assert!(
        common::logs_with("`SET_WITH_ENTRIES`").is_empty(),
        "{:#?}",
        common::logs_with("`SET_WITH_ENTRIES`")
    );
}

static NO_EXTRA: RuntimeOrigins = RuntimeOrigins::new();

#[cors(origins = runtime(NO_EXTRA))]
#[get("/no-extra")]
async fn no_extra() -> HttpResponse {
    HttpResponse::Ok().body("no extra")
}

/// "No cross-origin page in this deployment", said on purpose: no error, no error log.
#[actix_web::test]
async fn a_list_set_empty_on_purpose_logs_no_error() {
    common::capture_logs();
    NO_EXTRA.set_none().expect("set once");
    let app = init_service(App::new().service(no_extra)).await;
    let logged = common::logs_with("`NO_EXTRA`");
    assert_eq!(
        logged,
        [
            "INFO the run-time origin list `NO_EXTRA` used by `no_extra` is set empty on purpose \
          (`set_none`): it allows no cross-origin request"
        ]
    );
    let res = call_service(
        &app,
        TestRequest::get()
            .uri("/no-extra")
            .insert_header((header::ORIGIN, "https://app.example.com"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let refused = common::logs_with("`NO_EXTRA` is set empty (`set_none`)");
    assert!(
        refused
            .iter()
            .any(|l| l.starts_with("INFO request to `no_extra`")),
        "{refused:#?}"
    );
    assert!(
        common::logs_with("NO_EXTRA")
            .iter()
            .all(|l| !l.starts_with("ERROR") && !l.starts_with("WARN")),
        "{:#?}",
        common::logs_with("NO_EXTRA")
    );
    // Same-origin requests and requests without `Origin` are not cross-origin: served.
    let res = call_service(&app, TestRequest::get().uri("/no-extra").to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
}
