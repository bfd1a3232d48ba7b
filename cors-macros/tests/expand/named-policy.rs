// What cors-macros generates for the input below. Checked by src/expand/snapshots.rs;
// `EXPAND_SNAPSHOTS=overwrite cargo test -p cors-macros` rewrites it.
//
// #[cors(API)]
// #[delete("/items/{id}")]
// async fn remove(id: web::Path<u32>) -> HttpResponse {
//     HttpResponse::NoContent().finish()
// }

#[allow(non_camel_case_types)]
struct remove;
impl ::actix_web::dev::HttpServiceFactory for remove {
    fn register(self, __cors_config: &mut ::actix_web::dev::AppService) {
        use ::route_cors::__private as __cors;
        #[allow(unused_imports)]
        use delete as _;
        async fn remove(id: web::Path<u32>) -> HttpResponse {
            HttpResponse::NoContent().finish()
        }
        let __cors_route_0: &'static __cors::CorsRoute = &__cors::CorsRoute {
            policy: API,
            handler: __cors::HandlerSource {
                name: "remove",
                module: __cors::module_path!(),
                file: __cors::file!(),
                line: __cors::line!(),
            },
            path: "/items/{id}",
            methods: __cors::Names::DELETE,
            guards: &[],
            preflights_skip_guards: false,
        };
        __cors::register(__cors_config, __cors_route_0, "remove", remove);
    }
}
