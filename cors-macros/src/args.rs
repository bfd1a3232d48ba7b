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
    /// `origins` was written under another name (`allowed_origins`, `origin`), already
    /// reported: its absence is not reported again.
    #[darling(skip)]
    pub origins_misnamed: bool,
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
            }) => StrList::parse(expr, Values::Origins).map(Self::List),
            Expr::Path(p) => {
                let name = p.path.to_token_stream().to_string().replace(' ', "");
                Err(crate::diag::error(
                    ungrouped(expr),
                    &format!(
                        "`origins` takes string literals, which the macro checks as the code compiles: the value of `{name}` is not known then"
                    ),
                    Some(&format!(
                        "write the origins here, e.g. `origins = [\"https://app.example.com\"]`; to share them between routes, name the whole policy (`const API: Policy = policy!(origins = [...]);`, then `#[cors(API)]`); for a list known at start-up, make `{name}` a `static {name}: RuntimeOrigins` and write `origins = runtime({name})`"
                    )),
                ))
            }
            Expr::Macro(_) => Err(Values::Origins.not_a_literal(expr)),
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

/// What a [`StrList`] holds, for the wording of errors.
#[derive(Clone, Copy)]
pub enum Values {
    Origins,
    Headers,
}

impl Values {
    /// The error for `expr`, a name or a macro call where a string literal goes: the macro
    /// checks literals as the code compiles, before a constant or a macro has a value.
    fn not_a_literal(self, expr: &Expr) -> darling::Error {
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
fn ungrouped(expr: &Expr) -> &Expr {
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

/// Whether `name` is a key of a policy or a route setting.
#[cfg(test)]
pub fn is_key(name: &str) -> bool {
    KEYS.iter().chain(ROUTE_KEYS).any(|k| *k == name)
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
    // A bare name is a named policy, unless it is a key or another library's name for one
    // (`#[cors(send_wildcard)]`), which the keys' parsing reports.
    if let Some(NestedMeta::Meta(syn::Meta::Path(path))) = items.first()
        && !is_one_of(path, KEYS)
        && path
            .get_ident()
            .is_none_or(|i| crate::aliases::find(&i.to_string()).is_none())
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

/// The policy's keys: unknown ones go to `errors`, a peer's name for a key (`allowed_origins`)
/// with what to write instead ([`aliases`](crate::aliases)), any other with the keys `site`
/// takes as alternatives.
fn policy_keys(
    items: Vec<NestedMeta>,
    site: Site,
    errors: &mut darling::error::Accumulator,
) -> darling::Result<CorsArgs> {
    let mut origins_misnamed = false;
    let known: Vec<NestedMeta> = items
        .into_iter()
        .filter(|item| {
            let NestedMeta::Meta(meta) = item else {
                return true;
            };
            let path = meta.path();
            if is_one_of(path, KEYS) {
                return true;
            }
            let name = path.get_ident().map(ToString::to_string);
            if let Some(alias) = name.as_deref().and_then(crate::aliases::find) {
                let name = name.as_deref().unwrap_or_default();
                origins_misnamed |= alias.stands_for == Some("origins");
                errors.push(crate::diag::error(
                    path,
                    &alias.message(name),
                    Some(&alias.help(meta)),
                ));
                return false;
            }
            let alts: Vec<&str> = match site {
                Site::Attribute => KEYS.iter().chain(ROUTE_KEYS).copied().collect(),
                Site::PolicyMacro => KEYS.to_vec(),
            };
            let error = darling::Error::unknown_field_path_with_alts(path, &alts).with_span(path);
            // `origin = [...]`: darling's suggestion is the fix, and "missing `origins`" noise.
            origins_misnamed |= error.to_string().contains("Did you mean `origins`?");
            errors.push(error);
            false
        })
        .collect();
    let mut args = CorsArgs::from_list(&known)?;
    args.origins_misnamed = origins_misnamed;
    Ok(args)
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
    fn a_peers_key_name_says_ours_once() {
        // `origins` under another name: one error, not also "missing `origins`".
        let mut errors = darling::Error::accumulator();
        let keys = parse_policy(quote!(allowed_origins = ["https://a.com"]), &mut errors);
        let keys = errors.handle(keys).unwrap();
        assert!(keys.origins_misnamed);
        crate::validate::validate(&keys, &mut errors);
        let errors: Vec<String> = errors
            .finish()
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errors,
            [
                "unknown key `allowed_origins`: route-cors calls it `origins`\n= help: write `origins = [\"https://a.com\"]`"
            ]
        );
        // Every alias, at both sites: its own text, never darling's "did you mean".
        for alias in crate::aliases::ALIASES {
            for name in alias.names {
                let key = syn::Ident::new(name, Span::call_site());
                let (_, policy) = parsed(|e| parse_policy(quote!(origins = "*", #key), e));
                let (_, attribute) = parsed(|e| parse_attribute(quote!(origins = "*", #key), e));
                for errors in [policy, attribute] {
                    assert_eq!(errors.len(), 1, "{name}: {errors:?}");
                    assert!(
                        errors[0].starts_with(&format!("unknown key `{name}`: "))
                            && errors[0].contains("\n= help: "),
                        "{name}: {errors:?}"
                    );
                }
            }
        }
        // Alone in `#[cors]`, a peer's name is no named policy.
        let (input, errors) = parsed(|e| parse_attribute(quote!(send_wildcard), e));
        assert!(matches!(input.unwrap().policy, PolicyInput::Keys(_)));
        assert!(
            errors[0].starts_with("unknown key `send_wildcard`"),
            "{errors:?}"
        );
        // darling's suggestion of `origins` is the fix too.
        let (keys, _) = parsed(|e| parse_policy(quote!(origin = ["https://a.com"]), e));
        assert!(keys.unwrap().origins_misnamed);
        let (keys, _) = parsed(|e| parse_policy(quote!(allow_header = ["x-a"]), e));
        assert!(!keys.unwrap().origins_misnamed);
    }

    #[test]
    fn a_name_where_a_literal_goes_says_why_and_what_instead() {
        let (_, errors) = parsed(|e| parse_policy(quote!(origins = ALLOWED), e));
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        for words in [
            "`origins` takes string literals, which the macro checks as the code compiles: the value of `ALLOWED` is not known then",
            "policy!(origins = [...])",
            "`origins = runtime(ALLOWED)`",
        ] {
            assert!(e.contains(words), "{words}: {e}");
        }
        for (tokens, words) in [
            (
                quote!(origins = ["https://a.com", crate::APP]),
                "checks origins as the code compiles, when the value of `crate::APP` is not known",
            ),
            (
                quote!(origins = [env!("APP")]),
                "the value of `env!(..)` is not known",
            ),
            (quote!(origins = [APP]), "`origins = runtime(NAME)`"),
            (
                quote!(origins = "*", allow_headers = [API_KEY]),
                "checks header names as the code compiles, when the value of `API_KEY`",
            ),
            (
                quote!(origins = "*", expose_headers = EXPOSED),
                "the value of `EXPOSED` is not known",
            ),
        ] {
            let (_, errors) = parsed(|e| parse_policy(tokens.clone(), e));
            assert_eq!(errors.len(), 1, "{tokens}: {errors:?}");
            assert!(
                errors[0].starts_with("expected a string literal: ") && errors[0].contains(words),
                "{tokens}: {errors:?}"
            );
        }
        let (_, errors) = parsed(|e| parse_policy(quote!(origins = "*", allow_headers = [H]), e));
        assert!(!errors[0].contains("runtime("), "{errors:?}");
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
