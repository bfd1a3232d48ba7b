//! Parse, the handler half: the function `#[cors]` sits on and its actix-web route attribute(s),
//! read the way actix-web-codegen reads them. The function's body is kept as opaque tokens:
//! nothing here parses it.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Ident, Lit, LitStr, MetaNameValue, Token, Visibility};

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

/// The function under `#[cors]`: its attributes, visibility, signature (parsed, as
/// tokio-macros does) and body (opaque tokens).
pub struct Handler {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: syn::Signature,
    pub name: Ident,
    /// The `{ ... }` group.
    pub body: TokenTree,
}

impl Handler {
    /// Whether the function returns something: actix-web refuses a handler that does not.
    pub fn returns(&self) -> bool {
        !matches!(self.sig.output, syn::ReturnType::Default)
    }
}

impl Handler {
    /// Reads the function `item`. Its body, the last token tree, is split off before anything is
    /// parsed, so that its tokens are never copied into a parse buffer: a long handler costs no
    /// more to read than a short one.
    pub fn read(item: TokenStream) -> syn::Result<Self> {
        let mut trees: Vec<TokenTree> = item.into_iter().collect();
        let body = match trees.pop() {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => TokenTree::Group(g),
            Some(other) => {
                return Err(syn::Error::new(
                    other.span(),
                    "expected the function's body",
                ));
            }
            None => return Err(syn::Error::new(Span::call_site(), "expected a function")),
        };
        let Head { attrs, vis, sig } = syn::parse2(trees.into_iter().collect())?;
        Ok(Self {
            attrs,
            vis,
            name: sig.ident.clone(),
            sig,
            body,
        })
    }
}

/// What comes before a function's body: its attributes, visibility and signature.
struct Head {
    attrs: Vec<Attribute>,
    vis: Visibility,
    sig: syn::Signature,
}

impl Parse for Head {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: syn::Signature = input.parse()?;
        if !input.is_empty() {
            return Err(input.error("expected one function"));
        }
        Ok(Self { attrs, vis, sig })
    }
}

/// One route attribute: `#[get("/p", ...)]`, `#[route("/p", method = "GET", ...)]`, or one of
/// the method attributes under `#[routes]`.
pub struct RouteAttr {
    pub path: LitStr,
    /// The methods, each with the token that names it.
    pub methods: Vec<(String, Span)>,
    /// `name = "..."`, when given (the resource is named after the handler otherwise).
    pub name: Option<LitStr>,
    /// `guard = "path"`, in order.
    pub guards: Vec<syn::Path>,
    /// `wrap = "expr"`, in order (the last is the outermost).
    pub wraps: Vec<Expr>,
}

impl RouteAttr {
    /// Whether two attributes make the same resource but for their methods, so that one
    /// resource serves both (`#[routes]` with `#[get("/p")]` and `#[post("/p")]`).
    pub fn same_resource(&self, other: &Self) -> bool {
        use quote::ToTokens;
        let tokens = |a: &Self| {
            (
                a.path.value(),
                a.name.as_ref().map(LitStr::value),
                a.guards
                    .iter()
                    .map(|g| g.to_token_stream().to_string())
                    .collect::<Vec<_>>(),
                a.wraps
                    .iter()
                    .map(|w| w.to_token_stream().to_string())
                    .collect::<Vec<_>>(),
            )
        };
        tokens(self) == tokens(other)
    }
}

/// What was found on the handler.
pub enum Found {
    /// Route attributes, and the indices of the attributes that are route-macro attributes
    /// (`#[routes]` included), to remove from the handler.
    Routes {
        routes: Vec<RouteAttr>,
        used: Vec<usize>,
    },
    /// No route attribute at all: `#[cors]` is below one, or on a plain function.
    None,
    /// Route attributes `#[cors]` cannot read, and the indices of all of them: a route must
    /// never compile without the CORS it asked for, so this is an error, even where a later
    /// actix-web would accept the attribute.
    Unreadable { error: syn::Error, used: Vec<usize> },
}

/// Route-macro names (`get`... `route`, `routes`) actix-web-codegen reads.
fn is_route_macro(name: &str) -> bool {
    name == "route" || name == "routes" || METHOD_ATTRS.iter().any(|(a, _)| *a == name)
}

fn last_ident(attr: &Attribute) -> Option<String> {
    attr.path().segments.last().map(|s| s.ident.to_string())
}

/// Whether `attr` is another `#[cors]`.
pub fn is_cors(attr: &Attribute) -> bool {
    last_ident(attr).as_deref() == Some("cors")
}

/// Finds the route attribute(s) of a handler, as actix-web-codegen reads them.
pub fn find(attrs: &[Attribute]) -> Found {
    let routes_at = attrs
        .iter()
        .position(|a| last_ident(a).as_deref() == Some("routes"));
    let mut routes = Vec::new();
    let mut used = Vec::from_iter(routes_at);
    for (index, attr) in attrs.iter().enumerate() {
        let Some(name) = last_ident(attr) else {
            continue;
        };
        let method = METHOD_ATTRS
            .iter()
            .find(|(a, _)| *a == name)
            .map(|&(_, m)| m);
        let is_route = routes_at.is_none() && name == "route";
        // Under `#[routes]`, actix-web only reads bare method attributes.
        let is_method = method.is_some() && (routes_at.is_none() || attr.path().is_ident(&name));
        if !is_route && !is_method {
            continue;
        }
        match read(attr, method) {
            Ok(route) => routes.push(route),
            Err(error) => return unreadable(attrs, error),
        }
        used.push(index);
    }
    match (routes.len(), routes_at) {
        (0, None) => Found::None,
        (0, Some(at)) => unreadable(
            attrs,
            syn::Error::new_spanned(
                &attrs[at],
                "`#[routes]` needs method attributes below it\n= help: add `#[get(\"/path\")]` (or `#[post]`, ...) under `#[routes]`",
            ),
        ),
        (n, None) if n > 1 => unreadable(
            attrs,
            syn::Error::new_spanned(
                &attrs[used[1]],
                "a handler has one route attribute\n= help: for several, put `#[routes]` above them",
            ),
        ),
        _ => Found::Routes { routes, used },
    }
}

/// `error`, with every route-macro attribute of `attrs` to leave out of the stand-in.
fn unreadable(attrs: &[Attribute], error: syn::Error) -> Found {
    let used = attrs
        .iter()
        .enumerate()
        .filter(|(_, a)| last_ident(a).is_some_and(|n| is_route_macro(&n)))
        .map(|(i, _)| i)
        .collect();
    Found::Unreadable { error, used }
}

/// The arguments of a route attribute, as actix-web-codegen reads them.
struct RouteArgs {
    path: LitStr,
    options: Punctuated<MetaNameValue, Token![,]>,
}

impl Parse for RouteArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path = input.parse()?;
        if input.is_empty() {
            return Ok(Self {
                path,
                options: Punctuated::new(),
            });
        }
        input.parse::<Token![,]>()?;
        if input.cursor().literal().is_some() {
            return Err(input.error("several paths"));
        }
        let options = Punctuated::parse_terminated(input)?;
        Ok(Self { path, options })
    }
}

/// What `#[cors]` cannot read in a route attribute: it cannot tell what such a route would be,
/// so it refuses to make it (actix-web may or may not accept the attribute; a route must not
/// compile without the CORS it asked for).
fn cannot_read(tokens: impl quote::ToTokens, what: &str, help: &str) -> syn::Error {
    syn::Error::new_spanned(
        tokens,
        format!(
            "`#[cors]` cannot read {what} of this route attribute, so it cannot make the route with its CORS\n= help: {help}"
        ),
    )
}

/// One route attribute, or why `#[cors]` cannot read it.
fn read(attr: &Attribute, method: Option<&'static str>) -> syn::Result<RouteAttr> {
    let args = attr.parse_args::<RouteArgs>().map_err(|e| {
        cannot_read(
            attr,
            "the arguments",
            &format!(
                "write `#[{}(\"/path\", name = \"...\", guard = \"...\", wrap = \"...\")]` ({e})",
                last_ident(attr).unwrap_or_default()
            ),
        )
    })?;
    let mut route = RouteAttr {
        path: args.path,
        methods: Vec::new(),
        name: None,
        guards: Vec::new(),
        wraps: Vec::new(),
    };
    if let Some(m) = method {
        let span = attr
            .path()
            .segments
            .last()
            .map_or_else(Span::call_site, |s| s.ident.span());
        route.methods.push((m.to_owned(), span));
    }
    for option in args.options {
        route.read_setting(&option, method.is_some())?;
    }
    if route.methods.is_empty() {
        return Err(syn::Error::new_spanned(
            attr,
            "`#[route]` needs a method\n= help: add `method = \"GET\"` (one per method)",
        ));
    }
    Ok(route)
}

impl RouteAttr {
    /// One `key = "value"` setting of the attribute; `method` is read only under `#[route]`
    /// (`by_attribute`: the attribute names its method, as `#[get]`).
    fn read_setting(&mut self, option: &syn::MetaNameValue, by_attribute: bool) -> syn::Result<()> {
        let Expr::Lit(syn::ExprLit {
            lit: Lit::Str(lit), ..
        }) = &option.value
        else {
            return Err(cannot_read(
                &option.value,
                "a value that is not a string literal",
                "route settings take a string: `guard = \"fn_name\"`, `wrap = \"Middleware::new()\"`",
            ));
        };
        let lit = lit.clone();
        let key = option
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        match key.as_str() {
            "name" => self.name = Some(lit),
            "guard" => self.guards.push(lit.parse().map_err(|_| {
                cannot_read(
                    &lit,
                    "a guard that is not a path",
                    "`guard = \"function_name\"`",
                )
            })?),
            "wrap" => self.wraps.push(lit.parse().map_err(|_| {
                cannot_read(
                    &lit,
                    "a `wrap` that is not an expression",
                    "`wrap = \"Logger::default()\"`",
                )
            })?),
            // Any text: `validate::check_methods` says what is wrong with a method, and why,
            // better than actix-web's "HTTP method must be uppercase".
            "method" if !by_attribute => {
                let m = lit.value();
                if self.methods.iter().any(|(seen, _)| *seen == m) {
                    return Err(syn::Error::new_spanned(
                        &lit,
                        format!(
                            "method `{m}` is given twice\n= help: remove one `method = \"{m}\"`"
                        ),
                    ));
                }
                self.methods.push((m, lit.span()));
            }
            _ => {
                return Err(cannot_read(
                    &option.path,
                    &format!("`{}`", quote::ToTokens::to_token_stream(&option.path)),
                    if by_attribute {
                        "the settings it reads are `name`, `guard` and `wrap`"
                    } else {
                        "the settings it reads are `method`, `name`, `guard` and `wrap`"
                    },
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
