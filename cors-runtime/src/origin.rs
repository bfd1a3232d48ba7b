//! Origins: what a valid origin in a policy is, and the per-request matcher.
//!
//! An origin, as a browser sends it in the `Origin` header, is the ASCII serialization
//! `scheme://host[:port]`: lower case, no path, no trailing slash, the port only when it is not
//! the scheme's default ([HTML § origin serialization]). The matcher compares bytes, so a policy
//! must hold origins in exactly that form; `parse` (feature `rules`) checks it, at compile time (the macros) and
//! at start-up (origins from configuration).
//!
//! [HTML § origin serialization]: https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin

use core::fmt;

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

impl OriginError {
    #[cfg_attr(not(feature = "rules"), allow(dead_code))]
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            suggestion: None,
            hint: None,
        }
    }

    #[cfg_attr(not(feature = "rules"), allow(dead_code))]
    fn fix(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }

    #[cfg_attr(not(feature = "rules"), allow(dead_code))]
    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    #[cfg(feature = "rules")]
    fn map_fix(mut self, f: impl FnOnce(&String) -> String) -> Self {
        self.suggestion = self.suggestion.as_ref().map(f);
        self
    }
}
/// Checks one entry of an `origins` list and returns it in canonical form.
///
/// The entry must be exactly what a browser sends in `Origin`: the form is checked with a
/// WHATWG URL parser (the `url` crate), so the corrected literal of an error is the one a
/// browser would send. Rules that depend on the rest of the policy (credentials, duplicates)
/// are in [`check_credentials`] and [`check_list`].
///
/// # Errors
///
/// When `text` is not exactly what a browser would send: see [`OriginError`]'s message.
#[cfg(feature = "rules")]
pub fn parse(text: &str) -> Result<OriginSpec, OriginError> {
    if text == "*" {
        return Ok(OriginSpec::Any);
    }
    check_shape(text)?;
    if text.eq_ignore_ascii_case("null") {
        return Err(OriginError::new(
            "`null` is the origin of sandboxed frames, local files and some redirects: any site can produce it, so it cannot be allowed",
        )
        .hint("remove it, and serve the page from an http(s) origin"));
    }
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
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let (authority, extra) = rest.split_at(end);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = split_port(host_port);
    if host.contains('*') || port == Some("*") {
        return parse_pattern(text, scheme, host, port);
    }
    let canonical = canonical(scheme, host, port);
    let fix = |e: OriginError| match canonical.as_deref().map(repair) {
        Ok(c) if c != text && parse(&c).is_ok() => e.fix(c),
        _ => e,
    };
    if host.is_empty() {
        return Err(OriginError::new("the origin has no host"));
    }
    if !extra.is_empty() {
        let what = match extra.as_bytes()[0] {
            b'?' => "a query",
            b'#' => "a fragment",
            _ if extra == "/" => "a trailing slash",
            _ => "a path",
        };
        return Err(fix(OriginError::new(format!(
            "an origin is scheme://host[:port] and nothing else; found {what} `{extra}`"
        ))));
    }
    if authority.contains('@') {
        return Err(fix(OriginError::new(
            "an origin has no user name or password (`user@`); browsers never send them",
        )));
    }
    if let Some(port) = port {
        check_port(scheme, port).map_err(fix)?;
    }
    if let Some(v4) = canonical
        .as_deref()
        .ok()
        .and_then(host_of)
        .and_then(ipv4_mapped)
    {
        return Err(fix(OriginError::new(format!(
            "`{host}` is an IPv4-mapped IPv6 address, another spelling of {v4} that rules written for IPv4 (loopback, private ranges) do not see; a browser sends it only for a page opened at that very spelling"
        ))));
    }
    if !host.is_ascii() {
        return Err(fix(OriginError::new(
            "browsers send a Unicode host in its punycode (`xn--`) form, so this one would never match",
        )));
    }
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(fix(OriginError::new(
            "browsers send origins in lower case, so this one would never match",
        )));
    }
    let canonical = match &canonical {
        Ok(c) => c.clone(),
        Err(e) => {
            return Err(OriginError::new(format!(
                "`{host}` is not a valid host: {e}"
            )));
        }
    };
    if canonical != text {
        let e = if host.starts_with('[') || is_ipv4_like(host) {
            OriginError::new(format!(
                "browsers send an IP address in its canonical form, so `{host}` would never match"
            ))
        } else {
            OriginError::new("browsers send this origin in another form, so it would never match")
        };
        return Err(fix(e));
    }
    if let Some(host) = host_of(&canonical)
        && !is_ip_host(host)
    {
        check_dns_name(host).map_err(fix)?;
    }
    Ok(OriginSpec::Exact(canonical))
}

/// Mistakes in the shape of the entry rather than of an origin: empty, white space around it,
/// quotes, several origins in one string. Each comes with the repaired entry when it parses.
#[cfg(feature = "rules")]
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

/// The host of an origin `scheme://host[:port]`.
#[cfg(feature = "rules")]
fn host_of(origin: &str) -> Option<&str> {
    origin.split_once("://").map(|(_, rest)| split_port(rest).0)
}

/// Whether a host as the URL parser serializes it is an IP address.
#[cfg(feature = "rules")]
fn is_ip_host(host: &str) -> bool {
    host.starts_with('[') || is_ipv4_like(host)
}

/// The IPv4 address that an IPv4-mapped IPv6 host (`[::ffff:7f00:1]`) stands for.
#[cfg(feature = "rules")]
fn ipv4_mapped(host: &str) -> Option<std::net::Ipv4Addr> {
    host.strip_prefix('[')?
        .strip_suffix(']')?
        .parse::<std::net::Ipv6Addr>()
        .ok()?
        .to_ipv4_mapped()
}

/// An origin as the URL parser serializes it, with the host a browser could have sent instead:
/// the IPv4 form of an IPv4-mapped address, a domain without its empty labels.
#[cfg(feature = "rules")]
fn repair(origin: &str) -> String {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return origin.to_owned();
    };
    let (host, port) = split_port(rest);
    let name = host.strip_suffix('.').unwrap_or(host);
    let host = if let Some(v4) = ipv4_mapped(host) {
        v4.to_string()
    } else if !is_ip_host(host) && name.split('.').any(str::is_empty) {
        name.split('.')
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(".")
    } else {
        host.to_owned()
    };
    match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    }
}

/// Longest DNS label, in bytes (RFC 1035 § 2.3.4).
#[cfg(feature = "rules")]
const MAX_LABEL: usize = 63;

/// Longest DNS name in its dotted form, in bytes, without the root's trailing dot.
#[cfg(feature = "rules")]
const MAX_NAME: usize = 253;

/// Checks that a domain host (lower case, ASCII, as the URL parser serializes it) is a name DNS
/// can hold: no page can be served from another, so a browser never sends it.
///
/// One trailing dot (a fully qualified name, `example.com.`) is allowed: browsers send it as
/// written, and it is another origin than `example.com`.
#[cfg(feature = "rules")]
fn check_dns_name(host: &str) -> Result<(), OriginError> {
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.split('.').any(str::is_empty) {
        return Err(OriginError::new(format!(
            "`{host}` has an empty label (two dots in a row, or a dot at the start): a DNS name has none, so no page is served from it"
        )));
    }
    if let Some(label) = name.split('.').find(|l| l.len() > MAX_LABEL) {
        return Err(OriginError::new(format!(
            "the label `{label}` is {} bytes long: a DNS label has at most {MAX_LABEL}, so no page is served from it",
            label.len()
        )));
    }
    if name.len() > MAX_NAME {
        return Err(OriginError::new(format!(
            "the host is {} bytes long: a DNS name has at most {MAX_NAME}, so no page is served from it",
            name.len()
        )));
    }
    if let Some(bad) = name
        .chars()
        .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')))
    {
        return Err(OriginError::new(format!(
            "`{host}` is not a DNS name: it has `{bad}`, and labels hold letters, digits, `-` and `_`, so no page is served from it"
        )));
    }
    Ok(())
}

/// `scheme://*.domain[:port]` or `scheme://host:*`.
#[cfg(feature = "rules")]
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

/// What the WHATWG URL parser makes of `scheme://host[:port]`, or its error.
#[cfg(feature = "rules")]
fn canonical(scheme: &str, host: &str, port: Option<&str>) -> Result<String, String> {
    let text = match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    };
    let url = url::Url::parse(&text).map_err(|e| e.to_string())?;
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or("no host")?;
    // Hosts of non-special schemes (`tauri://`) are kept as written.
    let host = host.to_ascii_lowercase();
    let scheme = url.scheme();
    Ok(match url.port() {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    })
}

/// Whether a host would be read as an IPv4 address: its last label is a number.
#[cfg(feature = "rules")]
fn is_ipv4_like(host: &str) -> bool {
    host.rsplit('.')
        .find(|l| !l.is_empty())
        .is_some_and(|last| {
            last.bytes().all(|b| b.is_ascii_digit())
                || last
                    .strip_prefix("0x")
                    .or_else(|| last.strip_prefix("0X"))
                    .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
        })
}

#[cfg(feature = "rules")]
fn split_port(rest: &str) -> (&str, Option<&str>) {
    // An IPv6 host is bracketed: `[::1]:8080`.
    let after_host = if rest.starts_with('[') {
        rest.find(']').map_or(rest.len(), |i| i + 1)
    } else {
        0
    };
    match rest[after_host..].rfind(':') {
        Some(i) => (&rest[..after_host + i], Some(&rest[after_host + i + 1..])),
        None => (rest, None),
    }
}

#[cfg(feature = "rules")]
fn check_port(scheme: &str, port: &str) -> Result<(), OriginError> {
    if port.is_empty() {
        return Err(OriginError::new(
            "the port is empty; browsers send no `:` without a port",
        ));
    }
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OriginError::new(format!("`{port}` is not a port number")));
    }
    if port.len() > 1 && port.starts_with('0') {
        return Err(OriginError::new(format!(
            "browsers send port `{port}` without its leading zeros, so this origin would never match"
        )));
    }
    match port.parse::<u32>() {
        Ok(0) => Err(OriginError::new(
            "port 0 is not a port a page can be served from",
        )),
        Ok(n) if n <= 65535 && default_port(&scheme.to_ascii_lowercase()) == Some(n) => {
            Err(OriginError::new(format!(
                "{n} is the default port of {scheme}://, which browsers leave out of the origin, so this one would never match"
            )))
        }
        Ok(n) if n <= 65535 => Ok(()),
        _ => Err(OriginError::new(format!(
            "port `{port}` is above 65535, the largest port"
        ))),
    }
}

/// The default port of a scheme whose origins leave it out.
#[cfg(feature = "rules")]
fn default_port(scheme: &str) -> Option<u32> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

/// Whether an origin's host is the local machine: `localhost`, `*.localhost`, 127.0.0.0/8 or
/// `[::1]`. Browsers treat these as secure contexts even over plain `http://`.
pub fn is_loopback_host(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The rules an origin meets when the policy allows credentials:
///
/// - not `"*"`;
/// - not plain `http://` (nor `ws://`) unless the host is loopback ([`is_loopback_host`]) or
///   `insecure_http` is set: anyone on the network path could read and forge the credentialed
///   exchange;
/// - no subdomain pattern over a public suffix (`https://*.github.io`, from the public-suffix
///   list): every site registered under it could read the user's data.
///
/// `opt_in` says how to opt in to plain `http://` where the error is read (a key, a
/// constructor).
///
/// # Errors
///
/// The first rule `spec` breaks.
#[cfg(feature = "rules")]
pub fn check_credentials(
    spec: &OriginSpec,
    insecure_http: bool,
    opt_in: &str,
) -> Result<(), OriginError> {
    let written = spec_text(spec);
    let unchecked = || {
        OriginError::new(format!(
            "`{written}` is not an entry as `origin::parse` returns it, so its credentials rules cannot be checked"
        ))
        .hint("build entries with `origin::parse`")
    };
    // The scheme; a host to test for loopback; the domain of a subdomain pattern.
    let (scheme, host, pattern_domain) = match spec {
        OriginSpec::Any => {
            return Err(OriginError::new(
                "`*` cannot go with credentials: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests",
            )
            .hint("list the origins that may send credentials"));
        }
        OriginSpec::Exact(o) | OriginSpec::AnyPort { prefix: o } => match o.split_once("://") {
            Some((scheme, rest)) if !split_port(rest).0.is_empty() => {
                (scheme, split_port(rest).0.to_owned(), None)
            }
            _ => return Err(unchecked()),
        },
        OriginSpec::Subdomains { prefix, suffix } => {
            let domain = suffix.strip_prefix('.').map(|d| split_port(d).0);
            match (prefix.strip_suffix("://"), domain) {
                // Any subdomain stands for all of them: `x` is one.
                (Some(scheme), Some(domain)) if !scheme.is_empty() && !domain.is_empty() => {
                    (scheme, format!("x.{domain}"), Some(domain))
                }
                _ => return Err(unchecked()),
            }
        }
    };
    let plain = scheme.to_ascii_lowercase();
    if !insecure_http && matches!(plain.as_str(), "http" | "ws") && !is_loopback_host(&host) {
        let secure = if plain == "http" { "https" } else { "wss" };
        let rest = written.strip_prefix(scheme).unwrap_or_default();
        return Err(OriginError::new(format!(
            "with credentials, a plain `{scheme}://` origin lets anyone on the network path read and forge the user's credentialed requests"
        ))
        .fix(format!("{secure}{rest}"))
        .hint(opt_in.to_owned()));
    }
    if let Some(domain) = pattern_domain
        && let Some(public) = psl::suffix(domain.as_bytes())
        && public.is_known()
        && public.as_bytes() == domain.as_bytes()
    {
        return Err(OriginError::new(format!(
            "`{domain}` is a public suffix: anyone can register a site under it, and with credentials every such site could read the user's data"
        ))
        .hint(format!(
            "name your own domain: \"{scheme}://*.your-site.{domain}\""
        )));
    }
    Ok(())
}

/// An entry as written in a policy.
#[cfg(feature = "rules")]
fn spec_text(spec: &OriginSpec) -> String {
    match spec {
        OriginSpec::Any => "*".to_owned(),
        OriginSpec::Exact(o) => o.clone(),
        OriginSpec::Subdomains { prefix, suffix } => format!("{prefix}*{suffix}"),
        OriginSpec::AnyPort { prefix } => format!("{prefix}:*"),
    }
}

/// How [`check_list`] checks a list.
#[cfg(feature = "rules")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListRules<'a> {
    /// The policy allows credentials: see [`check_credentials`].
    pub credentials: bool,
    /// Plain `http://` origins are allowed with credentials (a dangerous opt-in).
    pub insecure_http: bool,
    /// How to opt in to plain `http://` with credentials, for the help line.
    pub opt_in: &'a str,
}

/// Checks every entry of an `origins` list: each entry with [`parse`] and, with credentials,
/// [`check_credentials`]; no `*` inside a list; no entry twice.
///
/// Returns the valid entries in order, and every error with the index of its entry. An empty
/// list is the caller's to report: the words depend on where the list comes from.
#[cfg(feature = "rules")]
pub fn check_list<'s, I>(
    entries: I,
    rules: ListRules<'_>,
) -> (Vec<OriginSpec>, Vec<(usize, OriginError)>)
where
    I: IntoIterator<Item = &'s str>,
{
    let mut specs = Vec::new();
    let mut errors = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, text) in entries.into_iter().enumerate() {
        let result = parse(text).and_then(|spec| {
            if spec == OriginSpec::Any {
                return Err(OriginError::new(
                    "`*` allows every origin, so it cannot be mixed into a list",
                )
                .hint("write `origins = \"*\"` alone, or list the origins"));
            }
            if rules.credentials {
                check_credentials(&spec, rules.insecure_http, rules.opt_in)?;
            }
            if seen.iter().any(|s| s == text) {
                return Err(
                    OriginError::new(format!("`{text}` is listed twice")).hint("remove one")
                );
            }
            Ok(spec)
        });
        seen.push(text.to_owned());
        match result {
            Ok(spec) => specs.push(spec),
            Err(e) => errors.push((i, e)),
        }
    }
    (specs, errors)
}

/// The hash behind [`OriginSet`]'s table. The macros build the table with this very function at
/// compile time, so the two can never disagree.
///
/// Not public API: the table's layout may change in any release.
#[doc(hidden)]
pub fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h ^ (h >> 31)
}

/// Lays exact origins out as an open-addressing table for [`OriginSet`]: a power-of-two number
/// of slots, at most half full, `""` in the empty ones.
///
/// Not public API (the generated code calls it at compile time): the layout may change in any
/// release.
#[doc(hidden)]
pub fn table<'a>(origins: &[&'a str]) -> Vec<&'a str> {
    let size = (origins.len() * 2).next_power_of_two().max(2);
    let mask = size - 1;
    let mut slots = vec![""; size];
    for origin in origins {
        #[allow(clippy::cast_possible_truncation)] // masked to the table size
        let mut i = hash(origin.as_bytes()) as usize & mask;
        while !slots[i].is_empty() {
            if slots[i] == *origin {
                break;
            }
            i = (i + 1) & mask;
        }
        slots[i] = origin;
    }
    slots
}

/// A pattern entry of an [`OriginSet`].
///
/// More kinds may come: match with a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginPattern {
    /// `prefix` + one or more host labels + `suffix`, e.g. `https://` + `a.b` + `.example.com`.
    Subdomains {
        /// `"https://"`.
        prefix: &'static str,
        /// `".example.com"` or `".example.com:8443"`.
        suffix: &'static str,
    },
    /// `prefix`, optionally followed by `:port`, e.g. `http://localhost:5173`.
    AnyPort {
        /// `"http://localhost"`.
        prefix: &'static str,
    },
}

impl OriginPattern {
    /// Whether `origin` (the `Origin` header's bytes) matches this pattern.
    pub fn matches(&self, origin: &[u8]) -> bool {
        match *self {
            Self::Subdomains { prefix, suffix } => {
                let (p, s) = (prefix.as_bytes(), suffix.as_bytes());
                origin.len() > p.len() + s.len()
                    && origin.starts_with(p)
                    && origin.ends_with(s)
                    && is_labels(&origin[p.len()..origin.len() - s.len()])
            }
            Self::AnyPort { prefix } => match origin.strip_prefix(prefix.as_bytes()) {
                Some([]) => true,
                Some([b':', port @ ..]) => is_port(port),
                _ => false,
            },
        }
    }
}

/// One or more dot-separated host labels in a browser's serialization.
fn is_labels(bytes: &[u8]) -> bool {
    bytes.split(|&b| b == b'.').all(|label| {
        !label.is_empty()
            && label
                .iter()
                .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    })
}

/// A port as a browser serializes it: 1 to 65535, no leading zero.
fn is_port(bytes: &[u8]) -> bool {
    matches!(bytes.len(), 1..=5)
        && bytes[0] != b'0'
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes
            .iter()
            .fold(0u32, |n, &b| n * 10 + u32::from(b - b'0'))
            <= 65535
}

/// A set of allowed origins: exact ones in a hash table (one probe on average, whatever their
/// number) and patterns tried in order.
#[derive(Clone, Copy)]
pub struct OriginSet {
    table: &'static [&'static str],
    patterns: &'static [OriginPattern],
}

impl OriginSet {
    /// Builds a set from a table laid out by [`table`] and a list of patterns.
    ///
    /// Generated code calls this; a table laid out differently only makes lookups miss.
    #[doc(hidden)]
    pub const fn __new(table: &'static [&'static str], patterns: &'static [OriginPattern]) -> Self {
        Self { table, patterns }
    }

    /// Builds a set from checked entries at run time (start-up, tests), leaking its strings and
    /// tables to `'static` once: a set lives as long as the program. `Any` entries are skipped.
    #[doc(hidden)]
    pub fn __leak(specs: &[OriginSpec]) -> Self {
        fn leak(s: &str) -> &'static str {
            Box::leak(s.to_owned().into_boxed_str())
        }
        let mut exact = Vec::new();
        let mut patterns = Vec::new();
        for spec in specs {
            match spec {
                OriginSpec::Exact(origin) => exact.push(leak(origin)),
                OriginSpec::Subdomains { prefix, suffix } => {
                    patterns.push(OriginPattern::Subdomains {
                        prefix: leak(prefix),
                        suffix: leak(suffix),
                    });
                }
                OriginSpec::AnyPort { prefix } => {
                    patterns.push(OriginPattern::AnyPort {
                        prefix: leak(prefix),
                    });
                }
                OriginSpec::Any => {}
            }
        }
        Self::__new(
            Box::leak(table(&exact).into_boxed_slice()),
            Box::leak(patterns.into_boxed_slice()),
        )
    }

    /// Whether `origin` (the `Origin` header's bytes) is in the set. No allocation.
    pub fn contains(&self, origin: &[u8]) -> bool {
        self.contains_exact(origin) || self.patterns.iter().any(|p| p.matches(origin))
    }

    fn contains_exact(&self, origin: &[u8]) -> bool {
        /// Up to this many slots (four origins), the table is scanned rather than probed.
        const SCAN_SLOTS: usize = 8;
        let len = self.table.len();
        if len == 0 {
            return false;
        }
        // A table of a few origins is cheaper to scan than to hash into (slice equality compares
        // lengths first): the cost stays bounded by `SCAN_SLOTS` comparisons.
        if len <= SCAN_SLOTS {
            // Empty slots are `""`: an empty `Origin` must not match one.
            return !origin.is_empty() && self.table.iter().any(|slot| slot.as_bytes() == origin);
        }
        let mask = len - 1;
        #[allow(clippy::cast_possible_truncation)] // masked to the table size
        let mut i = hash(origin) as usize & mask;
        // Bounded by the table size, so a badly laid-out table cannot loop.
        for _ in 0..len {
            let slot = self.table[i];
            if slot.is_empty() {
                return false;
            }
            if slot.as_bytes() == origin {
                return true;
            }
            i = (i + 1) & mask;
        }
        false
    }

    /// The exact origins of the set, sorted (for `Debug`; the table order is no one's business).
    fn exact(&self) -> Vec<&'static str> {
        let mut exact: Vec<&'static str> = self
            .table
            .iter()
            .copied()
            .filter(|s| !s.is_empty())
            .collect();
        exact.sort_unstable();
        exact
    }

    /// The patterns of the set, in the order written.
    pub fn patterns(&self) -> &'static [OriginPattern] {
        self.patterns
    }
}

/// The exact origins sorted and the patterns, not the table's layout.
#[allow(clippy::missing_fields_in_debug)] // `table` is shown as `exact`, without its layout
impl fmt::Debug for OriginSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginSet")
            .field("exact", &self.exact())
            .field("patterns", &self.patterns)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "rules")]
    fn err(text: &str) -> OriginError {
        parse(text).expect_err(text)
    }

    #[cfg(feature = "rules")]
    #[test]
    fn canonical_origins_parse() {
        for ok in [
            "https://app.example.com",
            "http://localhost:8080",
            "http://127.0.0.1:3000",
            "http://[::1]:8080",
            "https://xn--bcher-kva.example",
        ] {
            assert_eq!(parse(ok), Ok(OriginSpec::Exact(ok.to_owned())), "{ok}");
        }
        assert_eq!(parse("*"), Ok(OriginSpec::Any));
    }

    #[cfg(feature = "rules")]
    #[test]
    fn patterns_parse() {
        assert_eq!(
            parse("https://*.example.com"),
            Ok(OriginSpec::Subdomains {
                prefix: "https://".into(),
                suffix: ".example.com".into()
            })
        );
        assert_eq!(
            parse("https://*.example.com:8443"),
            Ok(OriginSpec::Subdomains {
                prefix: "https://".into(),
                suffix: ".example.com:8443".into()
            })
        );
        assert_eq!(
            parse("http://localhost:*"),
            Ok(OriginSpec::AnyPort {
                prefix: "http://localhost".into()
            })
        );
    }

    #[cfg(feature = "rules")]
    #[test]
    fn non_canonical_origins_are_refused_with_the_fix() {
        // (entry, words in the message, the corrected literal)
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "https://App.Example.com/",
                "trailing slash",
                Some("https://app.example.com"),
            ),
            ("https://a.com/api", "a path `/api`", Some("https://a.com")),
            ("https://a.com?x=1", "a query", Some("https://a.com")),
            ("https://a.com#top", "a fragment", Some("https://a.com")),
            ("https://u:p@a.com", "user name", Some("https://a.com")),
            ("HTTPS://A.COM", "lower case", Some("https://a.com")),
            ("https://a.com:443", "default port", Some("https://a.com")),
            ("http://a.com:80", "default port", Some("http://a.com")),
            (
                "https://a.com:08443",
                "leading zeros",
                Some("https://a.com:8443"),
            ),
            ("https://a.com:", "port is empty", Some("https://a.com")),
            ("https://a.com:0", "port 0", None),
            ("https://a.com:70000", "65535", None),
            ("https://a.com:http", "not a port", None),
            ("http://127.1", "canonical form", Some("http://127.0.0.1")),
            (
                "http://0x7f.0.0.1:8080",
                "canonical form",
                Some("http://127.0.0.1:8080"),
            ),
            ("http://[0:0::1]", "canonical form", Some("http://[::1]")),
            (
                "http://[::FFFF:127.0.0.1]",
                "IPv4-mapped",
                Some("http://127.0.0.1"),
            ),
            (
                "http://[::ffff:7f00:1]:8080",
                "another spelling of 127.0.0.1",
                Some("http://127.0.0.1:8080"),
            ),
            (
                "http://[0:0:0:0:0:ffff:a00:1]",
                "IPv4-mapped",
                Some("http://10.0.0.1"),
            ),
            (
                "http://[::ffff:7f00:1]:*",
                "IPv4-mapped",
                Some("http://127.0.0.1:*"),
            ),
            (
                "https://app..example.com",
                "empty label",
                Some("https://app.example.com"),
            ),
            (
                "https://.example.com",
                "empty label",
                Some("https://example.com"),
            ),
            (
                "https://example.com..",
                "empty label",
                Some("https://example.com"),
            ),
            (
                "https://*.example..com",
                "empty label",
                Some("https://*.example.com"),
            ),
            (
                "https://App..example.com",
                "lower case",
                Some("https://app.example.com"),
            ),
            (
                "https://a!b.example.com",
                "not a DNS name: it has `!`",
                None,
            ),
            (
                "https://a=b.example.com",
                "not a DNS name: it has `=`",
                None,
            ),
            (
                "https://*.a+b.example.com",
                "not a DNS name: it has `+`",
                None,
            ),
            (
                "\"https://app.example.com\"",
                "drop the quotes",
                Some("https://app.example.com"),
            ),
            (
                "'https://App.example.com/'",
                "drop the quotes",
                Some("https://app.example.com"),
            ),
            (
                "\"https://app.example.com",
                "drop the quotes",
                Some("https://app.example.com"),
            ),
            (
                " https://app.example.com\n",
                "white space around it",
                Some("https://app.example.com"),
            ),
            (
                "https://a.example.com;https://b.example.com",
                "several origins",
                None,
            ),
            (
                "https://a.example.com, https://b.example.com",
                "several origins",
                None,
            ),
            (
                "https://a.example.com;",
                "no `;`",
                Some("https://a.example.com"),
            ),
            ("https://a;b.example.com", "no `;`", None),
            ("", "empty", None),
            (" ", "empty", None),
            (
                "https://bücher.example",
                "punycode",
                Some("https://xn--bcher-kva.example"),
            ),
            (
                "https://BÜCHER.example/",
                "trailing slash",
                Some("https://xn--bcher-kva.example"),
            ),
            ("null", "null", None),
            ("NULL", "null", None),
            ("file:///etc", "file://", None),
            (
                "app.example.com",
                "no scheme",
                Some("https://app.example.com"),
            ),
            ("https://", "no host", None),
            ("https://exa mple.com", "white space", None),
            ("https://exa^mple.com", "not a valid host", None),
            ("h_tp://a.com", "not a URL scheme", None),
            ("https://a.*.com", "leftmost label", None),
            ("https://*example.com", "leftmost label", None),
            ("https://app-*.example.com", "leftmost label", None),
            ("https://*.*.example.com", "leftmost label", None),
            ("https://*.example.com:*", "one `*`", None),
            ("https://*.com", "top-level domain", None),
            (
                "https://*.Example.com/",
                "trailing slash",
                Some("https://*.example.com"),
            ),
            (
                "http://Localhost:*",
                "lower case",
                Some("http://localhost:*"),
            ),
            ("http://*.127.0.0.1", "IP address", None),
            ("http://*.[::1]", "IP address", None),
        ];
        for &(text, words, fix) in cases {
            let e = err(text);
            assert!(e.message.contains(words), "{text}: {}", e.message);
            assert_eq!(e.suggestion.as_deref(), fix, "{text}");
            if let Some(fix) = fix {
                assert!(parse(fix).is_ok(), "the fix of {text} is valid: {fix}");
            }
        }
    }

    #[cfg(feature = "rules")]
    #[test]
    fn host_names_dns_cannot_hold_are_refused() {
        let label = "a".repeat(63);
        assert!(parse(&format!("https://{label}.example.com")).is_ok());
        let e = err(&format!("https://{label}a.example.com"));
        assert!(e.message.contains("64 bytes long"), "{}", e.message);
        // 4 labels of 63 and one of 1: 4 * 64 + 1 = 257 bytes with the dots.
        let long = format!("https://{label}.{label}.{label}.{label}.a");
        let e = err(&long);
        assert!(e.message.contains("257 bytes long"), "{}", e.message);
        let fits = format!("https://{label}.{label}.{label}.{}", "a".repeat(61));
        assert_eq!(fits.len() - "https://".len(), 253);
        assert!(parse(&fits).is_ok(), "253 bytes is the most");
        // One trailing dot is a fully qualified name, sent as written.
        assert!(parse("https://example.com.").is_ok());
        assert!(parse("https://*.example.com.").is_ok());
    }

    #[cfg(feature = "rules")]
    #[test]
    fn odd_but_canonical_origins_parse() {
        for ok in [
            "http://127.0.0.1",
            "http://[::1]",
            "http://[2001:db8::1]:8443",
            "https://a.com:8443",
            "http://localhost",
            "tauri://localhost",
            "chrome-extension://abcdefghijklmnop",
            "https://a-b_c.example",
            "https://-a.example.com",
            "https://a.1com",
            "http://[64:ff9b::1]",
        ] {
            assert_eq!(parse(ok), Ok(OriginSpec::Exact(ok.to_owned())), "{ok}");
        }
        assert_eq!(
            parse("http://[::1]:*"),
            Ok(OriginSpec::AnyPort {
                prefix: "http://[::1]".into()
            })
        );
        assert_eq!(
            parse("https://*.xn--bcher-kva.example"),
            Ok(OriginSpec::Subdomains {
                prefix: "https://".into(),
                suffix: ".xn--bcher-kva.example".into()
            })
        );
        assert!(parse("http://*.localhost").is_ok());
    }

    #[cfg(feature = "rules")]
    fn with_credentials(text: &str) -> Result<(), OriginError> {
        check_credentials(&parse(text).expect(text), false, "opt in")
    }

    #[cfg(feature = "rules")]
    #[test]
    fn credentials_rules() {
        for ok in [
            "https://a.com",
            "http://localhost:3000",
            "http://localhost:*",
            "http://app.localhost",
            "http://*.localhost",
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:8080",
            "https://*.example.com",
            "https://*.alice.github.io",
            "https://*.example.co.uk",
        ] {
            assert_eq!(with_credentials(ok), Ok(()), "{ok}");
        }
        let e = with_credentials("http://app.example.com:8080").unwrap_err();
        assert!(e.message.contains("plain `http://`"), "{}", e.message);
        assert_eq!(
            e.suggestion.as_deref(),
            Some("https://app.example.com:8080")
        );
        assert_eq!(e.hint.as_deref(), Some("opt in"));
        assert!(with_credentials("http://*.example.com").is_err());
        assert!(with_credentials("http://10.0.0.1").is_err());
        assert!(
            check_credentials(&parse("http://a.com").unwrap(), true, "").is_ok(),
            "the opt-in"
        );
        for public in ["https://*.github.io", "https://*.co.uk", "https://*.com.au"] {
            let e = with_credentials(public).unwrap_err();
            assert!(
                e.message.contains("public suffix"),
                "{public}: {}",
                e.message
            );
        }
        assert!(with_credentials("*").is_err());
    }

    #[cfg(feature = "rules")]
    #[test]
    fn credentials_rules_do_not_panic_on_hand_made_entries() {
        let odd = [
            OriginSpec::Subdomains {
                prefix: "https://".into(),
                suffix: String::new(),
            },
            OriginSpec::Subdomains {
                prefix: "https://".into(),
                suffix: "é.example.com".into(),
            },
            OriginSpec::Subdomains {
                prefix: "éé".into(),
                suffix: ".example.com".into(),
            },
            OriginSpec::Subdomains {
                prefix: "https://".into(),
                suffix: ".:8443".into(),
            },
            OriginSpec::Exact(String::new()),
            OriginSpec::Exact("https://".into()),
            OriginSpec::Exact("no scheme".into()),
            OriginSpec::AnyPort {
                prefix: "é".into()
            },
        ];
        for spec in &odd {
            let e = check_credentials(spec, false, "").expect_err(&format!("{spec:?}"));
            assert!(
                e.message.contains("not an entry as `origin::parse`"),
                "{spec:?}: {}",
                e.message
            );
        }
        // A hand-made entry in another case is judged as the browser would send it.
        let upper = OriginSpec::Exact("HTTP://intranet.example.com".into());
        assert_eq!(
            check_credentials(&upper, false, "")
                .unwrap_err()
                .suggestion
                .as_deref(),
            Some("https://intranet.example.com")
        );
    }

    #[cfg(feature = "rules")]
    #[test]
    fn lists_report_every_bad_entry() {
        let rules = ListRules {
            credentials: true,
            insecure_http: false,
            opt_in: "",
        };
        let (specs, errors) = check_list(
            [
                "https://a.com",
                "https://a.com/",
                "*",
                "https://a.com",
                "http://b.com",
                "https://*.b.com",
            ],
            rules,
        );
        assert_eq!(specs.len(), 2);
        let at: Vec<usize> = errors.iter().map(|(i, _)| *i).collect();
        assert_eq!(at, [1, 2, 3, 4]);
        assert!(errors[2].1.message.contains("twice"));
    }

    #[test]
    fn table_lookup_finds_exactly_the_members() {
        let owned: Vec<String> = (0..1000)
            .map(|i| format!("https://site{i}.example.com"))
            .collect();
        let names: Vec<&str> = owned.iter().map(String::as_str).collect();
        let slots: &'static [&'static str] = Box::leak(
            table(&names)
                .into_iter()
                .map(|s| &*Box::leak(s.to_owned().into_boxed_str()))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        );
        let set = OriginSet::__new(slots, &[]);
        assert!(names.iter().all(|n| set.contains(n.as_bytes())));
        for miss in [
            "https://site1000.example.com",
            "https://site1.example.co",
            "",
            "https://SITE1.example.com",
        ] {
            assert!(!set.contains(miss.as_bytes()), "{miss}");
        }
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(
            set.exact(),
            sorted,
            "every member, sorted, not in table order"
        );
        let debug = format!(
            "{:?}",
            OriginSet::__new(&["", "https://b.com", "https://a.com", ""], &[])
        );
        assert_eq!(
            debug,
            r#"OriginSet { exact: ["https://a.com", "https://b.com"], patterns: [] }"#
        );
    }

    #[test]
    fn an_empty_origin_matches_no_empty_slot() {
        for n in [1, 3, 4, 5, 40] {
            let owned: Vec<String> = (0..n)
                .map(|i| format!("https://s{i}.example.com"))
                .collect();
            let names: Vec<&str> = owned.iter().map(String::as_str).collect();
            let slots: Vec<&'static str> = table(&names)
                .into_iter()
                .map(|s| &*Box::leak(s.to_owned().into_boxed_str()))
                .collect();
            assert!(slots.contains(&""), "{n}: the table has empty slots");
            let set = OriginSet::__new(Box::leak(slots.into_boxed_slice()), &[]);
            assert!(!set.contains(b""), "{n} origins");
            assert!(set.contains(names[0].as_bytes()), "{n} origins");
        }
    }

    #[test]
    fn a_full_table_cannot_loop() {
        static FULL: [&str; 2] = ["https://a.com", "https://b.com"];
        let set = OriginSet::__new(&FULL, &[]);
        assert!(!set.contains(b"https://c.com"));
    }

    #[test]
    fn subdomain_patterns_are_label_aligned() {
        let p = OriginPattern::Subdomains {
            prefix: "https://",
            suffix: ".example.com",
        };
        for yes in [
            "https://a.example.com",
            "https://a.b.example.com",
            "https://xn--d-1a.example.com",
        ] {
            assert!(p.matches(yes.as_bytes()), "{yes}");
        }
        for no in [
            "https://example.com",
            "https://evilexample.com",
            "https://.example.com",
            "https://a..example.com",
            "https://example.com.evil.com",
            "http://a.example.com",
            "https://a.example.com:8443",
            "https://A.example.com",
            "https://a:1.example.com",
            "https://a/.example.com",
        ] {
            assert!(!p.matches(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn any_port_patterns_take_real_ports_only() {
        let p = OriginPattern::AnyPort {
            prefix: "http://localhost",
        };
        for yes in [
            "http://localhost",
            "http://localhost:1",
            "http://localhost:5173",
            "http://localhost:65535",
        ] {
            assert!(p.matches(yes.as_bytes()), "{yes}");
        }
        for no in [
            "http://localhost:",
            "http://localhost:0",
            "http://localhost:08080",
            "http://localhost:65536",
            "http://localhost:123456",
            "http://localhost.evil.com",
            "http://localhost:80x",
            "https://localhost:8080",
        ] {
            assert!(!p.matches(no.as_bytes()), "{no}");
        }
    }
}
