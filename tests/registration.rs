//! A `#[cors]` route's router entry stands where actix-web's `Resource` would: the same
//! patterns (a path written without its leading `/`, an empty path in a scope), the same name
//! for `url_for` and `match_name`, the same pattern for `match_pattern`, other methods left to
//! the rest of the app, and the app's and its scopes' data reaching the handler. A route with
//! middleware of its own (`wrap = ...`) still goes through a `Resource`; both kinds are checked
//! side by side.

use actix_web::dev::Service;
use actix_web::http::Method;
use actix_web::middleware::Compress;
use actix_web::test::{self, TestRequest};
use actix_web::{App, HttpRequest, HttpResponse, get, web};
use route_cors::cors;

const APP: &str = "https://app.example.com";

/// What the handler saw of its own entry: its name, its pattern and its URL.
fn seen(req: &HttpRequest, name: &str) -> String {
    format!(
        "name={:?} pattern={:?} url={}",
        req.match_name(),
        req.match_pattern(),
        req.url_for_static(name)
            .map_or_else(|e| format!("error: {e}"), |u| u.path().to_owned()),
    )
}

#[cors(origins = ["https://app.example.com"])]
#[get("plain")]
async fn without_slash(req: HttpRequest) -> String {
    seen(&req, "without_slash")
}

#[cors(origins = ["https://app.example.com"])]
#[get("", name = "scope_root")]
async fn scope_root(req: HttpRequest) -> String {
    seen(&req, "scope_root")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/items/{id}", wrap = "Compress::default()")]
async fn wrapped(req: HttpRequest) -> String {
    seen(&req, "wrapped")
}

/// The same three routes without `#[cors]`: what actix-web's own `Resource` gives.
mod plain {
    use super::*;

    #[get("plain")]
    pub async fn without_slash(req: HttpRequest) -> String {
        seen(&req, "without_slash")
    }

    #[get("", name = "scope_root")]
    pub async fn scope_root(req: HttpRequest) -> String {
        seen(&req, "scope_root")
    }

    #[get("/items/{id}", wrap = "Compress::default()")]
    pub async fn wrapped(req: HttpRequest) -> String {
        seen(&req, "wrapped")
    }
}

async fn fallback() -> HttpResponse {
    HttpResponse::ImATeapot().body("fallback")
}

/// Status, body and `Access-Control-Allow-Origin` of `method uri` from the page's origin.
async fn ask<S>(app: &S, method: Method, uri: &str) -> (u16, String, Option<String>)
where
    S: Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse,
            Error = actix_web::Error,
        >,
{
    let req = TestRequest::default()
        .method(method)
        .uri(uri)
        .insert_header(("origin", APP))
        .to_request();
    let res = test::call_service(app, req).await;
    let status = res.status().as_u16();
    let allow = res
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
    (status, body, allow)
}

#[actix_web::test]
async fn a_cors_route_is_found_named_and_left_as_a_resource_would_be() {
    let cors_app = test::init_service(
        App::new()
            .service(without_slash)
            .service(web::scope("/api").service(scope_root))
            .service(wrapped)
            .default_service(web::to(fallback)),
    )
    .await;
    let plain_app = test::init_service(
        App::new()
            .service(plain::without_slash)
            .service(web::scope("/api").service(plain::scope_root))
            .service(plain::wrapped)
            .default_service(web::to(fallback)),
    )
    .await;
    for (method, uri) in [
        (Method::GET, "/plain"),
        (Method::GET, "/api"),
        (Method::GET, "/api/"),
        (Method::GET, "/items/7"),
        (Method::POST, "/plain"),
        (Method::DELETE, "/api"),
        (Method::POST, "/items/7"),
        (Method::GET, "/plainer"),
    ] {
        let (status, body, allow) = ask(&cors_app, method.clone(), uri).await;
        let (plain_status, plain_body, _) = ask(&plain_app, method.clone(), uri).await;
        assert_eq!(
            (status, &body),
            (plain_status, &plain_body),
            "{method} {uri}: with #[cors] against actix-web's own"
        );
        // The page's origin is allowed wherever a #[cors] route ran, and nowhere else.
        let ran = status == 200;
        assert_eq!(allow.as_deref(), ran.then_some(APP), "{method} {uri}");
    }
    // The cases above reach every route: a pattern or a name lost would show as `None` here.
    let (_, body, _) = ask(&cors_app, Method::GET, "/plain").await;
    assert_eq!(
        body,
        r#"name=Some("without_slash") pattern=Some("/plain") url=/plain"#
    );
    let (_, body, _) = ask(&cors_app, Method::GET, "/api").await;
    assert_eq!(
        body,
        r#"name=Some("scope_root") pattern=Some("/api") url=/api"#
    );
}

/// The state every handler of a real app reads.
struct Shop {
    name: &'static str,
}

#[cors(origins = ["https://app.example.com"])]
#[get("/shop")]
async fn shop_name(shop: web::Data<Shop>, scoped: Option<web::Data<u32>>) -> String {
    format!("{} {:?}", shop.name, scoped.map(|n| **n))
}

#[cors(origins = ["https://app.example.com"])]
#[get("/shop/wrapped", wrap = "Compress::default()")]
async fn shop_name_wrapped(shop: web::Data<Shop>, scoped: Option<web::Data<u32>>) -> String {
    format!("{} {:?}", shop.name, scoped.map(|n| **n))
}

/// App data and a scope's data reach a `#[cors]` handler through its own router entry as through
/// a `Resource`: nothing between the router and the handler drops them.
#[actix_web::test]
async fn app_and_scope_data_reach_the_handler() {
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(Shop { name: "corner" }))
            .service(shop_name)
            .service(shop_name_wrapped)
            .service(
                web::scope("/v2")
                    .app_data(web::Data::new(7_u32))
                    .service(shop_name)
                    .service(shop_name_wrapped),
            ),
    )
    .await;
    for (uri, body) in [
        ("/shop", "corner None"),
        ("/shop/wrapped", "corner None"),
        ("/v2/shop", "corner Some(7)"),
        ("/v2/shop/wrapped", "corner Some(7)"),
    ] {
        let (status, got, allow) = ask(&app, Method::GET, uri).await;
        assert_eq!((status, got.as_str()), (200, body), "{uri}");
        assert_eq!(allow.as_deref(), Some(APP), "{uri}");
    }
}
