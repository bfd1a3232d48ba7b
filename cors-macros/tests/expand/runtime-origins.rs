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
        #[allow(unused_imports)]
        use get as _;
        const __CORS_POLICY: ::route_cors::__private::Policy = ::route_cors::__private::Policy::__from_parts(
            ::route_cors::__private::Origins::Runtime {
                list: &ORIGINS,
                name: "ORIGINS",
            },
            ::route_cors::__private::AllowHeaders::None,
            ::core::option::Option::None,
            ::core::option::Option::None,
            true,
            ::core::option::Option::None,
            false,
        );
        async fn me() -> &'static str {
            "{}"
        }
        static __CORS_ROUTE_0: ::route_cors::__private::CorsRoute = ::route_cors::__private::CorsRoute::__new(
            __CORS_POLICY,
            "me",
            "/me",
            &["GET"],
            "GET",
        );
        ::route_cors::__private::register(
            __cors_config,
            &__CORS_ROUTE_0,
            ::route_cors::__private::resource(&__CORS_ROUTE_0, "me"),
            me,
        );
    }
}
