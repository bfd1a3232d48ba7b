// What cors-macros generates for the input below. Checked by src/expand/snapshots.rs;
// `EXPAND_SNAPSHOTS=overwrite cargo test -p cors-macros` rewrites it.
//
// #[cors(
//     origins = ["https://app.example.com", "https://*.example.com"],
//     allow_headers = ["content-type", "x-api-key"],
//     expose_headers = ["x-request-id"],
//     credentials,
//     max_age = 600,
// )]
// /// Updates an item.
// #[post("/items/{id}")]
// async fn update_item(id: web::Path<u32>, body: String) -> impl Responder {
//     format!("item {id}: {body}")
// }

/// Updates an item.
#[allow(non_camel_case_types)]
struct update_item;
impl ::actix_web::dev::HttpServiceFactory for update_item {
    fn register(self, __cors_config: &mut ::actix_web::dev::AppService) {
        use ::route_cors::__private as __cors;
        #[allow(unused_imports)]
        use post as _;
        /// Updates an item.
        async fn update_item(id: web::Path<u32>, body: String) -> impl Responder {
            format!("item {id}: {body}")
        }
        let __cors_route_0: &'static __cors::CorsRoute = &__cors::CorsRoute {
            policy: __cors::Policy {
                origins: __cors::Origins::Set(__cors::OriginSet {
                    table: &["https://app.example.com", ""],
                    patterns: &[
                        __cors::OriginPattern::Subdomains {
                            prefix: "https://",
                            suffix: ".example.com",
                        },
                    ],
                }),
                allow_headers: __cors::AllowHeaders::List(__cors::Names {
                    names: &["content-type", "x-api-key"],
                    value: "content-type, x-api-key",
                }),
                expose_headers: __cors::Some(__cors::Names {
                    names: &["x-request-id"],
                    value: "x-request-id",
                }),
                credentials: true,
                max_age: __cors::Some(__cors::MaxAge {
                    seconds: 600,
                    value: "600",
                }),
                forward_refused: false,
            },
            handler: __cors::HandlerSource {
                name: "update_item",
                module: __cors::module_path!(),
                file: __cors::file!(),
                line: __cors::line!(),
            },
            path: "/items/{id}",
            methods: __cors::Names::POST,
            guards: &[],
            preflights_skip_guards: false,
        };
        __cors::register(__cors_config, __cors_route_0, "update_item", update_item);
    }
}
