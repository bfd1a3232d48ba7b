//! The handler's expansion: its unit struct, and in its `register` the policy, the handler, and
//! for each resource a `&'static CorsRoute` literal and its registration.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use super::policy::NamesTokens;
use crate::args::RouteSettings;
use crate::route_attrs::{Handler, RouteAttr};

/// The resources to register: one per route attribute, except that attributes under
/// `#[routes]` which differ only by method share one.
pub(super) fn resources(routes: &[RouteAttr]) -> Vec<Resource<'_>> {
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
pub(super) struct Resource<'a> {
    attr: &'a RouteAttr,
    methods: Vec<String>,
}

/// The whole output: the handler's unit struct and its `HttpServiceFactory`.
pub(super) struct Expansion<'a> {
    pub(super) handler: &'a Handler,
    /// Indices of the route attributes in `handler.attrs`.
    pub(super) used: &'a [usize],
    pub(super) resources: &'a [Resource<'a>],
    /// A constant expression of type `Policy`.
    pub(super) policy: TokenStream,
    /// `policy` names a `static` (a run-time list).
    pub(super) policy_names_a_static: bool,
    pub(super) settings: &'a RouteSettings,
    pub(super) warning: TokenStream,
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
        // The route macro is no longer expanded, so an import of it (`#[get]` after
        // `use actix_web::get`) would look unused; a path of several segments imports nothing,
        // and one item fewer per route is less for the compiler. (Under `#[routes]`, actix-web
        // reads the method attributes itself: rustc never resolves them.)
        let route_macros = self
            .used
            .first()
            .map(|&i| attrs[i].path())
            .filter(|path| path.segments.len() == 1 && path.leading_colon.is_none())
            .into_iter();
        let warning = &self.warning;
        let name_str = name.to_string();
        // One resource, the usual case, takes the policy inline; several share a `const`, as
        // does a policy that names a `static` (a run-time list), which would keep the route's
        // literal from being promoted. One item fewer per route is less for the compiler to
        // track (incremental compilation).
        let (shared, policy) = if self.resources.len() == 1 && !self.policy_names_a_static {
            (None, self.policy.clone())
        } else {
            let policy = &self.policy;
            (
                Some(quote!(const __CORS_POLICY: __cors::Policy = #policy;)),
                quote!(__CORS_POLICY),
            )
        };
        let registrations = self
            .resources
            .iter()
            .enumerate()
            .map(|(i, resource)| Registration {
                ident: format_ident!("__cors_route_{}", i),
                handler: name,
                handler_name: &name_str,
                policy: &policy,
                resource,
                skip_guards: self.settings.preflights_skip_guards.is_present(),
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
                    use ::route_cors::__private as __cors;
                    #(#[allow(unused_imports)] use #route_macros as _;)*
                    #shared
                    #(#kept)*
                    #vis #sig #body
                    #(#registrations)*
                }
            }
        });
    }
}

/// The methods with a `Names` constant of their own in the runtime (`Names::GET`): a route
/// that serves one of them alone names it rather than building its header value again.
const STANDARD_METHODS: [&str; 9] = [
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT",
];

/// One resource's `CorsRoute` and its registration.
///
/// The route is a struct literal behind `&`: constant data with nothing to drop, which the
/// compiler promotes to static memory where it is written. A `static` item per route costs the
/// compiler about half as much again (an item of its own to check and evaluate: BENCHMARKS.md,
/// "A route's contract without a `static` item").
struct Registration<'a> {
    ident: syn::Ident,
    handler: &'a syn::Ident,
    handler_name: &'a str,
    /// A constant expression of type `Policy`.
    policy: &'a TokenStream,
    resource: &'a Resource<'a>,
    skip_guards: bool,
}

impl ToTokens for Registration<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let Self {
            ident,
            handler,
            handler_name,
            policy,
            ..
        } = self;
        let attr = self.resource.attr;
        let path = &attr.path;
        let methods = match self.resource.methods.as_slice() {
            [one] if STANDARD_METHODS.contains(&one.as_str()) => {
                let one = quote::format_ident!("{}", one);
                quote!(__cors::Names::#one)
            }
            all => NamesTokens(all).into_token_stream(),
        };
        let resource_name = attr
            .name
            .as_ref()
            .map_or_else(|| handler_name.to_string(), syn::LitStr::value);
        let guards = attr.guards.iter().map(|guard| {
            let name = guard.to_token_stream().to_string().replace(' ', "");
            quote!(__cors::Guard { name: #name, check: #guard })
        });
        let skip_guards = self.skip_guards;
        let location = location();
        // A route without `wrap = ...` takes the short call, whose bounds are the handler's alone.
        let register = if attr.wraps.is_empty() {
            quote!(__cors::register(__cors_config, #ident, #resource_name, #handler);)
        } else {
            let wraps = &attr.wraps;
            quote! {
                __cors::register_wrapped(
                    __cors_config,
                    #ident,
                    __cors::resource(#ident, #resource_name) #(.wrap(#wraps))*,
                    #handler,
                );
            }
        };
        tokens.extend(quote! {
            let #ident: &'static __cors::CorsRoute = &__cors::CorsRoute {
                policy: #policy,
                handler: __cors::HandlerSource {
                    name: #handler_name,
                    module: __cors::module_path!(),
                    #location
                },
                path: #path,
                methods: #methods,
                guards: &[#(#guards),*],
                preflights_skip_guards: #skip_guards,
            };
            #register
        });
    }
}

/// The `file` and `line` fields of the route's `HandlerSource`: where its `#[cors]` is, as
/// literals when the compiler says (a macro call per route costs it more), else as `file!()` and
/// `line!()` (outside a compiler: the expansion snapshots).
fn location() -> TokenStream {
    if proc_macro::is_available() {
        let span = proc_macro::Span::call_site();
        let (file, line) = (span.file(), u32::try_from(span.line()).unwrap_or(0));
        quote!(file: #file, line: #line,)
    } else {
        quote!(file: __cors::file!(), line: __cors::line!(),)
    }
}
