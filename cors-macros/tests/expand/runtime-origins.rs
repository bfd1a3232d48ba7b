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
        const __CORS_POLICY: __cors::Policy = __cors::Policy {
            origins: __cors::Origins::Runtime {
                list: &ORIGINS,
                name: "ORIGINS",
            },
            allow_headers: __cors::AllowHeaders::None,
            expose_headers: __cors::None,
            credentials: true,
            max_age: __cors::None,
            forward_refused: false,
        };
        async fn me() -> &'static str {
            "{}"
        }
        let __cors_route_0: &'static __cors::CorsRoute = &__cors::CorsRoute {
            policy: __CORS_POLICY,
            handler: __cors::HandlerSource {
                name: "me",
                module: __cors::module_path!(),
                file: __cors::file!(),
                line: __cors::line!(),
            },
            path: "/me",
            methods: __cors::Names::GET,
            guards: &[],
            preflights_skip_guards: false,
        };
        __cors::register(__cors_config, __cors_route_0, "me", me);
    }
}
