//! Parse: the keys other CORS libraries use (actix-cors, tower-http, rs/cors, jub0bs/cors,
//! Spring, Express's `cors`), each with what route-cors writes instead.
//!
//! One table, [`ALIASES`], read where an unknown key is reported (`args::policy_keys`): a key
//! found here gets its own error, spanned on the key, instead of darling's "did you mean".

use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Expr, Lit, Token};

/// A peer's key names, and what route-cors has instead.
pub struct Alias {
    /// The names, as written in `#[cors(...)]` or `policy!(...)`.
    pub names: &'static [&'static str],
    /// Why this is not a key: the error's message after "unknown key `name`: ".
    pub said: &'static str,
    /// The `help:` line.
    pub fix: Fix,
    /// Our key the user meant, if any: its absence is not reported again (one mistake, one
    /// error).
    pub stands_for: Option<&'static str>,
}

/// The `help:` line of an [`Alias`].
pub enum Fix {
    /// Our key by another name: the help writes the user's value under it, or `example` when
    /// there is none to reuse.
    Rename {
        key: &'static str,
        example: &'static str,
    },
    /// A yes/no setting: `on` is the help when it is given bare or `true`, `off` for `false`.
    Switch { on: &'static str, off: &'static str },
    /// No key: this sentence says what to do.
    Explain(&'static str),
}

/// The peers' key names. Each name appears once; none is one of our keys (tested below).
pub const ALIASES: &[Alias] = &[
    Alias {
        names: &[
            "allowed_origins",
            "allowed_origin",
            "allow_origin",
            "allow_origins",
            "origin_list",
        ],
        said: "route-cors calls it `origins`",
        fix: Fix::Rename {
            key: "origins",
            example: "[\"https://app.example.com\"]",
        },
        stands_for: Some("origins"),
    },
    Alias {
        names: &[
            "allowed_origin_fn",
            "allow_origin_fn",
            "origin_fn",
            "allow_origin_func",
            "allow_origin_predicate",
        ],
        said: "there is no per-request origin function: every allowed origin is checked before the app serves",
        fix: Fix::Explain(
            "use a pattern in `origins` (`\"https://*.example.com\"`, `\"http://localhost:*\"`), or `origins = runtime(NAME)` for a list read from configuration at start-up",
        ),
        stands_for: Some("origins"),
    },
    Alias {
        names: &["allow_any_origin", "any_origin", "allow_all_origins"],
        said: "every origin is `origins = \"*\"`",
        fix: Fix::Explain(
            "write `origins = \"*\"` (not with `credentials`: list the origins that may send credentials)",
        ),
        stands_for: Some("origins"),
    },
    Alias {
        names: &["send_wildcard"],
        said: "route-cors sends `Access-Control-Allow-Origin: *` exactly when the policy allows every origin",
        fix: Fix::Explain("write `origins = \"*\"` instead (not with `credentials`)"),
        stands_for: Some("origins"),
    },
    Alias {
        names: &[
            "allowed_methods",
            "allowed_method",
            "allow_methods",
            "allow_method",
            "methods",
            "method",
            "allow_any_method",
        ],
        said: "methods come from the route attribute: `#[put]` allows PUT",
        fix: Fix::Explain(
            "remove it; for several methods on one path, give each its own `#[cors]` route, or write `#[route(\"/path\", method = \"GET\", method = \"PUT\")]`",
        ),
        stands_for: None,
    },
    Alias {
        names: &[
            "allowed_headers",
            "allowed_header",
            "allow_header",
            "request_headers",
        ],
        said: "route-cors calls it `allow_headers`",
        fix: Fix::Rename {
            key: "allow_headers",
            example: "[\"content-type\"]",
        },
        stands_for: None,
    },
    Alias {
        names: &["allow_any_header", "allow_all_headers"],
        said: "every request header is `allow_headers = \"*\"`",
        fix: Fix::Explain(
            "write `allow_headers = \"*\"` (it never covers `authorization`, and not with `credentials`: list the names then)",
        ),
        stands_for: None,
    },
    Alias {
        names: &[
            "exposed_headers",
            "exposed_header",
            "expose_header",
            "response_headers",
        ],
        said: "route-cors calls it `expose_headers`",
        fix: Fix::Rename {
            key: "expose_headers",
            example: "[\"x-request-id\"]",
        },
        stands_for: None,
    },
    Alias {
        names: &["expose_any_header", "expose_all_headers"],
        said: "every response header is `expose_headers = \"*\"`",
        fix: Fix::Explain(
            "write `expose_headers = \"*\"` (not with `credentials`: list the names then)",
        ),
        stands_for: None,
    },
    Alias {
        names: &["headers"],
        said: "request headers and response headers are two lists",
        fix: Fix::Explain(
            "`allow_headers` for what the page's request may send, `expose_headers` for what its script may read of the response",
        ),
        stands_for: None,
    },
    Alias {
        names: &[
            "supports_credentials",
            "allow_credentials",
            "allowed_credentials",
            "with_credentials",
            "credential",
        ],
        said: "`credentials` is a flag",
        fix: Fix::Switch {
            on: "write `credentials`, with no value",
            off: "leave it out: credentials are off unless `credentials` is written",
        },
        stands_for: None,
    },
    Alias {
        names: &[
            "max_age_secs",
            "max_age_seconds",
            "max_age_sec",
            "preflight_max_age",
        ],
        said: "route-cors calls it `max_age`, in seconds",
        fix: Fix::Rename {
            key: "max_age",
            example: "600",
        },
        stands_for: None,
    },
    Alias {
        names: &["block_on_origin_mismatch"],
        said: "refusing is the default: a cross-origin request from an origin the policy does not allow gets a 403 and never reaches the handler",
        fix: Fix::Switch {
            on: "remove it; its opposite, letting refused requests reach the handler without CORS headers, is `forward_refused`",
            off: "write `forward_refused`: refused requests then reach the handler, without CORS headers",
        },
        stands_for: None,
    },
    Alias {
        names: &[
            "allow_private_network",
            "private_network",
            "allow_private_network_access",
            "private_network_access",
            "allow_local_network",
            "local_network",
            "local_network_access",
        ],
        said: "no browser reads `Access-Control-Allow-Private-Network` any more: Chrome replaced it with the Local Network Access permission the user grants",
        fix: Fix::Explain(
            "remove it: a public page reaches a server on the user's network once the user allows it in the browser, and the route's CORS policy then applies as to any request",
        ),
        stands_for: None,
    },
    Alias {
        names: &["vary_header", "disable_vary_header"],
        said: "`Vary: Origin` is always sent where the answer depends on the origin, so that caches keep answers for different origins apart",
        fix: Fix::Explain("remove it"),
        stands_for: None,
    },
];

/// The alias named `name`, if any.
pub fn find(name: &str) -> Option<&'static Alias> {
    ALIASES.iter().find(|a| a.names.contains(&name))
}

impl Alias {
    /// The error's message for `name`.
    pub fn message(&self, name: &str) -> String {
        format!("unknown key `{name}`: {}", self.said)
    }

    /// The `help:` line, for the key as written (`meta`): a rename reuses its value.
    pub fn help(&self, meta: &syn::Meta) -> String {
        match &self.fix {
            Fix::Rename { key, example } => {
                let value = value_of(meta)
                    .as_ref()
                    .and_then(written)
                    .unwrap_or_else(|| (*example).to_owned());
                format!("write `{key} = {value}`")
            }
            Fix::Switch { on, off } => {
                let is_off = matches!(
                    value_of(meta),
                    Some(Expr::Lit(syn::ExprLit { lit: Lit::Bool(b), .. })) if !b.value
                );
                (if is_off { off } else { on }).to_string()
            }
            Fix::Explain(text) => (*text).to_owned(),
        }
    }
}

/// The value given with a key: `key = value`, or a builder-style `key(value)` (one value; more
/// read as a list).
fn value_of(meta: &syn::Meta) -> Option<Expr> {
    match meta {
        syn::Meta::Path(_) => None,
        syn::Meta::NameValue(nv) => Some(nv.value.clone()),
        syn::Meta::List(list) => {
            let items = list
                .parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated)
                .ok()?;
            match items.len() {
                0 => None,
                1 => items.into_iter().next(),
                _ => Some(Expr::Array(syn::ExprArray {
                    attrs: Vec::new(),
                    bracket_token: syn::token::Bracket::default(),
                    elems: items,
                })),
            }
        }
    }
}

/// `value` as the user would write it, when it is literals: `"a"`, `["a", "b"]`, `600`.
fn written(value: &Expr) -> Option<String> {
    fn literal(e: &Expr) -> Option<String> {
        match e {
            Expr::Lit(lit) => Some(lit.lit.to_token_stream().to_string()),
            Expr::Group(g) => literal(&g.expr),
            _ => None,
        }
    }
    match value {
        Expr::Array(array) => {
            let items: Option<Vec<String>> = array.elems.iter().map(literal).collect();
            Some(format!("[{}]", items?.join(", ")))
        }
        Expr::Group(g) => written(&g.expr),
        other => literal(other),
    }
}

#[cfg(test)]
mod tests;
