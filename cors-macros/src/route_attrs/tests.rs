//! Unit tests of `route.rs`.

use quote::quote;
use syn::parse_quote;

use super::*;

fn routes(attrs: &[Attribute]) -> Vec<RouteAttr> {
    match find(attrs) {
        Found::Routes { routes, .. } => routes,
        Found::None => panic!("no route"),
        Found::Unreadable { error, .. } => panic!("unreadable: {error}"),
    }
}

fn methods(route: &RouteAttr) -> Vec<&str> {
    route.methods.iter().map(|(m, _)| m.as_str()).collect()
}

#[test]
fn handlers_keep_their_body_unparsed() {
    let handler = Handler::read(quote! {
        /// Docs.
        #[get("/items/{id}")]
        pub(crate) async fn item(id: web::Path<u32>) -> impl Responder where u32: Copy {
            this is not rust at all
        }
    })
    .unwrap();
    assert_eq!(handler.name, "item");
    assert_eq!(handler.attrs.len(), 2);
    assert!(handler.returns());
    assert!(matches!(handler.vis, Visibility::Restricted(_)));
    assert_eq!(handler.body.to_string(), "{ this is not rust at all }");
    let no_return = Handler::read(quote!(
        async fn f(a: u8) {}
    ))
    .unwrap();
    assert!(!no_return.returns());
    for not_a_fn in [
        quote!(
            struct S;
        ),
        quote!(fn),
        quote!(
            fn f();
        ),
        quote!(let x = 1;),
    ] {
        assert!(Handler::read(not_a_fn.clone()).is_err(), "{not_a_fn}");
    }
}

#[test]
fn method_attributes_and_route_read_like_actix() {
    let get = routes(&[parse_quote!(#[get("/a", name = "n", guard = "g::h", wrap = "W::new(1)")])]);
    assert_eq!(get[0].path.value(), "/a");
    assert_eq!(methods(&get[0]), ["GET"]);
    assert_eq!(
        get[0].name.as_ref().map(LitStr::value).as_deref(),
        Some("n")
    );
    let guards = &get[0].guards;
    assert_eq!(quote!(#(#guards)*).to_string(), "g :: h");
    assert_eq!(get[0].wraps.len(), 1);
    let qualified = routes(&[parse_quote!(#[actix_web::post("/b")])]);
    assert_eq!(methods(&qualified[0]), ["POST"]);
    let route = routes(&[parse_quote!(#[route("/c", method = "PUT", method = "PURGE")])]);
    assert_eq!(methods(&route[0]), ["PUT", "PURGE"]);
    // Read as written: `validate::check_methods` judges them.
    let odd = routes(&[parse_quote!(#[route("/c", method = "get", method = "A B")])]);
    assert_eq!(methods(&odd[0]), ["get", "A B"]);
}

#[test]
fn routes_reads_bare_method_attributes_only() {
    let found = find(&[
        parse_quote!(#[routes]),
        parse_quote!(#[get("/a")]),
        parse_quote!(#[doc = "x"]),
        parse_quote!(#[post("/a")]),
        parse_quote!(#[actix_web::put("/a")]),
    ]);
    let Found::Routes { routes, used } = found else {
        panic!("no routes")
    };
    assert_eq!(
        routes.iter().map(|r| methods(r)[0]).collect::<Vec<_>>(),
        ["GET", "POST"]
    );
    assert_eq!(used, [0, 1, 3]);
    assert!(routes[0].same_resource(&routes[1]));
}

#[test]
fn what_cors_cannot_read_is_an_error_naming_every_route_attribute() {
    for attrs in [
        vec![parse_quote!(#[get])],
        vec![parse_quote!(#[get(1)])],
        vec![parse_quote!(#[get("/a", "/b")])],
        vec![parse_quote!(#[get("/a", method = "POST")])],
        vec![parse_quote!(#[get("/a", nme = "x")])],
        vec![parse_quote!(#[get("/a", guard = 5)])],
        vec![parse_quote!(#[get("/a", guard = "not a path")])],
        vec![parse_quote!(#[route("/a")])],
        vec![parse_quote!(#[route("/a", method = "GET", method = "GET")])],
        vec![parse_quote!(#[routes])],
        vec![parse_quote!(#[get("/a")]), parse_quote!(#[post("/a")])],
    ] {
        let Found::Unreadable { used, .. } = find(&attrs) else {
            panic!("{}", quote!(#(#attrs)*));
        };
        assert_eq!(used.len(), attrs.len(), "{}", quote!(#(#attrs)*));
    }
    assert!(matches!(find(&[parse_quote!(#[doc = "x"])]), Found::None));
}
