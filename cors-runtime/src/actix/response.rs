//! The header values and responses every CORS answer shares: `*`, `true`, `Vary`, and the 403.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderValue};

// The values are made where they are sent, each from a constant: no clone of a shared value
// (a call through `Bytes`' vtable) on the hot path.

/// `*` (`Access-Control-Allow-Origin` of a policy allowing any origin).
#[inline]
pub(crate) const fn any() -> HeaderValue {
    const { HeaderValue::from_static("*") }
}

/// `true` (`Access-Control-Allow-Credentials`).
#[inline]
pub(crate) const fn true_value() -> HeaderValue {
    const { HeaderValue::from_static("true") }
}

/// `Vary: Origin`.
#[inline]
pub(crate) const fn vary_origin_value() -> HeaderValue {
    const { HeaderValue::from_static("Origin") }
}

/// `Vary` of a preflight answer.
#[inline]
pub(crate) const fn vary_preflight_value() -> HeaderValue {
    const {
        HeaderValue::from_static(
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        )
    }
}

/// `Content-Type` of a refusal.
#[inline]
const fn text_plain() -> HeaderValue {
    const { HeaderValue::from_static("text/plain; charset=utf-8") }
}

/// Whether a `Vary` value names `Origin` or everything.
pub(crate) fn covers_origin(vary: &HeaderValue) -> bool {
    vary.as_bytes()
        .split(|&b| b == b',')
        .map(<[u8]>::trim_ascii)
        .any(|t| t.eq_ignore_ascii_case(b"origin") || t == b"*")
}

/// Adds `Origin` to `Vary` unless the response already varies by it (or by everything).
pub(crate) fn vary_origin(headers: &mut HeaderMap) {
    if !headers.get_all(header::VARY).any(covers_origin) {
        headers.append(header::VARY, vary_origin_value());
    }
}

/// 403 with a short plain-text reason and no CORS headers.
pub(crate) fn forbidden(reason: &'static str) -> HttpResponse {
    let mut res = HttpResponse::with_body(StatusCode::FORBIDDEN, reason).map_into_boxed_body();
    // A new response has no headers: `append` is `insert` without handing back replaced values.
    let headers = res.headers_mut();
    headers.append(header::CONTENT_TYPE, text_plain());
    headers.append(header::VARY, vary_origin_value());
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_names_origin_or_everything() {
        for yes in [
            "Origin",
            "origin",
            "Accept-Encoding, Origin",
            " ORIGIN ",
            "*",
            "x, *",
        ] {
            assert!(covers_origin(&HeaderValue::from_static(yes)), "{yes}");
        }
        for no in ["", "Accept-Encoding", "Origins", "x-origin", "**"] {
            assert!(!covers_origin(&HeaderValue::from_static(no)), "{no}");
        }
    }

    #[test]
    fn vary_origin_is_added_once() {
        let mut headers = HeaderMap::new();
        vary_origin(&mut headers);
        vary_origin(&mut headers);
        assert_eq!(headers.get_all(header::VARY).count(), 1);
        let mut star = HeaderMap::new();
        star.insert(header::VARY, HeaderValue::from_static("*"));
        vary_origin(&mut star);
        assert_eq!(star.get_all(header::VARY).collect::<Vec<_>>(), ["*"]);
    }

    #[test]
    fn a_refusal_is_a_short_text_and_no_cors_header() {
        let res = forbidden("CORS request refused: origin not allowed");
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let headers = res.headers();
        assert_eq!(headers.len(), 2, "{headers:?}");
        assert_eq!(headers.get(header::CONTENT_TYPE), Some(&text_plain()));
        assert_eq!(headers.get(header::VARY), Some(&vary_origin_value()));
    }
}
