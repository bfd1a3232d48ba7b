//! The values keys take: a flag ([`Switch`]), one string or a list ([`StrList`]), seconds
//! ([`MaxAge`]), each read with its spans for the errors that point at it.

use darling::FromMeta;
use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, Lit, LitStr};

/// A flag key: present or not, never with a value.
#[derive(Default)]
pub struct Switch(Option<Span>);

impl Switch {
    /// Present at `span`, or absent.
    pub const fn new(span: Option<Span>) -> Self {
        Self(span)
    }

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

/// What a [`StrList`] holds, for the wording of errors.
#[derive(Clone, Copy)]
pub enum Values {
    Origins,
    Headers,
}

impl Values {
    /// The error for `expr`, a name or a macro call where a string literal goes: the macro
    /// checks literals as the code compiles, before a constant or a macro has a value.
    pub(crate) fn not_a_literal(self, expr: &Expr) -> darling::Error {
        let shown = match expr {
            Expr::Macro(m) => format!("{}!(..)", m.mac.path.to_token_stream()),
            other => other.to_token_stream().to_string(),
        }
        .replace(' ', "");
        let (what, example, runtime) = match self {
            Self::Origins => (
                "origins",
                "\"https://app.example.com\"",
                "; for origins known at start-up, `origins = runtime(NAME)` with a `static NAME: RuntimeOrigins`",
            ),
            Self::Headers => ("header names", "\"x-api-key\"", ""),
        };
        crate::diag::error(
            ungrouped(expr),
            &format!(
                "expected a string literal: the macro checks {what} as the code compiles, when the value of `{shown}` is not known"
            ),
            Some(&format!(
                "write the literal here, e.g. {example}; to share it between routes, name the whole policy (`const API: Policy = policy!(...);`, then `#[cors(API)]`){runtime}"
            )),
        )
    }
}

/// `expr` without a `Group` around it (a `macro_rules!` argument), for spans.
pub(crate) fn ungrouped(expr: &Expr) -> &Expr {
    match expr {
        Expr::Group(g) => ungrouped(&g.expr),
        other => other,
    }
}

impl FromMeta for StrList {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        Self::parse(expr, Values::Headers)
    }
}

impl StrList {
    /// Whether this is `"*"` on its own.
    pub fn wildcard(&self) -> Option<&LitStr> {
        match self.items.as_slice() {
            [only] if only.value() == "*" && !matches!(self.expr, Expr::Array(_)) => Some(only),
            _ => None,
        }
    }

    /// Reads `expr`, a string literal or a list of them, holding `values`.
    pub fn parse(expr: &Expr, values: Values) -> darling::Result<Self> {
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
                        Expr::Path(_) | Expr::Macro(_) => {
                            errors.push(values.not_a_literal(e));
                            None
                        }
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
            Expr::Group(g) => return Self::parse(&g.expr, values),
            Expr::Path(_) | Expr::Macro(_) => return Err(values.not_a_literal(expr)),
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
