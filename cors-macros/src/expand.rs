//! Expand: a checked policy and the handler in, tokens out.
//!
//! `#[cors]` emits the actix-web resource itself rather than leaving it to actix-web's route
//! macro: the route's own resource answers its preflights (its method guard also accepts
//! them), so there is one router entry and one path match per request, and the route's guards
//! decide which route answers a preflight.

use cors_runtime::origin;
use cors_runtime::rules::origin::OriginSpec;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::args::{self, AttributeInput, PolicyInput, RouteKeys};
use crate::diag::error_at;
use crate::route::{self, Found, Handler, RouteAttr};
use crate::validate::{self, CheckedHeaders, CheckedOrigins};

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
    let parsed = args::parse_policy(args, &mut errors);
    let checked = errors
        .handle(parsed)
        .map(|keys| validate::validate(&keys, &mut errors));
    match (errors.finish(), checked) {
        (Ok(()), Some(checked)) => {
            let warning = max_age_warning(&checked, &TokenStream::new());
            let policy = PolicyTokens(&checked);
            quote!({ #warning #policy })
        }
        (result, _) => {
            let errors = result.err().map(darling::Error::write_errors);
            // A policy that refuses every origin stands in, so the constant still type-checks.
            quote! {{
                #errors
                ::route_cors::__private::Policy::__refusing_every_origin()
            }}
        }
    }
}

fn try_cors(args: TokenStream, item: TokenStream) -> darling::Result<TokenStream> {
    let Ok(handler) = syn::parse2::<Handler>(item.clone()) else {
        return Err(error_at(
            Span::call_site(),
            "`#[cors]` goes on an actix-web handler: an `async fn` with a route attribute such as `#[get(\"/path\")]`",
            None,
        ));
    };
    if let Some(again) = handler.attrs.iter().find(|a| route::is_cors(a)) {
        return Err(darling::Error::from(syn::Error::new_spanned(
            &again.meta,
            "`#[cors]` is given twice: a route has one policy\n= help: keep one `#[cors(...)]`; to share a policy between routes, name it with `policy!` and write `#[cors(NAME)]`",
        )));
    }
    let (routes, used) = match route::find(&handler.attrs) {
        Found::Routes { routes, used } => (routes, used),
        Found::None => {
            return Err(error_at(
                Span::call_site(),
                "`#[cors]` found no route attribute below it",
                Some(
                    "put `#[cors(...)]` above `#[get(\"/path\")]` (or `#[post]`, `#[route]`, `#[routes]`, ...): attributes expand from the top, so one placed below the route attribute never sees it",
                ),
            ));
        }
        // actix-web reports its own argument errors: hand it the handler as written.
        Found::Malformed => return Ok(item),
    };
    if !handler.returns {
        // actix-web says it best: "Function has no return type. Cannot be used as handler".
        return Ok(item);
    }

    let mut errors = darling::Error::accumulator();
    let parsed = args::parse_attribute(args, &mut errors);
    let parsed = errors.handle(parsed);
    let mut warning = TokenStream::new();
    let (policy, keys) = match parsed {
        Some(AttributeInput {
            policy: PolicyInput::Keys(keys),
            route,
        }) => {
            let checked = validate::validate(&keys, &mut errors);
            // Lint levels set on the handler cover the warning (`#[allow(deprecated)]`).
            let lints = handler.attrs.iter().filter(|a| {
                ["allow", "warn", "deny", "forbid"]
                    .iter()
                    .any(|l| a.path().is_ident(l))
            });
            warning = max_age_warning(&checked, &quote!(#(#lints)*));
            (Some(PolicyTokens(&checked).into_token_stream()), route)
        }
        // A wrong type is reported by rustc on the user's path.
        Some(AttributeInput {
            policy: PolicyInput::Named(path),
            route,
        }) => (Some(quote_spanned!(path.span()=> #path)), route),
        None => (None, RouteKeys::default()),
    };
    // A method or path actix-web would refuse (or panic on): say why on the literal, and stand
    // in for the route, since handing its attribute back would add actix-web's error to ours.
    // The stand-in keeps `App::service(handler)` type-checking.
    let mut bad_route = darling::Error::accumulator();
    for route in &routes {
        validate::check_methods(&route.methods, &mut bad_route);
        validate::check_path(&route.path, &mut bad_route);
    }
    if let Err(bad) = bad_route.finish() {
        let mut out = errors
            .finish()
            .err()
            .map(darling::Error::write_errors)
            .unwrap_or_default();
        out.extend(bad.write_errors());
        out.extend(stand_in(&handler, &used));
        return Ok(out);
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
    Ok(Expansion {
        handler: &handler,
        used: &used,
        resources: &resources(&routes),
        policy,
        keys: &keys,
        warning,
    }
    .into_token_stream())
}

/// The handler's unit struct with a `register` that registers nothing, for a route that could
/// not be expanded: the handler's body is still checked, and no error follows from the one
/// already reported.
fn stand_in(handler: &Handler, used: &[usize]) -> TokenStream {
    let Handler {
        attrs,
        vis,
        sig,
        name,
        body,
        ..
    } = handler;
    let kept = attrs
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, a)| a);
    let route_macro = used.first().map(|&i| attrs[i].path()).into_iter();
    quote! {
        #[allow(non_camel_case_types)]
        #vis struct #name;
        impl ::actix_web::dev::HttpServiceFactory for #name {
            fn register(self, _: &mut ::actix_web::dev::AppService) {
                #(#[allow(unused_imports)] use #route_macro as _;)*
                #(#kept)*
                #[allow(dead_code)]
                #vis #sig #body
            }
        }
    }
}

/// The resources to register: one per route attribute, except that attributes under
/// `#[routes]` which differ only by method share one.
fn resources(routes: &[RouteAttr]) -> Vec<Resource<'_>> {
    let mut out: Vec<Resource<'_>> = Vec::new();
    for route in routes {
        match out.iter_mut().find(|r| r.attr.same_resource(route)) {
            Some(resource) => {
                for (method, _) in &route.methods {
                    if !resource.methods.contains(method) {
                        resource.methods.push(method.clone());
                    }
                }
            }
            None => out.push(Resource {
                attr: route,
                methods: route.methods.iter().map(|(m, _)| m.clone()).collect(),
            }),
        }
    }
    out
}

/// One resource: a route attribute and the methods it serves.
struct Resource<'a> {
    attr: &'a RouteAttr,
    methods: Vec<String>,
}

/// The whole output: the handler's unit struct and its `HttpServiceFactory`.
struct Expansion<'a> {
    handler: &'a Handler,
    /// Indices of the route attributes in `handler.attrs`.
    used: &'a [usize],
    resources: &'a [Resource<'a>],
    /// A constant expression of type `Policy`.
    policy: TokenStream,
    keys: &'a RouteKeys,
    warning: TokenStream,
}

impl ToTokens for Expansion<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let Handler {
            attrs,
            vis,
            sig,
            name,
            body,
            ..
        } = self.handler;
        let is = |a: &syn::Attribute, n: &str| a.path().is_ident(n);
        let docs = attrs.iter().filter(|a| is(a, "doc"));
        // A `#[cfg]` on the handler removes the route with it.
        let cfgs: Vec<_> = attrs.iter().filter(|a| is(a, "cfg")).collect();
        let kept = attrs
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.used.contains(i))
            .map(|(_, a)| a);
        // The route macro is no longer expanded, so its import would look unused. (Under
        // `#[routes]`, actix-web reads the method attributes itself: rustc never resolves them.)
        let route_macros = self.used.first().map(|&i| attrs[i].path()).into_iter();
        let policy = &self.policy;
        let warning = &self.warning;
        let name_str = name.to_string();
        let registrations = self
            .resources
            .iter()
            .enumerate()
            .map(|(i, resource)| Registration {
                ident: format_ident!("__CORS_ROUTE_{}", i),
                handler: name,
                handler_name: &name_str,
                resource,
                skip_guards: self.keys.preflights_skip_guards.is_present(),
            });
        tokens.extend(quote! {
            #(#docs)*
            #(#cfgs)*
            #[allow(non_camel_case_types)]
            #vis struct #name;

            #(#cfgs)*
            #warning

            #(#cfgs)*
            impl ::actix_web::dev::HttpServiceFactory for #name {
                fn register(self, __cors_config: &mut ::actix_web::dev::AppService) {
                    #(#[allow(unused_imports)] use #route_macros as _;)*
                    const __CORS_POLICY: ::route_cors::__private::Policy = #policy;
                    #(#kept)*
                    #vis #sig #body
                    #(#registrations)*
                }
            }
        });
    }
}

/// One resource's `static CorsRoute` and its registration.
struct Registration<'a> {
    ident: syn::Ident,
    handler: &'a syn::Ident,
    handler_name: &'a str,
    resource: &'a Resource<'a>,
    skip_guards: bool,
}

impl ToTokens for Registration<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let Self {
            ident,
            handler,
            handler_name,
            ..
        } = self;
        let attr = self.resource.attr;
        let path = &attr.path;
        let methods = &self.resource.methods;
        let allow = methods.join(", ");
        let resource_name = attr
            .name
            .as_ref()
            .map_or_else(|| handler_name.to_string(), syn::LitStr::value);
        let guards = attr.guards.iter().map(|g| {
            let guard = quote!(::actix_web::guard::fn_guard(#g));
            if self.skip_guards {
                quote!(::route_cors::__private::SkippedByPreflights(#guard))
            } else {
                guard
            }
        });
        let wraps = &attr.wraps;
        tokens.extend(quote! {
            static #ident: ::route_cors::__private::CorsRoute = ::route_cors::__private::CorsRoute::__new(
                __CORS_POLICY, #handler_name, #path, &[#(#methods),*], #allow,
            );
            ::route_cors::__private::register(
                __cors_config,
                &#ident,
                ::route_cors::__private::resource(&#ident, #resource_name)
                    #(.guard(#guards))*
                    #(.wrap(#wraps))*,
                #handler,
            );
        });
    }
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
            CheckedOrigins::Runtime(path) => {
                let name = quote!(#path).to_string().replace(' ', "");
                quote_spanned! {path.span()=>
                    ::route_cors::__private::Origins::Runtime { list: &#path, name: #name }
                }
            }
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
