//! The answer to a preflight, from the route's policy, without running its extractors, handler
//! or middleware: the checks in order (origin, method, headers), then one small function per
//! header of the answer.

use actix_web::HttpResponse;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use core::slice::Iter;

use actix_web::http::header::{self, HeaderMap, HeaderValue};

use super::logging::{Level, LogPath, Shown};
use super::request::OriginHeader;
use super::response::{forbidden, true_value, vary_preflight_value};
use super::route::CorsRoute;
use super::siblings::Siblings;
use crate::request_headers::{AllowHeaders, RequestedHeadersError, check_requested};

/// A preflight refused outright: 403 with this reason, and nothing of the policy.
struct Refused(&'static str);

impl CorsRoute {
    /// Answers a preflight: runs no extractor, no handler and no route middleware. `siblings`,
    /// the other `#[cors]` routes on its path where they are known, may add their methods.
    pub(crate) fn preflight(
        &self,
        req: ServiceRequest,
        siblings: Option<&Siblings>,
    ) -> ServiceResponse {
        let path = self.log_path(&req);
        let headers = req.headers();
        // Read once: checked, then echoed when granted.
        let requested = headers.get_all(header::ACCESS_CONTROL_REQUEST_HEADERS);
        let checked = self.preflight_origin(&req, path).and_then(|origin| {
            self.note_method_case(headers, path, origin);
            let grant = self.grant_headers(requested.clone(), path, origin)?;
            Ok((origin, grant))
        });
        let res = match checked {
            Ok((origin, grant)) => {
                let allow_methods = match (siblings, &grant) {
                    (Some(siblings), Grant::Nothing | Grant::Requested) => {
                        siblings.allow_methods(self, &req, origin.as_bytes())
                    }
                    _ => self.methods.header(),
                };
                self.answer(origin, allow_methods, grant, requested)
            }
            Err(Refused(reason)) => forbidden(reason),
        };
        req.into_response(res)
    }

    /// The preflight's `Origin`, when the policy allows it; logged and refused otherwise.
    /// (A per-tenant list reads the tenant from the request.)
    fn preflight_origin<'h>(
        &self,
        req: &'h ServiceRequest,
        path: LogPath<'_>,
    ) -> Result<&'h HeaderValue, Refused> {
        let (level, origin, why): (_, _, &dyn core::fmt::Display) =
            match OriginHeader::of(req.headers()) {
                OriginHeader::One(origin)
                    if self.policy.allows_origin_in(origin.as_bytes(), req) =>
                {
                    return Ok(origin);
                }
                OriginHeader::One(origin) => {
                    let why = self.why_refused_lazily();
                    self.log(Level::Refused, "preflight", path, Some(origin), &why);
                    return Err(Refused("CORS preflight refused: origin not allowed"));
                }
                OriginHeader::Several(first) => {
                    (Level::Malformed, Some(first), &"several Origin headers")
                }
                // Preflights are told apart by their `Origin`; `Missing` is for completeness.
                OriginHeader::Missing => (Level::Malformed, None, &"no Origin header"),
            };
        self.log(level, "preflight", path, origin, why);
        Err(Refused("CORS preflight refused: malformed Origin"))
    }

    /// Logs a requested method that is one of the route's in another case (`patch` for
    /// `PATCH`): methods compare case-sensitively, and the answer names the right one so that
    /// the browser's console says why.
    fn note_method_case(&self, headers: &HeaderMap, path: LogPath<'_>, origin: &HeaderValue) {
        let Some(method) = headers.get(header::ACCESS_CONTROL_REQUEST_METHOD) else {
            return;
        };
        let method = method.as_bytes();
        if !self.methods.names.iter().any(|m| m.as_bytes() == method) {
            self.log(
                Level::Mismatch,
                "preflight",
                path,
                Some(origin),
                &format_args!(
                    "method `{}` is not one of {}",
                    Shown(method),
                    self.methods.value.as_bytes().escape_ascii()
                ),
            );
        }
    }

    /// What the answer grants of `Access-Control-Request-Headers`; a list over the bounds is
    /// refused.
    fn grant_headers(
        &self,
        requested: Iter<'_, HeaderValue>,
        path: LogPath<'_>,
        origin: &HeaderValue,
    ) -> Result<Grant, Refused> {
        match check_requested(
            requested.map(HeaderValue::as_bytes),
            &self.policy.allow_headers,
        ) {
            // Nothing asked for: nothing granted.
            Ok(0) => Ok(Grant::Nothing),
            // Exactly what was asked for, reusing the request's own lines.
            Ok(_) => Ok(Grant::Requested),
            Err(RequestedHeadersError::TooLarge) => {
                let why = &"Access-Control-Request-Headers is too large";
                self.log(Level::Malformed, "preflight", path, Some(origin), why);
                Err(Refused("CORS preflight refused: too many request headers"))
            }
            // Answered all the same, listing what is allowed: the browser then names the header.
            Err(
                RequestedHeadersError::NotAllowed(name) | RequestedHeadersError::Malformed(name),
            ) => {
                let why = format_args!("request header `{}` is not allowed", Shown(name));
                self.log(Level::Mismatch, "preflight", path, Some(origin), &why);
                Ok(Grant::PolicyList)
            }
        }
    }

    /// The 204 answer to an allowed preflight from `origin`.
    fn answer(
        &self,
        origin: &HeaderValue,
        allow_methods: HeaderValue,
        grant: Grant,
        requested: Iter<'_, HeaderValue>,
    ) -> HttpResponse {
        let mut res = HttpResponse::new(StatusCode::NO_CONTENT);
        // A new response has no headers: `append` is `insert` without handing back replaced
        // values.
        let out = res.headers_mut();
        out.append(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            self.allow_origin(origin),
        );
        self.allow_credentials(out);
        out.append(header::ACCESS_CONTROL_ALLOW_METHODS, allow_methods);
        self.allow_headers(out, grant, requested);
        self.max_age(out);
        out.append(header::VARY, vary_preflight_value());
        res
    }

    /// `Access-Control-Allow-Credentials: true`, with credentials.
    fn allow_credentials(&self, out: &mut HeaderMap) {
        if self.policy.credentials {
            out.append(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, true_value());
        }
    }

    /// `Access-Control-Allow-Headers`: what `grant` says.
    fn allow_headers<'r>(
        &self,
        out: &mut HeaderMap,
        grant: Grant,
        requested: impl Iterator<Item = &'r HeaderValue>,
    ) {
        match grant {
            Grant::Nothing => {}
            Grant::Requested => {
                for line in requested {
                    out.append(header::ACCESS_CONTROL_ALLOW_HEADERS, line.clone());
                }
            }
            // A list, so that the browser names the header it lacks. Never `*`: Chromium, WebKit
            // and Firefox (by default) read it as covering `Authorization`, the one name `*`
            // refuses; without the header, the browser names the refused one all the same.
            Grant::PolicyList => {
                if let AllowHeaders::List(list) = &self.policy.allow_headers {
                    out.append(header::ACCESS_CONTROL_ALLOW_HEADERS, list.header());
                }
            }
        }
    }

    /// `Access-Control-Max-Age`, when the policy sets it.
    fn max_age(&self, out: &mut HeaderMap) {
        if let Some(max_age) = &self.policy.max_age {
            out.append(header::ACCESS_CONTROL_MAX_AGE, max_age.header());
        }
    }
}

/// What a preflight answer grants in `Access-Control-Allow-Headers`.
#[derive(Clone, Copy)]
enum Grant {
    /// The preflight asked for no header: no `Access-Control-Allow-Headers`.
    Nothing,
    /// Every requested header is allowed: the request's own lines, echoed.
    Requested,
    /// A requested header is not allowed: the policy's list, so the browser names the header.
    PolicyList,
}
