//! Unit tests of `args.rs`.

use proc_macro2::Span;
use quote::quote;

use super::*;

/// `KEYS` names exactly the fields of `CorsArgs`: each is accepted, and darling refuses
/// anything else, so the two cannot drift apart.
#[test]
fn keys_are_the_fields() {
    for key in KEYS {
        let key = syn::Ident::new(key, proc_macro2::Span::call_site());
        let items = NestedMeta::parse_meta_list(quote!(#key)).unwrap();
        let err = CorsArgs::from_list(&items).err().map(|e| e.to_string());
        assert!(
            err.as_deref().is_none_or(|e| !e.contains("Unknown field")),
            "{key}: {err:?}"
        );
    }
    let items = NestedMeta::parse_meta_list(quote!(not_a_key)).unwrap();
    assert!(CorsArgs::from_list(&items).is_err());
}

/// What `parse` gave, and every error it reported.
fn parsed<T>(
    parse: impl FnOnce(&mut darling::error::Accumulator) -> darling::Result<T>,
) -> (Option<T>, Vec<String>) {
    let mut errors = darling::Error::accumulator();
    let input = parse(&mut errors);
    let input = errors.handle(input);
    let errors = errors
        .finish()
        .err()
        .map(|e| e.into_iter().map(|e| e.to_string()).collect())
        .unwrap_or_default();
    (input, errors)
}

#[test]
fn a_named_policy_takes_route_settings() {
    let (input, errors) = parsed(|e| parse_attribute(quote!(API, preflights_skip_guards), e));
    assert!(errors.is_empty(), "{errors:?}");
    let input = input.unwrap();
    assert!(matches!(input.policy, PolicyInput::Named(p) if p.is_ident("API")));
    assert!(input.route.preflights_skip_guards.is_present());
    let (_, errors) = parsed(|e| parse_attribute(quote!(API, credentials), e));
    assert!(errors[0].contains("only route settings"), "{errors:?}");
}

#[test]
fn route_settings_go_with_keys_but_not_in_policy() {
    let (input, errors) =
        parsed(|e| parse_attribute(quote!(origins = "*", preflights_skip_guards), e));
    assert!(errors.is_empty(), "{errors:?}");
    assert!(input.unwrap().route.preflights_skip_guards.is_present());
    let (_, errors) = parsed(|e| parse_policy(quote!(origins = "*", preflights_skip_guards), e));
    assert!(errors[0].contains("setting of one route"), "{errors:?}");
    let (_, errors) = parsed(|e| parse_attribute(quote!(origins = "*", preflight_skips_guards), e));
    assert!(errors[0].contains("preflights_skip_guards"), "{errors:?}");
}

#[test]
fn a_peers_key_name_says_ours_once() {
    // `origins` under another name: one error, not also "missing `origins`".
    let mut errors = darling::Error::accumulator();
    let keys = parse_policy(quote!(allowed_origins = ["https://a.com"]), &mut errors);
    let keys = errors.handle(keys).unwrap();
    assert!(keys.origins_misnamed);
    crate::validate::validate(&keys, &mut errors);
    let errors: Vec<String> = errors
        .finish()
        .unwrap_err()
        .into_iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        errors,
        [
            "unknown key `allowed_origins`: route-cors calls it `origins`\n= help: write `origins = [\"https://a.com\"]`"
        ]
    );
    // Every alias, at both sites: its own text, never darling's "did you mean".
    for alias in crate::aliases::ALIASES {
        for name in alias.names {
            let key = syn::Ident::new(name, Span::call_site());
            let (_, policy) = parsed(|e| parse_policy(quote!(origins = "*", #key), e));
            let (_, attribute) = parsed(|e| parse_attribute(quote!(origins = "*", #key), e));
            for errors in [policy, attribute] {
                assert_eq!(errors.len(), 1, "{name}: {errors:?}");
                assert!(
                    errors[0].starts_with(&format!("unknown key `{name}`: "))
                        && errors[0].contains("\n= help: "),
                    "{name}: {errors:?}"
                );
            }
        }
    }
    // Alone in `#[cors]`, a peer's name is no named policy.
    let (input, errors) = parsed(|e| parse_attribute(quote!(send_wildcard), e));
    assert!(matches!(input.unwrap().policy, PolicyInput::Keys(_)));
    assert!(
        errors[0].starts_with("unknown key `send_wildcard`"),
        "{errors:?}"
    );
    // darling's suggestion of `origins` is the fix too.
    let (keys, _) = parsed(|e| parse_policy(quote!(origin = ["https://a.com"]), e));
    assert!(keys.unwrap().origins_misnamed);
    let (keys, _) = parsed(|e| parse_policy(quote!(allow_header = ["x-a"]), e));
    assert!(!keys.unwrap().origins_misnamed);
}

#[test]
fn a_name_where_a_literal_goes_says_why_and_what_instead() {
    let (_, errors) = parsed(|e| parse_policy(quote!(origins = ALLOWED), e));
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    for words in [
        "`origins` takes string literals, which the macro checks as the code compiles: the value of `ALLOWED` is not known then",
        "policy!(origins = [...])",
        "`origins = runtime(ALLOWED)`",
    ] {
        assert!(e.contains(words), "{words}: {e}");
    }
    for (tokens, words) in [
        (
            quote!(origins = ["https://a.com", crate::APP]),
            "checks origins as the code compiles, when the value of `crate::APP` is not known",
        ),
        (
            quote!(origins = [env!("APP")]),
            "the value of `env!(..)` is not known",
        ),
        (quote!(origins = [APP]), "`origins = runtime(NAME)`"),
        (
            quote!(origins = "*", allow_headers = [API_KEY]),
            "checks header names as the code compiles, when the value of `API_KEY`",
        ),
        (
            quote!(origins = "*", expose_headers = EXPOSED),
            "the value of `EXPOSED` is not known",
        ),
    ] {
        let (_, errors) = parsed(|e| parse_policy(tokens.clone(), e));
        assert_eq!(errors.len(), 1, "{tokens}: {errors:?}");
        assert!(
            errors[0].starts_with("expected a string literal: ") && errors[0].contains(words),
            "{tokens}: {errors:?}"
        );
    }
    let (_, errors) = parsed(|e| parse_policy(quote!(origins = "*", allow_headers = [H]), e));
    assert!(!errors[0].contains("runtime("), "{errors:?}");
}

#[test]
fn a_policy_takes_keys_only() {
    let (keys, errors) = parsed(|e| parse_policy(quote!(origins = "*", credentials), e));
    assert!(errors.is_empty(), "{errors:?}");
    assert!(keys.unwrap().credentials.is_present());
    // A name is no key of `policy!`: it cannot name another policy.
    let (_, errors) = parsed(|e| parse_policy(quote!(API), e));
    assert!(errors[0].contains("Unknown field: `API`"), "{errors:?}");
}
