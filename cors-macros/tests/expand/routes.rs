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
        const __CORS_POLICY: __cors::Policy = __cors::Policy {
            origins: __cors::Origins::Set(__cors::OriginSet {
                table: &["https://app.example.com", ""],
                patterns: &[],
            }),
            allow_headers: __cors::AllowHeaders::None,
            expose_headers: __cors::None,
            credentials: false,
            max_age: __cors::None,
            forward_refused: false,
        };
        async fn several() -> &'static str {
            "ok"
        }
        let __cors_route_0: &'static __cors::CorsRoute = &__cors::CorsRoute {
            policy: __CORS_POLICY,
            handler: __cors::HandlerSource {
                name: "several",
                module: __cors::module_path!(),
                file: __cors::file!(),
                line: __cors::line!(),
            },
            path: "/a",
            methods: __cors::Names {
                names: &["GET", "POST"],
                value: "GET, POST",
            },
            guards: &[
                __cors::Guard {
                    name: "has_token",
                    check: has_token,
                },
            ],
            preflights_skip_guards: true,
        };
        __cors::register(__cors_config, __cors_route_0, "several", several);
        let __cors_route_1: &'static __cors::CorsRoute = &__cors::CorsRoute {
            policy: __CORS_POLICY,
            handler: __cors::HandlerSource {
                name: "several",
                module: __cors::module_path!(),
                file: __cors::file!(),
                line: __cors::line!(),
            },
            path: "/b",
            methods: __cors::Names::PUT,
            guards: &[],
            preflights_skip_guards: true,
        };
        __cors::register(__cors_config, __cors_route_1, "several", several);
    }
}
