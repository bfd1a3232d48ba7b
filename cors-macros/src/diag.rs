//! Diagnostics: the errors every stage reports, each spanned on the token to change, with a
//! `help:` line when there is a fix. The stages collect them in one darling accumulator per
//! invocation, so every mistake of an attribute is reported at once.

use proc_macro2::Span;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fix_is_a_help_line() {
        assert_eq!(
            with_help(
                "`max_age` is 0 to 86400 seconds",
                Some("write `max_age = 7200`")
            ),
            "`max_age` is 0 to 86400 seconds\n= help: write `max_age = 7200`"
        );
        assert_eq!(with_help("no fix", None), "no fix");
        let e = error_at(Span::call_site(), "what is wrong", Some("the fix"));
        assert_eq!(e.to_string(), "what is wrong\n= help: the fix");
    }
}
