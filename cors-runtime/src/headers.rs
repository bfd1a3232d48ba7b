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

/// Request headers a page may always send cross-origin, whatever their value: listing them in
/// `allow_headers` changes nothing. (`content-type` and `range` are safelisted only for some
/// values, so they are worth allowing.)
pub const SAFELISTED_REQUEST_HEADERS: &[&str] = &["accept", "accept-language", "content-language"];

/// Response headers a page can always read: listing them in `expose_headers` changes nothing.
pub const SAFELISTED_RESPONSE_HEADERS: &[&str] = &[
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// Response headers a page can never read, even exposed.
pub const NEVER_EXPOSED_RESPONSE_HEADERS: &[&str] = &["set-cookie", "set-cookie2"];

/// The headers a policy allows a cross-origin request to carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
            Self::List(names) => names
                .iter()
                .any(|n| n.as_bytes().eq_ignore_ascii_case(name)),
        }
    }
}

/// Why a preflight's `Access-Control-Request-Headers` is not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    #[test]
    fn tokens() {
        assert!(is_token(b"x-request-id"));
        assert!(!is_token(b""));
        assert!(!is_token(b"a:b"));
        assert!(!is_token(b"a b"));
    }
}
