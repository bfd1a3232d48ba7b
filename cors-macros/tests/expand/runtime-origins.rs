// What cors-macros generates for the input below. Checked by src/expand/snapshots.rs;
// `EXPAND_SNAPSHOTS=overwrite cargo test -p cors-macros` rewrites it.
//
// #[cors(origins = runtime(ORIGINS), credentials)]
// #[get("/me")]
// async fn me() -> &'static str {
//     "{}"
// }

#[allow(non_camel_case_types)]
struct me;
impl ::actix_web::dev::HttpServiceFactory for me {
    fn register(self, __cors_config: &mut ::actix_web::dev::AppService) {
        use ::route_cors::__private as __cors;
        #[allow(unused_imports)]
        use get as _;
        async fn me() -> &'static str {
            "{}"
        }
        static __CORS_ROUTE_0: __cors::CorsRoute = __cors::CorsRoute::__new(
            __cors::Policy::__from_parts(
                __cors::Origins::Runtime {
                    list: &ORIGINS,
                    name: "ORIGINS",
                },
                __cors::AllowHeaders::None,
                __cors::None,
                __cors::None,
                true,
                __cors::None,
                false,
            ),
            "me",
            "/me",
            &["GET"],
            "GET",
        );
        __cors::register(
            __cors_config,
            &__CORS_ROUTE_0,
            __cors::resource(&__CORS_ROUTE_0, "me"),
            me,
        );
    }
}
