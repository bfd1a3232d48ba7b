//! The host and port of an origin entry, as the WHATWG URL parser serializes them and as DNS
//! can hold them: the pieces [`parse`](super::origin::parse) is made of.

use crate::error::OriginError;

/// The host of an origin `scheme://host[:port]`.
pub(super) fn host_of(origin: &str) -> Option<&str> {
    origin.split_once("://").map(|(_, rest)| split_port(rest).0)
}

/// Whether a host as the URL parser serializes it is an IP address.
pub(super) fn is_ip_host(host: &str) -> bool {
    host.starts_with('[') || is_ipv4_like(host)
}

/// The IPv4 address that an IPv4-mapped IPv6 host (`[::ffff:7f00:1]`) stands for.
pub(super) fn ipv4_mapped(host: &str) -> Option<std::net::Ipv4Addr> {
    host.strip_prefix('[')?
        .strip_suffix(']')?
        .parse::<std::net::Ipv6Addr>()
        .ok()?
        .to_ipv4_mapped()
}

/// An origin as the URL parser serializes it, with the host a browser could have sent instead:
/// the IPv4 form of an IPv4-mapped address, a domain without its empty labels.
pub(super) fn repair(origin: &str) -> String {
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
const MAX_LABEL: usize = 63;

/// Longest DNS name in its dotted form, in bytes, without the root's trailing dot.
const MAX_NAME: usize = 253;

/// Checks that a domain host (lower case, ASCII, as the URL parser serializes it) is a name DNS
/// can hold: no page can be served from another, so a browser never sends it.
///
/// One trailing dot (a fully qualified name, `example.com.`) is allowed: browsers send it as
/// written, and it is another origin than `example.com`.
pub(super) fn check_dns_name(host: &str) -> Result<(), OriginError> {
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

/// What the WHATWG URL parser makes of `scheme://host[:port]`, or its error.
pub(super) fn canonical(scheme: &str, host: &str, port: Option<&str>) -> Result<String, String> {
    match canonical_as_written(scheme, host, port) {
        Some(text) => Ok(text),
        None => canonical_by_parser(scheme, host, port),
    }
}

/// `scheme://host[:port]` as written, where the WHATWG parser is known to leave it as it is:
/// `http` or `https`; a host of non-empty labels of lower-case letters, digits and `-`, none
/// an IDNA label (`xn--`), the last not a number (an IPv4 address); a port without leading
/// zeros, other than the scheme's default. That is what nearly every origin in a list is, and
/// the parser costs a run-time list about 6,000 instructions per origin (of about 16,000): the
/// replacement of a long list is a third faster without it. `None`: ask the parser. A test
/// compares the two on every host of up to five characters from the characters that matter.
fn canonical_as_written(scheme: &str, host: &str, port: Option<&str>) -> Option<String> {
    let default_port = match scheme {
        "https" => "443",
        "http" => "80",
        _ => return None,
    };
    let plain = |label: &str| {
        !label.is_empty()
            && !label.starts_with("xn--")
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !host.split('.').all(plain) || is_ipv4_like(host) {
        return None;
    }
    match port {
        None => Some(format!("{scheme}://{host}")),
        Some(port)
            if !port.starts_with('0')
                && port != default_port
                && port.bytes().all(|b| b.is_ascii_digit())
                && port.parse::<u16>().is_ok() =>
        {
            Some(format!("{scheme}://{host}:{port}"))
        }
        Some(_) => None,
    }
}

/// [`canonical`] by the WHATWG URL parser itself.
fn canonical_by_parser(scheme: &str, host: &str, port: Option<&str>) -> Result<String, String> {
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
pub(super) fn is_ipv4_like(host: &str) -> bool {
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

pub(super) fn split_port(rest: &str) -> (&str, Option<&str>) {
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

pub(super) fn check_port(scheme: &str, port: &str) -> Result<(), OriginError> {
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
fn default_port(scheme: &str) -> Option<u32> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_is_split_off_after_the_host() {
        assert_eq!(split_port("a.example"), ("a.example", None));
        assert_eq!(split_port("a.example:8443"), ("a.example", Some("8443")));
        assert_eq!(split_port("a.example:"), ("a.example", Some("")));
        assert_eq!(split_port("[::1]"), ("[::1]", None));
        assert_eq!(split_port("[::1]:8080"), ("[::1]", Some("8080")));
        assert_eq!(host_of("http://[::1]:8080"), Some("[::1]"));
        assert_eq!(host_of("no scheme"), None);
    }

    #[test]
    fn hosts_whose_last_label_is_a_number_read_as_ipv4() {
        for yes in ["127.0.0.1", "127.1", "0x7f.1", "10.0.0.1.", "1"] {
            assert!(is_ipv4_like(yes), "{yes}");
            assert!(is_ip_host(yes), "{yes}");
        }
        for no in ["example.com", "a.1com", "x1.example", "0xg"] {
            assert!(!is_ipv4_like(no), "{no}");
        }
        assert!(is_ip_host("[::1]"));
        assert_eq!(
            ipv4_mapped("[::ffff:7f00:1]"),
            Some(std::net::Ipv4Addr::LOCALHOST)
        );
        assert_eq!(ipv4_mapped("[::1]"), None);
        assert_eq!(ipv4_mapped("127.0.0.1"), None);
    }

    #[test]
    fn repair_gives_the_host_a_browser_could_have_sent() {
        assert_eq!(
            repair("https://app..example.com"),
            "https://app.example.com"
        );
        assert_eq!(repair("https://example.com.."), "https://example.com");
        assert_eq!(
            repair("http://[::ffff:7f00:1]:8080"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(repair("https://example.com."), "https://example.com.");
        assert_eq!(repair("no scheme"), "no scheme");
    }

    #[test]
    fn the_url_parser_says_how_an_origin_is_written() {
        assert_eq!(
            canonical("HTTPS", "App.Example.com", Some("443")).as_deref(),
            Ok("https://app.example.com")
        );
        assert_eq!(
            canonical("http", "127.1", None).as_deref(),
            Ok("http://127.0.0.1")
        );
        assert!(canonical("https", "exa^mple.com", None).is_err());
        assert_eq!(default_port("https"), Some(443));
        assert_eq!(default_port("tauri"), None);
        assert!(check_port("https", "8443").is_ok());
        assert!(check_port("https", "443").is_err());
    }

    /// Where `canonical` skips the parser, the parser says the same: every host of up to five
    /// characters from letters of both cases, the letters of `xn--` and `0x`, digits, `-`, `_`
    /// and `.`, with and without ports around the defaults, under four schemes.
    #[test]
    fn an_origin_taken_as_written_is_what_the_parser_makes_of_it() {
        const CHARS: &[u8] = b"axnA09-_.";
        let mut hosts = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|h| CHARS.iter().map(move |&c| format!("{h}{}", c as char)))
                .collect();
            hosts.extend(last.iter().cloned());
        }
        let ports = [
            None,
            Some("80"),
            Some("443"),
            Some("8080"),
            Some("0443"),
            Some("65536"),
        ];
        let (mut taken, mut asked) = (0_usize, 0_usize);
        for scheme in ["https", "http", "HTTPS", "ws"] {
            for host in &hosts {
                for port in ports {
                    // Ports only on a few hosts: the host is what the fast path reads most.
                    if port.is_some() && host.len() > 2 {
                        continue;
                    }
                    match canonical_as_written(scheme, host, port) {
                        Some(fast) => {
                            taken += 1;
                            assert_eq!(
                                Ok(fast),
                                canonical_by_parser(scheme, host, port),
                                "{scheme}://{host} {port:?}"
                            );
                        }
                        None => asked += 1,
                    }
                }
            }
        }
        // Both ways are used: the comparison is not vacuous.
        assert!(
            taken > 10_000 && asked > 10_000,
            "{taken} taken, {asked} asked"
        );
        assert_eq!(
            canonical_as_written("https", "app.example.com", Some("8443")).as_deref(),
            Some("https://app.example.com:8443")
        );
        for (host, port) in [
            ("xn--bcher-kva.example", None),
            ("App.example.com", None),
            ("127.0.0.1", None),
            ("example.com.", None),
            ("example.com", Some("443")),
            ("example.com", Some("00080")),
        ] {
            assert_eq!(
                canonical_as_written("https", host, port),
                None,
                "{host} {port:?}"
            );
        }
    }
}
