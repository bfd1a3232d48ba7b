//! The Fetch standard's [CORS check] on any response: `Access-Control-Allow-Origin` and, with
//! credentials, `Access-Control-Allow-Credentials`, with Chromium's reasons.
//!
//! [CORS check]: https://fetch.spec.whatwg.org/#cors-check

use super::answer::{Answer, Verdict};
use super::request::{CorsRequest, Credentials};

impl CorsRequest {
    /// Checks the answer to the actual request, as the [CORS check] does (its status does not
    /// matter: a page may read a CORS-allowed 500).
    ///
    /// [CORS check]: https://fetch.spec.whatwg.org/#cors-check
    pub fn check_response(&self, response: &Answer) -> Verdict {
        match cors_check(self, response) {
            Ok(()) => Verdict::Allowed,
            Err(reason) => Verdict::Blocked(reason),
        }
    }
}

/// The CORS check, with Chromium's reasons.
pub(super) fn cors_check(req: &CorsRequest, res: &Answer) -> Result<(), String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixtures::{APP, get, ok};

    /// [`get`] with credentials.
    fn get_with_credentials() -> CorsRequest {
        get().credentials(Credentials::Include)
    }

    /// Checks each answer of `cases` to its request: allowed (`None`), or blocked with that
    /// reason.
    fn assert_responses(cases: &[(&CorsRequest, Answer, Option<&str>)]) {
        for (i, (req, res, want)) in cases.iter().enumerate() {
            assert_eq!(req.check_response(res).reason(), *want, "case {i}");
        }
    }

    #[test]
    fn the_origin_itself_or_a_wildcard_passes() {
        assert_responses(&[(&get(), ok(APP), None), (&get(), ok("*"), None)]);
    }

    #[test]
    fn a_missing_allow_origin_is_blocked() {
        assert_responses(&[(
            &get(),
            Answer::new(200),
            Some("No 'Access-Control-Allow-Origin' header is present on the requested resource."),
        )]);
    }

    #[test]
    fn another_spelling_of_the_origin_is_not_equal_to_it() {
        assert_responses(&[
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
        ]);
    }

    #[test]
    fn several_values_or_an_invalid_one_are_named_as_such() {
        assert_responses(&[
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
        ]);
    }

    #[test]
    fn credentials_need_the_origin_itself_and_allow_credentials_true() {
        assert_responses(&[
            (
                &get_with_credentials(),
                ok("*").header("access-control-allow-credentials", "true"),
                Some(
                    "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
                ),
            ),
            (
                &get_with_credentials(),
                ok(APP),
                Some(
                    "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
                ),
            ),
            (
                &get_with_credentials(),
                ok(APP).header("access-control-allow-credentials", "True"),
                Some(
                    "The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.",
                ),
            ),
            (
                &get_with_credentials(),
                ok(APP).header("Access-Control-Allow-Credentials", "true"),
                None,
            ),
        ]);
    }

    /// The check is about headers only: a page may read a CORS-allowed 500.
    #[test]
    fn any_status_passes() {
        assert_responses(&[(
            &get(),
            Answer::new(500).header("access-control-allow-origin", APP),
            None,
        )]);
    }
}
