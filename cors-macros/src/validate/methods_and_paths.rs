//! The checks of the route attribute: its methods, and its path, read at compile time with the
//! reader actix-web routes with at start-up.

use darling::error::Accumulator;
use proc_macro2::Span;

use crate::diag::{error, error_at};

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
        } else if !cors_runtime::request_headers::is_token(method.as_bytes()) {
            let parts: Vec<&str> = method
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|m| !m.is_empty())
                .collect();
            let help = if parts.len() > 1
                && parts
                    .iter()
                    .all(|m| cors_runtime::request_headers::is_token(m.as_bytes()))
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

/// A path actix-web would refuse: its router panics on a pattern it cannot read, so the
/// pattern is read here, at compile time, as actix-web-codegen does.
pub fn check_path(path: &syn::LitStr, errors: &mut Accumulator) {
    let pattern = path.value();
    if plainly_readable(&pattern) {
        return;
    }
    // No panic hook is swapped to hide the message: inside the compiler, the proc-macro bridge
    // prints no panic of a macro that it does not report, and a process-wide hook is not a
    // macro's to change. (A unit test run prints it.)
    let read = std::panic::catch_unwind(|| {
        actix_router::ResourceDef::new(pattern.as_str());
    });
    if let Err(panic) = read {
        let why = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("actix-web cannot read it");
        errors.push(error(
            path,
            &format!("`{pattern}` is not a path pattern actix-web can route: {why}"),
            None,
        ));
    }
}

/// Whether actix-router reads `pattern` without fail, told from its text alone: static text
/// and `{name}` segments (a `{name}*` tail at the end), at most 16 of them, each name once.
/// Reading a pattern with segments compiles a regex, which in an unoptimized proc macro costs
/// more than the rest of the route's expansion; the rest (custom regexes, odd names) is read.
fn plainly_readable(pattern: &str) -> bool {
    let mut names: [&str; 16] = [""; 16];
    let mut count = 0;
    let mut rest = pattern;
    while let Some(open) = rest.find(['{', '}']) {
        let Some(after) = rest[open..].strip_prefix('{') else {
            return false;
        };
        let Some(close) = after.find('}') else {
            return false;
        };
        let name = &after[..close];
        let simple = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !simple || count == names.len() || names[..count].contains(&name) {
            return false;
        }
        names[count] = name;
        count += 1;
        rest = &after[close + 1..];
    }
    // A `*` after static text is an unnamed tail, which actix-router warns about at run time.
    !pattern.ends_with('*') || pattern.ends_with("}*")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the fast path accepts, actix-router reads; what it leaves, it leaves to the reader.
    #[test]
    fn plainly_readable_patterns_are_read_by_actix_router() {
        let accepted = [
            "",
            "/",
            "/items",
            "/items/{id}",
            "/items/{id}/",
            "/a/{b}/c/{d_e}/{F9}",
            "/files/{tail}*",
            "/{_x}.json",
            "/a*b",
            "/a/{b}-{c}",
            "/1/{a}/2/{b}/3/{c}/4/{d}/5/{e}/6/{f}/7/{g}/8/{h}/9/{i}/10/{j}/11/{k}/12/{l}/13/{m}/14/{n}/15/{o}/16/{p}",
        ];
        for pattern in accepted {
            assert!(plainly_readable(pattern), "{pattern}");
            actix_router::ResourceDef::new(pattern);
        }
        let left = [
            "/items/{id",
            "/items/id}",
            "/items/{}",
            "/items/{id:\\d+}",
            "/items/{9id}",
            "/items/{a}/{a}",
            "/items/{a-b}",
            "/items/{{a}}",
            "/files/*",
            "/1/{a}/2/{b}/3/{c}/4/{d}/5/{e}/6/{f}/7/{g}/8/{h}/9/{i}/10/{j}/11/{k}/12/{l}/13/{m}/14/{n}/15/{o}/16/{p}/{q}",
        ];
        for pattern in left {
            assert!(!plainly_readable(pattern), "{pattern}");
        }
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
}
