//! A browser's CORS decision, for tests: would a browser let a page read this response?
//!
//! [`CorsRequest`] describes what a page's script asks for (its origin, the method, the headers
//! it sets, the credentials mode); [`Response`] is what the server answered. [`CorsRequest::check`]
//! then runs the Fetch standard's [CORS-preflight fetch] and [CORS check] the way a browser does
//! and returns [`Verdict::Allowed`], or [`Verdict::Blocked`] with the reason worded as Chromium
//! prints it in the console (after "Access to fetch at '…' from origin '…' has been blocked by CORS
//! policy: ").
//!
//! What is modelled: when a preflight is needed (a method other than `GET`, `HEAD`, `POST`, or a
//! header that is not [CORS-safelisted], `Content-Type` values and the 1,024-byte budget
//! included); the preflight's ok status; `Access-Control-Allow-Origin` (exact, or `*` only
//! without credentials); `Access-Control-Allow-Credentials: true` with credentials;
//! `Access-Control-Allow-Methods` and `Access-Control-Allow-Headers` (`*` only without
//! credentials, never covering `Authorization`); method normalization (`delete`, `get`, `head`,
//! `options`, `post`, `put` are upper-cased, every other method is case-sensitive). Forbidden
//! request headers (`Cookie`, `Origin`, `Sec-*`, …) are dropped, as `fetch()` drops them.
//!
//! Not modelled: the preflight cache, redirects, Private Network Access, and no-cors/navigation
//! requests. Same-origin requests are not CORS requests: describe cross-origin ones.
//!
//! [CORS-preflight fetch]: https://fetch.spec.whatwg.org/#cors-preflight-fetch
//! [CORS check]: https://fetch.spec.whatwg.org/#cors-check
//! [CORS-safelisted]: https://fetch.spec.whatwg.org/#cors-safelisted-request-header

use core::fmt;

use crate::header_names::is_forbidden_request_header;

/// The request's credentials mode, `fetch(url, { credentials })`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Credentials {
    /// `"omit"` (or `"same-origin"`, the default, which is the same for a cross-origin request):
    /// no cookies; `*` is accepted.
    #[default]
    Omit,
    /// `"include"`: cookies are sent; the response must name the origin and carry
    /// `Access-Control-Allow-Credentials: true`.
    Include,
}

/// What a page's script asks for: `fetch(url, { method, headers, credentials })` from `origin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorsRequest {
    origin: String,
    method: String,
    headers: Vec<(String, Vec<u8>)>,
    credentials: Credentials,
}

impl CorsRequest {
    /// A request from a page at `origin` (serialized, e.g. `https://app.example.com`) with
    /// `method`, normalized as `fetch()` does (`put` becomes `PUT`; `patch` stays `patch`).
    pub fn new(origin: impl Into<String>, method: &str) -> Self {
        Self {
            origin: origin.into(),
            method: normalize_method(method),
            headers: Vec::new(),
            credentials: Credentials::Omit,
        }
    }

    /// Adds a request header set by the script. Forbidden header names are ignored, as `fetch()`
    /// ignores them.
    #[must_use]
    pub fn header(mut self, name: &str, value: impl AsRef<[u8]>) -> Self {
        if !is_forbidden_request_header(name) {
            self.headers
                .push((name.to_ascii_lowercase(), value.as_ref().to_vec()));
        }
        self
    }

    /// Sets the credentials mode.
    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// The page's origin.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The normalized method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The headers the script set (names in lower case), forbidden ones left out.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_slice()))
    }

    /// The credentials mode.
    pub fn credentials_mode(&self) -> Credentials {
        self.credentials
    }

    /// The [CORS-unsafe request-header names]: sorted, lower case, without duplicates.
    ///
    /// [CORS-unsafe request-header names]: https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
    pub fn unsafe_header_names(&self) -> Vec<String> {
        let mut unsafe_names = Vec::new();
        let mut safelisted = Vec::new();
        let mut safelist_size = 0usize;
        for (name, value) in &self.headers {
            if is_safelisted_request_header(name, value) {
                safelist_size += value.len();
                safelisted.push(name.clone());
            } else {
                unsafe_names.push(name.clone());
            }
        }
        if safelist_size > 1024 {
            unsafe_names.extend(safelisted);
        }
        unsafe_names.sort();
        unsafe_names.dedup();
        unsafe_names
    }

    /// Whether a browser sends a preflight first: the method is not `GET`, `HEAD` or `POST`, or
    /// a header is not CORS-safelisted.
    pub fn needs_preflight(&self) -> bool {
        !is_safelisted_method(&self.method) || !self.unsafe_header_names().is_empty()
    }

    /// The headers of the preflight (`OPTIONS`) request a browser sends: `Origin`,
    /// `Access-Control-Request-Method` and, when there are unsafe headers,
    /// `Access-Control-Request-Headers` (sorted, lower case, comma-separated without spaces).
    pub fn preflight_headers(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("origin", self.origin.clone()),
            ("access-control-request-method", self.method.clone()),
        ];
        let names = self.unsafe_header_names();
        if !names.is_empty() {
            out.push(("access-control-request-headers", names.join(",")));
        }
        out
    }

    /// Checks the answer to the preflight, as the [CORS-preflight fetch] does.
    ///
    /// [CORS-preflight fetch]: https://fetch.spec.whatwg.org/#cors-preflight-fetch
    pub fn check_preflight(&self, preflight: &Response) -> Verdict {
        if let Err(reason) = cors_check(self, preflight) {
            return Verdict::Blocked(format!("{PREFLIGHT}{reason}"));
        }
        if !(200..=299).contains(&preflight.status) {
            return Verdict::Blocked(format!("{PREFLIGHT}It does not have HTTP ok status."));
        }
        let Ok(methods) = list(preflight, "access-control-allow-methods") else {
            return Verdict::Blocked(
                "Cannot parse Access-Control-Allow-Methods response header field in preflight response."
                    .into(),
            );
        };
        let Ok(names) = list(preflight, "access-control-allow-headers") else {
            return Verdict::Blocked(
                "Cannot parse Access-Control-Allow-Headers response header field in preflight response."
                    .into(),
            );
        };
        let include = self.credentials == Credentials::Include;
        let star = |items: &[String]| !include && items.iter().any(|i| i == "*");
        let method_listed = methods.iter().any(|m| normalize_method(m) == self.method);
        if !is_safelisted_method(&self.method) && !method_listed && !star(&methods) {
            return Verdict::Blocked(format!(
                "Method {} is not allowed by Access-Control-Allow-Methods in preflight response.",
                self.method
            ));
        }
        let listed = |name: &str| names.iter().any(|n| n.eq_ignore_ascii_case(name));
        for name in self.unsafe_header_names() {
            // `Authorization` is a CORS non-wildcard request-header name: `*` never covers it.
            let covered = listed(&name) || (name != "authorization" && star(&names));
            if !covered {
                return Verdict::Blocked(format!(
                    "Request header field {name} is not allowed by Access-Control-Allow-Headers in preflight response."
                ));
            }
        }
        Verdict::Allowed
    }

    /// Checks the answer to the actual request, as the [CORS check] does (its status does not
    /// matter: a page may read a CORS-allowed 500).
    ///
    /// [CORS check]: https://fetch.spec.whatwg.org/#cors-check
    pub fn check_response(&self, response: &Response) -> Verdict {
        match cors_check(self, response) {
            Ok(()) => Verdict::Allowed,
            Err(reason) => Verdict::Blocked(reason),
        }
    }

    /// The whole decision: the preflight's answer when [`needs_preflight`](Self::needs_preflight)
    /// (a missing one blocks), then the actual response's.
    pub fn check(&self, preflight: Option<&Response>, actual: &Response) -> Verdict {
        if self.needs_preflight() {
            let Some(preflight) = preflight else {
                return Verdict::Blocked(
                    "this request needs a preflight and none was given".into(),
                );
            };
            let verdict = self.check_preflight(preflight);
            if !verdict.is_allowed() {
                return verdict;
            }
        }
        self.check_response(actual)
    }
}

const PREFLIGHT: &str = "Response to preflight request doesn't pass access control check: ";

/// The status and headers a server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    status: u16,
    headers: Vec<(String, Vec<u8>)>,
}

impl Response {
    /// A response with `status` and no headers yet.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
        }
    }

    /// Adds a header line (names compare in any case; a name may repeat).
    #[must_use]
    pub fn header(mut self, name: &str, value: impl AsRef<[u8]>) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.as_ref().to_vec()));
        self
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// All lines of `name` joined with `", "`, as the Fetch standard's "get" does; `None` when
    /// absent.
    pub fn get(&self, name: &str) -> Option<Vec<u8>> {
        let mut out: Option<Vec<u8>> = None;
        for (n, v) in &self.headers {
            if n.eq_ignore_ascii_case(name) {
                match &mut out {
                    Some(joined) => {
                        joined.extend_from_slice(b", ");
                        joined.extend_from_slice(v);
                    }
                    None => out = Some(v.clone()),
                }
            }
        }
        out
    }
}

#[cfg(feature = "actix")]
impl<B> From<&actix_web::dev::ServiceResponse<B>> for Response {
    fn from(res: &actix_web::dev::ServiceResponse<B>) -> Self {
        Self::from(res.response())
    }
}

#[cfg(feature = "actix")]
impl<B> From<&actix_web::HttpResponse<B>> for Response {
    fn from(res: &actix_web::HttpResponse<B>) -> Self {
        Self {
            status: res.status().as_u16(),
            headers: res
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec()))
                .collect(),
        }
    }
}

/// Sends `request` to `app` at `uri` the way a browser's `fetch()` does, through
/// [`actix_web::test::call_service`]: the preflight first when one is needed (stopping there when
/// it is blocked), then the actual request with an empty body, and returns the browser's
/// [`Verdict`].
///
/// For a body or other details, build the requests with [`CorsRequest::preflight_request`] and
/// [`CorsRequest::actual_request`] and pass the answers to [`CorsRequest::check`].
#[cfg(feature = "actix")]
pub async fn fetch<S, B>(app: &S, uri: &str, request: &CorsRequest) -> Verdict
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
{
    use actix_web::test::call_service;
    let preflight = if request.needs_preflight() {
        let answer =
            Response::from(&call_service(app, request.preflight_request(uri).to_request()).await);
        let verdict = request.check_preflight(&answer);
        if !verdict.is_allowed() {
            return verdict;
        }
        Some(answer)
    } else {
        None
    };
    let actual = Response::from(&call_service(app, request.actual_request(uri).to_request()).await);
    request.check(preflight.as_ref(), &actual)
}

#[cfg(feature = "actix")]
impl CorsRequest {
    /// The preflight a browser sends for this request: `OPTIONS uri` with
    /// [`preflight_headers`](Self::preflight_headers).
    pub fn preflight_request(&self, uri: &str) -> actix_web::test::TestRequest {
        let mut req = actix_web::test::TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri(uri);
        for header in self.preflight_headers() {
            req = req.append_header(header);
        }
        req
    }

    /// The actual request: the method, `Origin`, and the script's headers (values that are not
    /// valid header values are left out).
    pub fn actual_request(&self, uri: &str) -> actix_web::test::TestRequest {
        let method = actix_web::http::Method::from_bytes(self.method.as_bytes())
            .unwrap_or(actix_web::http::Method::GET);
        let mut req = actix_web::test::TestRequest::default()
            .method(method)
            .uri(uri)
            .insert_header(("origin", self.origin.as_str()));
        for (name, value) in &self.headers {
            if let Ok(value) = actix_web::http::header::HeaderValue::from_bytes(value) {
                req = req.append_header((name.as_str(), value));
            }
        }
        req
    }
}

/// A browser's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The page can read the response.
    Allowed,
    /// The browser blocks it; the reason as Chromium words it.
    Blocked(String),
}

impl Verdict {
    /// Whether the page can read the response.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Self::Allowed)
    }

    /// The reason of a blocked request.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Allowed => None,
            Self::Blocked(reason) => Some(reason),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Allowed => f.write_str("allowed"),
            Self::Blocked(reason) => write!(f, "blocked: {reason}"),
        }
    }
}

/// The CORS check, with Chromium's reasons.
fn cors_check(req: &CorsRequest, res: &Response) -> Result<(), String> {
    let include = req.credentials == Credentials::Include;
    let Some(allow_origin) = res.get("access-control-allow-origin") else {
        return Err(
            "No 'Access-Control-Allow-Origin' header is present on the requested resource.".into(),
        );
    };
    if allow_origin == b"*" {
        if include {
            return Err("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.".into());
        }
        return Ok(());
    }
    if allow_origin != req.origin.as_bytes() {
        let shown = String::from_utf8_lossy(&allow_origin);
        if allow_origin.iter().any(|b| b" ,".contains(b)) {
            return Err(format!(
                "The 'Access-Control-Allow-Origin' header contains multiple values '{shown}', but only one is allowed."
            ));
        }
        if allow_origin != b"null" && !looks_like_url(&allow_origin) {
            return Err(format!(
                "The 'Access-Control-Allow-Origin' header contains the invalid value '{shown}'."
            ));
        }
        return Err(format!(
            "The 'Access-Control-Allow-Origin' header has a value '{shown}' that is not equal to the supplied origin."
        ));
    }
    if include {
        let credentials = res.get("access-control-allow-credentials");
        if credentials.as_deref() != Some(b"true") {
            let shown = String::from_utf8_lossy(credentials.as_deref().unwrap_or_default());
            return Err(format!(
                "The value of the 'Access-Control-Allow-Credentials' header in the response is '{shown}' which must be 'true' when the request's credentials mode is 'include'."
            ));
        }
    }
    Ok(())
}

/// Roughly what a URL parser accepts as absolute: `scheme:` then something.
fn looks_like_url(value: &[u8]) -> bool {
    let Some(colon) = value.iter().position(|&b| b == b':') else {
        return false;
    };
    let scheme = &value[..colon];
    scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b))
        && colon + 1 < value.len()
        && value.iter().all(u8::is_ascii_graphic)
}

/// The items of a comma-separated header (all lines), each an HTTP token; `Err` when one is not.
/// Absent is an empty list.
fn list(res: &Response, name: &str) -> Result<Vec<String>, ()> {
    let Some(value) = res.get(name) else {
        return Ok(Vec::new());
    };
    let mut items = Vec::new();
    for item in value.split(|&b| b == b',') {
        let item = item.trim_ascii();
        if item.is_empty() {
            continue;
        }
        if !crate::headers::is_token(item) {
            return Err(());
        }
        items.push(String::from_utf8_lossy(item).into_owned());
    }
    Ok(items)
}

/// `fetch()`'s method normalization: the six well-known methods in any case become upper case.
fn normalize_method(method: &str) -> String {
    const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    NORMALIZED
        .iter()
        .find(|m| m.eq_ignore_ascii_case(method))
        .map_or_else(|| method.to_owned(), |m| (*m).to_owned())
}

fn is_safelisted_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// A CORS-unsafe request-header byte.
fn is_unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b"\"():<>?@[\\]{}\x7f".contains(&b)
}

/// Fetch § CORS-safelisted request-header.
fn is_safelisted_request_header(name: &str, value: &[u8]) -> bool {
    if value.len() > 128 {
        return false;
    }
    match name {
        "accept" => !value.iter().any(|&b| is_unsafe_byte(b)),
        "accept-language" | "content-language" => value
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b)),
        "content-type" => {
            if value.iter().any(|&b| is_unsafe_byte(b)) {
                return false;
            }
            let essence = value.split(|&b| b == b';').next().unwrap_or_default();
            let essence = essence.trim_ascii().to_ascii_lowercase();
            matches!(
                essence.as_slice(),
                b"application/x-www-form-urlencoded" | b"multipart/form-data" | b"text/plain"
            )
        }
        "range" => is_simple_range(value),
        _ => false,
    }
}

/// `bytes=N-` or `bytes=N-M` with `N <= M`.
fn is_simple_range(value: &[u8]) -> bool {
    let Some(rest) = value.strip_prefix(b"bytes=") else {
        return false;
    };
    let Some(dash) = rest.iter().position(|&b| b == b'-') else {
        return false;
    };
    let (start, end) = (&rest[..dash], &rest[dash + 1..]);
    let number = |digits: &[u8]| -> Option<u128> {
        if digits.is_empty() || digits.len() > 30 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        core::str::from_utf8(digits).ok()?.parse().ok()
    };
    let Some(start) = number(start) else {
        return false;
    };
    end.is_empty() || number(end).is_some_and(|end| start <= end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "https://app.example.com";

    fn get() -> CorsRequest {
        CorsRequest::new(APP, "GET")
    }

    fn ok(acao: &str) -> Response {
        Response::new(200).header("access-control-allow-origin", acao)
    }

    fn blocked(v: &Verdict) -> &str {
        v.reason()
            .unwrap_or_else(|| panic!("allowed, expected blocked"))
    }

    #[test]
    fn which_requests_are_preflighted() {
        let cases: &[(CorsRequest, bool)] = &[
            (get(), false),
            (CorsRequest::new(APP, "HEAD"), false),
            (CorsRequest::new(APP, "post"), false),
            (CorsRequest::new(APP, "PUT"), true),
            (CorsRequest::new(APP, "PATCH"), true),
            (get().header("Accept", "application/json"), false),
            (get().header("accept", "a\"b"), true),
            (get().header("accept-language", "en-US,en;q=0.9"), false),
            (get().header("content-language", "en/us"), true),
            (
                get().header("content-type", "text/plain;charset=UTF-8"),
                false,
            ),
            (
                get().header("Content-Type", " Multipart/Form-Data; boundary=x"),
                false,
            ),
            (
                get().header("content-type", "application/x-www-form-urlencoded"),
                false,
            ),
            (get().header("content-type", "application/json"), true),
            (get().header("content-type", "text/plain; a=\"q\""), true),
            (get().header("range", "bytes=0-"), false),
            (get().header("range", "bytes=5-10"), false),
            (get().header("range", "bytes=10-5"), true),
            (get().header("range", "bytes=-5"), true),
            (get().header("x-api-key", "k"), true),
            (get().header("accept", "a".repeat(129)), true),
            // Forbidden headers are dropped, as fetch() drops them.
            (
                get()
                    .header("cookie", "a=b")
                    .header("Sec-Fetch-Mode", "cors"),
                false,
            ),
        ];
        for (i, (req, want)) in cases.iter().enumerate() {
            assert_eq!(req.needs_preflight(), *want, "case {i}: {req:?}");
        }
        // Safelisted values over 1,024 bytes together make every safelisted header unsafe.
        let big = get()
            .header("accept", "a".repeat(128))
            .header("accept-language", "b".repeat(128));
        let mut req = big;
        for _ in 0..7 {
            req = req.header("content-language", "c".repeat(128));
        }
        assert_eq!(
            req.unsafe_header_names(),
            ["accept", "accept-language", "content-language"]
        );
    }

    #[test]
    fn methods_are_normalized_like_fetch() {
        assert_eq!(CorsRequest::new(APP, "delete").method(), "DELETE");
        assert_eq!(CorsRequest::new(APP, "Put").method(), "PUT");
        assert_eq!(CorsRequest::new(APP, "patch").method(), "patch");
    }

    #[test]
    fn preflight_request_headers() {
        let req = CorsRequest::new(APP, "put")
            .header("X-B", "1")
            .header("content-type", "application/json")
            .header("x-a", "2")
            .header("x-a", "3");
        assert_eq!(
            req.preflight_headers(),
            [
                ("origin", APP.to_owned()),
                ("access-control-request-method", "PUT".to_owned()),
                (
                    "access-control-request-headers",
                    "content-type,x-a,x-b".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn the_cors_check() {
        let inc = get().credentials(Credentials::Include);
        let cases: &[(&CorsRequest, Response, Option<&str>)] = &[
            (&get(), ok(APP), None),
            (&get(), ok("*"), None),
            (
                &get(),
                Response::new(200),
                Some(
                    "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
                ),
            ),
            (
                &get(),
                ok("https://APP.example.com"),
                Some(
                    "The 'Access-Control-Allow-Origin' header has a value 'https://APP.example.com' that is not equal to the supplied origin.",
                ),
            ),
            (
                &get(),
                ok("https://app.example.com/"),
                Some(
                    "The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com/' that is not equal to the supplied origin.",
                ),
            ),
            (
                &get(),
                ok("null"),
                Some(
                    "The 'Access-Control-Allow-Origin' header has a value 'null' that is not equal to the supplied origin.",
                ),
            ),
            (
                &get(),
                ok(APP).header("access-control-allow-origin", APP),
                Some(
                    "The 'Access-Control-Allow-Origin' header contains multiple values 'https://app.example.com, https://app.example.com', but only one is allowed.",
                ),
            ),
            (
                &get(),
                ok("nonsense"),
                Some(
                    "The 'Access-Control-Allow-Origin' header contains the invalid value 'nonsense'.",
                ),
            ),
            (
                &inc,
                ok("*").header("access-control-allow-credentials", "true"),
                Some(
                    "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
                ),
            ),
            (
                &inc,
                ok(APP),
                Some(
                    "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
                ),
            ),
            (
                &inc,
                ok(APP).header("access-control-allow-credentials", "True"),
                Some(
                    "The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.",
                ),
            ),
            (
                &inc,
                ok(APP).header("Access-Control-Allow-Credentials", "true"),
                None,
            ),
            // Any status: the check is about headers only.
            (
                &get(),
                Response::new(500).header("access-control-allow-origin", APP),
                None,
            ),
        ];
        for (i, (req, res, want)) in cases.iter().enumerate() {
            assert_eq!(req.check_response(res).reason(), *want, "case {i}");
        }
    }

    fn preflight(acao: &str) -> Response {
        Response::new(204).header("access-control-allow-origin", acao)
    }

    #[test]
    fn the_preflight_check() {
        let put = CorsRequest::new(APP, "PUT").header("content-type", "application/json");
        let patch = CorsRequest::new(APP, "PATCH");
        let lower_patch = CorsRequest::new(APP, "patch");
        let auth = get().header("authorization", "Bearer x");
        let inc = put.clone().credentials(Credentials::Include);
        let full = preflight(APP)
            .header("access-control-allow-methods", "GET, PUT")
            .header("access-control-allow-headers", "Content-Type");
        let cases: &[(&CorsRequest, Response, Option<&str>)] = &[
            (&put, full.clone(), None),
            (
                &put,
                Response::new(403),
                Some(
                    "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
                ),
            ),
            (
                &put,
                Response::new(404).header("access-control-allow-origin", APP),
                Some(
                    "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
                ),
            ),
            (
                &put,
                preflight(APP).header("access-control-allow-methods", "PUT"),
                Some(
                    "Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.",
                ),
            ),
            (
                &put,
                preflight(APP).header("access-control-allow-headers", "content-type"),
                Some(
                    "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
                ),
            ),
            // Normalized methods match in any case; others exactly.
            (
                &put,
                preflight(APP)
                    .header("access-control-allow-methods", "put")
                    .header("access-control-allow-headers", "content-type"),
                None,
            ),
            (
                &patch,
                preflight(APP).header("access-control-allow-methods", "patch"),
                Some(
                    "Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.",
                ),
            ),
            (
                &lower_patch,
                preflight(APP).header("access-control-allow-methods", "PUT, PATCH"),
                Some(
                    "Method patch is not allowed by Access-Control-Allow-Methods in preflight response.",
                ),
            ),
            (
                &patch,
                preflight(APP).header("access-control-allow-methods", "PATCH"),
                None,
            ),
            // Wildcards: only without credentials, never covering Authorization.
            (
                &put,
                preflight("*")
                    .header("access-control-allow-methods", "*")
                    .header("access-control-allow-headers", "*"),
                None,
            ),
            (
                &inc,
                preflight(APP)
                    .header("access-control-allow-credentials", "true")
                    .header("access-control-allow-methods", "*")
                    .header("access-control-allow-headers", "content-type"),
                Some(
                    "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
                ),
            ),
            (
                &inc,
                preflight(APP)
                    .header("access-control-allow-credentials", "true")
                    .header("access-control-allow-methods", "PUT")
                    .header("access-control-allow-headers", "*"),
                Some(
                    "Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.",
                ),
            ),
            (
                &inc,
                full.clone(),
                Some(
                    "Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
                ),
            ),
            (
                &inc,
                preflight("*").header("access-control-allow-credentials", "true"),
                Some(
                    "Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
                ),
            ),
            (
                &auth,
                preflight(APP).header("access-control-allow-headers", "*"),
                Some(
                    "Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.",
                ),
            ),
            (
                &auth,
                preflight(APP).header("access-control-allow-headers", "*, Authorization"),
                None,
            ),
            // Safelisted methods need no listing.
            (
                &get().header("x-a", "1"),
                preflight(APP).header("access-control-allow-headers", "X-A"),
                None,
            ),
            // Unparsable lists.
            (
                &put,
                full.clone()
                    .header("access-control-allow-methods", "PUT GET"),
                Some(
                    "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
                ),
            ),
            (
                &put,
                full.clone().header("access-control-allow-headers", "a:b"),
                Some(
                    "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
                ),
            ),
            // Lists over several lines, empty items.
            (
                &put,
                preflight(APP)
                    .header("access-control-allow-methods", ",GET,")
                    .header("access-control-allow-methods", "PUT")
                    .header("access-control-allow-headers", "x-a,")
                    .header("access-control-allow-headers", " content-type "),
                None,
            ),
        ];
        for (i, (req, res, want)) in cases.iter().enumerate() {
            assert_eq!(req.check_preflight(res).reason(), *want, "case {i}");
        }
    }

    #[test]
    fn the_whole_decision() {
        let put = CorsRequest::new(APP, "PUT");
        let answer = preflight(APP).header("access-control-allow-methods", "PUT");
        assert_eq!(put.check(Some(&answer), &ok(APP)), Verdict::Allowed);
        assert!(blocked(&put.check(None, &ok(APP))).contains("needs a preflight"));
        assert!(
            blocked(&put.check(Some(&answer), &Response::new(200)))
                .starts_with("No 'Access-Control-Allow-Origin'")
        );
        assert!(
            blocked(&put.check(Some(&Response::new(200)), &ok(APP)))
                .starts_with("Response to preflight request")
        );
        // A simple request ignores the preflight argument.
        assert_eq!(
            get().check(Some(&Response::new(500)), &ok(APP)),
            Verdict::Allowed
        );
        assert_eq!(Verdict::Allowed.to_string(), "allowed");
    }
}
