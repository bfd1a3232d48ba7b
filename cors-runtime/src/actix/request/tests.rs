//! Unit tests of `request.rs`.

use actix_web::test::TestRequest;

use super::*;

#[test]
fn origins_are_counted() {
    let none = TestRequest::default().to_srv_request();
    assert!(matches!(
        OriginHeader::of(none.headers()),
        OriginHeader::Missing
    ));
    let one = TestRequest::default()
        .insert_header(("origin", "https://a.example"))
        .to_srv_request();
    assert!(
        matches!(OriginHeader::of(one.headers()), OriginHeader::One(o) if o == "https://a.example")
    );
    let two = TestRequest::default()
        .append_header(("origin", "https://a.example"))
        .append_header(("origin", "https://b.example"))
        .to_srv_request();
    assert!(
        matches!(OriginHeader::of(two.headers()), OriginHeader::Several(o) if o == "https://a.example")
    );
}

#[test]
fn preflights_need_options_origin_and_a_method() {
    let preflight = |method: &str, headers: &[(&str, &str)]| {
        let mut req = TestRequest::default().method(Method::from_bytes(method.as_bytes()).unwrap());
        for h in headers {
            req = req.append_header(*h);
        }
        is_preflight(req.to_srv_request().head())
    };
    let full = [
        ("origin", "https://a.example"),
        ("access-control-request-method", "PUT"),
    ];
    assert!(preflight("OPTIONS", &full));
    assert!(!preflight("GET", &full));
    assert!(!preflight("OPTIONS", &full[..1]));
    assert!(!preflight("OPTIONS", &full[1..]));
}

#[test]
fn same_origin_is_the_requests_own_origin() {
    let req = |headers: &[(&str, &str)]| {
        let mut req = TestRequest::default().uri("/x");
        for h in headers {
            req = req.append_header(*h);
        }
        req.to_srv_request()
    };
    let host = [("host", "api.example.com")];
    assert!(is_same_origin(&req(&host), b"http://api.example.com"));
    assert!(is_same_origin(
        &req(&[("host", "api.example.com:80")]),
        b"http://api.example.com"
    ));
    assert!(is_same_origin(
        &req(&[("host", "API.example.com")]),
        b"http://api.example.com"
    ));
    assert!(!is_same_origin(&req(&host), b"https://api.example.com"));
    assert!(!is_same_origin(
        &req(&host),
        b"http://api.example.com.evil.com"
    ));
    assert!(!is_same_origin(&req(&host), b"http://evil.com"));
    // Behind a proxy that says what the client used.
    let proxied = [
        ("host", "10.0.0.2:8080"),
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "api.example.com"),
    ];
    assert!(is_same_origin(&req(&proxied), b"https://api.example.com"));
    assert!(!is_same_origin(&req(&proxied), b"http://10.0.0.2:8080"));
    // The browser's own word, which a page cannot forge.
    assert!(is_same_origin(
        &req(&[("host", "10.0.0.2"), ("sec-fetch-site", "same-origin")]),
        b"https://api.example.com"
    ));
    for other in ["same-site", "cross-site", "none", "Same-Origin"] {
        assert!(
            !is_same_origin(
                &req(&[("host", "10.0.0.2"), ("sec-fetch-site", other)]),
                b"https://api.example.com"
            ),
            "{other}"
        );
    }
}

fn srv(uri: &str, headers: &[(&str, &str)]) -> ServiceRequest {
    let mut req = TestRequest::default().uri(uri);
    for h in headers {
        req = req.append_header(*h);
    }
    req.to_srv_request()
}

/// Read in place, the request's origin is what actix-web's `ConnectionInfo` reports: the
/// URI's scheme (an absolute-form request line, as a TLS-terminating front end may send),
/// else `http` here (the test app is not bound with TLS); the `Host` header, else the URI's
/// authority, else the configured host; ports and case as given.
#[test]
fn the_requests_own_origin_is_what_connection_info_reports() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("/x", &[("host", "api.example.com")]),
        ("/x", &[("host", "api.example.com:8443")]),
        ("/x", &[("host", "API.Example.COM")]),
        ("/x", &[("host", "[::1]:8080")]),
        ("/x", &[("host", "[2001:db8::1]")]),
        ("/x", &[("host", "127.0.0.1:80")]),
        ("/x", &[]),
        ("https://api.example.com/x", &[]),
        ("https://api.example.com:8443/x", &[]),
        ("http://[::1]:3000/x", &[]),
        (
            "https://api.example.com/x",
            &[("host", "other.example.com")],
        ),
    ];
    for (uri, headers) in cases {
        let req = srv(uri, headers);
        let (scheme, host) = own_origin(&req).expect("no proxy header");
        let (scheme, host) = (
            String::from_utf8_lossy(scheme).into_owned(),
            String::from_utf8_lossy(host).into_owned(),
        );
        let info = req.connection_info().clone();
        assert_eq!(
            (scheme.as_str(), host.as_str()),
            (info.scheme(), info.host()),
            "{uri} {headers:?}"
        );
    }
}

/// On a server bound with TLS, a request without a scheme in its URI is `https`, as
/// `ConnectionInfo` says (`TestRequest` always builds a plain-HTTP app, hence a real one).
#[actix_web::test]
async fn a_tls_server_makes_the_requests_own_origin_https() {
    use actix_service::IntoServiceFactory;
    use actix_web::dev::{AppConfig, Service, ServiceFactory, fn_service};
    let app = actix_web::App::new().default_service(fn_service(|req: ServiceRequest| async {
        let own = own_origin(&req).map(|(scheme, host)| {
            format!(
                "{}://{}",
                String::from_utf8_lossy(scheme),
                String::from_utf8_lossy(host)
            )
        });
        let info = req.connection_info().clone();
        let body = format!("{own:?} {}://{}", info.scheme(), info.host());
        Ok(req.into_response(actix_web::HttpResponse::Ok().body(body)))
    }));
    let tls = AppConfig::__priv_test_new(
        true,
        "api.example.com".to_owned(),
        "127.0.0.1:8443".parse().unwrap(),
    );
    let app = app.into_factory().new_service(tls).await.unwrap();
    let req = TestRequest::default()
        .uri("/x")
        .insert_header(("host", "api.example.com"))
        .to_request();
    let res = app.call(req).await.unwrap();
    let body = actix_web::test::read_body(res).await;
    assert_eq!(
        body,
        "Some(\"https://api.example.com\") https://api.example.com"
    );
}

/// With a proxy header, or a `ConnectionInfo` already stored, reading in place gives way to
/// actix-web's own reading.
#[test]
fn proxy_headers_leave_the_origin_to_connection_info() {
    for header in [
        ("forwarded", "proto=https;host=api.example.com"),
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "api.example.com"),
    ] {
        let req = srv("/x", &[("host", "10.0.0.2:8080"), header]);
        assert!(own_origin(&req).is_none(), "{header:?}");
    }
    let req = srv("/x", &[("host", "api.example.com")]);
    let _stored = req.connection_info();
    assert!(own_origin(&req).is_none(), "a stored ConnectionInfo wins");
    let forwarded = srv(
        "/x",
        &[
            ("host", "10.0.0.2:8080"),
            ("forwarded", "proto=https;host=api.example.com"),
        ],
    );
    assert!(is_same_origin(&forwarded, b"https://api.example.com"));
    assert!(!is_same_origin(&forwarded, b"http://10.0.0.2:8080"));
}

/// A client can send `X-Forwarded-*` itself; actix-web believes it (deploy behind a proxy
/// that overwrites them). What such a forgery buys: the request counts as same-origin, so it
/// passes *without* CORS headers: no refused origin becomes readable.
#[test]
fn a_forged_forwarded_host_only_makes_a_request_same_origin() {
    let forged = srv(
        "/x",
        &[
            ("host", "api.example.com"),
            ("x-forwarded-host", "evil.example"),
            ("x-forwarded-proto", "https"),
        ],
    );
    assert!(is_same_origin(&forged, b"https://evil.example"));
    assert!(!is_same_origin(&forged, b"https://api.example.com"));
}

/// The origin, the request's scheme, its host, and whether they are the same origin.
type OriginCase = (&'static [u8], &'static [u8], &'static [u8], bool);

/// Checks [`origin_is`] on each case.
fn assert_origin_is(cases: &[OriginCase]) {
    for (origin, scheme, host, same) in cases {
        assert_eq!(
            origin_is(origin, scheme, host),
            *same,
            "{} {} {}",
            origin.escape_ascii(),
            scheme.escape_ascii(),
            host.escape_ascii()
        );
    }
}

#[test]
fn the_same_scheme_and_host_in_any_case_are_the_same_origin() {
    assert_origin_is(&[
        (
            b"https://api.example.com",
            b"https",
            b"api.example.com",
            true,
        ),
        (
            b"https://api.example.com:8443",
            b"https",
            b"api.example.com:8443",
            true,
        ),
        (b"http://[::1]:8080", b"http", b"[::1]:8080", true),
        (
            b"https://API.example.com",
            b"https",
            b"api.EXAMPLE.com",
            true,
        ),
        (b"ftp://files.example:21", b"ftp", b"files.example:21", true),
    ]);
}

/// The default port of `http`, `https`, `ws` and `wss`; no other scheme's.
#[test]
fn only_the_schemes_own_default_port_is_left_out_of_the_host() {
    assert_origin_is(&[
        (
            b"https://api.example.com",
            b"https",
            b"api.example.com:443",
            true,
        ),
        (
            b"http://api.example.com",
            b"http",
            b"api.example.com:80",
            true,
        ),
        (
            b"wss://api.example.com",
            b"wss",
            b"api.example.com:443",
            true,
        ),
        (b"ws://api.example.com", b"ws", b"api.example.com:80", true),
        (b"http://[::1]", b"http", b"[::1]:80", true),
        (
            b"https://api.example.com",
            b"https",
            b"api.example.com:80",
            false,
        ),
        (
            b"http://api.example.com",
            b"http",
            b"api.example.com:443",
            false,
        ),
        (b"ftp://files.example", b"ftp", b"files.example:21", false),
    ]);
}

/// A browser never writes out the default port: such an `Origin` is not the request's own.
#[test]
fn an_origin_that_writes_out_the_default_port_is_another_origin() {
    assert_origin_is(&[
        (
            b"https://api.example.com:443",
            b"https",
            b"api.example.com",
            false,
        ),
        (
            b"http://api.example.com:80",
            b"http",
            b"api.example.com",
            false,
        ),
    ]);
}

#[test]
fn another_scheme_or_port_is_another_origin() {
    assert_origin_is(&[
        (
            b"http://api.example.com",
            b"https",
            b"api.example.com",
            false,
        ),
        (
            b"https://api.example.com",
            b"http",
            b"api.example.com",
            false,
        ),
        (
            b"https://api.example.com:8443",
            b"https",
            b"api.example.com",
            false,
        ),
    ]);
}

#[test]
fn a_lookalike_or_malformed_origin_is_another_origin() {
    assert_origin_is(&[
        (
            b"https://api.example.com.evil",
            b"https",
            b"api.example.com",
            false,
        ),
        (
            b"https://api.example.co",
            b"https",
            b"api.example.com",
            false,
        ),
        (
            b"https:/api.example.com",
            b"https",
            b"api.example.com",
            false,
        ),
        (
            b"httpsx://api.example.com",
            b"https",
            b"api.example.com",
            false,
        ),
        (b"", b"https", b"", false),
    ]);
}
