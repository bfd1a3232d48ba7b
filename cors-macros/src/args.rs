//! Parse: the raw arguments of `#[cors(...)]` and `policy!(...)`, spans kept for errors.

use darling::FromMeta;
use darling::ast::NestedMeta;
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{Expr, Lit};

mod values;
pub use values::{MaxAge, StrList, Switch};
use values::{Values, ungrouped};

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
    /// The settings of a policy the memo kept, whose spans are gone.
    pub fn with_preflights_skipping_guards(on: bool) -> Self {
        Self {
            preflights_skip_guards: Switch::new(on.then(proc_macro2::Span::call_site)),
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
mod tests;
