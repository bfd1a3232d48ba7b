//! A browser's CORS decision, for tests: would a browser let a page read this response?
//!
//! [`CorsRequest`] describes what a page's script asks for (its origin, the method, the headers
//! it sets, the credentials mode); [`Answer`] is what the server answered. [`CorsRequest::check`]
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

mod answer;
mod cors_check;
mod preflight;
mod request;

#[cfg(feature = "actix")]
mod actix;
#[cfg(feature = "json")]
mod surface;

#[cfg(feature = "actix")]
pub use actix::fetch;
pub use answer::{Answer, Verdict};
pub use request::{CorsRequest, Credentials};
#[cfg(feature = "json")]
pub use surface::{
    Finding, NearMiss, OVERWRITE, assert_no_near_miss_reflected, assert_surface_snapshot,
    near_misses,
};

/// What the tests of every part start from.
#[cfg(test)]
mod fixtures {
    use super::{Answer, CorsRequest, Verdict};

    pub(super) const APP: &str = "https://app.example.com";

    pub(super) fn get() -> CorsRequest {
        CorsRequest::new(APP, "GET")
    }

    pub(super) fn ok(acao: &str) -> Answer {
        Answer::new(200).header("access-control-allow-origin", acao)
    }

    pub(super) fn blocked(v: &Verdict) -> &str {
        v.reason()
            .unwrap_or_else(|| panic!("allowed, expected blocked"))
    }
}
