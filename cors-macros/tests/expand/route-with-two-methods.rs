// What cors-macros generates for the input below. Checked by src/expand/snapshots.rs;
// `EXPAND_SNAPSHOTS=overwrite cargo test -p cors-macros` rewrites it.
//
// #[cors(origins = "*", allow_headers = "*")]
// #[route(
//     "/items",
//     method = "GET",
//     method = "PUT",
//     name = "all_items",
//     guard = "is_json",
//     wrap = "Logger::default()"
// )]
// async fn items() -> HttpResponse {
//     HttpResponse::Ok().finish()
// }

#[allow(non_camel_case_types)]
struct items;
impl ::actix_web::dev::HttpServiceFactory for items {
    fn register(self, __cors_config: &mut ::actix_web::dev::AppService) {
        #[allow(unused_imports)]
        use route as _;
        const __CORS_POLICY: ::route_cors::__private::Policy = ::route_cors::__private::Policy::__from_parts(
            ::route_cors::__private::Origins::Any,
            ::route_cors::__private::AllowHeaders::Any,
            ::core::option::Option::Some("*"),
            ::core::option::Option::None,
            false,
            ::core::option::Option::None,
            false,
        );
        async fn items() -> HttpResponse {
            HttpResponse::Ok().finish()
        }
        static __CORS_ROUTE_0: ::route_cors::__private::CorsRoute = ::route_cors::__private::CorsRoute::__new(
            __CORS_POLICY,
            "items",
            "/items",
            &["GET", "PUT"],
            "GET, PUT",
        );
        ::route_cors::__private::register(
            __cors_config,
            &__CORS_ROUTE_0,
            ::route_cors::__private::resource(&__CORS_ROUTE_0, "all_items")
                .guard(::actix_web::guard::fn_guard(is_json))
                .wrap(Logger::default()),
            items,
        );
    }
}
