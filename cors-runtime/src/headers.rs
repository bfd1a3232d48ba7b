//! Header names: the rules for `allow_headers` / `expose_headers`, and the bounded parser of
//! `Access-Control-Request-Headers`.

/// Most header names a preflight may ask for; more is refused (browsers send a handful).
pub const MAX_REQUESTED_HEADERS: usize = 64;

/// Most bytes of `Access-Control-Request-Headers` (all lines together); more is refused.
pub const MAX_REQUESTED_BYTES: usize = 4096;

/// Whether `name` is an HTTP token (RFC 9110 § 5.6.2), the syntax of a header name.
pub fn is_token(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| TCHAR[usize::from(b)])
}

/// [`is_tchar`] as a table: one load per byte on the preflight path.
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        #[allow(clippy::cast_possible_truncation)] // below 256
        {
            table[b] = is_tchar(b as u8);
        }
        b += 1;
    }
    table
};

const fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

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

/// Why a header name cannot be listed in `allow_headers` or `expose_headers`, and the fix.
#[cfg(feature = "rules")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderNameError {
    /// What is wrong, and why, e.g. ``"`Cookie` is a forbidden request header: ..."``.
    pub message: String,
    /// The fix, in words: `remove it`, or `write "x-api-key"`.
    pub help: Option<String>,
}

#[cfg(feature = "rules")]
impl HeaderNameError {
    fn remove(message: String) -> Self {
        Self {
            message,
            help: Some("remove it".to_owned()),
        }
    }
}

#[cfg(feature = "rules")]
impl core::fmt::Display for HeaderNameError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "rules")]
impl std::error::Error for HeaderNameError {}

/// Checks that `name` is a header name (an HTTP token), with the likely fix when it is not:
/// `"X-Api-Key:"` is `"X-Api-Key"`, `"x api key"` is `"x-api-key"`.
#[cfg(feature = "rules")]
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
/// The [CORS-safelisted](SAFELISTED_REQUEST_HEADERS) names pass: they are safelisted only for
/// some values.
///
/// # Errors
///
/// Not a token; a [forbidden request header](is_forbidden_request_header), which a page cannot
/// set; a [CORS response header](CORS_RESPONSE_HEADERS), which only a server sends.
#[cfg(feature = "rules")]
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
#[cfg(feature = "rules")]
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

/// The headers a policy allows a cross-origin request to carry.
///
/// More kinds may come: match with a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllowHeaders {
    /// None beyond the CORS-safelisted ones.
    None,
    /// `"*"`: any header except `Authorization`, which the Fetch standard never lets a wildcard
    /// cover. Only without credentials.
    Any,
    /// These names, in lower case.
    List(&'static [&'static str]),
}

impl AllowHeaders {
    /// Whether a requested header name (any case) is allowed.
    pub fn allows(&self, name: &[u8]) -> bool {
        match self {
            Self::None => false,
            Self::Any => !name.eq_ignore_ascii_case(b"authorization"),
            // Browsers send names in lower case, as the list holds them: the byte comparison
            // answers first.
            Self::List(names) => names
                .iter()
                .any(|n| n.as_bytes() == name || n.as_bytes().eq_ignore_ascii_case(name)),
        }
    }
}

/// Why a preflight's `Access-Control-Request-Headers` is not acceptable.
///
/// More reasons may come: match with a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestedHeadersError<'a> {
    /// This header is not allowed by the policy.
    NotAllowed(&'a [u8]),
    /// This item is not a header name.
    Malformed(&'a [u8]),
    /// More than [`MAX_REQUESTED_HEADERS`] names or [`MAX_REQUESTED_BYTES`] bytes.
    TooLarge,
}

/// Checks every name of `Access-Control-Request-Headers` against `allowed`, and counts them.
///
/// `lines` are the header's values (a client may split the list over several lines). Items are
/// comma-separated, with optional white space, in any case; empty items are skipped. No
/// allocation. `Ok(0)`: the preflight asks for no header.
///
/// # Errors
///
/// The first item that is not allowed or not a header name, or [`RequestedHeadersError::TooLarge`]
/// when the list is over the bounds.
pub fn check_requested<'a, I>(
    lines: I,
    allowed: &AllowHeaders,
) -> Result<usize, RequestedHeadersError<'a>>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let (mut bytes, mut items) = (0usize, 0usize);
    let mut first_refused = None;
    for line in lines {
        bytes += line.len();
        if bytes > MAX_REQUESTED_BYTES {
            return Err(RequestedHeadersError::TooLarge);
        }
        for item in line.split(|&b| b == b',') {
            let name = item.trim_ascii();
            if name.is_empty() {
                continue;
            }
            items += 1;
            if items > MAX_REQUESTED_HEADERS {
                return Err(RequestedHeadersError::TooLarge);
            }
            // A name a list allows is a token (the lists are checked at compile time, and case
            // does not change that), so the common case costs one comparison per listed name.
            if first_refused.is_none()
                && !(matches!(allowed, AllowHeaders::List(_)) && allowed.allows(name))
            {
                if !is_token(name) {
                    first_refused = Some(RequestedHeadersError::Malformed(name));
                } else if !allowed.allows(name) {
                    first_refused = Some(RequestedHeadersError::NotAllowed(name));
                }
            }
        }
    }
    first_refused.map_or(Ok(items), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestedHeadersError::*;

    const LIST: AllowHeaders = AllowHeaders::List(&["content-type", "x-api-key"]);

    fn check<'a>(
        lines: &[&'a str],
        allowed: &AllowHeaders,
    ) -> Result<usize, RequestedHeadersError<'a>> {
        check_requested(lines.iter().map(|l| l.as_bytes()), allowed)
    }

    #[test]
    fn lists_in_any_shape_are_read() {
        assert_eq!(check(&["content-type,x-api-key"], &LIST), Ok(2));
        assert_eq!(check(&[" Content-Type , X-API-Key "], &LIST), Ok(2));
        assert_eq!(check(&["content-type", "x-api-key"], &LIST), Ok(2));
        assert_eq!(
            check(&["content-type,,x-api-key,", "\tx-api-key"], &LIST),
            Ok(3)
        );
        assert_eq!(check(&[""], &LIST), Ok(0));
        assert_eq!(check(&[" , ,"], &AllowHeaders::None), Ok(0));
        assert_eq!(check(&[], &AllowHeaders::None), Ok(0));
    }

    #[test]
    fn the_first_refused_name_is_named() {
        assert_eq!(
            check(&["content-type, x-other, x-third"], &LIST),
            Err(NotAllowed(b"x-other"))
        );
        assert_eq!(
            check(&["content-type", "x-other"], &LIST),
            Err(NotAllowed(b"x-other"))
        );
        assert_eq!(check(&["x a"], &LIST), Err(Malformed(b"x a")));
        assert_eq!(
            check(&["x-api-key, caf\u{e9}"], &LIST),
            Err(Malformed("caf\u{e9}".as_bytes()))
        );
        assert_eq!(
            check(&["anything"], &AllowHeaders::None),
            Err(NotAllowed(b"anything"))
        );
    }

    #[test]
    fn a_wildcard_never_covers_authorization() {
        assert_eq!(check(&["x-a, x-b"], &AllowHeaders::Any), Ok(2));
        assert_eq!(
            check(&["x-a, Authorization"], &AllowHeaders::Any),
            Err(NotAllowed(b"Authorization"))
        );
    }

    #[test]
    fn oversized_lists_are_refused() {
        let many = vec!["x-api-key"; MAX_REQUESTED_HEADERS + 1].join(",");
        assert_eq!(check(&[&many], &LIST), Err(TooLarge));
        let exactly = vec!["x-api-key"; MAX_REQUESTED_HEADERS].join(",");
        assert_eq!(check(&[&exactly], &LIST), Ok(MAX_REQUESTED_HEADERS));
        let huge = "a".repeat(MAX_REQUESTED_BYTES + 1);
        assert_eq!(check(&[&huge], &LIST), Err(TooLarge));
        // Over the bound even when an earlier item was already refused.
        let refused_then_many = format!("x-no,{many}");
        assert_eq!(check(&[&refused_then_many], &LIST), Err(TooLarge));
    }

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

    #[cfg(feature = "rules")]
    #[test]
    fn value_limited_safelisted_names_can_be_allowed() {
        for name in SAFELISTED_REQUEST_HEADERS {
            assert_eq!(check_allowed_name(name), Ok(()), "{name}");
        }
        assert_eq!(check_allowed_name("Accept-Language"), Ok(()));
        assert_eq!(check_allowed_name("x-api-key"), Ok(()));
        assert_eq!(check_allowed_name("authorization"), Ok(()));
    }

    #[cfg(feature = "rules")]
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

    #[cfg(feature = "rules")]
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

    #[test]
    fn tokens() {
        assert!(is_token(b"x-request-id"));
        assert!(!is_token(b""));
        assert!(!is_token(b"a:b"));
        assert!(!is_token(b"a b"));
    }
}
