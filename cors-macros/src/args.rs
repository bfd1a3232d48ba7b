//! Parse: the raw arguments of `#[cors(...)]` and `policy!(...)`, spans kept for errors.

use darling::FromMeta;
use darling::ast::NestedMeta;
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, Lit, LitStr};

/// What `#[cors(...)]` was given: a policy, and the route's own settings.
pub struct AttributeInput {
    pub policy: PolicyInput,
    pub route: RouteSettings,
}

/// The policy of `#[cors(...)]`: keys, or the name of a shared one (`policy!` takes keys only,
/// and [`parse_policy`] gives it a [`CorsArgs`]).
pub enum PolicyInput {
    /// `#[cors(origins = [...], ...)]`.
    Keys(Box<CorsArgs>),
    /// `#[cors(API)]`: a `Policy` constant made by `policy!`.
    Named(syn::Path),
}

/// Settings of one route rather than of its policy: `#[cors]` takes them beside the keys or
/// after a named policy (`#[cors(API, preflights_skip_guards)]`); `policy!` does not.
#[derive(Default)]
pub struct RouteSettings {
    /// Preflights skip the route's own `guard = ...`s.
    pub preflights_skip_guards: Switch,
}

impl RouteSettings {
    /// The settings of a policy read earlier, whose spans are gone.
    pub fn with_preflights_skipping_guards(on: bool) -> Self {
        Self {
            preflights_skip_guards: Switch(on.then(Span::call_site)),
        }
    }
}

/// The keys of [`RouteSettings`].
const ROUTE_KEYS: &[&str] = &["preflights_skip_guards"];

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

/// Where the tokens come from, for the wording of errors: `#[cors(...)]` takes a named policy
/// and route settings, `policy!(...)` only keys.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Site {
    Attribute,
    PolicyMacro,
}

fn is_one_of(path: &syn::Path, keys: &[&str]) -> bool {
    path.get_ident()
        .is_some_and(|i| keys.iter().any(|k| i == k))
}

/// Parses the tokens inside `#[cors(...)]`: the keys of a policy or the name of a shared one,
/// and the route's own settings.
///
/// Unknown keys go to `errors` (with darling's "did you mean") and are left out, so that the
/// other keys are still parsed and checked: every mistake of the attribute is reported at once.
pub fn parse_attribute(
    tokens: TokenStream,
    errors: &mut darling::error::Accumulator,
) -> darling::Result<AttributeInput> {
    let mut items = NestedMeta::parse_meta_list(tokens)?;
    let route = take_route_settings(&mut items, Site::Attribute, errors);
    if let Some(NestedMeta::Meta(syn::Meta::Path(path))) = items.first()
        && !is_one_of(path, KEYS)
    {
        let path = path.clone();
        for extra in &items[1..] {
            errors.push(
                darling::Error::custom(
                    "after a named policy, `#[cors]` takes only route settings (`preflights_skip_guards`): the policy's keys go in its `policy!(...)`",
                )
                .with_span(extra),
            );
        }
        return Ok(AttributeInput {
            policy: PolicyInput::Named(path),
            route,
        });
    }
    Ok(AttributeInput {
        policy: PolicyInput::Keys(Box::new(policy_keys(items, Site::Attribute, errors)?)),
        route,
    })
}

/// Parses the tokens inside `policy!(...)`: the keys of a policy, nothing else. A route setting
/// is an error; so is a name, as an unknown key.
///
/// Unknown keys go to `errors` and are left out, as in [`parse_attribute`].
pub fn parse_policy(
    tokens: TokenStream,
    errors: &mut darling::error::Accumulator,
) -> darling::Result<CorsArgs> {
    let mut items = NestedMeta::parse_meta_list(tokens)?;
    take_route_settings(&mut items, Site::PolicyMacro, errors);
    policy_keys(items, Site::PolicyMacro, errors)
}

/// Takes the route's own settings out of `items`, wherever they are in the list: read in
/// `#[cors]`, an error in `policy!`.
fn take_route_settings(
    items: &mut Vec<NestedMeta>,
    site: Site,
    errors: &mut darling::error::Accumulator,
) -> RouteSettings {
    let mut route = RouteSettings::default();
    items.retain(|item| {
        let NestedMeta::Meta(meta) = item else {
            return true;
        };
        if !is_one_of(meta.path(), ROUTE_KEYS) {
            return true;
        }
        if site == Site::PolicyMacro {
            errors.push(crate::diag::error(
                meta.path(),
                &format!(
                    "`{}` is a setting of one route, not of a policy",
                    meta.path().to_token_stream()
                ),
                Some("put it in the route's `#[cors(...)]`, e.g. `#[cors(API, preflights_skip_guards)]`"),
            ));
            return false;
        }
        match Switch::from_meta(meta) {
            Ok(switch) => route.preflights_skip_guards = switch,
            Err(e) => errors.push(e),
        }
        false
    });
    route
}

/// The policy's keys: unknown ones go to `errors`, with the keys `site` takes as alternatives.
fn policy_keys(
    items: Vec<NestedMeta>,
    site: Site,
    errors: &mut darling::error::Accumulator,
) -> darling::Result<CorsArgs> {
    let known: Vec<NestedMeta> = items
        .into_iter()
        .filter(|item| {
            let NestedMeta::Meta(meta) = item else {
                return true;
            };
            let path = meta.path();
            let known = is_one_of(path, KEYS);
            if !known {
                let alts: Vec<&str> = match site {
                    Site::Attribute => KEYS.iter().chain(ROUTE_KEYS).copied().collect(),
                    Site::PolicyMacro => KEYS.to_vec(),
                };
                errors.push(
                    darling::Error::unknown_field_path_with_alts(path, &alts).with_span(path),
                );
            }
            known
        })
        .collect();
    CorsArgs::from_list(&known)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    /// `KEYS` names exactly the fields of `CorsArgs`: each is accepted, and darling refuses
    /// anything else, so the two cannot drift apart.
    #[test]
    fn keys_are_the_fields() {
        for key in KEYS {
            let key = syn::Ident::new(key, proc_macro2::Span::call_site());
            let items = NestedMeta::parse_meta_list(quote!(#key)).unwrap();
            let err = CorsArgs::from_list(&items).err().map(|e| e.to_string());
            assert!(
                err.as_deref().is_none_or(|e| !e.contains("Unknown field")),
                "{key}: {err:?}"
            );
        }
        let items = NestedMeta::parse_meta_list(quote!(not_a_key)).unwrap();
        assert!(CorsArgs::from_list(&items).is_err());
    }

    /// What `parse` gave, and every error it reported.
    fn parsed<T>(
        parse: impl FnOnce(&mut darling::error::Accumulator) -> darling::Result<T>,
    ) -> (Option<T>, Vec<String>) {
        let mut errors = darling::Error::accumulator();
        let input = parse(&mut errors);
        let input = errors.handle(input);
        let errors = errors
            .finish()
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default();
        (input, errors)
    }

    #[test]
    fn a_named_policy_takes_route_settings() {
        let (input, errors) = parsed(|e| parse_attribute(quote!(API, preflights_skip_guards), e));
        assert!(errors.is_empty(), "{errors:?}");
        let input = input.unwrap();
        assert!(matches!(input.policy, PolicyInput::Named(p) if p.is_ident("API")));
        assert!(input.route.preflights_skip_guards.is_present());
        let (_, errors) = parsed(|e| parse_attribute(quote!(API, credentials), e));
        assert!(errors[0].contains("only route settings"), "{errors:?}");
    }

    #[test]
    fn route_settings_go_with_keys_but_not_in_policy() {
        let (input, errors) =
            parsed(|e| parse_attribute(quote!(origins = "*", preflights_skip_guards), e));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(input.unwrap().route.preflights_skip_guards.is_present());
        let (_, errors) =
            parsed(|e| parse_policy(quote!(origins = "*", preflights_skip_guards), e));
        assert!(errors[0].contains("setting of one route"), "{errors:?}");
        let (_, errors) =
            parsed(|e| parse_attribute(quote!(origins = "*", preflight_skips_guards), e));
        assert!(errors[0].contains("preflights_skip_guards"), "{errors:?}");
    }

    #[test]
    fn a_policy_takes_keys_only() {
        let (keys, errors) = parsed(|e| parse_policy(quote!(origins = "*", credentials), e));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(keys.unwrap().credentials.is_present());
        // A name is no key of `policy!`: it cannot name another policy.
        let (_, errors) = parsed(|e| parse_policy(quote!(API), e));
        assert!(errors[0].contains("Unknown field: `API`"), "{errors:?}");
    }
}
