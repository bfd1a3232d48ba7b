//! Run-time lists changed while serving: replaced, added to, removed from, each change checked
//! with the rules of `set` and a rejected one changing nothing; lists per tenant (host, path
//! parameter) that never answer another tenant's origin; the change hook; and a stress test of
//! requests matching while another thread replaces the list.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

use actix_web::http::{Method, StatusCode, header};
use actix_web::test::{TestRequest, call_service, init_service};
use actix_web::{App, HttpResponse, get};
use route_cors::cors;
use route_cors::runtime::{Action, Change, RuntimeOrigins};

static SHARED: RuntimeOrigins = RuntimeOrigins::new();

#[cors(origins = runtime(SHARED), credentials, max_age = 0)]
#[get("/shared")]
async fn shared() -> HttpResponse {
    HttpResponse::Ok().body("shared")
}

fn get_from(path: &str, origin: &str) -> actix_http::Request {
    TestRequest::get()
        .uri(path)
        .insert_header((header::ORIGIN, origin))
        .to_request()
}

fn preflight_from(path: &str, origin: &str) -> actix_http::Request {
    TestRequest::default()
        .method(Method::OPTIONS)
        .uri(path)
        .insert_header((header::ORIGIN, origin))
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "GET"))
        .to_request()
}

/// The same app, no restart: each change is what the next request sees; a rejected change
/// leaves the list in force and names every bad entry.
#[actix_web::test]
async fn a_list_changes_while_the_app_serves() {
    let changes: Arc<Mutex<Vec<Change>>> = Arc::default();
    let log = Arc::clone(&changes);
    assert!(
        SHARED
            .on_change(move |c| log.lock().unwrap().push(c.clone()))
            .is_ok()
    );
    assert!(SHARED.on_change(|_| {}).is_err(), "one hook");
    SHARED.set(["https://a.example.com"]).unwrap();
    let again = SHARED.set(["https://b.example.com"]).unwrap_err();
    assert!(
        again.to_string().contains("already set")
            && again.to_string().contains("`update().replace(...)`"),
        "{again}"
    );
    let app = init_service(App::new().service(shared)).await;
    let status = |res: &actix_web::dev::ServiceResponse| res.status();
    let acao = |res: &actix_web::dev::ServiceResponse| {
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.to_str().unwrap().to_owned())
    };

    let res = call_service(&app, get_from("/shared", "https://b.example.com")).await;
    assert_eq!(status(&res), StatusCode::FORBIDDEN);

    let added = SHARED
        .update()
        .by("alice")
        .add(["https://b.example.com", "https://*.c.example.com"])
        .unwrap();
    assert_eq!(
        added.added,
        ["https://b.example.com", "https://*.c.example.com"]
    );
    assert_eq!(added.len, 3);
    for origin in [
        "https://a.example.com",
        "https://b.example.com",
        "https://x.c.example.com",
    ] {
        let res = call_service(&app, get_from("/shared", origin)).await;
        assert_eq!(status(&res), StatusCode::OK, "{origin}");
        assert_eq!(acao(&res).as_deref(), Some(origin));
        assert_eq!(res.headers().get(header::VARY).unwrap(), "Origin");
        let res = call_service(&app, preflight_from("/shared", origin)).await;
        assert_eq!(status(&res), StatusCode::NO_CONTENT, "{origin}");
        assert_eq!(acao(&res).as_deref(), Some(origin));
    }

    // Rejected: two bad entries and one already there; nothing changes.
    let err = SHARED
        .update()
        .by("mallory")
        .replace(["https://B.example.com/", "*", "https://d.example.com"])
        .unwrap_err();
    let at: Vec<Option<usize>> = err.problems().iter().map(|p| p.index).collect();
    assert_eq!(at, [Some(0), Some(1)], "{err}");
    let err = SHARED.update().add(["https://a.example.com"]).unwrap_err();
    assert!(err.to_string().contains("already in the list"), "{err}");
    let err = SHARED
        .update()
        .remove(["https://a.example.com", "https://nope.example.com"])
        .unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(err.problems()[0].index, Some(1));
    let res = call_service(&app, get_from("/shared", "https://a.example.com")).await;
    assert_eq!(
        status(&res),
        StatusCode::OK,
        "a rejected remove removed nothing"
    );
    let res = call_service(&app, get_from("/shared", "https://d.example.com")).await;
    assert_eq!(
        status(&res),
        StatusCode::FORBIDDEN,
        "a rejected replace added nothing"
    );

    // Replaced whole: the old entries are refused at once, preflight and actual alike.
    let replaced = SHARED
        .update()
        .replace_from_str("https://d.example.com, http://intranet.example.com")
        .unwrap();
    assert_eq!(replaced.removed.len(), 3);
    for (origin, want) in [
        ("https://a.example.com", StatusCode::FORBIDDEN),
        ("https://x.c.example.com", StatusCode::FORBIDDEN),
        ("https://d.example.com", StatusCode::OK),
        // Plain http: the credentials rules refuse it on this route with credentials.
        ("http://intranet.example.com", StatusCode::FORBIDDEN),
    ] {
        let res = call_service(&app, get_from("/shared", origin)).await;
        assert_eq!(status(&res), want, "{origin}");
        assert_eq!(acao(&res).is_some(), want == StatusCode::OK, "{origin}");
        let res = call_service(&app, preflight_from("/shared", origin)).await;
        assert_eq!(
            res.status().is_success(),
            want == StatusCode::OK,
            "{origin}"
        );
    }
    assert_eq!(SHARED.refused_with_credentials().len(), 1);

    // Removed to nothing: every origin refused.
    SHARED
        .update()
        .remove(["https://d.example.com", "http://intranet.example.com"])
        .unwrap();
    assert!(SHARED.get().unwrap().is_empty());
    let res = call_service(&app, get_from("/shared", "https://d.example.com")).await;
    assert_eq!(status(&res), StatusCode::FORBIDDEN);

    let seen = changes.lock().unwrap();
    let summary: Vec<(Option<&str>, Action, bool)> = seen
        .iter()
        .map(|c| (c.by.as_deref(), c.action, c.rejected.is_some()))
        .collect();
    assert_eq!(
        summary,
        [
            (None, Action::Set, false),
            (Some("alice"), Action::Add, false),
            (Some("mallory"), Action::Replace, true),
            (None, Action::Add, true),
            (None, Action::Remove, true),
            (None, Action::Replace, false),
            (None, Action::Remove, false),
        ]
    );
    assert_eq!(
        seen[1].to_string(),
        "alice added to the list: +https://b.example.com +https://*.c.example.com (3 entries)"
    );
}

static BY_HOST: RuntimeOrigins = RuntimeOrigins::per_host();

#[cors(origins = runtime(BY_HOST), credentials)]
#[get("/me")]
async fn me() -> HttpResponse {
    HttpResponse::Ok().body("me")
}

static BY_PARAM: RuntimeOrigins = RuntimeOrigins::per_path_param("tenant");

#[cors(origins = runtime(BY_PARAM))]
#[get("/t/{tenant}/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().body("[]")
}

#[cors(origins = runtime(BY_PARAM))]
#[get("/no-tenant")]
async fn no_tenant() -> HttpResponse {
    HttpResponse::Ok().body("")
}

/// Each tenant's origin reads its own tenant's routes only, whether the tenant is the host or
/// a path parameter; a tenant without a list, or a route without the parameter, refuses.
#[actix_web::test]
async fn one_tenants_origin_never_reads_another_tenant() {
    BY_HOST
        .update()
        .replace_tenants([
            ("acme.api.example.com", vec!["https://app.acme.com"]),
            ("globex.api.example.com", vec!["https://globex.com"]),
        ])
        .unwrap();
    let app = init_service(App::new().service(me)).await;
    for (host, origin, want) in [
        ("acme.api.example.com", "https://app.acme.com", true),
        ("ACME.api.example.com:443", "https://app.acme.com", true),
        ("globex.api.example.com", "https://app.acme.com", false),
        ("globex.api.example.com", "https://globex.com", true),
        ("initech.api.example.com", "https://app.acme.com", false),
    ] {
        let req = TestRequest::get()
            .uri("/me")
            .insert_header((header::HOST, host))
            .insert_header((header::ORIGIN, origin))
            // A page may set this header: it must not choose the tenant.
            .insert_header(("x-forwarded-host", "acme.api.example.com"))
            .to_request();
        let res = call_service(&app, req).await;
        assert_eq!(res.status().is_success(), want, "{host} from {origin}");
        assert_eq!(
            res.headers()
                .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .is_some(),
            want,
            "{host} from {origin}"
        );
    }

    BY_PARAM
        .update()
        .tenant("acme")
        .replace(["https://app.acme.com"])
        .unwrap();
    BY_PARAM
        .update()
        .tenant("globex")
        .replace(["https://globex.com"])
        .unwrap();
    let app = init_service(App::new().service(items).service(no_tenant)).await;
    let check = async |path: &str, origin: &str, want: bool| {
        let res = call_service(&app, get_from(path, origin)).await;
        assert_eq!(res.status().is_success(), want, "{path} from {origin}");
        let res = call_service(
            &app,
            TestRequest::default()
                .method(Method::OPTIONS)
                .uri(path)
                .insert_header((header::ORIGIN, origin))
                .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "GET"))
                .to_request(),
        )
        .await;
        assert_eq!(
            res.status().is_success(),
            want,
            "preflight {path} from {origin}"
        );
    };
    check("/t/acme/items", "https://app.acme.com", true).await;
    check("/t/globex/items", "https://app.acme.com", false).await;
    check("/t/globex/items", "https://globex.com", true).await;
    check("/t/initech/items", "https://app.acme.com", false).await;
    check("/no-tenant", "https://app.acme.com", false).await;

    // Added and removed per tenant, no restart; globex untouched.
    BY_PARAM
        .update()
        .tenant("globex")
        .add(["https://partner.example"])
        .unwrap();
    check("/t/globex/items", "https://partner.example", true).await;
    check("/t/acme/items", "https://partner.example", false).await;
    BY_PARAM.update().tenant("acme").remove_tenant().unwrap();
    check("/t/acme/items", "https://app.acme.com", false).await;
    check("/t/globex/items", "https://globex.com", true).await;
    assert_eq!(BY_PARAM.tenants(), ["globex"]);

    // Mistakes in which list: named, and nothing changes.
    let err = BY_PARAM
        .update()
        .replace(["https://x.example"])
        .unwrap_err();
    assert!(err.to_string().contains("name the tenant"), "{err}");
    let err = BY_PARAM
        .update()
        .tenant("a/b")
        .replace(["https://x.example"])
        .unwrap_err();
    assert!(err.to_string().contains("not a tenant name"), "{err}");
    let err = BY_HOST
        .update()
        .tenant("Acme.api.example.com")
        .replace(["https://x.example"])
        .unwrap_err();
    assert!(
        err.to_string().contains("write `acme.api.example.com`"),
        "{err}"
    );
    let err = SHARED_FOR_TENANT_MISTAKE
        .update()
        .tenant("acme")
        .replace(["https://x.example"])
        .unwrap_err();
    assert!(err.to_string().contains("no tenants"), "{err}");
    let err = BY_HOST.set(["https://x.example"]).unwrap_err();
    assert!(err.to_string().contains("kept per tenant"), "{err}");

    // A reload with a bad row keeps every tenant's list, and names the tenant.
    let err = BY_HOST
        .update()
        .replace_tenants([
            ("acme.api.example.com", vec!["https://app.acme.com/"]),
            ("globex.api.example.com", vec!["https://globex.com"]),
        ])
        .unwrap_err();
    assert_eq!(
        err.problems()[0].tenant.as_deref(),
        Some("acme.api.example.com")
    );
    assert!(
        err.to_string()
            .contains("tenant `acme.api.example.com`: origin #1 `https://app.acme.com/`"),
        "{err}"
    );
    assert!(
        BY_HOST
            .tenant("acme.api.example.com")
            .unwrap()
            .allows(b"https://app.acme.com", true)
    );
}

static SHARED_FOR_TENANT_MISTAKE: RuntimeOrigins = RuntimeOrigins::new();

static STRESSED: RuntimeOrigins = RuntimeOrigins::new();

/// The list of generation `g`: `n` origins of its own, and one that every generation has.
fn generation(g: usize, n: usize) -> Vec<String> {
    let mut list: Vec<String> = (0..n)
        .map(|i| format!("https://g{g}-{i}.example.com"))
        .collect();
    list.push("https://always.example.com".to_owned());
    list
}

/// Readers match while a writer replaces the whole list, generation after generation. A stress
/// test rather than a loom model: the atomicity is arc-swap's (itself model-checked); what is
/// ours, and what this checks, is that a request reads one list, that a list is never seen
/// half built, and that what was in force the whole time a match ran is what it answered.
///
/// A reader notes the last generation stored before its match (`done`) and the last one begun
/// after (`begun`): an origin of generation `g` may be allowed only if `done <= g <= begun`,
/// and must be when `done == begun == g`. From one snapshot, every entry is of one generation.
#[test]
fn matches_see_the_old_list_or_the_new_one_never_a_mix() {
    const GENERATIONS: usize = 200;
    const SIZE: usize = 50;
    STRESSED.set(generation(0, SIZE)).unwrap();
    let begun = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let checks = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..4)
        .map(|r| {
            let (begun, done, stop, checks) = (
                Arc::clone(&begun),
                Arc::clone(&done),
                Arc::clone(&stop),
                Arc::clone(&checks),
            );
            std::thread::spawn(move || {
                let mut i = r;
                while !stop.load(SeqCst) {
                    i += 1;
                    let before = done.load(SeqCst);
                    // The generation in force, the one before it, or the next one.
                    let g = (before + i % 3).saturating_sub(1);
                    let origin = format!("https://g{g}-{}.example.com", i % SIZE);
                    let allowed = STRESSED.allows(origin.as_bytes(), true);
                    let after = begun.load(SeqCst);
                    if allowed {
                        assert!(
                            before <= g && g <= after,
                            "{origin} allowed in {before}..={after}"
                        );
                    } else {
                        assert!(
                            !(before == g && after == g),
                            "{origin} refused while in force"
                        );
                    }
                    assert!(STRESSED.allows(b"https://always.example.com", true));
                    assert!(!STRESSED.allows(b"https://evil.example.com", false));
                    if i % 64 == 0 {
                        let snapshot = STRESSED.get().expect("set");
                        let entries = snapshot.entries();
                        assert_eq!(entries.len(), SIZE + 1);
                        let first = entries[0].split('-').next().unwrap().to_owned();
                        assert!(
                            entries[..SIZE]
                                .iter()
                                .all(|e| e.starts_with(&format!("{first}-"))),
                            "one snapshot holds one generation"
                        );
                    }
                    checks.fetch_add(1, SeqCst);
                }
            })
        })
        .collect();
    for g in 1..=GENERATIONS {
        begun.store(g, SeqCst);
        STRESSED.update().replace(generation(g, SIZE)).unwrap();
        done.store(g, SeqCst);
        // Now and then a rejected replace, which must change nothing.
        if g % 10 == 0 {
            let mut bad = generation(g + 1, SIZE);
            bad[3] = "https://Bad.example.com/".to_owned();
            assert!(STRESSED.update().replace(bad).is_err());
        }
        std::thread::yield_now();
    }
    stop.store(true, SeqCst);
    for reader in readers {
        reader.join().expect("a reader saw a mix or a wrong answer");
    }
    assert!(checks.load(SeqCst) > 0);
    assert!(STRESSED.allows(
        format!("https://g{GENERATIONS}-0.example.com").as_bytes(),
        true
    ));
    assert!(!STRESSED.allows(b"https://g0-0.example.com", true));
}
