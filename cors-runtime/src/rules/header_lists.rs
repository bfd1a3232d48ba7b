//! The names of `allow_headers` and `expose_headers`: a header name a page's script can set, a
//! response header its script could not read otherwise.

use crate::fetch_header_names::{
    CORS_RESPONSE_HEADERS, NEVER_EXPOSED_RESPONSE_HEADERS, PREFLIGHT_ONLY_RESPONSE_HEADERS,
    SAFELISTED_RESPONSE_HEADERS, is_forbidden_request_header, is_request_only_header,
};
use crate::request_headers::is_token;

/// Why a header name cannot be listed in `allow_headers` or `expose_headers`, and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderNameError {
    /// What is wrong, and why, e.g. ``"`Cookie` is a forbidden request header: ..."``.
    pub message: String,
    /// The fix, in words: `remove it`, or `write "x-api-key"`.
    pub help: Option<String>,
}

impl HeaderNameError {
    fn remove(message: String) -> Self {
        Self {
            message,
            help: Some("remove it".to_owned()),
        }
    }
}

impl core::fmt::Display for HeaderNameError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for HeaderNameError {}

/// Checks that `name` is a header name (an HTTP token), with the likely fix when it is not:
/// `"X-Api-Key:"` is `"X-Api-Key"`, `"x api key"` is `"x-api-key"`.
fn check_token(name: &str) -> Result<(), HeaderNameError> {
    if is_token(name.as_bytes()) {
        return Ok(());
    }
    let before_colon = name.split(':').next().unwrap_or_default();
    let fixed = before_colon
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-");
    let help = (is_token(fixed.as_bytes()) && fixed != name).then(|| format!("write \"{fixed}\""));
    Err(HeaderNameError {
        message: format!(
            "`{name}` is not a header name: a header name is a token, letters, digits and ``!#$%&'*+-.^_`|~``, with no space, colon or non-ASCII"
        ),
        help,
    })
}

/// Checks one name of `allow_headers` (any case): a header name that a page's script can set.
///
/// The [CORS-safelisted](crate::fetch_header_names::SAFELISTED_REQUEST_HEADERS) names pass: they are
/// safelisted only for some values.
///
/// # Errors
///
/// Not a token; a [forbidden request header](is_forbidden_request_header), which a page cannot
/// set; a [CORS response header](CORS_RESPONSE_HEADERS), which only a server sends.
pub fn check_allowed_name(name: &str) -> Result<(), HeaderNameError> {
    check_token(name)?;
    let lower = name.to_ascii_lowercase();
    if is_forbidden_request_header(&lower) {
        return Err(HeaderNameError::remove(format!(
            "`{name}` is a forbidden request header: browsers set it themselves and never let a page's script send it, so allowing it does nothing"
        )));
    }
    if CORS_RESPONSE_HEADERS.contains(&lower.as_str()) {
        return Err(HeaderNameError {
            message: format!(
                "`{name}` is a CORS response header: the server sends it, and a page setting it on a request unlocks nothing"
            ),
            help: Some(
                "remove it, and stop the page from setting it on its requests: `#[cors]` sends the CORS response headers itself".to_owned(),
            ),
        });
    }
    Ok(())
}

/// Checks one name of `expose_headers` (any case): a response header that the page's script
/// could not read without it.
///
/// # Errors
///
/// Not a token; [never exposed](NEVER_EXPOSED_RESPONSE_HEADERS) (`Set-Cookie`);
/// [safelisted](SAFELISTED_RESPONSE_HEADERS), so always readable; a
/// [request-only](is_request_only_header) header, which no response carries; a
/// [preflight-only](PREFLIGHT_ONLY_RESPONSE_HEADERS) response header, which the script never
/// sees.
pub fn check_exposed_name(name: &str) -> Result<(), HeaderNameError> {
    check_token(name)?;
    let lower = name.to_ascii_lowercase();
    let lower = lower.as_str();
    let message = if NEVER_EXPOSED_RESPONSE_HEADERS.contains(&lower) {
        format!(
            "`{name}` is never exposed: browsers hide it from pages whatever `Access-Control-Expose-Headers` says"
        )
    } else if SAFELISTED_RESPONSE_HEADERS.contains(&lower) {
        format!(
            "`{name}` is CORS-safelisted: pages can always read it, so exposing it does nothing"
        )
    } else if is_request_only_header(lower) {
        format!(
            "`{name}` is a request header of the CORS protocol: responses do not carry it, so exposing it does nothing"
        )
    } else if PREFLIGHT_ONLY_RESPONSE_HEADERS.contains(&lower) {
        format!(
            "`{name}` only appears on preflight answers, which the page's script never sees, so exposing it does nothing"
        )
    } else {
        return Ok(());
    };
    Err(HeaderNameError::remove(message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch_header_names::SAFELISTED_REQUEST_HEADERS;

    #[test]
    fn value_limited_safelisted_names_can_be_allowed() {
        for name in SAFELISTED_REQUEST_HEADERS {
            assert_eq!(check_allowed_name(name), Ok(()), "{name}");
        }
        assert_eq!(check_allowed_name("Accept-Language"), Ok(()));
        assert_eq!(check_allowed_name("x-api-key"), Ok(()));
        assert_eq!(check_allowed_name("authorization"), Ok(()));
    }

    #[test]
    fn misplaced_names_are_refused() {
        // (list, name, words in the message)
        type Check = fn(&str) -> Result<(), HeaderNameError>;
        let cases: &[(Check, &str, &str)] = &[
            (check_allowed_name, "Cookie", "forbidden request header"),
            (
                check_allowed_name,
                "sec-fetch-mode",
                "forbidden request header",
            ),
            (
                check_allowed_name,
                "Access-Control-Request-Method",
                "forbidden request header",
            ),
            (
                check_allowed_name,
                "Access-Control-Allow-Origin",
                "CORS response header",
            ),
            (
                check_allowed_name,
                "access-control-max-age",
                "CORS response header",
            ),
            (
                check_allowed_name,
                "access-control-expose-headers",
                "CORS response header",
            ),
            (check_exposed_name, "set-cookie", "never exposed"),
            (check_exposed_name, "Content-Type", "CORS-safelisted"),
            (
                check_exposed_name,
                "Origin",
                "request header of the CORS protocol",
            ),
            (
                check_exposed_name,
                "access-control-request-headers",
                "request header of the CORS protocol",
            ),
            (
                check_exposed_name,
                "Access-Control-Allow-Methods",
                "preflight answers",
            ),
            (
                check_exposed_name,
                "access-control-max-age",
                "preflight answers",
            ),
        ];
        for (check, name, words) in cases {
            let e = check(name).expect_err(name);
            assert!(e.message.contains(words), "{name}: {}", e.message);
            assert!(
                e.message.contains(&format!("`{name}`")),
                "{name}: {}",
                e.message
            );
            assert!(
                e.help
                    .as_deref()
                    .is_some_and(|h| h.starts_with("remove it")),
                "{name}"
            );
        }
        // Actual-response headers may be exposed, as jub0bs/cors lets them be.
        for name in [
            "access-control-allow-origin",
            "x-request-id",
            "authorization",
        ] {
            assert_eq!(check_exposed_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn a_name_that_is_not_a_token_gets_its_likely_fix() {
        for (bad, fix) in [
            ("x api key", Some("write \"x-api-key\"")),
            ("X-Api-Key:", Some("write \"X-Api-Key\"")),
            (" x-api-key ", Some("write \"x-api-key\"")),
            (
                "Content-Type: application/json",
                Some("write \"Content-Type\""),
            ),
            ("caf\u{e9}", None),
            ("", None),
            (":", None),
        ] {
            let e = check_allowed_name(bad).expect_err(bad);
            assert!(
                e.message.contains("not a header name"),
                "{bad}: {}",
                e.message
            );
            assert_eq!(e.help.as_deref(), fix, "{bad}");
            assert!(check_exposed_name(bad).is_err(), "{bad}");
        }
    }
}
