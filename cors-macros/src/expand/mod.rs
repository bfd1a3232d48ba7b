//! Expand: a checked policy and the handler in, tokens out.
//!
//! `#[cors]` emits the actix-web resource itself rather than leaving it to actix-web's route
//! macro: the route's own resource answers its preflights (its method guard also accepts
//! them), so there is one router entry and one path match per request, and the route's guards
//! decide which route answers a preflight.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::args::{self, AttributeInput, PolicyInput, RouteSettings};
use crate::diag::error_at;
use crate::route_attrs::{self, Found, Handler};
use crate::validate;

mod handler;
mod memo;
mod policy;
#[cfg(test)]
mod snapshots;

use handler::{Expansion, resources};
use policy::{PolicyTokens, max_age_warning};

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
            quote!({
                use ::route_cors::__private as __cors;
                #warning
                #policy
            })
        }
        (result, _) => {
            let errors = result.err().map(darling::Error::write_errors);
            // A policy that refuses every origin stands in, so the constant still type-checks.
            quote! {{
                #errors
                ::route_cors::__private::Policy::REFUSING_EVERY_ORIGIN
            }}
        }
    }
}

fn try_cors(args: TokenStream, item: TokenStream) -> darling::Result<TokenStream> {
    let (handler, routes, used) = match read_handler(item)? {
        Ok(read) => read,
        // Fail closed: a route `#[cors]` cannot read compiles as an error and a stand-in.
        Err(out) => return Ok(out),
    };
    let key = args.to_string();
    let mut errors = darling::Error::accumulator();
    let Read {
        policy,
        settings,
        warning,
        written,
        ..
    } = if let Some((tokens, kept)) =
        memo::get(&key).and_then(|kept| Some((memo::lex(&kept.tokens)?, kept)))
    {
        Read {
            policy: Some(tokens),
            settings: RouteSettings::with_preflights_skipping_guards(kept.preflights_skip_guards),
            warning: TokenStream::new(),
            written: Written::Inline,
        }
    } else {
        let mut reading = darling::Error::accumulator();
        let parsed = args::parse_attribute(args, &mut reading);
        let read = read_policy(reading.handle(parsed), &handler, &mut reading);
        match reading.finish() {
            Ok(()) => remember(key, &read),
            Err(e) => errors.push(e),
        }
        read
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
        policy_names_a_static: written == Written::WithRuntimeList,
        settings: &settings,
        warning,
    }
    .into_token_stream())
}

/// Keeps a freshly read inline policy for the next route with the same arguments (see `memo`):
/// only one that read and checked cleanly (its caller says), with no warning. A named policy is a path of the
/// user's, whose span a type error points at: not kept.
fn remember(key: String, read: &Read) {
    let clean = read.warning.is_empty() && read.written == Written::Inline;
    if let (true, Some(policy)) = (clean, &read.policy) {
        memo::keep(
            key,
            memo::Kept {
                tokens: policy.to_string(),
                preflights_skip_guards: read.settings.preflights_skip_guards.is_present(),
            },
        );
    }
}

/// The handler and its route attributes (with their indices among its attributes); `Ok(Err)`
/// with the error and the handler's stand-in when a route is there but cannot be read, so that
/// what `#[cors]` cannot read never compiles as a route without CORS (the stand-in takes the
/// route attributes away, so actix-web adds no error of its own).
#[allow(clippy::type_complexity)]
fn read_handler(
    item: TokenStream,
) -> darling::Result<Result<(Handler, Vec<route_attrs::RouteAttr>, Vec<usize>), TokenStream>> {
    let Ok(handler) = Handler::read(item) else {
        return Err(error_at(
            Span::call_site(),
            "`#[cors]` goes on an actix-web handler: an `async fn` with a route attribute such as `#[get(\"/path\")]`",
            None,
        ));
    };
    if let Some(again) = handler.attrs.iter().find(|a| route_attrs::is_cors(a)) {
        return Err(darling::Error::from(syn::Error::new_spanned(
            &again.meta,
            "`#[cors]` is given twice: a route has one policy\n= help: keep one `#[cors(...)]`; to share a policy between routes, name it with `policy!` and write `#[cors(NAME)]`",
        )));
    }
    let (routes, used) = match route_attrs::find(&handler.attrs) {
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
        Found::Unreadable { error, used } => {
            let mut out = error.to_compile_error();
            out.extend(stand_in(&handler, &used));
            return Ok(Err(out));
        }
    };
    if !handler.returns() {
        let mut out = syn::Error::new_spanned(
            &handler.sig,
            "a handler returns its response\n= help: add a return type, e.g. `-> impl actix_web::Responder`",
        )
        .to_compile_error();
        out.extend(stand_in(&handler, &used));
        return Ok(Err(out));
    }
    Ok(Ok((handler, routes, used)))
}

/// What the arguments of a `#[cors]` say: the policy as a constant expression of type
/// `Policy` (`None` when they did not parse), the route settings, and the warning for a
/// `max_age` above Chromium's cap.
struct Read {
    policy: Option<TokenStream>,
    settings: RouteSettings,
    warning: TokenStream,
    written: Written,
}

/// How the policy is written in the attribute.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Written {
    /// Inline, without a run-time list: what the memo may keep.
    Inline,
    /// Inline, naming a run-time list (a `static` of the user's, whose path the memo cannot
    /// keep): it goes through a `const` first, since a route literal that names a static is not
    /// promoted to static memory.
    WithRuntimeList,
    /// A named policy (a path of the user's), or arguments that did not parse.
    Elsewhere,
}

/// Checks the policy of parsed arguments, its errors going to `errors`.
fn read_policy(
    parsed: Option<AttributeInput>,
    handler: &Handler,
    errors: &mut darling::error::Accumulator,
) -> Read {
    match parsed {
        Some(AttributeInput {
            policy: PolicyInput::Keys(keys),
            route,
        }) => {
            let checked = validate::validate(&keys, errors);
            // Lint levels set on the handler cover the warning (`#[allow(deprecated)]`).
            let lints = handler.attrs.iter().filter(|a| {
                ["allow", "warn", "deny", "forbid"]
                    .iter()
                    .any(|l| a.path().is_ident(l))
            });
            Read {
                policy: Some(PolicyTokens(&checked).into_token_stream()),
                settings: route,
                warning: max_age_warning(&checked, &quote!(#(#lints)*)),
                written: if matches!(checked.origins, validate::CheckedOrigins::Runtime(_)) {
                    Written::WithRuntimeList
                } else {
                    Written::Inline
                },
            }
        }
        // A wrong type is reported by rustc on the user's path.
        Some(AttributeInput {
            policy: PolicyInput::Named(path),
            route,
        }) => Read {
            policy: Some(quote_spanned!(path.span()=> #path)),
            settings: route,
            warning: TokenStream::new(),
            written: Written::Elsewhere,
        },
        None => Read {
            policy: None,
            settings: RouteSettings::default(),
            warning: TokenStream::new(),
            written: Written::Elsewhere,
        },
    }
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
    // Every route macro named, so that no import of one goes unused.
    let route_macro = used.iter().map(|&i| attrs[i].path());
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
