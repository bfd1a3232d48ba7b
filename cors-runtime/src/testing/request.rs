//! What a page's script asks for ([`CorsRequest`]), and what the Fetch standard makes of it: the
//! method's normalization, which headers are CORS-safelisted, when a preflight is sent and with
//! which headers.

use crate::fetch_header_names::is_forbidden_request_header;

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
    pub(super) origin: String,
    pub(super) method: String,
    pub(super) headers: Vec<(String, Vec<u8>)>,
    pub(super) credentials: Credentials,
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
}

/// `fetch()`'s method normalization: the six well-known methods in any case become upper case.
pub(super) fn normalize_method(method: &str) -> String {
    const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    NORMALIZED
        .iter()
        .find(|m| m.eq_ignore_ascii_case(method))
        .map_or_else(|| method.to_owned(), |m| (*m).to_owned())
}

pub(super) fn is_safelisted_method(method: &str) -> bool {
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
    use crate::testing::fixtures::{APP, get};

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
}
