//! The checks of the Fetch standard's [CORS-preflight fetch] on a preflight's answer (ok
//! status, `Access-Control-Allow-Methods`, `Access-Control-Allow-Headers`), and the whole
//! decision: the preflight's answer when one is needed, then the actual response's.
//!
//! [CORS-preflight fetch]: https://fetch.spec.whatwg.org/#cors-preflight-fetch

use super::answer::{Answer, Verdict};
use super::cors_check::cors_check;
use super::request::{CorsRequest, Credentials, is_safelisted_method, normalize_method};

const PREFLIGHT: &str = "Response to preflight request doesn't pass access control check: ";

impl CorsRequest {
    /// Checks the answer to the preflight, as the [CORS-preflight fetch] does.
    ///
    /// [CORS-preflight fetch]: https://fetch.spec.whatwg.org/#cors-preflight-fetch
    pub fn check_preflight(&self, preflight: &Answer) -> Verdict {
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

    /// The whole decision: the preflight's answer when [`needs_preflight`](Self::needs_preflight)
    /// (a missing one blocks), then the actual response's.
    pub fn check(&self, preflight: Option<&Answer>, actual: &Answer) -> Verdict {
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

/// The items of a comma-separated header (all lines), each an HTTP token; `Err` when one is not.
/// Absent is an empty list.
fn list(res: &Answer, name: &str) -> Result<Vec<String>, ()> {
    let Some(value) = res.get(name) else {
        return Ok(Vec::new());
    };
    let mut items = Vec::new();
    for item in value.split(|&b| b == b',') {
        let item = item.trim_ascii();
        if item.is_empty() {
            continue;
        }
        if !crate::request_headers::is_token(item) {
            return Err(());
        }
        items.push(String::from_utf8_lossy(item).into_owned());
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixtures::{APP, blocked, get, ok};

    fn preflight(acao: &str) -> Answer {
        Answer::new(204).header("access-control-allow-origin", acao)
    }

    /// A `PUT` with a JSON body: needs `PUT` and `Content-Type` allowed.
    fn put() -> CorsRequest {
        CorsRequest::new(APP, "PUT").header("content-type", "application/json")
    }

    /// [`put`] with credentials.
    fn put_with_credentials() -> CorsRequest {
        put().credentials(Credentials::Include)
    }

    /// A preflight answer that allows [`put`] without credentials.
    fn full() -> Answer {
        preflight(APP)
            .header("access-control-allow-methods", "GET, PUT")
            .header("access-control-allow-headers", "Content-Type")
    }

    /// Checks each answer of `cases` to its request's preflight: allowed (`None`), or blocked
    /// with that reason.
    fn assert_preflights(cases: &[(&CorsRequest, Answer, Option<&str>)]) {
        for (i, (req, res, want)) in cases.iter().enumerate() {
            assert_eq!(req.check_preflight(res).reason(), *want, "case {i}");
        }
    }

    #[test]
    fn an_answer_allowing_the_method_and_headers_passes() {
        assert_preflights(&[(&put(), full(), None)]);
    }

    #[test]
    fn the_cors_check_then_an_ok_status_come_first() {
        assert_preflights(&[
            (
                &put(),
                Answer::new(403),
                Some(
                    "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
                ),
            ),
            (
                &put(),
                Answer::new(404).header("access-control-allow-origin", APP),
                Some(
                    "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
                ),
            ),
        ]);
    }

    #[test]
    fn a_header_or_method_not_listed_is_blocked() {
        assert_preflights(&[
            (
                &put(),
                preflight(APP).header("access-control-allow-methods", "PUT"),
                Some(
                    "Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.",
                ),
            ),
            (
                &put(),
                preflight(APP).header("access-control-allow-headers", "content-type"),
                Some(
                    "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
                ),
            ),
        ]);
    }

    #[test]
    fn normalized_methods_match_in_any_case_others_exactly() {
        let patch = CorsRequest::new(APP, "PATCH");
        let lower_patch = CorsRequest::new(APP, "patch");
        assert_preflights(&[
            (
                &put(),
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
        ]);
    }

    #[test]
    fn wildcards_count_only_without_credentials() {
        assert_preflights(&[
            (
                &put(),
                preflight("*")
                    .header("access-control-allow-methods", "*")
                    .header("access-control-allow-headers", "*"),
                None,
            ),
            (
                &put_with_credentials(),
                preflight(APP)
                    .header("access-control-allow-credentials", "true")
                    .header("access-control-allow-methods", "*")
                    .header("access-control-allow-headers", "content-type"),
                Some(
                    "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
                ),
            ),
            (
                &put_with_credentials(),
                preflight(APP)
                    .header("access-control-allow-credentials", "true")
                    .header("access-control-allow-methods", "PUT")
                    .header("access-control-allow-headers", "*"),
                Some(
                    "Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.",
                ),
            ),
        ]);
    }

    #[test]
    fn with_credentials_the_preflight_needs_allow_credentials_and_the_exact_origin() {
        assert_preflights(&[
            (
                &put_with_credentials(),
                full(),
                Some(
                    "Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
                ),
            ),
            (
                &put_with_credentials(),
                preflight("*").header("access-control-allow-credentials", "true"),
                Some(
                    "Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
                ),
            ),
        ]);
    }

    #[test]
    fn a_wildcard_never_covers_authorization() {
        let auth = get().header("authorization", "Bearer x");
        assert_preflights(&[
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
        ]);
    }

    #[test]
    fn safelisted_methods_need_no_listing() {
        assert_preflights(&[(
            &get().header("x-a", "1"),
            preflight(APP).header("access-control-allow-headers", "X-A"),
            None,
        )]);
    }

    #[test]
    fn unparsable_lists_are_blocked() {
        assert_preflights(&[
            (
                &put(),
                full().header("access-control-allow-methods", "PUT GET"),
                Some(
                    "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
                ),
            ),
            (
                &put(),
                full().header("access-control-allow-headers", "a:b"),
                Some(
                    "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
                ),
            ),
        ]);
    }

    #[test]
    fn lists_may_span_several_lines_and_hold_empty_items() {
        assert_preflights(&[(
            &put(),
            preflight(APP)
                .header("access-control-allow-methods", ",GET,")
                .header("access-control-allow-methods", "PUT")
                .header("access-control-allow-headers", "x-a,")
                .header("access-control-allow-headers", " content-type "),
            None,
        )]);
    }

    #[test]
    fn the_whole_decision() {
        let put = CorsRequest::new(APP, "PUT");
        let answer = preflight(APP).header("access-control-allow-methods", "PUT");
        assert_eq!(put.check(Some(&answer), &ok(APP)), Verdict::Allowed);
        assert!(blocked(&put.check(None, &ok(APP))).contains("needs a preflight"));
        assert!(
            blocked(&put.check(Some(&answer), &Answer::new(200)))
                .starts_with("No 'Access-Control-Allow-Origin'")
        );
        assert!(
            blocked(&put.check(Some(&Answer::new(200)), &ok(APP)))
                .starts_with("Response to preflight request")
        );
        // A simple request ignores the preflight argument.
        assert_eq!(
            get().check(Some(&Answer::new(500)), &ok(APP)),
            Verdict::Allowed
        );
        assert_eq!(Verdict::Allowed.to_string(), "allowed");
    }
}
