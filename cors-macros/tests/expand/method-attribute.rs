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
        #[allow(unused_imports)]
        use post as _;
        const __CORS_POLICY: ::route_cors::__private::Policy = ::route_cors::__private::Policy::__from_parts(
            ::route_cors::__private::Origins::Set(
                ::route_cors::__private::OriginSet::__new(
                    &["https://app.example.com", ""],
                    &[
                        ::route_cors::__private::OriginPattern::Subdomains {
                            prefix: "https://",
                            suffix: ".example.com",
                        },
                    ],
                ),
            ),
            ::route_cors::__private::AllowHeaders::List(&["content-type", "x-api-key"]),
            ::core::option::Option::Some("content-type, x-api-key"),
            ::core::option::Option::Some("x-request-id"),
            true,
            ::core::option::Option::Some("600"),
            false,
        );
        /// Updates an item.
        async fn update_item(id: web::Path<u32>, body: String) -> impl Responder {
            format!("item {id}: {body}")
        }
        static __CORS_ROUTE_0: ::route_cors::__private::CorsRoute = ::route_cors::__private::CorsRoute::__new(
            __CORS_POLICY,
            "update_item",
            "/items/{id}",
            &["POST"],
            "POST",
        );
        ::route_cors::__private::register(
            __cors_config,
            &__CORS_ROUTE_0,
            ::route_cors::__private::resource(&__CORS_ROUTE_0, "update_item"),
            update_item,
        );
    }
}
