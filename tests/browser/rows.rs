//! Every row of the demo page, in one table that every engine and the checker read.
//!
//! A row is the page's call (its first cell in `page.html`), what the page shows from each origin,
//! and the requests the call makes, in order. For each request and origin the table says whether
//! the page reads the answer and, when the browser blocks it, what each engine logs. The engines
//! (Chromium, Firefox, Firefox spec-strict, `WebKit`) agree on every verdict; they differ in
//! wording, in how many messages a failed preflight costs (Chromium one, Firefox two, `WebKit`'s
//! are out of reach: its `fetch` rejects with `TypeError: Load failed` and no reason), and in when
//! Firefox drops a cached preflight (`first_page`). Adding a row to `page.html` means adding one
//! entry to [`ROWS`].
//!
//! Column 0 is the page from the allowed origin (`http://127.0.0.1:<port>`), column 1 from the
//! refused one (`http://localhost:<port>`).

use crate::Engine;

/// What the page shows when a call throws (a blocked `fetch`, an XHR error).
pub const BLOCKED: &str = "blocked";

/// One row of the page.
pub struct Row {
    /// The call's name, as the page's first cell shows it.
    pub call: &'static str,
    /// What the page shows in "observed" (and "expected"), per column.
    pub shows: [&'static str; 2],
    /// The requests the call makes, in order.
    pub requests: &'static [Request],
    /// What else an engine may show in column 0 on the first page a freshly started browser
    /// loads; every later load must show `shows`.
    pub first_page: &'static [(Engine, &'static str)],
}

/// How the page sends a request (the engines word their messages after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Fetch,
    Xhr,
}

/// One request of a row, as the page's script makes it.
pub struct Request {
    pub api: Api,
    pub method: &'static str,
    /// Path and query on the API origin; `*` stands for the page's per-load id (digits).
    pub path: &'static str,
    /// The headers the script sets.
    pub headers: &'static [(&'static str, &'static str)],
    /// `credentials: "include"` (fetch) or `withCredentials = true` (XHR).
    pub credentials: bool,
    /// Per column.
    pub outcome: [Outcome; 2],
}

/// What the browser does with one request.
pub enum Outcome {
    /// The page reads the answer; nothing is logged.
    Read,
    /// CORS blocks it, and each engine logs why.
    Blocked(Blocked),
    /// Never sent: an earlier request of the row was blocked and the page stopped there.
    NotSent,
}

/// The console messages of one blocked request, per engine.
pub struct Blocked {
    /// Chromium's reason, after "... has been blocked by CORS policy: ". The `testing` checker
    /// words its reasons as Chromium does, so it must give this one too.
    pub chromium: &'static str,
    /// Firefox's messages, in the order it logs them.
    pub firefox: &'static [FirefoxMessage],
}

/// One of Firefox's "Cross-Origin Request Blocked" messages: `(Reason: {reason})`, then
/// ` Status code: {status}.` when Firefox gives one.
pub struct FirefoxMessage {
    pub reason: &'static str,
    pub status: Option<&'static str>,
}

/// The actual response lacks `Access-Control-Allow-Origin`: the refused origin's 403.
const NO_ACAO: Outcome = Outcome::Blocked(Blocked {
    chromium: "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    firefox: &[FirefoxMessage {
        reason: "CORS header ‘Access-Control-Allow-Origin’ missing",
        status: Some("403"),
    }],
});

/// The actual response lacks `Access-Control-Allow-Origin`: a 401 from authentication, for an
/// origin the scope's policy refuses.
const NO_ACAO_401: Outcome = Outcome::Blocked(Blocked {
    chromium: "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    firefox: &[FirefoxMessage {
        reason: "CORS header ‘Access-Control-Allow-Origin’ missing",
        status: Some("401"),
    }],
});

/// The preflight is refused (403 without CORS headers). Firefox reports the preflight, then the
/// request it never sent.
const PREFLIGHT_REFUSED: Outcome = Outcome::Blocked(Blocked {
    chromium: "Response to preflight request doesn't pass access control check: No \
               'Access-Control-Allow-Origin' header is present on the requested resource.",
    firefox: &[
        FirefoxMessage {
            reason: "CORS header ‘Access-Control-Allow-Origin’ missing",
            status: Some("403"),
        },
        DID_NOT_SUCCEED,
    ],
});

/// The preflight succeeds but does not list `x-other` in `Access-Control-Allow-Headers`.
const X_OTHER_NOT_ALLOWED: Outcome = Outcome::Blocked(Blocked {
    chromium: "Request header field x-other is not allowed by Access-Control-Allow-Headers in \
               preflight response.",
    firefox: &[
        FirefoxMessage {
            reason: "header ‘x-other’ is not allowed according to header \
                     ‘Access-Control-Allow-Headers’ from CORS preflight response",
            status: None,
        },
        DID_NOT_SUCCEED,
    ],
});

/// Firefox's second message when a preflight fails: the actual request did not happen.
const DID_NOT_SUCCEED: FirefoxMessage = FirefoxMessage {
    reason: "CORS request did not succeed",
    status: Some("(null)"),
};

use Outcome::{NotSent, Read};

const fn fetch(method: &'static str, path: &'static str, outcome: [Outcome; 2]) -> Request {
    Request {
        api: Api::Fetch,
        method,
        path,
        headers: &[],
        credentials: false,
        outcome,
    }
}

impl Request {
    const fn xhr(mut self) -> Self {
        self.api = Api::Xhr;
        self
    }

    const fn headers(mut self, headers: &'static [(&'static str, &'static str)]) -> Self {
        self.headers = headers;
        self
    }

    const fn include(mut self) -> Self {
        self.credentials = true;
        self
    }
}

const JSON_AND_KEY: &[(&str, &str)] = &[("content-type", "application/json"), ("x-api-key", "k")];
const KEY: &[(&str, &str)] = &[("x-api-key", "k")];

/// Every row of `page.html`, in its order.
pub static ROWS: &[Row] = &[
    Row {
        call: "GET /api/items/1 (simple request)",
        shows: ["200 chair", BLOCKED],
        requests: &[fetch("GET", "/api/items/1", [Read, NO_ACAO])],
        first_page: &[],
    },
    Row {
        call: "read exposed header x-request-id",
        shows: ["req-1", BLOCKED],
        requests: &[fetch("GET", "/api/items/1", [Read, NO_ACAO])],
        first_page: &[],
    },
    Row {
        call: "read non-exposed header x-internal",
        shows: ["null", BLOCKED],
        requests: &[fetch("GET", "/api/items/1", [Read, NO_ACAO])],
        first_page: &[],
    },
    Row {
        call: "fetch credentials: include sends the cookie set by POST /api/login",
        shows: ["cookie sent", BLOCKED],
        requests: &[
            fetch("POST", "/api/login?token=f*", [Read, NO_ACAO]).include(),
            fetch("GET", "/api/me", [Read, NO_ACAO]).include(),
        ],
        first_page: &[],
    },
    Row {
        call: "fetch credentials: omit sends no cookie",
        shows: ["no cookie", BLOCKED],
        requests: &[fetch("GET", "/api/me", [Read, NO_ACAO])],
        first_page: &[],
    },
    Row {
        call: "XHR withCredentials sends the cookie",
        shows: ["cookie sent", BLOCKED],
        requests: &[
            fetch("POST", "/api/login?token=x*", [Read, NO_ACAO]).include(),
            fetch("GET", "/api/me", [Read, NO_ACAO]).xhr().include(),
        ],
        first_page: &[],
    },
    Row {
        call: "PUT JSON with x-api-key (preflighted)",
        shows: ["200 table", BLOCKED],
        requests: &[fetch("PUT", "/api/items/2", [Read, PREFLIGHT_REFUSED]).headers(JSON_AND_KEY)],
        first_page: &[],
    },
    Row {
        call: "PUT a bad JSON body: the Json extractor's 400 is readable",
        shows: ["400", BLOCKED],
        requests: &[fetch("PUT", "/api/items/2", [Read, PREFLIGHT_REFUSED])
            .headers(&[("content-type", "application/json")])],
        first_page: &[],
    },
    Row {
        call: "GET /api/fail: the handler's 500 is readable",
        shows: ["500", BLOCKED],
        requests: &[fetch("GET", "/api/fail", [Read, NO_ACAO])],
        first_page: &[],
    },
    Row {
        call: "GET with header x-other (not in allow_headers)",
        shows: [BLOCKED, BLOCKED],
        requests: &[fetch(
            "GET",
            "/api/items/3",
            [X_OTHER_NOT_ALLOWED, PREFLIGHT_REFUSED],
        )
        .headers(&[("x-other", "1")])],
        first_page: &[],
    },
    // Firefox keeps a cached preflight answer only while its DNS cache entry for the API's host
    // is older than the answer (a guard against DNS rebinding). On the first page of a fresh
    // Firefox the entries for 127.0.0.1 are still being written as its first connections open,
    // so the second PUT is preflighted again on some runs and not on others. Once they are
    // settled (the second load), Firefox, like Chromium, sends one preflight.
    Row {
        call: "PUT twice, max_age = 600: the preflight is cached",
        shows: ["2 PUTs, 1 preflight", BLOCKED],
        requests: &[
            fetch("PUT", "/api/notes/*", [Read, PREFLIGHT_REFUSED]).headers(&[("x-api-key", "k")]),
            fetch("PUT", "/api/notes/*", [Read, NotSent]).headers(&[("x-api-key", "k")]),
            fetch("GET", "/api/preflights", [Read, NotSent]),
        ],
        first_page: &[(Engine::Firefox, "2 PUTs, 2 preflights")],
    },
    Row {
        call: "PUT twice, max_age = 0: preflighted each time",
        shows: ["2 PUTs, 2 preflights", BLOCKED],
        requests: &[
            fetch("PUT", "/api/drafts/*", [Read, PREFLIGHT_REFUSED]).headers(&[("x-api-key", "k")]),
            fetch("PUT", "/api/drafts/*", [Read, NotSent]).headers(&[("x-api-key", "k")]),
            fetch("GET", "/api/preflights", [Read, NotSent]),
        ],
        first_page: &[],
    },
    Row {
        call: "DELETE /api/items/1 (same path, policy: localhost only)",
        shows: [BLOCKED, "204"],
        requests: &[fetch("DELETE", "/api/items/1", [PREFLIGHT_REFUSED, Read])],
        first_page: &[],
    },
    Row {
        call: "GET with Accept: application/vnd.api+json; profile=\"x\" (an unsafe value of a safelisted header: preflighted, accept allowed)",
        shows: ["200", BLOCKED],
        requests: &[fetch("GET", "/api/items/4", [Read, PREFLIGHT_REFUSED])
            .headers(&[("accept", "application/vnd.api+json; profile=\"x\"")])],
        first_page: &[],
    },
    Row {
        call: "scope-level auth, with the token: its preflight skipped the auth",
        shows: ["200 ada", BLOCKED],
        requests: &[fetch("GET", "/api/private/me", [Read, PREFLIGHT_REFUSED])
            .headers(&[("authorization", "Bearer demo-token")])],
        first_page: &[],
    },
    Row {
        call: "scope-level auth, no token: the 401 is readable",
        shows: ["401", BLOCKED],
        requests: &[fetch("GET", "/api/private/me", [Read, NO_ACAO_401])],
        first_page: &[],
    },
    Row {
        call: "PUT /api/tenant?tenant=a (a route guard picks tenant a's policy)",
        shows: ["200 a", BLOCKED],
        requests: &[
            fetch("PUT", "/api/tenant?tenant=a", [Read, PREFLIGHT_REFUSED])
                .headers(&[("x-api-key", "k")]),
        ],
        first_page: &[],
    },
    Row {
        call: "PUT /api/tenant?tenant=b (tenant b's policy: localhost only)",
        shows: [BLOCKED, "200 b"],
        requests: &[
            fetch("PUT", "/api/tenant?tenant=b", [PREFLIGHT_REFUSED, Read])
                .headers(&[("x-api-key", "k")]),
        ],
        first_page: &[],
    },
    // Firefox may drop a cached preflight on the first page of a fresh browser (see the max_age
    // row): there, any of the later calls may be preflighted again.
    Row {
        call: "PUT, PUT, DELETE, DELETE, PUT, DELETE on one path, one policy: one preflight covers both methods",
        shows: ["6 calls, 1 preflight", BLOCKED],
        requests: &[
            fetch("PUT", "/api/things/*", [Read, PREFLIGHT_REFUSED]).headers(KEY),
            fetch("PUT", "/api/things/*", [Read, NotSent]).headers(KEY),
            fetch("DELETE", "/api/things/*", [Read, NotSent]).headers(KEY),
            fetch("DELETE", "/api/things/*", [Read, NotSent]).headers(KEY),
            fetch("PUT", "/api/things/*", [Read, NotSent]).headers(KEY),
            fetch("DELETE", "/api/things/*", [Read, NotSent]).headers(KEY),
            fetch("GET", "/api/preflights", [Read, NotSent]),
        ],
        first_page: &[
            (Engine::Firefox, "6 calls, 2 preflights"),
            (Engine::Firefox, "6 calls, 3 preflights"),
            (Engine::Firefox, "6 calls, 4 preflights"),
            (Engine::Firefox, "6 calls, 5 preflights"),
            (Engine::Firefox, "6 calls, 6 preflights"),
        ],
    },
    Row {
        call: "PUT with x-api-key, then DELETE, whose stricter policy allows no header: preflighted on its own",
        shows: ["2 calls, 2 preflights", BLOCKED],
        requests: &[
            fetch("PUT", "/api/boxes/*", [Read, PREFLIGHT_REFUSED]).headers(KEY),
            fetch("DELETE", "/api/boxes/*", [Read, NotSent]),
            fetch("GET", "/api/preflights", [Read, NotSent]),
        ],
        first_page: &[],
    },
];

/// Every CORS message `engine` must log for the page from `origin` (column `column`) calling
/// the API at `api`; `*` stands for the page's per-load id.
pub fn messages(engine: Engine, column: usize, origin: &str, api: &str) -> Vec<String> {
    let mut out = Vec::new();
    for request in ROWS.iter().flat_map(|row| row.requests) {
        let Outcome::Blocked(blocked) = &request.outcome[column] else {
            continue;
        };
        let url = format!("{api}{}", request.path);
        match engine.browser() {
            // WebKit's console is out of reach (`webkit.rs`): its verdicts are compared, and
            // no message.
            Engine::WebKit => {}
            Engine::Chromium => {
                let kind = match request.api {
                    Api::Fetch => "fetch",
                    Api::Xhr => "XMLHttpRequest",
                };
                out.push(format!(
                    "Access to {kind} at '{url}' from origin '{origin}' has been blocked by CORS \
                     policy: {}",
                    blocked.chromium
                ));
            }
            Engine::Firefox | Engine::FirefoxStrict => {
                for message in blocked.firefox {
                    let status = message
                        .status
                        .map_or_else(|| ".".to_owned(), |s| format!(". Status code: {s}."));
                    out.push(format!(
                        "Cross-Origin Request Blocked: The Same Origin Policy disallows reading \
                         the remote resource at {url}. (Reason: {}){status}",
                        message.reason
                    ));
                }
            }
        }
    }
    out
}
