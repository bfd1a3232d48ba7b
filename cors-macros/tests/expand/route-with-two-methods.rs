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
        use ::route_cors::__private as __cors;
        #[allow(unused_imports)]
        use route as _;
        async fn items() -> HttpResponse {
            HttpResponse::Ok().finish()
        }
        static __CORS_ROUTE_0: __cors::CorsRoute = __cors::CorsRoute::__new(
                __cors::Policy::__from_parts(
                    __cors::Origins::Any,
                    __cors::AllowHeaders::Any,
                    __cors::Some("*"),
                    __cors::None,
                    false,
                    __cors::None,
                    false,
                ),
                "items",
                "/items",
                &["GET", "PUT"],
                "GET, PUT",
            )
            .__guards(&[is_json], false);
        __cors::register(
            __cors_config,
            &__CORS_ROUTE_0,
            __cors::resource(&__CORS_ROUTE_0, "all_items").wrap(Logger::default()),
            items,
        );
    }
}
