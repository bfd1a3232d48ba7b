//! Unit tests of `set.rs`.

use super::*;

#[test]
fn a_good_list_is_set_once() {
    let origins = RuntimeOrigins::new();
    assert!(!origins.allows(b"https://app.example.com", false));
    origins
        .set_from_str("https://app.example.com, https://*.example.org\thttp://localhost:*")
        .unwrap();
    for yes in [
        "https://app.example.com",
        "https://a.b.example.org",
        "http://localhost:5173",
    ] {
        assert!(origins.allows(yes.as_bytes(), true), "{yes}");
    }
    for no in [
        "https://example.org",
        "https://evil.com",
        "http://app.example.com",
    ] {
        assert!(!origins.allows(no.as_bytes(), false), "{no}");
    }
    let again = origins.set(["https://evil.com"]).unwrap_err();
    assert!(again.to_string().contains("already set"), "{again}");
    assert!(!origins.allows(b"https://evil.com", false));
}

#[test]
fn every_bad_entry_is_reported() {
    let origins = RuntimeOrigins::new();
    let err = origins
        .set([
            "https://ok.example.com",
            "https://App.Example.com/",
            "*",
            "http://intranet..example.com",
            "https://*.com",
            "https://ok.example.com",
            "null",
        ])
        .unwrap_err();
    let at: Vec<_> = err.problems().iter().map(|p| p.index).collect();
    assert_eq!(at, [Some(1), Some(2), Some(3), Some(4), Some(5), Some(6)]);
    assert_eq!(
        err.problems()[0].error.suggestion.as_deref(),
        Some("https://app.example.com")
    );
    let text = err.to_string();
    assert!(
        text.starts_with("invalid CORS origin list (6 problems):"),
        "{text}"
    );
    assert!(
        text.contains("origin #2 `https://App.Example.com/`"),
        "{text}"
    );
    assert!(origins.get().is_none(), "nothing is set");
    assert!(!origins.allows(b"https://ok.example.com", false));
    let empty = origins.set_from_str(" , ").unwrap_err();
    assert_eq!(empty.problems()[0].index, None);
}

#[test]
fn a_semicolon_separated_list_says_how_to_separate_origins() {
    let origins = RuntimeOrigins::new();
    let err = origins
        .set_from_str("https://a.example.com;https://b.example.com; https://c.example.com")
        .unwrap_err();
    // The space splits the string: `https://c.example.com` is an entry of its own, and good.
    assert_eq!(err.problems().len(), 1, "{err}");
    let first = &err.problems()[0].error;
    assert_eq!(first.message, "`;` does not separate origins");
    assert_eq!(first.suggestion, None);
    assert_eq!(
        first.hint.as_deref(),
        Some(
            "separate origins with commas or spaces: `https://a.example.com, https://b.example.com`"
        )
    );
    let text = err.to_string();
    assert!(
        text.contains("origin #1 `https://a.example.com;https://b.example.com;`: `;` does not separate origins; separate origins with commas or spaces"),
        "{text}"
    );
    let err = origins
        .set(["https://a.example.com;https://b.example.com"])
        .unwrap_err();
    let hint = err.problems()[0].error.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("`set_from_str`"), "{hint}");
    // A stray `;` is one origin: the fix is that origin.
    let err = origins.set_from_str("https://a.example.com;").unwrap_err();
    assert_eq!(
        err.problems()[0].error.suggestion.as_deref(),
        Some("https://a.example.com")
    );
    assert!(origins.get().is_none());
}

#[test]
fn a_quoted_entry_says_to_drop_the_quotes() {
    let origins = RuntimeOrigins::new();
    let err = origins
        .set_from_str(
            r#""https://a.example.com", 'https://B.example.com/', "https://*.example.org"#,
        )
        .unwrap_err();
    let hints: Vec<(&str, Option<&str>)> = err
        .problems()
        .iter()
        .map(|p| (p.error.message.as_str(), p.error.hint.as_deref()))
        .collect();
    let drop = "quotes are not part of an origin: drop the quotes";
    assert_eq!(
        hints,
        [
            (
                drop,
                Some("write the origin without them: https://a.example.com")
            ),
            (
                drop,
                Some("write the origin without them: https://b.example.com")
            ),
            (
                drop,
                Some("write the origin without them: https://*.example.org")
            ),
        ]
    );
    assert!(err.problems().iter().all(|p| p.error.suggestion.is_none()));
    let lone = origins.set(["\""]).unwrap_err();
    assert_eq!(
        lone.problems()[0].error.hint.as_deref(),
        Some("drop the quotes")
    );
}

#[test]
fn credentials_rules_are_the_routes_to_apply() {
    let origins = RuntimeOrigins::new();
    origins
        .set([
            "https://app.example.com",
            "http://intranet.example.com",
            "https://*.github.io",
        ])
        .unwrap();
    for (origin, without, with) in [
        ("https://app.example.com", true, true),
        ("http://intranet.example.com", true, false),
        ("https://pages.github.io", true, false),
        ("https://evil.com", false, false),
    ] {
        assert_eq!(
            origins.allows(origin.as_bytes(), false),
            without,
            "{origin}"
        );
        assert_eq!(
            origins.allows(origin.as_bytes(), true),
            with,
            "{origin} with credentials"
        );
    }
    let refused = origins.refused_with_credentials();
    let refused: Vec<_> = refused
        .iter()
        .map(|p| (p.index, p.error.suggestion.as_deref()))
        .collect();
    assert_eq!(
        refused,
        [
            (Some(1), Some("https://intranet.example.com")),
            (Some(2), None)
        ]
    );
}

#[test]
fn names_under_localhost_are_loopback_with_credentials() {
    let origins = RuntimeOrigins::new();
    origins
        .set([
            "http://app.localhost:3000",
            "http://*.localhost",
            "http://localhost:*",
        ])
        .unwrap();
    assert!(origins.refused_with_credentials().is_empty());
    for yes in [
        "http://app.localhost:3000",
        "http://admin.app.localhost",
        "http://localhost:5173",
    ] {
        assert!(origins.allows(yes.as_bytes(), true), "{yes}");
    }
    assert!(!origins.allows(b"http://app.localhost:3001", true));
}

#[test]
fn an_empty_list_is_said_on_purpose() {
    let origins = RuntimeOrigins::new();
    let empty = origins.set_from_str("").unwrap_err();
    assert_eq!(
        empty.problems()[0].error.hint.as_deref(),
        Some("to allow no cross-origin request on purpose, call `set_none()` instead")
    );
    assert!(!origins.is_set());
    origins.set_none().unwrap();
    assert!(origins.is_set());
    assert!(origins.get().is_some());
    assert!(origins.refused_with_credentials().is_empty());
    for origin in ["https://app.example.com", "", "null"] {
        assert!(!origins.allows(origin.as_bytes(), false), "{origin}");
        assert!(!origins.allows(origin.as_bytes(), true), "{origin}");
    }
    let again = origins.set_none().unwrap_err();
    assert!(again.to_string().contains("already set"), "{again}");
    let after = origins.set(["https://app.example.com"]).unwrap_err();
    assert!(after.to_string().contains("already set"), "{after}");
    assert!(!origins.allows(b"https://app.example.com", false));
    // And the other way round.
    let set = RuntimeOrigins::new();
    set.set(["https://app.example.com"]).unwrap();
    assert!(set.set_none().is_err());
    assert!(set.allows(b"https://app.example.com", false));
}

#[test]
fn plain_http_with_the_opt_in() {
    let origins = RuntimeOrigins::allowing_insecure_http_credentials();
    origins.set(["http://intranet.example.com"]).unwrap();
    assert!(origins.allows(b"http://intranet.example.com", true));
    assert!(origins.refused_with_credentials().is_empty());
}

#[test]
fn a_snapshot_of_the_list_says_what_it_holds() {
    let entries = [
        "https://app.example.com",
        "http://intranet.example.com",
        "https://*.example.org",
    ];
    let origins = RuntimeOrigins::new();
    origins.set(entries).unwrap();
    let list = origins.get().expect("set");
    assert_eq!((list.len(), list.is_empty()), (3, false));
    for entry in entries {
        assert!(list.contains_entry(entry), "{entry}");
    }
    assert!(!list.contains_entry("https://other.example.com"));
    let refused: Vec<&str> = list
        .refused_with_credentials()
        .iter()
        .map(|p| p.entry.as_str())
        .collect();
    assert_eq!(refused, ["http://intranet.example.com"]);
    let shown = format!("{origins:?}");
    assert!(
        shown.starts_with("RuntimeOrigins {")
            && shown.contains("tenancy: Shared")
            && shown.contains("app.example.com"),
        "{shown}"
    );

    let none = RuntimeOrigins::new();
    none.set_none().unwrap();
    let empty = none.get().expect("set, to nothing");
    assert_eq!((empty.len(), empty.is_empty()), (0, true));
}
