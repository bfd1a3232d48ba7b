//! Expand: a checked policy and the handler in, tokens out.
//!
//! `#[cors]` emits the actix-web resource itself rather than leaving it to actix-web's route
//! macro: the route's own resource answers its preflights (its method guard also accepts
//! them), so there is one router entry and one path match per request, and the route's guards
//! decide which route answers a preflight.

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::args::{self, AttributeInput, PolicyInput, RouteSettings};
use crate::diag::error_at;
use crate::route::{self, Found, Handler};
use crate::validate;

mod handler;
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
                ::route_cors::__private::Policy::__refusing_every_origin()
            }}
        }
    }
}

fn try_cors(args: TokenStream, item: TokenStream) -> darling::Result<TokenStream> {
    let Ok(handler) = syn::parse2::<Handler>(item) else {
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
        // Fail closed: what `#[cors]` cannot read never compiles as a route without CORS. The
        // stand-in takes the route attributes away, so actix-web adds no error of its own.
        Found::Unreadable { error, used } => {
            let mut out = error.to_compile_error();
            out.extend(stand_in(&handler, &used));
            return Ok(out);
        }
    };
    if !handler.returns() {
        let mut out = syn::Error::new_spanned(
            &handler.sig,
            "a handler returns its response\n= help: add a return type, e.g. `-> impl actix_web::Responder`",
        )
        .to_compile_error();
        out.extend(stand_in(&handler, &used));
        return Ok(out);
    }

    let mut errors = darling::Error::accumulator();
    let key = args.to_string();
    let mut warning = TokenStream::new();
    let (policy, settings) = if let Some((kept, skip_guards)) = checked_before(&key) {
        (
            Some(kept.tokens()),
            RouteSettings::with_preflights_skipping_guards(skip_guards),
        )
    } else {
        let parsed = args::parse_attribute(args, &mut errors);
        read_policy(
            errors.handle(parsed),
            &handler,
            key,
            &mut errors,
            &mut warning,
        )
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
        settings: &settings,
        warning,
    }
    .into_token_stream())
}

/// The policy tokens and route settings of freshly read arguments, kept for the next route with
/// the same arguments when they check cleanly; the warning for a `max_age` above Chromium's cap
/// goes to `warning`.
fn read_policy(
    parsed: Option<AttributeInput>,
    handler: &Handler,
    key: String,
    errors: &mut darling::error::Accumulator,
    warning: &mut TokenStream,
) -> (Option<TokenStream>, RouteSettings) {
    match parsed {
        Some(AttributeInput {
            policy: PolicyInput::Keys(keys),
            route,
        }) => {
            // Whether the keys read and check cleanly, which decides whether they are kept.
            let earlier = std::mem::replace(errors, darling::Error::accumulator()).finish();
            let mut clean = earlier.is_ok();
            if let Err(e) = earlier {
                errors.push(e);
            }
            let mut policy_errors = darling::Error::accumulator();
            let checked = validate::validate(&keys, &mut policy_errors);
            if let Err(e) = policy_errors.finish() {
                clean = false;
                errors.push(e);
            }
            // Lint levels set on the handler cover the warning (`#[allow(deprecated)]`).
            let lints = handler.attrs.iter().filter(|a| {
                ["allow", "warn", "deny", "forbid"]
                    .iter()
                    .any(|l| a.path().is_ident(l))
            });
            *warning = max_age_warning(&checked, &quote!(#(#lints)*));
            // Spans matter only for a warning and for a run-time list's path.
            if clean
                && warning.is_empty()
                && let Some(kept) = Kept::of(&checked)
            {
                remember(key, kept, route.preflights_skip_guards.is_present());
            }
            (Some(PolicyTokens(&checked).into_token_stream()), route)
        }
        // A wrong type is reported by rustc on the user's path.
        Some(AttributeInput {
            policy: PolicyInput::Named(path),
            route,
        }) => (Some(quote_spanned!(path.span()=> #path)), route),
        None => (None, RouteSettings::default()),
    }
}

/// Policies checked earlier in this compilation, by the text of the `#[cors(...)]` arguments,
/// with their `preflights_skip_guards`. The macro is a pure function of its input, so a crate
/// whose routes repeat one inline policy reads and checks it once (darling, the origin rules),
/// not once per route. Kept only for policies that check cleanly, with no warning and no path
/// of the user's (whose span a type error would point at); what is kept holds no span, and
/// the tokens made from it have the call site's, as `quote!` gives them.
static CHECKED: std::sync::LazyLock<std::sync::Mutex<HashMap<String, (Kept, bool)>>> =
    std::sync::LazyLock::new(Default::default);

fn checked_before(key: &str) -> Option<(Kept, bool)> {
    CHECKED.lock().ok()?.get(key).cloned()
}

fn remember(key: String, kept: Kept, skip_guards: bool) {
    if let Ok(mut checked) = CHECKED.lock() {
        checked.insert(key, (kept, skip_guards));
    }
}

/// A checked policy as the text of its tokens: what [`CHECKED`] keeps. Parsing the text back
/// is one call into the compiler, where quoting the policy again is one per token, and in an
/// unoptimized proc macro (as `cargo check` builds it) quoting is most of a route's expansion.
#[derive(Clone)]
struct Kept(String);

/// Generated Rust source as tokens with the call site's span, as `quote!` would give them. Lexed
/// by the compiler when there is one: `proc_macro2`'s own parse lexes the text itself first,
/// which in an unoptimized proc macro costs as much as quoting it.
fn lex(text: &str) -> TokenStream {
    const OURS: &str = "the macro's own generated source lexes";
    if proc_macro::is_available() {
        let lexed: proc_macro::TokenStream = text.parse().expect(OURS);
        lexed.into()
    } else {
        text.parse().expect(OURS)
    }
}

impl Kept {
    /// `None` when the policy names a run-time list: its path carries the user's span.
    fn of(checked: &validate::CheckedPolicy) -> Option<Self> {
        if let validate::CheckedOrigins::Runtime(_) = checked.origins {
            return None;
        }
        Some(Self(PolicyTokens(checked).to_token_stream().to_string()))
    }

    /// The policy's tokens, spanned at the call site as `quote!` spans them.
    fn tokens(&self) -> TokenStream {
        lex(&self.0)
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

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn expand(args: TokenStream) -> String {
        cors(
            args,
            quote!(
                #[get("/x")]
                async fn x() -> &'static str {
                    ""
                }
            ),
        )
        .to_string()
    }

    #[test]
    fn a_policy_repeated_by_routes_is_read_once_and_expands_the_same() {
        let args = quote!(
            origins = "https://cache.example.com",
            allow_headers = "x-cached"
        );
        let first = expand(args.clone());
        assert!(checked_before(&args.to_string()).is_some(), "kept");
        assert_eq!(expand(args), first, "the same tokens, read from the cache");
    }

    #[test]
    fn what_needs_its_spans_is_not_kept() {
        for args in [
            // An error: its spans point at the mistake.
            quote!(origins = "https://Cache.example.com/"),
            // A warning, spanned at the literal.
            quote!(origins = "https://warn.example.com", max_age = 86400),
            // A run-time list's path, where a type error would point.
            quote!(origins = runtime(LIST)),
        ] {
            let first = expand(args.clone());
            assert!(checked_before(&args.to_string()).is_none(), "{args}");
            assert_eq!(expand(args), first);
        }
        assert!(expand(quote!(origins = "https://Cache.example.com/")).contains("compile_error"));
    }
}
