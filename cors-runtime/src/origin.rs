//! Origins: what a valid origin in a policy is, and the per-request matcher.
//!
//! An origin, as a browser sends it in the `Origin` header, is the ASCII serialization
//! `scheme://host[:port]`: lower case, no path, no trailing slash, the port only when it is not
//! the scheme's default ([HTML § origin serialization]). The matcher compares bytes, so a policy
//! must hold origins in exactly that form; [`parse`] checks it, at compile time (the macros) and
//! at start-up (origins from configuration).
//!
//! [HTML § origin serialization]: https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin

use core::fmt;

/// An entry of a policy's `origins` list, checked and in canonical form.
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

/// Why an origin literal is not a valid policy entry, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginError {
    /// What is wrong, e.g. ``an origin has no path; found `/api` ``.
    pub message: String,
    /// The corrected literal, when there is one.
    pub suggestion: Option<String>,
}

impl OriginError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            suggestion: None,
        }
    }

    fn fix(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, "; write \"{s}\"")?;
        }
        Ok(())
    }
}

impl std::error::Error for OriginError {}

/// Checks one entry of an `origins` list and returns it in canonical form.
///
/// # Errors
///
/// When `text` is not exactly what a browser would send: see [`OriginError`]'s message.
pub fn parse(text: &str) -> Result<OriginSpec, OriginError> {
    if text == "*" {
        return Ok(OriginSpec::Any);
    }
    if text.eq_ignore_ascii_case("null") {
        return Err(OriginError::new(
            "`null` is the origin of sandboxed frames, local files and some redirects: any site can produce it, so it cannot be allowed",
        ));
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(OriginError::new(format!(
            "an origin is scheme://host[:port]; `{text}` has no `://`"
        )));
    };
    let canonical = canonical_guess(text);
    let fix = |e: OriginError| match &canonical {
        Some(c) if c != text => e.fix(c.clone()),
        _ => e,
    };
    if scheme.is_empty()
        || !scheme
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        return Err(OriginError::new(format!("`{scheme}` is not a URL scheme")));
    }
    if scheme.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(fix(OriginError::new(
            "browsers send origins in lower case, so this one would never match",
        )));
    }
    if scheme == "file" {
        return Err(OriginError::new(
            "`file://` pages have an opaque origin and send `Origin: null`; they cannot be allowed",
        ));
    }
    if let Some(i) = rest.find(['/', '?', '#']) {
        let extra = &rest[i..];
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
    if rest.contains('@') {
        return Err(fix(OriginError::new(
            "an origin has no user name or password (`user@`)",
        )));
    }
    let (host, port) = split_port(rest);
    if host.is_empty() {
        return Err(OriginError::new("the origin has no host"));
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(fix(OriginError::new(
            "browsers send origins in lower case, so this one would never match",
        )));
    }
    if !host.is_ascii() {
        return Err(OriginError::new(
            "browsers send a Unicode host in its punycode (xn--) form; write that form",
        ));
    }
    match port {
        Some("*") => {
            if host.contains('*') {
                return Err(OriginError::new(
                    "a pattern has one `*`, for the subdomains or the port",
                ));
            }
            check_host(host)?;
            return Ok(OriginSpec::AnyPort {
                prefix: format!("{scheme}://{host}"),
            });
        }
        Some(p) => check_port(scheme, p).map_err(fix)?,
        None => {}
    }
    if let Some(domain) = host.strip_prefix("*.") {
        if domain.contains('*') {
            return Err(OriginError::new(
                "a pattern has one `*`, as its leftmost label: `https://*.example.com`",
            ));
        }
        check_host(domain)?;
        if !domain.contains('.') && domain != "localhost" {
            return Err(OriginError::new(format!(
                "`*.{domain}` covers a whole top-level domain; name the site: `*.example.{domain}`"
            )));
        }
        let suffix = match port {
            Some(p) => format!(".{domain}:{p}"),
            None => format!(".{domain}"),
        };
        return Ok(OriginSpec::Subdomains {
            prefix: format!("{scheme}://"),
            suffix,
        });
    }
    if host.contains('*') {
        return Err(OriginError::new(
            "`*` is allowed only as the whole list (`\"*\"`), as the leftmost label (`https://*.example.com`) or as the port (`http://localhost:*`)",
        ));
    }
    check_host(host)?;
    Ok(OriginSpec::Exact(text.to_owned()))
}

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

fn check_port(scheme: &str, port: &str) -> Result<(), OriginError> {
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OriginError::new(format!("`{port}` is not a port number")));
    }
    if port.len() > 1 && port.starts_with('0') {
        return Err(OriginError::new(format!(
            "browsers send port `{port}` without its leading zeros"
        )));
    }
    match port.parse::<u32>() {
        Ok(0) => Err(OriginError::new("port 0 cannot be the port of an origin")),
        Ok(n) if n > 65535 => Err(OriginError::new(format!("port {n} is above 65535"))),
        Ok(n) if default_port(scheme) == Some(n) => Err(OriginError::new(format!(
            "{n} is the default port of {scheme}:// and browsers leave it out of the origin"
        ))),
        Ok(_) => Ok(()),
        Err(_) => Err(OriginError::new(format!("port `{port}` is above 65535"))),
    }
}

fn check_host(host: &str) -> Result<(), OriginError> {
    if host.starts_with('[') {
        let inner = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
        return match inner {
            Some(ip)
                if !ip.is_empty()
                    && ip
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') =>
            {
                Ok(())
            }
            _ => Err(OriginError::new(format!("`{host}` is not an IPv6 address"))),
        };
    }
    let ok_label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    };
    if host.len() > 253 || !host.split('.').all(ok_label) {
        return Err(OriginError::new(format!(
            "`{host}` is not a valid host name"
        )));
    }
    Ok(())
}

/// The default port of a scheme whose origins leave it out.
fn default_port(scheme: &str) -> Option<u32> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

/// Best-effort canonical form, for the `help:` line: lower case, no path, no userinfo, no
/// default port.
fn canonical_guess(text: &str) -> Option<String> {
    let (scheme, rest) = text.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    let (host, port) = split_port(authority);
    let host = host.to_ascii_lowercase();
    if host.is_empty() || !host.is_ascii() {
        return None;
    }
    let port = port
        .filter(|p| !p.is_empty())
        .map(|p| p.trim_start_matches('0'));
    match port {
        Some(p) if p.parse::<u32>().ok() == default_port(&scheme) => {
            Some(format!("{scheme}://{host}"))
        }
        Some(p) => Some(format!("{scheme}://{host}:{p}")),
        None => Some(format!("{scheme}://{host}")),
    }
}

/// The hash behind [`OriginSet`]'s table. The macros build the table with this very function at
/// compile time, so the two can never disagree.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy)]
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

    /// Whether `origin` (the `Origin` header's bytes) is in the set. No allocation.
    pub fn contains(&self, origin: &[u8]) -> bool {
        self.contains_exact(origin) || self.patterns.iter().any(|p| p.matches(origin))
    }

    fn contains_exact(&self, origin: &[u8]) -> bool {
        let len = self.table.len();
        if len == 0 {
            return false;
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

    /// The exact origins of the set, in table order.
    pub fn exact(&self) -> impl Iterator<Item = &'static str> {
        self.table.iter().copied().filter(|s| !s.is_empty())
    }

    /// The patterns of the set.
    pub fn patterns(&self) -> &'static [OriginPattern] {
        self.patterns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> OriginError {
        parse(text).expect_err(text)
    }

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

    #[test]
    fn non_canonical_origins_are_refused_with_the_fix() {
        let e = err("https://App.Example.com/");
        assert_eq!(e.suggestion.as_deref(), Some("https://app.example.com"));
        assert!(e.message.contains("trailing slash"), "{}", e.message);
        assert_eq!(
            err("https://a.com:443").suggestion.as_deref(),
            Some("https://a.com")
        );
        assert!(err("https://a.com/api").message.contains("a path `/api`"));
        assert!(err("https://u:p@a.com").message.contains("user"));
        assert!(err("null").message.contains("null"));
        assert!(err("file:///etc").message.contains("file://"));
        assert!(err("https://a.com:0").message.contains("port 0"));
        assert!(err("https://a.com:70000").message.contains("65535"));
        assert!(err("app.example.com").message.contains("://"));
        assert!(err("https://a.*.com").message.contains('*'));
        assert!(err("https://*.com").message.contains("top-level"));
        assert!(err("https://bücher.example").message.contains("punycode"));
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
        assert_eq!(set.exact().count(), 1000);
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
