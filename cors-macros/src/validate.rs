//! Validate: raw arguments and route methods in, a checked policy out. No tokens here.
//!
//! The rules about a single origin or header name live in `cors-runtime`, so the same rules
//! check origins given at start-up; the rules that need several inputs live here.

use cors_runtime::headers::is_token;
use cors_runtime::origin::{self, OriginSpec};
use darling::error::Accumulator;
use proc_macro2::Span;

use crate::args::{CorsArgs, StrList};

/// Longest `max_age` allowed: a day, Firefox's cap (Chromium caps at 7200 s).
const MAX_AGE_LIMIT: u32 = 86_400;

/// A policy that passed every check.
pub struct Checked {
    pub origins: CheckedOrigins,
    pub allow_headers: CheckedHeaders,
    pub expose_headers: CheckedHeaders,
    pub credentials: bool,
    pub max_age: Option<u32>,
    pub forward_refused: bool,
}

pub enum CheckedOrigins {
    Any,
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

/// An error spanned on `node`, with a `help:` line when there is a fix.
pub fn error(node: &dyn quote::ToTokens, message: &str, help: Option<&str>) -> darling::Error {
    darling::Error::custom(with_help(message, help)).with_span(&node.to_token_stream())
}

/// An error at `span`, with a `help:` line when there is a fix.
pub fn error_at(span: Span, message: &str, help: Option<&str>) -> darling::Error {
    syn::Error::new(span, with_help(message, help)).into()
}

fn with_help(message: &str, help: Option<&str>) -> String {
    match help {
        Some(help) => format!("{message}\n= help: {help}"),
        None => message.to_owned(),
    }
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
        Some(list) => check_origins(list, credentials, errors),
    };
    let allow_headers = header_list(
        args.allow_headers.as_ref(),
        "allow_headers",
        credentials,
        errors,
    );
    let expose_headers = header_list(
        args.expose_headers.as_ref(),
        "expose_headers",
        credentials,
        errors,
    );
    let max_age = args.max_age.as_ref().and_then(|m| match m.lit.base10_parse::<u32>() {
        Ok(n) if n <= MAX_AGE_LIMIT => Some(n),
        _ => {
            errors.push(error(
                &m.lit,
                "`max_age` is 0 to 86400 seconds: browsers cap it (Chromium at 7200, Firefox at 86400)",
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
        forward_refused: args.forward_refused.is_present(),
    }
}

fn check_origins(list: &StrList, credentials: bool, errors: &mut Accumulator) -> CheckedOrigins {
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
    let mut exact: Vec<String> = Vec::new();
    let mut patterns = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for lit in &list.items {
        let text = lit.value();
        match origin::parse(&text) {
            Ok(OriginSpec::Any) => errors.push(error(
                lit,
                "`*` allows every origin, so it cannot be mixed into a list",
                Some("write `origins = \"*\"` alone, or list the origins"),
            )),
            Ok(spec) => {
                if seen.contains(&text) {
                    errors.push(error(
                        lit,
                        &format!("`{text}` is listed twice"),
                        Some("remove one"),
                    ));
                    continue;
                }
                match spec {
                    OriginSpec::Exact(o) => exact.push(o),
                    other => patterns.push(other),
                }
            }
            Err(e) => {
                let help = e.suggestion.as_ref().map(|s| format!("write \"{s}\""));
                errors.push(error(lit, &e.message, help.as_deref()));
            }
        }
        seen.push(text);
    }
    CheckedOrigins::Set { exact, patterns }
}

fn header_list(
    list: Option<&StrList>,
    key: &str,
    credentials: bool,
    errors: &mut Accumulator,
) -> CheckedHeaders {
    let Some(list) = list else {
        return CheckedHeaders::None;
    };
    if let Some(star) = list.wildcard() {
        if credentials {
            errors.push(error(
                star,
                &format!("`{key} = \"*\"` cannot go with `credentials`: with credentials browsers read `*` as a header literally named `*`"),
                Some(&format!("list the header names: `{key} = [\"content-type\"]`")),
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
        if !is_token(text.as_bytes()) {
            errors.push(error(lit, &format!("`{text}` is not a header name"), None));
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

/// Checks the methods read from the route attribute.
pub fn check_methods(methods: &[(String, Span)], errors: &mut Accumulator) {
    for (method, span) in methods {
        if matches!(
            method.to_ascii_uppercase().as_str(),
            "CONNECT" | "TRACE" | "TRACK"
        ) {
            errors.push(error_at(
                *span,
                &format!("a {method} route cannot be CORS-enabled: browsers forbid {method} in fetch() and XMLHttpRequest"),
                Some("remove `#[cors]` from this route"),
            ));
        }
    }
}
