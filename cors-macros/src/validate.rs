//! Validate: raw arguments and route methods in, a checked policy out. No tokens here.
//!
//! The rules about a single origin or header name live in `cors-runtime`, so the same rules
//! check origins given at start-up; the rules that need several inputs live here.

use cors_runtime::rules::credentials::check_credentials;
use cors_runtime::rules::headers::{check_allowed_name, check_exposed_name};
use cors_runtime::rules::list::{ListRules, check_list};
use cors_runtime::rules::origin::OriginSpec;
use darling::error::Accumulator;
use proc_macro2::Span;
use syn::LitStr;

use crate::args::{CorsArgs, OriginsArg, StrList};
use crate::diag::{error, error_at};

/// Longest `max_age` allowed: a day, Firefox's cap, the longest any browser honours.
const MAX_AGE_LIMIT: u32 = 86_400;

/// Chromium's cap on `max_age`: above it, a warning.
pub const CHROMIUM_MAX_AGE: u32 = 7200;

/// Safari's cap on `max_age`.
pub const WEBKIT_MAX_AGE: u32 = 600;

/// The text of the warning for a `max_age` of `n` seconds, above [`CHROMIUM_MAX_AGE`].
pub fn max_age_note(n: u32) -> String {
    format!(
        "`max_age = {n}` is above Chromium's cap of {CHROMIUM_MAX_AGE} s: browsers cap the preflight cache whatever this says, Chromium at {CHROMIUM_MAX_AGE} s, Safari (WebKit) at {WEBKIT_MAX_AGE} s, and only Firefox honours up to {MAX_AGE_LIMIT} s; write `max_age = {CHROMIUM_MAX_AGE}` to say what Chromium does, or put `#[allow(deprecated)]` on the handler (or the `policy!` constant) to keep Firefox's longer cache"
    )
}

/// A policy that passed every check.
pub struct Checked {
    pub origins: CheckedOrigins,
    pub allow_headers: CheckedHeaders,
    pub expose_headers: CheckedHeaders,
    pub credentials: bool,
    pub max_age: Option<u32>,
    /// The `max_age` literal, when it is above [`CHROMIUM_MAX_AGE`]: worth a warning.
    pub max_age_above_chromium: Option<Span>,
    pub forward_refused: bool,
}

pub enum CheckedOrigins {
    Any,
    /// `runtime(NAME)`: a `RuntimeOrigins` static.
    Runtime(syn::Path),
    Set {
        exact: Vec<String>,
        patterns: Vec<OriginSpec>,
    },
}

pub enum CheckedHeaders {
    None,
    Any,
    /// Lower-case names, in the order written.
    List(Vec<String>),
}

/// Checks everything; errors go to `errors`, all of them.
pub fn validate(args: &CorsArgs, errors: &mut Accumulator) -> Checked {
    let credentials = args.credentials.is_present();
    let origins = match &args.origins {
        None => {
            errors.push(error_at(
                Span::call_site(),
                "missing `origins`: a CORS policy names the origins it allows",
                Some("add `origins = [\"https://app.example.com\"]`"),
            ));
            CheckedOrigins::Any
        }
        Some(OriginsArg::List(list)) => check_origins(list, args, errors),
        Some(OriginsArg::Runtime(path)) => {
            if let Some(span) = args.insecure_http_credentials.span() {
                errors.push(error_at(
                    span,
                    "`insecure_http_credentials` applies to the origins listed in the attribute, and these are set at start-up",
                    Some("remove it, and build the list with `RuntimeOrigins::insecure_http_credentials()` if you accept the risk"),
                ));
            }
            CheckedOrigins::Runtime(path.clone())
        }
    };
    if let Some(span) = args.insecure_http_credentials.span()
        && !credentials
    {
        errors.push(error_at(
            span,
            "`insecure_http_credentials` only matters with `credentials`: without it, plain `http://` origins are allowed anyway",
            Some("remove `insecure_http_credentials`"),
        ));
    }
    let allow_headers = header_list(
        args.allow_headers.as_ref(),
        HeaderKey::Allow,
        credentials,
        errors,
    );
    let expose_headers = header_list(
        args.expose_headers.as_ref(),
        HeaderKey::Expose,
        credentials,
        errors,
    );
    let mut max_age_above_chromium = None;
    let max_age = args.max_age.as_ref().and_then(|m| match m.lit.base10_parse::<u32>() {
        Ok(n) if n <= MAX_AGE_LIMIT => {
            if n > CHROMIUM_MAX_AGE {
                max_age_above_chromium = Some(m.lit.span());
            }
            Some(n)
        }
        _ => {
            errors.push(error(
                &m.lit,
                "`max_age` is 0 to 86400 seconds: no browser caches a preflight longer (Firefox caps it at 86400, Chromium at 7200, Safari at 600)",
                Some("write `max_age = 7200`"),
            ));
            None
        }
    });
    Checked {
        origins,
        allow_headers,
        expose_headers,
        credentials,
        max_age,
        max_age_above_chromium,
        forward_refused: args.forward_refused.is_present(),
    }
}

fn check_origins(list: &StrList, args: &CorsArgs, errors: &mut Accumulator) -> CheckedOrigins {
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum HeaderKey {
    Allow,
    Expose,
}

impl HeaderKey {
    fn name(self) -> &'static str {
        match self {
            Self::Allow => "allow_headers",
            Self::Expose => "expose_headers",
        }
    }
}

fn header_list(
    list: Option<&StrList>,
    which: HeaderKey,
    credentials: bool,
    errors: &mut Accumulator,
) -> CheckedHeaders {
    let key = which.name();
    let Some(list) = list else {
        return CheckedHeaders::None;
    };
    if let Some(star) = list.wildcard() {
        if credentials {
            errors.push(error(
                star,
                &format!("`{key} = \"*\"` cannot go with `credentials`: with credentials browsers read `*` as a header literally named `*`"),
                Some(&format!("list the header names: `{key} = [\"x-request-id\"]`")),
            ));
        }
        return CheckedHeaders::Any;
    }
    if list.items.is_empty() {
        errors.push(error(
            &list.expr,
            &format!("`{key}` is empty"),
            Some(&format!("remove `{key}`, or list header names")),
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for lit in &list.items {
        let text = lit.value();
        if text == "*" {
            errors.push(error(
                lit,
                "`*` stands for every header, so it cannot be mixed into a list",
                Some(&format!("write `{key} = \"*\"` alone, or list the names")),
            ));
            continue;
        }
        let checked = match which {
            HeaderKey::Allow => check_allowed_name(&text),
            HeaderKey::Expose => check_exposed_name(&text),
        };
        if let Err(e) = checked {
            errors.push(error(lit, &e.message, e.help.as_deref()));
            continue;
        }
        let lower = text.to_ascii_lowercase();
        if names.contains(&lower) {
            errors.push(error(
                lit,
                &format!("`{text}` is listed twice (header names ignore case)"),
                Some("remove one"),
            ));
            continue;
        }
        names.push(lower);
    }
    CheckedHeaders::List(names)
}

/// Methods the Fetch standard upper-cases before sending ("normalize a method"): a route whose
/// method is one of these in another case never sees a browser's request.
const NORMALIZED_METHODS: &[&str] = &["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// Other registered methods actix-web knows by name: in another case, a different method.
const OTHER_STANDARD_METHODS: &[&str] = &["PATCH", "QUERY"];

/// Checks the methods read from the route attribute, each spanned on the token that names it.
pub fn check_methods(methods: &[(String, Span)], errors: &mut Accumulator) {
    for (method, span) in methods {
        let upper = method.to_ascii_uppercase();
        if method.is_empty() {
            errors.push(error_at(
                *span,
                "the method is empty: an HTTP method is a token such as `GET`",
                Some("write the method, e.g. `method = \"POST\"`"),
            ));
        } else if !cors_runtime::headers::is_token(method.as_bytes()) {
            let parts: Vec<&str> = method
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|m| !m.is_empty())
                .collect();
            let help = if parts.len() > 1
                && parts
                    .iter()
                    .all(|m| cors_runtime::headers::is_token(m.as_bytes()))
            {
                let each: Vec<String> = parts.iter().map(|m| format!("method = \"{m}\"")).collect();
                format!("name one method per `method = ...`: `{}`", each.join(", "))
            } else {
                "write the method's name, e.g. `method = \"POST\"`".to_owned()
            };
            errors.push(error_at(
                *span,
                &format!("`{method}` is not an HTTP method: a method is a token, letters, digits and ``!#$%&'*+-.^_`|~``, with no space or comma"),
                Some(&help),
            ));
        } else if matches!(upper.as_str(), "CONNECT" | "TRACE" | "TRACK") {
            errors.push(error_at(
                *span,
                &format!("a {method} route cannot be CORS-enabled: browsers forbid {upper} in fetch() and XMLHttpRequest"),
                Some("remove `#[cors]` from this route"),
            ));
        } else if upper != *method && NORMALIZED_METHODS.contains(&upper.as_str()) {
            errors.push(error_at(
                *span,
                &format!("browsers upper-case `{method}` to `{upper}` before sending it (the Fetch standard normalizes DELETE, GET, HEAD, OPTIONS, POST and PUT), so this route would never see a browser's request"),
                Some(&format!("write `method = \"{upper}\"`")),
            ));
        } else if upper != *method && OTHER_STANDARD_METHODS.contains(&upper.as_str()) {
            errors.push(error_at(
                *span,
                &format!("methods are case-sensitive and browsers send `{method}` as the page wrote it: `{method}` is not `{upper}`, the method clients and actix-web's `#[{}]` use", upper.to_ascii_lowercase()),
                Some(&format!("write `method = \"{upper}\"`")),
            ));
        } else if upper != *method {
            errors.push(error_at(
                *span,
                &format!("actix-web routes take their methods in upper case, and `{method}` is not: methods are case-sensitive, so `{upper}` would be another method"),
                Some(&format!("write `method = \"{upper}\"`, and send that from the page")),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::TokenStream;
    use quote::quote;

    use crate::args;

    /// The messages of every error for `policy!(tokens)`, in order.
    fn errors_of(tokens: TokenStream) -> Vec<String> {
        let mut errors = darling::Error::accumulator();
        let parsed = args::parse_policy(tokens, &mut errors);
        if let Some(keys) = errors.handle(parsed) {
            validate(&keys, &mut errors);
        }
        match errors.finish() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_good_policy_has_no_error() {
        assert_eq!(
            errors_of(quote!(
                origins = [
                    "https://app.example.com",
                    "https://*.example.com",
                    "http://localhost:*"
                ],
                allow_headers = ["content-type", "authorization"],
                expose_headers = ["x-request-id"],
                credentials,
                max_age = 86400,
            )),
            Vec::<String>::new()
        );
    }

    #[test]
    fn every_mistake_is_reported_together() {
        let errors = errors_of(quote!(
            origins = ["https://a.com/", "*", "http://b.com"],
            allow_headers = ["cookie", "access-control-allow-origin", "x-a", "X-A"],
            expose_headers = ["set-cookie", "content-type"],
            credentials,
            max_age = 86401,
            maxage = 1,
        ));
        assert_eq!(errors.len(), 10, "{errors:#?}");
        assert!(
            errors[0].contains("Did you mean `max_age`"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].contains("trailing slash")
                && errors[1].contains("help: write \"https://a.com\""),
            "{}",
            errors[1]
        );
    }

    #[test]
    fn value_limited_safelisted_headers_are_allowable() {
        assert_eq!(
            errors_of(quote!(
                origins = ["https://app.example.com"],
                allow_headers = [
                    "accept",
                    "Accept-Language",
                    "content-language",
                    "content-type",
                    "range"
                ],
                credentials,
            )),
            Vec::<String>::new()
        );
    }

    #[test]
    fn protocol_headers_in_the_wrong_list_are_errors() {
        let errors = errors_of(quote!(
            origins = ["https://app.example.com"],
            allow_headers = ["Access-Control-Allow-Origin", "x-a"],
            expose_headers = ["origin", "access-control-max-age", "x-b"],
        ));
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(errors[0].contains("CORS response header"), "{}", errors[0]);
        assert!(errors[0].contains("= help: remove it"), "{}", errors[0]);
        assert!(
            errors[1].contains("`origin` is a request header"),
            "{}",
            errors[1]
        );
        assert!(errors[2].contains("preflight answers"), "{}", errors[2]);
    }

    #[test]
    fn a_header_name_that_is_not_a_token_gets_the_fix() {
        let errors = errors_of(quote!(origins = "*", allow_headers = ["x api key"]));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].contains("not a header name")
                && errors[0].ends_with("= help: write \"x-api-key\""),
            "{}",
            errors[0]
        );
    }

    fn method_errors(methods: &[&str]) -> Vec<String> {
        let mut errors = darling::Error::accumulator();
        let methods: Vec<(String, Span)> = methods
            .iter()
            .map(|m| ((*m).to_owned(), Span::call_site()))
            .collect();
        check_methods(&methods, &mut errors);
        match errors.finish() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn route_methods_are_checked() {
        assert_eq!(
            method_errors(&[
                "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "QUERY", "PURGE"
            ]),
            Vec::<String>::new()
        );
        // (method, words in the message, the help)
        for (method, words, help) in [
            (
                "",
                "the method is empty",
                "write the method, e.g. `method = \"POST\"`",
            ),
            (
                "GET, POST",
                "`GET, POST` is not an HTTP method",
                "name one method per `method = ...`: `method = \"GET\", method = \"POST\"`",
            ),
            (
                "G\u{c9}T",
                "is not an HTTP method",
                "write the method's name",
            ),
            ("TRACK", "cannot be CORS-enabled", "remove `#[cors]`"),
            ("trace", "browsers forbid TRACE", "remove `#[cors]`"),
            ("Connect", "browsers forbid CONNECT", "remove `#[cors]`"),
            (
                "get",
                "upper-case `get` to `GET`",
                "write `method = \"GET\"`",
            ),
            (
                "Delete",
                "upper-case `Delete` to `DELETE`",
                "write `method = \"DELETE\"`",
            ),
            (
                "patch",
                "`patch` is not `PATCH`",
                "write `method = \"PATCH\"`",
            ),
            (
                "purge",
                "take their methods in upper case",
                "write `method = \"PURGE\"`",
            ),
        ] {
            let errors = method_errors(&[method]);
            assert_eq!(errors.len(), 1, "{method}: {errors:#?}");
            assert!(errors[0].contains(words), "{method}: {}", errors[0]);
            assert!(
                errors[0].contains(&format!("= help: {help}")),
                "{method}: {}",
                errors[0]
            );
        }
        assert_eq!(
            method_errors(&["get", "TRACE", "PUT"]).len(),
            2,
            "all reported"
        );
    }

    #[test]
    fn the_max_age_note_names_every_engine_cap() {
        let note = max_age_note(86_400);
        for words in [
            "`max_age = 86400`",
            "Chromium at 7200 s",
            "Safari (WebKit) at 600 s",
            "Firefox honours up to 86400 s",
            "#[allow(deprecated)]",
        ] {
            assert!(note.contains(words), "{words}: {note}");
        }
        let range = errors_of(quote!(origins = "*", max_age = 86401));
        assert!(
            range[0].contains("Firefox caps it at 86400, Chromium at 7200, Safari at 600"),
            "{}",
            range[0]
        );
    }

    #[test]
    fn the_http_opt_in_is_checked_both_ways() {
        assert_eq!(
            errors_of(quote!(
                origins = ["http://b.com"],
                credentials,
                insecure_http_credentials
            )),
            Vec::<String>::new()
        );
        let needless = errors_of(quote!(
            origins = ["https://b.com"],
            credentials,
            insecure_http_credentials
        ));
        assert!(needless[0].contains("not needed"), "{needless:?}");
        let alone = errors_of(quote!(
            origins = ["http://b.com"],
            insecure_http_credentials
        ));
        assert!(
            alone[0].contains("only matters with `credentials`"),
            "{alone:?}"
        );
    }

    #[test]
    fn wrong_types_say_what_is_expected() {
        for (tokens, words) in [
            (quote!(origins = 5), "expected `\"*\"`"),
            (
                quote!(origins = "*", max_age = "5"),
                "whole number of seconds",
            ),
            (quote!(origins = "*", credentials = true), "is a flag"),
            (
                quote!(origins = runtime(1 + 1)),
                "`runtime(...)` takes the name",
            ),
        ] {
            let errors = errors_of(tokens);
            assert!(errors.iter().any(|e| e.contains(words)), "{errors:?}");
        }
    }
}
