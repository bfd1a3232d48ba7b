//! One entry of an `origins` list: [`parse`] checks that it is exactly what a browser sends in
//! `Origin`, or a pattern of such origins, and returns it in canonical form.
//!
//! An origin, as a browser sends it in the `Origin` header, is the ASCII serialization
//! `scheme://host[:port]`: lower case, no path, no trailing slash, the port only when it is not
//! the scheme's default ([HTML § origin serialization]). The matcher compares bytes, so a policy
//! must hold origins in exactly that form.
//!
//! [HTML § origin serialization]: https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin

use super::host::{
    canonical, check_dns_name, check_port, host_of, ipv4_mapped, is_ip_host, is_ipv4_like, repair,
    split_port,
};
use crate::error::OriginError;

/// An entry of a policy's `origins` list, checked and in canonical form.
///
/// Not `#[non_exhaustive]`, unlike the run-time enums: the macros turn every kind into code,
/// and a new kind must fail their build until they handle it, not fall through a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginSpec {
    /// `"*"`: any origin (never with credentials).
    Any,
    /// One exact origin, e.g. `https://app.example.com`.
    Exact(String),
    /// `scheme://*.domain[:port]`: every origin one or more labels below `domain`.
    Subdomains {
        /// `"https://"`.
        prefix: String,
        /// `".example.com"`, with `":port"` when the pattern names one.
        suffix: String,
    },
    /// `scheme://host:*`: `host` on any port, the default one included.
    AnyPort {
        /// `"http://localhost"`.
        prefix: String,
    },
}

/// Checks one entry of an `origins` list and returns it in canonical form.
///
/// The entry must be exactly what a browser sends in `Origin`: the form is checked with a
/// WHATWG URL parser (the `url` crate), so the corrected literal of an error is the one a
/// browser would send. Rules that depend on the rest of the policy (credentials, duplicates)
/// are in [`check_credentials`](super::credentials::check_credentials) and
/// [`check_list`](super::list::check_list).
///
/// # Errors
///
/// When `text` is not exactly what a browser would send: see [`OriginError`]'s message.
pub fn parse(text: &str) -> Result<OriginSpec, OriginError> {
    if text == "*" {
        return Ok(OriginSpec::Any);
    }
    check_shape(text)?;
    refuse_null(text)?;
    let (scheme, rest) = split_scheme(text)?;
    check_scheme(scheme)?;
    let parts = Parts::new(text, scheme, rest);
    if parts.host.contains('*') || parts.port == Some("*") {
        return parse_pattern(text, scheme, parts.host, parts.port);
    }
    parse_exact(&parts)
}

/// `null`, in any case: the origin any site can produce.
fn refuse_null(text: &str) -> Result<(), OriginError> {
    if text.eq_ignore_ascii_case("null") {
        return Err(OriginError::new(
            "`null` is the origin of sandboxed frames, local files and some redirects: any site can produce it, so it cannot be allowed",
        )
        .hint("remove it, and serve the page from an http(s) origin"));
    }
    Ok(())
}

/// The scheme and what follows its `://`; without one, the fix is the entry with `https://`
/// when that is an origin.
fn split_scheme(text: &str) -> Result<(&str, &str), OriginError> {
    let Some((scheme, rest)) = text.split_once("://") else {
        let e = OriginError::new(format!(
            "an origin is scheme://host[:port]; `{text}` has no scheme"
        ));
        let guess = format!("https://{text}");
        return Err(match parse(&guess) {
            Ok(OriginSpec::Exact(_)) => e.fix(guess),
            _ => e,
        });
    };
    Ok((scheme, rest))
}

/// A URL scheme (a letter, then letters, digits, `+`, `-`, `.`), and not `file`, whose pages
/// send `Origin: null`.
fn check_scheme(scheme: &str) -> Result<(), OriginError> {
    let scheme_ok = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    if !scheme_ok {
        return Err(OriginError::new(format!("`{scheme}` is not a URL scheme")));
    }
    if scheme.eq_ignore_ascii_case("file") {
        return Err(OriginError::new(
            "`file://` pages have an opaque origin and send `Origin: null`, which any site can forge; they cannot be allowed",
        )
        .hint("serve the page from an http(s) origin, e.g. \"http://localhost:8080\""));
    }
    Ok(())
}

/// An entry with a scheme, cut into the parts of a URL that an origin may or may not have.
struct Parts<'a> {
    /// The entry as written.
    text: &'a str,
    /// What comes before `://`.
    scheme: &'a str,
    /// `[user@]host[:port]`: what comes after `://`, up to the first `/`, `?`, `#` or `\`.
    authority: &'a str,
    /// What comes after the authority (a path, a query, a fragment): nothing in an origin.
    extra: &'a str,
    /// The host of the authority, without its user name or port.
    host: &'a str,
    /// The port of the authority, without its `:`.
    port: Option<&'a str>,
}

impl<'a> Parts<'a> {
    /// Cuts `rest`, what follows `scheme://` in `text`.
    fn new(text: &'a str, scheme: &'a str, rest: &'a str) -> Self {
        let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
        let (authority, extra) = rest.split_at(end);
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let (host, port) = split_port(host_port);
        Self {
            text,
            scheme,
            authority,
            extra,
            host,
            port,
        }
    }
}

/// One exact origin, `scheme://host[:port]`, exactly as a browser sends it. Each refusal but
/// an empty or invalid host comes with the repaired entry when that is an origin.
fn parse_exact(parts: &Parts<'_>) -> Result<OriginSpec, OriginError> {
    let host = parts.host;
    let canonical = canonical(parts.scheme, host, parts.port);
    let fix = |e: OriginError| with_repair(e, parts.text, &canonical);
    if host.is_empty() {
        return Err(OriginError::new("the origin has no host"));
    }
    check_nothing_but_host_and_port(parts).map_err(fix)?;
    check_spelled_as_browsers_send(parts, &canonical).map_err(fix)?;
    let canonical = match &canonical {
        Ok(c) => c.clone(),
        Err(e) => {
            return Err(OriginError::new(format!(
                "`{host}` is not a valid host: {e}"
            )));
        }
    };
    check_canonical(parts, &canonical).map_err(fix)?;
    Ok(OriginSpec::Exact(canonical))
}

/// `e` with the repaired `canonical` form as its fix, when that differs from `text` and is an
/// origin.
fn with_repair(e: OriginError, text: &str, canonical: &Result<String, String>) -> OriginError {
    match canonical.as_deref().map(repair) {
        Ok(c) if c != text && parse(&c).is_ok() => e.fix(c),
        _ => e,
    }
}

/// No path, query, fragment or user name, and a port the scheme can have.
fn check_nothing_but_host_and_port(parts: &Parts<'_>) -> Result<(), OriginError> {
    let extra = parts.extra;
    if !extra.is_empty() {
        let what = match extra.as_bytes()[0] {
            b'?' => "a query",
            b'#' => "a fragment",
            _ if extra == "/" => "a trailing slash",
            _ => "a path",
        };
        return Err(OriginError::new(format!(
            "an origin is scheme://host[:port] and nothing else; found {what} `{extra}`"
        )));
    }
    if parts.authority.contains('@') {
        return Err(OriginError::new(
            "an origin has no user name or password (`user@`); browsers never send them",
        ));
    }
    if let Some(port) = parts.port {
        check_port(parts.scheme, port)?;
    }
    Ok(())
}

/// Spellings a browser never sends: an IPv4-mapped IPv6 address, a Unicode host, upper case.
fn check_spelled_as_browsers_send(
    parts: &Parts<'_>,
    canonical: &Result<String, String>,
) -> Result<(), OriginError> {
    let host = parts.host;
    if let Some(v4) = canonical
        .as_deref()
        .ok()
        .and_then(host_of)
        .and_then(ipv4_mapped)
    {
        return Err(OriginError::new(format!(
            "`{host}` is an IPv4-mapped IPv6 address, another spelling of {v4} that rules written for IPv4 (loopback, private ranges) do not see; a browser sends it only for a page opened at that very spelling"
        )));
    }
    if !host.is_ascii() {
        return Err(OriginError::new(
            "browsers send a Unicode host in its punycode (`xn--`) form, so this one would never match",
        ));
    }
    if parts.text.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(OriginError::new(
            "browsers send origins in lower case, so this one would never match",
        ));
    }
    Ok(())
}

/// The entry is its `canonical` form (an IP address as browsers write it, say), and a host
/// name there is a valid DNS name.
fn check_canonical(parts: &Parts<'_>, canonical: &str) -> Result<(), OriginError> {
    let host = parts.host;
    if canonical != parts.text {
        return Err(if host.starts_with('[') || is_ipv4_like(host) {
            OriginError::new(format!(
                "browsers send an IP address in its canonical form, so `{host}` would never match"
            ))
        } else {
            OriginError::new("browsers send this origin in another form, so it would never match")
        });
    }
    if let Some(host) = host_of(canonical)
        && !is_ip_host(host)
    {
        check_dns_name(host)?;
    }
    Ok(())
}

/// Mistakes in the shape of the entry rather than of an origin: empty, white space around it,
/// quotes, several origins in one string. Each comes with the repaired entry when it parses.
fn check_shape(text: &str) -> Result<(), OriginError> {
    let fix = |e: OriginError, repaired: &str| match parse(repaired) {
        Ok(OriginSpec::Any) => e,
        Ok(spec) => e.fix(spec_text(&spec)),
        Err(inner) => match inner.suggestion {
            Some(s) => e.fix(s),
            None => e,
        },
    };
    if text.trim().is_empty() {
        return Err(
            OriginError::new("the entry is empty: an origin is scheme://host[:port]")
                .hint("remove it"),
        );
    }
    let trimmed = text.trim();
    if !trimmed.is_empty() && trimmed.len() != text.len() {
        return Err(fix(
            OriginError::new("the entry has white space around it, and an origin has none"),
            trimmed,
        ));
    }
    let unquoted = text.trim_matches(['"', '\'']);
    if unquoted.len() != text.len() {
        return Err(fix(
            OriginError::new("quotes are not part of an origin: drop the quotes"),
            unquoted,
        ));
    }
    let separator = |c: char| c == ';' || c == ',' || c.is_whitespace();
    if text.contains(separator) {
        let parts: Vec<&str> = text.split(separator).filter(|p| !p.is_empty()).collect();
        if parts.iter().filter(|p| p.contains("://")).count() > 1 {
            let each: Vec<String> = parts.iter().map(|p| format!("\"{p}\"")).collect();
            return Err(OriginError::new(
                "this entry holds several origins: an origin has no `;`, `,` or white space",
            )
            .hint(format!(
                "list each origin as its own entry: {}",
                each.join(", ")
            )));
        }
        let e = OriginError::new("an origin has no `;`, `,` or white space");
        // A stray separator (`"https://a.example.com;"`): the entry without it.
        return Err(match parts.as_slice() {
            [part] => fix(e, part),
            _ => e,
        });
    }
    Ok(())
}

/// `scheme://*.domain[:port]` or `scheme://host:*`.
fn parse_pattern(
    text: &str,
    scheme: &str,
    host: &str,
    port: Option<&str>,
) -> Result<OriginSpec, OriginError> {
    let misplaced = || {
        OriginError::new(
            "`*` is allowed only as the whole list (`\"*\"`), as the whole leftmost label (`https://*.example.com`) or as the whole port (`http://localhost:*`)",
        )
    };
    if port == Some("*") {
        if host.contains('*') {
            return Err(OriginError::new(
                "a pattern has one `*`: for the subdomains or for the port, not both",
            ));
        }
        // `scheme://host:*`: the host must be a valid origin on its own.
        let inner = text.replacen(&format!("{host}:*"), host, 1);
        return match parse(&inner) {
            Ok(OriginSpec::Exact(prefix)) => Ok(OriginSpec::AnyPort { prefix }),
            Ok(_) => Err(misplaced()),
            Err(e) => Err(e.map_fix(|f| format!("{f}:*"))),
        };
    }
    let Some(domain) = host.strip_prefix("*.") else {
        return Err(misplaced());
    };
    if domain.contains('*') {
        return Err(misplaced());
    }
    // `scheme://*.domain[:port]`: `scheme://domain[:port]` must be a valid origin.
    let inner = text.replacen("*.", "", 1);
    let prefix = format!("{scheme}://");
    let exact = match parse(&inner) {
        Ok(OriginSpec::Exact(exact)) => exact,
        Ok(_) => return Err(misplaced()),
        Err(e) => {
            return Err(e.map_fix(|f| {
                f.strip_prefix(&prefix)
                    .map_or_else(|| f.clone(), |rest| format!("{prefix}*.{rest}"))
            }));
        }
    };
    let Some(rest) = exact.strip_prefix(&prefix) else {
        return Err(misplaced());
    };
    let (canon_domain, _) = split_port(rest);
    if canon_domain.starts_with('[') || is_ipv4_like(canon_domain) {
        return Err(OriginError::new(format!(
            "`*.` stands for subdomains, and `{canon_domain}` is an IP address, which has none"
        ))
        .hint(format!("write the address itself: \"{exact}\"")));
    }
    if !canon_domain.contains('.') && canon_domain != "localhost" {
        return Err(OriginError::new(format!(
            "`*.{canon_domain}` covers every site of a top-level domain"
        ))
        .hint(format!(
            "name your own site: \"{scheme}://*.example.{canon_domain}\""
        )));
    }
    Ok(OriginSpec::Subdomains {
        prefix,
        suffix: format!(".{rest}"),
    })
}

/// An entry as written in a policy.
pub(super) fn spec_text(spec: &OriginSpec) -> String {
    match spec {
        OriginSpec::Any => "*".to_owned(),
        OriginSpec::Exact(o) => o.clone(),
        OriginSpec::Subdomains { prefix, suffix } => format!("{prefix}*{suffix}"),
        OriginSpec::AnyPort { prefix } => format!("{prefix}:*"),
    }
}

#[cfg(test)]
mod tests;
