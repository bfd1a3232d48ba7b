//! What an origin entry must also meet when the policy allows credentials.

use super::host::split_port;
use super::origin::{OriginSpec, spec_text};
use crate::error::OriginError;

/// Whether an origin's host is the local machine: `localhost` and every name under it
/// (`app.localhost`, with or without the trailing dot of a fully qualified name), 127.0.0.0/8
/// or `[::1]`. Browsers treat these as secure contexts even over plain `http://`.
///
/// [RFC 6761, section 6.3](https://www.rfc-editor.org/rfc/rfc6761#section-6.3) reserves
/// `localhost.` and every name under it for loopback, and browsers resolve them to loopback
/// themselves, without asking DNS: no one else can serve a page from such an origin.
pub fn is_loopback_host(host: &str) -> bool {
    let name = host.strip_suffix('.').unwrap_or(host);
    name == "localhost"
        || name.ends_with(".localhost")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::origin::parse;

    fn with_credentials(text: &str) -> Result<(), OriginError> {
        check_credentials(&parse(text).expect(text), false, "opt in")
    }

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
            // RFC 6761: every name under `localhost` is loopback, with any port.
            "http://app.localhost:3000",
            "http://api.app.localhost:8080",
            "http://app.localhost:*",
            "http://*.localhost:3000",
            "ws://app.localhost:3000",
            "http://localhost.:3000",
            "http://app.localhost.:3000",
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
        // Only the label `localhost` itself: names that merely contain it are anyone's.
        for not_local in [
            "http://applocalhost:3000",
            "http://app.localhost.example.com",
            "http://localhost.example.com:3000",
            "http://localhostx",
        ] {
            assert!(with_credentials(not_local).is_err(), "{not_local}");
        }
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
}
