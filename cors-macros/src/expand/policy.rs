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
                quote!(__cors::Origins::Set(
                    __cors::OriginSet::__new(&[#(#table),*], &[#(#patterns),*])
                ))
            }
        };
        let (allow, allow_value) = match &p.allow_headers {
            CheckedHeaders::None => (quote!(__cors::AllowHeaders::None), None),
            CheckedHeaders::Any => (quote!(__cors::AllowHeaders::Any), Some("*".to_owned())),
            CheckedHeaders::List(names) => (
                quote!(__cors::AllowHeaders::List(&[#(#names),*])),
                Some(names.join(", ")),
            ),
        };
        let expose = match &p.expose_headers {
            CheckedHeaders::None => None,
            CheckedHeaders::Any => Some("*".to_owned()),
            CheckedHeaders::List(names) => Some(names.join(", ")),
        };
        let allow_value = option(allow_value);
        let expose = option(expose);
        let max_age = option(p.max_age.map(|n| n.to_string()));
        let (credentials, forward_refused) = (p.credentials, p.forward_refused);
        tokens.extend(quote! {
            __cors::Policy::__from_parts(
                #origins, #allow, #allow_value, #expose, #credentials, #max_age, #forward_refused,
            )
        });
    }
}

fn option(text: Option<String>) -> TokenStream {
    text.map_or_else(|| quote!(__cors::None), |text| quote!(__cors::Some(#text)))
}
