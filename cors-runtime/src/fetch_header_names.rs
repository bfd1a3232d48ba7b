//! What the Fetch standard says about header names: the forbidden request headers, the
//! CORS-safelisted ones, and the headers of the CORS protocol itself. Constant data, read by the
//! rules (`allow_headers`, `expose_headers`) and by the browser model of `testing`.

/// The Fetch standard's forbidden request-header names (lower case): a page's script cannot set
/// them, so allowing them in `allow_headers` does nothing.
///
/// Names starting with `proxy-` or `sec-` are forbidden too: see [`is_forbidden_request_header`].
pub const FORBIDDEN_REQUEST_HEADERS: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Whether a page's script is forbidden to set the request header `name` (any case).
pub fn is_forbidden_request_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    FORBIDDEN_REQUEST_HEADERS.contains(&lower.as_str())
        || lower.starts_with("proxy-")
        || lower.starts_with("sec-")
}

/// The Fetch standard's [CORS-safelisted request-header] names (lower case).
///
/// They are safelisted only for some values: `accept` and `content-type` without a
/// CORS-unsafe byte (a control other than tab, or one of `"():<>?@[\]{}` and DEL),
/// `accept-language` and `content-language` with only letters, digits, space and `*,-.;=`,
/// `content-type` only for `application/x-www-form-urlencoded`, `multipart/form-data` and
/// `text/plain`, `range` only for a single `bytes=` range; each value at most 128 bytes, and
/// all of them together at most 1,024. Any other value is preflighted, and the preflight fails
/// unless the name is allowed: `Accept: application/vnd.api+json; profile="x"` (it has `"`)
/// and `Content-Language: en_US` (it has `_`) both need `accept` / `content-language` in
/// `allow_headers`. So listing these names is never pointless, and the rules accept them.
///
/// [CORS-safelisted request-header]: https://fetch.spec.whatwg.org/#cors-safelisted-request-header
pub const SAFELISTED_REQUEST_HEADERS: &[&str] = &[
    "accept",
    "accept-language",
    "content-language",
    "content-type",
    "range",
];

/// The Fetch standard's CORS-safelisted response-header names (lower case): a page can always
/// read them, so listing them in `expose_headers` changes nothing.
pub const SAFELISTED_RESPONSE_HEADERS: &[&str] = &[
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// Response headers a page can never read, even exposed (the Fetch standard's forbidden
/// response-header names).
pub const NEVER_EXPOSED_RESPONSE_HEADERS: &[&str] = &["set-cookie", "set-cookie2"];

/// The CORS response headers (lower case): a server sends them, a request never carries them.
/// A page that sets one on its request has misunderstood CORS, so `allow_headers` refuses them.
pub const CORS_RESPONSE_HEADERS: &[&str] = &[
    "access-control-allow-credentials",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-allow-origin",
    "access-control-expose-headers",
    "access-control-max-age",
];

/// The CORS response headers that only a preflight answer carries (lower case): the page's
/// script never sees that answer, so exposing them does nothing.
pub const PREFLIGHT_ONLY_RESPONSE_HEADERS: &[&str] = &[
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-max-age",
];

/// Whether `name` (any case) is a request-only CORS header: `Origin` or
/// `Access-Control-Request-*`. Responses do not carry them, so exposing them does nothing.
pub fn is_request_only_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "origin" || lower.starts_with("access-control-request-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_request_headers() {
        for name in [
            "Cookie",
            "host",
            "Sec-Fetch-Mode",
            "proxy-authorization",
            "TE",
        ] {
            assert!(is_forbidden_request_header(name), "{name}");
        }
        for name in ["authorization", "content-type", "x-secret", "secure"] {
            assert!(!is_forbidden_request_header(name), "{name}");
        }
    }

    #[test]
    fn request_only_headers_are_origin_and_the_request_headers_of_cors() {
        for name in [
            "Origin",
            "access-control-request-method",
            "Access-Control-Request-Headers",
        ] {
            assert!(is_request_only_header(name), "{name}");
        }
        for name in ["access-control-allow-origin", "x-origin", "referer"] {
            assert!(!is_request_only_header(name), "{name}");
        }
    }
}
