// What cors-macros generates for the input below. Checked by src/expand/snapshots.rs;
// `EXPAND_SNAPSHOTS=overwrite cargo test -p cors-macros` rewrites it.
//
// #[cors(origins = ["https://app.example.com"], preflights_skip_guards)]
// #[routes]
// #[get("/a", guard = "has_token")]
// #[post("/a", guard = "has_token")]
// #[put("/b")]
// async fn several() -> &'static str {
//     "ok"
// }

#[allow(non_camel_case_types)]
struct several;
impl ::actix_web::dev::HttpServiceFactory for several {
    fn register(self, __cors_config: &mut ::actix_web::dev::AppService) {
        use ::route_cors::__private as __cors;
        #[allow(unused_imports)]
        use routes as _;
        const __CORS_POLICY: __cors::Policy = __cors::Policy::__from_parts(
            __cors::Origins::Set(
                __cors::OriginSet::__new(&["https://app.example.com", ""], &[]),
            ),
            __cors::AllowHeaders::None,
            __cors::None,
            __cors::None,
            false,
            __cors::None,
            false,
        );
        async fn several() -> &'static str {
            "ok"
        }
        static __CORS_ROUTE_0: __cors::CorsRoute = __cors::CorsRoute::__new(
                __CORS_POLICY,
                "several",
                "/a",
                &["GET", "POST"],
                "GET, POST",
            )
            .__guards(&[has_token], true);
        __cors::register(
            __cors_config,
            &__CORS_ROUTE_0,
            __cors::resource(&__CORS_ROUTE_0, "several"),
            several,
        );
        static __CORS_ROUTE_1: __cors::CorsRoute = __cors::CorsRoute::__new(
                __CORS_POLICY,
                "several",
                "/b",
                &["PUT"],
                "PUT",
            )
            .__guards(&[], true);
        __cors::register(
            __cors_config,
            &__CORS_ROUTE_1,
            __cors::resource(&__CORS_ROUTE_1, "several"),
            several,
        );
    }
}
