//! Unit tests of `aliases.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;

/// The names of every alias.
fn all_names() -> impl Iterator<Item = &'static str> {
    ALIASES.iter().flat_map(|a| a.names.iter().copied())
}

/// The `Meta` of `tokens`.
fn meta(tokens: TokenStream) -> syn::Meta {
    syn::parse2(tokens).expect("a meta item")
}

#[test]
fn each_name_once_and_none_is_ours() {
    let mut seen = std::collections::HashSet::new();
    for name in all_names() {
        assert!(seen.insert(name), "{name} is listed twice");
        assert!(
            !crate::args::is_key(name),
            "{name} is a key of route-cors, not an alias"
        );
    }
}

#[test]
fn the_wording_follows_the_style() {
    for alias in ALIASES {
        let texts: Vec<&str> = match &alias.fix {
            Fix::Rename { key, .. } => {
                assert!(crate::args::is_key(key), "{key}");
                vec![alias.said]
            }
            Fix::Switch { on, off } => vec![alias.said, on, off],
            Fix::Explain(text) => vec![alias.said, text],
        };
        for text in texts {
            let first = text.chars().next().unwrap_or('.');
            assert!(
                !first.is_uppercase() && !text.ends_with('.'),
                "lower-case start, no trailing period: {text}"
            );
        }
        if let Some(key) = alias.stands_for {
            assert!(crate::args::is_key(key), "{key}");
        }
    }
}

#[test]
fn a_rename_keeps_the_value() {
    let origins = find("allowed_origins").unwrap();
    for (tokens, help) in [
        (
            quote!(allowed_origins = ["https://a.com", "https://b.com"]),
            "write `origins = [\"https://a.com\", \"https://b.com\"]`",
        ),
        (
            quote!(allowed_origins("https://a.com")),
            "write `origins = \"https://a.com\"`",
        ),
        (
            quote!(allowed_origins("https://a.com", "https://b.com")),
            "write `origins = [\"https://a.com\", \"https://b.com\"]`",
        ),
        (
            quote!(allowed_origins),
            "write `origins = [\"https://app.example.com\"]`",
        ),
        (
            quote!(allowed_origins = ORIGINS),
            "write `origins = [\"https://app.example.com\"]`",
        ),
    ] {
        assert_eq!(origins.help(&meta(tokens)), help);
    }
    let age = find("max_age_secs").unwrap();
    assert_eq!(
        age.help(&meta(quote!(max_age_secs = 600))),
        "write `max_age = 600`"
    );
}

#[test]
fn a_switch_reads_its_value() {
    let block = find("block_on_origin_mismatch").unwrap();
    for (tokens, words) in [
        (quote!(block_on_origin_mismatch), "remove it"),
        (quote!(block_on_origin_mismatch = true), "remove it"),
        (quote!(block_on_origin_mismatch(true)), "remove it"),
        (
            quote!(block_on_origin_mismatch = false),
            "write `forward_refused`",
        ),
        (
            quote!(block_on_origin_mismatch(false)),
            "write `forward_refused`",
        ),
    ] {
        let help = block.help(&meta(tokens.clone()));
        assert!(help.starts_with(words), "{tokens}: {help}");
    }
    let credentials = find("supports_credentials").unwrap();
    assert_eq!(
        credentials.help(&meta(quote!(supports_credentials))),
        "write `credentials`, with no value"
    );
    assert!(
        credentials
            .help(&meta(quote!(supports_credentials = false)))
            .starts_with("leave it out")
    );
}

#[test]
fn the_peers_names_of_issue_21_are_all_here() {
    for name in [
        "allowed_methods",
        "methods",
        "allow_methods",
        "allowed_origins",
        "allowed_origin",
        "allow_origin",
        "allow_origins",
        "allowed_headers",
        "exposed_headers",
        "supports_credentials",
        "allow_credentials",
        "send_wildcard",
        "block_on_origin_mismatch",
        "max_age_secs",
        "allow_private_network",
        "private_network",
    ] {
        assert!(find(name).is_some(), "{name}");
    }
}
