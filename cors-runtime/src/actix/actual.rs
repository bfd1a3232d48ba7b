//! What an actual (not preflight) request gets: a [`Decision`] before the route runs, and the
//! [`Outcome`] its response gets after, from the route's policy or a scope-wide one.

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};

use super::logging::Level;
use super::request::{OriginHeader, is_same_origin};
use super::response::{covers_origin, true_value, vary_origin, vary_origin_value};
use super::route::CorsRoute;

impl CorsRoute {
    /// What an actual (not preflight) request to this route gets.
    #[inline]
    pub(crate) fn decide(&self, req: &ServiceRequest) -> Decision {
        let path = self.log_path(req);
        let policy = &self.policy;
        let vary = policy.varies_by_origin();
        match OriginHeader::of(req.headers()) {
            OriginHeader::Missing => Decision::Pass(Outcome::Plain { vary }),
            OriginHeader::One(origin) if policy.allows_origin_in(origin.as_bytes(), req) => {
                Decision::Pass(Outcome::Allowed(self.allow_origin(origin)))
            }
            // Refused: the slow path, where same-origin requests are told apart.
            OriginHeader::One(origin) if is_same_origin(req, origin.as_bytes()) => {
                Decision::Pass(Outcome::Plain { vary })
            }
            OriginHeader::One(origin) => {
                self.log(
                    Level::Refused,
                    "request",
                    path,
                    Some(origin),
                    &self.why_refused_lazily(),
                );
                self.refused()
            }
            OriginHeader::Several(first) => {
                self.log(
                    Level::Malformed,
                    "request",
                    path,
                    Some(first),
                    &"several Origin headers",
                );
                self.refused()
            }
        }
    }

    fn refused(&self) -> Decision {
        if self.policy.forward_refused() {
            Decision::Pass(Outcome::Refused)
        } else {
            Decision::Refuse
        }
    }

    /// Adds the headers of an allowed actual response: `Access-Control-Allow-Origin`,
    /// `-Allow-Credentials` and `-Expose-Headers` replace any the handler set (one value each,
    /// exactly ours), and `Vary: Origin` is appended unless the response already varies by
    /// `Origin` or by everything.
    #[inline]
    pub(crate) fn decorate(&self, headers: &mut HeaderMap, allow_origin: HeaderValue) {
        // One pass over the response's few headers tells which of ours it already has: those
        // are replaced (`insert`), the others added with `append`, which costs less than
        // `insert` (no replaced values handed back), and `Vary` needs no second lookup.
        let mut present = Present::default();
        // Names, not values: a name with several values is visited once.
        for name in headers.keys() {
            if *name == header::ACCESS_CONTROL_ALLOW_ORIGIN {
                present.allow_origin = true;
            } else if *name == header::ACCESS_CONTROL_ALLOW_CREDENTIALS {
                present.credentials = true;
            } else if *name == header::ACCESS_CONTROL_EXPOSE_HEADERS {
                present.expose = true;
            } else if *name == header::VARY {
                present.vary = true;
            }
        }
        let vary_origin = present.vary && headers.get_all(header::VARY).any(covers_origin);
        put(
            headers,
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            allow_origin,
            present.allow_origin,
        );
        if self.policy.credentials() {
            put(
                headers,
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                true_value(),
                present.credentials,
            );
        } else if present.credentials {
            headers.remove(header::ACCESS_CONTROL_ALLOW_CREDENTIALS);
        }
        match &self.policy.expose_headers {
            Some(expose) => put(
                headers,
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                expose.header(),
                present.expose,
            ),
            None if present.expose => {
                headers.remove(header::ACCESS_CONTROL_EXPOSE_HEADERS);
            }
            None => {}
        }
        if self.policy.varies_by_origin() && !vary_origin {
            headers.append(header::VARY, vary_origin_value());
        }
    }

    /// What a response the scope-wide policy covers gets: it never refuses.
    pub(crate) fn scope_outcome(&self, req: &ServiceRequest) -> Outcome {
        match OriginHeader::of(req.headers()) {
            OriginHeader::Missing => Outcome::Plain {
                vary: self.policy().varies_by_origin(),
            },
            OriginHeader::One(origin) if self.policy().allows_origin_in(origin.as_bytes(), req) => {
                Outcome::Allowed(self.allow_origin(origin))
            }
            OriginHeader::One(_) | OriginHeader::Several(_) => Outcome::Refused,
        }
    }
}

/// What an actual request gets.
#[derive(Debug)]
pub(crate) enum Decision {
    /// The route runs; its response gets this outcome.
    Pass(Outcome),
    /// 403 before the route runs.
    Refuse,
}

/// What the middleware adds to the route's response.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// The origin is allowed: CORS headers with this `Access-Control-Allow-Origin`.
    Allowed(HeaderValue),
    /// No CORS headers; `Vary: Origin` when the answer depended on the origin.
    Plain { vary: bool },
    /// A refused origin let through (`forward_refused`): no CORS headers, even ones the
    /// handler set, and `Vary: Origin`.
    Refused,
}

impl Outcome {
    #[inline]
    pub(crate) fn apply(self, route: &CorsRoute, headers: &mut HeaderMap) {
        match self {
            Self::Allowed(allow_origin) => route.decorate(headers, allow_origin),
            Self::Plain { vary: true } => vary_origin(headers),
            Self::Plain { vary: false } => {}
            Self::Refused => {
                for name in [
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                    header::ACCESS_CONTROL_EXPOSE_HEADERS,
                ] {
                    headers.remove(name);
                }
                vary_origin(headers);
            }
        }
    }
}

/// Which of the headers [`CorsRoute::decorate`] sets a response already has.
#[derive(Default)]
#[allow(clippy::struct_excessive_bools)]
struct Present {
    allow_origin: bool,
    credentials: bool,
    expose: bool,
    /// `Vary`, whose values are then read.
    vary: bool,
}

/// Sets `name` to `value` alone: `insert` when the response already has it, else `append`.
#[inline]
fn put(headers: &mut HeaderMap, name: HeaderName, value: HeaderValue, present: bool) {
    if present {
        headers.insert(name, value);
    } else {
        headers.append(name, value);
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;
    use crate::origin::OriginSet;
    use crate::policy::{Names, Origins, Policy};
    use crate::request_headers::AllowHeaders;

    const APP: &str = "https://app.example.com";

    const fn route(credentials: bool, forward_refused: bool) -> CorsRoute {
        crate::actix::route::tests::route(
            Policy {
                origins: Origins::Set(OriginSet::__new(&[APP, ""], &[])),
                allow_headers: AllowHeaders::None,
                expose_headers: Some(Names {
                    names: &["x-request-id"],
                    value: "x-request-id",
                }),
                credentials,
                max_age: None,
                forward_refused,
            },
            "f",
            "/f",
            Names {
                names: &["GET"],
                value: "GET",
            },
        )
    }

    static CREDENTIALED: CorsRoute = route(true, false);
    static FORWARDING: CorsRoute = route(false, true);

    fn request(origins: &[&str]) -> ServiceRequest {
        let mut req = TestRequest::default()
            .uri("/f")
            .insert_header(("host", "api.example.com"));
        for origin in origins {
            req = req.append_header(("origin", *origin));
        }
        req.to_srv_request()
    }

    /// The response's headers after `outcome`, each as `name: value`, in order.
    fn applied(
        outcome: Outcome,
        route: &CorsRoute,
        handler_set: &[(&'static str, &'static str)],
    ) -> Vec<String> {
        let mut headers = HeaderMap::new();
        for &(name, value) in handler_set {
            headers.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        outcome.apply(route, &mut headers);
        let mut lines: Vec<String> = headers
            .iter()
            .map(|(n, v)| format!("{n}: {}", v.to_str().unwrap()))
            .collect();
        lines.sort();
        lines
    }

    #[test]
    fn a_request_is_decided_by_its_origin() {
        let pass = |d: Decision| match d {
            Decision::Pass(outcome) => Some(outcome),
            Decision::Refuse => None,
        };
        assert!(matches!(
            pass(CREDENTIALED.decide(&request(&[]))),
            Some(Outcome::Plain { vary: true })
        ));
        assert!(matches!(
            pass(CREDENTIALED.decide(&request(&[APP]))),
            Some(Outcome::Allowed(acao)) if acao == APP
        ));
        // Same-origin: not a CORS request.
        assert!(matches!(
            pass(CREDENTIALED.decide(&request(&["http://api.example.com"]))),
            Some(Outcome::Plain { vary: true })
        ));
        assert!(pass(CREDENTIALED.decide(&request(&["https://evil.example"]))).is_none());
        assert!(pass(CREDENTIALED.decide(&request(&[APP, APP]))).is_none());
        assert!(matches!(
            pass(FORWARDING.decide(&request(&["https://evil.example"]))),
            Some(Outcome::Refused)
        ));
    }

    #[test]
    fn a_scope_wide_policy_never_refuses() {
        assert!(matches!(
            FORWARDING.scope_outcome(&request(&[])),
            Outcome::Plain { vary: true }
        ));
        assert!(matches!(
            FORWARDING.scope_outcome(&request(&[APP])),
            Outcome::Allowed(acao) if acao == APP
        ));
        for refused in [&["https://evil.example"][..], &[APP, APP]] {
            assert!(matches!(
                CREDENTIALED.scope_outcome(&request(refused)),
                Outcome::Refused
            ));
        }
    }

    #[test]
    fn an_allowed_response_gets_exactly_our_headers() {
        let allowed = || Outcome::Allowed(HeaderValue::from_static(APP));
        assert_eq!(
            applied(allowed(), &CREDENTIALED, &[]),
            [
                "access-control-allow-credentials: true",
                "access-control-allow-origin: https://app.example.com",
                "access-control-expose-headers: x-request-id",
                "vary: Origin",
            ]
        );
        // The handler's own CORS headers are replaced, its `Vary` kept and not repeated.
        assert_eq!(
            applied(
                allowed(),
                &FORWARDING,
                &[
                    ("access-control-allow-origin", "*"),
                    ("access-control-allow-credentials", "true"),
                    ("access-control-expose-headers", "x-secret"),
                    ("vary", "Accept-Encoding, Origin"),
                ]
            ),
            [
                "access-control-allow-origin: https://app.example.com",
                "access-control-expose-headers: x-request-id",
                "vary: Accept-Encoding, Origin",
            ]
        );
    }

    #[test]
    fn other_outcomes_add_vary_and_remove_cors_headers() {
        let handler_set = [
            ("access-control-allow-origin", "*"),
            ("access-control-allow-credentials", "true"),
            ("access-control-expose-headers", "x-secret"),
            ("x-other", "1"),
        ];
        assert_eq!(
            applied(Outcome::Refused, &CREDENTIALED, &handler_set),
            ["vary: Origin", "x-other: 1"]
        );
        assert_eq!(
            applied(Outcome::Plain { vary: true }, &CREDENTIALED, &[]),
            ["vary: Origin"]
        );
        assert_eq!(
            applied(
                Outcome::Plain { vary: false },
                &CREDENTIALED,
                &[("x-other", "1")]
            ),
            ["x-other: 1"]
        );
    }
}
