//! Expand: a checked policy and the untouched handler in, tokens out.

use cors_runtime::origin::{self, OriginSpec};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::args::{self, Input};
use crate::route::{self, Found};
use crate::validate::{self, CheckedHeaders, CheckedOrigins, error_at};

/// `#[cors(args)] item`.
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    match try_cors(args, item.clone()) {
        Ok(tokens) => tokens,
        // One mistake, one error: the handler is emitted as written, so actix-web still
        // generates its service and `App::service(handler)` type-checks.
        Err(errors) => {
            let mut out = errors.write_errors();
            out.extend(item);
            out
        }
    }
}

/// `policy!(args)`.
pub fn policy(args: TokenStream) -> TokenStream {
    let mut errors = darling::Error::accumulator();
    let parsed = args::parse(args, false, &mut errors);
    let checked = match errors.handle(parsed) {
        Some(Input::Keys(keys)) => Some(validate::validate(&keys, &mut errors)),
        // `args::parse` only returns a named policy when asked to.
        Some(Input::Named(path)) => {
            errors.push(error_at(
                path.span(),
                "`policy!` takes keys, e.g. `policy!(origins = [\"https://app.example.com\"])`",
                None,
            ));
            None
        }
        None => None,
    };
    match errors.finish().map(|()| checked) {
        Ok(Some(checked)) => {
            let warning = max_age_warning(&checked, &TokenStream::new());
            let policy = PolicyTokens(&checked);
            quote!({ #warning #policy })
        }
        result => {
            // `Ok(None)` cannot happen: no policy means an error was pushed.
            let errors = result.err().map(darling::Error::write_errors);
            // A policy that refuses every origin stands in, so the constant still type-checks.
            quote! {{
                #errors
                ::route_cors::__private::Policy::__from_parts(
                    ::route_cors::__private::Origins::Set(::route_cors::__private::OriginSet::__new(&[], &[])),
                    ::route_cors::__private::AllowHeaders::None, ::core::option::Option::None,
                    ::core::option::Option::None, false, ::core::option::Option::None, false,
                )
            }}
        }
    }
}

fn try_cors(args: TokenStream, item: TokenStream) -> darling::Result<TokenStream> {
    let Ok(mut handler) = syn::parse2::<syn::ItemFn>(item) else {
        return Err(error_at(
            Span::call_site(),
            "`#[cors]` goes on an actix-web handler: an `async fn` with a route attribute such as `#[get(\"/path\")]`",
            None,
        ));
    };
    let routes = match route::find(&handler.attrs) {
        Found::Routes(routes) => routes,
        Found::None => {
            return Err(error_at(
                Span::call_site(),
                "`#[cors]` found no route attribute below it",
                Some(
                    "put `#[cors(...)]` above `#[get(\"/path\")]` (or `#[post]`, `#[route]`, `#[routes]`, ...): attributes expand from the top, so one placed below the route attribute never sees it",
                ),
            ));
        }
        // actix-web reports its own argument errors.
        Found::Malformed => return Ok(handler.into_token_stream()),
    };

    let mut errors = darling::Error::accumulator();
    let parsed = args::parse(args, true, &mut errors);
    let mut warning = TokenStream::new();
    let policy = match errors.handle(parsed) {
        Some(Input::Keys(keys)) => {
            let checked = validate::validate(&keys, &mut errors);
            // Lint levels set on the handler cover the warning (`#[allow(deprecated)]`).
            let lints = handler.attrs.iter().filter(|a| {
                ["allow", "warn", "deny", "forbid"]
                    .iter()
                    .any(|l| a.path().is_ident(l))
            });
            warning = max_age_warning(&checked, &quote!(#(#lints)*));
            Some(PolicyTokens(&checked).into_token_stream())
        }
        // A wrong type is reported by rustc on the user's path.
        Some(Input::Named(path)) => Some(quote_spanned!(path.span()=> #path)),
        None => None,
    };
    for route in &routes {
        validate::check_methods(&route.methods, &mut errors);
    }
    errors.finish()?;
    // No errors, so the arguments parsed and `policy` is there.
    let Some(policy) = policy else {
        return Err(error_at(
            Span::call_site(),
            "`#[cors]` could not read its arguments",
            None,
        ));
    };

    // One `Route` per distinct path (`#[routes]` may give several), with that path's methods.
    let mut paths: Vec<(String, Vec<String>)> = Vec::new();
    let mut statics_of = Vec::new();
    for route in &routes {
        let path = route.path.value();
        let i = paths
            .iter()
            .position(|(p, _)| *p == path)
            .unwrap_or_else(|| {
                paths.push((path, Vec::new()));
                paths.len() - 1
            });
        for (method, _) in &route.methods {
            if !paths[i].1.contains(method) {
                paths[i].1.push(method.clone());
            }
        }
        statics_of.push(i);
    }
    let idents: Vec<_> = (0..paths.len())
        .map(|i| format_ident!("__CORS_ROUTE_{}", i))
        .collect();
    for (route, &i) in routes.iter().zip(&statics_of) {
        let guard = format!("::route_cors::__private::CorsGuard::new(&{})", idents[i]);
        handler.attrs[route.index] = route.with_guard(&handler.attrs[route.index], &guard);
    }

    let name = &handler.sig.ident;
    let name_str = name.to_string();
    let vis = &handler.vis;
    let docs = handler.attrs.iter().filter(|a| a.path().is_ident("doc"));
    let statics = paths.iter().zip(&idents).map(|((path, methods), ident)| {
        let allow = methods.join(", ");
        quote! {
            static #ident: ::route_cors::__private::Route = ::route_cors::__private::Route::__new(
                __CORS_POLICY, #name_str, #path, &[#(#methods),*], #allow,
            );
        }
    });
    Ok(quote! {
        #(#docs)*
        #[allow(non_camel_case_types)]
        #vis struct #name;

        #warning

        impl ::actix_web::dev::HttpServiceFactory for #name {
            fn register(self, __cors_config: &mut ::actix_web::dev::AppService) {
                const __CORS_POLICY: ::route_cors::__private::Policy = #policy;
                #(#statics)*
                #handler
                ::actix_web::dev::HttpServiceFactory::register(#name, __cors_config);
                #(::route_cors::__private::register_preflight(__cors_config, &#idents);)*
            }
        }
    })
}

/// A warning (not an error) when `max_age` is above Chromium's cap. Stable Rust has no warning
/// API for proc macros, so this is the usual trick: the use of a `#[deprecated]` item, spanned
/// at the literal, makes rustc print the note as a `deprecated` warning there.
/// `attrs` (lint levels) go on the item that holds it.
fn max_age_warning(checked: &validate::Checked, attrs: &TokenStream) -> TokenStream {
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
struct PolicyTokens<'a>(&'a validate::Checked);

impl ToTokens for PolicyTokens<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let p = self.0;
        let origins = match &p.origins {
            CheckedOrigins::Any => quote!(::route_cors::__private::Origins::Any),
            // Spanned at the user's path, so a wrong type is reported there.
            CheckedOrigins::Runtime(path) => quote_spanned! {path.span()=>
                ::route_cors::__private::Origins::Runtime(&#path)
            },
            CheckedOrigins::Set { exact, patterns } => {
                let exact: Vec<&str> = exact.iter().map(String::as_str).collect();
                let table = origin::table(&exact);
                let patterns = patterns.iter().filter_map(|p| match p {
                    OriginSpec::Subdomains { prefix, suffix } => Some(
                        quote!(::route_cors::__private::OriginPattern::Subdomains { prefix: #prefix, suffix: #suffix }),
                    ),
                    OriginSpec::AnyPort { prefix } => {
                        Some(quote!(::route_cors::__private::OriginPattern::AnyPort { prefix: #prefix }))
                    }
                    OriginSpec::Any | OriginSpec::Exact(_) => None,
                });
                quote!(::route_cors::__private::Origins::Set(
                    ::route_cors::__private::OriginSet::__new(&[#(#table),*], &[#(#patterns),*])
                ))
            }
        };
        let (allow, allow_value) = match &p.allow_headers {
            CheckedHeaders::None => (quote!(::route_cors::__private::AllowHeaders::None), None),
            CheckedHeaders::Any => (
                quote!(::route_cors::__private::AllowHeaders::Any),
                Some("*".to_owned()),
            ),
            CheckedHeaders::List(names) => (
                quote!(::route_cors::__private::AllowHeaders::List(&[#(#names),*])),
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
            ::route_cors::__private::Policy::__from_parts(
                #origins, #allow, #allow_value, #expose, #credentials, #max_age, #forward_refused,
            )
        });
    }
}

fn option(text: Option<String>) -> TokenStream {
    text.map_or_else(
        || quote!(::core::option::Option::None),
        |text| quote!(::core::option::Option::Some(#text)),
    )
}
