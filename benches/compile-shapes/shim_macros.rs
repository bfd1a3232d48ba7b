//! `noop`: hands the item back untouched; `reparse`: parses it into a `syn::ItemFn` and prints it back.
use proc_macro::TokenStream;
use quote::ToTokens;

#[proc_macro_attribute]
pub fn noop(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}

#[proc_macro_attribute]
pub fn reparse(_args: TokenStream, item: TokenStream) -> TokenStream {
    let f: syn::ItemFn = syn::parse(item).unwrap();
    f.into_token_stream().into()
}

/// The lead's new shape, emitted from tokens only (no syn parse of the fn): finds the route
/// attribute and the fn name by scanning tokens, drops the route attribute, and emits the
/// struct + `register` with an inner static, the method guard, the wrap and `.to`.
#[proc_macro_attribute]
pub fn new_shape(_args: TokenStream, item: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, TokenStream as T2, TokenTree};
    use quote::quote;
    let item: T2 = item.into();
    let mut kept = T2::new();
    let mut path = None;
    let mut name = None;
    let mut tokens = item.into_iter().peekable();
    let mut prev_fn = false;
    while let Some(tt) = tokens.next() {
        if let TokenTree::Punct(p) = &tt {
            if p.as_char() == '#' {
                if let Some(TokenTree::Group(g)) = tokens.peek() {
                    if g.delimiter() == Delimiter::Bracket {
                        let g = g.clone();
                        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                        // last ident before the (...) group
                        let is_route = inner
                            .iter()
                            .rev()
                            .find_map(|t| match t {
                                TokenTree::Ident(i) => Some(i.to_string()),
                                _ => None,
                            })
                            .is_some_and(|i| i == "get");
                        if is_route {
                            if let Some(TokenTree::Group(args)) = inner.last() {
                                path = args.stream().into_iter().next();
                            }
                            tokens.next();
                            continue;
                        }
                    }
                }
            }
        }
        if let TokenTree::Ident(i) = &tt {
            if prev_fn && name.is_none() {
                name = Some(i.clone());
            }
            prev_fn = i == "fn";
        }
        kept.extend([tt]);
    }
    let name = name.expect("fn name");
    let path = path.expect("route path");
    let name_str = name.to_string();
    let p = quote!(::route_cors::__private);
    quote! {
        #[allow(non_camel_case_types)]
        pub struct #name;
        impl ::actix_web::dev::HttpServiceFactory for #name {
            fn register(self, __config: &mut ::actix_web::dev::AppService) {
                #kept
                static __CORS_ROUTE: #p::Route = #p::Route::__new(
                    #p::Policy::__from_parts(
                        #p::Origins::Set(#p::OriginSet::__new(&["https://app.example.com", ""], &[])),
                        #p::AllowHeaders::List(&["x-api-key"]),
                        ::core::option::Option::Some("x-api-key"),
                        ::core::option::Option::None, true, ::core::option::Option::Some("600"), false),
                    #name_str, #path, &["GET"], "GET");
                let __resource = ::actix_web::Resource::new(#path).name(#name_str)
                    .guard(::actix_web::guard::Get())
                    .wrap(#p::CorsGuard::new(&__CORS_ROUTE))
                    .to(#name);
                ::actix_web::dev::HttpServiceFactory::register(__resource, __config);
            }
        }
    }.into()
}
