//! Generates the 1,000-origin route: the same `#[cors(...)]` as the one-origin route, with 999
//! more exact origins before `https://app.example.com`.

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
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("many.rs");
    std::fs::write(out, source).unwrap();
    println!("cargo::rerun-if-changed=build.rs");
}
