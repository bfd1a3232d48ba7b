//! The answer to a preflight, from the route's policy, without running its extractors, handler
//! or middleware.

use actix_web::HttpResponse;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};

use super::logging::{Level, Shown};
use super::request::OriginHeader;
use super::response::{TRUE, VARY_PREFLIGHT, forbidden};
use super::route::CorsRoute;
use super::siblings::Siblings;
use crate::headers::{AllowHeaders, RequestedHeadersError, check_requested};

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
        let origin = match OriginHeader::of(headers) {
            OriginHeader::One(origin) if self.policy.allows_origin_in(origin.as_bytes(), &req) => {
                origin
            }
            OriginHeader::One(origin) => {
                self.log(
                    Level::Refused,
                    "preflight",
                    path,
                    Some(origin),
                    &self.why_refused(),
                );
                return req.into_response(forbidden("CORS preflight refused: origin not allowed"));
            }
            OriginHeader::Several(first) => {
                self.log(
                    Level::Malformed,
                    "preflight",
                    path,
                    Some(first),
                    &"several Origin headers",
                );
                return req.into_response(forbidden("CORS preflight refused: malformed Origin"));
            }
            // Preflights are told apart by their `Origin`; `Missing` is for completeness.
            OriginHeader::Missing => {
                self.log(
                    Level::Malformed,
                    "preflight",
                    path,
                    None,
                    &"no Origin header",
                );
                return req.into_response(forbidden("CORS preflight refused: malformed Origin"));
            }
        };
        if let Some(method) = headers.get(header::ACCESS_CONTROL_REQUEST_METHOD) {
            let method = method.as_bytes();
            if !self.methods.iter().any(|m| m.as_bytes() == method) {
                // Another case (`patch` for `PATCH`): methods compare case-sensitively, and the
                // answer names the right one so that the browser's console says why.
                self.log(
                    Level::Mismatch,
                    "preflight",
                    path,
                    Some(origin),
                    &format_args!(
                        "method `{}` is not one of {}",
                        Shown(method),
                        self.allow_methods.as_bytes().escape_ascii()
                    ),
                );
            }
        }
        let requested = headers.get_all(header::ACCESS_CONTROL_REQUEST_HEADERS);
        let grant = match check_requested(
            requested.clone().map(HeaderValue::as_bytes),
            self.policy.allow_headers(),
        ) {
            // Nothing asked for: nothing granted.
            Ok(0) => Grant::Nothing,
            // Exactly what was asked for, reusing the request's own lines.
            Ok(_) => Grant::Requested,
            Err(RequestedHeadersError::TooLarge) => {
                self.log(
                    Level::Malformed,
                    "preflight",
                    path,
                    Some(origin),
                    &"Access-Control-Request-Headers is too large",
                );
                return req.into_response(forbidden(
                    "CORS preflight refused: too many request headers",
                ));
            }
            // Answered all the same, listing what is allowed: the browser then names the header.
            Err(
                RequestedHeadersError::NotAllowed(name) | RequestedHeadersError::Malformed(name),
            ) => {
                self.log(
                    Level::Mismatch,
                    "preflight",
                    path,
                    Some(origin),
                    &format_args!("request header `{}` is not allowed", Shown(name)),
                );
                Grant::PolicyList
            }
        };

        let allow_methods = match (siblings, &grant) {
            (Some(siblings), Grant::Nothing | Grant::Requested) => {
                siblings.allow_methods(self, &req, origin.as_bytes())
            }
            _ => self.allow_methods.clone(),
        };
        let mut res = HttpResponse::new(StatusCode::NO_CONTENT);
        // A new response has no headers: `append` is `insert` without handing back replaced
        // values.
        let out = res.headers_mut();
        out.append(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            self.allow_origin(origin),
        );
        if self.policy.credentials() {
            out.append(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
        }
        out.append(header::ACCESS_CONTROL_ALLOW_METHODS, allow_methods);
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
                if let (Some(allow), AllowHeaders::List(_)) =
                    (&self.allow_headers, self.policy.allow_headers())
                {
                    out.append(header::ACCESS_CONTROL_ALLOW_HEADERS, allow.clone());
                }
            }
        }
        if let Some(max_age) = &self.max_age {
            out.append(header::ACCESS_CONTROL_MAX_AGE, max_age.clone());
        }
        out.append(header::VARY, VARY_PREFLIGHT.clone());
        req.into_response(res)
    }
}

/// What a preflight answer grants in `Access-Control-Allow-Headers`.
enum Grant {
    /// The preflight asked for no header: no `Access-Control-Allow-Headers`.
    Nothing,
    /// Every requested header is allowed: the request's own lines, echoed.
    Requested,
    /// A requested header is not allowed: the policy's list, so the browser names the header.
    PolicyList,
}
