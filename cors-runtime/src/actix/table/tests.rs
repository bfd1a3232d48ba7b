//! Unit tests of `table.rs`.

use actix_web::test::TestRequest;

use super::*;
use crate::policy::Policy;

const fn route(
    name: &'static str,
    path: &'static str,
    methods: &'static [&'static str],
) -> CorsRoute {
    crate::actix::route::tests::route(
        Policy::REFUSING_EVERY_ORIGIN,
        name,
        path,
        crate::policy::Names {
            names: methods,
            value: "GET",
        },
    )
}

static ITEMS: CorsRoute = route("items", "/items/{id}", &["GET"]);
static ROOT: CorsRoute = route("root", "", &["GET"]);
static DELETE: CorsRoute = route("delete", "/items/{id}", &["DELETE"]);

fn entry(route: &'static CorsRoute) -> Entry {
    Entry::Route {
        pattern: pattern_of(route.path()),
        route: TableRoute {
            route,
            siblings: None,
        },
    }
}

fn table(entries: Vec<Entry>) -> RouteTable {
    RouteTable { entries }
}

fn find(table: &RouteTable, path: &str, method: &str) -> Option<&'static str> {
    let req = TestRequest::default().to_srv_request();
    table
        .preflight_route(path, &req, method.as_bytes())
        .map(|found| found.route.name())
}

#[test]
fn a_preflight_finds_the_route_by_path_and_method_in_nested_scopes() {
    let nested = table(vec![entry(&ITEMS), entry(&ROOT)]);
    let outer = table(vec![
        entry(&DELETE),
        Entry::Scope {
            prefix: ResourceDef::root_prefix("/v1"),
            table: Rc::new(nested),
        },
    ]);
    assert_eq!(find(&outer, "/items/7", "DELETE"), Some("delete"));
    assert_eq!(
        find(&outer, "/items/7", "GET"),
        None,
        "GET /items is in /v1"
    );
    assert_eq!(find(&outer, "/v1/items/7", "GET"), Some("items"));
    assert_eq!(find(&outer, "/v1", "GET"), Some("root"));
    assert_eq!(find(&outer, "/v1/", "GET"), None);
    assert_eq!(find(&outer, "/v1/items/7/x", "GET"), None);
    assert_eq!(find(&outer, "/v1/items/7", "DELETE"), None);
    assert_eq!(find(&outer, "/v2/items/7", "GET"), None);
    assert_eq!(
        outer.paths(),
        ["/items/{id} delete", "/v1/items/{id} items", "/v1 root"]
    );
}

#[test]
fn a_relative_path_gets_its_leading_slash_as_actix_web_gives_it() {
    assert!(pattern_of("items").is_match("/items"));
    assert!(pattern_of("").is_match(""));
    assert!(!pattern_of("").is_match("/"));
}
