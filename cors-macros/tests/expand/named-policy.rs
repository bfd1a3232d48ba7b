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
        #[allow(unused_imports)]
        use delete as _;
        const __CORS_POLICY: ::route_cors::__private::Policy = API;
        async fn remove(id: web::Path<u32>) -> HttpResponse {
            HttpResponse::NoContent().finish()
        }
        static __CORS_ROUTE_0: ::route_cors::__private::CorsRoute = ::route_cors::__private::CorsRoute::__new(
            __CORS_POLICY,
            "remove",
            "/items/{id}",
            &["DELETE"],
            "DELETE",
        );
        ::route_cors::__private::register(
            __cors_config,
            &__CORS_ROUTE_0,
            ::route_cors::__private::resource(&__CORS_ROUTE_0, "remove"),
            remove,
        );
    }
}
