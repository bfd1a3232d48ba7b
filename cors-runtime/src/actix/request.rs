//! Reading a request: its `Origin`, whether it is a preflight, whether it is same-origin.

use actix_web::HttpMessage;
use actix_web::dev::{ConnectionInfo, RequestHead, ServiceRequest};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::uri::Authority;

/// The request's `Origin` header: a browser sends at most one.
#[derive(Debug, Clone, Copy)]
pub(crate) enum OriginHeader<'a> {
    Missing,
    One(&'a HeaderValue),
    /// Several lines: malformed, refused; the first is logged.
    Several(&'a HeaderValue),
}

impl<'a> OriginHeader<'a> {
    pub(crate) fn of(headers: &'a HeaderMap) -> Self {
        let mut all = headers.get_all(header::ORIGIN);
        match (all.next(), all.next()) {
            (None, _) => Self::Missing,
            (Some(origin), None) => Self::One(origin),
            (Some(first), Some(_)) => Self::Several(first),
        }
    }
}

/// Whether a request is a CORS preflight: `OPTIONS` with `Origin` and
/// `Access-Control-Request-Method` ([Fetch § CORS-preflight request]). Browsers send no
/// credentials on it.
///
/// [Fetch § CORS-preflight request]: https://fetch.spec.whatwg.org/#cors-preflight-request
#[inline]
pub fn is_preflight(head: &RequestHead) -> bool {
    head.method == Method::OPTIONS
        && head.headers.contains_key(header::ORIGIN)
        && head
            .headers
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// Whether a cross-origin-looking request is in fact same-origin: its `Origin` is the request's
/// own origin (as actix-web's connection info reports it, honouring `Forwarded` and
/// `X-Forwarded-*`), or the browser says so with `Sec-Fetch-Site: same-origin`, which a page
/// cannot forge (behind a TLS-terminating proxy that sets no `X-Forwarded-Proto`, the scheme
/// seen here is `http` while the page's is `https`).
///
/// Only ever used to let a request through *without* CORS headers, so a forged value cannot
/// make a refused origin readable.
pub(crate) fn is_same_origin(req: &ServiceRequest, origin: &[u8]) -> bool {
    let headers = req.headers();
    let seen = Seen::of(headers);
    if seen.sec_fetch_site
        && headers
            .get(&SEC_FETCH_SITE)
            .is_some_and(|v| v.as_bytes() == b"same-origin")
    {
        return true;
    }
    if let Some((scheme, host)) = own_origin_seen(req, &seen) {
        return origin_is(origin, scheme, host);
    }
    let info = req.connection_info();
    origin_is(origin, info.scheme().as_bytes(), info.host().as_bytes())
}

static SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");
static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
static X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");

/// Which of the headers the same-origin test reads a request has, found in one pass over its
/// header names: cheaper than a hashed lookup of each (three of the five names are not
/// standard ones, whose lookups hash their text) on a refusal, the path a hostile page can
/// make a server take as often as it likes.
#[derive(Default)]
struct Seen {
    sec_fetch_site: bool,
    /// `Forwarded`, `X-Forwarded-Proto` or `X-Forwarded-Host`.
    proxied: bool,
    host: bool,
}

impl Seen {
    fn of(headers: &HeaderMap) -> Self {
        let mut seen = Self::default();
        for name in headers.keys() {
            if *name == header::HOST {
                seen.host = true;
            } else if *name == SEC_FETCH_SITE {
                seen.sec_fetch_site = true;
            } else if *name == header::FORWARDED
                || *name == X_FORWARDED_PROTO
                || *name == X_FORWARDED_HOST
            {
                seen.proxied = true;
            }
        }
        seen
    }
}

/// [`own_origin_seen`] for a request not yet looked over.
#[cfg(test)]
fn own_origin(req: &ServiceRequest) -> Option<(&[u8], &[u8])> {
    own_origin_seen(req, &Seen::of(req.headers()))
}

/// The request's scheme and host read in place, exactly as `ConnectionInfo` would report them,
/// when no proxy header is involved; `None` otherwise, or when a `ConnectionInfo` is already
/// stored in the request (its value wins).
///
/// `HttpRequest::connection_info` copies four strings and stores them in the request's
/// extensions: five allocations on every refused request. Without `Forwarded`,
/// `X-Forwarded-Proto` and `X-Forwarded-Host`, actix-web 4's `ConnectionInfo::new` takes the
/// scheme from the URI, else `https` when the server is bound with TLS, else `http`; and the
/// host from `Host`, else the URI's authority, else the configured host. So does this.
///
/// `seen` is what [`Seen::of`] found in the request's headers.
fn own_origin_seen<'r>(req: &'r ServiceRequest, seen: &Seen) -> Option<(&'r [u8], &'r [u8])> {
    if seen.proxied || req.extensions().contains::<ConnectionInfo>() {
        return None;
    }
    let head = req.head();
    let config = req.app_config();
    let scheme = match head.uri.scheme_str() {
        Some(scheme) => scheme,
        None if config.secure() => "https",
        None => "http",
    };
    let host = seen
        .host
        .then(|| head.headers.get(header::HOST))
        .flatten()
        .and_then(|h| h.to_str().ok())
        .or_else(|| head.uri.authority().map(Authority::as_str))
        .unwrap_or_else(|| config.host());
    Some((scheme.as_bytes(), host.as_bytes()))
}

/// Whether `origin` is `scheme://host`, the host's port left out when it is the scheme's
/// default.
fn origin_is(origin: &[u8], scheme: &[u8], host: &[u8]) -> bool {
    let Some(rest) = origin
        .strip_prefix(scheme)
        .and_then(|r| r.strip_prefix(b"://"))
    else {
        return false;
    };
    let default_port: &[u8] = match scheme {
        b"https" | b"wss" => b":443",
        b"http" | b"ws" => b":80",
        _ => b"",
    };
    let host = if default_port.is_empty() {
        host
    } else {
        host.strip_suffix(default_port).unwrap_or(host)
    };
    rest.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests;
