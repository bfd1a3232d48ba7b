//! The checks of `allow_headers` and `expose_headers`: `*` alone, every name with the shared
//! rules, no name twice.

use cors_runtime::rules::header_lists::{check_allowed_name, check_exposed_name};
use darling::error::Accumulator;

use crate::args::StrList;
use crate::diag::error;

/// What `allow_headers` or `expose_headers` names, checked.
#[derive(Clone)]
pub enum CheckedHeaders {
    None,
    Any,
    /// Lower-case names, in the order written.
    List(Vec<String>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum HeaderKey {
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

pub(super) fn header_list(
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
