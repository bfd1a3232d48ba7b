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
        #[allow(unused_imports)]
        use routes as _;
        const __CORS_POLICY: ::route_cors::__private::Policy = ::route_cors::__private::Policy::__from_parts(
            ::route_cors::__private::Origins::Set(
                ::route_cors::__private::OriginSet::__new(
                    &["https://app.example.com", ""],
                    &[],
                ),
            ),
            ::route_cors::__private::AllowHeaders::None,
            ::core::option::Option::None,
            ::core::option::Option::None,
            false,
            ::core::option::Option::None,
            false,
        );
        async fn several() -> &'static str {
            "ok"
        }
        static __CORS_ROUTE_0: ::route_cors::__private::CorsRoute = ::route_cors::__private::CorsRoute::__new(
            __CORS_POLICY,
            "several",
            "/a",
            &["GET", "POST"],
            "GET, POST",
        );
        ::route_cors::__private::register(
            __cors_config,
            &__CORS_ROUTE_0,
            ::route_cors::__private::resource(&__CORS_ROUTE_0, "several")
                .guard(
                    ::route_cors::__private::SkippedByPreflights(
                        ::actix_web::guard::fn_guard(has_token),
                    ),
                ),
            several,
        );
        static __CORS_ROUTE_1: ::route_cors::__private::CorsRoute = ::route_cors::__private::CorsRoute::__new(
            __CORS_POLICY,
            "several",
            "/b",
            &["PUT"],
            "PUT",
        );
        ::route_cors::__private::register(
            __cors_config,
            &__CORS_ROUTE_1,
            ::route_cors::__private::resource(&__CORS_ROUTE_1, "several"),
            several,
        );
    }
}
