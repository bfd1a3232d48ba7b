//! A whole `origins` list: every entry with [`parse`] and, with credentials,
//! [`check_credentials`]; no `*` inside a list; no entry twice.

use super::credentials::check_credentials;
use super::origin::{OriginSpec, parse};
use crate::error::OriginError;

/// How [`check_list`] checks a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListRules<'a> {
    /// The policy allows credentials: see [`check_credentials`].
    pub credentials: bool,
    /// Plain `http://` origins are allowed with credentials (a dangerous opt-in).
    pub insecure_http: bool,
    /// How to opt in to plain `http://` with credentials, for the help line.
    pub opt_in: &'a str,
}

/// Checks every entry of an `origins` list: each entry with [`parse`] and, with credentials,
/// [`check_credentials`]; no `*` inside a list; no entry twice.
///
/// Returns the valid entries in order, and every error with the index of its entry. An empty
/// list is the caller's to report: the words depend on where the list comes from.
pub fn check_list<'s, I>(
    entries: I,
    rules: ListRules<'_>,
) -> (Vec<OriginSpec>, Vec<(usize, OriginError)>)
where
    I: IntoIterator<Item = &'s str>,
{
    let mut specs = Vec::new();
    let mut errors = Vec::new();
    // A set, not a scan: a run-time list may hold 100,000 origins.
    let mut seen: std::collections::HashSet<&'s str> = std::collections::HashSet::new();
    for (i, text) in entries.into_iter().enumerate() {
        let result = parse(text).and_then(|spec| {
            if spec == OriginSpec::Any {
                return Err(OriginError::new(
                    "`*` allows every origin, so it cannot be mixed into a list",
                )
                .hint("write `origins = \"*\"` alone, or list the origins"));
            }
            if rules.credentials {
                check_credentials(&spec, rules.insecure_http, rules.opt_in)?;
            }
            if seen.contains(text) {
                return Err(
                    OriginError::new(format!("`{text}` is listed twice")).hint("remove one")
                );
            }
            Ok(spec)
        });
        seen.insert(text);
        match result {
            Ok(spec) => specs.push(spec),
            Err(e) => errors.push((i, e)),
        }
    }
    (specs, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_report_every_bad_entry() {
        let rules = ListRules {
            credentials: true,
            insecure_http: false,
            opt_in: "",
        };
        let (specs, errors) = check_list(
            [
                "https://a.com",
                "https://a.com/",
                "*",
                "https://a.com",
                "http://b.com",
                "https://*.b.com",
            ],
            rules,
        );
        assert_eq!(specs.len(), 2);
        let at: Vec<usize> = errors.iter().map(|(i, _)| *i).collect();
        assert_eq!(at, [1, 2, 3, 4]);
        assert!(errors[2].1.message.contains("twice"));
    }
}
