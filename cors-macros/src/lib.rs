//! Procedural macros of [route-cors](https://docs.rs/route-cors): `#[cors(...)]` and `policy!`.
//!
//! Depend on `route-cors`, not on this crate: the code these macros generate refers to it, and
//! its documentation describes them.
//!
//! The pipeline is parse (`args` with `aliases`, `route`) → validate (`validate`, with the shared rules of
//! `cors-runtime`) → expand (`expand`), all on `proc_macro2` types; every stage reports its
//! errors through `diag`.

mod aliases;
mod args;
mod diag;
mod expand;
mod route_attrs;
mod validate;

use proc_macro::TokenStream;

/// Makes an actix-web route CORS-enabled. See `route_cors::cors` for the keys and examples.
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::cors(args.into(), item.into()).into()
}

/// Builds a named, checked `Policy` that several routes share. See `route_cors::policy!`.
#[proc_macro]
pub fn policy(args: TokenStream) -> TokenStream {
    expand::policy(args.into()).into()
}
