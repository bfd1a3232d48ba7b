//! Hostile input against annotated routes: every request gets a defined answer (exact status and
//! headers), never a panic, never a reflected refused origin. DESIGN.md § 4.

mod common;

use actix_web::http::Method;
use actix_web::http::header::HeaderValue;
use actix_web::{App, get, route, test};
use common::joined;
use route_cors::cors;

#[cors(
    origins = ["https://example.com", "https://*.example.com", "http://localhost:*"],
    allow_headers = ["content-type", "x-api-key"],
    credentials,
    max_age = 600,
)]
#[route("/h", method = "GET", method = "PATCH")]
async fn listed() -> &'static str {
    "listed"
}

#[cors(origins = "*", allow_headers = "*")]
#[get("/open")]
async fn open() -> &'static str {
    "open"
}

/// One hostile request and the exact answer.
struct Hostile {
    name: &'static str,
    method: &'static str,
    uri: &'static str,
    /// Raw header values: a name may repeat; values need not be UTF-8.
    headers: Vec<(&'static str, Vec<u8>)>,
    status: u16,
    /// Every CORS header and `Vary`: the exact joined value, or `None` for absent.
    acao: Option<&'static str>,
    acac: Option<&'static str>,
    acam: Option<&'static str>,
    acah: Option<&'static str>,
    vary: Option<&'static str>,
}

const APP: &str = "https://example.com";
const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

fn h(name: &'static str, value: impl AsRef<[u8]>) -> (&'static str, Vec<u8>) {
    (name, value.as_ref().to_vec())
}

/// A refused actual request to `/h`: 403, no CORS headers.
fn refused(name: &'static str, origin: impl AsRef<[u8]>) -> Hostile {
    Hostile {
        name,
        method: "GET",
        uri: "/h",
        headers: vec![h("origin", origin)],
        status: 403,
        acao: None,
        acac: None,
        acam: None,
        acah: None,
        vary: Some("Origin"),
    }
}

/// An allowed actual request to `/h`: the origin reflected byte for byte.
fn allowed(name: &'static str, origin: &'static str) -> Hostile {
    Hostile {
        name,
        method: "GET",
        uri: "/h",
        headers: vec![h("origin", origin)],
        status: 200,
        acao: Some(origin),
        acac: Some("true"),
        acam: None,
        acah: None,
        vary: Some("Origin"),
    }
}

/// A preflight to `/h` from `APP` asking for `method`, with extra headers.
fn preflight(
    name: &'static str,
    method: impl AsRef<[u8]>,
    extra: Vec<(&'static str, Vec<u8>)>,
) -> Hostile {
    let mut headers = vec![h("origin", APP), h("access-control-request-method", method)];
    // A preflight that asks for no header is granted none; one that asks for a header the
    // policy refuses is answered with the allowed list, so the browser names the header.
    let asks = extra
        .iter()
        .any(|(n, _)| *n == "access-control-request-headers");
    headers.extend(extra);
    Hostile {
        name,
        method: "OPTIONS",
        uri: "/h",
        headers,
        status: 204,
        acao: Some(APP),
        acac: Some("true"),
        acam: Some("GET, PATCH"),
        acah: asks.then_some("content-type, x-api-key"),
        vary: Some(PREFLIGHT_VARY),
    }
}

/// Not a preflight of `/h` (no route takes it): 404, nothing added.
fn unrouted(mut case: Hostile) -> Hostile {
    case.status = 404;
    case.acao = None;
    case.acac = None;
    case.acam = None;
    case.acah = None;
    case.vary = None;
    case
}

fn refused_preflight(mut case: Hostile) -> Hostile {
    case.status = 403;
    case.acao = None;
    case.acac = None;
    case.acam = None;
    case.acah = None;
    case.vary = Some("Origin");
    case
}

/// An actual request to `/open` (`origins = "*"`): always `*`, never the origin, no `Vary`.
fn open_case(name: &'static str, origin: impl AsRef<[u8]>) -> Hostile {
    Hostile {
        name,
        method: "GET",
        uri: "/open",
        headers: vec![h("origin", origin)],
        status: 200,
        acao: Some("*"),
        acac: None,
        acam: None,
        acah: None,
        vary: None,
    }
}

fn cases() -> Vec<Hostile> {
    let long_garbage = format!("https://{}", "a".repeat(64 * 1024));
    let long_subdomain: &'static str =
        Box::leak(format!("https://{}.example.com", "a".repeat(64 * 1024)).into_boxed_str());
    let thousand = vec!["x-api-key"; 1000].join(", ");
    let mut thousand_lines = vec![h("access-control-request-headers", "x-api-key"); 1000];
    thousand_lines.insert(0, h("origin", APP));
    thousand_lines.insert(1, h("access-control-request-method", "GET"));
    vec![
        // Origin values.
        allowed("an allowed origin, for reference", APP),
        allowed("a subdomain", "https://a.b.example.com"),
        allowed("a punycode subdomain", "https://xn--bcher-kva.example.com"),
        allowed("localhost on any port", "http://localhost:5173"),
        refused("non-UTF-8", b"https://\xff\xfe.example.com"),
        refused("Latin-1 byte in a label", b"https://caf\xe9.example.com"),
        refused("IDN in Unicode form", "https://bücher.example.com"),
        refused("64 KiB of origin", long_garbage),
        // Label-aligned, so a defined and harmless match: only example.com can serve it.
        allowed("64 KiB subdomain of the pattern", long_subdomain),
        refused("null", "null"),
        refused("*", "*"),
        refused("empty", ""),
        refused("upper case", "HTTPS://EXAMPLE.COM"),
        refused("mixed case host", "https://Example.com"),
        refused("trailing slash", "https://example.com/"),
        refused("a path", "https://example.com/api"),
        refused("userinfo", "https://user@example.com"),
        refused("userinfo with password", "https://user:pw@a.example.com"),
        refused("userinfo spoof", "https://example.com@evil.com"),
        refused("suffix spoof without a dot", "https://evilexample.com"),
        refused("the pattern as a prefix", "https://example.com.evil.com"),
        refused("a subdomain as a prefix", "https://a.example.com.evil.com"),
        refused("empty label", "https://.example.com"),
        refused("double dot", "https://a..example.com"),
        refused("another scheme", "http://a.example.com"),
        refused("another port", "https://a.example.com:8443"),
        refused("default port spelled out", "https://example.com:443"),
        refused("port 0", "http://localhost:0"),
        refused("port over 65535", "http://localhost:65536"),
        refused("leading zero port", "http://localhost:08080"),
        refused("localhost as a prefix", "http://localhost.evil.com"),
        refused("white space", " https://example.com"),
        refused("tab inside", "https://exa\tmple.com"),
        refused(
            "a list of origins",
            "https://example.com https://a.example.com",
        ),
        refused("a comma list", "https://example.com, https://a.example.com"),
        Hostile {
            name: "two allowed Origin lines",
            headers: vec![h("origin", APP), h("origin", "https://a.example.com")],
            ..refused("", "")
        },
        Hostile {
            name: "an allowed and a refused Origin line",
            headers: vec![h("origin", APP), h("origin", "https://evil.com")],
            ..refused("", "")
        },
        Hostile {
            name: "no Origin: the handler runs, Vary still says Origin",
            headers: vec![],
            status: 200,
            ..refused("", "")
        },
        Hostile {
            name: "a refused PATCH (state-changing) never runs the handler",
            method: "PATCH",
            ..refused("", "https://evil.com")
        },
        // Preflights.
        preflight("a normal preflight, for reference", "GET", vec![]),
        refused_preflight(preflight(
            "1,000 requested headers on one line",
            "GET",
            vec![h("access-control-request-headers", &thousand)],
        )),
        Hostile {
            name: "1,000 Access-Control-Request-Headers lines",
            headers: thousand_lines,
            ..refused_preflight(preflight("", "GET", vec![]))
        },
        preflight(
            "garbage requested headers: answered with the allowed list",
            "GET",
            vec![h("access-control-request-headers", b"a b, {x}, caf\xe9")],
        ),
        preflight(
            "a wildcard requested header",
            "GET",
            vec![h("access-control-request-headers", "*")],
        ),
        unrouted(preflight("empty Access-Control-Request-Method", "", vec![])),
        // Browsers normalize `get` to `GET`; a hand-made `get` is answered with the exact list.
        preflight("lower-case get", "get", vec![]),
        preflight(
            "lower-case patch: the browser refuses the answer",
            "patch",
            vec![],
        ),
        unrouted(preflight("garbage method", "G E T", vec![])),
        unrouted(preflight(
            "tab and high bytes as the method",
            b"\tG\x80\xff",
            vec![],
        )),
        unrouted(preflight("a method the route lacks", "DELETE", vec![])),
        unrouted(preflight("a 64 KiB method", "A".repeat(64 * 1024), vec![])),
        Hostile {
            name: "two Access-Control-Request-Method lines",
            headers: vec![
                h("origin", APP),
                h("access-control-request-method", "GET"),
                h("access-control-request-method", "PATCH"),
            ],
            ..preflight("", "GET", vec![])
        },
        Hostile {
            name: "preflight from null",
            headers: vec![
                h("origin", "null"),
                h("access-control-request-method", "GET"),
            ],
            ..refused_preflight(preflight("", "GET", vec![]))
        },
        Hostile {
            name: "preflight with non-UTF-8 origin",
            headers: vec![
                h("origin", b"https://\xff.example.com"),
                h("access-control-request-method", "GET"),
            ],
            ..refused_preflight(preflight("", "GET", vec![]))
        },
        Hostile {
            name: "preflight with two Origin lines",
            headers: vec![
                h("origin", APP),
                h("origin", APP),
                h("access-control-request-method", "GET"),
            ],
            ..refused_preflight(preflight("", "GET", vec![]))
        },
        Hostile {
            name: "preflight from a suffix spoof",
            headers: vec![
                h("origin", "https://example.com.evil.com"),
                h("access-control-request-method", "GET"),
            ],
            ..refused_preflight(preflight("", "GET", vec![]))
        },
        // `origins = "*"`: the answer is `*`, whatever the origin; it is never reflected.
        open_case("null to a public route", "null"),
        open_case("* to a public route", "*"),
        open_case("non-UTF-8 to a public route", b"\xff"),
        open_case("64 KiB to a public route", "x".repeat(64 * 1024)),
        Hostile {
            name: "two Origin lines to a public route: refused",
            headers: vec![h("origin", APP), h("origin", "https://evil.com")],
            status: 403,
            acao: None,
            vary: Some("Origin"),
            ..open_case("", "")
        },
        Hostile {
            name: "preflight from null to a public route asking for Authorization: no `*`, \
                   which Chromium, WebKit and Firefox would read as covering it",
            method: "OPTIONS",
            headers: vec![
                h("origin", "null"),
                h("access-control-request-method", "GET"),
                h("access-control-request-headers", "authorization"),
            ],
            status: 204,
            acam: Some("GET"),
            acah: None,
            vary: Some(PREFLIGHT_VARY),
            ..open_case("", "")
        },
    ]
}

#[actix_web::test]
async fn hostile_inputs_get_defined_answers() {
    let app = test::init_service(App::new().service(listed).service(open)).await;
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let mut req = test::TestRequest::default()
            .method(Method::from_bytes(case.method.as_bytes()).unwrap())
            .uri(case.uri);
        for (name, value) in &case.headers {
            let value = HeaderValue::from_bytes(value)
                .unwrap_or_else(|_| panic!("{}: not a header value", case.name));
            req = req.append_header((*name, value));
        }
        let res = test::call_service(&app, req.to_request()).await;
        if res.status().as_u16() != case.status {
            failures.push(format!(
                "{}: status {} (expected {})",
                case.name,
                res.status().as_u16(),
                case.status
            ));
        }
        for (header, want) in [
            ("access-control-allow-origin", case.acao),
            ("access-control-allow-credentials", case.acac),
            ("access-control-allow-methods", case.acam),
            ("access-control-allow-headers", case.acah),
            ("access-control-expose-headers", None),
            ("vary", case.vary),
        ] {
            let got = joined(&res, header);
            if got.as_deref() != want {
                let shown = got.map(|g| g.chars().take(80).collect::<String>());
                failures.push(format!(
                    "{}: {header}: {shown:?} (expected {want:?})",
                    case.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    let refused = cases.iter().filter(|c| c.acao.is_none()).count();
    eprintln!(
        "{} hostile inputs, {refused} answered without CORS headers",
        cases.len()
    );
    assert!(cases.len() >= 60, "{} cases", cases.len());
}
