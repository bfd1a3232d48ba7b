//! Parse: the raw arguments of `#[cors(...)]` and `policy!(...)`, spans kept for errors.

use darling::FromMeta;
use darling::ast::NestedMeta;
use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, Lit, LitStr};

/// What `#[cors(...)]` was given: keys, or the name of a shared policy.
pub enum Input {
    /// `#[cors(origins = [...], ...)]`.
    Keys(Box<CorsArgs>),
    /// `#[cors(API)]`: a `Policy` constant made by `policy!`.
    Named(syn::Path),
}

/// The keys of `#[cors(...)]` and `policy!(...)`, as written.
#[derive(FromMeta)]
pub struct CorsArgs {
    pub origins: Option<OriginsArg>,
    pub allow_headers: Option<StrList>,
    pub expose_headers: Option<StrList>,
    pub credentials: Switch,
    pub max_age: Option<MaxAge>,
    pub forward_refused: Switch,
    pub insecure_http_credentials: Switch,
}

/// `origins = "*"`, `origins = [...]` or `origins = runtime(NAME)`.
pub enum OriginsArg {
    List(StrList),
    /// A `RuntimeOrigins` static, set at start-up.
    Runtime(syn::Path),
}

impl FromMeta for OriginsArg {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        match expr {
            Expr::Call(call)
                if matches!(&*call.func, Expr::Path(f) if f.path.is_ident("runtime")) =>
            {
                match (call.args.len(), call.args.first()) {
                    (1, Some(Expr::Path(p))) => Ok(Self::Runtime(p.path.clone())),
                    _ => Err(darling::Error::custom(
                        "`runtime(...)` takes the name of a `RuntimeOrigins` static, e.g. `origins = runtime(ORIGINS)`",
                    )
                    .with_span(&call.args)),
                }
            }
            Expr::Group(g) => Self::from_expr(&g.expr),
            Expr::Array(_)
            | Expr::Lit(syn::ExprLit {
                lit: Lit::Str(_), ..
            }) => StrList::from_expr(expr).map(Self::List),
            other => Err(darling::Error::custom(
                "expected `\"*\"`, a list of origins such as `[\"https://app.example.com\"]`, or `runtime(NAME)` for origins set at start-up",
            )
            .with_span(other)),
        }
    }
}

/// A flag key: present or not, never with a value.
#[derive(Default)]
pub struct Switch(Option<Span>);

impl Switch {
    pub fn is_present(&self) -> bool {
        self.0.is_some()
    }

    /// The key's span, when present.
    pub fn span(&self) -> Option<Span> {
        self.0
    }
}

impl FromMeta for Switch {
    fn from_none() -> Option<Self> {
        Some(Self(None))
    }

    fn from_meta(item: &syn::Meta) -> darling::Result<Self> {
        match item {
            syn::Meta::Path(path) => Ok(Self(Some(path.span()))),
            other => {
                let key = other
                    .path()
                    .get_ident()
                    .map_or_else(String::new, ToString::to_string);
                Err(darling::Error::custom(format!(
                    "`{key}` is a flag and takes no value: write `{key}` to turn it on, or leave it out"
                ))
                .with_span(other))
            }
        }
    }
}

/// A string literal or a list of them: `"*"`, `"x"` or `["a", "b"]`.
pub struct StrList {
    /// The whole value, for errors about the list itself.
    pub expr: Expr,
    pub items: Vec<LitStr>,
}

impl StrList {
    /// Whether this is `"*"` on its own.
    pub fn wildcard(&self) -> Option<&LitStr> {
        match self.items.as_slice() {
            [only] if only.value() == "*" && !matches!(self.expr, Expr::Array(_)) => Some(only),
            _ => None,
        }
    }
}

impl FromMeta for StrList {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        let items = match expr {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) => vec![s.clone()],
            Expr::Array(ExprArray { elems, .. }) => {
                let mut errors = darling::Error::accumulator();
                let items = elems
                    .iter()
                    .filter_map(|e| match e {
                        Expr::Lit(syn::ExprLit {
                            lit: Lit::Str(s), ..
                        }) => Some(s.clone()),
                        other => {
                            errors.push(
                                darling::Error::custom(
                                    "expected a string literal, e.g. `\"x-api-key\"` or `\"https://app.example.com\"`",
                                )
                                .with_span(other),
                            );
                            None
                        }
                    })
                    .collect();
                errors.finish()?;
                items
            }
            Expr::Group(g) => return Self::from_expr(&g.expr),
            other => {
                return Err(darling::Error::custom(
                    "expected `\"*\"` or a list of string literals, e.g. `[\"x-api-key\"]`",
                )
                .with_span(other));
            }
        };
        Ok(Self {
            expr: expr.clone(),
            items,
        })
    }
}

/// `max_age = <seconds>`.
pub struct MaxAge {
    pub lit: syn::LitInt,
}

impl FromMeta for MaxAge {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        match expr {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Int(lit), ..
            }) => Ok(Self { lit: lit.clone() }),
            Expr::Group(g) => Self::from_expr(&g.expr),
            other => Err(darling::Error::custom(
                "expected a whole number of seconds, e.g. `max_age = 600`",
            )
            .with_span(other)),
        }
    }
}

const KEYS: &[&str] = &[
    "origins",
    "allow_headers",
    "expose_headers",
    "credentials",
    "max_age",
    "forward_refused",
    "insecure_http_credentials",
];

/// Parses the tokens inside `#[cors(...)]` or `policy!(...)`.
///
/// Unknown keys go to `errors` (with darling's "did you mean") and are left out, so that the
/// other keys are still parsed and checked: every mistake of the attribute is reported at once.
pub fn parse(
    tokens: TokenStream,
    allow_named: bool,
    errors: &mut darling::error::Accumulator,
) -> darling::Result<Input> {
    let items = NestedMeta::parse_meta_list(tokens)?;
    if let [NestedMeta::Meta(syn::Meta::Path(path))] = items.as_slice() {
        let is_key = path
            .get_ident()
            .is_some_and(|i| KEYS.iter().any(|k| i == k));
        if allow_named && !is_key {
            return Ok(Input::Named(path.clone()));
        }
    }
    let known: Vec<NestedMeta> = items
        .into_iter()
        .filter(|item| {
            let NestedMeta::Meta(meta) = item else {
                return true;
            };
            let path = meta.path();
            let known = path
                .get_ident()
                .is_some_and(|i| KEYS.iter().any(|k| i == k));
            if !known {
                errors
                    .push(darling::Error::unknown_field_path_with_alts(path, KEYS).with_span(path));
            }
            known
        })
        .collect();
    Ok(Input::Keys(Box::new(CorsArgs::from_list(&known)?)))
}
