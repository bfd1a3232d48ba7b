//! Parse, the handler half: the function `#[cors]` sits on and its actix-web route attribute(s),
//! read the way actix-web-codegen reads them. The function's body is kept as opaque tokens:
//! nothing here parses it.

use proc_macro2::{Delimiter, Span, TokenTree};
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

impl Parse for Handler {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: syn::Signature = input.parse()?;
        let body: TokenTree = input.parse()?;
        if !matches!(&body, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace) {
            return Err(syn::Error::new(body.span(), "expected the function's body"));
        }
        if !input.is_empty() {
            return Err(input.error("expected one function"));
        }
        Ok(Self {
            attrs,
            vis,
            name: sig.ident.clone(),
            sig,
            body,
        })
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
            "name" => route.name = Some(lit),
            "guard" => route.guards.push(lit.parse().map_err(|_| {
                cannot_read(
                    &lit,
                    "a guard that is not a path",
                    "`guard = \"function_name\"`",
                )
            })?),
            "wrap" => route.wraps.push(lit.parse().map_err(|_| {
                cannot_read(
                    &lit,
                    "a `wrap` that is not an expression",
                    "`wrap = \"Logger::default()\"`",
                )
            })?),
            // Any text: `validate::check_methods` says what is wrong with a method, and why,
            // better than actix-web's "HTTP method must be uppercase".
            "method" if method.is_none() => {
                let m = lit.value();
                if route.methods.iter().any(|(seen, _)| *seen == m) {
                    return Err(syn::Error::new_spanned(
                        &lit,
                        format!(
                            "method `{m}` is given twice\n= help: remove one `method = \"{m}\"`"
                        ),
                    ));
                }
                route.methods.push((m, lit.span()));
            }
            _ => {
                return Err(cannot_read(
                    &option.path,
                    &format!("`{}`", quote::ToTokens::to_token_stream(&option.path)),
                    if method.is_some() {
                        "the settings it reads are `name`, `guard` and `wrap`"
                    } else {
                        "the settings it reads are `method`, `name`, `guard` and `wrap`"
                    },
                ));
            }
        }
    }
    if route.methods.is_empty() {
        return Err(syn::Error::new_spanned(
            attr,
            "`#[route]` needs a method\n= help: add `method = \"GET\"` (one per method)",
        ));
    }
    Ok(route)
}

#[cfg(test)]
mod tests {
    use quote::quote;
    use syn::parse_quote;

    use super::*;

    fn routes(attrs: &[Attribute]) -> Vec<RouteAttr> {
        match find(attrs) {
            Found::Routes { routes, .. } => routes,
            Found::None => panic!("no route"),
            Found::Unreadable { error, .. } => panic!("unreadable: {error}"),
        }
    }

    fn methods(route: &RouteAttr) -> Vec<&str> {
        route.methods.iter().map(|(m, _)| m.as_str()).collect()
    }

    #[test]
    fn handlers_keep_their_body_unparsed() {
        let handler: Handler = syn::parse2(quote! {
            /// Docs.
            #[get("/items/{id}")]
            pub(crate) async fn item(id: web::Path<u32>) -> impl Responder where u32: Copy {
                this is not rust at all
            }
        })
        .unwrap();
        assert_eq!(handler.name, "item");
        assert_eq!(handler.attrs.len(), 2);
        assert!(handler.returns());
        assert!(matches!(handler.vis, Visibility::Restricted(_)));
        assert_eq!(handler.body.to_string(), "{ this is not rust at all }");
        let no_return: Handler = syn::parse2(quote!(
            async fn f(a: u8) {}
        ))
        .unwrap();
        assert!(!no_return.returns());
        for not_a_fn in [
            quote!(
                struct S;
            ),
            quote!(fn),
            quote!(
                fn f();
            ),
            quote!(let x = 1;),
        ] {
            assert!(
                syn::parse2::<Handler>(not_a_fn.clone()).is_err(),
                "{not_a_fn}"
            );
        }
    }

    #[test]
    fn method_attributes_and_route_read_like_actix() {
        let get =
            routes(&[parse_quote!(#[get("/a", name = "n", guard = "g::h", wrap = "W::new(1)")])]);
        assert_eq!(get[0].path.value(), "/a");
        assert_eq!(methods(&get[0]), ["GET"]);
        assert_eq!(
            get[0].name.as_ref().map(LitStr::value).as_deref(),
            Some("n")
        );
        let guards = &get[0].guards;
        assert_eq!(quote!(#(#guards)*).to_string(), "g :: h");
        assert_eq!(get[0].wraps.len(), 1);
        let qualified = routes(&[parse_quote!(#[actix_web::post("/b")])]);
        assert_eq!(methods(&qualified[0]), ["POST"]);
        let route = routes(&[parse_quote!(#[route("/c", method = "PUT", method = "PURGE")])]);
        assert_eq!(methods(&route[0]), ["PUT", "PURGE"]);
        // Read as written: `validate::check_methods` judges them.
        let odd = routes(&[parse_quote!(#[route("/c", method = "get", method = "A B")])]);
        assert_eq!(methods(&odd[0]), ["get", "A B"]);
    }

    #[test]
    fn routes_reads_bare_method_attributes_only() {
        let found = find(&[
            parse_quote!(#[routes]),
            parse_quote!(#[get("/a")]),
            parse_quote!(#[doc = "x"]),
            parse_quote!(#[post("/a")]),
            parse_quote!(#[actix_web::put("/a")]),
        ]);
        let Found::Routes { routes, used } = found else {
            panic!("no routes")
        };
        assert_eq!(
            routes.iter().map(|r| methods(r)[0]).collect::<Vec<_>>(),
            ["GET", "POST"]
        );
        assert_eq!(used, [0, 1, 3]);
        assert!(routes[0].same_resource(&routes[1]));
    }

    #[test]
    fn what_cors_cannot_read_is_an_error_naming_every_route_attribute() {
        for attrs in [
            vec![parse_quote!(#[get])],
            vec![parse_quote!(#[get(1)])],
            vec![parse_quote!(#[get("/a", "/b")])],
            vec![parse_quote!(#[get("/a", method = "POST")])],
            vec![parse_quote!(#[get("/a", nme = "x")])],
            vec![parse_quote!(#[get("/a", guard = 5)])],
            vec![parse_quote!(#[get("/a", guard = "not a path")])],
            vec![parse_quote!(#[route("/a")])],
            vec![parse_quote!(#[route("/a", method = "GET", method = "GET")])],
            vec![parse_quote!(#[routes])],
            vec![parse_quote!(#[get("/a")]), parse_quote!(#[post("/a")])],
        ] {
            let Found::Unreadable { used, .. } = find(&attrs) else {
                panic!("{}", quote!(#(#attrs)*));
            };
            assert_eq!(used.len(), attrs.len(), "{}", quote!(#(#attrs)*));
        }
        assert!(matches!(find(&[parse_quote!(#[doc = "x"])]), Found::None));
    }
}
