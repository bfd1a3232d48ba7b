//! Expansion snapshots: what `#[cors]` and `policy!` generate for one input of each kind,
//! pretty-printed and compared with the committed `cors-macros/tests/expand/<name>.rs`. Read
//! those files as the map of the generated code.
//!
//! After a change to what is generated, `EXPAND_SNAPSHOTS=overwrite cargo test -p cors-macros`
//! rewrites them (as trybuild's `TRYBUILD=overwrite` does for the UI tests): read
//! `git diff cors-macros/tests/expand` before committing.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// The variable that rewrites the snapshots, and the value that does it.
const OVERWRITE: (&str, &str) = ("EXPAND_SNAPSHOTS", "overwrite");

/// A handler as a user writes it, `#[cors(...)]` on top: its expansion is checked against
/// `tests/expand/<name>.rs`.
fn cors(name: &str, source: &str) {
    let mut handler: syn::ItemFn = syn::parse_str(source).expect("a handler");
    let at = handler
        .attrs
        .iter()
        .position(|a| a.path().is_ident("cors"))
        .expect("a #[cors(...)]");
    let args = match handler.attrs.remove(at).meta {
        syn::Meta::List(list) => list.tokens,
        _ => TokenStream::new(),
    };
    let output = super::cors(args, handler.into_token_stream());
    check(name, source, &pretty(&output));
}

/// `const NAME: Policy = policy!(...);` as a user writes it: its expansion is checked against
/// `tests/expand/<name>.rs`.
fn policy(name: &str, source: &str) {
    let mut item: syn::ItemConst = syn::parse_str(source).expect("a constant");
    let syn::Expr::Macro(call) = &*item.expr else {
        panic!("not `policy!(...)`: {source}");
    };
    let expr = super::policy(call.mac.tokens.clone());
    *item.expr = syn::parse_quote!(#expr);
    check(name, source, &pretty(&quote!(#item)));
}

fn pretty(tokens: &TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(e) => panic!("not a list of items ({e}): {tokens}"),
    }
}

fn check(name: &str, source: &str, output: &str) {
    let (var, value) = OVERWRITE;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expand")
        .join(format!("{name}.rs"));
    let input: String = source
        .trim()
        .lines()
        .map(|line| format!("// {line}").trim_end().to_owned() + "\n")
        .collect();
    let text = format!(
        "// What cors-macros generates for the input below. Checked by src/expand/snapshots.rs;\n\
         // `{var}={value} cargo test -p cors-macros` rewrites it.\n//\n{input}\n{output}"
    );
    if std::env::var(var).is_ok_and(|v| v == value) {
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; `{var}={value} cargo test -p cors-macros` writes it",
            path.display()
        )
    });
    if committed != text {
        let (was, now): (Vec<&str>, Vec<&str>) =
            (committed.lines().collect(), text.lines().collect());
        let at = (0..was.len().max(now.len()))
            .find(|&i| was.get(i) != now.get(i))
            .unwrap_or(0);
        let line = |lines: &[&str]| {
            lines
                .get(at)
                .map_or("(end of file)".to_owned(), |l| (*l).to_owned())
        };
        let (was, now) = (line(&was), line(&now));
        panic!(
            "{} is not what is generated now; from line {}:\n  committed: {was}\n  generated: {now}\n\
             If the change is meant, `{var}={value} cargo test -p cors-macros` rewrites it: read \
             the diff before committing.",
            path.display(),
            at + 1
        );
    }
}

#[test]
fn a_method_attribute() {
    cors(
        "method-attribute",
        r#"
#[cors(
    origins = ["https://app.example.com", "https://*.example.com"],
    allow_headers = ["content-type", "x-api-key"],
    expose_headers = ["x-request-id"],
    credentials,
    max_age = 600,
)]
/// Updates an item.
#[post("/items/{id}")]
async fn update_item(id: web::Path<u32>, body: String) -> impl Responder {
    format!("item {id}: {body}")
}
"#,
    );
}

#[test]
fn a_route_with_two_methods() {
    cors(
        "route-with-two-methods",
        r#"
#[cors(origins = "*", allow_headers = "*")]
#[route(
    "/items",
    method = "GET",
    method = "PUT",
    name = "all_items",
    guard = "is_json",
    wrap = "Logger::default()"
)]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}
"#,
    );
}

#[test]
fn routes_on_two_paths() {
    cors(
        "routes",
        r#"
#[cors(origins = ["https://app.example.com"], preflights_skip_guards)]
#[routes]
#[get("/a", guard = "has_token")]
#[post("/a", guard = "has_token")]
#[put("/b")]
async fn several() -> &'static str {
    "ok"
}
"#,
    );
}

#[test]
fn a_named_policy() {
    cors(
        "named-policy",
        r#"
#[cors(API)]
#[delete("/items/{id}")]
async fn remove(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::NoContent().finish()
}
"#,
    );
}

#[test]
fn runtime_origins() {
    cors(
        "runtime-origins",
        r#"
#[cors(origins = runtime(ORIGINS), credentials)]
#[get("/me")]
async fn me() -> &'static str {
    "{}"
}
"#,
    );
}

#[test]
fn the_policy_macro() {
    policy(
        "policy-macro",
        r#"
const API: Policy = policy!(
    origins = ["https://app.example.com", "http://localhost:*"],
    allow_headers = ["authorization"],
    credentials,
    max_age = 86400,
);
"#,
    );
}

#[test]
fn the_policy_macro_with_a_mistake() {
    policy(
        "policy-macro-with-a-mistake",
        r#"
const API: Policy = policy!(origins = ["https://app.example.com/"]);
"#,
    );
}
