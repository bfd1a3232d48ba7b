//! The checks of `origins = [...]`: every entry with the shared rules, and the
//! `insecure_http_credentials` opt-in, which some entry must need.

use cors_runtime::rules::credentials::check_credentials;
use cors_runtime::rules::list::{ListRules, check_list};
use cors_runtime::rules::origin::OriginSpec;
use darling::error::Accumulator;
use syn::LitStr;

use crate::args::{CorsArgs, StrList};
use crate::diag::{error, error_at};

/// What `origins` allows, checked.
pub enum CheckedOrigins {
    Any,
    /// `runtime(NAME)`: a `RuntimeOrigins` static.
    Runtime(syn::Path),
    Set {
        exact: Vec<String>,
        patterns: Vec<OriginSpec>,
    },
}

pub(super) fn check_origins(
    list: &StrList,
    args: &CorsArgs,
    errors: &mut Accumulator,
) -> CheckedOrigins {
    let credentials = args.credentials.is_present();
    let insecure = args.insecure_http_credentials.span();
    if let Some(star) = list.wildcard() {
        if credentials {
            errors.push(error(
                star,
                "`origins = \"*\"` cannot go with `credentials`: the Fetch standard forbids `Access-Control-Allow-Origin: *` on credentialed requests and browsers refuse the response",
                Some("list the origins that may send credentials: `origins = [\"https://app.example.com\"]`"),
            ));
        }
        return CheckedOrigins::Any;
    }
    if list.items.is_empty() {
        errors.push(error(
            &list.expr,
            "`origins` is empty, so every cross-origin request would be refused",
            Some("list at least one origin, or remove `#[cors]`"),
        ));
    }
    let texts: Vec<String> = list.items.iter().map(LitStr::value).collect();
    let rules = ListRules {
        credentials,
        insecure_http: insecure.is_some(),
        opt_in: "add `insecure_http_credentials` if you accept the risk",
    };
    let (specs, entry_errors) = check_list(texts.iter().map(String::as_str), rules);
    for (i, e) in &entry_errors {
        errors.push(error(&list.items[*i], &e.message, e.help().as_deref()));
    }
    // The dangerous opt-in must be needed by some origin, or it is a mistake waiting to happen.
    if let Some(span) = insecure
        && credentials
        && entry_errors.is_empty()
        && !specs
            .iter()
            .any(|s| check_credentials(s, false, "").is_err())
    {
        errors.push(error_at(
            span,
            "`insecure_http_credentials` is not needed: no origin here is plain `http://` outside loopback",
            Some("remove `insecure_http_credentials`"),
        ));
    }
    let mut exact = Vec::new();
    let mut patterns = Vec::new();
    for spec in specs {
        match spec {
            OriginSpec::Exact(o) => exact.push(o),
            other => patterns.push(other),
        }
    }
    CheckedOrigins::Set { exact, patterns }
}
