//! Validate: raw arguments and route methods in, a checked policy out. No tokens here.
//!
//! The rules about a single origin or header name live in `cors-runtime`, so the same rules
//! check origins given at start-up; the rules that need several inputs live here:
//! [`validate`] and the keys' checks beside it (`origins`, `headers`), and the route
//! attribute's methods and path (`route`).

use darling::error::Accumulator;
use proc_macro2::Span;

use crate::args::{CorsArgs, OriginsArg};
use crate::diag::{error, error_at};

mod header_keys;
mod methods_and_paths;
mod origins;

pub use header_keys::CheckedHeaders;
use header_keys::{HeaderKey, header_list};
pub use methods_and_paths::{check_methods, check_path};
pub use origins::CheckedOrigins;
use origins::check_origins;

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
pub struct CheckedPolicy {
    pub origins: CheckedOrigins,
    pub allow_headers: CheckedHeaders,
    pub expose_headers: CheckedHeaders,
    pub credentials: bool,
    pub max_age: Option<u32>,
    /// The `max_age` literal, when it is above [`CHROMIUM_MAX_AGE`]: worth a warning.
    pub max_age_above_chromium: Option<Span>,
    pub forward_refused: bool,
}

/// Checks everything; errors go to `errors`, all of them.
pub fn validate(args: &CorsArgs, errors: &mut Accumulator) -> CheckedPolicy {
    let credentials = args.credentials.is_present();
    let origins = match &args.origins {
        // Written under another name, and reported as such.
        None if args.origins_misnamed => CheckedOrigins::Any,
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
                    Some("remove it, and build the list with `RuntimeOrigins::allowing_insecure_http_credentials()` if you accept the risk"),
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
    CheckedPolicy {
        origins,
        allow_headers,
        expose_headers,
        credentials,
        max_age,
        max_age_above_chromium,
        forward_refused: args.forward_refused.is_present(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::TokenStream;
    use quote::quote;

    use crate::args;

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
}
