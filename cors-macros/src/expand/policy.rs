//! A checked policy as tokens: a constant expression of type `Policy`, and the warning a
//! `max_age` above Chromium's cap gets.

use cors_runtime::origin;
use cors_runtime::rules::origin::OriginSpec;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::validate::{self, CheckedHeaders, CheckedOrigins};

/// A warning (not an error) when `max_age` is above Chromium's cap. Stable Rust has no warning
/// API for proc macros, so this is the usual trick: the use of a `#[deprecated]` item, spanned
/// at the literal, makes rustc print the note as a `deprecated` warning there.
/// `attrs` (lint levels) go on the item that holds it.
pub(super) fn max_age_warning(
    checked: &validate::CheckedPolicy,
    attrs: &TokenStream,
) -> TokenStream {
    let (Some(span), Some(n)) = (checked.max_age_above_chromium, checked.max_age) else {
        return TokenStream::new();
    };
    let note = validate::max_age_note(n);
    let item = quote_spanned!(span=> max_age_above_chromium_cap);
    quote! {
        #attrs
        const _: () = {
            #[deprecated(note = #note)]
            #[allow(non_camel_case_types)]
            struct max_age_above_chromium_cap;
            let _ = #item;
        };
    }
}

/// A checked policy as a constant expression of type `Policy`.
pub(super) struct PolicyTokens<'a>(pub(super) &'a validate::CheckedPolicy);

impl ToTokens for PolicyTokens<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let p = self.0;
        let origins = match &p.origins {
            CheckedOrigins::Any => quote!(__cors::Origins::Any),
            // Spanned at the user's path, so a wrong type is reported there.
            CheckedOrigins::Runtime(path) => {
                let name = quote!(#path).to_string().replace(' ', "");
                quote_spanned! {path.span()=>
                    __cors::Origins::Runtime { list: &#path, name: #name }
                }
            }
            CheckedOrigins::Set { exact, patterns } => {
                let exact: Vec<&str> = exact.iter().map(String::as_str).collect();
                let table = origin::table(&exact);
                let patterns = patterns.iter().filter_map(|p| match p {
                    OriginSpec::Subdomains { prefix, suffix } => Some(
                        quote!(__cors::OriginPattern::Subdomains { prefix: #prefix, suffix: #suffix }),
                    ),
                    OriginSpec::AnyPort { prefix } => {
                        Some(quote!(__cors::OriginPattern::AnyPort { prefix: #prefix }))
                    }
                    OriginSpec::Any | OriginSpec::Exact(_) => None,
                });
                quote!(__cors::Origins::Set(__cors::OriginSet {
                    table: &[#(#table),*],
                    patterns: &[#(#patterns),*],
                }))
            }
        };
        let allow = match &p.allow_headers {
            CheckedHeaders::None => quote!(__cors::AllowHeaders::None),
            CheckedHeaders::Any => quote!(__cors::AllowHeaders::Any),
            CheckedHeaders::List(names) => {
                let names = NamesTokens(names);
                quote!(__cors::AllowHeaders::List(#names))
            }
        };
        let expose = match &p.expose_headers {
            CheckedHeaders::None => quote!(__cors::None),
            CheckedHeaders::Any => {
                let any = NamesTokens(&["*".to_owned()]);
                quote!(__cors::Some(#any))
            }
            CheckedHeaders::List(names) => {
                let names = NamesTokens(names);
                quote!(__cors::Some(#names))
            }
        };
        let max_age = p.max_age.map_or_else(
            || quote!(__cors::None),
            |seconds| {
                let value = seconds.to_string();
                let seconds_literal = proc_macro2::Literal::u32_unsuffixed(seconds);
                quote!(__cors::Some(__cors::MaxAge {
                    seconds: #seconds_literal,
                    value: #value,
                }))
            },
        );
        let (credentials, forward_refused) = (p.credentials, p.forward_refused);
        tokens.extend(quote! {
            __cors::Policy {
                origins: #origins,
                allow_headers: #allow,
                expose_headers: #expose,
                credentials: #credentials,
                max_age: #max_age,
                forward_refused: #forward_refused,
            }
        });
    }
}

/// Names and the text of the header value listing them, written together: `__cors::Names { .. }`.
pub(super) struct NamesTokens<'a, S>(pub(super) &'a [S]);

impl<S: AsRef<str> + ToTokens> ToTokens for NamesTokens<'_, S> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let names = self.0;
        let value = names
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(", ");
        tokens.extend(quote! {
            __cors::Names {
                names: &[#(#names),*],
                value: #value,
            }
        });
    }
}
