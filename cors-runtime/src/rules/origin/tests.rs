//! [`parse`](super::parse) on every kind of entry: canonical ones, patterns, and every mistake
//! with its fix.

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

/// Checks that each entry is refused with a message holding the words given and the corrected
/// literal given (itself valid), or none: `(entry, words in the message, the corrected literal)`.
fn assert_refused_with_fix(cases: &[(&str, &str, Option<&str>)]) {
    for &(text, words, fix) in cases {
        let e = err(text);
        assert!(e.message.contains(words), "{text}: {}", e.message);
        assert_eq!(e.suggestion.as_deref(), fix, "{text}");
        if let Some(fix) = fix {
            assert!(parse(fix).is_ok(), "the fix of {text} is valid: {fix}");
        }
    }
}

#[test]
fn a_path_query_fragment_or_user_name_is_refused_with_the_bare_origin() {
    assert_refused_with_fix(&[
        (
            "https://App.Example.com/",
            "trailing slash",
            Some("https://app.example.com"),
        ),
        ("https://a.com/api", "a path `/api`", Some("https://a.com")),
        ("https://a.com?x=1", "a query", Some("https://a.com")),
        ("https://a.com#top", "a fragment", Some("https://a.com")),
        ("https://u:p@a.com", "user name", Some("https://a.com")),
        (
            "https://*.Example.com/",
            "trailing slash",
            Some("https://*.example.com"),
        ),
    ]);
}

#[test]
fn upper_case_is_refused_with_the_lower_case_spelling() {
    assert_refused_with_fix(&[
        ("HTTPS://A.COM", "lower case", Some("https://a.com")),
        (
            "https://App..example.com",
            "lower case",
            Some("https://app.example.com"),
        ),
        (
            "http://Localhost:*",
            "lower case",
            Some("http://localhost:*"),
        ),
    ]);
}

#[test]
fn the_default_port_or_a_misspelt_port_is_refused() {
    assert_refused_with_fix(&[
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
    ]);
}

#[test]
fn ip_addresses_are_refused_unless_in_canonical_form() {
    assert_refused_with_fix(&[
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
    ]);
}

#[test]
fn empty_labels_are_refused_with_them_left_out() {
    assert_refused_with_fix(&[
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
    ]);
}

#[test]
fn characters_a_host_name_cannot_hold_are_refused() {
    assert_refused_with_fix(&[
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
        ("https://exa mple.com", "white space", None),
        ("https://exa^mple.com", "not a valid host", None),
    ]);
}

#[test]
fn quotes_white_space_and_separators_around_an_origin_are_refused() {
    assert_refused_with_fix(&[
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
    ]);
}

#[test]
fn empty_null_and_malformed_urls_are_refused() {
    assert_refused_with_fix(&[
        ("", "empty", None),
        (" ", "empty", None),
        ("null", "null", None),
        ("NULL", "null", None),
        ("file:///etc", "file://", None),
        (
            "app.example.com",
            "no scheme",
            Some("https://app.example.com"),
        ),
        ("https://", "no host", None),
        ("h_tp://a.com", "not a URL scheme", None),
    ]);
}

#[test]
fn unicode_host_names_are_refused_with_their_punycode() {
    assert_refused_with_fix(&[
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
    ]);
}

/// `*` is the whole leftmost label, once, of a domain below a public suffix: no IP address.
#[test]
fn a_wildcard_is_only_the_whole_leftmost_label_of_a_domain() {
    assert_refused_with_fix(&[
        ("https://a.*.com", "leftmost label", None),
        ("https://*example.com", "leftmost label", None),
        ("https://app-*.example.com", "leftmost label", None),
        ("https://*.*.example.com", "leftmost label", None),
        ("https://*.example.com:*", "one `*`", None),
        ("https://*.com", "top-level domain", None),
        ("http://*.127.0.0.1", "IP address", None),
        ("http://*.[::1]", "IP address", None),
    ]);
}

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
