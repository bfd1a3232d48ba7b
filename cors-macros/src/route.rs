//! Reading the actix-web route attribute(s) below `#[cors]`: their paths and methods, and adding
//! our guard as their outermost `wrap`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{Attribute, LitStr, Meta, MetaNameValue, Token};

/// actix-web's method attributes, and the method each stands for.
const METHOD_ATTRS: &[(&str, &str)] = &[
    ("get", "GET"),
    ("post", "POST"),
    ("put", "PUT"),
    ("patch", "PATCH"),
    ("delete", "DELETE"),
    ("head", "HEAD"),
    ("options", "OPTIONS"),
    ("trace", "TRACE"),
    ("connect", "CONNECT"),
    ("query", "QUERY"),
];

/// One route attribute: `#[get("/p", ...)]`, `#[route("/p", method = "GET", ...)]`, or one of the
/// method attributes under `#[routes]`.
pub struct RouteAttr {
    /// Index in the item's attributes.
    pub index: usize,
    pub path: LitStr,
    /// The methods, each with the token that names it.
    pub methods: Vec<(String, proc_macro2::Span)>,
    options: Punctuated<MetaNameValue, Token![,]>,
}

/// The arguments of a route attribute, as actix-web reads them.
struct RouteArgs {
    path: LitStr,
    options: Punctuated<MetaNameValue, Token![,]>,
}

impl syn::parse::Parse for RouteArgs {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let path = input.parse()?;
        let options = if input.is_empty() {
            Punctuated::new()
        } else {
            input.parse::<Token![,]>()?;
            Punctuated::parse_terminated(input)?
        };
        Ok(Self { path, options })
    }
}

fn last_ident(attr: &Attribute) -> Option<String> {
    attr.path().segments.last().map(|s| s.ident.to_string())
}

/// What was found on the item.
pub enum Found {
    /// Route attributes to decorate.
    Routes(Vec<RouteAttr>),
    /// No route attribute at all: `#[cors]` is below one, or on a plain function.
    None,
    /// A route attribute actix-web will reject itself (bad arguments): leave it to actix.
    Malformed,
}

/// Finds the route attribute(s) of a handler.
pub fn find(attrs: &[Attribute]) -> Found {
    let routes_mode = attrs
        .iter()
        .any(|a| last_ident(a).as_deref() == Some("routes"));
    let mut found = Vec::new();
    for (index, attr) in attrs.iter().enumerate() {
        let Some(name) = last_ident(attr) else {
            continue;
        };
        let method = METHOD_ATTRS
            .iter()
            .find(|(attr, _)| *attr == name)
            .map(|(_, m)| *m);
        // Under `#[routes]`, actix-web only reads bare method attributes.
        if routes_mode && !attr.path().is_ident(&name) {
            continue;
        }
        if method.is_none() && (name != "route" || routes_mode) {
            continue;
        }
        let Ok(args) = attr.parse_args::<RouteArgs>() else {
            return Found::Malformed;
        };
        let mut methods = Vec::new();
        if let Some(m) = method {
            methods.push((
                m.to_owned(),
                attr.path()
                    .segments
                    .last()
                    .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span()),
            ));
        }
        for option in &args.options {
            if option.path.is_ident("method") {
                match &option.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => methods.push((s.value(), s.span())),
                    _ => return Found::Malformed,
                }
            }
        }
        if methods.is_empty() {
            return Found::Malformed;
        }
        found.push(RouteAttr {
            index,
            path: args.path,
            methods,
            options: args.options,
        });
    }
    if found.is_empty() {
        Found::None
    } else {
        Found::Routes(found)
    }
}

impl RouteAttr {
    /// The same attribute with `wrap = "<guard>"` appended: the last `wrap` is the outermost.
    pub fn with_guard(&self, attr: &Attribute, guard: &str) -> Attribute {
        let path = &self.path;
        let options = self.options.iter();
        let guard = LitStr::new(guard, proc_macro2::Span::call_site());
        let tokens: TokenStream = quote!(#path, #(#options,)* wrap = #guard);
        let mut attr = attr.clone();
        if let Meta::List(list) = &mut attr.meta {
            list.tokens = tokens;
        }
        attr
    }
}
