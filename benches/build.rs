//! Generates the 1,000-origin route (the same `#[cors(...)]` as the one-origin route, with 999
//! more exact origins before `https://app.example.com`) and the two 200-route apps.

use std::fmt::Write as _;

fn main() {
    let mut origins = String::new();
    for i in 0..999 {
        write!(origins, "\"https://app{i}.example.com\", ").unwrap();
    }
    origins.push_str("\"https://app.example.com\"");
    let source = format!(
        "/// The route under a policy of 1,000 exact origins.\n\
         #[::route_cors::cors(origins = [{origins}], credentials, allow_headers = [\"x-api-key\"], max_age = 600)]\n\
         #[::actix_web::get(\"/items\")]\n\
         pub async fn items() -> &'static str {{ \"[]\" }}\n"
    );
    let dir = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    std::fs::write(dir.join("many.rs"), source).unwrap();
    for (file, attr) in [
        ("bare_200.rs", ""),
        (
            "route_cors_200.rs",
            "#[::route_cors::cors(origins = [\"https://app.example.com\"], credentials, allow_headers = [\"x-api-key\"], max_age = 600)]\n",
        ),
    ] {
        let mut source = String::new();
        for i in 0..200 {
            write!(
                source,
                "/// Route {i}.\n{attr}#[::actix_web::get(\"/c{i}/{{id}}\")]\n\
                 pub async fn c{i}(id: ::actix_web::web::Path<u32>) -> String {{ format!(\"item {{id}}\") }}\n"
            )
            .unwrap();
        }
        source.push_str("/// Registers the 200 routes in order.\npub fn configure(cfg: &mut ::actix_web::web::ServiceConfig) {\n");
        for i in 0..200 {
            writeln!(source, "    cfg.service(c{i});").unwrap();
        }
        source.push_str("}\n");
        std::fs::write(dir.join(file), source).unwrap();
    }
    println!("cargo::rerun-if-changed=build.rs");
}
