//! The per-request side of header names: [`AllowHeaders`] and the bounded parser of
//! `Access-Control-Request-Headers` (`check_requested`). No allocation.

#[cfg(feature = "actix")]
use crate::policy::Names;

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

/// The headers a policy allows a cross-origin request to carry.
///
/// More kinds may come: match with a `_` arm.
#[cfg(feature = "actix")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllowHeaders {
    /// None beyond the CORS-safelisted ones.
    None,
    /// `"*"`: any header except `Authorization`, which the Fetch standard never lets a wildcard
    /// cover. Only without credentials.
    Any,
    /// These names, in lower case, with the header value listing them.
    List(Names),
}

#[cfg(feature = "actix")]
impl AllowHeaders {
    /// Whether a requested header name (any case) is allowed.
    pub fn allows(&self, name: &[u8]) -> bool {
        match self {
            Self::None => false,
            Self::Any => !name.eq_ignore_ascii_case(b"authorization"),
            // Browsers send names in lower case, as the list holds them: the byte comparison
            // answers first.
            Self::List(list) => list
                .names
                .iter()
                .any(|n| n.as_bytes() == name || n.as_bytes().eq_ignore_ascii_case(name)),
        }
    }
}

/// Why a preflight's `Access-Control-Request-Headers` is not acceptable.
///
/// More reasons may come: match with a `_` arm.
#[cfg(feature = "actix")]
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
#[cfg(feature = "actix")]
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

#[cfg(all(test, feature = "actix"))]
mod tests {

    use super::*;
    use RequestedHeadersError::*;

    const LIST: AllowHeaders = AllowHeaders::List(Names {
        names: &["content-type", "x-api-key"],
        value: "content-type, x-api-key",
    });

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
        // The byte bound counts every line, and a list of exactly the bound is read.
        let padded = format!("{:<1$}", "x-api-key", MAX_REQUESTED_BYTES / 2);
        assert_eq!(check(&[&padded, &padded], &LIST), Ok(2));
        let one_more = format!("{padded} ");
        assert_eq!(check(&[&padded, &one_more], &LIST), Err(TooLarge));
        // Over the bound even when an earlier item was already refused.
        let refused_then_many = format!("x-no,{many}");
        assert_eq!(check(&[&refused_then_many], &LIST), Err(TooLarge));
    }

    #[test]
    fn tokens() {
        assert!(is_token(b"x-request-id"));
        assert!(!is_token(b""));
        assert!(!is_token(b"a:b"));
        assert!(!is_token(b"a b"));
    }
}
