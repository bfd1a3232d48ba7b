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
        let __cors_route_0: &'static __cors::CorsRoute = &__cors::CorsRoute {
            policy: __cors::Policy {
                origins: __cors::Origins::Any,
                allow_headers: __cors::AllowHeaders::Any,
                expose_headers: __cors::None,
                credentials: false,
                max_age: __cors::None,
                forward_refused: false,
            },
            handler: __cors::HandlerSource {
                name: "items",
                module: __cors::module_path!(),
                file: __cors::file!(),
                line: __cors::line!(),
            },
            path: "/items",
            methods: __cors::Names {
                names: &["GET", "PUT"],
                value: "GET, PUT",
            },
            guards: &[
                __cors::Guard {
                    name: "is_json",
                    check: is_json,
                },
            ],
            preflights_skip_guards: false,
        };
        __cors::register_wrapped(
            __cors_config,
            __cors_route_0,
            __cors::resource(__cors_route_0, "all_items").wrap(Logger::default()),
            items,
        );
    }
}
