//! Property tests: random valid policies × random requests, hostile ones included (DESIGN.md § 4).
//!
//! Policies are built at run time from the runtime's parts (the macros only take literals), bound
//! to a route and registered in an `App` through the very functions the code `#[cors]` generates
//! calls (`__private::register`).
//!
//! Every case checks the invariants on a raw (possibly hostile) request, and that a browser's
//! verdict on our answers (`route_cors::testing`) equals the policy's intent: allowed exactly when
//! the origin, the method, the headers and the credentials mode are allowed.
//!
//! The normal suite runs 256 cases. The long run (RELIABILITY.md):
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test --release --test properties
//! ```

use std::cell::Cell;

use actix_web::dev::{AppService, HttpServiceFactory, ServiceResponse};
use actix_web::http::Method;
use actix_web::test as atest;
use actix_web::{App, HttpResponse};
use cors_runtime::rules::origin::OriginSpec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use route_cors::__private::{CorsRoute, HandlerSource, MaxAge, Names, register};
use route_cors::testing::{CorsRequest, Credentials, fetch};
use route_cors::{AllowHeaders, OriginSet, Origins, Policy, RuntimeOrigins};

const PATH: &str = "/r/{id}";
const URI: &str = "/r/7";
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const HEADERS: [&str; 5] = ["content-type", "x-api-key", "authorization", "x-a", "x-b"];

fn leak<T: ?Sized>(value: Box<T>) -> &'static T {
    Box::leak(value)
}

/// Origins the generators draw from, so that policies and requests meet.
fn origin_part() -> impl Strategy<Value = (&'static str, &'static str, Option<u16>)> {
    (
        prop::sample::select(vec!["http", "https"]),
        prop::sample::select(vec![
            "a.com",
            "example.com",
            "app.example.com",
            "x.y.example.com",
            "localhost",
            "127.0.0.1",
        ]),
        prop::option::of(prop::sample::select(vec![3000u16, 8443])),
    )
}

fn serialize((scheme, host, port): (&str, &str, Option<u16>)) -> String {
    match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    }
}

/// One entry of a policy's origin set.
#[derive(Debug, Clone)]
enum Entry {
    Exact(String),
    Subdomains(String, String),
    AnyPort(String),
}

impl Entry {
    fn spec(&self) -> OriginSpec {
        match self {
            Self::Exact(origin) => OriginSpec::Exact(origin.clone()),
            Self::Subdomains(prefix, suffix) => OriginSpec::Subdomains {
                prefix: prefix.clone(),
                suffix: suffix.clone(),
            },
            Self::AnyPort(prefix) => OriginSpec::AnyPort {
                prefix: prefix.clone(),
            },
        }
    }
}

fn entry() -> impl Strategy<Value = Entry> {
    prop_oneof![
        4 => origin_part().prop_map(|o| Entry::Exact(serialize(o))),
        2 => (origin_part(), prop::sample::select(vec!["example.com", "y.example.com", "a.com"]))
            .prop_map(|((scheme, _, port), domain)| Entry::Subdomains(
                format!("{scheme}://"),
                match port { Some(p) => format!(".{domain}:{p}"), None => format!(".{domain}") },
            )),
        1 => origin_part().prop_map(|(scheme, host, _)| Entry::AnyPort(format!("{scheme}://{host}"))),
    ]
}

/// What a generated policy is made of, kept for the intent oracle and the failure report.
#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools)]
struct Spec {
    any_origin: bool,
    entries: Vec<Entry>,
    headers: Option<Vec<&'static str>>, // None: "*"
    credentials: bool,
    max_age: Option<u32>,
    expose: bool,
    forward_refused: bool,
    methods: Vec<&'static str>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        any::<bool>(),
        prop::collection::vec(entry(), 0..5),
        prop_oneof![
            1 => Just(None),
            4 => prop::sample::subsequence(HEADERS.to_vec(), 0..=HEADERS.len()).prop_map(Some),
        ],
        any::<bool>(),
        prop::option::of(0u32..=86400),
        any::<bool>(),
        any::<bool>(),
        prop::sample::subsequence(METHODS.to_vec(), 1..=METHODS.len()),
    )
        .prop_map(
            |(
                any_origin,
                entries,
                headers,
                credentials,
                max_age,
                expose,
                forward_refused,
                methods,
            )| {
                // What the macros reject is never generated: `*` with credentials.
                let any_origin = any_origin && !credentials && entries.is_empty();
                let headers = if credentials && headers.is_none() {
                    Some(vec![])
                } else {
                    headers
                };
                Spec {
                    any_origin,
                    entries,
                    headers,
                    credentials,
                    max_age,
                    expose,
                    forward_refused,
                    methods,
                }
            },
        )
}

impl Spec {
    fn policy(&self) -> Policy {
        let origins = if self.any_origin {
            Origins::Any
        } else {
            let specs: Vec<OriginSpec> = self.entries.iter().map(Entry::spec).collect();
            Origins::Set(OriginSet::__leak(&specs))
        };
        let allow_headers = match &self.headers {
            None => AllowHeaders::Any,
            Some(list) if list.is_empty() => AllowHeaders::None,
            Some(list) => AllowHeaders::List(names(list)),
        };
        // As the macros write it: the named fields of the contract.
        Policy {
            origins,
            allow_headers,
            expose_headers: self.expose.then(|| names(&["x-request-id"])),
            credentials: self.credentials,
            max_age: self.max_age.map(|seconds| MaxAge {
                seconds,
                value: leak(seconds.to_string().into_boxed_str()),
            }),
            forward_refused: self.forward_refused,
        }
    }

    fn route(&self) -> &'static CorsRoute {
        leak(Box::new(CorsRoute {
            policy: self.policy(),
            handler: HandlerSource {
                name: "prop",
                module: module_path!(),
                file: file!(),
                line: line!(),
            },
            path: PATH,
            methods: names(&self.methods),
            guards: &[],
            preflights_skip_guards: false,
        }))
    }
}

/// `list` and its header value's text, as the macros write them.
fn names(list: &[&'static str]) -> Names {
    Names {
        names: leak(list.to_vec().into_boxed_slice()),
        value: leak(list.join(", ").into_boxed_str()),
    }
}

/// Registers a route as the code `#[cors]` generates does.
struct Annotated(&'static CorsRoute);

impl HttpServiceFactory for Annotated {
    fn register(self, config: &mut AppService) {
        let route = self.0;
        register(config, route, "prop", || async {
            HttpResponse::Ok()
                .insert_header(("x-request-id", "1"))
                .body("ok")
        });
    }
}

/// A request: an origin (or hostile bytes), a method, headers, a credentials mode.
#[derive(Debug, Clone)]
struct Req {
    /// `Origin` lines (none, one, or several).
    origins: Vec<Vec<u8>>,
    method: &'static str,
    headers: Vec<(&'static str, &'static str)>,
    credentials: bool,
    /// Send the raw request as a preflight for `method`.
    preflight: bool,
}

fn hostile_origin() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"null".to_vec()),
        Just(b"*".to_vec()),
        Just(b"".to_vec()),
        origin_part().prop_map(|o| serialize(o).to_uppercase().into_bytes()),
        origin_part().prop_map(|o| format!("{}/", serialize(o)).into_bytes()),
        origin_part().prop_map(|(s, h, _)| format!("{s}://user@{h}").into_bytes()),
        origin_part().prop_map(|(s, h, p)| format!(
            "{s}://{h}.evil.com{}",
            p.map(|p| format!(":{p}")).unwrap_or_default()
        )
        .into_bytes()),
        origin_part().prop_map(|(s, h, _)| format!("{s}://evil{h}").into_bytes()),
        origin_part().prop_map(|(s, h, _)| format!("{s}://{h}:0").into_bytes()),
        origin_part().prop_map(|(s, h, _)| format!("{s}://{h}:65536").into_bytes()),
        origin_part().prop_map(|(s, h, _)| format!("{s}://.{h}").into_bytes()),
        origin_part().prop_map(|(s, h, _)| format!("{s}://a..{h}").into_bytes()),
        prop::collection::vec(any::<u8>(), 0..40),
        // Arbitrary printable bytes around a real origin.
        (origin_part(), "[ -~]{0,3}")
            .prop_map(|(o, tail)| format!("{}{tail}", serialize(o)).into_bytes()),
    ]
}

/// An origin the policy allows (when it lists any), so that allowed requests are common.
fn member(spec: &Spec) -> BoxedStrategy<Vec<u8>> {
    if spec.entries.is_empty() {
        return origin_part()
            .prop_map(|o| serialize(o).into_bytes())
            .boxed();
    }
    (
        prop::sample::select(spec.entries.clone()),
        prop::sample::select(vec!["a", "b-c", "d.e", "xn--bcher-kva"]),
        prop::option::of(1u16..=65535),
    )
        .prop_map(|(entry, label, port)| match entry {
            Entry::Exact(o) => o.into_bytes(),
            Entry::Subdomains(p, s) => format!("{p}{label}{s}").into_bytes(),
            Entry::AnyPort(p) => match port {
                Some(port) => format!("{p}:{port}").into_bytes(),
                None => p.into_bytes(),
            },
        })
        .boxed()
}

fn req(spec: &Spec) -> impl Strategy<Value = Req> + use<> {
    let origin = prop_oneof![
        6 => member(spec),
        3 => origin_part().prop_map(|o| serialize(o).into_bytes()),
        1 => (prop::sample::select(vec!["a", "b-c", "d.e"]), prop::sample::select(vec!["example.com", "y.example.com"]), any::<bool>())
            .prop_map(|(sub, d, tls)| format!("{}://{sub}.{d}", if tls { "https" } else { "http" }).into_bytes()),
        3 => hostile_origin(),
    ];
    let all = vec![
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "patch", "put", "OPTIONS", "BREW",
    ];
    let allowed_headers: Vec<(&'static str, &'static str)> = spec
        .headers
        .clone()
        .unwrap_or_else(|| HEADERS.to_vec())
        .into_iter()
        .map(|n| {
            (
                n,
                if n == "content-type" {
                    "application/json"
                } else {
                    "v"
                },
            )
        })
        .chain([("content-type", "text/plain"), ("accept", "*/*")])
        .collect();
    (
        prop_oneof![
            1 => Just(vec![]),
            10 => origin.clone().prop_map(|o| vec![o]),
            1 => prop::collection::vec(origin, 2..4),
        ],
        prop_oneof![
            3 => prop::sample::select(spec.methods.clone()),
            1 => prop::sample::select(all),
        ],
        prop_oneof![
            2 => prop::collection::vec(prop::sample::select(allowed_headers), 0..3),
            1 => prop::collection::vec(
                prop::sample::select(vec![
                    ("content-type", "application/json"),
                    ("content-type", "text/plain"),
                    ("x-api-key", "k"),
                    ("authorization", "Bearer t"),
                    ("x-a", "1"),
                    ("x-other", "1"),
                    ("accept", "*/*"),
                ]),
                0..4,
            ),
        ],
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(origins, method, headers, credentials, preflight)| Req {
            origins,
            method,
            headers,
            credentials,
            preflight,
        })
}

fn values<B>(res: &ServiceResponse<B>, name: &str) -> Vec<Vec<u8>> {
    res.headers()
        .get_all(name)
        .map(|v| v.as_bytes().to_vec())
        .collect()
}

fn vary_has_origin<B>(res: &ServiceResponse<B>) -> bool {
    values(res, "vary").iter().any(|v| {
        v.split(|&b| b == b',')
            .any(|t| t.trim_ascii().eq_ignore_ascii_case(b"origin"))
    })
}

/// DESIGN.md § 4 on one answer.
fn invariants<B>(
    spec: &Spec,
    route: &CorsRoute,
    r: &Req,
    res: &ServiceResponse<B>,
) -> Result<(), TestCaseError> {
    let acao = values(res, "access-control-allow-origin");
    let credentials = values(res, "access-control-allow-credentials");
    prop_assert!(acao.len() <= 1, "several ACAO: {acao:?}");
    if let Some(a) = acao.first() {
        if a == b"*" {
            prop_assert!(credentials.is_empty(), "ACAO * with ACAC");
            prop_assert!(spec.any_origin, "ACAO * from a listed policy");
        } else {
            prop_assert_eq!(r.origins.len(), 1, "ACAO with several Origin lines");
            prop_assert_eq!(a, &r.origins[0], "ACAO is not the request's origin");
            prop_assert!(
                route.policy().allows_origin(a),
                "reflected a refused origin"
            );
        }
    } else {
        prop_assert!(credentials.is_empty(), "ACAC without ACAO");
    }
    // A preflight answer never grants a header the policy refuses, not even as Chromium, WebKit
    // and Firefox (by default) read `*`: covering every name, `Authorization` included.
    if r.preflight {
        let granted = values(res, "access-control-allow-headers");
        let lenient_grant = |name: &str| {
            granted
                .iter()
                .flat_map(|v| v.split(|&b| b == b','))
                .any(|t| {
                    let t = t.trim_ascii();
                    t == b"*" || t.eq_ignore_ascii_case(name.as_bytes())
                })
        };
        for (name, _) in &r.headers {
            let safelisted = matches!(*name, "content-type" | "accept");
            if !safelisted && !route.policy().allow_headers().allows(name.as_bytes()) {
                prop_assert!(
                    !lenient_grant(name),
                    "granted refused header {name}: {granted:?}"
                );
            }
        }
    }
    let reached = r.preflight || spec.methods.contains(&r.method);
    if reached && spec.policy().varies_by_origin() && res.status().as_u16() != 404 {
        prop_assert!(
            vary_has_origin(res),
            "no Vary: Origin (status {})",
            res.status()
        );
    }
    Ok(())
}

/// The request's only origin, when it is one a browser could send (a serialized origin).
fn well_formed(r: &Req) -> Option<&str> {
    let [origin] = r.origins.as_slice() else {
        return None;
    };
    let origin = std::str::from_utf8(origin).ok()?;
    let canonical = cors_runtime::rules::origin::parse(origin).is_ok() && origin != "*";
    canonical.then_some(origin)
}

/// The policy's intent for a well-formed request.
fn intended(spec: &Spec, route: &CorsRoute, req: &CorsRequest) -> bool {
    let origin_ok = route.policy().allows_origin(req.origin().as_bytes());
    let method_ok = spec.methods.contains(&req.method());
    let headers_ok = req
        .unsafe_header_names()
        .iter()
        .all(|h| route.policy().allow_headers().allows(h.as_bytes()));
    let credentials_ok = req.credentials_mode() == Credentials::Omit || spec.credentials;
    origin_ok && method_ok && headers_ok && credentials_ok
}

fn raw_request(r: &Req) -> actix_http::Request {
    let mut t = atest::TestRequest::default().uri(URI);
    t = if r.preflight {
        t.method(Method::OPTIONS)
            .insert_header(("access-control-request-method", r.method))
    } else {
        t.method(Method::from_bytes(r.method.as_bytes()).unwrap())
    };
    for o in &r.origins {
        t = t.append_header((
            "origin",
            actix_web::http::header::HeaderValue::from_bytes(o)
                .unwrap_or_else(|_| actix_web::http::header::HeaderValue::from_static("x")),
        ));
    }
    if r.preflight && !r.headers.is_empty() {
        let names: Vec<_> = r.headers.iter().map(|h| h.0).collect();
        t = t.insert_header(("access-control-request-headers", names.join(", ")));
    }
    for h in &r.headers {
        t = t.append_header(*h);
    }
    t.to_request()
}

#[test]
fn random_policies_and_requests() {
    let system = actix_web::rt::System::new();
    // `Config::default()` reads `PROPTEST_CASES` (256 unless set).
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let cases = runner.config().cases;
    // How many browser verdicts came out allowed and blocked: both kinds must be exercised.
    let (allowed, blocked) = (Cell::new(0u32), Cell::new(0u32));
    runner
        .run(
            &spec().prop_flat_map(|s| (req(&s), Just(s))),
            |(r, spec)| {
                system.block_on(async {
                    let route = spec.route();
                    let app = atest::init_service(App::new().service(Annotated(route))).await;

                    let res = atest::call_service(&app, raw_request(&r)).await;
                    invariants(&spec, route, &r, &res)?;

                    // A browser's verdict equals the intent, for well-formed origins.
                    if let Some(origin) = well_formed(&r) {
                        let mut cr =
                            CorsRequest::new(origin, r.method).credentials(if r.credentials {
                                Credentials::Include
                            } else {
                                Credentials::Omit
                            });
                        for (n, v) in &r.headers {
                            cr = cr.header(n, v);
                        }
                        if cr.method() != "OPTIONS" && cr.method() != "HEAD" {
                            let verdict = fetch(&app, URI, &cr).await;
                            let count = if verdict.is_allowed() {
                                &allowed
                            } else {
                                &blocked
                            };
                            count.set(count.get() + 1);
                            prop_assert_eq!(
                                verdict.is_allowed(),
                                intended(&spec, route, &cr),
                                "verdict: {}",
                                verdict
                            );
                        }
                    }
                    Ok(())
                })
            },
        )
        .unwrap();
    let (allowed, blocked) = (allowed.get(), blocked.get());
    eprintln!(
        "random_policies_and_requests: {cases} cases passed; browser verdicts: {allowed} allowed, {blocked} blocked"
    );
    assert!(
        allowed >= cases / 20 && blocked >= cases / 20,
        "too few of one kind"
    );
}

/// A run-time list replaced between requests (issue 18): each case is a sequence of lists, and
/// after each replacement a request from a random origin is reflected exactly when that origin
/// is in the list in force, never because an earlier list had it.
static CHANGING: RuntimeOrigins = RuntimeOrigins::new();

#[route_cors::cors(origins = runtime(CHANGING))]
#[actix_web::get("/changing")]
async fn changing() -> &'static str {
    "changing"
}

#[test]
fn a_list_that_changes_between_requests() {
    let system = actix_web::rt::System::new();
    let app = system.block_on(atest::init_service(App::new().service(changing)));
    CHANGING
        .set(["https://start.example.com"])
        .expect("a valid list");
    let origin = || origin_part().prop_map(serialize);
    let steps = prop::collection::vec(
        (prop::collection::btree_set(origin(), 1..4), origin()),
        1..6,
    );
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let (reflected, refused) = (Cell::new(0u32), Cell::new(0u32));
    runner
        .run(&steps, |steps| {
            for (list, origin) in steps {
                CHANGING
                    .update()
                    .by("properties")
                    .replace(list.iter().map(String::as_str))
                    .expect("valid origins");
                let req = atest::TestRequest::get()
                    .uri("/changing")
                    .insert_header(("origin", origin.as_str()))
                    .to_request();
                let res = system.block_on(atest::call_service(&app, req));
                let allow = values(&res, "access-control-allow-origin");
                if list.contains(&origin) {
                    reflected.set(reflected.get() + 1);
                    prop_assert_eq!(allow, vec![origin.clone().into_bytes()], "{:?}", list);
                } else {
                    refused.set(refused.get() + 1);
                    prop_assert!(allow.is_empty(), "{} reflected, not in {:?}", origin, list);
                    prop_assert_eq!(res.status().as_u16(), 403);
                }
            }
            Ok(())
        })
        .unwrap();
    assert!(
        reflected.get() > 0 && refused.get() > 0,
        "both kinds exercised"
    );
}
