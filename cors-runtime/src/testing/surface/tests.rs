//! Unit tests of `surface.rs`.

use super::*;

#[test]
fn every_class_is_tried_on_an_exact_origin() {
    let all = candidates("https://app.example.com", false);
    for class in [
        NearMiss::Prefix,
        NearMiss::Suffix,
        NearMiss::UnescapedDot,
        NearMiss::Null,
        NearMiss::HttpDowngrade,
        NearMiss::PortChange,
        NearMiss::TrailingDot,
        NearMiss::SiblingUnderSuffix,
        NearMiss::UpperCase,
        NearMiss::PercentEncoded,
    ] {
        assert!(all.iter().any(|(c, _)| *c == class), "{class:?}");
    }
    let origins: Vec<&str> = all.iter().map(|(_, o)| o.as_str()).collect();
    for expected in [
        "https://evil-app.example.com",
        "https://app.example.com.evil.net",
        "https://appxexample.com",
        "http://app.example.com",
        "https://app.example.com:8443",
        "https://app.example.com.",
        "https://example-evil.com",
        "https://APP.EXAMPLE.COM",
        "https://app%2eexample.com",
    ] {
        assert!(origins.contains(&expected), "{expected}: {origins:?}");
    }
    assert!(!origins.contains(&"https://app.example.com"));
}

/// Matchers as hand-written CORS code gets them wrong: each class is found, by name.
#[test]
fn a_sloppy_matcher_is_caught_class_by_class() {
    use crate::actix::SurfaceRoute;
    use crate::actix::route::tests::route;
    use crate::origin::OriginSet;
    use crate::policy::Names;
    use crate::request_headers::AllowHeaders;
    static ROUTE: crate::actix::CorsRoute = route(
        Policy {
            origins: Origins::Set(OriginSet::__new(&["https://app.example.com", ""], &[])),
            allow_headers: AllowHeaders::None,
            expose_headers: None,
            credentials: true,
            max_age: None,
            forward_refused: false,
        },
        "export",
        "/export",
        Names {
            names: &["GET"],
            value: "GET",
        },
    );
    let surface = Surface {
        routes: vec![SurfaceRoute {
            route: &ROUTE,
            path: Some("/export".to_owned()),
        }],
        scopes: Vec::new(),
    };
    assert!(near_misses(&surface).is_empty(), "the real matcher");
    let classes = |allows: fn(&str) -> bool| -> Vec<NearMiss> {
        let mut found: Vec<NearMiss> = near_misses_by(&surface, |_, o| allows(o))
            .into_iter()
            .map(|f| f.class)
            .collect();
        found.dedup();
        found
    };
    // `ends_with`, as in `origin.ends_with("app.example.com")`.
    assert_eq!(
        classes(|o| o.ends_with("app.example.com")),
        [NearMiss::Prefix, NearMiss::HttpDowngrade]
    );
    // `starts_with`, as in a prefix test of the allowed origin.
    assert_eq!(
        classes(|o| o.starts_with("https://app.example.com")),
        [
            NearMiss::Suffix,
            NearMiss::TrailingDot,
            NearMiss::PortChange
        ]
    );
    // A regex with unescaped dots, case-insensitive, and `null` let through.
    let regex_like = |o: &str| {
        let o = o.to_ascii_lowercase();
        o == "null" || (o.len() == 23 && o.starts_with("https://app") && o.ends_with("com"))
    };
    assert_eq!(
        classes(regex_like),
        [NearMiss::Null, NearMiss::UpperCase, NearMiss::UnescapedDot]
    );
    // Comparing hosts only: the scheme and the port are lost.
    let host_only = |o: &str| {
        o.split("://").nth(1).is_some_and(|h| {
            h.starts_with("app.example.com") && !h.contains(".evil") && !h.ends_with('.')
        })
    };
    assert_eq!(
        classes(host_only),
        [NearMiss::HttpDowngrade, NearMiss::PortChange]
    );
    let finding = &near_misses_by(&surface, |_, o| o == "null")[0];
    assert_eq!(
        finding.to_string(),
        "tests::export (/export) reflects `null`, a near miss (Null) of the allowed `https://app.example.com`"
    );
}

#[test]
fn ports_move() {
    let all = candidates("http://localhost:5173", false);
    let origins: Vec<&str> = all.iter().map(|(_, o)| o.as_str()).collect();
    assert!(origins.contains(&"http://localhost"), "{origins:?}");
    assert!(origins.contains(&"http://localhost:5174"), "{origins:?}");
}

#[test]
fn the_reference_reading_of_patterns() {
    let sub = Declared::of("https://*.example.com").expect("a pattern");
    assert_eq!(sub.written(), "https://*.example.com");
    assert_eq!(sub.sample(), "https://app.example.com");
    assert!(sub.covers("https://a.b.example.com"));
    for no in [
        "https://example.com",
        "https://.example.com",
        "https://A.example.com",
        "http://a.example.com",
    ] {
        assert!(!sub.covers(no), "{no}");
    }
    let port = Declared::of("http://localhost:*").expect("a pattern");
    assert!(port.covers("http://localhost") && port.covers("http://localhost:5173"));
    assert!(!port.covers("http://localhost:0") && !port.covers("http://localhost.evil"));
    assert!(Declared::of("https://app.example.com").is_none());
}

#[test]
fn a_diff_shows_what_changed() {
    let d = diff("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nD\ne\nf\ng\nh\n");
    assert!(d.contains("- d\n+ D\n"), "{d}");
    assert!(d.contains("  c\n") && !d.contains("  a\n"), "{d}");
}
